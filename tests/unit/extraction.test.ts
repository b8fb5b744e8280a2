/// <reference types="vite/client" />
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	type ClaimCandidate,
	encodeTextDirective,
	extractClaims,
	findQuotes,
	type KnownSpeaker,
	scoreClaim,
	splitSentences,
	textFragment,
} from "../../src/domain/extraction";
import { GERMAN_PARTICIPLE } from "../../src/domain/extraction/check-worthiness";
import chipExports from "../fixtures/articles/chip-exports.en.txt?raw";
import radwege from "../fixtures/articles/radwege-freiburg.de.txt?raw";
import wonsan from "../fixtures/wonsan-2025-07-12.de.txt?raw";

const texts = (text: string, language?: string) => splitSentences(text, language).map((s) => s.text);

/** The one candidate whose text or sentence contains `needle`. */
function find(candidates: readonly ClaimCandidate[], needle: string): ClaimCandidate {
	const hits = candidates.filter((c) => c.text.includes(needle) || c.sentence.includes(needle));
	expect(hits, `candidates containing "${needle}"`).toHaveLength(1);
	const [hit] = hits;
	if (!hit) throw new Error(`no candidate contains "${needle}"`);
	return hit;
}

function rank(candidates: readonly ClaimCandidate[], needle: string): number {
	return candidates.indexOf(find(candidates, needle));
}

function expectWellFormed(article: string, candidates: readonly ClaimCandidate[]): void {
	for (const c of candidates) {
		expect(c.score).toBeGreaterThanOrEqual(0);
		expect(c.score).toBeLessThanOrEqual(1);
		expect(c.reasons.length).toBeGreaterThan(0);
		expect(article).toContain(c.sentence);
		expect(c.fragment).toBe(textFragment(c.sentence));
		if (c.kind === "statement") expect(c.speaker).toBeNull();
		if (!c.text.includes(" … ")) expect(article.slice(c.start, c.end)).toBe(c.text);
	}
	const scores = candidates.map((c) => c.score);
	expect(scores).toEqual([...scores].sort((a, b) => b - a));
}

