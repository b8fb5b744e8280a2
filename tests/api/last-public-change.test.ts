import { env } from "cloudflare:test";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { newId, newToken, sha256Hex } from "../../src/domain/ids";
import { CLAIMS_PER_SITEMAP } from "../../src/domain/sitemap";
import { uploadKey } from "../../src/domain/snapshots";
import { archiveSnapshots } from "../../src/queues/snapshot-archive";
import { getSnapshot, planSnapshots } from "../../src/store/snapshots";
import { account, apiCall, apiToken, deskPost, makeUser } from "../desk/helpers";
import { makeClaim, publish, retract } from "../factories";
import { archiveDeps, BASE, call, fetchWith, json, racingD1, testDb } from "../helpers";

/**
 * A claim's "when did this change" signals, read as their readers read them, after each
 * write that changes what the claim's public surfaces show (domain/public-change): the
 * DataFeed's and its item's `dateModified`, the claim page's ClaimReview `dateModified`,
 * the sitemap's `<lastmod>`, the Atom entry's and feed's `<updated>`, and the embed
 * preview's URL on the claim page. The Atom entry moves only when what it shows changed
 * (its title, summary, categories, author, links: domain/atom-feed): the feed shows its 50
 * newest entries, and one moved for nothing pushes a retraction out of them
 * (tests/api/feed-window.test.ts).
 */

const TIMEOUT = { timeout: 60_000 };
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (n) => n === "url" });

async function editorToken() {
	const editor = await account("editor");
	return (await apiToken(editor.user, ["claims:write"])).token;
}

/** Timestamps are milliseconds: a write after this one is dated after it. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

async function ok(response: Promise<Response>, status = 200) {
	const answer = await response;
	expect(answer.status, await answer.clone().text()).toBe(status);
	return answer;
}

interface Dates {
	/** The DataFeed's own dateModified and the claim's item's. */
	feed: string;
	item: string | undefined;
	/** The claim page's ClaimReview. */
	page: string | undefined;
	lastmod: string | undefined;
	/** The Atom feed's `<updated>` and the claim's standing entry's. */
	atomFeed: string;
	atomEntry: string | undefined;
	atomTitle: string | undefined;
	/** The claim page's badge preview URL. */
	preview: string | undefined;
}

function utc(timestamp: string | undefined): string | undefined {
	return timestamp === undefined ? undefined : new Date(timestamp).toISOString();
}

async function datesOf(claimId: string): Promise<Dates> {
	const claimUrl = `${BASE}/claims/${claimId}`;
	const feed = await json<{
		dateModified: string;
		dataFeedElement: { dateModified?: string; item: { url: string }[] }[];
	}>(await call("/api/v1/export/claimreview.json"));
	const item = feed.dataFeedElement.find((element) => element.item[0]?.url === claimUrl);
	expect(item, "the claim's review is in the DataFeed").toBeDefined();
	const page = await (await call(`/claims/${claimId}?lang=en`)).text();
	const review = [...page.matchAll(/<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/g)]
		.map(([, source]) => JSON.parse(source ?? "{}") as { "@type"?: string; dateModified?: string })
		.find((ld) => ld["@type"] === "ClaimReview");
	expect(review, "the claim page carries its ClaimReview").toBeDefined();
	const seq = Number(
		(await env.DB.prepare("SELECT seq FROM claims WHERE id = ?").bind(claimId).first<{ seq: number }>())?.seq,
	);
	const sitemap = xml.parse(
		await (await call(`/sitemaps/claims/${Math.floor((seq - 1) / CLAIMS_PER_SITEMAP)}.xml`)).text(),
	) as { urlset: { url: { loc: string; lastmod?: string }[] } };
	const atom = xml.parse(await (await call("/feeds/verdicts.atom?lang=en")).text()) as {
		feed: { updated: string; entry?: unknown };
	};
	const entries = [atom.feed.entry ?? []].flat() as {
		title: string | { "#text": string };
		updated: string;
		link: unknown;
	}[];
	const entry = entries.find((e) => JSON.stringify(e.link).includes(`/claims/${claimId}?lang=en"`));
	return {
		feed: feed.dateModified,
		// Written in the newsroom's offset (domain/time-zone localTimestamp), the feed's own in
		// UTC: read as the instants they are, in UTC, to compare.
		item: utc(item?.dateModified),
		page: utc(review?.dateModified),
		lastmod: sitemap.urlset.url.find((u) => u.loc === claimUrl)?.lastmod,
		atomFeed: atom.feed.updated,
		atomEntry: entry?.updated,
		atomTitle: entry ? (typeof entry.title === "string" ? entry.title : entry.title["#text"]) : undefined,
		preview: new RegExp(`<img src="/badges/${claimId}\\.svg\\?v=([^"]+)"`).exec(page)?.[1],
	};
}

/**
 * Every signal moved on past `before` (each checked on its own: one left behind does not hide
 * another); the item's and the page's dateModified agree. `entry: false`, for a change the
 * Atom entry does not show (a topic, a source, an appearance added): the claim's answers
 * moved, its entry kept its time and title.
 */
