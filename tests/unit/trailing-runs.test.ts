import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalizeUrl, withoutTracking } from "../../src/domain/canonical-url";
import { toFtsQuery } from "../../src/domain/search-query";
import {
	TRAILING_DOTS,
	TRAILING_PUNCTUATION,
	TRAILING_SEMICOLONS,
	TRAILING_SLASHES,
	TRAILING_STARS,
} from "../../src/domain/trailing-runs";

/*
 * Written `;+$`, a run that did not end the text was read again from each of its characters,
 * each try reading to the run's end: quadratic, 10.7 s of CPU for a JSON-LD block of 100,000
 * semicolons and a word (Node 22; 0.5 ms now), 0.35 s for 20,000 dots, stars, slashes or
 * marks of punctuation. Measured, not asserted here (no timing in tests); what is asserted is
 * that each cuts exactly what the former pattern cut, from any text.
 */
describe("trailing runs", () => {
	const formerAndNow: [RegExp, RegExp, string[]][] = [
		[/;+$/, TRAILING_SEMICOLONS, [";", "a", " ", "\n", "}"]],
		[/\.+$/, TRAILING_DOTS, [".", "a", "-", "é"]],
		[/\*+$/, TRAILING_STARS, ["*", "a", " ", "ß"]],
		[/\/+$/, TRAILING_SLASHES, ["/", "a", "?", "%2F"]],
		[/[.,;:!?]+$/, TRAILING_PUNCTUATION, [".", ",", ";", ":", "!", "?", "1", "a"]],
	];

	it("cut what the former, quadratic patterns cut, from any text", () => {
		for (const [former, now, pieces] of formerAndNow) {
			fc.assert(
				fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 16 }), (parts) => {
					const text = parts.join("");
					expect(text.replace(now, ""), `${now} ${text}`).toBe(text.replace(former, ""));
				}),
				{ numRuns: 3_000 },
			);
		}
	});

	it("read a search at its maximum of 200 characters with a run of stars or punctuation", () => {
		expect(toFtsQuery(`kurs${"*".repeat(196)}`)).toBe(toFtsQuery("kurs*"));
		expect(toFtsQuery(`1000${"!".repeat(196)}`)).toBe(toFtsQuery("1000!"));
		expect(toFtsQuery(`a${"*".repeat(198)}b`)).toBe(toFtsQuery("a*b"));
	});

	it("read an address of 2,048 characters whose host is a run of dots", () => {
		const dots = `https://a${".".repeat(2_048 - "https://a".length - 2)}b/`;
		expect(dots).toHaveLength(2_048);
		expect(() => canonicalizeUrl(dots)).toThrow("The address has no valid host name.");
		expect(withoutTracking(dots)).toBe(dots);
		expect(canonicalizeUrl(`https://news.example${".".repeat(2_000)}/a`).url).toBe("https://news.example/a");
	});
});
