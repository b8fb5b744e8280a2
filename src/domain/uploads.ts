import type { UploadType } from "../db/schema";
import { BIDI_CONTROLS } from "./plain-text";

/**
 * Files checkers attach to a claim. The type is read from the bytes, never from the
 * name or the browser's Content-Type: a file named shot.png that is HTML or SVG would
 * otherwise be served from our origin as something a browser runs. Metadata that can
 * reveal a source (EXIF GPS position, camera serial, author) is removed from JPEGs, PNGs
 * and WebPs before they are stored: only what makes the picture is kept, and nothing
 * after its end (a phone's further pictures, a motion photo's video). The uploader's file
 * name is never published either (`publicFilename`).
 */

export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
	prefix.every((byte, i) => bytes[at + i] === byte);

const ascii = (text: string) => [...text].map((ch) => ch.charCodeAt(0));

/** The type the content shows, or null when it is none of the accepted ones. */
export function sniffUploadType(bytes: Uint8Array): UploadType | null {
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
	if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
	if (startsWith(bytes, ascii("%PDF-"))) return "application/pdf";
	return null;
}

/*
 * JPEG segments kept: APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour
 * transform) change how the picture looks; every other APPn (APP1 is EXIF and XMP, APP13
 * IPTC) and comments only describe it. Of the APP2 segments only the ICC profile stays: the
 * others are MPF (the index of further pictures a phone appends, each with its own EXIF) and
 * FlashPix (a preview and its properties). The EXIF orientation goes too: a phone photo may
 * show turned, which is better than a GPS position in a published screenshot.
 */
const KEEP_APP = new Set([0xe0, 0xe2, 0xee]);
const ICC_PROFILE = ascii("ICC_PROFILE");
const JFIF = ascii("JFIF\0");
/** A JFIF APP0 without a thumbnail: marker, length, identifier, version, units, densities, 0×0. */
const BARE_JFIF_LENGTH = 2 + 16;
const EOI = [0xff, 0xd9];

function keepJpegSegment(segment: Uint8Array): boolean {
	const marker = segment[1] ?? 0;
	if (marker === 0xfe) return false;
	if (marker < 0xe0 || marker > 0xef) return true;
	if (marker === 0xe2) return startsWith(segment, ICC_PROFILE, 4);
	// APP0 only as a bare JFIF header: its thumbnail, or a JFXX extension's, is a second,
	// uncropped picture (decoders need neither: JFIF's header is optional).
	if (marker === 0xe0) return segment.length === BARE_JFIF_LENGTH && startsWith(segment, JFIF, 4);
	return KEEP_APP.has(marker);
}

/**
 * Where a scan's entropy-coded data ends: at the first marker in it. 0xFF 0x00 is a coded
 * 0xFF and RST0–7 separate intervals; both are data. A 0xFF before another 0xFF is fill.
 * indexOf jumps from 0xFF to 0xFF natively: a 10 MB scan is not walked byte by byte in script.
 */
function scanDataEnd(bytes: Uint8Array, from: number): number {
	let at = bytes.indexOf(0xff, from);
	while (at !== -1 && at + 1 < bytes.length) {
		const next = bytes[at + 1] ?? 0;
		if (next !== 0x00 && next !== 0xff && (next < 0xd0 || next > 0xd7)) return at;
		at = bytes.indexOf(0xff, next === 0xff ? at + 1 : at + 2);
	}
	return bytes.length;
}

/**
 * The JPEG's primary picture without metadata segments, ending at its EOI. Markers are read
 * between scans too (a progressive JPEG has several, with tables between them). Nothing after
 * the EOI is kept: phones append further pictures there (MPF, each with its own EXIF) and
 * motion-photo videos with GPS in them. What cannot be read as segments is dropped, never
 * kept whole, and a file cut short ends with the EOI it lacked.
 */
export function stripJpegMetadata(bytes: Uint8Array): Uint8Array {
	const parts: Uint8Array[] = [bytes.subarray(0, 2)];
	let at = 2;
	while (at + 2 <= bytes.length && bytes[at] === 0xff) {
		const marker = bytes[at + 1] ?? 0;
		if (marker === 0xff) {
			at++; // fill byte before a marker
			continue;
		}
		if (marker === 0xd9) break;
		// Standalone markers (RSTn, TEM) carry no length; a second SOI is no longer this picture.
		if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
			parts.push(bytes.subarray(at, at + 2));
			at += 2;
			continue;
		}
		if (marker === 0xd8 || at + 4 > bytes.length) break;
		const length = ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);
		if (length < 2 || at + 2 + length > bytes.length) break;
		const segment = bytes.subarray(at, at + 2 + length);
		if (keepJpegSegment(segment)) parts.push(segment);
		at += 2 + length;
		if (marker === 0xda) {
			const end = scanDataEnd(bytes, at);
			parts.push(bytes.subarray(at, end));
			at = end;
		}
	}
	parts.push(new Uint8Array(EOI));
	return concatBytes(parts);
}

