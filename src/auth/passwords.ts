/**
 * Password hashing with PBKDF2-SHA256 through WebCrypto. workerd refuses more than
 * 100,000 iterations, so that is both what we use and the most a stored hash may claim
 * (a hash claiming more is refused instead of failing at run time).
 */

const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;
const encoder = new TextEncoder();

export async function hashPassword(password: string, pepper?: string): Promise<string> {
	const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
	const hash = await derive(password, salt, PBKDF2_ITERATIONS, pepper);
	return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** Constant-time comparison of the derived key; false for any malformed stored hash. */
export async function verifyPassword(password: string, stored: string, pepper?: string): Promise<boolean> {
	const parts = stored.split("$");
	if (parts.length !== 4 || parts[0] !== "pbkdf2-sha256") return false;
	const iterations = Number(parts[1]);
	if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) return false;
	const salt = fromBase64(parts[2] ?? "");
	const expected = fromBase64(parts[3] ?? "");
	if (!salt || !expected || expected.length !== HASH_BITS / 8) return false;
	const actual = await derive(password, salt, iterations, pepper);
	return timingSafeEqual(actual, expected);
}

/** A dummy hash to verify against for unknown users, so both paths cost the same. */
export const DUMMY_HASH =
	"pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number, pepper?: string) {
	let material = new Uint8Array(encoder.encode(password.normalize("NFKC")));
	if (pepper) {
		const key = await crypto.subtle.importKey(
			"raw",
			encoder.encode(pepper),
			{ name: "HMAC", hash: "SHA-256" },
			false,
			["sign"],
		);
		material = new Uint8Array(await crypto.subtle.sign("HMAC", key, material));
	}
	const key = await crypto.subtle.importKey("raw", material, "PBKDF2", false, ["deriveBits"]);
	const bits = await crypto.subtle.deriveBits(
		{ name: "PBKDF2", hash: "SHA-256", salt, iterations },
		key,
		HASH_BITS,
	);
	return new Uint8Array(bits);
}

function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
	return diff === 0;
}

function toBase64(bytes: Uint8Array): string {
	let binary = "";
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
	try {
		const binary = atob(text);
		return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
	} catch {
		return null;
	}
}

/** A readable generated password: 20 characters from an unambiguous alphabet (~115 bits). */
export function generatePassword(length = 20): string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	const out: string[] = [];
	const limit = 256 - (256 % alphabet.length);
	while (out.length < length) {
		for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
			if (byte < limit && out.length < length) out.push(alphabet[byte % alphabet.length] ?? "");
		}
	}
	return out.join("");
}
