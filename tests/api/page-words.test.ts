import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, sha256Hex } from "../../src/domain/ids";
import { uploadKey } from "../../src/domain/snapshots";
import { edit, makeClaim, publish, reload, retract } from "../factories";
import { call, json } from "../helpers";

/** The public pages in the reader's language, with other languages' words marked as such. */

const html = { headers: { Accept: "text/html" } };

describe("labels stay in the page's language beside a verdict in another", () => {
	it("keeps 'Zurückgezogen, weil' and 'Korrektur' outside the English note's element", async () => {
		const claim = await makeClaim({ language: "de" });
		await publish(claim.id, "false", { language: "en", headline: "First take" });
		const corrected = await publish(claim.id, "half-true", {
			language: "en",
			headline: "Second take",
			correctionNote: "A new source was found.",
		});
		await retract(corrected.id, corrected.version, "Withdrawn: forged source.");
		const page = await (await call(`/claims/${claim.id}?lang=de`, html)).text();
		// The retraction notice and the history.
		expect(
			page.match(/<strong>Zurückgezogen, weil:<\/strong> <bdi lang="en">Withdrawn: forged source\.<\/bdi>/g),
		).toHaveLength(2);
		expect(page).toContain('<strong>Korrektur:</strong> <bdi lang="en">A new source was found.</bdi>');
		// No element in English holds a German label.
		expect(page).not.toMatch(/lang="en"[^>]*>\s*<strong>/);
		const version = await (await call(`/claims/${claim.id}/verdicts/${corrected.id}?lang=de`, html)).text();
		expect(version).toContain(
			'<strong>Zurückgezogen, weil:</strong> <bdi lang="en">Withdrawn: forged source.</bdi>',
		);
	});
});

describe("changes to the claim", () => {
	it("show dates as dates, languages by name and each wording in its own language", async () => {
		const claim = await makeClaim({
			language: "de",
			text: `Die Luftverbindungen seien wiederhergestellt ${newId()}`,
		});
		await publish(claim.id, "false");
		const text = `The air links are restored ${newId()}`;
		await edit(claim.id, {
			version: (await reload(claim.id)).version,
			text,
			language: "en",
			claimedAt: "2025-07-11",
			note: "Quoted from the English transcript.",
		});
		const page = await (await call(`/claims/${claim.id}?lang=de`, html)).text();
		const changes = page.slice(page.indexOf('id="changes-h"'));
		expect(changes).toContain("Datum der Aussage: <del>12. Juli 2025</del> → <ins>11. Juli 2025</ins>");
		expect(changes).toContain("Sprache: <del>Deutsch</del> → <ins>Englisch</ins>");
		expect(changes).toContain(`<del lang="de" dir="auto">${claim.text}</del>`);
		expect(changes).toContain(`<ins lang="en" dir="auto">${text}</ins>`);
		expect(changes).not.toMatch(/2025-07-1[12]/);
		// The claim's JSON says its changes in the same words.
		const summaries = (
			await json<{ changes: { summary: string }[] }>(await call(`/api/v1/claims/${claim.id}?lang=de`))
		).changes.map((c) => c.summary);
		expect(summaries).toContain("Datum der Aussage: 12. Juli 2025 → 11. Juli 2025");
		expect(summaries).toContain("Sprache: Deutsch → Englisch");
		const english = await (await call(`/claims/${claim.id}?lang=en`, html)).text();
		expect(english).toContain("Language: <del>German</del> → <ins>English</ins>");
		expect(english).toContain("<del>12 July 2025</del>");
		// A later edit of the wording alone is in the language the claim has by then.
		await edit(claim.id, {
			version: (await reload(claim.id)).version,
			text: `${text}, they say`,
			note: "Fuller quote.",
		});
		const later = await (await call(`/claims/${claim.id}?lang=de`, html)).text();
		expect(later).toContain(`<del lang="de" dir="auto">${claim.text}</del>`);
		// The wording kept is shown once, the words changed in place (views/word-diff).
		const id = text.split(" ").at(-1);
		expect(later).toContain(
			`<span class="word-diff" lang="en" dir="auto">The air links are restored ${id}<ins><span class="visually-hidden" lang="de" dir="ltr">[eingefügt: </span>, they say<span class="visually-hidden" lang="de" dir="ltr">]</span></ins></span>`,
		);
	});
});

