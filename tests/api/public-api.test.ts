import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { claimDetailJson, claimSummaryJson, listJson, speakerDetailJson } from "../../src/schemas/public-api";
import { draft, makeClaim, publish, retract } from "../factories";
import { BASE, call, type GoogleError, json, purgeClaim } from "../helpers";
import { useOwnDatabase } from "../own-database";

useOwnDatabase();

type List = { data: { id: string; status: string; text: string }[]; next: string | null };

async function walk(path: string, between?: (page: number) => Promise<void>) {
	const seen: string[] = [];
	let url: string | null = path;
	let page = 0;
	while (url) {
		const response = await call(url.replace(/^https?:\/\/[^/]+/, ""));
		expect(response.status).toBe(200);
		const body = await json<List>(response);
		seen.push(...body.data.map((c) => c.id));
		url = body.next;
		if (between) await between(page++);
	}
	return seen;
}

describe("GET /api/v1/claims", () => {
	it("lists claims newest first in the documented shape, CORS open", async () => {
		const older = await makeClaim();
		const newer = await makeClaim();
		const response = await call("/api/v1/claims?limit=100", {
			headers: { Origin: "https://elsewhere.example" },
		});
		expect(response.status).toBe(200);
		expect(response.headers.get("access-control-allow-origin")).toBe("*");
		expect(response.headers.get("access-control-allow-credentials")).toBeNull();
		const body = listJson(claimSummaryJson).parse(await response.json());
		const ids = body.data.map((c) => c.id);
		expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
	});

	it("walks every page by cursor, none twice and none missed, while rows are added", async () => {
		const language = "fi";
		const made = [];
		for (let i = 0; i < 7; i++) made.push((await makeClaim({ language })).id);
		const added: string[] = [];
		const seen = await walk(`/api/v1/claims?language=${language}&limit=2`, async () => {
			added.push((await makeClaim({ language })).id);
		});
		expect(new Set(seen).size).toBe(seen.length);
		for (const id of made) expect(seen).toContain(id);
		// rows added after the walk started are newer than the cursor: never mixed into later pages
		for (const id of added) expect(seen).not.toContain(id);
	});

	it("walks pages sorted by claim date", async () => {
		const language = "sv";
		const dates = ["2024-01-05", "2024-03-01", "2024-03-01", "2023-12-31", "2024-02-10"];
		const made = [];
		for (const claimedAt of dates) made.push(await makeClaim({ language, claimedAt }));
		const response = await call(`/api/v1/claims?language=${language}&sort=claimed&limit=100`);
		const all = (await json<{ data: { id: string; claimedAt: string }[] }>(response)).data;
		expect(all.map((c) => c.claimedAt)).toEqual([...dates].sort().reverse());
		const seen = await walk(`/api/v1/claims?language=${language}&sort=claimed&limit=2`);
		expect(seen).toEqual(all.map((c) => c.id));
	});

	it("filters by status, rating, speaker, source, domain, language and dates", async () => {
		const speakerName = "Filter Person";
		const a = await makeClaim({
			speaker: { name: speakerName },
			sourceUrl: "https://www.filter-domain.example/a",
			claimedAt: "2020-05-01",
		});
		const b = await makeClaim({
			speaker: { id: a.speakerId ?? "" },
			claimedAt: "2021-06-01",
			language: "en",
		});
		await publish(a.id, "false");
		await draft(b.id);
		const ids = async (query: string) =>
			(await json<List>(await call(`/api/v1/claims?limit=100&${query}`))).data.map((c) => c.id);
		const slug = a.speaker?.slug ?? "";
		expect(await ids(`speaker=${slug}`)).toEqual([b.id, a.id]);
		expect(await ids(`speaker=${slug}&status=false`)).toEqual([a.id]);
		expect(await ids(`speaker=${slug}&rating=false`)).toEqual([a.id]);
		expect(await ids(`speaker=${slug}&status=in-review`)).toEqual([b.id]);
		expect(await ids(`source=${a.appearances[0]?.sourceId}`)).toEqual([a.id]);
		expect(await ids("domain=filter-domain.example")).toEqual([a.id]);
		expect(await ids("domain=www.filter-domain.example")).toEqual([a.id]);
		expect(await ids(`speaker=${slug}&language=en`)).toEqual([b.id]);
		expect(await ids(`speaker=${slug}&since=2021-01-01`)).toEqual([b.id]);
		expect(await ids(`speaker=${slug}&until=2020-12-31`)).toEqual([a.id]);
		const today = new Date().toISOString().slice(0, 10);
		expect(await ids(`speaker=${slug}&reviewedSince=${today}`)).toEqual([a.id]);
		expect(await ids(`speaker=${slug}&reviewedUntil=2000-01-01`)).toEqual([]);
	});

	it("searches full text over quote, speaker aliases and source title, diacritics-insensitive", async () => {
		const claim = await makeClaim({
			text: "Die Fähre nach Wŏnsan fährt wieder täglich",
			speaker: { name: "Olga Überall", aliases: ["Olga Ueberall"] },
			sourceTitle: "Hafenbericht aus Kalma",
		});
		const found = async (q: string) =>
			(await json<List>(await call(`/api/v1/claims?q=${encodeURIComponent(q)}`))).data.map((c) => c.id);
		expect(await found("wonsan")).toContain(claim.id);
		expect(await found("Faehre OR Fähre")).toContain(claim.id);
		expect(await found('"fährt wieder"')).toContain(claim.id);
		expect(await found("fäh*")).toContain(claim.id);
		expect(await found("uberall")).toContain(claim.id);
		expect(await found("ueberall")).toContain(claim.id);
		expect(await found("hafenbericht")).toContain(claim.id);
		expect(await found("wonsan -fähre")).not.toContain(claim.id);
		expect(await found('"wieder fährt"')).not.toContain(claim.id);
	});
});

