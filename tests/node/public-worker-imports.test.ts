import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The public Worker's bundle must stay under 150 KiB gzip (#14; `npm run bench` measures it),
 * and the desk's modules are what would take it past: its dictionary and table of messages
 * (views/desk), the claim matcher. A read's problem+json once translated its messages with the
 * desk's table and the bundle went from 140 to 171 KiB, which no test saw. So: the modules the
 * public entry reaches by value imports (type-only imports vanish in the build).
 */
const root = path.resolve(import.meta.dirname, "../..");

function resolveImport(from: string, specifier: string): string | null {
	const base = path.resolve(path.dirname(from), specifier);
	for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), base])
		if (existsSync(candidate) && /\.tsx?$/.test(candidate)) return candidate;
	return null;
}

function reachable(entry: string): Set<string> {
	const seen = new Set<string>();
	const visit = (file: string) => {
		if (seen.has(file)) return;
		seen.add(file);
		const text = readFileSync(file, "utf8");
		for (const match of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+"(\.[^"]+)"/gms)) {
			const target = resolveImport(file, match[1] ?? "");
			if (target) visit(target);
		}
	};
	visit(path.join(root, entry));
	return new Set([...seen].map((file) => path.relative(root, file)));
}

describe("the public Worker's modules", () => {
	it("never include the desk's views, routes or the claim matcher", () => {
		const modules = reachable("src/public-worker.ts");
		// The walk itself works: it reaches what every public answer needs.
		expect(modules).toContain("src/lib/error-handler.tsx");
		expect(modules).toContain("src/views/i18n.ts");
		const desk = [...modules].filter(
			(file) =>
				file.startsWith("src/views/desk/") ||
				file.startsWith("src/routes/desk/") ||
				file === "src/domain/claim-matching.ts",
		);
		expect(desk).toEqual([]);
	});
});
