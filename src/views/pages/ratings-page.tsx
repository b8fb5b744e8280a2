import {
	type ClaimStatus,
	describeStatus,
	PENDING,
	RATINGS,
	STATUS_EXPLANATIONS,
	type UiLanguage,
} from "../../domain/ratings";
import { t } from "../i18n";

/**
 * The rating scale explained: every rating with its definition and an example, then the
 * statuses of claims without a rating. Each entry's id is its key, so every chip can link
 * to `/ratings#<key>`.
 */
export function RatingsPage(props: { lang: UiLanguage }) {
	const { lang } = props;
	return (
		<>
			<h1>{t(lang, "ratingsTitle")}</h1>
			<p>{t(lang, "ratingsIntro")}</p>
			<h2 id="scale">{t(lang, "ratingsScale")}</h2>
			<ol class="scale">
				{RATINGS.map((rating) => (
					<Entry
						status={rating.key}
						lang={lang}
						note={
							rating.value === null
								? t(lang, "ratingsNoValue")
								: t(lang, "ratingsValue", { value: rating.value })
						}
					/>
				))}
			</ol>
			<h2 id="pending">{t(lang, "ratingsPending")}</h2>
			<ul class="scale">
				{PENDING.map((status) => (
					<Entry status={status.key} lang={lang} />
				))}
			</ul>
		</>
	);
}

function Entry(props: { status: ClaimStatus; lang: UiLanguage; note?: string }) {
	const { status, lang } = props;
	const { label } = describeStatus(status, lang);
	const { definition, example } = STATUS_EXPLANATIONS[status];
	// The id and the class come from the closed list of statuses, never from input.
	return (
		<li id={status}>
			<h3>
				<span class={`rating status-${status}`}>{label}</span>
			</h3>
			<div>
				<p>{definition[lang]}</p>
				{example ? (
					<p class="example">
						<strong>{t(lang, "ratingsExample")}:</strong> {example[lang]}
					</p>
				) : null}
				{props.note ? <p class="meta">{props.note}</p> : null}
			</div>
		</li>
	);
}
