import { describe, expect, it } from "vitest";
import { newToken } from "../../src/domain/ids";
import { testDb } from "../helpers";
import { account, deskGet, deskPost, hidden } from "./helpers";

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
		const candidates = [...html.matchAll(/<li><blockquote[^>]*>„([\s\S]*?)“<\/blockquote>/g)].map((m) =>
			decode(m[1]),
		);
		expect(candidates.length).toBeGreaterThan(2);
		expect(html).toContain('action="/desk/claims/new"');
		expect(html).toContain('name="anchor" value="#:~:text=');

		const skipped = await (
			await deskPost(checker, "/desk/articles", { url: PAGE, text: "", language: "", skip: "0" })
		).text();
		const after = [...skipped.matchAll(/<li><blockquote[^>]*>„([\s\S]*?)“<\/blockquote>/g)].map((m) =>
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

	it("needs a session", async () => {
		const response = await deskGet(null, "/desk/articles/new");
		expect([302, 303, 401]).toContain(response.status);
	});
});
