/**
 * When two topic names are one: the desk's topics field finds a topic by its name in either
 * language, and a topic may not take another's name.
 */

/**
 * The one form topic names are compared in. Two names are one topic's exactly when their keys
 * are equal: `sameTopicName` says so, and the store's lookups (store/collaboration) find by it,
 * so what one calls equal the other finds (they disagreed: the lookup's LIKE patterns, one `_`
 * per character, missed "Ukraine Krieg" with a no-break space, "ﬁnanzen" with a ligature, and
 * a rename refused a name that a claim's topics then created again).
 * - NFKC: composed and decomposed "ä" are one, and so are the compatibility forms of letters,
 *   digits and spaces ("ﬁ" is "fi", a full-width "Ａ" is "A", a no-break space is a space).
 * - Default-ignorable code points are dropped: they show nothing (a soft hyphen, zero-width
 *   joiners, bidi marks, the variation selector that makes "✔️" of "✔").
 * - Any run of white space is one space, and none is at either end.
 * - Lower case without a locale, not case folding: "I" is "i" on every desk (no Turkish rule),
 *   "İ" keeps its dot ("i̇", like an accent: "Wahl" is not "Wähl"), "ẞ" is "ß" but "ß" is not
 *   "ss" ("Maße" and "Masse" are two words). The final "ς" is "σ", which case folding does too:
 *   lower-casing writes either by the letters around it.
 * NFKC again last: lower-casing and dropping can leave text that is not normalized ("e", a
 * dropped grapheme joiner, then an accent). The key of a key is itself.
 */
export function topicNameKey(name: string): string {
	return name
		.normalize("NFKC")
		.replace(/\p{Default_Ignorable_Code_Point}/gu, "")
		.toLowerCase()
		.replace(/ς/gu, "σ")
		.normalize("NFKC")
		.replace(/\p{White_Space}+/gu, " ")
		.trim();
}

/**
 * Whether two names are one topic's, by `topicNameKey`: without case, not without accents
 * ("Wahl" is not "Wähl", "ärzte" is "Ärzte").
 */
export const sameTopicName = (a: string, b: string) => topicNameKey(a) === topicNameKey(b);

/** Printable ASCII words, one space apart. */
const PLAIN = /^[!-~]+(?: [!-~]+)*$/;

/**
 * Whether a name is plain (printable ASCII words one space apart), the one kind SQL can
 * compare: a plain name's key is its ASCII lower case (NFKC leaves ASCII as it is, and none
 * of it is ignorable or another space), which SQLite's `lower()` computes with or without
 * ICU. So a plain name is one with a plain name exactly when `lower()` makes them equal; a
 * name that is not plain may be one with anything. SQL can only narrow what it reads by a
 * name when the name is plain, and must keep every topic whose own name is not.
 */
export const isPlainTopicName = (name: string) => PLAIN.test(name);

/** A topic as the topics form names it: its slug (which a rename keeps), its name in the desk's language. */
export interface NamedTopic {
	slug: string;
	name: string;
}

/**
 * The topics a form was loaded with: its names (`was.tags`) with its slugs (`was.slugs`), in
 * the same order. A form without the slugs, or with another count (loaded before they were
 * sent, or made by hand), finds each name among the topics now, as the form did before; a
 * name found nowhere was a topic removed or renamed meanwhile.
 */
export function loadedTopics(
	names: readonly string[],
	slugs: readonly string[] | undefined,
	current: readonly NamedTopic[],
): NamedTopic[] {
	if (slugs && slugs.length === names.length) return names.map((name, i) => ({ slug: slugs[i] ?? "", name }));
	return names.map((name) => ({
		// No slug is empty: an unknown name matches no topic now.
		slug: current.find((topic) => sameTopicName(topic.name, name))?.slug ?? "",
		name,
	}));
}

/**
 * A claim's topics field after a colleague saved the claim first (its save refused, 409):
 * the topics saved now (`current`), less those this user removed from what their form was
 * loaded with (`loaded`), with those they added (`sent` less `loaded`), each once; and what
 * the colleague changed meanwhile, to name. Sending the field as it stood replaced the
 * topics with this user's list, dropping a colleague's topic unseen.
 * What the user changed is by name (they edit names); which topic that is, and what the
 * colleague changed, by slug: a topic renamed meanwhile keeps its slug, so by name it came
 * back after the user removed it and was named as the colleague's removal and addition.
 * The colleague's changes are named as the form shows them: an addition by its name now, a
 * removal by the name it was loaded with.
 */
export function mergeTopicLists(
	loaded: readonly NamedTopic[],
	sent: readonly string[],
	current: readonly NamedTopic[],
): { topics: string[]; addedMeanwhile: string[]; removedMeanwhile: string[] } {
	const keys = (names: readonly string[]) => new Set(names.map(topicNameKey));
	const [loadedNames, kept] = [keys(loaded.map((topic) => topic.name)), keys(sent)];
	const removedByMe = new Set(
		loaded.filter((topic) => !kept.has(topicNameKey(topic.name))).map((topic) => topic.slug),
	);
	const [wasThere, now] = [
		new Set(loaded.map((topic) => topic.slug)),
		new Set(current.map((topic) => topic.slug)),
	];
	const seen = new Set<string>();
	const topics = [
		...current.filter((topic) => !removedByMe.has(topic.slug)).map((topic) => topic.name),
		...sent.filter((name) => !loadedNames.has(topicNameKey(name))),
	].filter((name) => {
		const key = topicNameKey(name);
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
	return {
		topics,
		addedMeanwhile: current.filter((topic) => !wasThere.has(topic.slug)).map((topic) => topic.name),
		removedMeanwhile: loaded.filter((topic) => !now.has(topic.slug)).map((topic) => topic.name),
	};
}
