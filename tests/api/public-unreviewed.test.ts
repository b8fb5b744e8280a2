import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { newId } from "../../src/domain/ids";
import { encodeCursor } from "../../src/lib/cursor";
import { SYSTEM } from "../../src/store/batch";
import { setClaimTags } from "../../src/store/collaboration";
import { mergeSpeakers } from "../../src/store/speaker-edits";
import { account, apiToken } from "../desk/helpers";
import { draft, makeClaim, publish } from "../factories";
import { BASE, json, testDb } from "../helpers";

/** The app as a deployment with `PUBLIC_UNREVIEWED = "hide"` answers. */
async function hidden(path: string): Promise<Response> {
	const ctx = createExecutionContext();
	const response = await app.fetch(new Request(`${BASE}${path}`), { ...env, PUBLIC_UNREVIEWED: "hide" }, ctx);
	await waitOnExecutionContext(ctx);
	return response;
}

describe("PUBLIC_UNREVIEWED = hide", () => {
	it("still lists an assignee's open claims to their token (a private answer)", async () => {
		const checker = await account("checker");
		const { token } = await apiToken(checker.user, ["claims:write"]);
		const open = await makeClaim({ text: `Assigned ${newId()} harbour` });
		await env.DB.prepare("UPDATE claims SET assignee_id = ? WHERE id = ?")
			.bind(checker.user.id, open.id)
			.run();
		const ctx = createExecutionContext();
		const response = await app.fetch(
			new Request(`${BASE}/api/v1/claims?assignee=me`, { headers: { Authorization: `Bearer ${token}` } }),
			{ ...env, PUBLIC_UNREVIEWED: "hide" },
			ctx,
		);
		await waitOnExecutionContext(ctx);
		expect(response.status).toBe(200);
		expect(response.headers.get("cache-control")).toContain("no-store");
		const body = (await response.json()) as { data: { id: string; status: string }[] };
		expect(body.data.map((c) => c.id)).toEqual([open.id]);
		expect(body.data[0]?.status).toBe("unverified");
	});

	it("answers 404 for a claim without a published verdict on every surface, and lists only reviewed ones", async () => {
		const tag = newId();
		const unverified = await makeClaim({
			text: `Hidden ${tag} unverified harbour`,
			speaker: { name: `Quiet Person ${tag}` },
			sourceUrl: `https://hidden-${tag}.example/article`,
		});
		const inReview = await makeClaim({ text: `Hidden ${tag} inreview harbour` });
		await draft(inReview.id);
		// Its own domain: the shared database's other sources do not push it off a page.
		const published = await makeClaim({
			text: `Hidden ${tag} published harbour`,
			sourceUrl: `https://shown-${tag}.example/article`,
		});
		await publish(published.id);
		for (const claim of [unverified, inReview]) {
			expect((await hidden(`/api/v1/claims/${claim.id}`)).status).toBe(404);
			expect((await hidden(`/claims/${claim.id}`)).status).toBe(404);
			expect((await hidden(`/embed/${claim.id}`)).status).toBe(404);
			const badge = await hidden(`/badges/${claim.id}.svg`);
			expect(badge.status).toBe(404);
			expect(await badge.text()).toContain("not found");
			const oembed = encodeURIComponent(`${BASE}/claims/${claim.id}`);
			expect((await hidden(`/oembed?url=${oembed}`)).status).toBe(404);
		}
		expect((await hidden(`/api/v1/claims/${published.id}`)).status).toBe(200);
		const list = (await (await hidden(`/api/v1/claims?q=${tag}`)).json()) as { data: { id: string }[] };
		expect(list.data.map((c) => c.id)).toEqual([published.id]);
		const page = await (await hidden(`/claims?q=${tag}&lang=en`)).text();
		expect(page).not.toContain(`Hidden ${tag} unverified`);
		expect(page).not.toContain(`Hidden ${tag} inreview`);
		// A speaker known only from a hidden claim is not public, and no count gives it away.
		expect((await hidden(`/api/v1/speakers/${unverified.speaker?.slug}`)).status).toBe(404);
		const speakers = await (await hidden("/api/v1/speakers?limit=100")).text();
		expect(speakers).not.toContain(`Quiet Person ${tag}`);
		const speakerOfPublished = await (await hidden(`/api/v1/speakers/${published.speaker?.slug}`)).json();
		expect(speakerOfPublished).toMatchObject({ scorecard: { claims: 1, published: 1 } });
		const home = await (await hidden("/?lang=en")).text();
		expect(home).not.toContain(`Hidden ${tag} unverified`);
		// Nor is an article only hidden claims came from, or a topic only they carry.
		const hiddenSource = unverified.appearances[0]?.sourceId ?? "";
		expect((await hidden(`/api/v1/sources/${hiddenSource}`)).status).toBe(404);
		expect((await hidden(`/sources/${hiddenSource}`)).status).toBe(404);
		const hiddenList = await hidden(`/api/v1/sources?domain=hidden-${tag}.example`);
		expect(((await hiddenList.json()) as { data: unknown[] }).data).toEqual([]);
		const shownSource = published.appearances[0]?.sourceId ?? "";
		expect((await hidden(`/api/v1/sources/${shownSource}`)).status).toBe(200);
		expect((await hidden(`/sources/${shownSource}`)).status).toBe(200);
		expect(await (await hidden(`/api/v1/sources?domain=shown-${tag}.example`)).text()).toContain(shownSource);
		const topic = `hidden-${tag}`;
		await setClaimTags(
			testDb(),
			SYSTEM("test"),
			unverified.id,
			[{ slug: topic, name: `Hidden ${tag}` }],
			null,
		);
		expect((await hidden(`/tags/${topic}`)).status).toBe(404);
		await setClaimTags(
			testDb(),
			SYSTEM("test"),
			published.id,
			[{ slug: topic, name: `Hidden ${tag}` }],
			null,
		);
		expect((await hidden(`/tags/${topic}`)).status).toBe(200);
	});

	it("counts and ranks search matches among reviewed claims only: hidden ones neither show nor crowd out", async () => {
		const marker = `m${newId()}`;
		// The reviewed claim is the oldest: 250 newer hidden matches would fill the ranking window.
		const published = await makeClaim({ text: `Geprüft ${marker}`, language: "de" });
		await publish(published.id);
		await env.DB.prepare(
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250)
			 INSERT INTO claims (id, text, language, status, fingerprint)
			 SELECT printf('h%s%03d', substr(?1, 2, 10), i), 'Ungeprüft ' || i || ' ' || ?1, 'de', 'unverified', ?1 || i FROM n`,
		)
			.bind(marker)
			.run();
		const list = (await (await hidden(`/api/v1/claims?q=${marker}`)).json()) as {
			data: { id: string }[];
			matches: unknown;
		};
		expect(list.data.map((c) => c.id)).toEqual([published.id]);
		expect(list.matches).toEqual({ count: 1, accuracy: "exact" });
		const page = await (await hidden(`/claims?q=${marker}&lang=en`)).text();
		expect(page).toContain('<p class="match-count" role="status">1 matching claim.</p>');
		expect(page).toContain(`Geprüft ${marker}`);
		// Listed publicly (the default), the same search has 251 matches: more than the window.
		const listed = async (path: string) => {
			const ctx = createExecutionContext();
			const response = await app.fetch(new Request(`${BASE}${path}`), env, ctx);
			await waitOnExecutionContext(ctx);
			return response;
		};
		const all = await listed(`/api/v1/claims?q=${marker}&sort=recent`);
		const { matches } = (await all.json()) as { matches: { count: number; accuracy: string } };
		expect(matches.accuracy).toBe("estimate");
		expect(matches.count).toBeGreaterThanOrEqual(201);
		const about = await (await listed(`/claims?q=${marker}&lang=en`)).text();
		expect(about).toMatch(
			/<p class="match-count" role="status">About [\d,]+ matching claims\. Shown are the best among the newest 200 matches; narrow the search to reach older ones\.<\/p>/,
		);
		// The reviewed claim is older than the newest 201 matches: among them, none has its status.
		const status = ((await (await listed(`/api/v1/claims/${published.id}`)).json()) as { status: string })
			.status;
		const bound = await (await listed(`/claims?q=${marker}&status=${status}&lang=de`)).text();
		expect(bound).toContain(
			'<p class="match-count" role="status">Mit diesem Status unter den neuesten 200 Treffern: 0. Für ältere die Suche eingrenzen.</p>',
		);
		expect(
			((await (await listed(`/api/v1/claims?q=${marker}&status=${status}`)).json()) as { matches: unknown })
				.matches,
		).toEqual({ count: 0, accuracy: "lower-bound" });
		// More reviewed matches than the window (withdrawals): still, no reviewed claim is
		// unverified or in review. None match, exactly, with no advice to narrow the search.
		await env.DB.prepare(
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 201)
			 INSERT INTO claims (id, text, language, status, fingerprint)
			 SELECT printf('r%s%03d', substr(?1, 2, 10), i), 'Zurückgezogen ' || i || ' ' || ?1, 'de', 'retracted', 'r' || ?1 || i FROM n`,
		)
			.bind(marker)
			.run();
		for (const status of ["unverified", "in-review"]) {
			const none = (await (await hidden(`/api/v1/claims?q=${marker}&status=${status}`)).json()) as {
				data: unknown[];
				matches: unknown;
			};
			expect(none).toMatchObject({ data: [], matches: { count: 0, accuracy: "exact" } });
			const nonePage = await (await hidden(`/claims?q=${marker}&status=${status}&lang=en`)).text();
			expect(nonePage).not.toContain('class="match-count"');
		}
		// Without the status, the same search is an estimate over reviewed claims.
		expect(
			((await (await hidden(`/api/v1/claims?q=${marker}`)).json()) as { matches: { accuracy: string } })
				.matches.accuracy,
		).toBe("estimate");
	});

	it("a source page past its last claim is an empty page, as a topic's; an unreviewed source stays a 404", async () => {
		const reviewedClaim = await makeClaim({ sourceUrl: `https://news.example/reviewed-${newId()}.html` });
		await publish(reviewedClaim.id);
		const unreviewedClaim = await makeClaim({ sourceUrl: `https://news.example/unreviewed-${newId()}.html` });
		const [cited, unseen] = [reviewedClaim, unreviewedClaim].map((c) => c.appearances[0]?.sourceId ?? "");
		const past = encodeCursor(["k", null, 1], "claims-recent");
		for (const query of ["", `?cursor=${past}`]) {
			const page = await hidden(`/sources/${cited}${query}`);
			expect([query, page.status]).toEqual([query, 200]);
			expect([query, (await hidden(`/sources/${unseen}${query}`)).status]).toEqual([query, 404]);
		}
		expect(await (await hidden(`/sources/${cited}?cursor=${past}`)).text()).not.toContain(reviewedClaim.text);
		expect((await hidden(`/api/v1/sources/${cited}`)).status).toBe(200);
		expect((await hidden(`/api/v1/sources/${unseen}`)).status).toBe(404);
	});

	it("lists everything with the default setting", async () => {
		const claim = await makeClaim();
		const ctx = createExecutionContext();
		const response = await app.fetch(new Request(`${BASE}/api/v1/claims/${claim.id}`), env, ctx);
		await waitOnExecutionContext(ctx);
		expect(response.status).toBe(200);
	});

	it("a merged speaker that was never public answers 404, not 301 to the survivor", async () => {
		const tag = newId();
		const survivor = await makeClaim({ speaker: { name: `Kept Speaker ${tag}` } });
		await publish(survivor.id);
		const unseen = await makeClaim({ speaker: { name: `Unseen Speaker ${tag}` } });
		const seen = await makeClaim({ speaker: { name: `Seen Speaker ${tag}` } });
		await publish(seen.id);
		const into = survivor.speaker?.slug ?? "";
		for (const merged of [unseen, seen])
			await mergeSpeakers(testDb(), SYSTEM("test"), merged.speaker?.slug ?? "", into);
		const never = unseen.speaker?.slug ?? "";
		expect((await hidden(`/speakers/${never}`)).status).toBe(404);
		expect((await hidden(`/api/v1/speakers/${never}`)).status).toBe(404);
		// Nor does the claims list follow its old slug to the survivor's claims.
		const listed = await json<{ data: unknown[] }>(await hidden(`/api/v1/claims?speaker=${never}`));
		expect(listed.data).toEqual([]);
		const followed = await json<{ data: unknown[] }>(
			await hidden(`/api/v1/claims?speaker=${seen.speaker?.slug}`),
		);
		expect(followed.data.length).toBeGreaterThan(0);
		// One that was public still leads to the survivor; and every one does where all is shown.
		const was = seen.speaker?.slug ?? "";
		for (const slug of [was]) {
			expect((await hidden(`/speakers/${slug}`)).status).toBe(301);
			expect((await hidden(`/api/v1/speakers/${slug}`)).status).toBe(301);
		}
		for (const slug of [never, was]) {
			const shown = await app.fetch(new Request(`${BASE}/speakers/${slug}`), env, createExecutionContext());
			expect(shown.status).toBe(301);
			expect(shown.headers.get("location")).toContain(`/speakers/${into}`);
		}
	});
});
