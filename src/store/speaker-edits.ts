import { and, eq, inArray, sql } from "drizzle-orm";
import {
	auditLog,
	batchGuards,
	claims,
	retiredClaims,
	speakerAliases,
	speakerRedirects,
	speakers,
} from "../db/schema";
import { slugify, speakerSlug, uniqueSlug } from "../domain/slug";
import { foldName } from "../domain/speaker-matching";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { AppError, conflict, notFound } from "../lib/errors";
import { MAX_SPEAKER_ALIASES, type SpeakerEdit, type SpeakerInput } from "../schemas/records";
import { type Actor, audit, chunkForInsert, guardOneRow, idChunks, runBatch, type Statement } from "./batch";
import { touchClaimsOfSpeaker } from "./public-changes";
import { reviewed, speakerHasPublicClaim } from "./public-claims";
import { aliasRows, getSpeaker, getSpeakerBySlug, type SpeakerWithAliases, slugsTaken } from "./speakers";

/**
 * The speaker an old slug (a merged speaker's, or one a rename dropped) leads to. For a
 * public read (`publicRead`) only one that is public now (`speakerHasPublicClaim`): a 301 to
 * a speaker no public claim names any more led to a 404. With `reviewedOnly`
 * (PUBLIC_UNREVIEWED = "hide") only the slug of one that was public at the merge does: one
 * known only from unreviewed claims was never public, and its slug says nothing, as a merged
 * claim's does not. Writes and the desk follow it wherever it leads.
 */
export async function speakerRedirect(
	db: Db,
	slug: string,
	publicRead?: { reviewedOnly: boolean },
): Promise<string | null> {
	const row = await db
		.select({ slug: speakers.slug })
		.from(speakerRedirects)
		.innerJoin(speakers, eq(speakers.id, speakerRedirects.speakerId))
		.where(
			and(
				eq(speakerRedirects.slug, slug),
				publicRead ? speakerHasPublicClaim(publicRead.reviewedOnly) : undefined,
				publicRead?.reviewedOnly ? eq(speakerRedirects.wasPublic, true) : undefined,
			),
		)
		.limit(1);
	return row[0]?.slug ?? null;
}

/**
 * Whether a speaker holding a slug now took it by a rename after a time: its first edit since
 * that moved its slug (the audit row's `before.slug` and `after.slug` differ) moved it from
 * another, not from this slug (held then: renamed away and back, it is still the one) nor
 * from `ownFrom` (the rename the delivery is itself of, however the clocks of D1 and the
 * Worker differ). A webhook delivery recorded before about that slug was then about the
 * speaker who held it (gone with a merged claim, say), not this one. By
 * `audit_log_entity_idx`.
 */
export async function tookSlugSince(
	db: Db,
	speakerId: string,
	slug: string,
	since: string,
	ownFrom?: string,
): Promise<boolean> {
	const [first] = await db
		.select({ from: sql<string | null>`${auditLog.changes} ->> '$.before.slug'` })
		.from(auditLog)
		.where(
			and(
				eq(auditLog.entity, "speaker"),
				eq(auditLog.entityId, speakerId),
				eq(auditLog.action, "edit"),
				sql`${auditLog.at} > ${since}`,
				sql`coalesce(${auditLog.changes} ->> '$.before.slug', '') <> coalesce(${auditLog.changes} ->> '$.after.slug', '')`,
			),
		)
		.orderBy(auditLog.at, sql`${auditLog}.rowid`)
		.limit(1);
	return first !== undefined && first.from !== slug && first.from !== (ownFrom ?? slug);
}

/**
 * The name a speaker merged away under a slug had at its merge, read from the merge's audit
 * row (`merged`), which sits on the survivor of then: `survivorId` (where the slug leads now)
 * or a speaker merged into it since, followed down the merges by `audit_log_entity_idx`
 * (CROSS JOIN: each speaker's rows, never every speaker's).
 * Null when no merge took the slug (a rename moved it).
 */
