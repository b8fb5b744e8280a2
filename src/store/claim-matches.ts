import { sql } from "drizzle-orm";
import type { Claim } from "../db/schema";
import {
	classifyMatch,
	combineScores,
	compareClaims,
	type MatchRelation,
	matchFeatures,
	matchQueryTerms,
} from "../domain/claim-matching";
import type { Db } from "../factory";
import type { SemanticIndex } from "../lib/semantic-index";
import { type ClaimFilters, claimListSelect, decorate, type ListedClaim } from "./public-claims";

/**
 * "Has this been checked already?": claims that state the same as a text, or something
 * close to it. Candidates come from the full-text index (the text's stems in the `terms`
 * column: claim text, context and current verdict, chosen by rarity) and, where
 * Workers AI and Vectorize are bound, from the nearest embeddings in any language. Each
 * candidate is scored by the lexical matcher (domain/claim-matching), combined with its
 * embedding score when there is one; "same" needs a high score and no guard (number,
 * year, negation, direction, place) firing.
 */

export interface MatchQuery {
	text: string;
	language: string;
	speakerSlug?: string | undefined;
	limit: number;
	/** PUBLIC_UNREVIEWED=hide: only claims with a public review. */
	reviewedOnly: boolean;
	/** Leave this claim out (the desk asking about a claim it shows). */
	excludeId?: string | undefined;
}

export interface ClaimMatch {
	claim: ListedClaim;
	score: number;
	relation: MatchRelation;
}

export interface MatchAnswer {
	matches: ClaimMatch[];
	/** Which matchers ran: "lexical" always, "semantic" with Workers AI and Vectorize. */
	matchers: ("lexical" | "semantic")[];
	/** A matcher that is configured but failed this time (the answer is the lexical one). */
	unavailable: "semantic"[];
}

/** Candidates from the index before the matcher scores them: enough for recall@3, cheap to score. */
const CANDIDATES = 24;
const SEMANTIC_CANDIDATES = 20;
/** How far a term's matches are counted: past this it is common, whatever the exact number. */
const COUNT_CAP = 2000;
/** Rare terms are ranked by bm25 over all their matches, at most this many in all. */
const RANKED_BUDGET = 500;
/** The rarest terms AND-ed and read newest first: what a restatement of a common claim keeps. */
const AND_TERMS = 3;

/** A term as the index's tokenizer stores it (`remove_diacritics 2`): Wŏnsan is "wonsan" there. */
const asIndexed = (term: string) => term.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

const quote = (term: string) => `"${term.replaceAll('"', '""')}"`;

/**
 * How many claims hold each term in their stems, counted only up to COUNT_CAP + 1: one
 * statement, each count stopping early, so a common word costs a short read, not its
 * whole doclist (FTS5's vocabulary table would read every entry to count them).
 */
async function cappedFrequencies(db: Db, terms: readonly string[]): Promise<Map<string, number>> {
	if (terms.length === 0) return new Map();
	const counts = sql.join(
		terms.map(
			(term, i) =>
				sql`(SELECT count(*) FROM (SELECT 1 FROM claims_fts WHERE claims_fts MATCH ${`terms : ${quote(term)}`} LIMIT ${COUNT_CAP + 1})) AS ${sql.raw(`t${i}`)}`,
		),
		sql`, `,
	);
	const row = await db.get<Record<string, number>>(sql`SELECT ${counts}`);
	return new Map(terms.map((term, i) => [term, row?.[`t${i}`] ?? 0]));
}

interface CandidatePlan {
	/** Rare terms, ranked by bm25 over all their matches. */
	ranked: string | null;
	/** The rarest terms AND-ed, read newest first. */
	newest: string | null;
}

/**
 * The FTS5 expressions that find a text's candidates in the stemmed `terms` column,
 * chosen by how common each term is so the work stays bounded at any size: the rare
 * terms (names, places, numbers, unusual words) OR-ed and ranked, as long as they match
 * RANKED_BUDGET claims in all; and the rarest terms AND-ed, newest first (when every term
 * is common, as in a running story, the recent restatements come first).
 */
