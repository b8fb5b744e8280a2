import { SPECIAL_LATIN_LETTERS } from "./diacritics";
import { withoutLayoutHints } from "./plain-text";

/**
 * Speaker matching: one folded key per spelling, so that "Lawrow", "LAWROW" and
 * "Lawrów" meet, and a name matcher that tries full names, then surnames.
 *
 * The matcher never guesses between people: at every step it either finds exactly
 * one speaker or, when two or more speakers qualify, gives up (null). There is no
 * general edit-distance tolerance, because one edit separates different people
 * far too often (Gabriel/Gabriele, Andrea/Andreas, Schmidt/Schmitt,
 * Hofmann/Hoffmann, Müller/Möller). Transliteration variants that are not
 * covered by the few rules in `looseToken` (Lawrow/Lavrov, Selenskyj/Zelensky)
 * belong in the speaker's aliases.
 */

type UmlautMode = "strip" | "expand";

/*
 * Deleted rather than turned into spaces: McCune–Reischauer writes aspiration with
 * an apostrophe (Ch'oe = Choe), and "O'Brien" is one word. Includes the acute accent
 * and backtick people type as apostrophes, the Hawaiian/Arabic ʻ ʼ ʾ ʿ, and the
 * Catalan middle dot (l·l).
 */
const APOSTROPHES = /['\u2018\u2019\u201B\u2032\u02B9\u02BB\u02BC\u02BE\u02BF`\u00B4\u00B7\u0387\u2027]/g;

/*
 * Marks are dropped only after scripts where readers treat them as optional
 * (Wŏnsan = Wonsan, Ελλάδα = Ελλαδα, Arabic harakat, Hebrew niqqud). In Hangul,
 * kana and Indic scripts a "mark" is part of the letter (か/が), so it stays.
 */
const OPTIONAL_MARKS = /(\p{Script=Latin}|\p{Script=Greek}|\p{Script=Arabic}|\p{Script=Hebrew})\p{M}+/gu;

/* Latin letters NFKD does not decompose; German convention in the second column. */
const SPECIAL_LETTERS = SPECIAL_LATIN_LETTERS;
const SPECIAL_LETTER_PATTERN = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join("")}]`, "g");

function fold(name: string, umlauts: UmlautMode): string {
	let s = name.replace(APOSTROPHES, "").normalize("NFKD").replace(APOSTROPHES, "");
	if (umlauts === "expand") s = s.replace(/([aouAOU])\u0308/g, "$1e");
	return (
		s
			.replace(OPTIONAL_MARKS, "$1")
			// Russian writes ё as е in most print; й (with its breve) is a different letter.
			.replace(/([еЕ])\u0308/g, "$1")
			.toLowerCase()
			.replace(SPECIAL_LETTER_PATTERN, (ch) => SPECIAL_LETTERS[ch]?.[umlauts === "strip" ? 0 : 1] ?? ch)
			.replace(/ς/g, "σ")
			// A mark left without a base letter (e.g. from a lone "¨") would glue onto the next word.
			.replace(/(?<![\p{L}\p{M}\p{N}])\p{M}+/gu, "")
			.replace(/[^\p{L}\p{M}\p{N}]+/gu, " ")
			.trim()
			// Recomposes what NFKD split and we kept: Hangul syllables, kana with dakuten, й.
			.normalize("NFC")
	);
}

/**
 * Folds a name for comparison: Unicode NFKD, diacritics removed (Wŏnsan → wonsan),
 * German ß → ss, case folded, apostrophes deleted (Ch'oe → choe), punctuation and
 * hyphens to single spaces. Korean romanisations keep their syllables:
 * "Choe Son-hui" and "Ch'oe Sŏn-hŭi" → "choe son hui".
 *
 * Umlauts lose their dots (Müller → muller) rather than becoming "ue": the same
 * letters in Turkish, Hungarian or Finnish names have no "e" spelling, and an
 * English-language source writes "Muller". The matcher also tries the German
 * spelling (see `foldNameGerman`), so "Mueller" still finds "Müller".
 * Non-Latin scripts are kept (Лавров → лавров), not transliterated.
 */
export function foldName(name: string): string {
	return fold(name, "strip");
}

/**
 * The key a spelling is searched by (the desk's speaker type-ahead): `foldName` of the spelling
 * without its layout hints (domain/plain-text), which `foldName` makes word breaks, so
 * "Gutten\u00ADberg", pasted from a page with its soft hyphen, is found by "Guttenberg". Not the
 * stored key (`speaker_aliases.normalized`): a name is kept as written, and the same name
 * pasted again must meet the key it was stored with.
 */
export function searchKeyOf(spelling: string): string {
	return foldName(withoutLayoutHints(spelling));
}

/** Whether a word of the spelling's search key starts the folded query `key` (the type-ahead's rule). */
export function searchKeyMatches(spelling: string, key: string): boolean {
	return ` ${searchKeyOf(spelling)}`.includes(` ${key}`);
}

/**
 * `foldName` with the German convention for umlauts: ä → ae, ö → oe, ü → ue, ø → oe
 * (Müller → mueller, Größe → groesse). Used for slugs and as the matcher's second key.
 */
export function foldNameGerman(name: string): string {
	return fold(name, "expand");
}

/** At most this many umlaut readings of one name are looked up (three ae/oe/ue pairs). */
const MAX_UMLAUT_READINGS = 8;

/**
 * The stored keys (`foldName`) a name typed the German way without umlauts may stand for:
 * "thomas mueller" → "thomas muller", as "Thomas Müller" is kept. Each ae/oe/ue pair may or
 * may not be an umlaut ("Michael Mueller" → "michael muller", not "michal muller"), so
 * every reading is a candidate, the name as typed excluded; to be confirmed with
 * `sameNameGerman`. Empty when the name has no such pair.
 */
export function umlautlessKeys(folded: string): string[] {
	let readings = [""];
	let rest = folded;
	for (let match = /ae|oe|ue/.exec(rest); match; match = /ae|oe|ue/.exec(rest)) {
		const before = rest.slice(0, match.index);
		const pair = match[0];
		readings = readings.flatMap((r) => [`${r}${before}${pair}`, `${r}${before}${pair[0]}`]);
		rest = rest.slice(match.index + 2);
		if (readings.length >= MAX_UMLAUT_READINGS) break;
	}
	return readings.map((r) => `${r}${rest}`).filter((key) => key !== folded);
}

/** The same name in German spelling: "Thomas Mueller" and "Thomas Müller", not "Thomas Muller". */
export function sameNameGerman(a: string, b: string): boolean {
	const key = foldNameGerman(a);
	return key !== "" && key === foldNameGerman(b);
}

/* Lower-case words that belong to the surname: von der Leyen, de Maizière, van Gogh. */
const PARTICLES = new Set([
	"von",
	"vom",
	"van",
	"der",
	"den",
	"ter",
	"ten",
	"zu",
	"zum",
	"zur",
	"de",
	"del",
	"della",
	"des",
	"di",
	"da",
	"das",
	"do",
	"dos",
	"du",
	"la",
	"le",
	"al",
	"el",
	"bin",
	"ibn",
	"ben",
	"af",
	"av",
]);

/* Titles that a source puts before a name but that are no part of it. */
const HONORIFICS = new Set(["dr", "prof", "mr", "mrs", "ms", "herr", "frau"]);

interface NameForm {
	/** Folded full name: "sergei lawrow". */
	full: string;
	/** Folded given names (everything but the surname), "" for one-word names. */
	given: string;
	/** Folded surname keys, the fullest first: ["von der leyen", "leyen"]. */
	surnames: string[];
}

/** A NameForm with its transliteration-tolerant twins, computed once per spelling. */
interface MatchForm extends NameForm {
	compact: string;
	firstWord: string;
	looseFull: string;
	looseGiven: string;
	looseSurnames: string[];
}

/*
 * A romanised Korean name puts the family name first and writes the given name as
 * hyphenated syllables with a lower-case second part (Choe Son-hui, Kim Jong-un,
 * Ch'oe Sŏn-hŭi); European double surnames capitalise both parts (Kramp-Karrenbauer).
 */
function isFamilyNameFirst(raw: readonly string[]): boolean {
	const [first, second] = raw;
	return (
		raw.length === 2 &&
		first !== undefined &&
		second !== undefined &&
		!first.includes("-") &&
		/^\p{Lu}[^-]*-\p{Ll}/u.test(second)
	);
}

function parseName(name: string, umlauts: UmlautMode): NameForm | null {
	let text = name.trim();
	// "Lawrow, Sergei" (library order) means "Sergei Lawrow".
	const comma = /^([^,]+),([^,]+)$/.exec(text);
	if (comma?.[1]?.trim() && comma[2]?.trim()) text = `${comma[2]} ${comma[1]}`;
	const words = text
		.split(/\s+/)
		.map((raw) => ({ raw, folded: fold(raw, umlauts) }))
		.filter((w) => w.folded !== "");
	while (words.length > 1 && HONORIFICS.has(words[0]?.folded ?? "")) words.shift();
	if (words.length === 0) return null;
	const folded = words.map((w) => w.folded);
	const full = folded.join(" ");
	if (words.length === 1) return { full, given: "", surnames: [full] };
	if (isFamilyNameFirst(words.map((w) => w.raw))) {
		return { full, given: folded.slice(1).join(" "), surnames: [folded[0] ?? full] };
	}
	let start = folded.length - 1;
	while (start > 1 && PARTICLES.has(folded[start - 1] ?? "")) start--;
	const surname = folded.slice(start).join(" ");
	const last = folded[folded.length - 1] ?? surname;
	return {
		full,
		given: folded.slice(0, start).join(" "),
		surnames: last === surname ? [surname] : [surname, last],
	};
}

function nameForms(name: string): NameForm[] {
	const forms: NameForm[] = [];
	for (const mode of ["strip", "expand"] as const) {
		const form = parseName(name, mode);
		if (form && !forms.some((f) => f.full === form.full)) forms.push(form);
	}
	return forms;
}

/**
 * The keys a name is matched on, most specific first: the folded full name, then
 * the surname ("Sergei Lawrow" → ["sergei lawrow", "lawrow"]), then the same with
 * German umlaut spelling when it differs ("Thomas Müller" → [..., "thomas mueller",
 * "mueller"]). Surnames include nobiliary particles ("von der leyen", then "leyen");
 * for a Korean romanisation the family name comes first ("Choe Son-hui" → "choe").
 * Honorifics (Dr., Prof., Herr, Frau …) are not part of any key.
 */
export function nameKeys(name: string): string[] {
	const keys: string[] = [];
	for (const form of nameForms(name)) {
		for (const key of [form.full, ...form.surnames]) if (!keys.includes(key)) keys.push(key);
	}
	return keys;
}

/*
 * Transliteration tolerance for the endings of Russian and Ukrainian names, where
 * German, English and scholarly systems disagree on one letter: Sergej/Sergei/Sergey,
 * Nikolaj/Nikolai, Dmitrij/Dmitriy/Dmitrii, Selenskyj/Selenskij. Only word endings
 * and only words of five letters or more change, so short names (Kai/Kay) stay apart.
 */
function looseToken(word: string): string {
	if (word.length < 5) return word;
	if (/[iy][ijy]$/.test(word)) return `${word.slice(0, -2)}i`;
	if (/[aeou][jy]$/.test(word)) return `${word.slice(0, -1)}i`;
	return word;
}

function loose(folded: string): string {
	return folded.split(" ").map(looseToken).join(" ");
}

export interface MatchableSpeaker {
	id: string;
	name: string;
	aliases: readonly string[];
	/** Organisations match on full names and aliases only: "Partei" must not find "Die Linke Partei". */
	kind?: "person" | "organization";
}

export interface SpeakerMatch {
	id: string;
	/** One of `MATCH_SCORES`: how strong the evidence is. */
	score: number;
	/** The speaker's name or alias that matched, as stored. */
	matchedOn: string;
}

/** Scores of the matcher's steps, tried in this order; the first step with a hit decides. */
export const MATCH_SCORES = {
	/** Same folded full name or alias: "LAWROW" = "Lawrow", "Ch'oe Sŏn-hŭi" = "Choe Son-hui". */
	exact: 1,
	/** Same first word, the rest differs only in spacing: "Choe Sonhui" = "Choe Son-hui". */
	spacing: 0.95,
	/** Same but for a transliterated ending: "Sergei Lawrow" = "Sergej Lawrow". */
	transliteration: 0.9,
	/** Given name of one spelling and surname of another: "Sergei Lawrow" from "Sergei Lavrov" + "Lawrow". */
	combined: 0.8,
	/** The query is a person's surname alone: "Lawrow", "von der Leyen", "Choe". */
	surname: 0.7,
	/** A surname with a transliterated ending: "Tolstoy" for "Lew Tolstoj". */
	surnameTransliteration: 0.6,
} as const;

function matchForm(form: NameForm): MatchForm {
	return {
		...form,
		compact: form.full.replaceAll(" ", ""),
		firstWord: form.full.split(" ", 1)[0] ?? "",
		looseFull: loose(form.full),
		looseGiven: loose(form.given),
		looseSurnames: form.surnames.map(loose),
	};
}

interface Spelling {
	speakerId: string;
	raw: string;
	person: boolean;
	forms: MatchForm[];
	/** Loose given names of every spelling of this speaker, for the combined step. */
	givens: Set<string>;
}

type Step = (query: MatchForm, spelling: Spelling, form: MatchForm) => boolean;

const STEPS: readonly (readonly [score: number, step: Step])[] = [
	[MATCH_SCORES.exact, (q, _s, f) => q.full === f.full],
	[
		MATCH_SCORES.spacing,
		(q, _s, f) =>
			q.full.includes(" ") && f.full.includes(" ") && q.firstWord === f.firstWord && q.compact === f.compact,
	],
	[MATCH_SCORES.transliteration, (q, _s, f) => q.looseFull === f.looseFull],
	[
		MATCH_SCORES.combined,
		(q, s, f) => {
			const surname = q.looseSurnames[0];
			return (
				s.person &&
				q.given !== "" &&
				surname !== undefined &&
				f.looseSurnames.includes(surname) &&
				s.givens.has(q.looseGiven)
			);
		},
	],
	[MATCH_SCORES.surname, (q, s, f) => s.person && f.surnames.includes(q.full)],
	[MATCH_SCORES.surnameTransliteration, (q, s, f) => s.person && f.looseSurnames.includes(q.looseFull)],
];

/**
 * Prepares speakers once for many lookups (imports match every row's speaker):
 * returns the matcher `matchSpeaker` would be with these speakers.
 */
export function createSpeakerMatcher(
	speakers: readonly MatchableSpeaker[],
): (query: string) => SpeakerMatch | null {
	const spellings: Spelling[] = [];
	const givensById = new Map<string, Set<string>>();
	for (const speaker of speakers) {
		let givens = givensById.get(speaker.id);
		if (!givens) {
			givens = new Set();
			givensById.set(speaker.id, givens);
		}
		for (const raw of [speaker.name, ...speaker.aliases]) {
			const forms = nameForms(raw).map(matchForm);
			if (forms.length === 0) continue;
			for (const form of forms) if (form.given !== "") givens.add(form.looseGiven);
			spellings.push({
				speakerId: speaker.id,
				raw: raw.trim(),
				person: speaker.kind !== "organization",
				forms,
				givens,
			});
		}
	}
	return (query) => {
		const queryForms = nameForms(query).map(matchForm);
		if (queryForms.length === 0) return null;
		for (const [score, step] of STEPS) {
			const hits = new Map<string, string>();
			for (const spelling of spellings) {
				if (hits.has(spelling.speakerId)) continue;
				const hit = queryForms.some((q) => spelling.forms.some((f) => step(q, spelling, f)));
				if (hit) hits.set(spelling.speakerId, spelling.raw);
			}
			if (hits.size > 1) return null;
			for (const [id, matchedOn] of hits) return { id, score, matchedOn };
		}
		return null;
	};
}

/**
 * Finds the one speaker a name refers to, or null when none or more than one fits.
 * Case, diacritics, apostrophes, hyphens and umlaut spelling do not matter; full
 * names and aliases beat surnames (see `MATCH_SCORES` for the order). A surname
 * shared by two speakers ("Müller" for Anna and Thomas Müller) returns null rather
 * than a guess; so does a query made of a given name alone.
 */
export function matchSpeaker(query: string, speakers: readonly MatchableSpeaker[]): SpeakerMatch | null {
	return createSpeakerMatcher(speakers)(query);
}
