import { describe, expect, it } from "vitest";
import { normalizeDate } from "../../src/domain/dates";

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
