import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newToken } from "../../src/domain/ids";
import { draftsBeingWritten, reviewQueue } from "../../src/store/desk";
import { makeClaim } from "../factories";
import { call, json, testDb } from "../helpers";
import {
	account,
	apiCall,
	apiToken,
	deskGet,
	deskPost,
	hidden,
	makeUser,
	ONE_DAY,
	verdictForm,
} from "./helpers";

/**
 * "Ready for review": a draft is being written until its writer submits it; only submitted
 * drafts are in the editors' review queue, longest waiting since submission first; an
 * editor's return takes a draft out until it is submitted again; a save keeps the state.
 */

const idem = () => ({ _idem: newToken(18) });

interface DraftJson {
	id: string;
	claimId: string;
	version: number;
	state: string;
	submittedAt: string | null;
	changesRequestedAt: string | null;
	reviewState: string | null;
}

const verdictBody = {
	rating: "false",
	headline: "Not so: the port handled 12 ships",
	evidence: [{ url: "https://evidence.example/port", title: "Port records" }],
	language: "en",
};

async function member(role: "checker" | "editor") {
	const { user } = await makeUser(role);
	const scopes =
		role === "checker"
			? (["claims:write", "verdicts:write"] as const)
			: (["claims:write", "verdicts:write", "verdicts:publish"] as const);
	return { user, token: (await apiToken(user, scopes)).token };
}

/** Whether the store's review queue / "being written" list holds a draft (every row, not the page's 50). */
async function inQueue(verdictId: string) {
	return (await reviewQueue(testDb(), 100_000)).some((row) => row.verdictId === verdictId);
}
async function beingWritten(verdictId: string) {
	return (await draftsBeingWritten(testDb(), 100_000)).some((row) => row.verdictId === verdictId);
}

async function auditActions(verdictId: string): Promise<{ action: string; actor_id: string | null }[]> {
	const rows = await env.DB.prepare(
		"SELECT action, actor_id FROM audit_log WHERE entity = 'verdict' AND entity_id = ? ORDER BY id",
	)
		.bind(verdictId)
		.all<{ action: string; actor_id: string | null }>();
	return rows.results;
}

/** A row of one of the desk home's tables (`data-verdict` in the queue, `data-writing` in "Being written"). */
function homeRow(html: string, attribute: "verdict" | "writing", verdictId: string): string {
	const start = html.indexOf(`<tr data-${attribute}="${verdictId}">`);
	return start < 0 ? "" : html.slice(start, html.indexOf("</tr>", start));
}

/** My drafts' entry of a draft on the desk home. */
function myDraft(html: string, verdictId: string): string {
	const start = html.indexOf(`<li data-draft="${verdictId}">`);
	return start < 0 ? "" : html.slice(start, html.indexOf("</li>", start));
}

/**
 * Moves a draft's start (and submission, when submitted) into the past, so it leads the
 * lists other tests' drafts share; younger than the dashboard test's, which must lead.
 */
async function backdate(verdictId: string, days: number) {
	const at = new Date(Date.now() - days * ONE_DAY).toISOString();
	await env.DB.prepare(
		"UPDATE verdicts SET created_at = ?1, submitted_at = CASE WHEN submitted_at IS NULL THEN NULL ELSE ?1 END WHERE id = ?2",
	)
		.bind(at, verdictId)
		.run();
}

