import * as z from "zod";
import { hasRole } from "../../auth/permissions";
import { renameTopic } from "../../commands/collaboration";
import { SLUG_PATTERN } from "../../domain/slug";
import { AppError, notFound } from "../../lib/errors";
import { declareRoute } from "../../lib/route-declaration";
import { tagRenameInput } from "../../schemas/write-api";
import { getTag, listTopics, type TopicNames } from "../../store/collaboration";
import { t } from "../../views/desk/desk-i18n";
import type { FieldErrors } from "../../views/desk/fields";
import { fieldMessage } from "../../views/desk/labels";
import { TopicEditPage, TopicsPage } from "../../views/desk/topics";
import { flashText } from "./claim-page";
import {
	allowed,
	chrome,
	type DeskContext,
	deskCommand,
	deskFactory,
	deskSlug,
	formKey,
	formValues,
	page,
	signedIn,
	writeOnceAndRedirect,
} from "./context";
import { formErrors } from "./forms";

const slugParam = z.object({ slug: z.string().regex(SLUG_PATTERN) });
/** A desk files a few hundred topics; one page stays bounded all the same. */
const TOPICS_SHOWN = 2000;

async function topicOf(c: DeskContext, slug: string) {
	const topic = await getTag(c.var.db, slug);
	if (!topic) throw notFound("topic");
	return topic;
}

function renderEdit(
	c: DeskContext,
	topic: { slug: string; nameEn: string; nameDe: string },
	options: {
		values?: Record<string, string>;
		errors?: FieldErrors;
		notice?: string;
		status?: 200 | 409 | 422;
	} = {},
) {
	const session = allowed(c, "tag:edit");
	return page(
		c,
		<TopicEditPage
			chrome={chrome(c)}
			csrf={session.csrfToken}
			idem={formKey()}
			topic={topic}
			values={options.values ?? namesShown(topic)}
			errors={options.errors ?? {}}
			notice={options.notice ?? null}
		/>,
		options.status ?? 200,
	);
}

const NAME_FIELDS = ["nameEn", "nameDe"] as const;

/** A topic's names on its form, each also as `was.<field>`: what the form was loaded with. */
function namesShown(topic: TopicNames): Record<string, string> {
	return {
		nameEn: topic.nameEn,
		nameDe: topic.nameDe,
		"was.nameEn": topic.nameEn,
		"was.nameDe": topic.nameDe,
	};
}

/** The desk's topics (every member) and renaming one (editors, as `PATCH /api/v1/tags/:slug`). */
export const deskTopicRoutes = deskFactory
	.createApp()
	.get(
		"/topics",
		declareRoute({ method: "GET", path: "/desk/topics", access: { session: "checker" } }),
		async (c) => {
			const session = signedIn(c);
			// One more than shown: the page says when there are more than it lists.
			const topics = await listTopics(c.var.db, TOPICS_SHOWN + 1);
			return page(
				c,
				<TopicsPage
					chrome={chrome(c)}
					topics={topics.slice(0, TOPICS_SHOWN)}
					more={topics.length > TOPICS_SHOWN}
					canRename={hasRole(session.user.role, "editor")}
					flash={flashText(c)}
				/>,
			);
		},
	)
	.get(
		"/topics/:slug",
		declareRoute({
			method: "GET",
			path: "/desk/topics/:slug",
			access: { session: "tag:edit" },
		}),
		async (c) => {
			const param = deskSlug(c, SLUG_PATTERN);
			if (!param) throw notFound("topic");
			if (param.redirect) return c.redirect(`/desk/topics/${param.slug}${new URL(c.req.url).search}`, 302);
			return renderEdit(c, await topicOf(c, param.slug));
		},
	)
	.post(
		"/topics/:slug",
		declareRoute({
			method: "POST",
			path: "/desk/topics/:slug",
			access: { session: "tag:edit" },
			params: slugParam,
		}),
		async (c) => {
			const topic = await topicOf(c, c.req.valid("param").slug);
			const form = await formValues(c);
			const parsed = tagRenameInput.safeParse({ nameEn: form.nameEn ?? "", nameDe: form.nameDe ?? "" });
			if (!parsed.success)
				return renderEdit(c, topic, { values: form, errors: formErrors(parsed.error), status: 422 });
			// Only the names this editor changed are sent, each on the condition that it is still
			// what their form showed: sending both undid a colleague's rename of the other one
			// made since the form was loaded. A form without `was.*` (a name is never empty) is
			// taken to have shown the names as they are.
			const shown = (field: (typeof NAME_FIELDS)[number]) => form[`was.${field}`] || topic[field];
			const changed = NAME_FIELDS.filter((field) => parsed.data[field] !== shown(field));
			const names = Object.fromEntries(changed.map((field) => [field, parsed.data[field]]));
			const was = Object.fromEntries(changed.map((field) => [field, shown(field)]));
			try {
				const rename = async () => {
					await renameTopic(deskCommand(c), topic.slug, names, was);
				};
				return await writeOnceAndRedirect(
					c,
					form,
					rename,
					`/desk/topics?done=topic-renamed#topic-${topic.slug}`,
				);
			} catch (error) {
				if (error instanceof AppError && error.code === "topic-renamed") {
					// Renamed meanwhile: the names as they are now, with this editor's own on top,
					// and `was.*` now, so saving again replaces theirs knowingly.
					const now = await topicOf(c, topic.slug);
					const values = namesShown(now);
					for (const field of changed) values[field] = form[field] ?? "";
					return renderEdit(c, now, {
						values,
						notice: t(c.var.lang, "deskTopicRenamedMeanwhile", { nameEn: now.nameEn, nameDe: now.nameDe }),
						status: 409,
					});
				}
				// Another topic has one of the names: shown beside the form, the names kept.
				if (error instanceof AppError && error.status === 409)
					return renderEdit(c, topic, {
						values: form,
						notice: fieldMessage(c.var.lang, error.message),
						status: 409,
					});
				throw error;
			}
		},
	);
