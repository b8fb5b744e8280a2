/**
 * Turns a reader's search box text into a safe FTS5 MATCH expression.
 * Supported: words, "exact phrases", prefix* (3+ letters), OR, and -excluded words.
 * Everything else in FTS5's grammar (NEAR, column filters, parentheses, ^) is refused
 * with a message, so no input reaches SQLite's parser unquoted.
 */

export class SearchSyntaxError extends Error {
	override name = "SearchSyntaxError";
}

const MAX_SEARCH_LENGTH = 200;
const MAX_TERMS = 16;

interface Term {
	text: string;
	phrase: boolean;
	prefix: boolean;
	negated: boolean;
	or: boolean;
}

export function toFtsQuery(input: string): string {
	const text = input.normalize("NFC").trim();
	if (text.length === 0) throw new SearchSyntaxError("The search is empty.");
	if (text.length > MAX_SEARCH_LENGTH) {
		throw new SearchSyntaxError(`Search for at most ${MAX_SEARCH_LENGTH} characters.`);
	}
	if ((text.match(/"/g) ?? []).length % 2 === 1)
		throw new SearchSyntaxError("A quotation mark is not closed.");
	if (/[()]/.test(text) || /\bNEAR\s*\(/i.test(text)) {
		throw new SearchSyntaxError(
			"Parentheses and NEAR are not supported; use words, “phrases”, prefix* and OR.",
		);
	}
	const terms: Term[] = [];
	let pendingOr = false;
	for (const match of text.matchAll(/(-?)"([^"]*)"(\*?)|(\S+)/g)) {
		const [, neg, phraseText, phraseStar, word] = match;
		if (word === "OR") {
			if (terms.length === 0) throw new SearchSyntaxError("OR needs a word on each side.");
			pendingOr = true;
			continue;
		}
		const negated = neg === "-" || (word?.startsWith("-") ?? false);
		const raw = phraseText ?? word?.replace(/^-/, "") ?? "";
		const prefix = phraseStar === "*" || raw.endsWith("*");
		const body = raw.replace(/\*+$/, "");
		const tokens = body.match(/[\p{L}\p{N}]+/gu) ?? [];
		if (tokens.length === 0) {
			if (raw.includes("*")) throw new SearchSyntaxError("A * needs letters before it, like kurs*.");
			continue;
		}
		if (prefix && (tokens.at(-1)?.length ?? 0) < 2) {
			throw new SearchSyntaxError("Put at least two letters before a *.");
		}
		terms.push({ text: tokens.join(" "), phrase: phraseText !== undefined, prefix, negated, or: pendingOr });
		pendingOr = false;
	}
	if (pendingOr) throw new SearchSyntaxError("OR needs a word on each side.");
	if (terms.length === 0) throw new SearchSyntaxError("Search for at least one word.");
	if (terms.length > MAX_TERMS) throw new SearchSyntaxError(`Search for at most ${MAX_TERMS} words.`);
	if (terms.every((t) => t.negated)) throw new SearchSyntaxError("Name at least one word that must appear.");

	// FTS5: NOT is binary, so excluded terms go after the positive part.
	const positive = terms.filter((t) => !t.negated);
	const negative = terms.filter((t) => t.negated);
	let expression = "";
	for (const [i, term] of positive.entries()) {
		const quoted = `"${term.text}"${term.prefix ? " *" : ""}`;
		expression = i === 0 ? quoted : `${expression} ${term.or ? "OR" : "AND"} ${quoted}`;
	}
	for (const term of negative) expression = `${expression} NOT "${term.text}"${term.prefix ? " *" : ""}`;
	return expression;
}
