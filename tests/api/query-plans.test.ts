import { applyD1Migrations, env } from "cloudflare:test";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { snapshots, sources } from "../../src/db/schema";
import { toFtsQuery } from "../../src/domain/search-query";
import { createDb } from "../../src/factory";
import { claimHistoryQuery } from "../../src/store/claims";
import { unfingerprintedTextsRead } from "../../src/store/earlier-texts";
import { earlierTextClaimsRead, keyGuard } from "../../src/store/imports";
import {
	mergedByFingerprintRead,
	mergedEarlierTextsRead,
	mergedWordsRead,
} from "../../src/store/merged-words";
import {
	type ClaimFilters,
	type ClaimSort,
	claimListSelect,
	feedReads,
	listClaims,
	matchWindowSelect,
	narrowedToSite,
	type Page,
	RANKED_CANDIDATES,
	reviewsOfSiteSql,
} from "../../src/store/public-claims";
import { claimsCitingUrlQuery, snapshotCitedReviewedSql, snapshotCitedSql } from "../../src/store/snapshots";
import { sourceCitedSql } from "../../src/store/sources";
import { forgetClaimDeliveries } from "../../src/store/webhooks";

/*
 * A database of its own (PLANS_DB, vitest.config.ts), which no other file touches: it is
 * filled with 100,000 claims, and emptying those again took 22 s (D1 keeps foreign keys on),
 * so the file ran in a runtime of its own, started last and alone. With its own binding it
 * runs in the shared runtime beside the others and is never emptied.
 */
const plansDb = () => createDb(env.PLANS_DB);

/**
 * List and search plans must not change between 1,000 and 100,000 claims, and must
 * never sort a whole result set or scan the table for a filter an index serves.
 */

const SPEAKER = "plnspeaker0001";

async function fillClaims(from: number, to: number) {
	// Generated inside SQLite: one statement, no bound parameters per row.
	await env.PLANS_DB.prepare(
		`WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
		 INSERT INTO claims (id, text, language, speaker_id, status, fingerprint, claimed_at, reviewed_at, current_verdict_id)
		 SELECT printf('p%013d', i),
		        'Bulk claim ' || i || ' about the ' || (CASE i % 3 WHEN 0 THEN 'harbour' WHEN 1 THEN 'flights' ELSE 'letters' END),
		        CASE i % 2 WHEN 0 THEN 'de' ELSE 'en' END,
		        CASE WHEN i % 10 = 0 THEN '${SPEAKER}' ELSE NULL END,
		        CASE i % 4 WHEN 0 THEN 'false' WHEN 1 THEN 'unverified' WHEN 2 THEN 'in-review' ELSE 'true' END,
		        'fp' || i,
		        date('2020-01-01', '+' || (i % 1500) || ' days'),
		        CASE WHEN i % 4 IN (0, 3) THEN date('2024-01-01', '+' || (i % 600) || ' days') ELSE NULL END,
		        NULL
		 FROM n`,
	)
		.bind(from, to)
		.run();
}

const cases: [string, ClaimFilters, ClaimSort, Page][] = [
	["newest first", {}, "recent", null],
	["newest first, page 2", {}, "recent", { kind: "keyset", value: null, seq: 500 }],
	["by status", { status: "false" }, "recent", null],
	["by status, page 2", { status: "false" }, "recent", { kind: "keyset", value: null, seq: 500 }],
	["by speaker", { speakerId: SPEAKER }, "recent", null],
	["by language", { language: "de" }, "recent", null],
	["by claim date", {}, "claimed", { kind: "keyset", value: "2021-01-01", seq: 500 }],
	["by review date", {}, "reviewed", { kind: "keyset", value: "2024-06-01", seq: 500 }],
	["search, relevance", { fts: toFtsQuery("harbour") }, "relevance", null],
	["search, newest first", { fts: toFtsQuery("harbour") }, "recent", null],
	["search, relevance, reviewed only", { fts: toFtsQuery("harbour"), reviewedOnly: true }, "relevance", null],
	// Google's reviewPublisherSiteFilter alone: another publisher's reviews, newest first.
	["by another publisher's site", { reviewSite: { site: "partner.example", ours: null } }, "reviewed", null],
	// Its few reviews, read from the host index first (public-claims `narrowedToSite`).
	["only these claims", { seqs: [5, 500, 50_000] }, "reviewed", null],
	// Its many reviews, read from the host index in review-date order, a page at a time.
	["a site with many reviews", { reviewHost: "partner.example" }, "reviewed", null],
	[
		"a site with many reviews, page 2",
		{ reviewHost: "partner.example", freshSince: "2024-01-01T00:00:00.000Z" },
		"reviewed",
		{ kind: "keyset", value: "2024-06-01", seq: 500 },
	],
];

