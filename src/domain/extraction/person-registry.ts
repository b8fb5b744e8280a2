/**
 * The people of an article and how to find them again: by name key (full name,
 * surname, given name), by role ("der Außenminister") and by recency for pronouns
 * ("Er betonte …"). Every lookup goes through an index, so resolving a mention
 * costs the number of people who share its key, not the number in the article.
 *
 * Person fields that an index depends on (names, roles, gender, lastSeen) are only
 * changed through the functions here, which keep the indexes in step.
 */

import { createSpeakerMatcher, foldName } from "../speaker-matching";
import { FIRST_NAMES, type Gender, type Language } from "./lexicon";
import { foldToken, surnameKeys } from "./names";
import type { RoleCue } from "./roles";
import type { StepCounter } from "./step-counter";
import type { Token } from "./tokens";

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

type GenderClass = Gender | "unknown";

/* A node of a recency list: people of one gender class, most recently seen first. */
interface RecencyNode {
	person: Person;
	cls: GenderClass;
	prev: RecencyNode | null;
	next: RecencyNode | null;
}

export interface PersonRegistry {
	/** Everyone, in the order they were registered (the tie-break between equals). */
	readonly people: Person[];
	readonly order: Map<Person, number>;
	/** Folded full name → the person it was last given to. */
	readonly byFull: Map<string, Person>;
	readonly fullIndex: Map<string, Person[]>;
	readonly surnameIndex: Map<string, Person[]>;
	readonly givenIndex: Map<string, Person[]>;
	/** Role → people with exactly that role; suffix → people with a role ending in it. */
	readonly roleIndex: Map<string, Person[]>;
	readonly roleSuffixIndex: Map<string, Person[]>;
	/** Heads of the recency lists of people seen so far (lastSeen ≥ 0), one list per gender class. */
	readonly recency: Map<GenderClass, RecencyNode | null>;
	readonly nodes: Map<Person, RecencyNode>;
	readonly knownById: Map<string, Person>;
	readonly matcher: ((name: string) => { id: string; score: number } | null) | null;
	readonly steps: StepCounter;
}

function indexUnder(index: Map<string, Person[]>, key: string, p: Person): void {
	const list = index.get(key);
	if (list) list.push(p);
	else index.set(key, [p]);
}

const classOf = (p: Person): GenderClass => p.gender ?? "unknown";

/* Reading order of the recency lists: latest mention first, then registration order. */
function precedes(reg: PersonRegistry, a: Person, b: Person): boolean {
	if (a.lastSeen !== b.lastSeen) return a.lastSeen > b.lastSeen;
	return (reg.order.get(a) ?? 0) < (reg.order.get(b) ?? 0);
}

function unlink(reg: PersonRegistry, node: RecencyNode): void {
	if (node.prev) node.prev.next = node.next;
	else reg.recency.set(node.cls, node.next);
	if (node.next) node.next.prev = node.prev;
	node.prev = null;
	node.next = null;
}

/* Re-files a person after lastSeen or gender changed. Mentions come in reading order, so the walk stops at the head. */
function reposition(reg: PersonRegistry, p: Person): void {
	const existing = reg.nodes.get(p);
	if (existing) unlink(reg, existing);
	if (p.lastSeen < 0) return;
	const node: RecencyNode = existing ?? { person: p, cls: classOf(p), prev: null, next: null };
	node.cls = classOf(p);
	reg.nodes.set(p, node);
	let prev: RecencyNode | null = null;
	let cur = reg.recency.get(node.cls) ?? null;
	while (cur && precedes(reg, cur.person, p)) {
		reg.steps.count++;
		prev = cur;
		cur = cur.next;
	}
	node.prev = prev;
	node.next = cur;
	if (prev) prev.next = node;
	else reg.recency.set(node.cls, node);
	if (cur) cur.prev = node;
}

export function addPerson(reg: PersonRegistry, p: Person): Person {
	reg.order.set(p, reg.people.length);
	reg.people.push(p);
	for (const f of p.fulls) {
		reg.byFull.set(f, p);
		indexUnder(reg.fullIndex, f, p);
	}
	for (const s of p.surnames) indexUnder(reg.surnameIndex, s, p);
	for (const g of p.givens) indexUnder(reg.givenIndex, g, p);
	const roles = [...p.roles];
	p.roles.clear();
	for (const r of roles) addRole(reg, p, r);
	if (p.lastSeen >= 0) reposition(reg, p);
	return p;
}

