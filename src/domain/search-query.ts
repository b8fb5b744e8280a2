/**
 * Turns a reader's search box text into a safe FTS5 MATCH expression over `claims_fts`
 * (body, speaker, sources, terms; see domain/search-terms for `terms`).
 *
 * Supported: words, "exact phrases", prefix* (2+ letters), OR between two terms, AND
 * (the same as a space) and -word or NOT word to exclude. A word also matches its
 * Snowball stems, English and German (the query's language is unknown), in the `terms`
 * column: `wages` → `("wages" OR terms:"wage" OR terms:"wag")`. Phrases and prefixes
 * are not stemmed and match as written in every column, `terms` included (so "wage rose"
 * also finds a claim saying "wages rose", whose terms read "wage rose"); excluded words
 * are excluded as written. ß and ss are one spelling everywhere (`spellings`). Everything
 * else in FTS5's grammar is refused with a SearchSyntaxError that says what is supported, never searched as
 * words (which silently found nothing): NEAR, column filters (`body:x`, `speaker : x`,
 * `{body}:`, any `word:word` but the gender colon `Lehrer:innen`, `Lehrer:Innen`, `Schüler:innenvertretung`), parentheses and `^`. Every user string reaches FTS5
 * inside double quotes; the only unquoted syntax is the expression's own.
 */
import { foldLatinDiacritics, plainLatinLetters } from "./diacritics";
import { PERCENT_WORD, queryNumberTokens } from "./numbers";
import { withoutLayoutHints } from "./plain-text";
import { HYPHENATED, HYPHENS, OLDER_SEARCH_TERMS_MARKS } from "./search-terms";
import { stem } from "./stemming";
import { TRAILING_STARS } from "./trailing-runs";

/** A refused search, said in English (the API's message) and in German (the pages'). */
export class SearchSyntaxError extends Error {
	override name = "SearchSyntaxError";
	constructor(
		message: string,
		readonly german: string,
	) {
		super(message);
	}

	/** The message for a page in `lang`. */
	in(lang: "en" | "de"): string {
		return lang === "de" ? this.german : this.message;
	}
}

/** The longest search, counted as sent (toFtsQuery), as the API's `q` is. */
const MAX_SEARCH_LENGTH = 200;
const MAX_TERMS = 16;

/** What every refusal ends with. */
export const SEARCH_SYNTAX_HELP =
	'Search with words, "exact phrases", prefix* (two letters or more), OR between two words, and -word or NOT word to leave one out.';
const SEARCH_SYNTAX_HELP_DE =
	'Suchen Sie mit Wörtern, "genauen Phrasen", Präfix* (ab zwei Buchstaben), OR zwischen zwei Wörtern und -Wort oder NOT Wort, um eines auszuschließen.';

/** The search rules as the API documents them (OpenAPI descriptions of `q` and `query`). */
const SEARCH_SYNTAX =
	"Full-text search, diacritics-insensitive (ß is ss, in phrases and excluded words too), over the claim's text, its speaker (name, aliases), its sources (title, publisher), the words of the claims merged into it and its current published verdict's headline and summary. " +
	"A word also finds its English and German stems (wage finds wages, Lohn finds Löhne) in the claim's text and context, the merged claims' words and the verdict's headline and summary; a retracted verdict's words are no longer found. " +
	"A number also finds the same number written otherwise there: 1000 finds 1.000 and 1,000 (a separator before three digits groups thousands, unless the digits do not end in 0: 1.234 finds 1234 and 1.234), 1,5 finds 1.5; a percentage (12%, 12 %, 12 Prozent, 12 percent) finds only percentages. " +
	'Syntax: words (all must appear); "phrases" (in this order) and prefix* (2+ letters), not stemmed, matched as written in every field, the stems included; OR between two terms; AND (the same as a space); -word or NOT word to leave out claims with that word as written. ';
const REFUSED_SYNTAX =
	"NEAR, column filters (body:x, speaker : x, {body}:, any word:word but the German gender colon: Lehrer:innen, Lehrer:Innen, Schüler:innenvertretung), parentheses, ^";

/** The rules of `q` in /api/v1/claims, as its API description states them. */
export const SEARCH_RULES =
	`${SEARCH_SYNTAX}Anything else of FTS5's syntax is refused with a 422 naming this parameter: ${REFUSED_SYNTAX}. ` +
	"With sort=relevance, bm25 ranks the newest 200 matches (the most recently recorded claims), a match in the claim's text above one in its speaker, sources or stems.";

