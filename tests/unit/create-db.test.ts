import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import * as schema from "../../src/db/schema";
import { createDb } from "../../src/factory";

/** A D1 binding that answers every statement with no rows and remembers what it was asked. */
function recordingD1() {
	const asked: string[] = [];
	const statement = (sql: string) => {
		const stmt = {
			bind: () => stmt,
			all: async () => ({ results: [], success: true, meta: {} }),
			raw: async () => [],
			first: async () => null,
			run: async () => ({ results: [], success: true, meta: {} }),
		};
		asked.push(sql);
		return stmt;
	};
	return { asked, d1: { prepare: statement, batch: async () => [] } as unknown as D1Database };
}

describe("createDb", () => {
	it("describes the schema to db.query as drizzle's own driver does", () => {
		const { d1 } = recordingD1();
		const ours = createDb(d1);
		const theirs = drizzle(d1, { schema });
		expect(Object.keys(ours._.schema ?? {}).sort()).toEqual(Object.keys(theirs._.schema ?? {}).sort());
		expect(ours._.tableNamesMap).toEqual(theirs._.tableNamesMap);
		expect(ours._.fullSchema).toBe(theirs._.fullSchema);
	});

	it("gives each request its own client: one Db's statements never reach another's binding", async () => {
		const first = recordingD1();
		const second = recordingD1();
		await createDb(first.d1).query.users.findFirst();
		await createDb(second.d1).select().from(schema.claims).limit(1);
		expect(first.asked).toHaveLength(1);
		expect(first.asked[0]).toContain('from "users"');
		expect(second.asked).toHaveLength(1);
		expect(second.asked[0]).toContain('from "claims"');
	});
});
