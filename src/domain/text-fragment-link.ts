import { textFragment } from "./extraction/text-fragment";

/**
 * A link that lands on a quote inside its source (WICG Text Fragments), using the
 * extractor's encoder so stored anchors and computed links agree. Quote marks are
 * dropped: the page may use other ones.
 */
export function textFragmentLink(url: string, quote: string): string {
	const base = url.split("#")[0] ?? url;
	return `${base}${textFragment(quote.replace(/[„“”"«»‚‘’]/g, ""))}`;
}
