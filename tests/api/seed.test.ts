import { applyD1Migrations, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/commands/seed-demo";
import { WONSAN_CLAIMS } from "../../src/db/demo-data";
import { createDb } from "../../src/factory";
import { getClaim } from "../../src/store/claims";
import wonsan from "../fixtures/wonsan-2025-07-12.de.txt?raw";
import { rowCount } from "../helpers";

/* The seed fills an empty database: SEED_DB is this file's own (vitest.config.ts). */
const raw = env.SEED_DB;
const db = createDb(raw);

beforeAll(() => applyD1Migrations(raw, env.TEST_MIGRATIONS));

describe("demo data from the Wonsan article", () => {
	it("fills an empty database, and a second run adds nothing", async () => {
		const first = await seedDemo(db);
		expect(first).toEqual({ claimsCreated: 5, claimsSkipped: 0, speakersCreated: 2, sourcesCreated: 1 });
		const counted = async () => ({
			claims: await rowCount("claims", raw),
			speakers: await rowCount("speakers", raw),
			aliases: await rowCount("speaker_aliases", raw),
			sources: await rowCount("sources", raw),
			appearances: await rowCount("appearances", raw),
			audit: await rowCount("audit_log", raw),
		});
		const counts = await counted();
		const second = await seedDemo(db);
		expect(second).toEqual({ claimsCreated: 0, claimsSkipped: 5, speakersCreated: 0, sourcesCreated: 0 });
		expect(await counted()).toEqual(counts);
	});

	it("quotes the article verbatim, attributed and dated, all unverified", async () => {
		const flat = wonsan.replace(/\s+/g, " ");
		const rows = await db.query.claims.findMany();
		expect(rows).toHaveLength(5);
		for (const row of rows) {
			expect(flat).toContain(row.text);
			expect(row.status).toBe("unverified");
			expect(row.language).toBe("de");
			expect(row.claimedAt).toBe("2025-07-12");
		}
		const bySpeaker = async (fragment: string) => {
			const row = rows.find((r) => r.text.includes(fragment));
			if (!row) throw new Error(`no claim with ${fragment}`);
			return (await getClaim(db, row.id))?.speaker?.name ?? null;
		};
		expect(await bySpeaker("im Bereich Kursk bewiesen")).toBe("Choe Son-hui");
		expect(await bySpeaker("Briefe austauschten")).toBe("Sergei Lawrow");
		expect(await bySpeaker("Luftverbindungen seien bereits wiederhergestellt")).toBe("Sergei Lawrow");
		expect(await bySpeaker("frei und souverän handele")).toBe("Sergei Lawrow");
		expect(await bySpeaker("im Herbst 2024 stattgefunden")).toBeNull();
		expect(WONSAN_CLAIMS).toHaveLength(5);
	});

	it("finds Lawrow by every spelling through the full-text index", async () => {
		for (const spelling of ["Lawrow", "lavrov", "Sergej", "LAWROW"]) {
			const { results } = await raw
				.prepare("SELECT count(*) AS n FROM claims_fts WHERE claims_fts MATCH ?")
				.bind(`speaker:${spelling.toLowerCase()}`)
				.all<{ n: number }>();
			expect(results[0]?.n, spelling).toBe(3);
		}
	});
});
