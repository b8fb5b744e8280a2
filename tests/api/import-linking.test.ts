import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { apiCall, apiToken, makeUser } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { call, json } from "../helpers";

interface ImportAnswer {
	summary: Record<string, number>;
	results: { index: number; status: string; claimId?: string; changes?: string[]; warnings?: string[] }[];
}

/** A random name of letters only: "Minister 14fqj" would carry a number the claim has not. */
const name = () =>
	`Minister ${newId()
		.replace(/\d/g, (d) => "abcdefghij"[Number(d)] ?? "a")
		.slice(0, 6)}`;

async function importer() {
	const { user } = await makeUser("editor");
	return (await apiToken(user, ["import"])).token;
}

function record(text: string, speaker: string, url: string) {
	return {
		claim: { text, language: "en", claimedAt: "2025-03-01" },
		speaker: { name: speaker, kind: "person" },
		sources: [{ url, title: "Another outlet" }],
		verdict: {
			rating: "false",
			originalRating: "False",
			headline: "Exports did not double",
			url: `https://factcheck.example/${newId()}`,
		},
	};
}

describe("POST /api/v1/import links restated claims", () => {
	it("a record stating a recorded claim in other words becomes an appearance of it (linked), once", async () => {
		const town = `Zeta${newId().slice(0, 6)}`;
		const speaker = name();
		const original = await makeClaim({
			text: `Exports from ${town} doubled in 2024.`,
			language: "en",
			speaker: { name: speaker },
		});
		await publish(original.id, "false");
		const token = await importer();
		const url = `https://other-outlet.example/${newId()}`;
		const restated = record(`"In 2024, exports from ${town} doubled," ${speaker} said.`, speaker, url);
		const nearMiss = record(
			`Exports from ${town} doubled in 2023.`,
			speaker,
			`https://other-outlet.example/${newId()}`,
		);
		const first = await json<ImportAnswer>(
			await apiCall("POST", "/api/v1/import", { token, body: { records: [restated, nearMiss] } }),
		);
		expect(first.summary).toMatchObject({ linked: 1, created: 1 });
		expect(first.results[0]).toMatchObject({
			status: "linked",
			claimId: original.id,
			changes: ["appearance"],
		});
		expect(first.results[0]?.warnings?.[0]).toContain("its verdict was not imported");
		expect(first.results[1]?.status).toBe("created");
		const detail = await json<{ appearances: { source: { url: string } }[]; history: unknown[] }>(
			await call(`/api/v1/claims/${original.id}`),
		);
		expect(detail.appearances.map((a) => a.source.url)).toContain(url);
		expect(detail.history).toHaveLength(1);

		// Sent again: still linked, nothing new.
		const again = await json<ImportAnswer>(
			await apiCall("POST", "/api/v1/import", { token, body: { records: [restated] } }),
		);
		expect(again.results[0]).toMatchObject({ status: "linked", claimId: original.id });
		expect(again.results[0]?.changes).toBeUndefined();
	});

	it("the very same words are matched by the store as before (updated, not linked)", async () => {
		const town = `Zeta${newId().slice(0, 6)}`;
		const speaker = name();
		const original = await makeClaim({
			text: `Exports from ${town} doubled in 2024.`,
			language: "en",
			speaker: { name: speaker },
		});
		const token = await importer();
		const answer = await json<ImportAnswer>(
			await apiCall("POST", "/api/v1/import", {
				token,
				body: {
					records: [record(`Exports from ${town} doubled in 2024.`, speaker, `https://x.example/${newId()}`)],
				},
			}),
		);
		expect(answer.results[0]).toMatchObject({ status: "updated", claimId: original.id });
	});
});
