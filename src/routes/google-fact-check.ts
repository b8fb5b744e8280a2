import * as z from "zod";
import type { Verdict } from "../db/schema";
import { CLAIMS_LIST_TAG } from "../domain/cache-tags";
import { describeStatus, type RatingKey } from "../domain/ratings";
import { SEARCH_RULES } from "../domain/search-query";
import { factory } from "../factory";
import { AppError } from "../lib/errors";
import { sendJson } from "../lib/http-cache";
import { claimFilters, cursorToken, pageFromCursor } from "../lib/list-query";
import { publicOrigin } from "../lib/public-origin";
import { readReplica } from "../lib/read-replica";
import { declareRoute } from "../lib/route-declaration";
import { lastRetractedVerdicts, listClaims } from "../store/public-claims";
import { claimPath } from "../views/json";

/**
 * Google Fact Check Tools API (v1alpha1) `claims:search`, same parameters and field
 * names, so its clients (e.g. @googleapis/factchecktools with `rootUrl` pointed here)
 * work unchanged. Only published verdicts are listed; each claim carries its current review.
 */
const searchQuery = z
	.object({
		query: z.string().max(200).optional().describe(SEARCH_RULES),
		languageCode: z
			.string()
			.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, "Use a BCP-47 code such as de or en-US.")
			.optional(),
		reviewPublisherSiteFilter: z.string().max(253).optional(),
		maxAgeDays: z.coerce.number().int().min(1).max(36500).optional(),
		pageSize: z.coerce.number().int().min(1).max(100).default(10),
		pageToken: z.string().max(200).optional(),
		offset: z.coerce.number().int().min(0).max(10_000).optional(),
		key: z.string().max(200).optional().describe("Accepted and ignored (Google clients send an API key)."),
		alt: z.literal("json").optional(),
		prettyPrint: z.string().optional(),
		$alt: z.string().optional(),
	})
	.passthrough();

const reviewJson = z.object({
	publisher: z.object({ name: z.string(), site: z.string() }),
	url: z.string(),
	title: z.string(),
	reviewDate: z.string(),
	textualRating: z.string(),
	languageCode: z.string(),
});
const searchAnswer = z.object({
	claims: z
		.array(
			z.object({
				text: z.string(),
				claimant: z.string().optional(),
				claimDate: z.string().optional(),
				claimReview: z.array(reviewJson),
			}),
		)
		.optional(),
	nextPageToken: z.string().optional(),
});

export const googleFactCheckRoutes = factory
	.createApp()
	.use(readReplica)
	.get(
		"/v1alpha1/:method{claims:search}",
		declareRoute({
			method: "GET",
			path: "/v1alpha1/:method{claims:search}",
			access: "public",
			query: searchQuery,
			doc: {
				path: "/v1alpha1/claims:search",
				summary: "Google Fact Check Tools–compatible claim search",
				description:
					"With `query`, results are ranked by relevance (bm25, a match in the claim's text first) among the newest 200 matches (as `sort=relevance` in /api/v1/claims); later pages follow that order. `query` is searched as `q` is there: stems in English and German, verdict headline and summary included; unsupported search syntax is a 422 problem naming `query`.",
				tags: ["Google Fact Check Tools compatibility"],
				responses: { 200: { description: "Matching reviewed claims", schema: searchAnswer } },
			},
		}),
		async (c) => {
			const query = c.req.valid("query");
			const org = new URL(c.env.ORG_URL);
			const site = org.hostname.replace(/^www\./, "");
			if (!query.query && !query.reviewPublisherSiteFilter) {
				throw new AppError(400, "Either query or reviewPublisherSiteFilter is required.", {
					errors: [
						{ path: "query.query", message: "Either query or reviewPublisherSiteFilter is required." },
					],
				});
			}
			const siteFilter = query.reviewPublisherSiteFilter?.toLowerCase().replace(/^www\./, "");
			if (siteFilter && siteFilter !== site && !site.endsWith(`.${siteFilter}`))
				return sendJson(c, {}, { tags: [CLAIMS_LIST_TAG] });
			// Unsupported search syntax: a 422 problem naming `query`, as every invalid parameter here.
			const filters = claimFilters({ q: query.query, limit: query.pageSize }, "query");
			const language = query.languageCode?.split("-")[0]?.toLowerCase();
			const reviewedSince = query.maxAgeDays
				? new Date(Date.now() - query.maxAgeDays * 86_400_000).toISOString().slice(0, 10)
				: undefined;
			const page =
				query.pageToken !== undefined
					? pageFromCursor(query.pageToken, "query.pageToken")
					: query.offset
						? ({ kind: "offset", offset: query.offset } as const)
						: null;
			const sort = filters.fts && (page === null || page.kind === "offset") ? "relevance" : "reviewed";
			const result = await listClaims(
				c.var.db,
				{ ...filters, language, reviewedSince, reviewedOnly: true },
				sort,
				query.pageSize,
				page,
			);
			const origin = publicOrigin(c);
			const publisher = { name: c.env.ORG_NAME, site };
			const withdrawn = await lastRetractedVerdicts(
				c.var.db,
				result.rows.filter((row) => row.claim.status === "retracted").map((row) => row.claim.id),
			);
			const claims = result.rows.flatMap(({ claim, speaker, firstSource, verdict }) => {
				const review = verdict
					? reviewOf(verdict, verdict.publishedAt ?? "", verdict.rating)
					: withdrawn.has(claim.id)
						? reviewOf(
								withdrawn.get(claim.id) as Verdict,
								withdrawn.get(claim.id)?.retractedAt ?? "",
								"retracted",
							)
						: null;
				if (!review) return [];
				return [
					{
						text: claim.text,
						...(speaker
							? { claimant: speaker.name }
							: firstSource
								? { claimant: firstSource.publisher ?? firstSource.domain }
								: {}),
						...(claim.claimedAt ? { claimDate: `${claim.claimedAt}T00:00:00Z` } : {}),
						claimReview: [{ publisher, url: `${origin}${claimPath(claim.id)}`, ...review }],
					},
				];
			});
			return sendJson(
				c,
				{
					...(claims.length > 0 ? { claims } : {}),
					...(result.next ? { nextPageToken: cursorToken(result.next) } : {}),
				},
				{ tags: [CLAIMS_LIST_TAG] },
			);
		},
	);

/**
 * A review as Google's API shows it; a withdrawn one says "Retracted" (its rating is not
 * repeated) and is dated by its retraction.
 */
function reviewOf(
	verdict: Pick<Verdict, "headline" | "language">,
	reviewDate: string,
	status: RatingKey | "retracted",
) {
	const lang = verdict.language.startsWith("de") ? "de" : "en";
	return {
		title: verdict.headline,
		reviewDate,
		textualRating: describeStatus(status, lang).label,
		languageCode: verdict.language,
	};
}
