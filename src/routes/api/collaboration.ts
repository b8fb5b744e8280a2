import * as z from "zod";
import { tokenActor } from "../../auth/api-tokens";
import { assignClaim, noteOnClaim, renameTopic, returnDraft } from "../../commands/collaboration";
import { commandContext } from "../../commands/context";
import { submitDraft } from "../../commands/verdicts";
import type { ClaimNote } from "../../db/schema";
import { factory } from "../../factory";
import { publicOrigin } from "../../lib/public-origin";
import { declareRoute } from "../../lib/route-declaration";
import { actionBody, id, noQuery, patchBody } from "../../schemas/common";
import { SLUG_PATTERN } from "../../schemas/public-api";
import {
	assigneeInput,
	claimGoneResponses,
	editableVerdictJson,
	noteInput,
	noteJson,
	returnInput,
	returnThreadJson,
	submitInput,
	tagJson,
	tagRenameInput,
} from "../../schemas/write-api";
import { getClaim } from "../../store/claims";
import { claimAssignee, getNote, listNotes } from "../../store/collaboration";
import { draftFacts } from "../../store/draft-words";
import { missingClaim } from "../../store/retired-claims";
import { returnThread } from "../../store/verdicts";
import { tagPath } from "../../views/json";
import { verdictToWriteJson } from "../../views/write-json";
import { created } from "./created";

/** The desk's teamwork over the API: assignment, the review loop, internal notes. Never public. */

const tags = ["Desk collaboration"];
const idParam = z.object({ id });
const noStore = { "Cache-Control": "no-store" };

