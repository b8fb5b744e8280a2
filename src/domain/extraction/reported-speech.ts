/**
 * What kind of claim a sentence is: a direct quote, reported speech (a reporting
 * verb, or German Konjunktiv right after someone spoke) or the article's own
 * statement; and whether it is only an attribution of the sentence before it
 * ("Das sagte Müller.").
 */

import { type AttributionContext, inQuote } from "./attribution-context";
import { KONJUNKTIV } from "./lexicon";
import type { SentenceScope } from "./mentions";
import type { QuoteSpan } from "./quotes";
import type { CueHit } from "./reporting-cues";
import { refOf, type SpeakerFinding, type SpeakerRef } from "./speaker-attribution";

export type ClaimKind = "direct-quote" | "reported-speech" | "statement";

/** The speaker of the latest sentence that had one, for Konjunktiv and quotes that follow it. */
export interface LastSpeaker {
	ref: SpeakerRef;
	sentence: number;
}

const ANAPHORS = ["das", "dies", "this", "that", "so"];

/** "Das teilte Oberbürgermeisterin Anna Müller mit.": a sentence that only names the previous one's speaker. */
export function isAttributionOnly(
	ctx: AttributionContext,
	scope: SentenceScope,
	cues: readonly CueHit[],
	speaker: SpeakerRef | null,
): boolean {
	const { tokens } = ctx;
	const { from, to } = scope;
	const firstWord = tokens[from];
	if (cues.length === 0 || !firstWord || !ANAPHORS.includes(firstWord.lower)) return false;
	if (cues[0]?.index !== from + 1 || speaker === null) return false;
	for (let k = from; k < to; k++) {
		ctx.steps.count++;
		const t = tokens[k];
		if (t && (t.text === "," || t.lower === "dass" || t.lower === "that")) return false;
	}
	return true;
}

/*
 * German indirect speech without a verb of saying: "Die Lage sei ernst." With "demnach"
 * ("Der Neubau werde demnach 61 Millionen kosten") it reports what the text was just about.
 */
function konjunktiv(ctx: AttributionContext, scope: SentenceScope): { found: boolean; demnach: boolean } {
	const { tokens } = ctx;
	let found = false;
	let demnach = false;
	for (let k = scope.from; k < scope.to; k++) {
		ctx.steps.count++;
		const t = tokens[k];
		if (!t || inQuote(ctx, k)) continue;
		if (KONJUNKTIV.has(t.lower) && tokens[k - 1]?.lower !== "ich") found = true;
		if (t.lower === "demnach") demnach = true;
	}
	return { found, demnach };
}

/** The sentence's kind, with the speaker taken from the context where the sentence itself names none. */
export function classify(
	ctx: AttributionContext,
	scope: SentenceScope,
	found: SpeakerFinding,
	cues: readonly CueHit[],
	claimQuotes: readonly QuoteSpan[],
	lastSpeaker: LastSpeaker | null,
): { kind: ClaimKind; speaker: SpeakerRef | null; source: SpeakerFinding["source"] } {
	const { speaker, source } = found;
	if (claimQuotes.length > 0) {
		// "…“, hieß es" / "…," said one resident: a verb of saying whose subject names nobody.
		const unnamed = cues.length > 0 && cues.every((c) => c.pronounGender === undefined);
		const context = speaker || unnamed ? null : scope.topic ? refOf(scope.topic) : (lastSpeaker?.ref ?? null);
		if (context) return { kind: "direct-quote", speaker: context, source: "context" };
		return { kind: "direct-quote", speaker, source };
	}
	if (cues.length > 0) return { kind: "reported-speech", speaker, source };
	if (ctx.language !== "de") return { kind: "statement", speaker, source };
	const { found: indirect, demnach } = konjunktiv(ctx, scope);
	if (indirect && demnach && scope.topic)
		return { kind: "reported-speech", speaker: refOf(scope.topic), source: "context" };
	if (indirect && lastSpeaker && scope.si - lastSpeaker.sentence <= 2)
		return { kind: "reported-speech", speaker: lastSpeaker.ref, source: "context" };
	return { kind: "statement", speaker, source };
}
