import * as z from "zod";
import { AppError } from "./errors";

/**
 * Opaque page cursors: base64url of a small JSON array. Keyset cursors hold the
 * last row's sort value and seq; relevance-ranked search holds an offset. Each names the
 * list and order it walks (`CursorList`), last: a position means nothing in another order
 * (a newest-first cursor under `sort=reviewed` matched no row, and the client took its walk
 * for complete) or another list (a claims cursor restarted the speakers at page one).
 */
export const CURSOR_LISTS = [
	"claims-recent",
	"claims-claimed",
	"claims-reviewed",
	"claims-relevance",
	"speakers",
	"sources",
	"deliveries",
	// Google's claims:search, which pages its own ways (a keyset, `offset`, the matcher's list).
	"google",
] as const;
export type CursorList = (typeof CURSOR_LISTS)[number];

/*
 * A keyset value: a timestamp, a source's "createdAt|id", or a slug (SLUG_MAX_LENGTH, 80, and
 * a namesake's "-N"; schemas/public-api reads up to 90). Encoded with the largest seq and the
 * longest list name, 100 stays within a cursor's 200 characters (120 did before list names).
 */
const KEYSET_VALUE_MAX = 100;
const keyset = [
	z.literal("k"),
	z.union([z.string().max(KEYSET_VALUE_MAX), z.number(), z.null()]),
	z.number().int().positive(),
] as const;
const offset = [z.literal("o"), z.number().int().min(0).max(10_000)] as const;
const list = z.enum(CURSOR_LISTS);
const cursorShape = z.union([
	z.tuple([...keyset, list]),
	z.tuple([...offset, list]),
	// Handed out before cursors named their list: read by what their position looks like.
	z.tuple(keyset),
	z.tuple(offset),
]);
/** A position in a list: a keyset (sort value, seq) or an offset. */
export type Cursor = ["k", string | number | null, number] | ["o", number];

/**
 * What a cursor handed out before lists were named held on each list, so a walk begun
 * before the upgrade goes on (README "Upgrading"). Only `claims-reviewed`, `deliveries` and
 * Google's keyset share a look (a timestamp and a seq), and `claims-relevance` and Google's
 * offset pages another (an offset): an old one of these is taken on the others of its look;
 * every mix-up the position shows is refused.
 */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T/;
const LEGACY_FITS: Record<CursorList, (cursor: Cursor) => boolean> = {
	"claims-recent": ([kind, value]) => kind === "k" && value === null,
	// A claim date is a day (schemas/common `pastDate`); a review date a timestamp.
	"claims-claimed": ([kind, value]) =>
		kind === "k" && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value),
	"claims-reviewed": ([kind, value]) => kind === "k" && typeof value === "string" && TIMESTAMP.test(value),
	"claims-relevance": ([kind]) => kind === "o",
	speakers: ([kind, value, seq]) =>
		kind === "k" && typeof value === "string" && /^[a-z0-9-]+$/.test(value) && seq === 1,
	sources: ([kind, value, seq]) =>
		kind === "k" && typeof value === "string" && value.includes("|") && seq === 1,
	deliveries: ([kind, value]) => kind === "k" && typeof value === "string" && TIMESTAMP.test(value),
	google: ([kind, value]) => kind === "o" || (typeof value === "string" && TIMESTAMP.test(value)),
};

export function encodeCursor(cursor: Cursor, list: CursorList): string {
	const bytes = new TextEncoder().encode(JSON.stringify([...cursor, list]));
	let binary = "";
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * Decodes a client's cursor for `list`; anything malformed, or a cursor of another list or
 * order, is a 400 naming the parameter.
 */
export function decodeCursor(text: string, list: CursorList, parameter = "cursor"): Cursor {
	const invalid = (message: string) =>
		new AppError(400, `${parameter}: this cursor is not valid. Start again from the first page.`, {
			errors: [{ path: parameter, message }],
		});
	const malformed = () => invalid("Malformed or foreign cursor.");
	if (text.length > 200 || !/^[A-Za-z0-9_-]+$/.test(text)) throw malformed();
	let parsed: unknown;
	try {
		const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
		parsed = JSON.parse(
			new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
				Uint8Array.from(binary, (c) => c.charCodeAt(0)),
			),
		);
	} catch {
		throw malformed();
	}
	const result = cursorShape.safeParse(parsed);
	if (!result.success) throw malformed();
	const decoded = result.data;
	const position: Cursor =
		decoded[0] === "k" ? [decoded[0], decoded[1], decoded[2]] : [decoded[0], decoded[1]];
	const named = decoded[0] === "k" ? decoded[3] : decoded[2];
	if (named === undefined ? !LEGACY_FITS[list](position) : named !== list)
		throw invalid("A cursor of another list or order.");
	return position;
}
