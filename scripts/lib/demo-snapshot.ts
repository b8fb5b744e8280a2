import { readFile } from "node:fs/promises";
import { WONSAN_SOURCE } from "../../src/db/demo-data";
import type { Db } from "../../src/factory";
import { storeSnapshot } from "../../src/store/snapshot-objects";
import { newestCopyOf, planSnapshots } from "../../src/store/snapshots";

/**
 * The demo's archived copy of the Wonsan article, so "archived copy" shows after
 * `npm start` without a network: the page's bytes and its main text come from
 * scripts/demo/ (the article fixture) instead of a fetch. Returns false when one exists.
 */
export async function seedDemoSnapshot(db: Db, archive: R2Bucket): Promise<boolean> {
	const url = WONSAN_SOURCE.url;
	if (await newestCopyOf(db, url)) return false;
	const [row] = await planSnapshots(db, [url], Date.now());
	if (!row) return false;
	const bytes = new Uint8Array(await readFile(new URL("../demo/wonsan-2025-07-12.de.html", import.meta.url)));
	const text = await readFile(new URL("../demo/wonsan-2025-07-12.de.txt", import.meta.url), "utf8");
	await storeSnapshot(
		{ db, bucket: archive, now: () => Date.now() },
		row,
		{
			finalUrl: url,
			status: 200,
			contentType: "text/html",
			charset: "utf-8",
			headers: [["content-type", "text/html; charset=utf-8"]],
			bytes,
		},
		text,
	);
	return true;
}
