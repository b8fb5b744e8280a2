import { describe, expect, it } from "vitest";
import { makeClaim, publish } from "../factories";
import { call, json } from "../helpers";

const ORIGIN = "https://elsewhere.example";

function preflight(path: string, method: string) {
	return call(path, {
		method: "OPTIONS",
		headers: {
			Origin: ORIGIN,
			"Access-Control-Request-Method": method,
			"Access-Control-Request-Headers": "content-type",
		},
	});
}

describe("CORS only on public reads", () => {
	it("answers no preflight of a write, anywhere", async () => {
		for (const [path, method] of [
			["/api/v1/claims", "POST"],
			["/api/v1/claims/aaaaaaaaaaaaaa/verdicts", "POST"],
			["/api/v1/verdicts/aaaaaaaaaaaaaa", "PUT"],
			["/api/v1/verdicts/aaaaaaaaaaaaaa/publish", "POST"],
			["/api/v1/import", "POST"],
			["/api/v1/extract", "POST"],
			["/desk/claims", "POST"],
		] as const) {
			const response = await preflight(path, method);
			expect(response.headers.get("access-control-allow-origin"), `${method} ${path}`).toBeNull();
			expect(response.headers.get("access-control-allow-methods"), `${method} ${path}`).toBeNull();
		}
	});

	it("opens public reads and their preflights, not pages or the desk", async () => {
		const claim = await makeClaim();
		await publish(claim.id);
		for (const path of [
			"/api/v1/claims",
			`/api/v1/claims/${claim.id}`,
			"/api/v1/ratings",
			"/v1alpha1/claims:search?query=harbour",
			"/api/v1/export.ndjson",
			"/feeds/verdicts.atom",
		]) {
			const response = await call(path, { headers: { Origin: ORIGIN } });
			expect(response.headers.get("access-control-allow-origin"), path).toBe("*");
			// A page backing off a 429 or 503 reads Retry-After; the rest as before.
			expect(response.headers.get("access-control-expose-headers"), path).toBe(
				"ETag,X-D1-Bookmark,X-Request-Id,Retry-After",
			);
			expect((await preflight(path, "GET")).headers.get("access-control-allow-origin"), path).toBe("*");
		}
		for (const path of [`/claims/${claim.id}`, "/desk/login"]) {
			const response = await call(path, { headers: { Origin: ORIGIN } });
			expect(response.headers.get("access-control-allow-origin"), path).toBeNull();
		}
	});
});

describe("language and shared caches", () => {
	it("a page negotiated from Accept-Language is private and varies; one with ?lang= is shared", async () => {
		const claim = await makeClaim();
		await publish(claim.id);
		const negotiated = await call(`/claims/${claim.id}`, { headers: { "Accept-Language": "de" } });
		expect(negotiated.status).toBe(200);
		expect(negotiated.headers.get("cache-control")).toContain("private");
		expect(negotiated.headers.get("vary")).toContain("Accept-Language");
		expect(negotiated.headers.get("vary")).toContain("Cookie");
		const chosen = await call(`/claims/${claim.id}?lang=de`, { headers: { "Accept-Language": "en" } });
		expect(chosen.headers.get("cache-control")).toContain("public");
		expect(chosen.headers.get("vary") ?? "").not.toContain("Accept-Language");
		expect(await chosen.text()).toContain('lang="de"');
	});

	it("the claim JSON depends on the URL alone: ?lang=, never Accept-Language or a cookie", async () => {
		const claim = await makeClaim();
		await publish(claim.id, "false");
		const plain = await json<{ statusLabel: string }>(await call(`/api/v1/claims/${claim.id}`));
		const german = await call(`/api/v1/claims/${claim.id}`, {
			headers: { "Accept-Language": "de", Cookie: "lang=de" },
		});
		expect(german.headers.get("vary") ?? "").not.toContain("Accept-Language");
		expect((await json<{ statusLabel: string }>(german)).statusLabel).toBe(plain.statusLabel);
		const asked = await json<{ statusLabel: string }>(await call(`/api/v1/claims/${claim.id}?lang=de`));
		expect(asked.statusLabel).not.toBe(plain.statusLabel);
	});
});

describe("the language choice persists", () => {
	it("the switch remembers the choice in a cookie, against the browser's Accept-Language", async () => {
		const claim = await makeClaim();
		const page = await (await call(`/claims/${claim.id}?lang=en`)).text();
		expect(page).toContain(`href="/language?lang=de&amp;next=${encodeURIComponent(`/claims/${claim.id}`)}"`);
		const switched = await call(
			`/language?lang=de&next=${encodeURIComponent(`/claims/${claim.id}?lang=en`)}`,
			{
				redirect: "manual",
			},
		);
		expect(switched.status).toBe(303);
		expect(switched.headers.get("location")).toBe(`/claims/${claim.id}`);
		expect(switched.headers.get("set-cookie")).toMatch(/^lang=de;/);
		const german = await call(`/claims/${claim.id}`, {
			headers: { Cookie: "lang=de", "Accept-Language": "en" },
		});
		expect(await german.text()).toContain('<html lang="de">');
		for (const next of [
			"//evil.example/x",
			"https://evil.example/",
			"/\\evil",
			// Dot segments the URL parser resolves into `//host`.
			"/.//evil.example/x",
			"/..//evil.example",
			"/%2e//evil.example",
			"/a/..//evil.example",
		]) {
			const away = await call(`/language?lang=de&next=${encodeURIComponent(next)}`, { redirect: "manual" });
			expect(away.headers.get("location")).toBe("/");
		}
	});
});
