import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { apiCall, apiToken, makeUser } from "../desk/helpers";
import { makeClaim } from "../factories";
import { call, json } from "../helpers";

/**
 * The API answers as /api/v1/openapi.json says it does: real answers (problems included)
 * validate against the documented schemas, and the statuses routes really answer are
 * documented. Also the write API's behaviour those answers rest on: Idempotency-Key on
 * every create, one code per verdict state conflict, field problems for impossible input.
 */

/* ---------- a small JSON Schema (2020-12) check, for the keywords zod emits ---------- */

type Schema = boolean | { [keyword: string]: unknown };

/** Keywords that do not decide validity here (or that zod emits only as annotations). */
const ANNOTATIONS = new Set([
	"description",
	"format",
	"default",
	"minLength",
	"maxLength",
	"minimum",
	"maximum",
	"exclusiveMinimum",
	"exclusiveMaximum",
	"minItems",
	"maxItems",
	"propertyNames",
	"title",
	"examples",
]);
const CHECKED = new Set([
	"type",
	"enum",
	"const",
	"anyOf",
	"oneOf",
	"allOf",
	"properties",
	"required",
	"additionalProperties",
	"items",
	"pattern",
]);

function typeOf(value: unknown): string {
	if (value === null) return "null";
	if (Array.isArray(value)) return "array";
	return typeof value;
}

function hasType(value: unknown, type: string): boolean {
	if (type === "integer") return Number.isInteger(value);
	return typeOf(value) === type;
}

/** The ways `value` fails `schema`, as "$.path: why"; none when it validates. */
function schemaErrors(schema: Schema, value: unknown, at = "$"): string[] {
	if (schema === true) return [];
	if (schema === false) return [`${at}: not allowed`];
	for (const keyword of Object.keys(schema)) {
		// An unknown keyword would pass silently: the check must grow with what zod emits.
		if (!CHECKED.has(keyword) && !ANNOTATIONS.has(keyword)) throw new Error(`unsupported keyword ${keyword}`);
	}
	const errors: string[] = [];
	if (schema.type !== undefined) {
		const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
		if (!types.some((type) => hasType(value, type)))
			return [`${at}: ${JSON.stringify(value)} is not ${types.join("|")}`];
	}
	if (schema.enum !== undefined && !(schema.enum as unknown[]).includes(value))
		errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
	if (schema.const !== undefined && schema.const !== value)
		errors.push(`${at}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
	if (
		schema.pattern !== undefined &&
		typeof value === "string" &&
		!new RegExp(String(schema.pattern)).test(value)
	)
		errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
	if (schema.anyOf !== undefined) {
		const branches = (schema.anyOf as Schema[]).map((branch) => schemaErrors(branch, value, at));
		if (!branches.some((branch) => branch.length === 0))
			errors.push(`${at}: no branch of anyOf`, ...branches.flat());
	}
	if (schema.oneOf !== undefined) {
		const passing = (schema.oneOf as Schema[]).filter(
			(branch) => schemaErrors(branch, value, at).length === 0,
		);
		if (passing.length !== 1) errors.push(`${at}: ${passing.length} branches of oneOf`);
	}
	for (const branch of (schema.allOf as Schema[] | undefined) ?? [])
		errors.push(...schemaErrors(branch, value, at));
	if (typeOf(value) === "object") {
		const object = value as Record<string, unknown>;
		const properties = (schema.properties ?? {}) as Record<string, Schema>;
		for (const name of (schema.required as string[] | undefined) ?? []) {
			if (!(name in object)) errors.push(`${at}: ${name} is required`);
		}
		for (const [name, field] of Object.entries(object)) {
			const declared = properties[name];
			if (declared !== undefined) errors.push(...schemaErrors(declared, field, `${at}.${name}`));
			else if (schema.additionalProperties !== undefined)
				errors.push(...schemaErrors(schema.additionalProperties as Schema, field, `${at}.${name}`));
		}
	}
	if (Array.isArray(value) && schema.items !== undefined) {
		value.forEach((item, i) => {
			errors.push(...schemaErrors(schema.items as Schema, item, `${at}[${i}]`));
		});
	}
	return errors;
}

/* ---------- the document ---------- */

interface Operation {
	parameters: { name: string; in: string }[];
	responses: Record<
		string,
		{ content?: Record<string, { schema: Schema }>; headers?: Record<string, unknown> }
	>;
}

let doc: { paths: Record<string, Record<string, Operation>> };

beforeAll(async () => {
	doc = await json(await call("/api/v1/openapi.json"));
});

function operation(method: string, path: string): Operation {
	const found = doc.paths[path]?.[method.toLowerCase()];
	if (!found) throw new Error(`${method} ${path} is not documented`);
	return found;
}

/** The documented schema of an answer: its status, its content type. */
function documented(method: string, path: string, status: number, type: string): Schema {
	const response = operation(method, path).responses[String(status)];
	if (!response) throw new Error(`${method} ${path} does not document ${status}`);
	const schema = response.content?.[type]?.schema;
	if (schema === undefined) throw new Error(`${method} ${path} ${status} has no ${type} schema`);
	return schema;
}

/**
 * A real answer holds to the document: its status is listed for the operation, and its
 * body (problem+json or JSON) validates against the schema documented for that status.
 */
async function holdsToDocument(method: string, path: string, response: Response, status: number) {
	const text = await response.text();
	expect(response.status, text).toBe(status);
	expect(Object.keys(operation(method, path).responses), `${method} ${path}`).toContain(String(status));
	// The headers a client acts on are documented where they are sent.
	const headers = Object.keys(operation(method, path).responses[String(status)]?.headers ?? {});
	for (const name of ["Location", "Idempotent-Replayed"])
		if (response.headers.has(name)) expect(headers, `${method} ${path} ${status}`).toContain(name);
	if (status >= 300 && status < 400) return;
	const type = response.headers.get("content-type")?.split(";")[0] ?? "";
	// An answer that is not JSON (a badge's SVG) is held to the media type documented for it.
	if (!/[/+]json$/.test(type)) {
		documented(method, path, status, type);
		return;
	}
	expect(
		schemaErrors(documented(method, path, status, type), JSON.parse(text)),
		`${method} ${path} ${text}`,
	).toEqual([]);
	return JSON.parse(text) as Record<string, unknown>;
}

/* ---------- callers ---------- */

const ALL_WRITE = ["claims:write", "verdicts:write", "verdicts:publish"] as const;

async function tokenOf(role: "checker" | "editor" | "admin", scopes: Parameters<typeof apiToken>[1]) {
	const { user } = await makeUser(role);
	return { user, token: (await apiToken(user, scopes)).token };
}

const claimBody = (overrides: Record<string, unknown> = {}) => ({
	text: `Die Behauptung ${newId()} über den Hafen wurde so gesagt.`,
	language: "de",
	claimedAt: "2025-07-12",
	speaker: { name: `Sprecher ${newId()}`, kind: "person" },
	source: { url: `https://news.example/${newId()}`, title: "Artikel", language: "de" },
	...overrides,
});

