import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { shortQuote } from "../../src/domain/typography";
import { SYSTEM } from "../../src/store/batch";
import { setUserDisabled } from "../../src/store/users";
import { draft, edit, makeClaim } from "../factories";
import { call, fetchWith, freshIp, json, racingD1, testDb } from "../helpers";
import { useOwnDatabase } from "../own-database";
import {
	account,
	apiCall,
	apiToken,
	deskGet,
	deskPost,
	formFields,
	hidden,
	ORIGIN,
	verdictForm,
} from "./helpers";

useOwnDatabase();

/** The desk working together through its forms: assignment, notes, topics, the review loop. */

const idem = () => ({ _idem: newToken(18) });

describe("desk: working together on a claim", () => {
	it("an editor assigns, a checker takes an unassigned claim and finds it in 'My queue'", async () => {
		const editor = await account("editor");
		const checker = await account("checker");
		const claim = await makeClaim();
		const page = await (await deskGet(checker, `/desk/claims/${claim.id}`)).text();
		expect(page).toContain("Take this claim");
		expect(page).not.toContain('id="f-assignee"');
		const taken = await deskPost(checker, `/desk/claims/${claim.id}/assignee`, { assignee: "me", ...idem() });
		expect(taken.status).toBe(303);
		expect(taken.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=assigned`);
		const mine = await (await deskGet(checker, "/desk?list=mine")).text();
		expect(mine).toContain(`/desk/claims/${claim.id}`);
		// Taken: the checker's form is gone; another checker cannot take it.
		const other = await account("checker");
		const refused = await deskPost(other, `/desk/claims/${claim.id}/assignee`, { assignee: "me", ...idem() });
		expect(refused.status).toBe(409);
		// The editor sees every member and reassigns.
		const editorPage = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		expect(editorPage).toContain('id="f-assignee"');
		expect(editorPage).toContain(`value="${other.user.email}"`);
		// A member who does not exist (a tampered form): the page says so, nothing changes.
		const unknown = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
			assignee: "nobody@desk.test",
			...idem(),
		});
		expect(unknown.status).toBe(422);
		expect(await unknown.text()).toContain("No active desk member has this email.");
		await deskPost(editor, `/desk/claims/${claim.id}/assignee`, { assignee: other.user.email, ...idem() });
		const after = await (await deskGet(editor, `/desk/claims/${claim.id}?done=assigned`)).text();
		expect(after).toContain("The assignment is saved.");
		expect(after).toContain(other.user.name);
		expect(after).toContain("assigned the claim");
		expect(await (await deskGet(checker, "/desk?list=mine")).text()).not.toContain(
			`/desk/claims/${claim.id}"`,
		);
		const unassigned = await (await deskGet(editor, "/desk?list=unassigned")).text();
		expect(unassigned).not.toContain(`/desk/claims/${claim.id}"`);
	});

	it("assigning a member disabled while the form was sent says so, and the claim stays unassigned", async () => {
		const editor = await account("editor");
		const checker = await account("checker");
		const claim = await makeClaim();
		const disable = () =>
			setUserDisabled(testDb(), SYSTEM("admin"), checker.user.id, checker.user.version, true);
		const { response } = await fetchWith(
			racingD1(/^update "claims" set "assignee_id"/i, disable),
			`/desk/claims/${claim.id}/assignee`,
			{
				method: "POST",
				headers: {
					"CF-Connecting-IP": freshIp(),
					"Content-Type": "application/x-www-form-urlencoded",
					Cookie: editor.cookie,
					Origin: ORIGIN,
				},
				body: new URLSearchParams({ _csrf: editor.csrf, assignee: checker.user.email, ...idem() }).toString(),
				redirect: "manual",
			},
		);
		expect(response.status).toBe(422);
		expect(await response.text()).toContain("No active desk member has this email.");
		const unassigned = await (await deskGet(editor, "/desk?list=unassigned")).text();
		expect(unassigned).toContain(`/desk/claims/${claim.id}"`);
	});

	it("'Take this claim' on a claim one holds already (a page loaded before) is done, not a conflict", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		// Two tabs: both loaded while it was unassigned.
		const tabs = [
			await deskGet(checker, `/desk/claims/${claim.id}`),
			await deskGet(checker, `/desk/claims/${claim.id}`),
		];
		for (const tab of tabs) expect(await tab.text()).toContain("Take this claim");
		for (const _ of tabs) {
			const taken = await deskPost(checker, `/desk/claims/${claim.id}/assignee`, {
				assignee: "me",
				...idem(),
			});
			expect(taken.status, await taken.clone().text()).toBe(303);
			expect(taken.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=assigned`);
		}
		const assigned = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE entity = 'claim' AND entity_id = ? AND action = 'assign'",
		)
			.bind(claim.id)
			.first<{ n: number }>();
		expect(assigned?.n).toBe(1);
		const other = await account("checker");
		const refused = await deskPost(other, `/desk/claims/${claim.id}/assignee`, { assignee: "me", ...idem() });
		expect(refused.status).toBe(409);
		expect(await refused.text()).toContain("Someone else took this claim meanwhile.");
	});

	it("'Give this claim back' after an editor handed the claim on says who holds it now; given back already, nothing to do", async () => {
		const editor = await account("editor");
		const checker = await account("checker");
		const successor = await account("checker");
		const claim = await makeClaim();
		const assign = (who: typeof editor, assignee: string) =>
			deskPost(who, `/desk/claims/${claim.id}/assignee`, { assignee, ...idem() });
		expect((await assign(checker, "me")).status).toBe(303);
		const page = await (await deskGet(checker, `/desk/claims/${claim.id}`)).text();
		expect(page).toContain("Give this claim back");
		expect((await assign(editor, successor.user.email)).status).toBe(303);

		// The checker's page, loaded before the editor handed the claim on.
		const refused = await assign(checker, "");
		const html = await refused.text();
		expect(refused.status, html).toBe(409);
		expect(html).toContain(
			`This claim is assigned to ${successor.user.name} now (an editor handed it over meanwhile): nothing was given back.`,
		);
		expect(html).toContain('class="assignment"');
		const holder = await env.DB.prepare("SELECT assignee_id AS id FROM claims WHERE id = ?")
			.bind(claim.id)
			.first<{ id: string | null }>();
		expect(holder?.id).toBe(successor.user.id);
		// The API says so too, naming the holder.
		const { token } = await apiToken(checker.user, ["claims:write"]);
		const api = await apiCall("POST", `/api/v1/claims/${claim.id}/assignee`, {
			token,
			body: { email: null },
		});
		expect(api.status).toBe(409);
		expect(await json(api)).toMatchObject({
			type: "urn:claimtrack:problem:assigned-to-another",
			assignee: { name: successor.user.name, email: successor.user.email },
		});

		// Given back by its holder, then "Give this claim back" from an older tab: nothing to do.
		expect((await assign(successor, "")).status).toBe(303);
		const again = await assign(successor, "");
		expect(again.status).toBe(303);
		expect(again.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=unassigned-already`);
		const shown = await (await deskGet(successor, again.headers.get("location") ?? "")).text();
		expect(shown).toContain("This claim is assigned to nobody already: nothing to do.");
		const byToken = await apiCall("POST", `/api/v1/claims/${claim.id}/assignee`, {
			token: (await apiToken(successor.user, ["claims:write"])).token,
			body: { email: null },
		});
		expect(byToken.status).toBe(200);
		expect(await json(byToken)).toMatchObject({ assignee: null });
	});

	it("'Give this claim back' is not offered with one's own draft open, and refused if sent; an unassigned claim another writes the draft of says so instead of offering a take", async () => {
		const editor = await account("editor");
		const holder = await account("checker");
		const colleague = await account("checker");
		const claim = await makeClaim();
		const assign = (who: typeof editor, assignee: string) =>
			deskPost(who, `/desk/claims/${claim.id}/assignee?lang=en`, { assignee, ...idem() });
		expect((await assign(holder, "me")).status).toBe(303);
		await draft(claim.id, `Mine ${newId()}`, holder.user.id);
		const page = await (await deskGet(holder, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(page).not.toContain("Give this claim back");
		expect(page).toContain(
			"Your draft is open on this claim: to give the claim back, discard the draft first",
		);

		// A page loaded before the draft was opened: nothing given back, and the page says why.
		const refused = await assign(holder, "");
		expect(refused.status).toBe(409);
		expect(await refused.text()).toContain("Your draft is open on this claim and would stay yours");
		const german = await deskPost(holder, `/desk/claims/${claim.id}/assignee?lang=de`, {
			assignee: "",
			...idem(),
		});
		expect(german.status).toBe(409);
		expect(await german.text()).toContain("Ihr Entwurf zu dieser Behauptung ist offen und bliebe Ihrer");
		const api = await apiCall("POST", `/api/v1/claims/${claim.id}/assignee`, {
			token: (await apiToken(holder.user, ["claims:write"])).token,
			body: { email: null },
		});
		expect(api.status).toBe(409);
		expect(await json(api)).toMatchObject({ type: "urn:claimtrack:problem:draft-open" });
		const held = await env.DB.prepare("SELECT assignee_id AS id FROM claims WHERE id = ?")
			.bind(claim.id)
			.first<{ id: string | null }>();
		expect(held?.id).toBe(holder.user.id);

		// An editor unassigns it: the draft stays the holder's, who alone may take the claim back.
		expect((await assign(editor, "")).status).toBe(303);
		const colleaguePage = await (await deskGet(colleague, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(colleaguePage).not.toContain('name="assignee" value="me"');
		expect(colleaguePage).toContain(
			`${holder.user.name} writes the open draft of this claim, so it cannot be taken with it: an editor assigns the claim.`,
		);
		expect(await (await deskGet(holder, `/desk/claims/${claim.id}`)).text()).toContain(
			'name="assignee" value="me"',
		);
		const listed = async (who: typeof editor) => {
			const list = await (
				await deskGet(who, `/desk?list=unassigned&q=${encodeURIComponent(claim.text)}&lang=en`)
			).text();
			const start = list.indexOf(`<li data-claim="${claim.id}">`);
			expect(start).toBeGreaterThan(-1);
			return list.slice(start, list.indexOf("</li>", start));
		};
		expect(await listed(colleague)).toContain(
			`${holder.user.name}’s draft is open on it: an editor assigns it`,
		);
		expect(await listed(holder)).toContain("your draft is open on it");
		expect((await assign(holder, "me")).status).toBe(303);
	});

	it("an editor's 'Assign' from a page that showed nobody does not take a colleague's claim and draft taken since: says who holds it, keeps the choice (en)", async () => {
		const editor = await account("editor");
		const [alice, bob] = [await account("checker"), await account("checker")];
		const claim = await makeClaim();
		const shown = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(shown).toContain('<h2 id="assignee-h">Assigned to</h2><p>nobody</p>');
		// Meanwhile Bob takes the claim and saves a draft.
		expect(
			(await deskPost(bob, `/desk/claims/${claim.id}/assignee`, { assignee: "me", ...idem() })).status,
		).toBe(303);
		expect((await deskPost(bob, `/desk/claims/${claim.id}/verdicts`, verdictForm())).status).toBe(303);

		const sent = await deskPost(editor, `/desk/claims/${claim.id}/assignee?lang=en`, {
			...formFields(shown, `/desk/claims/${claim.id}/assignee`),
			assignee: alice.user.email,
		});
		const page = await sent.text();
		expect(sent.status, page).toBe(409);
		expect(page).toContain(
			`This claim was assigned to ${bob.user.name} meanwhile: nothing was assigned. Your choice is kept below: assign again to hand it on. A draft by ${bob.user.name} is open on it and goes with the claim.`,
		);
		expect(page).toContain(`<option value="${alice.user.email}" selected="">`);
		const held = await env.DB.prepare("SELECT assignee_id FROM claims WHERE id = ?")
			.bind(claim.id)
			.first<{ assignee_id: string | null }>();
		expect(held?.assignee_id).toBe(bob.user.id);
		// Sent again from the page that says so, the hand-over is made, knowingly.
		const again = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
			...formFields(page, `/desk/claims/${claim.id}/assignee`),
		});
		expect(again.status, await again.clone().text()).toBe(303);
		const now = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(now).toContain(`<h2 id="assignee-h">Assigned to</h2><p><bdi>${alice.user.name}</bdi></p>`);
	});

	it("two editors assigning at once from pages that showed nobody: the second is told in German, not last-one-wins (de)", async () => {
		const [first, second] = [await account("editor"), await account("editor")];
		const [alice, bob] = [await account("checker"), await account("checker")];
		const claim = await makeClaim();
		const action = `/desk/claims/${claim.id}/assignee`;
		const [one, two] = await Promise.all([
			deskGet(first, `/desk/claims/${claim.id}?lang=de`).then((r) => r.text()),
			deskGet(second, `/desk/claims/${claim.id}?lang=de`).then((r) => r.text()),
		]);
		expect(
			(await deskPost(first, action, { ...formFields(one, action), assignee: alice.user.email })).status,
		).toBe(303);
		const refused = await deskPost(second, `${action}?lang=de`, {
			...formFields(two, action),
			assignee: bob.user.email,
		});
		const page = await refused.text();
		expect(refused.status, page).toBe(409);
		expect(page).toContain(
			`Diese Behauptung wurde inzwischen ${alice.user.name} zugewiesen: Es wurde nichts zugewiesen. Ihre Auswahl steht unten: Weisen Sie erneut zu, um sie weiterzugeben.`,
		);
		expect(page).toContain(`<option value="${bob.user.email}" selected="">`);
		// Given back to nobody since: said so too.
		const own = await (await deskGet(first, `/desk/claims/${claim.id}?lang=de`)).text();
		const unassigned = await deskPost(first, action, { ...formFields(own, action), assignee: "" });
		expect(unassigned.status).toBe(303);
		const late = await deskPost(second, `${action}?lang=de`, {
			...formFields(page, action),
			assignee: bob.user.email,
		});
		expect(late.status).toBe(409);
		expect(await late.text()).toContain(
			"Diese Behauptung ist inzwischen niemandem mehr zugewiesen: Es wurde nichts zugewiesen.",
		);
	});

	it("internal notes: escaped, links clickable, never on the public page", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const marker = `marker-${newId()}`;
		const text = `<script>x</script> ${marker} see https://evidence.example/log?a=1.`;
		const empty = await deskPost(checker, `/desk/claims/${claim.id}/notes`, { text: " ", ...idem() });
		expect(empty.status).toBe(422);
		expect(await empty.text()).toContain('aria-invalid="true"');
		const posted = await deskPost(checker, `/desk/claims/${claim.id}/notes`, { text, ...idem() });
		expect(posted.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=note-added`);
		const html = await (await deskGet(checker, `/desk/claims/${claim.id}`)).text();
		expect(html).toContain("&lt;script&gt;x&lt;/script&gt;");
		expect(html).toContain('<a href="https://evidence.example/log?a=1" rel="noopener nofollow noreferrer">');
		expect(html).toContain(checker.user.name);
		// Its time says its zone, the newsroom's (Berlin here): an unlabelled time reads as local.
		expect(html).toMatch(/\d{1,2} \w{3} \d{4}, \d{2}:\d{2} CES?T/);
		for (const path of [`/claims/${claim.id}?lang=en`, `/api/v1/claims/${claim.id}`]) {
			expect(await (await call(path)).text(), path).not.toContain(marker);
		}
	});

	it("topics are saved at the claim's version and linked publicly", async () => {
		const editor = await account("editor");
		const claim = await makeClaim();
		const page = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		const version =
			/name="version" value="(\d+)"/.exec(
				page.slice(page.indexOf(`action="/desk/claims/${claim.id}/tags"`)),
			)?.[1] ?? "1";
		const topic = `Grenze ${newId().slice(0, 5)}`;
		const saved = await deskPost(editor, `/desk/claims/${claim.id}/tags`, {
			tags: `${topic}, Russland`,
			version,
			...idem(),
		});
		expect(saved.status).toBe(303);
		const stale = await deskPost(editor, `/desk/claims/${claim.id}/tags`, {
			tags: "Anders",
			version,
			...idem(),
		});
		expect(stale.status).toBe(409);
		const publicPage = await (await call(`/claims/${claim.id}?lang=de`)).text();
		expect(publicPage).toContain(`href="/tags/${topic.toLowerCase().replace(" ", "-")}"`);
		expect(publicPage).toContain("Russland");
	});

	it("a German desk says what is wrong with a topic in German, and a claim's tab names its words", async () => {
		const editor = await account("editor");
		const claim = await makeClaim({
			text: `Die Brücke über den Rhein ${newId()} ist seit Jahren gesperrt und wird nie wieder geöffnet`,
		});
		const page = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		expect(page).toContain(`<title>${shortQuote(claim.text, 60)} – `);
		expect(shortQuote(claim.text, 60)).toMatch(/ seit Jahren…$/);
		const version =
			/name="version" value="(\d+)"/.exec(
				page.slice(page.indexOf(`action="/desk/claims/${claim.id}/tags"`)),
			)?.[1] ?? "1";
		const refused = await deskPost(editor, `/desk/claims/${claim.id}/tags?lang=de`, {
			tags: "!!!",
			version,
			...idem(),
		});
		expect(refused.status).toBe(422);
		expect(await refused.text()).toContain("„!!!“ hat keine Buchstaben oder Ziffern für eine Themenadresse.");
	});

	it("topics keep their address through a rename, in any script, and a name with a comma is refused", async () => {
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const claim = await makeClaim();
		const versionOf = async () =>
			/name="version" value="(\d+)"/.exec(
				(await (await deskGet(editor, `/desk/claims/${claim.id}`)).text()).split(
					`action="/desk/claims/${claim.id}/tags"`,
				)[1] ?? "",
			)?.[1] ?? "";
		const tail = newId().slice(0, 5);
		const save = async (tags: string) =>
			deskPost(editor, `/desk/claims/${claim.id}/tags`, { tags, version: await versionOf(), ...idem() });
		expect((await save(`Ukraine war ${tail}`)).status).toBe(303);
		const slug = `ukraine-war-${tail}`;
		const renamed = await apiCall("PATCH", `/api/v1/tags/${slug}`, {
			token,
			body: { nameEn: `Ukraine conflict ${tail}`, nameDe: `Ukraine-Krieg ${tail}` },
		});
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		// The desk shows the new name; saving it with more topics keeps the topic.
		const field = /name="tags"[^>]*value="([^"]*)"/.exec(
			(await (await deskGet(editor, `/desk/claims/${claim.id}`)).text()).split(
				`action="/desk/claims/${claim.id}/tags"`,
			)[1] ?? "",
		)?.[1];
		expect(field).toBe(`Ukraine conflict ${tail}`);
		expect((await save(`${field}, Война ${tail}, Россия 2024 ${tail}, Украина 2024 ${tail}`)).status).toBe(
			303,
		);
		const topics = (
			await json<{ tags: { slug: string; name: string }[] }>(await call(`/api/v1/claims/${claim.id}?lang=de`))
		).tags;
		expect(topics).toHaveLength(4);
		expect(topics.map((t) => t.slug)).toContain(slug);
		expect(topics.find((t) => t.slug === slug)?.name).toBe(`Ukraine-Krieg ${tail}`);
		for (const name of [`Война ${tail}`, `Россия 2024 ${tail}`, `Украина 2024 ${tail}`]) {
			const topic = topics.find((t) => t.name === name);
			expect(topic?.slug, name).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{8}$/);
			expect((await call(`/tags/${topic?.slug}?lang=de`)).status, name).toBe(200);
		}
		// Another topic with the same name (names need not be unique): saving keeps the claim's own.
		const other = await makeClaim();
		const taken = await apiCall("PATCH", `/api/v1/claims/${other.id}`, {
			token,
			body: { version: other.version, tags: [`Ukraine conflict ${tail}`] },
		});
		expect((await json<{ tags: { slug: string }[] }>(taken)).tags.map((t) => t.slug)).toEqual([slug]);
		// As the old desk made them: a second topic named like the first.
		await env.DB.prepare("INSERT INTO tags (slug, name_en, name_de) VALUES (?, ?, ?)")
			.bind(`ukraine-conflict-${tail}`, `Ukraine conflict ${tail}`, `Ukraine conflict ${tail}`)
			.run();
		expect((await save(field ?? "")).status).toBe(303);
		const kept = (await json<{ tags: { slug: string }[] }>(await call(`/api/v1/claims/${claim.id}`))).tags;
		expect(kept.map((t) => t.slug)).toEqual([slug]);
		// A comma would split the topic in the desk's field.
		const comma = await apiCall("PATCH", `/api/v1/tags/${slug}`, {
			token,
			body: { nameDe: "Krieg, Frieden" },
		});
		expect(comma.status).toBe(422);
		const version = (await json<{ version: number }>(await call(`/api/v1/claims/${claim.id}`))).version;
		const refused = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version, tags: ["Krieg, Frieden"] },
		});
		expect(refused.status).toBe(422);
	});

	it("the topics field finds a topic by a name typed in another form that shows the same", async () => {
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const tail = newId().slice(0, 5);
		// A topic's name, and the same typed in the field: a no-break space, a ligature, a soft hyphen, a variation selector.
		const forms = [
			[`Ukraine\u00A0Krieg ${tail}`, `ukraine krieg ${tail}`],
			[`\uFB01nanzen ${tail}`, `FINANZEN ${tail}`],
			[`Wahlkampf ${tail}`, `Wahl\u00ADkampf ${tail}`],
			[`\u2714\uFE0F Fakten ${tail}`, `\u2714 fakten ${tail}`],
		];
		const existing: string[] = [];
		for (const [index, [name]] of forms.entries()) {
			const claim = await makeClaim();
			const made = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: claim.version, tags: [`Thema ${index} ${tail}`] },
			});
			const slug = (await json<{ tags: { slug: string }[] }>(made)).tags[0]?.slug ?? "";
			const renamed = await apiCall("PATCH", `/api/v1/tags/${slug}`, { token, body: { nameDe: name } });
			expect(renamed.status, await renamed.clone().text()).toBe(200);
			existing.push(slug);
		}
		const claim = await makeClaim();
		const page = (await (await deskGet(editor, `/desk/claims/${claim.id}`)).text()).split(
			`action="/desk/claims/${claim.id}/tags"`,
		)[1];
		const version = /name="version" value="(\d+)"/.exec(page ?? "")?.[1] ?? "";
		const saved = await deskPost(editor, `/desk/claims/${claim.id}/tags`, {
			tags: forms.map(([, typed]) => typed).join(", "),
			version,
			...idem(),
		});
		expect(saved.status).toBe(303);
		const filed = (await json<{ tags: { slug: string }[] }>(await call(`/api/v1/claims/${claim.id}`))).tags;
		expect(filed.map((t) => t.slug).sort()).toEqual([...existing].sort());
	});

	it("an editor returns a draft with a note; the checker sees 'changes requested' until they submit it again", async () => {
		const editor = await account("editor");
		const checker = await account("checker");
		const claim = await makeClaim();
		const opened = await draft(claim.id, `Draft ${newId()}`, checker.user.id);
		const refused = await deskPost(checker, `/desk/verdicts/${opened.id}/return`, {
			version: String(opened.version),
			returnNote: "x",
			...idem(),
		});
		expect(refused.status).toBe(403);
		const blank = await deskPost(editor, `/desk/verdicts/${opened.id}/return`, {
			version: String(opened.version),
			returnNote: "  ",
			...idem(),
		});
		expect(blank.status).toBe(422);
		const returned = await deskPost(editor, `/desk/verdicts/${opened.id}/return`, {
			version: String(opened.version),
			returnNote: "Cite the ministry's figures, see https://ministry.example/figures",
			...idem(),
		});
		expect(returned.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=returned`);
		const home = await (await deskGet(checker, "/desk")).text();
		expect(home).toContain("changes requested");
		const claimPage = await (await deskGet(checker, `/desk/claims/${claim.id}`)).text();
		expect(claimPage).toContain("Review notes");
		expect(claimPage).toContain("Cite the ministry&#39;s figures");
		expect(claimPage).toContain("returned the draft with a note");
		const form = await (await deskGet(checker, `/desk/verdicts/${opened.id}/edit`)).text();
		// The note is on the form the checker fixes the draft with.
		expect(form).toContain("Review notes");
		expect(form).toContain('<a href="https://ministry.example/figures" rel="noopener nofollow noreferrer">');
		const saved = await deskPost(checker, `/desk/verdicts/${opened.id}`, {
			...verdictForm({ headline: "Fixed headline" }),
			version: hidden(form, "version") ?? "",
		});
		expect(saved.status).toBe(303);
		// A save does not answer the return: submitting the draft again does.
		const mine = (html: string) => {
			const start = html.indexOf(`<li data-draft="${opened.id}">`);
			return start < 0 ? "" : html.slice(start, html.indexOf("</li>", start));
		};
		expect(mine(await (await deskGet(checker, "/desk")).text())).toContain(
			'data-review-state="changes-requested"',
		);
		const again = await (await deskGet(checker, `/desk/verdicts/${opened.id}/edit`)).text();
		const resubmitted = await deskPost(checker, `/desk/verdicts/${opened.id}`, {
			...verdictForm({ headline: "Fixed headline" }),
			version: hidden(again, "version") ?? "",
			submitForReview: "1",
		});
		expect(resubmitted.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=submitted`);
		const after = await (await deskGet(checker, "/desk")).text();
		expect(after).not.toContain("changes requested");
		expect(mine(after)).toContain('data-review-state="submitted"');
	});
});

describe("desk: who did it, through what", () => {
	it("names the API token (escaped) and the import beside the person in the timeline, the notes and the activity", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const suffix = newId();
		const tokenName = `CMS <b>bridge</b> ${suffix}`;
		const { token } = await apiToken(checker.user, ["claims:write"], tokenName);
		const noted = await apiCall("POST", `/api/v1/claims/${claim.id}/notes`, {
			token,
			body: { text: "Sent by the CMS." },
		});
		expect(noted.status, await noted.clone().text()).toBe(201);
		const escaped = `token “CMS &lt;b&gt;bridge&lt;/b&gt; ${suffix}”`;
		const page = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		const notes = page.slice(page.indexOf('id="notes-h"'), page.indexOf('id="history"'));
		expect(notes).toContain(`<bdi>${checker.user.name}</bdi> (${escaped})`);
		const history = page.slice(page.indexOf('id="history"'));
		expect(history).toContain(`<bdi>${checker.user.name}</bdi> (${escaped})`);
		expect(page).not.toContain("<b>bridge</b>");
		// A note written on the desk names its author alone.
		await deskPost(editor, `/desk/claims/${claim.id}/notes`, { text: "By hand.", ...idem() });
		const after = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		expect(after).toContain(`<bdi>${editor.user.name}</bdi> · `);

		// An import's publication reads as an import, in the timeline and in the activity.
		const importer = await account("editor");
		const { token: importToken } = await apiToken(importer.user, ["import"], "Nightly import");
		const externalId = `ext-${newId()}`;
		const imported = await apiCall("POST", "/api/v1/import", {
			token: importToken,
			body: {
				records: [
					{
						externalId,
						claim: { text: `Die Brücke ${externalId} kostete 300 Millionen.`, language: "de" },
						speaker: { name: `Bürgermeisterin ${externalId}`, kind: "person" },
						sources: [{ url: `https://news.example/${externalId}`, title: "Artikel" }],
						verdict: {
							rating: "false",
							originalRating: "Falsch",
							headline: "Die Brücke kostete weniger",
							url: `https://check.example/${externalId}`,
							publishedAt: "2025-07-02",
						},
					},
				],
			},
		});
		expect(imported.status, await imported.clone().text()).toBe(200);
		const importedId = (await json<{ results: { claimId: string }[] }>(imported)).results[0]?.claimId;
		const importedPage = await (await deskGet(editor, `/desk/claims/${importedId}`)).text();
		const publishedRow = importedPage
			.slice(importedPage.indexOf('id="history"'))
			.split("<tr>")
			.find((row) => row.includes(">published ("));
		expect(publishedRow).toContain(`<bdi>${importer.user.name}</bdi> (token “Nightly import”, import)`);
		const home = await (await deskGet(editor, "/desk")).text();
		const entry = home.slice(home.indexOf(`<a href="/desk/claims/${importedId}">`)).split("</li>")[0];
		expect(entry).toContain(`<bdi>${importer.user.name}</bdi> (token “Nightly import”, import)`);
	});
});

