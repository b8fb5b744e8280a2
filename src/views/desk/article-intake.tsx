import type { Child } from "hono/jsx";
import type { NamedDetail, Reason, ReasonCode } from "../../domain/extraction";
import type { ClaimStatus, UiLanguage } from "../../domain/ratings";
import { quoted } from "../../domain/typography";
import { type ArticleIntake, type IntakeWarning, MAX_ARTICLE_CHARS } from "../../reader/intake";
import type { ClaimMatch } from "../../store/claim-matches";
import { formatDate } from "../i18n";
import { type MessageKey, t } from "./desk-i18n";
import { type DeskChrome, DeskLayout, FormSecrets } from "./desk-layout";
import { ErrorSummary, type FieldErrors, Notice, TextArea, TextField } from "./fields";
import { languageWithCode } from "./language-choice";
import { StatusPill } from "./status";

export interface ArticleIntakeValues {
	url?: string;
	text?: string;
	language?: string;
	skip?: string;
}

/**
 * A candidate's mark in the list of skipped ones: a hash of its words, not its place in the
 * list. A place named another candidate once the list came out otherwise (read again in
 * another language, or after the extractor changed). Eight base-36 characters (41 bits):
 * no secret, only tells a page's candidates apart.
 */
function candidateKey(text: string): string {
	// cyrb53 (public domain): two 32-bit FNV-like lanes, mixed.
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 2654435761);
		h2 = Math.imul(h2 ^ ch, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	const hash = 4294967296 * (2097151 & h2) + (h1 >>> 0);
	return hash.toString(36).padStart(8, "0").slice(-8);
}

/** The skipped candidates' keys from the form's comma-separated `skip` (anything else is ignored). */
export function skippedKeys(skip: string): Set<string> {
	return new Set(skip.split(",").filter((part) => /^[0-9a-z]{8}$/.test(part)));
}

/* The cap on article text, stated beside the text field (it also holds for a page read by URL). */
const TEXT_LIMIT: Record<UiLanguage, string> = {
	en: `At most ${MAX_ARTICLE_CHARS.toLocaleString("en")} characters of article text are read, pasted or from the page.`,
	de: `Gelesen werden höchstens ${MAX_ARTICLE_CHARS.toLocaleString("de")} Zeichen Artikeltext, eingefügt oder von der Seite.`,
};

/** What the desk has of a candidate: checked already, recorded and not yet, or its verdict withdrawn. */
function matchLabel(match: ClaimMatch): MessageKey {
	if (match.claim.verdict)
		return match.relation === "same" ? "deskArticleChecked" : "deskArticleSimilarChecked";
	// No verdict in force, its last one withdrawn: no check stands, so it wants checking again.
	// "Checked already" had a checker skim past it (only the grey pill said otherwise).
	if (match.claim.claim.status === "retracted") return "deskArticleRetracted";
	// A claim recorded and not checked yet: someone may be on it already.
	return "deskArticleRecorded";
}

/** "Checked already: False" with a link to that claim, for a candidate the matcher found. */
function CheckedAlready(props: { lang: UiLanguage; match: ClaimMatch | null }) {
	const { lang, match } = props;
	if (!match) return null;
	const label = matchLabel(match);
	return (
		<p class={`checked checked-${match.relation}`}>
			<strong>{t(lang, label)}:</strong>{" "}
			<StatusPill lang={lang} status={match.claim.claim.status as ClaimStatus} />{" "}
			<a href={`/desk/claims/${match.claim.claim.id}`} lang={match.claim.claim.language} dir="auto">
				{match.claim.verdict?.headline ?? match.claim.claim.text}
			</a>
		</p>
	);
}

const DETAILS = {
	date: "deskReasonDate",
	number: "deskReasonNumber",
	place: "deskReasonPlace",
	actor: "deskReasonActor",
	event: "deskReasonEvent",
} as const satisfies Record<NamedDetail, MessageKey>;

