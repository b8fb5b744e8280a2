import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { ROWS_PER_SITEMAP } from "../../src/domain/sitemap";
import { slugify } from "../../src/domain/slug";
import { SYSTEM } from "../../src/store/batch";
import { mergeSpeakers } from "../../src/store/speaker-edits";
import { account, apiToken, deskGet } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { BASE, call, json, testDb, uniquePlace } from "../helpers";
import { edgeDouble } from "./edge-double";

/**
 * A speaker's name that must not be shown (h206): a rename that drops it takes it out of the
 * speaker's address too, and under PUBLIC_UNREVIEWED = "hide" a name never public stays so.
 */

interface SpeakerJson {
	slug: string;
	name: string;
	url: string;
	version: number;
	aliases: string[];
}

/** The app as a deployment with `PUBLIC_UNREVIEWED = "hide"` answers. */
async function hidden(path: string, init?: RequestInit): Promise<Response> {
	const ctx = createExecutionContext();
	const response = await app.fetch(
		new Request(`${BASE}${path}`, { redirect: "manual", ...init }),
		{ ...env, PUBLIC_UNREVIEWED: "hide" },
		ctx,
	);
	await waitOnExecutionContext(ctx);
	return response;
}

function patch(token: string, body: unknown): RequestInit {
	return {
		method: "PATCH",
		headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
		body: JSON.stringify(body),
	};
}

async function editorToken() {
	const editor = await account("editor");
	return (await apiToken(editor.user, ["claims:write"])).token;
}

/** The version of a speaker as the desk's store has it (the public read may 404 under hide). */
async function versionOf(slug: string): Promise<number> {
	const row = await env.DB.prepare("SELECT version FROM speakers WHERE slug = ?")
		.bind(slug)
		.first<{ version: number }>();
	return row?.version ?? 0;
}

async function sitemapLocs(slug: string): Promise<string> {
	const row = await env.DB.prepare("SELECT rowid AS n FROM speakers WHERE slug = ?")
		.bind(slug)
		.first<{ n: number }>();
	const file = Math.floor(((row?.n ?? 1) - 1) / ROWS_PER_SITEMAP);
	const response = await call(`/sitemaps/speakers/${file}.xml`);
	expect(response.status).toBe(200);
	return response.text();
}

