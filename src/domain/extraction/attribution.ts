/**
 * Who said it: people in the article (introduced with a role, a title, a known
 * first name, or from the caller's list of known speakers), their later mentions
 * (surname, pronoun, role description) and the subject of each reporting verb.
 *
 * It is a discourse heuristic, not a parser. Pronouns and role descriptions go to
 * the person the text was last about (the previous sentence's speaker or first
 * person) when the gender fits, else to the most recently mentioned person of that
 * gender, which is how news prose is written: "Lawrow teilte mit … Er betonte …".
 */

import { createSpeakerMatcher, foldName } from "../speaker-matching";
import {
	DETERMINERS,
	ENGLISH_CUES,
	ENGLISH_ROLE_MODIFIERS,
	ENGLISH_ROLES,
	FAMILY_NAME_FIRST,
	FIRST_NAMES,
	FUNCTION_WORDS,
	GERMAN_CUES,
	GERMAN_ROLE_STEMS,
	type Gender,
	isPlaceWord,
	KONJUNKTIV,
	type Language,
	MONTHS,
	NAME_PARTICLES,
	ORGANISATION_HEADS,
	PRONOUNS,
	type ReportingCue,
	SEASONS,
	TITLES,
	WEEKDAYS,
} from "./lexicon";
import type { QuoteSpan } from "./quotes";
import type { Sentence } from "./sentences";
import { stripPossessive, type Token } from "./tokens";

export interface KnownSpeaker {
	id: string;
	name: string;
	aliases: readonly string[];
	gender?: Gender;
}

export interface Person {
	/** The fullest name the article uses, or the known speaker's name. */
	name: string;
	speakerId: string | null;
	gender: Gender | null;
	/** Role words seen with the person, folded and uninflected ("außenminister", "minister"). */
	roles: Set<string>;
	fulls: Set<string>;
	surnames: Set<string>;
	givens: Set<string>;
	/** Offset of the latest mention so far in the running analysis, -1 before the first. */
	lastSeen: number;
	/** Offset of the introduction, for ties between people never mentioned yet. */
	firstSeen: number;
}

export interface SpeakerRef {
	name: string;
	speakerId: string | null;
	person: Person | null;
}

export type ClaimKind = "direct-quote" | "reported-speech" | "statement";
export type Stance = NonNullable<ReportingCue["stance"]>;

export interface SentenceAnalysis {
	sentence: Sentence;
	/** Boilerplate, a fragment, or a bare attribution ("Das sagte Müller.") folded into its neighbour. */
	skip: boolean;
	kind: ClaimKind;
	speaker: SpeakerRef | null;
	/** How the speaker was found: a reporting verb in the sentence, or the surrounding text. */
	speakerSource: "cue" | "context" | "none";
	/** Quotations that carry the claim (not scare quotes). */
	quotes: QuoteSpan[];
	stances: Set<Stance>;
	/** People named in the sentence outside the speaker slot. */
	people: Person[];
}

interface RoleCue {
	role: string;
	gender: Gender | null;
}

interface NameRun {
	/** First token of the name proper, and the token after it. */
	first: number;
	end: number;
	/** First token of the mention including title or role ("Außenminister Sergei Lawrow"). */
	introStart: number;
	role: RoleCue | null;
	titleGender: Gender | null;
	hasCue: boolean;
	person: Person | null;
}

interface Mention {
	first: number;
	end: number;
	kind: "name" | "pronoun" | "role";
	person: Person | null;
	label: string;
}

interface CueHit {
	index: number;
	cue: ReportingCue;
	/** Token index after the cue's last word ("according to"). */
	after: number;
	pronounGender?: Gender | null;
}

const LOWER_START = /^\p{Ll}/u;
const SUBORDINATORS = new Set([
	"dass",
	"weil",
	"ob",
	"wenn",
	"als",
	"da",
	"nachdem",
	"obwohl",
	"damit",
	"wie",
]);
/* Articles that can open an unnamed speaker: "ein Sprecher", "a spokesperson for the ministry". */
const PHRASE_DETERMINERS = new Set([...DETERMINERS, "ein", "eine", "einer", "einem", "a", "an"]);
const AMBIGUOUS_ENGLISH_CUES = new Set([
	"states",
	"claims",
	"reports",
	"notes",
	"thanks",
	"thought",
	"called",
	"described",
	"maintains",
	"expected",
	"expects",
	"hopes",
	"forecast",
	"demands",
	"promises",
	"pledges",
	"vows",
	"denies",
	"rejects",
	"adds",
	"tells",
	"writes",
	"stresses",
	"repeated",
	"reported",
	"alleged",
]);
const CONJUNCTIONS = new Set(["und", "oder", "aber", "doch", "denn", "sondern"]);

function isNameToken(t: Token | undefined): boolean {
	return t?.word === true && /^\p{Lu}/u.test(t.text) && /\p{Ll}/u.test(t.text);
}

function foldToken(t: Token): string {
	return foldName(stripPossessive(t.text));
}

function isPlace(t: Token): boolean {
	return isPlaceWord(t.text);
}

