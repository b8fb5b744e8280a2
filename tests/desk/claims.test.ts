import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { verdicts } from "../../src/db/schema";
import { newId, newToken } from "../../src/domain/ids";
import { audit, chunkForInsert, runBatch, SYSTEM } from "../../src/store/batch";
import { createSpeaker } from "../../src/store/speakers";
import { draft, makeClaim, publish } from "../factories";
import { call, json, testDb } from "../helpers";
import {
	account,
	apiCall,
	apiToken,
	auditCount,
	claimForm,
	deskGet,
	deskPost,
	hidden,
	snapshot,
} from "./helpers";

const claimIdOf = (response: Response) =>
	/\/desk\/claims\/([0-9a-z]{14})/.exec(response.headers.get("location") ?? "")?.[1];

describe("claim intake form", () => {
	it("renders a labelled form without JavaScript, with the page nonce on the one script", async () => {
		const checker = await account("checker");
		const response = await deskGet(checker, "/desk/claims/new");
		expect(response.status).toBe(200);
		const csp = response.headers.get("content-security-policy") ?? "";
		const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
		expect(nonce).toBeTruthy();
		expect(csp).toContain("connect-src 'self'");
		expect(csp).toContain("form-action 'self'");
		expect(response.headers.get("cache-control")).toBe("no-store");
		const html = await response.text();
		expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
		expect(html).toContain(`<script src="/desk/assets/desk.js" nonce="${nonce}" defer`);
		for (const name of ["source.url", "source.title", "speaker.name", "text", "claimedAt", "language"]) {
			const id = `f-${name.replace(/[^A-Za-z0-9]+/g, "-")}`;
			expect(html).toContain(`<label for="${id}">`);
			expect(html).toContain(`id="${id}" name="${name}"`);
		}
		expect(hidden(html, "_csrf")).toBe(checker.csrf);
		expect(hidden(html, "_idem")).toMatch(/^[A-Za-z0-9_-]{24}$/);
	});

	it("records source, speaker, claim and first appearance, audited with the actor", async () => {
		const checker = await account("checker");
		const form = claimForm({ "speaker.description": "Außenministerin der DVRK" });
		const before = await auditCount();
		const response = await deskPost(checker, "/desk/claims", form);
		expect(response.status).toBe(303);
		const id = claimIdOf(response);
		expect(id).toBeTruthy();
		const claim = await env.DB.prepare("SELECT * FROM claims WHERE id = ?")
			.bind(id)
			.first<Record<string, unknown>>();
		expect(claim).toMatchObject({
			text: form.text,
			language: "de",
			claimed_at: "2025-07-12",
			created_by: checker.user.id,
		});
		const source = await env.DB.prepare(
			"SELECT s.id, s.url FROM sources s JOIN appearances a ON a.source_id = s.id WHERE a.claim_id = ? AND a.is_first = 1",
		)
			.bind(id)
			.first<{ id: string; url: string }>();
		// Canonicalised: tracking parameters stripped.
		expect(source?.url).not.toContain("utm_source");
		// This request's rows: by this checker, or about what it wrote (the shared runtime's
		// background work, a webhook's audit, may land meanwhile).
		const audits = await env.DB.prepare(
			"SELECT entity, actor_id FROM audit_log WHERE id > ? AND (actor_id = ? OR entity_id IN (?, ?, ?)) ORDER BY id",
		)
			.bind(before, checker.user.id, id, source?.id ?? "", String(claim?.speaker_id ?? ""))
			.all<{ entity: string; actor_id: string }>();
		expect(audits.results.map((a) => a.entity).sort()).toEqual(["claim", "source", "speaker"]);
		expect(new Set(audits.results.map((a) => a.actor_id))).toEqual(new Set([checker.user.id]));
		const page = await deskGet(checker, response.headers.get("location") ?? "");
		const html = await page.text();
		expect(html).toContain("The claim is saved.");
		expect(html).toContain(checker.user.name);
	});

	it("matches the source by canonical URL and the speaker by alias", async () => {
		const checker = await account("checker");
		const speaker = await createSpeaker(testDb(), SYSTEM("test"), {
			name: `Choe Son-hui ${newToken(16).slice(0, 4)}`,
			kind: "person",
			description: null,
			wikidataId: null,
			aliases: [],
		});
		const url = `https://news.example/${newToken(16)}`;
		const first = await deskPost(
			checker,
			"/desk/claims",
			claimForm({ "source.url": url, "speaker.name": speaker.name }),
		);
		const second = await deskPost(
			checker,
			"/desk/claims",
			claimForm({ "source.url": `${url}#section?`, "speaker.name": speaker.name.toUpperCase() }),
		);
		expect(first.status).toBe(303);
		expect(second.status).toBe(303);
		const rows = await env.DB.prepare(
			"SELECT DISTINCT c.speaker_id AS speaker, a.source_id AS source FROM claims c JOIN appearances a ON a.claim_id = c.id WHERE c.id IN (?, ?)",
		)
			.bind(claimIdOf(first), claimIdOf(second))
			.all<{ speaker: string; source: string }>();
		expect(rows.results).toHaveLength(1);
		expect(rows.results[0]?.speaker).toBe(speaker.id);
	});

	it("writes one claim for a double submission of the same form", async () => {
		const checker = await account("checker");
		const form = claimForm();
		const before = await snapshot();
		const [a, b] = await Promise.all([
			deskPost(checker, "/desk/claims", form),
			deskPost(checker, "/desk/claims", form),
		]);
		const reload = await deskPost(checker, "/desk/claims", form);
		expect([a.status, b.status, reload.status]).toEqual([303, 303, 303]);
		expect(new Set([a, b, reload].map(claimIdOf)).size).toBe(1);
		const after = await snapshot();
		expect(after.claims - before.claims).toBe(1);
		expect(after.appearances - before.appearances).toBe(1);
	});

	it("offers an appearance instead of a duplicate claim", async () => {
		const checker = await account("checker");
		const form = claimForm();
		const first = await deskPost(checker, "/desk/claims", form);
		const claimId = claimIdOf(first);
		const otherArticle = `https://other-paper.example/${newToken(16)}`;
		const before = await snapshot();
		const again = await deskPost(
			checker,
			"/desk/claims",
			claimForm({
				text: form.text ?? "",
				"speaker.name": form["speaker.name"] ?? "",
				"source.url": otherArticle,
			}),
		);
		expect(again.status).toBe(409);
		const html = await again.text();
		expect(html).toContain("This claim is recorded already");
		expect(html).toContain(`action="/desk/claims/${claimId}/appearances"`);
		// The notice offers it: the form's script does not offer it a second time as the page loads.
		expect(html).toMatch(/<div id="claim-matches"[^>]* data-answered=""/);
		// A field's error brings the quote back unasked: the script asks as the page loads
		// (tests/e2e/desk: the recorded claim is offered beside it).
		const refused = await deskPost(
			checker,
			"/desk/claims",
			claimForm({ text: form.text ?? "", "source.url": "" }),
		);
		expect(refused.status).toBe(422);
		const reshown = await refused.text();
		expect(reshown).toContain('<div id="claim-matches"');
		expect(reshown).not.toContain("data-answered");
		expect((await snapshot()).claims).toBe(before.claims);
		// The offer's hidden form carries the article; sending it adds the appearance.
		const offer = html.slice(html.indexOf(`action="/desk/claims/${claimId}/appearances"`));
		const fields: Record<string, string> = {};
		for (const match of offer
			.slice(0, offer.indexOf("</form>"))
			.matchAll(/name="([^"]+)" value="([^"]*)"/g)) {
			fields[match[1] ?? ""] = (match[2] ?? "").replaceAll("&amp;", "&");
		}
		expect(fields["source.url"]).toBe(otherArticle);
		const added = await deskPost(checker, `/desk/claims/${claimId}/appearances`, fields);
		expect(added.status).toBe(303);
		const count = await env.DB.prepare("SELECT count(*) AS n FROM appearances WHERE claim_id = ?")
			.bind(claimId)
			.first<{ n: number }>();
		expect(count?.n).toBe(2);
		// The same article again is refused, with the form kept.
		const twice = await deskPost(checker, `/desk/claims/${claimId}/appearances`, {
			...fields,
			_idem: newToken(18),
		});
		expect(twice.status).toBe(409);
	});

	it("asks which speaker is meant when several carry the typed name", async () => {
		const checker = await account("checker");
		const name = `Kim ${newToken(16).slice(0, 6)}`;
		const db = testDb();
		const base = { kind: "person" as const, wikidataId: null, aliases: [] };
		const a = await createSpeaker(db, SYSTEM("test"), { ...base, name, description: "Politician" });
		await createSpeaker(db, SYSTEM("test"), { ...base, name, description: "Footballer" });
		const form = claimForm({ "speaker.name": name });
		const ask = await deskPost(checker, "/desk/claims", form);
		expect(ask.status).toBe(422);
		const html = await ask.text();
		expect(html).toContain("Several speakers have this name");
		expect(html).toContain(`value="${a.id}"`);
		const chosen = await deskPost(checker, "/desk/claims", { ...form, "speaker.choice": a.id });
		expect(chosen.status).toBe(303);
		const claim = await env.DB.prepare("SELECT speaker_id FROM claims WHERE id = ?")
			.bind(claimIdOf(chosen))
			.first<{ speaker_id: string }>();
		expect(claim?.speaker_id).toBe(a.id);
	});

	it("suggests speakers by name and alias for the type-ahead", async () => {
		const checker = await account("checker");
		const tag =
			newToken(16)
				.replace(/[^a-z]/gi, "")
				.slice(0, 6) || "zzzzzz";
		const speaker = await createSpeaker(testDb(), SYSTEM("test"), {
			name: `Sergei Lawrow${tag}`,
			kind: "person",
			description: "Foreign Minister of Russia",
			wikidataId: null,
			aliases: [`Lavrov${tag}`],
		});
		const response = await deskGet(checker, `/desk/speakers/search?q=lavrov${tag}`);
		expect(response.status).toBe(200);
		const body = await json<{ data: { id: string; aliases: string[] }[] }>(response);
		expect(body.data.map((s) => s.id)).toContain(speaker.id);
		expect((await deskGet(null, "/desk/speakers/search?q=x")).status).toBe(303);
	});
});

