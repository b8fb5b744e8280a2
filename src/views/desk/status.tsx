import { type ClaimStatus, describeStatus, type UiLanguage } from "../../domain/ratings";

/** A claim status as a label; the colour is decoration, the text carries the meaning. */
export function StatusPill(props: { lang: UiLanguage; status: ClaimStatus }) {
	const { label } = describeStatus(props.status, props.lang);
	return <span class={`status status-${props.status}`}>{label}</span>;
}
