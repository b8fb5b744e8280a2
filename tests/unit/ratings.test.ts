import { describe, expect, it } from "vitest";
import {
	CLAIM_STATUSES,
	claimReviewRating,
	describeStatus,
	getRating,
	isClaimStatus,
	isRatingKey,
	RATING_KEYS,
	RATINGS,
	ratingsContradict,
	UI_LANGUAGES,
} from "../../src/domain/ratings";

describe("rating scale", () => {
	it("has exactly the keys of the design, in order from best to worst", () => {
		expect(RATINGS.map((r) => r.key)).toEqual([...RATING_KEYS]);
		expect(RATING_KEYS).toEqual([
			"true",
			"mostly-true",
			"half-true",
			"missing-context",
			"misleading",
			"mostly-false",
			"false",
			"unsupported",
		]);
	});

	it("labels every key in every UI language", () => {
		for (const rating of RATINGS) {
			for (const lang of UI_LANGUAGES) expect(rating.labels[lang].trim()).not.toBe("");
		}
		expect(getRating("mostly-true").labels.de).toBe("Größtenteils richtig");
		expect(getRating("missing-context").labels.de).toBe("Fehlender Kontext");
	});

	it("maps numeric values on the 1..5 scale and none for missing-context and unsupported", () => {
		expect(Object.fromEntries(RATINGS.map((r) => [r.key, r.value]))).toEqual({
			true: 5,
			"mostly-true": 4,
			"half-true": 3,
			"missing-context": null,
			misleading: 2,
			"mostly-false": 2,
			false: 1,
			unsupported: null,
		});
	});

	it("publishes only alternateName for keys without a number", () => {
		expect(claimReviewRating("unsupported", "en")).toEqual({
			"@type": "Rating",
			alternateName: "Unsupported",
		});
		expect(claimReviewRating("false", "de")).toEqual({
			"@type": "Rating",
			alternateName: "Falsch",
			ratingValue: 1,
			worstRating: 1,
			bestRating: 5,
		});
	});

	it("has distinct hex colours with enough contrast for white text", () => {
		const luminance = (hex: string) => {
			const [r, g, b] = [1, 3, 5].map((i) => {
				const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
				return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
			}) as [number, number, number];
			return 0.2126 * r + 0.7152 * g + 0.0722 * b;
		};
		for (const rating of RATINGS) {
			expect(rating.colour).toMatch(/^#[0-9a-f]{6}$/);
			expect(1.05 / (luminance(rating.colour) + 0.05)).toBeGreaterThanOrEqual(4.5);
		}
	});

	it("recognises keys and statuses and rejects everything else", () => {
		expect(isRatingKey("false")).toBe(true);
		expect(isRatingKey("pants-fire")).toBe(false);
		expect(isRatingKey("unverified")).toBe(false);
		expect(isRatingKey(undefined)).toBe(false);
		expect(isRatingKey("FALSE")).toBe(false);
		for (const status of CLAIM_STATUSES) expect(isClaimStatus(status)).toBe(true);
		expect(isClaimStatus("toString")).toBe(false);
		expect(() => getRating("nope" as never)).toThrow(RangeError);
	});

	it("describes pending statuses", () => {
		expect(describeStatus("unverified", "de").label).toBe("Ungeprüft");
		expect(describeStatus("in-review", "en").label).toBe("In review");
	});
});

describe("ratingsContradict", () => {
	it("holds two or more steps apart on the scale, never for ratings off it", () => {
		expect(ratingsContradict("true", "false")).toBe(true);
		expect(ratingsContradict("half-true", "false")).toBe(true);
		expect(ratingsContradict("mostly-true", "mostly-false")).toBe(true);
		expect(ratingsContradict("mostly-false", "false")).toBe(false);
		expect(ratingsContradict("false", "false")).toBe(false);
		for (const key of RATING_KEYS) {
			expect(ratingsContradict("missing-context", key)).toBe(false);
			expect(ratingsContradict(key, "unsupported")).toBe(false);
			expect(ratingsContradict(key, key)).toBe(false);
		}
	});
});
