import { wordDiff } from "../domain/word-diff";

/**
 * A change of a claim's wording as the words changed: the words kept plain, the deleted ones
 * struck through and the inserted ones underlined, in place (domain/word-diff). Null when a word
 * diff would not help (a rewrite, nothing in common): the caller shows old → new whole.
 * A screen reader does not announce <del> and <ins>, so each says what it is in the reader's
 * language (`labels`), around words in the claim's (`valueLang`); left to right of their own, or
 * the wording's `dir="auto"` would take its direction from a label before a right-to-left word. Called, not rendered as a
 * component, so the caller knows whether there is a word diff to show.
 */
export function wordDiffView(props: {
	before: string;
	after: string;
	valueLang: string;
	uiLang: string;
	labels: { deleted: string; inserted: string };
}) {
	const segments = wordDiff(props.before, props.after, { locale: props.valueLang });
	if (!segments) return null;
	const said = (label: string) => (
		<span class="visually-hidden" lang={props.uiLang} dir="ltr">
			[{label}:{" "}
		</span>
	);
	const end = (
		<span class="visually-hidden" lang={props.uiLang} dir="ltr">
			]
		</span>
	);
	// White space at a change's edges stays outside its element: an underlined or struck space
	// reads as a changed character.
	// (trim, not a regular expression: a lazy one around a long run of spaces is quadratic.) A
	// change of white space alone shows as the new wording's space.
	const marked = (Tag: "del" | "ins", label: string, text: string) => {
		const core = text.trim();
		if (core === "") return Tag === "ins" ? text : "";
		const lead = text.slice(0, text.length - text.trimStart().length);
		const trail = text.slice(text.trimEnd().length);
		return (
			<>
				{lead}
				<Tag>
					{said(label)}
					{core}
					{end}
				</Tag>
				{trail}
			</>
		);
	};
	return (
		<span class="word-diff" lang={props.valueLang} dir="auto">
			{segments.map((segment) =>
				segment.kind === "same"
					? segment.text
					: segment.kind === "deleted"
						? marked("del", props.labels.deleted, segment.text)
						: marked("ins", props.labels.inserted, segment.text),
			)}
		</span>
	);
}
