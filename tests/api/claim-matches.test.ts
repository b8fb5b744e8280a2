import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { newId } from "../../src/domain/ids";
import type { AiBinding, VectorIndexBinding } from "../../src/lib/semantic-index";
import { BulkHistory } from "../bulk-fixtures";
import { account, apiCall, apiToken, makeUser } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import {
	BASE,
	call,
	eventually,
	freshIp,
	importCountingQueries,
	json,
	testDb,
	uniquePlace,
} from "../helpers";

interface Matches {
	data: { claim: { id: string; text: string }; score: number; relation: "same" | "similar" }[];
	matchers: string[];
	unavailable: string[];
}

const ask = (params: Record<string, string>, init?: RequestInit) =>
	call(`/api/v1/claims/matches?${new URLSearchParams(params)}`, init);

/** A word no other test uses, so each test's claims are the only ones that match it. */
const marker = uniquePlace;

function relationOf(answer: Matches, claimId: string) {
	return answer.data.find((m) => m.claim.id === claimId)?.relation ?? null;
}

/** Many English claims of one source, written in a few statements (tests/bulk-fixtures). */
function englishClaims() {
	const history = new BulkHistory(new Date(Date.now() - 86_400_000));
	const actor = { userId: null, label: "test" };
	const source = history.source(actor, {
		url: `https://port.example/${newId()}`,
		title: "Harbour news",
		publisher: "Port News",
		author: null,
		language: "en",
		publishedAt: null,
		archivedUrl: null,
	});
	return {
		speaker: (name: string) =>
			history.speaker(actor, { name, kind: "person", description: null, wikidataId: null, aliases: [] }),
		claim: (text: string, speakerId: string | null = null) =>
			history.claim(actor, {
				text,
				language: "en",
				claimedAt: null,
				context: null,
				speakerId,
				sourceId: source.id,
				quote: null,
				anchor: null,
				externalId: null,
			}),
		write: () => history.write(testDb()),
	};
}

