import { type AccessRule, accessRule, declaredRoutes, type HttpMethod } from "../lib/route-declaration";

/**
 * Who may call each route of the app, derived from the route declarations
 * (`declareRoute` in each router), which also enforce it: a reviewer reads the table,
 * tests/api/route-access.test.ts holds it to `app.routes` and to behaviour.
 *
 * - `public`: anyone, no credentials.
 * - `token`: any valid API token (the action needs no scope).
 * - `token:<scope>`: an API token with that scope, whose owner's role allows the action.
 * - `session:<role>`: a desk session of at least that role.
 */
export interface RouteAccess {
	method: HttpMethod;
	/** As Hono registers it (app.routes), including regexp parameters. */
	path: string;
	rule: AccessRule;
	reason?: string;
}

/** The table; call it after the app is composed (importing src/app builds every router). */
export function accessRules(): RouteAccess[] {
	return declaredRoutes().map((route) => ({
		method: route.method,
		path: route.path,
		rule: accessRule(route.access),
		...(route.reason ? { reason: route.reason } : {}),
	}));
}
