import type * as z from "zod";
import type { Appearance, Source, Verdict } from "../db/schema";
import { parseEvidence } from "../domain/evidence";
import { correctionNoteText } from "../domain/import-correction";
import {
	type ClaimStatus,
	describeStatus,
	getRating,
	type RatingKey,
	type UiLanguage,
} from "../domain/ratings";
import { type Credit, creditFor, type House } from "../domain/review-attribution";
import { copyForCitation } from "../domain/snapshots";
import { textFragmentLink } from "../domain/text-fragment-link";
import { publicFilename } from "../domain/uploads";
import type {
	appearanceJson,
	claimDetailJson,
	claimSummaryJson,
	ratingJson,
	snapshotJson,
	sourceJson,
	verdictJson,
} from "../schemas/public-api";
import type { ClaimDetail } from "../store/claims";
import type { ListedClaim } from "../store/public-claims";
import type { SnapshotRef } from "../store/snapshots";
import { changeInWords } from "./claim-change";

/** Shapes public JSON from store rows. Drafts, users and internal ids never pass here. */

export const claimPath = (id: string) => `/claims/${id}`;
export const speakerPath = (slug: string) => `/speakers/${slug}`;
export const sourcePath = (id: string) => `/sources/${id}`;
export const badgePath = (id: string) => `/badges/${id}.svg`;
export const embedPath = (id: string) => `/embed/${id}`;
export const tagPath = (slug: string) => `/tags/${slug}`;
export const snapshotPath = (id: string) => `/snapshots/${id}`;
export const uploadPath = (id: string) => `/attachments/${id}`;

/**
 * Absolute URLs of the archived copies of a claim's sources, by original URL (ClaimReview's
 * appearances' `archivedAt`): each the copy of when the claim was found there.
 */
export function archivedCopies(
	origin: string,
	detail: Pick<ClaimDetail, "snapshots" | "appearances">,
): Record<string, string> {
	return Object.fromEntries(
		detail.appearances.flatMap((a) => {
			const copy = copyForCitation(detail.snapshots[a.source.url], a.createdAt);
			return copy ? [[a.source.url, `${origin}${snapshotPath(copy.id)}`]] : [];
		}),
	);
}

/** The public reference to an archived copy, or null while none exists. */
function snapshotToJson(origin: string, snapshot: SnapshotRef | undefined): z.output<typeof snapshotJson> {
	if (!snapshot?.sha256 || !snapshot.fetchedAt) return null;
	return {
		url: `${origin}${snapshotPath(snapshot.id)}`,
		sha256: snapshot.sha256,
		fetchedAt: snapshot.fetchedAt,
		status: snapshot.httpStatus ?? 200,
	};
}

export function ratingToJson(key: RatingKey, lang: UiLanguage): z.output<typeof ratingJson> {
	const rating = getRating(key);
	return {
		key,
		label: rating.labels[lang],
		labels: rating.labels,
		colour: rating.colour,
		value: rating.value,
	};
}

export function sourceToJson(origin: string, source: Source): z.output<typeof sourceJson> {
	return {
		id: source.id,
		url: source.url,
		domain: source.domain,
		title: source.title,
		publisher: source.publisher,
		author: source.author,
		language: source.language,
		publishedAt: source.publishedAt,
		archivedUrl: source.archivedUrl,
		page: `${origin}${sourcePath(source.id)}`,
	};
}

/** Who checked a verdict, as the claim JSON says it: `publisher` and the original review. */
function publisherToJson(credit: Credit) {
	return { publisher: { name: credit.name, url: credit.url }, reviewUrl: credit.reviewUrl };
}

