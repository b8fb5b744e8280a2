import type { Context } from "hono";
import type { Child } from "hono/jsx";
import * as z from "zod";
import { CLAIMS_LIST_TAG, claimAnswerTags, speakerTag } from "../domain/cache-tags";
import { claimantName, claimReviewJsonLd } from "../domain/claim-review";
import { newsroomTimeZone } from "../domain/deployment-settings";
import { embedChoiceFromQuery } from "../domain/embed-options";
import type { MatchCount } from "../domain/match-count";
import { CLAIM_STATUSES, type UiLanguage } from "../domain/ratings";
import { jsonLdScript } from "../domain/safe-json-ld";
import { SearchSyntaxError, toFtsQuery } from "../domain/search-query";
import { quoted, shortQuote } from "../domain/typography";
import { type AppEnv, factory } from "../factory";
import type { CursorList } from "../lib/cursor";
import { notFound } from "../lib/errors";
import { sendCached } from "../lib/http-cache";
import { addressLanguage, pathWithoutLang } from "../lib/language";
import { claimsCursorList, cursorToken, pageFromCursorOrFirst } from "../lib/list-query";
import { pageCsp } from "../lib/page-csp";
import { publicOrigin } from "../lib/public-origin";
import { hidesUnreviewed, publicClaim, publicSearch } from "../lib/public-visibility";
import { house, org } from "../lib/publisher";
import { readReplica } from "../lib/read-replica";
import { declareRoute } from "../lib/route-declaration";
import { id } from "../schemas/common";
import { SLUG_PATTERN } from "../schemas/public-api";
import { type ClaimDetail, getClaim } from "../store/claims";
import { getTag } from "../store/collaboration";
import {
	listClaims,
	type Page,
	RANKED_CANDIDATES,
	speakerScorecard,
	topicIsPublic,
} from "../store/public-claims";
import { getPublicSource } from "../store/sources";
import { speakerRedirect } from "../store/speaker-edits";
import { getSpeakerBySlug, listSpeakers } from "../store/speakers";
import { formatDate, t } from "../views/i18n";
import { archivedCopies, claimPath, sourcePath, speakerPath, tagPath, verdictPath } from "../views/json";
import { Layout } from "../views/layout";
import { type PageAddress, PageAddressLinks, pageUrl } from "../views/page-address";
import { ArchivedElsewhere } from "../views/pages/archived-elsewhere";
import {
	ClaimPage,
	JsonLdScript,
	SharingMeta,
	sharingDescription,
	VerdictVersionPage,
} from "../views/pages/claim-page";
import {
	ClaimList,
	NextPageLink,
	PagedClaims,
	SearchForm,
	SearchOrder,
	StatusFilterLine,
} from "../views/pages/parts";
import { SpeakerPage } from "../views/pages/speaker-page";
import { publicAliases, scorecardToJson } from "../views/speaker-json";
import { retiredClaimAnswer } from "./claim-fate";

/**
 * Renders a full page with ETag and short public caching; varies by language. `tags`
 * name what it shows (domain/cache-tags) so a write purges it; a page without tags
 * changes only with a deployment. `address` is what its canonical link and language
 * versions name (views/page-address): as the app writes the page's path, never as the
 * request spelled it (Hono decodes a path before routing: /%66eeds is /feeds).
 */
