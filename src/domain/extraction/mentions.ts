/**
 * Pass 2, first step for each sentence: who it mentions, in reading order. A
 * mention is a name run, a pronoun ("er", "she") or a role description ("der
 * russische Außenminister"); each is resolved to a person where it can be, and
 * marks that person as seen, which is what later pronouns resolve against.
 */

import { type AttributionContext, inQuote, type NameRun } from "./attribution-context";
import { DETERMINERS, ENGLISH_ROLE_MODIFIERS, FUNCTION_WORDS, type Gender, PRONOUNS } from "./lexicon";
import { isNameToken, isPlace } from "./names";
import {
	byRole,
	bySurname,
	learn,
	markSeen,
	type Person,
	resolveByGender,
	setGender,
} from "./person-registry";
import { type RoleCue, roleOf } from "./roles";

export interface Mention {
	first: number;
	end: number;
	kind: "name" | "pronoun" | "role";
	person: Person | null;
	label: string;
}

/** The sentence being analysed: its index, token range and the person the text was about before it. */
export interface SentenceScope {
	si: number;
	from: number;
	to: number;
	topic: Person | null;
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
const CONJUNCTIONS = new Set(["und", "oder", "aber", "doch", "denn", "sondern"]);
/* What can join a role to its complement: "Landrätin des Kreises", "chair of the board". */
const COMPLEMENT_HEADS = new Set(["des", "der", "vom", "von", "of", "for", "at"]);
/* Nominative articles, for roles whose word tells no gender ("die Vorsitzende"). */
const ARTICLE_GENDER = new Map<string, Gender>([
	["der", "m"],
	["die", "f"],
]);

function nameMention(ctx: AttributionContext, run: NameRun, k: number): Mention | null {
	const { tokens, registry: reg } = ctx;
	const t = tokens[k];
	if (!t) return null;
	let person = run.person;
	if (!person && run.end - run.first === 1) {
		const head = tokens[run.first];
		// Two people may share the surname: the role given with it tells them apart.
		const role = run.role ?? apposedRole(ctx, run.end);
		const gender = run.titleGender ?? (role?.gender || null);
		if (head) person = bySurname(reg, ctx.language, head, gender, role);
		if (person) learn(reg, ctx.language, person, role, run.titleGender);
	}
	if (!person) return null;
	markSeen(reg, person, t.start);
	return {
		first: run.introStart,
		end: run.end,
		kind: "name",
		person,
		label: ctx.text.slice(tokens[run.first]?.start ?? t.start, tokens[run.end - 1]?.end ?? t.end),
	};
}

/* German "sie" is also "they": a plural verb next to it ("sie wollten", "sagten sie") rules her out. */
function singularSie(ctx: AttributionContext, k: number, scope: SentenceScope): boolean {
	const { tokens } = ctx;
	const prev = tokens[k - 1];
	const clauseStart = k === scope.from || prev === undefined || !prev.word;
	let verb = tokens[k + 1];
	if (!clauseStart && prev && SUBORDINATORS.has(prev.lower)) {
		// Verb-final clause: "dass sie … umzingeln wollten".
		const e = Math.min(scope.to, ctx.wordRunEnd[k + 1] ?? scope.to);
		verb = tokens[Math.max(e, k + 1) - 1];
	} else if (!clauseStart && prev && !CONJUNCTIONS.has(prev.lower)) verb = prev;
	if (!verb?.word || verb === tokens[k]) return true;
	return !(verb.lower.endsWith("en") || verb.lower === "sind");
}

/* A pronoun mention, or undefined when the token is no pronoun of the text's language (outside quotes). */
function pronounMention(
	ctx: AttributionContext,
	k: number,
	scope: SentenceScope,
): Mention | null | undefined {
	const { tokens, language } = ctx;
	const t = tokens[k];
	const pronoun = t ? PRONOUNS.get(t.lower) : undefined;
	if (!t || !pronoun || pronoun.language !== language || inQuote(ctx, k)) return undefined;
	const prev = tokens[k - 1];
	const formal = language === "de" && t.text === "Sie" && k !== scope.from && prev?.word === true;
	const plural = language === "de" && t.lower === "sie" && !singularSie(ctx, k, scope);
	if (formal || plural) return null;
	const person = resolveByGender(ctx.registry, pronoun.gender, t.start, scope.topic);
	if (person) {
		if (!person.gender) setGender(ctx.registry, person, pronoun.gender);
		markSeen(ctx.registry, person, t.start);
	}
	return { first: k, end: k + 1, kind: "pronoun", person, label: t.text };
}

/* A role word at e, through the last of a compound ("chief engineer" is an engineer). */
function roleAt(ctx: AttributionContext, e: number): { role: RoleCue; end: number } | null {
	const t = ctx.tokens[e];
	let role = t ? roleOf(t, ctx.language, ctx.learnedRoles) : null;
	if (!role) return null;
	let end = e + 1;
	for (let next = ctx.tokens[end]; next && LOWER_START.test(next.text); next = ctx.tokens[end]) {
		const more = roleOf(next, ctx.language, ctx.learnedRoles);
		if (!more) break;
		role = more;
		end++;
	}
	return { role, end };
}

/* "Müller, der Bürgermeister," / "Smith, the former governor,": the role given with a bare name. */
function apposedRole(ctx: AttributionContext, end: number): RoleCue | null {
	const { tokens, language } = ctx;
	if (tokens[end]?.text !== ",") return null;
	const det = tokens[end + 1]?.lower ?? "";
	let k = DETERMINERS.has(det) ? end + 2 : end + 1;
	for (const stop = k + 3; k < stop; k++) {
		ctx.steps.count++;
		const t = tokens[k];
		const found = t?.word ? roleAt(ctx, k) : null;
		if (found) {
			// German tells the gender by the article where the role word does not: "die Vorsitzende".
			const gender = found.role.gender ?? (language === "de" ? ARTICLE_GENDER.get(det) : null) ?? null;
			return { role: found.role.role, gender };
		}
		if (!t?.word || !(LOWER_START.test(t.text) || ENGLISH_ROLE_MODIFIERS.has(t.lower))) return null;
	}
	return null;
}

/*
 * The person named in apposition to a role description: "the mayor, Jane Doe,", also
 * after a short complement ("die Landrätin des Kreises, Anna Berger,", "the chair of
 * the county board, Maria Delgado,").
 */
function apposedPerson(ctx: AttributionContext, end: number, to: number): Person | null {
	const { tokens } = ctx;
	let k = end;
	if (COMPLEMENT_HEADS.has(tokens[k]?.lower ?? "")) {
		const stop = Math.min(k + 6, to);
		for (k++; k < stop && tokens[k]?.word; k++) ctx.steps.count++;
	}
	return tokens[k]?.text === "," ? (ctx.runAt.get(k + 1)?.person ?? null) : null;
}

/*
 * "der russische Außenminister", "the foreign minister"; `named` when the name itself
 * follows ("der russische Außenminister Sergei Lawrow"): then the name is the mention.
 */
function roleDescription(
	ctx: AttributionContext,
	k: number,
	to: number,
): { role: RoleCue; end: number; named: boolean } | null {
	const { tokens, language } = ctx;
	for (let e = k + 1; e < Math.min(k + 5, to); e++) {
		ctx.steps.count++;
		const t = tokens[e];
		if (!t?.word) return null;
		const found = roleAt(ctx, e);
		if (found) {
			const next = tokens[found.end];
			const named =
				(isNameToken(next) && !FUNCTION_WORDS.has(next?.lower ?? "")) || servesInstitution(ctx, found.end);
			return { ...found, named };
		}
		// Adjectives, also of places: "der russische", "die Potsdamer", "the Russian".
		const adjective =
			language === "de"
				? LOWER_START.test(t.text) || /^\p{Lu}\p{Ll}+er$/u.test(t.text)
				: LOWER_START.test(t.text) || /^\p{Lu}\p{Ll}+n$/u.test(t.text);
		if (!adjective && !(language === "en" && ENGLISH_ROLE_MODIFIERS.has(t.lower))) return null;
	}
	return null;
}

/*
 * "der Sprecher der Koalition Jonas Keller": after the role, the institution it serves (no
 * person, no role), then the name, which is the role's. With a person there ("der Sprecher
 * der Ministerin Anna Müller") the name is hers, and the spokesman stays unnamed.
 */
function servesInstitution(ctx: AttributionContext, roleEnd: number): boolean {
	if (ctx.language !== "de") return false;
	const [genitive, institution] = [ctx.tokens[roleEnd], ctx.tokens[roleEnd + 1]];
	if (!genitive || !institution || !GENITIVE_ARTICLES.has(genitive.lower)) return false;
	if (!/^\p{Lu}/u.test(institution.text) || roleOf(institution, "de") !== null || isPlace(institution))
		return false;
	for (let e = roleEnd - 1; e >= 0 && e >= roleEnd - 4; e--) {
		const run = ctx.runAt.get(e);
		if (run) return run.person !== null && run.first === roleEnd + 2;
	}
	return false;
}
const GENITIVE_ARTICLES = new Set(["der", "des"]);

/*
 * "sagte der russische Außenminister Sergei Lawrow": the name run that the role (and
 * its article) introduces, as one mention from the article on, so the slot right after
 * the verb holds the person, not the description. Null when the run names nobody.
 */
function articledName(ctx: AttributionContext, k: number, roleEnd: number): Mention | null {
	for (let e = k + 1; e <= roleEnd; e++) {
		ctx.steps.count++;
		const run = ctx.runAt.get(e);
		if (!run) continue;
		const m = nameMention(ctx, run, e);
		return m ? { ...m, first: k } : null;
	}
	return null;
}

function roleMention(ctx: AttributionContext, k: number, scope: SentenceScope): Mention | null {
	const { tokens, registry: reg } = ctx;
	const t = tokens[k];
	if (!t || !DETERMINERS.has(t.lower)) return null;
	const description = roleDescription(ctx, k, scope.to);
	if (!description) return null;
	if (description.named) return articledName(ctx, k, description.end);
	const { end } = description;
	const article = ctx.language === "de" ? ARTICLE_GENDER.get(t.lower) : undefined;
	const role =
		description.role.gender || !article ? description.role : { ...description.role, gender: article };
	let person = apposedPerson(ctx, end, scope.to) ?? byRole(reg, role);
	if (!person && role.gender) {
		// By gender only someone whose role the text never gave: the Verbandspräsident is no Staatssekretär.
		const latest = resolveByGender(reg, role.gender, t.start, null);
		person = latest && latest.roles.size === 0 ? latest : null;
	}
	if (person) {
		learn(reg, ctx.language, person, role, null);
		markSeen(reg, person, t.start);
	}
	const last = tokens[end - 1];
	return { first: k, end, kind: "role", person, label: ctx.text.slice(t.start, last?.end ?? t.end) };
}

/** The mentions of people in the sentence, in order; they do not overlap. */
export function sentenceMentions(ctx: AttributionContext, scope: SentenceScope): Mention[] {
	const mentions: Mention[] = [];
	for (let k = scope.from; k < scope.to; k++) {
		ctx.steps.count++;
		if (!ctx.tokens[k]) continue;
		const run = ctx.runAt.get(k);
		if (run) {
			const m = nameMention(ctx, run, k);
			if (m) mentions.push(m);
			k = run.end - 1;
			continue;
		}
		const pronoun = pronounMention(ctx, k, scope);
		if (pronoun !== undefined) {
			if (pronoun) mentions.push(pronoun);
			continue;
		}
		const role = roleMention(ctx, k, scope);
		if (role) {
			mentions.push(role);
			k = role.end - 1;
		}
	}
	return mentions;
}
