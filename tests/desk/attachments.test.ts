import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import deskWorker from "../../src/desk-worker";
import { newId } from "../../src/domain/ids";
import { uploadKey } from "../../src/domain/snapshots";
import { servePublic } from "../../src/public-worker";
import { SYSTEM } from "../../src/store/batch";
import { mergeClaims } from "../../src/store/claim-merges";
import { removeClaim } from "../../src/store/claim-removals";
import { makeClaim, publish, reload } from "../factories";
import { BASE, call, fetchWith, json, racingD1, testDb } from "../helpers";
import { type Account, account, apiCall, apiToken, deskGet, deskPost, ORIGIN } from "./helpers";

/** The keys of every attachment in the bucket. */
async function uploadObjects(): Promise<string[]> {
	const keys: string[] = [];
	let cursor: string | undefined;
	do {
		const page = await env.ARCHIVE.list({ prefix: "uploads/", ...(cursor ? { cursor } : {}) });
		keys.push(...page.objects.map((o) => o.key));
		cursor = page.truncated ? page.cursor : undefined;
	} while (cursor);
	return keys;
}

const idem = () => `${newId()}${newId()}`;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A PNG chunk (the CRC is not checked by the sniffer or the stripper, zeros will do). */
function chunk(type: string, data: number[]): number[] {
	const length = data.length;
	return [
		length >>> 24,
		(length >>> 16) & 255,
		(length >>> 8) & 255,
		length & 255,
		...[...type].map((c) => c.charCodeAt(0)),
		...data,
		0,
		0,
		0,
		0,
	];
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** A 1×1 PNG carrying a tEXt chunk with an author and a GPS comment. */
function pngWithText(): Uint8Array {
	return new Uint8Array([
		...PNG_SIGNATURE,
		...chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]),
		...chunk("tEXt", ascii("Author\0Secret Source GPS 47.99N")),
		...chunk("IDAT", [0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 2, 0, 1]),
		...chunk("IEND", []),
	]);
}

/** A JPEG with an EXIF APP1 segment (GPS position) and a comment, then a tiny scan. */
function jpegWithExif(): Uint8Array {
	const exif = [...ascii("Exif\0\0"), ...ascii("GPSLatitude 52.52 GPSLongitude 13.40")];
	const comment = ascii("shot by informant");
	const segment = (marker: number, data: number[]) => [
		0xff,
		marker,
		(data.length + 2) >> 8,
		(data.length + 2) & 255,
		...data,
	];
	return new Uint8Array([
		0xff,
		0xd8,
		...segment(0xe0, [...ascii("JFIF\0"), 1, 1, 0, 0, 1, 0, 1, 0, 0]),
		...segment(0xe1, exif),
		...segment(0xfe, comment),
		...segment(0xdb, new Array(65).fill(1)),
		...segment(0xda, [1, 1, 0, 0, 63, 0]),
		0x12,
		0x34,
		0xff,
		0xd9,
	]);
}

function upload(who: Account, claimId: string, file: Blob, name: string, caption = "") {
	return uploadThrough(call, who, claimId, file, name, caption);
}

function uploadThrough(
	fetcher: (path: string, init: RequestInit) => Promise<Response>,
	who: Account,
	claimId: string,
	file: Blob,
	name: string,
	caption = "",
) {
	const form = new FormData();
	form.set("_csrf", who.csrf);
	form.set("_idem", idem());
	form.set("caption", caption);
	form.set("file", file, name);
	return fetcher(`/desk/claims/${claimId}/attachments`, {
		method: "POST",
		headers: { Cookie: who.cookie, Origin: ORIGIN },
		body: form,
		redirect: "manual",
	});
}

/**
 * A request through both Workers with `db` as their database, as in production with Workers
 * Caching: the tags the public Worker purges after the desk's answer are recorded.
 */
