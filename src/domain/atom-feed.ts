/**
 * Atom 1.0 (RFC 4287) feeds of published verdicts. Pure string building: every value from
 * users passes through `xmlText` / `xmlAttr`, which also drop what XML 1.0 cannot carry,
 * so one odd character in a quote cannot make the whole feed unreadable.
 */
import type { Claim, Speaker, Verdict } from "../db/schema";
import { correctionNoteText } from "./import-correction";
import { getRating, type UiLanguage } from "./ratings";
import { removedAppearanceText } from "./removed-appearance";
import { quoteMarks, shortQuote } from "./typography";

export const ATOM_NAMESPACE = "http://www.w3.org/2005/Atom";

export interface AtomEntry {
	/** A permanent IRI: a `tag:` URI (see `tagUri`) or a URL that never changes. */
	id: string;
	title: string;
	/** The entry's own page (`rel="alternate"`): what the entry says, for as long as it is read. */
	url: string;
	/** A page the entry belongs to (`rel="related"`): its claim's, which shows what stands now. */
	relatedUrl?: string;
	/** RFC 3339 timestamp; a date alone counts as midnight UTC. */
	updated: string;
	published: string;
	/** Plain text. */
	summary: string;
	content?: string;
	/** How readers treat `content`; plain text unless the caller vouches for (sanitised) HTML. */
	contentType?: "html" | "text";
	/** Category terms. */
	categories?: string[];
	authorName?: string;
	/** Where the entry's content comes from (`rel="via"`): another publisher's own review. */
	viaUrl?: string;
	/** The language of `content` (the verdict's own text), when it is not the feed's. */
	lang?: string;
}

export interface AtomFeedInput {
	id: string;
	title: string;
	selfUrl: string;
	siteUrl: string;
	updated: string;
	author: { name: string; uri: string };
	entries: AtomEntry[];
	/** Language of the feed's text (xml:lang), e.g. "de". */
	lang?: string;
	subtitle?: string;
}

/*
 * XML 1.0 §2.2 forbids C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF; it
 * discourages DEL, the C1 controls and the other noncharacters, which XML 1.1 readers
 * reject raw. None of them carries meaning in a quote or title, so all are dropped.
 */
