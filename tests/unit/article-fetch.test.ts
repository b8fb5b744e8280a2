/// <reference types="vite/client" />
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/lib/errors";
import { readArticle } from "../../src/reader/article-reader";
import {
	ArticleFetchError,
	contentTypeOf,
	type FetchArticleOptions,
	fetchArticle,
	META_CHARSET,
} from "../../src/reader/safe-fetch";
import radwegeText from "../fixtures/articles/radwege-freiburg.de.txt?raw";

/* ------------------------------------------------------------------------------------------------
 * A fetcher that serves routes from memory: no network.
 * ---------------------------------------------------------------------------------------------- */

type Route = (init: RequestInit | undefined) => Response | Promise<Response>;

function serve(routes: Record<string, Route>) {
	const requests: { url: string; init: RequestInit | undefined }[] = [];
	const fetcher: typeof fetch = async (input, init) => {
		const url = input instanceof Request ? input.url : String(input);
		requests.push({ url, init });
		const route = routes[url];
		return route ? route(init) : new Response("Not found", { status: 404 });
	};
	return { fetcher, requests };
}

const html =
	(body: string | Uint8Array, type: string | null = "text/html; charset=utf-8"): Route =>
	() =>
		new Response(typeof body === "string" ? new TextEncoder().encode(body) : body, {
			headers: type === null ? {} : { "Content-Type": type },
		});
const redirect =
	(location: string | null, status = 302): Route =>
	() =>
		new Response(null, { status, headers: location === null ? {} : { Location: location } });

const PAGE = "<!doctype html><html><head><title>T</title></head><body><p>Hello.</p></body></html>";

async function failure(promise: Promise<unknown>): Promise<ArticleFetchError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof ArticleFetchError) return error;
		throw error;
	}
	throw new Error("expected an ArticleFetchError");
}

async function codeOf(url: string, options: FetchArticleOptions = {}): Promise<string> {
	try {
		await fetchArticle(url, options);
		return "fetched";
	} catch (error) {
		if (error instanceof ArticleFetchError) return error.code;
		throw error;
	}
}

/* windows-1252 bytes of a string, built from the runtime's own decoder. */
const WINDOWS_1252 = new Map<string, number>();
for (let b = 0; b < 256; b++)
	WINDOWS_1252.set(new TextDecoder("windows-1252").decode(new Uint8Array([b])), b);
const windows1252 = (text: string) => Uint8Array.from([...text], (ch) => WINDOWS_1252.get(ch) ?? 0x3f);

/* A body of `total` bytes in 64 KiB chunks, produced on demand, without Content-Length. */
function streamedBody(total: number) {
	const stats = { pulled: 0, cancelled: false };
	const chunk = new TextEncoder().encode(`<p>${"x".repeat(65_536 - 7)}</p>`);
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (stats.pulled >= total) {
				controller.close();
				return;
			}
			stats.pulled += chunk.byteLength;
			controller.enqueue(chunk);
		},
		cancel() {
			stats.cancelled = true;
		},
	});
	return { stream, stats };
}

/* ------------------------------------------------------------------------------------------------ */

describe("fetchArticle: success", () => {
	it("returns the decoded page, its final URL and media type", async () => {
		const { fetcher, requests } = serve({ "https://news.example/a": html(PAGE) });
		expect(await fetchArticle("https://news.example/a#section", { fetcher })).toEqual({
			finalUrl: "https://news.example/a",
			html: PAGE,
			contentType: "text/html",
			charset: "utf-8",
		});
		expect(requests).toHaveLength(1);
		const init = requests[0]?.init;
		expect(init?.redirect).toBe("manual");
		expect(init?.signal).toBeInstanceOf(AbortSignal);
		expect(new Headers(init?.headers).get("Accept")).toMatch(/^text\/html/);
	});

	it("accepts XHTML, upper-case types and a missing type when the body is markup", async () => {
		const { fetcher } = serve({
			"https://news.example/xhtml": html(PAGE, "application/xhtml+xml"),
			"https://news.example/upper": html(PAGE, "TEXT/HTML; Charset=UTF-8"),
			"https://news.example/untyped": html(`<!-- generated -->\n${PAGE}`, null),
		});
		expect((await fetchArticle("https://news.example/xhtml", { fetcher })).contentType).toBe(
			"application/xhtml+xml",
		);
		expect((await fetchArticle("https://news.example/upper", { fetcher })).contentType).toBe("text/html");
		expect((await fetchArticle("https://news.example/untyped", { fetcher })).contentType).toBe("text/html");
	});
});

