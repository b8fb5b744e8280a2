import * as z from "zod";
import { attachFile, setAttachmentVisibility } from "../../commands/uploads";
import { uploadKey } from "../../domain/snapshots";
import { cleanFilename } from "../../domain/uploads";
import { AppError, notFound } from "../../lib/errors";
import { declareRoute } from "../../lib/route-declaration";
import { id } from "../../schemas/common";
import { getUpload } from "../../store/uploads";
import type { FieldErrors } from "../../views/desk/fields";
import { attachmentResponse } from "../archive";
import { claimIdParam, isClaimNotFound, keptClaimOf, mergedMeanwhile, renderClaimPage } from "./claim-page";
import {
	type DeskContext,
	deskCommand,
	deskFactory,
	type FormValues,
	formBody,
	formValues,
	signedIn,
	writeOnceAndRedirect,
} from "./context";

/** The posted fields as strings, and the one file. */
async function attachmentForm(c: DeskContext): Promise<{ values: FormValues; file: File | null }> {
	const body = await formBody(c);
	const values: FormValues = {};
	for (const [key, value] of Object.entries(body)) if (typeof value === "string") values[key] = value;
	const file = body.file;
	return { values, file: file instanceof File && file.size > 0 ? file : null };
}

/**
 * The form's fields a refusal names (the file's type or size, the caption's text, the file
 * storage unavailable: 503): a refused file re-shows the form with the reason beside the field.
 */
function fieldErrors(error: unknown): FieldErrors | null {
	if (!(error instanceof AppError) || ![413, 422, 503].includes(error.status)) return null;
	const errors: FieldErrors = {};
	for (const problem of error.errors ?? []) {
		if (problem.path === "file" || problem.path === "caption") errors[problem.path] ??= problem.message;
	}
	return Object.keys(errors).length > 0 ? errors : null;
}

/** Said when the attachment form's body was over its limit and so was never read. */
const OVERSIZED_UPLOAD =
	"The file is larger than 10 MB. The caption could not be kept with it: type it again.";

/**
 * A body over the attachment form's limit (middleware `deskBodyLimit`): the claim page with
 * the form and the reason beside the file field, as for a file just over 10 MB, not a bare
 * 413 page. The body is not read, so neither the caption nor the CSRF token is known: the
 * caller has checked the origin and the session, and this page only reads, as a GET would.
 */
export function oversizedAttachment(c: DeskContext, claimId: string): Promise<Response> {
	return renderClaimPage(c, claimId, {
		state: { form: "attachment", values: {}, errors: { file: OVERSIZED_UPLOAD } },
		status: 413,
	});
}

/**
 * Attachments of a claim in the desk: any checker attaches, editors make them public or
 * internal, and the desk sees internal ones through its own session-only address.
 */
export const deskAttachmentRoutes = deskFactory
	.createApp()
	.post(
		"/claims/:id/attachments",
		declareRoute({ method: "POST", path: "/desk/claims/:id/attachments", access: { session: "checker" } }),
		async (c) => {
			signedIn(c);
			const claimId = claimIdParam(c);
			const { values, file } = await attachmentForm(c);
			const refuse = (errors: FieldErrors, status: 422 | 503 = 422) =>
				renderClaimPage(c, claimId, { state: { form: "attachment", values, errors }, status });
			if (!file) return refuse({ file: "Choose a file to attach." });
			try {
				const to = `/desk/claims/${claimId}?done=attached#attachments`;
				const attach = async () => {
					await attachFile(deskCommand(c), c.env.ARCHIVE, claimId, {
						name: file.name,
						bytes: new Uint8Array(await file.arrayBuffer()),
						caption: values.caption ?? null,
					});
				};
				return await writeOnceAndRedirect(c, values, attach, to);
			} catch (error) {
				const errors = fieldErrors(error);
				if (errors) return refuse(errors, error instanceof AppError && error.status === 503 ? 503 : 422);
				// Merged meanwhile: the form on the kept claim's page with the caption, saying nothing
				// was saved (the file is chosen again); removed: 410 (`keptClaimOf` throws it).
				if (isClaimNotFound(error)) {
					const kept = await keptClaimOf(c, claimId);
					const notice = mergedMeanwhile(c, claimId);
					return renderClaimPage(c, kept, {
						state: { form: "attachment", values, errors: {}, notice },
						status: 409,
					});
				}
				throw error;
			}
		},
	)
	.post(
		"/attachments/:id/visibility",
		declareRoute({
			method: "POST",
			path: "/desk/attachments/:id/visibility",
			access: { session: "editor" },
			params: z.object({ id }),
		}),
		async (c) => {
			const values = await formValues(c);
			const uploadId = c.req.valid("param").id;
			const at = (upload: { id: string; claimId: string }) =>
				`/desk/claims/${upload.claimId}?done=attachment-changed#attachment-${upload.id}`;
			// Read first for where the form goes, known before the write (routes/desk/context).
			const before = await getUpload(c.var.db, uploadId);
			const change = async () =>
				at(await setAttachmentVisibility(deskCommand(c), uploadId, values.public === "true"));
			return writeOnceAndRedirect(c, values, change, before ? at(before) : "/desk");
		},
	)
	.get(
		"/attachments/:id",
		declareRoute({
			method: "GET",
			path: "/desk/attachments/:id",
			access: { session: "checker" },
			params: z.object({ id }),
		}),
		async (c) => {
			const upload = await getUpload(c.var.db, c.req.valid("param").id);
			const object = upload ? await c.env.ARCHIVE.get(uploadKey(upload.id)) : null;
			if (!upload || !object) throw notFound("attachment");
			// A name stored before names were cleaned (tip.html for a PDF) is cleaned as it is served.
			const filename = cleanFilename(upload.filename, upload.contentType);
			return attachmentResponse(upload, filename, object, { "Cache-Control": "private, no-store" });
		},
	);