describe("GET /api/v1/claims/:id", () => {
	it("gives the claim, its speaker, appearances, current verdict and full public history", async () => {
		const claim = await makeClaim();
		const first = await publish(claim.id, "false", { headline: "First verdict" });
		const unpublished = await draft(claim.id, "Unpublished correction draft");
		const response = await call(`/api/v1/claims/${claim.id}`);
		expect(response.status).toBe(200);
		let body = claimDetailJson.parse(await response.json());
		expect(body.status).toBe("false");
		expect(body.verdict?.id).toBe(first.id);
		expect(body.appearances[0]?.firstAppearance).toBe(true);
		expect(body.appearances[0]?.link).toContain("#:~:text=");
		expect(body.history.map((v) => v.headline)).toEqual(["First verdict"]);

		const db = (await import("../helpers")).testDb();
		const { createDraftVerdict, discardDraftVerdict, publishVerdict } = await import(
			"../../src/store/verdicts"
		);
		const { actor } = await import("../factories");
		// A claim has one open draft at a time: the unpublished one goes before the correction.
		await discardDraftVerdict(db, actor, unpublished.id);
		const correction = await createDraftVerdict(db, actor, claim.id, {
			rating: "mostly-false",
			headline: "Corrected verdict",
			summary: null,
			body: null,
			evidence: [],
			language: "de",
		});
		await publishVerdict(db, actor, correction.id, correction.version, "A figure was wrong.");
		await purgeClaim(claim.id);
		body = claimDetailJson.parse(await (await call(`/api/v1/claims/${claim.id}`)).json());
		expect(body.status).toBe("mostly-false");
		// Publication order, version 1 first; each version has its own public page.
		expect(body.history.map((v) => [v.version, v.state, v.headline, v.correctionNote])).toEqual([
			[1, "superseded", "First verdict", null],
			[2, "published", "Corrected verdict", "A figure was wrong."],
		]);
		expect(body.history[0]?.url).toBe(`${BASE}/claims/${claim.id}/verdicts/${body.history[0]?.id}`);
		const versionOne = await call(`/claims/${claim.id}/verdicts/${body.history[0]?.id}?lang=en`);
		expect(versionOne.status).toBe(200);
		const firstPage = await versionOne.text();
		expect(firstPage).toContain("First verdict");
		// The version is the page's one h1 (it had none: the outline began at h2).
		expect(firstPage.match(/<h1[^>]*>[^<]*<\/h1>/g)).toEqual([
			'<h1 class="version-title">Version 1 · Superseded</h1>',
		]);
		expect(body.version).toBeGreaterThanOrEqual(1);
	});

	it("never leaks a draft, a user or a token", async () => {
		const claim = await makeClaim();
		await draft(claim.id, "TOP SECRET DRAFT HEADLINE");
		for (const path of [
			`/api/v1/claims/${claim.id}`,
			"/api/v1/claims?limit=100",
			`/api/v1/claims?q=${encodeURIComponent("secret")}`,
			`/v1alpha1/claims:search?query=secret`,
		]) {
			const text = await (await call(path)).text();
			expect(text, path).not.toContain("TOP SECRET DRAFT");
			expect(text, path).not.toContain("secret draft summary");
			expect(text, path).not.toMatch(/password|token_hash|reviewerId|editorId|createdBy/i);
		}
	});

	it("answers unknown and malformed ids with 404 / 422 problems", async () => {
		const missing = await call("/api/v1/claims/zzzzzzzzzzzzzz");
		expect(missing.status).toBe(404);
		expect(missing.headers.get("content-type")).toContain("application/problem+json");
		for (const bad of ["..%2F..%2Fetc%2Fpasswd", "1' OR '1'='1", "ABC", "x".repeat(300)]) {
			const response = await call(`/api/v1/claims/${bad}`);
			expect(response.status, bad).toBe(422);
			expect((await json(response)).errors).toEqual([expect.objectContaining({ path: "param.id" })]);
		}
	});
});

