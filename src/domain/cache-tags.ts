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
/** A speaker's own answers: its page and JSON (name, scorecard, claim list). */
export const speakerTag = (speakerId: string): string => `speaker-${speakerId}`;
/**
 * Every claim answer that names the speaker (badge, card, oEmbed, JSON, page): what a
 * speaker edit or merge makes stale, in one tag however many claims the speaker has. Not
 * `speakerTag`: a verdict on one claim changes the speaker's scorecard, not the others' badges.
 */
export const speakerClaimsTag = (speakerId: string): string => `speaker-claims-${speakerId}`;
/** Every claim answer that names the topic (slugs are `[a-z0-9-]`): what a topic's rename makes stale. */
export const topicTag = (slug: string): string => `topic-${slug}`;

/** The tags of an answer showing one claim: the claim, and the speaker and topics it names. */
export function claimAnswerTags(claim: {
	id: string;
	speakerId: string | null;
	tags: readonly { slug: string }[];
}): string[] {
	return [
		claimTag(claim.id),
		...(claim.speakerId ? [speakerClaimsTag(claim.speakerId)] : []),
		...claim.tags.map((topic) => topicTag(topic.slug)),
	];
}

/** The claim ids, speaker ids and topic slugs a purge's tags name (for layers that purge by claim). */
export function parseTags(tags: readonly string[]) {
	const named = { claimIds: [] as string[], speakerIds: [] as string[], topics: [] as string[] };
	for (const tag of tags) {
		if (tag.startsWith("claim-")) named.claimIds.push(tag.slice("claim-".length));
		else if (tag.startsWith("speaker-claims-")) named.speakerIds.push(tag.slice("speaker-claims-".length));
		else if (tag.startsWith("topic-")) named.topics.push(tag.slice("topic-".length));
	}
	return named;
}

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