/** The match count's window beside each search above. */
const windows: [string, ClaimFilters, ClaimSort][] = [
	["match window", { fts: toFtsQuery("harbour") }, "relevance"],
	["match window, by status", { fts: toFtsQuery("harbour"), status: "false" }, "recent"],
	["match window, reviewed only", { fts: toFtsQuery("harbour"), reviewedOnly: true }, "relevance"],
];

/** A claim that says "harbour" three times: bm25's best match for it. */
async function bestMatch(id: string) {
	await env.PLANS_DB.prepare(
		"INSERT INTO claims (id, text, language, status, fingerprint) VALUES (?, 'Harbour, harbour: the harbour', 'en', 'false', ?)",
	)
		.bind(id, `fp-${id}`)
		.run();
}

async function plans(): Promise<Record<string, string>> {
	const db = plansDb();
	const out: Record<string, string> = {};
	const reviews = db.all(reviewsOfSiteSql("partner.example", 1_001)).getQuery();
	out["another publisher's few reviews"] = (
		await env.PLANS_DB.prepare(`EXPLAIN QUERY PLAN ${reviews.sql}`)
			.bind(...reviews.params)
			.all<{ detail: string }>()
	).results
		.map((r) => r.detail)
		.join(" | ");
	for (const [name, filters, sort, page] of cases) {
		const { sql, params } = claimListSelect(db, filters, sort, 20, page).query.toSQL();
		const { results } = await env.PLANS_DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
			.bind(...params)
			.all<{ detail: string }>();
		out[name] = results.map((r) => r.detail).join(" | ");
	}
	for (const [name, filters, sort] of windows) {
		const { sql, params } = matchWindowSelect(db, filters, sort).toSQL();
		const { results } = await env.PLANS_DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
			.bind(...params)
			.all<{ detail: string }>();
		out[name] = results.map((r) => r.detail).join(" | ");
	}
	return out;
}

