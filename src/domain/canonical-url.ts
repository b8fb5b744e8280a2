/**
 * Canonical source URLs: one spelling per page, so that a source cited twice (once
 * from a newsletter with utm_ parameters, once with a fragment) is one source row.
 *
 * Choices, and why:
 * - Only absolute http(s) URLs: sources are web pages readers follow. Credentials
 *   (user:pass@) are refused, since storing them would publish them.
 * - `www.` is kept in the URL: www.example.com and example.com may be different
 *   sites, and rewriting a link to a host that may not answer would break it. Only
 *   `domain` (for grouping by outlet) drops it.
 * - http and https are kept apart for the same reason: not every site serves https.
 * - The fragment is dropped, except a hash route (#/… or #!…) that selects the
 *   page in a single-page app: dropping it would merge different pages into one.
 * - Tracking parameters are removed from a conservative list (below). A parameter
 *   that might select content is kept: a duplicate source row is a nuisance, while
 *   two different pages merged into one source would misattribute a claim.
 * - Hosts are ASCII (IDN → punycode), also in `domain`: that is what the WHATWG URL
 *   parser produces, and it shows look-alike domains for what they are.
 *
 * This is canonicalisation, not an SSRF guard: it refuses single-label hosts such
 * as `localhost`, but code that fetches a URL must check the resolved address.
 */
import { TRAILING_DOTS } from "./trailing-runs";

export const MAX_URL_LENGTH = 2048;

export type InvalidUrlReason =
	| "empty"
	| "too-long"
	| "malformed"
	| "relative"
	| "unsupported-scheme"
	| "credentials"
	| "invalid-host";

export class InvalidUrlError extends Error {
	override readonly name = "InvalidUrlError";
	readonly reason: InvalidUrlReason;

	constructor(reason: InvalidUrlReason, message: string) {
		super(message);
		this.reason = reason;
	}
}

/*
 * Parameters that only identify a click, campaign or recipient. Sources: Firefox's
 * query-stripping list (mc_eid, oly_anon_id, oly_enc_id, __s, vero_id, _hsenc,
 * mkt_tok, fbclid and its extended list), the analytics vendors' own documentation
 * (Google Ads/Analytics, Microsoft Ads, Meta, TikTok, LinkedIn, Yandex, Mailchimp,
 * HubSpot, Marketo, Matomo, Adobe, AT Internet, Webtrekk) and the campaign
 * parameters of news sites often cited in fact-checks (Guardian CMP, NYT smid,
 * Spiegel sara_ecid, Le Monde/France TV xtor). Compared case-insensitively.
 *
 * Deliberately absent: `ref` (GitHub selects a branch with it), `source`, `share`,
 * `s` and `t` (WordPress search, timestamps) outside the hosts listed below.
 */
const TRACKING_PARAMS = new Set([
	// Google
	"gclid",
	"gclsrc",
	"dclid",
	"gbraid",
	"wbraid",
	"gad_source",
	"srsltid",
	"_ga",
	"_gl",
	// Microsoft, Meta, X, TikTok, LinkedIn, Yandex
	"msclkid",
	"fbclid",
	"igshid",
	"igsh",
	"twclid",
	"ttclid",
	"li_fat_id",
	"yclid",
	"ysclid",
	"_openstat",
	// E-mail and marketing automation
	"mc_cid",
	"mc_eid",
	"_hsenc",
	"_hsmi",
	"__hssc",
	"__hstc",
	"__hsfp",
	"hsctatracking",
	"mkt_tok",
	"oly_anon_id",
	"oly_enc_id",
	"vero_id",
	"vero_conv",
	"wickedid",
	"__s",
	// Analytics suites
	"pk_campaign",
	"pk_kwd",
	"pk_keyword",
	"pk_source",
	"pk_medium",
	"pk_content",
	"pk_cid",
	"s_cid",
	"xtor",
	"wt_mc",
	"wt_zmc",
	"itm_source",
	"itm_medium",
	"itm_campaign",
	"spm",
	// Campaign ids of publishers and platforms
	"cmpid",
	"cmp",
	"icid",
	"ncid",
	"ocid",
	"smid",
	"smtyp",
	"sara_ecid",
	"ref_src",
	"ref_url",
]);

