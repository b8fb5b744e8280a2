/**
 * npm run import -- <file> [--format claimreview|ndjson|csv|tsv|liar] [--map map.json]
 *                         [--url https://… --token …] [--dry-run]
 *
 * Brings existing fact-checks into a running Claimtrack: reads the file as a stream,
 * sends batches of normalised records to POST /api/v1/import, shows progress on stderr,
 * and writes every rejected row with its line and reason to <file>.rejected.ndjson.
 * An interrupted import resumes where the server last acknowledged (<file>.import-state.json);
 * imports are idempotent, so a batch sent twice changes nothing either way.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { appendFile, readFile, rename, rm, stat, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { type ColumnMapping, columnMappingSchema } from "../src/domain/import";
import { ImportRequestError, type RecordResult, sendBatch } from "./lib/import-client";
import {
	ColumnMappingError,
	detectFormat,
	FORMATS,
	type Format,
	InputError,
	type Item,
	openInput,
} from "./lib/import-input";
import { formatDuration, Progress } from "./lib/import-progress";

const USAGE = `Usage: npm run import -- <file> [options]
  --format F        claimreview (JSON-LD or HTML) | ndjson (records or JSON-LD, one per line) |
                    csv | tsv | liar (the LIAR data set's 14-column TSV); default: by extension
  --map M           column mapping for csv/tsv: a JSON file, or the JSON itself
  --column K=NAME   map one column (repeatable), e.g. --column claim=Statement --column rating=Verdict;
                    NAME may be a 0-based position
  --language L      language of claims that name none (default en)
  --url URL         Claimtrack to import into (default $CLAIMTRACK_URL or http://localhost:8787)
  --token T         API token with the "import" scope (default $CLAIMTRACK_TOKEN)
  --batch-size N    records per request (default 200, at most 500)
  --limit N         stop after N records; run again to go on
  --retries N       tries per batch on network errors, 429 and 5xx (default 6)
  --restart         ignore the state of an earlier, interrupted run
  --dry-run         parse and validate only; nothing is sent
Writes <file>.rejected.ndjson (every rejected row: line, reason) and <file>.warnings.ndjson.`;

class UsageError extends Error {}

const MAX_BATCH_BYTES = 2 * 1024 * 1024;
/** Rejected rows are written out at least this often, also in a file where no row is good. */
const MAX_PENDING_ITEMS = 5_000;

