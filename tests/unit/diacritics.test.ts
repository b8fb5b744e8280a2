import { describe, expect, it } from "vitest";
import { foldLatinDiacritics } from "../../src/domain/diacritics";

describe("foldLatinDiacritics", () => {
	it.each([
		["Wŏnsan", "wonsan"],
		["Zürich", "zurich"],
		["Bogotá", "bogota"],
		["Ålesund", "alesund"],
		["Nguyễn", "nguyen"],
	])("takes the marks off Latin letters: %s → %s", (text, folded) => {
		expect(foldLatinDiacritics(text)).toBe(folded);
	});

	it.each([
		["йод", "йод"],
		["ёлка", "ёлка"],
		["원산", "원산"],
		["が", "が"],
	])("keeps other scripts' letters whole, as the index's tokenizer does: %s", (text, folded) => {
		expect(foldLatinDiacritics(text)).toBe(folded);
	});
});
