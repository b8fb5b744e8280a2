import { FALLBACK_TIME_ZONE } from "../domain/deployment-settings";
import type { UiLanguage } from "../domain/ratings";
import { longDate } from "../domain/time-zone";

/**
 * UI strings of the public pages, embeds and feeds, in every UI language. The desk's own
 * strings are in views/desk/desk-i18n.ts: they stay out of the public Worker's bundle.
 */
const STRINGS = {
	en: {
		appName: "Claimtrack",
		navClaims: "Claims",
		navSpeakers: "Speakers",
		navApi: "API",
		navDesk: "Desk",
		switchLanguage: "Deutsch",
		latestVerdicts: "Latest fact-checks",
		search: "Search",
		searchPlaceholder: "Search claims, speakers, sources",
		sortLabel: "Order",
		sortRelevance: "best match first (among the newest {window})",
		sortRecent: "newest first (every match)",
		searchLabel: "Search claims",
		statusFilter: "Only claims with the status",
		statusFilterRemove: "Remove filter",
		noResults: "No claims match.",
		claimBy: "Claim by",
		claimOfSource: "Statement of the source",
		saidOn: "Said on",
		source: "Source",
		sources: "Sources",
		rating: "Rating",
		summary: "Summary",
		evidence: "Evidence",
		history: "Correction history",
		corrected: "Corrected",
		retracted: "Retracted",
		superseded: "Superseded",
		published: "Published",
		/** A withdrawn or replaced version's first date in the corrections log: "(published 10 January 2025)". */
		versionPublishedOn: "published",
		notReviewed: "This claim has not been reviewed yet.",
		feedsTitle: "Feeds and open data",
		topics: "Topics",
		topicClaims: "Fact checks on this topic",
		feedsExplained:
			"Subscribe in a feed reader, or take the data: every published fact-check, with its corrections and retractions.",
		feedsAtom: "new verdicts, corrections and retractions, for feed readers",
		feedsNdjson: "every reviewed claim with its full history, one JSON object per line",
		feedsDataFeed: "schema.org ClaimReview of every current verdict, for search engines",
		checkedBy: "Checked by",
		claimChanges: "Changes to the claim",
		changedText: "Wording:",
		changedClaimedAt: "Date said:",
		changedLanguage: "Language:",
		changedContext: "Context:",
		changedSpeaker: "Speaker:",
		changedAppearance: "Appearance removed:",
		publishedByEditor: "published by",
		backToClaim: "← The claim and its current verdict",
		versionLabel: "Version",
		/** Under a past version's quote, linking to the claim's changes: it was checked in other words. */
		wordingChangedSince: "The claim’s wording has changed since this version.",
		// A superseded version's page: "Superseded 8 December 2026 by Version 2", and its successor's note.
		supersededBy: "by",
		successorCorrectionNote: "Correction in version {n}",
		inReview: "Our fact-checkers are reviewing this claim; no verdict is published yet.",
		retractedHeading: "Verdict retracted",
		retractedExplained:
			"We withdrew our verdict on this claim. The withdrawn verdict stays readable in the history below.",
		embed: "Embed this fact-check",
		embedBadge: "Badge (HTML)",
		embedMarkdown: "Badge (Markdown)",
		embedCard: "Card (iframe)",
		preview: "Preview",
		embedAlt: "Fact check by {org}: claim by {speaker}",
		embedAltNoClaimant: "Fact check by {org}",
		embedStyle: "Badge style",
		embedStyleFlat: "Flat",
		embedStyleFlatSquare: "Flat, square corners",
		embedStyleForTheBadge: "Large capitals",
		embedLanguage: "Language",
		embedLangAuto: "Claim’s language",
		embedLangEn: "English",
		embedLangDe: "German",
		embedTheme: "Card colours",
		embedThemeLight: "Light",
		embedThemeDark: "Dark",
		embedThemeAuto: "Follow the reader’s light or dark setting",
		embedUpdate: "Update the code",
		embedLiveHint: "Badge and card always show the current rating.",
		ratingsTitle: "How we rate claims",
		ratingsIntro:
			"Every fact-check ends in one rating of this scale. A claim we have not rated (yet) shows one of the statuses further down.",
		ratingsScale: "The rating scale",
		ratingsPending: "Claims without a rating",
		ratingsExample: "Example",
		ratingsValue: "In ClaimReview: {value} of 5",
		ratingsNoValue: "In ClaimReview: the name only, no number",
		ratingsWhatItMeans: "What this rating means",
		scorecard: "Scorecard",
		scorecardOf: "Ratings of {n} published fact-checks",
		scorecardOfOne: "Ratings of 1 published fact-check",
		claimsRecorded: "{n} claims recorded",
		claimsRecordedOne: "1 claim recorded",
		claims: "Claims",
		allClaims: "All claims",
		nextPage: "Next page",
		matchesOne: "1 matching claim.",
		matchesExact: "{count} matching claims.",
		matchesAbout:
			"About {count} matching claims. Shown are the best among the newest {window} matches; narrow the search to reach older ones.",
		matchesAmongNewest:
			"With this status among the newest {window} matches: {count}. Narrow the search to reach older ones.",
		// Newest first lists every match: no "best among", no advice to narrow.
		matchesAboutRecent: "About {count} matching claims.",
		matchesAmongNewestRecent: "With this status among the newest {window} matches: {count}.",
		notFoundTitle: "Not found",
		navMain: "Main",
		requestId: "Request id",
		notFoundText: "There is nothing at this address.",
		// Error pages (views/pages/error-page): each status in words a reader can act on.
		errorBadRequestTitle: "Bad request",
		errorBadRequestText: "This request could not be read.",
		errorUnauthorizedTitle: "Login required",
		errorUnauthorizedText: "This address needs a login.",
		errorForbiddenTitle: "Not allowed",
		errorForbiddenText: "You may not open this address.",
		errorMethodTitle: "Request not possible here",
		errorMethodText: "This address does not accept a {method} request.",
		errorConflictTitle: "Conflict",
		errorConflictText: "This conflicts with the current state. Reload the page and try again.",
		errorGoneTitle: "Removed",
		errorGoneText: "What was at this address has been removed.",
		errorTooLargeTitle: "Too large",
		errorTooLargeText: "The request is too large.",
		errorMediaTypeTitle: "Format not supported",
		errorMediaTypeText: "This address does not accept data in this format.",
		errorInvalidTitle: "Invalid value",
		errorInvalidText: "This address holds a value we cannot use. Change it and try again.",
		errorInvalidFieldsText: "This address holds a value we cannot use: {fields}. Change it and try again.",
		errorTooManyTitle: "Too many requests",
		errorTooManyText: "Please wait a moment, then try again.",
		errorServerTitle: "Something went wrong",
		errorServerText:
			"An error on our side stopped this page. The request id below identifies it in our logs.",
		errorNotImplementedTitle: "Not supported",
		errorNotImplementedText: "This is not supported.",
		errorUnavailableTitle: "Temporarily unavailable",
		errorUnavailableText: "This page is unavailable for a moment. Please try again in a few seconds.",
		// A field of an address, as an error page names it (the query parameter's name otherwise).
		fieldSearch: "the search text",
		fieldCursor: "the position in the list",
		fieldNext: "the page to return to",
		fieldOther: "the parameter “{name}”",
		// The embed card when there is no card to show (views/embed-card).
		embedGoneTitle: "This fact-check is no longer available",
		embedNotFoundTitle: "Fact-check not found",
		embedNotFoundText: "There is no fact-check at this address.",
		embedUnavailableTitle: "Fact-check temporarily unavailable",
		embedUnavailableText: "Please reload in a few seconds.",
		allFactChecks: "All fact-checks",
		claimRemovedTitle: "Removed from the tracker",
		claimRemovedText: "A claim recorded here by mistake was removed from the tracker on {date}.",
		readFactCheck: "Read the fact-check",
		factCheck: "Fact check",
		status: "Status",
		apiDocs: "API documentation",
		apiDocsAccess: "Reads are public (CORS open, ETag, cached); writes need a token from the desk, sent as",
		apiDocsErrors: "Errors are",
		apiDocsInEnglish: "The descriptions of the operations are in English.",
		apiDocsToken: "Bearer token required.",
		apiDocsParameter: "Parameter",
		apiDocsIn: "In",
		apiDocsDescription: "Description",
		context: "Context",
		appearances: "Appearances",
		firstAppearance: "first appearance",
		archivedCopy: "archived copy",
		archivedElsewhere: "copy at {where}",
		attachments: "Attachments",
		attachmentAlt: "Attachment {n} of the fact-check, without description",
		attachmentNumbered: "Attachment {n}",
		snapshotTitle: "Archived copy",
		snapshotOriginal: "Original address",
		snapshotFinalUrl: "Fetched from",
		snapshotFetchedAt: "Archived on",
		snapshotStatus: "HTTP status",
		snapshotType: "Content type",
		snapshotSize: "Size",
		snapshotHash: "SHA-256 of the bytes as fetched",
		snapshotDownload: "Download the bytes as fetched",
		snapshotHeaders: "Response headers",
		snapshotQuoteNotFound: "The quote was not found word for word in this copy.",
		snapshotNoText: "This copy has no readable text: download the bytes.",
		snapshotNoTextPdf:
			"This copy is a PDF document: no readable text is shown for it here. Download the bytes to open it.",
		snapshotNoTextImage:
			"This copy is an image: no readable text is shown for it here. Download the bytes to open it.",
		snapshotNoTextJson:
			"This copy is JSON data, kept as data rather than shown as text: download the bytes to read it.",
		snapshotNoTextData: "This copy is data of the type {type}, not text: download the bytes to open it.",
		snapshotExplained:
			"The main text of the page as our archive fetched it. Links, scripts and images of the original are left out.",
		snapshotBackToClaim: "Back to the claim",
		snapshotTextCut:
			"The text of this copy ends here: only its first {size} are shown. Download the bytes for all of it.",
		publishedBy: "Published by",
		skipToContent: "Skip to content",
		feed: "Atom feed of verdicts",
		// The fact-checkers' desk (src/views/desk).
		correctionNote: "Correction",
		retractionNote: "Retracted because",
	},
	de: {
		appName: "Claimtrack",
		navClaims: "Behauptungen",
		navSpeakers: "Personen",
		navApi: "API",
		navDesk: "Redaktion",
		switchLanguage: "English",
		latestVerdicts: "Neueste Faktenchecks",
		search: "Suchen",
		searchPlaceholder: "Behauptung, Person oder Quelle",
		sortLabel: "Reihenfolge",
		sortRelevance: "beste Treffer zuerst (unter den neuesten {window})",
		sortRecent: "neueste zuerst (alle Treffer)",
		searchLabel: "Behauptungen durchsuchen",
		statusFilter: "Nur Behauptungen mit dem Status",
		statusFilterRemove: "Filter aufheben",
		noResults: "Keine Behauptung passt.",
		claimBy: "Behauptung von",
		claimOfSource: "Aussage der Quelle",
		saidOn: "Gesagt am",
		source: "Quelle",
		sources: "Quellen",
		rating: "Bewertung",
		summary: "Zusammenfassung",
		evidence: "Belege",
		history: "Korrekturverlauf",
		corrected: "Korrigiert",
		retracted: "Zurückgezogen",
		superseded: "Ersetzt",
		published: "Veröffentlicht",
		versionPublishedOn: "veröffentlicht",
		notReviewed: "Diese Behauptung ist noch nicht geprüft.",
		feedsTitle: "Feeds und offene Daten",
		topics: "Themen",
		topicClaims: "Faktenchecks zu diesem Thema",
		feedsExplained:
			"Abonnieren Sie sie in einem Feedreader oder nehmen Sie die Daten: jeder veröffentlichte Faktencheck, mit Korrekturen und Rücknahmen.",
		feedsAtom: "neue Bewertungen, Korrekturen und Rücknahmen, für Feedreader",
		feedsNdjson: "jede geprüfte Behauptung mit ihrem ganzen Verlauf, ein JSON-Objekt pro Zeile",
		feedsDataFeed: "schema.org-ClaimReview jeder aktuellen Bewertung, für Suchmaschinen",
		checkedBy: "Geprüft von",
		claimChanges: "Änderungen an der Behauptung",
		changedText: "Wortlaut:",
		changedClaimedAt: "Datum der Aussage:",
		changedLanguage: "Sprache:",
		changedContext: "Kontext:",
		changedSpeaker: "Sprecher:",
		changedAppearance: "Fundstelle entfernt:",
		publishedByEditor: "veröffentlicht von",
		backToClaim: "← Die Behauptung und ihre aktuelle Bewertung",
		versionLabel: "Version",
		wordingChangedSince: "Der Wortlaut der Behauptung hat sich seit dieser Version geändert.",
		supersededBy: "durch",
		successorCorrectionNote: "Korrektur in Version {n}",
		inReview: "Unser Faktencheck-Team prüft diese Behauptung; eine Bewertung ist noch nicht veröffentlicht.",
		retractedHeading: "Bewertung zurückgezogen",
		retractedExplained:
			"Wir haben unsere Bewertung dieser Behauptung zurückgezogen. Die zurückgezogene Bewertung bleibt im Verlauf unten lesbar.",
		embed: "Diesen Faktencheck einbetten",
		embedBadge: "Plakette (HTML)",
		embedMarkdown: "Plakette (Markdown)",
		embedCard: "Karte (iframe)",
		preview: "Vorschau",
		embedAlt: "Faktencheck von {org}: Behauptung von {speaker}",
		embedAltNoClaimant: "Faktencheck von {org}",
		embedStyle: "Stil der Plakette",
		embedStyleFlat: "Flach",
		embedStyleFlatSquare: "Flach, eckig",
		embedStyleForTheBadge: "Groß, in Versalien",
		embedLanguage: "Sprache",
		embedLangAuto: "Wie die Behauptung",
		embedLangEn: "Englisch",
		embedLangDe: "Deutsch",
		embedTheme: "Farben der Karte",
		embedThemeLight: "Hell",
		embedThemeDark: "Dunkel",
		embedThemeAuto: "Wie bei den Lesenden eingestellt (hell oder dunkel)",
		embedUpdate: "Code aktualisieren",
		embedLiveHint: "Plakette und Karte zeigen stets die aktuelle Bewertung.",
		ratingsTitle: "So bewerten wir Behauptungen",
		ratingsIntro:
			"Jeder Faktencheck endet mit einer Bewertung dieser Skala. Eine (noch) nicht bewertete Behauptung zeigt einen der Status weiter unten.",
		ratingsScale: "Die Bewertungsskala",
		ratingsPending: "Behauptungen ohne Bewertung",
		ratingsExample: "Beispiel",
		ratingsValue: "In ClaimReview: {value} von 5",
		ratingsNoValue: "In ClaimReview: nur der Name, keine Zahl",
		ratingsWhatItMeans: "Was diese Bewertung bedeutet",
		scorecard: "Bilanz",
		scorecardOf: "Bewertungen aus {n} veröffentlichten Faktenchecks",
		scorecardOfOne: "Bewertung aus 1 veröffentlichten Faktencheck",
		claimsRecorded: "{n} Behauptungen erfasst",
		claimsRecordedOne: "1 Behauptung erfasst",
		claims: "Behauptungen",
		allClaims: "Alle Behauptungen",
		nextPage: "Nächste Seite",
		matchesOne: "1 passende Behauptung.",
		matchesExact: "{count} passende Behauptungen.",
		matchesAbout:
			"Etwa {count} passende Behauptungen. Gezeigt werden die besten unter den neuesten {window} Treffern; für ältere die Suche eingrenzen.",
		matchesAmongNewest:
			"Mit diesem Status unter den neuesten {window} Treffern: {count}. Für ältere die Suche eingrenzen.",
		matchesAboutRecent: "Etwa {count} passende Behauptungen.",
		matchesAmongNewestRecent: "Mit diesem Status unter den neuesten {window} Treffern: {count}.",
		notFoundTitle: "Nicht gefunden",
		navMain: "Hauptnavigation",
		requestId: "Anfrage-ID",
		notFoundText: "Unter dieser Adresse gibt es nichts.",
		errorBadRequestTitle: "Ungültige Anfrage",
		errorBadRequestText: "Diese Anfrage konnte nicht gelesen werden.",
		errorUnauthorizedTitle: "Anmeldung erforderlich",
		errorUnauthorizedText: "Diese Adresse erfordert eine Anmeldung.",
		errorForbiddenTitle: "Nicht erlaubt",
		errorForbiddenText: "Sie dürfen diese Adresse nicht öffnen.",
		errorMethodTitle: "Anfrage hier nicht möglich",
		errorMethodText: "Diese Adresse nimmt keine {method}-Anfrage an.",
		errorConflictTitle: "Konflikt",
		errorConflictText:
			"Das widerspricht dem aktuellen Stand. Laden Sie die Seite neu und versuchen Sie es erneut.",
		errorGoneTitle: "Entfernt",
		errorGoneText: "Was unter dieser Adresse stand, wurde entfernt.",
		errorTooLargeTitle: "Zu groß",
		errorTooLargeText: "Die Anfrage ist zu groß.",
		errorMediaTypeTitle: "Format nicht unterstützt",
		errorMediaTypeText: "Diese Adresse nimmt Daten in diesem Format nicht an.",
		errorInvalidTitle: "Ungültige Angabe",
		errorInvalidText:
			"Diese Adresse enthält eine Angabe, die wir nicht verwenden können. Ändern Sie sie und versuchen Sie es erneut.",
		errorInvalidFieldsText:
			"Diese Adresse enthält eine Angabe, die wir nicht verwenden können: {fields}. Ändern Sie sie und versuchen Sie es erneut.",
		errorTooManyTitle: "Zu viele Anfragen",
		errorTooManyText: "Bitte warten Sie einen Moment und versuchen Sie es dann erneut.",
		errorServerTitle: "Etwas ist schiefgelaufen",
		errorServerText:
			"Ein Fehler auf unserer Seite hat diese Seite verhindert. Mit der Anfrage-ID unten finden wir ihn in unseren Protokollen.",
		errorNotImplementedTitle: "Nicht unterstützt",
		errorNotImplementedText: "Das wird nicht unterstützt.",
		errorUnavailableTitle: "Vorübergehend nicht verfügbar",
		errorUnavailableText:
			"Diese Seite ist gerade nicht erreichbar. Bitte versuchen Sie es in ein paar Sekunden erneut.",
		fieldSearch: "Suchtext",
		fieldCursor: "Position in der Liste",
		fieldNext: "Seite, zu der es zurückgeht",
		fieldOther: "Parameter „{name}“",
		embedGoneTitle: "Dieser Faktencheck ist nicht mehr verfügbar",
		embedNotFoundTitle: "Faktencheck nicht gefunden",
		embedNotFoundText: "Unter dieser Adresse gibt es keinen Faktencheck.",
		embedUnavailableTitle: "Faktencheck vorübergehend nicht verfügbar",
		embedUnavailableText: "Bitte in ein paar Sekunden neu laden.",
		allFactChecks: "Alle Faktenchecks",
		claimRemovedTitle: "Aus dem Verzeichnis entfernt",
		claimRemovedText:
			"Eine hier irrtümlich erfasste Behauptung wurde am {date} aus dem Verzeichnis entfernt.",
		readFactCheck: "Zum Faktencheck",
		factCheck: "Faktencheck",
		status: "Status",
		apiDocs: "API-Dokumentation",
		apiDocsAccess:
			"Lesen ist öffentlich (CORS offen, ETag, zwischengespeichert); Schreiben braucht ein Token aus der Redaktion, gesendet als",
		apiDocsErrors: "Fehler kommen als",
		apiDocsInEnglish: "Die Beschreibungen der Operationen sind auf Englisch.",
		apiDocsToken: "Bearer-Token erforderlich.",
		apiDocsParameter: "Parameter",
		apiDocsIn: "Ort",
		apiDocsDescription: "Beschreibung",
		context: "Kontext",
		appearances: "Fundstellen",
		firstAppearance: "erste Fundstelle",
		archivedCopy: "archivierte Kopie",
		archivedElsewhere: "Kopie bei {where}",
		attachments: "Anhänge",
		attachmentAlt: "Anhang {n} des Faktenchecks, ohne Beschreibung",
		attachmentNumbered: "Anhang {n}",
		snapshotTitle: "Archivierte Kopie",
		snapshotOriginal: "Ursprüngliche Adresse",
		snapshotFinalUrl: "Abgerufen von",
		snapshotFetchedAt: "Archiviert am",
		snapshotStatus: "HTTP-Status",
		snapshotType: "Inhaltstyp",
		snapshotSize: "Größe",
		snapshotHash: "SHA-256 der abgerufenen Bytes",
		snapshotDownload: "Die abgerufenen Bytes herunterladen",
		snapshotHeaders: "Antwort-Header",
		snapshotQuoteNotFound: "Das Zitat steht in dieser Kopie nicht wörtlich.",
		snapshotNoText: "Diese Kopie hat keinen lesbaren Text: Laden Sie die Bytes herunter.",
		snapshotNoTextPdf:
			"Diese Kopie ist ein PDF-Dokument: Ein lesbarer Text wird hier nicht gezeigt. Laden Sie die Bytes herunter, um es zu öffnen.",
		snapshotNoTextImage:
			"Diese Kopie ist ein Bild: Ein lesbarer Text wird hier nicht gezeigt. Laden Sie die Bytes herunter, um es zu öffnen.",
		snapshotNoTextJson:
			"Diese Kopie sind JSON-Daten, als Daten aufbewahrt, nicht als Text gezeigt: Laden Sie die Bytes herunter, um sie zu lesen.",
		snapshotNoTextData:
			"Diese Kopie sind Daten vom Typ {type}, kein Text: Laden Sie die Bytes herunter, um sie zu öffnen.",
		snapshotExplained:
			"Der Haupttext der Seite, wie unser Archiv ihn abgerufen hat. Links, Skripte und Bilder des Originals sind weggelassen.",
		snapshotBackToClaim: "Zurück zur Behauptung",
		snapshotTextCut:
			"Der Text dieser Kopie endet hier: Nur die ersten {size} werden gezeigt. Laden Sie die Bytes herunter, um ihn ganz zu lesen.",
		publishedBy: "Veröffentlicht von",
		skipToContent: "Zum Inhalt springen",
		feed: "Atom-Feed der Bewertungen",
		// The fact-checkers' desk (src/views/desk).
		correctionNote: "Korrektur",
		retractionNote: "Zurückgezogen, weil",
	},
} as const satisfies Record<UiLanguage, Record<string, string>>;

