import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { cursorToken } from "../../src/lib/list-query";
import { makeClaim } from "../factories";
import { call } from "../helpers";

const html = { headers: { Accept: "text/html" } };

describe("a right-to-left speaker on the public pages", () => {
	it("isolates the name and description in the speakers list and sets their direction on the speaker page", async () => {
		const name = `ماريا زاخاروفا ${newId()}`;
		const description = "المتحدثة باسم وزارة الخارجية 2025";
		const claim = await makeClaim({
			language: "ar",
			speaker: { name, description, aliases: ["زاخاروفا", "Maria Zakharova"] },
		});
		const slug = claim.speaker?.slug;

		// In an English list an unisolated Arabic name and description run together and read backwards.
		// The list's page that holds it: the slug is the name's random part (the Arabic letters
		// fold to nothing), and the first page holds the 500 lowest slugs of the runtime's
		// public speakers; after other files' 1,000 "speaker-…" ones, 4 of 12 runs missed it.
		const from = cursorToken({ kind: "keyset", value: slug?.slice(0, -1) ?? "", seq: 1 }, "speakers");
		const list = await (await call(`/speakers?lang=en&cursor=${from}`, html)).text();
		expect(list).toContain(
			`<a href="/speakers/${slug}"><bdi>${name}</bdi></a><span class="meta"> · <bdi>${description}</bdi></span>`,
		);

		const page = await (await call(`/speakers/${slug}?lang=en`, html)).text();
		expect(page).toContain(`<p dir="auto">${description}</p>`);
		// Each alias isolated; the line takes the first one's direction.
		expect(page).toContain('<p class="meta" dir="ltr"><bdi>Maria Zakharova</bdi> · <bdi>زاخاروفا</bdi></p>');
		const other = await makeClaim({ speaker: { name: `Ali ${newId()}`, aliases: ["علي"] } });
		expect(await (await call(`/speakers/${other.speaker?.slug}?lang=en`, html)).text()).toContain(
			'<p class="meta" dir="rtl"><bdi>علي</bdi></p>',
		);
	});
});
