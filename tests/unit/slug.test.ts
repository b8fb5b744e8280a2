import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	DEFAULT_SLUG_FALLBACK,
	SLUG_MAX_LENGTH,
	SLUG_PATTERN,
	slugify,
	speakerSlug,
	TOPIC_SLUG_MAX_LENGTH,
	topicSlug,
	uniqueSlug,
	uniqueSlugStems,
} from "../../src/domain/slug";

describe("slugify", () => {
	it.each([
		["Lawrow", "lawrow"],
		["Sergei Lawrow", "sergei-lawrow"],
		["Choe Son-hui", "choe-son-hui"],
		["Ch'oe Sŏn-hŭi", "choe-son-hui"],
		["Ch’oe Sŏn-hŭi", "choe-son-hui"],
		["Wŏnsan", "wonsan"],
		["Kim Jong-un", "kim-jong-un"],
		["Größe", "groesse"],
		["Thomas Müller", "thomas-mueller"],
		["ÄRZTE ÖSTERREICH ÜBERALL", "aerzte-oesterreich-ueberall"],
		["Straße", "strasse"],
		["Søren Kierkegaard", "soeren-kierkegaard"],
		["Recep Tayyip Erdoğan", "recep-tayyip-erdogan"],
		["Emmanuel Macron", "emmanuel-macron"],
		["François Hollande", "francois-hollande"],
		["Jean-Luc Mélenchon", "jean-luc-melenchon"],
		["Annegret Kramp-Karrenbauer", "annegret-kramp-karrenbauer"],
		["Ursula von der Leyen", "ursula-von-der-leyen"],
		["O'Brien", "obrien"],
		["Nguyễn Tấn Dũng", "nguyen-tan-dung"],
		["Łukasz Żółć", "lukasz-zolc"],
		["World Health Organization (WHO)", "world-health-organization-who"],
		["  --Die   Linke!--  ", "die-linke"],
		["AfD", "afd"],
		["G20", "g20"],
		["1. FC Köln", "1-fc-koeln"],
		["ＬＡＷＲＯＷ", "lawrow"],
		["Bündnis 90/Die Grünen", "buendnis-90-die-gruenen"],
	])("%s → %s", (name, slug) => {
		expect(slugify(name)).toBe(slug);
	});

	it("drops letters that do not fold to ASCII and keeps the rest", () => {
		expect(slugify("Sergei Lawrow (Сергей Лавров)")).toBe("sergei-lawrow");
		expect(slugify("최선희 Choe Son-hui")).toBe("choe-son-hui");
	});

	it("is never empty: names without ASCII letters get the fallback", () => {
		for (const name of ["", "   ", "—", "!!!", "Сергей Лавров", "최선희", "ゴジラ", "🙂"]) {
			expect(slugify(name)).toBe(DEFAULT_SLUG_FALLBACK);
		}
		expect(DEFAULT_SLUG_FALLBACK).toBe("speaker");
		expect(slugify("Владимир Путин", "source")).toBe("source");
	});

	it("cuts long names at a word boundary within 80 characters", () => {
		const name = "Abcdefghij ".repeat(20).trim();
		const slug = slugify(name);
		expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
		expect(slug).toBe(Array.from({ length: 7 }, () => "abcdefghij").join("-"));
		expect(slug).toMatch(SLUG_PATTERN);
	});

	it("keeps a slug of exactly 80 characters whole and cuts one of 81", () => {
		const exact = `${"a".repeat(39)} ${"b".repeat(40)}`;
		expect(slugify(exact)).toBe(`${"a".repeat(39)}-${"b".repeat(40)}`);
		expect(slugify(exact)).toHaveLength(80);
		const over = `${"a".repeat(39)} ${"b".repeat(41)}`;
		expect(slugify(over)).toBe("a".repeat(39));
		// A hyphen right at position 80 still allows keeping the first 80 characters.
		const boundary = `${"a".repeat(80)} b`;
		expect(slugify(boundary)).toBe("a".repeat(80));
	});

	it("cuts a single overlong word hard, as there is no boundary", () => {
		expect(slugify("x".repeat(500))).toBe("x".repeat(80));
	});

	it("measures the limit after folding, which can lengthen a name", () => {
		const slug = slugify("Ü".repeat(60));
		expect(slug).toBe("ue".repeat(40));
	});

	it("handles very long input", () => {
		const slug = slugify("Größe ".repeat(100_000));
		expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
		expect(slug.startsWith("groesse-groesse")).toBe(true);
	});

	it("always yields a valid slug of at most 80 characters (property)", () => {
		fc.assert(
			fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (name) => {
				const slug = slugify(name);
				expect(slug).toMatch(SLUG_PATTERN);
				expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
				expect(slugify(slug)).toBe(slug);
			}),
			{ numRuns: 300 },
		);
	});

	it("produces slugs that satisfy the speakers table's CHECK constraint", () => {
		// speakers_slug_check: GLOB '[a-z0-9]*' AND NOT GLOB '*[^a-z0-9-]*'
		for (const name of ["Choe Son-hui", "—", "1. FC Köln", "x".repeat(200)]) {
			const slug = slugify(name);
			expect(slug).toMatch(/^[a-z0-9][a-z0-9-]*$/);
		}
	});
});

