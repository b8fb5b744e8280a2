import type { Child } from "hono/jsx";
import type * as z from "zod";
import type { UiLanguage } from "../../domain/ratings";
import { textDirection } from "../../domain/typography";
import type { scorecardJson } from "../../schemas/public-api";
import type { SpeakerWithAliases } from "../../store/speakers";
import { t } from "../i18n";

type Scorecard = z.output<typeof scorecardJson>;

const FONT_SIZE = 13;

/**
 * A label's width in the chart's units, summed from generous widths per character of 13-unit
 * system-ui text (the server has no font to measure with): digits 0.64 em, "%" 0.95, spaces
 * 0.32, anything else (".", ",", parentheses) 0.4. Chromium draws "1.234 (100 %)" 93 units
 * wide in Debian's system-ui (DejaVu Sans, wider than most); this says 95.
 */
function textWidth(text: string): number {
	let em = 0;
	for (const ch of text) em += /\d/.test(ch) ? 0.64 : ch === "%" ? 0.95 : /\s/.test(ch) ? 0.32 : 0.4;
	return Math.ceil(em * FONT_SIZE);
}

/** "1,234 (100%)" / "1.234 (100 %)": the count and its share as the page's language writes numbers. */
function barLabel(count: number, share: number, published: number, lang: UiLanguage): string {
	const n = new Intl.NumberFormat(lang).format(count);
	return published ? `${n} (${new Intl.NumberFormat(lang, { style: "percent" }).format(share)})` : n;
}

/** Horizontal bar chart of the scorecard as inline SVG: no script, readable without colour. */
function ScorecardChart({ scorecard, lang }: { scorecard: Scorecard; lang: UiLanguage }) {
	const rowHeight = 26;
	const labels = scorecard.counts.map((c) => barLabel(c.count, c.share, scorecard.published, lang));
	// 170 + 110 + 80 = 360 units: on a 360 px phone the chart is scaled by ~0.9 at most, so
	// its 13-unit labels stay above 11 px (a wider chart shrank them below that). A longer
	// count label ("1.234 (100 %)") takes its room from the bars, down to 60, so the whole
	// label shows right of the longest bar.
	const labelWidth = 170;
	const countWidth = Math.max(80, 6 + Math.max(...labels.map(textWidth)) + 4);
	const barWidth = Math.max(60, 360 - labelWidth - countWidth);
	const width = labelWidth + barWidth + countWidth;
	const height = scorecard.counts.length * rowHeight + 8;
	const max = Math.max(1, ...scorecard.counts.map((c) => c.count));
	const title = countText(lang, "scorecardOf", scorecard.published);
	const format = new Intl.NumberFormat(lang);
	return (
		<svg
			class="chart"
			role="img"
			aria-labelledby="scorecard-title"
			viewBox={`0 0 ${width} ${height}`}
			width={width}
			height={height}
			xmlns="http://www.w3.org/2000/svg"
		>
			<title id="scorecard-title">
				{`${title}: ${scorecard.counts.map((c) => `${c.rating.label} ${format.format(c.count)}`).join(", ")}`}
			</title>
			{scorecard.counts.map((c, i) => {
				const y = i * rowHeight + 4;
				const barLength = Math.round((c.count / max) * barWidth);
				return (
					<g>
						<text x={labelWidth - 8} y={y + 16} text-anchor="end" font-size={FONT_SIZE} fill="currentColor">
							{c.rating.label}
						</text>
						<rect
							x={labelWidth}
							y={y + 3}
							width={Math.max(barLength, c.count > 0 ? 2 : 0)}
							height={rowHeight - 8}
							fill={c.rating.colour}
						/>
						<text x={labelWidth + barLength + 6} y={y + 16} font-size={FONT_SIZE} fill="currentColor">
							{labels[i]}
						</text>
					</g>
				);
			})}
		</svg>
	);
}

export function SpeakerPage(props: {
	speaker: SpeakerWithAliases;
	scorecard: Scorecard;
	/** The page of the speaker's claims, with its link to the next. */
	claims: Child;
	lang: UiLanguage;
}) {
	const { speaker, scorecard, lang } = props;
	return (
		<>
			<h1 dir="auto">{speaker.name}</h1>
			{speaker.description ? <p dir="auto">{speaker.description}</p> : null}
			{speaker.aliases.length ? (
				// Each alias isolated (an Arabic and a Latin one side by side keep their order);
				// the line's direction said outright, as dir="auto" skips <bdi>.
				<p class="meta" dir={textDirection(speaker.aliases[0] ?? "")}>
					{speaker.aliases.map((alias, i) => (
						<>
							{i > 0 ? " · " : null}
							<bdi>{alias}</bdi>
						</>
					))}
				</p>
			) : null}
			<h2>{t(lang, "scorecard")}</h2>
			<p class="meta">
				{countText(lang, "scorecardOf", scorecard.published)} ·{" "}
				{countText(lang, "claimsRecorded", scorecard.claims)}
			</p>
			<ScorecardChart scorecard={scorecard} lang={lang} />
			<h2>{t(lang, "claims")}</h2>
			{props.claims}
		</>
	);
}

/** A count's sentence: its singular for one, else the number as the language writes it (1,234 / 1.234). */
function countText(lang: UiLanguage, key: "scorecardOf" | "claimsRecorded", n: number): string {
	return n === 1 ? t(lang, `${key}One`) : t(lang, key, { n: new Intl.NumberFormat(lang).format(n) });
}
