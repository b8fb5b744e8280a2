import * as z from "zod";
import { backfillEmbeddings } from "../../commands/semantic-matching";
import { factory } from "../../factory";
import { declareRoute } from "../../lib/route-declaration";
import { semanticIndexOf } from "../../lib/semantic-index";

/**
 * Semantic matching's backfill: a write (it fills Vectorize), so it lives with the write
 * API in the desk Worker, apart from the public matching route.
 */
const backfillBody = z.strictObject({
	after: z.number().int().min(0).default(0).describe("The `next` of the previous call; 0 to start."),
});

export const matchingBackfillApi = factory.createApp().post(
	"/matching/backfill",
	declareRoute({
		method: "POST",
		path: "/api/v1/matching/backfill",
		access: { token: "matching:backfill" },
		body: backfillBody,
		doc: {
			summary: "Embed claims recorded before semantic matching was configured, a page at a time (editors)",
			description:
				"Embeds the next 100 claims after `after` with Workers AI into Vectorize. Call again with `next` until it is null (`npm run backfill:embeddings` does). 409 where Workers AI and Vectorize are not bound.",
			tags: ["Write API"],
			responses: {
				200: {
					description: "How many were embedded, and where to continue",
					schema: z.object({ indexed: z.number().int(), next: z.number().int().nullable() }),
				},
			},
		},
	}),
	async (c) => c.json(await backfillEmbeddings(c.var.db, semanticIndexOf(c.env), c.req.valid("json").after)),
);
