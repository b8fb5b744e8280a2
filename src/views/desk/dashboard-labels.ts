import type { UiLanguage } from "../../domain/ratings";

/** The desk dashboard's strings (views/desk/dashboard.tsx), in every UI language. */
const STRINGS = {
	en: {
		title: "Dashboard",
		intro: "The desk at a glance. Days and times are in the newsroom’s time zone, {zone}.",
		statusHeading: "Claims by state",
		statusChart: "Claims by state, {n} in all",
		claimsInAllOne: "{n} claim in all.",
		claimsInAllOther: "{n} claims in all.",
		queueHeading: "Review queue",
		queueEmpty: "No draft is submitted for review.",
		queueAllOne: "{n} draft submitted for review waits for an editor.",
		queueAllOther:
			"{n} drafts submitted for review wait for an editor (corrections included), the longest waiting first.",
		queueMore: "The {shown} longest waiting of {n} drafts submitted for review (corrections included).",
		queueCorrection: "correction",
		queueWriter: "written by",
		queueWaiting: "waiting",
		queueChanges: "changes requested",
		writingHeading: "Being written",
		writingEmpty: "No draft is waiting to be submitted for review.",
		writingAllOne: "{n} open draft is not submitted for review yet.",
		writingAllOther: "{n} open drafts are not submitted for review yet, the longest open first.",
		writingMore: "The {shown} longest open of {n} drafts not submitted for review.",
		writingSince: "open for",
		ageUnderHour: "under an hour",
		ageHoursOne: "{n} hour",
		ageHoursOther: "{n} hours",
		ageDaysOne: "{n} day",
		ageDaysOther: "{n} days",
		assigneeHeading: "Open claims per assignee",
		assigneeChart: "Open claims (unverified, in review or re-checked) per assignee",
		assigneeLists: "Lists of open claims:",
		noOpenClaims: "No claim is open: none waits for a check or a review.",
		unassigned: "Unassigned",
		weekHeading: "Published this week",
		weekExplained:
			"Today and the six days before: {range}. A first publication is a claim’s first verdict; a correction replaces a published verdict; a verdict published again follows a retraction.",
		weekFirstOne: "first publication",
		weekFirstOther: "first publications",
		weekCorrectionsOne: "correction",
		weekCorrectionsOther: "corrections",
		weekAgain: "published again after a retraction",
		weekChart: "Verdicts published per day, {range}",
		weekDay: "{day}: {first} {firstWord}, {corrections} {correctionsWord}, {again} {againWord}",
		legendFirst: "First publication",
		legendCorrection: "Correction",
		legendAgain: "Published again after a retraction",
		medianHeading: "Time to a verdict",
		medianValue: "Median time from claim to published verdict:",
		medianExplainedOne:
			"From recording a claim to its first published verdict, over the one claim first published in the last {days} days whose verdict is still published.",
		medianExplainedOther:
			"From recording a claim to its first published verdict, over the {n} claims first published in the last {days} days whose verdict is still published.",
		medianNone: "No claim with a published verdict was first published in the last {days} days.",
		durationHoursOne: "{n} hour",
		durationHoursOther: "{n} hours",
		durationDaysOne: "{n} day",
		durationDaysOther: "{n} days",
	},
	de: {
		title: "Übersicht",
		intro: "Die Redaktion auf einen Blick. Tage und Uhrzeiten in der Zeitzone der Redaktion, {zone}.",
		statusHeading: "Behauptungen nach Stand",
		statusChart: "Behauptungen nach Stand, {n} insgesamt",
		claimsInAllOne: "{n} Behauptung insgesamt.",
		claimsInAllOther: "{n} Behauptungen insgesamt.",
		queueHeading: "Warteschlange der Prüfung",
		queueEmpty: "Kein Entwurf ist zur Prüfung eingereicht.",
		queueAllOne: "{n} zur Prüfung eingereichter Entwurf wartet auf die Redaktion.",
		queueAllOther:
			"{n} zur Prüfung eingereichte Entwürfe warten auf die Redaktion (Korrekturen eingeschlossen), der am längsten wartende zuerst.",
		queueMore:
			"Die {shown} am längsten wartenden von {n} zur Prüfung eingereichten Entwürfen (Korrekturen eingeschlossen).",
		queueCorrection: "Korrektur",
		queueWriter: "geschrieben von",
		queueWaiting: "wartet seit",
		queueChanges: "Änderungen erbeten",
		writingHeading: "In Arbeit",
		writingEmpty: "Kein Entwurf wartet darauf, zur Prüfung eingereicht zu werden.",
		writingAllOne: "{n} offener Entwurf ist noch nicht zur Prüfung eingereicht.",
		writingAllOther:
			"{n} offene Entwürfe sind noch nicht zur Prüfung eingereicht, der am längsten offene zuerst.",
		writingMore: "Die {shown} am längsten offenen von {n} nicht eingereichten Entwürfen.",
		writingSince: "offen seit",
		ageUnderHour: "weniger als einer Stunde",
		ageHoursOne: "{n} Stunde",
		ageHoursOther: "{n} Stunden",
		ageDaysOne: "{n} Tag",
		ageDaysOther: "{n} Tagen",
		assigneeHeading: "Offene Behauptungen nach Zuständigkeit",
		assigneeChart: "Offene Behauptungen (ungeprüft, in Prüfung oder neu geprüft) nach Zuständigkeit",
		assigneeLists: "Listen der offenen Behauptungen:",
		noOpenClaims: "Keine Behauptung ist offen: Keine wartet auf Prüfung oder Durchsicht.",
		unassigned: "Nicht zugewiesen",
		weekHeading: "Diese Woche veröffentlicht",
		weekExplained:
			"Heute und die sechs Tage davor: {range}. Eine Erstveröffentlichung ist die erste Bewertung einer Behauptung; eine Korrektur ersetzt eine veröffentlichte Bewertung; eine erneut veröffentlichte Bewertung folgt auf eine Rücknahme.",
		weekFirstOne: "Erstveröffentlichung",
		weekFirstOther: "Erstveröffentlichungen",
		weekCorrectionsOne: "Korrektur",
		weekCorrectionsOther: "Korrekturen",
		weekAgain: "nach einer Rücknahme erneut veröffentlicht",
		weekChart: "Veröffentlichte Bewertungen pro Tag, {range}",
		weekDay: "{day}: {first} {firstWord}, {corrections} {correctionsWord}, {again} {againWord}",
		legendFirst: "Erstveröffentlichung",
		legendCorrection: "Korrektur",
		legendAgain: "Nach einer Rücknahme erneut veröffentlicht",
		medianHeading: "Zeit bis zur Bewertung",
		medianValue: "Median der Zeit von der Behauptung bis zur veröffentlichten Bewertung:",
		medianExplainedOne:
			"Von der Erfassung einer Behauptung bis zu ihrer ersten veröffentlichten Bewertung, über die eine Behauptung, die in den letzten {days} Tagen erstmals veröffentlicht wurde und deren Bewertung noch veröffentlicht ist.",
		medianExplainedOther:
			"Von der Erfassung einer Behauptung bis zu ihrer ersten veröffentlichten Bewertung, über die {n} Behauptungen, die in den letzten {days} Tagen erstmals veröffentlicht wurden und deren Bewertung noch veröffentlicht ist.",
		medianNone:
			"Keine Behauptung mit veröffentlichter Bewertung wurde in den letzten {days} Tagen erstmals veröffentlicht.",
		durationHoursOne: "{n} Stunde",
		durationHoursOther: "{n} Stunden",
		durationDaysOne: "{n} Tag",
		durationDaysOther: "{n} Tage",
	},
} as const satisfies Record<UiLanguage, Record<string, string>>;

