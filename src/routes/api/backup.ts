import * as z from "zod";
import { tokenActor } from "../../auth/api-tokens";
import {
	exportBackupPage,
	finishRestoreStep,
	linkRestore,
	listArchiveObjects,
	readArchiveObject,
	restoreArchiveObject,
	restoreBackupPage,
	restoreProgress,
	verifyArchiveObjects,
} from "../../commands/backup";
import { commandContext } from "../../commands/context";
import { factory } from "../../factory";
import { AppError } from "../../lib/errors";
import { publicOrigin } from "../../lib/public-origin";
import { declareRoute } from "../../lib/route-declaration";
import { noQuery, queryNumber } from "../../schemas/common";
import { type ArchiveCursor, MAX_RESTORE_OBJECT_BYTES } from "../../store/archive-backup";
import {
	type ExportCursor,
	MAX_RESTORE_LINE,
	parseExportCursor,
	parseRestoreState,
	RESTORE_PAGE_BYTES,
} from "../../store/backup";

/**
 * The whole database over HTTP, for a copy outside Cloudflare and for moving a
 * deployment (`npm run export -- --url`, `npm run import-backup -- --url`): admins only,
 * token scope `backup`. Every answer is `private, no-store` (lib/cache-policy, for any
 * request with a token), every read is audited (commands/backup). See README "Backups".
 */

const tags = ["Backup"];
const access = { token: "backup:export" } as const;
const restoreAccess = { token: "backup:restore" } as const;
const noStore = { "Cache-Control": "private, no-store" };

const EXPORT_LIMIT = 500;
const OBJECT_ROWS = 20;
/**
 * A restore page's body. Its lines (up to 2,000 of up to `MAX_RESTORE_LINE` characters each)
 * could add up to far more, and 500 lines of long verdicts and their audit rows (each draft
 * save holds the whole text) already pass 5 MB: the CLI cuts its pages at `RESTORE_PAGE_BYTES`
 * (4 MB) of lines as well as at 500 lines (scripts/lib/backup-client `restorePages`); the
 * longest line takes at most that as JSON, so it fits a page of its own.
 */
const MAX_RESTORE_BODY = RESTORE_PAGE_BYTES + 1024 * 1024;

function encode(value: unknown): string {
	const bytes = new TextEncoder().encode(JSON.stringify(value));
	return btoa(String.fromCharCode(...bytes))
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replace(/=+$/, "");
}

function decode<T>(text: string, parse: (value: unknown) => T | null): T {
	let value: unknown = null;
	try {
		const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
		value = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
	} catch {
		// not base64url JSON: refused below like any foreign cursor
	}
	const parsed = parse(value);
	if (parsed === null) {
		throw new AppError(400, "cursor: this cursor is not valid. Start again from the first page.", {
			errors: [{ path: "cursor", message: "Malformed or foreign cursor." }],
		});
	}
	return parsed;
}

const archiveCursorSchema = z.strictObject({
	kind: z.enum(["snapshots", "uploads"]),
	after: z.string().max(40),
});

// Strict, as every API read's query: an unknown parameter is a 422 naming it.
const exportQuery = z.strictObject({
	cursor: z.string().max(4000).optional().describe('From the previous page\'s `Link: <…>; rel="next"`.'),
	limit: queryNumber(z.number().int().min(1).max(1000).default(EXPORT_LIMIT)).describe(
		"Lines a page, at most.",
	),
	notes: z
		.enum(["true", "false"])
		.default("false")
		.describe("`true`: the desk's internal notes too (first page only; the cursor keeps it)."),
});

const objectsQuery = z.strictObject({
	cursor: z.string().max(400).optional().describe("The previous page's `next`."),
	// Digits only, as every other list's limit (schemas/common): z.coerce took 1e1, " 0x10", 2.0.
	limit: queryNumber(z.number().int().min(1).max(50).default(OBJECT_ROWS)).describe(
		"Snapshots or uploads a page (a snapshot has three objects).",
	),
});

const RESTORE_ID = /^[0-9a-z]{14}$/;

const keyParam = z.object({ key: z.string().min(1).max(200) });
const restoreParam = z.object({ restore: z.string().regex(RESTORE_ID) });

const manifestEntryJson = z.object({
	key: z.string(),
	sha256: z.string().regex(/^[0-9a-f]{64}$/),
	bytes: z.number().int().nonnegative(),
	contentType: z.string().nullable(),
});

const deferredLinkJson = z.strictObject({
	table: z.string().max(40),
	column: z.string().max(40),
	id: z.string().max(40),
	value: z.string().max(40),
});

