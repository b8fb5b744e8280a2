import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { newId } from "../../src/domain/ids";
import { createDb } from "../../src/factory";
import type { ImportRecord } from "../../src/schemas/import-record";
import { SYSTEM } from "../../src/store/batch";
import { setClaimTags } from "../../src/store/collaboration";
import { importRecords } from "../../src/store/imports";
import { createDraftVerdict, publishVerdict } from "../../src/store/verdicts";
import { claimsSaying } from "../bulk-fixtures";
import { account, apiCall, apiToken } from "../desk/helpers";
import { edit, makeClaim, publish, reload, retract } from "../factories";
import { BASE, call, fetchWith, json, testDb } from "../helpers";

/**
 * Search as readers meet it (/api/v1/claims?q=, the /claims page, Google's claims:search):
 * stems in English and German, the current verdict's headline and summary, the best lexical
 * match first, and a 422 naming the parameter for FTS5 syntax we do not support.
 */

interface List {
	data: { id: string }[];
}

const found = async (q: string, extra = "") =>
	(await json<List>(await call(`/api/v1/claims?q=${encodeURIComponent(q)}${extra}`))).data.map((c) => c.id);

describe("stemmed search", () => {
	it("finds English inflections: wage finds wages, rent finds rents", async () => {
		const marker = `m${newId()}`;
		const claim = await makeClaim({ text: `Wages rose while rents fell ${marker}`, language: "en" });
		expect(await found(`wage ${marker}`)).toEqual([claim.id]);
		expect(await found(`rent ${marker}`)).toEqual([claim.id]);
		expect(await found(`wages ${marker}`)).toEqual([claim.id]);
		// Phrases keep their order and are not stemmed; they match in every column, and so
		// in the stems too (`terms` holds "wage rose rent fell").
		expect(await found(`"wages rose" ${marker}`)).toEqual([claim.id]);
		expect(await found(`"rose wages" ${marker}`)).toEqual([]);
		expect(await found(`"wage rose" ${marker}`)).toEqual([claim.id]);
		expect(await found(`"wage rises" ${marker}`)).toEqual([]);
	});

	it("finds German inflections where Snowball joins them: Lohn and Löhnen find Löhne", async () => {
		const marker = `m${newId()}`;
		const wages = await makeClaim({ text: `Die Löhne der Pflegekräfte sinken ${marker}`, language: "de" });
		const raises = await makeClaim({ text: `Lohnerhöhungen bleiben aus ${marker}`, language: "de" });
		expect(await found(`Lohn ${marker}`)).toEqual([wages.id]);
		expect(await found(`Löhnen ${marker}`)).toEqual([wages.id]);
		expect(await found(`Pflegekraft ${marker}`)).toEqual([wages.id]);
		expect(await found(`Lohnerhöhung ${marker}`)).toEqual([raises.id]);
		// A compound is not split: the prefix reaches it.
		expect((await found(`lohn* ${marker}`)).sort()).toEqual([wages.id, raises.id].sort());
	});

	it("follows text edits: the new words are found, the old ones not", async () => {
		const marker = `m${newId()}`;
		const claim = await makeClaim({ text: `Die Mieten steigen ${marker}`, language: "de" });
		expect(await found(`Miete ${marker}`)).toEqual([claim.id]);
		await edit(claim.id, { version: claim.version, text: `Die Renten steigen ${marker}`, note: null });
		expect(await found(`Miete ${marker}`)).toEqual([]);
		expect(await found(`Rente ${marker}`)).toEqual([claim.id]);
	});
});

describe("ß and ss", () => {
	it("are one spelling in words, phrases, prefixes and excluded words, as diacritics are", async () => {
		const marker = `m${newId()}`;
		const sharp = await makeClaim({
			text: `Die Straße nach Gießen ist gesperrt ${marker}`,
			language: "de",
			speaker: { name: `Anna Weiß ${marker}` },
		});
		const swiss = await makeClaim({ text: `Die Strasse nach Giessen ist offen ${marker}`, language: "de" });
		const other = await makeClaim({ text: `Der Weg nach Köln ist frei ${marker}`, language: "de" });
		const sorted = (ids: string[]) => [...ids].sort();
		const both = sorted([sharp.id, swiss.id]);
		for (const q of [
			"Strasse",
			"Straße",
			'"Strasse nach"',
			'"Straße nach"',
			'"Giessen"',
			'"STRASSE NACH GIEßEN"',
			"stras*",
			"strass*",
			"straß*",
			"Gieß*",
		])
			expect(sorted(await found(`${q} ${marker}`)), q).toEqual(both);
		for (const q of ["-Strasse", "-Straße", 'NOT "Giessen"', "-gieß*", "-giess*"])
			expect(await found(`${marker} ${q}`), q).toEqual([other.id]);
		// The speaker's name is not stemmed: found by the other spelling as written.
		expect(await found(`Weiss ${marker}`)).toEqual([sharp.id]);
	});
});

