import { describe, expect, it } from "vitest";
import { quoteMarks, textDirection } from "../../src/domain/typography";

describe("a quote's direction", () => {
	it("is its first letter's, as dir=auto finds it, whatever the language tag says", () => {
		expect(textDirection("ارتفعت صادرات الغاز 300 بالمئة")).toBe("rtl");
		expect(textDirection("«שלום» אמר")).toBe("rtl");
		expect(textDirection("2024: ارتفعت")).toBe("rtl"); // digits and marks are not letters
		expect(textDirection("Egypt's exports ارتفعت")).toBe("ltr");
		expect(textDirection("Вибори відбулися")).toBe("ltr");
		expect(textDirection("원산에서")).toBe("ltr");
		expect(textDirection("")).toBe("ltr");
		expect(textDirection("123 — …")).toBe("ltr");
	});

	it("marks quotes the way the claim's language does", () => {
		expect(quoteMarks("de-AT")).toEqual(["„", "“"]);
		expect(quoteMarks("ar")).toEqual(['"', '"']);
	});
});
