/**
 * Text width in Verdana, the way shields.io sizes badges: per-character advance widths from
 * anafanafo's tables, summed. The table (verdana-widths.ts) is a generated subset; characters
 * outside it get a rule-based width, so any text has a width and none of it needs I/O.
 */
import { BOLD10, NORMAL10, NORMAL11, type WidthTable } from "./verdana-widths";

export interface MeasureOptions {
	bold?: boolean;
	/** Font size in pixels; 11 unless given. */
	size?: number;
}

interface DecodedTable {
	blocks: { start: number; end: number; widths: number[] }[];
	em: number;
	en: number;
}

const decoded = new WeakMap<WidthTable, DecodedTable>();

function decode(table: WidthTable): DecodedTable {
	const cached = decoded.get(table);
	if (cached) return cached;
	// Dividing hundredths by 100 yields exactly the doubles anafanafo parses from its JSON, so sums
	// (and the integer widths floored from them) agree with badge-maker to the last bit.
	const blocks = table.blocks.map(({ start, widths }) => {
		const px = widths.split(",").map((w) => Number(w) / 100);
		return { start, end: start + px.length - 1, widths: px };
	});
	const lookup = (cp: number) => lookupIn(blocks, cp) ?? 0;
	const result = { blocks, em: lookup(0x6d), en: lookup(0x6e) };
	decoded.set(table, result);
	return result;
}

function lookupIn(blocks: DecodedTable["blocks"], cp: number): number | undefined {
	for (const block of blocks) {
		if (cp >= block.start && cp <= block.end) return block.widths[cp - block.start];
	}
	return undefined;
}

/** East Asian wide and fullwidth ranges and emoji: rendered about one em wide by fallback fonts. */
const WIDE_RANGES: readonly [number, number][] = [
	[0x1100, 0x115f],
	[0x2e80, 0xa4cf],
	[0xac00, 0xd7a3],
	[0xf900, 0xfaff],
	[0xfe30, 0xfe4f],
	[0xff00, 0xff60],
	[0xffe0, 0xffe6],
	[0x1f000, 0x1faff],
	[0x20000, 0x3fffd],
];

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;

function widthOfChar(table: DecodedTable, char: string): number {
	const cp = char.codePointAt(0) ?? 0;
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return 0;
	const known = lookupIn(table.blocks, cp);
	if (known !== undefined) return known;
	// A lone surrogate renders as the replacement character.
	if (cp >= 0xd800 && cp <= 0xdfff) return lookupIn(table.blocks, 0xfffd) ?? table.em;
	if (ZERO_WIDTH.test(char)) return 0;
	// Precomposed letters outside the table (ș, ễ, й) are as wide as their base letter in Verdana.
	const base = char.normalize("NFD").codePointAt(0);
	if (base !== undefined && base !== cp) {
		const baseWidth = lookupIn(table.blocks, base);
		if (baseWidth !== undefined) return baseWidth;
	}
	for (const [first, last] of WIDE_RANGES) if (cp >= first && cp <= last) return table.em;
	if (PICTOGRAPHIC.test(char)) return table.em;
	// Letters of other scripts (Greek, Cyrillic, Hebrew, Arabic, …) average close to "n" in the
	// fallback fonts; "m", anafanafo's guess, would leave visible gaps between them.
	return table.en;
}

function tableFor(bold: boolean, size: number): { table: WidthTable; baseSize: number } {
	if (bold) return { table: BOLD10, baseSize: 10 };
	// 10px Verdana is not 11px scaled (hinting differs), so use the measured table when it exists.
	if (size === 10) return { table: NORMAL10, baseSize: 10 };
	return { table: NORMAL11, baseSize: 11 };
}

/**
 * Width in pixels of `text` in Verdana at `size` px (default 11), as anafanafo computes it for
 * 11px normal, 10px normal and 10px bold; other sizes scale the nearest table linearly.
 */
export function measureText(text: string, options: MeasureOptions = {}): number {
	const size = options.size ?? 11;
	const { table, baseSize } = tableFor(options.bold ?? false, size);
	const decodedTable = decode(table);
	let width = 0;
	for (const char of text) width += widthOfChar(decodedTable, char);
	return size === baseSize ? width : (width * size) / baseSize;
}
