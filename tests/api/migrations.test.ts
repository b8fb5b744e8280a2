import { applyD1Migrations, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";

/**
 * Migrations that rebuild referenced tables (0004 verdicts, 0005 claims) or the search
 * index (0012), or fill a derived table (0016), must work on a
 * database with data, where D1 keeps foreign keys on: apply 0000–0003, write a claim with
 * a retracted verdict and a corrected one, then apply the rest (docs/decisions.md); a
 * claim change recorded before 0021 (which rebuilt claim_changes) stays.
 */
describe("migrations on a database with data", () => {
	it("0004–0007 keep every row, move retraction reasons and give retracted claims their status", async () => {
		const db = env.MIGRATION_DB;
		const all = env.TEST_MIGRATIONS;
		const early = all.filter((m) => /^000[0-3]_/.test(m.name));
		await applyD1Migrations(db, early);
		await db.batch(
			[
				"INSERT INTO speakers (id, name, slug, kind) VALUES ('spk00000000001', 'Ann Lee', 'ann-lee', 'person')",
				"INSERT INTO speaker_aliases (id, speaker_id, alias, normalized) VALUES ('als00000000001', 'spk00000000001', 'Ann Lee', 'ann lee')",
				"INSERT INTO sources (id, url, domain, title) VALUES ('src00000000001', 'https://news.example/a', 'news.example', 'A')",
				"INSERT INTO claims (id, text, language, speaker_id, status, fingerprint) VALUES ('clm00000000001', 'The harbour is open', 'en', 'spk00000000001', 'unverified', 'fp1')",
				"INSERT INTO claims (id, text, language, speaker_id, status, fingerprint) VALUES ('clm00000000002', 'The harbour is closed', 'en', 'spk00000000001', 'false', 'fp2')",
				"INSERT INTO appearances (id, claim_id, source_id, is_first) VALUES ('app00000000001', 'clm00000000001', 'src00000000001', 1)",
				"INSERT INTO appearances (id, claim_id, source_id, is_first) VALUES ('app00000000002', 'clm00000000002', 'src00000000001', 1)",
				"INSERT INTO verdicts (id, claim_id, rating, headline, state, correction_note, published_at, retracted_at) VALUES ('vrd00000000001', 'clm00000000001', 'false', 'No', 'retracted', 'Forged source', '2025-07-13T00:00:00Z', '2025-07-14T00:00:00Z')",
				"INSERT INTO verdicts (id, claim_id, rating, headline, state, published_at) VALUES ('vrd00000000003', 'clm00000000002', 'true', 'Old', 'superseded', '2025-07-12T00:00:00Z')",
				'INSERT INTO verdicts (id, claim_id, rating, headline, state, published_at, supersedes_id, correction_note, evidence) VALUES (\'vrd00000000002\', \'clm00000000002\', \'false\', \'No\', \'published\', \'2025-07-13T00:00:00Z\', \'vrd00000000003\', \'Fixed\', \'[{"url":"https://e.example/a","title":"A"},{"url":"https://e.example/b","title":"B"},{"url":"https://e.example/a","title":"A again"},{"title":"no address"}]\')',
				"UPDATE claims SET current_verdict_id = 'vrd00000000002' WHERE id = 'clm00000000002'",
			].map((sql) => db.prepare(sql)),
		);
		// 0021 rebuilt claim_changes to accept `appearance`: a change recorded before it stays.
		await applyD1Migrations(
			db,
			all.filter((m) => !/^(002[1-4]|003[2-69]|0040|004[238]|005[0-2])_/.test(m.name)),
		);
		// 0022: a verdict imported before 0020 (audited as imported, its review as evidence[0])
		// gets its review URL and, for a publisher, the URL's host; a desk verdict stays ours.
		await db.batch(
			[
				"INSERT INTO verdicts (id, claim_id, rating, headline, state, published_at, evidence, original_rating) VALUES ('vrd00000000005', 'clm00000000001', 'false', 'Nein', 'published', '2025-07-15T00:00:00Z', '[{\"url\":\"https://www.Correctiv.org:443/faktencheck/x?utm=1\",\"title\":\"Nein\"}]', 'Falsch')",
				"INSERT INTO audit_log (actor_label, action, entity, entity_id, changes) VALUES ('token:import', 'publish', 'verdict', 'vrd00000000005', '{\"rating\":\"false\",\"imported\":true}')",
				"INSERT INTO audit_log (actor_label, action, entity, entity_id, changes) VALUES ('desk', 'publish-correction', 'verdict', 'vrd00000000002', '{\"rating\":\"false\"}')",
			].map((sql) => db.prepare(sql)),
		);
		await db
			.prepare(
				"INSERT INTO claim_changes (claim_id, field, from_value, to_value, note, is_public) VALUES ('clm00000000002', 'text', 'The harbour is shut', 'The harbour is closed', 'Typo', 1)",
			)
			.run();
		// 0024: open drafts were all in the review queue; those waiting for an editor stay there,
		// submitted at their last save; one an editor returned is its checker's to resubmit.
		await applyD1Migrations(
			db,
			all.filter((m) => !/^(002[34]|003[2-69]|0040|004[238]|005[0-2])_/.test(m.name)),
		);
		await db.batch(
			[
				"INSERT INTO claims (id, text, language, status, fingerprint) VALUES ('clm00000000003', 'The port is busy', 'en', 'in-review', 'fp3')",
				"INSERT INTO claims (id, text, language, status, fingerprint) VALUES ('clm00000000004', 'The port is idle', 'en', 'in-review', 'fp4')",
				"INSERT INTO verdicts (id, claim_id, rating, headline, state, created_at, updated_at) VALUES ('vrd00000000006', 'clm00000000003', 'true', 'Waiting', 'draft', '2025-07-01T08:00:00.000Z', '2025-07-02T09:30:00.000Z')",
				"INSERT INTO verdicts (id, claim_id, rating, headline, state, created_at, updated_at, changes_requested_at) VALUES ('vrd00000000007', 'clm00000000004', 'true', 'Returned', 'draft', '2025-07-01T08:00:00.000Z', '2025-07-03T10:00:00.000Z', '2025-07-03T10:00:00.000Z')",
				// 0032: who minted a token is its create-token audit row's actor: an admin for an
				// editor, the editor themselves, or no one for the CLI.
				"INSERT INTO users (id, email, name, role) VALUES ('usr00000000001', 'admin@migrations.test', 'Admin', 'admin'), ('usr00000000002', 'editor@migrations.test', 'Editor', 'editor')",
				"INSERT INTO api_tokens (id, user_id, name, token_hash, scopes) VALUES ('tok00000000001', 'usr00000000002', 'by the admin', 'h1', 'verdicts:publish'), ('tok00000000002', 'usr00000000002', 'own', 'h2', 'verdicts:publish'), ('tok00000000003', 'usr00000000002', 'cli', 'h3', 'import')",
				"INSERT INTO audit_log (actor_id, actor_label, action, entity, entity_id, changes) VALUES ('usr00000000001', NULL, 'create-token', 'user', 'usr00000000002', '{\"id\":\"tok00000000001\"}'), ('usr00000000002', NULL, 'create-token', 'user', 'usr00000000002', '{\"id\":\"tok00000000002\"}'), (NULL, 'cli', 'create-token', 'user', 'usr00000000002', '{\"id\":\"tok00000000003\"}')",
				// 0034: a claim merged before it, whose words only its merge's audit row kept, and one
				// merged into a claim since removed (its audit redacted, its row a removal's).
				// 0036: the spelling of their speaker, and one whose speaker was merged into another
				// since (the speaker merge's audit row names where it went).
				"INSERT INTO retired_claims (id, merged_into, removed_at) VALUES ('clm00000000009', 'clm00000000002', NULL), ('clm00000000010', NULL, '2025-07-20T00:00:00.000Z'), ('clm00000000011', 'clm00000000001', NULL)",
				`INSERT INTO audit_log (actor_label, action, entity, entity_id, changes) VALUES ('desk', 'merge', 'claim', 'clm00000000002', '{"mergedFrom":"clm00000000009","merged":{"id":"clm00000000009","text":"The ferry to Ostbucht stopped","language":"en","speaker":{"id":"spk00000000001","name":"Ann Lee"}}}'), ('desk', 'merged-into', 'claim', 'clm00000000009', '{"into":"clm00000000002"}'), ('desk', 'merged-into', 'claim', 'clm00000000010', '{"redacted":"claim removed"}')`,
				// 0040: a publisher spelt with a letter that has no mark of its own (ø).
				"UPDATE sources SET publisher = 'Ørsted' WHERE id = 'src00000000001'",
				// 0039: a spelling a merge brought from a speaker no reviewed claim named (0038).
				"INSERT INTO speaker_aliases (id, speaker_id, alias, normalized, was_public) VALUES ('als00000000002', 'spk00000000001', 'Zed Quiet', 'zed quiet', 0)",
				// 0043: a draft whose claim went back to nobody after the draft was opened is its last
				// holder's (the unassignment's `from`); one given back before it was opened, its drafter's.
				"INSERT INTO users (id, email, name, role) VALUES ('usr00000000003', 'drafter@migrations.test', 'Drafter', 'checker'), ('usr00000000004', 'holder@migrations.test', 'Holder', 'checker')",
				"INSERT INTO claims (id, text, language, status, fingerprint) VALUES ('clm00000000012', 'The dam is full', 'en', 'in-review', 'fp12'), ('clm00000000013', 'The dam is empty', 'en', 'in-review', 'fp13')",
				`INSERT INTO audit_log (actor_id, action, entity, entity_id, changes) VALUES ('usr00000000002', 'unassign', 'claim', 'clm00000000013', '{"from":"usr00000000004","to":null}'), ('usr00000000003', 'create-draft', 'verdict', 'vrd00000000008', '{}'), ('usr00000000003', 'create-draft', 'verdict', 'vrd00000000009', '{}'), ('usr00000000002', 'assign', 'claim', 'clm00000000012', '{"from":null,"to":"usr00000000004"}'), ('usr00000000002', 'unassign', 'claim', 'clm00000000012', '{"from":"usr00000000004","to":null}')`,
				"INSERT INTO verdicts (id, claim_id, rating, headline, state, reviewer_id) VALUES ('vrd00000000008', 'clm00000000012', 'true', 'Handed on', 'draft', 'usr00000000003'), ('vrd00000000009', 'clm00000000013', 'true', 'Never handed', 'draft', 'usr00000000003')",
				`INSERT INTO audit_log (actor_label, action, entity, entity_id, changes) VALUES ('desk', 'merge', 'claim', 'clm00000000001', '{"mergedFrom":"clm00000000011","merged":{"id":"clm00000000011","text":"The quay is shut","language":"en","speaker":{"id":"spk00000000009","name":"A. Lee"}}}'), ('desk', 'merged-into', 'claim', 'clm00000000011', '{"into":"clm00000000001"}'), ('desk', 'merge', 'speaker', 'spk00000000001', '{"merged":{"id":"spk00000000009","name":"A. Lee"}}')`,
			].map((sql) => db.prepare(sql)),
		);
		// 0043 on a database at 0042 whose audit log names a user it lacks (a restore over HTTP
		// merged that user into the restoring account; ids inside `changes` stay the backup's):
		// writer_id refers to users, D1 enforces it, so such a draft stays its drafter's.
		await applyD1Migrations(
			db,
			all.filter((m) => !/^(0043|0048|0050|0051)_/.test(m.name)),
		);
		// 0048: answers kept for Idempotency-Key repeats completed before 0044 name their claim
		// by their request (a write on the claim by its scope, a create by its address); one
		// whose claim was removed meanwhile is emptied; a webhook's, a desk form's stay as they are.
		const key = (id: string, scope: string, location: string | null, body: string | null, claim = "NULL") =>
			`INSERT INTO idempotency_keys (id, user_id, scope, state, status, location, body, claim_id) VALUES ('${id}', 'usr00000000002', '${scope}', 'done', 201, ${location === null ? "NULL" : `'${location}'`}, ${body === null ? "NULL" : `'${body}'`}, ${claim})`;
		await db.batch(
			[
				key("idm1", "POST /api/v1/claims 9f0a", "https://t.example/api/v1/claims/clm00000000001", "{}"),
				key(
					"idm2",
					"POST /api/v1/claims/clm00000000002/notes 9f0b",
					"https://t.example/api/v1/claims/clm00000000002/notes",
					"{}",
				),
				key(
					"idm3",
					"POST /api/v1/claims/clm00000000002/verdicts 9f0c",
					"https://t.example/api/v1/verdicts/vrd00000000099",
					"{}",
				),
				key(
					"idm4",
					"POST /api/v1/claims/clm00000000001/appearances 9f0d",
					"https://t.example/api/v1/claims/clm00000000001",
					"{}",
				),
				key(
					"idm5",
					"POST /api/v1/claims 9f0e",
					"https://t.example/api/v1/claims/clm00000000010",
					'{"text":"Private"}',
				),
				key("idm6", "POST /api/v1/webhooks 9f0f", "https://t.example/api/v1/webhooks/whk1", "{}"),
				key("idm7", "POST /desk/claims", "/desk/claims/clm00000000001", null),
				key(
					"idm8",
					"POST /api/v1/claims/clm00000000001/notes 9f10",
					"https://t.example/api/v1/claims/clm00000000001/notes",
					"{}",
					"'clm00000000002'",
				),
			].map((sql) => db.prepare(sql)),
		);
		await db.batch(
			[
				"INSERT INTO claims (id, text, language, status, fingerprint) VALUES ('clm00000000014', 'The dam is leaking', 'en', 'in-review', 'fp14')",
				"INSERT INTO verdicts (id, claim_id, rating, headline, state, reviewer_id) VALUES ('vrd00000000010', 'clm00000000014', 'true', 'Handed to a merged user', 'draft', 'usr00000000003')",
				`INSERT INTO audit_log (actor_id, action, entity, entity_id, changes) VALUES ('usr00000000003', 'create-draft', 'verdict', 'vrd00000000010', '{}'), ('usr00000000002', 'unassign', 'claim', 'clm00000000014', '{"from":"usr00000000099","to":null}')`,
			].map((sql) => db.prepare(sql)),
		);
		// 0050: three-letter codes of languages with a two-letter one were stored as written.
		await db.batch(
			[
				"INSERT INTO claims (id, text, language, status, fingerprint, search_terms) VALUES ('clm00000000015', 'Der Damm bricht', 'deu', 'unverified', 'fp15', 'v3 damm brich'), ('clm00000000016', 'Dam talk', 'del', 'unverified', 'fp16', NULL), ('clm00000000017', 'Der Damm hält', 'ger-AT', 'unverified', 'fp17', 'v3 damm hält'), ('clm00000000019', 'Ha-sekher patuach', 'iw', 'unverified', 'fp19', NULL)",
				"INSERT INTO verdicts (id, claim_id, rating, headline, state, language) VALUES ('vrd00000000011', 'clm00000000015', 'false', 'Nein', 'draft', 'deu'), ('vrd00000000012', 'clm00000000016', 'false', 'No', 'draft', 'eng-GB')",
				"INSERT INTO sources (id, url, domain, title, language) VALUES ('src00000000015', 'https://news.example/deu', 'news.example', 'D', 'fre'), ('src00000000016', 'https://news.example/und', 'news.example', 'U', NULL)",
				"INSERT INTO retired_claims (id, merged_into, removed_at, text, language) VALUES ('clm00000000018', 'clm00000000015', NULL, 'Der Damm brach', 'cmn-Hant')",
			].map((sql) => db.prepare(sql)),
		);
		await applyD1Migrations(db, all);
		const languages = async (table: string, ids: string) =>
			(await db.prepare(`SELECT language FROM ${table} WHERE id IN (${ids}) ORDER BY id`).all()).results.map(
				(row) => row.language,
			);
		expect(
			await languages("claims", "'clm00000000015', 'clm00000000016', 'clm00000000017', 'clm00000000019'"),
		).toEqual([
			"de",
			"del", // Delaware: a language of its own, no two-letter code
			"de-AT",
			"he", // deprecated for Hebrew
		]);
		// "ger" was not stemmed as German: its terms go, for the cron to write anew; "deu"'s stay.
		expect(
			(
				await db
					.prepare(
						"SELECT id, search_terms FROM claims WHERE id IN ('clm00000000015', 'clm00000000017') ORDER BY id",
					)
					.all()
			).results,
		).toEqual([
			{ id: "clm00000000015", search_terms: "v3 damm brich" },
			{ id: "clm00000000017", search_terms: null },
		]);
		expect(await languages("verdicts", "'vrd00000000011', 'vrd00000000012'")).toEqual(["de", "en-GB"]);
		expect(await languages("sources", "'src00000000015', 'src00000000016'")).toEqual(["fr", null]);
		expect(await languages("retired_claims", "'clm00000000018'")).toEqual(["zh-Hant"]);
		expect(
			(await db.prepare("SELECT name FROM sqlite_master WHERE name = 'language_codes_0050'").all()).results,
		).toEqual([]);
		// Gone again, so the rows the checks below list are the earlier migrations' alone.
		await db.batch(
			[
				"DELETE FROM retired_claims WHERE id = 'clm00000000018'",
				"DELETE FROM verdicts WHERE id IN ('vrd00000000011', 'vrd00000000012')",
				"DELETE FROM claims WHERE id IN ('clm00000000015', 'clm00000000016', 'clm00000000017', 'clm00000000019')",
				"DELETE FROM sources WHERE id IN ('src00000000015', 'src00000000016')",
			].map((sql) => db.prepare(sql)),
		);
		expect(
			(
				await db
					.prepare("SELECT id, claim_id, status, location, body FROM idempotency_keys ORDER BY id")
					.all()
			).results,
		).toEqual([
			{
				id: "idm1",
				claim_id: "clm00000000001",
				status: 201,
				location: "https://t.example/api/v1/claims/clm00000000001",
				body: "{}",
			},
			{
				id: "idm2",
				claim_id: "clm00000000002",
				status: 201,
				location: "https://t.example/api/v1/claims/clm00000000002/notes",
				body: "{}",
			},
			{
				id: "idm3",
				claim_id: "clm00000000002",
				status: 201,
				location: "https://t.example/api/v1/verdicts/vrd00000000099",
				body: "{}",
			},
			{
				id: "idm4",
				claim_id: "clm00000000001",
				status: 201,
				location: "https://t.example/api/v1/claims/clm00000000001",
				body: "{}",
			},
			{ id: "idm5", claim_id: "clm00000000010", status: 410, location: null, body: null },
			{
				id: "idm6",
				claim_id: null,
				status: 201,
				location: "https://t.example/api/v1/webhooks/whk1",
				body: "{}",
			},
			{ id: "idm7", claim_id: null, status: 201, location: "/desk/claims/clm00000000001", body: null },
			{
				id: "idm8",
				claim_id: "clm00000000002",
				status: 201,
				location: "https://t.example/api/v1/claims/clm00000000001/notes",
				body: "{}",
			},
		]);
		expect(
			(
				await db
					.prepare(
						"SELECT id, writer_id FROM verdicts WHERE id IN ('vrd00000000008', 'vrd00000000009', 'vrd00000000010') ORDER BY id",
					)
					.all()
			).results,
		).toEqual([
			{ id: "vrd00000000008", writer_id: "usr00000000004" },
			{ id: "vrd00000000009", writer_id: null },
			{ id: "vrd00000000010", writer_id: null },
		]);
		// Out of the way of the checks below, which count every verdict and claim.
		await db.batch(
			[
				"DELETE FROM verdicts WHERE id IN ('vrd00000000008', 'vrd00000000009', 'vrd00000000010')",
				"DELETE FROM claims WHERE id IN ('clm00000000012', 'clm00000000013', 'clm00000000014')",
			].map((sql) => db.prepare(sql)),
		);
		// 0040 rebuilt the index with the plain spelling beside such a name, from the rows there were.
		const plain = await db
			.prepare("SELECT count(*) AS n FROM claims_fts WHERE claims_fts MATCH 'sources:orsted'")
			.first<{ n: number }>();
		expect(plain?.n).toBe(2);
		expect((await db.prepare("SELECT id, created_by FROM api_tokens ORDER BY id").all()).results).toEqual([
			{ id: "tok00000000001", created_by: "usr00000000001" },
			{ id: "tok00000000002", created_by: "usr00000000002" },
			{ id: "tok00000000003", created_by: null },
		]);
		expect(
			(
				await db
					.prepare("SELECT id, state, submitted_at, changes_requested_at FROM verdicts ORDER BY id")
					.all()
			).results,
		).toEqual([
			{ id: "vrd00000000001", state: "retracted", submitted_at: null, changes_requested_at: null },
			{ id: "vrd00000000002", state: "published", submitted_at: null, changes_requested_at: null },
			{ id: "vrd00000000003", state: "superseded", submitted_at: null, changes_requested_at: null },
			{ id: "vrd00000000005", state: "published", submitted_at: null, changes_requested_at: null },
			{
				id: "vrd00000000006",
				state: "draft",
				submitted_at: "2025-07-02T09:30:00.000Z",
				changes_requested_at: null,
			},
			{
				id: "vrd00000000007",
				state: "draft",
				submitted_at: null,
				changes_requested_at: "2025-07-03T10:00:00.000Z",
			},
		]);
		// Out of the way of the checks below, which count every verdict and claim.
		await db.batch(
			[
				"DELETE FROM verdicts WHERE id IN ('vrd00000000006', 'vrd00000000007')",
				"DELETE FROM claims WHERE id IN ('clm00000000003', 'clm00000000004')",
			].map((sql) => db.prepare(sql)),
		);
		expect(
			(
				await db
					.prepare(
						"SELECT id, review_url, review_publisher FROM verdicts WHERE id IN ('vrd00000000002', 'vrd00000000005') ORDER BY id",
					)
					.all()
			).results,
		).toEqual([
			{ id: "vrd00000000002", review_url: null, review_publisher: null },
			{
				id: "vrd00000000005",
				review_url: "https://www.Correctiv.org:443/faktencheck/x?utm=1",
				review_publisher: "correctiv.org",
			},
		]);
		// Out of the way of the checks below, which count every verdict.
		await db.prepare("DELETE FROM verdicts WHERE id = 'vrd00000000005'").run();
		expect(
			(await db.prepare("SELECT claim_id, field, from_value, note, is_public FROM claim_changes").all())
				.results,
		).toEqual([
			{
				claim_id: "clm00000000002",
				field: "text",
				from_value: "The harbour is shut",
				note: "Typo",
				is_public: 1,
			},
		]);
		await db
			.prepare(
				"INSERT INTO claim_changes (claim_id, field, from_value, note, is_public) VALUES ('clm00000000002', 'appearance', 'A (https://news.example/a)', 'Wrong outlet', 1)",
			)
			.run();
		await expect(
			db
				.prepare(
					"INSERT INTO claim_changes (claim_id, field, note, is_public) VALUES ('clm00000000002', 'quote', 'x', 1)",
				)
				.run(),
		).rejects.toThrow(/CHECK constraint failed/);
		const rows = await db
			.prepare(
				"SELECT c.id, c.status, c.current_verdict_id AS current, v.id AS verdict, v.state, v.supersedes_id AS supersedes, v.correction_note AS correction, v.retraction_note AS retraction FROM claims c JOIN verdicts v ON v.claim_id = c.id ORDER BY v.id",
			)
			.all();
		expect(rows.results).toEqual([
			{
				id: "clm00000000001",
				status: "retracted",
				current: null,
				verdict: "vrd00000000001",
				state: "retracted",
				supersedes: null,
				correction: null,
				retraction: "Forged source",
			},
			{
				id: "clm00000000002",
				status: "false",
				current: "vrd00000000002",
				verdict: "vrd00000000002",
				state: "published",
				supersedes: "vrd00000000003",
				correction: "Fixed",
				retraction: null,
			},
			{
				id: "clm00000000002",
				status: "false",
				current: "vrd00000000002",
				verdict: "vrd00000000003",
				state: "superseded",
				supersedes: null,
				correction: null,
				retraction: null,
			},
		]);
		expect((await db.prepare("SELECT count(*) AS n FROM appearances").first<{ n: number }>())?.n).toBe(2);
		expect((await db.prepare("PRAGMA foreign_key_check").all()).results).toEqual([]);
		// The search index still follows the claims: triggers were recreated.
		await db.prepare("UPDATE speakers SET name = 'Ann Leigh' WHERE id = 'spk00000000001'").run();
		const fts = await db
			.prepare("SELECT count(*) AS n FROM claims_fts WHERE claims_fts MATCH 'leigh'")
			.first<{ n: number }>();
		expect(fts?.n).toBe(2);
		// 0012 rebuilt the index with a fourth column, `terms` (claims.search_terms, 0011), from
		// the rows there were, weighted for bm25; a change of search_terms alone re-indexes a claim.
		const row = await db.prepare("SELECT * FROM claims_fts WHERE claims_fts MATCH 'open'").first();
		expect(row).toEqual({
			body: "The harbour is open",
			speaker: "Ann Leigh Ann Lee",
			// With the words of the claim merged into it (0034), and spelt plainly beside (0040).
			sources: "A Ørsted The quay is shut A Orsted The quay is shut",
			terms: "",
			// 0039 rebuilt it with a fifth: the spellings that were never public, apart.
			speaker_unreviewed: "Zed Quiet",
		});
		const rank = await db.prepare("SELECT v FROM claims_fts_config WHERE k = 'rank'").first<{ v: string }>();
		expect(rank?.v).toBe("bm25(10.0, 4.0, 2.0, 1.0, 4.0)");
		await db
			.prepare("UPDATE claims SET search_terms = 'harbour open quokka' WHERE id = 'clm00000000001'")
			.run();
		const terms = await db
			.prepare("SELECT count(*) AS n FROM claims_fts WHERE claims_fts MATCH 'terms:quokka'")
			.first<{ n: number }>();
		expect(terms?.n).toBe(1);

		// 0016 filled verdict_evidence from the verdicts there were, each address once, and
		// its triggers follow every write of `evidence`.
		const evidence = async () =>
			(
				await db
					.prepare("SELECT verdict_id AS verdict, url FROM verdict_evidence ORDER BY verdict_id, url")
					.all()
			).results;
		expect(await evidence()).toEqual([
			{ verdict: "vrd00000000002", url: "https://e.example/a" },
			{ verdict: "vrd00000000002", url: "https://e.example/b" },
		]);
		await db
			.prepare(
				`UPDATE verdicts SET evidence = '[{"url":"https://e.example/c","title":"C"}]' WHERE id = 'vrd00000000002'`,
			)
			.run();
		await db
			.prepare(
				`INSERT INTO verdicts (id, claim_id, rating, headline, state) VALUES ('vrd00000000004', 'clm00000000001', 'true', 'Draft', 'draft')`,
			)
			.run();
		expect(await evidence()).toEqual([{ verdict: "vrd00000000002", url: "https://e.example/c" }]);
		await db
			.prepare(
				`UPDATE verdicts SET evidence = '[{"url":"https://e.example/d","title":"D"}]' WHERE id = 'vrd00000000004'`,
			)
			.run();
		await db.prepare("DELETE FROM verdicts WHERE id = 'vrd00000000004'").run();
		expect(await evidence()).toEqual([{ verdict: "vrd00000000002", url: "https://e.example/c" }]);

		// 0034 took the merged claim's words from its merge's audit row (not the removed one's),
		// and the claim kept's index row reads them: the words in `sources`, their stems in `terms`.
		// 0036 their speaker's spelling, and the speaker a merged speaker went into.
		expect(
			(
				await db
					.prepare(
						"SELECT id, text, language, speaker_id, speaker_names, fingerprint FROM retired_claims ORDER BY id",
					)
					.all()
			).results,
		).toEqual([
			{
				id: "clm00000000009",
				text: "The ferry to Ostbucht stopped",
				language: "en",
				speaker_id: "spk00000000001",
				speaker_names: '["Ann Lee"]',
				fingerprint: null,
			},
			{
				id: "clm00000000010",
				text: null,
				language: null,
				speaker_id: null,
				speaker_names: null,
				fingerprint: null,
			},
			{
				id: "clm00000000011",
				text: "The quay is shut",
				language: "en",
				speaker_id: "spk00000000001",
				speaker_names: '["A. Lee"]',
				fingerprint: null,
			},
		]);
		const merged = await db
			.prepare("SELECT body, sources FROM claims_fts WHERE claims_fts MATCH 'ostbucht'")
			.all();
		expect(merged.results).toEqual([
			{
				body: "The harbour is closed",
				sources: "A Ørsted The ferry to Ostbucht stopped A Orsted The ferry to Ostbucht stopped",
			},
		]);
		await db.batch(
			[
				"UPDATE retired_claims SET search_terms = 'ferri ostbucht stop' WHERE id = 'clm00000000009'",
				"UPDATE claims SET search_terms = 'harbour close' WHERE id = 'clm00000000002'",
			].map((sql) => db.prepare(sql)),
		);
		const stems = await db
			.prepare("SELECT terms FROM claims_fts WHERE claims_fts MATCH 'terms:ferri AND terms:close'")
			.all();
		expect(stems.results).toEqual([{ terms: "harbour close ferri ostbucht stop" }]);
	});
});
