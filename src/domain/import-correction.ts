import { getRating, isRatingKey, type RatingKey, type UiLanguage } from "./ratings";

/**
 * The correction note of a verdict an import published over an earlier one: what changed,
 * stored as a fixed marker of rating keys and part names ("Updated by import: rating false
 * → half-true; headline"), the words imports have always written, so the notes stored
 * before read the same. It is no one's prose: every surface (the claim page, the desk, the
 * feed, the claim JSON and so its webhooks) renders it in its reader's language with the
 * ratings' labels, where it had read as an English note tagged with the verdict's language
 * (`<bdi lang="de">Updated by import: rating false → half-true</bdi>`). A note any other
 * text is an editor's, shown as written.
 */

export const IMPORT_CORRECTION_NOTE = "Updated by import";

const PARTS = ["original rating", "headline", "summary", "review link", "language"] as const;
type Part = (typeof PARTS)[number];

/** One change an import's correction made: the rating (from → to), or a part of the review. */
export type ImportChange = Part | { from: RatingKey; to: RatingKey };

/** Each part as a change ("headline changed"): a bare field name ended the note as if cut off. */
const WORDS: Record<UiLanguage, { updated: string; rating: string } & Record<Part, string>> = {
	en: {
		updated: "Updated by import",
		rating: "rating",
		"original rating": "original rating changed",
		headline: "headline changed",
		summary: "summary changed",
		"review link": "review link changed",
		language: "language changed",
	},
	de: {
		updated: "Aktualisiert durch Import",
		rating: "Bewertung",
		"original rating": "Originalbewertung geändert",
		headline: "Überschrift geändert",
		summary: "Zusammenfassung geändert",
		"review link": "Link zur Prüfung geändert",
		language: "Sprache geändert",
	},
};

/** The stored note of an import's correction (a first verdict's is the marker alone). */
export function importCorrectionNote(changes: readonly ImportChange[]): string {
	const parts = changes.map((c) => (typeof c === "string" ? c : `rating ${c.from} → ${c.to}`));
	return parts.length > 0 ? `${IMPORT_CORRECTION_NOTE}: ${parts.join("; ")}` : IMPORT_CORRECTION_NOTE;
}

const RATING_CHANGE = /^rating (\S+) → (\S+)$/;

/** The changes a stored note names, or null when it is not an import's (an editor's words). */
function readImportCorrection(note: string): ImportChange[] | null {
	if (note === IMPORT_CORRECTION_NOTE) return [];
	const prefix = `${IMPORT_CORRECTION_NOTE}: `;
	if (!note.startsWith(prefix)) return null;
	const changes: ImportChange[] = [];
	for (const part of note.slice(prefix.length).split("; ")) {
		const rating = RATING_CHANGE.exec(part);
		if (rating && isRatingKey(rating[1]) && isRatingKey(rating[2]))
			changes.push({ from: rating[1], to: rating[2] });
		else if ((PARTS as readonly string[]).includes(part)) changes.push(part as Part);
		else return null;
	}
	return changes;
}

/**
 * A correction note as a reader of `lang` reads it: an import's in their words (`ours`:
 * in the page's language, not the verdict's), anyone else's as written.
 */
export function readableCorrectionNote(note: string, lang: UiLanguage): { text: string; ours: boolean } {
	const changes = readImportCorrection(note.trim());
	if (changes === null) return { text: note, ours: false };
	const words = WORDS[lang];
	const parts = changes.map((c) =>
		typeof c === "string"
			? words[c]
			: `${words.rating} ${getRating(c.from).labels[lang]} → ${getRating(c.to).labels[lang]}`,
	);
	return { text: parts.length > 0 ? `${words.updated}: ${parts.join("; ")}` : words.updated, ours: true };
}

/** `readableCorrectionNote`'s text, for surfaces without a language of the note's own (JSON, the feed). */
export function correctionNoteText(note: string | null, lang: UiLanguage): string | null {
	return note === null ? null : readableCorrectionNote(note, lang).text;
}