describe("letters without a mark of their own (ł, ø, đ)", () => {
	it("are found by the plain spelling English and German print use, and find it", async () => {
		const marker = `m${newId()}`;
		const polish = await makeClaim({ text: `${marker} Wałęsa sagte, Łódź sei pleite.`, language: "de" });
		const plain = await makeClaim({ text: `${marker} Lech Walesa was born near Lodz.`, language: "en" });
		const danish = await makeClaim({ text: `${marker} Ørsted baut in Næstved.`, language: "de" });
		const serbian = await makeClaim({ text: `${marker} Đoković gewann in Paris.`, language: "de" });
		const sorted = (ids: string[]) => [...ids].sort();
		const both = sorted([polish.id, plain.id]);
		for (const q of ["Walesa", "Wałęsa", "WALESA", "Lodz", "Łódź", "wal*", "wał*", '"Walesa"'])
			expect(sorted(await found(`${marker} ${q}`)), q).toEqual(both);
		expect(await found(`${marker} Orsted`)).toEqual([danish.id]);
		expect(await found(`${marker} Dokovic`)).toEqual([serbian.id]);
		expect(await found(`${marker} Đoković`)).toEqual([serbian.id]);
		expect(sorted(await found(`${marker} -Walesa`))).toEqual(sorted([danish.id, serbian.id]));
		// The claim page's search and the matcher's candidates read it alike.
		const page = await (await call(`/claims?q=${encodeURIComponent(`${marker} Walesa`)}`)).text();
		expect(page).toContain(`/claims/${polish.id}`);
		const matches = await json<{ data: { claim: { id: string } }[] }>(
			await call(
				`/api/v1/claims/matches?${new URLSearchParams({ text: `${marker} Walesa sagte, Lodz sei pleite.`, language: "de" })}`,
			),
		);
		expect(matches.data.map((m) => m.claim.id)).toContain(polish.id);
	});

	it("find a speaker's name, an alias and a source's title or publisher by the plain spelling too", {
		timeout: 60_000,
	}, async () => {
		const marker = `m${newId()}`;
		const speaker = (name: string, aliases: string[] = []) => ({ name, aliases });
		const byName = await makeClaim({
			text: `${marker} said the shipyard would close.`,
			language: "en",
			speaker: speaker("Lech Wałęsa"),
		});
		const byAlias = await makeClaim({
			text: `${marker} said the strike was over.`,
			language: "en",
			speaker: speaker(`Danuta Example ${newId()}`, ["Danuta Wałęsa"]),
		});
		const byTitle = await makeClaim({
			text: `${marker} the wind farm doubled its output.`,
			language: "en",
			sourceTitle: "Ørsted builds off Næstved",
		});
		// The factory's publisher is fixed: this one is recorded through the API.
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const recorded = await apiCall("POST", "/api/v1/claims", {
			token,
			body: {
				text: `${marker} the cable was laid early.`,
				language: "en",
				speaker: null,
				source: { url: `https://news.example/${newId()}`, title: "Cable report", publisher: "Ørsted A/S" },
			},
		});
		expect(recorded.status, await recorded.clone().text()).toBe(201);
		const byPublisher = await json<{ id: string; text: string }>(recorded);
		const claims = [byName, byAlias, byTitle, byPublisher];
		for (const claim of claims) await publish(claim.id, "false", { language: "en" });
		const sorted = (ids: string[]) => [...ids].sort();
		const cases: [string, (typeof claims)[number][]][] = [
			["Walesa", [byName, byAlias]],
			["Wałęsa", [byName, byAlias]],
			["Orsted", [byTitle, byPublisher]],
			["Ørsted", [byTitle, byPublisher]],
		];
		for (const [word, expected] of cases) {
			const q = encodeURIComponent(`${marker} ${word}`);
			expect(sorted(await found(`${marker} ${word}`)), word).toEqual(sorted(expected.map((c) => c.id)));
			const page = await (await call(`/claims?q=${q}&lang=en`)).text();
			for (const claim of claims)
				expect(page.includes(`/claims/${claim.id}`), `${word} ${claim.text}`).toBe(expected.includes(claim));
			// Google's search of a text it finds nothing for would match claims by their words (all
			// four share the marker): exactly these two says the search found them.
			const google = await json<{ claims?: { text: string }[] }>(
				await call(`/v1alpha1/claims:search?query=${q}`),
			);
			expect(sorted((google.claims ?? []).map((c) => c.text)), word).toEqual(
				sorted(expected.map((c) => c.text)),
			);
		}
	});

	it("lets the matcher find a claim whose terms the cron has not written anew yet, and one written plainly", async () => {
		const marker = `m${newId()}`;
		const text = `${marker} Wałęsa sagte, Łódź sei pleite.`;
		const older = await makeClaim({ text, language: "de" });
		const written = await env.DB.prepare("SELECT search_terms AS t FROM claims WHERE id = ?")
			.bind(older.id)
			.first<{ t: string }>();
		// As version 2 wrote them: no plain spellings (the cron recomputes such rows in time).
		await env.DB.prepare(
			"UPDATE claims SET search_terms = replace(replace(replace(search_terms, ' walęsa', ''), ' lódź', ''), '·v3·', '·v2·') WHERE id = ?",
		)
			.bind(older.id)
			.run();
		const terms = await env.DB.prepare("SELECT search_terms AS t FROM claims WHERE id = ?")
			.bind(older.id)
			.first<{ t: string }>();
		expect(terms?.t).not.toContain("walęsa");
		const plain = await makeClaim({ text: `${marker} Walesa sagte, Lodz sei pleite.`, language: "de" });
		const ask = async (question: string) =>
			(
				await json<{ data: { claim: { id: string } }[] }>(
					await call(`/api/v1/claims/matches?${new URLSearchParams({ text: question, language: "de" })}`),
				)
			).data.map((m) => m.claim.id);
		expect(await ask(text)).toEqual(expect.arrayContaining([older.id, plain.id]));
		expect(await ask(`${marker} Walesa sagte, Lodz sei pleite.`)).toEqual(
			expect.arrayContaining([older.id, plain.id]),
		);
		// Written anew, as the cron would: a row left at version 2 would be the next reindex's work
		// in another test of this runtime (search-numbers counts what `npm run reindex` redoes).
		await env.DB.prepare("UPDATE claims SET search_terms = ? WHERE id = ?")
			.bind(written?.t ?? "", older.id)
			.run();
	});
});

