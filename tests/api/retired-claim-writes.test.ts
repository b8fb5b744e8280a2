import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { SYSTEM } from "../../src/store/batch";
import { mergeClaims } from "../../src/store/claim-merges";
import { account, apiCall, apiToken } from "../desk/helpers";
import { makeClaim } from "../factories";
import { BASE, call, fetchWith, json, racingD1, testDb } from "../helpers";

/** Writes naming a claim that left the tracker (merged into another, or removed), and records of one. */

const TIMEOUT = { timeout: 60_000 };

async function editorToken() {
	return (await apiToken((await account("editor")).user, ["claims:write", "verdicts:write"])).token;
}

const version = async (id: string) =>
	(await json<{ version: number }>(await call(`/api/v1/claims/${id}`))).version;

async function merge(token: string, id: string, into: string) {
	const merged = await apiCall("POST", `/api/v1/claims/${id}/merge`, {
		token,
		body: { into, version: await version(id), note: "Same." },
	});
	expect(merged.status, await merged.clone().text()).toBe(200);
}

async function remove(token: string, id: string) {
	const removed = await apiCall("DELETE", `/api/v1/claims/${id}`, {
		token,
		body: { version: await version(id), reason: "By mistake." },
	});
	expect(removed.status, await removed.clone().text()).toBe(200);
	return (await json<{ removedAt: string }>(removed)).removedAt;
}

describe("a write to a claim that was merged or removed", () => {
	/** Each write (and the notes' read) of a claim, as a token sends it. */
	function writes(id: string, v: number) {
		return [
			["POST", `/api/v1/claims/${id}/appearances`, { source: { url: `https://news.example/${newId()}` } }],
			["PATCH", `/api/v1/claims/${id}`, { version: v, context: "More." }],
			["PATCH", `/api/v1/claims/${id}`, { version: v, tags: [`Topic ${newId()}`] }],
			["POST", `/api/v1/claims/${id}/verdicts`, { rating: "false", headline: "No." }],
			["POST", `/api/v1/claims/${id}/notes`, { text: "A note." }],
			["GET", `/api/v1/claims/${id}/notes`, undefined],
			["POST", `/api/v1/claims/${id}/assignee`, { email: null }],
			["DELETE", `/api/v1/claims/${id}/appearances/${newId()}`, { version: v }],
		] as const;
	}

	it(
		"says where a merged claim went (409 claim-merged) and when a removed one went (410), as GET and DELETE do",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const kept = await makeClaim();
			const merged = await makeClaim();
			const removed = await makeClaim();
			const mergedVersion = await version(merged.id);
			const removedVersion = await version(removed.id);
			await merge(token, merged.id, kept.id);
			const removedAt = await remove(token, removed.id);
			for (const [method, path, body] of writes(merged.id, mergedVersion)) {
				const response = await apiCall(method, path, { token, ...(body ? { body } : {}) });
				expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBe(409);
				expect(await json(response), `${method} ${path}`).toMatchObject({
					type: "urn:claimtrack:problem:claim-merged",
					mergedInto: kept.id,
					claim: `${BASE}/api/v1/claims/${kept.id}`,
				});
			}
			for (const [method, path, body] of writes(removed.id, removedVersion)) {
				const response = await apiCall(method, path, { token, ...(body ? { body } : {}) });
				expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBe(410);
				expect(await json(response), `${method} ${path}`).toMatchObject({
					type: "urn:claimtrack:problem:claim-removed",
					removedAt,
				});
			}
			// An id that never named a claim stays a 404.
			const unknown = await apiCall("POST", `/api/v1/claims/${newId()}/notes`, {
				token,
				body: { text: "A note." },
			});
			expect(unknown.status).toBe(404);
		},
	);

	it(
		"racing a merge: a note, a draft or an appearance sent while the claim is merged away says where it went",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			for (const [path, body, table] of [
				["notes", { text: "A note." }, "claim_notes"],
				["verdicts", { rating: "false", headline: "No." }, "verdicts"],
				["appearances", { source: { url: `https://news.example/${newId()}` } }, "appearances"],
			] as const) {
				const kept = await makeClaim();
				const duplicate = await makeClaim();
				const v = await version(duplicate.id);
				const { response } = await fetchWith(
					racingD1(new RegExp(`^insert into "${table}"`, "i"), () =>
						mergeClaims(testDb(), SYSTEM("test"), duplicate.id, { into: kept.id, version: v, note: "Same." }),
					),
					`/api/v1/claims/${duplicate.id}/${path}`,
					{
						method: "POST",
						headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
						body: JSON.stringify(body),
					},
				);
				expect(response.status, `${path}: ${await response.clone().text()}`).toBe(409);
				expect(await json(response)).toMatchObject({
					type: "urn:claimtrack:problem:claim-merged",
					mergedInto: kept.id,
				});
			}
		},
	);
});
