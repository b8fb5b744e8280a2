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

/** True when D1 itself is unreachable or overloaded: the request may be retried. */
export function isD1Unavailable(error: unknown): boolean {
	const message = collectMessages(error);
	return /D1_ERROR: (?:Network connection lost|internal error|Storage|overloaded)|D1 DB is overloaded|Cannot resolve D1|database is locked|reset because its code was updated|D1_ERROR: .*(?:timed? ?out|unavailable)/i.test(
		message,
	);
}

function collectMessages(error: unknown): string {
	const parts: string[] = [];
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		if (current instanceof Error) {
			parts.push(current.message);
			current = current.cause;
		} else {
			parts.push(String(current));
			break;
		}
	}
	return parts.join(" | ");
}
