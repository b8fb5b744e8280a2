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
/**
 * A term in at most this many claims is "rare": an OR of rare terms touches at most
 * twelve short doclists, whatever the size of the database.
 */
const RARE = 2000;
/** Common terms are AND-ed, the rarest first: a restatement keeps most of them. */
const COMMON_AND = 3;

/** A term as the index's tokenizer stores it (`remove_diacritics 2`): Wŏnsan is "wonsan" there. */
const asIndexed = (term: string) => term.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

const quote = (term: string) => `"${term.replaceAll('"', '""')}"`;

/** How many claims hold each term (the FTS5 vocabulary, migration 0013); absent terms are left out. */
async function documentFrequencies(db: Db, terms: readonly string[]): Promise<Map<string, number>> {
	if (terms.length === 0) return new Map();
	const rows = await db.all<{ term: string; doc: number }>(
		sql`SELECT term, doc FROM claims_fts_vocab WHERE term IN (${sql.join(
			terms.map((t) => sql`${t}`),
			sql`, `,
		)})`,
	);
	return new Map(rows.map((r) => [r.term, r.doc]));
}

/**
 * The FTS5 expressions that find a text's candidates in the stemmed `terms` column,
 * chosen by how many claims hold each term so the work stays bounded: an OR of the rare
 * terms (names, places, numbers, unusual words), and an AND of the rarest common ones.
 * Each is read newest first and cut at CANDIDATES, so neither ever ranks a whole doclist.
 */
async function candidateExpressions(db: Db, text: string, language: string): Promise<string[]> {
	const terms = [...new Set(matchQueryTerms(text, language).map(asIndexed))];
	const frequencies = await documentFrequencies(db, terms);
	const known = [...frequencies].sort((a, b) => a[1] - b[1]);
	const rare = known.filter(([, df]) => df <= RARE).map(([term]) => term);
	const common = known.filter(([, df]) => df > RARE).map(([term]) => term);
	return [
		...(rare.length > 0 ? [`terms : (${rare.map(quote).join(" OR ")})`] : []),
		...(common.length > 0 ? [`terms : (${common.slice(0, COMMON_AND).map(quote).join(" AND ")})`] : []),
	];
}

function filtersOf(query: MatchQuery): ClaimFilters {
	return { speakerSlug: query.speakerSlug, reviewedOnly: query.reviewedOnly || undefined };
}

/** Bare claim rows, newest first: speaker, source and verdict are added to the winners only. */
async function claimRows(db: Db, filters: ClaimFilters, limit: number): Promise<Claim[]> {
	return (await claimListSelect(db, filters, "recent", limit, null).query).slice(0, limit);
}

async function lexicalCandidates(db: Db, query: MatchQuery): Promise<Claim[]> {
	const expressions = await candidateExpressions(db, query.text, query.language);
	const pages = await Promise.all(
		expressions.map((fts) => claimRows(db, { ...filtersOf(query), fts }, CANDIDATES)),
	);
	return pages.flat();
}

async function semanticCandidates(db: Db, semantic: SemanticIndex, query: MatchQuery) {
	const nearest = await semantic.nearest(query.text, SEMANTIC_CANDIDATES);
	const scores = new Map(nearest.map((n) => [n.claimId, n.score]));
	if (scores.size === 0) return { rows: [], scores };
	const rows = await claimRows(db, { ...filtersOf(query), ids: [...scores.keys()] }, SEMANTIC_CANDIDATES);
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