describe("fetchArticle: redirects", () => {
	it("follows relative and absolute redirects by hand and reports the final URL", async () => {
		const { fetcher, requests } = serve({
			"https://news.example/a": redirect("/b", 301),
			"https://news.example/b": redirect("https://www.news.example/c?x=1", 308),
			"https://www.news.example/c?x=1": redirect("d", 303),
			"https://www.news.example/d": redirect("//other.example/e", 307),
			"https://other.example/e": html(PAGE),
		});
		const page = await fetchArticle("https://news.example/a", { fetcher });
		expect(page.finalUrl).toBe("https://other.example/e");
		expect(requests.map((r) => r.url)).toEqual([
			"https://news.example/a",
			"https://news.example/b",
			"https://www.news.example/c?x=1",
			"https://www.news.example/d",
			"https://other.example/e",
		]);
		expect(requests.every((r) => r.init?.redirect === "manual")).toBe(true);
	});

	it("follows at most maxRedirects (default 5) and stops redirect loops", async () => {
		const chain: Record<string, Route> = { "https://news.example/6": html(PAGE) };
		for (let i = 0; i < 6; i++) chain[`https://news.example/${i}`] = redirect(`/${i + 1}`);
		const { fetcher } = serve(chain);
		expect(await codeOf("https://news.example/1", { fetcher })).toBe("fetched"); // 5 redirects
		const tooMany = await failure(fetchArticle("https://news.example/0", { fetcher })); // 6
		expect(tooMany).toMatchObject({ code: "too-many-redirects", status: 502 });
		expect(tooMany.message).toMatch(/more than 5 times/);
		expect(await codeOf("https://news.example/4", { fetcher, maxRedirects: 2 })).toBe("fetched");
		expect(await codeOf("https://news.example/3", { fetcher, maxRedirects: 2 })).toBe("too-many-redirects");
		expect(await codeOf("https://news.example/5", { fetcher, maxRedirects: 0 })).toBe("too-many-redirects");

		const loop = serve({
			"https://news.example/ping": redirect("/pong"),
			"https://news.example/pong": redirect("/ping"),
		});
		expect(await codeOf("https://news.example/ping", { fetcher: loop.fetcher })).toBe("too-many-redirects");
		expect(loop.requests).toHaveLength(6);
	});

	it("checks every hop: a redirect to a private address or another scheme is refused before it is fetched", async () => {
		for (const target of [
			"http://127.0.0.1/admin",
			"http://[::1]:8080/",
			"http://169.254.169.254/latest/meta-data/",
			"http://localhost/",
			"http://2130706433/",
		]) {
			const { fetcher, requests } = serve({ "https://news.example/a": redirect(target) });
			const error = await failure(fetchArticle("https://news.example/a", { fetcher }));
			expect(error, target).toMatchObject({ code: "private-address", status: 422 });
			expect(error.message).toMatch(/^The page redirected to .* only public web pages can be read\.$/);
			expect(requests.map((r) => r.url)).toEqual(["https://news.example/a"]);
		}
		for (const target of [
			"ftp://news.example/file",
			"javascript:alert(1)",
			"file:///etc/passwd",
			"http://",
		]) {
			const { fetcher } = serve({ "https://news.example/a": redirect(target) });
			expect(await codeOf("https://news.example/a", { fetcher }), target).toBe("invalid-url");
		}
	});

	it("follows a redirect to localhost when allowLoopback is set (local development)", async () => {
		const { fetcher } = serve({
			"https://news.example/a": redirect("http://localhost:8788/fixture"),
			"http://localhost:8788/fixture": html(PAGE),
		});
		expect((await fetchArticle("https://news.example/a", { fetcher, allowLoopback: true })).finalUrl).toBe(
			"http://localhost:8788/fixture",
		);
	});

	it("treats a redirect without Location as an HTTP error", async () => {
		const { fetcher } = serve({ "https://news.example/a": redirect(null, 302) });
		expect(await failure(fetchArticle("https://news.example/a", { fetcher }))).toMatchObject({
			code: "http-error",
			upstreamStatus: 302,
		});
	});
});

