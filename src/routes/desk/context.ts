import type { Context } from "hono";
import { createFactory } from "hono/factory";
import { html } from "hono/html";
import { HTTPException } from "hono/http-exception";
import type { HtmlEscapedString } from "hono/utils/html";
import { type Idempotent, idempotent, requestFingerprint } from "../../auth/idempotency";
import { type Action, can } from "../../auth/permissions";
import type { DeskSession } from "../../auth/session";
import { type CommandContext, commandContext } from "../../commands/context";
import { settingProblems } from "../../domain/deployment-settings";
import { isId, newToken, sha256Hex } from "../../domain/ids";
import type { AppEnv } from "../../factory";
import { AppError, forbidden } from "../../lib/errors";
import { pathWithoutLang } from "../../lib/language";
import type { Actor } from "../../store/batch";
import { getSpeaker } from "../../store/speakers";
import { getUserByEmail } from "../../store/users";
import type { DeskChrome } from "../../views/desk/desk-layout";
import { type ChoiceMember, type ChoiceSpeaker, ResubmitPage } from "../../views/desk/resubmit";

/** The desk's context: the app's, plus the page nonce and the signed-in session. */
export interface DeskEnv {
	Bindings: Env;
	Variables: AppEnv["Variables"] & { nonce: string; session: DeskSession | null };
}

/**
 * Routers of the desk. No initApp: they are mounted under the entry app, whose factory
 * already put the per-request Drizzle instance on the context, and under the desk
 * router (routes/desk/index.ts), whose middleware loads the session.
 */
export const deskFactory = createFactory<DeskEnv>();

export type DeskContext = Context<DeskEnv>;

/** The session of a signed-in request; the desk middleware has turned everyone else away. */
export function signedIn(c: DeskContext): DeskSession {
	const session = c.var.session;
	if (!session) throw new AppError(401, "Log in to use the desk.");
	return session;
}

/** The session, when its role allows `action`; otherwise a 403 and nothing happens. */
export function allowed(c: DeskContext, action: Action): DeskSession {
	const session = signedIn(c);
	if (!can(session.user.role, action)) throw forbidden();
	return session;
}

export function deskActor(c: DeskContext): Actor {
	const session = signedIn(c);
	return {
		userId: session.user.id,
		label: null,
		requestId: c.var.requestId ?? null,
		clientRequestId: c.var.clientRequestId ?? null,
		role: session.user.role,
	};
}

/** The command context of a desk request: the signed-in user acts. */
/**
 * A mark that an article address came from this session's own "New from article" list
 * (read in `language`, when the checker set one): the claim page offers the way back to
 * that list only with it, so a link cannot put a genuine desk button there that reads a
 * page of the link's choosing.
 */
export async function intakeSignature(csrfToken: string, url: string, language = ""): Promise<string> {
	return (await sha256Hex(`intake\n${csrfToken}\n${url}\n${language}`)).slice(0, 32);
}

export function deskCommand(c: DeskContext): CommandContext {
	return commandContext(c.var, deskActor(c));
}

/**
 * A form post that writes once: `write` runs under the form's idempotency key and
 * returns where to go next (303), or nothing to go to `to`. A repeat of the same form
 * (double click, reload) is sent where the first one went, without writing again. `to`
 * is where the form goes as known before the write: the write's own batch keeps it with
 * the key's mark, so a repeat whose first request stopped after writing, before it kept
 * where it went, goes there (auth/idempotency). The key stands for the form
 * as sent (`formFingerprint`): the same key with other content (a browser restoring the
 * hidden key after Back, the text then changed) wrote nothing and says so, keeping what
 * was typed to send as a new submission, instead of a "done" for the first one's write.
 */
export async function writeOnceAndRedirect(
	c: DeskContext,
	form: FormValues,
	// biome-ignore lint/suspicious/noConfusingVoidType: a write that knows no better place than `to` returns nothing
	write: () => Promise<string | void>,
	to: string,
): Promise<Response> {
	const session = signedIn(c);
	const url = new URL(c.req.url);
	let outcome: Idempotent<string>;
	try {
		outcome = await idempotent<string>(
			c.var.db,
			{
				userId: session.user.id,
				key: form._idem,
				scope: await formScope(c, `POST ${url.pathname}`),
				waitUntil: (p) => c.executionCtx.waitUntil(p),
				ahead: { status: 303, location: to },
			},
			async () => {
				const location = (await write()) ?? to;
				return { kind: "store", result: { status: 303, location, body: null }, value: location };
			},
		);
	} catch (error) {
		if (keyReused(error)) return keyReusedPage(c);
		throw error;
	}
	return c.redirect(outcome.replayed ? (outcome.result.location ?? to) : outcome.value, 303);
}

