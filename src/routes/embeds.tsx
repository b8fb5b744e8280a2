import * as z from "zod";
import { type BadgeStyle, badgeForStatus, isBadgeStyle, MAX_LABEL_LENGTH } from "../domain/badge";
import { claimAnswerTags, claimTag } from "../domain/cache-tags";
import { claimantName } from "../domain/claim-review";
import {
	CARD_THEMES,
	type CardTheme,
	cardQuery as cardQueryString,
	DEFAULT_EMBED_CHOICE,
	EMBED_LANGS,
	type EmbedLang,
} from "../domain/embed-options";
import { ID_PATTERN } from "../domain/ids";
import type { ClaimStatus } from "../domain/ratings";
import { type Credit, creditFor, type House } from "../domain/review-attribution";
import { quoted, shortQuote } from "../domain/typography";
import { executionContext, factory } from "../factory";
import { BADGE_CROSS_ORIGIN, CARD_CROSS_ORIGIN } from "../lib/cross-origin";
import { NO_DOCS } from "../lib/docs";
import { badgeCacheKey, type CacheLang, embedCacheKey, withEdgeCache } from "../lib/edge-cache";
import { AppError, notFound } from "../lib/errors";
import { conditional, EMBED_CACHE, etagOf, publicCacheHeaders } from "../lib/http-cache";
import { isUiLanguage } from "../lib/language";
import { EMBED_CARD_CSP } from "../lib/page-csp";
import { publicOrigin } from "../lib/public-origin";
import { publicClaim } from "../lib/public-visibility";
import { house } from "../lib/publisher";
import { declareRoute } from "../lib/route-declaration";
import { queryNumber } from "../schemas/common";
import { type ClaimDetail, getClaim } from "../store/claims";
import {
	CARD_HEIGHT,
	CARD_MIN_HEIGHT,
	CARD_MIN_WIDTH,
	CARD_WIDTH,
	EmbedCard,
	embedLanguage,
} from "../views/embed-card";
import { t } from "../views/i18n";
import { claimPath, embedPath } from "../views/json";
import { pageUrl } from "../views/page-address";
import { RATINGS_PATH } from "../views/rating-link";
import { retiredClaimAnswer } from "./claim-fate";

const BADGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'none'; frame-ancestors 'none'";

function cacheLang(value: string | undefined): CacheLang {
	return value === "de" || value === "en" ? value : "auto";
}

/** How long an oEmbed answer, and the embed code in it, may be kept (`max-age`, `cache_age`). */
const EMBED_CODE_SECONDS = 300;

/** A badge, tagged with what it shows (the not-found badge too, so a claim made public purges it). */
async function svgResponse(svg: string, status: number, tags: readonly string[]): Promise<Response> {
	return new Response(svg, {
		status,
		headers: {
			...(tags.length > 0 ? publicCacheHeaders(tags) : {}),
			"Content-Type": "image/svg+xml; charset=utf-8",
			"Cache-Control": status === 200 ? EMBED_CACHE : "public, max-age=60",
			ETag: await etagOf(svg),
			"Content-Security-Policy": BADGE_CSP,
			"X-Content-Type-Options": "nosniff",
			...BADGE_CROSS_ORIGIN,
		},
	});
}

/** Accepted and ignored: a page's cache buster (the desk's preview); never part of a cache key. */
const cacheBuster = z
	.string()
	.optional()
	.catch(undefined)
	.describe(
		NO_DOCS
			? ""
			: "Ignored. A page may add it so the browser fetches a fresh copy; the edge cache ignores it.",
	);

/** A badge's or card's `lang`: a variant, never refused (unknown values fall back). */
const variantLang = z
	.string()
	.max(40)
	.optional()
	.catch(undefined)
	.describe(
		NO_DOCS
			? ""
			: "`en` or `de`. Anything else, or none: the claim's language when it is one of them, else `en`.",
	);

/**
 * The badge's variants. Anything unusable (an unknown or repeated value, an over-long one)
 * falls back like an unknown one, never to a 422: a partner's <img> shows a badge or nothing.
 */
const badgeQuery = z.object({
	style: z
		.string()
		.max(40)
		.optional()
		.catch(undefined)
		.describe(
			NO_DOCS
				? ""
				: "`flat` (the default), `flat-square` or `for-the-badge`, as shields.io's. Anything else is flat.",
		),
	lang: variantLang,
	label: z
		.string()
		.max(400)
		.optional()
		.catch(undefined)
		.describe(
			NO_DOCS
				? ""
				: `Replaces "Fact check" (its first ${MAX_LABEL_LENGTH} characters, longer ends in "…"); blank, or over 400 characters: the default.`,
		),
	v: cacheBuster,
});

