import type { Context } from "hono";
import { claimTag } from "../domain/cache-tags";
import type { AppEnv } from "../factory";
import { AppError, notFound } from "../lib/errors";
import { publicCacheHeaders } from "../lib/http-cache";
import { hidesUnreviewed } from "../lib/public-visibility";
import { claimFate } from "../store/retired-claims";
import { formatDate, t } from "../views/i18n";

/**
 * The answer for a claim id that names no claim, read only once the claim is not found (a
 * live claim's answers never pay for it): 301 to the same surface of the claim it was merged
 * into, for good, with the query kept; 410 Gone for one removed as recorded by mistake,
 * saying when and nothing of what it said. With unreviewed claims hidden, a merged or removed
 * claim (only a claim without a verdict leaves) was never public, so its id stays a 404 like
 * any unknown one: a redirect would tell the world it existed.
 */
export async function retiredClaimAnswer(
	c: Context<AppEnv>,
	id: string,
	pathOf: (into: string) => string,
	options: {
		gone?: (error: AppError) => Response;
		/** The surface's own headers a cross-origin reader needs on the redirect too (CORS, CORP). */
		headers?: Record<string, string>;
	} = {},
): Promise<Response> {
	const fate = await claimFate(c.var.db, id);
	if (!fate || hidesUnreviewed(c.env)) throw notFound("claim");
	if ("mergedInto" in fate) {
		const query = new URL(c.req.url).search;
		const path = pathOf(fate.mergedInto);
		// Kept in front of the Worker like the answers it leads to (an old embedded badge is
		// read on every view of the page that embeds it), and purged with the kept claim:
		// merged on or removed later, that claim's purge names this redirect too.
		return c.body(null, 301, {
			Location: `${path}${query && !path.includes("?") ? query : ""}`,
			"Cache-Control": "public, max-age=300",
			...publicCacheHeaders([claimTag(id), claimTag(fate.mergedInto)]),
			...options.headers,
		});
	}
	const lang = c.var.lang;
	const error = new AppError(410, t(lang, "claimRemovedText", { date: formatDate(fate.removedAt, lang) }), {
		title: t(lang, "claimRemovedTitle"),
		code: "claim-removed",
		extra: { removedAt: fate.removedAt },
	});
	if (options.gone) return options.gone(error);
	throw error;
}
