import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { newId } from "../../src/domain/ids";
import { PURGE_AGAIN_SECONDS, purgeOnAnswer, retriedLater } from "../../src/lib/public-cache";
import { type PurgeOptions, purgeWorkersCache } from "../../src/lib/workers-caching";
import { archiveSnapshots } from "../../src/queues/snapshot-archive";
import { account, apiToken, makeUser } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { BASE, json, testDb, uniquePlace } from "../helpers";
import { type EdgeDouble, edgeDouble } from "./edge-double";

/**
 * Workers Caching's production path, with a test double at `ctx.cache` (neither
 * `wrangler dev` nor the vitest pool has it): each kind of write purges the tags of
 * what it changed, and only those.
 */

const edge = () => edgeDouble();
type Edge = EdgeDouble;

function sent(token: string, method: string, body?: unknown): RequestInit {
	return {
		method,
		headers: {
			Authorization: `Bearer ${token}`,
			...(body === undefined ? {} : { "Content-Type": "application/json" }),
		},
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
	};
}

/** An import record of a claim by `speaker`, with a published verdict or none. */
function importRecord(externalId: string, speaker: string, withVerdict: boolean) {
	return {
		externalId,
		claim: { text: `Der Hafen ${externalId} wurde 2024 eröffnet.`, language: "de", claimedAt: "2025-07-01" },
		speaker: { name: speaker, kind: "person" },
		sources: [{ url: `https://news.example/${externalId}`, title: "Artikel" }],
		verdict: withVerdict
			? {
					rating: "false",
					originalRating: "Falsch",
					headline: "Eröffnet wurde 2025",
					url: `https://checks.example/${externalId}`,
					publishedAt: "2025-07-02",
				}
			: null,
	};
}

async function editorToken() {
	const { user } = await makeUser("editor");
	return (await apiToken(user, ["claims:write", "verdicts:write", "verdicts:publish", "import"])).token;
}

const claimBody = (speaker: string) => ({
	text: `Die Brücke ${newId()} kostete 300 Millionen Euro.`,
	language: "de",
	claimedAt: "2025-07-12",
	speaker: { name: speaker, kind: "person" },
	source: { url: `https://news.example/${newId()}`, title: "Artikel", language: "de" },
});
const verdictBody = {
	rating: "false",
	headline: "Not so",
	evidence: [{ url: "https://e.example/r", title: "R" }],
	language: "en",
};

/** Tags of every purge a write caused, sorted (one write purges once). */
function purged(e: Edge): string[] {
	expect(e.purges.length).toBeLessThanOrEqual(1);
	return [...(e.purges[0]?.tags ?? [])].sort();
}

