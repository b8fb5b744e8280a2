import { raw } from "hono/html";
import type { Claim } from "../db/schema";
import { CARD_THEMES, type CardTheme } from "../domain/embed-options";
import {
	type ClaimStatus,
	describeStatus,
	PENDING,
	RATINGS,
	type UiLanguage,
	uiLanguageOf,
} from "../domain/ratings";
import { quoteMarks, textDirection } from "../domain/typography";
import { formatDate, t } from "./i18n";

export const CARD_WIDTH = 400;
export const CARD_HEIGHT = 240;
/**
 * The smallest frame the card fits (LAYOUT_CSS): its rows narrow down to 320 px wide, and
 * they are sized to fill 240 px of height, no less (a shorter frame crops the card).
 */
export const CARD_MIN_WIDTH = 320;
export const CARD_MIN_HEIGHT = CARD_HEIGHT;

const LIGHT = "--bg:#fff;--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--link:#0550ae";
const DARK = "--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--link:#4493f8";

/**
 * The colours of each theme. Light is the default: a card on a light page stays light even
 * when the reader's system is dark (the host page does not follow it either); only a host
 * that opts in with `theme=auto` gets a card that follows `prefers-color-scheme`.
 */
const THEME_CSS: Record<CardTheme, string> = {
	light: `:root{color-scheme:light;${LIGHT}}`,
	dark: `:root{color-scheme:dark;${DARK}}`,
	auto: `:root{color-scheme:light dark;${LIGHT}}\n@media (prefers-color-scheme:dark){:root{${DARK}}}`,
};

/**
 * The language a badge or card speaks: `lang` when it is en or de, else the claim's (German
 * for a German claim, English otherwise). Unknown values fall back rather than fail, so a
 * mistyped embed still renders. The embed code's alt text follows the same rule, so it
 * speaks the language of the badge it describes.
 */
export function embedLanguage(value: string | undefined, claimLanguage: string | null): UiLanguage {
	if (value === "de" || value === "en") return value;
	return uiLanguageOf(claimLanguage) ?? "en";
}

/** Chip colours from the scale module, as classes of a constant stylesheet. */
const CHIP_CSS = [...RATINGS, ...PENDING].map((s) => `.s-${s.key}{background:${s.colour}}`).join("");

/**
 * The card's layout: one 400 × 240 frame (down to 320 px wide) filled top to bottom, the
 * footer at the bottom. No row grows beyond a known number of lines (the headline and quote
 * are clamped, with an ellipsis; fewer quote lines in a narrow frame, where the top row takes
 * two lines), so the longest texts still fit; should a row grow anyway, only the quote gives
 * way. The footer's link wraps under the speaker and date when they leave it no room, so the
 * name has the whole width (beside the link and "· 12 September 2025" it had 54 px in DejaVu
 * Sans); its two lines fit under 3 headline and 4 quote lines with 5 px gaps. The page is
 * transparent around the card: where the host's colour scheme matches, the host shows at its
 * rounded corners. A focused link is ringed in the text colour 2 px outside it, on the card's
 * background (15:1 or more in both themes; the link colour on a chip was 1–2.4:1, and a ring
 * inside covered the words): the card's padding is wider than the ring, so overflow:hidden
 * does not cut it.
 */
const LAYOUT_CSS = `*{box-sizing:border-box}html,body{margin:0;height:100%;background:transparent}
body{color:var(--fg);font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
.card{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:9px 14px;height:100%;display:flex;flex-direction:column;gap:5px;overflow:hidden}
.card>*{flex:none;margin:0}
.clamp{display:-webkit-box;-webkit-box-orient:vertical;overflow:hidden;overflow-wrap:anywhere}
.top{display:flex;align-items:center;gap:8px;font-size:13px;color:var(--muted)}
.org{min-width:0;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.chip{flex:none;color:#fff;font-weight:700;border-radius:4px;padding:1px 8px;text-decoration:none}
.chip:hover{text-decoration:underline}
.headline{font-weight:700;font-size:16px;line-height:1.25;-webkit-line-clamp:3;line-clamp:3}
.card>blockquote{flex:0 1 auto;min-height:0;color:var(--muted);font-size:15px;-webkit-line-clamp:4;line-clamp:4}
.pending>blockquote{color:var(--fg);font-size:17px;-webkit-line-clamp:6;line-clamp:6}
.foot{margin-top:auto;display:flex;flex-wrap:wrap;gap:4px 12px;font-size:13px;line-height:1.3}
.who{flex:1 1 auto;min-width:0;color:var(--muted);display:flex;white-space:nowrap}
.who .name{min-width:0;overflow:hidden;text-overflow:ellipsis}.who .when{flex:none}
.more{flex:none;margin-inline-start:auto;color:var(--link);font-weight:600;white-space:nowrap}
.note{color:var(--muted);overflow-wrap:anywhere}
a:focus-visible{outline:3px solid var(--fg);outline-offset:2px}
@media (max-width:359px){.top{align-items:flex-start}.org{white-space:normal;display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;line-clamp:2}
.card>blockquote{-webkit-line-clamp:3;line-clamp:3}.pending>blockquote{-webkit-line-clamp:5;line-clamp:5}}`;

/** Constant stylesheets, one per theme (never user data, so they go out unescaped). */
const CARD_CSS: Record<CardTheme, string> = {
	light: `${THEME_CSS.light}\n${CHIP_CSS}\n${LAYOUT_CSS}`,
	dark: `${THEME_CSS.dark}\n${CHIP_CSS}\n${LAYOUT_CSS}`,
	auto: `${THEME_CSS.auto}\n${CHIP_CSS}\n${LAYOUT_CSS}`,
};