export async function nameMergedUnder(db: Db, slug: string, survivorId: string): Promise<string | null> {
	const row = await db.get<{ name: string | null }>(sql`
		WITH RECURSIVE kept(id) AS (
			SELECT ${survivorId}
			UNION SELECT merge.changes ->> '$.merged.id' FROM kept CROSS JOIN ${auditLog} AS merge
				ON merge.entity = 'speaker' AND merge.entity_id = kept.id AND merge.action = 'merge'
		)
		SELECT merge.changes ->> '$.merged.name' AS name FROM kept CROSS JOIN ${auditLog} AS merge
			ON merge.entity = 'speaker' AND merge.entity_id = kept.id
		WHERE merge.action = 'merge' AND merge.changes ->> '$.merged.slug' = ${slug}
		ORDER BY merge.id DESC LIMIT 1`);
	return row?.name ?? null;
}

/** Whether a merged speaker's slug was public at its merge where unreviewed claims are hidden. */
export async function mergedSpeakerWasPublic(db: Db, slug: string): Promise<boolean> {
	const row = await db.query.speakerRedirects.findFirst({
		where: eq(speakerRedirects.slug, slug),
		columns: { wasPublic: true },
	});
	return row?.wasPublic ?? false;
}

/**
 * A speaker's batch, planned from reads made before it: a guard tripped (the version moved)
 * or the spellings' unique index (an import or another edit gave the speaker the same
 * spelling meanwhile, without moving its version) means someone else changed the speaker:
 * a 409 to read again. Any other constraint failure goes to `onOther`, which may tell what
 * happened meanwhile (a speaker merged away: its row's foreign keys, its slug's redirect);
 * else, and for any other failure, it is not one a new read would cure.
 */
async function guardedBatch(
	db: Db,
	statements: Statement[],
	onGuard: () => Promise<AppError>,
	onOther: () => Promise<AppError | null> = async () => null,
) {
	try {
		await runBatch(db, statements);
	} catch (error) {
		const failure = constraintFailure(error);
		if (failure?.kind === "guard") throw await onGuard();
		// A slug an edit chose (`renamedSlug`) that a new speaker took meanwhile: as for a spelling.
		if (
			failure?.kind === "unique" &&
			/speaker_aliases|speakers\.slug|speaker_redirects\.slug/.test(failure.detail)
		) {
			throw await onGuard();
		}
		if (failure) throw (await onOther()) ?? error;
		throw error;
	}
}

function stale(speaker: SpeakerWithAliases) {
	return conflict("Someone else changed this speaker in the meantime.", "version-conflict", {
		current: { version: speaker.version, updatedAt: speaker.updatedAt },
	});
}

/**
 * The speaker as an edit leaves it: a field left out keeps what is stored, null clears the
 * description or the Wikidata id. The API's PATCH sends only what changes; filling in the
 * rest with defaults reset a sent description's speaker to a "person" without aliases.
 */
function mergedEdit(speaker: SpeakerWithAliases, edit: SpeakerEdit, keepUnseen: boolean): SpeakerInput {
	const name = edit.name ?? speaker.name;
	const aliases = edit.aliases ? withUnseen(speaker, name, edit.aliases, keepUnseen) : speaker.aliases;
	return {
		name,
		kind: edit.kind ?? speaker.kind,
		description: edit.description === undefined ? speaker.description : edit.description,
		wikidataId: edit.wikidataId === undefined ? speaker.wikidataId : edit.wikidataId,
		aliases: keepsOldName(speaker, name, aliases, edit) ? withOldName(speaker, name, aliases) : aliases,
	};
}

/**
 * The `aliases` an edit sends, with the never-public spellings (`unreviewedAliases`) its
 * sender could not have read (`keepUnseen`): under PUBLIC_UNREVIEWED = "hide" the only read
 * of a speaker the API has, the public one, leaves them out, so a client sending back the
 * list it read, changed, deleted them, and imports and the desk no longer matched them. Kept
 * unless sent or the new name; only the desk, which lists them all, removes them.
 */
