import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { dayIn } from "../../src/domain/time-zone";
import { SYSTEM } from "../../src/store/batch";
import { listSpeakers } from "../../src/store/speakers";
import { BulkHistory } from "../bulk-fixtures";
import { account, apiCall, apiToken, deskGet, makeUser } from "../desk/helpers";
import { draft, makeClaim, publish, retract } from "../factories";
import { BASE, call, countingD1, fetchWith, json, testDb } from "../helpers";
import { useOwnDatabase } from "../own-database";

useOwnDatabase();

const html = { headers: { Accept: "text/html" } };

/** Reads the JSON-LD blocks back out of a page, as a crawler would. */
function jsonLdBlocks(page: string): unknown[] {
	return [...page.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) =>
		JSON.parse(m[1] ?? ""),
	);
}

describe("public claim page", () => {
	it("carries one ClaimReview with every required and recommended property", async () => {
		const claim = await makeClaim({
			text: "Die Luftverbindungen seien bereits wiederhergestellt",
			speaker: { name: "Page Speaker", description: "Foreign Minister", wikidataId: "Q80137" },
		});
		await publish(claim.id, "false", { headline: "No scheduled flights", language: "de" });
		const response = await call(`/claims/${claim.id}`, html);
		expect(response.status).toBe(200);
		expect(response.headers.get("content-type")).toContain("text/html");
		const page = await response.text();
		const blocks = jsonLdBlocks(page) as Record<string, unknown>[];
		expect(blocks).toHaveLength(1);
		const review = blocks[0] as Record<string, any>;
		expect(review["@context"]).toBe("https://schema.org");
		expect(review["@type"]).toBe("ClaimReview");
		expect(review.claimReviewed).toBe(claim.text);
		expect(review.url).toBe(`http://claimtrack.test/claims/${claim.id}`);
		expect(review.reviewRating).toEqual({
			"@type": "Rating",
			alternateName: "Falsch",
			ratingValue: 1,
			worstRating: 1,
			bestRating: 5,
		});
		expect(review.author).toMatchObject({ "@type": "Organization", name: "Claimtrack Demo Desk" });
		expect(review.datePublished).toMatch(/^\d{4}-\d{2}-\d{2}/);
		expect(review.itemReviewed["@type"]).toBe("Claim");
		expect(review.itemReviewed.author).toMatchObject({ "@type": "Person", name: "Page Speaker" });
		expect(review.itemReviewed.datePublished).toBe("2025-07-12");
		expect(review.itemReviewed.firstAppearance.url).toMatch(/^https:\/\/news\.example\//);
		expect(review.itemReviewed.appearance).toBeDefined();
		expect(page).toContain('type="application/json+oembed"');
		expect(page).toContain(`/badges/${claim.id}.svg`);
		expect(page).toContain("&lt;iframe src=");
	});

	it("has no ClaimReview before publication and never shows a draft", async () => {
		const claim = await makeClaim();
		await draft(claim.id, "DRAFT-ONLY HEADLINE");
		const page = await (await call(`/claims/${claim.id}`, html)).text();
		expect(jsonLdBlocks(page)).toHaveLength(0);
		expect(page).not.toContain("DRAFT-ONLY HEADLINE");
	});

	it("escapes user text in HTML and keeps JSON-LD unbreakable by </script>", async () => {
		const evil = `</script><script>alert(1)</script><img src=x onerror=alert(2)> & "quotes"`;
		const claim = await makeClaim({ text: evil, speaker: { name: `<b>${evil}</b>` }, sourceTitle: evil });
		await publish(claim.id, "misleading", { headline: evil, summary: evil });
		const page = await (await call(`/claims/${claim.id}`, html)).text();
		expect(page).not.toContain("<script>alert(1)");
		expect(page).not.toContain("<img src=x");
		expect(page).not.toContain("<b></script>");
		const blocks = jsonLdBlocks(page) as Record<string, any>[];
		expect(blocks).toHaveLength(1);
		expect(blocks[0]?.claimReviewed).toBe(evil);
		expect(page.match(/<script/g)).toHaveLength(1);
	});

	it("lays a right-to-left claim out right to left, its text still isolated", async () => {
		const text = `ارتفعت صادرات الغاز ${newId()}`;
		const claim = await makeClaim({ text, language: "ar" });
		await publish(claim.id, "false", { headline: "انخفضت الصادرات", language: "ar" });
		// The direction is said outright: dir="auto" skips the <bdi> that isolates the text (so an
		// unclosed override in it cannot reorder what follows), and would find only neutral marks.
		const page = await (await call(`/claims/${claim.id}?lang=en`, html)).text();
		expect(page).toContain(`<blockquote class="quote" lang="ar" dir="rtl">&quot;<bdi>${text}</bdi>&quot;`);
		const card = await (await call(`/embed/${claim.id}`)).text();
		expect(card).toContain(`<blockquote class="clamp" lang="ar" dir="rtl">&quot;<bdi>${text}</bdi>&quot;`);
		expect(card).toContain('<p class="headline clamp" lang="ar" dir="rtl"><bdi>انخفضت الصادرات</bdi></p>');
		const list = await (
			await call(`/claims?q=${encodeURIComponent(text.split(" ").at(-1) ?? "")}`, html)
		).text();
		expect(list).toContain(
			`<a class="text" href="/claims/${claim.id}" lang="ar" dir="rtl">&quot;<bdi>${text}</bdi>&quot;`,
		);
		// A Latin text, whatever its language tag: left to right.
		const latin = await makeClaim({ text: `Exports rose ${newId()}`, language: "ar" });
		expect(await (await call(`/claims/${latin.id}?lang=en`, html)).text()).toContain(
			'<blockquote class="quote" lang="ar" dir="ltr">',
		);
	});

	it("shows corrections with their notes in German and English", async () => {
		const claim = await makeClaim();
		await publish(claim.id, "false", { headline: "First take" });
		await publish(claim.id, "half-true", { headline: "Second take", correctionNote: "New source found." });
		const de = await (await call(`/claims/${claim.id}?lang=de`, html)).text();
		expect(de).toContain("Korrekturverlauf");
		expect(de).toContain("New source found.");
		expect(de).toContain("First take");
		const en = await (
			await call(`/claims/${claim.id}`, {
				headers: { Accept: "text/html", "Accept-Language": "en-GB,en;q=0.8" },
			})
		).text();
		expect(en).toContain("Correction history");
	});

	it("dates each logged version by its publication and its retraction or supersession", async () => {
		const claim = await makeClaim();
		const first = await publish(claim.id, "false", { headline: "First take" });
		const second = await publish(claim.id, "half-true", {
			headline: "Second take",
			correctionNote: "New data.",
		});
		const withdrawn = await retract(second.id, second.version);
		await publish(claim.id, "true", { headline: "Third take" });
		await env.DB.batch([
			env.DB.prepare("UPDATE verdicts SET published_at = '2025-01-10T09:00:00.000Z' WHERE id = ?").bind(
				first.id,
			),
			env.DB.prepare(
				"UPDATE verdicts SET published_at = '2025-02-20T09:00:00.000Z', retracted_at = '2025-04-30T09:00:00.000Z' WHERE id = ?",
			).bind(withdrawn.id),
		]);
		const lines = async (lang: "en" | "de") => {
			const page = await (await call(`/claims/${claim.id}?lang=${lang}`, html)).text();
			const log = /<ol class="history">([\s\S]*?)<\/ol>/.exec(page)?.[1] ?? "";
			return [...log.matchAll(/<li>([\s\S]*?)<\/li>/g)].map(([, li]) =>
				(li ?? "").replace(/<[^>]+>/g, "").replace(/\s+/g, " "),
			);
		};
		const en = await lines("en");
		// Superseded when the second take came out; retracted on 30 April, not the day it came out.
		expect(en.find((l) => l.includes("First take"))).toContain(
			"Superseded 20 February 2025 (published 10 January 2025):",
		);
		expect(en.find((l) => l.includes("Second take"))).toContain(
			"Retracted 30 April 2025 (published 20 February 2025):",
		);
		expect(en.find((l) => l.includes("Third take"))).toMatch(/^Published \d{1,2} \w+ \d{4}:/);
		const de = await lines("de");
		expect(de.find((l) => l.includes("First take"))).toContain(
			"Ersetzt 20. Februar 2025 (veröffentlicht 10. Januar 2025):",
		);
		expect(de.find((l) => l.includes("Second take"))).toContain(
			"Zurückgezogen 30. April 2025 (veröffentlicht 20. Februar 2025):",
		);
	});

	it("sets a CSP without scripts or a nonce, no framing, and an HTML 404", async () => {
		const response = await call("/claims/zzzzzzzzzzzzzz", html);
		expect(response.status).toBe(404);
		expect(response.headers.get("content-type")).toContain("text/html");
		const home = await call("/", html);
		expect(home.status).toBe(200);
		const csp = home.headers.get("content-security-policy") ?? "";
		// No script runs on a public page, and a nonce would be replayed from shared caches.
		expect(csp).toContain("script-src 'none'");
		expect(csp).not.toContain("nonce-");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(home.headers.get("x-frame-options")).toBeNull();
		expect(home.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
	});
});

describe("speaker, source, list and docs pages", () => {
	it("renders the scorecard as an SVG bar chart", async () => {
		const claim = await makeClaim({ speaker: { name: "Chart Person" } });
		await publish(claim.id, "mostly-true");
		const page = await (await call(`/speakers/${claim.speaker?.slug}`, html)).text();
		expect(page).toContain("<svg");
		expect(page).toContain('role="img"');
		expect(page).toContain("Mostly true 1");
	});

	it("counts a speaker's claims in words, one in the singular", async () => {
		const claim = await makeClaim({ speaker: { name: `Counted ${newId()}` } });
		await publish(claim.id, "false");
		const slug = claim.speaker?.slug;
		const one = await (await call(`/speakers/${slug}?lang=en`, html)).text();
		expect(one).toContain("Ratings of 1 published fact-check · 1 claim recorded");
		const eins = await (await call(`/speakers/${slug}?lang=de`, html)).text();
		expect(eins).toContain("Bewertung aus 1 veröffentlichten Faktencheck · 1 Behauptung erfasst");
		await makeClaim({ speaker: { id: claim.speaker?.id ?? "" } });
		const two = await (await call(`/speakers/${slug}?lang=en`, html)).text();
		expect(two).toContain("Ratings of 1 published fact-check · 2 claims recorded");
	});

	it("lists speakers page by page, past what one D1 statement binds, each with its own aliases", async () => {
		const tag = newId();
		// 520 speakers: more than a page of 500, and aliases looked up 90 ids a statement; each
		// named by a claim (a speaker no claim names has no public page).
		await env.DB.prepare(
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 520)
			 INSERT INTO speakers (id, name, slug, kind) SELECT printf('%s%03d', substr(?1, 1, 11), i), 'Many ' || ?1 || ' ' || printf('%03d', i), 'many-' || ?1 || '-' || printf('%03d', i), 'person' FROM n`,
		)
			.bind(tag)
			.run();
		await env.DB.prepare(
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 520)
			 INSERT INTO claims (id, text, language, speaker_id, status, fingerprint) SELECT printf('c%s%03d', substr(?1, 1, 10), i), 'Said ' || i || ' ' || ?1, 'en', printf('%s%03d', substr(?1, 1, 11), i), 'unverified', ?1 || i FROM n`,
		)
			.bind(tag)
			.run();
		const aliasOf = (i: number) =>
			env.DB.prepare(
				"INSERT INTO speaker_aliases (id, speaker_id, alias, normalized) VALUES (?, ?, ?, ?)",
			).bind(
				newId(),
				`${tag.slice(0, 11)}${String(i).padStart(3, "0")}`,
				`Alias ${i} ${tag}`,
				`alias ${i} ${tag}`,
			);
		await env.DB.batch([aliasOf(5), aliasOf(140)]);
		const seen: string[] = [];
		let path: string | null = "/speakers?lang=en";
		for (let pages = 0; path && pages < 10; pages++) {
			const response = await call(path, html);
			expect(response.status, path).toBe(200);
			const text = await response.text();
			seen.push(...[...text.matchAll(new RegExp(`Many ${tag} (\\d{3})`, "g"))].map((m) => m[1] ?? ""));
			path = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(text)?.[1]?.replaceAll("&amp;", "&") ?? null;
		}
		expect(seen).toEqual(Array.from({ length: 520 }, (_, i) => String(i + 1).padStart(3, "0")));
		// A cursor that is not one of ours starts at the beginning.
		const forged = await call("/speakers?cursor=%3Cscript%3E&lang=en", html);
		expect(forged.status).toBe(200);
		expect(await forged.text()).toContain('rel="next"');
		const { rows } = await listSpeakers(testDb(), {
			limit: 200,
			after: { kind: "keyset", value: `many-${tag}-`, seq: 1 },
		});
		expect(rows).toHaveLength(200);
		expect(rows.filter((s) => s.aliases.length > 0).map((s) => [s.slug, s.aliases])).toEqual([
			[`many-${tag}-005`, [`Alias 5 ${tag}`]],
			[`many-${tag}-140`, [`Alias 140 ${tag}`]],
		]);
	});

	it("lists a speaker's and a source's claims page by page, every one reachable", async () => {
		const first = await makeClaim({ speaker: { name: `Prolific ${newId()}` } });
		const speakerId = first.speakerId;
		const sourceId = first.appearances[0]?.sourceId;
		const tag = newId().slice(0, 11);
		// 119 more claims of the same speaker, each recorded from the same source: 120 in all.
		await env.DB.batch([
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 119)
				 INSERT INTO claims (id, text, language, status, fingerprint, speaker_id)
				 SELECT printf('%s%03d', ?1, i), 'Behauptung ' || i || ' ' || ?1, 'de', 'unverified', ?1 || i, ?2 FROM n`,
			).bind(tag, speakerId),
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 119)
				 INSERT INTO appearances (id, claim_id, source_id, is_first)
				 SELECT printf('a%s%02d', substr(?1, 1, 10), i % 100) || (i / 100), printf('%s%03d', ?1, i), ?2, 1 FROM n`,
			).bind(tag, sourceId),
		]);
		const expected = [
			...Array.from({ length: 119 }, (_, i) => `${tag}${String(119 - i).padStart(3, "0")}`),
			first.id,
		];
		for (const start of [`/speakers/${first.speaker?.slug}?lang=en`, `/sources/${sourceId}?lang=en`]) {
			const seen: string[] = [];
			const perPage: number[] = [];
			let path: string | null = start;
			for (let pages = 0; path && pages < 10; pages++) {
				const response = await call(path, html);
				expect(response.status, path).toBe(200);
				const text = await response.text();
				const ids = [...text.matchAll(/<a class="text" href="\/claims\/([0-9a-z]{14})"/g)].map(
					(m) => m[1] ?? "",
				);
				seen.push(...ids);
				perPage.push(ids.length);
				path =
					/<a href="([^"]+)" rel="next">Next page<\/a>/.exec(text)?.[1]?.replaceAll("&amp;", "&") ?? null;
			}
			expect(perPage, start).toEqual([50, 50, 20]);
			expect(seen, start).toEqual(expected);
			// A cursor that is not one of ours starts at the beginning.
			const forged = await (await call(`${start}&cursor=%3Cscript%3E`, html)).text();
			expect(forged).toContain(`/claims/${expected[0]}"`);
		}
		// The JSON source holds the newest 100 and links to all of them in the claim list.
		const source = await json<{ claims: { id: string }[]; allClaims: string }>(
			await call(`/api/v1/sources/${sourceId}`),
		);
		expect(source.claims.map((c) => c.id)).toEqual(expected.slice(0, 100));
		const all = new URL(source.allClaims);
		expect(`${all.pathname}${all.search}`).toBe(`/api/v1/claims?source=${sourceId}`);
		const listed = await json<{ data: { id: string }[] }>(
			await call(`${all.pathname}${all.search}&limit=100`),
		);
		expect(listed.data).toHaveLength(100);
	});

	it("renders source, claim list with search, speakers and API docs", async () => {
		const claim = await makeClaim({ text: "Einzigartiges Suchwort Quokkafisch" });
		const source = await (await call(`/sources/${claim.appearances[0]?.sourceId}`, html)).text();
		expect(source).toContain("Quokkafisch");
		const list = await (await call(`/claims?q=quokkafisch`, html)).text();
		expect(list).toContain("Quokkafisch");
		const bad = await call(`/claims?q=${encodeURIComponent('"oops')}`, html);
		expect(bad.status).toBe(200);
		expect(await bad.text()).toContain('role="alert"');
		expect((await call("/speakers", html)).status).toBe(200);
		const docs = await (await call("/api/docs", html)).text();
		expect(docs).toContain("/v1alpha1/claims:search");
		const css = await call("/assets/app.css");
		expect(css.headers.get("content-type")).toContain("text/css");
	});
});

