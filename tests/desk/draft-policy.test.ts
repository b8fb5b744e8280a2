import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { makeClaim, publish } from "../factories";
import { fetchWith, freshIp, json, racingD1 } from "../helpers";
import {
	account,
	apiCall,
	apiToken,
	deskGet,
	deskPost,
	hidden,
	ONE_DAY,
	ORIGIN,
	snapshot,
	verdictForm,
} from "./helpers";

const verdict = {
	rating: "false",
	headline: "Not so",
	evidence: [{ url: "https://evidence.example/a", title: "A" }],
	language: "en",
};

/** docs/decisions.md: a checker edits only the drafts they drafted; editors edit any. */
describe("who may edit a draft", () => {
	it("a checker cannot save or open another checker's draft; its author and an editor can", async () => {
		const author = await account("checker");
		const other = await account("checker");
		const editor = await account("editor");
		const tokenOf = async (a: typeof author) => (await apiToken(a.user, ["verdicts:write"])).token;
		const claim = await makeClaim();
		const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: await tokenOf(author),
			body: verdict,
		});
		const draft = await json<{ id: string; version: number }>(created);
		const save = (token: string, version: number, headline: string) =>
			apiCall("PUT", `/api/v1/verdicts/${draft.id}`, { token, body: { ...verdict, headline, version } });

		const refused = await save(await tokenOf(other), draft.version, "Overwritten");
		expect(refused.status).toBe(403);
		expect((await deskGet(other, `/desk/verdicts/${draft.id}/edit`)).status).toBe(403);

		const own = await save(await tokenOf(author), draft.version, "Mine, edited");
		expect(own.status).toBe(200);
		const byEditor = await save(
			await tokenOf(editor),
			(await json<{ version: number }>(own)).version,
			"Edited",
		);
		expect(byEditor.status).toBe(200);
		expect((await deskGet(editor, `/desk/verdicts/${draft.id}/edit`)).status).toBe(200);
	});
});

describe("a claim's assignee takes over its draft", () => {
	it("a checker a claim is handed to finds its draft among theirs, edits and discards it; others still cannot", async () => {
		const author = await account("checker");
		const successor = await account("checker");
		const bystander = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: (await apiToken(author.user, ["verdicts:write"])).token,
			body: verdict,
		});
		const draft = await json<{ id: string; version: number }>(created);
		expect((await deskGet(successor, `/desk/verdicts/${draft.id}/edit`)).status).toBe(403);
		const handed = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
			assignee: successor.user.email,
			_idem: newToken(18),
		});
		expect(handed.status).toBe(303);

		expect(await (await deskGet(successor, "/desk")).text()).toContain(
			`href="/desk/verdicts/${draft.id}/edit"`,
		);
		const claimPage = await (await deskGet(successor, `/desk/claims/${claim.id}`)).text();
		expect(claimPage).toContain(`action="/desk/verdicts/${draft.id}/discard"`);
		const form = await deskGet(successor, `/desk/verdicts/${draft.id}/edit`);
		expect(form.status).toBe(200);
		const saved = await deskPost(successor, `/desk/verdicts/${draft.id}`, {
			...verdictForm({ headline: "Taken over" }),
			version: hidden(await form.text(), "version") ?? "",
		});
		expect(saved.status).toBe(303);
		const saveByToken = await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
			token: (await apiToken(successor.user, ["verdicts:write"])).token,
			body: { ...verdict, headline: "Taken over by token", version: draft.version + 1 },
		});
		expect(saveByToken.status, await saveByToken.clone().text()).toBe(200);

		expect((await deskGet(bystander, `/desk/verdicts/${draft.id}/edit`)).status).toBe(403);
		const bystanderSave = await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
			token: (await apiToken(bystander.user, ["verdicts:write"])).token,
			body: { ...verdict, headline: "Not mine", version: draft.version + 2 },
		});
		expect(bystanderSave.status).toBe(403);

		const current = await json<{ version: number }>(saveByToken);
		const discarded = await deskPost(successor, `/desk/verdicts/${draft.id}/discard`, {
			confirm: "1",
			version: String(current.version),
			_idem: newToken(18),
		});
		expect(discarded.status).toBe(303);
	});
});

