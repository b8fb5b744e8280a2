import { describe, expect, it } from "vitest";
import { makeClaim, publish } from "../factories";
import { call } from "../helpers";

/** Bounded load through the real app and D1: counts, not timings. */
describe("50 concurrent readers", () => {
	it("get zero 5xx and only well-formed answers", async () => {
		const claims: Awaited<ReturnType<typeof makeClaim>>[] = [];
		for (let i = 0; i < 10; i++) claims.push(await makeClaim({ text: `Lastprobe ${i} über den Hafen` }));
		for (const claim of claims.slice(0, 5)) await publish(claim.id, "false");
		const paths = (i: number) => {
			const claim = claims[i % claims.length];
			return [
				`/api/v1/claims/${claim?.id}`,
				"/api/v1/claims?limit=20",
				"/api/v1/claims?q=hafen",
				`/badges/${claim?.id}.svg`,
				`/embed/${claim?.id}`,
				`/claims/${claim?.id}`,
				"/v1alpha1/claims:search?query=hafen",
				"/feeds/verdicts.atom",
			][i % 8] as string;
		};
		const statuses: number[] = [];
		await Promise.all(
			Array.from({ length: 50 }, async (_, client) => {
				for (let n = 0; n < 8; n++) {
					const path = paths(client + n);
					const response = await call(path);
					statuses.push(response.status);
					const body = await response.text();
					const type = response.headers.get("content-type") ?? "";
					if (type.includes("json")) expect(() => JSON.parse(body), path).not.toThrow();
					if (type.includes("svg") || type.includes("atom")) expect(body.startsWith("<"), path).toBe(true);
					if (type.includes("html")) expect(body.startsWith("<!DOCTYPE html>"), path).toBe(true);
				}
			}),
		);
		expect(statuses).toHaveLength(400);
		expect(statuses.filter((s) => s >= 500)).toEqual([]);
		expect(statuses.every((s) => s === 200)).toBe(true);
	}, 120_000);
});
