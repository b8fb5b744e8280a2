import { and, eq, getTableColumns, inArray, ne, notInArray, type SQL, sql } from "drizzle-orm";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import * as z from "zod";
import {
	appearances,
	auditLog,
	claimChanges,
	claimNotes,
	claims,
	claimTags,
	retiredClaims,
	snapshots,
	sources,
	speakerAliases,
	speakerRedirects,
	speakers,
	tags,
	uploads,
	users,
	verdictReturns,
	verdicts,
} from "../db/schema";
import { normalizeLanguageTag } from "../domain/language-tags";
import { withoutLayoutHints } from "../domain/plain-text";
import type { Db } from "../factory";
import { type Actor, MAX_PARAMS, nowIso, runBatch, type Statement } from "./batch";
import { writersFromUnassignments } from "./draft-writer";
import { reviewsOfOldImports } from "./imported-reviews";
import { datePublicChangesSinceReview } from "./public-changes";
import { reindexSearchTerms } from "./search-terms";

/**
 * Backup and restore as NDJSON: a header line, then one `{"table", "row"}` line per
 * row with the raw SQL values, table by table in foreign-key order. Secrets stay out:
 * password hashes, sessions, API tokens, idempotency keys and rate-limit counters are
 * not exported (users are, without hash, so audit rows and verdict authors resolve).
 */

const BACKUP_FORMAT = "claimtrack-backup";
const BACKUP_VERSION = 1;

/**
 * Bytes of lines a page of a restore over HTTP carries at most, as the JSON strings of its
 * body (scripts/lib/backup-client `restorePages`): the Worker takes bodies of 5 MB
 * (routes/api/backup `MAX_RESTORE_BODY`), the rest is for the page's `state` and the JSON
 * around the lines. 500 lines of long verdicts and their audit rows pass it, so pages are
 * cut at it as well as at 500 lines.
 */
export const RESTORE_PAGE_BYTES = 4 * 1024 * 1024;

/**
 * The longest line a restore over HTTP takes (UTF-16 units, as zod and `String.length`
 * count), the Worker and the CLI alike: one that fills a page of its own. A line is JSON
 * text (no control character, no lone surrogate: `JSON.stringify` escapes them), so as a
 * JSON string in the body each unit is at most 3 bytes (a BMP character past U+07FF; `"`
 * and `\` are 2). No tighter cap: the audit log keeps every draft saved whole, its text
 * escaped once in `changes` and again in the line (`"` becomes four characters), and one
 * draft of the desk's field limits (summary and body of 20,000, 50 evidence titles of 500,
 * a headline of 500, 50 addresses of 2,048) makes a line of under 700,000 characters, an
 * import's record (50 sources) one of under 1,000,000; audit rows are never deleted, so a
 * cap below what the writes allow made every later backup of that database fail to
 * restore. See docs/decisions.md, "A restore's line cap".
 */
export const MAX_RESTORE_LINE = Math.floor(RESTORE_PAGE_BYTES / 3) - 3;

/** Rows read per query while exporting: memory stays flat however big the database is. */
const EXPORT_PAGE = 500;
/** Statements per D1 batch while restoring (each batch is one transaction). */
const STATEMENTS_PER_BATCH = 50;
/** Rows per deferred-column update: three parameters each (id twice, value once). */
const DEFERRED_PER_UPDATE = Math.floor(MAX_PARAMS / 3);

type Value = string | number | null;
type Row = Record<string, Value>;

interface TableSpec {
	name: string;
	table: SQLiteTable;
	/** SQL names of columns never exported. */
	omit?: readonly string[];
	/** Exported only on request; a backup without it restores all the same. */
	optional?: boolean;
	/** Added after the first backups (migration 0004 on): a backup may lack it (count 0). */
	addedLater?: boolean;
	/**
	 * Self-referencing or circular foreign keys (claims ↔ verdicts, verdict → verdict it
	 * supersedes): inserted as NULL, set once every row they may point to is in.
	 */
	deferred?: readonly string[];
}

const TABLES: readonly TableSpec[] = [
	{ name: "users", table: users, omit: ["password_hash"] },
	{ name: "sources", table: sources },
	{ name: "speakers", table: speakers },
	{ name: "speaker_aliases", table: speakerAliases },
	// search_terms is derived (domain/search-terms): never exported, computed anew on restore,
	// so a backup made before the column existed restores the same way.
	{
		name: "claims",
		table: claims,
		omit: ["search_terms"],
		deferred: ["current_verdict_id"],
	},
	{ name: "appearances", table: appearances },
	// review_host is a generated column (SQLite works it out from review_url): never written.
	{ name: "verdicts", table: verdicts, omit: ["review_host"], deferred: ["supersedes_id"] },
	{ name: "claim_changes", table: claimChanges, addedLater: true },
	{ name: "speaker_redirects", table: speakerRedirects, addedLater: true },
	// Tables newer than the format: a backup made before them lacks them and restores as it is.
	{ name: "tags", table: tags, addedLater: true },
	{ name: "claim_tags", table: claimTags, addedLater: true },
	{ name: "verdict_returns", table: verdictReturns, addedLater: true },
	// The evidence archive's records; the objects they describe travel beside the file
	// (store/archive-backup: a manifest of keys and hashes, and the objects).
	{ name: "snapshots", table: snapshots, addedLater: true },
	{ name: "uploads", table: uploads, addedLater: true },
	// The desk's internal notes leave the database only when asked for (`npm run export -- --with-notes`).
	{ name: "claim_notes", table: claimNotes, optional: true, addedLater: true },
	// Merged and removed claims' ids: their addresses keep answering 301 and 410 after a restore.
	// Their words' stems are derived (store/merged-words), computed anew on restore as the claims' are.
	{ name: "retired_claims", table: retiredClaims, omit: ["search_terms"], addedLater: true },
	{ name: "audit_log", table: auditLog },
];

const BACKUP_TABLES = TABLES.map((t) => t.name);

/** Keys that must never leave the database, should one ever land in an audit entry's changes. */
const SECRET_KEYS = new Set([
	"passwordHash",
	"password_hash",
	"password",
	"tokenHash",
	"token_hash",
	"replacesHash",
	"csrfToken",
	"csrf_token",
]);

interface ColumnSpec {
	name: string;
	type: "text" | "integer";
	notNull: boolean;
	/**
	 * A line may lack it: a column nullable or with a default, not a key. Every column added
	 * since the first backups is (a backup made before it restores it as null, or its
	 * default); a later NOT NULL column without a default would make such backups refused.
	 */
	mayLack: boolean;
}

function columnsOf(spec: TableSpec): ColumnSpec[] {
	return Object.values(getTableColumns(spec.table))
		.filter((column) => !spec.omit?.includes(column.name))
		.map((column) => ({
			name: column.name,
			type: column.getSQLType() === "integer" ? "integer" : "text",
			notNull: column.notNull,
			mayLack: !column.primary && (!column.notNull || column.hasDefault),
		}));
}

const COLUMNS = new Map(TABLES.map((spec) => [spec.name, columnsOf(spec)]));

function columns(spec: TableSpec): ColumnSpec[] {
	return COLUMNS.get(spec.name) ?? [];
}

