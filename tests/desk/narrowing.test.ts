import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { SYSTEM } from "../../src/store/batch";
import { setClaimTags } from "../../src/store/collaboration";
import { claimsSaying } from "../bulk-fixtures";
import { draft, makeClaim, publish, retract } from "../factories";
import { testDb } from "../helpers";
import { account, deskGet, deskPost } from "./helpers";

/** The claim list of a desk home page (the review queue and activity above it link claims too). */
const claimList = (html: string) => html.slice(html.indexOf('<ul class="claims">'));

describe("the desk's lists narrowed to a speaker or a topic", () => {
	it("lists every claim of a speaker, whatever its state, from the claim page's link", async () => {
		const checker = await account("checker");
		const name = `Narrow Speaker ${newId()}`;
		const first = await makeClaim({ speaker: { name } });
		const speakerId = first.speaker?.id ?? "";
		const second = await makeClaim({ speaker: { id: speakerId } });
		await draft(second.id);
		const third = await makeClaim({ speaker: { id: speakerId } });
		await publish(third.id);
		const other = await makeClaim();
		const slug = first.speaker?.slug ?? "";
		const claimPage = await (await deskGet(checker, `/desk/claims/${first.id}`)).text();
		expect(claimPage).toContain(`href="/desk?list=all&amp;speaker=${slug}"`);
		const list = await (await deskGet(checker, `/desk?list=all&speaker=${slug}`)).text();
		for (const claim of [first, second, third]) expect(claimList(list)).toContain(`/desk/claims/${claim.id}`);
		expect(claimList(list)).not.toContain(`/desk/claims/${other.id}`);
		expect(list).toContain(`Only the claims of <bdi>${name}</bdi>`);
		// Tabs and the search keep it; "Show all claims" drops it.
		expect(list).toContain(`href="/desk?list=unverified&amp;speaker=${slug}"`);
		expect(list).toContain(`<input type="hidden" name="speaker" value="${slug}"/>`);
		expect(list).toContain('href="/desk?list=all">Show all claims</a>');
		const unverified = claimList(
			await (await deskGet(checker, `/desk?list=unverified&speaker=${slug}`)).text(),
		);
		expect(unverified).toContain(`/desk/claims/${first.id}`);
		expect(unverified).not.toContain(`/desk/claims/${third.id}`);
		// An unknown speaker narrows nothing: no empty list passed off as one.
		const unknown = await (await deskGet(checker, "/desk?list=all&speaker=nobody-at-all-here")).text();
		expect(unknown).not.toContain("Only the claims of");
	});

	it("lists a topic's claims, unreviewed ones too, from the claim page's topic link", async () => {
		const checker = await account("checker");
		const id = newId();
		const topic = `Harbours ${id}`;
		const slug = `harbours-${id}`;
		const tagged = await makeClaim();
		await setClaimTags(testDb(), SYSTEM("test"), tagged.id, [{ slug, name: topic }], null);
		const untagged = await makeClaim();
		const claimPage = await (await deskGet(checker, `/desk/claims/${tagged.id}`)).text();
		expect(claimPage).toContain(`href="/desk?list=all&amp;topic=${slug}"`);
		const list = await (await deskGet(checker, `/desk?list=all&topic=${slug}`)).text();
		expect(claimList(list)).toContain(`/desk/claims/${tagged.id}`);
		expect(claimList(list)).not.toContain(`/desk/claims/${untagged.id}`);
		expect(list).toContain(`Only the claims on <bdi>${topic}</bdi>`);
	});
});

