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
import { type ClaimFilters, type ListedClaim, listClaims } from "./public-claims";

/**
 * "Has this been checked already?": claims that state the same as a text, or something
 * close to it. Candidates come from the full-text index (the text's distinctive stems, as
 * prefixes, over claim text, speaker, sources and the indexed verdict text) and, where
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

/** Candidates ranked by the index before the matcher scores them: enough for recall@3, cheap to score. */
const LEXICAL_CANDIDATES = 30;
const SEMANTIC_CANDIDATES = 20;
/** Shorter stems match exactly: a two-letter prefix would match half the index. */
const MIN_PREFIX = 4;

/** An FTS5 OR-expression of the text's distinctive stems, every one quoted; null when it has none. */
function candidateQuery(text: string, language: string): string | null {
	const terms = matchQueryTerms(text, language);
	if (terms.length === 0) return null;
	return terms
		.map((term) => `"${term.replaceAll('"', '""')}"${term.length >= MIN_PREFIX ? " *" : ""}`)
		.join(" OR ");
}

function filtersOf(query: MatchQuery): ClaimFilters {
	return { speakerSlug: query.speakerSlug, reviewedOnly: query.reviewedOnly || undefined };
}

async function semanticCandidates(db: Db, semantic: SemanticIndex, query: MatchQuery) {
	const nearest = await semantic.nearest(query.text, SEMANTIC_CANDIDATES);
	const scores = new Map(nearest.map((n) => [n.claimId, n.score]));
	if (scores.size === 0) return { rows: [], scores };
	const page = await listClaims(
		db,
		{ ...filtersOf(query), ids: [...scores.keys()] },
		"recent",
		SEMANTIC_CANDIDATES,
		null,
	);
	return { rows: page.rows, scores };
}

export async function findMatches(
	db: Db,
	semantic: SemanticIndex | null,
	query: MatchQuery,
): Promise<MatchAnswer> {
	const fts = candidateQuery(query.text, query.language);
	let semanticFailed = false;
	const [lexical, vectors] = await Promise.all([
		fts ? listClaims(db, { ...filtersOf(query), fts }, "relevance", LEXICAL_CANDIDATES, null) : null,
		semantic
			? semanticCandidates(db, semantic, query).catch((error: unknown) => {
					// Said in the answer (`unavailable`), not hidden: the lexical matches still stand.
					console.error("semantic matcher failed", error);
					semanticFailed = true;
					return null;
				})
			: null,
	]);
	const candidates = new Map<string, ListedClaim>();
	for (const row of [...(lexical?.rows ?? []), ...(vectors?.rows ?? [])]) {
		if (row.claim.id !== query.excludeId) candidates.set(row.claim.id, row);
	}
	const asked = matchFeatures(query.text, query.language);
	const matches: ClaimMatch[] = [];
	for (const row of candidates.values()) {
		const lexicalResult = compareClaims(asked, matchFeatures(row.claim.text, row.claim.language));
		const score = combineScores(lexicalResult.score, vectors?.scores.get(row.claim.id) ?? null);
		const relation = classifyMatch({ score, guards: lexicalResult.guards });
		if (relation) matches.push({ claim: row, score: Math.round(score * 1000) / 1000, relation });
	}
	matches.sort(
		(a, b) =>
			Number(b.relation === "same") - Number(a.relation === "same") ||
			b.score - a.score ||
			b.claim.claim.seq - a.claim.claim.seq,
	);
	return {
		matches: matches.slice(0, query.limit),
		matchers: semantic && !semanticFailed ? ["lexical", "semantic"] : ["lexical"],
		unavailable: semanticFailed ? ["semantic"] : [],
	};
}
