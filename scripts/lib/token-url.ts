/**
 * The address a command-line tool sends an API token to (`npm run export -- --url`,
 * `import-backup -- --url`, `import`, `backfill:embeddings`). A token goes in every request's
 * Authorization header, before any redirect to https could help: over plain http:// it crosses
 * the network readable (a backup token reads every row and can restore). So only https:, and
 * plain http: only to this machine, where a local `npm start` serves http://localhost:8787.
 */

export class TokenUrlError extends Error {}

/** localhost, 127.0.0.0/8 and [::1]: the URL parser has already written 127.1 or 0x7f.0.0.1 as 127.0.0.1. */
export function isLoopbackHost(hostname: string): boolean {
	return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * `url` without trailing slashes, when a token may be sent there; else a TokenUrlError that
 * says what to give instead. `option` names where the address came from (--url, CLAIMTRACK_URL).
 */
export function tokenUrlOf(url: string, option = "--url"): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new TokenUrlError(
			`${option} ${url} is not an address: give the deployment's, e.g. https://claims.example. Nothing was sent.`,
		);
	}
	if (parsed.protocol === "https:") return url.replace(/\/+$/, "");
	if (parsed.protocol === "http:" && isLoopbackHost(parsed.hostname)) return url.replace(/\/+$/, "");
	const https =
		parsed.protocol === "http:" ? ` (https://${parsed.host}${parsed.pathname.replace(/\/+$/, "")})` : "";
	throw new TokenUrlError(
		`${option} ${url}: an API token goes only to an https:// address${https}, or over plain http:// to this machine (localhost, 127.0.0.1, [::1]; a local npm start is http://localhost:8787), so that it does not cross the network readable. Nothing was sent.`,
	);
}
