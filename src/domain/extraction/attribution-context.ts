/**
 * The state the attribution passes share, built once per article: the tokens with
 * their per-token indexes, the reporting-verb table, the claim quotes, the person
 * registry and the step counter. Every pass takes it as its first argument.
 */

import { selectClaimQuotes } from "./claim-quotes";
import { ENGLISH_CUES, GERMAN_CUES, type Language, type ReportingCue } from "./lexicon";
import { createRegistry, type KnownSpeaker, type Person, type PersonRegistry } from "./person-registry";
import type { QuoteSpan } from "./quotes";
import type { RoleCue } from "./roles";
import type { Sentence } from "./sentences";
import type { StepCounter } from "./step-counter";
import { type ClauseIndex, clauseIndex, quoteIndex, sentenceIndex, wordRunEnds } from "./token-index";
import type { Token } from "./tokens";

export interface AnalyseOptions {
	language: Language;
	knownSpeakers: readonly KnownSpeaker[];
	/** Sentences to ignore when looking for people (boilerplate). */
	ignored: ReadonlySet<number>;
	steps: StepCounter;
}

/** A capitalised run of tokens that names someone (or might). */
export interface NameRun {
	/** First token of the name proper, and the token after it. */
	first: number;
	end: number;
	/** First token of the mention including title or role ("Außenminister Sergei Lawrow"). */
	introStart: number;
	role: RoleCue | null;
	titleGender: Person["gender"];
	hasCue: boolean;
	person: Person | null;
}

export interface AttributionContext {
	readonly text: string;
	readonly tokens: readonly Token[];
	readonly sentences: readonly Sentence[];
	readonly language: Language;
	readonly ignored: ReadonlySet<number>;
	readonly steps: StepCounter;
	/** Reporting verbs of the language by form; one form can have several entries (with particles). */
	readonly cueTable: ReadonlyMap<string, readonly ReportingCue[]>;
	readonly sentenceOf: Int32Array;
	readonly ranges: readonly [number, number][];
	readonly outerQuotes: readonly QuoteSpan[];
	/** Per token the outer quote it is in, -1 outside. */
	readonly quoteOf: Int32Array;
	/** Per sentence its claim-carrying quotes. */
	readonly claimQuotesOf: readonly QuoteSpan[][];
	readonly clauses: ClauseIndex;
	readonly wordRunEnd: Int32Array;
	readonly registry: PersonRegistry;
	/** Name runs by the token their mention starts at (title or role included). */
	readonly runAt: Map<number, NameRun>;
	/** Roles the article introduces in apposition that the lexicon lacks ("superintendent"), uninflected. */
	readonly learnedRoles: Set<string>;
}

function cueTableOf(language: Language): Map<string, ReportingCue[]> {
	const table = new Map<string, ReportingCue[]>();
	for (const cue of language === "de" ? GERMAN_CUES : ENGLISH_CUES) {
		const list = table.get(cue.form) ?? [];
		list.push(cue);
		table.set(cue.form, list);
	}
	return table;
}

export function createAttributionContext(
	text: string,
	tokens: readonly Token[],
	sentences: readonly Sentence[],
	quotes: readonly QuoteSpan[],
	options: AnalyseOptions,
): AttributionContext {
	const { language, steps } = options;
	const cueTable = cueTableOf(language);
	const { sentenceOf, ranges } = sentenceIndex(tokens, sentences, steps);
	const outerQuotes = quotes.filter((q) => q.depth === 0);
	steps.count += quotes.length;
	const quoteOf = quoteIndex(tokens, outerQuotes, steps);
	const claims = selectClaimQuotes({ text, sentences, outerQuotes, cueTable, steps });
	const clauses = clauseIndex(tokens, (k) => claims.isClaim[quoteOf[k] ?? -1] === 1, steps);
	return {
		text,
		tokens,
		sentences,
		language,
		ignored: options.ignored,
		steps,
		cueTable,
		sentenceOf,
		ranges,
		outerQuotes,
		quoteOf,
		claimQuotesOf: claims.bySentence,
		clauses,
		wordRunEnd: wordRunEnds(tokens, steps),
		registry: createRegistry(options.knownSpeakers, steps),
		runAt: new Map(),
		learnedRoles: new Set(),
	};
}

export function inQuote(ctx: AttributionContext, k: number): boolean {
	return ctx.quoteOf[k] !== -1;
}
