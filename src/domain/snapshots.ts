/**
 * The evidence archive's rules, free of I/O: where a snapshot's parts live in R2, when a
 * URL is fetched again, how failures are retried, and how a quote is found in the
 * archived text to be highlighted.
 */

/**
 * A URL archived this recently (or still being tried) is not fetched again. A copy failed
 * with no try due (`retry_at` null: given up, refused, never queued, a restore's) does not
 * count: the desk was told to archive it again (store/snapshots `holdsAddressSql`).
 */
export const SNAPSHOT_FRESH_MS = 24 * 60 * 60 * 1000;

/**
 * Why a copy has none: its row was written but its queue message was never sent (the send
 * failed: the queue down, or not created yet on a first deployment; or the request's
 * background work was cut off first). Stored in English; the desk translates it. Its
 * "Archive again" is the desk's button beside the source (and the write API's
 * `POST /api/v1/claims/{id}/appearances/{appearanceId}/archive`).
 */
export const SNAPSHOT_NOT_QUEUED =
	'No fetch of this copy could be queued; "Archive again" beside the source tries again.';

/** Why a copy has none after a storage outage outlasted the queue's deliveries (queues/snapshot-archive). */
export const SNAPSHOT_OUTAGE =
	'The archive could not store this copy (a storage outage); "Archive again" beside the source tries again.';

/** What copies failed before "Archive again" existed said instead: the desk still translates them. */
export const SNAPSHOT_MESSAGES_BEFORE = {
	notQueued: "No fetch of this copy could be queued; cite the address again to retry.",
	outage: "The archive could not store this copy (a storage outage); cite the address again to retry.",
	unfinishedAtBackup: "No copy was stored yet when the backup was made; cite the address again to fetch one.",
} as const;

/**
 * A copy still pending this long after it was planned has no queue message left: the
 * consumer settles every row it has one for sooner, its longest path being an outage's
 * (its 8th delivery, about 2 h 15 min after the first, marks the row failed). The daily cron
 * fails such rows as not queued (store/snapshots `failStrandedSnapshots`).
 */
export const SNAPSHOT_STRANDED_MS = 3 * 60 * 60 * 1000;

/**
 * How long a delivery's claim on a copy's objects holds (store/snapshots `claimSnapshotObjects`):
 * from its claim to its copy marked stored is three writes to R2 and one to D1. A message
 * delivered twice at once (queues deliver at least once) fetches twice, but only the claim's
 * holder writes the objects; the other comes again this much later and finds the copy stored,
 * or, if the holder died, a stale claim to take.
 */
export const SNAPSHOT_CLAIM_MS = 60_000;

/** Sources and evidence are web pages and reports: PDFs of 10–20 MB exist, more is rare. */
export const SNAPSHOT_MAX_BYTES = 25 * 1024 * 1024;
export const SNAPSHOT_TIMEOUT_MS = 20_000;

/**
 * The most of a copy's text (UTF-8) that is stored and shown: a long report's text is a few
 * hundred kB. Decoding can make text larger than the bytes it came from (a windows-1252 "€"
 * is one byte and three in UTF-8), so a text file near the byte cap gave a text.txt of 32 MB
 * and more: a page of that size, and an object the restore over HTTP refused (its body limit
 * is the byte cap), so the deployment could not be restored. The bytes are kept whole.
 */
export const SNAPSHOT_TEXT_MAX_BYTES = 2 * 1024 * 1024;

/** `text` cut to at most `maxBytes` of UTF-8, on a character boundary, and whether it was cut. */
export function cutText(text: string, maxBytes = SNAPSHOT_TEXT_MAX_BYTES): { text: string; cut: boolean } {
	// A UTF-16 code unit is at most three bytes of UTF-8: no need to encode a short text.
	if (text.length * 3 <= maxBytes) return { text, cut: false };
	const buffer = new Uint8Array(maxBytes);
	// encodeInto writes whole characters only, and `read` says how much of the text they are.
	const { read } = new TextEncoder().encodeInto(text, buffer);
	return read >= text.length ? { text, cut: false } : { text: text.slice(0, read), cut: true };
}

/*
 * After a failure: again in 1 min (a blip), 10 min, 1 h, 6 h (an outage), then give up;
 * the next time the URL is recorded or cited (after the 24 h window) starts afresh.
 */
const RETRY_DELAYS_S = [60, 600, 3600, 6 * 3600] as const;

/** Seconds until the next try after `attempts` failed ones, or null to stop. */
export function snapshotRetryDelay(attempts: number): number | null {
	return RETRY_DELAYS_S[attempts - 1] ?? null;
}

/** Failures that a later try cannot fix: the address itself is not allowed. */
export function isPermanentFailure(code: string | undefined): boolean {
	return code === "invalid-url" || code === "private-address";
}

export const snapshotKeys = (id: string) => ({
	raw: `snapshots/${id}/raw`,
	meta: `snapshots/${id}/meta.json`,
	text: `snapshots/${id}/text.txt`,
});

export const uploadKey = (id: string) => `uploads/${id}`;

