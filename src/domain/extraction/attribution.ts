/**
 * Who said it: people in the article (introduced with a role, a title, a known
 * first name, or from the caller's list of known speakers), their later mentions
 * (surname, pronoun, role description) and the subject of each reporting verb.
 *
 * It is a discourse heuristic, not a parser. Pronouns and role descriptions go to
 * the person the text was last about (the previous sentence's speaker or first
 * person) when the gender fits, else to the most recently mentioned person of that
 * gender, which is how news prose is written: "Lawrow teilte mit … Er betonte …".
 *
 * The passes, each in its own module and all sharing one AttributionContext:
 * name runs (name-runs.ts) register the people, then sentence by sentence the
 * mentions (mentions.ts), the reporting cues (reporting-cues.ts), the speaker
 * (speaker-attribution.ts, subject-slots.ts) and the kind (reported-speech.ts).
 * Every step is linear in the length of the text.
 */

import {
	type AnalyseOptions,
	type AttributionContext,
	createAttributionContext,
	inQuote,
} from "./attribution-context";
import type { ReportingCue } from "./lexicon";
import { type Mention, type SentenceScope, sentenceMentions } from "./mentions";
import { readNameRuns } from "./name-runs";
import type { Person } from "./person-registry";
import type { QuoteSpan } from "./quotes";
import { type ClaimKind, classify, isAttributionOnly, type LastSpeaker } from "./reported-speech";
import { findCues } from "./reporting-cues";
import type { Sentence } from "./sentences";
import { findSpeaker, type SpeakerFinding, type SpeakerRef } from "./speaker-attribution";
import type { Token } from "./tokens";

export type { KnownSpeaker } from "./person-registry";
export type { ClaimKind } from "./reported-speech";
export type Stance = NonNullable<ReportingCue["stance"]>;

interface SentenceAnalysis {
	sentence: Sentence;
	/** Boilerplate, a fragment, or a bare attribution ("Das sagte Müller.") folded into its neighbour. */
	skip: boolean;
	kind: ClaimKind;
	speaker: SpeakerRef | null;
	/** How the speaker was found: a reporting verb in the sentence, or the surrounding text. */
	speakerSource: SpeakerFinding["source"];
	/** Quotations that carry the claim (not scare quotes). */
	quotes: QuoteSpan[];
	stances: Set<Stance>;
	/** People named in the sentence outside the speaker slot. */
	people: Person[];
}

/** What the sentences so far leave for the next one. */
interface Discourse {
	/** The person the text was last about: the latest speaker, else the first person named. */
	topic: Person | null;
	lastSpeaker: LastSpeaker | null;
	results: SentenceAnalysis[];
}

/* People named by name in the sentence, other than the speaker's own mention. */
function namedPeople(mentions: readonly Mention[], subjectMention: Mention | null): Person[] {
	const named = new Set<Person>();
	for (const m of mentions) {
		if (m.person && m !== subjectMention && m.kind === "name") named.add(m.person);
	}
	return [...named];
}

/* "Das teilte Oberbürgermeisterin Anna Müller mit." names the speaker of the sentence before. */
function attributeBack(discourse: Discourse, speaker: SpeakerRef, stances: ReadonlySet<Stance>): void {
	const prev = discourse.results[discourse.results.length - 1];
	if (!prev || prev.skip || prev.speakerSource === "cue") return;
	if (prev.kind === "statement") prev.kind = "reported-speech";
	prev.speaker = speaker;
	prev.speakerSource = "cue";
	for (const st of stances) prev.stances.add(st);
}

function analyseSentence(
	ctx: AttributionContext,
	discourse: Discourse,
	sentence: Sentence,
	si: number,
): SentenceAnalysis {
	const [from, to] = ctx.ranges[si] ?? [0, 0];
	const scope: SentenceScope = { si, from, to, topic: discourse.topic };
	const mentions = sentenceMentions(ctx, scope);
	const claimQuotes = ctx.claimQuotesOf[si] ?? [];
	const cues = findCues(ctx, from, to);
	const stances = new Set<Stance>();
	for (const c of cues) if (c.cue.stance) stances.add(c.cue.stance);

	const found = findSpeaker(ctx, scope, cues, mentions, claimQuotes);
	const attributionOnly = isAttributionOnly(ctx, scope, cues, found.speaker);
	const { kind, speaker, source } = classify(ctx, scope, found, cues, claimQuotes, discourse.lastSpeaker);
	if (attributionOnly && speaker) attributeBack(discourse, speaker, stances);

	if (speaker?.person && kind !== "statement") discourse.topic = speaker.person;
	else {
		ctx.steps.count += mentions.length;
		const firstPerson = mentions.find((m) => m.person && !inQuote(ctx, m.first))?.person;
		if (firstPerson) discourse.topic = firstPerson;
	}
	if (speaker && kind !== "statement") discourse.lastSpeaker = { ref: speaker, sentence: si };
	return {
		sentence,
		skip: attributionOnly,
		kind,
		speaker: kind === "statement" ? null : speaker,
		speakerSource: kind === "statement" ? "none" : source,
		quotes: claimQuotes,
		stances,
		people: namedPeople(mentions, found.subjectMention),
	};
}

/**
 * Attributes every sentence: its kind (direct quote, reported speech, the
 * article's own statement), its speaker and the quotations that carry it.
 */
export function analyseSentences(
	text: string,
	tokens: readonly Token[],
	sentences: readonly Sentence[],
	quotes: readonly QuoteSpan[],
	options: AnalyseOptions,
): SentenceAnalysis[] {
	const ctx = createAttributionContext(text, tokens, sentences, quotes, options);
	readNameRuns(ctx);
	const discourse: Discourse = { topic: null, lastSpeaker: null, results: [] };
	sentences.forEach((sentence, si) => {
		ctx.steps.count++;
		if (ctx.ignored.has(si)) {
			discourse.results.push({
				sentence,
				skip: true,
				kind: "statement",
				speaker: null,
				speakerSource: "none",
				quotes: [],
				stances: new Set(),
				people: [],
			});
			return;
		}
		discourse.results.push(analyseSentence(ctx, discourse, sentence, si));
	});
	return discourse.results;
}
