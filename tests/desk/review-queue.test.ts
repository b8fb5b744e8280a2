import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { getVerdict } from "../../src/store/verdicts";
import { draft, makeClaim, publish, submit } from "../factories";
import { call, json, testDb } from "../helpers";
import { account, deskGet, deskPost, hidden, makeUser, ONE_DAY, snapshot } from "./helpers";

type Counts = Record<"unverified" | "in-review" | "published" | "retracted", number>;

/** The counts the desk home shows, by list. */
function countsOf(html: string): Counts {
	const counts = {} as Counts;
	for (const key of ["unverified", "in-review", "published", "retracted"] as const) {
		const match = new RegExp(`data-count="${key}"><strong>([^<]*)</strong>`).exec(html);
		if (!match?.[1]) throw new Error(`no count for ${key}`);
		counts[key] = Number(match[1].replace(/\D/g, ""));
	}
	return counts;
}

/** The review queue's row of a draft. */
function queueRow(html: string, verdictId: string): string {
	const start = html.indexOf(`<tr data-verdict="${verdictId}">`);
	if (start < 0) return "";
	return html.slice(start, html.indexOf("</tr>", start));
}

/**
 * Older than the drafts other tests leave open on a shared database (the queue shows the 50
 * longest waiting, and a draft made now may wait behind fifty others), yet younger than the
 * dashboard test's, which must come first.
 */
const LONGEST_WAITING = 30 * ONE_DAY;

/** Submits a draft for review and makes it wait `ms` since its submission. */
async function age(verdict: { id: string; version: number }, ms: number) {
	await submit(verdict);
	const at = new Date(Date.now() - ms).toISOString();
	await env.DB.prepare("UPDATE verdicts SET submitted_at = ? WHERE id = ?").bind(at, verdict.id).run();
}

describe("the desk home counts claims by state", () => {
	it("counts unverified, in review, published and retracted claims", async () => {
		const checker = await account("checker");
		const before = countsOf(await (await deskGet(checker, "/desk")).text());
		await makeClaim();
		await draft((await makeClaim()).id);
		await publish((await makeClaim()).id, "false");
		const retracted = await makeClaim();
		const verdict = await publish(retracted.id, "false");
		const editor = await account("editor");
		const response = await deskPost(editor, `/desk/verdicts/${verdict.id}/retract`, {
			version: String(verdict.version),
			note: "Misattributed.",
			_idem: newToken(18),
		});
		expect(response.status).toBe(303);
		const after = countsOf(await (await deskGet(checker, "/desk")).text());
		expect({
			unverified: after.unverified - before.unverified,
			"in-review": after["in-review"] - before["in-review"],
			published: after.published - before.published,
			retracted: after.retracted - before.retracted,
		}).toEqual({ unverified: 1, "in-review": 1, published: 1, retracted: 1 });
		// Each count opens its list, retracted claims included.
		const list = await (await deskGet(checker, "/desk?list=retracted")).text();
		expect(list).toContain(`/desk/claims/${retracted.id}`);
		// A cursor cut short or edited by hand starts the list over instead of failing.
		const forged = await deskGet(checker, "/desk?list=retracted&cursor=not-ours");
		expect(forged.status).toBe(200);
		expect(await forged.text()).toContain(`/desk/claims/${retracted.id}`);
	});
});

describe("the desk home search", () => {
	it("says how many claims of the list match", async () => {
		const checker = await account("checker");
		const marker = `m${newId()}`;
		await makeClaim({ text: `Desk count one ${marker}` });
		await publish((await makeClaim({ text: `Desk count two ${marker}` })).id, "false");
		const all = await (await deskGet(checker, `/desk?list=all&q=${marker}`)).text();
		expect(all).toContain('<p class="hint" role="status">2 matching claims.</p>');
		const published = await (await deskGet(checker, `/desk?list=published&q=${marker}`)).text();
		expect(published).toContain('<p class="hint" role="status">1 matching claim.</p>');
		expect(await (await deskGet(checker, "/desk?list=all")).text()).not.toContain("matching claim");
	});
});