/** A foreign key between two tables of a backup: `child.column` refers to `parent.parentColumn`. */
interface Reference {
	child: TableSpec;
	column: string;
	parent: TableSpec;
	parentColumn: string;
}

const REFERENCES: readonly Reference[] = TABLES.flatMap((child) =>
	getTableConfig(child.table).foreignKeys.flatMap((fk) => {
		const ref = fk.reference();
		const parent = TABLES.find((spec) => spec.table === ref.foreignTable);
		const [column] = ref.columns;
		const [parentColumn] = ref.foreignColumns;
		return parent && column && parentColumn && ref.columns.length === 1
			? [{ child, column: column.name, parent, parentColumn: parentColumn.name }]
			: [];
	}),
);

/** A problem with the backup itself (or the target database), with the line it concerns. */
export class BackupError extends Error {
	override name = "BackupError";
}

// ---------------------------------------------------------------------------------- export

/** A subscriber's address down to its origin: a Slack, Teams or Discord webhook URL is itself the credential. */
function originOf(value: unknown): unknown {
	if (typeof value !== "string") return value;
	try {
		return new URL(value).origin;
	} catch {
		return "(removed)";
	}
}

/**
 * An audit entry's changes without secrets: keys that name one are dropped, and a webhook's
 * `url` (store/webhooks audits it on create, edit and delete) is cut to its origin.
 */
function withoutSecrets(changes: Value, entity: Value): Value {
	if (typeof changes !== "string") return changes;
	let removed = false;
	const scrub = (value: unknown): unknown => {
		if (Array.isArray(value)) return value.map(scrub);
		if (value === null || typeof value !== "object") return value;
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) {
			if (SECRET_KEYS.has(key)) removed = true;
			else if (entity === "webhook" && key === "url") {
				out[key] = originOf(inner);
				removed ||= out[key] !== inner;
			} else out[key] = scrub(inner);
		}
		return out;
	};
	try {
		const scrubbed = scrub(JSON.parse(changes));
		// Untouched text stays byte-identical; only an entry that carried a secret is rewritten.
		return removed ? JSON.stringify(scrubbed) : changes;
	} catch {
		return changes;
	}
}

/**
 * Where a paged export stands. Taken once at its start, in one batch (one read
 * transaction): each table's row count and its highest rowid, the high water. Pages then
 * read only rows at or below the high water, so rows written after the start are left
 * out of every table alike and the header's counts stay true; a row deleted after the
 * start (the count no longer reached) fails the export as changed. See
 * docs/decisions.md, "A backup over HTTP".
 */
export interface ExportCursor {
	/** Names the export in the audit log. */
	id: string;
	withNotes: boolean;
	/** Index into the tables this export writes. */
	table: number;
	/** The last rowid written of that table. */
	after: number;
	/** Rows of that table written so far. */
	written: number;
	/** Per table written: the high-water rowid and the count announced in the header. */
	highWater: number[];
	counts: number[];
}

const exportCursorSchema = z.strictObject({
	id: z.string().regex(/^[0-9a-z]{1,40}$/),
	withNotes: z.boolean(),
	table: z.number().int().nonnegative(),
	after: z.number().int().nonnegative(),
	written: z.number().int().nonnegative(),
	highWater: z.array(z.number().int().nonnegative()).max(TABLES.length),
	counts: z.array(z.number().int().nonnegative()).max(TABLES.length),
});

/** The cursor as the client got it, or null when it is not one of ours (or not for these options). */
export function parseExportCursor(value: unknown): ExportCursor | null {
	const parsed = exportCursorSchema.safeParse(value);
	if (!parsed.success) return null;
	const cursor = parsed.data;
	const tables = exportTables(cursor.withNotes).length;
	return cursor.highWater.length === tables && cursor.counts.length === tables && cursor.table <= tables
		? cursor
		: null;
}

function exportTables(withNotes: boolean): readonly TableSpec[] {
	return TABLES.filter((spec) => !spec.optional || withNotes);
}

/** An export changed under the reader: start again (the CLI does, a few times). */
export class BackupChangedError extends BackupError {
	override name = "BackupChangedError";
}

/** The header line and the cursor of the first page: counts and high water, read together. */
export async function startExport(
	db: Db,
	options: { id: string; withNotes?: boolean },
): Promise<{ header: string; cursor: ExportCursor }> {
	const withNotes = options.withNotes ?? false;
	const tables = exportTables(withNotes);
	const reads = tables.map((spec) =>
		db.select({ n: sql<number>`count(*)`, high: sql<number | null>`max(rowid)` }).from(spec.table),
	);
	const [first, ...rest] = reads;
	const results = first ? await db.batch([first, ...rest]) : [];
	const counts = results.map((rows) => rows[0]?.n ?? 0);
	const highWater = results.map((rows) => rows[0]?.high ?? 0);
	const header = JSON.stringify({
		format: BACKUP_FORMAT,
		version: BACKUP_VERSION,
		exportedAt: new Date().toISOString(),
		tables: Object.fromEntries(tables.map((spec, i) => [spec.name, counts[i] ?? 0])),
		// The highest rowid exported of each table: a restore over HTTP moves the target's own
		// audit rows (and any written while it runs) past the backup's (store/remote-restore).
		highWater: Object.fromEntries(tables.map((spec, i) => [spec.name, highWater[i] ?? 0])),
	});
	return {
		header,
		cursor: { id: options.id, withNotes, table: 0, after: 0, written: 0, highWater, counts },
	};
}

/**
 * The next rows of an export, at most `limit` lines, table after table, and the cursor
 * that continues it (null when every table is written). At most one query per table
 * plus one, so a page stays far inside a Worker invocation's D1 query budget.
 */
export async function exportPage(
	db: Db,
	cursor: ExportCursor,
	limit: number,
): Promise<{ lines: string[]; next: ExportCursor | null }> {
	const tables = exportTables(cursor.withNotes);
	const lines: string[] = [];
	let { table, after, written } = cursor;
	while (table < tables.length && lines.length < limit) {
		const spec = tables[table] as TableSpec;
		const want = limit - lines.length;
		const rows = await readRows(db, spec, after, cursor.highWater[table] ?? 0, want);
		for (const row of rows) lines.push(rowLine(spec, row));
		written += rows.length;
		after = rows.at(-1)?.backup_rowid ?? after;
		if (rows.length === want) break;
		const expected = cursor.counts[table] ?? 0;
		if (written !== expected) {
			throw new BackupChangedError(
				`${spec.name} had ${expected} rows when the export started and ${written} are left: rows were deleted while it ran. Start the export again.`,
			);
		}
		table++;
		after = 0;
		written = 0;
	}
	const next = table < tables.length ? { ...cursor, table, after, written } : null;
	if (!next) await checkExportedRows(db, cursor);
	return { lines, next };
}

