import { and, asc, eq, ne, type SQL, sql } from "drizzle-orm";
import { claims, type Upload, uploads } from "../db/schema";
import type { Db } from "../factory";
import { AppError, conflict } from "../lib/errors";
import { type Actor, audit, guardOneRow, runBatch } from "./batch";
import { touchClaim } from "./public-changes";

/**
 * What the public claim answers show of an attachment. Not the name it was uploaded with:
 * they publish `publicFilename` (domain/uploads) instead.
 */
export type PublicUpload = Pick<Upload, "id" | "contentType" | "sha256" | "bytes" | "caption" | "createdAt">;

const publicFields = {
	id: uploads.id,
	contentType: uploads.contentType,
	sha256: uploads.sha256,
	bytes: uploads.bytes,
	caption: uploads.caption,
	createdAt: uploads.createdAt,
};

/** Public attachments of some claims (a subquery, or a parenthesised id), oldest first, inside their detail batch. */
export function publicUploadsOfClaimsIn(db: Db, claimIds: SQL) {
	return db
		.select({ ...publicFields, claimId: uploads.claimId })
		.from(uploads)
		.where(and(sql`${uploads.claimId} IN ${claimIds}`, eq(uploads.isPublic, true)))
		.orderBy(asc(uploads.createdAt), sql`${uploads}.rowid`);
}

/** Every attachment of a claim, for the desk. */
export function uploadsOfClaim(db: Db, claimId: string): Promise<Upload[]> {
	return db
		.select()
		.from(uploads)
		.where(eq(uploads.claimId, claimId))
		.orderBy(asc(uploads.createdAt), sql`${uploads}.rowid`);
}

export async function getUpload(db: Db, id: string): Promise<Upload | undefined> {
	const [row] = await db.select().from(uploads).where(eq(uploads.id, id)).limit(1);
	return row;
}

export async function claimExists(db: Db, claimId: string): Promise<boolean> {
	const [row] = await db.select({ id: claims.id }).from(claims).where(eq(claims.id, claimId)).limit(1);
	return row !== undefined;
}

export async function insertUpload(
	db: Db,
	actor: Actor,
	row: Pick<Upload, "id" | "claimId" | "filename" | "contentType" | "sha256" | "bytes" | "caption">,
): Promise<void> {
	await runBatch(db, [
		db.insert(uploads).values({ ...row, createdBy: actor.userId }),
		audit(db, actor, "upload.added", "claim", row.claimId, {
			upload: row.id,
			filename: row.filename,
			contentType: row.contentType,
			sha256: row.sha256,
		}),
	]);
}

/**
 * Makes an attachment public or internal; 404 when it is not the claim's. `changed` is false
 * when it already was (a form sent twice, two editors at once): then nothing is written,
 * audited or purged, and no event goes out. The claim dated, audited and (by the caller)
 * purged is the one the row belongs to when the batch commits: the batch holds only while
 * the row is still the claim's it read, and a merge that moved it to the kept claim
 * meanwhile makes it read again (else the duplicate was purged and the kept claim's answers
 * kept showing an attachment just made internal).
 */
export async function setUploadVisibility(
	db: Db,
	actor: Actor,
	id: string,
	isPublic: boolean,
): Promise<Upload & { claimReviewed: boolean; changed: boolean }> {
	// A merge moves a row once per claim: three reads cover a merge chain raced twice.
	for (let attempt = 1; ; attempt++) {
		const outcome = await setVisibilityOnce(db, actor, id, isPublic);
		if (outcome !== "moved") return outcome;
		if (attempt === 3)
			throw conflict(
				"This attachment moved to another claim meanwhile: nothing was changed. Send it again.",
				"attachment-moved",
			);
	}
}

async function setVisibilityOnce(
	db: Db,
	actor: Actor,
	id: string,
	isPublic: boolean,
): Promise<(Upload & { claimReviewed: boolean; changed: boolean }) | "moved"> {
	const upload = await getUpload(db, id);
	if (!upload) throw new AppError(404, "This attachment does not exist.");
	const claim = await db.query.claims.findFirst({
		where: eq(claims.id, upload.claimId),
		columns: { currentVerdictId: true, status: true },
	});
	// Whether the feed is purged with it (commands/events `feedChanged`; its entry shows no attachment).
	const claimReviewed =
		claim !== undefined && (claim.currentVerdictId !== null || claim.status === "retracted");
	const result = { ...upload, isPublic, claimReviewed };
	if (upload.isPublic === isPublic) return { ...result, changed: false };
	try {
		await runBatch(db, [
			db
				.update(uploads)
				.set({ isPublic, updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))` })
				.where(and(eq(uploads.id, id), eq(uploads.claimId, upload.claimId), ne(uploads.isPublic, isPublic))),
			// Another request made the same change since the read, or a merge moved the row to
			// another claim: this one changes nothing.
			guardOneRow(db),
			// Its claim's page and JSON list the public attachments: a public change of the claim.
			touchClaim(db, upload.claimId),
			audit(db, actor, isPublic ? "upload.published" : "upload.hidden", "claim", upload.claimId, {
				upload: id,
			}),
		]);
	} catch (error) {
		const now = await getUpload(db, id);
		if (now?.isPublic === isPublic) return { ...result, changed: false };
		if (!now) throw new AppError(404, "This attachment does not exist.");
		if (now.claimId !== upload.claimId) return "moved";
		throw error;
	}
	return { ...result, changed: true };
}
