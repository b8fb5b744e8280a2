import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { makeClaim } from "../factories";
import { json } from "../helpers";
import { account, apiCall, apiToken, claimForm, deskGet, deskPost, hidden } from "./helpers";

/**
 * The error summaries of the claim edit, speaker edit and topic rename forms were given no
 * labels: each link read only the message ("Required."), not which field it was about. They
 * now name the field first, as the new-claim form's summary does.
 */

function summaryLinks(html: string): string[] {
	const summary =
		/<div class="notice error" role="alert" id="error-summary" tabindex="-1" autofocus="">([\s\S]*?)<\/div>/.exec(
			html,
		)?.[1] ?? "";
	return [...summary.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]}`);
}

const idem = () => ({ _idem: newToken(18) });

describe("error summaries name the field of each problem", () => {
	for (const lang of ["en", "de"] as const) {
		const q = lang === "de" ? "?lang=de" : "";
		const label = {
			name: "Name",
			nameEn: lang === "en" ? "English name" : "Englischer Name",
		};

		it(`claim edit (${lang})`, async () => {
			const checker = await account("checker");
			const claim = await makeClaim();
			const form = await (await deskGet(checker, `/desk/claims/${claim.id}/edit`)).text();
			const refused = await deskPost(checker, `/desk/claims/${claim.id}/edit${q}`, {
				version: hidden(form, "version") ?? "",
				text: "",
				claimedAt: "",
				language: "en",
				context: "",
				"speaker.name": claim.speaker?.name ?? "",
				note: "",
				...idem(),
			});
			expect(refused.status).toBe(422);
			const links = summaryLinks(await refused.text());
			expect(links.length).toBeGreaterThan(0);
			const text = links.find((link) => link.startsWith("f-text "));
			expect(text, links.join("\n")).toBeDefined();
			expect(text).toMatch(/^f-text [^:]+: /);
		});

		it(`speaker edit (${lang})`, async () => {
			const editor = await account("editor");
			const claim = await makeClaim({ speaker: { name: `Labelled ${newId()}` } });
			const slug = claim.speaker?.slug ?? "";
			const form = await (await deskGet(editor, `/desk/speakers/${slug}`)).text();
			const refused = await deskPost(editor, `/desk/speakers/${slug}${q}`, {
				version: hidden(form, "version") ?? "",
				name: "",
				kind: "person",
				description: "",
				wikidataId: "",
				aliases: "",
				...idem(),
			});
			expect(refused.status).toBe(422);
			const links = summaryLinks(await refused.text());
			expect(
				links.find((link) => link.startsWith("f-name ")),
				links.join("\n"),
			).toMatch(new RegExp(`^f-name ${label.name}: `));
		});

		it(`topic rename (${lang})`, async () => {
			const editor = await account("editor");
			const { token } = await apiToken(editor.user, ["claims:write"]);
			const claim = await makeClaim();
			const saved = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: claim.version, tags: [`Labelled ${newId()}`] },
			});
			expect(saved.status).toBe(200);
			const slug = (await json<{ tags: { slug: string }[] }>(saved)).tags[0]?.slug ?? "";
			const refused = await deskPost(editor, `/desk/topics/${slug}${q}`, {
				nameEn: "",
				nameDe: "Brücke",
				...idem(),
			});
			expect(refused.status).toBe(422);
			const links = summaryLinks(await refused.text());
			expect(
				links.find((link) => link.startsWith("f-nameEn ")),
				links.join("\n"),
			).toMatch(new RegExp(`^f-nameEn ${label.nameEn}: `));
		});

		it(`new claim: the speaker's name is the speaker's, not just "Name" (${lang})`, async () => {
			const checker = await account("checker");
			const refused = await deskPost(
				checker,
				`/desk/claims${q}`,
				claimForm({ "speaker.name": "N".repeat(301) }),
			);
			expect(refused.status).toBe(422);
			const links = summaryLinks(await refused.text());
			// The summary stands above the form, outside its "Speaker" legend.
			expect(
				links.find((link) => link.startsWith("f-speaker-name ")),
				links.join("\n"),
			).toMatch(new RegExp(`^f-speaker-name ${lang === "en" ? "Speaker" : "Sprecher/in"}: `));
		});
	}
});
