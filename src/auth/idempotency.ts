import { createMiddleware } from "hono/factory";
import { sha256Hex } from "../domain/ids";
import type { AppEnv, Db } from "../factory";
import { logBackgroundFailure } from "../lib/background-work";
import { AppError, conflict } from "../lib/errors";
import {
	armIdempotencyMark,
	claimIdempotencyKey,
	completeIdempotencyKey,
	forgetAnswer,
	getIdempotencyRecord,
	type IdempotencyRecord,
	markingDb,
	purgeOldIdempotencyKeys,
	releaseIdempotencyKey,
	type WrittenAnswer,
} from "../store/idempotency";
import { claimFate, missingClaim } from "../store/retired-claims";

/**
 * Double-submit protection. Every desk form carries a random key (and API clients may
 * send `Idempotency-Key`). The first request with a key claims it, writes, and stores
 * where the result lives; a repeat (double click, reload, client retry) gets that
 * result instead of a second record. The write's own batch marks the key written, with the
 * answer as known before the write (`ahead`), so a first request whose run stopped after
 * its write and before it kept its answer is still answered, never made again. A request
 * that fails without writing frees its key, so correcting the form and sending it again works.
 */

export type { WrittenAnswer } from "../store/idempotency";

/**
 * Every request that may write gets the Db that marks an Idempotency-Key written in the
 * write's own batch (store/idempotency `markingDb`). Before the routes, so a token's guard
 * (auth/api-tokens) wraps it: the key's mark joins the guarded batch.
 */
export const idempotencyMarks = createMiddleware<AppEnv>(async (c, next) => {
	if (c.req.method !== "GET" && c.req.method !== "HEAD") c.set("db", markingDb(c.var.db));
	await next();
});

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * What a key stands for besides its path: the request's body as validated, as JSON with
 * every object's keys sorted. The raw text would make the same request with its keys in
 * another order, or with a field validation drops, a 422 `idempotency-key-reused` (a
 * client re-serialising its retry is not asking for something else).
 */
export function requestFingerprint(validated: unknown): Promise<string> {
	return sha256Hex(JSON.stringify(sortedKeys(validated)) ?? "");
}

function sortedKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortedKeys);
	if (value === null || typeof value !== "object") return value;
	const proto = Object.getPrototypeOf(value);
	// A Date and the like keep their own JSON form (toJSON).
	if (proto !== Object.prototype && proto !== null) return value;
	return Object.fromEntries(
		Object.entries(value)
			.filter(([, field]) => field !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
			.map(([name, field]) => [name, sortedKeys(field)]),
	);
}

interface StoredResult {
	status: number;
	location: string | null;
	body: string | null;
	/** The claim the answer is about (an API create's): its removal empties the answer. */
	claimId?: string | null;
}

/** `store` results are remembered for repeats; `pass` (re-shown forms, offers) frees the key. */
export type Outcome<R> = { kind: "store"; result: StoredResult; value: R } | { kind: "pass"; value: R };

export type Idempotent<R> = { replayed: false; value: R } | { replayed: true; result: StoredResult };

const WAIT_STEPS_MS = [50, 100, 200, 300, 500, 800, 1000];
/**
 * How long a repeat waits for the exact answer of a first request whose write is marked
 * already: the record is there, and a run that stopped will never complete the key.
 */
const WRITTEN_WAIT_MS = 600;