const restoreBody = z.strictObject({
	restore: z
		.string()
		.regex(RESTORE_ID)
		.nullable()
		.default(null)
		.describe(
			"The restore's id: with the first page, one the client made (14 of 0-9 a-z; so that page too can be sent again) or null for the Worker to make one; after it, the first page's answer's `restore`.",
		),
	state: z.unknown().optional().describe("The previous page's answer's `state`; null (or absent) to begin."),
	lines: z
		.array(z.string().max(MAX_RESTORE_LINE))
		.max(2000)
		.describe("The next lines of the backup file, the header first."),
});

const linksBody = z.strictObject({
	restore: z.string().regex(RESTORE_ID),
	links: z.array(deferredLinkJson).max(1000),
});

const finishBody = z.strictObject({
	restore: z.string().regex(RESTORE_ID),
	state: z.unknown().describe("The last page's answer's `state`."),
	after: z
		.number()
		.int()
		.default(0)
		.describe("The previous answer's `next` (negative once the claims are done); 0 at first."),
});

function restoreState(value: unknown) {
	if (value === null || value === undefined) return null;
	const state = parseRestoreState(value);
	if (!state)
		throw new AppError(422, "state: send back the previous answer's state as it came.", {
			errors: [{ path: "state", message: "Not a restore state." }],
		});
	return state;
}

