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
}

/** For scripts writing to a database no cache fronts (seed, restore). */
export const NO_EFFECTS: Effects = { emit: () => undefined };

/** A command context from a request's variables (the per-request db and effects). */
export function commandContext(vars: { db: Db; effects: Effects }, actor: Actor): CommandContext {
	return { db: vars.db, actor, effects: vars.effects };
}
