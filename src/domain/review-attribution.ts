/**
 * Whose fact-check a verdict is. The review URL decides, as Google's Fact Check Tools do
 * ("based purely on the claim review URL"): a verdict imported from a review on another
 * host is that publisher's work, and every surface credits it to them (README "Import").
 * A desk-written verdict has no review URL and is ours; so is an imported one whose review
 * lives on our own site (a newsroom importing its own archive). Pure, no I/O.
 */

/** The organisation this deployment publishes as, and the hosts that are its own. */
export interface House {
	name: string;
	/** ORG_URL. */
	url: string;
	/** Our public site's host (PUBLIC_URL's, else the request's), as Google's `publisher.site`. */
	site: string;
	/** Every host of ours (PUBLIC_URL's and ORG_URL's), as `siteOf` writes them. */
	sites: readonly string[];
}

/** Who checked a verdict, as the claim JSON, the page, Google's answer, feeds and embeds name it. */
export interface Credit {
	/** True for another publisher's review (imported); false for ours. */
	external: boolean;
	name: string;
	/** Host without `www.`: Google's `publisher.site`. */
	site: string;
	/** The publisher's home: ORG_URL for ours, the review's origin for another's. */
	url: string;
	/** The original review (http(s)) for another publisher's; null for ours. */
	reviewUrl: string | null;
}

/** The host of an http(s) URL, lower case, without a leading `www.`; null for anything else. */
export function siteOf(url: string | null | undefined): string | null {
	if (!url) return null;
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return null;
	}
	if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
	const host = parsed.hostname.toLowerCase().replace(/^www\./, "");
	return host === "" ? null : host;
}

/** Our hosts: the public site's and the organisation's (either may be missing or malformed). */
export function houseSites(
	orgUrl: string | null | undefined,
	publicUrl: string | null | undefined,
): string[] {
	return [...new Set([siteOf(publicUrl), siteOf(orgUrl)].filter((s): s is string => s !== null))];
}

/**
 * Is a verdict with this review URL another publisher's? True when the URL's host is none
 * of ours (compared without a leading `www.`). No review URL (the desk's verdicts, imports
 * from before migration 0020) is ours; so is a URL that is not http(s), which imports never
 * store (schemas/import-record accepts http(s) only) and which could name nobody.
 */
export function isExternalReview(reviewUrl: string | null | undefined, ourSites: readonly string[]): boolean {
	const site = siteOf(reviewUrl);
	return site !== null && !ourSites.includes(site);
}

/** What an imported verdict stores: the review as `URL.href` and its publisher's name (else the review's host). */
export function importedReview(
	url: string | null | undefined,
	reviewer: string | null | undefined,
): { reviewUrl: string; reviewPublisher: string } | null {
	const site = siteOf(url);
	if (!url || site === null) return null;
	return { reviewUrl: new URL(url).href, reviewPublisher: reviewer?.trim() || site };
}

/** Who checked a verdict: its review's publisher when that is another site, else us. */
export function creditFor(
	verdict: { reviewUrl: string | null; reviewPublisher: string | null },
	house: House,
): Credit {
	const site = siteOf(verdict.reviewUrl);
	if (verdict.reviewUrl && site !== null && isExternalReview(verdict.reviewUrl, house.sites)) {
		return {
			external: true,
			name: verdict.reviewPublisher?.trim() || site,
			site,
			url: new URL(verdict.reviewUrl).origin,
			reviewUrl: verdict.reviewUrl,
		};
	}
	return { external: false, name: house.name, site: house.site, url: house.url, reviewUrl: null };
}

/**
 * A `reviewPublisherSiteFilter` as a host to compare with `siteOf`'s: lower case, IDNs in
 * ASCII, no `www.`; null when it cannot be a host (it then matches nothing).
 */
export function siteFilterHost(filter: string): string | null {
	const text = filter.trim();
	if (text === "" || /[/\\?#@:\s]/.test(text)) return null;
	return siteOf(`https://${text}/`);
}

/** Does a publisher's site fall under a filter (the host itself or one of its subdomains)? */
export function siteMatches(site: string, filter: string): boolean {
	return site === filter || site.endsWith(`.${filter}`);
}
