import type { ValidationTargets } from "hono";
import { createMiddleware } from "hono/factory";
import { validator } from "hono/validator";
import type * as z from "zod";
import { AppError, type FieldProblem } from "./errors";

/**
 * The one validator of the app: the public API, the write API and the desk forms use
 * the same zod schemas and get the same problems, phrased for a person to act on. zod
 * reports a failed union ("an existing id, or the details of a new one") as one opaque
 * "Invalid input"; here the branch the input was evidently meant for speaks instead,
 * and a missing field says so plainly.
 */

type Issue = z.core.$ZodIssue;

const MISSING = /received undefined$/;

function isMissing(issue: Issue): boolean {
	return issue.code === "invalid_type" && MISSING.test(issue.message);
}

/** The union branch the input was most likely meant for: fewest missing fields, then fewest problems. */
function bestBranch(branches: Issue[][]): Issue[] {
	let best: Issue[] | undefined;
	let bestScore = Number.POSITIVE_INFINITY;
	for (const branch of branches) {
		const score = branch.filter(isMissing).length * 100 + branch.length;
		if (score < bestScore) {
			best = branch;
			bestScore = score;
		}
	}
	return best ?? [];
}

/** zod's own words for a value of another type ("Invalid input: expected number, received string"). */
const ZOD_TYPE_MESSAGE = /^Invalid input/;

function message(issue: Issue): string {
	if (isMissing(issue)) return "This field is required.";
	// A schema's own words stay, for a field left out too: `version`'s "Send the version you
	// last read." told a client sending `If-Match` instead what to do; "Give a number here." did not.
	if (issue.code === "invalid_type" && !ZOD_TYPE_MESSAGE.test(issue.message)) return issue.message;
	if (issue.code === "invalid_type") {
		const expected = String(issue.expected);
		if (expected === "object" || expected === "array")
			return `Give ${expected === "object" ? "an object" : "a list"} here.`;
		// zod names an integer "int": a person (and a Google client) reads "a whole number".
		return expected === "int" ? "Give a whole number here." : `Give a ${expected} here.`;
	}
	if (issue.code === "too_small" || issue.code === "too_big") return boundMessage(issue);
	// An enum without words of its own ("lang", "sort", "status") read "Invalid option: expected one of …".
	if (issue.code === "invalid_value" && /^Invalid (?:option|input)/.test(issue.message))
		return `Use one of: ${issue.values.map(String).join(", ")}.`;
	return issue.message;
}

/**
 * A bound the schema gave no words of its own ("offset", "maxAgeDays", a page size) read
 * as zod's "Too small: expected number to be >=0"; said here as the written ones are.
 */
function boundMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
	if (!/^Too (?:small|big):/.test(issue.message)) return issue.message;
	const small = issue.code === "too_small";
	const bound = small ? issue.minimum : issue.maximum;
	const inclusive = issue.inclusive !== false;
	const count = Number(bound) + (inclusive ? 0 : small ? 1 : -1);
	const limit = count.toLocaleString("en-US");
	const side = small ? "at least" : "at most";
	if (issue.origin === "string") return `Use ${side} ${limit} characters.`;
	if (issue.origin === "array" || issue.origin === "set")
		return `Give ${side} ${limit} ${count === 1 ? "item" : "items"}.`;
	if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint")
		return `Give a number of ${side} ${limit}.`;
	return issue.message;
}

interface Flat {
	path: PropertyKey[];
	message: string;
	/** A length or size bound (too_small, too_big). */
	bound: boolean;
	/** The value is not of the field's type. */
	wrongType: boolean;
}

function flatten(issue: Issue, base: PropertyKey[]): Flat[] {
	const path = [...base, ...issue.path];
	if (issue.code === "invalid_union" && issue.errors.length > 0) {
		const branch = bestBranch(issue.errors);
		// Every branch failed at the union itself (e.g. a string where an object belongs).
		if (branch.every((inner) => inner.path.length === 0 && isMissing(inner))) {
			return [{ path, message: "This field is required.", bound: false, wrongType: true }];
		}
		return branch.flatMap((inner) => flatten(inner, path));
	}
	// zod reports every unknown key of an object as one issue at the object: each is a field
	// of its own, at its own path ("query.foo"), as a client reads every other problem.
	if (issue.code === "unrecognized_keys") {
		return issue.keys.map((key) => ({
			path: [...path, key],
			message: `Unknown field: ${key}.`,
			bound: false,
			wrongType: false,
		}));
	}
	return [
		{
			path,
			message: message(issue),
			bound: issue.code === "too_small" || issue.code === "too_big",
			wrongType: issue.code === "invalid_type",
		},
	];
}

