import { describe, expect, it } from "vitest";
import { type CommandEvent, cacheTagsToPurge } from "../../src/commands/events";
import {
	cacheTagHeader,
	claimAnswerTags,
	claimTag,
	parseTags,
	speakerTag,
} from "../../src/domain/cache-tags";

describe("cache tags", () => {
	it("are printable ASCII without commas or spaces, deduplicated", () => {
		expect(cacheTagHeader([claimTag("abc"), "claims-list", claimTag("abc")])).toBe("claim-abc,claims-list");
		for (const bad of ["", "a b", "a,b", "ä", "x\n"]) expect(() => cacheTagHeader([bad])).toThrow();
		expect(() => cacheTagHeader(Array.from({ length: 1001 }, (_, i) => `t${i}`))).toThrow();
	});

	const table: [CommandEvent, string[]][] = [
		[{ type: "claim.created", claimId: "c", speakerIds: ["s"] }, ["claim-c", "speaker-s", "claims-list"]],
		[
			{ type: "appearance.added", claimId: "c", appearanceId: "a", isPublic: false },
			["claim-c", "claims-list"],
		],
		// A reviewed claim's feed entry is updated by it (domain/public-change).
		[
			{ type: "appearance.added", claimId: "c", appearanceId: "a", isPublic: true },
			["claim-c", "claims-list", "feed"],
		],
		[
			{ type: "claim.merged", claimId: "k", mergedFromId: "m", isPublic: false, speakerIds: ["s"] },
			["claim-k", "claim-m", "speaker-s", "claims-list"],
		],
		[
			{ type: "claim.merged", claimId: "k", mergedFromId: "m", isPublic: true, speakerIds: ["s"] },
			["claim-k", "claim-m", "speaker-s", "claims-list", "feed"],
		],
		[
			{ type: "verdict.drafted", claimId: "c", verdictId: "v", speakerIds: ["s"] },
			["claim-c", "speaker-s", "claims-list"],
		],
		[{ type: "verdict.saved", claimId: "c", verdictId: "v" }, []],
		[
			{ type: "verdict.published", claimId: "c", verdictId: "v", correction: true, speakerIds: ["s"] },
			["claim-c", "speaker-s", "claims-list", "feed"],
		],
		[
			{ type: "verdict.retracted", claimId: "c", verdictId: "v", speakerIds: ["s"] },
			["claim-c", "speaker-s", "claims-list", "feed"],
		],
		[{ type: "verdict.discarded", claimId: "c", verdictId: "v", statusReset: false, speakerIds: [] }, []],
		[
			{ type: "verdict.discarded", claimId: "c", verdictId: "v", statusReset: true, speakerIds: ["s"] },
			["claim-c", "speaker-s", "claims-list"],
		],
		[
			{ type: "claim.updated", claimId: "c", fields: ["text"], isPublic: false, speakerIds: ["s"] },
			["claim-c", "speaker-s", "claims-list"],
		],
		[
			{ type: "claim.updated", claimId: "c", fields: ["speaker"], isPublic: true, speakerIds: ["s", "t"] },
			["claim-c", "speaker-s", "speaker-t", "claims-list", "feed"],
		],
		// Its claims' answers by one tag, however many; by name too while they fit in a purge
		// (copies stored before the covering tag existed).
		[
			{ type: "speaker.updated", speakerId: "s", claimIds: ["a", "b"] },
			["speaker-claims-s", "claim-a", "claim-b", "speaker-s", "claims-list", "feed"],
		],
		[
			{ type: "speaker.updated", speakerId: "s", claimIds: Array.from({ length: 97 }, (_, i) => `c${i}`) },
			["speaker-claims-s", "speaker-s", "claims-list", "feed"],
		],
		[
			{ type: "speaker.updated", speakerId: "s", claimIds: [] },
			["speaker-claims-s", "speaker-s", "claims-list", "feed"],
		],
		[
			{
				type: "speaker.merged",
				speakerId: "s",
				intoId: "t",
				from: { slug: "s", name: "S" },
				claimIds: ["a", "b"],
			},
			[
				"speaker-claims-s",
				"speaker-claims-t",
				"claim-a",
				"claim-b",
				"speaker-s",
				"speaker-t",
				"claims-list",
				"feed",
			],
		],
		[
			{
				type: "claims.imported",
				claimIds: ["a", "b"],
				speakerIds: ["s"],
				createdIds: ["a"],
				urls: [],
				verdicts: [],
			},
			["claim-a", "claim-b", "speaker-s", "claims-list", "feed"],
		],
	];
	table.push(
		[
			{ type: "tag.renamed", slug: "hafen", claimIds: ["a"] },
			["topic-hafen", "claim-a", "claims-list", "feed"],
		],
		[{ type: "tag.renamed", slug: "hafen", claimIds: [] }, ["claims-list"]],
		// The NDJSON export (a list) carries a claim's public attachments.
		[
			{ type: "attachment.changed", claimId: "c", uploadId: "u", isPublic: false },
			["claim-c", "claims-list"],
		],
		// A reviewed claim's feed entry is dated by the change.
		[
			{ type: "attachment.changed", claimId: "c", uploadId: "u", isPublic: true },
			["claim-c", "claims-list", "feed"],
		],
		// A batch that only gave a known speaker a new alias: no claim, no feed entry.
		[
			{ type: "claims.imported", claimIds: [], speakerIds: ["s"], createdIds: [], urls: [], verdicts: [] },
			["speaker-s", "claims-list"],
		],
		[
			{ type: "evidence.archived", url: "https://a.example", claimIds: ["a"], dated: false },
			["claim-a", "claims-list"],
		],
		[{ type: "evidence.archived", url: "https://a.example", claimIds: [], dated: false }, []],
		// A write's copy elsewhere dates its claims' last public change, and a reviewed one's feed entry.
		[
			{ type: "evidence.archived", url: "https://a.example", claimIds: ["a"], dated: true },
			["claim-a", "claims-list", "feed"],
		],
	);
	it.each(table)("%o purges %o", (event, tags) => {
		expect(cacheTagsToPurge(event)).toEqual(tags);
	});

	it("names speakers by id, which a rename does not change", () => {
		expect(speakerTag("01abc")).toBe("speaker-01abc");
	});

	it("tag a claim's answers with the claim, its speaker's claims and its topics, and read back", () => {
		const tags = claimAnswerTags({
			id: "c",
			speakerId: "s",
			tags: [{ slug: "hafen" }, { slug: "nord-korea" }],
		});
		expect(tags).toEqual(["claim-c", "speaker-claims-s", "topic-hafen", "topic-nord-korea"]);
		expect(claimAnswerTags({ id: "c", speakerId: null, tags: [] })).toEqual(["claim-c"]);
		// The speaker's own page ("speaker-s") is not a claim answer.
		expect(parseTags([...tags, "speaker-s", "claims-list", "feed"])).toEqual({
			claimIds: ["c"],
			speakerIds: ["s"],
			topics: ["hafen", "nord-korea"],
		});
	});
});
