import * as z from "zod";
import { atomFeed, verdictAtomEntry } from "../domain/atom-feed";
import { CLAIMS_LIST_TAG, FEED_TAG } from "../domain/cache-tags";
import { claimReviewJsonLd, dataFeedJsonLd } from "../domain/claim-review";
import { newsroomTimeZone } from "../domain/deployment-settings";
import { creditFor } from "../domain/review-attribution";
import { factory } from "../factory";
import { NO_DOCS } from "../lib/docs";
import { publicCacheHeaders, sendCached } from "../lib/http-cache";
import { isUiLanguage, languageFromUrlOnly } from "../lib/language";
import { publicOrigin } from "../lib/public-origin";
import { house, org } from "../lib/publisher";
import { readReplica } from "../lib/read-replica";
import { declareRoute } from "../lib/route-declaration";
import { langQuery } from "../schemas/public-api";
import { publishedClaimDetailsAfter } from "../store/claims";
import { latestFeedVerdicts } from "../store/public-claims";
import { archivedCopies, claimDetailToJson, claimPath, verdictPath } from "../views/json";

/**
 * Claims a D1 query (one batch of reads, store/claims `publishedClaimDetailsAfter`). D1
 * allows 1,000 queries an invocation on Workers Paid: at 100 claims a batch an export broke
 * off after 100,000 claims, its 200 long sent; at 500 that is 500,000, and a batch's details
 * stay a few megabytes in memory.
 */
const EXPORT_BATCH = 500;

/**
 * Streams JSON text for every published claim, batch by batch: memory stays
 * constant however many claims there are. The first batch is read before the answer
 * starts: a database that is down then gets the usual 503 with Retry-After (as every
 * other route), not a 200 whose body breaks off at its first byte. A failure after that
 * can only end the stream.
 */
async function streamClaims(
	load: (afterSeq: number) => Promise<{ seq: number; chunks: string[] }[]>,
	prefix = "",
	/** Written after the last batch: a function may use what the batches saw. */
	suffix: string | (() => string) = "",
): Promise<ReadableStream<Uint8Array>> {
	const encoder = new TextEncoder();
	let first: { seq: number; chunks: string[] }[] | null = await load(0);
	let after = 0;
	let started = false;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (!started) {
				started = true;
				if (prefix) controller.enqueue(encoder.encode(prefix));
			}
			const batch = first ?? (await load(after));
			first = null;
			if (batch.length === 0) {
				const end = typeof suffix === "function" ? suffix() : suffix;
				if (end) controller.enqueue(encoder.encode(end));
				controller.close();
				return;
			}
			after = batch.at(-1)?.seq ?? after;
			controller.enqueue(encoder.encode(batch.flatMap((b) => b.chunks).join("")));
		},
	});
}

