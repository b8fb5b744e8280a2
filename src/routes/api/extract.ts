import * as z from "zod";
import { newsroomTimeZone } from "../../domain/deployment-settings";
import { factory } from "../../factory";
import { declareRoute } from "../../lib/route-declaration";
import { intakeArticle, MAX_ARTICLE_CHARS } from "../../reader/intake";
import { actionBody } from "../../schemas/common";
import { extractInput } from "../../schemas/extract";

const candidateJson = z.object({
	text: z.string(),
	kind: z.enum(["direct-quote", "reported-speech", "statement"]),
	speaker: z.object({ name: z.string(), speakerId: z.string().nullable() }).nullable(),
	sentence: z.string(),
	start: z.number().int(),
	end: z.number().int(),
	score: z.number(),
	reasons: z.array(z.string()),
	fragment: z
		.string()
		.describe("Text fragment (#:~:text=) that lands on the sentence; store it as the appearance anchor."),
	link: z.string().nullable(),
});

const extractAnswer = z.object({
	article: z.object({
		url: z.string().nullable(),
		title: z.string().nullable(),
		publisher: z.string().nullable(),
		author: z.string().nullable(),
		publishedAt: z.string().nullable(),
		language: z.string().nullable(),
		text: z.string(),
		existingSourceId: z.string().nullable(),
	}),
	candidates: z.array(candidateJson),
	warnings: z.array(z.string()),
});

/** `POST /api/v1/extract`: article → metadata and ranked claim candidates. Stores nothing. */
export const extractApi = factory.createApp().post(
	"/extract",
	declareRoute({
		method: "POST",
		path: "/api/v1/extract",
		access: { token: "claim:create" },
		reason: "stores nothing, but fetches other sites on the caller's behalf",
		body: actionBody(extractInput),
		maxBody: MAX_ARTICLE_CHARS * 4 + 4096,
		doc: {
			summary: "Read an article (by URL or pasted text) and suggest check-worthy claims with their speakers",
			description:
				"Nothing is stored. Record a candidate with POST /api/v1/claims, passing its `fragment` as `anchor`. " +
				"Pages that cannot be read answer 502 (unreachable, an error status, too many redirects, over the size cap, or not HTML: a PDF, an image, binary data), slow ones 504, invalid or private addresses 422, " +
				`article text (pasted, or the main text of the page) over ${MAX_ARTICLE_CHARS.toLocaleString("en")} characters 413.`,
			tags: ["Write API"],
			responses: { 200: { description: "Metadata and ranked candidates", schema: extractAnswer } },
		},
	}),
	async (c) => {
		const input = c.req.valid("json");
		const result = await intakeArticle(c.var.db, input, {
			// wrangler dev can reach the developer's own network; production Workers cannot.
			allowLoopback: c.env.ALLOW_LOOPBACK_OUTBOUND === "true",
			timeZone: newsroomTimeZone(c.env),
		});
		// The codes the desk translates (`why`, `warningCodes`) are not part of the answer: it
		// says the reasons and warnings in English. Nor the desk's name for an existing source
		// (`article.existingSourceId` is its id, which a client looks up).
		const { warningCodes: _codes, existingSource: _source, ...answer } = result;
		const candidates = answer.candidates.map(({ why: _why, ...candidate }) => candidate);
		return c.json({ ...answer, candidates }, 200, { "Cache-Control": "no-store" });
	},
);
