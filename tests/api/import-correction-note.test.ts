import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import type { ImportRecord } from "../../src/schemas/import-record";
import { account, apiCall, apiToken, deskGet } from "../desk/helpers";
import { call, eventually, json } from "../helpers";

/**
 * An import's correction note was the fixed English text "Updated by import: rating false →
 * half-true" (rating keys, not labels), shown as written on every surface, on the German
 * page inside `<bdi lang="de">`. It is rendered in the reader's language now, the same on
 * the page, the feed, the claim JSON and the webhooks' payload (the English JSON).
 */

const EN = "Updated by import: rating False → Half true; headline changed";
const DE = "Aktualisiert durch Import: Bewertung Falsch → Teilweise richtig; Überschrift geändert";

const record = (id: string, verdict: Partial<NonNullable<ImportRecord["verdict"]>> = {}) =>
	({
		externalId: `note-${id}`,
		claim: { text: `Die Fähre ${id} fährt seit Mai nicht mehr.`, language: "de", claimedAt: "2025-07-01" },
		speaker: { name: `Reederin ${id}`, kind: "person" },
		sources: [{ url: `https://news.example/${id}`, title: "Artikel" }],
		verdict: {
			rating: "false",
			originalRating: "Falsch",
			headline: "Die Fähre fährt",
			url: `https://check.example/${id}`,
			publishedAt: "2025-07-02",
			language: "de",
			...verdict,
		},
	}) satisfies ImportRecord;

async function send(token: string, records: unknown[]) {
	const response = await apiCall("POST", "/api/v1/import", { token, body: { records } });
	expect(response.status, await response.clone().text()).toBe(200);
	return json<{ results: { status: string; claimId?: string }[] }>(response);
}

interface ClaimJson {
	history: { state: string; correctionNote: string | null }[];
}

const noteOf = async (claimId: string, lang: string) =>
	(await json<ClaimJson>(await call(`/api/v1/claims/${claimId}?lang=${lang}`))).history.find(
		(v) => v.correctionNote !== null,
	)?.correctionNote;

describe("an imported correction's note", () => {
	it("reads in the reader's language, with the ratings' labels, on every surface", {
		timeout: 60_000,
	}, async () => {
		const admin = await account("admin");
		const { token } = await apiToken(admin.user, ["import", "webhooks:manage"]);
		const hook = await apiCall("POST", "/api/v1/webhooks", {
			token,
			body: { url: `https://hooks.example/ok/${newId()}`, events: ["verdict.corrected"] },
		});
		expect(hook.status, await hook.clone().text()).toBe(201);
		const id = newId();
		const claimId = (await send(token, [record(id)])).results[0]?.claimId ?? "";
		const corrected = await send(token, [
			record(id, { rating: "half-true", headline: "Die Fähre fährt selten" }),
		]);
		expect(corrected.results[0]?.status).toBe("updated");

		// The claim JSON (and so the NDJSON export) in the language asked for.
		expect(await noteOf(claimId, "en")).toBe(EN);
		expect(await noteOf(claimId, "de")).toBe(DE);

		// The page: the note in the page's language, tagged so, not as the verdict's German.
		const de = await (await call(`/claims/${claimId}?lang=de`)).text();
		expect(de).toContain(`<bdi lang="de">${DE}</bdi>`);
		expect(de).not.toContain("Updated by import");
		const en = await (await call(`/claims/${claimId}?lang=en`)).text();
		expect(en).toContain(`<bdi lang="en">${EN}</bdi>`);
		expect(en).not.toContain('<bdi lang="de">Updated by import');

		// The desk's claim page, in the desk's language.
		const desk = await deskGet(admin, `/desk/claims/${claimId}?lang=de`);
		expect(desk.status).toBe(200);
		expect(await desk.text()).toContain(`<bdi lang="de">${DE}</bdi>`);

		// The feed, in its language (the correction is the newest entry).
		const feed = await (await call("/feeds/verdicts.atom?lang=de")).text();
		expect(feed).toContain(`Korrektur: ${DE}`);
		expect(feed).not.toContain("Updated by import");

		// The webhook's payload is the English claim JSON.
		const payloads = await eventually(
			async () =>
				(
					await env.DB.prepare(
						"SELECT payload FROM webhook_deliveries WHERE event_type = 'verdict.corrected' AND payload LIKE ?",
					)
						.bind(`%${claimId}%`)
						.all<{ payload: string }>()
				).results,
			(rows) => rows.length > 0,
		);
		expect(payloads.length).toBeGreaterThan(0);
		expect(payloads[0]?.payload).toContain(EN);
		expect(payloads[0]?.payload).not.toContain("rating false → half-true");
	});

	it("keeps an editor's own note as written, in the verdict's language", async () => {
		const { token } = await apiToken((await account("editor")).user, ["import"]);
		const id = newId();
		const claimId = (await send(token, [record(id)])).results[0]?.claimId ?? "";
		await env.DB.prepare(
			"UPDATE verdicts SET correction_note = 'Updated by import: Quelle neu geprüft' WHERE claim_id = ?",
		)
			.bind(claimId)
			.run();
		expect(await noteOf(claimId, "en")).toBe("Updated by import: Quelle neu geprüft");
	});
});
