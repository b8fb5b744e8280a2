/**
 * Renders fact-check badges to PNG for eye-checking text fit: every style, a few ratings, both
 * languages, plus stress labels (long, typographic quotes, injection text, CJK).
 *
 *   npx tsx scripts/render-badge-pngs.ts [outDir]    # default /tmp/badges
 *
 * Writes one PNG per badge at 4× zoom and overview-<style>.png with all of a style's badges
 * stacked. resvg only sees the fonts installed here; without Verdana it falls back along the
 * badge's font-family list (Geneva, DejaVu Sans, sans-serif), and textLength stretches or
 * squeezes that font to Verdana's measured width. PNGs are scratch output: never commit them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { BADGE_STYLES, type BadgeStyle, badgeForStatus, type RenderedBadge } from "../src/domain/badge";
import { type ClaimStatus, UI_LANGUAGES } from "../src/domain/ratings";

const outDir = process.argv[2] ?? "/tmp/badges";
const ZOOM = 4;

const STATUSES: readonly ClaimStatus[] = [
	"false",
	"mostly-true",
	"missing-context",
	"in-review",
	"unverified",
];
const EXTRA_LABELS: readonly { name: string; label: string }[] = [
	{ name: "quotes", label: "„Correctiv“ – Faktencheck…" },
	{ name: "long", label: "Ein sehr langer Bezeichner, der gekürzt werden muss, weil er zu lang ist" },
	{ name: "injection", label: '</text><script>alert(1)</script>"><svg onload=alert(1)>' },
	{ name: "cyrillic", label: "Перевірка фактів" },
	{ name: "cjk", label: "事实核查" },
	{ name: "vietnamese", label: "Kiểm chứng" },
	{ name: "narrow-wide", label: "iiiiiiii WWWWWWWW" },
];

function toPng(svg: string): Buffer {
	const resvg = new Resvg(svg, { fitTo: { mode: "zoom", value: ZOOM }, background: "#ffffff" });
	return resvg.render().asPng();
}

function overview(badges: readonly RenderedBadge[]): string {
	const gap = 6;
	let y = gap;
	let width = 0;
	const rows = badges.map((badge) => {
		// A nested <svg> with x/y places each badge without touching its own coordinates.
		const row = badge.svg.replace("<svg ", `<svg x="${gap}" y="${y}" `);
		y += badge.height + gap;
		width = Math.max(width, badge.width + 2 * gap);
		return row;
	});
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}">${rows.join("")}</svg>`;
}

mkdirSync(outDir, { recursive: true });
let written = 0;
for (const style of BADGE_STYLES as readonly BadgeStyle[]) {
	const badges: RenderedBadge[] = [];
	const write = (name: string, badge: RenderedBadge) => {
		writeFileSync(path.join(outDir, `${style}-${name}.png`), toPng(badge.svg));
		badges.push(badge);
		written++;
	};
	for (const lang of UI_LANGUAGES) {
		for (const status of STATUSES) write(`${status}-${lang}`, badgeForStatus(status, lang, { style }));
		write(`not-found-${lang}`, badgeForStatus(null, lang, { style, notFound: true }));
	}
	for (const { name, label } of EXTRA_LABELS)
		write(name, badgeForStatus("half-true", "de", { style, label }));
	writeFileSync(path.join(outDir, `overview-${style}.png`), toPng(overview(badges)));
}
console.error(`wrote ${written} badge PNGs and ${BADGE_STYLES.length} overviews to ${outDir}`);
