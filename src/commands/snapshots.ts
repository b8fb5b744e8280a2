import { claimTag } from "../domain/cache-tags";
import type { Db } from "../factory";
import { conflict, notFound } from "../lib/errors";
import { isFetchableUrl } from "../reader/safe-fetch";
import { SYSTEM, writeAudit } from "../store/batch";
import { speakerIdsOfClaims } from "../store/claims";
import { missingClaim } from "../store/retired-claims";
import {
	appearanceOfClaim,
	evidenceOfClaim,
	failUnqueuedSnapshots,
	planCopyOfAppearance,
	planCopyOfEvidence,
	planSnapshots,
	unarchivedReviewedSources,
	unarchivedSourcesOfReviewed,
	urlOfAppearance,
	urlsOfClaims,
	urlsOfVerdict,
} from "../store/snapshots";
import type { CommandContext } from "./context";
import { type CommandEvent, cacheTagsToPurge } from "./events";

/**
 * The queue snapshot messages go to (binding SNAPSHOT_QUEUE). It also carries the second
 * purge of a verdict's answers (`purgeAgain`), which its consumer merges into the one
 * purge of each batch.
 */
interface SnapshotQueue {
	sendBatch(messages: { body: { snapshotId: string } | { archiveOrgFor: string } }[]): Promise<unknown>;
	send(body: { purgeAgain: string[] }, options: { delaySeconds: number }): Promise<unknown>;
}

/**
 * How long after a verdict's publication, correction or retraction its answers are purged
 * a second time. A cache miss that read the claim just before the write committed can
 * store its answer just after the first purge, at the edge for its whole lifetime (10
 * minutes): the second purge ends that. 30 s is far beyond the time a read takes.
 */
export const SETTLING_PURGE_SECONDS = 30;

export interface SnapshotOutbox {
	db: Db;
	queue: SnapshotQueue;
	now: () => number;
	/**
	 * ARCHIVE_ORG_SAVE with PUBLIC_UNREVIEWED = "hide": Save Page Now waits for a claim's
	 * first publication (its captures are public), which then asks for the claim's sources.
	 */
	archiveOrgOnReview?: boolean;
}

/** Queues send at most 100 messages per batch. */
const QUEUE_BATCH = 100;

/** The addresses an event puts on record: sources of new claims and appearances, evidence of published verdicts. */
function urlsOf(db: Db, event: CommandEvent): Promise<string[]> {
	switch (event.type) {
		case "claim.created":
			return urlsOfClaims(db, [event.claimId]);
		// What the batch added, not every address of a claim it touched.
		case "claims.imported":
			return Promise.resolve([...event.urls]);
		case "appearance.added":
			return urlOfAppearance(db, event.appearanceId);
		case "verdict.published":
			return urlsOfVerdict(db, event.verdictId);
		default:
			return Promise.resolve([]);
	}
}

/**
 * After a write commits: a pending snapshot for every address it recorded that has no
 * copy from the last 24 hours, fetched by the queue consumer (queues/snapshot-archive).
 * A batch the queue refuses (down, or not created yet on a first deployment) is logged and
 * its rows failed as not queued (`failUnqueuedSnapshots`): pending, nothing would ever
 * fetch them, the desk said "Archiving…" for good, and the address got no new copy for 24
 * hours. Failed so, the next citation plans anew; rows the request's end cuts off before
 * their send are the daily cron's (`failStrandedSnapshots`).
 */
export async function requestSnapshots(outbox: SnapshotOutbox, event: CommandEvent): Promise<void> {
	// Planned by the write itself ("Archive again"), whose answer said whether it was.
	if (event.type === "snapshots.planned") return queuePlanned(outbox, event.snapshotIds);
	const urls = await urlsOf(outbox.db, event);
	if (urls.length === 0) return;
	const planned = await planSnapshots(outbox.db, urls, outbox.now());
	await queuePlanned(
		outbox,
		planned.map((row) => row.id),
	);
}

/**
 * Sends planned copies to the queue; a batch it refuses is logged and its rows failed as not
 * queued. Each part on its own: a part refused, or whose failure could not be recorded, does
 * not keep the later parts of the same write from being sent.
 */
async function queuePlanned(outbox: SnapshotOutbox, ids: readonly string[]): Promise<void> {
	for (let i = 0; i < ids.length; i += QUEUE_BATCH) {
		const part = ids.slice(i, i + QUEUE_BATCH);
		try {
			await outbox.queue.sendBatch(part.map((id) => ({ body: { snapshotId: id } })));
		} catch (error) {
			console.error(
				JSON.stringify({ event: "snapshot-queue-failed", copies: part.length, error: String(error) }),
			);
			await recordUnqueued(outbox, part);
		}
	}
}

