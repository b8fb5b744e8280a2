import type * as z from "zod";
import type { claimDetailJson, speakerJson } from "../schemas/public-api";

/**
 * A claim event's `data` cut to a byte budget. A claim in thousands of sources made a
 * payload past D1's 2 MB a row, and its deliveries failed to be recorded for every
 * subscriber; the texts the schemas admit (a context, a summary and a body of 20,000
 * characters each, 50 evidence links) made 150 kB of Cyrillic. Bytes, not characters:
 * a Cyrillic or Korean text takes two or three a letter.
 */

type ClaimJson = z.output<typeof claimDetailJson>;
type VerdictJson = ClaimJson["history"][number];
type AppearanceJson = ClaimJson["appearances"][number];

export interface ClaimEventData {
	claim: ClaimJson & { truncated?: true };
	verdict?: VerdictJson & { truncated?: true };
	/** `appearance.added`: the appearance added, kept whatever else is left out. */
	appearance?: AppearanceJson;
	/** `claim.merged`: the merged claim's id and old address. */
	mergedFrom?: { id: string; url: string };
}

type SpeakerJson = z.output<typeof speakerJson>;

/**
 * `speaker.updated` and `speaker.merged`: the speaker, where its claims are, the merged one,
 * and the slug a rename moved it from.
 */
export interface SpeakerEventData {
	speaker: SpeakerJson & { truncated?: true };
	claims: string;
	/** `name` left out once the speaker kept no longer carries it (commands/webhooks `mergedAsCarried`). */
	mergedFrom?: { slug: string; name?: string };
	renamedFrom?: { slug: string };
}

const encoder = new TextEncoder();
/** UTF-8 bytes of a value's JSON. */
const bytesOf = (value: unknown) => encoder.encode(JSON.stringify(value)).length;

/**
 * Free text, cut when the payload is still too long without the lists: everything else
 * is an id, a date, a label of ours or an address (which cut would lead nowhere).
 */
const TEXT_KEYS = new Set([
	"text",
	"context",
	"headline",
	"summary",
	"body",
	"correctionNote",
	"retractionNote",
	"quote",
	"title",
	"name",
	"publisher",
	"author",
	"caption",
	"checkedBy",
	"publishedBy",
	"note",
	"from",
	"to",
]);

/** Caps of each text, in bytes, tried in turn: the first whose payload fits is taken. */
const TEXT_CAPS = [2000, 1000, 500, 200, 100];

const ELLIPSIS = "…";

/** `text` in at most `max` UTF-8 bytes, cut between characters and ended with "…". */
export function cutText(text: string, max: number): string {
	if (encoder.encode(text).length <= max) return text;
	let out = "";
	let bytes = encoder.encode(ELLIPSIS).length;
	for (const char of text) {
		bytes += encoder.encode(char).length;
		if (bytes > max) break;
		out += char;
	}
	return `${out}${ELLIPSIS}`;
}

/** A copy of `value` with every free text (`TEXT_KEYS`) over `max` bytes cut. */
function cutTexts<T>(value: T, max: number): T {
	if (Array.isArray(value)) return value.map((item) => cutTexts(item, max)) as T;
	if (value === null || typeof value !== "object") return value;
	const out: Record<string, unknown> = {};
	for (const [key, field] of Object.entries(value)) {
		out[key] = typeof field === "string" && TEXT_KEYS.has(key) ? cutText(field, max) : cutTexts(field, max);
	}
	return out as T;
}

/** Appends the first items of `from` that keep the payload within `budget`; the payload's size after. */
function fill<T>(into: T[], from: readonly T[], size: number, budget: number): number {
	for (const item of from) {
		// One more byte for the comma before it (the first item has none: a byte to spare).
		const next = size + bytesOf(item) + 1;
		if (next > budget) break;
		into.push(item);
		size = next;
	}
	return size;
}

