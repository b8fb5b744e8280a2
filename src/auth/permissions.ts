import type { Role } from "../db/schema";

/**
 * Who may do what. Roles are ordered (an editor can do what a checker can), and an
 * API token can do an action only when it carries the action's scope AND its owner's
 * role allows the action: a scope never lifts a role, so a checker's token cannot
 * publish whatever scopes it lists.
 */

const RANK: Record<Role, number> = { checker: 1, editor: 2, admin: 3 };

export const SCOPES = [
	"claims:write",
	"verdicts:write",
	"verdicts:publish",
	"import",
	"webhooks:manage",
	"backup",
] as const;
export type Scope = (typeof SCOPES)[number];

/** The lowest role a scope is useful for; tokens are never issued with more than the role allows. */
const SCOPE_MIN_ROLE: Record<Scope, Role> = {
	"claims:write": "checker",
	"verdicts:write": "checker",
	"verdicts:publish": "editor",
	// Imports bring published verdicts of other fact-checkers: publishing, so an editor's,
	// and granted by an admin only (ADMIN_GRANTED).
	import: "editor",
	// A webhook sends every public change to an address of one's choosing: admins only.
	"webhooks:manage": "admin",
	// A backup is every row but secrets (internal notes on request), and a restore writes
	// a whole database: admins only.
	backup: "admin",
};

export const ACTIONS = {
	"claim:create": { role: "checker", scope: "claims:write" },
	"claim:add-appearance": { role: "checker", scope: "claims:write" },
	"claim:edit": { role: "checker", scope: "claims:write" },
	"speaker:edit": { role: "editor", scope: "claims:write" },
	// A claim leaving the tracker (merged into another, or removed as recorded by mistake).
	"claim:merge": { role: "editor", scope: "claims:write" },
	"claim:remove": { role: "editor", scope: "claims:write" },
	// Editors assign anyone; a checker may only take an unassigned claim (commands/collaboration).
	"claim:assign": { role: "checker", scope: "claims:write" },
	"claim:note": { role: "checker", scope: "claims:write" },
	// Reading the desk's own work (notes, drafts) takes the scope of doing that work: a token
	// made for an integration (webhooks, imports) reveals none of it if it leaks.
	"claim:read-notes": { role: "checker", scope: "claims:write" },
	"tag:edit": { role: "editor", scope: "claims:write" },
	"verdict:read": { role: "checker", scope: "verdicts:write" },
	"verdict:draft": { role: "checker", scope: "verdicts:write" },
	"verdict:edit-draft": { role: "checker", scope: "verdicts:write" },
	// Its writer says a draft is ready: it enters the editors' review queue (store/desk).
	"verdict:submit": { role: "checker", scope: "verdicts:write" },
	"verdict:publish": { role: "editor", scope: "verdicts:publish" },
	"verdict:retract": { role: "editor", scope: "verdicts:publish" },
	"verdict:return": { role: "editor", scope: "verdicts:publish" },
	"claims:import": { role: "editor", scope: "import" },
	// Bulk maintenance of the matching index, like an import: an editor's, with the import scope.
	"matching:backfill": { role: "editor", scope: "import" },
	"users:manage": { role: "admin", scope: null },
	"tokens:manage-any": { role: "admin", scope: null },
	"webhooks:manage": { role: "admin", scope: "webhooks:manage" },
	"backup:export": { role: "admin", scope: "backup" },
	"backup:restore": { role: "admin", scope: "backup" },
} as const satisfies Record<string, { role: Role; scope: Scope | null }>;
export type Action = keyof typeof ACTIONS;

export function hasRole(role: Role, minimum: Role): boolean {
	return RANK[role] >= RANK[minimum];
}

export function can(role: Role, action: Action): boolean {
	return hasRole(role, ACTIONS[action].role);
}

/**
 * A claim with a public verdict (published, superseded or retracted) is changed only by
 * editors: its words, speaker, date and language are what the rating is about, and the
 * change is shown publicly like a correction, which editors issue. Processes without a
 * role (scripts, imports) are not people and may.
 */
export function mayEditReviewedClaim(actor: { role?: Role }): boolean {
	return !actor.role || hasRole(actor.role, "editor");
}

/**
 * Whether this editor may publish this draft under the deployment's rules: with four eyes
 * (`PUBLISHING = "second-editor"`) not a draft they wrote, nor one they rewrote: `writerIds`
 * are everyone who saved it (store/verdicts `draftWriterIds`). By its drafter alone, an
 * editor could rewrite a checker's draft, rating and all, and publish it unseen. Whoever
 * minted the token the editor acts with (`tokenMintedBy`, an admin) counts as acting too,
 * and as writing what was saved with such a token: an admin could otherwise publish their
 * own draft with a token minted for an editor. Processes without a role (imports, scripts)
 * are not people and may.
 */