describe("fetchArticle: timeouts", () => {
	it("aborts a fetch that does not answer, through the AbortSignal", async () => {
		let signal: AbortSignal | undefined;
		const fetcher: typeof fetch = (_input, init) =>
			new Promise<Response>((_resolve, reject) => {
				signal = init?.signal ?? undefined;
				signal?.addEventListener("abort", () => reject(signal?.reason));
			});
		const error = await failure(fetchArticle("https://slow.example/", { fetcher, timeoutMs: 50 }));
		expect(error).toMatchObject({ code: "timeout", status: 504, title: "Page took too long" });
		expect(error.message).toBe("The page did not load within 50 ms.");
		expect(signal?.aborted).toBe(true);
	});

	it("times out even if the fetcher ignores the signal", async () => {
		const fetcher: typeof fetch = () => new Promise<Response>(() => {});
		expect(await codeOf("https://slow.example/", { fetcher, timeoutMs: 30 })).toBe("timeout");
	});

	it("times out a body that stops arriving, and cancels it", async () => {
		let cancelled = false;
		const stalled = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(new TextEncoder().encode("<html><body><p>Start"));
			},
			cancel() {
				cancelled = true;
			},
		});
		const { fetcher } = serve({
			"https://slow.example/": () => new Response(stalled, { headers: { "Content-Type": "text/html" } }),
		});
		expect(await codeOf("https://slow.example/", { fetcher, timeoutMs: 50 })).toBe("timeout");
		expect(cancelled).toBe(true);
	});

	it("counts one deadline for all redirects", async () => {
		const slowRedirect =
			(to: string): Route =>
			() =>
				new Promise((resolve) =>
					setTimeout(() => resolve(new Response(null, { status: 302, headers: { Location: to } })), 25),
				);
		const { fetcher } = serve({
			"https://slow.example/1": slowRedirect("/2"),
			"https://slow.example/2": slowRedirect("/3"),
			"https://slow.example/3": slowRedirect("/4"),
			"https://slow.example/4": html(PAGE),
		});
		expect(await codeOf("https://slow.example/1", { fetcher, timeoutMs: 60 })).toBe("timeout");
	});
});

describe("fetchArticle: size", () => {
	it("cuts a 20 MB body without Content-Length at maxBytes (default 5 MB) while streaming", async () => {
		const { stream, stats } = streamedBody(20 * 1024 * 1024);
		const { fetcher } = serve({
			"https://big.example/": () => new Response(stream, { headers: { "Content-Type": "text/html" } }),
		});
		const error = await failure(fetchArticle("https://big.example/", { fetcher }));
		expect(error).toMatchObject({ code: "too-large", status: 502 });
		expect(error.message).toBe("The page is larger than 5 MB, the most that is read.");
		expect(stats.pulled).toBeLessThanOrEqual(5 * 1024 * 1024 + 3 * 65_536);
		expect(stats.cancelled).toBe(true);
	});

	it("refuses a declared Content-Length over the cap without reading the body", async () => {
		const { stream, stats } = streamedBody(20 * 1024 * 1024);
		const { fetcher } = serve({
			"https://big.example/": () =>
				new Response(stream, {
					headers: { "Content-Type": "text/html", "Content-Length": String(20 * 1024 * 1024) },
				}),
		});
		expect(await codeOf("https://big.example/", { fetcher, maxBytes: 1_000_000 })).toBe("too-large");
		expect(stats.pulled).toBeLessThan(1_000_000);
	});

	it("accepts a body of exactly maxBytes", async () => {
		const body = `<p>${"x".repeat(993)}</p>`;
		const { fetcher } = serve({ "https://news.example/": html(body) });
		expect(await codeOf("https://news.example/", { fetcher, maxBytes: 1000 })).toBe("fetched");
		expect(await codeOf("https://news.example/", { fetcher, maxBytes: 999 })).toBe("too-large");
	});
});

