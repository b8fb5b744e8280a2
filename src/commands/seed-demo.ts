import { CHOE, LAWROW, WONSAN_CLAIMS, WONSAN_SOURCE } from "../db/demo-data";
import type { Db } from "../factory";
import type { SpeakerInput } from "../schemas/records";
import { type Actor, SYSTEM } from "../store/batch";
import { createSource, findSourceByUrl } from "../store/sources";
import { createSpeaker, searchSpeakers } from "../store/speakers";
import { recordClaim } from "./claims";
import { type CommandContext, NO_EFFECTS } from "./context";

export interface SeedReport {
	claimsCreated: number;
	claimsSkipped: number;
	speakersCreated: number;
	sourcesCreated: number;
}

/**
 * Fills the database with the Wonsan demo data; a second run adds nothing. Scripts
 * seed a database no cache fronts, hence no effects unless a caller passes them.
 */
export async function seedDemo(
	db: Db,
	actor: Actor = SYSTEM("seed"),
	effects: CommandContext["effects"] = NO_EFFECTS,
): Promise<SeedReport> {
	const ctx: CommandContext = { db, actor, effects };
	const report: SeedReport = { claimsCreated: 0, claimsSkipped: 0, speakersCreated: 0, sourcesCreated: 0 };
	let source = await findSourceByUrl(db, WONSAN_SOURCE.url);
	if (!source) {
		source = await createSource(db, actor, WONSAN_SOURCE);
		report.sourcesCreated++;
	}
	const speakerIds = {
		lawrow: await ensureSpeaker(db, actor, LAWROW, report),
		choe: await ensureSpeaker(db, actor, CHOE, report),
	};
	for (const claim of WONSAN_CLAIMS) {
		const result = await recordClaim(ctx, {
			...claim,
			speaker: claim.speaker ? { id: speakerIds[claim.speaker] } : null,
			source: { id: source.id },
		});
		if (result.kind === "created") report.claimsCreated++;
		else report.claimsSkipped++;
	}
	return report;
}

async function ensureSpeaker(db: Db, actor: Actor, input: SpeakerInput, report: SeedReport): Promise<string> {
	const existing = (await searchSpeakers(db, input.name, 5)).find((s) => s.name === input.name);
	if (existing) return existing.id;
	report.speakersCreated++;
	return (await createSpeaker(db, actor, input)).id;
}
