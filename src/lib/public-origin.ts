/** The configured origin alone, where there is no request (a queue consumer); null without one. */
export function configuredOrigin(env: { PUBLIC_URL?: string }): string | null {
	const configured = env.PUBLIC_URL?.trim();
	if (!configured) return null;
	try {
		return new URL(configured).origin;
	} catch {
		return null;
	}
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
