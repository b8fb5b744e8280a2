/**
 * Sitemaps (sitemaps.org 0.9) and robots.txt: how search engines find every public claim
 * page, and with it the ClaimReview markup Google's fact-check results are made from. A
 * sitemap file holds at most 50,000 addresses; claims are cut into files by their `seq`, a
 * fixed range each, so a file's address never changes and a new claim only ever changes
 * the last file. Speakers and topics are cut the same way by their rowid: however many
 * there are, each is in a file (one file of both, half each, left those past 25,000 out).
 */
import { xmlText } from "./atom-feed";

const SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9";
/** Claims per sitemap file, by `seq` range: well under the protocol's 50,000, a read of one range. */
export const CLAIMS_PER_SITEMAP = 5_000;
/** Speakers or topics per sitemap file, by rowid range, as claims are. */
export const ROWS_PER_SITEMAP = 5_000;

export interface SitemapEntry {
	loc: string;
	/** An ISO date-time (W3C Datetime, as sitemaps want). */
	lastmod?: string | null | undefined;
}

function entries(tag: "url" | "sitemap", list: readonly SitemapEntry[]): string {
	return list
		.map(
			(entry) =>
				`<${tag}><loc>${xmlText(entry.loc)}</loc>${entry.lastmod ? `<lastmod>${xmlText(entry.lastmod)}</lastmod>` : ""}</${tag}>`,
		)
		.join("\n");
}

export function urlSet(list: readonly SitemapEntry[]): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${SITEMAP_NAMESPACE}">\n${entries("url", list)}\n</urlset>\n`;
}

export function sitemapIndex(list: readonly SitemapEntry[]): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="${SITEMAP_NAMESPACE}">\n${entries("sitemap", list)}\n</sitemapindex>\n`;
}

/** The `seq` range (exclusive start, inclusive end) of claim file `file` (0-based). */
export function claimSitemapRange(file: number): { after: number; upTo: number } {
	return { after: file * CLAIMS_PER_SITEMAP, upTo: (file + 1) * CLAIMS_PER_SITEMAP };
}

/** The rowid range (exclusive start, inclusive end) of speaker or topic file `file` (0-based). */
export function rowSitemapRange(file: number): { after: number; upTo: number } {
	return { after: file * ROWS_PER_SITEMAP, upTo: (file + 1) * ROWS_PER_SITEMAP };
}

/** The file number an address names (`12.xml`), or null for any other spelling (`012.xml`). */
export function sitemapFileNumber(name: string): number | null {
	const digits = name.slice(0, -".xml".length);
	const file = Number.parseInt(digits, 10);
	return String(file) === digits && Number.isSafeInteger(file) ? file : null;
}

/**
 * robots.txt: the desk and the API are no pages to index, and neither are the embed cards
 * (framed in other sites' pages) nor Google's search API (/v1alpha1, rate-limited); claim,
 * speaker and topic pages are, and the sitemap says where they are. The ClaimReview DataFeed
 * is the one API address left open: /feeds offers it to search engines. Its Allow is longer
 * than `/api/`, so it wins under RFC 9309's longest match whatever the order; it goes first
 * for crawlers that take the first rule that matches. Archived copies stay crawlable: they
 * answer `X-Robots-Tag: noindex`, which a crawler kept out could never read.
 */
export function robotsTxt(origin: string): string {
	return [
		"User-agent: *",
		"Allow: /api/v1/export/claimreview.json",
		"Disallow: /desk",
		"Disallow: /api/",
		"Disallow: /v1alpha1/",
		"Disallow: /embed/",
		"Disallow: /oembed",
		"",
		`Sitemap: ${origin}/sitemap.xml`,
		"",
	].join("\n");
}
