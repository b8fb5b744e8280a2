import { afterEach, describe, expect, it, vi } from "vitest";
import { ID_LENGTH, ID_PATTERN, isId, newId, newToken, sha256Hex } from "../../src/domain/ids";

afterEach(() => {
	vi.restoreAllMocks();
});

/** Replaces getRandomValues with one that hands out `bytes` in order, then zeros. */
function feedRandomBytes(bytes: readonly number[]) {
	let next = 0;
	return vi.spyOn(crypto, "getRandomValues").mockImplementation((array) => {
		if (array instanceof Uint8Array) {
			for (let i = 0; i < array.length; i++) array[i] = bytes[next++] ?? 0;
		}
		return array;
	});
}

describe("newId", () => {
	it("is 14 characters of 0-9a-z", () => {
		for (let i = 0; i < 200; i++) {
			const id = newId();
			expect(id).toHaveLength(ID_LENGTH);
			expect(id).toMatch(/^[0-9a-z]{14}$/);
			expect(isId(id)).toBe(true);
		}
		expect(ID_LENGTH).toBe(14);
	});

	it("does not repeat", () => {
		const ids = new Set(Array.from({ length: 10_000 }, () => newId()));
		expect(ids.size).toBe(10_000);
	});

	it("rejects bytes of 252 and above instead of folding them in (no modulo bias)", () => {
		// 252..255 would map to 0..3 under `% 36`; they must be skipped, not used.
		feedRandomBytes([252, 253, 254, 255, 0, 35, 36, 71, 251, 10, 1, 2, 3, 4, 5, 6, 7, 8]);
		expect(newId()).toBe("0z0zza12345678");
	});

	it("draws more random bytes when a whole batch is rejected", () => {
		const spy = feedRandomBytes([
			...Array.from({ length: 24 }, () => 255),
			...Array.from({ length: 14 }, () => 13),
		]);
		expect(newId()).toBe("d".repeat(14));
		expect(spy).toHaveBeenCalledTimes(2);
	});

	it("uses every character about equally often", () => {
		const counts = new Map<string, number>();
		const n = 4_000;
		for (let i = 0; i < n; i++) for (const ch of newId()) counts.set(ch, (counts.get(ch) ?? 0) + 1);
		expect(counts.size).toBe(36);
		const expected = (n * ID_LENGTH) / 36;
		// Chi-squared with 35 degrees of freedom: 80 is far beyond p = 0.0001 (≈ 73.4).
		let chiSquared = 0;
		for (const count of counts.values()) chiSquared += (count - expected) ** 2 / expected;
		expect(chiSquared).toBeLessThan(80);
	});
});

describe("isId and ID_PATTERN", () => {
	it.each(["0123456789abcd", "zzzzzzzzzzzzzz", "00000000000000"])("accepts %s", (id) => {
		expect(isId(id)).toBe(true);
		expect(ID_PATTERN.test(id)).toBe(true);
	});

	it.each([
		"",
		"0123456789abc",
		"0123456789abcde",
		"0123456789ABCD",
		"0123456789abc-",
		"0123456789abc_",
		" 0123456789abcd",
		"0123456789abcd\n",
		"0123456789abcä",
		"../../etc/passw",
	])("rejects %j", (id) => {
		expect(isId(id)).toBe(false);
		expect(ID_PATTERN.test(id)).toBe(false);
	});

	it("rejects non-strings", () => {
		for (const value of [null, undefined, 12345678901234, {}, ["0123456789abcd"]])
			expect(isId(value)).toBe(false);
	});

	it("keeps no state between tests (the pattern is not global)", () => {
		expect(ID_PATTERN.global).toBe(false);
		expect(ID_PATTERN.sticky).toBe(false);
		const id = newId();
		expect([ID_PATTERN.test(id), ID_PATTERN.test(id), ID_PATTERN.test(id)]).toEqual([true, true, true]);
	});
});

describe("newToken", () => {
	it("encodes 32 random bytes as 43 base64url characters without padding", () => {
		const token = newToken();
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
	});

	it("has the length of the requested bytes", () => {
		expect(newToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(newToken(48)).toMatch(/^[A-Za-z0-9_-]{64}$/);
		expect(newToken(65_536)).toHaveLength(Math.ceil((65_536 * 4) / 3));
	});

	it("uses the URL-safe alphabet for the bytes that base64 writes as + and /", () => {
		feedRandomBytes(Array.from({ length: 32 }, () => 0xff));
		expect(newToken()).toBe(`${"_".repeat(42)}8`);
		vi.restoreAllMocks();
		feedRandomBytes(Array.from({ length: 18 }, () => 0xfb));
		expect(newToken(18)).toBe("-_v7".repeat(6));
	});

	it("does not repeat", () => {
		const tokens = new Set(Array.from({ length: 2_000 }, () => newToken()));
		expect(tokens.size).toBe(2_000);
	});

	it("refuses lengths too short to be secret or too long for getRandomValues", () => {
		for (const bytes of [0, -1, 15, 1.5, Number.NaN, 65_537, Number.POSITIVE_INFINITY]) {
			expect(() => newToken(bytes)).toThrow(RangeError);
		}
	});
});

describe("sha256Hex", () => {
	it.each([
		["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
		["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
		[
			"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
			"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
		],
	])("hashes %j as in FIPS 180-2", async (text, hex) => {
		expect(await sha256Hex(text)).toBe(hex);
	});

	it("hashes the UTF-8 bytes of non-ASCII text", async () => {
		// UTF-8 of "ä" is C3 A4; UTF-16 would give a different digest.
		expect(await sha256Hex("ä")).toBe(await sha256Hex("\u00e4"));
		expect(await sha256Hex("ä")).not.toBe(await sha256Hex("a\u0308"));
		expect(await sha256Hex("Größe")).toMatch(/^[0-9a-f]{64}$/);
	});

	it("handles long input", async () => {
		expect(await sha256Hex("a".repeat(1_000_000))).toBe(
			"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
		);
	});
});
