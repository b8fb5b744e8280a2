import type { ImportRecord } from "../schemas/import-record";
import { speakerIdsOfClaims } from "../store/claims";
import { type ImportReport, importRecords } from "../store/imports";
import type { CommandContext } from "./context";

/** One batch of mapped fact-checks: created, updated (a correction) or unchanged, each audited. */
export async function importBatch(
	ctx: CommandContext,
	records: readonly ImportRecord[],
): Promise<ImportReport> {
	const report = await importRecords(ctx.db, ctx.actor, records);
	if (report.changedClaims.length > 0) {
		const speakerIds = await speakerIdsOfClaims(ctx.db, report.changedClaims);
		ctx.effects.emit({ type: "claims.imported", claimIds: report.changedClaims, speakerIds });
	}
	return report;
}
