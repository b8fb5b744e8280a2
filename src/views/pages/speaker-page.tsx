import type { Child } from "hono/jsx";
import type * as z from "zod";
import type { UiLanguage } from "../../domain/ratings";
import { textDirection } from "../../domain/typography";
import type { scorecardJson } from "../../schemas/public-api";
import type { SpeakerWithAliases } from "../../store/speakers";
import { t } from "../i18n";

type Scorecard = z.output<typeof scorecardJson>;

/** Horizontal bar chart of the scorecard as inline SVG: no script, readable without colour. */
function ScorecardChart({ scorecard, lang }: { scorecard: Scorecard; lang: UiLanguage }) {
	const rowHeight = 26;
	// 170 + 110 + 80 = 360 units: on a 360 px phone the chart is scaled by ~0.9 at most, so
	// its 13-unit labels stay above 11 px (a wider chart shrank them below that).
	const labelWidth = 170;
	const barWidth = 110;
	// room right of the longest bar for "12 (100 %)"
	const height = scorecard.counts.length * rowHeight + 8;
	const max = Math.max(1, ...scorecard.counts.map((c) => c.count));
	const title = countText(lang, "scorecardOf", scorecard.published);
	return (
		<svg
			class="chart"
			role="img"
			aria-labelledby="scorecard-title"
			viewBox={`0 0 ${labelWidth + barWidth + 80} ${height}`}
			width={labelWidth + barWidth + 80}
			height={height}
			xmlns="http://www.w3.org/2000/svg"
		>
			<title id="scorecard-title">
				{`${title}: ${scorecard.counts.map((c) => `${c.rating.label} ${c.count}`).join(", ")}`}
			</title>
			{scorecard.counts.map((c, i) => {
				const y = i * rowHeight + 4;
				const width = Math.round((c.count / max) * barWidth);
				return (
					<g>
						<text x={labelWidth - 8} y={y + 16} text-anchor="end" font-size="13" fill="currentColor">
							{c.rating.label}
						</text>
						<rect
							x={labelWidth}
							y={y + 3}
							width={Math.max(width, c.count > 0 ? 2 : 0)}
							height={rowHeight - 8}
							fill={c.rating.colour}
						/>
						<text x={labelWidth + width + 6} y={y + 16} font-size="13" fill="currentColor">
							{`${c.count}${scorecard.published ? ` (${Math.round(c.share * 100)} %)` : ""}`}
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
