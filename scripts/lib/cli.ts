import { spawnSync } from "node:child_process";
import { userInfo } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { getPlatformProxy } from "wrangler";
import { createDb, type Db } from "../../src/factory";
import type { Actor, Statement } from "../../src/store/batch";

/**
 * Shared plumbing of the operator CLIs (`npm run user`, `npm run token`): the local D1
 * of `wrangler dev` by default (or the state under `--persist-to DIR`, as `wrangler dev
 * --persist-to DIR` uses it), or production D1 with `--remote`, where the CLI builds
 * the SQL itself (secrets are hashed here, never sent) and runs it through
 * `wrangler d1 execute DB --remote`.
 */

process.env.WRANGLER_SEND_METRICS ??= "false";

const root = path.resolve(import.meta.dirname, "../..");

export class UsageError extends Error {}

export function cliActor(): Actor {
	let who = "unknown";
	try {
		who = userInfo().username;
	} catch {
		// No passwd entry (some containers): the label still says it came from the CLI.
	}
	return { userId: null, label: `cli:${who}`, requestId: null };
}

export interface LocalTarget {
	db: Db;
	pepper: string | undefined;
}

/** Opens the local D1 (and .dev.vars, for PASSWORD_PEPPER) like `wrangler dev` would. */
export async function withLocal<T>(
	persistTo: string | undefined,
	work: (target: LocalTarget) => Promise<T>,
): Promise<T> {
	const proxy = await getPlatformProxy<Env & { PASSWORD_PEPPER?: string }>({
		configPath: path.join(root, "wrangler.toml"),
		persist: persistTo ? { path: path.join(path.resolve(persistTo), "v3") } : true,
	});
	try {
		return await work({
			db: createDb(proxy.env.DB),
			pepper: proxy.env.PASSWORD_PEPPER ?? process.env.PASSWORD_PEPPER,
		});
	} finally {
		await proxy.dispose();
	}
}

/** A SQLite string literal. */
export function sqlText(value: string | null): string {
	if (value === null) return "NULL";
	if (value.includes("\u0000")) throw new UsageError("NUL characters are not allowed.");
	return `'${value.replaceAll("'", "''")}'`;
}

export const SQL_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/** Runs SQL against production D1 through wrangler and returns the rows of the last statement. */
export function remoteSql<Row = Record<string, unknown>>(sql: string): Row[] {
	// Tests point the remote path at a local database (CLAIMTRACK_CLI_REMOTE_ARGS="--local
	// --persist-to DIR") to prove the generated SQL against real D1 semantics.
	const target = process.env.CLAIMTRACK_CLI_REMOTE_ARGS?.split(" ").filter(Boolean) ?? ["--remote"];
	const run = spawnSync(
		path.join(root, "node_modules/.bin/wrangler"),
		["d1", "execute", "DB", ...target, "--json", "--command", sql],
		{ cwd: root, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
	);
	if (run.status !== 0) throw new Error(`wrangler d1 execute failed:\n${run.stderr || run.stdout}`);
	const parsed = JSON.parse(run.stdout) as { results?: Row[] }[];
	return parsed.at(-1)?.results ?? [];
}

/** A Db that only builds statements (`toSQL`): nothing it makes is ever run through it. */
export function statementBuilder(): Db {
	const unused = () => {
		throw new Error("statementBuilder() only builds SQL; run it with remoteSql.");
	};
	return createDb({ prepare: unused, batch: unused, exec: unused, dump: unused } as unknown as D1Database);
}

/**
 * A store's own statements (the desk runs the same ones) as SQL text for `remoteSql`, with
 * their parameters inlined as literals: the --remote path cannot drift from the desk's.
 */
export function inlineSql(statement: Statement): string {
	// Every statement a store returns is a drizzle query builder, which has toSQL.
	const { sql, params } = (statement as unknown as { toSQL(): { sql: string; params: unknown[] } }).toSQL();
	let next = 0;
	// drizzle quotes identifiers with double quotes and puts every value in a parameter, so
	// each "?" in its SQL is a placeholder.
	const text = sql.replace(/\?/g, () => literal(params[next++]));
	if (next !== params.length) throw new Error(`${params.length} parameters for ${next} placeholders`);
	return text;
}

function literal(value: unknown): string {
	if (value === null || value === undefined) return "NULL";
	if (typeof value === "number" && Number.isFinite(value)) return String(value);
	if (typeof value === "boolean") return value ? "1" : "0";
	if (typeof value === "string") return sqlText(value);
	throw new Error(`cannot inline a ${typeof value} parameter`);
}

export function auditSql(
	actor: Actor,
	action: string,
	entity: string,
	entityIdSql: string,
	changes?: unknown,
): string {
	return `INSERT INTO audit_log (actor_label, action, entity, entity_id, changes) VALUES (${sqlText(actor.label)}, ${sqlText(action)}, ${sqlText(entity)}, ${entityIdSql}, ${changes === undefined ? "NULL" : sqlText(JSON.stringify(changes))})`;
}

/** The options of a CLI: a string option takes a value (`--email E`, `--email=E`), a boolean none (`--remote`). */
export type OptionTypes = Record<string, "string" | "boolean">;

export type CliOptions = Record<string, string | boolean | undefined>;

/** The command word and `--flag value` options (node:util `parseArgs`); a wrong argument prints the usage and exits 2. */
export function parseCli(
	argv: string[],
	types: OptionTypes,
	usage: string,
): { command: string; options: CliOptions } {
	try {
		const { values, positionals } = parseArgs({
			args: argv,
			options: Object.fromEntries(Object.entries(types).map(([name, type]) => [name, { type }])),
			allowPositionals: true,
			strict: true,
		});
		const [command = "", ...extra] = positionals;
		if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra[0]}`);
		return { command, options: values };
	} catch (error) {
		if (!(error instanceof UsageError) && !isParseArgsError(error)) throw error;
		console.error(`${(error as Error).message}\n\n${usage}`);
		process.exit(2);
	}
}

/** parseArgs' errors: an unknown option, a missing value, a value that looks like an option. */
function isParseArgsError(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

export function text(options: CliOptions, name: string): string | undefined {
	const value = options[name];
	if (typeof value === "boolean") throw new UsageError(`--${name} needs a value`);
	return value;
}

export function required(options: CliOptions, name: string): string {
	const value = text(options, name);
	if (!value) throw new UsageError(`--${name} is required`);
	return value;
}

export async function main(usage: string, run: () => Promise<void>): Promise<void> {
	try {
		await run();
	} catch (error) {
		if (error instanceof UsageError) {
			console.error(`${error.message}\n\n${usage}`);
			process.exit(2);
		}
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	}
}

/** A table for a terminal. */
export function printTable(rows: Record<string, unknown>[]): void {
	if (rows.length === 0) {
		console.log("(none)");
		return;
	}
	const columns = Object.keys(rows[0] ?? {});
	const cell = (value: unknown) => (value === null || value === undefined ? "-" : String(value));
	const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
	const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join("  ");
	console.log(line(columns));
	for (const row of rows) console.log(line(columns.map((c) => cell(row[c]))));
}
