import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import {
	BADGE_STYLES,
	type BadgeStyle,
	badgeForStatus,
	MAX_ACCESSIBLE_TEXT_LENGTH,
	MAX_LABEL_LENGTH,
	NEUTRAL_COLOUR,
	renderBadge,
	sanitizeText,
} from "../../src/domain/badge";
import { CLAIM_STATUSES, describeStatus, UI_LANGUAGES } from "../../src/domain/ratings";
import { measureText } from "../../src/domain/text-width";

// --- a tiny XML tree over fast-xml-parser's ordered output ---------------------------------------

interface XmlNode {
	name: string;
	attrs: Record<string, string>;
	children: XmlNode[];
	text: string;
}

const parser = new XMLParser({
	preserveOrder: true,
	ignoreAttributes: false,
	attributeNamePrefix: "",
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
	allowBooleanAttributes: false,
});

type Ordered = Record<string, unknown>;

function toNodes(items: Ordered[]): XmlNode[] {
	const nodes: XmlNode[] = [];
	for (const item of items) {
		const name = Object.keys(item).find((k) => k !== ":@");
		if (name === undefined || name === "#text") continue;
		const children = toNodes((item[name] as Ordered[]) ?? []);
		const text = ((item[name] as Ordered[]) ?? [])
			.filter((c) => "#text" in c)
			.map((c) => String(c["#text"]))
			.join("");
		nodes.push({ name, attrs: (item[":@"] as Record<string, string>) ?? {}, children, text });
	}
	return nodes;
}

/** Parses a badge, asserting well-formedness and a single <svg> root. */
function parse(svg: string): XmlNode {
	expect(XMLValidator.validate(svg)).toBe(true);
	expect(svg.startsWith("<svg ")).toBe(true);
	const roots = toNodes(parser.parse(svg) as Ordered[]);
	expect(roots.map((r) => r.name)).toEqual(["svg"]);
	return roots[0] as XmlNode;
}

function* walk(node: XmlNode): Generator<XmlNode> {
	yield node;
	for (const child of node.children) yield* walk(child);
}

function find(root: XmlNode, name: string): XmlNode[] {
	return [...walk(root)].filter((n) => n.name === name);
}