function withUnseen(
	speaker: SpeakerWithAliases,
	name: string,
	sent: readonly string[],
	keepUnseen: boolean,
): string[] {
	if (!keepUnseen || !speaker.unreviewedAliases) return [...sent];
	const known = new Set([name, ...sent].map(foldName));
	const unseen = speaker.unreviewedAliases.filter((alias) => !known.has(foldName(alias)));
	if (unseen.length === 0) return [...sent];
	if (new Set([...sent, ...unseen].map(foldName)).size > MAX_SPEAKER_ALIASES) {
		const message = `At most ${MAX_SPEAKER_ALIASES} other names, with ${unseen.length} this speaker keeps that are not public: send fewer.`;
		throw new AppError(422, `aliases: ${message}`, { errors: [{ path: "aliases", message }] });
	}
	return [...sent, ...unseen];
}

/**
 * Whether a rename keeps the old name among the other names: unless the edit drops it
 * (`dropOldName`), the name the new one replaces is still the speaker's, as a merged
 * speaker's is the survivor's. Dropped with its row, an import's next run of the same file
 * no longer knew the name and recorded its claims a second time under a new speaker of the
 * old name. The list an edit sends never holds the old name (it was the name, not one of
 * the others), so it cannot say by leaving it out that it should go.
 */
function keepsOldName(
	speaker: SpeakerWithAliases,
	name: string,
	aliases: readonly string[],
	edit: SpeakerEdit,
): boolean {
	if (edit.dropOldName) return false;
	const old = foldName(speaker.name);
	return old !== foldName(name) && !aliases.some((alias) => foldName(alias) === old);
}

/**
 * The other names with the old one, within what a speaker keeps (`MAX_SPEAKER_ALIASES`, the
 * input's limit): one too many, and every later save of the speaker, which sends them all
 * back, would be refused.
 */
function withOldName(speaker: SpeakerWithAliases, name: string, aliases: readonly string[]): string[] {
	const others = new Set([...aliases, speaker.name].map(foldName));
	others.delete(foldName(name));
	if (others.size > MAX_SPEAKER_ALIASES) {
		const message = `At most ${MAX_SPEAKER_ALIASES} other names, the old name a rename keeps among them: remove one, or drop the old name.`;
		throw new AppError(422, `aliases: ${message}`, { errors: [{ path: "aliases", message }] });
	}
	return [...aliases, speaker.name];
}

/**
 * The slug an edit leaves the speaker: the one it has, unless the edit drops the old name
 * (`dropOldName`) and the slug does not already spell the name it keeps. The slug was made
 * from the first name recorded, so a dropped name (a private person wrongly named, a name
 * that must not be shown) stayed in the speaker's address, on every claim and in the
 * sitemap. The new one is chosen as a new speaker's is (`slugsTaken`), except that the
 * speaker's own old slugs (its redirects) may be taken back.
 */
async function renamedSlug(db: Db, speaker: SpeakerWithAliases, name: string, edit: SpeakerEdit) {
	// Dropping the old name while keeping it drops nothing (a description fixed with the box ticked).
	if (!edit.dropOldName || foldName(name) === foldName(speaker.name)) return speaker.slug;
	const base = speakerSlug(name);
	// A slug made before names without Latin letters got a mark (`slugify`'s "speaker-12")
	// spells no name, the dropped one neither: it stays, as slugs given before do.
	if ([base, slugify(name)].some((spelt) => spellsSlug(speaker.slug, spelt))) return speaker.slug;
	const [taken, own] = await Promise.all([
		slugsTaken(db, [base]),
		db
			.select({ slug: speakerRedirects.slug })
			.from(speakerRedirects)
			.where(eq(speakerRedirects.speakerId, speaker.id)),
	]);
	for (const row of own) taken.delete(row.slug);
	return uniqueSlug(base, (s) => taken.has(s));
}

