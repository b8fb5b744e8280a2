/**
 * Records of one claim with different verdicts across a whole import file. The server
 * refuses the later of two such records only within one request (store/imports: "same claim
 * as record N of this batch"); `npm run import` sends a file in many requests, where the two
 * would each publish a correction over the other on every run of the unchanged file. So the
 * CLI keeps, for the whole run, the first verdict of each claim and refuses a later record
 * of the claim with another verdict itself, naming the earlier record's line.
 *
 * "One claim" and "another verdict" are the server's: the same `externalId`, or the same
 * quote (claim fingerprint) by a speaker the earlier record's name could be
 * (domain/speaker-matching, as the server's `couldBe`), or both without a speaker; verdicts
 * compared by store/imports `comparableVerdict`. The server resolves speakers against its
 * own directory too, which the file cannot know: a pair only it finds is still refused
 * within a request, and the reason is then rewritten to name the file's line (`fileReason`).
 */
import { createHash } from "node:crypto";
import type { SpeakerKind } from "../../src/db/schema";
import { claimFingerprint } from "../../src/domain/fingerprint";
import { createSpeakerMatcher } from "../../src/domain/speaker-matching";
import type { ImportRecord } from "../../src/schemas/import-record";
import { comparableVerdict, snapshotOf } from "../../src/store/imports";

/** Where a record is in the file, for people reading the rejected file. */
export interface FilePlace {
	line?: number;
	index: number;
}

function describePlace(place: FilePlace): string {
	return place.line !== undefined ? `line ${place.line} of the file` : `item ${place.index} of the file`;
}

/** The first verdict of a claim in the file: where it is, its digest and who said it. */
interface Entry {
	place: string;
	verdict: string;
	speaker: { name: string; kind: SpeakerKind } | null;
}

/** Short digests keep the map of a file of a million records within a few hundred MB at worst. */
const digest = (text: string) => createHash("sha256").update(text).digest("base64").slice(0, 22);

export class VerdictConflicts {
	readonly #byId = new Map<string, Entry>();
	/** By claim fingerprint: the first verdict of each speaker's claim in those words. */
	readonly #byFingerprint = new Map<string, Entry[]>();

	/**
	 * Why the record is refused, when an earlier record of the file gave its claim another
	 * verdict; otherwise null, and its verdict is remembered if it is its claim's first.
	 * Called for every record in file order, also those an earlier run did (a resumed run
	 * decides as a whole one).
	 */
	async check(record: ImportRecord, place: FilePlace): Promise<string | null> {
		const snapshot = snapshotOf(record);
		if (!snapshot) return null;
		const verdict = digest(comparableVerdict(snapshot));
		const fingerprint = (await claimFingerprint(record.claim.text)).slice(0, 32);
		const id = record.externalId;
		const name = record.speaker?.name;
		// As the server's couldBe: the record's name could be the earlier record's speaker.
		const sameSpeaker = (entry: Entry) =>
			entry.speaker && name !== undefined
				? createSpeakerMatcher([{ id: "earlier", aliases: [], ...entry.speaker }])(name) !== null
				: !entry.speaker && name === undefined;
		const byText = this.#byFingerprint.get(fingerprint) ?? [];
		const byId = id !== undefined ? this.#byId.get(id) : undefined;
		const earlier = byId ?? byText.find(sameSpeaker);
		if (earlier && earlier.verdict !== verdict)
			return `same claim as ${earlier.place}, with a different verdict (the first record of a claim with a verdict decides, on every run)`;
		if (id !== undefined && !byId) {
			// A new id in known words is the claim of those words on the server too.
			const entry = earlier ?? this.#entry(place, verdict, record);
			this.#byId.set(id, entry);
			if (!earlier) this.#byFingerprint.set(fingerprint, [...byText, entry]);
		} else if (!earlier)
			this.#byFingerprint.set(fingerprint, [...byText, this.#entry(place, verdict, record)]);
		return null;
	}

	#entry(place: FilePlace, verdict: string, record: ImportRecord): Entry {
		const speaker = record.speaker ? { name: record.speaker.name, kind: record.speaker.kind } : null;
		return { place: describePlace(place), verdict, speaker };
	}
}

const BATCH_RECORD = /\brecord (\d+) of this batch\b/g;

/**
 * A server's reason with "record N of this batch" (a position in one request) put as the
 * file's place of that record, as the rejected file's own line and index fields are.
 */
export function fileReason(reason: string, places: readonly FilePlace[]): string {
	return reason.replace(BATCH_RECORD, (text, n: string) => {
		const place = places[Number(n)];
		return place ? describePlace(place) : text;
	});
}

/** Record positions in a reason about the second half of a split batch, as positions in the whole. */
export function shiftBatchRecords(reason: string, by: number): string {
	return reason.replace(BATCH_RECORD, (_, n: string) => `record ${Number(n) + by} of this batch`);
}
