import * as z from "zod";
import { idempotent } from "../../auth/idempotency";
import { mayEditReviewedClaim } from "../../auth/permissions";
import { addAppearance, editClaim, recordClaim, removeAppearance } from "../../commands/claims";
import { archiveAgain, archiveEvidenceAgain } from "../../commands/snapshots";
import { claimFingerprint } from "../../domain/fingerprint";
import { isId, newId } from "../../domain/ids";
import type { UiLanguage } from "../../domain/ratings";
import { SLUG_PATTERN } from "../../domain/slug";
import { quoteMarks } from "../../domain/typography";
import { AppError, notFound } from "../../lib/errors";
import { declareRoute } from "../../lib/route-declaration";
import { semanticIndexOf } from "../../lib/semantic-index";
import { languageTag } from "../../schemas/common";
import {
	appearanceInput,
	type ClaimEditInput,
	type ClaimInput,
	claimEditInput,
	claimInput,
} from "../../schemas/records";
import { appearanceRemovalInput } from "../../schemas/write-api";
import { type ClaimMatch, findMatches } from "../../store/claim-matches";
import { type ClaimDetail, getClaim, knownSpeakerOf, type RecordClaimResult } from "../../store/claims";
import { getSpeaker, getSpeakerBySlug, type SpeakerWithAliases, searchSpeakers } from "../../store/speakers";
import { ClaimFormPage, type DuplicateOffer } from "../../views/desk/claim-form";
import { deskMatchJson } from "../../views/desk/claim-matches";
import { type MessageKey, t } from "../../views/desk/desk-i18n";
import { ClaimEditPage } from "../../views/desk/edit-forms";
import type { FieldErrors } from "../../views/desk/fields";
import { fieldMessage } from "../../views/desk/labels";
import { chosenLanguage } from "../../views/desk/language-choice";
import {
	claimIdParam,
	isClaimNotFound,
	keptClaimOf,
	mergedMeanwhile,
	renderClaimPage,
	storeFieldErrors,
	versionOf,
} from "./claim-page";
import {
	allowed,
	chrome,
	type DeskContext,
	deskActor,
	deskCommand,
	deskFactory,
	type FormValues,
	formKey,
	formScope,
	formValues,
	keyReused,
	keyReusedPage,
	page,
	writeOnceAndRedirect,
} from "./context";
import { anchorFromForm, claimFromForm, formErrors, sameName, sourceFromForm } from "./forms";

function claimForm(
	c: DeskContext,
	values: Record<string, string>,
	options: {
		errors?: FieldErrors;
		duplicate?: DuplicateOffer | null;
		speakerChoices?: SpeakerWithAliases[] | null;
		matches?: ClaimMatch[] | null;
		status?: 200 | 409 | 422;
	} = {},
) {
	const session = allowed(c, "claim:create");
	// The speaker id is a hidden field the type-ahead fills: its problems belong beside
	// the name, and a rejected id is dropped so that sending the form again uses the name.
	const errors: FieldErrors = {};
	for (const [name, message] of Object.entries(options.errors ?? {})) {
		errors[name === "speaker.id" ? "speaker.name" : name] ??= message;
	}
	const shown = options.errors?.["speaker.id"] ? { ...values, "speaker.id": "" } : values;
	return page(
		c,
		<ClaimFormPage
			chrome={chrome(c)}
			csrf={session.csrfToken}
			idem={values._idem || formKey()}
			values={shown}
			errors={errors}
			duplicate={options.duplicate ?? null}
			speakerChoices={options.speakerChoices ?? null}
			matches={options.matches ?? null}
		/>,
		options.status ?? 200,
	);
}

/** The desk sees every claim, drafts and unreviewed ones included (unlike the public API). */
function deskMatches(c: DeskContext, text: string, language: string, excludeId?: string) {
	return findMatches(c.var.db, semanticIndexOf(c.env), {
		text,
		language,
		limit: 5,
		reviewedOnly: false,
		excludeId,
	});
}

/**
 * Before a new claim is recorded: when the matcher finds the same claim in other words,
 * the form comes back with it (and "add as appearance"), once; saving again records a
 * new claim. The very same words by the speaker the claim will have (or both by no one)
 * are left to recordClaim, which offers the appearance with its own notice; under another
 * spelling of the speaker, or of a claim without one, they stop once like other words.
 */
