/**
 * schema.org ClaimReview (Google fact-check structured data) and the DataFeed that
 * bundles them (Google / Data Commons fact-check feeds). Pure: the caller supplies
 * absolute URLs and the publishing organisation, and writes the script element
 * (with `jsonLdScript` from safe-json-ld, never with a bare JSON.stringify).
 */
import type { Appearance, Claim, Source, Speaker, Verdict } from "../db/schema";
import { authorNames } from "./author-names";
import { publicChangeSince } from "./public-change";
import { claimReviewRating, uiLanguageOf } from "./ratings";
import { isExternalReview } from "./review-attribution";
import { dayIn, localTimestamp } from "./time-zone";

/**
 * What the builder reads of a claim. `ClaimDetail` (store/claims) fits; it is not imported
 * so that domain code stays free of the store and its Workers-only types.
 */
export interface ClaimReviewSubject extends Claim {
	speaker: Speaker | null;
	appearances: readonly (Appearance & { source: Source })[];
	verdicts: readonly Verdict[];
	/** Topics; their names become `keywords`. */
	tags?: readonly { nameEn: string; nameDe: string }[];
	/** Absolute URLs of our archived copies, by source URL: they become `archivedAt`. */
	archivedCopies?: Readonly<Record<string, string>>;
	/**
	 * Public edits of the claim (its words, its speaker): a later one modifies the review, as
	 * does any later public change (the claim's `updatedAt`, domain/public-change).
	 */
	changes?: readonly { at: string }[];
}

export interface PublishingOrganization {
	name: string;
	url: string;
	/** Absolute URL of the logo image; null without a usable one (left out of the markup). */
	logo: string | null;
}

interface JsonLdOrganization {
	"@type": "Organization";
	name: string;
	url?: string;
	logo?: { "@type": "ImageObject"; url: string };
	sameAs?: string;
	description?: string;
}

interface JsonLdPerson {
	"@type": "Person";
	name: string;
	sameAs?: string;
	jobTitle?: string;
}

interface JsonLdCreativeWork {
	"@type": "CreativeWork";
	url: string;
	headline?: string;
	datePublished?: string;
	inLanguage?: string;
	publisher?: JsonLdOrganization;
	/** Each author a Person of their own (schema.org: Person or Organization, or an array of them). */
	author?: JsonLdPerson | JsonLdPerson[];
	/** Our copy and any third-party archive (Wayback) of the page. */
	archivedAt?: string | string[];
}

interface JsonLdClaim {
	"@type": "Claim";
	author?: JsonLdPerson | JsonLdOrganization;
	datePublished?: string;
	inLanguage: string;
	firstAppearance?: JsonLdCreativeWork;
	appearance?: JsonLdCreativeWork[];
}

interface JsonLdRating {
	"@type": "Rating";
	alternateName: string;
	ratingValue?: number;
	worstRating?: number;
	bestRating?: number;
}

export interface ClaimReviewJsonLd {
	"@context": "https://schema.org";
	"@type": "ClaimReview";
	url: string;
	claimReviewed: string;
	reviewRating: JsonLdRating;
	author: JsonLdOrganization;
	datePublished?: string;
	dateModified?: string;
	headline: string;
	inLanguage: string;
	itemReviewed: JsonLdClaim;
	/** The claim's topics, comma-separated (schema.org CreativeWork `keywords`). */
	keywords?: string;
}

export interface DataFeedJsonLd {
	"@context": "https://schema.org";
	"@type": "DataFeed";
	name: string;
	url: string;
	dateModified: string;
	publisher: JsonLdOrganization;
	dataFeedElement: {
		"@type": "DataFeedItem";
		dateCreated?: string;
		dateModified?: string;
		item: Omit<ClaimReviewJsonLd, "@context">[];
	}[];
}

const DATE = /^\d{4}-\d{2}-\d{2}/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
const WIKIDATA_ID = /^Q[1-9]\d*$/;
/* A supersedes chain longer than this is corrupt data (a cycle); stop walking rather than hang. */
const MAX_CORRECTIONS = 100;

/** YYYY-MM-DD of an ISO date or timestamp; anything else is left out rather than published wrong. */
function datePart(value: string | null | undefined): string | undefined {
	const match = value ? DATE.exec(value) : null;
	return match ? match[0] : undefined;
}

function dateTime(value: string | null | undefined): string | undefined {
	if (value && DATE_TIME.test(value)) return value;
	return datePart(value);
}

function nonBlank(value: string | null | undefined): string | undefined {
	const trimmed = value?.trim();
	return trimmed ? trimmed : undefined;
}

/**
 * The verdict the claim page shows: the claim's current verdict, and only while it is
 * published. Structured data must match the visible page, so this mirrors the page's rule.
 */
function currentPublishedVerdict(subject: ClaimReviewSubject): Verdict | undefined {
	if (!subject.currentVerdictId) return undefined;
	return subject.verdicts.find(
		(v) => v.id === subject.currentVerdictId && v.state === "published" && v.publishedAt !== null,
	);
}

/**
 * The first public verdict of ours in the correction chain that ends in `verdict`. The walk
 * stops at another publisher's review (imported, then superseded by our own check): its
 * date is theirs, and our review was first published when we wrote ours.
 */
