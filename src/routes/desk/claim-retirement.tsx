import type * as z from "zod";
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

/**
 * A merge or a removal from the claim's desk page, the same steps for both: confirmed by
 * the box, the form read by the write API's schema, written once (a resent form lands
 * where the first went); a refusal re-shows the claim page with the form open and why.
 */
async function retire<T>(
	c: DeskContext,
	form: RetireForm,
	steps: {
		unconfirmed: "deskMergeUnconfirmed" | "deskRemoveUnconfirmed";
		parse: (values: Record<string, string>) => z.ZodSafeParseResult<T>;
		/** Writes, and says where to go on when it knows better than `to`. */
		// biome-ignore lint/suspicious/noConfusingVoidType: as writeOnceAndRedirect's `write`
		write: (claimId: string, input: T) => Promise<string | void>;
		/** Where the form goes, as known before the write (a resent form whose first stopped after writing goes there). */
		to: (claimId: string, input: T) => string;
	},
) {
	const claimId = claimIdParam(c);
	const values = await formValues(c);
	const reshow = (errors: FieldErrors, status: 403 | 409 | 422, notice?: string) =>
		renderClaimPage(c, claimId, {
			state: { form, values, errors, ...(notice ? { notice } : {}) },
			status,
		});
	if (values.confirm !== "1") return reshow({ confirm: t(c.var.lang, steps.unconfirmed) }, 422);
	const parsed = steps.parse(values);
	if (!parsed.success) {
		const errors = formErrors(parsed.error);
		return reshow(errors, 422, errors.version ? fieldMessage(c.var.lang, errors.version) : undefined);
	}
	const input = parsed.data;
	try {
		return await writeOnceAndRedirect(c, values, () => steps.write(claimId, input), steps.to(claimId, input));
	} catch (error) {
		const errors = storeFieldErrors(error);
		if (errors) return reshow(errors, 422);
		// A public verdict or an open draft (409), a newer version (409), removed already (410).
		if (error instanceof AppError && (error.status === 403 || error.status === 409 || error.status === 410)) {
			return reshow({}, error.status === 410 ? 409 : error.status, fieldMessage(c.var.lang, error.message));
		}
		throw error;
	}
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
			return retire(c, "merge", {
				unconfirmed: "deskMergeUnconfirmed",
				parse: (form) =>
					claimMergeInput.safeParse({
						into: claimIdIn(form.into),
						version: versionOf(form.version),
						note: form.note,
					}),
				write: async (claimId, input) => {
					// The claim kept: the one named, or the one it was merged into before.
					const { kept } = await mergeClaim(deskCommand(c), claimId, input);
					return `/desk/claims/${kept.id}?done=claim-merged`;
				},
				to: (_claimId, input) => `/desk/claims/${input.into}?done=claim-merged`,
			});
		},
	)
	.post(
		"/:id/remove",
		declareRoute({ method: "POST", path: "/desk/claims/:id/remove", access: { session: "claim:remove" } }),
		async (c) => {
			allowed(c, "claim:remove");
			return retire(c, "remove-claim", {
				unconfirmed: "deskRemoveUnconfirmed",
				parse: (form) =>
					claimRemovalInput.safeParse({ version: versionOf(form.version), reason: form.reason }),
				write: async (claimId, input) => {
					await removeClaim(deskCommand(c), c.env.ARCHIVE, claimId, input);
				},
				to: () => "/desk?done=claim-removed",
			});
		},
	);
