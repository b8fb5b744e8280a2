import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newToken } from "../../src/domain/ids";
import { makeClaim, publish } from "../factories";
import { json } from "../helpers";
import {
	type Account,
	account,
	apiCall,
	apiToken,
	claimForm,
	deskGet,
	deskPost,
	verdictForm,
} from "./helpers";

/**
 * No desk work is attributed to a disabled account (README "Working together"): an editor's
 * correction on a published claim its departed checker still holds is the editor's to write,
 * and a draft whose writer left is not returned to them.
 */

const verdict = {
	rating: "false",
	headline: "Corrected",
	evidence: [{ url: "https://evidence.example/a", title: "A" }],
	language: "en",
};

async function disable(admin: Account, who: Account) {
	const disabled = await deskPost(admin, `/desk/admin/users/${who.user.id}/disable`, {
		confirm: "1",
		version: String(who.user.version),
		_idem: newToken(18),
	});
	expect(disabled.status).toBe(303);
}

/** A published claim assigned to a checker whose account is then disabled (it stays theirs). */
async function publishedClaimOfDeparted() {
	const [departed, editor, admin] = [
		await account("checker"),
		await account("editor"),
		await account("admin"),
	];
	const claim = await makeClaim();
	const assigned = await deskPost(editor, `/desk/claims/${claim.id}/assignee`, {
		assignee: departed.user.email,
		_idem: newToken(18),
	});
	expect(assigned.status).toBe(303);
	await publish(claim.id);
	await disable(admin, departed);
	return { departed, editor, claim };
}

const openDraft = (claimId: string) =>
	env.DB.prepare(
		"SELECT v.id, v.changes_requested_at AS returned, c.assignee_id AS assignee FROM verdicts v JOIN claims c ON c.id = v.claim_id WHERE v.claim_id = ? AND v.state = 'draft'",
	)
		.bind(claimId)
		.first<{ id: string; returned: string | null; assignee: string | null }>();

describe("a correction on a published claim a departed checker holds", () => {
	it("drafted on the desk, is the editor's: the claim goes to nobody, the draft is in their drafts and not returnable", async () => {
		const { departed, editor, claim } = await publishedClaimOfDeparted();
		const drafted = await deskPost(
			editor,
			`/desk/claims/${claim.id}/verdicts`,
			verdictForm({ rating: "true", headline: "The editor's correction" }),
		);
		expect(drafted.status).toBe(303);
		const draft = await openDraft(claim.id);
		expect(draft?.assignee).toBeNull();
		const release = await env.DB.prepare(
			"SELECT json_extract(changes, '$.from') AS from_id, json_extract(changes, '$.reason') AS reason FROM audit_log WHERE entity = 'claim' AND entity_id = ? AND action = 'unassign'",
		)
			.bind(claim.id)
			.first<{ from_id: string; reason: string }>();
		expect(release).toEqual({ from_id: departed.user.id, reason: "account-disabled" });

		const home = await (await deskGet(editor, "/desk?lang=en")).text();
		expect(home).toContain(`data-draft="${draft?.id}"`);
		const page = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(page).not.toContain(`written by ${departed.user.name}`);
		expect(page).not.toContain(`Written by ${departed.user.name}`);
		expect(page).not.toContain(`action="/desk/verdicts/${draft?.id}/return"`);
	});

	it("drafted with an editor's token, is the editor's too", async () => {
		const { editor, claim } = await publishedClaimOfDeparted();
		const created = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: (await apiToken(editor.user, ["verdicts:write"])).token,
			body: verdict,
		});
		expect(created.status).toBe(201);
		expect(await json(created)).toMatchObject({ writerId: editor.user.id });
		expect((await openDraft(claim.id))?.assignee).toBeNull();
	});
});