async function sameClaimFirst(
	c: DeskContext,
	form: Record<string, string>,
	input: Pick<ClaimInput, "text" | "language" | "speaker">,
): Promise<ClaimMatch[] | null> {
	if (form.matchesReviewed === "1") return null;
	const { matches } = await deskMatches(c, input.text, input.language);
	const same = matches.filter((m) => m.relation === "same");
	if (same.length === 0) return null;
	const words = await claimFingerprint(input.text);
	const speakerId = await knownSpeakerOf(c.var.db, input.speaker, {
		newSpeaker: form["speaker.choice"] === "new",
	});
	for (const match of same) {
		const { claim } = match.claim;
		if (claim.speakerId === speakerId && (await claimFingerprint(claim.text)) === words) return null;
	}
	return matches;
}

const PREFILLABLE = [
	"text",
	"language",
	"claimedAt",
	"context",
	"speaker.name",
	"speaker.id",
	"speaker.kind",
	"source.url",
	"source.title",
	"source.publisher",
	"source.author",
	"source.language",
	"source.publishedAt",
	"speakerIsSource",
	"anchor",
	"intake",
	"intakeSig",
	"intakeSkip",
	"intakeLanguage",
] as const;

/**
 * The article a claim was recorded from by "New from article" (its address, the language
 * the checker read it in, and the candidates skipped there), as query parameters of the
 * claim's page, which then offers the way back to the candidates. Only an http(s) address;
 * pasted text has no way back.
 */
