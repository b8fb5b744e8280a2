import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { newMessageId } from "../../src/domain/standard-webhooks";
import { SYSTEM } from "../../src/store/batch";
import { removeClaim } from "../../src/store/claim-removals";
import { revokeApiToken } from "../../src/store/tokens";
import { setUserDisabled } from "../../src/store/users";
import { insertDeliveries } from "../../src/store/webhooks";
import { makeClaim } from "../factories";
import { call, fetchWith, json, racingD1, testDb } from "../helpers";
import { account, apiCall, apiToken, deskPost, makeUser, snapshot } from "./helpers";

interface Problem {
	type: string;
	status: number;
	title: string;
	detail: string;
	errors?: { path: string; message: string }[];
	[key: string]: unknown;
}

const claimBody = (overrides: Record<string, unknown> = {}) => ({
	text: `Diese Einschätzung ${newId()} wurde konkret im Bereich Kursk bewiesen.`,
	language: "de",
	claimedAt: "2025-07-12",
	speaker: { name: `Choe Son-hui ${newId()}`, kind: "person" },
	source: {
		url: `https://news.example/${newId()}?utm_campaign=x`,
		title: "Lawrow in Wŏnsan",
		language: "de",
	},
	...overrides,
});

/**
 * The real D1, with `race` run once just before the first statement matching `sql` runs,
 * whether alone or in a batch (racingD1 races batches only): another writer's change between
 * a request's check of its token and its first write.
 */
function racingAnyD1(sql: RegExp, race: () => Promise<unknown>): D1Database {
	const marked = new WeakSet<object>();
	let raced = false;
	const once = async () => {
		if (raced) return;
		raced = true;
		await race();
	};
	// A batch takes workerd's own statements: each proxy maps back to the one it wraps.
	const originals = new WeakMap<object, D1PreparedStatement>();
	const statement = (real: D1PreparedStatement): D1PreparedStatement => {
		const proxy = new Proxy(real, {
			get(target, property) {
				if (property === "bind") return (...values: unknown[]) => statement(target.bind(...values));
				const value = Reflect.get(target, property, target);
				if (typeof value !== "function") return value;
				if (["first", "all", "run", "raw"].includes(String(property)))
					return async (...args: unknown[]) => {
						await once();
						return value.apply(target, args);
					};
				return value.bind(target);
			},
		});
		originals.set(proxy, real);
		marked.add(proxy);
		return proxy;
	};
	const database = <T extends D1Database | D1DatabaseSession>(real: T): T =>
		new Proxy(real, {
			get(target, property) {
				if (property === "prepare")
					return (query: string) => {
						const prepared = target.prepare(query);
						return sql.test(query) ? statement(prepared) : prepared;
					};
				if (property === "batch")
					return async (statements: D1PreparedStatement[]) => {
						if (statements.some((s) => marked.has(s))) await once();
						return target.batch(statements.map((s) => originals.get(s) ?? s));
					};
				if (property === "withSession")
					return (...args: unknown[]) => database((target as D1Database).withSession(...(args as [])));
				const value = Reflect.get(target, property, target);
				return typeof value === "function" ? value.bind(target) : value;
			},
		});
	return database(env.DB);
}

const verdictBody = (overrides: Record<string, unknown> = {}) => ({
	rating: "false",
	headline: "Not so",
	evidence: [{ url: "https://evidence.example/report", title: "Report" }],
	language: "en",
	...overrides,
});

async function tokenFor(
	role: "checker" | "editor" | "admin",
	scopes = ["claims:write", "verdicts:write", "verdicts:publish"] as const,
) {
	const { user } = await makeUser(role);
	const allowed = role === "checker" ? scopes.filter((s) => s !== "verdicts:publish") : [...scopes];
	return { user, ...(await apiToken(user, allowed)) };
}

