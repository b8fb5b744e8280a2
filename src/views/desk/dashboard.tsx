import type { Child } from "hono/jsx";
import { describeStatus, type UiLanguage } from "../../domain/ratings";
import { measureText } from "../../domain/text-width";
import { shortQuote } from "../../domain/typography";
import { shownTimeZone } from "../../lib/newsroom-clock";
import {
	type Dashboard,
	type DayOfPublications,
	MEDIAN_WINDOW_DAYS,
	type QueueEntry,
} from "../../store/dashboard";
import type { WritingDraft } from "../../store/desk";
import { PersonName } from "./audit-actor";
import { type DashboardKey, duration, formatNumber, label, pluralKey, waitingTime } from "./dashboard-labels";
import { t } from "./desk-i18n";
import { type DeskChrome, DeskLayout } from "./desk-layout";
import { formatDateTime } from "./labels";

/*
 * Charts are inline SVG, drawn here: no script, no library. Each is 360 units wide and
 * scales down with the page (`.chart`): on a 360 px phone (main padded by 12 px a side)
 * by 336/360, so their 13-unit text stays above 12 px. Bars take the rating scale's
 * colours; the text beside them is `currentColor`, so it keeps the page's contrast in
 * light and dark. Each chart is `role="img"` named by its <title>,
 * which carries every number, so nothing depends on seeing the chart.
 */
const CHART_WIDTH = 360;
const FONT = 13;

interface Bar {
	label: string;
	count: number;
	colour: string;
}

/**
 * A label wider than `room` units is cut ("Maximiliane Musterf…"); the chart's title has it
 * whole. Widths are Verdana's (domain/text-width) plus a tenth, wider than the system fonts
 * the page uses, so a label that fits here fits there.
 */
function fitLabel(text: string, room: number): string {
	const fits = (s: string) => measureText(s, { size: FONT }) * 1.1 <= room;
	if (fits(text)) return text;
	const chars = [...text];
	while (chars.length > 1 && !fits(`${chars.join("").trimEnd()}…`)) chars.pop();
	return `${chars.join("").trimEnd()}…`;
}

/** Horizontal bars, label left, count right of the bar. */
function BarChart(props: { id: string; title: string; bars: Bar[]; lang: UiLanguage }) {
	const rowHeight = 26;
	const labelWidth = 160;
	const barWidth = 130; // leaves 70 units right of the longest bar for its count
	const height = props.bars.length * rowHeight + 8;
	const max = Math.max(1, ...props.bars.map((b) => b.count));
	const summary = props.bars.map((b) => `${b.label} ${formatNumber(props.lang, b.count)}`).join(", ");
	return (
		<svg
			class="chart"
			role="img"
			aria-labelledby={`${props.id}-title`}
			viewBox={`0 0 ${CHART_WIDTH} ${height}`}
			width={CHART_WIDTH}
			height={height}
			xmlns="http://www.w3.org/2000/svg"
			data-chart={props.id}
		>
			<title id={`${props.id}-title`}>{`${props.title}: ${summary}`}</title>
			{props.bars.map((bar, i) => {
				const y = i * rowHeight + 4;
				const width = Math.round((bar.count / max) * barWidth);
				return (
					<g>
						<text x={labelWidth - 8} y={y + 16} text-anchor="end" font-size={FONT} fill="currentColor">
							{fitLabel(bar.label, labelWidth - 12)}
						</text>
						<rect
							x={labelWidth}
							y={y + 3}
							width={Math.max(width, bar.count > 0 ? 2 : 0)}
							height={rowHeight - 8}
							fill={bar.colour}
						/>
						<text x={labelWidth + width + 6} y={y + 16} font-size={FONT} fill="currentColor">
							{formatNumber(props.lang, bar.count)}
						</text>
					</g>
				);
			})}
		</svg>
	);
}

const utcDay = (day: string) => new Date(`${day}T00:00:00Z`);
const dateFormat = (lang: UiLanguage, options: Intl.DateTimeFormatOptions) =>
	new Intl.DateTimeFormat(lang === "de" ? "de-DE" : "en-GB", { ...options, timeZone: "UTC" });

/** A day below its column: short weekday and day of the month ("Mo", "4."); the range says the month. */
function dayLabels(day: string, lang: UiLanguage) {
	const date = utcDay(day);
	return {
		weekday: dateFormat(lang, { weekday: "short" }).format(date),
		date: dateFormat(lang, { day: "numeric" }).format(date),
		long: dateFormat(lang, { weekday: "long", day: "numeric", month: "long" }).format(date),
	};
}

