import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SearchSyntaxError, toFtsQuery } from "../../src/domain/search-query";
import { CURSOR_LISTS, type Cursor, decodeCursor, encodeCursor } from "../../src/lib/cursor";
import { AppError } from "../../src/lib/errors";
import { claimListQuery } from "../../src/schemas/public-api";
import { claimInput, verdictInput } from "../../src/schemas/records";

/** Property tests for what every request passes through: cursors, search text, validators. */

describe("cursors", () => {
	const positions = fc.oneof(
		fc.tuple(
			fc.constant("k" as const),
			fc.oneof(
				fc.string({ maxLength: 64 }),
				// a slug at its longest: 80 characters and a namesake's suffix (the API reads 90)
				fc.stringMatching(/^[a-z0-9-]{1,100}$/),
				fc.integer(),
				fc.constant(null),
			),
			fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
		),
		fc.tuple(fc.constant("o" as const), fc.integer({ min: 0, max: 10_000 })),
	) as fc.Arbitrary<Cursor>;
	const lists = fc.constantFrom(...CURSOR_LISTS);

	it("round-trip every cursor the app can make, on its own list", () => {
		fc.assert(
			fc.property(positions, lists, (cursor, list) => {
				expect(decodeCursor(encodeCursor(cursor, list), list)).toEqual(cursor);
			}),
			{ numRuns: 500 },
		);
	});

	it("refuse a cursor of another list or order with the 400 naming the parameter", () => {
		fc.assert(
			fc.property(positions, lists, lists, (cursor, list, other) => {
				fc.pre(list !== other);
				try {
					decodeCursor(encodeCursor(cursor, list), other, "query.cursor");
					expect.unreachable(`${list} read as ${other}`);
				} catch (error) {
					expect(error).toBeInstanceOf(AppError);
					expect((error as AppError).status).toBe(400);
					expect((error as AppError).errors?.[0]?.path).toBe("query.cursor");
				}
			}),
			{ numRuns: 500 },
		);
	});

	it("refuse any other text with a 400 naming the parameter, never another error", () => {
		fc.assert(
			fc.property(fc.oneof(fc.string(), fc.base64String(), fc.string({ unit: "binary" })), (text) => {
				try {
					decodeCursor(text, "claims-recent", "query.cursor");
				} catch (error) {
					expect(error).toBeInstanceOf(AppError);
					expect((error as AppError).status).toBe(400);
					expect((error as AppError).errors?.[0]?.path).toBe("query.cursor");
				}
			}),
			{ numRuns: 1000 },
		);
	});
});

describe("search text", () => {
	it("becomes a quoted FTS5 expression or a SearchSyntaxError, for any input", () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 250, unit: "grapheme" }), (text) => {
				try {
					const expression = toFtsQuery(text);
					// every term is a quoted string (stems: in the `terms` column; a number as written:
					// in the columns its token cannot reach), grouped by our own parentheses: no bare
					// FTS5 syntax can come through
					const outside = expression
						.replace(/(?:terms ?: ?)?"(?:[^"]|"")*"/g, "")
						.replace(/\{speaker sources speaker_unreviewed\} :/g, "")
						.replace(/\b(AND|OR|NOT)\b|[()*]/g, "");
					expect(outside.trim()).toBe("");
				} catch (error) {
					expect(error).toBeInstanceOf(SearchSyntaxError);
				}
			}),
			// a bare number is the rare input a random string finds (CI's seed -312683186 did)
			{ numRuns: 2000, examples: [["0"], ["300.000"], ["12 %"], ["2025"], ["x 0"], ['"0"'], ["0*"]] },
		);
	});
});

describe("validators", () => {
	it("never throw on arbitrary JSON; they accept or report field paths", () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => {
				for (const schema of [claimInput, verdictInput]) {
					const result = schema.safeParse(value);
					if (!result.success) expect(result.error.issues.length).toBeGreaterThan(0);
				}
			}),
			{ numRuns: 500 },
		);
	});

	it("accept claims only with a non-empty quote of at most 10,000 characters and http(s) source URLs", () => {
		fc.assert(
			fc.property(
				fc.string({ maxLength: 12_000 }),
				fc.oneof(
					fc.webUrl(),
					fc.constantFrom("javascript:alert(1)", "data:text/html,x", "ftp://x.example/", ""),
				),
				(text, url) => {
					const result = claimInput.safeParse({
						text,
						language: "de",
						speaker: null,
						source: { url },
					});
					if (result.success) {
						expect(result.data.text.length).toBeGreaterThan(0);
						expect(result.data.text.length).toBeLessThanOrEqual(10_000);
						expect("url" in result.data.source && /^https?:\/\//i.test(result.data.source.url)).toBe(true);
					}
				},
			),
			{ numRuns: 300 },
		);
	});

	it("bound list limits to 1..100 whatever is sent", () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 12 }), (limit) => {
				const result = claimListQuery.safeParse({ limit });
				if (result.success) {
					expect(result.data.limit).toBeGreaterThanOrEqual(1);
					expect(result.data.limit).toBeLessThanOrEqual(100);
				}
			}),
			{ numRuns: 500 },
		);
	});
});
