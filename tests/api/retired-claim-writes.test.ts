import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { claims } from "../../src/db/schema";
import { newId, newToken } from "../../src/domain/ids";
import { SYSTEM } from "../../src/store/batch";
import { mergeClaims } from "../../src/store/claim-merges";
import { removeClaim } from "../../src/store/claim-removals";
import { account, apiCall, apiToken, claimForm, deskPost } from "../desk/helpers";
import { makeClaim } from "../factories";
import { BASE, call, fetchWith, json, racingD1, testDb, uniquePlace } from "../helpers";

/** Writes naming a claim that left the tracker (merged into another, or removed), and records of one. */

const TIMEOUT = { timeout: 60_000 };

async function editorToken() {
	return (await apiToken((await account("editor")).user, ["claims:write", "verdicts:write", "import"])).token;
}

const version = async (id: string) =>
	(await json<{ version: number }>(await call(`/api/v1/claims/${id}`))).version;

function newClaim(text: string, speaker: string, externalId: string | null) {
	return {
		text,
		language: "de",
		claimedAt: "2025-07-12",
		speaker: { name: speaker, kind: "person" },
		source: { url: `https://news.example/${newId()}`, title: "Bericht" },
		externalId,
	};
}

function importRecord(text: string, speaker: string, externalId: string | null) {
	return {
		...(externalId ? { externalId } : {}),
		claim: { text, language: "de", claimedAt: "2025-07-12" },
		speaker: { name: speaker, kind: "person" },
		sources: [{ url: `https://other.example/${newId()}`, title: "Bericht" }],
		verdict: null,
	};
}

async function imported(token: string, record: unknown) {
	const response = await apiCall("POST", "/api/v1/import", { token, body: { records: [record] } });
	expect(response.status, await response.clone().text()).toBe(200);
	return (await json<{ results: { status: string; claimId?: string; reason?: string }[] }>(response))
		.results[0];
}

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

async function recorded(token: string, body: unknown): Promise<string> {
	const response = await apiCall("POST", "/api/v1/claims", { token, body });
	expect(response.status, await response.clone().text()).toBe(201);
	return (await json<{ id: string }>(response)).id;
}

