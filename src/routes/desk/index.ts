import { factory } from "../../factory";
import { deskAccountRoutes } from "./accounts";
import { deskArticleRoutes } from "./articles";
import { deskAttachmentRoutes } from "./attachments";
import { deskAuthRoutes } from "./auth";
import { deskClaimRetirementRoutes } from "./claim-retirement";
import { deskClaimRoutes } from "./claims";
import { deskCollaborationRoutes } from "./collaboration";
import { deskDashboardRoutes } from "./dashboard";
import { deskOnError } from "./errors";
import { deskHomeRoutes } from "./home";
import { deskBodyLimit, deskFormToken, deskHeaders, deskOriginCheck, deskSession } from "./middleware";
import { deskSnapshotRoutes } from "./snapshots";
import { deskSpeakerRoutes } from "./speakers";
import { deskTopicRoutes } from "./topics";
import { deskVerdictRoutes } from "./verdicts";
import { deskWebhookRoutes } from "./webhooks";

/**
 * The fact-checkers' desk, mounted at /desk. Every request passes, in order: page
 * headers (nonce CSP, no-store), a body limit, the cross-site check (Origin /
 * Sec-Fetch-Site), the session, and for posts the session's CSRF token. Role checks
 * are in the handlers (`allowed(c, action)`), next to what they protect.
 */
export const deskRoutes = factory
	.createApp()
	.use(deskHeaders)
	.use(deskBodyLimit)
	.use(deskOriginCheck)
	.use(deskSession)
	.use(deskFormToken)
	.route("/", deskAuthRoutes)
	.route("/", deskHomeRoutes)
	.route("/", deskDashboardRoutes)
	.route("/claims", deskClaimRoutes)
	.route("/claims", deskClaimRetirementRoutes)
	.route("/", deskVerdictRoutes)
	.route("/", deskCollaborationRoutes)
	.route("/", deskAttachmentRoutes)
	.route("/", deskSnapshotRoutes)
	.route("/", deskArticleRoutes)
	.route("/", deskAccountRoutes)
	.route("/", deskWebhookRoutes)
	.route("/", deskSpeakerRoutes)
	.route("/", deskTopicRoutes);

deskRoutes.onError(deskOnError);
