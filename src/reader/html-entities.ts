/**
 * Character references and whitespace in the text the article reader gets from
 * `HTMLRewriter`, which hands over text and attribute values as written: HTML 4's
 * named set, the common HTML5 punctuation names, and numeric references with the
 * windows-1252 fix-up browsers apply.
 */

import { streamSafe } from "../domain/stream-safe";

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

/*
 * Numeric references to C1 controls (&#128; … &#159;) mean the windows-1252 characters
 * of those bytes (HTML spec): "&#128;" is "€", "&#147;" is "“". The platform's decoder
 * holds that table; the five bytes windows-1252 leaves undefined (0x81, 0x8D, 0x8F,
 * 0x90, 0x9D) stay the control characters, as the spec wants. windows-1252 is in
 * every TextDecoder (WHATWG Encoding), workerd's included: no fallback needed.
 */
const C1_AS_WINDOWS_1252 = new TextDecoder("windows-1252").decode(
	Uint8Array.from({ length: 0x20 }, (_, i) => 0x80 + i),
);

function numericReference(code: number): string {
	if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
	if (code >= 0x80 && code <= 0x9f) return C1_AS_WINDOWS_1252[code - 0x80] ?? "\ufffd";
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

/**
 * Decoded, invisible characters removed, whitespace (also no-break spaces) collapsed, trimmed,
 * and stream-safe (domain/stream-safe: a grapheme joiner after every 30th combining mark in a
 * row): the matcher normalises the sentences read from it, which costs CPU quadratic in a
 * longer run (one page of 90,000 marks took 38 s). Last, since entities decoded and characters
 * taken out can make a run ("a&#x301;&#x301;…", "mark, soft hyphen, mark").
 */
export function cleanText(raw: string, inAttribute = false): string {
	return streamSafe(
		decodeEntities(raw, inAttribute)
			.replace(/[\t\n\v\f\r]/g, " ")
			.replace(INVISIBLE, "")
			.replace(/\s+/g, " ")
			.trim(),
	);
}
