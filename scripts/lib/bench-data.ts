import { searchTermsOf } from "../../src/domain/search-terms";

/**
 * Realistic bulk data for benchmarks, generated inside SQLite (recursive CTEs), so
 * 100,000 claims with speakers, sources, appearances and verdicts load in seconds.
 * Rows are numbered: calling it again with a larger `to` adds the difference.
 */
/* Placeholders for the claim's own number and its template number in the stemmed templates. */
const I = "7777771";
const MOD = "7777772";

/* The four claim texts (as inserted below) with their contexts, stemmed in German and in English. */
const TERM_TEMPLATES = [
	`Die Luftverbindungen seien bereits wiederhergestellt, sagte Sprecher ${I} über den Hafen von Wŏnsan.`,
	`Unemployment fell by ${MOD} percent in the last quarter according to minister ${I}.`,
	`Im Bereich Kursk wurden ${MOD} Kilometer Grenze gesichert, erklärte die Regierung.`,
	`The new bridge cost ${MOD} million and opened on time, the mayor claimed.`,
].flatMap((text) =>
	(["de", "en"] as const).map((language) =>
		searchTermsOf({
			text,
			context: `Generated benchmark claim ${I}`,
			headline: null,
			summary: null,
			language,
		}),
	),
);

export async function fillBenchData(d1: D1Database, from: number, to: number): Promise<void> {
	const run = (sql: string) => d1.prepare(sql).bind(from, to).run();
	await d1.batch([
		d1.prepare(
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
			 INSERT OR IGNORE INTO speakers (id, name, slug, kind, description)
			 SELECT printf('s%013d', i), 'Speaker ' || i || ' ' || (CASE i % 4 WHEN 0 THEN 'Müller' WHEN 1 THEN 'Lawrow' WHEN 2 THEN 'Kim' ELSE 'Smith' END),
			        'speaker-' || i, CASE WHEN i % 10 = 0 THEN 'organization' ELSE 'person' END, 'Minister of Things'
			 FROM n`,
		),
	]);
	await run(
		`WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
		 INSERT INTO sources (id, url, domain, title, publisher, language, published_at)
		 SELECT printf('u%013d', i), 'https://news' || (i % 50) || '.example/article/' || i, 'news' || (i % 50) || '.example',
		        'Article ' || i || ' on the ' || (CASE i % 3 WHEN 0 THEN 'harbour' WHEN 1 THEN 'summit' ELSE 'election' END),
		        'Newspaper ' || (i % 50), CASE i % 2 WHEN 0 THEN 'de' ELSE 'en' END, date('2020-01-01', '+' || (i % 1800) || ' days')
		 FROM n`,
	);
	await run(
		`WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
		 INSERT INTO claims (id, text, language, speaker_id, status, fingerprint, claimed_at, context)
		 SELECT printf('c%013d', i),
		        CASE i % 4
		          WHEN 0 THEN 'Die Luftverbindungen seien bereits wiederhergestellt, sagte Sprecher ' || i || ' über den Hafen von Wŏnsan.'
		          WHEN 1 THEN 'Unemployment fell by ' || (i % 17) || ' percent in the last quarter according to minister ' || i || '.'
		          WHEN 2 THEN 'Im Bereich Kursk wurden ' || (i % 900) || ' Kilometer Grenze gesichert, erklärte die Regierung.'
		          ELSE 'The new bridge cost ' || (i % 300) || ' million and opened on time, the mayor claimed.'
		        END,
		        CASE i % 2 WHEN 0 THEN 'de' ELSE 'en' END,
		        printf('s%013d', 1 + i % 200),
		        CASE i % 5 WHEN 0 THEN 'unverified' WHEN 1 THEN 'in-review' ELSE 'unverified' END,
		        'bench' || i,
		        date('2020-01-01', '+' || (i % 1800) || ' days'),
		        'Generated benchmark claim ' || i
		 FROM n`,
	);
	await run(
		`WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
		 INSERT INTO appearances (id, claim_id, source_id, is_first)
		 SELECT printf('a%013d', i), printf('c%013d', i), printf('u%013d', i), 1 FROM n`,
	);
	// Three in five claims have a published verdict; every tenth of those was corrected once.
	// One in ten claims is another publisher's review, imported: a big partner with one in fifty
	// claims (20 reviews at 1,000 claims, 2,000 at 100,000: a site that grows with the
	// database); fifty partner sites, each with 160 reviews at 100,000 claims, some on a
	// `checks.` subdomain (Google's site filter); and an archive's 80 reviews among the first
	// 1,000 claims, as many at every size (that scaling line measures the database's size,
	// not the site's).
	await run(
		`WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
		 INSERT INTO verdicts (id, claim_id, rating, headline, summary, evidence, language, state, published_at, review_url)
		 SELECT printf('v%013d', i), printf('c%013d', i),
		        CASE i % 8 WHEN 0 THEN 'true' WHEN 1 THEN 'mostly-true' WHEN 2 THEN 'half-true' WHEN 3 THEN 'missing-context'
		                   WHEN 4 THEN 'misleading' WHEN 5 THEN 'mostly-false' WHEN 6 THEN 'false' ELSE 'unsupported' END,
		        'Headline of verdict ' || i, 'Summary of what we found for claim ' || i,
		        '[{"url":"https://evidence.example/' || i || '","title":"Evidence ' || i || '"}]',
		        CASE i % 2 WHEN 0 THEN 'de' ELSE 'en' END,
		        'published', strftime('%Y-%m-%dT%H:%M:%fZ', '2024-01-01', '+' || (i % 600) || ' days'),
		        CASE WHEN i % 50 = 43 THEN printf('https://www.bigpartner.example/r/%d', CAST(i AS INTEGER))
		             WHEN i % 10 = 3 AND i <= 1000 THEN printf('https://archive.example/r/%d', CAST(i AS INTEGER))
		             WHEN i % 10 = 3 THEN printf('https://%spartner%d.example/r/%d',
		             CASE WHEN (CAST(i AS INTEGER) / 10) % 7 = 0 THEN 'checks.' ELSE 'www.' END,
		             (CAST(i AS INTEGER) / 10) % 50, CAST(i AS INTEGER)) END
		 FROM n WHERE i % 5 >= 2`,
	);
	await run(
		`UPDATE claims SET status = (SELECT rating FROM verdicts v WHERE v.id = 'v' || substr(claims.id, 2)),
		        current_verdict_id = 'v' || substr(id, 2),
		        reviewed_at = (SELECT published_at FROM verdicts v WHERE v.id = 'v' || substr(claims.id, 2))
		 WHERE seq BETWEEN (SELECT seq FROM claims WHERE id = printf('c%013d', ?1)) AND (SELECT seq FROM claims WHERE id = printf('c%013d', ?2))
		   AND CAST(substr(id, 2) AS INTEGER) % 5 >= 2`,
	);
	// Search terms as the app writes them: the Snowball stems of each text template, worked
	// out here with the app's own function, the claim's numbers put in by SQL; the verdict's
	// words are appended lower-cased (the size, not the stems, is what counts for them).
	await run(
		`UPDATE claims SET search_terms = replace(replace(CASE (CAST(substr(id, 2) AS INTEGER) % 4) * 2 + (language = 'en')
		   ${TERM_TEMPLATES.map((terms, k) => `WHEN ${k} THEN '${terms}'`).join(" ")} END,
		   '${I}', CAST(substr(id, 2) AS INTEGER)), '${MOD}', CASE CAST(substr(id, 2) AS INTEGER) % 4
		   WHEN 1 THEN CAST(substr(id, 2) AS INTEGER) % 17 WHEN 2 THEN CAST(substr(id, 2) AS INTEGER) % 900
		   ELSE CAST(substr(id, 2) AS INTEGER) % 300 END)
		   || coalesce((SELECT ' ' || lower(v.headline || ' ' || coalesce(v.summary, '')) FROM verdicts v WHERE v.id = claims.current_verdict_id), '')
		 WHERE seq BETWEEN (SELECT seq FROM claims WHERE id = printf('c%013d', ?1)) AND (SELECT seq FROM claims WHERE id = printf('c%013d', ?2))`,
	);
	await d1.prepare("ANALYZE").run();
}
