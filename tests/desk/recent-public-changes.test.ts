import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { makeClaim, publish } from "../factories";
import { call, fetchWith } from "../helpers";
import { type Account, account, deskGet, deskPost, ORIGIN } from "./helpers";

/**
 * The desk home's "Recent public changes" holds every change the public sees (README): also
 * an attachment made public or internal again, and new topics of a claim the public sees
 * (reviewed, or any claim where unreviewed ones are listed).
 */

const idem = () => ({ _idem: newToken(18) });
const PNG = new Uint8Array([
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 73, 68, 65, 84, 0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0,
	0, 0, 0, 73, 69, 78, 68, 0, 0, 0, 0,
]);

/** The home's "Recent public changes": each entry's text. */
function activityOf(home: string, heading: string): string[] {
	const start = home.indexOf(heading);
	const section = home.slice(start, home.indexOf("</section>", start));
	return [...section.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1] ?? "");
}
/** The entries of one claim, by the label of each (its link, before the claim's words it names). */
const entriesOf = (activity: string[], claimId: string) =>
	activity
		.map((li) => new RegExp(`<a href="/desk/claims/${claimId}">([^<]*?)(?:: [“„]<bdi|</a>)`).exec(li)?.[1])
		.filter((label): label is string => label !== undefined);

async function attach(who: Account, claimId: string): Promise<string> {
	const form = new FormData();
	form.set("_csrf", who.csrf);
	form.set("_idem", `${newId()}${newId()}`);
	form.set("caption", "Screenshot");
	form.set("file", new Blob([PNG], { type: "image/png" }), "shot.png");
	const up = await call(`/desk/claims/${claimId}/attachments`, {
		method: "POST",
		headers: { Cookie: who.cookie, Origin: ORIGIN },
		body: form,
		redirect: "manual",
	});
	expect(up.status).toBe(303);
	const row = await env.DB.prepare("SELECT id FROM uploads WHERE claim_id = ?")
		.bind(claimId)
		.first<{ id: string }>();
	return row?.id ?? "";
}

const claimVersion = async (claimId: string) =>
	String(
		(
			await env.DB.prepare("SELECT version FROM claims WHERE id = ?")
				.bind(claimId)
				.first<{ version: number }>()
		)?.version,
	);

async function tag(who: Account, claimId: string, topics: string) {
	const tagged = await deskPost(who, `/desk/claims/${claimId}/tags`, {
		version: await claimVersion(claimId),
		tags: topics,
		...idem(),
	});
	expect(tagged.status).toBe(303);
}

const addAppearance = (who: Account, claimId: string) =>
	deskPost(who, `/desk/claims/${claimId}/appearances`, {
		"source.url": `https://news.example/${newId()}`,
		quote: `Said again ${newId()}`,
		...idem(),
	});

/** Merges a claim into another (`into`) or removes it, as an editor does on its page. */
const retireClaim = async (who: Account, claimId: string, what: "merge" | "remove", into?: string) =>
	deskPost(who, `/desk/claims/${claimId}/${what}`, {
		version: await claimVersion(claimId),
		...(into ? { into, note: "The same claim." } : { reason: "Recorded by mistake." }),
		confirm: "1",
		...idem(),
	});

/** The desk home of a deployment hiding unreviewed claims (PUBLIC_UNREVIEWED = "hide"). */
async function homeWhereHidden(who: Account): Promise<string> {
	const { response } = await fetchWith(env.DB, "/desk?lang=en", { headers: { Cookie: who.cookie } }, false, {
		PUBLIC_UNREVIEWED: "hide",
	});
	return response.text();
}

