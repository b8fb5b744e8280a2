import { createMiddleware } from "hono/factory";
import * as z from "zod";
import type { AppEnv } from "../factory";

/**
 * OpenAPI 3.1 from the same zod schemas the routes validate with. A route declares
 * its contract with `documented({...})` as its first middleware; the document is
 * assembled from these declarations, so it cannot drift from what is validated.
 */
export interface RouteDoc {
	method: "get" | "post" | "put" | "patch" | "delete";
	/** OpenAPI path template, e.g. /api/v1/claims/{id}. */
	path: string;
	summary: string;
	description?: string;
	tags: string[];
	query?: z.ZodObject;
	params?: z.ZodObject;
	body?: z.ZodType;
	/** Status → description and (JSON) schema; problem+json is added for 4xx. */
	responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
	security?: string[];
}

const registry: RouteDoc[] = [];

export function documented(doc: RouteDoc) {
	registry.push(doc);
	return createMiddleware<AppEnv>(async (_c, next) => next());
}

const problemSchema = z.object({
	type: z.string(),
	title: z.string(),
	status: z.number().int(),
	detail: z.string().optional(),
	instance: z.string().optional(),
	requestId: z.string().optional(),
	errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
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

export function openApiDocument(info: {
	title: string;
	version: string;
	description: string;
	serverUrl: string;
}) {
	const paths: Record<string, Record<string, unknown>> = {};
	for (const doc of registry) {
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
		for (const status of doc.method === "get" ? ["400", "422"] : ["400", "401", "403", "409", "422"]) {
			responses[status] ??= {
				description: "Problem (RFC 9457)",
				content: { "application/problem+json": { schema: jsonSchema(problemSchema, "output") } },
			};
		}
		paths[doc.path] ??= {};
		const operation = {
			summary: doc.summary,
			...(doc.description ? { description: doc.description } : {}),
			tags: doc.tags,
			operationId: `${doc.method}${doc.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? "").toUpperCase())}`,
			parameters: [...parameters(doc.params, "path"), ...parameters(doc.query, "query")],
			...(doc.body
				? {
						requestBody: {
							required: true,
							content: { "application/json": { schema: jsonSchema(doc.body, "input") } },
						},
					}
				: {}),
			responses,
			...(doc.security ? { security: [{ bearer: doc.security }] } : {}),
		};
		(paths[doc.path] as Record<string, unknown>)[doc.method] = operation;
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

export function documentedRoutes(): readonly RouteDoc[] {
	return registry;
}
