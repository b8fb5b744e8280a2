import type { ClaimStatus } from "../domain/ratings";

/** The public page that explains the rating scale (`routes/ratings.tsx`). */
export const RATINGS_PATH = "/ratings";

/** Where a chip of `status` leads: its entry on the ratings page (ids are the status keys). */
export function ratingHref(status: ClaimStatus, origin = ""): string {
	return `${origin}${RATINGS_PATH}#${status}`;
}
