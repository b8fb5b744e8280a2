import { XMLParser } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { account, apiCall, apiToken } from "../desk/helpers";
import { draft, makeClaim, publish, reload } from "../factories";
import { BASE, call, json } from "../helpers";

/**
 * One truth on every surface: for each state a claim can be in, the page, the claim
 * JSON, the badge, the card, oEmbed, the Atom feed, the page's JSON-LD, the DataFeed,
 * the NDJSON export and the Google-compatible search say the same thing.
 */
type State = "unverified" | "in-review" | "published" | "corrected" | "retracted";

interface Expectation {
	status: string;
	label: string;
	/** Text the page must show, and text it must never show. */
	page: string;
	notOnPage: string[];
	/** Atom entry title prefix for the claim, or null when it has no entry. */
	atom: string | null;
	/** ClaimReview in the page's JSON-LD and the DataFeed. */
	claimReview: boolean;
	/** textualRating in the Google-compatible search, or null when the claim is not listed. */
	google: string | null;
	/** The claim is in the NDJSON export, with this state first in its history. */
	export: string | null;
}

const EXPECTED: Record<State, Expectation> = {
	unverified: {
		status: "unverified",
		label: "Unverified",
		page: "This claim has not been reviewed yet.",
		notOnPage: ["Verdict retracted"],
		atom: null,
		claimReview: false,
		google: null,
		export: null,
	},
	"in-review": {
		status: "in-review",
		label: "In review",
		page: "are reviewing this claim",
		notOnPage: ["not been reviewed", "secret draft summary"],
		atom: null,
		claimReview: false,
		google: null,
		export: null,
	},
	published: {
		status: "false",
		label: "False",
		page: "Truth headline",
		notOnPage: ["not been reviewed"],
		atom: "False: ",
		claimReview: true,
		google: "False",
		export: "published",
	},
	corrected: {
		status: "mostly-false",
		label: "Mostly false",
		page: "A figure was wrong.",
		notOnPage: ["not been reviewed"],
		atom: "Correction: Mostly false: ",
		claimReview: true,
		google: "Mostly false",
		export: "published",
	},
	retracted: {
		status: "retracted",
		label: "Retracted",
		page: "The source was forged.",
		notOnPage: ["not been reviewed", "reviewing this claim"],
		// No rating after "Retracted:": the feed does not broadcast the withdrawn finding again.
		atom: "Retracted: “Harbour ",
		claimReview: false,
		google: "Retracted",
		export: "retracted",
	},
};

const claims = new Map<State, string>();
const tag = newId();

beforeAll(async () => {
	const text = (state: string) => `Harbour ${tag} ${state} claim`;
	claims.set("unverified", (await makeClaim({ text: text("unverified"), language: "en" })).id);
	const inReview = await makeClaim({ text: text("inreview"), language: "en" });
	await draft(inReview.id);
	claims.set("in-review", inReview.id);
	const published = await makeClaim({ text: text("published"), language: "en" });
	await publish(published.id, "false", { headline: "Truth headline", language: "en" });
	claims.set("published", published.id);
	const corrected = await makeClaim({ text: text("corrected"), language: "en" });
	await publish(corrected.id, "false", { language: "en" });
	await publish(corrected.id, "mostly-false", { correctionNote: "A figure was wrong.", language: "en" });
	claims.set("corrected", corrected.id);
	const retracted = await makeClaim({ text: text("retracted"), language: "en" });
	const verdict = await publish(retracted.id, "false", { language: "en" });
	const editor = await account("editor");
	const { token } = await apiToken(editor.user, ["verdicts:publish"]);
	const response = await apiCall("POST", `/api/v1/verdicts/${verdict.id}/retract`, {
		token,
		body: { version: verdict.version, note: "The source was forged." },
	});
	expect(response.status).toBe(200);
	// A new draft after the retraction does not make the claim "in review" publicly.
	await draft(retracted.id);
	expect((await reload(retracted.id)).status).toBe("retracted");
	claims.set("retracted", retracted.id);
}, 60_000);

