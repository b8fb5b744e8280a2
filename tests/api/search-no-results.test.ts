import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { makeClaim } from "../factories";
import { call } from "../helpers";

/**
 * The public search page with no results said "Order: best matches first … · newest first"
 * above "No claims match.": an order for nothing. The line is left out then.
 */

const page = async (path: string) => (await call(path, { headers: { Accept: "text/html" } })).text();

describe("the public search page without results", () => {
	it("leaves the order line out, in English and German", async () => {
		const word = `nix${newId()}`;
		const de = await page(`/claims?q=${word}&lang=de`);
		expect(de).toContain("Keine Behauptung passt.");
		expect(de).not.toContain("search-order");
		expect(de).not.toContain("Reihenfolge");
		const en = await page(`/claims?q=${word}&lang=en&sort=recent`);
		expect(en).toContain("No claims match.");
		expect(en).not.toContain("search-order");
	});

	it("shows it when there are results to order", async () => {
		const word = `hafen${newId()}`;
		await makeClaim({ text: `Der Hafen ${word} schloss im Mai.`, language: "de" });
		const de = await page(`/claims?q=${word}&lang=de`);
		expect(de).not.toContain("Keine Behauptung passt.");
		expect(de).toMatch(/<p class="meta search-order">Reihenfolge: /);
	});
});
