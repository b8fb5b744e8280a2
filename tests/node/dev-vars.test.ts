import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { unstable_getVarsForDev } from "wrangler";
import { devServerArgs, devVars } from "../../scripts/lib/dev-configs";

/*
 * `npm start` runs both Workers from copies of their configurations (scripts/lib/dev-configs),
 * and wrangler gives each the `.dev.vars` beside its configuration: the copies' own. The
 * admin it prints is hashed with the PASSWORD_PEPPER the desk Worker checks logins with, so
 * that pepper must reach the Workers exactly. What they get is read here as `wrangler dev`
 * reads it (wrangler's own getVarsForDev).
 */

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project directory of its own, with this `.dev.vars` (or none). */
function project(devVarsFile?: string): string {
	const dir = mkdtempSync(path.join(tmpdir(), "claimtrack-project-"));
	dirs.push(dir);
	if (devVarsFile !== undefined) writeFileSync(path.join(dir, ".dev.vars"), devVarsFile);
	return dir;
}

/** What each dev Worker (public, desk) gets from the directory `devServerArgs` wrote. */
function workersSee(vars: Record<string, string>): Record<string, unknown>[] {
	const args = devServerArgs(vars);
	const configs = args.filter((_, i) => args[i - 1] === "-c");
	expect(configs.map((file) => path.basename(file))).toEqual(["wrangler.toml", "wrangler.desk.toml"]);
	dirs.push(path.dirname(configs[0] ?? ""));
	return configs.map((config) =>
		Object.fromEntries(
			Object.entries(unstable_getVarsForDev(config, undefined, {}, undefined, true)).map(
				([name, binding]) => [name, (binding as { value: unknown }).value],
			),
		),
	);
}

describe("npm start's variables reach both dev Workers", () => {
	it("exactly as given, whatever characters a pepper has", () => {
		for (const pepper of ['a\\b"c', "it's $HOME # not a comment", "`tick` and 'quote'", " spaced "]) {
			for (const seen of workersSee({ PASSWORD_PEPPER: pepper, PUBLIC_URL: "http://localhost:8787" })) {
				expect(seen.PASSWORD_PEPPER, pepper).toBe(pepper);
				expect(seen.PUBLIC_URL).toBe("http://localhost:8787");
			}
		}
	});

	it("PASSWORD_PEPPER from the environment (PASSWORD_PEPPER=x npm start)", () => {
		const vars = devVars({}, { PASSWORD_PEPPER: "from-env" }, project());
		expect(vars.PASSWORD_PEPPER).toBe("from-env");
		for (const seen of workersSee(vars)) expect(seen.PASSWORD_PEPPER).toBe("from-env");
	});

	it("the project's .dev.vars, as the CLIs read it (before the environment), and --var over both", () => {
		const dir = project('PASSWORD_PEPPER="from-file"\nOTHER=kept\n');
		const vars = devVars({}, { PASSWORD_PEPPER: "from-env" }, dir);
		expect(vars).toMatchObject({ PASSWORD_PEPPER: "from-file", OTHER: "kept" });
		for (const seen of workersSee(vars))
			expect(seen).toMatchObject({ PASSWORD_PEPPER: "from-file", OTHER: "kept" });
		expect(devVars({ PASSWORD_PEPPER: "passed" }, { PASSWORD_PEPPER: "from-env" }, dir).PASSWORD_PEPPER).toBe(
			"passed",
		);
	});

	it("no pepper where none is set", () => {
		const vars = devVars({ ALLOW_LOOPBACK_OUTBOUND: "true" }, {}, project());
		expect(vars).toEqual({ ALLOW_LOOPBACK_OUTBOUND: "true", PUBLIC_URL: "http://localhost:8787" });
		for (const seen of workersSee(vars)) expect(seen.PASSWORD_PEPPER).toBeUndefined();
	});

	it("PUBLIC_URL on the port it serves (PORT=18787 npm start), unless a file or --var sets one", () => {
		const vars = devVars({}, { PORT: "18787" }, project());
		for (const seen of workersSee(vars)) expect(seen.PUBLIC_URL).toBe("http://localhost:18787");
		expect(devVars({}, {}, project()).PUBLIC_URL).toBe("http://localhost:8787");
		const fromFile = project('PUBLIC_URL="http://claimtrack.localhost:18787"\n');
		expect(devVars({}, { PORT: "18787" }, fromFile).PUBLIC_URL).toBe("http://claimtrack.localhost:18787");
		expect(devVars({ PUBLIC_URL: "http://127.0.0.1:9000" }, { PORT: "18787" }, project()).PUBLIC_URL).toBe(
			"http://127.0.0.1:9000",
		);
	});
});
