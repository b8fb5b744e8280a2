import type { Claim } from "../db/schema";
import { type ClaimStatus, describeStatus, type UiLanguage } from "../domain/ratings";
import { formatDate, t } from "./i18n";

export const CARD_WIDTH = 400;
export const CARD_HEIGHT = 240;

/** Card CSS: inline (the card is one small response), light and dark, fits 320 px. */
const CARD_CSS = `:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#57606a;--line:#d0d7de;--link:#0550ae}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--link:#4493f8}}
*{box-sizing:border-box}html,body{margin:0;height:100%}
body{background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;height:100%;display:flex;flex-direction:column;gap:8px;overflow:hidden}
.top{display:flex;align-items:center;gap:8px;font-size:13px;color:var(--muted)}
.chip{color:#fff;font-weight:700;border-radius:4px;padding:2px 8px;font-size:13px}
blockquote{margin:0;font-size:15px;flex:1;overflow:hidden}
.who{font-size:13px;color:var(--muted)}
a{color:var(--link);font-weight:600;font-size:14px}
a:focus-visible{outline:3px solid var(--link);outline-offset:2px}`;

/** Shortens on a word boundary, with an ellipsis. */
export function shorten(text: string, max: number): string {
	const points = [...text];
	if (points.length <= max) return text;
	const cut = points.slice(0, max).join("");
	const space = cut.lastIndexOf(" ");
	return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, "")}…`;
}

export function EmbedCard(props: {
	claim: Pick<Claim, "id" | "text" | "language" | "claimedAt" | "status">;
	speakerName: string | null;
	claimUrl: string;
	lang: UiLanguage;
	orgName: string;
}) {
	const { label, colour } = describeStatus(props.claim.status as ClaimStatus, props.lang);
	return (
		<html lang={props.lang}>
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<meta name="referrer" content="strict-origin-when-cross-origin" />
				<title>{`${t(props.lang, "factCheck")}: ${label}`}</title>
				<style>{CARD_CSS}</style>
			</head>
			<body>
				<div class="card">
					<div class="top">
						<span>{t(props.lang, "factCheck")}</span>
						<span class="chip" style={`background:${colour}`}>
							{label}
						</span>
					</div>
					<blockquote lang={props.claim.language} dir="auto">
						„<bdi>{shorten(props.claim.text, 220)}</bdi>“
					</blockquote>
					<div class="who">
						{props.speakerName ? <bdi>{props.speakerName}</bdi> : t(props.lang, "claimOfSource")}
						{props.claim.claimedAt ? ` · ${formatDate(props.claim.claimedAt, props.lang)}` : ""}
						{` · ${props.orgName}`}
					</div>
					<a href={props.claimUrl} target="_blank" rel="noopener">
						{t(props.lang, "readFactCheck")} →
					</a>
				</div>
			</body>
		</html>
	);
}
