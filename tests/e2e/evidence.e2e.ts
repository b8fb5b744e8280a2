import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	axeViolations,
	createToken,
	describeViolations,
	type Login,
	root,
	type Stack,
	signedIn as signInTo,
	startStack,
} from "./harness";

/**
 * The evidence archive on wrangler dev (Queues and R2 emulated), in Chromium: a source on
 * a loopback "news site" is archived in the background, the claim page links the archived
 * copy, which opens with the quote highlighted; a checker attaches a screenshot that the
 * public sees once an editor makes it public. axe runs on each page.
 */

const ARTICLE = readFileSync(path.join(root, "tests/fixtures/articles-html/wonsan-2025-07-12.de.html"));
const QUOTE =
	"Diese Einschätzung wurde konkret im Bereich Kursk bewiesen, wo Mitglieder und Kämpfer der Koreanischen Volksarmee zusammen mit ihren russischen Kameraden unter Einsatz ihres Blutes und sogar ihres Lebens erfolgreich das Gebiet von den ukrainischen Nazis befreiten.";

const site = createServer((request, response) => {
	if (request.url === "/wonsan.html") {
		response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
		response.end(ARTICLE);
		return;
	}
	response.writeHead(404);
	response.end();
});

let stack: Stack;
let siteUrl = "";
const contexts: BrowserContext[] = [];
const screenshots = process.env.E2E_SCREENSHOTS;

beforeAll(async () => {
	await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
	const address = site.address();
	siteUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
	stack = await startStack({ vars: ["ALLOW_LOOPBACK_OUTBOUND:true"] });
}, 240_000);

afterAll(async () => {
	// The stack's folders go whatever a context's close does (the browser's close ends it too).
	try {
		for (const context of contexts) await context.close();
	} finally {
		await stack?.stop();
		site.close();
	}
});

async function check(page: Page, label: string) {
	if (screenshots) {
		for (const width of [1280, 360]) {
			await page.setViewportSize({ width, height: 900 });
			await page.screenshot({
				path: path.join(screenshots, `evidence-${label.replace(/\W+/g, "-")}-${width}.png`),
				fullPage: true,
			});
		}
		await page.setViewportSize({ width: 1280, height: 900 });
	}
	const violations = await axeViolations(page);
	expect(violations, describeViolations(`${label} ${page.url()}`, violations)).toEqual([]);
	// Nothing may overflow a phone's width.
	await page.setViewportSize({ width: 360, height: 800 });
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow, `${label} is wider than 360 px`).toBeLessThanOrEqual(0);
	await page.setViewportSize({ width: 1280, height: 900 });
}

