import { applyD1Migrations, env } from "cloudflare:test";
import { getTableColumns } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { claims, speakers, users } from "../../src/db/schema";
import { newId } from "../../src/domain/ids";
import { createDb } from "../../src/factory";
import { AppError } from "../../src/lib/errors";
import { audit, chunkForInsert, runBatch, SYSTEM } from "../../src/store/batch";
import { getClaim, recordClaim } from "../../src/store/claims";
import { createSource, planSource } from "../../src/store/sources";
import { createSpeaker, planSpeaker } from "../../src/store/speakers";
import { userNames } from "../../src/store/users";
import {
	createDraftVerdict,
	publishVerdict,
	retractVerdict,
	updateDraftVerdict,
} from "../../src/store/verdicts";
import { bareSource } from "../factories";
import { rowCount } from "../helpers";

/*
 * Whole tables are counted here (a refused write must leave every one as it was), so
 * this file has a database of its own (CONSTRAINTS_DB, vitest.config.ts) in the shared
 * runtime, where other files' background work may still write to DB.
 */
const raw = env.CONSTRAINTS_DB;
const db = createDb(raw);
const actor = SYSTEM("test");

beforeAll(() => applyD1Migrations(raw, env.TEST_MIGRATIONS));

async function freshClaim(text = `Claim ${newId()}`) {
	const result = await recordClaim(db, actor, {
		text,
		language: "de",
		claimedAt: "2025-07-12",
		context: null,
		speaker: { name: `Speaker ${newId()}`, kind: "person", description: null, wikidataId: null, aliases: [] },
		source: {
			url: `https://news.example/${newId()}`,
			title: "A title",
			publisher: null,
			author: null,
			language: "de",
			publishedAt: null,
			archivedUrl: null,
		},
		quote: null,
		anchor: null,
		externalId: null,
	});
	if (result.kind !== "created") throw new Error("expected a new claim");
	return result.claim;
}

const verdict = {
	rating: "false" as const,
	headline: "Not what happened",
	summary: null,
	body: null,
	evidence: [{ url: "https://evidence.example/a", title: "Report" }],
	language: "de",
};

describe("the database rejects what must never be stored", () => {
	it("a verdict with an unknown rating key", async () => {
		const claim = await freshClaim();
		await expect(
			raw
				.prepare(
					"INSERT INTO verdicts (id, claim_id, rating, headline, state) VALUES (?, ?, 'pants-on-fire', 'x', 'draft')",
				)
				.bind(newId(), claim.id)
				.run(),
		).rejects.toThrow(/CHECK constraint failed/);
	});

	it("a verdict in an unknown state, or published without a date", async () => {
		const claim = await freshClaim();
		await expect(
			raw
				.prepare(
					"INSERT INTO verdicts (id, claim_id, rating, headline, state) VALUES (?, ?, 'false', 'x', 'live')",
				)
				.bind(newId(), claim.id)
				.run(),
		).rejects.toThrow(/CHECK constraint failed/);
		await expect(
			raw
				.prepare(
					"INSERT INTO verdicts (id, claim_id, rating, headline, state) VALUES (?, ?, 'false', 'x', 'published')",
				)
				.bind(newId(), claim.id)
				.run(),
		).rejects.toThrow(/CHECK constraint failed/);
	});

	it("an appearance of a missing claim", async () => {
		const source = await createSource(db, actor, bareSource(`https://news.example/${newId()}`));
		await expect(
			raw
				.prepare("INSERT INTO appearances (id, claim_id, source_id) VALUES (?, 'nosuchclaim000', ?)")
				.bind(newId(), source.id)
				.run(),
		).rejects.toThrow(/FOREIGN KEY constraint failed/);
	});

	it("a second source with the same canonical URL", async () => {
		const path = newId();
		await createSource(db, actor, bareSource(`https://News.Example:443/${path}/?utm_source=x#top`));
		await expect(
			createSource(db, actor, bareSource(`https://news.example/${path}?fbclid=abc`)),
		).rejects.toThrow(/UNIQUE constraint failed/);
	});

	it("a claim with empty or blank text, or an invalid date", async () => {
		for (const text of ["", "   "]) {
			await expect(
				raw
					.prepare("INSERT INTO claims (id, text, language, fingerprint) VALUES (?, ?, 'de', 'f')")
					.bind(newId(), text)
					.run(),
			).rejects.toThrow(/CHECK constraint failed/);
		}
		await expect(
			raw
				.prepare(
					"INSERT INTO claims (id, text, language, fingerprint, claimed_at) VALUES (?, 'x', 'de', 'f', '2025-02-30')",
				)
				.bind(newId())
				.run(),
		).rejects.toThrow(/CHECK constraint failed/);
	});

	it("a speaker slug twice, or a user with an unknown role", async () => {
		await raw
			.prepare("INSERT INTO speakers (id, name, slug) VALUES (?, 'A', 'dup-slug')")
			.bind(newId())
			.run();
		await expect(
			raw.prepare("INSERT INTO speakers (id, name, slug) VALUES (?, 'B', 'dup-slug')").bind(newId()).run(),
		).rejects.toThrow(/UNIQUE constraint failed/);
		await expect(
			raw
				.prepare("INSERT INTO users (id, email, name, role) VALUES (?, 'x@y.example', 'X', 'root')")
				.bind(newId())
				.run(),
		).rejects.toThrow(/CHECK constraint failed/);
	});
});

