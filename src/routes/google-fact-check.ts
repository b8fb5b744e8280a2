import { createMiddleware } from "hono/factory";
import * as z from "zod";
import { addressNetwork, clientIp } from "../auth/rate-limit";
import type { Verdict } from "../db/schema";
import { CLAIMS_LIST_TAG } from "../domain/cache-tags";
import { claimantName } from "../domain/claim-review";
import { primaryLanguage } from "../domain/language-tags";
import { ratingWords } from "../domain/original-rating";
import { describeStatus, type RatingKey, uiLanguageOf } from "../domain/ratings";
import { creditFor, type House, siteFilterHost, siteMatches } from "../domain/review-attribution";
import { GOOGLE_QUERY_RULES, SearchSyntaxError, toFtsQuery } from "../domain/search-query";
import { type Db, factory } from "../factory";
import { NO_DOCS } from "../lib/docs";
import { AppError, deskWorkerFailed } from "../lib/errors";
import { sendJson } from "../lib/http-cache";
import { claimFilters, cursorToken, pageFromCursor } from "../lib/list-query";
import { publicOrigin } from "../lib/public-origin";
import { publicSearch } from "../lib/public-visibility";
import { house } from "../lib/publisher";
import { readReplica } from "../lib/read-replica";
import { declareRoute } from "../lib/route-declaration";
import { queryNumber } from "../schemas/common";
import {
	type ClaimFilters,
	type ListedClaim,
	lastRetractedVerdicts,
	listClaims,
} from "../store/public-claims";
import { claimPath } from "../views/json";

/**
 * Google's REST layer (gRPC transcoding) reads an empty string parameter as unset, a proto3
 * string's default: HTML forms and qs.stringify send an unset field so (`languageCode=`).
 */
const unsetWhenEmpty = (value: unknown) => (value === "" ? undefined : value);
const googleString = <T extends z.ZodType>(schema: T) => z.preprocess(unsetWhenEmpty, schema.optional());

const languageCode = googleString(
	z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, "Use a BCP-47 code such as de or en-US."),
).describe(
	NO_DOCS
		? ""
		: "The review's language (its primary subtag: en-US is en), as each review's languageCode says.",
);
const reviewPublisherSiteFilter = googleString(z.string().max(253)).describe(
	NO_DOCS
		? ""
		: "The review publisher's site, a host (without www.; it also matches its subdomains): our host lists our own reviews, another publisher's host the fact-checks imported from it.",
);
const maxAgeDays = queryNumber(z.number().int().min(1).max(36500).optional()).describe(
	NO_DOCS
		? ""
		: "As Google's: results whose claim date or review date, whichever is newer, is at most this many days old (the review's time to the second; a claim date is a day). The last review counts: a correction or a retraction.",
);
// As Google's APIs page (AIP-158): 0 is the default, more than the maximum is the maximum.
// Its 10 is given when neither name is (`googleParams`): a default here would hide which was
// given, so it is only documented here.
const pageSize = queryNumber(
	z
		.number()
		.int()
		.min(0)
		.optional()
		.meta({ default: 10 })
		.transform((size) => (size === undefined ? undefined : size === 0 ? 10 : Math.min(size, 100))),
).describe(NO_DOCS ? "" : "Defaults to 10; at most 100 (a larger size is taken as 100).");
const pageToken = googleString(z.string().max(200));

/** Google's proto field names, which its REST layer takes as the JSON names (camelCase) they are. */
const PROTO_NAMES = {
	language_code: "languageCode",
	review_publisher_site_filter: "reviewPublisherSiteFilter",
	max_age_days: "maxAgeDays",
	page_size: "pageSize",
	page_token: "pageToken",
} as const;
const protoName = <T extends z.ZodType>(schema: T, name: string) =>
	schema.describe(
		NO_DOCS ? "" : `Google's proto name of \`${name}\`: the same parameter (give one of them).`,
	);

/**
 * Google's standard system parameters, which every Google API takes besides its own:
 * accepted and ignored. `key`, `alt` and `prettyPrint` are declared (documented) below.
 */
const SYSTEM_PARAMETERS = new Set([
	"fields",
	"quotaUser",
	"callback",
	"access_token",
	"oauth_token",
	"upload_protocol",
	"uploadType",
	"$.xgafv",
]);