function expectMoved(before: Dates, after: Dates, what: string, options: { entry?: boolean } = {}) {
	if (options.entry === false) {
		expectAnswersMoved(before, after, what);
		expect.soft(after.atomEntry, `${what}: Atom entry kept its time`).toBe(before.atomEntry);
		expect.soft(after.atomTitle, `${what}: Atom entry kept its title`).toBe(before.atomTitle);
		expect.soft(after.atomFeed >= before.atomFeed, `${what}: Atom feed never goes back`).toBe(true);
		return;
	}
	expectAnswersMoved(before, after, what);
	expect
		.soft(
			(after.atomEntry ?? "") > (before.atomEntry ?? ""),
			`${what}: Atom entry ${before.atomEntry} → ${after.atomEntry}`,
		)
		.toBe(true);
	expect
		.soft(after.atomFeed > before.atomFeed, `${what}: Atom feed ${before.atomFeed} → ${after.atomFeed}`)
		.toBe(true);
}

/** The claim's answers' dates moved on past `before`: DataFeed, page, sitemap, preview. */
function expectAnswersMoved(before: Dates, after: Dates, what: string) {
	expect.soft(after.item, `${what}: the DataFeed item's dateModified`).toBeDefined();
	expect
		.soft((after.item ?? "") > (before.item ?? ""), `${what}: item ${before.item} → ${after.item}`)
		.toBe(true);
	expect.soft(after.page, `${what}: the page's ClaimReview dateModified`).toBe(after.item);
	expect.soft(after.feed > before.feed, `${what}: feed ${before.feed} → ${after.feed}`).toBe(true);
	expect.soft(after.feed >= (after.item ?? ""), `${what}: the feed is as new as its newest item`).toBe(true);
	expect
		.soft(
			(after.lastmod ?? "") > (before.lastmod ?? ""),
			`${what}: lastmod ${before.lastmod} → ${after.lastmod}`,
		)
		.toBe(true);
	expect.soft(after.preview, `${what}: the preview URL`).not.toBe(before.preview);
}

/** A claim with a published verdict, and its dates as published. */
async function reviewedClaim(options: Parameters<typeof makeClaim>[0] = {}) {
	const claim = await makeClaim({ language: "en", ...options });
	await publish(claim.id, "false", { language: "en" });
	const dates = await datesOf(claim.id);
	// Just published: nothing modified it yet.
	expect(dates.item).toBeUndefined();
	expect(dates.page).toBeUndefined();
	expect(dates.atomEntry).toBeDefined();
	return { claim, dates };
}

/** A reviewed claim of a speaker of its own, and what an edit of that speaker needs. */
async function speakerWithReviewedClaim(name: string) {
	const token = await editorToken();
	const { claim, dates } = await reviewedClaim({ speaker: { name } });
	const slug = claim.speaker?.slug ?? "";
	const speaker = await json<{ version: number; name: string }>(await call(`/api/v1/speakers/${slug}`));
	return { token, claim, dates, slug, speaker };
}

/** An appearance of the claim in a reprint: a public change of it that is not a review. */
function addReprint(token: string, claimId: string) {
	return ok(
		apiCall("POST", `/api/v1/claims/${claimId}/appearances`, {
			token,
			body: { source: { url: `https://reprint.example/${newId()}`, title: "Reprint" }, quote: null },
		}),
		201,
	);
}

async function claimVersion(claimId: string) {
	return (await json<{ version: number }>(await call(`/api/v1/claims/${claimId}`))).version;
}