/** The week's days as one range: "3–9 August 2025", "28. Juli – 3. August 2025". */
function weekRange(week: DayOfPublications[], lang: UiLanguage): string {
	const first = week[0]?.day;
	const last = week[week.length - 1]?.day;
	if (!first || !last) return "";
	return dateFormat(lang, { day: "numeric", month: "long", year: "numeric" }).formatRange(
		utcDay(first),
		utcDay(last),
	);
}

/** The week chart's series, stacked from the baseline up, each with its colour and legend. */
const WEEK_SERIES = [
	{ key: "first", colour: describeStatus("in-review", "en").colour, legend: "legendFirst" },
	{ key: "corrections", colour: describeStatus("missing-context", "en").colour, legend: "legendCorrection" },
	{ key: "again", colour: describeStatus("retracted", "en").colour, legend: "legendAgain" },
] as const satisfies readonly { key: keyof DayOfPublications; colour: string; legend: DashboardKey }[];

const dayTotal = (d: DayOfPublications) => d.first + d.corrections + d.again;

/** The chart's title: every number of every day, so nothing depends on seeing the chart. */
function weekChartTitle(week: DayOfPublications[], lang: UiLanguage): string {
	const title = label(lang, "weekChart", { range: weekRange(week, lang) });
	const days = week.map((d) =>
		label(lang, "weekDay", {
			day: dayLabels(d.day, lang).long,
			first: formatNumber(lang, d.first),
			firstWord: label(lang, pluralKey(lang, d.first, "weekFirstOne", "weekFirstOther")),
			corrections: formatNumber(lang, d.corrections),
			correctionsWord: label(
				lang,
				pluralKey(lang, d.corrections, "weekCorrectionsOne", "weekCorrectionsOther"),
			),
			again: formatNumber(lang, d.again),
			againWord: label(lang, "weekAgain"),
		}),
	);
	return `${title}. ${days.join("; ")}`;
}

/** The legend: two entries on the first line, the third below (its label is long). */
function WeekLegend(props: { lang: UiLanguage }) {
	const spots = [
		{ x: 12, y: 6 },
		{ x: 200, y: 6 },
		{ x: 12, y: 28 },
	];
	return (
		<>
			{WEEK_SERIES.map((series, i) => {
				const spot = spots[i] ?? { x: 12, y: 6 };
				return (
					<>
						<rect x={spot.x} y={spot.y} width={14} height={14} fill={series.colour} />
						<text x={spot.x + 20} y={spot.y + 12} font-size={FONT} fill="currentColor">
							{label(props.lang, series.legend)}
						</text>
					</>
				);
			})}
		</>
	);
}

/** One column a day: first publications, corrections above, then those published again; the day's total on top. */
function WeekChart(props: { week: DayOfPublications[]; lang: UiLanguage }) {
	const { lang, week } = props;
	const legendHeight = 50;
	const plotTop = legendHeight + 18; // room for the tallest column's total
	const plotHeight = 100;
	const height = plotTop + plotHeight + 40; // two lines of day labels below
	const column = (CHART_WIDTH - 24) / week.length;
	const max = Math.max(1, ...week.map(dayTotal));
	const scale = (n: number) => Math.round((n / max) * plotHeight);
	const base = plotTop + plotHeight;
	return (
		<svg
			class="chart"
			role="img"
			aria-labelledby="week-chart-title"
			viewBox={`0 0 ${CHART_WIDTH} ${height}`}
			width={CHART_WIDTH}
			height={height}
			xmlns="http://www.w3.org/2000/svg"
			data-chart="week"
		>
			<title id="week-chart-title">{weekChartTitle(week, lang)}</title>
			<WeekLegend lang={lang} />
			<line x1={12} x2={CHART_WIDTH - 12} y1={base} y2={base} stroke="currentColor" />
			{week.map((d, i) => {
				const x = 12 + i * column;
				const centre = x + column / 2;
				const labels = dayLabels(d.day, lang);
				let top = base;
				const bars = WEEK_SERIES.map((series) => {
					const h = scale(d[series.key]);
					top -= h;
					return <rect x={x + 8} y={top} width={column - 16} height={h} fill={series.colour} />;
				});
				return (
					<g>
						{bars}
						<text x={centre} y={top - 5} text-anchor="middle" font-size={FONT} fill="currentColor">
							{formatNumber(lang, dayTotal(d))}
						</text>
						<text x={centre} y={base + 17} text-anchor="middle" font-size={FONT} fill="currentColor">
							{labels.weekday}
						</text>
						<text x={centre} y={base + 33} text-anchor="middle" font-size={FONT} fill="currentColor">
							{labels.date}
						</text>
					</g>
				);
			})}
		</svg>
	);
}

