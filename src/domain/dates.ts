/**
 * Dates as people and publishers write them ("12. Juli 2025", "July 12th, 2025",
 * "2025-07-12T23:30:00-05:00", "12.07.2025, 18:42 Uhr") read as YYYY-MM-DD. One reader
 * for the import mapping and for article metadata, so both read a date the same way.
 */

import { dayIn } from "./time-zone";

const MONTHS: Readonly<Record<string, number>> = {
	jan: 1,
	january: 1,
	januar: 1,
	jaenner: 1,
	janner: 1,
	feb: 2,
	february: 2,
	februar: 2,
	mar: 3,
	march: 3,
	maerz: 3,
	marz: 3,
	apr: 4,
	april: 4,
	may: 5,
	mai: 5,
	jun: 6,
	june: 6,
	juni: 6,
	jul: 7,
	july: 7,
	juli: 7,
	aug: 8,
	august: 8,
	sep: 9,
	sept: 9,
	september: 9,
	oct: 10,
	october: 10,
	okt: 10,
	oktober: 10,
	nov: 11,
	november: 11,
	dec: 12,
	december: 12,
	dez: 12,
	dezember: 12,
};

export interface DateOptions {
	/** How to read an all-numeric day/month date such as "07/12/2025"; without it such a date is ambiguous. */
	order?: "dmy" | "mdy";
	/** Years outside this range are misreadings, not dates. Default 1000–9999. */
	years?: readonly [earliest: number, latest: number];
	/**
	 * The newsroom's zone (an IANA name): a timestamp written in UTC is dated by the day it
	 * falls on there. Default UTC, the date as written.
	 */
	zone?: string;
}

function monthNumber(name: string): number | undefined {
	const folded = name
		.normalize("NFKD")
		.replace(/\p{M}+/gu, "")
		.toLowerCase()
		.replace(/\.$/, "");
	return MONTHS[folded] ?? MONTHS[folded.replace("ae", "a")];
}

/**
 * One way of writing a date: its pattern, how its groups make year, month and day, and
 * whether a match that makes no date (a word that is no month) lets the next form try.
 */
type DateForm = [
	pattern: RegExp,
	parts: (m: RegExpExecArray, options: DateOptions) => [y: number, m: number, d: number] | undefined,
	named?: "named",
];

const num = (m: RegExpExecArray, i: number) => Number(m[i]);

const FORMS: readonly DateForm[] = [
	// ISO, with or without a time after it: the date part is the date where it was written.
	[/^(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/, (m) => [num(m, 1), num(m, 2), num(m, 3)]],
	[/^(\d{4})\/(\d{1,2})\/(\d{1,2})(?!\d)/, (m) => [num(m, 1), num(m, 2), num(m, 3)]],
	// Compact ISO: 20250712, 20250712T1030
	[/^(\d{4})(\d{2})(\d{2})(?:T|$)/, (m) => [num(m, 1), num(m, 2), num(m, 3)]],
	// German and most of Europe: 12.07.2025, 1. 3. 2025, 12.07.2025, 18:42 Uhr
	[/^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)/, (m) => [num(m, 3), num(m, 2), num(m, 1)]],
	// 07/12/2025: day or month first, as the options or the numbers themselves say.
	[
		/^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/,
		(m, options) => {
			const [a, b, year] = [num(m, 1), num(m, 2), num(m, 3)];
			if (options.order === "dmy" || (options.order === undefined && a > 12 && b <= 12)) return [year, b, a];
			if (options.order === "mdy" || (options.order === undefined && b > 12 && a <= 12)) return [year, a, b];
			return undefined;
		},
	],
	// "12 July 2025", "12. Juli 2025", "Sat, 12 Jul 2025 10:00:00 GMT", "12th July 2025"
	[
		/(?:^|[\s,])(\d{1,2})(?:\.|st|nd|rd|th)?\s+([\p{L}]+\.?),?\s+(\d{4})(?!\d)/u,
		(m) => {
			const month = monthNumber(m[2] ?? "");
			return month === undefined ? undefined : [num(m, 3), month, num(m, 1)];
		},
		"named",
	],
	// "July 12, 2025", "Jul. 12 2025", "Saturday, July 12th, 2025"
	[
		/^(?:[\p{L}]+,?\s+)?([\p{L}]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)/u,
		(m) => {
			const month = monthNumber(m[1] ?? "");
			return month === undefined ? undefined : [num(m, 3), month, num(m, 2)];
		},
		"named",
	],
];

