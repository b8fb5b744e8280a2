import * as z from "zod";
import { tokenActor } from "../../auth/api-tokens";
import { editClaim } from "../../commands/claims";
import { commandContext } from "../../commands/context";
import { factory } from "../../factory";
import { notFound } from "../../lib/errors";
import { publicOrigin } from "../../lib/public-origin";
import { declareRoute } from "../../lib/route-declaration";
import { id } from "../../schemas/common";
import { claimDetailJson } from "../../schemas/public-api";
import { claimEditInput } from "../../schemas/records";
import { getClaim } from "../../store/claims";
import { claimDetailToJson } from "../../views/json";

/** Edits of recorded claims through the write API (the desk's edit form calls the same command). */
export const claimEditApi = factory.createApp().patch(
	"/claims/:id",
	declareRoute({
		method: "PATCH",
		path: "/api/v1/claims/:id",
		access: { token: "claim:edit" },
		params: z.object({ id }),
		body: claimEditInput,
		doc: {
			summary: "Edit a claim at the version you last read",
			description:
				"Only the fields sent change. An outdated `version` is a 409 `version-conflict` and nothing is saved. On a claim that has a published (or superseded, or retracted) verdict the change is public: `note` is required (422 without) and the claim's `changes[]` lists it.",
			tags: ["Write API"],
			responses: { 200: { description: "The claim as the public API shows it", schema: claimDetailJson } },
		},
	}),
	async (c) => {
		const claimId = c.req.valid("param").id;
		await editClaim(commandContext(c.var, tokenActor(c.var)), claimId, c.req.valid("json"));
		const detail = await getClaim(c.var.db, claimId);
		if (!detail) throw notFound("claim");
		return c.json(claimDetailToJson(publicOrigin(c), detail, c.var.lang), 200, {
			"Cache-Control": "no-store",
		});
	},
);