/** Whether `slug` is `base` or `base-<n>`, as `uniqueSlug` numbers a taken base. */
function spellsSlug(slug: string, base: string): boolean {
	if (slug === base) return true;
	return slug.startsWith(`${base}-`) && /^[0-9]+$/.test(slug.slice(base.length + 1));
}

/**
 * The statements moving a speaker to a new slug (`renamedSlug`): the old one answers 301,
 * as a merged speaker's does, and only where it was public (`was_public`: a reviewed claim
 * names the speaker) under PUBLIC_UNREVIEWED = "hide", so a never-public slug stays a 404.
 * A slug of its own it takes back is no redirect any more.
 */
function moveSlug(db: Db, speaker: SpeakerWithAliases, slug: string): Statement[] {
	const wasPublic = sql`EXISTS (SELECT 1 FROM ${claims} WHERE ${claims.speakerId} = ${speaker.id} AND ${reviewed})`;
	return [
		db
			.delete(speakerRedirects)
			.where(and(eq(speakerRedirects.slug, slug), eq(speakerRedirects.speakerId, speaker.id))),
		db.update(speakers).set({ slug }).where(eq(speakers.id, speaker.id)),
		db.insert(speakerRedirects).values({ slug: speaker.slug, speakerId: speaker.id, wasPublic }),
	];
}

/** Whether the edit renames the speaker and keeps the name replaced among its other names. */
function keptOldName(speaker: SpeakerWithAliases, input: SpeakerInput): boolean {
	const old = foldName(speaker.name);
	return foldName(input.name) !== old && input.aliases.some((alias) => foldName(alias) === old);
}

/**
 * The name a rename keeps, marked never public (`was_public` 0) when no reviewed claim names
 * the speaker, as a merge marks a merged speaker's spellings (`mergeSpeakers`): under
 * PUBLIC_UNREVIEWED = "hide" a speaker known only from unreviewed claims was never public by
 * that name, and its row's default 1 put it in the JSON's `aliases`, on the page and in the
 * public search's `speaker` column at the first publication. Read in the batch, so a verdict
 * published meanwhile counts; before the name's write, whose trigger re-indexes the claims.
 */
function oldNameNeverPublic(db: Db, speaker: SpeakerWithAliases): Statement {
	const named = sql`EXISTS (SELECT 1 FROM ${claims} WHERE ${claims.speakerId} = ${speaker.id} AND ${reviewed})`;
	return db
		.update(speakerAliases)
		.set({ wasPublic: sql`${speakerAliases.wasPublic} AND ${named}` })
		.where(
			and(eq(speakerAliases.speakerId, speaker.id), eq(speakerAliases.normalized, foldName(speaker.name))),
		);
}

/**
 * Edits a speaker at the version last read. The slug stays (links keep working) unless the
 * edit drops the old name (`renamedSlug`: the old slug then redirects); the
 * name and the aliases change, and the search index follows. Only what changed is
 * written, and the claims' index entries are rewritten once, by the name written last,
 * and only when the name or a spelling changed: rewriting every alias row made the
 * triggers rewrite (aliases + 1) × claims entries — 100,000 for a speaker with 5,000
 * claims and 20 spellings whose description was edited — and before migration 0017 each
 * spelling added or removed still cost one rewrite of every claim. What the speaker's
 * claims show of it (name, kind, description, Wikidata id, spellings) changing moves their
 * `updated_at` (domain/public-change), never their version: an edit form open on one of
 * them stays valid; only its name moves their feed entries (`touchClaimsOfSpeaker`).
 * Sending back what was read (nothing differs) writes nothing: no version, no audit entry,
 * no dates; `changed` says so, and the command then tells no subscriber.
 * Only the fields sent change (`mergedEdit`); a new name keeps the old one among the
 * others unless the edit drops it (`keepsOldName`), never public if the speaker was not
 * (`oldNameNeverPublic`); `keepUnseen` keeps the never-public spellings an API client could
 * not read (`withUnseen`).
 */