const verdictBody = (overrides: Record<string, unknown> = {}) => ({
	rating: "false",
	headline: `Not so ${newId()}`,
	evidence: [{ url: "https://evidence.example/report", title: "Report" }],
	language: "en",
	...overrides,
});

const key = () => newToken(18).replace(/[^A-Za-z0-9_-]/g, "x");

async function draftOn(token: string, claimId: string) {
	const response = await apiCall("POST", `/api/v1/claims/${claimId}/verdicts`, {
		token,
		body: verdictBody(),
	});
	expect(response.status, await response.clone().text()).toBe(201);
	return json<{ id: string; version: number }>(response);
}

async function publishedVerdict(editor: string) {
	const claim = await makeClaim();
	const draft = await draftOn(editor, claim.id);
	const published = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
		token: editor,
		body: { version: draft.version },
	});
	expect(published.status, await published.clone().text()).toBe(200);
	return { claim, draft, published: await json<{ id: string; version: number; state: string }>(published) };
}

describe("problems hold to the documented problem schemas", () => {
	it("a version conflict, a duplicate claim, an open draft and a 422, with their extension members", async () => {
		const { token } = await tokenOf("checker", ["claims:write", "verdicts:write"]);

		// version-conflict, with `current`.
		const claim = await makeClaim();
		const draft = await draftOn(token, claim.id);
		await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
			token,
			body: verdictBody({ version: draft.version }),
		});
		const stale = await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
			token,
			body: verdictBody({ version: draft.version }),
		});
		const conflict = await holdsToDocument("PUT", "/api/v1/verdicts/{id}", stale, 409);
		expect(conflict).toMatchObject({
			type: "urn:claimtrack:problem:version-conflict",
			current: { version: draft.version + 1, state: "draft" },
		});
		expect(conflict?.instance).toBe(`/api/v1/verdicts/${draft.id}`);
		expect(conflict?.requestId).toEqual(expect.any(String));

		// duplicate-claim, naming the claim recorded already; its own documented branch holds too.
		const body = claimBody();
		expect((await apiCall("POST", "/api/v1/claims", { token, body })).status).toBe(201);
		const again = await apiCall("POST", "/api/v1/claims", {
			token,
			body: { ...body, source: { ...body.source, url: `https://news.example/${newId()}` } },
		});
		const duplicate = await holdsToDocument("POST", "/api/v1/claims", again, 409);
		expect(duplicate).toMatchObject({
			type: "urn:claimtrack:problem:duplicate-claim",
			claimId: expect.any(String),
			addAppearance: expect.stringContaining("/appearances"),
			sameSource: false,
		});
		const duplicateSchema = documented("POST", "/api/v1/claims", 409, "application/problem+json") as {
			anyOf: Schema[];
		};
		expect(schemaErrors(duplicateSchema.anyOf[0] as Schema, duplicate)).toEqual([]);

		// draft-exists, naming the open draft, with `instance` and `requestId` as every problem.
		const second = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token,
			body: verdictBody(),
		});
		const exists = await holdsToDocument("POST", "/api/v1/claims/{id}/verdicts", second, 409);
		expect(exists).toMatchObject({ type: "urn:claimtrack:problem:draft-exists", draftId: draft.id });
		const existsSchema = documented(
			"POST",
			"/api/v1/claims/{id}/verdicts",
			409,
			"application/problem+json",
		) as {
			anyOf: Schema[];
		};
		expect(schemaErrors(existsSchema.anyOf[0] as Schema, exists)).toEqual([]);

		// 422 with field paths.
		const invalid = await apiCall("POST", "/api/v1/claims", { token, body: claimBody({ text: "" }) });
		const problem = await holdsToDocument("POST", "/api/v1/claims", invalid, 422);
		expect(problem?.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: "text" })]));
	});

	it("claim-words-changed, with the changes and the words now, on a save, a new draft and a publication; the draft's claimChange as documented", async () => {
		const { token } = await tokenOf("editor", ["claims:write", "verdicts:write", "verdicts:publish"]);
		const claim = await makeClaim();
		const draft = await draftOn(token, claim.id);
		const read = await apiCall("GET", `/api/v1/verdicts/${draft.id}`, { token });
		const { claimChange } = (await holdsToDocument("GET", "/api/v1/verdicts/{id}", read, 200)) as {
			claimChange: number;
		};
		const now = await json<{ version: number; text: string }>(await call(`/api/v1/claims/${claim.id}`));
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: now.version, text: `${now.text} Reworded.` },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		const save = await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
			token,
			body: verdictBody({ version: draft.version, wordsRead: claimChange }),
		});
		const saveSchema = documented("PUT", "/api/v1/verdicts/{id}", 409, "application/problem+json") as {
			anyOf: Schema[];
		};
		const refused = await holdsToDocument("PUT", "/api/v1/verdicts/{id}", save, 409);
		expect(refused).toMatchObject({
			type: "urn:claimtrack:problem:claim-words-changed",
			changes: [{ field: "text" }],
			claimChange: expect.any(Number),
		});
		expect(schemaErrors(saveSchema.anyOf[0] as Schema, refused)).toEqual([]);
		const publish = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token,
			body: { version: draft.version },
		});
		const unpublished = await holdsToDocument("POST", "/api/v1/verdicts/{id}/publish", publish, 409);
		const publishSchema = documented(
			"POST",
			"/api/v1/verdicts/{id}/publish",
			409,
			"application/problem+json",
		) as {
			anyOf: Schema[];
		};
		expect(schemaErrors(publishSchema.anyOf[0] as Schema, unpublished)).toEqual([]);
		const other = await makeClaim();
		const otherNow = await json<{ version: number; text: string }>(await call(`/api/v1/claims/${other.id}`));
		await apiCall("PATCH", `/api/v1/claims/${other.id}`, {
			token,
			body: { version: otherNow.version, text: `${otherNow.text} Reworded.` },
		});
		const create = await apiCall("POST", `/api/v1/claims/${other.id}/verdicts`, {
			token,
			body: verdictBody({ wordsRead: 0 }),
		});
		expect(await holdsToDocument("POST", "/api/v1/claims/{id}/verdicts", create, 409)).toMatchObject({
			type: "urn:claimtrack:problem:claim-words-changed",
		});
		// The bodies take it as `wordsRead`, so a client validating against them may send it.
		for (const [method, path] of [
			["PUT", "/api/v1/verdicts/{id}"],
			["POST", "/api/v1/claims/{id}/verdicts"],
		] as const) {
			const { requestBody } = operation(method, path) as Operation & { requestBody?: unknown };
			expect(JSON.stringify(requestBody), `${method} ${path}`).toContain('"wordsRead"');
		}
	});

	it("documents problems as open to extension members (RFC 9457 §3.2)", () => {
		type Problem = { additionalProperties?: unknown; properties: Record<string, unknown> };
		// A save's own problem (`claim-words-changed`) or any other: each branch open.
		const { anyOf } = documented("PUT", "/api/v1/verdicts/{id}", 409, "application/problem+json") as {
			anyOf: Problem[];
		};
		for (const branch of anyOf) expect(branch.additionalProperties).not.toBe(false);
		const schema = anyOf.at(-1) as Problem;
		expect(Object.keys(schema.properties)).toEqual(
			expect.arrayContaining([
				"type",
				"title",
				"status",
				"detail",
				"instance",
				"requestId",
				"errors",
				"current",
			]),
		);
	});
});

