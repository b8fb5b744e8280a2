import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { SYSTEM } from "../../src/store/batch";
import { mergeSpeakers } from "../../src/store/speaker-edits";
import { createSpeaker, getSpeakerBySlug } from "../../src/store/speakers";
import { account, apiCall, apiToken, claimForm, deskGet, deskPost, post } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { BASE, call, eventually, fetchWith, freshIp, json, racingD1, testDb } from "../helpers";

interface SpeakerJson {
	slug: string;
	name: string;
	version: number;
	aliases: string[];
	scorecard: { published: number; claims: number };
}

async function editorToken() {
	const editor = await account("editor");
	return (await apiToken(editor.user, ["claims:write"])).token;
}

describe("speakers: edit and merge", () => {
	it("edits a speaker at a version; an outdated version is a 409; checkers may not", async () => {
		const token = await editorToken();
		const claim = await makeClaim({ speaker: { name: `Pat Example ${newId()}` } });
		const slug = claim.speaker?.slug ?? "";
		const before = await json<SpeakerJson>(await call(`/api/v1/speakers/${slug}`));
		const body = {
			version: before.version,
			name: `Patricia Example ${newId()}`,
			kind: "person",
			aliases: ["P. Example"],
		};
		const edited = await apiCall("PATCH", `/api/v1/speakers/${slug}`, { token, body });
		expect(edited.status, await edited.clone().text()).toBe(200);
		const after = await json<SpeakerJson>(await call(`/api/v1/speakers/${slug}`));
		expect(after.name).toBe(body.name);
		expect(after.aliases).toContain("P. Example");
		expect((await apiCall("PATCH", `/api/v1/speakers/${slug}`, { token, body })).status).toBe(409);
		const checker = await account("checker");
		const checkerToken = (await apiToken(checker.user, ["claims:write"])).token;
		expect(
			(
				await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
					token: checkerToken,
					body: { ...body, version: after.version },
				})
			).status,
		).toBe(403);
	});

	it("changes only the fields a PATCH sends; null clears the description or the Wikidata id", async () => {
		const token = await editorToken();
		const tag = newId();
		const claim = await makeClaim({
			speaker: {
				name: `Org ${tag}`,
				kind: "organization",
				description: "A ministry",
				wikidataId: "Q123",
				aliases: [`Alias A ${tag}`, `Alias B ${tag}`],
			},
		});
		const slug = claim.speaker?.slug ?? "";
		type Full = SpeakerJson & { kind: string; description: string | null; wikidataId: string | null };
		const read = await json<Full>(await call(`/api/v1/speakers/${slug}`));
		const patched = await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
			token,
			body: { version: read.version, description: "new desc" },
		});
		expect(patched.status, await patched.clone().text()).toBe(200);
		const kept = {
			name: `Org ${tag}`,
			kind: "organization",
			wikidataId: "Q123",
			aliases: [`Alias A ${tag}`, `Alias B ${tag}`],
		};
		expect(await json(patched)).toMatchObject({
			...kept,
			description: "new desc",
			version: read.version + 1,
		});
		expect(await json(await call(`/api/v1/speakers/${slug}`))).toMatchObject({
			...kept,
			description: "new desc",
		});
		// The aliases still find the speaker's claims.
		const found = await json<{ data: { id: string }[] }>(
			await call(`/api/v1/claims?q=${encodeURIComponent(`"Alias B ${tag}"`)}`),
		);
		expect(found.data.map((c) => c.id)).toContain(claim.id);
		// null clears; a list sent replaces the stored one.
		const cleared = await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
			token,
			body: { version: read.version + 1, wikidataId: null, description: null, aliases: [`Alias C ${tag}`] },
		});
		expect(cleared.status, await cleared.clone().text()).toBe(200);
		expect(await json(cleared)).toMatchObject({
			name: `Org ${tag}`,
			kind: "organization",
			description: null,
			wikidataId: null,
			aliases: [`Alias C ${tag}`],
		});
	});

	it("merges: claims move, the old name becomes an alias, the old slug answers 301, scorecards recount", async () => {
		const token = await editorToken();
		const tag = newId();
		const a = await makeClaim({ speaker: { name: `Alex Doublename ${tag}` } });
		const b = await makeClaim({ speaker: { name: `Alexander Doublename ${tag}` } });
		await publish(a.id, "false");
		await publish(b.id, "true");
		const fromSlug = a.speaker?.slug ?? "";
		const intoSlug = b.speaker?.slug ?? "";
		const read = await json<SpeakerJson>(await call(`/api/v1/speakers/${intoSlug}`));
		const merged = await apiCall("POST", `/api/v1/speakers/${fromSlug}/merge`, {
			token,
			body: { into: intoSlug },
		});
		expect(merged.status, await merged.clone().text()).toBe(200);
		const survivor = await json<SpeakerJson>(await call(`/api/v1/speakers/${intoSlug}`));
		expect(survivor.aliases).toContain(`Alex Doublename ${tag}`);
		// The survivor changed: an edit from a form read before the merge would drop the merged
		// spellings, so it is a 409.
		expect(survivor.version).toBe(read.version + 1);
		const stale = await apiCall("PATCH", `/api/v1/speakers/${intoSlug}`, {
			token,
			body: { version: read.version, name: read.name, kind: "person", aliases: read.aliases },
		});
		expect(stale.status).toBe(409);
		await stale.body?.cancel();
		expect((await json<SpeakerJson>(await call(`/api/v1/speakers/${intoSlug}`))).aliases).toContain(
			`Alex Doublename ${tag}`,
		);
		expect(survivor.scorecard).toMatchObject({ published: 2, claims: 2 });
		const moved = await json<{ speaker: { slug: string } }>(await call(`/api/v1/claims/${a.id}`));
		expect(moved.speaker.slug).toBe(intoSlug);
		const page = await call(`/speakers/${fromSlug}?lang=en`, { redirect: "manual" });
		expect(page.status).toBe(301);
		expect(page.headers.get("location")).toBe(`/speakers/${intoSlug}?lang=en`);
		const api = await call(`/api/v1/speakers/${fromSlug}?lang=de`, { redirect: "manual" });
		expect(api.status).toBe(301);
		expect(api.headers.get("location")).toBe(`/api/v1/speakers/${intoSlug}?lang=de`);
		// The old name still finds the claims.
		const found = await json<{ data: { id: string }[] }>(
			await call(`/api/v1/claims?q=${encodeURIComponent(`"Alex Doublename ${tag}"`)}`),
		);
		expect(found.data.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
		// So does the old slug, where a list or the matcher is narrowed to it.
		const listed = await json<{ data: { id: string }[] }>(await call(`/api/v1/claims?speaker=${fromSlug}`));
		expect(listed.data.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
		const matched = await json<{ data: { claim: { id: string } }[] }>(
			await call(
				`/api/v1/claims/matches?${new URLSearchParams({ text: a.text, language: a.language, speaker: fromSlug })}`,
			),
		);
		expect(matched.data[0]?.claim.id).toBe(a.id);
		const audit = await call(`/api/v1/speakers/${intoSlug}`);
		expect(audit.status).toBe(200);
		// Someone new of the old name gets a slug of their own: the old one goes on forwarding.
		const namesake = await createSpeaker(testDb(), SYSTEM("test"), {
			name: `Alex Doublename ${tag}`,
			kind: "person",
			description: null,
			wikidataId: null,
			aliases: [],
		});
		expect(namesake.slug).toBe(`${fromSlug}-2`);
		const still = await call(`/speakers/${fromSlug}?lang=en`, { redirect: "manual" });
		expect(still.headers.get("location")).toBe(`/speakers/${intoSlug}?lang=en`);
	});

	it("keeps every spelling through merges: the survivor of two 60-alias speakers can be edited", async () => {
		const token = await editorToken();
		const tag = newId();
		const spellings = (who: string) => Array.from({ length: 60 }, (_, i) => `${who} spelling ${i} ${tag}`);
		const a = await makeClaim({ speaker: { name: `Sergej Many ${tag}`, aliases: spellings("Sergej") } });
		const b = await makeClaim({ speaker: { name: `Sergei Many ${tag}`, aliases: spellings("Sergei") } });
		const intoSlug = b.speaker?.slug ?? "";
		const merged = await apiCall("POST", `/api/v1/speakers/${a.speaker?.slug}/merge`, {
			token,
			body: { into: intoSlug },
		});
		expect(merged.status, await merged.clone().text()).toBe(200);
		const survivor = await json<SpeakerJson>(await call(`/api/v1/speakers/${intoSlug}`));
		expect(survivor.aliases).toHaveLength(121);
		// Saving the survivor with all its spellings and one more: 123 alias rows, 4 parameters each.
		const edited = await apiCall("PATCH", `/api/v1/speakers/${intoSlug}`, {
			token,
			body: {
				version: survivor.version,
				name: survivor.name,
				kind: "person",
				description: "Merged from two records.",
				aliases: [...survivor.aliases, `S. Many ${tag}`],
			},
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		const after = await json<SpeakerJson>(await call(`/api/v1/speakers/${intoSlug}`));
		expect(after.aliases).toHaveLength(122);
		expect(after.aliases).toContain(`S. Many ${tag}`);
		expect(after.aliases).toContain(`Sergej spelling 59 ${tag}`);
	});

	it("an edit rewrites the search index only for what changed", { timeout: 60_000 }, async () => {
		const token = await editorToken();
		const tag = newId();
		const first = await makeClaim({
			speaker: {
				name: `Vielzitiert ${tag}`,
				aliases: Array.from({ length: 10 }, (_, i) => `Schreibung ${i} ${tag}`),
			},
		});
		const slug = first.speaker?.slug ?? "";
		await env.DB.prepare(
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 199)
			 INSERT INTO claims (id, text, language, status, fingerprint, speaker_id)
			 SELECT printf('%s%03d', substr(?1, 1, 11), i), 'Aussage ' || i || ' ' || ?1, 'de', 'unverified', ?1 || i, ?2 FROM n`,
		)
			.bind(tag, first.speakerId)
			.run();
		/** Rows written by the edit, triggers included (each index entry rewritten counts). */
		const written = async (body: Record<string, unknown>) => {
			const before = await env.DB.prepare("SELECT total_changes() AS n").first<number>("n");
			// Purges through doubles, as by tag in production: here each of the 200 claims' cached
			// URLs would be deleted one by one.
			const { response: edited, settled } = await fetchWith(
				env.DB,
				`/api/v1/speakers/${slug}`,
				{
					method: "PATCH",
					headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
					body: JSON.stringify(body),
				},
				true,
			);
			expect(edited.status, await edited.clone().text()).toBe(200);
			await settled();
			const after = await env.DB.prepare("SELECT total_changes() AS n").first<number>("n");
			return (after ?? 0) - (before ?? 0);
		};
		/** Saves the speaker as it is now with a description, and with `more` spellings. */
		const save = async (more: string[] = []) => {
			const now = await json<SpeakerJson>(await call(`/api/v1/speakers/${slug}`));
			return written({
				version: now.version,
				name: now.name,
				kind: "person",
				description: "Außenminister",
				aliases: [...now.aliases, ...more],
			});
		};
		// The description shows on each claim's page and ClaimReview: each of the 200 claims'
		// last public change is dated (a row each, domain/public-change), but no claim's index
		// entry is rewritten (they were rewritten 23 times each before: 28,565 rows).
		const described = await save();
		expect(described).toBeGreaterThanOrEqual(200);
		expect(described).toBeLessThan(250);
		// Saved as it is: the speaker, audit and request bookkeeping rows only.
		expect(await save()).toBeLessThan(50);
		const oneMore = await save([`Neue Schreibung ${tag}`]);
		// One alias row, and each of the 200 claims' entries rewritten once (28,565 rows before).
		expect(oneMore).toBeGreaterThanOrEqual(200);
		expect(oneMore).toBeLessThan(2_000);
		const after = await json<SpeakerJson>(await call(`/api/v1/speakers/${slug}`));
		expect(after.aliases).toContain(`Neue Schreibung ${tag}`);
		expect(after.aliases).toHaveLength(11);
		// The new spelling finds the speaker's claims.
		const finds = async (spelling: string) =>
			(
				await json<{ data: unknown[] }>(
					await call(`/api/v1/claims?q=${encodeURIComponent(`"${spelling}"`)}&limit=100`),
				)
			).data.length;
		expect(await finds(`Neue Schreibung ${tag}`)).toBe(100);
		// Ten spellings at once: each claim's entry rewritten once, as for one (1,269 rows
		// measured against 1,247 for one), not once per spelling (12,873 rows before 0017).
		const ten = Array.from({ length: 10 }, (_, i) => `Zehnte Form ${i} ${tag}`);
		const tenMore = await save(ten);
		expect(tenMore).toBeGreaterThanOrEqual(200);
		expect(tenMore).toBeLessThan(2_000);
		expect(await finds(`Zehnte Form 7 ${tag}`)).toBe(100);
		// A spelling taken out no longer finds them.
		const now = await json<SpeakerJson>(await call(`/api/v1/speakers/${slug}`));
		const removed = await written({
			version: now.version,
			name: now.name,
			kind: "person",
			description: "Außenminister",
			aliases: now.aliases.filter((alias) => !alias.startsWith("Zehnte Form")),
		});
		expect(removed).toBeLessThan(2_000);
		expect(await finds(`Zehnte Form 7 ${tag}`)).toBe(0);
		expect(await finds(`Neue Schreibung ${tag}`)).toBe(100);
	});

	it("an edit that meets a spelling added meanwhile is a version conflict, not a duplicate", async () => {
		const token = await editorToken();
		const claim = await makeClaim({ speaker: { name: `Kim Raceway ${newId()}` } });
		const slug = claim.speaker?.slug ?? "";
		const speakerId = claim.speaker?.id ?? "";
		const before = await json<SpeakerJson>(await call(`/api/v1/speakers/${slug}`));
		// Between the edit's reads and its batch, an import gives the speaker the same spelling.
		const { response } = await fetchWith(
			racingD1(/^update "speakers"/i, () =>
				env.DB.prepare(
					"INSERT INTO speaker_aliases (id, speaker_id, alias, normalized) VALUES (?, ?, 'K. Raceway', 'k raceway')",
				)
					.bind(newId(), speakerId)
					.run(),
			),
			`/api/v1/speakers/${slug}`,
			{
				method: "PATCH",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({
					version: before.version,
					name: before.name,
					kind: "person",
					aliases: ["K. Raceway"],
				}),
			},
		);
		// The speaker changed under the edit: re-read and try again (not "this record already exists").
		expect(response.status, await response.clone().text()).toBe(409);
		expect(response.headers.get("Content-Type")).toContain("application/problem+json");
		expect(await json(response)).toMatchObject({
			type: "urn:claimtrack:problem:version-conflict",
			current: { version: before.version },
		});
		// Read again, the edit goes through.
		const now = await json<SpeakerJson>(await call(`/api/v1/speakers/${slug}`));
		expect(now.aliases).toContain("K. Raceway");
		const again = await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
			token,
			body: { version: now.version, name: now.name, kind: "person", aliases: ["K. Raceway", "Kim R."] },
		});
		expect(again.status).toBe(200);
	});

	it("saving a speaker as it was read writes nothing and tells no subscriber", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const token = (await apiToken(admin.user, ["webhooks:manage", "claims:write"])).token;
		const hook = await apiCall("POST", "/api/v1/webhooks", {
			token,
			body: { url: `https://hooks.example/ok/${newId()}`, events: ["speaker.updated"] },
		});
		expect(hook.status, await hook.clone().text()).toBe(201);
		const hookId = (await json<{ id: string }>(hook)).id;
		const tag = newId();
		const claim = await makeClaim({
			speaker: {
				name: `Unverändert ${tag}`,
				kind: "person",
				description: "Sprecherin",
				wikidataId: "Q4242",
				aliases: [`U. Verändert ${tag}`, `Unveraendert ${tag}`],
			},
		});
		const slug = claim.speaker?.slug ?? "";
		const speakerId = claim.speaker?.id ?? "";
		const stored = () =>
			env.DB.prepare(
				"SELECT version, updated_at AS updatedAt, (SELECT count(*) FROM audit_log WHERE entity = 'speaker' AND entity_id = ?1) AS audits FROM speakers WHERE id = ?1",
			)
				.bind(speakerId)
				.first();
		const deliveries = async () =>
			(
				await env.DB.prepare(
					"SELECT event_type AS type, payload FROM webhook_deliveries WHERE webhook_id = ?",
				)
					.bind(hookId)
					.all<{ type: string; payload: string }>()
			).results;
		const read = await json<SpeakerJson & Record<string, unknown>>(await call(`/api/v1/speakers/${slug}`));
		const before = await stored();
		const { slug: _slug, url: _url, version, ...fields } = read;
		const same = await apiCall("PATCH", `/api/v1/speakers/${slug}`, { token, body: { version, ...fields } });
		expect(same.status, await same.clone().text()).toBe(200);
		expect((await json<SpeakerJson>(same)).version).toBe(read.version);
		expect(await stored()).toEqual(before);
		// A real change afterwards is one delivery: the save before it made none.
		const renamed = await apiCall("PATCH", `/api/v1/speakers/${slug}`, {
			token,
			body: { version, ...fields, description: "Ministerin" },
		});
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		expect((await json<SpeakerJson>(renamed)).version).toBe(read.version + 1);
		const description = (row: { payload: string }) => JSON.parse(row.payload).data.speaker.description;
		// Only this speaker's: the subscription hears every other test's speakers too.
		const ours = (rows: { payload: string }[]) =>
			rows.filter((row) => JSON.parse(row.payload).data.speaker?.slug === slug);
		const rows = await eventually(deliveries, (r) =>
			ours(r).some((row) => description(row) === "Ministerin"),
		);
		expect(ours(rows).map(description)).toEqual(["Ministerin"]);
	});

	it("refuses to merge a speaker into itself or into nobody", async () => {
		const token = await editorToken();
		const claim = await makeClaim();
		const slug = claim.speaker?.slug ?? "";
		expect(
			(await apiCall("POST", `/api/v1/speakers/${slug}/merge`, { token, body: { into: slug } })).status,
		).toBe(422);
		expect(
			(
				await apiCall("POST", `/api/v1/speakers/${slug}/merge`, {
					token,
					body: { into: `nobody-${newId()}` },
				})
			).status,
		).toBe(422);
	});
});