describe("a source's Author field, as the public markup names it", () => {
	const person = (name: string) => ({ "@type": "Person", name });
	const claimReviewOf = (page: string) =>
		JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? "{}");

	// s35 r362: cut at commas and "and" too, each of these names was published as two Persons
	// (page markup and DataFeed), while the page, the JSON API and webhooks showed one name.
	it("publishes one Person per semicolon, a comma or an 'and' kept in a name: page, JSON API and DataFeed agree", async () => {
		const checker = await account("checker");
		const typed: [string, string[]][] = [
			["García Márquez, Gabriel José", ["García Márquez, Gabriel José"]],
			["van der Berg, Jan Peter", ["van der Berg, Jan Peter"]],
			["U.S. Department of Health and Human Services", ["U.S. Department of Health and Human Services"]],
			["Rat für Migration und Integration Deutschland", ["Rat für Migration und Integration Deutschland"]],
			["Anna Beispiel, Korrespondentin in Moskau", ["Anna Beispiel, Korrespondentin in Moskau"]],
			["Anna Beispiel and Jonas Muster, Reuters", ["Anna Beispiel and Jonas Muster, Reuters"]],
			["García Márquez, Gabriel José; Anna Beispiel", ["García Márquez, Gabriel José", "Anna Beispiel"]],
		];
		const published: [string, string, string[]][] = [];
		for (const [author, names] of typed) {
			const response = await deskPost(checker, "/desk/claims", claimForm({ "source.author": author }));
			expect(response.status, author).toBe(303);
			const claimId = claimIdOf(response) ?? "";
			await publish(claimId, "false");
			published.push([claimId, author, names]);
		}
		const feed = await json<{
			dataFeedElement: { item: { url: string; itemReviewed: Record<string, any> }[] }[];
		}>(await call("/api/v1/export/claimreview.json"));
		for (const [claimId, author, names] of published) {
			const people = names.length === 1 ? person(names[0] ?? "") : names.map(person);
			const review = claimReviewOf(await (await call(`/claims/${claimId}`)).text());
			expect(review.itemReviewed.firstAppearance.author, author).toEqual(people);
			expect(review.itemReviewed.appearance[0].author, author).toEqual(people);
			const inFeed = feed.dataFeedElement.find((e) => e.item[0]?.url.endsWith(`/claims/${claimId}`));
			expect(inFeed?.item[0]?.itemReviewed.firstAppearance.author, author).toEqual(people);
			const api = await json<{ appearances: { source: { author: string | null } }[] }>(
				await call(`/api/v1/claims/${claimId}`),
			);
			expect(api.appearances[0]?.source.author, author).toBe(author);
		}
	}, 60_000);
});

