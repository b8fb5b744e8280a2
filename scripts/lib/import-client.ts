/**
 * Sends import batches to a running Claimtrack (`POST /api/v1/import`). Imports are
 * idempotent, so a batch whose answer was lost is simply sent again: network errors,
 * 429 and 5xx are retried with backoff; a 413 splits the batch.
 */
import { shiftBatchRecords } from "./import-conflicts";

export interface RecordResult {
	index: number;
	status: "created" | "updated" | "unchanged" | "linked" | "rejected";
	claimId?: string;
	reason?: string;
	changes?: string[];
	warnings?: string[];
}

export class ImportRequestError extends Error {
	override name = "ImportRequestError";
	constructor(
		message: string,
		readonly status?: number,
	) {
		super(message);
	}
}

export interface ClientOptions {
	url: string;
	token: string;
	/** How often a batch is tried before the import stops. Default 6. */
	attempts?: number;
	/** Called before a retry, to tell the user. */
	onRetry?: (message: string) => void;
	fetch?: typeof fetch;
	sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function problemText(response: Response): Promise<string> {
	const text = await response.text().catch(() => "");
	try {
		const problem = JSON.parse(text) as { title?: string; detail?: string };
		return problem.detail ?? problem.title ?? text.slice(0, 200);
	} catch {
		return text.slice(0, 200) || response.statusText;
	}
}

function importEndpoint(base: string): string {
	return `${base.replace(/\/+$/, "")}/api/v1/import`;
}

/**
 * Sends records already serialised as JSON (each string one record) and returns one
 * result per record, in order.
 */
export async function sendBatch(options: ClientOptions, records: readonly string[]): Promise<RecordResult[]> {
	const doFetch = options.fetch ?? fetch;
	const sleep = options.sleep ?? wait;
	const attempts = options.attempts ?? 6;
	const endpoint = importEndpoint(options.url);
	for (let attempt = 1; ; attempt++) {
		let retryAfter = Math.min(30_000, 500 * 2 ** (attempt - 1));
		let problem: string;
		try {
			const response = await doFetch(endpoint, {
				method: "POST",
				headers: {
					Authorization: `Bearer ${options.token}`,
					"Content-Type": "application/json",
					Accept: "application/json",
				},
				body: `{"records":[${records.join(",")}]}`,
				signal: AbortSignal.timeout(120_000),
			});
			if (response.ok) {
				const body = (await response.json()) as { results?: RecordResult[] };
				if (!Array.isArray(body.results) || body.results.length !== records.length)
					throw new ImportRequestError(
						`${endpoint} answered without a result per record: is this Claimtrack?`,
					);
				return body.results;
			}
			if (response.status === 413 && records.length > 1) {
				const half = Math.ceil(records.length / 2);
				// The second half's answers name its records by their place in it, and its
				// results are indexed from 0: both are put as places in the whole batch.
				const first = await sendBatch(options, records.slice(0, half));
				const second = (await sendBatch(options, records.slice(half))).map((result) => ({
					...result,
					index: result.index + half,
					...(result.reason !== undefined ? { reason: shiftBatchRecords(result.reason, half) } : {}),
				}));
				return [...first, ...second];
			}
			const detail = await problemText(response);
			if (response.status === 401 || response.status === 403)
				throw new ImportRequestError(
					`${response.status}: ${detail} (the token needs the "import" scope and an editor's role)`,
					response.status,
				);
			if (response.status === 404)
				throw new ImportRequestError(`404 at ${endpoint}: is this a Claimtrack with the import API?`, 404);
			if (response.status !== 429 && response.status < 500)
				throw new ImportRequestError(`${response.status}: ${detail}`, response.status);
			const header = Number(response.headers.get("Retry-After"));
			if (Number.isFinite(header) && header > 0) retryAfter = Math.min(60_000, header * 1000);
			problem = `${response.status}: ${detail}`;
		} catch (error) {
			if (error instanceof ImportRequestError) throw error;
			const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
			const why = cause?.code ?? cause?.message;
			problem = `${(error as Error).message}${why ? ` (${why})` : ""}`;
			if (cause?.code === "ECONNREFUSED")
				problem += ` — is Claimtrack running at ${options.url}? (npm start)`;
		}
		if (attempt >= attempts) throw new ImportRequestError(`gave up after ${attempts} attempts: ${problem}`);
		options.onRetry?.(`${problem}; retrying in ${(retryAfter / 1000).toFixed(1)} s`);
		await sleep(retryAfter);
	}
}
