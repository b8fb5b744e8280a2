/**
 * A merged claim's words (`retired_claims.text`, with its language, fingerprint, speaker and
 * stems), which keep finding the claim it was merged into. The claim kept's row in the
 * search index reads them (migration 0034: the words in `sources`, the stems in `terms`),
 * the matcher scores a candidate by them as by its own text (store/claim-matches), and an
 * import of the same words by the same speaker is linked to the claim kept (`mergedClaimsOf`),
 * as is one of the words the desk had corrected the merged claim from (its text changes,
 * moved onto the claim kept by the merge, `claim_changes.merged_from`).
 *
 * The rows are written once, by the merge; a merge of the claim kept moves them on with
 * their `merged_into`, and its removal clears them. Their stems and fingerprint are derived:
 * a restore (which leaves `search_terms` out, as for claims) and `npm run reindex` compute
 * them all, a page of rows at a time (a remote restore's finishing calls a few pages each),
 * the daily cron those an older SEARCH_TERMS_VERSION wrote, each write re-indexing the
 * claims kept it concerns. Reads are by `retired_claims_merged_into_idx`,
 * `retired_claims_fingerprint_idx` and the table's rowid.
 */
import { and, asc, eq, isNotNull, type SQL, sql } from "drizzle-orm";
import { claimChanges, claims, retiredClaims, speakerAliases, speakers } from "../db/schema";
import { claimFingerprint } from "../domain/fingerprint";
import { SEARCH_TERMS_MARK, searchTermsOf } from "../domain/search-terms";
import { foldName } from "../domain/speaker-matching";
import type { Db } from "../factory";
import { batchReads, runBatch } from "./batch";
import { fillEarlierTextFingerprints } from "./earlier-texts";

/** The stems a merged claim's words add to the claim kept's `terms`: of the words alone. */
function mergedTerms(text: string, language: string): string {
	return searchTermsOf({ text, language, context: null, headline: null, summary: null });
}

/**
 * What a merge keeps of the duplicate, in its `retired_claims` row: with its speaker's id,
 * the spellings it had (name and aliases), which an import names them by once the merge
 * took a speaker no other claim named off the pages (that row goes; the id leads nowhere).
 */
export function mergedWordsOf(duplicate: {
	text: string;
	language: string;
	fingerprint: string;
	speakerId: string | null;
	speaker: { name: string; aliases: readonly string[] } | null;
}) {
	const { speaker } = duplicate;
	return {
		text: duplicate.text,
		language: duplicate.language,
		fingerprint: duplicate.fingerprint,
		speakerId: duplicate.speakerId,
		speakerNames: speaker ? JSON.stringify([speaker.name, ...speaker.aliases]) : null,
		searchTerms: mergedTerms(duplicate.text, duplicate.language),
	};
}

/** Claim ids a read of merged words binds, as one JSON parameter (about 34 kB). */
const IDS_PER_READ = 2_000;

/** The merged claims' words of these claims kept, by `retired_claims_merged_into_idx`. Unexecuted, for a batch (and EXPLAIN). */
export function mergedWordsRead(db: Db, claimIds: readonly string[]) {
	return db
		.select({
			id: retiredClaims.id,
			into: retiredClaims.mergedInto,
			text: retiredClaims.text,
			language: retiredClaims.language,
		})
		.from(retiredClaims)
		.where(
			and(
				sql`${retiredClaims.mergedInto} IN (SELECT value FROM json_each(${JSON.stringify(claimIds)}))`,
				isNotNull(retiredClaims.text),
			),
		);
}

/** The words of the claims merged into each of these claims, by claim id (one D1 query for up to 200,000 ids). */
export async function mergedWordsInto(
	db: Db,
	claimIds: readonly string[],
): Promise<Map<string, { id: string; text: string; language: string }[]>> {
	const out = new Map<string, { id: string; text: string; language: string }[]>();
	const reads = [];
	for (let i = 0; i < claimIds.length; i += IDS_PER_READ)
		reads.push(mergedWordsRead(db, claimIds.slice(i, i + IDS_PER_READ)));
	for (const row of (await batchReads(db, reads)).flat()) {
		if (!row.into || row.text === null) continue;
		const list = out.get(row.into) ?? [];
		list.push({ id: row.id, text: row.text, language: row.language ?? "de" });
		out.set(row.into, list);
	}
	return out;
}

