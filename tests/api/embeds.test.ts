import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { createDraftVerdict, publishVerdict } from "../../src/store/verdicts";
import { actor, makeClaim, publish } from "../factories";
import { call, json, purgeClaim, testDb } from "../helpers";

describe("SVG badge", () => {
	it("shows the current status with the embed headers", async () => {
		const claim = await makeClaim({ speaker: { name: "Choe Son-hui" } });
		await publish(claim.id, "false");
		const response = await call(`/badges/${claim.id}.svg?lang=en`);
		expect(response.status).toBe(200);
		expect(response.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
		expect(response.headers.get("x-content-type-options")).toBe("nosniff");
		expect(response.headers.get("content-security-policy")).toBe(
			"default-src 'none'; style-src 'unsafe-inline'; script-src 'none'; frame-ancestors 'none'",
		);
		expect(response.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
		expect(response.headers.get("cache-control")).toMatch(/max-age=\d+.*stale-while-revalidate=\d+/);
		const svg = await response.text();
		expect(XMLValidator.validate(svg)).toBe(true);
		expect(svg).toContain('aria-label="Fact check: False — Claim by Choe Son-hui"');
		expect(svg).toContain("<title>Fact check: False — Claim by Choe Son-hui</title>");
	});

	it("defaults to the claim's language and falls back on unknown style and lang", async () => {
		const claim = await makeClaim({ language: "de" });
		const svg = await (await call(`/badges/${claim.id}.svg?style=bogus&lang=xx`)).text();
		expect(svg).toContain("Faktencheck");
		expect(svg).toContain("Ungeprüft");
		const big = await (await call(`/badges/${claim.id}.svg?style=for-the-badge&lang=en`)).text();
		expect(big).toContain("UNVERIFIED");
	});

	it("falls back on repeated and over-long parameters too: still a badge, never a JSON error", async () => {
		const claim = await makeClaim({ language: "de" });
		const queries = [
			"style=flat&style=flat-square",
			"lang=de&lang=en",
			`lang=${"x".repeat(41)}`,
			`label=${"y".repeat(401)}`,
			"label=a&label=b",
		];
		for (const query of queries) {
			const response = await call(`/badges/${claim.id}.svg?${query}`);
			expect(response.status, query).toBe(200);
			expect(response.headers.get("content-type"), query).toBe("image/svg+xml; charset=utf-8");
			expect(response.headers.get("cross-origin-resource-policy"), query).toBe("cross-origin");
			expect(response.headers.get("access-control-allow-origin"), query).toBe("*");
			const svg = await response.text();
			expect(XMLValidator.validate(svg), query).toBe(true);
			// The defaults: flat (its gloss), the claim's language, the default label.
			expect(svg, query).toContain("ctb-gloss");
			expect(svg, query).toContain("<title>Faktencheck: Ungeprüft — ");
		}
	});

	it("answers If-None-Match with 304", async () => {
		const claim = await makeClaim();
		const first = await call(`/badges/${claim.id}.svg`);
		const etag = first.headers.get("etag") ?? "";
		expect(etag).not.toBe("");
		const second = await call(`/badges/${claim.id}.svg`, { headers: { "If-None-Match": etag } });
		expect(second.status).toBe(304);
	});

	it("gives a valid neutral 404 badge for unknown and malformed ids", async () => {
		for (const id of ["zzzzzzzzzzzzzz", "..%2F..%2Fetc", "<script>", "x".repeat(500)]) {
			const response = await call(`/badges/${id}.svg`);
			expect(response.status, id).toBe(404);
			expect(response.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
			const svg = await response.text();
			expect(XMLValidator.validate(svg)).toBe(true);
			expect(svg).toContain("not found");
		}
	});

	it("keeps a hostile label override inert", async () => {
		const claim = await makeClaim();
		const label = encodeURIComponent(`</text><script>alert(1)</script>"><svg onload=alert(1)>`);
		const svg = await (await call(`/badges/${claim.id}.svg?label=${label}`)).text();
		expect(XMLValidator.validate(svg)).toBe(true);
		const tree = new XMLParser({ ignoreAttributes: false, preserveOrder: true }).parse(svg);
		const names: string[] = [];
		const walk = (nodes: Record<string, unknown>[]) => {
			for (const node of nodes) {
				for (const [key, value] of Object.entries(node)) {
					if (key === ":@") {
						for (const attr of Object.keys(value as object)) names.push(attr);
					} else if (key !== "#text") {
						names.push(`<${key}>`);
						walk(value as Record<string, unknown>[]);
					}
				}
			}
		};
		walk(tree);
		expect(names).not.toContain("<script>");
		expect(names.some((n) => /^@_on/i.test(n))).toBe(false);
	});

	it("is cached at the edge and purged for a claim when its verdict changes", async () => {
		const claim = await makeClaim();
		const miss = await call(`/badges/${claim.id}.svg?style=flat-square&lang=en`);
		expect(miss.headers.get("x-edge-cache")).toBe("MISS");
		expect(await miss.text()).toContain("Unverified");
		await new Promise((resolve) => setTimeout(resolve, 50));
		const hit = await call(`/badges/${claim.id}.svg?style=flat-square&lang=en`);
		expect(hit.headers.get("x-edge-cache")).toMatch(/^HIT/);
		const draft = await createDraftVerdict(testDb(), actor, claim.id, {
			rating: "true",
			headline: "Checked",
			summary: null,
			body: null,
			evidence: [],
			language: "de",
		});
		await publishVerdict(testDb(), actor, draft.id, draft.version, null);
		// still the cached copy until purged
		expect(await (await call(`/badges/${claim.id}.svg?style=flat-square&lang=en`)).text()).toContain(
			"Unverified",
		);
		await purgeClaim(claim.id);
		const fresh = await call(`/badges/${claim.id}.svg?style=flat-square&lang=en`);
		expect(fresh.headers.get("x-edge-cache")).toBe("MISS");
		expect(await fresh.text()).toContain("True");
	});
});

describe("embed card and oEmbed", () => {
	it("serves a small framable card without cookies or scripts", async () => {
		const claim = await makeClaim({
			text: `${"Sehr lange Behauptung ".repeat(40)}Ende`,
			speaker: { name: "Card Person" },
		});
		await publish(claim.id, "misleading");
		const response = await call(`/embed/${claim.id}`);
		expect(response.status).toBe(200);
		const csp = response.headers.get("content-security-policy") ?? "";
		expect(csp).toContain("frame-ancestors *");
		expect(csp).toContain("script-src 'none'");
		expect(response.headers.get("x-frame-options")).toBeNull();
		expect(response.headers.get("set-cookie")).toBeNull();
		const body = await response.text();
		expect(new TextEncoder().encode(body).length).toBeLessThan(10_240);
		expect(body).not.toContain("<script");
		expect(body).toContain("Card Person");
		expect(body).toContain("…</bdi>“");
		expect(body).toContain('target="_blank" rel="noopener"');
		// light by default (a dark reader system does not darken a light host's card; theme=auto does)
		expect(body).toContain("color-scheme:light;");
		expect(body).not.toContain("prefers-color-scheme");
		expect(await (await call(`/embed/${claim.id}?theme=auto`)).text()).toContain("prefers-color-scheme:dark");
		// every other route stays unframable, by its CSP (X-Frame-Options is obsolete beside it)
		const page = await call(`/claims/${claim.id}`);
		expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
		expect(page.headers.get("x-frame-options")).toBeNull();
		const badge = await call(`/badges/${claim.id}.svg`);
		expect(badge.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
	});

	it("answers oEmbed for a claim URL and refuses foreign URLs", async () => {
		const claim = await makeClaim();
		const url = encodeURIComponent(`http://claimtrack.test/claims/${claim.id}`);
		const response = await call(`/oembed?url=${url}&format=json`);
		expect(response.status).toBe(200);
		const body = await json<Record<string, unknown>>(response);
		expect(body).toMatchObject({
			version: "1.0",
			type: "rich",
			provider_name: "Claimtrack Demo Desk",
			// As long as the answer is kept: its title names the claimant and quotes the claim.
			cache_age: 300,
		});
		expect(response.headers.get("cache-control")).toBe("public, max-age=300");
		expect(body.html).toBe(
			`<iframe src="http://claimtrack.test/embed/${claim.id}" width="400" height="240" style="border:0;max-width:100%" title="${String(body.title).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}" loading="lazy"></iframe>`,
		);
		expect((await call(`/oembed?url=${encodeURIComponent("https://evil.example/claims/x")}`)).status).toBe(
			404,
		);
		expect((await call(`/oembed?url=${url}&format=xml`)).status).toBe(501);
		expect((await call(`/oembed?url=${url}&maxwidth=320`)).status).toBe(200);
		expect((await json<{ width: number }>(await call(`/oembed?url=${url}&maxwidth=320`))).width).toBe(320);
	});
});

describe("oEmbed for a card's address with options", () => {
	it("frames the card in the address's lang and theme and titles it in that language", async () => {
		const claim = await makeClaim({ language: "de", speaker: { name: "Greta Variante" } });
		const oembed = async (address: string) =>
			json<{ title: string; html: string }>(await call(`/oembed?url=${encodeURIComponent(address)}`));
		const card = await oembed(`http://claimtrack.test/embed/${claim.id}?lang=en&theme=dark`);
		expect(card.html).toContain(`src="http://claimtrack.test/embed/${claim.id}?lang=en&amp;theme=dark"`);
		expect(card.title).toMatch(/^Fact check: Greta Variante – „/);
		// Unknown values are left out, as the card ignores them; the claim's language then.
		const odd = await oembed(`http://claimtrack.test/embed/${claim.id}?lang=fr&theme=neon"><script>`);
		expect(odd.html).toContain(`src="http://claimtrack.test/embed/${claim.id}"`);
		expect(odd.title).toMatch(/^Faktencheck: /);
		const page = await oembed(`http://claimtrack.test/claims/${claim.id}?lang=en`);
		expect(page.html).toContain(`src="http://claimtrack.test/embed/${claim.id}?lang=en"`);
		expect(page.title).toMatch(/^Fact check: /);
	});

	it("answers 404 when maxwidth or maxheight leave less than the card's smallest frame, never a cropped card", async () => {
		const claim = await makeClaim();
		const url = encodeURIComponent(`http://claimtrack.test/claims/${claim.id}`);
		for (const size of ["maxwidth=200&maxheight=100", "maxwidth=319", "maxheight=239", "maxwidth=50"]) {
			const response = await call(`/oembed?url=${url}&${size}`);
			expect(response.status, size).toBe(404);
			expect(response.headers.get("content-type"), size).toContain("application/problem+json");
			expect((await json<{ type: string }>(response)).type, size).toBe(
				"urn:claimtrack:problem:embed-too-small",
			);
		}
		// The smallest it fits, and a larger frame than the card's: the card's own size, within them.
		const smallest = await json<{ width: number; height: number; html: string }>(
			await call(`/oembed?url=${url}&maxwidth=320&maxheight=240`),
		);
		expect([smallest.width, smallest.height]).toEqual([320, 240]);
		expect(smallest.html).toContain('width="320" height="240"');
		for (const size of [
			"maxwidth=1000&maxheight=1000",
			"maxwidth=5000",
			"maxheight=4001",
			"maxwidth=99999999&maxheight=99999999",
			"maxwidth=99999999999999999999999",
		]) {
			const roomy = await call(`/oembed?url=${url}&${size}`);
			expect(roomy.status, size).toBe(200);
			const answer = await json<{ width: number; height: number }>(roomy);
			expect([answer.width, answer.height], size).toEqual([400, 240]);
		}
		// Digits only, as every number in a query.
		const exponent = await call(`/oembed?url=${url}&maxwidth=1e99`);
		expect(exponent.status).toBe(422);
		expect(await exponent.text()).toContain("Write a whole number in digits");
	});

	it("never cuts the title's quote inside a character", async () => {
		const claim = await makeClaim({ text: `${"a".repeat(79)}😀 and the rest of the claim`, language: "en" });
		const body = await json<{ title: string; html: string }>(
			await call(`/oembed?url=${encodeURIComponent(`http://claimtrack.test/claims/${claim.id}`)}`),
		);
		const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
		// Booleans: a failure message with the lone surrogate in it would break the test runner's socket.
		expect(loneSurrogate.test(body.title)).toBe(false);
		expect(loneSurrogate.test(body.html)).toBe(false);
		expect(body.title).toContain(`“${"a".repeat(79)}😀…”`);
	});

	it("keeps them through a merged claim's redirect", { timeout: 60_000 }, async () => {
		const { kept, duplicate } = await mergedPair();
		const address = `http://claimtrack.test/embed/${duplicate.id}?lang=de&theme=dark`;
		const moved = await call(`/oembed?url=${encodeURIComponent(address)}&maxwidth=360`, {
			redirect: "manual",
		});
		expect(moved.status).toBe(301);
		const location = new URL(moved.headers.get("location") ?? "", "http://claimtrack.test");
		expect(location.searchParams.get("url")).toBe(
			`http://claimtrack.test/embed/${kept.id}?lang=de&theme=dark`,
		);
		expect(location.searchParams.get("maxwidth")).toBe("360");
		const followed = await json<{ html: string; title: string }>(
			await call(`${location.pathname}${location.search}`),
		);
		expect(followed.html).toContain(`src="http://claimtrack.test/embed/${kept.id}?lang=de&amp;theme=dark"`);
		expect(followed.title).toMatch(/^Faktencheck: /);
	});
});

describe("a claim of the source itself", () => {
	it("names the source's publisher as its claimant on every embed, never the fact-checker", async () => {
		const claim = await makeClaim({ speaker: null });
		const url = encodeURIComponent(`http://claimtrack.test/claims/${claim.id}`);
		const oembed = await json<{ title: string; html: string }>(await call(`/oembed?url=${url}`));
		expect(oembed.title).toContain("News Example");
		expect(oembed.title).not.toContain("Claimtrack Demo Desk");
		const page = await (await call(`/claims/${claim.id}?lang=en`)).text();
		expect(page).toContain("<title>Fact check: News Example – „");
		// The alt text speaks the badge's language: this German claim's.
		expect(page).toContain(
			"alt=&quot;Faktencheck von Claimtrack Demo Desk: Behauptung von News Example&quot;",
		);
		expect(page).not.toContain("Behauptung von Claimtrack Demo Desk");
		const card = await (await call(`/embed/${claim.id}?lang=en`)).text();
		expect(card).toContain('<span class="name" dir="ltr"><bdi>News Example</bdi></span>');
		const badge = await (await call(`/badges/${claim.id}.svg?lang=en`)).text();
		expect(badge).toContain("<title>Fact check: Unverified — Claim by News Example</title>");
		expect(badge).toContain('aria-label="Fact check: Unverified — Claim by News Example"');
		const google = await json<{ claims: { text: string; claimant?: string }[] }>(
			await call(`/v1alpha1/claims:search?query=${encodeURIComponent(claim.text)}`),
		);
		// Google lists reviewed claims only; an unreviewed one names nobody there.
		for (const listed of google.claims ?? []) expect(listed.claimant).not.toBe("Claimtrack Demo Desk");
	});

	it("names the source's publisher in the Atom feed's entry as the other surfaces do", async () => {
		const claim = await makeClaim({ speaker: null, language: "en" });
		await publish(claim.id, "false");
		for (const lang of ["en", "de"]) {
			const feed = await (await call(`/feeds/verdicts.atom?lang=${lang}`)).text();
			const entry = feed.split("<entry>").find((e) => e.includes(`/claims/${claim.id}`)) ?? "";
			expect(entry, lang).toMatch(/<title[^>]*>[^<]* — News Example<\/title>/);
		}
	});
});

/** A claim merged into a reviewed one, through the write API; its embeds now lead to the kept claim's. */
async function mergedPair() {
	const { account, apiCall, apiToken } = await import("../desk/helpers");
	const { token } = await apiToken((await account("editor")).user, ["claims:write"]);
	const kept = await makeClaim({ language: "en" });
	await publish(kept.id);
	const duplicate = await makeClaim({ language: "en" });
	const { version } = await json<{ version: number }>(await call(`/api/v1/claims/${duplicate.id}`));
	const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
		token,
		body: { into: kept.id, version, note: "Recorded twice." },
	});
	expect(merged.status, await merged.clone().text()).toBe(200);
	return { kept, duplicate };
}

describe("a merged claim's embeds", () => {
	it("redirect with the headers a cross-origin reader needs: the badge's CORS and CORP, the card's CORP", {
		timeout: 60_000,
	}, async () => {
		const { kept, duplicate } = await mergedPair();
		const badge = await call(`/badges/${duplicate.id}.svg?style=flat-square`, {
			redirect: "manual",
			headers: { Origin: "https://partner.example" },
		});
		expect(badge.status).toBe(301);
		expect(badge.headers.get("location")).toBe(`/badges/${kept.id}.svg?style=flat-square`);
		expect(badge.headers.get("access-control-allow-origin")).toBe("*");
		expect(badge.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
		const card = await call(`/embed/${duplicate.id}?theme=dark`, { redirect: "manual" });
		expect(card.status).toBe(301);
		expect(card.headers.get("location")).toBe(`/embed/${kept.id}?theme=dark`);
		expect(card.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
		// The answers they lead to carry the same.
		const live = await call(`/badges/${kept.id}.svg?style=flat-square`);
		expect(live.headers.get("access-control-allow-origin")).toBe("*");
		expect(live.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
	});
});

describe("purge through the write API", () => {
	it("shows the new verdict on badge, card and claim JSON right after publishing", async () => {
		const { apiCall, apiToken, makeUser } = await import("../desk/helpers");
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["verdicts:write", "verdicts:publish"]);
		const claim = await makeClaim({ language: "en" });
		const badge = `/badges/${claim.id}.svg`;
		expect(await (await call(badge)).text()).toContain("Unverified");
		expect(await (await call(`/embed/${claim.id}`)).text()).toContain("Unverified");
		expect((await (await call(`/api/v1/claims/${claim.id}`)).json<{ status: string }>()).status).toBe(
			"unverified",
		);
		expect((await call(badge)).headers.get("x-edge-cache")).toMatch(/^HIT/);

		const draft = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token,
			body: {
				rating: "false",
				headline: "Did not happen",
				evidence: [{ url: "https://evidence.example/x", title: "Record" }],
				language: "en",
			},
		});
		expect(draft.status).toBe(201);
		expect(await (await call(badge)).text()).toContain("In review");
		const { id, version } = await draft.json<{ id: string; version: number }>();
		const published = await apiCall("POST", `/api/v1/verdicts/${id}/publish`, { token, body: { version } });
		expect(published.status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(await (await call(badge)).text()).toContain("False");
		expect(await (await call(`/embed/${claim.id}`)).text()).toContain("False");
		expect((await (await call(`/api/v1/claims/${claim.id}`)).json<{ status: string }>()).status).toBe(
			"false",
		);
	});
});

describe("claim answers after a speaker's rename, without Workers Caching", () => {
	it("badge, card and JSON kept in this data centre's cache name the new speaker", async () => {
		const { apiCall, apiToken, makeUser } = await import("../desk/helpers");
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["claims:write"]);
		const claim = await makeClaim({ language: "en", speaker: { name: `Olga Renamed ${newId()}` } });
		await publish(claim.id, "false");
		const answers = [`/badges/${claim.id}.svg`, `/embed/${claim.id}`, `/api/v1/claims/${claim.id}`];
		for (const path of answers) await (await call(path)).arrayBuffer();
		await new Promise((resolve) => setTimeout(resolve, 50));
		for (const path of answers) expect((await call(path)).headers.get("x-edge-cache"), path).toMatch(/^HIT/);
		const slug = claim.speaker?.slug ?? "";
		const speaker = await json<{ version: number }>(await call(`/api/v1/speakers/${slug}`));
		const name = `Olga Newname ${newId()}`;
		const edited = await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
			token,
			body: { version: speaker.version, name, kind: "person", aliases: [] },
		});
		expect(edited.status).toBe(200);
		// The purge named the speaker's claims by one tag; here it was read into this claim.
		for (const path of answers) {
			const fresh = await call(path);
			expect(fresh.headers.get("x-edge-cache"), path).not.toMatch(/^HIT/);
			expect(await fresh.text(), path).toContain(name);
		}
	});
});
