import { and, eq } from "drizzle-orm";
import { type Appearance, appearances, claims, sources } from "../db/schema";
import { newId } from "../domain/ids";
import type { Db } from "../factory";
import { constraintFailure } from "../lib/d1-errors";
import { AppError, conflict, notFound } from "../lib/errors";
import type { SourceInput } from "../schemas/records";
import { type Actor, audit, runBatch, type Statement } from "./batch";
import { findSourceByUrl, planSource } from "./sources";

/**
 * A further appearance of a known claim, with its source: an existing source (by id or
 * by canonical URL) or a new one, written in the same batch as the appearance so a
 * failed request leaves no orphan source behind.
 */
export async function addAppearanceWithSource(
	db: Db,
	actor: Actor,
	claimId: string,
	input: { source: { id: string } | SourceInput; quote: string | null; anchor: string | null },
	attempt = 1,
): Promise<Appearance> {
	const claim = await db.query.claims.findFirst({ where: eq(claims.id, claimId), columns: { id: true } });
	if (!claim) throw notFound("claim");
	let sourceId: string;
	const statements: Statement[] = [];
	if ("id" in input.source) {
		const found = await db.query.sources.findFirst({
			where: eq(sources.id, input.source.id),
			columns: { id: true },
		});
		if (!found) {
			throw new AppError(422, "source.id: there is no source with this id.", {
				errors: [{ path: "source.id", message: "There is no source with this id." }],
			});
		}
		sourceId = found.id;
	} else {
		const existing = await findSourceByUrl(db, input.source.url);
		if (existing) sourceId = existing.id;
		else {
			const plan = planSource(db, actor, input.source);
			sourceId = plan.id;
			statements.push(...plan.statements);
		}
	}
	const already = await db.query.appearances.findFirst({
		where: and(eq(appearances.claimId, claimId), eq(appearances.sourceId, sourceId)),
		columns: { id: true },
	});
	if (already) {
		throw conflict("This claim is already recorded as appearing in this source.", "duplicate-appearance", {
			appearanceId: already.id,
		});
	}
	const row = {
		id: newId(),
		claimId,
		sourceId,
		quote: input.quote,
		anchor: input.anchor,
		isFirst: false,
		createdBy: actor.userId,
	};
	try {
		await runBatch(db, [
			...statements,
			db.insert(appearances).values(row),
			audit(db, actor, "add-appearance", "claim", claimId, row),
		]);
	} catch (error) {
		// Another writer recorded the same new source, or this appearance, since the reads
		// above (as `recordClaim` does): read again once, and find it.
		if (attempt === 1 && constraintFailure(error)?.kind === "unique") {
			return addAppearanceWithSource(db, actor, claimId, input, attempt + 1);
		}
		throw error;
	}
	const created = await db.query.appearances.findFirst({ where: eq(appearances.id, row.id) });
	if (!created) throw new Error("appearance vanished after insert");
	return created;
}
