import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { dayIn, startOfDay } from "../../src/domain/time-zone";
import {
	claimsByAssignee,
	claimsByStatus,
	type DayOfPublications,
	inReviewQueue,
	MEDIAN_WINDOW_DAYS,
	medianTimeToVerdict,
	publicationsQuery,
	publicationsThisWeek,
} from "../../src/store/dashboard";
import { duration, waitingTime } from "../../src/views/desk/dashboard-labels";
import { draft, makeClaim, publish, submit } from "../factories";
import { fetchWith, testDb } from "../helpers";
import { account, deskGet, deskPost, makeUser, ONE_DAY } from "./helpers";

const HOUR = 3_600_000;

async function sql(query: string, ...values: unknown[]) {
	await env.DB.prepare(query)
		.bind(...values)
		.run();
}

/** Status → count, from the store. */
async function statusCounts(): Promise<Record<string, number>> {
	return Object.fromEntries((await claimsByStatus(testDb())).map((s) => [s.status, s.count]));
}

function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
	const out: Record<string, number> = {};
	for (const [key, value] of Object.entries(after)) {
		const change = value - (before[key] ?? 0);
		if (change !== 0) out[key] = change;
	}
	return out;
}

async function retract(verdict: { id: string; version: number }) {
	const editor = await account("editor");
	const response = await deskPost(editor, `/desk/verdicts/${verdict.id}/retract`, {
		version: String(verdict.version),
		note: "Misattributed.",
		_idem: newToken(18),
	});
	expect(response.status).toBe(303);
}

describe("/desk/dashboard access", () => {
	it("sends a visitor without a session to the login form", async () => {
		const response = await deskGet(null, "/desk/dashboard");
		expect(response.status).toBe(303);
		expect(response.headers.get("location")).toBe(
			`/desk/login?next=${encodeURIComponent("/desk/dashboard")}`,
		);
	});

	it("shows a checker the page: one h1, every chart named, in English and German", async () => {
		const checker = await account("checker");
		// An open claim: without any, the assignee chart gives way to a sentence saying so.
		await makeClaim();
		for (const [lang, heading] of [
			["en", "Dashboard"],
			["de", "Übersicht"],
		] as const) {
			const response = await deskGet(checker, `/desk/dashboard?lang=${lang}`);
			expect(response.status).toBe(200);
			const html = await response.text();
			expect(html).toContain(`<html lang="${lang}">`);
			expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
			expect(html).toContain(`<h1>${heading}</h1>`);
			const charts = [...html.matchAll(/<svg [^>]*>/g)].map((m) => m[0]);
			expect(charts).toHaveLength(3);
			for (const chart of charts) {
				expect(chart).toContain('role="img"');
				const id = /aria-labelledby="([^"]+)"/.exec(chart)?.[1];
				expect(id).toBeTruthy();
				const title = new RegExp(`<title id="${id}">([^<]+)</title>`).exec(html)?.[1] ?? "";
				expect(title.length).toBeGreaterThan(10);
			}
			// No script and nothing fetched but the stylesheet.
			expect(html).not.toMatch(/<script/);
		}
	});
});

describe("claims by state", () => {
	it("counts unverified, in review, each rating and retracted claims", async () => {
		const before = await statusCounts();
		await makeClaim();
		await draft((await makeClaim()).id);
		await publish((await makeClaim()).id, "false");
		const corrected = await makeClaim();
		await publish(corrected.id, "false");
		await publish(corrected.id, "mostly-true", { correctionNote: "The figure was revised." });
		const withdrawn = await makeClaim();
		await retract(await publish(withdrawn.id, "half-true"));
		expect(diff(await statusCounts(), before)).toEqual({
			unverified: 1,
			"in-review": 1,
			false: 1,
			"mostly-true": 1,
			retracted: 1,
		});
		const statuses = (await claimsByStatus(testDb())).map((s) => s.status);
		expect(statuses).toHaveLength(11);
		expect(statuses.slice(0, 3)).toEqual(["unverified", "in-review", "retracted"]);
	});
});

