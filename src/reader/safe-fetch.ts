/**
 * Fetching a news page for the article reader, safely: an editor pastes any URL,
 * and the Worker must neither be turned against internal services (SSRF) nor tied
 * up by a slow, huge or binary response.
 *
 * - Only http(s), no credentials in the URL.
 * - Hosts that are private, loopback, link-local, CGNAT, unique-local or otherwise
 *   reserved IP literals (also IPv4-mapped IPv6), and names such as `localhost`,
 *   `*.local` and `*.internal`, are refused. `allowLoopback` (local development,
 *   `ALLOW_LOOPBACK_OUTBOUND`) admits loopback alone — 127.0.0.0/8, ::1 and
 *   `localhost` — never the other private ranges. The WHATWG URL parser has already
 *   turned `http://2130706433/`, `http://0x7f.1/` and `http://017700000001/` into
 *   `127.0.0.1`, so only the dotted form needs checking.
 * - Redirects are followed by hand (`redirect: "manual"`), a bounded number of
 *   times, and every hop is checked again: a public page that redirects to
 *   `http://127.0.0.1/` is refused like the address itself.
 * - DNS rebinding (a public name that resolves to a private address) cannot be
 *   checked here: a Worker cannot resolve names. It is mitigated by the platform:
 *   on Cloudflare Workers, `fetch()` goes out through Cloudflare's edge and cannot
 *   reach private networks or the Worker's own host. Under `wrangler dev` it can,
 *   which is one reason `allowLoopback` must stay a development setting.
 * - One deadline covers all hops and the body; the size cap is enforced while
 *   streaming, so a body without Content-Length is cut at `maxBytes`.
 * - The charset comes from a byte-order mark, the Content-Type header or a
 *   `<meta charset>` in the first bytes, as browsers do; undeclared bytes that are
 *   not UTF-8 are read as windows-1252 (the web's legacy default).
 */

import { TRAILING_DOTS } from "../domain/trailing-runs";
import { formatSize } from "../domain/typography";
import { AppError } from "../lib/errors";

export type ArticleFetchErrorCode =
	| "invalid-url"
	| "private-address"
	| "timeout"
	| "too-large"
	| "not-html"
	| "http-error"
	| "unreachable"
	| "too-many-redirects"
	| "binary"
	| "empty";

/* The problem is the URL the user gave (422), the upstream site (502), or its slowness (504). */
const STATUS: Record<ArticleFetchErrorCode, 422 | 502 | 504> = {
	"invalid-url": 422,
	"private-address": 422,
	timeout: 504,
	"too-large": 502,
	"not-html": 502,
	"http-error": 502,
	unreachable: 502,
	"too-many-redirects": 502,
	binary: 502,
	empty: 502,
};

const TITLES: Record<422 | 502 | 504, string> = {
	422: "Address not allowed",
	502: "Page could not be read",
	504: "Page took too long",
};

export class ArticleFetchError extends AppError {
	override readonly code: ArticleFetchErrorCode;
	/** The upstream HTTP status for "http-error". */
	readonly upstreamStatus: number | undefined;

	constructor(
		code: ArticleFetchErrorCode,
		message: string,
		options: { upstreamStatus?: number; cause?: unknown } = {},
	) {
		const status = STATUS[code];
		super(status, message, {
			title: TITLES[status],
			code,
			...(options.upstreamStatus === undefined ? {} : { extra: { upstreamStatus: options.upstreamStatus } }),
		});
		this.name = "ArticleFetchError";
		this.code = code;
		this.upstreamStatus = options.upstreamStatus;
		if (options.cause !== undefined) this.cause = options.cause;
	}
}

export interface FetchArticleOptions {
	/** Defaults to the global `fetch`; tests pass one that serves fixtures. */
	fetcher?: typeof fetch;
	/** Deadline for all redirects and the whole body. */
	timeoutMs?: number;
	maxBytes?: number;
	maxRedirects?: number;
	/** Admit loopback hosts (127.0.0.0/8, ::1, localhost), no other private ones: local development only. */
	allowLoopback?: boolean;
}

