/**
 * A removed appearance as its `claim_changes` row keeps it (`field` "appearance"): the
 * source's title and address in one readable value, `Title (https://…)`, or the address
 * alone for a source without a title. The source row itself stays (other claims, the
 * evidence archive); the change names what the claim no longer links to.
 */
export function removedAppearanceValue(source: { title: string | null; url: string }): string {
	const title = source.title?.replace(/\s+/g, " ").trim();
	return title ? `${title} (${source.url})` : source.url;
}

/*
 * The address is the last parenthesised part: a stored URL has no white space (the
 * canonical form encodes it), so a title's own brackets never end the match.
 */
const VALUE = /^(.*) \((\S+)\)$/s;

/**
 * The source address a removed appearance's value names (the canonical URL the source row
 * keeps): an import does not add what the desk removed again (store/imports).
 */
export function removedAppearanceUrl(value: string | null): string | null {
	if (!value) return null;
	return VALUE.exec(value)?.[2] ?? value;
}

/** The title and the host (without `www.`) of a removed appearance's value. */
function readRemovedAppearance(value: string | null): { title: string | null; host: string | null } {
	if (!value) return { title: null, host: null };
	const match = VALUE.exec(value);
	const url = match?.[2] ?? value;
	const title = match?.[1] ?? null;
	try {
		return { title, host: new URL(url).hostname.replace(/^www\./, "") };
	} catch {
		// Not an address: the value is all the reader gets.
		return { title: title ?? value, host: null };
	}
}

/**
 * "Title (host)": what a reader is told was removed, after the label of their language
 * ("Appearance removed:", views/i18n `changedAppearance`; the feed's own words).
 */
export function removedAppearanceText(value: string | null): string {
	const { title, host } = readRemovedAppearance(value);
	return title && host ? `${title} (${host})` : (title ?? host ?? "–");
}
