import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
	columnMappingSchema,
	type ImportResult,
	importDelimited,
	importLiar,
	mapLiarRow,
	parseClaimReviewDocument,
	parseDelimited,
	streamClaimIds,
} from "../../scripts/lib/import-mapping";
import { canonicalizeUrl } from "../../src/domain/canonical-url";
import { newId } from "../../src/domain/ids";
import { IMPORT_CORRECTION_NOTE } from "../../src/domain/import-correction";
import { foldName } from "../../src/domain/speaker-matching";
import { type ImportRecord, onNewsroomDays } from "../../src/schemas/import-record";
import { SYSTEM } from "../../src/store/batch";
import { type ClaimDetail, getClaim } from "../../src/store/claims";
import { importRecords } from "../../src/store/imports";
import { revokeApiToken } from "../../src/store/tokens";
import { apiCall, apiToken, makeUser, snapshot } from "../desk/helpers";
import { makeClaim, publish, retract } from "../factories";
import arrayJson from "../fixtures/import/array.json?raw";
import claimsCsv from "../fixtures/import/claims.csv?raw";
import claimsMapping from "../fixtures/import/claims.mapping.json";
import correctivHtml from "../fixtures/import/correctiv.html?raw";
import creativeWorkJson from "../fixtures/import/creative-work.json?raw";
import dataFeedJson from "../fixtures/import/datafeed.json?raw";
import graphJson from "../fixtures/import/graph.json?raw";
import liarTsv from "../fixtures/import/liar-sample.tsv?raw";
import singleJson from "../fixtures/import/single.json?raw";
import { call, fetchWith, importCountingQueries, json, testDb, uniquePlace } from "../helpers";
import { useOwnDatabase } from "../own-database";

useOwnDatabase();

interface ImportAnswer {
	summary: { created: number; updated: number; unchanged: number; rejected: number };
	results: {
		index: number;
		status: "created" | "updated" | "unchanged" | "rejected";
		claimId?: string;
		claim?: string;
		reason?: string;
		changes?: string[];
		warnings?: string[];
	}[];
}

async function editor(
	scopes: ("import" | "claims:write" | "verdicts:write" | "verdicts:publish")[] = ["import"],
) {
	const { user } = await makeUser("editor");
	const { token } = await apiToken(user, scopes);
	return { user, token };
}

async function send(token: string, records: unknown[]) {
	const response = await apiCall("POST", "/api/v1/import", { token, body: { records } });
	expect(response.status, await response.clone().text()).toBe(200);
	return json<ImportAnswer>(response);
}

async function stored(claimId: string | undefined): Promise<ClaimDetail> {
	const claim = claimId ? await getClaim(testDb(), claimId) : undefined;
	if (!claim) throw new Error(`claim ${claimId} not stored`);
	return claim;
}

/** Every field of a record, as it must be found in D1 after the import that created its claim. */
async function expectStored(sent: ImportRecord, claimId: string | undefined, editorId: string) {
	// A time in UTC the CLI sent as it is is stored as its day in the tests' newsroom (Berlin).
	const record = onNewsroomDays(sent, "Europe/Berlin");
	const claim = await stored(claimId);
	expect(claim.text).toBe(record.claim.text);
	expect(claim.language).toBe(record.claim.language);
	expect(claim.claimedAt).toBe(record.claim.claimedAt ?? null);
	expect(claim.context).toBe(record.claim.context ?? null);
	expect(claim.externalId).toBe(record.externalId ?? null);
	expect(claim.createdBy).toBe(editorId);

	if (record.speaker === null) expect(claim.speakerId).toBeNull();
	else {
		const speaker = claim.speaker;
		expect(speaker?.kind).toBe(record.speaker.kind);
		const spellings = [speaker?.name ?? "", ...(speaker?.aliases ?? [])].map(foldName);
		expect(spellings).toContain(foldName(record.speaker.name));
		if (speaker?.name === record.speaker.name)
			expect(speaker.description).toBe(record.speaker.description ?? null);
	}

	const urls = [...new Set(record.sources.map((s) => canonicalizeUrl(s.url).url))];
	expect(claim.appearances.map((a) => a.source.url)).toEqual(urls);
	expect(claim.appearances.map((a) => a.isFirst)).toEqual(urls.map((_, i) => i === 0));
	for (const input of record.sources) {
		const source = claim.appearances.find((a) => a.source.url === canonicalizeUrl(input.url).url)?.source;
		if (source?.createdBy !== editorId) continue;
		const first = record.sources.find((s) => canonicalizeUrl(s.url).url === source.url);
		expect(source.title).toBe(first?.title ?? null);
		expect(source.publisher).toBe(first?.publisher ?? null);
		expect(source.author).toBe(first?.author ?? null);
		expect(source.publishedAt).toBe(first?.publishedAt ?? null);
		expect(source.language).toBe(first?.language ?? null);
		expect(source.domain).toBe(canonicalizeUrl(input.url).domain);
	}

	const published = claim.verdicts.filter((v) => v.state === "published");
	if (record.verdict === null) {
		expect(published).toEqual([]);
		expect(claim.status).toBe("unverified");
		expect(claim.currentVerdictId).toBeNull();
		return claim;
	}
	expect(published).toHaveLength(1);
	const verdict = published[0];
	expect(verdict).toMatchObject({
		rating: record.verdict.rating,
		originalRating: record.verdict.originalRating,
		headline: record.verdict.headline,
		summary: record.verdict.summary ?? null,
		language: record.verdict.language ?? record.claim.language,
		editorId,
		reviewerId: null,
		supersedesId: null,
		correctionNote: null,
	});
	expect(JSON.parse(verdict?.evidence ?? "")).toEqual(
		record.verdict.url ? [{ url: record.verdict.url, title: record.verdict.headline }] : [],
	);
	// Midnight UTC: in the tests' newsroom zone (Europe/Berlin, vitest.config.ts) the same day too.
	if (record.verdict.publishedAt)
		expect(verdict?.publishedAt).toBe(`${record.verdict.publishedAt}T00:00:00.000Z`);
	expect(claim.status).toBe(record.verdict.rating);
	expect(claim.currentVerdictId).toBe(verdict?.id);
	expect(claim.reviewedAt).toBe(verdict?.publishedAt);
	return claim;
}

/** Imports the records of a mapped fixture, checks every field, then imports them again and finds nothing changed. */
async function importTwice(result: ImportResult) {
	expect(result.records.length).toBeGreaterThan(0);
	const { user, token } = await editor();
	const first = await send(token, result.records);
	expect(first.summary).toEqual({
		created: result.records.length,
		updated: 0,
		unchanged: 0,
		linked: 0,
		rejected: 0,
	});
	for (const [i, record] of result.records.entries()) {
		expect(first.results[i]).toMatchObject({ index: i, status: "created" });
		expect(first.results[i]?.claim).toBe(`http://claimtrack.test/api/v1/claims/${first.results[i]?.claimId}`);
		await expectStored(record, first.results[i]?.claimId, user.id);
	}
	const before = await snapshot();
	const second = await send(token, result.records);
	expect(second.summary).toEqual({
		created: 0,
		updated: 0,
		unchanged: result.records.length,
		linked: 0,
		rejected: 0,
	});
	expect(second.results.map((r) => r.claimId)).toEqual(first.results.map((r) => r.claimId));
	expect(await snapshot()).toEqual(before);
	return first;
}

describe("POST /api/v1/import: ClaimReview in every shape, twice", () => {
	it.each([
		["a single object", singleJson],
		["an array", arrayJson],
		["an @graph", graphJson],
		["a DataFeed", dataFeedJson],
		["an itemReviewed CreativeWork", creativeWorkJson],
		["an HTML page", correctivHtml],
	])("imports %s with every mapped field, and nothing changes the second time", async (_shape, text) => {
		await importTwice(parseClaimReviewDocument(text));
	});

	it("keeps the publisher's rating and scale beside the mapped key", async () => {
		const [record] = parseClaimReviewDocument(singleJson).records;
		if (!record?.verdict) throw new Error("fixture without verdict");
		const { token } = await editor();
		const answer = await send(token, [{ ...record, externalId: `single-${newId()}` }]);
		const claim = await stored(answer.results[0]?.claimId);
		expect(claim.status).toBe("false");
		expect(claim.verdicts[0]?.originalRating).toBe(record.verdict.originalRating);
		expect(record.verdict.originalRating).toMatch(/Pants on Fire/);
	});
});

describe("POST /api/v1/import: delimited files, twice", () => {
	it("imports the LIAR sample with a review URL per row: speakers from slugs, PolitiFact's labels kept", async () => {
		// LIAR itself names no review URL, so no evidence: its verdicts are refused as they are.
		expect(importLiar(liarTsv).records).toEqual([]);
		const records = parseDelimited(liarTsv, { delimiter: "\t", quote: null })
			.map(mapLiarRow)
			.flatMap((outcome) => ("record" in outcome ? [outcome.record] : []))
			.map((record) => ({
				...record,
				verdict: record.verdict && {
					...record.verdict,
					url: `https://www.politifact.example/${record.externalId}`,
				},
			}));
		const first = await importTwice({ records, rejected: [], warnings: [] });
		const obama = records.findIndex((r) => r.speaker?.name === "Barack Obama");
		const claim = await stored(first.results[obama]?.claimId);
		expect(claim.speaker).toMatchObject({ name: "Barack Obama", slug: "barack-obama", kind: "person" });
		expect(claim.speaker?.description).toBe("President, Democrat, Illinois");
		expect(claim.context).toBe("Denver");
		const barely = records.findIndex((r) => r.verdict?.originalRating === "barely-true");
		expect((await stored(first.results[barely]?.claimId)).status).toBe("mostly-false");
	});

	it("imports the CSV fixture through its column mapping", async () => {
		await importTwice(importDelimited(claimsCsv, columnMappingSchema.parse(claimsMapping)));
	});
});

