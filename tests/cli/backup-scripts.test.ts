import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { restorePages } from "../../scripts/lib/backup-client";
import { MAX_RESTORE_LINE } from "../../src/store/backup";

/*
 * `npm run import-backup -- --url` and `npm run export -- --url` as child processes against
 * a fake deployment (node:http on 127.0.0.1) that answers the backup routes as the Worker
 * does where it matters here: the restore's 5 MB body and its line cap (MAX_RESTORE_LINE). The
 * real Worker end to end is tests/cli/backup-cli.test.ts. In the CLI tier (`npm run
 * test:cli`): each case starts the scripts as processes, 26 s in all, which `vitest run`
 * cannot afford within its time budget.
 */

const root = path.resolve(import.meta.dirname, "../..");
const MAX_BODY = 5 * 1024 * 1024;
const T = "2026-01-01T00:00:00.000Z";

interface Seen {
	method: string;
	path: string;
	bytes: number;
}

let server: Server;
let url: string;
let dir: string;
let seen: Seen[] = [];
/** Lines the fake deployment took, in order. */
let restored: string[] = [];
/** The export side: a handler per test. */
let exportRoute: (path: string, res: ServerResponse) => void = (_path, res) => problem(res, 404, "Not found");

function problem(res: ServerResponse, status: number, detail: string) {
	res.writeHead(status, { "Content-Type": "application/problem+json" });
	res.end(JSON.stringify({ detail }));
}

function json(res: ServerResponse, value: unknown) {
	res.writeHead(200, { "Content-Type": "application/json" });
	res.end(JSON.stringify(value));
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** The restore routes of src/routes/api/backup.ts, with its limits; the rest goes to `exportRoute`. */
async function deployment(req: IncomingMessage, res: ServerResponse) {
	const body = await bodyOf(req);
	const route = req.url ?? "";
	seen.push({ method: req.method ?? "", path: route, bytes: body.length });
	if (req.method === "POST" && route === "/api/v1/backup/restore") {
		if (body.length > MAX_BODY) return problem(res, 413, "The request body is larger than 5 MB.");
		const page = JSON.parse(body.toString("utf8")) as { restore: string; state: unknown; lines: string[] };
		if (page.lines.some((line) => line.length > MAX_RESTORE_LINE))
			return problem(res, 422, "lines: too long");
		restored.push(...page.lines);
		return json(res, { restore: page.restore, state: { n: restored.length }, deferred: [], rows: {} });
	}
	if (req.method === "PUT" && route.startsWith("/api/v1/backup/objects/")) {
		res.writeHead(204);
		return res.end();
	}
	if (route.startsWith("/api/v1/backup/verify")) return json(res, { checked: 0, mismatched: [], next: null });
	if (route === "/api/v1/backup/restore/finish") return json(res, { next: null });
	if (route.startsWith("/api/v1/backup/restore/")) return json(res, { status: "unknown" });
	exportRoute(route, res);
}

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), "claimtrack-backup-scripts-"));
	server = createServer((req, res) => {
		deployment(req, res).catch((error: unknown) => problem(res, 500, String(error)));
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
	rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
	seen = [];
	restored = [];
});

function run(script: string, args: string[]) {
	const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
		cwd: root,
		env: { ...process.env, CLAIMTRACK_TOKEN: "ct_test", WRANGLER_SEND_METRICS: "false" },
		stdio: ["ignore", "pipe", "pipe"],
	});
	let stdout = "";
	let stderr = "";
	child.stdout?.on("data", (chunk: Buffer) => {
		stdout += chunk.toString("utf8");
	});
	child.stderr?.on("data", (chunk: Buffer) => {
		stderr += chunk.toString("utf8");
	});
	return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
		child.on("close", (code) => resolve({ code, stdout, stderr })),
	);
}

type Line = { table: string; row: Record<string, unknown> };

/** A backup file of these rows (in table order), with its header's counts and high water. */
function backupFile(name: string, rows: Line[]): { file: string; lines: string[] } {
	const tables: Record<string, number> = {
		users: 0,
		sources: 0,
		speakers: 0,
		speaker_aliases: 0,
		claims: 0,
		appearances: 0,
		verdicts: 0,
		audit_log: 0,
	};
	for (const { table } of rows) tables[table] = (tables[table] ?? 0) + 1;
	const audit = rows.filter((r) => r.table === "audit_log").map((r) => Number(r.row.id));
	const header = {
		format: "claimtrack-backup",
		version: 1,
		exportedAt: T,
		tables,
		highWater: { audit_log: Math.max(0, ...audit) },
	};
	const lines = [JSON.stringify(header), ...rows.map((row) => JSON.stringify(row))];
	const file = path.join(dir, name);
	writeFileSync(file, `${lines.join("\n")}\n`);
	return { file, lines };
}

