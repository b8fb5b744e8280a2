import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	axeViolations,
	createToken,
	describeViolations,
	type Login,
	type Stack,
	signedIn as signInTo,
	startStack,
} from "./harness";

/**
 * The desk as a team, in Chromium: an editor assigns a claim, the checker finds it in
 * "My queue" and drafts, the editor returns the draft with a note, the checker fixes it
 * and the editor publishes; both leave an internal note. axe runs on every page.
 */

let stack: Stack;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
	stack = await startStack();
});

afterAll(async () => {
	// The stack's folders go whatever a context's close does (the browser's close ends it too).
	try {
		for (const context of contexts) await context.close();
	} finally {
		await stack?.stop();
	}
});

const screenshots = process.env.E2E_SCREENSHOTS;

async function accessible(page: Page, label: string) {
	if (screenshots)
		await page.screenshot({
			path: path.join(screenshots, `team-${label.replace(/\W+/g, "-")}.png`),
			fullPage: true,
		});
	const violations = await axeViolations(page);
	expect(violations, describeViolations(`${label} ${page.url()}`, violations)).toEqual([]);
}

async function signedIn(who: Login): Promise<Page> {
	const page = await signInTo(stack, who);
	contexts.push(page.context());
	return page;
}

async function addNote(page: Page, text: string) {
	await page.getByLabel("Your note").fill(text);
	await Promise.all([
		page.waitForURL(/\?done=note-added$/),
		page.getByRole("button", { name: "Add note" }).click(),
	]);
	await expect(page.locator(".notes").textContent()).resolves.toContain(text);
}

describe("the desk as a team", () => {
	it("assign, draft, return with a note, fix, publish; notes on the way", async () => {
		const token = createToken(stack.dir, stack.accounts.editor.email, "claims:write");
		const created = await fetch(`${stack.baseUrl}/api/v1/claims`, {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: JSON.stringify({
				text: "Die Fährverbindung nach Wŏnsan wurde im Juli 2025 wieder aufgenommen.",
				language: "de",
				claimedAt: "2025-07-12",
				speaker: { name: "Choe Son-hui", kind: "person" },
				source: { url: "https://news.example/wonsan-faehre", title: "Fähre nach Wŏnsan", language: "de" },
			}),
		});
		expect(created.status).toBe(201);
		const claimId = ((await created.json()) as { id: string }).id;

		// The editor assigns it to the checker.
		const editor = await signedIn(stack.accounts.editor);
		await editor.goto(`${stack.baseUrl}/desk/claims/${claimId}`);
		await accessible(editor, "claim page, unassigned");
		await editor.getByLabel("Assign to").selectOption({ label: "Chris Checker" });
		await Promise.all([
			editor.waitForURL(/\?done=assigned$/),
			editor.getByRole("button", { name: "Assign", exact: true }).click(),
		]);
		await expect(editor.locator(".assignment").textContent()).resolves.toContain("Chris Checker");
		await addNote(editor, "Please check the ferry operator's timetable: https://ferry.example/timetable");

		// The checker finds it in "My queue" and drafts a verdict.
		const checker = await signedIn(stack.accounts.checker);
		await checker.goto(`${stack.baseUrl}/desk?list=mine`);
		await accessible(checker, "my queue");
		await checker
			.getByRole("link", { name: /Fährverbindung nach Wŏnsan/ })
			.first()
			.click();
		await checker.getByRole("link", { name: "Draft a verdict" }).click();
		await checker.getByLabel("Rating").selectOption("mostly-true");
		await checker.getByLabel("Headline").fill("The ferry runs, but only twice a month");
		await checker
			.getByRole("group", { name: "Link 1" })
			.getByLabel("Address (URL)")
			.fill("https://ferry.example/timetable");
		await checker.getByRole("group", { name: "Link 1" }).getByLabel("Title").fill("Timetable");
		await checker.getByLabel("Language of the verdict").selectOption("en");
		await Promise.all([
			checker.waitForURL(/\?done=draft-saved$/),
			checker.getByRole("button", { name: "Save draft" }).click(),
		]);

		// The editor returns it with a note.
		await editor.goto(`${stack.baseUrl}/desk/claims/${claimId}`);
		await editor.locator("details.return > summary").click();
		await accessible(editor, "return form");
		await editor.getByLabel("What should change?").fill("Say how often it runs in the summary.");
		await Promise.all([
			editor.waitForURL(/\?done=returned$/),
			editor.getByRole("button", { name: "Return to the checker" }).click(),
		]);

		// The checker sees "changes requested", reads the note, fixes the draft and submits it
		// again (a save alone leaves it returned), adds a note.
		await checker.goto(`${stack.baseUrl}/desk`);
		await expect(checker.getByText("changes requested").first().isVisible()).resolves.toBe(true);
		await accessible(checker, "desk home with a returned draft");
		await checker.goto(`${stack.baseUrl}/desk/claims/${claimId}`);
		await expect(checker.locator(".thread").first().textContent()).resolves.toContain(
			"Say how often it runs",
		);
		await checker.getByRole("link", { name: "Edit draft" }).click();
		await checker.getByLabel("Summary").fill("Two crossings a month since July 2025.");
		await Promise.all([
			checker.waitForURL(/\?done=submitted$/),
			checker.getByRole("button", { name: "Save and submit for review" }).click(),
		]);
		await addNote(checker, "Timetable checked on 2025-07-20.");
		expect(await checker.getByText("changes requested").count()).toBe(0);

		// The editor publishes; the public page shows it and none of the notes.
		await editor.goto(`${stack.baseUrl}/desk/claims/${claimId}`);
		await Promise.all([
			editor.waitForURL(/\?done=published$/),
			editor.getByRole("button", { name: "Publish", exact: true }).click(),
		]);
		await accessible(editor, "claim page after publishing");
		const publicHtml = await (await fetch(`${stack.baseUrl}/claims/${claimId}?lang=en`)).text();
		expect(publicHtml).toContain("The ferry runs, but only twice a month");
		expect(publicHtml).not.toContain("Timetable checked");
		expect(publicHtml).not.toContain("Chris Checker assigned");

		// The dashboard, in both widths.
		await editor.goto(`${stack.baseUrl}/desk/dashboard`);
		await accessible(editor, "dashboard");
		for (const width of [1280, 360]) {
			await editor.setViewportSize({ width, height: 900 });
			if (screenshots)
				await editor.screenshot({ path: path.join(screenshots, `dashboard-${width}.png`), fullPage: true });
			const overflow = await editor.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth,
			);
			expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
		}
	});
});
