import { applyD1Migrations, env } from "cloudflare:test";

// Setup files run before every test file; applying is idempotent.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