describe("GET /api/v1/claims/matches (lexical)", () => {
	it("finds a restatement as the same claim, first, and near-misses only as similar", async () => {
		const place = marker();
		const original = await makeClaim({
			text: `Unemployment in ${place} rose to 6.1 percent in 2024.`,
			language: "en",
		});
		await publish(original.id, "false");
		const restated = await json<Matches>(
			await ask({
				text: `"In 2024, unemployment in ${place} rose to 6.1%," the minister said.`,
				language: "en",
			}),
		);
		expect(restated.matchers).toEqual(["lexical"]);
		expect(restated.data[0]).toMatchObject({ claim: { id: original.id }, relation: "same" });
		expect(restated.data[0]?.score).toBeGreaterThan(0.7);
		for (const nearMiss of [
			`Unemployment in ${place} rose to 5.9 percent in 2024.`,
			`Unemployment in ${place} rose to 6.1 percent in 2023.`,
			`Unemployment in ${place} did not rise to 6.1 percent in 2024.`,
			`Unemployment in ${place} fell to 6.1 percent in 2024.`,
		]) {
			const answer = await json<Matches>(await ask({ text: nearMiss, language: "en" }));
			expect(relationOf(answer, original.id), nearMiss).toBe("similar");
		}
	});

	it("reads a claim's words as they are now, after an edit, though this isolate matched the old words before", async () => {
		const place = marker();
		const claim = await makeClaim({
			text: `Unemployment in ${place} rose to 6.1 percent in 2024.`,
			language: "en",
		});
		const question = {
			text: `Unemployment in ${place} rose to 6.1 percent in 2024, the minister said.`,
			language: "en",
		};
		expect(relationOf(await json<Matches>(await ask(question)), claim.id)).toBe("same");
		const editor = await account("editor");
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token: (await apiToken(editor.user, ["claims:write"])).token,
			body: { version: claim.version, text: `Unemployment in ${place} fell to 6.1 percent in 2024.` },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		expect(relationOf(await json<Matches>(await ask(question)), claim.id)).toBe("similar");
		const restated = {
			text: `Unemployment in ${place} fell to 6.1 percent in 2024, the minister said.`,
			language: "en",
		};
		expect(relationOf(await json<Matches>(await ask(restated)), claim.id)).toBe("same");
	});

	it("matches German reported speech and number words to the direct quote", async () => {
		const place = marker();
		const original = await makeClaim({
			text: `Die Arbeitslosigkeit in ${place} ist auf zwölf Prozent gestiegen.`,
			language: "de",
		});
		const answer = await json<Matches>(
			await ask({
				text: `Die Arbeitslosigkeit in ${place} sei auf 12 % gestiegen, sagte der Minister.`,
				language: "de",
			}),
		);
		expect(answer.data[0]).toMatchObject({ claim: { id: original.id }, relation: "same" });
	});

	it("never calls a claim the same as its opposite made with a prefix (sicher/unsicher, effective/ineffective)", async () => {
		const place = marker();
		const unsafe = await makeClaim({ text: `Die Impfstoffe aus ${place} sind unsicher.`, language: "de" });
		await publish(unsafe.id, "false");
		const opposite = await json<Matches>(
			await ask({ text: `Die Impfstoffe aus ${place} sind sicher.`, language: "de" }),
		);
		expect(relationOf(opposite, unsafe.id)).toBe("similar");
		const restated = await json<Matches>(
			await ask({ text: `Die Impfstoffe aus ${place} seien unsicher, sagte der Minister.`, language: "de" }),
		);
		expect(relationOf(restated, unsafe.id)).toBe("same");

		const ineffective = await makeClaim({ text: `The ${place} vaccine is ineffective.`, language: "en" });
		const effective = await json<Matches>(
			await ask({ text: `The ${place} vaccine is effective.`, language: "en" }),
		);
		expect(relationOf(effective, ineffective.id)).toBe("similar");
	});

	it("never calls a claim the same as one 1,000 times its number (300.000, 300k, $12m, 300 000)", async () => {
		const place = marker();
		const few = await makeClaim({ text: `Ukraine lost 300 soldiers in ${place}.`, language: "en" });
		const cheap = await makeClaim({ text: `The ${place} bridge cost 12 dollars.`, language: "en" });
		const wenige = await makeClaim({
			text: `Die Ukraine hat in ${place} 300 Soldaten verloren.`,
			language: "de",
		});
		for (const [text, language, claim] of [
			[`Ukraine lost 300.000 soldiers in ${place}.`, "en", few],
			[`Ukraine lost 300k soldiers in ${place}.`, "en", few],
			[`The ${place} bridge cost $12m.`, "en", cheap],
			[`Die Ukraine hat in ${place} 300 000 Soldaten verloren.`, "de", wenige],
		] as const) {
			expect(relationOf(await json<Matches>(await ask({ text, language })), claim.id), text).toBe("similar");
		}
		const restated = await json<Matches>(
			await ask({ text: `In ${place}, Ukraine lost 300 soldiers.`, language: "en" }),
		);
		expect(relationOf(restated, few.id)).toBe("same");
	});

	it("never calls doubled the same as tripled, nor a claim the same as its refusal or its 'almost'", async () => {
		const place = marker();
		const doubled = await makeClaim({ text: `Gas prices in ${place} doubled in 2023.`, language: "en" });
		const resigned = await makeClaim({ text: `The mayor of ${place} resigned.`, language: "en" });
		const verloren = await makeClaim({
			text: `Der Bürgermeister von ${place} hat die Wahl verloren.`,
			language: "de",
		});
		for (const [text, language, claim] of [
			[`Gas prices in ${place} tripled in 2023.`, "en", doubled],
			[`The mayor of ${place} refused to resign.`, "en", resigned],
			[`The mayor of ${place} almost resigned.`, "en", resigned],
			[`Der Bürgermeister von ${place} hat die Wahl keineswegs verloren.`, "de", verloren],
		] as const) {
			expect(relationOf(await json<Matches>(await ask({ text, language })), claim.id), text).toBe("similar");
		}
	});

	it("narrows to a speaker, is public, cacheable and documented, and refuses a request without text", async () => {
		const place = marker();
		const mine = await makeClaim({ text: `The ${place} bridge was closed in 2023.`, language: "en" });
		await makeClaim({ text: `The ${place} bridge was closed in 2023.`, language: "en" });
		const slug = mine.speaker?.slug ?? "";
		const response = await ask(
			{ text: `The ${place} bridge closed in 2023`, language: "en", speaker: slug },
			{
				headers: { Origin: "https://newsroom.example" },
			},
		);
		expect(response.status).toBe(200);
		expect(response.headers.get("access-control-allow-origin")).toBe("*");
		expect(response.headers.get("cache-control")).toMatch(/^public/);
		expect(response.headers.get("cache-tag")).toContain("claims-list");
		expect((await json<Matches>(response)).data.map((m) => m.claim.id)).toEqual([mine.id]);
		const missing = await ask({ language: "en" });
		expect(missing.status).toBe(422);
		expect(JSON.stringify(await missing.json())).toContain("text");
		const spec = await json<{ paths: Record<string, unknown> }>(await call("/api/v1/openapi.json"));
		expect(Object.keys(spec.paths)).toContain("/api/v1/claims/matches");
		// Not a claim id: the route is not swallowed by /claims/:id.
		expect((await ask({ text: "anything at all", language: "en" })).status).toBe(200);
	});

	it("finds an older check of the very claim behind 240 newer ones sharing its common words", {
		timeout: 60_000,
	}, async () => {
		const place = marker();
		const history = englishClaims();
		const speaker = history.speaker(`Hafenmeister ${newId()}`);
		const original = await history.claim(`The ${place} harbour reopened to ships.`, speaker.id);
		for (let i = 0; i < 240; i++)
			await history.claim(`The ${place} harbour was closed to ships, report ${i}.`);
		await history.write();
		for (const params of [{}, { speaker: speaker.slug }] as Record<string, string>[]) {
			const answer = await json<Matches>(
				await ask({ text: `The ${place} harbour reopened to ships`, language: "en", ...params }),
			);
			expect(answer.data[0], JSON.stringify(params)).toMatchObject({
				claim: { id: original.id },
				relation: "same",
			});
		}
	});

	it("finds an older check of the very claim when every word of it is common", {
		timeout: 60_000,
	}, async () => {
		const place = marker();
		const history = englishClaims();
		const original = await history.claim(`The ${place} quay commission raised berth tariffs.`);
		// Newer claims hold all of its words but one, or that one alone: none is rare.
		for (let i = 0; i < 240; i++)
			await history.claim(`The ${place} quay commission raised berth charges, notice ${i}.`);
		for (let i = 0; i < 260; i++) await history.claim(`${place} tariffs for parking, item ${i}.`);
		await history.write();
		const answer = await json<Matches>(
			await ask({ text: `The ${place} quay commission raised berth tariffs`, language: "en" }),
		);
		expect(answer.data[0]).toMatchObject({ claim: { id: original.id }, relation: "same" });
	});

	it("counts an IPv6 address by its /64, as the login limits do", async () => {
		const keys: string[] = [];
		const counting = {
			...env,
			MATCH_LIMITER: {
				limit: async ({ key }: { key: string }) => {
					keys.push(key);
					return { success: true };
				},
			},
		};
		for (const address of ["2001:db8:7:1::1", "2001:DB8:7:1:ffff::2"]) {
			const ctx = createExecutionContext();
			const response = await app.fetch(
				new Request(`${BASE}/api/v1/claims/matches?text=anything&language=en`, {
					headers: { "CF-Connecting-IP": address },
				}),
				counting,
				ctx,
			);
			await waitOnExecutionContext(ctx);
			expect(response.status).toBe(200);
		}
		expect(keys).toEqual(["matches:2001:db8:7:1::/64", "matches:2001:db8:7:1::/64"]);
	});

	it("answers 429 with Retry-After when the address is over its limit", async () => {
		const limited = { ...env, MATCH_LIMITER: { limit: async () => ({ success: false }) } };
		const ctx = createExecutionContext();
		const response = await app.fetch(
			new Request(`${BASE}/api/v1/claims/matches?text=anything&language=en`),
			limited,
			ctx,
		);
		await waitOnExecutionContext(ctx);
		expect(response.status).toBe(429);
		expect(response.headers.get("retry-after")).toBe("60");
	});
});