describe("multi-statement writes are all-or-nothing", () => {
	it("a failing batch leaves no speaker, source, claim or audit row", async () => {
		const before = {
			speakers: await rowCount("speakers", raw),
			sources: await rowCount("sources", raw),
			claims: await rowCount("claims", raw),
			audit: await rowCount("audit_log", raw),
			aliases: await rowCount("speaker_aliases", raw),
		};
		const speaker = await planSpeaker(db, actor, {
			name: "Atomic Speaker",
			kind: "person",
			description: null,
			wikidataId: null,
			aliases: ["A. Speaker"],
		});
		const source = planSource(db, actor, bareSource(`https://news.example/${newId()}`));
		const claimId = newId();
		await expect(
			runBatch(db, [
				...speaker.statements,
				...source.statements,
				audit(db, actor, "create", "claim", claimId),
				// Blank text breaks the CHECK constraint as the last statement.
				db.insert(claims).values({ id: claimId, text: " ", language: "de", fingerprint: "f" }),
			]),
		).rejects.toThrow();
		expect({
			speakers: await rowCount("speakers", raw),
			sources: await rowCount("sources", raw),
			claims: await rowCount("claims", raw),
			audit: await rowCount("audit_log", raw),
			aliases: await rowCount("speaker_aliases", raw),
		}).toEqual(before);
	});

	it("records a claim with its speaker, source, appearance and audit row in one batch", async () => {
		const audits = await rowCount("audit_log", raw);
		const claim = await freshClaim("Die Luftverbindungen seien bereits wiederhergestellt");
		expect(claim.status).toBe("unverified");
		expect(claim.appearances).toHaveLength(1);
		expect(claim.appearances[0]?.isFirst).toBe(true);
		expect(claim.speaker?.name).toMatch(/^Speaker /);
		// speaker, source and claim each log their creation
		expect(await rowCount("audit_log", raw)).toBe(audits + 3);
	});

	it("finds the same quote from the same speaker as a duplicate", async () => {
		const claim = await freshClaim("„Wir gehen davon aus“, sagte er.");
		const again = await recordClaim(db, actor, {
			text: "“Wir gehen davon aus”, sagte er",
			language: "de",
			claimedAt: null,
			context: null,
			speaker: { id: claim.speakerId ?? "" },
			source: { id: claim.appearances[0]?.sourceId ?? "" },
			quote: null,
			anchor: null,
			externalId: null,
		});
		expect(again).toEqual({ kind: "duplicate", claimId: claim.id, sameSource: true, match: "quote" });
	});

	it("refuses a claim whose speaker id does not exist, writing nothing", async () => {
		const claims = await rowCount("claims", raw);
		await expect(
			recordClaim(db, actor, {
				text: "x",
				language: "de",
				claimedAt: null,
				context: null,
				speaker: { id: "nosuchspeaker0" },
				source: { id: "nosuchsource00" },
				quote: null,
				anchor: null,
				externalId: null,
			}),
		).rejects.toBeInstanceOf(AppError);
		expect(await rowCount("claims", raw)).toBe(claims);
	});

	it("chunks bulk inserts below 100 bound parameters", async () => {
		const aliases = Array.from({ length: 50 }, (_, i) => `Alias Number ${i}`);
		const speaker = await createSpeaker(db, actor, {
			name: "Many Names",
			kind: "organization",
			description: null,
			wikidataId: null,
			aliases,
		});
		expect(speaker.aliases).toHaveLength(50);
		// Rows that set every column bind one parameter each; columns no row sets and whose
		// default is SQL are written as literals and bind nothing.
		const full = Object.fromEntries(Object.keys(getTableColumns(speakers)).map((key) => [key, "x"]));
		expect(Object.keys(full)).toHaveLength(10);
		expect(
			chunkForInsert(
				speakers,
				Array.from({ length: 45 }, () => full),
			).map((c) => c.length),
		).toEqual([10, 10, 10, 10, 5]);
		const sparse = { id: "x", name: "n", slug: "s" };
		const sizes = chunkForInsert(
			speakers,
			Array.from({ length: 45 }, () => sparse),
		).map((c) => c.length);
		expect(sizes[0]).toBeGreaterThan(10);
		expect(Math.max(...sizes) * 10).toBeGreaterThan(100);
	});

	it("looks up more than 100 people's names at once (90 ids a statement)", async () => {
		const people = Array.from({ length: 150 }, (_, i) => ({
			id: newId(),
			email: `person-${i}-${newId()}@newsroom.example`,
			name: `Person ${i}`,
			role: "checker" as const,
		}));
		await runBatch(
			db,
			chunkForInsert(users, people).map((chunk) => db.insert(users).values(chunk)),
		);
		const names = await userNames(db, [...people.map((p) => p.id), null, people[0]?.id, "no-such-user"]);
		expect(names.size).toBe(150);
		for (const [i, person] of people.entries()) expect(names.get(person.id)).toBe(`Person ${i}`);
		expect(await userNames(db, [null, undefined])).toEqual(new Map());
	});
});