describe("SLUG_PATTERN", () => {
	it("accepts hyphen-joined lower-case words only", () => {
		for (const ok of ["a", "lawrow", "choe-son-hui", "g20", "1-fc-koeln"])
			expect(SLUG_PATTERN.test(ok)).toBe(true);
		for (const bad of ["", "-a", "a-", "a--b", "A", "ä", "a b", "a_b", "a.b"]) {
			expect(SLUG_PATTERN.test(bad)).toBe(false);
		}
	});
});

describe("uniqueSlug", () => {
	it("returns the base when it is free", () => {
		expect(uniqueSlug("lawrow", () => false)).toBe("lawrow");
	});

	it("appends -2, -3 … until a slug is free", () => {
		const taken = new Set(["lawrow", "lawrow-2", "lawrow-3"]);
		expect(uniqueSlug("lawrow", (s) => taken.has(s))).toBe("lawrow-4");
		expect(uniqueSlug("lawrow", (s) => s === "lawrow")).toBe("lawrow-2");
	});

	it("asks about candidates in order and stops at the first free one", () => {
		const asked: string[] = [];
		uniqueSlug("choe", (s) => {
			asked.push(s);
			return asked.length < 3;
		});
		expect(asked).toEqual(["choe", "choe-2", "choe-3"]);
	});

	it("fills gaps rather than counting past the highest suffix", () => {
		const taken = new Set(["speaker", "speaker-3"]);
		expect(uniqueSlug("speaker", (s) => taken.has(s))).toBe("speaker-2");
	});

	it("without a bound never shortens the base, so taken candidates are found with base-[0-9]*", () => {
		const base = slugify("x".repeat(200));
		const slug = uniqueSlug(base, (s) => s === base);
		expect(slug).toBe(`${base}-2`);
		expect(slug.startsWith(`${base}-`)).toBe(true);
	});

	it("with a bound cuts the base so that base and suffix fit, without a hyphen at the cut", () => {
		const base = `${"a".repeat(57)}-bb`;
		expect(uniqueSlug(base, () => false, 60)).toBe(base);
		// "aaa…a-" cut at 58 loses its hyphen: 57 + "-2".
		expect(uniqueSlug(base, (s) => s === base, 60)).toBe(`${"a".repeat(57)}-2`);
		const long = "c".repeat(60);
		const taken = new Set([long, ...Array.from({ length: 8 }, (_, i) => `${"c".repeat(58)}-${i + 2}`)]);
		expect(uniqueSlug(long, (s) => taken.has(s), 60)).toBe(`${"c".repeat(57)}-10`);
		expect(uniqueSlug("short", (s) => s === "short", 60)).toBe("short-2");
		expect(uniqueSlugStems(long, 60)).toEqual([long, ...[58, 57, 56, 55, 54].map((n) => "c".repeat(n))]);
		expect(uniqueSlugStems("short", 60)).toEqual(["short"]);
		for (const candidate of [long, base]) {
			const asked: string[] = [];
			uniqueSlug(candidate, (s) => asked.push(s) < 10_000, 60);
			expect(asked.every((s) => s.length <= 60 && SLUG_PATTERN.test(s))).toBe(true);
			// Every candidate is in the range of one of the stems, which a store looks up.
			const stems = uniqueSlugStems(candidate, 60);
			expect(asked.every((s) => stems.some((stem) => s === stem || s.startsWith(`${stem}-`)))).toBe(true);
		}
	});

	it("gives up with an error instead of looping forever", () => {
		expect(() => uniqueSlug("lawrow", () => true)).toThrow(RangeError);
	});
});

