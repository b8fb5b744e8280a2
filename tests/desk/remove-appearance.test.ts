import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { makeClaim, publish } from "../factories";
import { call, json } from "../helpers";
import { account, apiCall, apiToken, deskGet, deskPost, post } from "./helpers";

interface PublicClaim {
	version: number;
	appearances: { id: string; source: { title: string | null } }[];
	changes: { field: string; note: string | null }[];
}

const read = async (claimId: string) => json<PublicClaim>(await call(`/api/v1/claims/${claimId}`));

/** A claim with a second appearance in a source named by mistake. */
async function claimWithTwoSources(options: { reviewed: boolean }) {
	const { user } = await account("editor");
	const token = (await apiToken(user, ["claims:write"])).token;
	const claim = await makeClaim({ language: "en" });
	const title = `Wrong Gazette ${newId()}`;
	const added = await apiCall("POST", `/api/v1/claims/${claim.id}/appearances`, {
		token,
		body: { source: { url: `https://wrong.example/${newId()}`, title } },
	});
	expect(added.status).toBe(201);
	const appearanceId = (await json<{ id: string }>(added)).id;
	if (options.reviewed) await publish(claim.id);
	return { claim, title, appearanceId, current: await read(claim.id) };
}

const removePath = (claimId: string, appearanceId: string) =>
	`/desk/claims/${claimId}/appearances/${appearanceId}/remove`;

describe("the desk's 'Remove this appearance' form", () => {
	it("needs its box ticked (checked on the server), then removes and says so", async () => {
		const checker = await account("checker");
		const { claim, title, appearanceId, current } = await claimWithTwoSources({ reviewed: false });
		const page = await (await deskGet(checker, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(page).toContain(`action="${removePath(claim.id, appearanceId)}"`);
		expect(page).toContain("Remove this appearance");

		const fields = { version: String(current.version), note: "Not in this paper.", _idem: newToken(18) };
		const unconfirmed = await deskPost(checker, removePath(claim.id, appearanceId), fields);
		expect(unconfirmed.status).toBe(422);
		expect(unconfirmed.headers.get("content-type")).toContain("text/html");
		const again = await unconfirmed.text();
		expect(again).toContain("Nothing was removed: tick the box to confirm.");
		// The form is re-shown open, with what was typed.
		expect(again).toMatch(/<details class="remove-appearance" open/);
		expect(again).toContain("Not in this paper.");
		expect((await read(claim.id)).appearances.map((a) => a.id)).toContain(appearanceId);

		const removed = await deskPost(checker, removePath(claim.id, appearanceId), {
			...fields,
			confirm: "1",
			_idem: newToken(18),
		});
		expect(removed.status, await removed.clone().text()).toBe(303);
		expect(removed.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=appearance-removed`);
		const after = await (
			await deskGet(checker, `/desk/claims/${claim.id}?done=appearance-removed&lang=en`)
		).text();
		expect(after).toContain("The appearance is removed.");
		expect(after).not.toContain(title);
		// The claim keeps its last appearance: no form offers to remove it.
		expect(after).not.toContain("Remove this appearance");
		const now = await read(claim.id);
		expect(now.appearances.map((a) => a.id)).not.toContain(appearanceId);
		expect(now.version).toBe(current.version + 1);
		// Unreviewed: the note stays internal.
		expect(now.changes).toEqual([]);
	});

	it("on a reviewed claim is an editor's, with a public note; a checker is offered no form", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const { claim, appearanceId, current } = await claimWithTwoSources({ reviewed: true });
		const checkersPage = await (await deskGet(checker, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(checkersPage).not.toContain(removePath(claim.id, appearanceId));
		const refused = await deskPost(checker, removePath(claim.id, appearanceId), {
			version: String(current.version),
			note: "Wrong.",
			confirm: "1",
			_idem: newToken(18),
		});
		expect(refused.status).toBe(403);
		expect(refused.headers.get("content-type")).toContain("text/html");

		const noNote = await deskPost(editor, removePath(claim.id, appearanceId), {
			version: String(current.version),
			confirm: "1",
			_idem: newToken(18),
		});
		expect(noNote.status).toBe(422);
		expect(await noNote.text()).toContain("Say why the appearance is removed: the note is shown publicly.");
		expect(await read(claim.id)).toEqual(current);

		const removed = await deskPost(editor, removePath(claim.id, appearanceId), {
			version: String(current.version),
			note: "The Gazette never printed it.",
			confirm: "1",
			_idem: newToken(18),
		});
		expect(removed.status, await removed.clone().text()).toBe(303);
		expect((await read(claim.id)).changes.map((c) => [c.field, c.note])).toEqual([
			["appearance", "The Gazette never printed it."],
		]);
	});

	it("speaks German", async () => {
		const checker = await account("checker");
		const { claim, appearanceId, current } = await claimWithTwoSources({ reviewed: false });
		const german = { cookie: checker.cookie, headers: { "Accept-Language": "de-DE,de;q=0.9" } };
		const page = await (
			await deskGet(checker, `/desk/claims/${claim.id}`, { "Accept-Language": "de-DE,de;q=0.9" })
		).text();
		expect(page).toContain("Diese Fundstelle entfernen");
		expect(page).toContain("Ja, diese Fundstelle aus der Behauptung entfernen");
		const unconfirmed = await post(
			removePath(claim.id, appearanceId),
			{ _csrf: checker.csrf, version: String(current.version), _idem: newToken(18) },
			german,
		);
		expect(unconfirmed.status).toBe(422);
		expect(await unconfirmed.text()).toContain(
			"Nichts wurde entfernt: Bitte das Kästchen zur Bestätigung ankreuzen.",
		);
		const removed = await post(
			removePath(claim.id, appearanceId),
			{ _csrf: checker.csrf, version: String(current.version), confirm: "1", _idem: newToken(18) },
			german,
		);
		expect(removed.status).toBe(303);
		const flashed = await (
			await deskGet(checker, `/desk/claims/${claim.id}?done=appearance-removed`, {
				"Accept-Language": "de-DE,de;q=0.9",
			})
		).text();
		expect(flashed).toContain("Die Fundstelle ist entfernt.");
	});
});
