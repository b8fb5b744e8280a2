/// <reference types="vite/client" />
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { makeClaim, publish, retract } from "../factories";
import wonsan from "../fixtures/wonsan-2025-07-12.de.txt?raw";
import { json, uniquePlace } from "../helpers";
import { account, claimForm, deskGet, deskPost, post } from "./helpers";

const place = uniquePlace;

const copies = async (text: string) =>
	(await env.DB.prepare("SELECT count(*) AS n FROM claims WHERE text = ?").bind(text).first<{ n: number }>())
		?.n;

describe("the desk meets matches", () => {
	it("a restated claim comes back with its match and 'add as appearance'; saving again records it anyway", async () => {
		const town = place();
		const original = await makeClaim({
			text: `Die Arbeitslosigkeit in ${town} ist auf 12 Prozent gestiegen.`,
		});
		const checker = await account("checker");
		const form = claimForm({ text: `Die Arbeitslosigkeit in ${town} sei auf zwölf Prozent gestiegen.` });
		const offered = await deskPost(checker, "/desk/claims", form);
		expect(offered.status).toBe(409);
		const html = await offered.text();
		expect(html).toContain("Recorded already?");
		expect(html).toContain("Same claim:");
		expect(html).toContain(`href="/desk/claims/${original.id}"`);
		expect(html).toContain(`formaction="/desk/claims/${original.id}/appearances"`);
		expect(html).toContain('name="matchesReviewed" value="1"');

		// "Add as appearance" posts the claim form to the appearance route: the article joins the claim.
		const added = await deskPost(checker, `/desk/claims/${original.id}/appearances`, form);
		expect(added.status).toBe(303);
		const appearances = await env.DB.prepare("SELECT quote FROM appearances WHERE claim_id = ?")
			.bind(original.id)
			.all<{ quote: string | null }>();
		expect(appearances.results.map((a) => a.quote)).toContain(form.text);

		// Saving again (the match was seen) records a new claim.
		const again = await deskPost(checker, "/desk/claims", {
			...form,
			"source.url": `https://other.example/${newId()}`,
			_idem: newToken(18),
			matchesReviewed: "1",
		});
		expect(again.status).toBe(303);
	});

	it("similar claims do not stop a new claim, and the claim page lists them", async () => {
		const town = place();
		const older = await makeClaim({
			text: `Die Arbeitslosigkeit in ${town} ist 2023 auf 12 Prozent gestiegen.`,
		});
		const checker = await account("checker");
		const created = await deskPost(
			checker,
			"/desk/claims",
			claimForm({ text: `Die Arbeitslosigkeit in ${town} ist 2024 auf 12 Prozent gestiegen.` }),
		);
		expect(created.status).toBe(303);
		const page = await (await deskGet(checker, created.headers.get("location") ?? "")).text();
		expect(page).toContain("Similar claims");
		expect(page).toContain(`href="/desk/claims/${older.id}"`);
	});

	it("the form's script asks /desk/claims/matches as the quote is typed (session only)", async () => {
		const town = place();
		const original = await makeClaim({ text: `Exports from ${town} doubled in 2024.`, language: "en" });
		const checker = await account("checker");
		const path = `/desk/claims/matches?${new URLSearchParams({ text: `In 2024, exports from ${town} doubled`, language: "en" })}`;
		const response = await deskGet(checker, path);
		expect(response.status).toBe(200);
		expect(response.headers.get("cache-control")).toBe("no-store");
		const body = await json<{ data: { id: string; relation: string }[] }>(response);
		expect(body.data[0]).toMatchObject({ id: original.id, relation: "same" });
		expect((await deskGet(null, path)).status).not.toBe(200);
		const form = await (await deskGet(checker, "/desk/claims/new")).text();
		expect(form).toContain('id="claim-matches"');
		expect(form).toContain('aria-live="polite"');
	});

	it("'New from article' marks a candidate that was checked already, with its rating", async () => {
		const quote =
			"Diese Einschätzung wurde konkret im Bereich Kursk bewiesen, wo Mitglieder und Kämpfer der Koreanischen Volksarmee zusammen mit ihren russischen Kameraden unter Einsatz ihres Blutes und sogar ihres Lebens erfolgreich das Gebiet von den ukrainischen Nazis befreiten.";
		const checked = await makeClaim({ text: quote });
		await publish(checked.id, "false");
		const checker = await account("checker");
		const response = await deskPost(checker, "/desk/articles", { url: "", text: wonsan, language: "de" });
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toMatch(/Checked already:<\/strong> <a class="status status-false"/);
		expect(html).toContain(`href="/desk/claims/${checked.id}"`);
	});

	it("'New from article' marks a candidate recorded already and not checked yet, so nobody records it twice", async () => {
		const town = place();
		const sentence = `Der Hafen von ${town} wurde im Mai 2025 mit 40 neuen Schiffen wiedereröffnet.`;
		const recorded = await makeClaim({ text: sentence });
		const article = `${town}: Hafen wieder offen\n\nDer Minister sagte am Montag: „${sentence}“ Das bestätigte auch die Behörde.`;
		const checker = await account("checker");
		const response = await deskPost(checker, "/desk/articles", { url: "", text: article, language: "de" });
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain("Recorded already, not checked yet:</strong>");
		expect(html).toContain(`href="/desk/claims/${recorded.id}"`);
		expect(html).toMatch(/Recorded already, not checked yet:<\/strong> <a class="status status-unverified"/);
	});

	it("'New from article' says a candidate whose verdict was retracted needs checking again, not that it was checked already", async () => {
		const town = place();
		const sentence = `Der Flughafen von ${town} hat im Juni 2025 rund 40.000 Passagiere abgefertigt.`;
		const claim = await makeClaim({ text: sentence });
		const published = await publish(claim.id, "false");
		await retract(published.id, published.version);
		const article = `${town}: Rekord am Flughafen\n\nDie Betreiberin sagte am Montag: „${sentence}“ Das bestätigte auch die Behörde.`;
		const checker = await account("checker");
		const read = async (headers: Record<string, string>) => {
			const response = await post(
				"/desk/articles",
				{ _csrf: checker.csrf, url: "", text: article, language: "de" },
				{ cookie: checker.cookie, headers },
			);
			expect(response.status).toBe(200);
			const html = await response.text();
			return /<p class="checked checked-same"><strong>([^<]*):<\/strong>/.exec(html)?.[1];
		};
		expect(await read({})).toBe("Recorded already, verdict retracted, to be checked again");
		expect(await read({ "Accept-Language": "de-DE,de;q=0.9" })).toBe(
			"Schon erfasst, Bewertung zurückgezogen, erneut zu prüfen",
		);
	});

	it("the very same words under another spelling of the speaker stop once, as a rewording does, not recorded again", async () => {
		const tag = place();
		const town = place();
		const text = `Die Lage in ${town} ist stabil.`;
		const checked = await makeClaim({ text, language: "de", speaker: { name: `Sergei Lawrow${tag}` } });
		await publish(checked.id, "false");
		const checker = await account("checker");
		const reworded = await deskPost(
			checker,
			"/desk/claims",
			claimForm({ text: `Die Lage in ${town} sei stabil.`, "speaker.name": `Sergej Lawrow${tag}` }),
		);
		expect(reworded.status).toBe(409);
		expect(await reworded.text()).toContain(`formaction="/desk/claims/${checked.id}/appearances"`);
		const same = await deskPost(
			checker,
			"/desk/claims",
			claimForm({ text, "speaker.name": `Sergej Lawrow${tag}` }),
		);
		expect(same.status).toBe(409);
		expect(await same.text()).toContain(`formaction="/desk/claims/${checked.id}/appearances"`);
		expect(await copies(text), "recorded a second claim (and a second speaker) without a word").toBe(1);
		// The speaker's own spelling is recordClaim's duplicate, with its own notice.
		const own = await deskPost(
			checker,
			"/desk/claims",
			claimForm({ text, "speaker.name": `Sergei Lawrow${tag}` }),
		);
		expect(own.status).toBe(409);
		expect(await own.text()).not.toContain('name="matchesReviewed" value="1"');
		expect(await copies(text)).toBe(1);
	});

	it("the very same words of a claim recorded without a speaker stop once too", async () => {
		const text = `Der Hafen von ${place()} ist seit Mai geschlossen.`;
		const recorded = await makeClaim({ text, language: "de", speaker: null });
		const checker = await account("checker");
		const same = await deskPost(checker, "/desk/claims", claimForm({ text }));
		expect(same.status).toBe(409);
		expect(await same.text()).toContain(`formaction="/desk/claims/${recorded.id}/appearances"`);
		expect(await copies(text)).toBe(1);
	});
});