/**
 * The last page's check of what the export wrote against the database as it is now, in one
 * batch (one read transaction):
 * - every table still holds, at or below its high water, the rows the header counted. A
 *   row deleted after its table's last page was read is in the file all the same: a claim
 *   removed for privacy (or merged) once the claims and appearances were read left its
 *   text and its lone speaker's name in the file, without the `retired_claims` row or the
 *   removal's audit row (past the high water), and a restore brought it back;
 * - the rows exported refer only to rows exported: an edit during the export (a correction
 *   published sets its claim's current verdict to a verdict past the high water; a claim
 *   moved to a new speaker) would make a file the restore refuses;
 * - nothing was written since the start (`writtenSince`): an edit updates rows at or below
 *   the high water, read as their page found them, and inserts its companions past it, left
 *   out, so the file held half of it (a claim's new text without its `claim_changes` row).
 * Any fails the export as changed, and the client starts again.
 */
async function checkExportedRows(db: Db, cursor: ExportCursor): Promise<void> {
	const tables = exportTables(cursor.withNotes);
	const counts = tables.map((spec, i) => ({
		spec,
		expected: cursor.counts[i] ?? 0,
		read: db
			.select({ n: sql<number>`count(*)` })
			.from(spec.table)
			.where(sql`rowid <= ${cursor.highWater[i] ?? 0}`),
	}));
	const references = exportedReferences(db, tables, cursor);
	const written = writtenSince(db, tables, cursor);
	const [first, ...rest] = [
		...counts.map((c) => c.read),
		...references.map((check) => check.read),
		...written.map((w) => w.read),
	];
	if (!first) return;
	const results = await db.batch([first, ...rest]);
	const short = counts.filter((c, i) => (results[i]?.[0]?.n ?? 0) < c.expected);
	if (short.length > 0) {
		throw new BackupChangedError(
			`Rows were deleted while the export ran (${short.map((c) => c.spec.name).join(", ")}), after their pages were read: the file would bring them back. Start the export again.`,
		);
	}
	const broken = references.filter((_, i) => (results[counts.length + i]?.[0]?.n ?? 0) > 0);
	if (broken.length > 0) {
		throw new BackupChangedError(
			`Rows changed while the export ran refer to rows written after it started (${broken.map((b) => `${b.ref.child.name}.${b.ref.column}`).join(", ")}): the file would not restore. Start the export again.`,
		);
	}
	const since = results.slice(counts.length + references.length);
	const changed = written.filter((_, i) => (since[i]?.[0]?.n ?? 0) > 0);
	if (changed.length > 0) {
		throw new BackupChangedError(
			`The database was written to while the export ran (${changed.map((w) => w.spec.name).join(", ")}): the file would hold edits made meanwhile only in part. Start the export again.`,
		);
	}
}

/**
 * Audit actions that write no exported row: reads (an export's own pages and another's, the
 * archive's listing and check), logins and logouts, failed or not (sessions are not
 * exported), a token minted or revoked (nor are tokens), and anything done to a webhook (nor
 * are webhooks and their deliveries). An editor signing in during the nightly export cost
 * it, three times over. Every other audited action writes what the file holds; so does an
 * internal note, when the export carries notes.
 */
const READ_ONLY_AUDIT = [
	"backup.export",
	"backup.list-objects",
	"backup.read-object",
	"backup.verify-objects",
	"login-failed",
	"login-locked",
	"login",
	"logout",
	"create-token",
	"revoke-token",
];

/**
 * For each exported table: a count of rows past its high water. Every desk and API write
 * is audited in its own batch (the audit log's ids are AUTOINCREMENT, never reused), so an
 * audit row past the high water but for `READ_ONLY_AUDIT` says something was written since
 * the start, an update too, or an insert that took a deleted row's rowid; a row past the
 * high water of another table says the same of a write that is not audited.
 */
function writtenSince(db: Db, tables: readonly TableSpec[], cursor: ExportCursor) {
	return tables.map((spec, i) => {
		const past = sql`rowid > ${cursor.highWater[i] ?? 0}`;
		const where =
			spec.table === auditLog
				? and(
						sql`${past}`,
						notInArray(auditLog.action, READ_ONLY_AUDIT),
						sql`${auditLog.entity} <> 'webhook'`,
						cursor.withNotes
							? undefined
							: sql`NOT (${auditLog.entity} = 'claim' AND ${auditLog.action} = 'note')`,
					)
				: past;
		return { spec, read: db.select({ n: sql<number>`count(*)` }).from(spec.table).where(where) };
	});
}

/** For each foreign key between exported tables: a count of rows at or below the high water referring past the parent's (or to a row gone). */
function exportedReferences(db: Db, tables: readonly TableSpec[], cursor: ExportCursor) {
	return REFERENCES.flatMap((ref) => {
		const childIndex = tables.indexOf(ref.child);
		const parentIndex = tables.indexOf(ref.parent);
		if (childIndex < 0 || parentIndex < 0) return [];
		const childHigh = cursor.highWater[childIndex] ?? 0;
		const parentHigh = cursor.highWater[parentIndex] ?? 0;
		const column = sql`${sql.identifier("c")}.${sql.identifier(ref.column)}`;
		return [
			{
				ref,
				read: db
					.select({ n: sql<number>`count(*)` })
					.from(sql`${ref.child.table} AS ${sql.identifier("c")}`)
					.where(
						sql`${sql.identifier("c")}.rowid <= ${childHigh} AND ${column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ref.parent.table} AS ${sql.identifier("p")} WHERE ${sql.identifier("p")}.${sql.identifier(ref.parentColumn)} = ${column} AND ${sql.identifier("p")}.rowid <= ${parentHigh})`,
					),
			},
		];
	});
}

/**
 * In the order rows were written (rowid), not by their random text ids: a restore inserts
 * them in file order, and reads break ties of equal times by rowid (a claim's sources
 * written in one statement share a millisecond).
 */
async function readRows(
	db: Db,
	spec: TableSpec,
	after: number,
	highWater: number,
	limit: number,
): Promise<(Row & { backup_rowid: number })[]> {
	const list = sql.join(
		columns(spec).map((c) => sql.identifier(c.name)),
		sql`, `,
	);
	return db.all<Row & { backup_rowid: number }>(
		sql`SELECT rowid AS backup_rowid, ${list} FROM ${spec.table} WHERE rowid > ${after} AND rowid <= ${highWater} ORDER BY rowid LIMIT ${limit}`,
	);
}

function rowLine(spec: TableSpec, row: Row): string {
	const out: Row = {};
	for (const c of columns(spec)) out[c.name] = row[c.name] ?? null;
	if (spec.name === "audit_log") out.changes = withoutSecrets(out.changes ?? null, out.entity ?? null);
	return JSON.stringify({ table: spec.name, row: out });
}

/**
 * The backup, line by line (without newlines): a header, then every row, a page at a
 * time, so only one page is in memory. The same pages as the HTTP export's.
 */
export async function* exportRows(
	db: Db,
	options: { pageSize?: number; withNotes?: boolean } = {},
): AsyncGenerator<string> {
	const start = await startExport(db, { id: "local", withNotes: options.withNotes ?? false });
	yield start.header;
	for (let cursor: ExportCursor | null = start.cursor; cursor; ) {
		const page = await exportPage(db, cursor, options.pageSize ?? EXPORT_PAGE);
		yield* page.lines;
		cursor = page.next;
	}
}

// --------------------------------------------------------------------------------- restore