describe("ETag and caching", () => {
	it("answers If-None-Match with 304 and changes the ETag when the data changes", async () => {
		const claim = await makeClaim();
		const first = await call(`/api/v1/claims/${claim.id}`);
		const etag = first.headers.get("etag");
		expect(etag).toMatch(/^"[\w-]+"$/);
		expect(first.headers.get("cache-control")).toMatch(
			/public, max-age=\d+(, s-maxage=\d+)?, stale-while-revalidate=\d+/,
		);
		const again = await call(`/api/v1/claims/${claim.id}`, { headers: { "If-None-Match": etag ?? "" } });
		expect(again.status).toBe(304);
		expect(await again.text()).toBe("");
		await publish(claim.id, "true");
		const changed = await call(`/api/v1/claims/${claim.id}`, { headers: { "If-None-Match": etag ?? "" } });
		expect(changed.status).toBe(200);
		expect(changed.headers.get("etag")).not.toBe(etag);
	});

	it("returns a read-replica bookmark header on a reader's own answer, none on a shared one", async () => {
		// A shared answer is every reader's copy (lib/cache-policy): no one's session.
		expect((await call("/api/v1/claims?limit=1")).headers.get("x-d1-bookmark")).toBeNull();
		// A pinned read is the client's own: it gets the bookmark of where it read.
		const response = await call("/api/v1/claims?limit=1", { headers: { "X-D1-Bookmark": "first-primary" } });
		expect(response.status).toBe(200);
		expect(response.headers.get("cache-control")).toMatch(/^private/);
		const bookmark = response.headers.get("x-d1-bookmark");
		expect(bookmark).toBeTruthy();
		// a client sends it back to read its own writes; a garbage bookmark is ignored, not a 500
		expect(
			(await call("/api/v1/claims?limit=1", { headers: { "X-D1-Bookmark": bookmark ?? "" } })).status,
		).toBe(200);
		expect((await call("/api/v1/claims?limit=1", { headers: { "X-D1-Bookmark": "<garbage>" } })).status).toBe(
			200,
		);
	});
});

