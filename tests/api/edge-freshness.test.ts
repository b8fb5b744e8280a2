import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { archiveSnapshots } from "../../src/queues/snapshot-archive";
import { planSnapshots } from "../../src/store/snapshots";
import { account, apiToken, makeUser } from "../desk/helpers";
import { makeClaim, publish } from "../factories";
import { BASE, json, testDb, uniquePlace } from "../helpers";
import { useOwnDatabase } from "../own-database";
import { type EdgeDouble, edgeDouble } from "./edge-double";

useOwnDatabase();

/**
 * The purge contract as a reader meets it: every public surface of a claim, kept in a
 * double of Workers Caching that stores what the headers allow and drops what a purge
 * names, must answer after each kind of write exactly what the Worker answers fresh. A
 * write whose tags miss a surface that shows what it changed fails here, whatever the
 * event → tag table says.
 */

interface ClaimJson {
	id: string;
	version: number;
	speaker: { slug: string; name: string } | null;
	currentVerdict: { id: string } | null;
	appearances: { source: { id: string; snapshot: { url: string } | null } }[];
	tags: { slug: string }[];
	attachments: { url: string }[];
}

function sent(token: string, method: string, body: unknown): RequestInit {
	return {
		method,
		headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
		body: JSON.stringify(body),
	};
}

/** Every public answer that shows something of this claim, its speaker, source or verdict. */
function surfaces(claim: ClaimJson, word: string): string[] {
	const sourceId = claim.appearances[0]?.source.id;
	const slug = claim.speaker?.slug;
	const claimUrl = encodeURIComponent(`${BASE}/claims/${claim.id}`);
	return [
		`/claims/${claim.id}?lang=en`,
		...(claim.currentVerdict ? [`/claims/${claim.id}/verdicts/${claim.currentVerdict.id}?lang=en`] : []),
		`/api/v1/claims/${claim.id}`,
		`/badges/${claim.id}.svg`,
		`/embed/${claim.id}`,
		`/oembed?url=${claimUrl}&format=json`,
		"/?lang=en",
		"/claims?lang=en",
		`/claims?q=${word}&lang=en`,
		"/api/v1/claims?limit=50",
		`/api/v1/claims?q=${word}`,
		`/v1alpha1/claims:search?query=${word}`,
		`/api/v1/claims/matches?text=${encodeURIComponent(`Die Werft ${word} kostete Millionen`)}&language=de`,
		"/feeds/verdicts.atom",
		"/api/v1/export.ndjson",
		"/api/v1/export/claimreview.json",
		"/speakers?lang=en",
		"/api/v1/speakers",
		...(slug ? [`/speakers/${slug}?lang=en`, `/api/v1/speakers/${slug}`] : []),
		"/api/v1/sources",
		...(sourceId ? [`/sources/${sourceId}?lang=en`, `/api/v1/sources/${sourceId}`] : []),
		...claim.tags.map((tag) => `/tags/${tag.slug}?lang=en`),
		...claim.attachments.map((attachment) => attachment.url.slice(BASE.length)),
		...claim.appearances.flatMap(({ source }) =>
			source.snapshot ? [`${source.snapshot.url.slice(BASE.length)}?claim=${claim.id}&lang=en`] : [],
		),
	];
}

const text = async (response: Response) => new TextDecoder().decode(await response.arrayBuffer());

/** Surfaces whose edge copy differs from the Worker's answer now, each with where they part. */
async function staleSurfaces(edge: EdgeDouble, paths: readonly string[]): Promise<string[]> {
	const stale: string[] = [];
	for (const path of paths) {
		const seen = await edge.fetch(path);
		const now = await edge.fresh(path);
		expect(seen.status, path).toBe(now.status);
		// A refusal (a problem with this request's id) is compared by its status.
		if (now.status !== 200) {
			await Promise.all([seen.arrayBuffer(), now.arrayBuffer()]);
			continue;
		}
		const [kept, current] = [await text(seen), await text(now)];
		if (kept === current) continue;
		let at = 0;
		while (kept[at] === current[at]) at++;
		const near = (body: string) => JSON.stringify(body.slice(Math.max(0, at - 60), at + 60));
		stale.push(`${path}: the edge has ${near(kept)}, the Worker ${near(current)}`);
	}
	return stale;
}

const verdict = (rating: string, headline: string) => ({
	rating,
	headline,
	evidence: [{ url: `https://e.example/${newId()}`, title: "Report" }],
	language: "en",
});

type Step = [string, () => Promise<Response>];

/**
 * One editor's writes on one claim through the JSON API, each as a step for runSteps; the
 * verdict being worked on is carried from step to step.
 */
class ClaimWrites {
	#verdict = { id: "", version: 0 };

