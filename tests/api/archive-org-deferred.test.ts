import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { addAppearance, mergeClaim } from "../../src/commands/claims";
import type { CommandContext } from "../../src/commands/context";
import { importBatch } from "../../src/commands/import-batch";
import { runEffects } from "../../src/commands/side-effects";
import { requestDeferredArchiveOrg } from "../../src/commands/snapshots";
import { draftVerdict, publishVerdict } from "../../src/commands/verdicts";
import { newId } from "../../src/domain/ids";
import { publicCacheFor } from "../../src/lib/public-cache";
import { archiveSnapshots, type SnapshotMessage } from "../../src/queues/snapshot-archive";
import type { ImportRecord } from "../../src/schemas/import-record";
import { planSnapshots } from "../../src/store/snapshots";
import { actor, bareSource, makeClaim, publish, reload } from "../factories";
import { archiveDeps, testDb } from "../helpers";

/**
 * PUBLIC_UNREVIEWED = "hide" with ARCHIVE_ORG_SAVE on: the Worker's effects, with the
 * snapshot queue's messages kept for the test to hand to the consumer.
 */
function hideModeCommand() {
	const sent: unknown[] = [];
	const pending: Promise<unknown>[] = [];
	const snapshots = {
		db: testDb(),
		queue: {
			sendBatch: async (messages: { body: unknown }[]) => void sent.push(...messages.map((m) => m.body)),
			send: async () => undefined,
		},
		now: () => Date.now(),
		archiveOrgOnReview: true,
	};
	const ctx: CommandContext = {
		db: testDb(),
		actor,
		effects: {
			emit: (event) =>
				pending.push(
					...runEffects(event, { cache: publicCacheFor(undefined, env.DB), webhooks: null, snapshots }),
				),
		},
	};
	return { ctx, sent, settle: () => Promise.all(pending) };
}

function delivered(body: unknown): SnapshotMessage {
	return { body, ack: () => undefined, retry: () => undefined };
}

/** The consumer in hide mode, fetching through the test runtime's outbound mock. */
const hide = () => ({ ...archiveDeps((input, init) => fetch(input, init), true), reviewedOnly: true });

/** An unreviewed claim's source, copied by us at once, the Internet Archive not asked (hide mode). */
async function unreviewedSource() {
	const url = `https://news.example/chip-exports.en.html?case=${newId()}`;
	const claim = await makeClaim({ sourceUrl: url, language: "en" });
	const [row] = await planSnapshots(testDb(), [url], Date.now());
	if (!row) throw new Error("no snapshot planned");
	await archiveSnapshots([delivered({ snapshotId: row.id })], hide());
	expect(await archivedUrlOf(url)).toBeNull();
	return { url, claim };
}

async function archivedUrlOf(url: string): Promise<string | null | undefined> {
	const row = await env.DB.prepare("SELECT archived_url AS archived FROM sources WHERE url = ?")
		.bind(url)
		.first<{ archived: string | null }>();
	return row?.archived;
}