function isDropped(code: number): boolean {
	return (
		(code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
		(code >= 0x7f && code <= 0x9f) ||
		(code >= 0xfdd0 && code <= 0xfdef) ||
		(code & 0xfffe) === 0xfffe
	);
}

function xmlEscape(value: string, inAttribute: boolean): string {
	let out = "";
	// for…of walks code points: a lone surrogate arrives alone, a valid pair arrives whole.
	for (const ch of value) {
		const code = ch.codePointAt(0) ?? 0;
		if (ch === "&") out += "&amp;";
		else if (ch === "<") out += "&lt;";
		else if (ch === ">") out += "&gt;";
		else if (ch === '"') out += "&quot;";
		else if (ch === "'") out += "&apos;";
		// Parsers turn a raw CR into LF, and raw tab/LF in attributes into spaces.
		else if (ch === "\r") out += "&#xD;";
		else if (inAttribute && ch === "\n") out += "&#xA;";
		else if (inAttribute && ch === "\t") out += "&#x9;";
		else if (code >= 0xd800 && code <= 0xdfff) out += "\uFFFD";
		else if (!isDropped(code)) out += ch;
	}
	return out;
}

/** Text content safe for any XML element. */
export function xmlText(value: string): string {
	return xmlEscape(value, false);
}

/** An attribute value safe between double (or single) quotes. */
export function xmlAttr(value: string): string {
	return xmlEscape(value, true);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/* SQLite's datetime() and strftime output without a zone; the database keeps UTC. */
const SQLITE_UTC = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?$/;

/**
 * An RFC 3339 date-time, which Atom requires. Throws a RangeError for text that is no
 * date at all: a feed with an invalid date is rejected whole by strict readers.
 */
export function rfc3339(value: string): string {
	const text = value.trim();
	if (RFC3339.test(text)) return text.toUpperCase();
	if (DATE_ONLY.test(text)) return `${text}T00:00:00Z`;
	const sqlite = SQLITE_UTC.exec(text);
	if (sqlite) return `${sqlite[1]}T${sqlite[2]}${sqlite[3] ?? ":00"}Z`;
	const parsed = Date.parse(text);
	if (Number.isNaN(parsed)) throw new RangeError(`not a date: ${JSON.stringify(value.slice(0, 40))}`);
	return new Date(parsed).toISOString();
}

type Attrs = Record<string, string | undefined>;

function element(name: string, attrs: Attrs, text?: string): string {
	const attributes = Object.entries(attrs)
		.filter((entry): entry is [string, string] => entry[1] !== undefined)
		.map(([key, value]) => ` ${key}="${xmlAttr(value)}"`)
		.join("");
	return text === undefined ? `<${name}${attributes}/>` : `<${name}${attributes}>${xmlText(text)}</${name}>`;
}

function entryXml(entry: AtomEntry): string {
	const lines = [
		element("id", {}, entry.id),
		element("title", { type: "text" }, entry.title),
		element("link", { rel: "alternate", type: "text/html", href: entry.url }),
		...(entry.relatedUrl
			? [element("link", { rel: "related", type: "text/html", href: entry.relatedUrl })]
			: []),
		...(entry.viaUrl ? [element("link", { rel: "via", type: "text/html", href: entry.viaUrl })] : []),
		element("published", {}, rfc3339(entry.published)),
		element("updated", {}, rfc3339(entry.updated)),
		...(entry.authorName ? [`<author>${element("name", {}, entry.authorName)}</author>`] : []),
		...(entry.categories ?? []).map((term) => element("category", { term })),
		// The summary mixes the feed's words ("Correction:") with the verdict's: the feed's language.
		element("summary", { type: "text" }, entry.summary),
		...(entry.content === undefined
			? []
			: [element("content", { type: entry.contentType ?? "text", "xml:lang": entry.lang }, entry.content)]),
	];
	return `\t<entry>\n${lines.map((l) => `\t\t${l}\n`).join("")}\t</entry>\n`;
}

/** The feed document, UTF-8 (serve it as `application/atom+xml; charset=utf-8`). */
export function atomFeed(input: AtomFeedInput): string {
	const head = [
		element("id", {}, input.id),
		element("title", { type: "text" }, input.title),
		...(input.subtitle ? [element("subtitle", { type: "text" }, input.subtitle)] : []),
		element("updated", {}, rfc3339(input.updated)),
		element("link", { rel: "self", type: "application/atom+xml", href: input.selfUrl }),
		element("link", { rel: "alternate", type: "text/html", href: input.siteUrl }),
		`<author>${element("name", {}, input.author.name)}${element("uri", {}, input.author.uri)}</author>`,
	];
	return (
		'<?xml version="1.0" encoding="utf-8"?>\n' +
		`<feed xmlns="${ATOM_NAMESPACE}"${input.lang ? ` xml:lang="${xmlAttr(input.lang)}"` : ""}>\n` +
		head.map((l) => `\t${l}\n`).join("") +
		input.entries.map(entryXml).join("") +
		"</feed>\n"
	);
}

/*
 * Tag URIs (RFC 4151) name entries independently of where the site lives later. The date
 * is part of every id ever published: changing it would make readers show each entry anew.
 */
const TAG_DATE = "2025";

/** `tag:host,2025:specific`, with the host of `siteUrl`. */
export function tagUri(siteUrl: string, specific: string, date: string = TAG_DATE): string {
	const host = new URL(siteUrl).hostname.toLowerCase();
	// RFC 4151 `specific` allows pchar, "/" and "?": percent-encode everything else.
	// With the u flag only lone surrogates match here; encodeURIComponent throws on them.
	const safe = specific
		.replace(/[\uD800-\uDFFF]/gu, "\uFFFD")
		.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]/gu, (c) => encodeURIComponent(c));
	return `tag:${host},${date}:${safe}`;
}