describe("JSON write API", () => {
	it("records a claim: 201, Location, the claim JSON, audited with the token's owner", async () => {
		const { user, token, row } = await tokenFor("checker");
		const body = claimBody();
		const response = await apiCall("POST", "/api/v1/claims", { token, body });
		expect(response.status).toBe(201);
		const claim = await json<{ id: string; text: string; status: string }>(response);
		expect(response.headers.get("location")).toBe(`http://claimtrack.test/api/v1/claims/${claim.id}`);
		expect(claim).toMatchObject({ text: body.text, status: "unverified" });
		expect(response.headers.get("access-control-allow-origin")).toBeNull();
		const audit = await env.DB.prepare(
			"SELECT actor_id, actor_label FROM audit_log WHERE entity = 'claim' AND entity_id = ?",
		)
			.bind(claim.id)
			.first<{ actor_id: string; actor_label: string }>();
		expect(audit).toEqual({ actor_id: user.id, actor_label: `token:${row.name}` });
		const tokenRow = await env.DB.prepare("SELECT last_used_at FROM api_tokens WHERE id = ?")
			.bind(row.id)
			.first();
		expect(tokenRow?.last_used_at).not.toBeNull();
	});

	it("drafts, edits at a version, publishes and retracts through the API", async () => {
		const checker = await tokenFor("checker");
		const editor = await tokenFor("editor");
		const claim = await makeClaim();
		const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: checker.token,
			body: verdictBody(),
		});
		expect(created.status).toBe(201);
		const draft = await json<{ id: string; version: number; state: string }>(created);
		expect(created.headers.get("location")).toBe(`http://claimtrack.test/api/v1/verdicts/${draft.id}`);
		expect(draft.state).toBe("draft");
		const read = await apiCall("GET", `/api/v1/verdicts/${draft.id}`, { token: checker.token });
		expect(read.status).toBe(200);

		const edited = await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
			token: checker.token,
			body: verdictBody({ headline: "Edited", version: draft.version }),
		});
		expect(edited.status).toBe(200);
		const v2 = await json<{ version: number; headline: string }>(edited);
		expect(v2).toMatchObject({ headline: "Edited", version: draft.version + 1 });

		const stale = await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
			token: checker.token,
			body: verdictBody({ headline: "Stale", version: draft.version }),
		});
		expect(stale.status).toBe(409);
		expect(stale.headers.get("content-type")).toContain("application/problem+json");
		expect(await json<Problem>(stale)).toMatchObject({
			type: "urn:claimtrack:problem:version-conflict",
			current: { version: draft.version + 1 },
		});

		const byChecker = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token: checker.token,
			body: { version: v2.version },
		});
		expect(byChecker.status).toBe(403);

		const published = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token: editor.token,
			body: { version: v2.version },
		});
		expect(published.status).toBe(200);
		const p = await json<{ state: string; version: number; editorId: string }>(published);
		expect(p).toMatchObject({ state: "published", editorId: editor.user.id });
		expect((await json<{ status: string }>(await call(`/api/v1/claims/${claim.id}`))).status).toBe("false");

		const retracted = await apiCall("POST", `/api/v1/verdicts/${draft.id}/retract`, {
			token: editor.token,
			body: { version: p.version, note: "Misattributed quote." },
		});
		expect(retracted.status).toBe(200);
		expect((await json<{ status: string }>(await call(`/api/v1/claims/${claim.id}`))).status).toBe(
			"retracted",
		);
	});

	it("needs a correction note to publish over a published verdict", async () => {
		const editor = await tokenFor("editor");
		const claim = await makeClaim();
		const first = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: editor.token,
				body: verdictBody(),
			}),
		);
		await apiCall("POST", `/api/v1/verdicts/${first.id}/publish`, {
			token: editor.token,
			body: { version: first.version },
		});
		const second = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: editor.token,
				body: verdictBody({ rating: "mostly-false" }),
			}),
		);
		const before = await snapshot();
		const noNote = await apiCall("POST", `/api/v1/verdicts/${second.id}/publish`, {
			token: editor.token,
			body: { version: second.version },
		});
		expect(noNote.status).toBe(422);
		expect((await json<Problem>(noNote)).errors?.[0]?.path).toBe("correctionNote");
		expect(await snapshot()).toEqual(before);
		const ok = await apiCall("POST", `/api/v1/verdicts/${second.id}/publish`, {
			token: editor.token,
			body: { version: second.version, correctionNote: "Rating adjusted after new evidence." },
		});
		expect(ok.status).toBe(200);
		const history = (
			await json<{ history: { id: string; state: string }[] }>(await call(`/api/v1/claims/${claim.id}`))
		).history;
		// History is in publication order (version 1 first).
		expect(history.map((v) => v.state)).toEqual(["superseded", "published"]);
	});

	it("a verdict sent without a language is in its claim's, and a save without one keeps the draft's", async () => {
		const editor = await tokenFor("editor");
		const claim = await makeClaim({ language: "en" });
		const { language: _none, ...body } = verdictBody();
		const drafted = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: editor.token,
			body,
		});
		expect(drafted.status).toBe(201);
		const draft = await json<{ id: string; version: number; language: string }>(drafted);
		expect(draft.language).toBe("en");
		const saved = await json<{ version: number; language: string }>(
			await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
				token: editor.token,
				body: { ...body, version: draft.version, headline: "Still English" },
			}),
		);
		expect(saved.language).toBe("en");
		await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token: editor.token,
			body: { version: saved.version },
		});
		// Google's clients read it as English: the rating's words and the language filter.
		const google = await json<{
			claims?: { claimReview: { textualRating: string; languageCode: string }[] }[];
		}>(await call(`/v1alpha1/claims:search?query=${encodeURIComponent(claim.text)}&languageCode=en`));
		expect(google.claims?.[0]?.claimReview[0]).toMatchObject({ languageCode: "en", textualRating: "False" });
	});

	it("answers a duplicate claim with 409 naming the claim, and adds an appearance instead", async () => {
		const { token } = await tokenFor("checker");
		const body = claimBody();
		const first = await json<{ id: string }>(await apiCall("POST", "/api/v1/claims", { token, body }));
		const other = { url: `https://other.example/${newId()}`, title: "Other article" };
		const duplicate = await apiCall("POST", "/api/v1/claims", { token, body: { ...body, source: other } });
		expect(duplicate.status).toBe(409);
		const problem = await json<Problem>(duplicate);
		expect(problem).toMatchObject({
			type: "urn:claimtrack:problem:duplicate-claim",
			claimId: first.id,
			sameSource: false,
		});
		const added = await apiCall("POST", `/api/v1/claims/${first.id}/appearances`, {
			token,
			body: { source: other },
		});
		expect(added.status).toBe(201);
		expect(added.headers.get("location")).toBe(`http://claimtrack.test/api/v1/claims/${first.id}`);
		const again = await apiCall("POST", `/api/v1/claims/${first.id}/appearances`, {
			token,
			body: { source: other },
		});
		expect(again.status).toBe(409);
	});

	it("replays a repeated request with the same Idempotency-Key instead of writing twice", async () => {
		const { token } = await tokenFor("checker");
		const body = claimBody();
		const key = newToken(18);
		const before = await snapshot();
		const [a, b] = await Promise.all([
			apiCall("POST", "/api/v1/claims", { token, body, headers: { "Idempotency-Key": key } }),
			apiCall("POST", "/api/v1/claims", { token, body, headers: { "Idempotency-Key": key } }),
		]);
		expect([a.status, b.status]).toEqual([201, 201]);
		expect(a.headers.get("location")).toBe(b.headers.get("location"));
		expect([a.headers.get("idempotent-replayed"), b.headers.get("idempotent-replayed")].sort()).toEqual([
			null,
			"true",
		]);
		expect((await snapshot()).claims - before.claims).toBe(1);
		const other = await apiCall("POST", "/api/v1/claims", {
			token,
			body: claimBody(),
			headers: { "Idempotency-Key": key },
		});
		// The same key with another body is a 422 naming the key, never the first answer.
		expect(other.status).toBe(422);
		expect((await json<{ errors: { path: string }[] }>(other)).errors[0]?.path).toBe("Idempotency-Key");
		expect((await snapshot()).claims - before.claims).toBe(1);
		const misused = await apiCall("POST", `/api/v1/claims/${newId()}/verdicts`, {
			token,
			body: verdictBody(),
			headers: { "Idempotency-Key": key },
		});
		expect(misused.status).toBe(422);
	});
});

