import { describe, expect, it } from "vitest";
import { APP_CSS } from "../../src/views/styles";

/**
 * A text field's border is how a sighted user finds the field at all: WCAG 1.4.11 asks 3:1
 * against what is beside it. It was drawn in --line (1.45:1 light, 1.92:1 dark).
 */

function luminance(hex: string): number {
	const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
	const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [
		number,
		number,
		number,
	];
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
	return (hi + 0.05) / (lo + 0.05);
}

/** The custom properties of a `:root{…}` block of the stylesheet. */
function variables(block: string): Record<string, string> {
	const long = (hex: string) => (hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join("")}` : hex);
	return Object.fromEntries(
		[...block.matchAll(/--([a-z-]+):(#[0-9a-f]{6}|#[0-9a-f]{3})\b/gi)].map((m) => [m[1], long(m[2] ?? "")]),
	);
}

const light = variables(/(?:^|\n):root\{([^}]*)\}/.exec(APP_CSS)?.[1] ?? "");
const dark = variables(/@media \(prefers-color-scheme:dark\)\{:root\{([^}]*)\}/.exec(APP_CSS)?.[1] ?? "");

describe("form controls' borders", () => {
	it("are drawn in --control, not in the dividers' --line", () => {
		const rule = /(?:^|\n)input,select,textarea\{([^}]*)\}/.exec(APP_CSS)?.[1] ?? "";
		expect(rule).toContain("border:1px solid var(--control)");
	});

	for (const [scheme, colours] of [
		["light", light],
		["dark", dark],
	] as const) {
		it(`contrast 3:1 with the page and the cards in the ${scheme} scheme`, () => {
			const control = colours.control;
			expect(control, `--control in the ${scheme} scheme`).toMatch(/^#[0-9a-f]{6}$/i);
			for (const background of ["bg", "card"]) {
				const against = colours[background] ?? "";
				expect(against).toMatch(/^#[0-9a-f]{6}$/i);
				expect(contrast(control ?? "", against), `--control on --${background}`).toBeGreaterThanOrEqual(3);
			}
		});
	}
});
