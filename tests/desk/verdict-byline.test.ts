import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { draft, makeClaim, publish, reload } from "../factories";
import { call, json, purgeClaim } from "../helpers";
import { account, apiCall, apiToken, deskGet, deskPost, verdictForm } from "./helpers";

/**
 * A verdict's byline on the desk's claim page: drafter, publisher, date and version joined by
 * " · ". One without a drafter (an import, the system) began with a stray " · "; an imported
 * one now says where it comes from.
 */

const byline = (html: string, verdictId: string) => {
	const card = html.slice(html.indexOf(`id="verdict-${verdictId}"`));
	// Its own line: the evidence links above it have meta lines of their archive (3219bb9).
	const meta = /<p class="meta byline">([\s\S]*?)<\/p>/.exec(card)?.[1] ?? "";
	return meta.replace(/<[^>]+>/g, "");
};

describe("the desk's verdict byline", () => {
	it("starts with what there is: an imported verdict says whose review it is, of which day, and who imported it when", async () => {
		const admin = await account("admin");
		const { token } = await apiToken(admin.user, ["import"]);
		const id = newId();
		// The day the import is run, in the tests' newsroom (Berlin): around midnight, either.
		const today = () =>
			["de-DE", "en-GB"].map((locale) =>
				new Intl.DateTimeFormat(locale, {
					timeZone: "Europe/Berlin",
					day: locale === "de-DE" ? "2-digit" : "numeric",
					month: locale === "de-DE" ? "2-digit" : "short",
					year: "numeric",
				}).format(new Date()),
			);
		const before = today();
		const imported = await apiCall("POST", "/api/v1/import", {
			token,
			body: {
				records: [
					{
						externalId: `byline-${id}`,
						claim: { text: `Die Brücke ${id} ist gesperrt.`, language: "de", claimedAt: "2025-07-01" },
						speaker: { name: `Bürgermeisterin ${id}`, kind: "person" },
						sources: [{ url: `https://news.example/${id}`, title: "Artikel" }],
						verdict: {
							rating: "false",
							originalRating: "Falsch",
							headline: "Die Brücke ist offen",
							url: `https://check.example/${id}`,
							reviewer: "Check Team",
							// 00:30 on 12 July in Berlin, as the partner's CMS writes it: a day, stored
							// as an instant on it (midnight UTC, 02:00 in Berlin), which no one published at.
							publishedAt: "2025-07-11T22:30:00Z",
							language: "de",
						},
					},
				],
			},
		});
		expect(imported.status, await imported.clone().text()).toBe(200);
		const after = today();
		const claimId = (await json<{ results: { claimId: string }[] }>(imported)).results[0]?.claimId ?? "";
		const html = await (await deskGet(admin, `/desk/claims/${claimId}?lang=de`)).text();
		const verdictId = /id="verdict-([0-9a-z]+)"/.exec(html)?.[1] ?? "";
		const line = byline(html, verdictId);
		const name = admin.user.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
		// When it was imported (the day of the run, its time), not the review's stored instant.
		const at = (lang: number) => `(?:${[...new Set([before[lang], after[lang]])].join("|")})`;
		expect(line).toMatch(
			new RegExp(
				`^Prüfung von Check Team \\(check\\.example\\) vom 12\\. Juli 2025 · importiert von ${name} · ${at(0)}, \\d\\d:\\d\\d MES?Z · Version 1$`,
			),
		);
		expect(line).not.toContain("12.07.2025,");

		const en = byline(await (await deskGet(admin, `/desk/claims/${claimId}?lang=en`)).text(), verdictId);
		expect(en).toMatch(
			new RegExp(
				`^Review by Check Team \\(check\\.example\\) of 12 July 2025 · imported by ${name} · ${at(1)}, \\d\\d:\\d\\d CES?T · Version 1$`,
			),
		);
	});

	it("has no stray separator when no one drafted or published the verdict by hand", async () => {
		const editor = await account("editor");
		const claim = await makeClaim();
		const published = await publish(claim.id, "true", { language: "en" });
		const html = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		const line = byline(html, published.id);
		expect(line).not.toMatch(/^\s*·/);
		expect(line).toMatch(/^\d.* · Version \d+$/);
	});

	it("names the drafter first, then the publisher", async () => {
		const editor = await account("editor");
		const claim = await makeClaim();
		const drafted = await deskPost(
			editor,
			`/desk/claims/${claim.id}/verdicts`,
			verdictForm({ rating: "false" }),
		);
		expect(drafted.status).toBe(303);
		const html = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		const verdictId = /id="verdict-([0-9a-z]+)"/.exec(html)?.[1] ?? "";
		expect(byline(html, verdictId)).toBe(`Drafted by ${editor.user.name}`);
	});
});