describe("a wording changed in a word or two", () => {
	it("shows that word struck through and its replacement, not the whole quote twice, on the claim page in both languages", async () => {
		const quote = `Lawrow sagte in Wŏnsan ${newId()}, die Nazis hätten im Gebiet Kursk Verbrechen begangen, und Nordkorea habe geholfen.`;
		const claim = await makeClaim({ language: "de", text: quote });
		await publish(claim.id, "false");
		await edit(claim.id, {
			version: (await reload(claim.id)).version,
			text: quote.replace("die Nazis", "die Neonazis"),
			note: "Wortlaut nach dem Video korrigiert.",
		});
		const page = await (await call(`/claims/${claim.id}?lang=en`, html)).text();
		const changes = page.slice(page.indexOf('id="changes-h"'));
		expect(changes, changes.slice(0, 2000)).toContain('<span class="word-diff" lang="de" dir="auto">');
		const shown = changes.slice(changes.indexOf('class="word-diff"'), changes.indexOf("</li>"));
		expect(shown.match(/<del>/g)).toHaveLength(1);
		expect(shown.match(/<ins>/g)).toHaveLength(1);
		expect(shown).toContain(
			'<del><span class="visually-hidden" lang="en" dir="ltr">[deleted: </span>Nazis<span class="visually-hidden" lang="en" dir="ltr">]</span></del>',
		);
		expect(shown).toContain(
			'<ins><span class="visually-hidden" lang="en" dir="ltr">[inserted: </span>Neonazis<span class="visually-hidden" lang="en" dir="ltr">]</span></ins>',
		);
		// The quote is on the page once in the changes, not struck through whole and written again.
		expect(shown.split("Nordkorea habe geholfen.")).toHaveLength(2);
		expect(changes).not.toContain(`<del lang="de" dir="auto">${quote}</del>`);
		const german = await (await call(`/claims/${claim.id}?lang=de`, html)).text();
		expect(german).toContain("[gestrichen: </span>Nazis");
		expect(german).toContain("[eingefügt: </span>Neonazis");
		// The API keeps both wordings whole.
		const answer = await json<{ changes: { field: string; from: string | null; to: string | null }[] }>(
			await call(`/api/v1/claims/${claim.id}`),
		);
		expect(JSON.stringify(answer.changes)).toContain(quote);
	});
});

describe("attachments", () => {
	it("describe an image without a caption by its place, not by a generated file name", async () => {
		const claim = await makeClaim({ language: "de" });
		await publish(claim.id, "false");
		const ids = [newId(), newId()];
		for (const [index, id] of ids.entries()) {
			// Its bytes too: the evidence archive's backup test, in the same runtime, reads every object a row names.
			const bytes = new Uint8Array([1, 2, 3]);
			await env.ARCHIVE.put(uploadKey(id), bytes);
			await env.DB.prepare(
				"INSERT INTO uploads (id, claim_id, filename, content_type, sha256, bytes, caption, is_public, created_at) VALUES (?, ?, 'IMG_1.png', 'image/png', ?, 3, ?, 1, ?)",
			)
				.bind(
					id,
					claim.id,
					await sha256Hex(bytes),
					index === 0 ? "Screenshot of the post" : null,
					`2025-07-1${index + 2}T00:00:00Z`,
				)
				.run();
		}
		const page = await (await call(`/claims/${claim.id}?lang=de`, html)).text();
		expect(page).toContain('alt="Screenshot of the post"');
		expect(page).toContain('<figcaption dir="auto">Screenshot of the post</figcaption>');
		expect(page).toContain('alt="Anhang 2 des Faktenchecks, ohne Beschreibung"');
		expect(page).not.toContain(`attachment-${ids[1]}`);
		expect(page.match(/<figcaption/g)).toHaveLength(1);
		const english = await (await call(`/claims/${claim.id}?lang=en`, html)).text();
		expect(english).toContain('alt="Attachment 2 of the fact-check, without description"');
	});
});

describe("API documentation on a German page", () => {
	it("translates the page around the document and marks the document's English", async () => {
		const page = await (await call("/api/docs?lang=de", html)).text();
		expect(page).toContain('<html lang="de">');
		expect(page).toContain("<h1>API-Dokumentation</h1>");
		expect(page).toContain('<th scope="col">Beschreibung</th>');
		expect(page).not.toContain("Bearer token required.");
		expect(page).not.toContain("Reads are public");
		// Each operation's English text is marked English.
		expect(page).toMatch(/<p lang="en">The embeddable card of a claim/);
		expect(page).toMatch(/<td lang="en">[^<]+<\/td>/);
	});
});