describe("German spelling without umlauts", () => {
	it("'Michael Mueller' suggests and takes the known 'Michael Müller', as an import would; 'Manuel' is not 'Manul'", async () => {
		const checker = await account("checker");
		const { token } = await apiToken(checker.user, ["claims:write"]);
		// No "e" in the tag: an "ae", "oe" or "ue" of its own would be another umlaut reading.
		const tag =
			newToken(16)
				.replace(/[^a-df-z]/gi, "")
				.slice(0, 6)
				.toLowerCase() || "zzzzzz";
		const mueller = await createSpeaker(testDb(), SYSTEM("test"), {
			name: `Michael Müller${tag}`,
			kind: "person",
			description: null,
			wikidataId: null,
			aliases: [],
		});
		const manul = await createSpeaker(testDb(), SYSTEM("test"), {
			name: `Manul ${tag}`,
			kind: "person",
			description: null,
			wikidataId: null,
			aliases: [],
		});
		const suggested = await json<{ data: { id: string }[] }>(
			await deskGet(checker, `/desk/speakers/search?q=${encodeURIComponent(`mueller${tag}`)}`),
		);
		expect(suggested.data.map((s) => s.id)).toContain(mueller.id);
		const record = async (name: string) => {
			const response = await apiCall("POST", "/api/v1/claims", {
				token,
				body: {
					text: `Satz ${newId()} über den Hafen`,
					language: "de",
					speaker: { name, kind: "person" },
					source: { url: `https://news.example/${newId()}`, title: "Artikel" },
				},
			});
			expect(response.status, await response.clone().text()).toBe(201);
			return json<{ speaker: { slug: string } }>(response);
		};
		expect((await record(`Michael Mueller${tag}`)).speaker.slug).toBe(mueller.slug);
		expect((await record(`Manuel ${tag}`)).speaker.slug).not.toBe(manul.slug);
	});
});

