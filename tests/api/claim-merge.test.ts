import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, sha256Hex } from "../../src/domain/ids";
import { uploadKey } from "../../src/domain/snapshots";
import { DAILY_CRON, runDeskCron } from "../cron";
import { account, apiCall, apiToken } from "../desk/helpers";
import { draft, makeClaim, publish, retract } from "../factories";
import { call, eventually, json, uniquePlace } from "../helpers";

interface PublicClaim {
	id: string;
	version: number;
	text: string;
	appearances: { id: string; quote: string | null; source: { url: string; title: string | null } }[];
	tags: { slug: string }[];
	speaker: { slug: string } | null;
}

const TIMEOUT = { timeout: 60_000 };

async function tokens() {
	const editor = await account("editor");
	const admin = await account("admin");
	return {
		editor: (await apiToken(editor.user, ["claims:write"])).token,
		checker: (await apiToken((await account("checker")).user, ["claims:write"])).token,
		hooks: (await apiToken(admin.user, ["webhooks:manage"])).token,
	};
}

const read = async (id: string) => json<PublicClaim>(await call(`/api/v1/claims/${id}`));
const merge = (token: string, id: string, body: unknown) =>
	apiCall("POST", `/api/v1/claims/${id}/merge`, { token, body });
const remove = (token: string, id: string, body: unknown) =>
	apiCall("DELETE", `/api/v1/claims/${id}`, { token, body });
const manual = (path: string) => call(path, { redirect: "manual" });

async function subscribe(token: string, events: string[]) {
	const hook = await apiCall("POST", "/api/v1/webhooks", {
		token,
		body: { url: `https://hooks.example/ok/${newId()}`, events },
	});
	expect(hook.status, await hook.clone().text()).toBe(201);
	return (await json<{ id: string }>(hook)).id;
}

async function deliveriesOf(webhookId: string) {
	const { results } = await env.DB.prepare(
		"SELECT event_type AS type, payload FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at",
	)
		.bind(webhookId)
		.all<{ type: string; payload: string }>();
	return results;
}

async function ids(path: string): Promise<string[]> {
	const response = await call(path);
	expect(response.status, await response.clone().text()).toBe(200);
	return (await json<{ data: { id: string }[] }>(response)).data.map((c) => c.id);
}

/** A duplicate with a word of its own in its source's title, a topic, a note and an attachment. */
async function duplicateOf(kept: PublicClaim, token: string) {
	const word = uniquePlace();
	const duplicate = await makeClaim({
		language: "en",
		text: `Paraphrase ${newId()} of the harbour claim`,
		sourceTitle: `${word} Chronicle`,
	});
	// The same source as the kept claim's too: it is not moved twice.
	const shared = await apiCall("POST", `/api/v1/claims/${duplicate.id}/appearances`, {
		token,
		body: { source: { url: kept.appearances[0]?.source.url } },
	});
	expect(shared.status, await shared.clone().text()).toBe(201);
	const topic = `Harbour ${newId()}`;
	const tagged = await apiCall("PATCH", `/api/v1/claims/${duplicate.id}`, {
		token,
		body: { version: (await read(duplicate.id)).version, tags: [topic] },
	});
	expect(tagged.status, await tagged.clone().text()).toBe(200);
	const noted = await apiCall("POST", `/api/v1/claims/${duplicate.id}/notes`, {
		token,
		body: { text: `Checker's note ${newId()}` },
	});
	expect(noted.status, await noted.clone().text()).toBe(201);
	const uploadId = newId();
	// Its bytes too: the evidence archive's backup test, in the same runtime, reads every object a row names.
	const bytes = new Uint8Array([1, 2, 3]);
	await env.ARCHIVE.put(uploadKey(uploadId), bytes);
	await env.DB.prepare(
		"INSERT INTO uploads (id, claim_id, filename, content_type, sha256, bytes) VALUES (?, ?, 'shot.png', 'image/png', ?, 3)",
	)
		.bind(uploadId, duplicate.id, await sha256Hex(bytes))
		.run();
	return { duplicate: await read(duplicate.id), word, topic, uploadId };
}

