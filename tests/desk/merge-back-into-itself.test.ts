import { describe, expect, it } from "vitest";
import { newToken } from "../../src/domain/ids";
import { makeClaim } from "../factories";
import { call, json } from "../helpers";
import { account, apiCall, apiToken, deskPost } from "./helpers";

/**
 * B merged into A, then A "into B": B's id now leads to A itself. The refusal was "That
 * claim was merged into claim A: merge into that one", a merge of A into itself; it is the
 * refusal of a merge into itself, on the API and in the desk's form.
 */
const TIMEOUT = { timeout: 60_000 };
const version = async (id: string) =>
	(await json<{ version: number }>(await call(`/api/v1/claims/${id}`))).version;
const ITSELF = "A claim cannot be merged into itself: choose the claim to keep.";

async function mergedBack() {
	const editor = await account("editor");
	const token = (await apiToken(editor.user, ["claims:write"])).token;
	const a = await makeClaim({ language: "en" });
	const b = await makeClaim({ language: "en" });
	const first = await apiCall("POST", `/api/v1/claims/${b.id}/merge`, {
		token,
		body: { into: a.id, version: await version(b.id), note: "The same claim." },
	});
	expect(first.status, await first.clone().text()).toBe(200);
	return { editor, token, a, b };
}

describe("merging a claim into one merged into it before", () => {
	it("the API refuses it as a merge into itself (422 into)", TIMEOUT, async () => {
		const { token, a, b } = await mergedBack();
		const back = await apiCall("POST", `/api/v1/claims/${a.id}/merge`, {
			token,
			body: { into: b.id, version: await version(a.id), note: "The same claim after all." },
		});
		expect(back.status).toBe(422);
		const problem = await json<{ detail: string; errors: { path: string; message: string }[] }>(back);
		expect(problem.detail).toBe(`into: ${ITSELF}`);
		expect(problem.errors).toEqual([{ path: "into", message: ITSELF }]);
		expect(await version(a.id)).toBeGreaterThan(0);
	});

	it("the desk's form says so beside the field, in English and German", TIMEOUT, async () => {
		const { editor, a, b } = await mergedBack();
		const fields = {
			version: String(await version(a.id)),
			into: b.id,
			confirm: "1",
			note: "The same claim.",
		};
		const en = await deskPost(editor, `/desk/claims/${a.id}/merge?lang=en`, {
			...fields,
			_idem: newToken(18),
		});
		expect(en.status).toBe(422);
		const english = await en.text();
		expect(english).toContain(ITSELF);
		expect(english).not.toContain("merge into that one");
		const de = await deskPost(editor, `/desk/claims/${a.id}/merge?lang=de`, {
			...fields,
			_idem: newToken(18),
		});
		expect(de.status).toBe(422);
		const german = await de.text();
		expect(german).not.toContain("Bitte in diese zusammenführen");
		expect(german).toContain("Eine Behauptung kann nicht in sich selbst zusammengeführt werden");
	});
});
