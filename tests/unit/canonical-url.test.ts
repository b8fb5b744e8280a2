import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	canonicalizeUrl,
	InvalidUrlError,
	type InvalidUrlReason,
	isHttpUrl,
	MAX_URL_LENGTH,
	withoutTracking,
} from "../../src/domain/canonical-url";

const canon = (input: string) => canonicalizeUrl(input).url;

function reasonOf(input: string): InvalidUrlReason | "accepted" {
	try {
		canonicalizeUrl(input);
		return "accepted";
	} catch (error) {
		if (error instanceof InvalidUrlError) return error.reason;
		throw error;
	}
}

describe("canonicalizeUrl: scheme and host", () => {
	it("lower-cases scheme and host but not the path", () => {
		expect(canonicalizeUrl("HTTPS://WWW.Example.COM/Path/To/Page")).toEqual({
			url: "https://www.example.com/Path/To/Page",
			domain: "example.com",
		});
		expect(canon("HtTp://EXAMPLE.org")).toBe("http://example.org/");
	});

	it("keeps http and https apart", () => {
		expect(canon("http://example.com/a")).toBe("http://example.com/a");
		expect(canon("https://example.com/a")).toBe("https://example.com/a");
	});

	it("converts IDN hosts to punycode, in the URL and the domain", () => {
		expect(canonicalizeUrl("https://bücher.de/")).toEqual({
			url: "https://xn--bcher-kva.de/",
			domain: "xn--bcher-kva.de",
		});
		expect(canonicalizeUrl("https://www.BÜCHER.de/Bücher")).toEqual({
			url: "https://www.xn--bcher-kva.de/B%C3%BCcher",
			domain: "xn--bcher-kva.de",
		});
		expect(canon("https://münchen.de")).toBe("https://xn--mnchen-3ya.de/");
		expect(canon("http://правительство.рф/")).toBe("http://xn--80aealotwbjpid2k.xn--p1ai/");
		expect(canon("https://한국.kr/")).toBe("https://xn--3e0b707e.kr/");
		// Already-encoded hosts stay as they are.
		expect(canon("https://xn--bcher-kva.de/")).toBe("https://xn--bcher-kva.de/");
	});

	it("maps full-width and ideographic dots in hosts (UTS 46)", () => {
		expect(canon("https://example。com/")).toBe("https://example.com/");
		expect(canon("https://ＥＸＡＭＰＬＥ.com/")).toBe("https://example.com/");
	});

	it("removes default ports and keeps others", () => {
		expect(canon("https://example.com:443/a")).toBe("https://example.com/a");
		expect(canon("http://example.com:80/a")).toBe("http://example.com/a");
		expect(canon("http://example.com:443/a")).toBe("http://example.com:443/a");
		expect(canon("https://example.com:8443/a")).toBe("https://example.com:8443/a");
		expect(canon("https://example.com:0443/a")).toBe("https://example.com/a");
	});

	it("drops the trailing dot of a fully qualified host", () => {
		expect(canonicalizeUrl("https://www.example.com./a")).toEqual({
			url: "https://www.example.com/a",
			domain: "example.com",
		});
	});

	it("keeps www. in the URL and drops it from the domain only", () => {
		expect(canonicalizeUrl("https://www.tagesschau.de/")).toEqual({
			url: "https://www.tagesschau.de/",
			domain: "tagesschau.de",
		});
		expect(canonicalizeUrl("https://tagesschau.de/")).toEqual({
			url: "https://tagesschau.de/",
			domain: "tagesschau.de",
		});
		expect(canonicalizeUrl("https://WWW.Example.com/").domain).toBe("example.com");
		expect(canonicalizeUrl("https://www2.example.com/").domain).toBe("www2.example.com");
		expect(canonicalizeUrl("https://news.www.example.com/").domain).toBe("news.www.example.com");
		// "www.com" is a site of its own, not "com".
		expect(canonicalizeUrl("https://www.com/").domain).toBe("www.com");
	});

	it("accepts IP literals and keeps IPv6 brackets", () => {
		expect(canonicalizeUrl("http://93.184.216.34/a")).toEqual({
			url: "http://93.184.216.34/a",
			domain: "93.184.216.34",
		});
		expect(canonicalizeUrl("http://[2001:DB8::1]:8080/")).toEqual({
			url: "http://[2001:db8::1]:8080/",
			domain: "[2001:db8::1]",
		});
	});
});

