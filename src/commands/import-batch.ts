import { inArray } from "drizzle-orm";
import { claims } from "../db/schema";
import { claimFingerprint } from "../domain/fingerprint";
import { getRating, ratingsContradict } from "../domain/ratings";
import { foldName } from "../domain/speaker-matching";
import type { SemanticIndex } from "../lib/semantic-index";
import type { ImportRecord } from "../schemas/import-record";
import { type ClaimMatch, findMatchesMany } from "../store/claim-matches";
import { speakerIdsOfClaims } from "../store/claims";
import { type ImportOutcome, importRecords, namedAtImport, recordedSpeakersOf } from "../store/imports";
import { mergedClaimsOf } from "../store/merged-words";
import type { CommandContext } from "./context";

export interface BatchReport {
	outcomes: ImportOutcome[];
}

/** Records whose external id is stored already: the store matches those itself (re-imports stay idempotent). */
async function knownExternalIds(ctx: CommandContext, records: readonly ImportRecord[]): Promise<Set<string>> {
	const ids = records.flatMap((r) => (r.externalId ? [r.externalId] : []));
	const known = new Set<string>();
	for (let i = 0; i < ids.length; i += 90) {
		const rows = await ctx.db
			.select({ externalId: claims.externalId })
			.from(claims)
			.where(inArray(claims.externalId, ids.slice(i, i + 90)));
		for (const row of rows) if (row.externalId) known.add(row.externalId);
	}
	return known;
}

/** A recorded claim the matcher called the same, left unlinked: why, for the record's warnings. */
interface SameClaim {
	id: string | null;
	notLinked?: string;
}

/**
 * Whether the store takes a recorded claim in a record's very words as the record's own
 * (store/imports `#byQuote`, updating it with the record's verdict): one of the speakers its
 * name resolves to (`recordedSpeakersOf`), both of no speaker, or one an import created
 * under the record's name (`namedAtImport`). Those words by no one for a named record, or by
 * someone for a record naming no one, it would record again: they are linked as other words are.
 */
function storesOwn(
	claim: { id: string; speakerId: string | null },
	record: ImportRecord,
	speakers: readonly string[] | null | undefined,
	named: ReadonlyMap<string, string | null>,
): boolean {
	if (named.get(claim.id) === (record.speaker ? foldName(record.speaker.name) : null)) return true;
	if (!record.speaker) return claim.speakerId === null;
	return claim.speakerId !== null && (speakers ?? []).includes(claim.speakerId);
}

/** Per record, the `same` matches in its very words (by fingerprint). */
async function inTheSameWords(
	records: readonly ImportRecord[],
	answers: readonly { matches: readonly ClaimMatch[] }[],
): Promise<Set<string>[]> {
	return Promise.all(
		records.map(async (record, i) => {
			const words = await claimFingerprint(record.claim.text);
			const ids = new Set<string>();
			for (const { relation, claim } of answers[i]?.matches ?? []) {
				if (relation === "same" && (await claimFingerprint(claim.claim.text)) === words)
					ids.add(claim.claim.id);
			}
			return ids;
		}),
	);
}

/**
 * The existing claim each record states in other words, if the matcher calls it the same:
 * a claim of the speaker the record's name resolves to, as the store resolves it (an alias
 * or a spelling the speaker matcher takes, "Sergey Lavrov" for "Sergei Lawrow": comparing
 * the names as written made a second claim of each spelling, all filed under the one
 * speaker), of one of the namesakes when several carry the name, or of no speaker; any
 * claim when the record names no one. And not the very same words of a claim the store
 * takes as the record's own (`storesOwn`: it updates that claim with the record's verdict).
 * All records' matches in a few D1 queries (`findMatchesMany`).
 *
 * Not one whose current verdict contradicts the record's ("True" against our "False"): a
 * link drops the record's verdict, and words the matcher takes for the same ("voted for" /
 * "voted against") are more likely another claim than two fact-checks that far apart. The
 * record is then a claim of its own, with a warning naming the one it resembles; the desk
 * can merge the two.
 */