async function candidatePlan(db: Db, text: string, language: string): Promise<CandidatePlan> {
	const terms = [...new Set(matchQueryTerms(text, language).map(asIndexed))];
	const frequencies = await cappedFrequencies(db, terms);
	const known = [...frequencies].filter(([, n]) => n > 0).sort((a, b) => a[1] - b[1]);
	const rare: string[] = [];
	let budget = RANKED_BUDGET;
	for (const [term, n] of known) {
		if (n > budget) break;
		rare.push(term);
		budget -= n;
	}
	const rarest = known.slice(0, AND_TERMS).map(([term]) => term);
	const covered = rarest.every((term) => rare.includes(term));
	return {
		ranked: rare.length > 0 ? `terms : (${rare.map(quote).join(" OR ")})` : null,
		newest: rarest.length > 0 && !covered ? `terms : (${rarest.map(quote).join(" AND ")})` : null,
	};
}

function filtersOf(query: MatchQuery): ClaimFilters {
	return { speakerSlug: query.speakerSlug, reviewedOnly: query.reviewedOnly || undefined };
}

/** Bare claim rows, newest first: speaker, source and verdict are added to the winners only. */
async function claimRows(
	db: Db,
	filters: ClaimFilters,
	sort: "recent" | "relevance",
	limit: number,
): Promise<Claim[]> {
	return (await claimListSelect(db, filters, sort, limit, null).query).slice(0, limit);
}

async function lexicalCandidates(db: Db, query: MatchQuery): Promise<Claim[]> {
	const plan = await candidatePlan(db, query.text, query.language);
	const filters = filtersOf(query);
	const [ranked, newest] = await Promise.all([
		plan.ranked ? claimRows(db, { ...filters, fts: plan.ranked }, "relevance", CANDIDATES) : [],
		plan.newest ? claimRows(db, { ...filters, fts: plan.newest }, "recent", CANDIDATES) : [],
	]);
	return [...ranked, ...newest];
}

async function semanticCandidates(db: Db, semantic: SemanticIndex, query: MatchQuery) {
	const nearest = await semantic.nearest(query.text, SEMANTIC_CANDIDATES);
	const scores = new Map(nearest.map((n) => [n.claimId, n.score]));
	if (scores.size === 0) return { rows: [], scores };
	const rows = await claimRows(
		db,
		{ ...filtersOf(query), ids: [...scores.keys()] },
		"recent",
		SEMANTIC_CANDIDATES,
	);
	return { rows, scores };
}

export async function findMatches(
	db: Db,
	semantic: SemanticIndex | null,
	query: MatchQuery,
): Promise<MatchAnswer> {
	let semanticFailed = false;
	const [lexical, vectors] = await Promise.all([
		lexicalCandidates(db, query),
		semantic
			? semanticCandidates(db, semantic, query).catch((error: unknown) => {
					// Said in the answer (`unavailable`), not hidden: the lexical matches still stand.
					console.error("semantic matcher failed", error);
					semanticFailed = true;
					return null;
				})
			: null,
	]);
	const candidates = new Map<string, Claim>();
	for (const row of [...lexical, ...(vectors?.rows ?? [])]) {
		if (row.id !== query.excludeId) candidates.set(row.id, row);
	}
	const asked = matchFeatures(query.text, query.language);
	const scored: { claim: Claim; score: number; relation: MatchRelation }[] = [];
	for (const claim of candidates.values()) {
		const lexicalResult = compareClaims(asked, matchFeatures(claim.text, claim.language));
		const score = combineScores(lexicalResult.score, vectors?.scores.get(claim.id) ?? null);
		const relation = classifyMatch({ score, guards: lexicalResult.guards });
		if (relation) scored.push({ claim, score: Math.round(score * 1000) / 1000, relation });
	}
	scored.sort(
		(a, b) =>
			Number(b.relation === "same") - Number(a.relation === "same") ||
			b.score - a.score ||
			b.claim.seq - a.claim.seq,
	);
	const best = scored.slice(0, query.limit);
	const listed = await decorate(
		db,
		best.map((m) => m.claim),
	);
	return {
		matches: best.flatMap((m, i) => {
			const claim = listed[i];
			return claim ? [{ claim, score: m.score, relation: m.relation }] : [];
		}),
		matchers: semantic && !semanticFailed ? ["lexical", "semantic"] : ["lexical"],
		unavailable: semanticFailed ? ["semantic"] : [],
	};
}