	constructor(
		private readonly edge: EdgeDouble,
		private readonly token: string,
		readonly id: string,
	) {}

	read = async () => json<ClaimJson>(await this.edge.fresh(`/api/v1/claims/${this.id}`));

	#send(method: string, path: string, body: unknown) {
		return this.edge.fetch(path, sent(this.token, method, body));
	}

	/** A write answering the verdict, whose new version the next step uses. */
	async #onVerdict(answer: Promise<Response>): Promise<Response> {
		const response = await answer;
		const { id, version } = await json<{ id?: string; version: number }>(response.clone());
		this.#verdict = { id: id ?? this.#verdict.id, version };
		return response;
	}

	draft = (rating: string, headline: string) => () =>
		this.#onVerdict(this.#send("POST", `/api/v1/claims/${this.id}/verdicts`, verdict(rating, headline)));
	save = (headline: string) => () =>
		this.#onVerdict(
			this.#send("PUT", `/api/v1/verdicts/${this.#verdict.id}`, {
				...verdict("false", headline),
				version: this.#verdict.version,
			}),
		);
	discard = () => () =>
		this.#send("DELETE", `/api/v1/verdicts/${this.#verdict.id}`, { version: this.#verdict.version });
	publish = (correctionNote?: string) => () =>
		this.#onVerdict(
			this.#send("POST", `/api/v1/verdicts/${this.#verdict.id}/publish`, {
				version: this.#verdict.version,
				...(correctionNote ? { correctionNote } : {}),
			}),
		);
	retract = () => () =>
		this.#send("POST", `/api/v1/verdicts/${this.#verdict.id}/retract`, {
			version: this.#verdict.version,
			note: "Withdrawn.",
		});
	editClaim = (change: Record<string, unknown>) => async () =>
		this.#send("PATCH", `/api/v1/claims/${this.id}`, {
			version: (await this.read()).version,
			note: "Desk edit.",
			...change,
		});
	editSpeaker = (change: Record<string, unknown>) => async () => {
		const slug = (await this.read()).speaker?.slug;
		const speaker = await json<{ version: number; name: string; aliases: string[] }>(
			await this.edge.fresh(`/api/v1/speakers/${slug}`),
		);
		return this.#send("PATCH", `/api/v1/speakers/${slug}`, {
			version: speaker.version,
			name: speaker.name,
			kind: "person",
			aliases: speaker.aliases,
			...change,
		});
	};
	renameTopic = (names: { nameEn: string; nameDe: string }) => async () =>
		this.#send("PATCH", `/api/v1/tags/${(await this.read()).tags[0]?.slug}`, names);
	appear = (title: string) => () =>
		this.#send("POST", `/api/v1/claims/${this.id}/appearances`, {
			source: { url: `https://other.example/${newId()}`, title },
			quote: null,
		});
	mergeSpeakerInto = (otherClaim: () => Promise<Response>) => async () => {
		const into = (await json<ClaimJson>(await otherClaim())).speaker?.slug;
		return this.#send("POST", `/api/v1/speakers/${(await this.read()).speaker?.slug}/merge`, { into });
	};
}

