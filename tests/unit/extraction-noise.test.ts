import { describe, expect, it } from "vitest";
import { extractClaims } from "../../src/domain/extraction";

describe("article furniture is not a claim", () => {
	it("drops bylines and strips datelines from the first statement", () => {
		const text = [
			"By Jane Doe, Reuters",
			"SEOUL, March 3 — South Korea's finance minister Kim Min-jun said on Monday that exports rose 8.2 percent in February from a year earlier.",
			"Exports of chips rose 30 percent, the ministry said.",
		].join("\n\n");
		const candidates = extractClaims(text, { language: "en" });
		expect(candidates.map((c) => c.text).join("\n")).not.toContain("Jane Doe");
		const first = candidates.find((c) => c.text.includes("exports rose 8.2 percent"));
		expect(first?.text.startsWith("South Korea's finance minister")).toBe(true);
		expect(text.slice(first?.start, first?.end)).toBe(first?.text);
	});

	it("drops German bylines and agency datelines", () => {
		const text = [
			"Von Max Mustermann und Eva Beispiel",
			"BERLIN (dpa) – Die Arbeitslosigkeit ist im Juli auf 6,3 Prozent gestiegen, teilte die Bundesagentur mit.",
		].join("\n\n");
		const candidates = extractClaims(text, { language: "de" });
		expect(candidates.map((c) => c.text).join("\n")).not.toContain("Mustermann");
		expect(candidates[0]?.text.startsWith("Die Arbeitslosigkeit")).toBe(true);
	});
});
