import * as z from "zod";
import { CLAIMS_LIST_TAG } from "../domain/cache-tags";
import {
	claimSitemapFiles,
	claimSitemapRange,
	robotsTxt,
	SITEMAP_LIMIT,
	sitemapIndex,
	urlSet,
} from "../domain/sitemap";
import { factory } from "../factory";
import { notFound } from "../lib/errors";
import { sendCached } from "../lib/http-cache";
import { publicOrigin } from "../lib/public-origin";
import { hidesUnreviewed } from "../lib/public-visibility";
import { readReplica } from "../lib/read-replica";
import { declareRoute } from "../lib/route-declaration";
import { lastClaimSeq, sitemapClaims, sitemapSpeakers, sitemapTopics } from "../store/sitemaps";
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
		const files = claimSitemapFiles(await lastClaimSeq(c.var.db));
		const xml = sitemapIndex([
			{ loc: `${origin}/sitemaps/pages.xml` },
			...Array.from({ length: files }, (_, file) => ({ loc: `${origin}/sitemaps/claims/${file}.xml` })),
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
			const digits = c.req.valid("param").file.slice(0, -".xml".length);
			const file = Number.parseInt(digits, 10);
			// Only the address the index names: no file past the last, none with leading zeros.
			if (String(file) !== digits || file >= claimSitemapFiles(await lastClaimSeq(c.var.db)))
				throw notFound("sitemap");
			const origin = publicOrigin(c);
			const rows = await sitemapClaims(c.var.db, claimSitemapRange(file), hidesUnreviewed(c.env));
			const xml = urlSet(
				rows.map((row) => ({ loc: `${origin}${claimPath(row.id)}`, lastmod: row.updatedAt })),
			);
			return sendCached(c, xml, XML, cached);
		},
	)
	.get(
		"/sitemaps/pages.xml",
		declareRoute({ method: "GET", path: "/sitemaps/pages.xml", access: "public" }),
		async (c) => {
			const origin = publicOrigin(c);
			const reviewedOnly = hidesUnreviewed(c.env);
			const fixed = [`${origin}/`, `${origin}/claims`, `${origin}/speakers`, `${origin}/ratings`];
			// One file holds 50,000 addresses at most: half each for speakers and topics, beside the fixed ones.
			const each = (SITEMAP_LIMIT - fixed.length) / 2;
			const [speakers, topics] = await Promise.all([
				sitemapSpeakers(c.var.db, reviewedOnly, each),
				sitemapTopics(c.var.db, reviewedOnly, each),
			]);
			const xml = urlSet([
				...fixed.map((loc) => ({ loc })),
				...speakers.map((s) => ({ loc: `${origin}${speakerPath(s.slug)}` })),
				...topics.map((t) => ({ loc: `${origin}${tagPath(t.slug)}` })),
			]);
			return sendCached(c, xml, XML, cached);
		},
	);
