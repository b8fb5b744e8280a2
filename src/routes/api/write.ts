import type { Context } from "hono";
import * as z from "zod";
import { tokenActor } from "../../auth/api-tokens";
import { addAppearance, recordClaim } from "../../commands/claims";
import { commandContext } from "../../commands/context";
import {
	discardDraft,
	draftVerdict,
	publishVerdict,
	retractVerdict,
	saveDraft,
} from "../../commands/verdicts";
import type { Verdict } from "../../db/schema";
import { factory } from "../../factory";
import { AppError, conflict, notFound } from "../../lib/errors";
import { publicOrigin } from "../../lib/public-origin";
import { house } from "../../lib/publisher";
import { declareRoute } from "../../lib/route-declaration";
import { actionBody, id, noQuery, putBody } from "../../schemas/common";
import { problemOr } from "../../schemas/problem";
import { claimDetailJson } from "../../schemas/public-api";
import { appearanceInput, claimInput } from "../../schemas/records";
import {
	appearanceJson,
	claimGoneResponses,
	claimOfAnotherCheckerProblem,
	claimWordsChangedProblem,
	discardInput,
	draftExistsProblem,
	duplicateClaimProblem,
	editableVerdictJson,
	publishInput,
	retractInput,
	verdictCreateInput,
	verdictUpdateInput,
} from "../../schemas/write-api";
import { getAppearance } from "../../store/appearances";
import { type ClaimDetail, type DuplicateMatch, getClaim } from "../../store/claims";
import { draftFacts } from "../../store/draft-words";
import { getVerdict } from "../../store/verdicts";
import { claimDetailToJson } from "../../views/json";
import { appearanceToJson, verdictToWriteJson } from "../../views/write-json";
import { created } from "./created";

/**
 * Token-authenticated writes (`Authorization: Bearer`). The same zod schemas as the
 * desk forms; errors are problem+json; the token's scopes AND its owner's role must
 * allow each action. No CORS: these are for servers and scripts, not other sites'
 * pages (the entry mounts this router before the public one, whose CORS middleware
 * therefore never sees a write).
 */

const tags = ["Write API"];

const idParam = z.object({ id });

function json(c: Context, status: 200, body: unknown) {
	return c.body(JSON.stringify(body), status, {
		"Content-Type": "application/json; charset=utf-8",
		"Cache-Control": "no-store",
	});
}

/**
 * A 409 `draft-exists` with the open draft's addresses: the write API's (to read, save
 * or discard it) and the desk's (to open it in a browser).
 */
function withDraftLinks(error: unknown, origin: string): unknown {
	if (!(error instanceof AppError) || error.code !== "draft-exists") return error;
	const draftId = error.extra.draftId;
	if (typeof draftId !== "string") return error;
	return conflict(error.message, "draft-exists", {
		...error.extra,
		draft: `${origin}/api/v1/verdicts/${draftId}`,
		desk: `${origin}/desk/verdicts/${draftId}/edit`,
	});
}

/** What a `duplicate-claim` says, by what the claim repeats (store/claims `DuplicateMatch`). */
const DUPLICATE_DETAIL: Record<DuplicateMatch, (claimId: string) => string> = {
	quote: () => "This quote of this speaker is recorded already.",
	externalId: () => "A claim with this externalId is recorded already.",
	"merged-quote": (id) =>
		`This quote of this speaker is recorded already: its claim was merged into claim ${id}.`,
	"merged-externalId": (id) => `The claim with this externalId was merged into claim ${id}.`,
};

