import { type ClaimCandidate, extractClaims } from "../domain/extraction";
import type { Db } from "../factory";
import { findSourceByUrl } from "../store/sources";
import { knownSpeakersForExtraction } from "../store/speakers";
import { fetchArticle } from "./article-fetch";
import { type ReadArticle, readArticle } from "./article-reader";
import { AppError } from "./errors";

/**
 * From an article (by URL or pasted text) to ranked claim candidates with speakers:
 * fetch safely, read metadata and main text, match the source to an existing one,
 * extract. Nothing is stored here; recording a candidate is an ordinary claim write.
 */

export const SUPPORTED_EXTRACTION_LANGUAGES = ["de", "en"];

export interface ArticleIntake {
	article: Omit<ReadArticle, "paragraphs"> & { existingSourceId: string | null };
	candidates: (ClaimCandidate & { link: string | null })[];
	warnings: string[];
}

export async function intakeArticle(
	db: Db,
	input: { url?: string | null; text?: string | null; language?: string | null },
	options: { allowPrivate: boolean },
): Promise<ArticleIntake> {
	let read: ReadArticle;
	if (input.url) {
		const fetched = await fetchArticle(input.url, { allowPrivate: options.allowPrivate });
		read = await readArticle(fetched.html, fetched.finalUrl);
	} else {
		const text = (input.text ?? "").trim();
		read = {
			url: null,
			title: null,
			publisher: null,
			author: null,
			publishedAt: null,
			language: input.language ?? null,
			text,
			paragraphs: text.split(/\n+/),
		} as ReadArticle;
	}
	const warnings: string[] = [];
	if (read.text.trim().length === 0) {
		throw new AppError(422, "No article text was found on this page.", {
			code: "no-article-text",
			errors: [{ path: input.url ? "url" : "text", message: "No article text was found." }],
		});
	}
	const language = input.language ?? read.language ?? undefined;
	const primary = language?.split("-")[0];
	if (primary && !SUPPORTED_EXTRACTION_LANGUAGES.includes(primary)) {
		warnings.push(`Claim suggestions are tuned for German and English; this text is "${primary}".`);
	}
	const knownSpeakers = await knownSpeakersForExtraction(db);
	const candidates = extractClaims(read.text, { ...(language ? { language } : {}), knownSpeakers });
	if (candidates.length === 0) warnings.push("No check-worthy statements or quotes were found.");
	const existing = read.url ? await findSourceByUrl(db, read.url).catch(() => undefined) : undefined;
	const { paragraphs: _paragraphs, ...article } = read;
	return {
		article: { ...article, existingSourceId: existing?.id ?? null },
		candidates: candidates.map((candidate) => ({
			...candidate,
			link: read.url && candidate.fragment ? `${read.url}${candidate.fragment}` : null,
		})),
		warnings,
	};
}