describe("canonicalizeUrl: path", () => {
	it("removes the trailing slash except for the root", () => {
		expect(canon("https://example.com/a/b/")).toBe("https://example.com/a/b");
		expect(canon("https://example.com/")).toBe("https://example.com/");
		expect(canon("https://example.com")).toBe("https://example.com/");
		expect(canon("https://example.com/a/?x=1")).toBe("https://example.com/a?x=1");
	});

	it("collapses duplicate slashes", () => {
		expect(canon("https://example.com//a///b//")).toBe("https://example.com/a/b");
		expect(canon("https://example.com//")).toBe("https://example.com/");
		expect(canon("https://example.com////")).toBe("https://example.com/");
	});

	it("resolves dot segments, also percent-encoded ones", () => {
		expect(canon("https://example.com/a/./b/../c")).toBe("https://example.com/a/c");
		expect(canon("https://example.com/a/%2e%2E/b")).toBe("https://example.com/b");
		expect(canon("https://example.com/../../a")).toBe("https://example.com/a");
	});

	it("upper-cases percent escapes and decodes unreserved characters", () => {
		expect(canon("https://example.com/%7euser/%c3%a9t%c3%a9")).toBe(
			"https://example.com/~user/%C3%A9t%C3%A9",
		);
		expect(canon("https://example.com/%41%42%2D%2E%5F%7E")).toBe("https://example.com/AB-._~");
		// Reserved characters stay encoded: decoding %2F would change the path.
		expect(canon("https://example.com/a%2fb%3Fc%23d")).toBe("https://example.com/a%2Fb%3Fc%23d");
		expect(canon("https://example.com/100%25")).toBe("https://example.com/100%25");
	});

	it("encodes non-ASCII paths as UTF-8, the same as their escaped form", () => {
		expect(canon("https://de.wikipedia.org/wiki/Wŏnsan")).toBe("https://de.wikipedia.org/wiki/W%C5%8Fnsan");
		expect(canon("https://de.wikipedia.org/wiki/W%c5%8fnsan")).toBe(
			canon("https://de.wikipedia.org/wiki/Wŏnsan"),
		);
	});

	it("leaves malformed escapes alone", () => {
		expect(canon("https://example.com/%zz/%")).toBe("https://example.com/%zz/%");
	});

	it("accepts backslashes and missing slashes as the URL standard does", () => {
		expect(canon("https:\\\\example.com\\a\\b")).toBe("https://example.com/a/b");
		expect(canon("https:example.com/a")).toBe("https://example.com/a");
	});
});