describe("a draft whose writer's account is disabled", () => {
	it("is not offered for return, and a return sent anyway (desk or API) is a 409 that marks nothing", async () => {
		const [checker, editor, admin] = [
			await account("checker"),
			await account("editor"),
			await account("admin"),
		];
		const claim = await makeClaim();
		const taken = await deskPost(checker, `/desk/claims/${claim.id}/assignee`, {
			assignee: "me",
			_idem: newToken(18),
		});
		expect(taken.status).toBe(303);
		const drafted = await deskPost(checker, `/desk/claims/${claim.id}/verdicts`, verdictForm());
		expect(drafted.status).toBe(303);
		const draft = await openDraft(claim.id);
		if (!draft) throw new Error("no draft");
		const before = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(before).toContain(`action="/desk/verdicts/${draft.id}/return"`);
		// Disabling releases the open claim; the draft stays the departed checker's to write.
		await disable(admin, checker);

		const page = await (await deskGet(editor, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(page).not.toContain(`action="/desk/verdicts/${draft.id}/return"`);
		const version = (
			await env.DB.prepare("SELECT version FROM verdicts WHERE id = ?")
				.bind(draft.id)
				.first<{ version: number }>()
		)?.version;
		const returned = await deskPost(editor, `/desk/verdicts/${draft.id}/return?lang=de`, {
			version: String(version),
			returnNote: "Please fix the sources.",
			_idem: newToken(18),
		});
		expect(returned.status).toBe(409);
		expect(await returned.text()).toContain("Wer diesen Entwurf schreibt, hat die Redaktion verlassen");

		const api = await apiCall("POST", `/api/v1/verdicts/${draft.id}/return`, {
			token: (await apiToken(editor.user, ["verdicts:publish"])).token,
			body: { version, note: "Please fix the sources." },
		});
		expect(api.status).toBe(409);
		expect(await json(api)).toMatchObject({
			type: "urn:claimtrack:problem:writer-departed",
			writer: { name: checker.user.name, email: checker.user.email },
		});
		expect((await openDraft(claim.id))?.returned).toBeNull();
		const notes = await env.DB.prepare("SELECT count(*) AS n FROM verdict_returns WHERE verdict_id = ?")
			.bind(draft.id)
			.first<{ n: number }>();
		expect(notes?.n).toBe(0);
	});
});

describe("the claim page names a departed account so", () => {
	/** The part of a page from `start` to the `end` after it. */
	const within = (html: string, start: string, end: string) => {
		const from = html.indexOf(start);
		if (from < 0) throw new Error(`no ${start}`);
		return html.slice(from, html.indexOf(end, from + start.length));
	};
	const versionOf = async (verdictId: string) =>
		String(
			(
				await env.DB.prepare("SELECT version FROM verdicts WHERE id = ?")
					.bind(verdictId)
					.first<{ version: number }>()
			)?.version,
		);

	it("who recorded, drafted, published, holds, noted, returned and acted: 'account disabled' (en, de)", {
		timeout: 60_000,
	}, async () => {
		const [checker, leaving, editor, admin] = [
			await account("checker"),
			await account("editor"),
			await account("editor"),
			await account("admin"),
		];
		const idem = () => ({ _idem: newToken(18) });
		// Recorded, taken, drafted and noted by the checker; returned with a note by the editor who leaves.
		const recorded = await deskPost(checker, "/desk/claims", claimForm());
		expect(recorded.status).toBe(303);
		const claimId = /\/desk\/claims\/([^/?#]+)/.exec(recorded.headers.get("Location") ?? "")?.[1] ?? "";
		await deskPost(checker, `/desk/claims/${claimId}/assignee`, { assignee: "me", ...idem() });
		expect((await deskPost(checker, `/desk/claims/${claimId}/verdicts`, verdictForm())).status).toBe(303);
		const draft = await openDraft(claimId);
		if (!draft) throw new Error("no draft");
		const noted = await deskPost(checker, `/desk/claims/${claimId}/notes`, {
			text: "Sources checked.",
			...idem(),
		});
		expect(noted.status).toBe(303);
		const returned = await deskPost(leaving, `/desk/verdicts/${draft.id}/return`, {
			version: await versionOf(draft.id),
			returnNote: "Add the second source.",
			...idem(),
		});
		expect(returned.status).toBe(303);
		// Another claim: assigned to the checker by the editor who leaves, drafted, published by that editor.
		const other = await makeClaim();
		const assigned = await deskPost(leaving, `/desk/claims/${other.id}/assignee`, {
			assignee: checker.user.email,
			...idem(),
		});
		expect(assigned.status).toBe(303);
		expect((await deskPost(checker, `/desk/claims/${other.id}/verdicts`, verdictForm())).status).toBe(303);
		const second = await openDraft(other.id);
		if (!second) throw new Error("no draft");
		const published = await deskPost(leaving, `/desk/verdicts/${second.id}/publish`, {
			version: await versionOf(second.id),
			...idem(),
		});
		expect(published.status).toBe(303);
		await disable(admin, checker);
		await disable(admin, leaving);

		const [c, l] = [checker.user.name, leaving.user.name];
		const page = await (await deskGet(editor, `/desk/claims/${claimId}?lang=en`)).text();
		expect(within(page, "<dl", "</dl>")).toContain(` · <bdi>${c}</bdi> (account disabled)`);
		expect(page).toContain(`Drafted by <bdi>${c}</bdi> (account disabled)`);
		// Released to nobody, the draft still theirs: a checker is told whose it is.
		const colleague = await account("checker");
		const asChecker = await (await deskGet(colleague, `/desk/claims/${claimId}?lang=en`)).text();
		expect(asChecker).toContain(`${c} (account disabled) writes the open draft of this claim`);
		expect(within(page, '<section class="notes"', "</section>")).toContain(
			`<bdi>${c}</bdi> (account disabled)`,
		);
		expect(within(page, 'class="label">Review notes', "</ol>")).toContain(
			`<bdi>${l}</bdi> (account disabled) ·`,
		);
		const history = within(page, `<table class="stack">`, "</table>");
		expect(history).toContain(`<bdi>${c}</bdi> (account disabled)`);
		expect(history).toContain(`<bdi>${l}</bdi> (account disabled)`);

		const german = await (await deskGet(editor, `/desk/claims/${other.id}?lang=de`)).text();
		expect(german).toContain(`Entworfen von <bdi>${c}</bdi> (Konto gesperrt)`);
		expect(german).toContain(`veröffentlicht von <bdi>${l}</bdi> (Konto gesperrt)`);
		expect(within(german, 'id="assignee-h"', "</p>")).toContain(`<bdi>${c}</bdi> (Konto gesperrt)`);
		expect(within(german, `<table class="stack">`, "</table>")).toContain(`an ${c} (Konto gesperrt)`);
	});
});

describe("the desk's lists name a departed writer so", () => {
	/** The element of a list that starts with `attribute` (a row, an entry), up to its end. */
	const entry = (html: string, attribute: string, end: string) => {
		const start = html.indexOf(attribute);
		return start < 0 ? "" : html.slice(start, html.indexOf(end, start));
	};
	const takeAndDraft = async (who: Account, claimId: string, submit: boolean) => {
		await deskPost(who, `/desk/claims/${claimId}/assignee`, { assignee: "me", _idem: newToken(18) });
		const drafted = await deskPost(
			who,
			`/desk/claims/${claimId}/verdicts`,
			verdictForm(submit ? { submitForReview: "1" } : {}),
		);
		expect(drafted.status).toBe(303);
		const row = await env.DB.prepare("SELECT id FROM verdicts WHERE claim_id = ? AND state = 'draft'")
			.bind(claimId)
			.first<{ id: string }>();
		// Older than the drafts other files leave open on a shared database (each list shows
		// the 50 longest open or waiting), younger than review-queue's and dashboard's.
		const at = new Date(Date.now() - 20 * 86_400_000).toISOString();
		await env.DB.prepare(
			"UPDATE verdicts SET created_at = ?, submitted_at = CASE WHEN submitted_at IS NULL THEN NULL ELSE ? END WHERE id = ?",
		)
			.bind(at, at, row?.id)
			.run();
		return row?.id ?? "";
	};

	it("'Being written', the review queue (desk home, dashboard) and 'Unassigned': 'account disabled' (en, de)", async () => {
		const [admin, editor, writing, submitted, present] = [
			await account("admin"),
			await account("editor"),
			await account("checker"),
			await account("checker"),
			await account("checker"),
		];
		const [c1, c2, c3] = [await makeClaim(), await makeClaim(), await makeClaim()];
		const beingWritten = await takeAndDraft(writing, c1.id, false);
		const queued = await takeAndDraft(submitted, c2.id, true);
		const stays = await takeAndDraft(present, c3.id, true);
		await disable(admin, writing);
		await disable(admin, submitted);
		for (const [lang, mark] of [
			["en", "account disabled"],
			["de", "Konto gesperrt"],
		] as const) {
			const who = { ...editor, cookie: `${editor.cookie}; lang=${lang}` };
			const home = await (await deskGet(who, "/desk")).text();
			expect(entry(home, `data-writing="${beingWritten}"`, "</tr>")).toContain(
				`${writing.user.name}</bdi> (${mark})`,
			);
			expect(entry(home, `data-verdict="${queued}"`, "</tr>")).toContain(
				`${submitted.user.name}</bdi> (${mark})`,
			);
			expect(entry(home, `data-verdict="${stays}"`, "</tr>")).toContain(`${present.user.name}</bdi>`);
			expect(entry(home, `data-verdict="${stays}"`, "</tr>")).not.toContain(mark);

			const dashboard = await (await deskGet(who, "/desk/dashboard")).text();
			expect(entry(dashboard, `data-writing="${c1.id}"`, "</li>")).toContain(
				`${writing.user.name}</bdi> (${mark})`,
			);
			expect(entry(dashboard, `data-claim="${c2.id}"`, "</li>")).toContain(
				`${submitted.user.name}</bdi> (${mark})`,
			);
			expect(entry(dashboard, `data-claim="${c3.id}"`, "</li>")).not.toContain(mark);

			// Disabling released both claims; each draft stays its departed writer's.
			const unassigned = await (await deskGet(who, "/desk?list=unassigned")).text();
			expect(entry(unassigned, `data-claim="${c1.id}"`, "</li>")).toContain(`${writing.user.name} (${mark})`);
			expect(entry(unassigned, `data-claim="${c2.id}"`, "</li>")).toContain(
				`${submitted.user.name} (${mark})`,
			);
		}
	});
});