describe("a speaker's dropped name leaves its address", () => {
	it("dropOldName gives a new slug from the new name: in the JSON, pages and sitemap; the old one answers 301, desk links follow; the purge is the rename's", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const place = uniquePlace();
		const claim = await makeClaim({ speaker: { name: `Privatperson ${place}` } });
		await publish(claim.id);
		const old = claim.speaker?.slug ?? "";
		expect(old).toBe(slugify(`Privatperson ${place}`));
		const e = edgeDouble();
		const renamed = await e.fetch(
			`/api/v1/speakers/${old}`,
			patch(token, { version: await versionOf(old), name: `Right Minister ${place}`, dropOldName: true }),
		);
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		const speakerId = (
			await env.DB.prepare("SELECT speaker_id AS s FROM claims WHERE id = ?")
				.bind(claim.id)
				.first<{ s: string }>()
		)?.s;
		// Tags name the speaker by id: the rename's purge covers its page under either slug.
		expect([...(e.purges[0]?.tags ?? [])].sort()).toEqual(
			[
				`claim-${claim.id}`,
				"claims-list",
				"feed",
				`speaker-${speakerId}`,
				`speaker-claims-${speakerId}`,
			].sort(),
		);
		const slug = (await json<SpeakerJson>(renamed)).slug;
		expect(slug).toBe(slugify(`Right Minister ${place}`));

		const claimJson = await (await call(`/api/v1/claims/${claim.id}`)).text();
		expect(claimJson).toContain(`/speakers/${slug}`);
		expect(claimJson.toLowerCase()).not.toContain("privatperson");
		const speakerJson = await json<SpeakerJson>(await call(`/api/v1/speakers/${slug}`));
		expect(speakerJson).toMatchObject({ slug, name: `Right Minister ${place}`, aliases: [] });
		const page = await call(`/speakers/${slug}`);
		expect(page.status).toBe(200);
		expect((await page.text()).toLowerCase()).not.toContain("privatperson");
		const claimPage = await (await call(`/claims/${claim.id}`)).text();
		expect(claimPage.toLowerCase()).not.toContain("privatperson");
		const sitemap = await sitemapLocs(slug);
		expect(sitemap).toContain(`${BASE}/speakers/${slug}<`);
		expect(sitemap).not.toContain(`/speakers/${old}<`);

		// Old links keep working: it was public.
		const api = await call(`/api/v1/speakers/${old}?lang=de`, { redirect: "manual" });
		expect(api.status).toBe(301);
		expect(api.headers.get("Location")).toBe(`/api/v1/speakers/${slug}?lang=de`);
		const oldPage = await call(`/speakers/${old}`, { redirect: "manual" });
		expect(oldPage.status).toBe(301);
		expect(oldPage.headers.get("Location")).toBe(`/speakers/${slug}`);
		expect((await hidden(`/speakers/${old}`)).status).toBe(301);
		const list = await json<{ data: { id: string }[] }>(await call(`/api/v1/claims?speaker=${old}`));
		expect(list.data.map((c) => c.id)).toEqual([claim.id]);

		// The desk: its page and its list follow the new slug.
		const editor = await account("editor");
		const desk = await deskGet(editor, `/desk/speakers/${old}`);
		expect(desk.status).toBe(302);
		expect(desk.headers.get("Location")).toBe(`/desk/speakers/${slug}`);
		const deskList = await deskGet(editor, `/desk?speaker=${old}`);
		expect(deskList.status).toBe(200);
		expect(await deskList.text()).toContain(`Right Minister ${place}`);
		const deskClaim = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		expect(deskClaim).toContain(`/desk?list=all&amp;speaker=${slug}`);

		// Without dropOldName the slug stays: an edit of another field, a rename keeping the name.
		const kept = await call(
			`/api/v1/speakers/${slug}`,
			patch(token, { version: await versionOf(slug), name: `Right Minister ${place}`, description: "x" }),
		);
		expect((await json<SpeakerJson>(kept)).slug).toBe(slug);
		const keepsName = await call(
			`/api/v1/speakers/${slug}`,
			patch(token, { version: await versionOf(slug), name: `Left Minister ${place}` }),
		);
		expect((await json<SpeakerJson>(keepsName)).slug).toBe(slug);
	});

	it("under hide, a never-public speaker's old slug stays a 404 after the rename and the publication", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const place = uniquePlace();
		const claim = await makeClaim({ speaker: { name: `Privatperson ${place}` } });
		const old = claim.speaker?.slug ?? "";
		const renamed = await hidden(
			`/api/v1/speakers/${old}`,
			patch(token, { version: await versionOf(old), name: `Right Minister ${place}`, dropOldName: true }),
		);
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		const slug = (await json<SpeakerJson>(renamed)).slug;
		expect(slug).toBe(slugify(`Right Minister ${place}`));
		await publish(claim.id);
		expect((await hidden(`/api/v1/speakers/${slug}`)).status).toBe(200);
		expect((await hidden(`/speakers/${slug}`)).status).toBe(200);
		expect((await hidden(`/api/v1/speakers/${old}`)).status).toBe(404);
		expect((await hidden(`/speakers/${old}`)).status).toBe(404);
		const list = await json<{ data: unknown[] }>(await hidden(`/api/v1/claims?speaker=${old}`));
		expect(list.data).toEqual([]);
		const claimJson = await (await hidden(`/api/v1/claims/${claim.id}`)).text();
		expect(claimJson.toLowerCase()).not.toContain("privatperson");
		// Where unreviewed claims are listed it was public, and leads on.
		expect((await call(`/speakers/${old}`, { redirect: "manual" })).status).toBe(301);
	});
});