/**
 * Google's `query`: free text, as on Google. What our syntax reads is searched as `q` is;
 * anything else (NEAR, column filters, parentheses, ^, more than 16 words: a pasted claim
 * or post) is matched as a claim, the way /api/v1/claims/matches does.
 */
export const GOOGLE_QUERY_RULES = `Free text. ${SEARCH_SYNTAX}A text this syntax cannot read (${REFUSED_SYNTAX}) or longer than 16 words, such as a pasted claim or post, is matched as a claim instead (so is a search that finds nothing: every word must appear in one), as /api/v1/claims/matches matches it (German and English stems, numbers and number words; the best of at most 40 matches, paged by offset or pageToken): never a 400 for its wording. At most 1,000 characters.`;

/** The columns of claims_fts: `speaker:` and the like read as column filters. */
const FTS_COLUMNS = ["body", "speaker", "sources", "terms", "speaker_unreviewed"];

/**
 * The search as the public may make it where unreviewed claims are hidden: not by the
 * spellings a speaker merge brought from a speaker only unreviewed claims named (claims_fts
 * `speaker_unreviewed`, migration 0039; `speaker_aliases.was_public` 0), which were never
 * public and would tell whom that person was merged into. A column filter on the whole
 * expression: the `terms:` filters inside keep their column, and an excluded word is
 * excluded by the public columns only, so leaving such a spelling out tells nothing either.
 */
export function withoutUnreviewedSpellings(expression: string): string {
	return `- {speaker_unreviewed} : (${expression})`;
}
/** The languages a query word is stemmed in (the indexed claims' stems are in one of them). */
const STEM_LANGUAGES = ["en", "de"] as const;

interface Term {
	text: string;
	phrase: boolean;
	prefix: boolean;
	negated: boolean;
	or: boolean;
	/** A number's canonical tokens (domain/numbers), looked for in `terms` beside the word. */
	numbers: string[];
	/** A hyphenated word written closed ("NordKorea" for Nord-Korea), or null. */
	closed?: string | null;
}

function refuse(what: string, was: string): never {
	throw new SearchSyntaxError(`${what} ${SEARCH_SYNTAX_HELP}`, `${was} ${SEARCH_SYNTAX_HELP_DE}`);
}

