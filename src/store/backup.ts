import { getTableColumns, inArray, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
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
import type { Db } from "../factory";
import { MAX_PARAMS, runBatch, type Statement } from "./batch";
import { reindexSearchTerms } from "./search-terms";

/**
 * Backup and restore as NDJSON: a header line, then one `{"table", "row"}` line per
 * row with the raw SQL values, table by table in foreign-key order. Secrets stay out:
 * password hashes, sessions, API tokens, idempotency keys and rate-limit counters are
 * not exported (users are, without hash, so audit rows and verdict authors resolve).
 */

const BACKUP_FORMAT = "claimtrack-backup";
const BACKUP_VERSION = 1;

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
	/** Added after format version 1: a backup may lack it (count 0). */
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
	{ name: "verdicts", table: verdicts, deferred: ["supersedes_id"] },
	{ name: "claim_changes", table: claimChanges },
	{ name: "speaker_redirects", table: speakerRedirects },
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
	{ name: "retired_claims", table: retiredClaims, addedLater: true },
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
}

function columnsOf(spec: TableSpec): ColumnSpec[] {
	return Object.values(getTableColumns(spec.table))
		.filter((column) => !spec.omit?.includes(column.name))
		.map((column) => ({
			name: column.name,
			type: column.getSQLType() === "integer" ? "integer" : "text",
			notNull: column.notNull,
		}));
}

const COLUMNS = new Map(TABLES.map((spec) => [spec.name, columnsOf(spec)]));

function columns(spec: TableSpec): ColumnSpec[] {
	return COLUMNS.get(spec.name) ?? [];
}

/** A problem with the backup itself (or the target database), with the line it concerns. */
export class BackupError extends Error {
	override name = "BackupError";
}

// ---------------------------------------------------------------------------------- export

