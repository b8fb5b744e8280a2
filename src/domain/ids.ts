/**
 * Identifiers and secrets. Ids are public (they appear in URLs), so they must be
 * unguessable: enumerating drafts or unpublished claims by counting is not possible.
 */

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
export const ID_LENGTH = 14;

/** 14 characters of 0-9a-z; not global, so `.test` keeps no state between calls. */
export const ID_PATTERN = /^[0-9a-z]{14}$/;

/*
 * 252 is the largest multiple of 36 below 256: bytes from 252 up are thrown away
 * instead of folded in with `% 36`, which would make 0–3 more likely than the rest.
 */
const ACCEPT_BELOW = 256 - (256 % ALPHABET.length);

/** A new random id: 14 characters of 0-9a-z, log2(36^14) ≈ 72.4 bits of entropy. */
export function newId(): string {
	let id = "";
	// 24 bytes almost always suffice (each byte is kept with p = 252/256).
	const bytes = new Uint8Array(24);
	while (id.length < ID_LENGTH) {
		crypto.getRandomValues(bytes);
		for (const byte of bytes) {
			if (byte >= ACCEPT_BELOW) continue;
			id += ALPHABET.charAt(byte % ALPHABET.length);
			if (id.length === ID_LENGTH) break;
		}
	}
	return id;
}

export function isId(value: unknown): value is string {
	return typeof value === "string" && ID_PATTERN.test(value);
}

/* getRandomValues refuses more than 65,536 bytes per call. */
const MAX_TOKEN_BYTES = 65_536;

/**
 * A secret for sessions and API tokens: `bytes` random bytes (default 32 = 256 bits)
 * as unpadded base64url, 43 characters for the default. Store only its `sha256Hex`.
 */
export function newToken(bytes = 32): string {
	if (!Number.isInteger(bytes) || bytes < 16 || bytes > MAX_TOKEN_BYTES) {
		throw new RangeError(`token length must be an integer from 16 to ${MAX_TOKEN_BYTES} bytes, got ${bytes}`);
	}
	const random = crypto.getRandomValues(new Uint8Array(bytes));
	let binary = "";
	for (const byte of random) binary += String.fromCharCode(byte);
	return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Lower-case hex SHA-256 of bytes, or of the UTF-8 encoding of `text`. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
	const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
	const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
	let hex = "";
	for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, "0");
	return hex;
}
