/** The publisher of every review, feed and embed, from the deployment's `[vars]`. */
export function org(env: Env) {
	return { name: env.ORG_NAME, url: env.ORG_URL, logo: env.ORG_LOGO };
}
