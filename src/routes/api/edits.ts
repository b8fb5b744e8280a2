import * as z from "zod";
import { tokenActor } from "../../auth/api-tokens";
import { editClaim, mergeClaim, removeAppearance, removeClaim } from "../../commands/claims";
import { commandContext } from "../../commands/context";
import { archiveAgain, archiveEvidenceAgain } from "../../commands/snapshots";
import { editSpeaker, mergeSpeaker } from "../../commands/speakers";
import { factory } from "../../factory";
import { notFound } from "../../lib/errors";
import { publicOrigin } from "../../lib/public-origin";
import { hidesUnreviewed } from "../../lib/public-visibility";
import { house } from "../../lib/publisher";
import { declareRoute } from "../../lib/route-declaration";
import { actionBody, id, patchBody } from "../../schemas/common";
import { claimDetailJson, SLUG_PATTERN, speakerDetailJson, speakerJson } from "../../schemas/public-api";
import { claimEditInput, speakerEditInput, speakerMergeInput } from "../../schemas/records";
import {
	appearanceRemovalInput,
	claimGoneResponses,
	claimMergeInput,
	claimRemovalInput,
	evidenceArchiveInput,
} from "../../schemas/write-api";
import { getClaim } from "../../store/claims";
import { claimDetailToJson } from "../../views/json";
import { speakerToJson } from "../../views/speaker-json";

const removedClaimJson = z.object({ id: z.string(), removedAt: z.string() });

/** "Archive again": the copy planned, fetched by the evidence archive's queue. */
const archiveRequestedJson = z.object({
	snapshotId: z.string(),
	url: z.string(),
	state: z.literal("pending"),
});

const slugParam = z.object({ slug: z.string().regex(SLUG_PATTERN, "This is not a speaker slug.") });

