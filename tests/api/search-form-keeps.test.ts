import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { makeClaim, publish } from "../factories";
import { call } from "../helpers";

/** A reader whose browser asks for English. */
const english = { headers: { Accept: "text/html", "Accept-Language": "en-GB,en;q=0.9" } };

/** The search form's fields as the browser sends them, in their order. */
function formFields(page: string): [string, string][] {
	const form = /<form class="search"[\s\S]*?<\/form>/.exec(page)?.[0] ?? "";
	return [...form.matchAll(/<input\b[^>]*>/g)].map((m) => [
		/name="([^"]*)"/.exec(m[0])?.[1] ?? "",
		/value="([^"]*)"/.exec(m[0])?.[1] ?? "",
	]);
}

/** What the browser asks for when the reader submits the form with `q`. */
function submitted(page: string, q: string): string {
	const query = new URLSearchParams(
		formFields(page).map(([name, value]) => [name, name === "q" ? q : value]),
	);
	return `/claims?${query}`;
}

describe("the search form", () => {
	it("keeps the page's explicit language and newest-first order through the next search", async () => {
		const word = `w${newId()}`;
		const claim = await makeClaim({ text: `Der Hafen ${word} ist geschlossen` });
		await publish(claim.id, "false");

		// Arrived by a shared German link, newest first, with an English browser.
		const results = await (await call(`/claims?q=other&sort=recent&lang=de`, english)).text();
		expect(Object.fromEntries(formFields(results))).toEqual({ lang: "de", sort: "recent", q: "other" });
		const next = await call(submitted(results, word), english);
		const page = await next.text();
		expect(page).toContain('<html lang="de">');
		expect(page).toContain(`/claims/${claim.id}`);
		// Still newest first: its order line marks that order as the current one.
		expect(page).toMatch(/<strong aria-current="true">neueste zuerst/);

		// The home page's form keeps the language too.
		const home = await (await call("/?lang=de", english)).text();
		expect(Object.fromEntries(formFields(home))).toEqual({ lang: "de", q: "" });
		expect(await (await call(submitted(home, word), english)).text()).toContain('<html lang="de">');
	});

	it("adds no language to a negotiated page nor the default order", async () => {
		const negotiated = await (await call("/claims?q=harbour", english)).text();
		expect(formFields(negotiated)).toEqual([["q", "harbour"]]);
		expect(formFields(await (await call("/", english)).text())).toEqual([["q", ""]]);
		const relevance = await (await call("/claims?q=harbour&sort=relevance&lang=en", english)).text();
		expect(formFields(relevance)).toEqual([
			["lang", "en"],
			["q", "harbour"],
		]);
	});
});
