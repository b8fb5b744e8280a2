import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * What a newsroom installs before `npm install` (README, "Run it") is what `engines` asks
 * for: README said Node.js ≥ 20 while `engines` asked for 22, and npm on Node 20 warned
 * EBADENGINE for the project itself (with `engine-strict`, it refused to install).
 */
const root = path.resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
	engines: { node: string };
	devDependencies: Record<string, string>;
};
const readme = readFileSync(path.join(root, "README.md"), "utf8");

describe("the Node.js README asks for", () => {
	it("is the one package.json's engines asks for, and the scripts' own Node is of it", () => {
		const engines = /^>=(\d+)$/.exec(pkg.engines.node)?.[1];
		expect(engines, pkg.engines.node).toBeDefined();
		const runIt = readme.slice(readme.indexOf("## Run it"));
		const needs = /Needs Node\.js (\d+) or later with npm/.exec(runIt)?.[1];
		expect(needs, runIt.slice(0, 200)).toBe(engines);
		expect(pkg.devDependencies.node).toMatch(new RegExp(`^\\^${engines}\\.`));
		expect(runIt.slice(0, 600)).toContain(`its own Node ${engines}`);
	});
});
