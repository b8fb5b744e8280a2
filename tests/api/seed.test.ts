import { applyD1Migrations, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { editClaim, removeClaim } from "../../src/commands/claims";
import { type CommandContext, NO_EFFECTS } from "../../src/commands/context";
import { seedDemo } from "../../src/commands/seed-demo";
import { mergeSpeaker } from "../../src/commands/speakers";
import { WONSAN_CLAIMS } from "../../src/db/demo-data";
import { createDb } from "../../src/factory";
import { SYSTEM } from "../../src/store/batch";
import { getClaim } from "../../src/store/claims";
import { createSpeaker } from "../../src/store/speakers";
import wonsan from "../fixtures/wonsan-2025-07-12.de.txt?raw";
import { rowCount } from "../helpers";

/* The seed fills an empty database: SEED_DB is this file's own (vitest.config.ts). */
const raw = env.SEED_DB;
const db = createDb(raw);

beforeAll(() => applyD1Migrations(raw, env.TEST_MIGRATIONS));

describe("demo data from the Wonsan article", () => {
	it("fills an empty database, and a second run adds nothing", async () => {
		const first = await seedDemo(db);
		expect(first).toEqual({
			claimsCreated: 5,
			claimsSkipped: 0,
			claimsRemoved: 0,
			speakersCreated: 2,
			sourcesCreated: 1,
		});
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
		expect(second).toEqual({
			claimsCreated: 0,
			claimsSkipped: 5,
			claimsRemoved: 0,
			speakersCreated: 0,
			sourcesCreated: 0,
		});
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

describe("the seed after the desk worked on the demo", () => {
	it("adds nothing again: a merged speaker is found by its survivor, a removed claim stays removed", {
		timeout: 60_000,
	}, async () => {
		const ctx: CommandContext = { db, actor: SYSTEM("test"), effects: NO_EFFECTS };
		// Lawrow merged into another spelling of him; his name is one of the survivor's now.
		const survivor = await createSpeaker(db, ctx.actor, {
			name: "Sergej Wiktorowitsch Lawrow",
			kind: "person",
			description: null,
			wikidataId: null,
			aliases: [],
		});
		await mergeSpeaker(ctx, "sergei-lawrow", survivor.slug);
		// Choe's claim removed (her lone speaker goes with it), and the article's own one, as a
		// database seeded before demo claims had import ids holds it.
		const choe = await claimWith("im Bereich Kursk bewiesen");
		await removeClaim(ctx, env.ARCHIVE, choe.id, { version: choe.version, reason: "Demo claim not wanted." });
		const own = await claimWith("im Herbst 2024 stattgefunden");
		await raw.prepare("UPDATE claims SET external_id = NULL WHERE id = ?").bind(own.id).run();
		const reloaded = await claimWith("im Herbst 2024 stattgefunden");
		await removeClaim(ctx, env.ARCHIVE, own.id, {
			version: reloaded.version,
			reason: "Demo claim not wanted.",
		});
		const before = {
			claims: await rowCount("claims", raw),
			speakers: await rowCount("speakers", raw),
		};
		expect(before).toEqual({ claims: 3, speakers: 1 });

		const again = await seedDemo(db);
		expect(again).toEqual({
			claimsCreated: 0,
			claimsSkipped: 3,
			claimsRemoved: 2,
			speakersCreated: 0,
			sourcesCreated: 0,
		});
		expect({ claims: await rowCount("claims", raw), speakers: await rowCount("speakers", raw) }).toEqual(
			before,
		);
		const slugs = (await db.query.speakers.findMany()).map((s) => s.slug);
		expect(slugs).toEqual([survivor.slug]);
	});
});

describe("the seed on a database seeded before demo claims had import ids", () => {
	it("does not record a corrected demo claim again, nor one corrected and then removed", {
		timeout: 60_000,
	}, async () => {
		const ctx: CommandContext = { db, actor: SYSTEM("test"), effects: NO_EFFECTS };
		// What the earlier tests left: Lawrow's three claims. As an old database holds them.
		await raw.prepare("UPDATE claims SET external_id = NULL").run();
		const corrected = async (fragment: string) => {
			const claim = await claimWith(fragment);
			const edited = await editClaim(ctx, claim.id, {
				version: claim.version,
				text: `${claim.text} (korrigiert)`,
				note: null,
			});
			return edited.claim;
		};
		// Corrected and then removed: its removal's text hash is the corrected text's.
		const letters = await corrected("Briefe austauschten");
		await removeClaim(ctx, env.ARCHIVE, letters.id, {
			version: letters.version,
			reason: "Demo claim not wanted.",
		});
		// Corrected and kept.
		const flights = await corrected("Luftverbindungen seien bereits wiederhergestellt");
		const sovereign = await claimWith("frei und souverän handele");
		const before = await rowCount("claims", raw);
		expect(before).toBe(2);

		const again = await seedDemo(db);
		expect(again).toEqual({
			claimsCreated: 0,
			claimsSkipped: 2,
			claimsRemoved: 3,
			speakersCreated: 0,
			sourcesCreated: 0,
		});
		expect(await rowCount("claims", raw)).toBe(before);
		// Both kept demo claims carry their import ids again: later edits and removals are remembered.
		const idOf = (fragment: string) =>
			WONSAN_CLAIMS.find((claim) => claim.text.includes(fragment))?.externalId;
		expect((await db.query.claims.findMany()).map((c) => [c.id, c.externalId]).sort()).toEqual(
			[
				[flights.id, idOf("Luftverbindungen seien bereits wiederhergestellt")],
				[sovereign.id, idOf("frei und souverän handele")],
			].sort(),
		);

		// The one matched by its quote, corrected and removed now: it stays removed.
		const edited = await corrected("frei und souverän handele");
		await removeClaim(ctx, env.ARCHIVE, edited.id, {
			version: edited.version,
			reason: "Demo claim not wanted.",
		});
		expect(await seedDemo(db)).toEqual({
			claimsCreated: 0,
			claimsSkipped: 1,
			claimsRemoved: 4,
			speakersCreated: 0,
			sourcesCreated: 0,
		});
		expect(await rowCount("claims", raw)).toBe(1);
	});
});

async function claimWith(fragment: string) {
	const row = (await db.query.claims.findMany()).find((r) => r.text.includes(fragment));
	if (!row) throw new Error(`no claim with ${fragment}`);
	return row;
}
