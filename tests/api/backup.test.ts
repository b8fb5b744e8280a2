import { applyD1Migrations, env } from "cloudflare:test";
import { asc, sql } from "drizzle-orm";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { parseClaimReviewDocument } from "../../scripts/lib/import-mapping";
import { seedDemo } from "../../src/commands/seed-demo";
import { claims, type Verdict, verdicts } from "../../src/db/schema";
import { deriveClaimStatus } from "../../src/domain/claim-status";
import { newId, newToken } from "../../src/domain/ids";
import type { RatingKey } from "../../src/domain/ratings";
import { createDb } from "../../src/factory";
import { forgetHotTags } from "../../src/lib/hot-cache";
import { EVERYTHING_TAG } from "../../src/lib/workers-caching";
import type { ClaimInput, SourceInput, SpeakerInput, VerdictInput } from "../../src/schemas/records";
import { addAppearanceWithSource } from "../../src/store/appearances";
import { BackupError, checkBackup, exportRows, restoreRows } from "../../src/store/backup";
import { type Actor, SYSTEM } from "../../src/store/batch";
import { editClaim } from "../../src/store/claim-edits";
import { mergeClaims } from "../../src/store/claim-merges";
import { recordClaim } from "../../src/store/claims";
import { addNote, setClaimTags } from "../../src/store/collaboration";
import { importRecords } from "../../src/store/imports";
import { reindexSearchTermsFrom, termsFor } from "../../src/store/search-terms";
import { createSession } from "../../src/store/sessions";
import { createSource } from "../../src/store/sources";
import { mergeSpeakers } from "../../src/store/speaker-edits";
import { createSpeaker } from "../../src/store/speakers";
import { createApiToken } from "../../src/store/tokens";
import { createUser } from "../../src/store/users";
import {
	createDraftVerdict,
	publishVerdict,
	retractVerdict,
	returnDraftVerdict,
} from "../../src/store/verdicts";
import { BulkHistory } from "../bulk-fixtures";
import { account, apiCall, apiToken, deskPost, makeUser } from "../desk/helpers";
import { bareSource, makeClaim, publish, retract } from "../factories";
import {
	call,
	countingD1 as countingQueries,
	json,
	purgeClaim,
	rowCount,
	testDb,
	uniquePlace,
} from "../helpers";
import { useOwnDatabase } from "../own-database";

useOwnDatabase();

/*
 * One file, one storage: the tests below run in order on the same database — build a
 * realistic one, read every public answer, export, wipe, restore, read them again.
 */

/* Past a page of every list (100) and of the export (below), and a store round trip each. */
const CLAIMS = 150;
/** Requests (and cache purges) in flight at once while reading every answer. */
const READERS = 8;
const RATINGS: RatingKey[] = ["true", "mostly-true", "half-true", "missing-context", "misleading", "false"];
const WORDS = ["Kursk", "Hafen", "harbour", "Wŏnsan", "Raketen", "grain", "Sanktionen", "tourism"];

/** The tables a backup holds, in the foreign-key order it writes them. */
const TABLE_ORDER = [
	"users",
	"sources",
	"speakers",
	"speaker_aliases",
	"claims",
	"appearances",
	"verdicts",
	"claim_changes",
	"speaker_redirects",
	"tags",
	"claim_tags",
	"verdict_returns",
	"snapshots",
	"uploads",
	"retired_claims",
	"audit_log",
];

const secrets: string[] = [];
/** Twins: the same input written into the bulk fixtures and through the store. */
const referencePairs: Pair[] = [];
let answersBefore: Map<string, Answer>;
let tablesBefore: Record<string, unknown[]>;
const lines: string[] = [];

interface Answer {
	status: number;
	etag: string | null;
	location: string | null;
	body: string;
}