const REASONS = {
	"present-fact": "deskReasonPresentFact",
	superlative: "deskReasonSuperlative",
	"as-fact": "deskReasonAsFact",
	"direct-quote": "deskReasonDirectQuote",
	"no-detail": "deskReasonNoDetail",
	pledge: "deskReasonPledge",
	prediction: "deskReasonPrediction",
	"partly-prediction": "deskReasonPartlyPrediction",
	opinion: "deskReasonOpinion",
	courtesy: "deskReasonCourtesy",
	question: "deskReasonQuestion",
	hedged: "deskReasonHedged",
	"too-short": "deskReasonTooShort",
} as const satisfies Record<Exclude<ReasonCode, "names">, MessageKey>;

/** Why a candidate scores as it does, in the desk's language (the extractor gives codes). */
function reasonText(lang: UiLanguage, reason: Reason): string {
	if (reason.code !== "names") return t(lang, REASONS[reason.code]);
	const items = reason.details.map((detail) => t(lang, DETAILS[detail]));
	const details =
		items.length > 1
			? `${items.slice(0, -1).join(", ")} ${t(lang, "deskReasonAnd")} ${items.at(-1)}`
			: items.join("");
	return t(lang, "deskReasonNames", { details });
}

function warningText(lang: UiLanguage, warning: IntakeWarning): string {
	switch (warning.code) {
		case "unsupported-language":
			return t(lang, "deskIntakeUnsupportedLanguage", { language: warning.language });
		case "no-candidates":
			return t(lang, "deskIntakeNoCandidates");
		case "foreign-address":
			return t(lang, "deskIntakeForeignAddress", { url: warning.url, source: warning.source });
	}
}

/** Only http(s) links become anchors; anything else stays text. */
const safeLink = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

/**
 * "New from article": an address or pasted text → the article's metadata and ranked
 * claim candidates, each with "record" (the claim form, prefilled) or "skip".
 * Plain forms: works without JavaScript.
 */
export function ArticleIntakePage(props: {
	chrome: DeskChrome;
	csrf: string;
	values: ArticleIntakeValues;
	errors: FieldErrors;
	result: ArticleIntake | null;
	/** Per candidate, the closest claim checked already, else the same claim recorded and not checked yet (or its verdict withdrawn). */
	checked: readonly (ClaimMatch | null)[];
	/** The `candidateKey`s of the candidates skipped. */
	skipped: ReadonlySet<string>;
	/** The session's mark of the article's address and language (routes/desk/context `intakeSignature`), or null. */
	intakeSig: string | null;
}) {
	const { chrome, values, errors, result } = props;
	const lang = chrome.lang;
	const labels = { url: t(lang, "deskArticleUrl"), text: t(lang, "deskArticleText") };
	return (
		<DeskLayout chrome={chrome} title={t(lang, "deskFromArticle")} formErrors={errors}>
			<h1>{t(lang, "deskFromArticle")}</h1>
			<ErrorSummary lang={lang} errors={errors} labels={labels} />
			<form method="post" action="/desk/articles" novalidate>
				<FormSecrets csrf={props.csrf} />
				<TextField
					name="url"
					label={labels.url}
					type="url"
					value={values.url}
					errors={errors}
					lang={lang}
					maxlength={2048}
				/>
				<TextArea
					name="text"
					label={labels.text}
					hint={`${t(lang, "deskArticleTextHint")} ${TEXT_LIMIT[lang]}`}
					value={values.text}
					errors={errors}
					lang={lang}
					rows={6}
				/>
				<TextField
					name="language"
					label={t(lang, "deskArticleLanguage")}
					value={values.language}
					errors={errors}
					lang={lang}
					maxlength={35}
				/>
				<button type="submit">{t(lang, "deskReadArticle")}</button>
			</form>
			{result ? <IntakeResult {...props} result={result} /> : null}
		</DeskLayout>
	);
}

type IntakeResultProps = {
	chrome: DeskChrome;
	csrf: string;
	values: ArticleIntakeValues;
	result: ArticleIntake;
	checked: readonly (ClaimMatch | null)[];
	skipped: ReadonlySet<string>;
	intakeSig: string | null;
};

