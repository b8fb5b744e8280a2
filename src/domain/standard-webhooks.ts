/**
 * The wire format of Standard Webhooks 1.0 (standardwebhooks.com): every delivery
 * carries `webhook-id` (the same on every retry, so receivers can deduplicate),
 * `webhook-timestamp` (seconds) and `webhook-signature`, a space-separated list of
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret in force — two while a
 * rotated secret overlaps the new one. Secrets are `whsec_` + base64 of 32 random bytes;
 * the HMAC key is the decoded bytes.
 */

const PREFIX = "whsec_";

function toBase64(bytes: Uint8Array): string {
	let binary = "";
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
	const binary = atob(text);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

export function newWebhookSecret(): string {
	return `${PREFIX}${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** A message id as the spec suggests (`msg_` + a unique suffix), stable across retries. */
export function newMessageId(): string {
	return `msg_${crypto.randomUUID().replaceAll("-", "")}`;
}

async function sign(secret: string, content: string): Promise<string> {
	if (!secret.startsWith(PREFIX)) throw new Error("a webhook secret starts with whsec_");
	const key = await crypto.subtle.importKey(
		"raw",
		fromBase64(secret.slice(PREFIX.length)),
		{ name: "HMAC", hash: "SHA-256" },
		false,
		["sign"],
	);
	const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(content));
	return `v1,${toBase64(new Uint8Array(mac))}`;
}

/** The three headers of one delivery attempt, signed with every secret in force. */
export async function webhookHeaders(
	secrets: readonly string[],
	message: { id: string; timestamp: number; body: string },
): Promise<Record<string, string>> {
	const content = `${message.id}.${message.timestamp}.${message.body}`;
	const signatures = await Promise.all(secrets.map((secret) => sign(secret, content)));
	return {
		"webhook-id": message.id,
		"webhook-timestamp": String(message.timestamp),
		"webhook-signature": signatures.join(" "),
	};
}