describe("OR and excluded words", () => {
	it("OR joins the two words beside it, and an excluded word leaves out every claim with it", async () => {
		const marker = `m${newId()}`;
		const jobsAndRents = await makeClaim({ text: `Jobs grew and rents fell ${marker}`, language: "en" });
		const wagesOnly = await makeClaim({ text: `Wages grew ${marker}`, language: "en" });
		const jobsOnly = await makeClaim({ text: `Jobs grew ${marker}`, language: "en" });
		const wagesAndRents = await makeClaim({ text: `Wages and rents grew ${marker}`, language: "en" });
		const sorted = (ids: string[]) => [...ids].sort();
		expect(sorted(await found(`${marker} jobs OR wages -rents`))).toEqual(
			sorted([wagesOnly.id, jobsOnly.id]),
		);
		expect(sorted(await found(`jobs OR wages NOT rents ${marker}`))).toEqual(
			sorted([wagesOnly.id, jobsOnly.id]),
		);
		// (jobs OR wages) AND rents, not jobs OR (wages AND rents).
		expect(sorted(await found(`${marker} jobs OR wages rents`))).toEqual(
			sorted([jobsAndRents.id, wagesAndRents.id]),
		);
	});
});

describe("a ranked page's cursor on a newest-first search", () => {
	// Its offset is no position in the other order: once an empty page (a walk that seemed
	// complete), then rows skipped from the top; now the client is told to start again.
	it("is refused with the cursor's 400 instead of answering an empty page", async () => {
		const marker = `m${newId()}`;
		for (let i = 0; i < 4; i++) await makeClaim({ text: `Harbour ${marker} number ${i}`, language: "en" });
		const ranked = await json<{ next: string | null }>(await call(`/api/v1/claims?q=${marker}&limit=2`));
		const cursor = new URL(ranked.next ?? "http://x/").searchParams.get("cursor") ?? "";
		const recent = await call(`/api/v1/claims?q=${marker}&sort=recent&limit=2&cursor=${cursor}`);
		expect(recent.status).toBe(400);
		expect((await json<{ errors: { path: string }[] }>(recent)).errors[0]?.path).toBe("query.cursor");
	});
});

describe("verdict headline and summary", () => {
	it("finds a claim by its verdict's headline until the verdict is retracted", async () => {
		const marker = `m${newId()}`;
		const claim = await makeClaim({ text: `Der Hafen ist geschlossen ${marker}`, language: "de" });
		expect(await found(`Fähren ${marker}`)).toEqual([]);
		const verdict = await publish(claim.id, "false", {
			headline: "Die Fähren fahren wieder",
			summary: "Laut Hafenbehörde verkehren täglich Schiffe.",
		});
		expect(await found(`Fähre ${marker}`)).toEqual([claim.id]);
		expect(await found(`Hafenbehörde ${marker}`)).toEqual([claim.id]);
		await retract(verdict.id, verdict.version);
		expect(await found(`Fähre ${marker}`)).toEqual([]);
		expect(await found(`Hafenbehörde ${marker}`)).toEqual([]);
		// The claim's own words stay.
		expect(await found(`Hafen ${marker}`)).toEqual([claim.id]);
	});

	it("after a correction, the new headline's words find it and the old ones do not", async () => {
		const marker = `m${newId()}`;
		const claim = await makeClaim({ text: `Unemployment doubled last year ${marker}`, language: "en" });
		await publish(claim.id, "false", { headline: "Statistics show a decline", language: "en" });
		expect(await found(`declining ${marker}`)).toEqual([claim.id]);
		await publish(claim.id, "half-true", {
			headline: "Layoffs rose in one region only",
			summary: "Regional figures differ.",
			correctionNote: "The regional data came in.",
			language: "en",
		});
		expect(await found(`declining ${marker}`)).toEqual([]);
		expect(await found(`layoff ${marker}`)).toEqual([claim.id]);
		expect(await found(`region ${marker}`)).toEqual([claim.id]);
		expect((await reload(claim.id)).searchTerms).toContain("layoff");
	});
});

