/**
 * Pass 1: capitalised runs of tokens that name people ("Außenminister Sergei
 * Lawrow", "Dr. Maria Schulz", "Kim Jong-un"), with the title or role that
 * introduces them. Multi-word names become people right away; single words only
 * when a role or title vouches for them (the rest wait for a later mention).
 */

import { foldName } from "../speaker-matching";
import type { AttributionContext, NameRun } from "./attribution-context";
import {
	ENGLISH_ROLE_MODIFIERS,
	FIRST_NAMES,
	FUNCTION_WORDS,
	type Gender,
	MONTHS,
	NAME_PARTICLES,
	ORGANISATION_HEADS,
	PHRASE_DETERMINERS,
	SEASONS,
	TITLES,
	WEEKDAYS,
} from "./lexicon";
import { familyNameFirst, foldToken, isNameToken, isPlace, nameText, surnameKeys } from "./names";
import {
	addFullName,
	addPerson,
	hasNameKey,
	learn,
	newPerson,
	type Person,
	setGender,
} from "./person-registry";
import { englishRole, type RoleCue, roleOf } from "./roles";
import { stripPossessive, type Token } from "./tokens";

const LOWER_START = /^\p{Ll}/u;

interface Intro {
	first: number;
	introStart: number;
	role: RoleCue | null;
	titleGender: Gender | null;
	hasCue: boolean;
}

/* Titles and roles before the name: "Dr. Maria Schulz", "finance minister Kim Min-jun". */
function introBefore(ctx: AttributionContext, from: number): Intro {
	const { tokens, language } = ctx;
	const intro: Intro = { first: from, introStart: from, role: null, titleGender: null, hasCue: false };
	const prev = tokens[from - 1];
	const prev2 = tokens[from - 2];
	if (prev?.text === "." && prev2 && TITLES.has(prev2.lower)) {
		intro.titleGender = TITLES.get(prev2.lower) ?? null;
		intro.hasCue = true;
		intro.introStart = from - 2;
	} else if (prev && language === "en" && LOWER_START.test(prev.text)) {
		const r = englishRole(prev.text);
		if (r) {
			intro.role = r;
			intro.hasCue = true;
			intro.introStart = from - 1;
			while (intro.introStart > 0 && ENGLISH_ROLE_MODIFIERS.has(tokens[intro.introStart - 1]?.lower ?? "")) {
				ctx.steps.count++;
				intro.introStart--;
			}
		}
	}
	return intro;
}

/* A German place's adjective right before a role word in the run: "Potsdamer Bürgermeisterin". */
function placeBeforeRole(ctx: AttributionContext, k: number, to: number): boolean {
	const next = ctx.tokens[k + 1];
	const t = ctx.tokens[k];
	if (ctx.language !== "de" || !t || !next || k + 1 >= to) return false;
	return /^\p{Lu}\p{Ll}+er$/u.test(t.text) && roleOf(next, "de") !== null;
}

/* Titles, roles and function words at the start of the run; null when "Dr." splits it. */
function readIntro(ctx: AttributionContext, from: number, to: number): Intro | null {
	const { tokens, language } = ctx;
	const intro = introBefore(ctx, from);
	while (intro.first < to) {
		ctx.steps.count++;
		const t = tokens[intro.first];
		if (!t) break;
		const lower = t.lower;
		const r = roleOf(t, language);
		if (TITLES.has(lower)) {
			intro.titleGender = TITLES.get(lower) ?? intro.titleGender;
			intro.hasCue = true;
			// "Dr." splits the run; the name continues in the next run.
			if (tokens[intro.first + 1]?.text === ".") return null;
		} else if (r) {
			intro.role = r;
			intro.hasCue = true;
		} else if (placeBeforeRole(ctx, intro.first, to)) {
			// "Potsdamer Bürgermeisterin Hanna Lindenberg": the role and the name follow.
		} else if (language === "en" && ENGLISH_ROLE_MODIFIERS.has(lower) && intro.first + 1 < to) {
			// "Foreign Minister …": a modifier only counts when a role follows.
			const following = tokens[intro.first + 1];
			const nextRole = following ? roleOf(following, language) : null;
			if (!nextRole && !ENGLISH_ROLE_MODIFIERS.has(tokens[intro.first + 1]?.lower ?? "")) break;
		} else if (
			!FUNCTION_WORDS.has(lower) &&
			!MONTHS.has(lower) &&
			!WEEKDAYS.has(lower) &&
			!SEASONS.has(lower)
		) {
			break;
		}
		if (FUNCTION_WORDS.has(lower) && !intro.hasCue) intro.introStart = intro.first + 1;
		intro.first++;
	}
	return intro;
}

