import { describe, expect, it } from "vitest";
import { sendBatch } from "../../scripts/lib/import-client";
import { fileReason, VerdictConflicts } from "../../scripts/lib/import-conflicts";
import type { ImportRecord } from "../../src/schemas/import-record";
import { conflictRecord as record } from "./import-conflict-records";

/*
 * `npm run import` sends a file in requests of --batch-size records; the server refuses a
 * second verdict of one claim only within one request. Two records of one claim with
 * different ratings in different requests each published a correction over the other on
 * every run of the unchanged file. The CLI now refuses the later one itself, for the file.
 */

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
