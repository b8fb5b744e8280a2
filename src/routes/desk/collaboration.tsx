import { editClaim } from "../../commands/claims";
import { assignClaim, noteOnClaim } from "../../commands/collaboration";
import { loadedTopics, mergeTopicLists } from "../../domain/topic-names";
import { quoteMarks } from "../../domain/typography";
import { AppError } from "../../lib/errors";
import { declareRoute } from "../../lib/route-declaration";
import { claimEditInput } from "../../schemas/records";
import { getClaim } from "../../store/claims";
import type { FormState } from "../../views/desk/claim-page";
import { t } from "../../views/desk/desk-i18n";
import { fieldMessage } from "../../views/desk/labels";
import { claimIdParam, isClaimNotFound, renderClaimPage, storeFieldErrors, versionOf } from "./claim-page";
import {
	type DeskContext,
	deskCommand,
	deskFactory,
	type FormValues,
	formValues,
	signedIn,
	writeOnceAndRedirect,
} from "./context";

/**
 * The desk working together on a claim: who works on it, the internal notes, its topics.
 * Each form posts once (idempotency key) and comes back to the claim page; a refusal
 * re-shows that form on the page with the reason beside the field.
 */
async function claimStep<T>(
	c: DeskContext,
	form: FormState["form"],
	/**
	 * The page's notice once done (`?done=`); or `written`, the one of a write (a repeat whose
	 * first request stopped after writing shows it), and `of`, the one each result shows.
	 */
	done: string | { written: string; of: (result: NoInfer<T>) => string },
	write: (claimId: string, values: FormValues) => Promise<T>,
	/** A conflict's form values and notice, when the form merges what a colleague saved first. */
	meanwhile?: (claimId: string, refused: { values: FormValues; notice: string }) => Promise<typeof refused>,
): Promise<Response> {
	signedIn(c);
	const claimId = claimIdParam(c);
	const values = await formValues(c);
	try {
		const page = (notice: string) => `/desk/claims/${claimId}?done=${notice}`;
		const step = async () => {
			const result = await write(claimId, values);
			return typeof done === "string" ? undefined : page(done.of(result));
		};
		return await writeOnceAndRedirect(c, values, step, page(typeof done === "string" ? done : done.written));
	} catch (error) {
		const errors = storeFieldErrors(error);
		if (errors) return renderClaimPage(c, claimId, { state: { form, values, errors }, status: 422 });
		// Merged meanwhile: the form on the kept claim's page, holding the input; removed: 410.
		if (isClaimNotFound(error)) {
			return renderClaimPage(c, claimId, { state: { form, values, errors: {} }, status: 409 });
		}
		if (error instanceof AppError && error.status === 409) {
			const refused = { values, notice: conflictNotice(c, error) };
			const shown = meanwhile ? await meanwhile(claimId, refused) : refused;
			return renderClaimPage(c, claimId, { state: { form, errors: {}, ...shown }, status: 409 });
		}
		throw error;
	}
}

/** A refusal's notice; a give-back of a claim handed to someone else meanwhile names them. */
function conflictNotice(c: DeskContext, error: AppError): string {
	if (error.code === "assignee-changed") return assigneeChangedNotice(c, error);
	const held = error.code === "assigned-to-another" ? error.extra.assignee : undefined;
	if (held && typeof held === "object" && "name" in held && typeof held.name === "string")
		return t(c.var.lang, "deskGiveBackHeldBy", { name: held.name });
	return fieldMessage(c.var.lang, error.message);
}

/**
 * An editor's assignment from a page shown before the claim changed hands: whose it is now
 * (the page below names them too) and whose draft goes with it; the choice is kept in the form.
 */
function assigneeChangedNotice(c: DeskContext, error: AppError): string {
	const lang = c.var.lang;
	const nameOf = (value: unknown) =>
		value && typeof value === "object" && "name" in value && typeof value.name === "string"
			? value.name
			: null;
	const holder = nameOf(error.extra.assignee);
	const writer = nameOf(error.extra.draftWriter);
	return [
		holder ? t(lang, "deskAssigneeChangedTo", { name: holder }) : t(lang, "deskAssigneeChangedToNobody"),
		writer ? t(lang, "deskAssigneeChangedDraft", { name: writer }) : "",
	]
		.filter(Boolean)
		.join(" ");
}

