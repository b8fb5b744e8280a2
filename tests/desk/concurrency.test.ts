import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../src/db/schema";
import { newId } from "../../src/domain/ids";
import { SYSTEM } from "../../src/store/batch";
import { createUser } from "../../src/store/users";
import { createDraftVerdict } from "../../src/store/verdicts";
import { actor, draft, makeClaim } from "../factories";
import { json, testDb } from "../helpers";
import { apiCall, apiToken } from "./helpers";

/**
 * Many writers at once through the JSON write API: every accepted write is stored
 * exactly once with exactly one audit row, every refused one is a clear 4xx, and
 * races on the same claim or the same verdict version have exactly one winner.
 */

interface Writer {
	role: Role;
	userId: string;
	token: string;
}

const WRITERS = 20;
let writers: Writer[] = [];

/*
 * A test here sends some 50 requests at once into one isolate, which on a loaded
 * machine takes longer than vitest's default 5 s: a generous limit, not a speed claim.
 */
const HEAVY = { timeout: 120_000 };

beforeAll(async () => {
	writers = await Promise.all(
		Array.from({ length: WRITERS }, async (_, i) => {
			const role: Role = i % 2 === 0 ? "checker" : "editor";
			// Writers use API tokens only: no password, so no PBKDF2 run per writer.
			const user = await createUser(testDb(), SYSTEM("test"), {
				email: `${role}-${newId()}@concurrency.test`,
				name: `${role} ${newId().slice(0, 4)}`,
				role,
				passwordHash: null,
			});
			const scopes =
				role === "checker"
					? (["claims:write", "verdicts:write"] as const)
					: (["claims:write", "verdicts:write", "verdicts:publish"] as const);
			const { token } = await apiToken(user, scopes);
			return { role, userId: user.id, token };
		}),
	);
}, HEAVY.timeout);

function writer(i: number): Writer {
	const found = writers[i];
	if (!found) throw new Error(`no writer ${i}`);
	return found;
}

const editors = () => writers.filter((w) => w.role === "editor");

async function countWhere(sql: string, ...params: unknown[]): Promise<number> {
	const row = await env.DB.prepare(sql)
		.bind(...params)
		.first<{ n: number }>();
	return row?.n ?? 0;
}

const claimRows = (id: string) => countWhere("SELECT count(*) AS n FROM claims WHERE id = ?", id);
const verdictRows = (id: string) => countWhere("SELECT count(*) AS n FROM verdicts WHERE id = ?", id);
const auditRows = (entityId: string, action: string) =>
	countWhere("SELECT count(*) AS n FROM audit_log WHERE entity_id = ? AND action = ?", entityId, action);

function claimBody(text: string, speaker: { id: string } | { name: string }, sourceUrl: string) {
	return {
		text,
		language: "en",
		claimedAt: "2025-07-12",
		speaker,
		source: { url: sourceUrl, title: "Article", publisher: "News Example" },
	};
}

interface Outcome {
	status: number;
	type: string;
	body: Record<string, unknown>;
}

async function outcome(response: Promise<Response>): Promise<Outcome> {
	const answer = await response;
	return {
		status: answer.status,
		type: answer.headers.get("content-type") ?? "",
		body: await json(answer),
	};
}

function expectProblem(result: Outcome, status: number) {
	expect(result.status, JSON.stringify(result.body)).toBe(status);
	expect(result.type).toContain("application/problem+json");
	expect(typeof result.body.detail).toBe("string");
}