describe("the desk's lists narrowed to a claim language", () => {
	it("offers the claim form's languages, and keeps any language narrowed to selected", async () => {
		const checker = await account("checker");
		const french = await makeClaim({ language: "fr", text: `Le port ${newId()} est fermé` });
		const english = await makeClaim({ language: "en" });
		const select = (html: string) => html.slice(html.indexOf('name="language"'), html.indexOf("</select>"));
		const page = await (await deskGet(checker, "/desk?list=all&language=fr&lang=en")).text();
		expect(claimList(page)).toContain(`/desk/claims/${french.id}`);
		expect(claimList(page)).not.toContain(`/desk/claims/${english.id}`);
		// Selected, so that the search form sent again keeps the list narrowed.
		expect(select(page)).toContain('<option value="fr" selected="">French (fr)</option>');
		expect(select(page)).toContain('<option value="uk">Ukrainian (uk)</option>');
		expect(select(page)).not.toMatch(/<option value="" selected/);
		// A language the claim form lists under "other" is offered while the list is narrowed to it.
		const swedish = await (await deskGet(checker, "/desk?list=all&language=sv&lang=de")).text();
		expect(select(swedish)).toContain('<option value="sv" selected="">Schwedisch (sv)</option>');
		expect(select(swedish)).toContain('<option value="de">Deutsch (de)</option>');
	});

	it("narrows to a tag with a region or script exactly, read as the API reads it, and keeps it selected", async () => {
		const checker = await account("checker");
		const traditional = await makeClaim({ language: "zh-Hant", text: `繁體 ${newId()}` });
		const british = await makeClaim({ language: "en-GB" });
		const english = await makeClaim({ language: "en" });
		const select = (html: string) => html.slice(html.indexOf('name="language"'), html.indexOf("</select>"));
		const chinese = await (await deskGet(checker, "/desk?list=all&language=zh-Hant&lang=en")).text();
		expect(claimList(chinese)).toContain(`/desk/claims/${traditional.id}`);
		expect(claimList(chinese)).not.toContain(`/desk/claims/${english.id}`);
		expect(select(chinese)).toMatch(/<option value="zh-Hant" selected="">[^<]*\(zh-Hant\)<\/option>/);
		expect(select(chinese)).not.toMatch(/<option value="" selected/);
		// Written as a person types it: the API's normal form, so the same list.
		const gb = await (await deskGet(checker, "/desk?list=all&language=en-gb&lang=en")).text();
		expect(claimList(gb)).toContain(`/desk/claims/${british.id}`);
		expect(claimList(gb)).not.toContain(`/desk/claims/${english.id}`);
		expect(select(gb)).toMatch(/<option value="en-GB" selected="">/);
		// A bare language: the claims of every region of it.
		const upper = await (await deskGet(checker, "/desk?list=all&language=EN&lang=en")).text();
		expect(claimList(upper)).toContain(`/desk/claims/${english.id}`);
		expect(claimList(upper)).toContain(`/desk/claims/${british.id}`);
		expect(claimList(upper)).not.toContain(`/desk/claims/${traditional.id}`);
		expect(select(upper)).toContain('<option value="en" selected="">English (en)</option>');
	});

	it("a language chosen without search words keeps the list tab; search words search every claim", async () => {
		const checker = await account("checker");
		const marker = `m${newId()}`;
		const published = await makeClaim({ language: "fr", text: `Le port ${marker} est fermé` });
		await publish(published.id, "false");
		const unverified = await makeClaim({ language: "fr", text: `Le pont ${marker} est fermé` });
		const form = await (await deskGet(checker, "/desk?list=published&lang=en")).text();
		expect(form).toContain('<input type="hidden" name="tab" value="published"/>');
		// The search form sent as a browser sends it: its hidden tab, an empty search, a language.
		const narrowed = await (await deskGet(checker, "/desk?tab=published&q=&language=fr&lang=en")).text();
		expect(narrowed).toMatch(/href="\/desk\?list=published[^"]*"[^>]*aria-current="page"/);
		expect(claimList(narrowed)).toContain(`/desk/claims/${published.id}"`);
		expect(claimList(narrowed)).not.toContain(`/desk/claims/${unverified.id}"`);
		// Words: "was this checked before?" covers every claim, whichever tab the form was on.
		const searched = await (await deskGet(checker, `/desk?tab=published&q=${marker}&language=fr`)).text();
		expect(claimList(searched)).toContain(`/desk/claims/${published.id}"`);
		expect(claimList(searched)).toContain(`/desk/claims/${unverified.id}"`);
	});
});

