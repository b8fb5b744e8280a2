/**
 * JSON for an inline `<script type="application/ld+json">` element. The HTML parser ends
 * a script at the first `</script` whatever the JSON means, and `<!--` switches it into
 * an escaped state where a later `<script` changes how `</script>` is seen; so no `<`
 * (nor `>` and `&`, for XHTML and old parsers) may appear raw. JSON's `\uXXXX` escapes
 * keep the value identical for every JSON-LD consumer.
 */

const UNSAFE = /[<>&\u2028\u2029]/g;

/* U+2028 and U+2029 are valid in JSON but end a line in pre-ES2019 JavaScript. */
const ESCAPES: Record<string, string> = {
	"<": "\\u003c",
	">": "\\u003e",
	"&": "\\u0026",
	"\u2028": "\\u2028",
	"\u2029": "\\u2029",
};

/**
 * The JSON text of `value`, safe to place between `<script type="application/ld+json">`
 * and `</script>` (the caller writes the element). Throws a TypeError for values JSON
 * cannot express (undefined, functions, symbols), which would otherwise vanish silently.
 */
export function jsonLdScript(value: unknown): string {
	const json: string | undefined = JSON.stringify(value);
	if (json === undefined) throw new TypeError("jsonLdScript: the value has no JSON representation");
	// Lone surrogates are already \u-escaped by JSON.stringify (ES2019 well-formed stringify).
	return json.replace(UNSAFE, (c) => ESCAPES[c] ?? c);
}
