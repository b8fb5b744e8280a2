import {
	CLAIMS_LIST_TAG,
	claimTag,
	FEED_TAG,
	speakerClaimsTag,
	speakerTag,
	topicTag,
} from "../domain/cache-tags";
import { EVERYTHING_TAG, MAX_TAGS_PER_PURGE } from "../lib/workers-caching";

/**
 * What a committed write tells the rest of the system. Commands emit these only after
 * their batch has committed; side effects (cache purges today; webhooks, snapshots and
 * notifications later) subscribe in `side-effects.ts`, never in routes. Claim events name
 * the speakers whose pages (scorecards, claim lists) the write changes.
 */
export type CommandEvent =
	| { type: "claim.created"; claimId: string; speakerIds: readonly string[] }
	| {
			type: "claim.updated";
			claimId: string;
			fields: readonly string[];
			isPublic: boolean;
			/** Before and after: a claim moved to another speaker changes both pages. */
			speakerIds: readonly string[];
	  }
	/**
	 * `renamedFrom`: the slug a rename moved the speaker from (the edit dropped the old name):
	 * partners' records name it. Absent when the slug stayed.
	 */
	| {
			type: "speaker.updated";
			speakerId: string;
			claimIds: readonly string[];
			renamedFrom?: { slug: string };
	  }
	/** `from`: the merged speaker's slug and name (its row is gone): partners' records name it. */
	| {
			type: "speaker.merged";
			speakerId: string;
			intoId: string;
			from: { slug: string; name: string };
			claimIds: readonly string[];
	  }
	/**
	 * `claimId`: the claim kept; `mergedFromId`: the duplicate, whose row is gone (its id
	 * answers 301); `isPublic`: the kept claim has a public verdict (its feed entry is updated).
	 */
	| {
			type: "claim.merged";
			claimId: string;
			mergedFromId: string;
			isPublic: boolean;
			speakerIds: readonly string[];
	  }
	/**
	 * A claim recorded by mistake left the tracker (its id answers 410), and so did the ids
	 * merged into it before (`mergedIds`; absent from events queued before it existed).
	 */
	| {
			type: "claim.removed";
			claimId: string;
			removedAt: string;
			mergedIds?: readonly string[];
			speakerIds: readonly string[];
	  }
	/** `isPublic`: the claim has a public verdict (its feed entry is updated: domain/public-change). */
	| { type: "appearance.added"; claimId: string; appearanceId: string; isPublic: boolean }
	| { type: "verdict.drafted"; claimId: string; verdictId: string; speakerIds: readonly string[] }
	| { type: "verdict.saved"; claimId: string; verdictId: string }
	| {
			type: "verdict.published";
			claimId: string;
			verdictId: string;
			correction: boolean;
			speakerIds: readonly string[];
	  }
	| { type: "verdict.retracted"; claimId: string; verdictId: string; speakerIds: readonly string[] }
	/** A draft deleted unpublished; `statusReset` when the claim went back to "unverified". */
	| {
			type: "verdict.discarded";
			claimId: string;
			verdictId: string;
			statusReset: boolean;
			speakerIds: readonly string[];
	  }
	/**
	 * `speakerIds`: the speakers of those claims, and known speakers the batch gave a new
	 * alias; `createdIds`: the claims it created (the rest kept their text); `urls`: the
	 * addresses it put on record (new appearances' sources, new verdicts' evidence).
	 */
	| {
			type: "claims.imported";
			claimIds: readonly string[];
			speakerIds: readonly string[];
			/**
			 * Known speakers the batch gave a new alias (a `speaker.updated` each: their JSON
			 * changed); absent from events queued before it existed.
			 */
			aliasedSpeakerIds?: readonly string[];
			createdIds: readonly string[];
			urls: readonly string[];
			/** Verdicts published on claims recorded before the batch (store/imports `publishedVerdicts`). */
			verdicts: readonly { claimId: string; verdictId: string; correction: boolean }[];
	  }
	/**
	 * A topic's display names changed: every claim page naming it, and the lists. `names`:
	 * which (absent from events queued before it existed: either).
	 */
	| {
			type: "tag.renamed";
			slug: string;
			claimIds: readonly string[];
			names?: readonly ("nameEn" | "nameDe")[];
	  }
	/** An attachment was made public or internal: the claim's page and JSON, and the NDJSON export (a list). */
	| {
			type: "attachment.changed";
			claimId: string;
			uploadId: string;
			/** The claim has a review: its feed entry is dated by the change (store/public-changes). */
			isPublic: boolean;
	  }
	/**
	 * The evidence archive stored a copy of an address, or Save Page Now's link to it, or a
	 * write gave a source's copy elsewhere: the claims citing it show it, and so do the lists
	 * (sources, the exports). `dated`: their last public change was dated with it (a write's
	 * link, store/snapshots `setArchivedUrlIfEmpty`), so reviewed ones' feed entries moved.
	 */
	| { type: "evidence.archived"; url: string; claimIds: readonly string[]; dated: boolean }
	/**
	 * Copies planned by a write of their own ("Archive again": store/snapshots
	 * `planCopyOfAppearance`), to be queued for the consumer. Nothing public changed yet.
	 */
	| { type: "snapshots.planned"; snapshotIds: readonly string[] }
	/**
	 * A backup was restored into this deployment (its restore ended): every public answer may
	 * have changed, and a "not found" or an empty list kept before or during it would hide
	 * what came back. Told to no webhook subscriber (a partner holds none of it yet).
	 */
	| { type: "backup.restored"; restoreId: string };