describe("bad input on the JSON API", () => {
	const cases: [string, () => unknown, string, string][] = [
		["an empty quote", () => claimBody({ text: "" }), "text", "The quote is empty."],
		[
			"a 20,000-character quote",
			() => claimBody({ text: "x".repeat(20_000) }),
			"text",
			"The quote is longer than 10,000 characters.",
		],
		[
			"a javascript: URL",
			() => claimBody({ source: { url: "javascript:alert(1)" } }),
			"source.url",
			"Use a full http:// or https:// address.",
		],
		[
			"a data: URL",
			() => claimBody({ source: { url: "data:text/html,hi" } }),
			"source.url",
			"Use a full http:// or https:// address.",
		],
		[
			"a date in the future",
			() => claimBody({ claimedAt: "2999-12-31" }),
			"claimedAt",
			"This date is in the future.",
		],
		[
			"a speaker id of another format",
			() => claimBody({ speaker: { id: "Robert'); DROP TABLE" } }),
			"speaker.id",
			"This is not a Claimtrack id.",
		],
		[
			"a speaker id that does not exist",
			() => claimBody({ speaker: { id: "zzzzzzzzzzzzzz" } }),
			"speaker.id",
			"There is no speaker with this id.",
		],
		["a missing source", () => claimBody({ source: undefined }), "source", "This field is required."],
		[
			"a speaker that is neither id nor details",
			() => claimBody({ speaker: "Choe" }),
			"speaker",
			"Give an object here.",
		],
	];
	for (const [what, body, path, message] of cases) {
		it(`names the field for ${what}`, async () => {
			const { token } = await tokenFor("checker");
			const before = await snapshot();
			const response = await apiCall("POST", "/api/v1/claims", { token, body: body() });
			expect(response.status).toBe(422);
			expect(response.headers.get("content-type")).toContain("application/problem+json");
			const problem = await json<Problem>(response);
			expect(problem.errors).toContainEqual({ path, message });
			expect(await snapshot()).toEqual(before);
		});
	}

	it("says a list's type once, without the bounds a string was measured by", async () => {
		const { token } = await tokenFor("checker");
		const errorsOf = async (body: unknown) => {
			const response = await apiCall("POST", "/api/v1/claims", { token, body });
			expect(response.status).toBe(422);
			return (await json<Problem>(response)).errors;
		};
		// A string where a list belongs: its length is no count of topics or other names.
		expect(await errorsOf(claimBody({ tags: "Ukraine war, energy prices, Kursk" }))).toEqual([
			{ path: "tags", message: "Give a list here." },
		]);
		expect(
			await errorsOf(claimBody({ speaker: { name: "Choe Son-hui", aliases: "x".repeat(250) } })),
		).toEqual([{ path: "speaker.aliases", message: "Give a list here." }]);
	});

	it("names an unknown rating key and a bad evidence link", async () => {
		const { token } = await tokenFor("checker");
		const claim = await makeClaim();
		const response = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token,
			body: verdictBody({ rating: "pants-on-fire", evidence: [{ url: "data:x", title: "" }] }),
		});
		expect(response.status).toBe(422);
		const problem = await json<Problem>(response);
		expect(problem.errors).toEqual([
			{ path: "rating", message: "Choose a rating from the scale." },
			{ path: "evidence.0.url", message: "Use a full http:// or https:// address." },
			{ path: "evidence.0.title", message: "Give the link a title." },
		]);
	});

	it("tells a write without its `version` (an If-Match sent instead) to send the version last read, as the OpenAPI body says", async () => {
		const editor = await tokenFor("editor");
		const claim = await makeClaim({ speaker: { name: `Choe Son-hui ${newId()}` } });
		const read = await json<{ version: number; speaker: { slug: string } }>(
			await call(`/api/v1/claims/${claim.id}`),
		);
		const draft = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: editor.token,
				body: verdictBody(),
			}),
		);
		const before = await snapshot();
		const versionRead = { path: "version", message: "Send the version you last read." };
		const refused = async (method: string, path: string, body: unknown) => {
			const response = await apiCall(method, path, {
				token: editor.token,
				body,
				headers: { "If-Match": `"${read.version}"` },
			});
			expect(response.status, `${method} ${path}`).toBe(422);
			const problem = await json<Problem>(response);
			expect(problem.detail, `${method} ${path}`).toBe("version: Send the version you last read.");
			expect(problem.errors, `${method} ${path}`).toEqual([versionRead]);
		};
		// Left out, sent as a string, as a fraction: the schema's words, not "Give a number here."
		await refused("PATCH", `/api/v1/claims/${claim.id}`, { context: "Said in Wŏnsan." });
		await refused("PUT", `/api/v1/verdicts/${draft.id}`, verdictBody());
		await refused("POST", `/api/v1/verdicts/${draft.id}/publish`, { version: String(draft.version) });
		await refused("PATCH", `/api/v1/speakers/${read.speaker.slug}`, {
			version: 1.5,
			description: "Minister",
		});
		await refused("DELETE", `/api/v1/claims/${claim.id}`, { reason: "Recorded twice." });
		expect(await snapshot()).toEqual(before);
		// The desk's forms say it in the desk's language.
		const removal = await deskPost(await account("editor"), `/desk/claims/${claim.id}/remove?lang=de`, {
			confirm: "1",
			reason: "Doppelt erfasst.",
			_idem: newToken(18),
		});
		expect(removal.status).toBe(422);
		expect(await removal.text()).toContain("Bitte die zuletzt gelesene Version mitsenden.");
		// The OpenAPI document says what `version` is, in the same words, and that it is required.
		const doc = await json<{
			paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: Schema }> } }>>;
		}>(await call("/api/v1/openapi.json"));
		type Schema = { required?: string[]; properties: Record<string, { description?: string }> };
		for (const [path, method] of [
			["/api/v1/claims/{id}", "patch"],
			["/api/v1/verdicts/{id}", "put"],
			["/api/v1/verdicts/{id}/publish", "post"],
			["/api/v1/speakers/{slug}", "patch"],
			["/api/v1/webhooks/{id}", "patch"],
		] as const) {
			const schema = doc.paths[path]?.[method]?.requestBody.content["application/json"]?.schema;
			expect(schema?.required, path).toContain("version");
			expect(schema?.properties.version?.description, path).toMatch(
				/as you last read it.*`If-Match` is not read/,
			);
		}
	});

	it("says in every body's version, the merge's and the publication's named ones too, that `If-Match` is not read", async () => {
		type Schema = { $ref?: string; properties?: Record<string, { description?: string }> };
		const doc = await json<{
			paths: Record<
				string,
				Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>
			>;
			components?: { schemas?: Record<string, Schema> };
		}>(await call("/api/v1/openapi.json"));
		const resolve = (schema: Schema | undefined) =>
			schema?.$ref ? doc.components?.schemas?.[schema.$ref.replace("#/components/schemas/", "")] : schema;
		const said: string[] = [];
		const silent: string[] = [];
		for (const [path, methods] of Object.entries(doc.paths)) {
			for (const [method, operation] of Object.entries(methods)) {
				const schema = resolve(operation.requestBody?.content["application/json"]?.schema);
				for (const [name, property] of Object.entries(schema?.properties ?? {})) {
					if (name !== "version" && !name.endsWith("Version")) continue;
					const where = `${method.toUpperCase()} ${path} ${name}`;
					(/`If-Match` is not read/.test(property.description ?? "") ? said : silent).push(where);
				}
			}
		}
		expect(silent).toEqual([]);
		expect(said).toEqual(
			expect.arrayContaining([
				"POST /api/v1/claims/{id}/merge version",
				"POST /api/v1/claims/{id}/merge intoVersion",
				"POST /api/v1/verdicts/{id}/publish claimVersion",
			]),
		);
	});

	it("answers a claim id of another format with 422 and an unknown one with 404", async () => {
		const { token } = await tokenFor("checker");
		const bad = await apiCall("POST", "/api/v1/claims/123/verdicts", { token, body: verdictBody() });
		expect(bad.status).toBe(422);
		expect((await json<Problem>(bad)).errors?.[0]?.path).toBe("param.id");
		const unknown = await apiCall("POST", "/api/v1/claims/zzzzzzzzzzzzzz/verdicts", {
			token,
			body: verdictBody(),
		});
		expect(unknown.status).toBe(404);
	});

	it("refuses a body that is not JSON with 415, and malformed JSON with 400", async () => {
		const { token } = await tokenFor("checker");
		const form = await call("/api/v1/claims", {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-www-form-urlencoded" },
			body: "text=hi",
		});
		expect(form.status).toBe(415);
		const broken = await call("/api/v1/claims", {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: "{not json",
		});
		expect(broken.status).toBe(400);
		expect(broken.headers.get("content-type")).toContain("application/problem+json");
	});

	it("caps bodies: 413 with Content-Length and for a chunked body without it", async () => {
		const { token } = await tokenFor("checker");
		const big = JSON.stringify(claimBody({ context: "x".repeat(200_000) }));
		const sized = await call("/api/v1/claims", {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: big,
		});
		expect(sized.status).toBe(413);
		expect(sized.headers.get("content-type")).toContain("application/problem+json");
		const bytes = new TextEncoder().encode(big);
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				for (let i = 0; i < bytes.length; i += 16_384) controller.enqueue(bytes.slice(i, i + 16_384));
				controller.close();
			},
		});
		const chunked = await call("/api/v1/claims", {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: stream,
			// @ts-expect-error: workerd's RequestInit knows `duplex`, the DOM types in use here do not
			duplex: "half",
		});
		expect(chunked.status).toBe(413);
	});
});

