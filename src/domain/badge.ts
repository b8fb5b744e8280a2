/**
 * Embeddable fact-check badges ("Fact check | False"), drawn like shields.io's so they sit well
 * next to other README and CMS badges. Pure: strings in, SVG out, safe for any caller string.
 *
 * The geometry follows badge-maker 6 (same text widths, paddings and pixel offsets); the output
 * uses only svg, title, linearGradient, stop, clipPath, rect, g and text so it stays inert when
 * inlined into a page or opened directly.
 */
import { type ClaimStatus, describeStatus, UI_LANGUAGES, type UiLanguage } from "./ratings";
import { measureText } from "./text-width";

export const BADGE_STYLES = ["flat", "flat-square", "for-the-badge"] as const;
export type BadgeStyle = (typeof BADGE_STYLES)[number];

/** Longest label override and message, in code points; longer text ends in "…". */
export const MAX_LABEL_LENGTH = 40;
const MAX_MESSAGE_LENGTH = 40;
/** Long enough for "Faktencheck: Größtenteils falsch — Behauptung von <long name>". */
export const MAX_ACCESSIBLE_TEXT_LENGTH = 200;
const MAX_SPEAKER_NAME_LENGTH = 80;

/** For colours that fail the allowlist and for "not found"; dark text keeps it readable. */
export const NEUTRAL_COLOUR = "#9f9f9f";
const DEFAULT_LABEL_COLOUR = "#555555";

const DEFAULT_LABEL: Record<UiLanguage, string> = { en: "Fact check", de: "Faktencheck" };
const NOT_FOUND: Record<UiLanguage, string> = { en: "not found", de: "nicht gefunden" };
const CLAIM_BY: Record<UiLanguage, string> = { en: "Claim by", de: "Behauptung von" };
const CHECKED_BY: Record<UiLanguage, string> = { en: "checked by", de: "geprüft von" };

export interface BadgeSpec {
	label: string;
	message: string;
	/** `#rrggbb`; anything else renders in NEUTRAL_COLOUR. */
	colour: string;
	/** Full text for `<title>` and `aria-label`, e.g. "Fact check: False — Claim by Choe Son-hui". */
	accessibleText: string;
	style?: BadgeStyle;
	labelColour?: string;
	/** Language of the text, so screen readers pronounce "Falsch" as German. */
	lang?: UiLanguage;
}

export interface RenderedBadge {
	svg: string;
	width: number;
	height: number;
}

export interface StatusBadgeOptions {
	style?: BadgeStyle;
	/** Replaces "Fact check"; blank falls back to it. */
	label?: string;
	speakerName?: string | null;
	/** Another publisher whose fact-check the rating is (imported); absent or null: ours. */
	checkedBy?: string | null;
	notFound?: boolean;
}

export function isBadgeStyle(value: unknown): value is BadgeStyle {
	return typeof value === "string" && (BADGE_STYLES as readonly string[]).includes(value);
}

/** The badge for a claim's status (or for a claim that does not exist) in a UI language. */
export function badgeForStatus(
	status: ClaimStatus | null,
	lang: UiLanguage,
	opts: StatusBadgeOptions = {},
): RenderedBadge {
	const label = sanitizeText(opts.label ?? "", MAX_LABEL_LENGTH) || DEFAULT_LABEL[lang];
	const described =
		opts.notFound || status === null
			? { label: NOT_FOUND[lang], colour: NEUTRAL_COLOUR }
			: describeStatus(status, lang);
	const message = described.label;
	const colour = described.colour;
	const speaker = sanitizeText(opts.speakerName ?? "", MAX_SPEAKER_NAME_LENGTH);
	const checker = opts.notFound ? "" : sanitizeText(opts.checkedBy ?? "", MAX_SPEAKER_NAME_LENGTH);
	// "Fact check (checked by Correctiv): False — Claim by …": whose rating it is, then whose claim.
	const rated = checker ? `${label} (${CHECKED_BY[lang]} ${checker}): ${message}` : `${label}: ${message}`;
	const accessibleText = speaker ? `${rated} — ${CLAIM_BY[lang]} ${speaker}` : rated;
	return renderBadge({
		label,
		message,
		colour,
		accessibleText,
		style: isBadgeStyle(opts.style) ? opts.style : "flat",
		lang,
	});
}

export function renderBadge(spec: BadgeSpec): RenderedBadge {
	const style = isBadgeStyle(spec.style) ? spec.style : "flat";
	const content: BadgeContent = {
		label: sanitizeText(spec.label, MAX_LABEL_LENGTH),
		message: sanitizeText(spec.message, MAX_MESSAGE_LENGTH),
		colour: allowedColour(spec.colour) ?? NEUTRAL_COLOUR,
		labelColour: allowedColour(spec.labelColour) ?? DEFAULT_LABEL_COLOUR,
	};
	const layout = style === "for-the-badge" ? forTheBadgeLayout(content) : flatLayout(content, style);
	const accessibleText = sanitizeText(spec.accessibleText, MAX_ACCESSIBLE_TEXT_LENGTH);
	const width = layout.leftWidth + layout.rightWidth;
	const svgAttrs: Attrs = {
		xmlns: "http://www.w3.org/2000/svg",
		width,
		height: layout.height,
		viewBox: `0 0 ${num(width)} ${layout.height}`,
		role: "img",
		"aria-label": accessibleText,
		lang: UI_LANGUAGES.find((lang) => lang === spec.lang),
	};
	const body = style === "flat" ? flatBackground(layout, content) : squareBackground(layout, content);
	const svg = el(
		"svg",
		svgAttrs,
		el("title", {}, escapeXml(accessibleText)) + body + foreground(layout, content),
	);
	return { svg, width, height: layout.height };
}

