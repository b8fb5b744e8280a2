import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { makeClaim, publish } from "../factories";
import { call } from "../helpers";

const html = { headers: { Accept: "text/html" } };

describe("the embed panel's preview on a page in another language than the badge's", () => {
	it("marks the badge's alt text with its language and names the card frame in the page's", async () => {
		const name = `Speaker ${newId()}`;
		// An Arabic claim: its badge and card speak English (the default for a language without a UI).
		const claim = await makeClaim({
			text: `ارتفعت صادرات الغاز ${newId()}`,
			language: "ar",
			speaker: { name },
		});
		await publish(claim.id, "false", { language: "ar" });
		const page = await (await call(`/claims/${claim.id}?lang=de`, html)).text();
		expect(page).toMatch(/<img src="\/badges\/[^"]+" alt="Fact check: False" lang="en"\/>/);
		expect(page).toMatch(
			new RegExp(
				`<iframe [^>]*title="Vorschau: Faktencheck von Claimtrack Demo Desk: Behauptung von ${name}"`,
			),
		);
		// The code to copy stays in the badge's language: it ends up on other pages.
		expect(page).toContain(`title=&quot;Fact check by Claimtrack Demo Desk: claim by ${name}&quot;`);
	});
});