async function countRows(db: Db, spec: TableSpec): Promise<number> {
	const row = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${spec.table}`);
	return row?.n ?? 0;
}

function withoutSecrets(changes: Value): Value {
	if (typeof changes !== "string") return changes;
	let removed = false;
	const scrub = (value: unknown): unknown => {
		if (Array.isArray(value)) return value.map(scrub);
		if (value === null || typeof value !== "object") return value;
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) {
			if (SECRET_KEYS.has(key)) removed = true;
			else out[key] = scrub(inner);
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
 * The backup, line by line (without newlines): a header, then every row. Pages by each
 * table's rowid, so only one page is in memory at a time. Rows written while the export
 * runs may or may not be included; the header's counts are taken first, and a restore
 * refuses a file whose rows do not match them, so export a database nobody writes to.
 */
export async function* exportRows(
	db: Db,
	options: { pageSize?: number; withNotes?: boolean } = {},
): AsyncGenerator<string> {
	const pageSize = options.pageSize ?? EXPORT_PAGE;
	const tables = TABLES.filter((spec) => !spec.optional || options.withNotes);
	const counts: Record<string, number> = {};
	for (const spec of tables) counts[spec.name] = await countRows(db, spec);
	yield JSON.stringify({
		format: BACKUP_FORMAT,
		version: BACKUP_VERSION,
		exportedAt: new Date().toISOString(),
		tables: counts,
	});
	for (const spec of tables) {
		const cols = columns(spec);
		const list = sql.join(
			cols.map((c) => sql.identifier(c.name)),
			sql`, `,
		);
		// In the order rows were written (rowid), not by their random text ids: a restore
		// inserts them in file order, and reads break ties of equal times by rowid (a
		// claim's sources written in one statement share a millisecond).
		let after: Value = null;
		for (;;) {
			const where: SQL = after === null ? sql`` : sql`WHERE rowid > ${after}`;
			const rows = await db.all<Row>(
				sql`SELECT rowid AS backup_rowid, ${list} FROM ${spec.table} ${where} ORDER BY rowid LIMIT ${pageSize}`,
			);
			for (const row of rows) {
				const out: Row = {};
				for (const c of cols) out[c.name] = row[c.name] ?? null;
				if (spec.name === "audit_log") out.changes = withoutSecrets(out.changes ?? null);
				yield JSON.stringify({ table: spec.name, row: out });
			}
			const last = rows.at(-1);
			if (rows.length < pageSize || !last) break;
			after = last.backup_rowid ?? null;
		}
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
				return [c.name, c.notNull ? base : base.nullable()];
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
 * Parses and validates every line: the header first, rows in table order, each row
 * complete and of the right types, and as many rows per table as the header says.
 */
async function* parseBackup(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<Parsed> {
	let lineNo = 0;
	let header: BackupHeader | null = null;
	let current = -1;
	const seen = new Map<string, number>();
	const closeTable = (index: number, at: number) => {
		const spec = TABLES[index];
		if (!spec || !header) return;
		const expected = header.tables[spec.name] ?? 0;
		const got = seen.get(spec.name) ?? 0;
		if (got !== expected) {
			throw new BackupError(
				`line ${at}: the header announces ${expected} ${spec.name} rows, the file has ${got}: the file is truncated or was exported while the database changed.`,
			);
		}
	};
	for await (const raw of lines) {
		lineNo++;
		const text = raw.trim();
		if (text === "") continue;
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch (error) {
			throw new BackupError(`line ${lineNo}: not JSON (${error instanceof Error ? error.message : error}).`);
		}
		if (!header) {
			const parsed = headerSchema.safeParse(value);
			if (!parsed.success) {
				throw new BackupError(`line ${lineNo}: not a valid backup header: ${issueText(parsed.error)}.`);
			}
			header = parsed.data;
			yield { line: lineNo, header };
			continue;
		}
		const parsedLine = lineSchema.safeParse(value);
		if (!parsedLine.success) throw new BackupError(`line ${lineNo}: ${issueText(parsedLine.error)}.`);
		const index = BACKUP_TABLES.indexOf(parsedLine.data.table);
		const spec = TABLES[index];
		const schema = spec ? ROW_SCHEMAS.get(spec.name) : undefined;
		if (!spec || !schema) throw new BackupError(`line ${lineNo}: unknown table ${parsedLine.data.table}.`);
		if (index < current) {
			throw new BackupError(
				`line ${lineNo}: a ${spec.name} row after ${TABLES[current]?.name} rows; rows must come table by table in the order ${BACKUP_TABLES.join(", ")}.`,
			);
		}
		while (current < index) {
			closeTable(current, lineNo);
			current++;
		}
		const row = schema.safeParse(parsedLine.data.row);
		if (!row.success) throw new BackupError(`line ${lineNo}: ${spec.name} row: ${issueText(row.error)}.`);
		seen.set(spec.name, (seen.get(spec.name) ?? 0) + 1);
		yield { line: lineNo, spec, row: row.data as Row };
	}
	if (!header) throw new BackupError("The backup is empty: no header line.");
	while (current < TABLES.length) {
		closeTable(current, lineNo);
		current++;
	}
}

/** Reads a backup through without touching any database: whether a restore would accept it. */
export async function checkBackup(lines: AsyncIterable<string> | Iterable<string>): Promise<BackupHeader> {
	let header: BackupHeader | null = null;
	for await (const item of parseBackup(lines)) if ("header" in item) header = item.header;
	if (!header) throw new BackupError("The backup is empty: no header line.");
	return header;
}

/** Row counts of the tables a backup fills; all zero means the database is empty. */
async function backupTableCounts(db: Db): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const spec of TABLES) counts[spec.name] = await countRows(db, spec);
	return counts;
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
	const existing = await backupTableCounts(db);
	const filled = Object.entries(existing).filter(([, n]) => n > 0);
	if (filled.length > 0) {
		throw new BackupError(
			`The database is not empty (${filled.map(([t, n]) => `${t}: ${n}`).join(", ")}): a backup is only restored into an empty database. Restore into a new one (fresh state after \`wrangler d1 migrations apply\`).`,
		);
	}

	let header: BackupHeader | null = null;
	const rowsDone: Record<string, number> = Object.fromEntries(BACKUP_TABLES.map((name) => [name, 0]));
	const deferred: { spec: TableSpec; column: string; id: string; value: string }[] = [];
	let statements: Pending[] = [];
	let buffer: { spec: TableSpec; rows: Row[]; firstLine: number; lastLine: number } | null = null;

	const flushBatch = async () => {
		const batch = statements;
		statements = [];
		if (batch.length === 0) return;
		try {
			await runBatch(
				db,
				batch.map((p) => p.statement),
			);
		} catch (error) {
			const first = batch[0]?.firstLine;
			const last = batch.at(-1)?.lastLine;
			throw new BackupError(
				`lines ${first}–${last}: the database refused these rows (${error instanceof Error ? rootMessage(error) : error}). Rows before line ${first} are restored; empty the database before restoring again.`,
				{ cause: error },
			);
		}
	};
	const queue = async (pending: Pending) => {
		statements.push(pending);
		if (statements.length >= STATEMENTS_PER_BATCH) await flushBatch();
	};
	const flushRows = async () => {
		if (!buffer || buffer.rows.length === 0) return;
		const { spec, rows, firstLine, lastLine } = buffer;
		buffer = null;
		await queue({ statement: insertRows(db, spec, rows), firstLine, lastLine });
	};

	for await (const item of parseBackup(lines)) {
		if ("header" in item) {
			header = item.header;
			continue;
		}
		const { spec, line } = item;
		const row = { ...item.row };
		for (const column of spec.deferred ?? []) {
			const value = row[column];
			if (typeof value === "string") {
				deferred.push({ spec, column, id: String(row.id), value });
				row[column] = null;
			}
		}
		if (buffer && buffer.spec !== spec) await flushRows();
		buffer ??= { spec, rows: [], firstLine: line, lastLine: line };
		buffer.rows.push(row);
		buffer.lastLine = line;
		if (buffer.rows.length >= rowsPerInsert(spec)) await flushRows();
		rowsDone[spec.name] = (rowsDone[spec.name] ?? 0) + 1;
	}
	await flushRows();
	await flushBatch();
	if (!header) throw new BackupError("The backup is empty: no header line.");

	// Every row is in now, so each deferred reference finds its target.
	const links: Statement[] = [];
	for (const spec of TABLES) {
		for (const column of spec.deferred ?? []) {
			const pairs = deferred.filter((d) => d.spec === spec && d.column === column);
			for (let i = 0; i < pairs.length; i += DEFERRED_PER_UPDATE) {
				links.push(setDeferred(db, spec, column, pairs.slice(i, i + DEFERRED_PER_UPDATE)));
			}
		}
	}
	for (let i = 0; i < links.length; i += STATEMENTS_PER_BATCH) {
		try {
			await runBatch(db, links.slice(i, i + STATEMENTS_PER_BATCH));
		} catch (error) {
			throw new BackupError(
				`Every row is restored, but linking claims to their current verdicts (or corrections to the verdicts they supersede) failed: ${error instanceof Error ? rootMessage(error) : error}.`,
				{ cause: error },
			);
		}
	}
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
	return { header, rows: rowsDone };
}

/**
 * One multi-row insert binds one parameter per column per row, at most 100: sized by
 * every column of the table (as `chunkForInsert` does), omitted ones included.
 */
function rowsPerInsert(spec: TableSpec): number {
	return Math.max(1, Math.floor(MAX_PARAMS / Object.keys(getTableColumns(spec.table)).length));
}

/** Raw SQL values keyed by drizzle's property names (drizzle's `db.run(sql)` cannot bind inside a batch). */
function insertRows(db: Db, spec: TableSpec, rows: Row[]): Statement {
	const keys = Object.entries(getTableColumns(spec.table)).filter(([, c]) => !spec.omit?.includes(c.name));
	const values = rows.map((row) => Object.fromEntries(keys.map(([key, c]) => [key, row[c.name] ?? null])));
	// SQL values go through drizzle's column mapping unchanged (a 0/1 boolean column stays 0/1).
	return db.insert(spec.table).values(values);
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