describe("a note's answer", () => {
	it("is the documented note, `mergedFrom` included", async () => {
		const { token } = await tokenOf("checker", ["claims:write"]);
		const claim = await makeClaim();
		const response = await apiCall("POST", `/api/v1/claims/${claim.id}/notes`, {
			token,
			body: { text: "Ask the ministry." },
		});
		const note = await holdsToDocument("POST", "/api/v1/claims/{id}/notes", response, 201);
		expect(note).toMatchObject({ text: "Ask the ministry.", mergedFrom: null });
	});
});

describe("the statuses routes answer are documented", () => {
	it("every create documents its Location, and beside it Idempotent-Replayed where a key is taken", () => {
		const creates = Object.entries(doc.paths).flatMap(([path, methods]) =>
			Object.entries(methods).flatMap(([method, op]) => (op.responses["201"] ? [{ path, method, op }] : [])),
		);
		expect(creates.map((c) => `${c.method} ${c.path}`)).toEqual(
			expect.arrayContaining([
				"post /api/v1/claims",
				"post /api/v1/claims/{id}/notes",
				"post /api/v1/webhooks",
			]),
		);
		for (const { path, method, op } of creates) {
			const headers = Object.keys(op.responses["201"]?.headers ?? {});
			expect(headers, `${method} ${path}`).toContain("Location");
			if (op.parameters.some((p) => p.name === "Idempotency-Key"))
				expect(headers, `${method} ${path}`).toContain("Idempotent-Replayed");
		}
	});

	it("derived from the declaration: 404 with path parameters, 401/403 with a token, 400/413/415 with a body", () => {
		const has = (method: string, path: string, statuses: string[]) =>
			expect(Object.keys(operation(method, path).responses), `${method} ${path}`).toEqual(
				expect.arrayContaining(statuses),
			);
		const writeBody = ["400", "401", "403", "404", "409", "413", "415", "422"];
		has("POST", "/api/v1/claims/{id}/appearances", writeBody);
		has("PUT", "/api/v1/verdicts/{id}", writeBody);
		has("POST", "/api/v1/verdicts/{id}/publish", writeBody);
		has("PATCH", "/api/v1/claims/{id}", writeBody);
		has("PATCH", "/api/v1/speakers/{slug}", writeBody);
		has("PATCH", "/api/v1/tags/{slug}", writeBody);
		has("POST", "/api/v1/claims/{id}/notes", writeBody);
		has("POST", "/api/v1/claims/{id}/assignee", writeBody);
		has("PATCH", "/api/v1/webhooks/{id}", writeBody);
		has("POST", "/api/v1/webhooks/deliveries/{deliveryId}/replay", ["401", "403", "404", "413", "415"]);
		has("POST", "/api/v1/claims", ["400", "401", "403", "409", "413", "415", "422"]);
		has("GET", "/api/v1/verdicts/{id}", ["401", "403", "404"]);
		has("GET", "/api/v1/webhooks", ["401", "403"]);
		has("GET", "/api/v1/claims/{id}/notes", ["401", "403", "404"]);
		// Explicit: a merged claim's redirect, a removed one's 410, the assignee filter's token.
		has("GET", "/api/v1/claims/{id}", ["301", "404", "410"]);
		has("GET", "/api/v1/claims", ["401", "403", "422"]);
		has("DELETE", "/api/v1/claims/{id}", ["404", "409", "410"]);
		// A public read with no token and no path parameter promises neither.
		expect(Object.keys(operation("GET", "/api/v1/ratings").responses)).not.toContain("401");
		expect(Object.keys(operation("GET", "/api/v1/speakers").responses)).not.toContain("404");
	});

	it("says what walking the claim list's pages meets when claims change meanwhile, and how to sync", () => {
		const parameters = operation("GET", "/api/v1/claims").parameters as {
			name: string;
			description?: string;
		}[];
		const sort = parameters.find((p) => p.name === "sort")?.description ?? "";
		expect(sort).toContain("syncs walk sort=recent");
		expect(sort).toContain("reviewedSince");
		expect(sort).toMatch(/can be missed/);
		expect(sort).toMatch(/by offset: .*can repeat/);
	});

	it("documents Idempotency-Key on exactly the creates that honour it", () => {
		const withKey = Object.entries(doc.paths).flatMap(([path, methods]) =>
			Object.entries(methods)
				.filter(([, op]) => op.parameters.some((p) => p.in === "header" && p.name === "Idempotency-Key"))
				.map(([method]) => `${method.toUpperCase()} ${path}`),
		);
		expect(withKey.sort()).toEqual(
			[
				"POST /api/v1/claims",
				"POST /api/v1/claims/{id}/appearances",
				"POST /api/v1/claims/{id}/notes",
				"POST /api/v1/claims/{id}/verdicts",
				"POST /api/v1/webhooks",
			].sort(),
		);
	});

	it("real refusals answer statuses and bodies the document lists", async () => {
		const { token } = await tokenOf("checker", ["claims:write", "verdicts:write"]);
		const claim = await makeClaim();
		const unknown = newId();

		await holdsToDocument(
			"POST",
			"/api/v1/claims/{id}/notes",
			await apiCall("POST", `/api/v1/claims/${unknown}/notes`, { token, body: { text: "Hello." } }),
			404,
		);
		await holdsToDocument(
			"PUT",
			"/api/v1/verdicts/{id}",
			await apiCall("PUT", `/api/v1/verdicts/${unknown}`, { token, body: verdictBody({ version: 1 }) }),
			404,
		);
		await holdsToDocument(
			"POST",
			"/api/v1/claims",
			await call("/api/v1/claims", {
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/plain" },
				body: "a claim",
			}),
			415,
		);
		await holdsToDocument(
			"POST",
			"/api/v1/claims",
			await call("/api/v1/claims", {
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: "{",
			}),
			400,
		);
		await holdsToDocument(
			"POST",
			"/api/v1/claims/{id}/notes",
			await apiCall("POST", `/api/v1/claims/${claim.id}/notes`, {
				token,
				body: { text: "x".repeat(200_000) },
			}),
			413,
		);
		await holdsToDocument(
			"GET",
			"/api/v1/verdicts/{id}",
			await apiCall("GET", `/api/v1/verdicts/${unknown}`),
			401,
		);
		const { token: hooksOnly } = await tokenOf("admin", ["webhooks:manage"]);
		await holdsToDocument(
			"GET",
			"/api/v1/verdicts/{id}",
			await apiCall("GET", `/api/v1/verdicts/${unknown}`, { token: hooksOnly }),
			403,
		);
		await holdsToDocument("GET", "/api/v1/claims", await call("/api/v1/claims?assignee=me"), 401);
	});

	it("a merged claim's 301, a removed claim's 410 and a second removal's 410, titled alike", async () => {
		const { token } = await tokenOf("editor", ["claims:write"]);
		const version = async (id: string) =>
			(await json<{ version: number }>(await call(`/api/v1/claims/${id}`))).version;

		const kept = await makeClaim();
		const merged = await makeClaim();
		const merge = await apiCall("POST", `/api/v1/claims/${merged.id}/merge`, {
			token,
			body: { into: kept.id, version: await version(merged.id), note: "The same words." },
		});
		expect(merge.status, await merge.clone().text()).toBe(200);
		const redirect = await call(`/api/v1/claims/${merged.id}`, { redirect: "manual" });
		await holdsToDocument("GET", "/api/v1/claims/{id}", redirect, 301);
		expect(redirect.headers.get("location")).toContain(`/api/v1/claims/${kept.id}`);

		const removed = await makeClaim();
		const body = { version: await version(removed.id), reason: "Recorded by mistake." };
		const first = await apiCall("DELETE", `/api/v1/claims/${removed.id}`, { token, body });
		expect(first.status, await first.clone().text()).toBe(200);
		const gone = await holdsToDocument(
			"GET",
			"/api/v1/claims/{id}",
			await call(`/api/v1/claims/${removed.id}`),
			410,
		);
		expect(gone?.removedAt).toEqual(expect.any(String));
		const twice = await holdsToDocument(
			"DELETE",
			"/api/v1/claims/{id}",
			await apiCall("DELETE", `/api/v1/claims/${removed.id}`, { token, body }),
			410,
		);
		expect(twice?.title).toBe(gone?.title);
	});

	it("a merged speaker's 301 is documented, its Location the kept speaker's with ?lang kept", async () => {
		const { token } = await tokenOf("editor", ["claims:write"]);
		const duplicate = await makeClaim({ speaker: { name: `Speaker ${newId()}` } });
		const kept = await makeClaim({ speaker: { name: `Speaker ${newId()}` } });
		const merge = await apiCall("POST", `/api/v1/speakers/${duplicate.speaker?.slug}/merge`, {
			token,
			body: { into: kept.speaker?.slug },
		});
		expect(merge.status, await merge.clone().text()).toBe(200);
		const redirect = await call(`/api/v1/speakers/${duplicate.speaker?.slug}?lang=de`, {
			redirect: "manual",
		});
		await holdsToDocument("GET", "/api/v1/speakers/{slug}", redirect, 301);
		expect(redirect.headers.get("location")).toBe(`/api/v1/speakers/${kept.speaker?.slug}?lang=de`);
	});
});

