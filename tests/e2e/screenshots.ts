/**
 * Screenshots of the embed card (every theme, light and dark reader preference, 320 and
 * 1280 px), the desk's embed panel and the /ratings page, for a person to look at. Not run
 * by CI. Needs Debian's chromium:
 *
 *   npx tsx tests/e2e/screenshots.ts /tmp/claimtrack-shots
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { root, type Stack, startStack } from "./harness";

const out = path.resolve(process.argv[2] ?? "claimtrack-screenshots");
mkdirSync(out, { recursive: true });

function apiToken(stack: Stack): string {
	const result = spawnSync(
		path.join(root, "node_modules/.bin/tsx"),
		[
			"scripts/token.ts",
			"add",
			"--email",
			stack.accounts.editor.email,
			"--name",
			"screenshots",
			"--scopes",
			"claims:write verdicts:write verdicts:publish",
			"--persist-to",
			stack.dir,
		],
		{ cwd: root, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" } },
	);
	const token = /(ct_[A-Za-z0-9_-]+)/.exec(result.stdout)?.[1];
	if (!token) throw new Error(`no token:\n${result.stdout}\n${result.stderr}`);
	return token;
}

async function api(stack: Stack, token: string, method: string, url: string, body: unknown) {
	const response = await fetch(`${stack.baseUrl}${url}`, {
		method,
		headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
		body: JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
	return (await response.json()) as { id: string; version: number };
}

const stack = await startStack();
try {
	const token = apiToken(stack);
	const rated = await api(stack, token, "POST", "/api/v1/claims", {
		text: "North Korean troops liberated the Kursk region on their own, without any help from the Russian army, and they did it within two weeks.",
		language: "en",
		claimedAt: "2025-07-12",
		speaker: { name: "Choe Son-hui", kind: "person" },
		source: { url: "https://news.example/wonsan", title: "Lavrov in Wonsan", language: "en" },
	});
	const draft = await api(stack, token, "POST", `/api/v1/claims/${rated.id}/verdicts`, {
		rating: "mostly-false",
		headline: "Russian units did most of the fighting; the North Korean contingent arrived later",
		summary: "What we found.",
		evidence: [{ url: "https://evidence.example/report", title: "Report" }],
		language: "en",
	});
	await api(stack, token, "POST", `/api/v1/verdicts/${draft.id}/publish`, { version: draft.version });
	const pending = await api(stack, token, "POST", "/api/v1/claims", {
		text: "Der Hafen von Wŏnsan ist seit Juli wieder für Touristen geöffnet.",
		language: "de",
		claimedAt: "2025-07-10",
		speaker: null,
		source: { url: "https://news.example/hafen", title: "Wŏnsan", language: "de", publisher: "News Example" },
	});

	const long = await api(stack, token, "POST", "/api/v1/claims", {
		text: `${"Die Wirtschaft ist im vergangenen Jahr um mehr als zehn Prozent gewachsen, ".repeat(5)}sagte er.`,
		language: "de",
		claimedAt: "2025-07-11",
		speaker: { name: "Maximiliane Musterfrau-Langenscheidt von und zu Beispielhausen", kind: "person" },
		source: { url: "https://news.example/lang", title: "Lang", language: "de" },
	});
	const longDraft = await api(stack, token, "POST", `/api/v1/claims/${long.id}/verdicts`, {
		rating: "missing-context",
		headline:
			"Das Wachstum stimmt für ein einzelnes Quartal, über das ganze Jahr lag es bei 1,8 Prozent, und die Zahl stammt aus einer vorläufigen Schätzung",
		summary: "What we found.",
		evidence: [{ url: "https://evidence.example/report", title: "Report" }],
		language: "de",
	});
	await api(stack, token, "POST", `/api/v1/verdicts/${longDraft.id}/publish`, { version: longDraft.version });

	// A plain light host page (no color-scheme of its own) framing the cards as the embed code does.
	const host = (cards: string[]) =>
		`<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"><style>body{font:16px/1.5 Georgia,serif;margin:16px;background:#fff;color:#222}h2{font:600 14px sans-serif;margin:16px 0 4px}</style></head><body><p>A host article paragraph above the card.</p>${cards.join("")}<p>Text after the cards.</p></body></html>`;
	const frame = (label: string, src: string) =>
		`<h2>${label}</h2><iframe src="${stack.baseUrl}${src}" width="400" height="240" style="border:0;max-width:100%" loading="eager"></iframe>`;
	const cards = [
		frame("default (light)", `/embed/${rated.id}`),
		frame("theme=dark", `/embed/${rated.id}?theme=dark`),
		frame("theme=auto", `/embed/${rated.id}?theme=auto`),
		frame("pending, lang=de, default", `/embed/${pending.id}?lang=de`),
		frame("longest text, lang=de, theme=auto", `/embed/${long.id}?lang=de&theme=auto`),
	];
	// Served from another origin, as a real host page is (`frame-ancestors *` excludes opaque origins).
	const hostServer = createServer((_request, response) => {
		response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
		response.end(host(cards));
	});
	await new Promise<void>((resolve) => hostServer.listen(0, "127.0.0.1", resolve));
	const address = hostServer.address();
	const hostUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
	for (const width of [320, 1280]) {
		for (const scheme of ["light", "dark"] as const) {
			const context = await stack.browser.newContext({
				viewport: { width, height: 1600 },
				colorScheme: scheme,
			});
			const page = await context.newPage();
			await page.goto(hostUrl, { waitUntil: "load" });
			await page.waitForTimeout(500);
			await page.screenshot({ path: path.join(out, `card-${width}-${scheme}.png`), fullPage: true });
			await context.close();
		}
	}
	hostServer.close();

	for (const [width, lang] of [
		[1280, "en"],
		[360, "de"],
	] as const) {
		const context = await stack.browser.newContext({ viewport: { width, height: 900 } });
		const page = await context.newPage();
		await page.goto(`${stack.baseUrl}/ratings?lang=${lang}#misleading`);
		await page.screenshot({ path: path.join(out, `ratings-${width}-${lang}.png`), fullPage: true });
		await page.goto(`${stack.baseUrl}/claims/${rated.id}?lang=${lang}`);
		await page.screenshot({ path: path.join(out, `claim-${width}-${lang}.png`), fullPage: true });
		await page.goto(`${stack.baseUrl}/claims?q=Kursk&lang=${lang}`);
		await page.screenshot({ path: path.join(out, `search-${width}-${lang}.png`), fullPage: true });
		await page.goto(`${stack.baseUrl}/api/docs?lang=${lang}`);
		await page.screenshot({ path: path.join(out, `api-docs-${width}-${lang}.png`), fullPage: false });
		await context.close();
	}

	// The desk's claim page: the embed panel with a choice made, and its preview.
	const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	await page.goto(`${stack.baseUrl}/desk/login`);
	await page.getByLabel("Email address").fill(stack.accounts.editor.email);
	await page.getByLabel("Password").fill(stack.accounts.editor.password);
	await Promise.all([
		page.waitForURL(`${stack.baseUrl}/desk`),
		page.getByRole("button", { name: "Log in" }).click(),
	]);
	await page.goto(`${stack.baseUrl}/desk?list=all&q=Kursk&lang=en`);
	await page.screenshot({ path: path.join(out, "desk-search.png"), fullPage: true });
	await page.setViewportSize({ width: 360, height: 900 });
	await page.goto(`${stack.baseUrl}/desk?list=all&q=Kursk&sort=recent&lang=de`);
	await page.screenshot({ path: path.join(out, "desk-search-360-de.png"), fullPage: true });
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(`${stack.baseUrl}/desk/claims/${rated.id}?lang=en`);
	await page.selectOption('select[name="embedStyle"]', "for-the-badge");
	await page.selectOption('select[name="embedTheme"]', "dark");
	await Promise.all([
		page.waitForURL(/embedTheme=dark/),
		page.getByRole("button", { name: "Update the code" }).click(),
	]);
	await page.waitForTimeout(500);
	await page.locator("section.embed-code").screenshot({ path: path.join(out, "desk-embed-panel.png") });
	console.log(`desk URL after choosing: ${page.url()}`);
	await context.close();
	console.log(`screenshots in ${out}`);
} finally {
	await stack.stop();
}
