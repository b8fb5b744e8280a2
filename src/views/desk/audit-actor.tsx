import type { UiLanguage } from "../../domain/ratings";
import { t } from "./desk-i18n";

/** Who an audit row (or a note) names: the person, the label they acted under, and how. */
export interface AuditActor {
	actorName: string | null;
	/** `token:<name>` for a write through an API token (auth/api-tokens `tokenActor`), else a system label. */
	actorLabel: string | null;
	/** Who minted the token, when someone else did (an admin). */
	minterName?: string | null;
	/** The row was written by an import (its publications skip four eyes). */
	imported?: boolean;
	/** The actor's account, or the minter's, is disabled now (they left). */
	actorDeparted?: boolean;
	minterDeparted?: boolean;
}

/**
 * A desk member's name as the desk shows it: marked "account disabled" when they left, so
 * no page names a departed account as if it were someone to ask.
 */
export function PersonName(props: { lang: UiLanguage; name: string; departed?: boolean | undefined }) {
	return (
		<>
			<bdi>{props.name}</bdi>
			{props.departed ? ` (${t(props.lang, "deskAccountDisabled")})` : null}
		</>
	);
}

/** The same as text, for a sentence that names them (a message's `{name}`). */
export function personNameText(lang: UiLanguage, name: string, departed: boolean | undefined): string {
	return departed ? `${name} (${t(lang, "deskAccountDisabled")})` : name;
}

const TOKEN_PREFIX = "token:";

/** The name of the API token a write went through, or null for a write by hand. */
function tokenOf(label: string | null | undefined): string | null {
	return label?.startsWith(TOKEN_PREFIX) ? label.slice(TOKEN_PREFIX.length) : null;
}

/**
 * "checker qrh7 (token “CMS bridge”, import)": a write through a token or an import must not
 * read like one the person made by hand on the desk. The token's name is user-written: it
 * is a text child here, so JSX escapes it.
 */
export function ActorName(props: { lang: UiLanguage; actor: AuditActor }) {
	const { lang, actor } = props;
	const token = tokenOf(actor.actorLabel);
	const who = actor.actorName ?? (token === null ? actor.actorLabel : null) ?? "–";
	const how = [
		actor.actorName && actor.actorDeparted ? t(lang, "deskAccountDisabled") : null,
		token === null ? null : t(lang, "deskViaToken", { name: token }),
		actor.minterName
			? `${t(lang, "deskTokenMintedBy")} ${personNameText(lang, actor.minterName, actor.minterDeparted)}`
			: null,
		actor.imported ? t(lang, "deskByImport") : null,
	].filter((part) => part !== null);
	return (
		<>
			<bdi>{who}</bdi>
			{how.length > 0 ? ` (${how.join(", ")})` : null}
		</>
	);
}

/** An audit row's `changes` JSON as an object ({} when absent or not an object). */
export function auditChanges(changes: string | null): Record<string, unknown> {
	try {
		const parsed: unknown = JSON.parse(changes ?? "{}");
		return parsed && typeof parsed === "object" && !Array.isArray(parsed)
			? (parsed as Record<string, unknown>)
			: {};
	} catch {
		return {};
	}
}
