import { describe, expect, it } from "vitest";
import { makeClaim } from "../factories";
import { account, deskGet } from "./helpers";

describe("embed code in the desk", () => {
	it("offers badge HTML, Markdown and the card iframe with a preview on the desk claim page", async () => {
		const claim = await makeClaim({ speaker: { name: "Embed <Person>" } });
		const checker = await account("checker");
		const html = await (await deskGet(checker, `/desk/claims/${claim.id}`)).text();
		expect(html).toContain(`/badges/${claim.id}.svg`);
		expect(html).toContain(`&lt;iframe src=&quot;http://claimtrack.test/embed/${claim.id}&quot;`);
		expect(html).toContain(
			`[![Fact check: — Embed &lt;Person&gt;](http://claimtrack.test/badges/${claim.id}.svg)]`,
		);
		expect(html).toContain(`<iframe src="/embed/${claim.id}"`);
		expect(html).not.toContain("<Person>");
	});
});