/** The claims whose public answers (page, JSON, badge, card, feeds) an event changes. */
export function publicClaimsChanged(event: CommandEvent): readonly string[] {
	switch (event.type) {
		case "claims.imported":
		case "speaker.updated":
		case "speaker.merged":
		case "tag.renamed":
		case "evidence.archived":
			return event.claimIds;
		// A draft save changes nothing public; the first draft moves the claim to "in review".
		case "verdict.saved":
			return [];
		// A draft was never public: only its claim's status ("in review" → "unverified") can change.
		case "verdict.discarded":
			return event.statusReset ? [event.claimId] : [];
		// Both: the kept claim's answers gained sources and topics, the duplicate's now redirect.
		case "claim.merged":
			return [event.claimId, event.mergedFromId];
		// All of them: `cacheTagsToPurge` purges everything.
		case "backup.restored":
			return [];
		// A copy asked for shows when it is stored (`evidence.archived`).
		case "snapshots.planned":
			return [];
		default:
			return [event.claimId];
	}
}

/** Speaker pages (scorecard, claim list) an event changes. */
function speakersChanged(event: CommandEvent): readonly string[] {
	switch (event.type) {
		case "speaker.updated":
			return [event.speakerId];
		case "speaker.merged":
			return [event.speakerId, event.intoId];
		case "appearance.added":
		case "verdict.saved":
		case "tag.renamed":
		case "attachment.changed":
		case "evidence.archived":
			return [];
		case "verdict.discarded":
			return event.statusReset ? event.speakerIds : [];
		case "backup.restored":
		case "snapshots.planned":
			return [];
		default:
			return event.speakerIds;
	}
}

/**
 * The feed lists published verdicts with their claim and speaker, each entry updated by
 * its claim's last public change that it shows (domain/atom-feed `entryUpdated`). Purged
 * on any public change of a reviewed claim all the same: one it does not show (a topic)
 * leaves its body, and so its ETag, as they were.
 */
function feedChanged(event: CommandEvent): boolean {
	switch (event.type) {
		case "verdict.published":
		case "verdict.retracted":
		case "speaker.updated":
		case "speaker.merged":
			return true;
		// A batch that only gave speakers new aliases changed no verdict and no name; a topic's
		// rename dates a public change of its claims (store/public-changes `touchClaimsOfTopic`),
		// though not their entries.
		case "claims.imported":
		case "tag.renamed":
			return event.claimIds.length > 0;
		// A write's copy elsewhere dates its source's claims (`touchClaimsOfSource`); the
		// archive's own copies date none.
		case "evidence.archived":
			return event.dated && event.claimIds.length > 0;
		case "claim.updated":
		case "appearance.added":
		case "claim.merged":
		case "attachment.changed":
			return event.isPublic;
		default:
			return false;
	}
}

/**
 * The tags naming every claim answer an event changes, where one tag covers them all: a
 * speaker's name and a topic's are shown on each of its claims (domain/cache-tags). A
 * purge holds at most 100 tags, so one tag per claim made a speaker with a hundred claims
 * purge everything. Null: the event names its claims one by one.
 */
function coveringTags(event: CommandEvent): string[] | null {
	switch (event.type) {
		case "speaker.updated":
			return [speakerClaimsTag(event.speakerId)];
		// The moved claims carried the old speaker's tag; the survivor's claims show its new aliases.
		case "speaker.merged":
			return [speakerClaimsTag(event.speakerId), speakerClaimsTag(event.intoId)];
		case "tag.renamed":
			return [topicTag(event.slug)];
		default:
			return null;
	}
}

/**
 * The cache tags (domain/cache-tags) a committed event makes stale, and only those:
 * each claim it changes (or one tag covering them), the speakers whose pages show them,
 * every list when any claim changed, and the feed when a published verdict or what it
 * names changed; after a restore, everything.
 */
export function cacheTagsToPurge(event: CommandEvent): string[] {
	const claims = publicClaimsChanged(event);
	const speakers = speakersChanged(event);
	const covering = coveringTags(event) ?? [];
	if (event.type === "backup.restored") return [EVERYTHING_TAG];
	// A renamed topic with no claims still has its own page, a list.
	if (event.type === "tag.renamed" && claims.length === 0) return [CLAIMS_LIST_TAG];
	if (claims.length === 0 && speakers.length === 0) return [];
	const rest = [...speakers.map(speakerTag), CLAIMS_LIST_TAG, ...(feedChanged(event) ? [FEED_TAG] : [])];
	// The claims by name too while they fit in one purge: a copy stored before its answers
	// carried the covering tag (the deployment that added it) is purged all the same.
	const byName = covering.length === 0 || covering.length + claims.length + rest.length <= MAX_TAGS_PER_PURGE;
	// A set, not indexOf: an import touches hundreds of claims.
	return [...new Set([...covering, ...(byName ? claims.map(claimTag) : []), ...rest])];
}