/** The badge's address as documented: `{id}.svg`, which the handler reads from the file name. */
const badgeParams = z.object({ id: z.string().describe(NO_DOCS ? "" : "The claim's id.") });

/** An image that shows a badge whatever happened, for an <img> on another site. */
const badgeImage = (description: string) => ({
	description,
	contentType: "image/svg+xml",
	schema: z.string(),
});

/** The card's variants: `lang` (as the badge's) and `theme`; unknown values fall back. */
const cardQuery = z.object({
	lang: variantLang,
	theme: z
		.enum(CARD_THEMES)
		.catch("light")
		.describe(
			NO_DOCS
				? ""
				: "Card colours: light (the default), dark, or auto (follows the reader's prefers-color-scheme). Anything else is light.",
		),
	v: cacheBuster,
});

const oembedQuery = z.object({
	url: z
		.string()
		.max(2048)
		.describe(
			NO_DOCS
				? ""
				: "The address to embed, on this site (`http` or `https`): a claim page (`/claims/{id}`, its `embedLang` and `embedTheme` or else its `lang` choosing the card's), a verdict version's page (`/claims/{id}/verdicts/{verdictId}`: the claim's card, showing the current rating) or a card (`/embed/{id}`, with its `lang` and `theme`).",
		),
	format: z
		.string()
		.max(10)
		.optional()
		.describe(NO_DOCS ? "" : "`json`, in any case (the default); anything else is a 501."),
	// No upper bound: oEmbed asks only that the answer fit within them, and a larger frame
	// than the card's gets the card's own size (below); a smaller one than its least, a 404.
	// Digits only, as every number in a query (schemas/common): "1e99" is refused, and past
	// 15 digits a number reads as the largest, which the card's own size caps.
	maxwidth: queryNumber(z.number().int().min(1))
		.optional()
		.describe(
			NO_DOCS
				? ""
				: `The widest frame there is room for: the card's ${CARD_WIDTH} px, narrowed to it down to ${CARD_MIN_WIDTH}; below that a 404 (\`embed-too-small\`).`,
		),
	maxheight: queryNumber(z.number().int().min(1))
		.optional()
		.describe(
			NO_DOCS
				? ""
				: `The tallest frame there is room for: the card's ${CARD_HEIGHT} px; less is a 404 (\`embed-too-small\`).`,
		),
});

/** oEmbed 1.0's answer for a rich embed (routes below). */
const oembedJson = z.object({
	version: z.literal("1.0"),
	type: z.literal("rich"),
	provider_name: z.string(),
	provider_url: z.string(),
	author_name: z
		.string()
		.optional()
		.describe(
			NO_DOCS ? "" : "Another publisher whose fact-check it is (imported): theirs, with `author_url`.",
		),
	author_url: z.string().optional(),
	title: z.string(),
	html: z.string().describe(NO_DOCS ? "" : "An <iframe> of the card (`/embed/{id}`), `width` × `height`."),
	width: z.number().int(),
	height: z.number().int(),
	cache_age: z
		.number()
		.int()
		.describe(NO_DOCS ? "" : "Seconds the answer, and the embed code in it, may be kept."),
});

