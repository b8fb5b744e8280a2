import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openInput } from "../../scripts/lib/import-input";
import type { ImportRecord } from "../../src/schemas/import-record";

const dir = mkdtempSync(path.join(tmpdir(), "import-input-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function claimReview(url: string, claimReviewed: string) {
	return {
		"@context": "https://schema.org",
		"@type": "ClaimReview",
		url,
		claimReviewed,
		reviewRating: { "@type": "Rating", alternateName: "Falsch" },
	};
}

async function records(file: string, format: "ndjson" | "claimreview", language?: string) {
	const input = await openInput(file, { format, ...(language ? { language } : {}) });
	const found: ImportRecord[] = [];
	for await (const item of input.items) if (item.kind === "record") found.push(item.record);
	return found;
}

describe("the import CLI's input", () => {
	it("takes --language for ClaimReview documents that name none, in NDJSON and whole files", async () => {
		const ndjson = path.join(dir, "de.ndjson");
		writeFileSync(
			ndjson,
			`${JSON.stringify(claimReview("https://check.example/a", "Die Erde ist flach."))}\n`,
		);
		expect((await records(ndjson, "ndjson", "de"))[0]?.claim.language).toBe("de");
		expect((await records(ndjson, "ndjson"))[0]?.claim.language).toBe("en");
		const whole = path.join(dir, "de.json");
		writeFileSync(whole, JSON.stringify(claimReview("https://check.example/b", "Der Mond ist aus Käse.")));
		expect((await records(whole, "claimreview", "de"))[0]?.claim.language).toBe("de");
	});

	it("gives claims of one page on separate NDJSON lines ids of their own", async () => {
		const file = path.join(dir, "page.ndjson");
		const page = "https://check.example/two";
		writeFileSync(
			file,
			[claimReview(page, "Die Erde ist flach."), claimReview(page, "Der Mond ist aus Käse.")]
				.map((d) => JSON.stringify(d))
				.join("\n"),
		);
		const ids = (await records(file, "ndjson")).map((r) => r.externalId);
		expect(ids[0]).toBe(page);
		expect(ids[1]).toMatch(/^https:\/\/check\.example\/two#claim-[0-9a-f]{8}$/);
	});
});