describe("a claim handed to another checker takes its draft from the checker who wrote it", () => {
	it("the drafter no longer edits, saves, submits or discards it, nor lists it; 'Being written' names the successor", async () => {
		const author = await account("checker");
		const successor = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const authorToken = (await apiToken(author.user, ["verdicts:write"])).token;
		const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: authorToken,
			body: verdict,
		});
		const draft = await json<{ id: string; version: number }>(created);
		// Longest open first: older than other tests' drafts, so "Being written" shows it.
		await env.DB.prepare("UPDATE verdicts SET created_at = ? WHERE id = ?")
			.bind(new Date(Date.now() - 250 * ONE_DAY).toISOString(), draft.id)
			.run();
		// The author's form, open while an editor hands the claim over.
		const form = await (await deskGet(author, `/desk/verdicts/${draft.id}/edit`)).text();
		expect(hidden(form, "version")).toBe(String(draft.version));
		const handed = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
			assignee: successor.user.email,
			_idem: newToken(18),
		});
		expect(handed.status).toBe(303);

		const before = await snapshot();
		expect((await deskGet(author, `/desk/verdicts/${draft.id}/edit`)).status).toBe(403);
		const stale = await deskPost(author, `/desk/verdicts/${draft.id}`, {
			...verdictForm({ headline: "Written over the successor" }),
			version: String(draft.version),
		});
		expect(stale.status).toBe(403);
		expect(await stale.text()).toContain("its draft went with it");
		const asToken = (path: string, method: string, body: unknown) =>
			apiCall(method, path, { token: authorToken, body });
		expect(
			(await asToken(`/api/v1/verdicts/${draft.id}`, "PUT", { ...verdict, version: draft.version })).status,
		).toBe(403);
		expect(
			(await asToken(`/api/v1/verdicts/${draft.id}/submit`, "POST", { version: draft.version })).status,
		).toBe(403);
		expect((await asToken(`/api/v1/verdicts/${draft.id}`, "DELETE", { version: draft.version })).status).toBe(
			403,
		);
		expect(await snapshot()).toEqual(before);

		const authorPage = await (await deskGet(author, `/desk/claims/${claim.id}`)).text();
		expect(authorPage).not.toContain(`action="/desk/verdicts/${draft.id}/discard"`);
		expect(authorPage).not.toContain(`href="/desk/verdicts/${draft.id}/edit"`);
		const mine = (html: string) => html.includes(`<li data-draft="${draft.id}">`);
		expect(mine(await (await deskGet(author, "/desk")).text())).toBe(false);
		expect(mine(await (await deskGet(successor, "/desk")).text())).toBe(true);
		const home = await (await deskGet(editor, "/desk")).text();
		const start = home.indexOf(`<tr data-writing="${draft.id}">`);
		expect(start).toBeGreaterThan(-1);
		const row = home.slice(start, home.indexOf("</tr>", start));
		expect(row).toContain(successor.user.name);
		expect(row).not.toContain(author.user.name);

		// Given back to nobody, the draft stays with the one who held the claim, not its author.
		const released = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
			assignee: "",
			_idem: newToken(18),
		});
		expect(released.status).toBe(303);
		expect((await deskGet(successor, `/desk/verdicts/${draft.id}/edit`)).status).toBe(200);
		expect((await deskGet(author, `/desk/verdicts/${draft.id}/edit`)).status).toBe(403);
	});
});