describe("the desk home search: was this checked before?", () => {
	it("searches every claim unless a tab narrows it, ranks by relevance, and its tabs keep the search", async () => {
		const checker = await account("checker");
		const marker = `m${newId()}`;
		const checked = await makeClaim({ text: `Der Hafen ${marker} ist wieder offen` });
		await publish(checked.id, "false");
		// A checker lands on the unverified claims; the search still finds the published check.
		const listed = (html: string) => html.includes(`href="/desk/claims/${checked.id}" class="text"`);
		const page = await (await deskGet(checker, `/desk?q=${marker}`)).text();
		expect(listed(page)).toBe(true);
		expect(page).not.toContain('name="list"');
		for (const list of ["unverified", "published", "all"])
			expect(page).toContain(`href="/desk?list=${list}&amp;q=${marker}"`);
		const narrowed = await (await deskGet(checker, `/desk?list=unverified&q=${marker}`)).text();
		expect(listed(narrowed)).toBe(false);
		// By relevance: the claim that is about the word before a newer one that mentions it.
		const about = await makeClaim({ text: `${marker}: ${marker} und nochmals ${marker}` });
		const mentions = await makeClaim({
			text: `Ein langer Satz über vieles, darunter auch ${marker}, und noch mehr`,
		});
		const ranked = await (await deskGet(checker, `/desk?q=${marker}`)).text();
		const at = (id: string) => ranked.indexOf(`href="/desk/claims/${id}" class="text"`);
		expect(at(about.id)).toBeGreaterThan(-1);
		expect(at(about.id)).toBeLessThan(at(mentions.id));
	});
});

describe("my queue", () => {
	it("holds my open claims, not those published since, and the dashboard counts open work", async () => {
		const checker = await account("checker");
		const editor = await account("editor");
		const open = await makeClaim();
		const done = await makeClaim();
		for (const claim of [open, done])
			await env.DB.prepare("UPDATE claims SET assignee_id = ? WHERE id = ?")
				.bind(checker.user.id, claim.id)
				.run();
		await publish(done.id, "false");
		const mine = await (await deskGet(checker, "/desk?list=mine")).text();
		expect(mine).toContain(`href="/desk/claims/${open.id}" class="text"`);
		expect(mine).not.toContain(`href="/desk/claims/${done.id}" class="text"`);
		const dashboard = await (await deskGet(editor, "/desk/dashboard")).text();
		expect(dashboard).toContain("Open claims per assignee");
		// The chart's summary: each assignee and their count.
		expect(dashboard).toMatch(new RegExp(`${checker.user.name} 1(?=[,<])`));
	});
});

