import { newsroomTimeZone } from "../../domain/deployment-settings";
import { AppError } from "../../lib/errors";
import { declareRoute } from "../../lib/route-declaration";
import { semanticIndexOf } from "../../lib/semantic-index";
import { intakeArticle } from "../../reader/intake";
import { extractInput } from "../../schemas/extract";
import { type ClaimMatch, findMatchesMany } from "../../store/claim-matches";
import { ArticleIntakePage, type ArticleIntakeValues, skippedKeys } from "../../views/desk/article-intake";
import type { FieldErrors } from "../../views/desk/fields";
import { allowed, chrome, type DeskContext, deskFactory, formValues, intakeSignature, page } from "./context";
import { formErrors } from "./forms";

function render(
	c: DeskContext,
	values: ArticleIntakeValues,
	options: {
		errors?: FieldErrors;
		result?: Awaited<ReturnType<typeof intakeArticle>> | null;
		checked?: (ClaimMatch | null)[];
		/** `intakeSignature` of the article's address and language, for the way back from a recorded claim. */
		intakeSig?: string;
		status?: 200 | 413 | 422 | 502;
	} = {},
) {
	const session = allowed(c, "claim:create");
	const skipped = skippedKeys(values.skip ?? "");
	return page(
		c,
		<ArticleIntakePage
			chrome={chrome(c)}
			csrf={session.csrfToken}
			values={values}
			errors={options.errors ?? {}}
			result={options.result ?? null}
			checked={options.checked ?? []}
			skipped={skipped}
			intakeSig={options.intakeSig ?? null}
		/>,
		options.status ?? 200,
	);
}

/** Candidates matched against the checks: this many, the ones the page shows first. */
const MATCHED_CANDIDATES = 20;

/**
 * Per candidate, what the desk has of it already: the closest claim checked (a published
 * verdict), else the same claim recorded and not checked yet (unverified, or a draft in
 * review), so nobody records and checks it a second time. Two reads per candidate, in a
 * few D1 queries for all (the checked one apart: the recorded ones must not crowd it out).
 */
async function checkedAlready(
	c: DeskContext,
	result: Awaited<ReturnType<typeof intakeArticle>>,
): Promise<(ClaimMatch | null)[]> {
	const language = result.article.language ?? "de";
	const candidates = result.candidates.slice(0, MATCHED_CANDIDATES);
	const query = (text: string, reviewedOnly: boolean) => ({
		text,
		language,
		limit: reviewedOnly ? 3 : 1,
		reviewedOnly,
	});
	const answers = await findMatchesMany(c.var.db, semanticIndexOf(c.env), [
		...candidates.map((candidate) => query(candidate.text, true)),
		...candidates.map((candidate) => query(candidate.text, false)),
	]);
	return candidates.map((_, i) => {
		const checked = answers[i]?.matches.filter((m) => m.claim.verdict !== null) ?? [];
		const recorded = answers[candidates.length + i]?.matches.find((m) => m.relation === "same");
		// The same claim first, checked or not yet; a similar checked one only after.
		return checked.find((m) => m.relation === "same") ?? recorded ?? checked[0] ?? null;
	});
}

/** "New from article": the reader and extractor behind a plain form; stores nothing. */
export const deskArticleRoutes = deskFactory
	.createApp()
	.get(
		"/articles/new",
		declareRoute({ method: "GET", path: "/desk/articles/new", access: { session: "checker" } }),
		(c) => render(c, {}),
	)
	.post(
		"/articles",
		declareRoute({
			method: "POST",
			path: "/desk/articles",
			access: { session: "checker" },
			reason: "stores nothing; fetches a page",
		}),
		async (c) => {
			allowed(c, "claim:create");
			const form = await formValues(c);
			const values: ArticleIntakeValues = {
				url: form.url?.trim() ?? "",
				text: form.text ?? "",
				language: form.language?.trim() ?? "",
				skip: form.skip ?? "",
			};
			const parsed = extractInput.safeParse({
				...(values.url ? { url: values.url } : {}),
				...(values.text?.trim() ? { text: values.text } : {}),
				...(values.language ? { language: values.language } : {}),
			});
			if (!parsed.success) return render(c, values, { errors: formErrors(parsed.error), status: 422 });
			// The text as read (control characters become line breaks or go) is the text shown
			// again and sent by Skip: the candidates' words and anchors are of this one.
			if (parsed.data.text !== undefined) values.text = parsed.data.text;
			try {
				const result = await intakeArticle(c.var.db, parsed.data, {
					allowLoopback: c.env.ALLOW_LOOPBACK_OUTBOUND === "true",
					timeZone: newsroomTimeZone(c.env),
				});
				const session = allowed(c, "claim:create");
				const intakeSig = values.url
					? await intakeSignature(session.csrfToken, values.url, values.language)
					: undefined;
				return render(c, values, {
					result,
					checked: await checkedAlready(c, result),
					...(intakeSig ? { intakeSig } : {}),
				});
			} catch (error) {
				if (
					!(error instanceof AppError) ||
					(error.status >= 500 && error.status !== 502 && error.status !== 504)
				) {
					throw error;
				}
				const field = values.url ? "url" : "text";
				return render(c, values, {
					errors: { [field]: error.message },
					// 413: the article's text is over MAX_ARTICLE_CHARS (the form says so beside the field).
					status: error.status >= 500 ? 502 : error.status === 413 ? 413 : 422,
				});
			}
		},
	);
