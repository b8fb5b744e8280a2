/**
 * npm run import -- <file> [--format claimreview|ndjson|csv|tsv|liar] [--map map.json]
 *                         [--url https://… --token …] [--dry-run]
 *
 * Brings existing fact-checks into a running Claimtrack: reads the file as a stream,
 * sends batches of normalised records to POST /api/v1/import, shows progress on stderr,
 * and writes every rejected row with its line and reason to <file>.rejected.ndjson.
 * An interrupted import resumes where the server last acknowledged (<file>.import-state.json);
 * imports are idempotent, so a batch sent twice changes nothing either way. A record of a
 * claim an earlier record of the file gave another verdict is refused here, whichever
 * request each falls in (lib/import-conflicts): the server sees one request at a time.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { appendFile, readFile, rename, rm, stat, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import type { ImportRecord } from "../src/schemas/import-record";
import { ImportRequestError, type RecordResult, sendBatch } from "./lib/import-client";
import { type FilePlace, fileReason, VerdictConflicts } from "./lib/import-conflicts";
import {
	ColumnMappingError,
	detectFormat,
	FORMATS,
	type Format,
	type Input,
	InputError,
	type Item,
	openInput,
} from "./lib/import-input";
import { type ColumnMapping, columnMappingSchema } from "./lib/import-mapping";
import { formatDuration, Progress } from "./lib/import-progress";
import { TokenUrlError, tokenUrlOf } from "./lib/token-url";

const USAGE = `Usage: npm run import -- <file> [options]
  --format F        claimreview (JSON-LD or HTML) | ndjson (records or JSON-LD, one per line) |
                    csv | tsv | liar (the LIAR data set's 14-column TSV); default: by extension
  --map M           column mapping for csv/tsv: a JSON file, or the JSON itself
  --column K=NAME   map one column (repeatable), e.g. --column claim=Statement --column rating=Verdict;
                    NAME may be a 0-based position
  --language L      language of claims that name none (default en)
  --url URL         Claimtrack to import into (default $CLAIMTRACK_URL; one of them unless --dry-run):
                    https://…, or http:// to this machine only (a local npm start: http://localhost:8787)
  --token T         API token with the "import" scope (default $CLAIMTRACK_TOKEN)
  --batch-size N    records per request (default 200, at most 500)
  --limit N         stop after N records; run again to go on
  --retries N       tries per batch on network errors, 429 and 5xx (default 6)
  --restart         ignore the state of an earlier, interrupted run
  --dry-run         parse and validate only; nothing is sent
Writes <file>.rejected.ndjson (every rejected row: line, reason) and <file>.warnings.ndjson.
Of two records of one claim with different verdicts, the later is rejected: the first decides.`;

class UsageError extends Error {}

const MAX_BATCH_BYTES = 2 * 1024 * 1024;
/** Rejected rows are written out at least this often, also in a file where no row is good. */
const MAX_PENDING_ITEMS = 5_000;

interface Totals {
	created: number;
	updated: number;
	unchanged: number;
	/** The same claim as a recorded one in other words: added as appearances. */
	linked?: number;
	rejected: number;
	warnings: number;
	/** Records sent (or validated, in a dry run). */
	records: number;
}

interface State {
	version: 1;
	/** What the import was: a changed file, format, mapping or target starts it over. */
	identity: string;
	/** Items of the input that are done: sent and acknowledged, or written as rejected. */
	items: number;
	/** Line of the last acknowledged row, for people reading the file. */
	line: number | null;
	rejectedBytes: number;
	warningsBytes: number;
	totals: Totals;
	updatedAt: string;
}

