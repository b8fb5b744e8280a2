import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { edit, makeClaim, publish, reload, retract } from "../factories";
import { call } from "../helpers";

const html = { headers: { Accept: "text/html" } };

/** The stylesheet's rules as selector lists and declarations (rules inside @media read as top-level). */
async function stylesheetRules(): Promise<{ selectors: string[]; body: string }[]> {
	const css = (await (await call("/assets/app.css")).text()).replace(/\/\*[\s\S]*?\*\//g, "");
	return [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((m) => ({
		selectors: (m[1] ?? "").split(",").map((s) => s.trim()),
		body: m[2] ?? "",
	}));
}

type Rule = { selectors: string[]; body: string };

/** Whether a rule naming `selector` itself lets its text break anywhere. */
function breaksAnywhere(rules: Rule[], selector: string): boolean {
	return rules.some((r) => r.selectors.includes(selector) && /overflow-wrap:\s*anywhere/.test(r.body));
}

/** The selectors of rules that set `property` to anything but `value`. */
function setOtherwise(rules: Rule[], property: string, value: string): string[] {
	const declaration = new RegExp(`${property}:\\s*([a-z-]+)`);
	return rules.flatMap((r) => {
		const set = declaration.exec(r.body)?.[1];
		return set && set !== value ? r.selectors : [];
	});
}

/*
 * Set once on body and inherited, so every text a person typed breaks where it must; turned
 * off again only for our own words (column headers, a desk table's terms), and words are
 * split mid-word (word-break) only in code, hashes and preformatted text.
 */
async function expectBreaksEverywhere(): Promise<void> {
	const rules = await stylesheetRules();
	expect(breaksAnywhere(rules, "body")).toBe(true);
	expect(setOtherwise(rules, "overflow-wrap", "anywhere").sort()).toEqual(
		// td.whole: the API docs' field names and types, code a developer copies whole (e85a6f4).
		[".deliveries td", ".deliveries th", "td.whole", "td.whole code", "td.word", "th"].sort(),
	);
	expect(setOtherwise(rules, "word-break", "normal").sort()).toEqual(
		[".hash", "code.url", "pre", "td code"].sort(),
	);
}

/** The part of a page inside <main> (every text there inherits body's wrapping; no th in it). */
function mainOf(page: string): string {
	const main = page.slice(page.indexOf("<main"), page.indexOf("</main>"));
	expect(main).not.toContain("<th");
	return main;
}

/*
 * One unbroken run (a URL) is as wide as it is long: at 360 px each place a page shows
 * one must be allowed to break it, or the page scrolls sideways. Measured with Chromium
 * when this was fixed; here the rule and the markup it hangs on.
 */
describe("a phone-wide page with long unbroken text", () => {
	it("breaks a source's address, a verdict headline and a list's meta line", async () => {
		await expectBreaksEverywhere();

		// The source's address without tracking parameters (they are stripped on the way in).
		const url = `https://news.example/2025/07/12/${newId()}-MID_RF-status-1944718281234521126-share-x-com-long-path`;
		const claim = await makeClaim({ sourceUrl: url, sourceTitle: null });
		const headline = "https://x.com/MID_RF/status/1944718281234521126?utm_source=share&utm_medium=copy";
		await publish(claim.id, "false", { headline });

		const source = await (await call(`/sources/${claim.appearances[0]?.sourceId}`, html)).text();
		expect(source).toContain(`<p class="url"><a href="${url}" rel="noopener nofollow">${url}</a></p>`);

		const page = await (await call(`/claims/${claim.id}?lang=en`, html)).text();
		// A source without a title shows its address as the link's text.
		expect(page).toMatch(new RegExp(`<a class="url" href="[^"]*"[^>]*>${url.replaceAll(".", "\\.")}</a>`));
		expect(page).toContain(
			`<h2 id="verdict-h" lang="de" dir="auto">${headline.replaceAll("&", "&amp;")}</h2>`,
		);

		const list = await (await call("/claims?lang=en", html)).text();
		const item = list.split("<li>").find((li) => li.includes(`/claims/${claim.id}`)) ?? "";
		expect(item).toMatch(/<span class="meta">[\s\S]*x\.com\/MID_RF/);
		expect(list).toContain('<ul class="claims">');
	});

	it("breaks a summary, the corrections log, notes, old and new wording and a speaker's description", async () => {
		await expectBreaksEverywhere();
		// One unbroken run each, no "&" (kept as written in the page, unescaped).
		const run = (what: string) =>
			`https://x.com/MID_RF/status/1944718281234521126/${what}?utm_source=share_${newId()}_copy_link_tracking_words_glued_together`;
		const texts = {
			description: run("description"),
			alias: run("alias"),
			summary: run("summary"),
			correction: run("correction"),
			oldWording: run("old-wording"),
			wording: run("wording"),
			context: run("context"),
			editNote: run("edit-note"),
			retraction: run("retraction"),
		};
		const claim = await makeClaim({
			text: texts.oldWording,
			speaker: { name: `Speaker ${newId()}`, description: texts.description, aliases: [texts.alias] },
		});
		await publish(claim.id, "false");
		await publish(claim.id, "misleading", { summary: texts.summary, correctionNote: texts.correction });
		const { version, speaker } = await reload(claim.id);
		await edit(claim.id, { version, text: texts.wording, context: texts.context, note: texts.editNote });

		const page = mainOf(await (await call(`/claims/${claim.id}?lang=en`, html)).text());
		expect(page).toContain(`<bdi lang="de">${texts.context}</bdi>`);
		expect(page).toContain(`<p lang="de" dir="auto">${texts.summary}</p>`);
		const log = page.slice(page.indexOf('<ol class="history">'));
		expect(log).toContain(`<bdi lang="de">${texts.correction}</bdi>`);
		// The wording changed in a part of it: shown in place (views/word-diff), old and new whole in it.
		const diffAt = page.indexOf('<span class="word-diff" lang="de" dir="auto">');
		expect(diffAt).toBeGreaterThan(0);
		const diff = page
			.slice(diffAt, page.indexOf('<p class="meta"', diffAt))
			.replace(/<span class="visually-hidden"[^>]*>[^<]*<\/span>/g, "");
		const wordingOf = (without: "ins" | "del") =>
			diff.replace(new RegExp(`<${without}>.*?</${without}>`, "g"), "").replace(/<[^>]+>/g, "");
		expect(wordingOf("ins")).toBe(texts.oldWording);
		expect(wordingOf("del")).toBe(texts.wording);
		expect(page).toContain(`<ins lang="de" dir="auto">${texts.context}</ins>`);
		expect(page).toContain(`<p class="meta" dir="auto">${texts.editNote}</p>`);

		const speakerPage = mainOf(await (await call(`/speakers/${speaker?.slug}?lang=en`, html)).text());
		expect(speakerPage).toContain(`<p dir="auto">${texts.description}</p>`);
		expect(speakerPage).toContain(`<bdi>${texts.alias}</bdi>`);

		const withdrawn = await makeClaim();
		const verdict = await publish(withdrawn.id, "false");
		await retract(verdict.id, verdict.version, texts.retraction);
		const retracted = mainOf(await (await call(`/claims/${withdrawn.id}?lang=en`, html)).text());
		expect(retracted).toContain(`<section class="notice retracted"`);
		expect(retracted.split(texts.retraction).length - 1).toBe(2);
	});
});

/*
 * The claim search's hint (its placeholder) was cut at 360 px: "Behauptungen, Personen,"
 * (336 px of text in a 220 px box beside the button, DejaVu Sans). Measured with Chromium
 * at 320–1280 px when this was fixed; here the rule and the words it was measured with.
 */
describe("the claim search on a phone", () => {
	it("gives the box the row, the button under it, and a German hint that fits it", async () => {
		const rules = await stylesheetRules();
		const box = rules.find((r) => r.selectors.includes("form.search input[type=search]"));
		// 18rem: below ~26rem wide the box no longer fits beside the button and takes the row.
		expect(box?.body).toBe("flex:1 1 18rem");
		for (const [path, hint] of [
			["/claims?lang=de", "Behauptung, Person oder Quelle"],
			["/?lang=de", "Behauptung, Person oder Quelle"],
			["/claims?lang=en", "Search claims, speakers, sources"],
		] as const) {
			const page = await (await call(path, html)).text();
			expect(page, path).toContain(`placeholder="${hint}"`);
		}
	});
});
