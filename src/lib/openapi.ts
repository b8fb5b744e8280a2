import * as z from "zod";
import { IDEMPOTENCY_KEY_PATTERN } from "../auth/idempotency";
import { readOnlyFieldsOf } from "../schemas/common";
import { problemJson, problemWith } from "../schemas/problem";
import { errorsAsPage } from "./error-handler";
import { accessRule, bodyCap, declaredRoutes, type RouteDeclaration, sizeLabel } from "./route-declaration";

/**
 * OpenAPI 3.1 from the route declarations (lib/route-declaration.ts): the same zod
 * schemas the routes validate with, so the document cannot drift from what is checked.
 * The error statuses a declaration implies (path parameters, a token, a body) are derived
 * here rather than listed per route, so a new route documents them without anyone
 * remembering to.
 */

/** lib/errors `googleErrorBody`: Google's error shape on the compatible surface. */
const googleErrorSchema = z.object({
	error: z.object({
		code: z.number().int(),
		message: z.string(),
		status: z.string(),
		details: z.array(z.record(z.string(), z.unknown())),
	}),
});

/**
 * A cleaned text (schemas/common `requiredText`, `quoteText`, `optionalText`) is a transform
 * piped into the bounded string: its input side is the bare string before the transform, so
 * zod drops the bounds there. They are the input's bounds too (the cleaning only trims), so
 * they are carried over from the piped string, the one the server checks.
 */
function boundsOfPipe({
	zodSchema,
	jsonSchema,
}: {
	zodSchema: unknown;
	jsonSchema: Record<string, unknown>;
}) {
	const def = (zodSchema as z.ZodType)._zod.def as { type: string; out?: unknown };
	if (def.type !== "pipe" || !(def.out instanceof z.ZodString)) return;
	const { minLength, maxLength } = def.out;
	if (minLength !== null && minLength > 0) jsonSchema.minLength ??= minLength;
	if (maxLength !== null) jsonSchema.maxLength ??= maxLength;
}

/**
 * A PATCH body (schemas/common `patchBody`) is closed, but takes the answer's read-only fields
 * and ignores them: they are listed as `readOnly` properties, any value, so a client validating
 * against the schema accepts what it read, as the server does.
 */
function readOnlyProperties({
	zodSchema,
	jsonSchema,
}: {
	zodSchema: unknown;
	jsonSchema: Record<string, unknown>;
}) {
	const fields = readOnlyFieldsOf(zodSchema);
	const properties = jsonSchema.properties as Record<string, unknown> | undefined;
	if (!fields || !properties) return;
	for (const field of fields)
		properties[field] ??= {
			readOnly: true,
			description: "Read-only, as answered: accepted and ignored.",
		};
}

function inputOverride(context: { zodSchema: unknown; jsonSchema: Record<string, unknown> }) {
	boundsOfPipe(context);
	readOnlyProperties(context);
}

function jsonSchema(schema: z.ZodType, io: "input" | "output") {
	const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
		io,
		unrepresentable: "any",
		...(io === "input" ? { override: inputOverride } : {}),
	}) as Record<string, unknown>;
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

const PROBLEM_TYPE = "application/problem+json";

/**
 * A public read answers with an ETag and takes If-None-Match (lib/http-cache `sendCached`,
 * `conditional`), except the exports, which stream (`doc.etag: false`).
 */
function revalidates(route: Documented): boolean {
	return route.access === "public" && route.method === "GET" && route.doc?.etag !== false;
}

/**
 * lib/error-handler `errorsAsPage`: where a request asking for text/html (a browser, a frame)
 * gets its error as a page, the card on the card's address, instead of the problem.
 */
const PAGE_ERROR = {
	"text/html": {
		schema: {
			type: "string",
			description:
				"When the request accepts `text/html` (a browser, a frame): the same error as a page (on `/embed/{id}` a card saying it), without the problem's members.",
		},
	},
};

const ETAG = { description: "The answer's version, for `If-None-Match`", schema: { type: "string" } };

const UNAVAILABLE =
	"The database, or the Worker that answers, is unavailable for a moment: send the request again after `Retry-After` seconds";