function IntakeResult(props: IntakeResultProps) {
	const { result } = props;
	const lang = props.chrome.lang;
	return (
		<>
			<FoundArticle lang={lang} result={result} />
			<section aria-labelledby="candidates-h">
				<h2 id="candidates-h">{t(lang, "deskCandidates")}</h2>
				{/* The article once for every candidate's Skip (its buttons name this form): a copy of
				    a pasted text in each candidate's own form made pages grow with the text times
				    the candidates (95,000 characters: 87 MB of HTML). */}
				<form method="post" action="/desk/articles" id="skip-form" class="inline">
					<FormSecrets csrf={props.csrf} />
					<input type="hidden" name="url" value={props.values.url ?? ""} />
					<input type="hidden" name="text" value={props.values.text ?? ""} />
					<input type="hidden" name="language" value={props.values.language ?? ""} />
				</form>
				<ol class="candidates">
					{result.candidates.map((candidate, index) =>
						props.skipped.has(candidateKey(candidate.text)) ? null : (
							<CandidateItem {...props} candidate={candidate} index={index} />
						),
					)}
				</ol>
			</section>
		</>
	);
}

/**
 * "Beispiel-Nachrichten · Anna Beispiel · 12. Juli 2025 · Deutsch (de)": the date and the
 * language as the rest of the desk writes them (the appearances' line, the language select),
 * not the raw "2025-07-12 · de" the reader gives the form.
 */
function publishedByLine(lang: UiLanguage, article: ArticleIntake["article"]) {
	const parts: Child[] = [];
	for (const text of [article.publisher, article.author]) if (text) parts.push(text);
	if (article.publishedAt) {
		parts.push(<time datetime={article.publishedAt}>{formatDate(article.publishedAt, lang)}</time>);
	}
	if (article.language) parts.push(languageWithCode(article.language, lang));
	if (parts.length === 0) return "–";
	return parts.map((part, i) => (i === 0 ? part : <> · {part}</>));
}

/** What the reader found about the article: title, address, publisher, and its warnings. */
function FoundArticle({ lang, result }: { lang: UiLanguage; result: ArticleIntake }) {
	const article = result.article;
	const articleUrl = safeLink(article.url);
	return (
		<section aria-labelledby="article-h">
			<h2 id="article-h">{t(lang, "deskArticleFound")}</h2>
			<dl>
				{article.title ? (
					<>
						<dt>{t(lang, "deskSourceTitle")}</dt>
						<dd>{article.title}</dd>
					</>
				) : null}
				{articleUrl ? (
					<>
						<dt>URL</dt>
						<dd>
							<a href={articleUrl} rel="noopener nofollow">
								{articleUrl}
							</a>
						</dd>
					</>
				) : null}
				<dt>{t(lang, "publishedBy")}</dt>
				<dd>{publishedByLine(lang, article)}</dd>
			</dl>
			{result.existingSource ? <ExistingSource lang={lang} source={result.existingSource} /> : null}
			{result.warningCodes.map((warning) => (
				<Notice role="status">
					{warning.code === "foreign-address" ? (
						<ForeignAddress lang={lang} url={warning.url} source={warning.source} />
					) : (
						warningText(lang, warning)
					)}
				</Notice>
			))}
		</section>
	);
}

/**
 * "This article is already a source: <its title>": named by its title (in the source's
 * language) or, without one, its domain; its opaque id as the link's text told nobody where
 * it leads.
 */
function ExistingSource({
	lang,
	source,
}: {
	lang: UiLanguage;
	source: NonNullable<ArticleIntake["existingSource"]>;
}) {
	return (
		<p>
			{t(lang, "deskExistingSource")}{" "}
			<a href={`/sources/${source.id}`}>
				{source.title ? (
					<bdi lang={source.language ?? undefined} dir="auto">
						{source.title}
					</bdi>
				) : (
					<bdi>{source.domain}</bdi>
				)}
			</a>
		</p>
	);
}

/**
 * The address a page claims and does not have, and the one recorded instead, each wrapping
 * anywhere (a long URL overflowed a phone's width).
 */