describe("POST /api/v1/import: updates are corrections", () => {
	const record = (overrides: Partial<ImportRecord["verdict"] & object> = {}, externalId = `ext-${newId()}`) =>
		({
			externalId,
			claim: {
				text: `Die Brücke ${externalId} kostete 300 Millionen.`,
				language: "de",
				claimedAt: "2025-07-01",
			},
			speaker: { name: `Bürgermeisterin ${externalId}`, kind: "person" },
			sources: [{ url: `https://news.example/${externalId}?utm_source=x`, title: "Artikel" }],
			verdict: {
				rating: "false",
				originalRating: "Falsch",
				headline: "Die Brücke kostete weniger",
				url: `https://check.example/${externalId}`,
				publishedAt: "2025-07-02",
				...overrides,
			},
		}) satisfies ImportRecord;

	it("publishes a changed rating as a new verdict superseding the old one, and purges the claim's caches", async () => {
		const { token } = await editor();
		const original = record();
		const created = await send(token, [original]);
		const claimId = created.results[0]?.claimId ?? "";
		const old = await stored(claimId);
		const badge = `/badges/${claimId}.svg?style=flat-square&lang=en`;
		expect(await (await call(badge)).text()).toContain("False");
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect((await call(badge)).headers.get("x-edge-cache")).toMatch(/^HIT/);

		const changed = record({ rating: "half-true", originalRating: "Teilweise falsch" }, original.externalId);
		const updated = await send(token, [changed]);
		expect(updated.results[0]).toMatchObject({ status: "updated", claimId, changes: ["verdict"] });
		const claim = await stored(claimId);
		const [first, second] = claim.verdicts;
		expect(first).toMatchObject({ id: old.verdicts[0]?.id, state: "superseded", rating: "false" });
		expect(second).toMatchObject({
			state: "published",
			rating: "half-true",
			originalRating: "Teilweise falsch",
			supersedesId: first?.id,
		});
		expect(second?.correctionNote).toBe(`${IMPORT_CORRECTION_NOTE}: rating false → half-true`);
		expect(claim).toMatchObject({
			status: "half-true",
			currentVerdictId: second?.id,
			version: old.version + 1,
		});

		await new Promise((resolve) => setTimeout(resolve, 50));
		const fresh = await call(badge);
		expect(fresh.headers.get("x-edge-cache")).toBe("MISS");
		expect(await fresh.text()).toContain("Half true");

		const before = await snapshot();
		expect((await send(token, [changed])).results[0]?.status).toBe("unchanged");
		expect(await snapshot()).toEqual(before);
	});

	it("calls a changed headline a correction too, and leaves a desk decision made since alone", async () => {
		const { token } = await editor();
		const original = record();
		const claimId = (await send(token, [original])).results[0]?.claimId ?? "";
		const headline = record({ headline: "Die Brücke kostete 250 Millionen" }, original.externalId);
		expect((await send(token, [headline])).results[0]).toMatchObject({
			status: "updated",
			changes: ["verdict"],
		});
		expect((await stored(claimId)).verdicts.at(-1)?.correctionNote).toBe(
			`${IMPORT_CORRECTION_NOTE}: headline`,
		);

		// The desk corrects the imported verdict; the same import again does not undo that.
		await publish(claimId, "misleading", { correctionNote: "Our own review" });
		const deskVersion = (await stored(claimId)).version;
		expect((await send(token, [headline])).results[0]?.status).toBe("unchanged");
		expect(await stored(claimId)).toMatchObject({ status: "misleading", version: deskVersion });
	});

	it("adds a new appearance and a verdict to a claim that had neither", async () => {
		const { token } = await editor();
		const bare = { ...record(), verdict: null, sources: [] };
		const claimId = (await send(token, [bare])).results[0]?.claimId ?? "";
		expect((await stored(claimId)).status).toBe("unverified");
		const full = record({}, bare.externalId);
		const answer = await send(token, [full]);
		expect(answer.results[0]).toMatchObject({ status: "updated", changes: ["appearance", "verdict"] });
		const claim = await stored(claimId);
		expect(claim.appearances).toMatchObject([
			{ isFirst: true, source: { url: `https://news.example/${bare.externalId}` } },
		]);
		// 2 July in UTC and in the tests' newsroom (Berlin): Google's reviewDate reads the same day.
		expect(claim).toMatchObject({ status: "false", reviewedAt: "2025-07-02T00:00:00.000Z" });
		expect(claim.verdicts).toMatchObject([{ state: "published", supersedesId: null, correctionNote: null }]);
	});

	it("a correction made while an imported verdict's date is still ahead of UTC is its newest version", async () => {
		const { token } = await editor();
		// A newsroom east of UTC imports a check dated its today, which is UTC's tomorrow.
		const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
		const claimId = (await send(token, [record({ publishedAt: tomorrow })])).results[0]?.claimId ?? "";
		await publish(claimId, "misleading", { correctionNote: "Our own review", language: "en" });
		const history = (
			await json<{ history: { state: string; rating: { key: string }; version: number }[] }>(
				await call(`/api/v1/claims/${claimId}`),
			)
		).history;
		// Oldest first, as the API lists a claim's versions.
		expect(history.map((v) => [v.version, v.state, v.rating.key])).toEqual([
			[1, "superseded", "false"],
			[2, "published", "misleading"],
		]);
		// The page lists them newest first.
		const page = await (await call(`/claims/${claimId}?lang=en`)).text();
		const entries = (/<ol class="history">([\s\S]*?)<\/ol>/.exec(page)?.[1] ?? "").split("<li>").slice(1);
		expect(entries).toHaveLength(2);
		expect(entries[0]).toContain("Our own review");
		expect(entries[1]).toContain("Die Brücke kostete weniger");
	});

	it("a review dated tomorrow (the day's grace) is published now, not ahead, and its correction after it", async () => {
		const { token } = await editor();
		const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
		const original = record({ publishedAt: tomorrow });
		const claimId = (await send(token, [original])).results[0]?.claimId ?? "";
		const imported = await stored(claimId);
		const afterImport = new Date().toISOString();
		const publishedAt = imported.verdicts[0]?.publishedAt ?? "~";
		expect(publishedAt <= afterImport, publishedAt).toBe(true);
		expect(imported.reviewedAt).toBe(imported.verdicts[0]?.publishedAt);
		// The publisher's same-day correction.
		const changed = record({ publishedAt: tomorrow, rating: "mostly-false" }, original.externalId);
		expect((await send(token, [changed])).results[0]?.status).toBe("updated");
		const history = (
			await json<{ history: { state: string; publishedAt: string }[] }>(
				await call(`/api/v1/claims/${claimId}`),
			)
		).history;
		expect(history.map((v) => v.state)).toEqual(["superseded", "published"]);
		const [first, correction] = history;
		expect((first?.publishedAt ?? "~") <= (correction?.publishedAt ?? ""), JSON.stringify(history)).toBe(
			true,
		);
		expect((correction?.publishedAt ?? "~") <= new Date().toISOString()).toBe(true);
		// Google's reviewDate is not ahead either.
		const google = await json<{ claims?: { claimReview: { reviewDate?: string }[] }[] }>(
			await call(`/v1alpha1/claims:search?query=${encodeURIComponent(original.externalId)}`),
		);
		const reviews = google.claims?.flatMap((c) => c.claimReview) ?? [];
		expect(reviews).toHaveLength(1);
		expect((reviews[0]?.reviewDate ?? "~") <= new Date().toISOString(), reviews[0]?.reviewDate).toBe(true);
	});

	it("the same record again is unchanged when its verdict was stored raw by an earlier version", async () => {
		const { token } = await editor();
		const original = record({ headline: "Die Brücke kostete\r\nweniger ", summary: " Zwei Zeilen\r\nhier " });
		const claimId = (await send(token, [original])).results[0]?.claimId ?? "";
		// As imports stored text before it was cleaned: line breaks, outer spaces.
		await env.DB.prepare("UPDATE verdicts SET headline = ?, summary = ?, evidence = ? WHERE claim_id = ?")
			.bind(
				"Die Brücke kostete\r\nweniger ",
				" Zwei Zeilen\r\nhier ",
				JSON.stringify([{ url: original.verdict.url.replace("https://", "HTTPS://"), title: "Review" }]),
				claimId,
			)
			.run();
		expect((await send(token, [original])).results[0]?.status).toBe("unchanged");
		expect((await stored(claimId)).verdicts).toHaveLength(1);
	});

	it("a desk draft begun before an import and published after it is the newer version", async () => {
		const { token } = await editor(["import", "claims:write", "verdicts:write", "verdicts:publish"]);
		const original = record();
		const claimId = (await send(token, [{ ...original, verdict: null }])).results[0]?.claimId ?? "";
		const drafted = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claimId}/verdicts`, {
				token,
				body: {
					rating: "misleading",
					headline: "Irreführend",
					evidence: [{ url: "https://evidence.example/a", title: "A" }],
					language: "de",
				},
			}),
		);
		expect((await send(token, [original])).results[0]).toMatchObject({ status: "updated" });
		const published = await apiCall("POST", `/api/v1/verdicts/${drafted.id}/publish`, {
			token,
			body: { version: drafted.version, correctionNote: "Our own review." },
		});
		expect(published.status, await published.clone().text()).toBe(200);
		const history = (
			await json<{ history: { version: number; state: string; rating: { key: string } }[] }>(
				await call(`/api/v1/claims/${claimId}`),
			)
		).history;
		expect(history.map((v) => [v.version, v.state, v.rating.key])).toEqual([
			[1, "superseded", "false"],
			[2, "published", "misleading"],
		]);
	});

	it("a verdict the publisher changes after the desk retracted the imported one is published now", async () => {
		const { token } = await editor();
		const original = record();
		const claimId = (await send(token, [original])).results[0]?.claimId ?? "";
		const imported = (await stored(claimId)).verdicts[0];
		const withdrawn = await retract(imported?.id ?? "", imported?.version ?? 0, "The review was withdrawn.");
		// A public change of the claim while retracted (a speaker's rename): its feed entry's time.
		await new Promise((resolve) => setTimeout(resolve, 5));
		const renamedAt = new Date().toISOString();
		// A rename moves both times (store/public-changes `entryChange`): the entry shows the name.
		await env.DB.prepare("UPDATE claims SET updated_at = ?, changed_at = ? WHERE id = ?")
			.bind(renamedAt, renamedAt, claimId)
			.run();
		const changed = record({ rating: "half-true", originalRating: "Teilweise falsch" }, original.externalId);
		expect((await send(token, [changed])).results[0]).toMatchObject({
			status: "updated",
			changes: ["verdict"],
		});
		const claim = await stored(claimId);
		const latest = claim.verdicts.at(-1);
		expect(latest).toMatchObject({ state: "published", rating: "half-true" });
		// Not the publisher's 2025-07-02: that would date it before the retraction.
		expect((latest?.publishedAt ?? "") > (withdrawn.retractedAt ?? "~"), latest?.publishedAt ?? "").toBe(
			true,
		);
		expect(claim).toMatchObject({ status: "half-true", reviewedAt: latest?.publishedAt });
		const history = (
			await json<{ history: { state: string; rating: { key: string } }[] }>(
				await call(`/api/v1/claims/${claimId}`),
			)
		).history;
		expect(history.map((v) => [v.state, v.rating.key])).toEqual([
			["retracted", "false"],
			["published", "half-true"],
		]);
		// The retracted entry keeps the time it had (store/verdicts `keepWithdrawnEntryTime`).
		expect(claim.verdicts[0]?.updatedAt).toBe(renamedAt);
	});

	it("warns when stored claim fields differ, and keeps the stored claim", async () => {
		const { token } = await editor();
		const original = record();
		await send(token, [original]);
		const answer = await send(token, [
			{ ...original, claim: { ...original.claim, claimedAt: "2025-07-03" } },
		]);
		expect(answer.results[0]).toMatchObject({ status: "unchanged" });
		expect(answer.results[0]?.warnings).toEqual([
			"claim claimedAt differ from the stored claim, which is kept as it is",
		]);
	});
});

describe("claims of one page on separate NDJSON lines", () => {
	it("get ids of their own: the first keeps the page URL, the others a suffix, the same on every run", () => {
		const lines = (page: string) =>
			["A harbour reopened.", "Exports doubled.", "A harbour reopened.", "Rents fell."].map((text) => ({
				externalId: page,
				claim: { text },
			}));
		const run = () => {
			const distinct = streamClaimIds();
			const records = lines("https://check.example/p");
			for (const record of records) distinct(record);
			return records.map((r) => r.externalId);
		};
		const ids = run();
		expect(ids[0]).toBe("https://check.example/p");
		expect(ids[1]).toMatch(/^https:\/\/check\.example\/p#claim-[0-9a-f]{8}$/);
		expect(ids[2]).toBe(ids[0]);
		expect(new Set(ids).size).toBe(3);
		expect(run()).toEqual(ids);
	});
});

describe("POST /api/v1/import: one id, one claim", () => {
	it("refuses a record whose id is another claim's, however often it runs; a reworded one is that claim", async () => {
		const { token } = await editor();
		const page = `https://check.example/two-claims-${newId()}`;
		const claimOf = (text: string, rating: string) => ({
			externalId: page,
			claim: { text, language: "en", claimedAt: "2025-07-01" },
			speaker: null,
			sources: [{ url: `https://news.example/${newId()}`, title: "Article" }],
			verdict: {
				rating,
				originalRating: rating,
				headline: `It is ${rating}`,
				url: page,
				publishedAt: "2025-07-02",
			},
		});
		const first = claimOf(`The harbour at ${uniquePlace()} reopened in May 2025.`, "false");
		const second = claimOf(`Exports from ${uniquePlace()} doubled since 2020.`, "true");
		for (let run = 0; run < 3; run++) {
			const answer = await send(token, [first, second]);
			expect(answer.results[0]?.status).toBe(run === 0 ? "created" : "unchanged");
			expect(answer.results[1]).toMatchObject({ status: "rejected" });
			expect(answer.results[1]?.reason).toMatch(/externalId is that of claim .* give each claim its own id/);
			const claim = await stored(answer.results[0]?.claimId);
			expect(claim.status, `run ${run}`).toBe("false");
		}
		// The publisher fixing a typo in the claim's words is the same claim: its verdict stands.
		const reworded = await send(token, [
			{ ...first, claim: { ...first.claim, text: first.claim.text.replace("reopened", "re-opened") } },
		]);
		expect(reworded.results[0]).toMatchObject({ status: "unchanged" });
	});

	it("takes the publisher's rewording of its claim with their corrected rating, keeping our words and naming both", async () => {
		const { token } = await editor();
		const page = `https://check.example/kursk-${newId()}`;
		const source = `https://news.example/${newId()}`;
		const claimOf = (text: string, rating: string) => ({
			externalId: page,
			claim: { text, language: "de", claimedAt: "2025-07-01" },
			speaker: { name: "Sergej Lawrow", kind: "person" },
			sources: [{ url: source, title: "Artikel" }],
			verdict: {
				rating,
				originalRating: rating,
				headline: `Es ist ${rating}`,
				url: page,
				publishedAt: "2025-07-02",
			},
		});
		const ours = "Lavrov sagte, Kursk sei befreit worden";
		const theirs = "Lawrow sagte, Kursk sei vollständig befreit";
		const first = await send(token, [claimOf(ours, "false")]);
		const claimId = first.results[0]?.claimId;
		// The publisher fixed the name's spelling, reworded the claim and corrected its rating.
		for (let run = 0; run < 2; run++) {
			const answer = await send(token, [claimOf(theirs, "mostly-false")]);
			expect(answer.results[0], `run ${run}`).toMatchObject({
				status: run === 0 ? "updated" : "unchanged",
				claimId,
				...(run === 0 ? { changes: ["verdict"] } : {}),
			});
			expect(answer.results[0]?.warnings).toEqual([
				`the publisher's wording of the claim (“${theirs}”) differs from ours (“${ours}”), which is kept as it is`,
			]);
		}
		const claim = await stored(claimId);
		expect(claim).toMatchObject({ text: ours, status: "mostly-false" });
		// Words our claim matcher does not take for the same claim (another place) stay refused.
		const other = await send(token, [claimOf("Lawrow sagte, Charkiw sei vollständig befreit", "false")]);
		expect(other.results[0]?.status).toBe("rejected");
		expect(other.results[0]?.reason).toBe(
			`its externalId is that of claim ${claimId} (“${ours}”), and its text (“Lawrow sagte, Charkiw sei vollständig befreit”) is not the same claim to our claim matcher: it could be an id reused for another claim. If so, give each claim its own id; if it is the publisher's rewording of this claim, put their words into the claim on the desk (its earlier words stay known to imports)`,
		);
		expect((await stored(claimId)).status).toBe("mostly-false");
	});
});