/* utm_source, utm_medium … (Google Analytics); mtm_… (Matomo); at_medium, at_custom1 … (AT Internet). */
const TRACKING_PATTERN = /^(?:utm_.*|mtm_.*|at_(?:medium|campaign|custom\d*|ptr_name|link_[a-z]+|format))$/;

/* Short parameter names that are tracking on these hosts only (and their subdomains). */
const HOST_TRACKING_PARAMS: readonly (readonly [hosts: readonly string[], params: ReadonlySet<string>])[] = [
	[["youtube.com", "youtu.be"], new Set(["si", "feature", "pp", "ab_channel"])],
	[["twitter.com", "x.com"], new Set(["s", "t"])],
	[["facebook.com"], new Set(["mibextid", "rdid", "sfnsn", "__tn__", "__cft__[0]"])],
	[["tiktok.com"], new Set(["_r", "_t", "is_from_webapp", "sender_device", "is_copy_url", "web_id"])],
	[["spotify.com"], new Set(["si"])],
	[["linkedin.com"], new Set(["trk", "trackingid", "lipi", "midtoken", "midsig", "trkemail", "rcm"])],
	[["reddit.com"], new Set(["share_id", "rdt"])],
];

function onHost(host: string, domain: string): boolean {
	return host === domain || host.endsWith(`.${domain}`);
}

function isTrackingParam(key: string, host: string): boolean {
	let name = key;
	try {
		name = decodeURIComponent(key.replace(/\+/g, " "));
	} catch {
		// A malformed escape cannot be one of the listed names; compare it as written.
	}
	name = name.toLowerCase();
	if (TRACKING_PARAMS.has(name) || TRACKING_PATTERN.test(name)) return true;
	return HOST_TRACKING_PARAMS.some(
		([hosts, params]) => params.has(name) && hosts.some((domain) => onHost(host, domain)),
	);
}

/*
 * RFC 3986 §6.2.2.2: escapes of unreserved characters are decoded, all others get
 * upper-case hex. Malformed escapes ("%zz") are left alone: re-encoding them could
 * change what the server receives.
 */