describe("the review queue", () => {
	it("lists drafts submitted for review, longest waiting first, with drafter and age, escaped; the others as being written", async () => {
		const { user: drafter } = await makeUser("checker", { name: "<b>x</b>" });
		const older = await submit(await draft((await makeClaim()).id, "Older draft", drafter.id));
		const newer = await submit(await draft((await makeClaim()).id, "Newer draft", drafter.id));
		const returned = await draft((await makeClaim()).id, "Returned draft", drafter.id);
		const writing = await draft((await makeClaim()).id, "Draft being written", drafter.id);
		// Far back, so no other draft of this file comes before them: the queue waits from the
		// submission, whenever the draft was started.
		await sql(
			"UPDATE verdicts SET submitted_at = ? WHERE id = ?",
			new Date(Date.now() - 400 * ONE_DAY).toISOString(),
			older.id,
		);
		await sql(
			"UPDATE verdicts SET created_at = ?, submitted_at = ? WHERE id = ?",
			new Date(Date.now() - 500 * ONE_DAY).toISOString(),
			new Date(Date.now() - 399 * ONE_DAY - 5 * HOUR).toISOString(),
			newer.id,
		);
		// Returned: out of the queue, listed as being written with "changes requested".
		await sql(
			"UPDATE verdicts SET created_at = ?, changes_requested_at = ? WHERE id = ?",
			new Date(Date.now() - 600 * ONE_DAY).toISOString(),
			new Date().toISOString(),
			returned.id,
		);
		await sql(
			"UPDATE verdicts SET created_at = ? WHERE id = ?",
			new Date(Date.now() - 599 * ONE_DAY).toISOString(),
			writing.id,
		);
		// A correction's draft waits for an editor too (its claim keeps its published rating
		// meanwhile), as in the desk home's queue: listed, and said to be a correction.
		const published = await makeClaim();
		await publish(published.id);
		const correction = await submit(await draft(published.id, "Correction draft", drafter.id));

		const queue = await inReviewQueue(testDb());
		const ids = queue.map((entry) => entry.verdictId);
		expect(ids.indexOf(older.id)).toBe(0);
		expect(ids.indexOf(newer.id)).toBe(1);
		expect(ids).not.toContain(returned.id);
		expect(ids).not.toContain(writing.id);
		expect(queue.find((entry) => entry.verdictId === correction.id)).toMatchObject({ correction: true });
		expect(queue[0]?.correction).toBe(false);
		expect(queue[0]).toMatchObject({ claimId: older.claimId, writerName: "<b>x</b>" });

		const checker = await account("checker");
		const html = await (await deskGet(checker, "/desk/dashboard")).text();
		const row = (attribute: string, claimId: string) => {
			const start = html.indexOf(`<li data-${attribute}="${claimId}">`);
			return start < 0 ? "" : html.slice(start, html.indexOf("</li>", start));
		};
		expect(row("claim", older.claimId)).toContain(`href="/desk/claims/${older.claimId}"`);
		expect(row("claim", older.claimId)).toContain("&lt;b&gt;x&lt;/b&gt;");
		expect(row("claim", older.claimId)).toContain("400 days");
		expect(row("claim", newer.claimId)).toContain("399 days");
		expect(html).not.toContain("<b>x</b>");
		expect(row("claim", published.id)).toContain("correction · ");
		expect(html.indexOf(row("claim", older.claimId))).toBeLessThan(html.indexOf(row("claim", newer.claimId)));
		// Being written: the returned draft, then the one not submitted, by how long they are open.
		expect(row("claim", returned.claimId)).toBe("");
		expect(row("writing", returned.claimId)).toContain("600 days");
		expect(row("writing", returned.claimId)).toMatch(
			/<strong data-changes-requested="[^"]+">changes requested<\/strong>/,
		);
		expect(row("writing", writing.claimId)).toContain("599 days");
		expect(row("writing", writing.claimId)).not.toContain("changes requested");
		expect(html.indexOf(row("writing", returned.claimId))).toBeLessThan(
			html.indexOf(row("writing", writing.claimId)),
		);
		expect(row("writing", older.claimId)).toBe("");
		const german = await (await deskGet(checker, "/desk/dashboard?lang=de")).text();
		expect(german).toContain("In Arbeit");
		expect(german).toMatch(/offen seit <time[^>]*>600 Tagen</);
	});

	it("says how long a draft waited in days, else hours", () => {
		const now = new Date("2025-07-12T12:00:00Z");
		const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
		expect(waitingTime(ago(3 * ONE_DAY + 5 * HOUR), now, "en")).toBe("3 days");
		expect(waitingTime(ago(ONE_DAY), now, "en")).toBe("1 day");
		expect(waitingTime(ago(5 * HOUR + 59_000), now, "en")).toBe("5 hours");
		expect(waitingTime(ago(HOUR), now, "de")).toBe("1 Stunde");
		expect(waitingTime(ago(59_000), now, "en")).toBe("under an hour");
		expect(waitingTime(ago(3 * ONE_DAY), now, "de")).toBe("3 Tagen");
		expect(duration(36, "en")).toBe("36 hours");
		expect(duration(2.5, "de")).toBe("2,5 Stunden");
		expect(duration(84, "en")).toBe("3.5 days");
		expect(duration(1_200, "de")).toBe("50 Tage");
	});
});

