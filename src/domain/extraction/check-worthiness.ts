/**
 * Check-worthiness: how much a candidate looks like something a fact-checker can
 * verify. Factual content (events, dates, numbers, places, named actors, states
 * of the world) raises the score; predictions, pledges, opinions, courtesies and
 * questions lower it, since there is nothing in the record to check them against
 * (yet). A transparent sum of weights, so the reasons explain the number.
 */

import type { ClaimKind, Stance } from "./attribution";
import {
	ENGLISH_CUES,
	GERMAN_CUES,
	isPlaceWord,
	type Language,
	MARKERS,
	MONTHS,
	NOT_PLACES,
	SEASONS,
	TIME_WORDS,
	WEEKDAYS,
} from "./lexicon";
import { type StepCounter, stepCounter } from "./step-counter";
import { isAcronym, isCapitalised, type Token, tokenize } from "./tokens";

export interface ScoreInput {
	/** The candidate's text: the quotation for a direct quote, else the sentence. */
	text: string;
	kind: ClaimKind;
	language: Language;
	/** What the reporting verbs said about the content ("versprach" → pledge). */
	stances: ReadonlySet<Stance>;
	/** People named in the claim, other than its speaker. */
	namedPeople: number;
	/** Adds the work done (words read), for tests that check extraction stays linear. */
	steps?: StepCounter;
}

/** A detail a claim names, which gives a fact-checker something to look up. */
export type NamedDetail = "date" | "number" | "place" | "actor" | "event";

/**
 * Why a candidate scores as it does, as codes: the desk says them in its reader's language
 * (views/desk/article-intake); `reasons` says them in English (the API, `englishReason`).
 */
export type Reason =
	| { code: "names"; details: NamedDetail[] }
	| {
			code:
				| "present-fact"
				| "superlative"
				| "as-fact"
				| "direct-quote"
				| "no-detail"
				| "pledge"
				| "prediction"
				| "partly-prediction"
				| "opinion"
				| "courtesy"
				| "question"
				| "hedged"
				| "too-short";
	  };
export type ReasonCode = Reason["code"];

export interface Score {
	/** 0 (nothing to check) to 1 (a concrete factual claim). */
	score: number;
	/** Short English reasons, strongest first. */
	reasons: string[];
	/** The same reasons as codes, in the same order. */
	why: Reason[];
}

const ENGLISH_DETAILS: Record<NamedDetail, string> = {
	date: "a date",
	number: "a number",
	place: "a place",
	actor: "a named actor",
	event: "an event",
};

const ENGLISH_REASONS: Record<Exclude<ReasonCode, "names">, string> = {
	"present-fact": "states a fact about the present",
	superlative: "superlative or first-time claim",
	"as-fact": "reported as fact",
	"direct-quote": "direct quote",
	"no-detail": "no checkable detail",
	pledge: "pledge",
	prediction: "prediction",
	"partly-prediction": "partly a prediction",
	opinion: "opinion",
	courtesy: "courtesy",
	question: "question",
	hedged: "hedged",
	"too-short": "too short",
};

/** A reason in short English, as the API gives it ("names a date, a place and an event"). */
function englishReason(reason: Reason): string {
	if (reason.code === "names") return `names ${joinList(reason.details.map((d) => ENGLISH_DETAILS[d]))}`;
	return ENGLISH_REASONS[reason.code];
}

const WEIGHTS = {
	base: 0.3,
	event: 0.2,
	date: 0.12,
	number: 0.12,
	place: 0.1,
	actor: 0.08,
	state: 0.06,
	factualAdverb: 0.04,
	superlative: 0.05,
	asFact: 0.05,
	directQuote: 0.03,
	prediction: 0.3,
	pledge: 0.35,
	opinion: 0.25,
	courtesy: 0.4,
	question: 0.3,
	hedge: 0.08,
	short: 0.15,
} as const;

