import { describe, expect, it } from "vitest";
import { normalizeLanguageTag, primaryLanguage } from "../../src/domain/language-tags";
import { uiLanguageOf } from "../../src/domain/ratings";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

describe("language tags use a language's shortest code", () => {
	it("writes three-letter codes with a two-letter one as CLDR's canonical form does, and only those", () => {
		// Every three-letter code, as the runtime's ICU canonicalises it (BCP 47 with CLDR's
		// aliases): the table in domain/language-tags must say the same for each.
		for (const a of LETTERS)
			for (const b of LETTERS)
				for (const c of LETTERS) {
					const code = a + b + c;
					if (code === "und" || code === "mul" || code === "zxx" || code === "mis") continue;
					let canonical: string;
					try {
						canonical = Intl.getCanonicalLocales(code)[0] ?? code;
					} catch {
						continue;
					}
					const expected = /^[a-z]{2}$/.test(canonical) ? canonical : code;
					expect(normalizeLanguageTag(code), code).toBe(expected);
				}
	});

	it("keeps regions and scripts, and other languages as written", () => {
		expect(normalizeLanguageTag("deu")).toBe("de");
		expect(normalizeLanguageTag("GER-at")).toBe("de-AT");
		expect(normalizeLanguageTag("cmn_hant")).toBe("zh-Hant");
		expect(normalizeLanguageTag("eng-GB")).toBe("en-GB");
		// Languages of their own, without a two-letter code: Delaware, Slave, Filipino, Cantonese.
		expect(normalizeLanguageTag("del")).toBe("del");
		expect(normalizeLanguageTag("den")).toBe("den");
		expect(normalizeLanguageTag("fil")).toBe("fil");
		expect(normalizeLanguageTag("yue-HK")).toBe("yue-HK");
		// Two-letter codes BCP 47 replaced take their replacement, as ICU does; CLDR's other
		// aliases of two-letter codes change more than the code (tl → fil, sh → sr-Latn): kept.
		for (const code of ["iw", "in", "ji", "jw", "mo"])
			expect(normalizeLanguageTag(`${code}-XX`), code).toBe(`${Intl.getCanonicalLocales(code)[0]}-XX`);
		expect(normalizeLanguageTag("iw")).toBe("he");
		expect(normalizeLanguageTag("tl")).toBe("tl");
		expect(normalizeLanguageTag("sh")).toBe("sh");
		expect(normalizeLanguageTag("und")).toBeNull();
		expect(primaryLanguage("deu-CH")).toBe("de");
	});

	it("labels a review in the interface language of its primary subtag, and no other", () => {
		expect(uiLanguageOf("de")).toBe("de");
		expect(uiLanguageOf("de-AT")).toBe("de");
		expect(uiLanguageOf("en_GB")).toBe("en");
		// "de…" is not German: Delaware and Slave fall back as any other language does.
		expect(uiLanguageOf("del")).toBeUndefined();
		expect(uiLanguageOf("den")).toBeUndefined();
		expect(uiLanguageOf("fr")).toBeUndefined();
		expect(uiLanguageOf(null)).toBeUndefined();
	});
});