describe("desk: the timeline says what changed", () => {
	it("names the assignees, a disabled account's release, the fields an edit changed and a return's note", async () => {
		const admin = await account("admin");
		const editor = await account("editor");
		const first = await account("checker");
		const second = await account("checker");
		const claim = await makeClaim();
		await deskPost(editor, `/desk/claims/${claim.id}/assignee`, { assignee: first.user.email, ...idem() });
		await deskPost(editor, `/desk/claims/${claim.id}/assignee`, { assignee: second.user.email, ...idem() });
		await deskPost(admin, `/desk/admin/users/${second.user.id}/disable`, {
			confirm: "1",
			version: String(second.user.version),
			...idem(),
		});
		await edit(claim.id, {
			version: claim.version,
			text: `Edited words ${newId()}`,
			context: "At a rally.",
			note: null,
		});
		const opened = await draft(claim.id, `Draft ${newId()}`, first.user.id);
		await deskPost(editor, `/desk/verdicts/${opened.id}/return`, {
			version: String(opened.version),
			returnNote: "Name the <harbour> authority.",
			...idem(),
		});
		const rows = async (lang: "en" | "de") => {
			const page = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=${lang}`)).text();
			return page.slice(page.indexOf('id="history"')).split("<tr>");
		};
		const row = (all: string[], text: string) => all.filter((r) => r.includes(text));
		const en = await rows("en");
		expect(row(en, "<td>assigned the claim (")[1]).toContain(`· <bdi>to ${first.user.name}</bdi>`);
		// The account disabled since is said to be (the release its disabling made says so itself).
		expect(row(en, "<td>assigned the claim (")[0]).toContain(
			`· <bdi>from ${first.user.name} to ${second.user.name} (account disabled)</bdi>`,
		);
		expect(row(en, "unassigned the claim")[0]).toContain(
			`· <bdi>from ${second.user.name}</bdi> (the account was disabled)`,
		);
		expect(row(en, "edited (")[0]).toContain("· Verbatim quote, Context");
		expect(row(en, "returned the draft")[0]).toContain(
			'<q dir="auto">Name the &lt;harbour&gt; authority.</q>',
		);
		const de = await rows("de");
		expect(row(de, "Zuweisung aufgehoben")[0]).toContain(
			`· <bdi>von ${second.user.name}</bdi> (das Konto wurde deaktiviert)`,
		);
		expect(row(de, "Behauptung zugewiesen")[1]).toContain(`· <bdi>an ${first.user.name}</bdi>`);
		expect(row(de, "bearbeitet (")[0]).toContain("· Wörtliches Zitat, Kontext");
	});
});