describe("API tokens", () => {
	it("401 without a token, with a malformed, unknown or revoked one, or a disabled owner", async () => {
		const claim = claimBody();
		const none = await apiCall("POST", "/api/v1/claims", { body: claim });
		expect(none.status).toBe(401);
		expect(none.headers.get("www-authenticate")).toContain("Bearer");
		expect((await apiCall("POST", "/api/v1/claims", { token: "nonsense", body: claim })).status).toBe(401);
		expect(
			(await apiCall("POST", "/api/v1/claims", { token: `ct_${newToken(32)}`, body: claim })).status,
		).toBe(401);
		const revoked = await tokenFor("checker");
		await revokeApiToken(testDb(), SYSTEM("test"), revoked.row.id);
		expect((await apiCall("POST", "/api/v1/claims", { token: revoked.token, body: claim })).status).toBe(401);
		const disabled = await tokenFor("checker");
		await setUserDisabled(testDb(), SYSTEM("test"), disabled.user.id, disabled.user.version, true);
		expect((await apiCall("POST", "/api/v1/claims", { token: disabled.token, body: claim })).status).toBe(
			401,
		);
	});

	it("a token revoked, or its owner disabled, while its write runs: 401 and nothing written", {
		timeout: 60_000,
	}, async () => {
		const post = (db: D1Database, token: string, path: string, body: unknown) =>
			fetchWith(db, path, {
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify(body),
			});
		const actions = async (userId: string) =>
			(
				await env.DB.prepare("SELECT action FROM audit_log WHERE actor_id = ? ORDER BY rowid")
					.bind(userId)
					.all<{ action: string }>()
			).results.map((r) => r.action);
		const revoked = await tokenFor("editor");
		const { response: created } = await post(
			racingD1(/^insert into "claims"/i, () => revokeApiToken(testDb(), SYSTEM("test"), revoked.row.id)),
			revoked.token,
			"/api/v1/claims",
			claimBody(),
		);
		expect(created.status, await created.clone().text()).toBe(401);
		expect(created.headers.get("www-authenticate")).toContain('error="invalid_token"');
		expect(await actions(revoked.user.id)).toEqual([]);

		// An import stops at its batch when the owner is disabled between its reads and its write.
		const { user: owner } = await makeUser("editor");
		const disabled = { user: owner, ...(await apiToken(owner, ["import"])) };
		const record = {
			claim: { text: `Importiert ${newId()} und nie gespeichert`, language: "de", claimedAt: "2025-07-12" },
			speaker: { name: `Sprecherin ${newId()}`, kind: "person" },
			sources: [{ url: `https://other.example/${newId()}`, title: "Bericht" }],
			verdict: null,
		};
		const { response: imported } = await post(
			racingD1(/^insert into "claims"/i, () =>
				setUserDisabled(testDb(), SYSTEM("test"), disabled.user.id, disabled.user.version, true),
			),
			disabled.token,
			"/api/v1/import",
			{ records: [record] },
		);
		expect(imported.status, await imported.clone().text()).toBe(401);
		expect(await actions(disabled.user.id)).toEqual([]);
		const found = await env.DB.prepare("SELECT count(*) AS n FROM claims WHERE text = ?")
			.bind(record.claim.text)
			.first<{ n: number }>();
		expect(found?.n).toBe(0);
	});

	it("a token revoked once its write is saved: the saved answer, and a retry replays it", {
		timeout: 60_000,
	}, async () => {
		// The claim's read-back and anything after the write's batch see the token revoked:
		// the write is stored and audited, so it is answered as stored, never 401.
		const { user, token, row } = await tokenFor("editor");
		const body = claimBody();
		const key = `revoked-after-${newId()}`;
		const post = (db: D1Database, bearer: string) =>
			fetchWith(db, "/api/v1/claims", {
				method: "POST",
				headers: {
					Authorization: `Bearer ${bearer}`,
					"Content-Type": "application/json",
					"Idempotency-Key": key,
				},
				body: JSON.stringify(body),
			});
		const { response: first } = await post(
			racingD1(/^insert into "claims"/i, () => revokeApiToken(testDb(), SYSTEM("test"), row.id), 1, "after"),
			token,
		);
		expect(first.status, await first.clone().text()).toBe(201);
		const claim = await json<{ id: string; text: string }>(first);
		expect(claim.text).toBe(body.text);
		const stored = await env.DB.prepare("SELECT count(*) AS n FROM claims WHERE text = ?")
			.bind(body.text)
			.first<{ n: number }>();
		expect(stored?.n).toBe(1);
		// The key was kept: a retry with a new token is the first answer again, not a duplicate.
		const fresh = await apiToken(user, ["claims:write"]);
		const { response: retry } = await post(env.DB, fresh.token);
		expect(retry.status, await retry.clone().text()).toBe(201);
		expect(retry.headers.get("idempotent-replayed")).toBe("true");
		expect((await json<{ id: string }>(retry)).id).toBe(claim.id);
	});

	it("a token revoked before a write that is a statement of its own: 401 and nothing written", {
		timeout: 60_000,
	}, async () => {
		const { user } = await makeUser("admin");
		const { token, row } = await apiToken(user, ["webhooks:manage", "claims:write"]);
		const revoke = () => revokeApiToken(testDb(), SYSTEM("test"), row.id);
		const hook = await apiCall("POST", "/api/v1/webhooks", {
			token,
			body: { url: `https://hooks.example/ok/${newId()}`, events: ["claim.updated"] },
		});
		expect(hook.status, await hook.clone().text()).toBe(201);
		// A delivery about a claim removed since, written as the removal committed (its text kept):
		// a replay forgets it (state dead, text gone) before it refuses, its one write.
		const claim = await makeClaim();
		await removeClaim(testDb(), SYSTEM("test"), claim.id, { version: claim.version, reason: "Not a claim." });
		const deliveryId = newMessageId();
		const payload = JSON.stringify({
			type: "claim.updated",
			timestamp: new Date().toISOString(),
			data: { claim: { id: claim.id, text: "Private words" } },
		});
		await insertDeliveries(testDb(), [
			{
				id: deliveryId,
				webhookId: (await json<{ id: string }>(hook)).id,
				eventType: "claim.updated",
				payload,
				timestamp: Math.floor(Date.now() / 1000),
			},
		]);
		await env.DB.prepare("UPDATE webhook_deliveries SET state = 'failed' WHERE id = ?")
			.bind(deliveryId)
			.run();
		const { response: replay } = await fetchWith(
			racingAnyD1(/^update "webhook_deliveries"/i, revoke),
			`/api/v1/webhooks/deliveries/${deliveryId}/replay`,
			{ method: "POST", headers: { Authorization: `Bearer ${token}` } },
		);
		expect(replay.status, await replay.clone().text()).toBe(401);
		expect(replay.headers.get("www-authenticate")).toContain('error="invalid_token"');
		const delivery = await env.DB.prepare("SELECT state, payload FROM webhook_deliveries WHERE id = ?")
			.bind(deliveryId)
			.first<{ state: string; payload: string }>();
		expect(delivery).toEqual({ state: "failed", payload });

		// An Idempotency-Key's claim comes before a create's batch: revoked before it, no key is
		// kept either, and the same request with a new token is stored, not answered "pending".
		const { user: checker } = await makeUser("checker");
		const holder = await apiToken(checker, ["claims:write"]);
		const body = claimBody();
		const key = `revoked-before-${newId()}`;
		const create = (db: D1Database, bearer: string) =>
			fetchWith(db, "/api/v1/claims", {
				method: "POST",
				headers: {
					Authorization: `Bearer ${bearer}`,
					"Content-Type": "application/json",
					"Idempotency-Key": key,
				},
				body: JSON.stringify(body),
			});
		const { response: refused } = await create(
			racingAnyD1(/^insert into "idempotency_keys"/i, () =>
				revokeApiToken(testDb(), SYSTEM("test"), holder.row.id),
			),
			holder.token,
		);
		expect(refused.status, await refused.clone().text()).toBe(401);
		const keys = await env.DB.prepare("SELECT count(*) AS n FROM idempotency_keys WHERE user_id = ?")
			.bind(checker.id)
			.first<{ n: number }>();
		expect(keys?.n).toBe(0);
		const fresh = await apiToken(checker, ["claims:write"]);
		const { response: stored } = await create(env.DB, fresh.token);
		expect(stored.status, await stored.clone().text()).toBe(201);
		expect(stored.headers.get("idempotent-replayed")).toBeNull();
	});

	it("403 when the token lacks the scope, whatever the role", async () => {
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["verdicts:write"]);
		const response = await apiCall("POST", "/api/v1/claims", { token, body: claimBody() });
		expect(response.status).toBe(403);
		expect(response.headers.get("www-authenticate")).toContain('scope="claims:write"');
	});

	it("a checker's token can never publish, even with the scope stored", async () => {
		const { user } = await makeUser("checker");
		// Scopes beyond the role cannot be issued through the desk; stored anyway, they do not count.
		const { token } = await apiToken(user, ["verdicts:write", "verdicts:publish"]);
		const claim = await makeClaim();
		const draft = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, { token, body: verdictBody() }),
		);
		const before = await snapshot();
		const response = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token,
			body: { version: draft.version },
		});
		expect(response.status).toBe(403);
		expect(await snapshot()).toEqual(before);
	});

	it("stores only the token's hash", async () => {
		const { token, row } = await tokenFor("checker");
		const stored = await env.DB.prepare("SELECT token_hash FROM api_tokens WHERE id = ?")
			.bind(row.id)
			.first<{ token_hash: string }>();
		expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(stored?.token_hash).not.toContain(token.slice(3));
	});

	it("documents every write route in the OpenAPI document with its scope", async () => {
		const doc = await json<{ paths: Record<string, Record<string, { security?: { bearer: string[] }[] }>> }>(
			await call("/api/v1/openapi.json"),
		);
		expect(doc.paths["/api/v1/claims"]?.post?.security).toEqual([{ bearer: ["claims:write"] }]);
		expect(doc.paths["/api/v1/claims/{id}/appearances"]?.post?.security).toEqual([
			{ bearer: ["claims:write"] },
		]);
		expect(doc.paths["/api/v1/claims/{id}/verdicts"]?.post?.security).toEqual([
			{ bearer: ["verdicts:write"] },
		]);
		expect(doc.paths["/api/v1/verdicts/{id}"]?.put?.security).toEqual([{ bearer: ["verdicts:write"] }]);
		expect(doc.paths["/api/v1/verdicts/{id}/publish"]?.post?.security).toEqual([
			{ bearer: ["verdicts:publish"] },
		]);
		expect(doc.paths["/api/v1/verdicts/{id}/retract"]?.post?.security).toEqual([
			{ bearer: ["verdicts:publish"] },
		]);
	});

	it("sends no CORS headers on writes, not even to a preflight", async () => {
		const { token } = await tokenFor("checker");
		const response = await apiCall("POST", "/api/v1/claims", {
			token,
			body: claimBody(),
			headers: { Origin: "https://elsewhere.example" },
		});
		expect(response.status).toBe(201);
		expect(response.headers.get("access-control-allow-origin")).toBeNull();
		const preflight = await call("/api/v1/claims", {
			method: "OPTIONS",
			headers: {
				Origin: "https://elsewhere.example",
				"Access-Control-Request-Method": "POST",
				"Access-Control-Request-Headers": "authorization, content-type",
			},
		});
		expect(preflight.headers.get("access-control-allow-methods") ?? "").not.toContain("POST");
	});
});

