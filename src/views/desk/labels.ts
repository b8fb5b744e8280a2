import type { Role } from "../../db/schema";
import { isHttpUrl } from "../../domain/canonical-url";
import type { UiLanguage } from "../../domain/ratings";
import { SNAPSHOT_MESSAGES_BEFORE } from "../../domain/snapshots";
import { dateAndTime } from "../../domain/time-zone";
import { NOT_FOUND_GERMAN } from "../../lib/errors";
import { shownTimeZone } from "../../lib/newsroom-clock";
import { type MessageKey, t } from "./desk-i18n";

const ROLE_KEYS: Record<Role, MessageKey> = {
	checker: "roleChecker",
	editor: "roleEditor",
	admin: "roleAdmin",
};

export function roleLabel(lang: UiLanguage, role: Role): string {
	return t(lang, ROLE_KEYS[role]);
}

/** Only http(s) addresses ever become links; anything else is shown as text. */
export function safeHref(url: string | null | undefined): string | undefined {
	return url && isHttpUrl(url) ? url : undefined;
}

/**
 * A desk time, in the newsroom's zone and saying which ("8 Dec 2026, 00:50 CET"): a time
 * in a correction log or a reply to a complaint is read as the newsroom's own, and a UTC
 * one put a publication just after midnight on the day before (domain/time-zone).
 */
export function formatDateTime(iso: string | null | undefined, lang: UiLanguage): string {
	if (!iso) return "";
	return dateAndTime(iso, lang, shownTimeZone());
}

/**
 * The schemas speak English; German readers get the same message in German. Unknown
 * messages (none should be) stay in English rather than vanish.
 */