const headerSchema = z.object({
	format: z.literal(BACKUP_FORMAT, { error: `not a ${BACKUP_FORMAT} file` }),
	version: z.literal(BACKUP_VERSION, { error: `only version ${BACKUP_VERSION} backups can be restored` }),
	exportedAt: z.string(),
	tables: z.strictObject(
		Object.fromEntries(
			TABLES.map((spec) => [
				spec.name,
				spec.addedLater ? z.number().int().nonnegative().default(0) : z.number().int().nonnegative(),
			]),
		) as Record<string, z.ZodNumber>,
	),
	/** Missing in backups made before it was added: a restore over HTTP then falls back (store/remote-restore). */
	highWater: z
		.partialRecord(z.enum(BACKUP_TABLES as [string, ...string[]]), z.number().int().nonnegative())
		.optional(),
});

export type BackupHeader = z.output<typeof headerSchema>;

const lineSchema = z.object({
	table: z.enum(BACKUP_TABLES as [string, ...string[]], {
		error: `must be one of ${BACKUP_TABLES.join(", ")}`,
	}),
	row: z.record(z.string(), z.unknown()),
});

function rowSchema(spec: TableSpec) {
	return z.strictObject(
		Object.fromEntries(
			columns(spec).map((c) => {
				const base = c.type === "integer" ? z.number().int() : z.string();
				const value = c.notNull ? base : base.nullable();
				return [c.name, c.mayLack ? value.optional() : value];
			}),
		),
	);
}

const ROW_SCHEMAS = new Map(TABLES.map((spec) => [spec.name, rowSchema(spec)]));

function issueText(error: z.ZodError): string {
	return error.issues
		.slice(0, 3)
		.map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
		.join("; ");
}

type Parsed = { line: number; header: BackupHeader } | { line: number; spec: TableSpec; row: Row };

/**
 * Where a reading of a backup stands, small enough to travel with a paged restore: what
 * the header announced, the table being read, its rows so far, and the line number.
 */
interface ReadState {
	header: BackupHeader | null;
	/** Index into the backup's tables; -1 before the first row. */
	current: number;
	/** Rows of the current table so far. */
	seen: number;
	line: number;
}

const NEW_READ: ReadState = { header: null, current: -1, seen: 0, line: 0 };

/**
 * Validates line after line: the header first, rows in table order, each row complete and
 * of the right types, and as many rows per table as the header says (checked as each
 * table ends, and at `end()` for the tables left).
 */
class BackupReader {
	state: ReadState;

	constructor(state: ReadState) {
		this.state = { ...state };
	}

	private closeTable(index: number, got: number, at: number) {
		const spec = TABLES[index];
		const header = this.state.header;
		if (!spec || !header) return;
		const expected = header.tables[spec.name] ?? 0;
		if (got !== expected) {
			throw new BackupError(
				`line ${at}: the header announces ${expected} ${spec.name} rows, the file has ${got}: the file is truncated or was exported while the database changed.`,
			);
		}
	}

	/** One line; null for a blank one. */
	accept(raw: string): Parsed | null {
		const state = this.state;
		state.line++;
		const lineNo = state.line;
		const text = raw.trim();
		if (text === "") return null;
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch (error) {
			throw new BackupError(`line ${lineNo}: not JSON (${error instanceof Error ? error.message : error}).`);
		}
		if (!state.header) {
			const parsed = headerSchema.safeParse(value);
			if (!parsed.success) {
				throw new BackupError(`line ${lineNo}: not a valid backup header: ${issueText(parsed.error)}.`);
			}
			state.header = parsed.data;
			return { line: lineNo, header: parsed.data };
		}
		const parsedLine = lineSchema.safeParse(value);
		if (!parsedLine.success) throw new BackupError(`line ${lineNo}: ${issueText(parsedLine.error)}.`);
		const index = BACKUP_TABLES.indexOf(parsedLine.data.table);
		const spec = TABLES[index];
		const schema = spec ? ROW_SCHEMAS.get(spec.name) : undefined;
		if (!spec || !schema) throw new BackupError(`line ${lineNo}: unknown table ${parsedLine.data.table}.`);
		if (index < state.current) {
			throw new BackupError(
				`line ${lineNo}: a ${spec.name} row after ${TABLES[state.current]?.name} rows; rows must come table by table in the order ${BACKUP_TABLES.join(", ")}.`,
			);
		}
		if (index > state.current) {
			this.closeTable(state.current, state.seen, lineNo);
			for (let skipped = state.current + 1; skipped < index; skipped++) this.closeTable(skipped, 0, lineNo);
			state.current = index;
			state.seen = 0;
		}
		const row = schema.safeParse(parsedLine.data.row);
		if (!row.success) throw new BackupError(`line ${lineNo}: ${spec.name} row: ${issueText(row.error)}.`);
		const highWater = state.header.highWater?.audit_log;
		if (spec.name === "audit_log" && highWater !== undefined && Number(row.data.id) > highWater) {
			throw new BackupError(
				`line ${lineNo}: audit_log row ${row.data.id} is past the header's high water (${highWater}).`,
			);
		}
		state.seen++;
		return { line: lineNo, spec, row: row.data as Row };
	}

	/** The end of the file: the tables not yet closed must hold what the header announced. */
	end(): BackupHeader {
		const { header, current, seen, line } = this.state;
		if (!header) throw new BackupError("The backup is empty: no header line.");
		this.closeTable(current, seen, line);
		for (let index = current + 1; index < TABLES.length; index++) this.closeTable(index, 0, line);
		return header;
	}
}

/** The header of a backup from its first lines (null when they are blank), or a BackupError. */
export function backupHeaderOf(lines: Iterable<string>): BackupHeader | null {
	const reader = new BackupReader(NEW_READ);
	for (const raw of lines) {
		const item = reader.accept(raw);
		if (item && "header" in item) return item.header;
	}
	return null;
}

/**
 * Every reference of a file resolved within it: a row may refer only to a row the file
 * holds (users merged into the restoring account aside, which the target has). Keeps the
 * keys rows are referred to by (ids, tags' slugs): a few bytes a row.
 */
class ReferenceCheck {
	private readonly keys = new Map<string, Set<Value>>(
		REFERENCES.map((ref) => [`${ref.parent.name}.${ref.parentColumn}`, new Set<Value>()]),
	);
	private readonly pending: { line: number; ref: Reference; value: Value }[] = [];

	private fail(line: number, ref: Reference, value: Value): never {
		throw new BackupError(
			`line ${line}: a ${ref.child.name} row refers to ${ref.parent.name} ${value} (${ref.column}), which the file does not hold: it was exported while the database changed, or edited. Export it again.`,
		);
	}

	accept(line: number, spec: TableSpec, row: Row) {
		for (const ref of REFERENCES) {
			if (ref.child !== spec) continue;
			const value = row[ref.column] ?? null;
			if (value === null) continue;
			// A table later in the file, or the same one (a correction's predecessor): at the end.
			if (TABLES.indexOf(ref.parent) >= TABLES.indexOf(spec)) this.pending.push({ line, ref, value });
			else if (!this.keys.get(`${ref.parent.name}.${ref.parentColumn}`)?.has(value))
				this.fail(line, ref, value);
		}
		for (const [key, set] of this.keys) {
			const [table, column] = key.split(".");
			if (table === spec.name && column) set.add(row[column] ?? null);
		}
	}