describe("claims per assignee", () => {
	it("counts each assignee's claims and the unassigned ones", async () => {
		const { user: assignee } = await makeUser("checker", { name: `Asha Assignee ${newId().slice(0, 4)}` });
		const before = await claimsByAssignee(testDb());
		const unassignedBefore = before.find((row) => row.userId === null)?.count ?? 0;
		const claims = [await makeClaim(), await makeClaim(), await makeClaim()];
		for (const claim of claims.slice(0, 2)) {
			await sql("UPDATE claims SET assignee_id = ? WHERE id = ?", assignee.id, claim.id);
		}
		const after = await claimsByAssignee(testDb());
		expect(after.find((row) => row.userId === assignee.id)).toEqual({
			userId: assignee.id,
			name: assignee.name,
			count: 2,
		});
		expect((after.find((row) => row.userId === null)?.count ?? 0) - unassignedBefore).toBe(1);
		// Most claims first.
		const counts = after.map((row) => row.count);
		expect(counts).toEqual([...counts].sort((a, b) => b - a));

		const checker = await account("checker");
		const html = await (await deskGet(checker, "/desk/dashboard")).text();
		const title = /<title id="assignee-chart-title">([^<]+)<\/title>/.exec(html)?.[1] ?? "";
		expect(title).toContain(`${assignee.name} 2`);
		expect(title).toContain("Unassigned");
		// The links lead to each assignee's list, "Unassigned" among them: no "their", and in
		// German no formal "Ihre", which reads as the reader's own claims.
		expect(html).toMatch(/Lists of open claims: <a href="\/desk\?list=/);
		const german = await (await deskGet(checker, "/desk/dashboard?lang=de")).text();
		expect(german).toMatch(/Listen der offenen Behauptungen: <a href="\/desk\?list=/);
		expect(german).not.toContain("Ihre Behauptungen in der Redaktion");
	});
});

describe("published and corrected this week", () => {
	it("counts first publications and corrections per UTC day of the last seven", async () => {
		// Two hours back, so the publication after `now` below is still in the past: dated an
		// hour ahead of the clock it headed the whole database's Atom feed for every later file.
		const now = new Date(Date.now() - 2 * HOUR);
		const before = await publicationsThisWeek(testDb(), now, "UTC");
		const day = (ms: number) => new Date(now.getTime() - ms).toISOString().slice(0, 10);
		const setPublished = (id: string, ms: number) =>
			sql(
				"UPDATE verdicts SET published_at = ? WHERE id = ?",
				new Date(now.getTime() - ms).toISOString(),
				id,
			);

		const threeDaysAgo = await publish((await makeClaim()).id);
		await setPublished(threeDaysAgo.id, 3 * ONE_DAY);
		const corrected = await makeClaim();
		const original = await publish(corrected.id);
		await setPublished(original.id, 2 * HOUR);
		const correction = await publish(corrected.id, "true", { correctionNote: "A newer report." });
		await setPublished(correction.id, HOUR);
		// Outside the window: eight days ago, and after `now`.
		await setPublished((await publish((await makeClaim()).id)).id, 8 * ONE_DAY);
		await setPublished((await publish((await makeClaim()).id)).id, -HOUR);

		const after = await publicationsThisWeek(testDb(), now, "UTC");
		expect(after.map((d) => d.day)).toEqual(before.map((d) => d.day));
		expect(after).toHaveLength(7);
		expect(after[6]?.day).toBe(now.toISOString().slice(0, 10));
		const changes = Object.fromEntries(
			after
				.map(
					(d, i) =>
						[
							d.day,
							{
								first: d.first - (before[i]?.first ?? 0),
								corrections: d.corrections - (before[i]?.corrections ?? 0),
							},
						] as const,
				)
				.filter(([, change]) => change.first !== 0 || change.corrections !== 0),
		);
		const expected: Record<string, { first: number; corrections: number }> = {};
		const add = (d: string, kind: "first" | "corrections") => {
			expected[d] ??= { first: 0, corrections: 0 };
			expected[d][kind] += 1;
		};
		add(day(3 * ONE_DAY), "first");
		add(day(2 * HOUR), "first");
		add(day(HOUR), "corrections");
		expect(changes).toEqual(expected);
	});
});

describe("published this week, by the newsroom's days", () => {
	it("counts a publication just after midnight in the newsroom on that day, not on the UTC day before", async () => {
		const now = new Date();
		const zone = "Europe/Berlin";
		const today = dayIn(now.toISOString(), zone) ?? "";
		const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - ONE_DAY).toISOString().slice(0, 10);
		// 00:30 in Berlin yesterday: 22:30 or 23:30 UTC the day before.
		const justAfterMidnight = new Date(Date.parse(startOfDay(yesterday, zone)) + 30 * 60_000).toISOString();
		expect(justAfterMidnight.slice(0, 10) < yesterday).toBe(true);
		const before = await publicationsThisWeek(testDb(), now, zone);
		const beforeUtc = await publicationsThisWeek(testDb(), now, "UTC");
		const late = await publish((await makeClaim()).id);
		await sql("UPDATE verdicts SET published_at = ? WHERE id = ?", justAfterMidnight, late.id);
		// An import's date alone is that day wherever the newsroom is, behind UTC too.
		const imported = await publish((await makeClaim()).id);
		await sql("UPDATE verdicts SET published_at = ? WHERE id = ?", yesterday, imported.id);

		const after = await publicationsThisWeek(testDb(), now, zone);
		expect(after.map((d) => d.day)).toEqual(before.map((d) => d.day));
		expect(after[6]?.day).toBe(today);
		const added = (week: DayOfPublications[], was: DayOfPublications[]) =>
			Object.fromEntries(
				week.map((d, i) => [d.day, d.first - (was[i]?.first ?? 0)] as const).filter(([, n]) => n !== 0),
			);
		expect(added(after, before)).toEqual({ [yesterday]: 2 });
		// The same publications by UTC days: the late one on the day before.
		const utc = added(await publicationsThisWeek(testDb(), now, "UTC"), beforeUtc);
		expect(utc).toEqual({ [justAfterMidnight.slice(0, 10)]: 1, [yesterday]: 1 });
		const newYork = await publicationsThisWeek(testDb(), now, "America/New_York");
		expect(newYork.find((d) => d.day === yesterday)?.first).toBeGreaterThanOrEqual(1);
	});
});

describe("the dashboard's days and times", () => {
	it("are said to be the newsroom's, naming its zone (en, de), not UTC", async () => {
		const checker = await account("checker");
		const intro = (html: string) => /<h1>[^<]*<\/h1>\s*<p class="meta">([^<]*)<\/p>/.exec(html)?.[1];
		// The tests' newsroom is in Berlin (vitest.config.ts), as every time the desk shows.
		expect(intro(await (await deskGet(checker, "/desk/dashboard?lang=en")).text())).toBe(
			"The desk at a glance. Days and times are in the newsroom’s time zone, Europe/Berlin.",
		);
		expect(intro(await (await deskGet(checker, "/desk/dashboard?lang=de")).text())).toBe(
			"Die Redaktion auf einen Blick. Tage und Uhrzeiten in der Zeitzone der Redaktion, Europe/Berlin.",
		);
		const { response } = await fetchWith(
			env.DB,
			"/desk/dashboard?lang=en",
			{ headers: { Cookie: checker.cookie } },
			false,
			{ NEWSROOM_TIME_ZONE: "America/New_York" },
		);
		expect(intro(await response.text())).toBe(
			"The desk at a glance. Days and times are in the newsroom’s time zone, America/New_York.",
		);
	});
});

describe("published today, in the newsroom's first hours", () => {
	it("counts an import dated the newsroom's today while it is still yesterday in UTC", async () => {
		// 00:30 on 20 November in Berlin, 23:30 UTC on the 19th.
		const now = new Date("2025-11-19T23:30:00.000Z");
		const zone = "Europe/Berlin";
		const before = await publicationsThisWeek(testDb(), now, zone);
		expect(before[6]?.day).toBe("2025-11-20");
		const imported = await publish((await makeClaim()).id);
		await sql("UPDATE verdicts SET published_at = ? WHERE id = ?", "2025-11-20", imported.id);
		const after = await publicationsThisWeek(testDb(), now, zone);
		expect((after[6]?.first ?? 0) - (before[6]?.first ?? 0)).toBe(1);
	});
});

describe("published again after a retraction", () => {
	it("counts a claim's verdict after a retraction neither as a first publication nor as a correction", async () => {
		const editor = await account("editor");
		const now = () => new Date(Date.now() + 60_000);
		const before = await publicationsThisWeek(testDb(), now(), "UTC");
		const claim = await makeClaim();
		const first = await publish(claim.id);
		await retract(first);
		await publish(claim.id, "true");
		const after = await publicationsThisWeek(testDb(), now(), "UTC");
		const total = (week: DayOfPublications[], key: "first" | "corrections" | "again") =>
			week.reduce((sum, d) => sum + d[key], 0);
		expect(total(after, "first") - total(before, "first")).toBe(1);
		expect(total(after, "corrections") - total(before, "corrections")).toBe(0);
		expect(total(after, "again") - total(before, "again")).toBe(1);
		const page = await (await deskGet(editor, "/desk/dashboard")).text();
		expect(Number(page.match(/data-count="again">(\d+)</)?.[1])).toBeGreaterThanOrEqual(1);
		expect(page).toContain("published again after a retraction");
		const german = await (await deskGet(editor, "/desk/dashboard?lang=de")).text();
		expect(german).toContain("nach einer Rücknahme erneut veröffentlicht");
	});

	it("reads the week on the publication index and each claim's earlier verdicts on the claim index", async () => {
		const days = [
			"2025-01-01",
			"2025-01-02",
			"2025-01-03",
			"2025-01-04",
			"2025-01-05",
			"2025-01-06",
			"2025-01-07",
		];
		const query = publicationsQuery(testDb(), days, new Date(), "Europe/Berlin").toSQL();
		const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
			.bind(...query.params)
			.all<{ detail: string }>();
		const details = plan.results.map((row) => row.detail);
		expect(
			details.some((d) => /SEARCH verdicts USING (COVERING )?INDEX verdicts_published_idx/.test(d)),
		).toBe(true);
		expect(details.some((d) => /SEARCH earlier USING (COVERING )?INDEX verdicts_claim_idx/.test(d))).toBe(
			true,
		);
		expect(details.filter((d) => /^SCAN (verdicts|earlier)\b/.test(d))).toEqual([]);
	});
});

describe("the median time from claim to published verdict", () => {
	// A fixed `now`, far from the rows of other tests, and in the past: the rows below are
	// published then, as an old import's are. Set in 2031 they were feed entries dated years
	// ahead, heading the whole database's Atom feed for every later file in the runtime
	// (feed-window's 50 newest lost 11 slots to them).
	const now = new Date("2011-03-01T00:00:00.000Z");
	const at = (ms: number) => new Date(now.getTime() - ms).toISOString();

	/** A claim recorded at `created` and first published at `published` (ms before `now`). */
	async function measured(created: number, published: number) {
		const claim = await makeClaim();
		const verdict = await publish(claim.id);
		await sql("UPDATE claims SET created_at = ? WHERE id = ?", at(created), claim.id);
		await sql("UPDATE verdicts SET published_at = ? WHERE id = ?", at(published), verdict.id);
		return { claim, verdict };
	}

	it("is the middle duration, or the mean of the middle two, over the last 90 days", async () => {
		const ids: string[] = [];
		ids.push((await measured(10 * ONE_DAY + 10 * HOUR, 10 * ONE_DAY)).claim.id); // 10 h
		ids.push((await measured(20 * ONE_DAY + 30 * HOUR, 20 * ONE_DAY)).claim.id); // 30 h
		ids.push((await measured(30 * ONE_DAY + 50 * HOUR, 30 * ONE_DAY)).claim.id); // 50 h
		expect(await medianTimeToVerdict(testDb(), now, { claimIds: ids })).toEqual({ claims: 3, hours: 30 });

		// A correction does not move the first publication: 20 h, not 20 days.
		const corrected = await measured(40 * ONE_DAY + 20 * HOUR, 40 * ONE_DAY);
		const correction = await publish(corrected.claim.id, "true", { correctionNote: "Revised." });
		await sql("UPDATE verdicts SET published_at = ? WHERE id = ?", at(20 * ONE_DAY), correction.id);
		ids.push(corrected.claim.id);
		// Left out: first published 100 days ago; retracted (no published verdict now);
		// published before it was recorded here (an import).
		ids.push((await measured(101 * ONE_DAY, 100 * ONE_DAY)).claim.id);
		const withdrawn = await measured(5 * ONE_DAY + 2 * HOUR, 5 * ONE_DAY);
		await retract({ id: withdrawn.verdict.id, version: withdrawn.verdict.version });
		ids.push(withdrawn.claim.id);
		ids.push((await measured(ONE_DAY, 2 * ONE_DAY)).claim.id);

		const median = await medianTimeToVerdict(testDb(), now, { claimIds: ids });
		expect(median.claims).toBe(4);
		expect(median.hours).toBeCloseTo(25, 6); // 10, 20, 30, 50 → (20 + 30) / 2
		expect(await medianTimeToVerdict(testDb(), now, { claimIds: [] })).toEqual({ claims: 0, hours: null });
	});

	it("over every claim, agrees with the same rows' median computed here", async () => {
		for (const hours of [3, 7, 100]) await measured(60 * ONE_DAY + hours * HOUR, 60 * ONE_DAY);
		const since = at(MEDIAN_WINDOW_DAYS * ONE_DAY);
		const { results } = await env.DB.prepare(
			`SELECT c.created_at AS created, min(v.published_at) AS first
			 FROM claims c JOIN verdicts v ON v.claim_id = c.id AND v.published_at IS NOT NULL
			 WHERE c.current_verdict_id IS NOT NULL GROUP BY c.id`,
		).all<{ created: string; first: string }>();
		const durations = results
			.filter((r) => r.first >= since && r.first <= now.toISOString() && r.first >= r.created)
			.map((r) => (Date.parse(r.first) - Date.parse(r.created)) / HOUR)
			.sort((a, b) => a - b);
		const mid = Math.floor((durations.length - 1) / 2);
		const expected =
			durations.length % 2 ? durations[mid] : ((durations[mid] ?? 0) + (durations[mid + 1] ?? 0)) / 2;
		const median = await medianTimeToVerdict(testDb(), now);
		expect(median.claims).toBe(durations.length);
		expect(median.hours).toBeCloseTo(expected ?? Number.NaN, 3);
	});
});