describe("Workers Caching: each write purges what it changed, and only that", () => {
	it("record, draft, save, publish, correct, retract, discard, edit, appearance", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		let e = edge();
		const created = await json<{ id: string; version: number; speaker: { slug: string } }>(
			await e.fetch("/api/v1/claims", sent(token, "POST", claimBody(`Anna Brücke ${newId()}`))),
		);
		const claim = `claim-${created.id}`;
		const speakerId = (
			await env.DB.prepare("SELECT speaker_id AS s FROM claims WHERE id = ?")
				.bind(created.id)
				.first<{ s: string }>()
		)?.s;
		const speaker = `speaker-${speakerId}`;
		expect(purged(e)).toEqual([claim, "claims-list", speaker].sort());

		e = edge();
		const draft = await json<{ id: string; version: number }>(
			await e.fetch(`/api/v1/claims/${created.id}/verdicts`, sent(token, "POST", verdictBody)),
		);
		// "unverified" → "in review": the claim, its speaker's page and the lists; no feed entry yet.
		expect(purged(e)).toEqual([claim, "claims-list", speaker].sort());

		e = edge();
		const saved = await json<{ version: number }>(
			await e.fetch(
				`/api/v1/verdicts/${draft.id}`,
				sent(token, "PUT", { ...verdictBody, headline: "Still not so", version: draft.version }),
			),
		);
		expect(e.purges).toEqual([]);

		e = edge();
		const published = await e.fetch(
			`/api/v1/verdicts/${draft.id}/publish`,
			sent(token, "POST", { version: saved.version }),
		);
		expect(published.status, await published.clone().text()).toBe(200);
		expect(purged(e)).toEqual([claim, "claims-list", "feed", speaker].sort());

		e = edge();
		const second = await json<{ id: string; version: number }>(
			await e.fetch(
				`/api/v1/claims/${created.id}/verdicts`,
				sent(token, "POST", { ...verdictBody, rating: "mostly-false" }),
			),
		);
		// A second draft over a published verdict: the claim says "in review"? No — it stays published,
		// but its answers list the open correction's existence nowhere; the event still names it.
		expect(purged(e)).toEqual([claim, "claims-list", speaker].sort());

		e = edge();
		await e.fetch(`/api/v1/verdicts/${second.id}`, sent(token, "DELETE", { version: second.version }));
		// Discarding a correction draft leaves the claim as it was: nothing to purge.
		expect(e.purges).toEqual([]);

		e = edge();
		const third = await json<{ id: string; version: number }>(
			await e.fetch(
				`/api/v1/claims/${created.id}/verdicts`,
				sent(token, "POST", { ...verdictBody, rating: "mostly-false" }),
			),
		);
		e = edge();
		const corrected = await json<{ version: number }>(
			await e.fetch(
				`/api/v1/verdicts/${third.id}/publish`,
				sent(token, "POST", { version: third.version, correctionNote: "A figure was wrong." }),
			),
		);
		expect(purged(e)).toEqual([claim, "claims-list", "feed", speaker].sort());

		e = edge();
		const retracted = await e.fetch(
			`/api/v1/verdicts/${third.id}/retract`,
			sent(token, "POST", { version: corrected.version, note: "Withdrawn." }),
		);
		expect(retracted.status, await retracted.clone().text()).toBe(200);
		expect(purged(e)).toEqual([claim, "claims-list", "feed", speaker].sort());

		e = edge();
		const current = await json<{ version: number }>(await e.fetch(`/api/v1/claims/${created.id}`));
		const edited = await e.fetch(
			`/api/v1/claims/${created.id}`,
			sent(token, "PATCH", { version: current.version, context: "Im Stadtrat", note: "Context added." }),
		);
		expect(edited.status, await edited.clone().text()).toBe(200);
		expect(purged(e)).toEqual([claim, "claims-list", "feed", speaker].sort());

		e = edge();
		const other = `Bernd Brücke ${newId()}`;
		const moved = await e.fetch(
			`/api/v1/claims/${created.id}`,
			sent(token, "PATCH", {
				version: current.version + 1,
				speaker: { name: other, kind: "person" },
				note: "Wrong person.",
			}),
		);
		expect(moved.status, await moved.clone().text()).toBe(200);
		const newSpeaker = `speaker-${(await env.DB.prepare("SELECT speaker_id AS s FROM claims WHERE id = ?").bind(created.id).first<{ s: string }>())?.s}`;
		// Both speakers' pages change: one loses the claim, the other gains it.
		expect(purged(e)).toEqual([claim, "claims-list", "feed", speaker, newSpeaker].sort());

		e = edge();
		const appeared = await e.fetch(
			`/api/v1/claims/${created.id}/appearances`,
			sent(token, "POST", {
				source: { url: `https://other.example/${newId()}`, title: "Nachdruck" },
				quote: null,
			}),
		);
		expect(appeared.status, await appeared.clone().text()).toBe(201);
		// A public change of a reviewed claim (its retraction stands): its feed entry is updated.
		expect(purged(e)).toEqual([claim, "claims-list", "feed"].sort());
	});

	it("speaker edit and merge purge both speakers and their claims' answers, by one tag each (and by name)", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const tag = newId();
		const a = await json<{ id: string; speaker: { slug: string } }>(
			await edge().fetch("/api/v1/claims", sent(token, "POST", claimBody(`Carla Zwilling ${tag}`))),
		);
		const b = await json<{ id: string; speaker: { slug: string } }>(
			await edge().fetch("/api/v1/claims", sent(token, "POST", claimBody(`Carlotta Zwilling ${tag}`))),
		);
		const ids = async (claimId: string) =>
			(
				await env.DB.prepare("SELECT speaker_id AS s FROM claims WHERE id = ?")
					.bind(claimId)
					.first<{ s: string }>()
			)?.s;
		const [fromId, intoId] = [await ids(a.id), await ids(b.id)];

		let e = edge();
		const speaker = await json<{ version: number }>(await e.fetch(`/api/v1/speakers/${a.speaker.slug}`));
		const renamed = await e.fetch(
			`/api/v1/speakers/${a.speaker.slug}`,
			sent(token, "PATCH", {
				version: speaker.version,
				name: `Carla Zwilling-Neu ${tag}`,
				kind: "person",
				aliases: [],
			}),
		);
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		expect(purged(e)).toEqual(
			[`claim-${a.id}`, "claims-list", "feed", `speaker-${fromId}`, `speaker-claims-${fromId}`].sort(),
		);
		const slug = (await json<{ slug: string }>(renamed)).slug;

		e = edge();
		const merged = await e.fetch(
			`/api/v1/speakers/${slug}/merge`,
			sent(token, "POST", { into: b.speaker.slug }),
		);
		expect(merged.status, await merged.clone().text()).toBe(200);
		expect(purged(e)).toEqual(
			[
				`claim-${a.id}`,
				"claims-list",
				"feed",
				`speaker-${fromId}`,
				`speaker-${intoId}`,
				`speaker-claims-${fromId}`,
				`speaker-claims-${intoId}`,
			].sort(),
		);
	});

	it("a speaker's rename or merge and a topic's rename are purged a second time 30 s later, by their covering tags", {
		timeout: 60_000,
	}, async () => {
		const { user } = await makeUser("editor");
		const token = (await apiToken(user, ["claims:write"])).token;
		const queued: { tags: string[]; delaySeconds: number }[] = [];
		const queue = {
			async send(body: { purgeAgain: string[] }, options: { delaySeconds: number }) {
				queued.push({ tags: [...body.purgeAgain].sort(), delaySeconds: options.delaySeconds });
			},
			sendBatch: async () => undefined,
		};
		const e = edgeDouble({ purgeQueue: queue });
		const mark = newId();
		const topic = `Hafen ${mark}`;
		const made = async (speaker: string) =>
			json<{ id: string; speaker: { slug: string } }>(
				await e.fetch("/api/v1/claims", sent(token, "POST", { ...claimBody(speaker), tags: [topic] })),
			);
		const [a, b] = [await made(`Wera Zweitlauf ${mark}`), await made(`Wilma Zweitlauf ${mark}`)];
		const speakerOf = async (claimId: string) =>
			(
				await env.DB.prepare("SELECT speaker_id AS s FROM claims WHERE id = ?")
					.bind(claimId)
					.first<{ s: string }>()
			)?.s ?? "";
		const [fromId, intoId] = [await speakerOf(a.id), await speakerOf(b.id)];
		const later = (at: number) => {
			const message = queued.slice(at);
			expect(message.map((m) => m.delaySeconds)).toEqual([30]);
			return message[0]?.tags;
		};

		let at = queued.length;
		const speaker = await json<{ version: number }>(await e.fetch(`/api/v1/speakers/${a.speaker.slug}`));
		const renamed = await e.fetch(
			`/api/v1/speakers/${a.speaker.slug}`,
			sent(token, "PATCH", {
				version: speaker.version,
				name: `Wera Neu ${mark}`,
				kind: "person",
				aliases: [],
			}),
		);
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		// The old name's answers, stored by a miss that read it just before the rename.
		expect(later(at)).toEqual(
			[`speaker-${fromId}`, `speaker-claims-${fromId}`, "claims-list", "feed"].sort(),
		);

		at = queued.length;
		const slug = (await json<{ slug: string }>(renamed)).slug;
		const merged = await e.fetch(
			`/api/v1/speakers/${slug}/merge`,
			sent(token, "POST", { into: b.speaker.slug }),
		);
		expect(merged.status, await merged.clone().text()).toBe(200);
		expect(later(at)).toEqual(
			[
				`speaker-${fromId}`,
				`speaker-${intoId}`,
				`speaker-claims-${fromId}`,
				`speaker-claims-${intoId}`,
				"claims-list",
				"feed",
			].sort(),
		);

		at = queued.length;
		const slugOfTopic = topic.toLowerCase().replace(" ", "-");
		const topicRenamed = await e.fetch(
			`/api/v1/tags/${slugOfTopic}`,
			sent(token, "PATCH", { nameEn: `Harbour ${mark}` }),
		);
		expect(topicRenamed.status, await topicRenamed.clone().text()).toBe(200);
		expect(later(at)).toEqual([`topic-${slugOfTopic}`, "claims-list", "feed"].sort());
	});

	it("a merge purges both claims, the lists and the duplicate's speaker; a removal its claim, the lists and its speaker", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const record = async () =>
			json<{ id: string; version: number }>(
				await edge().fetch("/api/v1/claims", sent(token, "POST", claimBody(`Dora Doppel ${newId()}`))),
			);
		const speakerOf = async (claimId: string) =>
			(
				await env.DB.prepare("SELECT speaker_id AS s FROM claims WHERE id = ?")
					.bind(claimId)
					.first<{ s: string }>()
			)?.s;
		const [kept, duplicate, mistake] = [await record(), await record(), await record()];
		const [duplicateSpeaker, mistakeSpeaker] = [await speakerOf(duplicate.id), await speakerOf(mistake.id)];

		let e = edge();
		const merged = await e.fetch(
			`/api/v1/claims/${duplicate.id}/merge`,
			sent(token, "POST", { into: kept.id, version: duplicate.version, note: "Twice." }),
		);
		expect(merged.status, await merged.clone().text()).toBe(200);
		// No feed: a duplicate never had a public verdict, and the feed shows no sources or topics.
		expect(purged(e)).toEqual(
			[`claim-${kept.id}`, `claim-${duplicate.id}`, "claims-list", `speaker-${duplicateSpeaker}`].sort(),
		);

		e = edge();
		const removed = await e.fetch(
			`/api/v1/claims/${mistake.id}`,
			sent(token, "DELETE", { version: mistake.version, reason: "Not a claim." }),
		);
		expect(removed.status, await removed.clone().text()).toBe(200);
		expect(purged(e)).toEqual([`claim-${mistake.id}`, "claims-list", `speaker-${mistakeSpeaker}`].sort());
	});

	it("a speaker with 120 claims is renamed with a purge of four tags, not of everything", {
		timeout: 90_000,
	}, async () => {
		const token = await editorToken();
		const name = `Hafenmeisterin ${uniquePlace()}`;
		const records = Array.from({ length: 120 }, () => importRecord(`many-${newId()}`, name, true));
		const imported = await edge().fetch("/api/v1/import", sent(token, "POST", { records }));
		expect(imported.status, await imported.clone().text()).toBe(200);
		const [first] = (await json<{ results: { claimId: string }[] }>(imported)).results;
		const row = await env.DB.prepare(
			"SELECT s.id, s.slug, s.version FROM claims c JOIN speakers s ON s.id = c.speaker_id WHERE c.id = ?",
		)
			.bind(first?.claimId)
			.first<{ id: string; slug: string; version: number }>();
		const e = edge();
		const renamed = await e.fetch(
			`/api/v1/speakers/${row?.slug}`,
			sent(token, "PATCH", { version: row?.version, name: `${name} II`, kind: "person", aliases: [] }),
		);
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		// One tag per claim was 122 tags: past a purge's 100, so everything was purged (while
		// they fit, the claims are named too).
		expect(e.purges).toEqual([
			{ tags: [`speaker-claims-${row?.id}`, `speaker-${row?.id}`, "claims-list", "feed"] },
		]);
	});

	it("an import batch purges its claims and speakers; a large one purges everything in one operation", {
		timeout: 90_000,
	}, async () => {
		const token = await editorToken();
		const record = (externalId: string) => importRecord(externalId, `Hafenmeister ${externalId}`, true);
		let e = edge();
		const small = await e.fetch(
			"/api/v1/import",
			sent(token, "POST", { records: [record(`imp-${newId()}`)] }),
		);
		expect(small.status, await small.clone().text()).toBe(200);
		const [result] = (await json<{ results: { claimId: string }[] }>(small)).results;
		const speakerId = (
			await env.DB.prepare("SELECT speaker_id AS s FROM claims WHERE id = ?")
				.bind(result?.claimId)
				.first<{ s: string }>()
		)?.s;
		expect(purged(e)).toEqual(
			[`claim-${result?.claimId}`, "claims-list", "feed", `speaker-${speakerId}`].sort(),
		);

		e = edge();
		const many = Array.from({ length: 60 }, () => record(`imp-${newId()}`));
		const large = await e.fetch("/api/v1/import", sent(token, "POST", { records: many }));
		expect(large.status, await large.clone().text()).toBe(200);
		expect(e.purges).toEqual([{ purgeEverything: true }]);
	});

	it("an import that only gives a known speaker a new alias purges that speaker and the lists", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const name = uniquePlace();
		const externalId = `alias-${newId()}`;
		const record = (speaker: string) => importRecord(externalId, speaker, false);
		const first = await edge().fetch(
			"/api/v1/import",
			sent(token, "POST", { records: [record(`Sergei ${name}`)] }),
		);
		expect(first.status, await first.clone().text()).toBe(200);
		const [created] = (await json<{ results: { claimId: string }[] }>(first)).results;
		const speakerRow = await env.DB.prepare(
			"SELECT s.id, s.slug FROM claims c JOIN speakers s ON s.id = c.speaker_id WHERE c.id = ?",
		)
			.bind(created?.claimId)
			.first<{ id: string; slug: string }>();
		const speakerId = speakerRow?.id;

		const e = edge();
		const again = await e.fetch(
			"/api/v1/import",
			sent(token, "POST", { records: [record(`Sergej ${name}`)] }),
		);
		expect(again.status, await again.clone().text()).toBe(200);
		const [result] = (await json<{ results: { status: string; changes?: string[] }[] }>(again)).results;
		expect(result).toMatchObject({ status: "updated", changes: ["speaker-alias"] });
		// The alias shows on the speaker's page and JSON, in the speaker list and in search.
		expect(purged(e)).toEqual([`speaker-${speakerId}`, "claims-list"].sort());
		const speaker = await json<{ aliases: string[] }>(await e.fetch(`/api/v1/speakers/${speakerRow?.slug}`));
		expect(speaker.aliases).toEqual([`Sergej ${name}`]);
	});

	it("a read pinned to its own D1 session by a bookmark is private and untagged", async () => {
		const e = edge();
		const response = await e.fetch("/api/v1/claims?limit=1", { headers: { "X-D1-Bookmark": "bookmark-1" } });
		await response.arrayBuffer();
		expect(response.headers.get("cache-control")).toMatch(/no-store/);
		expect(response.headers.get("cache-control")).not.toMatch(/public/);
		expect(response.headers.get("cache-tag")).toBeNull();
		expect(response.headers.get("cloudflare-cdn-cache-control")).toBeNull();
		// A bookmark that is no bookmark is ignored for the read, and the answer is still private.
		for (const bookmark of ["not a bookmark!", "x".repeat(300), "'; DROP TABLE claims; --"]) {
			const odd = await e.fetch("/api/v1/claims?limit=1", { headers: { "X-D1-Bookmark": bookmark } });
			expect(odd.status, bookmark).toBe(200);
			await odd.arrayBuffer();
			expect(odd.headers.get("cache-control"), bookmark).toMatch(/no-store/);
		}
		const unpinned = await e.fetch("/api/v1/claims?limit=1");
		await unpinned.arrayBuffer();
		expect(unpinned.headers.get("cache-tag")).toBe("claims-list");
	});

	it("a purge made after the desk Worker's answer left goes to the public Worker over its binding", async () => {
		const rpc: string[][] = [];
		const binding = {
			fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
				const request = new Request(input, init);
				expect(request.method).toBe("POST");
				rpc.push(((await request.json()) as { tags: string[] }).tags);
				return new Response(null, { status: 204 });
			},
			connect: () => {
				throw new Error("not used");
			},
		};
		const purges = purgeOnAnswer({ PUBLIC: binding, DB: env.DB }, undefined);
		await purges.cache.purge(["claim-a"]);
		expect(rpc).toEqual([]);
		expect(purges.header()).toBe("claim-a");
		// The header has gone with the answer: a side effect finishing later must not add to it.
		await purges.cache.purge(["claims-list"]);
		expect(rpc).toEqual([["claims-list"]]);
		expect(purges.header()).toBe("claim-a");
	});

	it("a refused purge throws at once, with Cloudflare's reason", async () => {
		const calls: PurgeOptions[] = [];
		const answers = [true, false];
		const cache = {
			async purge(options: PurgeOptions) {
				calls.push(options);
				return answers.shift()
					? { success: true, errors: [] }
					: { success: false, errors: [{ code: 429, message: "rate limited" }] };
			},
		};
		await purgeWorkersCache(cache, ["claim-a", "claims-list"]);
		await expect(purgeWorkersCache(cache, ["claim-b"])).rejects.toThrow(
			/purge failed \(429 rate limited\): claim-b/,
		);
		expect(calls).toEqual([{ tags: ["claim-a", "claims-list"] }, { tags: ["claim-b"] }]);
		const thrown = { purge: async () => Promise.reject(new Error("network down")) };
		await expect(purgeWorkersCache(thrown, ["feed"])).rejects.toThrow(/network down/);
	});

	it("a failed purge goes to the queue to be made again, never dropped, and a failing queue is reported", async () => {
		const queued: { body: { purgeAgain: string[] }; delaySeconds: number }[] = [];
		const queue = {
			async send(body: { purgeAgain: string[] }, options: { delaySeconds: number }) {
				queued.push({ body, delaySeconds: options.delaySeconds });
			},
		};
		const refused = { purge: () => Promise.reject(new Error("cache purge failed (429 rate limited)")) };
		const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
		try {
			await retriedLater(refused, queue).purge(["claim-a", "feed"]);
			expect(queued).toEqual([
				{ body: { purgeAgain: ["claim-a", "feed"] }, delaySeconds: PURGE_AGAIN_SECONDS },
			]);
			expect(String(error.mock.calls[0]?.[0])).toContain("cache-purge-failed");
			// Without a queue, or with the queue down too, the purge's own error is thrown.
			await expect(retriedLater(refused, undefined).purge(["claim-a"])).rejects.toThrow(/429/);
			const down = { send: () => Promise.reject(new Error("queue down")) };
			await expect(retriedLater(refused, down).purge(["claim-a"])).rejects.toThrow(/429/);
			// A purge that worked queues nothing.
			await retriedLater({ purge: async () => undefined }, queue).purge(["claim-b"]);
			expect(queued).toHaveLength(1);
		} finally {
			error.mockRestore();
		}
	});

	it("a write whose purge is refused has it made again from the queue, whose consumer purges it", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const queued: string[][] = [];
		// Both Workers' SNAPSHOT_QUEUE: the new claim's source goes to the archive too (sendBatch).
		const queue = {
			async send(body: { purgeAgain: string[] }, options: { delaySeconds: number }) {
				expect(options.delaySeconds).toBe(PURGE_AGAIN_SECONDS);
				queued.push(body.purgeAgain);
			},
			sendBatch: async () => undefined,
		};
		const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
		let id = "";
		try {
			const refusing = edgeDouble({ refusePurges: true, purgeQueue: queue });
			const created = await refusing.fetch(
				"/api/v1/claims",
				sent(token, "POST", claimBody(`Rita Rate ${newId()}`)),
			);
			expect(created.status).toBe(201);
			id = (await json<{ id: string }>(created)).id;
		} finally {
			error.mockRestore();
		}
		expect(queued.flat()).toContain(`claim-${id}`);
		expect(queued.flat()).toContain("claims-list");
		// The consumer merges the message into its batch's one purge.
		const later = edge();
		const acked: string[] = [];
		await archiveSnapshots(
			queued.map((tags, i) => ({
				body: { purgeAgain: tags },
				attempts: 1,
				ack: () => void acked.push(`m${i}`),
				retry: () => undefined,
			})),
			{
				db: testDb(),
				bucket: env.ARCHIVE,
				cache: later.cache,
				now: () => Date.now(),
				allowLoopback: false,
				archiveOrg: false,
			},
		);
		expect(acked).toHaveLength(queued.length);
		expect(later.purges.flatMap((p) => p.tags ?? [])).toContain(`claim-${id}`);
	});
});

