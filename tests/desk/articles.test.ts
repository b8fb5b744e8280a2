import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { MAX_ARTICLE_CHARS } from "../../src/reader/intake";
import { makeClaim, publish } from "../factories";
import { BASE, call, testDb } from "../helpers";
import { account, claimForm, deskGet, deskPost, hidden } from "./helpers";

/** "New from article" in the desk: URL → candidates → record (prefilled form, anchored) or skip. */
const PAGE = "https://news.example/chip-exports.en.html";

function decode(text: string | undefined): string {
	return (text ?? "")
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&lt;/g, "<")
		.replace(/&gt;/g, ">")
		.replace(/&amp;/g, "&");
}

describe("desk: new from article", () => {
	it("reads an article and lists ranked candidates with record and skip", async () => {
		const checker = await account("checker");
		const form = await deskGet(checker, "/desk/articles/new");
		expect(form.status).toBe(200);
		const response = await deskPost(checker, "/desk/articles", { url: PAGE, text: "", language: "" });
		expect(response.status).toBe(200);
		const html = await response.text();
		// Quoted in the article's language (this one is English: “…”).
		const candidates = [...html.matchAll(/<li><blockquote[^>]*>[“„]([\s\S]*?)[”“]<\/blockquote>/g)].map((m) =>
			decode(m[1]),
		);
		expect(candidates.length).toBeGreaterThan(2);
		expect(html).toContain('action="/desk/claims/new"');
		expect(html).toContain('name="anchor" value="#:~:text=');

		// A Skip button names the candidate by its words (a key), not by its place in the list.
		const skip = /<button[^>]*name="skip" value="([0-9a-z]{8})"/.exec(html)?.[1] ?? "";
		const skipped = await (
			await deskPost(checker, "/desk/articles", { url: PAGE, text: "", language: "", skip })
		).text();
		const after = [...skipped.matchAll(/<li><blockquote[^>]*>[“„]([\s\S]*?)[”“]<\/blockquote>/g)].map((m) =>
			decode(m[1]),
		);
		expect(after).toEqual(candidates.slice(1));
	});

	it("records a candidate through the prefilled claim form, keeping the text-fragment anchor", async () => {
		const checker = await account("checker");
		const list = await (
			await deskPost(checker, "/desk/articles", { url: PAGE, text: "", language: "" })
		).text();
		const first = list.slice(list.indexOf('action="/desk/claims/new"'));
		const fields: Record<string, string> = {};
		for (const m of first.slice(0, first.indexOf("</form>")).matchAll(/name="([^"]+)" value="([^"]*)"/g)) {
			fields[m[1] ?? ""] = decode(m[2]);
		}
		expect(fields.anchor).toMatch(/^#:~:text=/);
		const query = new URLSearchParams(fields).toString();
		const prefilled = await (await deskGet(checker, `/desk/claims/new?${query}&_csrf=evil&_idem=x`)).text();
		expect(hidden(prefilled, "anchor")).toBe(fields.anchor);
		expect(prefilled).not.toContain('value="evil"');
		const idem = hidden(prefilled, "_idem") ?? newToken(18);
		const saved = await deskPost(checker, "/desk/claims", {
			...fields,
			"speaker.kind": "person",
			"speaker.description": "",
			context: "",
			language: fields.language || "en",
			_idem: idem,
		});
		expect(saved.status).toBe(303);
		const claimPath = saved.headers.get("location") ?? "";
		const claimId = /\/desk\/claims\/([0-9a-z]{14})/.exec(claimPath)?.[1] ?? "";
		const appearance = await testDb().query.appearances.findFirst({
			where: (a, { eq }) => eq(a.claimId, claimId),
		});
		expect(appearance?.anchor).toBe(fields.anchor);
		// The claim's page leads back to the article's other candidates, where this one now reads
		// as recorded (the way back used to be the browser's, and the list had to be asked for again).
		expect(fields.intake).toBe(PAGE);
		expect(claimPath).toContain(`intake=${encodeURIComponent(PAGE)}`);
		const claimPage = await (await deskGet(checker, claimPath)).text();
		expect(claimPage).toContain("Back to the article&#39;s other claims");
		const back = claimPage.slice(claimPage.indexOf('action="/desk/articles"'));
		expect(hidden(back, "url")).toBe(PAGE);
		const again = await deskPost(checker, "/desk/articles", { url: PAGE, text: "", language: "", skip: "" });
		expect(again.status).toBe(200);
		expect(await again.text()).toMatch(/(Recorded|Checked) already[^<]*:<\/strong>/);
		// Only with this session's mark of the address: a link cannot put a genuine desk button on
		// the page that reads a page of its choosing, not even with the mark of another address.
		const sig = new URLSearchParams(claimPath.split("?")[1]).get("intakeSig") ?? "";
		expect(sig).toMatch(/^[0-9a-f]{32}$/);
		const stranger = await account("checker");
		expect(await (await deskGet(stranger, claimPath)).text()).not.toContain('action="/desk/articles"');
		for (const intake of ["javascript:alert(1)", "https://evil.example/x", `${PAGE}.evil.example`]) {
			const forged = await deskGet(
				checker,
				`/desk/claims/${claimId}?intake=${encodeURIComponent(intake)}&intakeSig=${sig}`,
			);
			expect(await forged.text(), intake).not.toContain('action="/desk/articles"');
			const hostile = await deskGet(checker, `/desk/claims/${claimId}?intake=${encodeURIComponent(intake)}`);
			expect(await hostile.text(), intake).not.toContain('action="/desk/articles"');
		}
	});

	it("goes back to the list as it was read: the language set, the candidates skipped by their words", async () => {
		const checker = await account("checker");
		const url = "https://news.example/deutsch-cms-en.html";
		const quotes = (html: string) =>
			[...html.matchAll(/<li><blockquote[^>]*>([\s\S]*?)<\/blockquote>/g)].map((m) => decode(m[1]));
		const skipOf = (html: string, n: number) =>
			[...html.matchAll(/<button[^>]*name="skip" value="([^"]*)"/g)].map((m) => m[1] ?? "")[n] ?? "";
		// The page says lang="en"; the checker reads it as German.
		const list = await (await deskPost(checker, "/desk/articles", { url, text: "", language: "de" })).text();
		const all = quotes(list);
		expect(all.length).toBeGreaterThan(2);
		expect(all.every((quote) => quote.startsWith("„"))).toBe(true);
		const skipped = await (
			await deskPost(checker, "/desk/articles", { url, text: "", language: "de", skip: skipOf(list, 1) })
		).text();
		expect(quotes(skipped)).toEqual([all[0], ...all.slice(2)]);
		// Record the first of the rest through the claim form, then go back from the claim's page.
		const record = skipped.slice(skipped.indexOf('action="/desk/claims/new"'));
		const fields: Record<string, string> = {};
		for (const m of record.slice(0, record.indexOf("</form>")).matchAll(/name="([^"]+)" value="([^"]*)"/g)) {
			fields[m[1] ?? ""] = decode(m[2]);
		}
		const form = await (await deskGet(checker, `/desk/claims/new?${new URLSearchParams(fields)}`)).text();
		const saved = await deskPost(checker, "/desk/claims", {
			...fields,
			"speaker.kind": "person",
			"speaker.description": "",
			context: "",
			_idem: hidden(form, "_idem") ?? newToken(18),
		});
		expect(saved.status).toBe(303);
		const claimPath = saved.headers.get("location") ?? "";
		const claimPage = await (await deskGet(checker, claimPath)).text();
		const back = claimPage.slice(claimPage.indexOf('action="/desk/articles"'));
		const backFields: Record<string, string> = {};
		for (const m of back.slice(0, back.indexOf("</form>")).matchAll(/name="([^"]+)" value="([^"]*)"/g)) {
			backFields[m[1] ?? ""] = decode(m[2]);
		}
		// What the back button posts: the list as it was (it came back read as English, in
		// another order, the skipped key naming another candidate).
		const again = await (await deskPost(checker, "/desk/articles", { text: "", ...backFields })).text();
		expect(quotes(again)).toEqual([all[0], ...all.slice(2)]);
		expect(backFields).toMatchObject({ url, language: "de", skip: skipOf(list, 1) });
		// The language is signed with the address: a link cannot change it.
		const other = claimPath.replace("intakeLanguage=de", "intakeLanguage=en");
		expect(await (await deskGet(checker, other)).text()).not.toContain('action="/desk/articles"');
	});

	it("adds a candidate recorded already as an appearance, keeping its text-fragment anchor", async () => {
		const checker = await account("checker");
		const recorded = claimForm({ language: "en" });
		const first = await deskPost(checker, "/desk/claims", recorded);
		expect(first.status).toBe(303);
		const claimId = /\/desk\/claims\/([0-9a-z]{14})/.exec(first.headers.get("location") ?? "")?.[1] ?? "";
		// The same words of the same speaker, found again in another article by "New from article".
		const anchor = "#:~:text=Im%20Bereich%20Kursk,-sagt";
		const again = await deskPost(
			checker,
			"/desk/claims",
			claimForm({
				text: recorded.text ?? "",
				language: "en",
				"speaker.name": recorded["speaker.name"] ?? "",
				"source.url": `https://other-paper.example/${newToken(16)}`,
				anchor,
			}),
		);
		expect(again.status).toBe(409);
		const html = await again.text();
		const offer = html.slice(html.indexOf(`action="/desk/claims/${claimId}/appearances"`));
		const fields: Record<string, string> = {};
		for (const m of offer.slice(0, offer.indexOf("</form>")).matchAll(/name="([^"]+)" value="([^"]*)"/g)) {
			fields[m[1] ?? ""] = decode(m[2]);
		}
		expect(fields.anchor).toBe(anchor);
		const added = await deskPost(checker, `/desk/claims/${claimId}/appearances`, fields);
		expect(added.status).toBe(303);
		const appearances = await testDb().query.appearances.findMany({
			where: (a, { eq }) => eq(a.claimId, claimId),
		});
		expect(appearances.map((a) => a.anchor).sort()).toEqual([anchor, null].sort());
		// Checked as on the create path: anything but a text fragment is refused, nothing added.
		const hostile = await deskPost(checker, `/desk/claims/${claimId}/appearances`, {
			...fields,
			"source.url": `https://third-paper.example/${newToken(16)}`,
			anchor: "#:~:text=a b",
			_idem: newToken(18),
		});
		expect(hostile.status).toBe(422);
	});

	it("names an article that is already a source by the source's title, escaped, in its language, else its domain", async () => {
		const checker = await account("checker");
		const address = `https://news.example/kommentar-zitiert.de.html?id=${newId()}`;
		const title = `Unser <b>Kommentar</b> & mehr ${newId()}`;
		await makeClaim({ sourceUrl: address, sourceTitle: title });
		const sourceId = (await testDb().query.sources.findFirst({ where: (s, { eq }) => eq(s.url, address) }))
			?.id;
		const existing = (html: string) =>
			/<p>Dieser Artikel ist schon eine Quelle: (<a [\s\S]*?<\/a>)<\/p>/.exec(html)?.[1];
		const read = async (url: string) =>
			(await deskPost(checker, "/desk/articles?lang=de", { url, text: "", language: "" })).text();
		// The source's own language marked: its title is no German of the desk's.
		expect(existing(await read(address))).toBe(
			`<a href="/sources/${sourceId}"><bdi lang="de" dir="auto">${title.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")}</bdi></a>`,
		);
		// A source known by its address alone: its domain, not its opaque id.
		const bare = `https://news.example/kommentar-zitiert.de.html?id=${newId()}`;
		await makeClaim({ sourceUrl: bare, sourceTitle: null });
		const bareId = (await testDb().query.sources.findFirst({ where: (s, { eq }) => eq(s.url, bare) }))?.id;
		expect(existing(await read(bare))).toBe(`<a href="/sources/${bareId}"><bdi>news.example</bdi></a>`);
	});

	it("keeps the address read as the source when the page names another site's, and says so", async () => {
		const checker = await account("checker");
		const read = "https://news.example/claims-elsewhere.en.html";
		const html = await (
			await deskPost(checker, "/desk/articles", { url: read, text: "", language: "" })
		).text();
		const record = html.slice(html.indexOf('action="/desk/claims/new"'));
		const fields: Record<string, string> = {};
		for (const m of record.slice(0, record.indexOf("</form>")).matchAll(/name="([^"]+)" value="([^"]*)"/g)) {
			fields[m[1] ?? ""] = decode(m[2]);
		}
		// Its og:url and canonical name tagesschau.example: the claim would have appeared there.
		expect(fields["source.url"]).toBe(read);
		expect(html).not.toContain('href="https://www.tagesschau.example');
		expect(decode(html)).toContain(
			'This page gives another site’s address as its own: <code class="url">https://www.tagesschau.example/inland/artikel-4711.html</code>.',
		);
		// Its first candidate is the unnamed transport minister's: the checker names him.
		expect(fields["speaker.name"]).toBeUndefined();
		expect(fields.speakerIsSource).toBeUndefined();
		const saved = await deskPost(checker, "/desk/claims", {
			...fields,
			"speaker.name": "Karl Brenner",
			"speaker.kind": "person",
			"speaker.description": "",
			context: "",
			language: "en",
			_idem: newToken(18),
		});
		expect(saved.status).toBe(303);
		const source = await testDb().query.sources.findFirst({ where: (s, { eq }) => eq(s.url, read) });
		expect(source?.url).toBe(read);
		const german = await (
			await deskPost(checker, "/desk/articles?lang=de", { url: read, text: "", language: "" })
		).text();
		expect(decode(german)).toContain("Diese Seite gibt die Adresse einer anderen Website als ihre eigene an");

		// A CMS that puts its front page into og:url: each article stays its own source, no warning.
		const own = "https://news.example/front-page-og-url.en.html";
		const front = await (
			await deskPost(checker, "/desk/articles", { url: own, text: "", language: "" })
		).text();
		expect(hidden(front.slice(front.indexOf('action="/desk/claims/new"')), "source.url")).toBe(own);
		expect(decode(front)).not.toContain("another site’s address");
	});

	it("records an article's two authors as two people, each a Person in the public ClaimReview", async () => {
		const checker = await account("checker");
		const list = await (
			await deskPost(checker, "/desk/articles", {
				url: "https://news.example/wonsan-2025-07-12.de.html",
				text: "",
				language: "",
			})
		).text();
		const first = list.slice(list.indexOf('action="/desk/claims/new"'));
		const fields: Record<string, string> = {};
		for (const m of first.slice(0, first.indexOf("</form>")).matchAll(/name="([^"]+)" value="([^"]*)"/g)) {
			fields[m[1] ?? ""] = decode(m[2]);
		}
		// Its JSON-LD names two Persons: the form lists both, one field, as a person would type them.
		expect(fields["source.author"]).toBe("Anna Beispiel; Jonas Muster");
		const saved = await deskPost(checker, "/desk/claims", {
			...fields,
			// A source of its own: the page's address may be another test's source already.
			"source.url": `${fields["source.url"]}-${newId()}`,
			text: `${fields.text} ${newId()}`,
			"speaker.name": fields["speaker.name"] ?? "Choe Son-hui",
			"speaker.kind": "person",
			"speaker.description": "",
			context: "",
			language: "de",
			matchesReviewed: "1",
			_idem: newToken(18),
		});
		expect(saved.status).toBe(303);
		const claimId = /\/desk\/claims\/([0-9a-z]{14})/.exec(saved.headers.get("location") ?? "")?.[1] ?? "";
		await publish(claimId, "false");
		const page = await (await call(`/claims/${claimId}`)).text();
		const ld = JSON.parse(
			/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? "{}",
		);
		const people = [
			{ "@type": "Person", name: "Anna Beispiel" },
			{ "@type": "Person", name: "Jonas Muster" },
		];
		expect(ld.itemReviewed.firstAppearance.author).toEqual(people);
		expect(ld.itemReviewed.appearance[0].author).toEqual(people);
	});

	it("names the address it records as the source when the page names another site's and then its own", async () => {
		const checker = await account("checker");
		const read = "https://news.example/elsewhere-own-canonical.en.html";
		const own = "https://news.example/2025/bridge-cost-3-billion";
		const notice = async (lang: string) => {
			const html = await (
				await deskPost(checker, `/desk/articles?lang=${lang}`, { url: read, text: "", language: "" })
			).text();
			expect(hidden(html.slice(html.indexOf('action="/desk/claims/new"')), "source.url")).toBe(own);
			return decode(/<div[^>]*role="status"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1]);
		};
		// Its og:url is tagesschau.example's; its canonical, on its own site, is the source, not the address read.
		expect(await notice("en")).toContain(
			'This page gives another site’s address as its own: <code class="url">https://www.tagesschau.example/inland/artikel-4711.html</code>. That address is not taken: the source is recorded as <code class="url">https://news.example/2025/bridge-cost-3-billion</code>.',
		);
		expect(await notice("de")).toContain(
			'Diese Adresse wird nicht übernommen: Als Quelle wird <code class="url">https://news.example/2025/bridge-cost-3-billion</code> erfasst.',
		);
	});

	it("leads back to the article's candidates after adding a candidate recorded already as an appearance", async () => {
		const checker = await account("checker");
		const list = await (
			await deskPost(checker, "/desk/articles", { url: PAGE, text: "", language: "" })
		).text();
		const record = list.slice(list.indexOf('action="/desk/claims/new"'));
		const fields: Record<string, string> = {};
		for (const m of record.slice(0, record.indexOf("</form>")).matchAll(/name="([^"]+)" value="([^"]*)"/g)) {
			fields[m[1] ?? ""] = decode(m[2]);
		}
		const claim: Record<string, string> = {
			...fields,
			// Words of its own: another test of this file records the same candidate.
			text: `${fields.text} (${newToken(16)})`,
			matchesReviewed: "1",
			"speaker.kind": "person",
			"speaker.description": "",
			context: "",
			language: fields.language || "en",
		};
		// Recorded from another article first.
		const { intake: _intake, intakeSig: _sig, intakeSkip: _skip, anchor: _anchor, ...elsewhere } = claim;
		const first = await deskPost(checker, "/desk/claims", {
			...elsewhere,
			"source.url": `https://other-paper.example/${newToken(16)}`,
			_idem: newToken(18),
		});
		expect(first.status).toBe(303);
		const claimId = /\/desk\/claims\/([0-9a-z]{14})/.exec(first.headers.get("location") ?? "")?.[1] ?? "";
		const again = await deskPost(checker, "/desk/claims", { ...claim, _idem: newToken(18) });
		expect(again.status).toBe(409);
		const html = await again.text();
		const offer = html.slice(
			html.indexOf(`<form method="post" action="/desk/claims/${claimId}/appearances"`),
		);
		const offered: Record<string, string> = {};
		for (const m of offer.slice(0, offer.indexOf("</form>")).matchAll(/name="([^"]+)" value="([^"]*)"/g)) {
			offered[m[1] ?? ""] = decode(m[2]);
		}
		const added = await deskPost(checker, `/desk/claims/${claimId}/appearances`, offered);
		expect(added.status).toBe(303);
		const location = added.headers.get("location") ?? "";
		expect(location).toContain("done=appearance-added");
		const claimPage = await (await deskGet(checker, location)).text();
		expect(claimPage).toContain("Back to the article&#39;s other claims");
		expect(hidden(claimPage.slice(claimPage.indexOf('action="/desk/articles"')), "url")).toBe(PAGE);
	});

	it("shows unreachable pages and private addresses beside the field, storing nothing", async () => {
		const checker = await account("checker");
		for (const [url, status] of [
			["https://news.example/missing.html", 502],
			["http://127.0.0.1/", 422],
			["javascript:alert(1)", 422],
		] as const) {
			const response = await deskPost(checker, "/desk/articles", { url, text: "", language: "" });
			expect(response.status, url).toBe(status);
			const html = await response.text();
			expect(html).toContain('aria-invalid="true"');
			expect(html).toContain('class="error"');
		}
		const empty = await deskPost(checker, "/desk/articles", { url: "", text: "", language: "" });
		expect(empty.status).toBe(422);
	});

	it("leaves an unnamed speaker's words for the checker to attribute, not to the article", async () => {
		const checker = await account("checker");
		const text =
			"„Wir haben seit 2022 mehr als 300 Raketen abgefangen“, sagte der Minister am Montag in Berlin.\n\n" +
			"Die Stadt hat 2024 rund 4000 Wohnungen gebaut, mehr als in jedem Jahr seit 1990.";
		const list = await (await deskPost(checker, "/desk/articles", { url: "", text, language: "de" })).text();
		const items = list.split("<li><blockquote").slice(1);
		const quote = items.find((item) => item.includes("300 Raketen")) ?? "";
		const statement = items.find((item) => item.includes("4000 Wohnungen")) ?? "";
		expect(quote).toContain("Someone the article does not name (name them in the form)");
		expect(quote).not.toContain('name="speakerIsSource"');
		expect(quote).not.toContain('name="speaker.name"');
		expect(statement).toContain("The article itself");
		expect(statement).toContain('name="speakerIsSource" value="1"');
		const german = await (
			await deskPost(checker, "/desk/articles?lang=de", { url: "", text, language: "de" })
		).text();
		expect(german).toContain("Jemand, den der Artikel nicht nennt (im Formular benennen)");
	});

	it("says why each candidate ranks as it does, and its warnings, in the desk's language", async () => {
		const checker = await account("checker");
		const german = await (
			await deskPost(checker, "/desk/articles?lang=de", { url: PAGE, text: "", language: "" })
		).text();
		const reasons = [...german.matchAll(/Prüfenswert \d+ % · ([^<]*)/g)].map((m) => decode(m[1]));
		expect(reasons.length).toBeGreaterThan(2);
		expect(reasons.join("; ")).toMatch(
			/nennt (ein Datum|eine Zahl|einen Ort|einen namentlich genannten Akteur|ein Ereignis)/,
		);
		for (const english of [
			"names ",
			"a date",
			"reported as fact",
			"direct quote",
			"opinion",
			"pledge",
			"prediction",
		])
			expect(reasons.join("; ")).not.toContain(english);
		const english = await (
			await deskPost(checker, "/desk/articles?lang=en", { url: PAGE, text: "", language: "" })
		).text();
		expect(english).toMatch(/Check-worthiness \d+ % · names /);
		const french = await (
			await deskPost(checker, "/desk/articles?lang=de", {
				url: "",
				text: "Le ministre a déclaré que le port de Wonsan accueillera des touristes russes en 2025.",
				language: "fr",
			})
		).text();
		expect(french).toContain(
			"Die Vorschläge sind auf Deutsch und Englisch abgestimmt; dieser Text ist „fr“.",
		);
		expect(french).not.toContain("Claim suggestions are tuned");
	});

	it("states the text limit beside the field and re-renders the form when text is over it", async () => {
		const checker = await account("checker");
		const limit = MAX_ARTICLE_CHARS.toLocaleString("en");
		const form = await (await deskGet(checker, "/desk/articles/new")).text();
		const textField = form.slice(form.indexOf('for="f-text"'), form.indexOf("<textarea"));
		expect(textField).toContain(`At most ${limit} characters`);

		const text = "Die Ministerin erklärte, die Brücke sei teuer gewesen. ".repeat(2000);
		expect(text.length).toBeGreaterThan(MAX_ARTICLE_CHARS);
		const pasted = await deskPost(checker, "/desk/articles", { url: "", text, language: "de" });
		expect(pasted.status).toBe(413);
		const html = await pasted.text();
		expect(html).toContain('<form method="post" action="/desk/articles"');
		expect(html).toMatch(/<textarea[^>]*aria-invalid="true"/);
		expect(html).toContain(`paste at most ${limit} characters`);
		expect(html).toContain("Die Ministerin erklärte"); // what was typed stays in the field

		const page = await deskPost(checker, "/desk/articles", {
			url: "https://news.example/long-read.en.html",
			text: "",
			language: "",
		});
		expect(page.status).toBe(413);
		const pageHtml = await page.text();
		expect(pageHtml).toMatch(
			/<input[^>]*name="url"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="url"/,
		);
		expect(pageHtml).toContain(`at most ${limit} characters are read`);
	});

	it("refuses pasted text no text field takes beside the field, in the desk's language, and keeps it there", async () => {
		const checker = await account("checker");
		const said = "Die Ministerin erklärte, die Brücke sei teuer gewesen";
		for (const [lang, words] of [
			["en", "Remove the right-to-left or left-to-right override characters"],
			["de", "Bitte die Zeichen entfernen, die die Schreibrichtung erzwingen"],
		] as const) {
			const pasted = await deskPost(checker, `/desk/articles?lang=${lang}`, {
				url: "",
				text: `${said} \u202Egnp.exe.`,
				language: "",
			});
			expect(pasted.status, lang).toBe(422);
			const html = await pasted.text();
			expect(html, lang).toMatch(/<textarea[^>]*aria-invalid="true"/);
			expect(html, lang).toContain(words);
			expect(html, lang).toContain(said);
		}
		// Half a character cannot come in a form (its bytes are no UTF-8: read as U+FFFD), and
		// never a 500 either way.
		const halves = await call("/desk/articles", {
			method: "POST",
			headers: {
				"Content-Type": "application/x-www-form-urlencoded",
				Cookie: checker.cookie,
				Origin: BASE,
			},
			body: `_csrf=${checker.csrf}&url=&language=&text=Die+Ministerin+%ED%A0%BD+erkl%C3%A4rte%2C+die+Br%C3%BCcke+sei+teuer.`,
		});
		expect(halves.status).toBeLessThan(500);
		await halves.body?.cancel();
	});

	it("reads pasted text with a page break, Word's line break or a mis-decoded character, and shows it as read", async () => {
		const checker = await account("checker");
		const exports = "Der Minister sagte am Montag, die Exporte seien um 40 Prozent gestiegen.";
		const bridge = "Die Ministerin erklärte, die Brücke habe zwei Milliarden Euro gekostet.";
		const text = `${exports}\f${bridge}\vQuelle: dpa\u0092s Angaben`;
		const response = await deskPost(checker, "/desk/articles", { url: "", text, language: "" });
		expect(response.status).toBe(200);
		const html = await response.text();
		const candidates = [...html.matchAll(/<li><blockquote[^>]*>[“„]([\s\S]*?)[”“]<\/blockquote>/g)].map((m) =>
			decode(m[1]),
		);
		expect(candidates).toContainEqual(expect.stringContaining(exports.slice(0, -1)));
		expect(candidates).toContainEqual(expect.stringContaining(bridge.slice(0, -1)));
		// The field and Skip's form hold the text as read: line breaks where the breaks were.
		expect(html).not.toMatch(/[\f\v\u0092]/u);
		expect(decode(hidden(html.slice(html.indexOf('id="skip-form"')), "text"))).toBe(
			`${exports}\n${bridge}\nQuelle: dpa’s Angaben`,
		);
	});

	it("keeps the page linear in a long paste: the text once for every Skip", {
		timeout: 180_000,
	}, async () => {
		const checker = await account("checker");
		const sentences: string[] = [];
		for (let i = 0; sentences.join(" ").length < MAX_ARTICLE_CHARS - 400; i++) {
			sentences.push(
				`Die Ministerin Eva Nummer${i} erklärte, die Brücke ${i} habe ${i + 3} Millionen Euro gekostet.`,
			);
		}
		const text = sentences.join(" ");
		const response = await deskPost(checker, "/desk/articles", { url: "", text, language: "de" });
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html.length).toBeLessThan(30 * text.length);
		const skips = [...html.matchAll(/<button[^>]*form="skip-form"[^>]*name="skip"[^>]*>/g)];
		expect(skips.length).toBeGreaterThan(100);
		// One copy in the text field, one in the form all Skip buttons submit (it was one per candidate).
		expect(html.split(sentences[0] ?? "").length - 1).toBeLessThanOrEqual(4);
		const form = html.slice(
			html.indexOf('id="skip-form"'),
			html.indexOf("</form>", html.indexOf('id="skip-form"')),
		);
		expect(form).toContain('name="_csrf"');
		expect(hidden(form, "language")).toBe("de");
		expect(decode(hidden(form, "text"))).toBe(text);
	});

	/*
	 * The matcher composes (NFC) each candidate it looks up, which ICU does in CPU quadratic in a
	 * run of combining marks: this paste took some 80 s of workerd's CPU (90,000 marks: 38 s),
	 * past a Worker's limit. Stream-safe as it is read (domain/stream-safe), it is composed 30
	 * marks at a time. Not timed (no timing in tests): the test's limit is what a return of the
	 * quadratic cost would meet.
	 */
	it("reads a pasted article with a letter carrying 96,000 combining marks in time linear in it", {
		timeout: 30_000,
	}, async () => {
		const checker = await account("checker");
		const marks = `${"\u0301".repeat(32_000)}${"\u0323".repeat(32_000)}${"\u0334".repeat(32_000)}`;
		const said = "Lawrow sagte am Montag, die Zahl der Soldaten sei um 20 Prozent gestiegen, a";
		const text = `${said}${marks} und das sei ein Erfolg.`;
		// Under the limit with the joiners too (one after every 30th mark).
		expect(text.length + 96_000 / 30).toBeLessThan(MAX_ARTICLE_CHARS);
		const response = await deskPost(checker, "/desk/articles", { url: "", text, language: "de" });
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain("<li><blockquote");
		// Read with a grapheme joiner after every 30th mark: the text shown again and sent by Skip.
		const joined = (marks.match(/\p{M}{1,30}/gu) ?? []).join("\u034F");
		expect(decode(hidden(html.slice(html.indexOf('id="skip-form"')), "text"))).toBe(
			`${said}${joined} und das sei ein Erfolg.`,
		);
	});

	it("prefills the source's date and the claim's with the newsroom's day of an article dated in UTC", async () => {
		// 00:30 on 12 July 2025 in Berlin (the tests' zone), written "2025-07-11T22:30:00Z".
		const checker = await account("checker");
		const list = await (
			await deskPost(checker, "/desk/articles?lang=de", {
				url: "https://news.example/mitternacht-utc.de.html",
				text: "",
				language: "",
			})
		).text();
		const form = list.slice(list.indexOf('action="/desk/claims/new"'));
		expect(hidden(form, "source.publishedAt")).toBe("2025-07-12");
		expect(hidden(form, "claimedAt")).toBe("2025-07-12");
		expect(list).not.toContain("2025-07-11");
	});

	it("names the article's date and language as the rest of the desk does, in the desk's language", async () => {
		const checker = await account("checker");
		const publishedBy = async (lang: string) => {
			const html = await (
				await deskPost(checker, `/desk/articles?lang=${lang}`, {
					url: "https://news.example/wonsan-2025-07-12.de.html",
					text: "",
					language: "",
				})
			).text();
			const dd = /<dt>(?:Published by|Veröffentlicht von)<\/dt><dd>([\s\S]*?)<\/dd>/.exec(html)?.[1] ?? "";
			return decode(dd.replace(/<[^>]+>/g, ""));
		};
		const german = await publishedBy("de");
		expect(german).toMatch(/^Beispiel-Nachrichten · .+ · 12\. Juli 2025 · Deutsch \(de\)$/);
		expect(await publishedBy("en")).toMatch(/^Beispiel-Nachrichten · .+ · 12 July 2025 · German \(de\)$/);
	});

	it("needs a session", async () => {
		const response = await deskGet(null, "/desk/articles/new");
		expect([302, 303, 401]).toContain(response.status);
	});
});
