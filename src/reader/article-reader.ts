/**
 * Reads a news page: its metadata (`article-metadata.ts`) and the article's main
 * text as paragraphs, for claim extraction.
 *
 * The page is parsed once with `HTMLRewriter` (the Workers runtime's streaming
 * parser, lol-html). It does not build a DOM, so this module keeps a stack of the
 * open elements (with the HTML rules for unclosed <p> and <li>) and records, for
 * every text run, the block it belongs to. Only block-level and metadata elements
 * are tracked: every handler call crosses into JavaScript, and inline elements
 * other than <a> do not change where a paragraph begins or ends.
 *
 * Main text: the paragraphs of the element marked `itemprop=articleBody`, else of
 * the largest <article>, else of the densest container (where most paragraph text
 * sits close together), leaving out navigation, headers, footers, asides, forms,
 * captions, scripts, elements whose class or id marks them as ads, teasers,
 * related links, share bars, newsletters or comments, and link lists such as
 * "Mehr zum Thema – …". If the class rules leave nothing (a site that puts
 * "share" on its <body>'s wrapper), they are dropped and only the tag rules apply.
 */

import { type ArticleMetadata, articleDate, metadataOf, type PageHead } from "./article-metadata";
import { cleanText } from "./html-entities";

export interface ReadArticle extends ArticleMetadata {
	/** The paragraphs joined with "\n". */
	text: string;
	paragraphs: string[];
}

/* ----------------------------------------------------------------------------
 * Parsing
 * ------------------------------------------------------------------------- */

interface ElementNode {
	tag: string;
	parent: ElementNode | null;
	/** The nearest block element: this one, or an ancestor's (null only for the root). */
	block: ElementNode | null;
	/** Never content: nav, header, footer, script … (or inside one). */
	hard: boolean;
	/** Not content by its class or id (ad, teaser, related …), or hidden (or inside one). */
	soft: boolean;
	inLink: boolean;
	inSvg: boolean;
	className: string;
	articleBody: boolean;
	jsonLd: boolean;
	closed: boolean;
}

interface Paragraph {
	text: string;
	owner: ElementNode;
	/** Non-space characters, and how many of them are link text. */
	chars: number;
	linkChars: number;
}

/* Elements the reader tracks; everything else is transparent (its text belongs to the enclosing block). */
const BLOCK_TAGS = new Set([
	"html",
	"body",
	"main",
	"article",
	"section",
	"div",
	"p",
	"h1",
	"h2",
	"h3",
	"h4",
	"h5",
	"h6",
	"ul",
	"ol",
	"li",
	"dl",
	"dt",
	"dd",
	"blockquote",
	"pre",
	"table",
	"thead",
	"tbody",
	"tfoot",
	"tr",
	"td",
	"th",
	"caption",
	"figure",
	"figcaption",
	"address",
	"details",
	"summary",
	"center",
	"fieldset",
	"hgroup",
	"menu",
	"dialog",
	"nav",
	"header",
	"footer",
	"aside",
	"form",
	"br",
	"hr",
]);
const NON_CONTENT_TAGS = [
	"head",
	"title",
	"script",
	"style",
	"noscript",
	"template",
	"svg",
	"math",
	"iframe",
	"object",
	"canvas",
	"video",
	"audio",
	"select",
	"textarea",
	"button",
];
const TRACKED = [...BLOCK_TAGS, ...NON_CONTENT_TAGS, "a", "ins", "meta", "link", "time"];

/* Never article text, whatever the page's classes say. */
const HARD_TAGS = new Set([
	...NON_CONTENT_TAGS,
	"nav",
	"header",
	"footer",
	"aside",
	"figcaption",
	"dialog",
	"menu",
]);
/*
 * Not content as a rule, but only softly: ASP.NET WebForms sites wrap the whole page
 * in one <form>, and the fallback for a wrapper that holds all the text recovers it.
 */