describe("a claim going back to nobody leaves its draft with the one who held it", () => {
	const writingRow = (home: string, id: string) => {
		const start = home.indexOf(`<tr data-writing="${id}">`);
		return start < 0 ? "" : home.slice(start, home.indexOf("</tr>", start));
	};

	it("unassigned by an editor after the successor rewrote it: the successor writes, lists and takes it; its drafter none of it", async () => {
		const author = await account("checker");
		const successor = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const authorToken = (await apiToken(author.user, ["verdicts:write"])).token;
		const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: authorToken,
			body: verdict,
		});
		const draft = await json<{ id: string; version: number }>(created);
		await env.DB.prepare("UPDATE verdicts SET created_at = ? WHERE id = ?")
			.bind(new Date(Date.now() - 249 * ONE_DAY).toISOString(), draft.id)
			.run();
		const assign = (assignee: string) =>
			deskPost(editor, `/desk/claims/${claim.id}/assignee`, { assignee, _idem: newToken(18) });
		expect((await assign(successor.user.email)).status).toBe(303);
		const form = await (await deskGet(successor, `/desk/verdicts/${draft.id}/edit`)).text();
		const rewritten = await deskPost(successor, `/desk/verdicts/${draft.id}`, {
			...verdictForm({ headline: "The successor's work" }),
			version: hidden(form, "version") ?? "",
		});
		expect(rewritten.status).toBe(303);
		expect((await assign("")).status).toBe(303);

		const before = await snapshot();
		expect((await deskGet(author, `/desk/verdicts/${draft.id}/edit`)).status).toBe(403);
		const asAuthor = (method: string, path: string, body: unknown) =>
			apiCall(method, path, { token: authorToken, body });
		const version = draft.version + 1;
		expect((await asAuthor("PUT", `/api/v1/verdicts/${draft.id}`, { ...verdict, version })).status).toBe(403);
		expect((await asAuthor("POST", `/api/v1/verdicts/${draft.id}/submit`, { version })).status).toBe(403);
		expect((await asAuthor("DELETE", `/api/v1/verdicts/${draft.id}`, { version })).status).toBe(403);
		const authorTakes = await deskPost(author, `/desk/claims/${claim.id}/assignee`, {
			assignee: "me",
			_idem: newToken(18),
		});
		expect(authorTakes.status).toBe(409);
		expect(await snapshot()).toEqual(before);

		const mine = (html: string) => html.includes(`<li data-draft="${draft.id}">`);
		expect(mine(await (await deskGet(author, "/desk")).text())).toBe(false);
		expect(mine(await (await deskGet(successor, "/desk")).text())).toBe(true);
		const row = writingRow(await (await deskGet(editor, "/desk")).text(), draft.id);
		expect(row).toContain(successor.user.name);
		expect(row).not.toContain(author.user.name);
		const authorPage = await (await deskGet(author, `/desk/claims/${claim.id}`)).text();
		expect(authorPage).not.toContain(`action="/desk/verdicts/${draft.id}/discard"`);
		expect(await (await deskGet(successor, `/desk/claims/${claim.id}`)).text()).toContain(
			`action="/desk/verdicts/${draft.id}/discard"`,
		);
		expect((await deskGet(successor, `/desk/verdicts/${draft.id}/edit`)).status).toBe(200);
		const successorTakes = await deskPost(successor, `/desk/claims/${claim.id}/assignee`, {
			assignee: "me",
			_idem: newToken(18),
		});
		expect(successorTakes.status).toBe(303);
	});

	it("released when its holder's account is disabled: the draft stays theirs, an editor's to assign, not its drafter's", async () => {
		const author = await account("checker");
		const holder = await account("checker");
		const editor = await account("editor");
		const admin = await account("admin");
		const claim = await makeClaim();
		const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: (await apiToken(author.user, ["verdicts:write"])).token,
			body: verdict,
		});
		const draft = await json<{ id: string }>(created);
		const handed = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
			assignee: holder.user.email,
			_idem: newToken(18),
		});
		expect(handed.status).toBe(303);
		const disabled = await deskPost(admin, `/desk/admin/users/${holder.user.id}/disable`, {
			confirm: "1",
			version: String(holder.user.version),
			_idem: newToken(18),
		});
		expect(disabled.status).toBe(303);
		expect((await deskGet(author, `/desk/verdicts/${draft.id}/edit`)).status).toBe(403);
		const taken = await deskPost(author, `/desk/claims/${claim.id}/assignee`, {
			assignee: "me",
			_idem: newToken(18),
		});
		expect(taken.status).toBe(409);
	});
});

