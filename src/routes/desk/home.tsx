import { hasRole } from "../../auth/permissions";
import { isId } from "../../domain/ids";
import { normalizeLanguageTag } from "../../domain/language-tags";
import { capMatchCount } from "../../domain/match-count";
import { SearchSyntaxError, toFtsQuery } from "../../domain/search-query";
import { SLUG_PATTERN } from "../../domain/slug";
import { claimsCursorList, cursorToken, pageFromCursorOrFirst } from "../../lib/list-query";
import { hidesUnreviewed } from "../../lib/public-visibility";
import { declareRoute } from "../../lib/route-declaration";
import { getTag } from "../../store/collaboration";
import {
	assignedCount,
	type ClaimCounts,
	claimCounts,
	draftCountOf,
	draftCounts,
	draftsBeingWritten,
	draftsOf,
	openDraftWriters,
	recentActivity,
	reviewQueue,
} from "../../store/desk";
import { type ClaimFilters, listClaims } from "../../store/public-claims";
import { speakerRedirect } from "../../store/speaker-edits";
import { getSpeakerBySlug } from "../../store/speakers";
import { getUser } from "../../store/users";
import type { FieldErrors } from "../../views/desk/fields";
import {
	DESK_LISTS,
	type DeskList,
	type DeskNarrowing,
	HomePage,
	narrowingParams,
	ownList,
} from "../../views/desk/home";
import { flashText } from "./claim-page";
import { chrome, type DeskContext, deskFactory, page, signedIn } from "./context";

const PAGE_SIZE = 25;

/**
 * The desk's lists narrowed to a claim language, a speaker (`?speaker=slug`, a merged
 * one's old slug too), a topic (`?topic=slug`) or an assignee (`?assignee=<user id>`, from
 * the dashboard: who holds what, for an editor sharing out work): the claim page links there, so the desk
 * sees everything of a speaker or topic at once, drafts and unverified claims included.
 * An unknown slug narrows nothing rather than showing an empty list as if it were one.
 */
async function narrowingOf(c: DeskContext): Promise<DeskNarrowing> {
	// Read as the API reads `?language=` (domain/language-tags): "EN" is "en", "en-gb" is
	// "en-GB", and a tag with a region or script narrows to it exactly (store `listClaims`).
	const language = normalizeLanguageTag(c.req.query("language")) ?? "";
	const slugOf = (name: string) => {
		const value = c.req.query(name) ?? "";
		return SLUG_PATTERN.test(value) ? value : null;
	};
	const speakerSlug = slugOf("speaker");
	const topicSlug = slugOf("topic");
	const assigneeId = c.req.query("assignee") ?? "";
	const [speaker, topic, assignee] = await Promise.all([
		speakerSlug ? speakerNamed(c, speakerSlug) : null,
		topicSlug ? getTag(c.var.db, topicSlug) : undefined,
		isId(assigneeId) ? getUser(c.var.db, assigneeId) : undefined,
	]);
	return {
		language,
		speaker: speaker && speakerSlug ? { slug: speakerSlug, name: speaker } : null,
		topic: topic ? { slug: topic.slug, name: c.var.lang === "de" ? topic.nameDe : topic.nameEn } : null,
		assignee: assignee ? { id: assignee.id, name: assignee.name } : null,
	};
}

/** A speaker's name by its slug, or by a merged speaker's old slug. */
async function speakerNamed(c: DeskContext, slug: string): Promise<string | null> {
	const speaker = await getSpeakerBySlug(c.var.db, slug);
	if (speaker) return speaker.name;
	const survivor = await speakerRedirect(c.var.db, slug);
	return survivor ? ((await getSpeakerBySlug(c.var.db, survivor))?.name ?? null) : null;
}
/** The review queue (and "Being written") show the longest waiting drafts; the home says how many more. */
const QUEUE_SIZE = 50;

/** The most claims a list can hold, from the desk's counts by state (and, for "mine", of mine). */
function listSize(list: DeskList, counts: ClaimCounts, mine: number | null): number {
	const total = counts.unverified + counts.inReview + counts.published + counts.retracted;
	if (list === "unverified") return counts.unverified;
	if (list === "in-review") return counts.inReview;
	if (list === "unassigned" || list === "open") return counts.unverified + counts.inReview;
	if (list === "published") return counts.published;
	if (list === "retracted") return counts.retracted;
	if (list === "mine" && mine !== null) return mine;
	return total;
}

function listFilters(list: DeskList, userId: string): ClaimFilters {
	// My queue: the open claims assigned to me (an assignment stays after publication).
	if (list === "mine") return { assigneeId: userId, open: true };
	if (list === "unassigned") return { unassigned: true };
	if (list === "open") return { open: true };
	if (list === "published") return { publishedOnly: true };
	if (list === "retracted") return { status: "retracted" };
	if (list === "all") return {};
	return { status: list };
}

/**
 * The desk home: counts of claims by state, the review queue (drafts submitted for
 * review, longest waiting first) and, for editors, the drafts being written, my drafts, recent public changes, and the claim lists with search and
 * filters. Editors and admins land on the review queue (it comes first and the list
 * shows claims in review); checkers on the unverified claims.
 */
