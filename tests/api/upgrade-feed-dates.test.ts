import { applyD1Migrations, env } from "cloudflare:test";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { forgetHotTags } from "../../src/lib/hot-cache";
import { EVERYTHING_TAG } from "../../src/lib/workers-caching";
import { exportRows, restoreRows } from "../../src/store/backup";
import { SYSTEM } from "../../src/store/batch";
import { createUser } from "../../src/store/users";
import { apiCall, apiToken, makeUser } from "../desk/helpers";
import { makeClaim, publish, retract } from "../factories";
import { call, json, testDb } from "../helpers";
import { emptyDatabase, useOwnDatabase } from "../own-database";

useOwnDatabase();

/*
 * A release before migration 0030 dated a feed entry by its publication, its retraction, or
 * for the claim's standing entry a later public change row of the claim; it also moved
 * `claims.updated_at` for a topic set on the claim and for another speaker merged into its
 * speaker (the survivor's own claims too), which no entry showed. 0031 took that `updated_at`
 * for the claim's last public change, and 0055 copied it for its older entries: upgraded in one
 * go, such entries ("Correction:", "Superseded:") took the top of the feed at that time, and a
 * restore of a backup made then did the same. The rows below are written as that release left
 * them (its schema: migrations 0000–0019), then upgraded, or restored.
 */

const migrations = env.TEST_MIGRATIONS;
const upTo = (last: string) => migrations.filter((m) => m.name.slice(0, 4) <= last);

