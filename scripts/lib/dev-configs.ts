import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

/** wrangler.toml first: the Worker `wrangler dev` serves on its port; the desk Worker runs behind it. */
const CONFIGS = ["wrangler.toml", "wrangler.desk.toml"];

/**
 * `wrangler dev` arguments that run both Workers in one process with extra variables.
 * Wrangler gives `--var` and `--env-file` to the first Worker only, while a `.dev.vars`
 * beside a configuration file reaches its Worker: so both files are copied into a
 * directory of their own (their paths made absolute) with one `.dev.vars` for both.
 * State stays in `.wrangler/state` of the project (where the scripts read it) unless
 * the caller passes `--persist-to` itself.
 */
export function devServerArgs(vars: Record<string, string>): string[] {
	const dir = mkdtempSync(path.join(tmpdir(), "claimtrack-dev-"));
	const args: string[] = [];
	for (const file of CONFIGS) {
		const text = readFileSync(path.join(root, file), "utf8").replace(
			/^(main|migrations_dir)\s*=\s*"([^"]+)"/gm,
			(_line, key: string, value: string) => `${key} = ${JSON.stringify(path.join(root, value))}`,
		);
		writeFileSync(path.join(dir, file), text);
		args.push("-c", path.join(dir, file));
	}
	const lines = Object.entries(vars).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
	writeFileSync(path.join(dir, ".dev.vars"), `${lines.join("\n")}\n`);
	return args;
}
