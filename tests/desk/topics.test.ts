import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { makeClaim } from "../factories";
import { call, json } from "../helpers";
import { account, apiCall, apiToken, deskGet, deskPost, hidden } from "./helpers";

const idem = () => ({ _idem: newToken(18) });

/** A claim filed under a new topic of this name; returns the topic's slug. */
async function filed(name: string): Promise<{ slug: string; claimId: string }> {
	const editor = await account("editor");
	const { token } = await apiToken(editor.user, ["claims:write"]);
	const claim = await makeClaim();
	const saved = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
		token,
		body: { version: claim.version, tags: [name] },
	});
	expect(saved.status, await saved.clone().text()).toBe(200);
	const slug = (await json<{ tags: { slug: string }[] }>(saved)).tags[0]?.slug ?? "";
	return { slug, claimId: claim.id };
}

describe("desk: topics", () => {
	it("lists every topic with its claims for the whole desk; only editors are offered renaming", async () => {
		const tail = newId();
		const { slug } = await filed(`Harbour works ${tail}`);
		const checker = await account("checker");
		const listed = await deskGet(checker, "/desk/topics");
		expect(listed.status).toBe(200);
		const page = await listed.text();
		expect(page).toContain(`Harbour works ${tail}`);
		expect(page).toContain(`href="/desk?list=all&amp;topic=${slug}"`);
		expect(page).toContain(`href="/tags/${slug}"`);
		expect(page).toMatch(new RegExp(`id="topic-${slug}"[\\s\\S]*?<td>1</td>`));
		expect(page).not.toContain(`href="/desk/topics/${slug}"`);
		expect((await deskGet(checker, `/desk/topics/${slug}`)).status).toBe(403);
		const editor = await account("editor");
		expect(await (await deskGet(editor, "/desk/topics")).text()).toContain(`href="/desk/topics/${slug}"`);
		// The desk home leads there.
		expect(await (await deskGet(checker, "/desk")).text()).toContain('href="/desk/topics"');
		expect((await deskGet(null, "/desk/topics")).status).toBe(303);
	});

	it("renames a topic in both languages from the desk; its address stays and the public page shows the new names", async () => {
		const tail = newId();
		const { slug, claimId } = await filed(`Port ${tail}`);
		const editor = await account("editor");
		const form = await (await deskGet(editor, `/desk/topics/${slug}`)).text();
		expect(form).toContain(`value="Port ${tail}"`);
		const renamed = await deskPost(editor, `/desk/topics/${slug}`, {
			nameEn: `Harbour ${tail}`,
			nameDe: `Hafen ${tail}`,
			...idem(),
		});
		expect(renamed.status).toBe(303);
		expect(renamed.headers.get("Location")).toBe(`/desk/topics?done=topic-renamed#topic-${slug}`);
		expect(await (await deskGet(editor, "/desk/topics?done=topic-renamed")).text()).toContain(
			"The topic is renamed.",
		);
		expect(await (await call(`/tags/${slug}`)).text()).toContain(`Harbour ${tail}`);
		expect(await (await call(`/tags/${slug}?lang=de`)).text()).toContain(`Hafen ${tail}`);
		const claim = await json<{ tags: { slug: string; name: string }[] }>(
			await call(`/api/v1/claims/${claimId}`),
		);
		expect(claim.tags).toEqual([expect.objectContaining({ slug, name: `Harbour ${tail}` })]);
	});

	it("re-renders the form with what was typed: an empty name, another topic's name, a checker's post", async () => {
		const tail = newId();
		const { slug } = await filed(`Bridge ${tail}`);
		await filed(`Tunnel ${tail}`);
		const editor = await account("editor");
		const empty = await deskPost(editor, `/desk/topics/${slug}`, { nameEn: "", nameDe: "Brücke", ...idem() });
		expect(empty.status).toBe(422);
		expect(await empty.text()).toContain('value="Brücke"');
		const taken = await deskPost(editor, `/desk/topics/${slug}`, {
			nameEn: `Tunnel ${tail}`,
			nameDe: "Brücke",
			...idem(),
		});
		expect(taken.status).toBe(409);
		const page = await taken.text();
		expect(page).toContain(`is called “Tunnel ${tail}”`);
		expect(page).toContain(`value="Tunnel ${tail}"`);
		const checker = await account("checker");
		const refused = await deskPost(checker, `/desk/topics/${slug}`, { nameEn: "X", nameDe: "Y", ...idem() });
		expect(refused.status).toBe(403);
		expect(await (await call(`/tags/${slug}`)).text()).toContain(`Bridge ${tail}`);
	});
});