describe("concurrent writes", () => {
	it("a publication whose claim text changed meanwhile stems the new text, not the one it read", async () => {
		const marker = `m${newId()}`;
		const claim = await makeClaim({ text: `Die Mieten steigen ${marker}`, language: "de" });
		const draft = await createDraftVerdict(testDb(), SYSTEM("test"), claim.id, {
			rating: "false",
			headline: "Die Zahlen sinken",
			summary: null,
			body: null,
			evidence: [],
			language: "de",
		});
		// Another writer changes the text just before the publication's batch runs.
		let raced = false;
		const racing = new Proxy(env.DB, {
			get(target, property) {
				if (property === "batch" && !raced) {
					return async (statements: D1PreparedStatement[]) => {
						raced = true;
						await target
							.prepare("UPDATE claims SET text = ?, version = version + 1 WHERE id = ?")
							.bind(`Die Renten steigen ${marker}`, claim.id)
							.run();
						return target.batch(statements);
					};
				}
				const value = Reflect.get(target, property, target);
				return typeof value === "function" ? value.bind(target) : value;
			},
		});
		await publishVerdict(createDb(racing), SYSTEM("test"), draft.id, draft.version, null);
		expect(raced).toBe(true);
		const terms = (await reload(claim.id)).searchTerms ?? "";
		expect(terms.split(" ")).toContain("rent");
		expect(terms.split(" ")).not.toContain("miet");
		expect(terms).toContain("sink");
	});
});

describe("imported claims", () => {
	it("are found by their verdict's words, and by the corrected verdict's only after an update", async () => {
		const marker = `m${newId()}`;
		const record = (headline: string, rating: "false" | "half-true") =>
			({
				externalId: `ext-${marker}`,
				claim: {
					text: `Die Brücke ${marker} kostete 300 Millionen.`,
					language: "de",
					claimedAt: "2025-07-01",
				},
				speaker: null,
				sources: [{ url: `https://news.example/${marker}`, title: "Artikel" }],
				verdict: { rating, originalRating: rating, headline, url: `https://check.example/${marker}` },
			}) satisfies ImportRecord;
		const actor = { userId: null, label: "test-import" };
		const created = await importRecords(testDb(), actor, [record("Die Baukosten waren niedriger", "false")]);
		const claimId = created.outcomes[0]?.claimId ?? "";
		expect(await found(`Baukost ${marker}`)).toEqual([claimId]);
		const updated = await importRecords(testDb(), actor, [record("Die Planungskosten stiegen", "half-true")]);
		expect(updated.outcomes[0]).toMatchObject({ status: "updated", changes: ["verdict"] });
		// The import writes no cache purge of its own here (the command does): read the store.
		expect((await reload(claimId)).searchTerms).toContain("planungskost");
		expect((await reload(claimId)).searchTerms).not.toContain("baukost");
	});
});

describe("ranking", () => {
	it("puts the claim that says the word first, before stems and verdict words", async () => {
		const first = await makeClaim({ text: "Die Mietpreise in Kalma steigen seit Jahren", language: "de" });
		const speaker = { id: first.speaker?.id ?? "" };
		const stemOnly = await makeClaim({
			text: "Der Mietpreis in Kalma stieg im Mai",
			language: "de",
			speaker,
		});
		const verdictOnly = await makeClaim({ text: "Wohnen in Kalma wird teurer", language: "de", speaker });
		await publish(verdictOnly.id, "mostly-true", { headline: "Die Mietpreise stiegen um vier Prozent" });
		const ranked = await found("Mietpreise", `&speaker=${first.speaker?.slug}`);
		expect(ranked).toHaveLength(3);
		// The oldest of the three: it is first on relevance, not on recency.
		expect(ranked[0]).toBe(first.id);
		expect(ranked.slice(1).sort()).toEqual([stemOnly.id, verdictOnly.id].sort());
		const google = await json<{ claims?: { text: string }[] }>(
			await call(`/v1alpha1/claims:search?query=${encodeURIComponent(`Mietpreise ${verdictOnly.text}`)}`),
		);
		expect(google.claims?.map((c) => c.text)).toEqual([verdictOnly.text]);
	});
});

