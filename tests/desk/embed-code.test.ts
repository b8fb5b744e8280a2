import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newToken } from "../../src/domain/ids";
import { describeStatus } from "../../src/domain/ratings";
import { makeClaim, publish } from "../factories";
import { BASE, call } from "../helpers";
import { account, deskGet, deskPost, verdictForm } from "./helpers";

/** The text of the textarea with `id`, as the page sends it (HTML-escaped). */
function textarea(html: string, id: string): string {
	const match = new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
	expect(match, id).not.toBeNull();
	return match?.[1] ?? "";
}

const decodeHtml = (text: string) =>
	text
		.replace(/&lt;/g, "<")
		.replace(/&gt;/g, ">")
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, "&");

describe("embed code in the desk", () => {
	it("offers badge HTML, Markdown and the card iframe with a preview on the desk claim page", async () => {
		const claim = await makeClaim({ speaker: { name: "Embed <Person>" }, language: "en" });
		const checker = await account("checker");
		const html = await (await deskGet(checker, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(html).toContain(`/badges/${claim.id}.svg`);
		expect(html).toContain(`&lt;iframe src=&quot;http://claimtrack.test/embed/${claim.id}&quot;`);
		expect(html).toContain(
			`[![Fact check by Claimtrack Demo Desk: claim by Embed &lt;Person&gt;](http://claimtrack.test/badges/${claim.id}.svg)](http://claimtrack.test/claims/${claim.id})`,
		);
		// Its version, its status and its last public change (views/embed-code `previewVersion`).
		expect(html).toMatch(new RegExp(`<iframe src="/embed/${claim.id}\\?v=\\d+-[a-z-]+-[0-9a-z]+"`));
		expect(html).not.toContain("<Person>");
	});

	it("never freezes the status of the moment into the copied code", async () => {
		const claim = await makeClaim({ speaker: { name: "Choe Son-hui" }, language: "en" });
		await publish(claim.id, "misleading");
		const editor = await account("editor");
		for (const lang of ["en", "de"] as const) {
			const html = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=${lang}`)).text();
			const label = describeStatus("misleading", lang).label;
			expect(html).toContain(label); // the page itself shows it
			for (const part of ["html", "md", "card"]) {
				const code = decodeHtml(textarea(html, `embed-${part}-${claim.id}`));
				expect(code, `${lang} ${part}`).not.toContain(label);
				expect(code, `${lang} ${part}`).toContain("Choe Son-hui");
				expect(code, `${lang} ${part}`).toContain("Claimtrack Demo Desk");
			}
			// In the language of the badge it describes, an English claim's, whatever the desk's.
			const badge = decodeHtml(textarea(html, `embed-html-${claim.id}`));
			expect(badge).toContain('alt="Fact check by Claimtrack Demo Desk: claim by Choe Son-hui"');
		}
	});

	it("writes the alt text in the badge's language: the claim's, unless a language is chosen", async () => {
		const claim = await makeClaim({ speaker: { name: "Greta Sprache" }, language: "de" });
		await publish(claim.id, "false");
		const german = 'alt="Faktencheck von Claimtrack Demo Desk: Behauptung von Greta Sprache"';
		const english = 'alt="Fact check by Claimtrack Demo Desk: claim by Greta Sprache"';
		const editor = await account("editor");
		const pages = {
			desk: (query: string) => deskGet(editor, `/desk/claims/${claim.id}?lang=en${query}`),
			public: (query: string) => call(`/claims/${claim.id}?lang=en${query}`),
		};
		for (const [name, get] of Object.entries(pages)) {
			// "auto": the badge has no ?lang= and speaks German, so does its alt text, on an English page.
			const auto = await (await get("")).text();
			const badge = decodeHtml(textarea(auto, `embed-html-${claim.id}`));
			expect(badge, name).toContain(`src="http://claimtrack.test/badges/${claim.id}.svg"`);
			expect(badge, name).toContain(german);
			expect(decodeHtml(textarea(auto, `embed-card-${claim.id}`)), name).toContain(
				'title="Faktencheck von Claimtrack Demo Desk: Behauptung von Greta Sprache"',
			);
			expect(await (await call(`/badges/${claim.id}.svg`)).text()).toContain("Faktencheck");
			const chosen = await (await get("&embedLang=en")).text();
			expect(decodeHtml(textarea(chosen, `embed-html-${claim.id}`)), name).toContain(english);
		}
	});

	it("offers style, language and theme without script, and the code follows the choice", async () => {
		const claim = await makeClaim({ language: "en" });
		const checker = await account("checker");
		const plain = await (await deskGet(checker, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(plain).toContain(
			`<form method="get" action="/desk/claims/${claim.id}#embed-${claim.id}" class="embed-options">`,
		);
		for (const name of ["embedStyle", "embedLang", "embedTheme"]) expect(plain).toContain(`name="${name}"`);
		expect(plain).toContain('<option value="flat" selected="">');
		expect(plain).toContain('<option value="light" selected="">');

		const chosen = await (
			await deskGet(
				checker,
				`/desk/claims/${claim.id}?lang=en&embedStyle=for-the-badge&embedLang=de&embedTheme=auto`,
			)
		).text();
		const badge = decodeHtml(textarea(chosen, `embed-html-${claim.id}`));
		expect(badge).toContain(
			`src="http://claimtrack.test/badges/${claim.id}.svg?style=for-the-badge&amp;lang=de"`,
		);
		expect(badge).toContain('alt="Faktencheck von Claimtrack Demo Desk: Behauptung von ');
		const markdown = decodeHtml(textarea(chosen, `embed-md-${claim.id}`));
		expect(markdown).toContain(`(http://claimtrack.test/badges/${claim.id}.svg?style=for-the-badge&lang=de)`);
		const card = decodeHtml(textarea(chosen, `embed-card-${claim.id}`));
		expect(card).toContain(`<iframe src="http://claimtrack.test/embed/${claim.id}?lang=de&amp;theme=auto"`);
		expect(chosen).toContain('<option value="for-the-badge" selected="">');
		expect(chosen).toContain('<option value="de" selected="">');
		expect(chosen).toContain('<option value="auto" selected="">');
		// the preview shows the same variant
		expect(chosen).toMatch(
			new RegExp(
				`<img src="/badges/${claim.id}\\.svg\\?style=for-the-badge&amp;lang=de&amp;v=\\d+-[a-z-]+-[0-9a-z]+"`,
			),
		);
		expect(chosen).toMatch(
			new RegExp(`<iframe src="/embed/${claim.id}\\?lang=de&amp;theme=auto&amp;v=\\d+-[a-z-]+-[0-9a-z]+"`),
		);

		// anything outside the lists falls back to the defaults
		const hostile = await (
			await deskGet(
				checker,
				`/desk/claims/${claim.id}?embedStyle=${encodeURIComponent('"><script>')}&embedLang=fr&embedTheme=javascript:x`,
			)
		).text();
		const fallback = decodeHtml(textarea(hostile, `embed-card-${claim.id}`));
		expect(fallback).toContain(`<iframe src="http://claimtrack.test/embed/${claim.id}" `);
		expect(decodeHtml(textarea(hostile, `embed-html-${claim.id}`))).toContain(
			`src="http://claimtrack.test/badges/${claim.id}.svg"`,
		);
		expect(hostile).not.toContain("<script>");
		expect(hostile).not.toContain("javascript:x");
	});

	it("versions the preview URLs, so the editor sees the change at once after publishing", async () => {
		const claim = await makeClaim({ language: "en" });
		const editor = await account("editor");
		const drafted = await deskPost(editor, `/desk/claims/${claim.id}/verdicts`, verdictForm());
		expect(drafted.status).toBe(303);
		const verdict = await env.DB.prepare(
			"SELECT id, version FROM verdicts WHERE claim_id = ? AND state = 'draft'",
		)
			.bind(claim.id)
			.first<{ id: string; version: number }>();
		const previews = async (path: string) => {
			const html = await (await deskGet(editor, path)).text();
			const badge = new RegExp(`<img src="/badges/${claim.id}\\.svg\\?v=(\\d+-[a-z-]+-[0-9a-z]+)"`).exec(
				html,
			)?.[1];
			const card = new RegExp(`<iframe src="/embed/${claim.id}\\?v=(\\d+-[a-z-]+-[0-9a-z]+)"`).exec(
				html,
			)?.[1];
			expect(badge, "badge preview version").toBeDefined();
			expect(card).toBe(badge);
			return badge ?? "";
		};
		const before = await previews(`/desk/claims/${claim.id}?lang=en`);
		// the browser caches what it saw before the change
		expect(await (await call(`/badges/${claim.id}.svg?v=${before}`)).text()).toContain("In review");
		const published = await deskPost(editor, `/desk/verdicts/${verdict?.id}/publish`, {
			version: String(verdict?.version),
			_idem: newToken(18),
		});
		expect(published.status).toBe(303);
		const location = new URL(published.headers.get("location") ?? "", BASE);
		expect(location.pathname).toBe(`/desk/claims/${claim.id}`);
		const after = await previews(`${location.pathname}${location.search}`);
		expect(after).not.toBe(before);
		expect(await (await call(`/badges/${claim.id}.svg?v=${after}`)).text()).toContain("False");
		expect(await (await call(`/embed/${claim.id}?v=${after}`)).text()).toContain("North Korean troops");
	});
});
