import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { makeClaim, publish } from "../factories";
import { call } from "../helpers";

const html = { headers: { Accept: "text/html" } };

/** The stylesheet's rules as selector lists and declarations (rules inside @media read as top-level). */
async function stylesheetRules(): Promise<{ selectors: string[]; body: string }[]> {
	const css = (await (await call("/assets/app.css")).text()).replace(/\/\*[\s\S]*?\*\//g, "");
	return [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((m) => ({
		selectors: (m[1] ?? "").split(",").map((s) => s.trim()),
		body: m[2] ?? "",
	}));
}

/** Whether a rule naming `selector` itself lets its text break anywhere. */
function breaksAnywhere(rules: { selectors: string[]; body: string }[], selector: string): boolean {
	return rules.some((r) => r.selectors.includes(selector) && /overflow-wrap:\s*anywhere/.test(r.body));
}

/*
 * One unbroken run (a URL) is as wide as it is long: at 360 px each place a page shows
 * one must be allowed to break it, or the page scrolls sideways. Measured with Chromium
 * when this was fixed; here the rule and the markup it hangs on.
 */
describe("a phone-wide page with long unbroken text", () => {
	it("breaks a source's address, a verdict headline and a list's meta line", async () => {
		const rules = await stylesheetRules();
		for (const selector of ["h1", "h2", ".claims .meta", ".url"]) {
			expect(breaksAnywhere(rules, selector), selector).toBe(true);
		}

		// The source's address without tracking parameters (they are stripped on the way in).
		const url = `https://news.example/2025/07/12/${newId()}-MID_RF-status-1944718281234521126-share-x-com-long-path`;
		const claim = await makeClaim({ sourceUrl: url, sourceTitle: null });
		const headline = "https://x.com/MID_RF/status/1944718281234521126?utm_source=share&utm_medium=copy";
		await publish(claim.id, "false", { headline });

		const source = await (await call(`/sources/${claim.appearances[0]?.sourceId}`, html)).text();
		expect(source).toContain(`<p class="url"><a href="${url}" rel="noopener nofollow">${url}</a></p>`);

		const page = await (await call(`/claims/${claim.id}?lang=en`, html)).text();
		// A source without a title shows its address as the link's text.
		expect(page).toMatch(new RegExp(`<a class="url" href="[^"]*"[^>]*>${url.replaceAll(".", "\\.")}</a>`));
		expect(page).toContain(
			`<h2 id="verdict-h" lang="de" dir="auto">${headline.replaceAll("&", "&amp;")}</h2>`,
		);

		const list = await (await call("/claims?lang=en", html)).text();
		const item = list.split("<li>").find((li) => li.includes(`/claims/${claim.id}`)) ?? "";
		expect(item).toMatch(/<span class="meta">[\s\S]*x\.com\/MID_RF/);
		expect(list).toContain('<ul class="claims">');
	});
});
