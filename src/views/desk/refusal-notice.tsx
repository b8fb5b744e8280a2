import type { UiLanguage } from "../../domain/ratings";
import { quoteMarks } from "../../domain/typography";
import { Notice } from "./fields";

/** A claim's words as they read now, quoted by a refusal (the claim changed meanwhile). */
export interface ClaimWordsNow {
	text: string;
	/** The claim's language, not the desk's. */
	language: string;
}

/**
 * A refused step's notice. When the claim changed meanwhile it ends in the claim's words now:
 * in the desk's quotation marks, but isolated in a <bdi> in the claim's language, so an Arabic
 * claim cannot reorder the sentence around it and an English one is not read out as German.
 */
export function RefusalNotice(props: {
	lang: UiLanguage;
	notice: string;
	claimNow?: ClaimWordsNow | undefined;
}) {
	const { claimNow } = props;
	const [open, close] = quoteMarks(props.lang);
	return (
		<Notice kind="error" role="alert" focus>
			{props.notice}
			{claimNow ? (
				<>
					{" "}
					{open}
					<bdi lang={claimNow.language} dir="auto">
						{claimNow.text}
					</bdi>
					{close}
				</>
			) : null}
		</Notice>
	);
}
