import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { parseClaimReviewDocument } from "../../scripts/lib/import-mapping";
import { newId } from "../../src/domain/ids";
import { dayIn } from "../../src/domain/time-zone";
import { account, apiCall, apiToken, deskGet, makeUser } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { BASE, call, json, uniquePlace } from "../helpers";

/*
 * A fact-check imported from another publisher is theirs on every surface: the review URL
 * decides, as Google's Fact Check Tools do (domain/review-attribution). A desk verdict,
 * and one imported from our own site, stay ours.
 */

const REVIEW = "https://correctiv.org/faktencheck/x";
const OUR_SITE = new URL(BASE).hostname;

interface GoogleAnswer {
	claims?: {
		text: string;
		claimReview: {
			publisher: { name: string; site: string };
			url: string;
			textualRating: string;
			title?: string;
		}[];
	}[];
}

interface ClaimJson {
	verdict: { publisher: { name: string; url: string }; reviewUrl: string | null } | null;
	byline: { checkedBy: string | null; publishedBy: string | null } | null;
	history: { publisher: { name: string; url: string }; reviewUrl: string | null; checkedBy: string | null }[];
}

const google = async (params: string) => json<GoogleAnswer>(await call(`/v1alpha1/claims:search?${params}`));

/** Imports one ClaimReview document as the CLI does: mapped, then POSTed to the import API. */
async function importClaimReview(document: Record<string, unknown>): Promise<string> {
	const { records } = parseClaimReviewDocument(JSON.stringify(document));
	expect(records).toHaveLength(1);
	const { user } = await makeUser("editor");
	const { token } = await apiToken(user, ["import"]);
	const response = await apiCall("POST", "/api/v1/import", { token, body: { records } });
	expect(response.status, await response.clone().text()).toBe(200);
	const answer = await json<{ results: { status: string; claimId?: string }[] }>(response);
	expect(answer.results[0]?.status).toBe("created");
	const claimId = answer.results[0]?.claimId;
	if (!claimId) throw new Error("no claim imported");
	return claimId;
}

/** Correctiv's ClaimReview of a claim about `place`, as their page marks it up. */
function correctivReview(place: string, overrides: Record<string, unknown> = {}) {
	return {
		"@context": "https://schema.org",
		"@type": "ClaimReview",
		"@id": `urn:test:${newId()}`,
		url: REVIEW,
		claimReviewed: `In ${place} wurden alle Brücken über Nacht gesperrt`,
		author: { "@type": "Organization", name: "Correctiv" },
		inLanguage: "de",
		headline: `Nein, in ${place} wurden keine Brücken gesperrt`,
		reviewRating: { "@type": "Rating", alternateName: "Falsch" },
		itemReviewed: {
			"@type": "Claim",
			author: { "@type": "Person", name: `Hans ${place}` },
			appearance: { "@type": "CreativeWork", url: `https://news.example/${place.toLowerCase()}.html` },
		},
		...overrides,
	};
}