describe("a name two speakers share", () => {
	const speakersNamed = async (name: string) =>
		(
			await env.DB.prepare("SELECT id FROM speakers WHERE name = ?").bind(name).all<{ id: string }>()
		).results.map((row) => row.id);
	const claimBody = (speaker: unknown) => ({
		text: `Statement ${newId()} about the port`,
		language: "de",
		speaker,
		source: { url: `https://news.example/${newId()}` },
	});

	it("is a 409 speaker-ambiguous naming both, not one more speaker, on create and edit", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const name = `Thomas Doppel ${newId()}`;
		const first = await makeClaim({ speaker: { name } });
		const base = { kind: "person" as const, description: null, wikidataId: null, aliases: [] };
		const second = await createSpeaker(testDb(), SYSTEM("test"), { ...base, name });
		for (let i = 0; i < 2; i++) {
			const refused = await apiCall("POST", "/api/v1/claims", { token, body: claimBody({ name }) });
			expect(refused.status, await refused.clone().text()).toBe(409);
			const problem = await json<{ type: string; candidates: { id: string; slug: string }[] }>(refused);
			expect(problem.type).toBe("urn:claimtrack:problem:speaker-ambiguous");
			expect(problem.candidates.map((c) => c.id).sort()).toEqual([first.speaker?.id, second.id].sort());
			expect(problem.candidates.map((c) => c.slug).sort()).toEqual([first.speaker?.slug, second.slug].sort());
		}
		expect((await speakersNamed(name)).length).toBe(2);
		// A claim edit naming them is asked the same.
		const claim = await json<{ version: number }>(await call(`/api/v1/claims/${first.id}`));
		const edit = await apiCall("PATCH", `/api/v1/claims/${first.id}`, {
			token,
			body: { version: claim.version, speaker: { name: `${name} ` } },
		});
		expect(edit.status, await edit.clone().text()).toBe(409);
		expect((await speakersNamed(name)).length).toBe(2);
		// The one meant, by id, is recorded.
		const chosen = await apiCall("POST", "/api/v1/claims", { token, body: claimBody({ id: second.id }) });
		expect(chosen.status, await chosen.clone().text()).toBe(201);
		expect((await json<{ speaker: { slug: string } }>(chosen)).speaker.slug).toBe(second.slug);
	});

	it("on the desk: a new speaker when chosen, a question for namesakes in German spelling", {
		timeout: 60_000,
	}, async () => {
		const checker = await account("checker");
		const tag = newId().replace(/[^a-z]/g, "");
		const name = `Jürgen Namesake ${tag}`;
		const base = { kind: "person" as const, description: null, wikidataId: null, aliases: [] };
		const a = await createSpeaker(testDb(), SYSTEM("test"), { ...base, name });
		await createSpeaker(testDb(), SYSTEM("test"), { ...base, name });
		const chosenNew = await deskPost(
			checker,
			"/desk/claims",
			claimForm({ "speaker.name": name, "speaker.choice": "new" }),
		);
		expect(chosenNew.status, await chosenNew.clone().text()).toBe(303);
		expect((await speakersNamed(name)).length).toBe(3);
		// "Juergen" finds the namesakes only in German spelling: asked which, not an error page.
		const asked = await deskPost(
			checker,
			"/desk/claims",
			claimForm({ "speaker.name": `Juergen Namesake ${tag}` }),
		);
		expect(asked.status).toBe(422);
		expect(await asked.text()).toContain(`value="${a.id}"`);
		expect((await speakersNamed(name)).length).toBe(3);
	});

	it("refuses an import record by that name with a reason, creating no speaker", {
		timeout: 60_000,
	}, async () => {
		const { user } = await account("editor");
		const { token } = await apiToken(user, ["import"]);
		const name = `Thomas Zwilling ${newId()}`;
		await makeClaim({ speaker: { name } });
		const base = { kind: "person" as const, description: null, wikidataId: null, aliases: [] };
		await createSpeaker(testDb(), SYSTEM("test"), { ...base, name });
		const record = {
			claim: { text: `Imported statement ${newId()}`, language: "de" },
			speaker: { name, kind: "person" },
			sources: [{ url: `https://news.example/${newId()}` }],
			verdict: null,
		};
		const response = await apiCall("POST", "/api/v1/import", { token, body: { records: [record] } });
		expect(response.status, await response.clone().text()).toBe(200);
		const answer = await json<{ results: { status: string; reason?: string }[] }>(response);
		expect(answer.results[0]?.status).toBe("rejected");
		expect(answer.results[0]?.reason).toContain("speaker");
		expect((await speakersNamed(name)).length).toBe(2);
	});
});