/** One id per verdict: a correction is a new verdict, so readers see it as a new entry. */
export function verdictEntryId(siteUrl: string, verdictId: string): string {
	return tagUri(siteUrl, `verdict/${verdictId}`);
}

const WORDS: Record<
	UiLanguage,
	{
		correction: string;
		retracted: string;
		superseded: string;
		retractionReason: string;
		claimChanged: string;
		appearanceRemoved: string;
		checkedBy: string;
	}
> = {
	en: {
		correction: "Correction",
		retracted: "Retracted",
		superseded: "Superseded",
		retractionReason: "Reason for retraction",
		claimChanged: "Claim changed",
		appearanceRemoved: "Appearance removed:",
		checkedBy: "Checked by",
	},
	de: {
		correction: "Korrektur",
		retracted: "Zurückgezogen",
		superseded: "Ersetzt",
		retractionReason: "Grund der Rücknahme",
		claimChanged: "Behauptung geändert",
		appearanceRemoved: "Fundstelle entfernt:",
		checkedBy: "Geprüft von",
	},
};

export interface VerdictEntrySubject {
	verdict: Pick<
		Verdict,
		| "id"
		| "rating"
		| "headline"
		| "summary"
		| "body"
		| "state"
		| "correctionNote"
		| "retractionNote"
		| "supersedesId"
		| "publishedAt"
		| "retractedAt"
		| "language"
		| "updatedAt"
	>;
	/**
	 * `updatedAt`: its last public change (domain/public-change), which no entry follows;
	 * `changedAt`: its last one that was no review and that its standing entry shows
	 * (store/public-changes `entryChange`), which it does; `quotedAt`: the last of those that
	 * its entries no longer standing show too (`quoteChange`), which they do.
	 */
	claim: Pick<Claim, "text" | "language" | "status" | "reviewedAt" | "updatedAt" | "changedAt" | "quotedAt">;
	speaker: Pick<Speaker, "name"> | null;
	/**
	 * The claim's last public change (claim_changes), if any: it updates the claim's standing
	 * entry. `field` and `from` say what a removed appearance named (field "appearance").
	 */
	claimChange?: { at: string; note: string | null; field?: string | null; from?: string | null } | null;
	/**
	 * Another publisher whose review this verdict is (imported; domain/review-attribution
	 * `creditFor`): the entry's author, named in its summary, its review the `via` link.
	 * Null or absent for ours, which the feed's own author covers.
	 */
	checkedBy?: { name: string; reviewUrl: string } | null;
}

/**
 * The entry that stands for a claim now: its published verdict, or, while it is
 * retracted, the verdict whose retraction made it so (the claim's `reviewedAt` is that
 * retraction's time; verdicts withdrawn in earlier rounds are history). A public change of
 * the claim updates that entry; other versions keep their time.
 */
function isStandingEntry(
	verdict: { state: string; retractedAt: string | null },
	claim: { status: string; reviewedAt: string | null },
): boolean {
	if (verdict.state === "published") return true;
	return (
		verdict.state === "retracted" && claim.status === "retracted" && verdict.retractedAt === claim.reviewedAt
	);
}

/** The entry's own time: its publication, or its retraction once withdrawn. */
function ownTime(verdict: VerdictEntrySubject["verdict"]): string {
	return (
		(verdict.state === "retracted" && verdict.retractedAt ? verdict.retractedAt : verdict.publishedAt) ?? ""
	);
}

