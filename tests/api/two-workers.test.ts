import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { claimTag } from "../../src/domain/cache-tags";
import { publicCacheOf } from "../../src/lib/public-cache";
import { isPublicRead } from "../../src/public-app";
import { servePublic } from "../../src/public-worker";
import { apiCall, apiToken, makeUser } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { BASE, call, freshIp } from "../helpers";

/**
 * The public Worker answers public reads itself and hands everything else to the desk
 * Worker (README, "Two Workers"); the desk Worker purges the public Worker's cache over
 * its PUBLIC binding. The tests' Worker runs both behind real service bindings.
 */
describe("two Workers", () => {
	it("the public Worker keeps the read routes and nothing else", () => {
		for (const path of [
			"/",
			"/claims",
			"/claims/abcdefghij0123",
			"/badges/abcdefghij0123.svg",
			"/embed/abcdefghij0123",
		])
			expect(isPublicRead("GET", path), path).toBe(true);
		for (const path of ["/api/v1/claims", "/feeds/verdicts.atom", "/healthz", "/v1alpha1/claims:search"])
			expect(isPublicRead("GET", path), path).toBe(true);
		expect(isPublicRead("HEAD", "/api/v1/claims/abcdefghij0123")).toBe(true);
		for (const [method, path] of [
			["POST", "/api/v1/claims"],
			["PATCH", "/api/v1/claims/abcdefghij0123"],
			["OPTIONS", "/api/v1/claims"],
			["GET", "/desk"],
			["GET", "/desk/claims/abcdefghij0123"],
			["GET", "/api/v1/openapi.json"],
			["GET", "/api/docs"],
			["GET", "/api/v1/webhooks"],
			// The claim matcher is the desk Worker's: it would take the public bundle past 150 KiB.
			["GET", "/api/v1/claims/matches"],
			["HEAD", "/api/v1/claims/matches"],
			["GET", "/no-such-page"],
		] as const)
			expect(isPublicRead(method, path), `${method} ${path}`).toBe(false);
	});

	it("answers from the desk Worker keep their own status and headers", async () => {
		const login = await call("/desk/login");
		expect(login.status).toBe(200);
		expect(login.headers.get("Cache-Control")).toMatch(/\bno-store\b/);
		const missing = await call("/no-such-page", { headers: { Accept: "text/html" } });
		expect(missing.status).toBe(404);
		const wrongMethod = await call("/embed/abcdefghij0123", { method: "POST" });
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers.get("Allow")).toContain("GET");
		const docs = await call("/api/v1/openapi.json");
		const paths = Object.keys(((await docs.json()) as { paths: Record<string, unknown> }).paths);
		// The document names the write API too: the desk Worker composes every route.
		expect(paths).toContain("/api/v1/claims/{id}/verdicts");
		expect(paths).toContain("/api/v1/claims/matches");
		// The matcher's answers come from the desk Worker, public and cacheable all the same.
		const matches = await call("/api/v1/claims/matches?text=Kursk%20wird%20befreit&language=de");
		expect(matches.status).toBe(200);
		expect(matches.headers.get("cache-control")).toMatch(/^public/);
		expect(matches.headers.get("cache-tag")).toBe("claims-list");
	});

	it("a write's answer comes back after its purge, without the header that carried it", async () => {
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["verdicts:write", "verdicts:publish"]);
		const claim = await makeClaim({ text: `Zwei Worker lesen ${crypto.randomUUID()}` });
		const before = await call(`/api/v1/claims/${claim.id}`);
		expect(((await before.json()) as { status: string }).status).toBe("unverified");
		expect((await call(`/api/v1/claims/${claim.id}`)).headers.get("X-Edge-Cache")).toBe("HIT-HOT");
		const drafted = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token,
			body: { rating: "false", headline: "Nein", language: "de", evidence: [] },
		});
		expect(drafted.status, await drafted.clone().text()).toBe(201);
		expect(drafted.headers.get("Claimtrack-Purge-Tags")).toBeNull();
		// The writer's next read is the new state, not the copy this isolate held.
		const after = await call(`/api/v1/claims/${claim.id}`);
		expect(((await after.json()) as { status: string }).status).toBe("in-review");
	});

	it("a purge over the PUBLIC binding drops the public Worker's hot copy", async () => {
		const claim = await makeClaim({ text: `Zwei Worker ${crypto.randomUUID()}` });
		await publish(claim.id, "false");
		const badge = `/badges/${claim.id}.svg`;
		await call(badge);
		expect((await call(badge)).headers.get("X-Edge-Cache")).toBe("HIT-HOT");
		await publicCacheOf(env, undefined).purge([claimTag(claim.id)]);
		expect((await call(badge)).headers.get("X-Edge-Cache")).not.toBe("HIT-HOT");
	});

	it("a purge asked from outside, at any address, purges nothing: only the desk Worker's binding can", async () => {
		const claim = await makeClaim({ text: `Zwei Worker von außen ${crypto.randomUUID()}` });
		await publish(claim.id, "false");
		const badge = `/badges/${claim.id}.svg`;
		await call(badge);
		expect((await call(badge)).headers.get("X-Edge-Cache")).toBe("HIT-HOT");
		for (const path of ["/purge", "/", "/api/v1/claims", badge]) {
			const asked = await call(path, {
				method: "POST",
				headers: { "Content-Type": "application/json" },
				body: JSON.stringify({ tags: [claimTag(claim.id)] }),
			});
			await asked.arrayBuffer();
			expect(asked.status, path).not.toBe(204);
			expect((await call(badge)).headers.get("X-Edge-Cache"), path).toBe("HIT-HOT");
		}
	});

	it("the public Worker answers a purge it cannot read with 400, and the desk Worker's side throws on it", async () => {
		const owner = env as unknown as { PUBLIC: Fetcher };
		for (const body of ["", "[]", '{"tags":"claim-x"}', '{"tags":[1]}']) {
			const answer = await owner.PUBLIC.fetch("https://public.internal/purge", { method: "POST", body });
			expect(answer.status, body).toBe(400);
			await answer.arrayBuffer();
		}
		const refusing = {
			fetch: async () => new Response(null, { status: 503 }),
			connect: () => {
				throw new Error("not used");
			},
		};
		await expect(
			publicCacheOf({ PUBLIC: refusing, DB: env.DB }, undefined).purge(["claim-x"]),
		).rejects.toThrow(/did not purge: 503/);
	});
});