describe("query parameters a route does not know", () => {
	it("are refused by single answers as by the lists; embeds ignore them; ?lang survives a merge's 301", async () => {
		const { token } = await tokenOf("editor", ["claims:write"]);
		const claim = await makeClaim({ speaker: { name: `Speaker ${newId()}` } });
		const source = claim.appearances[0]?.source.id ?? "";
		const routes: [string, string][] = [
			["/api/v1/claims", "/api/v1/claims?foo=1"],
			["/api/v1/claims/{id}", `/api/v1/claims/${claim.id}?foo=1`],
			["/api/v1/claims/{id}", `/api/v1/claims/${claim.id}?lang=de&utm_source=x`],
			["/api/v1/speakers/{slug}", `/api/v1/speakers/${claim.speaker?.slug}?foo=1`],
			["/api/v1/sources/{id}", `/api/v1/sources/${source}?foo=1`],
			["/api/v1/ratings", "/api/v1/ratings?foo=1"],
		];
		for (const [documentedPath, path] of routes) {
			const problem = await holdsToDocument("GET", documentedPath, await call(path), 422);
			const name = path.includes("utm_source") ? "utm_source" : "foo";
			expect(problem?.errors, path).toEqual([{ path: `query.${name}`, message: `Unknown field: ${name}.` }]);
		}
		// Each unknown parameter at its own path, as every other field's problem is.
		const two = await holdsToDocument("GET", "/api/v1/claims", await call("/api/v1/claims?foo=1&bar=2"), 422);
		expect(two?.errors).toEqual([
			{ path: "query.foo", message: "Unknown field: foo." },
			{ path: "query.bar", message: "Unknown field: bar." },
		]);
		expect(two?.detail).toBe("query.foo: Unknown field: foo.");
		expect((await call(`/api/v1/claims/${claim.id}?lang=de`)).status).toBe(200);
		for (const path of [`/embed/${claim.id}?foo=1`, `/badges/${claim.id}.svg?foo=1`]) {
			const response = await call(path);
			await response.body?.cancel();
			expect(response.status, path).toBe(200);
		}

		const kept = await makeClaim();
		const version = (await json<{ version: number }>(await call(`/api/v1/claims/${claim.id}`))).version;
		const merge = await apiCall("POST", `/api/v1/claims/${claim.id}/merge`, {
			token,
			body: { into: kept.id, version, note: "The same words." },
		});
		expect(merge.status, await merge.clone().text()).toBe(200);
		const redirect = await call(`/api/v1/claims/${claim.id}?lang=de`, { redirect: "manual" });
		expect(redirect.status).toBe(301);
		expect(redirect.headers.get("location")).toMatch(new RegExp(`/api/v1/claims/${kept.id}\\?lang=de$`));
	});

	it("are refused by the token API's reads too, as by the public ones and the delivery log", async () => {
		const { user } = await makeUser("admin");
		const { token } = await apiToken(user, [...ALL_WRITE, "webhooks:manage", "backup"]);
		const claim = await makeClaim();
		const draft = await draftOn(token, claim.id);
		const hook = await apiCall("POST", "/api/v1/webhooks", {
			token,
			body: { url: `https://hooks.example/${newId()}`, events: ["claim.created"] },
		});
		const hookId = (await json<{ id: string }>(hook)).id;
		const cases: [string, string, string][] = [
			// A filter the route does not have: every subscription came back, enabled or not.
			["/api/v1/webhooks", "/api/v1/webhooks?enabled=false", "enabled"],
			["/api/v1/webhooks/{id}", `/api/v1/webhooks/${hookId}?foo=1`, "foo"],
			["/api/v1/verdicts/{id}", `/api/v1/verdicts/${draft.id}?foo=1`, "foo"],
			["/api/v1/claims/{id}/notes", `/api/v1/claims/${claim.id}/notes?since=2025-01-01`, "since"],
			["/api/v1/backup", "/api/v1/backup?foo=1", "foo"],
			["/api/v1/backup/objects", "/api/v1/backup/objects?prefix=snapshots/", "prefix"],
			["/api/v1/backup/verify", "/api/v1/backup/verify?foo=1", "foo"],
			["/api/v1/backup/objects/{key}", "/api/v1/backup/objects/snapshots/x/raw?foo=1", "foo"],
			["/api/v1/backup/restore/{restore}", `/api/v1/backup/restore/${newId()}?foo=1`, "foo"],
		];
		for (const [documentedPath, path, name] of cases) {
			const problem = await holdsToDocument(
				"GET",
				documentedPath,
				await apiCall("GET", path, { token }),
				422,
			);
			expect(problem?.errors, path).toEqual([{ path: `query.${name}`, message: `Unknown field: ${name}.` }]);
		}
		// What they list still works.
		for (const path of [
			"/api/v1/webhooks",
			`/api/v1/verdicts/${draft.id}`,
			`/api/v1/claims/${claim.id}/notes`,
			"/api/v1/backup/objects?limit=1",
			`/api/v1/backup/restore/${newId()}`,
		]) {
			const response = await apiCall("GET", path, { token });
			expect(response.status, `${path} ${await response.clone().text()}`).toBe(200);
			await response.body?.cancel();
		}
	});
});

