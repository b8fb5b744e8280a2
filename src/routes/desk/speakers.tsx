import * as z from "zod";
import { hasRole } from "../../auth/permissions";
import { editSpeaker, mergeSpeaker } from "../../commands/speakers";
import { foldName } from "../../domain/speaker-matching";
import { AppError, notFound } from "../../lib/errors";
import { declareRoute } from "../../lib/route-declaration";
import { SLUG_PATTERN } from "../../schemas/public-api";
import { speakerEditInput, speakerMergeInput } from "../../schemas/records";
import { speakerRedirect, whereSlugWent } from "../../store/speaker-edits";
import { getSpeakerBySlug, type SpeakerWithAliases } from "../../store/speakers";
import { t } from "../../views/desk/desk-i18n";
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
	deskSlug,
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

/**
 * The speaker a slug merged away leads to, or null. Every merge counts on the desk: the
 * public site's "hide" mode (`was_public`) is about what readers may learn.
 */
async function survivorOf(c: DeskContext, slug: string): Promise<SpeakerWithAliases | null> {
	const into = await speakerRedirect(c.var.db, slug);
	return into ? ((await getSpeakerBySlug(c.var.db, into)) ?? null) : null;
}

/** Whether a store said the speaker's row is gone (merged away between read and write). */
function isSpeakerGone(error: unknown): boolean {
	return error instanceof AppError && error.status === 404 && error.message === notFound("speaker").message;
}

/** The aliases box, one spelling a line. */
function aliasesOf(form: Record<string, string>): string[] {
	return (form.aliases ?? "")
		.split(/\r?\n/)
		.map((a) => a.trim())
		.filter(Boolean);
}

/**
 * `first`, then what of `more` it lacks: one entry per folded spelling (as the spellings'
 * index counts them), none of them `name`'s; `added` are those taken from `more`.
 */
function joinSpellings(name: string, first: readonly string[], more: readonly string[]) {
	const seen = new Set([foldName(name)]);
	const fresh = (alias: string) => {
		const key = foldName(alias);
		if (!alias || !key || seen.has(key)) return false;
		seen.add(key);
		return true;
	};
	const aliases = first.filter(fresh);
	const added = more.filter(fresh);
	return { aliases: [...aliases, ...added], added };
}

/**
 * What an edit form typed for a speaker merged away meanwhile becomes on the survivor's form:
 * the survivor's own name, kind, description and Wikidata id (the typed ones were the other
 * speaker's, and one click on "send again" would have put them over the survivor's), with the
 * typed name and aliases added to its spellings, so none of what was typed is lost.
 */
function carriedValues(form: Record<string, string>, survivor: SpeakerWithAliases): Record<string, string> {
	const { aliases } = joinSpellings(survivor.name, survivor.aliases, [
		(form.name ?? "").trim(),
		...aliasesOf(form),
	]);
	return { ...speakerValues(survivor), aliases: aliases.join("\n") };
}

/**
 * A form sent at an old version (409): what was typed, at the current version, with the
 * spellings the speaker has now that the form lacks added to its aliases, and the notice
 * naming them. A merge into the speaker meanwhile gave it the other's spellings, and the
 * form sent again unchanged deleted them (later claims by those names made a new speaker):
 * the very loss the merge's version bump is there to prevent. A spelling the editor meant
 * to remove is named, so they can take it out again.
 */
function staleFormAgain(
	c: DeskContext,
	form: Record<string, string>,
	current: SpeakerWithAliases,
	message: string,
) {
	const typed = (form.name ?? "").trim();
	const { aliases, added } = joinSpellings(typed, aliasesOf(form), [current.name, ...current.aliases]);
	const notice = fieldMessage(c.var.lang, message);
	const names = added.map((name) => `“${name}”`).join(", ");
	return render(c, current, {
		values: { ...form, version: String(current.version), aliases: aliases.join("\n") },
		notice: added.length > 0 ? `${notice} ${t(c.var.lang, "deskSpeakerSpellingsKept", { names })}` : notice,
		status: 409,
	});
}

/**
 * A form posted for a speaker merged into another meanwhile: the survivor's page, saying so
 * and that nothing was saved; an edit's input is in the survivor's form (a merge's is not:
 * it was about the speaker that left). A speaker renamed meanwhile (`dropOldName`, its old
 * slug a redirect too) is no merge: its own page at its current values, nothing typed
 * carried over: the typed name is the one the rename dropped (often for privacy), and
 * carried into the aliases one click would have stored it again. A 404 when the slug never
 * named a speaker.
 */
async function onSurvivor(
	c: DeskContext,
	gone: string,
	form: Record<string, string>,
	kind: "edit" | "merge",
) {
	const went = await whereSlugWent(c.var.db, gone);
	const survivor = went ? await getSpeakerBySlug(c.var.db, went.slug) : undefined;
	if (!went || !survivor) throw notFound("speaker");
	if (went.renamed) {
		const words = { into: survivor.name };
		return kind === "merge"
			? render(c, survivor, {
					mergeValues: { into: form.into ?? "" },
					notice: t(c.var.lang, "deskSpeakerMergeRenamedMeanwhile", words),
					status: 409,
				})
			: render(c, survivor, { notice: t(c.var.lang, "deskSpeakerRenamedMeanwhile", words), status: 409 });
	}
	const words = { from: gone, into: survivor.name };
	if (kind === "merge") {
		return render(c, survivor, {
			notice: t(c.var.lang, "deskSpeakerMergeMergedMeanwhile", words),
			status: 409,
		});
	}
	return render(c, survivor, {
		values: carriedValues(form, survivor),
		notice: t(c.var.lang, "deskSpeakerMergedMeanwhile", words),
		status: 409,
	});
}