describe("long names: D1 refuses a LIKE or GLOB pattern over 50 bytes", () => {
	it("finds speakers by long names in any script, by a word's start, and not inside a word", async () => {
		const checker = await account("checker");
		const tag =
			newToken(16)
				.replace(/[^a-z]/gi, "")
				.slice(0, 6) || "zzzzzz";
		// 48 bytes folded, 52 in Cyrillic, 3 bytes a letter in Hangul: each passed 50 with GLOB's `*`.
		const names = [
			`Bundesministerium für Wirtschaft und Klimaschutz ${tag}`,
			`Владимир Владимирович Путин ${tag}`,
			`조선민주주의인민공화국 외무성 대변인 ${tag}`,
		];
		for (const name of names) {
			const speaker = await createSpeaker(testDb(), SYSTEM("test"), {
				name,
				kind: "organization",
				description: null,
				wikidataId: null,
				aliases: [],
			});
			for (const q of [name, name.split(" ").slice(1).join(" ")]) {
				const response = await deskGet(checker, `/desk/speakers/search?q=${encodeURIComponent(q)}`);
				expect(response.status, q).toBe(200);
				const body = await json<{ data: { id: string }[] }>(response);
				expect(
					body.data.map((s) => s.id),
					q,
				).toContain(speaker.id);
			}
		}
		// The whole name but its first four letters: in it, but at no word's start.
		const inside = await deskGet(
			checker,
			`/desk/speakers/search?q=${encodeURIComponent(`ministerium für Wirtschaft und Klimaschutz ${tag}`)}`,
		);
		expect((await json<{ data: unknown[] }>(inside)).data).toEqual([]);
	});

	it("records claims by a long name that two speakers share, each under a new slug", async () => {
		const name = `Bundesministerium für Wirtschaft und Klimaschutz ${newToken(16)
			.replace(/[^a-z]/gi, "")
			.slice(0, 6)}`;
		// Two speakers of that name, and the checker says a third is meant ("a new speaker").
		for (const kind of ["organization", "person"] as const)
			await createSpeaker(testDb(), SYSTEM("test"), {
				name,
				kind,
				description: null,
				wikidataId: null,
				aliases: [],
			});
		const checker = await account("checker");
		for (const round of [1, 2]) {
			const form = claimForm({ "speaker.name": name, "speaker.choice": "new" });
			const response = await deskPost(checker, "/desk/claims", form);
			expect(response.status, String(round)).toBe(303);
			const claim = await env.DB.prepare(
				"SELECT s.slug FROM claims c JOIN speakers s ON s.id = c.speaker_id WHERE c.id = ?",
			)
				.bind(claimIdOf(response))
				.first<{ slug: string }>();
			expect(claim?.slug, String(round)).toMatch(/-[0-9]+$/);
		}
		const slugs = await env.DB.prepare("SELECT slug FROM speakers WHERE name = ? ORDER BY rowid")
			.bind(name)
			.all<{ slug: string }>();
		expect(new Set(slugs.results.map((r) => r.slug)).size).toBe(4);
	});
});