/* The name proper: from a known first name further in ("Tennisstar Alexander Zverev") to before any role word. */
function nameBounds(ctx: AttributionContext, first: number, to: number): { first: number; end: number } {
	const { tokens, language } = ctx;
	let start = first;
	let end = to;
	for (let k = first + 1; k < end - 1; k++) {
		ctx.steps.count++;
		if (FIRST_NAMES.has(tokens[k]?.lower ?? "")) {
			start = k;
			break;
		}
	}
	// Names do not contain role words: "Südkoreas Präsident" is no name.
	for (let k = start; k < end; k++) {
		ctx.steps.count++;
		const t = tokens[k];
		if (t && roleOf(t, language)) {
			end = k;
			break;
		}
	}
	return { first: start, end };
}

function plausibleName(name: readonly Token[]): boolean {
	if (name.some(isPlace)) return false;
	const last = name[name.length - 1];
	if (!last || ORGANISATION_HEADS.has(foldToken(last))) return false;
	const particle = (t: Token) => NAME_PARTICLES.has(t.text);
	return !name.some(
		(t) => (FUNCTION_WORDS.has(t.lower) && !particle(t)) || MONTHS.has(t.lower) || WEEKDAYS.has(t.lower),
	);
}

/* ", the mayor of …," / ", ein Ökonom der …," right after a name. */
function appositiveRole(ctx: AttributionContext, end: number): RoleCue | null {
	const { tokens } = ctx;
	if (tokens[end]?.text !== ",") return null;
	for (let k = end + 1; k < Math.min(end + 6, tokens.length); k++) {
		ctx.steps.count++;
		const t = tokens[k];
		if (!t?.word) return null;
		const r = roleOf(t, ctx.language);
		if (r) return r;
	}
	return null;
}

/* Where an English noun phrase's head ends: "the chair of the board", "a parent who spoke". */
const HEAD_ENDS = new Set(["of", "for", "at", "in", "on", "from", "with", "who", "whose", "which", "that"]);
const ARTICLE_GENDER = new Map<string, Gender>([
	["der", "m"],
	["ein", "m"],
	["die", "f"],
	["eine", "f"],
]);

/*
 * The head noun of a noun phrase [start, end) as a role the article teaches: "Der
 * Geschäftsführer der Stadtwerke" → geschäftsführer/m, "The district's superintendent" →
 * superintendent. It is added to the article's roles, so "der Geschäftsführer" finds him later.
 */
function headRole(ctx: AttributionContext, start: number, end: number): RoleCue | null {
	const { tokens, language } = ctx;
	let head: Token | undefined;
	for (let k = start + 1; k < end; k++) {
		ctx.steps.count++;
		const t = tokens[k];
		if (!t || (language === "en" && HEAD_ENDS.has(t.lower))) break;
		head = t;
		if (language === "de" && /^\p{Lu}/u.test(t.text)) break;
	}
	if (!head || FUNCTION_WORDS.has(head.lower) || isPlace(head)) return null;
	if (language === "en" && !LOWER_START.test(head.text)) return null;
	let word = stripPossessive(head.lower);
	let gender: Gender | null = null;
	if (language === "de") {
		word = word.slice(word.lastIndexOf("-") + 1);
		if (!/^\p{Lu}/u.test(head.text)) return null;
		if (word.endsWith("in") && word.length > 5) {
			word = word.slice(0, -2);
			gender = "f";
		} else gender = ARTICLE_GENDER.get(tokens[start]?.lower ?? "") ?? null;
	}
	ctx.learnedRoles.add(word);
	return { role: word, gender };
}

/*
 * "Die Landrätin des Kreises, Anna Berger," / "A parent who spoke at the meeting, Jasmine
 * Ortiz,": the role of the noun phrase a name is in apposition to; null when there is none.
 */
function roleInApposition(ctx: AttributionContext, introStart: number): RoleCue | null {
	const { tokens, sentenceOf } = ctx;
	const comma = introStart - 1;
	if (tokens[comma]?.text !== ",") return null;
	let start = comma;
	let known: RoleCue | null = null;
	for (let k = comma - 1; k >= Math.max(0, comma - 8) && sentenceOf[k] === sentenceOf[introStart]; k--) {
		ctx.steps.count++;
		const t = tokens[k];
		if (!t?.word) break;
		start = k;
		known ??= roleOf(t, ctx.language);
	}
	if (known) return known;
	const before = tokens[start - 1];
	const opensClause = !before?.word || sentenceOf[start - 1] !== sentenceOf[start];
	if (start === comma || !opensClause || !PHRASE_DETERMINERS.has(tokens[start]?.lower ?? "")) return null;
	return headRole(ctx, start, comma);
}

