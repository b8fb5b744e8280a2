import type { Scope } from "../auth/permissions";
import type { Role } from "../db/schema";

/**
 * Who may call each route of the app, in one place a reviewer can read top to bottom.
 * The checks themselves live next to what they protect (bearerAuth + requireAction on
 * the write API, the desk session middleware + `allowed()` in the desk handlers); this
 * table is the declaration tests/api/route-access.test.ts holds them to. A route added
 * without a line here fails that test, and so does a line whose route is gone.
 *
 * - `public`: anyone, no credentials.
 * - `token`: any valid API token (the action needs no scope).
 * - `token:<scope>`: an API token with that scope, whose owner's role allows the action.
 * - `session:<role>`: a desk session of at least that role.
 */
export type AccessRule = "public" | "token" | `token:${Scope}` | `session:${Role}`;

export interface RouteAccess {
	method: "GET" | "POST" | "PUT";
	/** As Hono registers it (app.routes), including regexp parameters. */
	path: string;
	rule: AccessRule;
	reason?: string;
}

export const ACCESS_RULES: readonly RouteAccess[] = [
	{ method: "GET", path: "/healthz", rule: "public", reason: "load balancers probe it" },

	// Write API: servers and scripts with a bearer token.
	{ method: "POST", path: "/api/v1/claims", rule: "token:claims:write" },
	{ method: "POST", path: "/api/v1/claims/:id/appearances", rule: "token:claims:write" },
	{ method: "POST", path: "/api/v1/claims/:id/verdicts", rule: "token:verdicts:write" },
	{
		method: "GET",
		path: "/api/v1/verdicts/:id",
		rule: "token",
		reason: "shows drafts, so never public; reading needs no scope",
	},
	{ method: "PUT", path: "/api/v1/verdicts/:id", rule: "token:verdicts:write" },
	{ method: "POST", path: "/api/v1/verdicts/:id/publish", rule: "token:verdicts:publish" },
	{ method: "POST", path: "/api/v1/verdicts/:id/retract", rule: "token:verdicts:publish" },
	{
		method: "POST",
		path: "/api/v1/import",
		rule: "token:import",
		reason: "brings in published verdicts of other fact-checkers",
	},
	{
		method: "POST",
		path: "/api/v1/extract",
		rule: "token:claims:write",
		reason: "stores nothing, but fetches other sites on the caller's behalf",
	},

	// The desk.
	{ method: "GET", path: "/desk/login", rule: "public" },
	{
		method: "POST",
		path: "/desk/login",
		rule: "public",
		reason: "guarded by the origin check and rate limit",
	},
	{
		method: "POST",
		path: "/desk/logout",
		rule: "public",
		reason: "needs no role; without a session there is nothing to end (401)",
	},
	{ method: "GET", path: "/desk/assets/desk.js", rule: "public", reason: "the login page loads it" },
	{
		method: "GET",
		path: "/desk/speakers/search",
		rule: "session:checker",
		reason: "type-ahead of the claim form",
	},
	{ method: "GET", path: "/desk", rule: "session:checker" },
	{ method: "GET", path: "/desk/articles/new", rule: "session:checker" },
	{
		method: "POST",
		path: "/desk/articles",
		rule: "session:checker",
		reason: "stores nothing; fetches a page",
	},
	{ method: "GET", path: "/desk/claims/new", rule: "session:checker" },
	{ method: "POST", path: "/desk/claims", rule: "session:checker" },
	{ method: "GET", path: "/desk/claims/:id", rule: "session:checker", reason: "shows drafts" },
	{ method: "POST", path: "/desk/claims/:id/appearances", rule: "session:checker" },
	{ method: "GET", path: "/desk/claims/:id/verdicts/new", rule: "session:checker" },
	{ method: "POST", path: "/desk/claims/:id/verdicts", rule: "session:checker" },
	{ method: "GET", path: "/desk/verdicts/:id/edit", rule: "session:checker" },
	{ method: "POST", path: "/desk/verdicts/:id", rule: "session:checker" },
	{ method: "POST", path: "/desk/verdicts/:id/publish", rule: "session:editor" },
	{ method: "POST", path: "/desk/verdicts/:id/retract", rule: "session:editor" },
	{ method: "GET", path: "/desk/admin/users", rule: "session:admin" },
	{ method: "POST", path: "/desk/admin/users", rule: "session:admin" },
	{ method: "GET", path: "/desk/admin/users/:id", rule: "session:admin" },
	{ method: "POST", path: "/desk/admin/users/:id/role", rule: "session:admin" },
	{ method: "POST", path: "/desk/admin/users/:id/disable", rule: "session:admin" },
	{ method: "POST", path: "/desk/admin/users/:id/enable", rule: "session:admin" },
	{ method: "POST", path: "/desk/admin/users/:id/password", rule: "session:admin" },
	{ method: "POST", path: "/desk/admin/users/:id/tokens", rule: "session:admin" },
	{ method: "POST", path: "/desk/admin/users/:id/tokens/:tokenId/revoke", rule: "session:admin" },
	{ method: "GET", path: "/desk/tokens", rule: "session:checker", reason: "everyone's own tokens" },
	{ method: "POST", path: "/desk/tokens", rule: "session:checker", reason: "scopes capped by the role" },
	{
		method: "POST",
		path: "/desk/tokens/:tokenId/revoke",
		rule: "session:checker",
		reason: "only the caller's own tokens",
	},

	// Public API, exports and compatibility endpoints: published data only.
	{ method: "GET", path: "/api/v1/claims", rule: "public" },
	{ method: "GET", path: "/api/v1/claims/:id", rule: "public", reason: "drafts are never included" },
	{ method: "GET", path: "/api/v1/speakers", rule: "public" },
	{ method: "GET", path: "/api/v1/speakers/:slug", rule: "public" },
	{ method: "GET", path: "/api/v1/sources", rule: "public" },
	{ method: "GET", path: "/api/v1/sources/:id", rule: "public" },
	{ method: "GET", path: "/api/v1/ratings", rule: "public" },
	{ method: "GET", path: "/api/v1/openapi.json", rule: "public" },
	{ method: "GET", path: "/api/v1/export.ndjson", rule: "public", reason: "open data, published only" },
	{ method: "GET", path: "/api/v1/export/claimreview.json", rule: "public" },
	{ method: "GET", path: "/v1alpha1/:method{claims:search}", rule: "public" },

	// Pages, embeds and feeds.
	{ method: "GET", path: "/assets/app.css", rule: "public" },
	{ method: "GET", path: "/badges/:file{[^/]+\\.svg}", rule: "public", reason: "embedded on other sites" },
	{ method: "GET", path: "/embed/:id", rule: "public", reason: "framed by other sites" },
	{ method: "GET", path: "/oembed", rule: "public" },
	{ method: "GET", path: "/feeds/verdicts.atom", rule: "public" },
	{ method: "GET", path: "/", rule: "public" },
	{ method: "GET", path: "/claims", rule: "public" },
	{ method: "GET", path: "/claims/:id", rule: "public" },
	{ method: "GET", path: "/speakers", rule: "public" },
	{ method: "GET", path: "/speakers/:slug", rule: "public" },
	{ method: "GET", path: "/sources/:id", rule: "public" },
	{ method: "GET", path: "/api/docs", rule: "public" },
];