/** Shortens on a word boundary, with an ellipsis. */
function shorten(text: string, max: number): string {
	const points = [...text];
	if (points.length <= max) return text;
	const cut = points.slice(0, max).join("");
	const space = cut.lastIndexOf(" ");
	return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, "")}…`;
}

export function EmbedCard(props: {
	claim: Pick<Claim, "id" | "text" | "language" | "claimedAt" | "status">;
	/** Headline and language of the published verdict, if there is one. */
	verdict: { headline: string; language: string } | null;
	/**
	 * Whose claim (claimantName): the speaker, or for a claim of the source its publisher,
	 * named alone like a speaker (the footer has no room for "Statement of the source ·
	 * publisher"); null, a claim with neither (an import may name neither): no name, the date alone.
	 */
	speakerName: string | null;
	claimUrl: string;
	/** Absolute URL of the rating scale page (`/ratings`); the chip links to its entry. */
	ratingsUrl: string;
	lang: UiLanguage;
	theme: CardTheme;
	orgName: string;
}) {
	const status = props.claim.status as ClaimStatus;
	const { label } = describeStatus(status, props.lang);
	const { verdict } = props;
	return (
		<html lang={props.lang}>
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<meta name="referrer" content="strict-origin-when-cross-origin" />
				<title>{`${t(props.lang, "factCheck")}: ${label}`}</title>
				<style>{raw(CARD_CSS[props.theme])}</style>
			</head>
			<body>
				<article class={verdict ? "card" : "card pending"}>
					<p class="top">
						{/* The class comes from the closed list of statuses, never from input. */}
						<a
							class={`chip s-${status}`}
							href={`${props.ratingsUrl}#${status}`}
							target="_blank"
							rel="noopener"
							title={t(props.lang, "ratingsWhatItMeans")}
						>
							{label}
						</a>
						{/*
						 * The publisher alone beside the rating: "Faktencheck · " took the room of a
						 * 20-letter name beside a German chip (the link below says "fact-check").
						 */}
						<span class="org">
							<bdi>{props.orgName}</bdi>
						</span>
					</p>
					{verdict ? (
						<p class="headline clamp" lang={verdict.language} dir={textDirection(verdict.headline)}>
							<bdi>{verdict.headline}</bdi>
						</p>
					) : null}
					<blockquote class="clamp" lang={props.claim.language} dir={textDirection(props.claim.text)}>
						{quoteMarks(props.claim.language)[0]}
						<bdi>{shorten(props.claim.text, 220)}</bdi>
						{quoteMarks(props.claim.language)[1]}
					</blockquote>
					<p class="foot">
						{/*
						 * A long name is cut, never the date after it; at the end of the name's own
						 * direction, so a right-to-left name keeps its beginning.
						 */}
						<span class="who">
							{props.speakerName ? (
								<span class="name" dir={textDirection(props.speakerName)}>
									<bdi>{props.speakerName}</bdi>
								</span>
							) : null}
							{props.claim.claimedAt ? (
								<span class="when">
									{props.speakerName ? "\u00a0· " : ""}
									{formatDate(props.claim.claimedAt, props.lang)}
								</span>
							) : null}
						</span>
						<a class="more" href={props.claimUrl} target="_blank" rel="noopener">
							{t(props.lang, "readFactCheck")} →
						</a>
					</p>
				</article>
			</body>
		</html>
	);
}

/** What a card says when it has no claim to show, by the status of its answer. */
function unavailableText(status: number, lang: UiLanguage, removedAt: string | null) {
	if (status === 410) {
		return {
			title: t(lang, "embedGoneTitle"),
			text: removedAt
				? t(lang, "claimRemovedText", { date: formatDate(removedAt, lang) })
				: t(lang, "errorGoneText"),
		};
	}
	if (status < 500) return { title: t(lang, "embedNotFoundTitle"), text: t(lang, "embedNotFoundText") };
	return { title: t(lang, "embedUnavailableTitle"), text: t(lang, "embedUnavailableText") };
}

/**
 * The card's frame when there is no claim to show (an unknown id, a removed claim, an
 * outage): the card's size, colours and framing, so a partner's page shows a card that
 * says so instead of the site's full error page squeezed into 400 × 240 (or the
 * browser's refusal to frame it).
 */
export function EmbedUnavailableCard(props: {
	status: number;
	lang: UiLanguage;
	/** The `theme` asked for, unchecked: anything but a known theme is light. */
	theme: string | undefined;
	orgName: string;
	/** Absolute URL of the site's home page. */
	homeUrl: string;
	/** When the claim was removed (a 410), if known. */
	removedAt: string | null;
}) {
	const { lang } = props;
	const theme = CARD_THEMES.find((known) => known === props.theme) ?? "light";
	const { title, text } = unavailableText(props.status, lang, props.removedAt);
	return (
		<html lang={lang}>
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<meta name="referrer" content="strict-origin-when-cross-origin" />
				<meta name="robots" content="noindex" />
				<title>{`${t(lang, "factCheck")}: ${title}`}</title>
				<style>{raw(CARD_CSS[theme])}</style>
			</head>
			<body>
				<article class="card pending">
					<p class="top">
						<span class="org">
							{t(lang, "factCheck")} · <bdi>{props.orgName}</bdi>
						</span>
					</p>
					<p class="headline clamp">{title}</p>
					<p class="note">{text}</p>
					<p class="foot">
						<a class="more" href={props.homeUrl} target="_blank" rel="noopener">
							{t(lang, "allFactChecks")} →
						</a>
					</p>
				</article>
			</body>
		</html>
	);
}