describe("Workers Caching: what may be stored in front of the Worker", () => {
	it("public answers carry an edge lifetime and name what they show", { timeout: 60_000 }, async () => {
		const token = await editorToken();
		const created = await json<{ id: string; speaker: { slug: string } }>(
			await edge().fetch("/api/v1/claims", sent(token, "POST", claimBody(`Erik Tag ${newId()}`))),
		);
		const id = created.id;
		const e = edge();
		const expectations: [string, string][] = [
			[`/api/v1/claims/${id}`, `claim-${id}`],
			[`/badges/${id}.svg`, `claim-${id}`],
			[`/embed/${id}`, `claim-${id}`],
			[`/oembed?url=${encodeURIComponent(`${BASE}/claims/${id}`)}`, `claim-${id}`],
			[`/claims/${id}?lang=en`, `claim-${id}`],
			[`/speakers/${created.speaker.slug}?lang=en`, "speaker-"],
			[`/api/v1/speakers/${created.speaker.slug}`, "speaker-"],
			["/?lang=en", "claims-list"],
			["/claims?lang=de", "claims-list"],
			["/api/v1/claims", "claims-list"],
			["/api/v1/claims?q=Br%C3%BCcke", "claims-list"],
			["/api/v1/speakers", "claims-list"],
			["/api/v1/sources", "claims-list"],
			["/v1alpha1/claims:search?query=Br%C3%BCcke", "claims-list"],
			["/feeds/verdicts.atom", "feed"],
			["/api/v1/export.ndjson", "claims-list"],
			["/api/v1/export/claimreview.json", "claims-list"],
		];
		for (const [path, tag] of expectations) {
			const response = await e.fetch(path);
			await response.arrayBuffer();
			expect(response.status, path).toBe(200);
			expect(response.headers.get("cache-control"), path).toMatch(/^public, max-age=\d+/);
			expect(response.headers.get("cache-control"), path).not.toContain("s-maxage");
			expect(response.headers.get("cloudflare-cdn-cache-control"), path).toMatch(/^max-age=\d+/);
			expect(response.headers.get("cache-tag"), path).toContain(tag);
		}
	});

	it("an isolate's copy goes to the edge with at most its own life, and without saying it was one", async () => {
		const claim = await makeClaim({ language: "en" });
		await publish(claim.id, "false");
		for (const path of [`/badges/${claim.id}.svg`, `/api/v1/claims/${claim.id}`, `/embed/${claim.id}`]) {
			const built = await edge().fetch(path);
			await built.arrayBuffer();
			expect(built.headers.get("cloudflare-cdn-cache-control"), path).toMatch(/^max-age=600\b/);
			const copy = await edge().fetch(path);
			await copy.arrayBuffer();
			expect(copy.headers.get("cloudflare-cdn-cache-control"), path).toBe("max-age=10");
			expect(copy.headers.get("cache-tag"), path).toBe(built.headers.get("cache-tag"));
			expect(copy.headers.get("cache-tag"), path).toMatch(new RegExp(`^claim-${claim.id},speaker-claims-`));
			expect(copy.headers.get("x-edge-cache"), path).toBeNull();
		}
	});

	it("a shared answer names no request and no D1 session: the edge gives every reader the same copy", {
		timeout: 60_000,
	}, async () => {
		const claim = await makeClaim({ language: "en" });
		await publish(claim.id, "false");
		const e = edgeDouble({ store: true });
		for (const path of [
			`/api/v1/claims/${claim.id}?lang=de`,
			"/api/v1/claims?limit=5",
			`/claims/${claim.id}?lang=en`,
		]) {
			const built = await e.fetch(path);
			await built.arrayBuffer();
			expect(built.headers.get("cache-control"), path).toMatch(/^public/);
			expect(e.keeps(path), path).toBe(true);
			// Another reader's copy: the builder's request id would send support to the wrong log line.
			expect(built.headers.get("x-request-id"), path).toBeNull();
			expect(built.headers.get("x-d1-bookmark"), path).toBeNull();
		}
		// A reader's own answer keeps both: a token's read is private.
		const { user } = await makeUser("editor");
		const token = (await apiToken(user, ["claims:write"])).token;
		const own = await edge().fetch("/api/v1/claims?limit=5", {
			headers: { Authorization: `Bearer ${token}` },
		});
		await own.arrayBuffer();
		expect(own.headers.get("cache-control")).toMatch(/^private/);
		expect(own.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
		expect(own.headers.get("x-d1-bookmark")).toBeTruthy();
	});

	it("a page in the reader's negotiated language is private and untagged", async () => {
		const response = await edge().fetch("/claims", { headers: { "Accept-Language": "de" } });
		expect(response.headers.get("cache-control")).toMatch(/^private/);
		expect(response.headers.get("cache-tag")).toBeNull();
		expect(response.headers.get("cloudflare-cdn-cache-control")).toBeNull();
	});

	it("every desk page and every write, with a session or a token, is private and untagged", {
		timeout: 120_000,
	}, async () => {
		const { declaredRoutes } = await import("../../src/lib/route-declaration");
		const editor = await account("admin");
		const token = (
			await apiToken(editor.user, ["claims:write", "verdicts:write", "verdicts:publish", "import"])
		).token;
		const e = edge();
		const sample = (path: string) =>
			path
				.replace(/:(\w+)\{[^}]*\}/g, "x.svg")
				.replace(/:id|:verdictId/g, "aaaaaaaaaaaaaa")
				.replace(/:slug/g, "nobody")
				.replace(/:\w+/g, "x");
		let checked = 0;
		for (const route of declaredRoutes()) {
			const people: Record<string, string>[] = [
				{ Cookie: editor.cookie },
				{ Authorization: `Bearer ${token}` },
			];
			for (const who of people) {
				const init: RequestInit = {
					method: route.method,
					headers: {
						...who,
						...(route.method === "GET" ? {} : { "Content-Type": "application/json", Origin: BASE }),
					},
					...(route.method === "GET" ? {} : { body: "{}" }),
					redirect: "manual",
				};
				const response = await e.fetch(sample(route.path), init);
				await response.arrayBuffer();
				const label = `${route.method} ${route.path} with ${Object.keys(who)[0]}`;
				expect(response.headers.get("cache-control"), label).toMatch(/no-store/);
				expect(response.headers.get("cache-control"), label).not.toMatch(/public/);
				expect(response.headers.get("cache-tag"), label).toBeNull();
				expect(response.headers.get("cloudflare-cdn-cache-control"), label).toBeNull();
				checked += 1;
			}
		}
		expect(checked).toBeGreaterThan(60);
		// Without a session or token a write is refused, and the refusal is not stored either.
		const anonymous = await e.fetch("/api/v1/claims", {
			method: "POST",
			body: "{}",
			headers: { "Content-Type": "application/json" },
		});
		expect(anonymous.headers.get("cache-control")).toMatch(/no-store/);
	});
});
