import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { Speaker } from "../db/schema";
import { auditLog, claims, speakerAliases, speakerRedirects, speakers } from "../db/schema";
import { newId } from "../domain/ids";
import { LAYOUT_HINT_CHARACTERS } from "../domain/plain-text";
import { speakerSlug, uniqueSlug } from "../domain/slug";
import { foldName, searchKeyMatches, searchKeyOf, umlautlessKeys } from "../domain/speaker-matching";
import type { Db } from "../factory";
import type { SpeakerInput } from "../schemas/records";
import { type Actor, audit, chunkForInsert, idChunks, runBatch, type Statement } from "./batch";
import { type Page, speakerHasPublicClaim } from "./public-claims";

export interface SpeakerWithAliases extends Speaker {
	aliases: string[];
	/**
	 * Those of `aliases` that came with a merged speaker no reviewed claim named: never public
	 * under `PUBLIC_UNREVIEWED = "hide"` (views/speaker-json `publicAliases`). Absent: none.
	 */
	unreviewedAliases?: string[];
}

export interface PlannedSpeaker {
	id: string;
	slug: string;
	statements: Statement[];
}

/** Aliases to store: the name itself plus every other spelling, one per folded form. */
export function aliasRows(speakerId: string, name: string, aliases: readonly string[]) {
	const seen = new Set<string>();
	const rows: { id: string; speakerId: string; alias: string; normalized: string }[] = [];
	for (const alias of [name, ...aliases]) {
		const normalized = foldName(alias);
		if (!normalized || seen.has(normalized)) continue;
		seen.add(normalized);
		rows.push({ id: newId(), speakerId, alias: alias.trim(), normalized });
	}
	return rows;
}

/**
 * The slugs a new speaker's `uniqueSlug` could collide with: each base and every slug
 * `base-…` of a speaker, or of a merged one (its slug answers 301 to the survivor, and must
 * go on doing so), as one index range each (`base` ≤ slug < `base.`: slugs are
 * `[a-z0-9-]`, so that is `base` and `base-…` and nothing else) for all bases in one
 * statement (the bases are one JSON parameter). Not `GLOB 'base-[0-9]*'`: D1 refuses a LIKE
 * or GLOB pattern over 50 bytes, and slugs run to 80 characters. The range may hold slugs
 * that are no `base-<n>` ("base-foo"): taken too, which only skips a name no one would get.
 */
export async function slugsTaken(db: Db, bases: readonly string[]): Promise<Set<string>> {
	if (bases.length === 0) return new Set(RESERVED_SPEAKER_SLUGS);
	const list = JSON.stringify(bases);
	const family = (table: typeof speakers | typeof speakerRedirects) =>
		sql`SELECT t.slug AS slug FROM json_each(${list}) AS b JOIN ${table} AS t ON t.slug >= b.value AND t.slug < b.value || '.'`;
	const rows = await db.all<{ slug: string }>(sql`${family(speakers)} UNION ALL ${family(speakerRedirects)}`);
	return new Set([...RESERVED_SPEAKER_SLUGS, ...rows.map((row) => row.slug)]);
}

/**
 * Slugs no new speaker gets: the segments routes use under `/desk/speakers/` (the type-ahead,
 * `/desk/speakers/search`, is mounted before the speaker pages, so a speaker "Search" had no
 * desk page). `/speakers/` and `/api/v1/speakers/` have no such segment. A speaker given one
 * before keeps it: the type-ahead passes a request without `q` on to its page.
 */
const RESERVED_SPEAKER_SLUGS: readonly string[] = ["search"];

/**
 * Re-indexes these speakers' claims, once each: their search entries hold the speaker's
 * name and every spelling. The last statement of a batch that changed spellings of a
 * speaker with claims: a spelling row no longer re-indexes them itself (migration 0017),
 * which cost k × claims entries for k spellings. Writing the name fires
 * claims_fts_speaker_update.
 */
export function reindexSpeakers(db: Db, speakerIds: readonly string[]): Statement[] {
	return idChunks(speakerIds).map((ids) =>
		db
			.update(speakers)
			.set({ name: sql`${speakers.name}` })
			.where(inArray(speakers.id, ids)),
	);
}