export function page(
	c: Context<AppEnv>,
	title: string,
	body: Child,
	head: Child,
	tags: readonly string[],
	address: PageAddress,
) {
	const html = `<!DOCTYPE html>${(
		(
			<Layout
				title={title}
				lang={c.var.lang}
				path={pathWithoutLang(c.req.url)}
				head={
					<>
						<PageAddressLinks
							origin={publicOrigin(c)}
							address={address}
							explicitLang={addressLanguage(c.var)}
						/>
						{head}
					</>
				}
				orgName={c.env.ORG_NAME}
			>
				{body}
			</Layout>
		)
	).toString()}`;
	// A page in the language of `?lang=` is the same for everyone; one negotiated from the
	// cookie or Accept-Language is this reader's alone and stays out of shared caches.
	return c.var.langNegotiated
		? sendCached(c, html, "text/html; charset=utf-8", {
				cacheControl: "private, max-age=0, must-revalidate",
				headers: { Vary: "Accept-Language, Cookie" },
			})
		: // Shared caches may keep it (purged on change); a browser revalidates every time
			// (a cheap 304 by ETag), so a reader never sees a verdict that was just withdrawn.
			sendCached(c, html, "text/html; charset=utf-8", {
				cacheControl: "public, max-age=0, must-revalidate",
				...(tags.length > 0 ? { tags } : {}),
			});
}

/**
 * Whether the search's order line is worth showing: there are results to order, or, ranked
 * among the newest matches and none shown, "newest first" lists every match and may find
 * older ones. Above "No claims match." it offered to sort nothing.
 */
function otherOrderMayShow(shown: number, sort: "relevance" | "recent", matches: MatchCount | null): boolean {
	if (shown > 0) return true;
	return sort === "relevance" && matches !== null && matches.accuracy !== "exact";
}

/** How many claims a search matched: counted, or estimated from the newest (domain/match-count). */
function MatchCountLine(props: {
	matches: MatchCount | null;
	sort: "relevance" | "recent";
	lang: UiLanguage;
}) {
	const { matches, lang } = props;
	if (!matches || (matches.accuracy === "exact" && matches.count === 0)) return null;
	const values = { count: new Intl.NumberFormat(lang).format(matches.count), window: RANKED_CANDIDATES };
	// Ranked, what the page shows is among the newest matches; newest first, it is every match.
	const ranked = props.sort === "relevance";
	const text =
		matches.accuracy === "exact"
			? t(lang, matches.count === 1 ? "matchesOne" : "matchesExact", values)
			: matches.accuracy === "estimate"
				? t(lang, ranked ? "matchesAbout" : "matchesAboutRecent", values)
				: t(lang, ranked ? "matchesAmongNewest" : "matchesAmongNewestRecent", values);
	return (
		<p class="match-count" role="status">
			{text}
		</p>
	);
}

/**
 * A list page's address: its path, and the page of the list it shows as its cursor names
 * it. A later page is its own page, with its own canonical link (naming the first would
 * tell search engines its claims are not there); a cursor that is none of ours shows the
 * first page, and names it.
 */
function listAddress(path: string, page: Page, list: CursorList): PageAddress {
	return { path, query: { cursor: page ? cursorToken(page, list) : undefined } };
}

/** A speaker's or a source's claims a page, newest first; the rest behind "Next page". */
const CLAIMS_PER_PAGE = 50;

/** Speakers a page: alphabetical, the rest behind "Next page". */
const SPEAKERS_PER_PAGE = 500;

/**
 * A list page's query: where it starts, and in which language. The cursor is taken as any
 * string: one that is not ours (too long too) starts at page one (`pageFromCursorOrFirst`),
 * not a 422 page, as the API's 422 would be.
 */
const pagedQuery = z.object({
	cursor: z.string().optional(),
	lang: z.string().optional(),
});

/** As `pagedQuery`; a search `toFtsQuery` refuses, or longer than the API's q, is said beside the search box. */
const listQuery = z.object({
	q: z.string().optional(),
	/** A search's order: best match among the newest matches, or every match newest first. */
	sort: z.enum(["relevance", "recent"]).optional().catch(undefined),
	status: z.enum(CLAIM_STATUSES).optional().catch(undefined),
	cursor: z.string().optional(),
	lang: z.string().optional(),
});

/** "Fact check: <claimant> – „<quote>“": whose claim it is as every surface names it. */
function claimPageTitle(lang: UiLanguage, detail: ClaimDetail): string {
	const claimant = claimantName(detail);
	const quote = quoted(shortQuote(detail.text, 60), detail.language);
	return `${t(lang, "factCheck")}: ${claimant ? `${claimant} – ` : ""}${quote}`;
}