function normalizePercent(text: string): string {
	return text.replace(/%([0-9a-fA-F]{2})/g, (_escape, hex: string) => {
		const ch = String.fromCharCode(Number.parseInt(hex, 16));
		return /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${hex.toUpperCase()}`;
	});
}

function canonicalPath(pathname: string): string {
	const path = normalizePercent(pathname).replace(/\/{2,}/g, "/");
	return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

function canonicalQuery(search: string, host: string): string {
	const params = search
		.replace(/^\?/, "")
		.split("&")
		.filter((param) => param !== "")
		.map((param) => {
			const normalized = normalizePercent(param);
			const eq = normalized.indexOf("=");
			return { key: eq === -1 ? normalized : normalized.slice(0, eq), text: normalized };
		})
		.filter(({ key }) => !isTrackingParam(key, host));
	// Array#sort is stable, so repeated keys (a=2&a=1) keep their order, which can matter.
	params.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	return params.map((p) => p.text).join("&");
}

function canonicalFragment(hash: string): string {
	return /^#!?\/./.test(hash) || /^#!./.test(hash) ? normalizePercent(hash) : "";
}

function canonicalHost(hostname: string): string {
	// "example.com." is the same host written as a fully qualified name.
	const host = hostname.replace(TRAILING_DOTS, "");
	if (host.startsWith("[")) return host;
	if (host === "" || host.includes("..")) {
		throw new InvalidUrlError("invalid-host", "The address has no valid host name.");
	}
	if (!host.includes(".")) {
		throw new InvalidUrlError("invalid-host", "The host name must be a public domain such as example.org.");
	}
	return host;
}

/**
 * The canonical form of an http(s) URL and its domain (host without a leading
 * `www.`). Throws `InvalidUrlError` with a `reason` for anything else. Idempotent:
 * canonicalising a canonical URL returns it unchanged.
 */
export function canonicalizeUrl(input: string): { url: string; domain: string } {
	if (typeof input !== "string") throw new InvalidUrlError("malformed", "The address must be text.");
	const text = input.trim();
	if (text === "") throw new InvalidUrlError("empty", "The address is empty.");
	if (text.length > MAX_URL_LENGTH) {
		throw new InvalidUrlError("too-long", `The address is longer than ${MAX_URL_LENGTH} characters.`);
	}
	// The URL parser would silently drop tabs and newlines or encode spaces; inside a
	// pasted address they mean a broken paste (two links, a link and a word).
	if (/[\p{Cc}\s]/u.test(text)) {
		throw new InvalidUrlError("malformed", "The address contains spaces or control characters.");
	}
	const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
	if (scheme === undefined) {
		throw new InvalidUrlError("relative", "Use a full address starting with https:// or http://.");
	}
	if (scheme !== "http" && scheme !== "https") {
		throw new InvalidUrlError(
			"unsupported-scheme",
			`Only http and https addresses are allowed, not ${scheme}:.`,
		);
	}
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new InvalidUrlError("malformed", "This is not a valid web address.");
	}
	if (url.username !== "" || url.password !== "") {
		throw new InvalidUrlError("credentials", "The address must not contain a user name or password.");
	}
	const host = canonicalHost(url.hostname);
	const port = url.port === "" ? "" : `:${url.port}`;
	const query = canonicalQuery(url.search, host);
	const canonical = `${url.protocol}//${host}${port}${canonicalPath(url.pathname)}${query === "" ? "" : `?${query}`}${canonicalFragment(url.hash)}`;
	if (canonical.length > MAX_URL_LENGTH) {
		throw new InvalidUrlError("too-long", `The address is longer than ${MAX_URL_LENGTH} characters.`);
	}
	const domain = host.startsWith("www.") && host.indexOf(".", 4) !== -1 ? host.slice(4) : host;
	return { url: canonical, domain };
}

/**
 * An http(s) address as written, less its tracking parameters (those `canonicalizeUrl`
 * drops). For a link shown as it was given (an imported review: its own page, which Google's
 * answer links): the path, the order of the other parameters and their escapes stay, so a
 * trailing slash the site needs is kept, and so does the fragment, which may be the review's
 * place on the page (a roundup's `#claim-3`: readers land there, not at the top); compare
 * such links canonically, where the fragment is dropped. Unchanged, byte for byte, when there
 * is nothing to drop; throws as `new URL` does.
 */
export function withoutTracking(input: string): string {
	const url = new URL(input);
	const host = url.hostname.toLowerCase().replace(TRAILING_DOTS, "");
	const params = url.search.replace(/^\?/, "").split("&");
	const kept = params.filter((param) => param !== "" && !isTrackingParam(param.split("=")[0] ?? "", host));
	if (kept.length === params.filter((param) => param !== "").length) return input;
	url.search = kept.length === 0 ? "" : `?${kept.join("&")}`;
	return url.href;
}

/**
 * The `domain` sources on a host are stored under, from the host as a person writes it (any
 * case, Unicode or punycode, with or without `www.`, a trailing dot, an IPv6 literal in
 * brackets): what `canonicalizeUrl` makes of that host, so a filter finds every domain the
 * API shows (underscores, `www.x`, `[2001:db8::1]`). Null for anything that is no host alone
 * (a path, a port, credentials, a single label).
 */
export function domainOfHost(written: string): string | null {
	const text = written.trim();
	if (text === "" || /[/\\?#@\s]/.test(text)) return null;
	// A colon only inside an IPv6 literal: "example.org:8080" is a host and a port.
	if (text.includes(":") && !/^\[[^\]]*\]$/.test(text)) return null;
	try {
		return canonicalizeUrl(`https://${text}/`).domain;
	} catch (error) {
		if (error instanceof InvalidUrlError) return null;
		throw error;
	}
}

/** Whether `input` is an absolute http(s) URL that `canonicalizeUrl` accepts. */
export function isHttpUrl(input: unknown): boolean {
	if (typeof input !== "string") return false;
	try {
		canonicalizeUrl(input);
		return true;
	} catch (error) {
		if (error instanceof InvalidUrlError) return false;
		throw error;
	}
}