/**
 * Fails a refused part's rows as not queued. Should that write fail too, it is logged and the
 * rows stay pending until the daily cron fails them as stranded (`failStrandedSnapshots`).
 */
async function recordUnqueued(outbox: SnapshotOutbox, ids: string[]): Promise<void> {
	try {
		await failUnqueuedSnapshots(outbox.db, ids, new Date(outbox.now()).toISOString());
	} catch (error) {
		console.error(
			JSON.stringify({ event: "snapshot-unqueued-unrecorded", copies: ids.length, error: String(error) }),
		);
	}
}

/**
 * "Archive again" (the desk's button, the write API's route) on an appearance whose copy
 * failed with no try due: a new copy of its source, planned and audited in one batch, then
 * queued as any citation's is. Refused (409 `archive-not-due`) while the address has a copy
 * from the last 24 hours, one being fetched or a retry due (the 24-hour rule of citations),
 * and when its newest try did not fail (nothing to do again).
 */
export async function archiveAgain(
	cmd: CommandContext,
	claimId: string,
	appearanceId: string,
): Promise<{ id: string; url: string }> {
	const planned = await planCopyOfAppearance(cmd.db, cmd.actor, claimId, appearanceId, Date.now());
	if (!planned) {
		const found = await appearanceOfClaim(cmd.db, claimId, appearanceId);
		// Merged (409 naming the claim kept) or removed (410), as every write to a claim says.
		if (found === "no-claim") throw await missingClaim(cmd.db, claimId);
		if (found === "no-appearance") throw notFound("appearance");
		throw notDue();
	}
	cmd.effects.emit({ type: "snapshots.planned", snapshotIds: [planned.id] });
	return planned;
}

/**
 * "Archive again" on a verdict's evidence (the desk's button beside the link, the write
 * API's route): as `archiveAgain`, for an address a published, superseded or retracted
 * verdict of the claim cites as evidence. Its copy is the only one a reader has once the
 * report is gone, and the claim cannot cite it again without a new verdict. 404 when no
 * public verdict of the claim cites the address; 409 `archive-not-due` as `archiveAgain`.
 */
export async function archiveEvidenceAgain(
	cmd: CommandContext,
	claimId: string,
	url: string,
): Promise<{ id: string; url: string }> {
	const planned = await planCopyOfEvidence(cmd.db, cmd.actor, claimId, url, Date.now());
	if (!planned) {
		const found = await evidenceOfClaim(cmd.db, claimId, url);
		if (found === "no-claim") throw await missingClaim(cmd.db, claimId);
		if (found === "no-evidence") throw notFound("evidence link on this claim's published verdicts");
		throw notDue();
	}
	cmd.effects.emit({ type: "snapshots.planned", snapshotIds: [planned.id] });
	return planned;
}

const notDue = () =>
	conflict(
		"This address has no failed copy to archive again: it has a copy from the last 24 hours, one being fetched or a retry due, or its newest try did not fail.",
		"archive-not-due",
	);

/** Claims an event published a first verdict of (hide mode: their sources are public now). */
function firstPublications(event: CommandEvent): string[] {
	if (event.type === "verdict.published") return event.correction ? [] : [event.claimId];
	if (event.type === "claims.imported")
		return event.verdicts.filter((v) => !v.correction).map((v) => v.claimId);
	return [];
}

/**
 * The sources a reviewed claim gained without being published again: a duplicate merged
 * into it (its sources came from an unreviewed claim, for which Save Page Now waited) and
 * an appearance added to it, by the desk or by an import (at an address an unreviewed claim
 * recorded within 24 hours no new copy is fetched, so the consumer would not ask). Only
 * those without an archive URL.
 */
function sourcesNowReviewed(db: Db, event: CommandEvent): Promise<string[]> {
	if (event.type === "claim.merged" && event.isPublic) return unarchivedSourcesOfReviewed(db, event.claimId);
	if (event.type === "appearance.added" && event.isPublic)
		return unarchivedSourcesOfReviewed(db, event.claimId, event.appearanceId);
	if (event.type === "claims.imported") return unarchivedReviewedSources(db, event.urls);
	return Promise.resolve([]);
}

/**
 * Hide mode with Save Page Now on: a claim's first publication asks Save Page Now for its
 * sources, which the consumer skipped while the claim was unpublished (queues/snapshot-archive),
 * and so do a merge into a reviewed claim and an appearance added to one (`sourcesNowReviewed`).
 * An address asked for twice (a new copy's fetch asks too) is harmless: the consumer asks
 * only for a source still without an archive URL. A batch the queue refuses is logged
 * (`archive-org-queue-failed`) and audited `source.archive-failed` per address, as the
 * consumer records Save Page Now's own failures: nothing asks again, and it must not vanish.
 * A refused part whose audit cannot be written is logged, and the later parts are still sent.
 */