describe("20 writers at once", HEAVY, () => {
	it("store every accepted claim and draft once, with one audit row each", async () => {
		const shared = await makeClaim();
		const speaker = shared.speaker;
		if (!speaker) throw new Error("claim without speaker");
		const racedText = `The harbour grew ${newId()} percent last year`;
		const racedUrl = `https://news.example/raced-${newId()}`;
		// A new speaker named by several writers at once: one speaker, one claim.
		const newSpeaker = `Raced Speaker ${newId()}`;
		const newSpeakerText = `The bridge cost ${newId()} million`;

		const claimWrites = writers.map((w, i) =>
			outcome(
				apiCall("POST", "/api/v1/claims", {
					token: w.token,
					body: claimBody(`Writer ${i} says ${newId()}`, { name: `Speaker ${newId()}` }, racedUrl),
				}),
			),
		);
		const draftWrites = writers.map((w, i) =>
			outcome(
				apiCall("POST", `/api/v1/claims/${shared.id}/verdicts`, {
					token: w.token,
					body: { rating: "false", headline: `Draft of writer ${i}`, language: "en" },
				}),
			),
		);
		const sameClaim = writers.slice(0, 6).map((w) =>
			outcome(
				apiCall("POST", "/api/v1/claims", {
					token: w.token,
					body: claimBody(racedText, { id: speaker.id }, racedUrl),
				}),
			),
		);
		const sameNewSpeaker = writers.slice(6, 10).map((w) =>
			outcome(
				apiCall("POST", "/api/v1/claims", {
					token: w.token,
					body: claimBody(newSpeakerText, { name: newSpeaker }, `https://news.example/${newId()}`),
				}),
			),
		);

		const [claims, drafts, raced, racedSpeaker] = await Promise.all([
			Promise.all(claimWrites),
			Promise.all(draftWrites),
			Promise.all(sameClaim),
			Promise.all(sameNewSpeaker),
		]);
		const all = [...claims, ...drafts, ...raced, ...racedSpeaker];
		for (const result of all) {
			expect(result.status, JSON.stringify(result.body)).toBeLessThan(500);
			if (result.status !== 201) expectProblem(result, 409);
		}

		// Different quotes never collide, however many share a source at once.
		expect(claims.map((c) => c.status)).toEqual(claims.map(() => 201));
		// A claim has one open draft: one drafter wins, the others are shown the winner's draft.
		const draftWinners = drafts.filter((d) => d.status === 201);
		expect(draftWinners).toHaveLength(1);
		const draftId = String(draftWinners[0]?.body.id);
		for (const loser of drafts.filter((d) => d.status !== 201)) {
			expectProblem(loser, 409);
			expect(loser.body.type).toBe("urn:claimtrack:problem:draft-exists");
			expect(loser.body.draftId).toBe(draftId);
		}

		for (const group of [raced, racedSpeaker]) {
			const winners = group.filter((r) => r.status === 201);
			expect(winners).toHaveLength(1);
			const winnerId = String(winners[0]?.body.id);
			for (const loser of group.filter((r) => r.status !== 201)) {
				expectProblem(loser, 409);
				expect(loser.body.type).toBe("urn:claimtrack:problem:duplicate-claim");
				expect(loser.body.claimId).toBe(winnerId);
			}
		}
		const stored = await countWhere(
			"SELECT count(*) AS n FROM claims WHERE text IN (?, ?)",
			racedText,
			newSpeakerText,
		);
		expect(stored).toBe(2);
		expect(await countWhere("SELECT count(*) AS n FROM speakers WHERE name = ?", newSpeaker)).toBe(1);

		const acceptedClaims = [...claims, ...raced, ...racedSpeaker].filter((c) => c.status === 201);
		for (const accepted of acceptedClaims) {
			const id = String(accepted.body.id);
			expect(await claimRows(id)).toBe(1);
			expect(await auditRows(id, "create")).toBe(1);
		}
		expect(await verdictRows(draftId)).toBe(1);
		expect(await auditRows(draftId, "create-draft")).toBe(1);
		const sharedDrafts = "SELECT count(*) AS n FROM verdicts WHERE claim_id = ? AND state = 'draft'";
		expect(await countWhere(sharedDrafts, shared.id)).toBe(1);
		expect(
			await countWhere(
				"SELECT count(*) AS n FROM audit_log WHERE action = 'create-draft' AND entity_id IN (SELECT id FROM verdicts WHERE claim_id = ?)",
				shared.id,
			),
		).toBe(1);
		// The raced source URL was created once and shared by every claim that named it.
		expect(await countWhere("SELECT count(*) AS n FROM sources WHERE url = ?", racedUrl)).toBe(1);
		// Audit rows of the race: one per accepted write, none for a refused one.
		const ids = acceptedClaims.map((c) => String(c.body.id));
		const placeholders = ids.map(() => "?").join(",");
		expect(
			await countWhere(
				`SELECT count(*) AS n FROM audit_log WHERE entity = 'claim' AND entity_id IN (${placeholders})`,
				...ids,
			),
		).toBe(ids.length);
	});
});

