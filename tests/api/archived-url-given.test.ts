import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { account, apiCall, apiToken } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { call, json } from "../helpers";

interface ClaimJson {
	appearances: { source: { id: string; url: string; archivedUrl: string | null } }[];
}

async function writer() {
	const editor = await account("editor");
	return (await apiToken(editor.user, ["claims:write"])).token;
}

async function storedArchivedUrl(url: string) {
	const row = await env.DB.prepare("SELECT archived_url AS archived FROM sources WHERE url = ?")
		.bind(url)
		.first<{ archived: string | null }>();
	return row?.archived;
}

async function auditedArchives(sourceId: string): Promise<number> {
	const row = await env.DB.prepare(
		"SELECT count(*) AS n FROM audit_log WHERE action = 'source.archived' AND entity_id = ?",
	)
		.bind(sourceId)
		.first<{ n: number }>();
	return row?.n ?? 0;
}

describe("an archivedUrl given for a source recorded already", () => {
	it("is kept by POST /api/v1/claims when the source has none, audited, and shown on the other claim", {
		timeout: 30_000,
	}, async () => {
		const url = `https://news.example/recorded-${newId()}`;
		const earlier = await makeClaim({ sourceUrl: url, language: "en" });
		await publish(earlier.id, "false");
		const sourceId = earlier.appearances[0]?.source.id ?? "";
		// The earlier claim's answer is cached without the link.
		const before = await json<ClaimJson>(await call(`/api/v1/claims/${earlier.id}`));
		expect(before.appearances[0]?.source.archivedUrl).toBeNull();
		const capture = `https://web.archive.org/web/20260101000000/${url}`;
		const token = await writer();
		const response = await apiCall("POST", "/api/v1/claims", {
			token,
			body: {
				text: `Another claim in the same article ${newId()}`,
				language: "en",
				speaker: null,
				source: { url, archivedUrl: capture },
			},
		});
		expect(response.status, await response.clone().text()).toBe(201);
		const created = await json<ClaimJson>(response);
		expect(created.appearances[0]?.source).toMatchObject({ id: sourceId, archivedUrl: capture });
		expect(await storedArchivedUrl(url)).toBe(capture);
		expect(await auditedArchives(sourceId)).toBe(1);
		const after = await json<ClaimJson>(await call(`/api/v1/claims/${earlier.id}`));
		expect(after.appearances[0]?.source.archivedUrl).toBe(capture);
	});

	it("is kept by add-appearance when the source has none; one the source has stays", {
		timeout: 30_000,
	}, async () => {
		const url = `https://news.example/recorded-${newId()}`;
		const earlier = await makeClaim({ sourceUrl: url, language: "en" });
		const sourceId = earlier.appearances[0]?.source.id ?? "";
		const other = await makeClaim({ language: "en" });
		const token = await writer();
		const capture = `https://web.archive.org/web/20260101000000/${url}`;
		const added = await apiCall("POST", `/api/v1/claims/${other.id}/appearances`, {
			token,
			body: { source: { url, archivedUrl: capture }, quote: null },
		});
		expect(added.status, await added.clone().text()).toBe(201);
		expect(await storedArchivedUrl(url)).toBe(capture);
		expect(await auditedArchives(sourceId)).toBe(1);
		// A different one later: the stored capture stays, nothing more is audited.
		const third = await makeClaim({ language: "en" });
		const again = await apiCall("POST", `/api/v1/claims/${third.id}/appearances`, {
			token,
			body: { source: { url, archivedUrl: `https://archive.ph/${newId()}` }, quote: null },
		});
		expect(again.status, await again.clone().text()).toBe(201);
		expect(await storedArchivedUrl(url)).toBe(capture);
		expect(await auditedArchives(sourceId)).toBe(1);
	});
});