function ForeignAddress({ lang, url, source }: { lang: UiLanguage; url: string; source: string }) {
	const marker = "\u0000";
	// Both languages name the claimed address first, then the one recorded.
	const [before = "", middle = "", after = ""] = t(lang, "deskIntakeForeignAddress", {
		url: marker,
		source: marker,
	}).split(marker);
	return (
		<>
			{before}
			<code class="url">{url}</code>
			{middle}
			<code class="url">{source}</code>
			{after}
		</>
	);
}

/** One candidate claim: its quote, whether it was checked already, and record or skip. */
function CandidateItem(
	props: IntakeResultProps & { candidate: ArticleIntake["candidates"][number]; index: number },
) {
	const { values, candidate, index } = props;
	const lang = props.chrome.lang;
	const article = props.result.article;
	// A quote or reported speech without a name ("sagte der Minister") is someone's words, not the
	// outlet's: the form leaves the speaker for the checker to name instead of crediting the article.
	const articleSpeaks = candidate.kind === "statement";
	return (
		<li>
			<blockquote lang={article.language ?? undefined} dir="auto">
				{quoted(candidate.text, article.language ?? "")}
			</blockquote>
			<CheckedAlready lang={lang} match={props.checked[index] ?? null} />
			<p class="meta">
				{candidate.speaker?.name ?? t(lang, articleSpeaks ? "deskArticleSelf" : "deskUnnamedSpeaker")} ·{" "}
				{t(lang, "deskCheckworthiness")} {Math.round(candidate.score * 100)} % ·{" "}
				{candidate.why.map((reason) => reasonText(lang, reason)).join("; ")}
				{safeLink(candidate.link) ? (
					<>
						{" "}
						·{" "}
						<a href={safeLink(candidate.link) ?? "#"} rel="noopener nofollow">
							{t(lang, "deskInSource")}
						</a>
					</>
				) : null}
			</p>
			<div class="actions">
				<form method="get" action="/desk/claims/new" class="inline">
					<input type="hidden" name="text" value={candidate.text} />
					<input type="hidden" name="language" value={article.language ?? values.language ?? ""} />
					{candidate.speaker ? (
						<>
							<input type="hidden" name="speaker.name" value={candidate.speaker.name} />
							{candidate.speaker.speakerId ? (
								<input type="hidden" name="speaker.id" value={candidate.speaker.speakerId} />
							) : null}
						</>
					) : articleSpeaks ? (
						<input type="hidden" name="speakerIsSource" value="1" />
					) : null}
					<input type="hidden" name="source.url" value={article.url ?? ""} />
					<input type="hidden" name="source.title" value={article.title ?? ""} />
					<input type="hidden" name="source.publisher" value={article.publisher ?? ""} />
					<input type="hidden" name="source.author" value={article.author ?? ""} />
					<input type="hidden" name="source.language" value={article.language ?? ""} />
					<input type="hidden" name="source.publishedAt" value={article.publishedAt ?? ""} />
					<input type="hidden" name="claimedAt" value={article.publishedAt ?? ""} />
					<input type="hidden" name="anchor" value={candidate.fragment} />
					{/* An article read from its address: the claim's page leads back to these candidates. */}
					{values.url && props.intakeSig ? (
						<>
							<input type="hidden" name="intake" value={values.url} />
							<input type="hidden" name="intakeSig" value={props.intakeSig} />
							{/* The language the checker set: the list comes back as it was, not re-read in the page's. */}
							{values.language ? <input type="hidden" name="intakeLanguage" value={values.language} /> : null}
							<input type="hidden" name="intakeSkip" value={[...props.skipped].join(",")} />
						</>
					) : null}
					<button type="submit">{t(lang, "deskRecord")}</button>
				</form>{" "}
				<button
					type="submit"
					form="skip-form"
					name="skip"
					value={[...props.skipped, candidateKey(candidate.text)].join(",")}
					class="secondary"
				>
					{t(lang, "deskSkip")}
				</button>
			</div>
		</li>
	);
}
