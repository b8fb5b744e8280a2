import * as z from "zod";
import { MAX_ARTICLE_CHARS } from "../reader/intake";
import { httpUrl, languageTag } from "./common";

/** An article to read for claims: by URL or as pasted text (the API and the desk form). */
export const extractInput = z
	.object({
		url: httpUrl.optional(),
		// No .max(): the intake refuses text over the cap with 413, like a page's text over it.
		text: z
			.string()
			.describe(
				`At most ${MAX_ARTICLE_CHARS.toLocaleString("en")} characters (after trimming); longer text answers 413.`,
			)
			.optional(),
		language: languageTag.optional(),
	})
	.refine((input) => Boolean(input.url) !== Boolean(input.text?.trim()), {
		message: "Send either the article's url or its text.",
		path: ["url"],
	});