const GERMAN: Record<string, string> = {
	...Object.fromEntries(
		Object.entries(NOT_FOUND_GERMAN).map(([what, german]) => [`No such ${what}.`, german]),
	),
	"This field is required.": "Bitte ausfüllen.",
	"A topic needs a slug.": "Ein Thema braucht einen Slug.",
	"This address has no failed copy to archive again: it has a copy from the last 24 hours, one being fetched or a retry due, or its newest try did not fail.":
		"Diese Adresse hat keine fehlgeschlagene Kopie, die erneut zu archivieren wäre: Es gibt eine Kopie der letzten 24 Stunden, eine wird gerade abgerufen oder ein neuer Versuch steht an, oder ihr letzter Versuch schlug nicht fehl.",
	"Remove the control characters (such as NUL) from this text.":
		"Bitte die Steuerzeichen (etwa NUL) aus dem Text entfernen.",
	"Remove the right-to-left or left-to-right override characters (U+202D, U+202E).":
		"Bitte die Zeichen entfernen, die die Schreibrichtung erzwingen (U+202D, U+202E).",
	"Remove the broken characters (halves of a UTF-16 surrogate pair) from this text.":
		"Bitte die defekten Zeichen (halbe UTF-16-Surrogatpaare) aus dem Text entfernen.",
	"This text has no visible characters.": "Dieser Text enthält keine sichtbaren Zeichen.",
	"This is not a Claimtrack id.": "Das ist keine Claimtrack-ID.",
	"Use a language code such as de, en or en-GB.": "Bitte einen Sprachcode wie de, en oder en-GB angeben.",
	"The address is longer than 2,048 characters.": "Die Adresse ist länger als 2.048 Zeichen.",
	"Use a full http:// or https:// address.":
		"Bitte eine vollständige http://- oder https://-Adresse angeben.",
	"Use a date like 2025-07-12.": "Bitte ein Datum wie 2025-07-12 angeben.",
	"This date does not exist.": "Dieses Datum gibt es nicht.",
	"This date is in the future.": "Dieses Datum liegt in der Zukunft.",
	"The quote is empty.": "Das Zitat ist leer.",
	"The quote is longer than 10,000 characters.": "Das Zitat ist länger als 10.000 Zeichen.",
	"The name is empty.": "Der Name ist leer.",
	"A Wikidata id looks like Q12345.": "Eine Wikidata-ID sieht aus wie Q12345.",
	"An alias is empty.": "Ein weiterer Name ist leer.",
	"Send the version you last read.": "Bitte die zuletzt gelesene Version mitsenden.",
	"Give the slug of the speaker to merge into.":
		"Bitte das Kürzel des Sprechers angeben, mit dem zusammengeführt werden soll.",
	"The English name is empty.": "Der englische Name ist leer.",
	"The German name is empty.": "Der deutsche Name ist leer.",
	"Give nameEn, nameDe or both.": "Bitte nameEn, nameDe oder beide angeben.",
	"Use a text fragment like #:~:text=the%20quoted%20words.":
		"Bitte ein Textfragment wie #:~:text=die%20zitierten%20Worte angeben.",
	"Give the link a title.": "Bitte dem Link einen Titel geben.",
	"Choose a rating from the scale.": "Bitte eine Bewertung der Skala wählen.",
	"The headline is empty.": "Die Überschrift ist leer.",
	"There is no speaker with this id.": "Es gibt keine Person mit dieser ID.",
	"There is no source with this id.": "Es gibt keine Quelle mit dieser ID.",
	"A correction needs a note that says what changed and why.":
		"Eine Korrektur braucht einen Hinweis, was sich geändert hat und warum.",
	"Add at least one evidence link before publishing.":
		"Vor dem Veröffentlichen mindestens einen Beleg-Link angeben.",
	"Say why the verdict is retracted.": "Bitte begründen, warum die Bewertung zurückgezogen wird.",
	"Use a valid email address.": "Bitte eine gültige E-Mail-Adresse angeben.",
	"An account with this email exists already.": "Es gibt schon ein Konto mit dieser E-Mail-Adresse.",
	"Choose a role.": "Bitte eine Rolle wählen.",
	"Give the token a name.": "Bitte dem Token einen Namen geben.",
	"Choose at least one scope.": "Bitte mindestens einen Bereich wählen.",
	"Your role may not hold this scope.": "Ihre Rolle darf diesen Bereich nicht erhalten.",
	"Only an admin grants this scope.": "Diesen Bereich vergibt nur eine Administrator:in.",
	"This is not your password.": "Das ist nicht Ihr Passwort.",
	"This form was sent before with another name or other scopes, and that token was made. Nothing was made now: check the form and send it again.":
		"Dieses Formular wurde schon einmal mit einem anderen Namen oder anderen Bereichen gesendet, und dieses Token wurde angelegt. Jetzt wurde nichts angelegt: Prüfen Sie das Formular und senden Sie es erneut.",
	"The claim was changed after you read it: nothing was published. Read it again and publish if the verdict still fits it.":
		"Die Behauptung wurde geändert, nachdem Sie sie gelesen haben: Nichts wurde veröffentlicht. Bitte lesen Sie sie erneut und veröffentlichen Sie, wenn die Bewertung noch passt.",
	"Another verdict was published meanwhile: nothing was published. Read the claim again: this draft now corrects that one.":
		"Inzwischen wurde ein anderes Urteil veröffentlicht: Nichts wurde veröffentlicht. Bitte die Behauptung neu laden: Dieser Entwurf korrigiert nun jenes.",
	"The verdict this would correct is not in force (retracted meanwhile, or never published): nothing was published. Read the claim again: no verdict is in force now.":
		"Das Urteil, das dies korrigieren sollte, ist nicht in Kraft (inzwischen zurückgezogen oder nie veröffentlicht): Nichts wurde veröffentlicht. Bitte die Behauptung neu laden: Derzeit ist kein Urteil in Kraft.",
	"A second editor publishes what you drafted or edited (this desk publishes with four eyes): ask another editor.":
		"Was Sie entworfen oder bearbeitet haben, veröffentlicht eine zweite Person der Redaktion (vier Augen): Bitten Sie eine andere Redakteurin oder einen anderen Redakteur.",
	"Too many wrong passwords: try again in a few minutes.":
		"Zu viele falsche Passwörter: Versuchen Sie es in einigen Minuten wieder.",
	"Choose the speaker you mean, or a new one.": "Bitte die gemeinte Person wählen oder eine neue anlegen.",
	"Give a number here.": "Bitte eine Zahl angeben.",
	"Give a whole number here.": "Bitte eine ganze Zahl angeben.",
	"A change number is 0 or more.": "Eine Änderungsnummer ist 0 oder größer.",
	"This claim is already recorded as appearing in this source.":
		"Diese Behauptung ist für diese Quelle bereits als Fundstelle erfasst.",
	"Someone else saved this verdict in the meantime.":
		"Jemand anderes hat diese Bewertung inzwischen gespeichert.",
	"This verdict's claim changed in the meantime.":
		"Die Behauptung dieser Bewertung wurde inzwischen geändert.",
	"Someone else changed this account in the meantime.":
		"Jemand anderes hat dieses Konto inzwischen geändert.",
	"This verdict is no longer a draft; draft a correction instead.":
		"Diese Bewertung ist kein Entwurf mehr; entwerfen Sie stattdessen eine Korrektur.",
	"Your role does not allow this.": "Ihre Rolle erlaubt das nicht.",
	"Your session has ended. Log in again; your browser's back button keeps what you typed.":
		"Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an; mit der Zurück-Taste des Browsers bleiben Ihre Eingaben erhalten.",
	"This form is out of date or was not sent from the desk.":
		"Dieses Formular ist veraltet oder wurde nicht aus der Redaktion gesendet.",
	"Log in to use the desk.": "Bitte melden Sie sich an.",
	"No such verdict.": "Diese Bewertung gibt es nicht.",
	"No such evidence link on this claim's published verdicts.":
		"Keine veröffentlichte Bewertung dieser Behauptung nennt diesen Beleg.",
	"No such user.": "Dieses Konto gibt es nicht.",
	"No such token.": "Dieses Token gibt es nicht.",
	"Admins cannot change their own role.": "Administrator:innen können ihre eigene Rolle nicht ändern.",
	"Admins cannot disable themselves.": "Administrator:innen können sich nicht selbst sperren.",
	"Admins cannot reset their own password here.":
		"Administrator:innen können ihr eigenes Passwort hier nicht zurücksetzen.",
	"This account is disabled: enable it before minting it a token.":
		"Dieses Konto ist gesperrt: Entsperren Sie es, bevor Sie ein Token dafür erstellen.",
	"Your own account was changed meanwhile (disabled, its role or its password): nothing was saved.":
		"Ihr eigenes Konto wurde inzwischen geändert (gesperrt, Rolle oder Passwort): Nichts wurde gespeichert.",
	"This form is still being saved. Reload the page in a moment.":
		"Dieses Formular wird noch gespeichert. Bitte laden Sie die Seite gleich neu.",
	"The first submission of this form failed; send it again.":
		"Das erste Absenden dieses Formulars ist fehlgeschlagen; bitte erneut senden.",
	"The form is larger than 2 MB.": "Das Formular ist größer als 2 MB.",
	"There is nothing at this address.": "Unter dieser Adresse gibt es nichts.",
	// Attachments
	"Choose a file to attach.": "Wählen Sie eine Datei zum Anhängen.",
	"The file is larger than 10 MB.": "Die Datei ist größer als 10 MB.",
	"The file storage is unavailable: nothing was saved. Try again in a moment.":
		"Der Dateispeicher ist nicht erreichbar: Nichts wurde gespeichert. Bitte gleich noch einmal versuchen.",
	"The file is larger than 10 MB. The caption could not be kept with it: type it again.":
		"Die Datei ist größer als 10 MB. Die Bildunterschrift ließ sich damit nicht behalten: Bitte erneut eingeben.",
	"Only PNG, JPEG or WebP images and PDF documents can be attached (the content decides, not the name).":
		"Nur PNG-, JPEG- oder WebP-Bilder und PDF-Dokumente können angehängt werden (es zählt der Inhalt, nicht der Name).",
	"This attachment does not exist.": "Diesen Anhang gibt es nicht.",
	"This attachment moved to another claim meanwhile: nothing was changed. Send it again.":
		"Dieser Anhang ist inzwischen zu einer anderen Behauptung gewandert: Nichts wurde geändert. Bitte erneut senden.",
	// Working together and webhooks
	"No active desk member has this email.": "Kein aktives Mitglied der Redaktion hat diese E-Mail-Adresse.",
	"Someone else took this claim meanwhile.": "Jemand anderes hat diese Behauptung inzwischen übernommen.",
	"Other topics were renamed while this rename was being saved, so nothing changed. Send it again.":
		"Während des Speicherns wurden andere Themen umbenannt, daher wurde nichts geändert. Bitte erneut senden.",
	"Someone else changed this claim in the meantime.":
		"Jemand anderes hat diese Behauptung inzwischen geändert.",
	"A checker may only take an unassigned claim for themselves; editors assign.":
		"Prüfer:innen können nur eine nicht zugewiesene Behauptung selbst übernehmen; zuweisen kann die Redaktion.",
	"Say what should change.": "Bitte sagen, was sich ändern soll.",
	"The note is empty.": "Die Notiz ist leer.",
	"A topic needs a name.": "Ein Thema braucht einen Namen.",
	"At most 20 topics.": "Höchstens 20 Themen.",
	"At most 50 evidence links.": "Höchstens 50 Belege.",
	"At most 200 other names.": "Höchstens 200 weitere Namen.",
	"At most 200 other names, the old name a rename keeps among them: remove one, or drop the old name.":
		"Höchstens 200 weitere Namen, der alte Name, den eine Umbenennung behält, mitgezählt: bitte einen entfernen oder den alten Namen verwerfen.",
	"The external id is empty: leave it out instead.": "Die externe ID ist leer: Bitte weglassen.",
	"A topic's name cannot contain a comma: the desk separates topics with commas.":
		"Ein Themenname darf kein Komma enthalten: Die Redaktion trennt Themen mit Kommas.",
	"Choose at least one event.": "Bitte mindestens ein Ereignis wählen.",
	"Give the address that receives the webhooks.": "Bitte die Adresse angeben, die die Webhooks empfängt.",
	"Only https addresses can receive webhooks.": "Nur https-Adressen können Webhooks empfangen.",
	"Someone else changed this webhook in the meantime.":
		"Jemand anderes hat diesen Webhook inzwischen geändert.",
	"No such webhook.": "Diesen Webhook gibt es nicht.",
	// Why an endpoint stopped, and an attempt's error: stored in English (the API shows them
	// as they are), translated only here, so rows stored before read German too.
	"The receiver answered 410 Gone.": "Der Empfänger antwortete mit 410 Gone.",
	"Every delivery failed for three days.": "Drei Tage lang ist jede Zustellung fehlgeschlagen.",
	"disabled by an admin": "von einer Administratorin oder einem Administrator deaktiviert",
	"redirects are not followed": "Weiterleitungen werden nicht verfolgt",
	"No such delivery.": "Diese Zustellung gibt es nicht.",
	"This webhook is disabled, so nothing is sent to it: enable it first, then send again.":
		"Dieser Webhook ist deaktiviert, daher wird ihm nichts gesendet: Bitte zuerst aktivieren, dann erneut senden.",
	"This delivery's event no longer holds (its claim or speaker is not public any more; or its claim was merged, its speaker renamed or merged, its verdict retracted or corrected, or its appearance removed, and this webhook was sent the event that says so since): it is not sent, and its state is now dead.":
		"Das Ereignis dieser Zustellung gilt nicht mehr (ihre Behauptung oder Person ist nicht mehr öffentlich; oder ihre Behauptung wurde zusammengeführt, ihre Person umbenannt oder zusammengeführt, ihre Bewertung zurückgezogen oder korrigiert oder ihr Fundort entfernt, und diesem Webhook wurde seither das Ereignis gesendet, das es sagt): Sie wird nicht gesendet und ist nun aufgegeben.",
	"This webhook no longer receives this delivery's event type (its events were changed since): it is not sent, and its state is now dead.":
		"Dieser Webhook erhält die Art des Ereignisses dieser Zustellung nicht mehr (seine Ereignisse wurden inzwischen geändert): Sie wird nicht gesendet und ist nun aufgegeben.",
	"This delivery was replayed or attempted in the meantime: nothing was changed. The log shows it as it is now.":
		"Diese Zustellung wurde inzwischen erneut gesendet oder versucht: Nichts wurde geändert. Das Protokoll zeigt sie, wie sie jetzt ist.",
	"The delivery could not be queued just now: nothing was changed. Try again shortly.":
		"Die Zustellung konnte gerade nicht in die Warteschlange gestellt werden: Nichts wurde geändert. Bitte gleich noch einmal versuchen.",
	"The test delivery could not be queued just now: nothing was sent. Try again shortly.":
		"Die Testzustellung konnte gerade nicht in die Warteschlange gestellt werden: Nichts wurde gesendet. Bitte gleich noch einmal versuchen.",
	"This delivery describes a claim removed from the tracker, or the speaker that went with it: it is never sent again (subscribers were told `claim.removed`).":
		"Diese Zustellung beschreibt eine aus dem Tracker entfernte Behauptung oder die Person, die mit ihr ging: Sie wird nie wieder gesendet (die Abonnenten haben `claim.removed` erhalten).",
	"There is no speaker with this slug.": "Es gibt keine Person mit dieser Adresse.",
	"Choose another speaker.": "Bitte eine andere Person wählen.",
	"Someone else changed this speaker in the meantime.":
		"Jemand anderes hat diese Person inzwischen geändert.",
	"Your draft is open on this claim and would stay yours on a claim given back, where no colleague could take it: discard it first, or ask an editor to assign the claim to a colleague (the draft goes with it).":
		"Ihr Entwurf zu dieser Behauptung ist offen und bliebe Ihrer, auch bei einer zurückgegebenen Behauptung, die dann niemand aus dem Team übernehmen könnte: Verwerfen Sie ihn zuerst, oder bitten Sie die Redaktion, die Behauptung einer Kollegin oder einem Kollegen zuzuweisen (der Entwurf geht mit).",
	"Another checker's draft is open on this claim: an editor assigns it.":
		"Zu dieser Behauptung ist der Entwurf einer anderen Prüferin oder eines anderen Prüfers offen: Zuweisen kann die Redaktion.",
	"A checker edits only the drafts they write: those of the claims they hold, and of a claim held by nobody the ones they wrote last.":
		"Prüfer:innen bearbeiten nur die Entwürfe, die sie schreiben: die der Behauptungen, die ihnen zugewiesen sind, und bei einer niemandem zugewiesenen Behauptung die, die sie zuletzt geschrieben haben.",
	"A checker submits only the drafts they write: those of the claims they hold, and of a claim held by nobody the ones they wrote last.":
		"Prüfer:innen reichen nur die Entwürfe zur Prüfung ein, die sie schreiben: die der Behauptungen, die ihnen zugewiesen sind, und bei einer niemandem zugewiesenen Behauptung die, die sie zuletzt geschrieben haben.",
	"A checker discards only the drafts they write: those of the claims they hold, and of a claim held by nobody the ones they wrote last.":
		"Prüfer:innen verwerfen nur die Entwürfe, die sie schreiben: die der Behauptungen, die ihnen zugewiesen sind, und bei einer niemandem zugewiesenen Behauptung die, die sie zuletzt geschrieben haben.",
	"Only an editor changes a claim with a public verdict: the change is shown publicly, like a correction. Leave a note for an editor on the claim.":
		"Eine Behauptung mit öffentlicher Bewertung ändert nur die Redaktion: Die Änderung wird öffentlich gezeigt, wie eine Korrektur. Hinterlassen Sie der Redaktion eine Notiz zur Behauptung.",
	"Say why the claim is changed: the note is shown publicly.":
		"Bitte begründen, warum die Behauptung geändert wird: Der Hinweis wird öffentlich gezeigt.",
	"Only an editor removes an appearance of a claim with a public verdict: the removal is shown publicly, like a correction. Leave a note for an editor on the claim.":
		"Eine Fundstelle einer Behauptung mit öffentlicher Bewertung entfernt nur die Redaktion: Das Entfernen wird öffentlich gezeigt, wie eine Korrektur. Hinterlassen Sie der Redaktion eine Notiz zur Behauptung.",
	"Say why the appearance is removed: the note is shown publicly.":
		"Bitte begründen, warum die Fundstelle entfernt wird: Der Hinweis wird öffentlich gezeigt.",
	"A claim keeps at least one appearance: add the right source first, then remove this one.":
		"Eine Behauptung behält mindestens eine Fundstelle: Fügen Sie zuerst die richtige Quelle hinzu und entfernen Sie dann diese.",
	// Merging and removing claims
	"This claim has a public verdict, which stays in the corrections log: it is never merged away. Merge the other claim into this one instead; if both were checked, keep both and link them in a note.":
		"Diese Behauptung hat eine öffentliche Bewertung, die im Korrekturprotokoll bleibt: Sie wird nie weg-zusammengeführt. Führen Sie stattdessen die andere Behauptung in diese zusammen; sind beide geprüft, behalten Sie beide und verweisen in einer Notiz aufeinander.",
	"This claim has a public verdict, which stays in the corrections log: a reviewed claim is never removed. Retract its verdict instead, with a public note.":
		"Diese Behauptung hat eine öffentliche Bewertung, die im Korrekturprotokoll bleibt: Eine geprüfte Behauptung wird nie entfernt. Ziehen Sie stattdessen ihre Bewertung mit einem öffentlichen Hinweis zurück.",
	"This claim has an open draft: discard it first, or merge the other claim into this one.":
		"Zu dieser Behauptung ist ein Entwurf offen: Verwerfen Sie ihn zuerst, oder führen Sie die andere Behauptung in diese zusammen.",
	"This claim has an open draft: discard it first.":
		"Zu dieser Behauptung ist ein Entwurf offen: Verwerfen Sie ihn zuerst.",
	"A claim cannot be merged into itself: choose the claim to keep.":
		"Eine Behauptung kann nicht in sich selbst zusammengeführt werden: Bitte die Behauptung wählen, die bleibt.",
	"That claim was removed from the tracker.": "Jene Behauptung wurde aus dem Verzeichnis entfernt.",
	"There is no claim with this id.": "Es gibt keine Behauptung mit dieser ID.",
	"This claim was removed from the tracker already.":
		"Diese Behauptung wurde bereits aus dem Verzeichnis entfernt.",
	"This claim was removed from the tracker.": "Diese Behauptung wurde aus dem Verzeichnis entfernt.",
	"Say why these are the same claim.": "Bitte begründen, warum es dieselbe Behauptung ist.",
	"Say why the claim is removed.": "Bitte begründen, warum die Behauptung entfernt wird.",
	"This draft's writer has left the desk (the account is disabled): nobody would read the note. Assign the claim to someone who will write it (the draft goes with it), or edit the draft yourself.":
		"Wer diesen Entwurf schreibt, hat die Redaktion verlassen (das Konto ist deaktiviert): Die Notiz würde niemand lesen. Bitte die Behauptung jemandem zuweisen, der den Entwurf weiterschreibt (er geht mit), oder den Entwurf selbst bearbeiten.",
	"This claim has an open draft already: edit it or discard it first.":
		"Zu dieser Behauptung gibt es schon einen offenen Entwurf: Bearbeiten oder verwerfen Sie ihn zuerst.",
	"This quote of this speaker is recorded already.": "Dieses Zitat dieser Person ist schon erfasst.",
	"This record already exists.": "Diesen Eintrag gibt es schon.",
	"A checker gives back only a claim assigned to them; editors assign.":
		"Prüfer:innen geben nur eine Behauptung zurück, die ihnen zugewiesen ist; zuweisen kann die Redaktion.",
	"The data breaks a rule of the database.": "Die Angaben verletzen eine Regel der Datenbank.",
	"The request body is not valid JSON or form data.":
		"Die Anfrage enthält weder gültiges JSON noch Formulardaten.",
	"The request body is too large.": "Die Anfrage ist zu groß.",
	// New from article
	"Send either the article's url or its text.":
		"Bitte entweder die Adresse des Artikels oder seinen Text angeben.",
};