export const writeApi = factory
	.createApp()
	.post(
		"/claims",
		declareRoute({
			method: "POST",
			path: "/api/v1/claims",
			access: { token: "claim:create" },
			idempotent: true,
			body: claimInput,
			doc: {
				summary: "Record a claim with its speaker and first source",
				description:
					"Send an `Idempotency-Key` header to make retries safe: a repeat answers the first answer (`Idempotent-Replayed: true`), unless the claim was removed since: then it is a 410 `claim-removed` with `removedAt`, as every write route answers a removed claim, and the answer kept for repeats is emptied by the removal. Also with `PUBLIC_UNREVIEWED = \"hide\"`, where the claim's GET answers 404 for a removed claim that was never public: the repeat comes from the token that recorded it. The source is matched by canonical URL (a source recorded already keeps its fields; its `archivedUrl` is set from the request only when it has none, else the stored one stays) and the speaker by name or alias; a name two or more speakers carry is a 409 `speaker-ambiguous` listing them (`candidates`: `id`, `slug`, `name`): send the `id` of the one meant. The same quote from the same speaker, or the same `externalId`, is a 409 `duplicate-claim` naming the existing claim: add an appearance to it instead. As in imports, a claim merged into another is that claim: its `externalId`, and its quote by its speaker or the kept claim's, name the claim kept; a removed claim's `externalId` is a 409 `claim-removed` (`removedAt`), never recorded again.",
				tags,
				responses: {
					201: { description: "The new claim", schema: claimDetailJson },
					409: {
						description:
							"The same quote of the same speaker, or the same `externalId`, is recorded already (`duplicate-claim`, naming it, or the claim a merged one went into); several speakers carry the speaker's name (`speaker-ambiguous`, with their `candidates`); a removed claim had this `externalId` (`claim-removed`); or the first request with this `Idempotency-Key` failed (`idempotency-retry`) or is still running (`idempotency-pending`)",
						schema: problemOr(duplicateClaimProblem),
					},
					410: {
						description:
							"A repeat with this `Idempotency-Key` of a create whose claim was removed since (`claim-removed`), saying when",
						members: { removedAt: "When the claim was removed." },
					},
				},
			},
		}),
		(c) => {
			const origin = publicOrigin(c);
			const answer = (claim: ClaimDetail) =>
				claimDetailToJson(origin, claim, c.var.lang, house(c.env, origin));
			return created(
				c,
				{ scope: "POST /api/v1/claims", body: c.req.valid("json") },
				{
					at: (id) => ({ location: `${origin}/api/v1/claims/${id}`, claimId: id }),
					write: async (_caller, id) => {
						const ctx = commandContext(c.var, tokenActor(c.var));
						const result = await recordClaim(ctx, c.req.valid("json"), { id });
						if (result.kind === "duplicate") {
							throw conflict(DUPLICATE_DETAIL[result.match](result.claimId), "duplicate-claim", {
								claimId: result.claimId,
								claim: `${origin}/api/v1/claims/${result.claimId}`,
								addAppearance: `${origin}/api/v1/claims/${result.claimId}/appearances`,
								sameSource: result.sameSource,
							});
						}
						return { body: answer(result.claim) };
					},
					readBack: async (id) => {
						const claim = await getClaim(c.var.db, id);
						return claim ? answer(claim) : null;
					},
					what: "claim",
				},
			);
		},
	)
	.post(
		"/claims/:id/appearances",
		declareRoute({
			method: "POST",
			path: "/api/v1/claims/:id/appearances",
			access: { token: "claim:add-appearance" },
			idempotent: true,
			params: idParam,
			body: appearanceInput,
			doc: {
				summary: "Add another source a claim appears in",
				description:
					"The source is matched by canonical URL: a source recorded already keeps its fields, and its `archivedUrl` is set from the request only when it has none (else the stored one stays; `GET /api/v1/sources/{id}` shows it).",
				tags,
				// An appearance has no address of its own.
				location: "The claim's address, where the new appearance is listed",
				responses: {
					201: { description: "The new appearance", schema: appearanceJson },
					...claimGoneResponses(),
				},
			},
		}),
		(c) => {
			const origin = publicOrigin(c);
			const claimId = c.req.valid("param").id;
			return created(
				c,
				{ scope: `POST /api/v1/claims/${claimId}/appearances`, body: c.req.valid("json") },
				{
					at: () => ({ location: `${origin}/api/v1/claims/${claimId}`, claimId }),
					write: async (_caller, id) => {
						const ctx = commandContext(c.var, tokenActor(c.var));
						const appearance = await addAppearance(ctx, claimId, c.req.valid("json"), id);
						return { body: appearanceToJson(origin, appearance) };
					},
					readBack: async (id) => {
						const appearance = await getAppearance(c.var.db, id);
						return appearance ? appearanceToJson(origin, appearance) : null;
					},
					what: "appearance",
				},
			);
		},
	)
	.post(
		"/claims/:id/verdicts",
		declareRoute({
			method: "POST",
			path: "/api/v1/claims/:id/verdicts",
			access: { token: "verdict:draft" },
			idempotent: true,
			params: idParam,
			body: verdictCreateInput,
			doc: {
				summary: "Draft a verdict on a claim",
				description:
					"A draft puts an unverified claim in review. It is being written (`reviewState` `writing`) until its writer submits it for review (`POST /api/v1/verdicts/{id}/submit`), which puts it in the editors' review queue. Publishing is a separate step for an editor. A claim has one open draft at a time: while one is open, another is a 409 `draft-exists` naming it (`draftId`, `draft` in this API, `desk` in the desk); edit it or discard it (`DELETE /api/v1/verdicts/{id}`) instead. A checker's token drafts only on a claim assigned to the checker or to nobody (a draft goes with its claim: its assignee writes it); on another's, also one handed over while the request ran, it is a 403 `claim-of-another-checker` naming the assignee (one whose account is disabled holds a published claim until an editor assigns it on, and the `detail` says so). An editor's drafts on any claim. With `wordsRead` (the claim's words the client read: a draft's answer or a 409 `claim-words-changed` names them as `claimChange`), words changed after them (the claim's text, speaker or date of the statement) are a 409 `claim-words-changed` listing them, and nothing is drafted; without it, the draft is written on the claim's words as they are when it lands.",
				tags,
				responses: {
					201: { description: "The new draft", schema: editableVerdictJson },
					403: {
						description:
							"A checker's token, on a claim assigned to another checker (`claim-of-another-checker`, naming them in `assignee`); or the token's scopes, or its owner's role, do not allow this",
						schema: problemOr(claimOfAnotherCheckerProblem),
					},
					...claimGoneResponses({
						description:
							"The claim has an open draft already (`draft-exists`, naming it); the claim's words were changed after the `wordsRead` sent (`claim-words-changed`, with the `changes` and the words now, `claimChange`); or the first request with this `Idempotency-Key` failed (`idempotency-retry`) or is still running (`idempotency-pending`)",
						schema: problemOr(z.union([draftExistsProblem, claimWordsChangedProblem])),
					}),
				},
			},
		}),
		(c) => {
			const origin = publicOrigin(c);
			const claimId = c.req.valid("param").id;
			const answer = async (verdict: Verdict) =>
				verdictToWriteJson(origin, verdict, await draftFacts(c.var.db, verdict));
			return created(
				c,
				{ scope: `POST /api/v1/claims/${claimId}/verdicts`, body: c.req.valid("json") },
				{
					at: (id) => ({ location: `${origin}/api/v1/verdicts/${id}`, claimId }),
					write: async (_caller, id) => {
						const ctx = commandContext(c.var, tokenActor(c.var));
						const { wordsRead, ...input } = c.req.valid("json");
						const words = wordsRead === undefined ? {} : { wordsSeen: wordsRead };
						const verdict = await draftVerdict(ctx, claimId, input, { id, ...words }).catch(
							(error: unknown) => {
								throw withDraftLinks(error, origin);
							},
						);
						return { body: await answer(verdict) };
					},
					readBack: async (id) => {
						const verdict = await getVerdict(c.var.db, id);
						return verdict ? answer(verdict) : null;
					},
					what: "verdict",
				},
			);
		},
	)
	.get(
		"/verdicts/:id",
		declareRoute({
			method: "GET",
			path: "/api/v1/verdicts/:id",
			access: { token: "verdict:read" },
			params: idParam,
			query: noQuery,
			doc: {
				summary: "One verdict in any state, drafts included, with its version for editing",
				tags,
				responses: {
					200: { description: "The verdict", schema: editableVerdictJson },
					404: { description: "No such verdict" },
				},
			},
		}),
		async (c) => {
			const verdict = await getVerdict(c.var.db, c.req.valid("param").id);
			if (!verdict) throw notFound("verdict");
			return json(c, 200, verdictToWriteJson(publicOrigin(c), verdict, await draftFacts(c.var.db, verdict)));
		},
	)
	.put(
		"/verdicts/:id",
		declareRoute({
			method: "PUT",
			path: "/api/v1/verdicts/:id",
			access: { token: "verdict:edit-draft" },
			params: idParam,
			body: putBody(verdictUpdateInput.strict(), editableVerdictJson),
			doc: {
				summary: "Save a draft verdict at the version you last read",
				description:
					"The body is the whole draft: `summary`, `body` or `evidence` left out is cleared, and a field the draft does not have is a 422 naming it (a misspelt `sumary` clears nothing); the verdict's own answer, read-only fields and all, may be sent back changed. An outdated `version` is a 409 `version-conflict` with the `current` version: nothing is saved (read it again and retry). A verdict that is no longer a draft (published meanwhile) is a 409 `not-a-draft`, which no retry resolves: draft a correction instead. A save keeps the draft's review state: a submitted draft stays in the review queue, a returned one stays `changes-requested` until it is submitted again. A checker's token saves only a draft the checker writes: a draft is written by whoever holds its claim, on a claim held by nobody by its last writer; another's, also one handed over while the request ran, is a 403 and nothing is saved. An editor's saves any. The claim's words a save is made on: with `wordsRead` (the draft's answer names them as `claimChange`, which a client copies to `wordsRead` once the verdict was checked against them), those the client read, and the draft rates the claim's words as they are (words changed after them are a 409 `claim-words-changed` listing them, nothing saved); without it (an autosave, a sync, the answer sent back whole: its `claimChange` is read-only and ignored), no words read are named, and the draft keeps the words it was last saved on: one marked because the claim was reworded since (`claimChangesSinceSaved`) stays marked, and unpublished, until a save sends `wordsRead`.",
				tags,
				responses: {
					200: { description: "The saved draft", schema: editableVerdictJson },
					409: {
						description:
							"The draft was saved since the `version` sent (`version-conflict`); it is no longer a draft (`not-a-draft`); or the claim's words were changed after the `wordsRead` sent (`claim-words-changed`, with the `changes` and the words now, `claimChange`): nothing was saved",
						schema: problemOr(claimWordsChangedProblem),
					},
				},
			},
		}),
		async (c) => {
			const { version: expected, wordsRead, ...input } = c.req.valid("json");
			const ctx = commandContext(c.var, tokenActor(c.var));
			const words = wordsRead === undefined ? {} : { wordsSeen: wordsRead };
			const verdict = await saveDraft(ctx, c.req.valid("param").id, expected, input, words);
			return json(c, 200, verdictToWriteJson(publicOrigin(c), verdict, await draftFacts(c.var.db, verdict)));
		},
	)
	.delete(
		"/verdicts/:id",
		declareRoute({
			method: "DELETE",
			path: "/api/v1/verdicts/:id",
			access: { token: "verdict:edit-draft" },
			params: idParam,
			body: actionBody(discardInput),
			doc: {
				summary: "Discard a draft verdict at the version you last read",
				description:
					"Deletes an open draft, which was never public (a checker's token only the drafts the checker writes: a draft is written by whoever holds its claim, on a claim held by nobody by its last writer, and another's, also one handed over while the request ran, is a 403; an editor's any). Like every write it carries a JSON body, `{\"version\": n}`: a draft saved since you read it is kept and the answer is a 409 `version-conflict`. The draft's content stays in the audit log. When it was the claim's only draft and the claim has no published verdict, the claim goes back from `in-review` to `unverified`; a retracted claim stays retracted. A verdict that is not a draft (published, superseded, retracted) is a 409 `not-a-draft`: retract it or draft a correction instead.",
				tags,
				responses: {
					204: { description: "The draft is discarded" },
					404: { description: "No such verdict" },
					409: {
						description:
							"The verdict is not a draft (`not-a-draft`), or was saved since the version sent (`version-conflict`)",
					},
				},
			},
		}),
		async (c) => {
			const ctx = commandContext(c.var, tokenActor(c.var));
			await discardDraft(ctx, c.req.valid("param").id, c.req.valid("json").version);
			return c.body(null, 204, { "Cache-Control": "no-store" });
		},
	)
	.post(
		"/verdicts/:id/publish",
		declareRoute({
			method: "POST",
			path: "/api/v1/verdicts/:id/publish",
			access: { token: "verdict:publish" },
			params: idParam,
			body: actionBody(publishInput),
			doc: {
				summary: "Publish a draft (editors)",
				description:
					"Sets the claim's status to the rating. When the claim has a published verdict this is a correction: the old one is superseded (and stays readable) and `correctionNote` is required; a `correctionNote` with none in force (retracted meanwhile) is a 409, never a new verdict without the note. Needs at least one evidence link.",
				tags,
				responses: {
					200: { description: "The published verdict", schema: editableVerdictJson },
					409: {
						description:
							"The draft was saved since the `version` sent (`version-conflict`: read it again and retry); it is no longer a draft, published meanwhile (`not-a-draft`); the verdict in force is not the one `supersedes` named, or a `correctionNote` was sent and no verdict is in force (`current-verdict-changed`: nothing was published); or the claim changed since the `claimVersion` sent (`claim-changed`, with `claimVersion`, the claim's version now); or the claim's words (its text, speaker or date of the statement) were changed after the draft was last saved (`claim-words-changed`, with `changes`: the draft's `claimChangesSinceSaved`): save it again with `wordsRead` once its verdict fits them (a save without it keeps the draft on the words it was saved on), then publish",
						schema: problemOr(claimWordsChangedProblem),
					},
				},
			},
		}),
		async (c) => {
			const body = c.req.valid("json");
			const ctx = commandContext(c.var, tokenActor(c.var));
			const verdict = await publishVerdict(
				ctx,
				c.req.valid("param").id,
				body.version,
				body.correctionNote,
				body.supersedes,
				body.claimVersion,
			);
			return json(c, 200, verdictToWriteJson(publicOrigin(c), verdict, await draftFacts(c.var.db, verdict)));
		},
	)
	.post(
		"/verdicts/:id/retract",
		declareRoute({
			method: "POST",
			path: "/api/v1/verdicts/:id/retract",
			access: { token: "verdict:retract" },
			params: idParam,
			body: actionBody(retractInput),
			doc: {
				summary: "Retract a published verdict with a public note (editors)",
				tags,
				responses: {
					200: { description: "The retracted verdict", schema: editableVerdictJson },
					409: {
						description:
							"The verdict changed since the `version` sent (`version-conflict`: read it again and retry), or is not published: a draft, superseded by a correction, or retracted already (`not-published`)",
					},
				},
			},
		}),
		async (c) => {
			const body = c.req.valid("json");
			const ctx = commandContext(c.var, tokenActor(c.var));
			const verdict = await retractVerdict(ctx, c.req.valid("param").id, body.version, body.note);
			return json(c, 200, verdictToWriteJson(publicOrigin(c), verdict, await draftFacts(c.var.db, verdict)));
		},
	);
