import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SYSTEM } from "../../src/store/batch";
import { removeClaim } from "../../src/store/claim-removals";
import { makeClaim, reload } from "../factories";
import { call, d1Down, fetchWith, testDb } from "../helpers";

/** What a reader meets when a page cannot be shown: in their language, styled, never framed but the embed's. */

const html = { headers: { Accept: "text/html,application/xhtml+xml" } };
const UNKNOWN_ID = "zzzzzzzzzzzzzz";

async function removedClaim(): Promise<string> {
	const claim = await makeClaim();
	await removeClaim(testDb(), SYSTEM("test"), claim.id, {
		version: (await reload(claim.id)).version,
		reason: "Recorded by mistake.",
	});
	return claim.id;
}

/** English problem wording and validator internals no reader's page shows. */
const INTERNALS =
	/Validation failed|Method not allowed|Service unavailable|Not found<|param\.|query\.|pattern|Too big|Invalid string|Claimtrack id|is not allowed here/;

describe("the embed card's errors are cards, framable as the card", () => {
	it("says a removed claim's fact-check is no longer available, in the language asked for", async () => {
		const live = await makeClaim();
		const cardCsp = (await call(`/embed/${live.id}`)).headers.get("content-security-policy");
		expect(cardCsp).toContain("frame-ancestors *");
		const id = await removedClaim();
		const response = await call(`/embed/${id}?lang=de`, html);
		expect(response.status).toBe(410);
		expect(response.headers.get("content-type")).toContain("text/html");
		expect(response.headers.get("content-security-policy")).toBe(cardCsp);
		expect(response.headers.get("x-frame-options")).toBeNull();
		const body = await response.text();
		expect(body).toContain('<html lang="de">');
		expect(body).toContain("Dieser Faktencheck ist nicht mehr verfügbar");
		expect(body).toMatch(/entfernt/);
		// Card-sized: the card's own stylesheet, not the site's layout.
		expect(body).toContain('class="card');
		expect(body).not.toContain('<header class="site">');
		expect(body).not.toContain("/assets/app.css");
		expect(body).not.toContain("<script");
		expect(new TextEncoder().encode(body).length).toBeLessThan(10_240);
		const english = await (await call(`/embed/${id}?lang=en&theme=dark`, html)).text();
		expect(english).toContain("This fact-check is no longer available");
		expect(english).toContain("color-scheme:dark;");
	});

	it("says an unknown or malformed id's fact-check is not found; programs still get problem+json", async () => {
		for (const id of [UNKNOWN_ID, "not-an-id"]) {
			const response = await call(`/embed/${id}?lang=en`, html);
			expect(response.status, id).toBe(404);
			expect(response.headers.get("content-security-policy"), id).toContain("frame-ancestors *");
			const body = await response.text();
			expect(body, id).toContain("Fact-check not found");
			expect(body, id).not.toContain('<header class="site">');
		}
		const german = await call(`/embed/${UNKNOWN_ID}`, {
			headers: { Accept: "text/html", "Accept-Language": "de-DE,de;q=0.9" },
		});
		expect(await german.text()).toContain("Faktencheck nicht gefunden");
		const program = await call(`/embed/${UNKNOWN_ID}`, { headers: { Accept: "application/json" } });
		expect(program.status).toBe(404);
		expect(program.headers.get("content-type")).toContain("application/problem+json");
	});
});

describe("a gone claim's card is kept as the card is", () => {
	it("a minute by browsers; at the edge, tagged with the claim, when the address names its language", async () => {
		const id = await removedClaim();
		for (const path of [`/embed/${id}?lang=de`, `/embed/${UNKNOWN_ID}?lang=en&theme=dark`]) {
			const response = await call(path, html);
			expect(response.status, path).toBeGreaterThanOrEqual(404);
			expect(response.headers.get("cache-control"), path).toBe("public, max-age=60");
			expect(response.headers.get("cloudflare-cdn-cache-control"), path).toMatch(/^max-age=\d+/);
			expect(response.headers.get("cache-tag"), path).toBe(`claim-${path.slice(7, 21)}`);
			expect(response.headers.get("vary"), path).toBeNull();
		}
		// In the reader's own language: theirs alone.
		const negotiated = await call(`/embed/${id}`, {
			headers: { Accept: "text/html", "Accept-Language": "de" },
		});
		expect(negotiated.status).toBe(410);
		expect(negotiated.headers.get("cache-control")).toBe("private, max-age=60");
		expect(negotiated.headers.get("vary")).toBe("Accept-Language, Cookie");
		expect(negotiated.headers.get("cache-tag")).toBeNull();
		expect(negotiated.headers.get("cloudflare-cdn-cache-control")).toBeNull();
		// An address that names no claim, and a program's problem: not kept.
		expect((await call("/embed/not-an-id?lang=en", html)).headers.get("cache-control")).toBe("no-store");
		const program = await call(`/embed/${id}?lang=en`, { headers: { Accept: "application/json" } });
		expect(program.headers.get("cache-control")).toBe("no-store");
	});
});

