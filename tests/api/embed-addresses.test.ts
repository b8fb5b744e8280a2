import { describe, expect, it } from "vitest";
import { draft, makeClaim, publish } from "../factories";
import { BASE, call, json } from "../helpers";

/** A reader whose browser asks for German: what a chosen language must not give way to. */
const germanBrowser = { headers: { Accept: "text/html", "Accept-Language": "de-DE,de;q=0.9" } };

type OEmbed = { title: string; html: string };

/** oEmbed of an address, as a CMS asks for it. */
async function oembedOf(address: string, extra = ""): Promise<Response> {
	return call(`/oembed?url=${encodeURIComponent(address)}${extra}`);
}

/** Text of an element as a browser reads it (the page's snippets are escaped once more). */
function decoded(text: string): string {
	return text
		.replaceAll("&lt;", "<")
		.replaceAll("&gt;", ">")
		.replaceAll("&quot;", '"')
		.replaceAll("&amp;", "&");
}

/** The `src` of the iframe an oEmbed answer's html (or a page's Card snippet, unescaped) frames. */
function framed(html: string): string {
	return (/<iframe src="([^"]*)"/.exec(html)?.[1] ?? "").replaceAll("&amp;", "&");
}

/** A snippet of a page's embed code (`html`, `md`, `card`), as its reader copies it. */
function snippet(page: string, part: string): string {
	const text = new RegExp(`<textarea id="embed-${part}-[^"]*" readonly="">([\\s\\S]*?)</textarea>`).exec(
		page,
	);
	return decoded(text?.[1] ?? "");
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

describe("oEmbed of a claim page with embed options", () => {
	it("frames the card the page's Card snippet frames", async () => {
		const claim = await makeClaim({ language: "en", speaker: { name: "Otto Optionen" } });
		const address = `${BASE}/claims/${claim.id}?lang=en&embedStyle=flat&embedLang=de&embedTheme=dark`;
		const page = await (await call(address.slice(BASE.length), germanBrowser)).text();
		const card = snippet(page, "card");
		expect(framed(card)).toBe(`${BASE}/embed/${claim.id}?lang=de&theme=dark`);
		const answer = await json<OEmbed>(await oembedOf(address));
		expect(framed(answer.html)).toBe(framed(card));
		expect(answer.title).toMatch(/^Faktencheck: /);
		// "Claim's language" chosen outright wins over the page's lang, as in the snippet.
		const auto = await json<OEmbed>(await oembedOf(`${BASE}/claims/${claim.id}?lang=de&embedLang=auto`));
		expect(framed(auto.html)).toBe(`${BASE}/embed/${claim.id}`);
		expect(auto.title).toMatch(/^Fact check: /);
		// No embed language chosen: the page's.
		const plain = await json<OEmbed>(await oembedOf(`${BASE}/claims/${claim.id}?lang=de`));
		expect(framed(plain.html)).toBe(`${BASE}/embed/${claim.id}?lang=de`);
	});
});

describe("a card or badge in a chosen language", () => {
	it("links to the pages in that language, and without one to the plain addresses", async () => {
		const claim = await makeClaim({ language: "de" });
		await publish(claim.id, "false");
		const links = (card: string) => [...card.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]);
		const english = await (await call(`/embed/${claim.id}?lang=en&theme=dark`, germanBrowser)).text();
		expect(links(english)).toEqual([`${BASE}/ratings?lang=en#false`, `${BASE}/claims/${claim.id}?lang=en`]);
		const german = await (await call(`/embed/${claim.id}?lang=de`)).text();
		expect(links(german)).toEqual([`${BASE}/ratings?lang=de#false`, `${BASE}/claims/${claim.id}?lang=de`]);
		// The claim's language (no lang, or one the card does not speak): the reader's browser chooses.
		for (const query of ["", "?lang=fr"]) {
			const auto = await (await call(`/embed/${claim.id}${query}`)).text();
			expect(links(auto), query).toEqual([`${BASE}/ratings#false`, `${BASE}/claims/${claim.id}`]);
		}
	});

	it("the embed code's badge links to the claim page in the badge's chosen language", async () => {
		const claim = await makeClaim({ language: "de" });
		const chosen = await (
			await call(`/claims/${claim.id}?lang=de&embedLang=en&embedStyle=flat-square`, germanBrowser)
		).text();
		const link = `<a href="${BASE}/claims/${claim.id}?lang=en"><img src="${BASE}/badges/${claim.id}.svg?style=flat-square&amp;lang=en"`;
		expect(snippet(chosen, "html").slice(0, link.length)).toBe(link);
		const target = `](${BASE}/claims/${claim.id}?lang=en)`;
		expect(snippet(chosen, "md").slice(-target.length)).toBe(target);
		// "Claim's language": the plain address, whose language the reader's browser chooses.
		const auto = await (await call(`/claims/${claim.id}?lang=en`, germanBrowser)).text();
		const plain = `<a href="${BASE}/claims/${claim.id}"><img src="${BASE}/badges/${claim.id}.svg"`;
		expect(snippet(auto, "html").slice(0, plain.length)).toBe(plain);
		expect(snippet(auto, "md").slice(-target.length + 8)).toBe(`](${BASE}/claims/${claim.id})`);
	});

	it("a card with no claim to show links home in its chosen language", async () => {
		const missing = await (await call("/embed/zzzzzzzzzzzzzz?lang=en", germanBrowser)).text();
		expect(missing).toContain(`href="${BASE}/?lang=en"`);
		const negotiated = await (await call("/embed/zzzzzzzzzzzzzz", germanBrowser)).text();
		expect(negotiated).toContain(`href="${BASE}/"`);
	});
});

