import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { makeClaim } from "../factories";
import { call, json } from "../helpers";
import { account, apiCall, apiToken, deskGet, deskPost, hidden, snapshot, verdictForm } from "./helpers";

const TIMEOUT = { timeout: 60_000 };
type Member = Awaited<ReturnType<typeof account>>;

async function draftVia(checker: Member, claimId: string) {
	const response = await deskPost(checker, `/desk/claims/${claimId}/verdicts`, verdictForm());
	expect(response.status).toBe(303);
	const row = await env.DB.prepare("SELECT id, version FROM verdicts WHERE claim_id = ? AND state = 'draft'")
		.bind(claimId)
		.first<{ id: string; version: number }>();
	if (!row) throw new Error("no draft");
	return row;
}

async function discard(editor: Member, draft: { id: string; version: number }) {
	const response = await deskPost(editor, `/desk/verdicts/${draft.id}/discard`, {
		version: String(draft.version),
		confirm: "1",
		_idem: newToken(18),
	});
	expect(response.status).toBe(303);
}

/** What the checker typed into the draft's form while it was open. */
function typed(form: string, marker: string) {
	return verdictForm({
		version: hidden(form, "version") ?? "",
		headline: `A sharper headline ${marker}`,
		summary: `A summary typed meanwhile ${marker}`,
		body: `${"A long body. ".repeat(1000)}${marker}`,
		"evidence.1.url": `https://evidence.example/${marker}`,
		"evidence.1.title": `Second source ${marker}`,
	});
}

const versionOf = async (id: string) =>
	(await json<{ version: number }>(await call(`/api/v1/claims/${id}`))).version;

describe("a draft's form saved after the draft was discarded meanwhile", () => {
	it(
		"keeps the input in the claim's new-verdict form, saying so; saving it drafts anew",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const claim = await makeClaim();
			const draft = await draftVia(checker, claim.id);
			const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
			await discard(editor, draft);
			const marker = newId();
			const input = typed(form, marker);

			const before = await snapshot();
			const save = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=en`, input);
			expect(save.status).toBe(409);
			expect(await snapshot()).toEqual(before);
			const html = await save.text();
			expect(html).toContain("This draft was discarded meanwhile: nothing was saved.");
			expect(html).toContain(`action="/desk/claims/${claim.id}/verdicts"`);
			expect(html).toContain(`value="A sharper headline ${marker}"`);
			expect(html).toContain(`A summary typed meanwhile ${marker}`);
			expect(html).toContain(`A long body. A long body. ${marker}`);
			expect(html).toContain(`value="https://evidence.example/${marker}"`);
			expect(html).toContain(`value="Second source ${marker}"`);

			// "Add another link" the same way, in German, with one row more.
			const more = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=de`, {
				...input,
				evidenceRows: "3",
				moreEvidence: "1",
			});
			expect(more.status).toBe(409);
			const moreHtml = await more.text();
			expect(moreHtml).toContain("Dieser Entwurf wurde inzwischen verworfen: Nichts wurde gespeichert.");
			expect(moreHtml).toContain('name="evidence.3.url"');
			expect(moreHtml).toContain(`value="A sharper headline ${marker}"`);

			const saved = await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, {
				...input,
				_idem: hidden(html, "_idem") ?? "",
			});
			expect(saved.status).toBe(303);
			const row = await env.DB.prepare("SELECT headline FROM verdicts WHERE claim_id = ? AND state = 'draft'")
				.bind(claim.id)
				.first<{ headline: string }>();
			expect(row?.headline).toBe(`A sharper headline ${marker}`);
		},
	);

	it("someone drafted anew meanwhile: the form keeps the input and links their draft", TIMEOUT, async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const draft = await draftVia(checker, claim.id);
		const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
		await discard(editor, draft);
		const next = await draftVia(editor, claim.id);
		const marker = newId();
		const save = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=en`, typed(form, marker));
		expect(save.status).toBe(409);
		const html = await save.text();
		expect(html).toContain("This draft was discarded meanwhile");
		expect(html).toContain(`/desk/claims/${claim.id}#verdict-${next.id}`);
		expect(html).toContain(`value="A sharper headline ${marker}"`);
	});

	it("its claim merged meanwhile: the kept claim's form holds the input", TIMEOUT, async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const kept = await makeClaim({ language: "en" });
		const duplicate = await makeClaim({ language: "en" });
		const draft = await draftVia(checker, duplicate.id);
		const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
		await discard(editor, draft);
		const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
			token,
			body: { into: kept.id, version: await versionOf(duplicate.id), note: "The same claim." },
		});
		expect(merged.status).toBe(200);
		const marker = newId();
		const save = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=en`, typed(form, marker));
		expect(save.status).toBe(409);
		const html = await save.text();
		expect(html).toContain("This draft was discarded meanwhile");
		expect(html).toContain(`Claim ${duplicate.id} was merged into this claim meanwhile`);
		expect(html).toContain(`action="/desk/claims/${kept.id}/verdicts"`);
		expect(html).toContain(`value="A sharper headline ${marker}"`);
	});

	it(
		"its claim removed meanwhile: the typed text on a page of its own, not a bare 404",
		TIMEOUT,
		async () => {
			const checker = await account("checker");
			const editor = await account("editor");
			const { token } = await apiToken(editor.user, ["claims:write"]);
			const claim = await makeClaim({ language: "en" });
			const draft = await draftVia(checker, claim.id);
			const form = await (await deskGet(checker, `/desk/verdicts/${draft.id}/edit`)).text();
			await discard(editor, draft);
			const removed = await apiCall("DELETE", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: await versionOf(claim.id), reason: "Not a claim." },
			});
			expect(removed.status).toBe(200);
			const marker = newId();
			const save = await deskPost(checker, `/desk/verdicts/${draft.id}?lang=en`, typed(form, marker));
			expect(save.status).toBe(410);
			const html = await save.text();
			expect(html).toContain("This draft was discarded meanwhile and its claim removed from the tracker");
			expect(html).toMatch(
				new RegExp(
					`<textarea[^>]*>[\\s\\S]*A sharper headline ${marker}[\\s\\S]*A long body\\. ${marker}[\\s\\S]*Second source ${marker} &lt;https://evidence.example/${marker}&gt;`,
				),
			);
		},
	);

	it("an id that never named a draft is still a 404", async () => {
		const checker = await account("checker");
		const save = await deskPost(checker, `/desk/verdicts/${newId()}`, verdictForm({ version: "1" }));
		expect(save.status).toBe(404);
	});
});

