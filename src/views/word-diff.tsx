import { wordDiff } from "../domain/word-diff";

/**
 * A change of a claim's wording as the words changed: the words kept plain, the deleted ones
 * struck through and the inserted ones underlined, in place (domain/word-diff). Null when a word
 * diff would not help (a rewrite, nothing in common): the caller shows old → new whole.
 * A screen reader does not announce <del> and <ins>, so each says what it is in the reader's
 * language (`labels`), around words in the claim's (`valueLang`). Called, not rendered as a
 * component, so the caller knows whether there is a word diff to show.
 */
export function wordDiffView(props: {
	before: string;
	after: string;
	valueLang: string;
	uiLang: string;
	labels: { deleted: string; inserted: string };
}) {
	const segments = wordDiff(props.before, props.after);
	if (!segments) return null;
	const said = (label: string) => (
		<span class="visually-hidden" lang={props.uiLang}>
			[{label}:{" "}
		</span>
	);
	const end = (
		<span class="visually-hidden" lang={props.uiLang}>
			]
		</span>
	);
	return (
		<span class="word-diff" lang={props.valueLang} dir="auto">
			{segments.map((segment) =>
				segment.kind === "same" ? (
					segment.text
				) : segment.kind === "deleted" ? (
					<del>
						{said(props.labels.deleted)}
						{segment.text}
						{end}
					</del>
				) : (
					<ins>
						{said(props.labels.inserted)}
						{segment.text}
						{end}
					</ins>
				),
			)}
		</span>
	);
}