describe("match count", () => {
	it("the /claims page ranks the newest 200 matches, and its newest-first order reaches every one", {
		timeout: 60_000,
	}, async () => {
		const word = `Molenkopf${newId().replace(/\d/g, "")}`;
		const ids = await claimsSaying(testDb(), word, 230);
		/** Every claim a walk of the pages from `href` lists, following its next links. */
		const walk = async (href: string) => {
			const seen: string[] = [];
			let next: string | null = href;
			while (next) {
				const html = await (await call(next, { headers: { Accept: "text/html" } })).text();
				const list = html.slice(html.indexOf('<ul class="claims">'));
				for (const m of list.slice(0, list.indexOf("</ul>")).matchAll(/href="\/claims\/([0-9a-z]{14})"/g))
					seen.push(m[1] ?? "");
				next = /<a href="([^"]*cursor=[^"]*)" rel="next">/.exec(html)?.[1]?.replaceAll("&amp;", "&") ?? null;
			}
			return seen;
		};
		expect(new Set(await walk(`/claims?q=${word}&lang=en`)).size).toBe(200);
		const first = await (await call(`/claims?q=${word}&lang=en`)).text();
		expect(first).toContain('<strong aria-current="true">best match first (among the newest 200)</strong>');
		const newest = /<a href="([^"]*sort=recent[^"]*)">newest first \(every match\)<\/a>/.exec(first)?.[1];
		expect(newest?.replaceAll("&amp;", "&")).toBe(`/claims?q=${word}&lang=en&sort=recent`);
		const every = await walk(`/claims?q=${word}&lang=en&sort=recent`);
		expect(every).toHaveLength(230);
		expect(new Set(every)).toEqual(new Set(ids));
		expect(every[0]).toBe(ids.at(-1));
		// More than the window: ranked, the count says what is shown; newest first lists every
		// match, so it only says how many.
		expect(first).toMatch(
			/<p class="match-count" role="status">About [\d,]+ matching claims\. Shown are the best among the newest 200 matches; narrow the search to reach older ones\.<\/p>/,
		);
		const line = async (path: string) =>
			/<p class="match-count" role="status">([^<]*)<\/p>/.exec(await (await call(path)).text())?.[1];
		expect(await line(`/claims?q=${word}&lang=en&sort=recent`)).toMatch(/^About [\d,]+ matching claims\.$/);
		expect(await line(`/claims?q=${word}&lang=de&sort=recent`)).toMatch(
			/^Etwa [\d.]+ passende Behauptungen\.$/,
		);
		// Too few with the status to estimate from: among the newest, without advice to narrow.
		expect(await line(`/claims?q=${word}&status=false&lang=en&sort=recent`)).toBe(
			"With this status among the newest 200 matches: 0.",
		);
		expect(await line(`/claims?q=${word}&status=false&lang=de&sort=recent`)).toBe(
			"Mit diesem Status unter den neuesten 200 Treffern: 0.",
		);
		expect(await line(`/claims?q=${word}&status=false&lang=en`)).toBe(
			"With this status among the newest 200 matches: 0. Narrow the search to reach older ones.",
		);
	});

	it("says how many claims a search matches, on the API's every page and on the /claims page", async () => {
		const marker = `m${newId()}`;
		const claims = [];
		for (const n of [1, 2, 3])
			claims.push(await makeClaim({ text: `Zählung ${n} im Hafen ${marker}`, language: "de" }));
		await publish(claims[0]?.id ?? "", "false");
		const first = await json<List & { matches?: unknown; next: string | null }>(
			await call(`/api/v1/claims?q=${marker}&limit=2`),
		);
		expect(first.data).toHaveLength(2);
		expect(first.matches).toEqual({ count: 3, accuracy: "exact" });
		const second = await json<List & { matches?: unknown }>(
			await call(new URL(first.next ?? "").pathname + new URL(first.next ?? "").search),
		);
		expect(second.data).toHaveLength(1);
		expect(second.matches).toEqual({ count: 3, accuracy: "exact" });
		// The other filters count too, and sort=recent counts the same way.
		const published = await json<{ matches?: unknown }>(
			await call(`/api/v1/claims?q=${marker}&status=false&sort=recent`),
		);
		expect(published.matches).toEqual({ count: 1, accuracy: "exact" });
		expect(await json<{ matches?: unknown }>(await call(`/api/v1/claims?q=nothing${marker}`))).toMatchObject({
			data: [],
			matches: { count: 0, accuracy: "exact" },
		});
		// A list without a search has nothing to count.
		expect(await json<object>(await call("/api/v1/claims?limit=1"))).not.toHaveProperty("matches");
		const page = await (await call(`/claims?q=${marker}&lang=en`)).text();
		expect(page).toContain('<p class="match-count" role="status">3 matching claims.</p>');
		const german = await (await call(`/claims?q=${marker}&status=false&lang=de`)).text();
		expect(german).toContain('<p class="match-count" role="status">1 passende Behauptung.</p>');
		// Nothing found says so once, without a count.
		expect(await (await call(`/claims?q=nothing${marker}&lang=en`)).text()).not.toContain("match-count");
	});
});

describe("match count and list agree", () => {
	it("with a sort by verdict date, and with a topic on a ranked search", async () => {
		const marker = `m${newId()}`;
		const claims = [];
		for (const n of [1, 2, 3])
			claims.push(await makeClaim({ text: `Abgleich ${n} ${marker}`, language: "de" }));
		await publish(claims[1]?.id ?? "", "false");
		// Only reviewed claims have a verdict date to sort by.
		const byReview = await json<List & { matches?: unknown }>(
			await call(`/api/v1/claims?q=${marker}&sort=reviewed`),
		);
		expect(byReview.data.map((c) => c.id)).toEqual([claims[1]?.id]);
		expect(byReview.matches).toEqual({ count: 1, accuracy: "exact" });
		const topic = `thema-${newId()}`;
		await setClaimTags(testDb(), SYSTEM("test"), claims[2]?.id ?? "", [{ slug: topic, name: topic }], null);
		for (const sort of ["", "&sort=recent", "&sort=relevance"]) {
			const tagged = await json<List & { matches?: unknown }>(
				await call(`/api/v1/claims?q=${marker}&tag=${topic}${sort}`),
			);
			expect(
				tagged.data.map((c) => c.id),
				sort,
			).toEqual([claims[2]?.id]);
			expect(tagged.matches, sort).toEqual({ count: 1, accuracy: "exact" });
		}
	});
});

