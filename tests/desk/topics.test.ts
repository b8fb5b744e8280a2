import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { makeClaim } from "../factories";
import { call, json } from "../helpers";
import { account, apiCall, apiToken, deskGet, deskPost } from "./helpers";

const idem = () => ({ _idem: newToken(18) });

/** A claim filed under a new topic of this name; returns the topic's slug. */
async function filed(name: string): Promise<{ slug: string; claimId: string }> {
	const editor = await account("editor");
	const { token } = await apiToken(editor.user, ["claims:write"]);
	const claim = await makeClaim();
	const saved = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
		token,
		body: { version: claim.version, tags: [name] },
	});
	expect(saved.status, await saved.clone().text()).toBe(200);
	const slug = (await json<{ tags: { slug: string }[] }>(saved)).tags[0]?.slug ?? "";
	return { slug, claimId: claim.id };
}

describe("desk: topics", () => {
	it("lists every topic with its claims for the whole desk; only editors are offered renaming", async () => {
		const tail = newId();
		const { slug } = await filed(`Harbour works ${tail}`);
		const checker = await account("checker");
		const listed = await deskGet(checker, "/desk/topics");
		expect(listed.status).toBe(200);
		const page = await listed.text();
		expect(page).toContain(`Harbour works ${tail}`);
		expect(page).toContain(`href="/desk?topic=${slug}"`);
		expect(page).toContain(`href="/tags/${slug}"`);
		expect(page).toMatch(new RegExp(`id="topic-${slug}"[\\s\\S]*?<td>1</td>`));
		expect(page).not.toContain(`href="/desk/topics/${slug}"`);
		expect((await deskGet(checker, `/desk/topics/${slug}`)).status).toBe(403);
		const editor = await account("editor");
		expect(await (await deskGet(editor, "/desk/topics")).text()).toContain(`href="/desk/topics/${slug}"`);
		// The desk home leads there.
		expect(await (await deskGet(checker, "/desk")).text()).toContain('href="/desk/topics"');
		expect((await deskGet(null, "/desk/topics")).status).toBe(303);
	});

	it("renames a topic in both languages from the desk; its address stays and the public page shows the new names", async () => {
		const tail = newId();
		const { slug, claimId } = await filed(`Port ${tail}`);
		const editor = await account("editor");
		const form = await (await deskGet(editor, `/desk/topics/${slug}`)).text();
		expect(form).toContain(`value="Port ${tail}"`);
		const renamed = await deskPost(editor, `/desk/topics/${slug}`, {
			nameEn: `Harbour ${tail}`,
			nameDe: `Hafen ${tail}`,
			...idem(),
		});
		expect(renamed.status).toBe(303);
		expect(renamed.headers.get("Location")).toBe(`/desk/topics?done=topic-renamed#topic-${slug}`);
		expect(await (await deskGet(editor, "/desk/topics?done=topic-renamed")).text()).toContain(
			"The topic is renamed.",
		);
		expect(await (await call(`/tags/${slug}`)).text()).toContain(`Harbour ${tail}`);
		expect(await (await call(`/tags/${slug}?lang=de`)).text()).toContain(`Hafen ${tail}`);
		const claim = await json<{ tags: { slug: string; name: string }[] }>(
			await call(`/api/v1/claims/${claimId}`),
		);
		expect(claim.tags).toEqual([expect.objectContaining({ slug, name: `Harbour ${tail}` })]);
	});

	it("re-renders the form with what was typed: an empty name, another topic's name, a checker's post", async () => {
		const tail = newId();
		const { slug } = await filed(`Bridge ${tail}`);
		await filed(`Tunnel ${tail}`);
		const editor = await account("editor");
		const empty = await deskPost(editor, `/desk/topics/${slug}`, { nameEn: "", nameDe: "Brücke", ...idem() });
		expect(empty.status).toBe(422);
		expect(await empty.text()).toContain('value="Brücke"');
		const taken = await deskPost(editor, `/desk/topics/${slug}`, {
			nameEn: `Tunnel ${tail}`,
			nameDe: "Brücke",
			...idem(),
		});
		expect(taken.status).toBe(409);
		const page = await taken.text();
		expect(page).toContain(`is called “Tunnel ${tail}”`);
		expect(page).toContain(`value="Tunnel ${tail}"`);
		const checker = await account("checker");
		const refused = await deskPost(checker, `/desk/topics/${slug}`, { nameEn: "X", nameDe: "Y", ...idem() });
		expect(refused.status).toBe(403);
		expect(await (await call(`/tags/${slug}`)).text()).toContain(`Bridge ${tail}`);
	});
});
