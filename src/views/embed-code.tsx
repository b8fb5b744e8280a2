import type { Child } from "hono/jsx";
import { BADGE_STYLES, type BadgeStyle } from "../domain/badge";
import {
	badgeQuery,
	CARD_THEMES,
	type CardTheme,
	cardQuery,
	DEFAULT_EMBED_CHOICE,
	EMBED_LANGS,
	type EmbedChoice,
	type EmbedLang,
} from "../domain/embed-options";
import { type ClaimStatus, describeStatus, type UiLanguage } from "../domain/ratings";
import { CARD_HEIGHT, CARD_WIDTH, embedLanguage } from "./embed-card";
import { type MessageKey, t } from "./i18n";
import { badgePath, claimPath, embedPath } from "./json";
import { pageUrl } from "./page-address";

function escapeAttr(text: string): string {
	return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const STYLE_LABELS: Record<BadgeStyle, MessageKey> = {
	flat: "embedStyleFlat",
	"flat-square": "embedStyleFlatSquare",
	"for-the-badge": "embedStyleForTheBadge",
};
const LANG_LABELS: Record<EmbedLang, MessageKey> = {
	auto: "embedLangAuto",
	en: "embedLangEn",
	de: "embedLangDe",
};
const THEME_LABELS: Record<CardTheme, MessageKey> = {
	light: "embedThemeLight",
	dark: "embedThemeDark",
	auto: "embedThemeAuto",
};

/**
 * Copy-ready embed snippets (badge as HTML and Markdown, card as iframe) with a live preview.
 *
 * The snippets end up in other sites' pages, where they stay for years while the badge and
 * card keep changing: their alt and title text therefore name who checked and whose claim,
 * never the rating of the moment. With `choice`, the panel offers badge style, language and
 * card theme as a GET form (no script): the page reloads with `embedStyle`, `embedLang` and
 * `embedTheme` (see `embedChoiceFromQuery`) and the snippets follow.
 */
export function EmbedCode(props: {
	claimId: string;
	status: ClaimStatus;
	/** The claim's language: the badge's and card's without a chosen `lang`, so the alt text's too. */
	claimLanguage: string;
	/** Whose claim it is (domain/claim-review `claimantName`); null: nobody to name. */
	speakerName: string | null;
	/** The organisation that publishes the fact-check. */
	orgName?: string;
	origin: string;
	lang: UiLanguage;
	/** The options chosen on this page; without it the panel offers the default code only. */
	choice?: EmbedChoice;
	/** The address of the page the options are chosen on (a refused form's page has another). */
	optionsPage?: string;
	/** Said under the hint: the desk's word that the code does not work yet. */
	caveat?: Child;
	/** Changes whenever what the badge shows does (previewVersion): the preview never shows a stale copy. */
	version?: string | number;
}) {
	const { claimId, lang, origin } = props;
	const choice = props.choice ?? DEFAULT_EMBED_CHOICE;
	// The language of the badge the code shows (the claim's for "auto"), not the page's.
	const codeLang: UiLanguage = embedLanguage(choice.lang, props.claimLanguage);
	// The badge's link leads to the page in the badge's chosen language, else the reader's.
	const claimUrl = pageUrl(
		origin,
		{ path: claimPath(claimId) },
		choice.lang === "auto" ? undefined : choice.lang,
	);
	const badgeUrl = `${origin}${badgePath(claimId)}${badgeQuery(choice)}`;
	const cardUrl = `${origin}${embedPath(claimId)}${cardQuery(choice)}`;
	const alt = embedAlt(codeLang, props.speakerName, props.orgName);
	const badgeHtml = `<a href="${escapeAttr(claimUrl)}"><img src="${escapeAttr(badgeUrl)}" alt="${escapeAttr(alt)}"></a>`;
	const markdown = `[![${alt.replace(/[[\]\\]/g, "")}](${badgeUrl})](${claimUrl})`;
	const iframe = `<iframe src="${escapeAttr(cardUrl)}" width="${CARD_WIDTH}" height="${CARD_HEIGHT}" style="border:0;max-width:100%" title="${escapeAttr(alt)}" loading="lazy"></iframe>`;
	const id = (part: string) => `embed-${part}-${claimId}`;
	return (
		<section aria-labelledby={`embed-${claimId}`} class="embed-code">
			<h2 id={`embed-${claimId}`}>{t(lang, "embed")}</h2>
			<p class="meta">{t(lang, "embedLiveHint")}</p>
			{props.caveat ?? null}
			{props.choice ? (
				<form method="get" action={`${props.optionsPage ?? ""}#embed-${claimId}`} class="embed-options">
					<input type="hidden" name="lang" value={lang} />
					<Choice
						id={id("style")}
						name="embedStyle"
						label={t(lang, "embedStyle")}
						options={BADGE_STYLES.map((value) => [value, t(lang, STYLE_LABELS[value])])}
						selected={choice.style}
					/>
					<Choice
						id={id("lang")}
						name="embedLang"
						label={t(lang, "embedLanguage")}
						options={EMBED_LANGS.map((value) => [value, t(lang, LANG_LABELS[value])])}
						selected={choice.lang}
					/>
					<Choice
						id={id("theme")}
						name="embedTheme"
						label={t(lang, "embedTheme")}
						options={CARD_THEMES.map((value) => [value, t(lang, THEME_LABELS[value])])}
						selected={choice.theme}
					/>
					<button type="submit" class="secondary">
						{t(lang, "embedUpdate")}
					</button>
				</form>
			) : null}
			<div class="field">
				<label for={id("html")}>{t(lang, "embedBadge")}</label>
				<textarea id={id("html")} readonly>
					{badgeHtml}
				</textarea>
			</div>
			<div class="field">
				<label for={id("md")}>{t(lang, "embedMarkdown")}</label>
				<textarea id={id("md")} readonly>
					{markdown}
				</textarea>
			</div>
			<div class="field">
				<label for={id("card")}>{t(lang, "embedCard")}</label>
				<textarea id={id("card")} readonly>
					{iframe}
				</textarea>
			</div>
			<p class="label">{t(lang, "preview")}</p>
			<p>
				{/* The badge's words, in the badge's language: said, as it may not be the page's (WCAG 3.1.2). */}
				<img
					src={`${badgePath(claimId)}${badgeQuery(choice, props.version)}`}
					alt={`${t(codeLang, "factCheck")}: ${describeStatus(props.status, codeLang).label}`}
					lang={codeLang}
				/>
			</p>
			<iframe
				src={`${embedPath(claimId)}${cardQuery(choice, props.version)}`}
				width={CARD_WIDTH}
				height={CARD_HEIGHT}
				// The frame's name is the page's, so one language (the card inside says its own).
				title={`${t(lang, "preview")}: ${embedAlt(lang, props.speakerName, props.orgName)}`}
				class="embed-preview"
			/>
		</section>
	);
}

/** The snippets' alt and title text: who checked whose claim, never the rating of the moment. */
function embedAlt(language: UiLanguage, speakerName: string | null, orgName: string | undefined): string {
	if (speakerName === null)
		return orgName ? t(language, "embedAltNoClaimant", { org: orgName }) : t(language, "factCheck");
	return orgName
		? t(language, "embedAlt", { org: orgName, speaker: speakerName })
		: `${t(language, "factCheck")}: ${t(language, "claimBy")} ${speakerName}`;
}

function Choice(props: {
	id: string;
	name: string;
	label: string;
	options: [value: string, label: string][];
	selected: string;
}) {
	return (
		<div class="field">
			<label for={props.id}>{props.label}</label>
			<select id={props.id} name={props.name}>
				{props.options.map(([value, label]) => (
					<option value={value} selected={value === props.selected}>
						{label}
					</option>
				))}
			</select>
		</div>
	);
}

/**
 * What the preview URLs carry so a browser never shows a stale badge or card: the claim's
 * version (edits), its status (a draft, a publication or a retraction changes the status
 * without an edit) and the time of its last public change (domain/public-change), which
 * moves when the card or the badge's label changes without the claim's version: its
 * speaker renamed or merged, a source added.
 */
export function previewVersion(claim: { version: number; status: string; updatedAt: string }): string {
	const changed = Date.parse(claim.updatedAt);
	return `${claim.version}-${claim.status}-${Number.isNaN(changed) ? 0 : changed.toString(36)}`;
}