export async function updateSpeaker(
	db: Db,
	actor: Actor,
	slug: string,
	expectedVersion: number,
	edit: SpeakerEdit,
	options: { keepUnseen?: boolean } = {},
): Promise<{ speaker: SpeakerWithAliases; changed: boolean }> {
	const speaker = await getSpeakerBySlug(db, slug);
	if (!speaker) throw await slugGone(db, slug, "Nothing was saved: send the edit there.");
	if (speaker.version !== expectedVersion) throw stale(speaker);
	const input = mergedEdit(speaker, edit, options.keepUnseen ?? false);
	const stored = await db
		.select({ id: speakerAliases.id, alias: speakerAliases.alias, normalized: speakerAliases.normalized })
		.from(speakerAliases)
		.where(eq(speakerAliases.speakerId, speaker.id));
	const wanted = aliasRows(speaker.id, input.name, input.aliases);
	const key = (row: { alias: string; normalized: string }) => `${row.normalized}\n${row.alias}`;
	const keep = new Set(wanted.map(key));
	const have = new Set(stored.map(key));
	const removed = stored.filter((row) => !keep.has(key(row))).map((row) => row.id);
	const added = wanted.filter((row) => !have.has(key(row)));
	const spellingsChanged = input.name !== speaker.name || removed.length > 0 || added.length > 0;
	const newSlug = await renamedSlug(db, speaker, input.name, edit);
	// What its claims show of it: not the other spellings, which only the speaker's page lists.
	const shownChanged =
		input.name !== speaker.name ||
		newSlug !== speaker.slug ||
		input.kind !== speaker.kind ||
		input.description !== speaker.description ||
		input.wikidataId !== speaker.wikidataId;
	if (!spellingsChanged && !shownChanged) return { speaker, changed: false };
	const at = new Date().toISOString();
	await guardedBatch(
		db,
		[
			db
				.update(speakers)
				.set({
					kind: input.kind,
					description: input.description,
					wikidataId: input.wikidataId,
					version: sql`${speakers.version} + 1`,
					updatedAt: at,
				})
				.where(and(eq(speakers.id, speaker.id), eq(speakers.version, expectedVersion))),
			guardOneRow(db),
			...(newSlug !== speaker.slug ? moveSlug(db, speaker, newSlug) : []),
			...idChunks(removed).map((ids) => db.delete(speakerAliases).where(inArray(speakerAliases.id, ids))),
			...chunkForInsert(speakerAliases, added).map((rows) => db.insert(speakerAliases).values(rows)),
			...(keptOldName(speaker, input) ? [oldNameNeverPublic(db, speaker)] : []),
			// The name, written last and only when it or a spelling changed: its trigger
			// re-indexes the speaker's claims once, with the spellings as they now are.
			...(spellingsChanged
				? [db.update(speakers).set({ name: input.name }).where(eq(speakers.id, speaker.id))]
				: []),
			// Their feed entries show the name alone (domain/atom-feed): the rest moves no entry.
			...(shownChanged ? [touchClaimsOfSpeaker(db, speaker.id, input.name !== speaker.name, at)] : []),
			audit(db, actor, "edit", "speaker", speaker.id, {
				before: speaker,
				after: { ...input, slug: newSlug },
			}),
		],
		// Merged away meanwhile: where it went, not a version conflict naming the version sent.
		async () => {
			const now = await getSpeaker(db, speaker.id);
			return now ? stale(now) : goneMeanwhile(db, speaker.slug);
		},
	);
	const saved = await getSpeaker(db, speaker.id);
	if (!saved) throw new Error("speaker vanished after edit");
	return { speaker: saved, changed: true };
}

/**
 * Merges speaker `slug` into `intoSlug`: its claims move, its name and aliases become
 * aliases of the survivor, and its slug answers 301 to the survivor's from then on.
 * Returns the survivor and the claims that moved.
 */
