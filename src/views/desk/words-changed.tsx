import type { UiLanguage } from "../../domain/ratings";
import type { WordsChange } from "../../store/draft-words";
import { formatDate, t as publicText } from "../i18n";
import { wordDiffView } from "../word-diff";
import { type MessageKey, t } from "./desk-i18n";
import { FOCUSED_AT_LOAD } from "./fields";
import { FIELD_KEYS } from "./history-detail";
import { formatDateTime } from "./labels";

/**
 * The claim's words changed after a draft was last saved (or after its form was shown):
 * each change, who made it and when, old → new, then what to do. On the draft's form, its
 * card on the claim page and the preview (docs/decisions.md, "A draft rates the words it was
 * saved on"): the verdict was written for the old words, and nobody has read it against the new.
 */
export function WordsChangedNotice(props: {
	lang: UiLanguage;
	changes: WordsChange[];
	/** The claim's language: the words quoted are in it, not in the desk's. */
	claimLanguage: string;
	title: MessageKey;
	advice: MessageKey;
	/** The page came back for it (a refused save or publication): the notice is where it starts. */
	focus?: boolean;
}) {
	const { lang, changes } = props;
	if (changes.length === 0) return null;
	return (
		<div
			class="notice error words-changed"
			role={props.focus ? "alert" : "status"}
			data-words-changed={changes.length}
			{...(props.focus ? FOCUSED_AT_LOAD : {})}
		>
			<p>
				<strong>{t(lang, props.title)}</strong>
			</p>
			<ul>
				{changes.map((change) => (
					<li data-field={change.field}>
						{t(
							lang,
							change.credited ? "deskWordsChangedCredited" : (FIELD_KEYS[change.field] ?? "deskQuote"),
						)}{" "}
						· <bdi>{change.byName ?? t(lang, "deskWordsChangedBySystem")}</bdi> ·{" "}
						<time datetime={change.at}>{formatDateTime(change.at, lang)}</time>:{" "}
						{wordingDiff(change, props.claimLanguage, lang) ?? (
							<>
								<del>
									<ChangedValue
										lang={lang}
										change={change}
										value={change.from}
										claimLanguage={props.claimLanguage}
									/>
								</del>{" "}
								→{" "}
								<ins>
									<ChangedValue
										lang={lang}
										change={change}
										value={change.to}
										claimLanguage={props.claimLanguage}
									/>
								</ins>
							</>
						)}
					</li>
				))}
			</ul>
			<p>{t(lang, props.advice)}</p>
		</div>
	);
}

/**
 * A quote's rewording shown word by word in place (views/word-diff), as the claim
 * page shows it: a checker sees which words changed under the draft, not two long quotes to
 * compare. Null for a rewrite, and for a speaker or a date: old → new whole.
 */
function wordingDiff(change: WordsChange, claimLanguage: string, lang: UiLanguage) {
	if (change.field !== "text") return null;
	if (!change.from || !change.to) return null;
	return wordDiffView({
		before: change.from,
		after: change.to,
		valueLang: claimLanguage,
		uiLang: lang,
		labels: { deleted: publicText(lang, "wordsDeleted"), inserted: publicText(lang, "wordsInserted") },
	});
}

/** One side of a change: the words in the claim's language, a speaker's name, a date in the desk's. */
function ChangedValue(props: {
	lang: UiLanguage;
	change: WordsChange;
	value: string | null;
	claimLanguage: string;
}) {
	const { lang, value } = props;
	if (value === null || value === "") return <>–</>;
	if (props.change.field === "claimedAt") return <>{formatDate(value, lang)}</>;
	if (props.change.field === "speaker") return <bdi>{value}</bdi>;
	return (
		<bdi lang={props.claimLanguage} dir="auto">
			{value}
		</bdi>
	);
}

/**
 * A list's mark on a draft whose claim's words changed after it was last saved: the review
 * queue, "Being written" and "My drafts" say so before anyone opens it.
 */
export function WordsChangedFlag(props: { lang: UiLanguage; changed: boolean }) {
	if (!props.changed) return null;
	return (
		<>
			{" "}
			<strong class="status flag" data-words-changed="">
				{t(props.lang, "deskWordsChangedFlag")}
			</strong>
		</>
	);
}