describe("list pages take what a link brings", () => {
	it("a cursor too long to be ours starts at page one; a search too long is refused beside the box", async () => {
		const claim = await makeClaim({
			text: `Überlanger Zeiger ${newId()} Quokkafisch`,
			speaker: { name: `Long Cursor ${newId()}` },
		});
		const sourceId = claim.appearances[0]?.sourceId;
		const long = "A".repeat(201);
		for (const path of [
			`/speakers?cursor=${long}`,
			`/speakers/${claim.speaker?.slug}?cursor=${long}`,
			`/sources/${sourceId}?cursor=${long}`,
			`/claims?cursor=${long}`,
			`/claims?q=quokkafisch&sort=recent&cursor=${long}`,
		]) {
			const response = await call(path, html);
			expect([path, response.status]).toEqual([path, 200]);
			// Page one, and named so: its canonical address has no cursor.
			const page = await response.text();
			expect(/<link rel="canonical" href="([^"]*)"/.exec(page)?.[1], path).not.toContain("cursor=");
			if (!path.startsWith("/speakers?")) expect(page, path).toContain(`/claims/${claim.id}"`);
		}
		const typed = "quokkafisch ".repeat(20);
		const search = await call(`/claims?q=${encodeURIComponent(typed)}`, html);
		expect(search.status).toBe(200);
		const page = await search.text();
		expect(page).toMatch(/<p class="notice error" role="alert">Search for at most 200 characters.<\/p>/);
		expect(page).toContain(`value="${typed}"`);
		const german = await (await call(`/claims?lang=de&q=${encodeURIComponent(typed)}`, html)).text();
		expect(german).toContain("Suchen Sie nach höchstens 200 Zeichen.");
		// The API keeps its 422s naming the parameter.
		for (const path of [`/api/v1/claims?cursor=${long}`, `/api/v1/claims?q=${encodeURIComponent(typed)}`]) {
			const problem = await call(path);
			expect([path, problem.status]).toEqual([path, 422]);
		}
	});

	it("a search longer than the API's q as sent is refused beside the box, however short it is once cleaned", async () => {
		const claim = await makeClaim({ text: `Gekürzte Suche ${newId()} Walrossfisch` });
		const search = async (q: string) => {
			const response = await call(`/claims?q=${encodeURIComponent(q)}`, html);
			expect(response.status).toBe(200);
			const page = await response.text();
			const refused = page.includes(
				'<p class="notice error" role="alert">Search for at most 200 characters.</p>',
			);
			return { refused, found: page.includes(`/claims/${claim.id}"`) };
		};
		// Soft hyphens are taken out before a search is read: 200 characters as sent are searched.
		const shy = (n: number) => `walrossfisch${"\u00AD".repeat(n - 12)}`;
		expect(await search(shy(200))).toEqual({ refused: false, found: true });
		expect(await search(shy(201))).toEqual({ refused: true, found: false });
		// A run of combining marks (cleaning it costs CPU quadratic in its length) is refused as sent.
		expect(await search(`a${"\u0301\u0323".repeat(1_000)}`)).toEqual({ refused: true, found: false });
		// As the API refuses them.
		expect((await call(`/api/v1/claims?q=${encodeURIComponent(shy(201))}`)).status).toBe(422);
		expect((await call(`/api/v1/claims?q=${encodeURIComponent(shy(200))}`)).status).toBe(200);
	});

	it("the search box takes a pasted search whole up to ten times what is searched: one too long is refused beside the box and kept in it, never searched cut short", async () => {
		// Five words of 42 letters: 214 characters. A browser cuts a box's value at its maxlength.
		const long = Array.from({ length: 5 }, () => "Donaudampfschifffahrtsgesellschaftskapitän").join(" ");
		for (const path of ["/", "/claims", `/claims?q=${encodeURIComponent(long)}`]) {
			const page = await (await call(path, html)).text();
			const box = /<input type="search"[^>]*name="q"[^>]*>/.exec(page)?.[0];
			expect(box, path).toBeDefined();
			// Far over the 200 searched (a browser cuts a paste at its maxlength), far under 32 KB escaped.
			expect(box, path).toContain('maxlength="2000"');
		}
		const refused = await (await call(`/claims?q=${encodeURIComponent(long)}`, html)).text();
		expect(refused).toContain('<p class="notice error" role="alert">Search for at most 200 characters.</p>');
		expect(refused).toContain(`value="${long}"`);
	});
});

