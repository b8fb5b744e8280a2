import { type ClaimStatus, describeStatus, type UiLanguage } from "../../domain/ratings";
import { quoteMarks, shortQuote, textDirection } from "../../domain/typography";
import type { CursorList } from "../../lib/cursor";
import { cursorToken } from "../../lib/list-query";
import type { ListedClaim, Page } from "../../store/public-claims";
import { formatDate, t } from "../i18n";
import { claimPath, speakerPath } from "../json";
import { ratingHref } from "../rating-link";

/**
 * A rating or status chip, linking to its explanation on the ratings page; the colour
 * comes from the scale module, never from input.
 */
export function StatusChip(props: { status: ClaimStatus; lang: UiLanguage }) {
	// The class name and the anchor come from the closed list of statuses, never from input.
	const { label } = describeStatus(props.status, props.lang);
	return (
		<a class={`rating status-${props.status}`} href={ratingHref(props.status)}>
			{label}
		</a>
	);
}

export function ClaimList(props: { rows: ListedClaim[]; lang: UiLanguage }) {
	if (props.rows.length === 0) return <p>{t(props.lang, "noResults")}</p>;
	return (
		<ul class="claims">
			{props.rows.map(({ claim, speaker, firstSource, verdict }) => (
				<li>
					<StatusChip status={claim.status as ClaimStatus} lang={props.lang} />{" "}
					<a class="text" href={claimPath(claim.id)} lang={claim.language} dir={textDirection(claim.text)}>
						{quoteMarks(claim.language)[0]}
						<bdi>{shortQuote(claim.text, 280)}</bdi>
						{quoteMarks(claim.language)[1]}
					</a>
					<span class="meta">
						{/* Neither speaker nor source (an import may name neither): nobody's, not the source's. */}
						{speaker ? (
							<a href={speakerPath(speaker.slug)}>
								<bdi>{speaker.name}</bdi>
							</a>
						) : firstSource ? (
							t(props.lang, "claimOfSource")
						) : null}
						{claim.claimedAt
							? `${speaker || firstSource ? " · " : ""}${formatDate(claim.claimedAt, props.lang)}`
							: ""}
						{verdict ? (
							<>
								{speaker || firstSource || claim.claimedAt ? " · " : ""}
								<bdi lang={verdict.language}>{verdict.headline}</bdi>
							</>
						) : (
							""
						)}
					</span>
				</li>
			))}
		</ul>
	);
}

/**
 * The claim search. The next search keeps what the page's own links keep: a language the
 * address names (`?lang=`, a shared link's; a negotiated one is the reader's anyway and
 * stays out of the address), newest first, and a list's status filter. Its `maxlength` is ten
 * times what is searched (toFtsQuery's 200 as sent): a browser cuts a longer paste short
 * silently, so at 200 it searched the rest unasked (s35 r351), and sent whole, one too long is
 * refused beside the box and kept in it; without one, a long enough paste (some 3,600 Korean
 * characters, 9 bytes each escaped) made an address past Cloudflare's 32 KB, a 414 page
 * instead of the refusal (s35 r362).
 */
/** What the box takes: ten times what is searched, and an address far under 32 KB. */
const SEARCH_BOX_MAX = 2_000;

export function SearchForm(props: {
	lang: UiLanguage;
	/** The page's `?lang=`, only when its address named one. */
	explicitLang?: UiLanguage | undefined;
	q?: string | undefined;
	sort?: "relevance" | "recent" | undefined;
	status?: ClaimStatus | undefined;
}) {
	return (
		<search>
			<form class="search" method="get" action="/claims">
				{props.explicitLang ? <input type="hidden" name="lang" value={props.explicitLang} /> : null}
				{props.sort === "recent" ? <input type="hidden" name="sort" value="recent" /> : null}
				{props.status ? <input type="hidden" name="status" value={props.status} /> : null}
				<label class="visually-hidden" for="q">
					{t(props.lang, "searchLabel")}
				</label>
				<input
					type="search"
					id="q"
					name="q"
					value={props.q ?? ""}
					placeholder={t(props.lang, "searchPlaceholder")}
					maxlength={SEARCH_BOX_MAX}
				/>
				<button type="submit">{t(props.lang, "search")}</button>
			</form>
		</search>
	);
}

/**
 * Says that a list shows only one status (nothing else on the page would), with the link
 * to the same list without the filter.
 */
export function StatusFilterLine(props: { status: ClaimStatus; requestUrl: string; lang: UiLanguage }) {
	const unfiltered = new URL(props.requestUrl);
	unfiltered.searchParams.delete("status");
	unfiltered.searchParams.delete("cursor");
	return (
		<p class="meta status-filter">
			{t(props.lang, "statusFilter")} <StatusChip status={props.status} lang={props.lang} /> ·{" "}
			<a href={`${unfiltered.pathname}${unfiltered.search}`}>{t(props.lang, "statusFilterRemove")}</a>
		</p>
	);
}

/**
 * A search's two orders, as links to the same search: the best match among the newest
 * `window` matches (ranking is bounded, store/public-claims), or every match, newest first.
 */
export function SearchOrder(props: {
	sort: "relevance" | "recent";
	window: number;
	requestUrl: string;
	lang: UiLanguage;
}) {
	const { lang } = props;
	const hrefFor = (sort: "relevance" | "recent") => {
		const url = new URL(props.requestUrl);
		url.searchParams.delete("cursor");
		if (sort === "recent") url.searchParams.set("sort", "recent");
		else url.searchParams.delete("sort");
		return `${url.pathname}${url.search}`;
	};
	const orders = [
		{ sort: "relevance", label: t(lang, "sortRelevance", { window: props.window }) },
		{ sort: "recent", label: t(lang, "sortRecent") },
	] as const;
	return (
		<p class="meta search-order">
			{t(lang, "sortLabel")}:{" "}
			{orders.map((order, i) => (
				<>
					{i > 0 ? " · " : null}
					{order.sort === props.sort ? (
						<strong aria-current="true">{order.label}</strong>
					) : (
						<a href={hrefFor(order.sort)}>{order.label}</a>
					)}
				</>
			))}
		</p>
	);
}

/** The link to a list's next page: the same URL with the next cursor (of `list`, the route's). */
export function NextPageLink(props: { next: Page; list: CursorList; requestUrl: string; lang: UiLanguage }) {
	if (!props.next) return null;
	const nextUrl = new URL(props.requestUrl);
	nextUrl.searchParams.set("cursor", cursorToken(props.next, props.list));
	return (
		<p>
			<a href={`${nextUrl.pathname}${nextUrl.search}`} rel="next">
				{t(props.lang, "nextPage")}
			</a>
		</p>
	);
}

/** A page of claims and the link to the next one. */
export function PagedClaims(props: {
	rows: ListedClaim[];
	next: Page;
	list: CursorList;
	requestUrl: string;
	lang: UiLanguage;
}) {
	return (
		<>
			<ClaimList rows={props.rows} lang={props.lang} />
			<NextPageLink next={props.next} list={props.list} requestUrl={props.requestUrl} lang={props.lang} />
		</>
	);
}
