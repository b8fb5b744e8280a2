import { createShell, finishShell } from "./app-shell";
import { idempotencyMarks } from "./auth/idempotency";
import { commandEffects } from "./commands/request-effects";
import { mountPublicRoutes } from "./public-app";
import { backupApi } from "./routes/api/backup";
import { collaborationApi } from "./routes/api/collaboration";
import { editApi } from "./routes/api/edits";
import { extractApi } from "./routes/api/extract";
import { importApi } from "./routes/api/import";
import { matchApi } from "./routes/api/matches";
import { matchingBackfillApi } from "./routes/api/matching-backfill";
import { webhookApi } from "./routes/api/webhooks";
import { writeApi } from "./routes/api/write";
import { apiDocRoutes } from "./routes/api-docs";
import { deskRoutes } from "./routes/desk";
import { pastedClaimMatches } from "./store/claim-matches";

/**
 * Every route: the desk Worker's app (src/desk-worker.ts). The public Worker answers the
 * read routes itself and sends everything else here, so 404s and 405s are decided where
 * every route is known. Tests read its routes.
 */
export const app = createShell();

app.use(commandEffects);
// Before every route's own middleware (a token's guard wraps the Db this makes).
app.use(idempotencyMarks);
// Writes and the desk come before the public routers: the pages' middleware (mounted
// at "*") would otherwise run for them first. CORS is per declared route (lib/public-cors).
app.route("/api/v1", writeApi);
app.route("/api/v1", editApi);
app.route("/api/v1", importApi);
app.route("/api/v1", extractApi);
app.route("/api/v1", webhookApi);
app.route("/api/v1", collaborationApi);
app.route("/api/v1", matchingBackfillApi);
app.route("/api/v1", backupApi);
app.route("/desk", deskRoutes);
app.route("/", apiDocRoutes);
// The claim matcher lives here only (src/public-app): its route before the public API's
// /claims/:id, and Google's route finds it as `claimMatcher`.
app.route("/api/v1", matchApi);
app.use("/v1alpha1/*", async (c, next) => {
	c.set("claimMatcher", pastedClaimMatches);
	await next();
});
mountPublicRoutes(app);

finishShell(app);
