/**
 * Reads a news page: its metadata (title, publisher, author, date, language,
 * canonical URL) and the article's main text as paragraphs, for claim extraction.
 *
 * The page is parsed once with `HTMLRewriter` (the Workers runtime's streaming
 * parser, lol-html). It does not build a DOM, so this module keeps a stack of the
 * open elements (with the HTML rules for unclosed <p> and <li>) and records, for
 * every text run, the block it belongs to. Only block-level and metadata elements
 * are tracked: every handler call crosses into JavaScript, and inline elements
 * other than <a> do not change where a paragraph begins or ends.
 *
 * Metadata precedence: JSON-LD (NewsArticle and other Article types) > OpenGraph >
 * other <meta> tags (Dublin Core, Parse.ly, plain name=author/date …) > <title>,
 * <link rel=canonical>, <html lang>. Each field falls through separately, so a
 * page with JSON-LD that lacks an author still gets the author from OpenGraph.
 *
 * Main text: the paragraphs of the element marked `itemprop=articleBody`, else of
 * the largest <article>, else of the densest container (where most paragraph text
 * sits close together), leaving out navigation, headers, footers, asides, forms,
 * captions, scripts, elements whose class or id marks them as ads, teasers,
 * related links, share bars, newsletters or comments, and link lists such as
 * "Mehr zum Thema – …". If the class rules leave nothing (a site that puts
 * "share" on its <body>'s wrapper), they are dropped and only the tag rules apply.
 *
 * `HTMLRewriter` hands over text and attribute values as written, so character
 * references are decoded here (HTML 4's named set, the common HTML5 punctuation
 * names, and numeric references with the windows-1252 fix-up browsers apply).
 */

import { canonicalizeUrl } from "../domain/canonical-url";

export interface ArticleMetadata {
	/** Canonical URL of the article (`canonicalizeUrl`), else of the page read; null if neither is valid. */
	url: string | null;
	title: string | null;
	/** Site or publisher name, e.g. "Der Spiegel". */
	publisher: string | null;
	/** Author name(s), comma-separated. */
	author: string | null;
	/** Publication date as written by the publisher (its local date), YYYY-MM-DD. */
	publishedAt: string | null;
	/** BCP 47 primary language subtag, lower case ("de"). */
	language: string | null;
}

export interface ReadArticle extends ArticleMetadata {
	/** The paragraphs joined with "\n". */
	text: string;
	paragraphs: string[];
}

/* ----------------------------------------------------------------------------
 * Character references
 * ------------------------------------------------------------------------- */

/* Latin-1 names in code point order from U+00A0; also valid without ";" (legacy). */
const LATIN1_NAMES =
	"nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml".split(
		" ",
	);
const GREEK_UPPER =
	"Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho".split(" ");
const GREEK_UPPER_2 = "Sigma Tau Upsilon Phi Chi Psi Omega".split(" ");
const GREEK_LOWER =
	"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigmaf sigma tau upsilon phi chi psi omega".split(
		" ",
	);