const CUE_FORMS = new Set([...GERMAN_CUES, ...ENGLISH_CUES].map((c) => c.form));
const YEAR = /^(?:1[89]|20)\d\d$/u;
/**
 * A German participle: with ge- (a particle before it allowed), an inseparable prefix, or -iert.
 * The lookahead first reads that the word ends in -t or -en, so a "ge" is tried only in a word
 * that can match, each try then reading to its end once. Without it, every "ge" of a long
 * lower-case word read on to the word's end and back: quadratic, 120 ms of CPU for a word of
 * 20,000 letters in an article's text (0.1 ms now). It matches the same words.
 */
export const GERMAN_PARTICIPLE =
	/^(?:(?=\p{Ll}*(?:t|en)$)\p{Ll}*?ge\p{Ll}{2,}(?:t|en)|(?:be|ver|er|ent|zer|emp|über|unter)\p{Ll}{4,}(?:t|en)|\p{Ll}{3,}iert)$/u;
const NOT_PAST = new Set([
	"indeed",
	"need",
	"speed",
	"proceed",
	"exceed",
	"succeed",
	"seed",
	"breed",
	"feed",
	"embed",
]);
const RELATIVE_PERIOD = new Set(["vergangenen", "vergangene", "letzten", "letzte", "last", "this", "next"]);
const PERIOD = new Set([
	"jahr",
	"jahres",
	"woche",
	"monat",
	"monats",
	"year",
	"week",
	"month",
	"quarter",
	"quartal",
]);
const INFINITIVE = /^\p{Ll}{2,}(?:en|ern|eln)$/u;

