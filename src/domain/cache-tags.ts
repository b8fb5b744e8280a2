/**
 * Names of what a public answer shows, sent as `Cache-Tag` and purged by name when a
 * write changes it (commands/events `cacheTagsToPurge`). Speakers are tagged by id, not
 * slug: a rename or a merge changes the slug, and the old slug's 301 must be purged too.
 */

/** Every answer that lists or counts several claims: home, lists, search, exports, sources, speakers list, Google API. */
export const CLAIMS_LIST_TAG = "claims-list";
/** The Atom feed of verdicts. */
export const FEED_TAG = "feed";

export const claimTag = (claimId: string): string => `claim-${claimId}`;
export const speakerTag = (speakerId: string): string => `speaker-${speakerId}`;

/** Cloudflare keeps at most about 1,000 tags of printable ASCII (no spaces, no commas) per answer. */
const MAX_TAGS = 1000;
const TAG = /^[\x21-\x2b\x2d-\x7e]{1,1024}$/;

/** The `Cache-Tag` header value: tags deduplicated, each checked (a bad one is a bug, not input). */
export function cacheTagHeader(tags: readonly string[]): string {
	const unique = [...new Set(tags)];
	for (const tag of unique) if (!TAG.test(tag)) throw new Error(`not a cache tag: ${JSON.stringify(tag)}`);
	if (unique.length > MAX_TAGS) throw new Error(`${unique.length} cache tags; at most ${MAX_TAGS}`);
	return unique.join(",");
}