describe("a claim racing its speaker's merge", () => {
	it("is recorded under the survivor, and an edit naming the merged speaker too", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const tag = newId();
		const merged = await makeClaim({ speaker: { name: `Racing Merged ${tag}` } });
		const survivor = await makeClaim({ speaker: { name: `Racing Survivor ${tag}` } });
		const mergeAway = (slug: string) => () =>
			mergeSpeakers(testDb(), SYSTEM("test"), slug, survivor.speaker?.slug ?? "");
		// Between the claim's reads (the name found the merged speaker) and its batch.
		const { response } = await fetchWith(
			racingD1(/^insert into "claims"/i, mergeAway(merged.speaker?.slug ?? "")),
			"/api/v1/claims",
			{
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({
					text: `A racing statement ${newId()}`,
					language: "de",
					speaker: { name: `Racing Merged ${tag}` },
					source: { url: `https://news.example/${newId()}` },
				}),
			},
		);
		expect(response.status, await response.clone().text()).toBe(201);
		expect((await json<{ speaker: { slug: string } }>(response)).speaker.slug).toBe(survivor.speaker?.slug);
		// A claim's edit naming a speaker merged away meanwhile.
		const other = await makeClaim({ speaker: { name: `Racing Second ${tag}` } });
		const claim = await makeClaim();
		const edit = await fetchWith(
			racingD1(/^update "claims"/i, mergeAway(other.speaker?.slug ?? "")),
			`/api/v1/claims/${claim.id}`,
			{
				method: "PATCH",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ version: claim.version, speaker: { name: `Racing Second ${tag}` } }),
			},
		);
		expect(edit.response.status, await edit.response.clone().text()).toBe(200);
		expect((await json<{ speaker: { slug: string } }>(edit.response)).speaker.slug).toBe(
			survivor.speaker?.slug,
		);
		// By an id that is gone: its own 422, not a rule of the database.
		const third = await makeClaim({ speaker: { name: `Racing Third ${tag}` } });
		const gone = await fetchWith(
			racingD1(/^insert into "claims"/i, mergeAway(third.speaker?.slug ?? "")),
			"/api/v1/claims",
			{
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({
					text: `Another racing statement ${newId()}`,
					language: "de",
					speaker: { id: third.speaker?.id },
					source: { url: `https://news.example/${newId()}` },
				}),
			},
		);
		expect(gone.response.status).toBe(422);
		expect(await gone.response.text()).toContain("no speaker with this id");
	});
});