describe("splitSentences", () => {
	it("returns nothing for empty or blank text", () => {
		expect(splitSentences("")).toEqual([]);
		expect(splitSentences(" \n\t ")).toEqual([]);
	});

	it("gives offsets into the input", () => {
		const text = "  Erster Satz.  Zweiter Satz!\nDritter?  ";
		const sentences = splitSentences(text);
		expect(sentences.map((s) => s.text)).toEqual(["Erster Satz.", "Zweiter Satz!", "Dritter?"]);
		for (const s of sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
	});

	it("does not split at German abbreviations, ordinal dates and decimals", () => {
		expect(
			texts(
				"Am 12. Juli traf Dr. Müller u. a. Vertreter der Stadt, z. B. den Kämmerer. " +
					"Danach sprach er mit Nr. 3 der Liste in St. Georgen. Der Wert stieg um 3.5 Prozent bzw. 4,2 Punkte. " +
					"Bis zum 1. Oktober bleibt alles, wie es ist.",
				"de",
			),
		).toEqual([
			"Am 12. Juli traf Dr. Müller u. a. Vertreter der Stadt, z. B. den Kämmerer.",
			"Danach sprach er mit Nr. 3 der Liste in St. Georgen.",
			"Der Wert stieg um 3.5 Prozent bzw. 4,2 Punkte.",
			"Bis zum 1. Oktober bleibt alles, wie es ist.",
		]);
	});

	it("does not split at English titles, initials and U.S., but does when U.S. ends a sentence", () => {
		expect(
			texts(
				"Mr. Smith met George W. Bush and J. K. Rowling in the U.S. capital. He moved to the U.S. The move was hard. Prices rose 3.5 percent.",
				"en",
			),
		).toEqual([
			"Mr. Smith met George W. Bush and J. K. Rowling in the U.S. capital.",
			"He moved to the U.S.",
			"The move was hard.",
			"Prices rose 3.5 percent.",
		]);
	});

	it("splits at a year or a number that ends a sentence", () => {
		expect(texts("Er kam 2024. Sie kam später. Es waren 12. Dann war Ruhe.", "de")).toEqual([
			"Er kam 2024.",
			"Sie kam später.",
			"Es waren 12.",
			"Dann war Ruhe.",
		]);
	});

	it("keeps a quotation of several sentences whole, with its attribution", () => {
		expect(texts("„Wir sind bereit. Wir werden handeln“, sagte er. Dann ging er.")).toEqual([
			"„Wir sind bereit. Wir werden handeln“, sagte er.",
			"Dann ging er.",
		]);
		expect(texts("“Yes. No. Maybe!” He left. «Vraiment ? Oui.» Fin.")).toEqual([
			"“Yes. No. Maybe!”",
			"He left.",
			"«Vraiment ? Oui.»",
			"Fin.",
		]);
		expect(texts("„Wo ist er?“, fragte sie. “Why?” he asked.")).toEqual([
			"„Wo ist er?“, fragte sie.",
			"“Why?” he asked.",
		]);
	});

	it("keeps a quote over paragraphs one sentence with its attribution", () => {
		expect(texts("„Erster Absatz.\n\n„Zweiter Absatz“, sagte sie. Danach ging sie.")).toEqual([
			"„Erster Absatz.\n\n„Zweiter Absatz“, sagte sie.",
			"Danach ging sie.",
		]);
	});

	it("ends headlines at the line break but joins hard-wrapped lines", () => {
		expect(texts("Titel ohne Punkt\nDie Stadt hat\nneue Radwege gebaut. Zweiter Satz.")).toEqual([
			"Titel ohne Punkt",
			"Die Stadt hat\nneue Radwege gebaut.",
			"Zweiter Satz.",
		]);
	});

	it("handles ellipses, question and exclamation marks", () => {
		expect(texts("Was nun? Niemand weiß es! Und dann … nichts. Ende...")).toEqual([
			"Was nun?",
			"Niemand weiß es!",
			"Und dann … nichts.",
			"Ende...",
		]);
	});

	// No timing bound (a busy machine is no measure): only a reading far from linear runs into
	// the test's timeout, a weaker guard than a bound.
	it("returns one sentence for 100,000 characters without punctuation", { timeout: 60_000 }, () => {
		const text = "wort ".repeat(20_000).trim().padEnd(100_000, "x");
		expect(text).toHaveLength(100_000);
		const sentences = splitSentences(text);
		expect(sentences).toEqual([{ text, start: 0, end: 100_000 }]);
		expect(extractClaims(text).length).toBeLessThanOrEqual(1);
	});
});

describe("findQuotes", () => {
	it.each([
		["„Wir sind bereit“", "german"],
		["‚Wir sind bereit‘", "german-single"],
		["“Wir sind bereit”", "english"],
		["‘Wir sind bereit’", "english-single"],
		['"Wir sind bereit"', "ascii"],
		["'Wir sind bereit'", "ascii-single"],
		["«Wir sind bereit»", "guillemets"],
		["»Wir sind bereit«", "reversed-guillemets"],
		["‹Wir sind bereit›", "single-guillemets"],
		["›Wir sind bereit‹", "reversed-single-guillemets"],
	])("finds %s", (quote, style) => {
		const text = `Er sagte ${quote}, dann ging er.`;
		const [span, ...rest] = findQuotes(text);
		expect(rest).toEqual([]);
		expect(span).toMatchObject({
			text: "Wir sind bereit",
			style,
			depth: 0,
			open: 9,
			close: 9 + quote.length - 1,
		});
		expect(text.slice(span?.start, span?.end)).toBe("Wir sind bereit");
	});

	it("accepts French spacing inside guillemets", () => {
		expect(findQuotes("Il a dit « Bonjour » hier.").map((q) => q.text)).toEqual([" Bonjour "]);
	});

	it("finds English-style quotes in German text next to German ones", () => {
		const text =
			"die „koreanischen Freunde“ und die “unzerstörbare Zusammenarbeit” sowie “Diese Einschätzung.”";
		expect(findQuotes(text).map((q) => [q.text, q.style])).toEqual([
			["koreanischen Freunde", "german"],
			["unzerstörbare Zusammenarbeit", "english"],
			["Diese Einschätzung.", "english"],
		]);
	});

	it("nests single quotes in double quotes", () => {
		const german = findQuotes("„Der Slogan ‚Freiburg fährt Rad‘ ersetzt keine Planung“, sagte er.");
		expect(german.map((q) => [q.text, q.style, q.depth])).toEqual([
			["Der Slogan ‚Freiburg fährt Rad‘ ersetzt keine Planung", "german", 0],
			["Freiburg fährt Rad", "german-single", 1],
		]);
		const english = findQuotes("“He said ‘no’ twice,” she recalled.");
		expect(english.map((q) => [q.text, q.style, q.depth])).toEqual([
			["He said ‘no’ twice,", "english", 0],
			["no", "english-single", 1],
		]);
	});

	it("does not take apostrophes for quotes", () => {
		expect(findQuotes("Ch'oe said don't touch Jones' car; it's Kim’s, rock 'n' roll.")).toEqual([]);
		expect(findQuotes("‘Kim’s plan works’, he said.").map((q) => q.text)).toEqual(["Kim’s plan works"]);
		expect(findQuotes("‚Das ist’s‘, sagte sie.").map((q) => q.text)).toEqual(["Das ist’s"]);
	});

	it("drops unbalanced quotes and keeps the balanced ones", () => {
		expect(findQuotes("„Das bleibt offen. Und „das hier“ ist zu.").map((q) => [q.text, q.depth])).toEqual([
			["das hier", 0],
		]);
		expect(findQuotes('Er sagte "Hallo\nund dann "Tschüss" zu uns.').map((q) => q.text)).toEqual(["Tschüss"]);
		expect(findQuotes('Ein 5" großer Bildschirm und ein »halber Satz')).toEqual([]);
		expect(findQuotes('Leer: "" und „“.')).toEqual([]);
	});

	// Long quotes open each paragraph anew and close only at the end of the last.
	it("goes on in the next paragraph when it opens with the same mark", () => {
		const text = "„Erster Absatz.\n\n„Zweiter Absatz.\r\n„Dritter“, sagte sie.";
		expect(findQuotes(text).map((q) => [q.text, q.depth, q.continues])).toEqual([
			["Erster Absatz.", 0, true],
			["Zweiter Absatz.", 0, true],
			["Dritter", 0, false],
		]);
		const [first] = findQuotes(text);
		expect(first?.close).toBe(text.indexOf("\n"));
		const english = findQuotes("“First paragraph.\n“Second,” she said.");
		expect(english.map((q) => [q.text, q.continues])).toEqual([
			["First paragraph.", true],
			["Second,", false],
		]);
	});

	it("does not go on into a paragraph that opens otherwise, or a quote that never closes", () => {
		expect(findQuotes("„Erster Absatz.\nZweiter Absatz“, sagte sie.").map((q) => q.text)).toEqual([]);
		expect(findQuotes("„Erster Absatz.\n„Zweiter Absatz.\nDritter.")).toEqual([]);
		expect(findQuotes("„Erster Absatz.\n»Zweiter«, sagte sie.").map((q) => q.text)).toEqual(["Zweiter"]);
	});
});

describe("textFragment", () => {
	it("percent-encodes a short sentence whole", () => {
		expect(textFragment("Lawrow sprach in Wŏnsan.")).toBe("#:~:text=Lawrow%20sprach%20in%20W%C5%8Fnsan.");
	});

	it("encodes the directive's syntax characters - , &", () => {
		expect(encodeTextDirective("Kim Jong-un, Putin & Co")).toBe("Kim%20Jong%2Dun%2C%20Putin%20%26%20Co");
		expect(textFragment("Kim Jong-un, Putin & Co")).toBe("#:~:text=Kim%20Jong%2Dun%2C%20Putin%20%26%20Co");
	});

	it("uses textStart,textEnd for long passages", () => {
		const sentence =
			"Am 12. Juli teilte Lawrow nach den Gesprächen mit, dass Putin und Kim Jong-un regelmäßig in Kontakt stünden.";
		const fragment = textFragment(sentence);
		expect(fragment).toBe(
			"#:~:text=Am%2012.%20Juli%20teilte%20Lawrow,Jong%2Dun%20regelm%C3%A4%C3%9Fig%20in%20Kontakt%20st%C3%BCnden.",
		);
		const [start, end, ...rest] = fragment.slice("#:~:text=".length).split(",");
		expect(rest).toEqual([]);
		expect(decodeURIComponent(start ?? "")).toBe("Am 12. Juli teilte Lawrow");
		expect(decodeURIComponent(end ?? "")).toBe("Jong-un regelmäßig in Kontakt stünden.");
	});

	it("collapses whitespace and returns nothing for no words", () => {
		expect(textFragment("  Ein\n  Satz  ")).toBe("#:~:text=Ein%20Satz");
		expect(textFragment(" \n ")).toBe("");
	});
});

describe("scoreClaim", () => {
	const score = (text: string, language: "de" | "en" = "de") =>
		scoreClaim({ text, kind: "statement", language, stances: new Set(), namedPeople: 0 });

	it("explains factual statements", () => {
		expect(score("Die Delegation reiste im Herbst 2024 nach Moskau.").reasons).toEqual([
			"names a date, a place and an event",
			"reported as fact",
		]);
	});

	it("ranks facts above predictions, pledges, opinions and courtesies", () => {
		const fact = score("Die Stadt hat 2024 insgesamt 38 Kilometer Radwege in Freiburg gebaut.");
		const prediction = score("Ich bin mir sicher, dass bald mehr Touristen kommen werden.");
		const pledge = score("Die Regierung werde die Ukraine bedingungslos unterstützen.");
		const courtesy = score("Der Minister bedankte sich bei den Gastgebern.");
		const opinion = score("We believe this is a great and important step.", "en");
		expect(prediction.reasons).toContain("prediction");
		expect(pledge.reasons).toContain("pledge");
		expect(courtesy.reasons).toContain("courtesy");
		expect(opinion.reasons).toContain("opinion");
		for (const weaker of [prediction, pledge, courtesy, opinion])
			expect(fact.score).toBeGreaterThan(weaker.score);
	});

	/*
	 * GERMAN_PARTICIPLE read on from every "ge" of a long lower-case word to its end and back:
	 * quadratic, 120 ms of CPU for a word of 20,000 letters (Node 22; 0.1 ms now). Measured,
	 * not asserted here (no timing in tests); asserted is that it matches what it matched.
	 */
	it("takes the same words for German participles as the former, quadratic pattern", () => {
		const former =
			/^(?:\p{Ll}*ge\p{Ll}{2,}(?:t|en)|(?:be|ver|er|ent|zer|emp|über|unter)\p{Ll}{4,}(?:t|en)|\p{Ll}{3,}iert)$/u;
		const piece = fc.constantFrom(
			"g",
			"e",
			"t",
			"n",
			"i",
			"r",
			"b",
			"v",
			"u",
			"z",
			"m",
			"p",
			"ü",
			"ß",
			"A",
			"-",
			"𝐚",
			"ge",
		);
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
				const word = pieces.join("");
				expect(GERMAN_PARTICIPLE.test(word), word).toBe(former.test(word));
			}),
			{ numRuns: 5_000 },
		);
		for (const word of [
			"gestiegen",
			"angestiegen",
			"gegeben",
			"geht",
			"gegen",
			"verkauft",
			"investiert",
			"getan",
		])
			expect(GERMAN_PARTICIPLE.test(word), word).toBe(former.test(word));
	});

	/*
	 * Long enough that the former pattern, quadratic, would take minutes (Node 22: 0.4 s for a
	 * word of 40,000 letters, so some 17 minutes for this one); 20 ms now. Not timed (no timing
	 * in tests): the file's limit is what a return of the quadratic form would meet.
	 */
	it("scores a sentence with a word of 2,000,000 letters as one with a short word", () => {
		const long = `m${"geuu".repeat(499_999)}uuu`;
		const short = "mgeuuu";
		expect(long).toHaveLength(2_000_000);
		expect(score(`Die Stadt hat 2024 den ${long} gebaut.`).reasons).toEqual(
			score(`Die Stadt hat 2024 den ${short} gebaut.`).reasons,
		);
	});
});

