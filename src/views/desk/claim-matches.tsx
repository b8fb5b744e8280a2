import { type ClaimStatus, describeStatus, type UiLanguage } from "../../domain/ratings";
import type { ClaimMatch } from "../../store/claim-matches";
import { t } from "./desk-i18n";
import { StatusPill } from "./status";

/** A match as the desk's form script receives it (GET /desk/claims/matches). */
export function deskMatchJson(match: ClaimMatch, lang: UiLanguage) {
	const { claim, speaker } = match.claim;
	return {
		id: claim.id,
		text: claim.text,
		language: claim.language,
		status: claim.status,
		statusLabel: describeStatus(claim.status as ClaimStatus, lang).label,
		speaker: speaker?.name ?? null,
		score: match.score,
		relation: match.relation,
	};
}

/**
 * "Has this been recorded already?" beside the quote field of the claim form. The server
 * renders it after a submit (without JavaScript); the form script fills the same element
 * as the quote is typed. A "same" match offers to add the article as an appearance of
 * that claim: a submit button of the claim form itself, posted to the appearance route.
 */
export function ClaimMatches(props: {
	lang: UiLanguage;
	matches: ClaimMatch[] | null;
	reviewed: boolean;
	/**
	 * The server answered for this quote already (its matches, or the notice of the same words
	 * recorded with their own "add as appearance"): the script then waits for an edit instead
	 * of asking again as the page loads, which offered the same claim twice.
	 */
	answered: boolean;
}) {
	const { lang } = props;
	const matches = props.matches ?? [];
	return (
		<div
			id="claim-matches"
			class="claim-matches"
			aria-live="polite"
			data-answered={props.answered ? "" : undefined}
			data-same={t(lang, "deskMatchSame")}
			data-similar={t(lang, "deskMatchSimilar")}
			data-add={t(lang, "deskAddAsAppearance")}
			data-title={t(lang, "deskMatchesTitle")}
		>
			{matches.length > 0 ? (
				<>
					<h2>{t(lang, "deskMatchesTitle")}</h2>
					<ul>
						{matches.map((match) => (
							<li class={`match match-${match.relation}`}>
								<strong>{t(lang, match.relation === "same" ? "deskMatchSame" : "deskMatchSimilar")}</strong>{" "}
								<a href={`/desk/claims/${match.claim.claim.id}`} lang={match.claim.claim.language} dir="auto">
									{match.claim.claim.text}
								</a>{" "}
								<StatusPill lang={lang} status={match.claim.claim.status as ClaimStatus} />
								{match.claim.speaker ? <span class="meta"> · {match.claim.speaker.name}</span> : null}
								{match.relation === "same" ? (
									<p>
										<button
											type="submit"
											class="secondary"
											formaction={`/desk/claims/${match.claim.claim.id}/appearances`}
											formnovalidate
										>
											{t(lang, "deskAddAsAppearance")}
										</button>
									</p>
								) : null}
							</li>
						))}
					</ul>
					{props.reviewed ? <p class="hint">{t(lang, "deskMatchesSaveAnyway")}</p> : null}
				</>
			) : null}
		</div>
	);
}
