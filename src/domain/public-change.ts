/**
 * When a claim last changed in public. One time, `claims.updated_at`, dates every public
 * "when did this change" signal of a claim: the sitemap's `<lastmod>`, ClaimReview's and
 * the DataFeed's `dateModified` and the key of the embed preview's URLs. Every write that
 * changes what the claim's answers show moves it: an edit of its words or speaker, a
 * verdict published or retracted, an appearance added or removed, its topics set, a
 * duplicate merged into it, and writes to what it names — its speaker edited or merged,
 * its topic renamed (store/public-changes). Those last ones move `updated_at` but not
 * `claims.version`: the claim itself was not edited, and a desk form open on it
 * (version-guarded) stays valid. Not the Atom entry's `<updated>`: an entry shows less than
 * the claim's answers (no topic, no speaker's description), and moves only with what it
 * shows (`claims.changed_at`, domain/atom-feed `entryUpdated`).
 */

/**
 * The claim's last public change when it came after `written` was last written (a
 * verdict's publication or retraction: both write the claim's `updated_at` too, at the
 * same instant), else null. The time a version was written, not its `publishedAt`: an
 * imported review carries its publisher's date, years before the claim came in.
 */
export function publicChangeSince(
	claim: { updatedAt: string },
	written: { updatedAt: string },
): string | null {
	return claim.updatedAt > written.updatedAt ? claim.updatedAt : null;
}