const LAWROW: KnownSpeaker = {
	id: "lawrow",
	name: "Sergei Lawrow",
	aliases: ["Lavrov", "Lawrow", "Sergej Lawrow"],
};
const CHOE: KnownSpeaker = {
	id: "choe",
	name: "Choe Son-hui",
	aliases: ["Choe", "Choe Son Hui", "Ch'oe Sŏn-hŭi"],
};

describe.each([
	["without known speakers", [] as KnownSpeaker[], { lawrow: null, choe: null }],
	["with known speakers", [LAWROW, CHOE], { lawrow: "lawrow", choe: "choe" }],
])("the Wŏnsan article, %s", (_label, knownSpeakers, ids) => {
	const candidates = extractClaims(wonsan, { knownSpeakers });
	const lawrow = { name: "Sergei Lawrow", speakerId: ids.lawrow };
	const choe = { name: "Choe Son-hui", speakerId: ids.choe };

	it("is well formed and ranked", () => {
		expectWellFormed(wonsan, candidates);
		expect(candidates.length).toBeGreaterThanOrEqual(15);
	});

	it("(a) gives the standalone Kursk quote to Choe, whom the sentence before is about", () => {
		const c = find(candidates, "im Bereich Kursk bewiesen");
		expect(c.kind).toBe("direct-quote");
		expect(c.speaker).toEqual(choe);
		expect(c.text).toMatch(/^Diese Einschätzung wurde konkret im Bereich Kursk bewiesen, .* befreiten\.$/u);
	});

	it("(b) gives the regular contact and letters between Putin and Kim Jong-un to Lawrow", () => {
		const c = find(candidates, "regelmäßig in Kontakt stünden und Briefe austauschten");
		expect(c.kind).toBe("reported-speech");
		expect(c.speaker).toEqual(lawrow);
	});

	it("(c) gives the restored air connections (Konjunktiv, no reporting verb) to Lawrow", () => {
		const c = find(candidates, "Die Luftverbindungen seien bereits wiederhergestellt");
		expect(c.kind).toBe("reported-speech");
		expect(c.speaker).toEqual(lawrow);
	});

	it("(d) gives the DPRK acting freely and sovereignly to Lawrow (pronoun “Er”)", () => {
		const c = find(candidates, "frei und souverän handele");
		expect(c.kind).toBe("reported-speech");
		expect(c.speaker).toEqual(lawrow);
	});

	it("(e) keeps the first strategic dialogue in autumn 2024 as the article's own statement", () => {
		const c = find(candidates, "im Herbst 2024 stattgefunden, als Choe nach Moskau reiste");
		expect(c.kind).toBe("statement");
		expect(c.speaker).toBeNull();
		expect(c.reasons).toContain("reported as fact");
	});

	it("ranks (a), (b), (c), (e) above the tourism prediction and the pledge of support", () => {
		const prediction = find(candidates, "immer mehr russische Touristen");
		const pledge = find(candidates, "bedingungslos unterstützen werde");
		expect(prediction.speaker).toEqual(lawrow);
		expect(prediction.reasons).toContain("prediction");
		expect(pledge.speaker).toEqual(choe);
		expect(pledge.reasons).toContain("pledge");
		const low = Math.min(candidates.indexOf(prediction), candidates.indexOf(pledge));
		for (const needle of [
			"im Bereich Kursk bewiesen",
			"regelmäßig in Kontakt stünden",
			"Die Luftverbindungen seien bereits wiederhergestellt",
			"im Herbst 2024 stattgefunden",
		]) {
			expect(rank(candidates, needle), needle).toBeLessThan(low);
		}
	});

	it("resolves pronouns by gender and by who the text is about", () => {
		// "Er" after a sentence that also names Putin and Kim Jong-un is still Lawrow.
		expect(find(candidates, "Er schloss zudem").speaker).toEqual(lawrow);
		// "Sie" is Choe, introduced as "Amtskollegin".
		expect(find(candidates, "Sie verwies auf das Treffen").speaker).toEqual(choe);
		expect(find(candidates, "Choe hatte bereits in der ersten Gesprächsrunde").speaker).toEqual(choe);
		expect(find(candidates, "Wir gehen davon aus").speaker).toEqual(lawrow);
		expect(find(candidates, "Moskau werde dabei").speaker).toEqual(lawrow);
	});

	it("keeps short scare quotes inside their sentence's claim", () => {
		for (const scare of [
			"koreanischen Freunde",
			"unzerstörbare Zusammenarbeit",
			"Grundlage der unbesiegbaren",
		]) {
			const c = find(candidates, scare);
			expect(c.kind).toBe("reported-speech");
			expect(c.text).toBe(c.sentence);
		}
		expect(find(candidates, "koreanischen Freunde").speaker).toEqual(lawrow);
		expect(find(candidates, "unzerstörbare Zusammenarbeit").speaker).toEqual(choe);
	});

	it("leaves out the link teaser and lowers courtesies", () => {
		expect(candidates.some((c) => c.sentence.startsWith("Mehr zum Thema"))).toBe(false);
		expect(find(candidates, "bedankte sich erneut").reasons).toContain("courtesy");
	});

	it("is deterministic", () => {
		expect(extractClaims(wonsan, { knownSpeakers })).toEqual(candidates);
	});
});

