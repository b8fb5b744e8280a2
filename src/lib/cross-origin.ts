/**
 * The headers that let other sites use the embeds, shared by their routes and by answers
 * made for their addresses elsewhere (the error handler's redirect of a slash too many).
 */

/**
 * What lets another site use a badge: an <img> under COEP `require-corp`, a script's
 * fetch() to inline the SVG. Every answer of the badge's address carries them, the merged
 * claim's redirect too (a redirect without them ends the fetch there).
 */
export const BADGE_CROSS_ORIGIN = {
	"Cross-Origin-Resource-Policy": "cross-origin",
	"Access-Control-Allow-Origin": "*",
} as const;

/** The card's: framed under COEP `require-corp`, its redirect too. */
export const CARD_CROSS_ORIGIN = { "Cross-Origin-Resource-Policy": "cross-origin" } as const;

/**
 * The cross-origin headers of the badge or card at `path`; none elsewhere. oEmbed needs no
 * entry: its route is declared `cors`, and lib/public-cors matches its address with a
 * slash too many as well.
 */
export function embedCrossOrigin(path: string): Readonly<Record<string, string>> {
	if (/^\/badges\/[^/]+\.svg$/.test(path)) return BADGE_CROSS_ORIGIN;
	if (/^\/embed\/[^/]+$/.test(path)) return CARD_CROSS_ORIGIN;
	return {};
}