/**
 * The claim kept for each text, when it is the very words (fingerprint) of a claim merged
 * into it and `speaker` could be that claim's: the duplicate's speaker or the kept claim's
 * by a spelling (name or alias, folded; the duplicate's as its row kept them too, for a
 * speaker gone since), or no speaker when the duplicate had none. Like an
 * import id of a merged claim (store/retired-claims `retiredImportIds`), so an import of a
 * merged duplicate's words is linked, not recorded anew. Left to the import's own matching
 * when a live claim has those words under either speaker. The words the desk corrected
 * the duplicate from count as its words (`mergedEarlierTextsRead`): the publisher's file
 * keeps them. Three reads, any number of texts.
 */
export async function mergedClaimsOf(
	db: Db,
	texts: readonly { text: string; speakerName: string | null }[],
): Promise<(string | null)[]> {
	if (texts.length === 0) return [];
	const fingerprints = await Promise.all(texts.map((t) => claimFingerprint(t.text)));
	// Earlier texts merged before their fingerprints were kept (migration 0047) are found too.
	await fillEarlierTextFingerprints(db);
	const unique = [...new Set(fingerprints)];
	// Not one D1 batch: a batch's rows are mapped by column name, and both reads name two `speaker_id`s.
	const [words, earlier] = await Promise.all([
		mergedByFingerprintRead(db, unique),
		mergedEarlierTextsRead(db, unique),
	]);
	// A duplicate's last words before the texts it was corrected from.
	const rows = [...words, ...earlier];
	return keptClaimsOf(
		db,
		rows,
		texts.map((t, i) => ({
			fingerprint: fingerprints[i] ?? "",
			speaker: t.speakerName === null ? null : { id: null, name: t.speakerName },
		})),
	);
}

/** A merged claim's row as `mergedByFingerprintRead` reads it. */
export type MergedRow = Awaited<ReturnType<typeof mergedByFingerprintRead>>[number];

/**
 * The claim kept for each fingerprint said by `speaker`, among these rows (`mergedClaimsOf`'s
 * rule): a speaker by id is the duplicate's or the kept claim's, a name one of their spellings;
 * null is no speaker. Reads the speakers' spellings only for a name, and only when a row is there.
 */
export async function keptClaimsOf(
	db: Db,
	rows: readonly MergedRow[],
	texts: readonly { fingerprint: string; speaker: { id: string | null; name: string | null } | null }[],
): Promise<(string | null)[]> {
	if (rows.length === 0) return texts.map(() => null);
	const named = texts.map((t) => (t.speaker && t.speaker.name !== null ? foldName(t.speaker.name) : null));
	const spellings = named.some((name) => name !== null)
		? await spellingsOf(
				db,
				rows.flatMap((r) => [r.speakerId, r.keptSpeakerId].filter((id): id is string => id !== null)),
			)
		: new Map<string, Set<string>>();
	const spelledBy = (row: MergedRow, name: string) =>
		keptSpellings(row.speakerNames).has(name) ||
		[row.speakerId, row.keptSpeakerId].some((id) => id !== null && spellings.get(id)?.has(name));
	return texts.map((t, i) => {
		const { speaker } = t;
		const name = named[i] ?? null;
		const row = rows.find(
			(r) =>
				r.fingerprint === t.fingerprint &&
				(speaker === null
					? r.speakerId === null
					: (speaker.id !== null && (r.speakerId === speaker.id || r.keptSpeakerId === speaker.id)) ||
						(name !== null && spelledBy(r, name))),
		);
		return row?.mergedInto ?? null;
	});
}