/** What a declaration implies it may answer, besides what its `doc.responses` says. */
function impliedStatuses(route: Documented, method: string): Record<number, string> {
	const rule = accessRule(route.access);
	const write = method !== "get";
	const implied: Record<number, string> = {};
	if (route.params) implied[404] = "Nothing at this address (no such record)";
	if (rule.startsWith("token")) {
		implied[401] = "No API token, or one that is unknown, revoked, expired or of a disabled account";
		implied[403] = "The token's scopes, or its owner's role, do not allow this";
	}
	const tokenWrite = write && rule.startsWith("token");
	// Token writes are capped (lib/route-declaration `tokenWrite`); one without a body refuses one (`noBody`).
	if (tokenWrite) implied[413] = `The body is larger than ${sizeLabel(bodyCap(route))}`;
	if (route.body || (tokenWrite && !route.rawBody)) {
		implied[415] = route.body
			? "The body is not application/json, or declares a charset other than UTF-8"
			: "A body that is not JSON (this request takes none)";
		implied[400] = route.body
			? "The body is not valid JSON, or not valid UTF-8"
			: "The body is not valid JSON";
	}
	if (write)
		implied[409] =
			"A conflict with the stored state, named by `type` (`version-conflict`: read again, then retry)";
	if (!route.doc?.lenient && (write || route.query || route.params))
		implied[422] = "An invalid field or parameter, each named in `errors`";
	if (route.idempotent) {
		implied[422] = `${implied[422] ?? "Invalid"}; or an \`Idempotency-Key\` that is malformed or was used for another request (\`idempotency-key-reused\`)`;
		// A repeat of a first run that stopped before it kept its answer, its record deleted since.
		implied[404] ??= "A repeat with this `Idempotency-Key` of a create whose record was deleted since";
	}
	// Every route reads D1 (a token's check at least); lib/error-handler answers its outage so.
	implied[503] = UNAVAILABLE;
	return implied;
}

function responsesOf(route: Documented, doc: NonNullable<Documented["doc"]>, method: string) {
	const google = doc.errors === "google";
	const answers = revalidates(route)
		? { 304: { description: "The copy named in `If-None-Match` is current: no body" }, ...doc.responses }
		: doc.responses;
	// A browser's request (Accept: text/html, as a frame sends) gets its errors as a page there.
	const page = !google && errorsAsPage(route.path) ? PAGE_ERROR : {};
	const errorContent = google
		? { "application/json": { schema: jsonSchema(googleErrorSchema, "output") } }
		: { [PROBLEM_TYPE]: { schema: jsonSchema(problemJson, "output") }, ...page };
	const responses: Record<string, unknown> = {};
	for (const [status, declared] of Object.entries(answers)) {
		const error = Number(status) >= 400;
		const members = declared.members;
		const response = members
			? {
					...declared,
					schema: problemWith(
						Object.fromEntries(
							Object.entries(members).map(([name, text]) => [name, z.string().describe(text)]),
						),
					),
				}
			: declared;
		const headers = headersOf(route, Number(status));
		const type = response.contentType ?? (error && !google ? PROBLEM_TYPE : "application/json");
		responses[status] = {
			description: response.description,
			...(headers ? { headers } : {}),
			// A declared media type without a schema (an NDJSON or JSON-LD stream) is still the
			// answer's type: a client negotiates and parses by it. Its shape is told in words.
			...(response.schema || response.contentType
				? {
						content: {
							[type]: { schema: response.schema ? jsonSchema(response.schema, "output") : {} },
							...(error && type === PROBLEM_TYPE ? page : {}),
						},
					}
				: error
					? { content: errorContent }
					: {}),
		};
	}
	if (google) {
		// Google's surface answers every invalid argument with its 400, never a problem.
		responses["400"] ??= {
			description: "An invalid parameter (Google's error shape)",
			content: errorContent,
		};
		responses["503"] ??= { description: UNAVAILABLE, headers: headersOf(route, 503), content: errorContent };
		return responses;
	}
	const implied = impliedStatuses(route, method);
	// Every problem route may answer 400 (a request the runtime cannot read) and, unless its
	// parameters only fall back (`doc.lenient`), 422.
	for (const status of doc.lenient ? ["400"] : ["400", "422"])
		implied[Number(status)] ??= "Problem (RFC 9457)";
	for (const [status, description] of Object.entries(implied)) {
		const headers = headersOf(route, Number(status));
		responses[status] ??= { description, ...(headers ? { headers } : {}), content: errorContent };
	}
	return responses;
}

