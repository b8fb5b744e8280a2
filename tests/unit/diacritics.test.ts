import { describe, expect, it } from "vitest";
import { foldLatinDiacritics, plainLatinLetters } from "../../src/domain/diacritics";

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

describe("foldLatinDiacritics on plain ASCII (its shortcut)", () => {
	/* The fold as written before the shortcut: every text through NFD, the Latin marks removed, NFC. */
	const normalised = (text: string) =>
		text
			.normalize("NFD")
			.replace(/(\p{Script=Latin})\p{M}+/gu, "$1")
			.normalize("NFC")
			.toLowerCase();

	it.each([
		"Luftverbindungen",
		"WIEDERHERGESTELLT, sagte ein Sprecher.",
		"tab\there\nnew line\r",
		"~!@#$%^&*()_+{}|:<>?`-=[]\\;',./",
		"",
		"Zu\u0308rich",
		"Wŏnsan",
		"\u0000nul and \u007fdel",
	])("folds %j as the normalising path does", (text) => {
		expect(foldLatinDiacritics(text)).toBe(normalised(text));
	});
});

describe("plainLatinLetters", () => {
	it("spells the letters no mark comes off plainly, and leaves the rest to the tokenizer", () => {
		expect(plainLatinLetters("wałęsa łódź")).toBe("walęsa lódź");
		expect(plainLatinLetters("ørsted næstved đoković þingvellir")).toBe(
			"orsted naestved doković thingvellir",
		);
		// ß is spelt both ways by the search itself; other scripts are not Latin letters.
		expect(plainLatinLetters("straße лавров")).toBe("straße лавров");
	});
});
