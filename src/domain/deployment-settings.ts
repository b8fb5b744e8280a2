/**
 * The deployment's settings (`[vars]` in wrangler.toml and wrangler.desk.toml), read one
 * way everywhere, and what is wrong with them. A Worker has no start-up to refuse, and
 * refusing every request over a typo would take the site down, so a setting the code does
 * not know is read as its safest value, and the desk tells its admins on every page:
 * `PUBLIC_UNREVIEWED = "hidden"` hides unfinished work (it used to mean "list", which
 * publishes what the desk is checking), `PUBLISHING = "second_editor"` asks for a second
 * editor (it used to turn the check off), `NEWSROOM_TIME_ZONE = "Berlin"` dates in UTC.
 */

import { timeZoneNamed } from "./time-zone";

const UNREVIEWED_MODES = ["list", "hide"] as const;
const PUBLISHING_MODES = ["any-editor", "second-editor"] as const;

type UnreviewedMode = (typeof UNREVIEWED_MODES)[number];
type PublishingMode = (typeof PUBLISHING_MODES)[number];

/** A value the setting allows, the default when it is absent or empty, else the safest. */
function choice<T extends string>(
	value: string | undefined,
	allowed: readonly T[],
	fallback: { absent: T; unknown: T },
): T {
	const normalised = value?.trim().toLowerCase() ?? "";
	if (normalised === "") return fallback.absent;
	return allowed.find((mode) => mode === normalised) ?? fallback.unknown;
}

/** `PUBLIC_UNREVIEWED`: "list" by default; an unknown value hides, as "hide" does. */
export function unreviewedMode(env: { PUBLIC_UNREVIEWED?: string }): UnreviewedMode {
	return choice(env.PUBLIC_UNREVIEWED, UNREVIEWED_MODES, { absent: "list", unknown: "hide" });
}

/** `PUBLISHING`: "any-editor" by default; an unknown value asks for a second editor. */
export function publishingMode(env: { PUBLISHING?: string }): PublishingMode {
	return choice(env.PUBLISHING, PUBLISHING_MODES, { absent: "any-editor", unknown: "second-editor" });
}

/** `ARCHIVE_ORG_SAVE`: off unless "true" (any case); an unknown value leaves it off, shown to admins. */
export function archiveOrgSave(env: { ARCHIVE_ORG_SAVE?: string }): boolean {
	return (
		choice(env.ARCHIVE_ORG_SAVE, ["true", "false"] as const, { absent: "false", unknown: "false" }) === "true"
	);
}

/** Where `NEWSROOM_TIME_ZONE` is absent, empty or no zone: what the code did before it existed. */
export const FALLBACK_TIME_ZONE = "UTC";

const zones = new Map<string, string | null>();

/** `NEWSROOM_TIME_ZONE` as a zone's IANA name, or null for a value that names none (read once per isolate). */
function zoneSetting(value: string): string | null {
	let zone = zones.get(value);
	if (zone === undefined) {
		zone = timeZoneNamed(value);
		zones.set(value, zone);
	}
	return zone;
}

/**
 * `NEWSROOM_TIME_ZONE`: the zone of the newsroom's calendar and clock (domain/time-zone),
 * every day and time shown in it; UTC when absent, and when the value names no zone (shown
 * to admins).
 */
export function newsroomTimeZone(env: { NEWSROOM_TIME_ZONE?: string }): string {
	const value = env.NEWSROOM_TIME_ZONE?.trim() ?? "";
	return (value === "" ? null : zoneSetting(value)) ?? FALLBACK_TIME_ZONE;
}

export type SettingProblem =
	| { kind: "unknown-value"; name: string; value: string; allowed: readonly string[]; using: string }
	| { kind: "invalid-url"; name: string; value: string }
	| { kind: "missing"; name: string }
	| { kind: "public-url-elsewhere"; value: string; reachedAt: string }
	| { kind: "public-url-insecure"; value: string }
	| { kind: "demo-value"; name: string; value: string }
	| { kind: "invalid-time-zone"; name: string; value: string; using: string };

export interface SettingsEnv {
	PUBLIC_UNREVIEWED?: string;
	PUBLISHING?: string;
	ARCHIVE_ORG_SAVE?: string;
	NEWSROOM_TIME_ZONE?: string;
	PUBLIC_URL?: string;
	ORG_NAME?: string;
	ORG_URL?: string;
	ORG_LOGO?: string;
}