describe("known speakers", () => {
	it("match through aliases in another spelling", () => {
		const text =
			"Russian Foreign Minister Sergey Lavrov met his North Korean counterpart Choe Son Hui in Wonsan. " +
			"Lavrov said that direct flights between Moscow and Pyongyang had resumed in July.";
		const c = find(extractClaims(text, { knownSpeakers: [LAWROW, CHOE] }), "direct flights");
		expect(c.speaker).toEqual({ name: "Sergei Lawrow", speakerId: "lawrow" });
	});

	it("name speakers the article never introduces in full", () => {
		const text = "Lawrow sagte, die Flüge nach Pjöngjang seien im Juli wieder aufgenommen worden.";
		expect(extractClaims(text, { language: "de" })[0]?.speaker).toEqual({ name: "Lawrow", speakerId: null });
		expect(extractClaims(text, { language: "de", knownSpeakers: [LAWROW] })[0]?.speaker).toEqual({
			name: "Sergei Lawrow",
			speakerId: "lawrow",
		});
	});

	it("keep speakers apart when only the first name differs, and honour titles", () => {
		const text =
			"Bürgermeisterin Anna Müller und Stadtrat Thomas Müller stritten am Montag über den Haushalt. " +
			"Müller sagte, die Stadt habe 2024 ein Defizit von 3 Millionen Euro gehabt. " +
			"Frau Müller erklärte, das Defizit sei inzwischen halbiert. Herr Müller widersprach.";
		const candidates = extractClaims(text, { language: "de" });
		// A bare surname goes to the most recently mentioned bearer.
		expect(find(candidates, "Defizit von 3 Millionen").speaker?.name).toBe("Thomas Müller");
		expect(find(candidates, "inzwischen halbiert").speaker?.name).toBe("Anna Müller");
		expect(find(candidates, "Herr Müller widersprach").speaker?.name).toBe("Thomas Müller");
	});

	it("returns no candidates for empty text", () => {
		expect(extractClaims("")).toEqual([]);
	});
});