describe("every public surface tells the current truth after each kind of write", () => {
	it("through a cache that keeps what the headers allow until a purge names it", {
		timeout: 240_000,
	}, async () => {
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["claims:write", "verdicts:write", "verdicts:publish"]);
		const edge = edgeDouble({ store: true });
		const word = uniquePlace();
		const person = uniquePlace();
		const record = (text: string, speaker: string) =>
			edge.fetch(
				"/api/v1/claims",
				sent(token, "POST", {
					text,
					language: "de",
					claimedAt: "2025-07-12",
					speaker: { name: speaker, kind: "person" },
					source: { url: `https://news.example/${newId()}`, title: `Artikel ${word}`, language: "de" },
				}),
			);
		const created = await record(`Die Werft ${word} kostete 300 Millionen Euro.`, `Anna ${person}`);
		expect(created.status, await created.clone().text()).toBe(201);
		const w = new ClaimWrites(edge, token, (await json<{ id: string }>(created)).id);
		const steps: Step[] = [
			["a first draft", w.draft("false", "Not so")],
			["its discard (the claim is unverified again)", w.discard()],
			["a new draft", w.draft("false", "Not so")],
			["a save of the draft (nothing public changes)", w.save("Not so at all")],
			["its publication", w.publish()],
			["a correction's draft", w.draft("mostly-false", "Mostly not so")],
			["the correction's publication", w.publish("A figure was wrong.")],
			["an edit of the claim's context", w.editClaim({ context: `Im Stadtrat von ${word}` })],
			["an edit of the claim's text", w.editClaim({ text: `Die Werft ${word} kostete 310 Millionen Euro.` })],
			["the claim's topics", w.editClaim({ tags: [`Hafen ${word}`] })],
			["a topic's new name", w.renameTopic({ nameEn: `Harbour ${word}`, nameDe: `Hafenanlage ${word}` })],
			["a new appearance", w.appear(`Nachdruck ${word}`)],
			["a speaker's new name", w.editSpeaker({ name: `Anna Maria ${person}` })],
			["a speaker's new alias", w.editSpeaker({ aliases: [`A. M. ${person}`] })],
			["the verdict's retraction", w.retract()],
			[
				"a merge of the speaker into another",
				w.mergeSpeakerInto(() => record(`Der Hafen ${word} wurde 2024 eröffnet.`, `Berta ${uniquePlace()}`)),
			],
		];
		await runSteps(edge, steps, async () => surfaces(await w.read(), word));
	});

	it("after imports: a correction, and a speaker named in another spelling", {
		timeout: 120_000,
	}, async () => {
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["import"]);
		const edge = edgeDouble({ store: true });
		const word = uniquePlace();
		const person = uniquePlace();
		const externalId = `fresh-${newId()}`;
		const record = (speaker: string, rating: string, headline: string) => ({
			externalId,
			claim: { text: `Der Hafen ${word} wurde 2024 eröffnet.`, language: "de", claimedAt: "2025-07-01" },
			speaker: { name: speaker, kind: "person" },
			sources: [{ url: `https://news.example/${externalId}`, title: `Artikel ${word}` }],
			verdict: {
				rating,
				originalRating: rating,
				headline,
				url: `https://checks.example/${externalId}`,
				publishedAt: "2025-07-02",
			},
		});
		const importing =
			(...args: Parameters<typeof record>) =>
			async () =>
				edge.fetch("/api/v1/import", sent(token, "POST", { records: [record(...args)] }));
		const first = await importing(`Sergei ${person}`, "false", "Eröffnet wurde 2025")();
		const [created] = (await json<{ results: { claimId: string }[] }>(first)).results;
		const read = async () => json<ClaimJson>(await edge.fresh(`/api/v1/claims/${created?.claimId}`));
		await runSteps(
			edge,
			[
				[
					"an import correcting the verdict",
					importing(`Sergei ${person}`, "mostly-false", "Eröffnet Ende 2024"),
				],
				[
					"an import naming the speaker otherwise",
					importing(`Sergej ${person}`, "mostly-false", "Eröffnet Ende 2024"),
				],
			],
			async () => surfaces(await read(), word),
		);
		expect((await read()).speaker?.slug).toBeTruthy();
		const speaker = await json<{ aliases: string[] }>(
			await edge.fresh(`/api/v1/speakers/${(await read()).speaker?.slug}`),
		);
		expect(speaker.aliases).toEqual([`Sergej ${person}`]);
	});
});

describe("every public surface tells the current truth when a claim leaves the tracker", () => {
	it("a duplicate merged into a reviewed claim; a claim recorded by mistake removed", {
		timeout: 180_000,
	}, async () => {
		const { user } = await makeUser("editor");
		const { token } = await apiToken(user, ["claims:write"]);
		const edge = edgeDouble({ store: true });
		const word = uniquePlace();
		const read = async (id: string) => json<ClaimJson>(await edge.fresh(`/api/v1/claims/${id}`));
		const kept = await makeClaim({ text: `Die Werft ${word} kostete 300 Millionen Euro.`, language: "de" });
		await publish(kept.id);
		const duplicate = await read(
			(await makeClaim({ text: `Die Werft ${word} kostete Millionen.`, language: "de", sourceTitle: word }))
				.id,
		);
		await runSteps(
			edge,
			[
				[
					"a merge of the duplicate into the reviewed claim",
					async () =>
						edge.fetch(
							`/api/v1/claims/${duplicate.id}/merge`,
							sent(token, "POST", { into: kept.id, version: duplicate.version, note: "Recorded twice." }),
						),
				],
			],
			async () => [...surfaces(duplicate, word), ...surfaces(await read(kept.id), word)],
		);
		const mistake = await read(
			(await makeClaim({ text: `Die Werft ${word} gehört Herrn X.`, language: "de", sourceTitle: word })).id,
		);
		await runSteps(
			edge,
			[
				[
					"a removal of a claim recorded by mistake",
					async () =>
						edge.fetch(
							`/api/v1/claims/${mistake.id}`,
							sent(token, "DELETE", { version: mistake.version, reason: "A private individual." }),
						),
				],
			],
			async () => [...surfaces(mistake, word), ...surfaces(await read(kept.id), word)],
		);
	});
});

