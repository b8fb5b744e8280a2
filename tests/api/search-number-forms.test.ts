import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { makeClaim } from "../factories";
import { call, json } from "../helpers";

/**
 * Numbers in search written the other language's way, grouped with spaces, or as part of a
 * larger number (README, "Search"; hunter h217).
 */

interface List {
	data: { id: string }[];
}

const found = async (q: string) =>
	(await json<List>(await call(`/api/v1/claims?q=${encodeURIComponent(q)}`))).data.map((c) => c.id).sort();

describe("numbers written the other language's way", () => {
	it("reads 300.000 in English and 300,000 in German as three hundred thousand, as the README says", async () => {
		const marker = `m${newId()}`;
		const english = await makeClaim({ text: `The army moved 300.000 soldiers to ${marker}`, language: "en" });
		const german = await makeClaim({ text: `Es kamen 300,000 Soldaten nach ${marker}`, language: "de" });
		const decimal = await makeClaim({ text: `Der Kurs stieg um 1,234 Punkte in ${marker}`, language: "de" });
		expect(await found(`300000 ${marker}`)).toEqual([english.id, german.id].sort());
		expect(await found(`300.000 ${marker}`)).toEqual([english.id, german.id].sort());
		// Three digits not ending in 0 stay the language's decimal.
		expect(await found(`1234 ${marker}`)).toEqual([]);
		expect(await found(`1.234 ${marker}`)).toEqual([decimal.id]);
	}, 60_000);
});
