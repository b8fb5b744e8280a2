import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeClaim, publish } from "../factories";
import { BASE, call } from "../helpers";

/**
 * A Host header is the client's to choose, and shared answers are cached by path:
 * absolute links come from PUBLIC_URL (http://claimtrack.test in the test Worker),
 * never from the request, so one poisoned request cannot point later readers elsewhere.
 */
function fromHost(host: string, path: string): Promise<Response> {
	return exports.default.fetch(new Request(`http://${host}${path}`));
}

describe("links come from PUBLIC_URL, not the Host header", () => {
	it("claim JSON, card, page, oEmbed, lists, feed and Google search", async () => {
		const claim = await makeClaim({ text: `Host header ${crypto.randomUUID()} harbour` });
		await publish(claim.id);
		const oembedUrl = encodeURIComponent(`${BASE}/claims/${claim.id}`);
		const paths = [
			`/api/v1/claims/${claim.id}`,
			`/embed/${claim.id}`,
			`/claims/${claim.id}`,
			`/oembed?url=${oembedUrl}&format=json`,
			"/api/v1/claims?limit=1",
			"/api/v1/speakers?limit=1",
			"/api/v1/sources?limit=1",
			"/feeds/verdicts.atom",
			"/v1alpha1/claims:search?query=harbour&pageSize=1",
			"/api/v1/openapi.json",
		];
		for (const path of paths) {
			// First the attacker's request (it may fill a cache), then a reader's.
			const poisoned = await fromHost("evil.example", path);
			const poisonedBody = await poisoned.text();
			expect(poisonedBody, path).not.toContain("evil.example");
			const reader = await call(path);
			expect(reader.status, path).toBe(200);
			const body = await reader.text();
			expect(body, path).not.toContain("evil.example");
			expect(body, path).toContain("claimtrack.test");
		}
	});

	it("oEmbed accepts URLs on the public origin only", async () => {
		const claim = await makeClaim();
		await publish(claim.id);
		const foreign = encodeURIComponent(`http://evil.example/claims/${claim.id}`);
		expect((await fromHost("evil.example", `/oembed?url=${foreign}`)).status).toBe(404);
	});
});
