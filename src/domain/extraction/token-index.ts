/**
 * Per-token lookups computed once per article, each in one pass: the sentence and
 * the quotation a token is in, where its clause starts and ends, where its run of
 * words ends. They turn the rescans of a sentence ("walk back to the last comma")
 * into array reads.
 */

import type { QuoteSpan } from "./quotes";
import type { Sentence } from "./sentences";
import type { StepCounter } from "./step-counter";
import type { Token } from "./tokens";

/** Per token its sentence index (-1 between sentences), and per sentence its token range [from, to). */
export function sentenceIndex(
	tokens: readonly Token[],
	sentences: readonly Sentence[],
	steps: StepCounter,
): { sentenceOf: Int32Array; ranges: [number, number][] } {
	const sentenceOf = new Int32Array(tokens.length).fill(-1);
	const ranges: [number, number][] = [];
	let k = 0;
	sentences.forEach((s, si) => {
		steps.count++;
		while (k < tokens.length && (tokens[k]?.start ?? 0) < s.start) {
			steps.count++;
			k++;
		}
		const from = k;
		while (k < tokens.length && (tokens[k]?.end ?? 0) <= s.end) {
			steps.count++;
			sentenceOf[k++] = si;
		}
		ranges.push([from, k]);
	});
	return { sentenceOf, ranges };
}

/** Per token the index of the outer quote it sits in (marks included), -1 outside quotes. */
export function quoteIndex(
	tokens: readonly Token[],
	outerQuotes: readonly QuoteSpan[],
	steps: StepCounter,
): Int32Array {
	const quoteOf = new Int32Array(tokens.length).fill(-1);
	let q = 0;
	for (let k = 0; k < tokens.length; k++) {
		steps.count++;
		const t = tokens[k];
		if (!t) continue;
		while (q < outerQuotes.length && (outerQuotes[q]?.close ?? 0) < t.start) {
			steps.count++;
			q++;
		}
		const quote = outerQuotes[q];
		if (quote && t.start >= quote.open && t.end <= quote.close + 1) quoteOf[k] = q;
	}
	return quoteOf;
}

const CLAUSE_PUNCTUATION = new Set([",", ";", ":", "–", "—"]);

export interface ClauseIndex {
	/** Per token the last clause break before it (-1 if none). */
	prevBreak: Int32Array;
	/** Per token the first clause break after it (tokens.length if none). */
	nextBreak: Int32Array;
}

/* Commas and dashes end a clause, and so does a quotation; a scare quote or a parenthesis does not. */
export function clauseIndex(
	tokens: readonly Token[],
	isBreakQuote: (k: number) => boolean,
	steps: StepCounter,
): ClauseIndex {
	const n = tokens.length;
	const isBreak = (k: number) => isBreakQuote(k) || CLAUSE_PUNCTUATION.has(tokens[k]?.text ?? "");
	const prevBreak = new Int32Array(n);
	const nextBreak = new Int32Array(n);
	let last = -1;
	for (let k = 0; k < n; k++) {
		steps.count++;
		prevBreak[k] = last;
		if (isBreak(k)) last = k;
	}
	let next = n;
	for (let k = n - 1; k >= 0; k--) {
		steps.count++;
		nextBreak[k] = next;
		if (isBreak(k)) next = k;
	}
	return { prevBreak, nextBreak };
}

/** The clause around token k, within the sentence's tokens [from, to). */
export function clauseBounds(index: ClauseIndex, k: number, from: number, to: number): [number, number] {
	return [Math.max(from, (index.prevBreak[k] ?? -1) + 1), Math.min(to, index.nextBreak[k] ?? to)];
}

/** Per position the first token at or after it that is not a word (tokens.length past the end). */
export function wordRunEnds(tokens: readonly Token[], steps: StepCounter): Int32Array {
	const ends = new Int32Array(tokens.length + 1);
	ends[tokens.length] = tokens.length;
	for (let k = tokens.length - 1; k >= 0; k--) {
		steps.count++;
		ends[k] = tokens[k]?.word ? (ends[k + 1] ?? tokens.length) : k;
	}
	return ends;
}