/** A draft save's audit row: the whole text of a long verdict, as update-draft records it. */
function draftSave(id: number, chars: number): Line {
	const body = "Die Überprüfung ergab, dass die Behauptung nicht zutrifft. ".repeat(chars / 60);
	return {
		table: "audit_log",
		row: {
			id,
			at: T,
			action: "update-draft",
			entity: "verdict",
			entity_id: "v",
			changes: JSON.stringify({ body }),
		},
	};
}

describe("restorePages", () => {
	it("cuts at the lines or the bytes a page may carry, whichever comes first", async () => {
		async function* lines() {
			yield* ["a".repeat(40), "b".repeat(40), "c", "d", "e"];
		}
		const pages: string[][] = [];
		for await (const page of restorePages(lines(), 2, 50)) pages.push(page);
		expect(pages.map((page) => page.map((line) => line[0]).join(""))).toEqual(["a", "bc", "de"]);
	});
});

describe("npm run import-backup -- --url", () => {
	it("sends a file of long verdicts' audit rows in pages under the Worker's 5 MB body", async () => {
		// 600 draft saves of ~12 kB: 500 lines of them are 6 MB, which the Worker refuses (413).
		const { file, lines } = backupFile(
			"long.ndjson",
			Array.from({ length: 600 }, (_, i) => draftSave(i + 1, 12_000)),
		);
		const result = await run("scripts/import-backup.ts", [file, "--url", url]);
		expect(result.code, result.stderr + result.stdout).toBe(0);
		const pages = seen.filter((request) => request.path === "/api/v1/backup/restore");
		expect(pages.length).toBeGreaterThan(1);
		expect(Math.max(...pages.map((page) => page.bytes))).toBeLessThanOrEqual(MAX_BODY);
		expect(restored).toEqual(lines);
	});

	it("restores a file made by `npm run export > FILE`, npm's banner above the header", async () => {
		const { file, lines } = backupFile("banner.ndjson", [draftSave(1, 1_000)]);
		const banner = "\n> claimtrack@0.1.0 export\n> tsx scripts/export.ts\n\n";
		writeFileSync(file, `${banner}${readFileSync(file, "utf8")}`);
		const result = await run("scripts/import-backup.ts", [file, "--url", url]);
		expect(result.code, result.stderr + result.stdout).toBe(0);
		expect(restored).toEqual(lines);
	});

	it("refuses a line longer than the Worker takes before sending anything", async () => {
		const { file } = backupFile("too-long.ndjson", [
			draftSave(1, 1_000),
			draftSave(2, MAX_RESTORE_LINE + 100_000),
		]);
		const result = await run("scripts/import-backup.ts", [file, "--url", url]);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(
			new RegExp(
				`line 3 is \\d+ characters long; a restore over HTTP takes lines of up to ${MAX_RESTORE_LINE}`,
			),
		);
		expect(seen).toEqual([]);
	});
});