describe("the desk home search of my claims", () => {
	it("never estimates more matches than the claims assigned to me", { timeout: 60_000 }, async () => {
		const checker = await account("checker");
		const marker = `m${newId()}`;
		// Older claims without the word, 200 others' matches, then 25 of mine: the newest 201
		// matches span a fraction of all claims, and an even spread would say ~90 are mine.
		await env.DB.prepare(
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 700)
			 INSERT INTO claims (id, text, language, status, fingerprint, assignee_id)
			 SELECT printf('%s%03d', substr(?1, 2, 11), i),
			   CASE WHEN i <= 475 THEN 'Füllsatz ' || i ELSE 'Treffer ' || i || ' ' || ?1 END,
			   'de', 'unverified', ?1 || i, CASE WHEN i > 675 THEN ?2 END
			 FROM n`,
		)
			.bind(marker, checker.user.id)
			.run();
		const mine = await (await deskGet(checker, `/desk?list=mine&q=${marker}`)).text();
		const line = /<p class="hint" role="status">([^<]*)<\/p>/.exec(mine)?.[1] ?? "";
		expect(line).toMatch(/^About 25 matching claims/);
		// The list itself: mine only, newest first.
		expect(mine).toContain(`/desk/claims/${marker.slice(1, 12)}700`);
		expect(mine).not.toContain(`/desk/claims/${marker.slice(1, 12)}675`);
		// Another list of the same search is not capped by my count.
		const all = await (await deskGet(checker, `/desk?list=all&q=${marker}`)).text();
		const allCount = Number(/About ([\d,]+) matching/.exec(all)?.[1]?.replace(/,/g, ""));
		expect(allCount).toBeGreaterThanOrEqual(225);
	});
});

describe("the review queue", () => {
	it("lists every open draft with its drafter's name and how long it has waited", async () => {
		const { user: drafter } = await makeUser("checker", { name: `Dana Drafter ${newToken(16).slice(0, 6)}` });
		const old = await draft((await makeClaim()).id, "Waiting three days", drafter.id);
		const fresh = await draft((await makeClaim()).id, "Waiting one day", drafter.id);
		await age(old, 3 * ONE_DAY + 60_000);
		await age(fresh, ONE_DAY + 60_000);

		const checker = await account("checker");
		const home = await (await deskGet(checker, "/desk")).text();
		const row = queueRow(home, old.id);
		expect(row).toContain("Waiting three days");
		expect(row).toContain(drafter.name);
		expect(row).toContain("3 days");
		expect(row).toContain('title="3 days ago"');
		expect(row).toContain(`href="/desk/claims/${old.claimId}#verdict-${old.id}"`);
		// A checker does not publish: no preview link.
		expect(row).not.toContain("/preview");
		expect(queueRow(home, fresh.id)).toContain("1 day<");
		// Longest waiting first.
		expect(home.indexOf(`data-verdict="${old.id}"`)).toBeLessThan(home.indexOf(`data-verdict="${fresh.id}"`));

		const german = await (await deskGet(checker, "/desk?lang=de")).text();
		expect(queueRow(german, old.id)).toContain("3 Tagen");
		expect(queueRow(german, old.id)).toContain('title="vor 3 Tagen"');
		expect(queueRow(german, fresh.id)).toContain("1 Tag<");
	});

	it("stacks on a phone, each value named, so a long word is not split in a squeezed column", async () => {
		const { user: drafter } = await makeUser("checker", { name: `Dana Drafter ${newToken(16).slice(0, 6)}` });
		const waiting = await draft(
			(await makeClaim()).id,
			"Entwurf: Die Zahl stammt aus einer Pressemitteilung",
			drafter.id,
		);
		await age(waiting, LONGEST_WAITING - 60_000);
		await draft((await makeClaim()).id, "Noch nicht eingereicht", drafter.id);
		const editor = await account("editor");
		const css = await (await call("/assets/app.css")).text();
		// Side by side at 360 px each column was a few letters wide: "Pressemitteilu|ng".
		expect(css).toMatch(
			/@media \(max-width:30rem\)\{table\.stack thead\{display:none\}table\.stack tr,table\.stack th,table\.stack td\{display:block\}/,
		);
		for (const [lang, writer, waited, open] of [
			["en", "Written by", "Waiting", "Open since"],
			["de", "Geschrieben von", "Wartet seit", "Offen seit"],
		] as const) {
			const home = await (await deskGet(editor, `/desk?lang=${lang}`)).text();
			expect(home.match(/<table class="queue stack">/g), lang).toHaveLength(2);
			// Each word of who and how long whole (td.whole): just above the phone's width the
			// columns sit side by side again, and the squeezed one split "10 Minute / n" (520 px).
			const row = queueRow(home, waiting.id);
			expect(row, lang).toContain(`<td class="whole" dir="auto" data-label="${writer}">`);
			expect(row, lang).toContain(`<td class="whole" data-label="${waited}"><time`);
			const start = home.indexOf("<tr data-writing=");
			const writing = home.slice(start, home.indexOf("</tr>", start));
			expect(writing, lang).toContain(`<td class="whole" dir="auto" data-label="${writer}">`);
			expect(writing, lang).toContain(`<td class="whole" data-label="${open}"><time`);
		}
	});

	it("says how many drafts wait beyond the fifty it shows", { timeout: 60_000 }, async () => {
		const tag = newId().slice(0, 11);
		// 60 claims, each with an open correction draft (the claims list does not show those).
		await env.DB.batch([
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
				 INSERT INTO claims (id, text, language, status, fingerprint)
				 SELECT printf('%s%03d', ?1, i), 'Wartend ' || i || ' ' || ?1, 'de', 'false', ?1 || i FROM n`,
			).bind(tag),
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
				 INSERT INTO verdicts (id, claim_id, rating, headline, state, submitted_at)
				 SELECT printf('%s%03d', substr(?1, 1, 10) || 'v', i), printf('%s%03d', ?1, i), 'false', 'Draft ' || i, 'draft', '2025-01-01T00:00:00.000Z' FROM n`,
			).bind(tag),
		]);
		try {
			const open = await env.DB.prepare(
				"SELECT count(*) AS n FROM verdicts WHERE state = 'draft' AND submitted_at IS NOT NULL",
			).first<{ n: number }>();
			const editor = await account("editor");
			const home = await (await deskGet(editor, "/desk?lang=en")).text();
			const queue = home.slice(
				home.indexOf('id="review-queue"'),
				home.indexOf("</section>", home.indexOf('id="review-queue"')),
			);
			expect([...queue.matchAll(/<tr data-verdict=/g)]).toHaveLength(50);
			expect(queue).toContain(`data-queue-total="${open?.n}"`);
			expect(queue).toContain(
				`The 50 longest waiting of ${new Intl.NumberFormat("en").format(open?.n ?? 0)} drafts submitted for review;`,
			);
			const german = await (await deskGet(editor, "/desk?lang=de")).text();
			expect(german).toContain("Die 50 am längsten wartenden von");
		} finally {
			// Sixty waiting drafts would push other tests' drafts out of the queue they look at.
			await env.DB.batch([
				env.DB.prepare("DELETE FROM verdicts WHERE claim_id LIKE ?1 || '%'").bind(tag),
				env.DB.prepare("DELETE FROM claims WHERE id LIKE ?1 || '%'").bind(tag),
			]);
		}
	});

	it('says how many of a member\'s drafts "My drafts" leaves out past the fifty it shows', {
		timeout: 60_000,
	}, async () => {
		const tag = newId().slice(0, 11);
		const checker = await account("checker");
		// 55 claims, each with an open draft of this checker's, not submitted.
		await env.DB.batch([
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 55)
				 INSERT INTO claims (id, text, language, status, fingerprint)
				 SELECT printf('%s%03d', ?1, i), 'Mein Entwurf ' || i || ' ' || ?1, 'de', 'in-review', ?1 || i FROM n`,
			).bind(tag),
			env.DB.prepare(
				`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 55)
				 INSERT INTO verdicts (id, claim_id, rating, headline, state, reviewer_id, updated_at)
				 SELECT printf('%s%03d', substr(?1, 1, 10) || 'v', i), printf('%s%03d', ?1, i), 'false', 'Mine ' || i, 'draft', ?2, printf('2025-01-01T00:00:%02d.000Z', i) FROM n`,
			).bind(tag, checker.user.id),
		]);
		try {
			const home = await (await deskGet(checker, "/desk?lang=en")).text();
			expect([...home.matchAll(/<li data-draft=/g)]).toHaveLength(50);
			// The newest changed first: the five oldest are the ones left out.
			expect(home).toContain(">Mine 55<");
			expect(home).not.toContain(">Mine 5<");
			expect(home).toContain('data-drafts-total="55"');
			expect(home).toContain("The 50 most recently changed of your 55 open drafts;");
			const german = await (await deskGet(checker, "/desk?lang=de")).text();
			expect(german).toContain("Die 50 zuletzt geänderten Ihrer 55 offenen Entwürfe;");
		} finally {
			// Fifty-five open drafts would crowd the editors' "Being written" other tests look at.
			await env.DB.batch([
				env.DB.prepare("DELETE FROM verdicts WHERE claim_id LIKE ?1 || '%'").bind(tag),
				env.DB.prepare("DELETE FROM claims WHERE id LIKE ?1 || '%'").bind(tag),
			]);
		}
	});

	it("shows minutes and hours for drafts younger than a day", async () => {
		const checker = await account("checker");
		const minutes = await draft((await makeClaim()).id);
		const hours = await draft((await makeClaim()).id);
		await age(minutes, 5 * 60_000 + 1_000);
		await age(hours, 2 * 3_600_000 + 1_000);
		const home = await (await deskGet(checker, "/desk")).text();
		expect(queueRow(home, minutes.id)).toContain("5 minutes");
		expect(queueRow(home, hours.id)).toContain("2 hours");
	});

	it("leaves the queue when published or discarded", async () => {
		const editor = await account("editor");
		const claim = await makeClaim();
		const verdict = await draft(claim.id, "Short-lived");
		await age(verdict, LONGEST_WAITING);
		expect(await (await deskGet(editor, "/desk")).text()).toContain(`data-verdict="${verdict.id}"`);
		const discarded = await deskPost(editor, `/desk/verdicts/${verdict.id}/discard`, {
			confirm: "1",
			version: String(verdict.version + 1),
			_idem: newToken(18),
		});
		expect(discarded.status).toBe(303);
		expect(await (await deskGet(editor, "/desk")).text()).not.toContain(`data-verdict="${verdict.id}"`);
	});
});

