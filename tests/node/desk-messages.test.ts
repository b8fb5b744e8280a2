import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TEXT_PROBLEM_MESSAGES } from "../../src/domain/plain-text";
import { fieldMessage } from "../../src/views/desk/labels";

/**
 * Every message the desk can show a German user is German: the refusals the commands, the
 * store and the desk's routes throw (conflict, forbidden, a 4xx AppError) and the field
 * messages they attach, read from the source so that a new one without a translation fails
 * here instead of reaching a German desk in English. API-only wording (a missing token, an
 * Idempotency-Key, a JSON body) and the `field: …` details of problem+json bodies, whose
 * desk forms show the field message instead, are left out.
 */
const root = path.resolve(import.meta.dirname, "../..");
const DIRS = ["src/commands", "src/store", "src/routes/desk", "src/lib/error-handler.tsx"];
// The backfill of the matching index is an API-only maintenance call (npm run backfill:embeddings),
// and so is a restore from a backup (npm run import-backup --url).
const API_ONLY =
	/^(Send |Idempotency-Key|This request takes no body|The body is not valid JSON|Semantic matching is not configured|This restore )/;

function sourceFiles(entry: string): string[] {
	const full = path.join(root, entry);
	if (/\.tsx?$/.test(entry)) return [full];
	return (readdirSync(full, { recursive: true }) as string[])
		.filter((file) => /\.tsx?$/.test(file))
		.map((file) => path.join(full, file));
}

/**
 * The schemas whose words a desk form can show (records, write-api: the bodies the desk's forms
 * and routes parse; common, webhooks, extract: their parts). Left out: public-api (the
 * readers' API and its query strings), import-record (the import CLI), problem.
 */
const SCHEMAS = ["common.ts", "records.ts", "write-api.ts", "webhooks.ts", "extract.ts"].map(
	(file) => `src/schemas/${file}`,
);
// A query string's number: only the public API reads numbers from one.
const QUERY_ONLY = new Set(["Write a whole number in digits, such as 20."]);
const LITERAL = String.raw`(?:"(?:[^"\\]|\\.)*"|\`(?:[^\`\\]|\\.)*\`)`;

/**
 * The messages a schema words (a refinement's, a bound's, a field's own), read as the
 * sentences its string literals hold once the API document's texts are taken out: `describe`,
 * a `description:` and a text behind `NO_DOCS ? "" :`. A schema passes its message on in many
 * ways (`topicName("…")`, `{ empty: "…" }`, `.regex(re, "…")`, `{ error: "…" }`), so any
 * sentence counts, not only the arguments of calls the patterns above know.
 */
function schemaMessages(): Map<string, string> {
	const found = new Map<string, string>();
	const docs = [
		new RegExp(String.raw`\.describe\(\s*(?:${LITERAL}\s*\+?\s*)+,?\s*\)`, "g"),
		new RegExp(String.raw`description:\s*(?:${LITERAL}\s*\+?\s*)+`, "g"),
		new RegExp(String.raw`NO_DOCS\s*\?\s*""\s*:\s*${LITERAL}`, "g"),
	];
	for (const file of SCHEMAS) {
		let text = readFileSync(path.join(root, file), "utf8");
		for (const doc of docs) text = text.replace(doc, "");
		for (const match of text.matchAll(/"([A-Z“](?:[^"\\]|\\.)*[.)])"/g)) found.set(match[1] ?? "", file);
	}
	return found;
}

function thrownMessages(): Map<string, string> {
	const found = new Map<string, string>();
	const patterns = [
		/\b(?:forbidden|conflict)\(\s*"((?:[^"\\]|\\.)+)"/g,
		/new AppError\(\s*4\d\d,\s*"((?:[^"\\]|\\.)+)"/g,
		/\bmessage: "((?:[^"\\]|\\.)+)"/g,
	];
	for (const file of DIRS.flatMap(sourceFiles)) {
		const text = readFileSync(file, "utf8");
		for (const pattern of patterns)
			for (const match of text.matchAll(pattern)) found.set(match[1] ?? "", path.relative(root, file));
	}
	return found;
}