export interface FetchedArticle {
	/** The URL after redirects: relative links and the canonical URL resolve against it. */
	finalUrl: string;
	html: string;
	/** The media type without parameters, e.g. "text/html". */
	contentType: string;
	/** The encoding the bytes were decoded with (WHATWG name, e.g. "windows-1252"). */
	charset: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;
const MAX_URL_LENGTH = 2048;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const HTML_TYPES = new Set(["text/html", "application/xhtml+xml"]);

/* ----------------------------------------------------------------------------
 * Address checks
 * ------------------------------------------------------------------------- */

function parseIPv4(host: string): number[] | null {
	const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	if (!m) return null;
	const octets = m.slice(1).map(Number);
	return octets.every((o) => o <= 255) ? octets : null;
}

/* Special-purpose IPv4 blocks (IANA registry) that a public web page never lives on. */
function isNonPublicIPv4([a = 0, b = 0, c = 0]: number[]): boolean {
	return (
		a === 0 || // "this network", 0.0.0.0 reaches the local host on many systems
		a === 10 ||
		a === 127 ||
		(a === 100 && b >= 64 && b <= 127) || // CGNAT 100.64.0.0/10
		(a === 169 && b === 254) || // link-local, cloud metadata (169.254.169.254)
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF protocol assignments, TEST-NET-1
		(a === 192 && b === 88 && c === 99) || // 6to4 relay anycast
		(a === 192 && b === 168) ||
		(a === 198 && (b === 18 || b === 19)) || // benchmarking
		(a === 198 && b === 51 && c === 100) || // TEST-NET-2
		(a === 203 && b === 0 && c === 113) || // TEST-NET-3
		a >= 224 // multicast, reserved, broadcast
	);
}

/* Eight 16-bit groups of an IPv6 address as the URL parser writes it (compressed, maybe with a dotted tail). */
function parseIPv6(text: string): number[] | null {
	let body = text.toLowerCase();
	const tail: number[] = [];
	const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(body);
	if (dotted?.[1] !== undefined) {
		const v4 = parseIPv4(dotted[1]);
		if (!v4) return null;
		const [a = 0, b = 0, c = 0, d = 0] = v4;
		tail.push((a << 8) | b, (c << 8) | d);
		body = `${body.slice(0, dotted.index)}:`;
	}
	const halves = body.split("::");
	if (halves.length > 2) return null;
	const toGroups = (part: string | undefined) =>
		part === undefined || part === "" || part === ":" ? [] : part.replace(/^:|:$/g, "").split(":");
	const head = toGroups(halves[0]);
	const rest = toGroups(halves[1]);
	const missing = 8 - tail.length - head.length - rest.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
	const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
	const values = groups.map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN));
	if (values.some(Number.isNaN)) return null;
	return [...values, ...tail];
}

function embeddedIPv4(high: number, low: number): number[] {
	return [high >> 8, high & 0xff, low >> 8, low & 0xff];
}

function isNonPublicIPv6(g: number[]): boolean {
	const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
	const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
	if (zeroPrefix && g5 === 0) return true; // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
	if (zeroPrefix && g5 === 0xffff) return isNonPublicIPv4(embeddedIPv4(g6, g7)); // IPv4-mapped
	// IPv4-translated ::ffff:0:a.b.c.d (RFC 2765): as near to the IPv4 address as mapped.
	if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0)
		return isNonPublicIPv4(embeddedIPv4(g6, g7));
	if (g0 === 0x64 && g1 === 0xff9b) {
		// NAT64: 64:ff9b::/96 carries an IPv4 address; 64:ff9b:1::/48 is for local use.
		return g2 !== 0 || g3 !== 0 || g4 !== 0 || g5 !== 0 || isNonPublicIPv4(embeddedIPv4(g6, g7));
	}
	if (g0 === 0x2002) return isNonPublicIPv4(embeddedIPv4(g1, g2)); // 6to4
	if (g0 === 0x2001 && g1 < 0x200) return true; // Teredo, benchmarking, ORCHID: tunnels to anywhere
	if (g0 === 0x2001 && g1 === 0xdb8) return true; // documentation
	if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return true; // discard-only
	return (
		(g0 & 0xfe00) === 0xfc00 || // unique local fc00::/7
		(g0 & 0xffc0) === 0xfe80 || // link-local
		(g0 & 0xffc0) === 0xfec0 || // site-local (deprecated)
		(g0 & 0xff00) === 0xff00 // multicast
	);
}