/** A person met for the first time under `key` (surname only, no full name known). */
export function newPerson(name: string, key: string, firstSeen: number, lastSeen = -1): Person {
	return {
		name,
		speakerId: null,
		gender: null,
		roles: new Set(),
		fulls: new Set([key]),
		surnames: new Set([key]),
		givens: new Set(),
		lastSeen,
		firstSeen,
	};
}

export function addFullName(reg: PersonRegistry, p: Person, full: string): void {
	if (!p.fulls.has(full)) {
		p.fulls.add(full);
		indexUnder(reg.fullIndex, full, p);
	}
	reg.byFull.set(full, p);
}

function addRole(reg: PersonRegistry, p: Person, role: string): void {
	if (p.roles.has(role)) return;
	p.roles.add(role);
	indexUnder(reg.roleIndex, role, p);
	for (let i = 0; i < role.length; i++) {
		reg.steps.count++;
		indexUnder(reg.roleSuffixIndex, role.slice(i), p);
	}
}

export function setGender(reg: PersonRegistry, p: Person, gender: Gender | null): void {
	if (p.gender === gender) return;
	p.gender = gender;
	if (reg.nodes.has(p)) reposition(reg, p);
}

/** Records a mention of `p` at offset `at`. */
export function markSeen(reg: PersonRegistry, p: Person, at: number): void {
	p.lastSeen = at;
	if (p.firstSeen > at) p.firstSeen = at;
	reposition(reg, p);
}

/** What a role or title tells about a person: the role itself, and often the gender. */
export function learn(
	reg: PersonRegistry,
	language: Language,
	person: Person,
	role: RoleCue | null,
	gender: Gender | null,
): void {
	if (role) {
		addRole(reg, person, role.role);
		if (!person.gender && language === "de") setGender(reg, person, role.gender);
		else if (!person.gender && role.gender) setGender(reg, person, role.gender);
	}
	if (gender && !person.gender) setGender(reg, person, gender);
}

function knownSpeakerPerson(speaker: KnownSpeaker): Person {
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
			const pseudo = words.map((w, i) => ({ text: w, lower: w.toLowerCase(), start: i, end: i, word: true }));
			const keys = surnameKeys(pseudo);
			for (const s of keys.surnames) p.surnames.add(s);
			for (const g of keys.givens) p.givens.add(g);
		}
	}
	if (!p.gender) p.gender = FIRST_NAMES.get(speaker.name.split(/\s+/u)[0]?.toLowerCase() ?? "") ?? null;
	return p;
}

/** A registry holding the caller's known speakers, each findable by their names and aliases. */
export function createRegistry(knownSpeakers: readonly KnownSpeaker[], steps: StepCounter): PersonRegistry {
	const reg: PersonRegistry = {
		people: [],
		order: new Map(),
		byFull: new Map(),
		fullIndex: new Map(),
		surnameIndex: new Map(),
		givenIndex: new Map(),
		roleIndex: new Map(),
		roleSuffixIndex: new Map(),
		recency: new Map(),
		nodes: new Map(),
		knownById: new Map(),
		matcher: knownSpeakers.length > 0 ? createSpeakerMatcher(knownSpeakers) : null,
		steps,
	};
	for (const speaker of knownSpeakers) {
		steps.count++;
		reg.knownById.set(speaker.id, addPerson(reg, knownSpeakerPerson(speaker)));
	}
	return reg;
}

/** Whether someone already goes by `key` as surname or given name. */
export function hasNameKey(reg: PersonRegistry, key: string): boolean {
	return (reg.surnameIndex.get(key)?.length ?? 0) > 0 || (reg.givenIndex.get(key)?.length ?? 0) > 0;
}

