import * as z from "zod";
import { accessRule, declaredRoutes, type RouteDeclaration } from "./route-declaration";

/**
 * OpenAPI 3.1 from the route declarations (lib/route-declaration.ts): the same zod
 * schemas the routes validate with, so the document cannot drift from what is checked.
 */
const problemSchema = z.object({
	type: z.string(),
	title: z.string(),
	status: z.number().int(),
	detail: z.string().optional(),
	instance: z.string().optional(),
	requestId: z.string().optional(),
	errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** lib/errors `googleErrorBody`: Google's error shape on the compatible surface. */
const googleErrorSchema = z.object({
	error: z.object({
		code: z.number().int(),
		message: z.string(),
		status: z.string(),
		details: z.array(z.record(z.string(), z.unknown())),
	}),
});

function jsonSchema(schema: z.ZodType, io: "input" | "output") {
	const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<
		string,
		unknown
	>;
	return rest;
}

function parameters(schema: z.ZodObject | undefined, location: "query" | "path") {
	if (!schema) return [];
	return Object.entries(schema.shape).map(([name, field]) => {
		const fieldSchema = field as z.ZodType;
		const described = jsonSchema(fieldSchema, "input");
		return {
			name,
			in: location,
			required: location === "path" || !fieldSchema.safeParse(undefined).success,
			...(typeof described.description === "string" ? { description: described.description } : {}),
			schema: described,
		};
	});
}

type Documented = RouteDeclaration<z.ZodObject | undefined, z.ZodObject | undefined, z.ZodType | undefined>;

/** The OpenAPI path of a route: `:id` becomes `{id}`. */
function templatePath(route: Documented): string {
	return route.doc?.path ?? route.path.replace(/:(\w+)/g, "{$1}");
}

function responsesOf(doc: NonNullable<Documented["doc"]>, method: string) {
	const responses: Record<string, unknown> = {};
	for (const [status, response] of Object.entries(doc.responses)) {
		responses[status] = {
			description: response.description,
			...(response.schema
				? {
						content: {
							[response.contentType ?? "application/json"]: {
								schema: jsonSchema(response.schema, "output"),
							},
						},
					}
				: {}),
		};
	}
	if (doc.errors === "google") {
		responses["400"] ??= {
			description: "An invalid parameter (Google's error shape)",
			content: { "application/json": { schema: jsonSchema(googleErrorSchema, "output") } },
		};
		return responses;
	}
	for (const status of method === "get" ? ["400", "422"] : ["400", "401", "403", "409", "422"]) {
		responses[status] ??= {
			description: "Problem (RFC 9457)",
			content: { "application/problem+json": { schema: jsonSchema(problemSchema, "output") } },
		};
	}
	return responses;
}

function operation(route: Documented, doc: NonNullable<Documented["doc"]>, path: string) {
	const method = route.method.toLowerCase();
	const body = doc.body ?? route.body;
	const rule = accessRule(route.access);
	return {
		summary: doc.summary,
		...(doc.description ? { description: doc.description } : {}),
		tags: doc.tags,
		operationId: `${method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? "").toUpperCase())}`,
		parameters: [...parameters(route.params, "path"), ...parameters(route.query, "query")],
		...(body
			? {
					requestBody: {
						required: true,
						content: { "application/json": { schema: jsonSchema(body, "input") } },
					},
				}
			: {}),
		responses: responsesOf(doc, method),
		...(rule.startsWith("token")
			? { security: [{ bearer: rule.startsWith("token:") ? [rule.slice(6)] : [] }] }
			: {}),
	};
}

export function openApiDocument(info: {
	title: string;
	version: string;
	description: string;
	serverUrl: string;
}) {
	const paths: Record<string, Record<string, unknown>> = {};
	for (const route of declaredRoutes()) {
		if (!route.doc) continue;
		const path = templatePath(route);
		paths[path] ??= {};
		(paths[path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(route, route.doc, path);
	}
	return {
		openapi: "3.1.0",
		info: { title: info.title, version: info.version, description: info.description },
		servers: [{ url: info.serverUrl }],
		paths,
		components: {
			securitySchemes: {
				bearer: { type: "http", scheme: "bearer", description: "API token from the desk." },
			},
		},
	};
}