/* Names that resolve inside the local network or host by convention (RFC 6761, 6762, 8375, ICANN .internal). */
const LOCAL_SUFFIXES = [
	".localhost",
	".local",
	".internal",
	".intranet",
	".lan",
	".home.arpa",
	".localdomain",
];

/** Is this host loopback (127.0.0.0/8, ::1 or the name localhost)? */
function isLoopback(host: string): boolean {
	if (host === "localhost" || host === "[::1]") return true;
	return parseIPv4(host)?.[0] === 127;
}

/** Why `hostname` (as the URL parser gives it) is not a public host, or null if it may be fetched. */
function privateHostReason(hostname: string, allowLoopback: boolean): string | null {
	const host = hostname.toLowerCase().replace(TRAILING_DOTS, "");
	if (allowLoopback && isLoopback(host)) return null;
	if (host.startsWith("[") && host.endsWith("]")) {
		const groups = parseIPv6(host.slice(1, -1));
		if (!groups) return "an IPv6 address that cannot be checked";
		return isNonPublicIPv6(groups) ? "a private, loopback or reserved IPv6 address" : null;
	}
	const v4 = parseIPv4(host);
	if (v4) return isNonPublicIPv4(v4) ? "a private, loopback or reserved IP address" : null;
	if (host === "localhost" || LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
		return "a local network name";
	}
	// A single-label name resolves through the resolver's search domains, i.e. inside the network.
	if (!host.includes(".")) return "a name without a domain, which only resolves inside a local network";
	return null;
}

function describeUrl(url: string): string {
	return url.length > 120 ? `${url.slice(0, 117)}…` : url;
}

/** Parses and checks one URL (the given one or a redirect target). */
function checkUrl(input: string, allowLoopback: boolean, redirected: boolean): URL {
	const text = input.trim();
	if (text === "") throw new ArticleFetchError("invalid-url", "The address is empty.");
	if (text.length > MAX_URL_LENGTH) {
		throw new ArticleFetchError("invalid-url", `The address is longer than ${MAX_URL_LENGTH} characters.`);
	}
	if (/[\p{Cc}\s]/u.test(text)) {
		throw new ArticleFetchError("invalid-url", "The address contains spaces or control characters.");
	}
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new ArticleFetchError(
			"invalid-url",
			"This is not a valid web address; use a full https:// address.",
		);
	}
	const where = redirected ? `The page redirected to ${describeUrl(url.href)}, but only` : "Only";
	if (url.protocol !== "http:" && url.protocol !== "https:") {
		throw new ArticleFetchError(
			"invalid-url",
			`${where} http and https addresses can be read, not ${url.protocol.slice(0, 20)}.`,
		);
	}
	if (url.username !== "" || url.password !== "") {
		throw new ArticleFetchError("invalid-url", "The address must not contain a user name or password.");
	}
	if (url.hostname === "") throw new ArticleFetchError("invalid-url", "The address has no host name.");
	const reason = privateHostReason(url.hostname, allowLoopback);
	if (reason !== null) {
		const subject = redirected ? `The page redirected to ${url.host}, which is` : `${url.host} is`;
		throw new ArticleFetchError(
			"private-address",
			`${subject} ${reason}; only public web pages can be read.`,
		);
	}
	url.hash = "";
	return url;
}