export const pageRoutes = factory
	.createApp()
	.use(pageCsp)
	.use(readReplica)
	.get("/", declareRoute({ method: "GET", path: "/", access: "public" }), async (c) => {
		const lang = c.var.lang;
		const latest = await listClaims(c.var.db, { publishedOnly: true }, "reviewed", 10, null);
		const recent = await listClaims(c.var.db, { reviewedOnly: hidesUnreviewed(c.env) }, "recent", 10, null);
		return page(
			c,
			t(lang, "latestVerdicts"),
			<>
				<h1>{t(lang, "latestVerdicts")}</h1>
				<SearchForm lang={lang} explicitLang={addressLanguage(c.var)} />
				<ClaimList rows={latest.rows} lang={lang} />
				<h2>{t(lang, "allClaims")}</h2>
				<ClaimList rows={recent.rows} lang={lang} />
				<p>
					<a href="/claims">{t(lang, "allClaims")}</a>
				</p>
			</>,
			null,
			[CLAIMS_LIST_TAG],
			{ path: "/" },
		);
	})
	.get(
		"/claims",
		declareRoute({ method: "GET", path: "/claims", access: "public", query: listQuery }),
		async (c) => {
			const lang = c.var.lang;
			const query = c.req.valid("query");
			let fts: string | undefined;
			let searchError: string | null = null;
			if (query.q?.trim()) {
				try {
					fts = toFtsQuery(query.q);
				} catch (error) {
					if (!(error instanceof SearchSyntaxError)) throw error;
					searchError = error.in(lang);
				}
			}
			const sort = fts && query.sort !== "recent" ? "relevance" : "recent";
			const cursor = pageFromCursorOrFirst(query.cursor, claimsCursorList(sort));
			const result = searchError
				? { rows: [], next: null, matches: null }
				: await listClaims(
						c.var.db,
						{ fts: publicSearch(c.env, fts), status: query.status, reviewedOnly: hidesUnreviewed(c.env) },
						sort,
						20,
						cursor,
						{ countMatches: true },
					);
			return page(
				c,
				t(lang, "navClaims"),
				<>
					<h1>{t(lang, "navClaims")}</h1>
					<SearchForm
						lang={lang}
						explicitLang={addressLanguage(c.var)}
						q={query.q}
						sort={query.sort}
						status={query.status}
					/>
					{query.status ? (
						<StatusFilterLine status={query.status} requestUrl={c.req.url} lang={lang} />
					) : null}
					{searchError ? (
						<p class="notice error" role="alert">
							{searchError}
						</p>
					) : null}
					<MatchCountLine matches={result.matches} sort={sort} lang={lang} />
					{fts && otherOrderMayShow(result.rows.length, sort, result.matches) ? (
						<SearchOrder sort={sort} window={RANKED_CANDIDATES} requestUrl={c.req.url} lang={lang} />
					) : null}
					{/* A refused search searched nothing: "No claims match." would read as never checked. */}
					{searchError ? null : (
						<PagedClaims
							rows={result.rows}
							next={result.next}
							list={claimsCursorList(sort)}
							requestUrl={c.req.url}
							lang={lang}
						/>
					)}
				</>,
				null,
				[CLAIMS_LIST_TAG],
				{
					path: "/claims",
					// The search as read (trimmed, the default order left out), a filter, a later page.
					query: {
						q: query.q?.trim() || undefined,
						sort: query.q?.trim() && query.sort === "recent" ? "recent" : undefined,
						status: query.status,
						cursor: cursor ? cursorToken(cursor, claimsCursorList(sort)) : undefined,
					},
				},
			);
		},
	)
	.get(
		"/claims/:id/verdicts/:verdictId",
		declareRoute({
			method: "GET",
			path: "/claims/:id/verdicts/:verdictId",
			access: "public",
			reason: "every published version stays readable; drafts are 404",
			params: z.object({ id, verdictId: id }),
		}),
		async (c) => {
			const { id: claimId, verdictId } = c.req.valid("param");
			const detail = publicClaim(c.env, await getClaim(c.var.db, claimId));
			const verdict = detail?.verdicts.find((v) => v.id === verdictId && v.state !== "draft");
			if (!detail || !verdict) throw notFound("verdict");
			const origin = publicOrigin(c);
			// The verdict in force is what the claim's page leads with, and that page is the one
			// search should show (its ClaimReview, the sitemap's, the DataFeed's url): this page
			// names it as canonical, so the version's page each Atom entry links does not compete
			// with it. A superseded or retracted version says what no other page does: noindex,
			// its own address kept (a page left out of the index names no other).
			const inForce = verdict.state === "published";
			return page(
				c,
				`${t(c.var.lang, "factCheck")}: ${verdict.headline}`,
				<VerdictVersionPage
					detail={detail}
					verdictId={verdictId}
					lang={c.var.lang}
					house={house(c.env, origin)}
				/>,
				<meta name="robots" content={inForce ? "index" : "noindex"} />,
				claimAnswerTags(detail),
				{ path: inForce ? claimPath(detail.id) : verdictPath(detail.id, verdict.id) },
			);
		},
	)
	.get(
		"/claims/:id",
		declareRoute({ method: "GET", path: "/claims/:id", access: "public", params: z.object({ id }) }),
		async (c) => {
			const id = c.req.valid("param").id;
			const detail = publicClaim(c.env, await getClaim(c.var.db, id));
			if (!detail) return retiredClaimAnswer(c, id, claimPath);
			const origin = publicOrigin(c);
			const claimUrl = `${origin}${claimPath(detail.id)}`;
			const ours = house(c.env, origin);
			// Null for another publisher's review too: its markup is theirs, on their page.
			const review = claimReviewJsonLd(
				{ ...detail, archivedCopies: archivedCopies(origin, detail) },
				{ claimUrl, org: org(c.env), ownSites: ours.sites, timeZone: newsroomTimeZone(c.env) },
			);
			const json = review ? jsonLdScript(review) : null;
			// Its embed options are left out: they change the embed code shown, not the page.
			const address = { path: claimPath(detail.id) };
			// oEmbed discovery names the page's canonical address, so a CMS embedding a ?lang=
			// page gets the card in that language (oEmbed reads the address's lang).
			const canonical = pageUrl(origin, address, addressLanguage(c.var));
			const oembed = `${origin}/oembed?url=${encodeURIComponent(canonical)}&format=json`;
			return page(
				c,
				claimPageTitle(c.var.lang, detail),
				<ClaimPage
					detail={detail}
					lang={c.var.lang}
					origin={origin}
					jsonLd={json}
					house={ours}
					embedChoice={embedChoiceFromQuery(new URL(c.req.url).searchParams)}
				/>,
				<>
					<SharingMeta
						title={`${t(c.var.lang, "factCheck")}: ${quoted(shortQuote(detail.text, 120), detail.language)}`}
						description={sharingDescription(detail, c.var.lang)}
						// The canonical address: a shared German page is previewed in German.
						url={canonical}
						siteName={c.env.ORG_NAME}
					/>
					<link
						rel="alternate"
						type="application/json+oembed"
						href={oembed}
						title={t(c.var.lang, "factCheck")}
					/>
					<JsonLdScript json={json} />
				</>,
				claimAnswerTags(detail),
				address,
			);
		},
	)
	.get(
		"/speakers",
		declareRoute({ method: "GET", path: "/speakers", access: "public", query: pagedQuery }),
		async (c) => {
			const after = pageFromCursorOrFirst(c.req.valid("query").cursor, "speakers");
			const { rows: speakers, next } = await listSpeakers(c.var.db, {
				limit: SPEAKERS_PER_PAGE,
				after,
				reviewedOnly: hidesUnreviewed(c.env),
			});
			return page(
				c,
				t(c.var.lang, "navSpeakers"),
				<>
					<h1>{t(c.var.lang, "navSpeakers")}</h1>
					<ul>
						{speakers.map((s) => (
							<li>
								<a href={`/speakers/${s.slug}`}>
									<bdi>{s.name}</bdi>
								</a>
								{s.description ? (
									<span class="meta">
										{" · "}
										<bdi>{s.description}</bdi>
									</span>
								) : null}
							</li>
						))}
					</ul>
					<NextPageLink next={next} list="speakers" requestUrl={c.req.url} lang={c.var.lang} />
				</>,
				null,
				[CLAIMS_LIST_TAG],
				listAddress("/speakers", after, "speakers"),
			);
		},
	)
	.get(
		"/speakers/:slug",
		declareRoute({
			method: "GET",
			path: "/speakers/:slug",
			access: "public",
			params: z.object({ slug: z.string().regex(SLUG_PATTERN) }),
			query: pagedQuery,
		}),
		async (c) => {
			const slug = c.req.valid("param").slug;
			const cursor = pageFromCursorOrFirst(c.req.valid("query").cursor, "claims-recent");
			const speaker = await getSpeakerBySlug(c.var.db, slug);
			if (!speaker) {
				// A speaker merged into another: its old address leads to the survivor while that is
				// public. Not where unreviewed claims are hidden and it never was public (store/speaker-edits).
				const survivor = await speakerRedirect(c.var.db, slug, { reviewedOnly: hidesUnreviewed(c.env) });
				if (survivor) return c.redirect(`${speakerPath(survivor)}${new URL(c.req.url).search}`, 301);
				throw notFound("speaker");
			}
			const [scorecard, claims] = await Promise.all([
				speakerScorecard(c.var.db, speaker.id, { reviewedOnly: hidesUnreviewed(c.env) }),
				listClaims(
					c.var.db,
					{ speakerId: speaker.id, reviewedOnly: hidesUnreviewed(c.env) },
					"recent",
					CLAIMS_PER_PAGE,
					cursor,
				),
			]);
			// Public while a public claim names them (store/public-claims `speakerHasPublicClaim`).
			if (scorecard.claims === 0) throw notFound("speaker");
			return page(
				c,
				speaker.name,
				<SpeakerPage
					// Where unreviewed claims are hidden, the spellings a merge brought from a speaker
					// that was never public stay off the page, as off the API (views/speaker-json).
					speaker={{ ...speaker, aliases: publicAliases(speaker, hidesUnreviewed(c.env)) }}
					scorecard={scorecardToJson(scorecard, c.var.lang)}
					claims={
						<PagedClaims
							rows={claims.rows}
							next={claims.next}
							list="claims-recent"
							requestUrl={c.req.url}
							lang={c.var.lang}
						/>
					}
					lang={c.var.lang}
				/>,
				null,
				[speakerTag(speaker.id)],
				listAddress(speakerPath(speaker.slug), cursor, "claims-recent"),
			);
		},
	)
	.get(
		"/sources/:id",
		declareRoute({
			method: "GET",
			path: "/sources/:id",
			access: "public",
			params: z.object({ id }),
			query: pagedQuery,
		}),
		async (c) => {
			// Hidden work stays hidden: a source only unreviewed claims came from is not public.
			// Asked apart from the page: a cursor past the last claim is an empty page, not a 404.
			const source = await getPublicSource(c.var.db, c.req.valid("param").id, hidesUnreviewed(c.env));
			if (!source) throw notFound("source");
			const cursor = pageFromCursorOrFirst(c.req.valid("query").cursor, "claims-recent");
			const claims = await listClaims(
				c.var.db,
				{ sourceId: source.id, reviewedOnly: hidesUnreviewed(c.env) },
				"recent",
				CLAIMS_PER_PAGE,
				cursor,
			);
			const lang = c.var.lang;
			return page(
				c,
				source.title ?? source.domain,
				<>
					<h1 lang={source.language ?? undefined}>{source.title ?? source.url}</h1>
					<p class="meta">
						{source.publisher ?? source.domain}
						{source.author ? ` · ${source.author}` : ""}
						{source.publishedAt ? ` · ${formatDate(source.publishedAt, lang)}` : ""}
					</p>
					<p class="url">
						<a href={/^https?:\/\//i.test(source.url) ? source.url : "#"} rel="noopener nofollow">
							{source.url}
						</a>
						<ArchivedElsewhere archivedUrl={source.archivedUrl} lang={lang} meta />
					</p>
					<h2>{t(lang, "claims")}</h2>
					<PagedClaims
						rows={claims.rows}
						next={claims.next}
						list="claims-recent"
						requestUrl={c.req.url}
						lang={lang}
					/>
				</>,
				null,
				[CLAIMS_LIST_TAG],
				listAddress(sourcePath(source.id), cursor, "claims-recent"),
			);
		},
	)
	.get(
		"/tags/:slug",
		declareRoute({
			method: "GET",
			path: "/tags/:slug",
			access: "public",
			params: z.object({ slug: z.string().regex(SLUG_PATTERN) }),
			query: pagedQuery,
		}),
		async (c) => {
			const lang = c.var.lang;
			const tag = await getTag(c.var.db, c.req.valid("param").slug);
			if (!tag) throw notFound("topic");
			const cursor = pageFromCursorOrFirst(c.req.valid("query").cursor, "claims-recent");
			const result = await listClaims(
				c.var.db,
				{ tag: tag.slug, reviewedOnly: hidesUnreviewed(c.env) },
				"recent",
				20,
				cursor,
			);
			// A topic no public claim carries (its claims removed, or only unreviewed ones while
			// those are hidden) is not public: its name may be what a removal took away. Asked
			// apart from the page: a cursor past the last claim is an empty page, not a 404.
			if (result.rows.length === 0 && !(await topicIsPublic(c.var.db, tag.slug, hidesUnreviewed(c.env))))
				throw notFound("topic");
			const name = lang === "de" ? tag.nameDe : tag.nameEn;
			return page(
				c,
				name,
				<>
					<p class="meta">{t(lang, "topics")}</p>
					<h1>
						<bdi>{name}</bdi>
					</h1>
					<h2>{t(lang, "topicClaims")}</h2>
					<PagedClaims
						rows={result.rows}
						next={result.next}
						list="claims-recent"
						requestUrl={c.req.url}
						lang={lang}
					/>
				</>,
				null,
				[CLAIMS_LIST_TAG],
				listAddress(tagPath(tag.slug), cursor, "claims-recent"),
			);
		},
	)
	// What a click on "feed" shows a person: the feeds to subscribe to, not raw XML.
	.get("/feeds", declareRoute({ method: "GET", path: "/feeds", access: "public" }), (c) => {
		const lang = c.var.lang;
		return page(
			c,
			t(lang, "feedsTitle"),
			<>
				<h1>{t(lang, "feedsTitle")}</h1>
				<p>{t(lang, "feedsExplained")}</p>
				<ul>
					<li>
						<a href={`/feeds/verdicts.atom?lang=${lang}`} type="application/atom+xml">
							{t(lang, "feed")}
						</a>{" "}
						<span class="meta">Atom · {t(lang, "feedsAtom")}</span>
					</li>
					<li>
						<a href="/api/v1/export.ndjson">NDJSON</a> <span class="meta">{t(lang, "feedsNdjson")}</span>
					</li>
					<li>
						<a href="/api/v1/export/claimreview.json">ClaimReview DataFeed</a>{" "}
						<span class="meta">{t(lang, "feedsDataFeed")}</span>
					</li>
				</ul>
			</>,
			null,
			[],
			{ path: "/feeds" },
		);
	});