/* ---------- the semantic matcher, with doubles at the bindings ---------- */

/*
 * A deterministic multilingual "embedding": each word maps to a concept shared by its
 * German and English forms, and the vector counts concepts. Translations embed close, as
 * a multilingual model would; the double says nothing about real cosines.
 */
const CONCEPTS: Record<string, string> = {
	soldiers: "soldier",
	soldaten: "soldier",
	liberated: "liberate",
	befreiten: "liberate",
	region: "region",
	gebiet: "region",
	together: "together",
	zusammen: "together",
	russian: "russia",
	russischen: "russia",
	korean: "korea",
	koreanische: "korea",
	troops: "soldier",
	truppen: "soldier",
};
const DIMENSIONS = [...new Set(Object.values(CONCEPTS))];

function embed(text: string, extra: string): number[] {
	const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
	const vector = DIMENSIONS.map((concept) => words.filter((w) => CONCEPTS[w] === concept).length);
	// A dimension for the test's own marker, so other tests' claims stay far away.
	vector.push(words.some((w) => w.includes(extra)) ? 2 : 0);
	return vector;
}

function cosine(a: number[], b: number[]): number {
	let dot = 0;
	let na = 0;
	let nb = 0;
	a.forEach((x, i) => {
		dot += x * (b[i] ?? 0);
		na += x * x;
		nb += (b[i] ?? 0) ** 2;
	});
	return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function doubles(extra: string, options: { failing?: boolean } = {}) {
	const stored = new Map<string, number[]>();
	const calls = { embedded: 0, runs: 0, queries: 0 };
	const AI: AiBinding = {
		async run(model, inputs) {
			if (options.failing) throw new Error("Workers AI is down");
			expect(model).toBe("@cf/baai/bge-m3");
			calls.embedded += inputs.text.length;
			calls.runs += 1;
			return {
				shape: [inputs.text.length, DIMENSIONS.length + 1],
				data: inputs.text.map((t) => embed(t, extra)),
			};
		},
	};
	const VECTORIZE: VectorIndexBinding = {
		async upsert(vectors) {
			for (const v of vectors) stored.set(v.id, v.values);
			return { mutationId: "m" };
		},
		async deleteByIds(ids) {
			for (const id of ids) stored.delete(id);
			return { mutationId: "m" };
		},
		async query(vector, { topK }) {
			calls.queries += 1;
			const matches = [...stored]
				.map(([id, values]) => ({ id, score: cosine(vector, values) }))
				.sort((a, b) => b.score - a.score)
				.slice(0, topK);
			return { matches };
		},
	};
	return { AI, VECTORIZE, stored, calls };
}

async function fetchWith(bindings: object, path: string, init?: RequestInit) {
	const ctx = createExecutionContext();
	// From an address of its own, as `call` asks: without one every such request counted
	// against one address's 60 matches a minute (MATCH_LIMITER, shared by the runtime's files),
	// and a busy full run answered these tests 429.
	const request = new Request(`${BASE}${path}`, init);
	if (!request.headers.has("CF-Connecting-IP")) request.headers.set("CF-Connecting-IP", freshIp());
	const response = await app.fetch(request, { ...env, ...bindings }, ctx);
	await waitOnExecutionContext(ctx);
	return response;
}

describe("semantic, cross-language matching (Workers AI and Vectorize doubles)", () => {
	it("embeds new claims, finds a German claim for its English translation, and says both matchers ran", async () => {
		const extra = `mk${newId().slice(0, 6)}`;
		const bindings = doubles(extra);
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const created = await fetchWith(bindings, "/api/v1/claims", {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: JSON.stringify({
				text: `Koreanische Soldaten befreiten zusammen mit russischen Truppen das Gebiet ${extra}.`,
				language: "de",
				speaker: null,
				source: { url: `https://news.example/${newId()}`, title: "Artikel" },
			}),
		});
		expect(created.status, await created.clone().text()).toBe(201);
		const claimId = (await json<{ id: string }>(created)).id;
		// The side effect embedded it (in the background of the write).
		expect(bindings.stored.has(claimId)).toBe(true);

		const english = `Korean soldiers liberated the region ${extra} together with Russian troops.`;
		const withSemantic = await json<Matches>(
			await fetchWith(
				bindings,
				`/api/v1/claims/matches?${new URLSearchParams({ text: english, language: "en" })}`,
			),
		);
		expect(withSemantic.matchers).toEqual(["lexical", "semantic"]);
		expect(withSemantic.data[0]?.claim.id).toBe(claimId);
		expect(withSemantic.data[0]?.relation).toBe("same");
		// Without the bindings, the lexical matcher alone does not find the translation as the same claim.
		const lexicalOnly = await json<Matches>(await ask({ text: english, language: "en" }));
		expect(lexicalOnly.matchers).toEqual(["lexical"]);
		expect(relationOf(lexicalOnly, claimId)).not.toBe("same");
	});

	it("deletes the vectors of a merged claim and of a removed one", async () => {
		const bindings = doubles(`mk${newId().slice(0, 6)}`);
		const { token } = await apiToken((await account("editor")).user, ["claims:write"]);
		const kept = await makeClaim();
		const duplicate = await makeClaim();
		const mistake = await makeClaim();
		for (const claim of [kept, duplicate, mistake]) bindings.stored.set(claim.id, [1]);
		const version = async (id: string) =>
			(await json<{ version: number }>(await call(`/api/v1/claims/${id}`))).version;
		const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
		const merged = await fetchWith(bindings, `/api/v1/claims/${duplicate.id}/merge`, {
			method: "POST",
			headers,
			body: JSON.stringify({ into: kept.id, version: await version(duplicate.id), note: "Same." }),
		});
		expect(merged.status, await merged.clone().text()).toBe(200);
		const removed = await fetchWith(bindings, `/api/v1/claims/${mistake.id}`, {
			method: "DELETE",
			headers,
			body: JSON.stringify({ version: await version(mistake.id), reason: "Not a claim." }),
		});
		expect(removed.status, await removed.clone().text()).toBe(200);
		expect(
			[...bindings.stored.keys()].filter((id) => [kept.id, duplicate.id, mistake.id].includes(id)),
		).toEqual([kept.id]);
	});

	it("says the semantic matcher is unavailable when only one of its two bindings is bound", async () => {
		const bindings = doubles(`mk${newId().slice(0, 6)}`);
		const text = `Ein Satz über ${marker()}`;
		for (const half of [{ AI: bindings.AI }, { VECTORIZE: bindings.VECTORIZE }]) {
			const answer = await json<Matches>(
				await fetchWith(half, `/api/v1/claims/matches?${new URLSearchParams({ text, language: "de" })}`),
			);
			expect(answer.matchers).toEqual(["lexical"]);
			expect(answer.unavailable).toEqual(["semantic"]);
		}
	});

	it("a translation with another number is never the same claim", async () => {
		const extra = `mk${newId().slice(0, 6)}`;
		const bindings = doubles(extra);
		const claim = await makeClaim({
			text: `Koreanische Soldaten befreiten 2024 das Gebiet ${extra}.`,
			language: "de",
		});
		await bindings.VECTORIZE.upsert([{ id: claim.id, values: embed(claim.text, extra) }]);
		const answer = await json<Matches>(
			await fetchWith(
				bindings,
				`/api/v1/claims/matches?${new URLSearchParams({ text: `Korean soldiers liberated the region ${extra} in 2025.`, language: "en" })}`,
			),
		);
		expect(relationOf(answer, claim.id)).toBe("similar");
	});

	it("matches an import's 120 records with 3 Workers AI calls, not one per record", {
		timeout: 60_000,
	}, async () => {
		const extra = `mk${newId().slice(0, 6)}`;
		const bindings = doubles(extra);
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["import"]);
		const records = Array.from({ length: 120 }, (_, i) => ({
			externalId: `sem-${extra}-${i}`,
			claim: { text: `Russische Truppen ${extra} befreiten das Gebiet Nummer ${i}.`, language: "de" },
			speaker: null,
			sources: [{ url: `https://sem.example/${extra}/${i}` }],
			verdict: null,
		}));
		const imported = await fetchWith(bindings, "/api/v1/import", {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: JSON.stringify({ records }),
		});
		expect(imported.status, await imported.clone().text()).toBe(200);
		expect((await json<{ summary: Record<string, number> }>(imported)).summary).toMatchObject({
			created: 120,
		});
		// Matching: 120 texts in 3 calls of 50, then a Vectorize query each; then the new
		// claims' embeddings, in 3 more calls (the write's side effect).
		expect(bindings.calls.queries).toBe(120);
		expect(bindings.calls.runs).toBe(6);
		expect(bindings.calls.embedded).toBe(240);
		expect(bindings.stored.size).toBeGreaterThanOrEqual(120);
	});

	it("backfills embeddings a page at a time, and reports a failing embedder instead of hiding it", async () => {
		const extra = `mk${newId().slice(0, 6)}`;
		const bindings = doubles(extra);
		const claim = await makeClaim({
			text: `Russische Truppen ${extra} befreiten das Gebiet.`,
			language: "de",
		});
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["import"]);
		let after = 0;
		for (let page = 0; page < 100; page++) {
			const response = await fetchWith(bindings, "/api/v1/matching/backfill", {
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ after }),
			});
			expect(response.status).toBe(200);
			const body = await json<{ indexed: number; next: number | null }>(response);
			if (body.next === null) break;
			after = body.next;
		}
		expect(bindings.stored.has(claim.id)).toBe(true);
		// Without bindings the backfill says what is missing.
		const unconfigured = await call("/api/v1/matching/backfill", {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: JSON.stringify({ after: 0 }),
		});
		expect(unconfigured.status).toBe(409);

		const failing = doubles(extra, { failing: true });
		const answer = await json<Matches>(
			await fetchWith(
				failing,
				`/api/v1/claims/matches?${new URLSearchParams({ text: `Russische Truppen ${extra} befreiten das Gebiet.`, language: "de" })}`,
			),
		);
		expect(answer.matchers).toEqual(["lexical"]);
		expect(answer.unavailable).toEqual(["semantic"]);
		expect(answer.data[0]).toMatchObject({ claim: { id: claim.id }, relation: "same" });
	});

	it("an answer a failing matcher left incomplete is never stored for others; a semantic one a minute at most", async () => {
		const extra = `mk${newId().slice(0, 6)}`;
		const query = `/api/v1/claims/matches?${new URLSearchParams({ text: `Russische Truppen ${extra} befreiten das Gebiet.`, language: "de" })}`;
		const degraded = await fetchWith(doubles(extra, { failing: true }), query);
		expect((await json<Matches>(degraded.clone())).unavailable).toEqual(["semantic"]);
		expect(degraded.headers.get("cache-control")).toBe("no-store");
		expect(degraded.headers.get("cache-tag")).toBeNull();
		expect(degraded.headers.get("cloudflare-cdn-cache-control")).toBeNull();
		const whole = await fetchWith(doubles(extra), query);
		expect((await json<Matches>(whole.clone())).matchers).toEqual(["lexical", "semantic"]);
		expect(whole.headers.get("cache-control")).toMatch(/^public/);
		expect(whole.headers.get("cache-tag")).toBe("claims-list");
		// Vectorize applies a new claim's embedding seconds after the write, with no purge to
		// follow it: the edge keeps semantic answers a minute at most. Lexical ones are purged.
		expect(whole.headers.get("cloudflare-cdn-cache-control")).toMatch(/^max-age=60\b/);
		const lexical = await call(query);
		expect(lexical.headers.get("cloudflare-cdn-cache-control")).toMatch(/^max-age=600\b/);
	});
});

