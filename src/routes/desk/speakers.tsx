import * as z from "zod";
import { hasRole } from "../../auth/permissions";
import { editSpeaker, mergeSpeaker } from "../../commands/speakers";
import { AppError, notFound } from "../../lib/errors";
import { declareRoute } from "../../lib/route-declaration";
import { SLUG_PATTERN } from "../../schemas/public-api";
import { speakerEditInput, speakerMergeInput } from "../../schemas/records";
import { getSpeakerBySlug, type SpeakerWithAliases } from "../../store/speakers";
import { SpeakerEditPage } from "../../views/desk/edit-forms";
import type { FieldErrors } from "../../views/desk/fields";
import { fieldMessage } from "../../views/desk/labels";
import { flashText, storeFieldErrors } from "./claim-page";
import {
	allowed,
	chrome,
	type DeskContext,
	deskCommand,
	deskFactory,
	formKey,
	formValues,
	page,
	writeOnceAndRedirect,
} from "./context";
import { formErrors } from "./forms";

const slugParam = z.object({ slug: z.string().regex(SLUG_PATTERN) });

function speakerValues(speaker: SpeakerWithAliases): Record<string, string> {
	return {
		version: String(speaker.version),
		name: speaker.name,
		kind: speaker.kind,
		description: speaker.description ?? "",
		wikidataId: speaker.wikidataId ?? "",
		aliases: speaker.aliases.join("\n"),
	};
}

async function speakerOf(c: DeskContext, slug: string): Promise<SpeakerWithAliases> {
	const speaker = await getSpeakerBySlug(c.var.db, slug);
	if (!speaker) throw notFound("speaker");
	return speaker;
}

function render(
	c: DeskContext,
	speaker: SpeakerWithAliases,
	options: {
		values?: Record<string, string>;
		errors?: FieldErrors;
		mergeValues?: Record<string, string>;
		mergeErrors?: FieldErrors;
		notice?: string;
		status?: 200 | 409 | 422;
	} = {},
) {
	const session = allowed(c, "speaker:edit");
	return page(
		c,
		<SpeakerEditPage
			chrome={chrome(c)}
			csrf={session.csrfToken}
			idem={formKey()}
			speaker={speaker}
			values={options.values ?? speakerValues(speaker)}
			errors={options.errors ?? {}}
			mergeValues={options.mergeValues ?? {}}
			mergeErrors={options.mergeErrors ?? {}}
			notice={options.notice ?? null}
			flash={options.status === undefined ? flashText(c) : null}
			canMerge={hasRole(session.user.role, "editor")}
		/>,
		options.status ?? 200,
	);
}

/** Editing speakers and merging duplicates (editors). */
export const deskSpeakerRoutes = deskFactory
	.createApp()
	.get(
		"/speakers/:slug",
		declareRoute({
			method: "GET",
			path: "/desk/speakers/:slug",
			access: { session: "speaker:edit" },
			params: slugParam,
		}),
		async (c) => render(c, await speakerOf(c, c.req.valid("param").slug)),
	)
	.post(
		"/speakers/:slug",
		declareRoute({
			method: "POST",
			path: "/desk/speakers/:slug",
			access: { session: "speaker:edit" },
			params: slugParam,
		}),
		async (c) => {
			const speaker = await speakerOf(c, c.req.valid("param").slug);
			const form = await formValues(c);
			const parsed = speakerEditInput.safeParse({
				version: Number(form.version),
				name: form.name ?? "",
				kind: form.kind || "person",
				description: form.description || null,
				wikidataId: form.wikidataId || null,
				aliases: (form.aliases ?? "")
					.split(/\r?\n/)
					.map((a) => a.trim())
					.filter(Boolean),
			});
			if (!parsed.success)
				return render(c, speaker, { values: form, errors: formErrors(parsed.error), status: 422 });
			const { version, ...input } = parsed.data;
			try {
				return await writeOnceAndRedirect(c, form, async () => {
					const saved = await editSpeaker(deskCommand(c), speaker.slug, version, input);
					return `/desk/speakers/${saved.slug}?done=speaker-saved`;
				});
			} catch (error) {
				const errors = storeFieldErrors(error);
				if (errors) return render(c, speaker, { values: form, errors, status: 422 });
				if (error instanceof AppError && error.status === 409) {
					const current = await speakerOf(c, speaker.slug);
					return render(c, current, {
						values: { ...form, version: String(current.version) },
						notice: fieldMessage(c.var.lang, error.message),
						status: 409,
					});
				}
				throw error;
			}
		},
	)
	.post(
		"/speakers/:slug/merge",
		declareRoute({
			method: "POST",
			path: "/desk/speakers/:slug/merge",
			access: { session: "speaker:edit" },
			params: slugParam,
		}),
		async (c) => {
			const speaker = await speakerOf(c, c.req.valid("param").slug);
			const form = await formValues(c);
			const parsed = speakerMergeInput.safeParse({ into: form.into ?? "" });
			if (!parsed.success) {
				return render(c, speaker, { mergeValues: form, mergeErrors: formErrors(parsed.error), status: 422 });
			}
			try {
				return await writeOnceAndRedirect(c, form, async () => {
					const into = await mergeSpeaker(deskCommand(c), speaker.slug, parsed.data.into);
					return `/desk/speakers/${into.slug}?done=speaker-merged`;
				});
			} catch (error) {
				const errors = storeFieldErrors(error);
				if (errors) return render(c, speaker, { mergeValues: form, mergeErrors: errors, status: 422 });
				throw error;
			}
		},
	);