describe("query plans at 1,000 and 100,000 claims", { timeout: 120_000 }, () => {
	let small: Record<string, string>;
	let large: Record<string, string>;

	beforeAll(async () => {
		await applyD1Migrations(env.PLANS_DB, env.TEST_MIGRATIONS);
		await env.PLANS_DB.prepare(
			"INSERT INTO speakers (id, name, slug) VALUES (?, 'Plan Speaker', 'plan-speaker')",
		)
			.bind(SPEAKER)
			.run();
		await bestMatch("p0000000000000");
		await fillClaims(1, 1_000);
		await env.PLANS_DB.prepare("ANALYZE").run();
		small = await plans();
		for (let from = 1_001; from <= 100_000; from += 33_000)
			await fillClaims(from, Math.min(from + 32_999, 100_000));
		await bestMatch("p9999999999999");
		await env.PLANS_DB.prepare("ANALYZE").run();
		large = await plans();
		const count = await env.PLANS_DB.prepare("SELECT count(*) AS n FROM claims").first<{ n: number }>();
		expect(count?.n).toBeGreaterThanOrEqual(100_000);
	}, 240_000);

	it("are the same at both sizes", () => {
		expect(large).toEqual(small);
	});

	it("never sort the whole result set", () => {
		for (const [name, plan] of Object.entries(large)) {
			if (name.startsWith("search, relevance")) continue; // ranked by bm25 over the matches only
			if (name === "only these claims") continue; // at most FEW_REVIEWS rows, sorted
			// Sorting the claims of one review date by seq, page by page, is not sorting them all.
			expect(plan.replace("USE TEMP B-TREE FOR LAST TERM OF ORDER BY", ""), name).not.toMatch(/TEMP B-TREE/);
		}
	});

	it("use the index of each filter", () => {
		expect(large["by status"]).toMatch(/claims_status_idx/);
		expect(large["by speaker"]).toMatch(/claims_speaker_idx/);
		expect(large["by language"]).toMatch(/claims_language_primary_idx/);
		expect(large["by claim date"]).toMatch(/claims_claimed_idx/);
		expect(large["by review date"]).toMatch(/claims_reviewed_idx/);
		expect(large["newest first, page 2"]).toMatch(/INTEGER PRIMARY KEY/);
		expect(large["by another publisher's site"]).toMatch(/verdicts_review_host_idx/);
		for (const name of ["a site with many reviews", "a site with many reviews, page 2"]) {
			// The site's verdicts newest first, each claim by key; only a date's ties are sorted.
			expect(large[name], name).toMatch(
				/SEARCH verdicts USING INDEX verdicts_review_host_idx \(review_host=\?.*SEARCH claims USING INDEX claims_id_unique/,
			);
			expect(large[name], name).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
		}
		// A later page seeks to its date in the index, not walking down from the newest.
		expect(large["a site with many reviews, page 2"]).toMatch(/\(review_host=\? AND published_at<\?\)/);
		// Host by host in the index, never a scan of the verdicts.
		expect(large["another publisher's few reviews"]).toMatch(
			/SEARCH v USING INDEX verdicts_review_host_idx \(review_host=\?\)/,
		);
		expect(large["another publisher's few reviews"]).not.toMatch(/SCAN (?:v|verdicts)\b/);
		expect(large["only these claims"]).toMatch(/SEARCH claims USING INTEGER PRIMARY KEY \(rowid=\?\)/);
		expect(large["search, relevance"]).toMatch(/VIRTUAL TABLE INDEX/);
		// The windows walk the index newest first and look claims up by key, whatever the filters.
		for (const name of ["search, relevance, reviewed only", ...windows.map(([window]) => window)]) {
			expect(large[name], name).toMatch(/VIRTUAL TABLE INDEX/);
			expect(large[name], name).toMatch(
				/SEARCH claims USING (?:INTEGER PRIMARY KEY|COVERING INDEX \w+) \((?:\w+=\? AND )?rowid=\?\)/,
			);
		}
		// Where unreviewed claims are hidden, the count's span is the reviewed claims' first and
		// last seq: a seek per status in its index, not a walk back over the claims since the
		// last review (a hidden claim recorded must not move the count: api/hidden-match-count).
		expect(large["match window, reviewed only"]).toMatch(
			/SEARCH claims USING COVERING INDEX claims_status_idx \(status=\?\).*SEARCH claims USING COVERING INDEX claims_status_idx \(status=\?\)/,
		);
		for (const [name, plan] of Object.entries(large)) {
			// a bare "SCAN claims" is only acceptable walking the primary key newest-first with a LIMIT
			if (/SCAN claims(?![\w]| USING)/.test(plan)) expect(name, plan).toBe("newest first");
		}
	});

	it("ranks the newest matches: the best of them first, an older best match not at all", async () => {
		const fts = toFtsQuery("harbour");
		const first = await listClaims(plansDb(), { fts }, "relevance", 20, null);
		expect(first.rows[0]?.claim.id).toBe("p9999999999999");
		const ranked: string[] = [];
		let page: Page = null;
		do {
			const result = await listClaims(plansDb(), { fts }, "relevance", 100, page);
			ranked.push(...result.rows.map((row) => row.claim.id));
			page = result.next;
		} while (page);
		expect(ranked).toHaveLength(RANKED_CANDIDATES);
		expect(ranked).not.toContain("p0000000000000");
		// sort=recent still walks every match, the oldest best match included.
		const recent = await env.PLANS_DB.prepare(
			"SELECT count(*) AS n FROM claims_fts WHERE claims_fts MATCH 'harbour' AND rowid = (SELECT seq FROM claims WHERE id = 'p0000000000000')",
		).first<{ n: number }>();
		expect(recent?.n).toBe(1);
	});

	it("find another publisher's reviews by host, a site with few and one with many, newest review first", async () => {
		// 1,001 reviews on big.example (more than are read from the host index at once: read in
		// review-date order from it, then with one on a subdomain a page of each host),
		// 3 on a subdomain of small.example and 1 on small.example itself (read from the index).
		const review = async (prefix: string, count: number, step: number, url: string) =>
			env.PLANS_DB.batch([
				env.PLANS_DB.prepare(
					`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
					 INSERT INTO verdicts (id, claim_id, rating, headline, state, published_at, review_url)
					 SELECT ?3 || i, printf('p%013d', i * ?2), 'false', 'Falsch', 'published',
					        date('2024-01-01', '+' || (i % 700) || ' days'), ?4 || i FROM n`,
				).bind(count, step, prefix, url),
				env.PLANS_DB.prepare(
					`UPDATE claims SET current_verdict_id = v.id, reviewed_at = v.published_at
					 FROM verdicts AS v WHERE v.claim_id = claims.id AND substr(v.id, 1, length(?1)) = ?1`,
				).bind(prefix),
			]);
		await review("vbig", 1_001, 97, "https://www.big.example/r/");
		// 1009: no claim gets two reviews (97 × 1009 is past big.example's last).
		await review("vsub", 99, 1009, "https://checks.small.example/r/");
		await review("vsmall", 2, 83, "https://small.example/r/");
		// The second small.example claim was checked again by us: its current verdict is ours.
		await env.PLANS_DB.batch([
			env.PLANS_DB.prepare("UPDATE verdicts SET state = 'superseded' WHERE id = 'vsmall2'"),
			env.PLANS_DB.prepare(
				"INSERT INTO verdicts (id, claim_id, rating, headline, state, published_at) VALUES ('vours166', 'p0000000000166', 'true', 'Wahr', 'published', '2026-01-01')",
			),
			env.PLANS_DB.prepare(
				"UPDATE claims SET current_verdict_id = 'vours166', reviewed_at = '2026-01-01' WHERE id = 'p0000000000166'",
			),
		]);
		// Pages of 30: keyset paging through the few read from the index too.
		const listed = async (site: string) => {
			const ids: string[] = [];
			let page: Page = null;
			do {
				const result = await listClaims(
					plansDb(),
					{ reviewSite: { site, ours: null } },
					"reviewed",
					30,
					page,
				);
				ids.push(...result.rows.map((row) => row.claim.id));
				page = result.next;
			} while (page);
			return ids;
		};
		const truth = async (pattern: string) =>
			(
				await env.PLANS_DB.prepare(
					"SELECT c.id FROM claims c JOIN verdicts v ON v.id = c.current_verdict_id WHERE v.review_url LIKE ? ORDER BY c.reviewed_at DESC, c.seq DESC",
				)
					.bind(pattern)
					.all<{ id: string }>()
			).results.map((row) => row.id);
		const big = await listed("big.example");
		expect(big).toHaveLength(1_001);
		expect(big).toEqual(await truth("https://www.big.example/%"));
		const small = await listed("small.example");
		expect(small).toHaveLength(100);
		expect(small).toEqual(await truth("https://%small.example/%"));
		expect(small).not.toContain("p0000000000166");
		expect(await listed("checks.small.example")).toHaveLength(99);
		expect(await listed("nobody.example")).toEqual([]);
		// A site with many reviews and one on a subdomain: a page of each host, merged.
		await review("vnews", 1, 1, "https://news.big.example/r/");
		const withSubdomain = await listed("big.example");
		expect(withSubdomain).toHaveLength(1_002);
		const bigTruth = await truth("https://%big.example/%");
		expect(withSubdomain).toEqual(bigTruth);
		// Which way each site takes (the answers above are the same whichever it is).
		const way = async (site: string, page: Page = null) => {
			const narrowed = await narrowedToSite(
				plansDb(),
				{ reviewSite: { site, ours: null } },
				"reviewed",
				page,
			);
			return narrowed?.reviewHost
				? "one host"
				: narrowed?.reviewHosts
					? "hosts"
					: narrowed?.seqs
						? "few"
						: "walk";
		};
		expect(await way("checks.small.example")).toBe("one host");
		expect(await way("big.example")).toBe("hosts");
		expect(await way("big.example", { kind: "offset", offset: 30 })).toBe("walk");
		expect(await way("small.example", { kind: "offset", offset: 30 })).toBe("few");
		// Two hosts' reviews interleaved across every page: 60 on each of www. and news.
		await review("vwide", 60, 1013, "https://www.wide.example/r/");
		await review("vwidenews", 60, 1019, "https://news.wide.example/r/");
		expect(await way("wide.example")).toBe("hosts");
		const wide = await listed("wide.example");
		expect(wide).toHaveLength(120);
		expect(wide).toEqual(await truth("https://%wide.example/%"));
		// With Google's maxAgeDays as well: the same claims as the plain SQL keeps.
		const fresh = await listClaims(
			plansDb(),
			{ reviewSite: { site: "wide.example", ours: null }, freshSince: "2024-02-01T00:00:00.000Z" },
			"reviewed",
			200,
			null,
		);
		const freshTruth = (
			await env.PLANS_DB.prepare(
				"SELECT c.id FROM claims c JOIN verdicts v ON v.id = c.current_verdict_id WHERE v.review_url LIKE 'https://%wide.example/%' AND (c.reviewed_at >= '2024-02-01T00:00:00.000Z' OR c.claimed_at >= '2024-02-01') ORDER BY c.reviewed_at DESC, c.seq DESC",
			).all<{ id: string }>()
		).results.map((row) => row.id);
		expect(freshTruth.length).toBeGreaterThan(0);
		expect(freshTruth.length).toBeLessThan(120);
		expect(fresh.rows.map((row) => row.claim.id)).toEqual(freshTruth);
		// Up to ten hosts are merged; with an eleventh, the site is read whole from the index.
		for (const [n, letter] of [..."abcdefghi"].entries())
			await review(`vmany${letter}`, 1, 2 + n, `https://s${n + 1}.many.example/r/`);
		await review("vmanyroot", 1, 11, "https://many.example/r/");
		expect(await way("many.example")).toBe("hosts");
		expect(await listed("many.example")).toEqual(await truth("https://%many.example/%"));
		await review("vmanyj", 1, 12, "https://s10.many.example/r/");
		expect(await way("many.example")).toBe("few");
		expect(await listed("many.example")).toEqual(await truth("https://%many.example/%"));
		// Google's `offset` across hosts: the walk, with the same answer.
		const skipped = await listClaims(
			plansDb(),
			{ reviewSite: { site: "big.example", ours: null } },
			"reviewed",
			30,
			{ kind: "offset", offset: 30 },
		);
		expect(skipped.rows.map((row) => row.claim.id)).toEqual(bigTruth.slice(30, 60));
	});

	it("estimates how many claims a common word matches from the newest matches, filters included", async () => {
		const fts = toFtsQuery("harbour");
		const truth = async (where: string) =>
			(
				await env.PLANS_DB.prepare(
					`SELECT count(*) AS n FROM claims WHERE seq IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH 'harbour') ${where}`,
				).first<{ n: number }>()
			)?.n ?? 0;
		const all = await listClaims(plansDb(), { fts }, "relevance", 20, null, { countMatches: true });
		const allTruth = await truth("");
		expect(allTruth).toBeGreaterThan(30_000);
		expect(all.matches?.accuracy).toBe("estimate");
		expect(Math.abs((all.matches?.count ?? 0) - allTruth) / allTruth).toBeLessThan(0.1);
		// Two significant digits: an estimate does not pass for a count.
		expect(String(all.matches?.count)).toMatch(/^\d\d0+$/);
		const falseOnes = await listClaims(plansDb(), { fts, status: "false" }, "recent", 20, null, {
			countMatches: true,
		});
		const falseTruth = await truth("AND status = 'false'");
		expect(falseOnes.matches?.accuracy).toBe("estimate");
		expect(Math.abs((falseOnes.matches?.count ?? 0) - falseTruth) / falseTruth).toBeLessThan(0.1);
		// Without asking, nothing is counted.
		expect((await listClaims(plansDb(), { fts }, "relevance", 20, null)).matches).toBeNull();
	});
});

describe("the claims citing an archived address", () => {
	it("are found by index, not by parsing every verdict's evidence", async () => {
		const plan = await plansDb().all<{ detail: string }>(
			sql`EXPLAIN QUERY PLAN ${claimsCitingUrlQuery("https://e.example/a")}`,
		);
		const details = plan.map((row) => row.detail);
		expect(
			details.some((d) => /SEARCH verdict_evidence USING .*INDEX.*\(url=\?/.test(d)),
			details.join("\n"),
		).toBe(true);
		expect(
			details.some((d) => /^SCAN (verdicts|verdict_evidence|appearances|sources)\b/.test(d)),
			details.join("\n"),
		).toBe(false);
		expect(details.some((d) => /json_each/.test(d))).toBe(false);
	});
});

describe("the public sources and archived copies", () => {
	/** The plan of a Drizzle query, by its SQL. */
	async function planOf(query: { toSQL(): { sql: string; params: unknown[] } }) {
		const { sql: text, params } = query.toSQL();
		const { results } = await env.PLANS_DB.prepare(`EXPLAIN QUERY PLAN ${text}`)
			.bind(...params)
			.all<{ detail: string }>();
		return results.map((row) => row.detail);
	}

	it("ask whether a claim or a verdict still cites them by index", async () => {
		const db = plansDb();
		const plans = [
			await planOf(
				db
					.select()
					.from(sources)
					.where(and(eq(sources.id, "s1"), sourceCitedSql)),
			),
			await planOf(
				db
					.select()
					.from(snapshots)
					.where(and(eq(snapshots.id, "n1"), snapshotCitedSql)),
			),
			await planOf(
				db
					.select()
					.from(snapshots)
					.where(and(eq(snapshots.id, "n1"), snapshotCitedReviewedSql)),
			),
		];
		for (const details of plans) {
			expect(
				details.some((d) => /SEARCH appearances USING .*INDEX/.test(d)),
				details.join("\n"),
			).toBe(true);
			expect(
				details.some((d) => /SEARCH verdict_evidence USING .*INDEX.*\(url=\?/.test(d)),
				details.join("\n"),
			).toBe(true);
			expect(
				details.some((d) => /^SCAN (verdicts|verdict_evidence|appearances|sources|snapshots)\b/.test(d)),
				details.join("\n"),
			).toBe(false);
		}
	});
});

describe("a removal's webhook deliveries", () => {
	it("are read by each subscription's index range since the claim was recorded, not by a scan", async () => {
		const { sql: text, params } = forgetClaimDeliveries(plansDb(), "c1", "2025-01-01T00:00:00Z").toSQL();
		const { results } = await env.PLANS_DB.prepare(`EXPLAIN QUERY PLAN ${text}`)
			.bind(...params)
			.all<{ detail: string }>();
		const details = results.map((row) => row.detail);
		expect(
			details.some((d) => /SEARCH webhook_deliveries USING INDEX webhook_deliveries_webhook_idx/.test(d)),
			details.join("\n"),
		).toBe(true);
		expect(
			details.some((d) => /^SCAN webhook_deliveries\b/.test(d)),
			details.join("\n"),
		).toBe(false);
	});
});

describe("an import's guard against claims written meanwhile", () => {
	it("looks each quote and speaker up in the fingerprint index", async () => {
		const statement = keyGuard(
			plansDb(),
			Array.from({ length: 500 }, (_, i) => ({ fingerprint: `fp${i}`, speakerId: i % 2 ? null : `s${i}` })),
		).toSQL();
		const plan = await env.PLANS_DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
			.bind(...statement.params)
			.all<{ detail: string }>();
		const details = plan.results.map((row) => row.detail);
		expect(
			details.some((d) => /SEARCH claims USING .*INDEX claims_fingerprint_idx/.test(d)),
			details.join("\n"),
		).toBe(true);
		expect(details.some((d) => /^SCAN claims\b/.test(d))).toBe(false);
	});
});

describe("an import's claims by their earlier texts", () => {
	const planOf = async (statement: { sql: string; params: unknown[] }) =>
		(
			await env.PLANS_DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
				.bind(...statement.params)
				.all<{ detail: string }>()
		).results.map((row) => row.detail);

	it("finds claims by an earlier text's fingerprint, and the texts still to fingerprint, by index", async () => {
		const byText = await planOf(
			earlierTextClaimsRead(
				plansDb(),
				Array.from({ length: 100 }, (_, i) => `fp${i}`),
			).toSQL(),
		);
		expect(
			byText.some((d) => /SEARCH claim_changes USING INDEX claim_changes_from_fingerprint_idx/.test(d)),
			byText.join("\n"),
		).toBe(true);
		expect(
			byText.some((d) => /^SCAN (claim_changes|claims)\b/.test(d)),
			byText.join("\n"),
		).toBe(false);
		const unfilled = await planOf(unfingerprintedTextsRead(plansDb()).toSQL());
		expect(
			unfilled.some((d) => /claim_changes USING INDEX claim_changes_unfingerprinted_idx/.test(d)),
			unfilled.join("\n"),
		).toBe(true);
	});
});

describe("a merged claim's words", () => {
	const planOf = async (statement: { sql: string; params: unknown[] }) =>
		(
			await env.PLANS_DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
				.bind(...statement.params)
				.all<{ detail: string }>()
		).results.map((row) => row.detail);

	it("are read for the matcher's candidates by the claims kept's index, and for an import by fingerprint", async () => {
		const words = await planOf(
			mergedWordsRead(
				plansDb(),
				Array.from({ length: 100 }, (_, i) => `c${i}`),
			).toSQL(),
		);
		expect(
			words.some((d) => /SEARCH retired_claims USING INDEX retired_claims_merged_into_idx/.test(d)),
			words.join("\n"),
		).toBe(true);
		expect(
			words.some((d) => /^SCAN retired_claims\b/.test(d)),
			words.join("\n"),
		).toBe(false);
		const merged = await planOf(
			mergedByFingerprintRead(
				plansDb(),
				Array.from({ length: 500 }, (_, i) => `fp${i}`),
			).toSQL(),
		);
		expect(
			merged.some((d) => /SEARCH retired_claims USING INDEX retired_claims_fingerprint_idx/.test(d)),
			merged.join("\n"),
		).toBe(true);
		expect(
			merged.some((d) => /SEARCH live USING .*INDEX claims_fingerprint_idx/.test(d)),
			merged.join("\n"),
		).toBe(true);
		expect(
			merged.some((d) => /^SCAN (retired_claims|claims|live)\b/.test(d)),
			merged.join("\n"),
		).toBe(false); // The words the desk corrected a merged claim from, moved onto the claim kept.
		const earlier = await planOf(
			mergedEarlierTextsRead(
				plansDb(),
				Array.from({ length: 500 }, (_, i) => `fp${i}`),
			).toSQL(),
		);
		expect(
			earlier.some((d) => /SEARCH claim_changes USING INDEX claim_changes_from_fingerprint_idx/.test(d)),
			earlier.join("\n"),
		).toBe(true);
		expect(
			earlier.some((d) => /^SCAN (claim_changes|retired_claims|claims|live)\b/.test(d)),
			earlier.join("\n"),
		).toBe(false);
	});
});

describe("a claim's timeline", () => {
	it("finds its discarded drafts' and merged claims' entries by index, scanning no audit entries", async () => {
		const statement = claimHistoryQuery(plansDb(), "c0000000000001", null).toSQL();
		const plan = await env.PLANS_DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
			.bind(...statement.params)
			.all<{ detail: string }>();
		const details = plan.results.map((row) => row.detail);
		expect(
			details.some((d) => /SEARCH discards USING INDEX audit_log_discarded_draft_idx/.test(d)),
			details.join("\n"),
		).toBe(true);
		// The entries of the claims merged into it, by the merged ids' index.
		expect(
			details.some((d) =>
				/SEARCH retired_claims USING (COVERING )?INDEX retired_claims_merged_into_idx/.test(d),
			),
			details.join("\n"),
		).toBe(true);
		expect(
			details.some((d) => /^SCAN (audit_log|discards|verdicts|retired_claims)\b/.test(d)),
			details.join("\n"),
		).toBe(false);
		// The merged claims' discarded drafts too, looked up by the same index, one id at a time:
		// never by walking all verdict entries (`audit_log_entity_idx (entity=?)`).
		expect(
			details.some(
				(d, i) =>
					/^SEARCH retired_claims USING (COVERING )?INDEX retired_claims_merged_into_idx/.test(d) &&
					/^SEARCH discards USING INDEX audit_log_discarded_draft_idx \(<expr>=\?\)/.test(
						details[i + 1] ?? "",
					),
			),
			details.join("\n"),
		).toBe(true);
		expect(
			details.some((d) => /discards USING INDEX audit_log_entity_idx/.test(d)),
			details.join("\n"),
		).toBe(false);
	});
});

describe("the feed", () => {
	it("reads bounded slices in index order: the newest versions, retractions, claims changed and versions superseded", async () => {
		const plans: string[][] = [];
		for (const read of feedReads(plansDb(), 50)) {
			const statement = read.toSQL();
			const plan = await env.PLANS_DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
				.bind(...statement.params)
				.all<{ detail: string }>();
			plans.push(plan.results.map((row) => row.detail));
		}
		const [versions = [], retractions = [], changed = [], superseded = []] = plans;
		// The versions the newest publications superseded: those along the feed index, then by id.
		expect(
			superseded.some((d) => /^(SCAN|SEARCH) successor USING INDEX verdicts_feed_idx\b/.test(d)),
			superseded.join("\n"),
		).toBe(true);
		expect(
			superseded.some((d) => /^SEARCH verdicts USING INDEX sqlite_autoindex_verdicts_1 \(id=\?\)/.test(d)),
			superseded.join("\n"),
		).toBe(true);
		expect(versions[0], versions.join("\n")).toMatch(
			/^(SCAN|SEARCH) verdicts USING INDEX verdicts_feed_idx\b/,
		);
		expect(retractions[0], retractions.join("\n")).toMatch(
			/^(SCAN|SEARCH) verdicts USING INDEX verdicts_retracted_idx\b/,
		);
		// The claims changed last come backwards along the partial changed_at index (no
		// unreviewed claim, no mere review in it), their verdicts by claim.
		expect(
			changed.some((d) => /^(SCAN|SEARCH) claims USING INDEX claims_changed_idx\b/.test(d)),
			changed.join("\n"),
		).toBe(true);
		expect(changed, changed.join("\n")).toContain(
			"SEARCH verdicts USING INDEX verdicts_claim_idx (claim_id=?)",
		);
		for (const details of plans) {
			// No read sorts the versions or walks them all; only the bounded change rows are grouped.
			expect(
				details.filter((d) => /^SCAN verdicts\b(?! USING INDEX verdicts_(feed|retracted)_idx)/.test(d)),
			).toEqual([]);
			expect(
				details.filter((d) => d === "USE TEMP B-TREE FOR ORDER BY").length,
				details.join("\n"),
			).toBeLessThanOrEqual(
				// The grouped change rows' co-routine (its number moves with the correlated subqueries before it).
				details.some((d) => /^CO-ROUTINE \(subquery-\d+\)$/.test(d)) ? 1 : 0,
			);
		}
	});
});
