// Secrets are not in wrangler.toml, so `wrangler types` cannot know them.
interface Env {
	/** Optional pepper mixed into every password hash (`wrangler secret put PASSWORD_PEPPER`). */
	PASSWORD_PEPPER?: string;
}
interface Env {
	/**
	 * "true" admits loopback addresses (127.0.0.0/8, ::1) — never other private ranges — as
	 * targets of webhooks and article fetching: local development only
	 * (`npm start -- --var ALLOW_LOOPBACK_OUTBOUND:true`).
	 */
	ALLOW_LOOPBACK_OUTBOUND?: string;
}
interface Env {
	/**
	 * Workers AI and a Vectorize index for semantic, cross-language claim matching. Optional and
	 * commented out in wrangler.toml (neither runs locally), so `wrangler types` cannot know them;
	 * lib/semantic-index feature-detects both.
	 */
	AI?: import("../lib/semantic-index").AiBinding;
	VECTORIZE?: import("../lib/semantic-index").VectorIndexBinding;
}
