import type { UiLanguage } from "../../domain/ratings";
import { auditChanges, personNameText } from "./audit-actor";
import type { HistoryEntry } from "./claim-page";
import { type MessageKey, t } from "./desk-i18n";

/** The desk's names of a claim's fields, as its edit form labels them (also a draft's changed words). */
export const FIELD_KEYS: Record<string, MessageKey> = {
	text: "deskQuote",
	claimedAt: "deskClaimedAt",
	language: "deskClaimLanguage",
	context: "deskEditFieldContext",
	speaker: "deskEditFieldSpeaker",
};

/** A note an entry carries (a return, an edit, a merge), quoted as written. */
function Quoted(props: { text: unknown }) {
	if (typeof props.text !== "string" || props.text.trim() === "") return null;
	return (
		<>
			{": "}
			<q dir="auto">{props.text}</q>
		</>
	);
}

/**
 * What an entry of the timeline changed, after its action: to whom a claim was assigned
 * (and from whom, and why when an account was disabled), the fields an edit changed, a
 * return's note, the other claim of a merge. Nothing for the others.
 */
export function EntryDetail(props: { lang: UiLanguage; entry: HistoryEntry }) {
	const { entry, lang } = props;
	const changes = auditChanges(entry.changes);
	switch (entry.action) {
		case "assign":
		case "unassign":
			return <AssignmentDetail lang={lang} entry={entry} reason={changes.reason} />;
		case "edit":
			return <EditDetail lang={lang} changes={changes} />;
		case "return":
			return <Quoted text={changes.note} />;
		case "merge":
		case "merged-into":
			return <MergeDetail lang={lang} action={entry.action} changes={changes} />;
		default:
			return null;
	}
}

function AssignmentDetail(props: { lang: UiLanguage; entry: HistoryEntry; reason: unknown }) {
	const { lang, entry } = props;
	const disabled = props.reason === "account-disabled";
	// An account disabled since is marked; the release its disabling made says so already.
	const from = entry.fromName && personNameText(lang, entry.fromName, entry.fromDeparted && !disabled);
	const to = entry.toName && personNameText(lang, entry.toName, entry.toDeparted);
	const parts = [
		from ? t(lang, "deskAssignedFrom", { name: from }) : null,
		to ? t(lang, "deskAssignedTo", { name: to }) : null,
	].filter((part) => part !== null);
	if (parts.length === 0 && !disabled) return null;
	return (
		<>
			{" · "}
			<bdi>{parts.join(" ")}</bdi>
			{disabled ? ` (${t(lang, "deskUnassignedAccountDisabled")})` : null}
		</>
	);
}

function EditDetail(props: { lang: UiLanguage; changes: Record<string, unknown> }) {
	const { lang, changes } = props;
	const fields = Array.isArray(changes.changes)
		? changes.changes.flatMap((change: unknown) => {
				const field = (change as { field?: unknown } | null)?.field;
				const key = typeof field === "string" ? FIELD_KEYS[field] : undefined;
				return key ? [t(lang, key)] : [];
			})
		: [];
	if (fields.length === 0) return null;
	return (
		<>
			{" · "}
			{fields.join(", ")}
			<Quoted text={changes.note} />
		</>
	);
}

/** Which claim a merge entry names: the one merged in, or the one merged into. */
function MergeDetail(props: {
	lang: UiLanguage;
	action: "merge" | "merged-into";
	changes: Record<string, unknown>;
}) {
	const { lang, changes } = props;
	const other = props.action === "merge" ? changes.mergedFrom : changes.into;
	if (typeof other !== "string") return null;
	return (
		<>
			{" · "}
			{t(lang, props.action === "merge" ? "deskMergedFromClaim" : "deskMergedIntoClaim")} <code>{other}</code>
			<Quoted text={changes.note} />
		</>
	);
}