export const collaborationApi = factory
	.createApp()
	.post(
		"/claims/:id/assignee",
		declareRoute({
			method: "POST",
			path: "/api/v1/claims/:id/assignee",
			access: { token: "claim:assign" },
			params: idParam,
			body: actionBody(assigneeInput),
			doc: {
				summary: "Assign a claim to a desk member, or unassign it",
				description:
					"Editors assign anyone (`email: null` unassigns). A checker may take an unassigned claim for themselves only; if someone took it meanwhile, 409 `already-assigned`. A checker gives back (`email: null`) a claim assigned to them; one an editor handed to someone else meanwhile is a 409 `assigned-to-another` naming whose it is now (`assignee`: name and email), and one with a draft open on it a 409 `draft-open` (the draft would stay theirs on a claim no one else could take: discard it first, or an editor assigns the claim on, draft and all). A claim goes with its open draft: assigned to someone, the draft is theirs to write; unassigned, it stays with whoever held the claim, and a checker takes an unassigned claim only if no one else's draft is open on it (409 `draft-of-another-checker`). Assigning a claim to whom it is assigned already, or giving back one assigned to nobody, answers as it is and changes nothing. An editor names whom they read holding the claim with `was` (their email, null for nobody): taken or handed on since, it is a 409 `assignee-changed` naming who holds it now (`assignee`) and whose open draft would go with it (`draftWriter`), and nothing changes.",
				tags,
				responses: {
					200: {
						description: "The assignee now",
						schema: z.object({
							claimId: z.string(),
							assignee: z.object({ name: z.string(), email: z.string() }).nullable(),
						}),
					},
					...claimGoneResponses({
						description:
							"Someone else took the claim meanwhile (`already-assigned`), or another's draft is open on the claim taken (`draft-of-another-checker`); or a claim given back was handed to someone else (`assigned-to-another`, with `assignee`), or has a draft open (`draft-open`); or an editor's claim is no longer held by whom `was` names (`assignee-changed`, with `assignee` and `draftWriter`)",
					}),
				},
			},
		}),
		async (c) => {
			const claimId = c.req.valid("param").id;
			const { email, was } = c.req.valid("json");
			await assignClaim(commandContext(c.var, tokenActor(c.var)), claimId, email, was);
			return c.json({ claimId, assignee: await claimAssignee(c.var.db, claimId) }, 200, noStore);
		},
	)
	.post(
		"/verdicts/:id/submit",
		declareRoute({
			method: "POST",
			path: "/api/v1/verdicts/:id/submit",
			access: { token: "verdict:submit" },
			params: idParam,
			body: actionBody(submitInput),
			doc: {
				summary: "Submit a draft for review",
				description:
					"Its writer says the draft is ready: it enters the editors' review queue, waiting from now (`submittedAt`), and is no longer `changes-requested`. A checker's token submits only the drafts the checker writes: a draft is written by whoever holds its claim, on a claim held by nobody by its last writer (a claim handed to someone else takes its draft along, one going back to nobody leaves it with whoever held it; another's, also one handed over while the request ran, is a 403); an editor's any. At the version last read (409 `version-conflict` otherwise, `not-a-draft` once it is published); a draft submitted already is answered as it is, unchanged, also at the version the submission was made at (a retry) unless it was saved since. Saving a submitted draft keeps it submitted; an editor's return takes it out of the queue until it is submitted again. Publishing does not wait for it. Nothing public changes and no webhook is sent.",
				tags,
				responses: {
					200: { description: "The submitted draft", schema: editableVerdictJson },
					403: { description: "A checker's token, on another checker's draft" },
					404: { description: "No such verdict" },
					409: {
						description:
							"The draft was saved since the version sent (`version-conflict`: read it again and retry), or is no longer a draft (`not-a-draft`)",
					},
				},
			},
		}),
		async (c) => {
			const verdict = await submitDraft(
				commandContext(c.var, tokenActor(c.var)),
				c.req.valid("param").id,
				c.req.valid("json").version,
			);
			return c.json(
				verdictToWriteJson(publicOrigin(c), verdict, await draftFacts(c.var.db, verdict)),
				200,
				noStore,
			);
		},
	)
	.post(
		"/verdicts/:id/return",
		declareRoute({
			method: "POST",
			path: "/api/v1/verdicts/:id/return",
			access: { token: "verdict:return" },
			params: idParam,
			body: actionBody(returnInput),
			doc: {
				summary: "Return a draft to its checker with a note (editors)",
				description:
					"The draft stays a draft, marked `changesRequestedAt` (`reviewState` `changes-requested`) and out of the review queue until its writer submits it again (`POST /api/v1/verdicts/{id}/submit`); a save alone does not. The notes form the draft's review thread. An editor may return a draft that was not submitted, too.",
				tags,
				responses: {
					200: {
						description: "The draft and its review thread",
						schema: editableVerdictJson.extend({ returns: returnThreadJson }),
					},
					409: {
						description:
							"The draft was saved since the version sent (`version-conflict`: read it again and retry), is no longer a draft (`not-a-draft`), or its writer's account is disabled (`writer-departed`, naming them as `writer`: assign the claim to someone who will write it, or edit the draft)",
					},
				},
			},
		}),
		async (c) => {
			const { version, note } = c.req.valid("json");
			const verdict = await returnDraft(
				commandContext(c.var, tokenActor(c.var)),
				c.req.valid("param").id,
				version,
				note,
			);
			const thread = await returnThread(c.var.db, verdict.id);
			return c.json(
				{
					...verdictToWriteJson(publicOrigin(c), verdict, await draftFacts(c.var.db, verdict)),
					returns: thread.map(({ note, by, at }) => ({ note, by, at })),
				},
				200,
				noStore,
			);
		},
	)
	.post(
		"/claims/:id/notes",
		declareRoute({
			method: "POST",
			path: "/api/v1/claims/:id/notes",
			access: { token: "claim:note" },
			idempotent: true,
			params: idParam,
			body: noteInput,
			doc: {
				summary: "Add an internal note to a claim",
				description:
					"Plain text. Notes are the desk's: no public answer, feed, export or webhook carries them. Send an `Idempotency-Key` header to make retries safe.",
				tags,
				responses: { 201: { description: "The note", schema: noteJson }, ...claimGoneResponses() },
			},
		}),
		(c) => {
			const claimId = c.req.valid("param").id;
			// As the list shows it (`noteJson`); its author is the token's owner, who sends a repeat too.
			const answer = (note: ClaimNote) => ({
				id: note.id,
				text: note.text,
				author: c.var.caller.user.name,
				at: note.createdAt,
				mergedFrom: note.mergedFrom,
			});
			return created(
				c,
				{ scope: `POST /api/v1/claims/${claimId}/notes`, body: c.req.valid("json") },
				{
					at: () => ({ location: `${publicOrigin(c)}/api/v1/claims/${claimId}/notes`, claimId }),
					write: async (_caller, id) => {
						const ctx = commandContext(c.var, tokenActor(c.var));
						return { body: answer(await noteOnClaim(ctx, claimId, c.req.valid("json").text, id)) };
					},
					readBack: async (id) => {
						const note = await getNote(c.var.db, id);
						return note ? answer(note) : null;
					},
					what: "note",
				},
			);
		},
	)
	.get(
		"/claims/:id/notes",
		declareRoute({
			method: "GET",
			path: "/api/v1/claims/:id/notes",
			access: { token: "claim:read-notes" },
			params: idParam,
			query: noQuery,
			doc: {
				summary: "A claim's internal notes, oldest first",
				tags,
				responses: {
					200: { description: "The notes", schema: z.object({ data: z.array(noteJson) }) },
					...claimGoneResponses(),
				},
			},
		}),
		async (c) => {
			const claimId = c.req.valid("param").id;
			if (!(await getClaim(c.var.db, claimId))) throw await missingClaim(c.var.db, claimId);
			const notes = await listNotes(c.var.db, claimId);
			return c.json(
				{
					data: notes.map(({ id, text, author, at, mergedFrom }) => ({ id, text, author, at, mergedFrom })),
				},
				200,
				noStore,
			);
		},
	)
	.patch(
		"/tags/:slug",
		declareRoute({
			method: "PATCH",
			path: "/api/v1/tags/:slug",
			access: { token: "tag:edit" },
			params: z.object({ slug: z.string().regex(SLUG_PATTERN, "This is not a topic slug.") }),
			body: patchBody(tagRenameInput, tagJson),
			doc: {
				summary: "Name a topic in English and German (editors)",
				description:
					"The slug stays, so every link keeps working; claim pages and lists show the new names at once. Only a name that differs from the topic's is written. Send `was`, the names you last read, so that a rename made meanwhile is not undone unseen.",
				tags,
				responses: {
					200: { description: "The topic", schema: tagJson },
					409: {
						description:
							"Another topic has one of the names (`topic-name-taken`), or the topic was renamed since the names in `was` were read (`topic-renamed`, with the `current` names), or other topics were renamed while this rename was saved, twice (`topics-changed`: nothing changed, send it again)",
					},
				},
			},
		}),
		async (c) => {
			const { was, ...names } = c.req.valid("json");
			const tag = await renameTopic(
				commandContext(c.var, tokenActor(c.var)),
				c.req.valid("param").slug,
				names,
				was ?? {},
			);
			return c.json(
				{
					slug: tag.slug,
					nameEn: tag.nameEn,
					nameDe: tag.nameDe,
					url: `${publicOrigin(c)}${tagPath(tag.slug)}`,
				},
				200,
				noStore,
			);
		},
	);