describe("bad input on the intake form", () => {
	const cases: [string, Record<string, string>, string, string][] = [
		["an empty quote", { text: "   " }, "text", "The quote is empty."],
		[
			"a 20,000-character quote",
			{ text: "x".repeat(20_000) },
			"text",
			"The quote is longer than 10,000 characters.",
		],
		// Marks are measured once cleaned (stream-safe, then composed: linear, domain/stream-safe);
		// text over four times its maximum as sent is refused before it is cleaned.
		[
			"a quote of a letter and 20,000 combining marks",
			{ text: `a${"\u0301\u0323".repeat(10_000)}` },
			"text",
			"The quote is longer than 10,000 characters.",
		],
		[
			"a context of a letter and 40,000 combining marks",
			{ context: `a${"\u0301\u0323".repeat(20_000)}` },
			"context",
			"Use at most 20,000 characters.",
		],
		[
			"a context of a word and 80,000 soft hyphens (a word once cleaned, but four times its maximum as sent)",
			{ context: `Kontext${"\u00AD".repeat(80_000)}` },
			"context",
			"As sent, this text is longer than 80,000 characters (each accent and invisible character counted on its own). Use at most 20,000 characters.",
		],
		[
			"a javascript: URL",
			{ "source.url": "javascript:alert(1)" },
			"source.url",
			"Use a full http:// or https:// address.",
		],
		[
			"a data: URL",
			{ "source.url": "data:text/html,<script>alert(1)</script>" },
			"source.url",
			"Use a full http:// or https:// address.",
		],
		["a date in the future", { claimedAt: "2999-01-01" }, "claimedAt", "This date is in the future."],
		[
			"a date that does not exist",
			{ "source.publishedAt": "2025-02-30" },
			"source.publishedAt",
			"This date does not exist.",
		],
		[
			"a speaker id that does not exist",
			{ "speaker.id": "zzzzzzzzzzzzzz" },
			"speaker.name",
			"There is no speaker with this id.",
		],
		[
			"a speaker id of another format",
			{ "speaker.id": "not-an-id" },
			"speaker.name",
			"This is not a Claimtrack id.",
		],
		["no speaker name", { "speaker.name": "" }, "speaker.name", "The name is empty."],
		[
			"a bad language code",
			{ language: "deutsch!" },
			"language",
			"Use a language code such as de, en or en-GB.",
		],
	];
	for (const [what, overrides, field, message] of cases) {
		it(`re-shows the form with an error beside the field for ${what}`, async () => {
			const checker = await account("checker");
			const form = claimForm(overrides);
			const before = await snapshot();
			const response = await deskPost(checker, "/desk/claims", form);
			expect(response.status).toBe(422);
			expect(response.headers.get("content-type")).toContain("text/html");
			const html = await response.text();
			const id = `f-${field.replace(/[^A-Za-z0-9]+/g, "-")}`;
			expect(html).toMatch(
				new RegExp(`id="${id}"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*${id}-error`),
			);
			expect(html).toContain(`<p class="error" id="${id}-error">`);
			const error = html.slice(
				html.indexOf(`id="${id}-error"`),
				html.indexOf("</p>", html.indexOf(`id="${id}-error"`)),
			);
			expect(error).toContain(message);
			// What the user typed is kept (escaped).
			if (form["source.title"]) expect(html).toContain(`value="${form["source.title"]}"`);
			expect(await snapshot()).toEqual(before);
		});
	}

	it("records a context over its maximum as sent that fits once cleaned, up to four times its maximum", async () => {
		const checker = await account("checker");
		const response = await deskPost(
			checker,
			"/desk/claims",
			claimForm({ context: `Kontext${"\u00AD".repeat(79_993)}` }),
		);
		expect(response.status).toBe(303);
		const claim = await env.DB.prepare("SELECT context FROM claims WHERE id = ?")
			.bind(claimIdOf(response))
			.first<{ context: string }>();
		expect(claim?.context).toBe("Kontext");
	});

	it("escapes what users typed", async () => {
		const checker = await account("checker");
		const response = await deskPost(
			checker,
			"/desk/claims",
			claimForm({ text: "", context: "<script>alert(1)</script>" }),
		);
		const html = await response.text();
		expect(html).not.toContain("<script>alert(1)</script>");
		expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
	});

	it("speaks German to German readers", async () => {
		const checker = await account("checker");
		const response = await deskPost(
			checker,
			"/desk/claims?lang=de",
			claimForm({ text: "", claimedAt: "2999-01-01" }),
		);
		const html = await response.text();
		expect(html).toContain('<html lang="de">');
		expect(html).toContain("Das Zitat ist leer.");
		expect(html).toContain("Dieses Datum liegt in der Zukunft.");
		expect(html).toContain("Wörtliches Zitat");
	});

	it("never links a stored address that is not http(s)", async () => {
		const checker = await account("checker");
		const created = await deskPost(checker, "/desk/claims", claimForm());
		const html = await (await deskGet(checker, created.headers.get("location") ?? "")).text();
		expect(html).not.toMatch(/href="(javascript|data):/i);
	});

	it("answers a claim id of another format with 404", async () => {
		const checker = await account("checker");
		expect((await deskGet(checker, "/desk/claims/not-a-claim")).status).toBe(404);
		expect((await deskGet(checker, "/desk/claims/zzzzzzzzzzzzzz")).status).toBe(404);
	});
});

/**
 * Text written decomposed (NFD: Mac file names, some Mac apps) is longer as sent than once
 * composed: Korean is 3 jamo for a syllable with a final consonant. A field at its maximum is
 * measured once composed; only text over four times its maximum as sent is refused uncleaned,
 * and then the message says it was counted as sent (its "at most" alone was untrue of it).
 */
describe("text at its field's maximum, written decomposed (NFD)", () => {
	/** `n` characters composed: Korean syllables with a final consonant and Vietnamese letters (3 code points each decomposed), German. */
	const written = {
		ko: (n: number) =>
			"한국말글값닭"
				.repeat(Math.ceil(n / 6))
				.slice(0, n)
				.normalize("NFD"),
		vi: (n: number) =>
			"ệộờựặẫ"
				.repeat(Math.ceil(n / 6))
				.slice(0, n)
				.normalize("NFD"),
		de: (n: number) =>
			"Größenverhältnisse über Äcker "
				.repeat(Math.ceil(n / 30))
				.slice(0, n)
				.replace(/ $/, ".")
				.normalize("NFD"),
	};

	for (const [language, text] of Object.entries(written))
		it(`records a quote, a context and a source's title at their maximum in ${language} (desk form)`, async () => {
			const checker = await account("checker");
			const values = { text: text(10_000), context: text(20_000), "source.title": text(500) };
			const response = await deskPost(checker, "/desk/claims", claimForm(values));
			expect(response.status).toBe(303);
			const claim = await env.DB.prepare(
				"SELECT c.text, c.context, s.title FROM claims c JOIN appearances a ON a.claim_id = c.id JOIN sources s ON s.id = a.source_id WHERE c.id = ?",
			)
				.bind(claimIdOf(response))
				.first<{ text: string; context: string; title: string }>();
			expect(claim).toEqual({
				text: values.text.normalize("NFC"),
				context: values.context.normalize("NFC"),
				title: values["source.title"].normalize("NFC"),
			});
		});

	it("records Korean in NFD through the API, as much as its 128 KB body holds: a context of 13,500 syllables, a title of 500", async () => {
		const checker = await account("checker");
		const { token } = await apiToken(checker.user, ["claims:write"]);
		const context = written.ko(13_500);
		const title = written.ko(500);
		const response = await apiCall("POST", "/api/v1/claims", {
			token,
			body: {
				text: `Satz ${newId()} über den Hafen`,
				language: "ko",
				context,
				speaker: { name: `Sprecher ${newId()}`, kind: "person" },
				source: { url: `https://news.example/${newId()}`, title },
			},
		});
		expect(response.status, await response.clone().text()).toBe(201);
		const claim = await json<{ context: string; appearances: { source: { title: string } }[] }>(response);
		expect(claim.context).toBe(context.normalize("NFC"));
		expect(claim.appearances[0]?.source.title).toBe(title.normalize("NFC"));
	});

	it("keeps a text with a long run of marks as it is when it is sent back as read: no change recorded, and the same text is the same claim", async () => {
		const checker = await account("checker");
		const { token } = await apiToken(checker.user, ["claims:write"]);
		// 40 marks on one letter: stored with a joiner after the 30th (domain/stream-safe).
		const text = `Z${"\u0301".repeat(40)}algo ${newId()} sagte, der Hafen sei offen.`;
		const body = {
			text,
			language: "de",
			speaker: { name: `Sprecher ${newId()}`, kind: "person" },
			source: { url: `https://news.example/${newId()}`, title: "Zalgo" },
		};
		const created = await apiCall("POST", "/api/v1/claims", { token, body });
		expect(created.status, await created.clone().text()).toBe(201);
		const claim = await json<{ id: string; text: string }>(created);
		expect(claim.text.split("\u034F")).toHaveLength(2);
		for (let save = 1; save <= 2; save++) {
			const read = await json<{ version: number; text: string }>(await call(`/api/v1/claims/${claim.id}`));
			const patched = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: read.version, text: read.text, context: `Zusammenhang ${save}` },
			});
			expect(patched.status, await patched.clone().text()).toBe(200);
			expect((await json<{ text: string }>(patched)).text, `save ${save}`).toBe(claim.text);
		}
		const changes = await env.DB.prepare(
			"SELECT field FROM claim_changes WHERE claim_id = ? AND field = 'text'",
		)
			.bind(claim.id)
			.all();
		expect(changes.results).toEqual([]);
		// The text as the API gave it back is the claim already recorded, not a new one.
		const again = await apiCall("POST", "/api/v1/claims", {
			token,
			body: { ...body, text: claim.text, source: { url: `https://news.example/${newId()}`, title: "Zalgo" } },
		});
		expect(again.status, await again.clone().text()).toBe(409);
	});

	it("refuses text over four times its maximum as sent at the field, saying it was counted as sent (API, desk in en and de)", async () => {
		const checker = await account("checker");
		const { token } = await apiToken(checker.user, ["claims:write"]);
		const title = `Titel${"\u00AD".repeat(1_996)}`;
		const english =
			"As sent, this text is longer than 2,000 characters (each accent and invisible character counted on its own). Use at most 500 characters.";
		const before = await snapshot();
		const api = await apiCall("POST", "/api/v1/claims", {
			token,
			body: {
				text: `Satz ${newId()} über den Hafen`,
				language: "de",
				speaker: { name: `Sprecher ${newId()}`, kind: "person" },
				source: { url: `https://news.example/${newId()}`, title },
			},
		});
		expect(api.status).toBe(422);
		expect(api.headers.get("content-type")).toContain("application/problem+json");
		expect((await json<{ errors: unknown[] }>(api)).errors).toEqual([
			{ path: "source.title", message: english },
		]);
		for (const [lang, message] of [
			["en", english],
			[
				"de",
				"So wie gesendet ist dieser Text länger als 2.000 Zeichen (jeder Akzent und jedes unsichtbare Zeichen einzeln gezählt). Bitte höchstens 500 Zeichen.",
			],
		] as const) {
			const form = await deskPost(checker, `/desk/claims?lang=${lang}`, claimForm({ "source.title": title }));
			expect(form.status).toBe(422);
			const html = await form.text();
			const error = html.slice(
				html.indexOf('id="f-source-title-error"'),
				html.indexOf("</p>", html.indexOf('id="f-source-title-error"')),
			);
			expect(error).toContain(message);
		}
		expect(await snapshot()).toEqual(before);
		// One character fewer as sent is cleaned and measured: "Titel".
		const fits = await deskPost(checker, "/desk/claims", claimForm({ "source.title": title.slice(1) }));
		expect(fits.status).toBe(303);
	});
});

