import { describe, expect, it } from "vitest";
import { makeClaim, publish } from "../factories";
import { call } from "../helpers";

/** The rules inside the stylesheet's phone-wide media blocks, as selector lists and declarations. */
async function phoneRules(): Promise<{ selectors: string[]; body: string }[]> {
	const css = (await (await call("/assets/app.css")).text()).replace(/\/\*[\s\S]*?\*\//g, "");
	const blocks = [...css.matchAll(/@media \(max-width:30rem\)\{((?:[^{}]*\{[^{}]*\})*)\}/g)].map(
		(m) => m[1] ?? "",
	);
	return blocks.flatMap((block) =>
		[...block.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((m) => ({
			selectors: (m[1] ?? "").split(",").map((s) => s.trim()),
			body: m[2] ?? "",
		})),
	);
}

/** The stylesheet's rules outside any media block, as selector lists and declarations. */
async function wideRules(): Promise<{ selectors: string[]; body: string }[]> {
	const css = (await (await call("/assets/app.css")).text())
		.replace(/\/\*[\s\S]*?\*\//g, "")
		.replace(/@media[^{]*\{(?:[^{}]*\{[^{}]*\})*\}/g, "");
	return [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((m) => ({
		selectors: (m[1] ?? "").split(",").map((s) => s.trim()),
		body: m[2] ?? "",
	}));
}

/*
 * The embed code's options (badge style, language, card colours) sat side by side at 360 px,
 * each select 10rem wide: the German language select read "Wie die Behaupt…". On a phone each
 * takes the full row under its label (measured in Chromium when fixed; here the rule and the
 * markup it hangs on).
 */
describe("the embed code's options on a phone", () => {
	it("give each select the full width under its label", async () => {
		const rules = await phoneRules();
		expect(
			rules.some((r) => r.selectors.includes(".embed-options .field") && /flex-basis:\s*100%/.test(r.body)),
		).toBe(true);

		const claim = await makeClaim();
		await publish(claim.id, "false");
		const page = await (
			await call(`/claims/${claim.id}?lang=de`, { headers: { Accept: "text/html" } })
		).text();
		const form = page.slice(
			page.indexOf('class="embed-options"'),
			page.indexOf("</form>", page.indexOf('class="embed-options"')),
		);
		expect(form).toMatch(/<div class="field"><label for="[^"]+">Sprache<\/label><select/);
		expect(form).toContain("Wie die Behauptung");
	});
});

/*
 * Above a phone's width the three options shared a row at 10rem each: at 800 and 1280 px the
 * German language select read "Wie die Behauptun" (162 px of text in a 189 px select with its
 * padding and arrow; s33 h334). Each option now takes the width its choices need (flex-basis
 * auto) and grows into the row's rest; one that does not fit goes to the next row.
 */
describe("the embed code's options on a wider screen", () => {
	it("give each select the width of its longest choice", async () => {
		const rules = (await wideRules()).filter((r) => r.selectors.includes(".embed-options .field"));
		expect(rules.map((r) => r.body)).toEqual(["flex:1 1 auto"]);
	});
});