describe("POST /api/v1/claims/:id/merge", () => {
	it(
		"moves the duplicate's appearances, topics, notes and attachments; its addresses answer 301",
		TIMEOUT,
		async () => {
			const t = await tokens();
			const hook = await subscribe(t.hooks, ["claim.merged"]);
			const keptClaim = await makeClaim({ language: "en" });
			await publish(keptClaim.id);
			const kept = await read(keptClaim.id);
			const { duplicate, word, uploadId } = await duplicateOf(kept, t.editor);
			expect(await ids(`/api/v1/claims?q=${word}`)).toEqual([duplicate.id]);

			const merged = await merge(t.editor, duplicate.id, {
				into: kept.id,
				version: duplicate.version,
				intoVersion: kept.version,
				note: "Recorded twice, by two checkers.",
			});
			expect(merged.status, await merged.clone().text()).toBe(200);
			const after = await json<PublicClaim>(merged);
			expect(after.id).toBe(kept.id);
			expect(after.version).toBe(kept.version + 1);
			// The duplicate's own source moved, in its words; the shared one is not there twice.
			const moved = after.appearances.find((a) => a.source.title === `${word} Chronicle`);
			expect(moved?.quote).toBe(duplicate.text);
			expect(after.appearances).toHaveLength(2);
			expect(after.tags.map((tag) => tag.slug)).toEqual(duplicate.tags.map((tag) => tag.slug));
			const notes = await json<{ data: { text: string; mergedFrom: string | null }[] }>(
				await apiCall("GET", `/api/v1/claims/${kept.id}/notes`, { token: t.editor }),
			);
			expect(notes.data.map((n) => n.mergedFrom)).toEqual([duplicate.id]);
			const upload = await env.DB.prepare("SELECT claim_id AS c FROM uploads WHERE id = ?")
				.bind(uploadId)
				.first<{ c: string }>();
			expect(upload?.c).toBe(kept.id);

			// Every public address of the duplicate leads to the kept claim's, for good.
			const redirects: [string, string][] = [
				[`/claims/${duplicate.id}`, `/claims/${kept.id}`],
				[`/claims/${duplicate.id}?lang=de`, `/claims/${kept.id}?lang=de`],
				[`/api/v1/claims/${duplicate.id}`, `/api/v1/claims/${kept.id}`],
				[`/badges/${duplicate.id}.svg?style=flat`, `/badges/${kept.id}.svg?style=flat`],
				[`/embed/${duplicate.id}?theme=dark`, `/embed/${kept.id}?theme=dark`],
			];
			for (const [from, to] of redirects) {
				const response = await manual(from);
				expect(response.status, from).toBe(301);
				expect(response.headers.get("Location"), from).toBe(to);
				// Kept at the edge (an embedded old badge is read on every view), purged with either claim.
				expect(response.headers.get("Cache-Control"), from).toBe("public, max-age=300");
				expect(response.headers.get("Cache-Tag"), from).toBe(`claim-${duplicate.id},claim-${kept.id}`);
			}
			const oembed = await manual(
				`/oembed?url=${encodeURIComponent(`http://claimtrack.test/claims/${duplicate.id}`)}`,
			);
			expect(oembed.status).toBe(301);
			const followed = await call(oembed.headers.get("Location") ?? "");
			expect(followed.status).toBe(200);
			expect((await json<{ html: string }>(followed)).html).toContain(`/embed/${kept.id}`);

			// Lists, search, matching and Google's search find the kept claim only.
			expect(await ids(`/api/v1/claims?q=${word}`)).toEqual([kept.id]);
			expect(await ids("/api/v1/claims?limit=100")).not.toContain(duplicate.id);
			const google = await json<{ claims: { text: string }[] }>(
				await call(`/v1alpha1/claims:search?query=${word}`),
			);
			expect(google.claims.map((c) => c.text)).toEqual([kept.text]);
			const matches = await json<{ data: { claim: { id: string } }[] }>(
				await call(`/api/v1/claims/matches?text=${encodeURIComponent(duplicate.text)}&language=en`),
			);
			expect(matches.data.map((m) => m.claim.id)).not.toContain(duplicate.id);
			const feed = await (await call("/feeds/verdicts.atom")).text();
			expect(feed).not.toContain(duplicate.id);

			// The audit log keeps both sides: the kept claim's merge, with the duplicate, and the duplicate's end.
			const audit = await env.DB.prepare(
				"SELECT entity_id AS id, action, changes FROM audit_log WHERE action IN ('merge', 'merged-into') AND entity_id IN (?, ?) ORDER BY audit_log.id",
			)
				.bind(kept.id, duplicate.id)
				.all<{ id: string; action: string; changes: string }>();
			expect(audit.results.map((r) => [r.id, r.action])).toEqual([
				[kept.id, "merge"],
				[duplicate.id, "merged-into"],
			]);
			expect(JSON.parse(audit.results[0]?.changes ?? "{}").merged.text).toBe(duplicate.text);

			// The hook hears every claim merged meanwhile (test files share this runtime): this one's.
			const rows = await eventually(
				async () => (await deliveriesOf(hook)).filter((r) => r.payload.includes(duplicate.id)),
				(r) => r.length >= 1,
			);
			expect(rows.map((r) => r.type)).toEqual(["claim.merged"]);
			const payload = JSON.parse(rows[0]?.payload ?? "{}");
			expect(payload.type).toBe("claim.merged");
			expect(payload.data.claim.id).toBe(kept.id);
			expect(payload.data.mergedFrom).toEqual({
				id: duplicate.id,
				url: `http://claimtrack.test/claims/${duplicate.id}`,
			});
		},
	);

	it(
		"refuses a duplicate with a public verdict, published or retracted, and one with an open draft (409)",
		TIMEOUT,
		async () => {
			const t = await tokens();
			const kept = await makeClaim();
			const reviewed = await makeClaim();
			await publish(reviewed.id);
			const withdrawn = await makeClaim();
			const verdict = await publish(withdrawn.id);
			await retract(verdict.id, verdict.version);
			const drafted = await makeClaim();
			await draft(drafted.id);
			for (const [claim, code] of [
				[reviewed, "claim-reviewed"],
				[withdrawn, "claim-reviewed"],
				[drafted, "draft-open"],
			] as const) {
				const current = await read(claim.id);
				const refused = await merge(t.editor, claim.id, {
					into: kept.id,
					version: current.version,
					note: "Same.",
				});
				expect(refused.status, await refused.clone().text()).toBe(409);
				const problem = await json<{ type: string; detail: string }>(refused);
				expect(problem.type).toBe(`urn:claimtrack:problem:${code}`);
				expect(await read(claim.id)).toEqual(current);
			}
			const reviewedProblem = await json<{ detail: string }>(
				await merge(t.editor, reviewed.id, {
					into: kept.id,
					version: (await read(reviewed.id)).version,
					note: "x",
				}),
			);
			expect(reviewedProblem.detail).toContain("corrections log");
			expect(reviewedProblem.detail).toContain("Merge the other claim into this one");
		},
	);

	it(
		"refuses stale versions of either claim (409), itself, merged or removed claims as `into` (422), and a checker (403)",
		TIMEOUT,
		async () => {
			const t = await tokens();
			const kept = await read((await makeClaim()).id);
			const duplicate = await read((await makeClaim()).id);
			const body = {
				into: kept.id,
				version: duplicate.version,
				intoVersion: kept.version,
				note: "Same claim.",
			};

			expect((await merge(t.checker, duplicate.id, body)).status).toBe(403);
			const stale = await merge(t.editor, duplicate.id, { ...body, version: duplicate.version + 1 });
			expect(stale.status).toBe(409);
			expect((await json<{ type: string }>(stale)).type).toBe("urn:claimtrack:problem:version-conflict");
			const staleInto = await merge(t.editor, duplicate.id, { ...body, intoVersion: kept.version + 1 });
			expect(staleInto.status).toBe(409);
			expect((await json<{ claimId: string }>(staleInto)).claimId).toBe(kept.id);
			const itself = await merge(t.editor, duplicate.id, { ...body, into: duplicate.id });
			expect(itself.status).toBe(422);
			expect((await json<{ errors: { path: string }[] }>(itself)).errors[0]?.path).toBe("into");
			expect((await merge(t.editor, duplicate.id, { ...body, note: "" })).status).toBe(422);

			// A merge, and then: the merged claim as `into`, the merged claim merged again.
			const third = await read((await makeClaim()).id);
			expect((await merge(t.editor, duplicate.id, body)).status).toBe(200);
			const intoMerged = await merge(t.editor, third.id, {
				into: duplicate.id,
				version: third.version,
				note: "x",
			});
			expect(intoMerged.status).toBe(422);
			expect((await json<{ detail: string }>(intoMerged)).detail).toContain(`merged into claim ${kept.id}`);
			const again = await merge(t.editor, duplicate.id, { ...body, into: third.id });
			expect(again.status).toBe(409);
			expect((await json<{ type: string }>(again)).type).toBe("urn:claimtrack:problem:claim-merged");

			// The kept claim merged on: the first duplicate's address leads straight to the last claim.
			const keptNow = await read(kept.id);
			expect(
				(await merge(t.editor, kept.id, { into: third.id, version: keptNow.version, note: "Same again." }))
					.status,
			).toBe(200);
			expect((await manual(`/claims/${duplicate.id}`)).headers.get("Location")).toBe(`/claims/${third.id}`);

			const gone = await read((await makeClaim()).id);
			expect(
				(await remove(t.editor, gone.id, { version: gone.version, reason: "Not a claim." })).status,
			).toBe(200);
			const intoRemoved = await merge(t.editor, third.id, {
				into: gone.id,
				version: (await read(third.id)).version,
				note: "x",
			});
			expect(intoRemoved.status).toBe(422);
			expect((await json<{ detail: string }>(intoRemoved)).detail).toContain("removed");
		},
	);
});

