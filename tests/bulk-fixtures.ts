import { inArray, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { appearances, auditLog, claims, sources, speakerAliases, speakers, verdicts } from "../src/db/schema";
import { canonicalizeUrl } from "../src/domain/canonical-url";
import { deriveClaimStatus } from "../src/domain/claim-status";
import { claimFingerprint } from "../src/domain/fingerprint";
import { newId } from "../src/domain/ids";
import type { ClaimStatus } from "../src/domain/ratings";
import { speakerSlug, uniqueSlug } from "../src/domain/slug";
import type { Db } from "../src/factory";
import type { SourceInput, SpeakerInput, VerdictInput } from "../src/schemas/records";
import { type Actor, chunkForInsert, MAX_PARAMS } from "../src/store/batch";
import { termsFor } from "../src/store/search-terms";
import { aliasRows } from "../src/store/speakers";

/*
 * Large fixtures without a round trip per row: `BulkHistory` replays what the store
 * writes for each step (src/store/{speakers,sources,claims,appearances,verdicts}.ts —
 * the same rows, the same claim status, version and timestamps, the same audit entries)
 * into memory, and `write` stores it all with multi-row INSERTs in a few D1 batches,
 * each statement binding at most D1's 100 parameters. The FTS triggers fire as they do
 * for the store (claims, then their appearances). Steps are checked as the store checks
 * them (one open draft per claim, a correction needs a note, only the current published
 * verdict is retracted), so a history the store would refuse cannot be built here.
 * tests/api/backup.test.ts holds these rows to the store's: the same histories written
 * both ways must give the same rows, ids and times aside.
 *
 * Timestamps come from a clock that advances one second per step from `start`, so
 * rows are ordered in time as if written one after another.
 */

type SpeakerRow = typeof speakers.$inferInsert;
type AliasRow = typeof speakerAliases.$inferInsert;
type SourceRow = typeof sources.$inferInsert;
type ClaimRow = typeof claims.$inferInsert & { id: string; status: ClaimStatus; version: number };
type AppearanceRow = typeof appearances.$inferInsert;
type VerdictRow = typeof verdicts.$inferInsert & { id: string; claimId: string; version: number };
type AuditRow = typeof auditLog.$inferInsert;

interface BulkClaimInput {
	text: string;
	language: string;
	claimedAt: string | null;
	context: string | null;
	speakerId: string | null;
	sourceId: string;
	quote: string | null;
	anchor: string | null;
	externalId: string | null;
}

/** Statements per D1 batch (each batch is one transaction). */
const STATEMENTS_PER_BATCH = 100;

export class BulkHistory {
	readonly speakers: SpeakerRow[] = [];
	readonly aliases: AliasRow[] = [];
	readonly sources: SourceRow[] = [];
	readonly claims: ClaimRow[] = [];
	readonly appearances: AppearanceRow[] = [];
	readonly verdicts: VerdictRow[] = [];
	readonly audit: AuditRow[] = [];
	private readonly claimById = new Map<string, ClaimRow>();
	private readonly verdictById = new Map<string, VerdictRow>();
	private readonly verdictsByClaim = new Map<string, VerdictRow[]>();
	private readonly slugs = new Set<string>();
	private readonly fingerprints = new Set<string>();
	private clock: number;

	/** `takenSlugs`: slugs already in the database (the store looks them up before it picks one). */
	constructor(start: Date, takenSlugs: Iterable<string> = []) {
		this.clock = start.getTime();
		for (const slug of takenSlugs) this.slugs.add(slug);
	}

	private tick(): string {
		const at = new Date(this.clock).toISOString();
		this.clock += 1_000;
		return at;
	}

	private log(actor: Actor, at: string, action: string, entity: string, entityId: string, changes: unknown) {
		this.audit.push({
			at,
			actorId: actor.userId,
			actorLabel: actor.label,
			action,
			entity,
			entityId,
			changes: JSON.stringify(changes),
			requestId: actor.requestId ?? null,
		});
	}

	/** As `createSpeaker`: the speaker, its name and aliases as alias rows, one audit entry. */
	speaker(actor: Actor, input: SpeakerInput): SpeakerRow & { id: string; slug: string } {
		const at = this.tick();
		const id = newId();
		const slug = uniqueSlug(speakerSlug(input.name), (s) => this.slugs.has(s));
		this.slugs.add(slug);
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
		this.speakers.push({ ...row, createdAt: at, updatedAt: at });
		this.aliases.push(...aliases.map((alias) => ({ ...alias, createdAt: at })));
		this.log(actor, at, "create", "speaker", id, { ...row, aliases: aliases.map((a) => a.alias) });
		return row;
	}

	/** As `createSource` (and `planSource` inside `recordClaim`): canonical URL, one audit entry. */
	source(actor: Actor, input: SourceInput): SourceRow & { id: string } {
		const at = this.tick();
		const { url, domain } = canonicalizeUrl(input.url);
		const id = newId();
		const row = {
			id,
			url,
			domain,
			title: input.title,
			publisher: input.publisher,
			author: input.author,
			language: input.language,
			publishedAt: input.publishedAt,
			archivedUrl: input.archivedUrl,
			createdBy: actor.userId,
		};
		this.sources.push({ ...row, createdAt: at, updatedAt: at });
		this.log(actor, at, "create", "source", id, row);
		return row;
	}

	/** A claim of a source with nothing else: no speaker, date, context, quote or id. */
	bareClaim(actor: Actor, sourceId: string, text: string, language: string): Promise<ClaimRow> {
		return this.claim(actor, {
			text,
			language,
			claimedAt: null,
			context: null,
			speakerId: null,
			sourceId,
			quote: null,
			anchor: null,
			externalId: null,
		});
	}

	/** As `recordClaim` for a new claim: the claim, its first appearance, one audit entry. */
	async claim(actor: Actor, input: BulkClaimInput): Promise<ClaimRow> {
		const at = this.tick();
		const fingerprint = await claimFingerprint(input.text);
		const key = `${fingerprint} ${input.speakerId}`;
		if (this.fingerprints.has(key)) throw new Error(`the store would call this a duplicate: ${input.text}`);
		this.fingerprints.add(key);
		const id = newId();
		const claimRow = {
			id,
			text: input.text,
			language: input.language,
			speakerId: input.speakerId,
			claimedAt: input.claimedAt,
			context: input.context,
			fingerprint,
			externalId: input.externalId,
			createdBy: actor.userId,
		};
		const appearanceRow = {
			id: newId(),
			claimId: id,
			sourceId: input.sourceId,
			quote: input.quote,
			anchor: input.anchor,
			isFirst: true,
			createdBy: actor.userId,
		};
		const claim: ClaimRow = {
			...claimRow,
			status: "unverified",
			currentVerdictId: null,
			reviewedAt: null,
			version: 1,
			createdAt: at,
			updatedAt: at,
		};
		this.claims.push(claim);
		this.claimById.set(id, claim);
		this.appearances.push({ ...appearanceRow, createdAt: at });
		this.log(actor, at, "create", "claim", id, { ...claimRow, appearance: appearanceRow });
		return claim;
	}

	/** As `addAppearanceWithSource` with a known source. */
	appearance(actor: Actor, claimId: string, sourceId: string, quote: string | null, anchor: string | null) {
		const at = this.tick();
		this.mustClaim(claimId);
		const taken = this.appearances.some((a) => a.claimId === claimId && a.sourceId === sourceId);
		if (taken) throw new Error("the store refuses a second appearance in the same source");
		const row = { id: newId(), claimId, sourceId, quote, anchor, isFirst: false, createdBy: actor.userId };
		this.appearances.push({ ...row, createdAt: at });
		this.log(actor, at, "add-appearance", "claim", claimId, row);
		return row;
	}

	/** As `createDraftVerdict`: an unverified claim goes to `in-review`. */
	draft(actor: Actor, claimId: string, input: VerdictInput): VerdictRow {
		const at = this.tick();
		const claim = this.mustClaim(claimId);
		if (this.verdictsOf(claimId).some((v) => v.state === "draft")) {
			throw new Error("the store allows one open draft per claim");
		}
		const id = newId();
		const row = {
			id,
			claimId,
			rating: input.rating,
			headline: input.headline,
			summary: input.summary,
			body: input.body,
			evidence: JSON.stringify(input.evidence),
			language: input.language,
			reviewerId: actor.userId,
			state: "draft" as const,
		};
		// The claim's words it is written on: no edit of them yet (store/draft-words).
		const verdict: VerdictRow = { ...row, claimChangeSeen: 0, version: 1, createdAt: at, updatedAt: at };
		this.verdicts.push(verdict);
		this.verdictById.set(id, verdict);
		this.verdictsOf(claimId).push(verdict);
		// The store moves an unverified claim to in-review; its status is otherwise kept.
		const status = this.statusOf(claimId);
		if (status !== claim.status) Object.assign(claim, { status, updatedAt: at });
		this.log(actor, at, "create-draft", "verdict", id, { ...row, evidence: input.evidence });
		return verdict;
	}

	/** As `publishVerdict`: a published verdict of the claim is superseded (a correction, with a note). */
	publish(actor: Actor, verdictId: string, correctionNote: string | null): VerdictRow {
		const at = this.tick();
		const verdict = this.mustVerdict(verdictId);
		if (verdict.state !== "draft") throw new Error(`the store publishes drafts only, not ${verdict.state}`);
		const current = this.verdictsOf(verdict.claimId).find((v) => v.state === "published");
		if (current && !correctionNote?.trim()) throw new Error("the store wants a note for a correction");
		if (current) {
			Object.assign(current, { state: "superseded", updatedAt: at, version: current.version + 1 });
			this.log(actor, at, "supersede", "verdict", current.id, { supersededBy: verdictId });
		}
		Object.assign(verdict, {
			state: "published",
			publishedAt: at,
			editorId: actor.userId,
			supersedesId: current?.id ?? null,
			correctionNote: current ? (correctionNote?.trim() ?? null) : null,
			updatedAt: at,
			version: verdict.version + 1,
		});
		const claim = this.mustClaim(verdict.claimId);
		Object.assign(claim, {
			status: this.statusOf(claim.id),
			currentVerdictId: verdictId,
			reviewedAt: at,
			updatedAt: at,
			version: claim.version + 1,
		});
		this.log(actor, at, current ? "publish-correction" : "publish", "verdict", verdictId, {
			rating: verdict.rating,
			supersedes: current?.id ?? null,
			correctionNote: current ? correctionNote : null,
		});
		return verdict;
	}

	/** As `retractVerdict`: the claim loses its rating (its status is what the verdicts left imply). */
	retract(actor: Actor, verdictId: string, note: string): VerdictRow {
		const at = this.tick();
		const verdict = this.mustVerdict(verdictId);
		const claim = this.mustClaim(verdict.claimId);
		if (verdict.state !== "published" || claim.currentVerdictId !== verdictId) {
			throw new Error("the store retracts the current published verdict only");
		}
		Object.assign(verdict, {
			state: "retracted",
			retractionNote: note.trim(),
			retractedAt: at,
			updatedAt: at,
			version: verdict.version + 1,
		});
		Object.assign(claim, {
			status: this.statusOf(claim.id),
			currentVerdictId: null,
			// The retraction is the claim's latest review.
			reviewedAt: at,
			updatedAt: at,
			version: claim.version + 1,
		});
		this.log(actor, at, "retract", "verdict", verdictId, { note });
		return verdict;
	}

	/** The status the store keeps on a claim: the one its verdicts imply (`deriveClaimStatus`). */
	private statusOf(claimId: string): ClaimStatus {
		return deriveClaimStatus(
			this.verdictsOf(claimId).map((v) => ({
				state: v.state ?? "draft",
				rating: v.rating,
				publishedAt: v.publishedAt ?? null,
			})),
		).status;
	}

	private verdictsOf(claimId: string): VerdictRow[] {
		const list = this.verdictsByClaim.get(claimId) ?? [];
		this.verdictsByClaim.set(claimId, list);
		return list;
	}

	private mustClaim(id: string): ClaimRow {
		const claim = this.claimById.get(id);
		if (!claim) throw new Error(`no claim ${id} in this history`);
		return claim;
	}

	private mustVerdict(id: string): VerdictRow {
		const verdict = this.verdictById.get(id);
		if (!verdict) throw new Error(`no verdict ${id} in this history`);
		return verdict;
	}

	/**
	 * Stores the history in foreign-key order. Claims go in without their current
	 * verdict (claims ↔ verdicts is a cycle), which is set once the verdicts are in.
	 */
	async write(db: Db): Promise<{ statements: number; maxParams: number; rows: number }> {
		const current = this.claims.filter((c) => c.currentVerdictId);
		// As the store keeps them: text and context with the current published verdict's words.
		for (const claim of this.claims) {
			const verdict = claim.currentVerdictId ? this.verdictById.get(claim.currentVerdictId) : undefined;
			claim.searchTerms = termsFor(
				{ text: claim.text, context: claim.context ?? null, language: claim.language },
				verdict
					? {
							headline: verdict.headline,
							summary: verdict.summary ?? null,
							language: verdict.language ?? claim.language,
						}
					: null,
			);
		}
		const statements = [
			...insertRows(db, sources, this.sources),
			...insertRows(db, speakers, this.speakers),
			...insertRows(db, speakerAliases, this.aliases),
			...insertRows(
				db,
				claims,
				this.claims.map((c) => ({ ...c, currentVerdictId: null })),
			),
			...insertRows(db, appearances, this.appearances),
			...insertRows(db, verdicts, this.verdicts),
			...chunk(current, Math.floor(MAX_PARAMS / 3)).map((rows) => setCurrentVerdicts(db, rows)),
			...insertRows(db, auditLog, this.audit),
		];
		let maxParams = 0;
		for (const statement of statements) {
			maxParams = Math.max(maxParams, statement.toSQL().params.length);
		}
		if (maxParams > MAX_PARAMS) throw new Error(`a statement binds ${maxParams} parameters`);
		for (const batch of chunk(statements, STATEMENTS_PER_BATCH)) {
			const [first, ...rest] = batch;
			if (first) await db.batch([first, ...rest]);
		}
		const rows =
			this.sources.length +
			this.speakers.length +
			this.aliases.length +
			this.claims.length +
			this.appearances.length +
			this.verdicts.length +
			this.audit.length;
		return { statements: statements.length, maxParams, rows };
	}
}

function chunk<T>(items: readonly T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
	return chunks;
}

/** Multi-row INSERTs of `rows`, as many rows per statement as 100 parameters allow. */
function insertRows<T extends SQLiteTable>(db: Db, table: T, rows: readonly T["$inferInsert"][]) {
	return chunkForInsert(table, rows).map((part) => db.insert(table).values(part));
}

/** `current_verdict_id` of many claims in one UPDATE (three parameters a claim). */
function setCurrentVerdicts(db: Db, rows: readonly ClaimRow[]) {
	const cases: SQL[] = rows.map((c) => sql`WHEN ${c.id} THEN ${c.currentVerdictId}`);
	return db
		.update(claims)
		.set({ currentVerdictId: sql`CASE ${claims.id} ${sql.join(cases, sql` `)} END` })
		.where(
			inArray(
				claims.id,
				rows.map((c) => c.id),
			),
		);
}

/**
 * `count` unreviewed claims that all say `word`, recorded a second apart (the last is the
 * newest), in one source: more than a ranked search's window, written in a few batches.
 */
export async function claimsSaying(db: Db, word: string, count: number): Promise<string[]> {
	const history = new BulkHistory(new Date(Date.now() - 86_400_000));
	const actor: Actor = { userId: null, label: "test" };
	const source = history.source(actor, {
		url: `https://news.example/${newId()}`,
		title: "Harbour archive",
		publisher: null,
		author: null,
		language: "de",
		publishedAt: null,
		archivedUrl: null,
	});
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const claim = await history.bareClaim(
			actor,
			source.id,
			`Der ${word} Nummer ${i} wurde ${1900 + i} gebaut.`,
			"de",
		);
		ids.push(claim.id);
	}
	await history.write(db);
	return ids;
}
