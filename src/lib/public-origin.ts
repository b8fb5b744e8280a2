import { httpUrl } from "../domain/deployment-settings";

/**
 * The configured origin alone, where there is no request (a queue consumer); null without
 * one, and null for a `PUBLIC_URL` that is not an http(s) address: "localhost:8787" parses
 * with the origin "null" and "ftp://…" with an ftp origin, and links built on either are
 * broken (the desk shows the setting to its admins as not an address).
 */
export function configuredOrigin(env: { PUBLIC_URL?: string }): string | null {
	const configured = env.PUBLIC_URL?.trim();
	if (!configured) return null;
	return httpUrl(configured)?.origin ?? null;
}

/**
 * The origin every absolute link is built from: the configured `PUBLIC_URL`, never the
 * request's Host. A Host header is the client's to choose, and answers are cached by
 * path: one request with `Host: evil.example` must not make links for everyone else.
 * Only a deployment without `PUBLIC_URL` (local development) falls back to the request.
 */
export function publicOrigin(c: { env: { PUBLIC_URL?: string }; req: { url: string } }): string {
	// A malformed setting is a deployment error; the request's origin keeps links working.
	return configuredOrigin(c.env) ?? new URL(c.req.url).origin;
}
