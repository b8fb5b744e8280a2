import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { BASE, call } from "../helpers";
import { useOwnDatabase } from "../own-database";

useOwnDatabase();

/*
 * Speakers and topics are in numbered files the index lists, however many there are: one
 * file of both once held 24,998 speakers, and the rest were in no sitemap. Own database
 * (useOwnDatabase): it starts empty, then holds 25,000 speakers and more. A
 * file with nothing public in it, of claims too, is neither listed nor there.
 */

const parser = new XMLParser({ isArray: (name) => name === "url" || name === "sitemap" });
const SPEAKERS = 25_001;

async function locs(response: Response, root: "urlset" | "sitemapindex"): Promise<string[]> {
	expect(response.status).toBe(200);
	const text = await response.text();
	expect(XMLValidator.validate(text)).toBe(true);
	const parsed = parser.parse(text)[root];
	const list: { loc: string }[] = (root === "urlset" ? parsed.url : parsed.sitemap) ?? [];
	// The protocol's limit, and at least one address in every file listed (sitemap.xsd).
	expect(list.length).toBeGreaterThan(0);
	expect(list.length).toBeLessThanOrEqual(50_000);
	return list.map((entry) => entry.loc);
}

/** Every page address in every file the index names, as a crawler collects them. */
async function everyPage(
	fetch: (path: string) => Promise<Response>,
	read = (_file: string) => true,
): Promise<{ files: string[]; pages: string[] }> {
	const files = await locs(await fetch("/sitemap.xml"), "sitemapindex");
	const pages: string[] = [];
	for (const file of files.filter(read))
		pages.push(...(await locs(await fetch(file.slice(BASE.length)), "urlset")));
	return { files, pages };
}

describe("the sitemaps list every speaker and topic page", () => {
	it("a fresh install lists no file of claims, speakers or topics, and has none", async () => {
		const { files } = await everyPage(call);
		expect(files).toEqual([`${BASE}/sitemaps/pages.xml`]);
		expect((await call("/sitemaps/claims/0.xml")).status).toBe(404);
		expect((await call("/sitemaps/speakers/0.xml")).status).toBe(404);
	});

	it("in files of their own, past 25,000 speakers, and only files that hold one", {
		timeout: 180_000,
	}, async () => {
		await env.DB.batch([
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${SPEAKERS})
				 INSERT INTO speakers (id, name, slug) SELECT printf('spk%08d', i), 'Speaker ' || i, printf('speaker-%05d', i) FROM n`,
			),
			env.DB.prepare(
				`INSERT INTO claims (id, text, language, speaker_id, status, fingerprint)
				 SELECT 'clm' || substr(id, 4), 'Claim of ' || name, 'en', id, 'unverified', 'fp' || id FROM speakers`,
			),
			// One with no claim, far past the others: its file holds no public page.
			env.DB.prepare(
				"INSERT INTO speakers (rowid, id, name, slug) VALUES (100000, 'spkalone', 'Alone', 'alone')",
			),
			env.DB.prepare("INSERT INTO tags (slug, name_en, name_de) VALUES ('harbour', 'Harbour', 'Hafen')"),
			env.DB.prepare(
				"INSERT INTO claim_tags (id, claim_id, claim_seq, tag_slug) SELECT 'ct1', id, seq, 'harbour' FROM claims WHERE id = 'clm00000001'",
			),
		]);
		const { files, pages } = await everyPage(call);
		const speakers = pages.filter((loc) => loc.startsWith(`${BASE}/speakers/`));
		expect(new Set(speakers).size).toBe(SPEAKERS);
		expect(speakers).toContain(`${BASE}/speakers/speaker-${SPEAKERS}`);
		expect(speakers).not.toContain(`${BASE}/speakers/alone`);
		expect(pages).toContain(`${BASE}/tags/harbour`);
		// The address the index used to name alone stays: the fixed pages.
		expect(files).toContain(`${BASE}/sitemaps/pages.xml`);
		expect(pages).toContain(`${BASE}/speakers`);
		// The alone speaker's file is neither listed nor there; nor is a spelling of another.
		expect(files.some((file) => file.endsWith("/sitemaps/speakers/20.xml"))).toBe(false);
		expect((await call("/sitemaps/speakers/20.xml")).status).toBe(404);
		expect((await call("/sitemaps/speakers/00.xml")).status).toBe(404);
		expect((await call("/sitemaps/topics/1.xml")).status).toBe(404);
		expect((await call("/sitemaps/speakers/123456789012345678901.xml")).status).toBe(404);

		// Where unfinished work is hidden, only speakers and topics of a reviewed claim.
		const hidden = async (path: string) => {
			const ctx = createExecutionContext();
			const response = await app.fetch(
				new Request(`${BASE}${path}`),
				{ ...env, PUBLIC_UNREVIEWED: "hide" },
				ctx,
			);
			await waitOnExecutionContext(ctx);
			return response;
		};
		await env.DB.prepare(
			"UPDATE claims SET status = 'retracted' WHERE id = (SELECT id FROM claims WHERE speaker_id = ?)",
		)
			.bind(`spk${String(SPEAKERS).padStart(8, "0")}`)
			.run();
		// Files 0 to 4 hold unreviewed claims only: not listed, not there (an empty urlset
		// was), and every file listed holds a URL (everyPage).
		const reviewed = await everyPage(hidden);
		expect(reviewed.files.filter((file) => file.includes("/sitemaps/claims/"))).toEqual([
			`${BASE}/sitemaps/claims/5.xml`,
		]);
		expect((await hidden("/sitemaps/claims/0.xml")).status).toBe(404);
		expect((await call("/sitemaps/claims/0.xml")).status).toBe(200);
		expect(reviewed.pages.filter((loc) => loc.startsWith(`${BASE}/speakers/`))).toEqual([
			`${BASE}/speakers/speaker-${SPEAKERS}`,
		]);
		expect(reviewed.pages).not.toContain(`${BASE}/tags/harbour`);
	});
});
