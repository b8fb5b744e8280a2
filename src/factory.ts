import {
	createTableRelationsHelpers,
	type ExtractTablesWithRelations,
	extractTablesRelationalConfig,
	type RelationalSchemaConfig,
} from "drizzle-orm";
import { DrizzleD1Database, SQLiteD1Session } from "drizzle-orm/d1";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
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

type RelationalSchema = RelationalSchemaConfig<ExtractTablesWithRelations<typeof schema>>;

/**
 * What drizzle's `drizzle(d1, { schema })` derives from the schema on every call, for
 * `db.query`: it runs every table's index and check builders, about 300 µs (node, 26 tables),
 * a tenth of a claim list's CPU. It is a description of the module's tables, not a client
 * and not per request, so it is made once per isolate; each request still gets its own Db
 * over its own D1 binding or session (below).
 */
let relationalSchema: RelationalSchema | undefined;

function relationalSchemaOnce(): RelationalSchema {
	if (!relationalSchema) {
		const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
		relationalSchema = {
			fullSchema: schema,
			// As drizzle's own driver types it: the config extracted from `schema` is its tables'.
			schema: tables.tables as ExtractTablesWithRelations<typeof schema>,
			tableNamesMap: tables.tableNamesMap,
		};
	}
	return relationalSchema;
}

/**
 * A Db over one request's D1 binding or read-replica session: `drizzle(d1, { schema })` as
 * drizzle-orm/d1 makes it (its driver.js), with the relational schema made once.
 */
export function createDb(d1: D1Database | D1DatabaseSession): Db {
	const relational = relationalSchemaOnce();
	const dialect = new SQLiteAsyncDialect();
	// drizzle's D1 driver only calls prepare/batch, which a Sessions API session has too.
	const session = new SQLiteD1Session<typeof schema, ExtractTablesWithRelations<typeof schema>>(
		d1 as D1Database,
		dialect,
		relational,
		{},
	);
	return new DrizzleD1Database<typeof schema>("async", dialect, session, relational);
}

/**
 * A per-request Db made on first use: routes served from cache (badges, cards) should
 * not pay even for making one.
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