describe("speakers without a name of their own", () => {
	it.each([
		["The talks ended on Friday, according to the foreign ministry.", "en", "the foreign ministry"],
		["Die Polizei teilte am Montag mit, dass drei Personen festgenommen worden seien.", "de", "Die Polizei"],
		[
			"Am Montag teilte die Bundesregierung mit, dass 40 Millionen Euro bewilligt worden seien.",
			"de",
			"die Bundesregierung",
		],
	])("%s", (text, language, name) => {
		const [c] = extractClaims(text, { language });
		expect(c?.kind).toBe("reported-speech");
		expect(c?.speaker).toEqual({ name, speakerId: null });
	});

	// A person by role alone names no one to record: the claim stays reported speech, without a speaker.
	it.each([
		["A spokesperson for the ministry said the talks had ended on Friday.", "en"],
		["Ein Sprecher sagte, die Lage sei seit Sonntag ruhig.", "de"],
		["Die Sprecherin der Polizei teilte mit, dass drei Personen festgenommen worden seien.", "de"],
	])("%s (a role alone)", (text, language) => {
		const [c] = extractClaims(text, { language });
		expect(c?.kind).toBe("reported-speech");
		expect(c?.speaker).toBeNull();
	});

	it("name people by apposition, particles and roles", () => {
		const text =
			"“We are ready,” said the mayor, Jane Doe. The mayor added that 300 homes had flooded. " +
			"Ursula von der Leyen said on Tuesday that the EU had approved 50 billion euros. " +
			"Von der Leyen added: “This is a historic day.”";
		const candidates = extractClaims(text);
		expect(find(candidates, "We are ready")).toMatchObject({ kind: "direct-quote", text: "We are ready" });
		expect(find(candidates, "We are ready").speaker?.name).toBe("Jane Doe");
		expect(find(candidates, "300 homes").speaker?.name).toBe("Jane Doe");
		expect(find(candidates, "50 billion euros").speaker?.name).toBe("Ursula von der Leyen");
		expect(find(candidates, "historic day").speaker?.name).toBe("Ursula von der Leyen");
	});

	it("do not take nouns for reporting verbs", () => {
		const text =
			"The United States imposed tariffs of 25 percent in March. The claims were investigated in 2023.";
		const candidates = extractClaims(text, { language: "en" });
		expect(candidates.map((c) => [c.kind, c.speaker])).toEqual([
			["statement", null],
			["statement", null],
		]);
	});

	it("treat a quote handed over to its verb as a quotation even when short", () => {
		const [c] = extractClaims("„Wir stehen zusammen“, sagte Bundeskanzler Friedrich Merz.", {
			language: "de",
		});
		expect(c).toMatchObject({
			kind: "direct-quote",
			text: "Wir stehen zusammen",
			speaker: { name: "Friedrich Merz", speakerId: null },
		});
	});
});

