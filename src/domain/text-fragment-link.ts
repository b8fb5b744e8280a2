/**
 * A link that lands on a quote inside its source (WICG Text Fragments):
 * `url#:~:text=start,end` for long quotes. Characters with meaning in the
 * directive (`-`, `,`, `&`) are percent-encoded as the spec requires.
 */
export function textFragmentLink(url: string, quote: string): string {
	const words = quote
		.replace(/[„“”"«»‚‘’]/g, "")
		.split(/\s+/)
		.filter(Boolean);
	if (words.length === 0) return url;
	const encode = (s: string) =>
		encodeURIComponent(s).replace(/-/g, "%2D").replace(/,/g, "%2C").replace(/&/g, "%26");
	const directive =
		words.length <= 8
			? encode(words.join(" "))
			: `${encode(words.slice(0, 4).join(" "))},${encode(words.slice(-4).join(" "))}`;
	const base = url.split("#")[0] ?? url;
	return `${base}#:~:text=${directive}`;
}
