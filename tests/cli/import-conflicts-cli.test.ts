import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportRecord } from "../../src/schemas/import-record";
import { conflictRecord as record } from "../node/import-conflict-records";

/*
 * `npm run import` as a process of its own against a server that answers each request alone:
 * it refuses a claim's later verdict in another request itself, for the whole file
 * (scripts/lib/import-conflicts, read in-process in tests/node/import-conflicts.test.ts).
 */

const root = path.resolve(import.meta.dirname, "../..");

describe("npm run import against a server that answers each request alone", () => {
	let dir: string;
	let server: Server;
	let url: string;
	/** What the server was sent: each request's records' external ids and ratings. */
	let received: string[][] = [];

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "claimtrack-conflicts-"));
		server = createServer((req, res) => {
			let body = "";
			req.on("data", (chunk: Buffer) => {
				body += chunk.toString("utf8");
			});
			req.on("end", () => {
				const records = (JSON.parse(body) as { records: ImportRecord[] }).records;
				received.push(records.map((r) => `${r.externalId}:${r.verdict?.rating}`));
				// Within one request the server refuses the later verdict of a claim itself.
				const results = records.map((r, index) => {
					const key = (o: ImportRecord) => o.claim.context ?? o.externalId;
					const first = records.findIndex((o) => key(o) === key(r));
					return first < index && records[first]?.verdict?.rating !== r.verdict?.rating
						? {
								index,
								status: "rejected",
								reason: `same claim as record ${first} of this batch, with a different verdict`,
							}
						: { index, status: "created", claimId: `c-${index}` };
				});
				res.writeHead(200, { "Content-Type": "application/json" });
				res.end(JSON.stringify({ results }));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		await new Promise<void>((resolve) => server.close(() => resolve()));
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
		const child = spawn(process.execPath, ["--import", "tsx", "scripts/import.ts", ...args], {
			cwd: root,
			env: { ...process.env, CLAIMTRACK_TOKEN: "ct_test", CLAIMTRACK_URL: url },
			stdio: ["ignore", "pipe", "pipe"],
		});
		let stdout = "";
		let stderr = "";
		child.stdout.on("data", (chunk: Buffer) => {
			stdout += chunk.toString("utf8");
		});
		child.stderr.on("data", (chunk: Buffer) => {
			stderr += chunk.toString("utf8");
		});
		return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
	}

	const rejected = (file: string) =>
		readFileSync(`${file}.rejected.ndjson`, "utf8")
			.split("\n")
			.filter(Boolean)
			.map(
				(line) => JSON.parse(line) as { line: number; reason: string; stage: string; externalId?: string },
			);

	it("refuses the later verdict of a claim in another request, on every run and after a resume", async () => {
		const file = path.join(dir, "checks.ndjson");
		const lines = [
			record("a1", "false"),
			record("b1", "true", "Another claim entirely."),
			record("a1", "true"),
			record("c1", "false", "A third claim."),
		];
		writeFileSync(file, `${lines.map((r) => JSON.stringify(r)).join("\n")}\n`);
		for (let time = 1; time <= 2; time++) {
			received = [];
			const result = await run([file, "--batch-size", "1"]);
			expect(result.code, result.stderr).toBe(0);
			// Line 3 never reaches the server: its claim's verdict is line 1's.
			expect(received.flat()).toEqual(["a1:false", "b1:true", "c1:false"]);
			expect(rejected(file)).toEqual([
				expect.objectContaining({
					line: 3,
					externalId: "a1",
					stage: "file",
					reason: expect.stringMatching(/^same claim as line 1 of the file, with a different verdict/),
				}),
			]);
			expect(result.stdout).toMatch(/rejected\s+1/);
			expect(result.stdout).toMatch(/created\s+3/);
		}
		// A run stopped after the first record and resumed still knows line 1's verdict.
		received = [];
		expect((await run([file, "--batch-size", "1", "--limit", "1", "--restart"])).code).toBe(0);
		expect((await run([file, "--batch-size", "1"])).code).toBe(0);
		expect(received.flat()).toEqual(["a1:false", "b1:true", "c1:false"]);
		expect(rejected(file).map((r) => r.line)).toEqual([3]);
		expect(existsSync(`${file}.import-state.json`)).toBe(false);
	}, 120_000);

	it("names the file's line where the server names a record of its request", async () => {
		// A pair only the server ties to one claim (by a speaker its directory knows, say):
		// the fake server takes records with one context for one claim, the CLI does not.
		const file = path.join(dir, "server.ndjson");
		const lines = [
			record("x0", "true", "Filler claim one."),
			{
				...record("d1", "false", "Words of one claim."),
				claim: { text: "Words of one claim.", language: "en", context: "one" },
			},
			{
				...record("d2", "true", "Other words."),
				claim: { text: "Other words.", language: "en", context: "one" },
			},
		];
		writeFileSync(file, `${lines.map((r) => JSON.stringify(r)).join("\n")}\n`);
		received = [];
		const result = await run([file, "--batch-size", "10"]);
		expect(result.code, result.stderr).toBe(0);
		expect(received).toHaveLength(1);
		// Not "record 1 of this batch", a place in the request: line 2 of the file.
		expect(rejected(file)).toEqual([
			expect.objectContaining({
				line: 3,
				stage: "server",
				reason: "same claim as line 2 of the file, with a different verdict",
			}),
		]);
	}, 60_000);
});
