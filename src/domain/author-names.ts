/**
 * A source's authors, stored as one text (sources.author: the desk's one field, the API's and
 * an import's `author`), as the people ClaimReview names one by one. Several authors are
 * written separated by semicolons ("Anna Beispiel; Jonas Muster"): the article reader and the
 * ClaimReview importer write them so, the desk's hint, the OpenAPI document and README say so,
 * and a semicolon is in no one's name. Publication cuts a stored text at semicolons only: a
 * comma or an "and" is in names ("García Márquez, Gabriel José", "U.S. Department of Health
 * and Human Services", "Anna Beispiel, Korrespondentin in Moskau"), typed by people and stored
 * before s35, and a guess there published one name as several Persons while the page, the JSON
 * API and webhooks show it whole (s35 r362). A text with a comma between two people ("Anna
 * Beispiel, Jonas Muster", as the reader wrote lists until s35) stays one Person, as it was.
 *
 * Only the reader guesses, and only in a byline a page gives as one text (`bylineNames`):
 * the checker sees what it read on the intake's "Published by" line before recording.
 */

/** How the reader joins the names it found, and how a person writes several in the desk's field. */
export const AUTHOR_SEPARATOR = "; ";

/** ClaimReview names no more than this many authors of one source (the reader keeps as many). */
export const MAX_AUTHORS = 10;

/** The people a stored author text names: cut at semicolons only, each once, in order, at most MAX_AUTHORS. */
export function authorNames(text: string | null | undefined): string[] {
	const names: string[] = [];
	for (const part of (text ?? "").split(";")) {
		const name = part.trim();
		if (name !== "" && !names.includes(name)) names.push(name);
	}
	return names.slice(0, MAX_AUTHORS);
}

/**
 * `names` joined with AUTHOR_SEPARATOR, as many whole names as fit in `max` characters (the
 * first always: the reader bounds each name below `max`). Cut at `max` characters instead, the
 * last was published as a Person named "Anna-Kathar…".
 */
export function joinAuthorNames(names: readonly string[], max: number): string | null {
	const kept: string[] = [];
	let length = 0;
	for (const name of names.slice(0, MAX_AUTHORS)) {
		const added = (kept.length > 0 ? AUTHOR_SEPARATOR.length : 0) + name.length;
		if (kept.length > 0 && length + added > max) break;
		kept.push(name);
		length += added;
	}
	return kept.length > 0 ? kept.join(AUTHOR_SEPARATOR) : null;
}

/*
 * Between two names of a byline (spaces made single first, so that no pattern here retries
 * a run of them): a comma, "und", "and", "&", and the list marks of Chinese and Japanese (、,
 * full-width ，). A middle dot lists names in Korean ("김철수·이영희") only: in Chinese and
 * Japanese it joins the parts of one foreign name ("迈克尔·杰克逊").
 */