describe("desk: two editors renaming one topic", () => {
	/** The topic's names as the API answers its claim, in each language. */
	async function namesOf(claimId: string, slug: string) {
		const name = async (lang: string) =>
			(
				await json<{ tags: { slug: string; name: string }[] }>(
					await call(`/api/v1/claims/${claimId}?lang=${lang}`),
				)
			).tags.find((t) => t.slug === slug)?.name;
		return { nameEn: await name("en"), nameDe: await name("de") };
	}

	/** The names a topic's form carries: what it shows, and what it was loaded with. */
	function formOf(html: string) {
		const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];
		return {
			nameEn: value("nameEn") ?? "",
			nameDe: value("nameDe") ?? "",
			"was.nameEn": hidden(html, "was.nameEn") ?? "",
			"was.nameDe": hidden(html, "was.nameDe") ?? "",
		};
	}

	const renames = async (slug: string) =>
		(
			await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'tag' AND entity_id = ?")
				.bind(slug)
				.first<{ n: number }>()
		)?.n;

	it("one renames it in English, the other then in German: both names stay", async () => {
		const tail = newId();
		const { slug, claimId } = await filed(`Dock ${tail}`);
		const [a, b] = [await account("editor"), await account("editor")];
		const formA = formOf(await (await deskGet(a, `/desk/topics/${slug}`)).text());
		const formB = formOf(await (await deskGet(b, `/desk/topics/${slug}`)).text());
		expect(formB).toEqual({
			nameEn: `Dock ${tail}`,
			nameDe: `Dock ${tail}`,
			"was.nameEn": `Dock ${tail}`,
			"was.nameDe": `Dock ${tail}`,
		});
		const byA = await deskPost(a, `/desk/topics/${slug}`, { ...formA, nameEn: `Quay ${tail}`, ...idem() });
		expect(byA.status).toBe(303);
		// B's form still shows the old English name, and sends it back unchanged.
		const byB = await deskPost(b, `/desk/topics/${slug}`, { ...formB, nameDe: `Kai ${tail}`, ...idem() });
		expect(byB.status, await byB.clone().text()).toBe(303);
		expect(await namesOf(claimId, slug)).toEqual({ nameEn: `Quay ${tail}`, nameDe: `Kai ${tail}` });
		expect(await renames(slug)).toBe(2);
		// A form that changes nothing writes nothing.
		const again = formOf(await (await deskGet(a, `/desk/topics/${slug}`)).text());
		expect((await deskPost(a, `/desk/topics/${slug}`, { ...again, ...idem() })).status).toBe(303);
		expect(await renames(slug)).toBe(2);
	});

	it("both rename it in German: the second is shown the name now, keeps their input and replaces it only by saving again", async () => {
		const tail = newId();
		const { slug, claimId } = await filed(`Pier ${tail}`);
		const [a, b] = [await account("editor"), await account("editor")];
		const formA = formOf(await (await deskGet(a, `/desk/topics/${slug}`)).text());
		const formB = formOf(await (await deskGet(b, `/desk/topics/${slug}`)).text());
		expect(
			(await deskPost(a, `/desk/topics/${slug}`, { ...formA, nameDe: `Mole ${tail}`, ...idem() })).status,
		).toBe(303);
		const refused = await deskPost(b, `/desk/topics/${slug}`, {
			...formB,
			nameEn: `Jetty ${tail}`,
			nameDe: `Landungsbrücke ${tail}`,
			...idem(),
		});
		expect(refused.status).toBe(409);
		const page = await refused.text();
		expect(page).toContain(
			`Someone else renamed this topic meanwhile: it is now called “Pier ${tail}” in English and “Mole ${tail}” in German.`,
		);
		// B's input is kept; the form now says what it was loaded against.
		expect(formOf(page)).toEqual({
			nameEn: `Jetty ${tail}`,
			nameDe: `Landungsbrücke ${tail}`,
			"was.nameEn": `Pier ${tail}`,
			"was.nameDe": `Mole ${tail}`,
		});
		expect(await namesOf(claimId, slug)).toEqual({ nameEn: `Pier ${tail}`, nameDe: `Mole ${tail}` });
		expect(await renames(slug)).toBe(1);
		const resaved = await deskPost(b, `/desk/topics/${slug}`, { ...formOf(page), ...idem() });
		expect(resaved.status).toBe(303);
		expect(await namesOf(claimId, slug)).toEqual({
			nameEn: `Jetty ${tail}`,
			nameDe: `Landungsbrücke ${tail}`,
		});
		// In German, the desk says it in German.
		const formC = formOf(await (await deskGet(a, `/desk/topics/${slug}`)).text());
		await deskPost(b, `/desk/topics/${slug}`, { ...formC, nameDe: `Steg ${tail}`, ...idem() });
		const german = await deskPost(a, `/desk/topics/${slug}?lang=de`, {
			...formC,
			nameDe: `Brücke ${tail}`,
			...idem(),
		});
		expect(german.status).toBe(409);
		expect(await german.text()).toContain(
			`Jemand anderes hat dieses Thema inzwischen umbenannt: Es heißt jetzt englisch „Jetty ${tail}“ und deutsch „Steg ${tail}“.`,
		);
	});

	it("a rename moves its claims' updated_at (sitemap lastmod), not their version", async () => {
		const tail = newId();
		const { slug, claimId } = await filed(`Lock ${tail}`);
		const row = () =>
			env.DB.prepare("SELECT version, updated_at FROM claims WHERE id = ?")
				.bind(claimId)
				.first<{ version: number; updated_at: string }>();
		await env.DB.prepare("UPDATE claims SET updated_at = '2020-01-01T00:00:00.000Z' WHERE id = ?")
			.bind(claimId)
			.run();
		const before = await row();
		const editor = await account("editor");
		const form = formOf(await (await deskGet(editor, `/desk/topics/${slug}`)).text());
		expect(
			(await deskPost(editor, `/desk/topics/${slug}`, { ...form, nameDe: `Schleuse ${tail}`, ...idem() }))
				.status,
		).toBe(303);
		const after = await row();
		expect(after?.version).toBe(before?.version);
		expect(after?.updated_at ?? "").toMatch(/^20\d\d-/);
		expect((after?.updated_at ?? "") > "2020-01-01T00:00:00.000Z").toBe(true);
	});
});