describe("verdict workflow", () => {
	it("drafts, publishes, corrects and retracts, keeping every version", async () => {
		const claim = await freshClaim();
		const draft = await createDraftVerdict(db, actor, claim.id, verdict);
		expect((await getClaim(db, claim.id))?.status).toBe("in-review");

		const published = await publishVerdict(db, actor, draft.id, draft.version, null);
		expect(published.state).toBe("published");
		let now = await getClaim(db, claim.id);
		expect(now?.status).toBe("false");
		expect(now?.currentVerdictId).toBe(draft.id);

		const correction = await createDraftVerdict(db, actor, claim.id, { ...verdict, rating: "mostly-false" });
		expect((await getClaim(db, claim.id))?.status).toBe("false");
		await expect(publishVerdict(db, actor, correction.id, correction.version, null)).rejects.toMatchObject({
			status: 422,
		});
		const corrected = await publishVerdict(db, actor, correction.id, correction.version, "New figures.");
		expect(corrected.supersedesId).toBe(draft.id);
		now = await getClaim(db, claim.id);
		expect(now?.status).toBe("mostly-false");
		expect(now?.verdicts.map((v) => v.state)).toEqual(["superseded", "published"]);

		await retractVerdict(db, actor, corrected.id, corrected.version, "Retracted: wrong claim.");
		now = await getClaim(db, claim.id);
		expect(now?.status).toBe("retracted");
		expect(now?.currentVerdictId).toBeNull();
		expect(now?.verdicts.map((v) => v.state)).toEqual(["superseded", "retracted"]);
	});

	it("answers a stale version with 409 and changes nothing", async () => {
		const claim = await freshClaim();
		const draft = await createDraftVerdict(db, actor, claim.id, verdict);
		await updateDraftVerdict(db, actor, draft.id, draft.version, { ...verdict, headline: "Edited once" });
		const audits = await rowCount("audit_log", raw);
		await expect(
			updateDraftVerdict(db, actor, draft.id, draft.version, { ...verdict, headline: "Lost update" }),
		).rejects.toMatchObject({ status: 409, code: "version-conflict" });
		await expect(publishVerdict(db, actor, draft.id, draft.version, null)).rejects.toMatchObject({
			status: 409,
		});
		const after = (await getClaim(db, claim.id))?.verdicts[0];
		expect(after?.headline).toBe("Edited once");
		expect(after?.state).toBe("draft");
		expect(await rowCount("audit_log", raw)).toBe(audits);
	});
});
