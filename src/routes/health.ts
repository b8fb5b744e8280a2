import { sql } from "drizzle-orm";
import { factory } from "../factory";

export const healthRoutes = factory.createApp().get("/healthz", async (c) => {
	const started = Date.now();
	const row = await c.var.db.get<{ ok: number }>(sql`SELECT 1 AS ok`);
	return c.json(
		{ status: "ok", database: row?.ok === 1 ? "ok" : "unexpected", databaseMs: Date.now() - started },
		200,
		{ "Cache-Control": "no-store" },
	);
});