describe("fetchArticle: upstream problems", () => {
	it.each([
		[404, /^The page does not exist \(HTTP 404/],
		[410, /^The page does not exist \(HTTP 410/],
		[403, /^The site answered HTTP 403/],
		[500, /^The site answered HTTP 500/],
		[503, /^The site answered HTTP 503/],
	])("HTTP %i is an http-error", async (status, message) => {
		const { fetcher } = serve({ "https://news.example/": () => new Response("Error page", { status }) });
		const error = await failure(fetchArticle("https://news.example/", { fetcher }));
		expect(error).toMatchObject({ code: "http-error", status: 502, upstreamStatus: status });
		expect(error.extra).toEqual({ upstreamStatus: status });
		expect(error.message).toMatch(message);
	});

	it.each([
		"application/pdf",
		"image/png",
		"application/json",
		"text/plain; charset=utf-8",
		"text/csv",
		"application/octet-stream",
	])("%s is not-html", async (type) => {
		const { fetcher } = serve({ "https://news.example/file": html("%PDF-1.7 …", type) });
		const error = await failure(fetchArticle("https://news.example/file", { fetcher }));
		expect(error).toMatchObject({ code: "not-html", status: 502 });
		expect(error.message).toContain(type.split(";")[0]);
	});

	it("a body without a type that is not markup is not-html", async () => {
		const { fetcher } = serve({ "https://news.example/file": html("%PDF-1.7 binary follows", null) });
		expect(await codeOf("https://news.example/file", { fetcher })).toBe("not-html");
	});

	it("a network error or a broken body is unreachable", async () => {
		const down: typeof fetch = () => Promise.reject(new TypeError("Network connection lost."));
		const error = await failure(fetchArticle("https://down.example/page", { fetcher: down }));
		expect(error).toMatchObject({
			code: "unreachable",
			status: 502,
			message: "down.example could not be reached.",
		});
		expect(error.cause).toBeInstanceOf(TypeError);

		const broken = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(new TextEncoder().encode("<p>Start"));
				controller.error(new Error("connection reset"));
			},
		});
		const { fetcher } = serve({
			"https://down.example/": () => new Response(broken, { headers: { "Content-Type": "text/html" } }),
		});
		expect(await codeOf("https://down.example/", { fetcher })).toBe("unreachable");
	});

	it("binary garbage served as text/html is binary", async () => {
		const png = Uint8Array.from([
			0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0,
			1, 0, 8, 6, 0, 0, 0, 0x5c, 0x72, 0xa8, 0x66, 0, 0, 0, 0,
		]);
		let seed = 7;
		const random = Uint8Array.from({ length: 100_000 }, () => {
			seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
			return seed & 0xff;
		});
		const nuls = new Uint8Array(4096).fill(0);
		for (const body of [png, random, nuls]) {
			const { fetcher } = serve({ "https://news.example/": html(body, "text/html") });
			const error = await failure(fetchArticle("https://news.example/", { fetcher }));
			expect(error).toMatchObject({ code: "binary", status: 502 });
		}
		for (const body of [png, random]) {
			const { fetcher } = serve({ "https://news.example/": html(body, "text/html; charset=windows-1252") });
			expect(await codeOf("https://news.example/", { fetcher })).toBe("binary");
		}
	});

	it("a page with a stray control character is still a page", async () => {
		const { fetcher } = serve({
			"https://news.example/": html(`${PAGE.replace("Hello", "Hel\u0000lo")}\u0007`),
		});
		expect(await codeOf("https://news.example/", { fetcher })).toBe("fetched");
	});
});

