import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken, type Stack, startStack } from "./harness";

/**
 * Webhooks end to end on `wrangler dev` (its local Queues): a receiver on loopback
 * (admitted by ALLOW_LOOPBACK_OUTBOUND) gets a signed `verdict.published` seconds after
 * an editor publishes in the desk; its first answer is a 500, so the delivery is retried
 * with the same webhook-id, and both attempts are in the delivery log.
 */

interface Received {
	at: number;
	headers: IncomingHttpHeaders;
	body: string;
	answered: number;
}

let stack: Stack;
const received: Received[] = [];
const receiver = createServer((request, response) => {
	let body = "";
	request.on("data", (chunk: Buffer) => {
		body += chunk.toString();
	});
	request.on("end", () => {
		const answered = received.length === 0 ? 500 : 204;
		received.push({ at: Date.now(), headers: request.headers, body, answered });
		response.writeHead(answered).end();
	});
});

beforeAll(async () => {
	await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
	stack = await startStack({ vars: ["ALLOW_LOOPBACK_OUTBOUND:true"] });
});

afterAll(async () => {
	await stack?.stop();
	receiver.close();
});

async function api(token: string, method: string, path: string, body?: unknown) {
	const response = await fetch(`${stack.baseUrl}${path}`, {
		method,
		headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
		...(body ? { body: JSON.stringify(body) } : {}),
	});
	const text = await response.text();
	expect(response.status, `${method} ${path}: ${text}`).toBeLessThan(300);
	return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

async function until<T>(what: string, read: () => T | undefined, ms = 60_000): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = read();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`waited ${ms / 1000} s for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

describe("webhooks on wrangler dev", () => {
	it("deliver a signed verdict.published to a loopback receiver and retry a 500 with the same id", async () => {
		const port = (receiver.address() as AddressInfo).port;
		const token = createToken(
			stack.dir,
			"admin@e2e.claimtrack.test",
			"webhooks:manage claims:write verdicts:write",
		);
		const hook = await api(token, "POST", "/api/v1/webhooks", {
			url: `http://127.0.0.1:${port}/claimtrack`,
			events: ["verdict.published"],
		});
		const secret = String(hook.secret);
		const claim = await api(token, "POST", "/api/v1/claims", {
			text: "Die Luftverbindungen nach Wŏnsan sind bereits wiederhergestellt.",
			language: "de",
			claimedAt: "2025-07-12",
			speaker: { name: "Sergej Lawrow", kind: "person" },
			source: {
				url: "https://news.example/2025/07/12/lawrow-wonsan",
				title: "Lawrow in Wŏnsan",
				language: "de",
			},
		});
		await api(token, "POST", `/api/v1/claims/${claim.id}/verdicts`, {
			rating: "mostly-true",
			headline: "Flights between Moscow and Wŏnsan resumed in July 2025",
			evidence: [{ url: "https://news.example/flights", title: "Flight schedule" }],
			language: "en",
		});

		// The editor publishes in the desk.
		const context = await stack.browser.newContext();
		const page = await context.newPage();
		await page.goto(`${stack.baseUrl}/desk/login`);
		await page.getByLabel("Email address").fill(stack.accounts.editor.email);
		await page.getByLabel("Password").fill(stack.accounts.editor.password);
		await Promise.all([
			page.waitForURL(`${stack.baseUrl}/desk`),
			page.getByRole("button", { name: "Log in" }).click(),
		]);
		await page.goto(`${stack.baseUrl}/desk/claims/${claim.id}`);
		const publishedAt = Date.now();
		await Promise.all([
			page.waitForURL(/\?done=published$/),
			page.getByRole("button", { name: "Publish", exact: true }).click(),
		]);
		await context.close();

		const first = await until("the first delivery", () => received[0]);
		const second = await until("the retry", () => received[1]);
		console.log(
			`webhook: first attempt ${((first.at - publishedAt) / 1000).toFixed(1)} s after publishing, retry ${((second.at - first.at) / 1000).toFixed(1)} s later`,
		);
		expect(first.at - publishedAt).toBeLessThan(30_000);
		for (const attempt of [first, second]) {
			const payload = new Webhook(secret).verify(attempt.body, attempt.headers as Record<string, string>);
			expect(payload).toMatchObject({
				type: "verdict.published",
				data: { claim: { id: claim.id, status: "mostly-true" } },
			});
		}
		expect(second.headers["webhook-id"]).toBe(first.headers["webhook-id"]);

		const deliveries = (await api(token, "GET", `/api/v1/webhooks/${hook.id}/deliveries`)) as {
			data: { id: string; state: string; log: { statusCode: number }[] }[];
		};
		const [delivery] = deliveries.data;
		expect(delivery?.id).toBe(first.headers["webhook-id"]);
		expect(delivery?.state).toBe("delivered");
		expect(delivery?.log.map((a) => a.statusCode)).toEqual([204, 500]);
	});
});