describe("a claim's last public change", () => {
	it(
		"an appearance added moves every date of its answers, not its feed entry's, not the claim's version",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const { claim, dates } = await reviewedClaim();
			const version = await claimVersion(claim.id);
			await tick();
			await addReprint(token, claim.id);
			expectMoved(dates, await datesOf(claim.id), "appearance", { entry: false });
			// Nothing an edit form holds changed: one open on the claim still saves.
			expect(await claimVersion(claim.id)).toBe(version);
		},
	);

	it("topics set on the claim move every date of its answers, not its feed entry's", TIMEOUT, async () => {
		const token = await editorToken();
		const { claim, dates } = await reviewedClaim();
		await tick();
		await ok(
			apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: await claimVersion(claim.id), tags: [`Harbour ${newId()}`] },
			}),
		);
		expectMoved(dates, await datesOf(claim.id), "topics", { entry: false });
	});

	it(
		"a duplicate merged into it moves every date of its answers, not its feed entry's",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const { claim, dates } = await reviewedClaim();
			const duplicate = await makeClaim({ language: "en" });
			await tick();
			await ok(
				apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
					token,
					body: { into: claim.id, version: duplicate.version, note: "The same claim." },
				}),
			);
			expectMoved(dates, await datesOf(claim.id), "merge", { entry: false });
		},
	);

	it(
		"a duplicate merged into a claim without a speaker moves its feed entry when it brings another first source, whose publisher the entry names",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			// Recorded first, from another outlet: its appearance becomes the kept claim's first.
			const duplicate = await json<{ id: string; version: number }>(
				await ok(
					apiCall("POST", "/api/v1/claims", {
						token,
						body: {
							text: `An earlier post ${newId()} says the harbour closed.`,
							language: "en",
							speaker: null,
							source: { url: `https://news.example/${newId()}`, title: "Post", publisher: "Earlier Gazette" },
						},
					}),
					201,
				),
			);
			await tick();
			const { claim, dates } = await reviewedClaim({ speaker: null });
			expect(dates.atomTitle).toContain("News Example");
			await tick();
			await ok(
				apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
					token,
					body: { into: claim.id, version: duplicate.version, note: "The same claim." },
				}),
			);
			const merged = await datesOf(claim.id);
			expect(merged.atomTitle).toContain("Earlier Gazette");
			expectMoved(dates, merged, "merge of an earlier source");
		},
	);

	it(
		"an import that gives a known claim a source moves every date of its answers, not its feed entry's; a review it brought in with its publisher's date was not modified by coming in",
		TIMEOUT,
		async () => {
			const { token } = await apiToken((await makeUser("editor")).user, ["import"]);
			const externalId = `dates-${newId()}`;
			const record = (sources: number) => ({
				externalId,
				claim: {
					text: `Der Hafen ${externalId} wurde 2024 eröffnet.`,
					language: "de",
					claimedAt: "2025-07-01",
				},
				speaker: { name: `Hafenmeister ${externalId}`, kind: "person" },
				sources: Array.from({ length: sources }, (_, i) => ({
					url: `https://news.example/${externalId}/${i}`,
					title: "Artikel",
				})),
				// Our own archive's review (ORG_URL's host): ours, with our ClaimReview.
				verdict: {
					rating: "false",
					originalRating: "Falsch",
					headline: "Eröffnet wurde 2025",
					url: `https://claimtrack.example/archiv/${externalId}`,
					publishedAt: "2025-07-02",
				},
			});
			const imported = await json<{ results: { status: string; claimId: string }[] }>(
				await ok(apiCall("POST", "/api/v1/import", { token, body: { records: [record(1)] } })),
			);
			expect(imported.results[0]?.status).toBe("created");
			const claimId = imported.results[0]?.claimId ?? "";
			const dates = await datesOf(claimId);
			expect(dates.item).toBeUndefined();
			expect(dates.page).toBeUndefined();
			await tick();
			const again = await json<{ results: { status: string; changes?: string[] }[] }>(
				await ok(apiCall("POST", "/api/v1/import", { token, body: { records: [record(2)] } })),
			);
			expect(again.results[0]).toMatchObject({ status: "updated", changes: ["appearance"] });
			expectMoved(dates, await datesOf(claimId), "imported appearance", { entry: false });
		},
	);

	// The rename dates a public change of the topic's claims in its batch (store/collaboration
	// `renameTag`, as store/public-changes `touchClaimsOfTopic` writes it).
	it(
		"a topic renamed moves every date of its claims' answers, not their feed entries'",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const { claim } = await reviewedClaim();
			const tagged = await ok(
				apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
					token,
					body: { version: await claimVersion(claim.id), tags: [`Harbour ${newId()}`] },
				}),
			);
			const slug = (await json<{ tags: { slug: string }[] }>(tagged)).tags[0]?.slug ?? "";
			const dates = await datesOf(claim.id);
			const version = await claimVersion(claim.id);
			await tick();
			await ok(apiCall("PATCH", `/api/v1/tags/${slug}`, { token, body: { nameEn: `Port ${newId()}` } }));
			expectMoved(dates, await datesOf(claim.id), "topic rename", { entry: false });
			expect(await claimVersion(claim.id)).toBe(version);
		},
	);

	it(
		"a speaker renamed, then merged into another, moves every date, the entry's title with them, not the claim's version",
		TIMEOUT,
		async () => {
			const tag = newId();
			const { token, claim, dates, slug, speaker } = await speakerWithReviewedClaim(`Pat Renamed ${tag}`);
			const version = await claimVersion(claim.id);
			await tick();
			const name = `Patricia Renamed ${tag}`;
			await ok(
				apiCall("PATCH", `/api/v1/speakers/${slug}`, {
					token,
					body: { version: speaker.version, name, kind: "person", aliases: [] },
				}),
			);
			const renamed = await datesOf(claim.id);
			expect(renamed.atomTitle).toContain(name);
			expectMoved(dates, renamed, "speaker rename");
			// The claim itself was not edited: an edit form open on it still saves.
			expect(await claimVersion(claim.id)).toBe(version);

			const other = await makeClaim({ language: "en", speaker: { name: `Pat Survivor ${tag}` } });
			await tick();
			await ok(
				apiCall("POST", `/api/v1/speakers/${slug}/merge`, { token, body: { into: other.speaker?.slug } }),
			);
			const merged = await datesOf(claim.id);
			expect(merged.atomTitle).toContain(`Pat Survivor ${tag}`);
			expectMoved(renamed, merged, "speaker merge");
		},
	);
});

/**
 * Stores a copy of `url` as the archive's consumer does, fetched at `at` (ms), serving a
 * page, and Save Page Now's capture of it.
 */
async function storeCopy(url: string, at: number) {
	const [planned] = await planSnapshots(testDb(), [url], at);
	if (!planned) throw new Error(`no copy planned for ${url}`);
	const routes: Record<string, () => Response> = {
		[url]: () =>
			new Response("<html><body><article><p>The page as it was.</p></article></body></html>", {
				headers: { "Content-Type": "text/html" },
			}),
		[`https://web.archive.org/save/${url}`]: () =>
			new Response(null, { status: 302, headers: { Location: `/web/20261204120000/${url}` } }),
	};
	const fetcher: typeof fetch = async (input) =>
		routes[typeof input === "string" ? input : input instanceof URL ? input.href : input.url]?.() ??
		new Response("Not found", { status: 404 });
	let acked = false;
	await archiveSnapshots(
		[
			{
				body: { snapshotId: planned.id },
				ack: () => {
					acked = true;
				},
				retry: () => undefined,
			},
		],
		{ ...archiveDeps(fetcher, true), now: () => at },
	);
	expect(acked).toBe(true);
	expect((await getSnapshot(testDb(), planned.id))?.state).toBe("ok");
}

