import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CLAIMS_LIST_TAG, claimTag, FEED_TAG } from "../../src/domain/cache-tags";
import { newId } from "../../src/domain/ids";
import { AppError } from "../../src/lib/errors";
import { showTimesIn } from "../../src/lib/newsroom-clock";
import { publicCacheFor } from "../../src/lib/public-cache";
import { claimInput } from "../../src/schemas/records";
import { SYSTEM } from "../../src/store/batch";
import { recordClaim } from "../../src/store/claims";
import { missingClaim } from "../../src/store/retired-claims";
import { DAILY_CRON, runDeskCron } from "../cron";
import { account, apiCall, apiToken, deskGet } from "../desk/helpers";
import { edit, makeClaim, publish, reload, retract } from "../factories";
import { BASE, call, fetchWith, json, testDb } from "../helpers";

/*
 * The tests' deployment is a newsroom in Berlin (NEWSROOM_TIME_ZONE = "Europe/Berlin" in
 * vitest.config.ts; the shipped wrangler files say UTC). A talk-show claim said at 00:15 on
 * 20 November 2025 is recorded with that day; its check, published at 00:50 there, is
 * 23:50 UTC on the 19th.
 */
const SAID = "2025-11-20";
const CHECKED = "2025-11-19T23:50:00.000Z"; // 00:50 on 20 November in Berlin
const CORRECTED = "2025-11-20T23:30:00.000Z"; // 00:30 on 21 November
const EDITED = "2025-11-20T23:40:00.000Z"; // 00:40 on 21 November
const RETRACTED = "2025-11-21T23:20:00.000Z"; // 00:20 on 22 November
const REMOVED = "2025-11-20T23:10:00.000Z"; // 00:10 on 21 November

const html = { headers: { Accept: "text/html" } };
const text = (page: string) =>
	page
		.slice(page.indexOf("<main"), page.indexOf("</main>"))
		.replace(/<[^>]+>/g, " ")
		.replace(/\s+/g, " ");

function jsonLdOf(page: string): Record<string, any>[] {
	return [...page.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) =>
		JSON.parse(m[1] ?? ""),
	);
}

async function setTimes(claimId: string, statements: [string, ...unknown[]][]) {
	await env.DB.batch(statements.map(([query, ...values]) => env.DB.prepare(query).bind(...values)));
	await publicCacheFor(undefined, env.DB).purge([claimTag(claimId), CLAIMS_LIST_TAG, FEED_TAG]);
}

