import { idempotent } from "../../auth/idempotency";
import type { Verdict } from "../../db/schema";
import { isId } from "../../domain/ids";
import { purgeClaimCaches } from "../../lib/edge-cache";
import { AppError, notFound } from "../../lib/errors";
import { verdictInput } from "../../schemas/records";
import { getClaim } from "../../store/claims";
import { lastEditor } from "../../store/desk";
import { publishChecked, retractChecked } from "../../store/editorial";
import { createDraftVerdict, getVerdict, updateDraftVerdict } from "../../store/verdicts";
import type { FieldErrors } from "../../views/desk/fields";
import { fieldMessage } from "../../views/desk/labels";
import { type VerdictConflict, VerdictFormPage, verdictValues } from "../../views/desk/verdict-form";
import { claimIdParam, renderClaimPage, storeFieldErrors, versionOf } from "./claim-page";
import {
	allowed,
	chrome,
	type DeskContext,
	deskActor,
	deskFactory,
	type FormValues,
	formKey,
	formValues,
	page,
} from "./context";
import { evidenceRenamer, formErrors, verdictFromForm } from "./forms";

async function verdictParam(c: DeskContext): Promise<Verdict> {
	const id = c.req.param("id") ?? "";
	const verdict = isId(id) ? await getVerdict(c.var.db, id) : undefined;
	if (!verdict) throw notFound("verdict");
	return verdict;
}

async function verdictForm(
	c: DeskContext,
	claimId: string,
	values: FormValues,
	options: {
		errors?: FieldErrors;
		verdict?: Verdict;
		version?: number;
		conflict?: VerdictConflict | null;
		status?: 200 | 409 | 422;
	} = {},
) {
	const session = allowed(c, options.verdict ? "verdict:edit-draft" : "verdict:draft");
	const claim = await getClaim(c.var.db, claimId);
	if (!claim) throw notFound("claim");
	const published = claim.verdicts.some((v) => v.state === "published");
	return page(
		c,
		<VerdictFormPage
			chrome={chrome(c)}
			csrf={session.csrfToken}
			idem={values._idem || formKey()}
			claim={claim}
			values={values}
			errors={options.errors ?? {}}
			verdictId={options.verdict?.id}
			version={options.version ?? options.verdict?.version}
			isCorrection={published}
			conflict={options.conflict ?? null}
		/>,
		options.status ?? 200,
	);
}

/** Fields whose saved value differs from what the user sent: what changed meanwhile. */
function changedFields(current: Verdict, sent: FormValues): VerdictConflict["changed"] {
	const saved = verdictValues(current);
	const names = new Set([...Object.keys(saved), "rating", "headline", "summary", "body", "language"]);
	const changed: VerdictConflict["changed"] = [];
	const evidenceSaved = JSON.stringify(verdictFromForm(saved).input.evidence);
	const evidenceSent = JSON.stringify(verdictFromForm(sent).input.evidence);
	for (const name of names) {
		if (name.startsWith("evidence.")) continue;
		if ((saved[name] ?? "").trim() !== (sent[name] ?? "").trim())
			changed.push({ field: name, saved: saved[name] ?? "" });
	}
	if (evidenceSaved !== evidenceSent) {
		changed.push({
			field: "evidence",
			saved: verdictFromForm(saved)
				.input.evidence.map((e) => `${e.title} <${e.url}>`)
				.join("; "),
		});
	}
	return changed;
}