/**
 * Google Fact Check Tools API (v1alpha1) `claims:search`, same parameters and field
 * names, so its clients (e.g. @googleapis/factchecktools with `rootUrl` pointed here)
 * work unchanged. Only published verdicts are listed; each claim carries its current review.
 * Any other parameter is refused, named (`refuseUnknownParameters`): a misspelt filter
 * (`reviewPublisherSite`) would answer every publisher's reviews as if filtered.
 */
const searchQuery = z
	.looseObject({
		query: googleString(z.string().max(1000)).describe(GOOGLE_QUERY_RULES),
		languageCode,
		reviewPublisherSiteFilter,
		maxAgeDays,
		pageSize,
		pageToken,
		offset: queryNumber(z.number().int().min(0).max(10_000).optional()),
		language_code: protoName(languageCode, "languageCode"),
		review_publisher_site_filter: protoName(reviewPublisherSiteFilter, "reviewPublisherSiteFilter"),
		max_age_days: protoName(maxAgeDays, "maxAgeDays"),
		page_size: protoName(pageSize, "pageSize"),
		page_token: protoName(pageToken, "pageToken"),
		key: z
			.string()
			.max(200)
			.optional()
			.describe(NO_DOCS ? "" : "Accepted and ignored (Google clients send an API key)."),
		alt: z.literal("json").optional(),
		prettyPrint: z.string().optional(),
		$alt: z.string().optional(),
	})
	.superRefine((query, ctx) => {
		for (const [proto, json] of Object.entries(PROTO_NAMES)) {
			if (query[proto] !== undefined && query[json] !== undefined)
				ctx.addIssue({ code: "custom", path: [proto], message: `Give ${json} or ${proto}, not both.` });
		}
	});

/**
 * Any other parameter is a 400 naming it, as validation names a wrong value. Read from the
 * request's own names, not from the parsed query: zod leaves `__proto__` out of what it
 * parses (assigning it would set the object's prototype), so `__proto__=x` passed unread.
 */
const refuseUnknownParameters = createMiddleware(async (c, next) => {
	// Hono's names are an object without a prototype: `__proto__` is one of its own keys.
	const unknown = Object.keys(c.req.queries()).filter(
		(name) => !Object.hasOwn(searchQuery.shape, name) && !SYSTEM_PARAMETERS.has(name),
	);
	// The first few, a long name by its start: every name of a long address would make a long answer.
	const errors = unknown.slice(0, 5).map((name) => ({
		path: `query.${name.length > 60 ? `${name.slice(0, 60)}…` : name}`,
		message:
			"Unknown parameter: use query, languageCode, reviewPublisherSiteFilter, maxAgeDays, pageSize, pageToken or offset.",
	}));
	const first = errors[0];
	if (first) throw new AppError(422, `${first.path}: ${first.message}`, { errors });
	await next();
});

/** The parameters by their JSON names, a proto name read as its JSON name (PROTO_NAMES). */
function googleParams(query: z.output<typeof searchQuery>) {
	return {
		query: query.query,
		languageCode: query.languageCode ?? query.language_code,
		reviewPublisherSiteFilter: query.reviewPublisherSiteFilter ?? query.review_publisher_site_filter,
		maxAgeDays: query.maxAgeDays ?? query.max_age_days,
		pageSize: query.pageSize ?? query.page_size ?? 10,
		pageToken: query.pageToken ?? query.page_token,
		offset: query.offset,
	};
}

