import * as z from "zod";
import { pastedArticleText, TEXT_PROBLEM_MESSAGES, textProblem } from "../domain/plain-text";
import { MAX_ARTICLE_CHARS } from "../reader/intake";
import { httpUrl, languageTag } from "./common";

/** An article to read for claims: by URL or as pasted text (the API and the desk form). */
export const extractInput = z
	.object({
		url: httpUrl.optional(),
		// No .max(): the intake refuses text over the cap with 413, like a page's text over it.
		// Control characters become line breaks, cp1252's characters or go (pastedArticleText);
		// what no text field takes is then refused here too (domain/plain-text): half a surrogate
		// pair reached the text fragment's encodeURIComponent, a URIError and a 500.
		text: z
			.string()
			.transform(pastedArticleText)
			.superRefine((text, ctx) => {
				const problem = textProblem(text, true);
				if (problem) ctx.addIssue({ code: "custom", message: TEXT_PROBLEM_MESSAGES[problem] });
			})
			.describe(
				`At most ${MAX_ARTICLE_CHARS.toLocaleString("en")} characters (after trimming); longer text answers 413. Control characters no text field shows are read, not refused: a form feed, vertical tab or U+2028/2029 as a line break; U+0080–U+009F as the windows-1252 characters they were (U+0085 is …, U+0092 is ’); the other control characters (NUL, and the five that windows-1252 leaves undefined) are dropped. Half a surrogate pair or a bidi override (U+202D, U+202E) is a 422.`,
			)
			.optional(),
		language: languageTag.optional(),
	})
	.refine((input) => Boolean(input.url) !== Boolean(input.text?.trim()), {
		message: "Send either the article's url or its text.",
		path: ["url"],
	});