/**
 * A desk form's key scope: what it does (`base`: method and path) and what was sent, so a
 * key sent again with other content is refused (`keyReused`), never replayed as "done".
 */
export async function formScope(c: DeskContext, base: string): Promise<string> {
	return `${base} ${await formFingerprint(c)}`;
}

/** Whether a write was refused because its form's key stands for other content. */
export const keyReused = (error: unknown) =>
	error instanceof AppError && error.code === "idempotency-key-reused";

/**
 * Posted fields that are not what the form asks for: the session's CSRF token, the key
 * itself, and a confirming password, which no fingerprint holds, not even hashed (an
 * unsalted SHA-256 of it beside the other fields would be cheap to guess at).
 */
const NOT_CONTENT = new Set(["_csrf", "_idem", "password"]);

/**
 * What a desk form's key stands for besides its path: the posted fields but the ones
 * above, and a file by its name, type, size and the SHA-256 of its bytes.
 */
async function formFingerprint(c: DeskContext): Promise<string> {
	const content: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(await formBody(c))) {
		if (NOT_CONTENT.has(name)) continue;
		content[name] =
			typeof value === "string"
				? value
				: {
						file: value.name,
						type: value.type,
						size: value.size,
						sha256: await sha256Hex(new Uint8Array(await value.arrayBuffer())),
					};
	}
	return requestFingerprint(content);
}

/**
 * The 422 for a key already used with other content: nothing was saved; what was sent
 * comes back under a fresh key (the old one stands for the first content), a file to be
 * chosen again, as the session page's resubmit does with another session's token.
 */
export async function keyReusedPage(c: DeskContext): Promise<Response> {
	const values: FormValues = {};
	const files: string[] = [];
	for (const [name, value] of Object.entries(await formBody(c))) {
		if (typeof value === "string") values[name] = value;
		else files.push(name);
	}
	// A call, not JSX: this file is plain TypeScript.
	const form = ResubmitPage({
		chrome: chrome(c),
		action: new URL(c.req.url).pathname,
		values,
		csrf: signedIn(c).csrfToken,
		reason: "key-reused",
		idem: formKey(),
		files,
		speakers: await choiceSpeakers(c, values),
		members: await choiceMembers(c, values),
	});
	return page(c, form, 422);
}

/**
 * The speaker a form handed back names by its `speaker.choice` (the new-claim form's pick
 * among several speakers of a name: an id), so the re-send page lists it by name as the
 * choice did, not by its id. None for "new", or an id that is no speaker now.
 */
export async function choiceSpeakers(c: DeskContext, values: FormValues): Promise<ChoiceSpeaker[]> {
	const id = values["speaker.choice"];
	if (!isId(id)) return [];
	const speaker = await getSpeaker(c.var.db, id);
	return speaker ? [speaker] : [];
}

/**
 * The member an editor's assignment form picked (`assignee`: the email its select posts
 * under the name it shows), so the re-send page lists them by name. None for nobody, "me"
 * (the sender's own name) or an address that is no account. Only for a sender who is shown
 * that select (an editor or admin) and only an account it lists (enabled): a checker, or
 * anyone posting a made-up form, must not learn whose address an email is.
 */
export async function choiceMembers(c: DeskContext, values: FormValues): Promise<ChoiceMember[]> {
	const email = values.assignee?.trim() ?? "";
	if (!email.includes("@") || c.var.session?.user.role === "checker" || !c.var.session) return [];
	const user = await getUserByEmail(c.var.db, email);
	return user && !user.disabledAt ? [{ email: user.email, name: user.name }] : [];
}

export type FormValues = Record<string, string>;

/**
 * The posted body as Hono parses it, for every desk form. A body that is not the form its
 * Content-Type says (multipart without a boundary, or without the one it names) makes
 * `Response.formData()` throw a TypeError: the client's mistake, so a 400 as malformed JSON
 * is (lib/error-handler `toAppError` words both), not a 500 in our logs. Login parses here
 * too, so it needs no session to get there.
 */
export async function formBody(c: DeskContext): Promise<Record<string, string | File>> {
	try {
		return await c.req.parseBody();
	} catch (error) {
		if (error instanceof TypeError) throw new HTTPException(400, { cause: error });
		throw error;
	}
}

/** The posted form as strings (files are never expected and are dropped). */
export async function formValues(c: DeskContext): Promise<FormValues> {
	const body = await formBody(c);
	const values: FormValues = {};
	for (const [key, value] of Object.entries(body)) {
		if (typeof value === "string") values[key] = value;
	}
	return values;
}

