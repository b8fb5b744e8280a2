import { describe, expect, it } from "vitest";
import {
	CLAIM_STATUSES,
	describeStatus,
	PENDING,
	RATINGS,
	STATUS_EXPLANATIONS,
	UI_LANGUAGES,
} from "../../src/domain/ratings";
import { account, deskGet } from "../desk/helpers";
import { draft, makeClaim, publish } from "../factories";
import { call } from "../helpers";

/** Text as hono/jsx escapes it. */
const escaped = (text: string) =>
	text
		.replace(/&/g, "&amp;")
		.replace(/</g, "&lt;")
		.replace(/>/g, "&gt;")
		.replace(/"/g, "&quot;")
		.replace(/'/g, "&#39;");

/** The HTML of one entry of the scale, from its `<li id>` to its end. */
function entry(html: string, key: string): string {
	const start = html.indexOf(`<li id="${key}">`);
	expect(start, key).toBeGreaterThan(-1);
	return html.slice(start, html.indexOf("</li>", start));
}

describe("/ratings", () => {
	it.each(UI_LANGUAGES)(
		"defines every rating with an example, and every pending status (%s)",
		async (lang) => {
			const response = await call(`/ratings?lang=${lang}`);
			expect(response.status).toBe(200);
			expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
			expect(response.headers.get("cache-control")).toMatch(/^public/);
			expect(response.headers.get("content-security-policy")).toContain("script-src 'none'");
			expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
			const html = await response.text();
			expect(html).toContain(`<html lang="${lang}">`);
			for (const rating of RATINGS) {
				const li = entry(html, rating.key);
				const explanation = STATUS_EXPLANATIONS[rating.key];
				expect(li).toContain(
					`<span class="rating status-${rating.key}">${escaped(rating.labels[lang])}</span>`,
				);
				expect(li).toContain(escaped(explanation.definition[lang]));
				expect(explanation.example, rating.key).toBeDefined();
				expect(li).toContain(escaped(explanation.example?.[lang] ?? "?"));
			}
			for (const status of PENDING) {
				const li = entry(html, status.key);
				expect(li).toContain(escaped(status.labels[lang]));
				expect(li).toContain(escaped(STATUS_EXPLANATIONS[status.key].definition[lang]));
			}
			// the scale in its order, best to worst, then the pending statuses
			const order = CLAIM_STATUSES.map((key) => html.indexOf(`<li id="${key}">`));
			const ratingsOrder = RATINGS.map((r) => html.indexOf(`<li id="${r.key}">`));
			expect([...ratingsOrder].sort((a, b) => a - b)).toEqual(ratingsOrder);
			expect(order.every((index) => index > 0)).toBe(true);
		},
	);

	it("has a definition of one or two sentences for every status in every language", () => {
		for (const key of CLAIM_STATUSES) {
			for (const lang of UI_LANGUAGES) {
				const text = STATUS_EXPLANATIONS[key].definition[lang];
				expect(text.trim().length, `${key} ${lang}`).toBeGreaterThan(20);
				expect(
					text.split(/[.!?](?:\s|$)/).filter((s) => s.trim()).length,
					`${key} ${lang}`,
				).toBeLessThanOrEqual(2);
			}
		}
	});

	it("negotiates its language without ?lang= and then stays out of shared caches", async () => {
		const response = await call("/ratings", { headers: { "Accept-Language": "de-DE,de;q=0.9" } });
		expect(response.status).toBe(200);
		expect(response.headers.get("cache-control")).toMatch(/^private/);
		expect(response.headers.get("vary")).toContain("Accept-Language");
		const html = await response.text();
		expect(html).toContain('<html lang="de">');
		expect(html).toContain(describeStatus("false", "de").label);
	});
});

describe("every rating chip links to its explanation", () => {
	it("on the public claim page, its history and the lists", async () => {
		const claim = await makeClaim({ language: "en" });
		await publish(claim.id, "mostly-false");
		await publish(claim.id, "half-true", { correctionNote: "We had the wrong year." });
		const page = await (await call(`/claims/${claim.id}?lang=en`)).text();
		expect(page).toContain('<a class="rating status-half-true" href="/ratings#half-true">Half true</a>');
		expect(page).toContain(
			'<a class="rating status-mostly-false" href="/ratings#mostly-false">Mostly false</a>',
		);
		const list = await (await call("/claims?lang=en")).text();
		expect(list).toMatch(/<a class="rating status-[a-z-]+" href="\/ratings#[a-z-]+">/);
		expect(list).not.toMatch(/<span class="rating status-/);
	});

	it("on the embed card", async () => {
		const claim = await makeClaim();
		await publish(claim.id, "false");
		// A card in a chosen language links to the explanation in that language (86ede68).
		const card = await (await call(`/embed/${claim.id}?lang=en`)).text();
		expect(card).toContain('href="http://claimtrack.test/ratings?lang=en#false"');
		const auto = await (await call(`/embed/${claim.id}`)).text();
		expect(auto).toContain('href="http://claimtrack.test/ratings#false"');
	});

	it("in the desk, on the claim page and the home page", async () => {
		const claim = await makeClaim();
		await draft(claim.id);
		const checker = await account("checker");
		const page = await (await deskGet(checker, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(page).toContain('<a class="status status-in-review" href="/ratings#in-review">In review</a>');
		const home = await (await deskGet(checker, "/desk?list=all&lang=en")).text();
		expect(home).toMatch(/<a class="status status-[a-z-]+" href="\/ratings#[a-z-]+">/);
		expect(home).not.toMatch(/<span class="status status-/);
	});

	it("and the ids the chips link to exist on the page", async () => {
		const html = await (await call("/ratings?lang=en")).text();
		for (const key of CLAIM_STATUSES) expect(html).toContain(`<li id="${key}">`);
	});
});