export const embedRoutes = factory
	.createApp()
	.get(
		"/badges/:file{[^/]+\\.svg}",
		declareRoute({
			method: "GET",
			path: "/badges/:file{[^/]+\\.svg}",
			access: "public",
			reason: "embedded on other sites",
			query: badgeQuery,
			// Every answer carries its own (BADGE_CROSS_ORIGIN), its redirect too.
			cors: false,
			doc: {
				path: "/badges/{id}.svg",
				params: badgeParams,
				lenient: true,
				summary: NO_DOCS ? "" : "The live badge of a claim (SVG, for an <img>)",
				description: NO_DOCS
					? ""
					: "Always shows the claim's current rating, and whose claim it is. Variants: `style`, `lang` and `label`; an unusable value falls back as an unknown one does, never to an error, and other parameters are ignored. A claim that is not there is a badge saying so.",
				tags: ["Embeds"],
				responses: {
					200: badgeImage(NO_DOCS ? "" : "The badge"),
					301: {
						description: NO_DOCS
							? ""
							: "The claim was merged into another: `Location` is the kept claim's badge (with this query), for good",
					},
					404: badgeImage(NO_DOCS ? "" : "No such claim: a badge saying “not found”"),
					410: badgeImage(
						NO_DOCS ? "" : "The claim was removed as recorded by mistake: a badge saying “not found”",
					),
				},
			},
		}),
		async (c) => {
			const id = c.req.param("file").replace(/\.svg$/, "");
			const query = c.req.valid("query");
			const style: BadgeStyle = isBadgeStyle(query.style) ? query.style : "flat";
			const notFoundBadge = async (status: 404 | 410 = 404) => {
				const badge = badgeForStatus(null, embedLanguage(query.lang, null), { style, notFound: true });
				return svgResponse(badge.svg, status, ID_PATTERN.test(id) ? [claimTag(id)] : []);
			};
			if (!ID_PATTERN.test(id)) return notFoundBadge();
			const key = query.label === undefined ? badgeCacheKey(id, style, cacheLang(query.lang)) : null;
			const response = await withEdgeCache(key, executionContext(c), async () => {
				const claim = publicClaim(c.env, await getClaim(c.var.db, id));
				// A merged claim's badge is the kept claim's (301); a removed one's says "not found" (410).
				if (!claim) {
					return retiredClaimAnswer(c, id, (into) => `/badges/${into}.svg`, {
						headers: BADGE_CROSS_ORIGIN,
					}).catch((error) =>
						error instanceof AppError && error.status === 410 ? notFoundBadge(410) : notFoundBadge(),
					);
				}
				const credit = checkerOf(claim, house(c.env, publicOrigin(c)));
				const badge = badgeForStatus(claim.status as ClaimStatus, embedLanguage(query.lang, claim.language), {
					style,
					...(query.label !== undefined ? { label: query.label } : {}),
					// Whose claim, as every surface names it: a claim of the source, its publisher's.
					speakerName: claimantName(claim),
					checkedBy: credit?.external ? credit.name : null,
				});
				return svgResponse(badge.svg, 200, claimAnswerTags(claim));
			});
			return conditional(c, response);
		},
	)
	.get(
		"/embed/:id",
		declareRoute({
			method: "GET",
			path: "/embed/:id",
			access: "public",
			reason: "framed by other sites",
			params: z.object({ id: z.string().describe(NO_DOCS ? "" : "The claim's id.") }),
			query: cardQuery,
			// Framed, never read by other sites' scripts.
			cors: false,
			doc: {
				lenient: true,
				summary: NO_DOCS ? "" : "The embeddable card of a claim (HTML for an iframe, 400 × 240)",
				description: NO_DOCS
					? ""
					: "Always shows the claim's current rating. Variants: `lang` (en, de; else the claim's language) and `theme` (light, dark, auto). Other parameters are ignored.",
				tags: ["Embeds"],
				responses: {
					200: { description: NO_DOCS ? "" : "The card", contentType: "text/html", schema: z.string() },
					301: {
						description: NO_DOCS
							? ""
							: "The claim was merged into another: `Location` is the kept claim's card (with this query), for good",
					},
					404: { description: NO_DOCS ? "" : "No such claim" },
					410: {
						description: NO_DOCS ? "" : "The claim was removed as recorded by mistake (`claim-removed`)",
						members: {
							removedAt: NO_DOCS
								? ""
								: "When the claim was removed. Only in the problem+json: a frame's card (`text/html`) says it in words.",
						},
					},
				},
			},
		}),
		async (c) => {
			const { id } = c.req.valid("param");
			const { lang, theme } = c.req.valid("query");
			if (!ID_PATTERN.test(id)) throw notFound("claim");
			const chosenLang = cacheLang(lang);
			const response = await withEdgeCache(
				embedCacheKey(id, chosenLang, theme),
				executionContext(c),
				async () => {
					const claim = publicClaim(c.env, await getClaim(c.var.db, id));
					if (!claim) return retiredClaimAnswer(c, id, embedPath, { headers: CARD_CROSS_ORIGIN });
					const uiLang = embedLanguage(lang, claim.language);
					const origin = publicOrigin(c);
					const verdict = claim.verdicts.find((v) => v.state === "published") ?? null;
					// A card in a chosen language leads to the pages in it, not in the reader's
					// browser's; in the claim's, to the plain addresses (the cache key holds lang).
					const linkLang = chosenLang === "auto" ? undefined : chosenLang;
					const html = `<!DOCTYPE html>${(
						(
							<EmbedCard
								claim={claim}
								verdict={verdict}
								speakerName={claimantName(claim)}
								claimUrl={pageUrl(origin, { path: claimPath(claim.id) }, linkLang)}
								ratingsUrl={pageUrl(origin, { path: RATINGS_PATH }, linkLang)}
								lang={uiLang}
								theme={theme}
								orgName={checkerOf(claim, house(c.env, origin))?.name ?? c.env.ORG_NAME}
							/>
						)
					).toString()}`;
					return new Response(html, {
						headers: {
							"Content-Type": "text/html; charset=utf-8",
							"Cache-Control": EMBED_CACHE,
							...publicCacheHeaders(claimAnswerTags(claim)),
							ETag: await etagOf(html),
							"Content-Security-Policy": EMBED_CARD_CSP,
							...CARD_CROSS_ORIGIN,
						},
					});
				},
			);
			return conditional(c, response);
		},
	)
	.get(
		"/oembed",
		declareRoute({
			method: "GET",
			path: "/oembed",
			access: "public",
			cors: true,
			query: oembedQuery,
			doc: {
				summary: NO_DOCS ? "" : "oEmbed (1.0) of a claim page or card: the card's embed code",
				description: NO_DOCS
					? ""
					: "A `rich` embed: an <iframe> of the claim's card, at most `maxwidth` × `maxheight`. Claim pages name it in their discovery link.",
				tags: ["Embeds"],
				// `cache_age` and Cache-Control say how long to keep it; there is no ETag.
				etag: false,
				responses: {
					200: { description: NO_DOCS ? "" : "The embed", schema: oembedJson },
					301: {
						description: NO_DOCS
							? ""
							: "`url` names a claim merged into another: `Location` is the oEmbed of the kept claim's address (the query kept), for good",
					},
					404: {
						description: NO_DOCS
							? ""
							: `Nothing of ours to embed at \`url\` (another host, no such claim, a version not published), or \`maxwidth\` and \`maxheight\` leave less than the card's least, ${CARD_MIN_WIDTH} × ${CARD_MIN_HEIGHT} (\`embed-too-small\`)`,
					},
					410: {
						description: NO_DOCS ? "" : "The claim was removed as recorded by mistake (`claim-removed`)",
						members: { removedAt: NO_DOCS ? "" : "When the claim was removed." },
					},
					501: { description: NO_DOCS ? "" : "A `format` other than json" },
				},
			},
		}),
		async (c) => {
			const query = c.req.valid("query");
			// Format names are case-insensitive to consumers that write them capitalised.
			if ((query.format ?? "json").toLowerCase() !== "json")
				throw new AppError(501, "Only format=json is supported.");
			const origin = publicOrigin(c);
			const address = embedAddress(query.url, origin);
			if (!address) throw notFound("claim page at this url");
			const { target, id, verdictId } = address;
			const claim = publicClaim(c.env, await getClaim(c.var.db, id));
			// A verdict version's address is embeddable where its page is readable (published
			// or superseded, of this claim); the card shows the claim's current rating, as the
			// badge does. A merged or removed claim's version pages are 404, and so is this.
			if (verdictId && !claim?.verdicts.some((v) => v.id === verdictId && v.state !== "draft"))
				throw notFound("claim page at this url");
			if (!claim) {
				// A removed claim's 410 in the language of the card the address names, as its 200
				// would be (lib/error-handler `problemLanguage`); a claim's own language is unknown here.
				const { lang } = cardVariant(target.searchParams, address.claimPage);
				if (isUiLanguage(lang)) {
					c.set("lang", lang);
					c.set("langNegotiated", false);
				}
				// The kept claim's oEmbed, for the address of the claim merged into it.
				const kept = (into: string) => {
					const params = new URL(c.req.url).searchParams;
					// The address's own query (the card's lang and theme) goes along.
					params.set("url", `${origin}${target.pathname.replace(id, into)}${target.search}`);
					return `/oembed?${params}`;
				};
				return retiredClaimAnswer(c, id, kept);
			}
			// oEmbed: a rich embed must obey maxwidth and maxheight. Below the card's smallest
			// frame there is no embed to give (404, the spec's "no response"), not a cropped one.
			if (
				(query.maxwidth ?? CARD_WIDTH) < CARD_MIN_WIDTH ||
				(query.maxheight ?? CARD_HEIGHT) < CARD_MIN_HEIGHT
			) {
				throw new AppError(
					404,
					`The card needs at least ${CARD_MIN_WIDTH} × ${CARD_MIN_HEIGHT} pixels; maxwidth and maxheight allow less.`,
					{ code: "embed-too-small" },
				);
			}
			const width = Math.min(query.maxwidth ?? CARD_WIDTH, CARD_WIDTH);
			const height = Math.min(query.maxheight ?? CARD_HEIGHT, CARD_HEIGHT);
			const variant = cardVariant(target.searchParams, address.claimPage);
			const lang = embedLanguage(variant.lang, claim.language);
			const claimant = claimantName(claim);
			// Cut by code points on a word boundary: never half an emoji (a lone surrogate).
			const quote = quoted(shortQuote(claim.text), claim.language);
			const title = `${t(lang, "factCheck")}: ${claimant ? `${claimant} – ` : ""}${quote}`;
			// We provide the embed; another publisher's fact-check is theirs (oEmbed's author).
			const credit = checkerOf(claim, house(c.env, origin));
			const src = `${origin}${embedPath(claim.id)}${cardQueryString({ ...DEFAULT_EMBED_CHOICE, ...variant })}`;
			const html = `<iframe src="${escapeAttr(src)}" width="${width}" height="${height}" style="border:0;max-width:100%" title="${escapeAttr(title)}" loading="lazy"></iframe>`;
			return c.json(
				{
					version: "1.0",
					type: "rich",
					provider_name: c.env.ORG_NAME,
					provider_url: c.env.ORG_URL,
					...(credit?.external
						? { author_name: credit.name, author_url: credit.reviewUrl ?? credit.url }
						: {}),
					title,
					html,
					width,
					height,
					// The code holds the claimant's name and the quote (its title, which screen
					// readers read): a consumer may keep it as long as we keep the answer, not an
					// hour past a rename, an edit or a removal.
					cache_age: EMBED_CODE_SECONDS,
				},
				200,
				{
					"Cache-Control": `public, max-age=${EMBED_CODE_SECONDS}`,
					...publicCacheHeaders(claimAnswerTags(claim)),
				},
			);
		},
	);