export const feedRoutes = factory
	.createApp()
	// The feed only: "/feeds/*" also matched the /feeds page, which then ignored the reader's language.
	.use("/feeds/verdicts.atom", languageFromUrlOnly)
	.use("/api/v1/export*", languageFromUrlOnly)
	.use(readReplica)
	.get(
		"/feeds/verdicts.atom",
		declareRoute({ method: "GET", path: "/feeds/verdicts.atom", access: "public", cors: true }),
		async (c) => {
			const origin = publicOrigin(c);
			const lang = c.var.lang;
			const ours = house(c.env, origin);
			const rows = await latestFeedVerdicts(c.var.db, 50);
			// A feed asked for in a language links to pages in it: a German subscriber landed on
			// English ones. Without `lang` the pages follow the reader's own choice, as before.
			const pageLang = isUiLanguage(c.req.query("lang")) ? `?lang=${lang}` : "";
			const entries = rows
				.map((row) => {
					const credit = creditFor(row.verdict, ours);
					return verdictAtomEntry(
						{
							verdict: row.verdict,
							claim: row.claim,
							speaker: row.speakerName
								? { name: row.speakerName }
								: row.sourceClaimant
									? { name: row.sourceClaimant }
									: null,
							claimChange: row.claimChange,
							checkedBy:
								credit.external && credit.reviewUrl
									? { name: credit.name, reviewUrl: credit.reviewUrl }
									: null,
						},
						{
							claimUrl: `${origin}${claimPath(row.claim.id)}${pageLang}`,
							versionUrl: `${origin}${verdictPath(row.claim.id, row.verdict.id)}${pageLang}`,
							siteUrl: origin,
							lang,
						},
					);
				})
				.filter((e) => e !== null)
				.sort((a, b) => b.updated.localeCompare(a.updated));
			// Each language is a feed of its own: its self link keeps a German subscriber on it.
			const self = `${origin}/feeds/verdicts.atom?lang=${lang}`;
			const xml = atomFeed({
				id: self,
				title: `${c.env.ORG_NAME} – ${lang === "de" ? "Faktenchecks" : "Fact checks"}`,
				selfUrl: self,
				siteUrl: `${origin}/${pageLang}`,
				updated: entries[0]?.updated ?? new Date(0).toISOString(),
				author: { name: c.env.ORG_NAME, uri: c.env.ORG_URL },
				lang,
				entries,
			});
			return sendCached(c, xml, "application/atom+xml; charset=utf-8", { tags: [FEED_TAG] });
		},
	)
	.get(
		"/api/v1/export.ndjson",
		declareRoute({
			method: "GET",
			path: "/api/v1/export.ndjson",
			access: "public",
			query: langQuery,
			doc: {
				summary: NO_DOCS
					? ""
					: "Every published claim with its full verdict history, one JSON object per line (streamed)",
				tags: ["Bulk data"],
				// Streamed: no ETag, no 304.
				etag: false,
				responses: {
					200: { description: NO_DOCS ? "" : "NDJSON stream", contentType: "application/x-ndjson" },
				},
			},
		}),
		async (c) => {
			const origin = publicOrigin(c);
			const db = c.var.db;
			const ours = house(c.env, origin);
			const body = await streamClaims(async (after) => {
				const details = await publishedClaimDetailsAfter(db, after, EXPORT_BATCH);
				return details.map((d) => ({
					seq: d.seq,
					chunks: [`${JSON.stringify(claimDetailToJson(origin, d, c.var.lang, ours))}\n`],
				}));
			});
			return new Response(body, {
				headers: {
					"Content-Type": "application/x-ndjson; charset=utf-8",
					"Cache-Control": "public, max-age=300",
					...publicCacheHeaders([CLAIMS_LIST_TAG]),
					"Content-Disposition": 'inline; filename="claimtrack-claims.ndjson"',
				},
			});
		},
	)
	.get(
		"/api/v1/export/claimreview.json",
		declareRoute({
			method: "GET",
			path: "/api/v1/export/claimreview.json",
			access: "public",
			// It takes no parameter: one sent is a 422 naming it, as on every API read.
			query: z.strictObject({}),
			doc: {
				summary: NO_DOCS
					? ""
					: "schema.org DataFeed of ClaimReview for every current published verdict (streamed)",
				tags: ["Bulk data"],
				// Streamed: no ETag, no 304.
				etag: false,
				responses: {
					200: { description: NO_DOCS ? "" : "DataFeed JSON-LD", contentType: "application/ld+json" },
				},
			},
		}),
		async (c) => {
			const origin = publicOrigin(c);
			const db = c.var.db;
			const publisher = org(c.env);
			// Another publisher's review is theirs to mark up: left out (domain/claim-review).
			const ownSites = house(c.env, origin).sites;
			const timeZone = newsroomTimeZone(c.env);
			// The feed's dateModified is its newest change (a review, a retraction that took one
			// out, any public change of a reviewed claim), known once all are streamed: it goes
			// after dataFeedElement (never the request's time, which no two copies would share).
			const { dateModified: _known, ...feed } = dataFeedJsonLd([], {
				feedUrl: `${origin}/api/v1/export/claimreview.json`,
				org: publisher,
				dateModified: "",
			});
			// The feed's dataFeedElement array is streamed: split the empty feed around it.
			const [prefix = "", suffix = ""] = JSON.stringify(feed).split('"dataFeedElement":[]');
			let latest = new Date(0).toISOString();
			let first = true;
			const body = await streamClaims(
				async (after) => {
					const details = await publishedClaimDetailsAfter(db, after, EXPORT_BATCH);
					return details.map((d) => {
						const review = claimReviewJsonLd(
							{ ...d, archivedCopies: archivedCopies(origin, d) },
							{
								claimUrl: `${origin}${claimPath(d.id)}`,
								org: publisher,
								ownSites,
								timeZone,
							},
						);
						// A retraction takes its claim's review out of the feed, and any public
						// change of a reviewed claim rewrites its item (its words, its speaker's
						// name, its appearances, its topics, a copy elsewhere a write gave a source
						// of it; not the archive's own copies, docs/decisions.md "An archived copy
						// stored does not"): each moves the feed's dateModified
						// (a poller keyed on it would keep what changed). Full timestamps only (a
						// review's datePublished is a date, which a same-day timestamp would
						// outrank): the claim's last review or retraction, and while its review is
						// listed, its last public change (domain/public-change), which is also
						// when the review came into the feed (an imported one's reviewedAt is
						// its publisher's date).
						const changed = [
							d.reviewedAt ?? "",
							review ? (d.changes.at(-1)?.at ?? "") : "",
							review ? d.updatedAt : "",
						].reduce((a, b) => (b > a ? b : a), "");
						if (changed > latest) latest = changed;
						if (!review) return { seq: d.seq, chunks: [] };
						const element = dataFeedJsonLd([review], { feedUrl: "", org: publisher, dateModified: "" })
							.dataFeedElement[0];
						const text = `${first ? "" : ","}${JSON.stringify(element)}`;
						first = false;
						return { seq: d.seq, chunks: [text] };
					});
				},
				`${prefix}"dataFeedElement":[`,
				() => `],"dateModified":${JSON.stringify(latest)}${suffix}`,
			);
			return new Response(body, {
				headers: {
					"Content-Type": "application/ld+json; charset=utf-8",
					"Cache-Control": "public, max-age=300",
					...publicCacheHeaders([CLAIMS_LIST_TAG]),
				},
			});
		},
	);