describe("speakers, sources and ratings", () => {
	it("gives a speaker scorecard over published verdicts with the denominator", async () => {
		const a = await makeClaim({ speaker: { name: "Score Card" } });
		const speaker = { id: a.speakerId ?? "" };
		const b = await makeClaim({ speaker });
		const c = await makeClaim({ speaker });
		await makeClaim({ speaker });
		await publish(a.id, "false");
		await publish(b.id, "false");
		await publish(c.id, "true");
		const response = await call(`/api/v1/speakers/${a.speaker?.slug}`);
		const body = speakerDetailJson.parse(await response.json());
		expect(body.scorecard.published).toBe(3);
		expect(body.scorecard.claims).toBe(4);
		const count = (key: string) => body.scorecard.counts.find((x) => x.rating.key === key)?.count;
		expect(count("false")).toBe(2);
		expect(count("true")).toBe(1);
		expect(count("half-true")).toBe(0);
		expect(body.scorecard.counts).toHaveLength(8);
	});

	it("lists speakers and sources, and gives a source with its claims", async () => {
		const claim = await makeClaim();
		const speakers = await json<{ data: { slug: string }[] }>(await call("/api/v1/speakers?limit=100"));
		expect(speakers.data.map((s) => s.slug)).toContain(claim.speaker?.slug);
		const sourceId = claim.appearances[0]?.sourceId ?? "";
		const source = await json<{ claims: { id: string }[]; url: string }>(
			await call(`/api/v1/sources/${sourceId}`),
		);
		expect(source.claims.map((c) => c.id)).toEqual([claim.id]);
		const sources = await json<{ data: { id: string }[] }>(await call("/api/v1/sources?limit=100"));
		expect(sources.data.map((s) => s.id)).toContain(sourceId);
	});

	it("pages speakers and sources by cursor", async () => {
		for (let i = 0; i < 3; i++) await makeClaim();
		// Slugs run to 80 characters: three in a row, so one of them ends a page of two.
		const ministry = "Bundesministerium für wirtschaftliche Zusammenarbeit und Entwicklung";
		const offices: string[] = [];
		for (const office of ["Bonn", "Berlin", "Brüssel"]) {
			const claim = await makeClaim({
				speaker: { name: `${ministry}, Dienstsitz ${office}`, kind: "organization" },
			});
			offices.push(claim.speaker?.slug ?? "");
		}
		// Past 80 characters with a namesake's suffix: their pages answer too.
		expect(Math.max(...offices.map((slug) => slug.length))).toBeGreaterThan(80);
		for (const slug of offices) {
			expect((await call(`/api/v1/speakers/${slug}`)).status, slug).toBe(200);
			expect((await call(`/speakers/${slug}?lang=de`)).status, slug).toBe(200);
			expect((await call(`/api/v1/claims?speaker=${slug}`)).status, slug).toBe(200);
		}
		for (const base of ["/api/v1/speakers", "/api/v1/sources"]) {
			const all = (await json<{ data: { slug?: string; id?: string }[] }>(await call(`${base}?limit=100`)))
				.data;
			const seen: unknown[] = [];
			let url: string | null = `${base}?limit=2`;
			while (url) {
				const page: { data: { slug?: string; id?: string }[]; next: string | null } = await json(
					await call(url.replace(/^https?:\/\/[^/]+/, "")),
				);
				seen.push(...page.data.map((s) => s.slug ?? s.id));
				url = page.next;
			}
			expect(seen, base).toEqual(all.map((s) => s.slug ?? s.id));
		}
	});

	it("gives the rating scale in the requested language", async () => {
		const body = await json<{ ratings: { key: string; label: string; value: number | null }[] }>(
			await call("/api/v1/ratings?lang=de"),
		);
		expect(body.ratings.map((r) => r.key)).toHaveLength(8);
		expect(body.ratings.find((r) => r.key === "false")).toMatchObject({ label: "Falsch", value: 1 });
	});
});