describe("the desk's messages", () => {
	it("are all translated into German", () => {
		const messages = [...thrownMessages()].filter(
			([message]) =>
				!API_ONLY.test(message) &&
				!/^[\w.]+: /.test(message) &&
				message !== "A test delivery from Claimtrack.",
		);
		expect(messages.length).toBeGreaterThan(20);
		const untranslated = messages.filter(([message]) => fieldMessage("de", message) === message);
		expect(untranslated.map(([message, file]) => `${file}: ${message}`)).toEqual([]);
	});

	it("include the words of the schemas the desk's forms are read with (src/schemas)", () => {
		const messages = [...schemaMessages()].filter(([message]) => !QUERY_ONLY.has(message));
		expect(messages.map(([message]) => message)).toEqual(
			expect.arrayContaining(["The English name is empty.", "Give the slug of the speaker to merge into."]),
		);
		const untranslated = messages.filter(([message]) => fieldMessage("de", message) === message);
		expect(untranslated.map(([message, file]) => `${file}: ${message}`)).toEqual([]);
	});

	it('include every 404 the source words (`notFound(what)`: "No such what."), wherever a desk user meets it', () => {
		const whats = new Set(["resource"]);
		for (const file of sourceFiles("src")) {
			const text = readFileSync(file, "utf8");
			for (const match of text.matchAll(/\bnotFound\(\s*"([^"]+)"\s*\)/g)) whats.add(match[1] ?? "");
		}
		expect([...whats]).toEqual(expect.arrayContaining(["speaker", "attachment", "source"]));
		const untranslated = [...whats]
			.map((what) => `No such ${what}.`)
			.filter((m) => fieldMessage("de", m) === m);
		expect(untranslated).toEqual([]);
	});

	it("include the refusals of text that may not be stored (domain/plain-text)", () => {
		for (const message of Object.values(TEXT_PROBLEM_MESSAGES))
			expect(fieldMessage("de", message)).not.toBe(message);
	});

	it("translate the bounds the validator words (lib/validate), with the number as German writes it", () => {
		expect(fieldMessage("de", "Give a number of at least 1.")).toBe(
			"Bitte eine Zahl von mindestens 1 angeben.",
		);
		expect(fieldMessage("de", "Give a number of at most 10,000.")).toBe(
			"Bitte eine Zahl von höchstens 10.000 angeben.",
		);
		expect(fieldMessage("de", "Use at least 8 characters.")).toBe("Bitte mindestens 8 Zeichen.");
		expect(fieldMessage("de", "Give at most 5.")).toBe("Bitte höchstens 5 angeben.");
		expect(fieldMessage("de", "Give at most 500 items.")).toBe("Bitte höchstens 500 Einträge angeben.");
		expect(fieldMessage("de", "Give at least 1 item.")).toBe("Bitte mindestens 1 Eintrag angeben.");
		expect(fieldMessage("de", "Choose at most 10 events.")).toBe("Bitte höchstens 10 Ereignisse wählen.");
		expect(fieldMessage("de", "Use one of: en, de.")).toBe("Bitte eines davon angeben: en, de.");
	});

	it("translate the ones that name a claim or a topic, keeping the names", () => {
		expect(
			fieldMessage(
				"de",
				"The claim would then be the same as claim c0000000000042 (the same words of the same speaker): add an appearance to that one instead.",
			),
		).toContain("Behauptung c0000000000042");
		expect(fieldMessage("de", "Another topic (ukraine-war) is called “Krieg”. Choose another name.")).toBe(
			"Ein anderes Thema (ukraine-war) heißt „Krieg“. Bitte einen anderen Namen wählen.",
		);
		expect(fieldMessage("de", "“ukraine-war” is the address of another topic. Choose another name.")).toBe(
			"„ukraine-war“ ist die Adresse eines anderen Themas. Bitte einen anderen Namen wählen.",
		);
	});
});
