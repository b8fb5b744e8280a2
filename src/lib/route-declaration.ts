import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { every } from "hono/combine";
import { createMiddleware } from "hono/factory";
import type * as z from "zod";
import { type ApiEnv, bearerAuth, requireAction } from "../auth/api-tokens";
import { ACTIONS, type Action, can, hasRole, type Scope } from "../auth/permissions";
import type { Role } from "../db/schema";
import type { AppEnv } from "../factory";
import { AppError, forbidden } from "./errors";
import { requireJson, validate } from "./validate";

/**
 * Each route is declared once, as the first middleware of its handler chain: the
 * declaration gives the access rule (enforced here and listed by `declaredRoutes()`,
 * which the route-access test holds to what the app registers), the validators (whose
 * outputs type `c.req.valid`), and, when `doc` is set, the OpenAPI operation built
 * from the same zod schemas (lib/openapi.ts). Nothing else lists routes.
 *
 * Access:
 * - `public`: anyone, no credentials.
 * - `{ token: action }`: an API token with the action's scope whose owner's role allows
 *   it; `{ token: null }` any valid token. Bodies are capped at `MAX_JSON_BODY`.
 * - `{ session: action | role }`: a desk session whose role allows the action (the desk
 *   router has already sent anyone without a session to the login form).
 */
export type Access = "public" | { token: Action | null } | { session: Action | Role };

/** The access rule as one word, for the table a reviewer reads (and the tests check). */
export type AccessRule = "public" | "token" | `token:${Scope}` | `session:${Role}`;

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

interface RouteDoc {
	/** The OpenAPI path when the route's pattern is not a plain template (claims:search). */
	path?: string;
	summary: string;
	description?: string;
	tags: string[];
	/**
	 * Status → description and (JSON) schema. Only what the declaration does not say: lib/openapi
	 * adds the statuses it implies (404 with path parameters, 401/403 with a token, 400/413/415
	 * with a body, 409/422 on writes) and gives a 4xx without a schema the problem schema.
	 * `members`: a problem's extension members (name → description, string-valued), made into
	 * its schema by lib/openapi, so a route of the public Worker names them without the problem
	 * schemas' weight in its bundle (#14's budget).
	 */
	responses: Record<
		number,
		{ description: string; schema?: z.ZodType; contentType?: string; members?: Record<string, string> }
	>;
	/** The shape of its errors: problem+json, or Google's (lib/errors `googleErrorBody`). */
	errors?: "problem" | "google";
	/** The body to document when it differs from the one validated first (see the import). */
	body?: z.ZodType;
	/**
	 * The path parameters to document when the pattern names them otherwise (a badge's
	 * `:file{[^/]+\.svg}` is `{id}.svg`, its `id` read by the handler).
	 */
	params?: z.ZodObject;
	/**
	 * Its parameters fall back rather than refuse (an embed's variants: an <img> or a frame shows
	 * something or nothing, never a problem): lib/openapi implies no 422.
	 */
	lenient?: true;
	/** `false`: a public read without ETag and 304 (a streamed export, oEmbed); lib/openapi documents them otherwise. */
	etag?: false;
	/**
	 * A public route that reads a token for some of its parameters (the claim list's
	 * `assignee`): any one of these scopes. Documented as optional security, so a generated
	 * client can send the bearer.
	 */
	optionalToken?: readonly Scope[];
	/** What a 201's `Location` names, when not the record created (an appearance: its claim). */
	location?: string;
}

export interface RouteDeclaration<
	P extends z.ZodObject | undefined = undefined,
	Q extends z.ZodObject | undefined = undefined,
	B extends z.ZodType | undefined = undefined,
> {
	method: HttpMethod;
	/** The full path as the app registers it (`app.routes`), e.g. /api/v1/claims/:id. */
	path: string;
	access: Access;
	/** Why the rule is what it is, where that is not obvious. */
	reason?: string;
	params?: P;
	query?: Q;
	/** A JSON body (requires `application/json`). */
	body?: B;
	/** Token writes' body cap when not `MAX_JSON_BODY`. */
	maxBody?: number;
	/** A write whose body is not JSON: its handler reads and checks the bytes itself (a restored archive object). */
	rawBody?: true;
	/**
	 * Its handler honours `Idempotency-Key` (routes/api/created.ts): the OpenAPI document
	 * lists the header (tests/api/api-contract.test.ts holds the list to the creates).
	 */
	idempotent?: true;
	/** Present for routes of the public and write API: their OpenAPI operation. */
	doc?: RouteDoc;
	/**
	 * Other sites' scripts may read it (CORS, see lib/public-cors.ts). Defaults to true
	 * for documented public GET routes (the read API, the Google-compatible search,
	 * exports) and false for everything else.
	 */
	cors?: boolean;
}

type Declared = RouteDeclaration<z.ZodObject | undefined, z.ZodObject | undefined, z.ZodType | undefined>;

const declarations: Declared[] = [];

/** Every declared route, in the order the routers were built. */
export function declaredRoutes(): readonly Declared[] {
	return declarations;
}

