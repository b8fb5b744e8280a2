import type { Context } from "hono";
import * as z from "zod";
import { authenticateToken } from "../../auth/api-tokens";
import { CLAIMS_LIST_TAG, claimAnswerTags, speakerTag } from "../../domain/cache-tags";
import { BEST_RATING, RATINGS, WORST_RATING } from "../../domain/ratings";
import { type AppEnv, executionContext, factory } from "../../factory";
import { NO_DOCS } from "../../lib/docs";
import { claimJsonCacheKey, withEdgeCache } from "../../lib/edge-cache";
import { AppError, notFound } from "../../lib/errors";
import { cacheableResponse, conditional, EMBED_CACHE, sendJson } from "../../lib/http-cache";
import { languageFromUrlOnly } from "../../lib/language";
import { claimFilters, claimsCursorList, nextLink, pageFromCursor } from "../../lib/list-query";
import { publicOrigin } from "../../lib/public-origin";
import { hidesUnreviewed, publicClaim, publicSearch } from "../../lib/public-visibility";
import { house } from "../../lib/publisher";
import { readReplica } from "../../lib/read-replica";
import { declareRoute } from "../../lib/route-declaration";
import { id } from "../../schemas/common";
import {
	claimDetailJson,
	claimListJson,
	claimListQuery,
	domainParam,
	langQuery,
	listJson,
	pageQuery,
	ratingJson,
	SLUG_PATTERN,
	sourceDetailJson,
	sourceJson,
	speakerDetailJson,
	speakerJson,
} from "../../schemas/public-api";
import { getClaim } from "../../store/claims";
import { listClaims, speakerScorecard } from "../../store/public-claims";
import { getPublicSource, listSources } from "../../store/sources";
import { speakerRedirect } from "../../store/speaker-edits";
import { getSpeakerBySlug, listSpeakers } from "../../store/speakers";
import { getUserByEmail } from "../../store/users";
import { claimDetailToJson, claimSummaryToJson, ratingToJson, sourceToJson } from "../../views/json";
import { scorecardToJson, speakerToJson } from "../../views/speaker-json";
import { retiredClaimAnswer } from "../claim-fate";

const tags = ["Public read API"];
/** routes/claim-fate `retiredClaimAnswer`'s 410: when, and nothing of what the claim said. */
const removedClaimMembers = { removedAt: "When the claim was removed." };
const idParam = z.object({ id });
const slugParam = z.object({ slug: z.string().regex(SLUG_PATTERN, "This is not a speaker slug.") });

/** The scopes of the desk's own work: a token with one of them may ask who works on what. */
const DESK_WORK_SCOPES = ["claims:write", "verdicts:write"] as const;

/**
 * `assignee=me|<email>`: who works on what is the desk's business, so the filter needs an
 * API token for the desk's work (401 without, 403 with only an integration's scopes such as
 * `webhooks:manage` or `import`; cache-policy keeps the answer private) and names a desk member.
 */
async function assigneeOf(c: Context<AppEnv>, assignee: string): Promise<string> {
	const caller = await authenticateToken(c);
	if (!DESK_WORK_SCOPES.some((scope) => caller.token.scopes.includes(scope))) {
		throw new AppError(403, "assignee: this token lacks the scope claims:write or verdicts:write.", {
			headers: {
				"WWW-Authenticate": `Bearer realm="claimtrack", error="insufficient_scope", scope="${DESK_WORK_SCOPES.join(" ")}"`,
			},
		});
	}
	if (assignee === "me") return caller.user.id;
	const user = await getUserByEmail(c.var.db, assignee.trim().toLowerCase());
	if (!user) {
		throw new AppError(422, "assignee: no desk member has this email.", {
			errors: [{ path: "query.assignee", message: "No desk member has this email." }],
		});
	}
	return user.id;
}

/** The list query with the search rules on `q` (domain/search-query). */

