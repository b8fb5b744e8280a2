import { factchecktools } from "@googleapis/factchecktools";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker, type LocalWorker, startLocalWorker } from "../../scripts/lib/local-worker";
import { seedDemo } from "../../src/commands/seed-demo";
import { SYSTEM } from "../../src/store/batch";
import { createDraftVerdict, publishVerdict } from "../../src/store/verdicts";

/**
 * Google's own Fact Check Tools client, pointed at a Claimtrack Worker served by
 * workerd, must work unchanged: same parameters, same field names. In the CLI tier: it
 * bundles the Worker and starts workerd, 10 s of CPU that `vitest run` cannot afford.
 */
let worker: LocalWorker;

beforeAll(async () => {
	worker = await startLocalWorker({ scripts: bundleWorker() });
	await seedDemo(worker.db);
	const kursk = await worker.db.query.claims.findFirst({ where: (c, { like }) => like(c.text, "%Kursk%") });
	if (!kursk) throw new Error("seed lacks the Kursk claim");
	const actor = SYSTEM("test");
	const draft = await createDraftVerdict(worker.db, actor, kursk.id, {
		rating: "false",
		headline: "Nordkoreanische Truppen befreiten Kursk nicht allein",
		summary: null,
		body: null,
		evidence: [{ url: "https://evidence.example/kursk", title: "Frontverlauf" }],
		language: "de",
	});
	await publishVerdict(worker.db, actor, draft.id, draft.version, null);
	const sovereign = await worker.db.query.claims.findFirst({
		where: (c, { like }) => like(c.text, "%souverän%"),
	});
	if (!sovereign) throw new Error("seed lacks the sovereignty claim");
	const second = await createDraftVerdict(worker.db, actor, sovereign.id, {
		rating: "misleading",
		headline: "Souveränität ohne Belege",
		summary: null,
		body: null,
		evidence: [],
		language: "de",
	});
	await publishVerdict(worker.db, actor, second.id, second.version, null);
}, 120_000);

afterAll(async () => {
	await worker?.dispose();
});

describe("@googleapis/factchecktools against Claimtrack", () => {
	it("searches claims and reads every documented field", async () => {
		const client = factchecktools({ version: "v1alpha1", rootUrl: `${worker.url}/` });
		const { data, status } = await client.claims.search({ query: "Kursk", languageCode: "de", pageSize: 5 });
		expect(status).toBe(200);
		const claim = data.claims?.[0];
		expect(claim?.text).toContain("im Bereich Kursk bewiesen");
		expect(claim?.claimant).toBe("Choe Son-hui");
		expect(claim?.claimDate).toBe("2025-07-12T00:00:00Z");
		const review = claim?.claimReview?.[0];
		// Google: a publisher's site "is based purely on the claim review URL".
		expect(review?.publisher).toEqual({
			name: "Claimtrack Demo Desk",
			site: new URL(review?.url ?? "").hostname.replace(/^www\./, ""),
		});
		expect(review?.textualRating).toBe("Falsch");
		expect(review?.title).toBe("Nordkoreanische Truppen befreiten Kursk nicht allein");
		expect(review?.languageCode).toBe("de");
		expect(review?.url).toMatch(/\/claims\/[0-9a-z]{14}$/);
		expect(Date.parse(review?.reviewDate ?? "")).not.toBeNaN();
	});

	it("filters by publisher site and age, pages with nextPageToken, and rejects a bad request", async () => {
		const client = factchecktools({ version: "v1alpha1", rootUrl: `${worker.url}/` });
		const site = await client.claims.search({
			reviewPublisherSiteFilter: "claimtrack.example",
			maxAgeDays: 30,
		});
		expect(site.data.claims?.length).toBe(2);
		const first = await client.claims.search({
			reviewPublisherSiteFilter: "claimtrack.example",
			pageSize: 1,
		});
		expect(first.data.claims).toHaveLength(1);
		expect(first.data.nextPageToken).toBeTruthy();
		const second = await client.claims.search({
			reviewPublisherSiteFilter: "claimtrack.example",
			pageSize: 1,
			pageToken: first.data.nextPageToken ?? "",
		});
		expect(second.data.claims).toHaveLength(1);
		expect(second.data.claims?.[0]?.text).not.toBe(first.data.claims?.[0]?.text);
		expect(second.data.nextPageToken).toBeUndefined();
		const other = await client.claims.search({ reviewPublisherSiteFilter: "elsewhere.example" });
		expect(other.data.claims).toBeUndefined();
		const unreviewed = await client.claims.search({ query: "Luftverbindungen" });
		expect(unreviewed.data.claims).toBeUndefined();
		// Google's error shape: the client surfaces the message, not "status code 400".
		await expect(client.claims.search({})).rejects.toMatchObject({
			status: 400,
			message: "Either query or reviewPublisherSiteFilter is required.",
		});
		const big = await client.claims.search({
			reviewPublisherSiteFilter: "claimtrack.example",
			pageSize: 500,
		});
		expect(big.data.claims?.length).toBe(2);
	});
});