describe("fetchArticle: character encodings", () => {
	const text = "<p>„Größe“ – 5 € ‚gut‘ » Ärger «</p>";

	it("decodes the charset from the Content-Type header", async () => {
		const { fetcher } = serve({
			"https://news.example/": html(windows1252(text), "text/html; charset=windows-1252"),
		});
		expect(await fetchArticle("https://news.example/", { fetcher })).toMatchObject({
			html: text,
			charset: "windows-1252",
		});
	});

	it("else from <meta charset> or <meta http-equiv> (latin-1 meaning windows-1252, as browsers do)", async () => {
		const withMeta = `<html><head><meta charset="ISO-8859-1"></head><body>${text}</body></html>`;
		const httpEquiv = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"></head><body><p>5 €</p></body></html>`;
		const latin9 = Uint8Array.from(windows1252(httpEquiv), (b) => (b === 0x80 ? 0xa4 : b));
		const { fetcher } = serve({
			"https://news.example/meta": html(windows1252(withMeta), "text/html"),
			"https://news.example/equiv": html(latin9, "text/html"),
		});
		expect(await fetchArticle("https://news.example/meta", { fetcher })).toMatchObject({
			html: withMeta,
			charset: "windows-1252",
		});
		expect(await fetchArticle("https://news.example/equiv", { fetcher })).toMatchObject({
			html: httpEquiv,
			charset: "iso-8859-15",
		});
	});

	it("lets a byte-order mark win over the header, and the header over <meta>", async () => {
		const utf8 = new TextEncoder().encode(text);
		const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
		const utf16 = new Uint8Array([
			0xff,
			0xfe,
			...[...text].flatMap((ch) => [ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8]),
		]);
		const metaSaysLatin1 = `<meta charset="iso-8859-1">${text}`;
		const { fetcher } = serve({
			"https://news.example/bom": html(bom, "text/html; charset=windows-1252"),
			"https://news.example/utf16": html(utf16, "text/html"),
			"https://news.example/header": html(metaSaysLatin1, "text/html; charset=utf-8"),
		});
		expect(await fetchArticle("https://news.example/bom", { fetcher })).toMatchObject({
			html: text,
			charset: "utf-8",
		});
		expect(await fetchArticle("https://news.example/utf16", { fetcher })).toMatchObject({
			html: text,
			charset: "utf-16le",
		});
		expect(await fetchArticle("https://news.example/header", { fetcher })).toMatchObject({
			html: metaSaysLatin1,
			charset: "utf-8",
		});
	});

	it("reads undeclared bytes as UTF-8 when they are, else as windows-1252; ignores unknown labels", async () => {
		const { fetcher } = serve({
			"https://news.example/utf8": html(text, "text/html"),
			"https://news.example/legacy": html(windows1252(text), "text/html"),
			"https://news.example/unknown": html(text, "text/html; charset=x-no-such-charset"),
			"https://news.example/meta-utf16": html(`<meta charset="utf-16">${text}`, "text/html"),
		});
		expect(await fetchArticle("https://news.example/utf8", { fetcher })).toMatchObject({
			html: text,
			charset: "utf-8",
		});
		expect(await fetchArticle("https://news.example/legacy", { fetcher })).toMatchObject({
			html: text,
			charset: "windows-1252",
		});
		expect(await fetchArticle("https://news.example/unknown", { fetcher })).toMatchObject({
			html: text,
			charset: "utf-8",
		});
		expect((await fetchArticle("https://news.example/meta-utf16", { fetcher })).charset).toBe("utf-8");
	});

	/*
	 * The former pattern read a run of spaces after `charset=` as `\s*["']?\s*`, split between
	 * its two `\s*` in every way, again for each `<meta` and each end of `[^>]*?`: cubic in
	 * the 4,096 bytes it reads, 1.7 s of CPU for a head of `<META` tags and tabs (Node 22; 2 ms
	 * now). Measured, not asserted here (no timing in tests); asserted is what it finds.
	 */
	it("finds the same <meta> charset as the former, cubic pattern, in any head", () => {
		const former = /<meta\s[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i;
		const found = (re: RegExp, head: string) => {
			const m = re.exec(head);
			return m && [m.index, m[0], m[1]];
		};
		const piece = fc.constantFrom(
			"<meta",
			"<META",
			" ",
			"\t",
			"\n",
			"charset",
			"CharSet",
			"=",
			'"',
			"'",
			">",
			"x",
			"utf-8",
			"<",
			":",
		);
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
				const head = pieces.join("");
				expect(found(META_CHARSET, head)).toEqual(found(former, head));
			}),
			{ numRuns: 5_000 },
		);
		for (const head of [
			'<meta charset=" utf-8">',
			"<meta charset=' \tutf-8'>",
			'<meta charset= "" utf-8>',
			"<meta charset=\t'>",
		])
			expect(found(META_CHARSET, head), head).toEqual(found(former, head));
	});

	it("reads the <meta> charset after a head of 4,096 bytes of <meta tags and tabs", async () => {
		const head = `${"<META\t".repeat(300)}CHARSET=${"\t".repeat(2200)}><meta charset="windows-1252">`;
		expect(head.length).toBeLessThan(4096);
		const page = `<html><head>${head}</head><body>${text}</body></html>`;
		const { fetcher } = serve({ "https://news.example/tabs": html(windows1252(page), "text/html") });
		expect(await fetchArticle("https://news.example/tabs", { fetcher })).toMatchObject({
			html: page,
			charset: "windows-1252",
		});
	});

	/*
	 * Six times the head a fetch reads, so that the former pattern, cubic, takes minutes (Node
	 * 22: 1.4 s for 4,038 bytes of this head, 11.5 s for 8,038; these 24,038 took 127 s in
	 * workerd, past the test's 60 s); 70 ms now. Not timed (no timing in tests): the test's
	 * limit is what a return of the cubic form meets.
	 */
	it("finds the <meta> charset after 24,000 bytes of <meta tags and tabs, six times the head read", () => {
		const head = `${"<META\t".repeat(1_800)}CHARSET=${"\t".repeat(13_200)}><meta charset="windows-1252">`;
		expect(META_CHARSET.exec(head)?.[1]).toBe("windows-1252");
	});
});