/**
 * The desk Worker's run may fail (its CPU limit, an uncaught error): the DESK binding's fetch
 * then rejects, and unanswered that was Cloudflare's 1101 HTML page to every client.
 */
describe("two Workers: a desk Worker whose run fails", () => {
	const failed = new Error("Worker exceeded CPU time limit.");
	const failingDesk = {
		fetch: () => Promise.reject(failed),
		connect: () => {
			throw new Error("not used");
		},
	};
	afterEach(() => {
		vi.restoreAllMocks();
	});

	async function throughFailingDesk(path: string, init?: RequestInit) {
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		const ctx = createExecutionContext();
		const request = new Request(`${BASE}${path}`, init);
		request.headers.set("CF-Connecting-IP", freshIp());
		const response = await servePublic(request, { ...env, DESK: failingDesk } as never, ctx);
		await waitOnExecutionContext(ctx);
		const lines = logged.mock.calls.map((args) => args.map(String).join(" "));
		logged.mockRestore();
		return { response, lines };
	}

	it("a token write, an import, OPTIONS and the API description answer 503 problem+json with Retry-After and a request id, logged", async () => {
		const json = { "Content-Type": "application/json", Authorization: "Bearer ct_whatever" };
		for (const [method, path, body] of [
			["POST", "/api/v1/claims", "{}"],
			["POST", "/api/v1/import", "[]"],
			["PATCH", "/api/v1/claims/abcdefghij0123", "{}"],
			["OPTIONS", "/api/v1/claims", undefined],
			["GET", "/api/v1/openapi.json", undefined],
			["GET", "/api/v1/claims/matches?text=Kursk", undefined],
		] as const) {
			const { response, lines } = await throughFailingDesk(path, {
				method,
				headers: json,
				...(body === undefined ? {} : { body }),
			});
			const label = `${method} ${path}`;
			expect(response.status, label).toBe(503);
			expect(response.headers.get("Content-Type"), label).toMatch(/^application\/problem\+json/);
			expect(response.headers.get("Retry-After"), label).toBe("5");
			expect(response.headers.get("Cache-Control"), label).toMatch(/no-store/);
			const requestId = response.headers.get("X-Request-Id");
			const problem = (await response.json()) as Record<string, unknown>;
			expect(problem, label).toMatchObject({ status: 503, title: "Service Unavailable", requestId });
			expect(String(problem.detail), label).toMatch(/try again shortly/i);
			// A repeat under the same Idempotency-Key is safe: the write's batch marked the key
			// written (tests/desk/idempotency-run-stopped). Only on a route that accepts a key: this
			// answer is every route's, PATCH's and import's too, which ignore it. Reading back is
			// for the others.
			expect(String(problem.detail), label).toMatch(
				/same Idempotency-Key on a route that accepts one \(the OpenAPI document names it; every desk form sends one\), it is made at most once/i,
			);
			expect(String(problem.detail), label).toMatch(/otherwise, read back what you sent/i);
			// The failure is ours to see, with the id the client was given; the client never sees it.
			expect(JSON.stringify(problem), label).not.toContain("CPU");
			expect(
				lines.some((line) => line.includes("desk-worker-failed") && line.includes(String(requestId))),
				label,
			).toBe(true);
			expect(lines.join("\n"), label).toContain("Worker exceeded CPU time limit.");
		}
	});

	it("a desk page a browser asks for is a page saying to try again shortly (en, de), its request id on it", async () => {
		for (const [lang, words] of [
			["en", "Please try again in a few seconds."],
			["de", "Bitte versuchen Sie es in ein paar Sekunden erneut."],
		] as const) {
			for (const [method, path] of [
				["GET", "/desk"],
				["POST", "/desk/claims"],
			] as const) {
				const { response, lines } = await throughFailingDesk(path, {
					method,
					headers: { Accept: "text/html", "Accept-Language": lang },
					...(method === "POST" ? { body: new URLSearchParams({ text: "x" }) } : {}),
				});
				const label = `${lang} ${method} ${path}`;
				expect(response.status, label).toBe(503);
				expect(response.headers.get("Content-Type"), label).toMatch(/^text\/html/);
				expect(response.headers.get("Retry-After"), label).toBe("5");
				const page = await response.text();
				expect(page, label).toContain(words);
				expect(page, label).toContain(String(response.headers.get("X-Request-Id")));
				expect(
					lines.some((line) => line.includes("desk-worker-failed")),
					label,
				).toBe(true);
			}
		}
	});

	it("under /v1alpha1 it is Google's 503 UNAVAILABLE, also a search the desk Worker answers (a pasted claim)", async () => {
		for (const [method, path] of [
			["POST", "/v1alpha1/claims:search"],
			// Found by no search: the public Worker asks the desk Worker's claim matcher.
			["GET", `/v1alpha1/claims:search?query=${encodeURIComponent(`Lawrow sagte ${crypto.randomUUID()}`)}`],
		] as const) {
			const { response, lines } = await throughFailingDesk(path, { method });
			const label = `${method} ${path}`;
			expect(response.status, label).toBe(503);
			expect(response.headers.get("Retry-After"), label).toBe("5");
			const requestId = response.headers.get("X-Request-Id");
			expect(await response.json(), label).toEqual({
				error: {
					code: 503,
					message: "Service Unavailable",
					status: "UNAVAILABLE",
					details: [{ "@type": "type.googleapis.com/google.rpc.RequestInfo", requestId }],
				},
			});
			expect(
				lines.some((line) => line.includes("desk-worker-failed") && line.includes(String(requestId))),
				label,
			).toBe(true);
		}
	});
});
