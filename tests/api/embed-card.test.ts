import { describe, expect, it } from "vitest";
import { claimCacheKeys } from "../../src/lib/edge-cache";
import { makeClaim, publish } from "../factories";
import { call } from "../helpers";

/** The card's one stylesheet, as sent. */
function styleOf(html: string): string {
	const match = /<style>([\s\S]*?)<\/style>/.exec(html);
	expect(match, "the card has a style element").not.toBeNull();
	return match?.[1] ?? "";
}

describe("embed card stylesheet", () => {
	it("sends the font stack unescaped", async () => {
		const claim = await makeClaim();
		const css = styleOf(await (await call(`/embed/${claim.id}`)).text());
		expect(css).toContain('system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif');
		expect(css).not.toMatch(/&quot;|&#39;|&#x27;|&amp;|&lt;|&gt;/);
	});

	it("is light by default and for unknown themes: a dark reader system does not darken it", async () => {
		const claim = await makeClaim();
		for (const query of [
			"",
			"?theme=light",
			"?theme=bogus",
			"?theme=",
			"?theme=DARK",
			`?lang=${"x".repeat(50)}`,
		]) {
			const response = await call(`/embed/${claim.id}${query}`);
			expect(response.status, query).toBe(200);
			const css = styleOf(await response.text());
			expect(css, query).toContain(":root{color-scheme:light;--bg:#fff;");
			expect(css, query).not.toContain("prefers-color-scheme");
			expect(css, query).not.toContain("#0d1117");
		}
	});

	it("is dark with theme=dark, whatever the reader's system says", async () => {
		const claim = await makeClaim();
		const css = styleOf(await (await call(`/embed/${claim.id}?theme=dark`)).text());
		expect(css).toContain(":root{color-scheme:dark;--bg:#0d1117;");
		expect(css).not.toContain("prefers-color-scheme");
		expect(css).not.toContain("--bg:#fff");
	});

	it("follows prefers-color-scheme with theme=auto", async () => {
		const claim = await makeClaim();
		const css = styleOf(await (await call(`/embed/${claim.id}?theme=auto`)).text());
		expect(css).toContain(":root{color-scheme:light dark;--bg:#fff;");
		expect(css).toMatch(/@media \(prefers-color-scheme:dark\)\{:root\{--bg:#0d1117;/);
	});

	it("rings a focused link outside it in the text colour: seen on every chip, never over the link's words", async () => {
		const claim = await makeClaim();
		for (const theme of ["light", "dark", "auto"]) {
			const css = styleOf(await (await call(`/embed/${claim.id}?theme=${theme}`)).text());
			// The ring lies on the card's background, 2 px off the chip or link: --fg there is
			// 15:1 or more in both themes. --link drawn inside the chip was 1.03–2.37:1.
			expect(css, theme).toContain("a:focus-visible{outline:3px solid var(--fg);outline-offset:2px}");
			expect(css, theme).not.toMatch(/outline-offset:-/);
		}
	});

	it("gives the speaker's name the footer's whole width, the link wrapping under it, within 240 px", async () => {
		const claim = await makeClaim({ speaker: { name: "Annalena Baerbock" }, claimedAt: "2025-09-12" });
		await publish(claim.id, "mostly-true");
		const css = styleOf(await (await call(`/embed/${claim.id}?lang=de`)).text());
		// Beside "· 12. September 2025" and "Zum Faktencheck →" the name had 68 px (DejaVu Sans).
		expect(css).toMatch(/\.foot\{[^}]*flex-wrap:wrap/);
		expect(css).toMatch(/\.more\{[^}]*margin-inline-start:auto/);
		expect(css).not.toContain("flex-direction:column}.card>blockquote");
		// The rows at their longest, one px figure each, add up to no more than the frame.
		const number = (pattern: RegExp) => {
			const found = pattern.exec(css)?.[1];
			expect(found, String(pattern)).toBeDefined();
			return Number(found);
		};
		const padding = number(/\.card\{[^}]*padding:(\d+)px/);
		const gap = number(/\.card\{[^}]*gap:(\d+)px/);
		const top = 13 * 1.4 + 2 * number(/\.chip\{[^}]*padding:(\d+)px/);
		const headline =
			16 * number(/\.headline\{[^}]*line-height:([\d.]+)/) * number(/\.headline\{[^}]*line-clamp:(\d+)/);
		const quote = 15 * 1.4 * number(/\.card>blockquote\{[^}]*line-clamp:(\d+)/);
		const foot = 2 * 13 * number(/\.foot\{[^}]*line-height:([\d.]+)/) + number(/\.foot\{[^}]*gap:(\d+)px/);
		expect(2 + 2 * padding + top + headline + quote + foot + 3 * gap).toBeLessThanOrEqual(240 - 2);
	});

	it("keeps every variant under 10 kB with a long claim, headline and names", async () => {
		const claim = await makeClaim({
			text: `${"Eine sehr lange Behauptung über den Hafen ".repeat(60)}Ende`,
			speaker: { name: "Ein sehr langer Name ".repeat(8).trim() },
		});
		await publish(claim.id, "missing-context", { headline: "Schlagzeile ".repeat(40).trim() });
		for (const theme of ["light", "dark", "auto"]) {
			for (const lang of ["en", "de"]) {
				const body = await (await call(`/embed/${claim.id}?lang=${lang}&theme=${theme}`)).text();
				expect(new TextEncoder().encode(body).length, `${lang} ${theme}`).toBeLessThan(10_240);
			}
		}
	});
});

describe("embed card variants are documented", () => {
	it("lists lang, theme (light, dark, auto) and the ignored v in the OpenAPI document", async () => {
		const doc = await (await call("/api/v1/openapi.json")).json<{
			paths: Record<string, { get?: { parameters: { name: string; in: string; schema: unknown }[] } }>;
		}>();
		const parameters = doc.paths["/embed/{id}"]?.get?.parameters ?? [];
		expect(parameters.map((p) => `${p.in}:${p.name}`)).toEqual([
			"path:id",
			"query:lang",
			"query:theme",
			"query:v",
			// Revalidation, as every public read documents it (e61f0f9).
			"header:If-None-Match",
		]);
		expect(JSON.stringify(parameters.find((p) => p.name === "theme")?.schema)).toContain(
			'"enum":["light","dark","auto"]',
		);
		// framed by other sites, never read by their scripts
		const claim = await makeClaim();
		const card = await call(`/embed/${claim.id}`, { headers: { Origin: "https://host.example" } });
		expect(card.headers.get("access-control-allow-origin")).toBeNull();
		expect((await call("/api/docs?lang=en")).status).toBe(200);
	});
});

describe("embed card content", () => {
	it("shows rating (linked to its explanation), verdict headline, speaker, date and publisher", async () => {
		const claim = await makeClaim({
			speaker: { name: "Card <Speaker>" },
			claimedAt: "2025-07-12",
			language: "en",
		});
		await publish(claim.id, "mostly-false", {
			headline: "Prices rose by a fifth, not threefold",
			language: "en",
		});
		const html = await (await call(`/embed/${claim.id}?lang=en`)).text();
		expect(html).toContain(
			'<a class="chip s-mostly-false" href="http://claimtrack.test/ratings?lang=en#mostly-false" target="_blank" rel="noopener"',
		);
		expect(html).toContain(">Mostly false</a>");
		expect(html).toContain('lang="en" dir="ltr"><bdi>Prices rose by a fifth, not threefold</bdi>');
		expect(html).toContain(
			'<span class="name" dir="ltr"><bdi>Card &lt;Speaker&gt;</bdi></span><span class="when">\u00a0· 12 July 2025</span>',
		);
		// The publisher beside the chip, alone: the link says "fact-check".
		expect(html).toContain('>Mostly false</a><span class="org"><bdi>Claimtrack Demo Desk</bdi></span>');
		// In the card's language, not the reader's browser's.
		expect(html).toContain(
			`href="http://claimtrack.test/claims/${claim.id}?lang=en" target="_blank" rel="noopener"`,
		);
		expect(html).not.toContain("<Speaker>");
		// the chip's colour is a class of the constant stylesheet, never an inline style
		expect(html).not.toMatch(/style="/);
	});

	it("cuts a right-to-left speaker's name at its end, keeping its beginning", async () => {
		const claim = await makeClaim({
			text: "قال الوزير إن الاقتصاد نما بأكثر من عشرة في المئة.",
			language: "ar",
			speaker: { name: "محمد بن عبد الله الخوارزمي" },
		});
		for (const lang of ["en", "de"]) {
			const html = await (await call(`/embed/${claim.id}?lang=${lang}`)).text();
			// The ellipsis goes where the name's own direction ends (its left), not over its start.
			expect(html, lang).toContain(
				'<span class="name" dir="rtl"><bdi>محمد بن عبد الله الخوارزمي</bdi></span>',
			);
		}
		const latin = await makeClaim({ speaker: { name: "Annalena Baerbock" } });
		expect(await (await call(`/embed/${latin.id}?lang=de`)).text()).toContain(
			'<span class="name" dir="ltr"><bdi>Annalena Baerbock</bdi></span>',
		);
	});

	it("shows a pending claim without a headline and in German with lang=de", async () => {
		const claim = await makeClaim({ speaker: null, language: "en" });
		const html = await (await call(`/embed/${claim.id}?lang=de`)).text();
		expect(html).toContain('<html lang="de">');
		expect(html).toContain('href="http://claimtrack.test/ratings?lang=de#unverified"');
		expect(html).toContain(">Ungeprüft</a>");
		expect(html).toContain('class="card pending"');
		expect(html).not.toContain('class="headline');
		// A claim of the source is its publisher's, named as a speaker is (claimantName).
		expect(html).toContain('<span class="name" dir="ltr"><bdi>News Example</bdi></span>');
	});
});

describe("embed card caching", () => {
	it("keys the edge cache by language and theme only: v and unknown values share the entry", async () => {
		const claim = await makeClaim();
		const first = await call(`/embed/${claim.id}?theme=dark`);
		expect(first.headers.get("x-edge-cache")).toBe("MISS");
		await first.text();
		await new Promise((resolve) => setTimeout(resolve, 20));
		for (const query of ["?theme=dark&v=3", "?v=4&theme=dark", "?theme=dark&v=x&utm=1"]) {
			const again = await call(`/embed/${claim.id}${query}`);
			expect(again.headers.get("x-edge-cache"), query).toMatch(/^HIT/);
			expect(styleOf(await again.text()), query).toContain("color-scheme:dark;");
		}
		const light = await call(`/embed/${claim.id}?theme=light`);
		expect(light.headers.get("x-edge-cache")).toBe("MISS");
		await light.text();
		await new Promise((resolve) => setTimeout(resolve, 20));
		const bogus = await call(`/embed/${claim.id}?theme=bogus&v=9`);
		expect(bogus.headers.get("x-edge-cache")).toMatch(/^HIT/);
		await bogus.text();
	});

	it("names every language × theme card in the purge list, canonically", () => {
		const keys = claimCacheKeys("abcdefghijklmn").filter((key) => key.includes("/embed/"));
		expect(keys).toHaveLength(9);
		for (const lang of ["auto", "en", "de"]) {
			for (const theme of ["light", "dark", "auto"]) {
				expect(keys).toContain(
					`https://edge-cache.claimtrack.internal/embed/abcdefghijklmn?lang=${lang}&theme=${theme}`,
				);
			}
		}
	});

	it("shows the new verdict in every theme right after publishing through the write API", async () => {
		const { apiCall, apiToken, makeUser } = await import("../desk/helpers");
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["verdicts:write", "verdicts:publish"]);
		const claim = await makeClaim({ language: "en" });
		const variants = [
			"",
			"?theme=dark",
			"?theme=auto",
			"?lang=de&theme=dark",
			"?lang=en&theme=auto",
			"?theme=dark&v=1",
		];
		for (const query of variants) await (await call(`/embed/${claim.id}${query}`)).text();
		await new Promise((resolve) => setTimeout(resolve, 20));
		for (const query of variants) {
			const cached = await call(`/embed/${claim.id}${query}`);
			expect(cached.headers.get("x-edge-cache"), query).toMatch(/^HIT/);
			expect(await cached.text(), query).toMatch(/Unverified|Ungeprüft/);
		}

		const draft = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token,
			body: {
				rating: "false",
				headline: "Did not happen",
				evidence: [{ url: "https://evidence.example/x", title: "Record" }],
				language: "en",
			},
		});
		expect(draft.status).toBe(201);
		const { id, version } = await draft.json<{ id: string; version: number }>();
		const published = await apiCall("POST", `/api/v1/verdicts/${id}/publish`, { token, body: { version } });
		expect(published.status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 20));
		for (const query of [...variants, "?theme=dark&v=2"]) {
			const fresh = await call(`/embed/${claim.id}${query}`);
			const html = await fresh.text();
			expect(html, query).toMatch(/>(False|Falsch)<\/a>/);
			expect(html, query).toContain("Did not happen");
		}
	});
});
