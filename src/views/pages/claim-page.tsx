import { raw } from "hono/html";
import type { Verdict } from "../../db/schema";
import { type ClaimStatus, getRating, type UiLanguage } from "../../domain/ratings";
import { textFragmentLink } from "../../domain/text-fragment-link";
import type { ClaimDetail } from "../../store/claims";
import { formatDate, t } from "../i18n";
import {
	badgePath,
	claimPath,
	embedPath,
	parseEvidence,
	publicHistory,
	sourcePath,
	speakerPath,
} from "../json";
import { StatusChip } from "./parts";

export interface ClaimPageProps {
	detail: ClaimDetail;
	lang: UiLanguage;
	origin: string;
	/** ClaimReview JSON text already made safe for a script element (safe-json-ld). */
	jsonLd: string | null;
	orgName: string;
}

function stateLabel(verdict: Verdict, lang: UiLanguage): string {
	if (verdict.state === "retracted") return t(lang, "retracted");
	if (verdict.state === "superseded") return t(lang, "superseded");
	return verdict.supersedesId ? t(lang, "corrected") : t(lang, "published");
}

export function ClaimPage({ detail, lang, origin, orgName }: ClaimPageProps) {
	const history = publicHistory(detail);
	const current = history.find((v) => v.state === "published");
	const claimUrl = `${origin}${claimPath(detail.id)}`;
	const badgeUrl = `${origin}${badgePath(detail.id)}`;
	const cardUrl = `${origin}${embedPath(detail.id)}`;
	const speakerName = detail.speaker?.name ?? orgName;
	const badgeHtml = `<a href="${claimUrl}"><img src="${badgeUrl}" alt="${escapeAttr(`${t(lang, "factCheck")}: ${current ? getRating(current.rating).labels[lang] : ""} — ${speakerName}`)}"></a>`;
	const markdown = `[![${t(lang, "factCheck")}](${badgeUrl})](${claimUrl})`;
	const iframe = `<iframe src="${cardUrl}" width="400" height="240" style="border:0;max-width:100%" title="${escapeAttr(t(lang, "factCheck"))}" loading="lazy"></iframe>`;
	return (
		<article>
			<p class="meta">
				{detail.speaker ? (
					<>
						{t(lang, "claimBy")} <a href={speakerPath(detail.speaker.slug)}>{detail.speaker.name}</a>
						{detail.speaker.description ? ` (${detail.speaker.description})` : ""}
					</>
				) : (
					t(lang, "claimOfSource")
				)}
				{detail.claimedAt ? ` · ${t(lang, "saidOn")} ${formatDate(detail.claimedAt, lang)}` : ""}
			</p>
			<h1>
				<span class="visually-hidden">{t(lang, "factCheck")}: </span>
				<StatusChip status={detail.status as ClaimStatus} lang={lang} />
			</h1>
			<blockquote class="quote" lang={detail.language}>
				„{detail.text}“
			</blockquote>
			{detail.context ? (
				<p>
					<strong>{t(lang, "context")}:</strong> <span lang={detail.language}>{detail.context}</span>
				</p>
			) : null}
			{current ? (
				<section aria-labelledby="verdict-h">
					<h2 id="verdict-h" lang={current.language}>
						{current.headline}
					</h2>
					{current.summary ? <p lang={current.language}>{current.summary}</p> : null}
					{current.body ? (
						<div lang={current.language}>
							{current.body.split(/\n{2,}/).map((paragraph) => (
								<p>{paragraph}</p>
							))}
						</div>
					) : null}
					<EvidenceList verdict={current} lang={lang} />
				</section>
			) : (
				<p class="notice">{t(lang, "notReviewed")}</p>
			)}
			<section aria-labelledby="sources-h">
				<h2 id="sources-h">{t(lang, "appearances")}</h2>
				<ul>
					{detail.appearances.map((a) => (
						<li>
							<a
								href={safeHref(
									a.anchor
										? `${a.source.url}${a.anchor}`
										: textFragmentLink(a.source.url, a.quote ?? detail.text),
								)}
								rel="noopener nofollow"
							>
								{a.source.title ?? a.source.url}
							</a>{" "}
							<span class="meta">
								{a.source.publisher ?? a.source.domain}
								{a.source.publishedAt ? ` · ${formatDate(a.source.publishedAt, lang)}` : ""}
								{a.isFirst ? ` · ${t(lang, "firstAppearance")}` : ""} ·{" "}
								<a href={sourcePath(a.source.id)}>{t(lang, "source")}</a>
							</span>
						</li>
					))}
				</ul>
			</section>
			{history.length > 1 || history.some((v) => v.state !== "published") ? (
				<section aria-labelledby="history-h">
					<h2 id="history-h">{t(lang, "history")}</h2>
					<ol class="history">
						{history.map((v) => (
							<li>
								<strong>{stateLabel(v, lang)}</strong> {formatDate(v.publishedAt, lang)}:{" "}
								<StatusChip status={v.rating} lang={lang} /> <span lang={v.language}>{v.headline}</span>
								{v.correctionNote ? (
									<p class="meta" lang={v.language}>
										{v.correctionNote}
									</p>
								) : null}
							</li>
						))}
					</ol>
				</section>
			) : null}
			<section aria-labelledby="embed-h" class="embed-code">
				<h2 id="embed-h">{t(lang, "embed")}</h2>
				<p>
					<img src={badgePath(detail.id)} alt={t(lang, "preview")} />
				</p>
				<div class="field">
					<label for="embed-html">{t(lang, "embedBadge")}</label>
					<textarea id="embed-html" readonly>
						{badgeHtml}
					</textarea>
				</div>
				<div class="field">
					<label for="embed-md">{t(lang, "embedMarkdown")}</label>
					<textarea id="embed-md" readonly>
						{markdown}
					</textarea>
				</div>
				<div class="field">
					<label for="embed-card">{t(lang, "embedCard")}</label>
					<textarea id="embed-card" readonly>
						{iframe}
					</textarea>
				</div>
				<p>{t(lang, "preview")}:</p>
				<iframe
					src={embedPath(detail.id)}
					width="400"
					height="240"
					title={t(lang, "factCheck")}
					class="chart"
				/>
			</section>
		</article>
	);
}

function EvidenceList({ verdict, lang }: { verdict: Verdict; lang: UiLanguage }) {
	const evidence = parseEvidence(verdict.evidence);
	if (evidence.length === 0) return null;
	return (
		<>
			<h3>{t(lang, "evidence")}</h3>
			<ul>
				{evidence.map((e) => (
					<li>
						<a href={safeHref(e.url)} rel="noopener nofollow">
							{e.title}
						</a>
					</li>
				))}
			</ul>
		</>
	);
}

/** Only http(s) URLs become links; anything else (stored before validation, say) is inert. */
export function safeHref(url: string): string {
	return /^https?:\/\//i.test(url) ? url : "#";
}

function escapeAttr(text: string): string {
	return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The JSON-LD script: its text comes from jsonLdScript, which escapes < > & and line separators. */
export function JsonLdScript({ json }: { json: string | null }) {
	return json ? raw(`<script type="application/ld+json">${json}</script>`) : null;
}