async function purgingThrough(db: D1Database, path: string, init: RequestInit) {
	const tags: string[] = [];
	const ctx = createExecutionContext();
	Object.assign(ctx, {
		cache: {
			purge: async (options: { tags?: string[] }) => {
				tags.push(...(options.tags ?? []));
				return { success: true, errors: [] };
			},
		},
	});
	const bindings = { ...env, DB: db } as Env;
	const desk = { fetch: (request: Request) => deskWorker.fetch(request as never, bindings, ctx) };
	const response = await servePublic(
		new Request(`${BASE}${path}`, init),
		{ ...bindings, DESK: desk } as never,
		ctx,
	);
	await waitOnExecutionContext(ctx);
	return { response, tags: tags.sort() };
}

async function attachmentRows(claimId: string) {
	const { results } = await env.DB.prepare(
		"SELECT id, filename, content_type AS type, sha256, bytes, is_public AS public FROM uploads WHERE claim_id = ? ORDER BY created_at",
	)
		.bind(claimId)
		.all<{ id: string; filename: string; type: string; sha256: string; bytes: number; public: number }>();
	return results;
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
	return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const includes = (haystack: Uint8Array, needle: string) =>
	new TextDecoder("latin1").decode(haystack).includes(needle);

describe("attachments", () => {
	it("a checker attaches a screenshot; it stays internal until an editor makes it public", {
		timeout: 60_000,
	}, async () => {
		const claim = await makeClaim({ language: "en" });
		await publish(claim.id, "false");
		const checker = await account("checker");
		const response = await upload(
			checker,
			claim.id,
			new Blob([pngWithText()]),
			"../../etc/post.png",
			"Screenshot of the post",
		);
		expect(response.status, await response.clone().text()).toBe(303);
		expect(response.headers.get("location")).toBe(`/desk/claims/${claim.id}?done=attached#attachments`);
		const [row] = await attachmentRows(claim.id);
		expect(row).toMatchObject({ filename: "post.png", type: "image/png", public: 0 });
		const stored = new Uint8Array(
			(await (await env.ARCHIVE.get(uploadKey(row?.id ?? "")))?.arrayBuffer()) ?? new ArrayBuffer(0),
		);
		expect(includes(stored, "Secret Source")).toBe(false);
		expect(includes(stored, "IHDR")).toBe(true);
		expect(stored.length).toBe(row?.bytes);
		expect(await sha256Hex(stored.buffer as ArrayBuffer)).toBe(row?.sha256);

		// Internal: not public, not in the JSON; the desk sees it through its session.
		expect((await call(`/attachments/${row?.id}`)).status).toBe(404);
		expect(
			(await json<{ attachments: unknown[] }>(await call(`/api/v1/claims/${claim.id}`))).attachments,
		).toEqual([]);
		const deskCopy = await deskGet(checker, `/desk/attachments/${row?.id}`);
		expect(deskCopy.status).toBe(200);
		expect(deskCopy.headers.get("content-type")).toBe("image/png");
		expect(deskCopy.headers.get("cache-control")).toBe("no-store");
		expect(deskCopy.headers.get("content-security-policy")).toContain("sandbox");
		expect(deskCopy.headers.get("x-robots-tag")).toBe("noindex, nofollow");
		expect((await deskGet(null, `/desk/attachments/${row?.id}`)).status).not.toBe(200);
		const deskPage = await (await deskGet(checker, `/desk/claims/${claim.id}`)).text();
		expect(deskPage).toContain(`src="/desk/attachments/${row?.id}"`);
		expect(deskPage).not.toContain(`/desk/attachments/${row?.id}/visibility`);

		// A checker cannot publish it; an editor can.
		const refused = await deskPost(checker, `/desk/attachments/${row?.id}/visibility`, {
			_idem: idem(),
			public: "true",
		});
		expect(refused.status).toBe(403);
		const editor = await account("editor");
		const shown = await deskPost(editor, `/desk/attachments/${row?.id}/visibility`, {
			_idem: idem(),
			public: "true",
		});
		expect(shown.status).toBe(303);
		const detail = await json<{
			attachments: { url: string; sha256: string; contentType: string; caption: string }[];
		}>(await call(`/api/v1/claims/${claim.id}`));
		expect(detail.attachments).toEqual([
			{
				url: `http://claimtrack.test/attachments/${row?.id}`,
				filename: `attachment-${row?.id}.png`,
				contentType: "image/png",
				sha256: row?.sha256,
				bytes: row?.bytes,
				caption: "Screenshot of the post",
			},
		]);
		const served = await call(`/attachments/${row?.id}`);
		expect(served.status).toBe(200);
		expect(served.headers.get("content-type")).toBe("image/png");
		expect(served.headers.get("x-content-type-options")).toBe("nosniff");
		expect(served.headers.get("content-security-policy")).toContain("sandbox");
		expect(served.headers.get("cache-tag")).toContain(`claim-${claim.id}`);
		const page = await (await call(`/claims/${claim.id}`)).text();
		expect(page).toContain(`<img src="/attachments/${row?.id}" alt="Screenshot of the post"`);

		// Made internal again, it leaves the public answers.
		await deskPost(editor, `/desk/attachments/${row?.id}/visibility`, { _idem: idem(), public: "false" });
		expect((await call(`/attachments/${row?.id}`)).status).toBe(404);
	});

	it("the claim's timeline names an attachment's steps in the desk's language, not by their audit names", async () => {
		const claim = await makeClaim();
		const checker = await account("checker");
		expect((await upload(checker, claim.id, new Blob([pngWithText()]), "post.png")).status).toBe(303);
		const english = await (await deskGet(checker, `/desk/claims/${claim.id}?lang=en`)).text();
		expect(english).toContain("attached a file");
		expect(english).not.toContain("upload.added");
		const german = await (await deskGet(checker, `/desk/claims/${claim.id}?lang=de`)).text();
		expect(german).toContain("Datei angehängt");
	});

	it("removes EXIF and comments from JPEGs and keeps the picture data", async () => {
		const claim = await makeClaim();
		const checker = await account("checker");
		const original = jpegWithExif();
		expect((await upload(checker, claim.id, new Blob([original]), "photo.JPG")).status).toBe(303);
		const [row] = await attachmentRows(claim.id);
		expect(row?.type).toBe("image/jpeg");
		const stored = new Uint8Array(
			(await (await env.ARCHIVE.get(uploadKey(row?.id ?? "")))?.arrayBuffer()) ?? new ArrayBuffer(0),
		);
		expect(includes(stored, "GPSLatitude")).toBe(false);
		expect(includes(stored, "informant")).toBe(false);
		expect(includes(stored, "JFIF")).toBe(true);
		expect([...stored.slice(-4)]).toEqual([0x12, 0x34, 0xff, 0xd9]);
		expect(stored.length).toBeLessThan(original.length);
	});

	it("keeps nothing after a JPEG's end: a phone's further picture with its EXIF, a motion photo's video", async () => {
		const claim = await makeClaim();
		const checker = await account("checker");
		const primary = jpegWithExif();
		const trailer = [...jpegWithExif(), ...ascii("\0\0\0\u0018ftypmp42 moov +52.5200+013.4000/")];
		expect(
			(await upload(checker, claim.id, new Blob([primary, new Uint8Array(trailer)]), "a.jpg")).status,
		).toBe(303);
		const [row] = await attachmentRows(claim.id);
		const stored = new Uint8Array(
			(await (await env.ARCHIVE.get(uploadKey(row?.id ?? "")))?.arrayBuffer()) ?? new ArrayBuffer(0),
		);
		expect(includes(stored, "GPSLatitude")).toBe(false);
		expect(includes(stored, "ftyp")).toBe(false);
		expect([...stored.slice(0, 2)]).toEqual([0xff, 0xd8]);
		expect([...stored.slice(-4)]).toEqual([0x12, 0x34, 0xff, 0xd9]);
	});

	it("publishes an attachment under a generated name, never the one it was uploaded with", {
		timeout: 60_000,
	}, async () => {
		const claim = await makeClaim({ language: "en" });
		await publish(claim.id, "false");
		const checker = await account("checker");
		const uploaded = "IMG_20251201_Berlin.jpg";
		expect((await upload(checker, claim.id, new Blob([jpegWithExif()]), uploaded)).status).toBe(303);
		const [row] = await attachmentRows(claim.id);
		const generated = `attachment-${row?.id}.jpg`;
		const editor = await account("editor");
		await deskPost(editor, `/desk/attachments/${row?.id}/visibility`, { _idem: idem(), public: "true" });

		const detail = await json<{ attachments: { filename: string }[] }>(
			await call(`/api/v1/claims/${claim.id}`),
		);
		expect(detail.attachments.map((a) => a.filename)).toEqual([generated]);
		const served = await call(`/attachments/${row?.id}`);
		expect(served.status).toBe(200);
		expect(served.headers.get("content-disposition")).toBe(
			`inline; filename="${generated}"; filename*=UTF-8''${generated}`,
		);
		const page = await (await call(`/claims/${claim.id}`)).text();
		// Described by its place: a generated file name tells a reader nothing.
		expect(page).toContain('alt="Attachment 1 of the fact-check, without description"');
		// The export carries every published claim: this claim's line only.
		const exported =
			(await (await call("/api/v1/export.ndjson")).text())
				.split("\n")
				.find((line) => line.includes(`"id":"${claim.id}"`)) ?? "";
		expect(exported).toContain(generated);
		for (const [where, body] of [
			["JSON", JSON.stringify(detail)],
			["page", page],
			["export", exported],
		] as const) {
			expect(body, where).not.toContain("Berlin");
		}

		// The desk still shows and serves it under the name it was uploaded with.
		expect(await (await deskGet(checker, `/desk/claims/${claim.id}`)).text()).toContain(uploaded);
		const deskCopy = await deskGet(checker, `/desk/attachments/${row?.id}`);
		expect(deskCopy.headers.get("content-disposition")).toBe(
			`inline; filename="${uploaded}"; filename*=UTF-8''${uploaded}`,
		);
	});

	it("serves the uploader's name as RFC 8187 allows it, with an ASCII fallback, cut by code points", async () => {
		const claim = await makeClaim();
		const checker = await account("checker");
		const names = {
			"Minister's speech (1).jpg": `inline; filename="Minister's speech (1).jpg"; filename*=UTF-8''Minister%27s%20speech%20%281%29.jpg`,
			"Café *draft*.jpg": `inline; filename="Cafe *draft*.jpg"; filename*=UTF-8''Caf%C3%A9%20%2Adraft%2A.jpg`,
		};
		for (const [name, header] of Object.entries(names)) {
			expect((await upload(checker, claim.id, new Blob([jpegWithExif()]), name)).status).toBe(303);
			const row = (await attachmentRows(claim.id)).find((r) => r.filename === name);
			const served = await deskGet(checker, `/desk/attachments/${row?.id}`);
			expect(served.headers.get("content-disposition"), name).toBe(header);
		}
		// 119 letters and emoji: cut at 120 code points before the extension, no half emoji.
		const long = `${"a".repeat(100)}${"😀".repeat(19)}.jpg`;
		expect((await upload(checker, claim.id, new Blob([jpegWithExif()]), long)).status).toBe(303);
		const stored = (await attachmentRows(claim.id)).map((r) => r.filename).find((f) => f.startsWith("aaa"));
		expect(stored).toBe(`${"a".repeat(100)}${"😀".repeat(16)}.jpg`);
	});

	it("checks the type by content, not by name, and refuses what is too large", {
		timeout: 60_000,
	}, async () => {
		const claim = await makeClaim();
		const checker = await account("checker");
		const disguised = [
			["shot.png", "<html><script>alert(1)</script></html>"],
			["chart.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'],
			["report.pdf", "not really a pdf"],
			["empty.png", ""],
		] as const;
		for (const [name, content] of disguised) {
			const response = await upload(checker, claim.id, new Blob([content], { type: "image/png" }), name);
			expect(response.status, name).toBe(422);
			const html = await response.text();
			expect(html).toMatch(/Only PNG, JPEG or WebP images and PDF documents|Choose a file/);
			expect(html).toContain('aria-invalid="true"');
		}
		const justOver = new Uint8Array(10 * 1024 * 1024 + 1);
		justOver.set(PNG_SIGNATURE);
		const over = await upload(checker, claim.id, new Blob([justOver]), "huge.png");
		expect(over.status).toBe(422);
		expect(await over.text()).toContain("larger than 10 MB");
		// Past the body's limit too, the claim page with the form, saying the caption was lost with it.
		const far = await upload(
			checker,
			claim.id,
			new Blob([new Uint8Array(11 * 1024 * 1024)]),
			"far.png",
			"Lost",
		);
		expect(far.status).toBe(413);
		const farPage = await far.text();
		expect(farPage).toContain(
			"The file is larger than 10 MB. The caption could not be kept with it: type it again.",
		);
		expect(farPage).toContain(`action="/desk/claims/${claim.id}/attachments"`);
		expect(farPage).toContain('aria-invalid="true"');
		const german = { ...checker, cookie: `${checker.cookie}; lang=de` };
		const farDe = await upload(german, claim.id, new Blob([new Uint8Array(11 * 1024 * 1024)]), "far.png");
		expect(farDe.status).toBe(413);
		expect(await farDe.text()).toContain("Die Datei ist größer als 10 MB. Die Bildunterschrift ließ sich");
		// Only for a session, from this origin: the body limit comes before those checks.
		const stranger = await upload(
			{ ...checker, cookie: "" },
			claim.id,
			new Blob([new Uint8Array(11 * 1024 * 1024)]),
			"far.png",
		);
		expect(stranger.status).toBe(401);
		const crossSite = await uploadThrough(
			(path, init) =>
				call(path, {
					...init,
					headers: { ...(init.headers as Record<string, string>), Origin: "https://evil.example" },
				}),
			checker,
			claim.id,
			new Blob([new Uint8Array(11 * 1024 * 1024)]),
			"far.png",
		);
		expect(crossSite.status).toBe(403);
		expect(await stranger.text()).not.toContain(`action="/desk/claims/${claim.id}/attachments"`);
		expect(await attachmentRows(claim.id)).toEqual([]);
		// A PDF passes, and is served as a download.
		const pdf = new TextEncoder().encode("%PDF-1.7\n%%EOF\n");
		expect((await upload(checker, claim.id, new Blob([pdf]), "report.pdf", "Ministry report")).status).toBe(
			303,
		);
		const [row] = await attachmentRows(claim.id);
		expect(row?.type).toBe("application/pdf");
		// The caption is public text like any other: a bidi override is refused beside the field, and
		// text is stored composed (NFC) and trimmed.
		const spoofed = await upload(checker, claim.id, new Blob([pdf]), "b.pdf", "Bericht \u202Efdp.exe");
		expect(spoofed.status).toBe(422);
		expect(await spoofed.text()).toMatch(/id="[^"]*caption[^"]*-error"/);
		expect((await upload(checker, claim.id, new Blob([pdf]), "c.pdf", "  Cafe\u0301 report ")).status).toBe(
			303,
		);
		const captions = await env.DB.prepare("SELECT caption FROM uploads WHERE claim_id = ? ORDER BY rowid")
			.bind(claim.id)
			.all<{ caption: string }>();
		expect(captions.results.map((r) => r.caption)).toEqual(["Ministry report", "Caf\u00e9 report"]);
		const editor = await account("editor");
		// Its document properties stay: the editor is told so beside "Make public".
		const deskPage = await (await deskGet(editor, `/desk/claims/${claim.id}`)).text();
		expect(deskPage).toContain("A PDF is published as it is, with its document properties");
		await deskPost(editor, `/desk/attachments/${row?.id}/visibility`, { _idem: idem(), public: "true" });
		await publish(claim.id, "true");
		const served = await call(`/attachments/${row?.id}`);
		expect(served.headers.get("content-type")).toBe("application/pdf");
		expect(served.headers.get("content-disposition")).toBe(
			`attachment; filename="attachment-${row?.id}.pdf"; filename*=UTF-8''attachment-${row?.id}.pdf`,
		);
	});

	it("the desk downloads a file under an extension of its checked type and without a path", async () => {
		const claim = await makeClaim();
		const checker = await account("checker");
		// A PDF by its first bytes, HTML after them: saved as tip.html it opened as a page and ran its script.
		const polyglot = new TextEncoder().encode(
			"%PDF-1.7\n<html><script>alert(document.cookie)</script></html>",
		);
		expect((await upload(checker, claim.id, new Blob([polyglot]), "tip.html")).status).toBe(303);
		const [row] = await attachmentRows(claim.id);
		expect(row).toMatchObject({ type: "application/pdf", filename: "tip.html.pdf" });
		const download = await deskGet(checker, `/desk/attachments/${row?.id}`);
		expect(download.headers.get("content-disposition")).toBe(
			`attachment; filename="tip.html.pdf"; filename*=UTF-8''tip.html.pdf`,
		);
		await download.body?.cancel();
		// Fullwidth solidi are no way into a path either, folded or not.
		const pdf = new TextEncoder().encode("%PDF-1.7\n%%EOF\n");
		const sent = await upload(checker, claim.id, new Blob([pdf]), "..\uFF0F..\uFF0Fetc\uFF0Fpasswd.pdf");
		expect(sent.status).toBe(303);
		const passwd = (await attachmentRows(claim.id)).find((r) => r.id !== row?.id);
		expect(passwd?.filename).toBe("passwd.pdf");
		const saved = await deskGet(checker, `/desk/attachments/${passwd?.id}`);
		expect(saved.headers.get("content-disposition")).toBe(
			`attachment; filename="passwd.pdf"; filename*=UTF-8''passwd.pdf`,
		);
		await saved.body?.cancel();
	});

	it("a file name loses its bidi controls: it shows in the desk as it is stored, not reordered", async () => {
		const claim = await makeClaim();
		const checker = await account("checker");
		const pdf = new TextEncoder().encode("%PDF-1.7\n%%EOF\n");
		// With U+202E kept, the desk showed "rechnungfdp.png" for a PDF.
		const sent = await upload(checker, claim.id, new Blob([pdf]), "rechnung\u202Egnp.pdf");
		expect(sent.status).toBe(303);
		const [row] = await attachmentRows(claim.id);
		expect(row?.filename).toBe("rechnunggnp.pdf");
		const page = await (await deskGet(checker, `/desk/claims/${claim.id}`)).text();
		expect(page).toContain("rechnunggnp.pdf");
		expect(page).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/u);
	});

	it("a name stored before names were cleaned is cleaned where it is served and shown", async () => {
		const claim = await makeClaim();
		const checker = await account("checker");
		const pdf = new TextEncoder().encode("%PDF-1.7\n<html><script>alert(1)</script></html>");
		expect((await upload(checker, claim.id, new Blob([pdf]), "tip.pdf")).status).toBe(303);
		const [row] = await attachmentRows(claim.id);
		// What the old code stored (and a backup made then restores): the sender's name as it came.
		for (const [stored, served] of [
			["tip.html", "tip.html.pdf"],
			["rechnung\u202Egnp.pdf", "rechnunggnp.pdf"],
		] as const) {
			await env.DB.prepare("UPDATE uploads SET filename = ? WHERE id = ?").bind(stored, row?.id).run();
			const download = await deskGet(checker, `/desk/attachments/${row?.id}`);
			expect(download.headers.get("content-disposition")).toBe(
				`attachment; filename="${served}"; filename*=UTF-8''${served}`,
			);
			await download.body?.cancel();
			const page = await (await deskGet(checker, `/desk/claims/${claim.id}`)).text();
			expect(page).toContain(`<bdi>${served}</bdi>`);
			expect(page).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/u);
		}
	});

	it("file storage down during an upload: 503 beside the file field, the caption kept, nothing stored", {
		timeout: 30_000,
	}, async () => {
		const claim = await makeClaim();
		const checker = await account("checker");
		const before = await uploadObjects();
		const r2Down = {
			...env.ARCHIVE,
			put: () => Promise.reject(new Error("R2: We encountered an internal error. Please try again.")),
		} as unknown as R2Bucket;
		for (const [who, text] of [
			[checker, "The file storage is unavailable: nothing was saved. Try again in a moment."],
			[
				{ ...checker, cookie: `${checker.cookie}; lang=de` },
				"Der Dateispeicher ist nicht erreichbar: Nichts wurde gespeichert.",
			],
		] as const) {
			const response = await uploadThrough(
				async (path, init) => (await fetchWith(env.DB, path, init, false, { ARCHIVE: r2Down })).response,
				who,
				claim.id,
				new Blob([pngWithText()]),
				"post.png",
				"The post",
			);
			expect(response.status).toBe(503);
			const page = await response.text();
			expect(page).toContain(text);
			expect(page).toContain(`action="/desk/claims/${claim.id}/attachments"`);
			expect(page).toContain('aria-invalid="true"');
			expect(page).toContain('value="The post"');
		}
		expect(await attachmentRows(claim.id)).toEqual([]);
		expect((await uploadObjects()).filter((key) => !before.includes(key))).toEqual([]);
	});

	it("an upload racing its claim's removal leaves no file in R2 and says the claim was removed (410)", {
		timeout: 30_000,
	}, async () => {
		const claim = await makeClaim();
		const checker = await account("checker");
		const editor = await account("editor");
		const { token } = await apiToken(editor.user, ["claims:write"]);
		const before = await uploadObjects();
		const racing = racingD1(/^insert into "uploads"/i, async () => {
			const removed = await apiCall("DELETE", `/api/v1/claims/${claim.id}`, {
				token,
				body: { version: (await reload(claim.id)).version, reason: "Recorded by mistake." },
			});
			expect(removed.status).toBe(200);
		});
		const response = await uploadThrough(
			async (path, init) => (await fetchWith(racing, path, init)).response,
			checker,
			claim.id,
			new Blob([pngWithText()]),
			"post.png",
		);
		expect(response.status).toBe(410);
		const page = await response.text();
		expect(page).toContain("This claim was removed from the tracker meanwhile: nothing was saved.");
		expect(page).not.toMatch(/breaks a rule of the database/);
		expect(await attachmentRows(claim.id)).toEqual([]);
		// Removal deletes a claim's files with it: nor does an upload it overtook leave one.
		expect((await uploadObjects()).filter((key) => !before.includes(key))).toEqual([]);
	});

	it("an attachment sent to a claim merged meanwhile comes back on the kept claim's page (409), not as a bare 404", {
		timeout: 30_000,
	}, async () => {
		const kept = await makeClaim();
		const duplicate = await makeClaim();
		await mergeClaims(testDb(), SYSTEM("test"), duplicate.id, {
			into: kept.id,
			version: (await reload(duplicate.id)).version,
			note: "Same claim.",
		});
		const checker = await account("checker");
		const response = await upload(checker, duplicate.id, new Blob([pngWithText()]), "post.png", "The post");
		expect(response.status).toBe(409);
		const page = await response.text();
		expect(page).toContain(`Claim ${duplicate.id} was merged into this claim meanwhile: nothing was saved.`);
		expect(page).toContain(`action="/desk/claims/${kept.id}/attachments"`);
		// What was typed is in the form again; the file is to be chosen again.
		expect(page).toContain('value="The post"');
		expect(await attachmentRows(kept.id)).toEqual([]);
		expect(await attachmentRows(duplicate.id)).toEqual([]);
		// A removed claim's answer is 410, saying nothing was saved.
		const removed = await makeClaim();
		await removeClaim(testDb(), SYSTEM("test"), removed.id, {
			version: (await reload(removed.id)).version,
			reason: "Recorded by mistake.",
		});
		const gone = await upload(checker, removed.id, new Blob([pngWithText()]), "post.png");
		expect(gone.status).toBe(410);
		expect(await gone.text()).toContain(
			"This claim was removed from the tracker meanwhile: nothing was saved.",
		);
	});

	it("making a public attachment public again writes nothing: no audit entry, no purge, no event", async () => {
		const claim = await makeClaim();
		const checker = await account("checker");
		const editor = await account("editor");
		expect((await upload(checker, claim.id, new Blob([pngWithText()]), "post.png")).status).toBe(303);
		const [row] = await attachmentRows(claim.id);
		const audited = async () =>
			(
				await env.DB.prepare(
					"SELECT count(*) AS n FROM audit_log WHERE action IN ('upload.published', 'upload.hidden') AND entity_id = ?",
				)
					.bind(claim.id)
					.first<{ n: number }>()
			)?.n;
		for (let i = 0; i < 2; i++) {
			const sent = await deskPost(editor, `/desk/attachments/${row?.id}/visibility`, {
				_idem: idem(),
				public: "true",
			});
			expect(sent.status).toBe(303);
		}
		expect(await audited()).toBe(1);
		await deskPost(editor, `/desk/attachments/${row?.id}/visibility`, { _idem: idem(), public: "false" });
		expect(await audited()).toBe(2);
		expect((await attachmentRows(claim.id))[0]?.public).toBe(0);
	});

	it("an attachment made internal while its claim is merged purges and audits the kept claim it now belongs to", {
		timeout: 60_000,
	}, async () => {
		const kept = await makeClaim();
		const duplicate = await makeClaim();
		const checker = await account("checker");
		const editor = await account("editor");
		expect((await upload(checker, duplicate.id, new Blob([pngWithText()]), "post.png")).status).toBe(303);
		const [row] = await attachmentRows(duplicate.id);
		await deskPost(editor, `/desk/attachments/${row?.id}/visibility`, { _idem: idem(), public: "true" });
		// The merge commits between the editor's read of the attachment and the write.
		const racing = racingD1(/^update "uploads"/i, async () =>
			mergeClaims(testDb(), SYSTEM("test"), duplicate.id, {
				into: kept.id,
				version: (await reload(duplicate.id)).version,
				note: "Same claim.",
			}),
		);
		const { response, tags } = await purgingThrough(racing, `/desk/attachments/${row?.id}/visibility`, {
			method: "POST",
			headers: { Cookie: editor.cookie, Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
			body: new URLSearchParams({ _csrf: editor.csrf, _idem: idem(), public: "false" }).toString(),
			redirect: "manual",
		});
		expect(response.status, await response.clone().text()).toBe(303);
		expect(response.headers.get("location")).toBe(
			`/desk/claims/${kept.id}?done=attachment-changed#attachment-${row?.id}`,
		);
		expect((await attachmentRows(kept.id))[0]).toMatchObject({ id: row?.id, public: 0 });
		// The kept claim's answers, which listed the attachment, are purged; the duplicate's are not.
		expect(tags).toContain(`claim-${kept.id}`);
		expect(tags).not.toContain(`claim-${duplicate.id}`);
		const hidden = await env.DB.prepare(
			"SELECT entity_id AS claim FROM audit_log WHERE action = 'upload.hidden' AND changes LIKE ?",
		)
			.bind(`%${row?.id}%`)
			.all<{ claim: string }>();
		expect(hidden.results).toEqual([{ claim: kept.id }]);
	});
});