/**
 * What an oEmbed `url` names: a card (`/embed/<id>`), a claim page (`/claims/<id>`) or a
 * verdict version's page (`/claims/<id>/verdicts/<verdict id>`), on our host. Either scheme
 * of the configured host is ours (a CMS may write http:// for an https site, or the other
 * way round); another host, or another scheme, never is. Null: nothing of ours.
 */
function embedAddress(
	url: string,
	origin: string,
): { target: URL; id: string; verdictId: string | null; claimPage: boolean } | null {
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		return null;
	}
	if (target.host !== new URL(origin).host || !["http:", "https:"].includes(target.protocol)) return null;
	const match =
		/^\/embed\/([0-9a-z]{14})\/?$/.exec(target.pathname) ??
		/^\/claims\/([0-9a-z]{14})(?:\/verdicts\/([0-9a-z]{14}))?\/?$/.exec(target.pathname);
	const id = match?.[1];
	if (!id) return null;
	const verdictId = match?.[2] ?? null;
	// Only the claim page has embed options (a version's page shows no embed code).
	return { target, id, verdictId, claimPage: !verdictId && target.pathname.startsWith("/claims/") };
}

/**
 * The card the oEmbed consumer was given the address of: a card's `lang` and `theme` (what
 * the embed code's card carries), checked against their lists; anything else is the
 * default. A claim page's address frames the card its embed code shows: the options chosen
 * there (`embedLang`, `embedTheme`, "claim's language" too) before the page's own `lang`
 * (and a `theme`), which stand only where no option was chosen.
 */
function cardVariant(query: URLSearchParams, claimPage: boolean): { lang: EmbedLang; theme: CardTheme } {
	const read = <T extends string>(list: readonly T[], name: string): T | undefined =>
		list.find((known) => known === query.get(name));
	const chosenLang = claimPage ? read(EMBED_LANGS, "embedLang") : undefined;
	const chosenTheme = claimPage ? read(CARD_THEMES, "embedTheme") : undefined;
	return {
		lang: chosenLang ?? read(EMBED_LANGS, "lang") ?? "auto",
		theme: chosenTheme ?? read(CARD_THEMES, "theme") ?? "light",
	};
}

/** Who checked the claim's published verdict (domain/review-attribution); null without one. */
function checkerOf(claim: ClaimDetail, ours: House): Credit | null {
	const verdict = claim.verdicts.find((v) => v.id === claim.currentVerdictId && v.state === "published");
	return verdict ? creditFor(verdict, ours) : null;
}

function escapeAttr(text: string): string {
	return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