export function validationProblems(error: z.ZodError, prefix?: string): FieldProblem[] {
	const seen = new Set<string>();
	const problems: FieldProblem[] = [];
	const flats = error.issues.flatMap((issue) => flatten(issue, []));
	const pathOf = (flat: Flat) =>
		[prefix, ...flat.path.map(String)].filter((p) => p !== undefined && p !== "").join(".") || "(root)";
	// zod measures a list's bounds on whatever came instead (a string's characters, where
	// `events` wanted a list): beside "Give a list here." they only mislead.
	const wrongType = new Set(flats.filter((flat) => flat.wrongType).map(pathOf));
	for (const flat of flats) {
		const path = pathOf(flat);
		if (flat.bound && wrongType.has(path)) continue;
		const key = `${path}\u0000${flat.message}`;
		if (seen.has(key)) continue;
		seen.add(key);
		problems.push({ path, message: flat.message });
	}
	return problems;
}

export function validationError(error: z.ZodError, prefix?: string): AppError {
	const errors = validationProblems(error, prefix);
	const first = errors[0];
	return new AppError(422, first ? `${first.path}: ${first.message}` : "Invalid input.", { errors });
}

/**
 * zod validation of a request part. Failures throw a 422 AppError whose field paths
 * start with the part ("query.limit"); bodies keep bare paths ("sources.0.url").
 */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
	target: Target,
	schema: Schema,
) {
	return validator(target, async (value): Promise<z.output<Schema>> => {
		const result = await schema.safeParseAsync(value);
		if (!result.success) {
			throw validationError(result.error, target === "json" || target === "form" ? undefined : target);
		}
		return result.data;
	});
}

/** The `charset` parameter of a Content-Type, lower-cased and unquoted; undefined when none is given. */
function charsetOf(contentType: string): string | undefined {
	for (const parameter of contentType.split(";").slice(1)) {
		const [name, ...value] = parameter.split("=");
		if (name?.trim().toLowerCase() !== "charset") continue;
		return value
			.join("=")
			.trim()
			.replace(/^"(.*)"$/, "$1")
			.toLowerCase();
	}
	return undefined;
}

/**
 * Write bodies are JSON; anything else is a 415 (and never a form a browser could forge).
 * JSON is UTF-8 (RFC 8259): another declared charset is a 415 rather than read as UTF-8
 * anyway, and bytes that are not UTF-8 are a 400. Request.json() would put U+FFFD in their
 * place and the text would be stored so ("F\uFFFDhren", a slug "hans-m-ller"), past
 * repair, as lone surrogates would be (domain/plain-text). The body is decoded here once,
 * and the text left in Hono's body cache, where validator("json") reads it (c.req.json()),
 * so a 5 MB import is not read twice. The body caps (route-declaration) ran before this.
 */
export const requireJson = createMiddleware(async (c, next) => {
	const contentType = c.req.header("Content-Type") ?? "";
	const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
	if (!/^application\/([\w.-]+\+)?json$/.test(type)) {
		throw new AppError(415, "Send the body as application/json.");
	}
	const charset = charsetOf(contentType);
	if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
		throw new AppError(415, "Send the body in UTF-8 (charset=utf-8), as JSON is.");
	}
	const bytes = await c.req.arrayBuffer();
	let text: string;
	try {
		text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		throw new AppError(400, "The body is not valid UTF-8.");
	}
	// The bytes are not needed again; the text is what every later reader gets. Hono's cache
	// holds promises of each form (its `BodyCache` type says the values themselves).
	const cache = c.req.bodyCache as { arrayBuffer?: unknown; text?: Promise<string> };
	delete cache.arrayBuffer;
	cache.text = Promise.resolve(text);
	await next();
});