describe("bad input never gives a 500", () => {
	const cases: [string, string][] = [
		["status=bogus", "query.status"],
		["rating=pants-on-fire", "query.rating"],
		["limit=100000", "query.limit"],
		["limit=0", "query.limit"],
		["limit=abc", "query.limit"],
		["cursor=not-a-cursor!!", "query.cursor"],
		["cursor=eyJhIjoxfQ", "query.cursor"],
		["since=2025-13-45", "query.since"],
		["speaker=%27%20OR%201%3D1", "query.speaker"],
		["domain=%3Cscript%3E", "query.domain"],
		[`q=${encodeURIComponent('"unbalanced')}`, "query.q"],
		[`q=${encodeURIComponent("NEAR(a b)")}`, "query.q"],
		[`q=${encodeURIComponent("*")}`, "query.q"],
		[`q=${"a".repeat(10_000)}`, "query.q"],
		["sort=relevance", "query.sort"],
		["unknown=1", "query"],
		["status=false&status=true", "query.status"],
	];
	for (const [query, path] of cases) {
		it(`rejects ${query.slice(0, 40)} naming ${path}`, async () => {
			const response = await call(`/api/v1/claims?${query}`);
			expect(response.status).toBeGreaterThanOrEqual(400);
			expect(response.status).toBeLessThan(500);
			expect(response.headers.get("content-type")).toContain("application/problem+json");
			const body = await json<{ errors?: { path: string }[]; detail: string }>(response);
			expect(body.errors?.map((e) => e.path).join(" ") ?? body.detail).toContain(path);
		});
	}

	it("searches SQL fragments as plain words", async () => {
		const response = await call(`/api/v1/claims?q=${encodeURIComponent("'; DROP TABLE claims; --")}`);
		expect(response.status).toBe(200);
		expect((await call("/api/v1/claims")).status).toBe(200);
	});
});

describe("OpenAPI", () => {
	it("Google's search pages by offset without a query, as by its page token, and names a bad token", async () => {
		for (let i = 0; i < 4; i++) await publish((await makeClaim()).id);
		const search = async (params: string) =>
			json<{ claims: { claimReview: { url: string }[] }[]; nextPageToken?: string }>(
				await call(
					`/v1alpha1/claims:search?reviewPublisherSiteFilter=claimtrack.example&pageSize=2&${params}`,
				),
			);
		const urls = (answer: { claims: { claimReview: { url: string }[] }[] }) =>
			answer.claims.map((c) => c.claimReview[0]?.url);
		const first = await search("offset=0");
		const byToken = await search(`pageToken=${first.nextPageToken}`);
		const byOffset = await search("offset=2");
		expect(urls(byOffset)).toHaveLength(2);
		expect(urls(byOffset)).toEqual(urls(byToken));
		expect(urls(byOffset)).not.toEqual(urls(first));
		// An empty pageToken is none (as Google's): the offset counts.
		expect(urls(await search("offset=2&pageToken="))).toEqual(urls(byOffset));
		const bad = await call("/v1alpha1/claims:search?query=x&pageToken=zzz");
		expect(bad.status).toBe(400);
		const error = (await json<GoogleError>(bad)).error;
		expect(error.status).toBe("INVALID_ARGUMENT");
		expect(error.details[0]?.fieldViolations?.[0]?.field).toBe("pageToken");
	});

	it("serves its API description to browsers on other origins", async () => {
		const doc = await call("/api/v1/openapi.json", { headers: { Origin: "https://docs.example" } });
		expect(doc.status).toBe(200);
		expect(doc.headers.get("access-control-allow-origin")).toBe("*");
	});

	it("documents every public read route with its parameters", async () => {
		const doc = await json<{
			openapi: string;
			paths: Record<string, Record<string, { parameters: { name: string }[] }>>;
		}>(await call("/api/v1/openapi.json"));
		expect(doc.openapi).toBe("3.1.0");
		for (const path of [
			"/api/v1/claims",
			"/api/v1/claims/{id}",
			"/api/v1/speakers",
			"/api/v1/speakers/{slug}",
			"/api/v1/sources",
			"/api/v1/sources/{id}",
			"/api/v1/ratings",
			"/v1alpha1/claims:search",
		]) {
			expect(doc.paths[path]?.get, path).toBeDefined();
		}
		expect(doc.paths["/api/v1/claims"]?.get?.parameters.map((p) => p.name)).toEqual(
			expect.arrayContaining(["status", "rating", "speaker", "q", "limit", "cursor", "since", "until"]),
		);
	});
});

