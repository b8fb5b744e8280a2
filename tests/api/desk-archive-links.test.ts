import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { account, deskGet } from "../desk/helpers";
import { makeClaim } from "../factories";
import { call, json } from "../helpers";

/*
 * The desk links the archived copy the public surfaces show for a citation (the copy made
 * for it, domain/snapshots `copyForCitation`), opened for the claim so its quote is
 * highlighted; not simply the newest copy of the address.
 */

/** A stored copy of `url` fetched `days` from now (its objects are not needed for the links). */
async function storedCopy(url: string, days: number): Promise<string> {
	const id = newId();
	const at = new Date(Date.now() + days * 86_400_000 + 60_000).toISOString();
	await env.DB.prepare(
		"INSERT INTO snapshots (id, url, final_url, state, http_status, content_type, sha256, bytes, fetched_at, attempts, created_at, updated_at) VALUES (?, ?, ?, 'ok', 200, 'text/html', ?, 10, ?, 1, ?, ?)",
	)
		.bind(id, url, url, "a".repeat(64), at, at, at)
		.run();
	return id;
}

describe("the desk's archived copy of a source", () => {
	it("is the copy the public JSON shows for the citation, opened for the claim", {
		timeout: 60_000,
	}, async () => {
		const editor = await account("editor");
		const url = `https://news.example/edited-${newId()}.html`;
		const claim = await makeClaim({ sourceUrl: url });
		// The copy made when the claim cited the page, and one made days later for another
		// claim after the outlet edited it.
		const cited = await storedCopy(url, 0);
		const later = await storedCopy(url, 3);
		const detail = await json<{ appearances: { source: { snapshot: { url: string } | null } }[] }>(
			await call(`/api/v1/claims/${claim.id}`),
		);
		expect(detail.appearances[0]?.source.snapshot?.url).toContain(`/snapshots/${cited}`);
		const page = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		expect(page).toMatch(new RegExp(`href="[^"]*/snapshots/${cited}\\?claim=${claim.id}"`));
		expect(page).not.toContain(`/snapshots/${later}`);
	});
});