/* The rest of HTML 4's entities and the HTML5 names news CMSs actually emit. */
const OTHER_ENTITIES =
	"quot:22 amp:26 apos:27 lt:3c gt:3e QUOT:22 AMP:26 LT:3c GT:3e COPY:a9 REG:ae OElig:152 oelig:153 Scaron:160 scaron:161 Yuml:178 fnof:192 circ:2c6 tilde:2dc thetasym:3d1 upsih:3d2 piv:3d6 ensp:2002 emsp:2003 thinsp:2009 hairsp:200a zwnj:200c zwj:200d lrm:200e rlm:200f dash:2010 hyphen:2010 ndash:2013 mdash:2014 horbar:2015 lsquo:2018 rsquo:2019 rsquor:2019 sbquo:201a lsquor:201a ldquo:201c rdquo:201d rdquor:201d bdquo:201e ldquor:201e dagger:2020 Dagger:2021 bull:2022 bullet:2022 hellip:2026 mldr:2026 permil:2030 prime:2032 Prime:2033 lsaquo:2039 rsaquo:203a oline:203e frasl:2044 euro:20ac image:2111 weierp:2118 real:211c trade:2122 TRADE:2122 alefsym:2135 larr:2190 uarr:2191 rarr:2192 darr:2193 harr:2194 crarr:21b5 lArr:21d0 uArr:21d1 rArr:21d2 dArr:21d3 hArr:21d4 forall:2200 part:2202 exist:2203 empty:2205 nabla:2207 isin:2208 notin:2209 ni:220b prod:220f sum:2211 minus:2212 lowast:2217 radic:221a prop:221d infin:221e ang:2220 and:2227 or:2228 cap:2229 cup:222a int:222b there4:2234 sim:223c cong:2245 asymp:2248 ne:2260 equiv:2261 le:2264 ge:2265 sub:2282 sup:2283 nsub:2284 sube:2286 supe:2287 oplus:2295 otimes:2297 perp:22a5 sdot:22c5 lceil:2308 rceil:2309 lfloor:230a rfloor:230b lang:27e8 rang:27e9 loz:25ca spades:2660 clubs:2663 hearts:2665 diams:2666 half:bd Tab:9 NewLine:a excl:21 num:23 dollar:24 percnt:25 lpar:28 rpar:29 ast:2a plus:2b comma:2c period:2e sol:2f colon:3a semi:3b equals:3d quest:3f commat:40 lsqb:5b bsol:5c rsqb:5d lowbar:5f grave:60 lcub:7b verbar:7c rcub:7d";

const NAMED = new Map<string, string>();
const LEGACY = new Set<string>(["amp", "lt", "gt", "quot", "AMP", "LT", "GT", "QUOT", "COPY", "REG"]);
/* Names for consecutive code points from `start`. */
function addRun(names: readonly string[], start: number, legacy: boolean): void {
	for (const [i, name] of names.entries()) {
		NAMED.set(name, String.fromCharCode(start + i));
		if (legacy) LEGACY.add(name);
	}
}
addRun(LATIN1_NAMES, 0xa0, true);
addRun(GREEK_UPPER, 0x391, false);
addRun(GREEK_UPPER_2, 0x3a3, false);
addRun(GREEK_LOWER, 0x3b1, false);
for (const pair of OTHER_ENTITIES.split(" ")) {
	const [name = "", hex = ""] = pair.split(":");
	NAMED.set(name, String.fromCodePoint(Number.parseInt(hex, 16)));
}

/* Numeric references to C1 controls mean windows-1252 characters (HTML spec). */
const WINDOWS_1252_C1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

function numericReference(code: number): string {
	if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
	if (code >= 0x80 && code <= 0x9f) return WINDOWS_1252_C1[code - 0x80] ?? "\ufffd";
	return String.fromCodePoint(code);
}

