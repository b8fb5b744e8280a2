import { describe, expect, it } from "vitest";
import { extractClaims, type KnownSpeaker, type StepCounter } from "../../src/domain/extraction";

/*
 * The extractor must stay linear in the length of its input: a quote or a reporting
 * verb may not rescan its sentence, nor look through all quotes, mentions or people.
 * Measured in steps (every iteration of every loop over characters, tokens, quotes,
 * mentions and people adds one), not in milliseconds: growing an input 8× has to
 * grow the steps less than 16× (a quadratic path would grow them about 64×).
 */

const LAWROW: KnownSpeaker = {
	id: "lawrow",
	name: "Sergei Lawrow",
	aliases: ["Lavrov", "Lawrow", "Sergej Lawrow"],
};
const CHOE: KnownSpeaker = { id: "choe", name: "Choe Son-hui", aliases: ["Choe", "Choe Son Hui"] };

const GERMAN_PARAGRAPH =
	"„Wir werden die Zusammenarbeit mit Pjöngjang weiter ausbauen“, sagte der russische Außenminister " +
	"Sergei Lawrow am Samstag in Wŏnsan. Er betonte, beide Länder stünden in regelmäßigem Kontakt und " +
	"tauschten Briefe aus. Die nordkoreanische Außenministerin Choe Son-hui erklärte, ihr Land unterstütze " +
	"Moskau „bedingungslos“. Nach ihren Angaben sei die Lage an der Grenze ruhig. „Die Beziehungen sind so " +
	"gut wie nie zuvor. Wir stehen zusammen“, sagte sie. Laut Lawrow wollen beide Seiten im Herbst erneut " +
	"verhandeln. Das teilte das Außenministerium in Moskau mit. Lawrow: „Niemand wird uns auseinanderbringen.“ " +
	"Der Minister fügte hinzu, dass sie „alle Fragen“ besprochen hätten.\n\n";

/* The same speech as one endless sentence: every quote and verb shares it, which is where rescans hurt. */
const RUN_ON =
	"„Wir sind bereit“, sagte Lawrow, und Choe teilte mit, dass sie „bedingungslos“ helfe, " +
	"laut Lawrow sei das so, er betonte: „Wir stehen zusammen“, nach ihren Angaben ob sie wollten – ";

const ENGLISH_PARAGRAPH =
	"“We will expand our cooperation,” Foreign Minister Kim Min-jun said on Monday. She added that the " +
	"ministry “had no choice”, according to the ministry. The minister claims that exports rose 12 percent. " +
	"He told reporters: “Nothing will stop us.” Smith said the deal was signed in Seoul.\n";

/* Reporting verbs that find no subject ("man sagte es") beside names they must not take: every verb tries every slot. */
const SUBJECTLESS = "mit Lawrow und Choe Son-hui, und man sagte es, laut dem Bericht, wie man betonte – ";

/* A new person in every sentence, each referred back to by a pronoun: the people to resolve against keep growing. */
const SYLLABLES = ["ba", "de", "ki", "lo", "mu", "ne", "ra", "so", "tu", "wi"];
function surname(i: number): string {
	let name = "";
	for (let n = i; ; n = Math.floor(n / SYLLABLES.length)) {
		name += SYLLABLES[n % SYLLABLES.length];
		if (n < SYLLABLES.length) break;
	}
	return `${name.charAt(0).toUpperCase()}${name.slice(1)}row`;
}
const newPeople = (i: number) =>
	`Außenminister ${surname(i)} sagte, er sei bereit. Die Ministerin Anna ${surname(i)}a erklärte, sie habe ` +
	`„keine Zweifel“ daran. Laut ${surname(i)} sei das so. `;

const repeat = (unit: string) => (i: number) => (i >= 0 ? unit : "");

const CASES: [label: string, unit: (i: number) => string, knownSpeakers: KnownSpeaker[]][] = [
	['`"x"; ` repeated (25 kB → 200 kB)', repeat('"x"; '), []],
	["German reported speech with quotes, repeated paragraphs", repeat(GERMAN_PARAGRAPH), [LAWROW, CHOE]],
	["German reported speech as one run-on sentence", repeat(RUN_ON), [LAWROW, CHOE]],
	["a run-on sentence whose verbs find no subject", repeat(SUBJECTLESS), [LAWROW, CHOE]],
	['opening marks that never close, between ASCII quotes (`„a "x" `)', repeat('„a "x" '), []],
	["German reported speech by ever new people", newPeople, []],
	["English reported speech with quotes, repeated paragraphs", repeat(ENGLISH_PARAGRAPH), []],
];

/* The first `count` units (0, 1, 2, …) joined. */
const join = (unit: (i: number) => string, count: number) =>
	Array.from({ length: count }, (_, i) => unit(i)).join("");

/* How many units make a text of at least `length` characters. */
function unitsFor(unit: (i: number) => string, length: number): number {
	let count = 0;
	for (let total = 0; total < length; count++) total += unit(count).length;
	return count;
}

function stepsFor(text: string, knownSpeakers: KnownSpeaker[]): number {
	const steps: StepCounter = { count: 0 };
	extractClaims(text, { knownSpeakers, steps });
	return steps.count;
}

describe("claim extraction is linear in the input", () => {
	it.each(CASES)(
		"%s: 8× the text takes less than 16× the steps",
		(_label, unit, knownSpeakers) => {
			const count = unitsFor(unit, 25_000);
			const small = join(unit, count);
			const large = join(unit, count * 8);
			expect(large.length).toBeGreaterThanOrEqual(200_000);
			const smallSteps = stepsFor(small, knownSpeakers);
			const largeSteps = stepsFor(large, knownSpeakers);
			// The counter sits in the inner loops: it sees at least every character once.
			expect(smallSteps).toBeGreaterThan(small.length);
			expect(largeSteps / smallSteps).toBeLessThan(16);
		},
		60_000,
	);

	it("finds the same claims in every copy of a repeated paragraph", () => {
		const once = extractClaims(GERMAN_PARAGRAPH, { knownSpeakers: [LAWROW, CHOE] });
		const many = extractClaims(GERMAN_PARAGRAPH.repeat(20), { knownSpeakers: [LAWROW, CHOE] });
		expect(once.length).toBeGreaterThan(5);
		expect(many).toHaveLength(once.length * 20);
		const speakers = (list: typeof once) => new Set(list.map((c) => c.speaker?.speakerId ?? null));
		expect(speakers(many)).toEqual(speakers(once));
	}, 60_000);

	it("counts nothing unless asked, and the result does not depend on the counter", () => {
		const text = GERMAN_PARAGRAPH.repeat(3);
		expect(extractClaims(text, { steps: { count: 0 } })).toEqual(extractClaims(text));
	});
});