describe("a fact-check imported from another publisher is credited to them", () => {
	it("in Google's answer: their name, site, review and rating words; found by their site, not ours", async () => {
		const place = uniquePlace();
		await importClaimReview(correctivReview(place));
		const answer = await google(`query=${place}`);
		expect(answer.claims).toHaveLength(1);
		expect(answer.claims?.[0]?.claimReview).toEqual([
			expect.objectContaining({
				publisher: { name: "Correctiv", site: "correctiv.org" },
				url: REVIEW,
				textualRating: "Falsch",
			}),
		]);
		for (const site of ["correctiv.org", "www.correctiv.org", "CORRECTIV.ORG"])
			expect((await google(`query=${place}&reviewPublisherSiteFilter=${site}`)).claims, site).toHaveLength(1);
		for (const site of [OUR_SITE, "claimtrack.example", "faktencheck.correctiv.org", "notcorrectiv.org"])
			expect((await google(`query=${place}&reviewPublisherSiteFilter=${site}`)).claims, site).toBeUndefined();
		// By the site alone (newest review first), as a Google client lists a publisher's checks.
		const listed = await google("reviewPublisherSiteFilter=correctiv.org&pageSize=100");
		expect(listed.claims?.some((c) => c.text.includes(place))).toBe(true);
		expect(listed.claims?.every((c) => c.claimReview[0]?.publisher.site === "correctiv.org")).toBe(true);
		const ours = await google(`reviewPublisherSiteFilter=${OUR_SITE}&pageSize=100`);
		expect((ours.claims ?? []).some((c) => c.text.includes(place))).toBe(false);
	});

	it("in Google's answer: their rating's words without the numbers an import keeps beside them", async () => {
		const rated = async (reviewRating: Record<string, unknown>) => {
			const place = uniquePlace();
			await importClaimReview(
				correctivReview(place, { reviewRating: { "@type": "Rating", ...reviewRating } }),
			);
			return (await google(`query=${place}`)).claims?.[0]?.claimReview[0]?.textualRating;
		};
		// Stored as "Falsch (1/5)" and "Größtenteils falsch (3 on 0–10)", which is ours, not their words.
		expect(await rated({ alternateName: "Falsch", ratingValue: 1, worstRating: 1, bestRating: 5 })).toBe(
			"Falsch",
		);
		expect(
			await rated({ alternateName: "Größtenteils falsch", ratingValue: 3, worstRating: 0, bestRating: 10 }),
		).toBe("Größtenteils falsch");
		// Numbers alone: no words of theirs, so our label of the rating they map to.
		expect(await rated({ ratingValue: 2, worstRating: 1, bestRating: 5 })).toBe("Größtenteils falsch");
	});

	it("by their site alone: newest review first in pages, and a claim we checked again leaves it", async () => {
		// A site of its own, so the list holds only this test's reviews.
		const site = `partner-${newId()}.example`;
		const reviewed: Record<string, string> = {};
		for (const [n, day] of [
			[1, "2025-03-01"],
			[2, "2025-05-01"],
			[3, "2025-04-01"],
		] as const) {
			const place = uniquePlace();
			reviewed[day] = place;
			await importClaimReview(
				correctivReview(place, { url: `https://www.${site}/r/${n}`, datePublished: day }),
			);
		}
		const page = (token?: string) =>
			call(
				`/v1alpha1/claims:search?reviewPublisherSiteFilter=${site}&pageSize=2${token ? `&pageToken=${token}` : ""}`,
			).then((r) => json<GoogleAnswer & { nextPageToken?: string }>(r));
		const first = await page();
		const second = await page(first.nextPageToken);
		const order = [...(first.claims ?? []), ...(second.claims ?? [])].map((c) => c.text);
		expect(order).toEqual(
			["2025-05-01", "2025-04-01", "2025-03-01"].map((day) => expect.stringContaining(reviewed[day] ?? "")),
		);
		expect(second.nextPageToken).toBeUndefined();
		// With Google's other filters (their reviews are in German, and recent enough), the same.
		const filtered = await call(
			`/v1alpha1/claims:search?reviewPublisherSiteFilter=${site}&languageCode=de&maxAgeDays=36500&pageSize=10`,
		).then((r) => json<GoogleAnswer>(r));
		expect(filtered.claims?.map((c) => c.text)).toEqual(order);
		const english = await call(`/v1alpha1/claims:search?reviewPublisherSiteFilter=${site}&languageCode=en`);
		expect((await json<GoogleAnswer>(english)).claims).toBeUndefined();
		// We checked the newest one again: its current verdict is ours, so it is no longer theirs.
		const newest = await env.DB.prepare("SELECT id FROM claims WHERE text LIKE ?")
			.bind(`%${reviewed["2025-05-01"]}%`)
			.first<{ id: string }>();
		await publish(newest?.id ?? "", "false", { correctionNote: "Our own check of the claim." });
		const after = (await page()).claims?.map((c) => c.text) ?? [];
		expect(after).toEqual(
			["2025-04-01", "2025-03-01"].map((day) => expect.stringContaining(reviewed[day] ?? "")),
		);
		// What the site's list pages on: a claim's review date is its current verdict's
		// (store/public-claims), after an import and after our correction alike.
		const dates = await env.DB.prepare(
			`SELECT c.reviewed_at AS claim, v.published_at AS verdict FROM claims c JOIN verdicts v ON v.id = c.current_verdict_id WHERE ${Object.values(
				reviewed,
			)
				.map(() => "c.text LIKE ?")
				.join(" OR ")}`,
		)
			.bind(...Object.values(reviewed).map((place) => `%${place}%`))
			.all<{ claim: string; verdict: string }>();
		expect(dates.results).toHaveLength(3);
		for (const row of dates.results) expect(row.claim).toBe(row.verdict);
	});

	it("on the claim page: 'checked by' them, linked to their review, and no ClaimReview of ours", async () => {
		const place = uniquePlace();
		const claimId = await importClaimReview(correctivReview(place));
		const page = await (await call(`/claims/${claimId}?lang=en`)).text();
		expect(page).not.toContain("application/ld+json");
		expect(page).not.toContain('"ClaimReview"');
		const byline = /<p class="meta byline">([\s\S]*?)<\/p>/.exec(page)?.[1] ?? "";
		expect(byline).toContain("Checked by");
		expect(byline).toContain(`href="${REVIEW}"`);
		expect(byline).toContain("Correctiv");
		expect(byline).not.toContain(env.ORG_NAME);
		expect(byline).not.toMatch(/published by/i);
		// The embed code on the page: its alt text names who checked it, for as long as it is
		// embedded (in the badge's language, this German claim's).
		expect(page).toContain("Faktencheck von Correctiv: Behauptung von");
	});

	it("in the claim JSON: `publisher` and the original review on the verdict and its history", async () => {
		const place = uniquePlace();
		const claimId = await importClaimReview(correctivReview(place));
		const claim = await json<ClaimJson>(await call(`/api/v1/claims/${claimId}`));
		const theirs = { publisher: { name: "Correctiv", url: "https://correctiv.org" }, reviewUrl: REVIEW };
		expect(claim.verdict).toMatchObject(theirs);
		expect(claim.history).toEqual([expect.objectContaining({ ...theirs, checkedBy: "Correctiv" })]);
		expect(claim.byline).toMatchObject({ checkedBy: "Correctiv", publishedBy: null });
		const listed = await json<{ data: ClaimJson[] }>(await call(`/api/v1/claims?q=${place}`));
		expect(listed.data[0]?.verdict).toMatchObject(theirs);
	});

	it("in the feed, the embeds and the DataFeed: who checked it, and none of our markup", async () => {
		const place = uniquePlace();
		const claimId = await importClaimReview(correctivReview(place));
		const feed = await (await call("/feeds/verdicts.atom?lang=en")).text();
		const entry = feed.split("<entry>").find((e) => e.includes(place)) ?? "";
		expect(entry).toContain("<author><name>Correctiv</name></author>");
		expect(entry).toContain(`<link rel="via" type="text/html" href="${REVIEW}"/>`);
		expect(entry).toContain("Checked by Correctiv");

		const card = await (await call(`/embed/${claimId}?lang=en`)).text();
		expect(card).toContain('<span class="org"><bdi>Correctiv</bdi></span>');
		expect(card).not.toContain(env.ORG_NAME);
		const badge = await (await call(`/badges/${claimId}.svg?lang=en`)).text();
		expect(badge).toContain("Fact check (checked by Correctiv): False");
		const oembed = await json<{ author_name?: string; author_url?: string; provider_name: string }>(
			await call(`/oembed?url=${encodeURIComponent(`${BASE}/claims/${claimId}`)}`),
		);
		expect(oembed).toMatchObject({ author_name: "Correctiv", author_url: REVIEW });

		const dataFeed = await (await call("/api/v1/export/claimreview.json")).text();
		expect(dataFeed).not.toContain(`/claims/${claimId}"`);
		expect(dataFeed).not.toContain(place);
	});

	it("as text, when their CMS escaped it: no &quot; or <em> in the claim JSON, Google's answer or the badge", async () => {
		const place = uniquePlace();
		const claimId = await importClaimReview(
			correctivReview(place, {
				claimReviewed: `In ${place} sei &quot;alles&quot; <em>gesperrt</em> &amp; sicher &#8211; sofort`,
				headline: `Nein, in ${place} ist &bdquo;nichts&ldquo; gesperrt`,
				description: "<p>Die Br&uuml;cken sind offen.</p>",
				author: { "@type": "Organization", name: "CORRECTIV &amp; dpa" },
				itemReviewed: {
					"@type": "Claim",
					author: { "@type": "Person", name: `Hans <b>${place}</b>` },
					appearance: { "@type": "CreativeWork", url: `https://news.example/${place.toLowerCase()}.html` },
				},
			}),
		);
		const claim = await json<{
			text: string;
			speaker: { name: string } | null;
			verdict: { headline: string; summary: string | null; publisher: { name: string } } | null;
		}>(await call(`/api/v1/claims/${claimId}`));
		expect(claim.text).toBe(`In ${place} sei "alles" gesperrt & sicher \u2013 sofort`);
		expect(claim.speaker?.name).toBe(`Hans ${place}`);
		expect(claim.verdict).toMatchObject({
			headline: `Nein, in ${place} ist \u201enichts\u201c gesperrt`,
			summary: "Die Brücken sind offen.",
			publisher: { name: "CORRECTIV & dpa" },
		});
		const answer = await google(`query=${place}`);
		expect(answer.claims?.[0]?.text).toBe(claim.text);
		expect(answer.claims?.[0]?.claimReview[0]).toMatchObject({
			publisher: { name: "CORRECTIV & dpa" },
			title: claim.verdict?.headline,
		});
		// Escaped once, as SVG wants it; not "&amp;amp;".
		const badge = await (await call(`/badges/${claimId}.svg?lang=en`)).text();
		expect(badge).toContain("checked by CORRECTIV &amp; dpa");
		expect(badge).not.toContain("&amp;amp;");
	});

	it("names a review without an author by its host (the LIAR/PolitiFact case)", async () => {
		const place = uniquePlace();
		const url = `https://www.politifact.com/factchecks/2020/${place.toLowerCase()}/`;
		const reviewRating = { "@type": "Rating", alternateName: "Pants on Fire!" };
		await importClaimReview(
			correctivReview(place, { url, author: undefined, inLanguage: "en", reviewRating }),
		);
		const review = (await google(`query=${place}`)).claims?.[0]?.claimReview[0];
		expect(review).toMatchObject({
			publisher: { name: "politifact.com", site: "politifact.com" },
			url,
			textualRating: "Pants on Fire!",
		});
	});
});