describe("desk: a speaker's or topic's address with a malformed slug", () => {
	it("is a 404 page, or leads to the lowercased slug when that one is well-formed", async () => {
		const editor = await account("editor");
		const { slug: topic } = await filed(`Grain corridor ${newId()}`);
		const claim = await makeClaim({ speaker: { name: `Slug Speaker ${newId()}` } });
		const speaker = claim.speaker?.slug ?? "";
		for (const [base, slug] of [
			["/desk/topics/", topic],
			["/desk/speakers/", speaker],
		] as const) {
			const upper = await deskGet(editor, `${base}${slug.toUpperCase()}?lang=de`);
			expect(upper.status).toBe(302);
			expect(upper.headers.get("location")).toBe(`${base}${slug}?lang=de`);
			// Capitals of a slug that names nothing lead to its 404.
			const unknown = await deskGet(editor, `${base}NO-SUCH-${newId().toUpperCase()}`);
			expect(unknown.status).toBe(302);
			expect((await deskGet(editor, unknown.headers.get("location") ?? "")).status).toBe(404);
			for (const bad of ["bad_slug", "-dash", "%C3%84rger", "x.y"]) {
				const response = await deskGet(editor, `${base}${bad}?lang=en`);
				expect(response.status, `${base}${bad}`).toBe(404);
				const html = await response.text();
				expect(html).not.toContain("Invalid string");
				expect(html).not.toContain("cannot be saved");
			}
		}
	});
});

