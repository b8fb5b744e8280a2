import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, describeViolations, type Login, root, type Stack, startStack } from "./harness";

/**
 * The desk in a real browser: a checker records the Kursk claim from the Wonsan
 * article and drafts a verdict, an editor publishes it and later a correction; the
 * public JSON shows the status and both versions. axe-core runs on every desk page.
 */

const article = readFileSync(path.join(root, "tests/fixtures/wonsan-2025-07-12.de.txt"), "utf8");
const kurskLine = article.split("\n").find((line) => line.includes("im Bereich Kursk bewiesen")) ?? "";
const KURSK_QUOTE = kurskLine
	.trim()
	.replace(/^[“„"]/, "")
	.replace(/[”“"]$/, "");
const SOURCE_URL = "https://news.example/2025/07/12/lawrow-wonsan-strategischer-dialog?utm_source=e2e#kursk";

let stack: Stack;
let context: BrowserContext;
let page: Page;
const checked = new Set<string>();
const cspErrors: string[] = [];

beforeAll(async () => {
	stack = await startStack();
});

afterAll(async () => {
	// The stack's folders go whatever a context's close does (the browser's close ends it too).
	try {
		await context?.close();
	} finally {
		await stack?.stop();
	}
	// Its D1 and the copies of the wrangler files with their .dev.vars (PASSWORD_PEPPER among
	// them, in `configs` inside it): nothing of the stack is left in the temp directory.
	if (stack) expect(existsSync(stack.dir)).toBe(false);
});

/** Set E2E_SCREENSHOTS=DIR to keep a full-page screenshot of every page checked. */
const screenshots = process.env.E2E_SCREENSHOTS;

/** axe on the current page: no violations allowed. */
async function accessible(label: string) {
	if (screenshots) {
		const name = `${String(checked.size).padStart(2, "0")}-${label.replace(/[^a-z0-9]+/gi, "-")}.png`;
		await page.screenshot({ path: path.join(screenshots, name), fullPage: true });
	}
	const violations = await axeViolations(page);
	checked.add(`${label} ${new URL(page.url()).pathname}`);
	expect(violations, describeViolations(`${label} ${page.url()}`, violations)).toEqual([]);
}

async function logIn(who: Login) {
	await page.goto(`${stack.baseUrl}/desk`);
	expect(new URL(page.url()).pathname).toBe("/desk/login");
	await accessible("login");
	await page.getByLabel("Email address").fill(who.email);
	await page.getByLabel("Password").fill(who.password);
	await Promise.all([
		page.waitForURL(`${stack.baseUrl}/desk`),
		page.getByRole("button", { name: "Log in" }).click(),
	]);
	const cookies = await context.cookies(stack.baseUrl);
	const session = cookies.find((c) => c.name === "__Host-claimtrack_session");
	expect(session, JSON.stringify(cookies)).toMatchObject({
		httpOnly: true,
		secure: true,
		sameSite: "Lax",
		path: "/",
	});
}

async function logOut() {
	await Promise.all([
		page.waitForURL(/\/desk\/login\?done=logged-out$/),
		page.getByRole("button", { name: "Log out" }).click(),
	]);
	await expectFocusedNotice("You are logged out.");
}

/** What an action did is an alert, and the page starts at it (focused at load), as GOV.UK's banners. */
async function expectFocusedNotice(text: string) {
	await expect(page.getByRole("alert").first().textContent()).resolves.toContain(text);
	await expect(
		page.evaluate(
			() => `${document.activeElement?.getAttribute("role")}: ${document.activeElement?.textContent}`,
		),
	).resolves.toContain(`alert: ${text}`);
}

/**
 * The public page, the badge and the card framed in another site's page tell the same
 * state: `label` is the status as a reader sees it ("False", "Retracted").
 */
async function sameEverywhere(claimId: string, label: string) {
	// A reader of our page and of a partner's page: a browser of its own, as readers have.
	const readerContext = await stack.browser.newContext({ locale: "en-GB" });
	const reader = await readerContext.newPage();
	try {
		await reader.goto(`${stack.baseUrl}/claims/${claimId}?lang=en`);
		expect(await reader.locator("h1").textContent()).toContain(label);
		const badge = await reader.request.get(`${stack.baseUrl}/badges/${claimId}.svg?lang=en`);
		expect(await badge.text()).toContain(label);
		await reader.setContent(
			`<!doctype html><title>Partner</title><iframe title="card" src="${stack.baseUrl}/embed/${claimId}?lang=en" width="400" height="300"></iframe>`,
		);
		const frame = reader.frames().find((f) => f.url().includes("/embed/"));
		await frame?.waitForLoadState();
		expect(await frame?.locator("body").textContent()).toContain(label);
	} finally {
		await readerContext.close();
	}
}

async function publicClaim(id: string) {
	const response = await page.request.get(`${stack.baseUrl}/api/v1/claims/${id}`);
	expect(response.status()).toBe(200);
	return (await response.json()) as {
		status: string;
		verdict: { id: string; headline: string } | null;
		history: {
			id: string;
			state: string;
			headline: string;
			correctionNote: string | null;
			supersedes: string | null;
		}[];
	};
}

describe("the fact-checkers' desk in Chromium", () => {
	it("records the Kursk claim, drafts, publishes and corrects a verdict, accessibly", async () => {
		expect(KURSK_QUOTE).toMatch(/^Diese Einschätzung wurde konkret im Bereich Kursk bewiesen/);
		context = await stack.browser.newContext({ locale: "en-GB" });
		page = await context.newPage();
		page.on("console", (message) => {
			if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
		});

		// A checker logs in and records the claim.
		await logIn(stack.accounts.checker);
		await accessible("desk home");
		await page.getByRole("link", { name: "New claim" }).first().click();
		await page.waitForURL(/\/desk\/claims\/new$/);
		await accessible("intake form");

		// Sending it empty shows errors beside the fields, and the page stays accessible.
		await page.getByRole("button", { name: "Save claim" }).click();
		await page.waitForSelector("#error-summary");
		expect(await page.locator("#f-text-error").textContent()).toContain("The quote is empty.");
		expect(await page.locator("#f-source-url").getAttribute("aria-invalid")).toBe("true");
		await accessible("intake form with errors");

		await page.getByLabel("Address (URL)").fill(SOURCE_URL);
		await page
			.getByLabel("Title")
			.fill("Lawrow in Wŏnsan: zweite Runde des strategischen Dialogs zwischen Russland und der DVRK");
		await page.getByLabel("Publisher").fill("News Example");
		await page.getByLabel("Language of the article").fill("de");
		await page.getByLabel("Publication date").fill("2025-07-12");
		await page.getByRole("combobox", { name: "Name" }).fill("Choe Son-hui");
		await page.getByLabel("a person").check();
		await page.getByLabel("Description").fill("Außenministerin der DVRK");
		await page.getByLabel("Verbatim quote").fill(KURSK_QUOTE);
		await page.getByLabel("Date of the statement").fill("2025-07-12");
		await page.getByLabel("Language of the claim").fill("de");
		await page.getByLabel("Context").fill("Zweite Runde des strategischen Dialogs in Wŏnsan, 12. Juli 2025.");
		await Promise.all([
			page.waitForURL(/\/desk\/claims\/[0-9a-z]{14}\?done=claim-created$/),
			page.getByRole("button", { name: "Save claim" }).click(),
		]);
		const claimId = /\/desk\/claims\/([0-9a-z]{14})/.exec(page.url())?.[1] ?? "";
		await expectFocusedNotice("The claim is saved.");
		expect(await page.locator("blockquote.quote").textContent()).toBe(KURSK_QUOTE);
		await accessible("claim page");

		// The type-ahead finds the new speaker by a spelling with diacritics.
		await page.goto(`${stack.baseUrl}/desk/claims/new`);
		const speaker = page.getByRole("combobox", { name: "Name" });
		await speaker.fill("Ch'oe Sŏn");
		const option = page.getByRole("option", { name: /Choe Son-hui/ });
		await option.waitFor();
		await speaker.press("ArrowDown");
		await accessible("intake form with suggestions");
		await speaker.press("Enter");
		await expect(speaker.inputValue()).resolves.toBe("Choe Son-hui");
		expect(await page.locator("#f-speaker-id").inputValue()).toMatch(/^[0-9a-z]{14}$/);

		// A field's error brings the page back with the same quote in it: the recorded claim is
		// offered as the page loads, not only once the quote is edited again.
		await page.getByLabel("Verbatim quote").fill(KURSK_QUOTE);
		await page.getByLabel("Language of the claim").fill("de");
		await page.getByRole("button", { name: "Save claim" }).click();
		await page.locator("#f-source-url-error").waitFor();
		await expect(page.getByLabel("Verbatim quote").inputValue()).resolves.toBe(KURSK_QUOTE);
		await page
			.locator("#claim-matches")
			.getByRole("button", { name: "Add this article as another appearance" })
			.waitFor();
		expect(await page.locator("#claim-matches li.match-same a").textContent()).toBe(KURSK_QUOTE);
		await accessible("intake form with an error and the recorded claim");

		// The same quote again is recognised: the desk offers an appearance instead.
		await page.getByLabel("Address (URL)").fill("https://other-paper.example/kursk");
		await page.getByRole("button", { name: "Save claim" }).click();
		await page.locator("#f-source-url-error").waitFor({ state: "detached" });
		await page.getByRole("button", { name: "Add this article as another appearance" }).waitFor();
		await accessible("duplicate offer");
		await Promise.all([
			page.waitForURL(new RegExp(`/desk/claims/${claimId}\\?done=appearance-added$`)),
			page.getByRole("button", { name: "Add this article as another appearance" }).click(),
		]);

		// The checker drafts a verdict; publishing is not offered to a checker.
		await page.getByRole("link", { name: "Draft a verdict" }).click();
		await page.waitForURL(/\/verdicts\/new$/);
		await accessible("verdict form");
		await page.getByLabel("Rating").selectOption("false");
		await page
			.getByLabel("Headline")
			.fill("North Korean troops did not liberate Kursk from “Ukrainian Nazis”");
		await page
			.getByLabel("Summary")
			.fill(
				"Ukraine's incursion into Kursk was pushed back by Russian forces with North Korean support; the “Nazi” framing is propaganda.",
			);
		await page.getByLabel("Full text").fill("Longer explanation with sources.");
		await page
			.getByRole("group", { name: "Link 1" })
			.getByLabel("Address (URL)")
			.fill("https://evidence.example/kursk-report");
		await page
			.getByRole("group", { name: "Link 1" })
			.getByLabel("Title")
			.fill("Report on the Kursk offensive");
		await page.getByLabel("Language of the verdict").selectOption("en");
		await Promise.all([
			page.waitForURL(/\?done=submitted$/),
			page.getByRole("button", { name: "Save and submit for review" }).click(),
		]);
		expect(await page.getByRole("button", { name: "Publish" }).count()).toBe(0);
		await accessible("claim page with draft");
		expect((await publicClaim(claimId)).status).toBe("in-review");

		// The checker's desk home lists the draft.
		await page.goto(`${stack.baseUrl}/desk`);
		// In "My drafts" and in the review queue.
		await expect(
			page.getByRole("link", { name: /did not liberate Kursk/ }).count(),
		).resolves.toBeGreaterThanOrEqual(1);
		await page.getByRole("link", { name: "In review", exact: true }).first().click();
		await accessible("desk home, in review");
		await logOut();

		// An editor publishes it.
		await logIn(stack.accounts.editor);
		await page.goto(`${stack.baseUrl}/desk/claims/${claimId}`);
		await accessible("claim page for an editor");
		await Promise.all([
			page.waitForURL(/\?done=published$/),
			page.getByRole("button", { name: "Publish", exact: true }).click(),
		]);
		const published = await publicClaim(claimId);
		expect(published.status).toBe("false");
		expect(published.verdict?.headline).toContain("did not liberate Kursk");
		await accessible("claim page after publishing");
		await sameEverywhere(claimId, "False");

		// A correction: a new verdict, published with a note; the old one stays readable.
		await page.getByRole("link", { name: "Draft a correction" }).click();
		await page.waitForURL(/\/verdicts\/new$/);
		await accessible("correction form");
		expect(await page.getByLabel("Headline").inputValue()).toContain("did not liberate Kursk");
		await page.getByLabel("Rating").selectOption("mostly-false");
		await page
			.getByLabel("Headline")
			.fill("Mostly false: North Korean units fought in Kursk, but not against “Nazis”");
		await Promise.all([
			page.waitForURL(/\?done=draft-saved$/),
			page.getByRole("button", { name: "Save draft" }).click(),
		]);
		// Publishing without a note is refused beside the field.
		await page.getByRole("button", { name: "Publish correction" }).click();
		await page.getByText("A correction needs a note that says what changed and why.").first().waitFor();
		await accessible("correction note missing");
		await page
			.getByLabel("Correction note")
			.fill(
				"North Korean troops did take part in the fighting; the rating moves from false to mostly false.",
			);
		await Promise.all([
			page.waitForURL(/\?done=published$/),
			page.getByRole("button", { name: "Publish correction" }).click(),
		]);
		const corrected = await publicClaim(claimId);
		expect(corrected.status).toBe("mostly-false");
		expect(corrected.history.map((v) => v.state)).toEqual(["superseded", "published"]);
		// Publication order: version 1 (the first verdict), then the correction.
		expect(corrected.history[1]?.supersedes).toBe(corrected.history[0]?.id);
		expect(corrected.history[1]?.correctionNote).toContain("from false to mostly false");
		expect(corrected.history[0]?.headline).toContain("did not liberate Kursk");
		await accessible("claim page after the correction");
		const history = await page.locator("#history + .table-scroll > table").textContent();
		for (const name of ["Chris Checker", "Edith Editor"]) expect(history).toContain(name);
		await sameEverywhere(claimId, "Mostly false");

		// The claim is edited after review: the note is required and the change is public.
		await page.goto(`${stack.baseUrl}/desk/claims/${claimId}/edit`);
		await accessible("claim edit form");
		await page
			.getByLabel("Context")
			.fill("Zweite Runde des strategischen Dialogs in Wŏnsan am 12. Juli 2025.");
		await page.getByRole("button", { name: "Save claim" }).click();
		await page.locator("#f-note-error").waitFor();
		await page.getByLabel("Why it changes").fill("The date is part of the context.");
		await Promise.all([
			page.waitForURL(/\?done=claim-edited$/),
			page.getByRole("button", { name: "Save claim" }).click(),
		]);
		const edited = (await (await page.request.get(`${stack.baseUrl}/api/v1/claims/${claimId}`)).json()) as {
			changes: { field: string; note: string }[];
		};
		expect(edited.changes).toEqual([
			expect.objectContaining({ field: "context", note: "The date is part of the context." }),
		]);

		// The editor retracts the corrected verdict: every surface says so at once.
		await page.goto(`${stack.baseUrl}/desk/claims/${claimId}`);
		const retract = page.locator("details.retract");
		await retract.locator("summary").click();
		await retract.getByLabel("Reason for the retraction").fill("The report we relied on was withdrawn.");
		await Promise.all([page.waitForURL(/\?done=retracted$/), retract.getByRole("button").click()]);
		const retracted = await publicClaim(claimId);
		expect(retracted.status).toBe("retracted");
		await accessible("claim page after the retraction");
		await sameEverywhere(claimId, "Retracted");
		const publicPage = await context.newPage();
		await publicPage.goto(`${stack.baseUrl}/claims/${claimId}?lang=en`);
		expect(await publicPage.locator("main").textContent()).toContain(
			"The report we relied on was withdrawn.",
		);
		expect(await publicPage.locator("main").textContent()).not.toContain("not been reviewed");
		if (screenshots)
			await publicPage.screenshot({
				path: path.join(screenshots, "public-claim-retracted.png"),
				fullPage: true,
			});
		await publicPage.close();

		// A second spelling became a second speaker: the editor merges it through the form.
		await page.goto(`${stack.baseUrl}/desk/claims/new`);
		await page.getByLabel("Address (URL)").fill("https://third-paper.example/kim");
		await page.getByRole("combobox", { name: "Name" }).fill("Kim Yo-jong");
		await page.getByLabel("a person").check();
		await page
			.getByLabel("Verbatim quote")
			.fill("The talks in Wonsan were a complete success for both sides.");
		await page.getByLabel("Language of the claim").fill("en");
		await Promise.all([
			page.waitForURL(/\?done=claim-created$/),
			page.getByRole("button", { name: "Save claim" }).click(),
		]);
		await page.goto(`${stack.baseUrl}/desk/speakers/kim-yo-jong`);
		await accessible("speaker edit and merge");
		await page.getByRole("textbox", { name: /Merge into/ }).fill("choe-son-hui");
		await Promise.all([
			page.waitForURL(/\/desk\/speakers\/choe-son-hui\?done=speaker-merged$/),
			page.getByRole("button", { name: "Merge" }).click(),
		]);
		const forwarded = await page.request.get(`${stack.baseUrl}/speakers/kim-yo-jong`, { maxRedirects: 0 });
		expect(forwarded.status()).toBe(301);
		expect(forwarded.headers().location).toBe("/speakers/choe-son-hui");

		// The rest of the desk, in both languages, and on a phone.
		await page.goto(`${stack.baseUrl}/desk/tokens`);
		await accessible("tokens");
		await page.getByLabel("Token name").fill("e2e importer");
		await page.getByLabel(/claims:write/).check();
		// Reading a verdict through the API takes the scope of writing them (a leaked token of
		// another kind reads no drafts).
		await page.getByLabel(/verdicts:write/).check();
		await page.getByLabel("Your password").fill(stack.accounts.editor.password);
		await page.getByRole("button", { name: "Create a token" }).click();
		const token = await page.getByLabel("New API token").inputValue();
		expect(token).toMatch(/^ct_/);
		await accessible("token shown once");
		const viaApi = await page.request.get(`${stack.baseUrl}/api/v1/verdicts/${corrected.history[1]?.id}`, {
			headers: { Authorization: `Bearer ${token}` },
		});
		expect(viaApi.status()).toBe(200);

		await page.goto(`${stack.baseUrl}/desk?lang=de`);
		expect(await page.locator("html").getAttribute("lang")).toBe("de");
		await accessible("desk home (de)");
		await page.goto(`${stack.baseUrl}/desk/claims/${claimId}`);
		expect(await page.locator("h1").textContent()).toBe("Behauptung");
		await accessible("claim page (de)");
		await page.goto(`${stack.baseUrl}/desk/claims/new`);
		await accessible("intake form (de)");
		await page.goto(`${stack.baseUrl}/desk?lang=en`);

		// New from article: pasted text (no network here) → ranked candidates → prefilled form.
		await page.goto(`${stack.baseUrl}/desk/articles/new`);
		await accessible("new from article");
		await page.getByLabel(/paste the article text/).fill(article);
		await page.getByRole("button", { name: "Read the article" }).click();
		const candidates = page.locator("ol.candidates > li");
		expect(await candidates.count()).toBeGreaterThan(3);
		expect(await candidates.allTextContents()).toEqual(
			expect.arrayContaining([expect.stringContaining("Choe Son-hui")]),
		);
		await accessible("article candidates");
		await candidates.first().getByRole("button", { name: "Record" }).click();
		expect(await page.locator('input[name="anchor"]').getAttribute("value")).toMatch(/^#:~:text=/);
		await accessible("claim form prefilled from the article");
		await logOut();

		await logIn(stack.accounts.admin);
		await page.goto(`${stack.baseUrl}/desk/admin/users`);
		await accessible("accounts");
		await page.getByRole("link", { name: "Chris Checker" }).click();
		await accessible("account page");

		await page.setViewportSize({ width: 360, height: 740 });
		for (const url of [`/desk/claims/new`, `/desk/claims/${claimId}`, "/desk"]) {
			await page.goto(`${stack.baseUrl}${url}`);
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			expect(overflow, `${url} scrolls sideways on a phone`).toBeLessThanOrEqual(0);
			await accessible(`phone ${url}`);
		}

		expect(cspErrors).toEqual([]);
		expect(checked.size).toBeGreaterThanOrEqual(20);
	});
});