describe("two editors on the same verdict version", HEAVY, () => {
	it("two saves: one wins, the other is a 409 and changes nothing", async () => {
		const claim = await makeClaim();
		const verdict = await draft(claim.id);
		// Editors: a checker may edit only their own drafts (docs/decisions.md).
		const [a, b] = [writer(1), writer(3)];
		const body = (headline: string) => ({
			version: verdict.version,
			rating: "mostly-false",
			headline,
			summary: `${headline} summary`,
			evidence: [{ url: "https://evidence.example/report", title: headline }],
			language: "en",
		});
		const results = await Promise.all([
			outcome(apiCall("PUT", `/api/v1/verdicts/${verdict.id}`, { token: a.token, body: body("Saved by A") })),
			outcome(apiCall("PUT", `/api/v1/verdicts/${verdict.id}`, { token: b.token, body: body("Saved by B") })),
		]);
		const winners = results.filter((r) => r.status === 200);
		expect(winners).toHaveLength(1);
		const loser = results.find((r) => r.status !== 200);
		if (!loser) throw new Error("no loser");
		expectProblem(loser, 409);
		expect(loser.body.type).toBe("urn:claimtrack:problem:version-conflict");

		const row = await env.DB.prepare("SELECT headline, summary, evidence, version FROM verdicts WHERE id = ?")
			.bind(verdict.id)
			.first<{ headline: string; summary: string; evidence: string; version: number }>();
		const headline = String(winners[0]?.body.headline);
		// All of the winner's fields and none of the loser's: no half-applied save.
		expect(row).toEqual({
			headline,
			summary: `${headline} summary`,
			evidence: JSON.stringify([{ url: "https://evidence.example/report", title: headline }]),
			version: verdict.version + 1,
		});
		expect(await auditRows(verdict.id, "update-draft")).toBe(1);
	});

	it("two publishes: one wins, the other is a 409 and the claim shows the winner", async () => {
		const claim = await makeClaim();
		const verdict = await createDraftVerdict(testDb(), actor, claim.id, {
			rating: "false",
			headline: "Raced publication",
			summary: null,
			body: null,
			evidence: [{ url: "https://evidence.example/report", title: "Report" }],
			language: "en",
		});
		const [a, b] = editors();
		if (!a || !b) throw new Error("two editors needed");
		const results = await Promise.all(
			[a, b].map((w) =>
				outcome(
					apiCall("POST", `/api/v1/verdicts/${verdict.id}/publish`, {
						token: w.token,
						body: { version: verdict.version },
					}),
				),
			),
		);
		const winnerIndex = results.findIndex((r) => r.status === 200);
		expect(results.filter((r) => r.status === 200)).toHaveLength(1);
		const loser = results[1 - winnerIndex];
		if (!loser) throw new Error("no loser");
		expectProblem(loser, 409);
		// The verdict is published now: no re-read and retry publishes it again.
		expect(loser.body.type).toBe("urn:claimtrack:problem:not-a-draft");

		const winner = winnerIndex === 0 ? a : b;
		const row = await env.DB.prepare("SELECT state, editor_id AS editor, version FROM verdicts WHERE id = ?")
			.bind(verdict.id)
			.first();
		expect(row).toEqual({ state: "published", editor: winner.userId, version: verdict.version + 1 });
		const claimRow = await env.DB.prepare(
			"SELECT status, current_verdict_id AS current, version FROM claims WHERE id = ?",
		)
			.bind(claim.id)
			.first();
		expect(claimRow).toEqual({ status: verdict.rating, current: verdict.id, version: claim.version + 1 });
		expect(await auditRows(verdict.id, "publish")).toBe(1);
		expect(
			await countWhere(
				"SELECT count(*) AS n FROM verdicts WHERE claim_id = ? AND state = 'published'",
				claim.id,
			),
		).toBe(1);
	});
});
