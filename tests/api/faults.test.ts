import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { DrizzleQueryError } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import deskWorker from "../../src/desk-worker";
import { newId } from "../../src/domain/ids";
import { createDb } from "../../src/factory";
import { constraintFailure, isD1Unavailable } from "../../src/lib/d1-errors";
import { servePublic } from "../../src/public-worker";
import type { ClaimInput, SpeakerInput } from "../../src/schemas/records";
import { SYSTEM } from "../../src/store/batch";
import { recordClaim } from "../../src/store/claims";
import { createSpeaker } from "../../src/store/speakers";
import { createDraftVerdict, publishVerdict } from "../../src/store/verdicts";
import { apiToken, makeUser } from "../desk/helpers";
import { bareSource, makeClaim, publish } from "../factories";
import { BASE, d1Down } from "../helpers";
import { useOwnDatabase } from "../own-database";

useOwnDatabase();

/** What D1 throws while it cannot serve (Cloudflare's "List of D1_ERRORs"). */
const UNAVAILABLE = [
	"D1_ERROR: Network connection lost.",
	"D1 DB is overloaded. Requests queued for too long.",
	"D1_ERROR: D1 DB is overloaded. Too many requests queued.",
	"D1_ERROR: internal error",
	"Cannot resolve D1 DB due to transient issue on remote node.",
	"D1_ERROR: D1 DB storage operation exceeded timeout which caused object to be reset.",
	"D1_ERROR: D1 DB reset because its code was updated.",
	"D1_ERROR: Internal error while starting up D1 DB storage caused object to be reset.",
	"D1_ERROR: Internal error in D1 DB storage caused object to be reset.",
	"D1_ERROR: D1 DB's isolate exceeded its memory limit and was reset.",
	"D1_ERROR: D1 DB exceeded its CPU time limit and was reset.",
];

const actor = SYSTEM("faults");

/** Everything a write could touch, in full: equal snapshots mean nothing was written. */
async function snapshot(): Promise<Record<string, unknown[]>> {
	const queries: Record<string, string> = {
		claims: "SELECT * FROM claims ORDER BY seq",
		verdicts: "SELECT * FROM verdicts ORDER BY id",
		speakers: "SELECT * FROM speakers ORDER BY id",
		speaker_aliases: "SELECT * FROM speaker_aliases ORDER BY id",
		sources: "SELECT * FROM sources ORDER BY id",
		appearances: "SELECT * FROM appearances ORDER BY id",
		audit_log: "SELECT * FROM audit_log ORDER BY id",
		idempotency_keys: "SELECT * FROM idempotency_keys ORDER BY id",
		batch_guards: "SELECT * FROM batch_guards",
		claims_fts: "SELECT rowid, body, speaker, sources FROM claims_fts ORDER BY rowid",
		tags: "SELECT * FROM tags ORDER BY slug",
		claim_tags: "SELECT * FROM claim_tags ORDER BY id",
	};
	const out: Record<string, unknown[]> = {};
	for (const [name, query] of Object.entries(queries))
		out[name] = (await env.DB.prepare(query).all()).results;
	return out;
}

/** A runtime error (not a constraint): SQLite's abs() of the smallest integer overflows. */
const FAILING_STATEMENT = "SELECT abs(-9223372036854775808)";

/** Whether a batch only reads (a write's lookups before it, such as recordClaim's duplicate check). */
const readsOnly = (statements: D1PreparedStatement[]) =>
	statements.every((statement) =>
		/^\s*select\b/i.test((statement as unknown as { statement: string }).statement),
	);

/**
 * The real D1, except that the first batch that writes gets a failing statement inserted
 * at `position`: the statements before it run, then the batch fails.
 */