function isoDate([year, month, day]: [number, number, number], options: DateOptions): string | null {
	const [earliest, latest] = options.years ?? [1000, 9999];
	if (year < earliest || year > latest || month < 1 || month > 12 || day < 1) return null;
	if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
	return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/*
 * A time right after the date, with an offset of zero: "T22:30:00Z", "T22:30:00.000+00:00",
 * "T22:30-00:00", " 22:30:00 GMT", " 22:30:00 +0000". Such an offset says nothing of where
 * the publisher is: it is how a CMS (WordPress, Yoast) or a feed stores every time, and
 * RFC 3339 makes "-00:00" say so outright.
 */
const UTC_TIME =
	/^(?:T|\s+|,\s*)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|UT|[+-]00(?::?00)?)$/i;

/** The instant of a date followed (`rest`) by a time in UTC; null for any other rest. */
function utcInstant([year, month, day]: [number, number, number], rest: string): Date | null {
	const time = UTC_TIME.exec(rest);
	if (!time) return null;
	const [hour, minute, second] = [time[1], time[2], time[3]].map((part) => Number(part ?? 0));
	if (hour === undefined || minute === undefined || second === undefined) return null;
	if (hour > 23 || minute > 59 || second > 59) return null;
	return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

/** A date as written (YYYY-MM-DD) and, when a time in UTC follows it, that instant. */
function readDate(
	value: string | null | undefined,
	options: DateOptions,
): { written: string; utc: Date | null } | null {
	const text = value?.trim();
	if (!text) return null;
	for (const [pattern, parts, named] of FORMS) {
		const m = pattern.exec(text);
		if (!m) continue;
		const ymd = parts(m, options);
		if (ymd) {
			const written = isoDate(ymd, options);
			return written === null ? null : { written, utc: utcInstant(ymd, text.slice(m.index + m[0].length)) };
		}
		// An ambiguous numeric date stays unread; a word that is no month lets the next form try.
		if (!named) return null;
	}
	return null;
}

/**
 * A date as YYYY-MM-DD, or null when it cannot be read unambiguously. A timestamp with a
 * local offset keeps the calendar date the publisher wrote ("2025-07-12T23:30:00-05:00" is
 * 2025-07-12): their offset says where they are, and their page shows that day. One written
 * in UTC ("2025-07-11T22:30:00Z", "+00:00", "-00:00", "GMT") says nothing of where they are:
 * it is dated by the day it falls on in `options.zone`, the newsroom's, as the newsroom's
 * own times are (00:30 in Berlin written "2025-07-11T22:30:00Z" is 2025-07-12 there, as
 * "2025-07-12T00:30:00+02:00" is).
 */
export function normalizeDate(value: string | null | undefined, options: DateOptions = {}): string | null {
	const read = readDate(value, options);
	if (!read) return null;
	return read.utc === null ? read.written : dayIn(read.utc.toISOString(), options.zone ?? "UTC");
}

/**
 * As `normalizeDate`, except that a timestamp written in UTC is given as its instant
 * ("2025-07-11T22:30:00.000Z"), for whoever knows the newsroom's zone to date it: the
 * import mapping runs in the CLI, which does not (the server dates it, schemas/import-record
 * `onNewsroomDays`).
 */
export function dayOrUtcInstant(value: string | null | undefined, options: DateOptions = {}): string | null {
	const read = readDate(value, options);
	if (!read) return null;
	return read.utc === null ? read.written : read.utc.toISOString();
}
