import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { account, apiCall, apiToken } from "../desk/helpers";
import { makeClaim } from "../factories";
import { call, json } from "../helpers";

interface GoogleReview {
	textualRating: string;
	languageCode: string;
}
interface GoogleAnswer {
	claims?: { text: string; claimReview: GoogleReview[] }[];
}

/** The ClaimReview JSON-LD of a claim page: its review's rating words and language. */
async function claimReviewOf(claimId: string) {
	const page = await (await call(`/claims/${claimId}`)).text();
	const ld = /<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/.exec(page)?.[1] ?? "{}";
	const review = JSON.parse(ld) as { inLanguage?: string; reviewRating?: { alternateName?: string } };
	return { rating: review.reviewRating?.alternateName, language: review.inLanguage };
}

/**
 * A review's language written with three letters ("deu") was stored so, and the answers
 * disagreed on it: Google's search named its rating in German ("de…"), its ClaimReview in
 * English (primary subtag "deu" is no interface language), and `languageCode=de` missed it.
 * Tags are now stored with a language's shortest code, and one rule labels a rating.
 */
describe("a review's language, written with three letters", () => {
	async function published(language: string) {
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["verdicts:write", "verdicts:publish"]);
		const marker = `Dreibuchstaben${newId()}`;
		const claim = await makeClaim({ text: `Die Fähre ${marker} fährt nicht mehr.`, language: "de" });
		const draft = await json<{ id: string; version: number; language: string }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token,
				body: {
					rating: "false",
					headline: "Nicht so",
					evidence: [{ url: "https://evidence.example/a", title: "A" }],
					language,
				},
			}),
		);
		const done = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token,
			body: { version: draft.version },
		});
		expect(done.status).toBe(200);
		return { claim, marker, draft };
	}

	const google = async (query: string) =>
		(await json<GoogleAnswer>(await call(`/v1alpha1/claims:search?${query}`))).claims ?? [];

	it("is stored as its two letters, and every answer names the rating in German", async () => {
		const { claim, marker, draft } = await published("deu");
		expect(draft.language).toBe("de");
		const [found] = await google(`query=${marker}`);
		expect(found?.claimReview[0]).toMatchObject({ textualRating: "Falsch", languageCode: "de" });
		expect(await claimReviewOf(claim.id)).toEqual({ rating: "Falsch", language: "de" });
		// Found by the language, however the client writes it.
		for (const code of ["de", "deu", "ger", "de-AT"])
			expect((await google(`query=${marker}&languageCode=${code}`)).length, code).toBe(1);
		expect(await google(`query=${marker}&languageCode=en`)).toEqual([]);
		expect(await google(`query=${marker}&languageCode=und`)).toEqual([]);
	});

	it("a language of its own that starts with 'de' is not German in any answer", async () => {
		const { claim, marker } = await published("del");
		const [found] = await google(`query=${marker}`);
		const ld = await claimReviewOf(claim.id);
		expect(ld).toEqual({ rating: "False", language: "del" });
		expect(found?.claimReview[0]).toMatchObject({ textualRating: ld.rating, languageCode: "del" });
	});
});
