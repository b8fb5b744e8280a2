import * as z from "zod";

/**
 * A problem (RFC 9457) as lib/errors `problemBody` writes it. Loose: RFC 9457 lets a
 * problem type add members (§3.2), and ours do (`current` on a version conflict, the
 * existing claim on a duplicate, the open draft on `draft-exists`), so a client
 * validating against a closed schema would refuse real answers. The members a route
 * knows it adds are documented with `problemWith`.
 */
export const problemJson = z.looseObject({
	type: z.string().describe("`urn:claimtrack:problem:<code>` to branch on, or `about:blank`."),
	title: z
		.string()
		.describe(
			"For `about:blank`, the status's standard phrase (`Unauthorized`, `Unprocessable Content`); a type of ours has its own. On a public read with `?lang=`, in that language (`?lang=de`: `Nicht gefunden`); otherwise English. What went wrong is in `detail`.",
		),
	status: z.number().int(),
	detail: z.string().optional(),
	instance: z.string().optional().describe("The request's path."),
	requestId: z.string().optional().describe("Quote it when reporting a problem."),
	errors: z
		.array(z.object({ path: z.string(), message: z.string() }))
		.optional()
		.describe("422: each invalid field by its dotted path (`sources.0.url`, `query.limit`)."),
	current: z
		.record(z.string(), z.unknown())
		.optional()
		.describe(
			"409 `version-conflict` and the like: what the record is now (its `version`, and `state` for a verdict). Read it again before retrying.",
		),
});

/** A problem with the extension members a route knows it adds. */
export function problemWith(shape: z.ZodRawShape) {
	return problemJson.extend(shape);
}

/**
 * A status a route answers with a problem of its own (`draft-exists`) and, like any
 * write, with others (`idempotency-pending`, …): the one documented, or any problem.
 */
export function problemOr(specific: z.ZodType) {
	return z.union([specific, problemJson]);
}
