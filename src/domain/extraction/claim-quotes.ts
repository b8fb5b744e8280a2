/**
 * Which quotations carry a claim of their own (a quotation) and which are scare
 * quotes inside someone else's sentence. One sweep over sentences and quotes, both
 * in text order; no quote looks at more of its sentence than the gap before it.
 */

import type { ReportingCue } from "./lexicon";
import type { QuoteSpan } from "./quotes";
import type { Sentence } from "./sentences";
import type { StepCounter } from "./step-counter";

const WORD = /[\p{L}\p{N}]+/gu;
const SPACE = /\s/u;

interface ClaimQuoteInput {
	text: string;
	sentences: readonly Sentence[];
	/** Quotes not inside another one, in text order (so they do not overlap). */
	outerQuotes: readonly QuoteSpan[];
	cueTable: ReadonlyMap<string, readonly ReportingCue[]>;
	steps: StepCounter;
}

interface ClaimQuotes {
	/** Per sentence, the quotes inside it that carry a claim. */
	bySentence: QuoteSpan[][];
	/** Per outer quote (same index), 1 when it carries a claim. */
	isClaim: Uint8Array;
}

/* Whether the text between the sentence start and the quote ends in a colon (and spaces): "Lawrow: „…“". */
function afterColon(input: ClaimQuoteInput, s: Sentence, q: QuoteSpan): boolean {
	let i = q.open;
	while (i > s.start && SPACE.test(input.text[i - 1] ?? "")) {
		input.steps.count++;
		i--;
	}
	return i > s.start && input.text[i - 1] === ":";
}

/* A quotation that is a claim of its own, not a scare quote inside someone's sentence. */
function carriesClaim(
	input: ClaimQuoteInput,
	q: QuoteSpan,
	s: Sentence,
	sentenceWords: () => number,
): boolean {
	const { text } = input;
	const inner = q.text.trim();
	input.steps.count += q.text.length;
	const words = inner.match(WORD)?.length ?? 0;
	// A paragraph of a quote that goes on in the next one is never a scare quote.
	if (q.continues || /[.!?…]$/u.test(inner)) return true;
	if (afterColon(input, s, q)) return true;
	// A quote that opens the sentence or hands over to its reporting verb ("…“, sagte er") is a quotation.
	if (q.open === s.start && words >= 2) return true;
	const handover = /^[\s,]*(\p{L}+)/u.exec(text.slice(q.close + 1, Math.min(s.end, q.close + 40)));
	if (words >= 2 && handover?.[1] && input.cueTable.has(handover[1].toLowerCase())) return true;
	if (words >= 5) return true;
	return words >= 3 && words / Math.max(sentenceWords(), 1) >= 0.6;
}

export function selectClaimQuotes(input: ClaimQuoteInput): ClaimQuotes {
	const { sentences, outerQuotes, steps } = input;
	const bySentence: QuoteSpan[][] = [];
	const isClaim = new Uint8Array(outerQuotes.length);
	let q = 0;
	for (const s of sentences) {
		steps.count++;
		const list: QuoteSpan[] = [];
		let wordCount = -1;
		// Counted once per sentence, and only when a short quote needs the ratio.
		const sentenceWords = () => {
			if (wordCount < 0) {
				steps.count += s.text.length;
				wordCount = s.text.match(WORD)?.length ?? 0;
			}
			return wordCount;
		};
		while (q < outerQuotes.length) {
			const quote = outerQuotes[q];
			if (!quote || quote.open >= s.end) break;
			steps.count++;
			if (quote.open >= s.start && quote.close < s.end && carriesClaim(input, quote, s, sentenceWords)) {
				list.push(quote);
				isClaim[q] = 1;
			}
			q++;
		}
		bySentence.push(list);
	}
	return { bySentence, isClaim };
}