export async function idempotent<R>(
	db: Db,
	options: {
		userId: string;
		key: string | null | undefined;
		scope: string;
		waitUntil?: (p: Promise<unknown>) => void;
		/**
		 * The answer as known before the write (ids made first): the write's batch keeps it
		 * with the key's mark, and a repeat gets it when the first run stopped after writing,
		 * before it kept its answer. The stored result replaces it once the run finishes.
		 */
		ahead: WrittenAnswer;
		/** That repeat's body, read back by the record's id (`ahead.recordId`); none: no body. */
		readBack?: (recordId: string | null) => Promise<string | null>;
	},
	run: () => Promise<Outcome<R>>,
): Promise<Idempotent<R>> {
	const key = options.key?.trim();
	if (!key) return { replayed: false, value: (await run()).value };
	if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
		throw new AppError(422, "Idempotency-Key: use 16 to 128 letters, digits, - or _.", {
			errors: [{ path: "Idempotency-Key", message: "Use 16 to 128 letters, digits, - or _." }],
		});
	}
	const id = await sha256Hex(`${options.userId}\u0000${key}`);
	const claim = await claimIdempotencyKey(db, { id, userId: options.userId, scope: options.scope });
	if (!claim.claimed) {
		const result = await settled(db, id, claim.record, options);
		return { replayed: true, result };
	}
	options.waitUntil?.(purgeOldIdempotencyKeys(db).catch(logBackgroundFailure("idempotency-sweep-failed")));
	let outcome: Outcome<R>;
	armIdempotencyMark(db, { id, createdAt: claim.createdAt, answer: options.ahead });
	try {
		outcome = await run();
	} catch (error) {
		// Frees the key only if the run wrote nothing, and only this request's claim (store/idempotency).
		await releaseIdempotencyKey(db, id, claim.createdAt);
		throw error;
	} finally {
		armIdempotencyMark(db, null);
	}
	if (outcome.kind === "pass") {
		await releaseIdempotencyKey(db, id, claim.createdAt);
		return { replayed: false, value: outcome.value };
	}
	await completeIdempotencyKey(db, id, outcome.result);
	return { replayed: false, value: outcome.value };
}

/**
 * The first request's result; waits a little while it is still running. One whose write
 * landed but whose answer was never kept (its run stopped in between) answers from the
 * key's mark: the status and Location known before the write, the body read back. A request
 * for something else (another path or body) is judged by the key as it is after the wait.
 */
async function settled(
	db: Db,
	id: string,
	first: IdempotencyRecord,
	options: { scope: string; readBack?: (recordId: string | null) => Promise<string | null> },
): Promise<StoredResult> {
	let record: IdempotencyRecord | undefined = first;
	let waited = 0;
	for (const ms of WAIT_STEPS_MS) {
		if (!record || record.state === "done") break;
		if (record.writtenAt !== null && (record.scope !== options.scope || waited >= WRITTEN_WAIT_MS)) break;
		await new Promise((resolve) => setTimeout(resolve, ms));
		waited += ms;
		record = await getIdempotencyRecord(db, id);
	}
	const written = record?.state === "done" || (record?.writtenAt ?? null) !== null;
	if (record && record.scope !== options.scope) {
		// Same key, another path or another body: per the IETF Idempotency-Key draft a 422,
		// never the first request's answer for a request that asked for something else. Only
		// once the first wrote: its 422 says (the desk's page too) that the first was saved.
		// Before, the first may still be running, or have stopped and be taken over once stale.
		if (!written) throw pending();
		throw new AppError(422, "Idempotency-Key: this key was used for a different request (path or body).", {
			code: "idempotency-key-reused",
			errors: [
				{ path: "Idempotency-Key", message: "This key was used for a different request (path or body)." },
			],
		});
	}
	if (record && written && record.claimId) await refuseRemovedClaim(db, id, record.claimId);
	if (record?.state === "done" && record.status !== null) {
		return { status: record.status, location: record.location, body: record.body };
	}
	if (record && written && record.status !== null) {
		const body = options.readBack ? await options.readBack(record.writtenId) : null;
		return { status: record.status, location: record.location, body };
	}
	if (!record) {
		// The first request failed and freed the key meanwhile: nothing was written.
		throw conflict("The first submission of this form failed; send it again.", "idempotency-retry");
	}
	throw pending();
}

const pending = () =>
	conflict("This form is still being saved. Reload the page in a moment.", "idempotency-pending");

/**
 * A repeat of a request whose claim was removed since answers the removal (410
 * `claim-removed`, as the write routes answer a removed claim: with `PUBLIC_UNREVIEWED =
 * "hide"` too, where its GET is a 404, since the repeat comes from the token that recorded
 * it), never the first answer: that held the claim's words, and its 201 would say the
 * claim is there. The removal emptied the answer already;
 * one completed as the removal committed is emptied now. A merged claim's answer stays as
 * it was: it describes a real claim, whose address leads to the claim kept.
 */
async function refuseRemovedClaim(db: Db, id: string, claimId: string): Promise<void> {
	const fate = await claimFate(db, claimId);
	if (!fate || !("removedAt" in fate)) return;
	await forgetAnswer(db, id);
	throw await missingClaim(db, claimId);
}
