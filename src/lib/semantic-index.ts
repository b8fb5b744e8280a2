/**
 * Semantic and cross-language claim matching on Cloudflare's platform: Workers AI turns a
 * claim into a multilingual embedding (`@cf/baai/bge-m3`, 1,024 dimensions, one space for
 * German and English), and a Vectorize index (cosine) finds the nearest claims. Both
 * bindings are optional: neither runs under `wrangler dev` or in the tests' pool, so without
 * them the lexical matcher answers alone and says so (`matchers`). Tests pass doubles with
 * the bindings' shape (tests/api/claim-matches.test.ts).
 */

import { AppError } from "./errors";

const EMBEDDING_MODEL = "@cf/baai/bge-m3";

/** What the code uses of the Workers AI binding. */
export interface AiBinding {
	run(model: string, inputs: { text: string[] }): Promise<unknown>;
}

/** What the code uses of a Vectorize index binding. */
export interface VectorIndexBinding {
	query(
		vector: number[],
		options: { topK: number; returnMetadata?: "none" | "indexed" | "all" },
	): Promise<{ matches: { id: string; score: number }[] }>;
	upsert(vectors: { id: string; values: number[]; metadata?: Record<string, string> }[]): Promise<unknown>;
	deleteByIds(ids: string[]): Promise<unknown>;
}

/** The optional bindings as they appear on `env` (not in wrangler.toml by default: see README). */
export interface SemanticBindings {
	AI?: AiBinding;
	VECTORIZE?: VectorIndexBinding;
}

/** Nearest claims by meaning: cosine similarity 0..1, best first; an Error where that text's lookup failed. */
type NearestClaims = { claimId: string; score: number }[] | Error;

export interface SemanticIndex {
	/**
	 * The nearest claims by meaning, any language, of each text: the texts embedded EMBED_BATCH
	 * to a Workers AI call, then one Vectorize query each, a few at a time (an import's 500
	 * records made 500 AI calls and 500 queries one after another).
	 */
	nearest(texts: readonly string[], topK: number): Promise<NearestClaims[]>;
	/** Writes (or replaces) the embeddings of these claims. */
	index(claims: readonly { id: string; text: string; language: string }[]): Promise<void>;
	/** Deletes the embeddings of claims that left the tracker (merged or removed). */
	remove(ids: readonly string[]): Promise<void>;
}

/** Workers AI embeds at most this many texts per call. */
const EMBED_BATCH = 50;
/** Vectorize queries in flight at once (a Worker keeps six connections open). */
const QUERIES_AT_ONCE = 6;

/** `work` for each item, at most `limit` at a time, results in the items' order. */
async function boundedMap<T, R>(
	items: readonly T[],
	limit: number,
	work: (item: T) => Promise<R>,
): Promise<R[]> {
	const out: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i] as T);
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return out;
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

function vectorsOf(result: unknown): number[][] {
	const data = (result as { data?: unknown } | null)?.data;
	if (!Array.isArray(data) || !data.every((row) => Array.isArray(row))) {
		throw new Error("Workers AI answered without embeddings.");
	}
	return data as number[][];
}

/**
 * A semantic matcher bound by halves (one of AI and VECTORIZE): a deployment error, so it
 * fails where it is used and says so (`unavailable`, the log) instead of answering as if
 * only the lexical matcher had been configured.
 */
function halfBound(missing: "AI" | "VECTORIZE"): SemanticIndex {
	// A 409 where an operator asks for it (the backfill), a logged failure in the background.
	const error = () =>
		new AppError(
			409,
			`The semantic matcher needs both the AI and the VECTORIZE binding; ${missing} is not bound.`,
		);
	return {
		async nearest(texts) {
			return texts.map(error);
		},
		async index() {
			throw error();
		},
		async remove() {
			throw error();
		},
	};
}

/** The semantic index when both bindings are bound, null when neither (the lexical matcher alone). */
export function semanticIndexOf(env: SemanticBindings): SemanticIndex | null {
	const ai = env.AI;
	const vectors = env.VECTORIZE;
	if (!ai && !vectors) return null;
	if (!ai) return halfBound("AI");
	if (!vectors) return halfBound("VECTORIZE");
	return {
		async nearest(texts, topK) {
			const embedded: (number[] | Error)[] = [];
			for (let i = 0; i < texts.length; i += EMBED_BATCH) {
				const part = texts.slice(i, i + EMBED_BATCH);
				try {
					const rows = vectorsOf(await ai.run(EMBEDDING_MODEL, { text: [...part] }));
					for (const [j] of part.entries())
						embedded.push(rows[j] ?? new Error("Workers AI left a text out."));
				} catch (error) {
					for (const _ of part) embedded.push(asError(error));
				}
			}
			return boundedMap(embedded, QUERIES_AT_ONCE, async (vector): Promise<NearestClaims> => {
				if (vector instanceof Error) return vector;
				try {
					const { matches } = await vectors.query(vector, { topK, returnMetadata: "none" });
					return matches.map((m) => ({ claimId: m.id, score: Math.max(0, Math.min(1, m.score)) }));
				} catch (error) {
					return asError(error);
				}
			});
		},
		async index(claims) {
			for (let i = 0; i < claims.length; i += EMBED_BATCH) {
				const part = claims.slice(i, i + EMBED_BATCH);
				const embedded = vectorsOf(await ai.run(EMBEDDING_MODEL, { text: part.map((c) => c.text) }));
				await vectors.upsert(
					part.flatMap((claim, j) => {
						const values = embedded[j];
						return values ? [{ id: claim.id, values, metadata: { language: claim.language } }] : [];
					}),
				);
			}
		},
		async remove(ids) {
			if (ids.length > 0) await vectors.deleteByIds([...ids]);
		},
	};
}