async function answer(path: string, headers: Record<string, string> = {}): Promise<Answer> {
	const response = await call(path, { headers, redirect: "manual" });
	return {
		status: response.status,
		etag: response.headers.get("ETag"),
		location: response.headers.get("Location"),
		body: await response.text(),
	};
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
	expect(await walk("/api/v1/claims?limit=100", next)).toBeGreaterThanOrEqual(Math.ceil(CLAIMS / 100));
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
	// One answer per record: read a few at a time, kept in the order of the paths.
	const paths = [
		...(await allIds("claims")).map((id) => `/api/v1/claims/${id}`),
		...(await allIds("speakers", "slug")).map((slug) => `/api/v1/speakers/${slug}`),
		...(await allIds("sources")).map((id) => `/api/v1/sources/${id}`),
	];
	// A source nothing cites any more is not public (404); the data makes a few on purpose.
	const uncited = new Set(
		(
			await env.DB.prepare(
				"SELECT id FROM sources s WHERE NOT EXISTS (SELECT 1 FROM appearances a WHERE a.source_id = s.id) AND NOT EXISTS (SELECT 1 FROM verdict_evidence e WHERE e.url = s.url)",
			).all<{ id: string }>()
		).results.map((row) => `/api/v1/sources/${row.id}`),
	);
	// Nor is a speaker no claim names (the data makes some: every 17th claim has none).
	const unnamed = new Set(
		(
			await env.DB.prepare(
				"SELECT slug FROM speakers s WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.speaker_id = s.id)",
			).all<{ slug: string }>()
		).results.map((row) => `/api/v1/speakers/${row.slug}`),
	);
	for (const [path, a] of await inParallel(paths, READERS, (path) => answer(path))) {
		expect(a.status, path).toBe(uncited.has(path) || unnamed.has(path) ? 404 : 200);
		answers.set(`${path} ${JSON.stringify({})}`, a);
	}
	// A merged speaker's old slug redirects to the speaker it was merged into.
	for (const slug of await allIds("speaker_redirects", "slug")) {
		const path = `/api/v1/speakers/${slug}`;
		const a = await answer(path);
		expect([a.status, a.location], path).toEqual([301, expect.stringMatching(/^\/api\/v1\/speakers\//)]);
		answers.set(`${path} ${JSON.stringify({})}`, a);
	}
	return answers;
}

/** `work` for every item, at most `limit` at a time; the results in the items' order. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) {
	const results: [T, R][] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		for (let i = next++; i < items.length; i = next++) {
			const item = items[i] as T;
			results[i] = [item, await work(item)];
		}
	};
	await Promise.all(Array.from({ length: limit }, worker));
	return results;
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
		claim_changes: "SELECT * FROM claim_changes ORDER BY id",
		speaker_redirects: "SELECT * FROM speaker_redirects ORDER BY slug",
		audit_log: "SELECT * FROM audit_log ORDER BY id",
		retired_claims: "SELECT * FROM retired_claims ORDER BY id",
		claims_fts: "SELECT rowid, body, speaker, sources, terms FROM claims_fts ORDER BY rowid",
	};
	const out: Record<string, unknown[]> = {};
	for (const [name, query] of Object.entries(queries))
		out[name] = (await env.DB.prepare(query).all()).results;
	return out;
}

async function purgeAll() {
	const ids = await allIds("claims");
	await inParallel(ids, READERS, purgeClaim);
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
	// An import writes a record's sources in one statement: their appearances share a
	// millisecond, and only the order they were written in (rowid) orders them.
	const imported = await importRecords(db, SYSTEM("test"), [
		{
			externalId: `https://check.example/three-sources-${newId()}`,
			claim: { text: `Drei Quellen ${newId()} sagen dasselbe.`, language: "de" },
			speaker: null,
			sources: ["zeta", "alpha", "mu"].map((name) => ({
				url: `https://${name}.example/${newId()}`,
				title: `Bericht ${name}`,
			})),
			verdict: {
				rating: "false",
				originalRating: "Falsch",
				headline: "Nicht so",
				url: `https://check.example/three-sources-${newId()}`,
			},
		},
	]);
	expect(imported.outcomes[0]?.status).toBe("created");

	const people: People = {
		editor: { userId: editorUser.id, label: null },
		checker: { userId: checkerUser.id, label: null },
	};
	const { checker } = people;

	// The bulk of it: a day of history, a step a second, stored in a few multi-row batches.
	const history = new BulkHistory(new Date(Date.now() - 86_400_000), await allIds("speakers", "slug"));
	const speakers = Array.from({ length: 25 }, (_, i) => history.speaker(checker, speakerInput(i)));
	const sources = Array.from({ length: 40 }, (_, i) => history.source(checker, sourceInput(i)));
	const bulk: HistoryWriter = {
		claim: async (actor, input) => {
			const sourceId = "id" in input.source ? input.source.id : history.source(actor, input.source).id;
			if (input.speaker !== null && !("id" in input.speaker)) throw new Error("known speakers only");
			const claim = await history.claim(actor, {
				...input,
				speakerId: input.speaker?.id ?? null,
				sourceId,
			});
			return claim.id;
		},
		appearance: async (actor, claimId, sourceId, quote) => {
			history.appearance(actor, claimId, sourceId, quote, null);
		},
		draft: async (actor, claimId, input) => history.draft(actor, claimId, input),
		publish: async (actor, verdict, note) => history.publish(actor, verdict.id, note),
		retract: async (actor, verdict, note) => {
			history.retract(actor, verdict.id, note);
		},
	};
	const bulkClaims: string[] = [];
	for (let i = 0; i < CLAIMS; i++) {
		bulkClaims.push(await claimWithHistory(bulk, people, i, claimInput(i, speakers, sources), sources));
	}
	const written = await history.write(db);
	expect(written.maxParams).toBeLessThanOrEqual(100);
	// Many rows a statement (as many as 100 parameters allow: 4 to 25 by the table's
	// columns), not one each; "fewer than claims" broke when an alias gained a column.
	expect(written.statements).toBeLessThan(written.rows / 5);

	// The same kinds of rows through the store: a speaker, a source and claims 0–9 (one
	// history of each kind), to hold the bulk rows to what the store writes (test below).
	const store: HistoryWriter = {
		claim: async (actor, input) => {
			const result = await recordClaim(db, actor, input);
			if (result.kind !== "created") throw new Error("duplicate in the generated data");
			return result.claim.id;
		},
		appearance: async (actor, claimId, sourceId, quote) => {
			await addAppearanceWithSource(db, actor, claimId, { source: { id: sourceId }, quote, anchor: null });
		},
		draft: (actor, claimId, input) => createDraftVerdict(db, actor, claimId, input),
		publish: (actor, verdict, note) => publishVerdict(db, actor, verdict.id, verdict.version, note),
		retract: async (actor, verdict, note) => {
			await retractVerdict(db, actor, verdict.id, verdict.version, note);
		},
	};
	const storeSpeaker = await createSpeaker(db, checker, speakerInput(0));
	const storeSource = await createSource(db, checker, sourceInput(0));
	const pairs: Pair[] = [
		{ kind: "speaker", bulk: speakers[0]?.id ?? "", store: storeSpeaker.id },
		{ kind: "source", bulk: sources[0]?.id ?? "", store: storeSource.id },
	];
	for (let i = 0; i < 10; i++) {
		const storeClaim = await claimWithHistory(store, people, i, claimInput(i, speakers, sources), sources);
		pairs.push({ kind: "claim", bulk: bulkClaims[i] ?? "", store: storeClaim });
	}
	referencePairs.push(...pairs);

	// Edits of claims (one before any review, one public with its note) and a merged
	// speaker, whose slug answers with a redirect from then on.
	const versionOf = async (id: string) =>
		(await env.DB.prepare("SELECT version AS v FROM claims WHERE id = ?").bind(id).first<{ v: number }>())
			?.v ?? 0;
	const unreviewed = bulkClaims[11] ?? "";
	await editClaim(db, checker, unreviewed, await versionOf(unreviewed), { context: "Nachgetragen" }, null);
	const reviewed = bulkClaims[13] ?? "";
	await editClaim(
		db,
		people.editor,
		reviewed,
		await versionOf(reviewed),
		{ claimedAt: "2024-05-06", context: "Im Interview" },
		"Datum und Anlass berichtigt",
	);
	await mergeSpeakers(db, people.editor, speakers[24]?.slug ?? "", speakers[23]?.slug ?? "");
	// A merged claim (two unverified ones): its words, kept in retired_claims, are in the kept
	// claim's index row, which the restore must write again (stems and all).
	const duplicate = bulkClaims[31] ?? "";
	await mergeClaims(db, people.editor, duplicate, {
		into: bulkClaims[30] ?? "",
		version: await versionOf(duplicate),
		note: "Zweimal erfasst",
	});

	// Topics on a few claims (public), a returned draft and an internal note (the desk's).
	for (const claimId of bulkClaims.slice(20, 23)) {
		await setClaimTags(
			db,
			people.editor,
			claimId,
			[
				{ slug: "hafen", name: "Hafen" },
				{ slug: "wirtschaft", name: "Wirtschaft" },
			],
			null,
		);
	}
	// Not a draft of the claims held to their twins above (their first ten): a return on
	// one side of a pair only was this file's one flake (a draft picked in index order,
	// that is by random claim id, belonged to a pair about once in sixteen runs).
	const draftRow = await env.DB.prepare(
		"SELECT id, version FROM verdicts WHERE state = 'draft' AND claim_id IN (SELECT value FROM json_each(?)) ORDER BY rowid LIMIT 1",
	)
		.bind(JSON.stringify(bulkClaims.slice(10)))
		.first<{ id: string; version: number }>();
	expect(draftRow).not.toBeNull();
	if (draftRow)
		await returnDraftVerdict(db, people.editor, draftRow.id, draftRow.version, "Bitte Quelle ergänzen.");
	await addNote(db, checker, bulkClaims[20] ?? "", `Intern: Pressestelle angerufen (${NOTE_MARKER}).`);
}

/** Only in an export that asks for the desk's notes. */
const NOTE_MARKER = `note-${newId()}`;

interface People {
	editor: Actor;
	checker: Actor;
}

interface VerdictRef {
	id: string;
	version: number;
}

/** The writes a claim's history is made of, by the store or into a `BulkHistory`. */
interface HistoryWriter {
	claim(actor: Actor, input: ClaimInput): Promise<string>;
	appearance(actor: Actor, claimId: string, sourceId: string, quote: string): Promise<void>;
	draft(actor: Actor, claimId: string, input: VerdictInput): Promise<VerdictRef>;
	publish(actor: Actor, verdict: VerdictRef, correctionNote: string | null): Promise<VerdictRef>;
	retract(actor: Actor, verdict: VerdictRef, note: string): Promise<void>;
}

/**
 * Claim number `i` with its history, by `i % 10`: 0–1 unverified, 2 a draft in review,
 * 3–5 published, 6 corrected, 8 corrected with a new draft, 7 retracted, 9 retracted
 * and published anew. Every 8th claim appears in a second source.
 */
async function claimWithHistory(
	w: HistoryWriter,
	{ editor, checker }: People,
	i: number,
	input: ClaimInput,
	sources: readonly { id: string }[],
): Promise<string> {
	const claimId = await w.claim(i % 4 ? checker : SYSTEM("import"), input);
	if (i % 8 === 0) await w.appearance(checker, claimId, pick(sources, i + 3).id, `Auch ${i}`);
	const verdict = (n: number) => w.draft(checker, claimId, verdictInput(n));
	const kind = i % 10;
	if (kind < 2) return claimId; // unverified
	const first = await verdict(i);
	if (kind === 2) return claimId; // in review
	const published = await w.publish(editor, first, null);
	if (kind <= 5) return claimId;
	if (kind === 6 || kind === 8) {
		const second = await verdict(i + 1);
		await w.publish(editor, second, `Korrektur ${i}: neue Belege`);
		if (kind === 8) await verdict(i + 2);
	} else {
		await w.retract(editor, published, `Zurückgezogen ${i}`);
		if (kind === 9) {
			const again = await verdict(i + 3);
			await w.publish(editor, again, null);
		}
	}
	return claimId;
}

function pick<T>(items: readonly T[], i: number): T {
	const item = items[i % items.length];
	if (item === undefined) throw new Error("empty list");
	return item;
}

function speakerInput(i: number): SpeakerInput {
	return {
		name: `Sprecher ${i} ${newId()}`,
		kind: i % 5 === 0 ? "organization" : "person",
		description: i % 2 ? `Minister Nummer ${i}` : null,
		wikidataId: null,
		aliases: [`Alias ${i} Lawrow`, `Spr. ${i}`],
	};
}

function sourceInput(i: number): SourceInput {
	return {
		url: `https://zeitung-${i % 7}.example/artikel/${newId()}`,
		title: `Bericht ${i} über ${pick(WORDS, i)}`,
		publisher: `Zeitung ${i % 7}`,
		author: i % 3 ? `Autorin ${i}` : null,
		language: i % 4 ? "de" : "en",
		publishedAt: `2025-0${(i % 9) + 1}-1${i % 10}`,
		archivedUrl: null,
	};
}

/** Claim number `i`: a known speaker (every 17th none), a known source or (every 9th) a new one. */
function claimInput(
	i: number,
	speakers: readonly { id: string }[],
	sources: readonly { id: string }[],
): ClaimInput {
	return {
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
		// An external id is unique: the store's twins of claims 0–9 need their own.
		externalId: i % 13 === 0 ? `ext-${i}-${newId()}` : null,
	};
}

function verdictInput(n: number): VerdictInput {
	return {
		rating: pick(RATINGS, n),
		headline: `Prüfung ${n}: ${pick(WORDS, n)}`,
		summary: n % 3 ? `Zusammenfassung ${n}` : null,
		body: n % 2 ? `Ausführlich ${n}` : null,
		evidence: [{ url: `https://beleg.example/${n}`, title: `Beleg ${n}` }],
		language: n % 4 ? "de" : "en",
	};
}

interface Pair {
	kind: "speaker" | "source" | "claim";
	bulk: string;
	store: string;
}

/** Every row a speaker, source or claim (with its history) stored, audit entries included. */
async function rowsOf({ kind }: Pair, id: string): Promise<Record<string, unknown[]>> {
	const all = async (query: string, ...params: unknown[]) =>
		(
			await env.DB.prepare(query)
				.bind(...params)
				.all()
		).results;
	if (kind === "speaker") {
		return {
			speaker: await all("SELECT * FROM speakers WHERE id = ?", id),
			aliases: await all("SELECT * FROM speaker_aliases WHERE speaker_id = ? ORDER BY normalized", id),
			audit: await all("SELECT * FROM audit_log WHERE entity = 'speaker' AND entity_id = ? ORDER BY id", id),
		};
	}
	if (kind === "source") {
		return {
			source: await all("SELECT * FROM sources WHERE id = ?", id),
			audit: await all("SELECT * FROM audit_log WHERE entity = 'source' AND entity_id = ? ORDER BY id", id),
		};
	}
	// The source a claim brought along (every 9th claim), then the claim and its history.
	const ownSources =
		"SELECT source_id FROM appearances WHERE claim_id = ?1 AND source_id IN (SELECT id FROM sources WHERE url LIKE 'https://blog.example/%')";
	return {
		sources: await all(`SELECT * FROM sources WHERE id IN (${ownSources})`, id),
		claim: await all("SELECT * FROM claims WHERE id = ?", id),
		fts: await all(
			"SELECT body, speaker, sources FROM claims_fts WHERE rowid = (SELECT seq FROM claims WHERE id = ?)",
			id,
		),
		appearances: await all(
			"SELECT * FROM appearances WHERE claim_id = ? ORDER BY is_first DESC, created_at, rowid",
			id,
		),
		verdicts: await all("SELECT * FROM verdicts WHERE claim_id = ? ORDER BY created_at, rowid", id),
		audit: await all(
			`SELECT * FROM audit_log WHERE (entity = 'claim' AND entity_id = ?1)
				OR (entity = 'verdict' AND entity_id IN (SELECT id FROM verdicts WHERE claim_id = ?1))
				OR (entity = 'source' AND entity_id IN (${ownSources}))
				ORDER BY id`,
			id,
		),
	};
}

/**
 * Rows with what differs between two writes of the same thing made alike: ids by
 * order of appearance, timestamps, fingerprints, and the keys `seq` and audit `id`
 * (and the derived `search_terms`).
 */
function alike(rows: Record<string, unknown[]>): unknown {
	const ids = new Map<string, string>();
	const text = (value: string) =>
		value
			.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<time>")
			.replace(/(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/g, "<fingerprint>")
			.replace(/(?<![\p{L}\p{N}])[0-9a-z]{14}(?![\p{L}\p{N}])/gu, (id) => {
				if (!ids.has(id)) ids.set(id, `<id ${ids.size}>`);
				return ids.get(id) ?? id;
			});
	return Object.fromEntries(
		Object.entries(rows).map(([name, list]) => [
			name,
			list.map((row) =>
				Object.fromEntries(
					Object.entries(row as Record<string, unknown>)
						// search_terms stem the ids in a claim's text beyond recognition; each claim's
						// terms are checked against its text and verdict instead (below).
						.filter(([key]) => key !== "seq" && key !== "search_terms" && !(name === "audit" && key === "id"))
						.map(([key, value]) => [key, typeof value === "string" ? text(value) : value])
						// The FTS row lists a claim's sources in index order, which is by (random) id.
						.map(([key, value]) =>
							name === "fts" && key === "sources"
								? [key, String(value).split(/\s+/).filter(Boolean).sort()]
								: [key, value],
						),
				),
			),
		]),
	);
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
			"retired_claims",
			"claim_notes",
			"uploads",
			"snapshots",
			"verdict_returns",
			"claim_tags",
			"tags",
			"speaker_redirects",
			"claim_changes",
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
		expect(tablesBefore.claim_changes?.length).toBe(3);
		expect(tablesBefore.speaker_redirects?.length).toBe(1);
		answersBefore = await captureAnswers();
		expect(answersBefore.size).toBeGreaterThan(CLAIMS + 25 + 40);
	}, 600_000);

	it("the bulk fixtures write what the store writes, and every claim agrees with its verdicts", async () => {
		expect(referencePairs.map((p) => p.kind)).toEqual(["speaker", "source", ...Array(10).fill("claim")]);
		for (const pair of referencePairs) {
			const bulk = alike(await rowsOf(pair, pair.bulk));
			expect(bulk, `${pair.kind} ${pair.bulk}`).toEqual(alike(await rowsOf(pair, pair.store)));
		}
		// As the store keeps them: status and current verdict follow from the verdicts, the
		// review date is that of the last publication or retraction, and the search terms are
		// those of the claim's text and context and its current verdict's headline and summary.
		const verdictsOf = new Map<string, Verdict[]>();
		for (const v of await testDb()
			.select()
			.from(verdicts)
			.orderBy(asc(verdicts.createdAt), sql`${verdicts}.rowid`)) {
			verdictsOf.set(v.claimId, [...(verdictsOf.get(v.claimId) ?? []), v]);
		}
		const astray = (await testDb().select().from(claims)).filter((claim) => {
			const history = verdictsOf.get(claim.id) ?? [];
			const derived = deriveClaimStatus(history);
			const current = derived.currentVerdictIndex === null ? null : history[derived.currentVerdictIndex];
			const reviews = history.flatMap((v) => [v.publishedAt ?? "", v.retractedAt ?? ""]).filter(Boolean);
			return (
				claim.status !== derived.status ||
				claim.currentVerdictId !== (current?.id ?? null) ||
				claim.reviewedAt !== (reviews.sort().at(-1) ?? null) ||
				claim.searchTerms !== termsFor(claim, current ?? null)
			);
		});
		expect(astray).toEqual([]);
		const states = await env.DB.prepare(
			"SELECT state, count(*) AS n FROM verdicts GROUP BY state ORDER BY state",
		).all<{ state: string; n: number }>();
		expect(states.results.map((r) => r.state)).toEqual(["draft", "published", "retracted", "superseded"]);
		expect(await rowCount("claims_fts")).toBe(await rowCount("claims"));
	});

	it("exports every row in foreign-key order, without a password or token hash", async () => {
		// Pages smaller than the claims table: the export's keyset paging is in the round trip.
		for await (const line of exportRows(testDb(), { pageSize: 100 })) lines.push(line);
		const header = JSON.parse(lines[0] ?? "{}");
		expect(header).toMatchObject({ format: "claimtrack-backup", version: 1 });
		expect(Object.keys(header.tables)).toEqual(TABLE_ORDER);
		const body = lines.slice(1).map((l) => JSON.parse(l) as { table: string; row: Record<string, unknown> });
		const perTable: Record<string, number> = {};
		for (const { table } of body) perTable[table] = (perTable[table] ?? 0) + 1;
		// A table without rows (the evidence archive here) is announced with 0 and has no lines.
		expect(perTable).toEqual(Object.fromEntries(Object.entries(header.tables).filter(([, n]) => n !== 0)));
		expect(perTable).toMatchObject({ tags: 2, claim_tags: 6, verdict_returns: 1 });
		// The desk's internal notes stay out unless asked for.
		expect(lines.join("\n")).not.toContain(NOTE_MARKER);
		const withNotes: string[] = [];
		for await (const line of exportRows(testDb(), { withNotes: true })) withNotes.push(line);
		expect(JSON.parse(withNotes[0] ?? "{}").tables.claim_notes).toBe(1);
		expect(withNotes.join("\n")).toContain(NOTE_MARKER);
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
		// The keys of a secret, anywhere (an audit entry's changes too). Not a bare "csrf": a
		// random base-36 id contains those four letters now and then (it failed a CI run).
		expect(all).not.toMatch(/"(password_?hash|token_?hash|csrf_?token|replaces_?hash)"\s*:/i);
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
			// A 404's problem body names its own request: only its status is compared.
			if (before.status === 404) return after?.status !== 404;
			return (
				!after ||
				after.body !== before.body ||
				after.etag !== before.etag ||
				after.status !== before.status ||
				after.location !== before.location
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
			source: bareSource(`https://after.example/${newId()}`),
			quote: null,
			anchor: null,
			externalId: null,
		});
		if (result.kind !== "created") throw new Error("duplicate");
		expect(result.claim.seq).toBeGreaterThan(maxSeq);
	});
});

