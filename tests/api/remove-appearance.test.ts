import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { account, apiCall, apiToken } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { call, eventually, json, uniquePlace } from "../helpers";

interface PublicClaim {
	version: number;
	appearances: { id: string; source: { url: string; title: string | null }; firstAppearance: boolean }[];
	changes: {
		field: string;
		from: string | null;
		to: string | null;
		summary: string;
		note: string | null;
	}[];
}

async function tokenOf(
	role: "checker" | "editor",
	scopes: ("claims:write" | "webhooks:manage")[] = ["claims:write"],
) {
	const { user } = await account(role);
	return (await apiToken(user, scopes)).token;
}

const read = async (claimId: string) => json<PublicClaim>(await call(`/api/v1/claims/${claimId}`));

/** A claim with a second appearance, in a source whose title holds a word nothing else has. */
async function claimWithTwoSources(options: { reviewed: boolean }) {
	const token = await tokenOf("editor");
	const claim = await makeClaim({ language: "en", sourceTitle: `Harbour report ${newId()}` });
	const word = uniquePlace();
	const url = `https://www.wrong-outlet.example/${newId()}`;
	const added = await apiCall("POST", `/api/v1/claims/${claim.id}/appearances`, {
		token,
		body: { source: { url, title: `${word} Gazette spreads it` } },
	});
	expect(added.status, await added.clone().text()).toBe(201);
	const appearanceId = (await json<{ id: string }>(added)).id;
	if (options.reviewed) await publish(claim.id);
	return { claim, word, url, appearanceId, current: await read(claim.id) };
}

const remove = (token: string, claimId: string, appearanceId: string, body: unknown) =>
	apiCall("DELETE", `/api/v1/claims/${claimId}/appearances/${appearanceId}`, { token, body });

async function deliveriesFor(claimId: string) {
	const { results } = await env.DB.prepare(
		"SELECT event_type AS type, payload FROM webhook_deliveries WHERE payload LIKE ? ORDER BY created_at",
	)
		.bind(`%${claimId}%`)
		.all<{ type: string; payload: string }>();
	return results;
}