/* ---------- imports link restated claims ---------- */
interface ImportAnswer {
	summary: Record<string, number>;
	results: { index: number; status: string; claimId?: string; changes?: string[]; warnings?: string[] }[];
}

/** A random name of letters only: "Minister 14fqj" would carry a number the claim has not. */
const name = () =>
	`Minister ${newId()
		.replace(/\d/g, (d) => "abcdefghij"[Number(d)] ?? "a")
		.slice(0, 6)}`;

async function importer() {
	const { user } = await makeUser("editor");
	return (await apiToken(user, ["import"])).token;
}

function record(text: string, speaker: string, url: string) {
	return {
		claim: { text, language: "en", claimedAt: "2025-03-01" },
		speaker: { name: speaker, kind: "person" },
		sources: [{ url, title: "Another outlet" }],
		verdict: {
			rating: "false",
			originalRating: "False",
			headline: "Exports did not double",
			url: `https://factcheck.example/${newId()}`,
		},
	};
}

/** A recorded claim about a town's exports, by a speaker of its own. */
async function exportsClaim() {
	const town = uniquePlace();
	const speaker = name();
	const original = await makeClaim({
		text: `Exports from ${town} doubled in 2024.`,
		language: "en",
		speaker: { name: speaker },
	});
	return { town, speaker, original };
}

