import { newId, sha256Hex } from "../domain/ids";
import { uploadKey } from "../domain/snapshots";
import { checkUpload, cleanFilename } from "../domain/uploads";
import { AppError, notFound } from "../lib/errors";
import { validationError } from "../lib/validate";
import { optionalCaption } from "../schemas/common";
import { claimExists, insertUpload, setUploadVisibility } from "../store/uploads";
import type { CommandContext } from "./context";

const REFUSALS = {
	empty: "Choose a file to attach.",
	"too-large": "The file is larger than 10 MB.",
	type: "Only PNG, JPEG or WebP images and PDF documents can be attached (the content decides, not the name).",
} as const;

const STORAGE_UNAVAILABLE = "The file storage is unavailable: nothing was saved. Try again in a moment.";

/**
 * Attaches a file to a claim, internal until an editor makes it public. The type is
 * read from the content and metadata is stripped (domain/uploads) before the bytes go to
 * R2; the hash is of the bytes stored, so anyone can check a download against it.
 */
export async function attachFile(
	ctx: CommandContext,
	bucket: R2Bucket,
	claimId: string,
	file: { name: string; bytes: Uint8Array; caption: string | null },
): Promise<{ id: string }> {
	if (!(await claimExists(ctx.db, claimId))) throw notFound("claim");
	// Plain text like every public text (domain/plain-text): the caption is public with the file.
	const parsedCaption = optionalCaption.safeParse(file.caption ?? "");
	if (!parsedCaption.success) throw validationError(parsedCaption.error, "caption");
	const caption = parsedCaption.data;
	const checked = checkUpload(file.bytes);
	if (!checked.ok) {
		const message = REFUSALS[checked.reason];
		throw new AppError(checked.reason === "too-large" ? 413 : 422, `file: ${message}`, {
			errors: [{ path: "file", message }],
		});
	}
	const id = newId();
	const sha256 = await sha256Hex(checked.bytes);
	// The object first: a row never points at bytes that are not there.
	try {
		await bucket.put(uploadKey(id), checked.bytes, {
			httpMetadata: { contentType: checked.contentType },
			sha256,
		});
	} catch (error) {
		// R2 down is a moment's outage, as D1's is (503), not a bug: nothing was written, and the
		// desk says so beside the file field with the caption kept, instead of a bare 500.
		console.error(`attachment ${id}: its object could not be stored`, error);
		throw new AppError(503, `file: ${STORAGE_UNAVAILABLE}`, {
			errors: [{ path: "file", message: STORAGE_UNAVAILABLE }],
		});
	}
	try {
		await insertUpload(ctx.db, ctx.actor, {
			id,
			claimId,
			filename: cleanFilename(file.name, checked.contentType),
			contentType: checked.contentType,
			sha256,
			bytes: checked.bytes.length,
			caption,
		});
	} catch (error) {
		throw await uploadNotRecorded(ctx, bucket, id, claimId, error);
	}
	return { id };
}

/**
 * The row could not be inserted: its object goes too (a claim removed meanwhile, one naming
 * a private individual say, would otherwise leave a screenshot of their post in R2 for good,
 * which its removal promises to delete), and a claim gone meanwhile is told as such (merged
 * or removed: the caller says which), not as a broken rule of the database.
 */
async function uploadNotRecorded(
	ctx: CommandContext,
	bucket: R2Bucket,
	id: string,
	claimId: string,
	error: unknown,
): Promise<unknown> {
	try {
		await bucket.delete(uploadKey(id));
	} catch (deleteError) {
		// Unreachable bytes without a row, never a row without its file; logged to be found.
		console.error(`attachment ${id}: its row failed and its object could not be deleted`, deleteError);
	}
	// The lookup only tells a removed claim (404) from another failure: if it fails too, the
	// failure the caller gets is the original one, not a guess.
	const claimThere = await claimExists(ctx.db, claimId).catch(() => true);
	return claimThere ? error : notFound("claim");
}

/** Makes an attachment public (shown on the claim page and in its JSON) or internal again. */
export async function setAttachmentVisibility(ctx: CommandContext, uploadId: string, isPublic: boolean) {
	const upload = await setUploadVisibility(ctx.db, ctx.actor, uploadId, isPublic);
	// Already so: nothing to tell subscribers, nothing to purge (purges are rate-limited).
	if (!upload.changed) return upload;
	ctx.effects.emit({
		type: "attachment.changed",
		claimId: upload.claimId,
		uploadId,
		isPublic: upload.claimReviewed,
	});
	return upload;
}
