import { describe, expect, it } from "vitest";
import { dayOrUtcInstant, normalizeDate } from "../../src/domain/dates";

describe("normalizeDate", () => {
	it.each([
		["2025-07-12", "2025-07-12"],
		["2025-07-12T10:00:00+02:00", "2025-07-12"],
		["2025-07-12T23:30:00-05:00", "2025-07-12"],
		["2025-07-12 08:00", "2025-07-12"],
		["2025/7/2", "2025-07-02"],
		["20250712", "2025-07-12"],
		["20250712T1030", "2025-07-12"],
		["July 12, 2025", "2025-07-12"],
		["Jul. 12, 2025", "2025-07-12"],
		["Saturday, July 12th, 2025", "2025-07-12"],
		["12 July 2025", "2025-07-12"],
		["12th July 2025", "2025-07-12"],
		["12.07.2025", "2025-07-12"],
		["12.07.2025, 18:42 Uhr", "2025-07-12"],
		["1.7.2025", "2025-07-01"],
		["1. 3. 2025", "2025-03-01"],
		["12. Juli 2025", "2025-07-12"],
		["3. März 2025", "2025-03-03"],
		["3. Maerz 2025", "2025-03-03"],
		["Sat, 12 Jul 2025 10:00:00 GMT", "2025-07-12"],
		["Sat, 12 Jul 2025 10:00:00 +0200", "2025-07-12"],
		["13/07/2025", "2025-07-13"],
		["07/13/2025", "2025-07-13"],
		["2024-02-29", "2024-02-29"],
	])("reads %s as %s", (input, expected) => {
		expect(normalizeDate(input)).toBe(expected);
	});

	it.each([
		["2025-02-30"],
		["2025-13-01"],
		["31.02.2025"],
		["yesterday"],
		["2025"],
		["1"],
		["Brexit 12 2025"],
		[""],
		["   "],
		[null],
		[undefined],
	])("refuses %s", (input) => {
		expect(normalizeDate(input)).toBeNull();
	});

	it("reads an all-numeric day and month only in a known order", () => {
		expect(normalizeDate("07/12/2025")).toBeNull();
		expect(normalizeDate("07/12/2025", { order: "mdy" })).toBe("2025-07-12");
		expect(normalizeDate("07/12/2025", { order: "dmy" })).toBe("2025-12-07");
	});

	it("refuses years outside the range a caller expects", () => {
		expect(normalizeDate("1850-01-01")).toBe("1850-01-01");
		expect(normalizeDate("1850-01-01", { years: [1900, 2200] })).toBeNull();
		expect(normalizeDate("0999-01-01")).toBeNull();
	});
});

/*
 * One instant, one day: the newsroom's (s33 h334). 00:30 in Berlin on Saturday 12 July 2025
 * is "2025-07-11T22:30:00Z" in a WordPress page: a time written in UTC says nothing of where
 * its publisher is, so it is dated by the day it falls on in the newsroom's zone. A local
 * offset says where they are: their date as written, as their page shows it.
 */
describe("normalizeDate in the newsroom's zone", () => {
	it.each([
		["2025-07-11T22:30:00Z", "2025-07-12"],
		["2025-07-11T22:30:00+00:00", "2025-07-12"],
		["2025-07-11T22:30:00-00:00", "2025-07-12"],
		["2025-07-11T22:30:00.000Z", "2025-07-12"],
		["2025-07-11T22:30Z", "2025-07-12"],
		["2025-07-11 22:30:00 UTC", "2025-07-12"],
		["Fri, 11 Jul 2025 22:30:00 GMT", "2025-07-12"],
		["Fri, 11 Jul 2025 22:30:00 +0000", "2025-07-12"],
		["2025-07-12T00:30:00+02:00", "2025-07-12"],
		["2025-07-12T23:30:00-05:00", "2025-07-12"],
		["2025-07-12", "2025-07-12"],
		// Around midnight in Berlin, in summer (CEST) and in winter (CET).
		["2025-07-11T21:59:59Z", "2025-07-11"],
		["2025-07-11T22:00:00Z", "2025-07-12"],
		["2025-01-11T22:59:59Z", "2025-01-11"],
		["2025-01-11T23:00:00Z", "2025-01-12"],
		// The year's last evening in UTC is New Year's Day in Berlin.
		["2025-12-31T23:30:00Z", "2026-01-01"],
	])("in Berlin reads %s as %s", (input, expected) => {
		expect(normalizeDate(input, { zone: "Europe/Berlin" })).toBe(expected);
	});

	it.each([
		// 23:30 and 00:00 EDT.
		["2025-07-12T03:30:00Z", "2025-07-11"],
		["2025-07-12T04:00:00Z", "2025-07-12"],
		["2025-07-12T03:30:00+00:00", "2025-07-11"],
		["2025-07-12T03:30:00-00:00", "2025-07-11"],
		// 23:30 and 00:00 EST.
		["2025-01-12T04:30:00Z", "2025-01-11"],
		["2025-01-12T05:00:00Z", "2025-01-12"],
		// A local offset is the publisher's day, wherever the newsroom is.
		["2025-07-12T00:30:00+02:00", "2025-07-12"],
		["2025-07-12T23:30:00-05:00", "2025-07-12"],
		["2025-07-12", "2025-07-12"],
	])("in New York reads %s as %s", (input, expected) => {
		expect(normalizeDate(input, { zone: "America/New_York" })).toBe(expected);
	});

	it("without a zone reads a time in UTC as its UTC day, as before", () => {
		expect(normalizeDate("2025-07-11T22:30:00Z")).toBe("2025-07-11");
		expect(normalizeDate("2025-07-11T22:30:00+00:00")).toBe("2025-07-11");
		expect(normalizeDate("2025-07-11T22:30:00Z", { zone: "UTC" })).toBe("2025-07-11");
	});

	it("still refuses what is no date, whatever the time after it", () => {
		expect(normalizeDate("2025-02-30T22:30:00Z", { zone: "Europe/Berlin" })).toBeNull();
		expect(normalizeDate("0999-07-11T22:30:00Z", { zone: "Europe/Berlin" })).toBeNull();
		// A time that is none leaves the date as written.
		expect(normalizeDate("2025-07-11T25:30:00Z", { zone: "Europe/Berlin" })).toBe("2025-07-11");
	});
});

describe("dayOrUtcInstant (the import mapping: the CLI knows no zone)", () => {
	it.each([
		["2025-07-11T22:30:00Z", "2025-07-11T22:30:00.000Z"],
		["2025-07-11T22:30:00+00:00", "2025-07-11T22:30:00.000Z"],
		["2025-07-11T22:30:00-00:00", "2025-07-11T22:30:00.000Z"],
		["Fri, 11 Jul 2025 22:30:00 GMT", "2025-07-11T22:30:00.000Z"],
		["2025-07-12T00:30:00+02:00", "2025-07-12"],
		["2025-07-12T23:30:00-05:00", "2025-07-12"],
		["2025-07-12", "2025-07-12"],
		["12. Juli 2025", "2025-07-12"],
		["2025-02-30T22:30:00Z", null],
		["yesterday", null],
	])("gives %s as %s", (input, expected) => {
		expect(dayOrUtcInstant(input)).toBe(expected);
	});
});