/*
 * The article reader's and the evidence archive's messages: the API answers with them and
 * snapshots.error stores them in English (rows stored before read German too), so they are
 * translated by their text. Each one's English desk text is its pattern, `{name}` the
 * parameter read back (hosts and addresses as they were); a redirect's variant comes before
 * the plain one, which would match it too.
 */
const READER_KEYS: readonly MessageKey[] = [
	"deskReaderEmpty",
	"deskReaderTooLong",
	"deskReaderSpaces",
	"deskReaderInvalid",
	"deskReaderRedirectScheme",
	"deskReaderScheme",
	"deskReaderCredentials",
	"deskReaderNoHost",
	"deskReaderRedirectPrivate",
	"deskReaderPrivate",
	"deskReaderTimeoutSeconds",
	"deskReaderTimeoutMs",
	"deskReaderUnreachable",
	"deskReaderBrokeOff",
	"deskReaderRedirectNowhere",
	"deskReaderTooManyRedirects",
	"deskReaderRedirectInvalid",
	"deskReaderGone",
	"deskReaderHttpStatus",
	"deskReaderNotHtml",
	"deskReaderNoType",
	"deskReaderBinary",
	"deskReaderTooLarge",
	"deskReaderNoArticleText",
	"deskReaderArticleTooLong",
	"deskReaderTextTooLong",
	"deskArchiveEmpty",
	"deskArchiveNotFetched",
	"deskArchiveMovedAway",
	"deskArchiveOutage",
	"deskArchiveUnfinishedAtBackup",
	"deskArchiveNotQueued",
];

