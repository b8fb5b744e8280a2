import { seedDemo } from "../src/commands/seed-demo";
import { seedDemoSnapshot } from "./lib/demo-snapshot";
import { applyLocalMigrations, withLocalBindings } from "./lib/local-db";

// No options: the demo goes into the local D1 only. An option (`--url https://…`, as if it
// could seed a deployment) would otherwise be ignored and the local database seeded unasked.
if (process.argv.length > 2) {
	console.error("Usage: npm run seed   (no options: the local D1 of wrangler dev)");
	process.exit(2);
}

applyLocalMigrations();
const report = await withLocalBindings(async ({ db, archive }) => {
	const seeded = await seedDemo(db);
	if (await seedDemoSnapshot(db, archive)) console.log("seed: archived copy of the Wonsan article stored");
	return seeded;
});
console.log(
	`seed: ${report.claimsCreated} claims, ${report.speakersCreated} speakers, ${report.sourcesCreated} sources created; ${report.claimsSkipped} claims already there, ${report.claimsRemoved} removed on the desk (not recorded again)`,
);