const SOFT_TAGS = new Set(["form"]);
/* Whole-page wrappers: a class on them ("has-ads", "share-enabled") says nothing about their content. */
const NEVER_SOFT = new Set(["html", "body", "main"]);
const VOID_TAGS = new Set(["br", "hr", "meta", "link"]);
/* An opening tag of these closes an open <p> (HTML parsing spec, "in body" insertion mode). */
const CLOSES_P = new Set([
	"address",
	"article",
	"aside",
	"blockquote",
	"center",
	"details",
	"dialog",
	"dd",
	"div",
	"dl",
	"dt",
	"fieldset",
	"figcaption",
	"figure",
	"footer",
	"form",
	"h1",
	"h2",
	"h3",
	"h4",
	"h5",
	"h6",
	"header",
	"hgroup",
	"hr",
	"li",
	"main",
	"menu",
	"nav",
	"ol",
	"p",
	"pre",
	"section",
	"summary",
	"table",
	"ul",
]);
const P_SCOPE = new Set(["html", "table", "td", "th", "caption", "template", "object", "button"]);
const LI_SCOPE = new Set([...P_SCOPE, "ul", "ol"]);
const DL_SCOPE = new Set([...P_SCOPE, "dl"]);

/* Words in class and id values that mark boilerplate. "ad" must be a whole word: not "header", "shadow". */
const BOILERPLATE_WORDS = new Set([
	"ad",
	"ads",
	"adsbygoogle",
	"advert",
	"adverts",
	"advertisement",
	"adslot",
	"anzeige",
	"werbung",
	"sponsor",
	"sponsored",
	"promo",
	"outbrain",
	"taboola",
	"teaser",
	"teasers",
	"related",
	"recommend",
	"recommended",
	"recommendation",
	"recommendations",
	"empfehlung",
	"empfehlungen",
	"newsletter",
	"social",
	"share",
	"sharing",
	"shariff",
	"comment",
	"comments",
	"kommentare",
	"byline",
	"breadcrumb",
	"breadcrumbs",
	"sidebar",
	"widget",
	"widgets",
	"cookie",
	"consent",
]);
const BOILERPLATE_PHRASES = [
	"mehr-zum-thema",
	"lesen-sie-auch",
	"read-more",
	"more-stories",
	"weitere-artikel",
];
const HIDDEN_ROLES = new Set([
	"navigation",
	"banner",
	"contentinfo",
	"complementary",
	"search",
	"menu",
	"menubar",
]);

function classWords(value: string): string[] {
	return value
		.replace(/([a-z0-9])([A-Z])/g, "$1-$2")
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter((w) => w !== "");
}

function isBoilerplate(classAndId: string): boolean {
	const words = classWords(classAndId);
	if (words.some((w) => BOILERPLATE_WORDS.has(w))) return true;
	const joined = `-${words.join("-")}-`;
	return BOILERPLATE_PHRASES.some((phrase) => joined.includes(`-${phrase}-`));
}

class Segmenter {
	readonly paragraphs: Paragraph[] = [];
	private parts: string[] = [];
	private linkParts: string[] = [];
	private owner: ElementNode | null = null;

	add(raw: string, node: ElementNode): void {
		if (this.owner === null) this.owner = node.block ?? node;
		this.parts.push(raw);
		if (node.inLink) this.linkParts.push(raw);
	}

	flush(): void {
		if (this.owner !== null && this.parts.length > 0) {
			const text = cleanText(this.parts.join(""));
			if (text !== "") {
				this.paragraphs.push({
					text,
					owner: this.owner,
					chars: nonSpace(text),
					linkChars: nonSpace(cleanText(this.linkParts.join(" "))),
				});
			}
		}
		this.parts = [];
		this.linkParts = [];
		this.owner = null;
	}
}

function nonSpace(text: string): number {
	return text.replace(/\s/g, "").length;
}

interface Parsed extends PageHead {
	/** With the class rules, and with the tag rules only. */
	strict: Paragraph[];
	lenient: Paragraph[];
}

/* Deeper elements are treated as inline: nothing real is nested that deep, and the walks up stay short. */
const MAX_DEPTH = 400;
/* Past this many tracked elements the rest is read as flat text: each handler call costs a few µs. */
const MAX_ELEMENTS = 60_000;

/**
 * Everything one parse of a page builds up, shared by the `HTMLRewriter` handlers
 * below: the reader's own stack of open elements (lol-html keeps none that script
 * can see), the paragraphs, and the metadata found on the way.
 */
