import { type ClaimStatus, getRating, isRatingKey, type UiLanguage } from "../domain/ratings";
import { t } from "./i18n";
import { badgePath, claimPath, embedPath } from "./json";

function escapeAttr(text: string): string {
	return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Copy-ready embed snippets (badge as HTML and Markdown, card as iframe) with a live preview. */
export function EmbedCode(props: {
	claimId: string;
	status: ClaimStatus;
	speakerName: string;
	origin: string;
	lang: UiLanguage;
}) {
	const { claimId, lang, origin } = props;
	const claimUrl = `${origin}${claimPath(claimId)}`;
	const badgeUrl = `${origin}${badgePath(claimId)}`;
	const cardUrl = `${origin}${embedPath(claimId)}`;
	const rating = isRatingKey(props.status) ? ` ${getRating(props.status).labels[lang]}` : "";
	const alt = `${t(lang, "factCheck")}:${rating} — ${props.speakerName}`;
	const badgeHtml = `<a href="${claimUrl}"><img src="${badgeUrl}" alt="${escapeAttr(alt)}"></a>`;
	const markdown = `[![${alt.replace(/[[\]]/g, "")}](${badgeUrl})](${claimUrl})`;
	const iframe = `<iframe src="${cardUrl}" width="400" height="240" style="border:0;max-width:100%" title="${escapeAttr(t(lang, "factCheck"))}" loading="lazy"></iframe>`;
	return (
		<section aria-labelledby={`embed-${claimId}`} class="embed-code">
			<h2 id={`embed-${claimId}`}>{t(lang, "embed")}</h2>
			<p>
				<img src={badgePath(claimId)} alt={alt} />
			</p>
			<div class="field">
				<label for={`embed-html-${claimId}`}>{t(lang, "embedBadge")}</label>
				<textarea id={`embed-html-${claimId}`} readonly>
					{badgeHtml}
				</textarea>
			</div>
			<div class="field">
				<label for={`embed-md-${claimId}`}>{t(lang, "embedMarkdown")}</label>
				<textarea id={`embed-md-${claimId}`} readonly>
					{markdown}
				</textarea>
			</div>
			<div class="field">
				<label for={`embed-card-${claimId}`}>{t(lang, "embedCard")}</label>
				<textarea id={`embed-card-${claimId}`} readonly>
					{iframe}
				</textarea>
			</div>
			<p>{t(lang, "preview")}:</p>
			<iframe
				src={embedPath(claimId)}
				width="400"
				height="240"
				title={`${t(lang, "preview")}: ${alt}`}
				class="chart"
			/>
		</section>
	);
}
