import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { seedDemo } from "../../src/commands/seed-demo";
import { newId } from "../../src/domain/ids";
import type { RatingKey } from "../../src/domain/ratings";
import { createDb } from "../../src/factory";
import { purgeClaimCaches } from "../../src/lib/edge-cache";
import { addAppearanceWithSource } from "../../src/store/appearances";
import { BackupError, checkBackup, exportRows, restoreRows } from "../../src/store/backup";
import { type Actor, SYSTEM } from "../../src/store/batch";
import { recordClaim } from "../../src/store/claims";
import { createSession } from "../../src/store/sessions";
import { createSource } from "../../src/store/sources";
import { createSpeaker } from "../../src/store/speakers";
import { createApiToken } from "../../src/store/tokens";
import { createUser } from "../../src/store/users";
import { createDraftVerdict, publishVerdict, retractVerdict } from "../../src/store/verdicts";
import { call, testDb } from "../helpers";

/*
 * One file, one storage: the tests below run in order on the same database — build a
 * realistic one, read every public answer, export, wipe, restore, read them again.
 */

const CLAIMS = 1_000;
const RATINGS: RatingKey[] = ["true", "mostly-true", "half-true", "missing-context", "misleading", "false"];
const WORDS = ["Kursk", "Hafen", "harbour", "Wŏnsan", "Raketen", "grain", "Sanktionen", "tourism"];

const secrets: string[] = [];
let answersBefore: Map<string, Answer>;
let tablesBefore: Record<string, unknown[]>;
const lines: string[] = [];

interface Answer {
	status: number;
	etag: string | null;
	body: string;
}

async function answer(path: string, headers: Record<string, string> = {}): Promise<Answer> {
	const response = await call(path, { headers });
	return { status: response.status, etag: response.headers.get("ETag"), body: await response.text() };
}

const strip = (url: string) => url.replace(/^https?:\/\/[^/]+/, "");

async function allIds(table: string, column = "id"): Promise<string[]> {
	const { results } = await env.DB.prepare(`SELECT ${column} AS v FROM ${table} ORDER BY ${column}`).all<{
		v: string;
	}>();
	return results.map((r) => r.v);
}

/** Every public answer the restore must reproduce, keyed by path. */
async function captureAnswers(): Promise<Map<string, Answer>> {
	const answers = new Map<string, Answer>();
	const take = async (path: string, headers?: Record<string, string>) => {
		const a = await answer(path, headers);
		expect(a.status, path).toBe(200);
		answers.set(`${path} ${JSON.stringify(headers ?? {})}`, a);
		return a;
	};
	const walk = async (start: string, nextOf: (body: Record<string, unknown>) => string | null) => {
		let path: string | null = start;
		let pages = 0;
		while (path) {
			const a = await take(path);
			pages++;
			path = nextOf(JSON.parse(a.body) as Record<string, unknown>);
		}
		return pages;
	};
	// Full pages of 100: the most a list statement may bind is D1's limit of 100.
	const next = (body: Record<string, unknown>) => (typeof body.next === "string" ? strip(body.next) : null);
	expect(await walk("/api/v1/claims?limit=100", next)).toBeGreaterThan(9);
	await walk("/api/v1/claims?limit=100&sort=claimed", next);
	await walk("/api/v1/claims?limit=50&status=false", next);
	for (const word of ["Kursk", "harbour", "wonsan", "Lawrow", "sanktion*"]) {
		await walk(`/api/v1/claims?limit=100&q=${encodeURIComponent(word)}`, next);
		await take(`/v1alpha1/claims:search?query=${encodeURIComponent(word)}&pageSize=100`);
	}
	const googleNext = (path: string) => (body: Record<string, unknown>) =>
		typeof body.nextPageToken === "string"
			? `${path}&pageToken=${encodeURIComponent(body.nextPageToken)}`
			: null;
	const site = "/v1alpha1/claims:search?reviewPublisherSiteFilter=claimtrack.example&pageSize=100";
	await walk(site, googleNext(site));
	await take("/feeds/verdicts.atom");
	await take("/feeds/verdicts.atom", { "Accept-Language": "de" });
	await walk("/api/v1/speakers?limit=100", next);
	await walk("/api/v1/sources?limit=100", next);
	for (const id of await allIds("claims")) {
		await take(`/api/v1/claims/${id}`);
	}
	for (const slug of await allIds("speakers", "slug")) await take(`/api/v1/speakers/${slug}`);
	for (const id of await allIds("sources")) await take(`/api/v1/sources/${id}`);
	return answers;
}

