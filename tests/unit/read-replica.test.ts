import { describe, expect, it } from "vitest";
import { isHotPath } from "../../src/lib/hot-cache";
import { sessionStart } from "../../src/lib/read-replica";

describe("where a public read starts", () => {
	it("a client's bookmark reads its own writes, wherever the answer goes", () => {
		expect(sessionStart("00000002-00000004-00004f6f-5c4d8e2f3b", true)).toBe(
			"00000002-00000004-00004f6f-5c4d8e2f3b",
		);
		expect(sessionStart("00000002-00000004-00004f6f-5c4d8e2f3b", false)).toBe(
			"00000002-00000004-00004f6f-5c4d8e2f3b",
		);
	});

	it("an answer stored for everyone reads the primary; one only a browser keeps may read a replica", () => {
		expect(sessionStart(undefined, true)).toBe("first-primary");
		expect(sessionStart(undefined, false)).toBe("first-unconstrained");
		// A forged bookmark is no bookmark.
		expect(sessionStart("x'; DROP", true)).toBe("first-primary");
		expect(sessionStart("a".repeat(201), false)).toBe("first-unconstrained");
	});

	it("without Workers Caching, a claim's JSON is kept for everyone (isolate memory, Cache API); a list is not", () => {
		expect(isHotPath("/api/v1/claims/abcdefghij0123")).toBe(true);
		expect(isHotPath("/badges/abcdefghij0123.svg")).toBe(true);
		expect(isHotPath("/api/v1/claims")).toBe(false);
		expect(isHotPath("/api/v1/claims/matches")).toBe(false);
		expect(isHotPath("/feeds/verdicts.atom")).toBe(false);
	});
});
