import { sql } from "drizzle-orm";
import type { Claim } from "../db/schema";
import {
	classifyMatch,
	combineScores,
	compareClaims,
	type MatchFeatures,
	type MatchRelation,
	matchFeatures,
	matchQuestion,
} from "../domain/claim-matching";
import { foldLatinDiacritics, plainLatinLetters } from "../domain/diacritics";
import { creditFor, type House, siteMatches } from "../domain/review-attribution";
import type { Db } from "../factory";
import type { SemanticIndex } from "../lib/semantic-index";
import { batchReads, idChunks } from "./batch";
import { mergedWordsInto } from "./merged-words";
import {
	type ClaimFilters,
	claimListSelect,
	decorate,
	type ListedClaim,
	RANKED_CANDIDATES,
} from "./public-claims";

/**
 * "Has this been checked already?": claims that state the same as a text, or something
 * close to it. Candidates come from the full-text index (the text's stems in the `terms`
 * column: claim text, context and current verdict, chosen by rarity) and, where
 * Workers AI and Vectorize are bound, from the nearest embeddings in any language. Each
 * candidate is scored by the lexical matcher (domain/claim-matching), combined with its
 * embedding score when there is one, and by the words of the claims merged into it (whose
 * stems its index row holds: store/merged-words); "same" needs a high score and no guard (number,
 * year, negation, direction, place) firing.
 */