interface ParseContext {
	readonly root: ElementNode;
	/** The open tracked elements, `root` first. */
	readonly stack: ElementNode[];
	/** Paragraphs with the class rules, and with the tag rules only. */
	readonly strict: Segmenter;
	readonly lenient: Segmenter;
	readonly meta: Map<string, string>;
	readonly metaLists: Map<string, string[]>;
	readonly jsonLd: string[];
	/** The text of the JSON-LD <script> or the <title> being read, while one is open. */
	jsonLdParts: string[] | null;
	titleParts: string[] | null;
	title: string | null;
	canonical: string | null;
	htmlLang: string | null;
	/** Tracked elements opened so far, against MAX_ELEMENTS. */
	elements: number;
}

function newContext(): ParseContext {
	const root: ElementNode = {
		tag: "#root",
		parent: null,
		block: null,
		hard: false,
		soft: false,
		inLink: false,
		inSvg: false,
		className: "",
		articleBody: false,
		jsonLd: false,
		closed: false,
	};
	return {
		root,
		stack: [root],
		strict: new Segmenter(),
		lenient: new Segmenter(),
		meta: new Map(),
		metaLists: new Map(),
		jsonLd: [],
		jsonLdParts: null,
		titleParts: null,
		title: null,
		canonical: null,
		htmlLang: null,
		elements: 0,
	};
}

const current = (ctx: ParseContext): ElementNode => ctx.stack[ctx.stack.length - 1] ?? ctx.root;

/** A block boundary: the text so far is a paragraph. */
function endParagraph(ctx: ParseContext): void {
	ctx.strict.flush();
	ctx.lenient.flush();
}

/** Closes `node` and every element opened inside it that is still open. */
function closeElement(ctx: ParseContext, node: ElementNode): void {
	if (node.closed) return;
	while (ctx.stack.length > 1) {
		const popped = ctx.stack.pop();
		if (popped === undefined) break;
		popped.closed = true;
		if (popped.jsonLd && ctx.jsonLdParts !== null) {
			ctx.jsonLd.push(ctx.jsonLdParts.join(""));
			ctx.jsonLdParts = null;
		}
		if (popped.tag === "title" && ctx.titleParts !== null) {
			ctx.title = ctx.titleParts.join("");
			ctx.titleParts = null;
		}
		if (BLOCK_TAGS.has(popped.tag)) endParagraph(ctx);
		if (popped === node) return;
	}
}

/** Closes the innermost open element named `names`, unless a `scope` element comes first. */
function closeInScope(ctx: ParseContext, names: readonly string[], scope: ReadonlySet<string>): void {
	for (let i = ctx.stack.length - 1; i > 0; i--) {
		const node = ctx.stack[i];
		if (node === undefined || scope.has(node.tag)) return;
		if (names.includes(node.tag)) {
			closeElement(ctx, node);
			return;
		}
	}
}

/* lol-html nests what HTML closes implicitly; the reader's own stack follows the HTML rules. */
function closeImplicitly(ctx: ParseContext, tag: string): void {
	if (tag === "li") closeInScope(ctx, ["li"], LI_SCOPE);
	else if (tag === "dt" || tag === "dd") closeInScope(ctx, ["dt", "dd"], DL_SCOPE);
	if (CLOSES_P.has(tag)) closeInScope(ctx, ["p"], P_SCOPE);
}

/* Values kept of one meta name (several author tags): more are no byline's. */
const MAX_META_VALUES = 10;

function setMeta(ctx: ParseContext, key: string | null, value: string | null): void {
	if (key === null || value === null) return;
	const name = key.trim().toLowerCase();
	if (name === "") return;
	if (!ctx.meta.has(name)) ctx.meta.set(name, value);
	const list = ctx.metaLists.get(name);
	if (list === undefined) ctx.metaLists.set(name, [value]);
	else if (list.length < MAX_META_VALUES) list.push(value);
}

/** Reads <meta>, <link rel=canonical>, <time itemprop> and <html lang>; true if the element is done with. */
function readMetadataElement(ctx: ParseContext, el: Element, tag: string): boolean {
	if (tag === "meta") {
		const content = el.getAttribute("content");
		for (const attr of ["property", "name", "itemprop", "http-equiv"])
			setMeta(ctx, el.getAttribute(attr), content);
		return true;
	}
	if (tag === "link") {
		const rel = (el.getAttribute("rel") ?? "").toLowerCase().split(/\s+/);
		if (ctx.canonical === null && rel.includes("canonical")) ctx.canonical = el.getAttribute("href");
		return true;
	}
	if (tag === "time") {
		const prop = el.getAttribute("itemprop");
		if (prop !== null) setMeta(ctx, prop, el.getAttribute("datetime") ?? el.getAttribute("content"));
		return true;
	}
	if (tag === "html" && ctx.htmlLang === null) {
		ctx.htmlLang = el.getAttribute("lang") ?? el.getAttribute("xml:lang");
	}
	return false;
}

