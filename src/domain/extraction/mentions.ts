/**
 * Pass 2, first step for each sentence: who it mentions, in reading order. A
 * mention is a name run, a pronoun ("er", "she") or a role description ("der
 * russische Außenminister"); each is resolved to a person where it can be, and
 * marks that person as seen, which is what later pronouns resolve against.
 */

import { type AttributionContext, inQuote, type NameRun } from "./attribution-context";
import { DETERMINERS, ENGLISH_ROLE_MODIFIERS, FUNCTION_WORDS, PRONOUNS } from "./lexicon";
import { isNameToken } from "./names";
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

function nameMention(ctx: AttributionContext, run: NameRun, k: number): Mention | null {
	const { tokens, registry: reg } = ctx;
	const t = tokens[k];
	if (!t) return null;
	let person = run.person;
	if (!person && run.end - run.first === 1) {
		const head = tokens[run.first];
		if (head) person = bySurname(reg, ctx.language, head, run.titleGender ?? (run.role?.gender || null));
		if (person) learn(reg, ctx.language, person, run.role, run.titleGender);
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

/* "der russische Außenminister", "the foreign minister", not followed by the name itself. */
function roleDescription(
	ctx: AttributionContext,
	k: number,
	to: number,
): { role: RoleCue; end: number } | null {
	const { tokens, language } = ctx;
	for (let e = k + 1; e < Math.min(k + 5, to); e++) {
		ctx.steps.count++;
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

function roleMention(ctx: AttributionContext, k: number, scope: SentenceScope): Mention | null {
	const { tokens, registry: reg } = ctx;
	const t = tokens[k];
	if (!t || !DETERMINERS.has(t.lower)) return null;
	const description = roleDescription(ctx, k, scope.to);
	if (!description) return null;
	const { role, end } = description;
	// "the mayor, Jane Doe," names the person right away.
	const apposed = tokens[end]?.text === "," ? ctx.runAt.get(end + 1)?.person : undefined;
	let person = apposed ?? byRole(reg, role);
	if (!person && role.gender) person = resolveByGender(reg, role.gender, t.start, null);
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
