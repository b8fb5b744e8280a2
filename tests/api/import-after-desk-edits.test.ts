import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { account, apiCall, apiToken } from "../desk/helpers";
import { call, json, uniquePlace } from "../helpers";

/**
 * A re-import of the same file after desk work on its claims (a speaker renamed, a namesake
 * recorded, a claim's text corrected): "running an import twice changes nothing", and the
 * publisher's verdict corrections still come in.
 */

interface ImportAnswer {
	summary: Record<string, number>;
	results: { status: string; claimId?: string; reason?: string; changes?: string[]; warnings?: string[] }[];
}

async function importer() {
	const editor = await account("editor");
	const { token } = await apiToken(editor.user, ["import", "claims:write"]);
	return { editor, token };
}

async function send(token: string, records: unknown[]) {
	const response = await apiCall("POST", "/api/v1/import", { token, body: { records } });
	expect(response.status, await response.clone().text()).toBe(200);
	return json<ImportAnswer>(response);
}

function record(
	word: string,
	speaker: string,
	options: { externalId?: string; rating?: string; text?: string } = {},
) {
	return {
		...(options.externalId ? { externalId: options.externalId } : {}),
		claim: {
			text: options.text ?? `The ferry to ${word} carried grain through the strait at night.`,
			language: "en",
			claimedAt: "2025-07-01",
		},
		speaker: { name: speaker, kind: "person" },
		sources: [{ url: `https://news.example/${word}`, title: "Article" }],
		verdict: {
			rating: options.rating ?? "false",
			originalRating: options.rating ?? "False",
			headline: `The ferry to ${word} carried none`,
			url: `https://check.example/${word}`,
			publishedAt: "2025-07-02",
		},
	};
}

describe("a re-import after the desk corrected the claim's text", () => {
	it("answers with a warning, keeps the desk's text and imports the corrected verdict", async () => {
		const { token } = await importer();
		const word = uniquePlace();
		const externalId = `ext-${newId()}`;
		const original = `Unemployment in ${word} rose by 20 percent last year.`;
		const corrected = `Unemployment in ${word} rose by 2 percent last year.`;
		const first = await send(token, [record(word, `Eva Ferrywoman ${word}`, { externalId, text: original })]);
		const claimId = first.results[0]?.claimId ?? "";
		const read = await json<{ version: number }>(await call(`/api/v1/claims/${claimId}`));
		const edited = await apiCall("PATCH", `/api/v1/claims/${claimId}`, {
			token,
			body: {
				version: read.version,
				text: corrected,
				note: "Transcription fixed: the speaker said 2 percent.",
			},
		});
		expect(edited.status, await edited.clone().text()).toBe(200);

		const again = await send(token, [
			record(word, `Eva Ferrywoman ${word}`, { externalId, text: original, rating: "half-true" }),
		]);
		expect(again.results[0]).toMatchObject({ status: "updated", claimId, changes: ["verdict"] });
		expect(again.results[0]?.warnings).toEqual([
			"claim text differ from the stored claim, which is kept as it is",
		]);
		const claim = await json<{ text: string; verdict: { rating: { key: string } } }>(
			await call(`/api/v1/claims/${claimId}`),
		);
		expect(claim).toMatchObject({ text: corrected, verdict: { rating: { key: "half-true" } } });
		const third = await send(token, [
			record(word, `Eva Ferrywoman ${word}`, { externalId, text: original, rating: "half-true" }),
		]);
		expect(third.results[0]).toMatchObject({ status: "unchanged", claimId });
		// Another claim under that id is still refused.
		const other = await send(token, [
			record(word, `Eva Ferrywoman ${word}`, { externalId, text: `The bridge in ${word} cost 300 million.` }),
		]);
		expect(other.results[0]?.status).toBe("rejected");
	});
});