describe("a claim another checker holds is theirs to draft", () => {
	it("offers no new-verdict form to another checker, and a draft posted anyway (submitted or not) saves nothing and is offered as a note", async () => {
		const holder = await account("checker");
		const other = await account("checker");
		const claim = await makeClaim();
		const taken = await deskPost(holder, `/desk/claims/${claim.id}/assignee`, {
			assignee: "me",
			_idem: newToken(18),
		});
		expect(taken.status).toBe(303);
		const newForm = `href="/desk/claims/${claim.id}/verdicts/new"`;
		const postsDraft = `action="/desk/claims/${claim.id}/verdicts"`;
		expect(await (await deskGet(holder, `/desk/claims/${claim.id}`)).text()).toContain(newForm);
		const page = await (await deskGet(other, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(page).not.toContain(newForm);
		expect(page).toContain(`assigned to ${holder.user.name}: they draft its verdict`);
		const form = await deskGet(other, `/desk/claims/${claim.id}/verdicts/new?lang=en`);
		expect(form.status).toBe(403);
		const formPage = await form.text();
		expect(formPage).not.toContain(postsDraft);
		expect(formPage).toContain(`assigned to ${holder.user.name}: they draft its verdict`);

		const before = await snapshot();
		const headline = `Drafted past the holder ${newId()}`;
		const posted = await deskPost(other, `/desk/claims/${claim.id}/verdicts?lang=en`, {
			...verdictForm({ headline }),
			submitForReview: "1",
		});
		expect(posted.status).toBe(403);
		const refusal = await posted.text();
		expect(refusal).toContain(`This claim is assigned to ${holder.user.name}`);
		expect(refusal).toContain(`action="/desk/claims/${claim.id}/notes"`);
		expect(refusal).toContain(headline);
		expect(refusal).not.toContain(postsDraft);
		// "Add another link" offers no form either.
		const more = await deskPost(other, `/desk/claims/${claim.id}/verdicts`, {
			...verdictForm({ headline }),
			moreEvidence: "1",
		});
		expect(more.status).toBe(403);
		expect(await more.text()).not.toContain(postsDraft);
		expect(await snapshot()).toEqual(before);
		const german = await deskPost(
			other,
			`/desk/claims/${claim.id}/verdicts?lang=de`,
			verdictForm({ headline }),
		);
		expect(german.status).toBe(403);
		expect(await german.text()).toContain(`Diese Behauptung ist ${holder.user.name} zugewiesen`);
		expect(await snapshot()).toEqual(before);

		const own = await deskPost(holder, `/desk/claims/${claim.id}/verdicts`, {
			...verdictForm({ headline }),
			submitForReview: "1",
		});
		expect(own.status).toBe(303);
		expect(own.headers.get("Location")).toBe(`/desk/claims/${claim.id}?done=submitted`);
	});
});

describe("a claim handed to another checker while a new draft is sent", () => {
	it("saves nothing and offers the text as a note, naming the new holder", async () => {
		const holder = await account("checker");
		const drafter = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const handOver = async () => {
			const handed = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
				assignee: holder.user.email,
				_idem: newToken(18),
			});
			expect(handed.status).toBe(303);
		};
		const headline = `Sent as it was handed over ${newId()}`;
		const { response } = await fetchWith(
			racingD1(/^insert into "verdicts"/i, handOver),
			`/desk/claims/${claim.id}/verdicts?lang=en`,
			{
				method: "POST",
				headers: {
					"Content-Type": "application/x-www-form-urlencoded",
					Origin: ORIGIN,
					"CF-Connecting-IP": freshIp(),
					Cookie: drafter.cookie,
				},
				body: new URLSearchParams({
					_csrf: drafter.csrf,
					...verdictForm({ headline }),
					submitForReview: "1",
				}).toString(),
				redirect: "manual",
			},
		);
		expect(response.status).toBe(403);
		const page = await response.text();
		expect(page).toContain(`This claim is assigned to ${holder.user.name}`);
		expect(page).toContain(headline);
		const drafts = await env.DB.prepare("SELECT count(*) AS n FROM verdicts WHERE claim_id = ?")
			.bind(claim.id)
			.first<{ n: number }>();
		expect(drafts?.n).toBe(0);
	});
});

