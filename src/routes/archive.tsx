import type { Context } from "hono";
import * as z from "zod";
import type { Snapshot } from "../db/schema";
import { CLAIMS_LIST_TAG, claimTag } from "../domain/cache-tags";
import type { UiLanguage } from "../domain/ratings";
import {
	cutText,
	rawExtension,
	SNAPSHOT_TEXT_MAX_BYTES,
	type SnapshotMeta,
	snapshotKeys,
	uploadKey,
} from "../domain/snapshots";
import { contentDisposition, publicFilename } from "../domain/uploads";
import { type AppEnv, type Db, factory } from "../factory";
import { notFound } from "../lib/errors";
import { publicCacheHeaders, sendCached } from "../lib/http-cache";
import { pathWithoutLang } from "../lib/language";
import { hidesUnreviewed, publicClaim } from "../lib/public-visibility";
import { declareRoute } from "../lib/route-declaration";
import { id } from "../schemas/common";
import { type ClaimDetail, getClaim } from "../store/claims";
import { getPublicSnapshot, sourceLanguageAt } from "../store/snapshots";
import { getUpload } from "../store/uploads";
import { t } from "../views/i18n";
import { Layout } from "../views/layout";
import { SnapshotPage, type SnapshotPageProps } from "../views/pages/snapshot-page";

/**
 * The evidence archive's public side: archived copies (`/snapshots/:id`) and attachments
 * an editor made public (`/attachments/:id`). What was fetched from elsewhere is never
 * served as a document of our origin: the copy's page shows its text through our own
 * templates under a CSP that allows no script, and the raw bytes leave only as a
 * download in a sandbox.
 */

/** No script, no frames, no forms, no plugins: styles and images of this origin only. */
const SNAPSHOT_CSP =
	"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The desk's page of a copy (routes/desk/snapshots): the same, but forms may go to this
 * origin, as on every desk page. The copy sits inside the desk's header, whose log-out form
 * browsers refused to send under `form-action 'none'`; the copy's text is escaped by our
 * templates and still nothing runs (no script-src), so it can send no form of its own.
 */
export const DESK_SNAPSHOT_CSP =
	"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** For bytes from elsewhere or from an upload: even opened directly, nothing in them runs. */
const DOWNLOAD_CSP = "default-src 'none'; img-src 'self'; sandbox";

/**
 * An archived copy's bytes never change, but it stops being public when its claim is
 * removed (then it answers 404): browsers keep it as long as the copy's page (README,
 * "Caching"), not a year, and the edge's copy goes with the purge of the lists.
 */
const RAW_COPY_CACHE = "public, max-age=300";

export const snapshotQuery = z.object({ claim: id.optional().catch(undefined) });

/** The claim a copy was opened for, and what in the copy is its. */
export interface CopyOfClaim {
	id: string;
	/** The quote to highlight, when the address is one of the claim's appearances. */
	quote: string | null;
	/** The quote's language: the copy's too, as the quote was taken from it. */
	quoteLanguage: string | null;
}

/**
 * The claim a copy is opened for (`?claim=`), while it is public and cites the address.
 * In one of its appearances the quote recorded there (else the claim's text) is looked
 * for; an address it cites as a verdict's evidence holds no quote of it: nothing to
 * highlight or to miss, and the evidence's text is not in the claim's language for that.
 */
async function claimOfCopy(
	c: Context<AppEnv>,
	url: string,
	claimId: string | undefined,
): Promise<CopyOfClaim | null> {
	if (!claimId) return null;
	return copyOfClaim(publicClaim(c.env, await getClaim(c.var.db, claimId)), url);
}

/** What of a claim (one the caller may show) a copy of `url` holds: see `claimOfCopy`. */
export function copyOfClaim(detail: ClaimDetail | null | undefined, url: string): CopyOfClaim | null {
	if (!detail) return null;
	const appearance = detail.appearances.find((a) => a.source.url === url);
	if (appearance) {
		return { id: detail.id, quote: appearance.quote ?? detail.text, quoteLanguage: detail.language };
	}
	// Its evidence: the claim's copies are of its sources and its public verdicts' evidence.
	return detail.snapshots[url] ? { id: detail.id, quote: null, quoteLanguage: null } : null;
}

/**
 * A stored copy still cited by a claim or a verdict (a removed claim's sources' are not
 * served); where unreviewed claims are hidden, by a reviewed claim or a verdict.
 */
async function archivedSnapshot(c: Context<AppEnv>, snapshotId: string) {
	const snapshot = await getPublicSnapshot(c.var.db, snapshotId, hidesUnreviewed(c.env));
	if (!snapshot) throw notFound("archived copy");
	return snapshot;
}