describe("who holds what", () => {
	it("an editor finds a desk member's claims from the dashboard; a checker gives one back; a disabled account's open claims are free again", async () => {
		const editor = await account("editor");
		const admin = await account("admin");
		const holder = await account("checker");
		const held = await makeClaim();
		const other = await makeClaim();
		const assign = (claimId: string, assignee: string, who = editor) =>
			deskPost(who, `/desk/claims/${claimId}/assignee`, { assignee, _idem: newToken(18) });
		expect((await assign(held.id, holder.user.email)).status).toBe(303);
		const dashboard = await (await deskGet(editor, "/desk/dashboard")).text();
		// Their open claims, as the chart counts them.
		expect(dashboard).toContain(`href="/desk?list=open&amp;assignee=${holder.user.id}"`);
		const list = await (await deskGet(editor, `/desk?list=open&assignee=${holder.user.id}`)).text();
		expect(claimList(list)).toContain(`/desk/claims/${held.id}`);
		expect(claimList(list)).not.toContain(`/desk/claims/${other.id}`);
		expect(list).toContain(`Only the claims assigned to <bdi>${holder.user.name}</bdi>`);
		expect(list).toContain(`href="/desk?list=unverified&amp;assignee=${holder.user.id}"`);
		expect(list).toContain(`<input type="hidden" name="assignee" value="${holder.user.id}"/>`);

		// The holder gives it back (taken by mistake): it is unassigned again.
		const page = await (await deskGet(holder, `/desk/claims/${held.id}`)).text();
		expect(page).toContain("Give this claim back");
		expect((await assign(held.id, "", holder)).status).toBe(303);
		expect(await assigneeOf(held.id)).toBeNull();
		// A checker gives back nobody else's claim: told whose it is.
		expect((await assign(other.id, holder.user.email)).status).toBe(303);
		const colleague = await account("checker");
		const refused = await assign(other.id, "", colleague);
		expect(refused.status).toBe(409);
		expect(await refused.text()).toContain(`This claim is assigned to ${holder.user.name} now`);
		expect(await assigneeOf(other.id)).toBe(holder.user.id);

		// Disabled, the holder's open claims return to the unassigned list; a published one stays theirs.
		const done = await makeClaim();
		expect((await assign(done.id, holder.user.email)).status).toBe(303);
		await publish(done.id);
		await deskPost(admin, `/desk/admin/users/${holder.user.id}/disable`, {
			confirm: "1",
			version: String(holder.user.version),
			_idem: newToken(18),
		});
		expect(await assigneeOf(other.id)).toBeNull();
		expect(await assigneeOf(done.id)).toBe(holder.user.id);
		// Each released claim's timeline says so, by the admin who disabled the account; the kept one's does not.
		const { results } = await env.DB.prepare(
			"SELECT entity_id AS claim, actor_id AS actor, changes FROM audit_log WHERE action = 'unassign' AND entity = 'claim' AND entity_id IN (?, ?) ORDER BY id DESC LIMIT 1",
		)
			.bind(other.id, done.id)
			.all<{ claim: string; actor: string; changes: string }>();
		expect(results).toEqual([
			{
				claim: other.id,
				actor: admin.user.id,
				changes: expect.stringContaining('"reason":"account-disabled"'),
			},
		]);
		expect(JSON.parse(results[0]?.changes ?? "{}")).toEqual({
			from: holder.user.id,
			to: null,
			reason: "account-disabled",
		});
		const timeline = await (await deskGet(admin, `/desk/claims/${other.id}?lang=en`)).text();
		expect(timeline.match(/unassigned the claim/g)?.length).toBe(1);
	});
});

