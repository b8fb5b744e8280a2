import { seedDemo } from "../src/commands/seed-demo";
import { seedDemoSnapshot } from "./lib/demo-snapshot";
import { applyLocalMigrations, withLocalBindings } from "./lib/local-db";

applyLocalMigrations();
const report = await withLocalBindings(async ({ db, archive }) => {
	const seeded = await seedDemo(db);
	if (await seedDemoSnapshot(db, archive)) console.log("seed: archived copy of the Wonsan article stored");
	return seeded;
});
console.log(
	`seed: ${report.claimsCreated} claims, ${report.speakersCreated} speakers, ${report.sourcesCreated} sources created; ${report.claimsSkipped} claims already there, ${report.claimsRemoved} removed on the desk (not recorded again)`,
);
