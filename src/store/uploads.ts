import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { claims, type Upload, uploads } from "../db/schema";
import type { Db } from "../factory";
import { AppError } from "../lib/errors";
import { type Actor, audit, guardOneRow, runBatch } from "./batch";

/** What the public claim answers show of an attachment. */
export type PublicUpload = Pick<
	Upload,
	"id" | "filename" | "contentType" | "sha256" | "bytes" | "caption" | "createdAt"
>;

const publicFields = {
	id: uploads.id,
	filename: uploads.filename,
	contentType: uploads.contentType,
	sha256: uploads.sha256,
	bytes: uploads.bytes,
	caption: uploads.caption,
	createdAt: uploads.createdAt,
};

/** Public attachments of a claim, oldest first (inside getClaim's batch). */
export function publicUploadsOfClaim(db: Db, claimId: string) {
	return db
		.select(publicFields)
		.from(uploads)
		.where(and(eq(uploads.claimId, claimId), eq(uploads.isPublic, true)))
		.orderBy(asc(uploads.createdAt), asc(uploads.id));
}

/** Public attachments of many claims (exports), by claim id; chunked under D1's 100 parameters. */
export async function publicUploadsOfClaims(
	db: Db,
	claimIds: readonly string[],
): Promise<Map<string, PublicUpload[]>> {
	const out = new Map<string, PublicUpload[]>();
	for (let i = 0; i < claimIds.length; i += 90) {
		const rows = await db
			.select({ ...publicFields, claimId: uploads.claimId })
			.from(uploads)
			.where(and(inArray(uploads.claimId, claimIds.slice(i, i + 90)), eq(uploads.isPublic, true)))
			.orderBy(asc(uploads.createdAt), asc(uploads.id));
		for (const { claimId, ...row } of rows) out.set(claimId, [...(out.get(claimId) ?? []), row]);
	}
	return out;
}

/** Every attachment of a claim, for the desk. */
export function uploadsOfClaim(db: Db, claimId: string): Promise<Upload[]> {
	return db
		.select()
		.from(uploads)
		.where(eq(uploads.claimId, claimId))
		.orderBy(asc(uploads.createdAt), asc(uploads.id));
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

/** Makes an attachment public or internal; 404 when it is not the claim's. */
export async function setUploadVisibility(
	db: Db,
	actor: Actor,
	id: string,
	isPublic: boolean,
): Promise<Upload> {
	const upload = await getUpload(db, id);
	if (!upload) throw new AppError(404, "This attachment does not exist.");
	await runBatch(db, [
		db
			.update(uploads)
			.set({ isPublic, updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))` })
			.where(eq(uploads.id, id)),
		guardOneRow(db),
		audit(db, actor, isPublic ? "upload.published" : "upload.hidden", "claim", upload.claimId, {
			upload: id,
		}),
	]);
	return { ...upload, isPublic };
}
