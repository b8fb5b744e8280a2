import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import {
	CLAIMS_PER_SITEMAP,
	claimSitemapRange,
	robotsTxt,
	sitemapIndex,
	urlSet,
} from "../../src/domain/sitemap";

describe("sitemaps", () => {
	it("cut claims into files of fixed seq ranges, so a file's address never changes", () => {
		expect(claimSitemapRange(0)).toEqual({ after: 0, upTo: CLAIMS_PER_SITEMAP });
		expect(claimSitemapRange(2)).toEqual({ after: 2 * CLAIMS_PER_SITEMAP, upTo: 3 * CLAIMS_PER_SITEMAP });
	});

	it("are well-formed XML with every value escaped, lastmod only where known", () => {
		const xml = urlSet([
			{ loc: "https://x.example/claims/a?x=1&y=<2>", lastmod: "2026-12-05T10:00:00.000Z" },
			{ loc: "https://x.example/tags/b" },
		]);
		expect(XMLValidator.validate(xml)).toBe(true);
		expect(xml).toContain("<loc>https://x.example/claims/a?x=1&amp;y=&lt;2&gt;</loc>");
		const parsed = new XMLParser().parse(xml);
		expect(parsed.urlset.url).toEqual([
			{ loc: "https://x.example/claims/a?x=1&y=<2>", lastmod: "2026-12-05T10:00:00.000Z" },
			{ loc: "https://x.example/tags/b" },
		]);
		const index = sitemapIndex([{ loc: "https://x.example/sitemaps/claims/0.xml" }]);
		expect(XMLValidator.validate(index)).toBe(true);
		expect(new XMLParser().parse(index).sitemapindex.sitemap).toEqual({
			loc: "https://x.example/sitemaps/claims/0.xml",
		});
		expect(XMLValidator.validate(urlSet([]))).toBe(true);
	});

	it("robots.txt keeps crawlers out of the desk, the API (but its DataFeed), Google's search API and the embeds, and names the sitemap", () => {
		const robots = robotsTxt("https://claims.example.org");
		expect(robots.split("\n")).toEqual(
			expect.arrayContaining([
				"User-agent: *",
				"Allow: /api/v1/export/claimreview.json",
				"Disallow: /desk",
				"Disallow: /api/",
				"Disallow: /v1alpha1/",
				"Disallow: /embed/",
				"Sitemap: https://claims.example.org/sitemap.xml",
			]),
		);
		expect(robots).not.toContain("Disallow: /claims");
		expect(robots).not.toContain("Disallow: /snapshots");
	});
});
