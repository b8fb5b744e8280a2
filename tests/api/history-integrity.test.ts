import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { account, apiCall, apiToken, makeUser } from "../desk/helpers";
import { makeClaim } from "../factories";
import { call, json } from "../helpers";

interface HistoryEntry {
	id: string;
	state: string;
	correctionNote: string | null;
	retractionNote: string | null;
}

/** History is append-only: a retraction adds its reason and overwrites nothing. */
describe("retracting a correction", () => {
	it("keeps the correction note and adds the retraction note beside it, on every surface", async () => {
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["verdicts:write", "verdicts:publish"]);
		const claim = await makeClaim();
		const verdict = {
			rating: "false",
			headline: "Not so",
			evidence: [{ url: "https://evidence.example/a", title: "A" }],
			language: "en",
		};
		const draft = async () =>
			json<{ id: string; version: number }>(
				await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, { token, body: verdict }),
			);
		const first = await draft();
		await apiCall("POST", `/api/v1/verdicts/${first.id}/publish`, {
			token,
			body: { version: first.version },
		});
		const second = await draft();
		const corrected = await json<{ version: number }>(
			await apiCall("POST", `/api/v1/verdicts/${second.id}/publish`, {
				token,
				body: { version: second.version, correctionNote: "A figure was wrong." },
			}),
		);
		const retracted = await apiCall("POST", `/api/v1/verdicts/${second.id}/retract`, {
			token,
			body: { version: corrected.version, note: "The source was forged." },
		});
		expect(retracted.status).toBe(200);
		expect(await json(retracted)).toMatchObject({
			correctionNote: "A figure was wrong.",
			retractionNote: "The source was forged.",
		});
		const publicClaim = await json<{ history: HistoryEntry[] }>(await call(`/api/v1/claims/${claim.id}`));
		const entry = publicClaim.history.find((v) => v.id === second.id);
		expect(entry).toMatchObject({
			state: "retracted",
			correctionNote: "A figure was wrong.",
			retractionNote: "The source was forged.",
		});
		const page = await (await call(`/claims/${claim.id}?lang=en`)).text();
		expect(page).toContain("A figure was wrong.");
		expect(page).toContain("The source was forged.");
		// The feed's entry says why the correction was withdrawn; what it said (its note
		// included) stays on the page and the version's page, not broadcast again.
		const feed = await (await call("/feeds/verdicts.atom")).text();
		const own = feed.split("<entry>").find((entry) => entry.includes(claim.id)) ?? "";
		expect(own).toContain("Reason for retraction: The source was forged.");
		expect(own).not.toContain("Correction: A figure was wrong.");
	});
});

describe("request ids in the audit log", () => {
	it("stores our own id, and a client's X-Request-Id only apart and length-limited", async () => {
		const checker = await account("checker");
		const { token } = await apiToken(checker.user, ["claims:write"]);
		const body = {
			text: `Audit ${crypto.randomUUID()} harbour`,
			language: "en",
			speaker: null,
			source: { url: `https://news.example/${crypto.randomUUID()}` },
		};
		const forged = "forged-id-of-another-request";
		const response = await apiCall("POST", "/api/v1/claims", {
			token,
			body,
			headers: { "X-Request-Id": forged },
		});
		expect(response.status).toBe(201);
		const ours = response.headers.get("x-request-id");
		const { id } = await json<{ id: string }>(response);
		const row = await env.DB.prepare(
			"SELECT request_id, client_request_id FROM audit_log WHERE entity_id = ? AND action = 'create'",
		)
			.bind(id)
			.first<{ request_id: string; client_request_id: string | null }>();
		expect(row?.request_id).toBe(ours);
		expect(row?.request_id).not.toBe(forged);
		expect(row?.client_request_id).toBe(forged);
		const long = await apiCall("POST", "/api/v1/claims", {
			token,
			body: { ...body, text: `Audit ${crypto.randomUUID()} harbour` },
			headers: { "X-Request-Id": "x".repeat(65) },
		});
		const longId = (await json<{ id: string }>(long)).id;
		const longRow = await env.DB.prepare("SELECT client_request_id FROM audit_log WHERE entity_id = ?")
			.bind(longId)
			.first<{ client_request_id: string | null }>();
		expect(longRow?.client_request_id).toBeNull();
	});
});

describe("bylines", () => {
	it("the claim JSON, its history and the page name who checked and who published, never an email", async () => {
		const checker = await makeUser("checker", { name: "Chris Checker" });
		const editor = await makeUser("editor", { name: "Edith Editor" });
		const checkerToken = (await apiToken(checker.user, ["verdicts:write"])).token;
		const editorToken = (await apiToken(editor.user, ["verdicts:publish"])).token;
		const claim = await makeClaim();
		const drafted = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: checkerToken,
				body: {
					rating: "false",
					headline: "Bylined",
					evidence: [{ url: "https://evidence.example/a", title: "A" }],
					language: "en",
				},
			}),
		);
		const published = await apiCall("POST", `/api/v1/verdicts/${drafted.id}/publish`, {
			token: editorToken,
			body: { version: drafted.version },
		});
		expect(published.status).toBe(200);
		const response = await call(`/api/v1/claims/${claim.id}`);
		const text = await response.clone().text();
		const body = await json<{
			byline: { checkedBy: string; publishedBy: string; publishedAt: string };
			history: { checkedBy: string; publishedBy: string; version: number }[];
		}>(response);
		expect(body.byline).toMatchObject({ checkedBy: "Chris Checker", publishedBy: "Edith Editor" });
		expect(body.byline.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
		expect(body.history[0]).toMatchObject({
			version: 1,
			checkedBy: "Chris Checker",
			publishedBy: "Edith Editor",
		});
		expect(text).not.toContain(checker.user.email);
		expect(text).not.toContain(editor.user.email);
		const page = await (await call(`/claims/${claim.id}?lang=en`)).text();
		expect(page).toContain("Checked by Chris Checker · published by Edith Editor");
		expect(page).not.toContain(editor.user.email);
	});
});
