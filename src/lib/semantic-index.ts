/**
 * Semantic and cross-language claim matching on Cloudflare's platform: Workers AI turns a
 * claim into a multilingual embedding (`@cf/baai/bge-m3`, 1,024 dimensions, one space for
 * German and English), and a Vectorize index (cosine) finds the nearest claims. Both
 * bindings are optional: neither runs under `wrangler dev` or in the tests' pool, so without
 * them the lexical matcher answers alone and says so (`matchers`). Tests pass doubles with
 * the bindings' shape (tests/api/claim-matches.test.ts).
 */

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
}

/** The optional bindings as they appear on `env` (not in wrangler.toml by default: see README). */
export interface SemanticBindings {
	AI?: AiBinding;
	VECTORIZE?: VectorIndexBinding;
}

export interface SemanticIndex {
	/** Nearest claims by meaning, any language: cosine similarity 0..1, best first. */
	nearest(text: string, topK: number): Promise<{ claimId: string; score: number }[]>;
	/** Writes (or replaces) the embeddings of these claims. */
	index(claims: readonly { id: string; text: string; language: string }[]): Promise<void>;
}

/** Workers AI embeds at most this many texts per call. */
const EMBED_BATCH = 50;

function vectorsOf(result: unknown): number[][] {
	const data = (result as { data?: unknown } | null)?.data;
	if (!Array.isArray(data) || !data.every((row) => Array.isArray(row))) {
		throw new Error("Workers AI answered without embeddings.");
	}
	return data as number[][];
}

/** The semantic index when both bindings are bound, else null (the lexical matcher alone). */
export function semanticIndexOf(env: SemanticBindings): SemanticIndex | null {
	const ai = env.AI;
	const vectors = env.VECTORIZE;
	if (!ai || !vectors) return null;
	return {
		async nearest(text, topK) {
			const [vector] = vectorsOf(await ai.run(EMBEDDING_MODEL, { text: [text] }));
			if (!vector) return [];
			const { matches } = await vectors.query(vector, { topK, returnMetadata: "none" });
			return matches.map((m) => ({ claimId: m.id, score: Math.max(0, Math.min(1, m.score)) }));
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
	};
}