/**
 * When an entry last changed: its publication or retraction, or for the claim's standing
 * entry a later public change of its claim that the entry shows (`changedAt`,
 * store/public-changes `entryChange`: its words edited, its speaker renamed or merged, an
 * appearance removed, each with its note). Its title (the quote, the speaker's name) and
 * summary change with such writes, and a reader is told of every one of them. Not a change
 * that leaves the entry as it was (a topic, a speaker's description, an appearance added):
 * the claim's `updatedAt` dates those for its page and JSON-LD, but the feed shows its 50
 * newest entries, and 50 entries moved up for a topic's new name pushed a retraction out.
 * An entry no longer standing has the time it had then, never an earlier one (RFC 4287:
 * `updated` never goes back): the verdict's `updatedAt`, which its supersession writes (its
 * title becomes "Superseded: …", a change readers must see) and a publication after its
 * retraction raises to the claim's `changedAt` before it (store/verdicts
 * `keepWithdrawnEntryTime`). Its title still quotes the claim's words and speaker as they
 * are now, so it moves with the claim's last change of those (`quotedAt`: its words or
 * language, its speaker's name, whom it is credited to without one) when that came later:
 * an edit after the correction retitles the superseded entry too. Not with `changedAt`,
 * which its context or date said edited, or an appearance removed, also move, none of which
 * such an entry shows: feed readers announced "Superseded: …" again with nothing new, in
 * slots of the 50. Nor with the claim's `updatedAt`, which a later correction or retraction
 * also moves, and which changes none of this entry's words.
 */
export function entryUpdated(
	subject: Pick<VerdictEntrySubject, "verdict" | "claim" | "claimChange">,
): string {
	const { verdict, claim, claimChange } = subject;
	const own = ownTime(verdict);
	// Since its version was written: an imported review's `publishedAt` is its publisher's date.
	const since = claim.changedAt && claim.changedAt > verdict.updatedAt ? claim.changedAt : "";
	const times = isStandingEntry(verdict, claim)
		? [own, claimChange?.at ?? "", since]
		: [own, verdict.updatedAt, claim.quotedAt ?? ""];
	return times.sort().at(-1) ?? own;
}

/**
 * Whether a change row's time is the entry's `updated`. Rows written before session 21 took
 * another clock than the claim's `updated_at` in the same batch, a few milliseconds apart
 * (1–3 measured): within 50 ms they are one write. A later write (a rename) is its own
 * request, which takes longer than that.
 */
function datesEntry(changeAt: string, updated: string): boolean {
	const gap = Date.parse(updated) - Date.parse(changeAt);
	return gap >= 0 && gap < 50;
}

/**
 * The feed entry of a public verdict; null for drafts (never public). Titles are in the
 * feed's language `lang`: `False: „quote…“ — Speaker`, prefixed "Correction:" when the
 * verdict corrects an earlier one and "Superseded:" once a correction replaced it. A
 * retraction updates the verdict's existing entry (same id, new `updated`) rather than
 * adding one, and that entry no longer carries what was withdrawn: `Retracted: „quote…“ —
 * Speaker`, the reason, and the category `retracted`, as the claim's badge, page, JSON-LD
 * and Google answer say no rating (the version's own page keeps the withdrawn text).
 * Its link is that version's own page (`versionUrl`), which says what the entry says however
 * the claim goes on; the claim's page is `related`. Linked to the claim's page, a "Superseded:
 * False" entry led to a page leading with the correction, or with a retraction.
 */
