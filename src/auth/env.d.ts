// Secrets are not in wrangler.toml, so `wrangler types` cannot know them.
interface Env {
	/** Optional pepper mixed into every password hash (`wrangler secret put PASSWORD_PEPPER`). */
	PASSWORD_PEPPER?: string;
}
interface Env {
	/** "true" lets the article reader fetch private and loopback addresses: local development only. */
	ALLOW_PRIVATE_FETCH?: string;
}