function parseCommandLine(argv: string[]) {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			format: { type: "string" },
			map: { type: "string" },
			column: { type: "string", multiple: true },
			language: { type: "string" },
			url: { type: "string" },
			token: { type: "string" },
			"batch-size": { type: "string" },
			limit: { type: "string" },
			retries: { type: "string" },
			restart: { type: "boolean" },
			"dry-run": { type: "boolean" },
			help: { type: "boolean", short: "h" },
		},
	});
	if (values.help) {
		console.log(USAGE);
		process.exit(0);
	}
	const [file, ...extra] = positionals;
	if (!file || extra.length > 0) throw new UsageError("Give exactly one input file.");
	const format = values.format?.toLowerCase();
	if (format !== undefined && !(FORMATS as readonly string[]).includes(format))
		throw new UsageError(`--format must be one of ${FORMATS.join(", ")}.`);
	const positive = (name: string, value: string | undefined, max = Number.MAX_SAFE_INTEGER) => {
		if (value === undefined) return undefined;
		const n = Number(value);
		if (!Number.isInteger(n) || n < 1 || n > max)
			throw new UsageError(`--${name} must be a whole number from 1 to ${max}.`);
		return n;
	};
	const dryRun = values["dry-run"] === true;
	const token = values.token ?? process.env.CLAIMTRACK_TOKEN;
	if (!dryRun && !token)
		throw new UsageError("Give an API token: --token ct_… or CLAIMTRACK_TOKEN (or use --dry-run).");
	const url = dryRun ? (values.url ?? process.env.CLAIMTRACK_URL ?? "") : targetOf(values.url);
	return {
		file: path.resolve(file),
		format: format as Format | undefined,
		map: values.map,
		columns: values.column ?? [],
		language: values.language,
		url,
		token: token ?? "",
		batchSize: positive("batch-size", values["batch-size"], 500) ?? 200,
		limit: positive("limit", values.limit),
		retries: positive("retries", values.retries, 100) ?? 6,
		restart: values.restart === true,
		dryRun,
	};
}

/**
 * Where a run that sends goes: named, never a default (a production token in the environment
 * would go to whatever listens on localhost:8787), and an address the token may go to
 * (tokenUrlOf). A dry run sends nothing and needs neither.
 */
function targetOf(option: string | undefined): string {
	const [url, name] =
		option !== undefined ? [option, "--url"] : [process.env.CLAIMTRACK_URL, "CLAIMTRACK_URL"];
	if (!url)
		throw new UsageError(
			"Give the Claimtrack to import into: --url https://… or CLAIMTRACK_URL (a local npm start: --url http://localhost:8787).",
		);
	try {
		return tokenUrlOf(url, name);
	} catch (error) {
		throw error instanceof TokenUrlError ? new UsageError(error.message) : error;
	}
}

type Options = ReturnType<typeof parseCommandLine>;

