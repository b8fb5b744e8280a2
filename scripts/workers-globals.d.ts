// Node-side scripts and tests import the store and factory, which name Workers
// types as globals. Borrow just those from the module form of the Workers types.
import type * as Workers from "@cloudflare/workers-types/index";

declare global {
	type D1Database = Workers.D1Database;
	type D1DatabaseSession = Workers.D1DatabaseSession;
	type D1Result<T = unknown> = Workers.D1Result<T>;
	type ExecutionContext = Workers.ExecutionContext;
	type Cache = Workers.Cache;
	type Queue<Body = unknown> = Workers.Queue<Body>;
	type R2Bucket = Workers.R2Bucket;
	type R2ObjectBody = Workers.R2ObjectBody;
	/** The Worker's bindings as far as Node-side code touches them (see worker-configuration.d.ts). */
	interface Env {
		DB: D1Database;
		ORG_NAME: string;
		ORG_URL: string;
		ORG_LOGO: string;
		PUBLIC_URL: string;
		PUBLIC_UNREVIEWED?: string;
		WEBHOOK_QUEUE: Queue;
		WEBHOOK_DEAD_LETTERS: Queue;
		SNAPSHOT_QUEUE: Queue;
		ARCHIVE: R2Bucket;
		ARCHIVE_ORG_SAVE?: string;
		AI?: import("../src/lib/semantic-index").AiBinding;
		VECTORIZE?: import("../src/lib/semantic-index").VectorIndexBinding;
	}
}
