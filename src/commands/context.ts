import { publishingMode } from "../domain/deployment-settings";
import type { Db } from "../factory";
import type { Actor } from "../store/batch";
import type { CommandEvent } from "./events";

/**
 * Where a command's side effects go. The Worker's implementation runs them after the
 * response with `waitUntil` (side-effects.ts); scripts and tests pass their own.
 */
export interface Effects {
	emit(event: CommandEvent): void;
}

/**
 * Everything a command needs, passed explicitly: a command never sees a Request, so the
 * desk, the JSON API, the import endpoint and the CLI scripts all call the same one.
 */
export interface CommandContext {
	db: Db;
	actor: Actor;
	effects: Effects;
	/** The deployment's rules for publishing (`PUBLISHING` in wrangler.toml); the default where absent. */
	policy?: PublishingPolicy;
}

export interface PublishingPolicy {
	/** A draft an editor wrote is published by another editor (`PUBLISHING = "second-editor"`). */
	secondEditor: boolean;
}

/** The publishing rules a deployment's variables set (a value it does not know asks for a second editor). */
export function publishingPolicy(env: { PUBLISHING?: string }): PublishingPolicy {
	return { secondEditor: publishingMode(env) === "second-editor" };
}

/** For scripts writing to a database no cache fronts (seed, restore). */
export const NO_EFFECTS: Effects = { emit: () => undefined };

/** A command context from a request's variables (the per-request db and effects). */
export function commandContext(
	vars: { db: Db; effects: Effects; policy?: PublishingPolicy },
	actor: Actor,
): CommandContext {
	return { db: vars.db, actor, effects: vars.effects, ...(vars.policy ? { policy: vars.policy } : {}) };
}