describe("a merge past the other names a speaker may have", () => {
	it("is refused, in the API and on the desk, naming how many to remove", { timeout: 60_000 }, async () => {
		const token = await editorToken();
		const tag = newId();
		const many = (who: string) => Array.from({ length: 150 }, (_, i) => `${who} Form ${i} ${tag}`);
		const base = { kind: "person" as const, description: null, wikidataId: null };
		const intoSpeaker = await createSpeaker(testDb(), SYSTEM("test"), {
			...base,
			name: `Kept Many ${tag}`,
			aliases: many("Kept"),
		});
		const fromSpeaker = await createSpeaker(testDb(), SYSTEM("test"), {
			...base,
			name: `Merged Many ${tag}`,
			aliases: many("Merged"),
		});
		// 150 + the merged one's name and its 150: 301 other names, past the 200 an edit may save.
		const refused = await apiCall("POST", `/api/v1/speakers/${fromSpeaker.slug}/merge`, {
			token,
			body: { into: intoSpeaker.slug },
		});
		expect(refused.status, await refused.clone().text()).toBe(422);
		expect(await refused.text()).toContain("remove 101");
		const editor = await account("editor");
		for (const lang of ["en", "de"] as const) {
			const desk = await post(
				`/desk/speakers/${fromSpeaker.slug}/merge?lang=${lang}`,
				{ _csrf: editor.csrf, into: intoSpeaker.slug, _idem: newToken(18) },
				{ cookie: editor.cookie, headers: { "Accept-Language": lang } },
			);
			expect(desk.status).toBe(422);
			const html = await desk.text();
			expect(html).toContain(lang === "en" ? "remove 101 of them first" : "Bitte zuerst 101 davon entfernen");
		}
		// Nothing merged: both still there.
		const kept = await getSpeakerBySlug(testDb(), intoSpeaker.slug);
		expect(kept?.aliases).toHaveLength(150);
		expect(await getSpeakerBySlug(testDb(), fromSpeaker.slug)).toBeDefined();
		// Fewer names: the merge goes through, and the survivor can still be edited.
		await env.DB.prepare(
			"DELETE FROM speaker_aliases WHERE speaker_id = ? AND alias GLOB 'Merged Form [0-9][0-9]*'",
		)
			.bind(fromSpeaker.id)
			.run();
		const merged = await apiCall("POST", `/api/v1/speakers/${fromSpeaker.slug}/merge`, {
			token,
			body: { into: intoSpeaker.slug },
		});
		expect(merged.status, await merged.clone().text()).toBe(200);
		const survivor = await json<{ version: number; aliases: string[] }>(merged);
		expect(survivor.aliases.length).toBeLessThanOrEqual(200);
		const saved = await apiCall("PATCH", `/api/v1/speakers/${intoSpeaker.slug}`, {
			token,
			body: { version: survivor.version, description: "Still editable", aliases: survivor.aliases },
		});
		expect(saved.status, await saved.clone().text()).toBe(200);
	});
});