describe("recording a claim that was merged or removed", () => {
	it(
		"POST /claims answers as the import does: the kept claim for a merged one's id or words, claim-removed for a removed one's id",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const place = uniquePlace();
			const speaker = `Ratsherr ${place}`;
			const kept = await makeClaim({ text: `Die Fähre nach ${place} fährt nicht mehr.` });
			const words = `Der Fährbetrieb nach ${place} wurde eingestellt.`;
			const y = `cms-${newId()}`;
			const dupId = await recorded(token, newClaim(words, speaker, y));
			await merge(token, dupId, kept.id);
			expect(await imported(token, importRecord(`Other ${newId()} words here.`, "X", y))).toMatchObject({
				status: "linked",
				claimId: kept.id,
			});

			// Its import id, with other words by another speaker: the claim kept.
			const byId = await apiCall("POST", "/api/v1/claims", {
				token,
				body: newClaim(`Anything ${newId()} else said here`, `Someone ${newId()}`, y),
			});
			expect(byId.status, await byId.clone().text()).toBe(409);
			expect(await json(byId)).toMatchObject({
				type: "urn:claimtrack:problem:duplicate-claim",
				detail: `The claim with this externalId was merged into claim ${kept.id}.`,
				claimId: kept.id,
				claim: `${BASE}/api/v1/claims/${kept.id}`,
				sameSource: false,
			});
			// Its words by its speaker, without an id: the claim kept too.
			const byWords = await apiCall("POST", "/api/v1/claims", {
				token,
				body: newClaim(words, speaker, null),
			});
			expect(byWords.status, await byWords.clone().text()).toBe(409);
			expect(await json(byWords)).toMatchObject({
				type: "urn:claimtrack:problem:duplicate-claim",
				claimId: kept.id,
			});
			expect(await imported(token, importRecord(words, speaker, null))).toMatchObject({
				status: "linked",
				claimId: kept.id,
			});

			const z = `cms-${newId()}`;
			const remId = await recorded(
				token,
				newClaim(`Removed ${newId()} statement here`, `Someone ${newId()}`, z),
			);
			const removedAt = await remove(token, remId);
			const again = await apiCall("POST", "/api/v1/claims", {
				token,
				body: newClaim(`Recorded ${newId()} anew here`, `Someone ${newId()}`, z),
			});
			expect(again.status, await again.clone().text()).toBe(409);
			expect(await json(again)).toMatchObject({ type: "urn:claimtrack:problem:claim-removed", removedAt });
			// Nothing was recorded under it: the nightly import still says why it is refused.
			expect((await imported(token, importRecord(`Whatever ${newId()} said here.`, "Y", z)))?.reason).toMatch(
				/removed from the tracker/,
			);
			// A new id records it.
			await recorded(
				token,
				newClaim(`Recorded ${newId()} anew here`, `Someone ${newId()}`, `cms-${newId()}`),
			);
		},
	);

	it(
		"a live claim's externalId on another quote is a duplicate naming the externalId, not the quote",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const x = `cms-${newId()}`;
			const first = await recorded(
				token,
				newClaim(`First ${newId()} statement here`, `Someone ${newId()}`, x),
			);
			const other = await apiCall("POST", "/api/v1/claims", {
				token,
				body: newClaim(`Another ${newId()} statement here`, `Someone ${newId()}`, x),
			});
			expect(other.status, await other.clone().text()).toBe(409);
			expect(await json(other)).toMatchObject({
				type: "urn:claimtrack:problem:duplicate-claim",
				detail: "A claim with this externalId is recorded already.",
				claimId: first,
			});
		},
	);

	it(
		"a merged claim's words by its own speaker, named by id, are a duplicate of the claim kept (another speaker's)",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const words = `Die Fähre nach ${uniquePlace()} fährt wieder`;
			const anna = `Anna Kai ${newId()}`;
			const merged = await recorded(token, newClaim(words, anna, null));
			// Another claim of hers keeps her speaker when the merge takes this one off her pages.
			await recorded(token, newClaim(`Etwas anderes ${newId()} gesagt`, anna, null));
			const kept = await recorded(token, newClaim(`${words}, sagte sie`, `Bert Ode ${newId()}`, null));
			const speakerOf = async (id: string) => {
				const [row] = await testDb()
					.select({ speakerId: claims.speakerId })
					.from(claims)
					.where(eq(claims.id, id));
				return row?.speakerId ?? "";
			};
			const [mergedSpeaker, keptSpeaker] = [await speakerOf(merged), await speakerOf(kept)];
			await merge(token, merged, kept);
			for (const speaker of [{ id: mergedSpeaker }, { id: keptSpeaker }]) {
				const again = await apiCall("POST", "/api/v1/claims", {
					token,
					body: { ...newClaim(words, "unused", null), speaker },
				});
				expect(again.status, await again.clone().text()).toBe(409);
				expect(await json(again)).toMatchObject({ claimId: kept });
			}
		},
	);

	it("the desk's new claim form offers the claim kept for a merged claim's words", TIMEOUT, async () => {
		const token = await editorToken();
		const checker = await account("checker");
		const place = uniquePlace();
		const speaker = `Ratsherr ${place}`;
		const kept = await makeClaim({ text: `Die Fähre nach ${place} fährt nicht mehr.` });
		const words = `Der Fährbetrieb nach ${place} wurde am Montag eingestellt.`;
		await merge(token, await recorded(token, newClaim(words, speaker, null)), kept.id);
		const response = await deskPost(
			checker,
			"/desk/claims",
			claimForm({ text: words, "speaker.name": speaker, matchesReviewed: "1", _idem: newToken(18) }),
		);
		expect(response.status).toBe(409);
		const html = await response.text();
		expect(html).toContain("This claim is recorded already");
		expect(html).toContain(`action="/desk/claims/${kept.id}/appearances"`);
	});
});

