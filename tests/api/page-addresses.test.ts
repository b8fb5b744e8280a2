import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { claimEditInput } from "../../src/schemas/records";
import { edit, makeClaim, publish, reload } from "../factories";
import { BASE, call } from "../helpers";

/** A crawler or a reader with an English browser: the language comes from `?lang=` or from here. */
const english = { headers: { Accept: "text/html", "Accept-Language": "en-GB,en;q=0.9" } };
const german = { headers: { Accept: "text/html", "Accept-Language": "de-DE,de;q=0.9" } };

/** The address a page names for itself and its language versions, as a crawler reads them. */
function addressLinks(page: string) {
	const head = page.slice(0, page.indexOf("</head>"));
	const attribute = (href: string) => href.replaceAll("&amp;", "&");
	const canonical = [...head.matchAll(/<link rel="canonical" href="([^"]*)"/g)].map((m) =>
		attribute(m[1] ?? ""),
	);
	const alternates: Record<string, string> = Object.fromEntries(
		[...head.matchAll(/<link rel="alternate" hreflang="([^"]*)" href="([^"]*)"/g)].map((m) => [
			m[1],
			attribute(m[2] ?? ""),
		]),
	);
	return { canonical, alternates };
}

/** One claim with everything a public page shows: a speaker, a source, a topic and two versions. */
async function publicClaim() {
	const topic = `Topic ${newId()}`;
	const claim = await makeClaim({ language: "de" });
	const first = await publish(claim.id, "false");
	const tags = claimEditInput.parse({ version: 1, tags: [topic] }).tags ?? [];
	await edit(claim.id, { version: (await reload(claim.id)).version, tags, note: "Topic added." });
	await publish(claim.id, "misleading", { correctionNote: "A figure was wrong." });
	const detail = await reload(claim.id);
	return {
		claim: detail,
		paths: [
			"/",
			"/claims",
			`/claims/${claim.id}`,
			`/claims/${claim.id}/verdicts/${first.id}`,
			"/speakers",
			`/speakers/${detail.speaker?.slug}`,
			`/sources/${detail.appearances[0]?.source.id}`,
			`/tags/${tags[0]?.slug}`,
			"/ratings",
			"/feeds",
		],
	};
}