/*
 * An import may name no source (README, "Import": "a record naming no source at all is recorded
 * without an appearance", which every view shows as such). The page gave an empty "Appearances"
 * heading over an empty list (s33 h334); it now says that where the claim appeared is not
 * recorded, as the claim JSON (no appearances) and our ClaimReview (no appearance) do.
 */
describe("a claim imported without a source", () => {
	it("says where it appeared is not recorded: no empty list under the heading (en, de)", async () => {
		const place = uniquePlace();
		const review = correctivReview(place, {
			itemReviewed: { "@type": "Claim", author: { "@type": "Person", name: `Hans ${place}` } },
		});
		const claimId = await importClaimReview(review);
		const claim = await json<{ appearances: unknown[] }>(await call(`/api/v1/claims/${claimId}`));
		expect(claim.appearances).toEqual([]);
		const sentences = {
			en: "Where this claim appeared is not recorded.",
			de: "Wo diese Behauptung erschien, ist nicht erfasst.",
		};
		for (const [lang, sentence] of Object.entries(sentences)) {
			const page = await (await call(`/claims/${claimId}?lang=${lang}`)).text();
			const section = page.slice(
				page.indexOf('<h2 id="sources-h">'),
				page.indexOf("</section>", page.indexOf('<h2 id="sources-h">')),
			);
			expect(section, lang).toContain(`<p>${sentence}</p>`);
			expect(section, lang).not.toContain("<ul");
		}
		// The desk's claim page says the same above its form to add one.
		const desk = await (await deskGet(await account("editor"), `/desk/claims/${claimId}?lang=de`)).text();
		const appearances = desk.slice(
			desk.indexOf(">Fundstellen</h2>"),
			desk.indexOf("<form", desk.indexOf(">Fundstellen</h2>")),
		);
		expect(appearances).toContain("<p>Wo diese Behauptung erschien, ist nicht erfasst.</p>");
		expect(appearances).not.toContain('<ul class="appearances">');
	});

	it("with no speaker either is nobody's: not 'Statement of the source' on the page, the list or the card (en, de)", async () => {
		const place = uniquePlace();
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["import"]);
		const response = await apiCall("POST", "/api/v1/import", {
			token,
			body: {
				records: [
					{
						claim: {
							text: `In ${place} wird das Bargeld abgeschafft.`,
							language: "de",
							claimedAt: "2025-07-10",
						},
						speaker: null,
						sources: [],
						verdict: {
							rating: "false",
							originalRating: "Falsch",
							headline: `Nein, in ${place} bleibt das Bargeld`,
							url: `https://correctiv.org/faktencheck/${place.toLowerCase()}`,
							publishedAt: "2025-07-13",
						},
					},
				],
			},
		});
		expect(response.status, await response.clone().text()).toBe(200);
		const claimId = (await json<{ results: { claimId?: string }[] }>(response)).results[0]?.claimId ?? "";
		const words = {
			en: { source: "Statement of the source", said: "Said on 10 July 2025", date: "10 July 2025" },
			de: { source: "Aussage der Quelle", said: "Gesagt am 10. Juli 2025", date: "10. Juli 2025" },
		};
		for (const [lang, w] of Object.entries(words)) {
			// The page said whose "statement of the source" it was over "where it appeared is not recorded".
			const page = await (await call(`/claims/${claimId}?lang=${lang}`)).text();
			const article = page.slice(page.indexOf("<article"));
			expect(article, lang).toMatch(new RegExp(`^<article><p class="meta">${w.said}</p>`));
			expect(page, lang).not.toContain(w.source);
			const list = await (await call(`/claims?q=${place}&lang=${lang}`)).text();
			const row = list.split("<li>").find((li) => li.includes(`/claims/${claimId}`)) ?? "";
			expect(row, lang).toContain(`<span class="meta">${w.date} · <bdi lang="de">Nein, in ${place}`);
			const card = await (await call(`/embed/${claimId}?lang=${lang}`)).text();
			expect(card, lang).toContain(`<span class="who"><span class="when">${w.date}</span></span>`);
			expect(card, lang).not.toContain(w.source);
		}
		// The desk's facts too: whose it is, not recorded.
		const desk = await (await deskGet(await account("editor"), `/desk/claims/${claimId}?lang=en`)).text();
		expect(desk).toContain('<dt>Claim by</dt><dd dir="auto">–</dd>');
		expect(desk).not.toContain("Statement of the source");
	});

	it("has no appearance in our ClaimReview once we check it, as the page says", async () => {
		const place = uniquePlace();
		const { records } = parseClaimReviewDocument(
			JSON.stringify(correctivReview(place, { itemReviewed: { "@type": "Claim" } })),
		);
		const record = { ...records[0], verdict: null };
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["import"]);
		const response = await apiCall("POST", "/api/v1/import", { token, body: { records: [record] } });
		expect(response.status, await response.clone().text()).toBe(200);
		const claimId = (await json<{ results: { claimId?: string }[] }>(response)).results[0]?.claimId ?? "";
		await publish(claimId, "false");
		const page = await (await call(`/claims/${claimId}?lang=en`)).text();
		const ld = /<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/.exec(page)?.[1] ?? "";
		expect(ld).toContain('"ClaimReview"');
		expect(ld).not.toMatch(/"(?:firstAppearance|appearance)"/);
		expect(page).toContain("<p>Where this claim appeared is not recorded.</p>");
	});
});

