/**
 * Quote and statement → speaker: the subject of a reporting verb, else a noun
 * phrase next to it ("die Bundesregierung teilte mit"), else a bare surname never
 * introduced ("sagte Smith"), else a name before a colon ("Lawrow: „…“").
 */

import type { AttributionContext } from "./attribution-context";
import { FUNCTION_WORDS, MONTHS, ORGANISATION_HEADS, PHRASE_DETERMINERS, WEEKDAYS } from "./lexicon";
import type { Mention, SentenceScope } from "./mentions";
import { foldToken, isNameToken, isPlace } from "./names";
import { addPerson, newPerson, type Person, resolveByGender } from "./person-registry";
import type { QuoteSpan } from "./quotes";
import type { CueHit } from "./reporting-cues";
import { roleOf } from "./roles";
import { appositionBefore, type SubjectSlots, subjectOf, subjectSlots } from "./subject-slots";
import { clauseBounds } from "./token-index";
import { stripPossessive } from "./tokens";

export interface SpeakerRef {
	name: string;
	speakerId: string | null;
	person: Person | null;
	/**
	 * A person described by their role alone ("der Minister", "Dem Minister zufolge", "a
	 * spokesperson"): someone speaks, but the text gives no name to record them under.
	 */
	roleOnly?: boolean;
}

export interface SpeakerFinding {
	speaker: SpeakerRef | null;
	/** How the speaker was found: a reporting verb in the sentence, or the surrounding text. */
	source: "cue" | "context" | "none";
	/** The mention that is the speaker, so it is not counted among the people the claim names. */
	subjectMention: Mention | null;
}

/* Where a relative clause starts, the speaker's noun phrase ends: "said a nurse who asked not to be named". */
const RELATIVES = new Set(["who", "whose", "which"]);
/* Where an English noun phrase's head has ended: "a spokesperson for the ministry". */
const COMPLEMENTS = new Set(["of", "for", "at", "in", "on", "from", "with", ...RELATIVES]);

/** Tokens [from, to) of a noun phrase that names the speaker without a name of a person. */
interface Phrase {
	from: number;
	to: number;
}

export function refOf(p: Person): SpeakerRef {
	return { name: p.name, speakerId: p.speakerId, person: p };
}

/*
 * "Die Bundesregierung teilte mit": a short determiner phrase that is the whole clause
 * before the verb [start, end), or the clause an apposition follows ("A shop owner, who …, said").
 */
function phraseBefore(ctx: AttributionContext, hit: CueHit, start: number, end: number): Phrase | null {
	const { tokens, language } = ctx;
	const length = end - start;
	if (hit.cue.subject === "after" || length < 2 || length > (language === "de" ? 4 : 6)) return null;
	const span = tokens.slice(start, end);
	ctx.steps.count += span.length;
	const first = span[0];
	const last = span[span.length - 1];
	if (!first || !last || !span.every((t) => t.word) || !PHRASE_DETERMINERS.has(first.lower)) return null;
	if (language === "de" && !/^\p{Lu}/u.test(last.text)) return null;
	return { from: start, to: end };
}

/* Speaker given as a plain noun phrase: "Die Bundesregierung teilte mit", "the ministry said". */
function phraseSubject(ctx: AttributionContext, hit: CueHit, scope: SentenceScope): Phrase | null {
	const { tokens, language } = ctx;
	const to = scope.to;
	const [clauseStart] = clauseBounds(ctx.clauses, hit.index, scope.from, to);
	const apposition = appositionBefore(ctx, hit.index, scope);
	const [start, stop] = apposition ? apposition.subject : [clauseStart, hit.index];
	const before = phraseBefore(ctx, hit, start, stop);
	if (before) return before;
	const det = tokens[hit.after];
	if (!det || !PHRASE_DETERMINERS.has(det.lower) || hit.after >= to) return null;
	// German stops at the first noun ("teilte die Bundesregierung am Montag mit"); English takes a short phrase.
	let e = hit.after + 1;
	while (e < to && e < hit.after + 6) {
		ctx.steps.count++;
		const t = tokens[e];
		if (!t?.word || (FUNCTION_WORDS.has(t.lower) && language === "de") || RELATIVES.has(t.lower)) break;
		if (language === "en" && FUNCTION_WORDS.has(t.lower) && !["of", "for"].includes(t.lower)) break;
		e++;
		if (language === "de" && /^\p{Lu}/u.test(t.text)) break;
	}
	const end = tokens[e - 1];
	if (e === hit.after + 1 || !end) return null;
	if (language === "de" && !/^\p{Lu}/u.test(end.text)) return null;
	// English names the speaker after the verb only when inverted: "…, said the ministry." / "according to …".
	const closing = tokens[e]?.lower;
	if (
		language === "en" &&
		hit.cue.subject !== "after" &&
		closing !== undefined &&
		![".", ",", ";"].includes(closing) &&
		!RELATIVES.has(closing)
	)
		return null;
	return { from: hit.after, to: e };
}

/*
 * Whether the phrase's head noun is a role ("Ein Sprecher", "a spokesperson for the
 * ministry") rather than an organisation ("die Bundesregierung", "the ministry").
 */
function headIsRole(ctx: AttributionContext, phrase: Phrase): boolean {
	const { tokens, language } = ctx;
	for (let k = phrase.from + 1; k < phrase.to; k++) {
		ctx.steps.count++;
		const t = tokens[k];
		if (!t || (language === "en" && COMPLEMENTS.has(t.lower))) return false;
		if (roleOf(t, language, ctx.learnedRoles)) return true;
		// German: the first noun is the head ("Die Sprecherin der Polizei").
		if (language === "de" && /^\p{Lu}/u.test(t.text)) return false;
	}
	return false;
}