function originalOf(verdict: Verdict, verdicts: readonly Verdict[], ownSites: readonly string[]): Verdict {
	const byId = new Map(verdicts.filter((v) => v.state !== "draft").map((v) => [v.id, v]));
	let original = verdict;
	for (let i = 0; i < MAX_CORRECTIONS && original.supersedesId; i++) {
		const previous = byId.get(original.supersedesId);
		if (!previous || isExternalReview(previous.reviewUrl, ownSites)) break;
		original = previous;
	}
	return original;
}

function organizationJsonLd(org: PublishingOrganization): JsonLdOrganization {
	return {
		"@type": "Organization",
		name: org.name,
		url: org.url,
		...(org.logo ? { logo: { "@type": "ImageObject", url: org.logo } } : {}),
	};
}

function speakerJsonLd(speaker: Speaker): JsonLdPerson | JsonLdOrganization {
	const sameAs =
		speaker.wikidataId && WIKIDATA_ID.test(speaker.wikidataId)
			? `https://www.wikidata.org/wiki/${speaker.wikidataId}`
			: undefined;
	const description = nonBlank(speaker.description);
	if (speaker.kind === "organization") {
		return {
			"@type": "Organization",
			name: speaker.name,
			...(sameAs ? { sameAs } : {}),
			...(description ? { description } : {}),
		};
	}
	// Speaker descriptions are roles ("Foreign Minister of the DPRK"); Google's examples use jobTitle.
	return {
		"@type": "Person",
		name: speaker.name,
		...(sameAs ? { sameAs } : {}),
		...(description ? { jobTitle: description } : {}),
	};
}

function originOf(url: string): string | undefined {
	try {
		return new URL(url).origin;
	} catch {
		return undefined;
	}
}

/** A claim without a speaker was made by the source itself: its publisher, else its site. */
function sourceAsClaimant(source: Source): JsonLdOrganization {
	const publisher = nonBlank(source.publisher);
	if (publisher) return { "@type": "Organization", name: publisher };
	const origin = originOf(source.url);
	return { "@type": "Organization", name: source.domain, ...(origin ? { url: origin } : {}) };
}

/**
 * Whose claim it is, by name, as every surface says it: the speaker, or for a claim of
 * the source its first source's publisher, else domain (ClaimReview's `author`, Google's
 * `claimant`). Never the fact-checker: a card or snippet crediting the newsroom with the
 * claim it debunked is the one wrong answer. Null without speaker and source.
 */
export function claimantName(subject: {
	speaker: { name: string } | null;
	appearances: readonly { isFirst: boolean; source: Pick<Source, "publisher" | "domain"> }[];
}): string | null {
	if (subject.speaker) return subject.speaker.name;
	const first = subject.appearances.find((a) => a.isFirst) ?? subject.appearances[0];
	return first ? (nonBlank(first.source.publisher) ?? first.source.domain) : null;
}

function archivedAtOf(source: Source, copies: Readonly<Record<string, string>> | undefined): string[] {
	const ours = copies?.[source.url];
	const theirs = nonBlank(source.archivedUrl);
	return [...(ours ? [ours] : []), ...(theirs && theirs !== ours ? [theirs] : [])];
}

function appearanceJsonLd(source: Source, copies?: Readonly<Record<string, string>>): JsonLdCreativeWork {
	const archivedAt = archivedAtOf(source, copies);
	const headline = nonBlank(source.title);
	const datePublished = datePart(source.publishedAt);
	const inLanguage = nonBlank(source.language);
	const publisher = nonBlank(source.publisher);
	// "Anna Beispiel; Jonas Muster" are two people: one Person of that name read as one with a
	// semicolon in it. Cut at semicolons only: a comma or "and" is in names (domain/author-names).
	const authors = authorNames(source.author).map((name): JsonLdPerson => ({ "@type": "Person", name }));
	return {
		"@type": "CreativeWork",
		url: source.url,
		...(headline ? { headline } : {}),
		...(datePublished ? { datePublished } : {}),
		...(inLanguage ? { inLanguage } : {}),
		...(publisher ? { publisher: { "@type": "Organization", name: publisher } } : {}),
		...(authors.length > 0 ? { author: authors.length === 1 ? authors[0] : authors } : {}),
		...(archivedAt.length > 0 ? { archivedAt: archivedAt.length === 1 ? archivedAt[0] : archivedAt } : {}),
	};
}

function claimJsonLd(subject: ClaimReviewSubject): JsonLdClaim {
	const first = subject.appearances.find((a) => a.isFirst) ?? subject.appearances[0];
	const author = subject.speaker
		? speakerJsonLd(subject.speaker)
		: first
			? sourceAsClaimant(first.source)
			: undefined;
	const datePublished = datePart(subject.claimedAt);
	// firstAppearance is a sub-property of appearance; repeating it there serves readers
	// that look only at `appearance`.
	const appearances = subject.appearances.map((a) => appearanceJsonLd(a.source, subject.archivedCopies));
	return {
		"@type": "Claim",
		...(author ? { author } : {}),
		...(datePublished ? { datePublished } : {}),
		inLanguage: subject.language,
		...(first ? { firstAppearance: appearanceJsonLd(first.source, subject.archivedCopies) } : {}),
		...(appearances.length > 0 ? { appearance: appearances } : {}),
	};
}

