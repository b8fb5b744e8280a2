import { describe, expect, it } from "vitest";
import { makeClaim } from "../factories";
import { call, json } from "../helpers";

/**
 * `domain` on /api/v1/claims and /api/v1/sources is one parameter: a host as a person writes
 * it (Unicode or punycode, any case, with or without www.), found as sources store it
 * (punycode), and anything that is no host a 422 naming the parameter on both.
 */

type Page = { data: { id: string }[] };
type Problem = { status: number; errors: { path: string }[] };

const letters = () =>
	Array.from(crypto.getRandomValues(new Uint8Array(8)), (byte) => String.fromCharCode(97 + (byte % 26))).join(
		"",
	);

describe("the domain filter", () => {
	it("finds a source on a Unicode host however the host is written, on both lists", async () => {
		const host = `bücher${letters()}.example`;
		const claim = await makeClaim({ sourceUrl: `https://www.${host}/artikel` });
		const sourceId = claim.appearances[0]?.sourceId;
		const ascii = new URL(`https://${host}/`).hostname;
		expect(ascii).toMatch(/^xn--/);
		for (const written of [host, host.toUpperCase(), `www.${host}`, ascii, ` ${host} `]) {
			const domain = encodeURIComponent(written);
			const claims = await call(`/api/v1/claims?limit=100&domain=${domain}`);
			expect(claims.status, written).toBe(200);
			expect(
				(await json<Page>(claims)).data.map((c) => c.id),
				written,
			).toEqual([claim.id]);
			const sources = await call(`/api/v1/sources?limit=100&domain=${domain}`);
			expect(sources.status, written).toBe(200);
			expect(
				(await json<Page>(sources)).data.map((s) => s.id),
				written,
			).toEqual([sourceId]);
		}
	});

	it("finds a source by any domain the API shows for it, on both lists", async () => {
		const hexes = Array.from(crypto.getRandomValues(new Uint16Array(2)), (n) => n.toString(16));
		for (const host of [
			`press_room.${letters()}.example`,
			`[2001:db8::${hexes.join(":")}]`,
			`www.${letters()}`,
			`WWW.${letters().toUpperCase()}`,
		]) {
			const claim = await makeClaim({ sourceUrl: `https://${host}/story` });
			const sourceId = claim.appearances[0]?.sourceId;
			const shown = await json<{ domain: string }>(await call(`/api/v1/sources/${sourceId}`));
			// A trailing dot is a name's (an IPv6 literal has none).
			const dotted = shown.domain.startsWith("[") ? [] : [`${shown.domain}.`];
			for (const written of [shown.domain, shown.domain.toUpperCase(), ...dotted]) {
				const domain = encodeURIComponent(written);
				const claims = await call(`/api/v1/claims?limit=100&domain=${domain}`);
				expect(claims.status, `${host}: ${written}`).toBe(200);
				expect(
					(await json<Page>(claims)).data.map((c) => c.id),
					written,
				).toEqual([claim.id]);
				const sources = await call(`/api/v1/sources?limit=100&domain=${domain}`);
				expect(sources.status, `${host}: ${written}`).toBe(200);
				expect(
					(await json<Page>(sources)).data.map((s) => s.id),
					written,
				).toEqual([sourceId]);
			}
		}
	});

	it("refuses what is no host with a 422 naming domain, on both lists", async () => {
		for (const written of [
			"not a host",
			"<script>",
			"example.org/path",
			"a@b.example",
			"localhost",
			"example.org:8080",
			"[2001:db8::1]:443",
			"[not-an-address]",
			"2001:db8::1",
			"x".repeat(300),
		]) {
			for (const list of ["claims", "sources"]) {
				const response = await call(`/api/v1/${list}?domain=${encodeURIComponent(written)}`);
				expect(response.status, `${list} ${written}`).toBe(422);
				expect((await json<Problem>(response)).errors[0]?.path, `${list} ${written}`).toBe("query.domain");
			}
		}
	});

	it("is one parameter in the API description", async () => {
		type Parameter = { name: string; in: string; schema: unknown; description?: string };
		const doc = await json<{ paths: Record<string, { get: { parameters: Parameter[] } }> }>(
			await call("/api/v1/openapi.json"),
		);
		const domainOf = (path: string) =>
			doc.paths[path]?.get.parameters.find((p) => p.name === "domain" && p.in === "query");
		expect(domainOf("/api/v1/claims")?.description).toContain("punycode");
		expect(domainOf("/api/v1/sources")).toEqual(domainOf("/api/v1/claims"));
	});
});
