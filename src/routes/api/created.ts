import type { Context } from "hono";
import type { ApiCaller, ApiEnv } from "../../auth/api-tokens";
import { idempotent, type Outcome, requestFingerprint } from "../../auth/idempotency";

const JSON_TYPE = "application/json; charset=utf-8";

/**
 * A create through the API: 201 with Location; with an `Idempotency-Key`, a repeat gets the
 * first answer (`Idempotent-Replayed: true`) instead of a second record. Every API create
 * answers through here, so each honours the key alike (its route declares `idempotent`).
 *
 * `write` answers the body of the first answer and, when a repeat must not see all of it
 * (a secret shown once), `replay`: what the idempotency table keeps and a repeat gets; and
 * `claimId`, the claim the answer is about: once it is removed, the kept answer is emptied
 * and a repeat answers the removal (auth/idempotency): 410, as the write routes answer a
 * removed claim, also where the claim's GET is a 404 (`PUBLIC_UNREVIEWED = "hide"`).
 */
export async function created(
	c: Context<ApiEnv>,
	request: { scope: string; body: unknown },
	write: (
		caller: ApiCaller,
	) => Promise<{ location: string; body: unknown; replay?: unknown; claimId?: string }>,
) {
	const caller = c.var.caller;
	// The key stands for this exact request: path and body (a reuse with another body is a 422).
	const fingerprint = await requestFingerprint(request.body);
	const outcome = await idempotent(
		c.var.db,
		{
			userId: caller.user.id,
			key: c.req.header("Idempotency-Key"),
			scope: `${request.scope} ${fingerprint}`,
			waitUntil: (p) => c.executionCtx.waitUntil(p),
		},
		async (): Promise<Outcome<{ location: string; body: string }>> => {
			const result = await write(caller);
			const body = JSON.stringify(result.body);
			return {
				kind: "store",
				result: {
					status: 201,
					location: result.location,
					body: "replay" in result ? JSON.stringify(result.replay) : body,
					claimId: result.claimId ?? null,
				},
				value: { location: result.location, body },
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
