import type { Snapshot } from "../../db/schema";
import type { UiLanguage } from "../../domain/ratings";
import { highlightQuote, type SnapshotMeta } from "../../domain/snapshots";
import { formatSize } from "../../domain/typography";
import { formatDate, t } from "../i18n";
import { claimPath } from "../json";

export interface SnapshotPageProps {
	snapshot: Snapshot;
	meta: SnapshotMeta | null;
	/** The archived main text ("" for data without text). */
	text: string;
	/** The quote to highlight, the claim it belongs to, and the page's language (for screen readers). */
	quote: { text: string; claimId: string; language: string } | null;
	lang: UiLanguage;
}

/**
 * The archived text is shown as text only: every paragraph goes through JSX escaping,
 * the original's markup, scripts, styles and links never reach the page, and the page
 * is served under a CSP that allows no script at all (routes/archive).
 */
function ArchivedText(props: {
	text: string;
	quote: string | null;
	textLang?: string | undefined;
	lang: UiLanguage;
}) {
	const paragraphs = props.text.split("\n").filter((p) => p.trim() !== "");
	if (paragraphs.length === 0) return <p class="notice">{t(props.lang, "snapshotNoText")}</p>;
	const runs = paragraphs.map((p) => highlightQuote(p, props.quote));
	const found = runs.some((parts) => parts.some((r) => r.mark));
	return (
		<>
			{props.quote && !found ? <p class="notice">{t(props.lang, "snapshotQuoteNotFound")}</p> : null}
			<div class="archived-text" dir="auto" lang={props.textLang}>
				{runs.map((parts) => (
					<p>{parts.map((r) => (r.mark ? <mark>{r.text}</mark> : r.text))}</p>
				))}
			</div>
		</>
	);
}

export function SnapshotPage({ snapshot, meta, text, quote, lang }: SnapshotPageProps) {
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
				<a href={`/snapshots/${snapshot.id}/raw`} download>
					{t(lang, "snapshotDownload")}
				</a>
				{quote ? (
					<>
						{" · "}
						<a href={claimPath(quote.claimId)}>{t(lang, "snapshotBackToClaim")}</a>
					</>
				) : null}
			</p>
			<ArchivedText text={text} quote={quote?.text ?? null} textLang={quote?.language} lang={lang} />
			{meta && meta.headers.length > 0 ? (
				<details>
					<summary>{t(lang, "snapshotHeaders")}</summary>
					<pre class="headers">{meta.headers.map(([name, value]) => `${name}: ${value}`).join("\n")}</pre>
				</details>
			) : null}
		</article>
	);
}
