import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { getVerdict } from "../../src/store/verdicts";
import { makeClaim, publish, retract } from "../factories";
import { call, fetchWith, json, racingD1, testDb } from "../helpers";
import {
	type Account,
	account,
	apiCall,
	apiToken,
	deskGet,
	deskPost,
	hidden,
	snapshot,
	verdictForm,
} from "./helpers";

/**
 * A correction note says the client believes a verdict is in force. With none in force (the
 * verdict it corrects was retracted before, or while, the publication was made), nothing is
 * published: a 409 `current-verdict-changed`, never a new verdict that drops the note and
 * puts a rating back over the retraction.
 */

interface PublicClaim {
	status: string;
	history: { id: string; supersedes: string | null; correctionNote: string | null }[];
}

/** A claim with a published verdict and a correction drafted by an editor over it. */
async function correctionOverPublished(editor: Account) {
	const claim = await makeClaim({ text: `The bridge ${newId()} spans 400 m.`, language: "en" });
	const first = await publish(claim.id, "true", { language: "en" });
	const drafted = await deskPost(
		editor,
		`/desk/claims/${claim.id}/verdicts`,
		verdictForm({ rating: "false" }),
	);
	expect(drafted.status, await drafted.clone().text()).toBe(303);
	const row = await env.DB.prepare("SELECT id FROM verdicts WHERE claim_id = ? AND state = 'draft'")
		.bind(claim.id)
		.first<{ id: string }>();
	const draft = row ? await getVerdict(testDb(), row.id) : undefined;
	if (!draft) throw new Error("no draft");
	return { claim, first, draft };
}

async function expectNothingPublished(claimId: string, draftId: string) {
	expect((await getVerdict(testDb(), draftId))?.state).toBe("draft");
	const publicClaim = await json<PublicClaim>(await call(`/api/v1/claims/${claimId}`));
	expect(publicClaim.status).toBe("retracted");
	expect(publicClaim.history.some((v) => v.id === draftId)).toBe(false);
}

describe("a correction note over a verdict retracted meanwhile", () => {
	it("the API refuses it (409 current-verdict-changed) without supersedes, and publishes without the note", async () => {
		const editor = await account("editor");
		const { claim, first, draft } = await correctionOverPublished(editor);
		await retract(first.id, first.version);
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);

		const before = await snapshot();
		const refused = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token,
			body: { version: draft.version, correctionNote: "A figure was wrong." },
		});
		expect(refused.status, await refused.clone().text()).toBe(409);
		expect(await refused.json()).toMatchObject({
			type: "urn:claimtrack:problem:current-verdict-changed",
		});
		expect(await snapshot()).toEqual(before);
		await expectNothingPublished(claim.id, draft.id);

		// A blank note is no note: the client claims nothing, and the verdict is published anew.
		const fresh = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token,
			body: { version: draft.version, correctionNote: "  " },
		});
		expect(fresh.status, await fresh.clone().text()).toBe(200);
		const publicClaim = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		expect(publicClaim.status).toBe("false");
		expect(publicClaim.history.at(-1)).toMatchObject({
			id: draft.id,
			supersedes: null,
			correctionNote: null,
		});
	});

	it("a retraction landing between the publication's read and its batch is refused on the retry too", async () => {
		const editor = await account("editor");
		const { claim, first, draft } = await correctionOverPublished(editor);
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);
		let raced = false;
		// The retraction lands right before the publication's first batch, after every read it made.
		const db = racingD1(/^update "verdicts" set .*"supersedes_id" = \?/i, async () => {
			raced = true;
			await retract(first.id, first.version);
		});
		const { response, settled } = await fetchWith(db, `/api/v1/verdicts/${draft.id}/publish`, {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: JSON.stringify({ version: draft.version, correctionNote: "A figure was wrong." }),
		});
		await settled();
		expect(raced).toBe(true);
		expect(response.status, await response.clone().text()).toBe(409);
		expect(await response.json()).toMatchObject({
			type: "urn:claimtrack:problem:current-verdict-changed",
		});
		await expectNothingPublished(claim.id, draft.id);
	});

	it("a claim page's form that named no verdict in force refuses it, keeping the note typed", async () => {
		const editor = await account("editor");
		const { claim, first, draft } = await correctionOverPublished(editor);
		await retract(first.id, first.version);
		const note = "The bridge spans 412 m, not 400.";
		const before = await snapshot();
		// A form from before the claim page's forms named the verdict in force and the claim's version.
		const older = await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
			version: String(draft.version),
			correctionNote: note,
			_idem: newToken(18),
		});
		const page = await older.text();
		expect(older.status, page).toBe(409);
		expect(page).toContain("The verdict this would correct is not in force");
		expect(page).toContain(note);
		expect(await snapshot()).toEqual(before);
		await expectNothingPublished(claim.id, draft.id);
	});

	it("the preview's form refuses it and shows the note typed, kept", async () => {
		const editor = await account("editor");
		const { claim, first, draft } = await correctionOverPublished(editor);
		const preview = await (await deskGet(editor, `/desk/verdicts/${draft.id}/preview`)).text();
		expect(hidden(preview, "supersedes")).toBe(first.id);
		await retract(first.id, first.version);
		const note = "The bridge spans 412 m, not 400.";
		const before = await snapshot();
		const refused = await deskPost(editor, `/desk/verdicts/${draft.id}/publish`, {
			version: String(draft.version),
			from: "preview",
			supersedes: first.id,
			claimVersion: hidden(preview, "claimVersion") ?? "",
			correctionNote: note,
			_idem: newToken(18),
		});
		const page = await refused.text();
		expect(refused.status, page).toBe(409);
		expect(page).toContain("The verdict this would correct is not in force");
		// The preview again, now publishing anew: the note is not sent again, but shown, kept.
		expect(hidden(page, "supersedes")).toBe("");
		expect(page).toContain('data-kept="correctionNote"');
		expect(page).toContain(note);
		expect(await snapshot()).toEqual(before);
		await expectNothingPublished(claim.id, draft.id);
	});
});