/** Whole tables, secrets aside (a backup leaves them out by design). */
async function dumpTables(): Promise<Record<string, unknown[]>> {
	const queries: Record<string, string> = {
		users:
			"SELECT id, email, name, role, disabled_at, version, created_at, updated_at FROM users ORDER BY id",
		sources: "SELECT * FROM sources ORDER BY id",
		speakers: "SELECT * FROM speakers ORDER BY id",
		speaker_aliases: "SELECT * FROM speaker_aliases ORDER BY id",
		claims: "SELECT * FROM claims ORDER BY seq",
		appearances: "SELECT * FROM appearances ORDER BY id",
		verdicts: "SELECT * FROM verdicts ORDER BY id",
		audit_log: "SELECT * FROM audit_log ORDER BY id",
		claims_fts: "SELECT rowid, body, speaker, sources FROM claims_fts ORDER BY rowid",
	};
	const out: Record<string, unknown[]> = {};
	for (const [name, query] of Object.entries(queries))
		out[name] = (await env.DB.prepare(query).all()).results;
	return out;
}

async function purgeAll() {
	const ids = await allIds("claims");
	for (let i = 0; i < ids.length; i += 100) await Promise.all(ids.slice(i, i + 100).map(purgeClaimCaches));
}

async function buildDatabase() {
	const db = testDb();
	await seedDemo(db);
	const editorUser = await createUser(db, SYSTEM("test"), {
		email: `editor-${newId()}@backup.test`,
		name: "Backup Editor",
		role: "editor",
		passwordHash: `pbkdf2-sha256$600000$${newId()}$${newId()}${newId()}`,
	});
	const checkerUser = await createUser(db, SYSTEM("test"), {
		email: `checker-${newId()}@backup.test`,
		name: "Backup Checker",
		role: "checker",
		passwordHash: `pbkdf2-sha256$600000$${newId()}$${newId()}${newId()}`,
	});
	const sessionHash = `${newId()}${newId()}${newId()}${newId()}`;
	const csrf = `${newId()}${newId()}`;
	await createSession(db, SYSTEM("test"), {
		userId: editorUser.id,
		tokenHash: sessionHash,
		csrfToken: csrf,
		expiresAt: "2099-01-01T00:00:00.000Z",
	});
	const tokenHash = `${newId()}${newId()}${newId()}${newId()}`;
	await createApiToken(db, SYSTEM("test"), {
		userId: checkerUser.id,
		name: "backup test token",
		scopes: ["claims:write"],
		tokenHash,
	});
	const hashes = await env.DB.prepare(
		"SELECT password_hash AS h FROM users WHERE password_hash IS NOT NULL",
	).all<{
		h: string;
	}>();
	secrets.push(...hashes.results.map((r) => r.h), sessionHash, csrf, tokenHash);

	const editor: Actor = { userId: editorUser.id, label: null };
	const checker: Actor = { userId: checkerUser.id, label: null };
	const speakers = [];
	for (let i = 0; i < 25; i++) {
		speakers.push(
			await createSpeaker(db, checker, {
				name: `Sprecher ${i} ${newId().slice(0, 5)}`,
				kind: i % 5 === 0 ? "organization" : "person",
				description: i % 2 ? `Minister Nummer ${i}` : null,
				wikidataId: null,
				aliases: [`Alias ${i} Lawrow`, `Spr. ${i}`],
			}),
		);
	}
	const sources = [];
	for (let i = 0; i < 40; i++) {
		sources.push(
			await createSource(db, checker, {
				url: `https://zeitung-${i % 7}.example/artikel/${newId()}`,
				title: `Bericht ${i} über ${WORDS[i % WORDS.length]}`,
				publisher: `Zeitung ${i % 7}`,
				author: i % 3 ? `Autorin ${i}` : null,
				language: i % 4 ? "de" : "en",
				publishedAt: `2025-0${(i % 9) + 1}-1${i % 10}`,
				archivedUrl: null,
			}),
		);
	}
	const pick = <T>(items: T[], i: number): T => {
		const item = items[i % items.length];
		if (item === undefined) throw new Error("empty list");
		return item;
	};
	const verdict = (claimId: string, i: number, who: Actor = checker) =>
		createDraftVerdict(db, who, claimId, {
			rating: pick(RATINGS, i),
			headline: `Prüfung ${i}: ${pick(WORDS, i)}`,
			summary: i % 3 ? `Zusammenfassung ${i}` : null,
			body: i % 2 ? `Ausführlich ${i}` : null,
			evidence: [{ url: `https://beleg.example/${i}`, title: `Beleg ${i}` }],
			language: i % 4 ? "de" : "en",
		});
	for (let i = 0; i < CLAIMS; i++) {
		const result = await recordClaim(db, i % 4 ? checker : SYSTEM("import"), {
			text: `Aussage ${i}: ${pick(WORDS, i)} und ${pick(WORDS, i * 7 + 3)} – ${newId()}`,
			language: i % 3 ? "de" : "en",
			claimedAt:
				i % 11
					? `202${i % 6}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`
					: null,
			context: i % 5 ? null : `Kontext ${i}`,
			speaker: i % 17 === 0 ? null : { id: pick(speakers, i).id },
			source:
				i % 9 === 0
					? {
							url: `https://blog.example/${newId()}`,
							title: `Blog ${i}`,
							publisher: null,
							author: null,
							language: "de",
							publishedAt: null,
							archivedUrl: null,
						}
					: { id: pick(sources, i).id },
			quote: i % 6 ? null : `Zitat ${i}`,
			anchor: null,
			externalId: i % 13 === 0 ? `ext-${i}` : null,
		});
		if (result.kind !== "created") throw new Error("duplicate in the generated data");
		const claimId = result.claim.id;
		if (i % 8 === 0)
			await addAppearanceWithSource(db, checker, claimId, {
				source: { id: pick(sources, i + 3).id },
				quote: `Auch ${i}`,
				anchor: null,
			});
		const kind = i % 10;
		if (kind < 2) continue; // unverified
		const first = await verdict(claimId, i);
		if (kind === 2) continue; // in review
		const published = await publishVerdict(db, editor, first.id, first.version, null);
		if (kind <= 5) continue;
		if (kind === 6 || kind === 8) {
			const second = await verdict(claimId, i + 1);
			await publishVerdict(db, editor, second.id, second.version, `Korrektur ${i}: neue Belege`);
			if (kind === 8) await verdict(claimId, i + 2);
		} else {
			await retractVerdict(db, editor, published.id, published.version, `Zurückgezogen ${i}`);
			if (kind === 9) {
				const again = await verdict(claimId, i + 3);
				await publishVerdict(db, editor, again.id, again.version, null);
			}
		}
	}
}