describe("the badge and oEmbed, which partners integrate", () => {
	it("are documented with their parameters, and each answer they give is listed with its media type", {
		timeout: 60_000,
	}, async () => {
		const names = (method: string, path: string) =>
			operation(method, path).parameters.map((p) => `${p.in} ${p.name}`);
		expect(names("GET", "/badges/{id}.svg")).toEqual(
			expect.arrayContaining(["path id", "query style", "query lang", "query label", "query v"]),
		);
		expect(names("GET", "/oembed")).toEqual(
			expect.arrayContaining(["query url", "query format", "query maxwidth", "query maxheight"]),
		);
		const url = operation("GET", "/oembed").parameters.find((p) => p.name === "url") as unknown as {
			required: boolean;
		};
		expect(url.required).toBe(true);

		const { token } = await tokenOf("editor", ["claims:write"]);
		const version = async (id: string) =>
			(await json<{ version: number }>(await call(`/api/v1/claims/${id}`))).version;
		const claim = await makeClaim();
		const kept = await makeClaim();
		const merged = await makeClaim();
		const merge = await apiCall("POST", `/api/v1/claims/${merged.id}/merge`, {
			token,
			body: { into: kept.id, version: await version(merged.id), note: "The same words." },
		});
		expect(merge.status, await merge.clone().text()).toBe(200);
		const removed = await makeClaim();
		const removal = await apiCall("DELETE", `/api/v1/claims/${removed.id}`, {
			token,
			body: { version: await version(removed.id), reason: "Recorded by mistake." },
		});
		expect(removal.status, await removal.clone().text()).toBe(200);

		const badge = "/badges/{id}.svg";
		await holdsToDocument(
			"GET",
			badge,
			await call(`/badges/${claim.id}.svg?style=for-the-badge&lang=de`),
			200,
		);
		await holdsToDocument("GET", badge, await call(`/badges/${newId()}.svg`), 404);
		await holdsToDocument("GET", badge, await call(`/badges/${removed.id}.svg`), 410);
		const moved = await call(`/badges/${merged.id}.svg?style=flat-square`, { redirect: "manual" });
		await holdsToDocument("GET", badge, moved, 301);
		expect(moved.headers.get("location")).toBe(`/badges/${kept.id}.svg?style=flat-square`);

		const page = (id: string) => encodeURIComponent(`http://claimtrack.test/claims/${id}`);
		const answer = await holdsToDocument("GET", "/oembed", await call(`/oembed?url=${page(claim.id)}`), 200);
		expect(answer).toMatchObject({ version: "1.0", type: "rich", width: 400, height: 240 });
		const redirect = await call(`/oembed?url=${page(merged.id)}`, { redirect: "manual" });
		await holdsToDocument("GET", "/oembed", redirect, 301);
		expect(redirect.headers.get("location")).toContain(`/oembed?url=${page(kept.id)}`);
		const gone = await holdsToDocument("GET", "/oembed", await call(`/oembed?url=${page(removed.id)}`), 410);
		expect(gone?.removedAt).toEqual(expect.any(String));
		for (const [status, address] of [
			[404, `/oembed?url=${encodeURIComponent("https://elsewhere.example/claims/x")}`],
			[404, `/oembed?url=${page(claim.id)}&maxwidth=200`],
			[422, "/oembed"],
			[422, `/oembed?url=${page(claim.id)}&maxheight=1e3`],
			[501, `/oembed?url=${page(claim.id)}&format=xml`],
		] as const)
			await holdsToDocument("GET", "/oembed", await call(address), status);
		// A badge's variants fall back rather than refuse: it never answers 422.
		expect(Object.keys(operation("GET", badge).responses)).not.toContain("422");
	});
});

describe("answers that are not JSON", () => {
	it("the exports document the media type they answer in (NDJSON, JSON-LD)", async () => {
		for (const path of ["/api/v1/export.ndjson", "/api/v1/export/claimreview.json"]) {
			const response = await call(path);
			await response.body?.cancel();
			expect(response.status, path).toBe(200);
			const type = response.headers.get("content-type")?.split(";")[0] ?? "";
			expect(type, path).toMatch(/^application\/(x-ndjson|ld\+json)$/);
			expect(Object.keys(operation("GET", path).responses["200"]?.content ?? {}), path).toEqual([type]);
		}
	});
});