/** A whole page: doctype plus the component, with the given status. */
export function page(
	c: DeskContext,
	content: HtmlEscapedString | Promise<HtmlEscapedString>,
	status: 200 | 201 | 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 500 | 502 | 503 = 200,
) {
	return c.html(html`<!DOCTYPE html>${content}`, status);
}

/** Any origin will do to read a path against: only the path, query and fragment are kept. */
const NEXT_BASE = "https://desk.invalid";

/**
 * Where to go after login: only a desk path on this site, never another origin, as the URL
 * parser reads it (dot segments resolved) and writes it (percent-encoded): a control
 * character went into the Location header raw, and a NUL made the redirect throw (a 500).
 */
export function safeNext(value: string | undefined): string {
	if (!value?.startsWith("/desk") || value.startsWith("//") || /[\\\s\p{Cc}]/u.test(value)) return "/desk";
	const url = new URL(value, NEXT_BASE);
	const next = `${url.pathname}${url.search}${url.hash}`;
	return url.origin === NEXT_BASE && next.startsWith("/desk") ? next : "/desk";
}

/**
 * A desk page's slug (`:slug`): the address's when well-formed, lowercased when only its
 * capitals spoil it (the caller redirects there), else null: a 404, as a slug naming nothing
 * is (a param check's 422 "cannot be saved", in zod's English, said nothing of a page).
 */
export function deskSlug(c: DeskContext, pattern: RegExp): { slug: string; redirect: boolean } | null {
	const slug = c.req.param("slug") ?? "";
	if (pattern.test(slug)) return { slug, redirect: false };
	const lower = slug.toLowerCase();
	return pattern.test(lower) ? { slug: lower, redirect: true } : null;
}

/**
 * What every desk page needs from the request. `shows` is the address of the page rendered
 * (without query), for a post that re-renders it: its language link and the embed panel's
 * options are GETs of that address. A refused verdict step shows the claim page, a draft
 * discarded meanwhile the new-verdict form: the post's address does not say which.
 */
export function chrome(c: DeskContext, shows?: string): DeskChrome {
	const session = c.var.session ?? null;
	const path = pathWithoutLang(c.req.url);
	return {
		lang: c.var.lang,
		nonce: c.var.nonce ?? "",
		orgName: c.env.ORG_NAME,
		path: c.req.method === "POST" ? (shows ?? pageOfPost(path)) : path,
		session,
		// Admins are the ones who can change the settings: they see what is wrong on every page.
		settingProblems: session?.user.role === "admin" ? settingProblems(c.env, new URL(c.req.url).origin) : [],
	};
}

/*
 * The page a refused post shows when its renderer does not name it (`chrome`'s `shows`: an
 * error page, a form sent again), by the address it was posted to. Its language link is a
 * GET of the page's address: of the post's, it was a 405. First match wins; a post to a
 * page's own address (the claim edit, a topic) keeps it.
 */
const POSTED_PAGES: [RegExp, string][] = [
	[/^\/desk\/claims(?=$|\?)/, "/desk/claims/new"],
	[/^\/desk\/articles(?=$|\?)/, "/desk/articles/new"],
	[/^(\/desk\/claims\/[^/?]+)\/verdicts(?=$|\?)/, "$1/verdicts/new"],
	[/^(\/desk\/claims\/[^/?]+\/edit)(?=$|\?)/, "$1"],
	[/^(\/desk\/claims\/[^/?]+)\/[^?]+/, "$1"],
	// A verdict step (a form of the claim page or the preview): where the verdict is shown.
	[/^(\/desk\/verdicts\/[^/?]+)\/(?:publish|retract|return|submit|discard)(?=$|\?)/, "$1"],
	[/^(\/desk\/verdicts\/[^/?]+)(?:\/[^/?]+)?(?=$|\?)/, "$1/edit"],
	[/^(\/desk\/speakers\/[^/?]+)\/merge/, "$1"],
	[/^\/desk\/tokens\/[^?]+/, "/desk/tokens"],
	[/^(\/desk\/admin\/(?:users|webhooks)\/[^/?]+)\/[^?]+/, "$1"],
	[/^\/desk\/logout/, "/desk/login"],
	[/^\/desk\/attachments\/[^?]+/, "/desk"],
];

/** The address of the page a post to `path` (with its query) shows, for links made on it. */
function pageOfPost(path: string): string {
	const rule = POSTED_PAGES.find(([pattern]) => pattern.test(path));
	return rule ? path.replace(rule[0], rule[1]) : path;
}

/** A fresh idempotency key for a form being rendered. */
export function formKey(): string {
	return newToken(18);
}
