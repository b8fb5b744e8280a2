import type { D1Migration } from "cloudflare:test";

declare global {
	namespace Cloudflare {
		interface Env {
			TEST_MIGRATIONS: D1Migration[];
			/** Empty until tests/api/migrations.test.ts applies migrations to it step by step. */
			MIGRATION_DB: D1Database;
			RESTORED_ARCHIVE: R2Bucket;
		}
	}
}