describe("a disabled account's claim that is open work again", () => {
	it("goes back to 'Unassigned' when a new draft or a retraction reopens it, and another checker takes it", async () => {
		const editor = await account("editor");
		const admin = await account("admin");
		const holder = await account("checker");
		const taker = await account("checker");
		const assign = (claimId: string, assignee: string, who = editor) =>
			deskPost(who, `/desk/claims/${claimId}/assignee`, { assignee, _idem: newToken(18) });
		// Both published while assigned: disabling the account leaves them with it.
		const redrafted = await makeClaim();
		const corrected = await makeClaim();
		for (const claim of [redrafted, corrected])
			expect((await assign(claim.id, holder.user.email)).status).toBe(303);
		const firstVerdict = await publish(redrafted.id);
		const secondVerdict = await publish(corrected.id);
		// A correction being written: not open work while the verdict stands.
		await draft(corrected.id, `Correction ${newId()}`, editor.user.id);
		await deskPost(admin, `/desk/admin/users/${holder.user.id}/disable`, {
			confirm: "1",
			version: String(holder.user.version),
			_idem: newToken(18),
		});
		expect(await assigneeOf(redrafted.id)).toBe(holder.user.id);
		expect(await assigneeOf(corrected.id)).toBe(holder.user.id);
		// Retracted, then a new draft: open work again. Retracted with the correction open: the same.
		await retract(firstVerdict.id, firstVerdict.version);
		// (The new draft is the taker's own: another checker's open draft would keep them from taking it.)
		await draft(redrafted.id, `Again ${newId()}`, taker.user.id);
		await retract(secondVerdict.id, secondVerdict.version);
		const unassigned = claimList(await (await deskGet(editor, "/desk?list=unassigned")).text());
		const dashboard = await (await deskGet(editor, "/desk/dashboard")).text();
		for (const claim of [redrafted, corrected]) {
			expect(await assigneeOf(claim.id)).toBeNull();
			expect(unassigned).toContain(`/desk/claims/${claim.id}"`);
		}
		// Counted under nobody who left: the dashboard links no open claims of theirs.
		expect(dashboard).not.toContain(`assignee=${holder.user.id}"`);
		expect((await assign(redrafted.id, "me", taker)).status).toBe(303);
		expect(await assigneeOf(redrafted.id)).toBe(taker.user.id);
		const { results } = await env.DB.prepare(
			"SELECT changes FROM audit_log WHERE action = 'unassign' AND entity = 'claim' AND entity_id = ?",
		)
			.bind(corrected.id)
			.all<{ changes: string }>();
		expect(results.map((row) => JSON.parse(row.changes))).toEqual([
			{ from: holder.user.id, to: null, reason: "account-disabled" },
		]);
	});
});

async function assigneeOf(claimId: string): Promise<string | null> {
	const row = await testDb().query.claims.findFirst({
		where: (claims, { eq }) => eq(claims.id, claimId),
		columns: { assigneeId: true },
	});
	return row?.assigneeId ?? null;
}

describe("a desk search past the ranked window", () => {
	/** The claims a desk list page shows, and its next page's address. */
	function listed(html: string): { ids: string[]; next: string | null } {
		const list = html.slice(html.indexOf('<ul class="claims">'));
		const ids = [
			...list.slice(0, list.indexOf("</ul>")).matchAll(/href="\/desk\/claims\/([0-9a-z]{14})"/g),
		].map((m) => m[1] ?? "");
		const next = /<a href="(\/desk\?[^"]*cursor=[^"]*)">Next page<\/a>/
			.exec(html)?.[1]
			?.replaceAll("&amp;", "&");
		return { ids, next: next ?? null };
	}

	async function walk(checker: Awaited<ReturnType<typeof account>>, first: string): Promise<string[]> {
		const seen: string[] = [];
		let href: string | null = first;
		while (href) {
			const page = listed(await (await deskGet(checker, href)).text());
			seen.push(...page.ids);
			href = page.next;
		}
		return seen;
	}

	it("ranks the newest 200 matches, and newest first reaches every one", { timeout: 60_000 }, async () => {
		const word = `Wellenbrecher${newId().replace(/\d/g, "")}`;
		const ids = await claimsSaying(testDb(), word, 230);
		const checker = await account("checker");

		const ranked = await walk(checker, `/desk?q=${word}&lang=en`);
		expect(new Set(ranked).size).toBe(200);
		const first = await (await deskGet(checker, `/desk?q=${word}&lang=en`)).text();
		expect(first).toContain("Best match first (ranked among the newest 200)");
		expect(first).toContain(`href="/desk?list=all&amp;q=${word}&amp;sort=recent"`);

		const everyMatch = await walk(checker, `/desk?list=all&q=${word}&sort=recent&lang=en`);
		expect(everyMatch).toHaveLength(230);
		expect(new Set(everyMatch)).toEqual(new Set(ids));
		// Newest first: the last claim recorded leads, the first closes.
		expect(everyMatch[0]).toBe(ids.at(-1));
		expect(everyMatch.at(-1)).toBe(ids[0]);
	});
});