function phraseRef(ctx: AttributionContext, phrase: Phrase): SpeakerRef {
	const first = ctx.tokens[phrase.from];
	const last = ctx.tokens[phrase.to - 1];
	const name = ctx.text.slice(first?.start ?? 0, last?.end ?? 0);
	return { name, speakerId: null, person: null, roleOnly: headIsRole(ctx, phrase) };
}

/* A one-word name never introduced, right next to the verb: "Lawrow sagte", "said Smith". */
function bareName(ctx: AttributionContext, hit: CueHit, scope: SentenceScope): Person | null {
	const { tokens, language } = ctx;
	const { from, to } = scope;
	const v = hit.index;
	const [clauseStart] = clauseBounds(ctx.clauses, v, from, to);
	const slots: number[] = [];
	if (hit.cue.subject === "before") slots.push(v - 1);
	else if (hit.cue.subject === "after" || language === "de") {
		slots.push(hit.after);
		if (v - 1 === clauseStart && hit.cue.subject !== "after") slots.push(v - 1);
	} else slots.push(v - 1, hit.after);
	for (const k of slots) {
		ctx.steps.count++;
		const t = tokens[k];
		if (!t || k < from || k >= to || !isNameToken(t) || ctx.quoteOf[k] !== -1) continue;
		// "said Smith's lawyer", "said Monday's statement": an owner, not the one who spoke.
		if (k === hit.after && language === "en" && /['’]s$/.test(t.text)) continue;
		const lower = stripPossessive(t.lower);
		if (FUNCTION_WORDS.has(lower) || MONTHS.has(lower) || WEEKDAYS.has(lower) || isPlace(t)) continue;
		if (roleOf(t, language, ctx.learnedRoles) || ORGANISATION_HEADS.has(foldToken(t))) continue;
		return addPerson(ctx.registry, newPerson(stripPossessive(t.text), foldToken(t), t.start, t.start));
	}
	return null;
}

/* The token index of the ":" right before a quotation ("Lawrow: „…“"), -1 if there is none. */
function colonBefore(ctx: AttributionContext, q: QuoteSpan, scope: SentenceScope): number {
	let lo = scope.from;
	let hi = scope.to;
	// The last token starting before the quote's opening mark.
	while (lo < hi) {
		ctx.steps.count++;
		const mid = (lo + hi) >>> 1;
		if ((ctx.tokens[mid]?.start ?? 0) < q.open) lo = mid + 1;
		else hi = mid;
	}
	const k = lo - 1;
	const t = ctx.tokens[k];
	const gap = t ? q.open - t.end : -1;
	// Spaces may separate them ("Lawrow: „…“"); the gap is checked, not the whole sentence.
	const touching = gap >= 0 && gap <= 3 && ctx.text.slice(t?.end, q.open).trim() === "";
	return k >= scope.from && touching && t?.text === ":" ? k : -1;
}

function cueSpeaker(
	ctx: AttributionContext,
	cues: readonly CueHit[],
	slots: SubjectSlots,
	scope: SentenceScope,
) {
	for (const hit of cues) {
		if (hit.pronounGender !== undefined) {
			const at = ctx.tokens[hit.index]?.start ?? 0;
			const p = resolveByGender(ctx.registry, hit.pronounGender, at, scope.topic);
			if (p) return { speaker: refOf(p), subjectMention: null };
			continue;
		}
		const m = subjectOf(ctx, slots, hit, scope);
		if (m) {
			// A mention without a person is a role description that refers to nobody named.
			const speaker = m.person
				? refOf(m.person)
				: { name: m.label, speakerId: null, person: null, roleOnly: true };
			return { speaker, subjectMention: m };
		}
	}
	return null;
}

/** The speaker of the sentence as its own words tell it (no context from other sentences). */
export function findSpeaker(
	ctx: AttributionContext,
	scope: SentenceScope,
	cues: readonly CueHit[],
	mentions: readonly Mention[],
	claimQuotes: readonly QuoteSpan[],
): SpeakerFinding {
	const slots = subjectSlots(ctx, mentions, scope);
	if (cues.length > 0) {
		const bySubject = cueSpeaker(ctx, cues, slots, scope);
		if (bySubject) return { ...bySubject, source: "cue" };
		for (const hit of cues) {
			const phrase = phraseSubject(ctx, hit, scope);
			if (phrase) return { speaker: phraseRef(ctx, phrase), source: "cue", subjectMention: null };
		}
		for (const hit of cues) {
			const p = bareName(ctx, hit, scope);
			if (p) return { speaker: refOf(p), source: "cue", subjectMention: null };
		}
	}
	// "Lawrow: „…“" — a name and a colon before the quotation.
	const q = claimQuotes[0];
	const colon = q ? colonBefore(ctx, q, scope) : -1;
	ctx.steps.count += mentions.length;
	const m = colon > 0 ? mentions.find((x) => x.end === colon) : undefined;
	if (m?.person) return { speaker: refOf(m.person), source: "cue", subjectMention: null };
	// "Die Oberbürgermeisterin, Katrin Vogel, verteidigte die Erhöhung: „…“": the sentence's subject.
	const lead = slots.leading;
	if (colon > 0 && lead?.person && lead.first < colon)
		return { speaker: refOf(lead.person), source: "cue", subjectMention: lead };
	return { speaker: null, source: "none", subjectMention: null };
}
