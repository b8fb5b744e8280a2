/**
 * Claim fingerprints: the same quote copied from two outlets differs in quote marks,
 * apostrophes, spacing and typographic punctuation, but not in its words. The
 * fingerprint hashes only the words, so such copies meet as duplicates.
 *
 * Stored fingerprints depend on `foldClaimText`: a change to it needs a migration
 * that recomputes `claims.fingerprint`.
 */
import { sha256Hex } from "./ids";

/*
 * Quote marks and apostrophes of every convention (German „…“ ‚…‘, English “…” ‘…’,
 * French/Swiss «…» ‹…›, typewriter " ', CJK 「」 are punctuation already) and the
 * characters people type as apostrophes (´ ` ′ ʼ). Deleted rather than spaced, so
 * "don't" = "don’t" = "dont".
 */
const QUOTES = /["'«»‹›„‚‛‟“”‘’`´′″ʹʺʻʼ〝〞〟＂＇]/g;

/**
 * The comparable form of a quote: NFKC (full-width and ligature forms to plain
 * letters), case folded, invisible format characters (soft hyphens, zero-width
 * spaces, direction marks) removed, quote marks deleted, other punctuation turned
 * into spaces ("3,5" and "3.5" both become "3 5", never "35"), "5 %" and "5%"
 * joined, whitespace collapsed. Letters, digits, diacritics, symbols (€, +, °) and
 * the meaningful punctuation % ‰ # & @ § are kept: they change what a claim says.
 */
export function foldClaimText(text: string): string {
	return (
		text
			// Before NFKC too, which would turn ´ into a space and a combining accent.
			.replace(QUOTES, "")
			.normalize("NFKC")
			.replace(/\p{Cf}/gu, "")
			.toLowerCase()
			// Full case folding, which toLowerCase leaves out: STRASSE = Straße, ΟΔΟΣ = οδός.
			.replace(/ß/g, "ss")
			.replace(/ς/g, "σ")
			// Lower-casing can decompose (İ → i̇); compose again so equal text stays equal.
			.normalize("NFKC")
			.replace(QUOTES, "")
			// % # & @ § are punctuation to Unicode but carry meaning ("5 %" is not "5").
			.replace(/(?:(?![%‰‱#&@§])\p{P})+/gu, " ")
			.replace(/\s+/gu, " ")
			.replace(/(\d) (?=[%‰‱])/g, "$1")
			.trim()
	);
}

/**
 * SHA-256 hex of `foldClaimText(text)`. Text without a single word (empty, only
 * punctuation) folds to "" and shares one fingerprint; claims always have words.
 */
export async function claimFingerprint(text: string): Promise<string> {
	return sha256Hex(foldClaimText(text));
}