async function loadMapping(options: Options): Promise<ColumnMapping | undefined> {
	let raw: Record<string, unknown> | undefined;
	if (options.map !== undefined) {
		const text = options.map.trim().startsWith("{") ? options.map : await readFile(options.map, "utf8");
		try {
			raw = JSON.parse(text) as Record<string, unknown>;
		} catch (error) {
			throw new UsageError(`--map: not JSON (${(error as Error).message}).`);
		}
	}
	if (options.columns.length > 0) {
		const columns: Record<string, string | number> = { ...(raw?.columns as Record<string, string | number>) };
		for (const pair of options.columns) {
			const match = /^([A-Za-z]+)=(.+)$/.exec(pair);
			if (!match?.[1] || match[2] === undefined)
				throw new UsageError(`--column ${pair}: write it as key=Header.`);
			columns[match[1]] = /^\d+$/.test(match[2]) ? Number(match[2]) : match[2];
		}
		raw = { ...raw, columns };
	}
	if (raw === undefined) return undefined;
	const parsed = columnMappingSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new UsageError(`Column mapping: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
	}
	return parsed.data;
}

async function readState(file: string): Promise<State | null> {
	try {
		const state = JSON.parse(await readFile(file, "utf8")) as State;
		return state.version === 1 ? state : null;
	} catch {
		return null;
	}
}

/** Written beside and renamed over, so an interruption never leaves half a state file. */
async function writeState(file: string, state: State): Promise<void> {
	await writeFile(`${file}.tmp`, JSON.stringify(state, null, "\t"));
	await rename(`${file}.tmp`, file);
}

async function sizeOf(file: string): Promise<number> {
	return existsSync(file) ? (await stat(file)).size : 0;
}

const excerpt = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

/** What names a rejected record besides its place: its id and the start of its claim. */
const about = (record: ImportRecord) => ({
	...(record.externalId ? { externalId: record.externalId } : {}),
	claim: excerpt(record.claim.text),
});

/** What a run needs to know before it reads the first item: the file's format, mapping and identity, and where an earlier run stopped. */
async function prepare(options: Options) {
	if (!existsSync(options.file)) throw new UsageError(`No such file: ${options.file}`);
	const format = options.format ?? (await detectFormat(options.file));
	const mapping = await loadMapping(options);
	if (mapping && format !== "csv" && format !== "tsv")
		throw new UsageError(`--map and --column are for csv and tsv, not ${format}.`);
	const info = await stat(options.file);
	const identity = createHash("sha256")
		.update(
			JSON.stringify([
				info.size,
				info.mtimeMs,
				format,
				mapping ?? null,
				options.language ?? null,
				options.url,
			]),
		)
		.digest("hex");
	const files = {
		rejected: `${options.file}.rejected.ndjson`,
		warnings: `${options.file}.warnings.ndjson`,
		state: `${options.file}.import-state.json`,
	};
	const earlier = options.dryRun || options.restart ? null : await readState(files.state);
	const changed = earlier !== null && earlier.identity !== identity;
	return { format, mapping, identity, files, state: changed ? null : earlier, changed };
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

/** An item read, or a record refused here: its claim had another verdict earlier in the file. */
type Pending =
	| Item
	| { kind: "conflict"; index: number; line?: number; record: ImportRecord; reason: string };

/**
 * One run of the import: reads items, sends records in batches, writes rejected rows and
 * warnings as the server answers, and after each batch the state a later run resumes from.
 */
class ImportRun {
	readonly totals: Totals;
	readonly bar: Progress;
	/** Rows done by earlier runs. */
	readonly rowsBefore: number;
	/** Items of the input consumed so far, also those an earlier run did. */
	consumed = 0;
	stopping = false;
	limited = false;
	#lastLine: number | null;
	#pending: Pending[] = [];
	/** The first verdict of each claim in the file, for the whole run (scripts/lib/import-conflicts). */
	readonly #conflicts = new VerdictConflicts();
	#batch: { item: Item & { kind: "record" }; json: string }[] = [];
	#batchBytes = 0;
	#queuedRecords = 0;

	constructor(
		readonly options: Options,
		readonly prepared: Prepared,
	) {
		this.totals = prepared.state?.totals ?? {
			created: 0,
			updated: 0,
			unchanged: 0,
			linked: 0,
			rejected: 0,
			warnings: 0,
			records: 0,
		};
		this.#lastLine = prepared.state?.line ?? null;
		this.rowsBefore = this.rowsDone();
		this.bar = new Progress(process.stderr, this.rowsBefore);
	}

	rowsDone(): number {
		return this.totals.records + this.totals.rejected;
	}

	/** Truncates the output files to what the resumed state had written, or starts them anew. */
	async open(): Promise<void> {
		const { state, changed, files } = this.prepared;
		if (changed)
			this.bar.note(
				"The file, its format or mapping, or the target changed since the interrupted run: starting over.",
			);
		if (state) {
			await truncate(files.rejected, state.rejectedBytes).catch(() => writeFile(files.rejected, ""));
			await truncate(files.warnings, state.warningsBytes).catch(() => writeFile(files.warnings, ""));
			this.bar.note(
				`Resuming after ${state.items.toLocaleString("en-US")} items${state.line ? ` (line ${state.line})` : ""} acknowledged by the last run.`,
			);
		} else {
			await writeFile(files.rejected, "");
			await writeFile(files.warnings, "");
			if (!this.options.dryRun) await rm(files.state, { force: true });
		}
	}

	/** Reads every item (skipping those an earlier run did), sending batches as they fill. */
	async readAll(input: Input): Promise<void> {
		const skip = this.prepared.state?.items ?? 0;
		const { options } = this;
		try {
			for await (const item of input.items) {
				this.consumed++;
				if (this.consumed <= skip) {
					// Read as in a whole run: a claim's first verdict may be among them.
					if (item.kind === "record") await this.#conflicts.check(item.record, item);
					continue;
				}
				await this.#queue(item);
				if (
					this.#batch.length >= options.batchSize ||
					this.#batchBytes >= MAX_BATCH_BYTES ||
					this.#pending.length >= MAX_PENDING_ITEMS
				)
					await this.#flush();
				this.bar.update(this.rowsDone(), input.fraction());
				if (options.limit !== undefined && this.#queuedRecords >= options.limit) {
					this.limited = true;
					break;
				}
				if (this.stopping) break;
			}
			await this.#flush();
		} catch (error) {
			if (this.consumed > skip) this.bar.finish(this.rowsDone(), input.fraction());
			if (!options.dryRun && this.consumed > 0)
				process.stderr.write(
					`Stopped; ${this.rowsDone().toLocaleString("en-US")} rows are done, run the same command to go on.\n`,
				);
			throw error;
		}
		this.bar.finish(this.rowsDone(), this.limited || this.stopping ? input.fraction() : 1);
	}

	async #queue(item: Item): Promise<void> {
		const conflict = item.kind === "record" ? await this.#conflicts.check(item.record, item) : null;
		if (item.kind === "record" && conflict !== null) {
			this.#pending.push({ ...item, kind: "conflict", reason: conflict });
			return;
		}
		this.#pending.push(item);
		if (item.kind !== "record") return;
		const json = JSON.stringify(item.record);
		this.#batch.push({ item, json });
		this.#batchBytes += json.length + 1;
		this.#queuedRecords++;
	}

	/** Sends the batch, writes what came of each pending item, and the state to resume from. */
	async #flush(): Promise<void> {
		if (this.#pending.length === 0) return;
		const { options } = this;
		const { files } = this.prepared;
		const results: (RecordResult | undefined)[] =
			options.dryRun || this.#batch.length === 0
				? []
				: await sendBatch(
						{
							url: options.url,
							token: options.token,
							attempts: options.retries,
							onRetry: (message) => this.bar.note(`Retrying: ${message}`),
						},
						this.#batch.map((b) => b.json),
					);
		const out = { rejected: [] as string[], warnings: [] as string[] };
		const places: FilePlace[] = this.#batch.map((b) => b.item);
		let r = 0;
		for (const item of this.#pending)
			this.#tally(item, item.kind === "record" ? results[r++] : undefined, out, places);
		if (out.rejected.length > 0) await appendFile(files.rejected, `${out.rejected.join("\n")}\n`);
		if (out.warnings.length > 0) await appendFile(files.warnings, `${out.warnings.join("\n")}\n`);
		this.#pending = [];
		this.#batch = [];
		this.#batchBytes = 0;
		if (!options.dryRun) {
			await writeState(files.state, {
				version: 1,
				identity: this.prepared.identity,
				items: this.consumed,
				line: this.#lastLine,
				rejectedBytes: await sizeOf(files.rejected),
				warningsBytes: await sizeOf(files.warnings),
				totals: this.totals,
				updatedAt: new Date().toISOString(),
			});
		}
	}

	/** Counts one item and adds its lines for the rejected and warnings files. */
	#tally(
		item: Pending,
		result: RecordResult | undefined,
		out: { rejected: string[]; warnings: string[] },
		places: readonly FilePlace[],
	): void {
		const { totals } = this;
		if (item.line !== undefined) this.#lastLine = item.line;
		const where = { ...(item.line !== undefined ? { line: item.line } : {}), index: item.index };
		if (item.kind === "rejected") {
			out.rejected.push(JSON.stringify({ ...where, reason: item.reason, stage: "parse" }));
			totals.rejected++;
			return;
		}
		if (item.kind === "warning") {
			out.warnings.push(JSON.stringify({ ...where, message: item.message }));
			totals.warnings++;
			return;
		}
		if (item.kind === "conflict") {
			out.rejected.push(
				JSON.stringify({ ...where, reason: item.reason, stage: "file", ...about(item.record) }),
			);
			totals.rejected++;
			return;
		}
		totals.records++;
		if (!result) return;
		if (result.status === "rejected") {
			out.rejected.push(
				JSON.stringify({
					...where,
					// "record N of this batch" is a place in one request: the file's line reads.
					reason: fileReason(result.reason ?? "rejected", places),
					stage: "server",
					...about(item.record),
				}),
			);
			totals.records--;
			totals.rejected++;
		} else if (result.status === "linked") totals.linked = (totals.linked ?? 0) + 1;
		else totals[result.status]++;
		for (const message of result.warnings ?? []) {
			out.warnings.push(JSON.stringify({ ...where, claimId: result.claimId, message }));
			totals.warnings++;
		}
	}

	/** Removes the state of a finished run and empty output files; prints the totals. */
	async report(): Promise<number> {
		const { options, totals } = this;
		const { files, format } = this.prepared;
		const seconds = this.bar.elapsedSeconds();
		const sessionRows = this.rowsDone() - this.rowsBefore;
		const finished = !this.limited && !this.stopping;
		if (finished && !options.dryRun) await rm(files.state, { force: true });
		for (const file of [files.rejected, files.warnings])
			if ((await sizeOf(file)) === 0) await rm(file, { force: true });

		const n = (value: number) => value.toLocaleString("en-US").padStart(10);
		const lines = [
			`${options.dryRun ? "Checked" : finished ? "Imported" : "Stopped importing"} ${path.basename(options.file)} (${format}) in ${formatDuration(seconds)}: ${Math.round(sessionRows / Math.max(seconds, 0.001)).toLocaleString("en-US")} rows/s`,
			...(options.dryRun
				? [`  valid     ${n(totals.records)}`]
				: [
						`  created   ${n(totals.created)}`,
						`  updated   ${n(totals.updated)}`,
						`  unchanged ${n(totals.unchanged)}`,
						`  linked    ${n(totals.linked ?? 0)}`,
					]),
			`  rejected  ${n(totals.rejected)}${totals.rejected > 0 ? `  → ${files.rejected}` : ""}`,
			`  warnings  ${n(totals.warnings)}${totals.warnings > 0 ? `  → ${files.warnings}` : ""}`,
		];
		if (this.rowsBefore > 0)
			lines.push(`  (${this.rowsBefore.toLocaleString("en-US")} of these rows were done by an earlier run)`);
		if (!finished)
			lines.push(
				`${this.limited ? `Stopped after ${options.limit} records (--limit)` : "Interrupted"}: run the same command${this.limited ? " without --limit" : ""} to go on.`,
			);
		console.log(lines.join("\n"));
		return this.stopping ? 130 : 0;
	}
}

async function main(): Promise<number> {
	const options = parseCommandLine(process.argv.slice(2));
	const prepared = await prepare(options);
	const run = new ImportRun(options, prepared);
	await run.open();
	process.on("SIGINT", () => {
		if (run.stopping) process.exit(130);
		run.stopping = true;
		run.bar.note("Stopping after the current batch (Ctrl-C again to quit at once)…");
	});
	const input = await openInput(options.file, {
		format: prepared.format,
		mapping: prepared.mapping,
		language: options.language,
	});
	await run.readAll(input);
	return run.report();
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		if (error instanceof UsageError) {
			process.stderr.write(`${error.message}\n\n${USAGE}\n`);
			process.exit(2);
		}
		if (
			error instanceof InputError ||
			error instanceof ColumnMappingError ||
			error instanceof ImportRequestError
		) {
			process.stderr.write(`import: ${error.message}\n`);
			process.exit(1);
		}
		process.stderr.write(
			`import: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exit(1);
	},
);