/** German role noun with its gender: "Amtskollegin" → kolleg/f, "Staatspräsidenten" → staatspräsident/m. */
export function germanRole(word: string): RoleCue | null {
	const lower = word.toLowerCase();
	const part = lower.slice(lower.lastIndexOf("-") + 1);
	const forms: [string, Gender | null][] = [[part, "m"]];
	if (part.endsWith("innen")) forms.push([part.slice(0, -5), "f"]);
	if (part.endsWith("in")) forms.push([part.slice(0, -2), "f"]);
	for (const ending of ["en", "es", "n", "s", "e"]) {
		if (part.endsWith(ending)) forms.push([part.slice(0, -ending.length), "m"]);
	}
	for (const [form, gender] of forms) {
		if (form.length >= 4 && GERMAN_ROLE_STEMS.some((stem) => form.endsWith(stem)))
			return { role: form, gender };
	}
	return null;
}

function englishRole(word: string): RoleCue | null {
	const lower = stripPossessive(word).toLowerCase();
	if (!ENGLISH_ROLES.has(lower)) return null;
	return { role: lower, gender: ENGLISH_ROLES.get(lower) ?? null };
}

function roleOf(t: Token, language: Language): RoleCue | null {
	if (!t.word) return null;
	if (language === "de") return /^\p{Lu}/u.test(t.text) ? germanRole(t.text) : null;
	return englishRole(t.text);
}

function rolesMatch(a: string, b: string): boolean {
	return a === b || a.endsWith(b) || b.endsWith(a);
}

