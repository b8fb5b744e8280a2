import * as z from "zod";
import { isHttpUrl } from "../domain/canonical-url";
import { ID_PATTERN } from "../domain/ids";
import { normalizeLanguageTag } from "../domain/language-tags";
import { cleanPlainText, TEXT_PROBLEM_MESSAGES, textProblem } from "../domain/plain-text";
import { NO_DOCS } from "../lib/docs";

const MAX_QUOTE = 10_000;

export const id = z.string().regex(ID_PATTERN, "This is not a Claimtrack id.");

/**
 * The version a write is made at: the record's as last read. Its words are what a client
 * reads whatever came instead (left out, a string, an `If-Match`; lib/validate keeps them).
 */
export const versionRead = z
	.number({ error: "Send the version you last read." })
	.int()
	.min(1)
	.describe(
		NO_DOCS
			? ""
			: "The record's `version` as you last read it (its JSON's `version`), sent in the body: `If-Match` is not read. Changed since, the write is a 409 and changes nothing: read it again.",
	);

/** A number as a query writes it: decimal digits, a sign, a fraction (its own problem: "a whole number"). */
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * A number in the query string, read from decimal digits only. z.coerce.number() reads
 * what Number() reads: `limit=1e1`, `limit=%200x10` (" 0x10") and `limit=` (0) were 10, 16
 * and 0. Anything else is refused here in words of our own; the bounds, the whole number
 * and a default stay `number`'s (inside, so the document shows them as the integer it is).
 */
export function queryNumber<Schema extends z.ZodType>(number: Schema) {
	return z.preprocess((value, ctx) => {
		if (typeof value !== "string") return value;
		// Past 15 digits a number is only ever too big: read as the largest, it meets the
		// schema's own bound (a page's 100 at most) instead of zod's safe-integer limit.
		if (DECIMAL.test(value)) return /^\d{16,}$/.test(value) ? Number.MAX_SAFE_INTEGER : Number(value);
		ctx.addIssue({ code: "custom", message: "Write a whole number in digits, such as 20.", input: value });
		return value;
	}, number);
}

/** BCP 47 tag, primary subtag lower case (de, en, en-GB, zh-Hant). */
export const languageTag = z
	.string()
	.trim()
	.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, "Use a language code such as de, en or en-GB.")
	.max(35, "Use at most 35 characters.")
	// Stored as domain/language-tags writes it ("en-GB", "zh-Hant").
	.transform((tag) => normalizeLanguageTag(tag) ?? tag.toLowerCase());

export const httpUrl = z
	.string()
	.trim()
	.max(2048, "The address is longer than 2,048 characters.")
	.refine(isHttpUrl, "Use a full http:// or https:// address.")
	.transform(writtenAsUrl);

/**
 * An address as browsers write it when it was typed otherwise ("HTTPS://gov.example",
 * "https:gov.example"): stored like that, the evidence archive's rows (which take
 * `http(s)://` as written) refused it, and with it every copy the same write asked for.
 * Addresses already written so stay as they are, byte for byte.
 */
export function writtenAsUrl(url: string): string {
	return /^https?:\/\//.test(url) ? url : new URL(url).href;
}

/**
 * How many times its maximum a text may be as sent to be cleaned and then measured. Cleaning
 * shortens text (trimmed, letters composed, soft hyphens taken out): Korean written in NFD
 * (Mac file names, some Mac apps) is 3 jamo for a syllable with a final consonant, 2.2 times its
 * composed length in running text and 3 at most; Vietnamese in NFD 1.3 (3 at most), German
 * 1.06 (2 at most), so text of any language at its maximum is measured once cleaned. Cleaning
 * is linear (text is made stream-safe before it is composed, domain/stream-safe): the factor
 * only bounds how much is cleaned, so the work of a request stays linear in its body.
 */
const RAW_LENGTH_FACTOR = 4;

/**
 * A text refused as sent, before it is cleaned, says so and what was counted: the field's own
 * "at most" message alone was untrue of text that fits once composed (Korean in NFD).
 */