// --- text hygiene --------------------------------------------------------------------------------

/**
 * Makes caller text safe and sensible to draw: lone surrogates and XML-forbidden noncharacters
 * become U+FFFD, control characters go (line breaks and tabs count as spaces), explicit bidi
 * overrides go (they could make "eslaF" read as "False"), whitespace collapses, and text longer
 * than `max` code points is cut with "…". Escaping happens later, at serialisation.
 */
export function sanitizeText(input: string, max: number): string {
	// Untyped callers (query strings, JSON) may hand over anything; it renders as nothing.
	const text = typeof input === "string" ? input : "";
	// Bounds the regex work on huge input; the ellipsis below still marks the cut.
	const bounded = text.length > max * 8 ? text.slice(0, max * 8) : text;
	const clean = bounded
		.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
		.replace(/[\uFFFE\uFFFF]/g, "\uFFFD")
		.replace(/[\t\n\v\f\r\u2028\u2029]/g, " ")
		.replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu, "")
		.normalize("NFC")
		.replace(/\s+/gu, " ")
		.trim();
	const codePoints = Array.from(clean);
	if (codePoints.length <= max && bounded === text) return clean;
	return `${codePoints
		.slice(0, max - 1)
		.join("")
		.trimEnd()}…`;
}

function escapeXml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

const XML_ENTITIES: Record<string, string> = {
	"&": "&amp;",
	"<": "&lt;",
	">": "&gt;",
	'"': "&quot;",
	"'": "&apos;",
};

/** `#rrggbb` only (lower-cased); named colours, `url(...)` and the like never reach an attribute. */
function allowedColour(colour: string | undefined): string | undefined {
	return typeof colour === "string" && /^#[0-9a-f]{6}$/i.test(colour) ? colour.toLowerCase() : undefined;
}

// --- layout ----------------------------------------------------------------------------------------

interface BadgeContent {
	label: string;
	message: string;
	colour: string;
	labelColour: string;
}

interface TextLayout {
	text: string;
	/** Centre of the text in the ×10 text coordinate space. */
	x: number;
	/** Measured text width in px; `textLength` is ten times this. */
	width: number;
	bold: boolean;
}

interface Layout {
	height: number;
	leftWidth: number;
	rightWidth: number;
	/** Baseline in the ×10 text coordinate space. */
	y: number;
	fontSize: number;
	shadow: boolean;
	label: TextLayout | null;
	message: TextLayout | null;
}

/** shields.io draws text at ten times the size and scales it down, for sub-pixel precision. */
const TEXT_SCALE = 10;
const FLAT_PADDING = 5;

/**
 * Width badge-maker gives flat text: the Verdana 11px width floored and rounded up to odd, which
 * centres the glyphs on whole pixels.
 */
function flatTextWidth(text: string): number {
	const width = Math.floor(measureText(text, { size: 11 }));
	return width % 2 === 0 ? width + 1 : width;
}

/** Width badge-maker gives for-the-badge text: 10px Verdana plus 1.25px spacing per character. */
function forTheBadgeTextWidth(text: string, bold: boolean): number {
	return (
		Math.floor(measureText(text, { size: 10, bold })) + FOR_THE_BADGE_LETTER_SPACING * Array.from(text).length
	);
}

function flatLayout(content: BadgeContent, style: "flat" | "flat-square"): Layout {
	const { label, message } = content;
	const labelWidth = label ? flatTextWidth(label) : 0;
	const messageWidth = flatTextWidth(message);
	const leftWidth = label ? labelWidth + 2 * FLAT_PADDING : 0;
	// The ±1px nudges are badge-maker's: they keep glyphs clear of the rounded end and the seam.
	const labelMargin = 1;
	const messageMargin = label ? leftWidth - 1 : 1;
	return {
		height: 20,
		leftWidth,
		rightWidth: messageWidth + 2 * FLAT_PADDING,
		y: 140,
		fontSize: 110,
		shadow: style === "flat",
		label: label
			? {
					text: label,
					x: TEXT_SCALE * (labelMargin + labelWidth / 2 + FLAT_PADDING),
					width: labelWidth,
					bold: false,
				}
			: null,
		message: message
			? {
					text: message,
					x: TEXT_SCALE * (messageMargin + messageWidth / 2 + FLAT_PADDING),
					width: messageWidth,
					bold: false,
				}
			: null,
	};
}

const FOR_THE_BADGE_MARGIN = 12;
const FOR_THE_BADGE_LETTER_SPACING = 1.25;