describe("a claim with a long history", () => {
	it("shows its page and history with more verdict versions than D1 binds parameters", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const db = testDb();
		// 120 superseded versions, each with its audit row: a claim corrected that often.
		const versions = Array.from({ length: 120 }, (_, i) => ({
			id: newId(),
			claimId: claim.id,
			rating: "false" as const,
			headline: `Version ${i}`,
			state: "superseded" as const,
			publishedAt: "2025-07-20T10:00:00.000Z",
		}));
		await runBatch(db, [
			...chunkForInsert(verdicts, versions).map((chunk) => db.insert(verdicts).values(chunk)),
			...versions.map((v) => audit(db, SYSTEM("test"), "publish", "verdict", v.id)),
		]);
		const response = await deskGet(checker, `/desk/claims/${claim.id}`);
		expect(response.status).toBe(200);
		const html = await response.text();
		const history = html.slice(html.indexOf('id="history"'));
		// Newest first: the last version's row is in the history, the claim's own creation too
		// (121 rows, under the history's 200), and no link to older ones.
		expect(history).toContain(`<code>${versions[119]?.id}</code>`);
		expect(history).toContain(`<code>${versions[0]?.id}</code>`);
		expect(history).toContain(`<code>${claim.id}</code>`);
		expect(history).not.toContain('rel="next"');
	});

	it("shows a history past 200 entries page by page, down to the claim's creation", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const db = testDb();
		const saves = Array.from({ length: 250 }, (_, i) => `save-${i}`);
		await runBatch(
			db,
			saves.map((label) => audit(db, SYSTEM(label), "edit", "claim", claim.id)),
		);
		const entries = (html: string) =>
			[
				...html
					.slice(html.indexOf('id="history"'))
					.matchAll(/<tr><td[^>]*>[^<]*<\/td><td[^>]*>(?:<bdi>)?([^<]*)(?:<\/bdi>)?<\/td>/g),
			].map((m) => m[1]);
		const first = await (await deskGet(checker, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(entries(first)).toEqual(saves.slice(50).reverse());
		const older = /<a href="([^"]+)" rel="next">Older entries<\/a>/
			.exec(first)?.[1]
			?.replaceAll("&amp;", "&");
		expect(older).toMatch(new RegExp(`^/desk/claims/${claim.id}\\?history=\\d+#history$`));
		const second = await (await deskGet(checker, older ?? "")).text();
		// The other 50 saves, then the claim's creation (by its checker); nothing older.
		expect(entries(second).slice(0, 50)).toEqual(saves.slice(0, 50).reverse());
		expect(entries(second)).toHaveLength(51);
		expect(second).not.toContain("Older entries");
		// A hand-edited start is the newest page.
		expect(entries(await (await deskGet(checker, `/desk/claims/${claim.id}?history=x`)).text())).toEqual(
			saves.slice(50).reverse(),
		);
	});
});