export const publicApi = factory
	.createApp()
	.use(languageFromUrlOnly)
	.use(readReplica)
	.get(
		"/claims",
		declareRoute({
			method: "GET",
			path: "/api/v1/claims",
			access: "public",
			query: claimListQuery,
			doc: {
				summary: NO_DOCS ? "" : "List and search claims",
				description: NO_DOCS
					? ""
					: "Newest first by default. Keyset pagination: follow `next` until it is null. With `q`, ranked by relevance and paged by offset (see `q`). What a walk through every page meets when claims change meanwhile, and which order to sync by: see `sort`.",
				tags,
				// Only `assignee` needs the token.
				optionalToken: ["claims:write", "verdicts:write"],
				responses: {
					200: { description: NO_DOCS ? "" : "A page of claims", schema: claimListJson },
					401: { description: NO_DOCS ? "" : "`assignee` without an API token (or with an invalid one)" },
					403: {
						description: NO_DOCS
							? ""
							: "`assignee` with a token that has neither `claims:write` nor `verdicts:write`",
					},
				},
			},
		}),
		async (c) => {
			const query = c.req.valid("query");
			const lang = query.lang ?? c.var.lang;
			const filters = claimFilters(query);
			const sort = query.sort ?? (filters.fts ? "relevance" : "recent");
			if (sort === "relevance" && !filters.fts) {
				throw new AppError(422, "sort: relevance needs a search (q).", {
					errors: [{ path: "query.sort", message: "relevance needs q" }],
				});
			}
			// An assignee's list needs a token and is never cached: their open claims are theirs to see.
			if (query.assignee !== undefined) filters.assigneeId = await assigneeOf(c, query.assignee);
			else if (hidesUnreviewed(c.env)) {
				filters.reviewedOnly = true;
				filters.fts = publicSearch(c.env, filters.fts);
			}
			const list = claimsCursorList(sort);
			const page = await listClaims(
				c.var.db,
				filters,
				sort,
				query.limit,
				pageFromCursor(query.cursor, list),
				{
					countMatches: true,
				},
			);
			const origin = publicOrigin(c);
			const ours = house(c.env, origin);
			return sendJson(
				c,
				{
					data: page.rows.map((row) => claimSummaryToJson(origin, row, lang, ours)),
					next: nextLink(publicOrigin(c), c.req.url, page.next, list),
					...(page.matches ? { matches: page.matches } : {}),
				},
				{ tags: [CLAIMS_LIST_TAG] },
			);
		},
	)
	.get(
		"/claims/:id",
		declareRoute({
			method: "GET",
			path: "/api/v1/claims/:id",
			access: "public",
			params: idParam,
			query: langQuery,
			doc: {
				summary: NO_DOCS
					? ""
					: "One claim with its appearances, current verdict and full public verdict history",
				tags,
				responses: {
					200: { description: NO_DOCS ? "" : "The claim", schema: claimDetailJson },
					301: {
						description: NO_DOCS
							? ""
							: "The claim was merged into another (`POST /api/v1/claims/{id}/merge`): `Location` is the kept claim's, for good",
					},
					404: { description: NO_DOCS ? "" : "No such claim" },
					410: {
						description: NO_DOCS
							? ""
							: "The claim was removed as recorded by mistake (`claim-removed`), saying when only",
						members: removedClaimMembers,
					},
				},
			},
		}),
		async (c) => {
			const id = c.req.valid("param").id;
			const response = await withEdgeCache(
				claimJsonCacheKey(id, c.var.lang),
				executionContext(c),
				async () => {
					const detail = publicClaim(c.env, await getClaim(c.var.db, id));
					if (!detail) return retiredClaimAnswer(c, id, (into) => `/api/v1/claims/${into}`);
					return cacheableResponse(
						JSON.stringify(
							claimDetailToJson(publicOrigin(c), detail, c.var.lang, house(c.env, publicOrigin(c))),
						),
						"application/json; charset=utf-8",
						EMBED_CACHE,
						claimAnswerTags(detail),
					);
				},
			);
			return conditional(c, response);
		},
	)
	.get(
		"/speakers",
		declareRoute({
			method: "GET",
			path: "/api/v1/speakers",
			access: "public",
			query: pageQuery,
			doc: {
				summary: NO_DOCS ? "" : "List speakers alphabetically by slug",
				tags,
				responses: {
					200: { description: NO_DOCS ? "" : "A page of speakers", schema: listJson(speakerJson) },
				},
			},
		}),
		async (c) => {
			const query = c.req.valid("query");
			const page = await listSpeakers(c.var.db, {
				limit: query.limit,
				after: pageFromCursor(query.cursor, "speakers"),
				reviewedOnly: hidesUnreviewed(c.env),
			});
			const origin = publicOrigin(c);
			return sendJson(
				c,
				{
					data: page.rows.map((s) => speakerToJson(origin, s, { reviewedOnly: hidesUnreviewed(c.env) })),
					next: nextLink(publicOrigin(c), c.req.url, page.next, "speakers"),
				},
				{ tags: [CLAIMS_LIST_TAG] },
			);
		},
	)
	.get(
		"/speakers/:slug",
		declareRoute({
			method: "GET",
			path: "/api/v1/speakers/:slug",
			access: "public",
			params: slugParam,
			query: langQuery,
			doc: {
				summary: NO_DOCS ? "" : "One speaker with a scorecard of published ratings",
				tags,
				responses: {
					200: { description: NO_DOCS ? "" : "The speaker", schema: speakerDetailJson },
					301: {
						description: NO_DOCS
							? ""
							: "The speaker was merged into another (`POST /api/v1/speakers/{slug}/merge`) or renamed: `Location` is the kept speaker's while it is public (else a 404), with the query (`lang`) kept",
					},
					404: { description: NO_DOCS ? "" : "No such speaker" },
				},
			},
		}),
		async (c) => {
			const slug = c.req.valid("param").slug;
			const speaker = await getSpeakerBySlug(c.var.db, slug);
			if (!speaker) {
				const survivor = await speakerRedirect(c.var.db, slug, { reviewedOnly: hidesUnreviewed(c.env) });
				// With the query (`?lang=`), as the page's redirect keeps it.
				if (survivor) return c.redirect(`/api/v1/speakers/${survivor}${new URL(c.req.url).search}`, 301);
				throw notFound("speaker");
			}
			const origin = publicOrigin(c);
			const reviewedOnly = hidesUnreviewed(c.env);
			const scorecard = await speakerScorecard(c.var.db, speaker.id, { reviewedOnly });
			// Public while a public claim names them (store/public-claims `speakerHasPublicClaim`).
			if (scorecard.claims === 0) throw notFound("speaker");
			return sendJson(
				c,
				{
					...speakerToJson(origin, speaker, { reviewedOnly }),
					scorecard: scorecardToJson(scorecard, c.var.lang),
					claims: `${origin}/api/v1/claims?speaker=${speaker.slug}`,
				},
				{ tags: [speakerTag(speaker.id)] },
			);
		},
	)
	.get(
		"/sources",
		declareRoute({
			method: "GET",
			path: "/api/v1/sources",
			access: "public",
			query: pageQuery.extend({ domain: domainParam }),
			doc: {
				summary: NO_DOCS ? "" : "List sources, newest first",
				tags,
				responses: { 200: { description: NO_DOCS ? "" : "A page of sources", schema: listJson(sourceJson) } },
			},
		}),
		async (c) => {
			const query = c.req.valid("query");
			const page = await listSources(c.var.db, {
				limit: query.limit,
				after: pageFromCursor(query.cursor, "sources"),
				domain: query.domain ?? null,
				reviewedOnly: hidesUnreviewed(c.env),
			});
			const origin = publicOrigin(c);
			return sendJson(
				c,
				{
					data: page.rows.map((s) => sourceToJson(origin, s)),
					next: nextLink(publicOrigin(c), c.req.url, page.next, "sources"),
				},
				{ tags: [CLAIMS_LIST_TAG] },
			);
		},
	)
	.get(
		"/sources/:id",
		declareRoute({
			method: "GET",
			path: "/api/v1/sources/:id",
			access: "public",
			params: idParam,
			query: langQuery,
			doc: {
				summary: NO_DOCS ? "" : "One source with the claims recorded from it",
				tags,
				responses: {
					200: { description: NO_DOCS ? "" : "The source", schema: sourceDetailJson },
					404: { description: NO_DOCS ? "" : "No such source" },
				},
			},
		}),
		async (c) => {
			// Hidden work stays hidden: a source only unreviewed claims came from is not public.
			const source = await getPublicSource(c.var.db, c.req.valid("param").id, hidesUnreviewed(c.env));
			if (!source) throw notFound("source");
			const origin = publicOrigin(c);
			const page = await listClaims(
				c.var.db,
				{ sourceId: source.id, reviewedOnly: hidesUnreviewed(c.env) },
				"recent",
				100,
				null,
			);
			const ours = house(c.env, origin);
			return sendJson(
				c,
				{
					...sourceToJson(origin, source),
					claims: page.rows.map((row) => claimSummaryToJson(origin, row, c.var.lang, ours)),
					allClaims: `${origin}/api/v1/claims?source=${source.id}`,
				},
				{ tags: [CLAIMS_LIST_TAG] },
			);
		},
	)
	.get(
		"/ratings",
		declareRoute({
			method: "GET",
			path: "/api/v1/ratings",
			access: "public",
			query: langQuery,
			doc: {
				summary: NO_DOCS ? "" : "The rating scale with labels, colours and ClaimReview values",
				tags,
				responses: {
					200: {
						description: NO_DOCS ? "" : "The scale, best first",
						schema: z.object({
							worstRating: z.number(),
							bestRating: z.number(),
							ratings: z.array(ratingJson),
						}),
					},
				},
			},
		}),
		(c) =>
			sendJson(
				c,
				{
					worstRating: WORST_RATING,
					bestRating: BEST_RATING,
					ratings: RATINGS.map((r) => ratingToJson(r.key, c.var.lang)),
				},
				{ cacheControl: "public, max-age=3600, stale-while-revalidate=86400" },
			),
	);