export async function mergeSpeakers(
	db: Db,
	actor: Actor,
	slug: string,
	intoSlug: string,
): Promise<{ from: SpeakerWithAliases; into: SpeakerWithAliases; movedClaims: string[] }> {
	const [from, into] = await Promise.all([getSpeakerBySlug(db, slug), getSpeakerBySlug(db, intoSlug)]);
	if (!from || !into) throw await mergedBefore(db, slug, from, intoSlug);
	if (from.id === into.id) {
		throw new AppError(422, "into: a speaker cannot be merged into itself.", {
			errors: [{ path: "into", message: "Choose another speaker." }],
		});
	}
	refuseTooManyNames(from, into);
	const moved = (await db.select({ id: claims.id }).from(claims).where(eq(claims.speakerId, from.id))).map(
		(c) => c.id,
	);
	const survivorAliases = sql`(SELECT ${speakerAliases.normalized} FROM ${speakerAliases} WHERE ${speakerAliases.speakerId} = ${into.id})`;
	// Read before its claims move, as its redirect's `wasPublic` is.
	const fromWasPublic = sql`EXISTS (SELECT 1 FROM ${claims} WHERE ${claims.speakerId} = ${from.id} AND ${reviewed})`;
	await guardedBatch(
		db,
		[
			// The merged speaker's name is one of its aliases (aliasRows): it moves with them,
			// marked never public when no reviewed claim named it (nor before, when it merged).
			db
				.update(speakerAliases)
				.set({ speakerId: into.id, wasPublic: sql`${speakerAliases.wasPublic} AND ${fromWasPublic}` })
				.where(
					and(
						eq(speakerAliases.speakerId, from.id),
						sql`${speakerAliases.normalized} NOT IN ${survivorAliases}`,
					),
				),
			db.delete(speakerAliases).where(eq(speakerAliases.speakerId, from.id)),
			// No more other names than an edit may save (`refuseTooManyNames`), with spellings
			// an import added meanwhile (which move no version): the name's row and 200 others.
			db.insert(batchGuards).values({
				ok: sql`(SELECT count(*) FROM ${speakerAliases} WHERE ${speakerAliases.speakerId} = ${into.id}) <= ${MAX_SPEAKER_ALIASES + 1}`,
			}),
			// Its old slug leads to the survivor; whether a reviewed claim named it (public under
			// PUBLIC_UNREVIEWED = "hide" too) is read before its claims move.
			db.insert(speakerRedirects).values({
				slug: from.slug,
				speakerId: into.id,
				wasPublic: fromWasPublic,
			}),
			// Only the moved claims changed in public (they name the survivor now): dated before
			// they move, while they can still be told apart from the survivor's own.
			touchClaimsOfSpeaker(db, from.id, from.name !== into.name),
			// Setting speaker_id on the survivor's own claims too refreshes their search entries.
			db
				.update(claims)
				.set({ speakerId: into.id })
				.where(inArray(claims.speakerId, [from.id, into.id])),
			db.update(speakerRedirects).set({ speakerId: into.id }).where(eq(speakerRedirects.speakerId, from.id)),
			// Claims merged away by this speaker: an import by the survivor's spellings finds
			// their claims kept (store/merged-words). By `retired_claims_speaker_idx`.
			db.update(retiredClaims).set({ speakerId: into.id }).where(eq(retiredClaims.speakerId, from.id)),
			db.delete(speakers).where(and(eq(speakers.id, from.id), eq(speakers.version, from.version))),
			guardOneRow(db),
			// The survivor gained names and claims: an edit from a form read before the merge
			// is a 409, not a save that drops the merged spellings again.
			db
				.update(speakers)
				.set({ version: sql`${speakers.version} + 1`, updatedAt: new Date().toISOString() })
				.where(and(eq(speakers.id, into.id), eq(speakers.version, into.version))),
			guardOneRow(db),
			audit(db, actor, "merge", "speaker", into.id, { merged: from, movedClaims: moved }),
		],
		// Either speaker may have changed or gone meanwhile: the answer names the one that did.
		async () => (await mergedMeanwhile(db, from, into)) ?? staleOfTwo(db, from, into),
		// A speaker merged away meanwhile fails a statement before any guard is reached: `into`
		// gone, the foreign key of the spellings moved to its row; this one, its slug's redirect.
		() => mergedMeanwhile(db, from, into),
	);
	const survivor = await getSpeaker(db, into.id);
	if (!survivor) throw new Error("speaker vanished after merge");
	return { from, into: survivor, movedClaims: moved };
}