export async function planSpeaker(db: Db, actor: Actor, input: SpeakerInput): Promise<PlannedSpeaker> {
	const id = newId();
	const base = speakerSlug(input.name);
	const taken = await slugsTaken(db, [base]);
	const slug = uniqueSlug(base, (s) => taken.has(s));
	const row = {
		id,
		name: input.name,
		slug,
		kind: input.kind,
		description: input.description,
		wikidataId: input.wikidataId,
		createdBy: actor.userId,
	};
	const aliases = aliasRows(id, input.name, input.aliases);
	return {
		id,
		slug,
		statements: [
			db.insert(speakers).values(row),
			...chunkForInsert(speakerAliases, aliases).map((chunk) => db.insert(speakerAliases).values(chunk)),
			audit(db, actor, "create", "speaker", id, { ...row, aliases: aliases.map((a) => a.alias) }),
		],
	};
}

export async function createSpeaker(db: Db, actor: Actor, input: SpeakerInput): Promise<SpeakerWithAliases> {
	const plan = await planSpeaker(db, actor, input);
	await runBatch(db, plan.statements);
	const created = await getSpeaker(db, plan.id);
	if (!created) throw new Error("speaker vanished after insert");
	return created;
}

/** The speakers with their aliases: one D1 round trip however many (≤ 90 ids a statement). */
async function withAliases(db: Db, rows: Speaker[]): Promise<SpeakerWithAliases[]> {
	const [first, ...rest] = idChunks(rows.map((r) => r.id)).map((ids) =>
		db
			.select({
				speakerId: speakerAliases.speakerId,
				alias: speakerAliases.alias,
				wasPublic: speakerAliases.wasPublic,
			})
			.from(speakerAliases)
			.where(inArray(speakerAliases.speakerId, ids))
			.orderBy(asc(speakerAliases.alias)),
	);
	if (!first) return [];
	// A speaker's aliases are all in its own chunk's result, in order.
	const bySpeaker = new Map<string, { alias: string; wasPublic: boolean }[]>();
	for (const { speakerId, ...alias } of (await db.batch([first, ...rest])).flat()) {
		bySpeaker.set(speakerId, [...(bySpeaker.get(speakerId) ?? []), alias]);
	}
	return rows.map((row) => {
		const aliases = (bySpeaker.get(row.id) ?? []).filter(({ alias }) => alias !== row.name);
		const unreviewed = aliases.filter((a) => !a.wasPublic).map((a) => a.alias);
		return {
			...row,
			aliases: aliases.map((a) => a.alias),
			...(unreviewed.length ? { unreviewedAliases: unreviewed } : {}),
		};
	});
}

export async function getSpeaker(db: Db, id: string): Promise<SpeakerWithAliases | undefined> {
	const row = await db.query.speakers.findFirst({ where: eq(speakers.id, id) });
	return row ? (await withAliases(db, [row]))[0] : undefined;
}

export async function getSpeakerBySlug(db: Db, slug: string): Promise<SpeakerWithAliases | undefined> {
	const row = await db.query.speakers.findFirst({ where: eq(speakers.slug, slug) });
	return row ? (await withAliases(db, [row]))[0] : undefined;
}

/** Public speakers by slug, a keyset page at a time (`next` is null on the last page). */
export async function listSpeakers(
	db: Db,
	options: { limit: number; after?: Page; reviewedOnly?: boolean },
): Promise<{ rows: SpeakerWithAliases[]; next: Page }> {
	const after =
		options.after?.kind === "keyset" && typeof options.after.value === "string" ? options.after.value : null;
	const rows = await db
		.select()
		.from(speakers)
		.where(
			and(
				after ? sql`${speakers.slug} > ${after}` : undefined,
				speakerHasPublicClaim(options.reviewedOnly ?? false),
			),
		)
		.orderBy(asc(speakers.slug))
		.limit(options.limit + 1);
	const page = rows.slice(0, options.limit);
	const last = page.at(-1);
	return {
		rows: await withAliases(db, page),
		next: rows.length > options.limit && last ? { kind: "keyset", value: last.slug, seq: 1 } : null,
	};
}

/**
 * Speakers whose name or alias matches a query: exact folded spelling first,
 * then word-prefix matches ("lawr" → Lawrow), for type-ahead and matching.
 */