/** DELETE a verdict at a version (the body every write sends); fresh drafts are at version 1. */
function discard(token: string, verdictId: string, version = 1) {
	return apiCall("DELETE", `/api/v1/verdicts/${verdictId}`, { token, body: { version } });
}

describe("one open draft per claim (API)", () => {
	it("answers a second draft with 409 draft-exists naming the open draft and its addresses", async () => {
		const checker = await tokenFor("checker");
		const other = await tokenFor("checker");
		const claim = await makeClaim();
		const first = await json<{ id: string }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: checker.token,
				body: verdictBody(),
			}),
		);
		const before = await snapshot();
		const second = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: other.token,
			body: verdictBody({ headline: "Another take" }),
			headers: { "Idempotency-Key": newToken(18) },
		});
		expect(second.status).toBe(409);
		expect(second.headers.get("content-type")).toContain("application/problem+json");
		expect(await json<Problem>(second)).toMatchObject({
			type: "urn:claimtrack:problem:draft-exists",
			draftId: first.id,
			claimId: claim.id,
			draft: `http://claimtrack.test/api/v1/verdicts/${first.id}`,
			desk: `http://claimtrack.test/desk/verdicts/${first.id}/edit`,
		});
		expect(await snapshot()).toEqual(before);
	});

	it("lets exactly one of two concurrent drafters win; the other gets the winner's draft", async () => {
		const a = await tokenFor("checker");
		const b = await tokenFor("editor");
		const claim = await makeClaim();
		const responses = await Promise.all(
			[a, b].map((w, i) =>
				apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
					token: w.token,
					body: verdictBody({ headline: `Racer ${i}` }),
				}),
			),
		);
		const statuses = responses.map((r) => r.status).sort();
		expect(statuses).toEqual([201, 409]);
		const winner = await json<{ id: string }>(responses.find((r) => r.status === 201) as Response);
		const loser = await json<Problem>(responses.find((r) => r.status === 409) as Response);
		expect(loser).toMatchObject({ type: "urn:claimtrack:problem:draft-exists", draftId: winner.id });
		const drafts = await env.DB.prepare(
			"SELECT count(*) AS n FROM verdicts WHERE claim_id = ? AND state = 'draft'",
		)
			.bind(claim.id)
			.first<{ n: number }>();
		expect(drafts?.n).toBe(1);
		const audits = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE action = 'create-draft' AND json_extract(changes, '$.claimId') = ?",
		)
			.bind(claim.id)
			.first<{ n: number }>();
		expect(audits?.n).toBe(1);
	});

	it("allows a new draft once the open one is published (a correction) or discarded", async () => {
		const editor = await tokenFor("editor");
		const claim = await makeClaim();
		const first = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: editor.token,
				body: verdictBody(),
			}),
		);
		await apiCall("POST", `/api/v1/verdicts/${first.id}/publish`, {
			token: editor.token,
			body: { version: first.version },
		});
		const correction = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: editor.token,
			body: verdictBody({ rating: "mostly-false" }),
		});
		expect(correction.status).toBe(201);
		const { id } = await json<{ id: string }>(correction);
		expect((await discard(editor.token, id)).status).toBe(204);
		const again = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: editor.token,
			body: verdictBody({ rating: "misleading" }),
		});
		expect(again.status).toBe(201);
	});
});