/* The person a multi-word name stands for, registered on first sight; null when it may not be a person. */
function personOfRun(ctx: AttributionContext, run: NameRun, name: readonly Token[]): Person | null {
	const { text, tokens, registry: reg } = ctx;
	const full = foldName(nameText(text, name));
	let person = reg.byFull.get(full) ?? null;
	if (!person && reg.matcher) {
		const match = reg.matcher(nameText(text, name));
		if (match && match.score >= 0.8) person = reg.knownById.get(match.id) ?? null;
	}
	const before = tokens[run.introStart - 1];
	const afterTok = tokens[run.end];
	const apposition = appositiveRole(ctx, run.end);
	const roleBefore = roleInApposition(ctx, run.introStart);
	const isPerson =
		person !== null ||
		run.hasCue ||
		FIRST_NAMES.has(name[0]?.lower ?? "") ||
		familyNameFirst(name) ||
		(before !== undefined && ctx.cueTable.has(before.lower)) ||
		(afterTok !== undefined && ctx.cueTable.has(afterTok.lower)) ||
		apposition !== null ||
		roleBefore !== null;
	if (!isPerson) return null;
	const firstStart = tokens[run.first]?.start ?? 0;
	if (!person) {
		const keys = surnameKeys(name);
		person = addPerson(reg, {
			name: nameText(text, name),
			speakerId: null,
			gender: null,
			roles: new Set(),
			fulls: new Set([full]),
			surnames: new Set(keys.surnames),
			givens: new Set(keys.givens),
			lastSeen: -1,
			firstSeen: firstStart,
		});
	} else {
		addFullName(reg, person, full);
		person.firstSeen = Math.min(person.firstSeen, firstStart);
	}
	learn(reg, ctx.language, person, run.role, run.titleGender);
	if (apposition) learn(reg, ctx.language, person, apposition, null);
	if (roleBefore) learn(reg, ctx.language, person, roleBefore, null);
	if (!person.gender && !familyNameFirst(name))
		setGender(reg, person, FIRST_NAMES.get(name[0]?.lower ?? "") ?? null);
	return person;
}

/* Reads tokens [from, to) as a name; one-word names are kept in `singles` for later. */
function readRun(
	ctx: AttributionContext,
	from: number,
	to: number,
	singles: { run: NameRun; token: Token }[],
): NameRun | null {
	const intro = readIntro(ctx, from, to);
	if (!intro) return null;
	const { first, end } = nameBounds(ctx, intro.first, to);
	if (first >= end) return null;
	const name = ctx.tokens.slice(first, end);
	ctx.steps.count += name.length;
	if (!plausibleName(name)) return null;
	const introStart = Math.min(intro.introStart, first);
	const { role, titleGender, hasCue } = intro;
	const run: NameRun = { first, end, introStart, role, titleGender, hasCue, person: null };
	if (name.length === 1) {
		const head = name[0];
		if (head) singles.push({ run, token: head });
		return run;
	}
	run.person = personOfRun(ctx, run, name);
	return run;
}

/* The end (inclusive) of the capitalised run starting at i, "von der" particles included before a name. */
function runEnd(ctx: AttributionContext, i: number, si: number): number {
	const { tokens, sentenceOf } = ctx;
	let j = i;
	while (true) {
		ctx.steps.count++;
		if (isNameToken(tokens[j + 1]) && sentenceOf[j + 1] === si) {
			j++;
			continue;
		}
		// "Ursula von der Leyen": particles count when a name follows them.
		let p = j + 1;
		while (p < j + 4 && NAME_PARTICLES.has(tokens[p]?.text ?? "")) p++;
		if (p > j + 1 && isNameToken(tokens[p]) && sentenceOf[p] === si) j = p;
		else return j;
	}
}

/* Single-word names introduced by a role or title ("Außenminister Lawrow") and never in full. */
function registerSingles(ctx: AttributionContext, singles: readonly { run: NameRun; token: Token }[]): void {
	const reg = ctx.registry;
	for (const { run, token } of singles) {
		ctx.steps.count++;
		if (!run.hasCue) continue;
		const key = foldToken(token);
		if (hasNameKey(reg, key)) continue;
		const p = addPerson(reg, newPerson(stripPossessive(token.text), key, token.start));
		learn(reg, ctx.language, p, run.role, run.titleGender);
	}
}

/** Finds the name runs of all sentences not ignored, fills `ctx.runAt` and registers the people they name. */
export function readNameRuns(ctx: AttributionContext): void {
	const { tokens, sentenceOf } = ctx;
	const singles: { run: NameRun; token: Token }[] = [];
	for (let i = 0; i < tokens.length; i++) {
		ctx.steps.count++;
		const si = sentenceOf[i] ?? -1;
		if (si < 0 || ctx.ignored.has(si) || !isNameToken(tokens[i])) continue;
		const j = runEnd(ctx, i, si);
		// A capitalised stretch longer than any name is a headline or German noun chain, not a person.
		const run = j - i < 6 ? readRun(ctx, i, j + 1, singles) : null;
		i = j;
		if (run) ctx.runAt.set(run.introStart, run);
	}
	registerSingles(ctx, singles);
}