/** The slug of the speaker to merge into, when the store says it was merged away meanwhile. */
function intoMergedAway(error: unknown): string | null {
	if (!(error instanceof AppError) || error.code !== "speaker-merged") return null;
	return typeof error.extra.into === "string" ? error.extra.into : null;
}

/** The old slug a merge named as `into`, and the slug its speaker was renamed to since (store `speaker-renamed`). */
function intoRenamed(error: unknown): { from: string; to: string } | null {
	if (!(error instanceof AppError) || error.code !== "speaker-renamed") return null;
	const { into, renamedTo } = error.extra;
	return typeof into === "string" && typeof renamedTo === "string" ? { from: into, to: renamedTo } : null;
}

/**
 * A merge whose `into` was merged away between the form and the write: nothing was merged.
 * Merged into this very speaker, it is this speaker's page as it now is (`onSurvivor`);
 * merged into a third, this speaker's page with the merge form filled in with that one, the
 * speaker `into` is now. It was the generic "Cannot be saved" page.
 */
async function onIntoMerged(c: DeskContext, slug: string, into: string, form: Record<string, string>) {
	const [speaker, survivor] = await Promise.all([getSpeakerBySlug(c.var.db, slug), survivorOf(c, into)]);
	if (!speaker || !survivor || survivor.id === speaker.id) return onSurvivor(c, into, form, "merge");
	return render(c, speaker, {
		mergeValues: { into: survivor.slug },
		notice: t(c.var.lang, "deskSpeakerMergeMergedMeanwhile", { from: into, into: survivor.name }),
		status: 409,
	});
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
			chrome={chrome(c, `/desk/speakers/${speaker.slug}`)}
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
		}),
		async (c) => {
			const param = deskSlug(c, SLUG_PATTERN);
			if (!param) throw notFound("speaker");
			const { slug } = param;
			if (param.redirect) return c.redirect(`/desk/speakers/${slug}${new URL(c.req.url).search}`, 302);
			const speaker = await getSpeakerBySlug(c.var.db, slug);
			if (speaker) return render(c, speaker);
			// Merged into another: its page, as a merged claim's page leads to the claim kept.
			const into = await speakerRedirect(c.var.db, slug);
			if (into) return c.redirect(`/desk/speakers/${into}`, 302);
			throw notFound("speaker");
		},
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
			const { slug } = c.req.valid("param");
			const form = await formValues(c);
			const speaker = await getSpeakerBySlug(c.var.db, slug);
			if (!speaker) return onSurvivor(c, slug, form, "edit");
			const parsed = speakerEditInput.safeParse({
				version: Number(form.version),
				name: form.name ?? "",
				kind: form.kind || "person",
				description: form.description || null,
				wikidataId: form.wikidataId || null,
				aliases: aliasesOf(form),
				// A checkbox: sent only when ticked.
				dropOldName: Boolean(form.dropOldName),
			});
			if (!parsed.success)
				return render(c, speaker, { values: form, errors: formErrors(parsed.error), status: 422 });
			const { version, ...input } = parsed.data;
			try {
				const save = async () => {
					const saved = await editSpeaker(deskCommand(c), speaker.slug, version, input);
					return `/desk/speakers/${saved.slug}?done=speaker-saved`;
				};
				// Known before the write: the slug as it was (a rename's old slug leads to the new).
				return await writeOnceAndRedirect(c, form, save, `/desk/speakers/${speaker.slug}?done=speaker-saved`);
			} catch (error) {
				const errors = storeFieldErrors(error);
				if (errors) return render(c, speaker, { values: form, errors, status: 422 });
				if (isSpeakerGone(error)) return onSurvivor(c, slug, form, "edit");
				if (error instanceof AppError && error.status === 409) {
					const current = await getSpeakerBySlug(c.var.db, speaker.slug);
					if (!current) return onSurvivor(c, slug, form, "edit");
					return staleFormAgain(c, form, current, error.message);
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
			const { slug } = c.req.valid("param");
			const form = await formValues(c);
			const speaker = await getSpeakerBySlug(c.var.db, slug);
			if (!speaker) return onSurvivor(c, slug, form, "merge");
			const parsed = speakerMergeInput.safeParse({ into: form.into ?? "" });
			if (!parsed.success) {
				return render(c, speaker, { mergeValues: form, mergeErrors: formErrors(parsed.error), status: 422 });
			}
			try {
				const merge = async () => {
					const into = await mergeSpeaker(deskCommand(c), speaker.slug, parsed.data.into);
					return `/desk/speakers/${into.slug}?done=speaker-merged`;
				};
				// Known before the write: the speaker named to keep.
				const to = `/desk/speakers/${parsed.data.into}?done=speaker-merged`;
				return await writeOnceAndRedirect(c, form, merge, to);
			} catch (error) {
				const errors = storeFieldErrors(error);
				if (errors) return render(c, speaker, { mergeValues: form, mergeErrors: errors, status: 422 });
				// Gone before the write (404) or during it (its guard tripped: 409).
				const gone =
					error instanceof AppError && error.status === 409 && !(await getSpeakerBySlug(c.var.db, slug));
				if (isSpeakerGone(error) || gone) return onSurvivor(c, slug, form, "merge");
				const into = intoMergedAway(error);
				if (into) return onIntoMerged(c, slug, into, form);
				const renamed = intoRenamed(error);
				if (renamed) {
					return render(c, speaker, {
						mergeValues: { into: renamed.to },
						notice: t(c.var.lang, "deskSpeakerMergeRenamed", { from: renamed.from, into: renamed.to }),
						status: 409,
					});
				}
				throw error;
			}
		},
	);