function failingMidBatch(position: number, seen: { size: number }): D1Database {
	let injected = false;
	return new Proxy(env.DB, {
		get(target, property) {
			if (property === "batch") {
				return (statements: D1PreparedStatement[]) => {
					if (injected || readsOnly(statements)) return target.batch(statements);
					injected = true;
					seen.size = statements.length;
					if (position > statements.length) return Promise.reject(new Error("past the end: not sent"));
					return target.batch([
						...statements.slice(0, position),
						target.prepare(FAILING_STATEMENT),
						...statements.slice(position),
					]);
				};
			}
			const value = Reflect.get(target, property, target);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

/** The real D1 for reads; every batch (the stores' writes) fails as D1 does when it is down. */
function writesDown(message: string): D1Database {
	return new Proxy(env.DB, {
		get(target, property) {
			if (property === "batch") return () => Promise.reject(new Error(message));
			const value = Reflect.get(target, property, target);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

async function fetchWith(db: D1Database, path: string, init?: RequestInit): Promise<Response> {
	const ctx = createExecutionContext();
	// Both Workers see the failing database: the desk Worker runs here, behind a DESK double.
	const failing = { ...env, DB: db };
	const desk = { fetch: (request: Request) => deskWorker.fetch(request as never, failing, ctx) };
	const response = await servePublic(
		new Request(`${BASE}${path}`, init),
		{ ...failing, DESK: desk } as never,
		ctx,
	);
	await waitOnExecutionContext(ctx);
	return response;
}

/**
 * Runs `write` with the failure injected at every position of its batch (before the
 * first statement through after the last) and checks each time that nothing changed.
 */
async function expectAllOrNothing(
	label: string,
	write: (db: ReturnType<typeof createDb>) => Promise<unknown>,
) {
	const before = await snapshot();
	const seen = { size: 0 };
	let position = 0;
	do {
		const attempt = write(createDb(failingMidBatch(position, seen)));
		await expect(attempt, `${label}, failure at ${position}`).rejects.toThrow(/integer overflow/);
		expect(await snapshot(), `${label}, failure at ${position}`).toEqual(before);
		position++;
	} while (position <= seen.size);
	// Several statements (the point of the test), and without the fault the same write lands.
	expect(seen.size, label).toBeGreaterThanOrEqual(3);
	await write(createDb(env.DB));
	expect(await snapshot(), label).not.toEqual(before);
	return seen.size;
}

describe("a D1 error in the middle of a multi-statement write leaves nothing half-written", {
	timeout: 120_000,
}, () => {
	it("recordClaim with a new speaker (aliases) and a new source", async () => {
		const input: ClaimInput = {
			text: `Halb geschrieben ${newId()}`,
			language: "de",
			claimedAt: "2025-07-12",
			context: null,
			speaker: {
				name: `Fault Speaker ${newId()}`,
				kind: "person",
				description: null,
				wikidataId: null,
				aliases: ["Faulty", "F. Speaker"],
			},
			source: {
				url: `https://faults.example/${newId()}`,
				title: "Fault",
				publisher: "Faults",
				author: null,
				language: "de",
				publishedAt: null,
				archivedUrl: null,
			},
			quote: null,
			anchor: null,
			externalId: null,
			// New topics too: they are written in the claim's batch, not after it.
			tags: [
				{ slug: `fault-${newId()}`, name: "Fault topic" },
				{ slug: `other-${newId()}`, name: "Other topic" },
			],
		};
		const size = await expectAllOrNothing("recordClaim", (db) => recordClaim(db, actor, input));
		expect(size).toBeGreaterThanOrEqual(12);
		const stored = await env.DB.prepare(
			"SELECT count(*) AS n FROM claim_tags JOIN claims ON claims.seq = claim_tags.claim_seq WHERE claims.text = ?",
		)
			.bind(input.text)
			.first<{ n: number }>();
		expect(stored?.n).toBe(2);
	});

	it("publishVerdict, first publication and correction", async () => {
		const claim = await makeClaim();
		const first = await createDraftVerdict(createDb(env.DB), actor, claim.id, {
			rating: "false",
			headline: "First",
			summary: null,
			body: null,
			evidence: [{ url: "https://evidence.example/1", title: "One" }],
			language: "de",
		});
		await expectAllOrNothing("publish", (db) => publishVerdict(db, actor, first.id, first.version, null));

		const corrected = await makeClaim();
		await publish(corrected.id, "false");
		const second = await createDraftVerdict(createDb(env.DB), actor, corrected.id, {
			rating: "mostly-false",
			headline: "Second",
			summary: null,
			body: null,
			evidence: [{ url: "https://evidence.example/2", title: "Two" }],
			language: "de",
		});
		const size = await expectAllOrNothing("correction", (db) =>
			publishVerdict(db, actor, second.id, second.version, "New evidence."),
		);
		expect(size).toBeGreaterThanOrEqual(8);
	});

	it("createSpeaker with aliases in several insert chunks", async () => {
		const input: SpeakerInput = {
			name: `Many Names ${newId()}`,
			kind: "person",
			description: "Has 45 spellings",
			wikidataId: null,
			aliases: Array.from({ length: 50 }, (_, i) => `Spelling ${i} ${newId()}`),
		};
		const size = await expectAllOrNothing("createSpeaker", (db) => createSpeaker(db, actor, input));
		// The speaker, its aliases in at least two inserts, the audit entry.
		expect(size).toBeGreaterThanOrEqual(4);
	});

	it("a batch D1 rejects outright writes nothing and reads as unavailable", async () => {
		const before = await snapshot();
		const error = await recordClaim(createDb(writesDown(UNAVAILABLE[0] ?? "")), actor, {
			text: `Nie geschrieben ${newId()}`,
			language: "de",
			claimedAt: null,
			context: null,
			speaker: null,
			source: bareSource(`https://faults.example/${newId()}`),
			quote: null,
			anchor: null,
			externalId: null,
		}).catch((e: unknown) => e);
		expect(isD1Unavailable(error)).toBe(true);
		expect(await snapshot()).toEqual(before);
	});
});

describe("isD1Unavailable", () => {
	it("recognises what D1 throws when it is unavailable, bare, prefixed and wrapped by drizzle", () => {
		for (const message of UNAVAILABLE) {
			expect(isD1Unavailable(new Error(message)), message).toBe(true);
			expect(isD1Unavailable(new DrizzleQueryError("select 1", [], new Error(message))), message).toBe(true);
			expect(constraintFailure(new Error(message)), message).toBeNull();
		}
	});

	it("leaves other errors alone, also when a parameter quotes an outage message", () => {
		for (const message of [
			"D1_ERROR: UNIQUE constraint failed: claims.id: SQLITE_CONSTRAINT",
			"D1_ERROR: no such table: claimz: SQLITE_ERROR",
			'D1_ERROR: near "SELEC": syntax error at offset 0: SQLITE_ERROR',
			"D1_ERROR: too many SQL variables at offset 624: SQLITE_ERROR",
			"D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'",
		]) {
			expect(isD1Unavailable(new Error(message)), message).toBe(false);
		}
		const unique = new DrizzleQueryError(
			"insert into claims (text) values (?)",
			["D1_ERROR: Network connection lost. D1 DB is overloaded"],
			new Error("D1_ERROR: UNIQUE constraint failed: claims.id: SQLITE_CONSTRAINT"),
		);
		expect(isD1Unavailable(unique)).toBe(false);
		expect(constraintFailure(unique)?.kind).toBe("unique");
		const quoted = new DrizzleQueryError(
			"select 1 where ? = ?",
			["UNIQUE constraint failed", "batch_guards"],
			new Error("D1_ERROR: no such column: x"),
		);
		expect(constraintFailure(quoted)).toBeNull();
	});
});

describe("a D1 outage answers 503 with Retry-After, never a stack trace", { timeout: 120_000 }, () => {
	let warn: ReturnType<typeof vi.spyOn>;
	beforeEach(() => {
		warn = vi.spyOn(console, "warn").mockImplementation(() => {});
	});
	afterEach(() => {
		warn.mockRestore();
	});

	async function expectUnavailable(
		response: Response,
		message: string,
		shape: "problem" | "html" | "google" = "problem",
	) {
		const body = await response.text();
		expect(response.status, body).toBe(503);
		expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
		expect(response.headers.get("Cache-Control")).toBe("no-store");
		if (shape === "html") {
			expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
			expect(body).toMatch(/^<!DOCTYPE html>/);
		} else if (shape === "google") {
			// Google's clients get Google's error shape.
			expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
			expect(JSON.parse(body)).toMatchObject({
				error: { code: 503, status: "UNAVAILABLE", message: "Service Unavailable" },
			});
		} else {
			expect(response.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
			expect(JSON.parse(body)).toMatchObject({ status: 503, title: "Service Unavailable" });
		}
		expect(body).not.toContain(message);
		expect(body).not.toMatch(/D1|SQLITE|Failed query|overloaded|Network connection|\bat \S+:\d+|Error:/);
	}

	for (const message of UNAVAILABLE) {
		it(`reads: ${message}`, async () => {
			const db = d1Down(message);
			const id = newId();
			await expectUnavailable(await fetchWith(db, "/api/v1/claims"), message);
			await expectUnavailable(await fetchWith(db, `/api/v1/claims/${id}`), message);
			await expectUnavailable(await fetchWith(db, "/v1alpha1/claims:search?query=Kursk"), message, "google");
			await expectUnavailable(await fetchWith(db, "/feeds/verdicts.atom"), message);
			await expectUnavailable(await fetchWith(db, "/healthz"), message);
			await expectUnavailable(
				await fetchWith(db, `/claims/${id}`, { headers: { Accept: "text/html,application/xhtml+xml" } }),
				message,
				"html",
			);
		});
	}

	it("healthz answers 503 on any database failure, not only the known outage messages", async () => {
		const error = vi.spyOn(console, "error").mockImplementation(() => {});
		try {
			await expectUnavailable(
				await fetchWith(d1Down("D1_ERROR: no such table: x"), "/healthz"),
				"no such table",
			);
		} finally {
			error.mockRestore();
		}
		const ok = await fetchWith(env.DB, "/healthz");
		expect(ok.status).toBe(200);
		expect(await ok.json()).toMatchObject({ status: "ok", database: "ok" });
	});

	it("writes: POST /api/v1/claims while D1 is down, and while only its writes fail", async () => {
		const { user } = await makeUser("checker");
		const { token } = await apiToken(user, ["claims:write"]);
		const post = (db: D1Database, key?: string) =>
			fetchWith(db, "/api/v1/claims", {
				method: "POST",
				headers: {
					Authorization: `Bearer ${token}`,
					"Content-Type": "application/json",
					...(key ? { "Idempotency-Key": key } : {}),
				},
				body: JSON.stringify({
					text: `Während des Ausfalls ${newId()}`,
					language: "de",
					speaker: { name: `Outage Speaker ${newId()}`, kind: "person" },
					source: { url: `https://outage.example/${newId()}`, title: "Outage" },
				}),
			});
		for (const message of UNAVAILABLE) {
			const before = await snapshot();
			await expectUnavailable(await post(d1Down(message)), message);
			// The token check reads; the claim's batch fails: nothing written, the key freed.
			await expectUnavailable(await post(writesDown(message), `outage-${newId()}`), message);
			expect(await snapshot()).toEqual(before);
		}
		const created = await post(env.DB, `outage-${newId()}`);
		expect(created.status, await created.clone().text()).toBe(201);
	});
});