describe("a merged duplicate's words", () => {
	it(
		"keep finding the claim kept: in search (stems too), in matching (same, by those words) and in an import of them",
		TIMEOUT,
		async () => {
			const t = await tokens();
			const island = uniquePlace();
			const kept = await makeClaim({
				language: "de",
				text: `Die Fähre nach ${island} fährt seit Mai nicht mehr.`,
				speaker: { name: `Ratsherr ${island}` },
			});
			// Checked (Google's search answers reviewed claims only); the duplicate is not.
			await publish(kept.id);
			const duplicate = await makeClaim({
				language: "de",
				text: `Der Fährbetrieb zur Insel ${island} wurde eingestellt.`,
				speaker: { id: kept.speakerId ?? "" },
			});
			const search = `/api/v1/claims?q=${encodeURIComponent(`Fährbetrieb ${island}`)}`;
			expect(await ids(search)).toEqual([duplicate.id]);

			const merged = await merge(t.editor, duplicate.id, {
				into: kept.id,
				version: (await read(duplicate.id)).version,
				note: "Recorded twice.",
			});
			expect(merged.status, await merged.clone().text()).toBe(200);

			// The words as written, and their stems (Fährbetriebs, eingestellte), find the claim kept.
			expect(await ids(search)).toEqual([kept.id]);
			expect(
				await ids(`/api/v1/claims?q=${encodeURIComponent(`Fährbetriebs eingestellte ${island}`)}`),
			).toEqual([kept.id]);
			expect(
				await ids(`/api/v1/claims?q=${encodeURIComponent(`Fährbetrieb ${island}`)}&sort=relevance`),
			).toEqual([kept.id]);
			const google = await json<{ claims: { text: string }[] }>(
				await call(`/v1alpha1/claims:search?query=${encodeURIComponent(`Fährbetrieb ${island}`)}`),
			);
			expect(google.claims.map((c) => c.text)).toEqual([kept.text]);

			// Matching scores the words it was recorded in too: the same claim, not merely similar.
			const matches = await json<{ data: { claim: { id: string }; relation: string; score: number }[] }>(
				await call(`/api/v1/claims/matches?text=${encodeURIComponent(duplicate.text)}&language=de`),
			);
			expect(matches.data[0]).toMatchObject({ claim: { id: kept.id }, relation: "same" });

			// An import of those words by the same speaker, from another source and with no id, is the claim kept.
			const importer = (await apiToken((await account("editor")).user, ["import"])).token;
			const imported = await apiCall("POST", "/api/v1/import", {
				token: importer,
				body: {
					records: [
						{
							claim: { text: duplicate.text, language: "de", claimedAt: "2025-07-12" },
							speaker: { name: `Ratsherr ${island}`, kind: "person" },
							sources: [{ url: `https://other.example/${newId()}`, title: "Bericht" }],
							verdict: null,
						},
					],
				},
			});
			expect(imported.status, await imported.clone().text()).toBe(200);
			const results = (await json<{ results: { status: string; claimId?: string }[] }>(imported)).results;
			expect(results).toMatchObject([{ status: "linked", claimId: kept.id }]);
			expect(await ids(search)).toEqual([kept.id]);
		},
	);

	it(
		"of a merge before migration 0034: found as written at once, by stems and in imports after the daily cron",
		TIMEOUT,
		async () => {
			const t = await tokens();
			const town = uniquePlace();
			const kept = await makeClaim({ language: "de", text: `Die Fähre nach ${town} fährt nicht mehr.` });
			const duplicate = await makeClaim({
				language: "de",
				text: `Der Fährbetrieb nach ${town} wurde eingestellt.`,
				speaker: { id: kept.speakerId ?? "" },
			});
			const merged = await merge(t.editor, duplicate.id, {
				into: kept.id,
				version: (await read(duplicate.id)).version,
				note: "Same.",
			});
			expect(merged.status, await merged.clone().text()).toBe(200);
			// As 0034 leaves such a row: its words from the audit log, no stems or fingerprint yet.
			await env.DB.batch([
				env.DB.prepare("UPDATE retired_claims SET fingerprint = NULL, search_terms = NULL WHERE id = ?").bind(
					duplicate.id,
				),
				env.DB.prepare("UPDATE claims SET search_terms = search_terms WHERE id = ?").bind(kept.id),
			]);
			const inflected = `/api/v1/claims?q=${encodeURIComponent(`Fährbetriebs ${town}`)}`;
			expect(await ids(`/api/v1/claims?q=${encodeURIComponent(`Fährbetrieb ${town}`)}`)).toEqual([kept.id]);
			expect(await ids(inflected)).toEqual([]);

			// The public Worker behind the desk's PUBLIC binding: what the cron asks it to purge.
			const purged: string[][] = [];
			const publicWorker = {
				fetch: async (_url: string, init: RequestInit) => {
					purged.push((JSON.parse(String(init.body)) as { tags: string[] }).tags);
					return new Response(null, { status: 204 });
				},
			};
			await runDeskCron(DAILY_CRON, { ...env, PUBLIC: publicWorker } as never);
			expect(await ids(inflected)).toEqual([kept.id]);
			// Searches now find more: their cached answers were purged.
			expect(purged).toEqual([["claims-list"]]);
			const row = await env.DB.prepare("SELECT fingerprint FROM retired_claims WHERE id = ?")
				.bind(duplicate.id)
				.first<{ fingerprint: string | null }>();
			expect(row?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
		},
	);

	it(
		"follow the claim kept when it is merged on, and leave no trace when it is removed",
		TIMEOUT,
		async () => {
			const t = await tokens();
			const town = uniquePlace();
			const first = await makeClaim({ language: "en", text: `The ${town} ferry stopped running in May.` });
			const second = await makeClaim({
				language: "en",
				text: `Ferry service to ${town} island was discontinued.`,
			});
			const last = await makeClaim({ language: "en", text: `Nobody can take a boat to ${town} any more.` });
			const mergeInto = async (duplicate: string, into: string) => {
				const merged = await merge(t.editor, duplicate, {
					into,
					version: (await read(duplicate)).version,
					note: "Same claim.",
				});
				expect(merged.status, await merged.clone().text()).toBe(200);
			};
			await mergeInto(second.id, first.id);
			await mergeInto(first.id, last.id);
			const search = `/api/v1/claims?q=${encodeURIComponent(`discontinued ${town}`)}`;
			expect(await ids(search)).toEqual([last.id]);
			const matches = await json<{ data: { claim: { id: string }; relation: string }[] }>(
				await call(`/api/v1/claims/matches?text=${encodeURIComponent(second.text)}&language=en`),
			);
			expect(matches.data[0]).toMatchObject({ claim: { id: last.id }, relation: "same" });

			const removed = await remove(t.editor, last.id, {
				version: (await read(last.id)).version,
				reason: "Not a claim.",
			});
			expect(removed.status, await removed.clone().text()).toBe(200);
			expect(await ids(search)).toEqual([]);
			const kept = await env.DB.prepare(
				"SELECT id, text, language, fingerprint, speaker_id AS speaker, speaker_names AS names, search_terms AS terms FROM retired_claims WHERE id IN (?, ?) ORDER BY id",
			)
				.bind(first.id, second.id)
				.all();
			expect(kept.results).toEqual(
				[first.id, second.id].sort().map((id) => ({
					id,
					text: null,
					language: null,
					fingerprint: null,
					speaker: null,
					names: null,
					terms: null,
				})),
			);
		},
	);
});

describe("DELETE /api/v1/claims/:id", () => {
	it(
		"removes a claim recorded by mistake: 410 everywhere, gone from every list, `claim.removed`, the audit keeps it",
		TIMEOUT,
		async () => {
			const t = await tokens();
			const hook = await subscribe(t.hooks, ["claim.removed"]);
			const name = `Private Person ${newId()}`;
			const word = uniquePlace();
			const made = await makeClaim({ language: "en", speaker: { name }, sourceTitle: `${word} Blog` });
			const claim = await read(made.id);
			const uploadId = newId();
			await env.ARCHIVE.put(uploadKey(uploadId), new Uint8Array([1, 2, 3]));
			await env.DB.prepare(
				"INSERT INTO uploads (id, claim_id, filename, content_type, sha256, bytes) VALUES (?, ?, 'shot.png', 'image/png', ?, 3)",
			)
				.bind(uploadId, claim.id, "b".repeat(64))
				.run();
			expect(await ids(`/api/v1/claims?q=${word}`)).toEqual([claim.id]);

			expect(
				(await remove(t.checker, claim.id, { version: claim.version, reason: "Private person." })).status,
			).toBe(403);
			expect((await remove(t.editor, claim.id, { version: claim.version })).status).toBe(422);
			const removed = await remove(t.editor, claim.id, {
				version: claim.version,
				reason: `Private person ${name}.`,
			});
			expect(removed.status, await removed.clone().text()).toBe(200);
			expect(await json(removed)).toEqual({ id: claim.id, removedAt: expect.any(String) });

			const page = await call(`/claims/${claim.id}?lang=en`, { headers: { Accept: "text/html" } });
			expect(page.status).toBe(410);
			const html = await page.text();
			expect(html).toContain("removed from the tracker on");
			expect(html).not.toContain(claim.text);
			expect(html).not.toContain(name);
			const api = await call(`/api/v1/claims/${claim.id}`);
			expect(api.status).toBe(410);
			const problem = await json<{ type: string; removedAt: string; detail: string }>(api);
			expect(problem.type).toBe("urn:claimtrack:problem:claim-removed");
			expect(problem.detail).not.toContain("Private");
			expect((await call(`/badges/${claim.id}.svg`)).status).toBe(410);
			expect((await call(`/embed/${claim.id}`)).status).toBe(410);
			const oembedUrl = encodeURIComponent(`http://claimtrack.test/claims/${claim.id}`);
			expect((await call(`/oembed?url=${oembedUrl}`)).status).toBe(410);

			expect(await ids(`/api/v1/claims?q=${word}`)).toEqual([]);
			expect(await ids("/api/v1/claims?limit=100")).not.toContain(claim.id);
			const exported = await (await call("/api/v1/export.ndjson")).text();
			expect(exported).not.toContain(claim.id);
			expect(exported).not.toContain(name);
			// Its speaker had no other claim: the name is gone from the public pages too.
			expect((await call(`/speakers/${claim.speaker?.slug ?? ""}`)).status).toBe(404);
			expect(await env.ARCHIVE.get(uploadKey(uploadId))).toBeNull();

			const audit = await env.DB.prepare(
				"SELECT changes, actor_id AS actor FROM audit_log WHERE action = 'remove' AND entity_id = ?",
			)
				.bind(claim.id)
				.first<{ changes: string; actor: string }>();
			const kept = JSON.parse(audit?.changes ?? "{}");
			expect(kept.reason).toBe(`Private person ${name}.`);
			// Ids and hashes only: the audit log is in every backup.
			expect(kept.claim.text).toBeUndefined();
			expect(kept.claim.textSha256).toMatch(/^[0-9a-f]{64}$/);
			expect(kept.attachments).toEqual([{ id: uploadId, sha256: "b".repeat(64), bytes: 3 }]);

			// The hook hears every claim removed meanwhile (test files share this runtime): this one's.
			const rows = await eventually(
				async () => (await deliveriesOf(hook)).filter((r) => r.payload.includes(claim.id)),
				(r) => r.length >= 1,
			);
			const payload = JSON.parse(rows[0]?.payload ?? "{}");
			expect(payload.type).toBe("claim.removed");
			expect(payload.data).toEqual({
				claim: {
					id: claim.id,
					url: `http://claimtrack.test/claims/${claim.id}`,
					removedAt: problem.removedAt,
				},
			});
			expect(rows[0]?.payload).not.toContain(name);

			// Removed already: 410; and a removal reaches the ids merged into it.
			expect((await remove(t.editor, claim.id, { version: claim.version, reason: "Again." })).status).toBe(
				410,
			);
		},
	);

	it(
		"refuses a reviewed claim (retract it instead) and one with an open draft (409), and a stale version",
		TIMEOUT,
		async () => {
			const t = await tokens();
			const reviewed = await makeClaim();
			await publish(reviewed.id);
			const current = await read(reviewed.id);
			const refused = await remove(t.editor, reviewed.id, { version: current.version, reason: "Wrong." });
			expect(refused.status).toBe(409);
			const problem = await json<{ type: string; detail: string }>(refused);
			expect(problem.type).toBe("urn:claimtrack:problem:claim-reviewed");
			expect(problem.detail).toContain("Retract its verdict instead");
			expect((await call(`/claims/${reviewed.id}`)).status).toBe(200);

			const drafted = await makeClaim();
			await draft(drafted.id);
			const draftVersion = (await read(drafted.id)).version;
			const withDraft = await remove(t.editor, drafted.id, { version: draftVersion, reason: "Wrong." });
			expect(withDraft.status).toBe(409);
			expect((await json<{ type: string }>(withDraft)).type).toBe("urn:claimtrack:problem:draft-open");

			const plain = await read((await makeClaim()).id);
			const stale = await remove(t.editor, plain.id, { version: plain.version + 1, reason: "Wrong." });
			expect(stale.status).toBe(409);
			expect((await call(`/api/v1/claims/${plain.id}`)).status).toBe(200);
		},
	);

	it("takes the ids merged into the removed claim along: they answer 410 too", TIMEOUT, async () => {
		const t = await tokens();
		const kept = await read((await makeClaim()).id);
		const duplicate = await read((await makeClaim()).id);
		expect(
			(await merge(t.editor, duplicate.id, { into: kept.id, version: duplicate.version, note: "Same." }))
				.status,
		).toBe(200);
		const now = await read(kept.id);
		expect(
			(await remove(t.editor, kept.id, { version: now.version, reason: "Not a claim at all." })).status,
		).toBe(200);
		expect((await manual(`/claims/${duplicate.id}`)).status).toBe(410);
	});
});
