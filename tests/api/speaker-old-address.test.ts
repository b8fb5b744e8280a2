import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { newId } from "../../src/domain/ids";
import { account, apiCall, apiToken } from "../desk/helpers";
import { makeClaim, publish, reload } from "../factories";
import { BASE, call, json } from "../helpers";

/** The app as a deployment with `PUBLIC_UNREVIEWED = "hide"` answers. */
async function hidden(path: string): Promise<Response> {
	const ctx = createExecutionContext();
	const request = new Request(`${BASE}${path}`, { redirect: "manual" });
	const response = await app.fetch(request, { ...env, PUBLIC_UNREVIEWED: "hide" }, ctx);
	await waitOnExecutionContext(ctx);
	return response;
}

async function editorToken() {
	const editor = await account("editor");
	return (await apiToken(editor.user, ["claims:write", "verdicts:write"])).token;
}

/** Gives the claims another speaker (the desk's or the API's claim edit). */
async function moveClaims(token: string, claimIds: readonly string[], speakerId: string) {
	for (const id of claimIds) {
		const now = await reload(id);
		const moved = await apiCall("PATCH", `/api/v1/claims/${id}`, {
			token,
			body: { version: now.version, speaker: { id: speakerId }, note: "Attributed to the wrong person." },
		});
		expect(moved.status, await moved.clone().text()).toBe(200);
	}
}

/** Status and Location of the page and the API at a speaker's slug. */
async function answers(slug: string, fetch: (path: string) => Promise<Response>) {
	const page = await fetch(`/speakers/${slug}`);
	const api = await fetch(`/api/v1/speakers/${slug}`);
	return [
		[page.status, page.headers.get("location")],
		[api.status, api.headers.get("location")],
	];
}

const shown = (path: string) => call(path, { redirect: "manual" });

describe("an old speaker address leads only to a public speaker", () => {
	it("a merged speaker's slug: 404 once its survivor is no longer public, not a 301 to a 404", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const tag = newId();
		const merged = await makeClaim({ speaker: { name: `Merged Away ${tag}` } });
		const survivor = await makeClaim({ speaker: { name: `Survivor ${tag}` } });
		const third = await makeClaim({ speaker: { name: `Right Person ${tag}` } });
		await publish(merged.id);
		await publish(survivor.id);
		// The survivor keeps one unreviewed claim: public where unreviewed claims show, not under hide.
		const unreviewed = await makeClaim({ speaker: { id: survivor.speaker?.id ?? "" } });
		const from = merged.speaker?.slug ?? "";
		const into = survivor.speaker?.slug ?? "";
		const m = await apiCall("POST", `/api/v1/speakers/${from}/merge`, { token, body: { into } });
		expect(m.status, await m.clone().text()).toBe(200);
		// Both settings: the merged slug leads on while the survivor is public.
		expect(await answers(from, shown)).toEqual([
			[301, `/speakers/${into}`],
			[301, `/api/v1/speakers/${into}`],
		]);
		expect((await hidden(`/speakers/${from}`)).status).toBe(301);

		// The reviewed claims given another speaker: the survivor keeps only the unreviewed one.
		await moveClaims(token, [merged.id, survivor.id], third.speaker?.id ?? "");
		expect((await shown(`/speakers/${into}`)).status).toBe(200);
		expect(await answers(from, shown)).toEqual([
			[301, `/speakers/${into}`],
			[301, `/api/v1/speakers/${into}`],
		]);
		expect((await hidden(`/speakers/${into}`)).status).toBe(404);
		expect(await answers(from, hidden)).toEqual([
			[404, null],
			[404, null],
		]);

		// And that one too: the survivor is public nowhere, nor is the old address.
		await moveClaims(token, [unreviewed.id], third.speaker?.id ?? "");
		expect((await shown(`/speakers/${into}`)).status).toBe(404);
		expect(await answers(from, shown)).toEqual([
			[404, null],
			[404, null],
		]);
		// A write to the old slug still says where it went (409), as before.
		const write = await apiCall("POST", `/api/v1/speakers/${from}/merge`, {
			token,
			body: { into: third.speaker?.slug },
		});
		expect(write.status).toBe(409);
		expect(await json(write)).toMatchObject({ mergedInto: into });
	});

	it("a slug a rename dropped: 404 once the renamed speaker is no longer public", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const tag = newId();
		const claim = await makeClaim({ speaker: { name: `Wrong Name ${tag}` } });
		const other = await makeClaim({ speaker: { name: `Other Person ${tag}` } });
		await publish(claim.id);
		const old = claim.speaker?.slug ?? "";
		const read = await json<{ version: number }>(await call(`/api/v1/speakers/${old}`));
		const renamed = await apiCall("PATCH", `/api/v1/speakers/${old}`, {
			token,
			body: { version: read.version, name: `Right Name ${tag}`, dropOldName: true },
		});
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		const now = (await json<{ slug: string }>(renamed)).slug;
		expect((await shown(`/speakers/${old}`)).headers.get("location")).toBe(`/speakers/${now}`);
		expect((await hidden(`/api/v1/speakers/${old}`)).headers.get("location")).toBe(`/api/v1/speakers/${now}`);

		await moveClaims(token, [claim.id], other.speaker?.id ?? "");
		expect((await shown(`/speakers/${now}`)).status).toBe(404);
		for (const fetch of [shown, hidden]) {
			expect(await answers(old, fetch)).toEqual([
				[404, null],
				[404, null],
			]);
		}
	});
});
