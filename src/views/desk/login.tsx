import { t } from "./desk-i18n";
import { type DeskChrome, DeskLayout } from "./desk-layout";
import { type FieldErrors, Notice, TextField } from "./fields";

export function LoginPage(props: {
	chrome: DeskChrome;
	email?: string;
	next: string;
	problem?: "wrong" | "rate-limited" | "expired" | "logged-out" | null;
	retryMinutes?: number;
}) {
	const { lang } = props.chrome;
	const errors: FieldErrors = {};
	return (
		<DeskLayout
			chrome={props.chrome}
			title={t(lang, "deskLoginTitle")}
			refused={props.problem === "wrong" || props.problem === "rate-limited"}
		>
			<h1>{t(lang, "deskLoginTitle")}</h1>
			{/* Focused as the session's end is: the page that came back looked like the one sent. */}
			{props.problem === "wrong" ? (
				<Notice kind="error" role="alert" focus>
					{t(lang, "deskLoginWrong")}
				</Notice>
			) : null}
			{props.problem === "rate-limited" ? (
				<Notice kind="error" role="alert" focus>
					{props.retryMinutes === 1
						? t(lang, "deskLoginRateLimitedMinute")
						: t(lang, "deskLoginRateLimited", { minutes: props.retryMinutes ?? 15 })}
				</Notice>
			) : null}
			{props.problem === "expired" ? (
				<Notice role="alert" focus>
					{t(lang, "deskSessionEnded")}
				</Notice>
			) : null}
			{props.problem === "logged-out" ? (
				<Notice role="alert" focus>
					{t(lang, "deskLoggedOut")}
				</Notice>
			) : null}
			<form method="post" action="/desk/login" class="narrow">
				<input type="hidden" name="next" value={props.next} />
				<TextField
					name="email"
					type="email"
					label={t(lang, "deskEmail")}
					lang={lang}
					errors={errors}
					value={props.email}
					autocomplete="username"
					required
				/>
				<TextField
					name="password"
					type="password"
					label={t(lang, "deskPassword")}
					lang={lang}
					errors={errors}
					autocomplete="current-password"
					required
				/>
				<button type="submit">{t(lang, "deskLogin")}</button>
			</form>
		</DeskLayout>
	);
}
