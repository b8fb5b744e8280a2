import type { DrizzleD1Database } from "drizzle-orm/d1";
import { drizzle } from "drizzle-orm/d1";
import { createFactory } from "hono/factory";
import type { RequestIdVariables } from "hono/request-id";
import type { SecureHeadersVariables } from "hono/secure-headers";
import type { Effects, PublishingPolicy } from "./commands/context";
import * as schema from "./db/schema";
import type { UiLanguage } from "./domain/ratings";
import type { RequestContext } from "./lib/workers-caching";
import type { PastedClaimMatcher } from "./store/claim-matches";

export type Db = DrizzleD1Database<typeof schema>;

export interface SessionUser {
	id: string;
	email: string;
	name: string;
	role: schema.Role;
}

export interface AppEnv {
	Bindings: Env;
	Variables: RequestIdVariables &
		SecureHeadersVariables & {
			/** Per-request Drizzle instance over D1 (or a D1 read-replica session). */
			db: Db;
			/** A client's own X-Request-Id, kept apart from ours (lib/request-id). */
			clientRequestId: string | null;
			/**
			 * Where commands send their side effects: the background of this request. Set in
			 * the desk Worker only (commands/request-effects); the public Worker runs no command.
			 */
			effects: Effects;
			/** The deployment's publishing rules, set beside `effects` (commands/request-effects). */
			policy: PublishingPolicy;
			/**
			 * Google's pasted-claim matcher (store/claim-matches), set in the desk Worker only
			 * (src/app.ts): the public Worker's bundle leaves the claim matcher out (#14's budget).
			 */
			claimMatcher: PastedClaimMatcher | undefined;
			lang: UiLanguage;
			/** The language came from a cookie or Accept-Language, not the URL (lib/language). */
			langNegotiated: boolean;
			user: SessionUser | null;
		};
}

export function createDb(d1: D1Database | D1DatabaseSession): Db {
	// drizzle's D1 driver only calls prepare/batch, which a Sessions API session has too.
	return drizzle(d1 as D1Database, { schema });
}

/**
 * A per-request Db made on first use: building drizzle's relational config costs
 * ~70 µs, which routes served from cache (badges, cards) should not pay.
 */
export function lazyDb(make: () => Db): Db {
	let instance: Db | undefined;
	return new Proxy({} as Db, {
		get(_target, property) {
			instance ??= make();
			const value = Reflect.get(instance, property, instance);
			return typeof value === "function" ? value.bind(instance) : value;
		},
	});
}

/** The request's ExecutionContext, or undefined where there is none (app.request in scripts). */
export function executionContext(c: { executionCtx: unknown }): RequestContext | undefined {
	try {
		return c.executionCtx as RequestContext;
	} catch {
		return undefined;
	}
}

export const factory = createFactory<AppEnv>({
	initApp: (app) => {
		app.use(async (c, next) => {
			// Routers mounted into the entry app share the instance the entry app made.
			if (!c.get("db"))
				c.set(
					"db",
					lazyDb(() => createDb(c.env.DB)),
				);
			await next();
		});
	},
});