describe("feeds and exports", () => {
	it("serves an Atom feed of published verdicts, newest first", async () => {
		const claim = await makeClaim();
		await publish(claim.id, "false", { headline: "Atom headline" });
		const response = await call("/feeds/verdicts.atom");
		expect(response.headers.get("content-type")).toContain("application/atom+xml");
		const xml = await response.text();
		expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
		expect(xml).toContain("Atom headline");
	});

	it("brings an old entry back to the top on a retraction or a public change of its claim", {
		timeout: 120_000,
	}, async () => {
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["claims:write"]);
		// Two verdicts, then more than the feed's 50 published since (an hour ago, written in a
		// few statements): chosen by publication, neither of the two would be in the feed.
		const history = new BulkHistory(new Date(Date.now() - 3_600_000));
		const actor = SYSTEM("test");
		const source = history.source(actor, {
			url: `https://news.example/${newId()}`,
			title: "Feed order",
			publisher: null,
			author: null,
			language: "en",
			publishedAt: null,
			archivedUrl: null,
		});
		const publishedClaim = async (
			text: string,
			rating: "false" | "true",
			headline = `Verdict ${newId()}`,
		) => {
			const claim = await history.bareClaim(actor, source.id, text, "en");
			const input = { rating, headline, summary: null, body: null, evidence: [], language: "en" };
			return { claim, verdict: history.publish(actor, history.draft(actor, claim.id, input).id, null) };
		};
		const { claim: retracted, verdict: withdrawn } = await publishedClaim(
			`Withdrawn ${newId()} later`,
			"false",
			"Withdrawn later",
		);
		const { claim: changed } = await publishedClaim(`Misquoted ${newId()} words`, "false");
		const others: string[] = [];
		for (let i = 0; i < 52; i++)
			others.push((await publishedClaim(`Other ${newId()} claim`, "true")).claim.id);
		await history.write(testDb());
		const feed = async () =>
			(await (await call("/feeds/verdicts.atom?lang=en")).text()).split("<entry>").slice(1);

		await retract(withdrawn.id, withdrawn.version, "The source was forged.");
		const afterRetraction = await feed();
		expect(afterRetraction).toHaveLength(50);
		expect(afterRetraction[0]).toContain(`/claims/${retracted.id}`);
		expect(afterRetraction[0]).toContain(`<title type="text">Retracted: `);
		expect(afterRetraction[0]).toContain("The source was forged.");

		const version = (await json<{ version: number }>(await call(`/api/v1/claims/${changed.id}`))).version;
		const words = `Quoted ${newId()} right`;
		const edited = await apiCall("PATCH", `/api/v1/claims/${changed.id}`, {
			token,
			body: { version, text: words, note: "The quote was transcribed wrongly." },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		const afterEdit = await feed();
		expect(afterEdit[0]).toContain(`/claims/${changed.id}`);
		expect(afterEdit[0]).toContain(words);
		expect(afterEdit[0]).toContain("Claim changed: The quote was transcribed wrongly.");
		expect(afterEdit[1]).toContain(`/claims/${retracted.id}`);
		const updated = /<updated>([^<]+)<\/updated>/.exec(afterEdit[0] ?? "")?.[1] ?? "";
		const published = /<published>([^<]+)<\/published>/.exec(afterEdit[0] ?? "")?.[1] ?? "";
		expect(updated > published, `${updated} after ${published}`).toBe(true);

		// 17 claims changed later, three fields each (a change row per field, 51 rows): this one is 18th.
		for (const id of others.slice(0, 17)) {
			const now = (await json<{ version: number }>(await call(`/api/v1/claims/${id}`))).version;
			const response = await apiCall("PATCH", `/api/v1/claims/${id}`, {
				token,
				body: {
					version: now,
					text: `Reworded ${newId()}`,
					context: "In the council",
					claimedAt: "2025-07-01",
					note: "Reworded.",
				},
			});
			expect(response.status).toBe(200);
		}
		expect((await feed()).findIndex((entry) => entry.includes(`/claims/${changed.id}`))).toBe(17);
	});

	it("streams every published claim as NDJSON with its history, and a ClaimReview DataFeed", async () => {
		const claim = await makeClaim();
		const published = await publish(claim.id, "true", { headline: "Export me" });
		const unpublished = await makeClaim();
		const ndjson = await (await call("/api/v1/export.ndjson")).text();
		const lines = ndjson
			.trim()
			.split("\n")
			.map((line) => JSON.parse(line));
		expect(lines.find((l) => l.id === claim.id)?.history[0].headline).toBe("Export me");
		expect(lines.find((l) => l.id === unpublished.id)).toBeUndefined();
		const feed = await (await call("/api/v1/export/claimreview.json")).json<Record<string, any>>();
		expect(feed["@type"]).toBe("DataFeed");
		expect(
			feed.dataFeedElement.some((e: Record<string, any>) => e.item[0].claimReviewed === claim.text),
		).toBe(true);
		// The feed changed when its newest change did: the same on every copy until a write.
		// An item's dateModified is in the newsroom's offset, the feed's in UTC: compared as instants.
		// An item's dateCreated is the newsroom's day only, so it is compared as a day: from 23:00
		// UTC the newsroom's day (Berlin) is already the next one, and its midnight, read as UTC,
		// would come after the feed's instant.
		const newest = Math.max(
			...feed.dataFeedElement.flatMap((e: Record<string, any>) =>
				e.dateModified ? [Date.parse(e.dateModified)] : [],
			),
		);
		// Not older than its newest review (a retraction or a speaker's rename since may be newer).
		expect(Date.parse(feed.dateModified) >= newest).toBe(true);
		const newestDay = feed.dataFeedElement
			.map((e: Record<string, any>) => String(e.dateCreated ?? ""))
			.sort()
			.at(-1);
		expect((dayIn(feed.dateModified, env.NEWSROOM_TIME_ZONE) ?? "") >= newestDay).toBe(true);
		const again = await (await call("/api/v1/export/claimreview.json")).json<Record<string, any>>();
		expect(again.dateModified).toBe(feed.dateModified);
		// A retraction takes a review out: the feed changed, so its dateModified moves on to the
		// retraction (it stayed, or went back to the next-newest review, and pollers kept it).
		const retracted = await retract(published.id, published.version);
		const after = await (await call("/api/v1/export/claimreview.json")).json<Record<string, any>>();
		expect(after.dataFeedElement.some((e: Record<string, any>) => JSON.stringify(e).includes(claim.id))).toBe(
			false,
		);
		expect(after.dateModified).toBe(retracted.retractedAt);
		expect(after.dateModified > feed.dateModified).toBe(true);
	});
});

describe("exports at scale", () => {
	it("stream 250 published claims in one D1 query per 500 claims", { timeout: 60_000 }, async () => {
		const tag = newId().slice(0, 11);
		await env.DB.batch([
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250)
				 INSERT INTO claims (id, text, language, status, fingerprint)
				 SELECT printf('%s%03d', ?1, i), 'Exportiert ' || i || ' ' || ?1, 'de', 'false', ?1 || i FROM n`,
			).bind(tag),
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250)
				 INSERT INTO verdicts (id, claim_id, rating, headline, state, published_at)
				 SELECT printf('%s%03d', substr(?1, 1, 10) || 'v', i), printf('%s%03d', ?1, i), 'false', 'Verdict ' || i, 'published', '2025-07-20T10:00:00.000Z' FROM n`,
			).bind(tag),
			env.DB.prepare(
				`UPDATE claims SET current_verdict_id = substr(id, 1, 10) || 'v' || substr(id, 12) WHERE id LIKE ?1 || '%'`,
			).bind(tag),
		]);
		const published = await env.DB.prepare(
			"SELECT count(*) AS n FROM claims c WHERE EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = c.id AND v.state <> 'draft')",
		).first<number>("n");
		// A batch a D1 query, and the one that finds nothing more.
		const expected = Math.ceil((published ?? 0) / 500) + 1;
		for (const path of ["/api/v1/export.ndjson", "/api/v1/export/claimreview.json"]) {
			const count = { queries: 0 };
			const { response, settled } = await fetchWith(countingD1(count), path);
			const body = await response.text();
			await settled();
			expect(response.status).toBe(200);
			expect([...body.matchAll(new RegExp(`Exportiert \\d+ ${tag}`, "g"))], path).toHaveLength(250);
			expect(count.queries, path).toBe(expected);
		}
	});
});

