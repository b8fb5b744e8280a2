/**
 * The subject of a reporting verb among the sentence's mentions: the person in the
 * slot the word order gives ("Lawrow sagte", "sagte Lawrow", "…, so Müller",
 * "Müller zufolge"). The mentions are indexed once per sentence (by start, by
 * covered token, by range), so each verb looks up its slots instead of filtering
 * all mentions again.
 */

import { type AttributionContext, inQuote } from "./attribution-context";
import { PHRASE_DETERMINERS, TITLES } from "./lexicon";
import type { Mention, SentenceScope } from "./mentions";
import type { CueHit } from "./reporting-cues";
import { clauseBounds } from "./token-index";

const SKIPPABLE = new Set([
	"sich",
	"jedoch",
	"zudem",
	"auch",
	"nun",
	"erneut",
	"außerdem",
	"ebenfalls",
	"dann",
]);

/** The mentions that can be a subject (outside quotes; pronouns only when resolved), indexed by position. */
export interface SubjectSlots {
	readonly outside: readonly Mention[];
	readonly from: number;
	readonly startingAt: ReadonlyMap<number, Mention>;
	/** Per token (from `from`) the index in `outside` of the mention covering it, -1 if none. */
	readonly covering: Int32Array;
	/** Per position (from `from`, to `to` inclusive) the first mention starting at or after it. */
	readonly firstFrom: Int32Array;
	/** Per position (from `from`, to `to` inclusive) the last mention ending at or before it, -1 if none. */
	readonly lastEndBy: Int32Array;
	/** The first mention when only non-words, quotes and titles come before it; null otherwise. */
	readonly leading: Mention | null;
}

/* The first mention, when nothing but punctuation, quotations and titles precede it in the sentence. */
function leadingMention(ctx: AttributionContext, outside: readonly Mention[], from: number): Mention | null {
	const first = outside[0];
	if (!first) return null;
	for (let k = from; k < first.first; k++) {
		ctx.steps.count++;
		const t = ctx.tokens[k];
		if (t?.word && !inQuote(ctx, k) && !TITLES.has(t.lower)) return null;
	}
	return first;
}

export function subjectSlots(
	ctx: AttributionContext,
	mentions: readonly Mention[],
	scope: SentenceScope,
): SubjectSlots {
	const { from, to } = scope;
	const outside = mentions.filter(
		(m) => !inQuote(ctx, m.first) && (m.person !== null || m.kind !== "pronoun"),
	);
	const size = to - from + 1;
	ctx.steps.count += mentions.length + size;
	const startingAt = new Map<number, Mention>();
	const covering = new Int32Array(size).fill(-1);
	outside.forEach((m, i) => {
		if (!startingAt.has(m.first)) startingAt.set(m.first, m);
		for (let k = m.first; k < m.end; k++) {
			ctx.steps.count++;
			if (k >= from && k < to && covering[k - from] === -1) covering[k - from] = i;
		}
	});
	const firstFrom = new Int32Array(size);
	for (let p = to, j = outside.length; p >= from; p--) {
		while (j > 0 && (outside[j - 1]?.first ?? -1) >= p) j--;
		firstFrom[p - from] = j;
	}
	const lastEndBy = new Int32Array(size);
	for (let p = from, j = -1; p <= to; p++) {
		while (j + 1 < outside.length && (outside[j + 1]?.end ?? Number.POSITIVE_INFINITY) <= p) j++;
		lastEndBy[p - from] = j;
	}
	return {
		outside,
		from,
		startingAt,
		covering,
		firstFrom,
		lastEndBy,
		leading: leadingMention(ctx, outside, from),
	};
}