describe("a speaker whose slug is a desk route's (/desk/speakers/search)", () => {
	it("a new one gets another slug; one that has it keeps its desk page beside the type-ahead", {
		timeout: 60_000,
	}, async () => {
		const editor = await account("editor");
		// "Search" makes `search`, the type-ahead's address on the desk.
		const created = await createSpeaker(testDb(), SYSTEM("test"), {
			name: "Search",
			kind: "organization",
			description: null,
			wikidataId: null,
			aliases: [],
		});
		expect(created.slug).not.toBe("search");
		const page = await deskGet(editor, `/desk/speakers/${created.slug}`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain(`action="/desk/speakers/${created.slug}/merge"`);
		// A deployment may have one already (made before `search` was reserved).
		const legacy = newId();
		await env.DB.prepare(
			"INSERT OR IGNORE INTO speakers (id, name, slug, kind) VALUES (?, 'Search', 'search', 'organization')",
		)
			.bind(legacy)
			.run();
		const html = { Accept: "text/html,application/xhtml+xml" };
		const own = await deskGet(editor, "/desk/speakers/search", html);
		expect(own.status).toBe(200);
		expect(own.headers.get("content-type")).toContain("text/html");
		expect(await own.text()).toContain('action="/desk/speakers/search/merge"');
		const saved = await deskGet(editor, "/desk/speakers/search?done=speaker-saved", html);
		expect(saved.headers.get("content-type")).toContain("text/html");
		// The type-ahead answers as before.
		const typeAhead = await deskGet(editor, `/desk/speakers/search?q=${encodeURIComponent(created.name)}`);
		expect(typeAhead.headers.get("content-type")).toContain("application/json");
		expect((await json<{ data: { id: string }[] }>(typeAhead)).data.map((s) => s.id)).toContain(created.id);
		// The database is shared with other files (route-access asks the type-ahead without `q`).
		await env.DB.prepare("DELETE FROM speakers WHERE id = ?").bind(legacy).run();
	});
});

describe("a merge racing another merge", () => {
	const speakerOf = async (name: string) => (await makeClaim({ speaker: { name } })).speaker?.slug ?? "";
	/** A merge of `slug` into `into` through the API, with `race` run just before its batch. */
	const mergeRacing = async (token: string, slug: string, into: string, race: () => Promise<unknown>) => {
		const { response } = await fetchWith(
			racingD1(/^insert into "speaker_redirects"/i, race),
			`/api/v1/speakers/${slug}/merge`,
			{
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ into }),
			},
		);
		return response;
	};
	const mergeAway = (slug: string, into: string) => () => mergeSpeakers(testDb(), SYSTEM("test"), slug, into);

	it("names where the speaker to merge into went, or where this one went: no rule of the database", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const tag = newId();
		const [a, b, c] = [
			await speakerOf(`Race Anna ${tag}`),
			await speakerOf(`Race Berta ${tag}`),
			await speakerOf(`Race Clara ${tag}`),
		];
		// B into A, while A was merged into B: nothing is left to merge.
		const back = await mergeRacing(token, b, a, mergeAway(a, b));
		expect(back.status, await back.clone().text()).toBe(409);
		expect(back.headers.get("Content-Type")).toContain("application/problem+json");
		expect(await json(back)).toMatchObject({
			type: "urn:claimtrack:problem:speaker-merged",
			detail: `Speaker ${a} was merged into this speaker meanwhile: nothing is left to merge.`,
			into: a,
			mergedInto: b,
		});
		expect((await getSpeakerBySlug(testDb(), b))?.aliases).toContain(`Race Anna ${tag}`);

		// B into D, while D was merged into C: merge into that one.
		const d = await speakerOf(`Race Dora ${tag}`);
		const on = await mergeRacing(token, b, d, mergeAway(d, c));
		expect(on.status, await on.clone().text()).toBe(409);
		expect(await json(on)).toMatchObject({
			type: "urn:claimtrack:problem:speaker-merged",
			detail: `Speaker ${d} was merged into ${c} meanwhile: merge into that one.`,
			into: d,
			mergedInto: c,
		});

		// B into C, while B itself was merged into E.
		const e = await speakerOf(`Race Emil ${tag}`);
		const self = await mergeRacing(token, b, c, mergeAway(b, e));
		expect(self.status, await self.clone().text()).toBe(409);
		expect(await json(self)).toMatchObject({ type: "urn:claimtrack:problem:speaker-merged", mergedInto: e });
		// Nothing of the failed merges was written: C's other name is D's alone, B is E's.
		expect((await getSpeakerBySlug(testDb(), c))?.aliases).toEqual([`Race Dora ${tag}`]);
		expect((await getSpeakerBySlug(testDb(), e))?.aliases.sort()).toEqual(
			[`Race Anna ${tag}`, `Race Berta ${tag}`].sort(),
		);
	});

	it("names where an old slug went when a merge names it, not 'no speaker with this slug'", async () => {
		const token = await editorToken();
		const tag = newId();
		const [a, b, c] = [
			await speakerOf(`Old Anna ${tag}`),
			await speakerOf(`Old Berta ${tag}`),
			await speakerOf(`Old Clara ${tag}`),
		];
		await mergeSpeakers(testDb(), SYSTEM("test"), a, c);
		const merge = (slug: string, into: string) =>
			call(`/api/v1/speakers/${slug}/merge`, {
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ into }),
			});
		// Into A's old slug: A is C now.
		const into = await merge(b, a);
		expect(into.status, await into.clone().text()).toBe(409);
		expect(await json(into)).toMatchObject({
			type: "urn:claimtrack:problem:speaker-merged",
			detail: `Speaker ${a} was merged into ${c}: merge into that one.`,
			into: a,
			mergedInto: c,
		});
		// Into its own survivor, by the old slug: nothing is left to merge.
		const self = await merge(c, a);
		expect(await json(self)).toMatchObject({
			detail: `Speaker ${a} was merged into this speaker already: nothing is left to merge.`,
		});
		// A's old slug merged into another: A is merged already.
		const from = await merge(a, b);
		expect(from.status).toBe(409);
		expect(await json(from)).toMatchObject({ type: "urn:claimtrack:problem:speaker-merged", mergedInto: c });
		// No speaker ever had the slug: as before.
		expect((await merge(b, `nobody-${tag}`)).status).toBe(422);
		expect((await merge(`nobody-${tag}`, b)).status).toBe(404);
	});

	it("an old slug of a speaker renamed (dropOldName) is no merge: speaker-renamed, on the API and the desk", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const tag = newId();
		const [a, b] = [await speakerOf(`Wrong Anna ${tag}`), await speakerOf(`Other Berta ${tag}`)];
		const read = await json<SpeakerJson>(await call(`/api/v1/speakers/${a}`));
		const renamed = await apiCall("PATCH", `/api/v1/speakers/${a}`, {
			token,
			body: { version: read.version, name: `Right Anna ${tag}`, dropOldName: true },
		});
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		const now = (await json<SpeakerJson>(renamed)).slug;
		expect(now).not.toBe(a);
		const merge = (slug: string, into: string) =>
			call(`/api/v1/speakers/${slug}/merge`, {
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ into }),
			});
		// Into its old slug: renamed, not merged.
		const into = await merge(b, a);
		expect(into.status, await into.clone().text()).toBe(409);
		expect(await json(into)).toMatchObject({
			type: "urn:claimtrack:problem:speaker-renamed",
			detail: `Speaker ${a} was renamed: its address is now ${now}. Nothing was merged: merge into that one.`,
			into: a,
			renamedTo: now,
		});
		// Its old slug merged into another.
		const from = await merge(a, b);
		expect(from.status).toBe(409);
		expect(await json(from)).toMatchObject({
			type: "urn:claimtrack:problem:speaker-renamed",
			renamedTo: now,
		});
		// The desk's merge form naming the old slug: the form again, filled in with the slug now.
		const editor = await account("editor");
		const page = await deskPost(editor, `/desk/speakers/${b}/merge`, { into: a });
		expect(page.status).toBe(409);
		const html = await page.text();
		expect(html).toContain(`Speaker ${a} was renamed: its address is now ${now}.`);
		expect(html).toContain(`value="${now}"`);
		// Renamed and then merged into B: merged, as before.
		await mergeSpeakers(testDb(), SYSTEM("test"), now, b);
		expect(await json(await merge(a, b))).toMatchObject({
			type: "urn:claimtrack:problem:speaker-merged",
			mergedInto: b,
		});
		// Nothing of the refused merges was written: B has none of Anna's names but those of the last.
		expect((await getSpeakerBySlug(testDb(), b))?.aliases).toEqual([`Right Anna ${tag}`]);
	});

	it("an edit sent to a renamed speaker's old address: renamed, nothing saved, the dropped name not offered again", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const tag = newId();
		const [a, b] = [await speakerOf(`Private Anna ${tag}`), await speakerOf(`Other Berta ${tag}`)];
		const read = await json<SpeakerJson>(await call(`/api/v1/speakers/${a}`));
		// Editor A opened the desk form of A; meanwhile B renamed it, dropping the name.
		const editor = await account("editor");
		expect((await deskGet(editor, `/desk/speakers/${a}`)).status).toBe(200);
		const renamed = await apiCall("PATCH", `/api/v1/speakers/${a}`, {
			token,
			body: { version: read.version, name: `Public Anna ${tag}`, dropOldName: true },
		});
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		const now = (await json<SpeakerJson>(renamed)).slug;
		const typed = {
			version: String(read.version),
			name: `Private Anna ${tag}`,
			kind: "person",
			description: "Typed by A",
			wikidataId: "",
			aliases: `A. Typed ${tag}`,
		};
		for (const [query, notice] of [
			["", `This speaker was renamed Public Anna ${tag} meanwhile: nothing was saved.`],
			[
				"?lang=de",
				`Dieser Sprecher wurde inzwischen in Public Anna ${tag} umbenannt: Nichts wurde gespeichert.`,
			],
		] as const) {
			const page = await deskPost(editor, `/desk/speakers/${a}${query}`, typed);
			expect(page.status).toBe(409);
			const html = await page.text();
			expect(html).toContain(notice);
			expect(html).not.toContain("merged");
			// Neither the dropped name nor anything typed is in the form to send again.
			expect(html).not.toContain(`Private Anna ${tag}`);
			expect(html).not.toContain(`A. Typed ${tag}`);
			expect(html).toContain(`value="Public Anna ${tag}"`);
		}
		const merge = await deskPost(editor, `/desk/speakers/${a}/merge`, { into: b });
		expect(merge.status).toBe(409);
		expect(await merge.text()).toContain(
			`This speaker was renamed Public Anna ${tag} meanwhile: nothing was merged.`,
		);
		const stored = await getSpeakerBySlug(testDb(), now);
		expect(stored?.aliases).toEqual([]);
		expect(stored?.description ?? null).toBeNull();
		expect((await getSpeakerBySlug(testDb(), b))?.aliases).toEqual([]);

		// The API's edit at the old slug answers as its merge does: renamed, or merged, not 404.
		const patch = (slug: string) =>
			apiCall("PATCH", `/api/v1/speakers/${slug}`, { token, body: { version: 1, description: "x" } });
		const old = await patch(a);
		expect(old.status, await old.clone().text()).toBe(409);
		expect(await json(old)).toMatchObject({ type: "urn:claimtrack:problem:speaker-renamed", renamedTo: now });
		await mergeSpeakers(testDb(), SYSTEM("test"), b, now);
		const gone = await patch(b);
		expect(gone.status, await gone.clone().text()).toBe(409);
		expect(await json(gone)).toMatchObject({
			type: "urn:claimtrack:problem:speaker-merged",
			mergedInto: now,
		});
		expect((await patch(`nobody-${tag}`)).status).toBe(404);
	});

	it("an edit losing to a merge of its speaker is speaker-merged, not a version conflict at the version sent", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const tag = newId();
		const [a, b] = [await speakerOf(`Edit Anna ${tag}`), await speakerOf(`Edit Berta ${tag}`)];
		const read = await json<SpeakerJson>(await call(`/api/v1/speakers/${a}`));
		const { response } = await fetchWith(
			racingD1(/^update "speakers"/i, mergeAway(a, b)),
			`/api/v1/speakers/${a}`,
			{
				method: "PATCH",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ version: read.version, name: `Edit Anne ${tag}` }),
			},
		);
		expect(response.status, await response.clone().text()).toBe(409);
		expect(await json(response)).toMatchObject({
			type: "urn:claimtrack:problem:speaker-merged",
			mergedInto: b,
		});
	});

	it("on the desk, a merge into a speaker merged into this one meanwhile shows this one's page, saying so", {
		timeout: 60_000,
	}, async () => {
		const editor = await account("editor");
		const tag = newId();
		/** The desk's merge form sent, with `race` run just before its batch. */
		const deskMerge = async (path: string, into: string, race: () => Promise<unknown>) => {
			const { response } = await fetchWith(racingD1(/^insert into "speaker_redirects"/i, race), path, {
				method: "POST",
				headers: {
					Cookie: editor.cookie,
					Origin: BASE,
					"CF-Connecting-IP": freshIp(),
					"Content-Type": "application/x-www-form-urlencoded",
				},
				body: new URLSearchParams({ _csrf: editor.csrf, into, _idem: newToken(18) }).toString(),
				redirect: "manual",
			});
			return { status: response.status, html: await response.text() };
		};
		const [a, b] = [await speakerOf(`Desk Race Anna ${tag}`), await speakerOf(`Desk Race Berta ${tag}`)];
		const back = await deskMerge(`/desk/speakers/${b}/merge?lang=de`, a, mergeAway(a, b));
		expect(back.status, back.html).toBe(409);
		expect(back.html).toContain(`Sprecher ${a} wurde inzwischen mit Desk Race Berta ${tag} zusammengeführt`);
		expect(back.html).toContain(`action="/desk/speakers/${b}/merge"`);
		// Merged into a third meanwhile: this page still, the merge form filled in with that one.
		const [c, d] = [await speakerOf(`Desk Race Clara ${tag}`), await speakerOf(`Desk Race Dora ${tag}`)];
		const on = await deskMerge(`/desk/speakers/${b}/merge`, d, mergeAway(d, c));
		expect(on.status, on.html).toBe(409);
		expect(on.html).toContain(
			`Speaker ${d} was merged into Desk Race Clara ${tag} meanwhile: nothing was merged.`,
		);
		expect(on.html).toContain(`action="/desk/speakers/${b}/merge"`);
		expect(on.html).toMatch(new RegExp(`<input[^>]*name="into"[^>]*value="${c}"`));
	});
});