describe("canonicalizeUrl: query and fragment", () => {
	it("removes the fragment", () => {
		expect(canon("https://example.com/a#section-2")).toBe("https://example.com/a");
		expect(canon("https://example.com/a#")).toBe("https://example.com/a");
		expect(canon("https://example.com/a#:~:text=Lawrow")).toBe("https://example.com/a");
		expect(canon("https://example.com/a?b=1#c")).toBe("https://example.com/a?b=1");
	});

	it("keeps a hash route that selects a page in a single-page app", () => {
		expect(canon("https://example.com/#/article/123")).toBe("https://example.com/#/article/123");
		expect(canon("https://example.com/#!/article/123")).toBe("https://example.com/#!/article/123");
		expect(canon("https://example.com/#!article-123")).toBe("https://example.com/#!article-123");
		expect(canon("https://example.com/#/")).toBe("https://example.com/");
		expect(canon("https://example.com/#!")).toBe("https://example.com/");
	});

	it.each([
		"utm_source",
		"utm_medium",
		"utm_campaign",
		"utm_term",
		"utm_content",
		"utm_id",
		"utm_whatever_new",
		"UTM_SOURCE",
		"fbclid",
		"gclid",
		"dclid",
		"gbraid",
		"wbraid",
		"msclkid",
		"mc_cid",
		"mc_eid",
		"igshid",
		"yclid",
		"_ga",
		"_gl",
		"ref_src",
		"ref_url",
		"cmpid",
		"icid",
		"ncid",
		"s_cid",
		"oly_enc_id",
		"oly_anon_id",
		"vero_id",
		"mkt_tok",
		"spm",
		"_hsenc",
		"__s",
		"twclid",
		"ttclid",
		"srsltid",
		"xtor",
		"wt_zmc",
		"CMP",
		"smid",
		"sara_ecid",
		"at_medium",
		"at_campaign",
		"mtm_campaign",
		"pk_campaign",
	])("removes the tracking parameter %s", (param) => {
		expect(canon(`https://example.com/a?${param}=abc`)).toBe("https://example.com/a");
		expect(canon(`https://example.com/a?id=5&${param}=abc&x=1`)).toBe("https://example.com/a?id=5&x=1");
	});

	it("recognises tracking parameters written with escapes or without a value", () => {
		expect(canon("https://example.com/a?utm%5Fsource=x&fbclid")).toBe("https://example.com/a");
		expect(canon("https://example.com/a?%75tm_medium=x")).toBe("https://example.com/a");
	});

	it("keeps parameters that may select content", () => {
		for (const param of [
			"ref",
			"source",
			"share",
			"s",
			"t",
			"si",
			"feature",
			"id",
			"p",
			"page",
			"q",
			"lang",
			"v",
		]) {
			expect(canon(`https://example.com/a?${param}=1`)).toBe(`https://example.com/a?${param}=1`);
		}
	});

	it("removes platform-specific tracking only on that platform", () => {
		expect(canon("https://x.com/user/status/1?s=20&t=abc")).toBe("https://x.com/user/status/1");
		expect(canon("https://mobile.twitter.com/user/status/1?s=20")).toBe(
			"https://mobile.twitter.com/user/status/1",
		);
		expect(canon("https://www.youtube.com/watch?v=abc&si=xyz&feature=share&t=42")).toBe(
			"https://www.youtube.com/watch?t=42&v=abc",
		);
		expect(canon("https://youtu.be/abc?si=xyz")).toBe("https://youtu.be/abc");
		expect(canon("https://open.spotify.com/episode/1?si=xyz")).toBe("https://open.spotify.com/episode/1");
		expect(canon("https://www.facebook.com/p/1?mibextid=abc&__cft__[0]=x&__tn__=R")).toBe(
			"https://www.facebook.com/p/1",
		);
		expect(canon("https://www.linkedin.com/posts/x?trk=public_post&trackingId=1")).toBe(
			"https://www.linkedin.com/posts/x",
		);
		expect(canon("https://www.tiktok.com/@a/video/1?is_from_webapp=1&sender_device=pc")).toBe(
			"https://www.tiktok.com/@a/video/1",
		);
		// The same names elsewhere are kept: WordPress searches with ?s=.
		expect(canon("https://blog.example.com/?s=lawrow")).toBe("https://blog.example.com/?s=lawrow");
		expect(canon("https://notx.com/a?s=1")).toBe("https://notx.com/a?s=1");
		expect(canon("https://example.com/a?si=1")).toBe("https://example.com/a?si=1");
	});

	it("sorts the remaining parameters by key, keeping the order of repeated keys", () => {
		expect(canon("https://example.com/a?b=2&a=1&c=3")).toBe("https://example.com/a?a=1&b=2&c=3");
		expect(canon("https://example.com/a?x=2&a=1&x=1&x=3")).toBe("https://example.com/a?a=1&x=2&x=1&x=3");
		// Code-unit order, independent of locale: upper case before lower case.
		expect(canon("https://example.com/a?b=1&B=1&a=1&_=1")).toBe("https://example.com/a?B=1&_=1&a=1&b=1");
	});

	it("removes empty queries and empty parameters", () => {
		expect(canon("https://example.com/a?")).toBe("https://example.com/a");
		expect(canon("https://example.com/a?&&")).toBe("https://example.com/a");
		expect(canon("https://example.com/a?b=1&&a=2&")).toBe("https://example.com/a?a=2&b=1");
		expect(canon("https://example.com/?utm_source=x")).toBe("https://example.com/");
	});

	it("keeps valueless parameters and empty values as written", () => {
		expect(canon("https://example.com/a?print&b=")).toBe("https://example.com/a?b=&print");
	});

	it("normalises escapes in the query without decoding reserved characters", () => {
		expect(canon("https://example.com/a?q=%7e%2b%2F%41")).toBe("https://example.com/a?q=~%2B%2FA");
		expect(canon("https://example.com/a?q=a+b")).toBe("https://example.com/a?q=a+b");
		expect(canon("https://example.com/a?q=Größe")).toBe("https://example.com/a?q=Gr%C3%B6%C3%9Fe");
	});
});