describe("discarding a draft (DELETE /api/v1/verdicts/:id)", () => {
	async function publicStatus(claimId: string): Promise<string> {
		return (await json<{ status: string }>(await call(`/api/v1/claims/${claimId}`))).status;
	}

	it("204; the draft is gone, its content is in the audit log, the claim is unverified again", async () => {
		const checker = await tokenFor("checker");
		const claim = await makeClaim();
		const created = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: checker.token,
				body: verdictBody({ headline: "Keep me in the log", summary: "A summary worth keeping." }),
			}),
		);
		// Read (and cache) the public answer while the claim is in review.
		expect(await publicStatus(claim.id)).toBe("in-review");
		expect(await (await call(`/badges/${claim.id}.svg?lang=en`)).text()).toContain("In review");

		const response = await discard(checker.token, created.id);
		expect(response.status).toBe(204);
		expect(await response.text()).toBe("");
		expect(await env.DB.prepare("SELECT id FROM verdicts WHERE id = ?").bind(created.id).first()).toBeNull();
		const audit = await env.DB.prepare(
			"SELECT actor_id, action, entity, changes FROM audit_log WHERE entity_id = ? ORDER BY id DESC LIMIT 1",
		)
			.bind(created.id)
			.first<{ actor_id: string; action: string; entity: string; changes: string }>();
		expect(audit).toMatchObject({ actor_id: checker.user.id, action: "discard-draft", entity: "verdict" });
		expect(JSON.parse(audit?.changes ?? "{}")).toMatchObject({
			claimId: claim.id,
			rating: "false",
			headline: "Keep me in the log",
			summary: "A summary worth keeping.",
			evidence: [{ url: "https://evidence.example/report", title: "Report" }],
			language: "en",
			reviewerId: checker.user.id,
			version: created.version,
		});
		// Every public answer says so at once (the event purged the caches).
		expect(await publicStatus(claim.id)).toBe("unverified");
		expect(await (await call(`/badges/${claim.id}.svg?lang=en`)).text()).toContain("Unverified");
		expect((await apiCall("GET", `/api/v1/verdicts/${created.id}`, { token: checker.token })).status).toBe(
			404,
		);
		expect((await discard(checker.token, created.id)).status).toBe(404);
	});

	it("leaves a retracted claim retracted and a published one as it was", async () => {
		const editor = await tokenFor("editor");
		const claim = await makeClaim();
		const first = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: editor.token,
				body: verdictBody(),
			}),
		);
		const published = await json<{ version: number }>(
			await apiCall("POST", `/api/v1/verdicts/${first.id}/publish`, {
				token: editor.token,
				body: { version: first.version },
			}),
		);
		const correction = await json<{ id: string }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: editor.token,
				body: verdictBody(),
			}),
		);
		expect((await discard(editor.token, correction.id)).status).toBe(204);
		expect(await publicStatus(claim.id)).toBe("false");

		await apiCall("POST", `/api/v1/verdicts/${first.id}/retract`, {
			token: editor.token,
			body: { version: published.version, note: "The quote was misattributed." },
		});
		const redraft = await json<{ id: string }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: editor.token,
				body: verdictBody(),
			}),
		);
		expect(await publicStatus(claim.id)).toBe("retracted");
		expect((await discard(editor.token, redraft.id)).status).toBe(204);
		expect(await publicStatus(claim.id)).toBe("retracted");
	});

	it("409 for a verdict that is not a draft, 403 for another checker's draft, any draft for an editor", async () => {
		const checker = await tokenFor("checker");
		const otherChecker = await tokenFor("checker");
		const editor = await tokenFor("editor");
		const claim = await makeClaim();
		const draft = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: checker.token,
				body: verdictBody(),
			}),
		);
		let before = await snapshot();
		const foreign = await discard(otherChecker.token, draft.id);
		expect(foreign.status).toBe(403);
		expect(foreign.headers.get("content-type")).toContain("application/problem+json");
		expect(await snapshot()).toEqual(before);

		// A token without verdicts:write may not discard, whatever the role.
		const { user } = await makeUser("editor");
		const readOnly = await apiToken(user, ["claims:write"]);
		expect((await discard(readOnly.token, draft.id)).status).toBe(403);

		await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token: editor.token,
			body: { version: draft.version },
		});
		before = await snapshot();
		for (const who of [checker, editor]) {
			const refused = await discard(who.token, draft.id);
			expect(refused.status).toBe(409);
			expect(await json<Problem>(refused)).toMatchObject({
				type: "urn:claimtrack:problem:not-a-draft",
				current: { state: "published" },
			});
		}
		expect(await snapshot()).toEqual(before);

		const claim2 = await makeClaim();
		const checkersDraft = await json<{ id: string }>(
			await apiCall("POST", `/api/v1/claims/${claim2.id}/verdicts`, {
				token: checker.token,
				body: verdictBody(),
			}),
		);
		expect((await discard(editor.token, checkersDraft.id)).status).toBe(204);
	});

	it("needs the version last read: a draft saved since is kept (409), a missing version is a 422", async () => {
		const checker = await tokenFor("checker");
		const claim = await makeClaim();
		const created = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: checker.token,
				body: verdictBody(),
			}),
		);
		await apiCall("PUT", `/api/v1/verdicts/${created.id}`, {
			token: checker.token,
			body: verdictBody({ headline: "Saved since", version: created.version }),
		});
		const before = await snapshot();
		const stale = await discard(checker.token, created.id, created.version);
		expect(stale.status).toBe(409);
		expect(await json<Problem>(stale)).toMatchObject({
			type: "urn:claimtrack:problem:version-conflict",
			current: { version: created.version + 1 },
		});
		const noBody = await apiCall("DELETE", `/api/v1/verdicts/${created.id}`, { token: checker.token });
		expect(noBody.status).toBe(415);
		const noVersion = await apiCall("DELETE", `/api/v1/verdicts/${created.id}`, {
			token: checker.token,
			body: {},
		});
		expect(noVersion.status).toBe(422);
		expect((await json<Problem>(noVersion)).errors?.[0]?.path).toBe("version");
		expect(await snapshot()).toEqual(before);
		expect((await discard(checker.token, created.id, created.version + 1)).status).toBe(204);
	});

	it("is documented in the OpenAPI document with its scope", async () => {
		const doc = await json<{
			paths: Record<string, Record<string, { security?: { bearer: string[] }[]; responses: object }>>;
		}>(await call("/api/v1/openapi.json"));
		const operation = doc.paths["/api/v1/verdicts/{id}"]?.delete;
		expect(operation?.security).toEqual([{ bearer: ["verdicts:write"] }]);
		expect(Object.keys(operation?.responses ?? {})).toEqual(
			expect.arrayContaining(["204", "403", "404", "409"]),
		);
	});
});

describe("two writers adding the same new source", () => {
	it("the second finds the source the first recorded, instead of failing on it", async () => {
		const { token } = await tokenFor("checker");
		const first = await makeClaim();
		const second = await makeClaim();
		const url = `https://news.example/${newId()}`;
		const body = (claimId: string) => ({ source: { url, title: "Artikel" }, quote: `Zitat ${claimId}` });
		// Between this request's reads and its batch, another writer records the same address.
		const { response } = await fetchWith(
			racingD1(/^insert into "appearances"/i, () =>
				apiCall("POST", `/api/v1/claims/${first.id}/appearances`, { token, body: body(first.id) }),
			),
			`/api/v1/claims/${second.id}/appearances`,
			{
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify(body(second.id)),
			},
		);
		expect(response.status, await response.clone().text()).toBe(201);
		const sources = await env.DB.prepare("SELECT id FROM sources WHERE url = ?").bind(url).all();
		expect(sources.results).toHaveLength(1);
		const both = await env.DB.prepare("SELECT count(*) AS n FROM appearances WHERE source_id = ?")
			.bind((sources.results[0] as { id: string }).id)
			.first<{ n: number }>();
		expect(both?.n).toBe(2);
	});
});
