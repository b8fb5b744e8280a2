import type { PublishingOrganization } from "../domain/claim-review";
import { httpUrl } from "../domain/deployment-settings";
import { type House, houseSites, siteOf } from "../domain/review-attribution";

/**
 * The publisher of every review, feed and embed, from the deployment's `[vars]`. A logo
 * that is not an http(s) address is left out (null) rather than published as one; the
 * desk shows it to its admins (domain/deployment-settings).
 */
export function org(env: Pick<Env, "ORG_NAME" | "ORG_URL" | "ORG_LOGO">): PublishingOrganization {
	const logo = env.ORG_LOGO?.trim() ?? "";
	return { name: env.ORG_NAME, url: env.ORG_URL, logo: httpUrl(logo) ? logo : null };
}

/**
 * This deployment as the publisher of its own checks, and the hosts that are its own
 * (domain/review-attribution): `origin` is the public origin links are built from
 * (lib/public-origin: PUBLIC_URL, else the request's).
 */
export function house(env: { ORG_NAME: string; ORG_URL: string }, origin: string): House {
	return {
		name: env.ORG_NAME,
		url: env.ORG_URL,
		site: siteOf(origin) ?? new URL(origin).hostname,
		sites: houseSites(env.ORG_URL, origin),
	};
}