describe("canonicalizeUrl: rejections", () => {
	it.each<[string, InvalidUrlReason]>([
		["", "empty"],
		["   ", "empty"],
		["javascript:alert(1)", "unsupported-scheme"],
		["JavaScript:alert(1)", "unsupported-scheme"],
		["  javascript:alert(1)", "unsupported-scheme"],
		["java\tscript:alert(1)", "malformed"],
		["data:text/html,<script>alert(1)</script>", "unsupported-scheme"],
		["file:///etc/passwd", "unsupported-scheme"],
		["ftp://example.com/file", "unsupported-scheme"],
		["mailto:desk@example.com", "unsupported-scheme"],
		["blob:https://example.com/1", "unsupported-scheme"],
		["ws://example.com/", "unsupported-scheme"],
		["localhost:8080/a", "unsupported-scheme"],
		["/relative/path", "relative"],
		["relative/path", "relative"],
		["//example.com/a", "relative"],
		["www.example.com/a", "relative"],
		["?q=1", "relative"],
		["#top", "relative"],
		["https://user:pass@example.com/", "credentials"],
		["https://user@example.com/", "credentials"],
		["https://:pass@example.com/", "credentials"],
		["https://user%40mail.com:x@example.com/", "credentials"],
		["http://", "malformed"],
		["https://", "malformed"],
		["https://exa mple.com/", "malformed"],
		["https://example.com/a b", "malformed"],
		["https://example.com/\n/a", "malformed"],
		["https://example.com/\u0000", "malformed"],
		["https://ex<ample.com/", "malformed"],
		["https://[::1/", "malformed"],
		["https://example.com:99999/", "malformed"],
		["https://localhost/", "invalid-host"],
		["http://localhost:8787/a", "invalid-host"],
		["https://intranet/", "invalid-host"],
		["https://./", "invalid-host"],
		["https://a..b/", "invalid-host"],
	])("rejects %j (%s)", (input, reason) => {
		expect(reasonOf(input)).toBe(reason);
		expect(isHttpUrl(input)).toBe(false);
	});

	it("rejects inputs longer than 2048 characters", () => {
		const base = "https://example.com/";
		expect(reasonOf(base + "a".repeat(MAX_URL_LENGTH - base.length))).toBe("accepted");
		expect(reasonOf(base + "a".repeat(MAX_URL_LENGTH - base.length + 1))).toBe("too-long");
		expect(reasonOf(base + "a".repeat(1_000_000))).toBe("too-long");
	});

	it("rejects URLs that grow beyond 2048 characters when encoded", () => {
		// 2,000 characters of input, 6,000 of percent-encoded UTF-8.
		expect(reasonOf(`https://example.com/${"ä".repeat(1_000)}`)).toBe("too-long");
	});

	it("trims surrounding whitespace before judging the length", () => {
		const url = `https://example.com/${"a".repeat(MAX_URL_LENGTH - 20)}`;
		expect(url).toHaveLength(MAX_URL_LENGTH);
		expect(reasonOf(`  ${url}\n`)).toBe("accepted");
	});

	it("throws a typed error with a reason and a message that does not echo secrets", () => {
		let caught: unknown;
		try {
			canonicalizeUrl("https://admin:hunter2@example.com/");
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InvalidUrlError);
		expect(caught).toBeInstanceOf(Error);
		const error = caught as InvalidUrlError;
		expect(error.name).toBe("InvalidUrlError");
		expect(error.reason).toBe("credentials");
		expect(error.message).not.toContain("hunter2");
		expect(error.message.length).toBeGreaterThan(0);
	});

	it("rejects non-string input from untyped callers", () => {
		expect(reasonOf(undefined as unknown as string)).toBe("malformed");
		expect(reasonOf(42 as unknown as string)).toBe("malformed");
	});
});