describe("a claim handed over while its writer saves, submits or discards the draft", () => {
	it("writes nothing: the new holder's draft is neither saved over, submitted nor discarded", {
		timeout: 30_000,
	}, async () => {
		const holder = await account("checker");
		const successor = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const assign = async (to: typeof holder) => {
			const handed = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
				assignee: to.user.email,
				_idem: newToken(18),
			});
			expect(handed.status).toBe(303);
		};
		await assign(holder);
		const token = (await apiToken(holder.user, ["verdicts:write"])).token;
		const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, { token, body: verdict });
		const draft = await json<{ id: string; version: number }>(created);
		const stored = () =>
			env.DB.prepare("SELECT headline, version, submitted_at AS submittedAt FROM verdicts WHERE id = ?")
				.bind(draft.id)
				.first<{ headline: string; version: number; submittedAt: string | null }>();
		const asForm = (path: string, values: Record<string, string>, race: RegExp) =>
			fetchWith(
				racingD1(race, () => assign(successor)),
				`${path}?lang=en`,
				{
					method: "POST",
					headers: {
						"Content-Type": "application/x-www-form-urlencoded",
						Origin: ORIGIN,
						"CF-Connecting-IP": freshIp(),
						Cookie: holder.cookie,
					},
					body: new URLSearchParams({ _csrf: holder.csrf, _idem: newToken(18), ...values }).toString(),
					redirect: "manual",
				},
			);

		// "Save and submit for review", as the hand-over lands.
		const saved = await asForm(
			`/desk/verdicts/${draft.id}`,
			{
				...verdictForm({ headline: "Written over the successor" }),
				version: String(draft.version),
				submitForReview: "1",
			},
			/^update "verdicts"/i,
		);
		expect(saved.response.status).toBe(403);
		expect(await saved.response.text()).toContain("its draft went with it");
		expect(await stored()).toEqual({ headline: verdict.headline, version: draft.version, submittedAt: null });

		// "Discard", as the hand-over lands.
		await assign(holder);
		const discarded = await asForm(
			`/desk/verdicts/${draft.id}/discard`,
			{ confirm: "1", version: String(draft.version) },
			/^delete from "verdicts"/i,
		);
		expect(discarded.response.status).toBe(403);
		expect(await stored()).toEqual({ headline: verdict.headline, version: draft.version, submittedAt: null });

		// Submitted through the API, as the hand-over lands.
		await assign(holder);
		const { response } = await fetchWith(
			racingD1(/^update "verdicts"/i, () => assign(successor)),
			`/api/v1/verdicts/${draft.id}/submit`,
			{
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ version: draft.version }),
			},
		);
		expect(response.status).toBe(403);
		expect(await stored()).toEqual({ headline: verdict.headline, version: draft.version, submittedAt: null });
	});
});