describe("unsupported search syntax", () => {
	const refused = [
		"jobs NEAR wages",
		"body:kursk",
		"(a OR b)",
		"speaker : Lawrow",
		"^kursk",
		"speaker:Merz",
		"terms:x",
	];

	it.each(refused)("%s: a 422 naming q on /api/v1/claims", async (q) => {
		const response = await call(`/api/v1/claims?q=${encodeURIComponent(q)}`);
		expect(response.status).toBe(422);
		expect(response.headers.get("content-type")).toContain("application/problem+json");
		const body = await json<{ detail: string; errors: { path: string; message: string }[] }>(response);
		expect(body.errors.map((e) => e.path)).toEqual(["query.q"]);
		expect(body.detail).toMatch(/^q: .*not supported/);
		expect(body.errors[0]?.message).toContain('"exact phrases"');
	});

	it.each(refused)("%s: the /claims page shows what is supported", async (q) => {
		const response = await call(`/claims?q=${encodeURIComponent(q)}`, { headers: { Accept: "text/html" } });
		expect(response.status).toBe(200);
		const page = await response.text();
		expect(page).toContain('role="alert"');
		expect(page).toMatch(/not supported/);
		// In the page's language: a German page says it in German.
		const german = await (await call(`/claims?q=${encodeURIComponent(q)}&lang=de`)).text();
		expect(german).toMatch(
			/<p class="notice error" role="alert">[^<]*nicht unterstützt[^<]*Suchen Sie mit Wörtern/,
		);
		// Nothing was searched: "no claim matches" would tell a reader this was never checked.
		expect(page).not.toContain("No claims match.");
		expect(german).not.toContain("Keine Behauptung passt.");
	});

	it.each(refused)(
		"%s: Google's claims:search takes it as free text, never a 400 for its wording",
		async (q) => {
			const response = await call(`/v1alpha1/claims:search?query=${encodeURIComponent(q)}`);
			expect(response.status).toBe(200);
			expect(response.headers.get("content-type")).toContain("application/json");
		},
	);

	it("the gender colon capitalised or in a compound is a word, as the star is: found on the API, /claims and the desk", async () => {
		const marker = `m${newId()}`;
		const claim = await makeClaim({
			text: `Die Schüler:innenvertretungen fordern mehr Lehrer:innen ${marker}`,
			language: "de",
		});
		const checker = await account("checker");
		// Each was a 422 on the API and "Feldfilter … nicht unterstützt" on /claims and the desk.
		for (const q of [
			"Schüler:innenvertretungen",
			"Lehrer:Innen",
			"Schüler*innenvertretungen",
			"Lehrer*Innen",
		]) {
			const search = encodeURIComponent(`${q} ${marker}`);
			const api = await call(`/api/v1/claims?q=${search}`);
			expect([q, api.status]).toEqual([q, 200]);
			expect((await json<List>(api)).data.map((c) => c.id)).toEqual([claim.id]);
			const page = await (await call(`/claims?q=${search}&lang=de`)).text();
			expect(page, q).not.toContain("Feldfilter");
			expect(page, q).toContain(`/claims/${claim.id}"`);
			const desk = await (
				await call(`/desk?list=all&q=${search}&lang=de`, { headers: { Cookie: checker.cookie } })
			).text();
			expect(desk, q).not.toContain("Feldfilter");
			expect(desk, q).toContain(`/desk/claims/${claim.id}"`);
		}
	});

	it("Google's claims:search finds a claim from a pasted paraphrase of 30 words with parentheses and NOT", async () => {
		const place = `Hafen${newId().replace(/\d/g, "")}`;
		const claim = await makeClaim({
			text: `Die Arbeitslosigkeit in ${place} stieg 2024 auf 6,1 Prozent.`,
			language: "de",
		});
		const verdictOf = await publish(claim.id, "false", { language: "de" });
		const pasted = `Wie ein Sprecher (im Interview) sagte, stieg die Arbeitslosigkeit in ${place} im Jahr 2024 auf 6,1 Prozent, und das ist NOT what the government had promised the voters before the election last year.`;
		expect(pasted.split(/\s+/).length).toBeGreaterThan(30);
		const answer = await json<{ claims?: { text: string; claimReview: { url: string }[] }[] }>(
			await call(`/v1alpha1/claims:search?query=${encodeURIComponent(pasted)}`),
		);
		expect(answer.claims?.[0]?.text).toBe(claim.text);
		expect(answer.claims?.[0]?.claimReview[0]?.url).toContain(`/claims/${claim.id}`);
		// A short sentence our syntax reads but whose words the claim does not all use: matched too.
		const sentence = await json<{ claims?: { text: string }[] }>(
			await call(
				`/v1alpha1/claims:search?query=${encodeURIComponent(`Er sagte, die Arbeitslosigkeit in ${place} stieg auf 6,1 Prozent`)}`,
			),
		);
		expect(sentence.claims?.[0]?.text).toBe(claim.text);
		// Costly as /api/v1/claims/matches is, it takes the same limit per address.
		const ctx = createExecutionContext();
		const limited = await app.fetch(
			new Request(`${BASE}/v1alpha1/claims:search?query=${encodeURIComponent(pasted)}`),
			{ ...env, MATCH_LIMITER: { limit: async () => ({ success: false }) } },
			ctx,
		);
		await waitOnExecutionContext(ctx);
		expect(limited.status).toBe(429);
		expect(limited.headers.get("retry-after")).toBe("60");
		// The filters hold there too: a review in another language is not listed.
		const english = await json<{ claims?: unknown[] }>(
			await call(`/v1alpha1/claims:search?query=${encodeURIComponent(pasted)}&languageCode=en`),
		);
		expect(JSON.stringify(english)).not.toContain(claim.id);
		// A retraction is filtered by the language of the review it withdrew, as the search does.
		await retract(verdictOf.id, verdictOf.version, "The figure was misread.");
		const german = await json<{ claims?: { text: string }[] }>(
			await call(`/v1alpha1/claims:search?query=${encodeURIComponent(pasted)}&languageCode=de`),
		);
		expect(german.claims?.[0]?.text).toBe(claim.text);
		const notEnglish = await json<{ claims?: unknown[] }>(
			await call(`/v1alpha1/claims:search?query=${encodeURIComponent(pasted)}&languageCode=en`),
		);
		expect(JSON.stringify(notEnglish)).not.toContain(claim.id);
	});

	it("documents the rules on q in OpenAPI", async () => {
		const doc = await json<{
			paths: Record<string, { get: { parameters: { name: string; description?: string }[] } }>;
		}>(await call("/api/v1/openapi.json"));
		const q = doc.paths["/api/v1/claims"]?.get.parameters.find((p) => p.name === "q");
		expect(q?.description).toMatch(/stems/);
		expect(q?.description).toMatch(/NEAR/);
		const query = doc.paths["/v1alpha1/claims:search"]?.get.parameters.find((p) => p.name === "query");
		expect(query?.description).toMatch(/NEAR/);
		// Google's query is free text: what the syntax cannot read is matched, never a 400 or 422.
		expect(query?.description).toMatch(/matched as a claim/);
		expect(query?.description).not.toMatch(/422|sort=relevance/);
	});
});