describe("npm run import-backup: the archive beside the file", () => {
	const pdf = Buffer.from("%PDF-1.4\n%%EOF\n");
	const sha256 = createHash("sha256").update(pdf).digest("hex");
	const key = "uploads/uploadabcdef01";
	const rows: Line[] = [
		{
			table: "claims",
			row: {
				seq: 1,
				id: "claimabcdefgh1",
				text: "A claim",
				language: "en",
				fingerprint: "f",
				created_at: T,
				updated_at: T,
			},
		},
		{
			table: "uploads",
			row: {
				id: "uploadabcdef01",
				claim_id: "claimabcdefgh1",
				filename: "a.pdf",
				content_type: "application/pdf",
				sha256,
				bytes: pdf.length,
				created_at: T,
				updated_at: T,
			},
		},
	];

	/** FILE.objects/ with the upload's bytes as given and a manifest of the real ones. */
	function archive(file: string, bytes: Buffer | null) {
		mkdirSync(path.join(`${file}.objects`, "uploads"), { recursive: true });
		const entry = { key, sha256, bytes: pdf.length, contentType: "application/pdf" };
		writeFileSync(path.join(`${file}.objects`, "manifest.ndjson"), `${JSON.stringify(entry)}\n`);
		if (bytes) writeFileSync(path.join(`${file}.objects`, key), bytes);
	}

	it("refuses a file whose rows need objects when no archive is beside it, before sending anything", async () => {
		// As `npm run export > FILE` writes it (stdout carries no archive), or a copy of the .ndjson alone.
		const { file } = backupFile("no-archive.ndjson", rows);
		const result = await run("scripts/import-backup.ts", [file, "--url", url]);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(
			/has no archive beside it .* 1 archive objects its rows need \(uploads\/uploadabcdef01\)/,
		);
		expect(result.stderr).toMatch(/npm run export -- --out FILE/);
		expect(seen).toEqual([]);
	});

	it("refuses an archive whose object is missing or differs from its manifest line, before sending anything", async () => {
		const { file: lost } = backupFile("lost.ndjson", rows);
		archive(lost, null);
		const missing = await run("scripts/import-backup.ts", [lost, "--url", url]);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(
			/uploads\/uploadabcdef01 is missing: the archive is damaged or incomplete/,
		);
		const { file: damaged } = backupFile("damaged.ndjson", rows);
		archive(damaged, Buffer.from("%PDF-1.4\n%%EOF\r"));
		const differs = await run("scripts/import-backup.ts", [damaged, "--url", url]);
		expect(differs.code).toBe(1);
		expect(differs.stderr).toMatch(/does not match its manifest line/);
		expect(seen).toEqual([]);
	});

	it("restores a file with its archive whole: the rows, then the object, and says what a backup does not hold", async () => {
		const { file, lines } = backupFile("whole.ndjson", rows);
		archive(file, pdf);
		const result = await run("scripts/import-backup.ts", [file, "--url", url]);
		expect(result.code, result.stderr + result.stdout).toBe(0);
		expect(restored).toEqual(lines);
		expect(seen.filter((request) => request.method === "PUT").map((request) => request.path)).toEqual([
			`/api/v1/backup/objects/${key}`,
		]);
		// Into a new deployment, as the local restore says it: partners re-subscribe, tokens are minted anew.
		expect(result.stdout).toMatch(
			/not in a backup, to set up again: API tokens \(.*npm run token -- add .*--remote\), and webhooks with their delivery log \(.*\/desk\/admin\/webhooks.*its subscriber gets the new one\)/,
		);
	});
});

