import { bodyLimit } from "hono/body-limit";
import { setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { createMiddleware } from "hono/factory";
import { loadSession, sameSecret, sentSessionCookie } from "../../auth/session";
import { UPLOAD_MAX_BYTES } from "../../domain/uploads";
import { AppError } from "../../lib/errors";
import { ResubmitPage } from "../../views/desk/resubmit";
import { oversizedAttachment } from "./attachments";
import {
	choiceMembers,
	choiceSpeakers,
	chrome,
	type DeskContext,
	type DeskEnv,
	type FormValues,
	formBody,
	page,
} from "./context";

/**
 * The largest form at its fields' limits must fit, in any script: a verdict (summary and
 * body of 20,000 characters each, 50 evidence links) is about 170,000 characters, and a
 * claim's edit about as many with the values it was read at (`was.*`). Percent-encoded,
 * a Chinese or Ukrainian character costs 6–9 bytes (an emoji 12 for its two units), so
 * 256 KB refused a Ukrainian claim of 9,000 characters with a long context: its edit
 * was lost to a 413. Past the limits, a field error says which field is too long.
 */
export const MAX_FORM_BODY = 2 * 1024 * 1024;

/** Paths that work without a session. */
const PUBLIC_PATHS = new Set(["/desk/login", "/desk/assets/desk.js"]);

/**
 * Pages of the desk: a per-response nonce for the one script, fetch only to this
 * origin (the type-ahead), forms only to this origin, never framed, never cached, not
 * indexed. A `?lang=` choice is remembered in the `lang` cookie.
 */
export const deskHeaders = createMiddleware<DeskEnv>(async (c, next) => {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	const nonce = btoa(String.fromCharCode(...bytes));
	c.set("nonce", nonce);
	const lang = c.req.query("lang");
	if (lang === "en" || lang === "de") {
		setCookie(c, "lang", lang, { path: "/", sameSite: "Lax", maxAge: 365 * 24 * 3600 });
	}
	await next();
	// A response with a policy of its own keeps it (an attachment's sandbox, routes/archive), as pages do (lib/page-csp).
	if (!c.res.headers.has("Content-Security-Policy")) {
		c.res.headers.set(
			"Content-Security-Policy",
			`default-src 'none'; script-src 'nonce-${nonce}'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
		);
	}
	c.res.headers.set("Cache-Control", "no-store");
	c.res.headers.set("X-Robots-Tag", "noindex, nofollow");
});

const formBodyLimit = bodyLimit({
	maxSize: MAX_FORM_BODY,
	onError: () => {
		throw new AppError(413, `The form is larger than ${MAX_FORM_BODY / 1024 / 1024} MB.`);
	},
});

/* An attachment form carries the file (10 MB at most, domain/uploads) and a few fields. */
const UPLOAD_FORM_BODY = UPLOAD_MAX_BYTES + 64 * 1024;
const ATTACHMENT_FORM = /^\/desk\/claims\/([0-9a-z]{14})\/attachments$/;

/**
 * A photo of 10.5 MB got a bare 413 page with no form, while one just over 10 MB got the claim
 * page with the reason beside the file field: now both do. The checks that follow this
 * middleware for a form that fits run first (the origin, the session), since the page is
 * rendered here.
 */
const uploadBodyLimit = bodyLimit({
	maxSize: UPLOAD_FORM_BODY,
	onError: async (c) => {
		const desk = c as unknown as DeskContext;
		const claimId = ATTACHMENT_FORM.exec(desk.req.path)?.[1] ?? "";
		await deskOriginCheck(desk, async () => {});
		await deskSession(desk, async () => {});
		return oversizedAttachment(desk, claimId);
	},
});

/** Forms are small; only the attachment form may carry a file. */
export const deskBodyLimit = createMiddleware<DeskEnv>((c, next) =>
	ATTACHMENT_FORM.test(c.req.path) ? uploadBodyLimit(c, next) : formBodyLimit(c, next),
);

/** Cross-site form posts are refused by Origin / Sec-Fetch-Site before anything else. */
export const deskOriginCheck = csrf();

/** Loads the session; without one, pages send to the login form and posts are refused. */
export const deskSession = createMiddleware<DeskEnv>(async (c, next) => {
	const session = await loadSession(c);
	c.set("session", session);
	c.set("user", session?.user ?? null);
	if (!session && !PUBLIC_PATHS.has(c.req.path)) {
		if (c.req.method === "GET" || c.req.method === "HEAD") {
			const next = `${c.req.path}${new URL(c.req.url).search}`;
			// A cookie whose session ended (expired, idle, revoked, the account disabled): the
			// login page says so, rather than greet someone who was working a moment ago.
			const ended = sentSessionCookie(c) ? "&expired=1" : "";
			return c.redirect(`/desk/login?next=${encodeURIComponent(next)}${ended}`, 303);
		}
		throw new AppError(
			401,
			"Your session has ended. Log in again; your browser's back button keeps what you typed.",
		);
	}
	await next();
});

/**
 * The second CSRF layer: every post of a signed-in user carries the session's own
 * token in `_csrf`. Login has no session yet and is covered by the origin check.
 */
export const deskFormToken = createMiddleware<DeskEnv>(async (c, next) => {
	const session = c.var.session;
	if (c.req.method === "POST" && session && c.req.path !== "/desk/login") {
		const body = await formBody(c);
		const token = body._csrf;
		if (typeof token !== "string" || !sameSecret(token, session.csrfToken)) {
			// Same-origin (the origin check came first) but another session's token: the page
			// was loaded before a new login. What was typed comes back to send again; a file
			// cannot be handed back in a form, and a post without any token is no desk form.
			const values = Object.entries(body);
			if (typeof token === "string" && values.every(([, value]) => typeof value === "string")) {
				const typed = Object.fromEntries(values) as FormValues;
				return page(
					c,
					<ResubmitPage
						chrome={chrome(c)}
						action={c.req.path}
						values={typed}
						csrf={session.csrfToken}
						speakers={await choiceSpeakers(c, typed)}
						members={await choiceMembers(c, typed)}
					/>,
					403,
				);
			}
			throw new AppError(403, "This form is out of date or was not sent from the desk.", { code: "csrf" });
		}
	}
	await next();
});
