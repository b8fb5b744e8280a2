import { describe, expect, it } from "vitest";
import { makeClaim } from "../factories";
import { call } from "../helpers";
import { useOwnDatabase } from "../own-database";

useOwnDatabase();

/**
 * Hostile input against every public route: never a 500, the right 4xx, and no
 * payload reflected unescaped in HTML, SVG, JSON-LD or Atom.
 */
const XSS = `"><script>alert(1)</script><svg onload=alert(2)>`;

const paths = [
	"/api/v1/claims/%00",
	"/api/v1/claims/..%2F..%2Fetc%2Fpasswd",
	"/api/v1/claims/%ff%fe",
	"/api/v1/speakers/..%2F..",
	"/api/v1/speakers/%3Cscript%3E",
	"/api/v1/sources/'%20OR%201=1",
	"/claims/%00",
	"/claims/..%2F..%2Fadmin",
	`/claims/${encodeURIComponent(XSS)}`,
	"/speakers/%E2%80%AE",
	// A page's cursor that is not one of ours: page one, or a 4xx when too long to be one.
	`/speakers?cursor=${encodeURIComponent(XSS)}`,
	`/speakers?cursor=${"x".repeat(500)}`,
	"/speakers?cursor=%00",
	`/claims?cursor=${encodeURIComponent(XSS)}`,
	"/sources/%ff",
	"/badges/%ff.svg",
	"/badges/..%2F..%2Fsecret.svg",
	`/embed/${encodeURIComponent(XSS)}`,
	"/api/v1/claims?q=%ff%fe",
	"/api/v1/claims?q=a%00b",
	`/api/v1/claims?q=${"x".repeat(10_000)}`,
	`/api/v1/claims?speaker=${encodeURIComponent(XSS)}`,
	// A search's match count runs beside every search page: the same input reaches it.
	`/api/v1/claims?q=harbour&tag=${encodeURIComponent(XSS)}`,
	"/api/v1/claims?q=harbour&sort=claimed&status=bogus",
	"/api/v1/claims?q=-harbour",
	"/api/v1/claims?q=NOT%20harbour&sort=reviewed",
	"/api/v1/claims?q=%22%22&sort=relevance",
	"/claims?q=-harbour&status=bogus",
	"/api/v1/claims?limit=1e309",
	"/api/v1/claims?limit=-1",
	"/api/v1/claims?cursor=%00%00",
	`/v1alpha1/claims:search?query=${encodeURIComponent(XSS)}`,
	"/v1alpha1/claims:search?query=x&pageSize=9999",
	"/v1alpha1/claims:search?query=x&pageToken=%ff",
	`/oembed?url=${encodeURIComponent("javascript:alert(1)")}`,
	`/oembed?url=${encodeURIComponent(XSS)}`,
	"/oembed",
	`/claims?q=${encodeURIComponent(XSS)}`,
	"/claims?q=%ff",
	`/feeds/verdicts.atom?lang=${encodeURIComponent(XSS)}`,
];

describe("hostile input on public routes", { timeout: 120_000 }, () => {
	for (const path of paths) {
		it(`${path.slice(0, 70)} → 2xx/4xx, escaped`, async () => {
			for (const accept of ["application/json", "text/html"]) {
				const response = await call(path, { headers: { Accept: accept } });
				expect(response.status, `${accept} ${path}`).toBeLessThan(500);
				const body = await response.text();
				expect(body).not.toContain("<script>alert(1)");
				expect(body).not.toMatch(/<svg onload/i);
				expect(body).not.toMatch(/at [\w.]+ \(.*:\d+:\d+\)/); // no stack trace
				if (response.status >= 400) {
					const type = response.headers.get("content-type") ?? "";
					const expected = /^\/(badges)\//.test(path)
						? "image/svg+xml"
						: path.startsWith("/v1alpha1/")
							? "application/json" // Google's error shape for Google's clients
							: accept === "text/html" && !/^\/(api|oembed|feeds|badges)/.test(path)
								? "text/html"
								: "application/problem+json";
					expect(type, `${accept} ${path}`).toContain(expected);
				}
			}
		});
	}

	it("survives huge headers and cookies", async () => {
		const response = await call("/api/v1/claims", {
			headers: {
				"Accept-Language": `de;q=0.9,${"x-y;q=0.1,".repeat(3_000)}`,
				Cookie: `lang=${"x".repeat(16_000)}`,
			},
		});
		expect(response.status).toBe(200);
	});

	it("reflects a hostile search only escaped on the HTML list page", async () => {
		await makeClaim({ text: `Harmless text with ${XSS} inside` });
		const page = await (
			await call(`/claims?q=${encodeURIComponent("harmless")}`, { headers: { Accept: "text/html" } })
		).text();
		expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
		expect(page).not.toContain("<script>alert(1)");
	});
});