describe("speakers named in another script", () => {
	it("each gets an address of its own (a mark of the name), not speaker-<n>", async () => {
		// Fresh names in Cyrillic, Hangul and Han: no letter folds to ASCII.
		const cyrillic = [...newId()].map((c) => String.fromCharCode(0x430 + (c.charCodeAt(0) % 32))).join("");
		const names = [`Лавров ${cyrillic}`, `최선희 ${cyrillic}`, `李强 ${cyrillic}`];
		const slugs: string[] = [];
		for (const name of names) {
			const claim = await makeClaim({ speaker: { name } });
			const slug = claim.speaker?.slug ?? "";
			expect(slug, name).toMatch(/^speaker-[0-9a-f]{8}$/);
			expect((await call(`/speakers/${slug}`)).status).toBe(200);
			expect((await json<{ name: string }>(await call(`/api/v1/speakers/${slug}`))).name).toBe(name);
			slugs.push(slug);
		}
		expect(new Set(slugs).size).toBe(names.length);
	});

	it("keeps an address given before the mark when an edit drops no name, or renames within the script", async () => {
		const token = await editorToken();
		const cyrillic = () =>
			[...newId()].map((c) => String.fromCharCode(0x430 + (c.charCodeAt(0) % 32))).join("");
		const name = `Лавров ${cyrillic()}`;
		const claim = await makeClaim({ speaker: { name } });
		// As slugify's fallback numbered it before: an old stored row.
		const old = `speaker-${900_000 + Math.floor(Math.random() * 90_000)}`;
		await env.DB.prepare("UPDATE speakers SET slug = ? WHERE id = ?").bind(old, claim.speaker?.id).run();
		const edit = async (body: Record<string, unknown>) => {
			const read = await json<SpeakerJson>(await call(`/api/v1/speakers/${old}`));
			const response = await apiCall("PATCH", `/api/v1/speakers/${old}`, {
				token,
				body: { version: read.version, dropOldName: true, ...body },
			});
			expect(response.status, await response.clone().text()).toBe(200);
			return json<SpeakerJson>(response);
		};
		expect((await edit({ name, description: "Außenminister" })).slug).toBe(old);
		const renamed = `Сергей ${cyrillic()}`;
		const after = await edit({ name: renamed });
		expect([after.slug, after.name]).toEqual([old, renamed]);
	});
});