describe("Recent public changes", () => {
	it("names in each entry's link the claim it leads to: its words shortened, escaped, in their language", async () => {
		const editor = await account("editor");
		const words = `Minister <b>${newId()}</b> & Co. say the harbour's new quay, opened in May, carries twice the tonnage of the old one and more`;
		const claim = await makeClaim({ text: words, language: "en" });
		await publish(claim.id);
		const home = await (await deskGet(editor, "/desk?lang=de")).text();
		const links = activityOf(home, "Letzte öffentliche Änderungen")
			.map((li) => new RegExp(`<a href="/desk/claims/${claim.id}">([\\s\\S]*?)</a>`).exec(li)?.[1])
			.filter((link): link is string => link !== undefined);
		expect(links).toHaveLength(1);
		const link = links[0] ?? "";
		// The desk's words in German, the claim's in English, marked so (and isolated).
		expect(link).toMatch(/^Bewertung veröffentlicht: „<bdi lang="en" dir="auto">Minister &lt;b&gt;/);
		expect(link).toMatch(/…<\/bdi>“$/);
		expect(link).not.toContain("<b>");
		expect(link.replace(/<[^>]+>/g, "").length).toBeLessThan(words.length);
	});

	it("lists an attachment made public and internal again, and a checked claim's new topics (en, de)", async () => {
		const editor = await account("editor");
		const checker = await account("checker");
		const claim = await makeClaim();
		await publish(claim.id);
		const upload = await attach(checker, claim.id);
		const visibility = (value: string) =>
			deskPost(editor, `/desk/attachments/${upload}/visibility`, { public: value, ...idem() });
		expect((await visibility("true")).status).toBe(303);
		expect((await visibility("false")).status).toBe(303);
		await tag(checker, claim.id, `Nordkorea ${newId()}`);

		const home = await (await deskGet(editor, "/desk?lang=en")).text();
		expect(entriesOf(activityOf(home, "Recent public changes"), claim.id)).toEqual([
			"Topics of a claim changed",
			"Attachment made internal again (off the public page)",
			"Attachment made public",
			"Verdict published",
		]);
		const german = await (await deskGet(editor, "/desk?lang=de")).text();
		expect(entriesOf(activityOf(german, "Letzte öffentliche Änderungen"), claim.id)).toEqual([
			"Themen einer Behauptung geändert",
			"Anhang wieder auf intern gestellt (nicht mehr öffentlich)",
			"Anhang veröffentlicht",
			"Bewertung veröffentlicht",
		]);
	});

	it("an unreviewed claim's topics and attachments count where the public sees unreviewed claims, not where it does not", {
		timeout: 60_000,
	}, async () => {
		const editor = await account("editor");
		const checker = await account("checker");
		const claim = await makeClaim();
		await tag(checker, claim.id, `Kursk ${newId()}`);
		const upload = await attach(checker, claim.id);
		const shown = await deskPost(editor, `/desk/attachments/${upload}/visibility`, {
			public: "true",
			...idem(),
		});
		expect(shown.status).toBe(303);

		// Listed (the default): the public page shows both at once.
		const listed = await (await deskGet(editor, "/desk?lang=en")).text();
		expect(entriesOf(activityOf(listed, "Recent public changes"), claim.id)).toEqual([
			"Attachment made public",
			"Topics of a claim changed",
		]);
		// Hidden until published: nobody saw them; what changes after the publication is seen.
		expect(entriesOf(activityOf(await homeWhereHidden(editor), "Recent public changes"), claim.id)).toEqual(
			[],
		);
		await publish(claim.id);
		await tag(checker, claim.id, `Kursk ${newId()}`);
		expect(entriesOf(activityOf(await homeWhereHidden(editor), "Recent public changes"), claim.id)).toEqual([
			"Topics of a claim changed",
			"Verdict published",
		]);
		// Rows written before they said whether their claim was reviewed count by its verdicts.
		await env.DB.prepare(
			"UPDATE audit_log SET changes = json_remove(changes, '$.reviewed') WHERE entity = 'claim' AND entity_id = ?",
		)
			.bind(claim.id)
			.run();
		expect(entriesOf(activityOf(await homeWhereHidden(editor), "Recent public changes"), claim.id)).toEqual([
			"Topics of a claim changed",
			"Verdict published",
		]);
	});

	it("where unreviewed claims are hidden, leaves out a new appearance, a removal and a merge of claims the public never saw", {
		timeout: 60_000,
	}, async () => {
		const editor = await account("editor");
		const checker = await account("checker");
		const appearance = (claimId: string) => addAppearance(checker, claimId);
		const retire = (claimId: string, what: "merge" | "remove", into?: string) =>
			retireClaim(editor, claimId, what, into);
		const unreviewed = await makeClaim();
		expect((await appearance(unreviewed.id)).status).toBe(303);
		const removed = await makeClaim();
		expect((await retire(removed.id, "remove")).status).toBe(303);
		const duplicate = await makeClaim();
		expect((await retire(duplicate.id, "merge", unreviewed.id)).status).toBe(303);
		// Of a reviewed claim, each is public at once.
		const checked = await makeClaim();
		await publish(checked.id);
		expect((await appearance(checked.id)).status).toBe(303);
		const another = await makeClaim();
		expect((await retire(another.id, "merge", checked.id)).status).toBe(303);

		const removals = (home: string) =>
			activityOf(home, "Recent public changes").filter(
				(li) => li.startsWith("Claim removed") && li.includes(editor.user.name),
			);
		const listed = await (await deskGet(editor, "/desk?lang=en")).text();
		expect(entriesOf(activityOf(listed, "Recent public changes"), unreviewed.id)).toEqual([
			"Duplicate merged into a claim (its addresses lead there)",
			"New appearance of a claim (public at once)",
		]);
		expect(removals(listed)).toHaveLength(1);

		const hidden = await homeWhereHidden(editor);
		expect(entriesOf(activityOf(hidden, "Recent public changes"), unreviewed.id)).toEqual([]);
		expect(removals(hidden)).toEqual([]);
		expect(entriesOf(activityOf(hidden, "Recent public changes"), checked.id)).toEqual([
			"Duplicate merged into a claim (its addresses lead there)",
			"New appearance of a claim (public at once)",
			"Verdict published",
		]);
	});

	it("names a merged duplicate's earlier entries by its words, kept while it is merged, and never once its claim kept is removed", async () => {
		const editor = await account("editor");
		const tag = newId();
		const duplicate = await makeClaim({ text: `The ferry ${tag} stopped running in May.`, language: "en" });
		expect((await addAppearance(editor, duplicate.id)).status).toBe(303);
		const kept = await makeClaim();
		expect((await retireClaim(editor, duplicate.id, "merge", kept.id)).status).toBe(303);

		const links = (home: string) =>
			activityOf(home, "Recent public changes")
				.map((li) => new RegExp(`<a href="/desk/claims/${duplicate.id}">([\\s\\S]*?)</a>`).exec(li)?.[1])
				.filter((link): link is string => link !== undefined);
		// Its link leads to the claim kept (the duplicate's address does), and says which words it had.
		expect(links(await (await deskGet(editor, "/desk?lang=en")).text())).toEqual([
			`New appearance of a claim (public at once): “<bdi lang="en" dir="auto">The ferry ${tag} stopped running in May.</bdi>”`,
		]);

		// The claim kept removed, the duplicate's words went with it: no link, no words.
		expect((await retireClaim(editor, kept.id, "remove")).status).toBe(303);
		const after = await (await deskGet(editor, "/desk?lang=en")).text();
		expect(links(after)).toEqual([]);
		expect(after).not.toContain(tag);
	});
});