const jsonLdOf = (page: string) =>
	[...page.matchAll(/<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/g)].map(
		([, source]) => JSON.parse(source ?? "{}") as Record<string, unknown>,
	);

describe.each(Object.keys(EXPECTED) as State[])("a %s claim", (state) => {
	const expected = EXPECTED[state];
	const id = () => claims.get(state) ?? "";

	it("claim JSON", async () => {
		const body = await json<{ status: string; statusLabel: string }>(await call(`/api/v1/claims/${id()}`));
		expect(body.status).toBe(expected.status);
		expect(body.statusLabel).toBe(expected.label);
	});

	it("page and its JSON-LD", async () => {
		const page = await (await call(`/claims/${id()}?lang=en`)).text();
		expect(page).toContain(expected.page);
		for (const text of expected.notOnPage) expect(page).not.toContain(text);
		expect(page).toContain(`status-${expected.status}`);
		const reviews = jsonLdOf(page).filter((ld) => ld["@type"] === "ClaimReview");
		expect(reviews.length > 0).toBe(expected.claimReview);
	});

	it("badge and card", async () => {
		const badge = await (await call(`/badges/${id()}.svg?lang=en`)).text();
		expect(badge).toContain(expected.label);
		const card = await (await call(`/embed/${id()}?lang=en`)).text();
		expect(card).toContain(expected.label);
	});

	it("oEmbed frames the live card", async () => {
		const url = encodeURIComponent(`${BASE}/claims/${id()}`);
		const oembed = await json<{ html: string; title: string }>(await call(`/oembed?url=${url}`));
		expect(oembed.html).toContain(`${BASE}/embed/${id()}`);
		// The title is copied into other sites' pages: it must not freeze a status that changes.
		expect(oembed.title).not.toContain(expected.label);
	});

	it("Atom feed", async () => {
		const xml = await (await call("/feeds/verdicts.atom?lang=en")).text();
		const feed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(xml);
		const entries = [feed.feed.entry ?? []].flat() as {
			title: string | { "#text": string };
			link: unknown;
			category: unknown;
			content?: unknown;
		}[];
		const own = entries.filter((e) => JSON.stringify(e.link).includes(id()));
		const titles = own.map((e) => (typeof e.title === "string" ? e.title : e.title["#text"]));
		if (expected.atom === null) expect(titles).toEqual([]);
		else expect(titles.some((title) => title.startsWith(expected.atom ?? ""))).toBe(true);
		if (state === "retracted") {
			expect(JSON.stringify(own.map((e) => e.category))).toContain('"retracted"');
			expect(JSON.stringify(own.map((e) => e.category))).not.toContain('"false"');
			expect(own.every((e) => e.content === undefined)).toBe(true);
		}
		if (state === "corrected")
			expect(titles.some((title) => title.startsWith("Superseded: False: "))).toBe(true);
	});

	it("DataFeed and NDJSON export", async () => {
		const feed = await json<{ dataFeedElement: { item: { url: string }[] }[] }>(
			await call("/api/v1/export/claimreview.json"),
		);
		const inFeed = feed.dataFeedElement.some((element) => JSON.stringify(element).includes(id()));
		expect(inFeed).toBe(expected.claimReview);
		const lines = (await (await call("/api/v1/export.ndjson")).text()).trim().split("\n");
		const exported = lines
			.map((line) => JSON.parse(line) as { id: string; history: { state: string }[] })
			.find((claim) => claim.id === id());
		expect(exported?.history.at(-1)?.state ?? null).toBe(expected.export);
	});

	it("Google-compatible search", async () => {
		const answer = await json<{ claims?: { text: string; claimReview: { textualRating: string }[] }[] }>(
			await call(`/v1alpha1/claims:search?query=${tag}&pageSize=100`),
		);
		const found = answer.claims?.find((claim) => claim.text.includes(`${tag} ${state.replace("-", "")}`));
		expect(found?.claimReview[0]?.textualRating ?? null).toBe(expected.google);
	});
});