describe("fetchArticle: addresses", () => {
	it("refuses private, loopback, link-local, CGNAT, unique-local, mapped and local-name hosts", async () => {
		const { fetcher, requests } = serve({});
		const privateUrls = [
			"http://10.0.0.1/",
			"http://10.255.255.255/",
			"http://127.0.0.1/",
			"http://127.1.2.3:8080/x",
			"http://169.254.169.254/latest/meta-data/",
			"http://192.168.1.1/",
			"http://172.16.0.1/",
			"http://172.31.255.255/",
			"http://100.64.0.1/",
			"http://100.127.255.255/",
			"http://0.0.0.0/",
			"http://192.0.2.10/",
			"http://198.18.0.1/",
			"http://224.0.0.1/",
			"http://255.255.255.255/",
			"http://[::1]/",
			"http://[::]/",
			"http://[fc00::1]/",
			"http://[fd12:3456:789a::1]/",
			"http://[fe80::1]/",
			"http://[ff02::1]/",
			"http://[::ffff:127.0.0.1]/",
			"http://[::ffff:10.0.0.1]/",
			"http://[::ffff:7f00:1]/",
			"http://[::ffff:0:7f00:1]/",
			"http://[::ffff:0:10.0.0.1]/",
			"http://[::127.0.0.1]/",
			"http://[64:ff9b::7f00:1]/",
			"http://[2002:7f00:1::]/",
			"http://[2001:db8::1]/",
			"http://localhost/",
			"http://LOCALHOST./",
			"http://api.localhost/",
			"http://printer.local/",
			"http://metadata.google.internal/",
			"http://router.home.arpa/",
			"http://intranet/",
			// Other spellings of 127.0.0.1, which the URL parser normalises before the check
			"http://2130706433/",
			"http://0x7f.1/",
			"http://0x7f000001/",
			"http://017700000001/",
			"http://127.1/",
			"http://0/",
		];
		for (const url of privateUrls) {
			const error = await failure(fetchArticle(url, { fetcher }));
			expect(error, url).toMatchObject({
				code: "private-address",
				status: 422,
				title: "Address not allowed",
			});
			expect(error.message, url).toMatch(/only public web pages can be read\.$/);
		}
		expect(requests).toEqual([]);
		expect(new URL("http://0x7f.1/").hostname).toBe("127.0.0.1");
		expect(new URL("http://2130706433/").hostname).toBe("127.0.0.1");
		expect(new URL("http://[::ffff:127.0.0.1]/").hostname).toBe("[::ffff:7f00:1]");
	});

	it("fetches public addresses next to the private ranges", async () => {
		const publicUrls = [
			"http://8.8.8.8/",
			"http://11.0.0.1/",
			"http://172.32.0.1/",
			"http://172.15.255.255/",
			"http://100.128.0.1/",
			"http://192.169.0.1/",
			"http://[2606:4700:4700::1111]/",
			"http://[::ffff:8.8.8.8]/",
			"https://example.com/",
			"https://localhost.example.com/",
		];
		for (const url of publicUrls) {
			// The fetcher sees the parsed form: [::ffff:8.8.8.8] is [::ffff:808:808].
			const { fetcher, requests } = serve({ [new URL(url).href]: html(PAGE) });
			expect(await codeOf(url, { fetcher }), url).toBe("fetched");
			expect(requests).toHaveLength(1);
		}
	});

	it("fetches loopback addresses, and no other private ones, when allowLoopback is set", async () => {
		for (const url of [
			"http://localhost:8788/page",
			"http://127.0.0.1/",
			"http://127.8.9.10/",
			"http://[::1]/",
		]) {
			const { fetcher } = serve({ [new URL(url).href]: html(PAGE) });
			expect(await codeOf(url, { fetcher, allowLoopback: true }), url).toBe("fetched");
		}
		for (const url of [
			"http://10.0.0.1/",
			"http://192.168.1.1/",
			"http://169.254.169.254/",
			"http://[fd00::1]/",
			"http://[::ffff:7f00:1]/",
			"http://printer.local/",
		]) {
			const { fetcher } = serve({ [new URL(url).href]: html(PAGE) });
			expect(await codeOf(url, { fetcher, allowLoopback: true }), url).toBe("private-address");
		}
	});

	it("refuses other schemes, credentials and malformed addresses", async () => {
		const { fetcher, requests } = serve({});
		for (const url of [
			"javascript:alert(1)",
			"data:text/html,<p>hi</p>",
			"ftp://example.com/file.html",
			"file:///etc/passwd",
			"ws://example.com/",
			"",
			"   ",
			"example.com/no-scheme",
			"/relative/path",
			"https://",
			"https://exa mple.com/",
			"http://user:secret@example.com/",
			`https://example.com/${"a".repeat(2100)}`,
		]) {
			const error = await failure(fetchArticle(url, { fetcher }));
			expect(error, url).toMatchObject({ code: "invalid-url", status: 422 });
		}
		expect(requests).toEqual([]);
		expect((await failure(fetchArticle("javascript:alert(1)", { fetcher }))).message).toBe(
			"Only http and https addresses can be read, not javascript:.",
		);
	});
});