/** Drafting, editing, publishing and retracting verdicts from the desk. */
export const deskVerdictRoutes = deskFactory
	.createApp()
	.get("/claims/:id/verdicts/new", async (c) => {
		allowed(c, "verdict:draft");
		const claimId = claimIdParam(c);
		const claim = await getClaim(c.var.db, claimId);
		if (!claim) throw notFound("claim");
		// A correction starts from what was published.
		const published = claim.verdicts.find((v) => v.state === "published");
		return verdictForm(c, claimId, published ? verdictValues(published) : { language: c.var.lang });
	})
	.post("/claims/:id/verdicts", async (c) => {
		const session = allowed(c, "verdict:draft");
		const claimId = claimIdParam(c);
		const form = await formValues(c);
		const { input, rowOf } = verdictFromForm(form);
		const parsed = verdictInput.safeParse(input);
		if (!parsed.success) {
			return verdictForm(c, claimId, form, {
				errors: formErrors(parsed.error, evidenceRenamer(rowOf)),
				status: 422,
			});
		}
		const outcome = await idempotent<string>(
			c.var.db,
			{ userId: session.user.id, key: form._idem, scope: `POST /desk/claims/${claimId}/verdicts` },
			async () => {
				await createDraftVerdict(c.var.db, deskActor(c), claimId, parsed.data);
				// A first draft puts the claim "in review" in public answers.
				c.executionCtx.waitUntil(purgeClaimCaches(claimId));
				const location = `/desk/claims/${claimId}?done=draft-saved`;
				return { kind: "store", result: { status: 303, location, body: null }, value: location };
			},
		);
		return c.redirect(
			outcome.replayed ? (outcome.result.location ?? `/desk/claims/${claimId}`) : outcome.value,
			303,
		);
	})
	.get("/verdicts/:id/edit", async (c) => {
		allowed(c, "verdict:edit-draft");
		const verdict = await verdictParam(c);
		if (verdict.state !== "draft") {
			throw new AppError(409, "This verdict is no longer a draft; draft a correction instead.");
		}
		return verdictForm(c, verdict.claimId, verdictValues(verdict), { verdict });
	})
	.post("/verdicts/:id", async (c) => {
		const session = allowed(c, "verdict:edit-draft");
		const verdict = await verdictParam(c);
		const form = await formValues(c);
		const version = versionOf(form.version);
		const { input, rowOf } = verdictFromForm(form);
		const parsed = verdictInput.safeParse(input);
		if (!parsed.success || version === null) {
			const errors = parsed.success ? {} : formErrors(parsed.error, evidenceRenamer(rowOf));
			if (version === null) errors.version = "Give a number here.";
			return verdictForm(c, verdict.claimId, form, {
				errors,
				verdict,
				version: version ?? verdict.version,
				status: 422,
			});
		}
		try {
			const outcome = await idempotent<string>(
				c.var.db,
				{ userId: session.user.id, key: form._idem, scope: `POST /desk/verdicts/${verdict.id}` },
				async () => {
					await updateDraftVerdict(c.var.db, deskActor(c), verdict.id, version, parsed.data);
					const location = `/desk/claims/${verdict.claimId}?done=draft-saved`;
					return { kind: "store", result: { status: 303, location, body: null }, value: location };
				},
			);
			return c.redirect(outcome.replayed ? (outcome.result.location ?? "/desk") : outcome.value, 303);
		} catch (error) {
			if (!(error instanceof AppError) || error.status !== 409 || error.code !== "version-conflict")
				throw error;
			// Someone saved first: keep every field as this user typed it, show what the
			// saved version says now, and let a second save knowingly replace it.
			const current = await getVerdict(c.var.db, verdict.id);
			if (!current) throw notFound("verdict");
			const conflict: VerdictConflict = {
				current,
				changed: changedFields(current, form),
				by: await lastEditor(c.var.db, "verdict", verdict.id),
			};
			return verdictForm(
				c,
				verdict.claimId,
				{ ...form, _idem: formKey() },
				{
					verdict: current,
					version: current.version,
					conflict,
					status: 409,
				},
			);
		}
	})
	.post("/verdicts/:id/publish", async (c) => {
		const session = allowed(c, "verdict:publish");
		const verdict = await verdictParam(c);
		const form = await formValues(c);
		const version = versionOf(form.version) ?? 0;
		try {
			const outcome = await idempotent<string>(
				c.var.db,
				{ userId: session.user.id, key: form._idem, scope: `POST /desk/verdicts/${verdict.id}/publish` },
				async () => {
					const published = await publishChecked(
						c.var.db,
						deskActor(c),
						verdict.id,
						version,
						form.correctionNote ?? null,
					);
					c.executionCtx.waitUntil(purgeClaimCaches(published.claimId));
					const location = `/desk/claims/${verdict.claimId}?done=published`;
					return { kind: "store", result: { status: 303, location, body: null }, value: location };
				},
			);
			return c.redirect(outcome.replayed ? (outcome.result.location ?? "/desk") : outcome.value, 303);
		} catch (error) {
			const errors = storeFieldErrors(error);
			const state = { form: "publish" as const, verdictId: verdict.id, values: form };
			if (errors) return renderClaimPage(c, verdict.claimId, { state: { ...state, errors }, status: 422 });
			if (error instanceof AppError && error.status === 409) {
				return renderClaimPage(c, verdict.claimId, {
					state: { ...state, errors: {}, notice: fieldMessage(c.var.lang, error.message) },
					status: 409,
				});
			}
			throw error;
		}
	})
	.post("/verdicts/:id/retract", async (c) => {
		const session = allowed(c, "verdict:retract");
		const verdict = await verdictParam(c);
		const form = await formValues(c);
		const version = versionOf(form.version) ?? 0;
		try {
			const outcome = await idempotent<string>(
				c.var.db,
				{ userId: session.user.id, key: form._idem, scope: `POST /desk/verdicts/${verdict.id}/retract` },
				async () => {
					const retracted = await retractChecked(
						c.var.db,
						deskActor(c),
						verdict.id,
						version,
						form.note ?? "",
					);
					c.executionCtx.waitUntil(purgeClaimCaches(retracted.claimId));
					const location = `/desk/claims/${verdict.claimId}?done=retracted`;
					return { kind: "store", result: { status: 303, location, body: null }, value: location };
				},
			);
			return c.redirect(outcome.replayed ? (outcome.result.location ?? "/desk") : outcome.value, 303);
		} catch (error) {
			const errors = storeFieldErrors(error);
			const state = { form: "retract" as const, verdictId: verdict.id, values: form };
			if (errors) return renderClaimPage(c, verdict.claimId, { state: { ...state, errors }, status: 422 });
			if (error instanceof AppError && error.status === 409) {
				return renderClaimPage(c, verdict.claimId, {
					state: { ...state, errors: {}, notice: fieldMessage(c.var.lang, error.message) },
					status: 409,
				});
			}
			throw error;
		}
	});