describe("Save Page Now where unreviewed claims are hidden", () => {
	it("is asked for a duplicate's sources when it is merged into a reviewed claim", {
		timeout: 30_000,
	}, async () => {
		const { url, claim: duplicate } = await unreviewedSource();
		const kept = await makeClaim({ language: "en" });
		await publish(kept.id, "false");
		const { ctx, sent, settle } = hideModeCommand();
		await mergeClaim(ctx, duplicate.id, {
			into: kept.id,
			version: (await reload(duplicate.id)).version,
			note: "Same claim.",
		});
		await settle();
		expect(sent).toContainEqual({ archiveOrgFor: url });
		await archiveSnapshots(sent.filter((body) => "archiveOrgFor" in (body as object)).map(delivered), hide());
		expect(await archivedUrlOf(url)).toBe(`https://web.archive.org/web/20261204120000/${url}`);
	});

	it("is not asked when the claim kept is not reviewed either", { timeout: 30_000 }, async () => {
		const { url, claim: duplicate } = await unreviewedSource();
		const kept = await makeClaim({ language: "en" });
		const { ctx, sent, settle } = hideModeCommand();
		await mergeClaim(ctx, duplicate.id, {
			into: kept.id,
			version: (await reload(duplicate.id)).version,
			note: "Same claim.",
		});
		await settle();
		expect(sent.filter((body) => "archiveOrgFor" in (body as object))).toEqual([]);
		expect(await archivedUrlOf(url)).toBeNull();
	});

	it("is asked for an appearance added to a reviewed claim at an address copied within 24 hours", {
		timeout: 30_000,
	}, async () => {
		const { url } = await unreviewedSource();
		const published = await makeClaim({ language: "en" });
		await publish(published.id, "false");
		const { ctx, sent, settle } = hideModeCommand();
		await addAppearance(ctx, published.id, { source: bareSource(url), quote: null, anchor: null });
		await settle();
		// No new copy (one is from minutes ago), so no fetch that would ask: the event asks.
		expect(sent).toEqual([{ archiveOrgFor: url }]);
		await archiveSnapshots(sent.map(delivered), hide());
		expect(await archivedUrlOf(url)).toBe(`https://web.archive.org/web/20261204120000/${url}`);
	});

	it("is asked for an appearance an import adds to a reviewed claim, not for an unreviewed one's", {
		timeout: 30_000,
	}, async () => {
		const { url } = await unreviewedSource();
		const externalId = `ext-${newId()}`;
		const record = (urls: string[], rating: "false" | null): ImportRecord => ({
			externalId,
			claim: { text: `Die Brücke ${externalId} kostete 300 Millionen.`, language: "de" },
			speaker: { name: `Bürgermeisterin ${externalId}`, kind: "person" },
			sources: urls.map((source) => ({ url: source })),
			verdict: rating
				? {
						rating,
						originalRating: "Falsch",
						headline: "Weniger",
						url: `https://check.example/${externalId}`,
					}
				: null,
		});
		const first = `https://other-paper.example/${newId()}`;
		const published = hideModeCommand();
		await importBatch(published.ctx, [record([first], "false")]);
		await published.settle();
		const { ctx, sent, settle } = hideModeCommand();
		const report = await importBatch(ctx, [record([first, url], "false")]);
		expect(report.outcomes[0]).toMatchObject({ status: "updated", changes: ["appearance"] });
		await settle();
		expect(sent.filter((body) => "archiveOrgFor" in (body as object))).toEqual([{ archiveOrgFor: url }]);
		await archiveSnapshots(sent.filter((body) => "archiveOrgFor" in (body as object)).map(delivered), hide());
		expect(await archivedUrlOf(url)).toBe(`https://web.archive.org/web/20261204120000/${url}`);

		// An import adding a source to a claim nobody reviewed asks for nothing.
		const { url: hidden } = await unreviewedSource();
		const unreviewed = hideModeCommand();
		const otherId = `ext-${newId()}`;
		await importBatch(unreviewed.ctx, [
			{
				...record([first], null),
				externalId: otherId,
				claim: { text: `Der Tunnel ${otherId} ist fertig.`, language: "de" },
			},
		]);
		await unreviewed.settle();
		const again = hideModeCommand();
		await importBatch(again.ctx, [
			{
				...record([first, hidden], null),
				externalId: otherId,
				claim: { text: `Der Tunnel ${otherId} ist fertig.`, language: "de" },
			},
		]);
		await again.settle();
		expect(again.sent.filter((body) => "archiveOrgFor" in (body as object))).toEqual([]);
	});
});

describe("Save Page Now and an address our fetcher refuses", () => {
	it("is not asked for a private source on a claim's first publication, nor by a request queued before", {
		timeout: 30_000,
	}, async () => {
		const run = newId();
		const memo = `http://10.20.30.40/internal/memo-${run}.html`;
		const article = `https://news.example/chip-exports.en.html?case=${run}`;
		const claim = await makeClaim({ sourceUrl: memo, language: "en" });
		const { ctx, sent, settle } = hideModeCommand();
		await addAppearance(ctx, claim.id, { source: bareSource(article), quote: null, anchor: null });
		await settle();
		// Our own copy of the memo was refused for good: a private address.
		const [row] = await planSnapshots(testDb(), [memo], Date.now());
		if (!row) throw new Error("no snapshot planned");
		const asked: string[] = [];
		const consumer = {
			...archiveDeps((input, init) => {
				asked.push(String(input instanceof Request ? input.url : input));
				return fetch(input, init);
			}, true),
			reviewedOnly: true,
		};
		await archiveSnapshots([delivered({ snapshotId: row.id })], consumer);
		const copy = await env.DB.prepare("SELECT state, error FROM snapshots WHERE id = ?")
			.bind(row.id)
			.first<{ state: string; error: string }>();
		expect(copy).toMatchObject({
			state: "failed",
			error: expect.stringContaining("10.20.30.40 is a private"),
		});

		// The first publication asks for the article alone.
		sent.length = 0;
		const draft = await draftVerdict(ctx, claim.id, {
			rating: "false",
			headline: `Verdict ${run}`,
			summary: "What we found.",
			body: "The long explanation.",
			evidence: [{ url: `https://evidence.example/report-${run}`, title: "Report" }],
			language: "en",
		});
		await publishVerdict(ctx, draft.id, draft.version, null);
		await settle();
		const requests = sent.filter((body) => "archiveOrgFor" in (body as object));
		expect(requests).toContainEqual({ archiveOrgFor: article });
		expect(requests).not.toContainEqual({ archiveOrgFor: memo });

		// A request for the memo queued before (by an earlier version) is dropped by the consumer.
		await archiveSnapshots([...requests, { archiveOrgFor: memo }].map(delivered), consumer);
		expect(asked).toContain(`https://web.archive.org/save/${article}`);
		expect(asked.filter((url) => url.includes("10.20.30.40"))).toEqual([]);
		expect(await archivedUrlOf(memo)).toBeNull();
		expect(await archivedUrlOf(article)).toBe(`https://web.archive.org/web/20261204120000/${article}`);
	});
});

