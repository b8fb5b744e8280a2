/**
 * Snowball stemmers for English (Porter2) and German, written from the algorithm
 * definitions at snowballstem.org so the Worker needs no stemming package. The same
 * function runs when a claim is indexed and when a search or match query is built,
 * so both sides of an FTS5 MATCH see the same stems: it must stay deterministic.
 *
 * Every step looks at a fixed set of suffixes at the end of one word, so stemming is
 * linear in the text. As in Snowball, a step finds the LONGEST listed suffix first and
 * then checks its condition; a failed condition ends the step (no shorter suffix is
 * tried), which is what makes "national" → "nation" and not "nate".
 */

type Rule = readonly [suffix: string, replacement: string];

/* "a:b c:d" → rules, longest suffix first (the Snowball `among` order). */
function rules(table: string): Rule[] {
	return table
		.split(" ")
		.map((pair): Rule => {
			const [suffix = "", replacement = ""] = pair.split(":");
			return [suffix, replacement];
		})
		.sort((x, y) => y[0].length - x[0].length);
}

function longestSuffix(word: string, table: readonly Rule[]): Rule | undefined {
	return table.find(([suffix]) => word.endsWith(suffix));
}

/* Position after the first non-vowel that follows a vowel, from `start` (Snowball's R1/R2 start). */
function regionStart(word: string, start: number, isVowel: (ch: string) => boolean): number {
	let i = start;
	while (i < word.length && !isVowel(word[i] ?? "")) i++;
	while (i < word.length && isVowel(word[i] ?? "")) i++;
	return Math.min(i + 1, word.length);
}

// ---------------------------------------------------------------- English (Porter2)

const enVowel = (ch: string): boolean => "aeiouy".includes(ch);

/* Whole words Porter2 special-cases (exception1); the last seven stay as they are. */
const EN_EXCEPTIONS = new Map<string, string>(
	Object.entries({
		skis: "ski",
		skies: "sky",
		dying: "die",
		lying: "lie",
		tying: "tie",
		idly: "idl",
		gently: "gentl",
		ugly: "ugli",
		early: "earli",
		only: "onli",
		singly: "singl",
		sky: "sky",
		news: "news",
		howe: "howe",
		atlas: "atlas",
		cosmos: "cosmos",
		bias: "bias",
		andes: "andes",
	}),
);
/* exception2: left alone after step 1a. */
const EN_INVARIANT_AFTER_1A = new Set([
	"inning",
	"outing",
	"canning",
	"herring",
	"earring",
	"proceed",
	"exceed",
	"succeed",
]);

const EN_STEP2 = rules(
	"tional:tion enci:ence anci:ance abli:able entli:ent izer:ize ization:ize ational:ate ation:ate ator:ate " +
		"alism:al aliti:al alli:al fulness:ful ousli:ous ousness:ous iveness:ive iviti:ive biliti:ble bli:ble " +
		"ogi:og fulli:ful lessli:less li:",
);
const EN_STEP1B = rules("eed: eedly: ed: edly: ing: ingly:");
const EN_STEP3 = rules("tional:tion ational:ate alize:al icate:ic iciti:ic ical:ic ful: ness: ative:");
const EN_STEP4 = rules(
	"al: ance: ence: er: ic: able: ible: ant: ement: ment: ent: ism: ate: iti: ous: ive: ize: ion:",
);

/* A short syllable ends at `end`: non-vowel, vowel, non-vowel other than w/x/Y; or vowel + non-vowel at the start. */
function enShortSyllable(word: string, end: number): boolean {
	const a = word[end - 3] ?? "";
	const b = word[end - 2] ?? "";
	const c = word[end - 1] ?? "";
	if (end === 2) return enVowel(b) && !enVowel(c);
	return end >= 3 && !enVowel(a) && enVowel(b) && !enVowel(c) && !"wxY".includes(c);
}

function enRegions(word: string): [number, number] {
	const prefix = /^(?:gener|commun|arsen)/.exec(word)?.[0];
	const p1 = prefix ? prefix.length : regionStart(word, 0, enVowel);
	return [p1, regionStart(word, p1, enVowel)];
}

