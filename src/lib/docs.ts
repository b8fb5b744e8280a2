/**
 * Whether this build leaves out the OpenAPI texts: the public Worker's `wrangler.toml` sets
 * `globalThis.CLAIMTRACK_NO_DOCS` to true by `[define]`, because only the desk Worker serves
 * /api/v1/openapi.json and the texts cost the public one about 4 KiB of its 150 KiB gzip
 * budget (#14). Written `NO_DOCS ? "" : "text"` where a route or schema is described, the
 * minifier folds each to "" there (esbuild inlines this constant across modules); the desk
 * Worker, the tests and Node scripts leave it undefined and keep every text.
 */
declare global {
	// A `var`: only a global declared so is a property of globalThis, which `[define]` replaces.
	var CLAIMTRACK_NO_DOCS: boolean | undefined;
}

export const NO_DOCS = globalThis.CLAIMTRACK_NO_DOCS === true;