describe("an embed's address with a slash too many", () => {
	it("redirects with the headers a cross-origin reader needs", async () => {
		const claim = await makeClaim();
		const badge = await call(`/badges/${claim.id}.svg/?style=flat-square`, {
			redirect: "manual",
			headers: { Origin: "https://partner.example" },
		});
		expect(badge.status).toBe(301);
		expect(badge.headers.get("location")).toBe(`/badges/${claim.id}.svg?style=flat-square`);
		expect(badge.headers.get("access-control-allow-origin")).toBe("*");
		expect(badge.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
		const card = await call(`/embed/${claim.id}/?theme=dark`, { redirect: "manual" });
		expect(card.status).toBe(301);
		expect(card.headers.get("location")).toBe(`/embed/${claim.id}?theme=dark`);
		expect(card.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
		const url = encodeURIComponent(`${BASE}/claims/${claim.id}`);
		const oembed = await call(`/oembed/?url=${url}`, {
			redirect: "manual",
			headers: { Origin: "https://partner.example" },
		});
		expect(oembed.status).toBe(301);
		expect(oembed.headers.get("access-control-allow-origin")).toBe("*");
		// A page's redirect stays as it was: no cross-origin headers.
		const page = await call(`/claims/${claim.id}/`, { redirect: "manual" });
		expect(page.status).toBe(301);
		expect(page.headers.get("access-control-allow-origin")).toBeNull();
		expect(page.headers.get("cross-origin-resource-policy")).toBeNull();
		for (const moved of [badge, card, oembed, page]) {
			// Not kept by browsers for good: the address it leads to may one day answer the slash itself.
			expect(moved.headers.get("cache-control")).toBe("no-store");
		}
	});
});

describe("oEmbed's url and format", () => {
	it("accepts the configured host under either scheme, never another host", async () => {
		const claim = await makeClaim({ language: "en" });
		const host = new URL(BASE).host;
		for (const scheme of ["https", "http"]) {
			const response = await oembedOf(`${scheme}://${host}/embed/${claim.id}?theme=dark`);
			expect(response.status, scheme).toBe(200);
			// The embed code is on the configured origin whichever the address was given in.
			expect(framed((await json<OEmbed>(response)).html), scheme).toBe(
				`${BASE}/embed/${claim.id}?theme=dark`,
			);
		}
		for (const address of [
			`ftp://${host}/claims/${claim.id}`,
			`https://evil.example/claims/${claim.id}`,
			`https://${host}.evil.example/claims/${claim.id}`,
			`https://user@evil.example/claims/${claim.id}`,
		]) {
			expect((await oembedOf(address)).status, address).toBe(404);
		}
	});

	it("reads format in any case", async () => {
		const claim = await makeClaim();
		for (const format of ["JSON", "Json", "json"]) {
			expect((await oembedOf(`${BASE}/claims/${claim.id}`, `&format=${format}`)).status, format).toBe(200);
		}
		expect((await oembedOf(`${BASE}/claims/${claim.id}`, "&format=XML")).status).toBe(501);
	});

	it("answers a verdict version's address with the claim's live card", async () => {
		const claim = await makeClaim({ language: "en" });
		const verdict = await publish(claim.id, "false");
		const answer = await oembedOf(`${BASE}/claims/${claim.id}/verdicts/${verdict.id}?lang=de`);
		expect(answer.status).toBe(200);
		const body = await json<OEmbed>(answer);
		expect(framed(body.html)).toBe(`${BASE}/embed/${claim.id}?lang=de`);
		expect(body.title).toMatch(/^Faktencheck: /);
		// An address with no page behind it has no embed either: a draft, another claim's verdict.
		const secret = await draft(claim.id);
		const other = await makeClaim();
		const otherVerdict = await publish(other.id);
		for (const address of [
			`${BASE}/claims/${claim.id}/verdicts/${secret.id}`,
			`${BASE}/claims/${claim.id}/verdicts/${otherVerdict.id}`,
		]) {
			expect((await call(address.slice(BASE.length))).status, address).toBe(404);
			expect((await oembedOf(address)).status, address).toBe(404);
		}
	});
});