const HANGUL_DOT = /(?<=\p{Script=Hangul}) ?[·・] ?(?=\p{Script=Hangul})/u.source;
const LIST = new RegExp(`[,、，]| (?:und|and|&) |${HANGUL_DOT}`, "u");
const LIST_NO_COMMA = new RegExp(`[、，]| (?:und|and|&) |${HANGUL_DOT}`, "u");
/* "(dpa)", "(AFP/Reuters)" closing a byline: whose text it is, said of every name before it. */
const CREDIT = /\([^()]{1,60}\)$/u;
/* A Korean byline's job title ("홍길동 기자", reporter), as "Von" opens a German one. */
const KOREAN_REPORTER = /(?<=\p{Script=Hangul}) 기자$/u;
/* Lower-case words a person's name has between capitalised ones ("Jan van der Berg"). */
const PARTICLES = new Set([
	"van",
	"von",
	"der",
	"den",
	"de",
	"del",
	"della",
	"di",
	"da",
	"du",
	"la",
	"le",
	"ten",
	"ter",
	"zu",
	"bin",
	"ibn",
	"al",
	"el",
]);
const CJK_WORD = /^[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}ー・·]+$/u;
/* A word a name may have: capitalised (or in a script without case), "M.", "O'Brien", "Anna-Lena". */
const NAME_WORD = /^[\p{Lu}\p{Lt}\p{Lo}][\p{L}\p{M}'’.-]*$/u;

/**
 * Whether `part` surely names one person (or body) of a list: two words or more, each a
 * capitalised word or a name's particle; or one word in Chinese, Japanese or Korean, which
 * write a name without a space ("김정은"). "Korrespondentin in Moskau", "U.S. Department of
 * Health", "Müller" and "Reuters" are not, so a text listing them is kept whole.
 */
function isName(part: string): boolean {
	const words = part.split(/\s+/u).filter(Boolean);
	if (words.length === 1) return CJK_WORD.test(words[0] ?? "");
	return (
		words.length >= 2 &&
		words.every((word, i) => NAME_WORD.test(word) || (i > 0 && i < words.length - 1 && PARTICLES.has(word)))
	);
}

/* "& Co." and the like: one firm's name, not a second person. */
const COMPANY = /^(?:Co|Cie|Partners?|Söhne|Sons)\b/u;
/* Between the last two names of a list. */
const CONJUNCTION = / (?:und|and|&) /gu;

/**
 * Whether the commas of a byline list people: only in the shape "A, B und C" (commas before the
 * last "und"/"and"/"&", none after it). A comma alone is as often a job or an outlet after one
 * name ("Jane Doe, Staff Writer", "Anna Beispiel, Leiterin Politik", "Jane Doe and John Smith,
 * Associated Press": s35 r367) as a second person, and the checker sees the reader's author
 * on the intake only as it was read: kept whole, it is one Person as before s35.
 */
function commasBeforeConjunction(names: string): boolean {
	let last = -1;
	for (const match of names.matchAll(CONJUNCTION)) last = match.index;
	return last > 0 && names.slice(0, last).includes(",") && !names.slice(last).includes(",");
}

/* A name in Chinese, Japanese or Korean, written without a space: a comma between such is a list. */
function isCjkName(part: string): boolean {
	return CJK_WORD.test(part);
}

/**
 * The people of one byline a page gives as one text (a single author meta tag): cut at
 * "und"/"and"/"&" or a CJK list mark, and at commas only in a list ("A, B und C") or between
 * names in Chinese, Japanese or Korean, only where every part surely names one (`isName`) and
 * none is a firm's "& Co.", else whole: "Anna Beispiel, Jonas Muster und Eva Schulz" three, "Müller, Anna",
 * "U.S. Department of Health and Human Services" and "Anna Beispiel, Korrespondentin in
 * Moskau" one each. A closing credit stays with every name ("Anna Beispiel (dpa)", "Jonas
 * Muster (dpa)"): it says whose text the whole byline's is, and cut off as a name of its own
 * it would be a Person "Moskau" for "(Moskau)". `commaInNames`: the tag's convention puts a
 * comma inside a name (Dublin Core's "Family, Given").
 */
export function bylineNames(byline: string, commaInNames = false): string[] {
	const text = byline.replace(/\s+/gu, " ").trim().replace(KOREAN_REPORTER, "");
	const closing = CREDIT.exec(text);
	const credit = closing?.[0];
	const names = closing ? text.slice(0, closing.index) : text;
	const byComma = names.split(LIST).map((part) => part.trim());
	const commasList =
		!commaInNames && (commasBeforeConjunction(names) || (byComma.length > 1 && byComma.every(isCjkName)));
	const parts = commasList ? byComma : names.split(LIST_NO_COMMA).map((part) => part.trim());
	if (parts.length < 2 || !parts.every(isName) || parts.some((part) => COMPANY.test(part)))
		return text === "" ? [] : [text];
	return parts.map((name) => (credit ? `${name} ${credit}` : name));
}