/* ----------------------------------------------------------------------------
 * Body and charset
 * ------------------------------------------------------------------------- */

function mediaType(header: string | null): { essence: string; charset: string | null } {
	if (header === null) return { essence: "", charset: null };
	const [type = "", ...params] = header.split(";");
	let charset: string | null = null;
	for (const param of params) {
		const m = /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(param);
		if (m?.[1] !== undefined) charset = m[1];
	}
	return { essence: type.trim().toLowerCase(), charset };
}

/* What the WHATWG encoding sniffing algorithm finds in the first bytes: a BOM, else a <meta> declaration. */
function sniffCharset(bytes: Uint8Array): { label: string; bom: number } | null {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { label: "utf-8", bom: 3 };
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return { label: "utf-16be", bom: 2 };
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return { label: "utf-16le", bom: 2 };
	return null;
}

/**
 * A <meta> naming a charset. The space after a quote is read only after a quote: read as
 * `\s*["']?\s*`, a run of spaces could be split between the two `\s*` in every way, tried
 * again for each `<meta` and each way `[^>]*?` stopped, cubic in the head: a page whose first
 * 4,096 bytes were `<meta` tags and tabs cost 1.7 s of CPU to read (2 ms now). It finds the same.
 */
export const META_CHARSET = /<meta\s[^>]*?charset\s*=\s*(?:["']\s*)?([\w.:-]+)/i;

function metaCharset(bytes: Uint8Array): string | null {
	// The prescan reads ASCII only, so latin-1 decoding of the head is exact for what it looks for.
	const head = new TextDecoder("windows-1252").decode(bytes.subarray(0, 4096));
	const direct = META_CHARSET.exec(head);
	return direct?.[1] ?? null;
}

function decoderFor(label: string | null): TextDecoder | null {
	if (label === null) return null;
	try {
		return new TextDecoder(label);
	} catch {
		return null;
	}
}

function decode(bytes: Uint8Array, headerCharset: string | null): { text: string; charset: string } {
	const bom = sniffCharset(bytes);
	if (bom) {
		return { text: new TextDecoder(bom.label).decode(bytes.subarray(bom.bom)), charset: bom.label };
	}
	let declared = decoderFor(headerCharset);
	if (!declared) {
		declared = decoderFor(metaCharset(bytes));
		// A <meta> cannot declare UTF-16: the bytes read so far were ASCII-compatible (HTML spec).
		if (declared?.encoding.startsWith("utf-16")) declared = new TextDecoder("utf-8");
	}
	if (declared) return { text: declared.decode(bytes), charset: declared.encoding };
	try {
		return {
			text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes),
			charset: "utf-8",
		};
	} catch {
		return { text: new TextDecoder("windows-1252").decode(bytes), charset: "windows-1252" };
	}
}

/*
 * Binary data read as text is full of C0 control characters (about one in ten
 * random bytes) and replacement characters, which HTML pages practically never
 * contain. Legacy text decoded with the wrong charset has replacement characters
 * but no controls, so the thresholds differ.
 */
function looksBinary(text: string): boolean {
	const sample = text.slice(0, 65_536);
	if (sample.length === 0) return false;
	let controls = 0;
	let replacements = 0;
	for (let i = 0; i < sample.length; i++) {
		const c = sample.charCodeAt(i);
		if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d && c !== 0x1b) || c === 0x7f) {
			controls++;
		} else if (c === 0xfffd) replacements++;
	}
	return (controls >= 4 && controls / sample.length > 0.005) || replacements / sample.length > 0.1;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
	const out = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		out.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return out;
}

/* ----------------------------------------------------------------------------
 * Fetch
 * ------------------------------------------------------------------------- */

function discard(response: Response): void {
	response.body?.cancel().catch(() => {
		// Nothing to do: the body is not needed and the error has been reported otherwise.
	});
}