/** The one of a merge's two speakers that changed since it was read (the survivor first). */
async function staleOfTwo(db: Db, from: SpeakerWithAliases, into: SpeakerWithAliases): Promise<AppError> {
	const survivor = await getSpeaker(db, into.id);
	if (survivor && survivor.version !== into.version) return stale(survivor);
	return stale((await getSpeaker(db, from.id)) ?? from);
}

/**
 * Why a merge failed when one of its speakers was merged away (or removed) between its reads
 * and its batch, or null when both are still there. This speaker gone: merged on (409
 * `speaker-merged` naming the survivor, `mergedInto`) or removed (404). `into` gone: where it
 * went (409 `speaker-merged`, `into` and `mergedInto`; this very speaker, when the two were
 * merged the other way round), or that no speaker has its slug (422, as before the batch).
 * It was a bare 422 "breaks a rule of the database", from the foreign key to the gone row.
 */
async function mergedMeanwhile(
	db: Db,
	from: SpeakerWithAliases,
	into: SpeakerWithAliases,
): Promise<AppError | null> {
	const [fromNow, intoNow] = await Promise.all([getSpeaker(db, from.id), getSpeaker(db, into.id)]);
	if (!fromNow) return goneMeanwhile(db, from.slug);
	if (intoNow) return null;
	const survivor = await speakerRedirect(db, into.slug);
	if (!survivor) return noSuchInto();
	const detail =
		survivor === fromNow.slug
			? `Speaker ${into.slug} was merged into this speaker meanwhile: nothing is left to merge.`
			: `Speaker ${into.slug} was merged into ${survivor} meanwhile: merge into that one.`;
	return conflict(detail, "speaker-merged", { into: into.slug, mergedInto: survivor });
}

/** A speaker read by a write and gone at its batch: merged into another (409), or removed (404). */
async function goneMeanwhile(db: Db, slug: string): Promise<AppError> {
	const survivor = await speakerRedirect(db, slug);
	if (!survivor) return notFound("speaker");
	return conflict(`This speaker was merged into ${survivor} meanwhile.`, "speaker-merged", {
		mergedInto: survivor,
	});
}

/**
 * Where an old slug leads, and whether it is the speaker's own from before a rename
 * (`moveSlug`, the edit dropping the old name) rather than a merged speaker's: both are
 * redirects alike, so the speaker's audited edit that left the slug tells them apart (by
 * `audit_log_entity_idx`). A renamed speaker merged on since leads to its survivor, which
 * has no such edit: merged. Read only when a write names a slug no speaker has.
 */
export async function whereSlugWent(
	db: Db,
	slug: string,
): Promise<{ slug: string; renamed: boolean } | null> {
	const [to] = await db
		.select({ id: speakers.id, slug: speakers.slug })
		.from(speakerRedirects)
		.innerJoin(speakers, eq(speakers.id, speakerRedirects.speakerId))
		.where(eq(speakerRedirects.slug, slug))
		.limit(1);
	if (!to) return null;
	const renames = await db
		.select({ id: auditLog.id })
		.from(auditLog)
		.where(
			and(
				eq(auditLog.entity, "speaker"),
				eq(auditLog.entityId, to.id),
				eq(auditLog.action, "edit"),
				sql`json_extract(${auditLog.changes}, '$.before.slug') = ${slug}`,
			),
		)
		.limit(1);
	return { slug: to.slug, renamed: renames.length > 0 };
}

