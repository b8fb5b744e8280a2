import { describe, expect, it } from "vitest";
import { type ClaimCandidate, extractClaims, type KnownSpeaker } from "../../src/domain/extraction";

/*
 * Who said it, in the constructions news copy uses every day (issue #15): appositions
 * before the verb, role nouns that refer back to a named person, reported speech with
 * dass/that and Konjunktiv, and two people of one surname told apart by their role.
 */

function speakerOf(text: string, language: "de" | "en", needle: string): string | null {
	const candidates = extractClaims(text, { language });
	const hits = candidates.filter((c: ClaimCandidate) => c.text.includes(needle));
	expect(hits, `candidates containing "${needle}"`).toHaveLength(1);
	return hits[0]?.speaker?.name ?? null;
}

describe("appositions before the verb", () => {
	it.each([
		[
			"de",
			"Die Landrätin des Kreises, Anna Berger, räumte ein: „Wir haben uns bei den Kosten verschätzt.“",
			"bei den Kosten verschätzt",
			"Anna Berger",
		],
		[
			"de",
			"Der Polizeipräsident von Mannheim, Jörg Krause, erklärte, die Zahl der Einbrüche sei 2024 um 9 Prozent gesunken.",
			"Zahl der Einbrüche",
			"Jörg Krause",
		],
		[
			"de",
			"Die Leiterin des Gesundheitsamts, Dr. Sabine Kurz, warnte: „Die Impfquote liegt unter 60 Prozent.“",
			"Impfquote",
			"Sabine Kurz",
		],
		[
			"en",
			'The county\'s treasurer, John Smith, admitted: "We missed the error for three years."',
			"missed the error",
			"John Smith",
		],
		[
			"en",
			"The head of the port authority, Grace Okoye, said that container traffic had fallen 11 percent in May.",
			"container traffic",
			"Grace Okoye",
		],
		[
			"en",
			"A nurse who worked nights at the clinic, Paula Brandt, told the inquiry that staff had raised the alarm in March.",
			"raised the alarm",
			"Paula Brandt",
		],
	] as const)("%s: %s", (language, text, needle, speaker) => {
		expect(speakerOf(text, language, needle)).toBe(speaker);
	});

	it("does not take the object of the verb for its subject", () => {
		const text =
			"Treasurer Ann Lowe presented the accounts on Monday. " +
			"The chair of the county board, Maria Delgado, criticized the treasurer for waiting three months.";
		expect(speakerOf(text, "en", "waiting three months")).toBe("Maria Delgado");
	});
});

describe("role nouns that refer back to a named person", () => {
	it("German: die Landrätin, der Kämmerer", () => {
		const text =
			"Die Landrätin des Kreises, Anna Berger, stellte am Mittwoch den Haushalt vor. " +
			"Der Kämmerer des Kreises, Jens Hofmann, nannte ein Defizit von 4 Millionen Euro. " +
			"Die Landrätin kündigte außerdem an, dass der Kreis 2026 keine neuen Schulden aufnehmen werde. " +
			"Der Kämmerer räumte ein, die Rücklagen reichten nur noch zwei Jahre.";
		expect(speakerOf(text, "de", "keine neuen Schulden")).toBe("Anna Berger");
		expect(speakerOf(text, "de", "Rücklagen reichten")).toBe("Jens Hofmann");
	});

	it("English: the treasurer, the chief engineer", () => {
		const text =
			"The county's treasurer, John Smith, presented the audit on Tuesday. " +
			"The city's chief engineer, Oliver Grant, said repairs would cost $7.8 million. " +
			"The treasurer added that property taxes would not rise in 2025. " +
			"The engineer warned that the bridge could not reopen before April.";
		expect(speakerOf(text, "en", "property taxes")).toBe("John Smith");
		expect(speakerOf(text, "en", "could not reopen")).toBe("Oliver Grant");
	});

	it("learns a role the lexicon lacks from the apposition that introduces it", () => {
		const text =
			"The district's superintendent, Angela Reyes, presented the plan. " +
			"Tom Fisher voted against it. " +
			"The superintendent acknowledged the closures would lengthen bus rides.";
		expect(speakerOf(text, "en", "bus rides")).toBe("Angela Reyes");
	});
});