describe("submitting a draft for review over the API", () => {
	it("is the writer's step, at the draft's version, idempotent, audited and private", async () => {
		const checker = await member("checker");
		const other = await member("checker");
		const editor = await member("editor");
		const claim = await makeClaim();
		const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: checker.token,
			body: verdictBody,
		});
		expect(created.status, await created.clone().text()).toBe(201);
		const draft = await json<DraftJson>(created);
		// Being written: not in the editors' queue, but in the list of drafts being written.
		expect(draft).toMatchObject({ state: "draft", submittedAt: null, reviewState: "writing" });
		expect(await inQueue(draft.id)).toBe(false);
		expect(await beingWritten(draft.id)).toBe(true);
		const publicBefore = await (await call(`/api/v1/claims/${claim.id}`)).text();

		const submitAt = (token: string, version: number) =>
			apiCall("POST", `/api/v1/verdicts/${draft.id}/submit`, { token, body: { version } });
		// An old version is a 409 and submits nothing.
		const stale = await submitAt(checker.token, draft.version - 1 || 99);
		expect(stale.status).toBe(409);
		expect(await json(stale)).toMatchObject({ current: { version: draft.version } });
		// Another checker's draft is not theirs to submit; a token without the scope gets no further.
		expect((await submitAt(other.token, draft.version)).status).toBe(403);
		const { token: notesOnly } = await apiToken(checker.user, ["claims:write"]);
		const unscoped = await submitAt(notesOnly, draft.version);
		expect(unscoped.status).toBe(403);
		expect(unscoped.headers.get("www-authenticate")).toContain('scope="verdicts:write"');
		expect(await inQueue(draft.id)).toBe(false);

		const submitted = await submitAt(checker.token, draft.version);
		expect(submitted.status, await submitted.clone().text()).toBe(200);
		const answer = await json<DraftJson>(submitted);
		expect(answer).toMatchObject({ version: draft.version + 1, reviewState: "submitted" });
		expect(answer.submittedAt).not.toBeNull();
		expect(await inQueue(draft.id)).toBe(true);
		expect(await beingWritten(draft.id)).toBe(false);
		// Again at the version answered: the draft is submitted already, and stays as it is.
		const again = await json<DraftJson>(await submitAt(checker.token, answer.version));
		expect(again).toMatchObject({ version: answer.version, submittedAt: answer.submittedAt });
		expect((await auditActions(draft.id)).filter((row) => row.action === "submit")).toEqual([
			{ action: "submit", actor_id: checker.user.id },
		]);
		// Reading the draft says where it stands.
		const read = await json<DraftJson>(
			await apiCall("GET", `/api/v1/verdicts/${draft.id}`, { token: checker.token }),
		);
		expect(read).toMatchObject({ submittedAt: answer.submittedAt, reviewState: "submitted" });

		// A save keeps it submitted, and its place in the queue (waiting since the submission).
		const saved = await json<DraftJson>(
			await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
				token: checker.token,
				body: { ...verdictBody, headline: "Not so: the port handled twelve ships", version: answer.version },
			}),
		);
		expect(saved).toMatchObject({ submittedAt: answer.submittedAt, reviewState: "submitted" });

		// The editor's return takes it out of the queue until it is submitted again.
		const returned = await json<DraftJson>(
			await apiCall("POST", `/api/v1/verdicts/${draft.id}/return`, {
				token: editor.token,
				body: { version: saved.version, note: "Name the harbour authority." },
			}),
		);
		expect(returned).toMatchObject({ submittedAt: null, reviewState: "changes-requested" });
		expect(await inQueue(draft.id)).toBe(false);
		expect(await beingWritten(draft.id)).toBe(true);
		const resubmitted = await json<DraftJson>(await submitAt(checker.token, returned.version));
		expect(resubmitted).toMatchObject({ changesRequestedAt: null, reviewState: "submitted" });
		expect((resubmitted.submittedAt ?? "") >= (answer.submittedAt ?? "")).toBe(true);
		expect((await auditActions(draft.id)).map((row) => row.action)).toEqual([
			"create-draft",
			"submit",
			"update-draft",
			"return",
			"submit",
		]);

		// Nothing public changed: drafts are never public, and the claim's answer is the same.
		const publicAfter = await (await call(`/api/v1/claims/${claim.id}`)).text();
		expect(publicAfter).toBe(publicBefore);
		expect(publicAfter).not.toContain("submittedAt");
		// A published verdict is not a draft: no review state, and nothing to submit.
		const published = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token: editor.token,
			body: { version: resubmitted.version },
		});
		expect(published.status, await published.clone().text()).toBe(200);
		const done = await json<DraftJson>(published);
		expect(done).toMatchObject({ state: "published", reviewState: null });
		expect((await submitAt(checker.token, done.version)).status).toBe(409);
		expect(await inQueue(draft.id)).toBe(false);
	});

	it("a submission sent again at the version it was made at is answered as it is, not a 409; a save since is", async () => {
		const checker = await member("checker");
		const claim = await makeClaim();
		const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: checker.token,
			body: verdictBody,
		});
		const draft = await json<DraftJson>(created);
		const submitAt = (version: number) =>
			apiCall("POST", `/api/v1/verdicts/${draft.id}/submit`, { token: checker.token, body: { version } });
		const first = await submitAt(draft.version);
		expect(first.status, await first.clone().text()).toBe(200);
		const answer = await json<DraftJson>(first);
		// The same request again (a retry after a lost answer), at the version it was made at.
		const again = await submitAt(draft.version);
		expect(again.status, await again.clone().text()).toBe(200);
		expect(await json<DraftJson>(again)).toMatchObject({
			version: answer.version,
			submittedAt: answer.submittedAt,
			reviewState: "submitted",
		});
		// The desk's "Submit for review" from a second tab opened before the first was sent.
		const desk = await deskPost(await account("editor"), `/desk/verdicts/${draft.id}/submit`, {
			version: String(draft.version),
			...idem(),
		});
		expect(desk.status, await desk.clone().text()).toBe(303);
		expect((await auditActions(draft.id)).filter((row) => row.action === "submit")).toHaveLength(1);

		// Saved since its submission: the version read is outdated, as for any write.
		const saved = await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
			token: checker.token,
			body: { ...verdictBody, headline: "Not so: twelve ships, says the port", version: answer.version },
		});
		expect(saved.status).toBe(200);
		const stale = await submitAt(draft.version);
		expect(stale.status).toBe(409);
		expect(await json(stale)).toMatchObject({ type: "urn:claimtrack:problem:version-conflict" });
	});

	it("does not hold publishing back: an editor publishes a draft that was never submitted", async () => {
		const checker = await member("checker");
		const editor = await member("editor");
		const claim = await makeClaim();
		const draft = await json<DraftJson>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: checker.token,
				body: verdictBody,
			}),
		);
		const published = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token: editor.token,
			body: { version: draft.version },
		});
		expect(published.status, await published.clone().text()).toBe(200);
	});
});

