import { DrizzleQueryError } from "drizzle-orm";

/** Recognises D1/SQLite constraint failures so stores can answer 409/422 instead of 500. */

export type ConstraintKind = "unique" | "check" | "foreign-key" | "not-null" | "guard";

export function constraintFailure(error: unknown): { kind: ConstraintKind; detail: string } | null {
	const message = collectMessages(error);
	if (/batch_guards/i.test(message)) return { kind: "guard", detail: message };
	if (/UNIQUE constraint failed/i.test(message)) return { kind: "unique", detail: message };
	if (/FOREIGN KEY constraint failed/i.test(message)) return { kind: "foreign-key", detail: message };
	if (/NOT NULL constraint failed/i.test(message)) return { kind: "not-null", detail: message };
	if (/CHECK constraint failed/i.test(message)) return { kind: "check", detail: message };
	return null;
}

/**
 * What D1 throws when it cannot answer for a while (the "List of D1_ERRORs" in Cloudflare's
 * "Debug D1" docs, plus SQLite's busy lock): the request may be retried, so it is a 503 with
 * Retry-After, not a 500. Matched on the message because D1 has no error codes; messages
 * come with or without the "D1_ERROR: " prefix, and drizzle wraps them in a cause.
 */
const UNAVAILABLE = [
	/Network connection lost/i,
	/D1 DB is overloaded/i,
	/Cannot resolve D1 DB/i,
	/D1_ERROR: internal error/i,
	/Internal error (?:while starting up|in) D1 DB storage/i,
	// "storage caused object to be reset", "exceeded timeout which caused object to be reset"
	/caused object to be reset/i,
	/D1 DB reset because its code was updated/i,
	/reset because its code was updated/i,
	// "D1 DB's isolate exceeded its memory limit and was reset", "... CPU time limit and was reset"
	/D1 DB.{0,20} exceeded its (?:memory|CPU time) limit/i,
	/D1_ERROR: .*(?:timed? ?out|unavailable|overloaded)/i,
	/Can't read from request stream because client disconnected/i,
	/database is locked|SQLITE_BUSY/i,
];

/** True when D1 itself is unreachable, overloaded or restarting: the request may be retried. */
export function isD1Unavailable(error: unknown): boolean {
	const message = collectMessages(error);
	return UNAVAILABLE.some((pattern) => pattern.test(message));
}

function collectMessages(error: unknown): string {
	const parts: string[] = [];
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		if (current instanceof Error) {
			// drizzle's wrapper quotes the SQL and its parameters, i.e. whatever a client sent:
			// a claim that reads "Network connection lost" must not turn its own failure into a 503.
			if (!(current instanceof DrizzleQueryError && current.cause)) parts.push(current.message);
			current = current.cause;
		} else {
			parts.push(String(current));
			break;
		}
	}
	return parts.join(" | ");
}