describe("canonicalizeUrl: the whole picture", () => {
	it("canonicalises a newsletter link", () => {
		expect(
			canonicalizeUrl(
				"HTTPS://WWW.Tagesschau.DE:443//ausland/asien//lawrow-nordkorea-100.html/?utm_source=newsletter&utm_medium=email&fbclid=IwAR0&b=2&a=1#kommentare",
			),
		).toEqual({
			url: "https://www.tagesschau.de/ausland/asien/lawrow-nordkorea-100.html?a=1&b=2",
			domain: "tagesschau.de",
		});
	});

	it("gives one URL for the many spellings of one page", () => {
		const spellings = [
			"https://example.com/news/lawrow",
			"https://EXAMPLE.com/news/lawrow/",
			"https://example.com:443/news//lawrow",
			"https://example.com/news/lawrow?utm_source=x",
			"https://example.com/news/lawrow?",
			"https://example.com/news/lawrow#top",
			"https://example.com./news/lawrow",
			"https://example.com/news/%6Cawrow",
			" https://example.com/news/lawrow ",
			"https://example.com/news/./lawrow",
		];
		for (const spelling of spellings) expect(canon(spelling)).toBe("https://example.com/news/lawrow");
	});

	it("is idempotent on hand-picked URLs", () => {
		for (const input of [
			"https://bücher.de/Bücher/?q=Größe&a=%7e#x",
			"https://example.com/%zz/%",
			"https://example.com/a?b=%2F&c=%252F",
			"https://example.com/#!/route?x=1",
			"http://[2001:db8::1]:8080/a//b/",
			"https://example.com/a?%5B%5D=1&[]=2",
			"https://example.com/a/%2e%2e%2e/b",
		]) {
			const once = canon(input);
			expect(canon(once)).toBe(once);
		}
	});

	it("is idempotent and stays within the length limit (property)", () => {
		fc.assert(
			fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (input) => {
				const { url, domain } = canonicalizeUrl(input);
				expect(canonicalizeUrl(url)).toEqual({ url, domain });
				expect(url.length).toBeLessThanOrEqual(MAX_URL_LENGTH);
				expect(url).toMatch(/^https?:\/\/[^/?#]+\/[^#]*(?:#[!/].*)?$/);
				// No empty query and no empty parameters (a parameter may itself be "?").
				const query = new URL(url).search;
				if (query !== "") expect(query.slice(1).split("&")).not.toContain("");
				// The result parses back to itself.
				expect(new URL(url).href).toBe(url);
			}),
			{ numRuns: 500 },
		);
	});

	it("is idempotent on arbitrary characters in path and query (property)", () => {
		const piece = fc.string({ unit: "grapheme", maxLength: 20 });
		fc.assert(
			fc.property(piece, piece, piece, (path, key, value) => {
				const input = `https://example.com/${encodeURI(path)}?${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
				let first: string;
				try {
					first = canon(input);
				} catch (error) {
					expect(error).toBeInstanceOf(InvalidUrlError);
					return;
				}
				expect(canon(first)).toBe(first);
			}),
			{ numRuns: 300 },
		);
	});
});

describe("withoutTracking", () => {
	it("drops tracking parameters, and keeps the rest as written, the fragment too", () => {
		expect(
			withoutTracking("https://www.politifact.com/factchecks/2020/x/?utm_source=partner&utm_campaign=d#top"),
		).toBe("https://www.politifact.com/factchecks/2020/x/#top");
		// A review's place on a roundup page.
		expect(withoutTracking("https://factcheck.example/roundup-x/#claim-3")).toBe(
			"https://factcheck.example/roundup-x/#claim-3",
		);
		expect(withoutTracking("https://check.example/a?z=1&fbclid=abc&a=%7e2#/route")).toBe(
			"https://check.example/a?z=1&a=%7e2#/route",
		);
		// Nothing to drop: byte for byte, the case of the host and all.
		expect(withoutTracking("https://Check.example/A/?b=2&a=1")).toBe("https://Check.example/A/?b=2&a=1");
		// Host-only names on their host only.
		expect(withoutTracking("https://www.youtube.com/watch?v=1&si=x")).toBe(
			"https://www.youtube.com/watch?v=1",
		);
		expect(withoutTracking("https://check.example/watch?v=1&si=x")).toBe(
			"https://check.example/watch?v=1&si=x",
		);
	});
});

describe("isHttpUrl", () => {
	it("accepts absolute http(s) URLs", () => {
		for (const url of [
			"https://example.com",
			"http://example.com/a?b=1#c",
			"https://bücher.de/",
			" https://x.com ",
		]) {
			expect(isHttpUrl(url)).toBe(true);
		}
	});

	it("rejects everything else, including non-strings", () => {
		for (const value of [
			"",
			"javascript:alert(1)",
			"/a",
			"https://u:p@example.com",
			null,
			undefined,
			1,
			{},
		]) {
			expect(isHttpUrl(value)).toBe(false);
		}
	});
});