/*
 * PNG chunks kept: those that make the picture (header, palette, data, end), change how it
 * looks (transparency, gamma, chromaticities, sRGB, ICC profile, significant bits, pixel size,
 * background) or animate it (APNG's acTL, fcTL, fdAT). Everything else goes, known or not:
 * text, EXIF and time, but also what a newer tool adds, such as C2PA content credentials (caBX).
 */
const KEEP_PNG_CHUNKS = new Set([
	"IHDR",
	"PLTE",
	"IDAT",
	"IEND",
	"tRNS",
	"gAMA",
	"cHRM",
	"sRGB",
	"iCCP",
	"sBIT",
	"pHYs",
	"bKGD",
	// HDR and wide-gamut colour (PNG third edition): without them such a picture renders otherwise.
	"cICP",
	"mDCv",
	"cLLi",
	"acTL",
	"fcTL",
	"fdAT",
]);

/**
 * The PNG with only the chunks that make the picture (CRCs stay valid: whole chunks are
 * copied), ending at IEND: what follows it, or cannot be read as chunks, is dropped.
 */
export function stripPngMetadata(bytes: Uint8Array): Uint8Array {
	const parts: Uint8Array[] = [bytes.subarray(0, 8)];
	let at = 8;
	while (at + 12 <= bytes.length) {
		const length =
			(((bytes[at] ?? 0) << 24) >>> 0) +
			((bytes[at + 1] ?? 0) << 16) +
			((bytes[at + 2] ?? 0) << 8) +
			(bytes[at + 3] ?? 0);
		const end = at + 12 + length;
		if (end > bytes.length) break;
		const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
		if (KEEP_PNG_CHUNKS.has(type)) parts.push(bytes.subarray(at, end));
		if (type === "IEND") break;
		at = end;
	}
	return concatBytes(parts);
}

/*
 * WebP chunks kept: the image data (VP8, VP8L, ALPH), the extended header, the animation and
 * the ICC profile. Everything else goes, known or not: EXIF, XMP, C2PA content credentials.
 * Inside an animation frame, after its 16-byte header, only the frame's image and alpha stay.
 */
const KEEP_WEBP_CHUNKS = new Set(["VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP"]);
const KEEP_FRAME_CHUNKS = new Set(["VP8 ", "VP8L", "ALPH"]);
const ANMF_HEADER = 16;
/* VP8X flags of what can be kept: ICC 0x20, alpha 0x10, animation 0x02 (not EXIF 0x08, XMP 0x04). */
const VP8X_KEPT_FLAGS = 0x20 | 0x10 | 0x02;

const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const readLe32 = (bytes: Uint8Array, at: number) =>
	((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16)) +
	(bytes[at + 3] ?? 0) * 0x1000000;

/**
 * The chunks from `from` to `to` whose type is in `keep`, each whole, padding included. A last
 * chunk may lack its padding byte; one running past `to` is cut off (it is often the EXIF):
 * what cannot be read as chunks is dropped, never kept whole.
 */
function keptWebpChunks(bytes: Uint8Array, from: number, to: number, keep: ReadonlySet<string>) {
	const parts: Uint8Array[] = [];
	let at = from;
	while (at + 8 <= to) {
		const type = String.fromCharCode(...bytes.subarray(at, at + 4));
		const size = readLe32(bytes, at + 4);
		if (at + 8 + size > to) break;
		const end = Math.min(at + 8 + size + (size % 2), to);
		if (type === "ANMF" && keep.has(type)) parts.push(animationFrame(bytes, at, size));
		else if (keep.has(type)) parts.push(bytes.subarray(at, end));
		at = end;
	}
	return parts;
}

/** An ANMF chunk with only its frame header, image and alpha, its size made to match. */
function animationFrame(bytes: Uint8Array, at: number, size: number): Uint8Array {
	if (size < ANMF_HEADER) return new Uint8Array(0);
	const body = at + 8 + ANMF_HEADER;
	const inner = keptWebpChunks(bytes, body, at + 8 + size, KEEP_FRAME_CHUNKS);
	const payload = concatBytes([bytes.subarray(at + 8, body), ...inner]);
	const padding = new Uint8Array(payload.length % 2);
	return concatBytes([bytes.subarray(at, at + 4), new Uint8Array(le32(payload.length)), payload, padding]);
}

/**
 * The WebP with only the chunks that make the picture, the RIFF size and VP8X's flags made to
 * match: the EXIF and XMP flags are cleared (their chunks never stay), and so are the reserved bits.
 */