describe("POST /api/v1/import: a claim stored with the markup of its feed", () => {
	it("is the claim of the same words without it: the clean record is taken, our words kept and both named", async () => {
		const { token } = await editor();
		const place = uniquePlace();
		const page = `https://check.example/markup-${newId()}`;
		const source = `https://news.example/${newId()}`;
		const claimOf = (text: string, rating: string) => ({
			externalId: page,
			claim: { text, language: "de", claimedAt: "2025-07-01" },
			speaker: { name: `Bürgermeister ${place}`, kind: "person" },
			sources: [{ url: source, title: "Artikel" }],
			verdict: {
				rating,
				originalRating: rating,
				headline: `Es ist ${rating}`,
				url: page,
				publishedAt: "2025-07-02",
			},
		});
		// As the CLI mapped a CMS's escaped claimReviewed before it read it as text (f287), and
		// as it maps it now: tags gone (a breaking one a space), references decoded.
		const pairs: [stored: string, clean: string][] = [
			[
				`${place} ist &quot;alles&quot; <em>befreit</em> &amp; sicher`,
				`${place} ist "alles" befreit & sicher`,
			],
			[
				`<p>In ${place} ist &#8222;vollständig&#8220; <strong>befreit</strong>.</p><p>Sagt er.</p>`,
				`In ${place} ist „vollständig“ befreit. Sagt er.`,
			],
			[
				`Die Miete in ${place} stieg um 3&nbsp;<b>Prozent</b>`,
				`Die Miete in ${place} stieg um 3\u00a0Prozent`,
			],
			// A soft hyphen or zero-width space from the CMS: the record's words are cleaned of them.
			[
				`<p>In ${place} ist die Grund&shy;steuer &#8222;voll&#8203;ständig&#8220; <strong>gestrichen</strong>.</p><p>Sagt er.</p>`,
				`In ${place} ist die Grundsteuer „vollständig“ gestrichen. Sagt er.`,
			],
			// A comment is nothing, a line-breaking tag inside it too.
			[
				`Die Steuer<!-- <p>alt</p> --> in ${place} steigt <!-- x -->um 40&nbsp;Prozent`,
				`Die Steuer in ${place} steigt um 40\u00a0Prozent`,
			],
		];
		for (const [i, [ours, clean]] of pairs.entries()) {
			// The clean words are the mapping's reading of ours: one reading of markup for both.
			const mapped = parseClaimReviewDocument(
				JSON.stringify({
					"@type": "ClaimReview",
					url: page,
					claimReviewed: ours,
					reviewRating: { alternateName: "Falsch" },
				}),
			).records[0]?.claim.text;
			expect(mapped, ours).toBe(clean);
			const claim = (text: string, rating: string) => ({
				...claimOf(text, rating),
				externalId: `${page}/${i}`,
			});
			const claimId = (await send(token, [claim(ours, "false")])).results[0]?.claimId;
			for (let run = 0; run < 2; run++) {
				const answer = (await send(token, [claim(clean, "mostly-false")])).results[0];
				expect(answer, `${clean}, run ${run}`).toMatchObject({
					status: run === 0 ? "updated" : "unchanged",
					claimId,
				});
				expect(answer?.warnings).toEqual([
					`the publisher's wording of the claim (“${clean}”) differs from ours (“${ours}”), which is kept as it is`,
				]);
			}
			expect(await stored(claimId)).toMatchObject({ text: ours, status: "mostly-false" });
		}
	});
});

describe("POST /api/v1/import: a review page with several claims", () => {
	/** The page's ClaimReviews as the CLI maps them: one url, each claim's id `<url>#claim-<hash of its words>`. */
	const page = (url: string, place: string, reviews: [claim: string, rating: string, speaker?: string][]) => {
		const { records, rejected } = parseClaimReviewDocument(
			JSON.stringify(
				reviews.map(([claimReviewed, rating, speaker = `Landrätin ${place}`]) => ({
					"@context": "https://schema.org",
					"@type": "ClaimReview",
					url,
					claimReviewed,
					author: { "@type": "Organization", name: "Correctiv" },
					inLanguage: "de",
					headline: `Faktencheck: ${claimReviewed}`,
					datePublished: "2025-07-02",
					reviewRating: { "@type": "Rating", alternateName: rating },
					itemReviewed: {
						"@type": "Claim",
						author: { "@type": "Person", name: speaker },
						appearance: { "@type": "CreativeWork", url: `https://news.example/${place.toLowerCase()}.html` },
					},
				})),
			),
		);
		expect(rejected).toEqual([]);
		return records;
	};
	const claimsOf = async (place: string) =>
		(
			await env.DB.prepare(
				"SELECT c.id, c.text, c.status FROM claims c JOIN speakers s ON s.id = c.speaker_id WHERE s.name = ? ORDER BY c.text",
			)
				.bind(`Landrätin ${place}`)
				.all<{ id: string; text: string; status: string }>()
		).results;

	it.each([
		["Richtig", "Falsch", "false"],
		["Falsch", "Größtenteils falsch", "mostly-false"],
	])(
		"a typo fixed in one claim, its rating corrected (%s → %s), is that claim's correction, not a second claim",
		async (before, after, key) => {
			const { token } = await editor();
			const place = uniquePlace();
			const url = `https://correctiv.example/faktencheck/${place.toLowerCase()}`;
			const typo = `In ${place} fahren seit dem Sommer keine Linienbuse mehr`;
			const fixed = `In ${place} fahren seit dem Sommer keine Linienbusse mehr`;
			const other = `Der Bahnhof in ${place} wird im Jahr 2026 geschlossen`;
			const first = await send(
				token,
				page(url, place, [
					[typo, before],
					[other, "Falsch"],
				]),
			);
			expect(first.results.map((r) => r.status)).toEqual(["created", "created"]);
			const claimId = first.results[0]?.claimId;
			const recorded = await claimsOf(place);

			for (let run = 0; run < 2; run++) {
				const answer = await send(
					token,
					page(url, place, [
						[fixed, after],
						[other, "Falsch"],
					]),
				);
				expect(answer.results[0], `run ${run}`).toMatchObject({
					status: run === 0 ? "updated" : "unchanged",
					claimId,
					...(run === 0 ? { changes: ["verdict"] } : {}),
				});
				expect(answer.results[0]?.warnings, `run ${run}`).toEqual([
					`the publisher's wording of the claim (“${fixed}”) differs from ours (“${typo}”), which is kept as it is`,
				]);
				expect(answer.results[1]).toMatchObject({ status: "unchanged", claimId: first.results[1]?.claimId });
			}
			// One claim of the review, with the publisher's corrected rating: on the lists, the speaker's page and Google's answer.
			expect(await claimsOf(place)).toEqual(
				recorded.map((c) => (c.id === claimId ? { ...c, status: key } : c)),
			);
			const google = await json<{ claims?: { text: string; claimReview: { textualRating: string }[] }[] }>(
				await call(`/v1alpha1/claims:search?query=${place}%20Sommer`),
			);
			expect(google.claims?.map((c) => [c.text, c.claimReview.map((r) => r.textualRating)])).toEqual([
				[typo, [after]],
			]);
		},
	);

	it("a claim of the page in words none of its claims has is recorded, naming those the feed no longer sends for the desk", async () => {
		const { token } = await editor();
		const place = uniquePlace();
		const url = `https://correctiv.example/faktencheck/${place.toLowerCase()}`;
		const buses = `In ${place} fahren seit Mai keine Busse mehr`;
		const station = `Der Bahnhof in ${place} wird im Jahr 2026 geschlossen`;
		const first = await send(
			token,
			page(url, place, [
				[buses, "Falsch"],
				[station, "Falsch"],
			]),
		);
		const busesId = first.results[0]?.claimId;
		// A claim added to the page beside the two: nothing to say.
		const school = `Die Schule in ${place} hat keinen Hausmeister mehr`;
		const added = await send(
			token,
			page(url, place, [
				[buses, "Falsch"],
				[station, "Falsch"],
				[school, "Richtig"],
			]),
		);
		expect(added.results.map((r) => [r.status, r.warnings])).toEqual([
			["unchanged", undefined],
			["unchanged", undefined],
			["created", undefined],
		]);
		// The publisher rewrote the buses claim beyond what our matcher takes for it: a claim of its own, named.
		const rewritten = `Die Buslinie 5 zum Klinikum von ${place} wurde eingestellt`;
		const answer = await send(
			token,
			page(url, place, [
				[rewritten, "Richtig"],
				[station, "Falsch"],
				[school, "Richtig"],
			]),
		);
		expect(answer.results.map((r) => r.status)).toEqual(["created", "unchanged", "unchanged"]);
		expect(answer.results[0]?.warnings).toEqual([
			`its review (${url}) has other claims imported under other ids of its page: ${busesId} (“${buses}”). If this record is one of them in other words, merge the two on the desk`,
		]);
	});

	it("a claim in the same words by another speaker, sent in another request, is that speaker's claim: no verdict turns", async () => {
		const { token } = await editor();
		const place = uniquePlace();
		const url = `https://correctiv.example/faktencheck/${place.toLowerCase()}`;
		const words = `Die Grundsteuer in ${place} steigt im Jahr 2026 um 40 Prozent`;
		const [landrat, mayor] = page(url, place, [
			[words, "Falsch", `Landrat ${place}`],
			[words, "Richtig", `Bürgermeisterin ${place}`],
		]);
		expect(mayor?.externalId).toBe(`${landrat?.externalId}-2`);
		const verdictsOf = async () =>
			(
				await env.DB.prepare(
					"SELECT s.name, c.status, (SELECT count(*) FROM verdicts v WHERE v.claim_id = c.id) AS verdicts FROM claims c JOIN speakers s ON s.id = c.speaker_id WHERE c.text = ? ORDER BY s.name",
				)
					.bind(words)
					.all<{ name: string; status: string; verdicts: number }>()
			).results;
		// The CLI sends 200 records a request: the page's two claims may come in two.
		for (let run = 0; run < 2; run++) {
			const first = (await send(token, [landrat])).results[0];
			const second = (await send(token, [mayor])).results[0];
			expect([first?.status, second?.status], `run ${run}`).toEqual(
				run === 0 ? ["created", "created"] : ["unchanged", "unchanged"],
			);
			expect(second?.claimId, `run ${run}`).not.toBe(first?.claimId);
			// The request is the horizon: the Landrat's claim, not sent in it, is named for the desk.
			expect(second?.warnings, `run ${run}`).toEqual(
				run === 0
					? [
							`its review (${url}) has other claims imported under other ids of its page: ${first?.claimId} (“${words}”). If this record is one of them in other words, merge the two on the desk`,
						]
					: undefined,
			);
		}
		expect(await verdictsOf()).toEqual([
			{ name: `Bürgermeisterin ${place}`, status: "true", verdicts: 1 },
			{ name: `Landrat ${place}`, status: "false", verdicts: 1 },
		]);
	});
});

describe("POST /api/v1/import: an id not seen before", () => {
	it("is the claim the desk recorded with the same quote and speaker, not a second one", async () => {
		const { token } = await editor();
		const desk = await makeClaim({ text: `Der Hafen von ${uniquePlace()} ist seit Mai 2025 wieder offen.` });
		const answer = await send(token, [
			{
				externalId: `https://check.example/${newId()}`,
				claim: { text: desk.text, language: "de" },
				speaker: { name: desk.speaker?.name ?? "", kind: "person" },
				sources: [{ url: `https://news.example/${newId()}`, title: "Artikel" }],
				verdict: null,
			},
		]);
		expect(answer.results[0]).toMatchObject({ status: "updated", claimId: desk.id, changes: ["appearance"] });
	});

	it("is the claim a page's id had before the page gained a second review: a retraction stays", async () => {
		const { token } = await editor();
		const page = `https://check.example/${newId()}`;
		const record = {
			externalId: page,
			claim: { text: `The harbour at ${uniquePlace()} reopened in May 2025.`, language: "en" },
			speaker: null,
			sources: [{ url: `https://news.example/${newId()}`, title: "Article" }],
			verdict: {
				rating: "false",
				originalRating: "False",
				headline: "It did not",
				url: page,
				publishedAt: "2025-07-02",
			},
		};
		const first = await send(token, [record]);
		const claimId = first.results[0]?.claimId;
		const published = (await stored(claimId)).verdicts.find((v) => v.state === "published");
		if (!published) throw new Error("not published");
		await retract(published.id, published.version);
		const again = await send(token, [{ ...record, externalId: `${page}#claim-0a1b2c3d` }]);
		expect(again.results[0]).toMatchObject({ status: "unchanged", claimId });
		expect((await stored(claimId)).status).toBe("retracted");
	});
});

