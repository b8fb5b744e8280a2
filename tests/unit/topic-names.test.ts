import { describe, expect, it } from "vitest";
import { sameTopicName, topicNameLikes } from "../../src/domain/topic-names";

describe("topic names", () => {
	it("compare without case in any script, not without accents", () => {
		expect(sameTopicName("ärzte x", "Ärzte X")).toBe(true);
		expect(sameTopicName("ВОЙНА", "война")).toBe(true);
		expect(sameTopicName("Wahl", "Wähl")).toBe(false);
	});

	it("narrow in SQL by LIKE: other characters any one, LIKE's signs escaped, at most D1's 50 bytes", () => {
		expect(topicNameLikes("ärzte x")).toEqual(["_rzte x", "a_rzte x"]);
		expect(topicNameLikes("100% _sure_ \\o/")).toEqual(["100\\% \\_sure\\_ \\\\o/"]);
		const long = topicNameLikes(`Öffentliche Gesundheit und Versorgung über ${"%".repeat(20)}`);
		for (const pattern of long) {
			expect(new TextEncoder().encode(pattern).length).toBeLessThanOrEqual(50);
			expect(pattern.endsWith("%")).toBe(true);
			// Never cut inside an escape.
			expect(pattern.slice(0, -1)).not.toMatch(/(^|[^\\])(\\\\)*\\$/);
		}
		expect(topicNameLikes("x".repeat(50))).toEqual(["x".repeat(50)]);
		expect(topicNameLikes("x".repeat(51))).toEqual([`${"x".repeat(49)}%`]);
	});
});