export type DashboardKey = keyof (typeof STRINGS)["en"];

/** A dashboard string with `{name}` placeholders filled in. */
export function label(
	lang: UiLanguage,
	key: DashboardKey,
	values: Record<string, string | number> = {},
): string {
	const template: string = STRINGS[lang][key];
	return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** A number in the language's digits and separators. */
export function formatNumber(lang: UiLanguage, n: number, fractionDigits = 0): string {
	return new Intl.NumberFormat(lang, { maximumFractionDigits: fractionDigits }).format(n);
}

/** The key of the singular or of the plural form for `n`, by the language's plural rules. */
export function pluralKey<K extends DashboardKey>(
	lang: UiLanguage,
	n: number,
	one: K,
	other: K,
	digits = 0,
): K {
	return new Intl.PluralRules(lang, { maximumFractionDigits: digits }).select(n) === "one" ? one : other;
}

/** The singular or plural string for `n`, with `{n}` as the language writes the number. */
function plural(lang: UiLanguage, n: number, one: DashboardKey, other: DashboardKey, digits = 0) {
	const shown = Number(n.toFixed(digits));
	return label(lang, pluralKey(lang, shown, one, other, digits), { n: formatNumber(lang, shown, digits) });
}

const HOUR_MS = 3_600_000;

/** How long a draft has waited, in whole days from one day on, else whole hours ("3 days", "5 hours"). */
export function waitingTime(sinceIso: string, now: Date, lang: UiLanguage): string {
	const elapsed = Math.max(0, now.getTime() - new Date(sinceIso).getTime());
	if (elapsed >= 24 * HOUR_MS)
		return plural(lang, Math.floor(elapsed / (24 * HOUR_MS)), "ageDaysOne", "ageDaysOther");
	if (elapsed >= HOUR_MS) return plural(lang, Math.floor(elapsed / HOUR_MS), "ageHoursOne", "ageHoursOther");
	return label(lang, "ageUnderHour");
}

/** A duration in hours up to two days ("36 hours"), else in days to a tenth ("3.5 days"). */
export function duration(hours: number, lang: UiLanguage): string {
	if (hours < 48) return plural(lang, hours, "durationHoursOne", "durationHoursOther", hours < 10 ? 1 : 0);
	return plural(lang, hours / 24, "durationDaysOne", "durationDaysOther", 1);
}