/** One draft of the queue or of "Being written": its claim, headline, who writes it now and how long since `since`. */
function DraftEntry(props: {
	lang: UiLanguage;
	entry: Pick<
		WritingDraft,
		"claimId" | "claimText" | "claimLanguage" | "correction" | "headline" | "writerName" | "writerDeparted"
	>;
	row: Record<string, string>;
	sinceKey: DashboardKey;
	since: string;
	now: Date;
	flag?: Child;
}) {
	const { lang, entry } = props;
	return (
		<li {...props.row}>
			<a class="text" href={`/desk/claims/${entry.claimId}`} lang={entry.claimLanguage} dir="auto">
				{shortQuote(entry.claimText, 140)}
			</a>
			<span class="meta">
				{entry.correction ? <>{label(lang, "queueCorrection")} · </> : null}
				<bdi>{entry.headline}</bdi> · {label(lang, "queueWriter")}{" "}
				{entry.writerName === null ? (
					"–"
				) : (
					<PersonName lang={lang} name={entry.writerName} departed={entry.writerDeparted} />
				)}{" "}
				· {label(lang, props.sinceKey)}{" "}
				<time datetime={props.since} title={formatDateTime(props.since, lang)}>
					{waitingTime(props.since, props.now, lang)}
				</time>
				{props.flag}
			</span>
		</li>
	);
}

/**
 * Drafts submitted for review, longest waiting since submission first: drafter and wait.
 * A list, not a table: four columns do not fit a phone, and the desk's lists wrap.
 */
function Queue(props: { queue: QueueEntry[]; total: number; now: Date; lang: UiLanguage }) {
	const { lang, queue } = props;
	if (queue.length === 0) return <p>{label(lang, "queueEmpty")}</p>;
	const n = formatNumber(lang, props.total);
	return (
		<>
			<p>
				{queue.length < props.total
					? label(lang, "queueMore", { shown: formatNumber(lang, queue.length), n })
					: label(lang, pluralKey(lang, props.total, "queueAllOne", "queueAllOther"), { n })}
			</p>
			<ol class="claims">
				{queue.map((entry) => (
					<DraftEntry
						lang={lang}
						entry={entry}
						row={{ "data-claim": entry.claimId }}
						sinceKey="queueWaiting"
						since={entry.submittedAt}
						now={props.now}
						flag={<ChangedWords lang={lang} changed={entry.claimChanged} />}
					/>
				))}
			</ol>
		</>
	);
}

/** Open drafts not submitted for review, the longest open first: who writes what, since when. */
function BeingWritten(props: { drafts: WritingDraft[]; total: number; now: Date; lang: UiLanguage }) {
	const { lang, drafts } = props;
	if (drafts.length === 0) return <p>{label(lang, "writingEmpty")}</p>;
	const n = formatNumber(lang, props.total);
	return (
		<>
			<p>
				{drafts.length < props.total
					? label(lang, "writingMore", { shown: formatNumber(lang, drafts.length), n })
					: label(lang, pluralKey(lang, props.total, "writingAllOne", "writingAllOther"), { n })}
			</p>
			<ol class="claims">
				{drafts.map((entry) => (
					<DraftEntry
						lang={lang}
						entry={entry}
						row={{ "data-writing": entry.claimId }}
						sinceKey="writingSince"
						since={entry.createdAt}
						now={props.now}
						flag={
							<>
								{entry.changesRequestedAt ? (
									<>
										{" "}
										·{" "}
										<strong data-changes-requested={entry.changesRequestedAt}>
											{label(lang, "queueChanges")}
										</strong>
									</>
								) : null}
								<ChangedWords lang={lang} changed={entry.claimChanged} />
							</>
						}
					/>
				))}
			</ol>
		</>
	);
}

/** " · claim changed since": its claim's words changed after the draft was last saved (store/draft-words). */
function ChangedWords(props: { lang: UiLanguage; changed: boolean }) {
	if (!props.changed) return null;
	return (
		<>
			{" "}
			· <strong data-words-changed="">{t(props.lang, "deskWordsChangedFlag")}</strong>
		</>
	);
}