describe("submitting a draft for review on the desk", () => {
	it("a checker saves, then submits from the claim page; editors see it move from 'Being written' to the queue", async () => {
		const checker = await account("checker");
		const other = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const form = await (await deskGet(checker, `/desk/claims/${claim.id}/verdicts/new`)).text();
		expect(form).toContain('name="submitForReview" value="1"');
		expect(form).toContain("Save and submit for review");
		const saved = await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, verdictForm());
		expect(saved.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=draft-saved`);
		const row = await env.DB.prepare(
			"SELECT id, version FROM verdicts WHERE claim_id = ? AND state = 'draft'",
		)
			.bind(claim.id)
			.first<{ id: string; version: number }>();
		if (!row) throw new Error("no draft");
		await backdate(row.id, 300);

		// The checker's drafts say it is being written; the editors see it under "Being written".
		expect(myDraft(await (await deskGet(checker, "/desk")).text(), row.id)).toContain(
			'data-review-state="writing"',
		);
		const before = await (await deskGet(editor, "/desk")).text();
		expect(homeRow(before, "verdict", row.id)).toBe("");
		expect(homeRow(before, "writing", row.id)).toContain(checker.user.name);
		expect(homeRow(before, "writing", row.id)).toContain("300 days");
		const editorsCard = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		expect(editorsCard).toContain("Not submitted for review yet: its writer may still be working on it.");
		// Publishing stays one step for the editor.
		expect(editorsCard).toContain(`action="/desk/verdicts/${row.id}/publish"`);

		const page = await (await deskGet(checker, `/desk/claims/${claim.id}`)).text();
		const submitForm = page.slice(page.indexOf(`action="/desk/verdicts/${row.id}/submit"`));
		expect(submitForm).toContain("Submit for review");
		// An old version: the claim page again, saying why; nothing submitted.
		const stale = await deskPost(checker, `/desk/verdicts/${row.id}/submit`, {
			version: String(row.version + 5),
			...idem(),
		});
		expect(stale.status).toBe(409);
		expect(await stale.text()).toMatch(
			new RegExp(`<p>${checker.user.name} saved this draft at [^<]+: nothing was submitted\\.`),
		);
		// Not their draft.
		expect(
			(await deskPost(other, `/desk/verdicts/${row.id}/submit`, { version: String(row.version), ...idem() }))
				.status,
		).toBe(403);
		expect(await inQueue(row.id)).toBe(false);

		const fields = { version: hidden(submitForm, "version") ?? "", _idem: hidden(submitForm, "_idem") ?? "" };
		const submitted = await deskPost(checker, `/desk/verdicts/${row.id}/submit`, fields);
		expect(submitted.status).toBe(303);
		expect(submitted.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=submitted`);
		// The same form twice (a double click) submits once and goes where the first went.
		const repeat = await deskPost(checker, `/desk/verdicts/${row.id}/submit`, fields);
		expect(repeat.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=submitted`);
		expect((await auditActions(row.id)).filter((entry) => entry.action === "submit")).toHaveLength(1);
		await backdate(row.id, 300);

		const after = await (await deskGet(checker, `/desk/claims/${claim.id}?done=submitted`)).text();
		expect(after).toContain("The draft is submitted for review");
		// The timeline says so; the form is gone.
		expect(after).toMatch(/<td>submitted for review \(verdict <code>/);
		expect(after).not.toContain(`action="/desk/verdicts/${row.id}/submit"`);
		expect(myDraft(await (await deskGet(checker, "/desk")).text(), row.id)).toContain(
			'data-review-state="submitted"',
		);
		const queued = await (await deskGet(editor, "/desk")).text();
		expect(homeRow(queued, "writing", row.id)).toBe("");
		expect(homeRow(queued, "verdict", row.id)).toContain("300 days");
		expect(homeRow(queued, "verdict", row.id)).toContain(`href="/desk/verdicts/${row.id}/preview"`);
		const german = await (await deskGet(checker, `/desk/claims/${claim.id}?lang=de`)).text();
		expect(german).toMatch(/<td>zur Prüfung eingereicht \(Bewertung <code>/);

		// Its edit form says a save keeps it in the queue, and offers no second submission.
		const edit = await (await deskGet(checker, `/desk/verdicts/${row.id}/edit`)).text();
		expect(edit).toContain('data-review-state="submitted"');
		expect(edit).not.toContain('name="submitForReview"');
		const resaved = await deskPost(checker, `/desk/verdicts/${row.id}`, {
			...verdictForm({ headline: "A typo fixed" }),
			version: hidden(edit, "version") ?? "",
		});
		expect(resaved.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=draft-saved`);
		expect(await inQueue(row.id)).toBe(true);
	});

	it("'Save and submit for review' drafts and submits in one step, in English and German", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const german = await (await deskGet(checker, `/desk/claims/${claim.id}/verdicts/new?lang=de`)).text();
		expect(german).toContain("Speichern und zur Prüfung einreichen");
		const response = await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, {
			...verdictForm(),
			submitForReview: "1",
		});
		expect(response.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=submitted`);
		const row = await env.DB.prepare(
			"SELECT id, version, submitted_at FROM verdicts WHERE claim_id = ? AND state = 'draft'",
		)
			.bind(claim.id)
			.first<{ id: string; version: number; submitted_at: string | null }>();
		expect(row?.version).toBe(1);
		expect(row?.submitted_at).not.toBeNull();
		expect((await auditActions(row?.id ?? "")).map((entry) => entry.action)).toEqual([
			"create-draft",
			"submit",
		]);
		expect(await inQueue(row?.id ?? "")).toBe(true);
	});
});
