import { and, asc, desc, eq, gt, lt, or, sql } from "drizzle-orm";
import type { Source } from "../db/schema";
import { appearances, claims, sources, verdictEvidence, verdicts } from "../db/schema";
import { canonicalizeUrl } from "../domain/canonical-url";
import { newId } from "../domain/ids";
import type { Db } from "../factory";
import type { SourceInput } from "../schemas/records";
import { type Actor, audit, runBatch, type Statement } from "./batch";
import type { Page } from "./public-claims";

export interface PlannedSource {
	id: string;
	url: string;
	statements: Statement[];
}

/** The insert of a new source and its audit row, for a caller's batch. */
export function planSource(db: Db, actor: Actor, input: SourceInput): PlannedSource {
	const { url, domain } = canonicalizeUrl(input.url);
	const id = newId();
	const row = {
		id,
		url,
		domain,
		title: input.title,
		publisher: input.publisher,
		author: input.author,
		language: input.language,
		publishedAt: input.publishedAt,
		archivedUrl: input.archivedUrl,
		createdBy: actor.userId,
	};
	return {
		id,
		url,
		statements: [db.insert(sources).values(row), audit(db, actor, "create", "source", id, row)],
	};
}

export async function createSource(db: Db, actor: Actor, input: SourceInput): Promise<Source> {
	const plan = planSource(db, actor, input);
	await runBatch(db, plan.statements);
	const created = await getSource(db, plan.id);
	if (!created) throw new Error("source vanished after insert");
	return created;
}

async function getSource(db: Db, id: string): Promise<Source | undefined> {
	return db.query.sources.findFirst({ where: eq(sources.id, id) });
}

/**
 * Whether a claim or a verdict still cites the source: its row (and its archived copies)
 * outlive the claims that cited it, as the evidence archive keeps what was cited, but a
 * source only a removed claim cited (one naming a private individual, say) is not public
 * any more; nor is one only a draft's evidence cites (drafts are not public). Index lookups:
 * `appearances_source_idx`, verdict_evidence's key (url first), then the verdict by its key.
 */
export const sourceCitedSql = sql`(EXISTS (SELECT 1 FROM ${appearances} WHERE ${appearances.sourceId} = ${sources.id}) OR EXISTS (SELECT 1 FROM ${verdictEvidence} JOIN ${verdicts} ON ${verdicts.id} = ${verdictEvidence.verdictId} WHERE ${verdictEvidence.url} = ${sources.url} AND ${verdicts.state} <> 'draft'))`;

/**
 * A source of a reviewed claim: the public ones under PUBLIC_UNREVIEWED = "hide" (hidden work
 * stays hidden: a source only unreviewed claims came from is not public).
 */
const sourceOfReviewedClaimSql = sql`EXISTS (SELECT 1 FROM ${appearances} JOIN ${claims} ON ${claims.id} = ${appearances.claimId} WHERE ${appearances.sourceId} = ${sources.id} AND (${claims.currentVerdictId} IS NOT NULL OR ${claims.status} = 'retracted'))`;

/**
 * A source the public may see: one a claim or a verdict cites (`sourceCitedSql`); with
 * `reviewedOnly`, one a reviewed claim cites (`sourceOfReviewedClaimSql`). Asked apart from
 * the page of its claims: under hide a cursor past the last claim was taken for a source no
 * reviewed claim cites (a 404), where a topic's page is an empty page.
 */
export async function getPublicSource(db: Db, id: string, reviewedOnly = false): Promise<Source | undefined> {
	const [row] = await db
		.select()
		.from(sources)
		.where(and(eq(sources.id, id), reviewedOnly ? sourceOfReviewedClaimSql : sourceCitedSql))
		.limit(1);
	return row;
}

/** Finds a source by any spelling of its URL (canonicalised first). */
export async function findSourceByUrl(db: Db, url: string): Promise<Source | undefined> {
	return db.query.sources.findFirst({ where: eq(sources.url, canonicalizeUrl(url).url) });
}

/** The keyset of a source page: `createdAt|id` of the last row. */
function sourceCursor(page: Page | undefined): { createdAt: string; id: string } | null {
	if (page?.kind !== "keyset" || typeof page.value !== "string") return null;
	const [createdAt, id] = page.value.split("|");
	return createdAt && id ? { createdAt, id } : null;
}

/** Public sources newest first, a keyset page at a time (`next` is null on the last page). */
export async function listSources(
	db: Db,
	options: { limit: number; after?: Page; domain?: string | null; reviewedOnly?: boolean },
): Promise<{ rows: Source[]; next: Page }> {
	const after = sourceCursor(options.after);
	const rows = await db
		.select()
		.from(sources)
		.where(
			and(
				options.domain ? eq(sources.domain, options.domain) : undefined,
				// PUBLIC_UNREVIEWED=hide: only sources of a reviewed claim (as listSpeakers); else
				// those still cited (a removed claim's sources are not listed).
				options.reviewedOnly ? sourceOfReviewedClaimSql : sourceCitedSql,
				after
					? or(
							lt(sources.createdAt, after.createdAt),
							and(eq(sources.createdAt, after.createdAt), gt(sources.id, after.id)),
						)
					: undefined,
			),
		)
		.orderBy(desc(sources.createdAt), asc(sources.id))
		.limit(options.limit + 1);
	const page = rows.slice(0, options.limit);
	const last = page.at(-1);
	return {
		rows: page,
		next:
			rows.length > options.limit && last
				? { kind: "keyset", value: `${last.createdAt}|${last.id}`, seq: 1 }
				: null,
	};
}