async function sameClaims(
	ctx: CommandContext,
	semantic: SemanticIndex | null,
	records: readonly ImportRecord[],
): Promise<SameClaim[]> {
	const speakers = await recordedSpeakersOf(ctx.db, records);
	const answers = await findMatchesMany(
		ctx.db,
		semantic,
		// Asked among the speaker's claims (and no one's), not filtered after the first few: the
		// matcher ranks equal scores newest first, so words many speakers said put the
		// speaker's own claim below the others'.
		records.map((record, i) => ({
			text: record.claim.text,
			language: record.claim.language,
			speakerOrNone: speakers[i] ?? undefined,
			limit: 3,
			reviewedOnly: false,
		})),
	);
	const identical = await inTheSameWords(records, answers);
	const named = await namedAtImport(ctx.db, [...new Set(identical.flatMap((ids) => [...ids]))]);
	const same: SameClaim[] = [];
	for (const [i, record] of records.entries()) {
		let found: SameClaim = { id: null };
		const matches = (answers[i]?.matches ?? []).filter((match) => match.relation === "same");
		// The store takes a claim of the record's own in its very words, wherever the matcher
		// ranks it: a newer claim of no speaker in those words, ranked first, is not the one.
		const own = matches.some(
			(match) =>
				identical[i]?.has(match.claim.claim.id) && storesOwn(match.claim.claim, record, speakers[i], named),
		);
		for (const match of own ? [] : matches) {
			const { claim } = match.claim;
			const ours = match.claim.verdict?.rating;
			const theirs = record.verdict?.rating;
			if (ours && theirs && ratingsContradict(ours, theirs)) {
				found.notLinked ??= `Not linked to recorded claim ${match.claim.claim.id}, which reads the same: its verdict (${getRating(ours).labels.en}) contradicts this record's (${getRating(theirs).labels.en}). Recorded as a claim of its own; merge the two on the desk if they are one claim.`;
				continue;
			}
			found = { id: claim.id };
			break;
		}
		same.push(found);
	}
	return same;
}

/**
 * One batch of mapped fact-checks: each record is created, updated (a correction),
 * unchanged, or `linked` — the same claim as a recorded one in other words (the claim
 * matcher, domain/claim-matching), or in the words of a claim merged into it
 * (store/merged-words), whose sources then become appearances of that claim instead of a
 * second claim. All of it is stored all-or-nothing by the store; each audited.
 */
export async function importBatch(
	ctx: CommandContext,
	records: readonly ImportRecord[],
	semantic: SemanticIndex | null = null,
	/** The hosts of our own reviews: another's review never replaces our verdict (store/imports). */
	ownSites: readonly string[] = [],
	/** Each record's position in the client's batch, when invalid ones were left out: reasons name those. */
	positions: readonly number[] = [],
): Promise<BatchReport> {
	const known = await knownExternalIds(ctx, records);
	const unknown = [...records.entries()].filter(([, r]) => !(r.externalId && known.has(r.externalId)));
	const [same, merged] = await Promise.all([
		sameClaims(
			ctx,
			semantic,
			unknown.map(([, record]) => record),
		),
		// The very words of a claim merged away, by its speaker: the claim kept, as for its import id.
		mergedClaimsOf(
			ctx.db,
			unknown.map(([, record]) => ({ text: record.claim.text, speakerName: record.speaker?.name ?? null })),
		),
	]);
	const links: (string | null)[] = records.map(() => null);
	const notLinked = new Map<number, string>();
	for (const [k, [i]] of unknown.entries()) {
		links[i] = merged[k] ?? same[k]?.id ?? null;
		const why = same[k]?.notLinked;
		if (!links[i] && why) notLinked.set(i, why);
	}
	// Linked records are written in the same batch as the rest: their appearances are bulk
	// writes of an import like any other (purged and archived as one event, no webhooks).
	const report = await importRecords(ctx.db, ctx.actor, records, links, ownSites, positions);
	for (const [i, why] of notLinked) {
		const outcome = report.outcomes[i];
		if (outcome?.status === "created") outcome.warnings = [...(outcome.warnings ?? []), why];
	}
	if (report.changedClaims.length > 0 || report.aliasedSpeakers.length > 0) {
		const ofClaims =
			report.changedClaims.length > 0 ? await speakerIdsOfClaims(ctx.db, report.changedClaims) : [];
		// A speaker given a new alias shows it on its page, in its JSON and in the speaker list.
		const speakerIds = [...new Set([...ofClaims, ...report.aliasedSpeakers])];
		ctx.effects.emit({
			type: "claims.imported",
			claimIds: report.changedClaims,
			speakerIds,
			aliasedSpeakerIds: report.aliasedSpeakers,
			createdIds: report.createdClaims,
			urls: report.newUrls,
			verdicts: report.publishedVerdicts,
		});
	}
	return { outcomes: report.outcomes };
}