/**
 * One fetch of one page, shared by its steps: the limits, and the one deadline
 * (with its abort signal) that covers every redirect hop and the body.
 */
interface FetchContext {
	readonly fetcher: typeof fetch;
	readonly maxBytes: number;
	readonly maxRedirects: number;
	readonly allowLoopback: boolean;
	readonly controller: AbortController;
	/**
	 * Rejects with the timeout error when time is up. Raced against every await, so that a
	 * fetcher or body that ignores the signal still times out.
	 */
	readonly deadline: Promise<never>;
	readonly timeoutError: () => ArticleFetchError;
	/** The address being read: the given one, then each redirect target. */
	current: URL;
}

/** The context for reading `url`, with its deadline running; `stop` clears the timer. */
function startFetch(url: string, options: FetchArticleOptions): { ctx: FetchContext; stop: () => void } {
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const allowLoopback = options.allowLoopback ?? false;
	const current = checkUrl(url, allowLoopback, false);
	const seconds = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 100) / 10} seconds` : `${timeoutMs} ms`;
	const timeoutError = () => new ArticleFetchError("timeout", `The page did not load within ${seconds}.`);
	const controller = new AbortController();
	let timer: ReturnType<typeof setTimeout> | undefined;
	const deadline = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
			const error = timeoutError();
			controller.abort(error);
			reject(error);
		}, timeoutMs);
	});
	deadline.catch(() => {
		// Handled by whichever race observes it; this only keeps the runtime from reporting it as unhandled.
	});
	const ctx: FetchContext = {
		// A plain call: the Workers fetch throws "Illegal invocation" when called as a method of `options`.
		fetcher: options.fetcher ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init)),
		maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
		maxRedirects: options.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
		allowLoopback,
		controller,
		deadline,
		timeoutError,
		current,
	};
	return { ctx, stop: () => clearTimeout(timer) };
}

/** A failure while waiting on the network: the deadline's own error, a timeout, or `unreachable`. */
function networkError(ctx: FetchContext, error: unknown, message: string): ArticleFetchError {
	if (error instanceof ArticleFetchError) return error;
	if (ctx.controller.signal.aborted) return ctx.timeoutError();
	return new ArticleFetchError("unreachable", message, { cause: error });
}

/** One request to `ctx.current`, redirects not followed. */
async function request(ctx: FetchContext): Promise<Response> {
	try {
		return await Promise.race([
			ctx.fetcher(ctx.current.href, {
				method: "GET",
				redirect: "manual",
				signal: ctx.controller.signal,
				headers: {
					Accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
					"User-Agent": "Mozilla/5.0 (compatible; Claimtrack article reader)",
				},
			}),
			ctx.deadline,
		]);
	} catch (error) {
		throw networkError(ctx, error, `${ctx.current.host} could not be reached.`);
	}
}

/** Where a redirect leads, checked like the address the editor gave. */
function redirectTarget(ctx: FetchContext, response: Response, hop: number): URL {
	const location = response.headers.get("Location");
	if (location === null || location.trim() === "") {
		throw new ArticleFetchError(
			"http-error",
			`The page answered ${response.status} (redirect) without saying where to.`,
			{ upstreamStatus: response.status },
		);
	}
	if (hop >= ctx.maxRedirects) {
		throw new ArticleFetchError(
			"too-many-redirects",
			`The page redirected more than ${ctx.maxRedirects} times; open it in a browser and paste the final address.`,
		);
	}
	let target: string;
	try {
		target = new URL(location.trim(), ctx.current).href;
	} catch {
		throw new ArticleFetchError("invalid-url", "The page redirected to an invalid address.");
	}
	return checkUrl(target, ctx.allowLoopback, true);
}

/** The first response that is not a redirect, every hop checked; `ctx.current` ends at its address. */
async function followRedirects(ctx: FetchContext): Promise<Response> {
	for (let hop = 0; ; hop++) {
		const response = await request(ctx);
		if (!REDIRECT_STATUSES.has(response.status)) return response;
		discard(response);
		ctx.current = redirectTarget(ctx, response, hop);
	}
}

/** The error for an answer that is neither a success nor a redirect. */
function statusError(response: Response): ArticleFetchError {
	const reason = response.statusText ? ` ${response.statusText}` : "";
	return new ArticleFetchError(
		"http-error",
		response.status === 404 || response.status === 410
			? `The page does not exist (HTTP ${response.status}${reason}).`
			: `The site answered HTTP ${response.status}${reason}.`,
		{ upstreamStatus: response.status },
	);
}

/** Refuses error statuses, types other than HTML and declared sizes over the cap, before reading the body. */
function acceptResponse(
	ctx: FetchContext,
	response: Response,
	anyType = false,
): { essence: string; charset: string | null } {
	// A part (206) is not the page: no range was asked for.
	if (!response.ok || response.status === 206) {
		discard(response);
		throw statusError(response);
	}
	const type = mediaType(response.headers.get("Content-Type"));
	if (!anyType && type.essence !== "" && !HTML_TYPES.has(type.essence)) {
		discard(response);
		throw new ArticleFetchError(
			"not-html",
			`The address serves ${type.essence.slice(0, 80)}, not a web page; only HTML articles can be read.`,
		);
	}
	const declaredLength = Number(response.headers.get("Content-Length") ?? Number.NaN);
	if (Number.isFinite(declaredLength) && declaredLength > ctx.maxBytes) {
		discard(response);
		throw tooLarge(ctx);
	}
	return type;
}

function tooLarge(ctx: FetchContext): ArticleFetchError {
	return new ArticleFetchError(
		"too-large",
		`The page is larger than ${formatSize(ctx.maxBytes)}, the most that is read.`,
	);
}

/** The body's bytes, streamed: cut off at `maxBytes` (also without Content-Length) and at the deadline. */
async function readBody(ctx: FetchContext, response: Response): Promise<Uint8Array> {
	const chunks: Uint8Array[] = [];
	let total = 0;
	if (!response.body) return concat(chunks, total);
	const reader = response.body.getReader();
	try {
		for (;;) {
			const { done, value } = await Promise.race([reader.read(), ctx.deadline]);
			if (done) break;
			total += value.byteLength;
			if (total > ctx.maxBytes) throw tooLarge(ctx);
			chunks.push(value);
		}
	} catch (error) {
		reader.cancel().catch(() => {
			// The stream may already be errored; nothing more to release.
		});
		throw networkError(ctx, error, `The connection to ${ctx.current.host} broke off.`);
	}
	return concat(chunks, total);
}

/*
 * Markup at the start of a text (after white space and comments): what makes bytes without
 * a type a page. The comments are skipped with indexOf, each ending at its first "-->" as
 * HTML's do: one pattern over them (/^\s*(?:<!--[\s\S]*?-->\s*)*</) could end each comment
 * at any later "-->" and tried every way on a text that is no page, 2^n for n comments (a
 * 320-byte body held the snapshot consumer until its CPU limit).
 */
function startsWithMarkup(text: string): boolean {
	let at = afterSpace(text, 0);
	while (text.startsWith("<!--", at)) {
		const close = text.indexOf("-->", at + 4);
		if (close < 0) return false;
		at = afterSpace(text, close + 3);
	}
	return /^<(?:!doctype\s+html|html|head|body)\b/i.test(text.slice(at));
}

/* The index of the first character at or after `from` that is not white space (\s). */
function afterSpace(text: string, from: number): number {
	let at = from;
	while (at < text.length && /\s/.test(text.charAt(at))) at++;
	return at;
}

/** The decoded page, if it is one: markup when the type was missing, and not binary data. */
function toPage(
	ctx: FetchContext,
	bytes: Uint8Array,
	type: { essence: string; charset: string | null },
): FetchedArticle {
	const { text, charset } = decode(bytes, type.charset);
	// Sniffing as browsers do when the type is missing: only markup counts as a page.
	if (type.essence === "" && !startsWithMarkup(text)) {
		throw new ArticleFetchError(
			"not-html",
			"The address does not serve a web page (no content type, no HTML).",
		);
	}
	if (looksBinary(text)) {
		throw new ArticleFetchError(
			"binary",
			"The page claims to be HTML but contains binary data; it may be a file download.",
		);
	}
	return { finalUrl: ctx.current.href, html: text, contentType: type.essence || "text/html", charset };
}

/**
 * Fetches an HTML page for the article reader. Throws `ArticleFetchError` (an
 * `AppError` with status 422, 502 or 504) with a message meant for the editor.
 */
export async function fetchArticle(url: string, options: FetchArticleOptions = {}): Promise<FetchedArticle> {
	const { ctx, stop } = startFetch(url, options);
	try {
		const response = await followRedirects(ctx);
		const type = acceptResponse(ctx, response);
		const bytes = await readBody(ctx, response);
		return toPage(ctx, bytes, type);
	} finally {
		stop();
	}
}

export interface FetchedResource {
	finalUrl: string;
	status: number;
	/** The media type without parameters ("" when the server named none). */
	contentType: string;
	/** The charset the server declared, if any. */
	charset: string | null;
	headers: [string, string][];
	bytes: Uint8Array;
}

/**
 * Fetches any resource with the same rules as `fetchArticle` (addresses, redirects,
 * deadline, size cap) but keeps the bytes as they came, whatever their type: the
 * evidence archive stores PDFs and images as well as pages.
 */
export async function fetchResource(
	url: string,
	options: FetchArticleOptions = {},
): Promise<FetchedResource> {
	const { ctx, stop } = startFetch(url, options);
	try {
		const response = await followRedirects(ctx);
		const type = acceptResponse(ctx, response, true);
		const bytes = await readBody(ctx, response);
		// An empty answer (204, or a 2xx without a body) holds nothing to keep: a failure, tried again.
		if (bytes.length === 0) throw new ArticleFetchError("empty", "The page answered with no content.");
		return {
			finalUrl: ctx.current.href,
			status: response.status,
			contentType: type.essence,
			charset: type.charset,
			headers: [...response.headers],
			bytes,
		};
	} finally {
		stop();
	}
}

/**
 * Text of fetched bytes as a browser would decode them (BOM, declared charset, <meta>,
 * UTF-8, windows-1252), or null when they are binary data.
 */
export function readText(bytes: Uint8Array, charset: string | null): string | null {
	const { text } = decode(bytes, charset);
	return looksBinary(text) ? null : text;
}

/* Types that name no type: browsers sniff the bytes for these as for a missing one (WHATWG MIME Sniffing). */
const UNKNOWN_TYPES = new Set(["", "unknown/unknown", "application/unknown", "*/*"]);

/* Signatures of the binary formats evidence comes in (WHATWG MIME Sniffing; undefined matches any byte). */
const SIGNATURES: [(number | undefined)[], string][] = [
	[[0x25, 0x50, 0x44, 0x46, 0x2d], "application/pdf"], // %PDF-
	[[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "image/png"],
	[[0xff, 0xd8, 0xff], "image/jpeg"],
	[[0x47, 0x49, 0x46, 0x38, 0x37, 0x61], "image/gif"], // GIF87a
	[[0x47, 0x49, 0x46, 0x38, 0x39, 0x61], "image/gif"], // GIF89a
	[
		[0x52, 0x49, 0x46, 0x46, undefined, undefined, undefined, undefined, 0x57, 0x45, 0x42, 0x50],
		"image/webp",
	], // RIFF....WEBP
	[[0x50, 0x4b, 0x03, 0x04], "application/zip"],
];

/*
 * Types servers wrongly give evidence files: a PDF sent as a page, as text or as a download
 * of no kind. Bytes that begin with a binary format's signature and do not read as text are
 * that format whatever these said (a page or text never begins so).
 */
const MISLABELLING_TYPES = new Set(["text/html", "text/plain", "application/octet-stream"]);

/**
 * The media type of fetched bytes: the one the server declared, or, when it named none,
 * what the bytes are, as a browser sniffs them: a binary format by its signature, markup
 * (as `fetchArticle` reads it) as text/html, other text as text/plain, and "" for data
 * that is none of these. A PDF served without a type is a PDF, not a page to read; so is
 * one served as text/html, text/plain or application/octet-stream.
 */
export function contentTypeOf(bytes: Uint8Array, declared: string, charset: string | null): string {
	const signed = SIGNATURES.find(([signature]) =>
		signature.every((byte, i) => byte === undefined || bytes[i] === byte),
	);
	if (signed && MISLABELLING_TYPES.has(declared) && readText(bytes, charset) === null) return signed[1];
	if (!UNKNOWN_TYPES.has(declared)) return declared;
	if (signed) return signed[1];
	const text = readText(bytes, charset);
	if (text === null) return "";
	return startsWithMarkup(text) ? "text/html" : "text/plain";
}

export interface RedirectTarget {
	/** The address reached: the target `arrived` accepted (not requested), or the last one requested. */
	finalUrl: string;
	/** The status of the last answer: the redirect's, when `arrived` stopped before its target. */
	status: number;
	headers: [string, string][];
}

/**
 * Where an address leads, without reading any body: redirects are followed with the same
 * checks as `fetchResource` (every hop, deadline), until `arrived` accepts a redirect's
 * target, which is returned without being requested; else the first answer that is not a
 * redirect, with its headers. For services that answer with an address (Save Page Now's
 * capture), whose page behind it may be far larger than anything worth downloading.
 */
export async function fetchRedirectTarget(
	url: string,
	options: FetchArticleOptions & { arrived: (target: URL) => boolean },
): Promise<RedirectTarget> {
	const { ctx, stop } = startFetch(url, options);
	try {
		for (let hop = 0; ; hop++) {
			const response = await request(ctx);
			const headers = [...response.headers];
			discard(response);
			if (!REDIRECT_STATUSES.has(response.status)) {
				if (!response.ok) throw statusError(response);
				return { finalUrl: ctx.current.href, status: response.status, headers };
			}
			ctx.current = redirectTarget(ctx, response, hop);
			if (options.arrived(ctx.current)) {
				return { finalUrl: ctx.current.href, status: response.status, headers };
			}
		}
	} finally {
		stop();
	}
}

/**
 * Whether the rules above let an address be fetched at all (http(s), no credentials, a public
 * host; loopback only with `allowLoopback`), decided without a request. For a service asked to
 * fetch it for us (Save Page Now): an address we refuse to reach is not handed to another.
 */
export function isFetchableUrl(input: string, allowLoopback: boolean): boolean {
	try {
		checkUrl(input, allowLoopback, false);
		return true;
	} catch (error) {
		if (error instanceof ArticleFetchError) return false;
		throw error;
	}
}

/**
 * Checks an address the Worker will call (a webhook receiver): the same rules as for
 * articles (http(s), no credentials, no private host), and https unless it is loopback
 * admitted for local development. Throws ArticleFetchError ("invalid-url", "private-address").
 */
export function checkOutboundUrl(input: string, allowLoopback: boolean): URL {
	// Any scheme but http(s) gets the webhook's own rule, not the article reader's "http and https".
	const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(input)?.[1]?.toLowerCase();
	if (scheme !== undefined && scheme !== "http" && scheme !== "https") {
		throw new ArticleFetchError("invalid-url", "Only https addresses can receive webhooks.");
	}
	const url = checkUrl(input, allowLoopback, false);
	if (url.protocol !== "https:" && !(allowLoopback && isLoopback(url.hostname.toLowerCase()))) {
		throw new ArticleFetchError("invalid-url", "Only https addresses can receive webhooks.");
	}
	return url;
}