/** The spellings a merged claim's row kept of its speaker (`speaker_names`), folded. */
function keptSpellings(names: string | null): Set<string> {
	if (names === null) return new Set();
	try {
		const list: unknown = JSON.parse(names);
		return new Set(
			Array.isArray(list) ? list.filter((n): n is string => typeof n === "string").map(foldName) : [],
		);
	} catch {
		return new Set();
	}
}

/**
 * Merged claims with these fingerprints, their speaker and their claim kept's, by
 * `retired_claims_fingerprint_idx`; not those whose words a live claim of either speaker
 * has (`claims_fingerprint_idx`). Unexecuted, for EXPLAIN.
 */
export function mergedByFingerprintRead(db: Db, fingerprints: readonly string[]) {
	return db
		.select({
			fingerprint: retiredClaims.fingerprint,
			// Aliased: a D1 batch maps rows by column name, and both tables' are `speaker_id`
			// (findDuplicate batches this read: the merged claim's speaker read as the kept one's).
			speakerId: sql<string | null>`${retiredClaims.speakerId}`.as("merged_speaker_id"),
			speakerNames: retiredClaims.speakerNames,
			mergedInto: retiredClaims.mergedInto,
			keptSpeakerId: sql<string | null>`${claims.speakerId}`.as("kept_speaker_id"),
		})
		.from(retiredClaims)
		.innerJoin(claims, eq(claims.id, retiredClaims.mergedInto))
		.where(
			and(
				sql`${retiredClaims.fingerprint} IN (SELECT value FROM json_each(${JSON.stringify(fingerprints)}))`,
				sql`NOT EXISTS (SELECT 1 FROM ${claims} AS live WHERE live.fingerprint = ${retiredClaims.fingerprint} AND (live.speaker_id IS ${retiredClaims.speakerId} OR live.speaker_id IS ${claims.speakerId}))`,
			),
		)
		.orderBy(asc(retiredClaims.createdAt));
}

/**
 * As `mergedByFingerprintRead`, by the texts the desk corrected merged claims from: their
 * `claim_changes` rows, which the merge moved onto the claim kept marked `merged_from`
 * (store/claim-merges), with the merged claim's speaker from its `retired_claims` row. By
 * `claim_changes_from_fingerprint_idx` and the two tables' keys. Unexecuted, for EXPLAIN.
 */
export function mergedEarlierTextsRead(db: Db, fingerprints: readonly string[]) {
	return db
		.select({
			fingerprint: claimChanges.fromFingerprint,
			// Aliased as in mergedByFingerprintRead, so it can go in a D1 batch too.
			speakerId: sql<string | null>`${retiredClaims.speakerId}`.as("merged_speaker_id"),
			speakerNames: retiredClaims.speakerNames,
			mergedInto: claimChanges.claimId,
			keptSpeakerId: sql<string | null>`${claims.speakerId}`.as("kept_speaker_id"),
		})
		.from(claimChanges)
		.innerJoin(retiredClaims, eq(retiredClaims.id, claimChanges.mergedFrom))
		.innerJoin(claims, eq(claims.id, claimChanges.claimId))
		.where(
			and(
				sql`${claimChanges.fromFingerprint} IN (SELECT value FROM json_each(${JSON.stringify(fingerprints)}))`,
				isNotNull(claimChanges.mergedFrom),
				sql`NOT EXISTS (SELECT 1 FROM ${claims} AS live WHERE live.fingerprint = ${claimChanges.fromFingerprint} AND (live.speaker_id IS ${retiredClaims.speakerId} OR live.speaker_id IS ${claims.speakerId}))`,
			),
		)
		.orderBy(asc(retiredClaims.createdAt), asc(claimChanges.id));
}