describe("POST /api/v1/import: a merged duplicate's words", () => {
	/** A duplicate merged into `kept` over HTTP, as the desk does it. */
	async function mergeInto(duplicateId: string, keptId: string) {
		const { token } = await editor(["claims:write"]);
		const merged = await apiCall("POST", `/api/v1/claims/${duplicateId}/merge`, {
			token,
			body: { into: keptId, version: (await stored(duplicateId)).version, note: "Recorded twice." },
		});
		expect(merged.status, await merged.clone().text()).toBe(200);
	}
	const record = (text: string, speaker: string) => ({
		claim: { text, language: "de", claimedAt: "2025-07-12" },
		speaker: { name: speaker, kind: "person" },
		sources: [{ url: `https://other.example/${newId()}`, title: "Bericht" }],
		verdict: null,
	});
	const speakersNamed = async (name: string) =>
		(
			await env.DB.prepare("SELECT count(*) AS n FROM speakers WHERE name = ?")
				.bind(name)
				.first<{ n: number }>()
		)?.n;

	it("by the duplicate's misspelled speaker, whom the merge took off the pages, is the claim kept", async () => {
		const { token } = await editor();
		const town = uniquePlace();
		const kept = await makeClaim({
			text: `Die Fähre nach ${town} fährt seit Mai nicht mehr.`,
			speaker: { name: `Ratsherr ${town}` },
		});
		// The same quote again, under a misspelling of the speaker's name: a speaker of its own.
		const misspelled = `Ratsher ${town}`;
		const duplicate = await makeClaim({
			text: `Der Fährbetrieb nach ${town} wurde eingestellt.`,
			speaker: { name: misspelled },
		});
		await mergeInto(duplicate.id, kept.id);
		// Named by no claim now, that speaker went with the merge.
		expect(await speakersNamed(misspelled)).toBe(0);

		const answer = await send(token, [record(duplicate.text, misspelled)]);
		expect(answer.results).toMatchObject([{ status: "linked", claimId: kept.id }]);
		expect(await speakersNamed(misspelled)).toBe(0);
	});

	it("by the speaker the duplicate's speaker was merged into, is the claim kept", async () => {
		const { token } = await editor();
		const { token: writer } = await editor(["claims:write"]);
		const town = uniquePlace();
		const kept = await makeClaim({ text: `Die Fähre nach ${town} fährt nicht mehr.` });
		const duplicate = await makeClaim({
			text: `Der Fährbetrieb nach ${town} ist eingestellt.`,
			speaker: { name: `R. ${town}` },
		});
		// Another claim keeps the duplicate's speaker on the pages through the claim merge.
		await makeClaim({ speaker: { id: duplicate.speakerId ?? "" } });
		await mergeInto(duplicate.id, kept.id);
		const survivor = await makeClaim({ speaker: { name: `Rolf ${town}` } });
		const speakerMerged = await apiCall("POST", `/api/v1/speakers/${duplicate.speaker?.slug}/merge`, {
			token: writer,
			body: { into: survivor.speaker?.slug },
		});
		expect(speakerMerged.status, await speakerMerged.clone().text()).toBe(200);
		const row = await env.DB.prepare("SELECT speaker_id AS speaker FROM retired_claims WHERE id = ?")
			.bind(duplicate.id)
			.first<{ speaker: string }>();
		expect(row?.speaker).toBe(survivor.speakerId);

		const answer = await send(token, [record(duplicate.text, `Rolf ${town}`)]);
		expect(answer.results).toMatchObject([{ status: "linked", claimId: kept.id }]);
	});
});

describe("POST /api/v1/import: matching speakers and sources", () => {
	it("finds a known speaker by another spelling and keeps the spelling as an alias", async () => {
		const tag = newId().replace(/\d/g, "").slice(0, 6) || "x";
		const known = await makeClaim({ speaker: { name: `Sergei Lawrow${tag}`, aliases: [] } });
		const { token } = await editor();
		const text = (n: number) => `Die Lage ${newId()} ist ${n} stabil.`;
		const answer = await send(token, [
			{
				claim: { text: text(1), language: "de" },
				speaker: { name: `Sergej Lawrow${tag}`, kind: "person" },
				sources: [],
				verdict: null,
			},
			{
				claim: { text: text(2), language: "de" },
				speaker: { name: `SERGEJ LAWROW${tag}`, kind: "person" },
				sources: [],
				verdict: null,
			},
			{
				claim: { text: text(3), language: "de" },
				speaker: { name: `Lawrow${tag}`, kind: "person" },
				sources: [],
				verdict: null,
			},
		]);
		expect(answer.summary.created).toBe(3);
		for (const result of answer.results)
			expect((await stored(result.claimId)).speakerId).toBe(known.speakerId);
		const speaker = (await stored(answer.results[0]?.claimId)).speaker;
		// One new spelling: upper case folds to the same one, and a surname alone is no alias.
		expect(speaker?.aliases).toEqual([`Sergej Lawrow${tag}`]);
		// …and a new version: an edit from a form read before the import is a 409, not a save
		// that drops the spelling.
		expect(speaker?.version).toBe((known.speaker?.version ?? 0) + 1);
		// The new spelling finds the speaker's claims, the one recorded before the import too.
		const found = await json<{ data: { id: string }[] }>(
			await call(`/api/v1/claims?q=${encodeURIComponent(`"Sergej Lawrow${tag}"`)}`),
		);
		expect(found.data.map((c) => c.id)).toContain(known.id);
	});

	it("creates an unknown speaker once, even when a batch names them in two spellings", async () => {
		const tag = newId().replace(/\d/g, "").slice(0, 6) || "x";
		const { token } = await editor();
		const answer = await send(token, [
			{
				claim: { text: `Erster Satz ${tag}.`, language: "de" },
				speaker: { name: `Dmitrij Neu${tag}`, kind: "person" },
				sources: [],
				verdict: null,
			},
			{
				claim: { text: `Zweiter Satz ${tag}.`, language: "de" },
				speaker: { name: `Dmitri Neu${tag}`, kind: "person" },
				sources: [],
				verdict: null,
			},
		]);
		const [a, b] = await Promise.all(answer.results.map((r) => stored(r.claimId)));
		expect(a?.speakerId).toBe(b?.speakerId);
		expect([a?.speaker?.name, ...(a?.speaker?.aliases ?? [])].sort()).toEqual([
			`Dmitri Neu${tag}`,
			`Dmitrij Neu${tag}`,
		]);
	});

	it("matches sources by canonical URL and merges a quote repeated without an id", async () => {
		const { token } = await editor();
		const known = await makeClaim({ sourceUrl: `https://news.example/${newId()}` });
		const url = known.appearances[0]?.source.url ?? "";
		const speaker = { name: `Sprecherin ${newId()}`, kind: "person" as const };
		const text = `„Der Hafen ${newId()} ist offen“, sagte sie.`;
		const answer = await send(token, [
			{
				claim: { text, language: "de" },
				speaker,
				sources: [{ url: `${url}?utm_source=feed#top` }],
				verdict: null,
			},
			// Same quote, other quote marks, another source: one claim with two appearances.
			{
				claim: { text: text.replace(/[„“]/g, '"'), language: "de" },
				speaker,
				sources: [{ url: `https://other.example/${newId()}` }],
				verdict: null,
			},
		]);
		expect(answer.results.map((r) => r.status)).toEqual(["created", "updated"]);
		expect(answer.results[1]?.changes).toEqual(["appearance"]);
		const claim = await stored(answer.results[0]?.claimId);
		expect(answer.results[1]?.claimId).toBe(claim.id);
		expect(claim.appearances.map((a) => [a.sourceId === known.appearances[0]?.sourceId, a.isFirst])).toEqual([
			[true, true],
			[false, false],
		]);
		const again = await send(token, [
			{ claim: { text, language: "de" }, speaker, sources: [{ url }], verdict: null },
		]);
		expect(again.results[0]).toMatchObject({ status: "unchanged", claimId: claim.id });
	});
});

describe("POST /api/v1/import: nothing the desk would refuse", () => {
	const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
	const record = (tag: string, verdict: Partial<ImportRecord["verdict"] & object> | null = {}) =>
		({
			externalId: `desk-rules-${tag}-${newId()}`,
			claim: { text: `Die Steuer ${tag} ${newId()} sinkt.`, language: "de" },
			speaker: null,
			sources: [{ url: `https://news.example/${newId()}` }],
			verdict:
				verdict === null
					? null
					: {
							rating: "false",
							originalRating: "Falsch",
							headline: "Sie sinkt nicht",
							url: `https://check.example/${newId()}`,
							...verdict,
						},
		}) satisfies ImportRecord;

	it("refuses dates in the future, with a day's grace for clocks ahead of UTC", async () => {
		const { token } = await editor();
		const before = await snapshot();
		const future = await send(token, [
			{ ...record("claimed"), claim: { ...record("claimed").claim, claimedAt: "2999-01-01" } },
			record("reviewed", { publishedAt: "2999-01-01" }),
			{ ...record("source"), sources: [{ url: `https://news.example/${newId()}`, publishedAt: day(2) }] },
		]);
		expect(future.results.map((r) => [r.status, r.reason])).toEqual([
			["rejected", "claim.claimedAt: This date is in the future."],
			["rejected", "verdict.publishedAt: This date is in the future."],
			["rejected", "sources.0.publishedAt: This date is in the future."],
		]);
		expect(await snapshot()).toEqual(before);

		const tomorrow = record("tomorrow", { publishedAt: day(1) });
		const accepted = await send(token, [{ ...tomorrow, claim: { ...tomorrow.claim, claimedAt: day(0) } }]);
		expect(accepted.results[0]?.status).toBe("created");
	});

	it("publishes no verdict without an http(s) review URL, its evidence; a claim alone needs none", async () => {
		const { token } = await editor();
		const before = await snapshot();
		const answer = await send(token, [
			record("no-url", { url: undefined }),
			record("javascript", { url: "javascript:alert(1)" }),
			record("data", { url: "data:text/html,<script>alert(1)</script>" }),
		]);
		expect(answer.results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
		for (const result of answer.results) expect(result.reason).toMatch(/^verdict\.url: /);
		expect(await snapshot()).toEqual(before);

		const claimOnly = await send(token, [{ ...record("claim-only", null), sources: [] }]);
		expect(claimOnly.results[0]?.status).toBe("created");
		const withUrl = await send(token, [record("with-url")]);
		expect(withUrl.results[0]?.status).toBe("created");
		const claim = await stored(withUrl.results[0]?.claimId);
		expect(JSON.parse(claim.verdicts[0]?.evidence ?? "[]")).toHaveLength(1);
	});

	it("refuses the same in the store, whoever calls it", async () => {
		const report = await importRecords(testDb(), { userId: null, label: "test-import" }, [
			record("store-no-url", { url: undefined }),
			record("store-future", { publishedAt: "2999-12-31" }),
			record("store-ok"),
		]);
		expect(report.outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "created"]);
		expect(report.outcomes[0]?.reason).toMatch(/^verdict\.url: /);
		expect(report.outcomes[1]?.reason).toBe("verdict.publishedAt: This date is in the future.");
	});

	it("refuses what the CLI maps from a ClaimReview dated 2999 or linked with javascript:", async () => {
		const review = (url: string, date: string) =>
			JSON.stringify({
				"@context": "https://schema.org",
				"@type": "ClaimReview",
				url,
				datePublished: date,
				claimReviewed: `Ein Satz ${newId()}.`,
				itemReviewed: { "@type": "Claim", datePublished: date },
				reviewRating: { "@type": "Rating", alternateName: "Falsch" },
			});
		// The CLI validates what it maps with the Worker's schema, so it rejects them before sending.
		const future = parseClaimReviewDocument(review(`https://check.example/${newId()}`, "2999-01-01"));
		expect(future.records).toEqual([]);
		expect(future.rejected.map((r) => r.reason)).toEqual(["claim.claimedAt: This date is in the future."]);
		const script = parseClaimReviewDocument(review("javascript:alert(1)", "2025-01-01"));
		expect(script.records).toEqual([]);
		expect(script.rejected[0]?.reason).toMatch(/^verdict\.url: A verdict is published only with evidence/);
		expect(script.warnings.map((w) => w.message)).toEqual([
			'url: "javascript:alert(1)" is not an http(s) URL, left out',
		]);
	});
});