const reviewJson = z.object({
	publisher: z.object({ name: z.string(), site: z.string() }),
	url: z.string(),
	title: z.string().optional(),
	reviewDate: z.string().optional(),
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
				summary: NO_DOCS ? "" : "Google Fact Check Tools–compatible claim search",
				description: NO_DOCS
					? ""
					: "With `query`, results are ranked by relevance (bm25, a match in the claim's text first) among the 200 most recently recorded reviewed claims that match (as `sort=relevance` in /api/v1/claims), and later pages follow that order: older matches are not listed (`languageCode`, `maxAgeDays` and `reviewPublisherSiteFilter` filter within those 200, so a filter the newest matches do not pass may answer nothing), so narrow the query (or list by `reviewPublisherSiteFilter` alone, newest review first, which pages through everything). `query` is searched as `q` is there: stems in English and German, verdict headline and summary included; a text that syntax cannot read, or longer than 16 words (a pasted claim), is matched as a claim instead (see `query`): the best of at most 40 matches, paged by `offset` or `pageToken` as a search is ({} past their end). `publisher.site` is the host of the review URL (without `www.`): our claim page for our own reviews; for a fact-check imported from another publisher (its review URL on another host) `publisher` is that publisher (`name` as its markup named it, else its host), `url` its own review and `textualRating` its own rating's words, and `reviewPublisherSiteFilter` finds it by that site only, never by ours. A retraction is ours. `reviewDate` is when the current review was published (a correction's date; the claim page's ClaimReview keeps the first as `datePublished`), and `maxAgeDays` keeps a result whose claim date or last review (a correction or a retraction counts), whichever is newer, falls within that many days, as Google's does. A retracted review is listed as \"Retracted\", dated by its retraction, without the withdrawn headline. Parameters are read as Google's REST layer reads them: an empty `query`, `languageCode`, `reviewPublisherSiteFilter` or `pageToken` (`languageCode=`, as HTML forms send an unset field) is unset; Google's proto names (`language_code`, `review_publisher_site_filter`, `max_age_days`, `page_size`, `page_token`) are the same parameters (one name of each); Google's standard parameters (`key`, `alt=json`, `prettyPrint`, `fields`, `quotaUser`, `callback`, `access_token`, `oauth_token`, `upload_protocol`, `uploadType`, `$.xgafv`) are accepted and ignored; any other name is a 400 naming it (a misspelt filter is never ignored). Errors have Google's shape (`error.code`, `error.message`, `error.status`, field violations in `error.details`), 400 for every invalid parameter.",
				tags: ["Google Fact Check Tools compatibility"],
				responses: {
					200: { description: NO_DOCS ? "" : "Matching reviewed claims", schema: searchAnswer },
					429: {
						description: NO_DOCS
							? ""
							: "Too many costly searches from this address (a pasted claim matched, another publisher's site): try again after Retry-After",
					},
				},
				errors: "google",
			},
		}),
		refuseUnknownParameters,
		async (c) => {
			const query = googleParams(c.req.valid("query"));
			const origin = publicOrigin(c);
			// Google: a publisher's site "is based purely on the claim review URL". An imported
			// review on another site is that publisher's (domain/review-attribution).
			const ours = house(c.env, origin);
			const text = query.query?.trim() || undefined;
			if (!text && !query.reviewPublisherSiteFilter) {
				throw new AppError(400, "Either query or reviewPublisherSiteFilter is required.", {
					errors: [
						{ path: "query.query", message: "Either query or reviewPublisherSiteFilter is required." },
					],
				});
			}
			const reviewSite = siteFilterOf(query.reviewPublisherSiteFilter, ours.sites);
			if (reviewSite === null) return sendJson(c, {}, { tags: [CLAIMS_LIST_TAG] });
			// As stored: "deu" and "de-AT" are de (domain/language-tags); "und" matches nothing.
			const language = query.languageCode
				? (primaryLanguage(query.languageCode) ?? query.languageCode.toLowerCase())
				: undefined;
			// Google: the age is the claim date's or the review date's, whichever is newer.
			const freshSince = query.maxAgeDays
				? new Date(Date.now() - query.maxAgeDays * 86_400_000).toISOString()
				: undefined;
			// Google's `query` is free text: a pasted claim or tweet, not our search syntax.
			// What the syntax cannot read (parentheses, NEAR, a column filter) or what is longer
			// than a search (more than 16 words) goes to the claim matcher instead, the way the
			// desk finds what was already checked; its answer is a list paged by offset.
			// Another publisher's site is read from the verdicts' host index in review-date order,
			// a page from each of its hosts (public-claims `narrowedToSite`). Not so with `query`,
			// with an `offset` across hosts, or with more than ten hosts: then up to 1,000 reviews
			// are read from that index whole, and more by walking reviewed claims until a page is
			// full, which for old reviews may walk far: still limited.
			// Google: `offset` counts when pageToken is unset, and an empty one is unset.
			const page = query.pageToken
				? pageFromCursor(query.pageToken, "google", "query.pageToken")
				: query.offset
					? ({ kind: "offset", offset: query.offset } as const)
					: null;
			// The claim matcher runs in the desk Worker only: it would take the public Worker's
			// bundle past its 150 KiB budget (#14). Where it is not here, the desk Worker answers.
			const matcher = c.var.claimMatcher;
			// One token a request, whichever costly read comes first (both may: a site and a match).
			// Both Workers count in one MATCH_LIMITER namespace, so a request the desk Worker may
			// answer goes there before this one takes a token or reads the site: a text with
			// another publisher's site could fall back to the matcher, and the desk Worker would
			// take a second token and read the site again (a partner refused from its 31st
			// request a minute). A keyset page never falls back: it is answered here.
			if (!matcher && text && reviewSite?.ours === null && page?.kind !== "keyset")
				return deskWorkerAnswer(c);
			let limited = false;
			const costly = async () => {
				if (limited) return;
				limited = true;
				await withinMatchLimit(c.env, clientIp(c));
			};
			if (reviewSite?.ours === null) await costly();
			const viaMatcher = (answer: () => Promise<Response>) =>
				matcher || page?.kind === "keyset" ? answer() : deskWorkerAnswer(c);
			const matched = async () => {
				// A keyset token is a listing's, no position in the matcher's list.
				if (page?.kind === "keyset" || !matcher) return {};
				await costly();
				const rows = await matcher(c.var.db, text ?? "", { freshSince, reviewSite }, ours, MATCHES_PER_QUERY);
				const claims = (await googleClaims(c.var.db, rows, ours, origin)).filter(
					(claim) => !language || reviewLanguageOf(claim) === language,
				);
				return matcherPage(claims, page?.offset ?? 0, query.pageSize);
			};
			if (text && !isSearchable(text))
				return viaMatcher(async () => sendJson(c, await matched(), { tags: [CLAIMS_LIST_TAG] }));
			const filters = claimFilters({ q: text, limit: query.pageSize }, "query");
			const sort = filters.fts && (page === null || page.kind === "offset") ? "relevance" : "reviewed";
			const searched = {
				...filters,
				fts: publicSearch(c.env, filters.fts),
				reviewLanguage: language,
				freshSince,
				reviewedOnly: true,
				reviewSite,
			};
			const result = await listClaims(c.var.db, searched, sort, query.pageSize, page);
			// Every word must appear in a search: a sentence whose words the claim does not all
			// use ("Lawrow sagte, Kursk werde befreit") finds nothing there, and the matcher then
			// tries, on every page. An empty offset page is either past the search's end or a
			// page of the matcher's list: only its first page tells, read only where the
			// matcher's list could still reach (an empty page is the only one that pays for it).
			if (text && result.rows.length === 0 && (page === null || page.kind === "offset")) {
				const searchFindsNothing =
					page === null ||
					(page.offset < MATCHER_MOST &&
						(await listClaims(c.var.db, searched, sort, 1, null)).rows.length === 0);
				if (searchFindsNothing)
					return viaMatcher(async () => sendJson(c, await matched(), { tags: [CLAIMS_LIST_TAG] }));
			}
			const claims = await googleClaims(c.var.db, result.rows, ours, origin);
			return sendJson(
				c,
				{
					...(claims.length > 0 ? { claims } : {}),
					...(result.next ? { nextPageToken: cursorToken(result.next, "google") } : {}),
				},
				{ tags: [CLAIMS_LIST_TAG] },
			);
		},
	);