export const archiveRoutes = factory
	.createApp()
	.get(
		"/snapshots/:id",
		declareRoute({
			method: "GET",
			path: "/snapshots/:id",
			access: "public",
			params: z.object({ id }),
			query: snapshotQuery,
		}),
		async (c) => {
			const snapshot = await archivedSnapshot(c, c.req.valid("param").id);
			const claimId = c.req.valid("query").claim;
			const claim = await claimOfCopy(c, snapshot.url, claimId);
			const lang = c.var.lang;
			const page = await snapshotPageProps(c, snapshot, claim);
			const html = `<!DOCTYPE html>${(
				(
					<Layout
						title={t(lang, "snapshotTitle")}
						lang={lang}
						path={pathWithoutLang(c.req.url)}
						orgName={c.env.ORG_NAME}
					>
						<SnapshotPage {...page} />
					</Layout>
				)
			).toString()}`;
			const headers = { "Content-Security-Policy": SNAPSHOT_CSP, "X-Robots-Tag": "noindex, nofollow" };
			// The highlight follows the claim's quote, which an edit can change, and shows only
			// while the claim is public (it may become so later): purged with the claim either way.
			// Every copy goes with the lists too: a removal may leave it cited by nothing.
			return c.var.langNegotiated
				? sendCached(c, html, "text/html; charset=utf-8", {
						cacheControl: "private, max-age=0, must-revalidate",
						headers: { ...headers, Vary: "Accept-Language, Cookie" },
					})
				: sendCached(c, html, "text/html; charset=utf-8", {
						cacheControl: "public, max-age=300",
						headers,
						tags: claimId ? [claimTag(claimId), CLAIMS_LIST_TAG] : [CLAIMS_LIST_TAG],
					});
		},
	)
	.get(
		"/snapshots/:id/raw",
		declareRoute({ method: "GET", path: "/snapshots/:id/raw", access: "public", params: z.object({ id }) }),
		async (c) => {
			const snapshot = await archivedSnapshot(c, c.req.valid("param").id);
			return rawCopyResponse(c.env.ARCHIVE, snapshot, {
				"Cache-Control": RAW_COPY_CACHE,
				// The edge's copy goes with the lists: a removal may leave it cited by nothing.
				...publicCacheHeaders([CLAIMS_LIST_TAG]),
			});
		},
	)
	.get(
		"/attachments/:id",
		declareRoute({ method: "GET", path: "/attachments/:id", access: "public", params: z.object({ id }) }),
		async (c) => {
			const upload = await getUpload(c.var.db, c.req.valid("param").id);
			// Internal until an editor makes it public, and only while its claim is public.
			if (!upload?.isPublic || !publicClaim(c.env, await getClaim(c.var.db, upload.claimId))) {
				throw notFound("attachment");
			}
			const object = await c.env.ARCHIVE.get(uploadKey(upload.id));
			if (!object) throw notFound("attachment");
			return attachmentResponse(upload, publicFilename(upload), object, {
				...publicCacheHeaders([claimTag(upload.claimId)]),
				"Cache-Control": "public, max-age=60",
			});
		},
	);

/**
 * What a copy's page shows: its text (cut at 2 MB), meta and the claim it was opened for.
 * `links`: where its download and the claim lead (the desk's own addresses on the desk's page).
 */
export async function snapshotPageProps(
	c: { env: { ARCHIVE: R2Bucket }; var: { db: Db; lang: UiLanguage } },
	snapshot: Snapshot,
	claim: CopyOfClaim | null,
	links?: SnapshotPageProps["links"],
): Promise<SnapshotPageProps> {
	const keys = snapshotKeys(snapshot.id);
	const [textObject, metaObject, sourceLanguage] = await Promise.all([
		c.env.ARCHIVE.get(keys.text),
		c.env.ARCHIVE.get(keys.meta),
		sourceLanguageAt(c.var.db, snapshot.url),
	]);
	const meta = metaObject ? ((await metaObject.json()) as SnapshotMeta) : null;
	// A copy made before the text was cut when stored is cut here (one was 32 MB).
	const text = cutText((await textObject?.text()) ?? "");
	// A text cut to the cap ends less than one character (4 bytes) short of it, and one a restore
	// over HTTP cut may sit beside the meta.json without textCut that a CLI before cef9f89 stored.
	// (A text of those few sizes stored whole reads as cut too: all of it is shown all the same.)
	const atCap = (textObject?.size ?? 0) > SNAPSHOT_TEXT_MAX_BYTES - 4;
	return {
		snapshot,
		meta,
		text: text.text,
		textCut: text.cut || meta?.textCut === true || atCap,
		claim: claim && { id: claim.id, quote: claim.quote },
		// A source's language is its copy's; else a quote found there tells it; else none is claimed.
		textLang: sourceLanguage ?? claim?.quoteLanguage ?? null,
		lang: c.var.lang,
		...(links ? { links } : {}),
	};
}

/** A copy's bytes as a download only: data, in a sandbox, whatever the original said it was. */
export async function rawCopyResponse(
	bucket: R2Bucket,
	snapshot: Snapshot,
	caching: Record<string, string>,
): Promise<Response> {
	const object = await bucket.get(snapshotKeys(snapshot.id).raw);
	if (!object) throw notFound("archived copy");
	const filename = `snapshot-${snapshot.id}.${rawExtension(snapshot.contentType ?? "")}`;
	return new Response(object.body, {
		headers: {
			...caching,
			// Data, whatever the original said it was: a browser saves it and renders nothing.
			"Content-Type": "application/octet-stream",
			"Content-Disposition": `attachment; filename="${filename}"`,
			"Content-Security-Policy": DOWNLOAD_CSP,
			"X-Content-Type-Options": "nosniff",
			"X-Robots-Tag": "noindex, nofollow",
			ETag: `"${snapshot.sha256}"`,
		},
	});
}

/**
 * An attachment with the type its content was checked to be, and nothing that could run.
 * `filename` is the public name on the public side, the uploader's own in the desk.
 */
export function attachmentResponse(
	upload: { contentType: string; sha256: string },
	filename: string,
	object: R2ObjectBody,
	caching: Record<string, string>,
): Response {
	const disposition = upload.contentType === "application/pdf" ? "attachment" : "inline";
	return new Response(object.body, {
		headers: {
			...caching,
			"Content-Type": upload.contentType,
			"Content-Disposition": contentDisposition(disposition, filename),
			"Content-Security-Policy": DOWNLOAD_CSP,
			"X-Content-Type-Options": "nosniff",
			ETag: `"${upload.sha256}"`,
		},
	});
}