describe("the version a desk verdict card gives", () => {
	/** The public page's own number of a version: its title ("Version 2 · Superseded"). */
	const publicNumber = async (claimId: string, verdictId: string) => {
		const page = await (await call(`/claims/${claimId}/verdicts/${verdictId}?lang=en`)).text();
		return /<h1 class="version-title">Version (\d+) · /.exec(page)?.[1];
	};

	it("is the number readers see on the public page, and a draft has none", async () => {
		const editor = await account("editor");
		const claim = await makeClaim({ language: "de" });
		// Corrections that keep the headline: only their numbers tell them apart.
		const headline = `Die Brücke ${newId()} ist offen`;
		const first = await publish(claim.id, "false", { headline });
		const second = await publish(claim.id, "false", { headline, correctionNote: "Tippfehler." });
		const third = await publish(claim.id, "false", { headline, correctionNote: "Quelle ergänzt." });
		const open = await draft(claim.id, headline);
		await purgeClaim(claim.id);

		const html = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=de`)).text();
		for (const [verdict, number] of [
			[first, "1"],
			[second, "2"],
			[third, "3"],
		] as const) {
			expect(await publicNumber(claim.id, verdict.id)).toBe(number);
			expect(byline(html, verdict.id)).toMatch(new RegExp(` · Version ${number}$`));
		}
		// A draft is no version yet: its card says "Entwurf", its byline no number.
		expect(byline(html, open.id)).not.toContain("Version");
		// The lock counter stays what the forms send back.
		const lock = (await reload(claim.id)).verdicts.find((v) => v.id === third.id)?.version;
		const card = html.slice(html.indexOf(`id="verdict-${third.id}"`));
		expect(card).toContain(`name="version" value="${lock}"`);
	});

	it("names each card by its state and that number, so corrections keeping the headline are told apart", async () => {
		const editor = await account("editor");
		const claim = await makeClaim({ language: "de" });
		const headline = `Die Brücke ${newId()} ist offen`;
		const first = await publish(claim.id, "false", { headline });
		const second = await publish(claim.id, "false", { headline, correctionNote: "Tippfehler." });
		const third = await publish(claim.id, "false", { headline, correctionNote: "Quelle ergänzt." });
		const open = await draft(claim.id, headline);

		const html = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=de`)).text();
		// Each card is a region named by its heading (aria-labelledby): axe's landmark-unique.
		const names = [...html.matchAll(/<section class="verdict[^"]*" aria-labelledby="([^"]+)">/g)].map((m) => {
			const heading = new RegExp(`<h3 id="${m[1]}">([\\s\\S]*?)</h3>`).exec(html)?.[1] ?? "";
			return heading.replace(/<[^>]+>/g, "");
		});
		expect(names).toEqual([
			`Entwurf: ${headline}`,
			`Version 3 · Veröffentlicht: ${headline}`,
			`Version 2 · Ersetzt: ${headline}`,
			`Version 1 · Ersetzt: ${headline}`,
		]);
		expect(new Set(names).size).toBe(names.length);
		expect(html).toContain(`id="verdict-${open.id}"`);
		for (const verdict of [first, second, third]) expect(html).toContain(`id="verdict-${verdict.id}"`);
		const en = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(en.replace(/<[^>]+>/g, "")).toContain(`Version 2 · Superseded: ${headline}`);
	});

	it("orders the cards by those numbers, newest first after the draft, also when an import published while a draft was open", async () => {
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["import", "verdicts:write", "verdicts:publish"]);
		const id = newId();
		const record = (rating: string, originalRating: string) => ({
			externalId: `order-${id}`,
			claim: { text: `Die Fähre ${id} fährt nicht mehr.`, language: "de", claimedAt: "2025-07-01" },
			speaker: { name: `Landrat ${id}`, kind: "person" },
			sources: [{ url: `https://news.example/${id}`, title: "Artikel" }],
			verdict: {
				rating,
				originalRating,
				headline: `Die Fähre ${id} fährt`,
				url: `https://check.example/${id}`,
				reviewer: "Check Team",
				publishedAt: "2025-07-02",
				language: "de",
			},
		});
		const imported = await apiCall("POST", "/api/v1/import", {
			token,
			body: { records: [record("false", "Falsch")] },
		});
		expect(imported.status, await imported.clone().text()).toBe(200);
		const claimId = (await json<{ results: { claimId: string }[] }>(imported)).results[0]?.claimId ?? "";
		// The desk begins a draft; the publisher's correction comes in while it is open.
		const drafted = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claimId}/verdicts`, {
				token,
				body: {
					rating: "misleading",
					headline: "Irreführend",
					evidence: [{ url: "https://evidence.example/a", title: "A" }],
					language: "de",
				},
			}),
		);
		const corrected = await apiCall("POST", "/api/v1/import", {
			token,
			body: { records: [record("mostly-false", "Größtenteils falsch")] },
		});
		expect((await json<{ results: { status: string }[] }>(corrected)).results[0]?.status).toBe("updated");
		const headings = async () => {
			const html = await (await deskGet(editor, `/desk/claims/${claimId}?lang=de`)).text();
			return [...html.matchAll(/<section class="verdict[^"]*" aria-labelledby="([^"]+)">/g)].map((m) => {
				const heading = new RegExp(`<h3 id="${m[1]}">([\\s\\S]*?)</h3>`).exec(html)?.[1] ?? "";
				return heading.replace(/<[^>]+>/g, "").replace(/:.*/, "");
			});
		};
		expect(await headings()).toEqual(["Entwurf", "Version 2 · Veröffentlicht", "Version 1 · Ersetzt"]);
		const published = await apiCall("POST", `/api/v1/verdicts/${drafted.id}/publish`, {
			token,
			body: { version: drafted.version, correctionNote: "Unsere eigene Prüfung." },
		});
		expect(published.status, await published.clone().text()).toBe(200);
		expect(await headings()).toEqual([
			"Version 3 · Veröffentlicht",
			"Version 2 · Ersetzt",
			"Version 1 · Ersetzt",
		]);
	});
});
