import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { SYSTEM } from "../../src/store/batch";
import { setUserDisabled } from "../../src/store/users";
import { account, apiCall, apiToken, makeUser } from "../desk/helpers";
import { makeClaim, publish, retract } from "../factories";
import { call, fetchWith, json, racingD1, testDb } from "../helpers";

const ALL = ["claims:write", "verdicts:write", "verdicts:publish"] as const;

async function member(role: "checker" | "editor" | "admin") {
	const { user } = await makeUser(role);
	const { token } = await apiToken(user, role === "checker" ? ["claims:write", "verdicts:write"] : [...ALL]);
	return { user, token };
}

const verdictBody = {
	rating: "false",
	headline: "Not so",
	evidence: [{ url: "https://evidence.example/r", title: "Report" }],
	language: "en",
};

describe("assignment", () => {
	it("editors assign anyone; a checker takes only an unassigned claim, for themselves", async () => {
		const editor = await member("editor");
		const [alice, bob] = [await member("checker"), await member("checker")];
		const claim = await makeClaim();
		const assign = (who: { token: string }, email: string | null) =>
			apiCall("POST", `/api/v1/claims/${claim.id}/assignee`, { token: who.token, body: { email } });
		expect((await assign(bob, alice.user.email)).status).toBe(403);
		const taken = await assign(alice, alice.user.email.toUpperCase());
		expect(taken.status, await taken.clone().text()).toBe(200);
		expect(await json(taken)).toMatchObject({ assignee: { name: alice.user.name, email: alice.user.email } });
		// Bob cannot take it away, nor unassign it.
		expect((await assign(bob, bob.user.email)).status).toBe(409);
		// Giving back a claim someone else holds: told whose it is (it may have been handed on meanwhile).
		const giveBack = await assign(bob, null);
		expect(giveBack.status).toBe(409);
		expect(await json(giveBack)).toMatchObject({ type: "urn:claimtrack:problem:assigned-to-another" });
		expect((await assign(editor, bob.user.email)).status).toBe(200);
		expect((await assign(editor, "nobody@desk.test")).status).toBe(422);
		expect(await json(await assign(editor, null))).toMatchObject({ assignee: null });
		const audit = await env.DB.prepare(
			"SELECT action FROM audit_log WHERE entity = 'claim' AND entity_id = ? AND action IN ('assign', 'unassign') ORDER BY id",
		)
			.bind(claim.id)
			.all<{ action: string }>();
		expect(audit.results.map((r) => r.action)).toEqual(["assign", "assign", "unassign"]);
	});

	it("taking a claim one holds already is answered as it is, without a second entry; another's stays a 409", async () => {
		const editor = await member("editor");
		const [alice, bob] = [await member("checker"), await member("checker")];
		const claim = await makeClaim();
		const assign = (who: { token: string }, email: string | null) =>
			apiCall("POST", `/api/v1/claims/${claim.id}/assignee`, { token: who.token, body: { email } });
		const entries = async () =>
			(
				await env.DB.prepare(
					"SELECT action FROM audit_log WHERE entity = 'claim' AND entity_id = ? AND action IN ('assign', 'unassign')",
				)
					.bind(claim.id)
					.all<{ action: string }>()
			).results.length;
		expect((await assign(alice, alice.user.email)).status).toBe(200);
		const again = await assign(alice, alice.user.email);
		expect(again.status, await again.clone().text()).toBe(200);
		expect(await json(again)).toEqual({
			claimId: claim.id,
			assignee: { name: alice.user.name, email: alice.user.email },
		});
		expect(await entries()).toBe(1);
		const refused = await assign(bob, bob.user.email);
		expect(refused.status).toBe(409);
		expect(await json(refused)).toMatchObject({ type: "urn:claimtrack:problem:already-assigned" });
		// An editor assigning whom it is assigned to changes nothing either.
		expect((await assign(editor, alice.user.email)).status).toBe(200);
		expect(await entries()).toBe(1);
		// Both of one checker's takes at once: the second finds it done, not someone else's.
		const other = await makeClaim();
		const both = await Promise.all(
			[1, 2].map(() =>
				apiCall("POST", `/api/v1/claims/${other.id}/assignee`, {
					token: bob.token,
					body: { email: bob.user.email },
				}),
			),
		);
		expect(both.map((r) => r.status)).toEqual([200, 200]);
	});

	it("a checker's take loses to another checker's draft opened between its read and its write (409)", async () => {
		const [alice, bob] = [await member("checker"), await member("checker")];
		const claim = await makeClaim();
		let draftId = "";
		const aliceDrafts = async () => {
			const drafted = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: alice.token,
				body: verdictBody,
			});
			expect(drafted.status, await drafted.clone().text()).toBe(201);
			draftId = (await json<{ id: string }>(drafted)).id;
		};
		const { response } = await fetchWith(
			racingD1(/^update "claims" set "assignee_id"/i, aliceDrafts),
			`/api/v1/claims/${claim.id}/assignee`,
			{
				method: "POST",
				headers: { Authorization: `Bearer ${bob.token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ email: bob.user.email }),
			},
		);
		expect(response.status, await response.clone().text()).toBe(409);
		expect(await json(response)).toMatchObject({ type: "urn:claimtrack:problem:draft-of-another-checker" });
		const row = await env.DB.prepare("SELECT assignee_id FROM claims WHERE id = ?")
			.bind(claim.id)
			.first<{ assignee_id: string | null }>();
		expect(row?.assignee_id).toBeNull();
		// Bob, holding nothing, cannot rewrite Alice's draft.
		const draft = await json<{ version: number }>(
			await apiCall("GET", `/api/v1/verdicts/${draftId}`, { token: alice.token }),
		);
		const saved = await apiCall("PUT", `/api/v1/verdicts/${draftId}`, {
			token: bob.token,
			body: { ...verdictBody, headline: "Bob's now", version: draft.version },
		});
		expect(saved.status).toBe(403);
	});

	it("an editor's assignment to a member disabled between its read and its write is the same 422", async () => {
		const editor = await member("editor");
		const checker = await member("checker");
		const claim = await makeClaim();
		const disable = () =>
			setUserDisabled(testDb(), SYSTEM("admin"), checker.user.id, checker.user.version, true);
		const { response } = await fetchWith(
			racingD1(/^update "claims" set "assignee_id"/i, disable),
			`/api/v1/claims/${claim.id}/assignee`,
			{
				method: "POST",
				headers: { Authorization: `Bearer ${editor.token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ email: checker.user.email }),
			},
		);
		expect(response.status, await response.clone().text()).toBe(422);
		expect(await json(response)).toMatchObject({
			errors: [{ path: "email", message: "No active desk member has this email." }],
		});
		const row = await env.DB.prepare("SELECT assignee_id FROM claims WHERE id = ?")
			.bind(claim.id)
			.first<{ assignee_id: string | null }>();
		expect(row?.assignee_id).toBeNull();
	});

	it("an editor's `was`: a claim taken or handed on since is a 409 naming who holds it now and whose draft is open, nothing changed", async () => {
		const editor = await member("editor");
		const [alice, bob] = [await member("checker"), await member("checker")];
		const claim = await makeClaim();
		const assign = (body: Record<string, unknown>) =>
			apiCall("POST", `/api/v1/claims/${claim.id}/assignee`, { token: editor.token, body });
		// The editor read the claim held by nobody; meanwhile Bob took it and drafted.
		const read = await json<{ assignee: null }>(await assign({ email: null }));
		expect(read.assignee).toBeNull();
		expect(
			(
				await apiCall("POST", `/api/v1/claims/${claim.id}/assignee`, {
					token: bob.token,
					body: { email: bob.user.email },
				})
			).status,
		).toBe(200);
		const drafted = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: bob.token,
			body: verdictBody,
		});
		const draft = await json<{ id: string }>(drafted);

		const stale = await assign({ email: alice.user.email, was: null });
		expect(stale.status, await stale.clone().text()).toBe(409);
		expect(await json(stale)).toMatchObject({
			type: "urn:claimtrack:problem:assignee-changed",
			assignee: { name: bob.user.name, email: bob.user.email },
			draftWriter: { name: bob.user.name },
		});
		const kept = await json<{ writerId: string }>(
			await apiCall("GET", `/api/v1/verdicts/${draft.id}`, { token: bob.token }),
		);
		expect(kept.writerId).toBe(bob.user.id);
		// Named as read now (any case), it is handed on, draft and all.
		const handed = await assign({ email: alice.user.email, was: bob.user.email.toUpperCase() });
		expect(handed.status, await handed.clone().text()).toBe(200);
		expect(await json(handed)).toMatchObject({ assignee: { email: alice.user.email } });
		// A take landing between the editor's read and write is refused by the write itself.
		const other = await makeClaim();
		const { response } = await fetchWith(
			racingD1(/^update "claims" set "assignee_id"/i, () =>
				apiCall("POST", `/api/v1/claims/${other.id}/assignee`, {
					token: bob.token,
					body: { email: bob.user.email },
				}),
			),
			`/api/v1/claims/${other.id}/assignee`,
			{
				method: "POST",
				headers: { Authorization: `Bearer ${editor.token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ email: alice.user.email, was: null }),
			},
		);
		expect(response.status, await response.clone().text()).toBe(409);
		expect(await json(response)).toMatchObject({
			type: "urn:claimtrack:problem:assignee-changed",
			assignee: { email: bob.user.email },
			draftWriter: null,
		});
		const row = await env.DB.prepare("SELECT assignee_id FROM claims WHERE id = ?")
			.bind(other.id)
			.first<{ assignee_id: string | null }>();
		expect(row?.assignee_id).toBe(bob.user.id);
	});

	it("the assignee filter needs a token and never reaches a public answer", async () => {
		const editor = await member("editor");
		const checker = await member("checker");
		const claim = await makeClaim();
		await apiCall("POST", `/api/v1/claims/${claim.id}/assignee`, {
			token: editor.token,
			body: { email: checker.user.email },
		});
		expect((await call("/api/v1/claims?assignee=me")).status).toBe(401);
		const mine = await apiCall("GET", "/api/v1/claims?assignee=me", { token: checker.token });
		expect(mine.status).toBe(200);
		expect(mine.headers.get("cache-control")).toMatch(/private, no-store/);
		expect((await json<{ data: { id: string }[] }>(mine)).data.map((c) => c.id)).toEqual([claim.id]);
		const byEmail = await apiCall(
			"GET",
			`/api/v1/claims?assignee=${encodeURIComponent(checker.user.email)}`,
			{
				token: editor.token,
			},
		);
		expect((await json<{ data: { id: string }[] }>(byEmail)).data.map((c) => c.id)).toEqual([claim.id]);
		for (const path of [
			`/api/v1/claims/${claim.id}`,
			`/claims/${claim.id}?lang=en`,
			"/api/v1/claims",
			"/api/v1/export.ndjson",
		]) {
			const text = await (await call(path)).text();
			expect(text, path).not.toContain(checker.user.email);
			expect(text, path).not.toContain(checker.user.name);
			expect(text, path).not.toContain("assignee");
		}
	});
});

describe("drafting on a claim another checker holds", () => {
	/** The claim's open drafts and status: what a refused draft must leave as it was. */
	async function draftsOf(claimId: string) {
		const row = await env.DB.prepare(
			"SELECT status, (SELECT count(*) FROM verdicts WHERE claim_id = claims.id AND state = 'draft') AS drafts, assignee_id FROM claims WHERE id = ?",
		)
			.bind(claimId)
			.first<{ status: string; drafts: number; assignee_id: string | null }>();
		return row;
	}
	const draftAs = (who: { token: string }, claimId: string) =>
		apiCall("POST", `/api/v1/claims/${claimId}/verdicts`, { token: who.token, body: verdictBody });

	it("is a 403 naming the holder, nothing written; the holder, an editor and anyone on an unassigned claim draft", async () => {
		const editor = await member("editor");
		const [alice, bob] = [await member("checker"), await member("checker")];
		const [held, other] = [await makeClaim(), await makeClaim()];
		for (const claim of [held, other]) {
			const taken = await apiCall("POST", `/api/v1/claims/${claim.id}/assignee`, {
				token: alice.token,
				body: { email: alice.user.email },
			});
			expect(taken.status).toBe(200);
		}
		const refused = await draftAs(bob, held.id);
		expect(refused.status, await refused.clone().text()).toBe(403);
		expect(refused.headers.get("Content-Type")).toContain("application/problem+json");
		expect(await json(refused)).toMatchObject({
			type: "urn:claimtrack:problem:claim-of-another-checker",
			status: 403,
			assignee: { name: alice.user.name, email: alice.user.email },
		});
		expect(await draftsOf(held.id)).toEqual({ status: "unverified", drafts: 0, assignee_id: alice.user.id });
		expect((await draftAs(alice, held.id)).status).toBe(201);
		expect((await draftAs(editor, other.id)).status).toBe(201);
		expect((await draftAs(bob, (await makeClaim()).id)).status).toBe(201);
	});

	it("a hand-over between the draft's read and its write refuses it too", async () => {
		const editor = await member("editor");
		const [alice, bob] = [await member("checker"), await member("checker")];
		const claim = await makeClaim();
		const handOver = async () => {
			const handed = await apiCall("POST", `/api/v1/claims/${claim.id}/assignee`, {
				token: editor.token,
				body: { email: alice.user.email },
			});
			expect(handed.status).toBe(200);
		};
		const { response } = await fetchWith(
			racingD1(/^insert into "verdicts"/i, handOver),
			`/api/v1/claims/${claim.id}/verdicts`,
			{
				method: "POST",
				headers: { Authorization: `Bearer ${bob.token}`, "Content-Type": "application/json" },
				body: JSON.stringify(verdictBody),
			},
		);
		expect(response.status, await response.clone().text()).toBe(403);
		expect(await json(response)).toMatchObject({
			type: "urn:claimtrack:problem:claim-of-another-checker",
			assignee: { name: alice.user.name },
		});
		expect(await draftsOf(claim.id)).toEqual({ status: "unverified", drafts: 0, assignee_id: alice.user.id });
	});

	it("a departed holder: a retracted claim a new draft reopens goes to nobody and the draft is the checker's; a published one's is refused", async () => {
		const [alice, bob] = [await member("checker"), await member("checker")];
		const [retracted, published] = [await makeClaim(), await makeClaim()];
		for (const claim of [retracted, published]) {
			await apiCall("POST", `/api/v1/claims/${claim.id}/assignee`, {
				token: alice.token,
				body: { email: alice.user.email },
			});
		}
		const first = await publish(retracted.id);
		await publish(published.id);
		await retract(first.id, first.version);
		const holder = await testDb().query.users.findFirst({ where: (u, { eq }) => eq(u.id, alice.user.id) });
		await setUserDisabled(testDb(), SYSTEM("admin"), alice.user.id, holder?.version ?? 0, true);
		const reopened = await draftAs(bob, retracted.id);
		expect(reopened.status, await reopened.clone().text()).toBe(201);
		expect((await draftsOf(retracted.id))?.assignee_id).toBeNull();
		// A correction leaves the claim with its departed holder (not open work): not Bob's to write.
		const correction = await draftAs(bob, published.id);
		expect(correction.status, await correction.clone().text()).toBe(403);
		expect((await draftsOf(published.id))?.drafts).toBe(0);
	});
});

describe("the desk's work, read with a token", () => {
	it("takes a work scope: an integration's token (webhooks, imports) reads no notes, drafts or assignments", async () => {
		const admin = await account("admin");
		const claim = await makeClaim();
		const worker = (await apiToken(admin.user, ["claims:write", "verdicts:write"])).token;
		const note = await apiCall("POST", `/api/v1/claims/${claim.id}/notes`, {
			token: worker,
			body: { text: `Source named ${newId()}` },
		});
		expect(note.status).toBe(201);
		const drafted = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: worker,
			body: { rating: "false", headline: "Draft", evidence: [], language: "en" },
		});
		expect(drafted.status, await drafted.clone().text()).toBe(201);
		const draftId = (await json<{ id: string }>(drafted)).id;
		for (const scopes of [["webhooks:manage"], ["import"]] as const) {
			const integration = (await apiToken(admin.user, scopes)).token;
			for (const path of [
				`/api/v1/claims/${claim.id}/notes`,
				`/api/v1/verdicts/${draftId}`,
				"/api/v1/claims?assignee=me",
			]) {
				const refused = await apiCall("GET", path, { token: integration });
				expect(refused.status, `${scopes[0]} ${path}`).toBe(403);
				expect(refused.headers.get("www-authenticate"), path).toContain("insufficient_scope");
			}
		}
		expect((await apiCall("GET", `/api/v1/claims/${claim.id}/notes`, { token: worker })).status).toBe(200);
		expect((await apiCall("GET", `/api/v1/verdicts/${draftId}`, { token: worker })).status).toBe(200);
		expect((await apiCall("GET", "/api/v1/claims?assignee=me", { token: worker })).status).toBe(200);
	});
});

describe("the review loop", () => {
	it("an editor returns a draft with a note; it stays 'changes requested' through saves until resubmitted", async () => {
		const editor = await member("editor");
		const checker = await member("checker");
		const claim = await makeClaim();
		const draft = await json<{ id: string; version: number }>(
			await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
				token: checker.token,
				body: verdictBody,
			}),
		);
		const body = { version: draft.version, note: "Cite the ministry's own figures." };
		expect(
			(await apiCall("POST", `/api/v1/verdicts/${draft.id}/return`, { token: checker.token, body })).status,
		).toBe(403);
		const returned = await apiCall("POST", `/api/v1/verdicts/${draft.id}/return`, {
			token: editor.token,
			body,
		});
		expect(returned.status, await returned.clone().text()).toBe(200);
		const answer = await json<{
			state: string;
			version: number;
			changesRequestedAt: string | null;
			returns: { note: string; by: string }[];
		}>(returned);
		expect(answer).toMatchObject({ state: "draft", returns: [{ note: body.note, by: editor.user.name }] });
		expect(answer.changesRequestedAt).not.toBeNull();
		// An old version is a 409; the public claim says nothing of it.
		expect(
			(await apiCall("POST", `/api/v1/verdicts/${draft.id}/return`, { token: editor.token, body })).status,
		).toBe(409);
		expect(await (await call(`/api/v1/claims/${claim.id}`)).text()).not.toContain("ministry's own figures");
		const saved = await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
			token: checker.token,
			body: { ...verdictBody, headline: "Not so: the ministry says otherwise", version: answer.version },
		});
		const afterSave = await json<{
			version: number;
			changesRequestedAt: string | null;
			submittedAt: string | null;
			reviewState: string;
		}>(saved);
		expect(afterSave).toMatchObject({ submittedAt: null, reviewState: "changes-requested" });
		expect(afterSave.changesRequestedAt).toBe(answer.changesRequestedAt);
		const resubmitted = await apiCall("POST", `/api/v1/verdicts/${draft.id}/submit`, {
			token: checker.token,
			body: { version: afterSave.version },
		});
		expect(resubmitted.status, await resubmitted.clone().text()).toBe(200);
		const submitted = await json<{ changesRequestedAt: string | null; submittedAt: string | null }>(
			resubmitted,
		);
		expect(submitted).toMatchObject({ changesRequestedAt: null, reviewState: "submitted" });
		expect(submitted.submittedAt).not.toBeNull();
	});
});

describe("internal notes", () => {
	it("token holders write and read them; no public surface carries them", async () => {
		const checker = await member("checker");
		const claim = await makeClaim();
		const marker = `note-marker-${newId()}`;
		const text = `Called the press office (${marker}), see https://evidence.example/call-log`;
		expect((await call(`/api/v1/claims/${claim.id}/notes`)).status).toBe(401);
		const posted = await apiCall("POST", `/api/v1/claims/${claim.id}/notes`, {
			token: checker.token,
			body: { text },
		});
		expect(posted.status, await posted.clone().text()).toBe(201);
		const notes = await json<{ data: { text: string; author: string }[] }>(
			await apiCall("GET", `/api/v1/claims/${claim.id}/notes`, { token: checker.token }),
		);
		expect(notes.data).toEqual([expect.objectContaining({ text, author: checker.user.name })]);
		expect(
			(
				await apiCall("POST", `/api/v1/claims/${claim.id}/notes`, {
					token: checker.token,
					body: { text: "  " },
				})
			).status,
		).toBe(422);
		const admin = await account("admin");
		for (const path of [
			`/api/v1/claims/${claim.id}`,
			`/claims/${claim.id}?lang=en`,
			`/claims/${claim.id}?lang=de`,
			`/embed/${claim.id}`,
			`/badges/${claim.id}.svg`,
			`/oembed?url=${encodeURIComponent(`http://claimtrack.test/claims/${claim.id}`)}`,
			"/api/v1/claims",
			`/api/v1/claims?q=${marker}`,
			"/feeds/verdicts.atom",
			"/api/v1/export.ndjson",
			"/api/v1/export/claimreview.json",
			`/v1alpha1/claims:search?query=${marker}`,
		]) {
			const text = await (await call(path)).text();
			expect(text, path).not.toContain(marker);
		}
		void admin;
	});
});

