/**
 * Reporting cues: the verbs and phrases that mark speech ("sagte", "teilte … mit",
 * "according to", "nach Angaben", ", so Müller"), found outside quotations. A
 * separable particle is looked up in a per-clause table, so a clause with many
 * verbs is still read once.
 */

import { type AttributionContext, inQuote } from "./attribution-context";
import { DETERMINERS, FUNCTION_WORDS, type Gender, PRONOUNS, type ReportingCue } from "./lexicon";
import { isNameToken } from "./names";
import { roleOf } from "./roles";
import { clauseBounds } from "./token-index";

export interface CueHit {
	index: number;
	cue: ReportingCue;
	/** Token index after the cue's last word ("according to"). */
	after: number;
	pronounGender?: Gender | null;
}

const AMBIGUOUS_ENGLISH_CUES = new Set([
	"states",
	"claims",
	"reports",
	"notes",
	"thanks",
	"thought",
	"called",
	"described",
	"maintains",
	"expected",
	"expects",
	"hopes",
	"forecast",
	"demands",
	"promises",
	"pledges",
	"vows",
	"denies",
	"rejects",
	"adds",
	"tells",
	"writes",
	"stresses",
	"repeated",
	"reported",
	"alleged",
]);
const OPENING_MARKS = [",", ".", ":", "“", '"', "«", "'", "‘"];

/* "claims", "reports", "thanks to" are nouns as often as verbs: a verb has a subject before it or a clause after it. */
function englishCueInContext(ctx: AttributionContext, k: number): boolean {
	const prev = ctx.tokens[k - 1];
	const next = ctx.tokens[k + 1];
	if (next && (next.lower === "that" || OPENING_MARKS.includes(next.text))) return true;
	if (!prev) return false;
	return (
		PRONOUNS.has(prev.lower) ||
		prev.lower === "they" ||
		(isNameToken(prev) && !FUNCTION_WORDS.has(prev.lower))
	);
}

/*
 * ", so der russische Außenminister (Sergei Lawrow)": an article, lower-case words and
 * then a role or a person's name; not ", so die Hoffnung" or ", so der Plan".
 */
function personPhraseAt(ctx: AttributionContext, k: number): boolean {
	const { tokens, sentenceOf } = ctx;
	if (!DETERMINERS.has(tokens[k]?.lower ?? "")) return false;
	for (let e = k + 1; e < k + 5; e++) {
		ctx.steps.count++;
		const t = tokens[e];
		if (!t?.word || sentenceOf[e] !== sentenceOf[k]) return false;
		if (roleOf(t, ctx.language, ctx.learnedRoles) || ctx.runAt.get(e)?.person) return true;
		if (!/^\p{Ll}/u.test(t.text)) return false;
	}
	return false;
}

/* Multi-word cues and the ", so Müller" tail; null when token k starts none of them. */
function phraseCue(ctx: AttributionContext, k: number): CueHit | null {
	const { tokens, language } = ctx;
	const t = tokens[k];
	const next = tokens[k + 1];
	if (!t) return null;
	if (language === "en" && t.lower === "according" && next?.lower === "to")
		return { index: k, cue: { form: "according to", subject: "after" }, after: k + 2 };
	if (
		language === "de" &&
		t.lower === "so" &&
		tokens[k - 1]?.text === "," &&
		(isNameToken(next) || personPhraseAt(ctx, k + 1))
	)
		return { index: k, cue: { form: "so", subject: "after" }, after: k + 1 };
	return null;
}

/* "nach Angaben …" (speaker after) and "nach seinen/ihren Angaben" (a pronoun for the speaker). */
function nachAngaben(ctx: AttributionContext, k: number): CueHit | null {
	const next = ctx.tokens[k + 1];
	const n2 = ctx.tokens[k + 2];
	if ((next?.lower === "seinen" || next?.lower === "ihren") && n2?.lower === "angaben") {
		const gender: Gender = next.lower === "seinen" ? "m" : "f";
		return { index: k, cue: { form: "nach angaben" }, after: k + 3, pronounGender: gender };
	}
	if (next?.lower === "angaben")
		return { index: k, cue: { form: "nach angaben", subject: "after" }, after: k + 2 };
	return null;
}

/** Per clause (keyed by its end) the last position of each word in it, built on first use. */
type ClauseWords = Map<number, Map<string, number>>;

function lastInClause(
	ctx: AttributionContext,
	cache: ClauseWords,
	start: number,
	end: number,
): Map<string, number> {
	let words = cache.get(end);
	if (!words) {
		words = new Map();
		for (let e = start; e < end; e++) {
			ctx.steps.count++;
			const lower = ctx.tokens[e]?.lower;
			if (lower !== undefined) words.set(lower, e);
		}
		cache.set(end, words);
	}
	return words;
}

/* The entry for a verb form: the first whose particle closes the clause ("teilte … mit"), else the first without one. */
function chooseEntry(
	ctx: AttributionContext,
	k: number,
	entries: readonly ReportingCue[],
	clause: [number, number],
	cache: ClauseWords,
): ReportingCue | null {
	let chosen: ReportingCue | null = null;
	for (const entry of entries) {
		ctx.steps.count++;
		if (entry.particle) {
			const last = lastInClause(ctx, cache, clause[0], clause[1]).get(entry.particle);
			if (last !== undefined && last > k) return entry;
		} else if (!chosen) chosen = entry;
	}
	return chosen;
}

/** The reporting cues in tokens [from, to), in order. */
export function findCues(ctx: AttributionContext, from: number, to: number): CueHit[] {
	const { tokens, language } = ctx;
	const hits: CueHit[] = [];
	const clauseWords: ClauseWords = new Map();
	for (let k = from; k < to; k++) {
		ctx.steps.count++;
		const t = tokens[k];
		if (!t?.word || inQuote(ctx, k)) continue;
		const next = tokens[k + 1];
		const phrase = phraseCue(ctx, k);
		if (phrase) {
			hits.push(phrase);
			continue;
		}
		if (language === "de" && t.lower === "nach") {
			const hit = nachAngaben(ctx, k);
			if (hit) hits.push(hit);
			continue;
		}
		const entries = ctx.cueTable.get(t.lower);
		if (!entries) continue;
		// Reporting verbs are lower case; "Laut" opens sentences, "States" is a noun.
		if (/^\p{Lu}/u.test(t.text) && t.lower !== "laut") continue;
		if (language === "en" && AMBIGUOUS_ENGLISH_CUES.has(t.lower) && !englishCueInContext(ctx, k)) continue;
		if (t.lower === "laut" && !(isNameToken(next) || DETERMINERS.has(next?.lower ?? ""))) continue;
		const chosen = chooseEntry(ctx, k, entries, clauseBounds(ctx.clauses, k, from, to), clauseWords);
		if (chosen) hits.push({ index: k, cue: chosen, after: k + 1 });
	}
	return hits;
}
