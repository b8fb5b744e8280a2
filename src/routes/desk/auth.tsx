import * as z from "zod";
import { clearSessionCookie, startSession } from "../../auth/session";
import { endSession } from "../../commands/accounts";
import { commandContext } from "../../commands/context";
import { declareRoute } from "../../lib/route-declaration";
import { getSpeakerBySlug, searchSpeakers } from "../../store/speakers";
import { DESK_JS } from "../../views/desk/desk-script";
import { LoginPage } from "../../views/desk/login";
import { chrome, deskCommand, deskFactory, formValues, page, safeNext, signedIn } from "./context";
import { checkPassword } from "./password-check";

const speakerQuery = z.object({ q: z.string().trim().max(200).default("") });

/** Login, logout, and the small pieces the desk pages load (script, speaker type-ahead). */
export const deskAuthRoutes = deskFactory
	.createApp()
	.get("/login", declareRoute({ method: "GET", path: "/desk/login", access: "public" }), (c) => {
		if (c.var.session) return c.redirect(safeNext(c.req.query("next")), 303);
		const problem =
			c.req.query("expired") === "1" ? "expired" : c.req.query("done") === "logged-out" ? "logged-out" : null;
		return page(c, <LoginPage chrome={chrome(c)} next={safeNext(c.req.query("next"))} problem={problem} />);
	})
	.post(
		"/login",
		declareRoute({
			method: "POST",
			path: "/desk/login",
			access: "public",
			reason: "guarded by the origin check and rate limit",
		}),
		async (c) => {
			const form = await formValues(c);
			const email = (form.email ?? "").trim().toLowerCase().slice(0, 320);
			const password = (form.password ?? "").slice(0, 1024);
			const next = safeNext(form.next);
			const view = (problem: "wrong" | "rate-limited", status: 401 | 429, retryMinutes?: number) =>
				page(
					c,
					<LoginPage
						chrome={chrome(c)}
						email={email}
						next={next}
						problem={problem}
						retryMinutes={retryMinutes}
					/>,
					status,
				);
			const checked = await checkPassword(c, email, password, {
				ctx: commandContext(c.var, { userId: null, label: "login", requestId: c.var.requestId }),
			});
			if (!checked.ok && checked.retryAfter !== undefined) {
				c.header("Retry-After", String(checked.retryAfter));
				return view("rate-limited", 429, Math.ceil(checked.retryAfter / 60));
			}
			if (!checked.ok) return view("wrong", 401);
			const user = checked.user;
			const actor = { userId: user.id, label: null, requestId: c.var.requestId ?? null };
			// The password was reset (or the account disabled) after it was checked: it is no
			// longer the account's, and the reset's end of every session must not miss this one.
			if (
				!user.passwordHash ||
				!(await startSession(c, actor, { id: user.id, passwordHash: user.passwordHash }))
			)
				return view("wrong", 401);
			return c.redirect(next, 303);
		},
	)
	.post(
		"/logout",
		declareRoute({
			method: "POST",
			path: "/desk/logout",
			access: "public",
			reason: "needs no role; without a session there is nothing to end (401)",
		}),
		async (c) => {
			const session = signedIn(c);
			await endSession(deskCommand(c), session.id, session.user.id);
			clearSessionCookie(c);
			// The login form then confirms it: "You are logged out."
			return c.redirect("/desk/login?done=logged-out", 303);
		},
	)
	.get(
		"/assets/desk.js",
		declareRoute({
			method: "GET",
			path: "/desk/assets/desk.js",
			access: "public",
			reason: "the login page loads it",
		}),
		(c) =>
			c.body(DESK_JS, 200, {
				"Content-Type": "text/javascript; charset=utf-8",
				"X-Content-Type-Options": "nosniff",
			}),
	)
	.get(
		"/speakers/search",
		declareRoute({
			method: "GET",
			path: "/desk/speakers/search",
			access: { session: "checker" },
			reason: "type-ahead of the claim form",
		}),
		async (c, next) => {
			// The type-ahead always sends `q`; a page asked for without it, where a speaker has the
			// slug `search` (made before store/speakers reserved it), is that speaker's, mounted after.
			const page = c.req.query("q") === undefined && c.req.header("Accept")?.includes("text/html");
			if (page && (await getSpeakerBySlug(c.var.db, "search"))) return next();
			const parsed = speakerQuery.safeParse({ q: c.req.query("q") });
			const q = parsed.success ? parsed.data.q : "";
			const speakers = q.length >= 1 ? await searchSpeakers(c.var.db, q, 8) : [];
			return c.json({
				data: speakers.map((s) => ({
					id: s.id,
					name: s.name,
					slug: s.slug,
					kind: s.kind,
					description: s.description,
					aliases: s.aliases,
				})),
			});
		},
	);