describe("where /desk lands", () => {
	it("an editor or admin lands on the review queue, a checker on the unverified claims", async () => {
		for (const role of ["editor", "admin"] as const) {
			const me = await account(role);
			const inReview = await makeClaim();
			const waiting = await draft(inReview.id);
			await age(waiting, LONGEST_WAITING);
			const home = await (await deskGet(me, "/desk")).text();
			// The queue comes first, before "My drafts", with a way to preview and publish.
			expect(home.indexOf('id="review-queue"')).toBeGreaterThan(0);
			expect(home.indexOf('id="review-queue"')).toBeLessThan(home.indexOf("<h2>My drafts</h2>"));
			expect(queueRow(home, waiting.id)).toContain(`href="/desk/verdicts/${waiting.id}/preview"`);
			// The claim list shows claims in review.
			expect(home).toContain('<a href="/desk?list=in-review" aria-current="page">');
			expect(home).toContain(`href="/desk/claims/${inReview.id}"`);
		}
		const checker = await account("checker");
		const home = await (await deskGet(checker, "/desk")).text();
		expect(home).toContain('<a href="/desk?list=unverified" aria-current="page">');
		expect(home.indexOf("<h2>My drafts</h2>")).toBeLessThan(home.indexOf('id="review-queue"'));
		// An explicit list wins for everyone.
		const editor = await account("editor");
		expect(await (await deskGet(editor, "/desk?list=unverified")).text()).toContain(
			'<a href="/desk?list=unverified" aria-current="page">',
		);
	});
});