describe("Idempotency-Key on every create", () => {
	it("a repeated subscription is one subscription; the repeat does not show the secret again", async () => {
		const { token } = await tokenOf("admin", ["webhooks:manage"]);
		const idem = key();
		const body = { url: `https://hooks.example/ok/${newId()}`, events: ["claim.created"] };
		const first = await apiCall("POST", "/api/v1/webhooks", {
			token,
			body,
			headers: { "Idempotency-Key": idem },
		});
		const created = await holdsToDocument("POST", "/api/v1/webhooks", first, 201);
		expect(created?.secret).toMatch(/^whsec_/);
		const repeat = await apiCall("POST", "/api/v1/webhooks", {
			token,
			body,
			headers: { "Idempotency-Key": idem },
		});
		expect(repeat.headers.get("idempotent-replayed")).toBe("true");
		expect(repeat.headers.get("location")).toBe(first.headers.get("location"));
		const replayed = await holdsToDocument("POST", "/api/v1/webhooks", repeat, 201);
		expect(replayed).toMatchObject({ id: created?.id, secret: null });
		const rows = await env.DB.prepare("SELECT count(*) AS n FROM webhooks WHERE url = ?")
			.bind(body.url)
			.first<{ n: number }>();
		expect(rows?.n).toBe(1);
		// The secret is nowhere in the idempotency table.
		const stored = await env.DB.prepare("SELECT count(*) AS n FROM idempotency_keys WHERE instr(body, ?) > 0")
			.bind(String(created?.secret))
			.first<{ n: number }>();
		expect(stored?.n).toBe(0);
	});

	it("a repeated note is one note", async () => {
		const { token } = await tokenOf("checker", ["claims:write"]);
		const claim = await makeClaim();
		const idem = key();
		const send = () =>
			apiCall("POST", `/api/v1/claims/${claim.id}/notes`, {
				token,
				body: { text: "Call the press office." },
				headers: { "Idempotency-Key": idem },
			});
		const first = await json<{ id: string }>(await send());
		const repeat = await send();
		expect(repeat.status).toBe(201);
		expect(repeat.headers.get("idempotent-replayed")).toBe("true");
		expect((await json<{ id: string }>(repeat)).id).toBe(first.id);
		const notes = await json<{ data: unknown[] }>(
			await apiCall("GET", `/api/v1/claims/${claim.id}/notes`, { token }),
		);
		expect(notes.data).toHaveLength(1);
	});

	it("refuses a malformed key on every create, as on POST /claims", async () => {
		const { token: admin } = await tokenOf("admin", ["webhooks:manage", "claims:write"]);
		const claim = await makeClaim();
		const bad = { "Idempotency-Key": "short!" };
		const answers = [
			await apiCall("POST", "/api/v1/claims", { token: admin, body: claimBody(), headers: bad }),
			await apiCall("POST", `/api/v1/claims/${claim.id}/notes`, {
				token: admin,
				body: { text: "x" },
				headers: bad,
			}),
			await apiCall("POST", "/api/v1/webhooks", {
				token: admin,
				body: { url: `https://hooks.example/ok/${newId()}`, events: ["claim.created"] },
				headers: bad,
			}),
		];
		for (const answer of answers) {
			expect(answer.status).toBe(422);
			expect((await json<{ errors: { path: string }[] }>(answer)).errors[0]?.path).toBe("Idempotency-Key");
		}
	});

	it("stands for the request as validated: keys in another order, or a field it ignores, are the same request", async () => {
		const { token } = await tokenOf("checker", ["claims:write"]);
		const idem = key();
		const body = claimBody();
		const first = await apiCall("POST", "/api/v1/claims", {
			token,
			body,
			headers: { "Idempotency-Key": idem },
		});
		expect(first.status).toBe(201);
		const { speaker, source, ...rest } = body;
		const reordered = {
			source: Object.fromEntries(Object.entries(source).reverse()),
			speaker: Object.fromEntries(Object.entries(speaker).reverse()),
			...Object.fromEntries(Object.entries(rest).reverse()),
			comment: "a field the schema does not know",
		};
		const repeat = await apiCall("POST", "/api/v1/claims", {
			token,
			body: reordered,
			headers: { "Idempotency-Key": idem },
		});
		expect(repeat.status, await repeat.clone().text()).toBe(201);
		expect(repeat.headers.get("idempotent-replayed")).toBe("true");
		expect(repeat.headers.get("location")).toBe(first.headers.get("location"));
		// Another request with the key is still refused.
		const other = await apiCall("POST", "/api/v1/claims", {
			token,
			body: { ...body, text: `${body.text} Und mehr.` },
			headers: { "Idempotency-Key": idem },
		});
		expect(other.status).toBe(422);
		expect((await json<{ type: string }>(other)).type).toBe("urn:claimtrack:problem:idempotency-key-reused");
	});
});

describe("a verdict in another state is one code, never a version conflict", () => {
	it("save, publish, submit and return on a published verdict: not-a-draft; retract on a retracted one: not-published", async () => {
		const editor = await tokenOf("editor", [...ALL_WRITE]);
		const { published } = await publishedVerdict(editor.token);
		const expectState = async (response: Response, type: string, state: string) => {
			const text = await response.text();
			expect(response.status, text).toBe(409);
			expect(JSON.parse(text)).toMatchObject({ type: `urn:claimtrack:problem:${type}`, current: { state } });
		};
		// At the version the client read before publishing, and at the published one: the same answer.
		for (const version of [published.version - 1, published.version]) {
			await expectState(
				await apiCall("PUT", `/api/v1/verdicts/${published.id}`, {
					token: editor.token,
					body: verdictBody({ version }),
				}),
				"not-a-draft",
				"published",
			);
			await expectState(
				await apiCall("POST", `/api/v1/verdicts/${published.id}/publish`, {
					token: editor.token,
					body: { version },
				}),
				"not-a-draft",
				"published",
			);
			await expectState(
				await apiCall("POST", `/api/v1/verdicts/${published.id}/submit`, {
					token: editor.token,
					body: { version },
				}),
				"not-a-draft",
				"published",
			);
			await expectState(
				await apiCall("POST", `/api/v1/verdicts/${published.id}/return`, {
					token: editor.token,
					body: { version, note: "Look again." },
				}),
				"not-a-draft",
				"published",
			);
		}
		const retracted = await apiCall("POST", `/api/v1/verdicts/${published.id}/retract`, {
			token: editor.token,
			body: { version: published.version, note: "The source was withdrawn." },
		});
		expect(retracted.status, await retracted.clone().text()).toBe(200);
		const now = await json<{ version: number }>(retracted);
		await expectState(
			await apiCall("POST", `/api/v1/verdicts/${published.id}/retract`, {
				token: editor.token,
				body: { version: now.version, note: "Again." },
			}),
			"not-published",
			"retracted",
		);
		// The right state at another version is still the conflict a re-read resolves.
		const claim = await makeClaim();
		const draft = await draftOn(editor.token, claim.id);
		await expectState(
			await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
				token: editor.token,
				body: { version: draft.version + 1 },
			}),
			"version-conflict",
			"draft",
		);
	});

	it("a correction of a verdict that never was is refused in words that are true", async () => {
		const editor = await tokenOf("editor", [...ALL_WRITE]);
		const claim = await makeClaim();
		const draft = await draftOn(editor.token, claim.id);
		const refused = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token: editor.token,
			body: { version: draft.version, supersedes: newId() },
		});
		expect(refused.status).toBe(409);
		const problem = await json<{ type: string; detail: string }>(refused);
		expect(problem.type).toBe("urn:claimtrack:problem:current-verdict-changed");
		expect(problem.detail).not.toContain("was retracted meanwhile");
		expect(problem.detail).toContain("is not in force");
	});
});