describe("a submission or discard from a page shown before the claim changed hands", () => {
	it("shows the claim page naming who writes the draft now, not a bare 403", async () => {
		const holder = await account("checker");
		const successor = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const assign = async (to: typeof holder) => {
			const handed = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
				assignee: to.user.email,
				_idem: newToken(18),
			});
			expect(handed.status).toBe(303);
		};
		await assign(holder);
		const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: (await apiToken(holder.user, ["verdicts:write"])).token,
			body: verdict,
		});
		const draft = await json<{ id: string; version: number }>(created);
		// The holder's claim page, with its "Submit for review" and discard forms, then a hand-over.
		const shown = await (await deskGet(holder, `/desk/claims/${claim.id}`)).text();
		expect(shown).toContain(`action="/desk/verdicts/${draft.id}/submit"`);
		await assign(successor);

		const before = await snapshot();
		const submitted = await deskPost(holder, `/desk/verdicts/${draft.id}/submit?lang=en`, {
			version: String(draft.version),
			_idem: newToken(18),
		});
		expect(submitted.status).toBe(403);
		const page = await submitted.text();
		expect(page).toContain(
			`This draft is ${successor.user.name}’s to write now: its claim was handed over after this page was shown, and the draft went with it. Nothing was submitted.`,
		);
		expect(page).toContain(`id="verdict-${draft.id}"`);
		expect(page).not.toContain(`action="/desk/verdicts/${draft.id}/submit"`);
		const discarded = await deskPost(holder, `/desk/verdicts/${draft.id}/discard?lang=de`, {
			confirm: "1",
			version: String(draft.version),
			_idem: newToken(18),
		});
		expect(discarded.status).toBe(403);
		const german = await discarded.text();
		expect(german).toContain(`Diesen Entwurf schreibt jetzt ${successor.user.name}`);
		expect(german).toContain("Es wurde nichts verworfen.");
		expect(german).toContain(`id="verdict-${draft.id}"`);
		expect(await snapshot()).toEqual(before);
	});
});

describe("a claim held by a member who left", () => {
	it("says an editor assigns it on, offers no note to them, and keeps them chosen in the editor's assignment form", async () => {
		const departed = await account("checker");
		const other = await account("checker");
		const editor = await account("editor");
		const admin = await account("admin");
		const claim = await makeClaim();
		const assigned = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
			assignee: departed.user.email,
			_idem: newToken(18),
		});
		expect(assigned.status).toBe(303);
		await publish(claim.id);
		// A published claim is no open work: disabling its holder leaves it assigned to them.
		const disabled = await deskPost(admin, `/desk/admin/users/${departed.user.id}/disable`, {
			confirm: "1",
			version: String(departed.user.version),
			_idem: newToken(18),
		});
		expect(disabled.status).toBe(303);

		const page = await (await deskGet(other, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(page).toContain(
			`This claim is assigned to ${departed.user.name}, who has left the desk (the account is disabled): an editor assigns it to someone else before a verdict is drafted.`,
		);
		expect(page).not.toContain("Leave them a note");
		const posted = await deskPost(other, `/desk/claims/${claim.id}/verdicts?lang=de`, verdictForm());
		expect(posted.status).toBe(403);
		const refusal = await posted.text();
		expect(refusal).toContain(
			`Diese Behauptung ist ${departed.user.name} zugewiesen, die Person hat die Redaktion verlassen`,
		);
		expect(refusal).toContain("als Notiz an der Behauptung für die Redaktion");
		const api = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: (await apiToken(other.user, ["verdicts:write"])).token,
			body: verdict,
		});
		expect(api.status).toBe(403);
		expect(await json(api)).toMatchObject({
			type: "urn:claimtrack:problem:claim-of-another-checker",
			detail: expect.stringContaining("whose account is disabled: an editor assigns it to someone else"),
			assignee: { name: departed.user.name, email: departed.user.email },
		});

		const editorPage = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		const form = editorPage.slice(editorPage.indexOf('class="assignment"'), editorPage.indexOf("</section>"));
		expect(form).toContain(`<bdi>${departed.user.name}</bdi> (account disabled)`);
		expect(form).toContain(
			`<option value="${departed.user.email}" selected="">${departed.user.name} (account disabled)</option>`,
		);
		expect(form).toContain('<option value="">(unassigned)</option>');
		// Sent as shown: nothing changes, no 422.
		const unchanged = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
			assignee: departed.user.email,
			_idem: newToken(18),
		});
		expect(unchanged.status).toBe(303);
		const holder = await env.DB.prepare("SELECT assignee_id AS id FROM claims WHERE id = ?")
			.bind(claim.id)
			.first<{ id: string | null }>();
		expect(holder?.id).toBe(departed.user.id);
	});
});