	end() {
		for (const { line, ref, value } of this.pending) {
			if (!this.keys.get(`${ref.parent.name}.${ref.parentColumn}`)?.has(value)) this.fail(line, ref, value);
		}
	}
}

/**
 * One open draft per claim (migration 0007's unique index). A backup made before 0007 may
 * hold several; 0007 kept the one saved last and discarded the others into the audit log,
 * which the restore does not redo (docs/decisions.md, "Older backups restore as the
 * migrations left older rows"): such a file is refused before anything is written, naming
 * the claim, instead of failing half-way on the index. Keeps a claim id per open draft.
 */
class OpenDraftCheck {
	private readonly drafts = new Map<Value, { line: number; id: Value; updatedAt: Value }>();

	accept(line: number, spec: TableSpec, row: Row) {
		if (spec.name !== "verdicts" || row.state !== "draft") return;
		const claimId = row.claim_id ?? null;
		const other = this.drafts.get(claimId);
		if (!other) {
			this.drafts.set(claimId, { line, id: row.id ?? null, updatedAt: row.updated_at ?? null });
			return;
		}
		// 0007's order: the one saved last stays (the greater id between equal times).
		const [kept, dropped] =
			String(row.updated_at) > String(other.updatedAt) ||
			(row.updated_at === other.updatedAt && String(row.id) > String(other.id))
				? [{ line, id: row.id }, other]
				: [other, { line, id: row.id }];
		throw new BackupError(
			`line ${line}: claim ${claimId} has two open drafts (verdicts ${other.id}, line ${other.line}, and ${row.id}): the file was made before migration 0007, which keeps one open draft per claim, and a restore cannot hold both. As 0007 would have, keep the one saved last (${kept.id}, line ${kept.line}): in a copy of the file, delete line ${dropped.line} (verdict ${dropped.id}; this file still holds what it said) and lower the header's verdicts count by one, then restore the copy.`,
		);
	}
}

/**
 * Reads a backup through without touching any database: whether a restore would accept it,
 * its references included (so a file exported while the database changed is refused before
 * a restore writes anything, not at its last table).
 */
export async function checkBackup(lines: AsyncIterable<string> | Iterable<string>): Promise<BackupHeader> {
	const reader = new BackupReader(NEW_READ);
	const references = new ReferenceCheck();
	const drafts = new OpenDraftCheck();
	for await (const raw of lines) {
		const item = reader.accept(raw);
		if (!item || !("row" in item)) continue;
		const row = upgradeRow(item.spec, item.row);
		references.accept(item.line, item.spec, row);
		drafts.accept(item.line, item.spec, row);
	}
	const header = reader.end();
	references.end();
	return header;
}

/**
 * Row counts of the tables a backup fills; all zero means the database is empty. One batch:
 * a count a table, one after another, were 17 of a Worker invocation's D1 queries (Workers
 * Free allows 50), and a restore's finishing call spends them beside its reindexing.
 */
export async function backupTableCounts(db: Db): Promise<Record<string, number>> {
	const [first, ...rest] = TABLES.map((spec) => db.select({ n: sql<number>`count(*)` }).from(spec.table));
	const results = first ? await db.batch([first, ...rest]) : [];
	return Object.fromEntries(TABLES.map((spec, i) => [spec.name, results[i]?.[0]?.n ?? 0]));
}

/** The tables of a backup that hold rows in this database, as "table: n" (the users and audit log aside when `exceptAccounts`). */
export async function filledTables(db: Db, exceptAccounts = false): Promise<string[]> {
	const counts = await backupTableCounts(db);
	return Object.entries(counts)
		.filter(([table, n]) => n > 0 && !(exceptAccounts && (table === "users" || table === "audit_log")))
		.map(([table, n]) => `${table}: ${n}`);
}

/** SQL that is true when every table a backup fills is empty, but the users and the audit log. */
export function contentTablesEmpty(): SQL {
	return sql.join(
		TABLES.filter((spec) => spec.name !== "users" && spec.name !== "audit_log").map(
			(spec) => sql`NOT EXISTS (SELECT 1 FROM ${spec.table})`,
		),
		sql` AND `,
	);
}

interface Pending {
	statement: Statement;
	firstLine: number;
	lastLine: number;
}

export interface RestoreReport {
	header: BackupHeader;
	rows: Record<string, number>;
}

/** A reference inserted as NULL (claims ↔ verdicts, a correction's predecessor), set once every row is in. */
export interface DeferredLink {
	table: string;
	column: string;
	id: string;
	value: string;
}

/** Where a restore stands between pages. */
export interface RestoreState {
	read: ReadState;
	/** Users of the backup merged into an account of the target (by email): backup id → kept id. */
	users: Record<string, string>;
	/**
	 * A verdict line without `writer_id`: the file was made before migration 0042, so its
	 * drafts' writers are worked out as 0043 did once the audit log is in (`restoredWriters`).
	 */
	beforeDraftWriter?: true;
	/**
	 * A claim line without `changed_at`: the file was made before migration 0030, so the
	 * reviewed claims changed in public since their review are dated as 0031 and 0057 left an
	 * upgrade once the verdicts are in (`restoredChanges`). A later file's null `changed_at` is
	 * a claim whose entry has not moved since its review (a topic renamed, an appearance
	 * added): it stays null.
	 */
	beforeChangedAt?: true;
	/**
	 * A verdict line without `review_url`: the file was made before migration 0020, so the
	 * reviews imported then are credited to their sites as 0022 did once the audit log is in
	 * (`restoredReviews`).
	 */
	beforeReviewUrl?: true;
}

export const NEW_RESTORE: RestoreState = { read: NEW_READ, users: {} };

const restoreStateSchema = z.strictObject({
	read: z.strictObject({
		header: headerSchema.nullable(),
		current: z
			.number()
			.int()
			.min(-1)
			.max(TABLES.length - 1),
		seen: z.number().int().nonnegative(),
		line: z.number().int().nonnegative(),
	}),
	users: z.record(z.string().max(40), z.string().max(40)),
	beforeDraftWriter: z.literal(true).optional(),
	beforeChangedAt: z.literal(true).optional(),
	beforeReviewUrl: z.literal(true).optional(),
});

/** A restore's state as a client sent it back, or null when it is not one. */
export function parseRestoreState(value: unknown): RestoreState | null {
	const parsed = restoreStateSchema.safeParse(value);
	return parsed.success ? parsed.data : null;
}

/** Columns referring to users.id, per table: rewritten when a backup user is merged into an account. */
const USER_COLUMNS = new Map(
	TABLES.map((spec) => [
		spec.name,
		getTableConfig(spec.table)
			.foreignKeys.map((fk) => fk.reference())
			.filter((ref) => ref.foreignTable === users)
			.flatMap((ref) => ref.columns.map((c) => c.name)),
	]),
);