describe("sharing and the site icon", () => {
	it("claim pages carry og: and twitter: tags with the status; the favicon is served", async () => {
		const claim = await makeClaim({ language: "en" });
		await publish(claim.id, "false", { headline: "Shared headline", language: "en" });
		const page = await (await call(`/claims/${claim.id}?lang=en`)).text();
		expect(page).toContain('<meta property="og:description" content="False: Shared headline"/>');
		expect(page).toContain('<meta name="twitter:card" content="summary"/>');
		expect(page).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>');
		const icon = await call("/favicon.svg");
		expect(icon.headers.get("content-type")).toBe("image/svg+xml");
		expect((await call("/favicon.ico", { redirect: "manual" })).status).toBe(301);
	});
});

describe("the feed link", () => {
	it("leads a person to an HTML page of feeds, not raw XML", async () => {
		const home = await (await call("/?lang=en")).text();
		expect(home).toContain('<a href="/feeds">Atom feed of verdicts</a>');
		const feeds = await call("/feeds?lang=en");
		expect(feeds.headers.get("content-type")).toContain("text/html");
		expect(await feeds.text()).toContain('href="/feeds/verdicts.atom?lang=en"');
		// The page follows the reader's language like every other (it took the feed's URL-only rule).
		const german = await call("/feeds", { headers: { Cookie: "lang=de" } });
		const html = await german.text();
		expect(html).toContain('<html lang="de"');
		expect(html).toContain('href="/feeds/verdicts.atom?lang=de"');
		expect(german.headers.get("cache-control")).toContain("private");
		// Each language is a feed of its own, and says so in its self link.
		const feed = await (await call("/feeds/verdicts.atom?lang=de")).text();
		expect(feed).toMatch(
			/<link rel="self" type="application\/atom\+xml" href="[^"]*\/feeds\/verdicts\.atom\?lang=de"\/>/,
		);
	});

	it("links a feed's entries and site to pages in the language it was asked for", async () => {
		const claim = await makeClaim();
		const verdict = await publish(claim.id, "false");
		const version = `${BASE}/claims/${claim.id}/verdicts/${verdict.id}`;
		const german = await (await call("/feeds/verdicts.atom?lang=de")).text();
		expect(german).toContain(`<link rel="alternate" type="text/html" href="${version}?lang=de"/>`);
		expect(german).toContain(
			`<link rel="related" type="text/html" href="${BASE}/claims/${claim.id}?lang=de"/>`,
		);
		expect(german).toContain(`<link rel="alternate" type="text/html" href="${BASE}/?lang=de"/>`);
		const english = await (await call("/feeds/verdicts.atom?lang=en")).text();
		expect(english).toContain(`href="${version}?lang=en"/>`);
		expect(english).toContain(`href="${BASE}/claims/${claim.id}?lang=en"/>`);
		// Asked for in no language: the pages follow the reader's own choice.
		const plain = await (await call("/feeds/verdicts.atom")).text();
		expect(plain).toContain(`href="${version}"/>`);
		expect(plain).toContain(`href="${BASE}/claims/${claim.id}"/>`);
		expect(plain).toContain(`<link rel="alternate" type="text/html" href="${BASE}/"/>`);
	});

	it("links each feed entry to its own version's page, which says what the entry says, and its claim's as related", async () => {
		const claim = await makeClaim();
		const first = await publish(claim.id, "false", { headline: `Erste Fassung ${newId()}` });
		const second = await publish(claim.id, "mostly-false", {
			headline: `Zweite Fassung ${newId()}`,
			correctionNote: "Neue Zahlen des Ministeriums.",
		});
		await retract(second.id, second.version);
		const feed = await (await call("/feeds/verdicts.atom?lang=de")).text();
		const entryOf = (verdictId: string) =>
			feed.split("<entry>").find((entry) => entry.includes(`verdict/${verdictId}</id>`)) ?? "";
		const alternate = (entry: string) =>
			/<link rel="alternate" type="text\/html" href="([^"]*)"\/>/.exec(entry)?.[1] ?? "";
		const superseded = entryOf(first.id);
		expect(superseded).toContain('<title type="text">Ersetzt: Falsch:');
		// The claim's page leads with the retraction now; the version's page says what the entry says.
		expect(alternate(superseded)).toBe(`${BASE}/claims/${claim.id}/verdicts/${first.id}?lang=de`);
		expect(superseded).toContain(
			`<link rel="related" type="text/html" href="${BASE}/claims/${claim.id}?lang=de"/>`,
		);
		const page = await (await call(alternate(superseded).replace(BASE, ""))).text();
		expect(page).toContain(first.headline);
		const retracted = entryOf(second.id);
		expect(alternate(retracted)).toBe(`${BASE}/claims/${claim.id}/verdicts/${second.id}?lang=de`);
		expect((await call(alternate(retracted).replace(BASE, ""))).status).toBe(200);
	});
});