/**
 * The headers an answer of this status carries: Retry-After on a 503 and on a rate limit's
 * 429 (every one sends it), Location on a redirect and on every create (routes/api/created
 * answers each 201 with it), and beside it on an idempotent create `Idempotent-Replayed`.
 * Each is added, never instead of another.
 */
function headersOf(route: Documented, status: number): Record<string, unknown> | undefined {
	if (status === 503 || status === 429)
		return { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "string" } } };
	if (status === 200 && revalidates(route))
		return {
			ETag: ETAG,
			"Cache-Control": { description: "How long the answer may be kept", schema: { type: "string" } },
		};
	if (status === 304) return { ETag: ETAG };
	if (status >= 300 && status < 400)
		return { Location: { description: "Where it is now", schema: { type: "string" } } };
	if (status !== 201) return undefined;
	return {
		Location: {
			description: route.doc?.location ?? "The address of what was created",
			schema: { type: "string" },
		},
		...(route.idempotent
			? {
					"Idempotent-Replayed": {
						description: "`true` on a repeat of a request with the same `Idempotency-Key`: the first answer",
						schema: { type: "string", const: "true" },
					},
				}
			: {}),
	};
}

/** `Idempotency-Key`, on the routes whose handler honours it. */
function idempotencyHeader(route: Documented) {
	if (!route.idempotent) return [];
	return [
		{
			name: "Idempotency-Key",
			in: "header",
			required: false,
			description:
				"Makes a retry safe: a repeat of this request (same token owner, key, path and body) within 24 hours gets the first answer instead of a second record, also after a 503 whose detail says a write may have been made (the desk Worker's run failed): the record and the key's mark that it was written are stored together, so the repeat answers the record written (its Location, the record as it is now; one gone since as this route answers a record not there: its claim merged since a 409 `claim-merged` naming the claim kept, removed a 410 `claim-removed`, a draft discarded or a webhook deleted a 404) and never writes it again. While the first request may still be running before its write, a repeat is a 409 `idempotency-pending` (try again in a moment); one that stopped before writing wrote nothing, and a repeat a minute later makes the record. The same key with another path or body is a 422 `idempotency-key-reused` once the first request was written; before that a 409 `idempotency-pending`, and once the first is a minute old and wrote nothing, the other request takes the key over and is made (the key then stands for it).",
			schema: { type: "string", pattern: IDEMPOTENCY_KEY_PATTERN.source },
		},
	];
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
		parameters: [
			...parameters(doc.params ?? route.params, "path"),
			...parameters(route.query, "query"),
			...idempotencyHeader(route),
			...(revalidates(route)
				? [
						{
							name: "If-None-Match",
							in: "header",
							required: false,
							description: "The `ETag` of a copy held: a 304 without a body when it is still current",
							schema: { type: "string" },
						},
					]
				: []),
		],
		...(body
			? {
					requestBody: {
						required: true,
						content: { "application/json": { schema: jsonSchema(body, "input") } },
					},
				}
			: {}),
		responses: responsesOf(route, doc, method),
		...(rule.startsWith("token")
			? { security: [{ bearer: rule.startsWith("token:") ? [rule.slice(6)] : [] }] }
			: doc.optionalToken
				? // `{}`: no token at all is fine too.
					{ security: [{}, ...doc.optionalToken.map((scope) => ({ bearer: [scope] }))] }
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
			// Sent on every answer but a shared one (lib/cache-policy), so told once here.
			headers: {
				"X-Request-Id": {
					description:
						"This request's id, as the problem's `requestId` and the audit log name it (quote it when reporting a problem). On every answer except a public read's cacheable 200 and 304; a client's own `X-Request-Id` is kept apart, never used as ours.",
					schema: { type: "string" },
				},
			},
		},
	};
}
