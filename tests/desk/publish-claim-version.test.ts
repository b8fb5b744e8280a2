import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { newId } from "../../src/domain/ids";
import { getVerdict } from "../../src/store/verdicts";
import { makeClaim, publish, retract } from "../factories";
import { BASE, call, json, testDb } from "../helpers";
import {
	type Account,
	account,
	apiCall,
	apiToken,
	deskGet,
	deskPost,
	snapshot,
	verdictForm,
} from "./helpers";

/**
 * An editor publishes the verdict on the claim as they read it: a claim whose words changed
 * between the page and the click is refused (desk: the page again, saying so; API: 409
 * `claim-changed` with the claim's version now), never published on words they never saw.
 */

interface PublicClaim {
	text: string;
	status: string;
	version: number;
	changes?: unknown[];
}

/** The hidden fields of the form posting to `action` on the page, as a browser sends them. */
function hiddenFields(html: string, action: string): Record<string, string> {
	const start = html.indexOf(`action="${action}"`);
	expect(start, `no form posting to ${action}`).toBeGreaterThan(-1);
	const form = html.slice(start, html.indexOf("</form>", start));
	const fields: Record<string, string> = {};
	for (const match of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
		fields[match[1] ?? ""] = match[2] ?? "";
	return fields;
}

async function submittedDraft(checker: Account, claimId: string) {
	const drafted = await deskPost(checker, `/desk/claims/${claimId}/verdicts`, {
		...verdictForm({ rating: "false", headline: "Far fewer ships called there" }),
		submitForReview: "1",
	});
	expect(drafted.status, await drafted.clone().text()).toBe(303);
}

async function openDraftId(claimId: string): Promise<string> {
	const row = await env.DB.prepare("SELECT id FROM verdicts WHERE claim_id = ? AND state = 'draft'")
		.bind(claimId)
		.first<{ id: string }>();
	if (!row) throw new Error("no draft");
	return row.id;
}

/** Someone else changes the claim's words through the API, at the version they read. */
async function rewordedBy(who: Account, claimId: string, text: string, note?: string) {
	const { token } = await apiToken(who.user, ["claims:write"]);
	const now = await json<PublicClaim>(await call(`/api/v1/claims/${claimId}`));
	const edited = await apiCall("PATCH", `/api/v1/claims/${claimId}`, {
		token,
		body: { version: now.version, text, ...(note ? { note } : {}) },
	});
	expect(edited.status, await edited.clone().text()).toBe(200);
}

describe("publishing is made on the claim's words as the editor read them", () => {
	it("the preview's publish form refuses a claim reworded since it was shown, and says how it reads now", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const place = `Port ${newId()}`;
		const claim = await makeClaim({
			text: `The port of ${place} handled 5000 ships in 2024.`,
			language: "en",
		});
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		const preview = await (await deskGet(editor, `/desk/verdicts/${draftId}/preview`)).text();
		const fields = hiddenFields(preview, `/desk/verdicts/${draftId}/publish`);

		const reworded = `The port of ${place} handled 50 ships in 2024.`;
		await rewordedBy(await account("checker"), claim.id, reworded);

		const before = await snapshot();
		const refused = await deskPost(editor, `/desk/verdicts/${draftId}/publish`, fields);
		const page = await refused.text();
		expect(refused.status, page).toBe(409);
		expect(page).toContain("The claim was changed after this page was shown: nothing was published.");
		// The claim's words isolated in their own language and direction, not in the notice's prose.
		expect(page).toContain(`It now reads: “<bdi lang="en" dir="auto">${reworded}</bdi>”`);
		// Above the preview it refers to, not below it by the button.
		expect(page.indexOf("nothing was published")).toBeLessThan(page.indexOf('id="preview-h"'));
		// The preview again, showing the claim as it is now, with a form that names it.
		expect(page).toContain(`action="/desk/verdicts/${draftId}/publish"`);
		expect(await snapshot()).toEqual(before);
		expect((await getVerdict(testDb(), draftId))?.state).toBe("draft");
		const shown = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		expect(shown.status).not.toBe("false");

		// Having read it, the editor publishes from the page shown again.
		const again = await deskPost(editor, `/desk/verdicts/${draftId}/publish`, {
			...hiddenFields(page, `/desk/verdicts/${draftId}/publish`),
		});
		expect(again.status, await again.clone().text()).toBe(303);
		const published = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		expect(published).toMatchObject({ text: reworded, status: "false" });
	});

	it("the claim page's publish form does too, keeping the correction note typed", async () => {
		const editor = await account("editor");
		const claim = await makeClaim({ text: `The bridge ${newId()} cost 300 million.`, language: "en" });
		await publish(claim.id, "true", { language: "en" });
		const drafted = await deskPost(
			editor,
			`/desk/claims/${claim.id}/verdicts`,
			verdictForm({ rating: "false" }),
		);
		expect(drafted.status).toBe(303);
		const draftId = await openDraftId(claim.id);
		// Another editor's draft is published by this one under any policy; a colleague rewords the claim.
		const shown = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		const fields = hiddenFields(shown, `/desk/verdicts/${draftId}/publish`);
		await rewordedBy(
			await account("editor"),
			claim.id,
			`The bridge ${newId()} cost 30 million.`,
			"The speaker's words as recorded.",
		);

		const note = "The audit office gives a lower final figure.";
		const refused = await deskPost(editor, `/desk/verdicts/${draftId}/publish`, {
			...fields,
			correctionNote: note,
		});
		const page = await refused.text();
		expect(refused.status, page).toBe(409);
		expect(page).toContain("The claim was changed after this page was shown: nothing was published.");
		// It leads the page, above the claim's words, not in the draft's card far below.
		expect(page.indexOf("nothing was published")).toBeLessThan(page.indexOf('<blockquote class="quote"'));
		expect(page.match(/nothing was published/g)).toHaveLength(1);
		expect(page).toContain(note);
		expect((await getVerdict(testDb(), draftId))?.state).toBe("draft");
	});

	it("quotes the claim's words now in their own language and direction, in the desk's quotation marks", async () => {
		const editor = await account("editor");
		const claim = await makeClaim({ text: `تكلف الجسر ${newId()} 300 مليون.`, language: "ar" });
		const drafted = await deskPost(
			editor,
			`/desk/claims/${claim.id}/verdicts`,
			verdictForm({ rating: "false" }),
		);
		expect(drafted.status).toBe(303);
		const draftId = await openDraftId(claim.id);
		const shown = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=de`)).text();
		const fields = hiddenFields(shown, `/desk/verdicts/${draftId}/publish`);
		const reworded = `تكلف الجسر ${newId()} 30 مليون، "وليس" 300.`;
		await rewordedBy(await account("editor"), claim.id, reworded);

		const refused = await deskPost(editor, `/desk/verdicts/${draftId}/publish?lang=de`, fields);
		const page = await refused.text();
		expect(refused.status, page).toBe(409);
		// The quotation marks are the German prose's; the words inside are Arabic, isolated so
		// their direction cannot reorder the marks and numbers around them.
		expect(page).toContain(
			`Sie lautet jetzt: „<bdi lang="ar" dir="auto">${reworded.replaceAll('"', "&quot;")}</bdi>“`,
		);
		expect(page.indexOf("Sie lautet jetzt")).toBeLessThan(page.indexOf('<blockquote class="quote"'));
	});

	it("a correction whose verdict was retracted since the page was shown is refused as such, not as changed words", async () => {
		const editor = await account("editor");
		const claim = await makeClaim({ text: `The tunnel ${newId()} is 12 km long.`, language: "en" });
		const first = await publish(claim.id, "true", { language: "en" });
		const drafted = await deskPost(
			editor,
			`/desk/claims/${claim.id}/verdicts`,
			verdictForm({ rating: "false" }),
		);
		expect(drafted.status).toBe(303);
		const draftId = await openDraftId(claim.id);
		const shown = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		const fields = hiddenFields(shown, `/desk/verdicts/${draftId}/publish`);
		expect(fields).toMatchObject({ supersedes: first.id });
		expect(fields.claimVersion).toBeDefined();
		// The retraction moves the claim's version; the claim's words stay as they were.
		await retract(first.id, first.version);

		const note = "The survey office measured 11.2 km.";
		const before = await snapshot();
		const refused = await deskPost(editor, `/desk/verdicts/${draftId}/publish`, {
			...fields,
			correctionNote: note,
		});
		const page = await refused.text();
		expect(refused.status, page).toBe(409);
		expect(page).toContain("The verdict this would correct is not in force");
		expect(page.indexOf("The verdict this would correct is not in force")).toBeLessThan(
			page.indexOf('<blockquote class="quote"'),
		);
		expect(page).not.toContain("The claim was changed after this page was shown");
		expect(page).toContain(note);
		expect(await snapshot()).toEqual(before);

		// The API says so too, to a client that names both what it read.
		const draft = await getVerdict(testDb(), draftId);
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);
		const stale = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: {
				version: draft?.version,
				supersedes: first.id,
				claimVersion: Number(fields.claimVersion),
				correctionNote: note,
			},
		});
		expect(stale.status).toBe(409);
		expect(await stale.json()).toMatchObject({ type: "urn:claimtrack:problem:current-verdict-changed" });
		expect((await getVerdict(testDb(), draftId))?.state).toBe("draft");
	});

	it("the API refuses a claimVersion no longer current with the claim's version now, and publishes at the current one", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim({ text: `The dam ${newId()} holds 9000 litres.`, language: "en" });
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		const draft = await getVerdict(testDb(), draftId);
		const read = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		await rewordedBy(await account("checker"), claim.id, `The dam ${newId()} holds 90 litres.`);
		const now = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);
		const stale = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: { version: draft?.version, claimVersion: read.version },
		});
		expect(stale.status).toBe(409);
		expect(await stale.json()).toMatchObject({
			type: "urn:claimtrack:problem:claim-changed",
			claimVersion: now.version,
		});
		const fresh = await apiCall("POST", `/api/v1/verdicts/${draftId}/publish`, {
			token,
			body: { version: draft?.version, claimVersion: now.version },
		});
		expect(fresh.status, await fresh.clone().text()).toBe(200);
	});

	it("a rewording that lands between the publication's read and its write is refused too, not published anew", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim({ text: `The canal ${newId()} carries 700 barges a day.`, language: "en" });
		await submittedDraft(checker, claim.id);
		const draftId = await openDraftId(claim.id);
		const draft = await getVerdict(testDb(), draftId);
		const read = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		const rewriter = await account("checker");
		// The colleague's edit lands right before the publication's batch: after every read it made.
		let raced = false;
		const db = new Proxy(env.DB, {
			get(target, property) {
				if (property !== "batch") return Reflect.get(target, property, target);
				return async (statements: D1PreparedStatement[]) => {
					if (!raced) {
						raced = true;
						await rewordedBy(rewriter, claim.id, `The canal ${newId()} carries 7 barges a day.`);
					}
					return target.batch(statements);
				};
			},
		});
		const { token } = await apiToken(editor.user, ["verdicts:publish"]);
		const ctx = createExecutionContext();
		const response = await app.fetch(
			new Request(`${BASE}/api/v1/verdicts/${draftId}/publish`, {
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ version: draft?.version, claimVersion: read.version }),
			}),
			{ ...env, DB: db },
			ctx,
		);
		await waitOnExecutionContext(ctx);
		expect(raced).toBe(true);
		expect(response.status, await response.clone().text()).toBe(409);
		expect(await response.json()).toMatchObject({ type: "urn:claimtrack:problem:claim-changed" });
		expect((await getVerdict(testDb(), draftId))?.state).toBe("draft");
	});
});
