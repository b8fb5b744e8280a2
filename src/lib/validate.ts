import type { ValidationTargets } from "hono";
import { validator } from "hono/validator";
import type * as z from "zod";
import { validationError } from "./errors";

/**
 * zod validation for a request part. Failures throw a 422 AppError whose field paths
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