describe("desk: two checkers filing a claim's topics at once", () => {
	/** The topics section of a claim page, its field's value and hidden fields. */
	function topicsForm(html: string) {
		const start = html.indexOf('id="topics-h"');
		const section = html.slice(start, html.indexOf("</section>", start));
		const field = /<input[^>]*name="tags"[^>]*>/.exec(section)?.[0] ?? "";
		return {
			section,
			tags: (/value="([^"]*)"/.exec(field)?.[1] ?? "").replaceAll("&quot;", '"'),
			version: hidden(section, "version") ?? "",
			was: hidden(section, "was.tags"),
			wasSlugs: hidden(section, "was.slugs"),
		};
	}
	const slugsOf = async (claimId: string) =>
		(
			await env.DB.prepare("SELECT tag_slug FROM claim_tags WHERE claim_id = ? ORDER BY tag_slug")
				.bind(claimId)
				.all<{ tag_slug: string }>()
		).results.map((r) => r.tag_slug);

	it("the one refused is shown the topics now with their own changes on top, and saving keeps both", async () => {
		const a = await account("checker");
		const b = await account("checker");
		const claim = await makeClaim();
		const tail = newId();
		// Both load the claim filed under one topic.
		const filedFirst = await deskPost(a, `/desk/claims/${claim.id}/tags`, {
			version: String(claim.version),
			tags: `Harbour ${tail}`,
			...idem(),
		});
		expect(filedFirst.status).toBe(303);
		const loaded = topicsForm(await (await deskGet(b, `/desk/claims/${claim.id}?lang=en`)).text());
		expect(loaded.was).toBe(`Harbour ${tail}`);
		// A adds one topic and removes none; B meanwhile removes the first and adds another.
		const byA = await deskPost(a, `/desk/claims/${claim.id}/tags`, {
			version: loaded.version,
			tags: `Harbour ${tail}, Ukraine-Krieg ${tail}`,
			"was.tags": loaded.was ?? "",
			...idem(),
		});
		expect(byA.status).toBe(303);
		const refused = await deskPost(
			{ ...b, cookie: `${b.cookie}; lang=en` },
			`/desk/claims/${claim.id}/tags`,
			{
				version: loaded.version,
				tags: `Nordkorea ${tail}`,
				"was.tags": loaded.was ?? "",
				"was.slugs": loaded.wasSlugs ?? "",
				...idem(),
			},
		);
		expect(refused.status).toBe(409);
		const html = await refused.text();
		const reshown = topicsForm(html);
		expect(reshown.tags).toBe(`Ukraine-Krieg ${tail}, Nordkorea ${tail}`);
		expect(reshown.was).toBe(`Harbour ${tail}, Ukraine-Krieg ${tail}`);
		expect(reshown.section).toContain(
			`A colleague changed the topics meanwhile: added “Ukraine-Krieg ${tail}”.`,
		);
		// B sends the form as it stands: A's topic stays, B's change is made.
		const again = await deskPost(b, `/desk/claims/${claim.id}/tags`, {
			version: reshown.version,
			tags: reshown.tags,
			"was.tags": reshown.was ?? "",
			"was.slugs": reshown.wasSlugs ?? "",
			...idem(),
		});
		expect(again.status).toBe(303);
		expect(await slugsOf(claim.id)).toEqual([`nordkorea-${tail}`, `ukraine-krieg-${tail}`]);
	});

	it("says in German what the colleague added and removed", async () => {
		const a = await account("checker");
		const b = { ...(await account("checker")) };
		b.cookie = `${b.cookie}; lang=de`;
		const claim = await makeClaim();
		const tail = newId();
		await deskPost(a, `/desk/claims/${claim.id}/tags`, {
			version: String(claim.version),
			tags: `Hafen ${tail}`,
			...idem(),
		});
		const loaded = topicsForm(await (await deskGet(b, `/desk/claims/${claim.id}`)).text());
		await deskPost(a, `/desk/claims/${claim.id}/tags`, {
			version: loaded.version,
			tags: `Kursk ${tail}`,
			...idem(),
		});
		// A form loaded before it carried the slugs: its names are found among the topics now.
		const refused = await deskPost(b, `/desk/claims/${claim.id}/tags`, {
			version: loaded.version,
			tags: `Hafen ${tail}, Nordkorea ${tail}`,
			"was.tags": loaded.was ?? "",
			...idem(),
		});
		expect(refused.status).toBe(409);
		const reshown = topicsForm(await refused.text());
		// B kept "Hafen" as loaded: A's removal of it stands, B's addition is on top.
		expect(reshown.tags).toBe(`Kursk ${tail}, Nordkorea ${tail}`);
		expect(reshown.section).toContain(
			`Jemand anderes hat die Themen inzwischen geändert: „Kursk ${tail}“ hinzugefügt, „Hafen ${tail}“ entfernt.`,
		);
	});

	it("a topic renamed meanwhile stays removed by the one refused, and is not named as the colleague's change", async () => {
		const editor = await account("editor");
		const a = await account("checker");
		const b = { ...(await account("checker")) };
		b.cookie = `${b.cookie}; lang=en`;
		const claim = await makeClaim();
		const tail = newId();
		await deskPost(a, `/desk/claims/${claim.id}/tags`, {
			version: String(claim.version),
			tags: `Kursk ${tail}, Harbour ${tail}`,
			...idem(),
		});
		const loaded = topicsForm(await (await deskGet(b, `/desk/claims/${claim.id}`)).text());
		// An editor renames the topic (its slug stays), and A files the claim under another one.
		const renamed = await deskPost(editor, `/desk/topics/kursk-${tail}`, {
			nameEn: `Kursk region ${tail}`,
			nameDe: `Kursk ${tail}`,
			...idem(),
		});
		expect(renamed.status).toBe(303);
		await deskPost(a, `/desk/claims/${claim.id}/tags`, {
			version: loaded.version,
			tags: `Kursk region ${tail}, Harbour ${tail}, Nordkorea ${tail}`,
			...idem(),
		});
		// B removes Kursk, under the name their form was loaded with.
		const refused = await deskPost(b, `/desk/claims/${claim.id}/tags`, {
			version: loaded.version,
			tags: `Harbour ${tail}`,
			"was.tags": loaded.was ?? "",
			"was.slugs": loaded.wasSlugs ?? "",
			...idem(),
		});
		expect(refused.status).toBe(409);
		const reshown = topicsForm(await refused.text());
		expect(reshown.tags).toBe(`Harbour ${tail}, Nordkorea ${tail}`);
		expect(reshown.section).toContain(`A colleague changed the topics meanwhile: added “Nordkorea ${tail}”.`);
		expect(reshown.section).not.toContain(`Kursk ${tail}”`);
		const again = await deskPost(b, `/desk/claims/${claim.id}/tags`, {
			version: reshown.version,
			tags: reshown.tags,
			"was.tags": reshown.was ?? "",
			"was.slugs": reshown.wasSlugs ?? "",
			...idem(),
		});
		expect(again.status).toBe(303);
		expect(await slugsOf(claim.id)).toEqual([`harbour-${tail}`, `nordkorea-${tail}`]);
	});
});