/** A D1 binding that notes the most parameters any statement was bound with. */
function countingD1(real: D1Database, seen: { maxParams: number; statements: number }): D1Database {
	return new Proxy(real, {
		get(target, property) {
			if (property === "prepare") {
				return (query: string) => {
					const statement = target.prepare(query);
					const bind = statement.bind.bind(statement);
					statement.bind = (...values: unknown[]) => {
						seen.maxParams = Math.max(seen.maxParams, values.length);
						seen.statements++;
						return bind(...values);
					};
					return statement;
				};
			}
			const value = Reflect.get(target, property, target);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

async function wipe() {
	// Reverse foreign-key order; the claims ↔ verdicts cycle is cut first.
	await env.DB.batch([
		env.DB.prepare("UPDATE claims SET current_verdict_id = NULL"),
		env.DB.prepare("UPDATE verdicts SET supersedes_id = NULL"),
		...[
			"audit_log",
			"verdicts",
			"appearances",
			"claims",
			"speaker_aliases",
			"speakers",
			"sources",
			"idempotency_keys",
			"rate_limits",
			"api_tokens",
			"sessions",
			"users",
		].map((table) => env.DB.prepare(`DELETE FROM ${table}`)),
	]);
}

describe("backup and restore", () => {
	it(`builds the demo data plus ${CLAIMS} claims with verdict histories and reads every public answer`, async () => {
		// Nothing was read yet, so no answer is cached: these are fresh.
		await buildDatabase();
		tablesBefore = await dumpTables();
		expect(tablesBefore.claims?.length).toBeGreaterThan(CLAIMS);
		answersBefore = await captureAnswers();
		expect(answersBefore.size).toBeGreaterThan(CLAIMS + 25 + 40);
	}, 600_000);

	it("exports every row in foreign-key order, without a password or token hash", async () => {
		for await (const line of exportRows(testDb(), { pageSize: 300 })) lines.push(line);
		const header = JSON.parse(lines[0] ?? "{}");
		expect(header).toMatchObject({ format: "claimtrack-backup", version: 1 });
		expect(Object.keys(header.tables)).toEqual([
			"users",
			"sources",
			"speakers",
			"speaker_aliases",
			"claims",
			"appearances",
			"verdicts",
			"audit_log",
		]);
		const body = lines.slice(1).map((l) => JSON.parse(l) as { table: string; row: Record<string, unknown> });
		const perTable: Record<string, number> = {};
		for (const { table } of body) perTable[table] = (perTable[table] ?? 0) + 1;
		expect(perTable).toEqual(header.tables);
		expect(perTable.claims).toBe(tablesBefore.claims?.length);
		expect(perTable.audit_log).toBe(tablesBefore.audit_log?.length);
		const tables = body.map((b) => b.table);
		expect(tables).toEqual([...tables].sort((a, b) => order(a) - order(b)));
		expect(new Set(tables)).not.toContain("sessions");
		expect(new Set(tables)).not.toContain("api_tokens");
		for (const { table, row } of body) {
			if (table === "users") expect(Object.keys(row)).not.toContain("password_hash");
		}
		const all = lines.join("\n");
		expect(secrets.length).toBeGreaterThanOrEqual(5);
		for (const secret of secrets) expect(all).not.toContain(secret);
		expect(all).not.toMatch(/password_?hash|token_?hash|csrf/i);
	});

	it("refuses to restore into a database that is not empty", async () => {
		await expect(restoreRows(testDb(), lines)).rejects.toThrow(/not empty \(users: \d+/);
	});

	it("restores into the emptied database: every public answer byte-identical, same ETags", async () => {
		await wipe();
		expect((await dumpTables()).claims_fts).toEqual([]);

		// A claim whose speaker is not in the file: refused, naming its line, nothing written.
		const orphan = lines.find((l) => l.startsWith('{"table":"claims"') && l.includes('"speaker_id":"'));
		const zeros = Object.fromEntries(Object.keys(JSON.parse(lines[0] ?? "{}").tables).map((t) => [t, 0]));
		const badHeader = JSON.stringify({ ...JSON.parse(lines[0] ?? "{}"), tables: { ...zeros, claims: 1 } });
		await expect(restoreRows(testDb(), [badHeader, orphan ?? ""])).rejects.toThrow(
			/^lines 2–2: the database refused these rows \(.*FOREIGN KEY constraint failed/,
		);
		expect((await dumpTables()).claims).toEqual([]);
		const seen = { maxParams: 0, statements: 0 };
		const report = await restoreRows(createDb(countingD1(env.DB, seen)), lines);
		expect(seen.maxParams).toBeLessThanOrEqual(100);
		expect(seen.maxParams).toBeGreaterThan(80);
		// multi-row inserts: far fewer statements than rows
		expect(seen.statements).toBeLessThan(lines.length / 4);
		expect(report.rows.claims).toBe(tablesBefore.claims?.length);

		const tablesAfter = await dumpTables();
		for (const table of Object.keys(tablesBefore))
			expect(tablesAfter[table], table).toEqual(tablesBefore[table]);

		await purgeAll();
		const answersAfter = await captureAnswers();
		expect([...answersAfter.keys()]).toEqual([...answersBefore.keys()]);
		const differing = [...answersBefore].filter(([key, before]) => {
			const after = answersAfter.get(key);
			return (
				!after || after.body !== before.body || after.etag !== before.etag || after.status !== before.status
			);
		});
		expect(differing.map(([key]) => key)).toEqual([]);
	}, 600_000);

	it("new claims after a restore continue the sequence", async () => {
		const maxSeq = Math.max(...(tablesBefore.claims ?? []).map((c) => (c as { seq: number }).seq));
		const result = await recordClaim(testDb(), SYSTEM("test"), {
			text: `Nach der Wiederherstellung ${newId()}`,
			language: "de",
			claimedAt: null,
			context: null,
			speaker: null,
			source: {
				url: `https://after.example/${newId()}`,
				title: null,
				publisher: null,
				author: null,
				language: null,
				publishedAt: null,
				archivedUrl: null,
			},
			quote: null,
			anchor: null,
			externalId: null,
		});
		if (result.kind !== "created") throw new Error("duplicate");
		expect(result.claim.seq).toBeGreaterThan(maxSeq);
	});
});

function order(table: string): number {
	return [
		"users",
		"sources",
		"speakers",
		"speaker_aliases",
		"claims",
		"appearances",
		"verdicts",
		"audit_log",
	].indexOf(table);
}

describe("backup validation", () => {
	const header = (tables: Record<string, number> = {}) =>
		JSON.stringify({
			format: "claimtrack-backup",
			version: 1,
			exportedAt: "2026-01-01T00:00:00.000Z",
			tables: {
				users: 0,
				sources: 0,
				speakers: 0,
				speaker_aliases: 0,
				claims: 0,
				appearances: 0,
				verdicts: 0,
				audit_log: 0,
				...tables,
			},
		});
	const source = (id = newId()) =>
		JSON.stringify({
			table: "sources",
			row: {
				id,
				url: `https://v.example/${id}`,
				domain: "v.example",
				title: null,
				publisher: null,
				author: null,
				language: null,
				published_at: null,
				archived_url: null,
				version: 1,
				created_at: "2026-01-01T00:00:00.000Z",
				updated_at: "2026-01-01T00:00:00.000Z",
				created_by: null,
			},
		});

	it("accepts a well-formed file", async () => {
		await expect(checkBackup([header({ sources: 2 }), source(), source()])).resolves.toMatchObject({
			version: 1,
		});
	});

	it("names the line of what is wrong", async () => {
		const cases: [string[], RegExp][] = [
			[[], /empty/],
			[["{}"], /line 1: not a valid backup header/],
			[[header(), "{not json"], /line 2: not JSON/],
			[
				[header({ sources: 1 }), "", JSON.stringify({ table: "sessions", row: {} })],
				/line 3: table: must be one of users, /,
			],
			[
				[header({ sources: 1 }), source().replace('"title":null', '"title":7')],
				/line 2: sources row: title: /,
			],
			[
				[header({ sources: 1 }), source().replace('"title":null', '"title":null,"password_hash":"x"')],
				/line 2: sources row: .*password_hash/,
			],
			[
				[header({ sources: 3 }), source(), source()],
				/announces 3 sources rows, the file has 2: the file is truncated/,
			],
			[[header({ sources: 1 })], /announces 1 sources rows, the file has 0/],
			[
				[header({ sources: 1 }), source(), JSON.stringify({ table: "users", row: {} })],
				/line 3: a users row after sources rows/,
			],
			[
				[JSON.stringify({ format: "claimtrack-backup", version: 2, exportedAt: "x", tables: {} })],
				/only version 1/,
			],
		];
		for (const [input, message] of cases) {
			const error = await checkBackup(input).catch((e: unknown) => e);
			expect(error, String(message)).toBeInstanceOf(BackupError);
			expect((error as Error).message).toMatch(message);
		}
	});
});
