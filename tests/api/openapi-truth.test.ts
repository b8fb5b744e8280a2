import { beforeAll, describe, expect, it, vi } from "vitest";
import { newId } from "../../src/domain/ids";
import { apiCall, apiToken, makeUser } from "../desk/helpers";
import { makeClaim } from "../factories";
import { call, d1Down, fetchWith, json } from "../helpers";

/**
 * /api/v1/openapi.json tells what the routes really answer: statuses, headers, bounds
 * (hunter h200's findings). api-contract.test.ts checks answers' bodies against it.
 */

interface Response_ {
	description: string;
	headers?: Record<string, unknown>;
	content?: Record<string, { schema: Record<string, unknown> }>;
}
interface Operation {
	parameters: { name: string; in: string; required?: boolean; schema?: Record<string, unknown> }[];
	requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
	responses: Record<string, Response_>;
	security?: Record<string, string[]>[];
}

let doc: { paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> };

beforeAll(async () => {
	doc = await json(await call("/api/v1/openapi.json"));
});

function operation(method: string, path: string): Operation {
	const found = doc.paths[path]?.[method.toLowerCase()];
	if (!found) throw new Error(`${method} ${path} is not documented`);
	return found;
}

function documentedResponse(method: string, path: string, status: number): Response_ {
	const response = operation(method, path).responses[String(status)];
	if (!response) throw new Error(`${method} ${path} does not document ${status}`);
	return response;
}

describe("a D1 outage's 503", { timeout: 120_000 }, () => {
	it("is documented, with Retry-After, on the operations that answer it (Google's shape on Google's route)", async () => {
		const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
		try {
			const { user } = await makeUser("checker");
			const { token } = await apiToken(user, ["claims:write"]);
			const claim = await makeClaim();
			const cases: [string, string, string, RequestInit?][] = [
				["GET", "/api/v1/claims", "/api/v1/claims"],
				["GET", "/api/v1/claims/{id}", `/api/v1/claims/${newId()}`],
				["GET", "/v1alpha1/claims:search", "/v1alpha1/claims:search?query=Kursk"],
				["GET", "/embed/{id}", `/embed/${claim.id}`],
				[
					"POST",
					"/api/v1/claims/{id}/notes",
					`/api/v1/claims/${claim.id}/notes`,
					{
						method: "POST",
						headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
						body: JSON.stringify({ body: "Down." }),
					},
				],
			];
			const down = d1Down("D1_ERROR: Network connection lost.");
			for (const [method, path, address, init] of cases) {
				const { response, settled } = await fetchWith(down, address, init);
				await response.body?.cancel();
				await settled();
				expect(response.status, address).toBe(503);
				expect(response.headers.get("Retry-After"), address).toMatch(/^\d+$/);
				const documented = documentedResponse(method, path, 503);
				expect(Object.keys(documented.headers ?? {}), address).toContain("Retry-After");
				const type = response.headers.get("Content-Type")?.split(";")[0] ?? "";
				expect(Object.keys(documented.content ?? {}), address).toContain(type);
			}
			// The import's own 503 (`import-contention`, Retry-After: 1) is told.
			expect(documentedResponse("POST", "/api/v1/import", 503).description).toContain("import-contention");
		} finally {
			warn.mockRestore();
		}
	});
});

describe("the card's answers for a merged and a removed claim", () => {
	it("/embed/{id} documents the 301 to the kept claim's card and the 410 with removedAt", async () => {
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["claims:write"]);
		const version = async (id: string) =>
			(await json<{ version: number }>(await call(`/api/v1/claims/${id}`))).version;
		const kept = await makeClaim();
		const merged = await makeClaim();
		const merge = await apiCall("POST", `/api/v1/claims/${merged.id}/merge`, {
			token,
			body: { into: kept.id, version: await version(merged.id), note: "The same words." },
		});
		expect(merge.status, await merge.clone().text()).toBe(200);
		const redirect = await call(`/embed/${merged.id}`, { redirect: "manual" });
		expect(redirect.status).toBe(301);
		expect(redirect.headers.get("Location")).toContain(`/embed/${kept.id}`);
		expect(Object.keys(documentedResponse("GET", "/embed/{id}", 301).headers ?? {})).toContain("Location");

		const removed = await makeClaim();
		const body = { version: await version(removed.id), reason: "Recorded by mistake." };
		const removal = await apiCall("DELETE", `/api/v1/claims/${removed.id}`, { token, body });
		expect(removal.status, await removal.clone().text()).toBe(200);
		const gone = await call(`/embed/${removed.id}`);
		const text = await gone.text();
		expect(gone.status).toBe(410);
		const type = gone.headers.get("Content-Type")?.split(";")[0] ?? "";
		const schema = documentedResponse("GET", "/embed/{id}", 410).content?.[type]?.schema;
		expect(schema, `${type}: ${text.slice(0, 200)}`).toBeDefined();
		expect(JSON.parse(text).removedAt).toEqual(expect.any(String));
		expect(Object.keys((schema?.properties as object | undefined) ?? {})).toContain("removedAt");
	});
});