describe("a copy of what a claim cites", () => {
	it(
		"a copy elsewhere another claim's write gives the source moves every date of the answers of the claims citing it, not their feed entries', not their version",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const url = `https://news.example/cited-${newId()}`;
			const { claim, dates } = await reviewedClaim({ sourceUrl: url });
			const version = await claimVersion(claim.id);
			const other = await makeClaim({ language: "en" });
			await tick();
			const capture = `https://web.archive.org/web/20260101000000/${url}`;
			await ok(
				apiCall("POST", `/api/v1/claims/${other.id}/appearances`, {
					token,
					body: { source: { url, archivedUrl: capture }, quote: null },
				}),
				201,
			);
			const shown = await json<{ appearances: { source: { archivedUrl: string | null } }[] }>(
				await call(`/api/v1/claims/${claim.id}`),
			);
			expect(shown.appearances[0]?.source.archivedUrl).toBe(capture);
			expectMoved(dates, await datesOf(claim.id), "copy elsewhere", { entry: false });
			expect(await claimVersion(claim.id)).toBe(version);
		},
	);

	it(
		"the archive's own copy and Save Page Now's capture date none: the citation that asked for them did",
		TIMEOUT,
		async () => {
			const url = `https://zeitung.example/copied-${newId()}`;
			const { claim, dates } = await reviewedClaim({ sourceUrl: url });
			await tick();
			await storeCopy(url, Date.now());
			const shown = await json<{
				appearances: { source: { archivedUrl: string | null; snapshot: unknown } }[];
			}>(await call(`/api/v1/claims/${claim.id}`));
			expect(shown.appearances[0]?.source.snapshot).not.toBeNull();
			expect(shown.appearances[0]?.source.archivedUrl).toBe(
				`https://web.archive.org/web/20261204120000/${url}`,
			);
			const after = await datesOf(claim.id);
			expect(after.item).toBeUndefined();
			expect(after.lastmod).toBe(dates.lastmod);
			expect(after.atomEntry).toBe(dates.atomEntry);
		},
	);
});

describe("a change is dated once", () => {
	it("an appearance removed, and an edit, give every signal the same instant", TIMEOUT, async () => {
		const token = await editorToken();
		const { claim } = await reviewedClaim();
		await addReprint(token, claim.id);
		const detail = await json<{ appearances: { id: string; source: { url: string } }[] }>(
			await call(`/api/v1/claims/${claim.id}`),
		);
		const reprint = detail.appearances.find((a) => a.source.url.startsWith("https://reprint.example/"));
		await tick();
		await ok(
			apiCall("DELETE", `/api/v1/claims/${claim.id}/appearances/${reprint?.id}`, {
				token,
				body: { version: await claimVersion(claim.id), note: "Wrong outlet." },
			}),
		);
		const sameInstant = async (what: string) => {
			const dates = await datesOf(claim.id);
			const changes = (
				await json<{ changes: { at: string }[] }>(await call(`/api/v1/claims/${claim.id}`))
			).changes.map((c) => c.at);
			const at = changes.sort().at(-1);
			expect.soft(dates.lastmod, `${what}: sitemap lastmod`).toBe(at);
			expect.soft(dates.item, `${what}: DataFeed item`).toBe(at);
			expect.soft(dates.page, `${what}: page`).toBe(at);
			expect.soft(dates.atomEntry, `${what}: Atom entry`).toBe(at);
		};
		await sameInstant("appearance removed");
		await tick();
		await ok(
			apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
				token,
				body: {
					version: await claimVersion(claim.id),
					context: `Said at a rally ${newId()}.`,
					note: "Context.",
				},
			}),
		);
		await sameInstant("claim edited");
	});
});