describe("npm run export -- --url --out FILE", () => {
	const key = "uploads/uploadabcdef01";
	const header = {
		format: "claimtrack-backup",
		version: 1,
		exportedAt: T,
		tables: {
			users: 0,
			sources: 0,
			speakers: 0,
			speaker_aliases: 0,
			claims: 0,
			appearances: 0,
			verdicts: 0,
			audit_log: 0,
		},
		highWater: {},
	};

	/** A deployment whose archive holds one object: `bytes`, or 403 when its token went meanwhile. */
	function archiveOf(bytes: Buffer | null) {
		const sha256 = createHash("sha256")
			.update(bytes ?? "")
			.digest("hex");
		exportRoute = (route, res) => {
			if (route.startsWith("/api/v1/backup?")) {
				res.writeHead(200, { "Content-Type": "application/x-ndjson" });
				return res.end(`${JSON.stringify(header)}\n`);
			}
			if (route === "/api/v1/backup/objects") {
				return json(res, {
					objects: [{ key, sha256, bytes: bytes?.length ?? 0, contentType: "application/pdf" }],
					next: null,
				});
			}
			if (route === `/api/v1/backup/objects/${key}` && bytes) {
				res.writeHead(200, { "Content-Type": "application/pdf" });
				return res.end(bytes);
			}
			problem(res, 403, "The token was revoked.");
		};
	}

	it("makes the folder of --out when it is not there, and says so cleanly when it cannot write there", async () => {
		// README's weekly backup: --out backups/claimtrack-$(date +%F).ndjson in a fresh checkout.
		const out = path.join(dir, "new-folder", "weekly", "claimtrack.ndjson");
		const pdf = Buffer.from("%PDF-1.4\n");
		archiveOf(pdf);
		const made = await run("scripts/export.ts", ["--url", url, "--out", out]);
		expect(made.code, made.stderr).toBe(0);
		expect(readFileSync(path.join(`${out}.objects`, key))).toEqual(pdf);

		// A folder that is a file: a message and exit 1, not an unhandled stream error.
		const blocked = path.join(dir, "a-file");
		writeFileSync(blocked, "not a folder\n");
		const refused = await run("scripts/export.ts", ["--url", url, "--out", path.join(blocked, "b.ndjson")]);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/^export failed: .*(EEXIST|ENOTDIR)/m);
		expect(refused.stderr).not.toMatch(/Unhandled|node:events/);
	});

	it("starts again when the desk wrote meanwhile, and after three tries says to run it when nobody works", async () => {
		const out = path.join(dir, "busy-desk.ndjson");
		writeFileSync(out, "the previous backup\n");
		let tries = 0;
		exportRoute = (route, res) => {
			if (!route.startsWith("/api/v1/backup?")) return problem(res, 404, "Not found");
			tries++;
			res.writeHead(409, { "Content-Type": "application/problem+json" });
			res.end(
				JSON.stringify({
					type: "urn:claimtrack:problem:backup-changed",
					status: 409,
					detail: "Rows were written while the export ran.",
				}),
			);
		};
		const busy = await run("scripts/export.ts", ["--url", url, "--out", out]);
		expect(busy.code).toBe(1);
		expect(tries).toBe(3);
		expect(busy.stderr).toMatch(/Starting again/);
		expect(busy.stderr).toMatch(/wrote during each of 3 tries; run the export when nobody is working/);
		expect(readFileSync(out, "utf8")).toBe("the previous backup\n");
		expect(existsSync(`${out}.partial`)).toBe(false);
	});

	it("keeps the previous backup's archive when it fails while reading the archive, and replaces it once whole", async () => {
		const out = path.join(dir, "fixed-name.ndjson");
		const first = Buffer.from("%PDF-1.4 first\n");
		archiveOf(first);
		const exported = await run("scripts/export.ts", ["--url", url, "--out", out]);
		expect(exported.code, exported.stderr).toBe(0);
		expect(readFileSync(path.join(`${out}.objects`, key))).toEqual(first);
		const before = readFileSync(out, "utf8");

		// The token revoked while the next export reads the archive: it fails, the last backup stays whole.
		archiveOf(null);
		const failed = await run("scripts/export.ts", ["--url", url, "--out", out]);
		expect(failed.code).toBe(1);
		expect(failed.stderr).toMatch(/export failed: 403: The token was revoked/);
		expect(readFileSync(out, "utf8")).toBe(before);
		expect(readFileSync(path.join(`${out}.objects`, key))).toEqual(first);
		expect(readFileSync(path.join(`${out}.objects`, "manifest.ndjson"), "utf8")).toContain(key);

		const second = Buffer.from("%PDF-1.4 second\n");
		archiveOf(second);
		const again = await run("scripts/export.ts", ["--url", url, "--out", out]);
		expect(again.code, again.stderr).toBe(0);
		expect(readFileSync(path.join(`${out}.objects`, key))).toEqual(second);
		expect(
			readdirSync(dir)
				.filter((name) => name.startsWith("fixed-name"))
				.sort(),
		).toEqual(["fixed-name.ndjson", "fixed-name.ndjson.objects"]);
		expect(existsSync(`${out}.partial`)).toBe(false);
	});
});

describe("a token over plain http://", () => {
	/** Authorization headers that reached a host of this machine's network address (not loopback). */
	let heard: string[] = [];
	let exposed: Server | null = null;
	let remote = "http://claims.example";

	beforeAll(async () => {
		// A real listener off loopback shows that nothing reached it; without one, an address nothing answers.
		const address = Object.values(networkInterfaces())
			.flat()
			.find((info) => info?.family === "IPv4" && !info.internal)?.address;
		if (!address) return;
		const server = createServer((req, res) => {
			heard.push(req.headers.authorization ?? "");
			req.resume();
			problem(res, 404, "Not found");
		});
		await new Promise<void>((resolve) => server.listen(0, address, resolve));
		exposed = server;
		remote = `http://${address}:${(server.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		if (exposed) await new Promise((resolve) => exposed?.close(resolve));
	});

	beforeEach(() => {
		heard = [];
	});

	it("is refused by export, import-backup and backfill:embeddings before they send anything, saying to use https://", async () => {
		const { file } = backupFile("plain-http.ndjson", [draftSave(1, 100)]);
		for (const [script, args] of [
			["scripts/export.ts", ["--url", remote, "--out", path.join(dir, "plain-http-out.ndjson")]],
			["scripts/import-backup.ts", [file, "--url", remote]],
			["scripts/backfill-embeddings.ts", ["--url", remote]],
		] as const) {
			const result = await run(script, [...args]);
			expect(heard, script).toEqual([]);
			expect(result.code, `${script}: ${result.stderr}`).toBe(2);
			expect(result.stderr).toContain(
				`--url ${remote}: an API token goes only to an https:// address (https://${new URL(remote).host})`,
			);
			expect(result.stderr).toMatch(/a local npm start is http:\/\/localhost:8787\).*Nothing was sent\./);
		}
	});
});