describe("reported speech with dass/that and Konjunktiv", () => {
	it.each([
		["Berger betonte, dass die Kosten seit 2022 gestiegen seien.", "Kosten seit 2022"],
		["Berger räumte ein, die Kosten seien seit 2022 gestiegen.", "Kosten seien"],
		["Berger kritisierte, dass das Land die Zuschüsse gekürzt habe.", "Zuschüsse gekürzt"],
		["Berger erklärte, der Neubau werde 61 Millionen Euro kosten.", "61 Millionen"],
		["Berger warnte, ohne Zuschuss müsse der Kreis die Umlage erhöhen.", "Umlage erhöhen"],
	])("%s", (sentence, needle) => {
		const text = `Landrätin Anna Berger sprach am Mittwoch im Kreistag. ${sentence}`;
		const c = extractClaims(text, { language: "de" }).find((x) => x.text.includes(needle));
		expect(c?.kind).toBe("reported-speech");
		expect(c?.speaker?.name).toBe("Anna Berger");
	});

	it("carries Konjunktiv on to the speaker, and with “demnach” to the source just named", () => {
		const text =
			"Berger betonte, dass die Kosten gestiegen seien. Eine Überraschung sei das nicht. " +
			"Der Kämmerer des Kreises, Jens Hofmann, legte eine neue Kalkulation vor. " +
			"Der Neubau werde demnach 61 Millionen Euro kosten.";
		expect(speakerOf(text, "de", "Eine Überraschung")).toBe("Berger");
		expect(speakerOf(text, "de", "61 Millionen")).toBe("Jens Hofmann");
	});

	it("English: “admitted”, “warned” with and without “that”", () => {
		const text =
			"Mayor Carl Benning spoke on Tuesday. Benning admitted the city had delayed the inspection. " +
			"He warned that the bridge would stay closed until April.";
		expect(speakerOf(text, "en", "delayed the inspection")).toBe("Carl Benning");
		expect(speakerOf(text, "en", "stay closed")).toBe("Carl Benning");
	});
});

describe("two people of the same surname, told apart by their role", () => {
	it("English: Smith, the treasurer / Smith, the former governor", () => {
		const text =
			"The figures drew different readings from State Treasurer Erica Smith and former Governor Daniel Smith, who are not related. " +
			'Smith, the treasurer, said the spending cap had worked. "We are paying down debt," she said. ' +
			"Smith, the former governor, said the fund was too large. " +
			"The treasurer noted that the state had paid $1.6 billion into its pension funds. " +
			"The former governor said he would campaign for a ballot measure.";
		expect(speakerOf(text, "en", "spending cap")).toBe("Erica Smith");
		expect(speakerOf(text, "en", "paying down debt")).toBe("Erica Smith");
		expect(speakerOf(text, "en", "too large")).toBe("Daniel Smith");
		expect(speakerOf(text, "en", "$1.6 billion")).toBe("Erica Smith");
		expect(speakerOf(text, "en", "ballot measure")).toBe("Daniel Smith");
	});

	it("German: Müller, der Bürgermeister / Müller, die Fraktionschefin", () => {
		const text =
			"Im Gemeinderat stritten Bürgermeister Gerd Müller und Ilse Müller, Fraktionschefin der Freien Wähler. " +
			"Müller, der Bürgermeister, sagte: „Ein Neubau ist auf Dauer günstiger.“ " +
			"Müller, die Fraktionschefin, hielt dagegen: „Wer das Bad schließt, nimmt den Schulen den Schwimmunterricht.“ " +
			"Die Fraktionschefin kündigte an, einen Bürgerentscheid zu beantragen. " +
			"Der Bürgermeister räumte ein, die Stadt habe die Sanierung zu lange aufgeschoben.";
		expect(speakerOf(text, "de", "auf Dauer günstiger")).toBe("Gerd Müller");
		expect(speakerOf(text, "de", "Schwimmunterricht")).toBe("Ilse Müller");
		expect(speakerOf(text, "de", "Bürgerentscheid")).toBe("Ilse Müller");
		expect(speakerOf(text, "de", "zu lange aufgeschoben")).toBe("Gerd Müller");
	});
});

describe("unnamed sources stay unnamed", () => {
	it.each([
		[
			"de",
			"Landrätin Anna Berger sprach im Kreistag. „Am Ende zahlen die Patienten“, hieß es aus dem Landratsamt.",
			"zahlen die Patienten",
		],
		[
			"en",
			'Councilor Denise Whitfield spoke first. "It\'s the retirees who pay," said one resident who attended the meeting.',
			"retirees who pay",
		],
		[
			"en",
			"Councilor Denise Whitfield spoke first. A shop owner on Fore Street, who asked not to be named, said she had laid off two workers.",
			"laid off two workers",
		],
	] as const)("%s: %s", (language, text, needle) => {
		const name = speakerOf(text, language, needle);
		expect(name === null || /^(?:a|an|one|the|ein|eine|der|die)\s/iu.test(name)).toBe(true);
	});
});

/*
 * A role with its article before the name ("sagte der russische Außenminister Sergei
 * Lawrow"): the name is the speaker, as without the article. A role alone ("der
 * Minister", "Dem Minister zufolge") names no one: the claim keeps its kind, with no
 * speaker to record (recording "der Minister" made him a public speaker).
 */
