import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { account, deskGet } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { call, purgeClaim } from "../helpers";

const html = { headers: { Accept: "text/html" } };

/** A source whose own copy we could not make, with Save Page Now's capture as its archivedUrl. */
async function claimWithCapture() {
	const url = `https://vanished.example/article-${newId()}`;
	const claim = await makeClaim({ sourceUrl: url, language: "en" });
	const capture = `https://web.archive.org/web/20261204120000/${url}`;
	await env.DB.prepare("UPDATE sources SET archived_url = ? WHERE url = ?").bind(capture, url).run();
	// The factory's snapshot of the address is not stored: only the capture is there.
	await env.DB.prepare("DELETE FROM snapshots WHERE url = ?").bind(url).run();
	const verdict = await publish(claim.id, "false", { language: "en" });
	await purgeClaim(claim.id);
	const sourceId = claim.appearances[0]?.source.id ?? "";
	return { claim, verdict, url, capture, sourceId };
}

describe("a source's copy elsewhere (archivedUrl) on the pages", () => {
	it("is linked beside the appearance on the claim page and the source page, in English and German", {
		timeout: 30_000,
	}, async () => {
		const { claim, capture, sourceId } = await claimWithCapture();
		const link = `<a href="${capture}" rel="noopener nofollow" class="archived">`;
		const en = await (await call(`/claims/${claim.id}?lang=en`, html)).text();
		expect(en).toContain(`${link}copy at Internet Archive</a>`);
		const de = await (await call(`/claims/${claim.id}?lang=de`, html)).text();
		expect(de).toContain(`${link}Kopie bei Internet Archive</a>`);
		const source = await (await call(`/sources/${sourceId}?lang=en`, html)).text();
		expect(source).toContain(`${link}copy at Internet Archive</a>`);
	});

	it("is linked beside a verdict's evidence that is one of the claim's sources, on the version page too", {
		timeout: 30_000,
	}, async () => {
		const { claim, url, capture } = await claimWithCapture();
		const verdict = await publish(claim.id, "half-true", { language: "en", correctionNote: "More." });
		await env.DB.prepare("UPDATE verdicts SET evidence = ? WHERE id = ?")
			.bind(JSON.stringify([{ url, title: "The vanished article" }]), verdict.id)
			.run();
		await purgeClaim(claim.id);
		const page = await (await call(`/claims/${claim.id}/verdicts/${verdict.id}?lang=en`, html)).text();
		expect(page).toContain(
			`<a href="${capture}" rel="noopener nofollow" class="archived">copy at Internet Archive</a>`,
		);
	});

	it("is shown (read-only) in the desk beside the appearance", { timeout: 30_000 }, async () => {
		const { claim, capture } = await claimWithCapture();
		const checker = await account("checker");
		const page = await (await deskGet(checker, `/desk/claims/${claim.id}?lang=de`)).text();
		expect(page).toContain(
			`<a href="${capture}" rel="noopener nofollow" class="archived">Kopie bei Internet Archive</a>`,
		);
	});

	it("is not a link unless it is an http(s) address", { timeout: 30_000 }, async () => {
		const { claim, url } = await claimWithCapture();
		await env.DB.prepare("UPDATE sources SET archived_url = ? WHERE url = ?")
			.bind("javascript:alert(1)", url)
			.run();
		await purgeClaim(claim.id);
		const page = await (await call(`/claims/${claim.id}?lang=en`, html)).text();
		expect(page).not.toContain('href="javascript');
		expect(page).not.toContain("copy at");
	});
});
