import * as z from "zod";
import { ROLES } from "../db/schema";
import { SCOPES } from "./permissions";

/** An account as the admin form and the `npm run user` CLI take it. */
export const userInput = z.object({
	email: z
		.string()
		.trim()
		.toLowerCase()
		.max(320)
		.pipe(z.email({ error: "Use a valid email address." })),
	name: z.string().trim().min(1, "The name is empty.").max(200),
	role: z.enum(ROLES, { error: "Choose a role." }),
});

/** An API token as the desk form and the `npm run token` CLI take it. */
export const tokenInput = z.object({
	name: z.string().trim().min(1, "Give the token a name.").max(200),
	scopes: z
		.array(z.enum(SCOPES, { error: `Use scopes from: ${SCOPES.join(", ")}.` }))
		.min(1, "Choose at least one scope."),
});