describe("a role with its article", () => {
	const LAWROW: KnownSpeaker = { id: "lavrov", name: "Sergei Lawrow", aliases: ["Lawrow", "Sergei Lavrov"] };
	const QUOTE = "„Die Nato hat ihre Zusagen seit 1990 gebrochen“";

	function candidateOf(text: string, language: "de" | "en", needle: string): ClaimCandidate | undefined {
		const hits = extractClaims(text, { language, knownSpeakers: [LAWROW] }).filter((c) =>
			c.text.includes(needle),
		);
		expect(hits, `candidates containing "${needle}"`).toHaveLength(1);
		return hits[0];
	}

	it.each([
		["de", `${QUOTE}, sagte der russische Außenminister Sergei Lawrow.`],
		["de", `${QUOTE}, sagte der Außenminister Sergei Lawrow am Samstag.`],
		["de", `${QUOTE}, sagte Außenminister Sergei Lawrow am Samstag.`],
		["de", `${QUOTE}, so der Außenminister Sergei Lawrow.`],
		["de", `${QUOTE}, so der russische Außenminister Sergei Lawrow.`],
		["de", "Dem Außenminister Sergei Lawrow zufolge hat die Nato ihre Zusagen seit 1990 gebrochen."],
		[
			"de",
			"Der russische Außenminister Sergei Lawrow sagte, die Nato habe ihre Zusagen seit 1990 gebrochen.",
		],
		["en", "“NATO has broken its promises since 1990,” said the foreign minister Sergei Lavrov."],
		["en", "“NATO has broken its promises since 1990,” said Russia's foreign minister Sergei Lavrov."],
		[
			"en",
			"“NATO has broken its promises since 1990,” said Moscow’s top diplomat Sergei Lavrov on Saturday.",
		],
	] as const)("%s: %s → the known speaker", (language, text) => {
		expect(candidateOf(text, language, "1990")?.speaker).toEqual({
			name: "Sergei Lawrow",
			speakerId: "lavrov",
		});
	});

	it("names a person the article introduces so, known or not", () => {
		const text =
			"„Wir haben 2024 mehr als 400 Wohnungen gebaut“, sagte die Bürgermeisterin Hanna Lindenberg am Montag. " +
			"Die Mieten sind 2024 um sechs Prozent gestiegen, so der Verbandspräsident Lukas Brandt.";
		expect(candidateOf(text, "de", "400 Wohnungen")?.speaker).toEqual({
			name: "Hanna Lindenberg",
			speakerId: null,
		});
		const rents = candidateOf(text, "de", "sechs Prozent");
		expect(rents?.kind).toBe("reported-speech");
		expect(rents?.speaker).toEqual({ name: "Lukas Brandt", speakerId: null });
	});

	it.each([
		["de", "Dem Minister zufolge hat Russland seit 2022 mehr als 300 Raketen abgefeuert.", "reported-speech"],
		["de", `${QUOTE}, sagte der Minister.`, "direct-quote"],
		["de", `${QUOTE}, so die Ministerin.`, "direct-quote"],
		["de", "Ein Sprecher sagte, die Lage sei seit Sonntag ruhig.", "reported-speech"],
		["en", "“We built 400 homes in 2024,” the mayor said.", "direct-quote"],
		["en", "A spokesperson for the ministry said the talks had ended on Friday.", "reported-speech"],
	] as const)("%s: %s → someone unnamed speaks", (language, text, kind) => {
		const [c, ...rest] = extractClaims(text, { language, knownSpeakers: [LAWROW] });
		expect(rest).toEqual([]);
		expect(c?.kind).toBe(kind);
		expect(c?.speaker).toBeNull();
	});

	it.each([
		["sagte die Potsdamer Bürgermeisterin Hanna Lindenberg am Montag", "Hanna Lindenberg"],
		["sagte die Berliner Bausenatorin Petra Vogt", "Petra Vogt"],
		["sagte der SPD-Abgeordnete Timo Rausch", "Timo Rausch"],
	])("a place or party before the role: „…“, %s", (attribution, name) => {
		const text = `„Die Mieten steigen in allen Großstädten um fünf Prozent im Jahr“, ${attribution}.`;
		expect(candidateOf(text, "de", "fünf Prozent")?.speaker).toEqual({ name, speakerId: null });
	});

	it("names the role's holder after the institution it serves, not a person it serves", () => {
		const quote = "„Die Renten steigen 2026 um vier Prozent“";
		expect(
			candidateOf(`${quote}, sagte der Sprecher der Koalition Jonas Keller am Montag.`, "de", "vier Prozent")
				?.speaker,
		).toEqual({ name: "Jonas Keller", speakerId: null });
		expect(
			candidateOf(`${quote}, sagte die Sprecherin der Stadtverwaltung Anna Müller.`, "de", "vier Prozent")
				?.speaker,
		).toEqual({ name: "Anna Müller", speakerId: null });
		// The name is the minister's: the spokesman who spoke is unnamed.
		for (const attribution of [
			"sagte der Sprecher der Ministerin Anna Müller",
			"sagte der Sprecher des Ministers Jonas Keller",
			"sagte der Sprecher von Außenminister Sergei Lawrow",
		])
			expect(candidateOf(`${quote}, ${attribution}.`, "de", "vier Prozent")?.speaker).toBeNull();
	});

	it.each([
		"“Prices fell by 40 percent in 2024,” said Smith's lawyer.",
		"“Prices fell by 40 percent in 2024,” said Monday's statement by the ministry.",
		"“Prices fell by 40 percent in 2024,” said the spokesman of foreign minister Sergei Lavrov.",
	])("an owner or a person served is not the one who spoke: %s", (text) => {
		expect(candidateOf(text, "en", "40 percent")?.speaker).toBeNull();
	});

	it("does not give a role to someone the text gave another role", () => {
		const text =
			"In Leipzig seien die Mieten 2024 um sieben Prozent gestiegen, so der Verbandspräsident Lukas Brandt. " +
			"Dem Staatssekretär zufolge fehlen bundesweit rund 700.000 Wohnungen.";
		const missing = candidateOf(text, "de", "700.000 Wohnungen");
		expect(missing?.kind).toBe("reported-speech");
		expect(missing?.speaker).toBeNull();
	});

	it("still finds the person a role refers back to", () => {
		const text = `Außenminister Sergei Lawrow traf am Samstag in Wŏnsan ein. ${QUOTE}, so der Außenminister.`;
		expect(candidateOf(text, "de", "1990")?.speaker).toEqual({ name: "Sergei Lawrow", speakerId: "lavrov" });
	});

	it("carries Konjunktiv on to the unnamed speaker, not to the person named before", () => {
		const text =
			"Lawrow sagte, die Nato habe ihre Zusagen gebrochen. " +
			"Ein Sprecher des Ministeriums sagte, 300 Raketen seien abgefeuert worden. " +
			"Die Lage sei seit Sonntag ruhig.";
		const calm = candidateOf(text, "de", "seit Sonntag ruhig");
		expect(calm?.kind).toBe("reported-speech");
		expect(calm?.speaker).toBeNull();
	});

	it("does not take “, so die Hoffnung …” for a speaker", () => {
		const text = "Die Stadt will bis 2030 rund 5000 Wohnungen bauen, so die Hoffnung der Verwaltung.";
		const c = candidateOf(text, "de", "5000 Wohnungen");
		expect(c?.kind).toBe("statement");
		expect(c?.speaker).toBeNull();
	});
});