async function signedIn(who: Login): Promise<Page> {
	const page = await signInTo(stack, who);
	contexts.push(page.context());
	return page;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 60_000): Promise<T> {
	const until = Date.now() + ms;
	for (;;) {
		const value = await read();
		if (done(value) || Date.now() > until) return value;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** A real PNG (rendered by resvg), so the browser decodes it. */
function screenshotPng(): Buffer {
	const svg =
		'<svg xmlns="http://www.w3.org/2000/svg" width="320" height="120"><rect width="320" height="120" fill="#1d4ed8"/><rect x="16" y="16" width="288" height="88" fill="#fff"/><rect x="32" y="40" width="200" height="12" fill="#111"/><rect x="32" y="64" width="160" height="12" fill="#555"/></svg>';
	return Buffer.from(new Resvg(svg).render().asPng());
}

describe("the evidence archive", () => {
	it("archives a source, links its copy with the quote highlighted, and shows a public screenshot", async () => {
		const token = createToken(
			stack.dir,
			stack.accounts.editor.email,
			"claims:write verdicts:write verdicts:publish",
		);
		const api = (method: string, url: string, body?: unknown) =>
			fetch(`${stack.baseUrl}${url}`, {
				method,
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				...(body === undefined ? {} : { body: JSON.stringify(body) }),
			});
		const created = await api("POST", "/api/v1/claims", {
			text: QUOTE,
			language: "de",
			claimedAt: "2025-07-12",
			speaker: { name: "Choe Son-hui", kind: "person" },
			source: { url: `${siteUrl}/wonsan.html`, title: "Lawrow in Wŏnsan", language: "de" },
		});
		expect(created.status).toBe(201);
		const claimId = ((await created.json()) as { id: string }).id;
		const draft = (await (
			await api("POST", `/api/v1/claims/${claimId}/verdicts`, {
				rating: "false",
				headline: "Kein Beleg für nordkoreanische Truppen als Befreier von Kursk",
				language: "de",
				evidence: [{ url: `${siteUrl}/wonsan.html`, title: "Der Artikel" }],
			})
		).json()) as { id: string; version: number };
		expect(
			(await api("POST", `/api/v1/verdicts/${draft.id}/publish`, { version: draft.version })).status,
		).toBe(200);

		// Archived in the background by the queue consumer.
		const detail = await eventually(
			async () =>
				(await (await fetch(`${stack.baseUrl}/api/v1/claims/${claimId}`)).json()) as {
					appearances: { source: { snapshot: { url: string; sha256: string } | null } }[];
				},
			(d) => d.appearances[0]?.source.snapshot !== null,
		);
		const snapshot = detail.appearances[0]?.source.snapshot;
		expect(snapshot?.sha256).toMatch(/^[0-9a-f]{64}$/);

		// The public page links the copy; the copy opens with the quote highlighted.
		const reader = await (await stack.browser.newContext()).newPage();
		contexts.push(reader.context());
		await reader.goto(`${stack.baseUrl}/claims/${claimId}`);
		await check(reader, "claim page with archived copy");
		await Promise.all([
			reader.waitForURL(/\/snapshots\/[0-9a-z]{14}\?claim=/),
			reader
				.getByRole("link", { name: /^archived copy \(/ })
				.first()
				.click(),
		]);
		await expect(reader.locator("mark").first().textContent()).resolves.toContain(
			"im Bereich Kursk bewiesen",
		);
		await expect(reader.getByText(snapshot?.sha256 ?? "missing")).toBeTruthy();
		const scripts = await reader.evaluate(() => document.scripts.length);
		expect(scripts).toBe(0);
		await check(reader, "archived copy");

		// A checker attaches a screenshot; the public sees it only after an editor makes it public.
		const checker = await signedIn(stack.accounts.checker);
		await checker.goto(`${stack.baseUrl}/desk/claims/${claimId}`);
		await checker
			.getByLabel("File", { exact: true })
			.setInputFiles({ name: "post.png", mimeType: "image/png", buffer: screenshotPng() });
		await checker.getByLabel("Caption (shown with the file)").fill("Screenshot of the post, 12 July 2025");
		await Promise.all([
			checker.waitForURL(/\?done=attached/),
			checker.getByRole("button", { name: "Attach" }).click(),
		]);
		await check(checker, "desk claim page with attachment");
		await reader.goto(`${stack.baseUrl}/claims/${claimId}`);
		expect(await reader.locator(".attachments img").count()).toBe(0);

		const editor = await signedIn(stack.accounts.editor);
		await editor.goto(`${stack.baseUrl}/desk/claims/${claimId}`);
		await Promise.all([
			editor.waitForURL(/\?done=attachment-changed/),
			editor.getByRole("button", { name: "Make public" }).click(),
		]);
		await reader.goto(`${stack.baseUrl}/claims/${claimId}`);
		const image = reader.locator(".attachments img");
		await expect(image.getAttribute("alt")).resolves.toBe("Screenshot of the post, 12 July 2025");
		const width = await eventually(
			() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth),
			(w) => w > 0,
			20_000,
		);
		expect(width).toBe(320);
		await check(reader, "claim page with public screenshot");

		// Another outlet reports the same statement in other words: the claim form finds it as it
		// is typed, and "add as appearance" files the article under the recorded claim.
		await checker.goto(`${stack.baseUrl}/desk/claims/new`);
		await checker.getByLabel("Address (URL)").fill(`https://other-outlet.example/kursk-${Date.now()}`);
		await checker.getByLabel("Language of the claim").fill("de");
		await checker
			.getByLabel("Verbatim quote")
			.fill(
				"Im Bereich Kursk sei diese Einschätzung konkret bewiesen worden, wo Kämpfer der Koreanischen Volksarmee mit ihren russischen Kameraden unter Einsatz ihres Lebens das Gebiet von den ukrainischen Nazis befreiten.",
			);
		const match = checker.locator("#claim-matches li.match-same a");
		await match.waitFor({ timeout: 20_000 });
		await expect(match.getAttribute("href")).resolves.toBe(`/desk/claims/${claimId}`);
		await check(checker, "claim form with a match");
		await Promise.all([
			checker.waitForURL(new RegExp(`/desk/claims/${claimId}\\?done=appearance-added`)),
			checker.getByRole("button", { name: "Add this article as another appearance" }).click(),
		]);
		await expect(checker.locator(".appearances").textContent()).resolves.toContain("other-outlet.example");
	});
});