/* Why a host is not public, the `{reason}` of deskReaderPrivate. */
const PRIVATE_REASONS = new Map<string, MessageKey>(
	(
		[
			"deskReaderPrivateIp",
			"deskReaderPrivateIpv6",
			"deskReaderUncheckedIpv6",
			"deskReaderLocalName",
			"deskReaderSingleLabel",
		] as const
	).map((key) => [t("en", key), key]),
);

/* Parameters that are numbers: German writes 12.000 and 5,5 MB. */
const NUMBERS = new Set(["max", "number", "size", "length", "limit"]);

const READER_PATTERNS = READER_KEYS.map((key) => {
	const parts = t("en", key).split(/(\{\w+\})/);
	const source = parts
		.map((part) =>
			/^\{\w+\}$/.test(part) ? `(?<${part.slice(1, -1)}>.+?)` : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
		)
		.join("");
	return [new RegExp(`^${source}$`, "s"), key] as const;
});

function readerMessage(lang: UiLanguage, message: string): string | null {
	for (const [pattern, key] of READER_PATTERNS) {
		const match = pattern.exec(message);
		if (!match) continue;
		const values: Record<string, string> = {};
		for (const [name, value = ""] of Object.entries(match.groups ?? {})) {
			values[name] =
				NUMBERS.has(name) && lang === "de" ? value.replace(/[.,]/g, (c) => (c === "." ? "," : ".")) : value;
		}
		if (values.reason !== undefined) {
			const reason = PRIVATE_REASONS.get(values.reason);
			if (!reason) continue;
			values.reason = t(lang, reason);
		}
		return t(lang, key, values);
	}
	return null;
}