/*
 * At 360 px the history table, side by side, split a German "07.12.2026," inside its year
 * ("07.12.2 / 026,") and names mid-word ("Edith Edito / r"): each text breaks anywhere, so a
 * squeezed column kept a letter a line (seen in Chromium, s33 h334). On a phone each entry now
 * stacks (table.stack), its time and who under their column's names, each word of them whole.
 */
describe("the claim's history on a phone", () => {
	it("stacks each entry, its time and who whole under their column's names (en, de)", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const words = {
			en: { when: "When", who: "Who", date: /\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d [A-Z]{3,4}/ },
			de: { when: "Wann", who: "Wer", date: /\d\d\.\d\d\.\d{4}, \d\d:\d\d [A-Z]{3,4}/ },
		};
		for (const [lang, { when, who, date }] of Object.entries(words)) {
			const html = await (await deskGet(checker, `/desk/claims/${claim.id}?lang=${lang}`)).text();
			const history = html.slice(
				html.indexOf('id="history"'),
				html.indexOf("</table>", html.indexOf('id="history"')),
			);
			expect(history, lang).toContain('<table class="stack">');
			const created = history.slice(history.lastIndexOf("<tr>"));
			expect(created, lang).toMatch(
				new RegExp(
					`^<tr><td class="whole" data-label="${when}">${date.source}</td><td class="whole" data-label="${who}"><bdi>`,
				),
			);
			// The entry itself needs no label: it says what happened.
			expect(created, lang).toContain(`<code>${claim.id}</code>`);
		}
	});
});