/*
 * A review published at 00:30 on Saturday 12 July 2025 in Berlin (the tests' newsroom), by a
 * CMS that writes every time in UTC (WordPress/Yoast: "2025-07-11T22:30:00+00:00"). Mapped
 * to its UTC date by the CLI, it read "Checked by … · 11 July 2025" on the page and Google's
 * reviewDate was the 11th; the same instant written "+02:00" was the 12th (s33 h334).
 */
describe("POST /api/v1/import: a date written in UTC", () => {
	const yoastReview = (place: string, url: string) =>
		JSON.stringify({
			"@context": "https://schema.org",
			"@type": "ClaimReview",
			url,
			datePublished: "2025-07-11T22:30:00+00:00",
			author: { "@type": "Organization", name: "Mitternachtscheck" },
			claimReviewed: `Das Stadion in ${place} kostet die Stadt keinen Euro.`,
			itemReviewed: {
				"@type": "Claim",
				// Said at 00:10 on 12 July in Berlin, written in UTC.
				datePublished: "2025-07-11T22:10:00Z",
				author: { "@type": "Person", name: `Bürgermeister von ${place}` },
				appearance: {
					"@type": "CreativeWork",
					url: `https://news.example/${place}`,
					// 23:55 on 11 July in Berlin: still that day.
					datePublished: "2025-07-11T21:55:00-00:00",
				},
			},
			reviewRating: { "@type": "Rating", alternateName: "Falsch" },
			inLanguage: "de",
		});

	it("is dated by the newsroom's day of that instant on the page, in the API and for Google, as the CLI sends it", async () => {
		const { token } = await editor();
		const place = uniquePlace();
		const url = `https://check.example/2025/07/12/${place}`;
		// The CLI's mapping knows no zone: it sends the UTC times as they are, the server dates them.
		const mapped = parseClaimReviewDocument(yoastReview(place, url));
		expect(mapped.rejected).toEqual([]);
		const [record] = mapped.records;
		expect(record?.verdict?.publishedAt).toBe("2025-07-11T22:30:00.000Z");
		expect(record?.claim.claimedAt).toBe("2025-07-11T22:10:00.000Z");
		const answer = await send(token, mapped.records);
		expect(answer.results[0]).toMatchObject({ status: "created" });
		const claimId = answer.results[0]?.claimId ?? "";

		const claim = await stored(claimId);
		expect(claim.claimedAt).toBe("2025-07-12");
		expect(claim.appearances[0]?.source.publishedAt).toBe("2025-07-11");
		// Midnight UTC of the 12th: the 12th in UTC and in Berlin (store/imports publishedTimestamp).
		expect(claim.verdicts[0]?.publishedAt).toBe("2025-07-12T00:00:00.000Z");
		const page = await (await call(`/claims/${claimId}?lang=de`)).text();
		const byline = (/<p class="meta byline">([\s\S]*?)<\/p>/.exec(page)?.[1] ?? "").replace(/<[^>]+>/g, "");
		expect(byline).toBe("Geprüft von Mitternachtscheck · 12. Juli 2025");
		const google = await json<{ claims?: { claimDate?: string; claimReview: { reviewDate?: string }[] }[] }>(
			await call(`/v1alpha1/claims:search?query=${encodeURIComponent(place)}`),
		);
		expect(google.claims?.[0]?.claimReview[0]?.reviewDate?.slice(0, 10)).toBe("2025-07-12");

		// The same file again changes nothing: the claim's day compares as stored.
		expect((await send(token, mapped.records)).results[0]).toMatchObject({ status: "unchanged" });
	});

	it("a record's own timestamp: one in UTC is the newsroom's day, one with a local offset the publisher's, a day a day", async () => {
		const { token } = await editor();
		const place = uniquePlace();
		const sent = (claimedAt: string, externalId = `utc-${newId()}`) => ({
			externalId,
			claim: { text: `In ${place} fährt ab ${externalId} kein Bus mehr.`, language: "de", claimedAt },
			speaker: null,
			sources: [{ url: `https://news.example/${externalId}`, publishedAt: claimedAt }],
			verdict: null,
		});
		const records = [
			sent("2025-07-11T22:30:00Z"),
			sent("2025-07-11T22:30:00+00:00"),
			sent("2025-07-11T22:30:00-00:00"),
			sent("2025-07-12T00:30:00+02:00"),
			// 23:30 in New York on the 12th: its publisher's day, though it is the 13th in Berlin.
			sent("2025-07-12T23:30:00-04:00"),
			// An old file's day stays that day.
			sent("2025-07-12"),
		];
		const answer = await send(token, records);
		expect(answer.results.map((r) => r.status)).toEqual(records.map(() => "created"));
		for (const result of answer.results) {
			const claim = await stored(result.claimId);
			expect([claim.claimedAt, claim.appearances[0]?.source.publishedAt]).toEqual([
				"2025-07-12",
				"2025-07-12",
			]);
		}
		// A time in the future is refused as a day in the future is.
		const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
		expect((await send(token, [sent(future)])).results[0]?.reason).toBe(
			"claim.claimedAt: This date is in the future.",
		);
		// A time without its offset, or without seconds, is refused saying what is taken; so is an
		// offset without its colon (PHP's DATE_ISO8601, Python's %z), a lowercase t or z and a
		// space for the T, which RFC 3339 allows: the reason names the form read, not "RFC 3339"
		// (s35 r352).
		for (const unreadable of [
			"2025-07-11T22:30:00",
			"2025-07-11T22:30Z",
			"11.07.2025",
			"2025-07-11T22:30:00+0200",
			"2025-07-11 22:30:00Z",
			"2025-07-11t22:30:00z",
		])
			expect((await send(token, [sent(unreadable)])).results[0]?.reason, unreadable).toBe(
				"claim.claimedAt: must be a day (YYYY-MM-DD) or a timestamp with seconds and an offset written Z or ±hh:mm, as in 2025-07-11T22:30:00Z or 2025-07-11T22:30:00+02:00",
			);
		// The API description says how a timestamp is dated.
		const described = JSON.stringify(await json(await call("/api/v1/openapi.json")));
		expect(described).not.toContain("RFC 3339");
		expect(described).toContain(
			"a timestamp with seconds and an offset written Z or ±hh:mm (2025-07-11T22:30:00+02:00), dated by the server",
		);
		expect(described).toContain("dated by the server: one written in UTC (Z, +00:00) by the newsroom's day");
	});
});

describe("POST /api/v1/import: bad input", () => {
	it("cleans text as the desk does: NFC and trimmed, a bidi override or control character refused", async () => {
		const { token } = await editor();
		const id = newId();
		const record = (text: string, headline = "Nein") => ({
			claim: { text, language: "de" },
			speaker: null,
			sources: [],
			verdict: {
				rating: "false",
				originalRating: "Falsch",
				headline,
				url: `https://check.example/${newId()}`,
			},
		});
		const answer = await send(token, [
			record(`  Das Cafe\u0301 ${id} ist geschlossen.  `),
			record(`Umgekehrt \u202E${id}`),
			record(`Klingel ${id}\u0007`),
			record(`Sauber ${id}`, "Titel\u202E"),
		]);
		expect(answer.results.map((r) => r.status)).toEqual(["created", "rejected", "rejected", "rejected"]);
		expect(answer.results[1]?.reason).toMatch(/^claim\.text: /);
		expect(answer.results[3]?.reason).toMatch(/^verdict\.headline: /);
		expect((await stored(answer.results[0]?.claimId)).text).toBe(`Das Caf\u00e9 ${id} ist geschlossen.`);
	});

	/*
	 * Cleaning composes text (NFC), which ICU does in CPU quadratic in a run of combining marks:
	 * each of these claims took some 0.7 s in workerd, so this batch over a minute. Stream-safe
	 * first (domain/stream-safe), it is composed 30 marks at a time. Not timed (no timing in
	 * tests): the test's limit is what a return of the quadratic cost would meet.
	 */
	it("cleans a batch of claims that are a letter and 19,999 combining marks each in time linear in it", {
		timeout: 30_000,
	}, async () => {
		const { token } = await editor();
		const marks = (n: number) =>
			`${"\u0301".repeat(n / 3)}${"\u0323".repeat(n / 3)}${"\u0334".repeat(n - 2 * Math.floor(n / 3))}`;
		const record = (text: string) => ({
			claim: { text, language: "de" },
			speaker: null,
			sources: [],
			verdict: null,
		});
		const fits = `Der Satz ${newId()} ist a${marks(9_000)} wahr.`;
		const answer = await send(token, [
			...Array.from({ length: 119 }, () => record(`a${marks(19_999)}`)),
			record(fits),
		]);
		expect(answer.results.slice(0, 119).map((r) => r.reason)).toEqual(
			Array(119).fill("claim.text: Use at most 10,000 characters."),
		);
		// Within the field's maximum, it is stored with a grapheme joiner after every 30th mark.
		expect(answer.results[119]).toMatchObject({ status: "created" });
		const text = (await stored(answer.results[119]?.claimId)).text;
		expect(text.replaceAll("\u034F", "")).toHaveLength(fits.length - 1);
		expect(text.split("\u034F")).toHaveLength(9_000 / 30);
		expect(/(?:(?!\u034F)\p{M}){31}/u.test(text)).toBe(false);
	});

	it("takes a claim at its maximum in Korean written decomposed (NFD: 3 jamo a syllable), stored composed", async () => {
		const { token } = await editor();
		const text = `${newId()} ${"한국말글값닭".repeat(2_000)}`.slice(0, 10_000).normalize("NFD");
		expect(text.length).toBeGreaterThan(29_000);
		const answer = await send(token, [
			{ claim: { text, language: "ko" }, speaker: null, sources: [], verdict: null },
		]);
		expect(answer.results[0], answer.results[0]?.reason).toMatchObject({ status: "created" });
		expect((await stored(answer.results[0]?.claimId)).text).toBe(text.normalize("NFC"));
	});

	it("rejects bad records one by one with the reason, and stores the rest", async () => {
		const { token } = await editor();
		const id = newId();
		const good = (n: number, rating = "false") => ({
			externalId: `bad-${id}-${n}`,
			claim: { text: `Satz ${id} ${n}.`, language: "de" },
			speaker: null,
			sources: [{ url: "http://localhost/not-public" }, { url: `https://bad.example/${id}/${n}` }],
			verdict: { rating, originalRating: rating, headline: "Nein", url: `https://check.example/${id}-${n}` },
		});
		const answer = await send(token, [
			good(1),
			{ claim: { text: "   ", language: "de" }, speaker: null, sources: [], verdict: null },
			{ ...good(2), verdict: { rating: "maybe", originalRating: "Maybe", headline: "?" } },
			good(1, "true"),
			{ ...good(3), speaker: { name: "!!!", kind: "person" } },
			good(4),
		]);
		expect(answer.results.map((r) => r.status)).toEqual([
			"created",
			"rejected",
			"rejected",
			"rejected",
			"rejected",
			"created",
		]);
		expect(answer.results[1]?.reason).toMatch(/^claim\.text: /);
		expect(answer.results[2]?.reason).toMatch(/^verdict\.rating: /);
		expect(answer.results[3]?.reason).toBe("same claim as record 0 of this batch, with a different verdict");
		expect(answer.results[4]?.reason).toBe("speaker.name: has no letters or digits");
		// A URL the source table refuses is left out with a warning, not the whole record.
		expect(answer.results[0]?.warnings?.[0]).toMatch(/^sources\.0\.url: /);
		expect(answer.summary).toEqual({ created: 2, updated: 0, unchanged: 0, linked: 0, rejected: 4 });
	});

	it("refuses a new claim whose every source is unusable, naming each, instead of recording it without one", async () => {
		const { token } = await editor();
		const id = newId();
		const record = (sources: { url: string }[], rating = "false") => ({
			externalId: `nosource-${id}`,
			claim: { text: `Quelle ${id} fehlt.`, language: "de" },
			speaker: null,
			sources,
			verdict: {
				rating,
				originalRating: rating,
				headline: "Nein",
				url: `https://check.example/${id}/${rating}`,
			},
		});
		const secret = `https://user:geheim@news.example/${id}`;
		const before = await snapshot();
		const refused = await send(token, [record([{ url: secret }, { url: "http://localhost/intern" }])]);
		expect(refused.results[0]).toMatchObject({ status: "rejected" });
		expect(refused.results[0]?.reason).toMatch(
			/^sources\.0\.url: The address must not contain a user name or password\. sources\.1\.url: .+ The claim would be recorded without the source it appeared in/,
		);
		expect(await snapshot()).toEqual(before);
		// With one usable source it is recorded there, the other left out with a warning.
		const created = await send(token, [record([{ url: secret }, { url: `https://news.example/${id}` }])]);
		expect(created.results[0]).toMatchObject({ status: "created" });
		expect(created.results[0]?.warnings?.[0]).toMatch(/^sources\.0\.url: /);
		const claim = await stored(created.results[0]?.claimId);
		expect(claim.appearances.map((a) => a.source.url)).toEqual([`https://news.example/${id}`]);
		// A record of that claim keeps its appearances: its unusable source is left out, its verdict applied.
		const again = await send(token, [record([{ url: secret }], "true")]);
		expect(again.results[0]).toMatchObject({ status: "updated", changes: ["verdict"] });
	});

	it("answers problems for a broken envelope, a missing token, a missing scope and a checker", async () => {
		const { token } = await editor();
		const empty = await apiCall("POST", "/api/v1/import", { token, body: { records: [] } });
		expect(empty.status).toBe(422);
		expect(empty.headers.get("content-type")).toMatch(/problem\+json/);
		const notJson = await call("/api/v1/import", {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: "{not json",
		});
		expect(notJson.status).toBeGreaterThanOrEqual(400);
		expect(notJson.status).toBeLessThan(500);
		const record = { claim: { text: "x", language: "en" }, speaker: null, sources: [], verdict: null };
		expect((await apiCall("POST", "/api/v1/import", { body: { records: [record] } })).status).toBe(401);
		const unscoped = await editor(["claims:write"]);
		const { user } = await makeUser("checker");
		const checker = await apiToken(user, ["import"]);
		const before = await snapshot();
		expect(
			(await apiCall("POST", "/api/v1/import", { token: unscoped.token, body: { records: [record] } }))
				.status,
		).toBe(403);
		expect(
			(await apiCall("POST", "/api/v1/import", { token: checker.token, body: { records: [record] } })).status,
		).toBe(403);
		expect(await snapshot()).toEqual(before);
	});

	it("is documented with its scope", async () => {
		const doc = await json<{ paths: Record<string, Record<string, { security?: { bearer: string[] }[] }>> }>(
			await call("/api/v1/openapi.json"),
		);
		expect(doc.paths["/api/v1/import"]?.post?.security).toEqual([{ bearer: ["import"] }]);
	});
});