export function allowsCors(route: Declared): boolean {
	return route.cors ?? (route.access === "public" && route.method === "GET" && route.doc !== undefined);
}

export function accessRule(access: Access): AccessRule {
	if (access === "public") return "public";
	if ("token" in access) {
		const scope = access.token ? ACTIONS[access.token].scope : null;
		return scope ? `token:${scope}` : "token";
	}
	const who = access.session;
	return `session:${who in ACTIONS ? ACTIONS[who as Action].role : (who as Role)}`;
}

const MAX_JSON_BODY = 128 * 1024;

/** The body cap of a token write (413 beyond it). */
export function bodyCap(declaration: Pick<Declared, "maxBody">): number {
	return declaration.maxBody ?? MAX_JSON_BODY;
}

/** The cap as a person reads it: "128 KB", "2 MB". */
export function sizeLabel(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes / 1024} KB`;
}

/** Every token-authenticated write: a bounded body (also when chunked), then the token. */
function tokenWrite(maxSize: number): MiddlewareHandler {
	const size = sizeLabel(maxSize);
	return every(
		bodyLimit({
			maxSize,
			onError: () => {
				throw new AppError(413, `The request body is larger than ${size}.`);
			},
		}),
		bearerAuth,
	);
}
const defaultTokenWrite = tokenWrite(MAX_JSON_BODY);

function sessionAccess(who: Action | Role): MiddlewareHandler {
	return createMiddleware(async (c, next) => {
		const session = c.get("session") as { user: { role: Role } } | null | undefined;
		if (!session) throw new AppError(401, "Log in to use the desk.");
		const allowed =
			who in ACTIONS ? can(session.user.role, who as Action) : hasRole(session.user.role, who as Role);
		if (!allowed) throw forbidden();
		await next();
	});
}

function accessMiddleware(declaration: Declared): MiddlewareHandler[] {
	const { access } = declaration;
	if (access === "public") return [];
	if ("session" in access) return [sessionAccess(access.session)];
	const write = declaration.method !== "GET";
	const auth = !write
		? bearerAuth
		: declaration.maxBody
			? tokenWrite(declaration.maxBody)
			: defaultTokenWrite;
	const chain = access.token ? [auth, requireAction(access.token)] : [auth];
	return write && !declaration.body && !declaration.rawBody ? [...chain, noBody] : chain;
}

type Validated<
	P extends z.ZodObject | undefined,
	Q extends z.ZodObject | undefined,
	B extends z.ZodType | undefined,
> = (P extends z.ZodObject ? { param: z.output<P> } : Nothing) &
	(Q extends z.ZodObject ? { query: z.output<Q> } : Nothing) &
	(B extends z.ZodType ? { json: z.output<B> } : Nothing);
type Nothing = Record<never, never>;

/** Token routes' handlers read the caller (`c.var.caller`) that bearerAuth sets. */
type EnvFor<A extends Access> = A extends { token: unknown } ? ApiEnv : AppEnv;

/**
 * Declares a route and returns its one middleware: access check, then path parameters,
 * query and body validation (422 problem+json with field paths on failure).
 */
export function declareRoute<
	A extends Access,
	P extends z.ZodObject | undefined = undefined,
	Q extends z.ZodObject | undefined = undefined,
	B extends z.ZodType | undefined = undefined,
>(
	declaration: RouteDeclaration<P, Q, B> & { access: A },
): MiddlewareHandler<EnvFor<A>, string, { out: Validated<P, Q, B> }> {
	declarations.push(declaration as Declared);
	const chain: MiddlewareHandler[] = accessMiddleware(declaration as Declared);
	if (declaration.params) chain.push(validate("param", declaration.params) as MiddlewareHandler);
	if (declaration.query) chain.push(validate("query", declaration.query) as MiddlewareHandler);
	if (declaration.body) chain.push(requireJson, validate("json", declaration.body) as MiddlewareHandler);
	return (chain.length === 0 ? passThrough : every(...chain)) as MiddlewareHandler<
		EnvFor<A>,
		string,
		{ out: Validated<P, Q, B> }
	>;
}

/**
 * A token write that takes no body (a delete, a rotation) refuses one all the same, as
 * the others refuse a wrong one: 415 for another type, 400 for broken JSON, 422 for
 * anything but nothing or `{}`. Nothing at all, or an empty JSON object, passes.
 */
const noBody = createMiddleware(async (c, next) => {
	const type = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase() ?? "";
	const text = await c.req.text();
	if (type === "" && text === "") return next();
	if (!/^application\/([\w.-]+\+)?json$/.test(type)) throw new AppError(415, "This request takes no body.");
	let value: unknown;
	try {
		value = text.trim() === "" ? {} : JSON.parse(text);
	} catch {
		throw new AppError(400, "The body is not valid JSON.");
	}
	if (
		value !== null &&
		!(typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0)
	) {
		throw new AppError(422, "This request takes no body.", {
			errors: [{ path: "body", message: "Send no body." }],
		});
	}
	await next();
});

const passThrough: MiddlewareHandler = async (_c, next) => {
	await next();
};