interface Totals {
	created: number;
	updated: number;
	unchanged: number;
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
	return {
		file: path.resolve(file),
		format: format as Format | undefined,
		map: values.map,
		columns: values.column ?? [],
		language: values.language,
		url: (values.url ?? process.env.CLAIMTRACK_URL ?? "http://localhost:8787").replace(/\/+$/, ""),
		token: token ?? "",
		batchSize: positive("batch-size", values["batch-size"], 500) ?? 200,
		limit: positive("limit", values.limit),
		retries: positive("retries", values.retries, 100) ?? 6,
		restart: values.restart === true,
		dryRun,
	};
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

async function main(): Promise<number> {
	const options = parseCommandLine(process.argv.slice(2));
	if (!existsSync(options.file)) throw new UsageError(`No such file: ${options.file}`);
	const format = options.format ?? (await detectFormat(options.file));
	const mapping = await loadMapping(options);
	if (mapping && format !== "csv" && format !== "tsv")
		throw new UsageError(`--map and --column are for csv and tsv, not ${format}.`);

	const rejectedFile = `${options.file}.rejected.ndjson`;
	const warningsFile = `${options.file}.warnings.ndjson`;
	const stateFile = `${options.file}.import-state.json`;
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

	let state = options.dryRun || options.restart ? null : await readState(stateFile);
	const changed = state !== null && state.identity !== identity;
	if (changed) state = null;
	const skip = state?.items ?? 0;
	const totals: Totals = state?.totals ?? {
		created: 0,
		updated: 0,
		unchanged: 0,
		rejected: 0,
		warnings: 0,
		records: 0,
	};
	const rowsDone = () => totals.records + totals.rejected;
	const rowsBefore = rowsDone();
	const bar = new Progress(process.stderr, rowsBefore);
	if (changed)
		bar.note(
			"The file, its format or mapping, or the target changed since the interrupted run: starting over.",
		);
	if (state) {
		await truncate(rejectedFile, state.rejectedBytes).catch(() => writeFile(rejectedFile, ""));
		await truncate(warningsFile, state.warningsBytes).catch(() => writeFile(warningsFile, ""));
		bar.note(
			`Resuming after ${state.items.toLocaleString("en-US")} items${state.line ? ` (line ${state.line})` : ""} acknowledged by the last run.`,
		);
	} else {
		await writeFile(rejectedFile, "");
		await writeFile(warningsFile, "");
		if (!options.dryRun) await rm(stateFile, { force: true });
	}

	let stopping = false;
	process.on("SIGINT", () => {
		if (stopping) process.exit(130);
		stopping = true;
		bar.note("Stopping after the current batch (Ctrl-C again to quit at once)…");
	});

	const input = await openInput(options.file, { format, mapping, language: options.language });
	let consumed = 0;
	const fraction = () => input.fraction();
	let lastLine: number | null = state?.line ?? null;
	let pending: Item[] = [];
	let batch: { item: Item & { kind: "record" }; json: string }[] = [];
	let batchBytes = 0;
	let queuedRecords = 0;

	const flush = async () => {
		if (pending.length === 0) return;
		const results: (RecordResult | undefined)[] =
			options.dryRun || batch.length === 0
				? []
				: await sendBatch(
						{
							url: options.url,
							token: options.token,
							attempts: options.retries,
							onRetry: (message) => bar.note(`Retrying: ${message}`),
						},
						batch.map((b) => b.json),
					);
		const rejected: string[] = [];
		const warnings: string[] = [];
		let r = 0;
		for (const item of pending) {
			if (item.line !== undefined) lastLine = item.line;
			const where = { ...(item.line !== undefined ? { line: item.line } : {}), index: item.index };
			if (item.kind === "rejected") {
				rejected.push(JSON.stringify({ ...where, reason: item.reason, stage: "parse" }));
				totals.rejected++;
			} else if (item.kind === "warning") {
				warnings.push(JSON.stringify({ ...where, message: item.message }));
				totals.warnings++;
			} else {
				const result = results[r++];
				totals.records++;
				if (!result) continue;
				if (result.status === "rejected") {
					rejected.push(
						JSON.stringify({
							...where,
							reason: result.reason ?? "rejected",
							stage: "server",
							...(item.record.externalId ? { externalId: item.record.externalId } : {}),
							claim: excerpt(item.record.claim.text),
						}),
					);
					totals.records--;
					totals.rejected++;
				} else totals[result.status]++;
				for (const message of result.warnings ?? []) {
					warnings.push(JSON.stringify({ ...where, claimId: result.claimId, message }));
					totals.warnings++;
				}
			}
		}
		if (rejected.length > 0) await appendFile(rejectedFile, `${rejected.join("\n")}\n`);
		if (warnings.length > 0) await appendFile(warningsFile, `${warnings.join("\n")}\n`);
		pending = [];
		batch = [];
		batchBytes = 0;
		if (!options.dryRun) {
			await writeState(stateFile, {
				version: 1,
				identity,
				items: consumed,
				line: lastLine,
				rejectedBytes: await sizeOf(rejectedFile),
				warningsBytes: await sizeOf(warningsFile),
				totals,
				updatedAt: new Date().toISOString(),
			});
		}
	};

	let limited = false;
	try {
		for await (const item of input.items) {
			consumed++;
			if (consumed <= skip) continue;
			pending.push(item);
			if (item.kind === "record") {
				const json = JSON.stringify(item.record);
				batch.push({ item, json });
				batchBytes += json.length + 1;
				queuedRecords++;
			}
			if (
				batch.length >= options.batchSize ||
				batchBytes >= MAX_BATCH_BYTES ||
				pending.length >= MAX_PENDING_ITEMS
			)
				await flush();
			bar.update(rowsDone(), fraction());
			if (options.limit !== undefined && queuedRecords >= options.limit) {
				limited = true;
				break;
			}
			if (stopping) break;
		}
		await flush();
	} catch (error) {
		if (consumed > skip) bar.finish(rowsDone(), fraction());
		if (!options.dryRun && consumed > 0)
			process.stderr.write(
				`Stopped; ${rowsDone().toLocaleString("en-US")} rows are done, run the same command to go on.\n`,
			);
		throw error;
	}
	bar.finish(rowsDone(), limited || stopping ? fraction() : 1);

	const seconds = bar.elapsedSeconds();
	const sessionRows = rowsDone() - rowsBefore;
	const finished = !limited && !stopping;
	if (finished && !options.dryRun) await rm(stateFile, { force: true });
	for (const file of [rejectedFile, warningsFile])
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
				]),
		`  rejected  ${n(totals.rejected)}${totals.rejected > 0 ? `  → ${rejectedFile}` : ""}`,
		`  warnings  ${n(totals.warnings)}${totals.warnings > 0 ? `  → ${warningsFile}` : ""}`,
	];
	if (rowsBefore > 0)
		lines.push(`  (${rowsBefore.toLocaleString("en-US")} of these rows were done by an earlier run)`);
	if (!finished)
		lines.push(
			`${limited ? `Stopped after ${options.limit} records (--limit)` : "Interrupted"}: run the same command${limited ? " without --limit" : ""} to go on.`,
		);
	console.log(lines.join("\n"));
	return stopping ? 130 : 0;
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