function joinList(items: readonly string[]): string {
	if (items.length <= 1) return items.join("");
	return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function hasPhrase(lowerText: string, phrases: readonly string[]): boolean {
	return phrases.some((p) => lowerText.includes(p));
}

/* German future: "… unterstützen werde" (verb-final) or "werde … schaffen" (clause-final infinitive). */
function germanFuture(tokens: readonly Token[], steps: StepCounter): boolean {
	// Per token, the last word of the run of words it starts (one pass from the end).
	const runLast = new Int32Array(tokens.length + 1);
	runLast[tokens.length] = tokens.length - 1;
	for (let k = tokens.length - 1; k >= 0; k--) {
		steps.count++;
		runLast[k] = tokens[k]?.word ? (runLast[k + 1] ?? k) : k - 1;
	}
	for (let k = 0; k < tokens.length; k++) {
		steps.count++;
		const t = tokens[k];
		if (!t || !["werde", "werden", "wird", "würde", "würden"].includes(t.lower)) continue;
		const prev = tokens[k - 1];
		if (prev?.word && INFINITIVE.test(prev.text) && !GERMAN_PARTICIPLE.test(prev.lower)) return true;
		const lastIndex = Math.max(runLast[k + 1] ?? k, k);
		const last = tokens[lastIndex];
		if (lastIndex > k && last && INFINITIVE.test(last.text) && !GERMAN_PARTICIPLE.test(last.lower))
			return true;
	}
	return false;
}

function englishFuture(tokens: readonly Token[], steps: StepCounter): boolean {
	for (let k = 0; k < tokens.length; k++) {
		steps.count++;
		const t = tokens[k];
		const next = tokens[k + 1];
		if (!t || !next) continue;
		if (
			["will", "won't", "shall", "would", "wouldn't"].includes(t.lower) &&
			/^\p{Ll}/u.test(next.text) &&
			next.lower !== "of"
		)
			return true;
		if (
			t.lower === "going" &&
			next.lower === "to" &&
			["is", "are", "am", "'re", "was"].includes(tokens[k - 1]?.lower ?? "")
		)
			return true;
	}
	return false;
}

/* What the words name: dates, numbers, places, acronyms, and the verb forms of a past event. */
interface Surface {
	date: boolean;
	number: boolean;
	place: boolean;
	acronym: boolean;
	pastForm: boolean;
	participle: boolean;
	auxiliary: boolean;
}

function isPlaceAfterPreposition(t: Token, prev: Token | undefined, language: Language): boolean {
	return (
		isCapitalised(t) &&
		prev !== undefined &&
		(language === "de" ? ["in", "nach", "aus"] : ["in", "at", "from", "to", "near"]).includes(prev.lower) &&
		!NOT_PLACES.has(t.lower) &&
		!MONTHS.has(t.lower) &&
		!SEASONS.has(t.lower) &&
		!WEEKDAYS.has(t.lower) &&
		!MARKERS.eventNouns.has(t.lower)
	);
}

function readSurface(text: string, words: readonly Token[], language: Language, steps: StepCounter): Surface {
	const f: Surface = {
		date: false,
		number: /%/u.test(text),
		place: false,
		acronym: false,
		pastForm: false,
		participle: false,
		auxiliary: false,
	};
	words.forEach((t, i) => {
		steps.count++;
		const next = words[i + 1];
		const capitalised = isCapitalised(t);
		if (YEAR.test(t.text)) f.date = true;
		else if (/^\p{N}/u.test(t.text)) {
			if (next && MONTHS.has(next.lower)) f.date = true;
			else f.number = true;
		}
		if (MONTHS.has(t.lower) && (language === "de" || capitalised)) f.date = true;
		if (WEEKDAYS.has(t.lower) || TIME_WORDS.has(t.lower)) f.date = true;
		if (RELATIVE_PERIOD.has(t.lower) && next && PERIOD.has(next.lower)) f.date = true;
		if (MARKERS.numberWords.has(t.lower)) f.number = true;
		if (isAcronym(t) && t.text !== "I") f.acronym = true;
		if (!f.place && /^\p{Lu}/u.test(t.text) && isPlaceWord(t.text)) f.place = true;
		else if (i > 0 && isPlaceAfterPreposition(t, words[i - 1], language)) f.place = true;
		if (CUE_FORMS.has(t.lower)) return;
		if (MARKERS.auxiliaries.has(t.lower)) f.auxiliary = true;
		if (language === "de") {
			if (MARKERS.germanPastEvents.has(t.lower)) f.pastForm = true;
			if (!capitalised && GERMAN_PARTICIPLE.test(t.lower)) f.participle = true;
		} else {
			if (MARKERS.englishPastEvents.has(t.lower)) f.pastForm = true;
			if (!capitalised && t.lower.length >= 5 && t.lower.endsWith("ed") && !NOT_PAST.has(t.lower))
				f.pastForm = true;
		}
	});
	return f;
}

/* Everything the score is made of, as flags. */
interface Features extends Surface {
	event: boolean;
	actor: boolean;
	state: boolean;
	factualAdverb: boolean;
	superlative: boolean;
	future: boolean;
	pledge: boolean;
	prediction: boolean;
	opinion: boolean;
	courtesy: boolean;
	contentClause: boolean;
	question: boolean;
	hedge: boolean;
	short: boolean;
	factual: boolean;
	/** The text says outright that it predicts or opines ("Ich bin mir sicher", "I believe"). */
	predictionPhrase: boolean;
	opinionPhrase: boolean;
}

function readFeatures(input: ScoreInput, steps: StepCounter): Features {
	const { text, language, stances } = input;
	const tokens = tokenize(text);
	const words = tokens.filter((t) => t.word);
	steps.count += tokens.length;
	const lowerText = text.toLowerCase();
	const has = (list: ReadonlySet<string>) => {
		steps.count += words.length;
		return words.some((t) => list.has(t.lower));
	};
	const surface = readSurface(text, words, language, steps);
	const event = surface.pastForm || (surface.auxiliary && surface.participle) || has(MARKERS.eventNouns);
	const state = has(MARKERS.states);
	const future = language === "de" ? germanFuture(tokens, steps) : englishFuture(tokens, steps);
	const predictionPhrase = hasPhrase(lowerText, MARKERS.predictionPhrases);
	const opinionPhrase = hasPhrase(lowerText, MARKERS.opinionPhrases);
	steps.count += words.length;
	const predictive =
		future ||
		stances.has("prediction") ||
		predictionPhrase ||
		words.some((t) => MARKERS.prediction.has(t.lower) && !["will", "going", "shall"].includes(t.lower));
	const pledge = stances.has("pledge") || has(MARKERS.pledgeWords) || (future && has(MARKERS.pledgeVerbs));
	return {
		...surface,
		event,
		actor: input.namedPeople > 0 || surface.acronym,
		state,
		factualAdverb: has(MARKERS.factualAdverbs),
		superlative: has(MARKERS.superlatives),
		future,
		pledge,
		prediction: predictive && !pledge,
		opinion: stances.has("opinion") || stances.has("demand") || has(MARKERS.opinion) || opinionPhrase,
		courtesy: stances.has("courtesy") || has(MARKERS.courtesy),
		contentClause: words.some((t) => t.lower === "dass" || t.lower === "that"),
		question: /\?\s*["“”»«'’]?$/u.test(text.trim()),
		hedge: has(MARKERS.hedges),
		short: words.length < 6,
		factual: event || state || surface.number || surface.date,
		predictionPhrase,
		opinionPhrase,
	};
}

/* What speaks for checking it: the facts it names. */
function positives(f: Features): { score: number; reasons: Reason[] } {
	let score: number = WEIGHTS.base;
	const reasons: Reason[] = [];
	const details = (["date", "number", "place", "actor", "event"] as const).filter((detail) => f[detail]);
	if (details.length > 0) reasons.push({ code: "names", details });
	if (f.event) score += WEIGHTS.event;
	if (f.date) score += WEIGHTS.date;
	if (f.number) score += WEIGHTS.number;
	if (f.place) score += WEIGHTS.place;
	if (f.actor) score += WEIGHTS.actor;
	if (f.state && !f.event && !f.future) {
		score += WEIGHTS.state;
		reasons.push({ code: "present-fact" });
	}
	if (f.factualAdverb) score += WEIGHTS.factualAdverb;
	if (f.superlative) {
		score += WEIGHTS.superlative;
		reasons.push({ code: "superlative" });
	}
	return { score, reasons };
}

/* What speaks against: nothing in the record to check it against (yet). */
function negatives(
	f: Features,
	stances: ReadonlySet<Stance>,
	scoreSoFar: number,
): { score: number; negatives: Reason[] } {
	// Subtracted one by one, in this order, so the rounding of the sum never changes.
	let score = scoreSoFar;
	const found: Reason[] = [];
	if (f.pledge) {
		score -= f.factual && !stances.has("pledge") ? WEIGHTS.pledge / 2 : WEIGHTS.pledge;
		found.push({ code: "pledge" });
	}
	// "Ich bin mir sicher …", "I believe …": the whole sentence is the speaker's view, whatever facts it holds.
	if (f.prediction) {
		const partly = f.factual && !f.predictionPhrase;
		score -= partly ? WEIGHTS.prediction / 2 : WEIGHTS.prediction;
		found.push({ code: partly ? "partly-prediction" : "prediction" });
	}
	if (f.opinion) {
		score -= f.factual && !f.opinionPhrase ? WEIGHTS.opinion / 2 : WEIGHTS.opinion;
		found.push({ code: "opinion" });
	}
	if (f.courtesy) {
		score -= f.contentClause ? WEIGHTS.courtesy / 3 : WEIGHTS.courtesy;
		found.push({ code: "courtesy" });
	}
	if (f.question) {
		score -= WEIGHTS.question;
		found.push({ code: "question" });
	}
	if (f.hedge) {
		score -= WEIGHTS.hedge;
		found.push({ code: "hedged" });
	}
	if (f.short) {
		score -= WEIGHTS.short;
		found.push({ code: "too-short" });
	}
	return { score, negatives: found };
}

export function scoreClaim(input: ScoreInput): Score {
	const f = readFeatures(input, stepCounter(input.steps));
	const plus = positives(f);
	const minus = negatives(f, input.stances, plus.score);
	let score = minus.score;
	const reasons = plus.reasons;
	if (minus.negatives.length === 0 && input.kind === "statement" && f.factual) {
		score += WEIGHTS.asFact;
		reasons.push({ code: "as-fact" });
	}
	if (input.kind === "direct-quote") {
		score += WEIGHTS.directQuote;
		reasons.push({ code: "direct-quote" });
	}
	if (reasons.length === 0 && minus.negatives.length === 0) reasons.push({ code: "no-detail" });
	const why = [...minus.negatives, ...reasons];
	return {
		score: Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000,
		reasons: why.map(englishReason),
		why,
	};
}