describe("taking a claim does not take another checker's draft", () => {
	it("a checker cannot take an unassigned claim while another checker's draft is open on it", async () => {
		const author = await account("checker");
		const other = await account("checker");
		const claim = await makeClaim();
		const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: (await apiToken(author.user, ["verdicts:write"])).token,
			body: verdict,
		});
		const draft = await json<{ id: string }>(created);
		const taken = await deskPost(other, `/desk/claims/${claim.id}/assignee`, {
			assignee: "me",
			_idem: newToken(18),
		});
		expect(taken.status).toBe(409);
		expect(await taken.text()).toContain("Another checker");
		expect((await deskGet(other, `/desk/verdicts/${draft.id}/edit`)).status).toBe(403);
		// Its own author may take it.
		const own = await deskPost(author, `/desk/claims/${claim.id}/assignee`, {
			assignee: "me",
			_idem: newToken(18),
		});
		expect(own.status).toBe(303);
	});
});

describe("appearances need no review, and the desk sees them", () => {
	it("an appearance added to a published claim is public at once and listed in the desk's activity", async () => {
		const checker = await account("checker");
		const { token } = await apiToken(checker.user, ["claims:write"]);
		const claim = await makeClaim();
		await publish(claim.id);
		const url = `https://news.example/${newId()}`;
		const added = await apiCall("POST", `/api/v1/claims/${claim.id}/appearances`, {
			token,
			body: { source: { url, title: "Another outlet" } },
		});
		expect(added.status).toBe(201);
		const publicClaim = await json<{ appearances: { source: { url: string } }[] }>(
			await apiCall("GET", `/api/v1/claims/${claim.id}`),
		);
		expect(publicClaim.appearances.map((a) => a.source.url)).toContain(url);
		const home = await (await deskGet(checker, "/desk")).text();
		expect(home).toContain("Recent public changes");
		expect(home).toContain(`href="/desk/claims/${claim.id}"`);
		expect(home).toContain("New appearance of a claim");
	});

	it("a checked claim's public edit and withdrawn appearance are listed; an unchecked claim's edit is not", async () => {
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const checked = await makeClaim();
		await publish(checked.id);
		const unchecked = await makeClaim();
		const versionOf = async (id: string) =>
			(await json<{ version: number }>(await apiCall("GET", `/api/v1/claims/${id}`, { token }))).version;
		const edited = await apiCall("PATCH", `/api/v1/claims/${checked.id}`, {
			token,
			body: {
				version: await versionOf(checked.id),
				claimedAt: "2025-07-11",
				note: "The date was a day off.",
			},
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		const quiet = await apiCall("PATCH", `/api/v1/claims/${unchecked.id}`, {
			token,
			body: { version: await versionOf(unchecked.id), claimedAt: "2025-07-11" },
		});
		expect(quiet.status).toBe(200);
		const added = await apiCall("POST", `/api/v1/claims/${checked.id}/appearances`, {
			token,
			body: { source: { url: `https://news.example/${newId()}`, title: "Another outlet" } },
		});
		const appearance = await json<{ id: string }>(added);
		const withdrawn = await apiCall("DELETE", `/api/v1/claims/${checked.id}/appearances/${appearance.id}`, {
			token,
			body: { version: await versionOf(checked.id), note: "The outlet quoted someone else." },
		});
		expect(withdrawn.status, await withdrawn.clone().text()).toBe(200);
		const home = await (await deskGet(editor, "/desk?lang=en")).text();
		const activity = home.slice(home.indexOf("Recent public changes"));
		expect(activity).toContain("Checked claim edited (public, with a note)");
		expect(activity).toContain("Appearance withdrawn from a checked claim (public, with a note)");
		expect(activity).toContain(`href="/desk/claims/${checked.id}"`);
		expect(activity).not.toContain(`href="/desk/claims/${unchecked.id}"`);
	});
});
