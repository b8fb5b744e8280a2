import type { D1Migration } from "cloudflare:test";

declare global {
	namespace Cloudflare {
		interface Env {
			TEST_MIGRATIONS: D1Migration[];
			/** Empty until tests/api/migrations.test.ts applies migrations to it step by step. */
			MIGRATION_DB: D1Database;
			/** Empty: the evidence archive's backup round trip restores into it. */
			RESTORED_DB: D1Database;
			/** The demo seed's empty database (tests/api/seed.test.ts). */
			SEED_DB: D1Database;
			/** tests/api/store-constraints.test.ts counts whole tables in it. */
			CONSTRAINTS_DB: D1Database;
			/** tests/api/query-plans.test.ts fills it with 100,000 claims; nothing empties it. */
			PLANS_DB: D1Database;
			RESTORED_ARCHIVE: R2Bucket;
		}
	}
}