/** What R2 keeps beside the bytes: enough to show where and when they came from. */
export interface SnapshotMeta {
	url: string;
	finalUrl: string;
	status: number;
	contentType: string;
	headers: [string, string][];
	fetchedAt: string;
	sha256: string;
	bytes: number;
	/** Its text was cut at SNAPSHOT_TEXT_MAX_BYTES (absent in copies made before the cap). */
	textCut?: boolean;
}

/** File extension for a download of the raw bytes (never .html: they are data, not a page of ours). */
export function rawExtension(contentType: string): string {
	if (contentType === "application/pdf") return "pdf";
	if (contentType.startsWith("image/")) return contentType.slice("image/".length).replace(/[^a-z0-9]/g, "");
	return "bin";
}

/** One run of archived text, marked when it is (part of) the quote. */
export interface TextRun {
	text: string;
	mark: boolean;
}

/* Typographic quotes, dashes and spaces differ between a quote as recorded and the page. */
const DROPPED = new Set("„“”«»‚‘’‹›\"'");
const DASHES = new Set("‐‑‒–—―-");
const SPACE = /\s/u;
function foldChar(ch: string): string {
	if (DROPPED.has(ch)) return "";
	if (DASHES.has(ch)) return "-";
	const code = ch.charCodeAt(0);
	// ASCII (most of a page) without a regular expression: space, tab and the line breaks.
	if (code < 128) return code === 32 || (code >= 9 && code <= 13) ? " " : ch.toLowerCase();
	return SPACE.test(ch) ? " " : ch.toLowerCase();
}

/**
 * The folded text and, for each folded character, its offset in the original. Linear: built
 * as parts joined once, the last space kept in a flag. `folded += ch` with
 * `folded.endsWith(" ")` flattened the growing string at every character, and a copy's 2 MB
 * text highlighted for `?claim=` took minutes of CPU (quadratic), a public page anyone could ask for.
 * A character whose lower case is longer ("İ") gives each of its units the same offset.
 */
function fold(text: string): { folded: string; offsets: number[] } {
	const parts: string[] = [];
	const offsets: number[] = [];
	let afterSpace = false;
	for (let i = 0; i < text.length; i++) {
		const ch = foldChar(text[i] ?? "");
		if (ch === "" || (ch === " " && afterSpace)) continue;
		afterSpace = ch === " ";
		parts.push(ch);
		for (let unit = 0; unit < ch.length; unit++) offsets.push(i);
	}
	return { folded: parts.join(""), offsets };
}

/**
 * Splits `text` into runs with every occurrence of `quote` marked, matching across
 * typographic quotes, dashes and runs of white space. Without a match the text is one
 * unmarked run, and the caller says the quote was not found in this copy.
 */
export function highlightQuote(text: string, quote: string | null): TextRun[] {
	const needle = quote === null ? "" : fold(quote.trim()).folded.trim();
	if (needle.length < 3) return [{ text, mark: false }];
	const { folded, offsets } = fold(text);
	const runs: TextRun[] = [];
	let from = 0;
	for (let at = folded.indexOf(needle); at !== -1; at = folded.indexOf(needle, at + needle.length)) {
		const start = offsets[at] ?? 0;
		const end = (offsets[at + needle.length - 1] ?? start) + 1;
		if (start > from) runs.push({ text: text.slice(from, start), mark: false });
		runs.push({ text: text.slice(start, end), mark: true });
		from = end;
	}
	if (from < text.length || runs.length === 0) runs.push({ text: text.slice(from), mark: false });
	return runs;
}

/** How long a citation's own copy may take: the retries above, about 7 hours, and some margin. */
const CITATION_COPY_WINDOW_MS = 8 * 60 * 60 * 1000;

/**
 * The archived copy that belongs to a citation, never simply the newest: a page edited
 * after a claim cited it is copied again when another claim cites it, and that later copy
 * must not replace the evidence of what the first claim's checkers read. In order: the
 * first copy made for the citation (from a day before it, as a copy under a day old is
 * reused rather than fetched again, to the end of its retries); else the newest copy from
 * before it (when the citation's own fetch failed or was refused as a move); else the
 * first copy after it. Without a citation time, the newest. `copies` oldest first.
 */
export function copyForCitation<T extends { fetchedAt: string | null }>(
	copies: readonly T[] | undefined,
	citedAt: string | null | undefined,
): T | undefined {
	if (!copies || copies.length === 0) return undefined;
	const cited = citedAt ? Date.parse(citedAt) : Number.NaN;
	if (Number.isNaN(cited)) return copies.at(-1);
	const from = new Date(cited - SNAPSHOT_FRESH_MS).toISOString();
	const until = new Date(cited + CITATION_COPY_WINDOW_MS).toISOString();
	const at = (copy: T) => copy.fetchedAt ?? "";
	return (
		copies.find((copy) => at(copy) >= from && at(copy) <= until) ??
		copies.filter((copy) => at(copy) < from).at(-1) ??
		copies.find((copy) => at(copy) > until)
	);
}