const NO_REVIEW_URL = { reviewUrl: null, reviewPublisher: null };

/** The matcher's most per language, as /api/v1/claims/matches allows. */
const MATCHES_PER_QUERY = 20;
/** The matcher's list is at most this long (German and English); no page starts past it. */
const MATCHER_MOST = 2 * MATCHES_PER_QUERY;

/**
 * A page of the matcher's list, as Google pages: from `offset`, {} past its end, and a
 * token (an offset, as a ranked search's) while more follow.
 */
function matcherPage<T>(claims: T[], offset: number, size: number) {
	const shown = claims.slice(offset, offset + size);
	if (shown.length === 0) return {};
	const more = claims.length > offset + size;
	return {
		claims: shown,
		...(more ? { nextPageToken: cursorToken({ kind: "offset", offset: offset + size }, "google") } : {}),
	};
}

/**
 * The same request answered by the desk Worker, over the public Worker's `DESK` binding
 * (src/public-worker), where the claim matcher is (`claimMatcher`, set in src/app.ts).
 */
async function deskWorkerAnswer(c: {
	env: unknown;
	req: { raw: Request; method: string; path: string };
	var: { requestId: string };
}): Promise<Response> {
	const desk = (c.env as { DESK?: Fetcher }).DESK;
	if (!desk) throw new Error("no claim matcher here and no desk Worker to ask");
	try {
		return await desk.fetch(c.req.raw);
	} catch (error) {
		// Its run failed (the CPU limit, an uncaught error): a moment's outage, not our 500.
		throw deskWorkerFailed({ requestId: c.var.requestId, method: c.req.method, path: c.req.path }, error);
	}
}

