import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId, newToken } from "../../src/domain/ids";
import { draft, makeClaim, publish, reload, retract } from "../factories";
import { fetchWith } from "../helpers";
import { account, deskGet, deskPost } from "./helpers";

/**
 * The desk's links lead where they say: a count to the list it counts, a refused form's
 * language link and embed options to a page (not to the post's address), a narrowing only
 * where it applies.
 */
const idem = () => ({ _idem: newToken(18) });

/** The claim ids a desk list shows (its rows, not the queues beside it). */
async function listed(who: Awaited<ReturnType<typeof account>>, href: string): Promise<string[]> {
	const html = await (await deskGet(who, href.replaceAll("&amp;", "&"))).text();
	return [...html.matchAll(/href="\/desk\/claims\/([0-9a-z]{14})" class="text"/g)].map((m) => m[1] ?? "");
}

describe("desk links", () => {
	it("a member's count on the dashboard is the list it links to: their open claims", {
		timeout: 60_000,
	}, async () => {
		const editor = await account("editor");
		const checker = await account("checker");
		const [open, done] = [await makeClaim(), await makeClaim()];
		for (const claim of [open, done])
			await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
				assignee: checker.user.email,
				...idem(),
			});
		await publish(done.id);
		const dashboard = await (await deskGet(editor, "/desk/dashboard")).text();
		const link = new RegExp(`href="(/desk\\?list=open&amp;assignee=${checker.user.id})"`).exec(
			dashboard,
		)?.[1];
		expect(link, "the member's link").toBeDefined();
		const shown = await listed(editor, link ?? "");
		expect(shown).toContain(open.id);
		expect(shown).not.toContain(done.id);
		// "My queue" is mine, whoever a narrowing names; "Unassigned" is not emptied by one.
		const mine = await listed(editor, `/desk?list=mine&assignee=${checker.user.id}`);
		expect(mine).not.toContain(open.id);
		const other = await makeClaim();
		expect(await listed(editor, `/desk?list=unassigned&assignee=${checker.user.id}`)).toContain(other.id);
	});

	it("a claim re-checked after a retraction is open work in every list and count that says so", {
		timeout: 60_000,
	}, async () => {
		const editor = await account("editor");
		const checker = await account("checker");
		const claim = await makeClaim();
		const published = await publish(claim.id);
		await retract(published.id, published.version);
		const dashboardCount = async () => {
			const html = await (await deskGet(editor, "/desk/dashboard")).text();
			return html.includes(`href="/desk?list=open&amp;assignee=${checker.user.id}"`);
		};
		// Retracted with no draft: done, not open.
		expect(await listed(editor, "/desk?list=unassigned")).not.toContain(claim.id);
		await deskPost(editor, `/desk/claims/${claim.id}/assignee`, { assignee: checker.user.email, ...idem() });
		expect(await listed(checker, "/desk?list=mine")).not.toContain(claim.id);
		expect(await dashboardCount()).toBe(false);
		// A new draft: the public status stays "retracted", the desk's work is open again.
		await draft(claim.id, "A fresh look", checker.user.id);
		expect((await reload(claim.id)).status).toBe("retracted");
		expect(await listed(checker, "/desk?list=mine")).toContain(claim.id);
		expect(await listed(editor, `/desk?list=open&assignee=${checker.user.id}`)).toContain(claim.id);
		expect(await dashboardCount()).toBe(true);
		// Disabling the checker gives it back to "Unassigned", as any open claim.
		const version = (
			await env.DB.prepare("SELECT version FROM users WHERE id = ?").bind(checker.user.id).first()
		)?.version;
		const admin = await account("admin");
		const disabled = await deskPost(admin, `/desk/admin/users/${checker.user.id}/disable`, {
			confirm: "1",
			version: String(version),
			...idem(),
		});
		expect(disabled.status).toBe(303);
		expect(await listed(editor, "/desk?list=unassigned")).toContain(claim.id);
	});

	it("a topic's row links to every claim it counts", { timeout: 60_000 }, async () => {
		const editor = await account("editor");
		const topic = `Hafen ${newId().slice(0, 6)}`;
		const [a, b] = [await makeClaim(), await makeClaim()];
		for (const claim of [a, b]) {
			const version = String((await reload(claim.id)).version);
			const saved = await deskPost(editor, `/desk/claims/${claim.id}/tags`, {
				tags: topic,
				version,
				...idem(),
			});
			expect(saved.status).toBe(303);
		}
		await publish(b.id);
		const slug = topic.toLowerCase().replace(" ", "-");
		const page = await (await deskGet(editor, "/desk/topics")).text();
		const row = page.slice(page.indexOf(`id="topic-${slug}"`));
		const link = /href="(\/desk\?[^"]*)"/.exec(row)?.[1] ?? "";
		expect(link).toContain("list=all");
		expect((await listed(editor, link)).sort()).toEqual([a.id, b.id].sort());
	});

	it("a refused form's page links its language switch and embed options to a page, not to the post", {
		timeout: 60_000,
	}, async () => {
		const editor = await account("editor");
		const claim = await makeClaim();
		const refused = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
			assignee: "nobody@desk.test",
			...idem(),
		});
		expect(refused.status).toBe(422);
		const html = await refused.text();
		const switchTo = /<a class="lang" href="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&") ?? "";
		expect(switchTo).toBe(`/desk/claims/${claim.id}?lang=de`);
		expect((await deskGet(editor, switchTo)).status).toBe(200);
		expect(html).toContain(`action="/desk/claims/${claim.id}#embed-${claim.id}"`);
		const created = await deskPost(editor, "/desk/claims", { text: "", ...idem() });
		expect(created.status).toBe(422);
		expect(await created.text()).toContain('class="lang" href="/desk/claims/new?lang=de"');
	});

	it("German: a retracted verdict is 'kein Entwurf'", { timeout: 60_000 }, async () => {
		const editor = await account("editor");
		const claim = await makeClaim();
		const verdict = await publish(claim.id);
		await retract(verdict.id, verdict.version);
		const answer = await deskPost(editor, `/desk/verdicts/${verdict.id}/submit?lang=de`, {
			version: "99",
			...idem(),
		});
		expect(await answer.text()).toContain("Diese Bewertung ist zurückgezogen, kein Entwurf.");
	});

	it("where unreviewed claims are hidden, the embed panel says its code works from publication", {
		timeout: 60_000,
	}, async () => {
		const editor = await account("editor");
		const claim = await makeClaim();
		const hidden = async () => {
			const { response } = await fetchWith(
				env.DB,
				`/desk/claims/${claim.id}?lang=en`,
				{ headers: { Cookie: editor.cookie } },
				false,
				{ PUBLIC_UNREVIEWED: "hide" },
			);
			return response.text();
		};
		expect(await hidden()).toContain("until a verdict is published, this badge, card and link answer");
		expect(await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text()).not.toContain(
			"until a verdict is published",
		);
		await publish(claim.id);
		expect(await hidden()).not.toContain("until a verdict is published");
	});
});