export function mayPublishDraft(
	actor: { userId: string | null; role?: Role; tokenMintedBy?: string | null },
	draft: { reviewerId: string | null; writerIds?: readonly string[] },
	policy: { secondEditor: boolean } | undefined,
): boolean {
	if (!policy?.secondEditor || !actor.role) return true;
	if (actor.userId === null) return true;
	const writers = new Set([...(draft.reviewerId ? [draft.reviewerId] : []), ...(draft.writerIds ?? [])]);
	return [actor.userId, actor.tokenMintedBy ?? null].every(
		(person) => person === null || !writers.has(person),
	);
}

/**
 * Who writes an open draft now: a draft is written by whoever holds its claim; on a claim
 * held by nobody, by its last writer, whoever held the claim when it went back to nobody
 * (`writerId`), else its drafter. An editor handing a claim to another checker hands over its
 * draft, and giving it back to nobody leaves it with the one who held it (store/draft-writer
 * `draftWriterSql`, which the lists and the writes' guards read, is the same in SQL).
 */
export function draftWriterId(draft: {
	reviewerId: string | null;
	writerId: string | null;
	claimAssigneeId: string | null;
}): string | null {
	return draft.claimAssigneeId ?? draft.writerId ?? draft.reviewerId;
}

/**
 * A checker edits, submits and discards only the drafts they write now (`draftWriterId`): a
 * drafter whose claim was handed over may no longer write over the successor's work. Editors
 * and admins edit any draft. Processes without a role (scripts, imports) are not people and may.
 */
export function mayEditDraft(
	actor: { userId: string | null; role?: Role },
	draft: { reviewerId: string | null; writerId: string | null; claimAssigneeId: string | null },
): boolean {
	if (mayEditAnyDraft(actor)) return true;
	return actor.userId !== null && draftWriterId(draft) === actor.userId;
}

/** Editors, admins and processes edit any draft; a checker only those they write (`mayEditDraft`). */
export function mayEditAnyDraft(actor: { role?: Role }): boolean {
	return !actor.role || hasRole(actor.role, "editor");
}

/**
 * Whether this actor drafts on any claim. A checker drafts only on a claim assigned to them
 * or to nobody: the draft would otherwise be its holder's from the start (`mayEditDraft`),
 * begun by someone who may not edit, submit or discard it, and it would take the claim's one
 * open draft (commands/verdicts `draftVerdict`, its holder named in the 403). Editors and
 * admins draft on any claim; processes without a role (scripts, imports) are not people and may.
 */
export function mayDraftOnAnyClaim(actor: { role?: Role }): boolean {
	return !actor.role || hasRole(actor.role, "editor");
}

function isScope(value: string): value is Scope {
	return (SCOPES as readonly string[]).includes(value);
}

/**
 * Scopes an admin grants: an editor holds them only on a token an admin minted for them.
 * An import publishes without four eyes (a review on our own host counts as ours), so an
 * editor minting `import` for themselves published alone, or corrected a colleague's verdict.
 */
const ADMIN_GRANTED: ReadonlySet<Scope> = new Set<Scope>(["import"]);

/** Scopes a user of this role may hold on a token (whoever mints it). */
export function scopesFor(role: Role): Scope[] {
	return SCOPES.filter((scope) => hasRole(role, SCOPE_MIN_ROLE[scope]));
}

/**
 * Whether this minter may put this scope on a token (the owner's role aside: `scopesFor`).
 * Processes without a role (the operators' token CLI, seeds) are not people and may.
 */
export function mayGrant(minter: Role | undefined, scope: string): boolean {
	return !minter || hasRole(minter, "admin") || !(ADMIN_GRANTED as ReadonlySet<string>).has(scope);
}

/** Scopes a user of role `minter` may put on a token of an account of role `owner`. */
export function mintableScopes(owner: Role, minter: Role): Scope[] {
	return scopesFor(owner).filter((scope) => mayGrant(minter, scope));
}

/**
 * Whether a scope a token lists is in force. An admin-granted scope is, on an admin's own
 * token, and on a token an admin minted for its owner or the operators' CLI minted
 * (`createdBy` another account, or null): only admins mint for others, and an admin's
 * demotion or disabling revokes those (store/tokens). An editor's `import` they minted
 * themselves (the desk let them before) is not, nor an admin's own once they are demoted.
 */
export function scopeInForce(
	scope: Scope,
	token: { ownerId: string; ownerRole: Role; createdBy: string | null },
): boolean {
	if (!ADMIN_GRANTED.has(scope) || hasRole(token.ownerRole, "admin")) return true;
	return token.createdBy !== token.ownerId;
}

/** Splits the stored space-separated scope list; unknown words are dropped, never honoured. */
export function parseScopes(text: string): Scope[] {
	return [...new Set(text.split(/\s+/).filter(isScope))];
}
