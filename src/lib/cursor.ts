import * as z from "zod";
import { AppError } from "./errors";

/**
 * Opaque page cursors: base64url of a small JSON array. Keyset cursors hold the
 * last row's sort value and seq; relevance-ranked search holds an offset.
 */
/* A keyset value: a timestamp, or a slug (up to SLUG_MAX_LENGTH, 80, and a namesake's "-N"). Encoded, 120 stays within a cursor's 200 characters. */
const KEYSET_VALUE_MAX = 120;
const cursorShape = z.union([
	z.tuple([
		z.literal("k"),
		z.union([z.string().max(KEYSET_VALUE_MAX), z.number(), z.null()]),
		z.number().int().positive(),
	]),
	z.tuple([z.literal("o"), z.number().int().min(0).max(10_000)]),
]);
export type Cursor = z.output<typeof cursorShape>;

export function encodeCursor(cursor: Cursor): string {
	const bytes = new TextEncoder().encode(JSON.stringify(cursor));
	let binary = "";
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Decodes a client's cursor; anything malformed is a 400 naming the parameter. */
export function decodeCursor(text: string, parameter = "cursor"): Cursor {
	const invalid = () =>
		new AppError(400, `${parameter}: this cursor is not valid. Start again from the first page.`, {
			errors: [{ path: parameter, message: "Malformed or foreign cursor." }],
		});
	if (text.length > 200 || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalid();
	let parsed: unknown;
	try {
		const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
		parsed = JSON.parse(
			new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
				Uint8Array.from(binary, (c) => c.charCodeAt(0)),
			),
		);
	} catch {
		throw invalid();
	}
	const result = cursorShape.safeParse(parsed);
	if (!result.success) throw invalid();
	return result.data;
}