/*
 * German (and English) style opens every paragraph of a long quote and closes only the
 * last: the earlier paragraphs are the same speaker's words, not the article's.
 */
describe("a quote over several paragraphs", () => {
	const GEYWITZ: KnownSpeaker = { id: "geywitz", name: "Klara Geywitz", aliases: ["Geywitz"] };

	it("is one quote of the speaker its last paragraph names", () => {
		const text =
			"„Wir haben im vergangenen Jahr 120.000 neue Wohnungen gebaut.\n" +
			"„Und in diesem Jahr werden es 200.000 sein“, sagte Bauministerin Klara Geywitz.";
		const candidates = extractClaims(text, { language: "de", knownSpeakers: [GEYWITZ] });
		expect(candidates.map((c) => [c.text, c.kind, c.speaker])).toEqual([
			[
				"Wir haben im vergangenen Jahr 120.000 neue Wohnungen gebaut. … Und in diesem Jahr werden es 200.000 sein",
				"direct-quote",
				{ name: "Klara Geywitz", speakerId: "geywitz" },
			],
		]);
		expect(text.slice(candidates[0]?.start, candidates[0]?.end)).toBe(text.slice(1, text.indexOf("“")));
	});

	it("goes on with the speaker of its first paragraph", () => {
		const text =
			"„Wir haben 120.000 Wohnungen gebaut“, sagte Bauministerin Klara Geywitz. „2024 waren es 150.000.\n\n" +
			"„Und in diesem Jahr werden es 200.000 sein.“\n\nDie Opposition bezweifelt die Zahlen.";
		const candidates = extractClaims(text, { language: "de", knownSpeakers: [GEYWITZ] });
		const rest = candidates.find((c) => c.text.includes("150.000"));
		expect(rest?.text).toBe("2024 waren es 150.000. … Und in diesem Jahr werden es 200.000 sein.");
		expect(rest?.speaker).toEqual({ name: "Klara Geywitz", speakerId: "geywitz" });
		expect(candidates.filter((c) => /^[„“"«»]/u.test(c.text))).toEqual([]);
	});
});