describe("Google's maxAgeDays", () => {
	it("keeps a result whose claim date or review, whichever is newer, is that young, to the hour", async () => {
		const word = `Alterstest${newId().replace(/\d/g, "")}`;
		const day = 86_400_000;
		// Reviewed ten days ago, about something said today: young by its claim date.
		const saidToday = await makeClaim({
			text: `${word} heute gesagt`,
			claimedAt: new Date().toISOString().slice(0, 10),
		});
		// Said long ago and reviewed 30 hours ago: older than a day, however the days fall.
		const reviewedYesterday = await makeClaim({ text: `${word} gestern geprüft`, claimedAt: "2020-01-01" });
		// Said long ago and reviewed ten days ago: old by both.
		const old = await makeClaim({ text: `${word} alt`, claimedAt: "2020-01-01" });
		for (const [claim, age] of [
			[saidToday, 10 * day],
			[reviewedYesterday, 30 * 3_600_000],
			[old, 10 * day],
		] as const) {
			await publish(claim.id, "false", { language: "de" });
			await env.DB.prepare("UPDATE claims SET reviewed_at = ? WHERE id = ?")
				.bind(new Date(Date.now() - age).toISOString(), claim.id)
				.run();
		}
		const found = async (days: number) => {
			const answer = await json<{ claims?: { text: string }[] }>(
				await call(`/v1alpha1/claims:search?query=${word}&maxAgeDays=${days}`),
			);
			return (answer.claims ?? []).map((c) => c.text).sort();
		};
		expect(await found(1)).toEqual([saidToday.text]);
		expect(await found(2)).toEqual([reviewedYesterday.text, saidToday.text].sort());
		expect(await found(30)).toEqual([old.text, reviewedYesterday.text, saidToday.text].sort());
	});
});