const REFERENCE = /&(?:#(\d{1,8});?|#[xX]([0-9a-fA-F]{1,7});?|([A-Za-z][A-Za-z0-9]{0,31})(;?))/g;

/**
 * Decodes HTML character references. In attribute values (`inAttribute`) a
 * legacy name without ";" is decoded only when it is not followed by "=", so that
 * "?a=1&copy=2" in a URL stays as it is (HTML spec).
 */
export function decodeEntities(text: string, inAttribute = false): string {
	if (!text.includes("&")) return text;
	return text.replace(
		REFERENCE,
		(
			match,
			dec: string | undefined,
			hex: string | undefined,
			name: string | undefined,
			semi: string,
			offset: number,
		) => {
			if (dec !== undefined) return numericReference(Number.parseInt(dec, 10));
			if (hex !== undefined) return numericReference(Number.parseInt(hex, 16));
			if (name === undefined) return match;
			if (semi === ";") return NAMED.get(name) ?? match;
			if (inAttribute) {
				const next = text[offset + match.length];
				return LEGACY.has(name) && next !== "=" ? (NAMED.get(name) ?? match) : match;
			}
			// In text, the longest legacy name that prefixes the run counts: "&copy2025" is "©2025".
			for (let length = Math.min(name.length, 6); length >= 2; length--) {
				const prefix = name.slice(0, length);
				if (LEGACY.has(prefix)) return `${NAMED.get(prefix) ?? ""}${name.slice(length)}`;
			}
			return match;
		},
	);
}

/* Soft hyphens and zero-width spaces break search and quote matching; control characters are never text. */
const INVISIBLE = /[\p{Cc}\u00ad\u200b\u2060\ufeff]/gu;

/** Decoded, invisible characters removed, whitespace (also no-break spaces) collapsed, trimmed. */
function cleanText(raw: string, inAttribute = false): string {
	return decodeEntities(raw, inAttribute)
		.replace(/[\t\n\v\f\r]/g, " ")
		.replace(INVISIBLE, "")
		.replace(/\s+/g, " ")
		.trim();
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

interface Parsed {
	/** With the class rules, and with the tag rules only. */
	strict: Paragraph[];
	lenient: Paragraph[];
	/** First value per lower-cased meta name/property/itemprop/http-equiv. */
	meta: Map<string, string>;
	canonical: string | null;
	htmlLang: string | null;
	title: string | null;
	jsonLd: string[];
}

/* Deeper elements are treated as inline: nothing real is nested that deep, and the walks up stay short. */
const MAX_DEPTH = 400;
/* Past this many tracked elements the rest is read as flat text: each handler call costs a few µs. */
const MAX_ELEMENTS = 60_000;

async function parse(html: string): Promise<{ parsed: Parsed; error: unknown }> {
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
	const stack: ElementNode[] = [root];
	const strict = new Segmenter();
	const lenient = new Segmenter();
	const meta = new Map<string, string>();
	const jsonLd: string[] = [];
	// One object, not `let`s: TypeScript does not see the handlers' assignments to locals.
	const state = {
		jsonLdParts: null as string[] | null,
		titleParts: null as string[] | null,
		title: null as string | null,
		canonical: null as string | null,
		htmlLang: null as string | null,
		elements: 0,
	};

	const top = (): ElementNode => stack[stack.length - 1] ?? root;

	const close = (node: ElementNode): void => {
		if (node.closed) return;
		while (stack.length > 1) {
			const popped = stack.pop();
			if (popped === undefined) break;
			popped.closed = true;
			if (popped.jsonLd && state.jsonLdParts !== null) {
				jsonLd.push(state.jsonLdParts.join(""));
				state.jsonLdParts = null;
			}
			if (popped.tag === "title" && state.titleParts !== null) {
				state.title = state.titleParts.join("");
				state.titleParts = null;
			}
			if (BLOCK_TAGS.has(popped.tag)) {
				strict.flush();
				lenient.flush();
			}
			if (popped === node) return;
		}
	};

	const closeInScope = (names: readonly string[], scope: ReadonlySet<string>): void => {
		for (let i = stack.length - 1; i > 0; i--) {
			const node = stack[i];
			if (node === undefined || scope.has(node.tag)) return;
			if (names.includes(node.tag)) {
				close(node);
				return;
			}
		}
	};

	const setMeta = (key: string | null, value: string | null): void => {
		if (key === null || value === null) return;
		const name = key.trim().toLowerCase();
		if (name !== "" && !meta.has(name)) meta.set(name, value);
	};

	const onElement = (el: Element): void => {
		const tag = el.tagName.toLowerCase();
		if (tag === "meta") {
			const content = el.getAttribute("content");
			for (const attr of ["property", "name", "itemprop", "http-equiv"])
				setMeta(el.getAttribute(attr), content);
			return;
		}
		if (tag === "link") {
			const rel = (el.getAttribute("rel") ?? "").toLowerCase().split(/\s+/);
			if (state.canonical === null && rel.includes("canonical")) state.canonical = el.getAttribute("href");
			return;
		}
		if (tag === "time") {
			const prop = el.getAttribute("itemprop");
			if (prop !== null) setMeta(prop, el.getAttribute("datetime") ?? el.getAttribute("content"));
			return;
		}
		if (tag === "html" && state.htmlLang === null) {
			state.htmlLang = el.getAttribute("lang") ?? el.getAttribute("xml:lang");
		}

		state.elements++;
		if (state.elements > MAX_ELEMENTS || stack.length > MAX_DEPTH) return;
		// lol-html nests what HTML closes implicitly; the reader's own stack follows the HTML rules.
		if (tag === "li") closeInScope(["li"], LI_SCOPE);
		else if (tag === "dt" || tag === "dd") closeInScope(["dt", "dd"], DL_SCOPE);
		if (CLOSES_P.has(tag)) closeInScope(["p"], P_SCOPE);

		const parent = top();
		const isBlock = BLOCK_TAGS.has(tag);
		if (isBlock) {
			strict.flush();
			lenient.flush();
		}
		if (VOID_TAGS.has(tag)) return;

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
		if (isBlock) node.block = node;
		if (node.jsonLd) state.jsonLdParts = [];
		if (tag === "title" && state.title === null && !node.inSvg) state.titleParts = [];
		stack.push(node);
		try {
			el.onEndTag(() => close(node));
		} catch {
			// lol-html knows the element cannot have an end tag; HTML rules will close it.
			close(node);
		}
	};

	const onText = (chunk: Text): void => {
		const text = chunk.text;
		if (text === "") return;
		const node = top();
		if (node.jsonLd) {
			state.jsonLdParts?.push(text);
			return;
		}
		if (node.tag === "title") {
			state.titleParts?.push(text);
			return;
		}
		if (node.hard) return;
		lenient.add(text, node);
		if (!node.soft) strict.add(text, node);
	};

	let rewriter = new HTMLRewriter();
	for (const tag of TRACKED) rewriter = rewriter.on(tag, { element: onElement });
	rewriter = rewriter.onDocument({ text: onText });
	let error: unknown = null;
	try {
		await rewriter.transform(new Response(html)).arrayBuffer();
	} catch (caught) {
		error = caught;
	}
	strict.flush();
	lenient.flush();
	if (state.titleParts !== null) state.title = state.titleParts.join("");
	const { canonical, htmlLang, title } = state;
	return {
		parsed: {
			strict: strict.paragraphs,
			lenient: lenient.paragraphs,
			meta,
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
 */
function flatten(html: string): string {
	return html
		.replace(
			/<\/?(?:div|span|section|font|center|b|i|u|em|strong|small|big|table|tbody|thead|tr|td|th)\b[^>]*>/gi,
			" ",
		)
		.replace(/<(p|li)(?=[\s>/])/gi, "</$1><$1");
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
		normalizeDate(text.replace(/^[\p{L}]+,\s*/u, "")) !== null
	);
}

/* ----------------------------------------------------------------------------
 * Metadata
 * ------------------------------------------------------------------------- */

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJsonLd(raw: string): unknown {
	const text = raw
		.trim()
		.replace(/^<!--|-->$/g, "")
		.replace(/^\s*\/\/\s*<!\[CDATA\[|\/\/\s*\]\]>\s*$/g, "")
		.replace(/^<!\[CDATA\[|\]\]>$/g, "")
		.trim()
		.replace(/;+$/, "");
	try {
		return JSON.parse(text);
	} catch {
		// CMSs often emit raw line breaks inside strings, which JSON forbids; outside strings they are spaces.
		try {
			return JSON.parse(text.replace(/\p{Cc}+/gu, " "));
		} catch {
			return null;
		}
	}
}

function typeNames(node: Record<string, unknown>): string[] {
	const type = node["@type"];
	const list = Array.isArray(type) ? type : [type];
	return list.filter((t): t is string => typeof t === "string").map((t) => t.replace(/^.*[/:#]/, ""));
}

/* 0 for news articles, 1 for articles, 2 for posts; null for anything else. */
function articleRank(node: Record<string, unknown>): number | null {
	let rank: number | null = null;
	for (const type of typeNames(node)) {
		const r = /NewsArticle$/.test(type)
			? 0
			: /Article$/.test(type) || type === "Report"
				? 1
				: type === "BlogPosting" || type === "LiveBlogPosting"
					? 2
					: null;
		if (r !== null && (rank === null || r < rank)) rank = r;
	}
	return rank;
}

interface JsonLdArticle {
	node: Record<string, unknown>;
	byId: Map<string, Record<string, unknown>>;
}

function findJsonLdArticle(blocks: readonly string[]): JsonLdArticle | null {
	const byId = new Map<string, Record<string, unknown>>();
	const candidates: Record<string, unknown>[] = [];
	const queue: unknown[] = blocks.map(parseJsonLd);
	// Breadth-first over every nested object: articles hide in @graph, mainEntity, or arrays of blocks.
	for (let i = 0; i < queue.length && i < 20_000; i++) {
		const value = queue[i];
		if (Array.isArray(value)) {
			queue.push(...value);
			continue;
		}
		if (!isRecord(value)) continue;
		const id = value["@id"];
		if (typeof id === "string" && Object.keys(value).length > 1 && !byId.has(id)) byId.set(id, value);
		if (articleRank(value) !== null) candidates.push(value);
		for (const child of Object.values(value))
			if (typeof child === "object" && child !== null) queue.push(child);
	}
	let best: Record<string, unknown> | null = null;
	let bestRank = Number.POSITIVE_INFINITY;
	for (const candidate of candidates) {
		const rank = articleRank(candidate) ?? Number.POSITIVE_INFINITY;
		if (rank < bestRank) {
			best = candidate;
			bestRank = rank;
		}
	}
	return best ? { node: best, byId } : null;
}

function resolve(value: unknown, byId: Map<string, Record<string, unknown>>): unknown {
	if (isRecord(value) && typeof value["@id"] === "string" && Object.keys(value).length === 1) {
		return byId.get(value["@id"]) ?? value;
	}
	return value;
}

function jsonString(value: unknown): string | null {
	if (typeof value === "string") return value;
	if (Array.isArray(value)) return jsonString(value[0]);
	return null;
}

/* Names of a person, organisation or list of them (strings, {name}, or {@id} references). */
function jsonNames(value: unknown, byId: Map<string, Record<string, unknown>>): string[] {
	const list = Array.isArray(value) ? value : [value];
	const names: string[] = [];
	for (const item of list.slice(0, 20)) {
		const resolved = resolve(item, byId);
		const name =
			typeof resolved === "string" ? resolved : isRecord(resolved) ? jsonString(resolved.name) : null;
		if (name !== null) names.push(name);
	}
	return names;
}

function jsonUrl(value: unknown): string | null {
	if (typeof value === "string") return value;
	if (isRecord(value)) return jsonString(value["@id"]) ?? jsonString(value.url);
	if (Array.isArray(value)) return jsonUrl(value[0]);
	return null;
}

function jsonLanguage(value: unknown): string | null {
	if (typeof value === "string") return value;
	if (isRecord(value)) return jsonString(value.alternateName) ?? jsonString(value.name);
	if (Array.isArray(value)) return jsonLanguage(value[0]);
	return null;
}

function limited(text: string | null, max: number): string | null {
	if (text === null) return null;
	const cleaned = cleanText(text, true);
	if (cleaned === "") return null;
	return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned;
}

const looksLikeUrl = (text: string) => /^(?:https?:)?\/\/|^www\.|^[^\s@]+@[^\s@]+\.\w+$/i.test(text);

function normalizeAuthor(values: readonly (string | null)[]): string | null {
	const names: string[] = [];
	for (const value of values) {
		const name = limited(value, 200)?.replace(/^(?:by|von|par|por|di|door|av)\s+(?=\p{Lu})/iu, "");
		// article:author is often a profile URL, which is not a name.
		if (name && !looksLikeUrl(name) && !names.includes(name)) names.push(name);
	}
	return names.length > 0 ? limited(names.slice(0, 10).join(", "), 300) : null;
}

const MONTHS: Record<string, number> = {
	jan: 1,
	feb: 2,
	mar: 3,
	mär: 3,
	apr: 4,
	may: 5,
	mai: 5,
	jun: 6,
	jul: 7,
	aug: 8,
	sep: 9,
	oct: 10,
	okt: 10,
	nov: 11,
	dec: 12,
	dez: 12,
};

function isoDate(year: number, month: number, day: number): string | null {
	if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return null;
	const date = new Date(Date.UTC(year, month - 1, day));
	if (date.getUTCDate() !== day) return null;
	return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * The publication date as YYYY-MM-DD. An ISO timestamp keeps its own date part:
 * "2025-07-12T00:30:00+02:00" was published on the 12th where it appeared, even
 * though that is the 11th in UTC.
 */
export function normalizeDate(value: string | null): string | null {
	const text = value?.trim();
	if (!text) return null;
	let m =
		/^(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])/.exec(text) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?!\d)/.exec(text);
	if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
	m = /^(\d{4})(\d{2})(\d{2})(?:T|$)/.exec(text);
	if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
	m = /^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)/.exec(text);
	if (m) return isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
	// "12 Jul 2025", "Sat, 12 Jul 2025 10:00:00 GMT", "12. Juli 2025"
	m = /(?:^|[\s,])(\d{1,2})\.?\s+([a-zä]{3})[a-zä]*\.?,?\s+(\d{4})(?!\d)/iu.exec(text);
	if (m) {
		const month = MONTHS[(m[2] ?? "").toLowerCase()];
		return month === undefined ? null : isoDate(Number(m[3]), month, Number(m[1]));
	}
	// "July 12, 2025"
	m = /^(?:[a-z]+,?\s+)?([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)/i.exec(text);
	if (m) {
		const month = MONTHS[(m[1] ?? "").toLowerCase()];
		return month === undefined ? null : isoDate(Number(m[3]), month, Number(m[2]));
	}
	return null;
}

/** The primary language subtag: "de-AT" → "de", og:locale "en_US" → "en"; null for und/mul/zxx. */
export function normalizeLanguage(value: string | null): string | null {
	const primary =
		value
			?.trim()
			.toLowerCase()
			.split(/[-_\s,;]/)[0] ?? "";
	if (!/^[a-z]{2,3}$/.test(primary) || ["und", "mul", "zxx", "mis"].includes(primary)) return null;
	return primary;
}

function normalizeUrl(value: string | null, base: string): string | null {
	const text = value === null ? "" : decodeEntities(value.trim(), true);
	if (text === "") return null;
	try {
		return canonicalizeUrl(new URL(text, base).href).url;
	} catch {
		return null;
	}
}

const first = <T>(...values: (T | null | undefined)[]): T | null => {
	for (const value of values) if (value !== null && value !== undefined) return value;
	return null;
};

function stripPublisher(title: string, publisher: string | null): string {
	if (publisher === null) return title;
	const escaped = publisher.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
	const separator = "\\s*[|–—\\-:·•»]\\s*";
	const stripped = title
		.replace(new RegExp(`${separator}${escaped}$`, "iu"), "")
		.replace(new RegExp(`^${escaped}${separator}`, "iu"), "");
	return stripped === "" ? title : stripped;
}

function metadataOf(parsed: Parsed, pageUrl: string, headline: string | null): ArticleMetadata {
	const meta = (...keys: string[]): string | null => first(...keys.map((key) => parsed.meta.get(key)));
	const ld = findJsonLdArticle(parsed.jsonLd);
	const node = ld?.node ?? {};
	const byId = ld?.byId ?? new Map<string, Record<string, unknown>>();
	const text = (value: string | null, max = 500) => limited(value, max);

	// article:publisher and some Dublin Core values are URLs of the outlet, not its name.
	const name = (value: string | null) => {
		const cleaned = text(value, 200);
		return cleaned === null || looksLikeUrl(cleaned) ? null : cleaned;
	};
	const publisherName = first(
		name(jsonNames(node.publisher, byId)[0] ?? null),
		name(meta("og:site_name")),
		name(meta("dc.publisher", "dcterms.publisher", "publisher", "application-name")),
	);
	const rawTitle = first(
		text(jsonString(node.headline) ?? jsonString(node.name)),
		text(meta("og:title")),
		text(meta("dc.title", "dcterms.title", "parsely-title", "sailthru.title", "twitter:title", "title")),
		text(parsed.title),
		text(headline),
	);
	const ldAuthors = jsonNames(node.author, byId);
	return {
		url: first(
			normalizeUrl(jsonUrl(node.url) ?? jsonUrl(node.mainEntityOfPage), pageUrl),
			normalizeUrl(meta("og:url"), pageUrl),
			normalizeUrl(meta("parsely-link", "twitter:url"), pageUrl),
			normalizeUrl(parsed.canonical, pageUrl),
			normalizeUrl(pageUrl, pageUrl),
		),
		title: rawTitle === null ? null : stripPublisher(rawTitle, publisherName),
		publisher: publisherName,
		author: first(
			normalizeAuthor(ldAuthors),
			normalizeAuthor([meta("article:author")]),
			normalizeAuthor([
				meta("author", "dc.creator", "dcterms.creator", "parsely-author", "sailthru.author", "byl"),
			]),
		),
		publishedAt: first(
			normalizeDate(jsonString(node.datePublished) ?? jsonString(node.dateCreated)),
			normalizeDate(meta("article:published_time", "og:published_time", "article:published")),
			normalizeDate(
				meta(
					"date",
					"dc.date.issued",
					"dcterms.issued",
					"dc.date",
					"dcterms.date",
					"dcterms.created",
					"publish-date",
					"publish_date",
					"publishdate",
					"pubdate",
					"publication_date",
					"parsely-pub-date",
					"sailthru.date",
					"article.published",
					"citation_publication_date",
					"datepublished",
				),
			),
		),
		language: first(
			normalizeLanguage(jsonLanguage(node.inLanguage)),
			normalizeLanguage(meta("og:locale")),
			normalizeLanguage(meta("dc.language", "dcterms.language", "content-language", "language")),
			normalizeLanguage(parsed.htmlLang),
		),
	};
}

/* ----------------------------------------------------------------------------
 * Entry point
 * ------------------------------------------------------------------------- */

/**
 * Metadata and main text of an HTML page. `pageUrl` is the address the page was
 * read from (after redirects): relative canonical links resolve against it, and it
 * is the `url` when the page names no canonical URL. Never throws on bad markup;
 * a page without article text gives empty `text` and `paragraphs`.
 */
export async function readArticle(html: string, pageUrl: string): Promise<ReadArticle> {
	const firstPass = await parse(html);
	const { parsed } = firstPass.error === null ? firstPass : await parse(flatten(html));
	let paragraphs = mainText(parsed.strict);
	if (paragraphs.length === 0 && oneWrapperHoldsTheText(parsed.lenient))
		paragraphs = mainText(parsed.lenient);
	const headline = parsed.lenient.find((p) => p.owner.tag === "h1")?.text ?? null;
	return { ...metadataOf(parsed, pageUrl, headline), text: paragraphs.join("\n"), paragraphs };
}
