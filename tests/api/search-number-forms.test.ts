import { env } from "cloudflare:test";
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

describe("a bare number and a piece of a larger one", () => {
	it("300 does not find 300,000 nor 2 find 2,5 Prozent; a year, a speaker's and a source's numbers as written", async () => {
		const marker = `m${newId()}`;
		const three = await makeClaim({ text: `Es kamen 300 Soldaten nach ${marker}`, language: "de" });
		const many = await makeClaim({ text: `Es kamen 300.000 Soldaten nach ${marker}`, language: "de" });
		const rate = await makeClaim({ text: `Die Inflation lag bei 2,5 Prozent in ${marker}`, language: "de" });
		const two = await makeClaim({ text: `Es kamen 2 Soldaten nach ${marker}`, language: "de" });
		const year = await makeClaim({ text: `Im Jahr 2000 kamen Soldaten nach ${marker}`, language: "de" });
		const titled = await makeClaim({
			text: `Die Truppe zog ab aus ${marker}`,
			language: "de",
			sourceTitle: `Die 42 Soldaten von ${marker}`,
		});
		expect(await found(`300 Soldaten ${marker}`)).toEqual([three.id]);
		expect(await found(`300000 Soldaten ${marker}`)).toEqual([many.id]);
		expect(await found(`2 ${marker}`)).toEqual([two.id]);
		expect(await found(`2,5 ${marker}`)).toEqual([rate.id]);
		expect(await found(`2000 ${marker}`)).toEqual([year.id]);
		expect(await found(`42 ${marker}`)).toEqual([titled.id]);
	}, 60_000);

	it("finds a claim whose terms an older version wrote by its numbers as written until the cron's turn", async () => {
		const marker = `m${newId()}`;
		const older = await makeClaim({ text: `Es kamen 300.000 Soldaten nach ${marker}`, language: "de" });
		// As version 3 wrote them, without the number's token: only the pieces FTS5 makes of it.
		await env.DB.prepare("UPDATE claims SET search_terms = ? WHERE id = ?")
			.bind(`\ue000v3\ue000 es kam 300 000 soldat nach ${marker}`, older.id)
			.run();
		expect(await found(`300.000 ${marker}`)).toEqual([older.id]);
		expect(await found(`300 ${marker}`)).toEqual([older.id]);
	}, 60_000);
});

describe("a number grouped by spaces in a search", () => {
	it("is one number: 10 000 (any width of space) finds 10000 and 10 000, not 10 and 000 apart", async () => {
		const marker = `m${newId()}`;
		const closed = await makeClaim({ text: `Es kamen 10000 Soldaten nach ${marker}`, language: "de" });
		const spaced = await makeClaim({ text: `Es kamen 10\u202f000 Soldaten nach ${marker}`, language: "de" });
		await makeClaim({ text: `Die 10 Gebote und der Notruf 000 in ${marker}`, language: "de" });
		for (const q of ["10 000", "10\u00a0000", "10\u2009000", "10\u202f000", "10000"])
			expect(await found(`${q} Soldaten ${marker}`), q).toEqual([closed.id, spaced.id].sort());
		expect(await found(`10 000 ${marker}`)).toEqual([closed.id, spaced.id].sort());
	}, 60_000);
});

describe("a phrase quoted with one typographic and one straight mark", () => {
	it("is a phrase, not a 422 'A quotation mark is not closed'", async () => {
		const marker = `m${newId()}`;
		const claim = await makeClaim({ text: `Sie sagte: Wir schaffen das, in ${marker}`, language: "de" });
		await makeClaim({ text: `Das schaffen wir, sagte sie in ${marker}`, language: "de" });
		for (const q of [
			'„Wir schaffen das"',
			'"Wir schaffen das“',
			'«Wir schaffen das"',
			'"Wir schaffen das»',
		]) {
			const response = await call(`/api/v1/claims?q=${encodeURIComponent(`${q} ${marker}`)}`);
			expect(response.status, q).toBe(200);
			expect(
				(await json<List>(response)).data.map((c) => c.id),
				q,
			).toEqual([claim.id]);
		}
	}, 60_000);
});

describe("hyphenated and closed compounds", () => {
	it("meet either way round: Nord-Korea and Nordkorea, Nato-Staaten and Natostaaten, E-Mail and Email", async () => {
		const marker = `m${newId()}`;
		const pairs = [
			["Nord-Korea", "Nordkorea"],
			["Nato-Staaten", "Natostaaten"],
			["E-Mail", "Email"],
		] as const;
		for (const [hyphenated, closed] of pairs) {
			const a = await makeClaim({ text: `Die ${hyphenated} von ${marker}`, language: "de" });
			const b = await makeClaim({ text: `Die ${closed} von ${marker}`, language: "de" });
			for (const q of [hyphenated, closed])
				expect(await found(`${q} ${marker}`), q).toEqual([a.id, b.id].sort());
		}
	}, 60_000);
});
