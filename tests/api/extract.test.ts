import { describe, expect, it } from "vitest";
import { seedDemo } from "../../src/commands/seed-demo";
import { newId } from "../../src/domain/ids";
import { TEXT_PROBLEM_MESSAGES } from "../../src/domain/plain-text";
import { MAX_ARTICLE_CHARS } from "../../src/reader/intake";
import { knownSpeakersForExtraction } from "../../src/store/speakers";
import { apiCall, apiToken, makeUser } from "../desk/helpers";
import { makeClaim } from "../factories";
import { call, json, rowCount, testDb } from "../helpers";
import { useOwnDatabase } from "../own-database";

useOwnDatabase();

/**
 * The whole intake path through the Worker: a fixture news page (served by the test
 * runtime's outbound service as https://news.example/…) → reader → extractor →
 * claims recorded through the write API with text-fragment anchors.
 */
const PAGE = "https://news.example/wonsan-2025-07-12.de.html";

async function checkerToken() {
	const { user } = await makeUser("checker");
	return (await apiToken(user, ["claims:write"])).token;
}

interface Candidate {
	text: string;
	kind: string;
	speaker: { name: string; speakerId: string | null } | null;
	score: number;
	reasons: string[];
	fragment: string;
	link: string | null;
}

describe("POST /api/v1/extract", () => {
	it("reads the Wonsan page and records the Kursk claim with its anchor", async () => {
		await seedDemo(testDb());
		const token = await checkerToken();
		const response = await apiCall("POST", "/api/v1/extract", { token, body: { url: PAGE } });
		expect(response.status).toBe(200);
		const body = await json<{
			article: { title: string; language: string; url: string; existingSourceId: string | null };
			candidates: Candidate[];
		}>(response);
		expect(body.article.language).toBe("de");
		expect(body.article.title).toMatch(/Wŏnsan|Wonsan|Lawrow/);
		const kursk = body.candidates.find((c) => c.text.includes("im Bereich Kursk bewiesen"));
		expect(kursk?.speaker?.name).toBe("Choe Son-hui");
		expect(kursk?.speaker?.speakerId).toMatch(/^[0-9a-z]{14}$/);
		expect(kursk?.fragment).toMatch(/^#:~:text=/);
		expect(kursk?.link).toBe(`${body.article.url}${kursk?.fragment}`);
		// Reasons in short English, as documented; the codes the desk translates stay out of the answer.
		expect(kursk?.reasons.join("; ")).toMatch(/^(?:[a-z -]+; )*names [a-z ,]+/);
		expect(kursk).not.toHaveProperty("why");
		expect(body).not.toHaveProperty("warningCodes");
		const air = body.candidates.find((c) => c.text.includes("Luftverbindungen"));
		expect(air?.speaker?.name).toBe("Sergei Lawrow");
		const tourists = body.candidates.findIndex((c) => c.text.includes("russische Touristen"));
		expect(body.candidates.indexOf(kursk as Candidate)).toBeLessThan(tourists);

		// record it as a new claim from this article, anchored where it stood
		const claims = await rowCount("claims");
		const recorded = await apiCall("POST", "/api/v1/claims", {
			token,
			body: {
				text: kursk?.text,
				language: "de",
				claimedAt: "2025-07-12",
				speaker: { id: kursk?.speaker?.speakerId },
				source: { url: body.article.url, title: body.article.title, language: "de" },
				anchor: kursk?.fragment,
			},
		});
		// the seed already holds this quote of this speaker: the API offers to add an appearance
		expect([201, 409]).toContain(recorded.status);
		if (recorded.status === 409) {
			const problem = await json<{ claimId: string; addAppearance: string }>(recorded);
			const appearance = await apiCall("POST", `/api/v1/claims/${problem.claimId}/appearances`, {
				token,
				body: {
					source: { url: body.article.url, title: body.article.title },
					anchor: kursk?.fragment,
				},
			});
			expect(appearance.status).toBe(201);
			expect((await json<{ anchor: string }>(appearance)).anchor).toBe(kursk?.fragment);
			const claim = await json<{ appearances: { link: string }[] }>(
				await apiCall("GET", `/api/v1/claims/${problem.claimId}`, { token }),
			);
			expect(claim.appearances.map((a) => a.link)).toContain(`${body.article.url}${kursk?.fragment}`);
		}
		expect(await rowCount("claims")).toBe(claims);
	});

	it("takes pasted text, and a second intake of the same URL finds the existing source", async () => {
		const token = await checkerToken();
		const text = "Die Ministerin erklärte, die Brücke sei 2024 für 40 Millionen Euro gebaut worden.";
		const pasted = await json<{ candidates: Candidate[] }>(
			await apiCall("POST", "/api/v1/extract", { token, body: { text, language: "de" } }),
		);
		expect(pasted.candidates[0]?.text).toContain("Brücke");
		const again = await json<{ article: { existingSourceId: string | null } }>(
			await apiCall("POST", "/api/v1/extract", { token, body: { url: PAGE } }),
		);
		expect(again.article.existingSourceId).toMatch(/^[0-9a-z]{14}$/);
	});

	it("keeps the address read when the page names another site's, with a warning", async () => {
		const token = await checkerToken();
		const url = "https://news.example/claims-elsewhere.en.html";
		const body = await json<{ article: { url: string }; candidates: Candidate[]; warnings: string[] }>(
			await apiCall("POST", "/api/v1/extract", { token, body: { url } }),
		);
		expect(body.article.url).toBe(url);
		expect(body.article).not.toHaveProperty("foreignUrl");
		expect(body.candidates.every((c) => c.link?.startsWith(`${url}#`))).toBe(true);
		expect(body.warnings).toContain(
			`This page gives another site's address as its own: https://www.tagesschau.example/inland/artikel-4711.html. That address is not taken: the source is recorded as ${url}.`,
		);
	});

	it("takes the page's own article from JSON-LD, not a NewsArticle it cites", async () => {
		const token = await checkerToken();
		const url = "https://news.example/kommentar-zitiert.de.html";
		const { article } = await json<{ article: Record<string, string | null> }>(
			await apiCall("POST", "/api/v1/extract", { token, body: { url } }),
		);
		expect(article).toMatchObject({
			url,
			title: "Unser Kommentar",
			author: "Eva Echt",
			publishedAt: "2025-07-14",
		});
	});

	it("answers bad input with a clear problem and stores nothing", async () => {
		const token = await checkerToken();
		const before = await rowCount("sources");
		const cases: [unknown, number][] = [
			[{ url: "https://news.example/missing.html" }, 502],
			[{ url: "http://127.0.0.1/admin" }, 422],
			[{ url: "http://10.0.0.1/" }, 422],
			[{ url: "javascript:alert(1)" }, 422],
			[{ url: "https://unreachable.invalid/" }, 502],
			[{ url: "https://news.example/startseite.html" }, 422],
			[{}, 422],
			[{ url: PAGE, text: "both" }, 422],
		];
		for (const [body, status] of cases) {
			const response = await apiCall("POST", "/api/v1/extract", { token, body: body });
			expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(status);
			expect(response.headers.get("content-type")).toContain("application/problem+json");
		}
		expect(await rowCount("sources")).toBe(before);
	});

	it("refuses pasted text with half a character or an override: 422 at text, as every text field", async () => {
		const token = await checkerToken();
		const said = "Der Minister sagte am Montag, die Exporte seien um 40 Prozent gestiegen.";
		for (const [text, problem] of [
			// JSON's "\ud83d": half an emoji. It reached the text fragment's encodeURIComponent: a 500.
			[said.replace("Prozent", "Prozent \ud83d"), TEXT_PROBLEM_MESSAGES["lone-surrogate"]],
			[`\udc00${said}`, TEXT_PROBLEM_MESSAGES["lone-surrogate"]],
			[`${said} \u202Egnp.exe`, TEXT_PROBLEM_MESSAGES["bidi-override"]],
		] as const) {
			const response = await apiCall("POST", "/api/v1/extract", { token, body: { text } });
			const label = JSON.stringify(text).slice(-24);
			expect(response.status, label).toBe(422);
			expect(response.headers.get("content-type"), label).toContain("application/problem+json");
			expect((await json<{ errors: unknown[] }>(response)).errors, label).toEqual([
				{ path: "text", message: problem },
			]);
		}
		// A whole emoji, tabs and CRLF paragraphs are text like any other.
		const fine = await apiCall("POST", "/api/v1/extract", {
			token,
			body: { text: `${said} \ud83d\ude42\r\n\tDas sagte er.` },
		});
		expect(fine.status, await fine.clone().text()).toBe(200);
	});

	it("reads pasted text with a page break, a line break from Word or a mis-decoded character as the page would be read: line breaks, cp1252's characters, the rest dropped", async () => {
		const token = await checkerToken();
		const exports = "Der Minister sagte am Montag, die Exporte seien um 40 Prozent gestiegen.";
		const bridge = "Die Ministerin erklärte, die Brücke habe zwei Milliarden Euro gekostet.";
		const jobs = "Der Kanzler behauptete, es gebe heute 300.000 Arbeitslose weniger als 2020.";
		const spokesman = "The minister’s spokesman claimed that unemployment fell by 300,000 people last year.";
		// pdftotext ends a page with a form feed, Word's Shift+Enter is a vertical tab, a cp1252
		// apostrophe read as Latin-1 is U+0092, its ellipsis U+0085: none shows in a textarea.
		const text = `${exports}\f${bridge}\v${jobs}\u0085 ${spokesman.replace("’", "\u0092")}\u2028Quelle\u0000: dpa`;
		const response = await apiCall("POST", "/api/v1/extract", { token, body: { text } });
		expect(response.status, await response.clone().text()).toBe(200);
		const { candidates } = await json<{ candidates: Candidate[] }>(response);
		const texts = candidates.map((c) => c.text);
		// Each sentence its own candidate: the breaks are line breaks, not glue between them.
		for (const said of [exports, bridge, jobs])
			expect(texts, said).toContainEqual(expect.stringContaining(said));
		// The quote as the article has it: a dropped apostrophe would be a misquote.
		expect(texts).toContainEqual(expect.stringContaining("The minister’s spokesman claimed"));
		for (const candidate of candidates) {
			expect(candidate.text).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
			expect(candidate.fragment).not.toMatch(/%(?:0[0-8BCEF]|1[0-9A-F]|7F|C2%[89])/i);
		}
	});

	it("describes pasted text's control characters in the OpenAPI as they are read: U+0085 and U+0092 as cp1252's … and ’, not a line break and nothing", async () => {
		const doc = await json<{
			paths: Record<
				string,
				{
					post: {
						requestBody: {
							content: Record<string, { schema: { properties: Record<string, { description?: string }> } }>;
						};
					};
				}
			>;
		}>(await call("/api/v1/openapi.json"));
		const text =
			doc.paths["/api/v1/extract"]?.post.requestBody.content["application/json"]?.schema.properties.text
				?.description ?? "";
		// What the test above sends: a form feed, a vertical tab and U+2028 end a line; C1 is windows-1252.
		expect(text).toMatch(/form feed, vertical tab or U\+2028\/2029 as a line break/);
		expect(text).toMatch(
			/U\+0080–U\+009F as the windows-1252 characters they were \(U\+0085 is …, U\+0092 is ’\)/,
		);
		expect(text).not.toContain("NEL (U+0085) or U+2028/2029 as a line break");
		expect(text).not.toMatch(/\(NUL, U\+0092/);
		expect(text).toMatch(/the other control characters \(NUL, [^)]*\) are dropped/);
	});

	it("answers content that is not HTML with 502, as its description says", async () => {
		const token = await checkerToken();
		const pdf = await apiCall("POST", "/api/v1/extract", {
			token,
			body: { url: "https://files.example/report.pdf" },
		});
		expect(pdf.status).toBe(502);
		const doc = await json<{ paths: Record<string, { post: { description: string } }> }>(
			await call("/api/v1/openapi.json"),
		);
		const description = doc.paths["/api/v1/extract"]?.post.description ?? "";
		expect(description).toMatch(/502 \([^)]*not HTML/);
		expect(description).not.toMatch(/non-HTML content 422/);
	});

	it("requires a token", async () => {
		const response = await apiCall("POST", "/api/v1/extract", { body: { url: PAGE } });
		expect(response.status).toBe(401);
	});
});

describe("POST /api/v1/extract: the cap on article text", () => {
	it("refuses pasted text over the cap with 413, stating the limit, before extracting", async () => {
		const token = await checkerToken();
		const limit = MAX_ARTICLE_CHARS.toLocaleString("en");
		const sentence = "Der Minister sagte, die Brücke habe 40 Millionen Euro gekostet. ";
		const text = sentence.repeat(Math.ceil((MAX_ARTICLE_CHARS + 1) / sentence.length));
		const response = await apiCall("POST", "/api/v1/extract", { token, body: { text, language: "de" } });
		expect(response.status).toBe(413);
		expect(response.headers.get("content-type")).toContain("application/problem+json");
		const problem = await json<{ detail: string; maxCharacters: number; errors: { path: string }[] }>(
			response,
		);
		expect(problem.detail).toContain(`${limit} characters`);
		expect(problem.maxCharacters).toBe(MAX_ARTICLE_CHARS);
		expect(problem.errors.map((e) => e.path)).toEqual(["text"]);

		// at the cap (surrounding whitespace is not counted) it is read
		const atCap = `  ${"x".repeat(MAX_ARTICLE_CHARS - 1)}.\n`;
		const ok = await apiCall("POST", "/api/v1/extract", { token, body: { text: atCap, language: "en" } });
		expect(ok.status).toBe(200);
	});

	it("refuses a fetched page whose main text is over the cap with 413", async () => {
		const token = await checkerToken();
		const response = await apiCall("POST", "/api/v1/extract", {
			token,
			body: { url: "https://news.example/long-read.en.html" },
		});
		expect(response.status).toBe(413);
		expect(response.headers.get("content-type")).toContain("application/problem+json");
		const problem = await json<{ detail: string; characters: number; errors: { path: string }[] }>(response);
		expect(problem.detail).toContain(`at most ${MAX_ARTICLE_CHARS.toLocaleString("en")} characters`);
		expect(problem.characters).toBeGreaterThan(MAX_ARTICLE_CHARS);
		expect(problem.errors.map((e) => e.path)).toEqual(["url"]);
	});
});

/*
 * 00:30 on Saturday 12 July 2025 in Berlin (the tests' NEWSROOM_TIME_ZONE), the same instant
 * written three ways: UTC ("Z", in article:published_time), WordPress/Yoast's "+00:00" (JSON-LD
 * datePublished), and the Wŏnsan page's local "+02:00". Read as the UTC day, the first two were
 * 11 July, and so the desk's prefilled source date and claim date (s33 h334).
 */
describe("POST /api/v1/extract: the article's date", () => {
	it("is the newsroom's day of an article dated in UTC, as of one dated in its local offset", async () => {
		const token = await checkerToken();
		const dateOf = async (page: string) => {
			const response = await apiCall("POST", "/api/v1/extract", { token, body: { url: page } });
			expect(response.status, page).toBe(200);
			return (await json<{ article: { publishedAt: string | null } }>(response)).article.publishedAt;
		};
		expect(await dateOf("https://news.example/mitternacht-utc.de.html")).toBe("2025-07-12");
		expect(await dateOf("https://news.example/mitternacht-yoast.de.html")).toBe("2025-07-12");
		// "2025-07-12T18:42:00+02:00": the publisher's date as written.
		expect(await dateOf(PAGE)).toBe("2025-07-12");
	});
});

describe("the speakers the extractor knows", () => {
	it("are the people quoted most recently, each with every alias, up to the limit", async () => {
		const db = testDb();
		const tag = newId().replace(/\d/g, "x").slice(0, 6);
		const made: string[] = [];
		for (let i = 0; i < 4; i++) {
			const claim = await makeClaim({
				text: `Claim ${i} of ${tag}.`,
				speaker: {
					name: `Person ${tag} ${"abcd"[i]}`,
					kind: "person",
					aliases: Array.from({ length: 6 }, (_, k) => `P${"abcd"[i]} ${tag} ${k}`),
				},
			});
			made.push(claim.speaker?.id ?? "");
		}
		// The oldest of the four gains the newest claim: it is in the news again.
		await makeClaim({ text: `A new claim of ${tag}.`, speaker: { id: made[0] ?? "" } });
		const known = await knownSpeakersForExtraction(db, 3);
		// Newest claim first: the extractor prefers the earlier of two people a name could mean.
		expect(known.map((s) => s.id)).toEqual([made[0], made[3], made[2]]);
		for (const speaker of known) expect(speaker.aliases).toHaveLength(6);
	});
});