describe("a claim's last public change, after review", () => {
	it(
		"an import of old reviews leaves a claim changed before it in the feed, and the feed's updated where it was",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const { claim } = await reviewedClaim();
			// Published long ago: only its change since can keep it among the feed's 50 entries.
			await env.DB.batch([
				env.DB.prepare(
					"UPDATE verdicts SET published_at = '2020-01-02T00:00:00.000Z' WHERE claim_id = ?",
				).bind(claim.id),
				env.DB.prepare("UPDATE claims SET reviewed_at = '2020-01-02T00:00:00.000Z' WHERE id = ?").bind(
					claim.id,
				),
			]);
			await tick();
			// A change its entry shows: the note ("Claim changed: …").
			await ok(
				apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
					token,
					body: {
						version: await claimVersion(claim.id),
						context: `At a rally ${newId()}.`,
						note: "Context.",
					},
				}),
			);
			const changed = await datesOf(claim.id);
			expect(changed.atomEntry).toBeDefined();
			// 55 reviews of another archive, written now, dated by their publisher in 2024.
			const { token: importer } = await apiToken((await makeUser("editor")).user, ["import"]);
			const batch = newId();
			const records = Array.from({ length: 55 }, (_, i) => ({
				externalId: `old-${batch}-${i}`,
				claim: { text: `Der Kai ${batch} Nummer ${i} ist alt.`, language: "de", claimedAt: "2024-01-01" },
				speaker: null,
				sources: [{ url: `https://archive.example/${batch}/${i}`, title: "Archiv" }],
				verdict: {
					rating: "false",
					originalRating: "Falsch",
					headline: `Alt ${i}`,
					url: `https://archive.example/checks/${batch}/${i}`,
					publishedAt: "2024-01-02",
				},
			}));
			await ok(apiCall("POST", "/api/v1/import", { token: importer, body: { records } }));
			const after = await datesOf(claim.id);
			expect(after.atomEntry, "the changed claim's entry is still in the feed").toBe(changed.atomEntry);
			expect(after.atomFeed >= changed.atomFeed, `${changed.atomFeed} → ${after.atomFeed}`).toBe(true);
		},
	);

	it(
		"a rename racing a publication leaves the publication's later time, not its own earlier one",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const claim = await makeClaim({ language: "en", speaker: { name: `Ray Racer ${newId()}` } });
			const slug = claim.speaker?.slug ?? "";
			const speaker = await json<{ version: number }>(await call(`/api/v1/speakers/${slug}`));
			// Between the rename's reads (its time taken) and its batch, the claim is published.
			const { response } = await fetchWith(
				racingD1(/^update "speakers"/i, async () => {
					await tick();
					await publish(claim.id, "false", { language: "en" });
				}),
				`/api/v1/speakers/${slug}`,
				{
					method: "PATCH",
					headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
					body: JSON.stringify({
						version: speaker.version,
						name: `Raymond Racer ${newId()}`,
						kind: "person",
						aliases: [],
					}),
				},
			);
			expect(response.status, await response.clone().text()).toBe(200);
			const row = await env.DB.prepare(
				"SELECT c.updated_at AS claim, v.updated_at AS verdict FROM claims c JOIN verdicts v ON v.id = c.current_verdict_id WHERE c.id = ?",
			)
				.bind(claim.id)
				.first<{ claim: string; verdict: string }>();
			expect(row?.claim, "the claim is not dated before its own publication").toBe(row?.verdict);
		},
	);

	it(
		"a speaker's new spelling dates none of its claims; a merge dates the claims that moved, not the survivor's",
		TIMEOUT,
		async () => {
			const tag = newId();
			const { token, claim, dates, slug, speaker } = await speakerWithReviewedClaim(`Sam Spelling ${tag}`);
			await tick();
			await ok(
				apiCall("PATCH", `/api/v1/speakers/${slug}`, {
					token,
					body: {
						version: speaker.version,
						name: speaker.name,
						kind: "person",
						aliases: [`S. Spelling ${tag}`],
					},
				}),
			);
			// Its claims show no spellings but the name: nothing of them changed.
			expect(await datesOf(claim.id)).toEqual(dates);

			const moved = await reviewedClaim({ speaker: { name: `Sam Moved ${tag}` } });
			await tick();
			await ok(
				apiCall("POST", `/api/v1/speakers/${moved.claim.speaker?.slug}/merge`, {
					token,
					body: { into: slug },
				}),
			);
			const survivor = await datesOf(claim.id);
			expect(survivor.page, "the survivor's own claim was not modified").toBeUndefined();
			expect(survivor.lastmod).toBe(dates.lastmod);
			expectMoved(moved.dates, await datesOf(moved.claim.id), "merged speaker's claim");
		},
	);

	it("an attachment made public dates its claim, not its feed entry", TIMEOUT, async () => {
		const { claim, dates } = await reviewedClaim();
		const uploadId = newId();
		// An internal attachment as an upload leaves it: its bytes in R2 (a backup of the shared
		// archive reads every object a row names), then its row.
		const bytes = new TextEncoder().encode("%PDF-1.4 shot");
		const sha256 = await sha256Hex(bytes);
		await env.ARCHIVE.put(uploadKey(uploadId), bytes, { sha256 });
		await env.DB.prepare(
			"INSERT INTO uploads (id, claim_id, filename, content_type, bytes, sha256, caption, is_public) VALUES (?, ?, 'shot.pdf', 'application/pdf', ?, ?, 'Shot', 0)",
		)
			.bind(uploadId, claim.id, bytes.length, sha256)
			.run();
		const editor = await account("editor");
		await tick();
		const published = await deskPost(editor, `/desk/attachments/${uploadId}/visibility`, {
			public: "true",
			_idem: newToken(18),
		});
		expect(published.status, await published.clone().text()).toBe(303);
		const after = await datesOf(claim.id);
		expect((after.lastmod ?? "") > (dates.lastmod ?? ""), `${dates.lastmod} → ${after.lastmod}`).toBe(true);
		expect(after.page).toBeDefined();
		expect(after.atomEntry, "the entry shows no attachment").toBe(dates.atomEntry);
	});

	it(
		"a speaker's description, kind and Wikidata id move every date of its claims' answers, not their feed entries'",
		TIMEOUT,
		async () => {
			const { token, claim, dates, slug } = await speakerWithReviewedClaim(`Dana Described ${newId()}`);
			let before = dates;
			for (const [what, change] of [
				["description", { description: "Harbour master" }],
				["kind", { kind: "organization" }],
				["Wikidata id", { wikidataId: "Q1234" }],
			] as const) {
				await tick();
				const { version } = await json<{ version: number }>(await call(`/api/v1/speakers/${slug}`));
				await ok(apiCall("PATCH", `/api/v1/speakers/${slug}`, { token, body: { version, ...change } }));
				const after = await datesOf(claim.id);
				expectMoved(before, after, `speaker's ${what}`, { entry: false });
				before = after;
			}
		},
	);
});