describe("a desk search longer than a search may be", () => {
	it("is counted as sent, as the API's q and the public /claims page count it: soft hyphens make it long", async () => {
		const checker = await account("checker");
		const word = `Weichsuche${newId().replace(/\d/g, "")}`;
		await makeClaim({ text: `Der ${word} liegt im Hafen` });
		// 12 letters once cleaned, 311 characters as sent: it was cleaned (NFC, layout hints) first.
		const q = `${word.slice(0, 6)}${"\u00ad".repeat(300)}${word.slice(6)}`;
		const response = await deskGet(checker, `/desk?q=${encodeURIComponent(q)}&lang=en`);
		expect(response.status).toBe(422);
		expect(await response.text()).toContain("Search for at most 200 characters.");
	});

	it("is refused beside the search box, which keeps what was typed, not searched cut short", async () => {
		const checker = await account("checker");
		const word = `Langsuche${newId().replace(/\d/g, "")}`;
		const claim = await makeClaim({ text: `Der ${word} liegt im Hafen` });
		// Cut at 200 characters this searched for the marker and a shorter tail: another search.
		const q = `${word} ${"x".repeat(250)}`;
		const response = await deskGet(checker, `/desk?q=${encodeURIComponent(q)}&lang=en`);
		expect(response.status).toBe(422);
		const html = await response.text();
		expect(html).toContain("Search for at most 200 characters.");
		expect(html).toContain(`value="${q}"`);
		expect(claimList(html)).not.toContain(`/desk/claims/${claim.id}`);
		const german = await (await deskGet(checker, `/desk?q=${encodeURIComponent(q)}&lang=de`)).text();
		expect(german).toContain("Suchen Sie nach höchstens 200 Zeichen.");
		// Within the limit it searches as ever.
		const found = await (await deskGet(checker, `/desk?q=${word}&lang=en`)).text();
		expect(claimList(found)).toContain(`/desk/claims/${claim.id}`);
	});
});

describe("a desk search refused for its syntax", () => {
	it("says so atop the page, focused, and never 'No claims match': nothing was searched (en, de)", async () => {
		const checker = await account("checker");
		const word = `Hafensuche${newId().replace(/\d/g, "")}`;
		await makeClaim({ text: `Der ${word} ist wieder offen` });
		const words = {
			en: {
				label: "Search claims",
				message: "Search with words",
				none: "No claims match.",
				prefix: "Error: ",
			},
			de: {
				label: "Behauptungen durchsuchen",
				message: "Suchen Sie mit Wörtern",
				none: "Keine Behauptung passt.",
				prefix: "Fehler: ",
			},
		} as const;
		for (const lang of ["en", "de"] as const) {
			// "No claims match." after an unclosed quote read as "not recorded yet: record it".
			for (const q of [`"${word}`, `body:${word}`]) {
				const response = await deskGet(checker, `/desk?q=${encodeURIComponent(q)}&lang=${lang}`);
				expect(response.status).toBe(422);
				const html = await response.text();
				expect(html, `${lang} ${q}`).not.toContain(words[lang].none);
				expect(html).not.toContain('<ul class="claims">');
				// The summary leads the page, focused, and links to the box far down, which keeps the words.
				const summary =
					/<div class="notice error" role="alert" id="error-summary" tabindex="-1" autofocus="">([\s\S]*?)<\/div>/.exec(
						html,
					)?.[1];
				expect(summary, `${lang} ${q}: no summary`).toBeDefined();
				expect(summary).toMatch(
					new RegExp(`<a href="#f-q">${words[lang].label}: [^<]*${words[lang].message}`),
				);
				expect(html.indexOf('id="error-summary"')).toBeLessThan(html.indexOf("<h1"));
				expect(html.match(/autofocus/g)).toHaveLength(1);
				expect(html).toContain('id="f-q"');
				expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).toMatch(new RegExp(`^${words[lang].prefix}`));
			}
			// A search that finds nothing still says so.
			const none = await (await deskGet(checker, `/desk?q=${word}zz&lang=${lang}`)).text();
			expect(none).toContain(words[lang].none);
			expect(none).not.toContain('id="error-summary"');
		}
	});
});