const countedImport = (token: string, records: unknown[], refuses?: (value: unknown) => boolean) =>
	importCountingQueries<ImportAnswer>(token, records, refuses);

describe("POST /api/v1/import: a full batch within D1's queries per request", () => {
	it("matches and stores 500 records in under 100 D1 queries (3 a record before)", {
		timeout: 120_000,
	}, async () => {
		const { token } = await editor();
		const tag = newId();
		const records = Array.from({ length: 500 }, (_, i) => ({
			externalId: `q-${tag}-${i}`,
			claim: {
				text: `Der Hafen ${tag} von Wonsan wurde ${i} Mal wiedereröffnet, sagte der Minister.`,
				language: "de",
			},
			speaker: { name: `Minister ${i % 7} ${tag.slice(0, 4)}`, kind: "person" },
			sources: [{ url: `https://q.example/${tag}/${i}` }],
			verdict: {
				rating: "false",
				originalRating: "Falsch",
				headline: `Check ${i}`,
				url: `https://q.example/${tag}/check/${i}`,
			},
		}));
		for (const round of ["first", "again"]) {
			const { response, answer, queries } = await countedImport(token, records);
			expect(response.status, round).toBe(200);
			expect(answer.summary, round).toMatchObject(
				round === "first" ? { created: 500, rejected: 0 } : { unchanged: 500, rejected: 0 },
			);
			expect(queries, round).toBeLessThan(100);
		}
	});
});

describe("POST /api/v1/import: records without external ids", () => {
	it("stores 120 in one batch: their quote-and-speaker guard is one statement (an OR of 50 passed D1's expression depth)", {
		timeout: 60_000,
	}, async () => {
		const { token } = await editor();
		const tag = newId();
		// Words no other claim uses, and no digits in them: "6ab3" would read as the numbers 6
		// and 3, and the claim matcher would link "route 6 …" to "route 116 …" (a number only
		// one side adds to a shared one is an aside to it, domain/claim-matching).
		const word = uniquePlace();
		const records = Array.from({ length: 120 }, (_, i) => ({
			claim: { text: `Ferry route ${i} ${word} carried grain through the strait at night.`, language: "en" },
			speaker: { name: `Minister ${word}`, kind: "person" },
			sources: [{ url: `https://k.example/${tag}/${i}` }],
			verdict: null,
		}));
		for (const round of ["first", "again"]) {
			const { response, answer } = await countedImport(token, records);
			expect(response.status, round).toBe(200);
			expect(answer.summary, round).toMatchObject(
				round === "first" ? { created: 120, rejected: 0 } : { unchanged: 120, rejected: 0 },
			);
		}
	});
});

describe("POST /api/v1/import: a record the database refuses", () => {
	it("is found in halves and rejected alone; the other 299 are stored (133 D1 queries; one by one took 1,537)", {
		timeout: 120_000,
	}, async () => {
		const { token } = await editor();
		const tag = newId();
		const marker = `refuse-${tag}`;
		const records = Array.from({ length: 300 }, (_, i) => ({
			externalId: `r-${tag}-${i}`,
			claim: { text: `Claim ${i} ${i === 217 ? marker : tag} about the harbour of Wonsan.`, language: "en" },
			speaker: null,
			sources: [{ url: `https://r.example/${tag}/${i}` }],
			verdict: null,
		}));
		const { response, answer, queries } = await countedImport(
			token,
			records,
			(value) => typeof value === "string" && value.includes(marker),
		);
		expect(response.status).toBe(200);
		expect(answer.summary).toMatchObject({ created: 299, rejected: 1 });
		expect(answer.results[217]).toMatchObject({ status: "rejected" });
		expect(answer.results[217]?.reason).toContain("refused by the database");
		expect(answer.results.filter((r) => r.status === "created").map((r) => r.index)).toEqual(
			records.map((_, i) => i).filter((i) => i !== 217),
		);
		// Halves of halves: 9 levels of two batches each, not 300 imports of one.
		expect(queries).toBeLessThan(250);
	});
});

/**
 * The real D1 for an import: a batch holding a value `refuses` names fails as a CHECK does
 * (as countingD1 makes it), and `race` runs once around the `at`-th batch that inserts claims
 * (the whole batch is the first, its halves the next): a token revoked between them. From the
 * `contendedFrom`-th such batch on, every one fails as another writer's row would make it.
 */
function importRacingD1(
	refuses: (value: unknown) => boolean,
	at: number,
	when: "before" | "after",
	race: () => Promise<unknown>,
	contendedFrom = Number.POSITIVE_INFINITY,
	/** What a batch inserting claims fails with from `contendedFrom` on: a lost race, or an outage. */
	failure = "D1_ERROR: UNIQUE constraint failed: claims.external_id",
): D1Database {
	const originals = new WeakMap<object, D1PreparedStatement>();
	const refused = new WeakSet<object>();
	const claimInserts = new WeakSet<object>();
	let seen = 0;
	const statement = (real: D1PreparedStatement, inserts: boolean, refuse = false): D1PreparedStatement => {
		const proxy = new Proxy(real, {
			get(target, property) {
				if (property === "bind")
					return (...values: unknown[]) => statement(target.bind(...values), inserts, values.some(refuses));
				const value = Reflect.get(target, property, target);
				return typeof value === "function" ? value.bind(target) : value;
			},
		});
		originals.set(proxy, real);
		if (refuse) refused.add(proxy);
		if (inserts) claimInserts.add(proxy);
		return proxy;
	};
	const database = <T extends D1Database | D1DatabaseSession>(real: T): T =>
		new Proxy(real, {
			get(target, property) {
				if (property === "prepare")
					return (query: string) => statement(target.prepare(query), /^insert into "claims"/i.test(query));
				if (property === "batch")
					return async (statements: D1PreparedStatement[]) => {
						const inserting = statements.some((s) => claimInserts.has(s));
						const ours = inserting ? ++seen === at : false;
						if (ours && when === "before") await race();
						if (statements.some((s) => refused.has(s)))
							throw new Error("D1_ERROR: CHECK constraint failed: refused in a test");
						if (inserting && seen >= contendedFrom) throw new Error(failure);
						const results = await target.batch(statements.map((s) => originals.get(s) ?? s));
						if (ours && when === "after") await race();
						return results;
					};
				if (property === "withSession")
					return (...args: unknown[]) => database((target as D1Database).withSession(...(args as [])));
				const value = Reflect.get(target, property, target);
				return typeof value === "function" ? value.bind(target) : value;
			},
		});
	return database(env.DB);
}

