import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { newId } from "../../src/domain/ids";
import { apiCall, apiToken, makeUser } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
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
				["GET", "/badges/{id}.svg", `/badges/${claim.id}.svg`],
				["GET", "/oembed", `/oembed?url=${encodeURIComponent(`http://claimtrack.test/claims/${claim.id}`)}`],
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

describe("a rate limit's 429", () => {
	it("is documented with the Retry-After it sends, on every operation that answers it", async () => {
		const limited = { MATCH_LIMITER: { limit: async () => ({ success: false }) } } as unknown as Partial<Env>;
		const cases: [string, string][] = [
			["/api/v1/claims/matches", "/api/v1/claims/matches?text=Die+Inflation+steigt&language=de"],
			// A pasted claim: matched, a costly read.
			[
				"/v1alpha1/claims:search",
				`/v1alpha1/claims:search?query=${encodeURIComponent(`Lawrow sagte ${newId()}`)}`,
			],
		];
		for (const [, address] of cases) {
			const { response, settled } = await fetchWith(env.DB, address, undefined, false, limited);
			await response.body?.cancel();
			await settled();
			expect(response.status, address).toBe(429);
			expect(response.headers.get("Retry-After"), address).toMatch(/^\d+$/);
		}
		const answering = Object.entries(doc.paths).flatMap(([path, operations]) =>
			Object.entries(operations)
				.filter(([, operation]) => operation.responses?.["429"])
				.map(([method]) => `${method.toUpperCase()} ${path}`),
		);
		expect(answering).toEqual(expect.arrayContaining(cases.map(([path]) => `GET ${path}`)));
		for (const found of answering) {
			const [method = "", path = ""] = found.split(" ");
			expect(Object.keys(documentedResponse(method, path, 429).headers ?? {}), found).toContain(
				"Retry-After",
			);
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

describe("the card's errors in a frame", { timeout: 120_000 }, () => {
	it("are documented as text/html beside problem+json, and removedAt as the problem's only", async () => {
		const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
		try {
			const frame = { headers: { Accept: "text/html,application/xhtml+xml", "Sec-Fetch-Dest": "iframe" } };
			const { user } = await makeUser("editor");
			const { token } = await apiToken(user, ["claims:write"]);
			const removed = await makeClaim();
			const read = await json<{ version: number }>(await call(`/api/v1/claims/${removed.id}`));
			const removal = await apiCall("DELETE", `/api/v1/claims/${removed.id}`, {
				token,
				body: { version: read.version, reason: "Recorded by mistake." },
			});
			expect(removal.status, await removal.clone().text()).toBe(200);
			const down = await fetchWith(d1Down("D1_ERROR: Network connection lost."), `/embed/${newId()}`, frame);
			await down.settled();
			const answers: [number, Response][] = [
				[404, await call(`/embed/${newId()}`, frame)],
				[410, await call(`/embed/${removed.id}`, frame)],
				[503, down.response],
			];
			for (const [status, response] of answers) {
				const text = await response.text();
				expect(response.status, text.slice(0, 200)).toBe(status);
				const type = response.headers.get("Content-Type")?.split(";")[0] ?? "";
				expect(type).toBe("text/html");
				const content = documentedResponse("GET", "/embed/{id}", status).content ?? {};
				expect(Object.keys(content), String(status)).toEqual(
					expect.arrayContaining(["application/problem+json", "text/html"]),
				);
			}
			const removedAt = documentedResponse("GET", "/embed/{id}", 410).content?.["application/problem+json"]
				?.schema.properties as Record<string, { description: string }>;
			expect(removedAt.removedAt?.description).toMatch(/Only in the problem\+json/);
			// The API's errors stay problem+json alone, whatever a browser accepts.
			expect(Object.keys(documentedResponse("GET", "/api/v1/claims/{id}", 404).content ?? {})).toEqual([
				"application/problem+json",
			]);
		} finally {
			warn.mockRestore();
		}
	});
});

/** A schema and its `anyOf` branches, nested ones included (a nullable union). */
function alternatives(schema: Record<string, unknown>): Record<string, unknown>[] {
	const anyOf = (schema.anyOf as Record<string, unknown>[] | undefined) ?? [];
	return [schema, ...anyOf.flatMap(alternatives)];
}

/** A body's documented property schema, by a path of property names (`[]` steps into items). */
function bodyField(method: string, path: string, ...steps: string[]): Record<string, unknown> {
	let schema = operation(method, path).requestBody?.content["application/json"]?.schema ?? {};
	for (const step of steps) {
		const branches = alternatives(schema);
		const next = branches
			.map((branch) =>
				step === "[]" ? branch.items : (branch.properties as Record<string, unknown>)?.[step],
			)
			.find((found) => found !== undefined) as Record<string, unknown> | undefined;
		if (!next) throw new Error(`${method} ${path} has no ${steps.join(".")}`);
		schema = next;
	}
	// A nullable text: its string branch.
	const text = (schema.anyOf as Record<string, unknown>[] | undefined)?.find((b) => b.type === "string");
	return text ?? schema;
}

describe("text fields' bounds", { timeout: 120_000 }, () => {
	it("are documented as the server enforces them: one over the documented maximum is refused, the maximum is not", async () => {
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["claims:write", "verdicts:write"]);
		const claim = await makeClaim();
		const claimBody = (text: string) => ({
			text,
			language: "en",
			speaker: { name: `Speaker ${newId()}`, kind: "person" },
			source: { url: `https://bounds.example/${newId()}`, title: "Bounds" },
		});
		const verdictBody = (headline: string) => ({
			rating: "false",
			headline,
			evidence: [{ url: "https://evidence.example/bounds", title: "Report" }],
			language: "en",
		});
		const cases: {
			method: string;
			path: string;
			address: string;
			field: string[];
			body: (s: string) => unknown;
		}[] = [
			{
				method: "POST",
				path: "/api/v1/claims",
				address: "/api/v1/claims",
				field: ["text"],
				// Unique, so that the longest one is no duplicate of an earlier run's.
				body: (s) => claimBody(s && `${newId()}${s.slice(newId().length)}`),
			},
			{
				method: "POST",
				path: "/api/v1/claims/{id}/verdicts",
				address: `/api/v1/claims/${claim.id}/verdicts`,
				field: ["headline"],
				body: verdictBody,
			},
			{
				method: "POST",
				path: "/api/v1/claims/{id}/notes",
				address: `/api/v1/claims/${claim.id}/notes`,
				field: ["text"],
				body: (s) => ({ text: s }),
			},
		];
		for (const { method, path, address, field, body } of cases) {
			const schema = bodyField(method, path, ...field);
			const max = schema.maxLength as number;
			expect(max, `${path} ${field}`).toBeGreaterThan(0);
			expect(schema.minLength, `${path} ${field}`).toBe(1);
			const over = await apiCall(method, address, { token, body: body("x".repeat(max + 1)) });
			const problem = await json<{ errors?: { path: string }[] }>(over);
			expect(over.status, `${path} ${field} at ${max + 1}`).toBe(422);
			expect(problem.errors?.map((e) => e.path)).toContain(field.join("."));
			const empty = await apiCall(method, address, { token, body: body("") });
			expect(empty.status, `${path} ${field} empty`).toBe(422);
			const at = await apiCall(method, address, { token, body: body("x".repeat(max)) });
			expect(at.status, `${path} ${field} at ${max}: ${await at.clone().text()}`).toBeLessThan(300);
			await at.body?.cancel();
		}
		// Nested and nullable ones carry theirs too.
		expect(bodyField("POST", "/api/v1/claims", "speaker", "name").maxLength).toBe(300);
		expect(bodyField("POST", "/api/v1/claims", "context").maxLength).toBe(20_000);
		expect(bodyField("POST", "/api/v1/claims/{id}/verdicts", "evidence", "[]", "title")).toMatchObject({
			minLength: 1,
			maxLength: 500,
		});
		expect(bodyField("POST", "/api/v1/claims/{id}/merge", "note")).toMatchObject({
			minLength: 1,
			maxLength: 5000,
		});
	});

	it("a topic's rename: its name's bounds and comma, and that it needs nameEn or nameDe", async () => {
		const rename = operation("PATCH", "/api/v1/tags/{slug}").requestBody?.content["application/json"]?.schema;
		const name = bodyField("PATCH", "/api/v1/tags/{slug}", "nameEn");
		expect(name).toMatchObject({ minLength: 1, maxLength: 60 });
		expect(new RegExp(String(name.pattern)).test("Krieg, Frieden")).toBe(false);
		expect(new RegExp(String(name.pattern)).test("Krieg")).toBe(true);
		const branches = (rename?.anyOf ?? []) as { required: string[] }[];
		const satisfied = (body: Record<string, unknown>) =>
			branches.some((branch) => branch.required.every((key) => key in body));
		expect(satisfied({})).toBe(false);
		expect(satisfied({ was: { nameEn: "War" } })).toBe(false);
		expect(satisfied({ nameDe: "Krieg" })).toBe(true);

		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["claims:write"]);
		// The body is checked before the topic is looked up.
		const refused = await apiCall("PATCH", "/api/v1/tags/any-topic", { token, body: {} });
		expect(refused.status).toBe(422);
	});
});

describe("revalidation", () => {
	it("public reads document ETag, Cache-Control, If-None-Match and the 304 they answer; streamed exports and oEmbed do not", async () => {
		const claim = await makeClaim();
		const reads: [string, string][] = [
			["/api/v1/claims", "/api/v1/claims"],
			["/api/v1/claims/{id}", `/api/v1/claims/${claim.id}`],
			["/api/v1/speakers/{slug}", `/api/v1/speakers/${claim.speaker?.slug}`],
			["/api/v1/ratings", "/api/v1/ratings"],
			["/embed/{id}", `/embed/${claim.id}`],
			["/badges/{id}.svg", `/badges/${claim.id}.svg`],
			["/v1alpha1/claims:search", "/v1alpha1/claims:search?query=harbour"],
		];
		for (const [path, address] of reads) {
			const first = await call(address);
			await first.body?.cancel();
			const etag = first.headers.get("ETag");
			expect(etag, address).toBeTruthy();
			expect(Object.keys(documentedResponse("GET", path, 200).headers ?? {}), path).toEqual(
				expect.arrayContaining(["ETag", "Cache-Control"]),
			);
			const again = await call(address, { headers: { "If-None-Match": etag ?? "" } });
			await again.body?.cancel();
			expect(again.status, address).toBe(304);
			expect(Object.keys(documentedResponse("GET", path, 304).headers ?? {}), path).toContain("ETag");
			const header = operation("GET", path).parameters.find((p) => p.name === "If-None-Match");
			expect(header, path).toMatchObject({ in: "header", required: false });
		}
		const oembed = `/oembed?url=${encodeURIComponent(`http://claimtrack.test/claims/${claim.id}`)}`;
		const unversioned: [string, string][] = [
			["/api/v1/export.ndjson", "/api/v1/export.ndjson"],
			["/api/v1/export/claimreview.json", "/api/v1/export/claimreview.json"],
			// oEmbed says how long to keep its answer (`cache_age`, Cache-Control), no ETag.
			["/oembed", oembed],
		];
		for (const [path, address] of unversioned) {
			const response = await call(address);
			await response.body?.cancel();
			expect(response.status, path).toBe(200);
			expect(response.headers.has("ETag"), path).toBe(false);
			expect(operation("GET", path).responses["304"], path).toBeUndefined();
		}
		// A token read is nobody's cache's business.
		expect(operation("GET", "/api/v1/webhooks").responses["304"]).toBeUndefined();
		// X-Request-Id, told once.
		const headers = doc.components.headers as Record<string, { description: string }> | undefined;
		expect(headers?.["X-Request-Id"]?.description).toMatch(/request's id/);
		const failed = await call("/api/v1/claims?foo=1");
		await failed.body?.cancel();
		expect(failed.headers.get("X-Request-Id")).toBeTruthy();
	});
});

describe("query parameters a route does not list", () => {
	it("are a 422 naming them on the claim matcher, the ClaimReview export and the delivery log too", async () => {
		const { user } = await makeUser("admin");
		const { token } = await apiToken(user, ["webhooks:manage"]);
		const created = await apiCall("POST", "/api/v1/webhooks", {
			token,
			body: { url: `https://hooks.example/${newId()}`, events: ["claim.created"] },
		});
		expect(created.status, await created.clone().text()).toBe(201);
		const hook = await json<{ id: string }>(created);
		const cases: [string, Response][] = [
			["foo", await call("/api/v1/claims/matches?text=Die+Inflation+steigt&language=de&foo=1")],
			["foo", await call("/api/v1/export/claimreview.json?foo=1")],
			["lang", await call("/api/v1/export/claimreview.json?lang=de")],
			["limit", await apiCall("GET", `/api/v1/webhooks/${hook.id}/deliveries?limit=3`, { token })],
		];
		for (const [name, response] of cases) {
			const problem = await json<{ errors?: { path: string; message: string }[] }>(response);
			expect(response.status, `${response.url} ${JSON.stringify(problem)}`).toBe(422);
			expect(problem.errors).toEqual([{ path: `query.${name}`, message: `Unknown field: ${name}.` }]);
		}
		// What they list still works.
		const listed = [
			await call("/api/v1/claims/matches?text=Die+Inflation+steigt&language=de&limit=3&lang=en"),
			await call("/api/v1/export/claimreview.json"),
			await apiCall("GET", `/api/v1/webhooks/${hook.id}/deliveries?state=dead`, { token }),
		];
		for (const response of listed) {
			await response.body?.cancel();
			expect(response.status, response.url).toBe(200);
		}
	});
});

describe("the claim list's token", () => {
	it("is documented as optional security with the scopes `assignee` takes, and ?assignee=me works with it", async () => {
		const security = operation("GET", "/api/v1/claims").security;
		expect(security).toEqual(
			expect.arrayContaining([{}, { bearer: ["claims:write"] }, { bearer: ["verdicts:write"] }]),
		);
		const { user } = await makeUser("checker");
		const { token } = await apiToken(user, ["claims:write"]);
		expect((await apiCall("GET", "/api/v1/claims?assignee=me", { token })).status).toBe(200);
		const anonymous = await call("/api/v1/claims?assignee=me");
		await anonymous.body?.cancel();
		expect(anonymous.status).toBe(401);
		// The docs page says the token is optional here, required where it is.
		const page = await (await call("/api/docs")).text();
		const section = (path: string) =>
			page.split("<section>").find((s) => s.includes(`GET ${path}</code>`)) ?? "";
		expect(section("/api/v1/claims")).toContain("Bearer token optional.");
		expect(section("/api/v1/webhooks")).toContain("Bearer token required.");
	});
});

describe("smaller truths", () => {
	it("an appearance's Location, PATCH bodies' ignored read-only fields, the card's fallbacks", async () => {
		const claim = await makeClaim();
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["claims:write"]);
		const added = await apiCall("POST", `/api/v1/claims/${claim.id}/appearances`, {
			token,
			body: { source: { url: `https://appearance.example/${newId()}`, title: "Again" } },
		});
		await added.body?.cancel();
		expect(added.status).toBe(201);
		expect(added.headers.get("Location")).toMatch(new RegExp(`/api/v1/claims/${claim.id}$`));
		const location = documentedResponse("POST", "/api/v1/claims/{id}/appearances", 201).headers?.Location as {
			description: string;
		};
		expect(location.description).toMatch(/claim's address/);

		// A PATCH takes back what was read: its answer's read-only fields are named as accepted.
		const read = await json<Record<string, unknown>>(await call(`/api/v1/claims/${claim.id}`));
		const patched = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { ...read, context: "Said twice." },
		});
		expect(patched.status, await patched.clone().text()).toBe(200);
		const patches: [string, string][] = [
			["/api/v1/claims/{id}", "url"],
			["/api/v1/speakers/{slug}", "slug"],
		];
		for (const [path, field] of patches) {
			const schema = operation("PATCH", path).requestBody?.content["application/json"]?.schema ?? {};
			expect(schema.additionalProperties, path).toBe(false);
			expect(String(schema.description), path).toContain(`\`${field}\``);
			expect(String(schema.description), path).toMatch(/accepted and ignored/);
		}

		// The card's variants: unknown values fall back, and the document says so.
		const card = await call(`/embed/${claim.id}?theme=purple&lang=fr`);
		await card.body?.cancel();
		expect(card.status).toBe(200);
		const parameters = operation("GET", "/embed/{id}").parameters;
		for (const name of ["theme", "lang"]) {
			const parameter = parameters.find((p) => p.name === name) as { description?: string } | undefined;
			expect(parameter?.description, name).toMatch(/Anything else/);
		}
	});
});

describe("a restore's object", () => {
	it("is checked against the SHA-256 of the body sent, not the manifest's: the CLI sends a copy's text cut and its meta.json rewritten", () => {
		const description = String(
			(operation("PUT", "/api/v1/backup/objects/{key}") as { description?: string }).description,
		);
		expect(description).toContain("`X-Content-SHA256` the SHA-256 (hex) of the body sent");
		expect(description).not.toMatch(/from the manifest|manifest's hash/);
	});
});

describe("the reviewed-date filters", () => {
	it("say they are UTC days, as the answer's reviewedAt is, not the newsroom's", async () => {
		// Reviewed at 00:50 on 20 November in Berlin (the tests' newsroom), 23:50 UTC on the 19th:
		// the page dates it the 20th, the filters find it on the 19th, as its reviewedAt reads.
		const claim = await makeClaim();
		await publish(claim.id, "false");
		const reviewedAt = "2025-11-19T23:50:00.000Z";
		await env.DB.prepare("UPDATE claims SET reviewed_at = ? WHERE id = ?").bind(reviewedAt, claim.id).run();
		const found = async (filter: string) =>
			(
				await json<{ data: { id: string; reviewedAt: string }[] }>(
					await call(`/api/v1/claims?speaker=${claim.speaker?.slug}&${filter}`),
				)
			).data.map((c) => `${c.id} ${c.reviewedAt}`);
		expect(await found("reviewedSince=2025-11-19&reviewedUntil=2025-11-19")).toEqual([
			`${claim.id} ${reviewedAt}`,
		]);
		expect(await found("reviewedSince=2025-11-20")).toEqual([]);
		const parameters = operation("GET", "/api/v1/claims").parameters as {
			name: string;
			description?: string;
		}[];
		for (const name of ["reviewedSince", "reviewedUntil"])
			expect(parameters.find((p) => p.name === name)?.description, name).toMatch(/UTC day/);
	});
});

/**
 * The errors a JSON Schema validator would find in `value` (the keywords the document's
 * bodies use: type, enum, const, anyOf, properties, required, additionalProperties, items).
 */
function schemaErrors(schema: Record<string, unknown>, value: unknown, at = "body"): string[] {
	if (Array.isArray(schema.anyOf)) {
		const branches = (schema.anyOf as Record<string, unknown>[]).map((b) => schemaErrors(b, value, at));
		if (!branches.some((errors) => errors.length === 0))
			return [`${at}: no anyOf branch (${branches.flat()})`];
	}
	if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return [`${at}: not in enum`];
	if (schema.const !== undefined && schema.const !== value) return [`${at}: not the const`];
	const kind =
		value === null
			? "null"
			: Array.isArray(value)
				? "array"
				: Number.isInteger(value)
					? "integer"
					: typeof value;
	const types = schema.type === undefined ? undefined : ([] as unknown[]).concat(schema.type);
	if (types && !types.includes(kind) && !(kind === "integer" && types.includes("number")))
		return [`${at}: ${kind}, not ${types.join("|")}`];
	if (kind === "array" && schema.items)
		return (value as unknown[]).flatMap((item, i) =>
			schemaErrors(schema.items as Record<string, unknown>, item, `${at}.${i}`),
		);
	if (kind !== "object") return [];
	const object = value as Record<string, unknown>;
	const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
	const errors = ((schema.required as string[] | undefined) ?? [])
		.filter((key) => !(key in object))
		.map((key) => `${at}.${key}: required`);
	for (const [key, field] of Object.entries(object)) {
		const property = properties[key];
		if (property) errors.push(...schemaErrors(property, field, `${at}.${key}`));
		else if (schema.additionalProperties === false) errors.push(`${at}.${key}: not allowed`);
	}
	return errors;
}

describe("PATCH bodies", () => {
	it("accept, by their schema, the whole answer a client read: its read-only fields are readOnly properties", async () => {
		const claim = await makeClaim();
		const patches: [string, string][] = [
			["/api/v1/claims/{id}", `/api/v1/claims/${claim.id}`],
			["/api/v1/speakers/{slug}", `/api/v1/speakers/${claim.speaker?.slug}`],
		];
		for (const [path, address] of patches) {
			const read = await json<Record<string, unknown>>(await call(address));
			const schema = operation("PATCH", path).requestBody?.content["application/json"]?.schema ?? {};
			expect(schemaErrors(schema, read), path).toEqual([]);
			expect(schema.additionalProperties, path).toBe(false);
			const properties = schema.properties as Record<string, { readOnly?: boolean; description?: string }>;
			// A read-only one is marked so; what the PATCH changes is not.
			expect(properties.version?.readOnly, path).toBeUndefined();
			const readOnly = Object.keys(properties).filter((key) => properties[key]?.readOnly);
			expect(readOnly, path).toContain(path.startsWith("/api/v1/claims") ? "url" : "slug");
			for (const key of readOnly) expect(properties[key]?.description, `${path} ${key}`).toMatch(/ignored/);
			// A misspelt field is still refused by the schema, as by the server.
			expect(schemaErrors(schema, { ...read, txt: "x" }), path).toEqual(["body.txt: not allowed"]);
		}
		// /api/docs says which are ignored, under the table of the fields that change.
		const page = await (await call("/api/docs")).text();
		const section =
			page.split("<section>").find((s) => s.includes("PATCH /api/v1/claims/{id}</code></h2>")) ?? "";
		expect(section).toMatch(/<code>context<\/code><\/td>/);
		expect(section).not.toMatch(/<code>url<\/code><\/td>/);
		expect(section).toMatch(/accepted and ignored, so a client may send back what it read/);
	});

	it("take back a claim read with its topics: the topics as objects, by their slug", {
		timeout: 60_000,
	}, async () => {
		const claim = await makeClaim();
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["claims:write"]);
		const address = `/api/v1/claims/${claim.id}`;
		const topics = [`Harbour ${newId()}`, `Hafen ${newId()}`];
		const tagged = await apiCall("PATCH", address, { token, body: { version: claim.version, tags: topics } });
		expect(tagged.status, await tagged.clone().text()).toBe(200);
		const read = await json<
			Record<string, unknown> & { tags: { slug: string; name: string; url: string }[] }
		>(await call(address));
		expect(read.tags.map((t) => t.name).sort()).toEqual([...topics].sort());
		// The document says so: a topic is a name or slug, or an object as read.
		const schema =
			operation("PATCH", "/api/v1/claims/{id}").requestBody?.content["application/json"]?.schema ?? {};
		expect(schemaErrors(schema, read)).toEqual([]);
		const items = (schema.properties as Record<string, { items?: { anyOf?: unknown[] } }>).tags?.items;
		expect(items?.anyOf).toHaveLength(2);
		// The server takes it: the same topics, the rest unchanged.
		const back = await apiCall("PATCH", address, { token, body: read });
		expect(back.status, await back.clone().text()).toBe(200);
		const after = await json<{ tags: { slug: string; name: string }[]; text: string }>(back);
		expect(after.tags).toEqual(read.tags.map(({ slug, name }) => expect.objectContaining({ slug, name })));
		expect(after.text).toBe(read.text);
		// An object without its slug is refused, naming the field.
		const bad = await apiCall("PATCH", address, {
			token,
			body: {
				version: (await json<{ version: number }>(await call(address))).version,
				tags: [{ name: "x" }],
			},
		});
		expect(bad.status).toBe(422);
		expect(await bad.text()).toContain("tags.0");
	});
});

describe("the problem's title", () => {
	it("is documented as in the ?lang= language on a public read, as it is sent", async () => {
		const response = await call(`/api/v1/claims/${newId()}?lang=de`);
		const problem = await json<{ type: string; title: string }>(response);
		expect(response.status).toBe(404);
		expect(problem.type).toBe("about:blank");
		expect(problem.title).toBe("Nicht gefunden");
		const schema = documentedResponse("GET", "/api/v1/claims/{id}", 404).content?.["application/problem+json"]
			?.schema.properties as Record<string, { description: string }>;
		expect(schema.title?.description).toMatch(/`\?lang=`, in that language/);
	});
});

describe("/api/docs", () => {
	it("shows request bodies, the scopes a token needs, and Markdown code as code", async () => {
		const page = await (await call("/api/docs")).text();
		const section = (heading: string) =>
			page.split("<section>").find((s) => s.includes(`${heading}</code></h2>`)) ?? "";
		const notes = section("POST /api/v1/claims/{id}/notes");
		expect(notes).toContain("Request body (JSON)");
		expect(notes).toMatch(/<code>text<\/code> \*<\/td><td[^>]* lang="en">string<\/td>/);
		expect(notes).toContain("1–5000 characters");
		expect(notes).toMatch(/Scope: <code>claims:write<\/code>/);
		expect(section("GET /api/v1/claims")).toMatch(
			/Scope: <code>claims:write<\/code> or <code>verdicts:write<\/code>/,
		);
		expect(page).toContain("<code>next</code>");
		expect(page).not.toMatch(/`[^`<]+`/);
		// A described field keeps its bounds; a rename's "nameEn or nameDe" is said under the table.
		const rename = section("PATCH /api/v1/tags/{slug}");
		const nameEn = rename.split("<tr>").find((row) => row.includes("<code>nameEn</code>")) ?? "";
		expect(nameEn).toContain("1–60 characters");
		expect(nameEn).toContain("cannot contain a comma");
		expect(rename).toMatch(/Required, at least: <code>nameEn<\/code> or <code>nameDe<\/code>/);
		// Names and types are kept whole (the stylesheet's `td.whole`); a long one breaks between its parts.
		expect(nameEn).toMatch(
			/<td class="whole"><code>nameEn<\/code><\/td><td class="whole" lang="en">string<\/td>/,
		);
		expect(page).toContain("<code>review<wbr/>Publisher<wbr/>Site<wbr/>Filter</code>");
		// Google's proto names too, after each underscore: whole, review_publisher_site_filter
		// widened the claims:search table, and the page scrolled 93 px sideways at 360 px (s33 f341).
		expect(page).toContain("<code>review_<wbr/>publisher_<wbr/>site_<wbr/>filter</code>");
		const css = await (await call("/assets/app.css")).text();
		expect(css).toMatch(/td\.whole,td\.whole code\{overflow-wrap:normal;word-break:normal\}/);
		const german = await (await call("/api/docs?lang=de")).text();
		expect(german).toMatch(/Nötig, mindestens: <code>nameEn<\/code> oder <code>nameDe<\/code>/);
		expect(german).toContain("Anfrage-Body (JSON)");
		expect(german).toMatch(/Berechtigung \(Scope\): <code>claims:write<\/code> oder/);
	});
});