function order(table: string): number {
	return TABLE_ORDER.indexOf(table);
}

describe("backup validation", () => {
	const header = (tables: Record<string, number> = {}) =>
		JSON.stringify({
			format: "claimtrack-backup",
			version: 1,
			exportedAt: "2026-01-01T00:00:00.000Z",
			tables: { ...Object.fromEntries(TABLE_ORDER.map((table) => [table, 0])), ...tables },
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

/*
 * A backup made by the first release of the export (migrations 0000–0003): the tables and
 * columns of then, written here line by line. Later tables are absent from its header,
 * later columns from its lines; the restore takes both as the migrations took the rows
 * they found.
 */
describe("a backup made before later tables and columns", () => {
	const at = (day: number) => `2026-01-0${day}T10:00:00.000Z`;
	const ids = { user: newId(), source: newId(), speaker: newId(), a: newId(), b: newId(), c: newId() };
	const verdictIds = { a: newId(), b: newId(), c: newId() };
	const line = (table: string, row: Record<string, unknown>) => JSON.stringify({ table, row });
	const claim = (seq: number, id: string, status: string, current: string | null, updated = at(1)) =>
		line("claims", {
			seq,
			id,
			text: `Alte Behauptung ${id}.`,
			language: "de",
			speaker_id: ids.speaker,
			claimed_at: null,
			context: null,
			status,
			current_verdict_id: current,
			reviewed_at: current ? at(2) : null,
			fingerprint: `alt-${id}`,
			external_id: null,
			version: 1,
			created_at: at(1),
			updated_at: updated,
			created_by: ids.user,
		});
	const appearance = (claimId: string) =>
		line("appearances", {
			id: newId(),
			claim_id: claimId,
			source_id: ids.source,
			quote: null,
			anchor: null,
			is_first: 1,
			created_at: at(1),
			created_by: ids.user,
		});
	const verdict = (id: string, claimId: string, fields: Record<string, unknown>) =>
		line("verdicts", {
			id,
			claim_id: claimId,
			rating: "false",
			headline: `Falsch ${id}`,
			summary: null,
			body: null,
			evidence: "[]",
			language: "de",
			reviewer_id: ids.user,
			editor_id: null,
			state: "published",
			correction_note: null,
			supersedes_id: null,
			original_rating: null,
			published_at: at(2),
			retracted_at: null,
			version: 1,
			created_at: at(2),
			updated_at: at(2),
			...fields,
		});
	const audit = (id: number) =>
		line("audit_log", {
			id,
			at: at(1),
			actor_id: ids.user,
			actor_label: null,
			action: "create",
			entity: "claim",
			entity_id: ids.a,
			changes: null,
			request_id: null,
		});
	const file = [
		JSON.stringify({
			format: "claimtrack-backup",
			version: 1,
			exportedAt: at(5),
			tables: {
				users: 1,
				sources: 1,
				speakers: 1,
				speaker_aliases: 0,
				claims: 3,
				appearances: 3,
				verdicts: 3,
				// A note of a backup made after 0009 and before 0025: no merged_from.
				claim_notes: 1,
				audit_log: 2,
			},
		}),
		line("users", {
			id: ids.user,
			email: `alt-${ids.user}@example.org`,
			name: "Alte Redaktion",
			role: "editor",
			disabled_at: null,
			version: 1,
			created_at: at(1),
			updated_at: at(1),
		}),
		line("sources", {
			id: ids.source,
			url: `https://alt.example/${ids.source}`,
			domain: "alt.example",
			title: null,
			publisher: null,
			author: null,
			language: null,
			published_at: null,
			archived_url: null,
			version: 1,
			created_at: at(1),
			updated_at: at(1),
			created_by: ids.user,
		}),
		line("speakers", {
			id: ids.speaker,
			name: "Alte Sprecherin",
			slug: `alt-${ids.speaker}`,
			kind: "person",
			description: null,
			wikidata_id: null,
			version: 1,
			created_at: at(1),
			updated_at: at(1),
			created_by: ids.user,
		}),
		// Written after its review (at 2): a release without change rows (0006) dated its feed
		// entry by the publication alone, whatever moved `updated_at`.
		claim(1, ids.a, "false", verdictIds.a, at(5)),
		claim(2, ids.b, "in-review", null),
		claim(3, ids.c, "unverified", null),
		appearance(ids.a),
		appearance(ids.b),
		appearance(ids.c),
		verdict(verdictIds.a, ids.a, {}),
		verdict(verdictIds.b, ids.b, { state: "draft", published_at: null, updated_at: at(3) }),
		// Before 0004 a retraction's reason was its correction note.
		verdict(verdictIds.c, ids.c, {
			state: "retracted",
			correction_note: "Die Quelle war gefälscht.",
			retracted_at: at(4),
		}),
		line("claim_notes", {
			id: newId(),
			claim_id: ids.b,
			author_id: ids.user,
			text: "Intern: alte Notiz.",
			created_at: at(3),
		}),
		audit(1),
		audit(2),
	];

	it("restores as the migrations left such rows: later columns null, or as their migration set them", async () => {
		await wipe();
		const report = await restoreRows(testDb(), file);
		expect(report.rows).toMatchObject({ claims: 3, verdicts: 3, claim_notes: 1, retired_claims: 0 });
		const rows = await env.DB.prepare(
			"SELECT id, state, correction_note, retraction_note, submitted_at, changes_requested_at, review_url FROM verdicts ORDER BY created_at, updated_at",
		).all();
		expect(rows.results).toEqual([
			{
				id: verdictIds.a,
				state: "published",
				correction_note: null,
				retraction_note: null,
				submitted_at: null,
				changes_requested_at: null,
				review_url: null,
			},
			{
				id: verdictIds.c,
				state: "retracted",
				correction_note: null,
				retraction_note: "Die Quelle war gefälscht.",
				submitted_at: null,
				changes_requested_at: null,
				review_url: null,
			},
			// An open draft, not returned: in the review queue since its last save (0024).
			{
				id: verdictIds.b,
				state: "draft",
				correction_note: null,
				retraction_note: null,
				submitted_at: at(3),
				changes_requested_at: null,
				review_url: null,
			},
		]);
		const claimRow = await env.DB.prepare("SELECT assignee_id, current_verdict_id FROM claims WHERE id = ?")
			.bind(ids.a)
			.first();
		expect(claimRow).toEqual({ assignee_id: null, current_verdict_id: verdictIds.a });
		// As 0031 and 0057 leave an upgrade: no public change row since a review, no feed date.
		const changed = await env.DB.prepare(
			"SELECT id, changed_at FROM claims WHERE id IN (?, ?, ?) ORDER BY seq",
		)
			.bind(ids.a, ids.b, ids.c)
			.all();
		expect(changed.results).toEqual([
			{ id: ids.a, changed_at: null },
			{ id: ids.b, changed_at: null },
			{ id: ids.c, changed_at: null },
		]);
		expect(await env.DB.prepare("SELECT merged_from FROM claim_notes").first()).toEqual({
			merged_from: null,
		});
		expect(
			(await env.DB.prepare("SELECT client_request_id FROM audit_log").all()).results.every(
				(r) => r.client_request_id === null,
			),
		).toBe(true);
		// A column that was always there is still required.
		await wipe();
		const damaged = file.map((l) =>
			l.startsWith('{"table":"sources"') ? l.replace(/"url":"[^"]*",/, "") : l,
		);
		await expect(checkBackup(damaged)).rejects.toThrow(/line 3: sources row: url: /);
		// A row that refers to one the file lacks (exported while the database changed): refused
		// by the check that runs before a restore writes anything, naming its line.
		const astray = file.map((l) =>
			l.replace(`"current_verdict_id":"${verdictIds.a}"`, `"current_verdict_id":"${newId()}"`),
		);
		await expect(checkBackup(astray)).rejects.toThrow(
			/^line 5: a claims row refers to verdicts \w+ \(current_verdict_id\)/,
		);
		const moved = file.map((l) => l.replace(`"speaker_id":"${ids.speaker}"`, `"speaker_id":"${newId()}"`));
		await expect(checkBackup(moved)).rejects.toThrow(/^line 5: a claims row refers to speakers /);
		await expect(checkBackup(file)).resolves.toBeDefined();
	});

	it("refuses a file with two open drafts of one claim (before 0007), naming the claim and the draft to drop", async () => {
		const older = newId();
		// A second open draft of claim b, saved before the other (at 3): 0007 kept the later one.
		const twoDrafts = file.flatMap((l) =>
			l.includes(`"id":"${verdictIds.b}"`)
				? [verdict(older, ids.b, { state: "draft", published_at: null, updated_at: at(2) }), l]
				: [l.startsWith('{"format"') ? l.replace('"verdicts":3', '"verdicts":4') : l],
		);
		const olderLine = twoDrafts.findIndex((l) => l.includes(`"id":"${older}"`)) + 1;
		await expect(checkBackup(twoDrafts)).rejects.toThrow(
			new RegExp(
				`^line ${olderLine + 1}: claim ${ids.b} has two open drafts .*migration 0007.*keep the one saved last \\(${verdictIds.b}, line ${olderLine + 1}\\).*delete line ${olderLine} \\(verdict ${older}`,
			),
		);
		// Done as the message says, the copy restores with the later draft open.
		await wipe();
		const copy = twoDrafts
			.filter((_, i) => i !== olderLine - 1)
			.map((l) => l.replace('"verdicts":4', '"verdicts":3'));
		await expect(checkBackup(copy)).resolves.toBeDefined();
		await restoreRows(testDb(), copy);
		const drafts = await env.DB.prepare("SELECT id FROM verdicts WHERE claim_id = ? AND state = 'draft'")
			.bind(ids.b)
			.all();
		expect(drafts.results).toEqual([{ id: verdictIds.b }]);
	});

	it("restores language tags written before 0050 in their current form, and German stems for 'ger'", async () => {
		await wipe();
		const word = `Zq${ids.a.replace(/\d/g, "")}fährverbindungen`;
		const older = file.map((l) => {
			if (l.includes(`"id":"${ids.a}"`) && l.startsWith('{"table":"claims"'))
				return l
					.replace('"language":"de"', '"language":"ger"')
					.replace(`Alte Behauptung ${ids.a}.`, `Die ${word} wurden eingestellt.`);
			if (l.includes(`"id":"${ids.b}"`) && l.startsWith('{"table":"claims"'))
				return l.replace('"language":"de"', '"language":"deu-AT"');
			if (l.includes(`"id":"${verdictIds.a}"`)) return l.replace('"language":"de"', '"language":"iw"');
			if (l.startsWith('{"table":"sources"')) return l.replace('"language":null', '"language":"eng"');
			return l;
		});
		await restoreRows(testDb(), older);
		const languages = await env.DB.prepare(
			"SELECT (SELECT group_concat(language, ' ') FROM (SELECT language FROM claims WHERE id IN (?1, ?2) ORDER BY seq)) AS claims, (SELECT language FROM verdicts WHERE id = ?3) AS verdict, (SELECT language FROM sources WHERE id = ?4) AS source",
		)
			.bind(ids.a, ids.b, verdictIds.a, ids.source)
			.first();
		expect(languages).toEqual({ claims: "de de-AT", verdict: "he", source: "en" });
		// Stemmed as German at the restore: "Fährverbindung" finds "Fährverbindungen".
		const found = await json<{ data: { id: string }[] }>(
			await call(`/api/v1/claims?q=${encodeURIComponent(word.slice(0, -2))}&language=de`),
		);
		expect(found.data.map((c) => c.id)).toEqual([ids.a]);
	});

	it("restores a claim merged before 0034 with its words, from its merge's audit row (as 0034 did)", async () => {
		await wipe();
		const duplicate = newId();
		const place = `Ostbucht${ids.c}`;
		const merged = file.flatMap((l) => {
			if (l.startsWith('{"format"')) {
				const header = JSON.parse(l);
				header.tables = { ...header.tables, retired_claims: 1, audit_log: 4 };
				return [JSON.stringify(header)];
			}
			if (!l.startsWith('{"table":"audit_log"')) return [l];
			if (l.includes('"id":1,'))
				return [
					// A backup made after 0027 and before 0034: no words in the row.
					line("retired_claims", {
						id: duplicate,
						merged_into: ids.c,
						removed_at: null,
						external_id: null,
						created_at: at(4),
					}),
					l,
				];
			return [
				l,
				line("audit_log", {
					id: 3,
					at: at(4),
					actor_id: ids.user,
					actor_label: null,
					action: "merge",
					entity: "claim",
					entity_id: ids.c,
					changes: JSON.stringify({
						mergedFrom: duplicate,
						merged: {
							id: duplicate,
							text: `Der Fährbetrieb nach ${place} ist eingestellt.`,
							language: "de",
							speaker: { id: "spkgone0000001", slug: "ratsher-x", name: "Ratsher X" },
						},
					}),
					request_id: null,
				}),
				line("audit_log", {
					id: 4,
					at: at(4),
					actor_id: ids.user,
					actor_label: null,
					action: "merged-into",
					entity: "claim",
					entity_id: duplicate,
					changes: JSON.stringify({ into: ids.c }),
					request_id: null,
				}),
			];
		});
		await expect(checkBackup(merged)).resolves.toBeDefined();
		await restoreRows(testDb(), merged);
		const row = await env.DB.prepare(
			"SELECT text, language, fingerprint, speaker_id, speaker_names, search_terms FROM retired_claims",
		).first<{
			text: string;
			fingerprint: string | null;
			speaker_id: string | null;
			speaker_names: string | null;
			search_terms: string | null;
		}>();
		expect(row?.text).toBe(`Der Fährbetrieb nach ${place} ist eingestellt.`);
		// Its speaker's spelling too (as 0036 took it), for an import by that speaker.
		expect(row).toMatchObject({ speaker_id: "spkgone0000001", speaker_names: '["Ratsher X"]' });
		expect(row?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
		// The claim kept is found by those words and by their stems.
		for (const q of [`Fährbetrieb ${place}`, `Fährbetriebs eingestellte ${place}`]) {
			const found = await call(`/api/v1/claims?q=${encodeURIComponent(q)}`);
			expect(
				(await json<{ data: { id: string }[] }>(found)).data.map((c) => c.id),
				q,
			).toEqual([ids.c]);
		}
	});

	it("restores an empty copy stored before 0053 as 0053 left it: failed, linked from no page, archived again", {
		timeout: 60_000,
	}, async () => {
		await wipe();
		const snapshotId = newId();
		const empty = file.flatMap((l) => {
			if (l.startsWith('{"format"')) {
				const header = JSON.parse(l);
				header.tables = { ...header.tables, snapshots: 1 };
				return [JSON.stringify(header)];
			}
			if (!l.startsWith('{"table":"claim_notes"')) return [l];
			return [
				// A 204 stored as a copy of 0 bytes before 3e262f8, exported before 0053 ran.
				line("snapshots", {
					id: snapshotId,
					url: `https://alt.example/${ids.source}`,
					final_url: `https://alt.example/${ids.source}`,
					state: "ok",
					http_status: 204,
					content_type: null,
					sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
					bytes: 0,
					fetched_at: at(2),
					error: null,
					attempts: 1,
					retry_at: null,
					created_at: at(2),
					updated_at: at(2),
				}),
				l,
			];
		});
		await restoreRows(testDb(), empty);
		await purgeClaim(ids.a);
		const page = await (await call(`/claims/${ids.a}?lang=en`)).text();
		expect(page).toContain(`Alte Behauptung ${ids.a}.`);
		expect(page.includes(`/snapshots/${snapshotId}`), "the page links the empty copy").toBe(false);
		const claimJson = await json<{ appearances: { id: string; source: { snapshot: unknown } }[] }>(
			await call(`/api/v1/claims/${ids.a}`),
		);
		expect(claimJson.appearances.map((a) => a.source.snapshot)).toEqual([null]);
		// "Archive again" takes the address, as after 0053: the empty copy is a failed try.
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const again = await apiCall(
			"POST",
			`/api/v1/claims/${ids.a}/appearances/${claimJson.appearances[0]?.id ?? ""}/archive`,
			{ token },
		);
		expect(again.status, await again.clone().text()).toBe(202);
		// The row as 0053 left such rows (store/backup `restoredSnapshot`).
		expect(
			await env.DB.prepare("SELECT state, error, retry_at FROM snapshots WHERE id = ?")
				.bind(snapshotId)
				.first(),
		).toEqual({ state: "failed", error: "The page answered with no content.", retry_at: null });
	});

	it("computes the merged claims' words a bounded part per finishing call of a remote restore, after the claims", {
		timeout: 120_000,
	}, async () => {
		await wipe();
		await restoreRows(testDb(), file);
		// As a restore leaves them: words and speaker, no stems or fingerprint (derived, not in the file).
		const place = `Nordmole${ids.c}`;
		const merged = 1_000;
		await env.DB.prepare(
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
				 INSERT INTO retired_claims (id, merged_into, text, language, speaker_id, speaker_names)
				 SELECT printf('mrg%011d', i), ?, printf('Der Fährbetrieb %d nach %s ist eingestellt.', i, ?), 'de', ?, '["Alte Sprecherin"]' FROM n`,
		)
			.bind(merged, ids.c, place, ids.speaker)
			.run();
		const pages = 2;
		const queries: number[] = [];
		for (let after: number | null = 0; after !== null; ) {
			if (queries.length > 20) throw new Error("the restore's reindexing does not end");
			const count = { queries: 0 };
			after = (await reindexSearchTermsFrom(createDb(countingQueries(count)), after, pages)).next;
			queries.push(count.queries);
		}
		// A page is at most three queries (a merged page: its backfill with its read, its write):
		// a call's work is bounded by its pages, not by how many claims were merged.
		expect(Math.max(...queries), String(queries)).toBeLessThanOrEqual(3 * pages);
		// 1,000 merged rows in pages of 200, two pages a call: three calls at least.
		expect(queries.length, String(queries)).toBeGreaterThanOrEqual(3);
		const done = await env.DB.prepare(
			"SELECT count(*) AS n FROM retired_claims WHERE fingerprint IS NOT NULL AND search_terms IS NOT NULL",
		).first<{ n: number }>();
		expect(done?.n).toBe(merged);
		// The claim kept is found by the last merged row's words and by their stems.
		for (const q of [`Fährbetrieb ${merged} ${place}`, `Fährbetriebs eingestellte ${merged} ${place}`]) {
			const found = await call(`/api/v1/claims?q=${encodeURIComponent(q)}`);
			expect(
				(await json<{ data: { id: string }[] }>(found)).data.map((c) => c.id),
				q,
			).toEqual([ids.c]);
		}
	});
});

/*
 * A backup made before migration 0042: its verdict lines have no `writer_id`. Upgraded in
 * place, 0043 gave the open draft of a claim that went back to nobody after the draft was
 * opened to the claim's last holder, read from the audit log; a restore of such a file does
 * the same once the audit log is in, locally and over HTTP.
 */
describe("a backup made before 0042 (who writes a draft)", () => {
	const verdictBody = {
		rating: "false",
		headline: "Not so",
		evidence: [{ url: "https://evidence.example/a", title: "A" }],
		language: "en",
	};
	const written = async (db: D1Database, ids: string[]) =>
		(
			await db
				.prepare(`SELECT id, writer_id FROM verdicts WHERE id IN (${ids.map(() => "?").join(", ")})`)
				.bind(...ids)
				.all<{ id: string; writer_id: string | null }>()
		).results.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));

	it("gives a draft to the checker who held its claim last, as 0043 did, not to its first drafter", {
		timeout: 120_000,
	}, async () => {
		await wipe();
		const drafter = await account("checker");
		const holder = await account("checker");
		const admin = await account("admin");
		const drafterToken = (await apiToken(drafter.user, ["verdicts:write"])).token;
		const assign = (claimId: string, assignee: string) =>
			deskPost(admin, `/desk/claims/${claimId}/assignee`, { assignee, _idem: newToken(18) });
		// Drafted by one checker, handed to another, then unassigned by the admin: the holder's.
		// And one the admin held, then unassigned: the admin's.
		const drafts: string[] = [];
		for (const assignee of [holder.user.email, "me"]) {
			const claim = await makeClaim();
			const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: drafterToken,
				body: verdictBody,
			});
			expect(created.status, await created.clone().text()).toBe(201);
			drafts.push((await json<{ id: string }>(created)).id);
			expect((await assign(claim.id, assignee)).status).toBe(303);
			expect((await assign(claim.id, "")).status).toBe(303);
		}
		expect(await written(env.DB, drafts)).toEqual([
			{ id: drafts[0], writer_id: holder.user.id },
			{ id: drafts[1], writer_id: admin.user.id },
		]);
		const current: string[] = [];
		for await (const l of exportRows(testDb())) current.push(l);
		// As a release before 0042 wrote the file: no writer_id in its verdict lines.
		const old = current.map((l) => {
			if (!l.startsWith('{"table":"verdicts"')) return l;
			const { table, row } = JSON.parse(l) as { table: string; row: Record<string, unknown> };
			delete row.writer_id;
			return JSON.stringify({ table, row });
		});
		expect(old.some((l, i) => l !== current[i])).toBe(true);

		// The restore of the CLI, into an empty database.
		await applyD1Migrations(env.RESTORED_DB, env.TEST_MIGRATIONS);
		await restoreRows(createDb(env.RESTORED_DB), old);
		expect(await written(env.RESTORED_DB, drafts)).toEqual([
			{ id: drafts[0], writer_id: holder.user.id },
			{ id: drafts[1], writer_id: admin.user.id },
		]);

		// Over HTTP, into a deployment whose one account has the backup admin's email: that
		// admin's draft is the account's the backup's admin was merged into.
		await wipe();
		const restorer = await createUser(testDb(), SYSTEM("test"), {
			email: admin.user.email,
			name: "New admin",
			role: "admin",
			passwordHash: null,
		});
		const token = (await apiToken(restorer, ["backup"])).token;
		const restore = newId();
		const post = async (path: string, body: unknown) => {
			const response = await apiCall("POST", path, { token, body });
			expect(response.status, await response.clone().text()).toBe(200);
			return json<{ state: unknown; deferred: unknown[]; next: number | null }>(response);
		};
		const page = await post("/api/v1/backup/restore", { restore, state: null, lines: old });
		await post("/api/v1/backup/restore/links", { restore, links: page.deferred });
		for (let after: number | null = 0; after !== null; ) {
			after = (await post("/api/v1/backup/restore/finish", { restore, state: page.state, after })).next;
		}
		expect(restorer.id).not.toBe(admin.user.id);
		expect(await written(env.DB, drafts)).toEqual([
			{ id: drafts[0], writer_id: holder.user.id },
			{ id: drafts[1], writer_id: restorer.id },
		]);

		// An unassignment naming a user the file lacks (an edited file): that draft stays its
		// drafter's, as 0043 leaves it, and the restore ends (writer_id refers to users).
		await wipe();
		const gone = old.map((l) =>
			l.includes('"action":"unassign"') ? l.replaceAll(holder.user.id, "usrgone0000001") : l,
		);
		expect(gone).not.toEqual(old);
		await restoreRows(testDb(), gone);
		expect(await written(env.DB, drafts)).toEqual([
			{ id: drafts[0], writer_id: null },
			{ id: drafts[1], writer_id: admin.user.id },
		]);
	});
});

/*
 * A backup made before migration 0020: its verdict lines have no `review_url` or
 * `review_publisher`. An import of then kept the review's address only as the verdict's first
 * evidence link, and audited its publication `"imported": true`; upgraded in place, 0022
 * credited it to the address's host. A restore of such a file does the same once the audit log
 * is in, locally and over HTTP: else it read as ours, our ClaimReview naming us its author.
 */
describe("a backup made before 0020 (whose check an imported review is)", () => {
	interface Credited {
		verdict: { publisher: { name: string }; reviewUrl: string | null } | null;
	}
	const credit = async (claimId: string) => {
		// The copies of the answer (the isolate's, the cache's) were read before the restore.
		forgetHotTags([EVERYTHING_TAG]);
		await purgeClaim(claimId);
		const { verdict } = await json<Credited>(await call(`/api/v1/claims/${claimId}`));
		return { publisher: verdict?.publisher.name, reviewUrl: verdict?.reviewUrl };
	};

	it("credits a review imported before 0020 to its site, as 0022 did, not to us (CLI and over HTTP)", {
		timeout: 120_000,
	}, async () => {
		await wipe();
		const place = uniquePlace();
		const review = `https://www.Correctiv.org/faktencheck/${place}?utm=1`;
		const { records } = parseClaimReviewDocument(
			JSON.stringify({
				"@context": "https://schema.org",
				"@type": "ClaimReview",
				url: review,
				claimReviewed: `In ${place} wurden alle Brücken gesperrt`,
				author: { "@type": "Organization", name: "CORRECTIV.Faktencheck" },
				inLanguage: "de",
				headline: `Nein, in ${place} wurden keine Brücken gesperrt`,
				reviewRating: { "@type": "Rating", alternateName: "Falsch" },
				itemReviewed: {
					"@type": "Claim",
					author: { "@type": "Person", name: `Hans ${place}` },
					appearance: { "@type": "CreativeWork", url: `https://news.example/${newId()}.html` },
				},
			}),
		);
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["import"]);
		const response = await apiCall("POST", "/api/v1/import", { token, body: { records } });
		expect(response.status, await response.clone().text()).toBe(200);
		const imported = (await json<{ results: { claimId?: string }[] }>(response)).results[0]?.claimId ?? "";
		const ours = await makeClaim();
		await publish(ours.id, "false");
		const house = (await credit(ours.id)).publisher;
		expect(await credit(imported)).toEqual({
			publisher: "CORRECTIV.Faktencheck",
			reviewUrl: expect.stringMatching(/^https:\/\/www\.correctiv\.org\/faktencheck\//),
		});
		const current: string[] = [];
		for await (const l of exportRows(testDb())) current.push(l);
		// As a release before 0020 wrote the file: the review only as the first evidence link.
		const old = current.map((l) => {
			if (!l.startsWith('{"table":"verdicts"')) return l;
			const { table, row } = JSON.parse(l) as { table: string; row: Record<string, unknown> };
			delete row.review_url;
			delete row.review_publisher;
			return JSON.stringify({ table, row });
		});
		// 0022 kept no publisher's name: the address's host names it, as an import without a reviewer.
		const upgraded = { publisher: "correctiv.org", reviewUrl: expect.stringMatching(/faktencheck/) };

		// The restore of the CLI.
		await wipe();
		await restoreRows(testDb(), old);
		expect({ imported: await credit(imported), ours: await credit(ours.id) }).toEqual({
			imported: upgraded,
			ours: { publisher: house, reviewUrl: null },
		});

		// Over HTTP, into a deployment with one admin, in two pages.
		await wipe();
		const restorer = await createUser(testDb(), SYSTEM("test"), {
			email: `restorer-${newId()}@backup.test`,
			name: "New admin",
			role: "admin",
			passwordHash: null,
		});
		const backupToken = (await apiToken(restorer, ["backup"])).token;
		const restore = newId();
		const post = async (path: string, body: unknown) => {
			const answer = await apiCall("POST", path, { token: backupToken, body });
			expect(answer.status, await answer.clone().text()).toBe(200);
			return json<{ state: unknown; deferred: unknown[]; next: number | null }>(answer);
		};
		const half = Math.ceil(old.length / 2);
		const first = await post("/api/v1/backup/restore", { restore, state: null, lines: old.slice(0, half) });
		const page = await post("/api/v1/backup/restore", {
			restore,
			state: first.state,
			lines: old.slice(half),
		});
		await post("/api/v1/backup/restore/links", { restore, links: [...first.deferred, ...page.deferred] });
		for (let after: number | null = 0; after !== null; ) {
			after = (await post("/api/v1/backup/restore/finish", { restore, state: page.state, after })).next;
		}
		expect({ imported: await credit(imported), ours: await credit(ours.id) }).toEqual({
			imported: upgraded,
			ours: { publisher: house, reviewUrl: null },
		});
	});
});

describe("a restore keeps the feed's entries where they stood", () => {
	const entryTimes = async () => {
		// The isolate's copy of the feed was read from the database before the restore.
		forgetHotTags([EVERYTHING_TAG]);
		const parsed = new XMLParser().parse(await (await call("/feeds/verdicts.atom?lang=de")).text()) as {
			feed: { entry?: { id: string; updated: string } | { id: string; updated: string }[] };
		};
		return new Map([parsed.feed.entry ?? []].flat().map((e) => [e.id, e.updated]));
	};
	const moved = (before: Map<string, string>, after: Map<string, string>) =>
		[...before].filter(([id, updated]) => after.get(id) !== updated).length;
	const changedAt = async () =>
		(await env.DB.prepare("SELECT id, changed_at, updated_at FROM claims ORDER BY seq").all()).results;

	it("a retraction stays in the Atom feed after a restore, though the topic of 50 checked claims was renamed since their review (CLI and over HTTP)", {
		timeout: 300_000,
	}, async () => {
		await wipe();
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["claims:write"]);
		const place = uniquePlace();
		const create = async (text: string, tags: string[]) => {
			const response = await apiCall("POST", "/api/v1/claims", {
				token,
				body: {
					text: `${text} ${newId()} in ${place}`,
					language: "de",
					speaker: { name: `Senatorin ${place}`, kind: "person" },
					source: { url: `https://news.example/${newId()}`, title: "A" },
					tags,
				},
			});
			expect(response.status, await response.clone().text()).toBe(201);
			return json<{ id: string; tags: { slug: string }[] }>(response);
		};
		// 50 checked claims of one topic, then a verdict withdrawn on another claim: the news.
		let tag = "";
		for (let i = 0; i < 50; i++) {
			const claim = await create(`Aussage ${i} zum Hafen`, [`Hafen ${place}`]);
			tag = claim.tags[0]?.slug ?? "";
			await publish(claim.id, "false");
		}
		const other = await create("Der Minister log", []);
		const published = await publish(other.id, "false");
		await retract(published.id, published.version);
		// A change no entry shows: the 50 claims' answers change, their entries stay.
		const renamed = await apiCall("PATCH", `/api/v1/tags/${tag}`, {
			token,
			body: { nameDe: `Hafen (${place})` },
		});
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		const before = await entryTimes();
		const retraction = [...before.keys()].find((id) => id.endsWith(`:verdict/${published.id}`));
		expect(retraction).toBeDefined();
		const datesBefore = await changedAt();
		const current: string[] = [];
		for await (const l of exportRows(testDb())) current.push(l);

		// The restore of the CLI.
		await wipe();
		await restoreRows(testDb(), current);
		const afterCli = await entryTimes();
		expect({ moved: moved(before, afterCli), retraction: afterCli.has(retraction ?? "") }).toEqual({
			moved: 0,
			retraction: true,
		});
		expect(await changedAt()).toEqual(datesBefore);

		// Over HTTP, into a deployment with one admin.
		const overHttp = async (file: string[]) => {
			await wipe();
			const restorer = await createUser(testDb(), SYSTEM("test"), {
				email: `restorer-${newId()}@backup.test`,
				name: "New admin",
				role: "admin",
				passwordHash: null,
			});
			const backupToken = (await apiToken(restorer, ["backup"])).token;
			const restore = newId();
			const post = async (path: string, body: unknown) => {
				const response = await apiCall("POST", path, { token: backupToken, body });
				expect(response.status, await response.clone().text()).toBe(200);
				return json<{ state: unknown; deferred: unknown[]; next: number | null }>(response);
			};
			// Two pages: what a page learns of the file (how old it is) reaches the end in its state.
			const half = Math.ceil(file.length / 2);
			const first = await post("/api/v1/backup/restore", {
				restore,
				state: null,
				lines: file.slice(0, half),
			});
			const page = await post("/api/v1/backup/restore", {
				restore,
				state: first.state,
				lines: file.slice(half),
			});
			await post("/api/v1/backup/restore/links", { restore, links: [...first.deferred, ...page.deferred] });
			for (let after: number | null = 0; after !== null; ) {
				after = (await post("/api/v1/backup/restore/finish", { restore, state: page.state, after })).next;
			}
		};
		await overHttp(current);
		const afterHttp = await entryTimes();
		expect({ moved: moved(before, afterHttp), retraction: afterHttp.has(retraction ?? "") }).toEqual({
			moved: 0,
			retraction: true,
		});
		expect(await changedAt()).toEqual(datesBefore);

		// A backup made before 0030 (claim lines without changed_at): dated by the public change
		// rows since each review, as that release's feed was (0057), not by `updated_at`, which a
		// topic's rename moved: the 50 entries stay, the retraction with them, over HTTP too.
		const old = current.map((l) => {
			if (!l.startsWith('{"table":"claims"')) return l;
			const { table, row } = JSON.parse(l) as { table: string; row: Record<string, unknown> };
			delete row.changed_at;
			return JSON.stringify({ table, row });
		});
		await overHttp(old);
		const afterOld = await entryTimes();
		expect({ moved: moved(before, afterOld), retraction: afterOld.has(retraction ?? "") }).toEqual({
			moved: 0,
			retraction: true,
		});
		expect(await changedAt()).toEqual(datesBefore);
	});

	it("a superseded entry keeps its updated through a restore of a backup made before 0055 (claim lines without quoted_at)", {
		timeout: 120_000,
	}, async () => {
		await wipe();
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["claims:write"]);
		const claim = await makeClaim({ language: "en" });
		const first = await publish(claim.id, "false", { language: "en" });
		await publish(claim.id, "true", { language: "en", correctionNote: "New data." });
		// Its words edited after the correction: the superseded entry's title and updated moved.
		await new Promise((resolve) => setTimeout(resolve, 5));
		const { version } = await json<{ version: number }>(await call(`/api/v1/claims/${claim.id}`));
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version, text: `Edited ${newId()}.`, note: "Typo." },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		const before = await entryTimes();
		const entry = [...before.keys()].find((id) => id.endsWith(`:verdict/${first.id}`)) ?? "";
		const quoted = async () =>
			(await env.DB.prepare("SELECT changed_at, quoted_at FROM claims WHERE id = ?")
				.bind(claim.id)
				.first()) ?? {};
		expect(await quoted()).toMatchObject({ quoted_at: expect.stringMatching(/^\d{4}-/) });
		const current: string[] = [];
		for await (const l of exportRows(testDb())) current.push(l);
		expect(current.find((l) => l.startsWith('{"table":"claims"'))).toContain('"quoted_at":');

		// As the file is: the column travels.
		const dates = await quoted();
		await wipe();
		await restoreRows(testDb(), current);
		expect(await quoted()).toEqual(dates);
		expect((await entryTimes()).get(entry)).toBe(before.get(entry));

		// Made before 0055: begun as its changed_at, as the migration did, so nothing goes back.
		const old = current.map((l) => {
			if (!l.startsWith('{"table":"claims"')) return l;
			const { table, row } = JSON.parse(l) as { table: string; row: Record<string, unknown> };
			delete row.quoted_at;
			return JSON.stringify({ table, row });
		});
		await wipe();
		await restoreRows(testDb(), old);
		expect(await quoted()).toEqual({ changed_at: dates.changed_at, quoted_at: dates.changed_at });
		expect((await entryTimes()).get(entry)).toBe(before.get(entry));
	});
});
