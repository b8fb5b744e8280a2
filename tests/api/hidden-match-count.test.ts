import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { newId } from "../../src/domain/ids";
import { SYSTEM } from "../../src/store/batch";
import { BulkHistory } from "../bulk-fixtures";
import { BASE, json, testDb } from "../helpers";
import { useOwnDatabase } from "../own-database";

useOwnDatabase();

/*
 * Its own database (useOwnDatabase): the estimate extrapolates over the seq range
 * of the claims a list can show, so another file's claims recorded meanwhile would move it.
 */

/** The app as a deployment with `PUBLIC_UNREVIEWED = "hide"` answers. */
async function hidden(path: string): Promise<Response> {
	const ctx = createExecutionContext();
	const response = await app.fetch(new Request(`${BASE}${path}`), { ...env, PUBLIC_UNREVIEWED: "hide" }, ctx);
	await waitOnExecutionContext(ctx);
	return response;
}

/** `count` claims saying `word`, each with a published verdict, recorded a second apart. */
async function reviewedClaimsSaying(word: string, count: number) {
	const history = new BulkHistory(new Date(Date.now() - 86_400_000));
	const actor = SYSTEM("test");
	const source = history.source(actor, {
		url: `https://news.example/${newId()}`,
		title: "Reviewed archive",
		publisher: null,
		author: null,
		language: "en",
		publishedAt: null,
		archivedUrl: null,
	});
	for (let i = 0; i < count; i++) {
		const claim = await history.bareClaim(
			actor,
			source.id,
			`The ${word} number ${i} was built in ${1700 + i}.`,
			"en",
		);
		const input = {
			rating: "false" as const,
			headline: `Not so ${i}`,
			summary: null,
			body: null,
			evidence: [],
			language: "en",
		};
		history.publish(actor, history.draft(actor, claim.id, input).id, null);
	}
	await history.write(testDb());
}

/** `count` unverified claims, saying `word` or not: hidden where unreviewed claims are. */
async function unverifiedClaims(prefix: string, text: string, count: number) {
	await env.DB.prepare(
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
		 INSERT INTO claims (id, text, language, status, fingerprint)
		 SELECT printf('%s%05d', ?1, i), ?2 || ' ' || i, 'en', 'unverified', ?1 || i FROM n`,
	)
		.bind(prefix, text, count)
		.run();
}

describe("PUBLIC_UNREVIEWED = hide: the match count", () => {
	it("stays the same while unreviewed claims are recorded, matching or not", {
		timeout: 120_000,
	}, async () => {
		const word = `Molenkopf${newId().replace(/\d/g, "")}`;
		await reviewedClaimsSaying(word, 300);
		const count = async () =>
			(await json<{ matches: { count: number; accuracy: string } }>(await hidden(`/api/v1/claims?q=${word}`)))
				.matches;
		const line = async () =>
			/<p class="match-count" role="status">([^<]*)<\/p>/.exec(
				await (await hidden(`/claims?q=${word}&lang=en`)).text(),
			)?.[1];
		// More than the ranking window: an estimate, and on this corpus the truth.
		expect(await count()).toEqual({ count: 300, accuracy: "estimate" });
		expect(await line()).toMatch(/^About 300 matching claims\./);
		// The desk records 2,000 claims without the word and 50 with it, none reviewed: from the
		// count, an observer of the public site learned how many (it fell to about 210).
		await unverifiedClaims("u", "An unrelated statement about the weather", 2_000);
		await unverifiedClaims("w", `Yet unchecked ${word}`, 50);
		expect(await count()).toEqual({ count: 300, accuracy: "estimate" });
		expect(await line()).toMatch(/^About 300 matching claims\./);
	});
});