function enStep1a(word: string): string {
	const possessive = ["'s'", "'s", "'"].find((suffix) => word.endsWith(suffix));
	const w = possessive ? word.slice(0, -possessive.length) : word;
	if (w.endsWith("sses")) return w.slice(0, -2);
	if (w.endsWith("ied") || w.endsWith("ies")) return w.length > 4 ? w.slice(0, -2) : w.slice(0, -1);
	if (w.endsWith("us") || w.endsWith("ss")) return w;
	// "gas" and "this" keep their s: the vowel must not be the letter right before it.
	if (w.endsWith("s") && /[aeiouy]/.test(w.slice(0, -2))) return w.slice(0, -1);
	return w;
}

function enStep1b(w: string, p1: number): string {
	const rule = longestSuffix(w, EN_STEP1B);
	if (!rule) return w;
	const [suffix] = rule;
	if (suffix === "eed" || suffix === "eedly") {
		return w.length - suffix.length >= p1 ? `${w.slice(0, -suffix.length)}ee` : w;
	}
	const stem = w.slice(0, -suffix.length);
	if (!/[aeiouy]/.test(stem)) return w;
	if (/(?:at|bl|iz)$/.test(stem)) return `${stem}e`;
	if (/(?:bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(stem)) return stem.slice(0, -1);
	if (stem.length === p1 && enShortSyllable(stem, stem.length)) return `${stem}e`;
	return stem;
}

function enStep2(w: string, p1: number): string {
	const rule = longestSuffix(w, EN_STEP2);
	if (!rule) return w;
	const [suffix, replacement] = rule;
	const at = w.length - suffix.length;
	if (at < p1) return w;
	if (suffix === "ogi" && w[at - 1] !== "l") return w;
	if (suffix === "li" && !"cdeghkmnrt".includes(w[at - 1] ?? "")) return w;
	return w.slice(0, at) + replacement;
}

function enStep3And4(word: string, p1: number, p2: number): string {
	let w = word;
	const rule3 = longestSuffix(w, EN_STEP3);
	if (rule3) {
		const at = w.length - rule3[0].length;
		if (at >= p1 && (rule3[0] !== "ative" || at >= p2)) w = w.slice(0, at) + rule3[1];
	}
	const rule4 = longestSuffix(w, EN_STEP4);
	if (rule4) {
		const at = w.length - rule4[0].length;
		if (at >= p2 && (rule4[0] !== "ion" || "st".includes(w[at - 1] ?? "-"))) w = w.slice(0, at);
	}
	return w;
}

function enStep5(w: string, p1: number, p2: number): string {
	const at = w.length - 1;
	if (w.endsWith("e") && (at >= p2 || (at >= p1 && !enShortSyllable(w, at)))) return w.slice(0, at);
	if (w.endsWith("ll") && at >= p2) return w.slice(0, at);
	return w;
}

function stemEnglish(input: string): string {
	const exception = EN_EXCEPTIONS.get(input);
	if (exception !== undefined) return exception;
	if (input.length < 3) return input;
	// Y marks a consonant y (initial, or after a vowel) so it does not count as a vowel.
	let w = input
		.replace(/^'/, "")
		.replace(/^y/, "Y")
		.replace(/([aeiouy])y/g, "$1Y");
	const [p1, p2] = enRegions(w);
	w = enStep1a(w);
	if (EN_INVARIANT_AFTER_1A.has(w)) return w;
	w = enStep1b(w, p1);
	// Step 1c: cry → cri, but by and say keep their y.
	if (/[yY]$/.test(w) && w.length > 2 && !enVowel(w[w.length - 2] ?? "")) w = `${w.slice(0, -1)}i`;
	w = enStep2(w, p1);
	w = enStep3And4(w, p1, p2);
	return enStep5(w, p1, p2).replace(/Y/g, "y");
}

// ---------------------------------------------------------------- German

const deVowel = (ch: string): boolean => "aeiouyäöü".includes(ch);
const DE_STEP1 = rules("em: ern: er: e: en: es: s:");
const DE_STEP2 = rules("en: er: est: st:");
const DE_STEP3 = rules("end: ung: ig: ik: isch: lich: heit: keit:");
const DE_POSTLUDE: Record<string, string> = { Y: "y", U: "u", ä: "a", ö: "o", ü: "u" };

function deRegions(w: string): [number, number] {
	if (w.length < 3) return [w.length, w.length];
	const r1 = regionStart(w, 0, deVowel);
	// R2 is found from R1's real start; only R1 itself is moved to at least 3 letters in.
	return [Math.max(r1, 3), regionStart(w, r1, deVowel)];
}

function deStep1(w: string, p1: number): string {
	const rule = longestSuffix(w, DE_STEP1);
	if (!rule) return w;
	const at = w.length - rule[0].length;
	if (at < p1) return w;
	if (rule[0] === "s") return "bdfghklmnrt".includes(w[at - 1] ?? "") ? w.slice(0, at) : w;
	const stem = w.slice(0, at);
	// Ergebnisse → ergebniss → ergebnis: the plural doubles the s.
	return /^e[ns]?$/.test(rule[0]) && stem.endsWith("niss") ? stem.slice(0, -1) : stem;
}

function deStep2(w: string, p1: number): string {
	const rule = longestSuffix(w, DE_STEP2);
	if (!rule) return w;
	const at = w.length - rule[0].length;
	if (at < p1) return w;
	if (rule[0] !== "st") return w.slice(0, at);
	return "bdfghklmnt".includes(w[at - 1] ?? "") && at >= 4 ? w.slice(0, at) : w;
}

function deStep3(w: string, p1: number, p2: number): string {
	const rule = longestSuffix(w, DE_STEP3);
	if (!rule) return w;
	const suffix = rule[0];
	const at = w.length - suffix.length;
	if (at < p2) return w;
	const stem = w.slice(0, at);
	const before = (s: string, n: number): string => s[s.length - n - 1] ?? "";
	switch (suffix) {
		case "end":
		case "ung":
			return stem.endsWith("ig") && before(stem, 2) !== "e" && stem.length - 2 >= p2
				? stem.slice(0, -2)
				: stem;
		case "ig":
		case "ik":
		case "isch":
			return w[at - 1] === "e" ? w : stem;
		case "lich":
		case "heit":
			return /(?:er|en)$/.test(stem) && stem.length - 2 >= p1 ? stem.slice(0, -2) : stem;
		default: {
			// keit, then lich or ig in R2: Arbeitslosigkeit → arbeitslos.
			const inner = /(?:lich|ig)$/.exec(stem)?.[0];
			return inner && stem.length - inner.length >= p2 ? stem.slice(0, -inner.length) : stem;
		}
	}
}

function stemGerman(input: string): string {
	// u and y between vowels are consonants (U, Y) and do not count as vowels.
	const w = input
		.replace(/ß/g, "ss")
		.replace(/([aeiouyäöü])([uy])(?=[aeiouyäöü])/g, (_m, v: string, c: string) => {
			return v + c.toUpperCase();
		});
	const [p1, p2] = deRegions(w);
	return deStep3(deStep2(deStep1(w, p1), p1), p1, p2).replace(/[YUäöü]/g, (ch) => DE_POSTLUDE[ch] ?? ch);
}

// ---------------------------------------------------------------- API

type Stemmer = (word: string) => string;

function stemmerFor(language: string): Stemmer {
	const tag = language.toLowerCase();
	if (tag.startsWith("en")) return stemEnglish;
	if (tag.startsWith("de")) return stemGerman;
	return (word) => word;
}

/* Lower-case, composed (a combining ¨ would hide an umlaut from the German rules), curly apostrophes made straight. */
function normalizeWord(word: string): string {
	return word
		.normalize("NFC")
		.toLowerCase()
		.replace(/\u2019/g, "'");
}

/**
 * The Snowball stem of one word: English (Porter2) for `en*` tags, German for `de*`,
 * lower-casing only for other languages. Apostrophes left after stemming are dropped
 * ("doesn't" → "doesnt") so the result is one FTS5 token.
 */
export function stem(word: string, language: "de" | "en" | string): string {
	return stemmerFor(language)(normalizeWord(word)).replace(/'/g, "");
}

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['\u2019][\p{L}\p{M}\p{N}]+)*/gu;

/** Words of a text (letters and digits, Unicode-aware, apostrophes inside a word kept), each stemmed. */
export function stemTokens(text: string, language: string): string[] {
	const stemmer = stemmerFor(language);
	const out: string[] = [];
	for (const match of normalizeWord(text).matchAll(WORD)) {
		const token = stemmer(match[0]).replace(/'/g, "");
		if (token !== "") out.push(token);
	}
	return out;
}
