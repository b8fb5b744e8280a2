/**
 * Claim matching: does a new text state a claim we already track?
 *
 * Pure and lexical. A text becomes `MatchFeatures`: stemmed content words (stop words,
 * reporting verbs and auxiliaries dropped, so "X said that …" and Konjunktiv I
 * restatements keep the words that carry the claim), numbers normalised across
 * spellings ("12 percent" = "12%" = "zwölf Prozent"), years, negations, a direction
 * (rose/fell, gestiegen/gesunken), places, quantifiers (all/some), before/after, a side
 * (voted for/against), a number's bound and preposition (almost/more than 500, rose to/by 5
 * percent, from/until 2030), a time said relative to now (last year), whether it is to come or came
 * (will raise, raised) and who did what to whom. Two feature sets compare to a score in 0..1 plus the guards that
 * fired: a difference in any of these never lets two texts be "the same claim", however
 * many words they share.
 *
 * Numbers, years, places and direction become language-neutral tokens ("n:12%",
 * "y:2024", "p:de", "d:+"), so the guards also work between a German and an English
 * text, where the words themselves do not meet (an embedding score does that, see
 * `combineScores`).
 */
import { foldLatinDiacritics } from "./diacritics";
import { ambiguousGroup, canonicalNumber, numberTokens, parseDigits } from "./numbers";
import { stem, stemTokens } from "./stemming";

export type MatchGuard =
	| "number"
	| "year"
	| "negation"
	| "direction"
	| "place"
	| "quantifier"
	| "sequence"
	| "roles"
	| "polarity"
	| "mode"
	| "substitution";
export type MatchRelation = "same" | "similar";

export interface MatchFeatures {
	language: string;
	/** Unique tokens: stems, plus "n:…" numbers, "y:…" years, "p:…" places, "d:+"/"d:-" direction, "m:…" months. */
	tokens: string[];
	/** Canonical non-year numbers with their unit: "12%", "1500000", "3.5". */
	numbers: string[];
	years: string[];
	/** How many negations the text has; an odd count negates the claim (any, in a concord language). */
	negations: number;
	negated: boolean;
	/** Hardly/barely/scarcely/kaum before what happened: next to nothing did ("hardly rose" is not "rose"). */
	hedged: boolean;
	/** Net direction (+1 rose, -1 fell, 0 none or balanced). */
	direction: -1 | 0 | 1;
	/** How many direction words there were: a net 0 from "rose … fell" is not "no direction". */
	directionWords: number;
	/** Place ids (gazetteer) or stems (English "in <Capitalised>"). */
	places: string[];
	/**
	 * Words negated or made positive by a prefix or suffix ("unsicher", "sinnlos"), see `markedWord`;
	 * and the noun after with/without, mit/ohne ("without:passport"), see `accompaniment`.
	 */
	marked: Marked[];
	/** Quantifiers: "all", "some", "most", "few", "many" (all/alle, einige, die meisten…). */
	quantifiers: string[];
	/** "<" before, ">" after (before/after, bevor/nachdem, vor/nach dem …). */
	sequence: string[];
	/**
	 * What a text says of one of its numbers or years: its bound, "nb:500:<" for "almost/up to/under
	 * 500", "nb:500:~" about, "nb:500:>" more than or at least (see `numberBound`); the preposition
	 * before it, "np:5%:to" (to, auf) or "np:5%:by" (by, um), "yp:2030:from" (from, since, after,
	 * ab, seit, nach) or "yp:2030:until" (until, by, before, bis, vor; see `prepositionOf`).
	 */
	tags: string[];
	/**
	 * When, compared as tags are: a time said relative to now, "yr:year:last" (last year, im
	 * vergangenen Jahr), and whether it is to come or came, "mo:will" (will, wants to, soll, plant)
	 * or "mo:did" (raised, hat erhöht); see `timeAndMode`. And a German text's preterites in -te,
	 * "pt:kürz", and the infinitives its plans govern, "vi:kürz", a past only against each other
	 * (see `germanPreterite`).
	 */
	when: string[];
	/** "+" for, "-" against: a vote or a stance (voted for/against, is for/against, in favour of, stimmte für/gegen, dafür/dagegen). */
	polarity: string[];
	/**
	 * Words that make their head another role or body, "deputy:presid" for "vice president",
	 * "former:kanzl" for "Ex-Kanzler", "committee" for "Senate committee" (see `QUALIFIERS`).
	 */
	qualifiers: string[];
	/**
	 * Who does what to whom, see `orderFacts`: "x>y><" x before than/als and y after, "!x>!y>w" two
	 * names around w (a German auxiliary "^"), "!x>!y>@" x acts and the act goes to y, "w>*>by" w
	 * acts and "*>w>by" w is acted on, by a preposition before it (see `caseRoles`).
	 */
	order: string[];
}

/** [token, root, negative, against the bare root]: "unsicher" is ["unsich", "sich", true, true]. */
type Marked = [token: string, root: string, negative: boolean, againstRoot: boolean];

export interface MatchResult {
	score: number;
	guards: MatchGuard[];
}

export interface CompareOptions {
	/** Token weight, e.g. an IDF from the claim index; defaults favour numbers, years and places. */
	weight?: (token: string) => number;
}

// ---------------------------------------------------------------- lexicon

interface Lexicon {
	stop: ReadonlySet<string>;
	negation: RegExp;
	/**
	 * Negative concord: a language whose negative words agree instead of cancelling
	 * ("никто не пришёл", "no vino nadie": nobody came), so any negation negates. In English
	 * and German two negations cancel.
	 */
	concord?: boolean;
	up: RegExp;
	down: RegExp;
	numberWords: ReadonlyMap<string, number>;
	/**
	 * A verb that states the opposite of the verb it governs or stands for ("refused to resign",
	 * "denied he resigned"), read as a negation; `flipsBeforeTo` only with "to" after it ("failed
	 * the test" is no "failed to").
	 */
	flips: RegExp;
	flipsBeforeTo?: RegExp;
	/** Almost/nearly, fast/beinahe: before a verb, it did not happen ("almost won"); before a number, about. */
	almost: RegExp;
	/**
	 * Hardly, barely, scarcely, kaum: "Wages have hardly risen" is another claim than "Wages have
	 * risen" and than "have not risen", so neither a word of the claim nor a negation (see
	 * `hedged`); before a number a bound, "kaum 500" is below 500 as "knapp 500" is.
	 */
	hardly: RegExp;
	/** Quantifiers ("q:all") and before/after ("t:<", "t:>"), read before stop words are dropped. */
	scope: ReadonlyMap<string, string>;
}

const words = (list: string): string[] => list.split(/\s+/).filter(Boolean);

/*
 * Function words, plus what reported speech adds around a claim: reporting verbs,
 * auxiliaries and pronouns ("We have cut" / "he said they had cut"). Negation and
 * direction words are not here: they are read before stop words are dropped. Not "state"
 * and "states": as a noun they carry the claim ("the state government" is not "the federal
 * government", "most states" not "most countries"), and a text saying "the report states"
 * only adds a word. Will, this and the modals stay, read before they are dropped (see
 * `timeAndMode`).
 */
const EN_STOP = words(`a an the and or but if of to in on at by for with from as into onto than that this
 these those there here it its it's is are was were be been being am has have had having do does did done
 will would shall should can could may might must he she they we i you his her their our my your him them us
 me who whom which what when where why how any both such only also just so very too about
 since until while during per said says say saying told tell tells claimed claims claim
 stated according reportedly warned warns predicted promised added explained insisted argued
 around approximately roughly nearly almost went go goes there's`);
const DE_STOP = words(`der die das den dem des ein eine einer eines einem einen und oder aber wenn als wie
 von vom zu zum zur im in ins an am auf aus bei beim mit nach seit für um durch gegen ohne bis ab vor
 ist sind war waren sei seien wäre wären wird werden wurde wurden werde würde würden hat haben hatte hatten
 habe hätte hätten worden gewesen kann können konnte könne muss müssen soll sollen sollte will wollen wollte es er sie wir
 ich ihr man sich sein seine seiner seinen seinem seines ihre ihren ihrem ihrer ihres unser unsere dass daß
 ob so auch noch nur schon sehr ganz mal dies diese dieser dieses diesem diesen hier dort da damit dabei deshalb denn doch sagte sagt sagten erklärte erklärt behauptete behauptet
 betonte betont meinte meint teilte teilt laut zufolge angaben heißt hieß warnte warnt rund etwa circa
 knapp fast beinahe`);

/* Words counted from `start`: numbered("one two", 1) → one 1, two 2. */
function numbered(list: string, start: number, step = 1): [string, number][] {
	return words(list).map((word, i) => [word, start + i * step]);
}

const EN_NUMBERS = Object.fromEntries([
	...numbered(
		"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen",
		1,
	),
	...numbered("twenty thirty forty fifty sixty seventy eighty ninety", 20, 10),
	// Ordinals alone as their value ("the third time"); fractions are read by `denominatorAt`: half
	// is 0.5, "two thirds" 2/3, "a third of" 1/3 ("half" was 2 and "half of Germans" the same claim
	// as "two thirds of Germans"). Not "quarter": "two quarters in a row" is no number.
	["half", 0.5],
	...numbered("third fourth fifth sixth seventh eighth ninth tenth", 3),
	...numbered("thirds fourths fifths sixths sevenths eighths ninths tenths", 3),
]);
const DE_UNITS = "ein zwei drei vier fünf sechs sieben acht neun";
const DE_TENS = "zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig";
const DE_CARDINALS: [string, number][] = [
	...numbered("eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf", 1),
	...numbered("dreizehn vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn", 13),
	...numbered(DE_TENS, 20, 10),
	// einundzwanzig … neunundneunzig
	...numbered(DE_TENS, 20, 10).flatMap(([tens, value]) =>
		numbered(DE_UNITS, 1).map(([unit, n]): [string, number] => [`${unit}und${tens}`, value + n]),
	),
];
/* German ordinals with their endings: "zweite", "dritten", "fünftes" (not "achte": "sie achten auf"). */
const DE_ORDINALS: [string, number][] = [
	...numbered("zweit dritt viert fünft sechst siebt", 2),
	...numbered("neunt zehnt", 9),
].flatMap(([ordinal, value]) =>
	words("e en er es em").map((ending): [string, number] => [ordinal + ending, value]),
);
const DE_NUMBERS = Object.fromEntries([
	...DE_CARDINALS,
	// Ordinals (zum dritten Mal) and fractions alone as their value; "jedes fünfte" is 1/5 (see everyNth).
	...DE_ORDINALS,
	["hälfte", 0.5],
	["anderthalb", 1.5],
	...numbered("drittel viertel fünftel sechstel siebtel achtel neuntel zehntel", 3),
	["hundert", 100],
	["tausend", 1000],
]);

/*
 * A fraction's denominator after a count or an article: "two thirds", "three quarters of", "a
 * fifth of", "zwei Drittel", "ein Fünftel" (see `denominatorAt`); and the ordinals of "every
 * second", "jeder zweite" (see `everyNth`). Each is read as its value, as "one in five" and "drei
 * von vier" are (`ratioAt`): "jeder zweite Deutsche" is "die Hälfte der Deutschen", "two in
 * three" "two thirds"; read as 2 against 0.5 they were kept apart.
 */
const DENOMINATORS: ReadonlyMap<string, number> = new Map([
	...numbered("third fourth fifth sixth seventh eighth ninth tenth", 3),
	...numbered("thirds fourths fifths sixths sevenths eighths ninths tenths", 3),
	["quarter", 4],
	["quarters", 4],
	...numbered("drittel viertel fünftel sechstel siebtel achtel neuntel zehntel", 3),
]);
const EVERY = /^(?:every|jede[nmrs]?)$/;
const ORDINALS: ReadonlyMap<string, number> = new Map([
	["second", 2],
	["other", 2],
	...numbered("third fourth fifth sixth seventh eighth ninth tenth", 3),
	...DE_ORDINALS,
	...words("achte achten achter achtes achtem").map((word): [string, number] => [word, 8]),
]);
/* "5 in 10 years" is no ratio. */
const TIME_UNIT =
	/^(?:years?|months?|weeks?|days?|hours?|minutes?|jahr(?:e|en|es)?|monat(?:e|en)?|woche|wochen|tag(?:e|en)?|stunden?|minuten?)$/;

/*
 * The denominator of a fraction word at lexeme j: German "Drittel", English plurals ("thirds")
 * always; "quarter" only before "of" ("two quarters in a row" is a time); "third", "fifth"
 * unless a noun follows ("a third of", "fell by a third", not "a third term").
 */
function denominatorAt(lexemes: Lexeme[], j: number, lexicon: Lexicon): number | undefined {
	const word = lexemes[j];
	const denominator = word?.kind === "word" ? DENOMINATORS.get(word.lower) : undefined;
	if (denominator === undefined || !word) return undefined;
	const next = lexemes[j + 1];
	if (word.lower.endsWith("tel") || next?.lower === "of") return denominator;
	if (word.lower.startsWith("quarter")) return undefined;
	if (word.lower.endsWith("s")) return denominator;
	return next?.kind !== "word" || lexicon.stop.has(next.lower) ? denominator : undefined;
}

/* "every second", "jedes fünfte": 1/2, 1/5. */
function everyNth(lexemes: Lexeme[], i: number): [number, number] | null {
	const ordinal = EVERY.test(lexemes[i]?.lower ?? "") ? ORDINALS.get(lexemes[i + 1]?.lower ?? "") : undefined;
	return ordinal === undefined ? null : [1 / ordinal, i + 2];
}

/* "one in five", "two out of three", "drei von vier" after a count at `end`: the count's share. */
function ratioAt(lexemes: Lexeme[], end: number, count: number, lexicon: Lexicon): [number, number] | null {
	if (!Number.isInteger(count) || count < 1) return null;
	const word = lexemes[end]?.lower;
	let j = end + 1;
	if (word === "out" && lexemes[end + 1]?.lower === "of") j++;
	else if (word !== "in" && word !== "von") return null;
	const total = lexemes[j];
	let value: number | undefined;
	if (total?.kind === "number" && !/^\d{4}$/.test(total.text))
		value = parseDigits(total.text, lexicon === DE);
	else if (total?.kind === "word" && !ORDINALS.has(total.lower))
		value = lexicon.numberWords.get(foldSharpS(total.lower));
	if (value === undefined || !Number.isInteger(value) || value <= count) return null;
	return TIME_UNIT.test(lexemes[j + 1]?.lower ?? "") ? null : [count / value, j + 1];
}

/*
 * German writes a number as one word: "zweitausend", "zwölftausend", "dreihundertfünfzig",
 * "zweihunderttausend"; and halves as "eineinhalb", "anderthalb", "zweieinhalb". None was in
 * the table, so "Zweitausend Soldaten" had no number and "2.000 Soldaten" one, and the number
 * guard fired on a restatement. ß is read as ss ("dreissig", as Swiss German and keyboards
 * without ß write it).
 */
const foldSharpS = (word: string): string => word.replace(/ß/g, "ss");
// "ein" as in "eintausend", "einhundert", "eineinhalb".
const DE_BELOW_HUNDRED: ReadonlyMap<string, number> = new Map(
	[...DE_CARDINALS, ["ein", 1] as [string, number]].map(([word, value]) => [foldSharpS(word), value]),
);
const DE_HALVES = /^(ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn)einhalb$/;

/* `most` hundreds: 9 before "tausend", 19 alone ("zwölfhundert" is 1,200). */
function germanBelowThousand(word: string, most = 9): number | undefined {
	const at = word.indexOf("hundert");
	if (at < 0) return DE_BELOW_HUNDRED.get(word);
	const hundreds = at === 0 ? 1 : DE_BELOW_HUNDRED.get(word.slice(0, at));
	const rest = word.slice(at + 7);
	const ones = rest === "" ? 0 : DE_BELOW_HUNDRED.get(rest);
	return hundreds === undefined || hundreds > most || ones === undefined ? undefined : hundreds * 100 + ones;
}

function germanNumber(word: string): number | undefined {
	if (word === "anderthalb") return 1.5;
	const half = DE_HALVES.exec(word)?.[1];
	if (half) return (DE_BELOW_HUNDRED.get(half) ?? 0) + 0.5;
	if (!/hundert|tausend/.test(word)) return undefined;
	const at = word.indexOf("tausend");
	if (at < 0) return germanBelowThousand(word, 19);
	const thousands = at === 0 ? 1 : germanBelowThousand(word.slice(0, at));
	const rest = word.slice(at + 7);
	const below = rest === "" ? 0 : germanBelowThousand(rest);
	return thousands === undefined || below === undefined ? undefined : thousands * 1000 + below;
}

/* "word:value …" → a lookup table (a Map: a plain object would answer "constructor"). */
function valueTable(list: string): ReadonlyMap<string, number> {
	return new Map(words(list).map((entry) => [entry.split(":")[0] ?? "", Number(entry.split(":")[1])]));
}
// Not "m": "100 m" is as often metres as millions (readQuantity reads it by a currency).
const MULTIPLIERS_EN = valueTable(
	"dozen:12 hundred:100 thousand:1e3 k:1e3 million:1e6 millions:1e6 mn:1e6 billion:1e9 billions:1e9 bn:1e9 trillion:1e12",
);
// German "Billion" is 10^12; "Milliarde" is the English billion.
const MULTIPLIERS_DE = valueTable(
	"dutzend:12 hundert:100 tausend:1e3 tsd:1e3 k:1e3 million:1e6 millionen:1e6 mio:1e6 milliarde:1e9 milliarden:1e9 mrd:1e9 " +
		"billion:1e12 billionen:1e12",
);

/*
 * "All vaccinated people" is not "some vaccinated people", nor "most Germans" "few Germans";
 * "rose after the reform" is not "rose before it". A text that has one and another that
 * has another (not one that has none: a shortened quote drops "all") are at most similar.
 * German "vor"/"nach" are temporal only before an article ("nach dem Krieg"), see readWord.
 */
/* "q:all=all,every …" → every → "q:all". */
function scopeTable(list: string): ReadonlyMap<string, string> {
	return new Map(
		words(list).flatMap((entry) => {
			const [scope = "", members = ""] = entry.split("=");
			return members.split(",").map((word): [string, string] => [word, scope]);
		}),
	);
}
const EN_SCOPE = scopeTable(
	"q:all=all,every,each,everyone,everybody,everything q:some=some,several q:most=most,majority " +
		"q:few=few,minority q:many=many t:<=before t:>=after",
);
/*
 * "Die wenigsten" are few, "die Mehrzahl" and "der Großteil" most: missing here, "Die meisten
 * Ärzte raten ab" against "Die wenigsten Ärzte raten ab" (0.93) or "Die Mehrzahl …" against "Nur
 * wenige …" were the same claim. Not wenigstens: "at least", a bound.
 */
const DE_SCOPE = scopeTable(
	"q:all=alle,allen,aller,alles,jede,jeder,jedes,jeden,jedem,sämtliche,sämtlichen " +
		"q:some=einige,einigen,einiger,manche,manchen,mancher,mehrere,mehreren " +
		"q:most=meisten,meiste,allermeisten,mehrheit,mehrzahl,großteil,grossteil " +
		"q:few=wenige,wenigen,wenigste,wenigsten,allerwenigsten,minderheit q:many=viele,vielen,vieler t:<=bevor,vorher,zuvor,vor " +
		"t:>=nachdem,nachher,danach,anschließend,nach",
);

const EN: Lexicon = {
	stop: new Set(EN_STOP),
	// Not "nor": "neither … nor" is one negation.
	// "didnt", "isnt": typed without the apostrophe.
	negation:
		/^(?:not|no|never|none|nobody|nothing|nowhere|neither|cannot|(?:did|does|do|is|was|are|were|has|have|had|could|would|should|wo|ca)nt)$|n't$/,
	flips: /^(?:den(?:y|ies|ied|ying))$/,
	flipsBeforeTo: /^(?:refus(?:e|es|ed|ing)|fail(?:s|ed|ing)?)$/,
	almost: /^(?:almost|nearly)$/,
	hardly: /^(?:hardly|barely|scarcely)$/,
	up: /^(?:rose|rise[sn]?|rising|increas(?:e|es|ed|ing)|grew|grow(?:s|n|ing)?|up|more|higher|highest|above|doubled?|tripled?|tenfold|soar(?:s|ed|ing)?|skyrocket(?:s|ed|ing)?|surg(?:e|es|ed|ing)|climb(?:s|ed|ing)?|jump(?:s|ed)?|rais(?:e|es|ed|ing)|boost(?:s|ed|ing)?|hiked|faster|stronger|bigger|larger|exceed(?:s|ed)?|expensive)$/,
	down: /^(?:fell|fall(?:s|en|ing)?|decreas(?:e|es|ed|ing)|drop(?:s|ped|ping)?|declin(?:e|es|ed|ing)|down|less|fewer|lower(?:s|ed|ing)?|lowest|below|shr(?:ank|unk|inks?|inking)|halved|plung(?:e|es|ed|ing)|plummet(?:s|ed|ing)?|slump(?:s|ed|ing)?|collaps(?:e|es|ed|ing)|slash(?:es|ed|ing)?|tumbl(?:e|es|ed|ing)|sank|sunk|sinks?|cut(?:s|ting)?|reduc(?:e|es|ed|ing)|slower|weaker|smaller|cheaper)$/,
	numberWords: new Map(Object.entries(EN_NUMBERS)),
	scope: EN_SCOPE,
};
const DE: Lexicon = {
	stop: new Set(DE_STOP),
	negation:
		/^(?:nicht|nie|niemals|nirgends|nirgendwo|niemand|nichts|weder|kein(?:e|en|em|er|es)?|keineswegs|keinesfalls|mitnichten)$/,
	flips: /^(?:verweiger(?:t|te|ten|n|e)|bestr(?:eitet|eiten|eite|itt|itten))$/,
	almost: /^(?:fast|beinahe)$/,
	hardly: /^kaum$/,
	up: /^(?:(?:an)?gestiegen|steig(?:t|en|end|ende[nmrs]?)?|stieg(?:en)?|anstieg|zugenommen|zunahme|mehr|höher|höchste[nmrs]?|gewachsen|wächst|wuchs|wachsen|verdoppelt|verdreifacht|verzehnfacht|erhöh(?:t|te|ten|en|ung)|zugelegt|zuwachs|angehoben|anheb(?:en|t|ung)|anhob(?:en)?|zunehm(?:en|end)|zunimmt|zunahm(?:en)?|gesteigert|steiger(?:t|n|te|ten|ung)|stärker|größer|schneller|teurer)$/,
	down: /^(?:gesunken|sink(?:t|en|end)?|sank(?:en)?|gefallen|fällt|fiel(?:en)?|gesenkt|senk(?:t|te|ten|en|ung)|abgenommen|abnahme|abnehm(?:en|end)|abnimmt|abnahm(?:en)?|eingebrochen|einbr(?:echen|ach|achen|icht)|zurückg(?:eht|ehen|ing|ingen)|abgestürzt|weniger|niedriger|niedrigste[nmrs]?|geringer|zurückgegangen|rückgang|halbiert|geschrumpft|schrumpf(?:t|en)|verringert|reduziert|gekürzt|kürzt|schwächer|kleiner|langsamer|billiger|günstiger)$/,
	numberWords: new Map(Object.entries(DE_NUMBERS).map(([word, value]) => [foldSharpS(word), value])),
	scope: DE_SCOPE,
};
/* Neither German nor English: both lists, since claims quote either (and no stemming applies). */
const OTHER: Lexicon = {
	stop: new Set([...EN_STOP, ...DE_STOP]),
	negation: new RegExp(`${EN.negation.source}|${DE.negation.source}`),
	flips: new RegExp(`${EN.flips.source}|${DE.flips.source}`),
	...(EN.flipsBeforeTo ? { flipsBeforeTo: EN.flipsBeforeTo } : {}),
	almost: new RegExp(`${EN.almost.source}|${DE.almost.source}`),
	hardly: new RegExp(`${EN.hardly.source}|${DE.hardly.source}`),
	up: new RegExp(`${EN.up.source}|${DE.up.source}`),
	down: new RegExp(`${EN.down.source}|${DE.down.source}`),
	numberWords: new Map([...EN.numberWords, ...DE.numberWords]),
	scope: new Map([...EN_SCOPE, ...DE_SCOPE]),
};

