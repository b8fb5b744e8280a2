import type { ImportRecord } from "../../src/schemas/import-record";

/** An import record of one claim and verdict, for the CLI's conflict checks (tests/node, tests/cli). */
export function conflictRecord(
	id: string | undefined,
	rating: "false" | "true" | "mostly-false",
	text = "The city spent 5 million on the new bridge.",
	speaker: string | null = "Anna Müller",
): ImportRecord {
	return {
		...(id !== undefined ? { externalId: id } : {}),
		claim: { text, language: "en" },
		speaker: speaker === null ? null : { name: speaker, kind: "person" },
		sources: [],
		verdict: {
			rating,
			originalRating: rating,
			headline: `It is ${rating}`,
			url: `https://check.example/${id ?? "x"}`,
		},
	} as ImportRecord;
}
