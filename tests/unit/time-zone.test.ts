import { describe, expect, it } from "vitest";
import {
	dateAndTime,
	dayIn,
	localTimestamp,
	longDate,
	startOfDay,
	timeZoneNamed,
} from "../../src/domain/time-zone";

/* 00:50 in Berlin on 8 December 2026 (CET, UTC+1): 23:50 UTC the day before. */
const AFTER_MIDNIGHT = "2026-12-07T23:50:00.000Z";

describe("the newsroom's day of a timestamp", () => {
	it("is the day in its zone, not the UTC day", () => {
		expect(dayIn(AFTER_MIDNIGHT, "Europe/Berlin")).toBe("2026-12-08");
		expect(dayIn(AFTER_MIDNIGHT, "UTC")).toBe("2026-12-07");
		expect(dayIn(AFTER_MIDNIGHT, "America/New_York")).toBe("2026-12-07");
		// Summer time (CEST, UTC+2): 22:30 UTC is 00:30 the next day.
		expect(dayIn("2026-07-14T22:30:00Z", "Europe/Berlin")).toBe("2026-07-15");
		expect(dayIn("2026-07-14T21:59:59.999Z", "Europe/Berlin")).toBe("2026-07-14");
		// Half-hour zones, and one a day ahead of New York.
		expect(dayIn("2026-12-07T18:45:00Z", "Asia/Kolkata")).toBe("2026-12-08");
		expect(dayIn("2026-12-07T10:30:00Z", "Pacific/Kiritimati")).toBe("2026-12-08");
	});

	it("leaves a date alone as written, and what is no date out", () => {
		expect(dayIn("2026-12-08", "America/Los_Angeles")).toBe("2026-12-08");
		expect(dayIn("2026-12-08", "Pacific/Kiritimati")).toBe("2026-12-08");
		expect(dayIn(null, "UTC")).toBeNull();
		expect(dayIn("", "UTC")).toBeNull();
		expect(dayIn("yesterday", "UTC")).toBeNull();
	});
});

describe("formatting for people", () => {
	it("writes a timestamp's day in the newsroom's zone, in English and German", () => {
		expect(longDate(AFTER_MIDNIGHT, "en", "Europe/Berlin")).toBe("8 December 2026");
		expect(longDate(AFTER_MIDNIGHT, "de", "Europe/Berlin")).toBe("8. Dezember 2026");
		expect(longDate(AFTER_MIDNIGHT, "en", "UTC")).toBe("7 December 2026");
		// A claim's date is a day wherever it is read.
		expect(longDate("2026-12-08", "de", "America/New_York")).toBe("8. Dezember 2026");
		expect(longDate("not a date", "en", "UTC")).toBe("not a date");
	});

	it("writes a desk time in the newsroom's zone, naming it, in winter and summer", () => {
		expect(dateAndTime(AFTER_MIDNIGHT, "en", "Europe/Berlin")).toBe("8 Dec 2026, 00:50 CET");
		expect(dateAndTime(AFTER_MIDNIGHT, "de", "Europe/Berlin")).toBe("08.12.2026, 00:50 MEZ");
		expect(dateAndTime("2026-07-14T22:30:00Z", "en", "Europe/Berlin")).toBe("15 Jul 2026, 00:30 CEST");
		expect(dateAndTime("2026-07-14T22:30:00Z", "de", "Europe/Berlin")).toBe("15.07.2026, 00:30 MESZ");
		expect(dateAndTime(AFTER_MIDNIGHT, "en", "UTC")).toBe("7 Dec 2026, 23:50 UTC");
		expect(dateAndTime(AFTER_MIDNIGHT, "en", "Europe/London")).toBe("7 Dec 2026, 23:50 GMT");
		expect(dateAndTime("x", "en", "UTC")).toBe("x");
	});
});

