import type { Context } from "hono";
import type { ApiCaller, ApiEnv } from "../../auth/api-tokens";
import { idempotent, type Outcome, requestFingerprint } from "../../auth/idempotency";
import { newId } from "../../domain/ids";
import type { Db } from "../../factory";
import { type AppError, notFound } from "../../lib/errors";
import { claimFate, missingClaim } from "../../store/retired-claims";

const JSON_TYPE = "application/json; charset=utf-8";

/** An API create, as `created` runs it. */
export interface Create {
	/**
	 * Where the new record lives and the claim it is about, from its id, made before the
	 * write: a repeat whose first run stopped after the write, before it kept its answer,
	 * is answered from these (kept in the write's own batch) and `readBack`.
	 */
	at: (id: string) => { location: string; claimId?: string };
	/**
	 * Writes the record under `id` and answers its body, and, when a repeat must not see
	 * all of it (a secret shown once), `replay`: what the idempotency table keeps and a
	 * repeat gets.
	 */
	write: (caller: ApiCaller, id: string) => Promise<{ body: unknown; replay?: unknown }>;
	/** The body a repeat gets from a written key without a kept answer (as `replay`); null: gone since. */
	readBack: (id: string) => Promise<unknown>;
	/** The record's name in the 404 a repeat answers when it is gone since (`notFound`; none: "record"). */
	what?: string;
}

/**
 * A create through the API: 201 with Location; with an `Idempotency-Key`, a repeat gets the
 * first answer (`Idempotent-Replayed: true`) instead of a second record. Every API create
 * answers through here, so each honours the key alike (its route declares `idempotent`).
 *
 * The record's id is made here, before the write, so its Location is known before the
 * write and kept with the key's mark in the write's batch (auth/idempotency): a repeat after
 * a run that stopped between the write and its answer answers that Location with the
 * record read back, never a second record. `claimId`, the claim the answer is about: once
 * it is removed, the kept answer is emptied and a repeat answers the removal
 * (auth/idempotency): 410, as the write routes answer a removed claim, also where the
 * claim's GET is a 404 (`PUBLIC_UNREVIEWED = "hide"`). A record gone since a run that stopped
 * before keeping its answer has no body to answer: the repeat answers as the write routes
 * answer a record not there (`goneSince`), never an empty 201.
 */
export async function created(c: Context<ApiEnv>, request: { scope: string; body: unknown }, create: Create) {
	const caller = c.var.caller;
	const id = newId();
	const { location, claimId = null } = create.at(id);
	// The key stands for this exact request: path and body (a reuse with another body is a 422).
	const fingerprint = await requestFingerprint(request.body);
	const outcome = await idempotent(
		c.var.db,
		{
			userId: caller.user.id,
			key: c.req.header("Idempotency-Key"),
			scope: `${request.scope} ${fingerprint}`,
			waitUntil: (p) => c.executionCtx.waitUntil(p),
			ahead: { status: 201, location, claimId, recordId: id },
			readBack: async (recordId) => {
				const body = recordId === null ? null : await create.readBack(recordId);
				if (body !== null) return JSON.stringify(body);
				// About the claim of the record the first run wrote (a claim's create: that record).
				const about = recordId === null ? null : (create.at(recordId).claimId ?? null);
				throw await goneSince(c.var.db, about, create.what ?? "record");
			},
		},
		async (): Promise<Outcome<{ location: string; body: string }>> => {
			const result = await create.write(caller, id);
			const body = JSON.stringify(result.body);
			return {
				kind: "store",
				result: {
					status: 201,
					location,
					body: "replay" in result ? JSON.stringify(result.replay) : body,
					claimId,
				},
				value: { location, body },
			};
		},
	);
	if (outcome.replayed) {
		return c.body(outcome.result.body ?? "", outcome.result.status as 201, {
			"Content-Type": JSON_TYPE,
			"Cache-Control": "no-store",
			...(outcome.result.location ? { Location: outcome.result.location } : {}),
			"Idempotent-Replayed": "true",
		});
	}
	return c.body(outcome.value.body, 201, {
		"Content-Type": JSON_TYPE,
		"Cache-Control": "no-store",
		Location: outcome.value.location,
	});
}

/**
 * A repeat's answer when the record its first run wrote is gone since (the run stopped
 * before it kept its answer, so there is no body kept to answer): as the write routes
 * answer a record that is not there, never an empty 201. A claim merged since (the create's,
 * or the one the record is on) is a 409 `claim-merged` naming the claim kept, one removed a
 * 410 (`missingClaim`); a record gone by itself (a draft discarded, a webhook deleted) a 404.
 */
async function goneSince(db: Db, claimId: string | null, what: string): Promise<AppError> {
	if (claimId && (await claimFate(db, claimId))) return missingClaim(db, claimId);
	return notFound(what);
}