export function claimSummaryToJson(
	origin: string,
	row: ListedClaim,
	lang: UiLanguage,
	ours: House,
): z.output<typeof claimSummaryJson> {
	const { claim, speaker, firstSource, verdict } = row;
	return {
		id: claim.id,
		url: `${origin}${claimPath(claim.id)}`,
		text: claim.text,
		language: claim.language,
		claimedAt: claim.claimedAt,
		status: claim.status,
		statusLabel: describeStatus(claim.status as ClaimStatus, lang).label,
		speaker: speaker
			? {
					slug: speaker.slug,
					name: speaker.name,
					kind: speaker.kind,
					url: `${origin}${speakerPath(speaker.slug)}`,
				}
			: null,
		firstSource: firstSource
			? {
					id: firstSource.id,
					url: firstSource.url,
					domain: firstSource.domain,
					title: firstSource.title,
					publisher: firstSource.publisher,
				}
			: null,
		verdict: verdict
			? {
					id: verdict.id,
					rating: ratingToJson(verdict.rating, lang),
					headline: verdict.headline,
					summary: verdict.summary,
					publishedAt: verdict.publishedAt,
					...publisherToJson(creditFor(verdict, ours)),
				}
			: null,
		reviewedAt: claim.reviewedAt,
		badge: `${origin}${badgePath(claim.id)}`,
	};
}

export const verdictPath = (claimId: string, verdictId: string) => `/claims/${claimId}/verdicts/${verdictId}`;

interface VerdictContext {
	origin: string;
	lang: UiLanguage;
	ours: House;
	/** 1 for the first published verdict, counting up in publication order. */
	version: number;
	people: Record<string, string>;
	/** Copies by URL, oldest first: the evidence shows the copy of when this version was published. */
	snapshots: Record<string, SnapshotRef[]>;
}

function verdictToJson(verdict: Verdict, context: VerdictContext): z.output<typeof verdictJson> {
	if (verdict.state === "draft") throw new Error("drafts are never public");
	const { lang, people } = context;
	const credit = creditFor(verdict, context.ours);
	return {
		id: verdict.id,
		version: context.version,
		url: `${context.origin}${verdictPath(verdict.claimId, verdict.id)}`,
		state: verdict.state,
		rating: ratingToJson(verdict.rating, lang),
		headline: verdict.headline,
		summary: verdict.summary,
		body: verdict.body,
		evidence: parseEvidence(verdict.evidence).map((e) => ({
			...e,
			snapshot: snapshotToJson(
				context.origin,
				copyForCitation(context.snapshots[e.url], verdict.publishedAt),
			),
		})),
		language: verdict.language,
		publishedAt: verdict.publishedAt ?? "",
		// An import's note in the answer's language, as the rating's label (domain/import-correction).
		correctionNote: correctionNoteText(verdict.correctionNote, lang),
		retractionNote: verdict.retractionNote,
		supersedes: verdict.supersedesId,
		retractedAt: verdict.retractedAt,
		...bylineOf(verdict, credit, people),
		...publisherToJson(credit),
	};
}

/**
 * Who checked and who published a verdict, by name: our checker and editor; for another
 * publisher's review (imported) that publisher, and nobody of ours as its publisher.
 */
function bylineOf(
	verdict: Pick<Verdict, "reviewerId" | "editorId">,
	credit: Credit,
	people: Record<string, string>,
): { checkedBy: string | null; publishedBy: string | null } {
	if (credit.external) return { checkedBy: credit.name, publishedBy: null };
	return {
		checkedBy: verdict.reviewerId ? (people[verdict.reviewerId] ?? null) : null,
		publishedBy: verdict.editorId ? (people[verdict.editorId] ?? null) : null,
	};
}

/** Public verdicts in publication order with their version numbers (1 = first published). */
export function versionedHistory(detail: ClaimDetail): { verdict: Verdict; version: number }[] {
	return [...publicHistory(detail)].reverse().map((verdict, index) => ({ verdict, version: index + 1 }));
}

/**
 * When a verdict became public here, for ordering a claim's versions. A desk verdict at
 * its publication; an imported one carries its publisher's date, which imports before
 * session 29 stored up to a day ahead of UTC (schemas/import-record) but was public here
 * from its import on (imports write a verdict when they publish it; only they set
 * `originalRating`).
 */