/*
 * Bytes without a type are a page when markup starts them, after white space and comments.
 * The pattern that read this until session 32, kept as the reference for ordinary texts: it
 * let a comment end at any later "-->" and tried every way on a text that is no page (2^n
 * for n comments: 33 before a word took minutes here, far past these tests' 20 s).
 */
const OLD_MARKUP_START = /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b/i;
const bytesOf = (text: string) => new TextEncoder().encode(text);
const sniffed = (text: string) => contentTypeOf(bytesOf(text), "", null);

describe("a body without a type: markup after comments", () => {
	const comments = (n: number) => "<!-- -->".repeat(n);

	it("reads text after many comments as text, in one pass (the snapshot's type)", { timeout: 20_000 }, () => {
		expect(sniffed(`${comments(33)}x`)).toBe("text/plain");
		// Markup after them was found at once before too; these read as many in one pass.
		expect(sniffed(`${" \n<!-- a -->".repeat(5000)}<html lang="de">`)).toBe("text/html");
		expect(sniffed(`<!-- a -->${"<!--".repeat(100_000)}`)).toBe("text/plain");
	});

	it("refuses text after many comments as no page, in one pass (the article reader)", {
		timeout: 20_000,
	}, async () => {
		const { fetcher } = serve({
			"https://news.example/text": html(`${comments(33)}<!-- never closed`, null),
			"https://news.example/page": html(`${comments(5000)}${PAGE}`, null),
		});
		expect(await codeOf("https://news.example/text", { fetcher })).toBe("not-html");
		expect((await fetchArticle("https://news.example/page", { fetcher })).contentType).toBe("text/html");
	});

	it("answers as the pattern it replaced did on ordinary texts", () => {
		const examples: [string, string][] = [
			[PAGE, "text/html"],
			["<!DOCTYPE  HTML PUBLIC>", "text/html"],
			["\ufeff<html>", "text/html"],
			["\u00a0\n\t<HEAD>", "text/html"],
			["<body\n class=x>", "text/html"],
			["<!-- generated -->\n<!----><!-- <p> --> <html>", "text/html"],
			["<!--<html>-->", "text/plain"],
			["<!--><html>", "text/plain"],
			["<!---><html>", "text/plain"],
			["<!-- a --> x <html>", "text/plain"],
			["<htmlx>", "text/plain"],
			["<p>Hello</p>", "text/plain"],
			["<!doctype xml>", "text/plain"],
			["Hello <html>", "text/plain"],
			["", "text/plain"],
		];
		for (const [text, type] of examples) {
			expect([text, sniffed(text)]).toEqual([text, type]);
			expect([text, OLD_MARKUP_START.test(text)]).toEqual([text, type === "text/html"]);
		}
		// Random texts of these pieces, without a "-->" after their lead of white space and
		// comments (where the old pattern read a comment on past its end: the test below).
		const piece = fc.constantFrom(
			"<!-- a -->",
			"<!---->",
			"<!--<html>-->",
			"<!--",
			" ",
			"\n",
			"<html>",
			"<HEAD ",
			"<!doctype html>",
			"<body",
			"<bodyx",
			"x",
			"<",
			"-",
		);
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
				const text = pieces.join("");
				const lead = /^(?:\s|<!--(?:(?!-->)[\s\S])*-->)*/.exec(text)?.[0] ?? "";
				fc.pre(!text.slice(lead.length).includes("-->"));
				expect(sniffed(text)).toBe(OLD_MARKUP_START.test(text) ? "text/html" : "text/plain");
			}),
			{ numRuns: 3000 },
		);
	});

	it("ends a comment at its first -->, as HTML does: text after it is text (the old pattern read on to a later -->)", () => {
		for (const text of ["<!-- a --> x --> <html>", "<!-- a -->x<!-- b --><html>"]) {
			expect(sniffed(text)).toBe("text/plain");
			expect(OLD_MARKUP_START.test(text)).toBe(true);
		}
	});
});