/** The example deployment's values in wrangler.toml: a real one replaces them. */
const DEMO_VALUES: Record<string, readonly string[]> = {
	ORG_NAME: ["Claimtrack Demo Desk"],
	ORG_URL: ["https://claimtrack.example"],
	ORG_LOGO: ["https://claimtrack.example/logo.png"],
};

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** This machine, or a name reserved for testing (RFC 6761: `.localhost`, `.test`): never production. */
function isDevelopmentHost(host: string): boolean {
	return LOOPBACK.test(host) || /\.(?:localhost|test)$/i.test(host);
}

/**
 * An http(s) address, else null. `new URL("localhost:8787")` parses (scheme "localhost:",
 * origin "null") and so does `ftp://…`: neither can be a link readers follow. One rule for
 * the desk's warnings and for the origin links are built from (lib/public-origin).
 */
export function httpUrl(value: string): URL | null {
	try {
		const url = new URL(value);
		return url.protocol === "https:" || url.protocol === "http:" ? url : null;
	} catch {
		return null;
	}
}

function enumProblems(env: SettingsEnv): SettingProblem[] {
	const problems: SettingProblem[] = [];
	const check = (name: string, value: string | undefined, allowed: readonly string[], using: string) => {
		const normalised = value?.trim().toLowerCase() ?? "";
		if (normalised !== "" && !allowed.includes(normalised))
			problems.push({ kind: "unknown-value", name, value: value ?? "", allowed, using });
	};
	check("PUBLIC_UNREVIEWED", env.PUBLIC_UNREVIEWED, UNREVIEWED_MODES, unreviewedMode(env));
	check("PUBLISHING", env.PUBLISHING, PUBLISHING_MODES, publishingMode(env));
	check("ARCHIVE_ORG_SAVE", env.ARCHIVE_ORG_SAVE, ["true", "false"], String(archiveOrgSave(env)));
	const zone = env.NEWSROOM_TIME_ZONE?.trim() ?? "";
	if (zone !== "" && !zoneSetting(zone))
		problems.push({
			kind: "invalid-time-zone",
			name: "NEWSROOM_TIME_ZONE",
			value: zone,
			using: FALLBACK_TIME_ZONE,
		});
	return problems;
}

/**
 * What is wrong with the settings, seen from a request that reached the deployment at
 * `reachedAt` (an origin). Reached on this machine (`wrangler dev`) or at a name reserved for
 * tests, the example values and a loopback or absent `PUBLIC_URL` are what they should be; reached from anywhere else they put
 * localhost and the demo's name into every link, feed, JSON-LD and webhook, or, without a `PUBLIC_URL`, the Host of whichever request came first.
 */
export function settingProblems(env: SettingsEnv, reachedAt: string): SettingProblem[] {
	const problems = enumProblems(env);
	const reached = httpUrl(reachedAt);
	const local = reached !== null && isDevelopmentHost(reached.hostname);
	const publicUrl = env.PUBLIC_URL?.trim() ?? "";
	const configured = publicUrl === "" ? null : httpUrl(publicUrl);
	if (publicUrl !== "" && !configured)
		problems.push({ kind: "invalid-url", name: "PUBLIC_URL", value: publicUrl });
	for (const name of ["ORG_URL", "ORG_LOGO"] as const) {
		const value = env[name]?.trim() ?? "";
		if (value !== "" && !httpUrl(value)) problems.push({ kind: "invalid-url", name, value });
	}
	if (local || !reached) return problems;
	// Without it links follow each request's Host, and an answer cached for one address
	// (keyed by path) is served at the others: workers.dev links on the custom domain.
	if (publicUrl === "") problems.push({ kind: "missing", name: "PUBLIC_URL" });
	if (configured && configured.host !== reached.host)
		problems.push({ kind: "public-url-elsewhere", value: publicUrl, reachedAt: reached.origin });
	else if (configured && configured.protocol !== "https:")
		problems.push({ kind: "public-url-insecure", value: publicUrl });
	for (const [name, demo] of Object.entries(DEMO_VALUES)) {
		const value = env[name as keyof SettingsEnv]?.trim() ?? "";
		if (demo.includes(value)) problems.push({ kind: "demo-value", name, value });
	}
	return problems;
}
