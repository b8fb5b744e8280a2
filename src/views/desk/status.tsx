import { type ClaimStatus, describeStatus, type UiLanguage } from "../../domain/ratings";
import { ratingHref } from "../rating-link";

/**
 * A claim status as a label, linking to its explanation on the public ratings page; the
 * colour is decoration, the text carries the meaning.
 */
export function StatusPill(props: { lang: UiLanguage; status: ClaimStatus }) {
	const { label } = describeStatus(props.status, props.lang);
	return (
		<a class={`status status-${props.status}`} href={ratingHref(props.status)}>
			{label}
		</a>
	);
}