const ANNA: KnownSpeaker = { id: "anna", name: "Anna Müller", aliases: ["Müller", "Anna Mueller"] };
const THOMAS: KnownSpeaker = { id: "thomas", name: "Thomas Müller", aliases: ["Müller"] };

describe.each([
	["without known speakers", [] as KnownSpeaker[], { anna: null, thomas: null }],
	["with known speakers", [ANNA, THOMAS], { anna: "anna", thomas: "thomas" }],
])("a German article with two Müllers, %s", (_label, knownSpeakers, ids) => {
	const candidates = extractClaims(radwege, { knownSpeakers });
	const anna = { name: "Anna Müller", speakerId: ids.anna };
	const thomas = { name: "Thomas Müller", speakerId: ids.thomas };
	const schulz = { name: "Maria Schulz", speakerId: null };

	it("is well formed and ranked", () => {
		expectWellFormed(radwege, candidates);
	});

	it.each([
		// "Das teilte … mit" names the speaker of the sentence before; it is no claim itself.
		["14,2 Millionen Euro in neue Radwege", "reported-speech", "anna"],
		["Nach ihren Angaben wurden seit 2021", "reported-speech", "anna"],
		["Wir haben mehr erreicht", "direct-quote", "anna"],
		["widersprach der Oberbürgermeisterin", "reported-speech", "thomas"],
		["Er kritisierte, dass die Kosten", "reported-speech", "thomas"],
		["Die Zahlen des Rathauses seien", "reported-speech", "thomas"],
		["keine einzige fertig", "direct-quote", "thomas"],
		["Die Oberbürgermeisterin räumte ein", "reported-speech", "anna"],
		["Sie versprach", "reported-speech", "anna"],
		["Laut Dr. Maria Schulz", "reported-speech", "schulz"],
		["ersetzt keine Planung", "direct-quote", "thomas"],
		["Frau Müller bedankte sich", "reported-speech", "anna"],
		["fahrradfreundlichste Stadt", "direct-quote", "anna"],
	] as const)("attributes “%s” (%s) to %s", (needle, kind, who) => {
		const c = find(candidates, needle);
		expect(c.kind).toBe(kind);
		expect(c.speaker).toEqual({ anna, thomas, schulz }[who]);
	});

	it("skips the bare attribution sentence", () => {
		expect(candidates.some((c) => c.sentence.startsWith("Das teilte"))).toBe(false);
	});

	it("keeps a two-sentence quote whole and a nested quote inside it", () => {
		expect(find(candidates, "Wir haben mehr erreicht").text).toBe(
			"Wir haben mehr erreicht, als wir uns vorgenommen hatten. Der Radverkehr ist seit 2019 um ein Drittel gestiegen.",
		);
		expect(find(candidates, "ersetzt keine Planung").text).toBe(
			"Der Slogan ‚Freiburg fährt Rad‘ ersetzt keine Planung",
		);
		expect(find(candidates, "Die Zahlen des Rathauses").text).toBe(
			"Die Zahlen des Rathauses seien „geschönt“.",
		);
	});

	it("ranks numbers and events above the pledge, the courtesy and the prediction", () => {
		const low = Math.min(
			rank(candidates, "Sie versprach"),
			rank(candidates, "Frau Müller bedankte sich"),
			rank(candidates, "fahrradfreundlichste Stadt"),
		);
		for (const needle of [
			"Laut Dr. Maria Schulz",
			"Nach ihren Angaben",
			"14,2 Millionen Euro",
			"keine einzige fertig",
		]) {
			expect(rank(candidates, needle), needle).toBeLessThan(low);
		}
		expect(find(candidates, "Sie versprach").reasons).toContain("pledge");
		expect(find(candidates, "Frau Müller bedankte sich").reasons).toContain("courtesy");
		expect(find(candidates, "fahrradfreundlichste Stadt").reasons).toContain("prediction");
	});
});