/**
 * A write to a slug no speaker has (a page or a link open since): an old slug of a speaker
 * renamed since (`dropOldName`) is a 409 `speaker-renamed` naming its slug now
 * (`renamedTo`), one of a speaker merged away a 409 `speaker-merged` naming the survivor
 * (`mergedInto`), any other a 404. An edit and a merge answer alike.
 */
async function slugGone(db: Db, slug: string, nothingDone: string): Promise<AppError> {
	const went = await whereSlugWent(db, slug);
	if (!went) return notFound("speaker");
	if (went.renamed) {
		return conflict(
			`This speaker was renamed: its address is now ${went.slug}. ${nothingDone}`,
			"speaker-renamed",
			{ renamedTo: went.slug },
		);
	}
	return conflict(`This speaker was merged into ${went.slug}.`, "speaker-merged", { mergedInto: went.slug });
}

/**
 * A merge naming a speaker merged away before the request (an old slug, a page open since):
 * where it went, as when it is merged away meanwhile (`mergedMeanwhile`), else 404 or 422.
 * An old slug of a speaker renamed since (`dropOldName`) is no merge: 409 `speaker-renamed`
 * naming its slug now (`renamedTo`); nothing is merged.
 */
async function mergedBefore(
	db: Db,
	slug: string,
	from: SpeakerWithAliases | undefined,
	intoSlug: string,
): Promise<AppError> {
	if (!from) return slugGone(db, slug, "Nothing was merged: send the merge there.");
	const went = await whereSlugWent(db, intoSlug);
	if (!went) return noSuchInto();
	if (went.renamed) {
		const detail =
			went.slug === from.slug
				? `Speaker ${intoSlug} is this speaker, renamed: nothing was merged.`
				: `Speaker ${intoSlug} was renamed: its address is now ${went.slug}. Nothing was merged: merge into that one.`;
		return conflict(detail, "speaker-renamed", { into: intoSlug, renamedTo: went.slug });
	}
	const detail =
		went.slug === from.slug
			? `Speaker ${intoSlug} was merged into this speaker already: nothing is left to merge.`
			: `Speaker ${intoSlug} was merged into ${went.slug}: merge into that one.`;
	return conflict(detail, "speaker-merged", { into: intoSlug, mergedInto: went.slug });
}

const noSuchInto = () =>
	new AppError(422, "into: there is no speaker with this slug.", {
		errors: [{ path: "into", message: "There is no speaker with this slug." }],
	});

/**
 * A merge may not leave the survivor more other names than an edit saves
 * (`MAX_SPEAKER_ALIASES`): past them, every save of the speaker on the desk, even of its
 * description alone, and the API's read-modify-write were refused. Counted as the merge keeps
 * them, one per folded spelling, the survivor's name not among them.
 */
function refuseTooManyNames(from: SpeakerWithAliases, into: SpeakerWithAliases) {
	const spellings = new Set([into.name, ...into.aliases, from.name, ...from.aliases].map(foldName));
	const others = spellings.size - 1;
	if (others <= MAX_SPEAKER_ALIASES) return;
	const message = `Merged, the speaker would have ${others} other names, and a speaker keeps at most ${MAX_SPEAKER_ALIASES}: remove ${others - MAX_SPEAKER_ALIASES} of them first.`;
	throw new AppError(422, `into: ${message}`, { errors: [{ path: "into", message }] });
}

/** Ids of a speaker's claims (whose public answers name the speaker). */
export async function claimIdsOfSpeaker(db: Db, speakerId: string): Promise<string[]> {
	return (await db.select({ id: claims.id }).from(claims).where(eq(claims.speakerId, speakerId))).map(
		(c) => c.id,
	);
}