describe("ArticleFetchError", () => {
	it("is an AppError with a code, a status and a message for the editor", () => {
		const error = new ArticleFetchError("not-html", "The address serves image/png, not a web page.");
		expect(error).toBeInstanceOf(AppError);
		expect(error).toMatchObject({
			name: "ArticleFetchError",
			code: "not-html",
			status: 502,
			title: "Page could not be read",
			message: "The address serves image/png, not a web page.",
		});
		expect(new ArticleFetchError("timeout", "x").status).toBe(504);
		expect(new ArticleFetchError("private-address", "x").status).toBe(422);
	});
});

/*
 * The one test through the Worker's real global fetch(): vitest.config.ts gives the
 * test Worker a Miniflare outboundService that serves tests/fixtures/articles-html
 * as https://news.example/ (in Node), so fetchArticle runs without a fetcher.
 */
describe("fetchArticle + readArticle through the Worker's global fetch (Miniflare outboundService)", () => {
	it("reads fixture pages after a redirect, decodes windows-1252, and reports a missing page", async () => {
		const page = await fetchArticle("https://news.example/moved/wonsan-2025-07-12.de.html");
		expect(page).toMatchObject({
			finalUrl: "https://news.example/wonsan-2025-07-12.de.html",
			contentType: "text/html",
			charset: "utf-8",
		});
		const wonsan = await readArticle(page.html, page.finalUrl);
		expect(wonsan.url).toBe("https://news.example/international/lawrow-wonsan-strategischer-dialog");
		expect(wonsan.text).toContain("Diese Einschätzung wurde konkret im Bereich Kursk bewiesen");
		expect(wonsan.text).not.toContain("Mehr zum Thema");

		const legacy = await fetchArticle("https://news.example/radwege-freiburg.windows-1252.php");
		expect(legacy.charset).toBe("windows-1252");
		const { text: _text, paragraphs, ...metadata } = await readArticle(legacy.html, legacy.finalUrl);
		expect(metadata).toEqual({
			url: "https://news.example/radwege-freiburg.windows-1252.php",
			foreignUrl: null,
			title: "Radwege: Freiburg investiert 14,2 Mio. €",
			publisher: "Badische Beispielzeitung",
			author: "Jörg Beispiel",
			publishedAt: "2025-03-11",
			language: "de",
		});
		expect(paragraphs).toEqual(radwegeText.trim().split("\n"));

		expect(await failure(fetchArticle("https://news.example/missing.html"))).toMatchObject({
			code: "http-error",
			upstreamStatus: 404,
		});
	});
});
