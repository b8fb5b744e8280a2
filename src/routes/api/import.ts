import * as z from "zod";
import { tokenActor } from "../../auth/api-tokens";
import { commandContext } from "../../commands/context";
import { importBatch } from "../../commands/import-batch";
import { factory } from "../../factory";
import { publicOrigin } from "../../lib/public-origin";
import { house } from "../../lib/publisher";
import { declareRoute } from "../../lib/route-declaration";
import { semanticIndexOf } from "../../lib/semantic-index";
import { validationProblems } from "../../lib/validate";
import { type ImportRecord, importBatchSchema, importRecordSchema } from "../../schemas/import-record";

/**
 * `POST /api/v1/import`: batches of normalised records (ClaimReview, CSV/TSV and LIAR
 * are mapped to them by the CLI's mapping, e.g. in `npm run import`). Sending a batch
 * twice changes nothing, so a client that lost an answer simply sends it again.
 */

/** A batch of 500 records with long texts is far above the 128 KB of the other writes. */
const MAX_IMPORT_BODY = 5 * 1024 * 1024;

/** Records are checked one by one, so one bad record is rejected alone instead of failing its batch. */
const importEnvelope = z.strictObject({
	records: z.array(z.unknown()).min(1, "Send at least one record.").max(500, "Send at most 500 records."),
});

const importResultJson = z.object({
	index: z.number().int().describe("Position of the record in the batch."),
	status: z
		.enum(["created", "updated", "unchanged", "linked", "rejected"])
		.describe(
			"linked: the same claim as a recorded one in other words (the claim matcher); the record's sources were added to it as appearances, its verdict not imported. Never to a claim whose verdict contradicts the record's (two or more steps apart on the scale): that record is `created`, with a warning naming the claim it resembles.",
		),
	claimId: z.string().optional(),
	claim: z.string().optional().describe("The claim in the public API."),
	reason: z.string().optional().describe("Why the record was rejected."),
	changes: z
		.array(z.string())
		.optional()
		.describe('What an update changed: "verdict", "appearance", "speaker-alias".'),
	warnings: z.array(z.string()).optional(),
});

const importResponseJson = z.object({
	summary: z.object({
		created: z.number().int(),
		updated: z.number().int(),
		unchanged: z.number().int(),
		linked: z.number().int(),
		rejected: z.number().int(),
	}),
	results: z.array(importResultJson),
});

type ImportResultJson = z.output<typeof importResultJson>;

export const importApi = factory.createApp().post(
	"/import",
	declareRoute({
		method: "POST",
		path: "/api/v1/import",
		access: { token: "claims:import" },
		body: importEnvelope,
		maxBody: MAX_IMPORT_BODY,
		doc: {
			// The envelope is checked first; each record then on its own (and rejected alone).
			body: importBatchSchema,
			summary: "Import fact-checks: a batch of normalised records (editors)",
			description:
				"Idempotent: a record is the same claim as a stored one by `externalId`, or else by quote and speaker (preferring the claim in the same first source). The batch is stored all-or-nothing; each record is answered `created`, `updated` (a changed verdict is published as a correction that supersedes the old one, new appearances are added, a new spelling of a speaker becomes an alias), `unchanged`, `linked` (the same claim as a recorded one in other words, by the claim matcher: its sources are added to that claim as appearances and its verdict is not imported; never when the two verdicts contradict each other, two or more steps apart on the scale), or `rejected` with the reason. Speakers are matched by name and alias, sources by canonical URL.",
			tags: ["Write API"],
			responses: {
				200: { description: "What happened to each record", schema: importResponseJson },
				503: {
					description:
						"The database is unavailable for a moment, or other writes kept changing the same claims while the batch was planned (`import-contention`, `Retry-After: 1`): nothing was stored; send the batch again after `Retry-After` seconds. A batch stored in parts (split by a record the database refused) answers 200 once a part is stored, a later part's records `rejected` for that reason (other writes, or the database unavailable) instead",
				},
			},
		},
	}),
	async (c) => {
		const { records } = c.req.valid("json");
		const origin = publicOrigin(c);
		const results: ImportResultJson[] = [];
		const valid: ImportRecord[] = [];
		const positions: number[] = [];
		records.forEach((raw, index) => {
			const parsed = importRecordSchema.safeParse(raw);
			if (parsed.success) {
				valid.push(parsed.data);
				positions.push(index);
				return;
			}
			const problem = validationProblems(parsed.error)[0];
			results[index] = {
				index,
				status: "rejected",
				reason: problem ? `${problem.path}: ${problem.message}` : "invalid record",
			};
		});
		const report = await importBatch(
			commandContext(c.var, tokenActor(c.var)),
			valid,
			semanticIndexOf(c.env),
			house(c.env, origin).sites,
			positions,
		);
		report.outcomes.forEach((outcome, k) => {
			const index = positions[k] ?? k;
			results[index] = {
				index,
				...outcome,
				...(outcome.claimId ? { claim: `${origin}/api/v1/claims/${outcome.claimId}` } : {}),
			};
		});
		const summary = { created: 0, updated: 0, unchanged: 0, linked: 0, rejected: 0 };
		for (const result of results) summary[result.status]++;
		return c.body(JSON.stringify({ summary, results }), 200, {
			"Content-Type": "application/json; charset=utf-8",
			"Cache-Control": "no-store",
		});
	},
);
