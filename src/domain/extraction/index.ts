/**
 * Claim extraction: suggests check-worthy claims in an article's plain text, with
 * their speakers, ranked best first. Pure and synchronous; a typical article takes
 * a few milliseconds. The suggestions are for an editor to confirm, not verdicts.
 */

import { analyseSentences, type ClaimKind, type KnownSpeaker } from "./attribution";
import { type Reason, scoreClaim } from "./check-worthiness";
import { BOILERPLATE, BYLINE, DATELINE, detectLanguage, type Language } from "./lexicon";
import { findQuotes, type QuoteSpan } from "./quotes";
import { splitSentences } from "./sentences";
import { type StepCounter, stepCounter } from "./step-counter";
import { textFragment } from "./text-fragment";
import { tokenize } from "./tokens";

export type { KnownSpeaker } from "./attribution";
export type { NamedDetail, Reason, ReasonCode } from "./check-worthiness";
export { scoreClaim } from "./check-worthiness";

export { findQuotes } from "./quotes";
export { splitSentences } from "./sentences";
export type { StepCounter } from "./step-counter";
export { encodeTextDirective, textFragment } from "./text-fragment";

export interface ClaimCandidate {
	/** The claim: the quoted words for a direct quote (several parts joined by " … "), else the sentence. */
	text: string;
	kind: ClaimKind;
	/**
	 * Who makes the claim: a person by name, or an organisation or group ("die Polizei",
	 * "the ministry"); null when the article states it itself, when no speaker was found,
	 * and when the speaker is described by role alone ("der Minister", "a spokesperson"),
	 * which names no one to record (a quote or reported speech keeps its kind).
	 */
	speaker: { name: string; speakerId: string | null } | null;
	/** The whole sentence the claim is in. */
	sentence: string;
	/** Offsets of `text` in the article; for a quote in parts, from the first part's start to the last's end. */
	start: number;
	end: number;
	/** Check-worthiness, 0–1. */
	score: number;
	/** Why the score is what it is, in short English phrases. */
	reasons: string[];
	/** The same reasons as codes, for a view to say in its language. */
	why: Reason[];
	/** `#:~:text=` fragment that highlights the sentence in the source page. */
	fragment: string;
}

export interface ExtractOptions {
	/** "de" or "en" (a tag like "de-AT" works); detected from the text when missing. */
	language?: string;
	/** Speakers already in the database, so that "Lawrow" gets the id of "Sergei Lawrow". */
	knownSpeakers?: readonly KnownSpeaker[];
	/**
	 * Counts the work done (one per token, character, quote, mention or person looked
	 * at in a loop), so tests can check that it grows linearly with the text.
	 */
	steps?: StepCounter;
}

function resolveLanguage(text: string, language: string | undefined): Language {
	const primary = language?.toLowerCase().split(/[-_]/u)[0];
	if (primary === "de" || primary === "en") return primary;
	return detectLanguage(text);
}

/* The quotation without its edge spaces and the comma that hands over to "sagte er". */
function quotedRange(text: string, q: QuoteSpan, steps: StepCounter): { start: number; end: number } {
	let start = q.start;
	let end = q.end;
	steps.count += q.end - q.start;
	while (start < end && /\s/u.test(text[start] ?? "")) start++;
	while (end > start && /[\s,;:]/u.test(text[end - 1] ?? "")) end--;
	return { start, end };
}

/** Candidate claims in `text`, ranked by check-worthiness (ties in reading order). */
export function extractClaims(text: string, options: ExtractOptions = {}): ClaimCandidate[] {
	const steps = stepCounter(options.steps);
	const language = resolveLanguage(text, options.language);
	const sentences = splitSentences(text, language, steps);
	const quotes = findQuotes(text, steps);
	const tokens = tokenize(text);
	steps.count += tokens.length;
	const ignored = new Set<number>();
	sentences.forEach((s, i) => {
		steps.count += s.text.length;
		const words = s.text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
		if (words < 3 || BOILERPLATE.test(s.text) || BYLINE.test(s.text.trim())) ignored.add(i);
	});
	const analyses = analyseSentences(text, tokens, sentences, quotes, {
		language,
		knownSpeakers: options.knownSpeakers ?? [],
		ignored,
		steps,
	});

	const candidates: ClaimCandidate[] = [];
	for (const a of analyses) {
		if (a.skip) continue;
		const { sentence } = a;
		const parts = a.kind === "direct-quote" ? a.quotes.map((q) => quotedRange(text, q, steps)) : [];
		const first = parts[0];
		const last = parts[parts.length - 1];
		const quoted = first !== undefined && last !== undefined;
		// A statement that opens the article may carry its dateline: the claim starts after it.
		const dateline = quoted ? 0 : (DATELINE.exec(sentence.text)?.[0].length ?? 0);
		const claimText = quoted
			? parts.map((p) => text.slice(p.start, p.end)).join(" … ")
			: sentence.text.slice(dateline);
		const { score, reasons, why } = scoreClaim({
			text: claimText,
			kind: a.kind,
			language,
			stances: a.stances,
			namedPeople: a.people.filter((p) => p !== a.speaker?.person).length,
			steps,
		});
		steps.count += sentence.text.length + a.people.length;
		candidates.push({
			text: claimText,
			kind: a.kind,
			speaker:
				a.speaker && !a.speaker.roleOnly ? { name: a.speaker.name, speakerId: a.speaker.speakerId } : null,
			sentence: sentence.text,
			start: quoted ? first.start : sentence.start + dateline,
			end: quoted ? last.end : sentence.end,
			score,
			reasons,
			why,
			fragment: textFragment(sentence.text),
		});
	}
	return candidates.sort((a, b) => b.score - a.score || a.start - b.start);
}
