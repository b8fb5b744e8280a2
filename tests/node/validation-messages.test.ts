import { describe, expect, it } from "vitest";
import * as z from "zod";
import { validationProblems } from "../../src/lib/validate";

/** The validator's own words for what a schema left unworded (lib/validate). */
const problemsOf = (schema: z.ZodType, value: unknown) => {
	const result = schema.safeParse(value);
	if (result.success) throw new Error("valid");
	return validationProblems(result.error);
};

describe("a list's problems", () => {
	const schema = z.object({
		list: z.array(z.string()).min(1).max(3),
		named: z.array(z.string()).max(2, "At most 2 names."),
	});

	it("count items for its bounds", () => {
		expect(problemsOf(schema, { list: ["a", "b", "c", "d"], named: [] })).toEqual([
			{ path: "list", message: "Give at most 3 items." },
		]);
		expect(problemsOf(schema, { list: [], named: [] })).toEqual([
			{ path: "list", message: "Give at least 1 item." },
		]);
	});

	it("are the type alone when something else came: a string's length is no count of items", () => {
		expect(problemsOf(schema, { list: "claim.created", named: "Ann, Bob, Carla" })).toEqual([
			{ path: "list", message: "Give a list here." },
			{ path: "named", message: "Give a list here." },
		]);
		// Nor under a prefix (a query's part), nor for an empty string the minimum measured.
		const result = schema.safeParse({ list: "", named: [] });
		expect(result.success).toBe(false);
		if (!result.success)
			expect(validationProblems(result.error, "query")).toEqual([
				{ path: "query.list", message: "Give a list here." },
			]);
	});
});
