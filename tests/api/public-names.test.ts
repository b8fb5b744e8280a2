import { env } from "cloudflare:test";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { ROWS_PER_SITEMAP } from "../../src/domain/sitemap";
import { listSpeakers } from "../../src/store/speakers";
import { account, apiCall, apiToken } from "../desk/helpers";
import { makeClaim, reload } from "../factories";
import { BASE, call, eventually, testDb } from "../helpers";

/**
 * A name is public while a public claim carries it: a speaker or a topic that no claim names
 * any more (the claim given the right speaker, or removed as recorded by mistake) leaves the
 * pages, the JSON, the lists and the sitemap, in both PUBLIC_UNREVIEWED settings. It may be
 * the very mistake that was corrected (README, "Removing a claim").
 */
const html = { headers: { Accept: "text/html" } };

async function editor() {
	const { user } = await account("editor");
	return (await apiToken(user, ["claims:write"])).token;
}

/** The addresses in the sitemap's files of speaker and topic pages (every file the index names). */
async function sitemapPages(): Promise<string[]> {
	const parser = new XMLParser({ isArray: (name) => name === "url" || name === "sitemap" });
	const index = parser.parse(await (await call("/sitemap.xml")).text()).sitemapindex.sitemap as {
		loc: string;
	}[];
	const pages: string[] = [];
	for (const { loc } of index.filter((file) => /\/sitemaps\/(speakers|topics)\//.test(file.loc))) {
		const set = parser.parse(await (await call(new URL(loc).pathname)).text()).urlset as {
			url: { loc: string }[];
		};
		pages.push(...set.url.map((u) => u.loc));
	}
	return pages;
}

/** Whether the public speaker list has this speaker (read from just before its slug: the list is long). */
async function speakerListed(slug: string): Promise<boolean> {
	const { rows } = await listSpeakers(testDb(), {
		limit: 3,
		after: { kind: "keyset", value: slug.slice(0, -1), seq: 1 },
	});
	return rows.some((s) => s.slug === slug);
}

describe("a name leaves the public surfaces with the last claim that carries it", () => {
	it("the speaker a claim was wrongly credited to, once it names the right one", {
		timeout: 60_000,
	}, async () => {
		const token = await editor();
		const wrong = `Wrong ${newId()}`;
		const claim = await makeClaim({ speaker: { name: wrong } });
		const slug = claim.speaker?.slug ?? "";
		expect((await call(`/speakers/${slug}`, html)).status).toBe(200);
		expect(await speakerListed(slug)).toBe(true);
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: (await reload(claim.id)).version, speaker: { name: `Right ${newId()}` } },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		expect((await call(`/speakers/${slug}`, html)).status).toBe(404);
		expect((await call(`/api/v1/speakers/${slug}`)).status).toBe(404);
		expect(await speakerListed(slug)).toBe(false);
		expect((await sitemapPages()).some((loc) => loc.endsWith(`/speakers/${slug}`))).toBe(false);
		// The right one is there, without a lastmod that the speaker's row alone would give.
		const right = (await reload(claim.id)).speaker?.slug ?? "";
		expect(await sitemapPages()).toContain(`${BASE}/speakers/${right}`);
		const { n } = (await env.DB.prepare("SELECT rowid AS n FROM speakers WHERE slug = ?").bind(right).first<{
			n: number;
		}>()) ?? { n: 1 };
		const xml = await (await call(`/sitemaps/speakers/${Math.floor((n - 1) / ROWS_PER_SITEMAP)}.xml`)).text();
		expect(xml).toMatch(new RegExp(`<loc>[^<]*/speakers/${right}</loc>\\s*</url>`));
	});

	it("the topic only a removed claim carried", { timeout: 60_000 }, async () => {
		const token = await editor();
		const topic = `Affair ${newId()}`;
		const claim = await makeClaim({ speaker: { name: `Private ${newId()}` } });
		const tagged = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: (await reload(claim.id)).version, tags: [topic] },
		});
		expect(tagged.status, await tagged.clone().text()).toBe(200);
		const slug = (await reload(claim.id)).tags[0]?.slug ?? "";
		const before = await call(`/tags/${slug}`, html);
		expect(before.status).toBe(200);
		expect(await before.text()).toContain(topic);
		const removed = await apiCall("DELETE", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: (await reload(claim.id)).version, reason: "Recorded by mistake." },
		});
		expect(removed.status, await removed.clone().text()).toBe(200);
		const after = await call(`/tags/${slug}`, html);
		expect(after.status).toBe(404);
		expect(await after.text()).not.toContain(topic);
		expect((await sitemapPages()).some((loc) => loc.endsWith(`/tags/${slug}`))).toBe(false);
	});

	it("a topic page past its last claim is an empty page, not 'topic not found'", {
		timeout: 60_000,
	}, async () => {
		const token = await editor();
		const slug = `seite-${newId()}`;
		await env.DB.prepare("INSERT INTO tags (slug, name_en, name_de) VALUES (?, ?, ?)")
			.bind(slug, slug, slug)
			.run();
		const claims = [];
		for (let i = 0; i < 21; i++) claims.push(await makeClaim());
		await env.DB.batch(
			claims.map((claim) =>
				env.DB.prepare(
					"INSERT INTO claim_tags (id, claim_id, claim_seq, tag_slug) SELECT ?, id, seq, ? FROM claims WHERE id = ?",
				).bind(newId(), slug, claim.id),
			),
		);
		const first = await (await call(`/tags/${slug}?lang=en`, html)).text();
		const next = /<a href="([^"]+)" rel="next">/.exec(first)?.[1]?.replaceAll("&amp;", "&") ?? "";
		expect(next).toContain("cursor=");
		// The oldest claim, alone on the second page, is removed: that page is now empty.
		const oldest = claims[0]?.id ?? "";
		const removed = await apiCall("DELETE", `/api/v1/claims/${oldest}`, {
			token,
			body: { version: (await reload(oldest)).version, reason: "Recorded by mistake." },
		});
		expect(removed.status, await removed.clone().text()).toBe(200);
		const past = await call(next, html);
		expect(past.status).toBe(200);
		expect(await past.text()).toContain(slug);
	});

	it("a speaker no claim names is told to no webhook subscriber either", { timeout: 60_000 }, async () => {
		const { user } = await account("admin");
		const token = (await apiToken(user, ["webhooks:manage", "claims:write"])).token;
		const hook = await apiCall("POST", "/api/v1/webhooks", {
			token,
			body: { url: `https://hooks.example/ok/${newId()}`, events: ["speaker.updated"] },
		});
		expect(hook.status, await hook.clone().text()).toBe(201);
		const hookId = ((await hook.json()) as { id: string }).id;
		const [hidden, shown] = [await makeClaim(), await makeClaim()];
		const moved = await apiCall("PATCH", `/api/v1/claims/${hidden.id}`, {
			token,
			body: { version: (await reload(hidden.id)).version, speaker: { name: `Right ${newId()}` } },
		});
		expect(moved.status, await moved.clone().text()).toBe(200);
		for (const speaker of [hidden.speaker, shown.speaker]) {
			const row = await env.DB.prepare("SELECT version, name, kind FROM speakers WHERE id = ?")
				.bind(speaker?.id)
				.first<{ version: number; name: string; kind: string }>();
			const edited = await apiCall("PATCH", `/api/v1/speakers/${speaker?.slug}`, {
				token,
				body: { ...row, description: "Not a public figure", wikidataId: null, aliases: [] },
			});
			expect(edited.status, await edited.clone().text()).toBe(200);
		}
		const slugs = async () =>
			(
				await env.DB.prepare("SELECT payload FROM webhook_deliveries WHERE webhook_id = ?")
					.bind(hookId)
					.all<{ payload: string }>()
			).results.map((row) => JSON.parse(row.payload).data.speaker?.slug);
		// The public one's delivery comes; by then the other's would have too.
		const sent = await eventually(slugs, (all) => all.includes(shown.speaker?.slug));
		expect(sent).not.toContain(hidden.speaker?.slug);
	});
});