const MIN_JUN: KnownSpeaker = { id: "min-jun", name: "Kim Min-jun", aliases: ["Kim"] };
const SEO_YEON: KnownSpeaker = { id: "seo-yeon", name: "Kim Seo-yeon", aliases: ["Kim"], gender: "f" };

describe.each([
	["without known speakers", [] as KnownSpeaker[], { minJun: null, seoYeon: null }],
	["with known speakers", [MIN_JUN, SEO_YEON], { minJun: "min-jun", seoYeon: "seo-yeon" }],
])("an English article with two Kims, %s", (_label, knownSpeakers, ids) => {
	const candidates = extractClaims(chipExports, { knownSpeakers });
	const minJun = { name: "Kim Min-jun", speakerId: ids.minJun };
	const seoYeon = { name: "Kim Seo-yeon", speakerId: ids.seoYeon };

	it("detects English and is well formed", () => {
		expectWellFormed(chipExports, candidates);
		expect(extractClaims(chipExports, { knownSpeakers, language: "en" })).toEqual(candidates);
	});

	it.each([
		["exports rose 8.2 percent", "reported-speech", "minJun"],
		["Our chip exports have now grown", "direct-quote", "minJun"],
		["disputed the minister's reading", "reported-speech", "seoYeon"],
		["She argued that the increase", "reported-speech", "seoYeon"],
		["ordinary workers never see", "direct-quote", "seoYeon"],
		["The finance minister insisted", "reported-speech", "minJun"],
		["car exports also climbed", "reported-speech", "minJun"],
		["keep this momentum", "direct-quote", "minJun"],
		["would table a bill", "reported-speech", "seoYeon"],
		["most important vote of the year", "direct-quote", "seoYeon"],
		["remarkable resilience", "reported-speech", "minJun"],
	] as const)("attributes “%s” (%s) to %s", (needle, kind, who) => {
		const c = find(candidates, needle);
		expect(c.kind).toBe(kind);
		expect(c.speaker).toEqual({ minJun, seoYeon }[who]);
	});

	it("names organisations and the article itself", () => {
		expect(find(candidates, "semiconductors reached").speaker).toEqual({
			name: "the ministry",
			speakerId: null,
		});
		const bank = find(candidates, "The Bank of Korea kept");
		expect(bank.kind).toBe("statement");
		expect(bank.speaker).toBeNull();
		expect(find(candidates, "U.S. tariffs had cut").speaker).toEqual({
			name: "Lee Sun-hee",
			speakerId: null,
		});
	});

	it("cuts the handover comma from quotes", () => {
		expect(find(candidates, "Our chip exports").text).toBe(
			"Our chip exports have now grown for five consecutive months",
		);
		expect(find(candidates, "keep this momentum").text).toBe("We will do everything to keep this momentum");
	});

	it("ranks facts above opinion and pledge", () => {
		const low = Math.min(rank(candidates, "most important vote"), rank(candidates, "keep this momentum"));
		for (const needle of ["exports rose 8.2 percent", "The Bank of Korea kept", "car exports also climbed"]) {
			expect(rank(candidates, needle), needle).toBeLessThan(low);
		}
		expect(find(candidates, "most important vote").reasons).toContain("opinion");
		expect(find(candidates, "keep this momentum").reasons).toContain("pledge");
		expect(find(candidates, "remarkable resilience").reasons).toContain("courtesy");
	});
});