const STATE_DE: Record<string, string> = {
	draft: "ein Entwurf",
	published: "veröffentlicht",
	superseded: "ersetzt",
	retracted: "zurückgezogen",
};

/**
 * Copies failed before "Archive again" existed were stored saying "cite the address again":
 * shown as the messages that replaced them, which name the button (in either language).
 */
const ARCHIVE_MESSAGES_BEFORE = new Map<string, MessageKey>([
	[SNAPSHOT_MESSAGES_BEFORE.notQueued, "deskArchiveNotQueued"],
	[SNAPSHOT_MESSAGES_BEFORE.outage, "deskArchiveOutage"],
	[SNAPSHOT_MESSAGES_BEFORE.unfinishedAtBackup, "deskArchiveUnfinishedAtBackup"],
]);

export function fieldMessage(lang: UiLanguage, message: string): string {
	const before = ARCHIVE_MESSAGES_BEFORE.get(message);
	if (before) return t(lang, before);
	if (lang === "en") return message;
	const exact = GERMAN[message];
	if (exact) return exact;
	const reader = readerMessage(lang, message);
	if (reader !== null) return reader;
	const silent = /^no answer within (\d+) s$/.exec(message);
	if (silent?.[1]) return `keine Antwort innerhalb von ${silent[1]} s`;
	// A webhook attempt whose fetch threw: the runtime's words after ours stay as it gave them.
	const unreachable = /^the receiver could not be reached(?:: (.*))?$/s.exec(message);
	if (unreachable)
		return unreachable[1] === undefined
			? "Empfänger nicht erreichbar"
			: `Empfänger nicht erreichbar: ${unreachable[1]}`;
	// schemas/common `tooLongAsSent`: text refused before it is cleaned.
	const asSent =
		/^As sent, this text is longer than ([\d,]+) characters \(each accent and invisible character counted on its own\)\. Use at most ([\d,]+) characters\.$/.exec(
			message,
		);
	if (asSent?.[1] && asSent[2])
		return `So wie gesendet ist dieser Text länger als ${asSent[1].replaceAll(",", ".")} Zeichen (jeder Akzent und jedes unsichtbare Zeichen einzeln gezählt). Bitte höchstens ${asSent[2].replaceAll(",", ".")} Zeichen.`;
	const max = /^Use at most ([\d,]+) characters\.$/.exec(message);
	if (max?.[1]) return `Bitte höchstens ${max[1].replaceAll(",", ".")} Zeichen.`;
	const events = /^Choose at most (\d+) events\.$/.exec(message);
	if (events?.[1]) return `Bitte höchstens ${events[1]} Ereignisse wählen.`;
	const oneOf = /^Use one of: (.*)\.$/.exec(message);
	if (oneOf?.[1]) return `Bitte eines davon angeben: ${oneOf[1]}.`;
	const bound = /^(Use|Give|Give a number of) at (least|most) ([\d,-]+)(?: characters| (items?))?\.$/.exec(
		message,
	);
	if (bound?.[3]) {
		const limit = bound[3].replaceAll(",", ".");
		const side = bound[2] === "least" ? "mindestens" : "höchstens";
		if (bound[1] === "Use") return `Bitte ${side} ${limit} Zeichen.`;
		if (bound[4]) return `Bitte ${side} ${limit} ${bound[4] === "item" ? "Eintrag" : "Einträge"} angeben.`;
		if (bound[1] === "Give") return `Bitte ${side} ${limit} angeben.`;
		return `Bitte eine Zahl von ${side} ${limit} angeben.`;
	}
	const topic = /^"(.*)" has no letters or digits for a topic address\.$/s.exec(message);
	if (topic?.[1] !== undefined)
		return `„${topic[1]}“ hat keine Buchstaben oder Ziffern für eine Themenadresse.`;
	const namesakes =
		/^Several speakers are called (.*): type the address of the one you mean \((.*)\)\.$/s.exec(message);
	if (namesakes?.[1] !== undefined && namesakes[2] !== undefined)
		return `Mehrere Sprecher:innen heißen ${namesakes[1]}: Bitte die Adresse der gemeinten angeben (${namesakes[2]}).`;
	const tooMany =
		/^Merged, the speaker would have (\d+) other names, and a speaker keeps at most (\d+): remove (\d+) of them first\.$/.exec(
			message,
		);
	if (tooMany)
		return `Zusammengeführt hätte der Eintrag ${tooMany[1]} weitere Namen, erlaubt sind höchstens ${tooMany[2]}: Bitte zuerst ${tooMany[3]} davon entfernen.`;
	const duplicate =
		/^The claim would then be the same as claim (\w+) \(the same words of the same speaker\): add an appearance to that one instead\.$/.exec(
			message,
		);
	if (duplicate?.[1])
		return `Die Behauptung wäre dann dieselbe wie Behauptung ${duplicate[1]} (dieselben Worte derselben Person): Fügen Sie dort eine Fundstelle hinzu.`;
	const topicAddress = /^“(.*)” is the address of another topic\. Choose another name\.$/s.exec(message);
	if (topicAddress?.[1] !== undefined)
		return `„${topicAddress[1]}“ ist die Adresse eines anderen Themas. Bitte einen anderen Namen wählen.`;
	const topicTaken = /^Another topic \(([\w-]+)\) is called “(.*)”\. Choose another name\.$/s.exec(message);
	if (topicTaken?.[1] && topicTaken[2] !== undefined)
		return `Ein anderes Thema (${topicTaken[1]}) heißt „${topicTaken[2]}“. Bitte einen anderen Namen wählen.`;
	const mergedInto = /^That claim was merged into claim (\w+): merge into that one\.$/.exec(message);
	if (mergedInto?.[1])
		return `Jene Behauptung wurde in Behauptung ${mergedInto[1]} zusammengeführt: Bitte in diese zusammenführen.`;
	const merged = /^This claim was merged into claim (\w+)( already\.|; it is not removed\.)$/.exec(message);
	if (merged?.[1])
		return `Diese Behauptung wurde bereits in Behauptung ${merged[1]} zusammengeführt${merged[2] === " already." ? "." : "; sie wird nicht entfernt."}`;
	const state = /^This verdict is (\w+), not (\w+)\.$/.exec(message);
	if (state?.[1] && state[2]) {
		// "nicht ein Entwurf" is not German: a negated "ein" is "kein".
		const not = state[2] === "draft" ? "kein Entwurf" : `nicht ${STATE_DE[state[2]] ?? state[2]}`;
		return `Diese Bewertung ist ${STATE_DE[state[1]] ?? state[1]}, ${not}.`;
	}
	return message;
}
