import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { makeClaim, publish } from "../factories";
import { call } from "../helpers";

const html = { headers: { Accept: "text/html" } };

/** The search form's fields as the browser sends them: name → value. */
function formFields(page: string): Record<string, string> {
	const form = /<form class="search"[\s\S]*?<\/form>/.exec(page)?.[0] ?? "";
	return Object.fromEntries(
		[...form.matchAll(/<input\b[^>]*>/g)].map((m) => [
			/name="([^"]*)"/.exec(m[0])?.[1] ?? "",
			/value="([^"]*)"/.exec(m[0])?.[1] ?? "",
		]),
	);
}

describe("/claims filtered by status", () => {
	it("says which status it shows, links to the list without it and keeps it through the next search", async () => {
		const word = `w${newId()}`;
		const claim = await makeClaim({ text: `Der Hafen ${word} ist geschlossen` });
		await publish(claim.id, "false");

		const en = await (await call(`/claims?q=${word}&status=false&lang=en`, html)).text();
		expect(en).toContain(`/claims/${claim.id}`);
		expect(en).toContain(
			`<p class="meta status-filter">Only claims with the status <a class="rating status-false" href="/ratings#false">False</a> · <a href="/claims?q=${word}&amp;lang=en">Remove filter</a></p>`,
		);
		expect(formFields(en)).toEqual({ lang: "en", status: "false", q: word });

		const de = await (await call(`/claims?status=unverified&cursor=x&lang=de`, html)).text();
		expect(de).toContain(
			'<p class="meta status-filter">Nur Behauptungen mit dem Status <a class="rating status-unverified" href="/ratings#unverified">Ungeprüft</a> · <a href="/claims?lang=de">Filter aufheben</a></p>',
		);
		expect(formFields(de)).toEqual({ lang: "de", status: "unverified", q: "" });

		// Unfiltered (or with a status that is none of ours): no line, no hidden field.
		for (const path of ["/claims?lang=en", "/claims?status=bogus&lang=en"]) {
			const page = await (await call(path, html)).text();
			expect(page, path).not.toContain("status-filter");
			expect(formFields(page), path).toEqual({ lang: "en", q: "" });
		}
	});
});