export const deskHomeRoutes = deskFactory
	.createApp()
	.get("/", declareRoute({ method: "GET", path: "/desk", access: { session: "checker" } }), async (c) => {
		const session = signedIn(c);
		const reviewer = hasRole(session.user.role, "editor");
		const requested = c.req.query("list");
		// As typed: a search longer than toFtsQuery allows is refused beside the box, which
		// keeps it (cut short, it searched for something else and did not say so).
		const q = c.req.query("q") ?? "";
		// "Was this checked before?": a search without a list named searches every claim;
		// a list's tab narrows it. The search form names the list it was on (`tab`), kept when
		// it sends no words (a claim language chosen): that narrows the list shown.
		const shown = q.trim() === "" ? DESK_LISTS.find((l) => l === c.req.query("tab")) : undefined;
		const list: DeskList =
			DESK_LISTS.find((l) => l === requested) ??
			shown ??
			(q.trim() !== "" ? "all" : reviewer ? "in-review" : "unverified");
		// "My queue" and "Unassigned" name their assignee: another's narrowing would replace mine
		// or empty the list, so it is dropped there.
		const narrowed = await narrowingOf(c);
		const narrowing = ownList(list) ? { ...narrowed, assignee: null } : narrowed;
		const { language } = narrowing;
		const errors: FieldErrors = {};
		const filters: ClaimFilters = {
			...listFilters(list, session.user.id),
			...(language ? { language } : {}),
			...(narrowing.speaker ? { speakerSlug: narrowing.speaker.slug } : {}),
			...(narrowing.topic ? { tag: narrowing.topic.slug } : {}),
			...(narrowing.assignee ? { assigneeId: narrowing.assignee.id } : {}),
		};
		if (q.trim() !== "") {
			try {
				filters.fts = toFtsQuery(q);
			} catch (error) {
				if (!(error instanceof SearchSyntaxError)) throw error;
				// What is wrong and what works, in the desk's language (it said only "not understood").
				errors.q = error.in(c.var.lang);
			}
		}
		const searching = q.trim() !== "" && !errors.q;
		// Best match first ranks the newest RANKED_CANDIDATES matches only; newest first walks
		// every match, so "was this checked before?" can reach the oldest too.
		const newestFirst = searching && c.req.query("sort") === "recent";
		const sort = searching && !newestFirst ? "relevance" : "recent";
		const cursorList = claimsCursorList(sort);
		const cursor = pageFromCursorOrFirst(c.req.query("cursor"), cursorList);
		const [claims, drafts, draftTotal, activity, counts, queue, draftTotals, writing, mine] =
			await Promise.all([
				errors.q
					? Promise.resolve({ rows: [], next: null, matches: null })
					: listClaims(c.var.db, filters, sort, PAGE_SIZE, cursor, {
							countMatches: true,
						}),
				draftsOf(c.var.db, session.user.id, QUEUE_SIZE),
				draftCountOf(c.var.db, session.user.id),
				recentActivity(c.var.db, 15, { reviewedOnly: hidesUnreviewed(c.env) }),
				claimCounts(c.var.db),
				reviewQueue(c.var.db, QUEUE_SIZE),
				draftCounts(c.var.db),
				// Editors see the drafts not yet submitted too: the work before it reaches the queue.
				reviewer ? draftsBeingWritten(c.var.db, QUEUE_SIZE) : [],
				// Only an estimate of the "mine" list needs it: an even spread over all claims
				// would overstate how many of mine match.
				list === "mine" && searching ? assignedCount(c.var.db, session.user.id) : null,
			]);
		// "Unassigned": a claim whose open draft someone writes is not for anyone else to take.
		const draftWriters =
			list === "unassigned"
				? await openDraftWriters(
						c.var.db,
						claims.rows.map((row) => row.claim.id),
					)
				: undefined;
		let nextHref: string | null = null;
		if (claims.next) {
			const params = new URLSearchParams({
				list,
				...(q ? { q } : {}),
				...(newestFirst ? { sort: "recent" } : {}),
				...narrowingParams(narrowing),
			});
			params.set("cursor", cursorToken(claims.next, cursorList));
			nextHref = `/desk?${params.toString()}`;
		}
		return page(
			c,
			<HomePage
				chrome={chrome(c)}
				list={list}
				q={q}
				sort={searching ? (newestFirst ? "recent" : "relevance") : null}
				narrowing={narrowing}
				errors={errors}
				claims={claims.rows}
				matches={claims.matches && capMatchCount(claims.matches, listSize(list, counts, mine))}
				nextHref={nextHref}
				drafts={drafts}
				draftTotal={draftTotal}
				activity={activity}
				counts={counts}
				queue={queue}
				queueTotal={draftTotals.submitted}
				writing={writing}
				writingTotal={draftTotals.unsubmitted}
				reviewer={reviewer}
				now={new Date()}
				flash={flashText(c)}
				{...(draftWriters ? { draftWriters } : {})}
			/>,
			errors.q ? 422 : 200,
		);
	});