export async function requestDeferredArchiveOrg(outbox: SnapshotOutbox, event: CommandEvent): Promise<void> {
	if (!outbox.archiveOrgOnReview) return;
	const claimIds = firstPublications(event);
	// An import both publishes claims and adds appearances to reviewed ones: each asks.
	const [published, gained] = await Promise.all([
		claimIds.length > 0 ? urlsOfClaims(outbox.db, claimIds) : [],
		sourcesNowReviewed(outbox.db, event),
	]);
	// Only addresses our fetcher may reach (the consumer checks again): a private one, whose
	// copy was refused for good, is not handed to the Internet Archive.
	const urls = [...new Set([...published, ...gained])].filter((url) => isFetchableUrl(url, false));
	if (urls.length === 0) return;
	for (let i = 0; i < urls.length; i += QUEUE_BATCH) {
		const part = urls.slice(i, i + QUEUE_BATCH);
		try {
			await outbox.queue.sendBatch(part.map((url) => ({ body: { archiveOrgFor: url } })));
		} catch (error) {
			console.error(
				JSON.stringify({ event: "archive-org-queue-failed", sources: part.length, error: String(error) }),
			);
			await recordArchiveOrgUnqueued(outbox, part, error);
		}
	}
}

/**
 * Audits a refused part's addresses `source.archive-failed`. Should that write fail too, it
 * is logged (the request is lost but not unseen) and the later parts are still sent, as a
 * refused part of copies whose failure cannot be written (`recordUnqueued`).
 */
async function recordArchiveOrgUnqueued(
	outbox: SnapshotOutbox,
	urls: string[],
	refusal: unknown,
): Promise<void> {
	try {
		await writeAudit(
			outbox.db,
			SYSTEM("archive"),
			urls.map((url) => ({
				action: "source.archive-failed",
				entity: "snapshot",
				entityId: url.slice(0, 200),
				changes: { error: `Save Page Now could not be queued: ${String(refusal)}`.slice(0, 300) },
			})),
		);
	} catch (error) {
		console.error(
			JSON.stringify({ event: "archive-org-failure-unrecorded", sources: urls.length, error: String(error) }),
		);
	}
}

/**
 * Writes whose old answers must not outlive the purge's race (README, "Caching"): a
 * rating's change, and what takes something public away or changes a checked claim's
 * words — a removal (a claim recorded by mistake, perhaps naming a private person), a
 * merge (the duplicate's answers say 301 now), an edit of a public claim (its text, an
 * appearance withdrawn), and a wrong name (a speaker's or a topic's rename or merge, on
 * every claim that shows it). Edits of unpublished claims change answers no partner
 * relies on, and leave the purge rate limit's budget to these.
 */
function settles(event: CommandEvent): boolean {
	switch (event.type) {
		case "verdict.published":
		case "verdict.retracted":
		case "claim.removed":
		case "claim.merged":
		case "speaker.updated":
		case "speaker.merged":
		case "tag.renamed":
			return true;
		case "claim.updated":
			// A speaker moved takes a name off public pages (store/public-claims
			// `speakerHasPublicClaim`), public claim or not: the race a second purge closes.
			return event.isPublic || event.fields.includes("speaker");
		default:
			return false;
	}
}

/**
 * The tags of a second purge: the first purge's, but a rename's or a merge's claims by
 * their covering tag alone (`speaker-claims-<id>`, `topic-<slug>`). Naming them one by one
 * is for copies stored before answers carried that tag, long gone 30 s later; a short
 * message leaves the consumer's merged purge of a batch room below 100 tags.
 */
function settlingTags(event: CommandEvent): string[] {
	const tags = cacheTagsToPurge(event);
	if (event.type !== "speaker.updated" && event.type !== "speaker.merged" && event.type !== "tag.renamed")
		return tags;
	const byName = new Set(event.claimIds.map(claimTag));
	return tags.filter((tag) => !byName.has(tag));
}

/** The second purge of a rating's change, a removal, a merge, a public claim's edit or a rename, queued for later. */
export async function requestSettlingPurge(outbox: SnapshotOutbox, event: CommandEvent): Promise<void> {
	let tags: string[];
	if (settles(event)) tags = settlingTags(event);
	else if (event.type === "claims.imported" && event.verdicts.length > 0) {
		// Only the claims it re-rated and their speakers, not the whole batch's (past 100 tags, a
		// purge of everything).
		const claimIds = event.verdicts.map((verdict) => verdict.claimId);
		tags = cacheTagsToPurge({
			...event,
			claimIds,
			speakerIds: await speakerIdsOfClaims(outbox.db, claimIds),
			createdIds: [],
			urls: [],
		});
	} else return;
	if (tags.length === 0) return;
	await outbox.queue.send({ purgeAgain: tags }, { delaySeconds: SETTLING_PURGE_SECONDS });
}