/*
 * Languages with negative concord: their own negations, so "Россия не нападала" is not
 * "Россия нападала". Not the English and German lists besides: Portuguese "no" is "in the".
 */
const CONCORD_NEGATIONS: Readonly<Record<string, RegExp>> = {
	ru: /^(?:не|нет|ни|никогда|никто|ничего|нигде|нельзя)$/,
	uk: /^(?:не|ні|немає|ніколи|ніхто|нічого|ніде)$/,
	pl: /^(?:nie|nigdy|nikt|nic|nigdzie|żaden|żadna|żadne|żadnych)$/,
	es: /^(?:no|nunca|jamás|nadie|nada|ningún|ninguna|ninguno|tampoco)$/,
	pt: /^(?:não|nunca|jamais|ninguém|nada|nenhum|nenhuma)$/,
	it: /^(?:non|mai|nessuno|nessuna|niente|nulla)$/,
	// The lexer keeps "n'a" whole: an elided "n'" negates as "ne" does.
	fr: /^(?:ne|pas|jamais|aucun|aucune|rien|nul|nulle)$|^n['’]/,
};
const CONCORD: Readonly<Record<string, Lexicon>> = Object.fromEntries(
	// No quantifiers: Italian "alle" is "to the".
	Object.entries(CONCORD_NEGATIONS).map(([tag, negation]) => [
		tag,
		{ ...OTHER, negation, concord: true, scope: new Map() },
	]),
);

function lexiconFor(language: string): Lexicon {
	const tag = language.toLowerCase();
	if (tag.startsWith("de")) return DE;
	if (tag.startsWith("en")) return EN;
	const primary = tag.split("-")[0] ?? "";
	// Own keys only: "constructor" is no language with a lexicon of its own.
	return Object.hasOwn(CONCORD, primary) ? (CONCORD[primary] ?? OTHER) : OTHER;
}

const MONTHS = new Map<string, number>();
// Full names only: "Jan", "Mar" and "may" are names and verbs too often.
words(
	"january|januar february|februar march|märz april may|mai june|juni july|juli august " +
		"september|sept october|oktober november december|dezember",
).forEach((names, index) => {
	for (const name of names.split("|")) MONTHS.set(name, index + 1);
});

/*
 * A small gazetteer (both languages, adjectives and demonyms included: "Ukrainian
 * refugees" = "refugees from Ukraine"), matched by stem so German inflections meet.
 * German capitalises every noun, so capitalisation alone cannot find places there.
 */
const PLACE_TABLE = `de:germany german germans deutschland deutsch|at:austria austrian österreich österreichisch
|ch:switzerland swiss schweiz schweizer|fr:france french frankreich französisch|pl:poland polish polen polnisch
|uk:uk britain british großbritannien britisch|us:usa america american amerikanisch|ru:russia russian russians russland russisch
|ua:ukraine ukrainian ukrainians ukrainisch|eu:eu europe european europa europäisch|ez:eurozone euroraum
|it:italy italian italien italienisch|es:spain spanish spanien spanisch|nl:netherlands dutch niederlande niederländisch
|se:sweden swedish schweden schwedisch|dk:denmark danish dänemark dänisch|no:norway norwegian norwegen norwegisch
|hu:hungary hungarian ungarn ungarisch|gr:greece greek griechenland griechisch|pt:portugal portuguese portugiesisch
|tr:turkey turkish türkei türkisch|sy:syria syrian syrien syrisch|af:afghanistan afghan afghanisch
|il:israel israeli israelisch|ps:gaza palestine palestinian palästina palästinensisch|ir:iran iranian iranisch
|cn:china chinese chinesisch|in:india indian indien indisch|kp:nordkorea nordkoreanisch|ge:georgia georgien
|blr:belarus belarusian belarussisch|by:bavaria bavarian bayern bayerisch|sn:saxony saxon sachsen sächsisch
|th:thuringia thüringen thüringisch|bb:brandenburg|be:berlin|hh:hamburg|hb:bremen|he:hesse hessen hessisch
|ni:niedersachsen|nw:nrw|bw:baden-württemberg|st:sachsen-anhalt|mv:mecklenburg-vorpommern
|sh:schleswig-holstein|rp:rheinland-pfalz|sl:saarland|muc:munich münchen|cgn:cologne köln|fra:frankfurt
|lon:london|par:paris|mow:moscow moskau|iev:kyiv kiev kiew|hrk:kharkiv charkiw|kursk:kursk
|belgorod:belgorod|donetsk:donetsk donezk|luhansk:luhansk lugansk|crimea:crimea krim|zap:zaporizhzhia saporischschja
|kherson:kherson cherson|sudzha:sudzha sudscha|eng:england english|wal:wales|sco:scotland schottland`;
const PLACE_BIGRAMS: Record<string, string> = {
	"united states": "us",
	"vereinigte staaten": "us",
	"north korea": "kp",
	"north korean": "kp",
	"lower saxony": "ni",
	"nordrhein westfalen": "nw",
	"north rhine": "nw",
	"baden württemberg": "bw",
	"sachsen anhalt": "st",
	"saxony anhalt": "st",
	"west midlands": "wmid",
	"new york": "nyc",
	"mecklenburg vorpommern": "mv",
	"schleswig holstein": "sh",
	"rheinland pfalz": "rp",
};
const PLACES = { en: new Map<string, string>(), de: new Map<string, string>() };
for (const entry of PLACE_TABLE.split("|")) {
	const [id = "", names = ""] = entry.trim().split(":");
	// Hyphenated names are read as bigrams (the lexer splits at hyphens).
	for (const name of words(names).filter((n) => !n.includes("-"))) {
		for (const language of ["en", "de"] as const) {
			const key = stem(name, language);
			PLACES[language].set(key, id);
			// Written without marks ("Koln", "Osterreich"), as the index compares words.
			const folded = foldLatinDiacritics(key);
			if (!PLACES[language].has(folded)) PLACES[language].set(folded, id);
		}
	}
}
const FOLDED_BIGRAMS = new Map(
	Object.entries(PLACE_BIGRAMS).map(([name, id]) => [foldLatinDiacritics(name), id] as const),
);
/* English: "in Chicago", "from Baltimore" — a capitalised word after these is probably a place. */
const PLACE_PREPOSITIONS = new Set(["in", "from", "into", "across", "near", "to", "at"]);
const NOT_PLACES = new Set(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);

/*
 * Opposites made with a prefix or suffix: "unsicher" against "sicher", "ineffective" against
 * "effective", "verfassungswidrig" against "verfassungsgemäß". Their stems meet by prefix or
 * suffix (partialCredit), so they scored 0.8–0.96 and were "same"; now such a pair is a
 * negation. A prefix counts only against the bare word in the other text ("information"
 * negates nothing unless the other text says "formation" instead); "in-" is "im-" before b, m,
 * p, "il-" before l, "ir-" before r. English "-ful" is stemmed away, so "-less" meets the bare
 * stem; German suffixes meet each other only ("Arbeit" is no opposite of "arbeitslos").
 */
const NEGATING_PREFIX: Readonly<Record<string, RegExp>> = {
	en: /^(?:un|dis|non|mis|in(?![bmplr])|im(?=[bmp])|il(?=l)|ir(?=r))(\p{L}{4,})$/u,
	de: /^(?:un|miss|nicht|in(?![bmplr])|im(?=[bmp])|il(?=l)|ir(?=r))(\p{L}{4,})$/u,
};
// On the folded stem; the root loses a linking s (rechtswidrig ~ rechtmäßig).
const DE_POLAR_SUFFIX = /^(\p{L}{3,}?)s?(?:(gemass|mass|voll|haft|reich|pflicht)|widr|los|frei)$/u;

const stemmedWord = (text: string, language: string): string =>
	stem(text, language).replace(/[^\p{L}\p{N}]/gu, "");
/* A word's token, as `readWord` makes it. */
const wordToken = (text: string, language: string): string =>
	foldLatinDiacritics(stemmedWord(text, language));

function markedWord(lower: string, token: string, language: string): Marked | null {
	const tag = language.slice(0, 2).toLowerCase();
	// "non-violent", "non-binding", "Non-EU": the lexer keeps them one word (split, "non" was a word
	// of its own and "non-violent" the same claim as "violent"); the root may be short, or a place.
	const hyphenated = /^non-(.+)$/.exec(lower)?.[1];
	if (hyphenated) {
		const root = stemmedWord(hyphenated, tag);
		const place = placeOf(root, language);
		return [token, place === undefined ? foldLatinDiacritics(root) : `p:${place}`, true, true];
	}
	const base = NEGATING_PREFIX[tag]?.exec(lower)?.[1];
	if (base) return [token, foldLatinDiacritics(stem(base, tag)), true, true];
	if (tag === "en" && token.endsWith("less") && token.length > 6) {
		return [token, stem(token.slice(0, -4), tag), true, true];
	}
	const suffix = tag === "de" ? DE_POLAR_SUFFIX.exec(token) : null;
	return suffix ? [token, suffix[1] ?? "", suffix[2] === undefined, false] : null;
}

// ---------------------------------------------------------------- lexer

type LexemeKind = "date" | "number" | "word" | "symbol" | "break";
interface Lexeme {
	kind: LexemeKind;
	text: string;
	lower: string;
	/* A word in s with an apostrophe after it, a plural's possessive: "the protesters' attacks". */
	possessive?: boolean;
}

/*
 * In order: a numeric date; a number (a minus sign not glued to a word or number, so
 * "10-15" stays a range; thousands groups as in 1,300, 1.300 or 1 300 with a space of any
 * width, as the search reads them: "300 000" is one number, not 300 and 0; a plain space
 * only after one to three digits, so "2023 100" stays a year and a number; then a decimal
 * part); a word ("COVID-19" and "F-16" stay one name rather than becoming a number;
 * "non-violent" one word, as "nonviolent" is, see `markedWord`); a currency or percent sign, or
 * a bound written as a sign ("200+", "<10,000", "≥ 5", see `SYMBOL_BOUNDS`); punctuation (a
 * comma and a dash too: they may end the clause a German verb's separated particle closes,
 * "nimmt zu, sagte er", "nimmt zu – …").
 */
const LEXEME =
	/(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})|((?:(?<![\p{L}\p{N}])[-\u2212])?(?:\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3}(?!\d))+|\d+(?:[.,\u00a0\u202f]\d{3}(?!\d))*)(?:[.,]\d+)?)|((?:[Nn][Oo][Nn]-(?=\p{L}))?\p{L}[\p{L}\p{M}\p{N}]*(?:-\d+(?!\d))?(?:['\u2019][\p{L}\p{M}]+)*)|([%€$£+<>≤≥])|([.,!?;:"“”„«»()\n\u2013\u2014]|(?<=\s)-(?=\s))/gu;
const KINDS: LexemeKind[] = ["date", "number", "word", "symbol", "break"];

function lex(text: string): Lexeme[] {
	const out: Lexeme[] = [];
	// Unicode's hyphen and non-breaking hyphen are the ASCII one ("COVID‑19" is "COVID-19").
	const normalized = text.normalize("NFC").replace(/[\u2010\u2011]/g, "-");
	for (const match of normalized.matchAll(LEXEME)) {
		const group = match.slice(1).findIndex((g) => g !== undefined);
		const kind = KINDS[group] ?? "break";
		const lower = match[0].toLowerCase().replace(/\u2019/g, "'");
		const after = match.index + match[0].length;
		// The apostrophe no word takes: "protesters' " (not "'s", the word's own).
		const possessive =
			kind === "word" &&
			lower.endsWith("s") &&
			/^['\u2019](?![\p{L}\p{N}])/u.test(normalized.slice(after, after + 2));
		const clitic = kind === "word" ? CLITIC.exec(lower) : null;
		if (clitic) out.push(...written(match[0], clitic));
		else out.push(possessive ? { kind, text: match[0], lower, possessive } : { kind, text: match[0], lower });
	}
	return out.map((lexeme, i) => (lexeme.lower === "'d" ? wouldOrHad(out[i + 1], out[i + 2]) : lexeme));
}

/*
 * A pronoun's contraction, its auxiliary written out: "we'll" is "we will", "they've" "they
 * have", "you're" "you are", "I'm" "I am", and "he'd" "he would" or, before a participle, "he
 * had". As one word it was none of these: "Scholz: We'll raise the minimum wage" had no will
 * and was the same claim as "We raised …", and "we'll" was the word "well". Not 's (is, has or
 * a possessive) and not n't (see `uncontracted`, as the negation reads it whole).
 */
const CLITIC = /^(i|you|he|she|it|we|they|that|there|this|who|what)'(ll|ve|re|m|d)$/;
const CLITIC_AUXILIARY: Readonly<Record<string, string>> = { ll: "will", ve: "have", re: "are", m: "am" };

function written(text: string, [, pronoun = "", clitic = ""]: RegExpExecArray): Lexeme[] {
	const auxiliary = CLITIC_AUXILIARY[clitic] ?? "'d";
	return [
		{ kind: "word", text: text.slice(0, pronoun.length), lower: pronoun },
		{ kind: "word", text: auxiliary, lower: auxiliary },
	];
}

/*
 * 'd before a participle is had ("he'd raised", "she'd been"), also past one adverb ("he'd never
 * raised"), else would ("he'd raise", "he'd cut"). A participle is -ed but not -eed ("he'd need")
 * or a listed -en one: "he'd tighten", "he'd open" are infinitives.
 */
function wouldOrHad(next: Lexeme | undefined, after?: Lexeme): Lexeme {
	let word = next?.kind === "word" ? next.lower : "";
	if (
		/^(?:never|already|just|ever|always|also|not|previously|long|recently|personally|only|even|once)$/.test(
			word,
		)
	)
		word = after?.kind === "word" ? after.lower : "";
	const participle =
		(/\p{L}{2}ed$/u.test(word) && !/eed$/.test(word)) ||
		/^(?:been|seen|taken|given|known|shown|grown|thrown|drawn|flown|written|driven|broken|chosen|spoken|stolen|frozen|eaten|fallen|forgotten|gotten|hidden|ridden|risen|shaken|beaten|bitten|proven|sworn|worn|torn|born|borne)$/.test(
			word,
		) ||
		/^(?:been|done|gone|had|got|made)$/.test(word) ||
		(EN_PAST.test(word) && !BASE_PAST.test(word));
	const auxiliary = participle ? "had" : "would";
	return { kind: "word", text: auxiliary, lower: auxiliary };
}

// ---------------------------------------------------------------- numbers

interface Quantity {
	value: number;
	/* "?": read two ways ("1.234" in English, "12m" without a currency), equal only to itself. */
	unit: "" | "%" | "pp" | "?";
	year: boolean;
	/* Index after the last lexeme read. */
	end: number;
	/* Digits as an FTS5 index sees them (it splits 1.300 into 1 and 300): the first group. */
	queryDigits: string | null;
}

function numberWord(lexemes: Lexeme[], i: number, lexicon: Lexicon): [number, number] | null {
	const first = lexemes[i];
	if (first?.kind !== "word") return null;
	const folded = foldSharpS(first.lower);
	const nth = everyNth(lexemes, i);
	if (nth) return nth;
	const value = lexicon.numberWords.get(folded) ?? (lexicon === EN ? undefined : germanNumber(folded));
	const next = lexemes[i + 1];
	// "eine halbe Million", "half a million": 0.5 of the multiplier.
	if (/^halbe?n?$/.test(folded) && next && multiplier(next, lexicon)) return [0.5, i + 1];
	const after = lexemes[i + 2];
	if (folded === "half" && /^an?$/.test(next?.lower ?? "") && after && multiplier(after, lexicon)) {
		return [0.5, i + 2];
	}
	if (value === undefined) {
		// "a million", "eine Million", "a third of", "ein Drittel": the article is the 1.
		const article = /^(?:a|an|one|ein|eine|einer|einem|einen)$/.test(first.lower);
		return article && next && (multiplier(next, lexicon) || denominatorAt(lexemes, i + 1, lexicon))
			? [1, i + 1]
			: null;
	}
	const unit = lexemes[i + 1];
	const unitValue = unit?.kind === "word" ? lexicon.numberWords.get(unit.lower) : undefined;
	// "twenty-five" / "twenty five"
	if (value >= 20 && value % 10 === 0 && value < 100 && unitValue !== undefined && unitValue < 10) {
		return [value + unitValue, i + 2];
	}
	// "one and a half (million)": 1.5, as "1.5 million" is.
	const [and, article, half] = lexemes.slice(i + 1, i + 4).map((lexeme) => lexeme.lower);
	if (and === "and" && /^an?$/.test(article ?? "") && half === "half" && Number.isInteger(value)) {
		return [value + 0.5, i + 4];
	}
	return [value, i + 1];
}

function multiplier(lexeme: Lexeme, lexicon: Lexicon): number | undefined {
	if (lexeme.kind !== "word") return undefined;
	const table = lexicon === DE ? MULTIPLIERS_DE : lexicon === EN ? MULTIPLIERS_EN : undefined;
	return table
		? table.get(lexeme.lower)
		: (MULTIPLIERS_EN.get(lexeme.lower) ?? MULTIPLIERS_DE.get(lexeme.lower));
}

function readUnit(lexemes: Lexeme[], i: number): [Quantity["unit"], number] {
	const a = lexemes[i]?.lower ?? "";
	const b = lexemes[i + 1]?.lower ?? "";
	if (/^prozentpunkte?n?$/.test(a) || (a === "percentage" && /^points?$/.test(b))) {
		return ["pp", a === "percentage" ? i + 2 : i + 1];
	}
	if (a === "%" || a === "percent" || a === "pct" || a === "prozent") return ["%", i + 1];
	if (a === "per" && b === "cent") return ["%", i + 2];
	return ["", i];
}

const CURRENCY_WORD = /^(?:dollars?|euros?|pounds?|usd|eur|gbp)$/;
const CURRENCY_SIGN = /^[€$£]$/;
/* A currency's code before its number: "EUR 500", "CHF 20". */
const CURRENCY_CODE = /^(?:usd|eur|gbp|chf)$/;

const isCurrencySign = (lexeme: Lexeme | undefined): boolean =>
	lexeme?.kind === "symbol" && CURRENCY_SIGN.test(lexeme.text);

/* A currency sign before the number at lexeme i, or a currency after its end. */
function currencyAround(lexemes: Lexeme[], i: number, end: number): boolean {
	return (
		isCurrencySign(lexemes[i - 1]) ||
		isCurrencySign(lexemes[end]) ||
		CURRENCY_WORD.test(lexemes[end]?.lower ?? "")
	);
}

/*
 * Where the number at lexeme i begins with its currency before it: "$2", "US$2", "EUR 2". A bound
 * or preposition stands before the currency ("almost $2 billion", "rose to $5 billion"); read only
 * right before the number, they were missed, and "almost $2 billion" was "over $2 billion".
 */
function currencyStart(lexemes: Lexeme[], i: number): number {
	const before = lexemes[i - 1];
	if (before?.kind === "word" && CURRENCY_CODE.test(before.lower)) return i - 1;
	if (!isCurrencySign(before)) return i;
	return lexemes[i - 2]?.text === "US" ? i - 2 : i - 1;
}

/* Where a number at lexeme i starts past a currency before it (see currencyStart). */
function pastCurrency(lexemes: Lexeme[], i: number): number {
	const at = lexemes[i];
	if (at?.text === "US" && isCurrencySign(lexemes[i + 1])) return i + 2;
	return isCurrencySign(at) || (at?.kind === "word" && CURRENCY_CODE.test(at.lower)) ? i + 1 : i;
}

/* A number at lexeme i, in digits or words, with its multipliers and unit; null if none starts there. */
function readQuantity(lexemes: Lexeme[], i: number, lexicon: Lexicon): Quantity | null {
	const first = lexemes[i];
	if (!first) return null;
	let value: number;
	let end: number;
	if (first.lower === "minus") {
		// "minus 0,3 Prozent" is -0.3 %, not the 0.3 % of the claim it contradicts.
		const q = readQuantity(lexemes, i + 1, lexicon);
		return q && { ...q, value: -q.value, year: false };
	}
	let twoWays = false;
	if (first.kind === "number") {
		const sign = /^[-\u2212]/.test(first.text) ? -1 : 1;
		const digits = first.text.replace(/^[-\u2212]/, "");
		value = sign * parseDigits(digits, lexicon === DE);
		twoWays = lexicon !== OTHER && ambiguousGroup(digits, lexicon === DE);
		end = i + 1;
	} else {
		const word = numberWord(lexemes, i, lexicon);
		if (!word) return null;
		[value, end] = word;
	}
	// "two thirds" is 2/3, one value; "two in three" too.
	const denominator =
		Number.isInteger(value) && value >= 1 ? denominatorAt(lexemes, end, lexicon) : undefined;
	const ratio = denominator === undefined ? ratioAt(lexemes, end, value, lexicon) : null;
	if (denominator !== undefined) {
		value /= denominator;
		end++;
	} else if (ratio) [value, end] = ratio;
	let scaled = false;
	for (let next = lexemes[end]; next; next = lexemes[end]) {
		const factor = multiplier(next, lexicon);
		if (factor === undefined) break;
		value *= factor;
		scaled = true;
		end++;
	}
	if (lexemes[end]?.lower === "m") {
		// "$12m", "12m euros" are millions; "12m" alone may be metres: equal only to "12m".
		if (currencyAround(lexemes, i, end + 1)) {
			value *= 1e6;
			scaled = true;
		} else twoWays = true;
		end++;
	}
	const [unit, afterUnit] = twoWays ? (["?", end] as const) : readUnit(lexemes, end);
	// A bare 1900–2100 is a year: "2000 people" is misread, "2,000" and "2.000 Menschen" are not.
	const year = first.kind === "number" && /^\d{4}$/.test(first.text) && value >= 1900 && value <= 2100;
	const digits = first.kind === "number" ? (/\d+/.exec(first.text)?.[0] ?? null) : null;
	return {
		value,
		unit,
		year: year && !scaled && unit === "",
		end: afterUnit,
		queryDigits: digits && digits.length >= 2 ? digits : null,
	};
}

// ---------------------------------------------------------------- features

interface Collector {
	tokens: Set<string>;
	numbers: Set<string>;
	years: Set<string>;
	places: Set<string>;
	marked: Marked[];
	quantifiers: Set<string>;
	sequence: Set<string>;
	polarity: Set<string>;
	qualifiers: Set<string>;
	tags: Set<string>;
	when: Set<string>;
	/* A German text's preterites and infinitives, "pt:…" and "vi:…" (see germanPreterite). */
	verbForms: Set<string>;
	/* Word tokens in text order, "!" before a name, "<" for than/als, "|" between sentences. */
	order: string[];
	/* Who acts on whom by a preposition, "w>*>by" and "*>w>by" (see caseRoles). */
	caseFacts: Set<string>;
	negations: number;
	hedges: number;
	up: number;
	down: number;
	/* FTS5 terms: digits first, then places, then other stems. */
	numberTerms: string[];
	placeTerms: string[];
	wordTerms: string[];
}

interface WordContext {
	lexicon: Lexicon;
	language: string;
	sentenceStart: boolean;
	/* An English headline in Title Case (see `titleCase`): its mode is read as in lower case. */
	titled?: boolean;
}

const CURRENCIES = new Map([
	["€", "euro"],
	["$", "dollar"],
	["£", "pound"],
]);

/*
 * A number's bound, read from the words before it (an article skipped: "mehr als die Hälfte"):
 * "<" below or at most (almost, nearly, under, only, up to, at most, knapp, fast, unter, nur, bis
 * zu, höchstens), "~" about (about, around, some, rund, etwa, um die), ">" above or at least
 * (over, more than, at least, über, mehr als, mindestens). "Almost 500 died" and "more than 500
 * died" shared every word and number and were the same claim. Compared only when both texts
 * bound the same number: "about 500" against a bare "500" is a shortened quote; and about meets
 * either side ("knapp 500" and "rund 500" are one count, rounded), so only below against above
 * tells two claims apart (see `tagged`).
 */
const BOUNDS: ReadonlyMap<string, string> = new Map(
	words(
		"<=almost,nearly,under,below,only,just,merely,less_than,fewer_than,up_to,at_most,no_more_than,barely,hardly,scarcely," +
			"knapp,fast,beinahe,unter,nur,lediglich,höchstens,maximal,weniger_als,bis_zu,nicht_mehr_als,kaum " +
			"~=about,around,approximately,roughly,some,circa,ca,close_to,rund,etwa,ungefähr,um_die,an_die " +
			">=over,above,more_than,at_least,upwards_of,in_excess_of,über,mehr_als,mindestens,wenigstens,gut",
	).flatMap((entry) => {
		const [bound = "", phrases = ""] = entry.split("=");
		return phrases.split(",").map((phrase): [string, string] => [phrase.replace(/_/g, " "), bound]);
	}),
);

/*
 * The same bounds written after the number, or after the number and its noun: "500 or more",
 * "500 young families or fewer", "500 families, or more,", "500 oder mehr", "300 neue Stellen
 * und mehr"; and as a sign, "200+", "200-plus" (see `SYMBOL_BOUNDS`). "500 or more" against "fewer
 * than 500" shared every word and number and was the same claim. Not when a number follows
 * ("500 or more than 600" compares two, "200 plus 300" adds).
 */
const BOUNDS_AFTER: ReadonlyMap<string, string> = new Map(
	words(
		"<=or_fewer,or_less,or_below,or_under,and_fewer,and_less,and_below,and_under,oder_weniger,und_weniger,oder_darunter,und_darunter " +
			">=or_more,or_above,or_over,or_higher,and_more,and_above,and_over,and_up,oder_mehr,und_mehr,oder_darüber,und_darüber",
	).flatMap((entry) => {
		const [bound = "", phrases = ""] = entry.split("=");
		return phrases.split(",").map((phrase): [string, string] => [phrase.replace(/_/g, " "), bound]);
	}),
);
/* A bound written as a sign: "<10,000", "≤ 5", "≥ 5" before the number, "200+" after it. */
const SYMBOL_BOUNDS: ReadonlyMap<string, string> = new Map([
	["<", "<"],
	["≤", "<"],
	[">", ">"],
	["≥", ">"],
]);

/* At most this many words between a number and its bound after: its noun and adjectives. */
const NOUN_RUN = 3;
/*
 * A verb ends a number's noun: "500 people died or more were hurt" bounds nothing. English past
 * forms that are no adjectives, and any -ed/-ing word right before the bound ("500 injured
 * people or more" is a noun run); in German the noun before the bound is capitalised ("300 neue
 * Stellen oder mehr", not "300 Menschen starben oder mehr").
 */
const EN_PAST =
	/^(?:came|went|fled|left|lost|won|fought|got|made|took|saw|ran|gave|held|kept|paid|sold|bought|built|brought|caught|found|heard|met|sent|spent|stood|told|thought|became|began|fell|rose|grew|sank|shot|struck|stole|drove|flew|hid|hit|hurt|led|quit|cut|put|shut|spread|cost|beat|let|cast|set|burst|sat|spoke|threw|wrote|said)$/;

function inNounRun(lexemes: Lexeme[], j: number, last: boolean, lexicon: Lexicon): boolean {
	const word = lexemes[j];
	if (word?.kind !== "word") return false;
	const { lower } = word;
	if (lexicon.stop.has(lower) || lexicon.negation.test(lower) || lexicon.up.test(lower)) return false;
	if (lexicon.down.test(lower) || VOTE.test(lower)) return false;
	if (lexicon === DE) return !last || /^\p{Lu}/u.test(word.text);
	return !EN_PAST.test(lower) && !(last && /(?:ed|ing)$/.test(lower));
}

/** A bound after the number that ends at `end`: [the bound, the first and the end of its lexemes]. */
function boundAfter(lexemes: Lexeme[], end: number, lexicon: Lexicon): [string, number, number] | undefined {
	const sign = lexemes[end];
	if ((sign?.kind === "symbol" && sign.text === "+") || sign?.lower === "plus") {
		return readQuantity(lexemes, end + 1, lexicon) ? undefined : [">", end, end + 1];
	}
	for (let at = end; at <= end + NOUN_RUN; at++) {
		// "500 families, or more, lost …": a comma before the bound and after it.
		const from = lexemes[at]?.text === "," ? at + 1 : at;
		const [first, second] = [lexemes[from], lexemes[from + 1]];
		const bound =
			first?.kind === "word" && second?.kind === "word"
				? BOUNDS_AFTER.get(`${first.lower} ${second.lower}`)
				: undefined;
		if (bound) {
			const next = lexemes[from + 2]?.text === "," ? from + 3 : from + 2;
			if (/^(?:than|als)$/.test(lexemes[next]?.lower ?? "") || readQuantity(lexemes, next, lexicon))
				return undefined;
			return at === end || inNounRun(lexemes, at - 1, true, lexicon) ? [bound, from, from + 2] : undefined;
		}
		if (!inNounRun(lexemes, at, false, lexicon)) return undefined;
	}
	return undefined;
}

/* The first words of BOUNDS' phrases: boundBefore runs at every word of every text featurised. */
const BOUND_STARTS: ReadonlySet<string> = new Set(
	[...BOUNDS.keys()].map((phrase) => phrase.split(" ")[0] ?? ""),
);

/** How many words from i make a bound that a number follows (an article or a currency between), else 0. */
function boundBefore(lexemes: Lexeme[], i: number, lexicon: Lexicon): number {
	// Most words start no bound: tried first, they cost one lookup, not three phrases built.
	const first = lexemes[i];
	if (first?.kind !== "word" || !BOUND_STARTS.has(first.lower)) return 0;
	for (let length = 3; length >= 1; length--) {
		const phrase = lexemes.slice(i, i + length);
		if (phrase.length < length || phrase.some((lexeme) => lexeme.kind !== "word")) continue;
		if (!BOUNDS.has(phrase.map((lexeme) => lexeme.lower).join(" "))) continue;
		const at = ARTICLE.test(lexemes[i + length]?.lower ?? "") ? i + length + 1 : i + length;
		if (readQuantity(lexemes, pastCurrency(lexemes, at), lexicon)) return length;
	}
	return 0;
}

/* The bound before the number at lexeme i, in words or as a sign, past its currency ("almost $2 billion"). */
function numberBound(lexemes: Lexeme[], i: number): string | undefined {
	let end = currencyStart(lexemes, i);
	const sign = lexemes[end - 1];
	if (sign?.kind === "symbol") return SYMBOL_BOUNDS.get(sign.text);
	// "um die 500", "an die 500": the article is part of the phrase; elsewhere skipped.
	if (ARTICLE.test(lexemes[end - 1]?.lower ?? "") && !/^(?:um|an)$/.test(lexemes[end - 2]?.lower ?? ""))
		end--;
	for (let length = 3; length >= 1; length--) {
		if (end - length < 0) continue;
		const phrase = lexemes.slice(end - length, end);
		if (phrase.some((lexeme) => lexeme.kind !== "word")) continue;
		const bound = BOUNDS.get(phrase.map((lexeme) => lexeme.lower).join(" "));
		if (bound) return bound;
	}
	return undefined;
}

/*
 * "rose to 5 percent" (a level) is not "rose by 5 percent" (a change), nor "stieg auf 5 Prozent"
 * "stieg um 5 Prozent"; "from 2030" and "since 2010" are not "until 2030", "ab 2030" not "bis
 * 2030". The prepositions are stop words, so such pairs were the same claim. Read from the word
 * right before the number or year ("bis zum Jahr 2030", "since the year 2010" too); not the end
 * of a bound ("up to", "bis zu"). Compared, as bounds are, only when both texts give one.
 */
const NUMBER_PREPOSITIONS: ReadonlyMap<string, string> = new Map([
	["to", "to"],
	["auf", "to"],
	["by", "by"],
	["um", "by"],
]);
/*
 * Before and after a year side with until and from: "vor 2020" against "nach 2020", "since 2020"
 * against "before 2020" were the same claim (the German words are no before/after without an
 * article, see readScope), while "after 2020" restates "since 2020" and "before 2030" "by 2030".
 */
const YEAR_PREPOSITIONS: ReadonlyMap<string, string> = new Map([
	["from", "from"],
	["since", "from"],
	["after", "from"],
	["ab", "from"],
	["seit", "from"],
	["nach", "from"],
	["until", "until"],
	["till", "until"],
	["to", "until"],
	["by", "until"],
	["before", "until"],
	["bis", "until"],
	["vor", "until"],
]);

function prepositionOf(lexemes: Lexeme[], i: number, year: boolean): string | undefined {
	let at = currencyStart(lexemes, i) - 1;
	if (year && /^(?:jahr|year)$/.test(lexemes[at]?.lower ?? "")) {
		at--;
		if (/^(?:the|zum|dem)$/.test(lexemes[at]?.lower ?? "")) at--;
	}
	const word = lexemes[at];
	if (word?.kind !== "word" || BOUNDS.has(`${lexemes[at - 1]?.lower} ${word.lower}`)) return undefined;
	return (year ? YEAR_PREPOSITIONS : NUMBER_PREPOSITIONS).get(word.lower);
}

function addQuantity(c: Collector, q: Quantity, bound?: string, preposition?: string): void {
	if (q.queryDigits) c.numberTerms.push(q.queryDigits);
	if (q.year) {
		c.years.add(String(q.value));
		c.tokens.add(`y:${q.value}`);
		if (preposition) c.tags.add(`yp:${q.value}:${preposition}`);
		return;
	}
	const canonical = canonicalNumber(q.value) + q.unit;
	c.numbers.add(canonical);
	c.tokens.add(`n:${canonical}`);
	if (bound) c.tags.add(`nb:${canonical}:${bound}`);
	if (preposition) c.tags.add(`np:${canonical}:${preposition}`);
}

/* 12.03.2024 and 2024-03-12 read like "12. März 2024": a day number, a month and a year. */
function addDate(c: Collector, text: string): void {
	const parts = text.split(/[.-]/).map(Number);
	const [day, month, year] = text.includes("-") ? [parts[2], parts[1], parts[0]] : parts;
	c.numbers.add(String(day));
	c.tokens.add(`n:${day}`);
	c.tokens.add(`m:${month}`);
	c.years.add(String(year));
	c.tokens.add(`y:${year}`);
}

function placeOf(stemmed: string, language: string): string | undefined {
	const tag = language.toLowerCase();
	if (tag.startsWith("en")) return PLACES.en.get(stemmed);
	if (tag.startsWith("de")) return PLACES.de.get(stemmed);
	return PLACES.en.get(stemmed) ?? PLACES.de.get(stemmed);
}

/* A name's part in who-did-what: "!" who acts or is acted upon, "@" where the act goes, "" none. */
type Role = "!" | "@" | "";

function addPlace(c: Collector, id: string, surface: string, language: string, role: Role): void {
	c.places.add(id);
	c.tokens.add(`p:${id}`);
	c.placeTerms.push(...stemTokens(surface, language));
	c.order.push(`${role}p:${id}`);
}

const PREPOSITIONS = new Set(
	words(
		"by of to from with against on at in into onto toward towards for than von vom durch an auf aus mit gegen nach zu zum zur in im bei für als",
	),
);
const ARTICLE = /^(?:the|a|an|der|die|das|den|dem|des|ein|eine|einer|eines|einem|einen)$/;
/*
 * Where an act goes: "sent troops to Belarus", "liefert Waffen an die Ukraine", "schickte Truppen
 * nach Belarus", "a war against Ukraine". A name after one is the act's second role, whatever the
 * word order ("An die Ukraine liefert Deutschland Waffen"), so "Russia sent troops to Belarus"
 * and "Belarus sent troops to Russia" are two claims; they were one, while a name after "by",
 * "von" or "from" still takes no part (the passive's agent, a source).
 */
const GOAL_PREPOSITIONS: Readonly<Record<string, ReadonlySet<string>>> = {
	// And for/für, whom the act is for: "Germany pays for Ukraine's pensions" is not "Ukraine pays for
	// Germany's pensions" (they were one claim, 1.00).
	en: new Set(words("to into onto toward towards against for")),
	de: new Set(words("an nach gegen für")),
};
const GOAL_ANY = new Set([...(GOAL_PREPOSITIONS.en ?? []), ...(GOAL_PREPOSITIONS.de ?? [])]);

/* English "an" is an article; German "an" a preposition ("an Deutschland", "an die Ukraine"). */
const isPreposition = (word: string, lexicon: Lexicon): boolean =>
	PREPOSITIONS.has(word) && !(lexicon === EN && word === "an");

/* The preposition before lexeme i, an article between skipped ("by Russia", "an die Ukraine"). */
function prepositionBefore(lexemes: Lexeme[], i: number, lexicon: Lexicon): string | undefined {
	const previous = lexemes[i - 1];
	if (previous?.kind !== "word") return undefined;
	if (isPreposition(previous.lower, lexicon)) return previous.lower;
	if (!ARTICLE.test(previous.lower)) return undefined;
	const before = lexemes[i - 2];
	return before?.kind === "word" && isPreposition(before.lower, lexicon) ? before.lower : undefined;
}

/* A name after a preposition ("by Russia") is not who acts or is acted upon; after a goal's, where it goes. */
function roleAt(lexemes: Lexeme[], i: number, lexicon: Lexicon): Role {
	const preposition = prepositionBefore(lexemes, i, lexicon);
	if (preposition === undefined) return "!";
	const goals = lexicon === EN ? GOAL_PREPOSITIONS.en : lexicon === DE ? GOAL_PREPOSITIONS.de : GOAL_ANY;
	return goals?.has(preposition) ? "@" : "";
}

/*
 * Before "most" a superlative, not "most of them": "the most expensive", "Berlin's most", "am
 * meisten", "am wenigsten". Not "die meisten", which is both ("die meisten Deutschen"), nor "the
 * majority"; and "at most 200" stays apart from "all 200".
 */
const SUPERLATIVE = /^(?:the|its|his|my|our|your|their|am)$|'s$/;

/*
 * The second "as" of "as high as", "twice as many as", the "wie" of "so hoch wie", "doppelt so
 * teuer wie", "genauso hoch wie": a comparison's pivot, as than/als is. "Rents in Berlin are twice
 * as high as in Munich" and its swap were the same claim while "higher than" was guarded. One or
 * two words between (no number: "as many as 500" bounds it, see readScope); not "as well as",
 * "as soon as", "as long as", "as far as", which list or join.
 */
const EQUAL_OPENERS: Readonly<Record<"en" | "de", RegExp>> = {
	en: /^as$/,
	de: /^(?:so|genauso|ebenso|gleich)$/,
};
const NOT_COMPARED = /^(?:well|soon|long|far|such|follows|usual|ever|yet)$/;

function equalComparison(lexemes: Lexeme[], i: number, lexicon: Lexicon): boolean {
	const { lower } = lexemes[i] as Lexeme;
	const pivot = lower === "as" ? "en" : lower === "wie" ? "de" : undefined;
	if (!pivot || (lexicon === EN && pivot === "de") || (lexicon === DE && pivot === "en")) return false;
	for (let between = 1; between <= 2; between++) {
		const opener = lexemes[i - between - 1];
		if (!opener || !EQUAL_OPENERS[pivot].test(opener.lower)) continue;
		const words = lexemes.slice(i - between, i);
		return words.every(
			(word) => word.kind === "word" && !lexicon.stop.has(word.lower) && !NOT_COMPARED.test(word.lower),
		);
	}
	return false;
}

/*
 * A lead in a ranking: "Die AfD liegt in Umfragen vor der Union", "landete hinter der SPD", "The
 * AfD is ahead of the CDU", "behind the CDU", "Die AfD überholt die Union", "Renewables overtook
 * coal". Vor before an article was read as before (a time) only, hinter and "ahead of" as words,
 * overtook as a verb between words that are no names, so the parties swapped were the same claim
 * (1.00), and vor against hinter too (0.96). Vor/ahead of and the overtaking verb are now a "<" in
 * the word order as than/als are, hinter/behind the reverse (`TRAIL`), so a swap makes the
 * "x>y><" fact `swapped` compares and "B is behind A" restates "A is ahead of B"; vor/hinter
 * only with a verb of standing in the clause (liegen, landen, rangieren, bleiben), the verb to
 * overtake with words after it ("overtaken by" turned round), or closing its clause after an
 * auxiliary (see auxiliaryLead). Vor keeps its
 * before (see readScope), and ahead, behind, vor and hinter in a ranking are one word (`LEADS`),
 * so a lead still differs from "level with".
 */
const TRAIL = "<-";
const LEADS = "ahead";
const STANDING =
	/^(?:lieg(?:t|en|e)|lag(?:en|st)?|gelegen|land(?:et|en|ete|eten)|gelandet|rangier(?:t|en|te|ten)|bleib(?:t|en)|blieb(?:en)?|geblieben)$/;
const OVERTAKES = /^(?:overt(?:ook|akes?|aken)|überhol(?:t|te|ten|en))$/;
/*
 * The perfect, the future, a modal and the passive: "Die AfD hat die Union überholt", "… wird
 * die Union überholen" put only the auxiliary between the two, the verb closing the clause, so
 * the swap was the same claim (1.00); and "Renewables have overtaken coal" had no overtaking verb.
 * The auxiliary, its subject first (see subjectFirst), now takes the lead's "<": haben with the
 * participle, werden or a modal with the infinitive; werden with the participle is the passive,
 * the lead turned round ("Die Union wurde von der AfD überholt"), as is English "overtaken by".
 */
const HABEN = /^(?:hat|haben|habe|hatte|hatten|hätte|hätten)$/;
const WERDEN = /^(?:wird|werden|werde|wurde|wurden|würde|würden)$/;

/* The first break after lexeme i (past the word after it), within 16 lexemes, or the text's end. */
function breakAfter(lexemes: Lexeme[], i: number): number | undefined {
	for (let j = i + 1; j <= Math.min(lexemes.length, i + 16); j++) {
		const lexeme = lexemes[j];
		if (!lexeme || lexeme.kind === "break") return j > i + 1 ? j : undefined;
	}
	return undefined;
}

/* The word right before the first break after lexeme i, within 16 lexemes: a verb-final clause's verb. */
function beforeBreak(lexemes: Lexeme[], i: number): Lexeme | undefined {
	const end = breakAfter(lexemes, i);
	return end === undefined ? undefined : lexemes[end - 1];
}

/* The lead a German finite auxiliary at lexeme i stands for ("<" or TRAIL), its subject first. */
function auxiliaryLead(lexemes: Lexeme[], i: number): string | undefined {
	const verb = beforeBreak(lexemes, i);
	if (verb?.kind !== "word" || !OVERTAKES.test(verb.lower) || !subjectFirst(lexemes, i)) return undefined;
	const { lower } = lexemes[i] as Lexeme;
	if (verb.lower === "überholen") return HABEN.test(lower) ? undefined : "<";
	if (verb.lower !== "überholt") return undefined;
	return HABEN.test(lower) ? "<" : WERDEN.test(lower) ? TRAIL : undefined;
}

/*
 * A German verb at lexeme i right after its clause's first word, an article before it allowed: "Die
 * AfD überholt die Union". After anything else the subject may follow the verb ("In Umfragen
 * überholt die AfD die Union"), and German's word order alone does not tell it from the object.
 */
function subjectFirst(lexemes: Lexeme[], i: number): boolean {
	const subject = i - 1;
	const start = ARTICLE.test(lexemes[subject - 1]?.lower ?? "") ? subject - 1 : subject;
	const before = lexemes[start - 1];
	return lexemes[subject]?.kind === "word" && (before === undefined || before.kind === "break");
}

/* A verb of standing in the clause of lexeme i, up to eight words before it or (verb-final) after it. */
function standingAround(lexemes: Lexeme[], i: number): boolean {
	for (let j = i - 1, seen = 0; j >= 0 && seen < 8 && !clauseEnd(lexemes, j); j--, seen++)
		if (STANDING.test(lexemes[j]?.lower ?? "")) return true;
	for (let j = i + 1, seen = 0; j < lexemes.length && seen < 8 && !clauseEnd(lexemes, j); j++, seen++)
		if (STANDING.test(lexemes[j]?.lower ?? "")) return true;
	return false;
}

/*
 * An event or a time after lexeme j, articles skipped: "ahead of the election", "vor der Wahl
 * (lag …)", "vor dem Krieg" say when, not who leads ("Vor der Wahl liegt die AfD vor der Union"
 * swapped stays a roles near-miss). In English a capitalised word with no article before it is a
 * name ("ahead of Reform UK"), Christmas excepted; German capitalises every noun ("vor Kriegsbeginn").
 */
const EVENT =
	/^(?:\p{L}*wahl(?:en)?|abstimmung|krieg(?:es|s)?|pandemie|krise|ende|beginn|anfang|start|einführung|reform|weihnachten|ostern|gipfel|sommerpause|elections?|votes?|referendum|war|pandemic|crisis|end|start|beginning|deadline|christmas|summit|holidays?|talks|meeting)$/u;
function eventAfter(lexemes: Lexeme[], j: number, english = false): boolean {
	let k = j;
	while (ARTICLE.test(lexemes[k]?.lower ?? "")) k++;
	const word = lexemes[k];
	if (english && k === j && /^\p{Lu}/u.test(word?.text ?? "") && word?.lower !== "christmas") return false;
	return EVENT.test(word?.lower ?? "");
}

/* "<" or TRAIL for a lead at lexeme i, with the index after its words; undefined for none. */
function rankingAt(lexemes: Lexeme[], i: number, lexicon: Lexicon): [string, number] | undefined {
	const { lower } = lexemes[i] as Lexeme;
	if (lexicon !== DE && lower === "ahead" && lexemes[i + 1]?.lower === "of")
		return eventAfter(lexemes, i + 2, true) ? undefined : ["<", i + 2];
	if (lower === "vor" && eventAfter(lexemes, i + 1)) return undefined;
	if (lexicon !== DE && lower === "behind") return [TRAIL, i + 1];
	if (lexicon === EN || (lower !== "vor" && lower !== "hinter")) return undefined;
	if (!ARTICLE.test(lexemes[i + 1]?.lower ?? "") || !standingAround(lexemes, i)) return undefined;
	return [lower === "vor" ? "<" : TRAIL, i + 1];
}

/* A superlative of size before a word for an amount: "the largest number of", "den größten Anteil". */
const LARGEST = /^(?:largest|greatest|biggest|smallest|größte|größten|kleinste|kleinsten)$/;
const AMOUNT = /^(?:number|share|amount|proportion|part|zahl|anzahl|anteil|menge|teil)$/;

/*
 * A quantifier or before/after (`Lexicon.scope`) at lexeme i, or a comparison's than/als
 * (a "<" in the word order, see orderFacts); true if the word is read and done.
 */
function readScope(lexemes: Lexeme[], i: number, lexicon: Lexicon, c: Collector): boolean {
	const { lower } = lexemes[i] as Lexeme;
	const next = lexemes[i + 1];
	if (lower === "than" || lower === "als" || equalComparison(lexemes, i, lexicon)) {
		// "more than 1,000", "mehr als die Hälfte" bound a number; "sowohl … als auch" lists.
		let j = i + 1;
		while (j < i + 3 && lexemes[j] && ARTICLE.test(lexemes[j]?.lower ?? "")) j++;
		if (next?.lower !== "auch" && !readQuantity(lexemes, pastCurrency(lexemes, j), lexicon))
			c.order.push("<");
		return false;
	}
	// The superlative "am meisten"/"am wenigsten", "the most"/"the least" is a direction, as
	// highest/lowest are, no quantifier: "verdienen am meisten" restates "mehr als alle anderen";
	// so are "das meiste Geld" and "the largest number of refugees" ("die größte Zahl", "Anzahl").
	const before = lexemes[i - 1]?.lower ?? "";
	if (
		(/^(?:most|meisten|wenigsten|least)$/.test(lower) && SUPERLATIVE.test(before)) ||
		(/^(?:meiste|wenigste)$/.test(lower) && before === "das") ||
		(LARGEST.test(lower) && AMOUNT.test(next?.lower ?? ""))
	) {
		const up = !/^(?:least|wenigst|smallest|kleinst)/.test(lower);
		if (up) c.up++;
		else c.down++;
		c.tokens.add(up ? "d:+" : "d:-");
		return true;
	}
	const scope = lexicon.scope.get(lower);
	if (!scope) return false;
	// "some 200 people" is about 200; German vor/nach are temporal before an article ("nach dem
	// Krieg"), not in "nach Angaben", "vor Gericht", "vor zehn Jahren".
	if (lower === "some" && readQuantity(lexemes, i + 1, lexicon)) return true;
	if ((lower === "vor" || lower === "nach") && !ARTICLE.test(next?.lower ?? "")) return false;
	(scope.startsWith("q") ? c.quantifiers : c.sequence).add(scope.slice(2));
	return true;
}

/*
 * "refused to resign", "denied he resigned", "verweigerte", "bestritt": the opposite of what
 * the other text says happened; "almost won", "fast verloren": it did not happen. Not
 * "almost 300", "almost all", "fast die Hälfte", "almost as high": there it is about.
 */
function flipped(lexemes: Lexeme[], i: number, lexicon: Lexicon): boolean {
	const { lower } = lexemes[i] as Lexeme;
	const next = lexemes[i + 1];
	if (lexicon.flips.test(lower)) return true;
	if (lexicon.flipsBeforeTo?.test(lower) && next?.lower === "to") return true;
	if (!lexicon.almost.test(lower) || next?.kind !== "word") return false;
	// "almost never", "fast keine": the negation after it is the one that counts (two would
	// cancel); "almost twice as many", "fast doppelt so viele": an amount, as "almost 300".
	if (lexicon.negation.test(next.lower) || ABOUT_AMOUNTS.test(next.lower)) return false;
	return (
		!lexicon.stop.has(next.lower) &&
		!lexicon.scope.has(next.lower) &&
		!readQuantity(lexemes, pastCurrency(lexemes, i + 1), lexicon)
	);
}
const ABOUT_AMOUNTS = /^(?:twice|thrice|half|doppelt|dreimal|halb|ebenso|genauso)$/;

/* Verbs and adverbs of a multiple, in English and German: doubled ×2, halbiert ×0.5, tenfold ×10. */
const MULTIPLES: readonly (readonly [RegExp, number])[] = [
	[/^(?:doubl(?:e|ed|es|ing)|verdopp(?:el|l)(?:t|te|ten|n|ung)?)$/, 2],
	[/^(?:tripl(?:e|ed|es|ing)|verdreifach(?:t|te|ten|en|ung)?)$/, 3],
	[/^(?:quadrupl(?:e|ed|es|ing)|vervierfach(?:t|te|ten|en|ung)?)$/, 4],
	[/^(?:halv(?:e|ed|es|ing)|halbier(?:t|te|ten|en|ung))$/, 0.5],
	[/^verzehnfach(?:t|te|ten|en|ung)?$/, 10],
	[/^verhundertfach(?:t|te|ten|en|ung)?$/, 100],
];
const FOLD =
	/^(two|three|four|five|six|seven|eight|nine|ten|hundred|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|hundert)(?:fold|fach(?:e|en|er|es)?)$/;
const FOLD_VALUES: Readonly<Record<string, number>> = {
	two: 2,
	three: 3,
	four: 4,
	five: 5,
	six: 6,
	seven: 7,
	eight: 8,
	nine: 9,
	ten: 10,
	hundred: 100,
	zwei: 2,
	drei: 3,
	vier: 4,
	fünf: 5,
	sechs: 6,
	sieben: 7,
	acht: 8,
	neun: 9,
	zehn: 10,
	hundert: 100,
};

function multipleOf(lower: string): number | undefined {
	for (const [pattern, value] of MULTIPLES) if (pattern.test(lower)) return value;
	const fold = FOLD.exec(lower)?.[1];
	return fold === undefined ? undefined : FOLD_VALUES[fold];
}

/*
 * For or against: "voted for the law" is not "voted against the law", nor "stimmte für das
 * Gesetz" "stimmte gegen das Gesetz". "for" and "für" are stop words and "against" one word
 * among many, so the pair scored 0.93–1.0 and was the same claim. A preposition counts after a
 * vote in its clause (the verb or the noun, however many words before: "stimmte am Donnerstag im
 * Bundestag für", "in Thursday's vote the CDU was for"), or before one (verb-final in German, up
 * to eight words); "in favour of", dafür and dagegen count anywhere, and so do zustimmen ("stimmte
 * dem Antrag zu") for and ablehnen ("lehnte den Antrag ab") against. Compared as the quantifiers
 * are: only when both texts take a side.
 */
const POLAR: ReadonlyMap<string, string> = new Map([
	["for", "+"],
	["against", "-"],
	["für", "+"],
	["gegen", "-"],
]);
const POLAR_ANYWHERE: ReadonlyMap<string, string> = new Map([
	["dafür", "+"],
	["dafur", "+"],
	["dagegen", "-"],
]);
const VOTE = /^(?:vot(?:e|es|ed|ing)|(?:ab)?stimm(?:t|te|ten|en)|(?:ab)?gestimmt|votier(?:t|te|ten|en))$/;
const AGREES = /^(?:zustimm(?:e|en|t|te|ten|ung)|zugestimmt)$/;
const REJECTS = /^(?:ablehn(?:e|en|t|te|ten|ung)|abgelehnt)$/;
/* "stimmte dem Antrag zu", "lehnte den Antrag ab" (not "stimmte ab": a vote, no side). */
const SEPARATED_SIDES: readonly (readonly [RegExp, Readonly<Record<string, string>>])[] = [
	[/^(?:stimm(?:e|t|te|ten|en))$/, { zu: "+" }],
	[/^(?:lehn(?:e|t|te|ten|en))$/, { ab: "-" }],
];
/*
 * Advice takes a side as a vote does: "Die meisten Ärzte raten von der Impfung ab" (abraten)
 * against "… raten zur Impfung", "advise against the vaccine" against "advise the vaccine". The
 * verb was one word of both, ab, zu and against a word more or none, so such pairs were the same
 * claim (1.00, 0.93). Raten is advice only with its particle ab at the clause's end (see
 * separatedParticle) or with zu, zur, zum or dazu after it in its clause ("rät, Kinder impfen zu
 * lassen"), raten and geraten with zur, zum or dazu before it ("hat zur Impfung geraten", "Zur
 * Impfung rät die Kammer"): elsewhere it is guessing or getting into ("in Not geraten"). Advise and
 * recommend are for unless against follows the verb, or (advise) the one advised ("advised
 * parents against"); an against after a noun or an -ing is the vaccine's or the act's ("recommends
 * the vaccine against measles", "advise vaccinating children against measles"). Not before that,
 * whether, on, about or of ("advised that …", "advises on vaccines"), nor after an article ("the
 * recommended dose").
 */
const ADVISE_AGAINST_DE = /^(?:abrat(?:e|en|et)|abrät|abriet(?:en)?|abgeraten|abzuraten)$/;
const ADVISE_DE = /^(?:rät|rätst|rate|raten|ratet|riet|rieten)$/;
const ADVICE_TO_DE = /^(?:zu|zur|zum|dazu)$/;
const ADVICE_TO_BEFORE_DE = /^(?:zur|zum|dazu)$/;
const ADVISE_EN = /^(?:advis(?:e|es|ed|ing)|recommend(?:s|ed|ing)?)$/;
const NO_ADVICE_EN = /^(?:that|whether|on|about|of|and|or|if)$/;

/* The words of the clause from lexeme i in `step` direction, at most `most`, commas skipped. */
function clauseWords(lexemes: Lexeme[], i: number, step: 1 | -1, most: number): Lexeme[] {
	const out: Lexeme[] = [];
	for (let j = i + step; j >= 0 && j < lexemes.length && out.length < most; j += step) {
		if (clauseEnd(lexemes, j)) break;
		const lexeme = lexemes[j] as Lexeme;
		if (lexeme.kind === "word") out.push(lexeme);
	}
	return out;
}

function adviceSide(lexemes: Lexeme[], i: number, lexicon: Lexicon): string | undefined {
	const { lower } = lexemes[i] as Lexeme;
	if (lexicon === DE) {
		if (ADVISE_AGAINST_DE.test(lower)) return "-";
		const before = () => clauseWords(lexemes, i, -1, 8).some((word) => ADVICE_TO_BEFORE_DE.test(word.lower));
		if (lower === "geraten") return before() ? "+" : undefined;
		if (!ADVISE_DE.test(lower)) return undefined;
		const particle = separatedParticle(lexemes, i, { ab: "-" });
		if (particle) return particle;
		return clauseWords(lexemes, i, 1, 12).some((word) => ADVICE_TO_DE.test(word.lower)) || before()
			? "+"
			: undefined;
	}
	if (lexicon !== EN || !ADVISE_EN.test(lower) || ARTICLE.test(lexemes[i - 1]?.lower ?? "")) return undefined;
	const after = clauseWords(lexemes, i, 1, 4);
	const against = after.findIndex((word) => word.lower === "against");
	const between = after.slice(0, Math.max(against, 0));
	// "recommends strongly against", and "advise parents against": the one advised between, not a
	// thing advised ("advise a jab against flu" is advice for the jab), nor a to or an -ing.
	const advised = () =>
		lower.startsWith("advis") &&
		!/^an?$/.test(between[0]?.lower ?? "") &&
		!between.some((w) => /ing$|^to$/.test(w.lower));
	if (against === 0 || (against === 1 && /ly$/.test(after[0]?.lower ?? "")) || (against > 0 && advised()))
		return "-";
	const next = after[0]?.lower;
	return next === undefined || NO_ADVICE_EN.test(next) ? undefined : "+";
}

/* "stimmmte dem Antrag zu" (see VOTE_WORDS); not lehnte, a letter from lernte, lohnte and lehrte. */
const STIMMT = words("stimme stimmt stimmte stimmten stimmen");
/* How far back a vote may stand from its for/against: a clause's words. */
const VOTE_REACH = 16;

/*
 * A typo in a vote or its side ("stimmmte gegen", "vooted for", "voted aganst", "dagegn"):
 * read as no vote, its side was lost, and "Die CDU stimmmte gegen das Gesetz" was the same claim
 * as "… stimmte für das Gesetz". A letter more or fewer only, within `misspelt`: its one edit in
 * three letters, and even one letter replaced, joins real words (Stimmung, abstammen, stammte,
 * stemmte, vowed, voter). Not "gegen", "für" or "for": gehen and geben are a letter from gegen.
 */
const VOTE_WORDS = words(
	"vote votes voted voting stimmt stimmte stimmten stimmen abstimmt abstimmte abstimmten abstimmen " +
		"gestimmt abgestimmt votiert votierte votierten votieren",
);
/* Read for every word of every text: the cheap tests first. `word` is folded (see foldLatinDiacritics). */
function typoOf(lower: string, word: string): boolean {
	if (lower[0] !== word[0] || lower.length < 5 || Math.abs(lower.length - word.length) > 1) return false;
	const folded = foldLatinDiacritics(lower);
	if (folded === word) return true;
	return (
		Math.abs(folded.length - word.length) === 1 &&
		misspelt(folded, word) &&
		editDistance(folded, word, 1) <= 1
	);
}
const misspeltSide = (lower: string, sides: readonly (readonly [string, string])[]): string | undefined =>
	sides.find(([word]) => typoOf(lower, word))?.[1];
const POLAR_TYPOS = [["against", "-"]] as const;
// Not dafür: Darfur is a letter from it.
const ANYWHERE_TYPOS = [["dagegen", "-"]] as const;
const isVote = (lower: string): boolean => VOTE.test(lower) || VOTE_WORDS.some((vote) => typoOf(lower, vote));

function polarityAt(lexemes: Lexeme[], i: number, lexicon: Lexicon): string | undefined {
	const { lower } = lexemes[i] as Lexeme;
	const anywhere = POLAR_ANYWHERE.get(lower) ?? misspeltSide(lower, ANYWHERE_TYPOS);
	if (anywhere) return anywhere;
	if (/^favou?r$/.test(lower) && lexemes[i - 1]?.lower === "in" && lexemes[i + 1]?.lower === "of") return "+";
	if (AGREES.test(lower)) return "+";
	if (REJECTS.test(lower)) return "-";
	const advice = adviceSide(lexemes, i, lexicon);
	if (advice) return advice;
	const separated =
		SEPARATED_SIDES.find(([verb]) => verb.test(lower))?.[1] ??
		(STIMMT.some((form) => typoOf(lower, form)) ? SEPARATED_SIDES[0]?.[1] : undefined);
	if (separated) return separatedParticle(lexemes, i, separated);
	const side = POLAR.get(lower) ?? misspeltSide(lower, POLAR_TYPOS);
	if (!side) return undefined;
	// Commas skipped: "voted, as expected, for the motion".
	for (let j = i - 1, seen = 0; j >= 0 && seen < VOTE_REACH && !clauseEnd(lexemes, j); j--) {
		if (lexemes[j]?.kind !== "word") continue;
		if (isVote(lexemes[j]?.lower ?? "")) return side;
		seen++;
	}
	for (let j = i + 1, seen = 0; j < lexemes.length && seen < 8 && !clauseEnd(lexemes, j); j++) {
		if (lexemes[j]?.kind !== "word") continue;
		if (isVote(lexemes[j]?.lower ?? "")) return side;
		seen++;
	}
	return stance(lexemes, i, lexicon) ? side : undefined;
}

/*
 * For or against as a stance: after a copula ("The party is against conscription", "Die Linke ist
 * klar für die Wehrpflicht", three words back at most) or before one that closes its clause ("…,
 * dass die Regierung gegen ein Tempolimit sei"). Read only next to a vote, "is for" and "is
 * against" were the same claim (for and für are stop words, so nothing else told them apart).
 */
const COPULA_EN = /^(?:is|are|was|were|be|been|am)$/;
// Not the English list: "Russia's war against Ukraine" is no "war" (was) against.
const COPULA_DE = /^(?:ist|sind|war|waren|sei|seien|wäre|wären|bin|bist|seid)$/;

function stance(lexemes: Lexeme[], i: number, lexicon: Lexicon): boolean {
	const copula = lexicon === DE ? COPULA_DE : COPULA_EN;
	for (let j = i - 1, seen = 0; j >= 0 && seen < 3 && !clauseEnd(lexemes, j); j--) {
		if (lexemes[j]?.kind !== "word") continue;
		if (copula.test(lexemes[j]?.lower ?? "")) return true;
		seen++;
	}
	for (let j = i + 1, seen = 0; j < lexemes.length && seen < 8 && !clauseEnd(lexemes, j); j++) {
		if (lexemes[j]?.kind !== "word") continue;
		const next = lexemes[j + 1];
		if (copula.test(lexemes[j]?.lower ?? "") && (!next || next.kind === "break")) return true;
		seen++;
	}
	return false;
}

/*
 * "without a passport" against "with a passport", "ohne Test" against "mit Test": with/mit are
 * stop words and without/ohne one word among many, so such pairs were the same claim. The noun
 * after each (its first two words, articles skipped) is marked, negative after without/ohne, and
 * `opposed` fires when the other text has the other preposition before the same word; a
 * "without evidence" the other text leaves out is a shortened quote, as before.
 */
const ACCOMPANIED: Readonly<Record<string, ReadonlyMap<string, boolean>>> = {
	en: new Map([
		["with", false],
		["without", true],
	]),
	de: new Map([
		["mit", false],
		["ohne", true],
	]),
};
const ACCOMPANIED_ANY = new Map([...(ACCOMPANIED.en ?? []), ...(ACCOMPANIED.de ?? [])]);

function accompaniment(lexemes: Lexeme[], i: number, ctx: WordContext, c: Collector): void {
	const { lower } = lexemes[i] as Lexeme;
	const table = ctx.lexicon === EN ? ACCOMPANIED.en : ctx.lexicon === DE ? ACCOMPANIED.de : ACCOMPANIED_ANY;
	// "withhout a test", "witout" (see `typoOf`; with and ohne are too short to tell a typo).
	const negative =
		table?.get(lower) ?? (table?.has("without") && typoOf(lower, "without") ? true : undefined);
	if (negative === undefined) return;
	let j = i + 1;
	while (ARTICLE.test(lexemes[j]?.lower ?? "")) j++;
	for (const end = j + 2; j < end; j++) {
		const word = lexemes[j];
		if (word?.kind !== "word" || ctx.lexicon.stop.has(word.lower) || ctx.lexicon.negation.test(word.lower))
			return;
		const root = wordToken(word.text, ctx.language);
		c.marked.push([`${lower}:${root}`, root, negative, false]);
	}
}

/*
 * Who does it to whom where no name says it: "Angriffe auf Polizisten" against "Angriffe von
 * Polizisten", "attacks on/by police officers", "Straftaten durch/gegen Zuwanderer", "violence
 * against women by refugees" against "… against refugees by women". Roles were read for names only
 * (see roleAt), and the prepositions are stop words, so each such pair was the same claim (1.00).
 * Each word after an agent's preposition (by, von, vom, durch, seitens; from with a to after it)
 * or a target's (on, against, for, auf, gegen, an; to after a from), up to two past an article,
 * as with/without's (`accompaniment`), makes a fact "w>*>by" (w acts) or "*>w>by" (w is acted
 * on) that `swapped` compares as any other: it fires only when the other text has the other kind
 * of preposition before the same word, so a passive's "by Russia" against an active sentence
 * with no preposition before Russia stays a restatement, as does a text with both. English and
 * German only: French "on" is "one", "an" a year.
 */
const AGENT_OR_TARGET: Readonly<Record<"en" | "de", ReadonlyMap<string, boolean>>> = {
	en: new Map([
		["by", true],
		["on", false],
		["against", false],
		["for", false],
	]),
	de: new Map([
		["von", true],
		["vom", true],
		["durch", true],
		["seitens", true],
		["auf", false],
		["gegen", false],
		["an", false],
	]),
};
/* The side of a fact no word of the text names, and a fact's verb for who acts on whom by a preposition. */
const SOMEONE = "*";
const BY = "by";
/* How many such facts a text keeps: two a preposition, a claim has a few; the text is public. */
const MAX_CASE_FACTS = 32;

/*
 * A possessive before an act is who acts: "Russia's attacks on Ukraine" against "Ukraine's
 * attacks on Russia", "the police's attacks on protesters" against "the protesters' attacks on
 * the police" (1.00, same: only the word after on had a role). The possessive ('s, or a plural's
 * s') makes the fact "w>*>by", as "by" does, when the noun after it (an adjective or two between)
 * is an attack (`ACTS`) or has a target's preposition after it ("Germany's support for Ukraine");
 * "Russia's attacks killed 12" against "Attacks on Russia killed 12" too; an invasion's, an
 * occupation's or a blockade's of is the one acted on ("Russia's invasion of Ukraine"), and a
 * two-word place's possessive ("North Korea's") is read as "by North Korea" is. Not other nouns: the
 * possessive of "Navalny's arrest" or "Ukraine's pensions" is no one acting. English only.
 */
const ACTS =
	/^(?:attacks?|(?:air)?strikes?|raids?|assaults?|bombings?|shelling|sanctions|threats|aggression|crimes|violence|invasion|occupation|annexation|blockade|bombardment)$/;
/* An act whose of names the one acted on: "Russia's invasion of Ukraine". */
const ACTS_OF = /^(?:invasion|occupation|annexation|blockade|bombardment)$/;
const NOT_POSSESSIVE = /^(?:it|he|she|that|there|here|what|who|where|how|let)'s$/;

/*
 * The possessive at lexeme i; `first` is a two-word name's first word ("North Korea's"), each word
 * read as "by North Korea" reads them.
 */
function possessiveAgent(lexemes: Lexeme[], i: number, ctx: WordContext, c: Collector, first?: Lexeme): void {
	const word = lexemes[i] as Lexeme;
	const possessive = word.possessive || (word.lower.endsWith("'s") && !NOT_POSSESSIVE.test(word.lower));
	if (ctx.lexicon !== EN || !possessive || c.caseFacts.size >= MAX_CASE_FACTS) return;
	for (let j = i + 1; j <= i + 3; j++) {
		const noun = lexemes[j];
		if (noun?.kind !== "word" || (noun.possessive ?? false)) return;
		const after = lexemes[j + 1]?.lower ?? "";
		if (ACTS.test(noun.lower) || AGENT_OR_TARGET.en.get(after) === false) {
			// "Crimea's annexation" was annexed, "Russia's annexation of Crimea" annexed: an
			// invasion's possessive acts only with its of after it, else it says not who did it.
			if (ACTS_OF.test(noun.lower) && after !== "of") return;
			for (const part of first ? [first, word] : [word]) {
				const stemmed = stemmedWord(part.text, ctx.language);
				const place = placeOf(stemmed, ctx.language) ?? placeOf(foldLatinDiacritics(stemmed), ctx.language);
				c.caseFacts.add(
					`${place === undefined ? foldLatinDiacritics(stemmed) : `p:${place}`}>${SOMEONE}>${BY}`,
				);
			}
			return;
		}
		if (!inNounRun(lexemes, j, false, ctx.lexicon)) return;
	}
}

/* From with a to after it in its clause is who gives ("from Russia to the AfD"), to after a from who gets. */
function fromTo(lexemes: Lexeme[], i: number): boolean | undefined {
	const { lower } = lexemes[i] as Lexeme;
	if (lower !== "from" && lower !== "to") return undefined;
	const step = lower === "from" ? 1 : -1;
	const other = lower === "from" ? "to" : "from";
	for (let j = i + step, seen = 0; seen < 8 && j >= 0 && j < lexemes.length; j += step, seen++) {
		if (clauseEnd(lexemes, j)) return undefined;
		if (lexemes[j]?.lower === other) return lower === "from";
	}
	return undefined;
}

/*
 * A partitive von/an names what is counted, no one who acts or is acted on: "Der Anteil von
 * Frauen" is "der Anteil an Frauen", "Mangel an/von Lehrern". When an an/unter after it names the
 * whole ("Der Anteil von Migranten an den Tatverdächtigen"), the part takes one role, whichever
 * its preposition, so the two turned round differ (see `partOfWhole`).
 */
const PARTITIVE =
	/^(?:anteil|anteils|zahl|anzahl|menge|mangel|bedarf|verlust|zuwachs|überschuss|reihe|vielzahl|mehrzahl|großteil|hälfte|drittel|viertel)$/;
/* A verb of dying or illness: its an is a cause, as durch is ("an/durch Corona gestorben"). */
const CAUSE_VERB =
	/^(?:sterben|stirbt|starb|starben|gestorben|erkrankt|erkrankten|erkranken|leiden|leidet|litt|litten|gelitten)$/;
/* A word matching re in the clause of lexeme i, up to twelve words before or after it. */
function clauseHas(lexemes: Lexeme[], i: number, re: RegExp): boolean {
	for (let j = i - 1, seen = 0; j >= 0 && seen < 12 && !clauseEnd(lexemes, j); j--, seen++)
		if (re.test(lexemes[j]?.lower ?? "")) return true;
	for (let j = i + 1, seen = 0; j < lexemes.length && seen < 12 && !clauseEnd(lexemes, j); j++, seen++)
		if (re.test(lexemes[j]?.lower ?? "")) return true;
	return false;
}

/*
 * A partitive's von/an at lexeme i with an an/unter after it in its clause, within eight lexemes,
 * or an unter before it there ("Unter den Tatverdächtigen ist der Anteil von Migranten …").
 */
function partOfWhole(lexemes: Lexeme[], i: number): boolean {
	if (!/^(?:von|an)$/.test((lexemes[i] as Lexeme).lower)) return false;
	for (let j = i + 2; j < Math.min(lexemes.length, i + 10) && !clauseEnd(lexemes, j); j++)
		if (/^(?:an|unter)$/.test(lexemes[j]?.lower ?? "")) return true;
	return unterBefore(lexemes, i - 1);
}

/* An unter before lexeme i in its clause, within eight lexemes. */
function unterBefore(lexemes: Lexeme[], i: number): boolean {
	for (let j = i - 1; j >= Math.max(0, i - 8) && !clauseEnd(lexemes, j); j--)
		if (lexemes[j]?.lower === "unter") return true;
	return false;
}

/*
 * unter at lexeme i names the whole when a partitive's von/an stands in its clause, after it
 * within eight lexemes or before it (partOfWhole): the one acted on, as the an of "Anteil von
 * Migranten an den Tatverdächtigen" is; else it is no role ("unter Druck", "unter 18").
 */
function wholeOfPart(lexemes: Lexeme[], i: number): boolean {
	const partitiveAt = (j: number) =>
		/^(?:von|an)$/.test(lexemes[j]?.lower ?? "") && PARTITIVE.test(lexemes[j - 1]?.lower ?? "");
	for (let j = i + 2; j < Math.min(lexemes.length, i + 10) && !clauseEnd(lexemes, j); j++)
		if (partitiveAt(j)) return true;
	for (let j = i - 1; j >= Math.max(1, i - 8) && !clauseEnd(lexemes, j); j--) if (partitiveAt(j)) return true;
	return false;
}

function caseRoles(lexemes: Lexeme[], i: number, ctx: WordContext, c: Collector): void {
	const partitive = ctx.lexicon === DE && PARTITIVE.test(lexemes[i - 1]?.lower ?? "");
	if (partitive && !partOfWhole(lexemes, i)) return;
	if (ctx.lexicon === DE && (lexemes[i] as Lexeme).lower === "an" && clauseHas(lexemes, i, CAUSE_VERB))
		return;
	// "the invasion of Ukraine by Russia": an invasion's of is the one invaded, with a possessive
	// before it ("Russia's invasion of Ukraine") or none, so the of turned round is another claim.
	if (
		ctx.lexicon === EN &&
		(lexemes[i] as Lexeme).lower === "of" &&
		ACTS_OF.test(lexemes[i - 1]?.lower ?? "")
	) {
		roleFacts(lexemes, i, false, ctx, c);
		return;
	}
	if (ctx.lexicon === DE && (lexemes[i] as Lexeme).lower === "unter") {
		if (wholeOfPart(lexemes, i)) roleFacts(lexemes, i, false, ctx, c);
		return;
	}
	const table = ctx.lexicon === EN ? AGENT_OR_TARGET.en : ctx.lexicon === DE ? AGENT_OR_TARGET.de : undefined;
	const agent = partitive
		? true
		: (table?.get((lexemes[i] as Lexeme).lower) ?? (ctx.lexicon === EN ? fromTo(lexemes, i) : undefined));
	if (agent !== undefined) roleFacts(lexemes, i, agent, ctx, c);
}

/* The facts of the one or two words after the preposition at lexeme i: who acts (agent) or is acted on. */
function roleFacts(lexemes: Lexeme[], i: number, agent: boolean, ctx: WordContext, c: Collector): void {
	if (c.caseFacts.size >= MAX_CASE_FACTS) return;
	let j = i + 1;
	while (ARTICLE.test(lexemes[j]?.lower ?? "")) j++;
	for (const end = j + 2; j < end; j++) {
		const word = lexemes[j];
		if (word?.kind !== "word" || ctx.lexicon.stop.has(word.lower) || ctx.lexicon.negation.test(word.lower))
			return;
		// "by a third", "on 5 May": a number, no one who acts. A second word only in the noun's words
		// ("on police officers"), not the verb after it ("by protesters rose", "durch Demonstranten
		// nehmen … zu"), which the other text may put after another preposition.
		if (readQuantity(lexemes, j, ctx.lexicon) || (j === end - 1 && !inNounRun(lexemes, j, true, ctx.lexicon)))
			return;
		const stemmed = stemmedWord(word.text, ctx.language);
		const place = placeOf(stemmed, ctx.language) ?? placeOf(foldLatinDiacritics(stemmed), ctx.language);
		const w = place === undefined ? foldLatinDiacritics(stemmed) : `p:${place}`;
		c.caseFacts.add(agent ? `${w}>${SOMEONE}>${BY}` : `${SOMEONE}>${w}>${BY}`);
		// German capitalises its nouns: the noun ends the words ("auf deutsche Polizisten").
		if (ctx.lexicon === DE && /^\p{Lu}/u.test(word.text)) return;
	}
}

/*
 * Where a clause ends for the words around a verb: . ! ? ; : a dash, a line, or a comma before
 * a subordinator or reporting verb ("…, dass", "…, sagte er"); other commas list or insert
 * ("nimmt in Bayern, Hessen und Sachsen zu", "voted, as expected, for").
 */
const CLAUSE_END = /^[.!?;:\n\u2013\u2014-]$/;
const SUBORDINATOR =
	/^(?:dass|daß|weil|wenn|als|ob|obwohl|während|nachdem|bevor|damit|sodass|sagte|sagt|sagten|erklärte|teilte|meinte|betonte|hieß|heißt|that|said|says|because|when|if|although|while)$/;

function clauseEnd(lexemes: Lexeme[], j: number): boolean {
	const lexeme = lexemes[j];
	if (lexeme?.kind !== "break") return false;
	return (
		CLAUSE_END.test(lexeme.text) || (lexeme.text === "," && SUBORDINATOR.test(lexemes[j + 1]?.lower ?? ""))
	);
}

/*
 * A German verb whose particle went to the end of its clause: "nimmt zu" (zunehmen) and "nimmt
 * ab", "ging zurück", "hebt die Steuern an", "bricht ein". The verb alone says nothing of a
 * direction, and zu/ab/an are stop words, so "Die Zahl nimmt zu" and "… nimmt ab" were the same
 * claim. Read as the joined verb when the particle is the last word before the clause ends
 * (see `clauseEnd`), or before a comma, a quote or und/oder/aber/sondern within it ("nimmt zu
 * und die Löhne gehen zurück", "nimmt in Bayern, Hessen und Sachsen zu"); another verb of the
 * list ends the search.
 */
const SEPARABLE: readonly (readonly [RegExp, Readonly<Record<string, 1 | -1>>])[] = [
	[/^(?:nimmt|nahm|nahmen|nehmen)$/, { zu: 1, ab: -1 }],
	[/^(?:geht|ging|gingen|gehen)$/, { zurück: -1 }],
	[/^(?:hebt|hob|hoben|heben)$/, { an: 1 }],
	[/^(?:bricht|brach|brachen|brechen)$/, { ein: -1 }],
	[/^(?:legt|legte|legten|legen)$/, { zu: 1 }],
	[/^(?:stürzt|stürzte|stürzten)$/, { ab: -1 }],
	[/^(?:setzt|setzte|setzten)$/, { herab: -1 }],
];

const CONJUNCTION = /^(?:und|oder|aber|sondern)$/;

function separatedDirection(lexemes: Lexeme[], i: number): 1 | -1 | 0 {
	const { lower } = lexemes[i] as Lexeme;
	const particles = SEPARABLE.find(([verb]) => verb.test(lower))?.[1];
	return particles ? (separatedParticle(lexemes, i, particles) ?? 0) : 0;
}

/*
 * The closing dash of an aside that opens at j ("nimmt – wie erwartet – zu"): a dash is a
 * clause end, but a pair of them a few words apart sets words off inside the clause.
 */
function asideEnd(lexemes: Lexeme[], j: number): number | undefined {
	const open = lexemes[j];
	if (open?.kind !== "break" || !/^[\u2013\u2014-]$/.test(open.text)) return undefined;
	for (let k = j + 1; k <= Math.min(lexemes.length - 1, j + 12); k++) {
		const lexeme = lexemes[k] as Lexeme;
		if (lexeme.kind === "break" && lexeme.text === open.text) return k;
		if (clauseEnd(lexemes, k)) return undefined;
	}
	return undefined;
}

function separatedParticle<T>(
	lexemes: Lexeme[],
	i: number,
	particles: Readonly<Record<string, T>>,
): T | undefined {
	for (let j = i + 1; j <= Math.min(lexemes.length, i + 32); j++) {
		const aside = asideEnd(lexemes, j);
		if (aside !== undefined) {
			j = aside;
			continue;
		}
		const lexeme = lexemes[j];
		const end = !lexeme || clauseEnd(lexemes, j);
		const last = lexemes[j - 1];
		if (
			(end || lexeme.kind === "break" || CONJUNCTION.test(lexeme.lower)) &&
			j > i + 1 &&
			last?.kind === "word"
		) {
			const particle = particles[last.lower];
			if (particle !== undefined) return particle;
		}
		if (end || SEPARABLE.some(([verb]) => verb.test(lexeme.lower))) return undefined;
	}
	return undefined;
}

/*
 * "hike" is a rise next to what is paid ("a tax hike", "hikes rates", "a hike in fees"), and
 * otherwise a walk: read as a direction everywhere, "The hike in Bavaria took five hours" met
 * "The walk in Bavaria …" with no word against "walk" and was the same claim. "hiked" is a rise.
 */
const HIKE = /^hik(?:e|es|ing)$/;
const PAID =
	/^(?:tax|taxes|rates?|prices?|fees?|wages?|rents?|tariffs?|fares?|interest|premiums?|pay|salary|salaries|costs?|duty|duties|tolls?|levy|levies|charges?|bills?|vat)$/;

function pricedHike(lexemes: Lexeme[], i: number): boolean {
	if (!HIKE.test(lexemes[i]?.lower ?? "")) return false;
	let next = i + 1;
	while (/^(?:the|a|an|its|their|in|of|on|to)$/.test(lexemes[next]?.lower ?? "") && next < i + 3) next++;
	return PAID.test(lexemes[i - 1]?.lower ?? "") || PAID.test(lexemes[next]?.lower ?? "");
}

/*
 * A time said relative to now, and whether the claim says what will happen or what did: "Gas
 * prices rose last year" against "… this year" (0.93), "im vergangenen Jahr" against "in diesem
 * Jahr" (0.91), "The government will raise taxes" or "wants to raise" against "raised taxes",
 * "Die Regierung will die Steuern erhöhen" against "hat die Steuern erhöht" (1.00) were the same
 * claim: this, will and the modals are stop words, and last, vergangen and a past tense one word
 * among many or none. Tags compared as a year's preposition is (`tagged`): only when both texts
 * state one, so "last year" dropped is a shortened quote, and a text with both modes ("announced
 * it will") tells neither apart. The time goes with the year guard, the mode is its own.
 */
const RELATIVE_EN: ReadonlyMap<string, string> = new Map([
	["last", "last"],
	["past", "last"],
	["previous", "last"],
	["this", "this"],
	["current", "this"],
	["next", "next"],
	["coming", "next"],
]);
const RELATIVE_DE = /^(vergangen|letzt|vorig|dies|laufend|nächst|kommend)(?:e|en|er|es|em)?$/;
const RELATIVE_DE_WHEN: Readonly<Record<string, string>> = {
	vergangen: "last",
	letzt: "last",
	vorig: "last",
	dies: "this",
	laufend: "this",
	nächst: "next",
	kommend: "next",
};
const TIME_SPAN =
	/^(?:(years?|jahr(?:e|es|en)?)|(months?|monat(?:e|s|en)?)|(weeks?|wochen?)|(decades?|jahrzehnt(?:e|es|en)?))$/;
const SPANS = ["year", "month", "week", "decade"];

/* "last year", "im vergangenen Jahr", "in den kommenden Jahren": "yr:year:last", "yr:year:next". */
function relativeTime(lexemes: Lexeme[], i: number, lexicon: Lexicon): string | undefined {
	const { lower } = lexemes[i] as Lexeme;
	const german = lexicon === DE ? RELATIVE_DE.exec(lower)?.[1] : undefined;
	const when = lexicon === EN ? RELATIVE_EN.get(lower) : german && RELATIVE_DE_WHEN[german];
	if (!when) return undefined;
	const span = TIME_SPAN.exec(lexemes[i + 1]?.lower ?? "");
	const at = span?.slice(1).findIndex((group) => group !== undefined) ?? -1;
	return at < 0 ? undefined : `yr:${SPANS[at]}:${when}`;
}

/*
 * Will, shall, would, and could, may, might ("Inflation could rise" is no rise that was), must
 * and should ("Germany must cut taxes" is a demand, no cut made; "shouldn't" is should); a plan, a
 * promise or an expectation before to and a verb ("wants to raise", "pledged to raise", "is set
 * to", "is going to"): what is to come, not a past, though -ed. German's könnte, dürfte and
 * muss/müssen too. must, should and muss are a weak will, the claim's only before any past
 * (`weakPast`: "… raised rates and should now pause" is the deed), and none before have ("should
 * have delivered" is what was or was not done, read at have).
 */
const EN_WILL = /^(?:will|shall|would|could|may|might|must|should)$/;
const EN_MEANS_TO =
	/^(?:wants?|wanted|plans?|planned|planning|intends?|intended|aims?|aimed|going|set|expect(?:s|ed)?|pledg(?:e|es|ed)|vow(?:s|ed)?|promis(?:e|es|ed)|threaten(?:s|ed)?|decid(?:e|es|ed)|agree(?:s|d)?|vot(?:e|es|ed)|hop(?:e|es|ed))$/;
const DE_WILL =
	/^(?:will|willst|wollen|wolle|wollte|wollten|soll|sollen|solle|sollte|sollten|muss|müssen|müsse|plant|planen|plante|planten|beabsichtigt|beabsichtigen|beabsichtigte|könnte|könnten|dürfte|dürften)$/;
const DE_FUTURE = /^(?:wird|werden|werde|würde|würden)$/;
/* A finite haben, a past of sein or werden: "hat erhöht", "wurde gesenkt", "war". */
const DE_DID = /^(?:hat|haben|habe|hatte|hatten|hast|habt|wurde|wurden|war|waren)$/;
const DE_IS = /^(?:ist|sind|bin|bist|seid)$/;
const DE_DECIDED =
	/^(?:beschloss|beschlossen|kündigte|kündigten|versprach|versprachen|entschied|entschieden|vereinbarte|vereinbarten)$/;
/* The participle closing "hat … beschlossen/angekündigt/versprochen": a decision, no past of its deed. */
const DE_DECIDED_DONE = /^(?:beschlossen|angekündigt|versprochen|vereinbart|entschieden|zugesagt)$/;
/*
 * A German participle with ge-, a particle before it allowed ("gestiegen", "angestiegen").
 * Tried from a word's first letter only, after a lookahead that it ends in -t or -en, with its
 * "ge" found lazily: tried from every "ge", each try read to the word's end, quadratic, 200 ms
 * of CPU for a word of 20,000 letters in a claim or a search (0.1 ms now). It matches the same.
 */
export const DE_PARTICIPLE = /(?<!\p{L})(?=\p{L}*(?:t|en)$)\p{L}*?ge\p{L}{3,}(?:t|en)$/u;

/* A lower-case infinitive at lexeme j that closes its clause: "zu erhöhen." (not "zu hohen Preisen"). */
function infinitiveClosing(lexemes: Lexeme[], j: number): boolean {
	const word = lexemes[j];
	if (word?.kind !== "word" || !/^\p{Ll}\p{L}*en$/u.test(word.text)) return false;
	const next = lexemes[j + 1];
	return next === undefined || next.kind === "break";
}

/* The last word of the clause lexeme i is in (a German verb-final one's verb), within 16 lexemes. */
function clauseLastWord(lexemes: Lexeme[], i: number): Lexeme | undefined {
	let last: Lexeme | undefined;
	for (let j = i + 1; j < Math.min(lexemes.length, i + 16) && !clauseEnd(lexemes, j); j++) {
		if (lexemes[j]?.kind === "word") last = lexemes[j];
	}
	return last;
}

/*
 * The verb closing the clause of a German auxiliary at lexeme i: the word before the first comma
 * when it is a lower-case verb form ("will die Rente kürzen, behauptete Merz", "…, so Merz": a
 * comma ends a clause only before the verbs of saying SUBORDINATOR lists), else the clause's last.
 */
function closingVerb(lexemes: Lexeme[], i: number): Lexeme | undefined {
	const before = beforeBreak(lexemes, i);
	if (before?.kind === "word" && /^\p{Ll}\p{L}*(?:en|[lr]n|t|sein)$/u.test(before.text)) return before;
	return clauseLastWord(lexemes, i);
}

/* kündigte at i with its an: right after it, closing its clause, or as its separated particle. */
function announces(lexemes: Lexeme[], i: number): boolean {
	return (
		lexemes[i + 1]?.lower === "an" ||
		beforeBreak(lexemes, i)?.lower === "an" ||
		separatedParticle(lexemes, i, { an: true }) === true
	);
}

/*
 * "dass" at lexeme i, or after a comma there: entschied's ruling, not a decision to act. A
 * court's ("Der Gerichtshof entschied, dass die Speicherung gegen EU-Recht verstößt") unless its
 * dass clause ends on a modal or werden: "…, dass die Wahl wiederholt werden muss" is an order,
 * of what is still to come, not the deed; anyone's when the dass clause ends on
 * ist/sind/sei/seien/war/waren ("…, dass das Gesetz verfassungswidrig ist"); "Der Stadtrat hat
 * entschieden, dass das Freibad schließt" decides.
 */
function rulesThat(lexemes: Lexeme[], i: number): boolean {
	const at = lexemes[i]?.text === "," ? i + 1 : i;
	if (lexemes[at]?.lower !== "dass") return false;
	const closing = beforeBreak(lexemes, at)?.lower ?? "";
	return (
		/^(?:ist|sind|sei|seien|war|waren)$/.test(closing) ||
		(courtBefore(lexemes, i) && !COURT_ORDERS.test(closing))
	);
}

/* A court's dass clause ending so orders, allows or foresees: "…, dass die Wahl wiederholt werden muss". */
const COURT_ORDERS =
	/^(?:muss|müssen|müsse|wird|werden|werde|soll|sollen|solle|darf|dürfen|dürfe|kann|können|könne)$/;

/* A court, its judges or a court's abbreviation in the clause before lexeme i: "Der EuGH", "die Richter". */
const COURT = /(?:gericht|gerichts|gerichtshof|gerichtshofs|richter|richterin|richterinnen)$/;
const COURT_ABBREVIATION = /^(?:eugh|egmr|bgh|bverfg|bverwg|bfh|bsg|olg|ovg|vgh)$/;

function courtBefore(lexemes: Lexeme[], i: number): boolean {
	for (let j = i - 1; j >= Math.max(0, i - 12); j--) {
		const lexeme = lexemes[j] as Lexeme;
		if (lexeme.kind === "break") return false;
		const court = COURT.test(lexeme.lower) || COURT_ABBREVIATION.test(lexeme.lower);
		if (/^\p{Lu}/u.test(lexeme.text) && court && courtNamed(lexemes, j)) return true;
	}
	return false;
}

/*
 * The court word at j names the one who rules: with its article ("Der Europäische Gerichtshof",
 * "Der Zweite Senat des Bundesverfassungsgerichts") or an abbreviation ("BGH"). Not a genitive
 * in a preposition's phrase ("nach dem Urteil des Verfassungsgerichts": someone else decides),
 * nor Richter, one of the commonest surnames, after a title ("Innenminister Richter", "Der
 * Landrat Richter"): the judges are "die Richter", "die obersten Richter", "die Karlsruher Richter
 * entschieden" (a plural verb). A court word with no article is named as a headline names it
 * ("Bundesverfassungsgericht entschied"), unless after a preposition ("laut Verfassungsgericht").
 */
function courtNamed(lexemes: Lexeme[], j: number): boolean {
	const court = lexemes[j] as Lexeme;
	const before = lexemes[j - 1];
	const judge = /^richter(?:in)?$/.test(court.lower);
	// "Die Karlsruher Richter entschieden": judges, as their verb says; "Innenminister Richter entschied" one man.
	const judges =
		court.lower === "richter" && /^(?:entschieden|haben|urteilten)$/.test(lexemes[j + 1]?.lower ?? "");
	if (judge && !judges && before !== undefined && before.kind === "word") {
		if (!ARTICLE.test(before.lower) && !/^\p{Ll}/u.test(before.text)) return false;
	}
	for (let k = j - 1; k >= Math.max(0, j - 3); k--) {
		const word = lexemes[k] as Lexeme;
		if (word.kind === "break") break;
		if (!ARTICLE.test(word.lower)) continue;
		// The article's own phrase: after a noun ("Urteil des …") the phrase it hangs on, back to a preposition.
		const head = lexemes[k - 1];
		if (head?.kind !== "word" || !/^\p{Lu}/u.test(head.text)) return true;
		return !lexemes
			.slice(Math.max(0, k - 4), k - 1)
			.some((l) => PREPOSITIONS.has(l.lower) || /^(?:laut|trotz|wegen|vor|gemäß)$/.test(l.lower));
	}
	if (COURT_ABBREVIATION.test(court.lower)) return true;
	// No article, as a headline writes it ("Bundesverfassungsgericht entschied"), but not "laut Verfassungsgericht".
	const word = before?.kind === "word" ? before.lower : "";
	return !judge && !PREPOSITIONS.has(word) && !/^(?:laut|trotz|wegen|vor|gemäß|nach)$/.test(word);
}

function germanMode(lexemes: Lexeme[], i: number): string | undefined {
	const { lower } = lexemes[i] as Lexeme;
	// "…, die Steuern zu erhöhen": a plan, announced, promised or decided.
	if (lower === "zu") return infinitiveClosing(lexemes, i + 1) ? "will" : undefined;
	// A decision, announcement or promise is of what is to come, as "hat … beschlossen/angekündigt"
	// is: "Der Bundestag beschloss, den Mindestlohn zu erhöhen" restates "hat eine Erhöhung …
	// beschlossen", and neither is "erhöhte den Mindestlohn". Not an adjective after an article or
	// a preposition: "die vereinbarten Ziele".
	if (DE_DECIDED.test(lower)) {
		const previous = lexemes[i - 1]?.lower ?? "";
		if (ARTICLE.test(previous) || PREPOSITIONS.has(previous)) return undefined;
		// kündigte without its an is notice given, the deed itself: "Siemens kündigte 500
		// Mitarbeitern" is not "will … kündigen"; "kündigte an, …" and "kündigte … an" announce.
		if (lower.startsWith("kündigt") && !announces(lexemes, i)) return undefined;
		// "entschied, dass das Gesetz verfassungswidrig ist": a ruling, what it found is no plan.
		return lower.startsWith("entschied") && rulesThat(lexemes, i + 1) ? undefined : "will";
	}
	// Most words are none of these: the modals and auxiliaries are stop words, planen is not, nor
	// reported speech's wolle, solle and werde ("Merz sagte, die Bahn werde die Preise erhöhen").
	if (!DE.stop.has(lower) && !DE_WILL.test(lower) && !DE_FUTURE.test(lower)) return undefined;
	const modal = DE_WILL.test(lower);
	if (!modal && !DE_FUTURE.test(lower) && !DE_IS.test(lower)) {
		if (!DE_DID.test(lower)) return undefined;
		// "hat angekündigt, die Rente zu erhöhen", "hat … beschlossen": a decision, as beschloss;
		// "hat entschieden, dass …" a ruling, as entschied.
		const end = breakAfter(lexemes, i);
		const closing = end === undefined ? "" : (lexemes[end - 1]?.lower ?? "");
		if (!DE_DECIDED_DONE.test(closing)) return "did";
		return closing === "entschieden" && rulesThat(lexemes, end ?? 0) ? "did" : "will";
	}
	const last = closingVerb(lexemes, i);
	const verb = last && /^\p{Ll}/u.test(last.text) ? last.lower : "";
	// "soll gelogen haben", "will nichts gewusst haben": a past, said by someone or of oneself.
	if (modal)
		return /^(?:haben|sein)$/.test(verb) ? "did" : /^(?:muss|müssen|müsse)$/.test(lower) ? "will?" : "will";
	if (DE_IS.test(lower)) return DE_PARTICIPLE.test(verb) ? "did" : undefined;
	// "wird erhöhen", "wird deckeln" are to come, "wird erhöht" and "werden … angegriffen" (a
	// participle in -en, its particle first) a passive of now.
	return /(?:en|[lr]n)$/.test(verb) &&
		!verb.startsWith("ge") &&
		!DE_PARTICIPLE.test(verb) &&
		verb !== "worden"
		? "will"
		: undefined;
}

/*
 * A negated auxiliary's own word: "didn't" did, "won't" will, "can't" and "cannot" can;
 * without the apostrophe too for those the negation reads so ("didnt", "wont").
 */
const EN_CONTRACTED =
	/^(?:(did|does|do|is|was|are|were|has|have|had|could|would|should|wo|ca)n'?t|(must|might|need|sha)n't|(can)not)$/;

function uncontracted(lower: string): string {
	const match = EN_CONTRACTED.exec(lower);
	const stem = match?.[1] ?? match?.[2] ?? match?.[3];
	if (stem === undefined) return lower;
	return stem === "wo" ? "will" : stem === "ca" ? "can" : stem === "sha" ? "shall" : stem;
}

/*
 * English: "raised", "fell", "has cut"; not a participle after be ("will be raised"), after an
 * article ("the injured") or capitalised (a name, "United"), but in a Title Case headline
 * (`titled`, see `titleCase`) read as in lower case; not the will-words' own past.
 */
function englishMode(lexemes: Lexeme[], i: number, lexicon: Lexicon, titled = false): string | undefined {
	const { lower, text } = lexemes[i] as Lexeme;
	const next = lexemes[i + 1];
	// "refused to deliver" is "said he would not deliver": a will, its not read apart. Before the
	// stop words: "promised" is one, and "promised to raise" is no raise done.
	if (next?.lower === "to" && (EN_MEANS_TO.test(lower) || /^(?:refus|declin)(?:e|es|ed)$/.test(lower))) {
		const verb = lexemes[i + 2];
		return verb?.kind === "word" && !ARTICLE.test(verb.lower) ? "will" : undefined;
	}
	if (PROMISES.test(lower) && promised(lexemes, i)) return "will?";
	// Read for every word of every text: will, has, have and had are stop words, most words are
	// not. A contraction as its auxiliary: "didn't" is did, "won't" and "wouldn't" will.
	const auxiliary = uncontracted(lower);
	if (lexicon.stop.has(auxiliary)) {
		// Not the month nor Theresa May: a capital May is no may, but in a headline's Title Case.
		if (EN_WILL.test(auxiliary))
			return ARTICLE.test(lexemes[i - 1]?.lower ?? "") || mayApart(lexemes, i, titled)
				? undefined
				: !/^(?:must|should)$/.test(auxiliary)
					? "will"
					: // "should have raised", "must have known": what was (or was not) done, read at have.
						/^(?:have|'ve)$/.test(next?.lower ?? "")
						? undefined
						: "will?";
		if (auxiliary === "had" || auxiliary === "did") return "did";
		if (auxiliary !== "has" && auxiliary !== "have") return undefined;
		// "has raised", "has been raised"; not "has to", "has a plan", nor "has promised to raise"
		// or "has promised a tax cut" (the promise's perfect, no past of the raise).
		const word = next?.kind === "word" ? next.lower : "";
		const promise =
			(EN_MEANS_TO.test(word) && lexemes[i + 2]?.lower === "to") ||
			(PROMISES.test(word) && promised(lexemes, i + 1));
		return word && word !== "to" && !ARTICLE.test(word) && !promise ? "did" : undefined;
	}
	// The will-words' own past ("voted for", "decided on", "was expected")
	// is no past of the claim: "voted to raise" restates "voted for raising". Set is one only
	// before to (read above): "The ECB set rates at 4 percent" is a past.
	if (EN_MEANS_TO.test(lower) && lower !== "set") return undefined;
	if (/^\p{Lu}/u.test(text) && !titled) return undefined;
	const previous = uncontracted(lexemes[i - 1]?.lower ?? "");
	// "are being raised", "get raised": a passive of now, no past.
	if (/^(?:be|being|is|are|am|get|gets)$/.test(previous) || ARTICLE.test(previous)) return undefined;
	// "will hit", "promised to quit", "did not cut", "won't cut", "doesn't cut": hit, quit and cut
	// are their own infinitives, no past after these ("Biden promised to quit the race" is not
	// "Biden quit the race"). A capital Will starts a clause ("Merz: Will cut taxes"); a capital
	// May is the month or a name ("Theresa May cut taxes").
	if (
		!mayApart(lexemes, i - 1, titled) &&
		/^(?:to|will|would|shall|can|could|may|might|must|should|do|does|did|not|n't)$/.test(previous)
	)
		return undefined;
	if (nounAfterArticle(lexemes, i) || (lower === "let" && next?.lower === "alone")) return undefined;
	if (BASE_PAST.test(lower)) return "did?";
	const past =
		EN_PAST.test(lower) || (lower.length >= 5 && lower.endsWith("ed") && !/(?:eed|hundred)$/.test(lower));
	// In Title Case a past may be a name's ("Manchester United", "Mohammed"): as weak as a base past's.
	return past ? (/^\p{Lu}/u.test(text) ? "did?" : "did") : undefined;
}

/*
 * A promise, a pledge, a vow, a want or a threat of a thing is of what is to come, as one to do
 * it is: "Merz promised a tax cut" restates "Merz promised to cut taxes" and is another claim than
 * "Merz cut taxes" (it had no mode, so it was that claim). Their object follows: an article, a
 * noun ("promises tax cut"), not "that" (its clause has its own mode) nor a preposition. A weak
 * will (`weakPast`): after a past it is a later clause's ("… raised the minimum wage after unions
 * threatened strikes" is the deed).
 */
const PROMISES = /^(?:promis(?:e|es|ed)|pledg(?:e|es|ed)|vow(?:s|ed)?|wants?|threaten(?:s|ed)?)$/;

/*
 * The verb, after its subject and before its object: not an adjective after an article, a
 * possessive or a verb ("the promised land", "Merz's pledged funds", "delivered pledged aid"),
 * nor a noun before its verb ("Campaign promises cost billions", "… will cost").
 */
function promised(lexemes: Lexeme[], i: number): boolean {
	const [previous, next] = [lexemes[i - 1], lexemes[i + 1]];
	if (previous?.kind !== "word" || (next?.kind !== "word" && next?.kind !== "number")) return false;
	const before = previous.lower;
	if (ARTICLE.test(before) || /^(?:its|his|her|their|our|my|your|most|least|more)$|'s$/.test(before))
		return false;
	if (/ed$/.test(before) || (EN_PAST.test(before) && !/^(?:said|told)$/.test(before))) return false;
	const after = uncontracted(next.lower);
	if (/^(?:that|to|by|in|on|at|of|for|with|from|and|or|but|it|he|she|they|we|i|you)$/.test(after))
		return false;
	const verb =
		/^(?:will|would|shall|should|can|could|may|might|must|is|are|was|were|be|been|has|have|had|do|does|did)$/;
	return !verb.test(after) && !EN_PAST.test(after) && !/\p{L}{2}ed$/u.test(after);
}

/*
 * A headline in Title Case: every word but the stop words capitalised, at least three ("Germany
 * Beat Brazil 7-1 In World Cup Semifinal"). Its capitals tell no name, so its mode is read as in
 * lower case: else "Beat" and "Raised" were no past and "Germany Will Beat Brazil" the same
 * claim. A sentence has a lower-case word beside its names ("Russia hit Kyiv").
 */
function titleCase(lexemes: Lexeme[]): boolean {
	let capitals = 0;
	for (const lexeme of lexemes) {
		if (lexeme.kind !== "word" || EN.stop.has(lexeme.lower) || !/^\p{L}{2}/u.test(lexeme.text)) continue;
		if (!/^\p{Lu}/u.test(lexeme.text)) return false;
		capitals++;
	}
	return capitals >= 3;
}

/*
 * The capital May at j is the month or a name, no may. In a sentence always ("Inflation in May
 * rose", "Theresa May cut taxes"); in a Title Case headline, where every word has a capital,
 * after in/of/since … or before a number ("In May", "May 2024"), or before what no modal
 * precedes: an auxiliary, a past or an -s form ("Theresa May Will Quit", "… Resigned", "…
 * Resigns"). Else a modal: "Inflation May Hit 5 Percent".
 */
function mayApart(lexemes: Lexeme[], j: number, titled: boolean): boolean {
	if (lexemes[j]?.text !== "May") return false;
	if (!titled) return true;
	const before = lexemes[j - 1]?.lower ?? "";
	const next = lexemes[j + 1];
	if (/^(?:in|of|since|until|till|by|from|early|late|mid|last|next|this|through|during)$/.test(before))
		return true;
	if (next?.kind !== "word") return true;
	const word = uncontracted(next.lower);
	return (
		/^(?:will|would|shall|should|can|could|may|might|must|has|had|is|was|does|did|says|said)$/.test(word) ||
		/\p{L}{2}ed$/u.test(word) ||
		(EN_PAST.test(word) && !BASE_PAST.test(word)) ||
		/\p{L}{2}[^su]s$/u.test(word)
	);
}

/*
 * Pasts spelt as their infinitive, as often a noun or an adjective ("another set of sanctions",
 * "at set prices", "with its original cast"): "mo:did?", a past only in a text that has no will
 * (see `weakPast`), so "Friends will return with its original cast" states no past beside its will.
 */
const BASE_PAST = /^(?:hit|hurt|quit|cut|put|shut|spread|cost|beat|let|cast|set|burst)$/;

/*
 * "a tax cut", "a rapid spread of measles", "a new set of rules", "a burst of gunfire": cut,
 * spread, cost, hit, set and burst as nouns, no past. Before "of", article or not ("another set
 * of sanctions"); else an article within four words before, and a cut or cost ending its clause
 * ("wants a tax cut.", "at a cost.": as verbs they need an object; not an article that starts
 * its clause or follows that/said/says, the subject's), or a cut before in/on/for/to ("a cut to
 * pensions"). Spread, hit, set and burst ending a clause are verbs after the subject's article,
 * whatever verb of saying comes before it ("Health officials say a measles outbreak spread.",
 * "Posts claim a dam burst."), and so before to/in/on ("A measles outbreak spread to five
 * states" is a past, not "could spread to"). Put, shut, hurt, quit, beat, let and cast are
 * rarely nouns.
 */
function nounAfterArticle(lexemes: Lexeme[], i: number): boolean {
	const { lower } = lexemes[i] as Lexeme;
	if (!/^(?:cut|spread|cost|hit|set|burst)$/.test(lower)) return false;
	const next = lexemes[i + 1];
	const last = !next || next.kind === "break";
	// Before "of" a noun with or without its article: "another set of", "the rising cost of living".
	if (next?.lower === "of") return true;
	// Ending a clause only cut and cost, which as verbs need their object: "a dam burst." and
	// "officials say a measles outbreak spread." are verbs after the subject's article.
	if (last && lower !== "cut" && lower !== "cost") return false;
	if (!last && !(lower === "cut" && /^(?:in|on|for|to)$/.test(next.lower))) return false;
	for (let j = i - 1; j >= Math.max(0, i - 4); j--) {
		if (!/^(?:a|an)$/.test(lexemes[j]?.lower ?? "")) continue;
		const before = lexemes[j - 1];
		return (
			!last || (before !== undefined && before.kind !== "break" && !/^(?:that|said|says)$/.test(before.lower))
		);
	}
	return false;
}

/*
 * A German preterite in -te/-ten, "Die Regierung kürzte die Rente", "schaffte das Tempolimit ab"
 * (or a strong one, "strich", "trat … zurück": see STRONG_PRETERITES),
 * was no mode, so "Die Regierung will die Rente kürzen" against it was the same claim (0.93); but
 * such a word is as often an adjective ("erhöhte Preise") or none ("heute"). So it is read against
 * the other text: "pt:<stem>" here (its separated particle before it: "abschaff"), "vi:<stem>" for
 * the infinitive a plan or a future governs ("will … kürzen": "kürz"), and a past's stem that is
 * the other text's infinitive's (or it with an -e, "schaltete": "schalte", "schalten": "schalt")
 * reads as "mo:did" against it (see `withPast`). Not after an article or a preposition ("die
 * erhöhten Gebühren", "von erhöhten Gebühren"); at most MAX_VERB_FORMS a text.
 */
const MAX_VERB_FORMS = 16;
const PRETERITE_DE = /^(\p{L}{3,})ten?$/u;
const PARTICLES: Readonly<Record<string, string>> = Object.fromEntries(
	words(
		"ab an auf aus bei durch ein fest fort frei her herab heraus hin hoch los mit nach um vor weg zu zurück zusammen",
	).map((particle) => [particle, particle]),
);

/*
 * Strong preterites and the present stem they are read against, "trat … zurück" (zurücktret)
 * against "will zurücktreten", "strich" against "streichen": an inseparable prefix or a particle
 * joined to it is kept ("verbot": verbiet, "zurücktrat"), the plural's -en dropped ("traten").
 */
const STRONG_PRETERITES: ReadonlyMap<string, string> = new Map(
	words(
		"trat:tret bot:biet strich:streich nahm:nehm gab:geb schloss:schließ brach:brech wies:weis " +
			"sprach:sprech ließ:lass zog:zieh rief:ruf hielt:halt fand:find schrieb:schreib warf:werf " +
			"traf:treff stahl:stehl schob:schieb stieß:stoß griff:greif schnitt:schneid schied:scheid " +
			"mied:meid lud:lad hob:heb schlug:schlag trug:trag starb:sterb fiel:fall kam:komm ging:geh " +
			"stieg:steig sank:sink lor:lier gewann:gewinn",
	).map((pair) => pair.split(":") as [string, string]),
);
const STRONG_PREFIX = /^(?:ver|be|ent|er|zer|unter|über|ab|an|auf|aus|ein|fest|frei|zurück|zu|nach|vor)/;

function strongPreterite(lower: string): string | undefined {
	const prefix = STRONG_PREFIX.exec(lower)?.[0] ?? "";
	for (const start of prefix ? [0, prefix.length] : [0]) {
		const base = lower.slice(start);
		const present =
			STRONG_PRETERITES.get(base) ??
			(base.endsWith("en") ? STRONG_PRETERITES.get(base.slice(0, -2)) : undefined);
		if (present) return `${lower.slice(0, start)}${present}`;
	}
	return undefined;
}

function germanPreterite(lexemes: Lexeme[], i: number): string | undefined {
	const { lower, text } = lexemes[i] as Lexeme;
	if (!/^\p{Ll}/u.test(text)) return undefined;
	// Strong first: "traten" is trat's plural, no weak "tra-ten".
	const stem = strongPreterite(lower) ?? PRETERITE_DE.exec(lower)?.[1];
	if (!stem || DE.stop.has(lower)) return undefined;
	const previous = lexemes[i - 1]?.lower ?? "";
	if (ARTICLE.test(previous) || PREPOSITIONS.has(previous)) return undefined;
	return `${separatedParticle(lexemes, i, PARTICLES) ?? ""}${stem}`;
}

/* The stem of the infinitive a German will-word at lexeme i governs: "will … kürzen", "zu kürzen". */
function germanInfinitive(lexemes: Lexeme[], i: number): string | undefined {
	const word = lexemes[i]?.lower === "zu" ? lexemes[i + 1] : closingVerb(lexemes, i);
	if (word?.kind !== "word" || !/^\p{Ll}\p{L}+n$/u.test(word.text)) return undefined;
	return word.lower.replace(/e?n$/, "");
}

function timeAndMode(lexemes: Lexeme[], i: number, ctx: WordContext, c: Collector): void {
	const { lexicon } = ctx;
	const time = relativeTime(lexemes, i, lexicon);
	if (time) c.when.add(time);
	const mode =
		lexicon === EN
			? englishMode(lexemes, i, lexicon, ctx.titled)
			: lexicon === DE
				? germanMode(lexemes, i)
				: undefined;
	if (mode) c.when.add(`mo:${mode}`);
	if (lexicon !== DE || c.verbForms.size >= MAX_VERB_FORMS) return;
	const infinitive = mode === "will" || mode === "will?" ? germanInfinitive(lexemes, i) : undefined;
	if (infinitive) c.verbForms.add(`vi:${infinitive}`);
	const past = germanPreterite(lexemes, i);
	if (past) c.verbForms.add(`pt:${past}`);
}

/* "doubled" is ×2, so "tripled" differs in number as well as "rose" in nothing. True when read. */
function readMultiple(lower: string, c: Collector): boolean {
	const times = multipleOf(lower);
	if (times === undefined) return false;
	const canonical = `x${canonicalNumber(times)}`;
	c.numbers.add(canonical);
	c.tokens.add(`n:${canonical}`);
	if (times > 1) c.up++;
	else c.down++;
	c.tokens.add(times > 1 ? "d:+" : "d:-");
	return true;
}

/* A word of a direction ("rose", "ging … zurück", "a price hike"). True when read. */
function readDirection(lexemes: Lexeme[], i: number, lexicon: Lexicon, c: Collector): boolean {
	const { lower } = lexemes[i] as Lexeme;
	const separated = lexicon === DE ? separatedDirection(lexemes, i) : 0;
	const hike = lexicon !== DE && pricedHike(lexemes, i);
	if (separated === 0 && !hike && !lexicon.up.test(lower) && !lexicon.down.test(lower)) return false;
	const up = separated === 0 ? hike || lexicon.up.test(lower) : separated > 0;
	if (up) c.up++;
	else c.down++;
	// One token for all words of a direction, so "rose" and "increased" meet.
	c.tokens.add(up ? "d:+" : "d:-");
	return true;
}

/* One word (or a two-word place name) at lexeme i; returns the index after it. */
function readWord(lexemes: Lexeme[], i: number, ctx: WordContext, c: Collector): number {
	const { lexicon, language } = ctx;
	const lexeme = lexemes[i] as Lexeme;
	const { lower } = lexeme;
	const next = lexemes[i + 1];
	// Read before stop words are dropped, and the word kept: "against" still counts as a word.
	const side = polarityAt(lexemes, i, lexicon);
	if (side) c.polarity.add(side);
	timeAndMode(lexemes, i, ctx, c);
	const role = roleAt(lexemes, i, lexicon);
	const argument = role === "!";
	// "North Korea's": the place, its possessive read as who acts.
	const pair = next?.kind === "word" ? `${lower} ${next.lower.replace(/'s$/, "")}` : null;
	const bigram =
		pair === null ? undefined : (PLACE_BIGRAMS[pair] ?? FOLDED_BIGRAMS.get(foldLatinDiacritics(pair)));
	if (bigram && next) {
		addPlace(c, bigram, `${lexeme.text} ${next.text.replace(/['\u2019]s$/, "")}`, language, role);
		possessiveAgent(lexemes, i + 1, ctx, c, lexeme);
		return i + 2;
	}
	// "US" in capitals is a country; "us" is a pronoun.
	if (lexeme.text === "US" || lexeme.text === "USA") {
		addPlace(c, "us", lexeme.text, language, role);
		return i + 1;
	}
	if (lexicon.negation.test(lower)) {
		c.negations++;
		// "no one" is "nobody", not the number 1.
		return lower === "no" && next?.lower === "one" ? i + 2 : i + 1;
	}
	if (flipped(lexemes, i, lexicon)) {
		c.negations++;
		return i + 1;
	}
	if (readMultiple(lower, c)) return i + 1;
	// "more than 500", "at least 500", "weniger als die Hälfte": a bound (see numberBound), no
	// direction and no words of the claim: its tag on the number says it, and "at least 500"
	// restated as "500 or more" (whose words are left out too) kept "least" against nothing.
	const bound = boundBefore(lexemes, i, lexicon);
	if (bound > 0) return i + bound;
	if (lexicon.hardly.test(lower)) {
		c.hedges++;
		return i + 1;
	}
	if (readDirection(lexemes, i, lexicon, c)) return i + 1;
	const ranking = rankingAt(lexemes, i, lexicon);
	if (ranking) {
		c.order.push(ranking[0]);
		c.tokens.add(LEADS);
		// Vor still says before, as it did: "vor der Wahl" against "nach der Wahl" stays guarded.
		if (lower === "vor") readScope(lexemes, i, lexicon, c);
		return ranking[1];
	}
	if (readScope(lexemes, i, lexicon, c)) return i + 1;
	const month = MONTHS.get(lower);
	if (month !== undefined && (!lexicon.stop.has(lower) || /^\p{Lu}/u.test(lexeme.text))) {
		c.tokens.add(`m:${month}`);
		return i + 1;
	}
	accompaniment(lexemes, i, ctx, c);
	caseRoles(lexemes, i, ctx, c);
	possessiveAgent(lexemes, i, ctx, c);
	if (lexicon === DE && FINITE_AUXILIARY.test(lower)) {
		c.order.push(PIVOT);
		const lead = auxiliaryLead(lexemes, i);
		if (lead) c.order.push(lead);
	}
	if (lexicon.stop.has(lower)) return i + 1;
	// "two quarters in a row" restates "two consecutive quarters" (in and a are stop words).
	const inARow = lower === "row" && lexemes[i - 1]?.lower === "a" && lexemes[i - 2]?.lower === "in";
	const stemmed = stemmedWord(inARow ? "consecutive" : lexeme.text, language);
	// Compared as the index compares it: "Wonsan" is "Wŏnsan", "Zurich" "Zürich".
	const token = foldLatinDiacritics(stemmed);
	const place = placeOf(stemmed, language) ?? placeOf(token, language);
	if (place !== undefined) {
		addPlace(c, place, lexeme.text, language, role);
		return i + 1;
	}
	const previous = lexemes[i - 1];
	const english = lexicon === EN;
	// Names (English capitalises them only) take part in who-did-what; German nouns are all capitalised.
	const capitalised = english && /^\p{Lu}/u.test(lexeme.text);
	const name = capitalised && argument;
	const aroundPivot = lexicon === DE && argument && /^\p{Lu}/u.test(lexeme.text) && pivotSlot(lexemes, i);
	if (
		english &&
		!ctx.sentenceStart &&
		/^\p{Lu}/u.test(lexeme.text) &&
		previous?.kind === "word" &&
		PLACE_PREPOSITIONS.has(previous.lower) &&
		!NOT_PLACES.has(lower)
	) {
		c.places.add(`~${token}`);
	}
	if (token.length >= 2) {
		c.tokens.add(token);
		c.wordTerms.push(...stemTokens(lexeme.text, language));
		const marked = markedWord(lower, token, language);
		if (marked) c.marked.push(marked);
		const qualifier = qualifierOf(lower);
		if (qualifier === "committee") c.qualifiers.add(qualifier);
		else if (qualifier)
			for (const head of headsAfter(lexemes, i, ctx)) c.qualifiers.add(`${qualifier}:${head}`);
		c.order.push(
			name ? `!${token}` : capitalised && role === "@" ? `@${token}` : aroundPivot ? `?${token}` : token,
		);
		// "overtaken by": turned round before the verb, so the verb stands where the active's does and
		// the words after the one who leads ("by China as the largest exporter") trail no one.
		if (OVERTAKES.test(lower) && next?.kind === "word" && (english || subjectFirst(lexemes, i))) {
			if (lower === "overtaken" && next.lower === "by") c.order.splice(c.order.length - 1, 0, TRAIL);
			else c.order.push("<");
		}
	}
	return i + 1;
}

/*
 * Words that make their head another role or body: the vice president is not the president, the
 * acting or former minister not the minister, the Senate committee not the Senate. Added on one
 * side only, they read as a shortened quote, and "The president signed the bill" was the same
 * claim as "The vice president signed the bill" (0.93). Deputy, acting and former count against
 * a text that has their head (one of the two words after them) without them ("Former president
 * Trump" still restates "Trump"), a committee always; see `qualifiedOnly`.
 */
const QUALIFIERS: readonly (readonly [RegExp, string])[] = [
	[/^(?:vice|deputy|vize|stellvertretende[nmrs]?)$/, "deputy"],
	[/^(?:acting|interim|kommissarische[nmrs]?)$/, "acting"],
	[/^(?:former|ex|ehemalige[nmrs]?)$/, "former"],
	[/^(?:(?:sub)?committees?|\p{L}*ausschuss(?:es)?|\p{L}*ausschüssen?)$/u, "committee"],
];

function qualifierOf(lower: string): string | undefined {
	return QUALIFIERS.find(([pattern]) => pattern.test(lower))?.[1];
}

/*
 * The word a qualifier at lexeme i qualifies: the next word of the claim, past a place ("former
 * US president": president). Not the name after it: "Former president Trump" restates "Trump".
 */
function headsAfter(lexemes: Lexeme[], i: number, ctx: WordContext): string[] {
	const heads: string[] = [];
	for (let j = i + 1; j <= i + 3; j++) {
		const word = lexemes[j];
		if (word?.kind !== "word") break;
		if (ctx.lexicon.stop.has(word.lower) || qualifierOf(word.lower)) continue;
		const stemmed = stemmedWord(word.text, ctx.language);
		const place = placeOf(stemmed, ctx.language) ?? placeOf(foldLatinDiacritics(stemmed), ctx.language);
		heads.push(place === undefined ? foldLatinDiacritics(stemmed) : `p:${place}`);
		if (place === undefined) break;
	}
	return heads;
}

/*
 * German puts a finite auxiliary or modal second and the verb last: "Russland hat die Ukraine
 * angegriffen", "Merz hat Scholz kritisiert". Only the auxiliary (a stop word) stands between
 * the two, so no fact was read and the swap was the same claim, while the preterite "Russland
 * griff die Ukraine an" was guarded. Not sein: "Deutschland ist Exportweltmeister" is no act.
 */
const FINITE_AUXILIARY =
	/^(?:hat|haben|habe|hatte|hatten|hätte|hätten|wird|werden|werde|wurde|wurden|würde|würden|kann|können|könne|konnte|konnten|könnte|könnten|muss|müssen|müsse|musste|mussten|müsste|müssten|soll|sollen|solle|sollte|sollten|will|wollen|wolle|wollte|wollten|darf|dürfen|dürfe|durfte|durften|dürfte|dürften)$/;
/* The auxiliary in the word order: a name right before it and a name right after it are its two roles. */
const PIVOT = "^";
/* A fact's verb for a name that acts and one where the act goes ("!p:ru>!p:blr>@", see GOAL_PREPOSITIONS). */
const GOAL = "@";

/*
 * A capitalised German word first in its clause (after a stop or a comma), or right after the auxiliary:
 * "Putin" and "Kim" in "Putin hat Kim einen Brief geschrieben". German capitalises every noun,
 * so it is no name anywhere else, and even here only beside the auxiliary (`sentenceFacts`).
 */
function pivotSlot(lexemes: Lexeme[], i: number): boolean {
	const previous = lexemes[i - 1];
	return previous === undefined || previous.kind === "break" || FINITE_AUXILIARY.test(previous.lower);
}

function collect(text: string, language: string): Collector {
	const lexicon = lexiconFor(language);
	const lexemes = lex(text);
	const c: Collector = {
		tokens: new Set(),
		numbers: new Set(),
		years: new Set(),
		places: new Set(),
		marked: [],
		quantifiers: new Set(),
		sequence: new Set(),
		polarity: new Set(),
		qualifiers: new Set(),
		tags: new Set(),
		when: new Set(),
		verbForms: new Set(),
		order: [],
		caseFacts: new Set(),
		negations: 0,
		hedges: 0,
		up: 0,
		down: 0,
		numberTerms: [],
		placeTerms: [],
		wordTerms: [],
	};
	let sentenceStart = true;
	const titled = lexicon === EN && titleCase(lexemes);
	const boundWords = new Set<number>();
	for (let i = 0; i < lexemes.length; ) {
		const lexeme = lexemes[i] as Lexeme;
		if (boundWords.has(i)) {
			i++;
			continue;
		}
		if (lexeme.kind === "break" || lexeme.kind === "symbol") {
			if (/^[.!?\n]$/.test(lexeme.text)) {
				sentenceStart = true;
				c.order.push("|");
			}
			const currency = CURRENCIES.get(lexeme.text);
			if (currency) c.tokens.add(stem(currency, language));
			i++;
			continue;
		}
		if (lexeme.kind === "date") {
			addDate(c, lexeme.text);
			i++;
		} else {
			const quantity = readQuantity(lexemes, i, lexicon);
			if (quantity) {
				const after = quantity.year ? undefined : boundAfter(lexemes, quantity.end, lexicon);
				// The bound's own words are its tag, not words of the claim.
				for (let j = after?.[1] ?? 0; after && j < after[2]; j++) boundWords.add(j);
				addQuantity(
					c,
					quantity,
					numberBound(lexemes, i) ?? after?.[0],
					prepositionOf(lexemes, i, quantity.year),
				);
				// "zwölf" is indexed as a word; a claim that wrote "12" is found by the digits.
				if (lexeme.kind === "word") {
					c.wordTerms.push(...stemTokens(lexeme.text, language));
					const { value } = quantity;
					if (Number.isInteger(value) && value >= 10 && value < 1e4) c.numberTerms.push(String(value));
				}
				i = quantity.end;
			} else {
				i = readWord(lexemes, i, { lexicon, language, sentenceStart, titled }, c);
			}
		}
		sentenceStart = false;
	}
	return c;
}

const sorted = (values: ReadonlySet<string>): string[] => [...values].sort();

/** What the matcher compares about a claim text; compute once per claim, compare many times. */
export function matchFeatures(text: string, language: string): MatchFeatures {
	return featuresOf(collect(text, language), language);
}

/*
 * A question's features and its search terms from one reading of it: the matches read asks
 * the index with the terms and scores the candidates with the features, and reading the
 * text (`collect`) is most of what either costs.
 */
export function matchQuestion(text: string, language: string): { features: MatchFeatures; terms: string[] } {
	const c = collect(text, language);
	return { features: featuresOf(c, language), terms: queryTermsOf(c, text, language) };
}

function featuresOf(c: Collector, language: string): MatchFeatures {
	const net = c.up - c.down;
	return {
		language,
		tokens: [...c.tokens],
		numbers: sorted(c.numbers),
		years: sorted(c.years),
		negations: c.negations,
		negated: lexiconFor(language).concord ? c.negations > 0 : c.negations % 2 === 1,
		hedged: c.hedges > 0,
		direction: net > 0 ? 1 : net < 0 ? -1 : 0,
		directionWords: c.up + c.down,
		places: sorted(c.places),
		marked: c.marked,
		quantifiers: sorted(c.quantifiers),
		sequence: sorted(c.sequence),
		polarity: sorted(c.polarity),
		qualifiers: sorted(c.qualifiers),
		tags: sorted(c.tags),
		when: [...sorted(weakPast(c.when)), ...sorted(c.verbForms)],
		order: orderFacts(c.order, c.caseFacts),
	};
}

/*
 * Who did what to whom, as far as word order tells: "x>y><" for a word x before than/als and
 * y after it ("women earn less than men": "women>men><"), and "!x>!y>w" for two names with a
 * word w between them ("Russia attacked Ukraine": "!p:ru>!p:ua>attack"; a German auxiliary
 * right between them, see PIVOT), and "!x>!y>@" for a name x that acts and a name y the act
 * goes to ("sent troops to Belarus", see GOAL_PREPOSITIONS). A fact the other text
 * states the other way round only is another claim ("roles"). Bounded, as the text is public
 * and a sentence of names and verbs alone makes hundreds (2,000 such characters made 6,500, and
 * every comparison read them all): a sentence's first 24 words, the first 8 sentences
 * (abbreviations such as "U.S." end some) and MAX_ORDER_FACTS in all. A claim of one or two
 * sentences makes far fewer (the labelled pairs at most 44); a swap past the bound goes unseen.
 */
export const MAX_ORDER_FACTS = 256;

function orderFacts(order: readonly string[], caseFacts: ReadonlySet<string>): string[] {
	// A claim's few facts by preposition first: a run of names and verbs may fill the rest.
	const facts = new Set<string>(caseFacts);
	for (let start = 0, sentences = 0; start < order.length && sentences < 8; ) {
		const stop = order.indexOf("|", start);
		const end = stop < 0 ? order.length : stop;
		if (end > start) {
			sentences++;
			sentenceFacts(order.slice(start, Math.min(end, start + 24)), facts);
		}
		start = end + 1;
	}
	return [...facts].slice(0, MAX_ORDER_FACTS);
}

function sentenceFacts(items: readonly string[], facts: Set<string>): void {
	// A comparison's pivot: than/als, a lead's "<", or a trailing one ("hinter", "behind") turned round.
	const than = items.findIndex((item) => item === "<" || item === TRAIL);
	const trailing = items[than] === TRAIL;
	const name = items.map((token) => token.startsWith("!"));
	const bare = items.map((token) => token.replace(/^[!?@]/, ""));
	for (let i = 0; i < items.length; i++) {
		// A German auxiliary between two names, or two capitalised words, right beside it.
		if (items[i] === PIVOT && i > 0 && facts.size < MAX_ORDER_FACTS) {
			const [before, after] = [items[i - 1] ?? "", items[i + 1] ?? ""];
			if (/^[!?]/.test(before) && /^[!?]/.test(after) && bare[i - 1] !== bare[i + 1])
				facts.add(`!${bare[i - 1]}>!${bare[i + 1]}>${PIVOT}`);
		}
		if (items[i] === PIVOT) continue;
		// Who acts and where the act goes, in any order: "An die Ukraine liefert Deutschland Waffen".
		for (let g = 0; name[i] && g < items.length && facts.size < MAX_ORDER_FACTS; g++) {
			if (items[g]?.startsWith("@") && bare[g] !== bare[i]) facts.add(`${items[i]}>!${bare[g]}>${GOAL}`);
		}
		for (let j = i + 1; j < items.length && facts.size < MAX_ORDER_FACTS; j++) {
			if (items[j] === PIVOT) continue;
			if (than >= 0 && i < than && j > than && bare[i] !== bare[j])
				facts.add(trailing ? `${bare[j]}>${bare[i]}><` : `${bare[i]}>${bare[j]}><`);
			if (!name[i] || !name[j]) continue;
			for (let k = i + 1; k < j; k++) {
				if (!name[k] && items[k] !== "<" && items[k] !== TRAIL && items[k] !== PIVOT)
					facts.add(`${items[i]}>${items[j]}>${bare[k]}`);
			}
		}
	}
}

export const MAX_QUERY_TERMS = 12;

/**
 * Terms for an FTS5 OR-query that finds match candidates: numbers — as one canonical token
 * each (domain/numbers: "1000" meets "1.000" and "1,000"), and as the index's tokenizer sees
 * them written ("600.000" is indexed as "600" and "000"), for terms written before the tokens
 * — places, then the other stems, longest first (a cheap stand-in for rarity). Stems are
 * those of `stemTokens`, so they meet an index built with it; quote each term in the query.
 */
export function matchQueryTerms(text: string, language: string): string[] {
	return queryTermsOf(collect(text, language), text, language);
}

function queryTermsOf(c: Collector, text: string, language: string): string[] {
	const words = [...new Set(c.wordTerms)].sort((x, y) => y.length - x.length);
	const terms = [...numberTokens(text, language), ...c.numberTerms, ...c.placeTerms, ...words].filter(
		(t) => t.length >= 2,
	);
	return [...new Set(terms)].slice(0, MAX_QUERY_TERMS);
}

// ---------------------------------------------------------------- comparing

/*
 * A shared number or year is strong evidence two texts state the same claim; the
 * direction token is weak (every trend claim has one).
 */
function defaultWeight(token: string): number {
	if (token.startsWith("n:") || token.startsWith("y:")) return 2;
	if (token.startsWith("p:")) return 1.5;
	if (token.startsWith("d:")) return 0.5;
	return 1;
}

/*
 * Credit for a token without an exact partner. German compounds meet their parts by
 * prefix or suffix (arbeitslosenquot ~ arbeitslos, quot; see `contains`); a long shared
 * beginning followed by endings only catches stems the stemmer leaves apart (see
 * `sameBeginning`). Two compounds that share a part are not one word: "Bundestag" and
 * "Bundesrat", "Mindestlohn" and "Mindestrente" each scored 0.6 of a word for "bundes".
 */
function partialCredit(token: string, others: readonly string[], spelling: readonly string[]): number {
	if (token.includes(":") || token.length < 4) return 0;
	let best = 0;
	for (const other of others) {
		if (other.includes(":") || other.length < 4) continue;
		if (contains(token, other)) return 0.8;
		if (sameBeginning(token, other)) best = 0.6;
	}
	if (best > 0) return best;
	return spelling.some((other) => misspelt(token, other)) ? 0.6 : 0;
}

/*
 * A compound whose first part ranks or qualifies its last: "zweitstärkste" is not "stärkste"
 * (nor the second-largest party the largest), "Vizekanzler" not "Kanzler" (see QUALIFIERS),
 * though "Bundesregierung" is a "Regierung".
 */
const RANKING_PART = /^(?:zweit|dritt|viert|funft|sechst|siebt|acht|neunt|zehnt|vize)$/;

/*
 * One word inside the other: an inflection ("old"/"older"), a compound and its first or last
 * part ("arbeitslosenquot" ~ "arbeitslos", "quot"; "bundesregier" ~ "regier"), not a part that
 * ranks the rest (see RANKING_PART). `least` is the shorter word's least length.
 */
function contains(x: string, y: string, least = 4): boolean {
	const [short, long] = x.length <= y.length ? [x, y] : [y, x];
	if (short.length < least) return false;
	if (long.startsWith(short)) return true;
	return long.endsWith(short) && !RANKING_PART.test(long.slice(0, long.length - short.length));
}

/*
 * What a stem may end in past the beginning it shares with another and still be the same
 * word: the endings the stemmers leave on (German -e, -en, -er, -es, -t, -te…, English -ed,
 * -ing, -ly, -y), or nothing.
 */
const ENDING = /^(?:e|em|en|end|er|ern|es|est|et|n|s|st|t|te|tem|ten|ter|tes|d|ed|ing|ly|y|i|ie)?$/;
/* The ge- and zu- inside a German verb after its particle: "wiederhergestellt", "wiederherzustellen". */
const VERB_INFIX = /^(?:ge|zu)/;

/*
 * A long shared beginning (five letters) followed by endings only: the same word, which the
 * stemmer left apart ("wiederhergestellt" ~ "wiederherzustell", a particle's ge-/zu- skipped).
 * Not when another part follows on each side: "Bundestag"/"Bundesrat", "Kinderarmut"/
 * "Kindergeld", "Rekordhoch"/"Rekordtief", "bedingungslos"/"bedingt" were one word inflected,
 * so such pairs were the same claim and an import linked them.
 */
function sameBeginning(x: string, y: string, least = 5): boolean {
	let common = 0;
	while (common < x.length && common < y.length && x[common] === y[common]) common++;
	if (common < least) return false;
	const [restX, restY] = [x.slice(common), y.slice(common)];
	if (ENDING.test(restX) && ENDING.test(restY)) return true;
	if (least < 5 || !(VERB_INFIX.test(restX) || VERB_INFIX.test(restY))) return false;
	const [verbX, verbY] = [restX.replace(VERB_INFIX, ""), restY.replace(VERB_INFIX, "")];
	return verbX === verbY || contains(verbX, verbY, 3) || sameBeginning(verbX, verbY, 3);
}

/*
 * How many pairs of words one comparison may check for a misspelling (an edit distance each).
 * A typo or transliteration is worth finding in a claim's few words; two long texts with
 * many words unmatched are no restatement of each other either way, and checking every pair
 * made one comparison of two 2,000-character texts take 10 s (session 24's review).
 */
const MAX_SPELLING_PAIRS = 256;

/* Words of `other` that `tokens` lacks, which a misspelt word of `tokens` could be (none past the budget). */
function spellingPartners(tokens: readonly string[], other: readonly string[], exact: ReadonlySet<string>) {
	const mine = new Set(tokens);
	const theirs = other.filter((word) => word.length >= 5 && isWord(word) && !mine.has(word));
	if (theirs.length === 0) return theirs;
	const unmatched = tokens.reduce((n, token) => (isWord(token) && !exact.has(token) ? n + 1 : n), 0);
	return unmatched * theirs.length <= MAX_SPELLING_PAIRS ? theirs : [];
}

function coverage(
	tokens: readonly string[],
	other: readonly string[],
	weight: (t: string) => number,
): [number, number] {
	const exact = new Set(other);
	const spelling = spellingPartners(tokens, other, exact);
	let covered = 0;
	let total = 0;
	for (const token of tokens) {
		const w = weight(token);
		total += w;
		covered += w * (exact.has(token) ? 1 : partialCredit(token, other, spelling));
	}
	return [covered, total];
}

/* Set difference both ways (a replaced value) fires; `oneSided`: so does a value only one text has any of. */
function differs(x: readonly string[], y: readonly string[], oneSided: boolean): boolean {
	const onlyX = x.some((v) => !y.includes(v));
	const onlyY = y.some((v) => !x.includes(v));
	if (onlyX && onlyY) return true;
	return oneSided && (x.length === 0 || y.length === 0) && (onlyX || onlyY);
}

/* A number's "about" bound, which neither below nor above contradicts (see BOUNDS). */
const ABOUT = "~";

/*
 * A number (or year) both texts say something of, and say different things: "nb:500:<" against
 * "nb:500:>", "np:5%:to" against "np:5%:by". `prefix` picks numbers ("n") or years ("y").
 */
function tagged(a: readonly string[], b: readonly string[], prefix: string): boolean {
	if (a.length === 0 || b.length === 0) return false;
	const of = (tags: readonly string[]): Map<string, Set<string>> => {
		const byValue = new Map<string, Set<string>>();
		for (const tag of tags) {
			if (!tag.startsWith(prefix)) continue;
			const at = tag.lastIndexOf(":");
			const value = tag.slice(0, at);
			byValue.set(value, (byValue.get(value) ?? new Set()).add(tag.slice(at + 1)));
		}
		return byValue;
	};
	const other = of(b);
	for (const [value, tags] of of(a)) {
		const theirs = other.get(value);
		if (!theirs || tags.has(ABOUT) || theirs.has(ABOUT)) continue;
		if (![...tags].some((tag) => theirs.has(tag))) return true;
	}
	return false;
}

/*
 * A relative time or a mode (`MatchFeatures.when`, prefix "yr:" or "mo:") both texts state, and
 * state otherwise, as `tagged` compares tags; on the few entries a text has, without its maps:
 * compared for every candidate, and most texts have a mode.
 */
function whenDiffers(a: readonly string[], b: readonly string[], prefix: string): boolean {
	if (a.length === 0 || b.length === 0) return false;
	for (const mine of a) {
		if (!mine.startsWith(prefix)) continue;
		const key = mine.slice(0, mine.lastIndexOf(":") + 1);
		let [stated, shared] = [false, false];
		for (const theirs of b) {
			if (!theirs.startsWith(key)) continue;
			stated = true;
			shared ||= a.includes(theirs);
		}
		if (stated && !shared) return true;
	}
	return false;
}

/*
 * "mo:will?" (must, should, muss, a promise or threat of a thing) is "mo:will" only when read
 * before any past.
 * "mo:did?" (a past spelt as its infinitive, `BASE_PAST`, or any past in a Title Case headline,
 * which may be a name's: "Manchester United") is "mo:did" in a text with no will;
 * beside a will it is its noun or adjective: "Another set of sanctions will hit Russian banks"
 * is a forecast, not one that also states a past (and so is equal to "… hit Russian banks").
 */
function weakPast(when: ReadonlySet<string>): ReadonlySet<string> {
	if (!when.has("mo:did?") && !when.has("mo:will?")) return when;
	const order = [...when];
	const out = new Set(order.filter((entry) => entry !== "mo:did?" && entry !== "mo:will?"));
	// A weak will (must, should, muss, a promise or threat of a thing) is the claim's only when read
	// before any past: after one it is a later clause's ("… raised the minimum wage after unions
	// threatened strikes", "… cut taxes, as he promised voters" are deeds; "promises tax cut" and
	// "Germany must cut taxes, Merz demanded" are not).
	const at = (entry: string): number => (when.has(entry) ? order.indexOf(entry) : order.length);
	const weakWill = when.has("mo:will?") && at("mo:will?") < Math.min(at("mo:did"), at("mo:did?"));
	if (weakWill) out.add("mo:will");
	if (when.has("mo:did?") && !out.has("mo:will")) out.add("mo:did");
	return out;
}

/* `when` and "mo:did" if one of its preterites is of a verb whose infinitive `other` has ("pt:", "vi:"). */
function withPast(when: readonly string[], other: readonly string[]): readonly string[] {
	if (when.includes("mo:did") || !when.some((entry) => entry.startsWith("pt:"))) return when;
	const infinitives = other.filter((entry) => entry.startsWith("vi:")).map((entry) => entry.slice(3));
	const past = when.some((entry) => {
		const stem = entry.startsWith("pt:") ? entry.slice(3) : undefined;
		return stem !== undefined && infinitives.some((verb) => stem === verb || stem === `${verb}e`);
	});
	return past ? [...when, "mo:did"] : when;
}

/*
 * A marked word of `a` whose opposite only `b` has: "unsicher" against "sicher", "sinnlos" against
 * "sinnvoll". The root may be misspelt on either side: "with a passsport" against "without a
 * passport" compared "passsport" with "passport" exactly, so the pair was the same claim in both
 * orders (see `sameWord`).
 */
function opposed(a: MatchFeatures, b: MatchFeatures): boolean {
	if (a.marked.length === 0) return false;
	const other = new Set(b.tokens);
	return a.marked.some(
		([token, root, negative, againstRoot]) =>
			!other.has(token) &&
			// "mit:test" is no token: "ohne Test …, mit Test" in both texts is no opposite.
			!b.marked.some(([theirs]) => theirs === token) &&
			((againstRoot && (other.has(root) || b.tokens.some((word) => misspelt(word, root)))) ||
				b.marked.some(([, r, n]) => n !== negative && sameWord(r, root))),
	);
}

/*
 * Each text's facts as a set and each turned round, built once per features: the asked text
 * meets up to ~50 candidates, each candidate the texts of an import or a desk list.
 */
type FactIndex = [own: ReadonlySet<string>, flipped: string[], words: ReadonlySet<string>];
const FACT_INDEX = new WeakMap<readonly string[], FactIndex>();
/* A fact's part without the mark of a name: "!scholz" is "scholz". */
const unnamed = (part: string): string => part.replace(/^!/, "");
function factIndex(facts: readonly string[]): FactIndex {
	let index = FACT_INDEX.get(facts);
	if (!index) {
		const flipped = facts.map((fact) => {
			const [x, y, w] = fact.split(">");
			return `${y}>${x}>${w}`;
		});
		const words = new Set(facts.flatMap((fact) => fact.split(">").map(unnamed)));
		index = [new Set(facts), flipped, words];
		FACT_INDEX.set(facts, index);
	}
	return index;
}

/*
 * `a`'s facts with each word that `b`'s facts lack spelt as the word of `b` it is (see `sameWord`):
 * "Merz hat Schoolz kritisiert" is "Scholz hat Merz kritisiert" the other way round, "Biden
 * attaacked Trump" "Trump attacked Biden" and "Frauuen verdienen weniger als Männer" "Männer …
 * als Frauen"; compared exactly, no fact met its turned self and each pair was the same claim, in
 * both orders. `a` itself when nothing is respelt (its index stays cached); within
 * MAX_SPELLING_PAIRS, as `substituted` pairs words.
 */
function respelt(a: readonly string[], b: readonly string[]): readonly string[] {
	if (a.length === 0 || b.length === 0) return a;
	const [, , mine] = factIndex(a);
	const [, , theirs] = factIndex(b);
	const spellable = (word: string, other: ReadonlySet<string>) =>
		word.length >= 3 && isWord(word) && !other.has(word);
	const lacking = [...mine].filter((word) => spellable(word, theirs));
	if (lacking.length === 0) return a;
	const partners = [...theirs].filter((word) => spellable(word, mine));
	if (partners.length === 0 || lacking.length * partners.length > MAX_SPELLING_PAIRS) return a;
	const spelling = new Map<string, string>();
	for (const word of lacking) {
		const partner = partners.find((their) => sameWord(word, their));
		if (partner !== undefined) spelling.set(word, partner);
	}
	if (spelling.size === 0) return a;
	return a.map((fact) =>
		fact
			.split(">")
			.map((part) => {
				const to = spelling.get(unnamed(part));
				return to === undefined ? part : `${part.startsWith("!") ? "!" : ""}${to}`;
			})
			.join(">"),
	);
}

/* A fact of `a` that `b` states the other way round only: "women>men><" against "men>women><". */
function swapped(a: readonly string[], b: readonly string[]): boolean {
	if (a.length === 0 || b.length === 0) return false;
	const [ownFacts, flipped] = factIndex(a);
	const [otherFacts] = factIndex(b);
	return a.some(
		(fact, n) => otherFacts.has(flipped[n] ?? "") && !otherFacts.has(fact) && !ownFacts.has(flipped[n] ?? ""),
	);
}

/*
 * Numbers are one-sided: "took in 1 million refugees" is not the same claim as "took
 * in refugees". Years and places are not: a shortened restatement drops "since
 * February 2022" or "in Berlin, the minister said"; only a replaced year or place
 * makes another claim. A number only one side adds to a shared one ("lowest in three
 * years") does not fire either: shortened quotes drop such asides.
 */
function guardsFor(a: MatchFeatures, b: MatchFeatures): MatchGuard[] {
	const guards: MatchGuard[] = [];
	if (differs(a.numbers, b.numbers, true) || tagged(a.tags, b.tags, "n")) guards.push("number");
	if (differs(a.years, b.years, false) || tagged(a.tags, b.tags, "y") || whenDiffers(a.when, b.when, "yr:"))
		guards.push("year");
	if (a.negated !== b.negated || a.hedged !== b.hedged || opposed(a, b) || opposed(b, a))
		guards.push("negation");
	if (a.directionWords > 0 && b.directionWords > 0 && a.direction !== b.direction) guards.push("direction");
	if (differs(a.places, b.places, false)) guards.push("place");
	if (differs(a.quantifiers, b.quantifiers, false)) guards.push("quantifier");
	if (differs(a.sequence, b.sequence, false)) guards.push("sequence");
	if (differs(a.polarity, b.polarity, false)) guards.push("polarity");
	if (whenDiffers(withPast(a.when, b.when), withPast(b.when, a.when), "mo:")) guards.push("mode");
	if (swapped(respelt(a.order, b.order), b.order)) guards.push("roles");
	// The last resort: a word the other guards do not explain (a place, a marked opposite).
	if (guards.length === 0 && substituted(a, b)) guards.push("substitution");
	return guards;
}

/*
 * Each text holds a word the other has nothing like: "In Kleinmachnow wurden alle Brücken
 * gesperrt" and "In Bad Wörishofen …" (towns no gazetteer lists), "closed every bridge" and
 * "closed every road", July and August. The rest being equal, they scored 0.76–0.8, and an
 * import linked a record about one town to the claim about the other. A restatement adds
 * words on one side only (an attribution, a context), reorders, inflects or misspells them;
 * a synonym swapped in reads like another subject, and is "similar" for a person to judge.
 * Within a language only: across languages no word meets (numbers, places and the rest are
 * guarded there by their language-neutral tokens).
 */
function substituted(a: MatchFeatures, b: MatchFeatures): boolean {
	if (a.language.slice(0, 2).toLowerCase() !== b.language.slice(0, 2).toLowerCase()) return false;
	if (qualifiedOnly(a, b) || qualifiedOnly(b, a)) return true;
	const onlyA = unmatchedWords(a.tokens, b.tokens);
	const onlyB = unmatchedWords(b.tokens, a.tokens);
	// A direction only one text has is its word too: a noun read as one ("The cut on his arm" /
	// "The wound on his arm") otherwise left the other text's word unanswered.
	if (a.directionWords > 0 && b.directionWords === 0) onlyA.push("d:");
	if (b.directionWords > 0 && a.directionWords === 0) onlyB.push("d:");
	if (onlyA.length === 0 && onlyB.length === 0) return false;
	// Past the budget, no misspelling is looked for: the texts differ by many words anyway.
	if (onlyA.length * onlyB.length > MAX_SPELLING_PAIRS) return onlyA.length > 0 && onlyB.length > 0;
	// A word misspelt on one side answers the other's, whichever text is asked: "Lavrov sagte,
	// Kursk sei befreit worden" against "Lawrow sagte, Kursk sei vollständig befreit" is a
	// spelling fixed and a word added, not a word replaced. Asked the other way round, only
	// the second text's words were paired, and the two read as another claim.
	const unanswered = (words: readonly string[], other: readonly string[]) =>
		words.filter((word) => !other.some((theirs) => misspelt(word, theirs)));
	const restA = unanswered(onlyA, onlyB);
	const restB = unanswered(onlyB, onlyA);
	// A place swapped for an actor who is no place: "Israel bombed the hospital in Gaza" and "Hamas
	// bombed …" (0.86, same: the place guard needs a place on both sides). A place only one text
	// has counts as its unmatched word when the other text has one; alone it is a dropped aside.
	// Read after the misspellings are paired: "Netanjahu sagte, Israel habe …" against
	// "Netanyahu sagte, die Hamas habe …" leaves a word on both sides, the name spelt two ways.
	if (restB.length > 0 && restA.length === 0 && placeOnlyIn(a, b)) return true;
	if (restA.length > 0 && restB.length === 0 && placeOnlyIn(b, a)) return true;
	return restA.length > 0 && restB.length > 0;
}

/*
 * A qualifier of `a` that `b` lacks (see QUALIFIERS): a committee, or a deputy, acting or former
 * before a word `b` has without one ("vice president" against "president").
 */
function qualifiedOnly(a: MatchFeatures, b: MatchFeatures): boolean {
	if (a.qualifiers.length === 0) return false;
	const theirs = new Set(b.qualifiers.map((qualifier) => qualifier.split(":")[0]));
	return a.qualifiers.some((qualifier) => {
		const [kind = "", head] = qualifier.split(/:(.*)/);
		if (theirs.has(kind)) return false;
		if (head === undefined) return true;
		// "The vice pressident of Kenya" qualifies the president of the other text all the same.
		return b.tokens.some((token) => sameWord(token, head));
	});
}

/* A gazetteer place (its "p:" token) of `a` that `b` lacks. */
function placeOnlyIn(a: MatchFeatures, b: MatchFeatures): boolean {
	return a.tokens.some((token) => token.startsWith("p:") && !b.tokens.includes(token));
}

/* Words (and months) of `tokens` that `other` has neither as they are nor as a part or inflection. */
function unmatchedWords(tokens: readonly string[], other: readonly string[]): string[] {
	const exact = new Set(other);
	return tokens.filter(
		(token) =>
			(isWord(token) || token.startsWith("m:")) &&
			!exact.has(token) &&
			!other.some((word) => isWord(token) && isWord(word) && inflected(token, word)),
	);
}

/* One word in another (a compound's part, "old"/"older"), or a long shared beginning and endings. */
function inflected(x: string, y: string): boolean {
	return contains(x, y, 3) || sameBeginning(x, y);
}

/*
 * A typo or a transliteration ("Lavrov"/"Lawrow"): at most one edit in three letters, in
 * words of five or more that begin alike (which also spares most pairs the distance). Alike
 * includes the first letters transliterations swap (s/z, k/c, j/y, v/w: Selenskyj/Zelensky,
 * Wolodymyr/Volodymyr), in words of seven or more (Seiten/Zeiten, Siegel/Ziegel stay apart),
 * the swap counted as one of the edits, and the ending -yj/-ij/-y/-i read as one ("Selenskyj",
 * English "Zelensky" stemmed to "zelenski"); otherwise "Selenskyj" met no spelling of him.
 */
const SWAPPED_INITIALS = new Set(["sz", "zs", "kc", "ck", "jy", "yj", "vw", "wv"]);
const TRANSLITERATED_END = /(?:[iy][jy]|[ijy])$/;

/*
 * Prefixes of opposite meaning, on folded stems: "Aufrüstung"/"Abrüstung", "anwesend"/"abwesend",
 * "überschätzt"/"unterschätzt", "maximum"/"minimum" begin alike and differ by an edit in three
 * letters, so they passed as a typo of each other and were the same claim. A difference inside
 * such a prefix is no typo. Only pairs that begin with one letter: ein/aus, zu/ab differ in
 * their first letter, which no typo passes.
 */
const OPPOSITE_PREFIXES: readonly (readonly [string, string])[] = [
	["auf", "ab"],
	["an", "ab"],
	["an", "aus"],
	["uber", "unter"],
	["max", "min"],
];

function oppositePrefixes(x: string, y: string): boolean {
	return OPPOSITE_PREFIXES.some(
		([p, q]) => (x.startsWith(p) && y.startsWith(q)) || (x.startsWith(q) && y.startsWith(p)),
	);
}

/*
 * One word, as a guard compares a word of one text with a word of the other: as the score pairs
 * them, the same, inflected or misspelt on either side (each symmetric). A guard that compared
 * exactly was dodged by a typo the score forgave ("passsport", "pressident", "Schoolz"), and two
 * texts of another meaning were the same claim.
 */
function sameWord(x: string, y: string): boolean {
	return x === y || (isWord(x) && isWord(y) && (inflected(x, y) || misspelt(x, y)));
}

function misspelt(x: string, y: string): boolean {
	if (!isWord(x) || !isWord(y)) return false;
	const shortest = Math.min(x.length, y.length);
	const most = Math.floor(shortest / 3);
	if (x[0] !== y[0]) {
		if (shortest < 7 || !SWAPPED_INITIALS.has(`${x[0]}${y[0]}`)) return false;
		const [restX, restY] = [x, y].map((word) => word.slice(1).replace(TRANSLITERATED_END, "i")) as [
			string,
			string,
		];
		return Math.abs(restX.length - restY.length) < most && editDistance(restX, restY, most - 1) < most;
	}
	if (shortest < 5) return false;
	// The opposite prefixes that begin alike differ in their second letter (auf/ab, über/unter).
	if (x[1] !== y[1] && oppositePrefixes(x, y)) return false;
	if (otherLastPart(x, y)) return false;
	return Math.abs(x.length - y.length) <= most && editDistance(x, y, most) <= most;
}

/*
 * Two compounds of one first part and another last: "Bundestag"/"Bundesrat", "Landtag"/"Landrat",
 * "Bundesland"/"Bundesbank" are two edits apart in nine letters, so they passed as a typo (and
 * the substitution guard let them be the same claim). After a shared beginning of four letters,
 * a typo or transliteration leaves the rests one edit apart once spelt alike ("goverment",
 * "Prigoschin"/"Prigozhin"); another part of three letters or more on each side is a word.
 */
const SPELT_ALIKE: readonly (readonly [RegExp, string])[] = [
	[/sch|zh|sh/g, "s"],
	[/w/g, "v"],
	[/j/g, "y"],
];
const speltAlike = (word: string): string =>
	SPELT_ALIKE.reduce((folded, [pattern, plain]) => folded.replace(pattern, plain), word);

function otherLastPart(x: string, y: string): boolean {
	let common = 0;
	while (common < x.length && common < y.length && x[common] === y[common]) common++;
	const [restX, restY] = [x.slice(common), y.slice(common)].map(speltAlike) as [string, string];
	return common >= 4 && restX.length >= 3 && restY.length >= 3 && editDistance(restX, restY, 1) > 1;
}

/* Two rows of the distance table, reused: a comparison may check a few hundred pairs. */
let previousRow = new Int32Array(64);
let currentRow = new Int32Array(64);

/*
 * Levenshtein distance within a band of `most` around the diagonal (a path outside it costs
 * more than `most`), stopped once every path is past `most` (then most + 1).
 */
function editDistance(x: string, y: string, most: number): number {
	if (Math.abs(x.length - y.length) > most) return most + 1;
	if (previousRow.length <= y.length) {
		previousRow = new Int32Array(y.length * 2);
		currentRow = new Int32Array(y.length * 2);
	}
	const outside = most + 1;
	for (let j = 0; j <= y.length; j++) previousRow[j] = j <= most ? j : outside;
	for (let i = 1; i <= x.length; i++) {
		const from = Math.max(1, i - most);
		const to = Math.min(y.length, i + most);
		currentRow[0] = i <= most ? i : outside;
		if (from > 1) currentRow[from - 1] = outside;
		let best = currentRow[0] ?? outside;
		for (let j = from; j <= to; j++) {
			const cost = x[i - 1] === y[j - 1] ? 0 : 1;
			const value = Math.min(
				(previousRow[j] ?? outside) + 1,
				(currentRow[j - 1] ?? outside) + 1,
				(previousRow[j - 1] ?? outside) + cost,
				outside,
			);
			currentRow[j] = value;
			if (value < best) best = value;
		}
		if (to < y.length) currentRow[to + 1] = outside;
		if (best > most) return outside;
		[previousRow, currentRow] = [currentRow, previousRow];
	}
	return previousRow[y.length] ?? outside;
}

/*
 * Half Dice (shared weight over both texts) and half containment of the smaller text
 * in the larger: a shortened quote or one with "X said" added is fully contained in
 * its longer form, and Dice alone would punish it for the words it dropped.
 */
function overlap(a: readonly string[], b: readonly string[], weight: (t: string) => number): number {
	const [coveredA, totalA] = coverage(a, b, weight);
	const [coveredB, totalB] = coverage(b, a, weight);
	if (totalA === 0 || totalB === 0) return 0;
	const dice = (coveredA + coveredB) / (totalA + totalB);
	const containment = totalA <= totalB ? coveredA / totalA : coveredB / totalB;
	return 0.5 * dice + 0.5 * containment;
}

/*
 * The words carry the claim; numbers, years, places and direction mostly tell claims
 * apart (the guards). Scored over all tokens alone, "Inflation in Germany rose to 6%
 * in 2024" would be the same as "Unemployment in Germany rose to 6% in 2024". So the
 * overlap of the words alone weighs most, and the language-neutral tokens add the
 * rest (which is also why a German and an English text score low here: their words
 * never meet, and the embedding score has to bring them together).
 */
const WORD_SHARE = 0.7;
const isWord = (token: string): boolean => !token.includes(":");

/** Similarity 0..1 of two claim texts and the guards that fired between them. */
export function compareClaims(a: MatchFeatures, b: MatchFeatures, options: CompareOptions = {}): MatchResult {
	const weight = options.weight ?? defaultWeight;
	const wordsA = a.tokens.filter(isWord);
	const wordsB = b.tokens.filter(isWord);
	const all = overlap(a.tokens, b.tokens, weight);
	const score =
		wordsA.length > 0 && wordsB.length > 0
			? WORD_SHARE * overlap(wordsA, wordsB, weight) + (1 - WORD_SHARE) * all
			: all;
	return { score: Math.round(score * 1e4) / 1e4, guards: guardsFor(a, b) };
}

/*
 * Chosen from `npm run eval:matching` (160 pairs written before the matcher): the
 * best-scoring unrelated claim on the same topic scored 0.50, the lowest restatement
 * 0.66 (a long sentence cut to its core) and all but three restatements ≥ 0.70. 0.70
 * keeps a margin of 0.2 over unrelated claims (a real corpus has more of them, with a
 * higher tail, than 32 pairs) at a recall of 95% for "same"; 0.65 would gain 3 points
 * of recall for a margin of 0.15. Near-misses score up to 1.0 by construction: the
 * guards, not this threshold, keep them from "same".
 */
export const SAME_THRESHOLD = 0.7;
/*
 * A suggestion for a person to judge, so recall first: the lowest restatement scored
 * 0.66 and the lowest near-miss 0.71, and a near-miss is worth showing (it is the
 * checked claim the new one contradicts). 0.45 stays 0.2 below both; 3 of the 32
 * unrelated same-topic pairs (up to 0.50) pass too, which a person dismisses at a glance.
 */
export const SIMILAR_THRESHOLD = 0.45;

/** "same" needs a high score and no guard; a guard caps the relation at "similar". */
export function classifyMatch(result: MatchResult): MatchRelation | null {
	if (result.score >= SAME_THRESHOLD && result.guards.length === 0) return "same";
	if (result.score >= SIMILAR_THRESHOLD) return "similar";
	return null;
}

/*
 * Embedding cosines (Workers AI bge-m3, multilingual) on the lexical scale, piecewise
 * linear through these points. Not measured here (no embedder runs locally); set from
 * bge-m3's typical range: unrelated texts below ~0.5, the same topic 0.55–0.75,
 * paraphrases and translations 0.85–0.95. VECTOR_SIMILAR (0.75) maps to
 * SIMILAR_THRESHOLD, so an embedding alone suggests a translated claim; VECTOR_SAME
 * (0.93) maps to SAME_THRESHOLD, so it alone makes "same" only when very close, and
 * `classifyMatch` still applies the guards (numbers, years, negation, direction and
 * places are read in both languages). Re-measure when the embedding model changes.
 */
const VECTOR_FLOOR = 0.6;
export const VECTOR_SIMILAR = 0.75;
export const VECTOR_SAME = 0.93;
const VECTOR_SCALE: readonly (readonly [vector: number, score: number])[] = [
	[VECTOR_FLOOR, 0],
	[VECTOR_SIMILAR, SIMILAR_THRESHOLD],
	[VECTOR_SAME, SAME_THRESHOLD],
	[1, 1],
];

const BELOW_SAME = SAME_THRESHOLD - 0.01;

function vectorOnLexicalScale(vector: number): number {
	const v = Math.min(1, Math.max(0, vector));
	let [x0, y0] = [0, 0];
	for (const [x1, y1] of VECTOR_SCALE) {
		if (v <= x1) return x1 === x0 ? y1 : y0 + ((v - x0) / (x1 - x0)) * (y1 - y0);
		[x0, y0] = [x1, y1];
	}
	return 1;
}

/**
 * The score of a candidate both matchers saw: the higher of the lexical score and the
 * embedding's score on the same scale, so either can find a match the other misses
 * (a translation has no words in common; a restatement full of names may embed far
 * from its original). One exception: when the embedding puts the texts below
 * VECTOR_FLOOR, shared words (a place and a year, say) cannot make them "same".
 * Without an embedding (`vector` null) the lexical score stands alone.
 */
export function combineScores(lexical: number, vector: number | null): number {
	if (vector === null) return lexical;
	const combined = Math.max(lexical, vectorOnLexicalScale(vector));
	return vector < VECTOR_FLOOR ? Math.min(combined, BELOW_SAME) : combined;
}
