import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import deskWorker from "../src/desk-worker";
import { claimTag } from "../src/domain/cache-tags";
import { newId } from "../src/domain/ids";
import { createDb } from "../src/factory";
import { publicCacheFor } from "../src/lib/public-cache";
import { servePublic } from "../src/public-worker";

export const BASE = "http://claimtrack.test";

export function testDb() {
	return createDb(env.DB);
}

/**
 * A public request as a reader sends it: from an address of its own unless the test names
 * one. Files in the shared runtime once shared one "unknown" address, so MATCH_LIMITER
 * answered 429 to whichever Google site listing came after sixty costly reads that minute.
 */
export function call(path: string, init?: RequestInit): Promise<Response> {
	const request = new Request(`${BASE}${path}`, init);
	if (!request.headers.has("CF-Connecting-IP")) request.headers.set("CF-Connecting-IP", freshIp());
	return exports.default.fetch(request);
}

/**
 * A fresh client IP per call, so tests do not share a rate-limit bucket by accident: the
 * login limits and MATCH_LIMITER (60 costly reads a minute per address) are real in the pool.
 * Limits count an IPv6 address by its /64 (auth/rate-limit `addressNetwork`): the random
 * part is there, 32 bits, as test files run side by side on one database.
 */
export function freshIp(): string {
	const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2));
	return `2001:db8:${a.toString(16)}:${b.toString(16)}::1`;
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
	return (await response.json()) as T;
}

export async function rowCount(table: string, db: D1Database = env.DB): Promise<number> {
	const row = await db.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
	return row?.n ?? 0;
}

/** What the commands layer does after a write to a claim, where Workers Caching is absent. */
export function purgeClaim(claimId: string): Promise<void> {
	return publicCacheFor(undefined, env.DB).purge([claimTag(claimId)]);
}

/**
 * Waits for background work (waitUntil, the pool's queue consumer) to reach a state. A
 * state never reached fails the test: returning the last value instead let a test wait
 * for a state its work never has, sit out the whole wait on every run and pass anyway.
 */