/** Each entry's `updated` in the Atom feed, by verdict id. */
async function entryTimes(): Promise<Record<string, string>> {
	forgetHotTags([EVERYTHING_TAG]);
	const parsed = new XMLParser().parse(await (await call("/feeds/verdicts.atom")).text()) as {
		feed: { entry?: { id: string; updated: string } | { id: string; updated: string }[] };
	};
	return Object.fromEntries(
		[parsed.feed.entry ?? []].flat().map((e) => [e.id.replace(/^.*:verdict\//, ""), e.updated]),
	);
}

async function claimTimes(): Promise<unknown[]> {
	return (await env.DB.prepare("SELECT id, updated_at, changed_at, quoted_at FROM claims ORDER BY seq").all())
		.results;
}

/** An empty database, migrated up to `last` (a migration's number) as wrangler would. */
async function freshDatabase(last: string): Promise<void> {
	await emptyDatabase(env.DB);
	await applyD1Migrations(env.DB, upTo(last));
}

/** Two days back, so every time below is well before the upgrade (rfc3339: ms, Z). */
const base = Date.now() - 2 * 86_400_000;
const at = (minutes: number, ms = 0) => new Date(base + minutes * 60_000 + ms).toISOString();

const ids = {
	rents: "vrdrents000001",
	firstWater: "vrdwater000001",
	water: "vrdwater000002",
	crime: "vrdcrime000001",
	tax: "vrdtaxes000001",
};

/**
 * As the release of migration 0019 (df650e2) left a newsroom's database:
 * - "rents", published at 0, a topic set at 60 (its `updated_at`);
 * - "water", published at 5, corrected at 10, then at 120 "J. Minister" merged into its own
 *   speaker "Jane Minister" (the survivor's own claims' `updated_at` moved too);
 * - "crime", published at 20, its words edited in public at 30 (a change row with its note,
 *   written 2 ms after the claim's `updated_at`, each by its own clock), then the merge at 120;
 * - "taxes", published at 40, retracted at 50, a topic set at 70.
 */
async function writeOldRelease(): Promise<void> {
	const db = env.DB;
	const claim = (id: string, text: string, status: string, updated: string) =>
		db
			.prepare(
				"INSERT INTO claims (id, text, language, speaker_id, status, fingerprint, created_at, updated_at, version) VALUES (?, ?, 'en', 'spkjaneminist1', ?, ?, ?, ?, 3)",
			)
			.bind(id, text, status, `fp-${id}`, at(-10), updated);
	const verdict = (
		id: string,
		claimId: string,
		state: string,
		published: string,
		updated: string,
		extra: { supersedes?: string; note?: string; retracted?: string; reason?: string } = {},
	) =>
		db
			.prepare(
				"INSERT INTO verdicts (id, claim_id, rating, headline, state, language, published_at, retracted_at, supersedes_id, correction_note, retraction_note, created_at, updated_at) VALUES (?, ?, 'false', 'Not so', ?, 'en', ?, ?, ?, ?, ?, ?, ?)",
			)
			.bind(
				id,
				claimId,
				state,
				published,
				extra.retracted ?? null,
				extra.supersedes ?? null,
				extra.note ?? null,
				extra.reason ?? null,
				published,
				updated,
			);
	const current = (claimId: string, verdictId: string, reviewed: string) =>
		db
			.prepare("UPDATE claims SET current_verdict_id = ?, reviewed_at = ? WHERE id = ?")
			.bind(verdictId, reviewed, claimId);
	await db.batch([
		db.prepare(
			"INSERT INTO speakers (id, name, slug, kind) VALUES ('spkjaneminist1', 'Jane Minister', 'jane-minister', 'person')",
		),
		db.prepare(
			"INSERT INTO sources (id, url, domain, title) VALUES ('srcoldrelease1', 'https://news.example/old-release', 'news.example', 'Interview')",
		),
		claim("clmrents000001", "Rents fell 9 percent in 2026.", "false", at(60)),
		claim("clmwater000001", "Water prices doubled in 2026.", "false", at(120)),
		claim("clmcrime000001", "Crime rose by 30,000 cases.", "false", at(120)),
		claim("clmtaxes000001", "Taxes fell 3 percent.", "retracted", at(70)),
		...["clmrents000001", "clmwater000001", "clmcrime000001", "clmtaxes000001"].map((claimId, i) =>
			db
				.prepare(
					"INSERT INTO appearances (id, claim_id, source_id, is_first) VALUES (?, ?, 'srcoldrelease1', 1)",
				)
				.bind(`appold00000${i}`, claimId),
		),
		verdict(ids.rents, "clmrents000001", "published", at(0), at(0)),
		verdict(ids.firstWater, "clmwater000001", "superseded", at(5), at(10)),
		verdict(ids.water, "clmwater000001", "published", at(10), at(10), {
			supersedes: ids.firstWater,
			note: "New figures.",
		}),
		verdict(ids.crime, "clmcrime000001", "published", at(20), at(20)),
		verdict(ids.tax, "clmtaxes000001", "retracted", at(40), at(50), {
			retracted: at(50),
			reason: "The source was forged.",
		}),
		current("clmrents000001", ids.rents, at(0)),
		current("clmwater000001", ids.water, at(10)),
		current("clmcrime000001", ids.crime, at(20)),
		db.prepare("UPDATE claims SET reviewed_at = ? WHERE id = 'clmtaxes000001'").bind(at(40)),
		db
			.prepare(
				"INSERT INTO claim_changes (claim_id, field, from_value, to_value, note, is_public, created_at) VALUES ('clmcrime000001', 'text', 'Crime rose by 30.000 cases.', 'Crime rose by 30,000 cases.', 'The figure was misspelt.', 1, ?)",
			)
			.bind(at(30, 2)),
	]);
}

/** What that release's feed showed, and what an upgrade that reads it keeps. */
const oldFeed = {
	[ids.rents]: at(0),
	[ids.water]: at(10),
	// Titled "Superseded: …" since f0f9a91, at its correction's time (that feed kept it at 5).
	[ids.firstWater]: at(10),
	[ids.crime]: at(30, 2),
	[ids.tax]: at(50),
};

describe("an upgrade from a release before 0030 keeps its feed entries' times", () => {
	it("a topic set or a merge into the claim's own speaker moves no entry; a public edit dates its claim's entry as it did", async () => {
		await freshDatabase("0019");
		await writeOldRelease();
		// The upgrade: every migration since, in one run.
		await applyD1Migrations(env.DB, migrations);
		expect(await entryTimes()).toEqual(oldFeed);
		expect(
			(
				await env.DB.prepare(
					"SELECT id, changed_at, quoted_at FROM claims WHERE changed_at IS NOT NULL OR quoted_at IS NOT NULL",
				).all()
			).results,
		).toEqual([{ id: "clmcrime000001", changed_at: at(30, 2), quoted_at: at(30, 2) }]);
	});

	it("a restore of a backup made then reads them the same (CLI and over HTTP)", {
		timeout: 120_000,
	}, async () => {
		await freshDatabase("0019");
		await writeOldRelease();
		await applyD1Migrations(env.DB, migrations);
		// The file as a release before 0030 wrote it: claim lines without changed_at (nor quoted_at).
		const file: string[] = [];
		for await (const line of exportRows(testDb())) {
			if (!line.startsWith('{"table":"claims"')) file.push(line);
			else {
				const { table, row } = JSON.parse(line) as { table: string; row: Record<string, unknown> };
				delete row.changed_at;
				delete row.quoted_at;
				file.push(JSON.stringify({ table, row }));
			}
		}

		await freshDatabase("9999");
		await restoreRows(testDb(), file);
		expect(await entryTimes()).toEqual(oldFeed);

		await freshDatabase("9999");
		const admin = await createUser(testDb(), SYSTEM("test"), {
			email: `restorer-${newId()}@upgrade.test`,
			name: "New admin",
			role: "admin",
			passwordHash: null,
		});
		const token = (await apiToken(admin, ["backup"])).token;
		const restore = newId();
		const post = async (path: string, body: unknown) => {
			const response = await apiCall("POST", path, { token, body });
			expect(response.status, await response.clone().text()).toBe(200);
			return json<{ state: unknown; deferred: unknown[]; next: number | null }>(response);
		};
		const page = await post("/api/v1/backup/restore", { restore, state: null, lines: file });
		await post("/api/v1/backup/restore/links", { restore, links: page.deferred });
		for (let after: number | null = 0; after !== null; ) {
			after = (await post("/api/v1/backup/restore/finish", { restore, state: page.state, after })).next;
		}
		expect(await entryTimes()).toEqual(oldFeed);
	});

	it("a database upgraded across 0031 before keeps the entries where its readers have them", async () => {
		await freshDatabase("0019");
		await writeOldRelease();
		// Every migration but 0057 (the app of today reads the columns later ones add).
		await applyD1Migrations(
			env.DB,
			migrations.filter((m) => !m.name.startsWith("0057")),
		);
		// That upgrade yesterday (a day after these writes), since when the feed was read as it is.
		await env.DB.prepare("UPDATE d1_migrations SET applied_at = datetime(applied_at, '-1 day')").run();
		const seen = await entryTimes();
		expect(seen[ids.rents]).toBe(at(60));
		const times = await claimTimes();
		await applyD1Migrations(env.DB, migrations);
		expect(await entryTimes()).toEqual(seen);
		expect(await claimTimes()).toEqual(times);
	});

	it("a database made on a release with 0031 keeps every time its writes gave (topics set, speakers merged and renamed, edits, a retraction)", {
		timeout: 60_000,
	}, async () => {
		await freshDatabase("9999");
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["claims:write"]);
		const patch = async (path: string, body: unknown) => {
			const response = await apiCall("PATCH", path, { token, body });
			expect(response.status, await response.clone().text()).toBe(200);
			return json<{ version: number; slug?: string }>(response);
		};
		const claimVersion = async (id: string) =>
			(await json<{ version: number }>(await call(`/api/v1/claims/${id}`))).version;
		const pat = await makeClaim({ speaker: { name: "Pat Example" }, language: "en" });
		const short = await makeClaim({ speaker: { name: "P. Example" }, language: "en" });
		const zed = await makeClaim({ speaker: { name: "Zed Example" }, language: "en" });
		const edited = await makeClaim({ language: "en" });
		const withdrawn = await makeClaim({ language: "en" });
		for (const claim of [pat, short, zed, edited, withdrawn])
			await publish(claim.id, "false", { language: "en" });
		await publish(short.id, "true", { language: "en", correctionNote: "New figures." });
		const published = await publish(withdrawn.id, "half-true", { language: "en", correctionNote: "Again." });
		await retract(published.id, published.version);
		// A topic set (its page changes, no entry), a merge into another name (their entries'
		// titles change, with no change row), a rename, an edit with its note.
		await patch(`/api/v1/claims/${pat.id}`, { version: await claimVersion(pat.id), tags: ["Housing"] });
		const merged = await apiCall("POST", `/api/v1/speakers/${short.speaker?.slug}/merge`, {
			token,
			body: { into: pat.speaker?.slug },
		});
		expect(merged.status, await merged.clone().text()).toBe(200);
		const zedSlug = zed.speaker?.slug;
		const speaker = await json<{ version: number }>(await call(`/api/v1/speakers/${zedSlug}`));
		await patch(`/api/v1/speakers/${zedSlug}`, { version: speaker.version, name: "Zed Q. Example" });
		await patch(`/api/v1/claims/${edited.id}`, {
			version: await claimVersion(edited.id),
			text: `Edited ${newId()}.`,
			note: "A typo.",
		});
		const times = await claimTimes();
		const entries = await entryTimes();
		// Dated by the writes their entries show, two of them with no change row (a merge, a rename).
		const dated = (times as { id: string; changed_at: string | null }[]).filter((t) => t.changed_at !== null);
		expect(dated.map((t) => t.id).sort()).toEqual([short.id, zed.id, edited.id].sort());

		// 0057 once more, on this database.
		await env.DB.prepare("DELETE FROM d1_migrations WHERE substr(name, 1, 5) = '0057_'").run();
		await applyD1Migrations(env.DB, migrations);
		expect(await claimTimes()).toEqual(times);
		expect(await entryTimes()).toEqual(entries);
	});
});
