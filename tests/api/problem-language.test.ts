import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { account, apiCall, apiToken } from "../desk/helpers";
import { makeClaim } from "../factories";
import { BASE, call, json } from "../helpers";

/**
 * One rule for the public read API's problems: `?lang=` sets the language of title and detail
 * (and field messages) where the site has the words, as it sets the rating labels; `type`,
 * `status`, field paths and `removedAt` stay as they are; without `?lang=`, English. A write
 * route's removed claim is said in the read's English sentence, the long date.
 */
interface Problem {
	type: string;
	title: string;
	status: number;
	detail: string;
	errors?: { path: string; message: string }[];
	removedAt?: string;
}

const TIMEOUT = { timeout: 60_000 };

async function problem(path: string, status: number): Promise<Problem> {
	const response = await call(path);
	expect(response.status, await response.clone().text()).toBe(status);
	expect(response.headers.get("Content-Type")).toContain("application/problem+json");
	return json<Problem>(response);
}

describe("the public read API's problems, by ?lang=", () => {
	it("404 of a claim, a speaker, a source: German with ?lang=de, English without", TIMEOUT, async () => {
		const claim = `/api/v1/claims/${newId()}`;
		expect(await problem(`${claim}?lang=de`, 404)).toMatchObject({
			type: "about:blank",
			status: 404,
			title: "Nicht gefunden",
			detail: "Diese Behauptung gibt es nicht.",
		});
		expect(await problem(claim, 404)).toMatchObject({ title: "Not Found", detail: "No such claim." });
		const speaker = await problem(`/api/v1/speakers/nobody-${newId()}?lang=de`, 404);
		expect(speaker.detail).toBe("Diese Person oder Organisation gibt es nicht.");
		expect((await problem(`/api/v1/sources/${newId()}?lang=de`, 404)).detail).toBe(
			"Diese Quelle gibt es nicht.",
		);
	});

	it(
		"422 of a refused search and of a parameter: German with ?lang=de, paths unchanged",
		TIMEOUT,
		async () => {
			const search = `/api/v1/claims?q=${encodeURIComponent("(Kursk OR Soldaten)")}`;
			const german = await problem(`${search}&lang=de`, 422);
			const english = await problem(search, 422);
			expect(english.detail).toMatch(/^q: Parentheses/);
			expect(german.title).toBe("Ungültige Angabe");
			expect(german.detail).toMatch(/^q: Klammern/);
			expect(german.errors?.map((e) => e.path)).toEqual(["query.q"]);
			expect(german.errors?.[0]?.message).toBe(german.detail.slice(3));
			expect(english).toMatchObject({ title: "Unprocessable Content", errors: [{ path: "query.q" }] });

			// A parameter's validation message stays English (the desk's table of translations is
			// not in the public Worker); its title is German, its path the same.
			const rating = await problem("/api/v1/claims?rating=bogus&lang=de", 422);
			expect(rating.title).toBe("Ungültige Angabe");
			expect(rating.errors?.[0]).toEqual({
				path: "query.rating",
				message: expect.stringMatching(/^Use one of: true, /),
			});
			expect(rating.detail).toMatch(/^query\.rating: Use one of: /);
			expect((await problem("/api/v1/claims?rating=bogus", 422)).detail).toMatch(
				/^query\.rating: Use one of: /,
			);
		},
	);

	it(
		"410 of a removed claim: read in German or English, a write in the read's English",
		TIMEOUT,
		async () => {
			const token = (await apiToken((await account("editor")).user, ["claims:write"])).token;
			const claim = await makeClaim();
			const removed = await apiCall("DELETE", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: claim.version, reason: "Recorded by mistake." },
			});
			expect(removed.status, await removed.clone().text()).toBe(200);
			const german = await problem(`/api/v1/claims/${claim.id}?lang=de`, 410);
			const english = await problem(`/api/v1/claims/${claim.id}`, 410);
			const removedAt = english.removedAt ?? "";
			// The newsroom's day (NEWSROOM_TIME_ZONE in vitest.config.ts), on reads and writes.
			const long = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "Europe/Berlin" }).format(
				new Date(removedAt),
			);
			expect(german).toMatchObject({
				type: "urn:claimtrack:problem:claim-removed",
				title: "Aus dem Verzeichnis entfernt",
				removedAt,
			});
			expect(german.detail).toMatch(/^Eine hier irrtümlich erfasste Behauptung wurde am /);
			const sentence = `A claim recorded here by mistake was removed from the tracker on ${long}.`;
			expect(english).toMatchObject({ title: "Removed from the tracker", detail: sentence });
			const write = await apiCall("PATCH", `/api/v1/claims/${claim.id}?lang=de`, {
				token,
				body: { version: claim.version, context: "Later." },
			});
			expect(write.status, await write.clone().text()).toBe(410);
			expect(await json<Problem>(write)).toMatchObject({
				type: "urn:claimtrack:problem:claim-removed",
				title: "Removed from the tracker",
				detail: sentence,
				removedAt,
			});
		},
	);

	it(
		"410 of a removed claim's card (as JSON) and oEmbed: in the language their address names, as the API's",
		TIMEOUT,
		async () => {
			const token = (await apiToken((await account("editor")).user, ["claims:write"])).token;
			const claim = await makeClaim();
			const removed = await apiCall("DELETE", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: claim.version, reason: "Recorded by mistake." },
			});
			expect(removed.status, await removed.clone().text()).toBe(200);
			const api = await problem(`/api/v1/claims/${claim.id}?lang=de`, 410);
			expect(api.title).toBe("Aus dem Verzeichnis entfernt");
			const said = (p: Problem) => ({ title: p.title, detail: p.detail, removedAt: p.removedAt });
			// The card asked for without Accept: text/html (a script's fetch), by its `?lang=`.
			expect(said(await problem(`/embed/${claim.id}?lang=de`, 410))).toEqual(said(api));
			// oEmbed, by the language of the page or card its `url` names.
			const oembed = (url: string) => `/oembed?url=${encodeURIComponent(`${BASE}${url}`)}`;
			expect(said(await problem(oembed(`/claims/${claim.id}?lang=de`), 410))).toEqual(said(api));
			expect(said(await problem(oembed(`/embed/${claim.id}?lang=de`), 410))).toEqual(said(api));
			// Without a language in the address: English, never the reader's Accept-Language.
			const english = said(await problem(`/api/v1/claims/${claim.id}`, 410));
			expect(english.title).toBe("Removed from the tracker");
			expect(said(await problem(oembed(`/claims/${claim.id}`), 410))).toEqual(english);
			const negotiated = await call(`/embed/${claim.id}`, { headers: { "Accept-Language": "de" } });
			expect(negotiated.status).toBe(410);
			expect(said(await json<Problem>(negotiated))).toEqual(english);
		},
	);
});