interface PublicClaim {
	status: string;
	verdict: { id: string; headline: string } | null;
}

describe("the preview before publishing", () => {
	it("shows the draft as the public page will, with the publish form below; only for editors", async () => {
		const { user: drafter } = await makeUser("checker", { name: "Chris Previewed" });
		const checker = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim({ text: "The harbour handled 40 ships a day" });
		const headline = "The harbour handled far fewer ships";
		const created = await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, {
			rating: "mostly-false",
			headline,
			summary: "Port records show 12 ships a day.",
			body: "First paragraph.\n\nSecond paragraph.",
			"evidence.0.url": "https://evidence.example/port-records",
			"evidence.0.title": "Port records 2025",
			language: "en",
			_idem: newToken(18),
		});
		expect(created.status).toBe(303);
		const row = await env.DB.prepare(
			"SELECT id, version FROM verdicts WHERE claim_id = ? AND state = 'draft'",
		)
			.bind(claim.id)
			.first<{ id: string; version: number }>();
		if (!row) throw new Error("no draft");
		// The drafter of record is another checker, to see the byline name the drafter.
		await env.DB.prepare("UPDATE verdicts SET reviewer_id = ? WHERE id = ?").bind(drafter.id, row.id).run();

		expect((await deskGet(checker, `/desk/verdicts/${row.id}/preview`)).status).toBe(403);
		const claimPage = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		expect(claimPage).toContain(`href="/desk/verdicts/${row.id}/preview"`);

		const response = await deskGet(editor, `/desk/verdicts/${row.id}/preview`);
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain("Nothing is public yet");
		// What the public page shows: the rating chip, the quote, the verdict with its byline.
		expect(html).toMatch(/class="rating status-mostly-false"[^>]*>Mostly false</);
		expect(html).toContain("The harbour handled 40 ships a day");
		expect(html).toContain(headline);
		expect(html).toContain("Port records show 12 ships a day.");
		expect(html).toContain("<p>First paragraph.</p><p>Second paragraph.</p>");
		expect(html).toContain('href="https://evidence.example/port-records"');
		expect(html).toContain(`Checked by Chris Previewed · published by ${editor.user.name}`);
		// Not a correction: nothing to compare, no note to write.
		expect(html).not.toContain("What the correction changes");
		expect(html).not.toContain('name="correctionNote"');
		// And nothing public yet.
		expect((await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`))).verdict).toBeNull();

		// The publish form below publishes.
		const form = html.slice(html.indexOf(`action="/desk/verdicts/${row.id}/publish"`));
		expect(hidden(form, "version")).toBe(String(row.version));
		const published = await deskPost(editor, `/desk/verdicts/${row.id}/publish`, {
			version: hidden(form, "version") ?? "",
			from: hidden(form, "from") ?? "",
			_idem: hidden(form, "_idem") ?? "",
		});
		expect(published.status).toBe(303);
		const publicClaim = await json<PublicClaim>(await call(`/api/v1/claims/${claim.id}`));
		expect(publicClaim).toMatchObject({ status: "mostly-false", verdict: { id: row.id, headline } });
		// A published verdict has no preview.
		expect((await deskGet(editor, `/desk/verdicts/${row.id}/preview`)).status).toBe(409);
	});

	it("reviewing a correction shows what changes against the published verdict, field by field", async () => {
		const editor = await account("editor");
		const claim = await makeClaim();
		await publish(claim.id, "false", { headline: "Old headline", summary: "Same summary." });
		const correction = await draft(claim.id, "New headline");
		await env.DB.prepare(
			"UPDATE verdicts SET rating = 'misleading', summary = 'Same summary.', evidence = ? WHERE id = ?",
		)
			.bind(JSON.stringify([{ url: "https://evidence.example/new", title: "New report" }]), correction.id)
			.run();
		const current = await getVerdict(testDb(), correction.id);
		const html = await (await deskGet(editor, `/desk/verdicts/${correction.id}/preview`)).text();
		expect(html).toContain("What the correction changes");
		// On a phone the table stacks (styles: table.stack), each value under its column's name:
		// side by side, the German columns made the page 430 px wide at 360.
		expect(html).toContain('<table class="diff stack">');
		expect(html).toContain('data-label="Published now"');
		expect(html).toContain('data-label="This correction"');
		const css = await (await call("/assets/app.css")).text();
		expect(css).toMatch(/@media \(max-width:30rem\)\{table\.stack thead\{display:none\}/);
		expect(css).toContain('td[data-label]::before{content:attr(data-label) ": "');
		const row = (field: string) => {
			const start = html.indexOf(`data-field="${field}"`);
			return html.slice(start, html.indexOf("</tr>", start));
		};
		expect(row("rating")).toContain("(changed)");
		expect(row("rating")).toContain("<del>False</del>");
		expect(row("rating")).toContain("<ins>Misleading</ins>");
		expect(row("deskHeadline")).toContain("<del>Old headline</del>");
		expect(row("deskHeadline")).toContain("<ins>New headline</ins>");
		expect(row("summary")).toContain("(unchanged)");
		expect(row("evidence")).toContain("(changed)");
		expect(row("evidence")).toContain("<del>Report &lt;https://evidence.example/report&gt;</del>");
		expect(row("evidence")).toContain("<ins>New report &lt;https://evidence.example/new&gt;</ins>");
		expect(html).toContain('name="correctionNote"');

		// Publishing from the preview without a note shows the preview again, with the error.
		const before = await snapshot();
		const refused = await deskPost(editor, `/desk/verdicts/${correction.id}/publish`, {
			version: String(current?.version),
			from: "preview",
			correctionNote: "",
			_idem: newToken(18),
		});
		expect(refused.status).toBe(422);
		const again = await refused.text();
		expect(again).toContain("What the correction changes");
		expect(again).toContain(`id="f-correctionNote-${correction.id}-error"`);
		expect(await snapshot()).toEqual(before);
	});

	it("is in German for German editors", async () => {
		const editor = await account("editor");
		const claim = await makeClaim();
		await publish(claim.id, "false");
		const correction = await draft(claim.id);
		const html = await (await deskGet(editor, `/desk/verdicts/${correction.id}/preview?lang=de`)).text();
		expect(html).toContain("Vorschau vor dem Veröffentlichen");
		expect(html).toContain("Was die Korrektur ändert");
		expect(html).toContain("Korrektur veröffentlichen");
	});
});

describe("right-to-left claims on the desk home", () => {
	it("my drafts and the claim list set each claim's direction and isolate its speaker's name", async () => {
		const checker = await account("checker");
		const speaker = `وزارة الخارجية ${newId()}`;
		const text = `الميناء ${newId()} مغلق منذ أسبوع`;
		const claim = await makeClaim({ language: "ar", text, speaker: { name: speaker } });
		await draft(claim.id, `Draft ${newId()}`, checker.user.id);
		const home = await (await deskGet(checker, "/desk?list=all&lang=en")).text();
		const mine = home.slice(home.indexOf(`data-draft=`), home.indexOf("</ul>", home.indexOf("data-draft=")));
		expect(mine).toContain(`<span class="text" lang="ar" dir="auto">${text}</span>`);
		expect(mine).toContain(`<bdi>${speaker}</bdi> · `);
		const list = home.slice(home.lastIndexOf('<ul class="claims">'));
		expect(list).toContain(`<a href="/desk/claims/${claim.id}" class="text" lang="ar" dir="auto">`);
		expect(list).toContain(`<bdi>${speaker}</bdi> · `);
	});
});

describe("every list of drafts names who writes a draft now", () => {
	it("a submitted draft handed to another checker is theirs in the review queue, the dashboard's queue, 'My drafts' and its card", async () => {
		const author = await account("checker");
		const successor = await account("checker");
		const editor = await account("editor");
		const claim = await makeClaim();
		const verdict = await draft(claim.id, `Handed on ${newId()}`, author.user.id);
		await age(verdict, LONGEST_WAITING);
		const handed = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
			assignee: successor.user.email,
			_idem: newToken(18),
		});
		expect(handed.status).toBe(303);

		const row = queueRow(await (await deskGet(editor, "/desk?lang=en")).text(), verdict.id);
		expect(row).toContain(successor.user.name);
		expect(row).not.toContain(author.user.name);
		const dashboard = await (await deskGet(editor, "/desk/dashboard?lang=en")).text();
		const start = dashboard.indexOf(`<li data-claim="${claim.id}">`);
		expect(start).toBeGreaterThan(-1);
		const entry = dashboard.slice(start, dashboard.indexOf("</li>", start));
		expect(entry).toContain(`written by <bdi>${successor.user.name}</bdi>`);
		expect(entry).not.toContain(author.user.name);
		expect(await (await deskGet(successor, "/desk")).text()).toContain(`<li data-draft="${verdict.id}">`);
		const card = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(card).toContain(
			`Drafted by <bdi>${author.user.name}</bdi> · now written by <bdi>${successor.user.name}</bdi>`,
		);
		const german = await (await deskGet(editor, "/desk/dashboard?lang=de")).text();
		expect(german).toContain(`geschrieben von <bdi>${successor.user.name}</bdi>`);
	});
});