export type MessageKey = keyof (typeof STRINGS)["en"];

export function t(lang: UiLanguage, key: MessageKey, values: Record<string, string | number> = {}): string {
	return fill(STRINGS[lang][key], values);
}

/** A template's `{name}` placeholders filled from `values` (left as they are when missing). */
export function fill(template: string, values: Record<string, string | number>): string {
	return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/**
 * The zone days and times are shown in: the deployment's `NEWSROOM_TIME_ZONE`, set by the
 * app shell for each request before anything renders (src/app-shell.ts). A `[vars]` value is
 * the same for every request an isolate serves, so two requests in flight never need two
 * zones, and no cached answer (keyed by address and language) depends on anything else.
 */
let shownZone = FALLBACK_TIME_ZONE;

export function showTimesIn(zone: string): void {
	shownZone = zone;
}

export function shownTimeZone(): string {
	return shownZone;
}

/**
 * "8 December 2026": a date alone as written (a claim's `claimedAt`); a timestamp (a
 * publication, a correction, a retraction) as the newsroom's day, never the UTC one.
 */
export function formatDate(iso: string | null, lang: UiLanguage): string {
	if (!iso) return "";
	return longDate(iso, lang, shownZone);
}

/** A language tag ("de", "en-GB") by its name in the UI language ("Deutsch", "British English"); the tag when unnamed. */
export function languageName(tag: string, lang: UiLanguage): string {
	try {
		return new Intl.DisplayNames([lang], { type: "language" }).of(tag) ?? tag;
	} catch {
		// Not a well-formed tag (stored before validation): shown as it is.
		return tag;
	}
}