function forTheBadgeLayout(content: BadgeContent): Layout {
	// Measure the upper-cased text, which is what is drawn (ß becomes SS, and wider).
	const label = content.label.toUpperCase();
	const message = content.message.toUpperCase();
	const labelWidth = label ? forTheBadgeTextWidth(label, false) : 0;
	const messageWidth = message ? forTheBadgeTextWidth(message, true) : 0;
	const leftWidth = label ? labelWidth + 2 * FOR_THE_BADGE_MARGIN : 0;
	return {
		height: 28,
		leftWidth,
		rightWidth: messageWidth + 2 * FOR_THE_BADGE_MARGIN,
		y: 175,
		fontSize: 100,
		shadow: false,
		label: label
			? {
					text: label,
					x: TEXT_SCALE * (FOR_THE_BADGE_MARGIN + labelWidth / 2),
					width: labelWidth,
					bold: false,
				}
			: null,
		message: message
			? {
					text: message,
					x: TEXT_SCALE * (leftWidth + FOR_THE_BADGE_MARGIN + messageWidth / 2),
					width: messageWidth,
					bold: true,
				}
			: null,
	};
}

// --- SVG -----------------------------------------------------------------------------------------

type Attrs = Record<string, string | number | undefined>;

/** Attribute values are escaped here; `children` must already be markup built by this module. */
function el(name: string, attrs: Attrs, children = ""): string {
	let open = `<${name}`;
	for (const [key, value] of Object.entries(attrs)) {
		if (value === undefined) continue;
		open += ` ${key}="${escapeXml(typeof value === "number" ? num(value) : value)}"`;
	}
	return children ? `${open}>${children}</${name}>` : `${open}/>`;
}

/** Drops float noise (0.30000000000000004) from coordinates; widths are multiples of 0.25. */
function num(value: number): string {
	return String(Math.round(value * 100) / 100);
}

function backgroundRects(layout: Layout, content: BadgeContent): string {
	const { leftWidth, rightWidth, height } = layout;
	const left = leftWidth > 0 ? el("rect", { width: leftWidth, height, fill: content.labelColour }) : "";
	return left + el("rect", { x: leftWidth, width: rightWidth, height, fill: content.colour });
}

function flatBackground(layout: Layout, content: BadgeContent): string {
	const width = layout.leftWidth + layout.rightWidth;
	// Ids derive from the geometry, so two badges inlined in one page never clip each other wrongly.
	const gradientId = "ctb-gloss";
	const clipId = `ctb-round-${num(width).replace(".", "_")}`;
	const gradient = el(
		"linearGradient",
		{ id: gradientId, x2: 0, y2: "100%" },
		el("stop", { offset: 0, "stop-color": "#bbbbbb", "stop-opacity": ".1" }) +
			el("stop", { offset: 1, "stop-opacity": ".1" }),
	);
	const clip = el(
		"clipPath",
		{ id: clipId },
		el("rect", { width, height: layout.height, rx: 3, fill: "#ffffff" }),
	);
	const gloss = el("rect", { width, height: layout.height, fill: `url(#${gradientId})` });
	return (
		gradient + clip + el("g", { "clip-path": `url(#${clipId})` }, backgroundRects(layout, content) + gloss)
	);
}

function squareBackground(layout: Layout, content: BadgeContent): string {
	return el("g", { "shape-rendering": "crispEdges" }, backgroundRects(layout, content));
}

function foreground(layout: Layout, content: BadgeContent): string {
	const texts =
		(layout.label ? textElements(layout, layout.label, content.labelColour) : "") +
		(layout.message ? textElements(layout, layout.message, content.colour) : "");
	return el(
		"g",
		{
			fill: "#ffffff",
			"text-anchor": "middle",
			"font-family": "Verdana,Geneva,DejaVu Sans,sans-serif",
			"text-rendering": "geometricPrecision",
			"font-size": layout.fontSize,
		},
		texts,
	);
}

function textElements(layout: Layout, text: TextLayout, background: string): string {
	const ink = textColours(background);
	// textLength pins the drawn width to the measured one, so a fallback font cannot overflow.
	const common = {
		x: text.x,
		transform: "scale(.1)",
		textLength: TEXT_SCALE * text.width,
		"font-weight": text.bold ? "bold" : undefined,
	};
	const content = escapeXml(text.text);
	const shadow = layout.shadow
		? el(
				"text",
				{ "aria-hidden": "true", ...common, y: layout.y + 10, fill: ink.shadow, "fill-opacity": ".3" },
				content,
			)
		: "";
	return shadow + el("text", { ...common, y: layout.y, fill: ink.text }, content);
}

/** White or dark grey text, whichever contrasts more with the background (WCAG luminance). */
function textColours(background: string): { text: string; shadow: string } {
	const bg = luminance(background);
	const onWhite = 1.05 / (bg + 0.05);
	const onDark = (bg + 0.05) / (luminance("#333333") + 0.05);
	return onWhite >= onDark ? { text: "#ffffff", shadow: "#010101" } : { text: "#333333", shadow: "#cccccc" };
}

function luminance(hex: string): number {
	const channel = (offset: number) => {
		const c = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
		return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	};
	return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}
