import { asc, gt, inArray } from "drizzle-orm";
import { claims } from "../db/schema";
import type { Db } from "../factory";
import { AppError } from "../lib/errors";
import type { SemanticIndex } from "../lib/semantic-index";
import type { CommandEvent } from "./events";

/** Up to D1's 100 parameters per statement. */
const IDS_PER_QUERY = 90;
/** Claims embedded per backfill call: a few Workers AI calls, well inside one request. */
const BACKFILL_PAGE = 100;

export interface SemanticOutbox {
	db: Db;
	index: SemanticIndex;
}

/** The claims whose text an event creates or changes: they need a new embedding. */
function claimsToEmbed(event: CommandEvent): readonly string[] {
	switch (event.type) {
		case "claim.created":
			return [event.claimId];
		case "claims.imported":
			return event.createdIds;
		case "claim.updated":
			return event.fields.includes("text") || event.fields.includes("language") ? [event.claimId] : [];
		default:
			return [];
	}
}

async function textsOf(db: Db, ids: readonly string[]) {
	const rows: { id: string; text: string; language: string }[] = [];
	for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
		rows.push(
			...(await db
				.select({ id: claims.id, text: claims.text, language: claims.language })
				.from(claims)
				.where(inArray(claims.id, ids.slice(i, i + IDS_PER_QUERY)))),
		);
	}
	return rows;
}

/** The claims an event took out of the tracker: their vectors go (a merged id's or a removed one's). */
function claimsGone(event: CommandEvent): readonly string[] {
	if (event.type === "claim.merged") return [event.mergedFromId];
	if (event.type === "claim.removed") return [event.claimId];
	return [];
}

/**
 * After a write commits: embeds new and changed claims, and deletes the vectors of claims
 * that left (a side effect, in the background). A removed claim's text must not live on in
 * the index; candidates are read back from D1, so a stale vector only cost a lookup.
 */
export async function embedClaims(outbox: SemanticOutbox, event: CommandEvent): Promise<void> {
	const gone = claimsGone(event);
	if (gone.length > 0) await outbox.index.remove(gone);
	const ids = claimsToEmbed(event);
	if (ids.length === 0) return;
	await outbox.index.index(await textsOf(outbox.db, ids));
}

/**
 * One page of the backfill that embeds claims recorded before the semantic matcher was
 * configured: the claims after `afterSeq`, oldest first. `next` is null after the last.
 */
export async function backfillEmbeddings(
	db: Db,
	index: SemanticIndex | null,
	afterSeq: number,
): Promise<{ indexed: number; next: number | null }> {
	if (!index) {
		throw new AppError(
			409,
			"Semantic matching is not configured: bind Workers AI (AI) and Vectorize (VECTORIZE).",
		);
	}
	const rows = await db
		.select({ seq: claims.seq, id: claims.id, text: claims.text, language: claims.language })
		.from(claims)
		.where(gt(claims.seq, afterSeq))
		.orderBy(asc(claims.seq))
		.limit(BACKFILL_PAGE);
	await index.index(rows);
	const last = rows.at(-1);
	return { indexed: rows.length, next: rows.length === BACKFILL_PAGE && last ? last.seq : null };
}
