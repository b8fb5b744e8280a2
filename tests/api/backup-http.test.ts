import { applyD1Migrations, createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { NO_EFFECTS } from "../../src/commands/context";
import { attachFile } from "../../src/commands/uploads";
import deskWorker from "../../src/desk-worker";
import { newId, sha256Hex } from "../../src/domain/ids";
import { createDb } from "../../src/factory";
import { publicCacheFor } from "../../src/lib/public-cache";
import type { PurgeOptions } from "../../src/lib/workers-caching";
import { servePublic } from "../../src/public-worker";
import { archiveSnapshots } from "../../src/queues/snapshot-archive";
import { manifestPage, verifyArchive } from "../../src/store/archive-backup";
import { BackupChangedError, checkBackup } from "../../src/store/backup";
import { SYSTEM, writeAudit } from "../../src/store/batch";
import { mergeClaims } from "../../src/store/claim-merges";
import { removeClaim } from "../../src/store/claim-removals";
import { claimHistory } from "../../src/store/claims";
import { addNote, setAssignee, setClaimTags } from "../../src/store/collaboration";
import { planSnapshots } from "../../src/store/snapshots";
import { createUser } from "../../src/store/users";
import { deleteWebhook, insertWebhook } from "../../src/store/webhooks";
import { account, apiCall, apiToken, signIn } from "../desk/helpers";
import { actor, makeClaim, publish, retract } from "../factories";
import { BASE, fetchWith, json, purgeClaim, rowCount, testDb } from "../helpers";
import { useOwnDatabase } from "../own-database";

useOwnDatabase();

/*
 * The backup over HTTP, end to end: a database with every kind of row, exported through
 * the Worker in pages small enough to take many requests, restored through the Worker
 * into an empty database and bucket (RESTORED_DB, RESTORED_ARCHIVE: this file has a
 * runtime of its own, vitest.config.ts), and read back the same.
 */

const SLACK_SECRET = `xoxsecret${newId()}`;
const NOTE = `Intern: Pressestelle angerufen ${newId()}`;
const PAGE_HTML =
	"<html><head><title>Report</title></head><body><article><p>The archive keeps this paragraph.</p></article></body></html>";

interface Entry {
	key: string;
	sha256: string;
	bytes: number;
	contentType: string | null;
}

const source = { claims: [] as string[], answers: new Map<string, string>() };
/** A claim the backup's admin held, and the holders its desk timeline names. */
const assigned = { claimId: "", names: [] as unknown[] };

function assignmentNames(history: Awaited<ReturnType<typeof claimHistory>>) {
	return history.entries
		.filter((e) => e.action === "assign" || e.action === "unassign")
		.map((e) => ({ action: e.action, from: e.fromName, to: e.toName }));
}
let adminEmail = "";
let adminToken = "";
/** A claim the backup's admin checked and published, and what readers saw of it. */
const adminChecked = { claimId: "", name: "", answers: new Map<string, string>() };
/** The new deployment's admin, into whose account the restore merges the backup's. */
const restoringAdmin = { id: "", token: "" };
const lines: string[] = [];
const manifest: Entry[] = [];
const objects = new Map<string, Uint8Array>();
let exportRequests = 0;

const target = {
	fetch: (path: string, init?: RequestInit) =>
		fetchWith(env.RESTORED_DB, path, init, false, { ARCHIVE: env.RESTORED_ARCHIVE }),
};

async function sourceCall(method: string, path: string, token = adminToken, body?: unknown) {
	return apiCall(method, path, { token, ...(body === undefined ? {} : { body }) });
}

async function targetCall(method: string, path: string, token: string, body?: unknown) {
	const { response, settled } = await target.fetch(path, {
		method,
		headers: {
			Authorization: `Bearer ${token}`,
			...(body === undefined ? {} : { "Content-Type": "application/json" }),
		},
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
	});
	await settled();
	return response;
}

/** The target's purges, made as its public Worker makes them under Workers Caching. */
const targetPurges: PurgeOptions[] = [];

/** A call to the target through both Workers, with a Workers Caching double that records purges. */
async function targetCallAtEdge(path: string, token: string, body: unknown) {
	const ctx = createExecutionContext();
	Object.assign(ctx, {
		cache: {
			purge: async (options: PurgeOptions) => {
				targetPurges.push(options);
				return { success: true, errors: [] };
			},
		},
	});
	const bindings = { ...env, DB: env.RESTORED_DB, ARCHIVE: env.RESTORED_ARCHIVE } as Env;
	const desk = { fetch: (request: Request) => deskWorker.fetch(request as never, bindings, ctx) };
	const response = await servePublic(
		new Request(`${BASE}${path}`, {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: JSON.stringify(body),
		}),
		{ ...bindings, DESK: desk } as never,
		ctx,
	);
	await waitOnExecutionContext(ctx);
	return response;
}

/** What a reader sees of a claim: its JSON and its page, read fresh (no cached copy). */
async function readerAnswers(claimId: string, read: (path: string) => Promise<Response>) {
	const out: Record<string, string> = {};
	for (const path of [`/api/v1/claims/${claimId}`, `/claims/${claimId}`]) {
		await purgeClaim(claimId);
		const response = await read(path);
		expect(response.status, path).toBe(200);
		expect(response.headers.get("X-Edge-Cache") ?? "", path).not.toMatch(/HIT/);
		out[path] = await response.text();
	}
	return out;
}

async function buildDatabase() {
	const admin = await account("admin");
	adminEmail = admin.user.email;
	adminToken = (await apiToken(admin.user, ["backup"])).token;
	// Checked and published by the admin: its page and JSON name them.
	const adminWriter = (await apiToken(admin.user, ["verdicts:write", "verdicts:publish"])).token;
	const checked = await makeClaim({ text: `Die Brücke ${newId()} ist gesperrt.` });
	const adminDraft = await apiCall("POST", `/api/v1/claims/${checked.id}/verdicts`, {
		token: adminWriter,
		body: {
			rating: "false",
			headline: `Die Brücke ${newId()}`,
			evidence: [{ url: "https://evidence.example/bridge", title: "Report" }],
			language: "de",
		},
	});
	expect(adminDraft.status, await adminDraft.clone().text()).toBe(201);
	const adminVerdict = await json<{ id: string; version: number }>(adminDraft);
	const adminPublished = await apiCall("POST", `/api/v1/verdicts/${adminVerdict.id}/publish`, {
		token: adminWriter,
		body: { version: adminVerdict.version },
	});
	expect(adminPublished.status, await adminPublished.clone().text()).toBe(200);
	adminChecked.claimId = checked.id;
	adminChecked.name = admin.user.name;
	const published = await makeClaim({ text: `Der Hafen ${newId()} wurde verkauft.` });
	await publish(published.id, "false");
	const corrected = await makeClaim({ text: `Die Werft ${newId()} schließt.` });
	await publish(corrected.id, "false");
	await publish(corrected.id, "misleading", { correctionNote: "Neue Zahlen der Werft." });
	const retracted = await makeClaim({ text: `Der Minister ${newId()} trat zurück.` });
	const verdict = await publish(retracted.id, "true");
	await retract(verdict.id, verdict.version);
	source.claims.push(published.id, corrected.id, retracted.id);
	await setClaimTags(testDb(), actor, published.id, [{ slug: `hafen${newId()}`, name: "Hafen" }], null);
	// Held by the admin (whom the restore merges into its own account), then by nobody.
	assigned.claimId = corrected.id;
	await setAssignee(testDb(), actor, corrected.id, admin.user.id, { onlyIfUnassigned: false });
	await setAssignee(testDb(), actor, corrected.id, null, { onlyIfUnassigned: false });
	assigned.names = assignmentNames(await claimHistory(testDb(), corrected.id));
	expect(assigned.names).toEqual([
		{ action: "unassign", from: admin.user.name, to: null },
		{ action: "assign", from: null, to: admin.user.name },
	]);
	await addNote(testDb(), actor, corrected.id, NOTE);

	// A subscriber whose address is its credential (Slack): created and deleted, both audited with it.
	const hook = newId();
	await insertWebhook(testDb(), actor, {
		id: hook,
		url: `https://hooks.slack.com/services/T0/B0/${SLACK_SECRET}`,
		events: "[]",
		description: null,
		secret: `whsec_${newId()}`,
	});
	await deleteWebhook(testDb(), actor, hook);

	// A checker's draft at the API's limits, of the characters JSON escapes: its audit row's
	// line (the draft escaped in `changes`, then again in the line) passed 200,000 characters,
	// once the restore's cap, and every later backup failed to restore over HTTP.
	const checker = await account("checker");
	const draftToken = (await apiToken(checker.user, ["verdicts:write"])).token;
	const drafted = await makeClaim({ text: `Die Schleuse ${newId()} ist zu.` });
	const draft = await apiCall("POST", `/api/v1/claims/${drafted.id}/verdicts`, {
		token: draftToken,
		body: {
			rating: "false",
			headline: `Die Schleuse ${newId()}`,
			summary: '"'.repeat(19_998),
			body: "\\".repeat(19_998),
			evidence: Array.from({ length: 50 }, (_, i) => ({
				url: `https://evidence.example/${i}`,
				title: '"'.repeat(398),
			})),
		},
	});
	expect(draft.status, await draft.clone().text()).toBe(201);

	const url = `https://backup-http.example/${newId()}`;
	const snapshotClaim = await makeClaim({ sourceUrl: url });
	source.claims.push(snapshotClaim.id);
	const [planned] = await planSnapshots(testDb(), [url], Date.now());
	await archiveSnapshots(
		[{ body: { snapshotId: planned?.id ?? "" }, ack: () => undefined, retry: () => undefined }],
		{
			db: testDb(),
			bucket: env.ARCHIVE,
			cache: publicCacheFor(undefined, env.DB),
			now: () => Date.now(),
			allowLoopback: false,
			archiveOrg: false,
			fetch: async () => new Response(PAGE_HTML, { headers: { "Content-Type": "text/html; charset=utf-8" } }),
		},
	);
	await attachFile({ db: testDb(), actor, effects: NO_EFFECTS }, env.ARCHIVE, published.id, {
		name: "report.pdf",
		bytes: new TextEncoder().encode("%PDF-1.4\n%%EOF\n"),
		caption: "Report",
	});
	for (const id of source.claims) {
		for (const [path, body] of Object.entries(await readerAnswers(id, (p) => apiCall("GET", p)))) {
			source.answers.set(path, body);
		}
	}
	const answers = await readerAnswers(adminChecked.claimId, (p) => apiCall("GET", p));
	for (const [path, body] of Object.entries(answers)) adminChecked.answers.set(path, body);
	expect(JSON.parse(answers[`/api/v1/claims/${adminChecked.claimId}`] ?? "{}")).toMatchObject({
		byline: { checkedBy: admin.user.name, publishedBy: admin.user.name },
	});
}

/** Follows the export's `Link: rel="next"` to the end, as the CLI does. */
async function exportAll(limit: number, notes: boolean): Promise<string[]> {
	const out: string[] = [];
	let path: string | null = `/api/v1/backup?limit=${limit}${notes ? "&notes=true" : ""}`;
	while (path) {
		const response = await sourceCall("GET", path);
		expect(response.status).toBe(200);
		expect(response.headers.get("Cache-Control")).toBe("private, no-store");
		expect(response.headers.get("Content-Type")).toMatch(/^application\/x-ndjson/);
		exportRequests++;
		out.push(
			...new TextDecoder()
				.decode(await response.arrayBuffer())
				.split("\n")
				.filter(Boolean),
		);
		const next = /<[^>]*(\/api\/v1\/backup\?[^>]*)>; rel="next"/.exec(response.headers.get("Link") ?? "");
		path = next?.[1] ?? null;
	}
	return out;
}

describe("backup over HTTP", () => {
	it("exports every row in pages, the header's counts true to the rows, notes only when asked", {
		timeout: 300_000,
	}, async () => {
		await buildDatabase();
		const auditBefore = await rowCount("audit_log");
		exportRequests = 0;
		lines.push(...(await exportAll(7, true)));
		expect(exportRequests).toBeGreaterThan(5);
		const header = await checkBackup(lines);
		expect(header.tables.claim_notes).toBe(1);
		// The worst-case draft's audit row (restored over HTTP below).
		expect(Math.max(...lines.map((l) => l.length))).toBeGreaterThan(200_000);
		expect(header.tables.audit_log).toBe(auditBefore);
		expect(lines.join("\n")).toContain(NOTE);
		expect(lines.join("\n")).not.toMatch(/"(password_?hash|token_?hash|csrf_?token)"\s*:/i);
		// A webhook's address is cut to its origin in the audit rows.
		expect(lines.join("\n")).not.toContain(SLACK_SECRET);
		const hookRows = lines.filter((l) => l.includes('"entity":"webhook"'));
		expect(hookRows.length).toBe(2);
		for (const row of hookRows) expect(row).toContain('\\"url\\":\\"https://hooks.slack.com\\"');
		// Without notes=true: the same rows but the desk's notes.
		const plain = await exportAll(50, false);
		expect(plain.join("\n")).not.toContain(NOTE);
		// Every page was audited, by whom.
		const audited = await env.DB.prepare(
			"SELECT count(*) AS n, min(actor_label) AS who FROM audit_log WHERE action = 'backup.export'",
		).first<{ n: number; who: string }>();
		expect(audited?.n).toBe(exportRequests);
		expect(audited?.who).toMatch(/^token:/);
	});

	it("leaves out rows written after the export began (and fails it as changed), and fails when rows are deleted meanwhile", {
		timeout: 120_000,
	}, async () => {
		const first = await sourceCall("GET", "/api/v1/backup?limit=2");
		await first.arrayBuffer();
		const next = /<[^>]*(\/api\/v1\/backup\?[^>]*)>; rel="next"/.exec(first.headers.get("Link") ?? "")?.[1];
		const later = await makeClaim({ text: `Später ${newId()} geschrieben.` });
		const rest: string[] = [];
		let written = 200;
		for (let path = next ?? null; path; ) {
			const response = await sourceCall("GET", path);
			written = response.status;
			if (written !== 200) {
				expect(await json(response)).toMatchObject({
					type: "urn:claimtrack:problem:backup-changed",
					detail: expect.stringMatching(/written to while the export ran \(.*claims/),
				});
				break;
			}
			rest.push(
				...new TextDecoder()
					.decode(await response.arrayBuffer())
					.split("\n")
					.filter(Boolean),
			);
			path =
				/<[^>]*(\/api\/v1\/backup\?[^>]*)>; rel="next"/.exec(response.headers.get("Link") ?? "")?.[1] ?? null;
		}
		expect(written).toBe(409);
		expect(rest.join("\n")).not.toContain(later.id);

		const again = await sourceCall("GET", "/api/v1/backup?limit=2");
		const cursor = /<[^>]*(\/api\/v1\/backup\?[^>]*)>; rel="next"/.exec(again.headers.get("Link") ?? "")?.[1];
		await setClaimTags(testDb(), actor, source.claims[0] ?? "", [], null);
		let status = 200;
		for (let path = cursor ?? null; path && status === 200; ) {
			const response = await sourceCall("GET", path);
			status = response.status;
			if (status !== 200)
				expect(await json(response)).toMatchObject({ type: "urn:claimtrack:problem:backup-changed" });
			path =
				/<[^>]*(\/api\/v1\/backup\?[^>]*)>; rel="next"/.exec(response.headers.get("Link") ?? "")?.[1] ?? null;
		}
		expect(status).toBe(409);
	});

	it("fails an export as changed when an edit meanwhile points a row past the high water", {
		timeout: 120_000,
	}, async () => {
		const first = await sourceCall("GET", "/api/v1/backup?limit=2");
		expect(first.status).toBe(200);
		await first.arrayBuffer();
		let path =
			/<[^>]*(\/api\/v1\/backup\?[^>]*)>; rel="next"/.exec(first.headers.get("Link") ?? "")?.[1] ?? null;
		// A correction published mid-export: a new verdict, and its claim's current verdict set to it.
		await publish(source.claims[0] ?? "", "misleading", { correctionNote: "Neue Zahlen." });
		let last: Response | null = null;
		while (path) {
			last = await sourceCall("GET", path);
			if (last.status !== 200) break;
			await last.arrayBuffer();
			path =
				/<[^>]*(\/api\/v1\/backup\?[^>]*)>; rel="next"/.exec(last.headers.get("Link") ?? "")?.[1] ?? null;
		}
		expect(last?.status).toBe(409);
		expect(await json(last as Response)).toMatchObject({
			type: "urn:claimtrack:problem:backup-changed",
			detail: expect.stringMatching(/claims\.current_verdict_id/),
		});
	});

	it("fails an export as changed when an edit meanwhile updates rows and inserts companions (half in the file)", {
		timeout: 120_000,
	}, async () => {
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const words = `Die Fähre ${newId()} fuhr leer.`;
		const speakerName = `Kapitänin ${newId()}`;
		const claim = await makeClaim({ text: words, speaker: { name: speakerName } });
		await publish(claim.id, "false");
		const fixed = `Die Fähre ${newId()} fuhr fast leer.`;
		const editMeanwhile = async () => {
			const read = await json<{ version: number }>(await apiCall("GET", `/api/v1/claims/${claim.id}`));
			const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: read.version, text: fixed, note: "Zitat berichtigt" },
			});
			expect(edited.status, await edited.clone().text()).toBe(200);
			const slug = claim.speaker?.slug ?? "";
			const speaker = await json<{ version: number }>(await apiCall("GET", `/api/v1/speakers/${slug}`));
			const renamed = await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
				token,
				body: { version: speaker.version, name: `${speakerName} B.` },
			});
			expect(renamed.status, await renamed.clone().text()).toBe(200);
		};
		const first = await sourceCall("GET", "/api/v1/backup?limit=2");
		expect(first.status).toBe(200);
		await first.arrayBuffer();
		await editMeanwhile();
		// The rest in pages of 50: what counts is that the edit falls between two pages, and
		// that pages before the last (which fails) hold the claim's new text.
		const next = (response: Response) =>
			/<[^>]*(\/api\/v1\/backup\?[^>]*)>; rel="next"/
				.exec(response.headers.get("Link") ?? "")?.[1]
				?.replace(/limit=\d+/, "limit=50") ?? null;
		let path = next(first);
		const read: string[] = [];
		let last: Response | null = null;
		while (path) {
			last = await sourceCall("GET", path);
			if (last.status !== 200) break;
			read.push(
				...new TextDecoder()
					.decode(await last.arrayBuffer())
					.split("\n")
					.filter(Boolean),
			);
			path = next(last);
		}
		// The pages read after the edit hold the claim's new text; its change row is past the high water.
		expect(read.join("\n")).toContain(fixed);
		expect(last?.status).toBe(409);
		expect(await json(last as Response)).toMatchObject({
			type: "urn:claimtrack:problem:backup-changed",
			detail: expect.stringMatching(/written to while the export ran \(.*audit_log/),
		});
		// Started again once the edits are in, the file holds each whole.
		const again = await exportAll(500, false);
		await expect(checkBackup(again)).resolves.toBeDefined();
		const change = again.find((l) => l.startsWith('{"table":"claim_changes"') && l.includes(claim.id));
		expect(change).toContain("Zitat berichtigt");
		const aliases = again.filter((l) => l.startsWith('{"table":"speaker_aliases"')).join("\n");
		expect(aliases).toContain(`${speakerName} B.`);
	});

	it("is not failed by writes that put nothing in the file: a login, a token, a note without notes", {
		timeout: 120_000,
	}, async () => {
		const claim = await makeClaim({ text: `Der Kai ${newId()} ist gesperrt.` });
		const walk = async (notes: boolean, during: () => Promise<void>) => {
			const first = await sourceCall("GET", `/api/v1/backup?limit=2${notes ? "&notes=true" : ""}`);
			expect(first.status).toBe(200);
			await first.arrayBuffer();
			await during();
			// The rest in pages of 500: the write meanwhile is what counts, not the pages' size.
			const next = (response: Response) =>
				/<[^>]*(\/api\/v1\/backup\?[^>]*)>; rel="next"/
					.exec(response.headers.get("Link") ?? "")?.[1]
					?.replace(/limit=\d+/, "limit=500") ?? null;
			let path = next(first);
			let last: Response | null = null;
			while (path) {
				last = await sourceCall("GET", path);
				if (last.status !== 200) break;
				await last.arrayBuffer();
				path = next(last);
			}
			return last?.status;
		};
		const editor = await account("editor");
		expect(
			await walk(false, async () => {
				await signIn(editor.user);
				await apiToken(editor.user, ["claims:write"]);
				await addNote(testDb(), SYSTEM("test"), claim.id, "Intern: nur mit --with-notes.");
			}),
		).toBe(200);
		// With notes, the note is in what the file carries: written meanwhile, it starts again.
		expect(
			await walk(true, () =>
				addNote(testDb(), SYSTEM("test"), claim.id, "Intern: zweite Notiz.").then(() => undefined),
			),
		).toBe(409);
	});

	it("fails an export as changed when a claim is removed or merged after its table's pages were read", {
		timeout: 120_000,
	}, async () => {
		const privateName = `Privatperson ${newId()}`;
		const removed = await makeClaim({ text: `Privat ${newId()} gesagt.`, speaker: { name: privateName } });
		const kept = await makeClaim({ text: `Der Kanal ${newId()} ist gesperrt.` });
		const duplicate = await makeClaim({ text: `Der Kanal ${newId()} ist jetzt gesperrt.` });
		const before = ["users", "sources", "speakers", "speaker_aliases", "claims", "appearances"];
		const read: string[] = [];
		let path: string | null = "/api/v1/backup?limit=2";
		let last: Response | null = null;
		let changed = false;
		while (path) {
			last = await sourceCall("GET", path);
			if (last.status !== 200) break;
			read.push(
				...new TextDecoder()
					.decode(await last.arrayBuffer())
					.split("\n")
					.filter(Boolean),
			);
			const table = (JSON.parse(read.at(-1) ?? "{}") as { table?: string }).table;
			// Every claim and appearance read (their tables' counts checked), audit_log not yet.
			if (!changed && table !== undefined && !before.includes(table)) {
				expect(table).not.toBe("audit_log");
				await removeClaim(testDb(), actor, removed.id, { version: removed.version, reason: "Privatperson" });
				await mergeClaims(testDb(), actor, duplicate.id, {
					into: kept.id,
					version: duplicate.version,
					note: "",
				});
				changed = true;
			}
			path =
				/<[^>]*(\/api\/v1\/backup\?[^>]*)>; rel="next"/.exec(last.headers.get("Link") ?? "")?.[1] ?? null;
		}
		expect(changed).toBe(true);
		// The file so far holds the removed claim's text and its speaker's name: it must not end well.
		expect(read.join("\n")).toContain(privateName);
		expect(last?.status).toBe(409);
		expect(await json(last as Response)).toMatchObject({
			type: "urn:claimtrack:problem:backup-changed",
			detail: expect.stringMatching(/deleted while the export ran \(.*claims/),
		});
		// Exported again, the file holds neither, and answers for both as retired.
		const again = await exportAll(500, false);
		expect(again.join("\n")).not.toContain(privateName);
		expect(again.join("\n")).not.toContain(`"id":"${duplicate.id}","text"`);
		const retired = again.filter((l) => l.startsWith('{"table":"retired_claims"')).join("\n");
		expect(retired).toContain(removed.id);
		expect(retired).toContain(duplicate.id);
		await expect(checkBackup(again)).resolves.toBeDefined();
	});

	it("lists the archive with SHA-256s and serves each object", { timeout: 120_000 }, async () => {
		let path: string | null = "/api/v1/backup/objects?limit=1";
		let pages = 0;
		while (path) {
			const response = await sourceCall("GET", path);
			expect(response.status).toBe(200);
			const page = await json<{ objects: Entry[]; next: string | null }>(response);
			manifest.push(...page.objects);
			pages++;
			path = page.next ? `/api/v1/backup/objects?limit=1&cursor=${page.next}` : null;
		}
		expect(pages).toBeGreaterThan(1);
		expect(manifest.map((e) => e.key.split("/")[0]).sort()).toEqual([
			"snapshots",
			"snapshots",
			"snapshots",
			"uploads",
		]);
		for (const entry of manifest) {
			const response = await sourceCall("GET", `/api/v1/backup/objects/${entry.key}`);
			expect(response.status).toBe(200);
			expect(response.headers.get("Cache-Control")).toBe("private, no-store");
			const body = new Uint8Array(await response.arrayBuffer());
			expect(await sha256Hex(body)).toBe(entry.sha256);
			objects.set(entry.key, body);
		}
		expect((await sourceCall("GET", "/api/v1/backup/objects/../secrets")).status).toBe(404);
	});

	it("reads the archive lists' limit as digits only, as every other list's", async () => {
		for (const list of ["objects", "verify"]) {
			for (const limit of ["1e1", "%200x10", "0x10", "0"])
				expect((await sourceCall("GET", `/api/v1/backup/${list}?limit=${limit}`)).status, limit).toBe(422);
			expect((await sourceCall("GET", `/api/v1/backup/${list}?limit=2`)).status).toBe(200);
		}
	});

	it("an attachment deleted while the manifest is read fails it as changed (409), not as a bad file", async () => {
		const attached = await attachFile(
			{ db: testDb(), actor, effects: NO_EFFECTS },
			env.ARCHIVE,
			source.claims[0] ?? "",
			{
				name: "later.pdf",
				bytes: new TextEncoder().encode("%PDF-1.4\nlater\n%%EOF\n"),
				caption: "Later",
			},
		);
		const gone = `uploads/${attached.id}`;
		// Its row and object deleted between the page's read of the rows and of the bucket.
		const bucket = {
			get: async (key: string) => {
				if (key !== gone) return env.ARCHIVE.get(key);
				await env.DB.prepare("DELETE FROM uploads WHERE id = ?").bind(attached.id).run();
				await env.ARCHIVE.delete(key);
				return null;
			},
		} as unknown as R2Bucket;
		const error = await manifestPage(testDb(), bucket, { kind: "uploads", after: "" }, 50).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(BackupChangedError);
	});

	it("never writes over live evidence: no object is written outside a restore", async () => {
		const [entry] = manifest;
		if (!entry) throw new Error("empty manifest");
		const forged = new TextEncoder().encode("forged evidence");
		for (const restore of [undefined, "00000000000000"]) {
			const { response } = await fetchWith(env.DB, `/api/v1/backup/objects/${entry.key}`, {
				method: "PUT",
				headers: {
					Authorization: `Bearer ${adminToken}`,
					"X-Content-SHA256": await sha256Hex(forged),
					...(restore ? { "X-Restore-Id": restore } : {}),
				},
				body: forged,
			});
			expect(response.status, await response.clone().text()).toBe(restore ? 409 : 422);
		}
		const kept = await env.ARCHIVE.get(entry.key);
		expect(await sha256Hex(new Uint8Array((await kept?.arrayBuffer()) ?? new ArrayBuffer(0)))).toBe(
			entry.sha256,
		);
	});

	it("refuses a non-admin's token, and an admin's token without the scope", async () => {
		const editor = await account("editor");
		const editorToken = (await apiToken(editor.user, ["claims:write", "verdicts:publish", "import"])).token;
		const admin = await account("admin");
		const unscoped = (await apiToken(admin.user, ["claims:write", "webhooks:manage"])).token;
		for (const token of [editorToken, unscoped]) {
			for (const [method, path] of [
				["GET", "/api/v1/backup"],
				["GET", "/api/v1/backup/objects"],
				["GET", `/api/v1/backup/objects/${manifest[0]?.key}`],
			] as const) {
				expect((await sourceCall(method, path, token)).status, `${method} ${path}`).toBe(403);
			}
			expect((await sourceCall("POST", "/api/v1/backup/restore", token, { lines: [] })).status).toBe(403);
		}
		expect((await apiCall("GET", "/api/v1/backup")).status).toBe(401);
		// An editor cannot even be given the scope.
		const minted = await apiCall("POST", "/api/v1/backup", { token: editorToken });
		expect([403, 404, 405]).toContain(minted.status);
	});

	it("restores into an empty deployment over HTTP: the same claims, pages and archive objects", {
		timeout: 300_000,
	}, async () => {
		await applyD1Migrations(env.RESTORED_DB, env.TEST_MIGRATIONS);
		const targetDb = createDb(env.RESTORED_DB);
		// The new deployment's one account: the admin restoring, under the same email as in the
		// backup, named as `npm run user -- add --remote` names it without --name.
		const admin = await createUser(targetDb, actor, {
			email: adminEmail,
			name: adminEmail.split("@")[0] ?? "",
			role: "admin",
			passwordHash: null,
		});
		const token = await mintToken(targetDb, admin.id);
		restoringAdmin.id = admin.id;
		restoringAdmin.token = token;
		const setupAudit = await rowCount("audit_log", env.RESTORED_DB);
		const failedLogin = {
			action: "login-failed",
			entity: "user",
			entityId: `during-restore-${newId()}`,
			changes: { address: "203.0.113.9" },
		};
		expect(setupAudit).toBeGreaterThan(0);

		// The client names the restore, so its first page too may be sent again.
		const restore = newId();
		let state: unknown = null;
		const before: unknown[] = [];
		const deferred: unknown[] = [];
		const sendPage = async (i: number, pageState: unknown) => {
			const response = await targetCall("POST", "/api/v1/backup/restore", token, {
				restore,
				state: pageState,
				lines: lines.slice(i, i + 9),
			});
			expect(response.status, await response.clone().text()).toBe(200);
			return json<{ restore: string; state: unknown; deferred: unknown[] }>(response);
		};
		const status = async (id: string) => {
			const response = await targetCall("GET", `/api/v1/backup/restore/${id}`, token);
			expect(response.status, await response.clone().text()).toBe(200);
			return (await json<{ status: string }>(response)).status;
		};
		expect(await status(restore)).toBe("unknown");
		for (let i = 0; i < lines.length; i += 9) {
			before.push(state);
			const page = await sendPage(i, state);
			// Every page sent again, as a client does whose answer was lost: the same answer,
			// nothing written twice (the whole restore below reads back the same).
			expect(await sendPage(i, state)).toEqual(page);
			expect(page.restore).toBe(restore);
			state = page.state;
			deferred.push(...page.deferred);
			// The new deployment is live meanwhile: a failed login there is audited (commands/accounts).
			if (i === 0) await writeAudit(targetDb, SYSTEM("desk"), [failedLogin]);
		}
		expect(await status(restore)).toBe("open");
		// Each claim's current verdict, and the correction's predecessor.
		expect(deferred.length).toBeGreaterThanOrEqual(3);
		const linked = await targetCall("POST", "/api/v1/backup/restore/links", token, {
			restore,
			links: deferred,
		});
		expect(linked.status, await linked.clone().text()).toBe(200);
		// The objects go in while the restore is open, each checked against its row's SHA-256.
		const upload = manifest.find((e) => e.key.startsWith("uploads/"));
		if (!upload || !restore) throw new Error("no upload in the manifest");
		const forged = new TextEncoder().encode("%PDF-1.4\nforged\n%%EOF\n");
		const wrong = await putObject(token, restore, { ...upload, sha256: await sha256Hex(forged) }, forged);
		expect(wrong.status, await wrong.clone().text()).toBe(422);
		expect(await json(wrong)).toMatchObject({ detail: expect.stringMatching(/its row in the database/) });
		expect(await env.RESTORED_ARCHIVE.head(upload.key)).toBeNull();
		for (const entry of manifest) {
			const response = await putObject(token, restore, entry, objects.get(entry.key) ?? new Uint8Array());
			expect(response.status, await response.clone().text()).toBe(204);
		}
		// Sent again (a retried request): the same bytes change nothing; others are refused.
		const [firstEntry] = manifest;
		if (!firstEntry) throw new Error("empty manifest");
		const resent = await putObject(
			token,
			restore,
			firstEntry,
			objects.get(firstEntry.key) ?? new Uint8Array(),
		);
		expect(resent.status).toBe(204);
		const meta = manifest.find((e) => e.key.endsWith("/meta.json"));
		if (!meta) throw new Error("no snapshot metadata in the manifest");
		const other = new TextEncoder().encode('{"url":"https://forged.example/"}');
		const overwrite = await putObject(token, restore, { ...meta, sha256: await sha256Hex(other) }, other);
		expect(overwrite.status).toBe(409);
		expect(await json(overwrite)).toMatchObject({ type: "urn:claimtrack:problem:object-exists" });
		// The check over HTTP, paged: every object present and matching.
		let verified = 0;
		let verifyPages = 0;
		for (let path: string | null = "/api/v1/backup/verify?limit=1"; path; verifyPages++) {
			const response = await targetCall("GET", path, token);
			expect(response.status, await response.clone().text()).toBe(200);
			const page = await json<{ checked: number; mismatched: string[]; next: string | null }>(response);
			expect(page.mismatched).toEqual([]);
			verified += page.checked;
			path = page.next ? `/api/v1/backup/verify?limit=1&cursor=${page.next}` : null;
		}
		expect(verified).toBe(manifest.length);
		// A row lost on the way (here: deleted) is found when the restore is finished, which
		// then does not end; its page sent again puts it back.
		// A row no other row refers to: a topic of a claim.
		const lostAt = lines.findIndex((l) => l.startsWith('{"table":"claim_tags"'));
		expect(lostAt).toBeGreaterThan(0);
		const lost = JSON.parse(lines[lostAt] ?? "{}") as { row: { id: string } };
		await env.RESTORED_DB.prepare("DELETE FROM claim_tags WHERE id = ?").bind(lost.row.id).run();
		const finish = (after: number) =>
			targetCallAtEdge("/api/v1/backup/restore/finish", token, { restore, state, after });
		const refused = await finish(0);
		expect(refused.status).toBe(422);
		expect(await json(refused)).toMatchObject({
			detail: expect.stringMatching(/claim_tags: \d+ rows, the file \d+/),
		});
		const pageOfLost = Math.floor(lostAt / 9) * 9;
		await sendPage(pageOfLost, before[pageOfLost / 9]);
		let after: number | null = 0;
		while (after !== null) {
			// Nothing is purged before the restore has ended: a refused finish, or a step of it.
			expect(targetPurges).toEqual([]);
			const response = await finish(after);
			expect(response.status, await response.clone().text()).toBe(200);
			after = (await json<{ next: number | null }>(response)).next;
		}
		expect(await status(restore)).toBe("ended");
		// Its end purges everything the edge kept before or during it: an empty list, a claim's
		// "not found" (tagged with that claim's id, and no list of tags names every claim).
		expect(targetPurges).toEqual([{ purgeEverything: true }]);
		// Its last call sent again (the answer lost): it has ended, nothing more to do.
		const finishedAgain = await finish(0);
		expect(finishedAgain.status, await finishedAgain.clone().text()).toBe(200);
		expect(await json(finishedAgain)).toEqual({ next: null });
		// So is one among the merged claims' words, whose cursor is negative (store/search-terms).
		const wordsAgain = await finish(-1);
		expect(wordsAgain.status, await wordsAgain.clone().text()).toBe(200);
		expect(await json(wordsAgain)).toEqual({ next: null });

		// The restoring admin is the backup's admin: one account, the backup's rows point to it.
		const users = await env.RESTORED_DB.prepare("SELECT id, email FROM users WHERE email = ?")
			.bind(adminEmail)
			.all();
		expect(users.results).toEqual([{ id: admin.id, email: adminEmail }]);
		// The audit entries about the backup's admin (its account made) are the account's now.
		const sourceAdmin = await env.DB.prepare("SELECT id FROM users WHERE email = ?")
			.bind(adminEmail)
			.first<{ id: string }>();
		const aboutUser = (id: string) =>
			env.RESTORED_DB.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'user' AND entity_id = ?")
				.bind(id)
				.first<{ n: number }>();
		expect((await aboutUser(sourceAdmin?.id ?? ""))?.n).toBe(0);
		const inBackup = lines.filter((l) => {
			const { table, row } = JSON.parse(l) as {
				table?: string;
				row?: { entity?: string; entity_id?: string };
			};
			return table === "audit_log" && row?.entity === "user" && row.entity_id === sourceAdmin?.id;
		}).length;
		expect(inBackup).toBeGreaterThan(0);
		expect((await aboutUser(admin.id))?.n).toBeGreaterThanOrEqual(inBackup);
		// The claim's timeline names the account as the holder, by the backup admin's name.
		expect(assignmentNames(await claimHistory(targetDb, assigned.claimId))).toEqual(assigned.names);
		// Every audit row of the backup kept its id; the deployment's own follow, in order.
		const sourceIds = lines
			.filter((l) => l.startsWith('{"table":"audit_log"'))
			.map((l) => (JSON.parse(l) as { row: { id: number } }).row.id);
		const restoredIds = (
			await env.RESTORED_DB.prepare("SELECT id FROM audit_log ORDER BY id").all<{ id: number }>()
		).results.map((r) => r.id);
		expect(restoredIds.slice(0, sourceIds.length)).toEqual(sourceIds);
		// Its own: making the admin and token, the restore begun and ended, the account taking the
		// backup's name (once, its page sent twice), each object restored (the first twice), each
		// page of the check, and the failed login written meanwhile.
		expect(restoredIds.length).toBe(
			sourceIds.length + setupAudit + 2 + 1 + manifest.length + 1 + verifyPages + 1,
		);
		const login = await env.RESTORED_DB.prepare("SELECT id FROM audit_log WHERE entity_id = ?")
			.bind(failedLogin.entityId)
			.first<{ id: number }>();
		expect(login?.id).toBeGreaterThan(Math.max(...sourceIds));
		expect(Math.min(...restoredIds)).toBeGreaterThan(0);

		for (const id of source.claims) {
			const answers = await readerAnswers(id, async (path) => (await target.fetch(path)).response);
			for (const [path, body] of Object.entries(answers)) expect(body, path).toBe(source.answers.get(path));
		}
		const check = await verifyArchive(targetDb, env.RESTORED_ARCHIVE);
		expect(check).toEqual({ checked: manifest.length, mismatched: [] });
		for (const entry of manifest) {
			const copy = await env.RESTORED_ARCHIVE.get(entry.key);
			expect(await sha256Hex(new Uint8Array((await copy?.arrayBuffer()) ?? new ArrayBuffer(0)))).toBe(
				entry.sha256,
			);
		}
		expect(await rowCount("claims_fts", env.RESTORED_DB)).toBe(await rowCount("claims", env.RESTORED_DB));

		// A restore into a database that is no longer empty: refused, nothing written.
		const claimsBefore = await rowCount("claims", env.RESTORED_DB);
		const again = await targetCall("POST", "/api/v1/backup/restore", token, { lines: lines.slice(0, 9) });
		expect(again.status, await again.clone().text()).toBe(409);
		expect(await json(again)).toMatchObject({ type: "urn:claimtrack:problem:not-empty" });
		expect(await rowCount("claims", env.RESTORED_DB)).toBe(claimsBefore);
		// An ended restore takes no more pages.
		const late = await targetCall("POST", "/api/v1/backup/restore", token, { restore, state, lines: [] });
		expect(late.status).toBe(409);

		// Once the restore has ended, no object is written: not even one the bucket lacks.
		await env.RESTORED_ARCHIVE.delete(firstEntry.key);
		const ended = await putObject(
			token,
			restore,
			firstEntry,
			objects.get(firstEntry.key) ?? new Uint8Array(),
		);
		expect(ended.status).toBe(409);
		expect(await json(ended)).toMatchObject({ type: "urn:claimtrack:problem:restore-not-in-progress" });
		expect(await env.RESTORED_ARCHIVE.head(firstEntry.key)).toBeNull();
	});

	it("gives the restoring admin's account the backup's name: pages and JSON say who checked and published as before", async () => {
		expect(restoringAdmin.id).not.toBe("");
		// Readers see the verdict the backup's admin checked and published as they did.
		const answers = await readerAnswers(
			adminChecked.claimId,
			async (path) => (await target.fetch(path)).response,
		);
		const claimJson = `/api/v1/claims/${adminChecked.claimId}`;
		expect(JSON.parse(answers[claimJson] ?? "{}")).toMatchObject({
			byline: { checkedBy: adminChecked.name, publishedBy: adminChecked.name },
		});
		for (const [path, body] of Object.entries(answers))
			expect(body, path).toBe(adminChecked.answers.get(path));
		// The account takes only the name: its id, role, password and token stay its own.
		const account = await env.RESTORED_DB.prepare(
			"SELECT id, name, role, password_hash FROM users WHERE email = ?",
		)
			.bind(adminEmail)
			.first();
		expect(account).toEqual({
			id: restoringAdmin.id,
			name: adminChecked.name,
			role: "admin",
			password_hash: null,
		});
		// Audited as every change of an account is: who renamed it, from what name to what; once,
		// though every page was sent twice.
		const renamed = await env.RESTORED_DB.prepare(
			"SELECT actor_id, action, changes FROM audit_log WHERE entity = 'user' AND entity_id = ? AND action = 'rename'",
		)
			.bind(restoringAdmin.id)
			.all<{ actor_id: string; action: string; changes: string }>();
		expect(renamed.results.map((row) => ({ ...row, changes: JSON.parse(row.changes) }))).toEqual([
			{
				actor_id: restoringAdmin.id,
				action: "rename",
				changes: { from: adminEmail.split("@")[0], to: adminChecked.name },
			},
		]);
		const status = await targetCall("GET", `/api/v1/backup/restore/${newId()}`, restoringAdmin.token);
		expect(status.status, await status.clone().text()).toBe(200);
	});
});

/** PUT /api/v1/backup/objects/{key} on the target, as the CLI sends it. */
async function putObject(token: string, restore: string, entry: Entry, body: Uint8Array) {
	const { response, settled } = await target.fetch(`/api/v1/backup/objects/${entry.key}`, {
		method: "PUT",
		headers: {
			Authorization: `Bearer ${token}`,
			"X-Restore-Id": restore,
			"X-Content-SHA256": entry.sha256,
			...(entry.contentType ? { "X-Object-Type": entry.contentType } : {}),
		},
		body,
	});
	await settled();
	return response;
}

/** A token with the backup scope in the target database, as `npm run token -- add --remote` makes it. */
async function mintToken(db: ReturnType<typeof createDb>, userId: string): Promise<string> {
	const { generateApiToken } = await import("../../src/auth/api-tokens");
	const { createApiToken } = await import("../../src/store/tokens");
	const token = generateApiToken();
	await createApiToken(db, actor, {
		userId,
		name: "restore",
		scopes: ["backup"],
		tokenHash: await sha256Hex(token),
	});
	return token;
}
