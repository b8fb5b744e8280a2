import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import type { ImportRecord } from "../../src/schemas/import-record";
import { apiCall, apiToken, makeUser } from "../desk/helpers";
import { call, json } from "../helpers";

/**
 * An appearance the desk removed (a source named by mistake) stays removed when the same
 * import runs again: it re-added the source, answered `updated` with `changes:
 * ["appearance"]`, and the claim listed the source again under its public "Appearance
 * removed" note.
 */

interface ImportAnswer {
	results: { status: string; claimId?: string; changes?: string[]; warnings?: string[] }[];
}

interface PublicClaim {
	version: number;
	appearances: { id: string; source: { url: string } }[];
	changes: { field: string; summary: string }[];
}

const record = (id: string, sources: string[]) =>
	({
		externalId: `removed-${id}`,
		claim: { text: `Der Hafen ${id} wurde 2024 geschlossen.`, language: "de", claimedAt: "2025-07-01" },
		speaker: { name: `Hafenmeisterin ${id}`, kind: "person" },
		sources: sources.map((url, i) => ({ url, title: i === 0 ? "Right Times" : "Wrong Gazette" })),
		verdict: {
			rating: "false",
			originalRating: "Falsch",
			headline: "Der Hafen ist offen",
			url: `https://check.example/${id}`,
			publishedAt: "2025-07-02",
		},
	}) satisfies ImportRecord;

async function send(token: string, records: unknown[]): Promise<ImportAnswer> {
	const response = await apiCall("POST", "/api/v1/import", { token, body: { records } });
	expect(response.status, await response.clone().text()).toBe(200);
	return json<ImportAnswer>(response);
}

const read = async (claimId: string) => json<PublicClaim>(await call(`/api/v1/claims/${claimId}`));

describe("POST /api/v1/import after the desk removed an appearance", () => {
	it("does not add the removed source again, and says why", { timeout: 60_000 }, async () => {
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["import", "claims:write"]);
		const id = newId();
		const right = `https://right.example/${id}`;
		const wrong = `https://wrong-gazette.example/${id}`;
		const first = await send(token, [record(id, [right, wrong])]);
		const claimId = first.results[0]?.claimId ?? "";
		expect(first.results[0]?.status).toBe("created");

		const before = await read(claimId);
		const wrongAppearance = before.appearances.find((a) => a.source.url === wrong);
		expect(wrongAppearance).toBeDefined();
		const removal = await apiCall("DELETE", `/api/v1/claims/${claimId}/appearances/${wrongAppearance?.id}`, {
			token,
			body: { version: before.version, note: "The Gazette never ran it." },
		});
		expect(removal.status, await removal.clone().text()).toBe(200);
		const removed = await read(claimId);

		// The same file again, and the record naming the removed source first.
		for (const again of [record(id, [right, wrong]), record(id, [wrong, right])]) {
			const answer = await send(token, [again]);
			expect(answer.results[0]).toMatchObject({ status: "unchanged", claimId });
			expect(answer.results[0]?.changes).toBeUndefined();
			expect(answer.results[0]?.warnings).toEqual([
				expect.stringContaining("the desk removed this appearance"),
			]);
			expect(answer.results[0]?.warnings?.[0]).toContain(wrong);
		}
		const after = await read(claimId);
		expect(after.appearances.map((a) => a.source.url)).toEqual([right]);
		expect(after.version).toBe(removed.version);
		expect(after.changes.filter((c) => c.field === "appearance")).toHaveLength(1);

		// A source the desk did not remove is still added.
		const more = `https://more.example/${id}`;
		const added = await send(token, [record(id, [right, wrong, more])]);
		expect(added.results[0]).toMatchObject({ status: "updated", changes: ["appearance"] });
		expect((await read(claimId)).appearances.map((a) => a.source.url)).toEqual([right, more]);
	});
});