function publicSince(verdict: Verdict): string {
	const published = verdict.publishedAt ?? "";
	return verdict.originalRating !== null && verdict.createdAt < published ? verdict.createdAt : published;
}

/**
 * Public verdicts of a claim, newest first; drafts left out. By `publicSince`, then the
 * order they were written in (the store's): a correction made while an imported verdict's
 * date was still ahead ranked as the older version, and a draft begun before an import
 * but published after it must still come after it.
 */
export function publicHistory(detail: ClaimDetail): Verdict[] {
	return detail.verdicts
		.filter((v) => v.state !== "draft")
		.map((verdict, written) => ({ verdict, written, since: publicSince(verdict) }))
		.sort((a, b) => b.since.localeCompare(a.since) || b.written - a.written)
		.map(({ verdict }) => verdict);
}

/** Where a reader lands for an appearance: its stored anchor, else a fragment for the quote. */
export function appearanceLink(appearance: Appearance & { source: Source }, claimText: string): string {
	return appearance.anchor
		? `${appearance.source.url.split("#")[0]}${appearance.anchor}`
		: textFragmentLink(appearance.source.url, appearance.quote ?? claimText);
}

export function claimDetailToJson(
	origin: string,
	detail: ClaimDetail,
	lang: UiLanguage,
	ours: House,
): z.output<typeof claimDetailJson> {
	const history = publicHistory(detail);
	const current = history.find((v) => v.id === detail.currentVerdictId && v.state === "published") ?? null;
	const first = detail.appearances.find((a) => a.isFirst) ?? detail.appearances[0];
	const summary = claimSummaryToJson(
		origin,
		{
			claim: detail,
			speaker: detail.speaker,
			firstSource: first?.source ?? null,
			verdict: current,
		},
		lang,
		ours,
	);
	const appearances: z.output<typeof appearanceJson>[] = detail.appearances.map((a) => ({
		id: a.id,
		source: {
			id: a.source.id,
			url: a.source.url,
			domain: a.source.domain,
			title: a.source.title,
			publisher: a.source.publisher,
			author: a.source.author,
			language: a.source.language,
			publishedAt: a.source.publishedAt,
			archivedUrl: a.source.archivedUrl,
			snapshot: snapshotToJson(origin, copyForCitation(detail.snapshots[a.source.url], a.createdAt)),
		},
		quote: a.quote,
		link: appearanceLink(a, detail.text),
		firstAppearance: a.isFirst,
	}));
	const byline = current
		? { ...bylineOf(current, creditFor(current, ours), detail.people), publishedAt: current.publishedAt }
		: null;
	return {
		...summary,
		context: detail.context,
		appearances,
		version: detail.version,
		byline,
		changes: detail.changes.map((c) => ({
			field: c.field,
			from: c.fromValue,
			to: c.toValue,
			summary: changeInWords(c, lang),
			note: c.note,
			at: c.at,
		})),
		history: versionedHistory(detail).map(({ verdict, version }) =>
			verdictToJson(verdict, {
				origin,
				lang,
				ours,
				version,
				people: detail.people,
				snapshots: detail.snapshots,
			}),
		),
		tags: detail.tags.map((tag) => ({
			slug: tag.slug,
			name: lang === "de" ? tag.nameDe : tag.nameEn,
			url: `${origin}${tagPath(tag.slug)}`,
		})),
		attachments: detail.uploads.map((u) => ({
			url: `${origin}${uploadPath(u.id)}`,
			filename: publicFilename(u),
			contentType: u.contentType,
			sha256: u.sha256,
			bytes: u.bytes,
			caption: u.caption,
		})),
		embed: {
			badge: `${origin}${badgePath(detail.id)}`,
			card: `${origin}${embedPath(detail.id)}`,
			oembed: `${origin}/oembed?url=${encodeURIComponent(`${origin}${claimPath(detail.id)}`)}&format=json`,
		},
	};
}
