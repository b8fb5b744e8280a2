import * as z from "zod";
import { notFound } from "../../lib/errors";
import { declareRoute } from "../../lib/route-declaration";
import { id } from "../../schemas/common";
import { getClaim } from "../../store/claims";
import { getPublicSnapshot } from "../../store/snapshots";
import { DeskLayout } from "../../views/desk/desk-layout";
import { t } from "../../views/i18n";
import { SnapshotPage } from "../../views/pages/snapshot-page";
import {
	copyOfClaim,
	DESK_SNAPSHOT_CSP,
	rawCopyResponse,
	snapshotPageProps,
	snapshotQuery,
} from "../archive";
import { chrome, type DeskContext, deskFactory, page, signedIn } from "./context";

/**
 * Archived copies in the desk: the public `/snapshots/:id` answers 404 with
 * PUBLIC_UNREVIEWED = "hide" for the copy of a source only unreviewed claims cite, which is
 * the claim being checked. The desk opens any copy a claim or a published verdict still cites
 * (a removed claim's alone are not served, as in public), highlighted for any claim, under
 * the public page's CSP (no script; forms to this origin alone, for the desk header's log-out)
 * and sandboxed download, never cached (desk middleware).
 */
async function citedCopy(c: DeskContext) {
	signedIn(c);
	const snapshot = await getPublicSnapshot(c.var.db, c.req.param("id") ?? "", false);
	if (!snapshot) throw notFound("archived copy");
	return snapshot;
}

export const deskSnapshotRoutes = deskFactory
	.createApp()
	.get(
		"/snapshots/:id",
		declareRoute({
			method: "GET",
			path: "/desk/snapshots/:id",
			access: { session: "checker" },
			params: z.object({ id }),
			query: snapshotQuery,
		}),
		async (c) => {
			const snapshot = await citedCopy(c);
			const claimId = c.req.valid("query").claim;
			const claim = claimId ? copyOfClaim(await getClaim(c.var.db, claimId), snapshot.url) : null;
			const props = await snapshotPageProps(c, snapshot, claim, {
				raw: `/desk/snapshots/${snapshot.id}/raw`,
				claim: (claim) => `/desk/claims/${claim}`,
			});
			c.header("Content-Security-Policy", DESK_SNAPSHOT_CSP);
			return page(
				c,
				<DeskLayout chrome={chrome(c)} title={t(c.var.lang, "snapshotTitle")}>
					<SnapshotPage {...props} />
				</DeskLayout>,
			);
		},
	)
	.get(
		"/snapshots/:id/raw",
		declareRoute({
			method: "GET",
			path: "/desk/snapshots/:id/raw",
			access: { session: "checker" },
			params: z.object({ id }),
		}),
		async (c) => rawCopyResponse(c.env.ARCHIVE, await citedCopy(c), { "Cache-Control": "private, no-store" }),
	);