/**
 * The costly answers (the claim matcher, another publisher's site) take the limit per
 * address /api/v1/claims/matches takes, the MATCH_LIMITER binding's (a 429 past it).
 */
async function withinMatchLimit(env: Partial<Env>, address: string): Promise<void> {
	const limiter = env.MATCH_LIMITER;
	if (limiter && !(await limiter.limit({ key: `matches:${addressNetwork(address)}` })).success) {
		throw new AppError(429, "Too many costly searches from this address; try again in a minute.", {
			headers: { "Retry-After": "60" },
		});
	}
}

/** Can our search syntax read this `query` (domain/search-query)? Otherwise it is matched as a claim. */
function isSearchable(text: string): boolean {
	try {
		toFtsQuery(text);
		return true;
	} catch (error) {
		if (error instanceof SearchSyntaxError) return false;
		throw error;
	}
}

/** A listed claim's review language (primary subtag), as `languageCode` filters it. */
function reviewLanguageOf(claim: { claimReview: { languageCode: string }[] }): string | undefined {
	return claim.claimReview[0]?.languageCode.split("-")[0]?.toLowerCase();
}

/** Claims as Google's answer lists them, each with its current review (or its retraction). */
async function googleClaims(db: Db, rows: readonly ListedClaim[], ours: House, origin: string) {
	const withdrawn = await lastRetractedVerdicts(
		db,
		rows.filter((row) => row.claim.status === "retracted").map((row) => row.claim.id),
	);
	return rows.flatMap(({ claim, speaker, firstSource, verdict }) => {
		const retracted = withdrawn.get(claim.id);
		// A retraction is ours (we withdrew what we listed), whoever wrote the verdict.
		const credit = verdict ? creditFor(verdict, ours) : creditFor(NO_REVIEW_URL, ours);
		const review = verdict
			? reviewOf(verdict, verdict.publishedAt, verdict.rating, credit.external)
			: retracted
				? reviewOf(retracted, retracted.retractedAt, "retracted", false)
				: null;
		if (!review) return [];
		const claimant = claimantName({
			speaker,
			appearances: firstSource ? [{ isFirst: true, source: firstSource }] : [],
		});
		return [
			{
				text: claim.text,
				...(claimant ? { claimant } : {}),
				...(claim.claimedAt ? { claimDate: `${claim.claimedAt}T00:00:00Z` } : {}),
				claimReview: [
					{
						publisher: { name: credit.name, site: credit.site },
						url: credit.reviewUrl ?? `${origin}${claimPath(claim.id)}`,
						...review,
					},
				],
			},
		];
	});
}

/**
 * `reviewPublisherSiteFilter` as listClaims' `reviewSite`: undefined without one, null
 * when it can match nothing (not a host). Naming one of our hosts (or a domain above
 * one) also lists our own reviews.
 */
function siteFilterOf(
	filter: string | undefined,
	ourSites: readonly string[],
): ClaimFilters["reviewSite"] | null {
	if (filter === undefined) return undefined;
	const site = siteFilterHost(filter);
	if (site === null) return null;
	return { site, ours: ourSites.some((s) => siteMatches(s, site)) ? ourSites : null };
}

/**
 * A review as Google's API shows it; a withdrawn one says "Retracted", is dated by its
 * retraction, and repeats neither its rating nor its headline (which states the finding
 * withdrawn; Google's `title` is optional). Another publisher's review keeps its own
 * rating's words (`originalRating` without the numbers an import keeps beside them), as
 * Google shows their markup's `alternateName`; our label when they gave numbers alone.
 */
function reviewOf(
	verdict: Pick<Verdict, "headline" | "language" | "originalRating">,
	reviewDate: string | null,
	status: RatingKey | "retracted",
	external: boolean,
) {
	const lang = uiLanguageOf(verdict.language) ?? "en";
	const theirs =
		external && verdict.originalRating !== null ? ratingWords(verdict.originalRating) : undefined;
	return {
		...(status === "retracted" ? {} : { title: verdict.headline }),
		...(reviewDate ? { reviewDate } : {}),
		textualRating: theirs || describeStatus(status, lang).label,
		languageCode: verdict.language,
	};
}