describe("appearance links in the desk", () => {
	it("land on the quote, as on the public page", async () => {
		const checker = await account("checker");
		const claim = await makeClaim({ text: "The harbour reopened in July for tourists" });
		const page = await (await deskGet(checker, `/desk/claims/${claim.id}`)).text();
		expect(page).toContain("#:~:text=The%20harbour%20reopened");
	});
});

describe("a checker on a colleague's claim", () => {
	it("is offered neither its draft's edit link nor to take it; an editor is; list dates read as dates", async () => {
		const drafter = await account("checker");
		const colleague = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim({ claimedAt: "2025-07-12" });
		const open = await draft(claim.id, `Draft ${newId()}`, drafter.user.id);
		const edit = `/desk/verdicts/${open.id}/edit"`;
		const theirs = await (await deskGet(colleague, `/desk/claims/${claim.id}`)).text();
		expect(theirs).not.toContain(edit);
		// Taking it would be refused (another checker's draft is open): not offered either.
		expect(theirs).not.toContain("Take this claim");
		const own = await (await deskGet(drafter, `/desk/claims/${claim.id}`)).text();
		expect(own).toContain(edit);
		expect(own).toContain("Take this claim");
		expect(await (await deskGet(editor, `/desk/claims/${claim.id}`)).text()).toContain(edit);
		const list = await (await deskGet(editor, `/desk?q=${encodeURIComponent(claim.text)}&lang=de`)).text();
		expect(list).toContain(`/desk/claims/${claim.id}`);
		expect(list).not.toContain("2025-07-12");
		expect(list).toContain("12. Juli 2025");
	});
});

describe("the desk's recent public changes", () => {
	it("list a merge and a removal; a removed claim's earlier entries lose their link and say so, without its text", async () => {
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const doomed = await makeClaim();
		const added = await apiCall("POST", `/api/v1/claims/${doomed.id}/appearances`, {
			token,
			body: { source: { url: `https://news.example/${newId()}` } },
		});
		expect(added.status, await added.clone().text()).toBe(201);
		const kept = await makeClaim();
		const duplicate = await makeClaim();
		const version = async (id: string) =>
			(await json<{ version: number }>(await call(`/api/v1/claims/${id}`))).version;
		const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
			token,
			body: { into: kept.id, version: await version(duplicate.id), note: "The same claim." },
		});
		expect(merged.status, await merged.clone().text()).toBe(200);
		const removed = await apiCall("DELETE", `/api/v1/claims/${doomed.id}`, {
			token,
			body: { version: await version(doomed.id), reason: "A private individual." },
		});
		expect(removed.status, await removed.clone().text()).toBe(200);

		const home = await (await deskGet(editor, "/desk")).text();
		const activity = home.slice(home.indexOf("Recent public changes"));
		// The link names the claim it leads to (a removed claim's entries have neither).
		expect(activity).toContain(
			`<a href="/desk/claims/${kept.id}">Duplicate merged into a claim (its addresses lead there): “<bdi lang="de" dir="auto">${kept.text}</bdi>”</a>`,
		);
		expect(activity).toContain(
			"<li>Claim removed as recorded by mistake (its addresses answer “gone”) <span",
		);
		expect(activity).toContain("<li>New appearance of a claim (public at once) (claim removed since) <span");
		expect(activity).not.toContain(`/desk/claims/${doomed.id}`);
		expect(activity).not.toContain(doomed.text);
		const german = await (await deskGet(editor, "/desk?lang=de")).text();
		expect(german).toContain("Behauptung als versehentlich erfasst entfernt");
		expect(german).toContain("(Behauptung inzwischen entfernt)");
	});
});
