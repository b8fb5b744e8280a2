import { mergeClaim, removeClaim } from "../../commands/claims";
import { AppError } from "../../lib/errors";
import { declareRoute } from "../../lib/route-declaration";
import { claimMergeInput, claimRemovalInput } from "../../schemas/write-api";
import { t } from "../../views/desk/desk-i18n";
import type { FieldErrors } from "../../views/desk/fields";
import { fieldMessage } from "../../views/desk/labels";
import { claimIdParam, renderClaimPage, storeFieldErrors, versionOf } from "./claim-page";
import {
	allowed,
	type DeskContext,
	deskCommand,
	deskFactory,
	formValues,
	writeOnceAndRedirect,
} from "./context";
import { formErrors } from "./forms";

/** The claim id in what was typed: an id, or any address of the claim (public, desk, embed, badge). */
function claimIdIn(typed: string | undefined): string {
	const value = (typed ?? "").trim();
	const inAddress = /\/(?:claims|embed|badges)\/([0-9a-z]{14})(?:\.svg)?(?:[/?#]|$)/.exec(value);
	return inAddress?.[1] ?? value;
}

type RetireForm = "merge" | "remove-claim";

/** What a refused merge or removal re-shows: the claim page with the form open and why. */
async function refused(
	c: DeskContext,
	claimId: string,
	form: RetireForm,
	values: Record<string, string>,
	error: unknown,
) {
	const reshow = (errors: FieldErrors, status: 403 | 409 | 422, notice?: string) =>
		renderClaimPage(c, claimId, {
			state: { form, values, errors, ...(notice ? { notice } : {}) },
			status,
		});
	const errors = storeFieldErrors(error);
	if (errors) return reshow(errors, 422);
	// A public verdict or an open draft (409), a newer version (409), removed already (410).
	if (error instanceof AppError && (error.status === 403 || error.status === 409 || error.status === 410)) {
		return reshow({}, error.status === 410 ? 409 : error.status, fieldMessage(c.var.lang, error.message));
	}
	throw error;
}

/**
 * "Merge into another claim" and "Remove this claim" on a claim's desk page (editors): each
 * confirmed by a box checked here, at the version the page showed. A merge goes on to the
 * claim kept, a removal to the desk's home, each with a flash; a refusal re-shows the page.
 */
export const deskClaimRetirementRoutes = deskFactory
	.createApp()
	.post(
		"/:id/merge",
		declareRoute({ method: "POST", path: "/desk/claims/:id/merge", access: { session: "claim:merge" } }),
		async (c) => {
			allowed(c, "claim:merge");
			const claimId = claimIdParam(c);
			const form = await formValues(c);
			const reshow = (errors: FieldErrors, notice?: string) =>
				renderClaimPage(c, claimId, {
					state: { form: "merge", values: form, errors, ...(notice ? { notice } : {}) },
					status: 422,
				});
			if (form.confirm !== "1") return reshow({ confirm: t(c.var.lang, "deskMergeUnconfirmed") });
			const parsed = claimMergeInput.safeParse({
				into: claimIdIn(form.into),
				version: versionOf(form.version),
				note: form.note,
			});
			if (!parsed.success) {
				const errors = formErrors(parsed.error);
				return reshow(errors, errors.version ? fieldMessage(c.var.lang, errors.version) : undefined);
			}
			try {
				return await writeOnceAndRedirect(
					c,
					form,
					async () => {
						const { kept } = await mergeClaim(deskCommand(c), claimId, parsed.data);
						return `/desk/claims/${kept.id}?done=claim-merged`;
					},
					`/desk/claims/${claimId}`,
				);
			} catch (error) {
				return refused(c, claimId, "merge", form, error);
			}
		},
	)
	.post(
		"/:id/remove",
		declareRoute({ method: "POST", path: "/desk/claims/:id/remove", access: { session: "claim:remove" } }),
		async (c) => {
			allowed(c, "claim:remove");
			const claimId = claimIdParam(c);
			const form = await formValues(c);
			const reshow = (errors: FieldErrors, notice?: string) =>
				renderClaimPage(c, claimId, {
					state: { form: "remove-claim", values: form, errors, ...(notice ? { notice } : {}) },
					status: 422,
				});
			if (form.confirm !== "1") return reshow({ confirm: t(c.var.lang, "deskRemoveUnconfirmed") });
			const parsed = claimRemovalInput.safeParse({ version: versionOf(form.version), reason: form.reason });
			if (!parsed.success) {
				const errors = formErrors(parsed.error);
				return reshow(errors, errors.version ? fieldMessage(c.var.lang, errors.version) : undefined);
			}
			try {
				return await writeOnceAndRedirect(
					c,
					form,
					async () => {
						await removeClaim(deskCommand(c), c.env.ARCHIVE, claimId, parsed.data);
						return "/desk?done=claim-removed";
					},
					"/desk",
				);
			} catch (error) {
				return refused(c, claimId, "remove-claim", form, error);
			}
		},
	);