/** The Atom entry of one verdict (by its id), as a feed reader keys it. */
async function atomEntryOf(verdictId: string, lang: "en" | "de" = "en") {
	const atom = xml.parse(await (await call(`/feeds/verdicts.atom?lang=${lang}`)).text()) as {
		feed: { updated: string; entry?: unknown };
	};
	type Text = string | { "#text": string };
	const entries = [atom.feed.entry ?? []].flat() as {
		id: string;
		title: Text;
		summary: Text;
		updated: string;
		published: string;
	}[];
	const entry = entries.find((e) => e.id.endsWith(`:verdict/${verdictId}`));
	expect(entry, `verdict ${verdictId} is in the feed`).toBeDefined();
	const text = (value: Text | undefined) => (typeof value === "string" ? value : (value?.["#text"] ?? ""));
	return {
		updated: entry?.updated ?? "",
		published: entry?.published ?? "",
		title: text(entry?.title),
		summary: text(entry?.summary),
		feed: atom.feed.updated,
	};
}

describe("an Atom entry's updated never goes back (RFC 4287)", () => {
	it(
		"a correction moves the superseded entry to its supersession, past an edit it stood for",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const claim = await makeClaim({ language: "en" });
			const first = await publish(claim.id, "false", { language: "en" });
			const published = await atomEntryOf(first.id);
			await tick();
			await ok(
				apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
					token,
					body: { version: await claimVersion(claim.id), text: `Edited claim ${newId()}.`, note: "Typo." },
				}),
			);
			const edited = await atomEntryOf(first.id);
			expect(edited.updated > published.updated, `${published.updated} → ${edited.updated}`).toBe(true);
			await tick();
			const correction = await publish(claim.id, "true", { language: "en", correctionNote: "New data." });
			const superseded = await atomEntryOf(first.id);
			expect(superseded.title.startsWith("Superseded: ")).toBe(true);
			// Its title changed: a change readers (keyed on id + updated) must see, dated when it happened.
			expect(superseded.updated > edited.updated, `${edited.updated} → ${superseded.updated}`).toBe(true);
			const successor = await atomEntryOf(correction.id);
			expect(superseded.updated).toBe(successor.published);
			// Every surface agrees: the feed is as new as its newest entry, the sitemap the claim's last change.
			expect(superseded.feed >= superseded.updated).toBe(true);
			const dates = await datesOf(claim.id);
			expect(dates.lastmod).toBe(superseded.updated);
		},
	);

	it("a plain correction moves the superseded entry's updated with its new title", TIMEOUT, async () => {
		const claim = await makeClaim({ language: "en" });
		const first = await publish(claim.id, "false", { language: "en" });
		const before = await atomEntryOf(first.id);
		await tick();
		await publish(claim.id, "true", { language: "en", correctionNote: "New data." });
		const after = await atomEntryOf(first.id);
		expect(after.title.startsWith("Superseded: ")).toBe(true);
		expect(after.updated > before.updated, `${before.updated} → ${after.updated}`).toBe(true);
	});

	it(
		"a publication after a retraction leaves the retracted entry at the last change it stood for",
		TIMEOUT,
		async () => {
			const { token, claim, slug, speaker } = await speakerWithReviewedClaim(`Rita Retracted ${newId()}`);
			const row = await env.DB.prepare(
				"SELECT id, version FROM verdicts WHERE claim_id = ? AND state = 'published'",
			)
				.bind(claim.id)
				.first<{ id: string; version: number }>();
			expect(row).not.toBeNull();
			await tick();
			await retract(row?.id ?? "", row?.version ?? 0);
			const retracted = await atomEntryOf(row?.id ?? "");
			await tick();
			const name = `Rita Renamed ${newId()}`;
			await ok(
				apiCall("PATCH", `/api/v1/speakers/${slug}`, {
					token,
					body: { version: speaker.version, name, kind: "person", aliases: [] },
				}),
			);
			const renamed = await atomEntryOf(row?.id ?? "");
			expect(renamed.title).toContain(name);
			expect(renamed.updated > retracted.updated, `${retracted.updated} → ${renamed.updated}`).toBe(true);
			await tick();
			await publish(claim.id, "true", { language: "en" });
			const after = await atomEntryOf(row?.id ?? "");
			expect(after.title.startsWith("Retracted: ")).toBe(true);
			expect(after.updated, "the retracted entry keeps the rename's time").toBe(renamed.updated);
		},
	);

	it(
		"a publication after a retraction leaves the retracted entry's change note as it stood, in English and German",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const claim = await makeClaim({ language: "en" });
			const first = await publish(claim.id, "false", { language: "en" });
			await tick();
			await retract(first.id, first.version);
			await tick();
			const note = `The quote was transcribed wrongly ${newId()}.`;
			await ok(
				apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
					token,
					body: { version: await claimVersion(claim.id), text: `Edited claim ${newId()}.`, note },
				}),
			);
			// Standing for the claim, the withdrawn entry tells of the edit made since.
			const said = { en: `Claim changed: ${note}`, de: `Behauptung geändert: ${note}` } as const;
			const edited = { en: await atomEntryOf(first.id, "en"), de: await atomEntryOf(first.id, "de") };
			for (const lang of ["en", "de"] as const) expect(edited[lang].summary).toContain(said[lang]);
			await tick();
			const next = await publish(claim.id, "true", { language: "en" });
			for (const lang of ["en", "de"] as const) {
				const after = await atomEntryOf(first.id, lang);
				// It no longer stands, and kept its time (a reader keyed on id and updated is told
				// nothing new): so it says what it said then, the note included.
				expect(after.updated, lang).toBe(edited[lang].updated);
				expect(after.title, lang).toBe(edited[lang].title);
				expect(after.summary, lang).toBe(edited[lang].summary);
				// The new publication came after the edit: its entry does not announce it.
				expect((await atomEntryOf(next.id, lang)).summary, lang).not.toContain(note);
			}
			// A later edit retitles the withdrawn entry and moves it; its note is the claim's
			// standing entry's to tell, as for a superseded entry: the old one is not told again.
			await tick();
			const later = `A second edit ${newId()}.`;
			const text = `Edited again ${newId()}.`;
			await ok(
				apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
					token,
					body: { version: await claimVersion(claim.id), text, note: later },
				}),
			);
			for (const lang of ["en", "de"] as const) {
				const after = await atomEntryOf(first.id, lang);
				expect(after.title, lang).toContain(text);
				expect(after.updated > edited[lang].updated, lang).toBe(true);
				expect(after.summary, lang).not.toContain(note);
				expect(after.summary, lang).not.toContain(later);
				expect((await atomEntryOf(next.id, lang)).summary, lang).toContain(
					`${said[lang].split(":")[0]}: ${later}`,
				);
			}
		},
	);
});

