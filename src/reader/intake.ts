import type { Source } from "../db/schema";
import { type ClaimCandidate, extractClaims } from "../domain/extraction";
import { detectLanguage } from "../domain/extraction/lexicon";
import type { Db } from "../factory";
import { AppError } from "../lib/errors";
import { findSourceByUrl } from "../store/sources";
import { knownSpeakersForExtraction } from "../store/speakers";
import { type ReadArticle, readArticle } from "./article-reader";
import { fetchArticle } from "./safe-fetch";

/**
 * From an article (by URL or pasted text) to ranked claim candidates with speakers:
 * fetch safely, read metadata and main text, match the source to an existing one,
 * extract. Nothing is stored here; recording a candidate is an ordinary claim write.
 */

const SUPPORTED_EXTRACTION_LANGUAGES = ["de", "en"];

/**
 * The most article text that is read, in characters (`String.length`): the main text
 * of a page read by URL (after the reader left out navigation, teasers and the like),
 * or pasted text. Extraction time grows faster than the text (200 kB once took 42 s
 * of CPU); long-form articles stay well below this (100,000 characters are some
 * 15,000 words). Longer text is refused with 413, before extraction.
 */
export const MAX_ARTICLE_CHARS = 100_000;

/** What the desk says above the candidates, as codes (`warnings` has it in English). */
export type IntakeWarning =
	| { code: "unsupported-language"; language: string }
	| { code: "no-candidates" }
	/*
	 * The page names another site's address as its own (og:url, JSON-LD, canonical): not taken.
	 * `source` is the address recorded instead: one the page names on its own site, else the
	 * address read (reader/article-metadata `pageAddress`).
	 */
	| { code: "foreign-address"; url: string; source: string };

export interface ArticleIntake {
	article: Omit<ReadArticle, "paragraphs" | "foreignUrl"> & { existingSourceId: string | null };
	candidates: (ClaimCandidate & { link: string | null })[];
	/** In English, as the API gives them. */
	warnings: string[];
	/** The same, as codes, for the desk to say in its language. */
	warningCodes: IntakeWarning[];
	/**
	 * The source this article is already (`article.existingSourceId`), for the desk to name it
	 * by its title or domain: its id told a checker nothing. Not in the API's answer.
	 */
	existingSource: Pick<Source, "id" | "title" | "domain" | "language"> | null;
}

function englishWarning(warning: IntakeWarning): string {
	switch (warning.code) {
		case "unsupported-language":
			return `Claim suggestions are tuned for German and English; this text is "${warning.language}".`;
		case "no-candidates":
			return "No check-worthy statements or quotes were found.";
		case "foreign-address":
			return `This page gives another site's address as its own: ${warning.url}. That address is not taken: the source is recorded as ${warning.source}.`;
	}
}

interface IntakeInput {
	url?: string | null;
	text?: string | null;
	language?: string | null;
}

const formatCount = (n: number) => n.toLocaleString("en");

/** 413 for text over MAX_ARTICLE_CHARS, stating the limit; `field` is where the text came from. */
function refuseLongText(length: number, field: "url" | "text"): void {
	if (length <= MAX_ARTICLE_CHARS) return;
	const limit = `${formatCount(MAX_ARTICLE_CHARS)} characters`;
	const message =
		field === "url"
			? `The article's text is ${formatCount(length)} characters long; at most ${limit} are read. Paste the part to check as text instead.`
			: `The text is ${formatCount(length)} characters long; paste at most ${limit}.`;
	throw new AppError(413, message, {
		title: "Article text too long",
		code: "article-too-long",
		errors: [{ path: field, message }],
		extra: { maxCharacters: MAX_ARTICLE_CHARS, characters: length },
	});
}

async function articleOf(input: IntakeInput, options: IntakeOptions): Promise<ReadArticle> {
	if (input.url) {
		const fetched = await fetchArticle(input.url, { allowLoopback: options.allowLoopback });
		const read = await readArticle(fetched.html, fetched.finalUrl, options.timeZone);
		refuseLongText(read.text.length, "url");
		return read;
	}
	const text = (input.text ?? "").trim();
	refuseLongText(text.length, "text");
	return {
		url: null,
		title: null,
		publisher: null,
		author: null,
		publishedAt: null,
		language: input.language ?? null,
		foreignUrl: null,
		text,
		paragraphs: text.split(/\n+/),
	};
}

interface IntakeOptions {
	allowLoopback: boolean;
	/**
	 * The newsroom's (domain/deployment-settings `newsroomTimeZone`): an article dated in UTC
	 * ("2025-07-11T22:30:00Z", as many CMSs write 00:30 in Berlin) is dated by its day there,
	 * which the desk's form takes as the source's date and the claim's.
	 */
	timeZone: string;
}

export async function intakeArticle(
	db: Db,
	input: IntakeInput,
	options: IntakeOptions,
): Promise<ArticleIntake> {
	const read = await articleOf(input, options);
	// "The source stayed the address read" was untrue of a page naming its own address later
	// (a canonical after a foreign og:url): the notice names the address recorded.
	const warnings: IntakeWarning[] =
		read.foreignUrl && read.url ? [{ code: "foreign-address", url: read.foreignUrl, source: read.url }] : [];
	if (read.text.trim().length === 0) {
		throw new AppError(422, "No article text was found on this page.", {
			code: "no-article-text",
			errors: [{ path: input.url ? "url" : "text", message: "No article text was found." }],
		});
	}
	// Pasted text has no metadata: the detected language goes with "Record" into the claim form.
	const language = input.language ?? read.language ?? detectLanguage(read.text);
	const primary = language?.split("-")[0];
	if (primary && !SUPPORTED_EXTRACTION_LANGUAGES.includes(primary)) {
		warnings.push({ code: "unsupported-language", language: primary });
	}
	const knownSpeakers = await knownSpeakersForExtraction(db);
	const candidates = extractClaims(read.text, { language, knownSpeakers });
	if (candidates.length === 0) warnings.push({ code: "no-candidates" });
	const existing = read.url ? await findSourceByUrl(db, read.url) : undefined;
	const { paragraphs: _paragraphs, foreignUrl: _foreignUrl, ...article } = read;
	return {
		article: { ...article, language, existingSourceId: existing?.id ?? null },
		candidates: candidates.map((candidate) => ({
			...candidate,
			link: read.url && candidate.fragment ? `${read.url}${candidate.fragment}` : null,
		})),
		warnings: warnings.map(englishWarning),
		warningCodes: warnings,
		existingSource: existing
			? { id: existing.id, title: existing.title, domain: existing.domain, language: existing.language }
			: null,
	};
}