describe("a draft's form saved after its claim was handed to another checker meanwhile", () => {
	it("offers the typed text as a note on the claim instead of a bare 403", TIMEOUT, async () => {
		const editor = await account("editor");
		const first = await account("checker");
		const second = await account("checker");
		const claim = await makeClaim();
		const assign = async (who: Member) =>
			expect(
				(
					await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
						assignee: who.user.email,
						_idem: newToken(18),
					})
				).status,
			).toBe(303);
		const draft = await draftVia(editor, claim.id);
		await assign(first);
		const form = await (await deskGet(first, `/desk/verdicts/${draft.id}/edit`)).text();
		expect(hidden(form, "version")).toBe(String(draft.version));
		await assign(second);
		const marker = newId();
		const input = typed(form, marker);

		const before = await snapshot();
		const save = await deskPost(first, `/desk/verdicts/${draft.id}?lang=en`, input);
		expect(save.status).toBe(403);
		expect(await snapshot()).toEqual(before);
		const html = await save.text();
		expect(html).toContain("This claim was assigned to someone else meanwhile, and its draft went with it");
		expect(html).toContain(`action="/desk/claims/${claim.id}/notes"`);
		expect(html).toMatch(
			new RegExp(
				`<textarea[^>]*name="text"[^>]*>My changes to the draft verdict[\\s\\S]*A sharper headline ${marker}[\\s\\S]*A summary typed meanwhile ${marker}[\\s\\S]*Second source ${marker} &lt;https://evidence.example/${marker}&gt;`,
			),
		);

		// "Add another link" the same way, in German.
		const more = await deskPost(first, `/desk/verdicts/${draft.id}?lang=de`, { ...input, moreEvidence: "1" });
		expect(more.status).toBe(403);
		const moreHtml = await more.text();
		expect(moreHtml).toContain("Diese Behauptung wurde inzwischen jemand anderem zugewiesen");
		expect(moreHtml).toContain(`A sharper headline ${marker}`);

		// A short text goes as it is: the note is on the claim.
		const note = await deskPost(first, `/desk/claims/${claim.id}/notes`, {
			text: `Headline: A sharper headline ${marker}`,
			_idem: hidden(html, "_idem") ?? "",
		});
		expect(note.status).toBe(303);
		expect(await (await deskGet(second, `/desk/claims/${claim.id}`)).text()).toContain(
			`A sharper headline ${marker}`,
		);
	});
});

describe("a new verdict's form sent after its claim was merged into one another checker holds", () => {
	it(
		"offers the text as a note for the holder at once, not the kept claim's form that would be refused",
		TIMEOUT,
		async () => {
			const holder = await account("checker");
			const drafter = await account("checker");
			const editor = await account("editor");
			const { token } = await apiToken(editor.user, ["claims:write"]);
			const kept = await makeClaim({ language: "en" });
			const duplicate = await makeClaim({ language: "en" });
			const taken = await deskPost(holder, `/desk/claims/${kept.id}/assignee`, {
				assignee: "me",
				_idem: newToken(18),
			});
			expect(taken.status).toBe(303);
			expect((await deskGet(drafter, `/desk/claims/${duplicate.id}/verdicts/new`)).status).toBe(200);
			const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
				token,
				body: { into: kept.id, version: await versionOf(duplicate.id), note: "The same claim." },
			});
			expect(merged.status).toBe(200);

			const before = await snapshot();
			const headline = `Drafted on the duplicate ${newId()}`;
			const sent = await deskPost(
				drafter,
				`/desk/claims/${duplicate.id}/verdicts?lang=en`,
				verdictForm({ headline, submitForReview: "1" }),
			);
			expect(sent.status).toBe(403);
			const html = await sent.text();
			expect(html).toContain(`Claim ${duplicate.id} was merged into this claim meanwhile.`);
			expect(html).toContain(`This claim is assigned to ${holder.user.name}`);
			expect(html).toContain(headline);
			expect(html).toContain(`action="/desk/claims/${kept.id}/notes"`);
			expect(html).not.toContain(`action="/desk/claims/${kept.id}/verdicts"`);
			expect(await snapshot()).toEqual(before);
		},
	);
});