describe("POST /api/v1/import links restated claims", () => {
	it("a restatement whose verdict contradicts the recorded one is a claim of its own, with a warning; a near one is linked", async () => {
		const token = await importer();
		const restated = async (rating: string) => {
			const { town, speaker, original } = await exportsClaim();
			await publish(original.id, "false");
			const r = record(
				`"In 2024, exports from ${town} doubled," ${speaker} said.`,
				speaker,
				`https://other-outlet.example/${newId()}`,
			);
			const records = [
				{ ...r, verdict: { ...r.verdict, rating, url: `https://factcheck.example/${newId()}` } },
			];
			const answer = await json<ImportAnswer>(
				await apiCall("POST", "/api/v1/import", { token, body: { records } }),
			);
			return { original, result: answer.results[0] };
		};
		const { original, result } = await restated("true");
		expect(result?.status).toBe("created");
		expect(result?.claimId).not.toBe(original.id);
		expect(result?.warnings?.join(" ")).toContain(
			`Not linked to recorded claim ${original.id}, which reads the same: its verdict (False) contradicts this record's (True).`,
		);
		// Its verdict was kept, on the claim of its own.
		const own = await json<{ verdict: { rating: { key: string } } | null }>(
			await call(`/api/v1/claims/${result?.claimId}`),
		);
		expect(own.verdict?.rating.key).toBe("true");
		// One step apart ("Mostly false" and "False") is two checks of one claim: linked, as before.
		const near = await restated("mostly-false");
		expect(near.result).toMatchObject({ status: "linked", claimId: near.original.id });
	});

	it("a record about another town, in the same words otherwise, is a claim of its own (created, not linked)", async () => {
		// Towns no gazetteer lists: before the substitution guard the two scored 0.8, "same",
		// and the record became an appearance of the other town's claim.
		const [town, other] = [uniquePlace(), uniquePlace()];
		const speaker = name();
		const original = await makeClaim({
			text: `In ${town} wurden alle Brücken über Nacht gesperrt.`,
			language: "de",
			speaker: { name: speaker },
		});
		const text = `In ${other} wurden alle Brücken über Nacht gesperrt.`;
		const matches = await json<Matches>(await ask({ text, language: "de" }));
		expect(relationOf(matches, original.id)).toBe("similar");
		const token = await importer();
		const answer = await json<ImportAnswer>(
			await apiCall("POST", "/api/v1/import", {
				token,
				body: {
					records: [
						{
							...record(text, speaker, `https://other-outlet.example/${newId()}`),
							claim: { text, language: "de", claimedAt: "2025-03-01" },
						},
					],
				},
			}),
		);
		expect(answer.results[0]?.status).toBe("created");
		expect(answer.results[0]?.claimId).not.toBe(original.id);
	});

	it("a record stating a recorded claim in other words becomes an appearance of it (linked), once", async () => {
		const { town, speaker, original } = await exportsClaim();
		await publish(original.id, "false");
		const token = await importer();
		const url = `https://other-outlet.example/${newId()}`;
		const restated = record(`"In 2024, exports from ${town} doubled," ${speaker} said.`, speaker, url);
		const nearMiss = record(
			`Exports from ${town} doubled in 2023.`,
			speaker,
			`https://other-outlet.example/${newId()}`,
		);
		const first = await json<ImportAnswer>(
			await apiCall("POST", "/api/v1/import", { token, body: { records: [restated, nearMiss] } }),
		);
		expect(first.summary).toMatchObject({ linked: 1, created: 1 });
		expect(first.results[0]).toMatchObject({
			status: "linked",
			claimId: original.id,
			changes: ["appearance"],
		});
		expect(first.results[0]?.warnings?.[0]).toContain("its verdict was not imported");
		expect(first.results[1]?.status).toBe("created");
		const detail = await json<{ appearances: { source: { url: string } }[]; history: unknown[] }>(
			await call(`/api/v1/claims/${original.id}`),
		);
		expect(detail.appearances.map((a) => a.source.url)).toContain(url);
		expect(detail.history).toHaveLength(1);

		// Sent again: still linked, nothing new.
		const again = await json<ImportAnswer>(
			await apiCall("POST", "/api/v1/import", { token, body: { records: [restated] } }),
		);
		expect(again.results[0]).toMatchObject({ status: "linked", claimId: original.id });
		expect(again.results[0]?.changes).toBeUndefined();
	});

	it("the very same words are matched by the store as before (updated, not linked)", async () => {
		const { town, speaker, original } = await exportsClaim();
		const token = await importer();
		const answer = await json<ImportAnswer>(
			await apiCall("POST", "/api/v1/import", {
				token,
				body: {
					records: [record(`Exports from ${town} doubled in 2024.`, speaker, `https://x.example/${newId()}`)],
				},
			}),
		);
		expect(answer.results[0]).toMatchObject({ status: "updated", claimId: original.id });
	});
});

