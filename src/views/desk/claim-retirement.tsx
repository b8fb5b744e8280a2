import { can } from "../../auth/permissions";
import type { ClaimDetail } from "../../store/claims";
import type { ClaimPageProps } from "./claim-page";
import { t } from "./desk-i18n";
import { FormSecrets } from "./desk-layout";
import { ConfirmBox, type FieldErrors, Notice, TextArea, TextField } from "./fields";

/** Whether a claim may leave the tracker (merged or removed): no verdict at all, public or draft. */
export function mayRetire(claim: ClaimDetail): boolean {
	return claim.verdicts.length === 0;
}

/** The claim id a "merge into this" link asked for (`?mergeInto=`), to fill the merge form. */
function askedInto(path: string): string | undefined {
	const value = new URL(path, "http://desk.invalid").searchParams.get("mergeInto") ?? "";
	return /^[0-9a-z]{14}$/.test(value) ? value : undefined;
}

/**
 * "A duplicate, or recorded by mistake?": an editor merges this claim into the one kept or
 * removes it, each with a box to tick. A claim with a verdict, public or draft, offers
 * neither and says why (store/claim-merges `retirementRefusal` holds the same rule).
 */
export function RetireSection(props: ClaimPageProps) {
	const { claim, session, chrome } = props;
	const { lang } = chrome;
	if (!can(session.user.role, "claim:merge")) return null;
	const reviewed = claim.verdicts.some((v) => v.state !== "draft");
	const state = props.state?.form === "merge" || props.state?.form === "remove-claim" ? props.state : null;
	const errors: FieldErrors = state?.errors ?? {};
	const into = state?.form === "merge" ? state.values.into : askedInto(chrome.path);
	return (
		<section aria-labelledby="retire-h" id="merge">
			<h2 id="retire-h">{t(lang, "deskRetireTitle")}</h2>
			{!mayRetire(claim) ? (
				<p class="hint">{t(lang, reviewed ? "deskRetireReviewed" : "deskRetireDraft")}</p>
			) : (
				<>
					<details class="retire" open={state?.form === "merge" || into !== undefined}>
						<summary>{t(lang, "deskMergeClaim")}</summary>
						{state?.form === "merge" && state.notice ? (
							<Notice kind="error" role="alert">
								{state.notice}
							</Notice>
						) : null}
						<form method="post" action={`/desk/claims/${claim.id}/merge`} class="discard" novalidate>
							<FormSecrets csrf={session.csrfToken} idem={props.keys()} />
							<input type="hidden" name="version" value={String(claim.version)} />
							<p class="hint">{t(lang, "deskMergeHint")}</p>
							<TextField
								name="into"
								label={t(lang, "deskMergeClaimInto")}
								lang={lang}
								errors={state?.form === "merge" ? errors : {}}
								value={into}
								required
							/>
							<TextArea
								name="note"
								label={t(lang, "deskMergeNote")}
								hint={t(lang, "deskMergeNoteHint")}
								lang={lang}
								errors={state?.form === "merge" ? errors : {}}
								value={state?.form === "merge" ? state.values.note : undefined}
								idSuffix="merge"
								rows={2}
								required
							/>
							<ConfirmBox
								id="merge-confirm"
								lang={lang}
								label={t(lang, "deskMergeConfirm")}
								error={state?.form === "merge" ? errors.confirm : undefined}
							/>
							<button type="submit" class="danger">
								{t(lang, "deskMergeSubmit")}
							</button>
						</form>
					</details>
					<details class="retire" open={state?.form === "remove-claim"}>
						<summary>{t(lang, "deskRemoveClaim")}</summary>
						{state?.form === "remove-claim" && state.notice ? (
							<Notice kind="error" role="alert">
								{state.notice}
							</Notice>
						) : null}
						<form method="post" action={`/desk/claims/${claim.id}/remove`} class="discard" novalidate>
							<FormSecrets csrf={session.csrfToken} idem={props.keys()} />
							<input type="hidden" name="version" value={String(claim.version)} />
							<p class="hint">{t(lang, "deskRemoveClaimHint")}</p>
							<TextArea
								name="reason"
								label={t(lang, "deskRemoveReason")}
								hint={t(lang, "deskRemoveReasonHint")}
								lang={lang}
								errors={state?.form === "remove-claim" ? errors : {}}
								value={state?.form === "remove-claim" ? state.values.reason : undefined}
								rows={2}
								required
							/>
							<ConfirmBox
								id="remove-claim-confirm"
								lang={lang}
								label={t(lang, "deskRemoveConfirm")}
								error={state?.form === "remove-claim" ? errors.confirm : undefined}
							/>
							<button type="submit" class="danger">
								{t(lang, "deskRemoveClaim")}
							</button>
						</form>
					</details>
				</>
			)}
		</section>
	);
}