export interface MatchQuery {
	text: string;
	language: string;
	speakerSlug?: string | undefined;
	/** Only claims of one of these speakers or of none (an import record's speaker, resolved). */
	speakerOrNone?: readonly string[] | undefined;
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
/**
 * Rare terms are ranked by bm25 over all their matches, at most this many in all: the
 * window relevance ranks (public-claims RANKED_CANDIDATES), so none of their matches is
 * left unranked. At 500 the newest 200 were ranked and an older check of the very claim
 * behind them never became a candidate.
 */
const RANKED_BUDGET = RANKED_CANDIDATES;
/** The rarest terms AND-ed and read newest first: what a restatement of a common claim keeps. */
const AND_TERMS = 3;
/** Candidates holding every term: the newest few restatements of the very claim. */
const EVERY_TERM_CANDIDATES = 8;

const quote = (term: string) => `"${term.replaceAll('"', '""')}"`;

/**
 * A term as the index may hold it: with ł, ø, đ spelt plainly too. Claims written since
 * SEARCH_TERMS_VERSION 3 hold both spellings, older ones (until the cron recomputes them,
 * 25,000 a day) the folded one only, and a claim written "Walesa" the plain one only.
 */
function termExpression(term: string): string {
	const plain = plainLatinLetters(term);
	return plain === term ? quote(term) : `(${quote(term)} OR ${quote(plain)})`;
}

/**
 * How many claims hold each term in their stems, counted only up to COUNT_CAP + 1: one
 * statement, each count stopping early, so a common word costs a short read, not its
 * whole doclist (FTS5's vocabulary table would read every entry to count them).
 */
function cappedFrequencies(db: Db, terms: readonly string[]) {
	const counts = Object.fromEntries(
		terms.map((term, i) => [
			`t${i}`,
			sql<number>`(SELECT count(*) FROM (SELECT 1 FROM claims_fts WHERE claims_fts MATCH ${`terms : ${termExpression(term)}`} LIMIT ${COUNT_CAP + 1}))`
				.mapWith(Number)
				.as(`t${i}`),
		]),
	);
	// A select builder, not raw SQL: drizzle batches only those with parameters. Named
	// columns: a batch maps rows by column name.
	return db.select(counts).from(sql`(SELECT 1) AS one`);
}

/** A question read once: its features score the candidates its terms find. */
type Question = ReturnType<typeof matchQuestion>;

interface CandidatePlan {
	/** Rare terms, ranked by bm25 over all their matches. */
	ranked: string | null;
	/** The rarest terms AND-ed, read newest first. */
	newest: string | null;
	/** Every known term AND-ed, read newest first: an earlier check of the very claim holds them all. */
	every: string | null;
}

/**
 * The FTS5 expressions that find a text's candidates in the stemmed `terms` column,
 * chosen by how common each term is (`counts`, from cappedFrequencies) so the work stays
 * bounded at any size: the rare terms (names, places, numbers, unusual words) OR-ed and
 * ranked, as long as they match RANKED_BUDGET claims in all; the rarest terms AND-ed,
 * newest first (when every term is common, as in a running story, the recent restatements
 * come first); and all of them AND-ed, newest first, which an earlier check of the very
 * claim passes however common its words.
 */
function candidatePlan(terms: readonly string[], counts: Record<string, number> | undefined): CandidatePlan {
	const known = terms
		.map((term, i): [string, number] => [term, counts?.[`t${i}`] ?? 0])
		.filter(([, n]) => n > 0)
		.sort((a, b) => a[1] - b[1]);
	const rare: string[] = [];
	let budget = RANKED_BUDGET;
	for (const [term, n] of known) {
		if (n > budget) break;
		rare.push(term);
		budget -= n;
	}
	const rarest = known.slice(0, AND_TERMS).map(([term]) => term);
	const covered = (list: readonly string[]) => list.every((term) => rare.includes(term));
	const all = known.map(([term]) => term);
	return {
		ranked: rare.length > 0 ? `terms : (${rare.map(termExpression).join(" OR ")})` : null,
		newest:
			rarest.length > 0 && !covered(rarest) ? `terms : (${rarest.map(termExpression).join(" AND ")})` : null,
		every:
			all.length > AND_TERMS && !covered(all) ? `terms : (${all.map(termExpression).join(" AND ")})` : null,
	};
}

function filtersOf(query: MatchQuery): ClaimFilters {
	return {
		speakerSlug: query.speakerSlug,
		speakerOrNone: query.speakerOrNone,
		reviewedOnly: query.reviewedOnly || undefined,
	};
}

/** Bare claim rows (speaker, source and verdict are added to the winners only), one more than `limit`. */
function claimRows(db: Db, filters: ClaimFilters, sort: "recent" | "relevance", limit: number) {
	return claimListSelect(db, filters, sort, limit, null).query;
}

/** Each query's candidate plan: one frequency read per query, all in D1 batches. */
async function candidatePlans(db: Db, questions: readonly Question[]): Promise<CandidatePlan[]> {
	const terms = questions.map((q) => [...new Set(q.terms.map(foldLatinDiacritics))]);
	const asked = terms.flatMap((list, i) => (list.length > 0 ? [i] : []));
	const counts = await batchReads(
		db,
		asked.map((i) => cappedFrequencies(db, terms[i] ?? [])),
	);
	const plans = questions.map((): CandidatePlan => ({ ranked: null, newest: null, every: null }));
	for (const [k, i] of asked.entries()) plans[i] = candidatePlan(terms[i] ?? [], counts[k]?.[0]);
	return plans;
}

/** Nearest embeddings of each query's text (Workers AI in batches, then Vectorize); null where it failed. */
async function nearestOf(semantic: SemanticIndex, queries: readonly MatchQuery[]) {
	const found = await semantic.nearest(
		queries.map((query) => query.text),
		SEMANTIC_CANDIDATES,
	);
	const failed = found.filter((nearest) => nearest instanceof Error);
	// Said in the answer (`unavailable`), not hidden: the lexical matches still stand. Logged
	// once per call: an import's 500 records failing alike are one failure.
	if (failed.length > 0)
		console.error(`semantic matcher failed for ${failed.length} of ${found.length} texts`, failed[0]);
	return found.map((nearest) =>
		nearest instanceof Error ? null : new Map(nearest.map((n) => [n.claimId, n.score])),
	);
}

/**
 * A claim's matcher features, kept across requests in this isolate: the same claims are
 * candidates of question after question (a running story's restatements), and featurising
 * one costs four to five times what comparing it does. Keyed by the language and the text
 * itself, so an edited claim is read anew; frozen, so no comparison can change a kept
 * one. Claims' texts only: a question is anyone's text, asked once, and kept it would push
 * the claims out. Bounded by the characters kept (features take about 9 bytes of heap a
 * character: 600,000 characters are some 5 MB of the isolate's 128) and by FEATURE_MEMO
 * texts, the least recently used dropped.
 */
const FEATURE_MEMO = 2_000;
const FEATURE_MEMO_CHARACTERS = 600_000;
const featureMemo = new Map<string, MatchFeatures>();
let memoCharacters = 0;

function claimFeatures(text: string, language: string): MatchFeatures {
	const key = `${language}\n${text}`;
	const kept = featureMemo.get(key);
	if (kept) {
		featureMemo.delete(key);
		featureMemo.set(key, kept);
		return kept;
	}
	const made = deepFreeze(matchFeatures(text, language));
	while (
		featureMemo.size > 0 &&
		(featureMemo.size >= FEATURE_MEMO || memoCharacters + key.length > FEATURE_MEMO_CHARACTERS)
	) {
		const oldest = featureMemo.keys().next();
		if (oldest.done) break;
		featureMemo.delete(oldest.value);
		memoCharacters -= oldest.value.length;
	}
	featureMemo.set(key, made);
	memoCharacters += key.length;
	return made;
}

function deepFreeze<T>(value: T): T {
	if (value && typeof value === "object" && !Object.isFrozen(value)) {
		for (const inner of Object.values(value)) deepFreeze(inner);
		Object.freeze(value);
	}
	return value;
}

type Scored = { score: number; relation: MatchRelation };

/* The better of two scorings: "same" before "similar", then the higher score. */
function better(a: Scored | null, b: Scored | null): Scored | null {
	if (!a || !b) return a ?? b;
	if (a.relation !== b.relation) return a.relation === "same" ? a : b;
	return b.score > a.score ? b : a;
}

/**
 * Scores a query's candidates with the matcher; the best `limit`, "same" first. A claim is
 * scored by its own words (with its embedding's score, when there is one) and by the words
 * of each claim merged into it (`merged`, lexical only: no embedding is kept of those), the
 * best of them counting: its duplicate's words restated are the claim restated.
 */
function bestMatches(
	query: MatchQuery,
	asked: MatchFeatures,
	candidates: readonly Claim[],
	scores: Map<string, number> | null,
	merged: Map<string, { id: string; text: string; language: string }[]>,
) {
	const unique = new Map<string, Claim>();
	for (const row of candidates) if (row.id !== query.excludeId) unique.set(row.id, row);
	const scoreOf = (text: Parameters<typeof compareClaims>[1], vector: number | null): Scored | null => {
		const lexicalResult = compareClaims(asked, text);
		const score = combineScores(lexicalResult.score, vector);
		const relation = classifyMatch({ score, guards: lexicalResult.guards });
		return relation ? { score: Math.round(score * 1000) / 1000, relation } : null;
	};
	const scored: { claim: Claim; score: number; relation: MatchRelation }[] = [];
	for (const claim of unique.values()) {
		let best = scoreOf(claimFeatures(claim.text, claim.language), scores?.get(claim.id) ?? null);
		for (const words of merged.get(claim.id) ?? [])
			best = better(best, scoreOf(claimFeatures(words.text, words.language), null));
		if (best) scored.push({ claim, ...best });
	}
	scored.sort(
		(a, b) =>
			Number(b.relation === "same") - Number(a.relation === "same") ||
			b.score - a.score ||
			b.claim.seq - a.claim.seq,
	);
	return scored.slice(0, query.limit);
}

/**
 * The matches of many texts (an import batch's records) in a few D1 queries, however many
 * texts: each step's reads for every text go in D1 batches (`batchReads`). One text at a
 * time cost 3–5 queries each: 500 records that have candidates pass D1's 1,000 per request.
 */
export async function findMatchesMany(
	db: Db,
	semantic: SemanticIndex | null,
	queries: readonly MatchQuery[],
): Promise<MatchAnswer[]> {
	const questions = queries.map((query) => matchQuestion(query.text, query.language));
	const [plans, nearest] = await Promise.all([
		candidatePlans(db, questions),
		semantic ? nearestOf(semantic, queries) : queries.map(() => null),
	]);
	const reads: { query: number; keep: number; read: ReturnType<typeof claimRows> }[] = [];
	for (const [i, query] of queries.entries()) {
		const filters = filtersOf(query);
		const { ranked, newest, every } = plans[i] ?? { ranked: null, newest: null, every: null };
		const read = (more: ClaimFilters, sort: "recent" | "relevance", keep: number) =>
			reads.push({ query: i, keep, read: claimRows(db, { ...filters, ...more }, sort, keep) });
		if (ranked) read({ fts: ranked }, "relevance", CANDIDATES);
		if (newest) read({ fts: newest }, "recent", CANDIDATES);
		// Fewer: what holds every term is the claim restated; the rarest three's read already
		// brings the newest of them (its cost measured in `npm run bench`, matches line).
		if (every) read({ fts: every }, "recent", EVERY_TERM_CANDIDATES);
		const ids = [...(nearest[i]?.keys() ?? [])];
		if (ids.length > 0) read({ ids }, "recent", SEMANTIC_CANDIDATES);
	}
	const rows = await batchReads(
		db,
		reads.map((r) => r.read),
	);
	const candidates = queries.map((): Claim[] => []);
	for (const [k, { query, keep }] of reads.entries()) {
		// Each read asks one more than it keeps (claimListSelect's paging).
		candidates[query]?.push(...(rows[k] ?? []).slice(0, keep));
	}
	// The words of the claims merged into any candidate: one read, however many candidates.
	const merged = await mergedWordsInto(db, [...new Set(candidates.flat().map((c) => c.id))]);
	const best = queries.map((query, i) =>
		bestMatches(query, (questions[i] as Question).features, candidates[i] ?? [], nearest[i] ?? null, merged),
	);
	const listed = await decorateAll(
		db,
		best.flatMap((matches) => matches.map((m) => m.claim)),
	);
	return best.map((matches, i) => ({
		matches: matches.flatMap((m) => {
			const claim = listed.get(m.claim.id);
			return claim ? [{ claim, score: m.score, relation: m.relation }] : [];
		}),
		matchers: semantic && nearest[i] !== null ? ["lexical", "semantic"] : ["lexical"],
		unavailable: semantic && nearest[i] === null ? ["semantic"] : [],
	}));
}

/** Speaker, first source and verdict of each claim, by id (decorate binds ≤ 100 ids: 90 at a time). */
async function decorateAll(db: Db, rows: readonly Claim[]): Promise<Map<string, ListedClaim>> {
	const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
	const out = new Map<string, ListedClaim>();
	for (const part of idChunks(unique))
		for (const listed of await decorate(db, part)) out.set(listed.claim.id, listed);
	return out;
}

/** The matches of one text: `findMatchesMany` of one. */
export async function findMatches(
	db: Db,
	semantic: SemanticIndex | null,
	query: MatchQuery,
): Promise<MatchAnswer> {
	const [answer] = await findMatchesMany(db, semantic, [query]);
	if (!answer) throw new Error("no answer for the query");
	return answer;
}

/**
 * A pasted claim (Google's `query`) matched as the desk matches it, in German and in
 * English (Google's `query` carries no language; `languageCode` is the review's), lexical
 * only: the matcher's most candidates of reviewed claims, best first, kept by the route's
 * age and site filters before a page is cut from them (the language filter reads each
 * result's review: routes/google-fact-check `reviewLanguageOf`). Handed to that route by the
 * desk Worker's app (`claimMatcher`): the public Worker's bundle has no matcher.
 */
export async function pastedClaimMatches(
	db: Db,
	text: string,
	filters: { freshSince: string | undefined; reviewSite: ClaimFilters["reviewSite"] },
	ours: House,
	perLanguage: number,
): Promise<ListedClaim[]> {
	const answers = await findMatchesMany(
		db,
		null,
		["de", "en"].map((language) => ({ text, language, limit: perLanguage, reviewedOnly: true })),
	);
	// Each claim's better reading of the two passes, and the list in the matcher's order
	// (bestMatches): `same` before `similar`, then score, then the newer claim. By score
	// alone, a contradicting near-miss sharing more words ("did not double") came first.
	const best = new Map<string, { row: ListedClaim; score: number; same: boolean }>();
	for (const match of answers.flatMap((answer) => answer.matches)) {
		const seen = best.get(match.claim.claim.id);
		const found = { row: match.claim, score: match.score, same: match.relation === "same" };
		if (!seen || matchOrder(found, seen) < 0) best.set(match.claim.claim.id, found);
	}
	const kept = [...best.values()].filter(({ row }) => {
		const { claim, verdict } = row;
		if (filters.freshSince) {
			const young =
				(claim.reviewedAt !== null && claim.reviewedAt >= filters.freshSince) ||
				(claim.claimedAt !== null && claim.claimedAt >= filters.freshSince.slice(0, 10));
			if (!young) return false;
		}
		if (filters.reviewSite) {
			// As the SQL filter: a retraction is ours.
			const credit = creditFor(verdict ?? { reviewUrl: null, reviewPublisher: null }, ours);
			const own = filters.reviewSite.ours !== null && !credit.external;
			if (!own && !(credit.external && siteMatches(credit.site, filters.reviewSite.site))) return false;
		}
		return true;
	});
	return kept.sort(matchOrder).map(({ row }) => row);
}

/** The matcher's order: a `same` match first, then the higher score, then the newer claim. */
function matchOrder(
	a: { row: ListedClaim; score: number; same: boolean },
	b: { row: ListedClaim; score: number; same: boolean },
): number {
	return Number(b.same) - Number(a.same) || b.score - a.score || b.row.claim.seq - a.row.claim.seq;
}

/** What the desk Worker's app hands Google's route as `claimMatcher` (src/app.ts). */
export type PastedClaimMatcher = typeof pastedClaimMatches;
