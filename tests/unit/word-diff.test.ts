import { describe, expect, it } from "vitest";
import { type DiffSegment, editScript, wordDiff } from "../../src/domain/word-diff";

const oldOf = (segments: DiffSegment[]) =>
	segments
		.filter((s) => s.kind !== "inserted")
		.map((s) => s.text)
		.join("");
const newOf = (segments: DiffSegment[]) =>
	segments
		.filter((s) => s.kind !== "deleted")
		.map((s) => s.text)
		.join("");

/** Longest common subsequence by the textbook table: the reference for the shortest edit script. */
function lcs(a: readonly string[], b: readonly string[]): number {
	const row = new Array<number>(b.length + 1).fill(0);
	for (let i = 1; i <= a.length; i++) {
		let diagonal = 0;
		for (let j = 1; j <= b.length; j++) {
			const above = row[j] as number;
			row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1] as number);
			diagonal = above;
		}
	}
	return row[b.length] as number;
}

/** A seeded generator, so a failure can be run again. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

const QUOTE =
	"Lawrow sagte in Wŏnsan, die Nazis hätten im Gebiet Kursk Verbrechen begangen, und Nordkorea habe Russland bei der Befreiung geholfen.";

describe("wordDiff", () => {
	it("marks a one-word fix as that word, and nothing else", () => {
		const segments = wordDiff(QUOTE, QUOTE.replace("die Nazis", "die Neonazis"));
		expect(segments).toEqual([
			{ kind: "same", text: "Lawrow sagte in Wŏnsan, die " },
			{ kind: "deleted", text: "Nazis" },
			{ kind: "inserted", text: "Neonazis" },
			{ kind: "same", text: QUOTE.slice(QUOTE.indexOf(" hätten")) },
		]);
	});

	it("reads a phrase replaced as one phrase, deleted words before inserted ones", () => {
		const segments = wordDiff("the old fine words stay", "the new good words stay");
		expect(segments).toEqual([
			{ kind: "same", text: "the " },
			{ kind: "deleted", text: "old fine" },
			{ kind: "inserted", text: "new good" },
			{ kind: "same", text: " words stay" },
		]);
	});

	it("shows an added sentence and a removed one", () => {
		expect(wordDiff("Er sagte es.", "Er sagte es. Dann ging er.")).toEqual([
			{ kind: "same", text: "Er sagte es." },
			{ kind: "inserted", text: " Dann ging er." },
		]);
		expect(wordDiff("Er sagte es. Dann ging er.", "Er sagte es.")).toEqual([
			{ kind: "same", text: "Er sagte es." },
			{ kind: "deleted", text: " Dann ging er." },
		]);
	});

	it("finds words where a language writes no spaces (Chinese), and keeps right-to-left words whole", () => {
		const before = "朝鲜士兵帮助俄罗斯解放了库尔斯克地区。";
		const segments = wordDiff(before, before.replace("帮助", "协助"), { locale: "zh" });
		expect(segments?.filter((s) => s.kind !== "same")).toEqual([
			{ kind: "deleted", text: "帮助" },
			{ kind: "inserted", text: "协助" },
		]);
		expect(wordDiff("قال لافروف إن الحرب انتهت.", "قال لافروف إن السلام انتهت.", { locale: "ar" })).toEqual([
			{ kind: "same", text: "قال لافروف إن " },
			{ kind: "deleted", text: "الحرب" },
			{ kind: "inserted", text: "السلام" },
			{ kind: "same", text: " انتهت." },
		]);
		// An unknown or malformed language reads words as the runtime's default does.
		expect(wordDiff("a b c", "a x c", { locale: "de_DE" })?.filter((s) => s.kind !== "same")).toHaveLength(2);
	});

	it("gives up where a word diff would not help: nothing in common, or mostly rewritten", () => {
		expect(wordDiff("Die Brücke ist gesperrt.", "Unemployment fell by two percent.")).toBeNull();
		expect(wordDiff("a b c d e f g h", "a x y z w v u t")).toBeNull();
		expect(wordDiff("same", "same")).toEqual([{ kind: "same", text: "same" }]);
	});

	it("gives back both wordings exactly, and an edit script as short as the longest common subsequence allows", () => {
		const next = random(20261207);
		const words = ["die", "Nazis", "Kursk", ",", "sagte", "Lawrow", "é", "🇰🇵", "ए", "und"];
		const spaces = [" ", "  ", "\n", "\u00a0"];
		const text = (n: number) =>
			Array.from({ length: n }, (_, i) =>
				i % 2 === 0 ? words[Math.floor(next() * words.length)] : spaces[Math.floor(next() * spaces.length)],
			).join("");
		let diffs = 0;
		for (let round = 0; round < 3000; round++) {
			const a = text(1 + Math.floor(next() * 30));
			const b =
				next() < 0.5 ? text(1 + Math.floor(next() * 30)) : a.replace(/\S+/, "X").replace(/\s\S+$/, " Y Z");
			const segments = wordDiff(a, b);
			if (segments) {
				diffs++;
				expect(oldOf(segments), JSON.stringify([a, b])).toBe(a);
				expect(newOf(segments), JSON.stringify([a, b])).toBe(b);
			}
			const ta = a.match(/\s+|\S+/g) ?? [];
			const tb = b.match(/\s+|\S+/g) ?? [];
			const script = editScript(ta, tb, ta.length + tb.length);
			expect(script).not.toBeNull();
			const edits = (script ?? []).filter((e) => e !== "same").length;
			expect(edits, JSON.stringify([a, b])).toBe(ta.length + tb.length - 2 * lcs(ta, tb));
		}
		expect(diffs).toBeGreaterThan(1000);
	});

	it("costs one pass for a fix in a context at its maximum, and stops early on a rewrite of one", () => {
		const words = Array.from({ length: 4000 }, (_, i) => `Wort${i}`);
		const context = words.join(" ");
		const fixed = context.replace("Wort2000 ", "Wort2000a ");
		const segments = wordDiff(context, fixed);
		expect(segments?.filter((s) => s.kind !== "same")).toEqual([
			{ kind: "deleted", text: "Wort2000" },
			{ kind: "inserted", text: "Wort2000a" },
		]);
		// Every word changed: past the edit bound after (N + M) · 120 steps, shown whole.
		const rewritten = words.map((w) => `${w}x`).join(" ");
		expect(wordDiff(context, rewritten)).toBeNull();
	});
});