/**
 * Restores the next lines of a backup (a page, or a whole file): rows inserted in file
 * order in batches of at most 50 statements, each binding at most 100 parameters, each
 * batch led by `guard` when given (a statement that aborts it unless the restore may go
 * on). With `keep`, a backup user of that email is not inserted but merged into the
 * target's account: its id is replaced by the account's in every row that refers to it,
 * and the account takes its name (`keptName`), audited as `keep.actor`'s (`keptNameAudit`).
 * Returns the state to continue from and the deferred references to set at the end.
 */
export async function restorePage(
	db: Db,
	state: RestoreState,
	lines: AsyncIterable<string> | Iterable<string>,
	options: {
		guard?: Statement;
		keep?: { id: string; email: string; actor: Actor };
		replayable?: boolean;
	} = {},
): Promise<{ state: RestoreState; deferred: DeferredLink[]; rows: Record<string, number> }> {
	const reader = new BackupReader(state.read);
	const merged = { ...state.users };
	let beforeDraftWriter = state.beforeDraftWriter ?? false;
	let beforeChangedAt = state.beforeChangedAt ?? false;
	let beforeReviewUrl = state.beforeReviewUrl ?? false;
	const rows: Record<string, number> = {};
	const deferred: DeferredLink[] = [];
	let statements: Pending[] = [];
	let buffer: { spec: TableSpec; rows: Row[]; firstLine: number; lastLine: number } | null = null;

	let wrote = false;
	const flushBatch = async () => {
		const batch = statements;
		statements = [];
		if (batch.length === 0) return;
		await runRestoreBatch(db, batch, options.guard, options.replayable);
		wrote = true;
	};
	const flushRows = async () => {
		if (!buffer || buffer.rows.length === 0) return;
		const { spec, rows: pending, firstLine, lastLine } = buffer;
		buffer = null;
		// A backup without audit high water: the deployment's own audit rows may take the ids of
		// the file's (store/remote-restore), which must then fail, not be kept out unseen.
		const replayable =
			options.replayable && (spec.name !== "audit_log" || reader.state.header?.highWater?.audit_log != null);
		statements.push({ statement: insertRows(db, spec, pending, replayable), firstLine, lastLine });
		if (statements.length >= STATEMENTS_PER_BATCH) await flushBatch();
	};

	for await (const raw of lines) {
		const item = reader.accept(raw);
		if (!item || "header" in item) continue;
		const { spec, line } = item;
		beforeDraftWriter ||= spec.name === "verdicts" && !("writer_id" in item.row);
		beforeChangedAt ||= spec.name === "claims" && !("changed_at" in item.row);
		beforeReviewUrl ||= spec.name === "verdicts" && !("review_url" in item.row);
		const row = restoredSnapshot(spec, upgradeRow(spec, item.row));
		rows[spec.name] = (rows[spec.name] ?? 0) + 1;
		if (spec.name === "users" && options.keep && row.email === options.keep.email) {
			const { id, actor } = options.keep;
			merged[String(row.id)] = id;
			const highWater = reader.state.header?.highWater?.audit_log ?? null;
			for (const statement of [
				keptNameAudit(db, actor, id, row.name ?? null, highWater),
				keptName(db, id, row.name ?? null),
			])
				statements.push({ statement, firstLine: line, lastLine: line });
			continue;
		}
		for (const column of USER_COLUMNS.get(spec.name) ?? []) {
			const value = row[column];
			if (typeof value === "string" && merged[value]) row[column] = merged[value];
		}
		// An audit entry about the merged user (created, role changed, a failed login) is the account's.
		if (spec.name === "audit_log" && row.entity === "user" && typeof row.entity_id === "string") {
			row.entity_id = merged[row.entity_id] ?? row.entity_id;
		}
		if (spec.name === "audit_log") row.changes = mergedAssignment(row, merged);
		for (const column of spec.deferred ?? []) {
			const value = row[column];
			if (typeof value === "string") {
				deferred.push({ table: spec.name, column, id: String(row.id), value });
				row[column] = null;
			}
		}
		if (buffer && buffer.spec !== spec) await flushRows();
		buffer ??= { spec, rows: [], firstLine: line, lastLine: line };
		buffer.rows.push(row);
		buffer.lastLine = line;
		if (buffer.rows.length >= rowsPerInsert(spec)) await flushRows();
	}
	await flushRows();
	await flushBatch();
	// A page that wrote nothing is held to its guard all the same.
	if (options.guard && !wrote) await runRestoreBatch(db, [], options.guard);
	const next: RestoreState = { read: reader.state, users: merged };
	if (beforeDraftWriter) next.beforeDraftWriter = true;
	if (beforeChangedAt) next.beforeChangedAt = true;
	if (beforeReviewUrl) next.beforeReviewUrl = true;
	return { state: next, deferred, rows };
}

/**
 * The name of the backup's user merged into the restoring account, on that account: the pages,
 * the claim JSON (`checkedBy`, `publishedBy`), the feed and the desk name a verdict's checker
 * and publisher by it, and said "admin-xyz" (`npm run user -- add` names an account by its
 * email's first part without --name) where the backup said who checked. Only the name: the
 * account keeps its password, role and tokens. A page sent again finds the name there and
 * writes nothing.
 */
function keptName(db: Db, id: string, name: Value): Statement {
	const kept = String(name);
	return db
		.update(users)
		.set({ name: kept, version: sql`${users.version} + 1`, updatedAt: nowIso() })
		.where(and(eq(users.id, id), ne(users.name, kept)));
}

/**
 * The audit row of `keptName`, before it in the batch: who gave the account the backup's name,
 * from the name it had to that one, as every change of an account is audited. Read in SQL from
 * the account, so none when the name is that already (a page sent again). A backup without audit
 * high water: at a negative id, as the restore's start (store/remote-restore `beginRestore`), so
 * it takes no id of the backup's rows still to come and goes after them as the restore ends;
 * with one, AUTOINCREMENT puts it after the start, past the backup's ids.
 */
