import { describe, expect, it } from "vitest";
import { makeClaim } from "../factories";
import { account, deskGet } from "./helpers";

/**
 * The verdict form's evidence hint ("a link and its title per source…") had no id and nothing
 * referred to it: a screen reader entering the evidence group never heard it. The group now
 * names it in aria-describedby.
 */
describe("the verdict form's evidence hint", () => {
	for (const lang of ["en", "de"] as const) {
		it(`describes the evidence group (${lang})`, async () => {
			const checker = await account("checker");
			const claim = await makeClaim();
			const html = await (
				await deskGet(checker, `/desk/claims/${claim.id}/verdicts/new${lang === "de" ? "?lang=de" : ""}`)
			).text();
			const described = /<fieldset id="f-evidence" aria-describedby="([^"]+)">/.exec(html)?.[1];
			expect(described).toBeDefined();
			for (const id of (described ?? "").split(" "))
				expect(html).toMatch(new RegExp(`<p class="hint" id="${id}">`));
		});
	}
});
