import { sql } from "drizzle-orm";
import { factory } from "../factory";
import { isD1Unavailable } from "../lib/d1-errors";
import { AppError } from "../lib/errors";
import { declareRoute } from "../lib/route-declaration";

/** A health check that hangs is as bad as one that fails: give D1 this long. */
const DATABASE_TIMEOUT_MS = 5_000;

export const healthRoutes = factory
	.createApp()
	.get(
		"/healthz",
		declareRoute({ method: "GET", path: "/healthz", access: "public", reason: "load balancers probe it" }),
		async (c) => {
			const started = Date.now();
			let timer: ReturnType<typeof setTimeout> | undefined;
			try {
				const row = await Promise.race([
					c.var.db.get<{ ok: number }>(sql`SELECT 1 AS ok`),
					new Promise<never>((_, reject) => {
						timer = setTimeout(
							() => reject(new Error("D1_ERROR: health check timed out")),
							DATABASE_TIMEOUT_MS,
						);
					}),
				]);
				return c.json(
					{ status: "ok", database: row?.ok === 1 ? "ok" : "unexpected", databaseMs: Date.now() - started },
					200,
					{ "Cache-Control": "no-store" },
				);
			} catch (error) {
				// Any database failure means unhealthy (503, so load balancers drain), never a 500 with details.
				if (!isD1Unavailable(error)) console.error(`[${c.var.requestId}] GET /healthz`, error);
				else console.warn(`[${c.var.requestId}] GET /healthz: D1 unavailable`, String(error));
				throw new AppError(503, "The database is not answering.", { headers: { "Retry-After": "5" } });
			} finally {
				clearTimeout(timer);
			}
		},
	);