function tooLongAsSent(max: number): string {
	return `As sent, this text is longer than ${(max * RAW_LENGTH_FACTOR).toLocaleString("en")} characters (each accent and invisible character counted on its own). Use at most ${max.toLocaleString("en")} characters.`;
}

/**
 * User-written text: NFC, line breaks as \n (single-line text: spaces), trimmed, and
 * free of control characters, bidi overrides and invisible-only content (domain/plain-text).
 * Far over `max` as sent, it is refused uncleaned (`tooLongAsSent`); the field measures what
 * is cleaned against `max` itself.
 */
function cleanText(max: number, multiline: boolean, keepLayoutHints = false) {
	return z
		.string()
		.transform((s, ctx) => {
			if (s.length <= max * RAW_LENGTH_FACTOR) return cleanPlainText(s, multiline, keepLayoutHints);
			ctx.addIssue({
				code: "too_big",
				origin: "string",
				maximum: max * RAW_LENGTH_FACTOR,
				inclusive: true,
				message: tooLongAsSent(max),
				input: s,
			});
			return z.NEVER;
		})
		.superRefine((s, ctx) => {
			const problem = textProblem(s, multiline);
			if (problem) ctx.addIssue({ code: "custom", message: TEXT_PROBLEM_MESSAGES[problem] });
		});
}

/**
 * The query of an API read that takes no parameter. Every API read refuses one it does not
 * know with a 422 naming it: the token API's ignored them, so `GET /api/v1/webhooks?enabled=false`
 * answered every subscription as if it had filtered them.
 */
export const noQuery = z.strictObject({});

/**
 * An action's body (publish, retract, merge, remove, assign, …) as the token API reads it:
 * closed, as a PATCH body is, so a field it does not know is a 422 at its name. Open, a
 * misspelt optional guard was dropped and the write went through unguarded (`claimversion`
 * published over a changed claim, `supersedesId` corrected whatever was in force). At the
 * API's declarations, not in the schema: the desk's forms parse the same schemas from forms
 * that carry fields of their own (`_csrf`, `_idem`).
 */
export function actionBody<Shape extends z.core.$ZodShape>(
	body: z.ZodObject<Shape>,
): z.ZodObject<Shape, z.core.$strict> {
	return body.strict();
}

/**
 * A PATCH body (`edit`, a strict object): only the fields sent change, and a field it does
 * not know is a 422 naming it, so a misspelt one ("txt") is not answered 200 with nothing
 * changed. The fields of the resource's own answer that cannot be changed here (its id, its
 * address, a scorecard) are dropped first: a client may send back what it read, changed.
 * Creates (POST) ignore fields they do not know.
 */
export function patchBody<Edit extends z.ZodObject>(edit: Edit, answer: z.ZodObject) {
	return closedBody(edit, answer, "Only the fields sent change");
}

/**
 * A PUT body (`whole`, a strict object): it replaces what it names whole, so an optional field
 * left out is cleared. Closed as a PATCH body is, for that reason most of all: open, a
 * misspelt `sumary` was dropped and the draft's summary cleared, answered 200. The answer's
 * read-only fields are dropped first, so the draft as read may be sent back changed.
 */
export function putBody<Whole extends z.ZodObject>(whole: Whole, answer: z.ZodObject) {
	return closedBody(
		whole,
		answer,
		"The body replaces the resource's editable fields: an optional field left out is cleared",
	);
}