describe("POST /api/v1/import: a batch stored in halves, its token revoked meanwhile or a half losing races", () => {
	const records = (tag: string, marker: string) =>
		Array.from({ length: 4 }, (_, i) => ({
			externalId: `rv-${tag}-${i}`,
			claim: { text: `Claim ${i} ${i === 2 ? marker : tag} about the ferry to Ostbucht.`, language: "en" },
			speaker: { name: `Harbour Master ${tag}`, kind: "person" },
			sources: [{ url: `https://rv.example/${tag}/${i}` }],
			verdict: null,
		}));
	const stored = async (tag: string) =>
		(
			await env.DB.prepare(
				"SELECT external_id AS id FROM claims WHERE external_id LIKE ? ORDER BY external_id",
			)
				.bind(`rv-${tag}-%`)
				.all<{ id: string }>()
		).results.map((r) => r.id);
	const audited = async (userId: string) =>
		(
			await env.DB.prepare(
				"SELECT action, entity FROM audit_log WHERE actor_id = ? AND entity IN ('claim', 'speaker') ORDER BY rowid",
			)
				.bind(userId)
				.all<{ action: string; entity: string }>()
		).results.map((r) => `${r.action} ${r.entity}`);

	for (const [at, when, outcome] of [
		[2, "before", "nothing"],
		[2, "after", "everything"],
		[3, "before", "everything"],
	] as const) {
		it(`revoked ${when} the ${at === 2 ? "first" : "second"} half: ${outcome === "nothing" ? "401, nothing stored" : "the halves stored and answered, the refused record alone rejected"}`, {
			timeout: 60_000,
		}, async () => {
			const { user } = await makeUser("editor");
			const { token, row } = await apiToken(user, ["import"]);
			const tag = newId();
			const marker = `refuse-${tag}`;
			const { response, settled } = await fetchWith(
				importRacingD1(
					(value) => typeof value === "string" && value.includes(marker),
					at,
					when,
					() => revokeApiToken(testDb(), SYSTEM("test"), row.id),
				),
				"/api/v1/import",
				{
					method: "POST",
					headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
					body: JSON.stringify({ records: records(tag, marker) }),
				},
				true,
			);
			const text = await response.text();
			await settled();
			if (outcome === "nothing") {
				expect(response.status, text).toBe(401);
				expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
				expect(await stored(tag)).toEqual([]);
				expect(await audited(user.id)).toEqual([]);
				return;
			}
			expect(response.status, text).toBe(200);
			const answer = JSON.parse(text) as ImportAnswer;
			expect(answer.summary).toMatchObject({ created: 3, rejected: 1 });
			expect(answer.results.map((r) => r.status)).toEqual(["created", "created", "rejected", "created"]);
			// What the answer says is what is stored, and audited: one speaker, three claims.
			expect(await stored(tag)).toEqual([`rv-${tag}-0`, `rv-${tag}-1`, `rv-${tag}-3`]);
			const ids = answer.results.flatMap((r) => (r.claimId ? [r.claimId] : []));
			for (const id of ids) expect((await call(`/api/v1/claims/${id}`)).status, id).toBe(200);
			expect((await audited(user.id)).filter((a) => a.endsWith("claim"))).toHaveLength(3);
			const speakers = await env.DB.prepare("SELECT count(*) AS n FROM speakers WHERE name = ?")
				.bind(`Harbour Master ${tag}`)
				.first<{ n: number }>();
			expect(speakers?.n).toBe(1);
			// Its side effects too: the stored sources' copies are asked for.
			const copies = await env.DB.prepare("SELECT url FROM snapshots WHERE url LIKE ? ORDER BY url")
				.bind(`https://rv.example/${tag}/%`)
				.all<{ url: string }>();
			expect(copies.results.map((c) => c.url)).toEqual(
				[0, 1, 3].map((i) => `https://rv.example/${tag}/${i}`),
			);
		});
	}

	it("a part that keeps losing races after another was stored: 200, what was stored answered, that part's records rejected", {
		timeout: 60_000,
	}, async () => {
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["import"]);
		const tag = newId();
		const marker = `refuse-${tag}`;
		// Record 2 refused: the halves [0, 1] (stored) and [2, 3]; every batch after the first
		// half's loses to another writer, so record 3 never gets in.
		const { response, settled } = await fetchWith(
			importRacingD1(
				(value) => typeof value === "string" && value.includes(marker),
				0,
				"before",
				async () => undefined,
				3,
			),
			"/api/v1/import",
			{
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ records: records(tag, marker) }),
			},
			true,
		);
		const text = await response.text();
		await settled();
		// It was a 503 "nothing was stored", with the first half stored and its effects lost.
		expect(response.status, text).toBe(200);
		const answer = JSON.parse(text) as ImportAnswer;
		expect(answer.results.map((r) => r.status)).toEqual(["created", "created", "rejected", "rejected"]);
		expect(answer.results[2]?.reason).toContain("refused by the database");
		expect(answer.results[3]?.reason).toBe(
			"Other writes changed the same claims meanwhile: not stored; send it again.",
		);
		expect(await stored(tag)).toEqual([`rv-${tag}-0`, `rv-${tag}-1`]);
		const copies = await env.DB.prepare("SELECT url FROM snapshots WHERE url LIKE ? ORDER BY url")
			.bind(`https://rv.example/${tag}/%`)
			.all<{ url: string }>();
		expect(copies.results.map((c) => c.url)).toEqual([0, 1].map((i) => `https://rv.example/${tag}/${i}`));
	});

	it("a part D1 could not take after another was stored: 200, what was stored answered, that part's records rejected", {
		timeout: 60_000,
	}, async () => {
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["import"]);
		const tag = newId();
		const marker = `refuse-${tag}`;
		const outage = importRacingD1(
			(value) => typeof value === "string" && value.includes(marker),
			0,
			"before",
			async () => undefined,
			3,
			"D1_ERROR: Network connection lost.",
		);
		const { response, settled } = await fetchWith(
			outage,
			"/api/v1/import",
			{
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ records: records(tag, marker) }),
			},
			true,
		);
		const text = await response.text();
		await settled();
		// It was a 503 "nothing was stored", with the first half stored and its copies never asked for.
		expect(response.status, text).toBe(200);
		const answer = JSON.parse(text) as ImportAnswer;
		expect(answer.results.map((r) => r.status)).toEqual(["created", "created", "rejected", "rejected"]);
		expect(answer.results[3]?.reason).toBe("The database was unavailable: not stored; send it again.");
		expect(await stored(tag)).toEqual([`rv-${tag}-0`, `rv-${tag}-1`]);
		const copies = await env.DB.prepare("SELECT url FROM snapshots WHERE url LIKE ? ORDER BY url")
			.bind(`https://rv.example/${tag}/%`)
			.all<{ url: string }>();
		expect(copies.results.map((c) => c.url)).toEqual([0, 1].map((i) => `https://rv.example/${tag}/${i}`));
	});

	it("the same file sent again with a new token after a 401 stores it once, its speaker once", {
		timeout: 60_000,
	}, async () => {
		const { user } = await makeUser("editor");
		const first = await apiToken(user, ["import"]);
		const tag = newId();
		const marker = `refuse-${tag}`;
		const refuses = (value: unknown) => typeof value === "string" && value.includes(marker);
		const send = (db: D1Database, token: string) =>
			fetchWith(
				db,
				"/api/v1/import",
				{
					method: "POST",
					headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
					body: JSON.stringify({ records: records(tag, marker) }),
				},
				true,
			);
		const refused = await send(
			importRacingD1(refuses, 2, "before", () => revokeApiToken(testDb(), SYSTEM("test"), first.row.id)),
			first.token,
		);
		expect(refused.response.status, await refused.response.clone().text()).toBe(401);
		await refused.settled();
		const second = await apiToken(user, ["import"]);
		const again = await send(
			importRacingD1(refuses, 0, "before", async () => undefined),
			second.token,
		);
		const text = await again.response.text();
		await again.settled();
		expect(again.response.status, text).toBe(200);
		expect((JSON.parse(text) as ImportAnswer).summary).toMatchObject({ created: 3, rejected: 1 });
		expect(await stored(tag)).toEqual([`rv-${tag}-0`, `rv-${tag}-1`, `rv-${tag}-3`]);
		const speakers = await env.DB.prepare("SELECT count(*) AS n FROM speakers WHERE name = ?")
			.bind(`Harbour Master ${tag}`)
			.first<{ n: number }>();
		expect(speakers?.n).toBe(1);
	});
});

describe("POST /api/v1/import: two records of one claim with different verdicts", () => {
	const batch = (tag: string, marker: string) => {
		const record = (n: string, rating: string, text = `Der Tunnel ${tag} ${n} ist fertig.`) => ({
			externalId: `two-${tag}-${n}`,
			claim: { text, language: "de" },
			speaker: null,
			sources: [{ url: `https://two.example/${tag}/${n}` }],
			verdict: {
				rating,
				originalRating: rating,
				headline: `Check ${n}`,
				url: `https://two.example/${tag}/check/${rating}`,
			},
		});
		return [
			record("b", "false"),
			record("m", "false", `Die Brücke ${marker} ist fertig.`),
			record("y", "false"),
			{ ...record("b", "true"), sources: [{ url: `https://two.example/${tag}/b2` }] },
		];
	};

	for (const refused of [false, true]) {
		it(`refuses the later one on every run, ${refused ? "when another record is refused by the database (the batch split in halves)" : "whatever the first changed"}: a second run changes nothing`, {
			timeout: 120_000,
		}, async () => {
			const { token } = await editor();
			const tag = newId();
			const marker = `refuse-${tag}`;
			const records = batch(tag, marker);
			const refuses = refused
				? (value: unknown) => typeof value === "string" && value.includes(marker)
				: undefined;
			const answers: ImportAnswer[] = [];
			for (const round of ["first", "again", "third"]) {
				const { response, answer } = await countedImport(token, records, refuses);
				expect(response.status, round).toBe(200);
				answers.push(answer);
				expect(answer.results[3], round).toMatchObject({
					status: "rejected",
					reason: "same claim as record 0 of this batch, with a different verdict",
				});
				expect(answer.results[1]?.status, round).toBe(
					refused ? "rejected" : round === "first" ? "created" : "unchanged",
				);
			}
			expect(answers.map((a) => a.results[0]?.status)).toEqual(["created", "unchanged", "unchanged"]);
			const claimId = answers[0]?.results[0]?.claimId;
			const rows = await env.DB.prepare(
				"SELECT rating, state FROM verdicts WHERE claim_id = ? ORDER BY rowid",
			)
				.bind(claimId ?? "")
				.all<{ rating: string; state: string }>();
			// One verdict, the first record's: no public correction, however often the file is sent.
			expect(rows.results).toEqual([{ rating: "false", state: "published" }]);
		});
	}

	for (const refused of [false, true]) {
		it(`names the earlier record by its place in the batch sent, invalid records before it counted${refused ? ", the batch split in halves" : ""}`, {
			timeout: 120_000,
		}, async () => {
			const { token } = await editor();
			const tag = newId();
			const marker = `refuse-${tag}`;
			const [b, m, y, later] = batch(tag, marker);
			const invalid = { claim: { text: "   ", language: "de" }, speaker: null, sources: [], verdict: null };
			const refuses = refused
				? (value: unknown) => typeof value === "string" && value.includes(marker)
				: undefined;
			const { answer } = await countedImport(token, [invalid, y, m, invalid, b, later], refuses);
			const statuses = answer.results.map((r) => r.status);
			expect([0, 1, 3, 4, 5].map((i) => statuses[i])).toEqual([
				"rejected",
				"created",
				"rejected",
				"created",
				"rejected",
			]);
			if (refused) expect(answer.results[2]?.reason).toContain("refused by the database");
			expect(answer.results[5]?.reason).toBe(
				"same claim as record 4 of this batch, with a different verdict",
			);
		});
	}
});

describe("POST /api/v1/import: two publishers' reviews of one claim", () => {
	/** The claim as Correctiv's or dpa's feed states it, under the publisher's own id and review. */
	const review = (place: string, publisher: string, rating = "false", originalRating = "Falsch") => ({
		externalId: `https://${publisher}.example/check/${place}`,
		claim: { text: `In ${place} wurden alle Brücken über Nacht gesperrt`, language: "de" },
		speaker: { name: `Hans ${place}`, kind: "person" },
		sources: [{ url: `https://news.example/${place.toLowerCase()}.html` }],
		verdict: {
			rating,
			originalRating,
			headline: `Nein, in ${place} wurden keine Brücken gesperrt`,
			url: `https://${publisher}.example/check/${place}`,
			reviewer: publisher,
			publishedAt: "2024-03-01",
		},
	});
	const history = async (claimId: string | undefined) =>
		(
			await json<{ history: { state: string; rating: { key: string }; reviewUrl: string | null }[] }>(
				await call(`/api/v1/claims/${claimId}`),
			)
		).history.map((v) => [v.state, v.rating.key, v.reviewUrl?.split("/")[2]]);

	it("running either feed again changes nothing; a publisher's own correction still does", async () => {
		const { token } = await editor();
		const place = uniquePlace();
		const first = await send(token, [review(place, "correctiv")]);
		const claimId = first.results[0]?.claimId;
		expect(first.results[0]?.status).toBe("created");
		// dpa's review is news to the claim: published over Correctiv's.
		expect((await send(token, [review(place, "dpa")])).results[0]).toMatchObject({
			status: "updated",
			claimId,
			changes: ["verdict"],
		});
		const before = await snapshot();
		// Tonight's runs of both feeds: Correctiv's review is as it was imported, and says it is not in force.
		const again = (await send(token, [review(place, "correctiv")])).results[0];
		expect(again).toMatchObject({ status: "unchanged", claimId });
		expect(again?.warnings).toEqual([
			"its review is unchanged since it was imported, but the claim's verdict in force is another review (https://dpa.example/check/" +
				`${place}): not published again`,
		]);
		const andAgain = (await send(token, [review(place, "dpa")])).results[0];
		expect(andAgain).toMatchObject({ status: "unchanged", claimId });
		expect(andAgain?.warnings).toBeUndefined();
		expect(await snapshot()).toEqual(before);
		expect(await history(claimId)).toEqual([
			["superseded", "false", "correctiv.example"],
			["published", "false", "dpa.example"],
		]);

		// Correctiv corrects its review: that is published, and then both feeds are quiet again.
		const corrected = review(place, "correctiv", "mostly-false", "Größtenteils falsch");
		expect((await send(token, [corrected])).results[0]).toMatchObject({
			status: "updated",
			changes: ["verdict"],
		});
		expect((await send(token, [corrected])).results[0]?.status).toBe("unchanged");
		expect((await send(token, [review(place, "dpa")])).results[0]?.status).toBe("unchanged");
		expect(await history(claimId)).toEqual([
			["superseded", "false", "correctiv.example"],
			["superseded", "false", "dpa.example"],
			["published", "mostly-false", "correctiv.example"],
		]);
	});
});