describe("speakerSlug", () => {
	it("is the slug of a name with Latin letters, as before", () => {
		for (const name of [
			"Sergei Lawrow",
			"Choe Son-hui",
			"Sergei Lawrow (Сергей Лавров)",
			"최선희 Choe Son-hui",
		])
			expect(speakerSlug(name)).toBe(slugify(name));
	});

	it("marks a name without Latin letters: its own slug, the same each time, never 'speaker-<n>'", () => {
		const names = ["Лавров", "최선희", "李强", "Сергей Лавров", "Владимир Путин", "ゴジラ"];
		const slugs = names.map(speakerSlug);
		for (const slug of slugs) expect(slug).toMatch(/^speaker-[0-9a-f]{8}$/);
		expect(new Set(slugs).size).toBe(names.length);
		expect(speakerSlug("лавров")).toBe(speakerSlug("Лавров"));
		expect(speakerSlug("Путин 2")).toMatch(/^2-[0-9a-f]{8}$/);
		// Every 'speaker', 'speaker-2' … 'speaker-10000' taken (old non-Latin speakers'):
		// each new one still gets a slug, its own, and no error (a 500).
		const taken = new Set(["speaker", ...Array.from({ length: 9_999 }, (_, i) => `speaker-${i + 2}`)]);
		const given = names.map((name) => uniqueSlug(speakerSlug(name), (s) => taken.has(s)));
		expect(given).toEqual(slugs);
		// A namesake: its mark and the next number.
		expect(uniqueSlug(speakerSlug("Лавров"), (s) => given.includes(s))).toBe(`${speakerSlug("Лавров")}-2`);
	});

	it("is a well-formed slug of at most 80 characters, for any name (property)", () => {
		fc.assert(
			fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (name) => {
				const slug = speakerSlug(name);
				expect(slug).toMatch(SLUG_PATTERN);
				expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
			}),
			{ numRuns: 300 },
		);
	});
});

describe("topicSlug", () => {
	it("is the slug when every letter folds to ASCII", () => {
		expect(topicSlug("Ukraine war")).toBe("ukraine-war");
		expect(topicSlug("Größe & Müll")).toBe("groesse-muell");
		expect(topicSlug(" ,; ")).toBeNull();
	});

	it("marks a name with other letters, so it is neither refused nor one with another", () => {
		const war = topicSlug("Война");
		expect(war).toMatch(/^topic-[0-9a-f]{8}$/);
		expect(topicSlug("война")).toBe(war);
		const russia = topicSlug("Россия 2024");
		const ukraine = topicSlug("Украина 2024");
		expect(russia).toMatch(/^2024-[0-9a-f]{8}$/);
		expect(ukraine).toMatch(/^2024-[0-9a-f]{8}$/);
		expect(russia).not.toBe(ukraine);
		expect(topicSlug("북한 핵실험")).toMatch(/^topic-[0-9a-f]{8}$/);
	});

	it("is a well-formed slug of at most its length, for any name", () => {
		fc.assert(
			fc.property(fc.string({ minLength: 1, maxLength: 60 }), (name) => {
				const slug = topicSlug(name);
				if (slug === null) return;
				expect(slug).toMatch(SLUG_PATTERN);
				expect(slug.length).toBeLessThanOrEqual(TOPIC_SLUG_MAX_LENGTH);
			}),
			{ numRuns: 500 },
		);
	});
});
