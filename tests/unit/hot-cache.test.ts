import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { forgetHotTags, withHotCache } from "../../src/lib/hot-cache";
import { makeClaim, publish } from "../factories";
import { call } from "../helpers";

/** A handler that counts its calls and answers a claim page as the app does. */
function app(headers: Record<string, string>) {
	const calls = { n: 0 };
	const handler = withHotCache<unknown>(() => {
		calls.n += 1;
		return new Response(`<p>page ${calls.n}</p>`, {
			headers: { "Content-Type": "text/html; charset=utf-8", ...headers },
		});
	});
	const ctx = {
		waitUntil: () => undefined,
		passThroughOnException: () => undefined,
	} as unknown as ExecutionContext;
	const get = async (path: string) =>
		(
			await handler(
				new Request(`https://claims.example${path}`, { headers: { "Accept-Language": "de" } }),
				{},
				ctx,
			)
		).text();
	return { calls, get };
}

describe("the isolate's hot copies", () => {
	it("are dropped by any tag their answer names", async () => {
		const id = newId();
		const { calls, get } = app({
			"Cache-Control": "public, max-age=60",
			"Cache-Tag": `claim-${id},speaker-claims-s${id},topic-t${id}`,
		});
		const path = `/claims/${id}?lang=de`;
		await get(path);
		await get(path);
		expect(calls.n).toBe(1);
		forgetHotTags([`topic-t${id}`]);
		await get(path);
		expect(calls.n).toBe(2);
		forgetHotTags([`speaker-claims-s${id}`, "claims-list"]);
		await get(path);
		expect(calls.n).toBe(3);
	});

	it("that name nothing (a page in the reader's language) go with any purge of a speaker's or topic's claims", async () => {
		const id = newId();
		const { calls, get } = app({
			"Cache-Control": "private, max-age=0, must-revalidate",
			Vary: "Accept-Language",
		});
		const path = `/claims/${id}`;
		await get(path);
		await get(path);
		expect(calls.n).toBe(1);
		// Another claim's tag leaves it; its own claim's, or any speaker's claims', drop it.
		forgetHotTags([`claim-${newId()}`, "claims-list"]);
		await get(path);
		expect(calls.n).toBe(1);
		forgetHotTags([`speaker-claims-${newId()}`]);
		await get(path);
		expect(calls.n).toBe(2);
		forgetHotTags([`claim-${id}`]);
		await get(path);
		expect(calls.n).toBe(3);
	});

	it("key a page by the language it is made in, worked out as the page works it out", async () => {
		const { languageMiddleware } = await import("../../src/lib/language");
		const { Hono } = await import("hono");
		const page = new Hono<{ Variables: { lang: string; langNegotiated: boolean } }>()
			.use(languageMiddleware as never)
			.get("/claims/:id", (c) =>
				c.html(`<html lang="${c.get("lang")}">`, 200, {
					"Cache-Control": "private, max-age=0, must-revalidate",
					Vary: "Accept-Language, Cookie",
				}),
			);
		const handler = withHotCache<unknown>((request) => page.fetch(request));
		const ctx = { waitUntil: () => undefined, passThroughOnException: () => undefined } as never;
		const id = newId();
		const read = async (path: string, headers: Record<string, string>) =>
			(await handler(new Request(`https://claims.example${path}`, { headers }), {}, ctx)).text();
		// Cookie forms the regex of old did not read: quoted, encoded, spaced.
		for (const cookie of ['lang="de"', "lang=%64%65", "lang= de"]) {
			const path = `/claims/${id}?case=${encodeURIComponent(cookie)}`;
			expect(await read(path, { Cookie: cookie, "Accept-Language": "en" })).toBe('<html lang="de">');
			expect(await read(path, { "Accept-Language": "en" })).toBe('<html lang="en">');
		}
		// A `lang` the page does not know is no language: the reader's is used, and keyed.
		const unknown = `/claims/${id}?lang=zz`;
		expect(await read(unknown, { Cookie: "lang=de" })).toBe('<html lang="de">');
		expect(await read(unknown, { "Accept-Language": "en" })).toBe('<html lang="en">');
		// An encoded one it knows is that language, whatever the reader's.
		expect(await read(`/claims/${id}?lang=d%65`, { "Accept-Language": "en" })).toBe('<html lang="de">');
		// The page reads the first `lang` as Hono does: a bare one is empty (the reader's
		// language), and a name spelt with an escape counts; a later `lang=de` does not.
		for (const query of ["?lang&lang=de", "?l%61ng=xx&lang=de", "?lang=&lang=de", "?x=%41&lang&lang=de"]) {
			const path = `/claims/${id}${query}`;
			expect(await read(path, { "Accept-Language": "en" }), query).toBe('<html lang="en">');
			expect(await read(path, { "Accept-Language": "de" }), query).toBe('<html lang="de">');
			expect(await read(path, { Cookie: "lang=en" }), query).toBe('<html lang="en">');
		}
	});

	it("answer If-None-Match: * as the app does: 304, from the copy too", async () => {
		const claim = await makeClaim({ language: "en" });
		await publish(claim.id, "false");
		for (const path of [
			`/badges/${claim.id}.svg`,
			`/api/v1/claims/${claim.id}`,
			`/claims/${claim.id}?lang=en`,
		]) {
			// The first read leaves this isolate a copy; the others are answered from it.
			await (await call(path)).arrayBuffer();
			const statuses: number[] = [];
			for (const ifNoneMatch of ["*", " * "]) {
				const response = await call(path, { headers: { "If-None-Match": ifNoneMatch } });
				await response.arrayBuffer();
				statuses.push(response.status);
			}
			expect(statuses, path).toEqual([304, 304]);
		}
	});
});
