/**
 * Embeds every claim for semantic matching, on a deployed Worker with Workers AI and
 * Vectorize bound (neither runs locally): calls POST /api/v1/matching/backfill page by
 * page until it is done. Safe to run again; it rewrites the same vectors.
 *   npm run backfill:embeddings -- --url https://claims.example.org --token ct_…   (an editor's token with the import scope)
 */
import { parseArgs } from "node:util";
import { tokenUrlOf } from "./lib/token-url";

const USAGE = "Usage: npm run backfill:embeddings -- --url https://… --token ct_… [--after SEQ]";

let url = "";
let token = "";
let after = 0;
try {
	const { values } = parseArgs({
		options: { url: { type: "string" }, token: { type: "string" }, after: { type: "string" } },
	});
	token = values.token ?? process.env.CLAIMTRACK_TOKEN ?? "";
	after = Number(values.after ?? 0);
	// The token goes with every page: https://, or plain http:// only to this machine.
	url = values.url === undefined ? "" : tokenUrlOf(values.url);
} catch (error) {
	console.error(`${error instanceof Error ? error.message : error}\n${USAGE}`);
	process.exit(2);
}
if (url === "" || token === "" || !Number.isInteger(after)) {
	console.error(USAGE);
	process.exit(2);
}

let total = 0;
for (;;) {
	const response = await fetch(`${url}/api/v1/matching/backfill`, {
		method: "POST",
		headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
		body: JSON.stringify({ after }),
	});
	if (!response.ok) {
		console.error(`backfill: ${response.status} ${await response.text()} (continue with --after ${after})`);
		process.exit(1);
	}
	const page = (await response.json()) as { indexed: number; next: number | null };
	total += page.indexed;
	console.log(`backfill: ${total} claims embedded`);
	if (page.next === null) break;
	after = page.next;
}
