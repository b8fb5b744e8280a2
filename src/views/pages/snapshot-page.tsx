import type { Snapshot } from "../../db/schema";
import type { UiLanguage } from "../../domain/ratings";
import { highlightQuote, SNAPSHOT_TEXT_MAX_BYTES, type SnapshotMeta } from "../../domain/snapshots";
import { formatSize } from "../../domain/typography";
import { formatDate, t } from "../i18n";
import { claimPath } from "../json";

export interface SnapshotPageProps {
	snapshot: Snapshot;
	meta: SnapshotMeta | null;
	/** The archived text: a page's main text, or plain text itself ("" for data without text). */
	text: string;
	/** The text is cut at SNAPSHOT_TEXT_MAX_BYTES (the bytes are whole: the download has it all). */
	textCut: boolean;
	/**
	 * The claim the copy was opened for (a link back), and its quote to highlight: null
	 * when the address is the claim's evidence, not one of its appearances.
	 */
	claim: { id: string; quote: string | null } | null;
	/** The language of the archived text, when it is known (for screen readers and hyphenation). */
	textLang: string | null;
	lang: UiLanguage;
	/** Where the download and the claim lead: the public addresses unless given (the desk's own). */
	links?: { raw: string; claim: (id: string) => string };
}

const PAGE_TYPES = new Set(["text/html", "application/xhtml+xml"]);

/** Plain text (not a page's main text, which the reader gives one paragraph a line). */
function isPlainText(contentType: string | null): boolean {
	const type = contentType ?? "";
	return type.startsWith("text/") && !PAGE_TYPES.has(type);
}

/** Why a copy shows no text, as precisely as its type tells. */
function noTextNotice(contentType: string | null, lang: UiLanguage): string {
	const type = contentType ?? "";
	if (type === "application/pdf") return t(lang, "snapshotNoTextPdf");
	if (type.startsWith("image/")) return t(lang, "snapshotNoTextImage");
	if (type === "application/json" || type.endsWith("+json")) return t(lang, "snapshotNoTextJson");
	if (type === "" || type.startsWith("text/") || PAGE_TYPES.has(type)) return t(lang, "snapshotNoText");
	return t(lang, "snapshotNoTextData", { type });
}

/**
 * The archived text is shown as text only: every paragraph goes through JSX escaping,
 * the original's markup, scripts, styles and links never reach the page, and the page
 * is served under a CSP that allows no script at all (routes/archive). A page's main text
 * has a paragraph a line; plain text has its paragraphs between blank lines, and keeps
 * its line breaks (a quote may run over one).
 */
function ArchivedText(props: {
	text: string;
	plain: boolean;
	quote: string | null;
	textLang: string | null;
	noText: string;
	lang: UiLanguage;
}) {
	const paragraphs = props.text.split(props.plain ? /\n[ \t]*\n/ : "\n").filter((p) => p.trim() !== "");
	if (paragraphs.length === 0) return <p class="notice">{props.noText}</p>;
	const runs = paragraphs.map((p) =>
		// trimEnd, not /\s+$/, which backtracks over every space of a long run inside the text
		// (a copy is a page anyone may have written): linear whatever the regex engine does.
		highlightQuote(props.plain ? p.replace(/^\n+/, "").trimEnd() : p, props.quote),
	);
	const found = runs.some((parts) => parts.some((r) => r.mark));
	return (
		<>
			{props.quote && !found ? <p class="notice">{t(props.lang, "snapshotQuoteNotFound")}</p> : null}
			<div class="archived-text" dir="auto" lang={props.textLang ?? undefined}>
				{runs.map((parts) => (
					<p class={props.plain ? "keep-lines" : undefined}>
						{parts.map((r) => (r.mark ? <mark>{r.text}</mark> : r.text))}
					</p>
				))}
			</div>
		</>
	);
}

export function SnapshotPage({
	snapshot,
	meta,
	text,
	textCut,
	claim,
	textLang,
	lang,
	links,
}: SnapshotPageProps) {
	const rows: [string, string][] = [
		[t(lang, "snapshotFetchedAt"), formatDate(snapshot.fetchedAt, lang)],
		[t(lang, "snapshotStatus"), String(snapshot.httpStatus ?? "")],
		[t(lang, "snapshotType"), snapshot.contentType ?? "–"],
		[t(lang, "snapshotSize"), formatSize(snapshot.bytes ?? 0, lang)],
	];
	return (
		<article class="snapshot">
			<h1>{t(lang, "snapshotTitle")}</h1>
			<p class="meta">{t(lang, "snapshotExplained")}</p>
			<dl class="facts">
				<dt>{t(lang, "snapshotOriginal")}</dt>
				<dd>
					<code class="url">{snapshot.url}</code>
				</dd>
				{snapshot.finalUrl && snapshot.finalUrl !== snapshot.url ? (
					<>
						<dt>{t(lang, "snapshotFinalUrl")}</dt>
						<dd>
							<code class="url">{snapshot.finalUrl}</code>
						</dd>
					</>
				) : null}
				{rows.map(([label, value]) => (
					<>
						<dt>{label}</dt>
						<dd>{value}</dd>
					</>
				))}
				<dt>{t(lang, "snapshotHash")}</dt>
				<dd>
					<code class="hash">{snapshot.sha256}</code>
				</dd>
			</dl>
			<p>
				<a href={links?.raw ?? `/snapshots/${snapshot.id}/raw`} download>
					{t(lang, "snapshotDownload")}
				</a>
				{claim ? (
					<>
						{" · "}
						<a href={(links?.claim ?? claimPath)(claim.id)}>{t(lang, "snapshotBackToClaim")}</a>
					</>
				) : null}
			</p>
			<ArchivedText
				text={text}
				plain={isPlainText(snapshot.contentType)}
				quote={claim?.quote ?? null}
				textLang={textLang}
				noText={noTextNotice(snapshot.contentType, lang)}
				lang={lang}
			/>
			{textCut ? (
				<p class="notice">
					{t(lang, "snapshotTextCut", { size: formatSize(SNAPSHOT_TEXT_MAX_BYTES, lang) })}
				</p>
			) : null}
			{meta && meta.headers.length > 0 ? (
				<details>
					<summary>{t(lang, "snapshotHeaders")}</summary>
					<pre class="headers">{meta.headers.map(([name, value]) => `${name}: ${value}`).join("\n")}</pre>
				</details>
			) : null}
		</article>
	);
}