/* The one the text was about most recently; never-mentioned people by introduction, then registration. */
function moreSalient(reg: PersonRegistry, p: Person, best: Person | null): boolean {
	if (!best) return true;
	if (p.lastSeen !== best.lastSeen) return p.lastSeen > best.lastSeen;
	if (p.firstSeen !== best.firstSeen) return p.firstSeen < best.firstSeen;
	return (reg.order.get(p) ?? 0) < (reg.order.get(best) ?? 0);
}

function mostSalient(reg: PersonRegistry, candidates: Iterable<Person>): Person | null {
	let best: Person | null = null;
	for (const p of candidates) {
		reg.steps.count++;
		if (moreSalient(reg, p, best)) best = p;
	}
	return best;
}

/* Whether a person holds the role or a narrower one ("außenminister" holds "minister"), or the reverse. */
function holdsRole(reg: PersonRegistry, p: Person, role: string): boolean {
	for (const r of p.roles) {
		reg.steps.count++;
		if (r.endsWith(role) || role.endsWith(r)) return true;
	}
	return false;
}

/**
 * A later mention by one name ("Lawrow", German genitive "Lawrows", or a first name).
 * A role said with it ("Smith, the treasurer") picks among people of that name.
 */
export function bySurname(
	reg: PersonRegistry,
	language: Language,
	token: Token,
	gender: Gender | null,
	role: RoleCue | null = null,
): Person | null {
	let key = foldToken(token);
	let candidates = [...(reg.surnameIndex.get(key) ?? []), ...(reg.fullIndex.get(key) ?? [])];
	if (candidates.length === 0 && language === "de" && key.endsWith("s")) {
		key = key.slice(0, -1);
		candidates = reg.surnameIndex.get(key) ?? [];
	}
	if (candidates.length === 0) candidates = reg.givenIndex.get(key) ?? [];
	reg.steps.count += candidates.length;
	if (gender) {
		const fitting = candidates.filter((p) => p.gender === gender || p.gender === null);
		if (fitting.length > 0) candidates = fitting;
	}
	if (role && candidates.length > 1) {
		const holding = candidates.filter((p) => holdsRole(reg, p, role.role));
		if (holding.length > 0) candidates = holding;
	}
	return mostSalient(reg, candidates);
}

/** The most salient person already mentioned whose role matches ("minister" and "außenminister" do). */
export function byRole(reg: PersonRegistry, role: RoleCue): Person | null {
	const fits = (p: Person) =>
		p.lastSeen >= 0 && (!role.gender || p.gender === role.gender || p.gender === null);
	let best: Person | null = null;
	const consider = (list: readonly Person[] | undefined) => {
		for (const p of list ?? []) {
			reg.steps.count++;
			if (fits(p) && moreSalient(reg, p, best)) best = p;
		}
	};
	// Roles ending in this one ("außenminister" for "minister"), and roles this one ends in.
	consider(reg.roleSuffixIndex.get(role.role));
	for (let i = 0; i < role.role.length; i++) {
		reg.steps.count++;
		consider(reg.roleIndex.get(role.role.slice(i)));
	}
	return best;
}

/* The most recent person of a gender class mentioned before `before`. */
function latestOfClass(reg: PersonRegistry, cls: GenderClass, before: number): Person | null {
	for (let node = reg.recency.get(cls) ?? null; node; node = node.next) {
		reg.steps.count++;
		if (node.person.lastSeen < before) return node.person;
	}
	return null;
}

/**
 * Who a pronoun or role description refers to: the sentence's topic when the gender
 * fits, else the person of that gender mentioned last before `before`.
 */
export function resolveByGender(
	reg: PersonRegistry,
	gender: Gender | null,
	before: number,
	sentenceTopic: Person | null,
): Person | null {
	if (gender) {
		if (sentenceTopic?.gender === gender) return sentenceTopic;
		const exact = latestOfClass(reg, gender, before);
		if (exact) return exact;
	}
	if (sentenceTopic && (sentenceTopic.gender === null || gender === null)) return sentenceTopic;
	if (gender) return latestOfClass(reg, "unknown", before);
	let best: Person | null = null;
	for (const cls of ["m", "f", "unknown"] as const) {
		const p = latestOfClass(reg, cls, before);
		if (p && (!best || precedes(reg, p, best))) best = p;
	}
	return best;
}