export function verdictAtomEntry(
	subject: VerdictEntrySubject,
	options: { claimUrl: string; versionUrl: string; siteUrl: string; lang: UiLanguage },
): AtomEntry | null {
	const { verdict, claim, speaker } = subject;
	if (verdict.state === "draft" || !verdict.publishedAt) return null;
	const words = WORDS[options.lang];
	const retracted = verdict.state === "retracted";
	const correction = verdict.supersedesId !== null;
	const [open, close] = quoteMarks(claim.language);
	const speakerName = speaker ? shortQuote(speaker.name) : "";
	const prefix = retracted
		? `${words.retracted}: `
		: verdict.state === "superseded"
			? `${words.superseded}: `
			: correction
				? `${words.correction}: `
				: "";
	const title =
		prefix +
		(retracted ? "" : `${getRating(verdict.rating).labels[options.lang]}: `) +
		`${open}${shortQuote(claim.text)}${close}` +
		(speakerName ? ` — ${speakerName}` : "");
	const retraction = retracted ? verdict.retractionNote?.trim() : undefined;
	// An import's note in the feed's words, like the rest of the summary (domain/import-correction).
	const correctionNote =
		correction && !retracted ? correctionNoteText(verdict.correctionNote, options.lang)?.trim() : undefined;
	const updated = entryUpdated(subject);
	const change = subject.claimChange;
	const changeNote =
		change && showsChange(verdict, claim, change, updated) ? changeInWords(change, words) : undefined;
	// A retraction is ours: the withdrawn entry credits nobody else with it.
	const theirs = retracted ? null : (subject.checkedBy ?? null);
	const summary = [
		theirs ? `${words.checkedBy} ${theirs.name}` : undefined,
		changeNote ? `${words.claimChanged}: ${changeNote}` : undefined,
		retraction ? `${words.retractionReason}: ${retraction}` : undefined,
		correctionNote ? `${words.correction}: ${correctionNote}` : undefined,
		retracted ? undefined : verdict.headline.trim(),
		retracted ? undefined : verdict.summary?.trim(),
	]
		.filter((part): part is string => Boolean(part))
		.join("\n\n");
	const body = retracted ? undefined : verdict.body?.trim();
	return {
		id: verdictEntryId(options.siteUrl, verdict.id),
		title,
		url: options.versionUrl,
		relatedUrl: options.claimUrl,
		published: verdict.publishedAt,
		updated,
		summary,
		...(body ? { content: body, contentType: "text" as const } : {}),
		categories: [retracted ? "retracted" : verdict.rating],
		...(theirs ? { authorName: theirs.name, viaUrl: theirs.reviewUrl } : {}),
		// The verdict's words are in its language, whatever the feed's (German headlines read as English).
		lang: verdict.language,
	};
}

/**
 * Whether the entry tells of the claim's last public change. The claim's words were changed
 * since this version came out: its standing entry says how, while that change is what last
 * updated it. A later change with no words of its own (a topic or speaker renamed, a
 * duplicate merged in) must not re-announce an older note as new. A retraction's entry that
 * stood for the claim when the change was made keeps telling of it once a publication ends
 * its standing: store/verdicts `keepWithdrawnEntryTime` keeps its `updated` then (the
 * verdict's `updatedAt`, raised to the change's time), and an entry that does not move says
 * what it said (until session 31 it lost the note, `updated` unchanged). A change after that
 * publication is the new standing entry's to tell; a superseded entry's title changed at its supersession, past
 * any note it told.
 */
function showsChange(
	verdict: VerdictEntrySubject["verdict"],
	claim: VerdictEntrySubject["claim"],
	change: NonNullable<VerdictEntrySubject["claimChange"]>,
	updated: string,
): boolean {
	if (change.at <= ownTime(verdict) || !datesEntry(change.at, updated)) return false;
	if (isStandingEntry(verdict, claim)) return true;
	return verdict.state === "retracted" && change.at <= verdict.updatedAt;
}

/**
 * What the entry says of a public change of its claim: the editor's note, and for a
 * removed appearance which source it was ("Appearance removed: Title (host)"), since the
 * note alone would not say which outlet the claim no longer names.
 */
function changeInWords(
	change: NonNullable<VerdictEntrySubject["claimChange"]>,
	words: (typeof WORDS)[UiLanguage],
): string | undefined {
	const note = change.note?.trim();
	if (change.field !== "appearance") return note;
	const removed = `${words.appearanceRemoved} ${removedAppearanceText(change.from ?? null)}`;
	return note ? `${removed} — ${note}` : removed;
}
