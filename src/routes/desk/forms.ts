import * as z from "zod";
import { RATING_KEYS } from "../../domain/ratings";
import { foldName } from "../../domain/speaker-matching";
import { validationProblems } from "../../lib/validate";
import type { FieldErrors } from "../../views/desk/fields";
import { chosenLanguage } from "../../views/desk/language-choice";
import type { ShownDraft } from "../../views/desk/verdict-preview";
import type { FormValues } from "./context";

/**
 * Desk forms name their fields by the zod path they feed ("source.url",
 * "evidence.0.title"), so the schema's problems land beside the right field.
 */

const blankToNull = (value: string | undefined) =>
	value === undefined || value.trim() === "" ? null : value;

export function sourceFromForm(form: FormValues) {
	return {
		url: form["source.url"] ?? "",
		title: blankToNull(form["source.title"]),
		publisher: blankToNull(form["source.publisher"]),
		author: blankToNull(form["source.author"]),
		language: blankToNull(form["source.language"]),
		publishedAt: blankToNull(form["source.publishedAt"]),
		archivedUrl: blankToNull(form["source.archivedUrl"]),
	};
}

/** The claim form as the input of `claimInput` (the API's schema). */
export function claimFromForm(form: FormValues) {
	const choice = form["speaker.choice"];
	const speakerId = choice && choice !== "new" ? choice : blankToNull(form["speaker.id"]);
	const speaker =
		form.speakerIsSource === "1"
			? null
			: speakerId
				? { id: speakerId }
				: {
						name: form["speaker.name"] ?? "",
						kind: form["speaker.kind"] || "person",
						description: blankToNull(form["speaker.description"]),
						wikidataId: null,
						aliases: [],
					};
	return {
		text: form.text ?? "",
		language: form.language ?? "",
		claimedAt: blankToNull(form.claimedAt),
		context: blankToNull(form.context),
		speaker,
		source: sourceFromForm(form),
		quote: null,
		anchor: anchorFromForm(form),
		externalId: null,
	};
}

/**
 * A text fragment (#:~:text=…) from "New from article", so readers land on the sentence:
 * of a new claim, or of the appearance its duplicate notice adds instead. The schemas check it.
 */
export function anchorFromForm(form: Record<string, string>): string | null {
	return form.anchor?.startsWith("#:~:text=") ? form.anchor : null;
}

/**
 * The verdict form as the input of `verdictInput`. Blank evidence rows are skipped;
 * `rowOf` maps a position in the list back to the form row, for error paths.
 */
export function verdictFromForm(form: FormValues) {
	const rows = new Set<number>();
	for (const key of Object.keys(form)) {
		const match = /^evidence\.(\d+)\.(url|title)$/.exec(key);
		if (match?.[1] && Number(match[1]) < 50) rows.add(Number(match[1]));
	}
	const rowOf: number[] = [];
	const evidence: { url: string; title: string }[] = [];
	for (const row of [...rows].sort((a, b) => a - b)) {
		const url = form[`evidence.${row}.url`] ?? "";
		const title = form[`evidence.${row}.title`] ?? "";
		if (url.trim() === "" && title.trim() === "") continue;
		rowOf.push(row);
		evidence.push({ url, title });
	}
	return {
		input: {
			rating: form.rating ?? "",
			headline: form.headline ?? "",
			summary: blankToNull(form.summary),
			body: blankToNull(form.body),
			evidence,
			// A form without the field (an old page) writes German, as the form preselects.
			language: form.language ? chosenLanguage(form) : "de",
		},
		rowOf,
	};
}

/** zod problems as errors by form field name (first problem per field). */
export function formErrors(error: z.ZodError, rename: (path: string) => string = (p) => p): FieldErrors {
	const errors: FieldErrors = {};
	for (const problem of validationProblems(error)) {
		const name = rename(problem.path);
		errors[name] ??= problem.message;
	}
	return errors;
}

/** The draft as a preview showed it (its publish form's `shown`, JSON). */
const shownDraft = z.object({
	rating: z.enum(RATING_KEYS),
	headline: z.string(),
	summary: z.string().nullable(),
	body: z.string().nullable(),
	evidence: z.string(),
	language: z.string(),
});

/** The draft a preview's publish form says it showed; null for a form without it, or a made-up one. */
export function shownDraftOf(value: string | undefined): ShownDraft | null {
	if (!value) return null;
	try {
		const parsed = shownDraft.safeParse(JSON.parse(value));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}

/** Error paths of compacted evidence ("evidence.1.url") back to the form row ("evidence.3.url"). */
export function evidenceRenamer(rowOf: number[]) {
	return (path: string) =>
		path.replace(/^evidence\.(\d+)\./, (_m, index: string) => `evidence.${rowOf[Number(index)] ?? index}.`);
}

/** Whether a speaker's name or alias is this exact name (folded). */
export function sameName(speaker: { name: string; aliases: string[] }, name: string): boolean {
	const folded = foldName(name);
	return [speaker.name, ...speaker.aliases].some((n) => foldName(n) === folded);
}
