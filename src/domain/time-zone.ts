import type { UiLanguage } from "./ratings";

/**
 * The newsroom's calendar and clock. Timestamps are stored in UTC; a day or a time shown to
 * people (pages, cards, the desk, ClaimReview's `datePublished`) is the newsroom's, in the
 * zone the deployment names (`NEWSROOM_TIME_ZONE`, domain/deployment-settings). Cut to the
 * UTC day, a verdict published at 00:50 in Berlin was dated the day before the claim it
 * checks (said that evening, entered with the local date). A date alone (a claim's
 * `claimedAt`, an import's review date) is a calendar day already and stays as written.
 */

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/* An IANA name ("UTC", "Europe/Berlin", "America/Port-au-Prince", "Etc/GMT+1", "EST5EDT",
   "GMT0"), not an offset: "+01:00" is an hour off half the year in Berlin, and Intl takes it
   as a zone. Beginning with a letter is all that tells them apart; Intl says which names exist. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9]*(?:[/_+-][A-Za-z0-9]+)*$/;

const STYLES = {
	day: { day: "numeric", month: "long", year: "numeric" },
	time: { dateStyle: "medium", timeStyle: "short" },
	zone: { timeZoneName: "short" },
	ymd: { year: "numeric", month: "2-digit", day: "2-digit" },
	clock: { hourCycle: "h23", hour: "2-digit", minute: "2-digit", second: "2-digit" },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per language, zone and style: making one costs far more than formatting with it. */
function formatter(lang: UiLanguage | "iso", zone: string, style: keyof typeof STYLES): Intl.DateTimeFormat {
	const key = `${lang}|${zone}|${style}`;
	let format = formats.get(key);
	if (!format) {
		const locale = lang === "iso" ? "en-CA" : lang === "de" ? "de-DE" : "en-GB";
		format = new Intl.DateTimeFormat(locale, { ...STYLES[style], timeZone: zone });
		formats.set(key, format);
	}
	return format;
}

/** The zone's canonical IANA name ("europe/berlin" is "Europe/Berlin"), or null for what is no zone. */
export function timeZoneNamed(name: string): string | null {
	if (!ZONE_NAME.test(name)) return null;
	try {
		return new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone;
	} catch {
		return null;
	}
}

function instant(iso: string): Date | null {
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? null : date;
}

/** The calendar day (YYYY-MM-DD) a timestamp falls on in `zone`; a date alone as it is; null for no date. */
export function dayIn(iso: string | null | undefined, zone: string): string | null {
	if (!iso) return null;
	if (DATE_ONLY.test(iso)) return iso;
	const date = instant(iso);
	if (!date) return null;
	const parts = formatter("iso", zone, "ymd").formatToParts(date);
	const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
	return `${part("year")}-${part("month")}-${part("day")}`;
}

/** "8 December 2026", "8. Dezember 2026": the day a timestamp falls on in `zone`, or a date alone. */
export function longDate(iso: string, lang: UiLanguage, zone: string): string {
	const day = dayIn(iso, zone);
	if (!day) return iso;
	// The day itself, read at midnight UTC and written in UTC: it is a day, not an instant.
	return formatter(lang, "UTC", "day").format(new Date(`${day}T00:00:00Z`));
}

/**
 * "8 Dec 2026, 00:50 CET", "08.12.2026, 00:50 MEZ": a time in `zone`, saying which. A desk in
 * Berlin reading an unlabelled "14:30" takes it for its own, in a correction log or a reply
 * to a complaint; the zone's short name (or its offset, "GMT+1", where it has none in the
 * language) says whose it is.
 */
export function dateAndTime(iso: string, lang: UiLanguage, zone: string): string {
	const date = instant(iso);
	if (!date) return iso;
	const time = formatter(lang, zone, "time").format(date);
	return `${time} ${zoneName(date, lang, zone)}`;
}

function zoneName(date: Date, lang: UiLanguage, zone: string): string {
	const parts = formatter(lang, zone, "zone").formatToParts(date);
	return parts.find((part) => part.type === "timeZoneName")?.value ?? zone;
}

/** The offset of `zone` from UTC at an instant, in milliseconds (Berlin in winter: +3,600,000). */
function offsetAt(time: number, zone: string): number {
	const date = new Date(time);
	const clock = formatter("iso", zone, "clock").format(date);
	return Date.parse(`${dayIn(date.toISOString(), zone)}T${clock}Z`) - Math.floor(time / 1000) * 1000;
}

/**
 * A timestamp written in `zone`'s offset at that instant ("2025-11-20T00:55:00.000+01:00"):
 * the same instant, RFC 3339, on the newsroom's day. Beside a day written as a date (ClaimReview's
 * `datePublished`), a time just after midnight east of UTC written in UTC ("…-19T23:55Z")
 * comes before it, as a string and as that day's instant; in the newsroom's offset it is on
 * that day. "Z" where the offset is 0 (UTC, London in winter); a date alone as it is; null
 * for no date. The offset is whole minutes (RFC 3339 has no seconds): the clock shown follows
 * from it, so the instant is always exact.
 */
export function localTimestamp(iso: string | null | undefined, zone: string): string | null {
	if (!iso) return null;
	if (DATE_ONLY.test(iso)) return iso;
	const date = instant(iso);
	if (!date) return null;
	const minutes = Math.round(offsetAt(date.getTime(), zone) / 60_000);
	const clock = new Date(date.getTime() + minutes * 60_000).toISOString().slice(0, -1);
	if (minutes === 0) return `${clock}Z`;
	const abs = Math.abs(minutes);
	const two = (n: number) => String(n).padStart(2, "0");
	return `${clock}${minutes < 0 ? "-" : "+"}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/**
 * The first instant of a calendar day (YYYY-MM-DD) in `zone`, as an ISO timestamp: where
 * a week chart's day begins. Where the day begins with a clock change (no midnight), it is
 * the first instant that exists.
 */
export function startOfDay(day: string, zone: string): string {
	const midnightUtc = Date.parse(`${day}T00:00:00Z`);
	let start = midnightUtc - offsetAt(midnightUtc, zone);
	// The offset at that instant may differ (a clock change between it and midnight UTC).
	start = midnightUtc - offsetAt(start, zone);
	if (dayIn(new Date(start).toISOString(), zone) !== day) start += 3_600_000;
	return new Date(start).toISOString();
}