export function stripWebpMetadata(bytes: Uint8Array): Uint8Array {
	const parts = keptWebpChunks(bytes, 12, bytes.length, KEEP_WEBP_CHUNKS);
	const out = concatBytes([bytes.subarray(0, 12), ...parts]);
	out.set(le32(out.length - 8), 4);
	// Flags, then 24 reserved bits, in a VP8X of its full 10 bytes (a shorter one is not ours to mend).
	if (String.fromCharCode(...out.subarray(12, 16)) === "VP8X" && readLe32(out, 16) >= 10) {
		out[20] = (out[20] ?? 0) & VP8X_KEPT_FLAGS;
		out.fill(0, 21, 24);
	}
	return out;
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

export type CheckedUpload =
	| { ok: true; contentType: UploadType; bytes: Uint8Array }
	| { ok: false; reason: "empty" | "too-large" | "type" };

/** Accepts a file by its content and size, with its metadata removed. */
export function checkUpload(bytes: Uint8Array): CheckedUpload {
	if (bytes.length === 0) return { ok: false, reason: "empty" };
	if (bytes.length > UPLOAD_MAX_BYTES) return { ok: false, reason: "too-large" };
	const contentType = sniffUploadType(bytes);
	if (contentType === null) return { ok: false, reason: "type" };
	if (contentType === "image/jpeg") return { ok: true, contentType, bytes: stripJpegMetadata(bytes) };
	if (contentType === "image/png") return { ok: true, contentType, bytes: stripPngMetadata(bytes) };
	if (contentType === "image/webp") return { ok: true, contentType, bytes: stripWebpMetadata(bytes) };
	// A PDF keeps its document properties (author, creator): rewriting a PDF safely is more
	// than a byte filter, so the desk says so beside "Make public" (views/desk/attachments).
	return { ok: true, contentType, bytes };
}

const EXTENSIONS: Record<UploadType, string> = {
	"image/png": "png",
	"image/jpeg": "jpg",
	"image/webp": "webp",
	"application/pdf": "pdf",
};

/**
 * The name an attachment is published under (JSON, claim page, the public download): made from
 * its id and checked type, never the uploader's, which can name a place, a day, a phone or a
 * person (IMG_20251201_Berlin.jpg). The desk keeps showing the original to desk users.
 */
export function publicFilename(upload: { id: string; contentType: UploadType }): string {
	return `attachment-${upload.id}.${EXTENSIONS[upload.contentType]}`;
}

const MAX_FILENAME = 120;

/** The extensions a name may end in for each checked type (compared in lower case). */
const NAME_EXTENSIONS: Record<UploadType, readonly string[]> = {
	"image/png": ["png"],
	"image/jpeg": ["jpg", "jpeg", "jpe", "jfif"],
	"image/webp": ["webp"],
	"application/pdf": ["pdf"],
};

/**
 * A file name safe to show in the desk and to put in Content-Disposition: no path, no control
 * or bidi control characters (plain-text `BIDI_CONTROLS`: "rechnung\u202Egnp.pdf" showed as
 * "rechnungfdp.png"), at most 120 code points, ending in an extension of the checked type. Cut
 * by code points, not UTF-16 units (half an emoji was stored as U+FFFD), and from the name
 * before its extension, which is kept. A name whose extension is not the checked type's gets that one
 * appended: the desk's download is saved under this name, and a PDF with HTML after its header
 * sent as tip.html was saved as tip.html, which the browser opened as a page that ran its script.
 */
export function cleanFilename(name: string, contentType: UploadType): string {
	// Fullwidth and small solidi too: folded for the ASCII fallback they were a path again.
	const base = name.split(/[\\/\uFF0F\uFF3C\uFE68]/u).pop() ?? "";
	const cleaned = Array.from(
		wellFormed(base)
			.replace(/[\p{Cc}"\\]/gu, "")
			.replace(BIDI_CONTROLS, "")
			.trim(),
	);
	if (cleaned.length === 0) return `attachment.${EXTENSIONS[contentType]}`;
	const dot = cleaned.lastIndexOf(".");
	const given =
		dot > 0
			? cleaned
					.slice(dot + 1)
					.join("")
					.toLowerCase()
			: "";
	const matches = NAME_EXTENSIONS[contentType].includes(given);
	const extension = matches ? cleaned.slice(dot) : Array.from(`.${EXTENSIONS[contentType]}`);
	const stem = matches ? cleaned.slice(0, dot) : cleaned;
	return `${stem
		.slice(0, MAX_FILENAME - extension.length)
		.join("")
		.trimEnd()}${extension.join("")}`;
}

/** Lone surrogates (half an emoji, from names cut before) as U+FFFD: encodeURIComponent throws on them. */
function wellFormed(text: string): string {
	return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/**
 * Content-Disposition for a download (RFC 6266): an ASCII `filename` first for clients that
 * read only that (letters beyond ASCII folded or replaced by "_"; quotes and "%", which some
 * decode, left out; slashes and backslashes as "_", leading dots dropped: no path), then the
 * exact name as `filename*` (RFC 8187). That one allows only attr-chars unencoded:
 * encodeURIComponent leaves ' ( ) * as they are, so those are encoded too ("Minister's
 * speech (1).png").
 */
export function contentDisposition(disposition: "inline" | "attachment", filename: string): string {
	const name = wellFormed(filename);
	// Slashes after folding: fullwidth ones (U+FF0F, U+FF3C) fold into / and \, and
	// "..／..／etc／passwd.pdf" became filename="../../etc/passwd.pdf". No leading dots either.
	const ascii = name
		.normalize("NFKD")
		.replace(/\p{M}/gu, "")
		.replace(/["%]/g, "")
		.replace(/[\\/]/g, "_")
		.replace(/[^\x20-\x7e]/gu, "_")
		.replace(/^[.\s]+/, "");
	const encoded = encodeURIComponent(name).replace(
		/['()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
	);
	return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