describe("every public surface tells the current truth after desk writes", () => {
	it("an attachment made public, then internal again", { timeout: 120_000 }, async () => {
		const editor = await account("editor");
		const edge = edgeDouble({ store: true });
		const word = uniquePlace();
		const claim = await makeClaim({ text: `Die Werft ${word} kostete 300 Millionen Euro.`, language: "de" });
		await publish(claim.id, "false");
		const form = new FormData();
		form.set("_csrf", editor.csrf);
		form.set("_idem", `${newId()}${newId()}`);
		form.set("caption", `Screenshot ${word}`);
		form.set("file", new Blob([ONE_PIXEL_PNG]), "post.png");
		const attached = await edge.fetch(`/desk/claims/${claim.id}/attachments`, {
			method: "POST",
			headers: { Cookie: editor.cookie, Origin: BASE },
			body: form,
			redirect: "manual",
		});
		expect(attached.status, await attached.clone().text()).toBe(303);
		const [upload] = (
			await env.DB.prepare("SELECT id FROM uploads WHERE claim_id = ?").bind(claim.id).all<{ id: string }>()
		).results;
		const showing = (visible: boolean) => async () =>
			edge.fetch(`/desk/attachments/${upload?.id}/visibility`, {
				method: "POST",
				headers: { Cookie: editor.cookie, Origin: BASE, "Content-Type": "application/x-www-form-urlencoded" },
				body: new URLSearchParams({
					_csrf: editor.csrf,
					_idem: `${newId()}${newId()}`,
					public: String(visible),
				}).toString(),
				redirect: "manual",
			});
		const read = async () => json<ClaimJson>(await edge.fresh(`/api/v1/claims/${claim.id}`));
		await runSteps(
			edge,
			[
				["the attachment made public", showing(true)],
				["the attachment made internal again", showing(false)],
			],
			async () => surfaces(await read(), word),
		);
		expect((await read()).attachments).toEqual([]);
	});
});

describe("every public surface tells the current truth after the evidence archive's writes", () => {
	it("a stored copy of a source, and Save Page Now's link to it", { timeout: 120_000 }, async () => {
		const edge = edgeDouble({ store: true });
		const word = uniquePlace();
		const url = `https://news.example/chip-exports.en.html?case=${newId()}`;
		const claim = await makeClaim({
			text: `Die Werft ${word} kostete 300 Millionen Euro.`,
			language: "de",
			sourceUrl: url,
		});
		await publish(claim.id, "false");
		const [planned] = await planSnapshots(testDb(), [url], Date.now());
		const read = async () => json<ClaimJson>(await edge.fresh(`/api/v1/claims/${claim.id}`));
		const archiving = async () => {
			const handled = { acked: false };
			await archiveSnapshots(
				[
					{
						body: { snapshotId: planned?.id ?? "" },
						ack: () => {
							handled.acked = true;
						},
						retry: () => undefined,
					},
				],
				{
					db: testDb(),
					bucket: env.ARCHIVE,
					cache: edge.cache,
					now: () => Date.now(),
					allowLoopback: false,
					archiveOrg: true,
					fetch: (input, init) => fetch(input, init),
				},
			);
			expect(handled.acked).toBe(true);
			return new Response(null, { status: 204 });
		};
		await runSteps(edge, [["the archive's copy and link", archiving]], async () =>
			surfaces(await read(), word),
		);
		expect((await read()).appearances[0]?.source).toMatchObject({
			archivedUrl: `https://web.archive.org/web/20261204120000/${url}`,
		});
	});
});

/** A 1×1 PNG. */
const ONE_PIXEL_PNG = Uint8Array.from(
	atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
	(c) => c.charCodeAt(0),
);

/**
 * Each step: read every surface (so the edge keeps a copy of each), write, then compare
 * what the edge serves with the Worker's answer, on the surfaces before and after.
 */
async function runSteps(
	edge: EdgeDouble,
	steps: readonly Step[],
	current: () => Promise<string[]>,
): Promise<void> {
	for (const [name, write] of steps) {
		const before = await current();
		for (const path of before) await (await edge.fetch(path)).arrayBuffer();
		expect(
			before.filter((path) => !edge.keeps(path)),
			`kept before ${name}`,
		).toEqual([]);
		const answer = await write();
		// A desk form's success is a redirect back to the claim (a refusal re-renders the form).
		expect(answer.status, `${name}: ${await answer.clone().text()}`).toBeLessThan(400);
		expect(answer.headers.get("Location") ?? "", name).not.toContain("login");
		const after = await current();
		expect(await staleSurfaces(edge, [...new Set([...before, ...after])]), name).toEqual([]);
	}
}
