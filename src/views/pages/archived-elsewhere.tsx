import type { UiLanguage } from "../../domain/ratings";
import { siteOf } from "../../domain/review-attribution";
import { t } from "../i18n";
import { snapshotPath } from "../json";

/**
 * Where a copy kept elsewhere lives, as a reader knows it: the Internet Archive by name (Save
 * Page Now's captures), else the host an editor's link names. Null for what is no http(s)
 * address (stored before validation, say): it never becomes a link.
 */
function elsewhereOf(archivedUrl: string | null | undefined): { href: string; where: string } | null {
	const host = siteOf(archivedUrl);
	if (!host || !archivedUrl) return null;
	return { href: new URL(archivedUrl).href, where: host === "web.archive.org" ? "Internet Archive" : host };
}

/**
 * " · copy at the Internet Archive": a source's `archivedUrl` (Save Page Now's capture, or
 * one the write API was given), which outlives the source and stands in for our own copy
 * when our fetch failed. Left out when it is the copy of ours shown beside it already.
 */
export function ArchivedElsewhere(props: {
	archivedUrl: string | null | undefined;
	lang: UiLanguage;
	/** The id of our own copy linked beside it, if any. */
	ownCopyId?: string | undefined;
	/** Nothing before it on its line: no separator. */
	first?: boolean;
	/** Its own `<span class="meta">` (none at all when there is no copy to link). */
	meta?: boolean;
}) {
	const copy = elsewhereOf(props.archivedUrl);
	if (!copy) return null;
	if (props.ownCopyId && new URL(copy.href).pathname === snapshotPath(props.ownCopyId)) return null;
	const link = (
		<>
			{props.first ? "" : " · "}
			<a href={copy.href} rel="noopener nofollow" class="archived">
				{t(props.lang, "archivedElsewhere", { where: copy.where })}
			</a>
		</>
	);
	return props.meta ? <span class="meta">{link}</span> : link;
}
