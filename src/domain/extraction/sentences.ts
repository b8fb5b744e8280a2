/**
 * Sentence splitting for news text. A period ends a sentence unless the word
 * before it is an abbreviation (Dr., z. B., U.S.), an initial (George W. Bush), an
 * ordinal ("am 12. Juli") or a decimal (3.5); a quotation is never cut open, so a
 * quote of several sentences stays one unit with its attribution.
 */

import {
	ABBREVIATIONS,
	type Language,
	MONTHS,
	ORDINAL_LEADS,
	SENTENCE_FINAL_ABBREVIATIONS,
	SENTENCE_STARTERS,
} from "./lexicon";
import { findQuotes, type QuoteSpan } from "./quotes";
import { type StepCounter, stepCounter } from "./step-counter";

export interface Sentence {
	/** Exactly `text.slice(start, end)` of the input. */
	text: string;
	start: number;
	end: number;
}

const TERMINAL = /[.!?…]/u;
const TRAILING_CLOSERS = /[)\]"”’»«“']/u;
const LETTER = /\p{L}/u;
const LOWER = /\p{Ll}/u;

function wordBefore(text: string, end: number, steps: StepCounter): { word: string; start: number } {
	let start = end;
	while (start > 0 && /[\p{L}\p{M}\p{N}]/u.test(text[start - 1] ?? "")) {
		steps.count++;
		start--;
	}
	return { word: text.slice(start, end), start };
}

function nextNonSpace(text: string, from: number, steps: StepCounter): number {
	let i = from;
	while (i < text.length && /[ \t\u00a0\u202f]/u.test(text[i] ?? "")) {
		steps.count++;
		i++;
	}
	return i;
}

function wordAt(text: string, from: number): string {
	const m = /^[\p{L}\p{M}\p{N}]+/u.exec(text.slice(from, from + 40));
	return m?.[0] ?? "";
}

/** Whether the period at `dot` (followed by whitespace) closes a sentence. */
function periodEndsSentence(
	text: string,
	dot: number,
	after: number,
	language: Language | undefined,
	steps: StepCounter,
): boolean {
	const next = nextNonSpace(text, after, steps);
	const nextChar = text[next];
	if (nextChar === undefined || nextChar === "\n" || nextChar === "\r") return true;
	if (LOWER.test(nextChar)) return false;
	const nextWord = wordAt(text, next);
	const { word, start } = wordBefore(text, dot, steps);
	if (word === "") return true;

	if (/^\p{N}+$/u.test(word)) {
		if (language === "en") return true;
		if (MONTHS.has(nextWord.toLowerCase())) return false;
		const lead = wordBefore(text, nextNonSpaceBack(text, start, steps), steps);
		return !(word.length <= 3 && ORDINAL_LEADS.has(lead.word.toLowerCase()));
	}

	if (word.length === 1 && LETTER.test(word)) {
		// "U.S." and "e.g." (no space inside) may end a sentence before "The"/"He"; "z. B." and initials do not.
		if (text[start - 1] === ".") return SENTENCE_STARTERS.has(nextWord.toLowerCase());
		return false;
	}
	if (ABBREVIATIONS.has(word)) {
		return SENTENCE_FINAL_ABBREVIATIONS.has(word) && SENTENCE_STARTERS.has(nextWord.toLowerCase());
	}
	return true;
}

function nextNonSpaceBack(text: string, from: number, steps: StepCounter): number {
	let i = from;
	while (i > 0 && /\s/u.test(text[i - 1] ?? "")) {
		steps.count++;
		i--;
	}
	return i;
}

/** Whether a line break ends a sentence; hard-wrapped lines ("…the\nmeeting") do not. */
function lineBreakEndsSentence(text: string, at: number, steps: StepCounter): boolean {
	let before = at;
	while (before > 0 && /[ \t]/u.test(text[before - 1] ?? "")) {
		steps.count++;
		before--;
	}
	const prev = text[before - 1];
	let after = at + 1;
	// A blank line ends it; stop there, so a run of empty lines is read once, not once per line.
	while (after < text.length && /\s/u.test(text[after] ?? "")) {
		steps.count++;
		if (text[after] === "\n") return true;
		after++;
	}
	const next = text[after];
	return !(prev !== undefined && next !== undefined && /[\p{Ll},;\-–]/u.test(prev) && LOWER.test(next));
}

/**
 * Splits text into sentences with offsets into the input. Headlines and other
 * lines without a final period end at their line break.
 */
export function splitSentences(text: string, language?: string, counter?: StepCounter): Sentence[] {
	const steps = stepCounter(counter);
	const lang: Language | undefined = language === "de" || language === "en" ? language : undefined;
	const outer = new Map<number, QuoteSpan>();
	for (const q of findQuotes(text, steps)) if (q.depth === 0) outer.set(q.open, q);

	const sentences: Sentence[] = [];
	const push = (from: number, to: number): void => {
		let s = from;
		let e = to;
		steps.count += to - from;
		while (s < e && /\s/u.test(text[s] ?? "")) s++;
		while (e > s && /\s/u.test(text[e - 1] ?? "")) e--;
		if (e > s) sentences.push({ text: text.slice(s, e), start: s, end: e });
	};

	let segment = 0;
	let i = 0;
	while (i < text.length) {
		steps.count++;
		const c = text[i] ?? "";
		const quote = outer.get(i);
		if (quote) {
			i = quote.close + 1;
			if (quote.continues) {
				// The next paragraph goes on with the quote: one unit with its attribution at the end.
				while (i < text.length && /\s/u.test(text[i] ?? "")) {
					steps.count++;
					i++;
				}
				continue;
			}
			const inner = quote.text.trimEnd();
			if (TERMINAL.test(inner.at(-1) ?? "")) {
				let end = i;
				while (end < text.length && /[)\]]/u.test(text[end] ?? "")) end++;
				const next = text[nextNonSpace(text, end, steps)];
				if (next === undefined || /[\n\r\p{Lu}\p{N}„“"«»‚‘'‹›(]/u.test(next)) {
					push(segment, end);
					segment = end;
					i = end;
				}
			}
			continue;
		}
		if (c === "\n") {
			if (lineBreakEndsSentence(text, i, steps)) {
				push(segment, i);
				segment = i + 1;
			}
			i++;
			continue;
		}
		if (!TERMINAL.test(c)) {
			i++;
			continue;
		}
		let end = i;
		while (end < text.length && TERMINAL.test(text[end] ?? "")) end++;
		while (end < text.length && TRAILING_CLOSERS.test(text[end] ?? "") && !outer.has(end)) end++;
		steps.count += end - i;
		const run = text.slice(i, end);
		const after = text[end];
		let boundary: boolean;
		if (after !== undefined && !/\s/u.test(after)) boundary = false;
		else if (run.startsWith(".") && !run.startsWith(".."))
			boundary = periodEndsSentence(text, i, end, lang, steps);
		else {
			const next = text[nextNonSpace(text, end, steps)];
			boundary = next === undefined || !LOWER.test(next);
		}
		if (boundary) {
			push(segment, end);
			segment = end;
		}
		i = end;
	}
	push(segment, text.length);
	return sentences;
}
