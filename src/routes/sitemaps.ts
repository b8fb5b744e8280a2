import type { Context } from "hono";
import * as z from "zod";
import { CLAIMS_LIST_TAG } from "../domain/cache-tags";
import {
	claimSitemapRange,
	robotsTxt,
	rowSitemapRange,
	sitemapFileNumber,
	sitemapIndex,
	urlSet,
} from "../domain/sitemap";
import { type AppEnv, factory } from "../factory";
import { notFound } from "../lib/errors";
import { sendCached } from "../lib/http-cache";
import { publicOrigin } from "../lib/public-origin";
import { hidesUnreviewed } from "../lib/public-visibility";
import { readReplica } from "../lib/read-replica";
import { declareRoute } from "../lib/route-declaration";
import { type PageKind, sitemapClaims, sitemapFiles, sitemapPages } from "../store/sitemaps";
import { claimPath, speakerPath, tagPath } from "../views/json";

const XML = "application/xml; charset=utf-8";
/** What the files list changes with every new or changed claim, speaker or topic: the lists' tag. */
const cached = { tags: [CLAIMS_LIST_TAG] };

/**
 * robots.txt and the sitemaps: how search engines find every public claim page and its
 * ClaimReview (domain/sitemap). Every address comes from PUBLIC_URL, as every link does.
 */
export const sitemapRoutes = factory
	.createApp()
	.use(readReplica)
	.get("/robots.txt", declareRoute({ method: "GET", path: "/robots.txt", access: "public" }), (c) =>
		sendCached(c, robotsTxt(publicOrigin(c)), "text/plain; charset=utf-8", { tags: [] }),
	)
	.get("/sitemap.xml", declareRoute({ method: "GET", path: "/sitemap.xml", access: "public" }), async (c) => {
		const origin = publicOrigin(c);
		const reviewedOnly = hidesUnreviewed(c.env);
		const [claimFiles, speakerFiles, topicFiles] = await Promise.all([
			sitemapFiles(c.var.db, "claims", reviewedOnly),
			sitemapFiles(c.var.db, "speakers", reviewedOnly),
			sitemapFiles(c.var.db, "topics", reviewedOnly),
		]);
		const xml = sitemapIndex([
			{ loc: `${origin}/sitemaps/pages.xml` },
			...claimFiles.map((file) => ({ loc: `${origin}/sitemaps/claims/${file}.xml` })),
			...speakerFiles.map((file) => ({ loc: `${origin}/sitemaps/speakers/${file}.xml` })),
			...topicFiles.map((file) => ({ loc: `${origin}/sitemaps/topics/${file}.xml` })),
		]);
		return sendCached(c, xml, XML, cached);
	})
	.get(
		"/sitemaps/claims/:file{[0-9]+\\.xml}",
		declareRoute({
			method: "GET",
			path: "/sitemaps/claims/:file{[0-9]+\\.xml}",
			access: "public",
			params: z.object({ file: z.string().regex(/^\d+\.xml$/) }),
		}),
		async (c) => {
			// Only an address the index names: none with leading zeros, none without a public
			// claim (before the first, past the last, or all of its range hidden or gone).
			const file = sitemapFileNumber(c.req.valid("param").file);
			if (file === null) throw notFound("sitemap");
			const origin = publicOrigin(c);
			const rows = await sitemapClaims(c.var.db, claimSitemapRange(file), hidesUnreviewed(c.env));
			if (rows.length === 0) throw notFound("sitemap");
			const xml = urlSet(
				rows.map((row) => ({ loc: `${origin}${claimPath(row.id)}`, lastmod: row.updatedAt })),
			);
			return sendCached(c, xml, XML, cached);
		},
	)
	.get(
		"/sitemaps/pages.xml",
		declareRoute({ method: "GET", path: "/sitemaps/pages.xml", access: "public" }),
		(c) => {
			// The fixed pages; speakers and topics are in files of their own, as many as they fill.
			const origin = publicOrigin(c);
			const fixed = [`${origin}/`, `${origin}/claims`, `${origin}/speakers`, `${origin}/ratings`];
			return sendCached(c, urlSet(fixed.map((loc) => ({ loc }))), XML, cached);
		},
	)
	.get(
		"/sitemaps/speakers/:file{[0-9]+\\.xml}",
		declareRoute({
			method: "GET",
			path: "/sitemaps/speakers/:file{[0-9]+\\.xml}",
			access: "public",
			params: z.object({ file: z.string().regex(/^\d+\.xml$/) }),
		}),
		(c) => pageFile(c, "speakers", c.req.valid("param").file),
	)
	.get(
		"/sitemaps/topics/:file{[0-9]+\\.xml}",
		declareRoute({
			method: "GET",
			path: "/sitemaps/topics/:file{[0-9]+\\.xml}",
			access: "public",
			params: z.object({ file: z.string().regex(/^\d+\.xml$/) }),
		}),
		(c) => pageFile(c, "topics", c.req.valid("param").file),
	);

/**
 * One file of speaker or topic pages: those whose rowid lies in its range. A file with no
 * public page is not in the index, and answers 404 (sitemaps hold at least one URL).
 */
async function pageFile(c: Context<AppEnv>, kind: PageKind, name: string): Promise<Response> {
	const file = sitemapFileNumber(name);
	if (file === null) throw notFound("sitemap");
	const slugs = await sitemapPages(c.var.db, kind, rowSitemapRange(file), hidesUnreviewed(c.env));
	if (slugs.length === 0) throw notFound("sitemap");
	const origin = publicOrigin(c);
	const path = kind === "speakers" ? speakerPath : tagPath;
	return sendCached(c, urlSet(slugs.map((slug) => ({ loc: `${origin}${path(slug)}` }))), XML, cached);
}
