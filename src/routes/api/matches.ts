import { addressNetwork, clientIp } from "../../auth/rate-limit";
import { CLAIMS_LIST_TAG } from "../../domain/cache-tags";
import { factory } from "../../factory";
import { NO_DOCS } from "../../lib/docs";
import { AppError } from "../../lib/errors";
import { SHORT_EDGE_CACHE, sendJson } from "../../lib/http-cache";
import { languageFromUrlOnly } from "../../lib/language";
import { publicOrigin } from "../../lib/public-origin";
import { hidesUnreviewed } from "../../lib/public-visibility";
import { house } from "../../lib/publisher";
import { readReplica } from "../../lib/read-replica";
import { declareRoute } from "../../lib/route-declaration";
import { semanticIndexOf } from "../../lib/semantic-index";
import { claimMatchesJson, claimMatchQuery } from "../../schemas/public-api";
import { findMatches } from "../../store/claim-matches";
import { claimSummaryToJson } from "../../views/json";

/**
 * Claim matching for anyone: newsrooms and tools ask whether a claim they see has been
 * checked already. Mounted before the public API so `/claims/matches` is not read as a
 * claim id. Each answer costs an index search and a scoring pass (and, where configured,
 * an embedding), so callers are limited per address by the MATCH_LIMITER binding; shared
 * caches keep answers until any claim changes (the list tag).
 */
export const matchApi = factory
	.createApp()
	.use(languageFromUrlOnly)
	.use(readReplica)
	.get(
		"/claims/matches",
		declareRoute({
			method: "GET",
			path: "/api/v1/claims/matches",
			access: "public",
			query: claimMatchQuery,
			doc: {
				summary: NO_DOCS ? "" : "Claims already recorded that state the same as a text, or something close",
				description: NO_DOCS
					? ""
					: "Best first. `same` means the text states an existing claim (record it as an appearance); `similar` is a suggestion. Lexical matching (German and English stemming, numbers and number words normalised) runs everywhere; semantic, cross-language matching runs where Workers AI and Vectorize are bound (`matchers` says which ran). Rate-limited per client address (429 with Retry-After).",
				tags: ["Public read API"],
				responses: {
					200: { description: NO_DOCS ? "" : "Matches, best first", schema: claimMatchesJson },
					422: { description: NO_DOCS ? "" : "No text or language" },
					429: { description: NO_DOCS ? "" : "Too many requests from this address" },
				},
			},
		}),
		async (c) => {
			const limiter = (c.env as Partial<Env>).MATCH_LIMITER;
			if (limiter && !(await limiter.limit({ key: `matches:${addressNetwork(clientIp(c))}` })).success) {
				throw new AppError(429, "Too many match requests from this address; try again in a minute.", {
					headers: { "Retry-After": "60" },
				});
			}
			const query = c.req.valid("query");
			const answer = await findMatches(c.var.db, semanticIndexOf(c.env), {
				text: query.text,
				language: query.language,
				speakerSlug: query.speaker,
				limit: query.limit,
				reviewedOnly: hidesUnreviewed(c.env),
			});
			const origin = publicOrigin(c);
			const ours = house(c.env, origin);
			return sendJson(
				c,
				{
					data: answer.matches.map((m) => ({
						claim: claimSummaryToJson(origin, m.claim, c.var.lang, ours),
						score: m.score,
						relation: m.relation,
					})),
					matchers: answer.matchers,
					unavailable: answer.unavailable,
				},
				// A matcher that failed this once must not leave its gap in the shared caches. The
				// lexical matches change with the claims (purged as a list); the semantic ones when
				// Vectorize has applied an embedding, seconds after the write and without a purge.
				answer.unavailable.length > 0
					? { cacheControl: "no-store" }
					: {
							tags: [CLAIMS_LIST_TAG],
							...(answer.matchers.includes("semantic") ? { edge: SHORT_EDGE_CACHE } : {}),
						},
			);
		},
	);
