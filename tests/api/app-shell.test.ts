import { describe, expect, it } from "vitest";
import { makeClaim } from "../factories";
import { call, json } from "../helpers";

describe("app shell", () => {
	it("answers /healthz with a D1 round trip", async () => {
		const response = await call("/healthz");
		expect(response.status).toBe(200);
		const body = await json(response);
		expect(body).toMatchObject({ status: "ok", database: "ok" });
		expect(response.headers.get("cache-control")).toBe("no-store");
	});

	it("gives every response a request id and secure headers", async () => {
		const response = await call("/healthz");
		expect(response.headers.get("x-request-id")).toMatch(/^[\w-]{8,}$/);
		expect(response.headers.get("strict-transport-security")).toContain("max-age=31536000");
		expect(response.headers.get("x-content-type-options")).toBe("nosniff");
		expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
	});

	it("makes its own request id, whatever the client sends", async () => {
		const response = await call("/healthz", { headers: { "X-Request-Id": "trace-abc-123" } });
		const id = response.headers.get("x-request-id") ?? "";
		expect(id).not.toBe("trace-abc-123");
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
	});

	it("answers an unknown path with a problem+json 404", async () => {
		const response = await call("/no/such/thing");
		expect(response.status).toBe(404);
		expect(response.headers.get("content-type")).toContain("application/problem+json");
		const body = await json(response);
		expect(body).toMatchObject({ status: 404, title: "Not Found", instance: "/no/such/thing" });
		expect(body.requestId).toBe(response.headers.get("x-request-id"));
	});

	it("answers a known path with the wrong method with 405 and Allow", async () => {
		const response = await call("/healthz", { method: "DELETE" });
		expect(response.status).toBe(405);
		// HEAD is served wherever GET is (RFC 9110 §15.5.6: Allow lists what the resource supports).
		expect(response.headers.get("allow")?.split(", ")).toEqual(expect.arrayContaining(["GET", "HEAD"]));
		expect(response.headers.get("content-type")).toContain("application/problem+json");
	});

	it("titles a problem without a type of its own by its status's standard phrase (RFC 9457 §4.2.1)", async () => {
		const cases = [
			[await call("/api/v1/import", { method: "POST" }), 401, "Unauthorized", /^Send an API token/],
			[await call("/api/v1/claims?limit=0"), 422, "Unprocessable Content", /limit/],
			[await call("/healthz", { method: "DELETE" }), 405, "Method Not Allowed", /not allowed here/],
			[await call("/oembed?url=x&format=xml"), 501, "Not Implemented", /format=json/],
		] as const;
		for (const [response, status, title, detail] of cases) {
			expect(response.status, title).toBe(status);
			const body = await json<{ type: string; title: string; detail: string }>(response);
			expect(body, title).toMatchObject({ type: "about:blank", title });
			// What went wrong stays in the detail, in its own words.
			expect(body.detail, title).toMatch(detail);
		}
	});

	it("leads a HEAD on an address with a slash too many to the address, as a GET", async () => {
		const claim = await makeClaim();
		const paths = [
			`/claims/${claim.id}/`,
			"/feeds/verdicts.atom/",
			"/sitemap.xml/",
			`/speakers/${claim.speaker?.slug}/`,
			`/api/v1/claims/${claim.id}/`,
		];
		for (const path of paths) {
			const response = await call(path, { method: "HEAD", redirect: "manual" });
			expect(response.status, path).toBe(301);
			expect(response.headers.get("location"), path).toBe(path.slice(0, -1));
		}
		// A path that takes POST only refuses HEAD, and does not list it.
		const refused = await call("/api/v1/import", { method: "HEAD" });
		expect(refused.status).toBe(405);
		expect(refused.headers.get("allow")).toBe("POST");
	});

	it("leads an address with a slash too many to the address, never a 405 that allows its own method", async () => {
		const claim = await makeClaim();
		for (const path of [`/claims/${claim.id}/`, `/embed/${claim.id}/`, `/api/v1/claims/${claim.id}/`]) {
			const response = await call(`${path}?lang=de`, { redirect: "manual" });
			expect(response.status, path).toBe(301);
			expect(response.headers.get("location"), path).toBe(`${path.slice(0, -1)}?lang=de`);
		}
		const post = await call(`/claims/${claim.id}/`, { method: "POST" });
		expect(post.status).not.toBe(500);
		expect(post.headers.get("allow") ?? "").not.toContain("POST");
	});
});
