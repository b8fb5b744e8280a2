import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendBatch } from "../../scripts/lib/import-client";
import { fileReason, VerdictConflicts } from "../../scripts/lib/import-conflicts";
import type { ImportRecord } from "../../src/schemas/import-record";

/*
 * `npm run import` sends a file in requests of --batch-size records; the server refuses a
 * second verdict of one claim only within one request. Two records of one claim with
 * different ratings in different requests each published a correction over the other on
 * every run of the unchanged file. The CLI now refuses the later one itself, for the file.
 */

const root = path.resolve(import.meta.dirname, "../..");

function record(
	id: string | undefined,
	rating: "false" | "true" | "mostly-false",
	text = "The city spent 5 million on the new bridge.",
	speaker: string | null = "Anna Müller",
): ImportRecord {
	return {
		...(id !== undefined ? { externalId: id } : {}),
		claim: { text, language: "en" },
		speaker: speaker === null ? null : { name: speaker, kind: "person" },
		sources: [],
		verdict: {
			rating,
			originalRating: rating,
			headline: `It is ${rating}`,
			url: `https://check.example/${id ?? "x"}`,
		},
	} as ImportRecord;
}

describe("VerdictConflicts (one claim's verdicts across the whole file)", () => {
	it("refuses a later record of the same externalId with another verdict, naming the earlier line", async () => {
		const conflicts = new VerdictConflicts();
		expect(await conflicts.check(record("a1", "false"), { line: 2, index: 0 })).toBeNull();
		expect(
			await conflicts.check(record("b1", "true", "Another claim entirely."), { line: 3, index: 1 }),
		).toBeNull();
		// The same verdict again is no conflict (a feed that repeats a record).
		expect(await conflicts.check(record("a1", "false"), { line: 4, index: 2 })).toBeNull();
		expect(await conflicts.check(record("a1", "true"), { line: 5, index: 3 })).toMatch(
			/^same claim as line 2 of the file, with a different verdict/,
		);
		// A file without lines (ClaimReview JSON) names the item.
		const json = new VerdictConflicts();
		await json.check(record("a1", "false"), { index: 0 });
		expect(await json.check(record("a1", "true"), { index: 7 })).toMatch(/same claim as item 0 of the file/);
	});

	it("takes a later record of the same externalId that only rewords the claim as no conflict", async () => {
		const conflicts = new VerdictConflicts();
		const first = record("a1", "false", "Lavrov sagte, Kursk sei befreit worden", "Sergej Lawrow");
		const reworded = record("a1", "false", "Lawrow sagte, Kursk sei vollständig befreit", "Sergej Lawrow");
		expect(await conflicts.check(first, { line: 2, index: 0 })).toBeNull();
		// The server takes it for the same claim (store/imports statesSameClaim): one verdict, no conflict.
		expect(await conflicts.check(reworded, { line: 3, index: 1 })).toBeNull();
		expect(
			await conflicts.check(
				{ ...reworded, verdict: first.verdict && { ...first.verdict, rating: "true" } },
				{ line: 4, index: 2 },
			),
		).toMatch(/^same claim as line 2 of the file, with a different verdict/);
	});

	it("finds the same quote by a name that could be the earlier speaker, as the server does", async () => {
		const conflicts = new VerdictConflicts();
		await conflicts.check(record(undefined, "false"), { line: 2, index: 0 });
		// Other quote marks and spacing are the same quote; "Müller" could be Anna Müller.
		expect(
			await conflicts.check(
				record(undefined, "true", "The city spent  5 million on the “new” bridge", "Müller"),
				{
					line: 9,
					index: 7,
				},
			),
		).toMatch(/same claim as line 2 of the file/);
		// A new id for those words is that claim on the server too.
		expect(await conflicts.check(record("new-id", "mostly-false"), { line: 10, index: 8 })).toMatch(/line 2/);
		// Another speaker's words, or words without a speaker, are another claim.
		expect(
			await conflicts.check(record(undefined, "true", undefined, "Bert Muster"), { line: 11, index: 9 }),
		).toBeNull();
		expect(
			await conflicts.check(record(undefined, "true", undefined, null), { line: 12, index: 10 }),
		).toBeNull();
		// A record without a verdict is nothing to compare.
		const without = { ...record(undefined, "true"), verdict: null } as ImportRecord;
		expect(await conflicts.check(without, { line: 13, index: 11 })).toBeNull();
	});

	it("puts the server's 'record N of this batch' as the file's line, also after a 413 split", async () => {
		expect(
			fileReason("same claim as record 1 of this batch, with a different verdict", [
				{ line: 7, index: 5 },
				{ line: 12, index: 10 },
			]),
		).toBe("same claim as line 12 of the file, with a different verdict");
		const bodies: number[] = [];
		const fakeFetch = (async (_url: string, init: RequestInit) => {
			const records = (JSON.parse(String(init.body)) as { records: unknown[] }).records;
			bodies.push(records.length);
			if (records.length > 2) return new Response("too large", { status: 413 });
			const results = records.map((_, index) =>
				index === 1
					? {
							index,
							status: "rejected",
							reason: "same claim as record 0 of this batch, with a different verdict",
						}
					: { index, status: "created" },
			);
			return Response.json({ results });
		}) as typeof fetch;
		const results = await sendBatch({ url: "http://x.test", token: "t", fetch: fakeFetch }, [
			"{}",
			"{}",
			"{}",
			"{}",
		]);
		expect(bodies).toEqual([4, 2, 2]);
		expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3]);
		expect(results[3]?.reason).toBe("same claim as record 2 of this batch, with a different verdict");
	});
});

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