/** The reader's node for an element: what it inherits from `parent` and what its attributes say. */
function elementNode(el: Element, tag: string, parent: ElementNode): ElementNode {
	const className = el.getAttribute("class")?.trim() ?? "";
	const classAndId = `${className} ${el.getAttribute("id") ?? ""}`;
	const role = el.getAttribute("role")?.toLowerCase() ?? "";
	const style = el.getAttribute("style")?.toLowerCase().replace(/\s/g, "") ?? "";
	const itemprop = el.getAttribute("itemprop")?.toLowerCase() ?? "";
	const hidden =
		el.hasAttribute("hidden") ||
		el.getAttribute("aria-hidden") === "true" ||
		style.includes("display:none") ||
		style.includes("visibility:hidden");
	const node: ElementNode = {
		tag,
		parent,
		block: parent.block,
		hard: parent.hard || HARD_TAGS.has(tag) || HIDDEN_ROLES.has(role),
		soft:
			parent.soft || SOFT_TAGS.has(tag) || (!NEVER_SOFT.has(tag) && (hidden || isBoilerplate(classAndId))),
		inLink: parent.inLink || tag === "a",
		inSvg: parent.inSvg || tag === "svg" || tag === "math",
		className,
		articleBody: itemprop.split(/\s+/).includes("articlebody"),
		jsonLd: tag === "script" && el.getAttribute("type")?.trim().toLowerCase() === "application/ld+json",
		closed: false,
	};
	if (BLOCK_TAGS.has(tag)) node.block = node;
	return node;
}

function onElement(ctx: ParseContext, el: Element): void {
	const tag = el.tagName.toLowerCase();
	if (readMetadataElement(ctx, el, tag)) return;

	ctx.elements++;
	if (ctx.elements > MAX_ELEMENTS || ctx.stack.length > MAX_DEPTH) return;
	closeImplicitly(ctx, tag);
	const parent = current(ctx);
	if (BLOCK_TAGS.has(tag)) endParagraph(ctx);
	if (VOID_TAGS.has(tag)) return;

	const node = elementNode(el, tag, parent);
	if (node.jsonLd) ctx.jsonLdParts = [];
	if (tag === "title" && ctx.title === null && !node.inSvg) ctx.titleParts = [];
	ctx.stack.push(node);
	try {
		el.onEndTag(() => closeElement(ctx, node));
	} catch {
		// lol-html knows the element cannot have an end tag; HTML rules will close it.
		closeElement(ctx, node);
	}
}

function onText(ctx: ParseContext, chunk: Text): void {
	const text = chunk.text;
	if (text === "") return;
	const node = current(ctx);
	if (node.jsonLd) {
		ctx.jsonLdParts?.push(text);
		return;
	}
	if (node.tag === "title") {
		ctx.titleParts?.push(text);
		return;
	}
	if (node.hard) return;
	ctx.lenient.add(text, node);
	if (!node.soft) ctx.strict.add(text, node);
}

/** One pass of `HTMLRewriter` over the page; `error` is lol-html's if it gave up part way. */
async function parse(html: string): Promise<{ parsed: Parsed; error: unknown }> {
	const ctx = newContext();
	let rewriter = new HTMLRewriter();
	for (const tag of TRACKED) rewriter = rewriter.on(tag, { element: (el) => onElement(ctx, el) });
	rewriter = rewriter.onDocument({ text: (chunk) => onText(ctx, chunk) });
	let error: unknown = null;
	try {
		await rewriter.transform(new Response(html)).arrayBuffer();
	} catch (caught) {
		error = caught;
	}
	endParagraph(ctx);
	if (ctx.titleParts !== null) ctx.title = ctx.titleParts.join("");
	const { strict, lenient, meta, metaLists, canonical, htmlLang, title, jsonLd } = ctx;
	return {
		parsed: {
			strict: strict.paragraphs,
			lenient: lenient.paragraphs,
			meta,
			metaLists,
			canonical,
			htmlLang,
			title,
			jsonLd,
		},
		error,
	};
}