describe("a never-public speaker's kept old name, under hide", () => {
	it("stays off the JSON, the page and the public search when a claim is published; the desk and list mode keep it", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const place = uniquePlace();
		const oldName = `Privatperson ${place}`;
		const claim = await makeClaim({ speaker: { name: oldName } });
		const slug = claim.speaker?.slug ?? "";
		const renamed = await hidden(
			`/api/v1/speakers/${slug}`,
			patch(token, { version: await versionOf(slug), name: `Right Minister ${place}` }),
		);
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		// The write API's answer is private: it lists every spelling.
		expect((await json<SpeakerJson>(renamed)).aliases).toEqual([oldName]);
		await publish(claim.id);
		const speaker = await json<SpeakerJson>(await hidden(`/api/v1/speakers/${slug}`));
		expect(speaker.name).toBe(`Right Minister ${place}`);
		expect(speaker.aliases).toEqual([]);
		expect(await (await hidden(`/speakers/${slug}`)).text()).not.toContain(oldName);
		const search = async (q: string, at = hidden) =>
			(
				await json<{ data: { id: string }[] }>(await at(`/api/v1/claims?q=${encodeURIComponent(q)}`))
			).data.map((c) => c.id);
		expect(await search(oldName)).toEqual([]);
		expect(await search(`Right Minister ${place}`)).toEqual([claim.id]);
		// Where unreviewed claims are listed the name was public all along.
		expect((await json<SpeakerJson>(await call(`/api/v1/speakers/${slug}`))).aliases).toEqual([oldName]);
		expect(await search(oldName, call)).toEqual([claim.id]);
	});

	it("a public speaker's kept old name stays public", async () => {
		const token = await editorToken();
		const place = uniquePlace();
		const oldName = `Minister ${place}`;
		const claim = await makeClaim({ speaker: { name: oldName } });
		await publish(claim.id);
		const slug = claim.speaker?.slug ?? "";
		const renamed = await hidden(
			`/api/v1/speakers/${slug}`,
			patch(token, { version: await versionOf(slug), name: `Chancellor ${place}` }),
		);
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		expect((await json<SpeakerJson>(await hidden(`/api/v1/speakers/${slug}`))).aliases).toEqual([oldName]);
	});
});

describe("an API edit of the aliases, under hide", () => {
	it("keeps the never-public spellings its public read left out; where they were listed, the list sent is all", {
		timeout: 60_000,
	}, async () => {
		const token = await editorToken();
		const place = uniquePlace();
		const secret = `Zorbiq ${place}`;
		const hiddenClaim = await makeClaim({ speaker: { name: secret } });
		const minister = await makeClaim({ speaker: { name: `Minister ${place}` } });
		await publish(minister.id);
		const slug = minister.speaker?.slug ?? "";
		await mergeSpeakers(testDb(), SYSTEM("test"), hiddenClaim.speaker?.slug ?? "", slug);
		const read = await json<SpeakerJson>(await hidden(`/api/v1/speakers/${slug}`));
		expect(read.aliases).toEqual([]);
		// What was read, sent back changed.
		const edited = await hidden(
			`/api/v1/speakers/${slug}`,
			patch(token, { version: read.version, aliases: [...read.aliases, `Min. ${place}`] }),
		);
		expect(edited.status, await edited.clone().text()).toBe(200);
		expect((await json<SpeakerJson>(edited)).aliases.sort()).toEqual([`Min. ${place}`, secret].sort());
		// Still never public, still the speaker's for imports and the desk.
		expect((await json<SpeakerJson>(await hidden(`/api/v1/speakers/${slug}`))).aliases).toEqual([
			`Min. ${place}`,
		]);
		const row = await env.DB.prepare("SELECT was_public AS p FROM speaker_aliases WHERE alias = ?")
			.bind(secret)
			.first<{ p: number }>();
		expect(row?.p).toBe(0);

		// Where unreviewed claims are listed the read showed it: the list sent replaces it.
		const listed = await json<SpeakerJson>(await call(`/api/v1/speakers/${slug}`));
		expect(listed.aliases.sort()).toEqual([`Min. ${place}`, secret].sort());
		const replaced = await call(
			`/api/v1/speakers/${slug}`,
			patch(token, { version: listed.version, aliases: [`Min. ${place}`] }),
		);
		expect((await json<SpeakerJson>(replaced)).aliases).toEqual([`Min. ${place}`]);
	});
});