/**
 * One ClaimReview for the claim's current published verdict; null when there is none, so
 * drafts, retractions and claims still in review never produce structured data. Null too
 * when that verdict is another publisher's review (imported; its review URL on none of
 * `ownSites`): ClaimReview markup belongs on the fact-checker's own review page (Google's
 * guidelines), and ours would name our organisation as its author.
 *
 * `datePublished` is a day, the newsroom's (`timeZone`), as the page's byline dates it: a
 * Date, as in Google's ClaimReview example, which no same-day timestamp of another zone can
 * seem to precede in a string comparison (the DataFeed's `dateCreated` is the same value).
 * After a correction the review keeps the date it was first published (`datePublished`,
 * from the first verdict of ours in the correction chain, never an imported review's) and carries the correction's timestamp
 * as `dateModified` (in the newsroom's offset, on or after that day), as publishers do for corrected articles; a public change of the claim
 * after the verdict was written is a modification too: its words or speaker edited, its
 * speaker renamed or merged, an appearance added or removed, its topics set or renamed, a
 * duplicate merged in (the claim's `updatedAt`, domain/public-change).
 */
export function claimReviewJsonLd(
	subject: ClaimReviewSubject,
	options: {
		claimUrl: string;
		org: PublishingOrganization;
		/** Our hosts (domain/review-attribution `houseSites`): a review elsewhere is not ours to mark up. */
		ownSites: readonly string[];
		/** The newsroom's (domain/deployment-settings `newsroomTimeZone`): `datePublished` is its day. */
		timeZone: string;
	},
): ClaimReviewJsonLd | null {
	const verdict = currentPublishedVerdict(subject);
	if (!verdict || isExternalReview(verdict.reviewUrl, options.ownSites)) return null;
	const reviewLanguage = uiLanguageOf(verdict.language) ?? "en";
	const original = originalOf(verdict, subject.verdicts, options.ownSites);
	// The day the page's byline shows, the newsroom's: the UTC day of a check published just
	// after midnight there was the day before, before the claim it checks was even made.
	const datePublished =
		dayIn(original.publishedAt, options.timeZone) ??
		dayIn(verdict.publishedAt, options.timeZone) ??
		undefined;
	// A correction, or a later public change of the claim reviewed (what it says, whose it is,
	// where it appeared, its keywords).
	const lastChange =
		subject.changes
			?.map((change) => change.at)
			.sort()
			.at(-1) ?? "";
	const modifiedAt = [
		original === verdict ? "" : (verdict.publishedAt ?? ""),
		lastChange > (verdict.publishedAt ?? "") ? lastChange : "",
		publicChangeSince(subject, verdict) ?? "",
	]
		.sort()
		.at(-1);
	// In the newsroom's offset: a change at 00:55 there, written as 23:55 UTC the day before,
	// came before `datePublished` (a day) as a string and as an instant; Google's `reviewDate`
	// and the DataFeed's own `dateModified` stay UTC.
	const dateModified = localTimestamp(dateTime(modifiedAt), options.timeZone) ?? undefined;
	return {
		"@context": "https://schema.org",
		"@type": "ClaimReview",
		url: options.claimUrl,
		claimReviewed: subject.text,
		// The review's language where the labels have it, else English: one rule on every
		// page language, the DataFeed and Google's API (a French review read "Falsch" on the
		// German page and "False" everywhere else).
		reviewRating: claimReviewRating(verdict.rating, reviewLanguage),
		author: organizationJsonLd(options.org),
		...(datePublished ? { datePublished } : {}),
		...(dateModified ? { dateModified } : {}),
		headline: verdict.headline,
		inLanguage: verdict.language,
		itemReviewed: claimJsonLd(subject),
		...(subject.tags?.length
			? {
					keywords: subject.tags.map((tag) => (reviewLanguage === "de" ? tag.nameDe : tag.nameEn)).join(", "),
				}
			: {}),
	};
}

/**
 * A DataFeed of ClaimReviews, the shape fact-check aggregators (Google, Data Commons)
 * ingest in bulk. The reviews' own `@context` is dropped: the feed's applies to them.
 */
export function dataFeedJsonLd(
	items: readonly ClaimReviewJsonLd[],
	options: { feedUrl: string; org: PublishingOrganization; dateModified: string; name?: string },
): DataFeedJsonLd {
	return {
		"@context": "https://schema.org",
		"@type": "DataFeed",
		name: options.name ?? `${options.org.name} fact checks`,
		url: options.feedUrl,
		dateModified: options.dateModified,
		publisher: organizationJsonLd(options.org),
		dataFeedElement: items.map(({ "@context": _context, ...review }) => ({
			"@type": "DataFeedItem" as const,
			...(review.datePublished ? { dateCreated: review.datePublished } : {}),
			...(review.dateModified ? { dateModified: review.dateModified } : {}),
			item: [review],
		})),
	};
}