describe("Google's claims:search pages the claim matcher's answer", () => {
	interface Answer {
		claims?: { text: string }[];
		nextPageToken?: string;
	}
	const google = async (params: string) => json<Answer>(await call(`/v1alpha1/claims:search?${params}`));

	it("by offset and by page token, {} past its end, as it pages a search", { timeout: 60_000 }, async () => {
		const place = `Kreis${newId().replace(/\d/g, "")}`;
		const texts: string[] = [];
		for (const rate of ["3,1", "4,1", "5,1"]) {
			const claim = await makeClaim({
				text: `Die Arbeitslosigkeit in ${place} stieg 2024 auf ${rate} Prozent.`,
				language: "de",
			});
			await publish(claim.id, "false", { language: "de" });
			texts.push(claim.text);
		}
		// More than 16 words: matched as a claim, never searched.
		const pasted = encodeURIComponent(
			`Laut einem Bericht von gestern stieg die Arbeitslosigkeit in ${place} im Jahr 2024 deutlich auf mehrere Prozent, sagte ein Sprecher der Regierung heute Morgen.`,
		);
		// Other tests' claims may be matched too: ours are each on one page, none twice.
		const byOffset = async (query: string, size: number) => {
			const listed: string[] = [];
			for (let offset = 0; offset < 50; offset += size) {
				const answer = await google(`query=${query}&pageSize=${size}&offset=${offset}`);
				if (!answer.claims) {
					expect(answer).toEqual({});
					break;
				}
				expect(answer.claims.length).toBeLessThanOrEqual(size);
				listed.push(...answer.claims.map((c) => c.text));
			}
			expect(new Set(listed).size).toBe(listed.length);
			expect(listed.filter((text) => text.includes(place)).sort()).toEqual([...texts].sort());
			return listed;
		};
		const pages = await byOffset(pasted, 1);
		expect(await google(`query=${pasted}&pageSize=1&offset=500`)).toEqual({});
		// Its page token walks the same list, and the last page has none.
		const byToken: string[] = [];
		let token: string | undefined;
		do {
			const answer: Answer = await google(
				`query=${pasted}&pageSize=1${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`,
			);
			byToken.push(...(answer.claims ?? []).map((c) => c.text));
			token = answer.nextPageToken;
		} while (token && byToken.length < 50);
		expect(byToken).toEqual(pages);
		// A sentence our syntax reads but no claim has every word of is matched too, on every page.
		const sentence = encodeURIComponent(`Er sagte, die Arbeitslosigkeit in ${place} stieg 2024`);
		await byOffset(sentence, 2);
		// A search that finds something pages its own results: past their end is {}, not the matcher.
		expect((await google(`query=${place}&pageSize=2&offset=2`)).claims).toHaveLength(1);
		expect(await google(`query=${place}&pageSize=2&offset=3`)).toEqual({});
	});
});

describe("Google's claims:search and the match limit", () => {
	// Through both Workers, as production runs it: the public Worker hands a pasted claim, and a
	// search that finds nothing, to the desk Worker, whose MATCH_LIMITER counts the same
	// addresses (one namespace in both wrangler files). Asked of the desk app alone, a site-
	// filtered search that fell back to the matcher took one token here and two in production,
	// so a partner checking its own site once a second was refused from the 31st request a minute.
	it("takes one token a request, with another publisher's site and a pasted claim", async () => {
		let taken = 0;
		const limiter = {
			limit: async () => {
				taken++;
				return { success: true };
			},
		};
		const marker = newId().replace(/\d/g, "");
		const pasted = encodeURIComponent(
			`Wie ein Sprecher (im Interview) sagte, stieg die Arbeitslosigkeit im Hafen ${marker} im Jahr 2024 auf sechs Prozent, was niemand erwartet hatte.`,
		);
		for (const params of [
			`query=${pasted}&reviewPublisherSiteFilter=partner.example`,
			`query=Hafenfremdwort${marker}&reviewPublisherSiteFilter=partner.example`,
			`query=Hafenfremdwort${marker}&reviewPublisherSiteFilter=partner.example&offset=20`,
			`query=${pasted}`,
			`query=Hafenfremdwort${marker}`,
			`query=${pasted}&reviewPublisherSiteFilter=claimtrack.example`,
			"reviewPublisherSiteFilter=partner.example",
		]) {
			taken = 0;
			const { response, settled } = await fetchWith(
				env.DB,
				`/v1alpha1/claims:search?${params}`,
				undefined,
				false,
				{ MATCH_LIMITER: limiter } as Partial<Env>,
			);
			expect(response.status, params).toBe(200);
			await response.body?.cancel();
			await settled();
			expect(taken, params).toBe(1);
		}
	});
});

describe("Google's claims:search orders a pasted claim's matches as the matcher does", () => {
	it("lists the claim it states before a contradicting near-miss that shares more words", async () => {
		const place = `Port${newId().replace(/\d/g, "")}`;
		const stated = await makeClaim({
			text: `Exports from ${place} doubled in 2024, according to the customs office.`,
			language: "en",
		});
		const denied = await makeClaim({ text: `Exports from ${place} did not double in 2024.`, language: "en" });
		await publish(stated.id, "true", { language: "en" });
		await publish(denied.id, "false", { language: "en" });
		// Parentheses: our search syntax cannot read it, so it is matched as a claim.
		const query = `Exports from ${place} (the port) doubled in 2024`;
		const matches = await json<{ data: { claim: { id: string }; score: number; relation: string }[] }>(
			await call(`/api/v1/claims/matches?text=${encodeURIComponent(query)}&language=en`),
		);
		const ours = matches.data.filter((m) => m.claim.id === stated.id || m.claim.id === denied.id);
		expect(ours.map((m) => [m.claim.id, m.relation])).toEqual([
			[stated.id, "same"],
			[denied.id, "similar"],
		]);
		// The near-miss scores higher: by score alone it would come first.
		expect(ours[1]?.score).toBeGreaterThan(ours[0]?.score ?? 1);
		const google = await json<{ claims?: { text: string }[] }>(
			await call(`/v1alpha1/claims:search?query=${encodeURIComponent(query)}`),
		);
		const listed = (google.claims ?? []).map((c) => c.text).filter((text) => text.includes(place));
		expect(listed).toEqual([stated.text, denied.text]);
	});
});