describe("every HTML error page is styled and never framed", () => {
	it("carries the pages' CSP, which lets the site's stylesheet load", async () => {
		const removed = await removedClaim();
		for (const path of [
			`/snapshots/${UNKNOWN_ID}`,
			`/attachments/${UNKNOWN_ID}`,
			`/claims/${UNKNOWN_ID}`,
			`/claims/${removed}`,
			"/no-such-page",
			"/embed/",
		]) {
			const response = await call(path, html);
			expect(response.status, path).toBeGreaterThanOrEqual(400);
			expect(response.headers.get("content-type"), path).toContain("text/html");
			const csp = response.headers.get("content-security-policy") ?? "";
			expect(csp, path).toContain("style-src 'self'");
			expect(csp, path).toContain("script-src 'none'");
			expect(csp, path).toContain("frame-ancestors 'none'");
			expect(await response.text(), path).toContain('<link rel="stylesheet" href="/assets/app.css');
		}
	});
});

describe("error pages speak the page's language", () => {
	it("answers a malformed id in a page's path with the 404 page, not a validation problem", async () => {
		for (const path of ["/claims/not-an-id!", "/snapshots/abc", "/speakers/Bad_Slug", "/sources/x"]) {
			const response = await call(`${path}?lang=de`, html);
			expect(response.status, path).toBe(404);
			const body = await response.text();
			expect(body, path).toContain('<html lang="de">');
			expect(body, path).toContain("<h1>Nicht gefunden</h1>");
			expect(body, path).not.toMatch(INTERNALS);
		}
		// API clients keep the 422 that names the parameter.
		const program = await call("/claims/not-an-id!", { headers: { Accept: "application/json" } });
		expect(program.status).toBe(422);
		expect(await program.json()).toMatchObject({ title: "Unprocessable Content" });
	});

	it("names a field it cannot use in words, never with the validator's message", async () => {
		// A way back longer than the switch takes, made by hand: pages' own switches name their
		// path alone then (a search too long is said beside the search box of /claims, a cursor
		// not ours shows page one: no 422 page).
		const next = `/claims?q=${"x".repeat(2000)}`;
		const response = await call(`/language?lang=de&next=${encodeURIComponent(next)}`, html);
		expect(response.status).toBe(422);
		const body = await response.text();
		expect(body).toContain('<html lang="de">');
		expect(body).toContain("<h1>Ungültige Angabe</h1>");
		expect(body).toContain("Seite, zu der es zurückgeht");
		expect(body).not.toMatch(INTERNALS);
		const english = await (await call(`/language?lang=en&next=${encodeURIComponent(next)}`, html)).text();
		expect(english).toContain("the page to return to");
		expect(english).not.toMatch(INTERNALS);
		const json = await call(`/api/v1/claims?q=${"x".repeat(10_000)}`, html);
		expect(json.headers.get("content-type")).toContain("application/problem+json");
	});

	it("says a method is not allowed in German, keeping Allow", async () => {
		const response = await call("/claims?lang=de", { method: "DELETE", ...html });
		expect(response.status).toBe(405);
		expect(response.headers.get("allow")).toContain("GET");
		const body = await response.text();
		expect(body).toContain("<h1>Anfrage hier nicht möglich</h1>");
		expect(body).toContain("DELETE-Anfrage");
		expect(body).not.toMatch(INTERNALS);
	});

	it("says a removed claim was removed, and when, in German", async () => {
		const id = await removedClaim();
		const response = await call(`/claims/${id}?lang=de`, html);
		expect(response.status).toBe(410);
		const body = await response.text();
		expect(body).toContain("<h1>Aus dem Verzeichnis entfernt</h1>");
		expect(body).toMatch(/am \d{1,2}\. \S+ \d{4} aus dem Verzeichnis entfernt/);
	});

	it("switches language back to the same address (404, a removed claim's 410), not to the home page", async () => {
		const id = await removedClaim();
		for (const [path, status, next] of [
			[`/claims/${id}?lang=de`, 410, `/claims/${id}`],
			[`/claims/${UNKNOWN_ID}?ref=feed&lang=de`, 404, `/claims/${UNKNOWN_ID}?ref=feed`],
			["/no-such-page?lang=de", 404, "/no-such-page"],
		] as const) {
			const response = await call(path, html);
			expect(response.status, path).toBe(status);
			const body = await response.text();
			const href = `/language?lang=en&amp;next=${encodeURIComponent(next)}`;
			expect(body, path).toContain(`<a class="lang" href="${href}" hreflang="en" lang="en">English</a>`);
			// Followed, it lands there, now in English.
			const switched = await call(`/language?lang=en&next=${encodeURIComponent(next)}`, {
				redirect: "manual",
			});
			expect(switched.headers.get("location"), path).toBe(next);
		}
		// After another method's error the address may answer only that error: the home page.
		const deleted = await (await call("/claims?lang=de", { method: "DELETE", ...html })).text();
		expect(deleted).toContain('href="/language?lang=en&amp;next=%2F"');
	});

	it("switches language from a page whose address is longer than the switch takes, to its path", async () => {
		// Pasted far past their limits: page one, and the search refused beside its box (200s).
		for (const [path, back] of [
			[`/speakers?cursor=${"A".repeat(2100)}`, "/speakers"],
			[`/claims?q=${"x".repeat(2100)}`, "/claims"],
		] as const) {
			const page = await call(path, html);
			expect(page.status).toBe(200);
			const href = /href="(\/language\?[^"]*)"/.exec(await page.text())?.[1]?.replaceAll("&amp;", "&") ?? "";
			const switched = await call(href, { redirect: "manual" });
			expect([switched.status, switched.headers.get("location")], back).toEqual([303, back]);
		}
	});

	describe("when the database fails", () => {
		let quiet: ReturnType<typeof vi.spyOn>[] = [];
		beforeEach(() => {
			quiet = [
				vi.spyOn(console, "warn").mockImplementation(() => {}),
				vi.spyOn(console, "error").mockImplementation(() => {}),
			];
		});
		afterEach(() => {
			for (const spy of quiet) spy.mockRestore();
		});

		it("says 503 and 500 in German, styled, with Retry-After kept", async () => {
			const de = { headers: { ...html.headers, Cookie: "lang=de" } };
			const { response: unavailable } = await fetchWith(
				d1Down("D1 DB is overloaded"),
				`/claims/${UNKNOWN_ID}`,
				de,
			);
			expect(unavailable.status).toBe(503);
			expect(Number(unavailable.headers.get("retry-after"))).toBeGreaterThan(0);
			expect(unavailable.headers.get("content-security-policy")).toContain("style-src 'self'");
			const down = await unavailable.text();
			expect(down).toContain('<html lang="de">');
			expect(down).toContain("<h1>Vorübergehend nicht verfügbar</h1>");
			expect(down).not.toMatch(INTERNALS);
			const { response: broken } = await fetchWith(
				d1Down("D1_ERROR: no such table: x"),
				`/claims/${UNKNOWN_ID}`,
				de,
			);
			expect(broken.status).toBe(500);
			const failed = await broken.text();
			expect(failed).toContain("<h1>Etwas ist schiefgelaufen</h1>");
			expect(failed).toContain("Anfrage-ID");
			expect(failed).not.toMatch(/Something went wrong|no such table/);
		});

		it("answers the bulk exports 503 with Retry-After, never a 200 that breaks off", async () => {
			for (const path of ["/api/v1/export.ndjson", "/api/v1/export/claimreview.json"]) {
				const { response } = await fetchWith(d1Down("D1_ERROR: Network connection lost."), path);
				expect(response.status, path).toBe(503);
				expect(Number(response.headers.get("retry-after")), path).toBeGreaterThan(0);
				expect(response.headers.get("content-type"), path).toContain("application/problem+json");
				expect(response.headers.get("cache-control"), path).not.toContain("public");
				expect((await response.json()) as { status: number }).toMatchObject({ status: 503 });
			}
		});
	});
});
