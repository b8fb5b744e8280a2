import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { account, apiCall, apiToken } from "../desk/helpers";
import { makeClaim } from "../factories";
import { call, eventually, json } from "../helpers";

/*
 * A topic's rename is a claim.updated for each claim carrying it, since the claim JSON names
 * the topic; that JSON is English, so a German name alone changes none of it.
 */

interface Row {
	payload: string;
	state: string;
}

describe("a topic renamed in German only", () => {
	it("sends partners no claim.updated (their claim JSON is English); its pages show the new name", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage", "claims:write"])).token;
		const created = await apiCall("POST", "/api/v1/webhooks", {
			token,
			body: { url: `https://hooks.example/ok/${newId()}`, events: ["claim.updated"] },
		});
		expect(created.status, await created.clone().text()).toBe(201);
		const hook = await json<{ id: string }>(created);
		const claim = await makeClaim();
		const slug = `thema-${newId()}`;
		// Names of its own: topic names are unique, and other files name topics in this database.
		const mark = newId().slice(0, 8);
		const [harbour, hafen, seehafen, port] = ["Harbour", "Hafen", "Seehafen", "Port"].map(
			(n) => `${n} ${mark}`,
		);
		await env.DB.batch([
			env.DB.prepare("INSERT INTO tags (slug, name_en, name_de) VALUES (?, ?, ?)").bind(slug, harbour, hafen),
			env.DB.prepare(
				"INSERT INTO claim_tags (id, claim_id, claim_seq, tag_slug) SELECT ?, id, seq, ? FROM claims WHERE id = ?",
			).bind(newId(), slug, claim.id),
		]);
		const tagsIn = async (lang: string) =>
			(await json<{ tags: { name: string }[] }>(await call(`/api/v1/claims/${claim.id}?lang=${lang}`))).tags;
		expect(await tagsIn("de")).toMatchObject([{ name: hafen }]);
		const rename = async (body: Record<string, unknown>) => {
			const response = await apiCall("PATCH", `/api/v1/tags/${slug}`, { token, body });
			expect(response.status, await response.clone().text()).toBe(200);
		};
		await rename({ nameDe: seehafen, was: { nameDe: hafen } });
		// Its purge stays: the German answer, cached before, names the new name.
		await eventually(
			() => tagsIn("de"),
			(tags) => tags[0]?.name === seehafen,
		);
		// Then an English rename, whose claim.updated is the sure sign the first one's fan-out ran.
		await rename({ nameEn: port, was: { nameEn: harbour } });
		const ours = (rows: Row[]) => rows.filter((row) => JSON.parse(row.payload).data?.claim?.id === claim.id);
		const rows = await eventually(
			async () =>
				(
					await env.DB.prepare(
						"SELECT payload, state FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at, rowid",
					)
						.bind(hook.id)
						.all<Row>()
				).results,
			(found) => ours(found).some((row) => row.state === "delivered"),
		);
		expect(ours(rows).map((row) => JSON.parse(row.payload).data.claim.tags)).toEqual([
			[{ slug, name: port, url: expect.stringContaining(`/tags/${slug}`) }],
		]);
	});
});