/*
 * lol-html gives up on pathological nesting (its element stack has a memory
 * limit, reached by some 16,000 open elements). A second pass without the
 * nesting wrappers keeps what matters: paragraphs, links and metadata.
 *
 * Wrappers are looked for only up to the last `>`: a wrapper's tag ends at one. Looked for in
 * the whole page, each `<b ` of a tail without a `>` read on to the page's end: quadratic, 2.3 s
 * of CPU for 100,000 bytes of `<b ` (1 ms now). What it takes out is the same.
 */
export function flatten(html: string): string {
	const end = html.lastIndexOf(">") + 1;
	const unwrapped =
		html
			.slice(0, end)
			.replace(
				/<\/?(?:div|span|section|font|center|b|i|u|em|strong|small|big|table|tbody|thead|tr|td|th)\b[^>]*>/gi,
				" ",
			) + html.slice(end);
	return unwrapped.replace(/<(p|li)(?=[\s>/])/gi, "</$1><$1");
}
/* ----------------------------------------------------------------------------
 * Main text
 * ------------------------------------------------------------------------- */

/* Lead-ins of link lists. Followed by a separator or nothing, so "Related research shows …" stays. */
const LINK_LIST_LEAD =
	/^(?:mehr zum thema|lesen sie (?:auch|mehr)|mehr dazu|auch interessant|das könnte sie (?:auch )?interessieren|weitere artikel|zum thema|siehe auch|weiterlesen|read more|read also|also read|related(?: articles| stories| coverage)?|see also|more on this(?: story| topic)?|more from [\w\s]{1,30}|recommended|you may also like|further reading)\s*(?:[:–—\-|»›>]|$)/iu;
const LABEL_ONLY =
	/^(?:anzeige|werbung|advertisement|ad|sponsored|gesponsert|promotion|teilen|share|drucken|print)$/iu;

const isHeading = (tag: string) => /^h[1-6]$/.test(tag);
/* Blocks that hold a paragraph's text themselves; their container is the parent. */
const LEAF_BLOCKS = new Set([
	"p",
	"li",
	"dt",
	"dd",
	"h1",
	"h2",
	"h3",
	"h4",
	"h5",
	"h6",
	"blockquote",
	"pre",
	"td",
	"th",
	"caption",
	"address",
	"summary",
]);

function weight(p: Paragraph): number {
	const own = Math.max(0, p.chars - p.linkChars);
	return p.owner.tag === "li" || isHeading(p.owner.tag) ? own * 0.3 : own;
}

/*
 * The blocks that hold the article: every outermost itemprop=articleBody (sites
 * split the body around ads), else the largest <article>, else the densest block
 * (text counts fully for the block that holds its paragraphs and less for each
 * level above, so a wrapper around article and sidebar scores below the article's
 * own block) with those of its siblings that look like more of the same: the same
 * tag and class (a body split around an ad), or at least half its text. Empty:
 * no structure to go by, take every paragraph.
 */
function chooseContainers(paragraphs: readonly Paragraph[]): ElementNode[] {
	const contained = new Map<ElementNode, number>();
	const density = new Map<ElementNode, number>();
	for (const p of paragraphs) {
		const w = weight(p);
		if (w === 0) continue;
		let node: ElementNode | null = LEAF_BLOCKS.has(p.owner.tag) ? p.owner.parent : p.owner;
		let factor = 1;
		while (node !== null) {
			contained.set(node, (contained.get(node) ?? 0) + w);
			if (factor > 0.05) density.set(node, (density.get(node) ?? 0) + w * factor);
			factor *= 0.75;
			node = node.parent;
		}
	}
	const best = (
		filter: (node: ElementNode) => boolean,
		scores: Map<ElementNode, number>,
	): [ElementNode, number] | null => {
		let found: [ElementNode, number] | null = null;
		for (const [node, score] of scores) {
			if (filter(node) && (found === null || score > found[1])) found = [node, score];
		}
		return found;
	};
	const bodies = [...contained.keys()].filter((node) => {
		if (!node.articleBody) return false;
		for (let n = node.parent; n !== null; n = n.parent) if (n.articleBody) return false;
		return true;
	});
	if (bodies.length > 0) return bodies;
	const densest = best(() => true, density);
	const article = best((node) => node.tag === "article", contained);
	if (article && (densest === null || article[1] >= 0.5 * (contained.get(densest[0]) ?? 0)))
		return [article[0]];
	if (densest === null) return [];
	const [top] = densest;
	const topWeight = contained.get(top) ?? 0;
	const siblings = [...contained]
		.filter(
			([node, w]) =>
				node !== top &&
				node.parent === top.parent &&
				((top.className !== "" && node.tag === top.tag && node.className === top.className) ||
					w >= 0.5 * topWeight),
		)
		.map(([node]) => node);
	return [top, ...siblings];
}