const ALLOWED_ELEMENTS = new Set(["svg", "title", "linearGradient", "stop", "clipPath", "rect", "g", "text"]);
const ALLOWED_ATTRIBUTES = new Set([
	"xmlns",
	"width",
	"height",
	"viewBox",
	"role",
	"aria-label",
	"aria-hidden",
	"lang",
	"id",
	"x",
	"y",
	"x2",
	"y2",
	"offset",
	"stop-color",
	"stop-opacity",
	"rx",
	"clip-path",
	"fill",
	"fill-opacity",
	"text-anchor",
	"font-family",
	"font-size",
	"font-weight",
	"text-rendering",
	"shape-rendering",
	"transform",
	"textLength",
]);
/** Attribute values are numbers, allowlisted colours, fixed keywords or internal references. */
const NON_TEXT_ATTRIBUTE = /^(?:-?[\d.]+%?|#[0-9a-f]{6}|url\(#[\w-]+\)|[\w .,()-]+)$/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The structural safety contract every badge must satisfy, whatever went in. */
function assertInert(svg: string): XmlNode {
	const root = parse(svg);
	expect(svg).not.toMatch(/<script|<foreignObject|<!DOCTYPE|<!ENTITY|<\?|<!\[CDATA\[/i);
	// No control characters at all (XML 1.0 forbids most), no noncharacters, no lone surrogates.
	expect(svg).not.toMatch(/[\p{Cc}\uFFFE\uFFFF]/u);
	expect(svg).not.toMatch(LONE_SURROGATE);
	const title = find(root, "title");
	expect(title).toHaveLength(1);
	for (const node of walk(root)) {
		expect(ALLOWED_ELEMENTS, `element <${node.name}>`).toContain(node.name);
		for (const [name, value] of Object.entries(node.attrs)) {
			expect(ALLOWED_ATTRIBUTES, `attribute ${name} on <${node.name}>`).toContain(name);
			expect(name.toLowerCase().startsWith("on")).toBe(false);
			// aria-label is the accessible text, free text like the title, so it may say anything.
			if (name === "aria-label") {
				expect(value).toBe(title[0]?.text);
				continue;
			}
			expect(value.toLowerCase()).not.toContain("javascript:");
			if (name !== "xmlns" && name !== "font-family") expect(value).toMatch(NON_TEXT_ATTRIBUTE);
		}
	}
	expect(root.attrs.role).toBe("img");
	return root;
}

// --- expected metrics, computed independently of the renderer's layout ------------------------------

function flatWidth(text: string): number {
	const floored = Math.floor(measureText(text));
	return floored % 2 === 0 ? floored + 1 : floored;
}

function forTheBadgeWidth(text: string, bold: boolean): number {
	return Math.floor(measureText(text, { size: 10, bold })) + 1.25 * [...text].length;
}

function expectedTextWidth(style: BadgeStyle, text: string, part: "label" | "message"): number {
	return style === "for-the-badge"
		? forTheBadgeWidth(text.toUpperCase(), part === "message")
		: flatWidth(text);
}

const PADDING: Record<BadgeStyle, number> = { flat: 10, "flat-square": 10, "for-the-badge": 24 };
const HEIGHT: Record<BadgeStyle, number> = { flat: 20, "flat-square": 20, "for-the-badge": 28 };

/** The visible (non-shadow) text elements: label then message. */
function visibleTexts(root: XmlNode): XmlNode[] {
	return find(root, "text").filter((t) => t.attrs["aria-hidden"] !== "true");
}

/** The two coloured rects (label, message), excluding the clip shape and the gloss overlay. */
function partRects(root: XmlNode): XmlNode[] {
	const clip = new Set(find(root, "clipPath").flatMap((c) => c.children));
	return find(root, "rect").filter((r) => !clip.has(r) && !r.attrs.fill?.startsWith("url("));
}

describe("measureText", () => {
	it("matches anafanafo (the shields.io width tables) for the fonts the styles use", () => {
		// Reference values printed by anafanafo@2.0.0 in Node.
		expect(measureText("Fact check")).toBe(58.339999999999996);
		expect(measureText("Faktencheck")).toBe(68.75999999999999);
		expect(measureText("Größtenteils richtig")).toBe(105.67999999999998);
		expect(measureText("„Zitat“ – …")).toBe(59.65999999999999);
		expect(measureText("Łódź")).toBe(25.490000000000002);
		expect(measureText("FAKTENCHECK", { size: 10 })).toBe(74.20000000000002);
		expect(measureText("GRÖSSTENTEILS FALSCH", { size: 10, bold: true })).toBe(140.09);
		expect(measureText("IN PRÜFUNG", { size: 10, bold: true })).toBe(71.82);
	});

	it("gives every character outside the table a sensible width", () => {
		const m = measureText("m");
		expect(measureText("事实核查")).toBeCloseTo(4 * m, 6);
		expect(measureText("😀")).toBeCloseTo(m, 6);
		// Precomposed letters outside the table measure as their base letter.
		expect(measureText("ș")).toBe(measureText("s"));
		expect(measureText("ễ")).toBe(measureText("e"));
		// anafanafo's data lacks ÿ (it would guess "m"); the table patches it to y's width.
		expect(measureText("ÿ")).toBe(measureText("y"));
		// Marks, joiners and controls take no room.
		expect(measureText("e\u0301\u200b\u200d\u0007")).toBe(measureText("e"));
		// Other scripts land between "i" and "m".
		const cyrillic = measureText("Проверка") / 8;
		expect(cyrillic).toBeGreaterThan(measureText("i"));
		expect(cyrillic).toBeLessThan(m);
		// Sizes without a table scale linearly.
		expect(measureText("Fact", { size: 22 })).toBeCloseTo(2 * measureText("Fact"), 9);
	});
});

describe("renderBadge geometry", () => {
	it("reproduces badge-maker's flat badge to the pixel", () => {
		const { svg, width, height } = renderBadge({
			label: "Fact check",
			message: "False",
			colour: "#b91c1c",
			accessibleText: "Fact check: False",
		});
		expect([width, height]).toEqual([108, 20]);
		const root = parse(svg);
		expect(partRects(root).map((r) => [r.attrs.x ?? "0", r.attrs.width])).toEqual([
			["0", "69"],
			["69", "39"],
		]);
		expect(visibleTexts(root).map((t) => [t.attrs.x, t.attrs.textLength])).toEqual([
			["355", "590"],
			["875", "290"],
		]);
	});

	it("reproduces badge-maker's for-the-badge badge, letter spacing included", () => {
		const { svg, width, height } = badgeForStatus("mostly-false", "de", { style: "for-the-badge" });
		expect([width, height]).toEqual([300.75, 28]);
		const root = parse(svg);
		expect(partRects(root).map((r) => r.attrs.width)).toEqual(["111.75", "189"]);
		expect(visibleTexts(root).map((t) => [t.text, t.attrs.x, t.attrs.textLength])).toEqual([
			["FAKTENCHECK", "558.75", "877.5"],
			["GRÖSSTENTEILS FALSCH", "2062.5", "1650"],
		]);
	});

	it("reproduces badge-maker's flat-square badge", () => {
		const root = parse(badgeForStatus("in-review", "de", { style: "flat-square" }).svg);
		expect(partRects(root).map((r) => r.attrs.width)).toEqual(["79", "69"]);
		expect(visibleTexts(root).map((t) => [t.attrs.x, t.attrs.textLength])).toEqual([
			["405", "690"],
			["1125", "590"],
		]);
	});
});

describe("badgeForStatus", () => {
	for (const style of BADGE_STYLES) {
		for (const lang of UI_LANGUAGES) {
			it(`renders every status as a ${style} badge in ${lang}`, () => {
				const label = lang === "en" ? "Fact check" : "Faktencheck";
				for (const status of CLAIM_STATUSES) {
					const { label: message, colour } = describeStatus(status, lang);
					const badge = badgeForStatus(status, lang, { style });
					const root = assertInert(badge.svg);

					expect(root.attrs.lang).toBe(lang);
					expect(root.attrs["aria-label"]).toBe(`${label}: ${message}`);
					expect(find(root, "title")[0]?.text).toBe(`${label}: ${message}`);

					const texts = visibleTexts(root);
					const shown =
						style === "for-the-badge" ? [label.toUpperCase(), message.toUpperCase()] : [label, message];
					expect(texts.map((t) => t.text)).toEqual(shown);
					if (style === "flat") expect(find(root, "text")).toHaveLength(4);

					// textLength pins each text to its measured width; the rect adds the padding.
					const labelWidth = expectedTextWidth(style, label, "label");
					const messageWidth = expectedTextWidth(style, message, "message");
					expect(texts.map((t) => Number(t.attrs.textLength))).toEqual([10 * labelWidth, 10 * messageWidth]);
					const rects = partRects(root);
					expect(rects.map((r) => Number(r.attrs.width))).toEqual([
						labelWidth + PADDING[style],
						messageWidth + PADDING[style],
					]);
					expect(rects.map((r) => r.attrs.fill)).toEqual(["#555555", colour]);
					expect(Number(rects[1]?.attrs.x)).toBe(labelWidth + PADDING[style]);
					expect(badge.width).toBe(labelWidth + messageWidth + 2 * PADDING[style]);
					expect(badge.height).toBe(HEIGHT[style]);
					expect(Number(root.attrs.width)).toBe(badge.width);
					expect(root.attrs.viewBox).toBe(`0 0 ${badge.width} ${badge.height}`);

					// Each text is centred in its part (badge-maker nudges by 1px), so it cannot overflow.
					texts.forEach((text, i) => {
						const rect = rects[i] as XmlNode;
						const centre = Number(rect.attrs.x ?? 0) + Number(rect.attrs.width) / 2;
						expect(Math.abs(Number(text.attrs.x) / 10 - centre)).toBeLessThanOrEqual(1);
						expect(text.attrs.transform).toBe("scale(.1)");
					});
					// Every rating colour is meant for white text (ratings.ts guarantees the contrast).
					expect(texts[1]?.attrs.fill).toBe("#ffffff");
				}
			});
		}
	}

	it("names the speaker in the accessible text only", () => {
		const en = parse(badgeForStatus("false", "en", { speakerName: "Choe Son-hui" }).svg);
		expect(en.attrs["aria-label"]).toBe("Fact check: False — Claim by Choe Son-hui");
		expect(find(en, "title")[0]?.text).toBe("Fact check: False — Claim by Choe Son-hui");
		expect(visibleTexts(en).map((t) => t.text)).toEqual(["Fact check", "False"]);
		const de = parse(badgeForStatus("false", "de", { speakerName: "Choe Son-hui" }).svg);
		expect(de.attrs["aria-label"]).toBe("Faktencheck: Falsch — Behauptung von Choe Son-hui");
		const none = parse(badgeForStatus("false", "en", { speakerName: null }).svg);
		expect(none.attrs["aria-label"]).toBe("Fact check: False");
	});

	it("names another publisher whose check it is in the accessible text, escaped", () => {
		const opts = { speakerName: "Choe Son-hui", checkedBy: "Correctiv <&> \u202Eevil" };
		const en = parse(badgeForStatus("false", "en", opts).svg);
		expect(en.attrs["aria-label"]).toBe(
			"Fact check (checked by Correctiv <&> evil): False — Claim by Choe Son-hui",
		);
		expect(visibleTexts(en).map((t) => t.text)).toEqual(["Fact check", "False"]);
		expect(badgeForStatus("false", "en", opts).svg).not.toContain("<&>");
		const de = parse(badgeForStatus("false", "de", { checkedBy: "Correctiv" }).svg);
		expect(de.attrs["aria-label"]).toBe("Faktencheck (geprüft von Correctiv): Falsch");
		const notFound = parse(badgeForStatus(null, "en", { checkedBy: "Correctiv", notFound: true }).svg);
		expect(notFound.attrs["aria-label"]).toBe("Fact check: not found");
	});

	it("renders a neutral 'not found' badge in both languages and every style", () => {
		for (const style of BADGE_STYLES) {
			for (const [lang, label, message] of [
				["en", "Fact check", "not found"],
				["de", "Faktencheck", "nicht gefunden"],
			] as const) {
				const root = assertInert(badgeForStatus(null, lang, { style, notFound: true }).svg);
				expect(root.attrs["aria-label"]).toBe(`${label}: ${message}`);
				expect(partRects(root)[1]?.attrs.fill).toBe(NEUTRAL_COLOUR);
				// Light grey needs dark text to stay readable.
				expect(visibleTexts(root)[1]?.attrs.fill).toBe("#333333");
			}
		}
		const flagged = parse(badgeForStatus("true", "en", { notFound: true }).svg);
		expect(flagged.attrs["aria-label"]).toBe("Fact check: not found");
	});

	it("takes a label override, falls back on a blank one and caps a long one with an ellipsis", () => {
		const custom = parse(badgeForStatus("false", "de", { label: "Correctiv prüft" }).svg);
		expect(visibleTexts(custom)[0]?.text).toBe("Correctiv prüft");
		expect(custom.attrs["aria-label"]).toBe("Correctiv prüft: Falsch");
		expect(Number(partRects(custom)[0]?.attrs.width)).toBe(flatWidth("Correctiv prüft") + 10);

		const blank = parse(badgeForStatus("false", "de", { label: " \n\t " }).svg);
		expect(visibleTexts(blank)[0]?.text).toBe("Faktencheck");

		const long = "Ein sehr langer Bezeichner, der gekürzt werden muss, weil er zu lang ist";
		const capped = parse(badgeForStatus("false", "de", { label: long }).svg);
		const shown = visibleTexts(capped)[0]?.text ?? "";
		expect([...shown]).toHaveLength(MAX_LABEL_LENGTH);
		expect(shown.endsWith("…")).toBe(true);
		expect(long.startsWith(shown.slice(0, -1))).toBe(true);
		expect(Number(visibleTexts(capped)[0]?.attrs.textLength)).toBe(10 * flatWidth(shown));
	});

	it("falls back to flat for an unknown style", () => {
		const style = 'plastic"><script>alert(1)</script>' as BadgeStyle;
		const badge = badgeForStatus("false", "en", { style });
		expect(badge.svg).toBe(badgeForStatus("false", "en").svg);
	});
});

describe("hostile input", () => {
	const CONTROL_CHARS = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join("");
	const CORPUS = [
		"</text><script>alert(1)</script>",
		'"><svg onload=alert(1)>',
		"' onmouseover='alert(1)",
		"&lt;",
		"&#x3C;script&#x3E;",
		"&amp;&#0;&bogus;",
		"javascript:alert(1)",
		`a${CONTROL_CHARS}b\u007f\u0085\u009f`,
		"\ud800",
		"x\udfffy\ud83d",
		"\uFFFE\uFFFF",
		"\u202eeslaF\u202c",
		"\u2066isolate\u2069",
		"L".repeat(5000),
		"<foreignObject><body xmlns='http://www.w3.org/1999/xhtml'><iframe src='javascript:alert(1)'/></body></foreignObject>",
		"<![CDATA[x]]><!DOCTYPE svg [<!ENTITY a 'b'>]>&a;",
		"]]>",
		"<?xml-stylesheet href='javascript:alert(1)'?>",
		"url(javascript:alert(1))",
		"事实核查 😀 \u0301",
		"",
	];

	it("keeps every corpus string inert in every position and style", () => {
		for (const style of BADGE_STYLES) {
			for (const input of CORPUS) {
				const badge = renderBadge({
					label: input,
					message: input,
					colour: input,
					labelColour: input,
					accessibleText: input,
					style,
				});
				const root = assertInert(badge.svg);
				expect(Number.isFinite(badge.width) && badge.width > 0).toBe(true);
				// Whatever survived sanitising comes back verbatim as text: nothing was interpreted.
				const expectedLabel = sanitizeText(input, MAX_LABEL_LENGTH);
				const shown = style === "for-the-badge" ? expectedLabel.toUpperCase() : expectedLabel;
				if (expectedLabel) expect(visibleTexts(root)[0]?.text).toBe(shown);
				expect(root.attrs["aria-label"]).toBe(sanitizeText(input, MAX_ACCESSIBLE_TEXT_LENGTH));
				// Colours outside the #rrggbb allowlist never reach an attribute.
				expect(partRects(root).at(-1)?.attrs.fill).toBe(NEUTRAL_COLOUR);

				const viaStatus = badgeForStatus("false", "en", { style, label: input, speakerName: input });
				assertInert(viaStatus.svg);
			}
		}
	});

	it("strips controls and bidi overrides, repairs surrogates and escapes markup", () => {
		expect(sanitizeText(`a${CONTROL_CHARS}b\u007f\u0085`, 40)).toBe("a b");
		expect(sanitizeText("\ud800", 40)).toBe("\uFFFD");
		expect(sanitizeText("x\udfffy\ud83d", 40)).toBe("x\uFFFDy\uFFFD");
		expect(sanitizeText("ok \ud83d\ude00", 40)).toBe("ok \ud83d\ude00");
		expect(sanitizeText("\u202eeslaF\u202c", 40)).toBe("eslaF");
		expect(sanitizeText("  spaced \n out  ", 40)).toBe("spaced out");
		expect(sanitizeText("Cafe\u0301", 40)).toBe("Café");

		const svg = renderBadge({
			label: "</text><script>alert(1)</script>",
			message: "&lt;",
			colour: "#B91C1C",
			accessibleText: '"><svg onload=alert(1)>',
		}).svg;
		expect(svg).toContain(">&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;</text>");
		expect(svg).toContain(">&amp;lt;</text>");
		expect(svg).toContain('aria-label="&quot;&gt;&lt;svg onload=alert(1)&gt;"');
		expect(svg).toContain('fill="#b91c1c"');
	});

	it("caps 5,000-character input", () => {
		const huge = "Ä".repeat(5000);
		const badge = renderBadge({ label: huge, message: huge, colour: "#123456", accessibleText: huge });
		const root = assertInert(badge.svg);
		for (const text of visibleTexts(root)) {
			expect([...text.text]).toHaveLength(MAX_LABEL_LENGTH);
			expect(text.text.endsWith("…")).toBe(true);
		}
		expect([...(root.attrs["aria-label"] ?? "")]).toHaveLength(MAX_ACCESSIBLE_TEXT_LENGTH);
		expect(badge.svg.length).toBeLessThan(3000);
		// An astral character is never split into a lone surrogate by the cut.
		const emoji = renderBadge({
			label: "😀".repeat(5000),
			message: "x",
			colour: "#123456",
			accessibleText: "",
		});
		expect(emoji.svg).not.toMatch(LONE_SURROGATE);
	});

	it("stays well-formed and inert for arbitrary strings", () => {
		const text = fc.oneof(
			fc.string({ unit: "binary", maxLength: 80 }),
			fc
				.array(fc.constantFrom("<", ">", "&", '"', "'", "\ud800", "\udc00", "\u0000", "\u202e", "on", "a"), {
					maxLength: 40,
				})
				.map((parts) => parts.join("")),
		);
		fc.assert(
			fc.property(
				text,
				text,
				text,
				fc.constantFrom(...BADGE_STYLES),
				(label, message, accessibleText, style) => {
					assertInert(renderBadge({ label, message, colour: "#123456", accessibleText, style }).svg);
				},
			),
			{ numRuns: 300 },
		);
	});
});
