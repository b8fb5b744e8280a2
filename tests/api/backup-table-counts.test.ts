import { describe, expect, it } from "vitest";
import { createDb } from "../../src/factory";
import { backupTableCounts } from "../../src/store/backup";
import { makeClaim } from "../factories";
import { countingD1 } from "../helpers";

describe("backupTableCounts (a restore's start and its finishing call)", () => {
	it("counts every table a backup fills in one D1 query", async () => {
		await makeClaim({ text: "Counted in one batch with the other tables" });
		const count = { queries: 0 };
		const counts = await backupTableCounts(createDb(countingD1(count)));
		// One batch, not a query a table (17 of the 50 a Workers Free invocation may make).
		expect(count.queries).toBe(1);
		expect(Object.keys(counts)).toContain("audit_log");
		expect(counts.claims).toBeGreaterThanOrEqual(1);
	});
});
