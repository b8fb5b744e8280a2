import { describe, expect, it } from "vitest";
import { makeClaim, publish } from "../factories";
import { BASE, call, json } from "../helpers";

/** A reader whose browser asks for German: what a chosen language must not give way to. */
const germanBrowser = { headers: { Accept: "text/html", "Accept-Language": "de-DE,de;q=0.9" } };

type OEmbed = { title: string; html: string };

/** The `src` of the iframe an oEmbed answer (or the page's Card snippet) frames. */
function framed(html: string): string {
	return (/<iframe src="([^"]*)"/.exec(html.replaceAll("&quot;", '"'))?.[1] ?? "").replaceAll("&amp;", "&");
}

/** The oEmbed discovery link of a page's head. */
function discoveryLink(page: string): string {
	const href = /<link rel="alternate" type="application\/json\+oembed" href="([^"]*)"/.exec(page)?.[1];
	return (href ?? "").replaceAll("&amp;", "&");
}

describe("a claim page's oEmbed discovery link", () => {
	it("names the page's own address: a ?lang= page's card speaks that language", async () => {
		const claim = await makeClaim({ language: "de", speaker: { name: "Dora Entdeckung" } });
		await publish(claim.id);
		const page = await (await call(`/claims/${claim.id}?lang=en`, germanBrowser)).text();
		const link = new URL(discoveryLink(page));
		expect(link.searchParams.get("url")).toBe(`${BASE}/claims/${claim.id}?lang=en`);
		const card = await json<OEmbed>(await call(`${link.pathname}${link.search}`));
		expect(framed(card.html)).toBe(`${BASE}/embed/${claim.id}?lang=en`);
		expect(card.title).toMatch(/^Fact check: /);
		// A page whose language the browser chose names the address without lang, as its canonical does.
		const negotiated = await (await call(`/claims/${claim.id}`, germanBrowser)).text();
		expect(new URL(discoveryLink(negotiated)).searchParams.get("url")).toBe(`${BASE}/claims/${claim.id}`);
		// The embed options stay out, as they do of the canonical.
		const withOptions = await (
			await call(`/claims/${claim.id}?lang=de&embedTheme=dark`, germanBrowser)
		).text();
		expect(new URL(discoveryLink(withOptions)).searchParams.get("url")).toBe(
			`${BASE}/claims/${claim.id}?lang=de`,
		);
	});
});