describe("POST /api/v1/import: a review link tagged for tracking", () => {
	const record = (place: string, url: string, rating = "false", originalRating = "Falsch") => ({
		externalId: `https://correctiv.example/check/${place}`,
		claim: { text: `In ${place} fahren seit Mai keine Busse mehr`, language: "de" },
		speaker: { name: `Hanna ${place}`, kind: "person" },
		sources: [{ url: `https://news.example/${place.toLowerCase()}.html` }],
		verdict: {
			rating,
			originalRating,
			headline: `Nein, in ${place} fahren Busse`,
			url,
			reviewer: "Correctiv",
			publishedAt: "2024-03-01",
		},
	});
	const reviews = async (claimId: string | undefined) =>
		(
			await json<{ history: { state: string; reviewUrl: string | null; correctionNote: string | null }[] }>(
				await call(`/api/v1/claims/${claimId}?lang=de`),
			)
		).history.map((v) => [v.state, v.reviewUrl, v.correctionNote]);

	it("is the same review: a partner's tagged link publishes nothing, and a review stored tagged is not another", async () => {
		const { token } = await editor();
		const place = uniquePlace();
		const clean = `https://correctiv.example/check/${place}`;
		const tagged = (campaign: string, review = clean) =>
			`${review}?utm_source=partner&utm_campaign=${campaign}#top`;
		const claimId = (await send(token, [record(place, clean)])).results[0]?.claimId;
		const before = await snapshot();
		// The partner feed tags the link, with another campaign each day; then the clean feed again.
		for (const url of [tagged("2026-12-07"), tagged("2026-12-08"), clean]) {
			const answer = (await send(token, [record(place, url)])).results[0];
			expect(answer, url).toMatchObject({ status: "unchanged", claimId });
			expect(answer?.warnings, url).toBeUndefined();
		}
		expect(await snapshot()).toEqual(before);
		expect(await reviews(claimId)).toEqual([["published", clean, null]]);

		// A review first imported through the partner's feed (stored tagged, as before): the
		// clean feed's run is that review, and its correction says what changed, in the clean link.
		const second = uniquePlace();
		const cleanSecond = `https://correctiv.example/check/${second}`;
		const first = (await send(token, [record(second, tagged("2026-12-07", cleanSecond))])).results[0]
			?.claimId;
		await env.DB.prepare(
			"UPDATE verdicts SET review_url = ?1, evidence = json_array(json_object('url', ?1, 'title', headline)) WHERE claim_id = ?2",
		)
			.bind(tagged("2026-12-07", cleanSecond), first)
			.run();
		const again = (await send(token, [record(second, cleanSecond)])).results[0];
		expect(again).toMatchObject({ status: "unchanged", claimId: first });
		expect(again?.warnings).toBeUndefined();
		const corrected = (
			await send(token, [
				record(second, tagged("2026-12-09", cleanSecond), "mostly-false", "Größtenteils falsch"),
			])
		).results[0];
		expect(corrected).toMatchObject({ status: "updated", changes: ["verdict"] });
		// Its fragment is the review's, kept as written (readers land where it points).
		expect(await reviews(first)).toEqual([
			["superseded", tagged("2026-12-07", cleanSecond), null],
			[
				"published",
				`${cleanSecond}#top`,
				"Aktualisiert durch Import: Bewertung Falsch → Größtenteils falsch",
			],
		]);
	});

	it("keeps the review's own fragment in the link readers and Google get, and compares the review without it", async () => {
		const { token } = await editor();
		const place = uniquePlace();
		const roundup = `https://factcheck.example/roundup-${place.toLowerCase()}/`;
		const claimId = (await send(token, [record(place, `${roundup}?utm_source=partner#claim-3`)])).results[0]
			?.claimId;
		// The claim's place on the roundup page: readers land on it, not at the page's top.
		expect(await reviews(claimId)).toEqual([["published", `${roundup}#claim-3`, null]]);
		const google = await json<{ claims?: { claimReview: { url: string }[] }[] }>(
			await call(`/v1alpha1/claims:search?query=${place}%20Busse`),
		);
		expect(google.claims?.map((c) => c.claimReview.map((r) => r.url))).toEqual([[`${roundup}#claim-3`]]);
		const before = await snapshot();
		for (const url of [roundup, `${roundup}#claim-3`]) {
			const answer = (await send(token, [record(place, url)])).results[0];
			expect(answer, url).toMatchObject({ status: "unchanged", claimId });
		}
		expect(await snapshot()).toEqual(before);
	});

	it("is the same review as stored by the CLI before it decoded addresses (&amp;): nothing published", async () => {
		const { token } = await editor();
		const place = uniquePlace();
		const review = `https://correctiv.example/check/${place}?p=123`;
		// The CLI sent the ClaimReview's url as written before f287: `&amp;` and all.
		const claimId = (await send(token, [record(place, `${review}&amp;lang=de`)])).results[0]?.claimId;
		const before = await snapshot();
		for (let run = 0; run < 2; run++) {
			const answer = (await send(token, [record(place, `${review}&lang=de`)])).results[0];
			expect(answer, `run ${run}`).toMatchObject({ status: "unchanged", claimId });
			expect(answer?.warnings, `run ${run}`).toBeUndefined();
		}
		expect(await snapshot()).toEqual(before);
		// A correction of the publisher's is published as before, naming what changed and no link.
		const corrected = (
			await send(token, [record(place, `${review}&lang=de`, "mostly-false", "Größtenteils falsch")])
		).results[0];
		expect(corrected).toMatchObject({ status: "updated", changes: ["verdict"] });
		expect(await reviews(claimId)).toEqual([
			["superseded", `${review}&amp;lang=de`, null],
			["published", `${review}&lang=de`, "Aktualisiert durch Import: Bewertung Falsch → Größtenteils falsch"],
		]);
	});
});

describe("import store", () => {
	const actor = { userId: null, label: "test-import" };

	it("writes a batch of hundreds of records in one go, within D1's parameter limit", async () => {
		const tag = newId();
		const records: ImportRecord[] = Array.from({ length: 450 }, (_, n) => ({
			externalId: `bulk-${tag}-${n}`,
			claim: {
				text: `Bulk ${tag} claim number ${n}.`,
				language: "en",
				claimedAt: "2025-01-02",
				context: "a speech",
			},
			speaker: {
				name: `Person ${tag.slice(0, 4)} ${String.fromCharCode(97 + (n % 26))}name`,
				kind: "person",
			},
			sources: [{ url: `https://bulk.example/${tag}/${n % 40}`, title: `Page ${n % 40}` }],
			verdict:
				n % 3 === 0
					? null
					: {
							rating: "mostly-true",
							originalRating: "Mostly True",
							headline: `Headline ${n}`,
							url: `https://bulk.example/${tag}/check/${n}`,
						},
		}));
		const report = await importRecords(testDb(), actor, records);
		expect(report.outcomes.every((o) => o.status === "created")).toBe(true);
		const counts = await env.DB.prepare(
			`SELECT count(DISTINCT c.speaker_id) AS speakers, count(DISTINCT a.source_id) AS sources, count(v.id) AS verdicts
			 FROM claims c JOIN appearances a ON a.claim_id = c.id LEFT JOIN verdicts v ON v.claim_id = c.id
			 WHERE c.external_id LIKE ?`,
		)
			.bind(`bulk-${tag}-%`)
			.first();
		expect(counts).toEqual({ speakers: 26, sources: 40, verdicts: 300 });
		const again = await importRecords(testDb(), actor, records);
		expect(again.outcomes.every((o) => o.status === "unchanged")).toBe(true);
		expect(again.changedClaims).toEqual([]);
	});

	it("audits every created row with the importing actor and keeps the whole record", async () => {
		const tag = newId();
		const record: ImportRecord = {
			externalId: `audit-${tag}`,
			claim: { text: `Audited ${tag}.`, language: "en" },
			speaker: { name: `Auditee ${tag}`, kind: "organization", description: "A body" },
			sources: [{ url: `https://audit.example/${tag}` }],
			verdict: {
				rating: "true",
				originalRating: "Correct (5/5)",
				originalScale: { value: 5, worst: 1, best: 5 },
				headline: "Right",
				url: `https://audit.example/${tag}/check`,
				reviewer: "Reviewer Name",
			},
		};
		const requestId = `req-${tag}`;
		const report = await importRecords(testDb(), { ...actor, requestId }, [record]);
		const claimId = report.outcomes[0]?.claimId ?? "";
		const rows = await env.DB.prepare(
			"SELECT action, entity, entity_id, actor_label, changes FROM audit_log WHERE request_id = ? ORDER BY id",
		)
			.bind(requestId)
			.all<{ action: string; entity: string; entity_id: string; actor_label: string; changes: string }>();
		expect(rows.results.map((r) => `${r.action} ${r.entity}`).sort()).toEqual(
			["create source", "create speaker", "import-create claim", "publish verdict"].sort(),
		);
		expect(rows.results.every((r) => r.actor_label === "test-import")).toBe(true);
		const created = rows.results.find((r) => r.action === "import-create");
		expect(created?.entity_id).toBe(claimId);
		expect(JSON.parse(created?.changes ?? "{}")).toEqual({ record });
	});

	it("stays with the claim of a surname that has become ambiguous since the first import", async () => {
		const surname = `Mülleroff${newId().replace(/\d/g, "").slice(0, 5)}`;
		await makeClaim({ speaker: { name: `Anna ${surname}` } });
		const record: ImportRecord = {
			claim: { text: `Die Steuern ${newId()} sinken.`, language: "de" },
			speaker: { name: surname, kind: "person" },
			sources: [],
			verdict: null,
		};
		const first = await importRecords(testDb(), actor, [record]);
		const claim = await stored(first.outcomes[0]?.claimId);
		expect(claim.speaker?.name).toBe(`Anna ${surname}`);
		// A second speaker of that surname: the name alone no longer decides.
		await makeClaim({ speaker: { name: `Thomas ${surname}` } });
		const speakersBefore = await env.DB.prepare("SELECT count(*) AS n FROM speakers").first<{ n: number }>();
		const again = await importRecords(testDb(), actor, [record]);
		expect(again.outcomes[0]).toMatchObject({ status: "unchanged", claimId: claim.id });
		expect(await env.DB.prepare("SELECT count(*) AS n FROM speakers").first<{ n: number }>()).toEqual(
			speakersBefore,
		);
	});

	/** A record of a desk claim's very quote and speaker, without an id, rated false. */
	const sameQuote = (known: { id: string; text: string }, speakerName: string, headline: string) =>
		({
			claim: { text: known.text, language: "de" },
			speaker: { name: speakerName, kind: "person" },
			sources: [],
			verdict: {
				rating: "false",
				originalRating: "Falsch",
				headline,
				url: `https://check.example/${known.id}`,
			},
		}) satisfies ImportRecord;

	it("does not publish over a verdict the desk itself retracted", async () => {
		const speakerName = `Quote Speaker ${newId()}`;
		const known = await makeClaim({ speaker: { name: speakerName }, text: `Wir haben ${newId()} verloren.` });
		const verdict = await publish(known.id, "true");
		await retract(verdict.id, verdict.version);
		const report = await importRecords(testDb(), actor, [sameQuote(known, speakerName, "Nicht verloren")]);
		expect(report.outcomes[0]).toMatchObject({ status: "unchanged", claimId: known.id });
		expect(report.outcomes[0]?.warnings?.join()).toMatch(/the desk retracted this claim's verdict/);
		expect((await stored(known.id)).status).toBe("retracted");
	});

	it("resolves the same claim by quote and speaker when the record has no id, without a second claim", async () => {
		const speakerName = `Quote Speaker ${newId()}`;
		const known = await makeClaim({ speaker: { name: speakerName }, text: `Wir haben ${newId()} gewonnen.` });
		await publish(known.id, "true");
		// A review of our own archive (its host is one of ours).
		const report = await importRecords(
			testDb(),
			actor,
			[sameQuote(known, speakerName, "Nicht gewonnen")],
			[],
			["check.example"],
		);
		// The desk's own verdict differs from the imported one: the import corrects it, visibly.
		expect(report.outcomes[0]).toMatchObject({ status: "updated", claimId: known.id, changes: ["verdict"] });
		expect(report.changedClaims).toEqual([known.id]);
		const claim = await stored(known.id);
		expect(claim.verdicts.map((v) => v.state)).toEqual(["superseded", "published"]);
		expect(claim.verdicts[1]?.correctionNote).toMatch(/^Updated by import: rating true → false/);
	});
	it("does not publish another publisher's review over the desk's own verdict; its sources are added", async () => {
		const { token } = await editor();
		const speakerName = `Desk Speaker ${newId()}`;
		const known = await makeClaim({ speaker: { name: speakerName }, text: `Der Kai ${newId()} ist fertig.` });
		await publish(known.id, "true");
		const source = `https://news.example/${newId()}`;
		const answer = await send(token, [
			{
				claim: { text: known.text, language: "de" },
				speaker: { name: speakerName, kind: "person" },
				sources: [{ url: source, title: "Artikel" }],
				verdict: {
					rating: "false",
					originalRating: "Pants on Fire",
					headline: "Not finished",
					url: `https://politifact.example/${newId()}`,
					reviewer: "PolitiFact",
				},
			},
		]);
		expect(answer.results[0]).toMatchObject({
			status: "updated",
			claimId: known.id,
			changes: ["appearance"],
		});
		expect(answer.results[0]?.warnings?.join()).toMatch(/our own published verdict/);
		const claim = await stored(known.id);
		expect(claim.status).toBe("true");
		expect(claim.verdicts.map((v) => [v.state, v.reviewUrl])).toEqual([["published", null]]);
		expect(claim.appearances.map((a) => a.source.url)).toContain(source);
	});
	it("stores a record's language tag as the desk does, in any casing, so a search by it finds the claim", async () => {
		const { token } = await editor();
		const tag = newId();
		const answer = await send(
			token,
			["en-gb", "EN-GB"].map((language, i) => ({
				claim: { text: `The quay ${tag} number ${i} reopened in May.`, language },
				speaker: null,
				sources: [{ url: `https://news.example/${tag}/${i}`, title: "Article", language }],
				verdict: null,
			})),
		);
		expect(answer.results.map((r) => r.status)).toEqual(["created", "created"]);
		for (const result of answer.results) expect((await stored(result.claimId)).language).toBe("en-GB");
		const listed = await json<{ data: { id: string }[] }>(
			await call(`/api/v1/claims?language=en-GB&q=${tag}`),
		);
		expect(listed.data.map((c) => c.id).sort()).toEqual(answer.results.map((r) => r.claimId).sort());
	});
});