describe("Google's claims:search, as Google's clients read it", () => {
	interface Answer {
		claims?: {
			text: string;
			claimant?: string;
			claimReview: {
				publisher: { site: string };
				url: string;
				title?: string;
				reviewDate?: string;
				textualRating: string;
				languageCode: string;
			}[];
		}[];
		nextPageToken?: string;
	}
	const search = async (params: string) => json<Answer>(await call(`/v1alpha1/claims:search?${params}`));

	it("filters languageCode on the review's language, the one each result reports", async () => {
		const marker = `sprachwahl${newId()}`;
		const claim = await makeClaim({ text: `An English claim about ${marker}`, language: "en" });
		await publish(claim.id, "false", { language: "de" });
		const german = await search(`query=${marker}&languageCode=de-AT`);
		expect(german.claims?.map((c) => c.claimReview[0]?.languageCode)).toEqual(["de"]);
		expect((await search(`query=${marker}&languageCode=en`)).claims).toBeUndefined();
	});

	it("names the site of its review URLs, and finds them by it", async () => {
		const marker = `seitenwahl${newId()}`;
		const claim = await makeClaim({ text: `Eine Behauptung über ${marker}` });
		await publish(claim.id);
		const answer = await search(`query=${marker}`);
		const review = answer.claims?.[0]?.claimReview[0];
		expect(review?.url).toBe(`${BASE}/claims/${claim.id}`);
		expect(review?.publisher.site).toBe(new URL(BASE).hostname);
		for (const site of [new URL(BASE).hostname, "claimtrack.example"])
			expect((await search(`query=${marker}&reviewPublisherSiteFilter=${site}`)).claims).toHaveLength(1);
	});

	it("lists a retraction without the withdrawn headline, dated by the retraction", async () => {
		const marker = `rueckzug${newId()}`;
		const claim = await makeClaim({ text: `Eine Behauptung über ${marker}` });
		const verdict = await publish(claim.id, "false", { headline: "Falsch, sagt die Quelle" });
		const withdrawn = await retract(verdict.id, verdict.version);
		const review = (await search(`query=${marker}`)).claims?.[0]?.claimReview[0];
		expect(review?.textualRating).toBe("Zurückgezogen");
		expect(review?.title).toBeUndefined();
		expect(review?.reviewDate).toBe(withdrawn.retractedAt);
	});

	it("takes a blank query as none, and page sizes as Google's APIs do", async () => {
		const blank = await call("/v1alpha1/claims:search?query=%20%20");
		expect(blank.status).toBe(400);
		expect((await json<GoogleError>(blank)).error.message).toBe(
			"Either query or reviewPublisherSiteFilter is required.",
		);
		for (let i = 0; i < 11; i++) await publish((await makeClaim()).id);
		const site = "reviewPublisherSiteFilter=claimtrack.example";
		expect((await search(`${site}&pageSize=0`)).claims?.length).toBe(10);
		const large = await call(`/v1alpha1/claims:search?${site}&pageSize=500`);
		expect(large.status).toBe(200);
		// More than the default, at most the maximum.
		const listed = (await json<Answer>(large)).claims?.length ?? 0;
		expect(listed).toBeGreaterThan(10);
		expect(listed).toBeLessThanOrEqual(100);
		const negative = await call(`/v1alpha1/claims:search?${site}&pageSize=-1`);
		expect(negative.status).toBe(400);
		const { error } = await json<GoogleError>(negative);
		expect(error.details[0]?.fieldViolations?.[0]?.field).toBe("pageSize");
		expect(error.message).toMatch(/^pageSize: /);
		expect(error.details.at(-1)).toMatchObject({ "@type": "type.googleapis.com/google.rpc.RequestInfo" });
	});

	it("reads pageSize, offset and maxAgeDays from decimal digits only, refusing them in Google's shape", async () => {
		const site = "reviewPublisherSiteFilter=claimtrack.example";
		// Number() read "1e1" as 10, " 0x10" as 16 and "" as 0.
		for (const [field, value] of [
			["pageSize", "1e1"],
			["pageSize", "%200x10"],
			["offset", "0x10"],
			["offset", ""],
			["maxAgeDays", "1e1"],
		]) {
			const response = await call(`/v1alpha1/claims:search?${site}&${field}=${value}`);
			expect(response.status, `${field}=${value}`).toBe(400);
			const { error } = await json<GoogleError>(response);
			expect(error.message).toBe(`${field}: Write a whole number in digits, such as 20.`);
			expect(error.status).toBe("INVALID_ARGUMENT");
			expect(error.details[0]?.fieldViolations?.[0]?.field).toBe(field);
		}
		expect((await call(`/v1alpha1/claims:search?${site}&pageSize=2&offset=0&maxAgeDays=30`)).status).toBe(
			200,
		);
	});

	it("takes an empty parameter as unset and Google's proto names as its own, and refuses a name it does not know", async () => {
		const marker = `protoname${newId()}`;
		const one = await makeClaim({ text: `Eine Behauptung über ${marker} eins` });
		const two = await makeClaim({ text: `Eine Behauptung über ${marker} zwei` });
		for (const claim of [one, two]) await publish(claim.id, "false", { language: "de" });
		const both = [one.text, two.text].sort();
		const texts = async (params: string) =>
			((await search(`query=${marker}&${params}`)).claims ?? []).map((c) => c.text).sort();
		// An empty value is unset, as Google's REST layer reads a proto3 string, and as HTML forms
		// and qs.stringify send an unset field: it answered {} for every query, or a 400.
		expect(await texts("reviewPublisherSiteFilter=")).toEqual(both);
		expect(await texts("languageCode=")).toEqual(both);
		expect(await texts("languageCode=&reviewPublisherSiteFilter=&pageToken=")).toEqual(both);
		// Google's proto field names are the same parameters: they were ignored, and another
		// publisher's site or another language answered everything as if filtered.
		expect(await texts("review_publisher_site_filter=elsewhere.example")).toEqual([]);
		expect(await texts("review_publisher_site_filter=claimtrack.example")).toEqual(both);
		expect(await texts("language_code=en")).toEqual([]);
		expect(await texts("language_code=de-AT")).toEqual(both);
		expect(await texts("language_code=&review_publisher_site_filter=")).toEqual(both);
		const first = await search(`query=${marker}&page_size=1`);
		expect(first.claims).toHaveLength(1);
		const second = await search(
			`query=${marker}&page_size=1&page_token=${encodeURIComponent(first.nextPageToken ?? "")}`,
		);
		expect([first.claims?.[0]?.text, second.claims?.[0]?.text].sort()).toEqual(both);
		const young = await call(`/v1alpha1/claims:search?query=${marker}&max_age_days=0`);
		expect((await json<GoogleError>(young)).error.message).toBe("max_age_days: Give a number of at least 1.");
		// Google's standard system parameters are accepted (and ignored).
		expect(
			await texts(
				"key=k&alt=json&prettyPrint=false&fields=claims&quotaUser=u&callback=cb&access_token=t&oauth_token=t&upload_protocol=raw&uploadType=media&%24.xgafv=2",
			),
		).toEqual(both);
		// Any other name is refused, named, in Google's shape: a misspelt filter was ignored.
		for (const name of [
			"reviewPublisherSite",
			"language",
			"review_publisher_site",
			"pagesize",
			"constructor",
			// Names every object has: `__proto__` was dropped unread, as zod leaves it out of
			// what it parses (assigning it would set the object's prototype).
			"__proto__",
			"toString",
			"hasOwnProperty",
			"__defineGetter__",
		]) {
			const response = await call(`/v1alpha1/claims:search?query=${marker}&${name}=elsewhere.example`);
			expect(response.status, name).toBe(400);
			const { error } = await json<GoogleError>(response);
			expect(error.status, name).toBe("INVALID_ARGUMENT");
			expect(error.message, name).toMatch(new RegExp(`^${name}: Unknown parameter`));
			expect(error.details[0]?.fieldViolations?.[0]?.field, name).toBe(name);
		}
		// An unknown name as long as an address allows: named by its start, a short answer.
		const long = await call(`/v1alpha1/claims:search?query=${marker}&${"k".repeat(3000)}=1`);
		expect(long.status).toBe(400);
		const longText = await long.text();
		expect(longText.length).toBeLessThan(2000);
		expect(longText).toContain(`${"k".repeat(60)}…: Unknown parameter`);
		// Both names of one parameter: which one meant is not ours to guess.
		const twice = await call(`/v1alpha1/claims:search?query=${marker}&languageCode=de&language_code=en`);
		expect(twice.status).toBe(400);
		expect((await json<GoogleError>(twice)).error.message).toBe(
			"language_code: Give languageCode or language_code, not both.",
		);
		const doc = await json<{ paths: Record<string, { get: { parameters: { name: string }[] } }> }>(
			await call("/api/v1/openapi.json"),
		);
		expect(doc.paths["/v1alpha1/claims:search"]?.get.parameters.map((p) => p.name)).toEqual(
			expect.arrayContaining([
				"review_publisher_site_filter",
				"language_code",
				"max_age_days",
				"page_size",
				"page_token",
			]),
		);
	});

	it("names the claim's source as claimant when it has no speaker", async () => {
		const marker = `quellenwahl${newId()}`;
		const claim = await makeClaim({ text: `Die Zeitung über ${marker}`, speaker: null });
		await publish(claim.id);
		const found = (await search(`query=${marker}`)).claims?.[0];
		const source = claim.appearances[0]?.source;
		expect(found?.claimant).toBe(source?.publisher?.trim() || source?.domain);
	});
});