describe("German pages say everything in German", () => {
	it("names the navigation, dates a source and marks the languages of headlines and titles", async () => {
		const claim = await makeClaim();
		await publish(claim.id, "false", { language: "de" });
		const list = await (await call(`/claims?lang=de&q=${encodeURIComponent(`"${claim.text}"`)}`)).text();
		expect(list).toContain('<nav aria-label="Hauptnavigation">');
		expect(list).toMatch(/<bdi lang="de">[^<]+<\/bdi>/);
		const page = await (await call(`/claims/${claim.id}?lang=de`)).text();
		expect(page).toMatch(/<a class="url" href="[^"]*" rel="noopener nofollow" lang="de">Article<\/a>/);
		const source = await json<{ appearances: { source: { id: string } }[] }>(
			await call(`/api/v1/claims/${claim.id}`),
		);
		const sourcePage = await (await call(`/sources/${source.appearances[0]?.source.id}?lang=de`)).text();
		expect(sourcePage).toContain("12. Juli 2025");
		expect(sourcePage).not.toContain("· 2025-07-12");
	});
});

describe("cut quotes", () => {
	it("never cut a character in half: page title, sharing title, lists and the desk cut by code points", async () => {
		// An emoji straddles every cut the surfaces make: 60 (title), 120 (sharing), 160 (desk), 280 (lists).
		const text = `${["😀".repeat(30), "😀".repeat(30), "😀".repeat(20), "😀".repeat(60)].join(" ")} ${newId()}`;
		const claim = await makeClaim({ text, language: "en" });
		await publish(claim.id, "false", { headline: "Cut quotes", language: "en" });
		const page = await (await call(`/claims/${claim.id}`, html)).text();
		expect(page).toMatch(/<title>[^<]*😀…/);
		const list = await (await call("/claims", html)).text();
		const editor = await account("editor");
		const desk = await (await deskGet(editor, "/desk?list=published")).text();
		const deskClaim = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		for (const [where, body] of Object.entries({ page, list, desk, deskClaim })) {
			expect(body, where).not.toContain("\uFFFD");
			expect(body, where).toContain("😀");
		}
	});
});