describe("DELETE /api/v1/claims/:id/appearances/:appearanceId", () => {
	it("an editor removes one from a reviewed claim with a note: page, JSON, feed, search and webhooks follow", {
		timeout: 120_000,
	}, async () => {
		const admin = await tokenOf("editor");
		const hookToken = (await apiToken((await account("admin")).user, ["webhooks:manage"])).token;
		const hook = await apiCall("POST", "/api/v1/webhooks", {
			token: hookToken,
			body: { url: `https://hooks.example/ok/${newId()}`, events: ["claim.updated"] },
		});
		expect(hook.status, await hook.clone().text()).toBe(201);
		const { claim, word, url, appearanceId, current } = await claimWithTwoSources({ reviewed: true });
		const search = async () =>
			(await json<{ data: { id: string }[] }>(await call(`/api/v1/claims?q=${word}`))).data.map((c) => c.id);
		expect(await search()).toContain(claim.id);

		const note = `The <b>Gazette</b> never ran it ${newId()}.`;
		const response = await remove(admin, claim.id, appearanceId, { version: current.version, note });
		expect(response.status, await response.clone().text()).toBe(200);
		const body = await json<PublicClaim>(response);
		expect(body.version).toBe(current.version + 1);
		expect(body.appearances.map((a) => a.id)).not.toContain(appearanceId);
		expect(body.appearances).toHaveLength(1);
		const title = `${word} Gazette spreads it`;
		expect(body.changes).toEqual([
			{
				field: "appearance",
				from: `${title} (${url})`,
				to: null,
				summary: `Appearance removed: ${title} (wrong-outlet.example)`,
				note,
				at: expect.any(String),
			},
		]);
		const german = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}?lang=de`));
		expect(german.changes[0]?.summary).toBe(`Fundstelle entfernt: ${title} (wrong-outlet.example)`);

		const page = await (await call(`/claims/${claim.id}?lang=en`)).text();
		expect(page).toContain("Changes to the claim");
		expect(page).toContain(`Appearance removed: <del dir="auto">${title} (wrong-outlet.example)</del>`);
		expect(page).toContain("The &lt;b&gt;Gazette&lt;/b&gt; never ran it");
		expect(page).not.toContain(`href="${url}"`);
		expect(await (await call(`/claims/${claim.id}?lang=de`)).text()).toContain("Fundstelle entfernt:");

		const feed = await (await call("/feeds/verdicts.atom?lang=en")).text();
		expect(feed).toContain(
			`Claim changed: Appearance removed: ${title} (wrong-outlet.example) — The &lt;b&gt;Gazette&lt;/b&gt;`,
		);

		// The search index follows: the word was only in the removed source's title.
		expect(await eventually(search, (ids) => !ids.includes(claim.id))).not.toContain(claim.id);

		// The source stays (the archive keeps what was cited): only the claim's link went.
		const source = await env.DB.prepare("SELECT count(*) AS n FROM sources WHERE url = ?")
			.bind(url)
			.first<{ n: number }>();
		expect(source?.n).toBe(1);
		const audit = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE action = 'remove-appearance' AND entity_id = ?",
		)
			.bind(claim.id)
			.first<{ n: number }>();
		expect(audit?.n).toBe(1);

		// The queue fans the event out in the background: on a loaded machine beside two other
		// test files that took longer than eventually's 20 s once.
		const deliveries = await eventually(
			() => deliveriesFor(claim.id),
			(rows) => rows.some((r) => r.type === "claim.updated"),
			50_000,
		);
		const event = deliveries.find((r) => r.type === "claim.updated");
		expect(event, "a claim.updated delivery").toBeDefined();
		expect(JSON.parse(event?.payload ?? "{}").data.claim.changes[0]).toMatchObject({
			field: "appearance",
			note,
		});
	});

	it("a checker's token on a reviewed claim is refused with 403 and nothing changes", async () => {
		const checker = await tokenOf("checker");
		const { claim, appearanceId, current } = await claimWithTwoSources({ reviewed: true });
		const refused = await remove(checker, claim.id, appearanceId, {
			version: current.version,
			note: "Wrong.",
		});
		expect(refused.status, await refused.clone().text()).toBe(403);
		expect(await read(claim.id)).toEqual(current);
	});

	it("on a reviewed claim needs a note (422), and nothing changes without one", async () => {
		const editor = await tokenOf("editor");
		const { claim, appearanceId, current } = await claimWithTwoSources({ reviewed: true });
		const refused = await remove(editor, claim.id, appearanceId, { version: current.version });
		expect(refused.status).toBe(422);
		expect((await json<{ errors: { path: string }[] }>(refused)).errors[0]?.path).toBe("note");
		expect(await read(claim.id)).toEqual(current);
	});

	it("never removes a claim's last appearance (422)", async () => {
		const checker = await tokenOf("checker");
		const claim = await makeClaim();
		const current = await read(claim.id);
		const only = current.appearances[0]?.id ?? "";
		const refused = await remove(checker, claim.id, only, { version: current.version });
		expect(refused.status).toBe(422);
		const problem = await json<{ type: string; detail: string }>(refused);
		expect(problem.type).toBe("urn:claimtrack:problem:last-appearance");
		expect(problem.detail).toContain("at least one appearance");
		expect(await read(claim.id)).toEqual(current);
	});

	it("refuses an outdated version with 409 and removes nothing", async () => {
		const checker = await tokenOf("checker");
		const { claim, appearanceId, current } = await claimWithTwoSources({ reviewed: false });
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token: checker,
			body: { version: current.version, context: "Edited meanwhile" },
		});
		expect(edited.status).toBe(200);
		const stale = await remove(checker, claim.id, appearanceId, { version: current.version });
		expect(stale.status).toBe(409);
		expect((await json<{ type: string }>(stale)).type).toBe("urn:claimtrack:problem:version-conflict");
		expect((await read(claim.id)).appearances.map((a) => a.id)).toContain(appearanceId);
	});

	it("on an unreviewed claim is a checker's, without a public change; the oldest remaining becomes first", async () => {
		const checker = await tokenOf("checker");
		const { claim, current } = await claimWithTwoSources({ reviewed: false });
		const third = await apiCall("POST", `/api/v1/claims/${claim.id}/appearances`, {
			token: checker,
			body: { source: { url: `https://third.example/${newId()}`, title: "Third" } },
		});
		expect(third.status).toBe(201);
		const first = current.appearances.find((a) => a.firstAppearance);
		const second = current.appearances.find((a) => !a.firstAppearance);
		if (!first || !second) throw new Error("fixture without a first and a second appearance");
		const before = await read(claim.id);
		const removed = await remove(checker, claim.id, first.id, { version: before.version });
		expect(removed.status, await removed.clone().text()).toBe(200);
		const after = await json<PublicClaim>(removed);
		expect(after.appearances.map((a) => a.id)).not.toContain(first.id);
		expect(after.appearances.filter((a) => a.firstAppearance).map((a) => a.id)).toEqual([second.id]);
		expect(after.version).toBe(before.version + 1);
		expect(after.changes).toEqual([]);
	});
});