function keptNameAudit(db: Db, actor: Actor, id: string, name: Value, highWater: number | null): Statement {
	const kept = String(name);
	return db.insert(auditLog).select(
		db
			.select({
				id: (highWater === null
					? sql`(SELECT min(0, coalesce(min(${auditLog.id}), 0)) - 1 FROM ${auditLog})`
					: sql`NULL`
				).as("id"),
				at: sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`.as("at"),
				actorId: sql`${actor.userId}`.as("actor_id"),
				actorLabel: sql`${actor.label ?? null}`.as("actor_label"),
				action: sql`'rename'`.as("action"),
				entity: sql`'user'`.as("entity"),
				entityId: users.id,
				changes: sql`json_object('from', ${users.name}, 'to', ${kept})`.as("changes"),
				requestId: sql`${actor.requestId ?? null}`.as("request_id"),
				clientRequestId: sql`${actor.clientRequestId ?? null}`.as("client_request_id"),
				tokenMintedBy: sql`${actor.tokenMintedBy ?? null}`.as("token_minted_by"),
			})
			.from(users)
			.where(and(eq(users.id, id), ne(users.name, kept))),
	);
}

/**
 * An assignment's audit changes (`{from, to}`: the holders before and after, user ids) with
 * a merged user's id replaced by the account's, as in every user column: the desk's claim
 * timeline names the holders by joining on them (store/claims `claimHistoryQuery`), and
 * said "assigned" with nobody named. Other rows, and one naming no merged user, stay
 * byte-identical.
 */
function mergedAssignment(row: Row, merged: Readonly<Record<string, string>>): Value {
	const changes = row.changes ?? null;
	if (typeof changes !== "string" || (row.action !== "assign" && row.action !== "unassign")) return changes;
	try {
		const parsed = JSON.parse(changes) as Record<string, unknown>;
		let renamed = false;
		for (const key of ["from", "to"]) {
			const id = parsed[key];
			if (typeof id === "string" && merged[id]) {
				parsed[key] = merged[id];
				renamed = true;
			}
		}
		return renamed ? JSON.stringify(parsed) : changes;
	} catch {
		return changes;
	}
}

/**
 * What a restore runs at its end, once every row is in (the audit log last), for a backup
 * made before migration 0042 (`RestoreState.beforeDraftWriter`): 0043's writers of open
 * drafts on claims that went back to nobody, from their unassignments (store/draft-writer
 * `writersFromUnassignments`), where 0042 left every `writer_id` null. Nothing for a later
 * backup, whose lines carry the writers the application wrote.
 */
export function restoredWriters(db: Db, state: RestoreState): Statement[] {
	return state.beforeDraftWriter ? [writersFromUnassignments(db, state.users)] : [];
}

/**
 * What a restore runs at its end, once the audit log is in, for a backup made before
 * migration 0020 (`RestoreState.beforeReviewUrl`): 0022's review address and publisher of the
 * verdicts imported then (store/imported-reviews `reviewsOfOldImports`), which else read as
 * ours: our ClaimReview markup naming us as the author of another publisher's check. Nothing
 * for a later backup, whose lines carry what the import wrote.
 */
export function restoredReviews(db: Db, state: RestoreState): Statement[] {
	return state.beforeReviewUrl ? [reviewsOfOldImports(db)] : [];
}

/**
 * What a restore runs at its end, once the verdicts are in, for a backup made before
 * migration 0030 (`RestoreState.beforeChangedAt`): the `changed_at` and `quoted_at` of the
 * reviewed claims changed in public since their review, by their public change rows as 0057
 * redated 0031's (store/public-changes `datePublicChangesSinceReview`). Nothing
 * for a later backup: its null `changed_at` is a claim whose feed entry did not move since
 * its review, and dating it would lift every claim of a topic renamed since to the top of
 * the feed, pushing a retraction out of its 50 entries.
 */
export function restoredChanges(db: Db, state: RestoreState): Statement[] {
	return state.beforeChangedAt ? [datePublicChangesSinceReview(db)] : [];
}

/**
 * A row of a backup made before a column existed, as the migration that added the column
 * left the rows it found (a column missing from a line is otherwise null, or its default):
 * 0004 moved a retraction's reason from `correction_note` to `retraction_note` (a retracted
 * correction keeps it in both), 0024 counts an open draft not returned as submitted at its
 * last save, and 0050 writes language tags in their current shortest form ("deu" → "de"):
 * a restored "deu" was found by no language filter, which all read the short form; 0051 took
 * soft hyphens, zero-width spaces and ligatures out of the searched text (domain/plain-text);
 * 0055 began a claim's `quoted_at` as its `changed_at` (a null one, from before 0030, as
 * `restoredChanges` dates it): left null, its superseded and withdrawn feed entries would go
 * back to their own time, before the `updated` readers have seen.
 */
function upgradeRow(spec: TableSpec, row: Row): Row {
	const out = withoutLayoutHintsIn(
		spec.name,
		LANGUAGE_TABLES.has(spec.name) ? withCurrentLanguageTag(row) : { ...row },
	);
	if (spec.name === "claims" && !("quoted_at" in row)) out.quoted_at = row.changed_at ?? null;
	if (spec.name !== "verdicts") return out;
	if (!("retraction_note" in row)) {
		const retracted = row.state === "retracted";
		out.retraction_note = retracted ? (row.correction_note ?? null) : null;
		if (retracted && (row.supersedes_id ?? null) === null) out.correction_note = null;
	}
	if (!("submitted_at" in row)) {
		const open = row.state === "draft" && (row.changes_requested_at ?? null) === null;
		out.submitted_at = open ? (row.updated_at ?? null) : null;
	}
	return out;
}

const LANGUAGE_TABLES = new Set(["claims", "verdicts", "sources", "retired_claims"]);

/**
 * The searched text columns migration 0051 cleaned, with the length each may have (a
 * ligature spelt out is two or three letters); search terms are computed after the restore.
 * Not speakers' names and aliases, which 0051 leaves as written (their matching keys).
 */
const LAYOUT_HINT_COLUMNS: Record<string, readonly (readonly [column: string, max: number])[]> = {
	claims: [
		["text", 10_000],
		["context", Number.POSITIVE_INFINITY],
	],
	sources: [
		["title", Number.POSITIVE_INFINITY],
		["publisher", Number.POSITIVE_INFINITY],
	],
	retired_claims: [["text", 10_000]],
};

/** A row as 0051 left it (in place: `row` is the restore's own copy); text that would be blank or too long stays. */
function withoutLayoutHintsIn(table: string, row: Row): Row {
	for (const [column, max] of LAYOUT_HINT_COLUMNS[table] ?? []) {
		const value = row[column];
		if (typeof value !== "string") continue;
		const cleaned = withoutLayoutHints(value);
		if (cleaned.trim() !== "" && cleaned.length <= max) row[column] = cleaned;
	}
	return row;
}

function withCurrentLanguageTag(row: Row): Row {
	const { language } = row;
	if (typeof language !== "string") return { ...row };
	return { ...row, language: normalizeLanguageTag(language) ?? language };
}

/** Why a copy that was being fetched when the backup was made has none after the restore. */
export const UNFINISHED_AT_BACKUP =
	'No copy was stored yet when the backup was made; "Archive again" beside the source fetches one.';

/** Migration 0053's reason for an empty copy: what the fetcher says of an empty answer now (reader/safe-fetch). */
const EMPTY_COPY = "The page answered with no content.";

/**
 * A snapshot still `pending` when its row was exported restores as failed with no try due,
 * saying why: its queue message stayed with the old deployment, so nothing would ever fetch
 * it, and it showed as being fetched for good (and its objects, when the copy landed before
 * the manifest was listed, are not restored: store/archive-backup `restoreObject`). One
 * failed with a retry due (`retry_at`) keeps its failure's reason (an HTTP 404 is worth
 * knowing before "Archive again") and loses only the try, whose message stayed behind too:
 * it would say "retried later" for good. A copy of 0 bytes stored as `ok` (a 204 or an empty
 * 200, before 3e262f8) restores as migration 0053 left such rows, a failed try with no retry
 * due: else the claim's page linked an archived copy of nothing, "Archive again" refused the
 * address (409 `archive-not-due`), and its objects were restored beside it.
 */
function restoredSnapshot(spec: TableSpec, row: Row): Row {
	if (spec.name !== "snapshots") return row;
	if (row.state === "failed" && (row.retry_at ?? null) !== null) return { ...row, retry_at: null };
	if (row.state === "ok" && row.bytes === 0)
		return { ...row, state: "failed", error: EMPTY_COPY, retry_at: null };
	if (row.state !== "pending") return row;
	return { ...row, state: "failed", error: UNFINISHED_AT_BACKUP, retry_at: null };
}

/** The end of the file: every table holds what the header announced (else a BackupError). */
export function endOfBackup(state: RestoreState): BackupHeader {
	return new BackupReader(state.read).end();
}

async function runRestoreBatch(
	db: Db,
	batch: Pending[],
	guard: Statement | undefined,
	replayable = false,
): Promise<void> {
	try {
		await runBatch(db, [...(guard ? [guard] : []), ...batch.map((p) => p.statement)]);
	} catch (error) {
		const first = batch[0]?.firstLine;
		const last = batch.at(-1)?.lastLine;
		if (first === undefined) {
			throw new BackupError(`The database refused: ${error instanceof Error ? rootMessage(error) : error}.`, {
				cause: error,
			});
		}
		throw new BackupError(
			`lines ${first}–${last}: the database refused these rows (${error instanceof Error ? rootMessage(error) : error}). Rows before line ${first} are restored; ${replayable ? "the restore goes on from its last page when run again (if these rows are refused again, the file holds rows this database cannot take)" : "empty the database before restoring again"}.`,
			{ cause: error },
		);
	}
}

/** Sets the references restorePage inserted as NULL, now that every row they may point to is in. */
export async function linkDeferred(db: Db, links: readonly DeferredLink[], guard?: Statement): Promise<void> {
	const statements: Statement[] = [];
	for (const spec of TABLES) {
		for (const column of spec.deferred ?? []) {
			const pairs = links.filter((d) => d.table === spec.name && d.column === column);
			for (let i = 0; i < pairs.length; i += DEFERRED_PER_UPDATE) {
				statements.push(setDeferred(db, spec, column, pairs.slice(i, i + DEFERRED_PER_UPDATE)));
			}
		}
	}
	const unknown = links.find(
		(d) => !TABLES.some((s) => s.name === d.table && s.deferred?.includes(d.column)),
	);
	if (unknown) throw new BackupError(`${unknown.table}.${unknown.column} is not a deferred reference.`);
	for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
		try {
			await runBatch(db, [...(guard ? [guard] : []), ...statements.slice(i, i + STATEMENTS_PER_BATCH)]);
		} catch (error) {
			throw new BackupError(
				`Every row is restored, but linking claims to their current verdicts (or corrections to the verdicts they supersede) failed: ${error instanceof Error ? rootMessage(error) : error}.`,
				{ cause: error },
			);
		}
	}
}

/**
 * Restores a backup into an empty database: ids and `seq` values as they were, inserted
 * in foreign-key order in batches whose statements bind at most 100 parameters. The FTS
 * triggers index each claim as its appearances arrive; its search terms (never in a
 * backup) are computed once every claim has its current verdict. D1 has no transaction spanning
 * batches: when a restore fails half-way, what was written stays, and the database must
 * be emptied (or made anew) before trying again.
 */
export async function restoreRows(
	db: Db,
	lines: AsyncIterable<string> | Iterable<string>,
): Promise<RestoreReport> {
	const filled = await filledTables(db);
	if (filled.length > 0) {
		throw new BackupError(
			`The database is not empty (${filled.join(", ")}): a backup is only restored into an empty database. Restore into a new one (fresh state after \`wrangler d1 migrations apply\`).`,
		);
	}
	const page = await restorePage(db, NEW_RESTORE, lines);
	const header = endOfBackup(page.state);
	await linkDeferred(db, page.deferred);
	// As migrations 0031 and 0057 did, for a backup made before 0030 (no `changed_at`),
	// 0043 for one made before 0042 (its drafts' writers) and 0022 for one made before 0020
	// (its imported reviews' publishers), now that the audit log is in.
	await runBatch(db, [
		...restoredChanges(db, page.state),
		...restoredWriters(db, page.state),
		...restoredReviews(db, page.state),
	]);
	// With every claim linked to its current verdict, their search terms (and so their
	// `terms` in the FTS index) can be computed.
	try {
		await reindexSearchTerms(db);
	} catch (error) {
		throw new BackupError(
			`Every row is restored, but computing the claims' search terms failed (run \`npm run reindex\`): ${error instanceof Error ? rootMessage(error) : error}.`,
			{ cause: error },
		);
	}
	const rows = Object.fromEntries(BACKUP_TABLES.map((name) => [name, page.rows[name] ?? 0]));
	return { header, rows };
}

/**
 * One multi-row insert binds one parameter per column per row, at most 100: sized by
 * every column of the table (as `chunkForInsert` does), omitted ones included.
 */
function rowsPerInsert(spec: TableSpec): number {
	return Math.max(1, Math.floor(MAX_PARAMS / Object.keys(getTableColumns(spec.table)).length));
}

/**
 * Raw SQL values keyed by drizzle's property names (drizzle's `db.run(sql)` cannot bind inside a batch).
 * `replayable`: a row already there is left as it is, so a page whose answer was lost, or
 * that failed after some of its batches, can be sent again (the restore over HTTP). A row
 * skipped for being another's duplicate would go unnoticed here: finishing that restore
 * counts every table against the header (remote-restore `checkRestoredCounts`).
 */
function insertRows(db: Db, spec: TableSpec, rows: Row[], replayable = false): Statement {
	const keys = Object.entries(getTableColumns(spec.table)).filter(([, c]) => !spec.omit?.includes(c.name));
	// A column a line lacks (a backup older than it) is left out: its default, or null.
	const values = rows.map((row) =>
		Object.fromEntries(keys.map(([key, c]) => [key, c.name in row ? (row[c.name] ?? null) : undefined])),
	);
	// SQL values go through drizzle's column mapping unchanged (a 0/1 boolean column stays 0/1).
	const insert = db.insert(spec.table).values(values);
	return replayable ? insert.onConflictDoNothing() : insert;
}

/** `SET column = CASE id WHEN ? THEN ? … END WHERE id IN (…)`: three parameters per row. */
function setDeferred(
	db: Db,
	spec: TableSpec,
	column: string,
	pairs: readonly { id: string; value: string }[],
): Statement {
	const columnsByName = new Map(
		Object.entries(getTableColumns(spec.table)).map(([key, c]) => [c.name, { key, c }]),
	);
	const id = columnsByName.get("id")?.c;
	const target = columnsByName.get(column);
	if (!id || !target) throw new Error(`${spec.name}.${column}: no such column`);
	const cases = sql.join(
		pairs.map((p) => sql`WHEN ${p.id} THEN ${p.value}`),
		sql` `,
	);
	return db
		.update(spec.table)
		.set({ [target.key]: sql`CASE ${id} ${cases} END` })
		.where(
			inArray(
				id,
				pairs.map((p) => p.id),
			),
		);
}

/** D1 errors arrive wrapped (drizzle's "Failed query: …" with the whole SQL); the cause says what went wrong. */
function rootMessage(error: Error): string {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current instanceof Error && current.cause instanceof Error; depth++) {
		current = current.cause;
	}
	return current instanceof Error ? current.message : String(current);
}
