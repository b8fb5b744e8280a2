import { describe, expect, it } from "vitest";
import {
	isPlainTopicName,
	loadedTopics,
	mergeTopicLists,
	sameTopicName,
	topicNameKey,
} from "../../src/domain/topic-names";

describe("topic names", () => {
	it("compare without case in any script, not without accents", () => {
		expect(sameTopicName("ärzte x", "Ärzte X")).toBe(true);
		expect(sameTopicName("ВОЙНА", "война")).toBe(true);
		expect(sameTopicName("Wahl", "Wähl")).toBe(false);
	});

	it("are one in every form that shows the same: spaces, ligatures, invisible characters, normal forms", () => {
		// No-break and other spaces, runs of them, and spaces at the ends.
		expect(sameTopicName("Ukraine\u00A0Krieg", "ukraine krieg")).toBe(true);
		expect(sameTopicName("Ukraine\u2003 \tKrieg ", " UKRAINE KRIEG")).toBe(true);
		// Compatibility forms: a ligature, full-width letters.
		expect(sameTopicName("ﬁnanzen", "FINANZEN")).toBe(true);
		expect(sameTopicName("ＥＵ", "eu")).toBe(true);
		// Default-ignorable code points: a soft hyphen, a zero-width joiner, a variation selector.
		expect(sameTopicName("Wahlkampf", "Wahl\u00ADkampf")).toBe(true);
		expect(sameTopicName("Wahl\u200Dkampf", "wahlkampf")).toBe(true);
		expect(sameTopicName("✔️ Fakten", "✔ fakten")).toBe(true);
		// Composed and decomposed.
		expect(sameTopicName("Ärzte".normalize("NFD"), "ärzte".normalize("NFC"))).toBe(true);
		expect(topicNameKey("Ärzte".normalize("NFD"))).toBe("ärzte".normalize("NFC"));
		// An ignorable between a letter and its accent: the accent is still the letter's.
		expect(sameTopicName("Re\u034F\u0301sume\u0301", "résumé")).toBe(true);
		// Nothing that shows differs is one.
		expect(sameTopicName("Wahl kampf", "Wahlkampf")).toBe(false);
		expect(sameTopicName("Krieg-Frieden", "Krieg Frieden")).toBe(false);
	});

	it("lower-case without a locale and do not fold ß: İ keeps its dot, ß is not ss", () => {
		expect(topicNameKey("İstanbul")).toBe("i\u0307stanbul");
		expect(sameTopicName("İstanbul", "istanbul")).toBe(false);
		expect(sameTopicName("İSTANBUL", "i\u0307stanbul")).toBe(true);
		expect(sameTopicName("ISTANBUL", "istanbul")).toBe(true);
		expect(sameTopicName("ı", "I")).toBe(false);
		expect(sameTopicName("Maße", "Masse")).toBe(false);
		expect(sameTopicName("Straße", "STRASSE")).toBe(false);
		expect(sameTopicName("MAẞE", "Maße")).toBe(true);
		expect(sameTopicName("ΟΔΟΣ", "οδοσ")).toBe(true);
	});

	it("have a key that is its own key, for every code point between letters", () => {
		for (let code = 0; code <= 0x10ffff; code++) {
			if (code >= 0xd800 && code <= 0xdfff) continue;
			const key = topicNameKey(`A${String.fromCodePoint(code)}b`);
			if (topicNameKey(key) !== key) expect(topicNameKey(key), code.toString(16)).toBe(key);
		}
	});

	it("are plain when printable ASCII words one space apart, and then their key is their ASCII lower case", () => {
		for (const name of ["Haushalt 2024", "100% _sure_ \\o/", "War X", "a"]) {
			expect(isPlainTopicName(name), name).toBe(true);
			expect(topicNameKey(name)).toBe(name.toLowerCase());
		}
		for (const name of [
			"Ärzte",
			"Ukraine\u00A0Krieg",
			"ﬁnanzen",
			"Wahl\u00ADkampf",
			"✔ Fakten",
			"a  b",
			" a",
			"a ",
			"a\tb",
			"",
		]) {
			expect(isPlainTopicName(name), JSON.stringify(name)).toBe(false);
		}
	});
});

describe("a topics field refused after a colleague's save", () => {
	const kursk = { slug: "kursk", name: "Kursk" };
	const harbour = { slug: "harbour", name: "Harbour" };
	const korea = { slug: "nordkorea", name: "Nordkorea" };

	it("keeps the colleague's changes and puts the user's own on top", () => {
		// Loaded [Kursk, Harbour]; the colleague removed Harbour and added Nordkorea; the user
		// removed Kursk and added Ukraine.
		expect(mergeTopicLists([kursk, harbour], ["Harbour", "Ukraine"], [kursk, korea])).toEqual({
			topics: ["Nordkorea", "Ukraine"],
			addedMeanwhile: ["Nordkorea"],
			removedMeanwhile: ["Harbour"],
		});
	});

	it("tells a topic renamed meanwhile by its slug: removed by the user, it stays removed and is no colleague's change", () => {
		const renamed = { slug: "kursk", name: "Kursk region" };
		expect(mergeTopicLists([kursk, harbour], ["Harbour"], [renamed, harbour, korea])).toEqual({
			topics: ["Harbour", "Nordkorea"],
			addedMeanwhile: ["Nordkorea"],
			removedMeanwhile: [],
		});
		// Kept by the user under the name it was loaded with: shown under its name now, once.
		expect(mergeTopicLists([kursk, harbour], ["kursk", "Harbour"], [renamed, harbour, korea]).topics).toEqual(
			["Kursk region", "Harbour", "Nordkorea"],
		);
	});

	it("adds what the user typed once, whatever its case, and not a topic already there", () => {
		expect(
			mergeTopicLists([harbour], ["Harbour", "nordkorea", "Ukraine", "ukraine"], [harbour, korea]),
		).toEqual({
			topics: ["Harbour", "Nordkorea", "Ukraine"],
			addedMeanwhile: ["Nordkorea"],
			removedMeanwhile: [],
		});
	});

	it("reads the loaded names with their slugs, or finds them among the topics now when the form sent none", () => {
		const now = [{ slug: "kursk", name: "Kursk region" }, harbour];
		expect(loadedTopics(["Kursk", "Harbour"], ["kursk", "harbour"], now)).toEqual([kursk, harbour]);
		// Without slugs, or with another count: by name, and a name found nowhere is no topic now.
		for (const slugs of [undefined, ["kursk"]]) {
			expect(loadedTopics(["Kursk", "harbour"], slugs, now)).toEqual([
				{ slug: "", name: "Kursk" },
				{ slug: "harbour", name: "harbour" },
			]);
		}
	});
});