/** The desk's overview: claims by state, the review queue, assignees, this week, time to a verdict. */
export function DashboardPage(props: { chrome: DeskChrome; data: Dashboard; now: Date }) {
	const { chrome, data } = props;
	const { lang } = chrome;
	const title = label(lang, "title");
	const total = data.statuses.reduce((sum, s) => sum + s.count, 0);
	const statusBars = data.statuses.map(({ status, count }) => ({ ...describeStatus(status, lang), count }));
	const assigneeBars = data.assignees.map((a) => ({
		label: a.userId === null ? label(lang, "unassigned") : (a.name ?? "?"),
		count: a.count,
		colour: describeStatus(a.userId === null ? "unverified" : "in-review", lang).colour,
	}));
	const first = data.week.reduce((sum, d) => sum + d.first, 0);
	const corrections = data.week.reduce((sum, d) => sum + d.corrections, 0);
	const again = data.week.reduce((sum, d) => sum + d.again, 0);
	return (
		<DeskLayout chrome={chrome} title={title}>
			<h1>{title}</h1>
			{/* The week's days and every time below are the newsroom's (NEWSROOM_TIME_ZONE), named. */}
			<p class="meta">{label(lang, "intro", { zone: shownTimeZone() })}</p>
			<section aria-labelledby="status-h">
				<h2 id="status-h">{label(lang, "statusHeading")}</h2>
				<p>
					{label(lang, pluralKey(lang, total, "claimsInAllOne", "claimsInAllOther"), {
						n: formatNumber(lang, total),
					})}
				</p>
				<BarChart
					id="status-chart"
					title={label(lang, "statusChart", { n: formatNumber(lang, total) })}
					bars={statusBars}
					lang={lang}
				/>
			</section>
			<section aria-labelledby="queue-h">
				<h2 id="queue-h">{label(lang, "queueHeading")}</h2>
				<Queue queue={data.queue} total={data.openDrafts} now={props.now} lang={lang} />
			</section>
			<section aria-labelledby="writing-h">
				<h2 id="writing-h">{label(lang, "writingHeading")}</h2>
				<BeingWritten drafts={data.writing} total={data.writingTotal} now={props.now} lang={lang} />
			</section>
			<section aria-labelledby="assignee-h">
				<h2 id="assignee-h">{label(lang, "assigneeHeading")}</h2>
				{data.assignees.length === 0 ? <p>{label(lang, "noOpenClaims")}</p> : null}
				{data.assignees.length > 0 ? (
					<BarChart
						id="assignee-chart"
						title={label(lang, "assigneeChart")}
						bars={assigneeBars}
						lang={lang}
					/>
				) : null}
				{data.assignees.length > 0 ? (
					// The chart says how much each holds; these lists are where an editor shares it out.
					<p>
						{label(lang, "assigneeLists")}{" "}
						{data.assignees.map((a, index) => (
							<>
								{index > 0 ? " · " : ""}
								<a
									href={a.userId === null ? "/desk?list=unassigned" : `/desk?list=open&assignee=${a.userId}`}
								>
									<bdi>{a.userId === null ? label(lang, "unassigned") : (a.name ?? "?")}</bdi>
								</a>
							</>
						))}
					</p>
				) : null}
			</section>
			<section aria-labelledby="week-h">
				<h2 id="week-h">{label(lang, "weekHeading")}</h2>
				<p>
					<strong data-count="first">{formatNumber(lang, first)}</strong>{" "}
					{label(lang, pluralKey(lang, first, "weekFirstOne", "weekFirstOther"))} ·{" "}
					<strong data-count="corrections">{formatNumber(lang, corrections)}</strong>{" "}
					{label(lang, pluralKey(lang, corrections, "weekCorrectionsOne", "weekCorrectionsOther"))} ·{" "}
					<strong data-count="again">{formatNumber(lang, again)}</strong> {label(lang, "weekAgain")}
				</p>
				<p class="meta">{label(lang, "weekExplained", { range: weekRange(data.week, lang) })}</p>
				<WeekChart week={data.week} lang={lang} />
			</section>
			<section aria-labelledby="median-h">
				<h2 id="median-h">{label(lang, "medianHeading")}</h2>
				{data.median.hours === null ? (
					<p>{label(lang, "medianNone", { days: MEDIAN_WINDOW_DAYS })}</p>
				) : (
					<>
						<p data-median={data.median.hours.toFixed(2)}>
							{label(lang, "medianValue")} <strong>{duration(data.median.hours, lang)}</strong>
						</p>
						<p class="meta">
							{label(
								lang,
								pluralKey(lang, data.median.claims, "medianExplainedOne", "medianExplainedOther"),
								{
									n: formatNumber(lang, data.median.claims),
									days: MEDIAN_WINDOW_DAYS,
								},
							)}
						</p>
					</>
				)}
			</section>
		</DeskLayout>
	);
}
