import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { makeClaim, publish } from "../factories";
import { call, type GoogleError, json } from "../helpers";

/**
 * A cursor names the list and order it walks: sent to another, it is the documented 400,
 * never an empty page (a client thinks its walk complete) or page one again (it loops).
 */

type Page = { data: unknown[]; next: string | null };
type Problem = { status: number; detail: string; errors: { path: string; message: string }[] };

const cursorOf = (next: string | null) => new URL(next ?? "http://x/").searchParams.get("cursor") ?? "";

/** A cursor as releases before this one wrote it: no list named. */
const legacy = (position: unknown[]) =>
	btoa(JSON.stringify(position)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

async function refused(path: string, parameter = "query.cursor") {
	const response = await call(path);
	expect(response.status, path).toBe(400);
	const problem = await json<Problem>(response);
	expect(problem.detail).toBe(`${parameter}: this cursor is not valid. Start again from the first page.`);
	expect(problem.errors[0]?.path).toBe(parameter);
}

describe("a cursor of another list or order", () => {
	it("is a 400 on the claims, speakers and sources lists, not an empty page or page one", async () => {
		const marker = `m${newId()}`;
		for (let i = 0; i < 3; i++) {
			const claim = await makeClaim({ text: `Ferry ${marker} number ${i}`, language: "en" });
			await publish(claim.id);
		}
		const recent = await json<Page>(await call("/api/v1/claims?sort=recent&limit=1"));
		const reviewed = await json<Page>(await call("/api/v1/claims?sort=reviewed&limit=1"));
		const ranked = await json<Page>(await call(`/api/v1/claims?q=${marker}&limit=1`));
		const speakers = await json<Page>(await call("/api/v1/speakers?limit=1"));
		const sources = await json<Page>(await call("/api/v1/sources?limit=1"));
		for (const page of [recent, reviewed, ranked, speakers, sources]) expect(page.next).not.toBeNull();

		await refused(`/api/v1/claims?sort=reviewed&cursor=${cursorOf(recent.next)}`);
		await refused(`/api/v1/claims?sort=claimed&cursor=${cursorOf(recent.next)}`);
		await refused(`/api/v1/claims?sort=claimed&cursor=${cursorOf(reviewed.next)}`);
		await refused(`/api/v1/claims?sort=recent&cursor=${cursorOf(reviewed.next)}`);
		// A ranked page's offset is no position in the newest-first walk of the same search.
		await refused(`/api/v1/claims?q=${marker}&sort=recent&cursor=${cursorOf(ranked.next)}`);
		await refused(`/api/v1/speakers?cursor=${cursorOf(recent.next)}`);
		await refused(`/api/v1/speakers?cursor=${cursorOf(sources.next)}`);
		await refused(`/api/v1/sources?cursor=${cursorOf(speakers.next)}`);
		await refused(`/api/v1/sources?cursor=${cursorOf(ranked.next)}`);

		// Each on its own list goes on walking.
		const cases: [string, string | null][] = [
			["/api/v1/claims?sort=recent&limit=1", recent.next],
			["/api/v1/claims?sort=reviewed&limit=1", reviewed.next],
			[`/api/v1/claims?q=${marker}&limit=1`, ranked.next],
			["/api/v1/speakers?limit=1", speakers.next],
			["/api/v1/sources?limit=1", sources.next],
		];
		for (const [path, next] of cases) {
			const response = await call(`${path}&cursor=${cursorOf(next)}`);
			expect(response.status, path).toBe(200);
			expect((await json<Page>(response)).data, path).toHaveLength(1);
		}
	});

	it("is refused as a Google pageToken in Google's shape, and a Google token here", async () => {
		const claim = await makeClaim();
		await publish(claim.id);
		const site = "claimtrack.example";
		const google = await json<{ nextPageToken?: string }>(
			await call(`/v1alpha1/claims:search?reviewPublisherSiteFilter=${site}&pageSize=1`),
		);
		const recent = await json<Page>(await call("/api/v1/claims?sort=reviewed&limit=1"));
		expect(google.nextPageToken).toBeDefined();
		const foreign = await call(
			`/v1alpha1/claims:search?reviewPublisherSiteFilter=${site}&pageToken=${cursorOf(recent.next)}`,
		);
		expect(foreign.status).toBe(400);
		const error = (await json<GoogleError>(foreign)).error;
		expect(error.status).toBe("INVALID_ARGUMENT");
		expect(error.message).toBe("pageToken: this cursor is not valid. Start again from the first page.");
		expect(error.details[0]?.fieldViolations?.[0]?.field).toBe("pageToken");
		await refused(`/api/v1/claims?sort=reviewed&cursor=${google.nextPageToken}`);
		const own = await call(
			`/v1alpha1/claims:search?reviewPublisherSiteFilter=${site}&pageSize=1&pageToken=${google.nextPageToken}`,
		);
		expect(own.status).toBe(200);
	});

	it("from before this release keeps its own list and order, and no other", async () => {
		for (let i = 0; i < 3; i++) await publish((await makeClaim()).id);
		const seq = 2 ** 40;
		const stamp = "2999-01-01T00:00:00.000Z";
		const same = [
			[`/api/v1/claims?sort=recent&limit=1`, ["k", null, seq]],
			[`/api/v1/claims?sort=reviewed&limit=1`, ["k", stamp, seq]],
			[`/api/v1/claims?sort=claimed&limit=1`, ["k", "2999-01-01", seq]],
			[`/api/v1/speakers?limit=1`, ["k", "a", 1]],
			[`/api/v1/sources?limit=1`, ["k", `${stamp}|${newId()}`, 1]],
		] as const;
		for (const [path, position] of same) {
			const response = await call(`${path}&cursor=${legacy([...position])}`);
			expect(response.status, path).toBe(200);
			expect((await json<Page>(response)).data, path).toHaveLength(1);
		}
		// The hunter's: a newest-first cursor under another order, an offset on sources.
		await refused(`/api/v1/claims?sort=reviewed&cursor=${legacy(["k", null, 3])}`);
		await refused(`/api/v1/claims?sort=claimed&cursor=${legacy(["k", null, 3])}`);
		await refused(`/api/v1/claims?sort=claimed&cursor=${legacy(["k", stamp, 3])}`);
		await refused(`/api/v1/speakers?cursor=${legacy(["k", null, 3])}`);
		await refused(`/api/v1/sources?cursor=${legacy(["o", 3])}`);
		await refused(`/api/v1/sources?cursor=${legacy(["k", "a", 1])}`);
	});

	it("starts a page people open from a link at page one, not at an empty page", async () => {
		const marker = `m${newId()}`;
		for (let i = 0; i < 3; i++)
			await publish((await makeClaim({ text: `Quay ${marker} ${i}`, language: "en" })).id);
		// The page of a search's newest-first order with a cursor of its best-match order.
		const ranked = await json<Page>(await call(`/api/v1/claims?q=${marker}&limit=1`));
		const response = await call(`/claims?q=${marker}&sort=recent&lang=en&cursor=${cursorOf(ranked.next)}`, {
			headers: { Accept: "text/html" },
		});
		expect(response.status).toBe(200);
		expect((await response.text()).match(new RegExp(`Quay ${marker}`, "g"))).toHaveLength(3);
	});
});