/** Refuses FTS5 syntax we do not support, looking only outside "quoted phrases". */
function refuseUnsupported(outside: string): void {
	if (/[()]/.test(outside))
		refuse("Parentheses and NEAR(…) are not supported.", "Klammern und NEAR(…) werden nicht unterstützt.");
	if (/(?:^|[\s-])NEAR(?:\/\d*)?(?=\s|$|")/.test(outside))
		refuse("NEAR is not supported.", "NEAR wird nicht unterstützt.");
	const columns = FTS_COLUMNS.join("|");
	if (
		/[{}]/.test(outside) ||
		new RegExp(`(?:^|[\\s-])(?:${columns})\\s*:`, "i").test(outside) ||
		// The German gender colon is a word, as the star is: "Lehrer:innen", "Bürger:in",
		// "Lehrer:Innen", and a compound's "Schüler:innenvertretung" ("innen" and lower case).
		/\p{L}[\p{L}\p{N}_]*:(?=[\p{L}\p{N}"])(?![iI]n(?:nen\p{Ll}*)?(?![\p{L}\p{N}_]))/u.test(outside)
	) {
		refuse(
			"Column filters (like body:word) are not supported: every word is looked for in the claim, its speaker, its sources and its verdict.",
			"Feldfilter (wie body:Wort) werden nicht unterstützt: Jedes Wort wird in der Behauptung, ihrer sprechenden Person, ihren Quellen und ihrer Bewertung gesucht.",
		);
	}
	if (outside.includes("^"))
		refuse(
			"^ (first word of a column) is not supported.",
			"^ (erstes Wort eines Feldes) wird nicht unterstützt.",
		);
}

const quote = (text: string): string => `"${text.replace(/"/g, '""')}"`;

/** A word's English and German stems, each once, leaving out those the word itself already matches. */
function stemsOf(tokens: readonly string[]): string[] {
	const word = foldLatinDiacritics(tokens.join(" "));
	const found: string[] = [];
	for (const language of STEM_LANGUAGES) {
		const stemmed = tokens
			.map((token) => stem(token, language))
			.filter((s) => s !== "")
			.join(" ");
		if (
			stemmed !== "" &&
			foldLatinDiacritics(stemmed) !== word &&
			!found.some((s) => foldLatinDiacritics(s) === foldLatinDiacritics(stemmed))
		)
			found.push(stemmed);
	}
	return found;
}

/**
 * A term as written, in its other spellings of ß and ss (at most six), and each of those with
 * ł, ø, đ spelt plainly (domain/diacritics). The stems fold ß to ss (German Snowball), but
 * unicode61 keeps ß inside a token, so a phrase, a prefix, an
 * excluded word and a word in a column that is not stemmed (speaker, sources) would tell
 * "Straße" from "Strasse". Which ss was an ß cannot be told ("Masse", "Maße": one word to
 * the stems already), so each ss may be one, every combination of the first two; a prefix
 * ending in one s may end in ß ("stras*" is "straß*" too).
 */
function spellings(term: Term): string[] {
	const folded = term.text.toLowerCase().replaceAll("ß", "ss");
	const at = [...folded.matchAll(/ss/g)].map((m) => m.index);
	const found = [term.text.toLowerCase(), folded];
	for (let mask = 1; mask < 1 << Math.min(at.length, 2); mask++)
		found.push(
			at.reduceRight(
				(text, i, n) => (mask & (1 << n) ? `${text.slice(0, i)}ß${text.slice(i + 2)}` : text),
				folded,
			),
		);
	if (term.prefix && /[^s]s$/.test(folded)) found.push(`${folded.slice(0, -1)}ß`);
	// "Łódź" is also "Lodz" (domain/diacritics): as written elsewhere, and in `search_terms`.
	for (const text of [...found]) found.push(plainLatinLetters(text));
	return [term.text, ...new Set(found.filter((text) => text !== term.text.toLowerCase()))];
}

/** A term as written (in each of its spellings of ß and ss), a prefix with its star. */
function written(term: Term): string[] {
	return spellings(term).map((text) => `${quote(text)}${term.prefix ? " *" : ""}`);
}

function positive(term: Term, tokens: readonly string[]): string {
	const asWritten = written(term);
	const kept =
		term.phrase || term.prefix || term.numbers.length === 0 ? asWritten : numberAsWritten(term, asWritten);
	const alternatives =
		term.phrase || term.prefix
			? kept
			: [...kept, ...[...stemsOf(tokens), ...term.numbers].map((s) => `terms:${quote(s)}`), ...closed(term)];
	return alternatives.length === 1 ? (alternatives[0] ?? "") : `(${alternatives.join(" OR ")})`;
}

/*
 * "Nord-Korea" also as "Nordkorea": as written in every column and by its stems in `terms`,
 * where a claim's hyphenated words are held closed too (domain/search-terms), so the two
 * spellings meet either way round.
 */
function closed(term: Term): string[] {
	if (!term.closed) return [];
	const stems = STEM_LANGUAGES.map((language) => stem(term.closed ?? "", language)).filter((s) => s !== "");
	return [quote(term.closed), ...new Set(stems)].map((s, i) => (i === 0 ? s : `terms:${quote(s)}`));
}

/** The columns whose words `terms` does not hold: a number there has no token. */
const UNSTEMMED_COLUMNS = "{speaker sources speaker_unreviewed}";

/*
 * Where a number is looked for as written beside its token. FTS5 splits "300.000" into "300"
 * and "000", so as written everywhere `300` found 300,000 and `2` found "2,5 Prozent". A year
 * has no token in a claim (domain/numbers) and is found as written; a percentage only by its
 * token ("12 %" as written is any 12); any other number as written only where its token
 * cannot reach: a speaker's name and a source's title (not in the terms), and the claims whose
 * terms an older version wrote, until the cron's turn (README, "Search").
 */
function numberAsWritten(term: Term, asWritten: string[]): string[] {
	if (/^(?:19|20)\d\d$/.test(term.text)) return asWritten;
	if (term.numbers.some((n) => n.endsWith("pct"))) return [];
	const words = asWritten.length === 1 ? (asWritten[0] ?? "") : `(${asWritten.join(" OR ")})`;
	const out = [`${UNSTEMMED_COLUMNS} : ${words}`];
	if (OLDER_SEARCH_TERMS_MARKS.length > 0) {
		const older = OLDER_SEARCH_TERMS_MARKS.map((mark) => `terms : ${quote(mark)}`).join(" OR ");
		out.push(`(${words} AND (${older}))`);
	}
	return out;
}

/*
 * Typographic quotation marks, as German keyboards, phones' auto-correct and the site's own
 * pages („…“) write them, with the mark that closes each. A pair is a phrase as "…" is; a
 * mark left alone stays punctuation. Single ‘…’ are left out: ’ is also the apostrophe.
 */
const QUOTE_PAIRS: readonly [open: string, close: string][] = [
	["„", '“”"'],
	["“", '”"'],
	["”", "”"],
	["«", '»"'],
	["»", '«"'],
	["‚", "‘’"],
	// Last: a straight mark closed by a typographic one ("Wir schaffen das“), as a phone's
	// auto-correct leaves one end of a pair; a typographic one closed by a straight one is above.
	['"', "“”«»"],
];
const QUOTE_MARKS = "„“”«»‚‘";

/** "nach Straße" however it is quoted: „…“, “…”, ”…”, «…», »…«, ‚…‘, and „…", "…“ and the like. */
function straightQuotes(text: string): string {
	let out = text;
	for (const [open, close] of QUOTE_PAIRS) {
		const pair = new RegExp(`${open}([^"${QUOTE_MARKS}]*)[${close}]`, "gu");
		out = out.replace(pair, '"$1"');
	}
	return out;
}

/** A search longer than MAX_SEARCH_LENGTH characters, refused. */
function searchTooLong(): SearchSyntaxError {
	return new SearchSyntaxError(
		`Search for at most ${MAX_SEARCH_LENGTH} characters.`,
		`Suchen Sie nach höchstens ${MAX_SEARCH_LENGTH} Zeichen.`,
	);
}

export function toFtsQuery(input: string): string {
	// Counted as sent first, as the API's q is (zod): cleaning (NFC, layout hints) is quadratic
	// in ICU on a long run of combining marks, so a search of any length cost CPU before its
	// refusal; every search box (the public pages, the desk, Google's `query`) now counts alike.
	if (input.length > MAX_SEARCH_LENGTH) throw searchTooLong();
	let text = straightQuotes(withoutLayoutHints(input.normalize("NFC")).trim());
	if (text.length === 0) throw new SearchSyntaxError("The search is empty.", "Die Suche ist leer.");
	if (text.length > MAX_SEARCH_LENGTH) throw searchTooLong();
	if ((text.match(/"/g) ?? []).length % 2 === 1)
		refuse("A quotation mark is not closed.", "Ein Anführungszeichen ist nicht geschlossen.");
	text = withSpaceGroupsJoined(text);
	// Phrases are emptied, not removed: `body:"x"` must still read as a column filter.
	refuseUnsupported(text.replace(/"[^"]*"/g, '""'));
	const terms: (Term & { tokens: string[] })[] = [];
	let pending: "OR" | "AND" | "NOT" | null = null;
	for (const match of text.matchAll(/(-?)"([^"]*)"(\*?)|(\S+)/g)) {
		const [, neg, phraseText, phraseStar, word] = match;
		if (word === "OR" || word === "AND" || word === "NOT") {
			if (pending !== null)
				refuse(`${pending} ${word} is not a search.`, `${pending} ${word} ist keine Suche.`);
			if (word !== "NOT" && terms.length === 0)
				refuse(`${word} needs a word on each side.`, `${word} braucht auf jeder Seite ein Wort.`);
			pending = word;
			continue;
		}
		const negated = neg === "-" || (word?.startsWith("-") ?? false) || pending === "NOT";
		// "12 %", "12 Prozent", "12 percent": the number before is a percentage.
		const before = terms.at(-1);
		if (word && PERCENT_WORD.test(word) && pending === null && before && isPlainNumber(before)) {
			before.numbers = before.numbers.map((n) => `${n}pct`);
			continue;
		}
		// OR joins two words that may appear: beside an excluded one it would join another.
		if (pending === "OR" && (negated || terms.at(-1)?.negated))
			refuse("OR needs a wanted word on each side.", "OR braucht auf jeder Seite ein gesuchtes Wort.");
		const raw = phraseText ?? word?.replace(/^-/, "") ?? "";
		const prefix = phraseStar === "*" || raw.endsWith("*");
		const body = raw.replace(TRAILING_STARS, "");
		const tokens = body.match(/[\p{L}\p{N}]+/gu) ?? [];
		if (tokens.length === 0) {
			if (raw.includes("*"))
				throw new SearchSyntaxError(
					"A * needs letters before it, like kurs*.",
					"Vor einem * müssen Buchstaben stehen, etwa kurs*.",
				);
			continue;
		}
		if (prefix && (tokens.at(-1)?.length ?? 0) < 2) {
			throw new SearchSyntaxError(
				"Put at least two letters before a *.",
				"Setzen Sie mindestens zwei Buchstaben vor einen *.",
			);
		}
		terms.push({
			text: tokens.join(" "),
			tokens: stemWords(phraseText, body),
			phrase: phraseText !== undefined,
			prefix,
			negated,
			or: pending === "OR",
			numbers: phraseText === undefined && !prefix && !negated ? queryNumberTokens(body) : [],
			closed:
				phraseText === undefined && !prefix && !negated && body.match(HYPHENATED)?.[0] === body
					? body.replace(HYPHENS, "")
					: null,
		});
		pending = null;
	}
	if (pending !== null)
		refuse(
			`${pending} needs a word ${pending === "NOT" ? "after it" : "on each side"}.`,
			`${pending} braucht ${pending === "NOT" ? "danach ein Wort" : "auf jeder Seite ein Wort"}.`,
		);
	if (terms.length === 0)
		throw new SearchSyntaxError("Search for at least one word.", "Suchen Sie nach mindestens einem Wort.");
	if (terms.length > MAX_TERMS)
		throw new SearchSyntaxError(
			`Search for at most ${MAX_TERMS} words.`,
			`Suchen Sie nach höchstens ${MAX_TERMS} Wörtern.`,
		);
	if (terms.every((t) => t.negated))
		throw new SearchSyntaxError(
			"Name at least one word that must appear.",
			"Nennen Sie mindestens ein Wort, das vorkommen muss.",
		);

	// OR joins the two terms beside it, and every group must appear: `a OR b c` is
	// (a OR b) AND c. FTS5 binds NOT tighter than AND, and AND tighter than OR, so groups
	// are parenthesised, and so is the whole before the excluded terms (NOT is binary and
	// goes last): `jobs OR wages -rents` is (jobs OR wages) NOT rents, not jobs OR (wages
	// NOT rents), which let claims with "rents" through.
	const groups: string[][] = [];
	for (const term of terms.filter((t) => !t.negated)) {
		const part = positive(term, term.tokens);
		const last = groups.at(-1);
		if (term.or && last) last.push(part);
		else groups.push([part]);
	}
	const grouped = groups.map((group) => (group.length > 1 ? `(${group.join(" OR ")})` : (group[0] ?? "")));
	let expression = grouped.join(" AND ");
	const excluded = terms.filter((t) => t.negated);
	if (excluded.length > 0 && grouped.length > 1) expression = `(${expression})`;
	for (const term of excluded)
		for (const spelling of written(term)) expression = `${expression} NOT ${spelling}`;
	return expression;
}

/*
 * A number grouped by spaces of any width ("10 000", "10\u202f000") outside a phrase, or the
 * phrase itself: the phrase stays, the number becomes one word ("10000"), as the index reads
 * it (domain/numbers), not the two words "10" and "000". Not after a digit, so "2023 300" is
 * a year and a number.
 */
const SPACE_GROUPED = /"[^"]*"|(?<![\p{N}.,])\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?!\p{N})/gu;

function withSpaceGroupsJoined(text: string): string {
	return text.replace(SPACE_GROUPED, (match) => (match.startsWith('"') ? match : match.replace(/\D/g, "")));
}

/* A wanted number as written, not yet a percentage: what a following "%" or "Prozent" makes one. */
function isPlainNumber(term: Term): boolean {
	return term.numbers.length > 0 && !term.negated && !term.numbers.some((n) => n.endsWith("pct"));
}

/** The words a plain search word is stemmed as: split like the indexed text (apostrophes kept inside a word). */
function stemWords(phraseText: string | undefined, body: string): string[] {
	if (phraseText !== undefined) return [];
	return body.match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['\u2019][\p{L}\p{M}\p{N}]+)*/gu) ?? [];
}
