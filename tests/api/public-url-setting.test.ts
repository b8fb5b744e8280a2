import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { backgroundEffects } from "../../src/commands/side-effects";
import deskWorker from "../../src/desk-worker";
import { newId } from "../../src/domain/ids";
import { configuredOrigin } from "../../src/lib/public-origin";
import { servePublic } from "../../src/public-worker";
import { apiToken, makeUser } from "../desk/helpers";
import { makeClaim, publish } from "../factories";

const READER_ORIGIN = "https://factcheck.example.org";

/**
 * A request through both Workers of a deployment whose `[vars]` differ from the tests'
 * (PUBLIC_URL above all), reached at `READER_ORIGIN`; waits for the work it left running.
 */
async function deployedWith(vars: Record<string, string>, path: string, init?: RequestInit) {
	const ctx = createExecutionContext();
	const bindings = { ...env, ...vars } as Env;
	const desk = { fetch: (request: Request) => deskWorker.fetch(request as never, bindings, ctx) };
	const response = await servePublic(
		new Request(`${READER_ORIGIN}${path}`, init),
		{ ...bindings, DESK: desk } as never,
		ctx,
	);
	const body = await response.text();
	await waitOnExecutionContext(ctx);
	return { status: response.status, body };
}

/**
 * A PUBLIC_URL that is not an http(s) address (no scheme: "localhost:8787" parses with the
 * origin "null"; another scheme) is read as absent: links follow the request's origin, as
 * documented for a deployment without one, and nothing answers 500 over it.
 */
describe("a PUBLIC_URL that is not an http(s) address", () => {
	for (const publicUrl of ["localhost:8787", "factcheck.example.org:443", "ftp://factcheck.example.org"]) {
		it(`${publicUrl}: every public surface answers with links on the request's origin`, async () => {
			// A word of its own: the suite's files share a database, and "harbour" alone found
			// another file's claim (an imported review, its links on its publisher's host).
			const word = `Settingharbour${newId().replace(/\d/g, "")}`;
			const claim = await makeClaim({ text: `Setting ${word} harbour`, language: "en" });
			await publish(claim.id);
			const oembedUrl = encodeURIComponent(`${READER_ORIGIN}/claims/${claim.id}`);
			const linked = [
				`/api/v1/claims/${claim.id}`,
				`/claims/${claim.id}`,
				`/embed/${claim.id}`,
				`/oembed?url=${oembedUrl}&format=json`,
				"/api/v1/claims?limit=1",
				"/feeds/verdicts.atom",
				`/v1alpha1/claims:search?query=${word}&pageSize=1`,
				"/sitemap.xml",
				"/robots.txt",
			];
			for (const path of [...linked, `/badges/${claim.id}.svg`]) {
				const { status, body } = await deployedWith({ PUBLIC_URL: publicUrl }, path);
				expect(status, `${path}: ${body.slice(0, 300)}`).toBe(200);
				expect(body, path).not.toMatch(/null\/|ftp:\/\//);
				if (linked.includes(path)) expect(body, path).toContain(READER_ORIGIN);
			}
		}, 60_000);
	}

	it("a write answers 201 once and is saved once", async () => {
		const { user: admin } = await makeUser("admin");
		const { token } = await apiToken(admin, ["claims:write"]);
		const text = `Die Behauptung ${newId()} über den Hafen wurde so gesagt.`;
		const { status, body } = await deployedWith({ PUBLIC_URL: "localhost:8787" }, "/api/v1/claims", {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: JSON.stringify({
				text,
				language: "de",
				claimedAt: "2025-07-12",
				speaker: { name: `Sprecher ${newId()}`, kind: "person" },
				source: { url: `https://news.example/${newId()}`, title: "Artikel", language: "de" },
			}),
		});
		expect(status, body.slice(0, 300)).toBe(201);
		expect(body).toContain(`${READER_ORIGIN}/claims/`);
		const saved = await env.DB.prepare("SELECT count(*) AS n FROM claims WHERE text = ?")
			.bind(text)
			.first<{ n: number }>();
		expect(saved?.n).toBe(1);
	}, 60_000);

	it("the queue consumer gets no origin from it, and a command's effects never throw after its write", () => {
		for (const publicUrl of [
			"localhost:8787",
			"factcheck.example.org:443",
			"ftp://factcheck.example.org",
			" ",
		])
			expect(configuredOrigin({ PUBLIC_URL: publicUrl }), publicUrl).toBeNull();
		expect(configuredOrigin({ PUBLIC_URL: "https://factcheck.example.org/" })).toBe(READER_ORIGIN);
		// Whatever fails while the effects' targets are built (the write has committed), emit logs it.
		const effects = backgroundEffects(
			() => undefined,
			() => {
				throw new TypeError("Invalid URL: null");
			},
		);
		expect(() => effects.emit({ type: "claim.created", claimId: "c", speakerIds: [] })).not.toThrow();
	});

	it("an ORG_LOGO that is not an http(s) address is left out of the ClaimReview, a good one kept", async () => {
		const vars = { PUBLIC_URL: READER_ORIGIN, ORG_URL: "https://nord.example.org" };
		for (const [logo, expected] of [
			["logo.png", undefined],
			["javascript:alert(1)", undefined],
			[
				"https://nord.example.org/logo.png",
				{ "@type": "ImageObject", url: "https://nord.example.org/logo.png" },
			],
		] as const) {
			// A claim of its own each time: the page is cached by its address, not the settings.
			const claim = await makeClaim({ language: "en" });
			await publish(claim.id);
			const { status, body } = await deployedWith({ ...vars, ORG_LOGO: logo }, `/claims/${claim.id}`, {
				headers: { Accept: "text/html" },
			});
			expect(status).toBe(200);
			const block = body.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/)?.[1] ?? "{}";
			const review = JSON.parse(block) as { author?: { logo?: unknown; url?: string } };
			expect(review.author?.url, logo).toBe("https://nord.example.org");
			expect(review.author?.logo, logo).toEqual(expected);
		}
	}, 60_000);
});
