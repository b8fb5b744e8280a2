import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { publish } from "../factories";
import { call, json } from "../helpers";
import { account, claimForm, deskGet, deskPost } from "./helpers";

/*
 * A checker who finds the article gone already gives its copy elsewhere in the desk, as the
 * write API can: the public answers link it, and a source that has one keeps it.
 */

interface PublicClaim {
	appearances: { source: { url: string; archivedUrl: string | null } }[];
}

const claimIdOf = (response: Response) =>
	/\/desk\/claims\/([0-9a-z]{14})/.exec(response.headers.get("location") ?? "")?.[1] ?? "";

const archivedOf = async (url: string) =>
	(
		await env.DB.prepare("SELECT archived_url AS archived FROM sources WHERE url = ?")
			.bind(url)
			.first<{ archived: string | null }>()
	)?.archived;

describe("a source's copy elsewhere, entered in the desk", () => {
	it("is offered on the intake form, labelled, in English and German", async () => {
		const checker = await account("checker");
		const en = await (await deskGet(checker, "/desk/claims/new?lang=en")).text();
		expect(en).toContain('<label for="f-source-archivedUrl">Copy elsewhere (URL)</label>');
		expect(en).toContain('id="f-source-archivedUrl" name="source.archivedUrl"');
		const de = await (await deskGet(checker, "/desk/claims/new?lang=de")).text();
		expect(de).toContain("Kopie anderswo (URL)");
	});

	it("is kept with a new source and linked from the public claim", async () => {
		const checker = await account("checker");
		const url = `https://gone-paper.example/${newId()}`;
		const capture = `https://archive.ph/${newId()}`;
		const created = await deskPost(
			checker,
			"/desk/claims",
			claimForm({ "source.url": url, "source.archivedUrl": capture }),
		);
		expect(created.status, await created.clone().text()).toBe(303);
		const id = claimIdOf(created);
		await publish(id, "false");
		const claim = await json<PublicClaim>(await call(`/api/v1/claims/${id}`));
		expect(claim.appearances[0]?.source).toMatchObject({ url, archivedUrl: capture });
		const page = await (await call(`/claims/${id}?lang=en`)).text();
		expect(page).toContain(`<a href="${capture}" rel="noopener nofollow" class="archived">`);
	});

	it("is given to a source recorded already that has none, through the add-appearance form; one it has stays", async () => {
		const checker = await account("checker");
		const url = `https://gone-paper.example/${newId()}`;
		const first = claimIdOf(await deskPost(checker, "/desk/claims", claimForm({ "source.url": url })));
		expect(await archivedOf(url)).toBeNull();
		const second = claimIdOf(await deskPost(checker, "/desk/claims", claimForm()));
		const capture = `https://web.archive.org/web/2025/${url}`;
		const added = await deskPost(checker, `/desk/claims/${second}/appearances`, {
			...claimForm({ "source.url": url, "source.archivedUrl": capture }),
			quote: "",
		});
		expect(added.status, await added.clone().text()).toBe(303);
		expect(await archivedOf(url)).toBe(capture);
		const third = claimIdOf(await deskPost(checker, "/desk/claims", claimForm()));
		await deskPost(checker, `/desk/claims/${third}/appearances`, {
			...claimForm({ "source.url": url, "source.archivedUrl": `https://archive.ph/${newId()}` }),
			quote: "",
		});
		expect(await archivedOf(url)).toBe(capture);
		expect(first).not.toBe(second);
	});

	it("must be a web address: anything else is named beside the field and nothing is written", async () => {
		const checker = await account("checker");
		const url = `https://gone-paper.example/${newId()}`;
		for (const bad of ["javascript:alert(1)", "archive.ph/abc", "ftp://archive.example/x"]) {
			const response = await deskPost(
				checker,
				"/desk/claims",
				claimForm({ "source.url": url, "source.archivedUrl": bad }),
			);
			expect(response.status, bad).toBe(422);
			const html = await response.text();
			expect(html).toContain('href="#f-source-archivedUrl"');
			expect(html).toContain('aria-invalid="true"');
		}
		expect(await archivedOf(url)).toBeUndefined();
	});
});