export async function eventually<T>(
	read: () => Promise<T>,
	done: (value: T) => boolean,
	ms = 20_000,
): Promise<T> {
	const until = Date.now() + ms;
	for (;;) {
		const value = await read();
		if (done(value)) return value;
		if (Date.now() > until)
			throw new Error(
				`eventually: not reached in ${ms} ms; last read ${JSON.stringify(value)?.slice(0, 500)}`,
			);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/**
 * A made-up place name no other test's can be taken for: letters only (digits read as
 * numbers) and random from its first letter, since the claim matcher credits a shared
 * beginning of five letters as the same word (domain/claim-matching, `partialCredit`).
 * "Zeta" and six random characters made two tests' towns one word in 1 of 36 runs.
 */
export function uniquePlace(): string {
	let letters = "";
	while (letters.length < 8) letters += newId().replace(/\d/g, "");
	return `${letters.charAt(0).toUpperCase()}${letters.slice(1, 8)}`;
}

/**
 * The real D1, counting what reaches it: each statement run alone, and each batch, is one
 * query. With `refuses`, a batch holding a statement bound to a value it names fails as a
 * CHECK constraint does (what no valid input makes happen on purpose).
 */
export function countingD1(
	count: { queries: number },
	refuses: (value: unknown) => boolean = () => false,
): D1Database {
	const originals = new WeakMap<object, D1PreparedStatement>();
	const refused = new WeakSet<object>();
	const statement = (real: D1PreparedStatement, refuse = false): D1PreparedStatement => {
		const proxy = new Proxy(real, {
			get(target, property) {
				if (property === "bind")
					return (...values: unknown[]) => statement(target.bind(...values), values.some(refuses));
				const value = Reflect.get(target, property, target);
				if (typeof value !== "function") return value;
				if (["first", "all", "run", "raw"].includes(String(property))) count.queries += 1;
				return value.bind(target);
			},
		});
		originals.set(proxy, real);
		if (refuse) refused.add(proxy);
		return proxy;
	};
	const database = <T extends D1Database | D1DatabaseSession>(real: T): T =>
		new Proxy(real, {
			get(target, property) {
				if (property === "prepare") return (query: string) => statement(target.prepare(query));
				if (property === "batch")
					return (statements: D1PreparedStatement[]) => {
						count.queries += 1;
						if (statements.some((s) => refused.has(s)))
							return Promise.reject(new Error("D1_ERROR: CHECK constraint failed: refused in a test"));
						return target.batch(statements.map((s) => originals.get(s) ?? s));
					};
				if (property === "withSession")
					return (...args: unknown[]) => database((target as D1Database).withSession(...(args as [])));
				const value = Reflect.get(target, property, target);
				return typeof value === "function" ? value.bind(target) : value;
			},
		});
	return database(env.DB);
}

/**
 * A request through both Workers with `db` as their database (the desk Worker runs here,
 * behind a DESK double). `settled` waits for the work the request left running. With
 * `workersCaching`, purges go to doubles of Workers Caching and of the public Worker's
 * purge method, as by tag in production, instead of deleting every cached URL here (50 s
 * for an import of 500 claims).
 *
 * `more` may give another `NEWSROOM_TIME_ZONE`; then never run it concurrently (Promise.all)
 * with a request under another zone: the zone views format in is one value per isolate,
 * which the app shell sets as each request begins (lib/newsroom-clock `showTimesIn`; production has
 * one zone per isolate): a request that renders after another began renders in that one's zone.
 */
export async function fetchWith(
	db: D1Database,
	path: string,
	init?: RequestInit,
	workersCaching = false,
	/** Other bindings of that deployment (its evidence archive). */
	more: Partial<Env> = {},
) {
	const ctx = createExecutionContext();
	if (workersCaching) Object.assign(ctx, { cache: { purge: async () => ({ success: true, errors: [] }) } });
	// The desk Worker purges a large write over its PUBLIC binding; the public Worker's answer is a double too.
	const purger = workersCaching
		? { PUBLIC: { fetch: async () => new Response(null, { status: 204 }), connect: () => undefined } }
		: {};
	const bindings = { ...env, DB: db, ...more, ...purger } as Env;
	const desk = { fetch: (request: Request) => deskWorker.fetch(request as never, bindings, ctx) };
	// From an address of its own unless the test names one, as `call`: a runtime's rate limits
	// count every file's requests, and a file with a database of its own shares them too.
	const request = new Request(`${BASE}${path}`, init);
	if (!request.headers.has("CF-Connecting-IP")) request.headers.set("CF-Connecting-IP", freshIp());
	const response = await servePublic(request, { ...bindings, DESK: desk } as never, ctx);
	return { response, settled: () => waitOnExecutionContext(ctx) };
}

/**
 * An import through both Workers, counting the D1 queries it makes (`refuses`: values the
 * database is made to refuse). Purges go by tag, as in production: here every cached URL
 * of every imported claim would be deleted one by one.
 */
export async function importCountingQueries<T>(
	token: string,
	records: unknown[],
	refuses?: (value: unknown) => boolean,
) {
	const count = { queries: 0 };
	const { response, settled } = await fetchWith(
		countingD1(count, refuses),
		"/api/v1/import",
		{
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: JSON.stringify({ records }),
		},
		true,
	);
	const answer = await json<T>(response);
	await settled();
	return { response, answer, queries: count.queries };
}

/**
 * The real D1, with `race` run just before the first batch (or the first `times` batches)
 * that holds a statement matching `sql`: another writer's change between a command's reads
 * and its batch. With `when: "after"` the race runs once that batch committed: a change
 * between a command's batch and what it reads back.
 */
export function racingD1(
	sql: RegExp,
	race: () => Promise<unknown>,
	times = 1,
	when: "before" | "after" = "before",
): D1Database {
	const marked = new WeakSet<object>();
	let raced = 0;
	const database = <T extends D1Database | D1DatabaseSession>(real: T): T =>
		new Proxy(real, {
			get(target, property) {
				if (property === "prepare")
					return (query: string) => {
						const statement = target.prepare(query);
						if (!sql.test(query)) return statement;
						marked.add(statement);
						const bind = statement.bind.bind(statement);
						statement.bind = (...values: unknown[]) => {
							const bound = bind(...values);
							marked.add(bound);
							return bound;
						};
						return statement;
					};
				if (property === "batch")
					return async (statements: D1PreparedStatement[]) => {
						if (raced >= times || !statements.some((s) => marked.has(s))) return target.batch(statements);
						raced++;
						if (when === "before") await race();
						const results = await target.batch(statements);
						if (when === "after") await race();
						return results;
					};
				if (property === "withSession")
					return (...args: unknown[]) => database((target as D1Database).withSession(...(args as [])));
				const value = Reflect.get(target, property, target);
				return typeof value === "function" ? value.bind(target) : value;
			},
		});
	return database(env.DB);
}

/** An error as /v1alpha1 answers it (Google's shape, lib/errors `googleErrorBody`). */
export interface GoogleError {
	error: {
		code: number;
		message: string;
		status: string;
		details: {
			"@type": string;
			fieldViolations?: { field: string; description: string }[];
			requestId?: string;
		}[];
	};
}

/** A D1 binding (and Sessions API session) whose every query fails with `message`. */
export function d1Down(message: string): D1Database {
	const fail = () => Promise.reject(new Error(message));
	const statement: Record<string, unknown> = { first: fail, all: fail, run: fail, raw: fail };
	statement.bind = () => statement;
	const session = { prepare: () => statement, batch: fail, getBookmark: () => null };
	return {
		prepare: () => statement,
		batch: fail,
		exec: fail,
		dump: fail,
		withSession: () => session,
	} as unknown as D1Database;
}

/** What the evidence archive's consumer runs with in a test: this runtime's D1 and R2, no loopback. */
export function archiveDeps(fetcher: typeof fetch, archiveOrg = false) {
	return {
		db: testDb(),
		bucket: env.ARCHIVE,
		cache: publicCacheFor(undefined, env.DB),
		now: () => Date.now(),
		allowLoopback: false,
		archiveOrg,
		fetch: fetcher,
	};
}
