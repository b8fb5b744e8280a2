import { CHOE, LAWROW, WONSAN_CLAIMS, WONSAN_SOURCE } from "../db/demo-data";
import { claimFingerprint } from "../domain/fingerprint";
import { sha256Hex } from "../domain/ids";
import { speakerSlug } from "../domain/slug";
import type { Db } from "../factory";
import type { SpeakerInput } from "../schemas/records";
import { type Actor, SYSTEM } from "../store/batch";
import { removedTextHashesAt } from "../store/claim-removals";
import { speakersByExactName } from "../store/claims";
import { claimsWithoutImportIdAt, giveImportId } from "../store/import-ids";
import { retiredImportIds } from "../store/retired-claims";
import { createSource, findSourceByUrl } from "../store/sources";
import { speakerRedirect } from "../store/speaker-edits";
import { createSpeaker, getSpeakerBySlug } from "../store/speakers";
import { recordClaim } from "./claims";
import { type CommandContext, NO_EFFECTS } from "./context";

export interface SeedReport {
	claimsCreated: number;
	/** Recorded already (as they are, or merged into another claim). */
	claimsSkipped: number;
	/** Removed by the desk: not recorded again (README, "Removing a claim recorded by mistake"). */
	claimsRemoved: number;
	speakersCreated: number;
	sourcesCreated: number;
}

const DEMO_SPEAKERS = { lawrow: LAWROW, choe: CHOE } as const;

/**
 * Fills the database with the Wonsan demo data; a second run adds nothing, also after the
 * desk worked on it: a demo speaker merged into another is found by its survivor, and a
 * demo claim the desk removed is not recorded again. Scripts seed a database no cache
 * fronts, hence no effects unless a caller passes them.
 */
export async function seedDemo(
	db: Db,
	actor: Actor = SYSTEM("seed"),
	effects: CommandContext["effects"] = NO_EFFECTS,
): Promise<SeedReport> {
	const ctx: CommandContext = { db, actor, effects };
	const report: SeedReport = {
		claimsCreated: 0,
		claimsSkipped: 0,
		claimsRemoved: 0,
		speakersCreated: 0,
		sourcesCreated: 0,
	};
	let source = await findSourceByUrl(db, WONSAN_SOURCE.url);
	if (!source) {
		source = await createSource(db, actor, WONSAN_SOURCE);
		report.sourcesCreated++;
	}
	const removed = await removedDemoClaims(db, source.id);
	await identifyDemoClaims(db, actor, source.id, removed);
	// Only for a claim still to be recorded: a speaker removed with the desk's last claim of
	// theirs (a removal takes a lone speaker along) does not come back on their own.
	const speakerIds = new Map<keyof typeof DEMO_SPEAKERS, string>();
	const speakerOf = async (key: keyof typeof DEMO_SPEAKERS) => {
		const id = speakerIds.get(key) ?? (await ensureSpeaker(db, actor, DEMO_SPEAKERS[key], report));
		speakerIds.set(key, id);
		return id;
	};
	for (const claim of WONSAN_CLAIMS) {
		if (removed.has(claim.externalId)) {
			report.claimsRemoved++;
			continue;
		}
		const result = await recordClaim(ctx, {
			...claim,
			speaker: claim.speaker ? { id: await speakerOf(claim.speaker) } : null,
			source: { id: source.id },
		});
		if (result.kind === "created") report.claimsCreated++;
		else report.claimsSkipped++;
		// Its quote recorded elsewhere before demo claims had import ids: it gets this one now.
		if (result.kind === "duplicate" && result.match === "quote")
			await giveImportId(db, actor, result.claimId, claim.externalId);
	}
	return report;
}

/**
 * The import ids of the demo claims the desk removed: by their import ids in
 * `retired_claims`, as an import refuses a removed claim's record; a demo claim recorded
 * before they had ids, by the text its removal's audit record hashed, at the demo source.
 */
async function removedDemoClaims(db: Db, sourceId: string): Promise<Set<string>> {
	const [fates, hashes] = await Promise.all([
		retiredImportIds(
			db,
			WONSAN_CLAIMS.map((claim) => claim.externalId),
		),
		removedTextHashesAt(db, sourceId),
	]);
	const removed = new Set<string>();
	for (const claim of WONSAN_CLAIMS) {
		const fate = fates.get(claim.externalId);
		if ((fate && "removedAt" in fate) || hashes.has(await sha256Hex(claim.text)))
			removed.add(claim.externalId);
	}
	return removed;
}

/**
 * A database seeded before demo claims had import ids holds them without: each still to be
 * recorded gets its id back when a claim at the demo source was first recorded with its text
 * (or has it now), so a claim the desk corrected meanwhile is not recorded a second time,
 * and its later removal or merge is remembered by the id.
 */
async function identifyDemoClaims(db: Db, actor: Actor, sourceId: string, removed: ReadonlySet<string>) {
	const unidentified = await claimsWithoutImportIdAt(db, sourceId);
	if (unidentified.length === 0) return;
	const byFingerprint = new Map<string, string>();
	for (const claim of unidentified) {
		// The first text wins over another claim's text now.
		const [first, now] = await Promise.all([claimFingerprint(claim.firstText), claimFingerprint(claim.text)]);
		if (!byFingerprint.has(now)) byFingerprint.set(now, claim.id);
		byFingerprint.set(first, claim.id);
	}
	const given = new Set<string>();
	for (const demo of WONSAN_CLAIMS) {
		if (removed.has(demo.externalId)) continue;
		const claimId = byFingerprint.get(await claimFingerprint(demo.text));
		if (claimId && !given.has(claimId) && (await giveImportId(db, actor, claimId, demo.externalId)))
			given.add(claimId);
	}
}

async function ensureSpeaker(db: Db, actor: Actor, input: SpeakerInput, report: SeedReport): Promise<string> {
	const known = await knownSpeaker(db, input);
	if (known) return known;
	report.speakersCreated++;
	return (await createSpeaker(db, actor, input)).id;
}

/**
 * The demo speaker as the desk may have left it: the speaker carrying its name as name or
 * spelling (a merge makes the merged speaker's name one of the survivor's; of several, the
 * first by id), else the one at its slug or where that slug leads (a merge's redirect). By
 * the exact current name alone, a run after Lawrow's merge created "sergei-lawrow-2" and
 * recorded his claims again.
 */
async function knownSpeaker(db: Db, input: SpeakerInput): Promise<string | null> {
	const [named] = (await speakersByExactName(db, input)).sort();
	if (named) return named;
	const slug = speakerSlug(input.name);
	const at = (await getSpeakerBySlug(db, slug)) ?? (await speakerAt(db, await speakerRedirect(db, slug)));
	return at?.id ?? null;
}

function speakerAt(db: Db, slug: string | null) {
	return slug === null ? undefined : getSpeakerBySlug(db, slug);
}