describe("a write to a claim that was merged or removed", () => {
	/** Each write (and the notes' read) of a claim, as a token sends it. */
	function writes(id: string, v: number, into: string) {
		return [
			["POST", `/api/v1/claims/${id}/appearances`, { source: { url: `https://news.example/${newId()}` } }],
			["PATCH", `/api/v1/claims/${id}`, { version: v, context: "More." }],
			["PATCH", `/api/v1/claims/${id}`, { version: v, tags: [`Topic ${newId()}`] }],
			["POST", `/api/v1/claims/${id}/verdicts`, { rating: "false", headline: "No." }],
			["POST", `/api/v1/claims/${id}/notes`, { text: "A note." }],
			["GET", `/api/v1/claims/${id}/notes`, undefined],
			["POST", `/api/v1/claims/${id}/assignee`, { email: null }],
			["DELETE", `/api/v1/claims/${id}/appearances/${newId()}`, { version: v }],
			["POST", `/api/v1/claims/${id}/merge`, { into, version: v, note: "Same." }],
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
			for (const [method, path, body] of writes(merged.id, mergedVersion, kept.id)) {
				const response = await apiCall(method, path, { token, ...(body ? { body } : {}) });
				expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBe(409);
				expect(await json(response), `${method} ${path}`).toMatchObject({
					type: "urn:claimtrack:problem:claim-merged",
					mergedInto: kept.id,
					claim: `${BASE}/api/v1/claims/${kept.id}`,
				});
			}
			for (const [method, path, body] of writes(removed.id, removedVersion, kept.id)) {
				const response = await apiCall(method, path, { token, ...(body ? { body } : {}) });
				expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBe(410);
				expect(await json(response), `${method} ${path}`).toMatchObject({
					type: "urn:claimtrack:problem:claim-removed",
					removedAt,
				});
			}
			// The document tells each of them, the merge too.
			const doc = await json<{
				paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
			}>(await call("/api/v1/openapi.json"));
			for (const [method, path] of writes("{id}", 1, "x")) {
				const template = path.replace(/\/appearances\/[0-9a-z]{14}$/, "/appearances/{appearanceId}");
				const responses = doc.paths[template]?.[method.toLowerCase()]?.responses ?? {};
				expect(Object.keys(responses), `${method} ${template}`).toEqual(
					expect.arrayContaining(["409", "410"]),
				);
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

	it(
		"an appearance whose claim is removed, or merged into one citing its source, right after its batch: 410 or 409, not a 500",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const post = (db: D1Database, claimId: string, url: string) =>
				fetchWith(db, `/api/v1/claims/${claimId}/appearances`, {
					method: "POST",
					headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
					body: JSON.stringify({ source: { url } }),
				});
			const removed = await makeClaim();
			const v = await version(removed.id);
			const { response: gone } = await post(
				racingD1(
					/^insert into "appearances"/i,
					() => removeClaim(testDb(), SYSTEM("test"), removed.id, { version: v, reason: "By mistake." }),
					1,
					"after",
				),
				removed.id,
				`https://news.example/${newId()}`,
			);
			expect(gone.status, await gone.clone().text()).toBe(410);
			expect(await json(gone)).toMatchObject({ type: "urn:claimtrack:problem:claim-removed" });

			// The kept claim already cites the source: the merge drops the duplicate's row for it.
			const url = `https://news.example/${newId()}`;
			const kept = await makeClaim();
			const cites = await apiCall("POST", `/api/v1/claims/${kept.id}/appearances`, {
				token,
				body: { source: { url } },
			});
			expect(cites.status, await cites.clone().text()).toBe(201);
			const duplicate = await makeClaim();
			const dv = await version(duplicate.id);
			const { response: merged } = await post(
				racingD1(
					/^insert into "appearances"/i,
					() =>
						mergeClaims(testDb(), SYSTEM("test"), duplicate.id, {
							into: kept.id,
							version: dv,
							note: "Same.",
						}),
					1,
					"after",
				),
				duplicate.id,
				url,
			);
			expect(merged.status, await merged.clone().text()).toBe(409);
			expect(await json(merged)).toMatchObject({
				type: "urn:claimtrack:problem:claim-merged",
				mergedInto: kept.id,
			});
		},
	);
});