describe("days and times in the newsroom's time zone", () => {
	it("a claim said after midnight and checked within the hour is dated in order everywhere", async () => {
		const word = `Werft${newId().replace(/\d/g, "")}`;
		const claim = await makeClaim({
			language: "de",
			claimedAt: SAID,
			text: `Die ${word} kostete 300 Millionen Euro.`,
		});
		const first = await publish(claim.id, "false", { headline: "Falsch: es waren 200 Millionen" });
		const second = await publish(claim.id, "true", {
			headline: "Richtig: es waren 300 Millionen",
			correctionNote: "Wir hatten den Haushalt 2023 statt 2024 gelesen.",
		});
		await edit(claim.id, {
			version: (await reload(claim.id)).version,
			context: "In einer Talkshow.",
			note: "Kontext.",
		});
		await setTimes(claim.id, [
			["UPDATE verdicts SET published_at = ? WHERE id = ?", CHECKED, first.id],
			["UPDATE verdicts SET published_at = ? WHERE id = ?", CORRECTED, second.id],
			["UPDATE claims SET reviewed_at = ? WHERE id = ?", CORRECTED, claim.id],
			["UPDATE claim_changes SET created_at = ? WHERE claim_id = ?", EDITED, claim.id],
		]);

		// The page: said, published, corrected, changed, each on the newsroom's day.
		const german = await (await call(`/claims/${claim.id}?lang=de`, html)).text();
		expect(text(german)).toContain("Gesagt am 20. November 2025");
		expect(german).toMatch(/<p class="meta byline">[^<]*21\. November 2025<\/p>/); // the correction's byline
		expect(text(german)).toContain("Korrigiert 21. November 2025");
		expect(text(german)).toContain("Ersetzt 21. November 2025 (veröffentlicht 20. November 2025)");
		expect(text(german)).not.toContain("19. November");
		const english = text(await (await call(`/claims/${claim.id}?lang=en`, html)).text());
		expect(english).toContain("Superseded 21 November 2025 (published 20 November 2025)");
		expect(english).toMatch(/21 November 2025 : Context/);
		expect(english).not.toContain("19 November");

		// ClaimReview on the page and in the DataFeed: reviewed on the day the claim was made, not before.
		const [review] = jsonLdOf(german);
		expect(review?.datePublished).toBe(SAID);
		expect(review?.itemReviewed.datePublished).toBe(SAID);
		// Its modification stays a full timestamp (the claim's last public change), written
		// in the newsroom's offset (CET or CEST), so it sorts after the day the review was published.
		expect(review?.dateModified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0[12]:00$/);
		const feed = await json<{ dataFeedElement: { dateCreated: string; item: Record<string, any>[] }[] }>(
			await call("/api/v1/export/claimreview.json"),
		);
		const element = feed.dataFeedElement.find((e) => e.item[0]?.url.endsWith(`/claims/${claim.id}`));
		expect(element?.dateCreated).toBe(SAID);
		expect(element?.item[0]).toMatchObject({ datePublished: SAID, itemReviewed: { datePublished: SAID } });

		// Google's API keeps the full timestamp.
		const google = await json<{ claims: { claimDate: string; claimReview: { reviewDate: string }[] }[] }>(
			await call(`/v1alpha1/claims:search?query=${word}`),
		);
		expect(google.claims[0]?.claimReview[0]?.reviewDate).toBe(CORRECTED);

		// The superseded version's own page.
		const version = text(await (await call(`/claims/${claim.id}/verdicts/${first.id}?lang=en`, html)).text());
		expect(version).toContain("Superseded 21 November 2025 by Version 2");
		expect(version).toContain("20 November 2025");
		expect(version).not.toContain("19 November");

		// The desk says the newsroom's time, and which zone it is.
		const editor = await account("editor");
		const desk = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(desk).toContain("21 Nov 2025, 00:30 CET");
		expect(desk).not.toContain("20 Nov 2025, 23:30");

		// Retracted at 00:20 on the 22nd: the notice and the version's page say that day.
		await retract(second.id, (await reload(claim.id)).verdicts.find((v) => v.id === second.id)?.version ?? 0);
		await setTimes(claim.id, [["UPDATE verdicts SET retracted_at = ? WHERE id = ?", RETRACTED, second.id]]);
		expect(text(await (await call(`/claims/${claim.id}?lang=de`, html)).text())).toContain(
			"(22. November 2025)",
		);
		const withdrawn = text(
			await (await call(`/claims/${claim.id}/verdicts/${second.id}?lang=de`, html)).text(),
		);
		expect(withdrawn).toContain("Zurückgezogen 22. November 2025");
	});

	it("a check published just after midnight and changed before midnight UTC is modified after it was published", async () => {
		const claim = await makeClaim({ claimedAt: SAID });
		const verdict = await publish(claim.id, "false", { headline: "False: it cost 200 million" });
		await edit(claim.id, {
			version: (await reload(claim.id)).version,
			context: "On a talk show.",
			note: "Context.",
		});
		const CHANGED = "2025-11-19T23:55:00.000Z"; // 00:55 on 20 November in Berlin
		await setTimes(claim.id, [
			["UPDATE verdicts SET published_at = ?, updated_at = ? WHERE id = ?", CHECKED, CHECKED, verdict.id],
			["UPDATE claims SET reviewed_at = ?, updated_at = ? WHERE id = ?", CHECKED, CHANGED, claim.id],
			["UPDATE claim_changes SET created_at = ? WHERE claim_id = ?", CHANGED, claim.id],
		]);
		const inOrder = (review: Record<string, any> | undefined, where: string) => {
			expect(review?.datePublished, where).toBe(SAID);
			// The change's instant, in the newsroom's offset: on the day published, not before it.
			expect(review?.dateModified, where).toBe("2025-11-20T00:55:00.000+01:00");
			expect(Date.parse(review?.dateModified), where).toBe(Date.parse(CHANGED));
			expect(review?.dateModified > review?.datePublished, where).toBe(true);
		};
		const [review] = jsonLdOf(await (await call(`/claims/${claim.id}?lang=en`, html)).text());
		inOrder(review, "the page");
		const feed = await json<{
			dateModified: string;
			dataFeedElement: { dateCreated: string; dateModified: string; item: Record<string, any>[] }[];
		}>(await call("/api/v1/export/claimreview.json"));
		const element = feed.dataFeedElement.find((e) => e.item[0]?.url.endsWith(`/claims/${claim.id}`));
		inOrder(element?.item[0], "the DataFeed's item");
		expect(element?.dateCreated).toBe(SAID);
		expect(element?.dateModified).toBe(element?.item[0]?.dateModified);
		// The feed's own dateModified, a poller's key, stays UTC.
		expect(feed.dateModified).toMatch(/Z$/);
	});

	it("a claim removed just after midnight is dated that day on its page, its card and in the API", async () => {
		const token = (await apiToken((await account("editor")).user, ["claims:write"])).token;
		const claim = await makeClaim();
		const removed = await apiCall("DELETE", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: claim.version, reason: "Recorded by mistake." },
		});
		expect(removed.status, await removed.clone().text()).toBe(200);
		await setTimes(claim.id, [["UPDATE retired_claims SET removed_at = ? WHERE id = ?", REMOVED, claim.id]]);
		const page = await call(`/claims/${claim.id}?lang=de`, html);
		expect(page.status).toBe(410);
		expect(await page.text()).toContain("21. November 2025");
		const card = await (await call(`/embed/${claim.id}?lang=en`)).text();
		expect(card).toContain("21 November 2025");
		const problem = await json<{ detail: string; removedAt: string }>(
			await call(`/api/v1/claims/${claim.id}`),
		);
		expect(problem.detail).toContain("21 November 2025");
		expect(problem.removedAt).toBe(REMOVED);
	});

	it("a claim removed just after midnight is dated that day where an import refuses its id, and in the stores' words", async () => {
		const token = (await apiToken((await account("editor")).user, ["claims:write", "import"])).token;
		const tag = newId();
		const record = {
			externalId: `cms-removed-${tag}`,
			claim: { text: `Die Brücke ${tag} bleibt bis März gesperrt.`, language: "de", claimedAt: SAID },
			speaker: { name: `Stadträtin ${tag}`, kind: "person" },
			sources: [{ url: `https://news.example/${tag}`, title: "Artikel" }],
			verdict: null,
		};
		const imported = async () => {
			const response = await apiCall("POST", "/api/v1/import", { token, body: { records: [record] } });
			expect(response.status, await response.clone().text()).toBe(200);
			return (await json<{ results: { status: string; claimId?: string; reason?: string }[] }>(response))
				.results[0];
		};
		const claimId = (await imported())?.claimId ?? "";
		const removed = await apiCall("DELETE", `/api/v1/claims/${claimId}`, {
			token,
			body: { version: (await reload(claimId)).version, reason: "Recorded by mistake." },
		});
		expect(removed.status, await removed.clone().text()).toBe(200);
		await setTimes(claimId, [["UPDATE retired_claims SET removed_at = ? WHERE id = ?", REMOVED, claimId]]);
		// The nightly import's report, read on the desk and by the CMS: 00:10 on the 21st in
		// Berlin, not the UTC day before it, which the claim's page, card and API never say.
		const again = await imported();
		expect(again?.status).toBe("rejected");
		expect(again?.reason).toContain("removed from the tracker on 2025-11-21:");
		// The stores' refusals (a write to the claim, its id given to a new claim) carry the
		// same day; the API and the desk answer them in their own words (claimRemovedText, a
		// 410 page), so their message is read here. The app shell set the zone for the import.
		expect((await missingClaim(testDb(), claimId)).message).toBe(
			"This claim was removed from the tracker on 2025-11-21.",
		);
		const input = claimInput.parse({
			text: `Die Brücke ${tag} ist wieder offen.`,
			language: "de",
			externalId: record.externalId,
			speaker: { name: `Stadträtin ${tag}` },
			source: { url: `https://news.example/${tag}/2` },
		});
		const created = await recordClaim(testDb(), SYSTEM("test"), input).catch((error: unknown) => error);
		expect(created).toBeInstanceOf(AppError);
		expect((created as AppError).message).toContain("removed from the tracker on 2025-11-21:");
	});

	for (const zone of ["America/New_York", "UTC", "Europe/Berlin"]) {
		it(`an imported review published on 1 March 2024 is dated that day everywhere in ${zone}, and an import run again changes nothing`, async () => {
			const token = (await apiToken((await account("editor")).user, ["import"])).token;
			const tag = newId();
			// A newsroom of that zone: both Workers read NEWSROOM_TIME_ZONE from its bindings.
			const there = async (path: string, init?: RequestInit) =>
				(await fetchWith(env.DB, path, init, false, { NEWSROOM_TIME_ZONE: zone })).response;
			const record = {
				externalId: `zone-${tag}`,
				claim: {
					text: `The ferry ${tag} stopped running in February.`,
					language: "en",
					claimedAt: "2024-03-01",
				},
				speaker: { name: `Harbour master ${tag}`, kind: "person" },
				sources: [{ url: `https://news.example/${tag}` }],
				verdict: {
					rating: "false",
					originalRating: "False",
					headline: "The ferry still runs",
					url: `${BASE}/reviews/${tag}`,
					publishedAt: "2024-03-01",
				},
			};
			const imported = async () => {
				const response = await there("/api/v1/import", {
					method: "POST",
					headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
					body: JSON.stringify({ records: [record] }),
				});
				expect(response.status, await response.clone().text()).toBe(200);
				return (await json<{ results: { status: string; claimId?: string }[] }>(response)).results[0];
			};
			const claimId = (await imported())?.claimId ?? "";
			const page = await (await there(`/claims/${claimId}?lang=en`, html)).text();
			expect(page).toMatch(/<p class="meta byline">[^<]*1 March 2024<\/p>/);
			expect(text(page)).not.toContain("29 February");
			const [review] = jsonLdOf(page);
			expect(review?.datePublished).toBe("2024-03-01");
			const feed = await json<{ dataFeedElement: { dateCreated: string; item: Record<string, any>[] }[] }>(
				await there("/api/v1/export/claimreview.json"),
			);
			const element = feed.dataFeedElement.find((e) => e.item[0]?.url.endsWith(`/claims/${claimId}`));
			expect(element?.dateCreated).toBe("2024-03-01");
			expect(element?.item[0]?.datePublished).toBe("2024-03-01");
			// Read as UTC, the same day: the API's reviewedAt and its day filter, Google's reviewDate.
			const detail = await json<{ reviewedAt: string }>(await there(`/api/v1/claims/${claimId}`));
			expect(detail.reviewedAt.slice(0, 10)).toBe("2024-03-01");
			const thatDay = await json<{ data: { id: string }[] }>(
				await there(`/api/v1/claims?q=${tag}&reviewedSince=2024-03-01&reviewedUntil=2024-03-01`),
			);
			expect(thatDay.data.map((c) => c.id)).toEqual([claimId]);
			const google = await json<{ claims: { claimReview: { reviewDate: string }[] }[] }>(
				await there(`/v1alpha1/claims:search?query=${tag}`),
			);
			expect(google.claims[0]?.claimReview[0]?.reviewDate.slice(0, 10)).toBe("2024-03-01");

			// The same records again (the nightly run): nothing changed, no correction published.
			expect(await imported()).toMatchObject({ status: "unchanged", claimId });
			const claim = await json<{ history: unknown[] }>(await there(`/api/v1/claims/${claimId}`));
			expect(claim.history).toHaveLength(1);
		});
	}

	it("dates a store's message in the newsroom's day in a cron or queue consumer that follows no request", async () => {
		const token = (await apiToken((await account("editor")).user, ["claims:write"])).token;
		const claim = await makeClaim();
		const claimId = claim.id;
		const removed = await apiCall("DELETE", `/api/v1/claims/${claimId}`, {
			token,
			body: { version: claim.version, reason: "Recorded by mistake." },
		});
		expect(removed.status, await removed.clone().text()).toBe(200);
		await setTimes(claimId, [["UPDATE retired_claims SET removed_at = ? WHERE id = ?", REMOVED, claimId]]);
		// An isolate that has served no request yet: the zone the app shell sets is not set.
		showTimesIn("UTC");
		await runDeskCron(DAILY_CRON);
		expect((await missingClaim(testDb(), claimId)).message).toBe(
			"This claim was removed from the tracker on 2025-11-21.",
		);
	});
});