describe("Save Page Now's deferred request when the queue refuses it", () => {
	it("is logged and audited per source (source.archive-failed), not lost unseen", {
		timeout: 30_000,
	}, async () => {
		const url = `https://news.example/refused-${newId()}.html`;
		const claim = await makeClaim({ sourceUrl: url, language: "en" });
		const refusing = {
			sendBatch: async (): Promise<never> => {
				throw new Error("Queue claimtrack-snapshots does not exist");
			},
			send: async () => undefined,
		};
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		try {
			await requestDeferredArchiveOrg(
				{ db: testDb(), queue: refusing, now: () => Date.now(), archiveOrgOnReview: true },
				{
					type: "verdict.published",
					claimId: claim.id,
					verdictId: newId(),
					correction: false,
					speakerIds: [],
				},
			);
			const lines = logged.mock.calls.map((call) => String(call[0]));
			expect(lines.some((line) => line.includes("archive-org-queue-failed"))).toBe(true);
		} finally {
			logged.mockRestore();
		}
		const audit = await env.DB.prepare(
			"SELECT actor_label AS actor, changes FROM audit_log WHERE action = 'source.archive-failed' AND entity_id = ?",
		)
			.bind(url)
			.first<{ actor: string; changes: string }>();
		expect(audit?.actor).toBe("archive");
		expect(JSON.parse(audit?.changes ?? "{}").error).toContain("Save Page Now could not be queued");
	});

	it("still sends the later parts when the refused part's audit row cannot be written", {
		timeout: 60_000,
	}, async () => {
		// A claim citing more sources than one queue batch holds (100): two parts.
		const claim = await makeClaim({ language: "en" });
		const run = newId();
		await env.DB.batch([
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)
				 INSERT INTO sources (id, url, domain) SELECT printf('s%s%03d', substr(?, 1, 10), i), printf('https://news.example/spn-%s-%d.html', ?, i), 'news.example' FROM n`,
			).bind(run, run),
			env.DB.prepare(
				`INSERT INTO appearances (id, claim_id, source_id, is_first)
				 SELECT 'a' || substr(id, 2), ?, id, 0 FROM sources WHERE url LIKE ?`,
			).bind(claim.id, `https://news.example/spn-${run}-%`),
		]);
		// A database that reads but cannot write the refusal's audit rows (D1 overloaded then).
		const db = testDb();
		const failing = new Proxy(db, {
			get(target, key) {
				if (key === "insert")
					return () => {
						throw new Error("D1_ERROR: overloaded");
					};
				const value = Reflect.get(target, key);
				return typeof value === "function" ? value.bind(target) : value;
			},
		});
		const sent: string[] = [];
		let batches = 0;
		const refusingFirst = {
			sendBatch: async (messages: { body: { archiveOrgFor: string } }[]): Promise<void> => {
				batches++;
				if (batches === 1) throw new Error("Queue claimtrack-snapshots is overloaded");
				for (const { body } of messages) sent.push(body.archiveOrgFor);
			},
			send: async () => undefined,
		};
		const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
		try {
			await requestDeferredArchiveOrg(
				{ db: failing, queue: refusingFirst, now: () => Date.now(), archiveOrgOnReview: true },
				{
					type: "verdict.published",
					claimId: claim.id,
					verdictId: newId(),
					correction: false,
					speakerIds: [],
				},
			);
			const lines = logged.mock.calls.map((call) => String(call[0]));
			expect(lines.some((line) => line.includes("archive-org-queue-failed"))).toBe(true);
			expect(lines.some((line) => line.includes("archive-org-failure-unrecorded"))).toBe(true);
		} finally {
			logged.mockRestore();
		}
		// The second part (the claim's own source and the 120 cited: 121) went to the queue.
		expect(batches).toBe(2);
		expect(sent).toHaveLength(21);
	});
});
