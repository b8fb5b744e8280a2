import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claimFingerprint, foldClaimText } from "../../src/domain/fingerprint";
import { sha256Hex } from "../../src/domain/ids";

const QUOTE = "Wir gehen davon aus, dass die DVRK selbst die Formen bestimmt.";

describe("foldClaimText", () => {
	it("removes quote marks of every style", () => {
		const styles = [
			`„${QUOTE}“`,
			`“${QUOTE}”`,
			`"${QUOTE}"`,
			`«${QUOTE}»`,
			`» ${QUOTE} «`,
			`‚${QUOTE}‘`,
			`‘${QUOTE}’`,
			`'${QUOTE}'`,
			`‹${QUOTE}›`,
			`〝${QUOTE}〞`,
			`＂${QUOTE}＂`,
			QUOTE,
		];
		const folded = styles.map(foldClaimText);
		for (const f of folded) expect(f).toBe("wir gehen davon aus dass die dvrk selbst die formen bestimmt");
	});

	it("treats every apostrophe alike and joins the word", () => {
		for (const text of ["don't", "don’t", "don‘t", "don`t", "don´t", "donʼt", "don′t", "dont"]) {
			expect(foldClaimText(text)).toBe("dont");
		}
	});

	it("collapses whitespace of every kind, including line breaks", () => {
		expect(foldClaimText("  Wir\tgehen\n\ndavon\u00a0aus\u2009 ")).toBe("wir gehen davon aus");
		expect(foldClaimText("Wir\u3000gehen")).toBe("wir gehen");
	});

	it("drops invisible characters that split words", () => {
		expect(foldClaimText("Klima\u00adwandel")).toBe("klimawandel");
		expect(foldClaimText("Klima\u200bwandel")).toBe("klimawandel");
		expect(foldClaimText("\u200fKlimawandel\u200e")).toBe("klimawandel");
		expect(foldClaimText("\ufeffKlimawandel")).toBe("klimawandel");
	});

	it("case-folds, including ß and final sigma", () => {
		expect(foldClaimText("DIE STRASSE")).toBe(foldClaimText("die Straße"));
		expect(foldClaimText("ΟΔΟΣ")).toBe(foldClaimText("οδοσ"));
		expect(foldClaimText("İSTANBUL")).toBe(foldClaimText("i̇stanbul"));
	});

	it("applies NFKC: composed and decomposed, full-width and ligatures are one text", () => {
		expect(foldClaimText("Größe")).toBe(foldClaimText("Gro\u0308ße"));
		expect(foldClaimText("ＤＶＲＫ")).toBe("dvrk");
		expect(foldClaimText("ﬁnanziell")).toBe("finanziell");
	});

	it("keeps diacritics: they can change the word", () => {
		expect(foldClaimText("schon")).not.toBe(foldClaimText("schön"));
		expect(foldClaimText("Wŏnsan")).toBe("wŏnsan");
	});

	it("turns punctuation into word breaks, never joining numbers", () => {
		expect(foldClaimText("3,5 Prozent")).toBe("3 5 prozent");
		expect(foldClaimText("3.5 Prozent")).toBe("3 5 prozent");
		expect(foldClaimText("35 Prozent")).not.toBe(foldClaimText("3,5 Prozent"));
		expect(foldClaimText("Das ist falsch – und zwar komplett…")).toBe("das ist falsch und zwar komplett");
		expect(foldClaimText("[…] befreiten.")).toBe("befreiten");
		expect(foldClaimText("(Kursk)")).toBe("kursk");
		expect(foldClaimText("E-Autos")).toBe(foldClaimText("E Autos"));
	});

	it("keeps symbols and meaningful punctuation", () => {
		expect(foldClaimText("Die Inflation liegt bei 5 %.")).toBe("die inflation liegt bei 5%");
		expect(foldClaimText("Die Inflation liegt bei 5%")).toBe("die inflation liegt bei 5%");
		expect(foldClaimText("bei 5")).not.toBe(foldClaimText("bei 5 %"));
		expect(foldClaimText("100 € mehr")).toBe("100 € mehr");
		expect(foldClaimText("1,5 °C")).toBe("1 5 °c");
		expect(foldClaimText("§ 218")).toBe("§ 218");
		expect(foldClaimText("A & B")).toBe("a & b");
		expect(foldClaimText("#Kursk @kremlin")).toBe("#kursk @kremlin");
		expect(foldClaimText("2 + 2")).toBe("2 + 2");
	});

	it("keeps non-Latin text", () => {
		expect(foldClaimText("«Мы исходим из того»")).toBe("мы исходим из того");
		expect(foldClaimText("「조선」")).toBe("조선");
	});

	it("folds empty and punctuation-only text to the empty string", () => {
		for (const text of ["", "   ", "„“", "…", "!?", "\u200b"]) expect(foldClaimText(text)).toBe("");
	});

	it("handles very long text", () => {
		const long = `„${"Wort, ".repeat(20_000)}“`;
		const folded = foldClaimText(long);
		expect(folded.length).toBe("wort ".repeat(20_000).trim().length);
	});

	it("is idempotent and yields single-spaced, trimmed text (property)", () => {
		fc.assert(
			fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (text) => {
				const folded = foldClaimText(text);
				expect(foldClaimText(folded)).toBe(folded);
				expect(folded).toBe(folded.trim());
				expect(folded).not.toMatch(/\s{2}|[\n\t]/);
			}),
			{ numRuns: 300 },
		);
	});
});

describe("claimFingerprint", () => {
	it("is the SHA-256 hex of the folded text", async () => {
		expect(await claimFingerprint(`„${QUOTE}“`)).toBe(await sha256Hex(foldClaimText(QUOTE)));
		expect(await claimFingerprint(QUOTE)).toMatch(/^[0-9a-f]{64}$/);
	});

	it("finds the same quote with other quote marks, spacing and case as the same", async () => {
		const a = await claimFingerprint(
			"“Ich bin mir sicher, dass immer mehr russische Touristen danach streben werden, hierherzukommen.”",
		);
		const b = await claimFingerprint(
			"„Ich bin mir sicher,  dass immer mehr russische Touristen\ndanach streben werden, hierherzukommen“",
		);
		const c = await claimFingerprint(
			"ICH BIN MIR SICHER, DASS IMMER MEHR RUSSISCHE TOURISTEN DANACH STREBEN WERDEN, HIERHERZUKOMMEN!",
		);
		expect(b).toBe(a);
		expect(c).toBe(a);
	});

	it("tells different quotes apart", async () => {
		const a = await claimFingerprint("Die Luftverbindungen seien bereits wiederhergestellt.");
		const b = await claimFingerprint("Die Luftverbindungen seien noch nicht wiederhergestellt.");
		expect(a).not.toBe(b);
	});

	it("gives the empty-text hash for text without words", async () => {
		const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
		expect(await claimFingerprint("")).toBe(empty);
		expect(await claimFingerprint(" „ “ ")).toBe(empty);
	});

	it("is stable: stored fingerprints must not change silently", async () => {
		// If this fails, foldClaimText changed: stored claims.fingerprint values need recomputing.
		expect(await claimFingerprint("„Wir schaffen das!“")).toBe(
			"372f71d4440875edf8cdc713519e44c56cec9faebc2fff199aac76f60321fb15",
		);
	});
});