describe("topics", () => {
	it("a topic cannot be renamed to a name another topic has, in either language, in any case", async () => {
		const editor = await member("editor");
		const mark = newId().slice(0, 6);
		const [first, second] = [`Haushalt ${mark}`, `Schulden ${mark}`];
		const made: string[] = [];
		for (const name of [first, second]) {
			const response = await apiCall("POST", "/api/v1/claims", {
				token: editor.token,
				body: {
					text: `Der Haushalt ${newId()} wächst.`,
					language: "de",
					speaker: null,
					source: { url: `https://news.example/${newId()}`, title: "Artikel" },
					tags: [name],
				},
			});
			expect(response.status, await response.clone().text()).toBe(201);
			made.push((await json<{ id: string }>(response)).id);
		}
		const slugOf = (name: string) => name.toLowerCase().replace(" ", "-");
		for (const body of [
			{ nameDe: second },
			{ nameEn: second.toUpperCase() },
			{ nameEn: "x", nameDe: second },
		]) {
			const renamed = await apiCall("PATCH", `/api/v1/tags/${slugOf(first)}`, { token: editor.token, body });
			expect(renamed.status, JSON.stringify(body)).toBe(409);
			expect(await json(renamed)).toMatchObject({
				type: "urn:claimtrack:problem:topic-name-taken",
				topic: slugOf(second),
			});
		}
		// Nothing of a refused rename was written.
		const unchanged = await json<{ tags: { slug: string; name: string }[] }>(
			await call(`/api/v1/claims/${made[0]}?lang=en`),
		);
		expect(unchanged.tags).toEqual([expect.objectContaining({ slug: slugOf(first), name: first })]);
		// Its own names, or a new one, are fine.
		const own = await apiCall("PATCH", `/api/v1/tags/${slugOf(first)}`, {
			token: editor.token,
			body: { nameEn: `Budget ${mark}`, nameDe: first },
		});
		expect(own.status, await own.clone().text()).toBe(200);
	});

	it("are created on first use, listed on the claim, filtered with keyset paging and shown on /tags/:slug", async () => {
		const editor = await member("editor");
		const tag = `Hafen ${newId().slice(0, 6)}`;
		const slug = tag.toLowerCase().replace(" ", "-");
		const made: string[] = [];
		for (let i = 0; i < 3; i++) {
			const response = await apiCall("POST", "/api/v1/claims", {
				token: editor.token,
				body: {
					text: `Der Hafen ${newId()} wurde 2024 eröffnet.`,
					language: "de",
					speaker: null,
					source: { url: `https://news.example/${newId()}`, title: "Artikel" },
					tags: [tag, "Wirtschaft"],
				},
			});
			expect(response.status, await response.clone().text()).toBe(201);
			made.push((await json<{ id: string }>(response)).id);
		}
		const detail = await json<{ tags: { slug: string; name: string; url: string }[]; version: number }>(
			await call(`/api/v1/claims/${made[0]}`),
		);
		expect(detail.tags.map((t) => t.slug)).toEqual([slug, "wirtschaft"].sort());
		expect(detail.tags.find((t) => t.slug === slug)).toMatchObject({
			name: tag,
			url: `http://claimtrack.test/tags/${slug}`,
		});
		const first = await json<{ data: { id: string }[]; next: string | null }>(
			await call(`/api/v1/claims?tag=${slug}&limit=2`),
		);
		expect(first.data.map((c) => c.id)).toEqual([made[2], made[1]]);
		const second = await json<{ data: { id: string }[]; next: string | null }>(
			await call(new URL(first.next ?? "").pathname + new URL(first.next ?? "").search),
		);
		expect(second.data.map((c) => c.id)).toEqual([made[0]]);
		expect(second.next).toBeNull();
		const page = await call(`/tags/${slug}?lang=en`);
		expect(page.status).toBe(200);
		const html = await page.text();
		for (const id of made) expect(html).toContain(`/claims/${id}`);
		expect(await (await call(`/claims/${made[0]}?lang=en`)).text()).toContain(`href="/tags/${slug}"`);
		expect((await call("/tags/no-such-topic?lang=en")).status).toBe(404);
		// A cursor cut short or edited by hand starts the page over instead of failing.
		const forged = await call(`/tags/${slug}?lang=en&cursor=not-ours`);
		expect(forged.status).toBe(200);
		for (const id of made) expect(await forged.clone().text()).toContain(`/claims/${id}`);
		// PATCH replaces them, at the version last read.
		const patched = await apiCall("PATCH", `/api/v1/claims/${made[0]}`, {
			token: editor.token,
			body: { version: detail.version, tags: ["Wirtschaft"] },
		});
		expect(patched.status, await patched.clone().text()).toBe(200);
		expect((await json<{ tags: { slug: string }[] }>(patched)).tags.map((t) => t.slug)).toEqual([
			"wirtschaft",
		]);
		expect((await json<{ version: number }>(await call(`/api/v1/claims/${made[0]}`))).version).toBe(
			detail.version + 1,
		);
		// Editors name the topic per language; the slug and its links stay.
		const checkerToken = (await member("checker")).token;
		expect(
			(await apiCall("PATCH", `/api/v1/tags/${slug}`, { token: checkerToken, body: { nameDe: "x" } })).status,
		).toBe(403);
		const renamed = await apiCall("PATCH", `/api/v1/tags/${slug}`, {
			token: editor.token,
			body: { nameEn: `Harbour ${slug.slice(6)}`, nameDe: `Hafenanlage ${slug.slice(6)}` },
		});
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		const german = await json<{ tags: { slug: string; name: string }[] }>(
			await call(`/api/v1/claims/${made[1]}?lang=de`),
		);
		expect(german.tags.find((t) => t.slug === slug)?.name).toBe(`Hafenanlage ${slug.slice(6)}`);
		const english = await json<{ tags: { slug: string; name: string }[] }>(
			await call(`/api/v1/claims/${made[1]}?lang=en`),
		);
		expect(english.tags.find((t) => t.slug === slug)?.name).toBe(`Harbour ${slug.slice(6)}`);
		// Topics and text fields in one edit: one batch, one version step.
		const both = await apiCall("PATCH", `/api/v1/claims/${made[2]}`, {
			token: editor.token,
			body: { version: 1, context: "Im Stadtrat", tags: ["Stadtrat"] },
		});
		expect(both.status, await both.clone().text()).toBe(200);
		expect(await json(both)).toMatchObject({
			version: 2,
			context: "Im Stadtrat",
			tags: [{ slug: "stadtrat" }],
		});
		const stale = await apiCall("PATCH", `/api/v1/claims/${made[0]}`, {
			token: editor.token,
			body: { version: detail.version, tags: [] },
		});
		expect(stale.status, await stale.clone().text()).toBe(409);
	});
});

