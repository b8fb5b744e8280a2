import { applyD1Migrations, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { SCOPES } from "../../src/auth/permissions";
import { newId } from "../../src/domain/ids";
import { refreshSearchTerms } from "../../src/store/search-terms";
import { account, apiCall, apiToken, deskGet } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { call, json, testDb } from "../helpers";

/**
 * Soft hyphens (&shy; on news pages), zero-width spaces and joiners and the ligatures of PDFs
 * are no part of a word (domain/plain-text): "Lohnerhöhung" finds "Lohn\u00ADerhöhung",
 * "official" a source titled "oﬃcial", on claims written from now on and on claims stored
 * before (migration 0051). Speakers' names stay as written: a speaker is found by the key its
 * name folds to, which a soft hyphen breaks, and the same name pasted again must meet it; a
 * search reads the name without them where it is computed (the index's speaker text,
 * migration 0052, and the type-ahead's keys), so "Guttenberg" finds "Gutten\u00ADberg".
 */

interface List {
	data: { id: string; text: string }[];
}

const found = async (q: string) =>
	(await json<List>(await call(`/api/v1/claims?q=${encodeURIComponent(q)}`))).data.map((c) => c.id);

let token: string;
beforeAll(async () => {
	const admin = await account("admin");
	token = (await apiToken(admin.user, SCOPES)).token;
});

describe("characters that only hint at a layout", () => {
	it("are taken out of a new claim and its source, which search then finds; a speaker's name stays", async () => {
		const marker = `m${newId()}`;
		const response = await apiCall("POST", "/api/v1/claims", {
			token,
			body: {
				text: `Die Lohn\u00ADerhöhung kam mit dem Zero\u200Bwidth-Ge\u2060setz und \u{1F468}\u200D\u{1F469} in ${marker}`,
				context: `Die o\uFB03zielle Mel\u00ADdung ${marker}`,
				language: "de",
				speaker: { name: `Karl Gutten\u00ADberg ${marker}`, aliases: [`K. Gutten\u200Dberg ${marker}`] },
				source: { url: `https://news.example/${newId()}`, title: `An o\uFB03cial paper ${marker}` },
			},
		});
		expect(response.status, await response.clone().text()).toBe(201);
		const claim = await json<{ id: string; text: string; speaker: { name: string } }>(response);
		// The joiner of an emoji sequence stays: it joins the two into one picture.
		expect(claim.text).toBe(
			`Die Lohnerhöhung kam mit dem Zerowidth-Gesetz und \u{1F468}\u200D\u{1F469} in ${marker}`,
		);
		expect(claim.speaker.name).toBe(`Karl Gutten\u00ADberg ${marker}`);
		for (const q of ["Lohnerhöhung", "Gesetz", "offizielle", "Meldung", "official"])
			expect(await found(`${q} ${marker}`), q).toEqual([claim.id]);
		// A search pasted with a soft hyphen finds it too.
		expect(await found(`Lohn\u00ADerhöhung ${marker}`)).toEqual([claim.id]);
	}, 60_000);

	it("are taken out of claims stored before, by migration 0051, which search then finds", async () => {
		const marker = `m${newId()}`;
		// Stored as the old code stored them (makeClaim writes past the schema's cleaning).
		const claim = await makeClaim({
			text: `Die Lohn\u00ADerhöhung von ${marker}`,
			language: "de",
			speaker: { name: `Karl Gutten\u00ADberg ${marker}` },
			sourceTitle: `O\uFB03cial ${marker}`,
		});
		// Terms of an older version, as every claim's are after the upgrade (the cron's turn).
		// A verdict's headline keeps its soft hyphen: no migration cleans verdicts.
		await publish(claim.id, "false", { headline: `Die Renten\u00ADerhöhung ${marker} ist falsch` });
		// A quote at its 10,000 characters with a ligature: spelt out it would be too long.
		const long = await makeClaim({
			text: `O\uFB03ziell ${marker} ${"x".repeat(10_000 - 10 - marker.length)}`.slice(0, 10_000),
			language: "de",
		});
		const merged = await makeClaim({ text: `Ein Zwischen\u200Bruf ${marker}`, language: "de" });
		const db = env.DB;
		await db
			.prepare("INSERT INTO retired_claims (id, merged_into, text, language) VALUES (?, ?, ?, 'de')")
			.bind(`clm${newId()}`.slice(0, 14), merged.id, `Der Zwischen\u00ADrufer ${marker}`)
			.run();
		await db.prepare("UPDATE claims SET search_terms = search_terms WHERE id = ?").bind(merged.id).run();
		await db
			.prepare("UPDATE claims SET search_terms = NULL WHERE id IN (?, ?)")
			.bind(claim.id, merged.id)
			.run();
		expect(await found(`Lohnerhöhung ${marker}`)).toEqual([]);
		expect(await found(`Official ${marker}`)).toEqual([]);

		const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0051_"));
		expect(migration).toBeDefined();
		// Once more under a name of its own: the test database has 0051 applied already.
		await applyD1Migrations(db, [{ name: `0051_again_${marker}`, queries: migration?.queries ?? [] }]);

		const row = await db
			.prepare("SELECT text FROM claims WHERE id = ?")
			.bind(claim.id)
			.first<{ text: string }>();
		expect(row).toEqual({ text: `Die Lohnerhöhung von ${marker}` });
		// Too long spelt out: left as it was, and the migration went through.
		const kept = await db
			.prepare("SELECT text FROM claims WHERE id = ?")
			.bind(long.id)
			.first<{ text: string }>();
		expect(kept?.text).toBe(long.text);
		// The speaker's name is as stored, and the same name pasted again is that speaker.
		const speaker = await db
			.prepare("SELECT name, slug FROM speakers WHERE id = ?")
			.bind(claim.speaker?.id ?? "")
			.first<{ name: string; slug: string }>();
		expect(speaker?.name).toBe(`Karl Gutten\u00ADberg ${marker}`);
		const again = await apiCall("POST", "/api/v1/claims", {
			token,
			body: {
				text: `Eine neue Aussage ${marker}`,
				language: "de",
				speaker: { name: `Karl Gutten\u00ADberg ${marker}` },
				source: { url: `https://news.example/${newId()}`, title: "T" },
			},
		});
		expect(again.status, await again.clone().text()).toBe(201);
		expect((await json<{ speaker: { slug: string } }>(again)).speaker.slug).toBe(speaker?.slug);
		// Its words as written at once (the FTS row is re-indexed), its stems once the cron has run.
		for (const q of ["Lohnerhöhung", "official"])
			expect(await found(`${q} ${marker}`), q).toEqual([claim.id]);
		expect(await found(`Zwischenrufer ${marker}`)).toEqual([merged.id]);
		// The cron's run: terms of an older version (or none) written anew, not every claim's.
		await refreshSearchTerms(testDb());
		expect(await found(`Lohnerhöhungen ${marker}`)).toEqual([claim.id]);
		expect(await found(`Zwischenrufs ${marker}`)).toEqual([merged.id]);
		// The headline's stems, cleaned when the terms are computed.
		expect(await found(`Rentenerhöhungen ${marker}`)).toEqual([claim.id]);
	}, 120_000);

	it("are no break in a speaker's name, stored as written, for the claims' search and the speaker type-ahead", async () => {
		const marker = `m${newId()}`;
		const response = await apiCall("POST", "/api/v1/claims", {
			token,
			body: {
				text: `Eine Aussage über den Hafen ${marker}`,
				language: "de",
				speaker: {
					name: `Karl Gutten\u00ADberg ${marker}`,
					aliases: [`Freiherr von O\uFB00en\u200Bbach ${marker}`],
				},
				source: { url: `https://news.example/${newId()}`, title: "T" },
			},
		});
		expect(response.status, await response.clone().text()).toBe(201);
		const claim = await json<{ id: string; speaker: { id: string; slug: string; name: string } }>(response);
		// Stored as written: its matching key is what a name pasted again must meet.
		expect(claim.speaker.name).toBe(`Karl Gutten\u00ADberg ${marker}`);
		const speaker = await json<{ aliases: string[] }>(await call(`/api/v1/speakers/${claim.speaker.slug}`));
		expect(speaker.aliases).toContain(`Freiherr von O\uFB00en\u200Bbach ${marker}`);
		for (const q of ["Guttenberg", "Karl Guttenberg", '"Karl Guttenberg"', "Offenbach", "Gutten"])
			expect(await found(`${q} ${marker}`), q).toEqual([claim.id]);
		const checker = await account("checker");
		const suggested = async (q: string) =>
			(
				await json<{ data: { slug: string }[] }>(
					await deskGet(checker, `/desk/speakers/search?q=${encodeURIComponent(q)}`),
				)
			).data.map((s) => s.slug);
		for (const q of [`Guttenberg ${marker}`, `Karl Guttenberg ${marker}`, `von Offenbach ${marker}`])
			expect(await suggested(q), q).toEqual([claim.speaker.slug]);
		// A word start it does not have is still no match: "tenberg" is inside the word.
		expect(await suggested(`tenberg ${marker}`)).toEqual([]);
		// And a name typed with a soft hyphen finds the same name stored without one.
		const plain = await makeClaim({ speaker: { name: `Max Lohnmeier ${marker}` } });
		expect(await suggested(`Lohn\u00ADmeier ${marker}`)).toEqual([plain.speaker?.slug]);
	}, 60_000);

	it("in a speaker's name indexed before are read without them once migration 0052 has run", async () => {
		const marker = `m${newId()}`;
		const claim = await makeClaim({
			text: `Ein Satz über die Werft ${marker}`,
			language: "de",
			speaker: { name: `Anna Lohn\u00ADmeyer ${marker}` },
		});
		const db = env.DB;
		// Its index row as the triggers before 0052 wrote it: the name as written only.
		const row = await db
			.prepare("SELECT seq, text, search_terms FROM claims WHERE id = ?")
			.bind(claim.id)
			.first<{ seq: number; text: string; search_terms: string | null }>();
		await db.batch([
			db.prepare("DELETE FROM claims_fts WHERE rowid = ?").bind(row?.seq ?? 0),
			db
				.prepare(
					"INSERT INTO claims_fts(rowid, body, speaker, sources, terms, speaker_unreviewed) VALUES (?, ?, ?, '', ?, '')",
				)
				.bind(row?.seq ?? 0, row?.text ?? "", `Anna Lohn\u00ADmeyer ${marker}`, row?.search_terms ?? ""),
		]);
		expect(await found(`Lohnmeyer ${marker}`)).toEqual([]);
		const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0052_"));
		expect(migration).toBeDefined();
		await applyD1Migrations(db, [{ name: `0052_again_${marker}`, queries: migration?.queries ?? [] }]);
		expect(await found(`Lohnmeyer ${marker}`)).toEqual([claim.id]);
	}, 60_000);
});
