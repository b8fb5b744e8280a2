import type * as z from "zod";
import { SearchSyntaxError, toFtsQuery } from "../domain/search-query";
import type { claimListQuery } from "../schemas/public-api";
import type { ClaimFilters, ClaimSort, Page } from "../store/public-claims";
import { type CursorList, decodeCursor, encodeCursor } from "./cursor";
import { AppError } from "./errors";

/**
 * From a list request to a store query and back: filters, cursors and the `next`
 * link. The public API, the Google-compatible search, the pages and the desk share them.
 */

/**
 * Turns the list query into store filters; search syntax errors are a 422 naming the
 * search parameter (`q`, or the Google-compatible search's `query`).
 */
export function claimFilters(
	query: Partial<z.output<typeof claimListQuery>>,
	searchParam: "q" | "query" = "q",
): ClaimFilters {
	let fts: string | undefined;
	if (query.q !== undefined && query.q.trim() !== "") {
		try {
			fts = toFtsQuery(query.q);
		} catch (error) {
			if (!(error instanceof SearchSyntaxError)) throw error;
			throw new AppError(422, `${searchParam}: ${error.message}`, {
				errors: [{ path: `query.${searchParam}`, message: error.message }],
				german: {
					detail: `${searchParam}: ${error.german}`,
					errors: [{ path: `query.${searchParam}`, message: error.german }],
				},
			});
		}
	}
	return {
		status: query.status,
		rating: query.rating,
		speakerSlug: query.speaker,
		sourceId: query.source,
		domain: query.domain,
		language: query.language,
		since: query.since,
		until: query.until,
		reviewedSince: query.reviewedSince,
		reviewedUntil: query.reviewedUntil,
		tag: query.tag,
		fts,
	};
}

/** The list a claim list's cursor walks: its order's (a cursor of another order is refused). */
export function claimsCursorList(sort: ClaimSort): CursorList {
	return `claims-${sort}`;
}

/** A client's cursor for `list`: malformed, or another list's or order's, is a 400. */
export function pageFromCursor(
	cursor: string | undefined,
	list: CursorList,
	parameter = "query.cursor",
): Page {
	if (!cursor) return null;
	const decoded = decodeCursor(cursor, list, parameter);
	return decoded[0] === "k"
		? { kind: "keyset", value: decoded[1], seq: decoded[2] }
		: { kind: "offset", offset: decoded[1] };
}

/**
 * For pages people open from links: a cursor that is not one of ours (a link cut short or
 * edited by hand, or another list's or order's) starts at page one instead of answering an
 * error page.
 */
export function pageFromCursorOrFirst(cursor: string | undefined, list: CursorList): Page {
	try {
		return pageFromCursor(cursor, list);
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		return null;
	}
}

/** The cursor of `next` in `list`, the list the route reads it back for. */
export function cursorToken(next: NonNullable<Page>, list: CursorList): string {
	return encodeCursor(next.kind === "keyset" ? ["k", next.value, next.seq] : ["o", next.offset], list);
}

/** The next page's absolute link: the request's path and query on the public origin. */
export function nextLink(origin: string, requestUrl: string, next: Page, list: CursorList): string | null {
	if (!next) return null;
	const request = new URL(requestUrl);
	const url = new URL(`${request.pathname}${request.search}`, origin);
	url.searchParams.set("cursor", cursorToken(next, list));
	return url.toString();
}