const POSSESSIVE = /^\p{Lu}.*['’]s$/u;

/* The subject after the verb: "sagte Lawrow", "sagte jedoch Lawrow". */
function afterVerb(ctx: AttributionContext, slots: SubjectSlots, hit: CueHit): Mention | null {
	let k = hit.after;
	if (SKIPPABLE.has(ctx.tokens[k]?.lower ?? "")) k++;
	const direct = slots.startingAt.get(k);
	if (direct) return direct;
	// "said Russia's foreign minister Sergei Lavrov": the owner is no subject of its own.
	const owner = ctx.tokens[k];
	if (ctx.language === "en" && owner && POSSESSIVE.test(owner.text) && !inQuote(ctx, k))
		return slots.startingAt.get(k + 1) ?? null;
	return null;
}

/* German puts the subject first in its clause; English right before the verb. */
function beforeInClause(
	ctx: AttributionContext,
	slots: SubjectSlots,
	clauseStart: number,
	v: number,
): Mention | null {
	const first = slots.firstFrom[clauseStart - slots.from] ?? slots.outside.length;
	const last = slots.lastEndBy[v - slots.from] ?? -1;
	if (first > last) return null;
	return slots.outside[ctx.language === "de" ? first : last] ?? null;
}

/* "laut Müller", "according to the ministry": the first mention over the next three tokens. */
function followingSubject(slots: SubjectSlots, hit: CueHit, to: number): Mention | null {
	for (let k = hit.after; k < Math.min(hit.after + 3, to); k++) {
		const i = slots.covering[k - slots.from] ?? -1;
		if (i >= 0) return slots.outside[i] ?? null;
	}
	return null;
}

/** "Müller, der Bürgermeister, sagte": the clause that opens the sentence, and the apposition after it. */
export interface Apposition {
	/** Tokens [start, end) of the subject clause; `end` is the comma before the apposition. */
	subject: [number, number];
	/** Tokens [start, end) of the apposition; `end` is the comma before the verb's clause. */
	apposition: [number, number];
}

/* Longer than this between two commas is a clause of its own, not an apposition. */
const MAX_APPOSITION = 12;

/** The apposition structure before a verb ("X, apposition, VERB …"), when the sentence opens with it. */
export function appositionBefore(
	ctx: AttributionContext,
	v: number,
	scope: SentenceScope,
): Apposition | null {
	const { tokens, clauses } = ctx;
	const [clauseStart] = clauseBounds(clauses, v, scope.from, scope.to);
	const second = clauseStart - 1;
	if (second <= scope.from || tokens[second]?.text !== ",") return null;
	const [appositionStart] = clauseBounds(clauses, second - 1, scope.from, scope.to);
	const first = appositionStart - 1;
	if (appositionStart >= second || second - appositionStart > MAX_APPOSITION) return null;
	if (first <= scope.from || tokens[first]?.text !== ",") return null;
	const [subjectStart] = clauseBounds(clauses, first - 1, scope.from, scope.to);
	if (subjectStart !== scope.from || inQuote(ctx, subjectStart)) return null;
	return { subject: [subjectStart, first], apposition: [appositionStart, second] };
}

/*
 * The person an apposition structure has as subject: the opening clause when it is a
 * mention (in English also when it ends in one: "Board member Tom Fisher, who …, said"),
 * else the apposed name ("The chair of the board, Maria Delgado, said").
 */
function appositionSubject(ctx: AttributionContext, slots: SubjectSlots, a: Apposition): Mention | null {
	const [start, end] = a.subject;
	const opening = slots.outside[slots.lastEndBy[end - slots.from] ?? -1];
	if (opening?.end === end && (opening.first === start || ctx.language === "en")) return opening;
	const apposed = slots.startingAt.get(a.apposition[0]);
	if (apposed?.kind === "name" && apposed.end === a.apposition[1]) return apposed;
	return null;
}

/** The mention the reporting verb `hit` has as its subject, if any. */
export function subjectOf(
	ctx: AttributionContext,
	slots: SubjectSlots,
	hit: CueHit,
	scope: SentenceScope,
): Mention | null {
	const v = hit.index;
	ctx.steps.count++;
	const [clauseStart] = clauseBounds(ctx.clauses, v, scope.from, scope.to);
	if (hit.cue.subject === "after") return followingSubject(slots, hit, scope.to);
	if (hit.cue.subject === "before") {
		const prior = slots.outside[slots.lastEndBy[v - slots.from] ?? -1];
		return prior && prior.end >= v - 4 ? prior : null;
	}
	const apposition = appositionBefore(ctx, v, scope);
	if (apposition) {
		const m = appositionSubject(ctx, slots, apposition);
		// An opening noun phrase that names nobody ("A shop owner, who …, said she …") is an unnamed speaker.
		if (m || PHRASE_DETERMINERS.has(ctx.tokens[apposition.subject[0]]?.lower ?? "")) return m;
	}
	const sentenceSubject = slots.leading && slots.leading.first < v ? slots.leading : null;
	if (ctx.language === "de") {
		// Verb second: a person in the slot before the verb is the subject; otherwise it follows the verb.
		const start = slots.startingAt.get(clauseStart);
		const prefield = start && start.end <= v ? start : null;
		return (
			prefield ?? afterVerb(ctx, slots, hit) ?? beforeInClause(ctx, slots, clauseStart, v) ?? sentenceSubject
		);
	}
	return beforeInClause(ctx, slots, clauseStart, v) ?? afterVerb(ctx, slots, hit) ?? sentenceSubject;
}