describe("canonical and language links of public pages", () => {
	it("a page asked for in a language names itself in it, with every language version", async () => {
		const { paths } = await publicClaim();
		for (const path of paths) {
			const versions = {
				en: `${BASE}${path}?lang=en`,
				de: `${BASE}${path}?lang=de`,
				"x-default": `${BASE}${path}`,
			};
			for (const lang of ["en", "de"] as const) {
				// A tracking parameter is no part of the page's address.
				const response = await call(`${path}?utm_source=newsletter&lang=${lang}`, english);
				expect(response.status, path).toBe(200);
				const page = await response.text();
				expect(page, path).toContain(`<html lang="${lang}">`);
				expect(addressLinks(page), `${path} ${lang}`).toEqual({
					canonical: [`${BASE}${path}?lang=${lang}`],
					alternates: versions,
				});
				// Shared: its address names everything it depends on.
				expect(response.headers.get("Cache-Control"), path).toMatch(/^public/);
			}
			// Without `lang` each reader's browser chooses: the page names the address without it,
			// the same whichever language it came out in, and stays out of shared caches.
			const heads = [];
			for (const headers of [english, german]) {
				const response = await call(path, headers);
				expect(response.headers.get("Cache-Control"), path).toMatch(/^private/);
				expect(response.headers.get("Vary"), path).toContain("Accept-Language");
				heads.push(addressLinks(await response.text()));
			}
			expect(heads[0], path).toEqual({ canonical: [`${BASE}${path}`], alternates: versions });
			expect(heads[1], path).toEqual(heads[0]);
		}
	}, 60_000);

	// s35 r362 on dd96d4e: every Atom entry links its version's page, and the standing
	// version's page was indexable, self-canonical and without the claim page's ClaimReview.
	it("the version page of the verdict in force names the claim's page, which says the same; a superseded one names itself, noindex", async () => {
		const { claim } = await publicClaim();
		const [superseded, standing] = claim.verdicts.filter((v) => v.state !== "draft");
		expect([superseded?.state, standing?.state]).toEqual(["superseded", "published"]);
		const claimVersions = (path: string) => ({
			en: `${BASE}${path}?lang=en`,
			de: `${BASE}${path}?lang=de`,
			"x-default": `${BASE}${path}`,
		});
		const claimPath = `/claims/${claim.id}`;
		const robots = (page: string) => /<meta name="robots" content="([^"]*)"/.exec(page)?.[1];
		for (const [lang, suffix] of [
			["de", "?lang=de"],
			[undefined, ""],
		] as const) {
			const page = await (await call(`${claimPath}/verdicts/${standing?.id}${suffix}`, english)).text();
			expect(addressLinks(page), lang).toEqual({
				canonical: [`${BASE}${claimPath}${suffix}`],
				alternates: claimVersions(claimPath),
			});
			expect(robots(page)).toBe("index");
			const old = `${claimPath}/verdicts/${superseded?.id}`;
			const oldPage = await (await call(`${old}${suffix}`, english)).text();
			expect(addressLinks(oldPage), lang).toEqual({
				canonical: [`${BASE}${old}${suffix}`],
				alternates: claimVersions(old),
			});
			expect(robots(oldPage)).toBe("noindex");
		}
	});

	it("builds them on PUBLIC_URL, never on the request's Host", async () => {
		const { claim } = await publicClaim();
		const path = `/speakers/${claim.speaker?.slug}?lang=de`;
		const page = await (await exports.default.fetch(new Request(`http://evil.example${path}`))).text();
		expect(addressLinks(page).canonical).toEqual([`${BASE}${path}`]);
		expect(Object.values(addressLinks(page).alternates).every((href) => href.startsWith(`${BASE}/`))).toBe(
			true,
		);
	});

	it("names a page's path as the app writes it, not as the request spelled it", async () => {
		// Hono decodes a path before routing: these answer 200 as the pages they spell.
		for (const [asked, path] of [
			["/%66eeds", "/feeds"],
			["/api/%64ocs", "/api/docs"],
			["/%63laims", "/claims"],
		] as const) {
			const response = await call(`${asked}?lang=de`, english);
			expect(response.status, asked).toBe(200);
			const links = addressLinks(await response.text());
			expect(links.canonical, asked).toEqual([`${BASE}${path}?lang=de`]);
			expect(links.alternates["x-default"], asked).toBe(`${BASE}${path}`);
		}
	});

	it("a claim page leaves its embed options out and is shared under the same address", async () => {
		const { claim } = await publicClaim();
		const page = await (
			await call(`/claims/${claim.id}?lang=de&embedStyle=card&embedTheme=dark&fbclid=x`, english)
		).text();
		const canonical = `${BASE}/claims/${claim.id}?lang=de`;
		expect(addressLinks(page).canonical).toEqual([canonical]);
		// A link shared on a social site is previewed in the language it was shared in.
		expect(page).toContain(`<meta property="og:url" content="${canonical.replaceAll("&", "&amp;")}"/>`);
		// The ClaimReview keeps naming the claim's one address, as the feeds and exports do.
		expect(page).toContain(`"url":"${BASE}/claims/${claim.id}"`);
	});

	it("a list keeps its search, order, filter and page, read as the page reads them", async () => {
		const word = `w${newId()}`;
		for (let n = 0; n < 21; n += 1)
			await publish((await makeClaim({ text: `Hafen ${word} Nummer ${n}` })).id);
		const canonicalOf = async (path: string) =>
			addressLinks(await (await call(path, english)).text()).canonical;

		expect(
			await canonicalOf(`/claims?q=%20${word}%20&sort=recent&status=false&utm_campaign=x&lang=de`),
		).toEqual([`${BASE}/claims?q=${word}&sort=recent&status=false&lang=de`]);
		// The default order and an order without a search say nothing; a status none of ours is no filter.
		expect(await canonicalOf(`/claims?q=${word}&sort=relevance&lang=en`)).toEqual([
			`${BASE}/claims?q=${word}&lang=en`,
		]);
		expect(await canonicalOf("/claims?sort=recent&status=bogus&lang=en")).toEqual([`${BASE}/claims?lang=en`]);
		// A cursor that is none of ours shows the first page, and names it.
		expect(await canonicalOf("/claims?cursor=not-a-cursor&lang=de")).toEqual([`${BASE}/claims?lang=de`]);
		expect(await canonicalOf(`/speakers?cursor=x`)).toEqual([`${BASE}/speakers`]);

		// A later page is its own page: its canonical and language versions keep its cursor.
		const first = await (await call(`/claims?q=${word}&sort=recent&lang=de`, english)).text();
		const next = /<a href="([^"]*)" rel="next"/.exec(first)?.[1]?.replaceAll("&amp;", "&");
		expect(next).toBeDefined();
		const cursor = new URL(next ?? "", BASE).searchParams.get("cursor");
		const second = addressLinks(await (await call(next ?? "", english)).text());
		const query = `q=${word}&sort=recent&cursor=${encodeURIComponent(cursor ?? "")}`;
		expect(second).toEqual({
			canonical: [`${BASE}/claims?${query}&lang=de`],
			alternates: {
				en: `${BASE}/claims?${query}&lang=en`,
				de: `${BASE}/claims?${query}&lang=de`,
				"x-default": `${BASE}/claims?${query}`,
			},
		});

		// A search of two words names them as the page reads them back.
		const [twoWords] = await canonicalOf(`/claims?q=Hafen%20${word}&lang=en`);
		expect(twoWords).toBe(`${BASE}/claims?q=Hafen+${word}&lang=en`);
		expect(await (await call((twoWords ?? "").slice(BASE.length), english)).text()).toContain(
			`value="Hafen ${word}"`,
		);
	}, 60_000);
});