describe("an Atom entry's updated never goes back, nor moves for what it does not show", () => {
	it(
		"a retracted entry keeps its retraction's time through a topic's rename and a new publication",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const claim = await makeClaim({ language: "en" });
			const tagged = await ok(
				apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
					token,
					body: { version: await claimVersion(claim.id), tags: [`Quay ${newId()}`] },
				}),
			);
			const slug = (await json<{ tags: { slug: string }[] }>(tagged)).tags[0]?.slug ?? "";
			const first = await publish(claim.id, "false", { language: "en" });
			await tick();
			await retract(first.id, first.version);
			const retracted = await atomEntryOf(first.id);
			await tick();
			await ok(apiCall("PATCH", `/api/v1/tags/${slug}`, { token, body: { nameEn: `Pier ${newId()}` } }));
			expect((await atomEntryOf(first.id)).updated, "standing, after the rename").toBe(retracted.updated);
			await tick();
			await publish(claim.id, "true", { language: "en" });
			const after = await atomEntryOf(first.id);
			expect(after.updated, "no longer standing, after the publication").toBe(retracted.updated);
		},
	);
});

describe("an Atom entry that no longer stands moves when its words change", () => {
	it(
		"a superseded entry of a claim without a speaker moves when its first appearance goes and another publisher is credited",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const claim = await makeClaim({ language: "en", speaker: null });
			const first = await publish(claim.id, "false", { language: "en" });
			await tick();
			await publish(claim.id, "true", { language: "en", correctionNote: "New data." });
			await addReprint(token, claim.id);
			const before = await atomEntryOf(first.id);
			expect(before.title).toContain("— News Example");
			const detail = await json<{ appearances: { id: string; source: { url: string } }[] }>(
				await call(`/api/v1/claims/${claim.id}`),
			);
			const original = detail.appearances.find((a) => a.source.url.startsWith("https://news.example/"));
			await tick();
			await ok(
				apiCall("DELETE", `/api/v1/claims/${claim.id}/appearances/${original?.id}`, {
					token,
					body: { version: await claimVersion(claim.id), note: "Not where it first appeared." },
				}),
			);
			const after = await atomEntryOf(first.id);
			expect(after.title).toContain("— reprint.example");
			expect(after.updated > before.updated, `${before.updated} → ${after.updated}`).toBe(true);
		},
	);

	it(
		"an entry of a claim without a speaker moves when an import gives the claim its first appearance, which its title names",
		TIMEOUT,
		async () => {
			const { token } = await apiToken((await account("editor")).user, ["import"]);
			const tag = newId();
			const record = {
				externalId: `https://checks.example/${tag}`,
				claim: { text: `The tunnel ${tag} is closed.`, language: "en" },
				speaker: null,
				sources: [] as { url: string; title?: string }[],
				verdict: {
					rating: "false",
					originalRating: "False",
					headline: "The tunnel is open",
					url: `https://checks.example/${tag}`,
					language: "en",
				},
			};
			const send = async (records: unknown[]) => {
				const response = await apiCall("POST", "/api/v1/import", { token, body: { records } });
				expect(response.status, await response.clone().text()).toBe(200);
				return (await json<{ results: { claimId: string; status: string }[] }>(response)).results[0];
			};
			const claimId = (await send([record]))?.claimId ?? "";
			const verdict = await env.DB.prepare(
				"SELECT id FROM verdicts WHERE claim_id = ? AND state = 'published'",
			)
				.bind(claimId)
				.first<{ id: string }>();
			const before = await atomEntryOf(verdict?.id ?? "");
			expect(before.title).not.toContain(" — ");
			await tick();
			const again = await send([
				{ ...record, sources: [{ url: `https://news.example/${tag}`, title: "Tunnel" }] },
			]);
			expect(again).toMatchObject({ status: "updated", claimId });
			const after = await atomEntryOf(verdict?.id ?? "");
			expect(after.title).toContain(" — news.example");
			expect(after.updated > before.updated, `${before.updated} → ${after.updated}`).toBe(true);
		},
	);

	it(
		"a superseded and a withdrawn entry keep their updated through a context edit, a date said edited and a second appearance removed; an edit of the words and a speaker's rename move them",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const patch = async (claimId: string, body: Record<string, unknown>) =>
				ok(
					apiCall("PATCH", `/api/v1/claims/${claimId}`, {
						token,
						body: { version: await claimVersion(claimId), ...body },
					}),
				);
			// Superseded by a correction; retracted, then published anew: neither stands.
			const corrected = await makeClaim({ language: "en", speaker: { name: `Sue Superseded ${newId()}` } });
			const first = await publish(corrected.id, "false", { language: "en" });
			await tick();
			await publish(corrected.id, "true", { language: "en", correctionNote: "New data." });
			const republished = await makeClaim({ language: "en", speaker: { name: `Will Withdrawn ${newId()}` } });
			const withdrawn = await publish(republished.id, "false", { language: "en" });
			await tick();
			const row = await env.DB.prepare("SELECT version FROM verdicts WHERE id = ?")
				.bind(withdrawn.id)
				.first<{ version: number }>();
			await retract(withdrawn.id, row?.version ?? 0);
			await tick();
			await publish(republished.id, "true", { language: "en" });
			for (const claim of [corrected, republished]) await addReprint(token, claim.id);
			const entries = [
				[corrected, first.id],
				[republished, withdrawn.id],
			] as const;
			const before = [await atomEntryOf(first.id), await atomEntryOf(withdrawn.id)];
			expect(before[0]?.title.startsWith("Superseded: ")).toBe(true);
			expect(before[1]?.title.startsWith("Retracted: ")).toBe(true);

			// Changes neither entry shows (their titles quote the words and name the speaker).
			for (const [claim] of entries) {
				await tick();
				await patch(claim.id, { context: `Said on the radio ${newId()}.`, note: "Context." });
				await patch(claim.id, { claimedAt: "2025-03-04", note: "Date." });
				const detail = await json<{ appearances: { id: string; source: { url: string } }[] }>(
					await call(`/api/v1/claims/${claim.id}`),
				);
				const reprint = detail.appearances.find((a) => a.source.url.startsWith("https://reprint.example/"));
				await ok(
					apiCall("DELETE", `/api/v1/claims/${claim.id}/appearances/${reprint?.id}`, {
						token,
						body: { version: await claimVersion(claim.id), note: "Wrong outlet." },
					}),
				);
			}
			for (const [i, [, id]] of entries.entries()) {
				const after = await atomEntryOf(id);
				expect.soft(after.updated, `entry ${i}: context, date, appearance`).toBe(before[i]?.updated);
				expect.soft(after.title, `entry ${i}`).toBe(before[i]?.title);
			}

			// Its words edited: the entry's title changed, a reader must be told.
			const words = `Edited ${newId()}`;
			for (const [i, [claim, id]] of entries.entries()) {
				await tick();
				await patch(claim.id, { text: `${words} ${i}.`, note: "Typo." });
				const after = await atomEntryOf(id);
				expect(after.title).toContain(`${words} ${i}.`);
				expect(after.updated > (before[i]?.updated ?? ""), `entry ${i}: text`).toBe(true);
			}
			// Its speaker renamed: the title names them.
			for (const [i, [claim, id]] of entries.entries()) {
				const edited = await atomEntryOf(id);
				const slug = claim.speaker?.slug ?? "";
				const speaker = await json<{ version: number }>(await call(`/api/v1/speakers/${slug}`));
				const name = `Renamed ${newId()}`;
				await tick();
				await ok(
					apiCall("PATCH", `/api/v1/speakers/${slug}`, {
						token,
						body: { version: speaker.version, name, kind: "person", aliases: [] },
					}),
				);
				const after = await atomEntryOf(id);
				expect(after.title).toContain(name);
				expect(after.updated > edited.updated, `entry ${i}: rename`).toBe(true);
			}
		},
	);

	it(
		"a superseded entry and one withdrawn in an earlier round take an edit of their claim's words, a later correction does not move them",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const edit = async (claimId: string, text: string) =>
				ok(
					apiCall("PATCH", `/api/v1/claims/${claimId}`, {
						token,
						body: { version: await claimVersion(claimId), text, note: "Typo." },
					}),
				);
			// Superseded by a correction.
			const corrected = await makeClaim({ language: "en" });
			const first = await publish(corrected.id, "false", { language: "en" });
			await tick();
			await publish(corrected.id, "true", { language: "en", correctionNote: "New data." });
			const superseded = await atomEntryOf(first.id);
			// Retracted, then published anew: the retraction no longer stands.
			const republished = await makeClaim({ language: "en" });
			const withdrawn = await publish(republished.id, "false", { language: "en" });
			await tick();
			const row = await env.DB.prepare("SELECT version FROM verdicts WHERE id = ?")
				.bind(withdrawn.id)
				.first<{ version: number }>();
			await retract(withdrawn.id, row?.version ?? 0);
			await tick();
			await publish(republished.id, "true", { language: "en" });
			const retracted = await atomEntryOf(withdrawn.id);
			expect(retracted.title.startsWith("Retracted: ")).toBe(true);

			await tick();
			const words = `Edited ${newId()}`;
			await edit(corrected.id, `${words} one.`);
			await edit(republished.id, `${words} two.`);
			for (const [before, id, text] of [
				[superseded, first.id, `${words} one.`],
				[retracted, withdrawn.id, `${words} two.`],
			] as const) {
				const after = await atomEntryOf(id);
				// Same id, other words: a reader keyed on id and updated must be told.
				expect(after.title).toContain(text);
				expect(after.title.slice(0, 12)).toBe(before.title.slice(0, 12));
				expect(after.updated > before.updated, `${before.updated} → ${after.updated}`).toBe(true);
				expect(after.feed >= after.updated).toBe(true);
			}
			// A correction changes none of the superseded entry's words: it keeps the edit's time.
			const edited = await atomEntryOf(first.id);
			await tick();
			await publish(corrected.id, "mostly-true", { language: "en", correctionNote: "Newer data." });
			expect((await atomEntryOf(first.id)).updated).toBe(edited.updated);
		},
	);
});