describe("on arbitrary text", () => {
	const pieces = [..."aA bc.!?\n„“”‚‘’\"'«»‹›:,-–()"].concat(
		["Dr.", "12.", " Juli", " sagte", " er", " sie", "Müller", " Anna", " erklärte", " said", " he", " she"],
		["Kim", "Lawrow", " der Minister", " dass", " seien", " U.S.", "3.5", " the minister", "Frau ", " werde"],
	);
	const article = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((parts) => parts.join(""));

	it("covers every character with ordered sentences, well-nested quotes and bounded scores", () => {
		fc.assert(
			fc.property(article, fc.constantFrom("de", "en", undefined), (text, language) => {
				let previousEnd = 0;
				const covered = new Array<boolean>(text.length).fill(false);
				for (const s of splitSentences(text, language)) {
					expect(text.slice(s.start, s.end)).toBe(s.text);
					expect(s.text).toBe(s.text.trim());
					expect(s.text).not.toBe("");
					expect(s.start).toBeGreaterThanOrEqual(previousEnd);
					previousEnd = s.end;
					covered.fill(true, s.start, s.end);
				}
				covered.forEach((c, i) => {
					if (!c) expect(text[i]).toMatch(/\s/u);
				});
				const quotes = findQuotes(text);
				for (const a of quotes) {
					expect(text.slice(a.start, a.end)).toBe(a.text);
					for (const b of quotes)
						expect(a.open < b.open && b.open < a.close && a.close < b.close).toBe(false);
				}
				for (const c of extractClaims(text, { language, knownSpeakers: [ANNA] })) {
					expect(c.score).toBeGreaterThanOrEqual(0);
					expect(c.score).toBeLessThanOrEqual(1);
					expect(text).toContain(c.sentence);
				}
			}),
			{ numRuns: 300 },
		);
	});
});
