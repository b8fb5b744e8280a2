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
}

export interface Score {
	/** 0 (nothing to check) to 1 (a concrete factual claim). */
	score: number;
	/** Short English reasons, strongest first. */
	reasons: string[];
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
const GERMAN_PARTICIPLE =
	/^(?:\p{Ll}*ge\p{Ll}{2,}(?:t|en)|(?:be|ver|er|ent|zer|emp|über|unter)\p{Ll}{4,}(?:t|en)|\p{Ll}{3,}iert)$/u;
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
function germanFuture(tokens: readonly Token[]): boolean {
	for (let k = 0; k < tokens.length; k++) {
		const t = tokens[k];
		if (!t || !["werde", "werden", "wird", "würde", "würden"].includes(t.lower)) continue;
		const prev = tokens[k - 1];
		if (prev?.word && INFINITIVE.test(prev.text) && !GERMAN_PARTICIPLE.test(prev.lower)) return true;
		let e = k + 1;
		while (e < tokens.length && tokens[e]?.word) e++;
		const last = tokens[e - 1];
		if (e - 1 > k && last && INFINITIVE.test(last.text) && !GERMAN_PARTICIPLE.test(last.lower)) return true;
	}
	return false;
}

function englishFuture(tokens: readonly Token[]): boolean {
	for (let k = 0; k < tokens.length; k++) {
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

export function scoreClaim(input: ScoreInput): Score {
	const { text, language } = input;
	const tokens = tokenize(text);
	const words = tokens.filter((t) => t.word);
	const lowerText = text.toLowerCase();
	const has = (list: ReadonlySet<string>) => words.some((t) => list.has(t.lower));

	let date = false;
	let number = /%/u.test(text);
	let place = false;
	let acronym = false;
	let pastForm = false;
	let participle = false;
	let auxiliary = false;
	words.forEach((t, i) => {
		const next = words[i + 1];
		const prev = words[i - 1];
		const capitalised = isCapitalised(t);
		if (YEAR.test(t.text)) date = true;
		else if (/^\p{N}/u.test(t.text)) {
			if (next && MONTHS.has(next.lower)) date = true;
			else number = true;
		}
		if (MONTHS.has(t.lower) && (language === "de" || capitalised)) date = true;
		if (WEEKDAYS.has(t.lower) || TIME_WORDS.has(t.lower)) date = true;
		if (RELATIVE_PERIOD.has(t.lower) && next && PERIOD.has(next.lower)) date = true;
		if (MARKERS.numberWords.has(t.lower)) number = true;
		if (isAcronym(t) && t.text !== "I") acronym = true;
		if (!place && /^\p{Lu}/u.test(t.text) && isPlaceWord(t.text)) place = true;
		else if (
			capitalised &&
			prev &&
			i > 0 &&
			(language === "de" ? ["in", "nach", "aus"] : ["in", "at", "from", "to", "near"]).includes(prev.lower) &&
			!NOT_PLACES.has(t.lower) &&
			!MONTHS.has(t.lower) &&
			!SEASONS.has(t.lower) &&
			!WEEKDAYS.has(t.lower) &&
			!MARKERS.eventNouns.has(t.lower)
		)
			place = true;
		if (CUE_FORMS.has(t.lower)) return;
		if (MARKERS.auxiliaries.has(t.lower)) auxiliary = true;
		if (language === "de") {
			if (MARKERS.germanPastEvents.has(t.lower)) pastForm = true;
			if (!capitalised && GERMAN_PARTICIPLE.test(t.lower)) participle = true;
		} else {
			if (MARKERS.englishPastEvents.has(t.lower)) pastForm = true;
			if (!capitalised && t.lower.length >= 5 && t.lower.endsWith("ed") && !NOT_PAST.has(t.lower))
				pastForm = true;
		}
	});
	const event = pastForm || (auxiliary && participle) || has(MARKERS.eventNouns);
	const actor = input.namedPeople > 0 || acronym;
	const state = has(MARKERS.states);
	const factualAdverb = has(MARKERS.factualAdverbs);
	const superlative = has(MARKERS.superlatives);

	const future = language === "de" ? germanFuture(tokens) : englishFuture(tokens);
	const predictive =
		future ||
		input.stances.has("prediction") ||
		hasPhrase(lowerText, MARKERS.predictionPhrases) ||
		words.some((t) => MARKERS.prediction.has(t.lower) && !["will", "going", "shall"].includes(t.lower));
	const pledge =
		input.stances.has("pledge") || has(MARKERS.pledgeWords) || (future && has(MARKERS.pledgeVerbs));
	const prediction = predictive && !pledge;
	const opinion =
		input.stances.has("opinion") ||
		input.stances.has("demand") ||
		has(MARKERS.opinion) ||
		hasPhrase(lowerText, MARKERS.opinionPhrases);
	const courtesy = input.stances.has("courtesy") || has(MARKERS.courtesy);
	const contentClause = words.some((t) => t.lower === "dass" || t.lower === "that");
	const question = /\?\s*["“”»«'’]?$/u.test(text.trim());
	const hedge = has(MARKERS.hedges);
	const short = words.length < 6;
	const factual = event || state || number || date;

	let score: number = WEIGHTS.base;
	const reasons: string[] = [];
	const named: string[] = [];
	if (date) named.push("a date");
	if (number) named.push("a number");
	if (place) named.push("a place");
	if (actor) named.push("a named actor");
	if (event) named.push("an event");
	if (named.length > 0) reasons.push(`names ${joinList(named)}`);
	if (event) score += WEIGHTS.event;
	if (date) score += WEIGHTS.date;
	if (number) score += WEIGHTS.number;
	if (place) score += WEIGHTS.place;
	if (actor) score += WEIGHTS.actor;
	if (state && !event && !future) {
		score += WEIGHTS.state;
		reasons.push("states a fact about the present");
	}
	if (factualAdverb) score += WEIGHTS.factualAdverb;
	if (superlative) {
		score += WEIGHTS.superlative;
		reasons.push("superlative or first-time claim");
	}

	const negatives: string[] = [];
	if (pledge) {
		score -= factual && !input.stances.has("pledge") ? WEIGHTS.pledge / 2 : WEIGHTS.pledge;
		negatives.push("pledge");
	}
	// "Ich bin mir sicher …", "I believe …": the whole sentence is the speaker's view, whatever facts it holds.
	if (prediction) {
		const partly = factual && !hasPhrase(lowerText, MARKERS.predictionPhrases);
		score -= partly ? WEIGHTS.prediction / 2 : WEIGHTS.prediction;
		negatives.push(partly ? "partly a prediction" : "prediction");
	}
	if (opinion) {
		score -= factual && !hasPhrase(lowerText, MARKERS.opinionPhrases) ? WEIGHTS.opinion / 2 : WEIGHTS.opinion;
		negatives.push("opinion");
	}
	if (courtesy) {
		score -= contentClause ? WEIGHTS.courtesy / 3 : WEIGHTS.courtesy;
		negatives.push("courtesy");
	}
	if (question) {
		score -= WEIGHTS.question;
		negatives.push("question");
	}
	if (hedge) {
		score -= WEIGHTS.hedge;
		negatives.push("hedged");
	}
	if (short) {
		score -= WEIGHTS.short;
		negatives.push("too short");
	}
	if (negatives.length === 0 && input.kind === "statement" && factual) {
		score += WEIGHTS.asFact;
		reasons.push("reported as fact");
	}
	if (input.kind === "direct-quote") {
		score += WEIGHTS.directQuote;
		reasons.push("direct quote");
	}
	if (reasons.length === 0 && negatives.length === 0) reasons.push("no checkable detail");
	return {
		score: Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000,
		reasons: [...negatives, ...reasons],
	};
}