/**
 * A topics save refused because the claim changed meanwhile: the field holds the topics saved
 * now with this user's own additions and removals (from what the form was loaded with,
 * `was.tags` and their slugs `was.slugs`) on top, and the notice names what the colleague
 * changed; saved as it stands, it keeps both. A form without `was.tags` (sent by hand) comes
 * back as sent.
 */
async function topicsMeanwhile(
	c: DeskContext,
	claimId: string,
	refused: { values: FormValues; notice: string },
): Promise<{ values: FormValues; notice: string }> {
	const { values } = refused;
	const claim = values["was.tags"] === undefined ? undefined : await getClaim(c.var.db, claimId);
	if (!claim) return refused;
	const lang = c.var.lang;
	// Named as the page names them (and as the form was loaded with): in the desk's language.
	const current = claim.tags.map((tag) => ({
		slug: tag.slug,
		name: lang === "de" ? tag.nameDe : tag.nameEn,
	}));
	const slugs = values["was.slugs"] === undefined ? undefined : topicList(values["was.slugs"]);
	const loaded = loadedTopics(topicList(values["was.tags"]), slugs, current);
	const merged = mergeTopicLists(loaded, topicList(values.tags), current);
	const [open, close] = quoteMarks(lang);
	const quoted = (names: string[]) => names.map((name) => `${open}${name}${close}`).join(", ");
	const changes = [
		merged.addedMeanwhile.length > 0
			? t(lang, "deskTopicsAddedMeanwhile", { names: quoted(merged.addedMeanwhile) })
			: "",
		merged.removedMeanwhile.length > 0
			? t(lang, "deskTopicsRemovedMeanwhile", { names: quoted(merged.removedMeanwhile) })
			: "",
	].filter(Boolean);
	const said =
		changes.length > 0 ? t(lang, "deskTopicsChangedMeanwhile", { changes: changes.join(", ") }) : "";
	return {
		values: { ...values, tags: merged.topics.join(", ") },
		notice: [refused.notice, said].filter(Boolean).join(" "),
	};
}

/** "a, b, c" → ["a", "b", "c"]: the topics field is one line. */
function topicList(text: string | undefined): string[] {
	return (text ?? "")
		.split(",")
		.map((part) => part.trim())
		.filter(Boolean);
}

export const deskCollaborationRoutes = deskFactory
	.createApp()
	.post(
		"/claims/:id/assignee",
		declareRoute({ method: "POST", path: "/desk/claims/:id/assignee", access: { session: "checker" } }),
		(c) =>
			// Giving back (or unassigning) a claim assigned to nobody already: nothing to do, and said so.
			claimStep<{ changed: boolean; email: string | null }>(
				c,
				"assign",
				{
					// Nothing is written when nobody held it and nobody is to.
					written: "assigned",
					of: (result) => (result.email === null && !result.changed ? "unassigned-already" : "assigned"),
				},
				async (claimId, values) => {
					const choice = values.assignee ?? "";
					const email = choice === "me" ? signedIn(c).user.email : choice === "" ? null : choice;
					// Whom the editor's page showed holding it ("" nobody); a form without it, anyone.
					const was = values["was.assignee"];
					const { changed } = await assignClaim(deskCommand(c), claimId, email, was);
					return { changed, email };
				},
			),
	)
	.post(
		"/claims/:id/notes",
		declareRoute({ method: "POST", path: "/desk/claims/:id/notes", access: { session: "checker" } }),
		(c) =>
			claimStep(c, "note", "note-added", (claimId, values) =>
				noteOnClaim(deskCommand(c), claimId, values.text),
			),
	)
	.post(
		"/claims/:id/tags",
		declareRoute({ method: "POST", path: "/desk/claims/:id/tags", access: { session: "checker" } }),
		(c) =>
			claimStep(
				c,
				"tags",
				"topics-saved",
				(claimId, values) => {
					const parsed = claimEditInput.safeParse({
						version: versionOf(values.version) ?? 0,
						tags: topicList(values.tags),
					});
					if (!parsed.success) {
						// One field on the form: every topic's problem is shown beside it.
						const message = parsed.error.issues[0]?.message ?? "These topics cannot be saved.";
						throw new AppError(422, `tags: ${message}`, { errors: [{ path: "tags", message }] });
					}
					return editClaim(deskCommand(c), claimId, parsed.data);
				},
				(claimId, refused) => topicsMeanwhile(c, claimId, refused),
			),
	);
