import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { SNAPSHOT_NOT_QUEUED, SNAPSHOT_OUTAGE } from "../../src/domain/snapshots";
import { MAX_ARTICLE_CHARS } from "../../src/reader/intake";
import {
	ArticleFetchError,
	checkOutboundUrl,
	type FetchArticleOptions,
	fetchArticle,
	fetchRedirectTarget,
} from "../../src/reader/safe-fetch";
import { UNFINISHED_AT_BACKUP } from "../../src/store/backup";
import { fieldMessage } from "../../src/views/desk/labels";
import { makeClaim } from "../factories";
import { account, deskGet, deskPost } from "./helpers";

/*
 * The article reader's and the evidence archive's messages are English (the API answers
 * with them, snapshots.error stores them); the German desk shows them in German, hosts and
 * addresses kept.
 */

function unescapeHtml(html: string): string {
	return html
		.replace(/&#39;/g, "'")
		.replace(/&quot;/g, '"')
		.replace(/&amp;/g, "&");
}

/** The error summary's and the URL field's error texts of a "New from article" answer. */
function errorsOf(html: string): { summary: string; field: string } {
	const summary =
		/<div class="notice error" role="alert" id="error-summary" tabindex="-1" autofocus="">([\s\S]*?)<\/div>/.exec(
			html,
		)?.[1];
	const field = /<p class="error" id="f-(?:url|text)-error">([\s\S]*?)<\/p>/.exec(html)?.[1];
	const text = (part: string | undefined) => unescapeHtml((part ?? "").replace(/<[^>]+>/g, ""));
	return { summary: text(summary), field: text(field) };
}

/* Words of the English messages that no German one contains. */
const ENGLISH = /\b(the|is|are|was|not|could|only|which|page|address|reached|read)\b/i;

describe("the German desk shows the article reader's messages in German", () => {
	it("in the error summary and beside the field of “New from article”", async () => {
		const checker = await account("checker");
		const cases: [string, number, string][] = [
			[
				"http://10.0.0.1/artikel",
				422,
				"10.0.0.1 ist eine private, Loopback- oder reservierte IP-Adresse; nur öffentliche Webseiten können gelesen werden.",
			],
			[
				"http://printer.local/artikel",
				422,
				"printer.local ist ein Name im lokalen Netz; nur öffentliche Webseiten können gelesen werden.",
			],
			["https://news.example/missing.html", 502, "Diese Seite gibt es nicht (HTTP 404"],
			// The test Worker's network answers any other host 502.
			["https://elsewhere.example/artikel", 502, "Die Website antwortete mit HTTP 502"],
			["", 422, "Bitte entweder die Adresse des Artikels oder seinen Text angeben."],
		];
		for (const [url, status, german] of cases) {
			const response = await deskPost(checker, "/desk/articles?lang=de", { url, text: "", language: "" });
			expect(response.status, url).toBe(status);
			const { summary, field } = errorsOf(await response.text());
			expect(summary, url).toContain(german);
			expect(field, url).toContain(german);
			expect(summary, url).not.toMatch(ENGLISH);
			expect(field, url).not.toMatch(ENGLISH);
		}
		// The English desk keeps the reader's own words.
		const english = await deskPost(checker, "/desk/articles?lang=en", {
			url: "http://10.0.0.1/artikel",
			text: "",
			language: "",
		});
		expect(errorsOf(await english.text()).field).toContain(
			"10.0.0.1 is a private, loopback or reserved IP address; only public web pages can be read.",
		);
	});

	it("for text over the limit, with German numbers", { timeout: 30_000 }, async () => {
		const checker = await account("checker");
		const text = "Die Ministerin erklärte, die Brücke sei teuer gewesen. ".repeat(2000);
		const response = await deskPost(checker, "/desk/articles?lang=de", { url: "", text, language: "de" });
		expect(response.status).toBe(413);
		const { summary, field } = errorsOf(await response.text());
		const german = `Der Text ist ${text.trim().length.toLocaleString("de")} Zeichen lang; bitte höchstens ${MAX_ARTICLE_CHARS.toLocaleString("de")} Zeichen einfügen.`;
		expect(summary).toContain(german);
		expect(field).toContain(german);
	});

	it("on the claim page, for copies that could not be archived (stored in English)", async () => {
		const editor = await account("editor");
		const stored: [string, string][] = [
			["news.example could not be reached.", "news.example war nicht erreichbar."],
			[SNAPSHOT_OUTAGE, "Das Archiv konnte diese Kopie nicht speichern"],
			[
				"The page redirected to 127.0.0.1:8080, which is a private, loopback or reserved IP address; only public web pages can be read.",
				"Die Seite leitete auf 127.0.0.1:8080 weiter, doch das ist eine private, Loopback- oder reservierte IP-Adresse",
			],
		];
		for (const [error, german] of stored) {
			const url = `https://news.example/${newId()}`;
			const claim = await makeClaim({ sourceUrl: url });
			const now = new Date().toISOString();
			await env.DB.prepare(
				"INSERT INTO snapshots (id, url, state, error, attempts, created_at, updated_at) VALUES (?, ?, 'failed', ?, 1, ?, ?)",
			)
				.bind(newId(), url, error, now, now)
				.run();
			const path = `/desk/claims/${claim.id}`;
			const page = unescapeHtml(await (await deskGet(editor, `${path}?lang=de`)).text());
			expect(page).toContain(`Nicht archiviert: ${german}`);
			expect(page).not.toContain(error);
			const english = unescapeHtml(await (await deskGet(editor, `${path}?lang=en`)).text());
			expect(english).toContain(`Not archived: ${error}`);
		}
	});
});

/* ------------------------------------------------------------------------------------------------
 * Every message the reader produces, made by the reader itself where it can be.
 * ---------------------------------------------------------------------------------------------- */

type Fetcher = typeof fetch;

function serving(routes: Record<string, () => Response | Promise<Response>>): Fetcher {
	return async (input) => {
		const url = input instanceof Request ? input.url : String(input);
		const route = routes[url];
		return route ? route() : new Response("Not found", { status: 404 });
	};
}

async function messageOf(url: string, options: FetchArticleOptions = {}): Promise<string> {
	try {
		await fetchArticle(url, options);
	} catch (error) {
		if (error instanceof ArticleFetchError) return error.message;
		throw error;
	}
	throw new Error(`${url} was read`);
}

const page = (body: BodyInit | null, headers: Record<string, string> = { "Content-Type": "text/html" }) =>
	new Response(body, { headers });
const redirect = (location?: string) =>
	new Response(null, { status: 302, headers: location ? { Location: location } : {} });

async function readerMessages(): Promise<string[]> {
	const never: Fetcher = () => new Promise(() => {});
	const brokenBody = new ReadableStream({
		pull(controller) {
			controller.error(new TypeError("connection reset"));
		},
	});
	const binary = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
	return [
		await messageOf(""),
		await messageOf(`https://x.example/${"a".repeat(2100)}`),
		await messageOf("https://x.example/a b"),
		await messageOf("x.example/page"),
		await messageOf("ftp://x.example/file"),
		await messageOf("https://r.example/", {
			fetcher: serving({ "https://r.example/": () => redirect("ftp://x.example/f") }),
		}),
		await messageOf("https://user:pw@x.example/"),
		await messageOf("http://10.0.0.1/artikel"),
		await messageOf("http://[::1]/"),
		await messageOf("http://printer.local/"),
		await messageOf("http://intranet/"),
		await messageOf("https://r.example/", {
			fetcher: serving({ "https://r.example/": () => redirect("http://127.0.0.1:8080/admin") }),
		}),
		await messageOf("https://slow.example/", { fetcher: never, timeoutMs: 50 }),
		await messageOf("https://slow.example/", { fetcher: never, timeoutMs: 1500 }),
		await messageOf("https://down.example/", {
			fetcher: () => Promise.reject(new TypeError("connect failed")),
		}),
		await messageOf("https://x.example/", {
			fetcher: serving({ "https://x.example/": () => page(brokenBody) }),
		}),
		await messageOf("https://r.example/", { fetcher: serving({ "https://r.example/": () => redirect() }) }),
		await messageOf("https://r.example/", {
			fetcher: serving({ "https://r.example/": () => redirect("https://r.example/") }),
			maxRedirects: 2,
		}),
		await messageOf("https://r.example/", {
			fetcher: serving({ "https://r.example/": () => redirect("http://[bad") }),
		}),
		await messageOf("https://x.example/missing", { fetcher: serving({}) }),
		await messageOf("https://x.example/", {
			fetcher: serving({ "https://x.example/": () => new Response("busy", { status: 503 }) }),
		}),
		await messageOf("https://x.example/", {
			fetcher: serving({
				"https://x.example/": () => page("%PDF-1.4", { "Content-Type": "application/pdf" }),
			}),
		}),
		await messageOf("https://x.example/", {
			fetcher: serving({ "https://x.example/": () => page(new TextEncoder().encode("plain words"), {}) }),
		}),
		await messageOf("https://x.example/", { fetcher: serving({ "https://x.example/": () => page(binary) }) }),
		await messageOf("https://x.example/", {
			fetcher: serving({ "https://x.example/": () => page("x".repeat(4000)) }),
			maxBytes: 1536,
		}),
		await fetchRedirectTarget("https://save.example/", {
			fetcher: serving({ "https://save.example/": () => new Response("gone", { status: 410 }) }),
			arrived: () => false,
		}).then(
			() => "arrived",
			(error: Error) => error.message,
		),
		(() => {
			try {
				checkOutboundUrl("http://hooks.example/", false);
				return "accepted";
			} catch (error) {
				return (error as Error).message;
			}
		})(),
		// What the reader says in cases no test can bring about (the URL parser gives every
		// http(s) address a host; it normalises every IPv6 address it accepts), and
		// what the intake and the evidence archive's consumer say (reader/intake,
		// queues/snapshot-archive), each with its parameters.
		"The address has no host name.",
		"The page redirected to [fe80::1], which is an IPv6 address that cannot be checked; only public web pages can be read.",
		"The page did not load within 20 seconds.",
		"The page is larger than 25 MB, the most that is read.",
		"No article text was found on this page.",
		"The article's text is 123,456 characters long; at most 100,000 characters are read. Paste the part to check as text instead.",
		"The text is 123,456 characters long; paste at most 100,000 characters.",
		"The page could not be fetched.",
		"The address now leads to another page (https://news.example/); the earlier copy stands.",
		SNAPSHOT_OUTAGE,
		UNFINISHED_AT_BACKUP,
		SNAPSHOT_NOT_QUEUED,
	];
}

describe("every message of the article reader and the evidence archive", () => {
	it("reads German in the German desk and as it was in the English one", { timeout: 30_000 }, async () => {
		const messages = await readerMessages();
		// Each case above brought about a message of its own.
		expect(new Set(messages).size).toBe(messages.length);
		const german = messages.map((message) => fieldMessage("de", message));
		for (const [i, message] of messages.entries()) {
			expect(fieldMessage("en", message)).toBe(message);
			expect(german[i], message).not.toBe(message);
			expect(german[i], message).not.toMatch(ENGLISH);
		}
		// Hosts, addresses, statuses and types are kept; numbers are written the German way.
		expect(german).toEqual(
			expect.arrayContaining([
				"10.0.0.1 ist eine private, Loopback- oder reservierte IP-Adresse; nur öffentliche Webseiten können gelesen werden.",
				"[::1] ist eine private, Loopback- oder reservierte IPv6-Adresse; nur öffentliche Webseiten können gelesen werden.",
				"printer.local ist ein Name im lokalen Netz; nur öffentliche Webseiten können gelesen werden.",
				"Die Seite leitete auf 127.0.0.1:8080 weiter, doch das ist eine private, Loopback- oder reservierte IP-Adresse; nur öffentliche Webseiten können gelesen werden.",
				"Nur http- und https-Adressen können gelesen werden, nicht ftp:.",
				"Die Seite leitete auf ftp://x.example/f weiter, doch nur http- und https-Adressen können gelesen werden, nicht ftp:.",
				"Die Seite hat nicht innerhalb von 50 ms geladen.",
				"Die Seite hat nicht innerhalb von 1,5 Sekunden geladen.",
				"down.example war nicht erreichbar.",
				"Die Verbindung zu x.example brach ab.",
				"Die Seite antwortete mit 302 (Weiterleitung), ohne zu sagen, wohin.",
				"Die Seite leitete mehr als 2-mal weiter; bitte im Browser öffnen und die endgültige Adresse einfügen.",
				"Unter der Adresse liegt application/pdf, keine Webseite; nur HTML-Artikel können gelesen werden.",
				"Die Seite ist größer als 2 KB; mehr wird nicht gelesen.",
				"Die Website antwortete mit HTTP 503.",
				"Diese Seite gibt es nicht (HTTP 410).",
				"Der Text ist 123.456 Zeichen lang; bitte höchstens 100.000 Zeichen einfügen.",
				"Die Adresse führt jetzt auf eine andere Seite (https://news.example/); die frühere Kopie bleibt.",
			]),
		);
	});
});