describe("topics by name", () => {
	const record = async (token: string, tags: string[]) => {
		const response = await apiCall("POST", "/api/v1/claims", {
			token,
			body: {
				text: `Die Lage ${newId()} bleibt angespannt.`,
				language: "de",
				speaker: null,
				source: { url: `https://news.example/${newId()}`, title: "Artikel" },
				tags,
			},
		});
		expect(response.status, await response.clone().text()).toBe(201);
		return json<{ id: string; version: number; tags: { slug: string }[] }>(response);
	};
	const slugs = (claim: { tags: { slug: string }[] }) => claim.tags.map((t) => t.slug);
	const topicExists = async (slug: string) =>
		Boolean(await env.DB.prepare("SELECT 1 FROM tags WHERE slug = ?").bind(slug).first());

	it("a claim recorded with a renamed topic's name is filed under that topic, as an edit files it", async () => {
		const editor = await member("editor");
		const mark = newId().slice(0, 6);
		const slug = slugs(await record(editor.token, [`War X${mark}`]))[0];
		expect(slug).toBe(`war-x${mark}`);
		const renamed = await apiCall("PATCH", `/api/v1/tags/${slug}`, {
			token: editor.token,
			body: { nameDe: `Krieg Y${mark}` },
		});
		expect(renamed.status, await renamed.clone().text()).toBe(200);
		expect(slugs(await record(editor.token, [`Krieg Y${mark}`]))).toEqual([slug]);
		// Both of its names, in any case: the topic once.
		expect(slugs(await record(editor.token, [`war x${mark}`, `KRIEG Y${mark}`]))).toEqual([slug]);
		expect(await topicExists(`krieg-y${mark}`)).toBe(false);
		// The claim's creation is audited with the topic it was filed under.
		const created = await record(editor.token, [`Krieg Y${mark}`]);
		const audit = await env.DB.prepare(
			"SELECT changes FROM audit_log WHERE entity = 'claim' AND entity_id = ? AND action = 'create'",
		)
			.bind(created.id)
			.first<{ changes: string }>();
		expect(JSON.parse(audit?.changes ?? "{}").tags).toEqual([slug]);
	});

	it("a topic's name is found in any case, in any script, however long", async () => {
		const editor = await member("editor");
		const mark = newId().slice(0, 6);
		const doctors = slugs(await record(editor.token, [`Doctors ${mark}`]))[0] ?? "";
		await apiCall("PATCH", `/api/v1/tags/${doctors}`, {
			token: editor.token,
			body: { nameDe: `Ärzte ${mark}` },
		});
		const claim = await makeClaim();
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token: editor.token,
			body: { version: claim.version, tags: [`ärzte ${mark}`] },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		expect(slugs(await json(edited))).toEqual([doctors]);
		expect(slugs(await record(editor.token, [`ÄRZTE ${mark}`]))).toEqual([doctors]);
		expect(await topicExists(`aerzte-${mark}`)).toBe(false);
		// All of it in another script, and past the 50 bytes of a LIKE pattern D1 takes.
		const war = slugs(await record(editor.token, [`Война ${mark}`]))[0];
		expect(slugs(await record(editor.token, [`ВОЙНА ${mark.toUpperCase()}`]))).toEqual([war]);
		const long = `Öffentliche Gesundheit und Versorgung ${mark} über Jahre`;
		expect(long.length).toBeGreaterThan(50);
		const health = slugs(await record(editor.token, [long]))[0];
		expect(slugs(await record(editor.token, [long.toUpperCase()]))).toEqual([health]);
		// Nor may another topic take the name in another case.
		const taken = await apiCall("PATCH", `/api/v1/tags/${war}`, {
			token: editor.token,
			body: { nameEn: `äRZTE ${mark}` },
		});
		expect(taken.status).toBe(409);
		expect(await json(taken)).toMatchObject({
			type: "urn:claimtrack:problem:topic-name-taken",
			topic: doctors,
		});
	});
	it("a name is found in every form that shows the same: spaces, ligatures, invisible characters", async () => {
		const editor = await member("editor");
		const mark = newId().slice(0, 6);
		// The name a topic has, and the name typed for it: LIKE patterns, one `_` a character, missed each.
		const forms = [
			[`Ukraine\u00A0Krieg ${mark}`, `ukraine krieg ${mark}`],
			[`\uFB01nanzen ${mark}`, `FINANZEN ${mark}`],
			[`Wahlkampf ${mark}`, `Wahl\u00ADkampf ${mark}`],
			[`\u2714\uFE0F Fakten ${mark}`, `\u2714 fakten ${mark}`],
			[`Energie  Wende ${mark}`, `energie wende ${mark}`],
		] as const;
		for (const [index, [name, typed]] of forms.entries()) {
			const slug = slugs(await record(editor.token, [`Topic ${index} ${mark}`]))[0] ?? "";
			const renamed = await apiCall("PATCH", `/api/v1/tags/${slug}`, {
				token: editor.token,
				body: { nameDe: name },
			});
			expect(renamed.status, await renamed.clone().text()).toBe(200);
			expect(await json(renamed)).toMatchObject({ nameDe: name });
			expect(slugs(await record(editor.token, [typed])), typed).toEqual([slug]);
			const claim = await makeClaim();
			const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
				token: editor.token,
				body: { version: claim.version, tags: [typed] },
			});
			expect(edited.status, await edited.clone().text()).toBe(200);
			expect(slugs(await json(edited)), typed).toEqual([slug]);
			// As a rename already refused it.
			const other = slugs(await record(editor.token, [`Other ${index} ${mark}`]))[0];
			const taken = await apiCall("PATCH", `/api/v1/tags/${other}`, {
				token: editor.token,
				body: { nameEn: typed },
			});
			expect(taken.status, typed).toBe(409);
			expect(await json(taken)).toMatchObject({
				type: "urn:claimtrack:problem:topic-name-taken",
				topic: slug,
			});
		}
		const made = await env.DB.prepare("SELECT count(*) AS n FROM tags WHERE slug LIKE ?")
			.bind(`%${mark}%`)
			.first<{ n: number }>();
		expect(made?.n).toBe(2 * forms.length);
	});

	it("a new name whose slug another topic has is a topic of its own, under a slug of its own", async () => {
		const editor = await member("editor");
		const mark = newId().slice(0, 6);
		const busse = slugs(await record(editor.token, [`Busse ${mark}`]))[0];
		expect(busse).toBe(`busse-${mark}`);
		// "Maße" and "Masse" are two words (topicNameKey): not filed under the other.
		const busze = slugs(await record(editor.token, [`Buße ${mark}`]))[0];
		expect(busze).toBe(`busse-${mark}-2`);
		expect(slugs(await record(editor.token, [`BUSSE ${mark}`]))).toEqual([busse]);
		expect(slugs(await record(editor.token, [`buße ${mark}`]))).toEqual([busze]);
		// As an edit of the claim's topics: "C# x" is not "C++ x".
		const cpp = slugs(await record(editor.token, [`C++ ${mark}`]))[0];
		expect(cpp).toBe(`c-${mark}`);
		const claim = await makeClaim();
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token: editor.token,
			body: { version: claim.version, tags: [`C# ${mark}`] },
		});
		expect(edited.status, await edited.clone().text()).toBe(200);
		expect(slugs(await json(edited))).toEqual([`c-${mark}-2`]);
		const names = await env.DB.prepare("SELECT slug, name_en FROM tags WHERE slug LIKE ? ORDER BY slug")
			.bind(`%${mark}%`)
			.all<{ slug: string; name_en: string }>();
		expect(names.results).toEqual([
			{ slug: `busse-${mark}`, name_en: `Busse ${mark}` },
			{ slug: `busse-${mark}-2`, name_en: `Buße ${mark}` },
			{ slug: `c-${mark}`, name_en: `C++ ${mark}` },
			{ slug: `c-${mark}-2`, name_en: `C# ${mark}` },
		]);
	});

	it("a 60-character slug another topic has gives a new name a slug of its own within 60", async () => {
		const editor = await member("editor");
		const mark = newId().slice(0, 8);
		// 60 characters, and a slug of 60: the most a topic's slug may have (tags_slug_check).
		const name = (gap: string) => `${mark}${"x".repeat(25)}${gap}${"y".repeat(26)}`;
		const slug = `${mark}${"x".repeat(25)}-${"y".repeat(26)}`;
		expect(slugs(await record(editor.token, [name(" ")]))).toEqual([slug]);
		// Another name of the same slug: `-2` after the slug cut to fit, not a 62-character slug.
		const second = slugs(await record(editor.token, [name("_")]))[0] ?? "";
		expect(second).toBe(`${slug.slice(0, 58)}-2`);
		expect(second).toHaveLength(60);
		// A third finds the cut slug's `-2` taken.
		expect(slugs(await record(editor.token, [name(".")]))).toEqual([`${slug.slice(0, 58)}-3`]);
		expect(slugs(await record(editor.token, [name("_")]))).toEqual([second]);
	});

	it("a topic of another name made at the same slug meanwhile is not joined", async () => {
		const editor = await member("editor");
		const mark = newId().slice(0, 6);
		const makeOther = () =>
			env.DB.prepare("INSERT INTO tags (slug, name_en, name_de) VALUES (?, ?, ?)")
				.bind(`masse-${mark}`, `Masse ${mark}`, `Masse ${mark}`)
				.run();
		const { response } = await fetchWith(
			racingD1(/^insert into "claim_tags"/i, makeOther),
			"/api/v1/claims",
			{
				method: "POST",
				headers: { Authorization: `Bearer ${editor.token}`, "Content-Type": "application/json" },
				body: JSON.stringify({
					text: `Die Maße ${newId()} stimmen.`,
					language: "de",
					speaker: null,
					source: { url: `https://news.example/${newId()}` },
					tags: [`Maße ${mark}`],
				}),
			},
		);
		expect(response.status, await response.clone().text()).toBe(201);
		expect(slugs(await json(response))).toEqual([`masse-${mark}-2`]);
		// The same on an edit of a claim's topics alone.
		const claim = await makeClaim();
		const makeThird = () =>
			env.DB.prepare("INSERT INTO tags (slug, name_en, name_de) VALUES (?, ?, ?)")
				.bind(`masse-3-${mark}`, `Masse 3 ${mark}`, `Masse 3 ${mark}`)
				.run();
		const edit = await fetchWith(
			racingD1(/^insert into "claim_tags"/i, makeThird),
			`/api/v1/claims/${claim.id}`,
			{
				method: "PATCH",
				headers: { Authorization: `Bearer ${editor.token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ version: claim.version, tags: [`Maße 3 ${mark}`] }),
			},
		);
		expect(edit.response.status, await edit.response.clone().text()).toBe(200);
		expect(slugs(await json(edit.response))).toEqual([`masse-3-${mark}-2`]);
	});

	it("a topic's slug is that topic: no other topic takes it as a name, and a name that is one loses to it", async () => {
		const editor = await member("editor");
		const mark = newId().slice(0, 6);
		const first = slugs(await record(editor.token, [`Renten ${mark}`]))[0] ?? "";
		const second = slugs(await record(editor.token, [`Mieten ${mark}`]))[0] ?? "";
		const taken = await apiCall("PATCH", `/api/v1/tags/${first}`, {
			token: editor.token,
			body: { nameDe: second },
		});
		expect(taken.status, await taken.clone().text()).toBe(409);
		expect(await json(taken)).toMatchObject({
			type: "urn:claimtrack:problem:topic-name-taken",
			topic: second,
		});
		// A name given before the refusal (or an import's) that is another topic's slug: given
		// as a topic, the slug still names its own topic, not the one so named.
		await env.DB.prepare("UPDATE tags SET name_de = ? WHERE slug = ?").bind(second, first).run();
		expect(slugs(await record(editor.token, [second]))).toEqual([second]);
		const claim = await record(editor.token, [`Renten ${mark}`]);
		const edited = await apiCall("PATCH", `/api/v1/claims/${claim.id}`, {
			token: editor.token,
			body: { version: claim.version, tags: [second] },
		});
		expect(slugs(await json(edited))).toEqual([second]);
		// Its names still name it.
		expect(slugs(await record(editor.token, [`RENTEN ${mark}`]))).toEqual([first]);
	});
	it("a topic's slug in another case is that topic too, and no other topic's name", async () => {
		const editor = await member("editor");
		const mark = newId().slice(0, 6);
		const alpha = slugs(await record(editor.token, [`Alpha ${mark}`]))[0] ?? "";
		const beta = slugs(await record(editor.token, [`Beta ${mark}`]))[0] ?? "";
		const taken = await apiCall("PATCH", `/api/v1/tags/${alpha}`, {
			token: editor.token,
			body: { nameEn: beta.toUpperCase() },
		});
		expect(taken.status, await taken.clone().text()).toBe(409);
		expect(await json(taken)).toMatchObject({ type: "urn:claimtrack:problem:topic-name-taken", topic: beta });
		// A name given before the refusal: the slug, in any case, still names its own topic.
		await env.DB.prepare("UPDATE tags SET name_en = ? WHERE slug = ?").bind(beta.toUpperCase(), alpha).run();
		expect(slugs(await record(editor.token, [beta.toUpperCase()]))).toEqual([beta]);
		expect(slugs(await record(editor.token, [`Beta-${mark}`.toUpperCase()]))).toEqual([beta]);
	});
});

describe("renaming a topic from names last read", () => {
	const renames = async (slug: string) =>
		(
			await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'tag' AND entity_id = ?")
				.bind(slug)
				.first<{ n: number }>()
		)?.n;

	async function topic(token: string, name: string) {
		const response = await apiCall("POST", "/api/v1/claims", {
			token,
			body: {
				text: `Der Hafen ${newId()} wächst.`,
				language: "de",
				speaker: null,
				source: { url: `https://news.example/${newId()}`, title: "Artikel" },
				tags: [name],
			},
		});
		return (await json<{ tags: { slug: string }[] }>(response)).tags[0]?.slug ?? "";
	}

	const patch = (token: string, slug: string, body: unknown) =>
		apiCall("PATCH", `/api/v1/tags/${slug}`, { token, body });

	it("`was`: a name renamed since is a 409 with the current names, and nothing changes", async () => {
		const editor = await member("editor");
		const mark = newId().slice(0, 6);
		const slug = await topic(editor.token, `Canal ${mark}`);
		expect((await patch(editor.token, slug, { nameEn: `Channel ${mark}` })).status).toBe(200);
		const stale = await patch(editor.token, slug, {
			nameEn: `Waterway ${mark}`,
			nameDe: `Kanal ${mark}`,
			was: { nameEn: `Canal ${mark}`, nameDe: `Canal ${mark}` },
		});
		expect(stale.status).toBe(409);
		expect(await json(stale)).toMatchObject({
			type: "urn:claimtrack:problem:topic-renamed",
			current: { nameEn: `Channel ${mark}`, nameDe: `Canal ${mark}` },
		});
		expect(await renames(slug)).toBe(1);
		// From the names as they are: saved.
		const fresh = await patch(editor.token, slug, {
			nameDe: `Kanal ${mark}`,
			was: { nameEn: `Channel ${mark}`, nameDe: `Canal ${mark}` },
		});
		expect(fresh.status, await fresh.clone().text()).toBe(200);
		expect(await json(fresh)).toMatchObject({ nameEn: `Channel ${mark}`, nameDe: `Kanal ${mark}` });
		// Sent again (a retry): already so, answered as it is, no second entry.
		const retried = await patch(editor.token, slug, {
			nameDe: `Kanal ${mark}`,
			was: { nameDe: `Canal ${mark}` },
		});
		expect(retried.status).toBe(200);
		expect(await renames(slug)).toBe(2);
		expect((await patch(editor.token, slug, { was: { nameDe: "x" } })).status).toBe(422);
	});

	it("a rename made between this one's reads and its write is not undone", async () => {
		const editor = await member("editor");
		const mark = newId().slice(0, 6);
		const slug = await topic(editor.token, `Basin ${mark}`);
		const { response } = await fetchWith(
			racingD1(/^update "tags"/i, () => patch(editor.token, slug, { nameEn: `Dock ${mark}` })),
			`/api/v1/tags/${slug}`,
			{
				method: "PATCH",
				headers: { Authorization: `Bearer ${editor.token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ nameEn: `Harbour basin ${mark}`, was: { nameEn: `Basin ${mark}` } }),
			},
		);
		expect(response.status, await response.clone().text()).toBe(409);
		expect(await json(response)).toMatchObject({
			type: "urn:claimtrack:problem:topic-renamed",
			current: { nameEn: `Dock ${mark}` },
		});
		const names = await env.DB.prepare("SELECT name_en FROM tags WHERE slug = ?")
			.bind(slug)
			.first<{ name_en: string }>();
		expect(names?.name_en).toBe(`Dock ${mark}`);
	});

	it("a rename whose guard fails twice, other topics renamed before each try, is a 409 to retry", async () => {
		const editor = await member("editor");
		const mark = newId().slice(0, 6);
		const [slug, other] = [
			await topic(editor.token, `Epsilon ${mark}`),
			await topic(editor.token, `Zeta ${mark}`),
		];
		let round = 0;
		// A name that is not plain ASCII guards every other topic: any rename meanwhile fails it.
		const { response } = await fetchWith(
			racingD1(/^update "tags"/i, () => patch(editor.token, other, { nameEn: `Zeta ${mark} ${++round}` }), 2),
			`/api/v1/tags/${slug}`,
			{
				method: "PATCH",
				headers: { Authorization: `Bearer ${editor.token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ nameDe: `Ölpreis ${mark}` }),
			},
		);
		expect(round).toBe(2);
		expect(response.status, await response.clone().text()).toBe(409);
		expect(await json(response)).toMatchObject({ type: "urn:claimtrack:problem:topics-changed" });
		const row = await env.DB.prepare("SELECT name_de FROM tags WHERE slug = ?")
			.bind(slug)
			.first<{ name_de: string }>();
		expect(row?.name_de).toBe(`Epsilon ${mark}`);
		// Sent again, nothing racing: saved.
		expect((await patch(editor.token, slug, { nameDe: `Ölpreis ${mark}` })).status).toBe(200);
	});

	it("two topics renamed at once to one name, in cases SQLite does not fold: one wins", async () => {
		const editor = await member("editor");
		const mark = newId().slice(0, 6);
		const [first, second] = [
			await topic(editor.token, `Alpha ${mark}`),
			await topic(editor.token, `Beta ${mark}`),
		];
		const { response } = await fetchWith(
			racingD1(/^update "tags"/i, () => patch(editor.token, second, { nameDe: `Ölpreis ${mark}` })),
			`/api/v1/tags/${first}`,
			{
				method: "PATCH",
				headers: { Authorization: `Bearer ${editor.token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ nameDe: `ölpreis ${mark}` }),
			},
		);
		expect(response.status, await response.clone().text()).toBe(409);
		expect(await json(response)).toMatchObject({
			type: "urn:claimtrack:problem:topic-name-taken",
			topic: second,
		});
		const row = await env.DB.prepare("SELECT name_de FROM tags WHERE slug = ?")
			.bind(first)
			.first<{ name_de: string }>();
		expect(row?.name_de).toBe(`Alpha ${mark}`);
	});

	it("two topics renamed at once to one name in forms that show the same: one wins", async () => {
		const editor = await member("editor");
		const mark = newId().slice(0, 6);
		// Either way round: the name this rename sends is plain ASCII, or the racing one's is.
		for (const [mine, theirs] of [
			[`FINANZEN ${mark}`, `\uFB01nanzen ${mark}`],
			[`Wahl\u00ADkampf ${mark}`, `Wahlkampf ${mark}`],
		]) {
			const [first, second] = [
				await topic(editor.token, `Gamma ${mine}`),
				await topic(editor.token, `Delta ${mine}`),
			];
			const { response } = await fetchWith(
				racingD1(/^update "tags"/i, () => patch(editor.token, second, { nameEn: theirs })),
				`/api/v1/tags/${first}`,
				{
					method: "PATCH",
					headers: { Authorization: `Bearer ${editor.token}`, "Content-Type": "application/json" },
					body: JSON.stringify({ nameEn: mine }),
				},
			);
			expect(response.status, await response.clone().text()).toBe(409);
			expect(await json(response)).toMatchObject({
				type: "urn:claimtrack:problem:topic-name-taken",
				topic: second,
			});
			const row = await env.DB.prepare("SELECT name_en FROM tags WHERE slug = ?")
				.bind(first)
				.first<{ name_en: string }>();
			expect(row?.name_en).toBe(`Gamma ${mine}`);
		}
	});
});

describe("the API's draft names who writes it now (writerId)", () => {
	it("in every answer: the claim's holder, on a claim held by nobody its last writer; null once published", async () => {
		const editor = await member("editor");
		const [alice, bob] = [await member("checker"), await member("checker")];
		const claim = await makeClaim();
		const assign = (email: string | null) =>
			apiCall("POST", `/api/v1/claims/${claim.id}/assignee`, { token: editor.token, body: { email } });
		expect((await assign(alice.user.email)).status).toBe(200);
		// The editor drafts on Alice's claim: the draft is hers to write.
		const drafted = await apiCall("POST", `/api/v1/claims/${claim.id}/verdicts`, {
			token: editor.token,
			body: verdictBody,
		});
		expect(drafted.status, await drafted.clone().text()).toBe(201);
		const draft = await json<{ id: string; version: number; reviewerId: string; writerId: string | null }>(
			drafted,
		);
		expect([draft.reviewerId, draft.writerId]).toEqual([editor.user.id, alice.user.id]);
		const read = async () =>
			json<{ version: number; writerId: string | null }>(
				await apiCall("GET", `/api/v1/verdicts/${draft.id}`, { token: editor.token }),
			);
		// Handed to Bob with its claim; the claim going back to nobody leaves it with him.
		expect((await assign(bob.user.email)).status).toBe(200);
		expect((await read()).writerId).toBe(bob.user.id);
		expect((await assign(null)).status).toBe(200);
		expect((await read()).writerId).toBe(bob.user.id);
		const saved = await apiCall("PUT", `/api/v1/verdicts/${draft.id}`, {
			token: bob.token,
			body: { ...verdictBody, headline: "Not so at all", version: (await read()).version },
		});
		expect(saved.status, await saved.clone().text()).toBe(200);
		expect((await json<{ writerId: string | null }>(saved)).writerId).toBe(bob.user.id);
		const submitted = await apiCall("POST", `/api/v1/verdicts/${draft.id}/submit`, {
			token: bob.token,
			body: { version: (await read()).version },
		});
		expect(submitted.status, await submitted.clone().text()).toBe(200);
		expect((await json<{ writerId: string | null }>(submitted)).writerId).toBe(bob.user.id);
		const returned = await apiCall("POST", `/api/v1/verdicts/${draft.id}/return`, {
			token: editor.token,
			body: { version: (await read()).version, note: "Add a source." },
		});
		expect(returned.status, await returned.clone().text()).toBe(200);
		expect((await json<{ writerId: string | null }>(returned)).writerId).toBe(bob.user.id);
		const published = await apiCall("POST", `/api/v1/verdicts/${draft.id}/publish`, {
			token: editor.token,
			body: { version: (await read()).version },
		});
		expect(published.status, await published.clone().text()).toBe(200);
		const verdict = await json<{ version: number; writerId: string | null }>(published);
		expect(verdict.writerId).toBeNull();
		expect((await read()).writerId).toBeNull();
		const retracted = await apiCall("POST", `/api/v1/verdicts/${draft.id}/retract`, {
			token: editor.token,
			body: { version: verdict.version, note: "Withdrawn for review." },
		});
		expect(retracted.status, await retracted.clone().text()).toBe(200);
		expect(await json(retracted)).toMatchObject({ state: "retracted", writerId: null });
	});
});

describe("a token checked for ?assignee= on a public list", () => {
	it("is read on the primary, not through the list's session a replica may answer (a revocation it has not seen)", async () => {
		const checker = await member("checker");
		// Where each statement reading the tokens went: the binding (the primary) or a session,
		// by the constraint it started with ("first-unconstrained": any replica).
		const tokenReads: string[] = [];
		const recorded = <T extends D1Database | D1DatabaseSession>(real: T, via: string): T =>
			new Proxy(real, {
				get(target, property) {
					if (property === "prepare")
						return (query: string) => {
							if (/\bapi_tokens\b/.test(query) && /^\s*select/i.test(query)) tokenReads.push(via);
							return target.prepare(query);
						};
					if (property === "withSession")
						return (start?: string) =>
							recorded((target as D1Database).withSession(start as never), `session ${start}`);
					const value = Reflect.get(target, property, target);
					return typeof value === "function" ? value.bind(target) : value;
				},
			});
		const { response, settled } = await fetchWith(recorded(env.DB, "binding"), "/api/v1/claims?assignee=me", {
			headers: { Authorization: `Bearer ${checker.token}` },
		});
		expect(response.status, await response.clone().text()).toBe(200);
		await settled();
		expect(tokenReads.length).toBeGreaterThan(0);
		expect(tokenReads.filter((via) => via !== "binding" && via !== "session first-primary")).toEqual([]);
	});
});