function backToIntake(form: Record<string, string>): string {
	const url = form.intake?.trim() ?? "";
	if (!/^https?:\/\//i.test(url) || url.length > 2048) return "";
	const skip = (form.intakeSkip ?? "").replace(/[^0-9a-z,]/g, "").slice(0, 1000);
	const sig = (form.intakeSig ?? "").replace(/[^0-9a-f]/g, "").slice(0, 64);
	const language = (form.intakeLanguage ?? "").replace(/[^A-Za-z0-9-]/g, "").slice(0, 35);
	return `&${new URLSearchParams({
		intake: url,
		intakeSig: sig,
		...(language ? { intakeLanguage: language } : {}),
		...(skip ? { intakeSkip: skip } : {}),
	})}`;
}

/** Only the claim form's own fields, bounded: never the CSRF or idempotency fields. */
function prefill(query: Record<string, string>): Record<string, string> {
	const values: Record<string, string> = {};
	for (const name of PREFILLABLE) {
		const value = query[name];
		if (typeof value === "string") values[name] = value.slice(0, 20_000);
	}
	return values;
}

const deskMatchQuery = z.object({ text: z.string().trim().min(12).max(2000), language: languageTag });

/** Claim intake, the desk's claim page, and further appearances of a claim. */
export const deskClaimRoutes = deskFactory
	.createApp()
	// "New from article" opens this form prefilled through the query string.
	.get(
		"/new",
		declareRoute({ method: "GET", path: "/desk/claims/new", access: { session: "checker" } }),
		(c) => claimForm(c, prefill(c.req.query())),
	)
	.post(
		"/",
		declareRoute({ method: "POST", path: "/desk/claims", access: { session: "checker" } }),
		async (c) => {
			const session = allowed(c, "claim:create");
			const form = await formValues(c);
			const parsed = claimInput.safeParse(claimFromForm(form));
			if (!parsed.success) return claimForm(c, form, { errors: formErrors(parsed.error), status: 422 });
			const input = parsed.data;
			// Without the script nobody picked from suggestions: when several known speakers
			// carry the typed name, ask which one is meant instead of guessing.
			if (input.speaker && !("id" in input.speaker) && form["speaker.choice"] !== "new") {
				const name = input.speaker.name;
				const matches = (await searchSpeakers(c.var.db, name, 10)).filter((s) => sameName(s, name));
				if (matches.length > 1) {
					return claimForm(c, form, {
						errors: { "speaker.choice": "Choose the speaker you mean, or a new one." },
						speakerChoices: matches,
						status: 422,
					});
				}
			}
			// The claim's id is made first: where the form goes is known before the write.
			const id = newId();
			const location = `/desk/claims/${id}?done=claim-created${backToIntake(form)}`;
			try {
				const outcome = await idempotent<RecordClaimResult | { kind: "matches"; matches: ClaimMatch[] }>(
					c.var.db,
					{
						userId: session.user.id,
						key: form._idem,
						scope: await formScope(c, "POST /desk/claims"),
						waitUntil: (p) => c.executionCtx.waitUntil(p),
						ahead: { status: 303, location },
					},
					async () => {
						// Inside the idempotency key: a repeated submit replays the first answer.
						const matches = await sameClaimFirst(c, form, input);
						if (matches) return { kind: "pass", value: { kind: "matches", matches } };
						const result = await recordClaim(deskCommand(c), input, {
							newSpeaker: form["speaker.choice"] === "new",
							id,
						});
						if (result.kind === "duplicate") return { kind: "pass", value: result };
						return { kind: "store", result: { status: 303, location, body: null }, value: result };
					},
				);
				if (outcome.replayed) return c.redirect(outcome.result.location ?? "/desk", 303);
				const result = outcome.value;
				if (result.kind === "matches") {
					return claimForm(c, { ...form, matchesReviewed: "1" }, { matches: result.matches, status: 409 });
				}
				if (result.kind === "duplicate") {
					return claimForm(c, form, {
						duplicate: { claimId: result.claimId, sameSource: result.sameSource, idem: formKey() },
						status: 409,
					});
				}
				return c.redirect(location, 303);
			} catch (error) {
				if (keyReused(error)) return keyReusedPage(c);
				const errors = storeFieldErrors(error);
				if (errors) return claimForm(c, form, { errors, status: 422 });
				// Namesakes the question above did not find (a name in German spelling): asked now.
				if (error instanceof AppError && error.code === "speaker-ambiguous") {
					const ids = (error.extra.candidates as { id: string }[]).map((candidate) => candidate.id);
					const choices = await Promise.all(ids.map((id) => getSpeaker(c.var.db, id)));
					return claimForm(c, form, {
						errors: { "speaker.choice": "Choose the speaker you mean, or a new one." },
						speakerChoices: choices.filter((speaker) => speaker !== undefined),
						status: 422,
					});
				}
				throw error;
			}
		},
	)
	.get(
		"/matches",
		declareRoute({
			method: "GET",
			path: "/desk/claims/matches",
			access: { session: "checker" },
			reason: "the claim form's matches as the quote is typed",
		}),
		async (c) => {
			const parsed = deskMatchQuery.safeParse(c.req.query());
			if (!parsed.success) return c.json({ data: [] });
			const { matches } = await deskMatches(c, parsed.data.text, parsed.data.language);
			return c.json({ data: matches.map((m) => deskMatchJson(m, c.var.lang)) });
		},
	)
	.get(
		"/:id/edit",
		declareRoute({ method: "GET", path: "/desk/claims/:id/edit", access: { session: "claim:edit" } }),
		async (c) => {
			const claimId = claimIdParam(c);
			const claim = await getClaim(c.var.db, claimId);
			// Merged: the kept claim's form; removed: 410.
			if (!claim) return c.redirect(`/desk/claims/${await keptClaimOf(c, claimId, false)}/edit`, 302);
			return claimEditForm(c, claim, claimEditValues(claim));
		},
	)
	.post(
		"/:id/edit",
		declareRoute({ method: "POST", path: "/desk/claims/:id/edit", access: { session: "claim:edit" } }),
		async (c) => {
			const claimId = claimIdParam(c);
			const claim = await getClaim(c.var.db, claimId);
			const form = await formValues(c);
			if (!claim) return editOnKeptClaim(c, claimId, form);
			const parsed = claimEditInput.safeParse(claimEditFromForm(form, claim));
			if (!parsed.success)
				return claimEditForm(c, claim, form, { errors: formErrors(parsed.error), status: 422 });
			const speaker = await speakerOfEdit(c, parsed.data.speaker);
			if ("error" in speaker)
				return claimEditForm(c, claim, form, { errors: { "speaker.name": speaker.error }, status: 422 });
			const input = {
				...parsed.data,
				...(speaker.speaker === undefined ? {} : { speaker: speaker.speaker }),
			};
			try {
				const edit = async () => {
					await editClaim(deskCommand(c), claim.id, input);
				};
				return await writeOnceAndRedirect(c, form, edit, `/desk/claims/${claim.id}?done=claim-edited`);
			} catch (error) {
				const errors = storeFieldErrors(error);
				if (errors) return claimEditForm(c, claim, form, { errors, status: 422 });
				if (isClaimNotFound(error)) return editOnKeptClaim(c, claim.id, form);
				// A verdict was published while a checker's form was open: the page says who may
				// change the claim, and offers what they typed as a note for an editor.
				if (error instanceof AppError && error.status === 403) {
					const current = (await getClaim(c.var.db, claim.id)) ?? claim;
					return claimEditForm(c, current, form, {
						notice: fieldMessage(c.var.lang, error.message),
						suggestion: editSuggestion(c.var.lang, form, claim),
						status: 403,
					});
				}
				if (error instanceof AppError && error.status === 409) {
					// Someone saved first: the form now holds their saved claim, with this user's
					// own changes on top, and says which fields the other save changed.
					const current = (await getClaim(c.var.db, claim.id)) ?? claim;
					const fresh = claimEditValues(current);
					const merged = mergeEditForm(form, fresh);
					const lang = c.var.lang;
					const label = (field: EditField) => editFieldLabel(lang, field);
					const [open, close] = quoteMarks(lang);
					const theirs = merged.changedMeanwhile.filter((field) => !merged.bothChanged.includes(field));
					return claimEditForm(c, current, merged.values, {
						notice: [
							fieldMessage(lang, error.message),
							theirs.length > 0
								? `${t(lang, "deskEditChangedMeanwhile")} ${theirs.map(label).join(", ")}.`
								: "",
							// Both changed it: the form keeps this user's value, so theirs is shown here.
							...merged.bothChanged.map(
								(field) =>
									`${t(lang, "deskEditBothChanged", { field: label(field) })} ${open}${fresh[field] ?? ""}${close}.`,
							),
						]
							.filter(Boolean)
							.join(" "),
						status: 409,
					});
				}
				throw error;
			}
		},
	)
	.get(
		"/:id",
		declareRoute({
			method: "GET",
			path: "/desk/claims/:id",
			access: { session: "checker" },
			reason: "shows drafts",
		}),
		async (c) => renderClaimPage(c, claimIdParam(c)),
	)
	.post(
		"/:id/appearances",
		declareRoute({ method: "POST", path: "/desk/claims/:id/appearances", access: { session: "checker" } }),
		async (c) => {
			allowed(c, "claim:add-appearance");
			const claimId = claimIdParam(c);
			const claim = await getClaim(c.var.db, claimId);
			const form = await formValues(c);
			// The appearance form sends `quote`; the claim form's "add as appearance" sends its
			// `text`, which a re-shown appearance form must hold as its quote.
			const values = { ...form, quote: form.quote ?? form.text ?? "" };
			// Merged meanwhile: the kept claim's appearance form holds the input; removed: 410.
			const gone = () =>
				renderClaimPage(c, claimId, { state: { form: "appearance", values, errors: {} }, status: 409 });
			if (!claim) return gone();
			const quote = values.quote.trim();
			const parsed = appearanceInput.safeParse({
				source: sourceFromForm(form),
				// The same words as the claim need not be stored twice.
				quote: quote === claim.text ? null : quote,
				// "Add as appearance" from a claim form opened by "New from article" carries its anchor.
				anchor: anchorFromForm(form),
			});
			const reshow = (errors: FieldErrors, status: 409 | 422, notice?: string) =>
				renderClaimPage(c, claimId, {
					state: { form: "appearance", values, errors, ...(notice ? { notice } : {}) },
					status,
				});
			if (!parsed.success) return reshow(formErrors(parsed.error), 422);
			try {
				return await writeOnceAndRedirect(
					c,
					form,
					async () => {
						await addAppearance(deskCommand(c), claimId, parsed.data);
					},
					// From "New from article" (this form or the claim form's "same" stop): the way back.
					`/desk/claims/${claimId}?done=appearance-added${backToIntake(form)}`,
				);
			} catch (error) {
				const errors = storeFieldErrors(error);
				if (errors) return reshow(errors, 422);
				if (isClaimNotFound(error)) return gone();
				if (error instanceof AppError && error.status === 409) {
					return reshow({}, 409, fieldMessage(c.var.lang, error.message));
				}
				throw error;
			}
		},
	)
	.post(
		"/:id/appearances/:appearanceId/remove",
		declareRoute({
			method: "POST",
			path: "/desk/claims/:id/appearances/:appearanceId/remove",
			access: { session: "claim:edit" },
		}),
		(c) => removeAppearanceForm(c),
	)
	.post(
		"/:id/appearances/:appearanceId/archive",
		declareRoute({
			method: "POST",
			path: "/desk/claims/:id/appearances/:appearanceId/archive",
			access: { session: "claim:add-appearance" },
		}),
		(c) => archiveAgainForm(c),
	)
	.post(
		"/:id/evidence/archive",
		declareRoute({
			method: "POST",
			path: "/desk/claims/:id/evidence/archive",
			access: { session: "claim:add-appearance" },
		}),
		(c) => archiveEvidenceAgainForm(c),
	);

/**
 * "Archive again" beside a verdict's evidence link (commands/snapshots `archiveEvidenceAgain`):
 * the form sends the link (`url`) and the verdict it is shown under (`verdictId`, where the
 * page lands and says a refusal). Refused as the appearance's: the claim page again.
 */
async function archiveEvidenceAgainForm(c: DeskContext): Promise<Response> {
	allowed(c, "claim:add-appearance");
	const claimId = claimIdParam(c);
	const form = await formValues(c);
	const url = form.url ?? "";
	const verdictId = isId(form.verdictId) ? form.verdictId : null;
	const anchor = verdictId ? `#verdict-${verdictId}` : "";
	// Not `verdictId` in the state: the refusal is said beside the link, not as a verdict step's.
	const to = `/desk/claims/${claimId}?done=evidence-archive-requested${anchor}`;
	return askToArchiveAgain(c, claimId, form, { evidence: { url, verdictId: verdictId ?? "" } }, to, () =>
		archiveEvidenceAgain(deskCommand(c), claimId, url),
	);
}

/**
 * "Archive again": a new copy of an appearance's source whose copy failed with no try due
 * (commands/snapshots `archiveAgain`). Refused while a copy is being fetched, a retry is due
 * or a copy is under a day old: the claim page again, saying so beside the source.
 */
async function archiveAgainForm(c: DeskContext): Promise<Response> {
	allowed(c, "claim:add-appearance");
	const claimId = claimIdParam(c);
	const appearanceId = c.req.param("appearanceId") ?? "";
	if (!isId(appearanceId)) throw notFound("appearance");
	const form = await formValues(c);
	const to = `/desk/claims/${claimId}?done=archive-requested#appearance-${appearanceId}`;
	return askToArchiveAgain(c, claimId, form, { appearanceId }, to, () =>
		archiveAgain(deskCommand(c), claimId, appearanceId),
	);
}

/**
 * Either "Archive again": the command once (a repeat of the form lands where the first did),
 * its refusal (not due) the claim page again with the notice beside the link `where` names,
 * a claim merged meanwhile the claim kept's page (nothing was asked), one removed its 410.
 */
async function askToArchiveAgain(
	c: DeskContext,
	claimId: string,
	form: FormValues,
	where: { appearanceId: string } | { evidence: { url: string; verdictId: string } },
	/** Where a request goes once asked. */
	to: string,
	ask: () => Promise<unknown>,
): Promise<Response> {
	try {
		const asked = async () => {
			await ask();
		};
		return await writeOnceAndRedirect(c, form, asked, to);
	} catch (error) {
		if (error instanceof AppError && error.code === "archive-not-due") {
			return renderClaimPage(c, claimId, {
				state: {
					form: "archive-again",
					...where,
					values: form,
					errors: {},
					notice: t(c.var.lang, "deskArchiveNotDue"),
				},
				status: 409,
			});
		}
		if (isClaimNotFound(error)) return c.redirect(`/desk/claims/${await keptClaimOf(c, claimId)}`, 303);
		throw error;
	}
}

/**
 * "Remove this appearance": confirmed by a box checked here (one click removed it for good),
 * at the claim's version the page showed. Every refusal re-shows the claim page with the
 * form open and why; a removal goes back to the page with a flash.
 */
async function removeAppearanceForm(c: DeskContext): Promise<Response> {
	allowed(c, "claim:edit");
	const claimId = claimIdParam(c);
	const appearanceId = c.req.param("appearanceId") ?? "";
	if (!isId(appearanceId)) throw notFound("appearance");
	const form = await formValues(c);
	const reshow = (errors: FieldErrors, status: 403 | 409 | 422, notice?: string) =>
		renderClaimPage(c, claimId, {
			state: { form: "remove-appearance", appearanceId, values: form, errors, ...(notice ? { notice } : {}) },
			status,
		});
	if (form.confirm !== "1") return reshow({ confirm: t(c.var.lang, "deskRemoveAppearanceUnconfirmed") }, 422);
	const parsed = appearanceRemovalInput.safeParse({ version: versionOf(form.version), note: form.note });
	if (!parsed.success) {
		const errors = formErrors(parsed.error);
		// No version: a form not from this page; the note's error shows at the field.
		return reshow(errors, 422, errors.version ? fieldMessage(c.var.lang, errors.version) : undefined);
	}
	try {
		return await writeOnceAndRedirect(
			c,
			form,
			async () => {
				await removeAppearance(deskCommand(c), claimId, appearanceId, {
					version: parsed.data.version,
					note: parsed.data.note ?? null,
				});
			},
			`/desk/claims/${claimId}?done=appearance-removed`,
		);
	} catch (error) {
		const errors = storeFieldErrors(error);
		if (errors) return reshow(errors, 422);
		// A verdict published meanwhile (403), a newer version (409), the last appearance (422).
		if (error instanceof AppError && (error.status === 403 || error.status === 409 || error.status === 422)) {
			return reshow({}, error.status, fieldMessage(c.var.lang, error.message));
		}
		throw error;
	}
}

/**
 * The speaker the edit form names. A speaker's address (`andreas-schmidt-2`) is that
 * speaker; a name several known speakers carry is a question, as on the create form,
 * not a new namesake made without asking; any other name is resolved as ever.
 */
async function speakerOfEdit(
	c: DeskContext,
	speaker: ClaimEditInput["speaker"],
): Promise<{ speaker: ClaimEditInput["speaker"] } | { error: string }> {
	if (!speaker || "id" in speaker) return { speaker };
	const typed = speaker.name.trim();
	if (SLUG_PATTERN.test(typed)) {
		const bySlug = await getSpeakerBySlug(c.var.db, typed);
		if (bySlug) return { speaker: { id: bySlug.id } };
	}
	const namesakes = (await searchSpeakers(c.var.db, typed, 10)).filter((s) => sameName(s, typed));
	if (namesakes.length < 2) return { speaker };
	const addresses = namesakes.map((s) => s.slug).join(", ");
	return {
		error: `Several speakers are called ${typed}: type the address of the one you mean (${addresses}).`,
	};
}

/** The claim's fields on the edit form; each also as `was.<field>`, what the form was loaded with. */
const EDIT_FIELDS = ["text", "claimedAt", "language", "context", "speaker.name"] as const;
type EditField = (typeof EDIT_FIELDS)[number];

function claimEditValues(claim: ClaimDetail): Record<string, string> {
	const values: Record<EditField, string> = {
		text: claim.text,
		claimedAt: claim.claimedAt ?? "",
		language: claim.language,
		context: claim.context ?? "",
		"speaker.name": claim.speaker?.name ?? "",
	};
	return {
		version: String(claim.version),
		...values,
		...Object.fromEntries(EDIT_FIELDS.map((field) => [`was.${field}`, values[field]])),
	};
}

/** Browsers send line breaks as CRLF; the claim stores LF. */
const norm = (value: string | undefined) => (value ?? "").replace(/\r\n?/g, "\n").trim();

/** A field's value as typed (the language picked or written under "other"). */
function typed(form: Record<string, string>, field: EditField): string {
	return norm(field === "language" ? chosenLanguage(form) : form[field]);
}

/**
 * The fields this user changed: those that differ from what their form was loaded with.
 * Comparing with the claim as it is now instead made a form opened before a colleague's
 * save send the colleague's fields back as they were, undoing that save unseen.
 */
function changedByUser(form: Record<string, string>, claim: ClaimDetail): Set<EditField> {
	const loaded = claimEditValues(claim);
	return new Set(
		EDIT_FIELDS.filter((field) => typed(form, field) !== norm(form[`was.${field}`] ?? loaded[field])),
	);
}

/** Only the fields this user changed are sent to the command: an unchanged form changes nothing. */
function claimEditFromForm(form: Record<string, string>, claim: ClaimDetail) {
	const changed = changedByUser(form, claim);
	const speakerName = typed(form, "speaker.name");
	return {
		version: Number(form.version),
		...(changed.has("text") ? { text: form.text ?? "" } : {}),
		...(changed.has("claimedAt") ? { claimedAt: form.claimedAt ?? "" } : {}),
		...(changed.has("language") ? { language: chosenLanguage(form) } : {}),
		...(changed.has("context") ? { context: form.context ?? "" } : {}),
		...(changed.has("speaker.name") ? { speaker: speakerName ? { name: speakerName } : null } : {}),
		note: form.note ?? "",
	};
}

/**
 * After a version conflict: the claim as now saved, with this user's own changes (and
 * note) on top, loaded afresh (`was.*`, version); and the fields the other save changed.
 */
function mergeEditForm(form: Record<string, string>, fresh: Record<string, string>) {
	const values: Record<string, string> = { ...fresh, note: form.note ?? "", _idem: form._idem ?? "" };
	for (const field of EDIT_FIELDS) {
		if (typed(form, field) === norm(form[`was.${field}`] ?? fresh[field])) continue;
		values[field] = form[field] ?? "";
		if (field === "language") values.languageOther = form.languageOther ?? "";
	}
	const changedMeanwhile = EDIT_FIELDS.filter(
		(field) => form[`was.${field}`] !== undefined && norm(fresh[field]) !== norm(form[`was.${field}`]),
	);
	const bothChanged = changedMeanwhile.filter(
		(field) => typed(form, field) !== norm(form[`was.${field}`]) && typed(form, field) !== norm(fresh[field]),
	);
	return { values, changedMeanwhile, bothChanged };
}

/**
 * An edit posted for a claim merged into another meanwhile (removed: 410): the kept claim's
 * form, with this user's changes on top, loaded afresh, and a notice that nothing was saved;
 * for a user who may not edit that claim, their changes as a note for an editor.
 */
async function editOnKeptClaim(c: DeskContext, goneId: string, form: Record<string, string>) {
	const kept = await getClaim(c.var.db, await keptClaimOf(c, goneId));
	if (!kept) throw notFound("claim");
	const { values } = mergeEditForm(form, claimEditValues(kept));
	return claimEditForm(c, kept, values, {
		notice: mergedMeanwhile(c, goneId),
		suggestion: editSuggestion(c.var.lang, form, kept),
		status: 409,
	});
}

/**
 * The changes this user typed, and why, as a note for an editor: for a user who may not
 * save them (the claim has a public verdict now), so that nothing typed is lost.
 */
function editSuggestion(lang: UiLanguage, form: Record<string, string>, claim: ClaimDetail): string {
	const [open, close] = quoteMarks(lang);
	const lines = [...changedByUser(form, claim)].map(
		(field) => `${editFieldLabel(lang, field)}: ${open}${typed(form, field)}${close}`,
	);
	const note = norm(form.note);
	if (note) lines.push(`${t(lang, "deskEditNote")}: ${note}`);
	return [t(lang, "deskEditSuggestion"), ...lines].join("\n");
}

function editFieldLabel(lang: UiLanguage, field: EditField): string {
	const keys = {
		text: "deskQuote",
		claimedAt: "deskClaimedAt",
		language: "deskClaimLanguage",
		context: "deskEditFieldContext",
		"speaker.name": "deskEditFieldSpeaker",
	} as const satisfies Record<EditField, MessageKey>;
	return t(lang, keys[field]);
}

function claimEditForm(
	c: DeskContext,
	claim: ClaimDetail,
	values: Record<string, string>,
	options: {
		errors?: FieldErrors;
		notice?: string;
		/** What a user who may not edit it typed, offered as a note for an editor. */
		suggestion?: string;
		status?: 200 | 403 | 409 | 422;
	} = {},
) {
	const session = allowed(c, "claim:edit");
	const reviewed = claim.verdicts.some((v) => v.state !== "draft");
	return page(
		c,
		<ClaimEditPage
			chrome={chrome(c, `/desk/claims/${claim.id}/edit`)}
			csrf={session.csrfToken}
			idem={values._idem || formKey()}
			claimId={claim.id}
			reviewed={reviewed}
			mayEdit={!reviewed || mayEditReviewedClaim(deskActor(c))}
			values={values}
			errors={options.errors ?? {}}
			notice={options.notice ?? null}
			suggestion={options.suggestion ? { text: options.suggestion, idem: formKey() } : null}
		/>,
		options.status ?? 200,
	);
}
