import type * as z from "zod";
import { type ClaimStatus, isRatingKey, RATINGS, type UiLanguage } from "../domain/ratings";
import type { scorecardJson, speakerJson } from "../schemas/public-api";
import type { SpeakerWithAliases } from "../store/speakers";
import { ratingToJson, speakerPath } from "./json";

/**
 * The speaker's other names as the public may see them: with unreviewed claims hidden, not
 * those that came with a merged speaker only unreviewed claims named (never public, as its
 * old address answers 404). The desk and the write API's answers show them all.
 */
export function publicAliases(speaker: SpeakerWithAliases, reviewedOnly: boolean): string[] {
	const hidden = reviewedOnly ? new Set(speaker.unreviewedAliases) : new Set<string>();
	return hidden.size ? speaker.aliases.filter((alias) => !hidden.has(alias)) : speaker.aliases;
}

/** One speaker in the JSON the API and webhooks share; `reviewedOnly`: what the public may see of `PUBLIC_UNREVIEWED = "hide"`. */
export function speakerToJson(
	origin: string,
	speaker: SpeakerWithAliases,
	options: { reviewedOnly: boolean },
): z.output<typeof speakerJson> {
	return {
		slug: speaker.slug,
		name: speaker.name,
		kind: speaker.kind,
		url: `${origin}${speakerPath(speaker.slug)}`,
		description: speaker.description,
		wikidataId: speaker.wikidataId,
		aliases: publicAliases(speaker, options.reviewedOnly),
		version: speaker.version,
	};
}

/** Counts per rating over published verdicts, every rating listed, with the denominator stated. */
export function scorecardToJson(
	scorecard: { counts: { status: ClaimStatus; n: number }[]; claims: number },
	lang: UiLanguage,
): z.output<typeof scorecardJson> {
	const published = scorecard.counts.filter((c) => isRatingKey(c.status)).reduce((sum, c) => sum + c.n, 0);
	return {
		published,
		claims: scorecard.claims,
		counts: RATINGS.map((rating) => {
			const count = scorecard.counts.find((c) => c.status === rating.key)?.n ?? 0;
			return {
				rating: ratingToJson(rating.key, lang),
				count,
				share: published === 0 ? 0 : Math.round((count / published) * 1000) / 1000,
			};
		}),
	};
}