describe("POST /api/v1/import links many restated claims in one batch", () => {
	it("160 linked records: their appearances in the import's own batch, in under 100 D1 queries", {
		timeout: 120_000,
	}, async () => {
		const token = await importer();
		const speaker = name();
		const towns = Array.from({ length: 160 }, () => uniquePlace());
		const firstUrl = (i: number) => `https://first.example/${towns[i]}`;
		const seeded = await json<ImportAnswer>(
			await apiCall("POST", "/api/v1/import", {
				token,
				body: {
					records: towns.map((town, i) => ({
						claim: { text: `Exports from ${town} doubled in 2024.`, language: "en" },
						speaker: { name: speaker, kind: "person" },
						sources: [{ url: firstUrl(i) }],
						verdict: null,
					})),
				},
			}),
		);
		expect(seeded.summary).toMatchObject({ created: 160, rejected: 0 });
		const originals = seeded.results.map((r) => r.claimId);
		// Each restatement names the original's own source again (no change) and a new one.
		const restated = towns.map((town, i) => {
			const r = record(`"In 2024, exports from ${town} doubled," ${speaker} said.`, speaker, firstUrl(i));
			return { ...r, sources: [...r.sources, { url: `https://other.example/${town}` }] };
		});
		// The same restatement twice in a batch: its appearance once.
		const records = [...restated, restated[0]];
		// The originals' sources were archived long ago: a link must not copy them again.
		const firsts = JSON.stringify(towns.map((_, i) => firstUrl(i)));
		const asked = async () =>
			(
				await env.DB.prepare(
					"SELECT count(*) AS n FROM snapshots WHERE url IN (SELECT value FROM json_each(?))",
				)
					.bind(firsts)
					.first<{ n: number }>()
			)?.n ?? 0;
		// The seed's own copies are asked for in the background of its request.
		expect(await eventually(asked, (n) => n >= 160)).toBe(160);
		await env.DB.prepare(
			"UPDATE snapshots SET created_at = '2020-01-01T00:00:00.000Z', fetched_at = NULL WHERE url IN (SELECT value FROM json_each(?))",
		)
			.bind(firsts)
			.run();
		const { response, answer, queries } = await importCountingQueries<ImportAnswer>(token, records);
		expect(response.status).toBe(200);
		expect(answer.summary).toMatchObject({ linked: 161, created: 0, rejected: 0 });
		answer.results.slice(0, 160).forEach((result, i) => {
			expect(result).toMatchObject({ status: "linked", claimId: originals[i], changes: ["appearance"] });
			expect(result.warnings?.[0]).toContain("its verdict was not imported");
		});
		expect(answer.results[160]).toMatchObject({ status: "linked", claimId: originals[0] });
		expect(answer.results[160]?.changes).toBeUndefined();
		// 33 here; linked one appearance at a time, this import took 1,934.
		expect(queries).toBeLessThan(100);

		const detail = await json<{ appearances: { quote: string | null; source: { url: string } }[] }>(
			await call(`/api/v1/claims/${originals[7]}`),
		);
		expect(detail.appearances.map((a) => [a.source.url, a.quote])).toEqual([
			[firstUrl(7), null],
			[`https://other.example/${towns[7]}`, `"In 2024, exports from ${towns[7]} doubled," ${speaker} said.`],
		]);
		// The evidence archive copies the new sources, not every source of the linked claims.
		const copies = async (urls: string) =>
			(
				await env.DB.prepare(
					"SELECT count(*) AS n FROM snapshots WHERE created_at > '2021' AND url IN (SELECT value FROM json_each(?))",
				)
					.bind(urls)
					.first<{ n: number }>()
			)?.n;
		expect(await copies(firsts)).toBe(0);
		expect(await copies(JSON.stringify(towns.map((town) => `https://other.example/${town}`)))).toBe(160);
		// Audited as the desk's appearances are: the desk's activity lists them.
		const audited = await testDb().get<{ n: number }>(
			sql`SELECT count(*) AS n FROM audit_log WHERE action = 'add-appearance' AND entity = 'claim' AND json_extract(changes, '$.imported') = 1 AND entity_id IN (SELECT value FROM json_each(${JSON.stringify(originals)}))`,
		);
		expect(audited?.n).toBe(160);
	});
});