export async function searchSpeakers(db: Db, query: string, limit = 10): Promise<SpeakerWithAliases[]> {
	const folded = foldName(query);
	if (!folded) return [];
	// "mueller" also finds "Müller" (kept as "muller"): a suggestion, so no confirming here. A
	// query pasted with a soft hyphen also looks for the name without it.
	const keys = [...new Set([folded, searchKeyOf(query), ...umlautlessKeys(folded)])];
	// A word of the spelling starts with the query: `instr`, not GLOB, whose pattern D1
	// refuses past 50 bytes ("Bundesministerium für Wirtschaft und Klimaschutz" is 48 and
	// needs three more; Cyrillic and Hangul take two and three bytes a letter).
	const stored = or(
		inArray(speakerAliases.normalized, keys),
		...keys.map((key) => sql`instr(' ' || ${speakerAliases.normalized}, ${` ${key}`}) > 0`),
	);
	// A spelling stored with a layout hint ("Gutten\u00ADberg") has a word break in its key
	// ("gutten berg") that its search key has not: one whose key, spaces left out, holds the
	// query's is a candidate, confirmed by its search key (domain/speaker-matching `searchKeyOf`).
	const hinted = and(
		or(...LAYOUT_HINT_CHARACTERS.map((hint) => sql`instr(${speakerAliases.alias}, ${hint}) > 0`)),
		or(
			...keys.map(
				(key) => sql`instr(replace(${speakerAliases.normalized}, ' ', ''), ${key.replaceAll(" ", "")}) > 0`,
			),
		),
	);
	const rows = await db
		.selectDistinct({
			speaker: speakers,
			toConfirm: sql<string | null>`CASE WHEN ${stored} THEN NULL ELSE ${speakerAliases.alias} END`,
		})
		.from(speakerAliases)
		.innerJoin(speakers, eq(speakers.id, speakerAliases.speakerId))
		.where(or(stored, hinted))
		.orderBy(sql`${speakerAliases.normalized} = ${folded} DESC`, asc(speakers.name))
		.limit(limit * 3);
	const unique = new Map<string, Speaker>();
	for (const { speaker, toConfirm } of rows) {
		if (toConfirm !== null && !keys.some((key) => searchKeyMatches(toConfirm, key))) continue;
		if (!unique.has(speaker.id)) unique.set(speaker.id, speaker);
	}
	return withAliases(db, [...unique.values()].slice(0, limit));
}

/**
 * People with all their aliases for the claim extractor (names the article may use): the
 * `limit` quoted most recently (newest claim first, then the newest speakers), so a large
 * newsroom's extractor knows who is in the news. The limit was on joined rows, without an
 * order: past it, arbitrary speakers and some of a speaker's aliases went missing.
 */
export async function knownSpeakersForExtraction(
	db: Db,
	limit = 5_000,
): Promise<{ id: string; name: string; aliases: string[] }[]> {
	// max(seq) of a speaker's claims is one seek in claims_speaker_idx (its rowid is seq).
	const recency = [
		sql`(SELECT max(${claims.seq}) FROM ${claims} WHERE ${claims.speakerId} = ${speakers.id}) DESC NULLS LAST`,
		sql`${speakers}.rowid DESC`,
	];
	const chosen = db
		.select({ id: speakers.id })
		.from(speakers)
		.where(sql`${speakers.kind} = 'person'`)
		.orderBy(...recency)
		.limit(limit);
	// In the same order: the extractor prefers the earlier of two people a name could mean.
	const rows = await db
		.select({ id: speakers.id, name: speakers.name, alias: speakerAliases.alias })
		.from(speakers)
		.leftJoin(speakerAliases, eq(speakerAliases.speakerId, speakers.id))
		.where(inArray(speakers.id, chosen))
		.orderBy(...recency, asc(speakerAliases.alias));
	const byId = new Map<string, { id: string; name: string; aliases: string[] }>();
	for (const row of rows) {
		const entry = byId.get(row.id) ?? { id: row.id, name: row.name, aliases: [] };
		if (row.alias && row.alias !== row.name) entry.aliases.push(row.alias);
		byId.set(row.id, entry);
	}
	return [...byId.values()];
}

/**
 * A speaker no claim names any more, after the claim's delete: it goes with its redirects.
 * After a removal its audit rows (its name, its aliases) get `redacted` as their changes:
 * the claim may have named a private individual. For a removal's or a merge's batch.
 */
export function loneSpeakerGoes(db: Db, speakerId: string, redacted: string | null): Statement[] {
	const alone = sql`NOT EXISTS (SELECT 1 FROM ${claims} WHERE ${claims.speakerId} = ${speakerId})`;
	return [
		...(redacted !== null
			? [
					db
						.update(auditLog)
						.set({ changes: redacted })
						.where(and(eq(auditLog.entity, "speaker"), eq(auditLog.entityId, speakerId), alone)),
				]
			: []),
		db.delete(speakerRedirects).where(and(eq(speakerRedirects.speakerId, speakerId), alone)),
		db.delete(speakers).where(and(eq(speakers.id, speakerId), alone)),
	];
}
