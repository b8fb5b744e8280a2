import { seedDemo } from "../src/commands/seed-demo";
import { applyLocalMigrations, withLocalDb } from "./lib/local-db";

applyLocalMigrations();
const report = await withLocalDb((db) => seedDemo(db));
console.log(
	`seed: ${report.claimsCreated} claims, ${report.speakersCreated} speakers, ${report.sourcesCreated} sources created; ${report.claimsSkipped} claims already there`,
);