/*
 * Whether the class rules removed one wrapper that holds most of the page's text,
 * e.g. <div class="article social-share-enabled">: then they misfired. Many small
 * removed blocks (the teasers of a front page) are what they are meant to remove.
 */
function oneWrapperHoldsTheText(paragraphs: readonly Paragraph[]): boolean {
	const shares = new Map<ElementNode, number>();
	let total = 0;
	for (const p of paragraphs) {
		const w = weight(p);
		total += w;
		let wrapper: ElementNode | null = null;
		for (let n: ElementNode | null = p.owner; n?.soft; n = n.parent) wrapper = n;
		if (wrapper) shares.set(wrapper, (shares.get(wrapper) ?? 0) + w);
	}
	let largest = 0;
	for (const share of shares.values()) largest = Math.max(largest, share);
	return total > 0 && largest >= 0.6 * total;
}

function inside(node: ElementNode, containers: ReadonlySet<ElementNode>): boolean {
	for (let n: ElementNode | null = node; n !== null; n = n.parent) if (containers.has(n)) return true;
	return false;
}

function mainText(all: readonly Paragraph[]): string[] {
	const containers = new Set(chooseContainers(all));
	let chosen = containers.size > 0 ? all.filter((p) => inside(p.owner, containers)) : [...all];
	if (chosen.length === 0) chosen = [...all];
	const out: { text: string; heading: boolean }[] = [];
	let inLinkList = false;
	for (const p of chosen) {
		const heading = isHeading(p.owner.tag);
		// The headline is the title, not part of the text.
		if (p.owner.tag === "h1") continue;
		const linkRatio = p.chars === 0 ? 0 : p.linkChars / p.chars;
		if (LINK_LIST_LEAD.test(p.text)) {
			// A heading "Mehr zum Thema" starts a list; a paragraph "Mehr zum Thema – …" is one item of it.
			inLinkList = heading || linkRatio < 0.3;
			continue;
		}
		if (inLinkList) {
			if (heading || (linkRatio < 0.3 && p.chars > 120)) inLinkList = false;
			else continue;
		}
		if (linkRatio >= 0.7 || LABEL_ONLY.test(p.text) || isDateLine(p.text)) continue;
		out.push({ text: p.text, heading });
	}
	// A heading introduces text; one followed by nothing (or by another heading) titles a removed block.
	return out.filter((p, i) => !p.heading || out[i + 1]?.heading === false).map((p) => p.text);
}

/* "Dienstag, 11. März 2025", "12.07.2025, 18:42 Uhr": the dateline, not a sentence of the article. */
function isDateLine(text: string): boolean {
	return (
		text.length < 60 &&
		!/[.!?…]["”“»«']?$/u.test(text) &&
		articleDate(text.replace(/^[\p{L}]+,\s*/u, "")) !== null
	);
}

/* ----------------------------------------------------------------------------
 * Entry point
 * ------------------------------------------------------------------------- */

/**
 * Metadata and main text of an HTML page. `pageUrl` is the address the page was
 * read from (after redirects): relative canonical links resolve against it, and it
 * is the `url` when the page names no canonical URL. Never throws on bad markup;
 * a page without article text gives empty `text` and `paragraphs`. `zone`: the newsroom's,
 * whose day a publication time written in UTC is (default UTC).
 */
export async function readArticle(html: string, pageUrl: string, zone?: string): Promise<ReadArticle> {
	const firstPass = await parse(html);
	const { parsed } = firstPass.error === null ? firstPass : await parse(flatten(html));
	let paragraphs = mainText(parsed.strict);
	if (paragraphs.length === 0 && oneWrapperHoldsTheText(parsed.lenient))
		paragraphs = mainText(parsed.lenient);
	const headline = parsed.lenient.find((p) => p.owner.tag === "h1")?.text ?? null;
	return { ...metadataOf(parsed, pageUrl, headline, zone), text: paragraphs.join("\n"), paragraphs };
}
