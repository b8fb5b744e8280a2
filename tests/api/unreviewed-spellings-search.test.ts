import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { newId } from "../../src/domain/ids";
import { SYSTEM } from "../../src/store/batch";
import { mergeSpeakers } from "../../src/store/speaker-edits";
import { account, deskGet } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { BASE, call, json, testDb } from "../helpers";

/**
 * With `PUBLIC_UNREVIEWED = "hide"`, a merged speaker only unreviewed claims named was never
 * public (`speaker_aliases.was_public`), and neither are its spellings: a public search by one
 * must not find the survivor's claims, which would tell that the person was merged into them.
 * The desk's search finds them, and where unreviewed claims are listed they were public.
 */
async function hidden(path: string): Promise<Response> {
	const ctx = createExecutionContext();
	const response = await app.fetch(new Request(`${BASE}${path}`), { ...env, PUBLIC_UNREVIEWED: "hide" }, ctx);
	await waitOnExecutionContext(ctx);
	return response;
}

const ids = async (response: Response) =>
	(await json<{ data: { id: string }[] }>(response)).data.map((c) => c.id);

describe("a never-public merged speaker's spellings in search", () => {
	it("find nothing in public where unreviewed claims are hidden, and find the claim on the desk and where they are listed", {
		timeout: 60_000,
	}, async () => {
		const tag = newId();
		const secret = `Zorbiq${tag}`;
		const known = `Quellmar${tag}`;
		const kept = await makeClaim({
			text: `The minister ${tag} said the levy doubled.`,
			language: "en",
			speaker: { name: `Kept Minister ${tag}` },
		});
		await publish(kept.id, "false", { language: "en" });
		const unseen = await makeClaim({ speaker: { name: `${secret} Private` } });
		const seen = await makeClaim({ speaker: { name: `${known} Aide` } });
		await publish(seen.id);
		const into = kept.speaker?.slug ?? "";
		for (const merged of [unseen, seen])
			await mergeSpeakers(testDb(), SYSTEM("test"), merged.speaker?.slug ?? "", into);

		for (const q of [secret, `${secret.slice(0, 12)}*`, `"${secret} Private"`, `minister ${secret}`]) {
			// Neither the survivor's own claim nor the one that came with the public speaker.
			const query = encodeURIComponent(q);
			expect(await ids(await hidden(`/api/v1/claims?q=${query}`)), q).toEqual([]);
			expect(await ids(await hidden(`/api/v1/claims?q=${query}&sort=recent`)), q).toEqual([]);
			// Google's search of a text it finds nothing for asks the matcher, which compares the
			// claims' words (here "minister"), not speakers: asked the spelling alone.
			const google = q.includes(" ") ? [] : [`/v1alpha1/claims:search?query=${query}`];
			for (const path of [...google, `/claims?q=${query}&lang=en`]) {
				const text = await (await hidden(path)).text();
				for (const id of [kept.id, seen.id]) expect(text, path).not.toContain(id);
			}
		}
		// Leaving the name out must not tell either: the claim is still found without it.
		expect(
			await ids(await hidden(`/api/v1/claims?q=${encodeURIComponent(`minister ${tag} -${secret}`)}`)),
		).toContain(kept.id);
		// A spelling that was public (a reviewed claim named it) and the survivor's own name still find it.
		for (const q of [known, `Kept Minister ${tag}`])
			expect(await ids(await hidden(`/api/v1/claims?q=${encodeURIComponent(q)}`)), q).toContain(kept.id);

		// Where unreviewed claims are listed, the spelling was public: found as before.
		expect(await ids(await call(`/api/v1/claims?q=${secret}`))).toContain(kept.id);
		expect(await ids(await call(`/api/v1/claims?q=${secret}&sort=recent`))).toContain(kept.id);
		expect(await (await call(`/v1alpha1/claims:search?query=${secret}`)).text()).toContain(kept.id);
		// The desk finds the claim by every spelling.
		const editor = await account("editor");
		const desk = await (await deskGet(editor, `/desk?q=${secret}&lang=en`)).text();
		expect(desk).toContain(`/desk/claims/${kept.id}`);
	});

	it("keep their plain spelling (ł as l) out of the public search too, and find by it elsewhere", {
		timeout: 60_000,
	}, async () => {
		const tag = newId();
		const kept = await makeClaim({
			text: `The governor ${tag} said the bridge was sold.`,
			language: "en",
			speaker: { name: `Kept Governor ${tag}` },
		});
		await publish(kept.id, "false", { language: "en" });
		const unseen = await makeClaim({ speaker: { name: `Zbigniew Wałbrzyk${tag}` } });
		await mergeSpeakers(testDb(), SYSTEM("test"), unseen.speaker?.slug ?? "", kept.speaker?.slug ?? "");
		const plain = `Walbrzyk${tag}`;
		for (const q of [plain, `Wałbrzyk${tag}`, `governor ${plain}`]) {
			const query = encodeURIComponent(q);
			expect(await ids(await hidden(`/api/v1/claims?q=${query}`)), q).toEqual([]);
			expect(await ids(await hidden(`/api/v1/claims?q=${query}&sort=recent`)), q).toEqual([]);
			expect(await (await hidden(`/claims?q=${query}&lang=en`)).text(), q).not.toContain(kept.id);
		}
		expect(await (await hidden(`/v1alpha1/claims:search?query=${plain}`)).text()).not.toContain(kept.id);
		// The plain spelling is indexed: where unreviewed claims are listed, and on the desk, it finds the claim.
		expect(await ids(await call(`/api/v1/claims?q=${plain}`))).toContain(kept.id);
		const editor = await account("editor");
		expect(await (await deskGet(editor, `/desk?q=${plain}&lang=en`)).text()).toContain(
			`/desk/claims/${kept.id}`,
		);
	});
});
