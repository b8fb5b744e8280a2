import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { apiCall, apiToken, makeUser } from "../desk/helpers";
import { makeClaim, publish, retract } from "../factories";
import { call, json, uniquePlace } from "../helpers";
import { useOwnDatabase } from "../own-database";

// The feed's window is the whole database's newest 50 entries: another file's entries dated
// later than this file's writes would take its slots (ci-fresh-clone saw 11 above the rename:
// desk/dashboard's verdicts, dated ahead of the clock until 9fff97a).
useOwnDatabase();

/**
 * The Atom feed shows its 50 newest entries: an entry moved up for nothing pushes a real
 * change (a retraction) out of the window, and a subscriber polling after that never
 * learns of it. Only a change of what an entry shows (its title, summary, categories,
 * author, links) may move it (domain/atom-feed); a change of what it does not show (a
 * topic's names, a speaker's description, kind or Wikidata id) still changes the claims'
 * answers, and their dates (tests/api/last-public-change.test.ts).
 */

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" });

interface Entry {
	id: string;
	title: string;
	updated: string;
}

const text = (value: unknown) =>
	typeof value === "string" ? value : String((value as { "#text": string })["#text"]);

async function feed(lang: "en" | "de"): Promise<Map<string, Entry>> {
	const parsed = xml.parse(await (await call(`/feeds/verdicts.atom?lang=${lang}`)).text()) as {
		feed: { entry?: unknown };
	};
	const entries = [parsed.feed.entry ?? []].flat() as { id: string; title: unknown; updated: string }[];
	return new Map(entries.map((e) => [e.id, { id: e.id, title: text(e.title), updated: e.updated }]));
}

async function ok(response: Promise<Response>) {
	const answer = await response;
	expect(answer.status, await answer.clone().text()).toBeLessThan(300);
	return answer;
}

/** Every entry shown before is as it was: same title, same `updated`. */
function unchanged(before: Map<string, Entry>, after: Map<string, Entry>, what: string) {
	const moved = [...before.values()].filter((entry) => {
		const now = after.get(entry.id);
		return now === undefined || now.updated !== entry.updated || now.title !== entry.title;
	});
	expect(moved.map((e) => e.title).slice(0, 3), `${what}: ${moved.length} entries moved`).toEqual([]);
}

/** No entry's `updated` went back (RFC 4287) between two reads of the feed. */
function neverBack(before: Map<string, Entry>, after: Map<string, Entry>, what: string) {
	for (const entry of after.values()) {
		const was = before.get(entry.id);
		if (was) expect(entry.updated >= was.updated, `${what}: ${was.updated} → ${entry.updated}`).toBe(true);
	}
}

describe("the Atom feed's window", () => {
	it("a topic's new names and a speaker's new description, kind and Wikidata id keep a retraction in the feed; a speaker's new name moves its claims' entries", {
		timeout: 300_000,
	}, async () => {
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["claims:write"]);
		const place = uniquePlace();
		// A running story: 50 checked claims of one speaker, filed under one topic.
		let tag = "";
		let speaker = "";
		// Recorded through the commands, as the API's POST records them (its own tests cover the
		// route): the 50 requests' routing and token checks were an eighth of this file's time.
		for (let i = 0; i < 50; i++) {
			const claim = await makeClaim({
				text: `Aussage ${i} ${newId()} zum Krieg in ${place}`,
				language: "de",
				speaker: { name: `Kanzler ${place}`, kind: "person" },
				tags: [`Krieg ${place}`],
			});
			tag = claim.tags[0]?.slug ?? "";
			speaker = claim.speaker?.slug ?? "";
			await publish(claim.id, "false");
		}
		// Later, on another claim, a verdict is withdrawn: the news a subscriber must get.
		const other = await json<{ id: string }>(
			await ok(
				apiCall("POST", "/api/v1/claims", {
					token,
					body: {
						text: `Der Minister von ${place} log.`,
						language: "de",
						speaker: { name: `Minister ${place}`, kind: "person" },
						source: { url: `https://news.example/${newId()}`, title: "B" },
					},
				}),
			),
		);
		const published = await publish(other.id, "false");
		await retract(published.id, published.version);
		const retraction = (entries: Map<string, Entry>) =>
			[...entries.values()].find((e) => e.id.endsWith(`:verdict/${published.id}`));
		const first = { en: await feed("en"), de: await feed("de") };
		expect(retraction(first.en)?.title.startsWith("Retracted: ")).toBe(true);
		expect(retraction(first.de)?.title.startsWith("Zurückgezogen: ")).toBe(true);

		const speakerVersion = async () =>
			(await json<{ version: number }>(await call(`/api/v1/speakers/${speaker}`))).version;
		const writes: [string, () => Promise<Response>][] = [
			[
				"the topic's German name",
				() => apiCall("PATCH", `/api/v1/tags/${tag}`, { token, body: { nameDe: `Krieg (${place})` } }),
			],
			[
				"the topic's English name",
				() => apiCall("PATCH", `/api/v1/tags/${tag}`, { token, body: { nameEn: `War (${place})` } }),
			],
			[
				"the speaker's description",
				async () =>
					apiCall("PATCH", `/api/v1/speakers/${speaker}`, {
						token,
						body: { version: await speakerVersion(), description: "Bundeskanzler" },
					}),
			],
			[
				"the speaker's kind",
				async () =>
					apiCall("PATCH", `/api/v1/speakers/${speaker}`, {
						token,
						body: { version: await speakerVersion(), kind: "organization" },
					}),
			],
			[
				"the speaker's Wikidata id",
				async () =>
					apiCall("PATCH", `/api/v1/speakers/${speaker}`, {
						token,
						body: { version: await speakerVersion(), wikidataId: "Q567" },
					}),
			],
		];
		let last = first;
		for (const [what, write] of writes) {
			await new Promise((resolve) => setTimeout(resolve, 5));
			await ok(write());
			const now = { en: await feed("en"), de: await feed("de") };
			for (const lang of ["en", "de"] as const) {
				expect(retraction(now[lang]), `${what} (${lang}): the retraction is still in the feed`).toBeDefined();
				unchanged(last[lang], now[lang], `${what} (${lang})`);
			}
			last = now;
		}

		// Its name is in every entry's title: those entries changed, and are told again.
		await ok(
			apiCall("PATCH", `/api/v1/speakers/${speaker}`, {
				token,
				body: { version: await speakerVersion(), name: `Bundeskanzler ${place}` },
			}),
		);
		const renamed = { en: await feed("en"), de: await feed("de") };
		for (const lang of ["en", "de"] as const) {
			neverBack(last[lang], renamed[lang], `rename (${lang})`);
			const titled = [...renamed[lang].values()].filter((e) => e.title.includes(`Bundeskanzler ${place}`));
			expect(titled.length, lang).toBe(50);
			for (const entry of titled)
				expect(entry.updated > (last[lang].get(entry.id)?.updated ?? "")).toBe(true);
		}
	});
});