/** Each speaker's spellings (name and aliases), folded. */
async function spellingsOf(db: Db, speakerIds: readonly string[]): Promise<Map<string, Set<string>>> {
	const out = new Map<string, Set<string>>();
	const ids = [...new Set(speakerIds)];
	if (ids.length === 0) return out;
	const rows = await db
		.select({ id: speakers.id, name: speakers.name, alias: speakerAliases.alias })
		.from(speakers)
		.leftJoin(speakerAliases, eq(speakerAliases.speakerId, speakers.id))
		.where(sql`${speakers.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
	for (const row of rows) {
		const set = out.get(row.id) ?? new Set<string>();
		set.add(foldName(row.name));
		if (row.alias) set.add(foldName(row.alias));
		out.set(row.id, set);
	}
	return out;
}

/** The merge's audit row of the retired claim in the UPDATE (its `merged` copy): by the duplicate's `merged-into` row. */
const mergeCopy = sql.raw(
	`(SELECT a.changes -> '$.merged' FROM audit_log d JOIN audit_log a ON a.entity = 'claim' AND a.entity_id = d.changes ->> '$.into' AND a.action = 'merge' AND a.changes ->> '$.mergedFrom' = retired_claims.id WHERE d.entity = 'claim' AND d.entity_id = retired_claims.id AND d.action = 'merged-into' LIMIT 1)`,
);

/**
 * As migrations 0034 and 0036 did, for a restore of a backup made before them (its
 * `retired_claims` lines lack the columns): the words of claims merged before 0034 kept
 * them, and the spelling of the speaker of those merged before 0035 (`speaker_names`), from
 * their merges' audit rows. Whatever a row holds already stays. Only the rows of `page`.
 */
function backfillFromAudit(db: Db, page: SQL) {
	const words = sql`${retiredClaims.text} IS NULL`;
	const name = sql`${mergeCopy} ->> '$.speaker.name'`;
	return db
		.update(retiredClaims)
		.set({
			text: sql`CASE WHEN ${words} THEN ${mergeCopy} ->> '$.text' ELSE ${retiredClaims.text} END`,
			language: sql`CASE WHEN ${words} THEN ${mergeCopy} ->> '$.language' ELSE ${retiredClaims.language} END`,
			speakerId: sql`CASE WHEN ${words} THEN ${mergeCopy} ->> '$.speaker.id' ELSE ${retiredClaims.speakerId} END`,
			speakerNames: sql`coalesce(${retiredClaims.speakerNames}, CASE WHEN ${name} IS NOT NULL THEN json_array(${name}) END)`,
		})
		.where(
			and(
				sql`${retiredClaims}.rowid IN ${page}`,
				isNotNull(retiredClaims.mergedInto),
				sql`((${words} AND (${mergeCopy} ->> '$.text') IS NOT NULL) OR (${retiredClaims.speakerId} IS NOT NULL AND ${retiredClaims.speakerNames} IS NULL))`,
			),
		);
}

/** Merged rows a page of `refreshMergedPage` reads (and the cron's pages). */
const MERGED_PAGE = 200;

/** The fingerprint and stems of each row's words, where they differ from what it holds. */
async function staleMergedTerms(
	rows: readonly {
		id: string;
		text: string | null;
		language: string | null;
		fingerprint: string | null;
		searchTerms: string | null;
	}[],
): Promise<[string, string, string][]> {
	const stale: [string, string, string][] = [];
	for (const row of rows) {
		if (row.text === null) continue;
		const fingerprint = await claimFingerprint(row.text);
		const terms = mergedTerms(row.text, row.language ?? "de");
		if (fingerprint !== row.fingerprint || terms !== row.searchTerms)
			stale.push([row.id, fingerprint, terms]);
	}
	return stale;
}

/**
 * One page of every merged row, `limit` rows of `retired_claims` in rowid order after `after`
 * (0 at first): the words and speaker an older backup lacked taken from the audit log
 * (`backfillFromAudit`), then the fingerprints and stems computed, those that differ written
 * and their claims kept re-indexed. Two D1 queries at most, whatever the archive holds (the restore's
 * finishing calls go on from `next`, a page at a time); null `next` after the last row.
 */
export async function refreshMergedPage(
	db: Db,
	after: number,
	limit = MERGED_PAGE,
): Promise<{ next: number | null; changed: number }> {
	const page = sql`(SELECT rowid FROM ${retiredClaims} WHERE rowid > ${after} ORDER BY rowid LIMIT ${limit})`;
	const [, rows] = await db.batch([
		backfillFromAudit(db, page),
		db
			.select({
				rowid: sql<number>`${retiredClaims}.rowid`,
				id: retiredClaims.id,
				mergedInto: retiredClaims.mergedInto,
				text: retiredClaims.text,
				language: retiredClaims.language,
				fingerprint: retiredClaims.fingerprint,
				searchTerms: retiredClaims.searchTerms,
			})
			.from(retiredClaims)
			.where(sql`${retiredClaims}.rowid > ${after}`)
			.orderBy(sql`${retiredClaims}.rowid`)
			.limit(limit),
	]);
	const stale = await staleMergedTerms(rows.filter((row) => row.mergedInto !== null));
	await writeMergedTerms(db, stale);
	const last = rows.at(-1);
	return { next: last && rows.length === limit ? last.rowid : null, changed: stale.length };
}

/**
 * Every merged row's fingerprint and stems (a restore from a file, `npm run reindex`), a
 * page after another: `refreshMergedPage` to the end. Returns how many rows changed.
 */
export async function reindexMergedWords(db: Db): Promise<number> {
	let changed = 0;
	for (let after: number | null = 0; after !== null; ) {
		const page = await refreshMergedPage(db, after);
		changed += page.changed;
		after = page.next;
	}
	return changed;
}

/* Merged rows whose stems an older version wrote, or none has yet. */
const olderTerms = sql`coalesce(substr(${retiredClaims.searchTerms}, 1, ${SEARCH_TERMS_MARK.length}), '') <> ${SEARCH_TERMS_MARK}`;

/**
 * The fingerprints and stems of merged claims' words an older version of the terms wrote, or
 * none has yet (the daily cron), at most `budget` rows, written where they differ and their
 * claims kept re-indexed. Returns how many rows changed.
 */
export async function refreshMergedWords(db: Db, budget: number): Promise<number> {
	let after = "";
	let read = 0;
	let changed = 0;
	while (read < budget) {
		const rows = await db
			.select({
				id: retiredClaims.id,
				text: retiredClaims.text,
				language: retiredClaims.language,
				fingerprint: retiredClaims.fingerprint,
				searchTerms: retiredClaims.searchTerms,
			})
			.from(retiredClaims)
			.where(
				and(
					isNotNull(retiredClaims.mergedInto),
					isNotNull(retiredClaims.text),
					sql`${retiredClaims.id} > ${after}`,
					olderTerms,
				),
			)
			.orderBy(asc(retiredClaims.id))
			.limit(Math.min(MERGED_PAGE, budget - read));
		read += rows.length;
		const stale = await staleMergedTerms(rows);
		await writeMergedTerms(db, stale);
		changed += stale.length;
		const last = rows.at(-1);
		if (!last || rows.length < MERGED_PAGE) break;
		after = last.id;
	}
	return changed;
}

/** Writes fingerprints and stems (`[id, fingerprint, terms]`), then re-indexes the claims kept. */
async function writeMergedTerms(db: Db, rows: readonly [string, string, string][]) {
	if (rows.length === 0) return;
	const list = JSON.stringify(rows);
	const ids = sql`(SELECT value ->> '$[0]' FROM json_each(${list}))`;
	// Named in full: json_each has an `id` column of its own.
	const field = (n: 1 | 2) =>
		sql`(SELECT value ->> ${sql.raw(`'$[${n}]'`)} FROM json_each(${list}) WHERE value ->> '$[0]' = retired_claims.id)`;
	await runBatch(db, [
		db
			.update(retiredClaims)
			.set({ fingerprint: field(1), searchTerms: field(2) })
			// A removal of the claim kept meanwhile cleared the words: it stays cleared.
			.where(and(sql`${retiredClaims.id} IN ${ids}`, isNotNull(retiredClaims.text))),
		// Writing search_terms to itself re-indexes a claim (its FTS trigger), now with these stems.
		db
			.update(claims)
			.set({ searchTerms: sql`${claims.searchTerms}` })
			.where(
				sql`${claims.id} IN (SELECT merged_into FROM ${retiredClaims} WHERE ${retiredClaims.id} IN ${ids})`,
			),
	]);
}