export const backupApi = factory
	.createApp()
	.get(
		"/backup",
		declareRoute({
			method: "GET",
			path: "/api/v1/backup",
			access,
			query: exportQuery,
			doc: {
				summary: "Export the database, a page at a time (admins)",
				description:
					'NDJSON, the format of `npm run export`: the first page starts with the header (row counts per table), then rows table by table. `Link: <…>; rel="next"` names the next page; the last has none. Counts and a high-water rowid per table are taken when the export starts: rows written later are left out of every page; a row deleted meanwhile, or any write meanwhile (an audited one, or a row added), fails the export with 409 `backup-changed` at its last page (start again). No secrets (password hashes, sessions, tokens, idempotency keys); internal notes only with `notes=true`. Each page is audited.',
				tags,
				responses: { 200: { description: "A page of the backup", contentType: "application/x-ndjson" } },
			},
		}),
		async (c) => {
			const query = c.req.valid("query");
			const cursor = query.cursor ? decode(query.cursor, parseExportCursor) : null;
			const ctx = commandContext(c.var, tokenActor(c.var));
			const page = await exportBackupPage(ctx, {
				cursor,
				withNotes: query.notes === "true",
				limit: query.limit,
			});
			const headers: Record<string, string> = {
				...noStore,
				"Content-Type": "application/x-ndjson; charset=utf-8",
			};
			if (page.next) headers.Link = `<${nextUrl(c, "/api/v1/backup", page.next, query.limit)}>; rel="next"`;
			return c.body(page.lines.map((line) => `${line}\n`).join(""), 200, headers);
		},
	)
	.get(
		"/backup/objects",
		declareRoute({
			method: "GET",
			path: "/api/v1/backup/objects",
			access,
			query: objectsQuery,
			doc: {
				summary: "List the evidence archive's objects with their SHA-256 (admins)",
				description:
					"The manifest of `npm run export`: one entry per object (snapshots' raw bytes, metadata and text; attachments), hashed as read. Page on with `next` until it is null.",
				tags,
				responses: {
					200: {
						description: "A page of the manifest",
						schema: z.object({ objects: z.array(manifestEntryJson), next: z.string().nullable() }),
					},
				},
			},
		}),
		async (c) => {
			const query = c.req.valid("query");
			const cursor = archiveCursorOf(query.cursor);
			const ctx = commandContext(c.var, tokenActor(c.var));
			const page = await listArchiveObjects(ctx, c.env.ARCHIVE, cursor, query.limit);
			return c.json({ objects: page.entries, next: page.next ? encode(page.next) : null }, 200, noStore);
		},
	)
	.get(
		"/backup/verify",
		declareRoute({
			method: "GET",
			path: "/api/v1/backup/verify",
			access,
			query: objectsQuery,
			doc: {
				summary: "Check the evidence archive against the database (admins)",
				description:
					"Every object the database's archived snapshots and uploads name must be in the bucket, and a snapshot's raw bytes and an upload must hash to the SHA-256 their row records. A page of rows a call: `mismatched` lists the keys missing or different; page on with `next` until it is null. The last step of `npm run import-backup -- --url`.",
				tags,
				responses: {
					200: {
						description: "A page of the check",
						schema: z.object({
							checked: z.number().int(),
							mismatched: z.array(z.string()),
							next: z.string().nullable(),
						}),
					},
				},
			},
		}),
		async (c) => {
			const query = c.req.valid("query");
			const cursor = archiveCursorOf(query.cursor);
			const ctx = commandContext(c.var, tokenActor(c.var));
			const page = await verifyArchiveObjects(ctx, c.env.ARCHIVE, cursor, query.limit);
			return c.json(
				{ checked: page.checked, mismatched: page.mismatched, next: page.next ? encode(page.next) : null },
				200,
				noStore,
			);
		},
	)
	.get(
		"/backup/objects/:key{.+}",
		declareRoute({
			method: "GET",
			path: "/api/v1/backup/objects/:key{.+}",
			access,
			params: keyParam,
			query: noQuery,
			doc: {
				path: "/api/v1/backup/objects/{key}",
				summary: "Download one archive object (admins)",
				tags,
				responses: { 200: { description: "The object's bytes", contentType: "application/octet-stream" } },
			},
		}),
		async (c) => {
			const ctx = commandContext(c.var, tokenActor(c.var));
			const object = await readArchiveObject(ctx, c.env.ARCHIVE, c.req.valid("param").key);
			// Bytes to save, never to render: whatever the archived page was.
			return new Response(object.body, {
				headers: {
					...noStore,
					"Content-Type": "application/octet-stream",
					"Content-Length": String(object.size),
					"Content-Disposition": "attachment",
					"X-Content-Type-Options": "nosniff",
				},
			});
		},
	)
	.put(
		"/backup/objects/:key{.+}",
		declareRoute({
			method: "PUT",
			path: "/api/v1/backup/objects/:key{.+}",
			access: restoreAccess,
			params: keyParam,
			rawBody: true,
			maxBody: MAX_RESTORE_OBJECT_BYTES,
			doc: {
				path: "/api/v1/backup/objects/{key}",
				summary: "Restore one archive object, checked against its SHA-256 (admins)",
				description:
					"Only during a restore, once its lines are sent and before it is finished: `X-Restore-Id` names it (409 `restore-not-in-progress` otherwise). The body is the object's bytes; `X-Content-SHA256` the SHA-256 (hex) of the body sent (the manifest's, but for a copy's text the CLI sends cut and its meta.json, which it rewrites to say so), `X-Object-Type` its content type. 422 when the bytes do not match that hash, or the hash the restored snapshot or upload row records. Only an object the archive does not hold is written: the same bytes again answer 204 and change nothing, other bytes 409 `object-exists`.",
				tags,
				responses: { 204: { description: "Stored" } },
			},
		}),
		async (c) => {
			const restoreId = c.req.header("X-Restore-Id") ?? "";
			if (!RESTORE_ID.test(restoreId)) {
				throw new AppError(422, "Send the restore's id (its first page's `restore`) in X-Restore-Id.", {
					errors: [{ path: "X-Restore-Id", message: "A restore id." }],
				});
			}
			const sha256 = c.req.header("X-Content-SHA256")?.toLowerCase() ?? "";
			if (!/^[0-9a-f]{64}$/.test(sha256)) {
				throw new AppError(422, "Send the object's SHA-256 (hex) in X-Content-SHA256.", {
					errors: [{ path: "X-Content-SHA256", message: "A SHA-256 in hex." }],
				});
			}
			const body = new Uint8Array(await c.req.arrayBuffer());
			const ctx = commandContext(c.var, tokenActor(c.var));
			const entry = {
				key: c.req.valid("param").key,
				sha256,
				bytes: body.length,
				contentType: c.req.header("X-Object-Type") ?? null,
			};
			await restoreArchiveObject(ctx, c.env.ARCHIVE, restoreId, entry, body);
			return c.body(null, 204, noStore);
		},
	)
	.post(
		"/backup/restore",
		declareRoute({
			method: "POST",
			path: "/api/v1/backup/restore",
			access: restoreAccess,
			body: restoreBody,
			maxBody: MAX_RESTORE_BODY,
			doc: {
				summary: "Restore a backup into a new deployment, a page of lines at a time (admins)",
				description:
					"Only into an empty database, whose one account is the admin restoring (409 `not-empty` otherwise, checked in SQL with the first page's writes). The backup's user of the admin's email is merged into the admin's account, which takes its name (its password, role and tokens stay). Send the lines of the file in order; send back each answer's `restore` and `state` with the next page. Collect every answer's `deferred` and send them to /api/v1/backup/restore/links, then call /api/v1/backup/restore/finish. Every call may be sent again: a page sent again with the same `state` (its answer lost, or the client stopped) leaves the rows already there as they are, and so does a first page with the same `restore`; audit rows are the exception when the header lacks `highWater.audit_log` (a backup made before headers carried it): put the file's highest audit id there, as the CLI does, or such a page fails when sent again. Finishing compares every table's rows with the header's counts.",
				tags,
				responses: {
					200: {
						description: "Rows restored, and where the restore stands",
						schema: z.object({
							restore: z.string(),
							state: z.unknown(),
							deferred: z.array(deferredLinkJson),
							rows: z.record(z.string(), z.number().int()),
						}),
					},
				},
			},
		}),
		async (c) => {
			const body = c.req.valid("json");
			const actor = tokenActor(c.var);
			const ctx = { ...commandContext(c.var, actor), actor: { ...actor, userId: c.var.caller.user.id } };
			const state = restoreState(body.state);
			if (state !== null && body.restore === null) {
				throw new AppError(422, "Send `restore` with `state` (both null, or `restore` alone, to begin).", {
					errors: [{ path: "restore", message: "A state without its restore." }],
				});
			}
			const page = await restoreBackupPage(ctx, {
				restoreId: body.restore,
				state,
				lines: body.lines,
				email: c.var.caller.user.email,
			});
			return c.json(
				{ restore: page.restoreId, state: page.state, deferred: page.deferred, rows: page.rows },
				200,
				noStore,
			);
		},
	)
	.post(
		"/backup/restore/links",
		declareRoute({
			method: "POST",
			path: "/api/v1/backup/restore/links",
			access: restoreAccess,
			body: linksBody,
			maxBody: MAX_RESTORE_BODY,
			doc: {
				summary: "Set a restore's deferred references (admins)",
				description: "The `deferred` of the restore's pages, up to 1,000 a call, once every line is sent.",
				tags,
				responses: { 200: { description: "Linked", schema: z.object({ linked: z.number().int() }) } },
			},
		}),
		async (c) => {
			const { restore, links } = c.req.valid("json");
			await linkRestore(commandContext(c.var, tokenActor(c.var)), restore, links);
			return c.json({ linked: links.length }, 200, noStore);
		},
	)
	.post(
		"/backup/restore/finish",
		declareRoute({
			method: "POST",
			path: "/api/v1/backup/restore/finish",
			access: restoreAccess,
			body: finishBody,
			doc: {
				summary: "End a restore: check the file was whole, compute search terms (admins)",
				description:
					"422 when a table has fewer or more rows than the header announced. Computes the search terms (the claims', then their merged claims' words') a bounded part per call: call again with `after: next` until `next` is null.",
				tags,
				responses: {
					200: { description: "Where to go on", schema: z.object({ next: z.number().int().nullable() }) },
				},
			},
		}),
		async (c) => {
			const body = c.req.valid("json");
			const state = restoreState(body.state);
			if (!state)
				throw new AppError(422, "state: send the last page's state.", {
					errors: [{ path: "state", message: "Required." }],
				});
			const ctx = commandContext(c.var, tokenActor(c.var));
			return c.json(
				await finishRestoreStep(ctx, { restoreId: body.restore, state, after: body.after }),
				200,
				noStore,
			);
		},
	)
	.get(
		"/backup/restore/:restore",
		declareRoute({
			method: "GET",
			path: "/api/v1/backup/restore/:restore",
			access: restoreAccess,
			params: restoreParam,
			query: noQuery,
			doc: {
				path: "/api/v1/backup/restore/{restore}",
				summary: "Where a restore stands (admins)",
				description:
					"For a client going on with a restore after it stopped: `open` (send its next page, or finish it), `ended` (finished: nothing left to do), `unknown` (never begun here: this database is not the one it was restoring into).",
				tags,
				responses: {
					200: {
						description: "The restore's status",
						schema: z.object({ status: z.enum(["open", "ended", "unknown"]) }),
					},
				},
			},
		}),
		async (c) => {
			const ctx = commandContext(c.var, tokenActor(c.var));
			return c.json({ status: await restoreProgress(ctx, c.req.valid("param").restore) }, 200, noStore);
		},
	);

/** A page of the archive's manifest or check starts after this cursor; none for the first (400 for a foreign one). */
function archiveCursorOf(token: string | undefined): ArchiveCursor | null {
	return token ? decode<ArchiveCursor>(token, (v) => archiveCursorSchema.safeParse(v).data ?? null) : null;
}

function nextUrl(
	c: Parameters<typeof publicOrigin>[0],
	path: string,
	next: ExportCursor,
	limit: number,
): string {
	return `${publicOrigin(c)}${path}?cursor=${encode(next)}&limit=${limit}`;
}