describe("our own checks stay ours", () => {
	it("a desk verdict: our organisation, our claim page, our rating label, our ClaimReview", async () => {
		const place = uniquePlace();
		const claim = await makeClaim({ text: `In ${place} stehen die Ampeln still` });
		await publish(claim.id, "false");
		const review = (await google(`query=${place}`)).claims?.[0]?.claimReview[0];
		expect(review).toMatchObject({
			publisher: { name: env.ORG_NAME, site: OUR_SITE },
			url: `${BASE}/claims/${claim.id}`,
			textualRating: "Falsch",
		});
		expect((await google(`query=${place}&reviewPublisherSiteFilter=${OUR_SITE}`)).claims).toHaveLength(1);
		expect((await google(`query=${place}&reviewPublisherSiteFilter=correctiv.org`)).claims).toBeUndefined();
		const json_ = await json<ClaimJson>(await call(`/api/v1/claims/${claim.id}`));
		expect(json_.verdict).toMatchObject({
			publisher: { name: env.ORG_NAME, url: env.ORG_URL },
			reviewUrl: null,
		});
		const page = await (await call(`/claims/${claim.id}`)).text();
		expect(page).toContain('"ClaimReview"');
		expect(page).toContain(`"name":"${env.ORG_NAME}"`);
	});

	it("an import from our own site (www. or not) is ours, and keeps our label", async () => {
		const place = uniquePlace();
		const url = `https://www.claimtrack.example/archiv/${place.toLowerCase()}`;
		const reviewRating = { "@type": "Rating", alternateName: "Frei erfunden" };
		const claimId = await importClaimReview(
			correctivReview(place, { url, author: { "@type": "Organization", name: "Archiv" }, reviewRating }),
		);
		const review = (await google(`query=${place}`)).claims?.[0]?.claimReview[0];
		expect(review).toMatchObject({
			publisher: { name: env.ORG_NAME, site: OUR_SITE },
			url: `${BASE}/claims/${claimId}`,
			textualRating: "Falsch",
		});
		expect((await google(`query=${place}&reviewPublisherSiteFilter=claimtrack.example`)).claims).toHaveLength(
			1,
		);
		expect((await google(`query=${place}&reviewPublisherSiteFilter=correctiv.org`)).claims).toBeUndefined();
		expect(await (await call(`/claims/${claimId}`)).text()).toContain('"ClaimReview"');
		const claim = await json<ClaimJson>(await call(`/api/v1/claims/${claimId}`));
		expect(claim.verdict).toMatchObject({
			publisher: { name: env.ORG_NAME, url: env.ORG_URL },
			reviewUrl: null,
		});
	});

	it("our check of an imported claim is dated by ours, not by their review (page, DataFeed, Google)", async () => {
		const place = uniquePlace();
		const claimId = await importClaimReview(correctivReview(place, { datePublished: "2019-03-04" }));
		const ours = await publish(claimId, "false", { correctionNote: "Our own check of the claim." });
		// The newsroom's day, as ClaimReview dates a review: from 23:00 UTC on it is the next one in Berlin.
		const today = dayIn(ours.publishedAt, env.NEWSROOM_TIME_ZONE) ?? "";
		expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		const page = await (await call(`/claims/${claimId}?lang=en`)).text();
		const review = [...page.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)]
			.map((m) => JSON.parse(m[1] ?? "") as Record<string, unknown>)
			.find((block) => block["@type"] === "ClaimReview");
		expect(review?.author).toMatchObject({ name: env.ORG_NAME });
		expect(review?.datePublished).toBe(today);
		// Nothing of ours came before it: not a correction of our own review.
		expect(review?.dateModified).toBeUndefined();
		const feed = await json<{
			dataFeedElement: { dateCreated?: string; dateModified?: string; item: { url: string }[] }[];
		}>(await call("/api/v1/export/claimreview.json"));
		const item = feed.dataFeedElement.find((e) => e.item[0]?.url === `${BASE}/claims/${claimId}`);
		expect(item).toMatchObject({ dateCreated: today });
		expect(item?.dateModified).toBeUndefined();
		const google_ = (await google(`query=${place}`)).claims?.[0]?.claimReview[0] as { reviewDate?: string };
		// Google's reviewDate is an instant (UTC): the newsroom's day of it.
		expect(dayIn(google_.reviewDate, env.NEWSROOM_TIME_ZONE)).toBe(today);
	});
});