describe("impossible input is named", () => {
	it("a date that does not exist is a 422 naming the parameter", async () => {
		for (const parameter of ["since", "until", "reviewedSince", "reviewedUntil"]) {
			const response = await call(`/api/v1/claims?${parameter}=2025-02-30`);
			expect(response.status).toBe(422);
			expect((await json<{ errors: { path: string; message: string }[] }>(response)).errors).toEqual([
				{ path: `query.${parameter}`, message: "This date does not exist." },
			]);
		}
		expect((await call("/api/v1/claims?since=2024-02-29")).status).toBe(200);
	});

	it("a date that is not written as one is one problem, never also one that does not exist", async () => {
		for (const value of ["", "2025-7-1", "tomorrow"]) {
			const response = await call(`/api/v1/claims?since=${value}`);
			expect(response.status, value).toBe(422);
			expect((await json<{ errors: unknown[] }>(response)).errors, value).toEqual([
				{ path: "query.since", message: "Use a date like 2025-07-12." },
			]);
		}
	});

	it("a limit is read from decimal digits only, as the document's integer says", async () => {
		// Number() read "1e1" as 10, " 0x10" as 16 and "" as 0.
		for (const path of [
			"/api/v1/claims?limit=1e1",
			"/api/v1/claims?limit=%200x10",
			"/api/v1/claims?limit=",
			"/api/v1/speakers?limit=1e1",
			"/api/v1/sources?limit=0x10",
			"/api/v1/claims/matches?text=Der%20Hafen%20ist%20zu&language=de&limit=1e1",
		]) {
			const response = await call(path);
			expect(response.status, path).toBe(422);
			expect((await json<{ errors: unknown[] }>(response)).errors, path).toEqual([
				{ path: "query.limit", message: "Write a whole number in digits, such as 20." },
			]);
		}
		const { token } = await tokenOf("admin", ["backup"]);
		const backup = await apiCall("GET", "/api/v1/backup?limit=1e1", { token });
		expect(backup.status).toBe(422);
		expect((await json<{ errors: unknown[] }>(backup)).errors).toEqual([
			{ path: "query.limit", message: "Write a whole number in digits, such as 20." },
		]);
		expect((await call("/api/v1/claims?limit=10")).status).toBe(200);
		const limit = operation("GET", "/api/v1/claims").parameters.find(
			(p) => p.name === "limit",
		) as unknown as {
			required: boolean;
			schema: Record<string, unknown>;
		};
		expect(limit.required).toBe(false);
		expect(limit.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 100, default: 20 });
	});

	it("a fraction where a whole number belongs says so, in Google's shape on Google's surface", async () => {
		const response = await call("/v1alpha1/claims:search?query=harbour&maxAgeDays=1.5");
		expect(response.status).toBe(400);
		const body = await json<{ error: { code: number; message: string; status: string } }>(response);
		expect(body.error).toMatchObject({
			code: 400,
			status: "INVALID_ARGUMENT",
			message: "maxAgeDays: Give a whole number here.",
		});
		const limit = await call("/api/v1/claims?limit=2.5");
		expect((await json<{ errors: { message: string }[] }>(limit)).errors[0]?.message).toBe(
			"Give a whole number here.",
		);
	});

	it("a bound without words of its own is said as the written ones are, never in zod's phrasing", async () => {
		const google = async (query: string) =>
			(await json<{ error: { message: string } }>(await call(`/v1alpha1/claims:search?query=hafen&${query}`)))
				.error.message;
		expect(await google("offset=-1")).toBe("offset: Give a number of at least 0.");
		expect(await google("offset=99999")).toBe("offset: Give a number of at most 10,000.");
		expect(await google("maxAgeDays=0")).toBe("maxAgeDays: Give a number of at least 1.");
		expect(await google(`pageToken=${"x".repeat(201)}`)).toBe("pageToken: Use at most 200 characters.");
		const limit = await call("/api/v1/claims?limit=0");
		expect(limit.status).toBe(422);
		expect((await json<{ errors: { message: string }[] }>(limit)).errors[0]?.message).toBe(
			"Give a number of at least 1.",
		);
		// A number past what fits is the schema's own "at most", not zod's safe-integer limit.
		const huge = await call("/api/v1/claims?limit=99999999999999999999");
		expect((await json<{ errors: { message: string }[] }>(huge)).errors[0]?.message).toBe(
			"At most 100 per page.",
		);
		// An enum without words of its own names its options.
		const lang = await call("/api/v1/claims?lang=xx");
		expect((await json<{ errors: { path: string; message: string }[] }>(lang)).errors).toEqual([
			{ path: "query.lang", message: "Use one of: en, de." },
		]);
	});

	it("a PATCH refuses a field it does not know, naming it; its answer's own fields are ignored", async () => {
		const { token } = await tokenOf("admin", [...ALL_WRITE, "webhooks:manage"]);
		const claim = await makeClaim({ speaker: { name: `Speaker ${newId()}` } });
		const topic = `topic-${newId()}`;
		const hook = await apiCall("POST", "/api/v1/webhooks", {
			token,
			body: { url: `https://hooks.example/ok/${newId()}`, events: ["claim.created"] },
		});
		const hookId = (await json<{ id: string }>(hook)).id;
		const hookJson = await json<Record<string, unknown> & { id: string; version: number }>(
			await apiCall("GET", `/api/v1/webhooks/${hookId}`, { token }),
		);
		const tagged = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: claim.version, tags: [topic] },
		});
		expect(tagged.status, await tagged.clone().text()).toBe(200);
		const read = await json<{ version: number; text: string }>(await call(`/api/v1/claims/${claim.id}`));
		const slug = claim.speaker?.slug ?? "";
		const speaker = await json<Record<string, unknown> & { version: number }>(
			await call(`/api/v1/speakers/${slug}`),
		);
		const refused = [
			{ path: `/api/v1/claims/${claim.id}`, body: { version: read.version, txt: "Misspelt" } },
			// Beside a known field too: the misspelt one must not pass unseen.
			{
				path: `/api/v1/claims/${claim.id}`,
				body: { version: read.version, context: "Ctx", txt: "Misspelt" },
			},
			{ path: `/api/v1/speakers/${slug}`, body: { version: speaker.version, txt: "Misspelt" } },
			{ path: `/api/v1/webhooks/${hookJson.id}`, body: { version: hookJson.version, txt: "Misspelt" } },
			{ path: `/api/v1/tags/${topic}`, body: { nameEn: "Renamed", txt: "Misspelt" } },
		];
		for (const { path, body } of refused) {
			const response = await apiCall("PATCH", path, { token, body });
			expect(response.status, path).toBe(422);
			expect((await json<{ detail: string }>(response)).detail, path).toContain("txt");
		}
		expect(
			(await json<{ version: number; context: string | null }>(await call(`/api/v1/claims/${claim.id}`)))
				.context,
		).toBeNull();
		// What was read, sent back changed: the answer's fields that cannot change are ignored.
		const { name: _name, ...speakerRest } = speaker;
		const renamed = await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
			token,
			body: { ...speakerRest, description: "Sent back" },
		});
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		const hookBack = await apiCall("PATCH", `/api/v1/webhooks/${hookJson.id}`, {
			token,
			body: { ...hookJson, description: "Sent back" },
		});
		expect(hookBack.status, await hookBack.clone().text()).toBe(200);
		// Creates stay lenient.
		const createdWithExtra = await apiCall("POST", "/api/v1/claims", {
			token,
			body: claimBody({ txt: "x" }),
		});
		expect(createdWithExtra.status, await createdWithExtra.clone().text()).toBe(201);
	});

	it("an action's body refuses a field it does not know, at its name, so a misspelt guard is no write past it; the document says each is closed", async () => {
		const { token } = await tokenOf("editor", [...ALL_WRITE]);
		// A claim changed since its draft was read: `claimVersion` is a 409, `claimversion` was a 200.
		const claim = await makeClaim();
		const draft = await draftOn(token, claim.id);
		const read = await json<{ version: number }>(await call(`/api/v1/claims/${claim.id}`));
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: read.version, context: `Changed ${newId()}` },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		const guarded = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token,
			body: { version: draft.version, claimVersion: read.version },
		});
		expect(guarded.status, await guarded.clone().text()).toBe(409);
		const misspelt = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token,
			body: { version: draft.version, claimversion: read.version },
		});
		const problem = await holdsToDocument("POST", "/api/v1/verdicts/{id}/publish", misspelt, 422);
		expect(problem?.errors).toEqual([{ path: "claimversion", message: "Unknown field: claimversion." }]);
		const still = await apiCall("GET", `/api/v1/verdicts/${draft.id}`, { token });
		expect((await json<{ state: string }>(still)).state).toBe("draft");
		// A correction naming what it supersedes by another name is refused, not published over it.
		const { claim: corrected } = await publishedVerdict(token);
		const correction = await draftOn(token, corrected.id);
		const unnamed = await apiCall("POST", `/api/v1/verdicts/${correction.id}/publish`, {
			token,
			body: { version: correction.version, correctionNote: "Fixed.", supersedesId: null },
		});
		expect(unnamed.status, await unnamed.clone().text()).toBe(422);
		expect((await json<{ errors: unknown[] }>(unnamed)).errors).toEqual([
			{ path: "supersedesId", message: "Unknown field: supersedesId." },
		]);
		const kept = await makeClaim();
		const duplicate = await makeClaim();
		const merge = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
			token,
			body: { into: kept.id, version: duplicate.version, intoversion: kept.version, note: "Same." },
		});
		expect(merge.status, await merge.clone().text()).toBe(422);
		expect((await json<{ errors: unknown[] }>(merge)).errors).toEqual([
			{ path: "intoversion", message: "Unknown field: intoversion." },
		]);
		// Every action body of the token API is closed in the document, as a PATCH body is.
		const actions: [string, string][] = [
			["POST", "/api/v1/verdicts/{id}/publish"],
			["POST", "/api/v1/verdicts/{id}/retract"],
			["POST", "/api/v1/verdicts/{id}/submit"],
			["POST", "/api/v1/verdicts/{id}/return"],
			["DELETE", "/api/v1/verdicts/{id}"],
			["POST", "/api/v1/claims/{id}/assignee"],
			["POST", "/api/v1/claims/{id}/merge"],
			["DELETE", "/api/v1/claims/{id}"],
			["DELETE", "/api/v1/claims/{id}/appearances/{appearanceId}"],
			["POST", "/api/v1/claims/{id}/evidence/archive"],
			["POST", "/api/v1/speakers/{slug}/merge"],
			["POST", "/api/v1/extract"],
			["POST", "/api/v1/backup/restore"],
			["POST", "/api/v1/matching/backfill"],
			["PATCH", "/api/v1/claims/{id}"],
		];
		for (const [method, path] of actions) {
			const body = (
				operation(method, path) as { requestBody?: { content: Record<string, { schema: Schema }> } }
			).requestBody?.content["application/json"]?.schema as Record<string, unknown> | undefined;
			expect(body?.additionalProperties, `${method} ${path}`).toBe(false);
		}
	});

	it("a draft's save refuses a field it does not know, at its name, so a misspelt field clears nothing; the draft as read goes back as it is", async () => {
		const { token } = await tokenOf("editor", [...ALL_WRITE]);
		const claim = await makeClaim();
		const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token,
			body: verdictBody({ summary: "The summary." }),
		});
		expect(created.status, await created.clone().text()).toBe(201);
		const draft = await json<Record<string, unknown> & { id: string; version: number }>(created);
		const misspelt = await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
			token,
			body: { ...verdictBody(), version: draft.version, sumary: "Edited summary." },
		});
		const problem = await holdsToDocument("PUT", "/api/v1/verdicts/{id}", misspelt, 422);
		expect(problem?.errors).toEqual([{ path: "sumary", message: "Unknown field: sumary." }]);
		const kept = await json<{ summary: string | null; version: number }>(
			await apiCall("GET", `/api/v1/verdicts/${draft.id}`, { token }),
		);
		expect(kept).toMatchObject({ summary: "The summary.", version: draft.version });
		// What a client read (ids, dates, state, the claim's address) is sent back changed: saved.
		const read = await json<Record<string, unknown>>(
			await apiCall("GET", `/api/v1/verdicts/${draft.id}`, { token }),
		);
		const saved = await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
			token,
			body: { ...read, headline: "Edited headline." },
		});
		expect(saved.status, await saved.clone().text()).toBe(200);
		expect(await json(saved)).toMatchObject({ headline: "Edited headline.", summary: "The summary." });
		const body = (
			operation("PUT", "/api/v1/verdicts/{id}") as {
				requestBody?: { content: Record<string, { schema: Schema }> };
			}
		).requestBody?.content["application/json"]?.schema as Record<string, unknown> | undefined;
		expect(body?.additionalProperties).toBe(false);
		expect(String(body?.description)).not.toMatch(/only the fields sent change/i);
	});

	it("a bound passed is phrased like every other field's, never in zod's words", async () => {
		const { token } = await tokenOf("admin", [...ALL_WRITE, "webhooks:manage"]);
		const claim = await makeClaim();
		const long = (n: number) => "a".repeat(n);
		const cases: { method: string; path: string; body?: unknown; field: string; message: string }[] = [
			{
				method: "POST",
				path: `/api/v1/claims/${claim.id}/verdicts`,
				body: verdictBody({
					evidence: Array.from({ length: 51 }, (_, i) => ({ url: `https://e.example/${i}`, title: "T" })),
				}),
				field: "evidence",
				message: "At most 50 evidence links.",
			},
			{
				method: "POST",
				path: "/api/v1/claims",
				body: claimBody({ externalId: long(201) }),
				field: "externalId",
				message: "Use at most 200 characters.",
			},
			{
				method: "POST",
				path: "/api/v1/claims",
				body: claimBody({ externalId: " " }),
				field: "externalId",
				message: "The external id is empty: leave it out instead.",
			},
			{
				method: "POST",
				path: "/api/v1/claims",
				body: claimBody({ anchor: `#:~:text=${long(4100)}` }),
				field: "anchor",
				message: "Use at most 4,096 characters.",
			},
			{
				method: "POST",
				path: "/api/v1/claims",
				body: claimBody({ language: "en-aaaaaaaa-aaaaaaaa-aaaaaaaa-aaaaaaaa" }),
				field: "language",
				message: "Use at most 35 characters.",
			},
			{
				method: "POST",
				path: `/api/v1/claims/${claim.id}/assignee`,
				body: { email: `${long(250)}@desk.test` },
				field: "email",
				message: "Use at most 254 characters.",
			},
			{
				method: "PATCH",
				path: "/api/v1/tags/no-such-topic",
				body: { nameEn: "X", was: { nameEn: long(201) } },
				field: "was.nameEn",
				message: "Use at most 200 characters.",
			},
			{
				method: "POST",
				path: "/api/v1/webhooks",
				body: { url: `https://hooks.example/${long(2048)}`, events: ["claim.created"] },
				field: "url",
				message: "The address is longer than 2,048 characters.",
			},
			{
				method: "GET",
				path: `/api/v1/claims?cursor=${long(201)}`,
				field: "query.cursor",
				message: "Use at most 200 characters.",
			},
		];
		for (const { method, path, body, field, message } of cases) {
			const response = await apiCall(method, path, { token, ...(body === undefined ? {} : { body }) });
			const problem = await json<{ errors?: { path: string; message: string }[] }>(response);
			expect(response.status, `${method} ${path}`).toBe(422);
			expect(problem.errors, `${method} ${path}`).toContainEqual({ path: field, message });
			for (const error of problem.errors ?? [])
				expect(error.message, `${method} ${path} ${error.path}`).not.toMatch(/^Too (big|small)|expected/);
		}
	});
});