describe("a timestamp in the newsroom's offset", () => {
	it("is the same instant, on the newsroom's day, in winter, in summer and behind UTC", () => {
		const written = [
			[AFTER_MIDNIGHT, "Europe/Berlin", "2026-12-08T00:50:00.000+01:00"],
			["2026-07-14T22:30:00Z", "Europe/Berlin", "2026-07-15T00:30:00.000+02:00"],
			[AFTER_MIDNIGHT, "America/New_York", "2026-12-07T18:50:00.000-05:00"],
			["2026-12-07T18:45:00Z", "Asia/Kolkata", "2026-12-08T00:15:00.000+05:30"],
			[AFTER_MIDNIGHT, "UTC", AFTER_MIDNIGHT],
			["2026-12-07T23:50:00Z", "Europe/London", AFTER_MIDNIGHT],
		] as const;
		for (const [iso, zone, local] of written) {
			expect(localTimestamp(iso, zone), zone).toBe(local);
			expect(Date.parse(local)).toBe(Date.parse(iso));
			expect(local.slice(0, 10)).toBe(dayIn(iso, zone));
		}
		// After the day written as a date, as a string.
		expect((localTimestamp(AFTER_MIDNIGHT, "Europe/Berlin") ?? "") > "2026-12-08").toBe(true);
	});

	it("leaves a date alone as written, and what is no date out", () => {
		expect(localTimestamp("2026-12-08", "Europe/Berlin")).toBe("2026-12-08");
		expect(localTimestamp(undefined, "UTC")).toBeNull();
		expect(localTimestamp("yesterday", "Europe/Berlin")).toBeNull();
	});
});

describe("where a newsroom's day begins", () => {
	it("is its midnight, as a UTC instant, in winter, in summer and on the days the clocks change", () => {
		expect(startOfDay("2026-12-08", "Europe/Berlin")).toBe("2026-12-07T23:00:00.000Z");
		expect(startOfDay("2026-07-15", "Europe/Berlin")).toBe("2026-07-14T22:00:00.000Z");
		expect(startOfDay("2026-03-29", "Europe/Berlin")).toBe("2026-03-28T23:00:00.000Z");
		expect(startOfDay("2026-03-30", "Europe/Berlin")).toBe("2026-03-29T22:00:00.000Z");
		expect(startOfDay("2026-10-25", "Europe/Berlin")).toBe("2026-10-24T22:00:00.000Z");
		expect(startOfDay("2026-12-08", "America/New_York")).toBe("2026-12-08T05:00:00.000Z");
		expect(startOfDay("2026-12-08", "Asia/Kolkata")).toBe("2026-12-07T18:30:00.000Z");
		expect(startOfDay("2026-12-08", "UTC")).toBe("2026-12-08T00:00:00.000Z");
	});

	it("is the first instant that exists where the clocks skip midnight (Chile's summer time)", () => {
		// 6 September 2026: 00:00 in Santiago becomes 01:00 (UTC-4 to UTC-3).
		const start = startOfDay("2026-09-06", "America/Santiago");
		expect(start).toBe("2026-09-06T04:00:00.000Z");
		expect(dayIn(start, "America/Santiago")).toBe("2026-09-06");
		expect(dayIn(new Date(Date.parse(start) - 1).toISOString(), "America/Santiago")).toBe("2026-09-05");
	});
});

describe("a time zone's name", () => {
	it("is an IANA name, however cased; not an offset, an abbreviation or a city alone", () => {
		expect(timeZoneNamed("Europe/Berlin")).toBe("Europe/Berlin");
		expect(timeZoneNamed("europe/berlin")).toBe("Europe/Berlin");
		expect(timeZoneNamed("UTC")).toBe("UTC");
		expect(timeZoneNamed("America/Port-au-Prince")).toBe("America/Port-au-Prince");
		for (const wrong of ["Berlin", "+01:00", "-0500", "CET+1", "Europe/Berlin ", "", "Mars/Olympus_Mons"])
			expect(timeZoneNamed(wrong), wrong).toBeNull();
	});

	it("may have digits in its first part (the POSIX-style IANA names), as Intl knows them", () => {
		for (const name of ["EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT", "GMT0", "Etc/GMT+1", "Etc/GMT-14"]) {
			const zone = timeZoneNamed(name);
			expect(zone, name).not.toBeNull();
			// Whatever canonical name Intl gives it, it is a zone to format in.
			expect(dayIn(AFTER_MIDNIGHT, zone ?? "x"), name).toMatch(/^2026-12-0[78]$/);
		}
		expect(timeZoneNamed("est5edt")).not.toBeNull();
	});
});