/* Korean and Chinese names put the family name first: "Kim Jong-un", "Xi Jinping". */
function familyNameFirst(tokens: readonly Token[]): boolean {
	const first = tokens[0];
	const last = tokens[tokens.length - 1];
	if (!first || !last || tokens.length < 2) return false;
	return FAMILY_NAME_FIRST.has(foldToken(first)) || /^\p{Lu}[\p{Ll}\p{M}'’]*-\p{Ll}/u.test(last.text);
}

function surnameKeys(tokens: readonly Token[]): { surnames: string[]; givens: string[] } {
	const first = tokens[0];
	if (!first) return { surnames: [], givens: [] };
	if (tokens.length === 1) return { surnames: [foldToken(first)], givens: [] };
	if (familyNameFirst(tokens)) return { surnames: [foldToken(first)], givens: [] };
	const last = tokens[tokens.length - 1] ?? first;
	const surnames = [foldToken(last)];
	let start = tokens.length - 1;
	while (start > 1 && NAME_PARTICLES.has(tokens[start - 1]?.lower ?? "")) start--;
	if (start < tokens.length - 1) surnames.unshift(tokens.slice(start).map(foldToken).join(" "));
	return { surnames, givens: [foldToken(first)] };
}

function nameText(text: string, tokens: readonly Token[]): string {
	const first = tokens[0];
	const last = tokens[tokens.length - 1];
	if (!first || !last) return "";
	return stripPossessive(text.slice(first.start, last.end));
}

export interface AnalyseOptions {
	language: Language;
	knownSpeakers: readonly KnownSpeaker[];
	/** Sentences to ignore when looking for people (boilerplate). */
	ignored: ReadonlySet<number>;
}

/**
 * Attributes every sentence: its kind (direct quote, reported speech, the
 * article's own statement), its speaker and the quotations that carry it.
 */
export function analyseSentences(
	text: string,
	tokens: readonly Token[],
	sentences: readonly Sentence[],
	quotes: readonly QuoteSpan[],
	options: AnalyseOptions,
): SentenceAnalysis[] {
	const { language } = options;
	const cueTable = new Map<string, ReportingCue[]>();
	for (const cue of language === "de" ? GERMAN_CUES : ENGLISH_CUES) {
		const list = cueTable.get(cue.form) ?? [];
		list.push(cue);
		cueTable.set(cue.form, list);
	}

	// Token ranges per sentence and the quotation each token sits in.
	const sentenceOf = new Int32Array(tokens.length).fill(-1);
	const ranges: [number, number][] = [];
	{
		let k = 0;
		sentences.forEach((s, si) => {
			while (k < tokens.length && (tokens[k]?.start ?? 0) < s.start) k++;
			const from = k;
			while (k < tokens.length && (tokens[k]?.end ?? 0) <= s.end) sentenceOf[k++] = si;
			ranges.push([from, k]);
		});
	}
	const outerQuotes = quotes.filter((q) => q.depth === 0);
	const quoteOf = new Int32Array(tokens.length).fill(-1);
	{
		let q = 0;
		for (let k = 0; k < tokens.length; k++) {
			const t = tokens[k];
			if (!t) continue;
			while (q < outerQuotes.length && (outerQuotes[q]?.close ?? 0) < t.start) q++;
			const quote = outerQuotes[q];
			if (quote && t.start >= quote.open && t.end <= quote.close + 1) quoteOf[k] = q;
		}
	}
	const inQuote = (k: number): boolean => quoteOf[k] !== -1;
	const claimQuoteSet = new Set<number>();
	const claimQuotesOf: QuoteSpan[][] = sentences.map((sentence) =>
		outerQuotes.filter(
			(q) => q.open >= sentence.start && q.close < sentence.end && carriesClaim(q, sentence),
		),
	);
	outerQuotes.forEach((q, i) => {
		if (claimQuotesOf.some((list) => list.includes(q))) claimQuoteSet.add(i);
	});
	const inClaimQuote = (k: number): boolean => claimQuoteSet.has(quoteOf[k] ?? -1);

	const people: Person[] = [];
	const byFull = new Map<string, Person>();
	const addPerson = (p: Person): Person => {
		people.push(p);
		for (const f of p.fulls) byFull.set(f, p);
		return p;
	};
	const knownById = new Map<string, Person>();
	for (const speaker of options.knownSpeakers) {
		const p: Person = {
			name: speaker.name,
			speakerId: speaker.id,
			gender: speaker.gender ?? null,
			roles: new Set(),
			fulls: new Set(),
			surnames: new Set(),
			givens: new Set(),
			lastSeen: -1,
			firstSeen: Number.POSITIVE_INFINITY,
		};
		for (const spelling of [speaker.name, ...speaker.aliases]) {
			const folded = foldName(spelling);
			if (folded === "") continue;
			const words = spelling.trim().split(/\s+/u);
			if (words.length === 1) p.surnames.add(folded);
			else {
				p.fulls.add(folded);
				const pseudo = words.map((w, i) => ({
					text: w,
					lower: w.toLowerCase(),
					start: i,
					end: i,
					word: true,
				}));
				const keys = surnameKeys(pseudo);
				for (const s of keys.surnames) p.surnames.add(s);
				for (const g of keys.givens) p.givens.add(g);
			}
		}
		if (!p.gender) p.gender = FIRST_NAMES.get(speaker.name.split(/\s+/u)[0]?.toLowerCase() ?? "") ?? null;
		knownById.set(speaker.id, addPerson(p));
	}
	const matcher = options.knownSpeakers.length > 0 ? createSpeakerMatcher(options.knownSpeakers) : null;

	// Pass 1: capitalised runs that name people.
	const cueForms = new Set(cueTable.keys());
	const runAt = new Map<number, NameRun>();
	const singles: { run: NameRun; token: Token }[] = [];
	for (let i = 0; i < tokens.length; i++) {
		const si = sentenceOf[i] ?? -1;
		if (si < 0 || options.ignored.has(si) || !isNameToken(tokens[i])) continue;
		let j = i;
		while (true) {
			const next = tokens[j + 1];
			if (isNameToken(next) && sentenceOf[j + 1] === si) j++;
			else {
				// "Ursula von der Leyen": particles count when a name follows them.
				let p = j + 1;
				while (p < j + 4 && NAME_PARTICLES.has(tokens[p]?.text ?? "")) p++;
				if (p > j + 1 && isNameToken(tokens[p]) && sentenceOf[p] === si) j = p;
				else break;
			}
		}
		// A capitalised stretch longer than any name is a headline or German noun chain, not a person.
		const run = j - i < 6 ? readRun(i, j + 1) : null;
		i = j;
		if (!run) continue;
		runAt.set(run.introStart, run);
	}

	function readRun(from: number, to: number): NameRun | null {
		let first = from;
		let introStart = from;
		let role: RoleCue | null = null;
		let titleGender: Gender | null = null;
		let hasCue = false;
		// Titles and roles before the name: "Dr. Maria Schulz", "finance minister Kim Min-jun".
		const prev = tokens[from - 1];
		const prev2 = tokens[from - 2];
		if (prev?.text === "." && prev2 && TITLES.has(prev2.lower)) {
			titleGender = TITLES.get(prev2.lower) ?? null;
			hasCue = true;
			introStart = from - 2;
		} else if (prev && language === "en" && LOWER_START.test(prev.text)) {
			const r = englishRole(prev.text);
			if (r) {
				role = r;
				hasCue = true;
				introStart = from - 1;
				while (introStart > 0 && ENGLISH_ROLE_MODIFIERS.has(tokens[introStart - 1]?.lower ?? ""))
					introStart--;
			}
		}
		while (first < to) {
			const t = tokens[first];
			if (!t) break;
			const lower = t.lower;
			const r = roleOf(t, language);
			if (TITLES.has(lower)) {
				titleGender = TITLES.get(lower) ?? titleGender;
				hasCue = true;
				if (tokens[first + 1]?.text === ".") {
					// "Dr." splits the run; the name continues in the next run.
					return null;
				}
			} else if (r) {
				role = r;
				hasCue = true;
			} else if (language === "en" && ENGLISH_ROLE_MODIFIERS.has(lower) && first + 1 < to) {
				// "Foreign Minister …": a modifier only counts when a role follows.
				const following = tokens[first + 1];
				const nextRole = following ? roleOf(following, language) : null;
				if (!nextRole && !ENGLISH_ROLE_MODIFIERS.has(tokens[first + 1]?.lower ?? "")) break;
			} else if (
				!FUNCTION_WORDS.has(lower) &&
				!MONTHS.has(lower) &&
				!WEEKDAYS.has(lower) &&
				!SEASONS.has(lower)
			) {
				break;
			}
			if (FUNCTION_WORDS.has(lower) && !hasCue) introStart = first + 1;
			first++;
		}
		let end = to;
		// A known first name further in starts the name ("Tennisstar Alexander Zverev").
		for (let k = first + 1; k < end - 1; k++) {
			if (FIRST_NAMES.has(tokens[k]?.lower ?? "")) {
				first = k;
				break;
			}
		}
		// Names do not contain role words: "Südkoreas Präsident" is no name.
		for (let k = first; k < end; k++) {
			const t = tokens[k];
			if (t && roleOf(t, language)) {
				end = k;
				break;
			}
		}
		if (first >= end) return null;
		const name = tokens.slice(first, end);
		if (name.some(isPlace)) return null;
		const last = name[name.length - 1];
		if (!last || ORGANISATION_HEADS.has(foldToken(last))) return null;
		const particle = (t: Token) => NAME_PARTICLES.has(t.text);
		if (
			name.some(
				(t) => (FUNCTION_WORDS.has(t.lower) && !particle(t)) || MONTHS.has(t.lower) || WEEKDAYS.has(t.lower),
			)
		)
			return null;
		if (introStart > first) introStart = first;

		const run: NameRun = { first, end, introStart, role, titleGender, hasCue, person: null };
		if (name.length === 1) {
			const head = name[0];
			if (head) singles.push({ run, token: head });
			return run;
		}
		const full = foldName(nameText(text, name));
		let person = byFull.get(full) ?? null;
		if (!person && matcher) {
			const match = matcher(nameText(text, name));
			if (match && match.score >= 0.8) person = knownById.get(match.id) ?? null;
		}
		const before = tokens[run.introStart - 1];
		const afterTok = tokens[end];
		const isPerson =
			person !== null ||
			hasCue ||
			FIRST_NAMES.has(name[0]?.lower ?? "") ||
			familyNameFirst(name) ||
			(before !== undefined && cueForms.has(before.lower)) ||
			(afterTok !== undefined && cueForms.has(afterTok.lower)) ||
			appositiveRole(end) !== null;
		if (!isPerson) return run;
		const apposition = appositiveRole(end);
		if (!person) {
			const keys = surnameKeys(name);
			person = addPerson({
				name: nameText(text, name),
				speakerId: null,
				gender: null,
				roles: new Set(),
				fulls: new Set([full]),
				surnames: new Set(keys.surnames),
				givens: new Set(keys.givens),
				lastSeen: -1,
				firstSeen: tokens[first]?.start ?? 0,
			});
		} else {
			person.fulls.add(full);
			byFull.set(full, person);
			person.firstSeen = Math.min(person.firstSeen, tokens[first]?.start ?? 0);
		}
		learn(person, role, titleGender);
		if (apposition) learn(person, apposition, null);
		if (!person.gender && !familyNameFirst(name))
			person.gender = FIRST_NAMES.get(name[0]?.lower ?? "") ?? null;
		run.person = person;
		return run;
	}

	/* ", the mayor of …," / ", ein Ökonom der …," right after a name. */
	function appositiveRole(end: number): RoleCue | null {
		if (tokens[end]?.text !== ",") return null;
		for (let k = end + 1; k < Math.min(end + 6, tokens.length); k++) {
			const t = tokens[k];
			if (!t?.word) return null;
			const r = roleOf(t, language);
			if (r) return r;
		}
		return null;
	}

	function learn(person: Person, role: RoleCue | null, gender: Gender | null): void {
		if (role) {
			person.roles.add(role.role);
			if (!person.gender && language === "de") person.gender = role.gender;
			else if (!person.gender && role.gender) person.gender = role.gender;
		}
		if (gender && !person.gender) person.gender = gender;
	}

	// Single-word names introduced by a role or title ("Außenminister Lawrow") and never in full.
	for (const { run, token } of singles) {
		if (!run.hasCue) continue;
		const key = foldToken(token);
		if (people.some((p) => p.surnames.has(key) || p.givens.has(key))) continue;
		const p = addPerson({
			name: stripPossessive(token.text),
			speakerId: null,
			gender: null,
			roles: new Set(),
			fulls: new Set([key]),
			surnames: new Set([key]),
			givens: new Set(),
			lastSeen: -1,
			firstSeen: token.start,
		});
		learn(p, run.role, run.titleGender);
	}

	// Pass 2: sentence by sentence, in reading order.
	let topic: Person | null = null;
	let lastSpeaker: { ref: SpeakerRef; sentence: number } | null = null;
	const results: SentenceAnalysis[] = [];

	const seen = (p: Person, at: number): void => {
		p.lastSeen = at;
		if (p.firstSeen > at) p.firstSeen = at;
	};

	function bySurname(token: Token, gender: Gender | null): Person | null {
		let key = foldToken(token);
		let candidates = people.filter((p) => p.surnames.has(key) || p.fulls.has(key));
		if (candidates.length === 0 && language === "de" && key.endsWith("s")) {
			key = key.slice(0, -1);
			candidates = people.filter((p) => p.surnames.has(key));
		}
		if (candidates.length === 0) candidates = people.filter((p) => p.givens.has(key));
		if (gender) {
			const fitting = candidates.filter((p) => p.gender === gender || p.gender === null);
			if (fitting.length > 0) candidates = fitting;
		}
		return mostSalient(candidates);
	}

	function mostSalient(candidates: readonly Person[]): Person | null {
		let best: Person | null = null;
		for (const p of candidates) {
			if (!best) best = p;
			else if (p.lastSeen !== best.lastSeen) {
				if (p.lastSeen > best.lastSeen) best = p;
			} else if (p.firstSeen < best.firstSeen) best = p;
		}
		return best;
	}

	function resolveByGender(
		gender: Gender | null,
		before: number,
		sentenceTopic: Person | null,
	): Person | null {
		const mentioned = people.filter((p) => p.lastSeen >= 0 && p.lastSeen < before);
		mentioned.sort((a, b) => b.lastSeen - a.lastSeen);
		if (gender) {
			if (sentenceTopic?.gender === gender) return sentenceTopic;
			const exact = mentioned.find((p) => p.gender === gender);
			if (exact) return exact;
		}
		if (sentenceTopic && (sentenceTopic.gender === null || gender === null)) return sentenceTopic;
		return mentioned.find((p) => p.gender === null || gender === null) ?? null;
	}

	/* German "sie" is also "they": a plural verb next to it ("sie wollten", "sagten sie") rules her out. */
	function singularSie(k: number, from: number, to: number): boolean {
		const prev = tokens[k - 1];
		const clauseStart = k === from || prev === undefined || !prev.word;
		let verb: Token | undefined;
		if (!clauseStart && prev && SUBORDINATORS.has(prev.lower)) {
			// Verb-final clause: "dass sie … umzingeln wollten".
			let e = k + 1;
			while (e < to && tokens[e]?.word) e++;
			verb = tokens[e - 1];
		} else if (!clauseStart && prev && !CONJUNCTIONS.has(prev.lower)) verb = prev;
		else verb = tokens[k + 1];
		if (!verb?.word || verb === tokens[k]) return true;
		return !(verb.lower.endsWith("en") || verb.lower === "sind");
	}

	function sentenceMentions(from: number, to: number, sentenceTopic: Person | null): Mention[] {
		const mentions: Mention[] = [];
		for (let k = from; k < to; k++) {
			const t = tokens[k];
			if (!t) continue;
			const run = runAt.get(k);
			if (run) {
				let person = run.person;
				if (!person && run.end - run.first === 1) {
					const head = tokens[run.first];
					if (head) person = bySurname(head, run.titleGender ?? (run.role?.gender || null));
					if (person) learn(person, run.role, run.titleGender);
				}
				if (person) {
					seen(person, t.start);
					mentions.push({
						first: run.introStart,
						end: run.end,
						kind: "name",
						person,
						label: text.slice(tokens[run.first]?.start ?? t.start, tokens[run.end - 1]?.end ?? t.end),
					});
				}
				k = run.end - 1;
				continue;
			}
			const pronoun = PRONOUNS.get(t.lower);
			if (pronoun && pronoun.language === language && !inQuote(k)) {
				const prev = tokens[k - 1];
				const formal = language === "de" && t.text === "Sie" && k !== from && prev?.word === true;
				const plural = language === "de" && t.lower === "sie" && !singularSie(k, from, to);
				if (!formal && !plural) {
					const person = resolveByGender(pronoun.gender, t.start, sentenceTopic);
					if (person) {
						if (!person.gender) person.gender = pronoun.gender;
						seen(person, t.start);
					}
					mentions.push({ first: k, end: k + 1, kind: "pronoun", person, label: t.text });
				}
				continue;
			}
			if (DETERMINERS.has(t.lower)) {
				const description = roleDescription(k, to);
				if (description) {
					const { role, end } = description;
					let candidates = people.filter(
						(p) => p.lastSeen >= 0 && [...p.roles].some((r) => rolesMatch(r, role.role)),
					);
					if (role.gender) {
						candidates = candidates.filter((p) => p.gender === role.gender || p.gender === null);
					}
					// "the mayor, Jane Doe," names the person right away.
					const apposed = tokens[end]?.text === "," ? runAt.get(end + 1)?.person : undefined;
					let person = apposed ?? mostSalient(candidates);
					if (!person && role.gender) person = resolveByGender(role.gender, t.start, null);
					if (person) {
						learn(person, role, null);
						seen(person, t.start);
					}
					const last = tokens[end - 1];
					mentions.push({
						first: k,
						end,
						kind: "role",
						person,
						label: text.slice(t.start, last?.end ?? t.end),
					});
					k = end - 1;
				}
			}
		}
		return mentions;
	}

	/* "der russische Außenminister", "the foreign minister", not followed by the name itself. */
	function roleDescription(k: number, to: number): { role: RoleCue; end: number } | null {
		for (let e = k + 1; e < Math.min(k + 5, to); e++) {
			const t = tokens[e];
			if (!t?.word) return null;
			const role = roleOf(t, language);
			if (role) {
				if (isNameToken(tokens[e + 1]) && !FUNCTION_WORDS.has(tokens[e + 1]?.lower ?? "")) return null;
				return { role, end: e + 1 };
			}
			const adjective =
				language === "de"
					? LOWER_START.test(t.text)
					: LOWER_START.test(t.text) || /^\p{Lu}\p{Ll}+n$/u.test(t.text);
			if (!adjective && !(language === "en" && ENGLISH_ROLE_MODIFIERS.has(t.lower))) return null;
		}
		return null;
	}

	function clauseBounds(k: number, from: number, to: number): [number, number] {
		let s = k;
		while (s > from && !isClauseBreak(s - 1)) s--;
		let e = k + 1;
		while (e < to && !isClauseBreak(e)) e++;
		return [s, e];
	}

	/* Commas and dashes end a clause, and so does a quotation; a scare quote or a parenthesis does not. */
	function isClauseBreak(k: number): boolean {
		const t = tokens[k];
		return t === undefined || inClaimQuote(k) || [",", ";", ":", "–", "—"].includes(t.text);
	}

	function findCues(from: number, to: number): CueHit[] {
		const hits: CueHit[] = [];
		for (let k = from; k < to; k++) {
			const t = tokens[k];
			if (!t?.word || inQuote(k)) continue;
			const next = tokens[k + 1];
			if (language === "en" && t.lower === "according" && next?.lower === "to") {
				hits.push({ index: k, cue: { form: "according to", subject: "after" }, after: k + 2 });
				continue;
			}
			if (language === "de" && t.lower === "nach") {
				const n2 = tokens[k + 2];
				if ((next?.lower === "seinen" || next?.lower === "ihren") && n2?.lower === "angaben") {
					const gender: Gender = next.lower === "seinen" ? "m" : "f";
					hits.push({ index: k, cue: { form: "nach angaben" }, after: k + 3, pronounGender: gender });
				} else if (next?.lower === "angaben") {
					hits.push({ index: k, cue: { form: "nach angaben", subject: "after" }, after: k + 2 });
				}
				continue;
			}
			if (language === "de" && t.lower === "so" && tokens[k - 1]?.text === "," && isNameToken(next)) {
				hits.push({ index: k, cue: { form: "so", subject: "after" }, after: k + 1 });
				continue;
			}
			const entries = cueTable.get(t.lower);
			if (!entries) continue;
			// Reporting verbs are lower case; "Laut" opens sentences, "States" is a noun.
			if (/^\p{Lu}/u.test(t.text) && t.lower !== "laut") continue;
			if (language === "en" && AMBIGUOUS_ENGLISH_CUES.has(t.lower) && !englishCueInContext(k)) continue;
			if (t.lower === "laut" && !(isNameToken(next) || DETERMINERS.has(next?.lower ?? ""))) continue;
			const [, clauseEnd] = clauseBounds(k, from, to);
			let chosen: ReportingCue | null = null;
			for (const entry of entries) {
				if (entry.particle) {
					const particle = entry.particle;
					let found = false;
					for (let e = k + 1; e < clauseEnd; e++) if (tokens[e]?.lower === particle) found = true;
					if (found) {
						chosen = entry;
						break;
					}
				} else if (!chosen) chosen = entry;
			}
			if (chosen) hits.push({ index: k, cue: chosen, after: k + 1 });
		}
		return hits;
	}

	/* "claims", "reports", "thanks to" are nouns as often as verbs: a verb has a subject before it or a clause after it. */
	function englishCueInContext(k: number): boolean {
		const prev = tokens[k - 1];
		const next = tokens[k + 1];
		if (next && (next.lower === "that" || [",", ".", ":", "“", '"', "«", "'", "‘"].includes(next.text)))
			return true;
		if (!prev) return false;
		return (
			PRONOUNS.has(prev.lower) ||
			prev.lower === "they" ||
			(isNameToken(prev) && !FUNCTION_WORDS.has(prev.lower))
		);
	}

	const SKIPPABLE = new Set([
		"sich",
		"jedoch",
		"zudem",
		"auch",
		"nun",
		"erneut",
		"außerdem",
		"ebenfalls",
		"dann",
	]);

	function subjectOf(hit: CueHit, mentions: readonly Mention[], from: number, to: number): Mention | null {
		const v = hit.index;
		const [clauseStart] = clauseBounds(v, from, to);
		// An unresolved pronoun ("He said" with nobody before) names no one.
		const outside = mentions.filter((m) => !inQuote(m.first) && (m.person !== null || m.kind !== "pronoun"));
		const startingAt = (k: number) => outside.find((m) => m.first === k) ?? null;
		const after = (): Mention | null => {
			let k = hit.after;
			if (SKIPPABLE.has(tokens[k]?.lower ?? "")) k++;
			return startingAt(k);
		};
		const beforeInClause = (): Mention | null => {
			const inClause = outside.filter((m) => m.first >= clauseStart && m.end <= v);
			if (inClause.length === 0) return null;
			// German puts the subject first in its clause; English right before the verb.
			return (language === "de" ? inClause[0] : inClause[inClause.length - 1]) ?? null;
		};
		const sentenceSubject = (): Mention | null => {
			const first = outside[0];
			if (!first || first.first >= v) return null;
			for (let k = from; k < first.first; k++) {
				const t = tokens[k];
				if (t?.word && !inQuote(k) && !TITLES.has(t.lower)) return null;
			}
			return first;
		};
		if (hit.cue.subject === "after") {
			for (let k = hit.after; k < Math.min(hit.after + 3, to); k++) {
				const m = outside.find((x) => x.first === k || (x.first < k && x.end > k));
				if (m) return m;
			}
			return null;
		}
		if (hit.cue.subject === "before") {
			const prior = outside.filter((m) => m.end <= v && m.end >= v - 4);
			return prior[prior.length - 1] ?? null;
		}
		if (language === "de") {
			// Verb second: a person in the slot before the verb is the subject; otherwise it follows the verb.
			const prefield = outside.find((m) => m.first === clauseStart && m.end <= v) ?? null;
			return prefield ?? after() ?? beforeInClause() ?? sentenceSubject();
		}
		return beforeInClause() ?? after() ?? sentenceSubject();
	}

	/* Speaker given as a plain noun phrase: "Die Bundesregierung teilte mit", "the ministry said". */
	function phraseSubject(hit: CueHit, from: number, to: number): string | null {
		const v = hit.index;
		const [clauseStart] = clauseBounds(v, from, to);
		const span = tokens.slice(clauseStart, v);
		const first = span[0];
		const last = span[span.length - 1];
		if (
			hit.cue.subject !== "after" &&
			first &&
			last &&
			span.length >= 2 &&
			span.length <= (language === "de" ? 4 : 6) &&
			span.every((t) => t.word) &&
			PHRASE_DETERMINERS.has(first.lower) &&
			(language === "en" || /^\p{Lu}/u.test(last.text))
		) {
			return text.slice(first.start, last.end);
		}
		const det = tokens[hit.after];
		if (!det || !PHRASE_DETERMINERS.has(det.lower) || hit.after >= to) return null;
		// German stops at the first noun ("teilte die Bundesregierung am Montag mit"); English takes a short phrase.
		let e = hit.after + 1;
		while (e < to && e < hit.after + 6) {
			const t = tokens[e];
			if (!t?.word || (FUNCTION_WORDS.has(t.lower) && language === "de")) break;
			if (language === "en" && FUNCTION_WORDS.has(t.lower) && !["of", "for"].includes(t.lower)) break;
			e++;
			if (language === "de" && /^\p{Lu}/u.test(t.text)) break;
		}
		const end = tokens[e - 1];
		if (e === hit.after + 1 || !end) return null;
		if (language === "de" && !/^\p{Lu}/u.test(end.text)) return null;
		// English names the speaker after the verb only when inverted: "…, said the ministry." / "according to …".
		const closing = tokens[e]?.text;
		if (
			language === "en" &&
			hit.cue.subject !== "after" &&
			closing !== undefined &&
			![".", ",", ";"].includes(closing)
		)
			return null;
		return text.slice(det.start, end.end);
	}

	/* A one-word name never introduced, right next to the verb: "Lawrow sagte", "said Smith". */
	function bareName(hit: CueHit, from: number, to: number): Person | null {
		const v = hit.index;
		const [clauseStart] = clauseBounds(v, from, to);
		const slots: number[] = [];
		if (hit.cue.subject === "before") slots.push(v - 1);
		else if (hit.cue.subject === "after" || language === "de") {
			slots.push(hit.after);
			if (v - 1 === clauseStart && hit.cue.subject !== "after") slots.push(v - 1);
		} else slots.push(v - 1, hit.after);
		for (const k of slots) {
			const t = tokens[k];
			if (!t || k < from || k >= to || !isNameToken(t) || inQuote(k)) continue;
			const lower = t.lower;
			if (FUNCTION_WORDS.has(lower) || MONTHS.has(lower) || WEEKDAYS.has(lower) || isPlace(t)) continue;
			if (roleOf(t, language) || ORGANISATION_HEADS.has(foldToken(t))) continue;
			const key = foldToken(t);
			return addPerson({
				name: stripPossessive(t.text),
				speakerId: null,
				gender: null,
				roles: new Set(),
				fulls: new Set([key]),
				surnames: new Set([key]),
				givens: new Set(),
				lastSeen: t.start,
				firstSeen: t.start,
			});
		}
		return null;
	}

	function refOf(p: Person): SpeakerRef {
		return { name: p.name, speakerId: p.speakerId, person: p };
	}

	/* A quotation that is a claim of its own, not a scare quote inside someone's sentence. */
	function carriesClaim(q: QuoteSpan, s: Sentence): boolean {
		const inner = q.text.trim();
		const words = inner.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
		if (/[.!?…]$/u.test(inner)) return true;
		if (/:\s*$/u.test(text.slice(s.start, q.open))) return true;
		// A quote that opens the sentence or hands over to its reporting verb ("…“, sagte er") is a quotation.
		if (q.open === s.start && words >= 2) return true;
		const handover = /^[\s,]*(\p{L}+)/u.exec(text.slice(q.close + 1, Math.min(s.end, q.close + 40)));
		if (words >= 2 && handover?.[1] && cueTable.has(handover[1].toLowerCase())) return true;
		if (words >= 5) return true;
		const sentenceWords = s.text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
		return words >= 3 && words / Math.max(sentenceWords, 1) >= 0.6;
	}

	sentences.forEach((sentence, si) => {
		if (options.ignored.has(si)) {
			results.push({
				sentence,
				skip: true,
				kind: "statement",
				speaker: null,
				speakerSource: "none",
				quotes: [],
				stances: new Set(),
				people: [],
			});
			return;
		}
		const [from, to] = ranges[si] ?? [0, 0];
		const sentenceTopic = topic;
		const mentions = sentenceMentions(from, to, sentenceTopic);
		const claimQuotes = claimQuotesOf[si] ?? [];
		const cues = findCues(from, to);
		const stances = new Set<Stance>();
		for (const c of cues) if (c.cue.stance) stances.add(c.cue.stance);

		let speaker: SpeakerRef | null = null;
		let speakerSource: SentenceAnalysis["speakerSource"] = "none";
		let subjectMention: Mention | null = null;
		for (const hit of cues) {
			if (hit.pronounGender !== undefined) {
				const p = resolveByGender(hit.pronounGender, tokens[hit.index]?.start ?? 0, sentenceTopic);
				if (p) {
					speaker = refOf(p);
					speakerSource = "cue";
					break;
				}
				continue;
			}
			const m = subjectOf(hit, mentions, from, to);
			if (m) {
				subjectMention = m;
				speaker = m.person ? refOf(m.person) : { name: m.label, speakerId: null, person: null };
				speakerSource = "cue";
				break;
			}
		}
		if (!speaker) {
			for (const hit of cues) {
				const phrase = phraseSubject(hit, from, to);
				if (phrase) {
					speaker = { name: phrase, speakerId: null, person: null };
					speakerSource = "cue";
					break;
				}
			}
		}
		if (!speaker) {
			for (const hit of cues) {
				const p = bareName(hit, from, to);
				if (p) {
					speaker = refOf(p);
					speakerSource = "cue";
					break;
				}
			}
		}
		// "Lawrow: „…“" — a name and a colon before the quotation.
		if (!speaker && claimQuotes.length > 0) {
			const q = claimQuotes[0];
			const colon = q
				? tokens.findIndex((t, k) => k >= from && k < to && t.end === q.open && t.text === ":")
				: -1;
			const m = colon > 0 ? mentions.find((x) => x.end === colon) : undefined;
			if (m?.person) {
				speaker = refOf(m.person);
				speakerSource = "cue";
			}
		}

		const firstWord = tokens[from];
		const attributionOnly =
			cues.length > 0 &&
			firstWord !== undefined &&
			["das", "dies", "this", "that", "so"].includes(firstWord.lower) &&
			cues[0]?.index === from + 1 &&
			speaker !== null &&
			!tokens.slice(from, to).some((t) => t.text === "," || t.lower === "dass" || t.lower === "that");

		let kind: ClaimKind = "statement";
		if (claimQuotes.length > 0) {
			kind = "direct-quote";
			if (!speaker) {
				const context = topic ? refOf(topic) : (lastSpeaker?.ref ?? null);
				if (context) {
					speaker = context;
					speakerSource = "context";
				}
			}
		} else if (cues.length > 0) {
			kind = "reported-speech";
		} else if (language === "de" && lastSpeaker && si - lastSpeaker.sentence <= 2) {
			const konjunktiv = tokens
				.slice(from, to)
				.some(
					(t, i) => !inQuote(from + i) && KONJUNKTIV.has(t.lower) && tokens[from + i - 1]?.lower !== "ich",
				);
			if (konjunktiv) {
				kind = "reported-speech";
				speaker = lastSpeaker.ref;
				speakerSource = "context";
			}
		}

		const named: Person[] = [];
		for (const m of mentions) {
			if (m.person && m !== subjectMention && !named.includes(m.person) && m.kind === "name")
				named.push(m.person);
		}

		if (attributionOnly && speaker) {
			// "Das teilte Oberbürgermeisterin Anna Müller mit." names the speaker of the sentence before.
			const prev = results[results.length - 1];
			if (prev && !prev.skip && prev.speakerSource !== "cue") {
				if (prev.kind === "statement") prev.kind = "reported-speech";
				prev.speaker = speaker;
				prev.speakerSource = "cue";
				for (const st of stances) prev.stances.add(st);
			}
		}

		results.push({
			sentence,
			skip: attributionOnly,
			kind,
			speaker: kind === "statement" ? null : speaker,
			speakerSource: kind === "statement" ? "none" : speakerSource,
			quotes: claimQuotes,
			stances,
			people: named,
		});

		if (speaker?.person && kind !== "statement") topic = speaker.person;
		else {
			const firstPerson = mentions.find((m) => m.person && !inQuote(m.first))?.person;
			if (firstPerson) topic = firstPerson;
		}
		if (speaker && kind !== "statement") lastSpeaker = { ref: speaker, sentence: si };
	});
	return results;
}
