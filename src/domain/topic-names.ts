/**
 * When two topic names are one: the desk's topics field finds a topic by its name in either
 * language, and a topic may not take another's name.
 */

/** Topic names compare without case, not without accents ("Wahl" is not "Wähl", "ärzte" is "Ärzte"). */
export const sameTopicName = (a: string, b: string) =>
	a.localeCompare(b, "en", { sensitivity: "accent" }) === 0;

/** D1 refuses a LIKE or GLOB pattern of more than 50 bytes ("pattern too complex"). */
const PATTERN_MAX_BYTES = 50;

/**
 * LIKE patterns (escape `\`) that find a name in any case, for SQL to narrow the topics
 * that `sameTopicName` then decides on. SQLite folds ASCII letters only (`NOCASE` and
 * LIKE: "ärzte" missed "Ärzte") and D1 has no ICU, so each other character is `_`, any one
 * character: "ärzte x" is `_rzte x`. A pattern past D1's 50 bytes ends in `%` where it is
 * cut. One pattern per normal form: names are stored in NFC (schemas/common cleans them),
 * rows older than that may be NFD. Per character, so "STRASSE" does not find "Straße" here.
 */
export function topicNameLikes(name: string): string[] {
	const forms = new Set([name.normalize("NFC"), name.normalize("NFD")]);
	return [...forms].map(likePattern);
}

function likePattern(name: string): string {
	// Every piece is ASCII: its length is its bytes.
	const pieces = Array.from(name, (char) =>
		(char.codePointAt(0) ?? 0) > 0x7f ? "_" : "%_\\".includes(char) ? `\\${char}` : char,
	);
	if (pieces.join("").length <= PATTERN_MAX_BYTES) return pieces.join("");
	let pattern = "";
	for (const piece of pieces) {
		if (pattern.length + piece.length > PATTERN_MAX_BYTES - 1) break;
		pattern += piece;
	}
	return `${pattern}%`;
}
