/**
 * A source's authors, stored as one text (sources.author: the desk's one field, the API's and
 * an import's `author`), as the people ClaimReview names one by one. Several authors are
 * written separated by semicolons ("Anna Beispiel; Jonas Muster"): the article reader writes
 * them so, and a semicolon is in no one's name. A comma is, in a name written surname first
 * ("Müller, Anna"), so a comma separates people only where each part is a name of its own
 * (two words or more: "Anna Beispiel, Jonas Muster", as the reader wrote lists until session
 * 35), and so does a byline's "und", "and" or "&" ("Anna Beispiel und Jonas Muster"). A part
 * of one word keeps the text whole ("Müller, Anna" one person, "Simon & Schuster" one name):
 * two people published as one is the old mistake, one person cut in two a new one.
 */

/** How the reader joins the names it found, and how a person writes several in the desk's field. */
export const AUTHOR_SEPARATOR = "; ";

/** ClaimReview names no more than this many authors of one source (the reader keeps as many). */
export const MAX_AUTHORS = 10;

const CONJUNCTION = /\s+(?:und|and|&)\s+/u;
const COMMA = /\s*,\s*/u;

const isName = (part: string) => part.split(/\s+/u).filter(Boolean).length >= 2;

/** `text` cut at `separator` when every piece is a name of its own, else whole. */
function splitIfNames(text: string, separator: RegExp): string[] {
	const parts = text.split(separator).map((part) => part.trim());
	return parts.length > 1 && parts.every(isName) ? parts : [text];
}

/** The people of one byline: "A und B", "A, B and C"; a name with a comma in it stays whole. */
function bylineNames(byline: string): string[] {
	return splitIfNames(byline, CONJUNCTION).flatMap((part) => splitIfNames(part, COMMA));
}

/** The people a stored author text names, each once, in its order, at most MAX_AUTHORS. */
export function authorNames(text: string | null | undefined): string[] {
	const names: string[] = [];
	for (const part of (text ?? "").split(";")) {
		for (const name of bylineNames(part.trim())) {
			if (name !== "" && !names.includes(name)) names.push(name);
		}
	}
	return names.slice(0, MAX_AUTHORS);
}