/** Edits of recorded claims and speakers through the write API (the desk's forms call the same commands). */
export const editApi = factory
	.createApp()
	.patch(
		"/claims/:id",
		declareRoute({
			method: "PATCH",
			path: "/api/v1/claims/:id",
			access: { token: "claim:edit" },
			params: z.object({ id }),
			body: patchBody(claimEditInput, claimDetailJson),
			doc: {
				summary: "Edit a claim at the version you last read",
				description:
					"Only the fields sent change. An outdated `version` is a 409 `version-conflict` and nothing is saved; a speaker's name that two or more speakers carry is a 409 `speaker-ambiguous` listing them (`candidates`): send the `id` of the one meant. On a claim that has a published (or superseded, or retracted) verdict the change is public, like a correction: only an editor's token may make it (403 for a checker's; topics alone stay open to checkers), `note` is required (422 without) and the claim's `changes[]` lists it.",
				tags: ["Write API"],
				responses: {
					200: { description: "The claim as the public API shows it", schema: claimDetailJson },
					...claimGoneResponses({
						description:
							"The claim changed since the version sent (`version-conflict`), or several speakers carry the speaker's name (`speaker-ambiguous`)",
					}),
				},
			},
		}),
		async (c) => {
			const claimId = c.req.valid("param").id;
			await editClaim(commandContext(c.var, tokenActor(c.var)), claimId, c.req.valid("json"));
			const detail = await getClaim(c.var.db, claimId);
			if (!detail) throw notFound("claim");
			return c.json(
				claimDetailToJson(publicOrigin(c), detail, c.var.lang, house(c.env, publicOrigin(c))),
				200,
				{
					"Cache-Control": "no-store",
				},
			);
		},
	)
	.delete(
		"/claims/:id/appearances/:appearanceId",
		declareRoute({
			method: "DELETE",
			path: "/api/v1/claims/:id/appearances/:appearanceId",
			access: { token: "claim:edit" },
			params: z.object({ id, appearanceId: id }),
			body: actionBody(appearanceRemovalInput),
			doc: {
				summary: "Remove an appearance of a claim at the version you last read",
				description:
					"For a source named by mistake. The claim's link to the source goes; the source and the evidence archive's copies stay. An outdated `version` is a 409 `version-conflict` and nothing is removed; a claim keeps at least one appearance (422 `last-appearance`). When the first appearance goes, the oldest remaining one becomes first. On a claim that has a published (or superseded, or retracted) verdict the removal is public, like a correction: only an editor's token may make it (403 for a checker's), `note` is required (422 without) and the claim's `changes[]` lists it (`field` `appearance`, `from` the source's title and address). The claim's version goes up.",
				tags: ["Write API"],
				responses: {
					200: { description: "The claim as the public API shows it", schema: claimDetailJson },
					404: { description: "No such claim, or no such appearance of it" },
					...claimGoneResponses({
						description:
							"The claim changed since the version sent (`version-conflict`), or several speakers carry the speaker's name (`speaker-ambiguous`)",
					}),
				},
			},
		}),
		async (c) => {
			const { id: claimId, appearanceId } = c.req.valid("param");
			const { version, note } = c.req.valid("json");
			await removeAppearance(commandContext(c.var, tokenActor(c.var)), claimId, appearanceId, {
				version,
				note: note ?? null,
			});
			const detail = await getClaim(c.var.db, claimId);
			if (!detail) throw notFound("claim");
			return c.json(
				claimDetailToJson(publicOrigin(c), detail, c.var.lang, house(c.env, publicOrigin(c))),
				200,
				{ "Cache-Control": "no-store" },
			);
		},
	)
	.post(
		"/claims/:id/appearances/:appearanceId/archive",
		declareRoute({
			method: "POST",
			path: "/api/v1/claims/:id/appearances/:appearanceId/archive",
			access: { token: "claim:add-appearance" },
			params: z.object({ id, appearanceId: id }),
			doc: {
				summary: "Archive an appearance's source again",
				description:
					"The evidence archive fetches every source when it is cited and retries a failed fetch for hours; a copy that failed with no try left (given up, its fetch never queued, a storage outage, unfinished in a restored backup), or a source never tried (its copy's planning failed, or it was recorded before the archive), is asked for again here, as the desk's \"Archive again\" does (audited on the claim). No body. Refused with 409 `archive-not-due` while the address has a copy from the last 24 hours, one being fetched or a retry due, and when its newest try did not fail. The copy, once stored, shows as `appearances[].source.snapshot` in the claim's JSON.",
				tags: ["Write API"],
				responses: {
					202: { description: "A new copy was planned and queued", schema: archiveRequestedJson },
					404: { description: "No such claim, or no such appearance of it" },
					...claimGoneResponses({
						description:
							"No failed copy to archive again: a copy from the last 24 hours, one being fetched or a retry due, or the newest try did not fail (`archive-not-due`)",
					}),
				},
			},
		}),
		async (c) => {
			const { id: claimId, appearanceId } = c.req.valid("param");
			const planned = await archiveAgain(commandContext(c.var, tokenActor(c.var)), claimId, appearanceId);
			return c.json({ snapshotId: planned.id, url: planned.url, state: "pending" as const }, 202, {
				"Cache-Control": "no-store",
			});
		},
	)
	.post(
		"/claims/:id/evidence/archive",
		declareRoute({
			method: "POST",
			path: "/api/v1/claims/:id/evidence/archive",
			access: { token: "claim:add-appearance" },
			params: z.object({ id }),
			body: actionBody(evidenceArchiveInput),
			doc: {
				summary: "Archive a verdict's evidence link again",
				description:
					"The evidence archive fetches every evidence link of a verdict when it is published, and retries a failed fetch for hours; a copy that failed with no try left (given up, its fetch never queued, a storage outage, unfinished in a restored backup), or a link never tried (its copy's planning failed), is asked for again here, as the desk's \"Archive again\" beside the evidence link does (audited on the claim). `url` is the link as a published, superseded or retracted verdict of the claim cites it (404 otherwise). Refused with 409 `archive-not-due` while the address has a copy from the last 24 hours, one being fetched or a retry due, and when its newest try did not fail. The copy, once stored, shows as `history[].evidence[].snapshot` in the claim's JSON.",
				tags: ["Write API"],
				responses: {
					202: { description: "A new copy was planned and queued", schema: archiveRequestedJson },
					404: { description: "No such claim, or no published verdict of it cites the address" },
					...claimGoneResponses({
						description:
							"No failed copy to archive again: a copy from the last 24 hours, one being fetched or a retry due, or the newest try did not fail (`archive-not-due`)",
					}),
				},
			},
		}),
		async (c) => {
			const { id: claimId } = c.req.valid("param");
			const planned = await archiveEvidenceAgain(
				commandContext(c.var, tokenActor(c.var)),
				claimId,
				c.req.valid("json").url,
			);
			return c.json({ snapshotId: planned.id, url: planned.url, state: "pending" as const }, 202, {
				"Cache-Control": "no-store",
			});
		},
	)
	.post(
		"/claims/:id/merge",
		declareRoute({
			method: "POST",
			path: "/api/v1/claims/:id/merge",
			access: { token: "claim:merge" },
			params: z.object({ id }),
			body: actionBody(claimMergeInput),
			doc: {
				summary: "Merge a duplicate claim into the claim kept (editors)",
				description:
					"The claim kept (`into`) gains the duplicate's appearances (not sources it has already; the duplicate's words become the moved appearances' quote when they differ), topics, internal notes (marked as from the merged claim) and attachments. The duplicate leaves every list, search, feed, export and matching; its addresses (page, JSON, badge, card, oEmbed) answer 301 to the kept claim's (404 where `PUBLIC_UNREVIEWED` hides unreviewed claims: it was never public), and its speaker goes when no other claim names it. Only a claim that never had a public verdict is merged away (409 `claim-reviewed`: merge the other way round), and not while it has an open draft (409 `draft-open`: discard it first). `version` (the duplicate's) and `intoVersion` (the kept claim's, optional) must be the versions last read (409 `version-conflict`, naming `claimId`). Webhook subscribers get `claim.merged` with `mergedFrom: {id, url}` (left out where unreviewed claims are hidden).",
				tags: ["Write API"],
				responses: {
					200: { description: "The kept claim as the public API shows it", schema: claimDetailJson },
					404: { description: "No such claim" },
					// A duplicate removed is the 410 every write to a removed claim answers.
					...claimGoneResponses({
						description:
							"A public verdict (`claim-reviewed`), an open draft (`draft-open`) or a newer version (`version-conflict`)",
					}),
					422: { description: "`into` names no live claim, or the claim itself" },
				},
			},
		}),
		async (c) => {
			const { kept } = await mergeClaim(
				commandContext(c.var, tokenActor(c.var)),
				c.req.valid("param").id,
				c.req.valid("json"),
			);
			const detail = await getClaim(c.var.db, kept.id);
			if (!detail) throw notFound("claim");
			return c.json(
				claimDetailToJson(publicOrigin(c), detail, c.var.lang, house(c.env, publicOrigin(c))),
				200,
				{ "Cache-Control": "no-store" },
			);
		},
	)
	.delete(
		"/claims/:id",
		declareRoute({
			method: "DELETE",
			path: "/api/v1/claims/:id",
			access: { token: "claim:remove" },
			params: z.object({ id }),
			body: actionBody(claimRemovalInput),
			doc: {
				summary: "Remove a claim recorded by mistake (editors)",
				description:
					"For what is not a claim, the wrong person, a private individual. Only a claim that never had a public verdict: a reviewed claim is retracted, never removed (409 `claim-reviewed`); an open draft is discarded first (409 `draft-open`). Its appearances, topics, notes and attachments (their files too) go, and its speaker when no other claim names it. Its sources and their archived copies stay stored, but one that no claim or published verdict cites any more answers 404. Its addresses answer 410 Gone, saying when it was removed and nothing of what it said. `reason` stays internal, in the audit log, which keeps of the claim only ids and hashes (its earlier entries and its discarded drafts' are redacted); the text of its webhook deliveries is forgotten and never resent. Webhook subscribers get `claim.removed` with the claim's id, address and removal time, and one for each claim merged into it before (their addresses answer 410 too).",
				tags: ["Write API"],
				responses: {
					200: { description: "The claim's id and when it was removed", schema: removedClaimJson },
					404: { description: "No such claim" },
					409: {
						description: "A public verdict, an open draft, a newer version, or merged into another claim",
					},
					410: {
						description: "Removed already (`claim-removed`)",
						members: { removedAt: "When the claim was removed." },
					},
				},
			},
		}),
		async (c) => {
			const removed = await removeClaim(
				commandContext(c.var, tokenActor(c.var)),
				c.env.ARCHIVE,
				c.req.valid("param").id,
				c.req.valid("json"),
			);
			return c.json({ id: removed.claimId, removedAt: removed.removedAt }, 200, {
				"Cache-Control": "no-store",
			});
		},
	)
	.patch(
		"/speakers/:slug",
		declareRoute({
			method: "PATCH",
			path: "/api/v1/speakers/:slug",
			access: { token: "speaker:edit" },
			params: slugParam,
			body: patchBody(speakerEditInput, speakerDetailJson),
			doc: {
				summary: "Edit a speaker at the version you last read (editors)",
				description:
					"Name, kind, description, Wikidata id and aliases; the slug stays, so links keep working, unless `dropOldName` drops a replaced name: then the speaker gets its new name's slug (the answer's `slug`) and the old one answers 301 to it. Only the fields sent change: null clears the description or the Wikidata id, and `aliases` replaces all other names, except, with unreviewed claims hidden (`PUBLIC_UNREVIEWED = \"hide\"`), the spellings no public read shows (a merged or renamed speaker's that no reviewed claim named): those are kept unless sent (remove them on the desk). A new `name` keeps the old name among the aliases (so imports and claims naming it still find the speaker), even when `aliases` is sent without it, unless `dropOldName` is true; a later edit may remove it like any alias. An outdated `version` is a 409; a speaker merged away (an old slug, or meanwhile) a 409 `speaker-merged` naming the survivor (`mergedInto`); an old slug of a speaker renamed since (`dropOldName`) a 409 `speaker-renamed` naming its slug now (`renamedTo`). Nothing is saved then.",
				tags: ["Write API"],
				responses: { 200: { description: "The speaker", schema: speakerJson } },
			},
		}),
		async (c) => {
			const { version, ...input } = c.req.valid("json");
			const speaker = await editSpeaker(
				commandContext(c.var, tokenActor(c.var)),
				c.req.valid("param").slug,
				version,
				input,
				// Where the public read hides never-public spellings, a list sent back never held them.
				{ keepUnseen: hidesUnreviewed(c.env) },
			);
			return c.json(speakerToJson(publicOrigin(c), speaker, { reviewedOnly: false }), 200, {
				"Cache-Control": "no-store",
			});
		},
	)
	.post(
		"/speakers/:slug/merge",
		declareRoute({
			method: "POST",
			path: "/api/v1/speakers/:slug/merge",
			access: { token: "speaker:edit" },
			params: slugParam,
			body: actionBody(speakerMergeInput),
			doc: {
				summary: "Merge a speaker into another (editors)",
				description:
					"The speaker's claims move to `into`, its name and aliases become aliases of `into`, and `/speakers/{slug}` answers 301 to the survivor from then on, while a public claim names the survivor (then 404). Scorecards recount. Either speaker merged away (an old slug, or meanwhile) is a 409 `speaker-merged` naming where it went (`mergedInto`, and `into` when it was `into`); an old slug of a speaker renamed since (`dropOldName`) is a 409 `speaker-renamed` naming its slug now (`renamedTo`, and `into` when it was `into`). Nothing is merged then.",
				tags: ["Write API"],
				responses: { 200: { description: "The surviving speaker", schema: speakerJson } },
			},
		}),
		async (c) => {
			const into = await mergeSpeaker(
				commandContext(c.var, tokenActor(c.var)),
				c.req.valid("param").slug,
				c.req.valid("json").into,
			);
			return c.json(speakerToJson(publicOrigin(c), into, { reviewedOnly: false }), 200, {
				"Cache-Control": "no-store",
			});
		},
	);
