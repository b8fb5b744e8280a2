import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { CLAIMS_PER_SITEMAP, ROWS_PER_SITEMAP } from "../../src/domain/sitemap";
import { makeClaim, publish } from "../factories";
import { BASE, call } from "../helpers";

const parser = new XMLParser({ isArray: (name) => name === "url" || name === "sitemap" });

async function xml(response: Response) {
	expect(response.status).toBe(200);
	expect(response.headers.get("Content-Type")).toBe("application/xml; charset=utf-8");
	const text = await response.text();
	expect(XMLValidator.validate(text)).toBe(true);
	return parser.parse(text);
}

/** The claim file that lists a claim: its seq's range. */
async function fileOf(claimId: string): Promise<number> {
	const row = await env.DB.prepare("SELECT seq FROM claims WHERE id = ?")
		.bind(claimId)
		.first<{ seq: number }>();
	return Math.floor(((row?.seq ?? 1) - 1) / CLAIMS_PER_SITEMAP);
}

/** The speaker file that lists a speaker: its rowid's range. */
async function speakerFileOf(slug: string | undefined): Promise<number> {
	const row = await env.DB.prepare("SELECT rowid AS n FROM speakers WHERE slug = ?")
		.bind(slug ?? "")
		.first<{ n: number }>();
	return Math.floor(((row?.n ?? 1) - 1) / ROWS_PER_SITEMAP);
}

/**
 * Whether robots.txt lets a crawler of no group of its own (`User-agent: *`) fetch `path`, as
 * RFC 9309 reads it: the rule whose pattern matches the longest part wins (section 2.2.2),
 * `allow` on a tie, and a path no rule matches is allowed; `*` is any run of characters and
 * a final `$` the path's end (section 2.2.3).
 */
function robotsAllows(robots: string, path: string): boolean {
	let group = false;
	let best: { length: number; allow: boolean } | null = null;
	for (const raw of robots.split("\n")) {
		const [key = "", ...rest] = raw.replace(/#.*/, "").split(":");
		const field = key.trim().toLowerCase();
		const value = rest.join(":").trim();
		if (field === "user-agent") group = value === "*";
		if (!group || (field !== "allow" && field !== "disallow") || value === "") continue;
		const anchored = value.endsWith("$");
		const body = (anchored ? value.slice(0, -1) : value)
			.split("*")
			.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
			.join(".*");
		if (!new RegExp(`^${body}${anchored ? "$" : ""}`).test(path)) continue;
		const allow = field === "allow";
		if (!best || value.length > best.length || (value.length === best.length && allow))
			best = { length: value.length, allow };
	}
	return best?.allow ?? true;
}

describe("robots.txt and the sitemaps", () => {
	it("robots.txt names the sitemap at PUBLIC_URL and keeps crawlers out of the desk", async () => {
		const response = await call("/robots.txt");
		expect(response.status).toBe(200);
		expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
		const text = await response.text();
		expect(text).toContain(`Sitemap: ${BASE}/sitemap.xml`);
		expect(text).toContain("Disallow: /desk");
		// The Host a client sends never makes the links (answers are cached by path).
		const spoofed = await call("/robots.txt", { headers: { Host: "evil.example" } });
		expect(await spoofed.text()).not.toContain("evil.example");
	});

	it("robots.txt, read by RFC 9309's longest match, lets crawlers fetch the DataFeed /feeds offers search engines, not the rest of the API nor Google's search API", async () => {
		const robots = await (await call("/robots.txt")).text();
		const allowed = (path: string) => robotsAllows(robots, path);
		expect(allowed("/api/v1/export/claimreview.json")).toBe(true);
		for (const path of [
			"/api/v1/claims",
			"/api/v1/export.ndjson",
			"/v1alpha1/claims:search?query=x",
			"/desk/claims",
			"/embed/claims/x",
			"/oembed?url=x",
		])
			expect(allowed(path), path).toBe(false);
		for (const path of ["/", "/claims/x", "/feeds", "/feeds/verdicts.atom", "/sitemap.xml", "/snapshots/x"])
			expect(allowed(path), path).toBe(true);
	});

	it("list every claim page, with when it changed, in files the index names; the speaker and topic pages too", async () => {
		const claim = await makeClaim();
		const file = await fileOf(claim.id);
		const index = await xml(await call("/sitemap.xml"));
		const files = index.sitemapindex.sitemap.map((s: { loc: string }) => s.loc);
		expect(files).toContain(`${BASE}/sitemaps/pages.xml`);
		expect(files).toContain(`${BASE}/sitemaps/claims/${file}.xml`);
		const claims = await xml(await call(`/sitemaps/claims/${file}.xml`));
		const entry = claims.urlset.url.find((u: { loc: string }) => u.loc === `${BASE}/claims/${claim.id}`);
		expect(entry?.lastmod).toMatch(/^\d{4}-\d\d-\d\dT/);
		const pages = await xml(await call("/sitemaps/pages.xml"));
		expect(pages.urlset.url.map((u: { loc: string }) => u.loc)).toContain(`${BASE}/`);
		const speakerFile = `/sitemaps/speakers/${await speakerFileOf(claim.speaker?.slug)}.xml`;
		expect(files).toContain(`${BASE}${speakerFile}`);
		const speakers = await xml(await call(speakerFile));
		const locs = speakers.urlset.url.map((u: { loc: string }) => u.loc);
		expect(locs).toContain(`${BASE}/speakers/${claim.speaker?.slug}`);
		// Shared caches keep them until a claim changes (the lists' tag).
		const cached = await call(`/sitemaps/claims/${file}.xml`);
		expect(cached.headers.get("Cache-Tag")).toBe("claims-list");
		expect(cached.headers.get("Cache-Control")).toMatch(/public/);
		expect((await call(`/sitemaps/claims/${file + 1000}.xml`)).status).toBe(404);
		expect((await call("/sitemaps/claims/x.xml")).status).toBe(404);
		// Any number of digits is a file that is not there, and a file has one address only.
		expect((await call("/sitemaps/claims/123456789012.xml")).status).toBe(404);
		expect((await call(`/sitemaps/claims/0${file}.xml`)).status).toBe(404);
	});

	it("list only reviewed claims and their speakers where unfinished work is hidden", async () => {
		const checked = await makeClaim();
		await publish(checked.id, "false");
		const open = await makeClaim();
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
		const locs = async (path: string) =>
			(await xml(await hidden(path))).urlset.url?.map((u: { loc: string }) => u.loc) ?? [];
		const inFiles = [
			...(await locs(`/sitemaps/claims/${await fileOf(checked.id)}.xml`)),
			...(await locs(`/sitemaps/claims/${await fileOf(open.id)}.xml`)),
		];
		expect(inFiles).toContain(`${BASE}/claims/${checked.id}`);
		expect(inFiles).not.toContain(`${BASE}/claims/${open.id}`);
		const pages = [
			...(await locs(`/sitemaps/speakers/${await speakerFileOf(checked.speaker?.slug)}.xml`)),
			...(await locs(`/sitemaps/speakers/${await speakerFileOf(open.speaker?.slug)}.xml`)),
		];
		expect(pages).toContain(`${BASE}/speakers/${checked.speaker?.slug}`);
		expect(pages).not.toContain(`${BASE}/speakers/${open.speaker?.slug}`);
	});
});
