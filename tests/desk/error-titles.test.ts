import { describe, expect, it } from "vitest";
import { LOGIN_LIMITS } from "../../src/auth/rate-limit";
import { newId, newToken } from "../../src/domain/ids";
import { makeClaim } from "../factories";
import { freshIp } from "../helpers";
import { account, claimForm, deskGet, deskPost, makeUser, post, signIn, verdictForm } from "./helpers";

/**
 * A form that comes back with errors says so in the tab's title ("Error: …"), the first thing
 * a screen reader reads of the page. The small forms did (small-form-errors); the big forms
 * that summarise their own errors (a new claim, a draft, an article, a token, a webhook,
 * a claim's or a speaker's edit) came back with the plain title.
 */

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";

async function expectErrorTitle(response: Response, prefix = "Error: ") {
	expect(response.status).toBe(422);
	const html = await response.text();
	expect(html).toContain('id="error-summary"');
	expect(titleOf(html).startsWith(prefix), titleOf(html)).toBe(true);
}

describe("a desk form that came back with errors says so in the title", () => {
	it("new claim, draft, claim edit (en and de), and not on the form's first showing", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const blank = await deskGet(checker, "/desk/claims/new");
		expect(titleOf(await blank.text())).not.toMatch(/^Error/);

		await expectErrorTitle(await deskPost(checker, "/desk/claims", claimForm({ text: "" })));
		await expectErrorTitle(
			await deskPost(checker, "/desk/claims?lang=de", claimForm({ text: "" })),
			"Fehler: ",
		);

		const claim = await makeClaim();
		await expectErrorTitle(
			await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, verdictForm({ rating: "", headline: "" })),
		);
		await expectErrorTitle(
			await deskPost(editor, `/desk/claims/${claim.id}/edit`, {
				text: "",
				claimedAt: "2025-07-12",
				language: "de",
				context: "",
				version: String(claim.version),
				_idem: newToken(18),
			}),
		);
	});

	it("a token and a webhook that were refused", async () => {
		const admin = await account("admin");
		await expectErrorTitle(
			await deskPost(admin, "/desk/tokens", {
				name: "",
				"scope:claims:write": "1",
				password: admin.password,
				_idem: newToken(18),
			}),
		);
		await expectErrorTitle(
			await deskPost(admin, "/desk/admin/webhooks", {
				url: `ftp://hooks.example/${newId()}`,
				events: "verdict.published",
				_idem: newToken(18),
			}),
		);
	});
});

describe("a desk page that changed under the user starts at what changed it", () => {
	const autofocused = (html: string) => [...html.matchAll(/<[^>]* autofocus=""[^>]*>/g)].map((m) => m[0]);

	it("focuses what the last action did, a refusal, or the error summary (one element a page)", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const done = await deskPost(checker, `/desk/claims/${claim.id}/notes`, {
			text: "Noted.",
			_idem: newToken(18),
		});
		expect(done.status).toBe(303);
		const after = await (await deskGet(checker, done.headers.get("location") ?? "")).text();
		expect(autofocused(after)).toEqual(['<div class="notice" role="alert" tabindex="-1" autofocus="">']);
		// The page as opened plainly focuses nothing: the browser starts at the top.
		expect(autofocused(await (await deskGet(checker, `/desk/claims/${claim.id}`)).text())).toEqual([]);

		const failed = await (await deskPost(checker, "/desk/claims", claimForm({ text: "" }))).text();
		expect(autofocused(failed)).toEqual([
			'<div class="notice error" role="alert" id="error-summary" tabindex="-1" autofocus="">',
		]);
	});

	it("a login after the session ended says so; a first visit or a logout does not", async () => {
		const { user } = await makeUser("checker");
		const ended = await signIn(user, { expiresAt: new Date(Date.now() - 60_000).toISOString() });
		const sent = await deskGet(ended, "/desk/claims/new");
		expect(sent.status).toBe(303);
		const location = sent.headers.get("location") ?? "";
		expect(location).toBe("/desk/login?next=%2Fdesk%2Fclaims%2Fnew&expired=1");
		const login = await (await deskGet(null, location)).text();
		expect(autofocused(login)).toEqual(['<div class="notice" role="alert" tabindex="-1" autofocus="">']);
		expect(login).toContain("Your session has ended. Please log in again.");
		// Never signed in: the login form, no notice.
		expect((await deskGet(null, "/desk/claims/new")).headers.get("location")).toBe(
			"/desk/login?next=%2Fdesk%2Fclaims%2Fnew",
		);
	});

	it("a login refused for a wrong password or too many tries says so focused, titled as an error (en, de)", async () => {
		// The notice stood above the form unfocused: the page that came back read as the one sent.
		const windowMs = LOGIN_LIMITS.accountAtAddress.windowSeconds * 1000;
		const left = windowMs - (Date.now() % windowMs);
		if (left < 20_000) await new Promise((resolve) => setTimeout(resolve, left + 500));
		const { user, password } = await makeUser("checker");
		const ip = freshIp();
		const login = (secret: string, lang: "en" | "de") =>
			post(
				`/desk/login?lang=${lang}`,
				{ email: user.email, password: secret, next: "/desk" },
				{ headers: { "CF-Connecting-IP": ip } },
			);
		const words = {
			en: ["The email address or the password is wrong.", "Too many login attempts.", "Error: "],
			de: ["Die E-Mail-Adresse oder das Passwort ist falsch.", "Zu viele Anmeldeversuche.", "Fehler: "],
		} as const;
		for (let i = 0; i < LOGIN_LIMITS.accountAtAddress.limit; i++) {
			const lang = i % 2 === 0 ? "en" : "de";
			const wrong = await login(`wrong-${i}`, lang);
			expect(wrong.status).toBe(401);
			const html = await wrong.text();
			expect(autofocused(html)).toEqual([
				'<div class="notice error" role="alert" tabindex="-1" autofocus="">',
			]);
			expect(html).toContain(words[lang][0]);
			expect(titleOf(html).startsWith(words[lang][2]), titleOf(html)).toBe(true);
		}
		for (const lang of ["en", "de"] as const) {
			const limited = await login(password, lang);
			expect(limited.status).toBe(429);
			const html = await limited.text();
			expect(autofocused(html)).toEqual([
				'<div class="notice error" role="alert" tabindex="-1" autofocus="">',
			]);
			expect(html).toContain(words[lang][1]);
			expect(titleOf(html).startsWith(words[lang][2]), titleOf(html)).toBe(true);
		}
		// A first visit starts at the top, its title plain.
		const first = await (await deskGet(null, "/desk/login")).text();
		expect(autofocused(first)).toEqual([]);
		expect(titleOf(first)).not.toMatch(/^Error/);
	});

	it("a refusal (409: changed meanwhile, not allowed) is focused and titled as an error", async () => {
		const admin = await account("admin");
		const demoted = await deskPost(admin, `/desk/admin/users/${admin.user.id}/role`, {
			role: "editor",
			password: admin.password,
			version: String(admin.user.version),
			_idem: newToken(18),
		});
		const html = await demoted.text();
		expect(demoted.status).toBeGreaterThanOrEqual(400);
		expect(autofocused(html)).toEqual(['<div class="notice error" role="alert" tabindex="-1" autofocus="">']);
		expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).toMatch(/^Error: /);
	});
});