/**
 * The data in at most `budget` bytes of JSON, left out step by step, each step only when
 * the one before does not fit (`truncated: true` from the second on; the claim's `url` has
 * everything):
 * 1. whole;
 * 2. the claim without its history and changes, and with the appearances that fit;
 * 3. also every free text of the claim, the verdict and the appearance cut (ending in "…",
 *    at the first of `TEXT_CAPS` that fits), and the lists (the verdict's evidence, the
 *    claim's appearances, topics and attachments) with their first entries that fit;
 * 4. ids and addresses only: beyond what the schemas admit, a last guard.
 * The appearance an `appearance.added` announces and a merge's `mergedFrom` stay in each.
 */
export function fitEventData(data: ClaimEventData, budget: number): ClaimEventData {
	if (bytesOf(data) <= budget) return data;
	const { claim, verdict } = data;
	const withClaim = (short: ClaimEventData["claim"], shortVerdict = verdict): ClaimEventData => ({
		...data,
		claim: short,
		...(shortVerdict ? { verdict: shortVerdict } : {}),
	});
	const short = {
		...claim,
		history: [],
		changes: [],
		appearances: [] as AppearanceJson[],
		truncated: true as const,
	};
	const base = bytesOf(withClaim(short));
	if (base <= budget) {
		fill(short.appearances, claim.appearances, base, budget);
		return withClaim(short);
	}
	for (const cap of TEXT_CAPS) {
		const cut = cutTexts({ ...data, claim: { ...short, tags: [], attachments: [] } }, cap);
		const cutVerdict = cut.verdict ? { ...cut.verdict, evidence: [], truncated: true as const } : undefined;
		const fitted = { ...cut, ...(cutVerdict ? { verdict: cutVerdict } : {}) };
		let size = bytesOf(fitted);
		if (size > budget) continue;
		if (cutVerdict && verdict)
			size = fill(cutVerdict.evidence, cutTexts(verdict.evidence, cap), size, budget);
		size = fill(fitted.claim.appearances, cutTexts(claim.appearances, cap), size, budget);
		size = fill(fitted.claim.tags, cutTexts(claim.tags, cap), size, budget);
		fill(fitted.claim.attachments, cutTexts(claim.attachments, cap), size, budget);
		return fitted;
	}
	return bare(data);
}

/** Ids and addresses only: what a partner needs to fetch the rest. */
function bare(data: ClaimEventData) {
	const { claim, verdict, appearance, mergedFrom } = data;
	return {
		claim: { id: claim.id, url: claim.url, truncated: true },
		...(verdict ? { verdict: { id: verdict.id, url: verdict.url, truncated: true } } : {}),
		...(appearance ? { appearance: { id: appearance.id, source: { url: appearance.source.url } } } : {}),
		...(mergedFrom ? { mergedFrom } : {}),
	} as unknown as ClaimEventData;
}

/**
 * A speaker event's data in at most `budget` bytes. A speaker keeps 200 other names of 300
 * characters each and a description of 500: 118 kB of Cyrillic, which a receiver's body limit
 * refused on every event about them until the subscription was disabled. The slug, address,
 * name, kind and version always stay; past the budget (`truncated: true`, the speaker's `url`
 * has everything) the description whole, else cut at the first of `TEXT_CAPS` that fits
 * (ending in "…"), then the first aliases that fit, each whole: a cut name names no one.
 */
export function fitSpeakerData(data: SpeakerEventData, budget: number): SpeakerEventData {
	if (bytesOf(data) <= budget) return data;
	const { speaker } = data;
	const { description: whole } = speaker;
	const descriptions = whole === null ? [] : [whole, ...TEXT_CAPS.map((cap) => cutText(whole, cap))];
	for (const description of [...descriptions, null]) {
		const short = { ...speaker, description, aliases: [] as string[], truncated: true as const };
		const fitted = { ...data, speaker: short };
		const size = bytesOf(fitted);
		if (size > budget) continue;
		fill(short.aliases, speaker.aliases, size, budget);
		return fitted;
	}
	// Beyond what the schemas admit (a name is 300 characters at most): a last guard.
	const name = cutText(speaker.name, TEXT_CAPS.at(-1) ?? 100);
	return { ...data, speaker: { ...speaker, name, description: null, aliases: [], truncated: true } };
}
