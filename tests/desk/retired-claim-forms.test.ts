import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { makeClaim } from "../factories";
import { call, json } from "../helpers";
import { account, apiCall, apiToken, deskGet, deskPost, verdictForm } from "./helpers";

const TIMEOUT = { timeout: 60_000 };
const versionOf = async (id: string) =>
	(await json<{ version: number }>(await call(`/api/v1/claims/${id}`))).version;

/** The editor's token that merges and removes claims meanwhile. */
async function editorToken() {
	return (await apiToken((await account("editor")).user, ["claims:write"])).token;
}

describe("a desk form posted for a claim merged or removed meanwhile", () => {
	it(
		"merged: the kept claim's page or form holds what was typed, saying nothing was saved; GETs lead there",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const checker = await account("checker");
			const kept = await makeClaim({ language: "en" });
			const duplicate = await makeClaim({ language: "en" });
			// The checker's forms were opened before the merge.
			const editForm = await (await deskGet(checker, `/desk/claims/${duplicate.id}/edit`)).text();
			const merged = await apiCall("POST", `/api/v1/claims/${duplicate.id}/merge`, {
				token,
				body: { into: kept.id, version: await versionOf(duplicate.id), note: "The same claim." },
			});
			expect(merged.status).toBe(200);

			const noteText = `Called the ministry ${newId()}`;
			const note = await deskPost(checker, `/desk/claims/${duplicate.id}/notes?lang=en`, {
				text: noteText,
				_idem: newToken(18),
			});
			expect(note.status).toBe(409);
			const notePage = await note.text();
			expect(notePage).toContain(
				`Claim ${duplicate.id} was merged into this claim meanwhile: nothing was saved.`,
			);
			expect(notePage).toMatch(
				new RegExp(`action="/desk/claims/${kept.id}/notes"[\\s\\S]*<textarea[^>]*>${noteText}</textarea>`),
			);

			const topic = `Harbour ${newId()}`;
			const tags = await deskPost(checker, `/desk/claims/${duplicate.id}/tags`, {
				version: "1",
				tags: topic,
				_idem: newToken(18),
			});
			expect(tags.status).toBe(409);
			expect(await tags.text()).toMatch(new RegExp(`name="tags"[^>]*value="${topic}"`));

			const taken = await deskPost(checker, `/desk/claims/${duplicate.id}/assignee`, {
				assignee: "me",
				_idem: newToken(18),
			});
			expect(taken.status).toBe(409);
			expect(await taken.text()).toContain(`action="/desk/claims/${kept.id}/assignee"`);

			const article = `https://another-paper.example/${newId()}`;
			const appearance = await deskPost(checker, `/desk/claims/${duplicate.id}/appearances`, {
				"source.url": article,
				"source.title": "Another paper",
				quote: "",
				_idem: newToken(18),
			});
			expect(appearance.status).toBe(409);
			expect(await appearance.text()).toContain(`value="${article}"`);
			// The claim form's "add as appearance" (from "New from article") sends its words as
			// `text`, with the anchor and the way back: the re-shown form keeps all of them.
			const restated = `Restated in another paper ${newId()}`;
			const fromClaimForm = await deskPost(checker, `/desk/claims/${duplicate.id}/appearances`, {
				"source.url": article,
				"source.title": "Another paper",
				text: restated,
				anchor: "#:~:text=Restated%20in%20another%20paper",
				intake: "https://news.example/chip-exports.en.html",
				intakeSig: "0123abcd",
				_idem: newToken(18),
			});
			expect(fromClaimForm.status).toBe(409);
			const restatedPage = await fromClaimForm.text();
			expect(restatedPage).toMatch(new RegExp(`<textarea[^>]*name="quote"[^>]*>${restated}</textarea>`));
			expect(restatedPage).toContain('name="anchor" value="#:~:text=Restated%20in%20another%20paper"');
			expect(restatedPage).toContain('name="intake" value="https://news.example/chip-exports.en.html"');
			expect(restatedPage).toContain('name="intakeSig" value="0123abcd"');

			const goEdit = await deskGet(checker, `/desk/claims/${duplicate.id}/edit`);
			expect(goEdit.status).toBe(302);
			expect(goEdit.headers.get("location")).toBe(`/desk/claims/${kept.id}/edit`);
			const reworded = `Reworded before the merge ${newId()}`;
			const edit = await deskPost(checker, `/desk/claims/${duplicate.id}/edit`, {
				version: /name="version" value="(\d+)"/.exec(editForm)?.[1] ?? "",
				"was.text": duplicate.text,
				"was.claimedAt": "2025-07-12",
				"was.language": "en",
				"was.context": "",
				"was.speaker.name": duplicate.speaker?.name ?? "",
				text: reworded,
				claimedAt: "2025-07-12",
				language: "en",
				context: "",
				"speaker.name": duplicate.speaker?.name ?? "",
				note: "",
				_idem: newToken(18),
			});
			expect(edit.status).toBe(409);
			const editPage = await edit.text();
			expect(editPage).toContain("was merged into this claim meanwhile");
			expect(editPage).toContain(`action="/desk/claims/${kept.id}/edit"`);
			expect(editPage).toMatch(new RegExp(`<textarea[^>]*name="text"[^>]*>${reworded}</textarea>`));

			const goDraft = await deskGet(checker, `/desk/claims/${duplicate.id}/verdicts/new`);
			expect(goDraft.status).toBe(302);
			expect(goDraft.headers.get("location")).toBe(`/desk/claims/${kept.id}/verdicts/new`);
			const headline = `Drafted before the merge ${newId()}`;
			const drafted = await deskPost(
				checker,
				`/desk/claims/${duplicate.id}/verdicts`,
				verdictForm({ headline }),
			);
			expect(drafted.status).toBe(409);
			const draftPage = await drafted.text();
			expect(draftPage).toContain("was merged into this claim meanwhile");
			expect(draftPage).toContain(`action="/desk/claims/${kept.id}/verdicts"`);
			expect(draftPage).toContain(`value="${headline}"`);
			// Nothing was written to the kept claim.
			const after = await json<{ text: string; tags: unknown[] }>(await call(`/api/v1/claims/${kept.id}`));
			expect(after.text).toBe(kept.text);
			expect(after.tags).toEqual([]);
		},
	);

	it("removed: a 410 page saying so, in the desk's language", TIMEOUT, async () => {
		const token = await editorToken();
		const checker = await account("checker");
		const claim = await makeClaim({ language: "en" });
		const removed = await apiCall("DELETE", `/api/v1/claims/${claim.id}`, {
			token,
			body: { version: await versionOf(claim.id), reason: "Not a claim." },
		});
		expect(removed.status).toBe(200);
		const note = await deskPost(checker, `/desk/claims/${claim.id}/notes?lang=de`, {
			text: "Zu spät.",
			_idem: newToken(18),
		});
		expect(note.status).toBe(410);
		expect(await note.text()).toContain("Diese Behauptung wurde inzwischen aus dem Verzeichnis entfernt");
		expect((await deskGet(checker, `/desk/claims/${claim.id}/edit`)).status).toBe(410);
		expect((await deskGet(checker, `/desk/claims/${claim.id}/verdicts/new`)).status).toBe(410);
		const drafted = await deskPost(checker, `/desk/claims/${claim.id}/verdicts?lang=en`, verdictForm());
		expect(drafted.status).toBe(410);
		expect(await drafted.text()).toContain(
			"This claim was removed from the tracker meanwhile: nothing was saved.",
		);
		// The merge form opened before the removal: the same page, not "no such claim".
		const editor = await account("editor");
		const kept = await makeClaim({ language: "en" });
		for (const [lang, words] of [
			["en", "This claim was removed from the tracker meanwhile: nothing was saved."],
			["de", "Diese Behauptung wurde inzwischen aus dem Verzeichnis entfernt"],
		] as const) {
			const merged = await deskPost(editor, `/desk/claims/${claim.id}/merge?lang=${lang}`, {
				version: "1",
				into: kept.id,
				note: "Same.",
				confirm: "1",
				_idem: newToken(18),
			});
			expect(merged.status, lang).toBe(410);
			expect(await merged.text(), lang).toContain(words);
		}
	});

	it(
		"removed: a new verdict's form sent then keeps what was typed on a page of its own, as a discarded draft's does (en, de)",
		TIMEOUT,
		async () => {
			const token = await editorToken();
			const checker = await account("checker");
			const claim = await makeClaim({ language: "en" });
			const removed = await apiCall("DELETE", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: await versionOf(claim.id), reason: "Recorded for the wrong person." },
			});
			expect(removed.status).toBe(200);
			const marker = newId();
			const typed = verdictForm({
				headline: `Twenty minutes of research ${marker}`,
				summary: `Air Koryo flies Moscow–Pyongyang twice a week ${marker}.`,
				"evidence.0.url": `https://news.example/${marker}`,
				"evidence.0.title": "Timetable",
			});
			const kept = new RegExp(
				`<textarea[^>]*>[\\s\\S]*Twenty minutes of research ${marker}[\\s\\S]*twice a week ${marker}\\.[\\s\\S]*Timetable &lt;https://news.example/${marker}&gt;[\\s\\S]*</textarea>`,
			);
			for (const [lang, words] of [
				["en", "This claim was removed from the tracker meanwhile: nothing was saved. Your text is below"],
				[
					"de",
					"Diese Behauptung wurde inzwischen aus dem Verzeichnis entfernt: Nichts wurde gespeichert. Ihr Text steht unten",
				],
			] as const) {
				// Saved, "Add another link", and sent without a headline: each keeps the text.
				for (const fields of [
					{ ...typed, _idem: newToken(18) },
					{ ...typed, moreEvidence: "1", _idem: newToken(18) },
					{ ...typed, rating: "", _idem: newToken(18) },
				]) {
					const sent = await deskPost(checker, `/desk/claims/${claim.id}/verdicts?lang=${lang}`, fields);
					expect(sent.status, lang).toBe(410);
					const page = await sent.text();
					expect(page, lang).toContain(words);
					expect(page, lang).toMatch(kept);
					// No form posts it anywhere: there is no claim left to save it to.
					expect(page, lang).not.toContain(`action="/desk/claims/${claim.id}`);
				}
			}
		},
	);
});