function closedBody<Edit extends z.ZodObject>(edit: Edit, answer: z.ZodObject, what: string) {
	const readOnly = new Set(Object.keys(answer.shape).filter((key) => !(key in edit.shape)));
	const body = z
		.preprocess(
			(body) =>
				typeof body === "object" && body !== null && !Array.isArray(body)
					? Object.fromEntries(Object.entries(body).filter(([key]) => !readOnly.has(key)))
					: body,
			edit,
		)
		.describe(
			`${what}; a field not listed is a 422 naming it, except the answer's own read-only fields (${[...readOnly].map((key) => `\`${key}\``).join(", ")}), which are accepted and ignored, so a client may send back what it read.`,
		);
	patchReadOnly.set(body, [...readOnly]);
	return body;
}

/**
 * A PATCH body's ignored read-only fields, by its schema: lib/openapi lists them as
 * `readOnly` properties, so a client validating against the closed schema (ajv, a generated
 * SDK) takes the body the server takes, what it read.
 */
const patchReadOnly = new WeakMap<z.ZodType, readonly string[]>();

export function readOnlyFieldsOf(schema: unknown): readonly string[] | undefined {
	return patchReadOnly.get(schema as z.ZodType);
}

/** Required text up to `max` characters. */
export function requiredText(options: {
	max: number;
	empty: string;
	multiline?: boolean;
	keepLayoutHints?: boolean;
}) {
	const tooLong = `Use at most ${options.max.toLocaleString("en")} characters.`;
	return cleanText(options.max, options.multiline ?? false, options.keepLayoutHints).pipe(
		z.string().min(1, options.empty).max(options.max, tooLong),
	);
}

const NO_COMMA = /^[^,]*$/;
const TOPIC_COMMA = "A topic's name cannot contain a comma: the desk separates topics with commas.";

/**
 * A topic's name: one line of at most 60 characters, without a comma, which separates
 * topics in the desk's one-line field (and would split a renamed topic in two on save).
 */
export function topicName(empty: string) {
	// Kept as typed (soft hyphens, ligatures): names are compared folded (sameTopicName), never searched.
	return requiredText({ max: 60, empty, keepLayoutHints: true })
		.refine((name) => !name.includes(","), TOPIC_COMMA)
		.meta({ pattern: NO_COMMA.source, description: TOPIC_COMMA });
}

function optionalText(max: number, multiline: boolean) {
	const tooLong = `Use at most ${max.toLocaleString("en")} characters.`;
	return cleanText(max, multiline)
		.pipe(z.string().max(max, tooLong))
		.transform((s) => (s === "" ? null : s))
		.nullish()
		.transform((s) => s ?? null);
}

/** Titles, names of publishers and authors: one line. */
export const optionalShortText = optionalText(500, false);
/** An attachment's caption: one line, public once an editor makes the file public. */
export const optionalCaption = optionalText(300, false);
/** Context, summaries, bodies, notes: paragraphs. */
export const optionalLongText = optionalText(20_000, true);

function isCalendarDate(value: string): boolean {
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A calendar date (YYYY-MM-DD) not after today (a day's grace for time zones ahead of UTC). */
const pastDate = z
	.string()
	.trim()
	.regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2025-07-12.")
	.refine(isCalendarDate, "This date does not exist.")
	.refine(
		(value) => value <= new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
		"This date is in the future.",
	);

export const optionalPastDate = z
	.union([pastDate, z.literal("")])
	.nullish()
	.transform((v) => (v ? v : null));

const QUOTE_TOO_LONG = `The quote is longer than ${MAX_QUOTE.toLocaleString("en")} characters.`;

export const quoteText = cleanText(MAX_QUOTE, true).pipe(
	z.string().min(1, "The quote is empty.").max(MAX_QUOTE, QUOTE_TOO_LONG),
);

/**
 * A text-fragment anchor (`#:~:text=[prefix-,]start[,end][,-suffix]`, each part
 * percent-encoded) that highlights the quote in its source; nothing else is a link
 * target we append to a source URL.
 */
export const textFragmentAnchor = z
	.string()
	.trim()
	.max(4096, "Use at most 4,096 characters.")
	.regex(
		/^#:~:text=(?:[A-Za-z0-9%._~!$'()*+;=:@/?-]+)(?:,[A-Za-z0-9%._~!$'()*+;=:@/?-]+){0,3}$/,
		"Use a text fragment like #:~:text=the%20quoted%20words.",
	)
	.or(z.literal(""))
	.nullish()
	.transform((v) => (v ? v : null));