describe("?lang= on single answers", () => {
	it("is documented and validated where the labels follow it, and the NDJSON export honours it", async () => {
		const claim = await makeClaim();
		await publish(claim.id, "false");
		const spec = await json<{
			paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }>;
		}>(await call("/api/v1/openapi.json"));
		for (const path of [
			"/api/v1/claims/{id}",
			"/api/v1/speakers/{slug}",
			"/api/v1/sources/{id}",
			"/api/v1/ratings",
			"/api/v1/claims/matches",
			"/api/v1/export.ndjson",
		]) {
			const names = (spec.paths[path]?.get?.parameters ?? [])
				.filter((p) => p.in === "query")
				.map((p) => p.name);
			expect(names, path).toContain("lang");
		}
		// One rule: an unknown label language is a 422, as on the list.
		expect((await call("/api/v1/ratings?lang=fr")).status).toBe(422);
		expect((await call("/api/v1/claims?lang=fr")).status).toBe(422);
		const ratings = await json<{ ratings: { label: string }[] }>(await call("/api/v1/ratings?lang=de"));
		expect(ratings.ratings.map((r) => r.label)).toContain("Falsch");
		const lines = (await (await call("/api/v1/export.ndjson?lang=de")).text()).trim().split("\n");
		const exported = lines.map((line) => JSON.parse(line)).find((c: { id: string }) => c.id === claim.id);
		expect(exported?.statusLabel).toBe("Falsch");
	});
});
