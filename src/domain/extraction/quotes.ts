/**
 * Finds quotations in every style German and English texts use: „…“ ‚…‘ “…” ‘…’
 * "…" '…' «…» »…« ‹…› ›…‹. The marks are ambiguous (“ opens in English and closes
 * in German, ’ is also the apostrophe), so each mark is read against the quotes
 * already open and against its neighbours: an opener sits before a word, a closer
 * after one (the "flanking" rule Markdown uses for emphasis).
 */

import { type StepCounter, stepCounter } from "./step-counter";

type QuoteStyle =
	| "german"
	| "german-single"
	| "english"
	| "english-single"
	| "guillemets"
	| "reversed-guillemets"
	| "single-guillemets"
	| "reversed-single-guillemets"
	| "ascii"
	| "ascii-single";

export interface QuoteSpan {
	/** Index of the opening mark. */
	open: number;
	/** Index of the closing mark. */
	close: number;
	/** Inner text range, [start, end). */
	start: number;
	end: number;
	text: string;
	style: QuoteStyle;
	/** 0 for a quote not inside another one. */
	depth: number;
	/**
	 * The quote goes on in the next paragraph, which opens with the same mark (German and
	 * English style leave a long quote's paragraphs open): `close` is then the line break
	 * and the next quote is its continuation.
	 */
	continues: boolean;
}

interface Open {
	index: number;
	style: QuoteStyle;
	closers: string;
	/** Position in the stack of open marks while it is there. */
	position: number;
}

const OPENING_CONTEXT = /[\s([{\-–—/„“”"'‘’‚«»‹›:]/u;
const CLOSING_CONTEXT = /[\s.,;:!?)\]}\-–—…„“”"'‘’‚«»‹›]/u;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

/** A mark that can open: followed by text, preceded by space, an opening bracket or another mark. */
function leftFlanking(text: string, i: number): boolean {
	const next = text[i + 1];
	const prev = text[i - 1];
	return next !== undefined && !/\s/u.test(next) && (prev === undefined || OPENING_CONTEXT.test(prev));
}

/** A mark that can close: preceded by text, followed by space, punctuation or the end. */
function rightFlanking(text: string, i: number): boolean {
	const next = text[i + 1];
	const prev = text[i - 1];
	return prev !== undefined && !/\s/u.test(prev) && (next === undefined || CLOSING_CONTEXT.test(next));
}

function isWordChar(c: string | undefined): boolean {
	return c !== undefined && WORD_CHAR.test(c);
}

/*
 * The stack of open marks, plus per closing character the marks it can close, so
 * finding the innermost mark a closer matches does not scan the stack. Entries of
 * marks that left the stack are dropped lazily when they come to the top.
 */
interface OpenMarks {
	stack: Open[];
	byCloser: Map<string, Open[]>;
	steps: StepCounter;
}

/* The innermost open mark `closer` can close, as its stack position; -1 if none. */
function findOpen(marks: OpenMarks, closer: string): number {
	const list = marks.byCloser.get(closer);
	if (!list) return -1;
	for (let top = list[list.length - 1]; top; top = list[list.length - 1]) {
		marks.steps.count++;
		if (marks.stack[top.position] === top) return top.position;
		list.pop();
	}
	return -1;
}

function pushOpen(marks: OpenMarks, index: number, style: QuoteStyle, closers: string): void {
	const open: Open = { index, style, closers, position: marks.stack.length };
	marks.stack.push(open);
	for (const c of closers) {
		const list = marks.byCloser.get(c);
		if (list) list.push(open);
		else marks.byCloser.set(c, [open]);
	}
}

/* Styles whose long quotes open every paragraph anew and close only at the end. */
const CONTINUED_STYLES = new Set<QuoteStyle>([
	"german",
	"english",
	"guillemets",
	"reversed-guillemets",
	"ascii",
]);

/*
 * Where the next paragraph reopens the quote left open at the line break `i`: its first
 * character is the same opening mark, before a word; -1 when it is not.
 */
function reopening(text: string, i: number, open: Open, steps: StepCounter): number {
	if (!CONTINUED_STYLES.has(open.style)) return -1;
	let j = i;
	while (j < text.length && /\s/u.test(text[j] ?? "")) {
		steps.count++;
		j++;
	}
	return text[j] === text[open.index] && leftFlanking(text, j) ? j : -1;
}

/* Drops a paragraph that continues into a quote that was itself dropped (never closed). */
function completeChains(spans: Omit<QuoteSpan, "depth">[], next: Map<number, number>, steps: StepCounter) {
	const opens = new Set<number>();
	const kept: Omit<QuoteSpan, "depth">[] = [];
	for (let i = spans.length - 1; i >= 0; i--) {
		steps.count++;
		const span = spans[i];
		if (!span || (span.continues && !opens.has(next.get(span.open) ?? -1))) continue;
		opens.add(span.open);
		kept.push(span);
	}
	return kept.reverse();
}

/**
 * All quotations, sorted by opening position, outer before inner. Quotes do not
 * span lines: a mark left open at a line break (or at the end) is dropped as
 * unbalanced, and so is one left open inside a quote that closes around it; but a
 * quote whose next paragraph opens with the same mark goes on there (`continues`),
 * and its paragraphs are quotes of their own.
 */
export function findQuotes(text: string, counter?: StepCounter): QuoteSpan[] {
	const steps = stepCounter(counter);
	const spans: Omit<QuoteSpan, "depth">[] = [];
	/* Per continuing span (by its opening mark) where its next paragraph reopens it. */
	const next = new Map<number, number>();
	const marks: OpenMarks = { stack: [], byCloser: new Map(), steps };
	const { stack } = marks;

	const closeAt = (k: number, i: number): void => {
		const open = stack[k];
		stack.length = k;
		if (!open) return;
		const inner = text.slice(open.index + 1, i);
		if (inner.trim() === "") return;
		// "rock 'n' roll": a single letter between apostrophes is an elision, not a quotation.
		if (open.style.endsWith("single") && inner.trim().length < 2) return;
		spans.push({
			open: open.index,
			close: i,
			start: open.index + 1,
			end: i,
			text: inner,
			style: open.style,
			continues: false,
		});
	};
	/* At a line break: the outermost quote goes on when the next paragraph reopens it. */
	const breakLine = (i: number): void => {
		const outer = stack[0];
		const reopened = outer ? reopening(text, i, outer, steps) : -1;
		const inner = outer ? text.slice(outer.index + 1, i) : "";
		if (outer && reopened >= 0 && inner.trim() !== "") {
			const { index, style } = outer;
			spans.push({ open: index, close: i, start: index + 1, end: i, text: inner, style, continues: true });
			next.set(index, reopened);
		}
		stack.length = 0;
		marks.byCloser.clear();
	};
	const push = (i: number, style: QuoteStyle, closers: string): void => pushOpen(marks, i, style, closers);

	const scan: MarkScan = { text, marks, closeAt, push, breakLine };
	for (let i = 0; i < text.length; i++) {
		steps.count++;
		scanMark(scan, i);
	}

	spans.sort((a, b) => a.open - b.open || b.close - a.close);
	return withDepths(completeChains(spans, next, steps), steps);
}

interface MarkScan {
	text: string;
	marks: OpenMarks;
	closeAt: (k: number, i: number) => void;
	push: (i: number, style: QuoteStyle, closers: string) => void;
	breakLine: (i: number) => void;
}

/* What the character at `i` does to the open quotes: opens, closes, or breaks a line. */
function scanMark({ text, marks, closeAt, push, breakLine }: MarkScan, i: number): void {
	const c = text[i];
	switch (c) {
		case "\n":
		case "\r":
			if (marks.stack.length > 0) breakLine(i);
			break;
		case "„":
			if (leftFlanking(text, i) || !rightFlanking(text, i)) push(i, "german", "“”");
			break;
		case "‚":
			// Also a look-alike comma: only a mark directly before a word opens.
			if (leftFlanking(text, i)) push(i, "german-single", "‘’");
			break;
		case "“": {
			// Opens in English, closes in German („…“) and in sloppy English (“…“).
			const k = findOpen(marks, "“");
			const opensHere = leftFlanking(text, i) && !rightFlanking(text, i);
			if (k >= 0 && !opensHere) closeAt(k, i);
			else if (opensHere) push(i, "english", "”“");
			break;
		}
		case "”": {
			const k = findOpen(marks, "”");
			if (k >= 0) closeAt(k, i);
			else if (leftFlanking(text, i) && !rightFlanking(text, i)) push(i, "english", "”");
			break;
		}
		case "«": {
			const k = findOpen(marks, "«");
			if (k >= 0 && !(leftFlanking(text, i) && !rightFlanking(text, i))) closeAt(k, i);
			else push(i, "guillemets", "»");
			break;
		}
		case "»": {
			const k = findOpen(marks, "»");
			if (k >= 0) closeAt(k, i);
			else if (leftFlanking(text, i)) push(i, "reversed-guillemets", "«");
			break;
		}
		case "‹": {
			const k = findOpen(marks, "‹");
			if (k >= 0 && !(leftFlanking(text, i) && !rightFlanking(text, i))) closeAt(k, i);
			else push(i, "single-guillemets", "›");
			break;
		}
		case "›": {
			const k = findOpen(marks, "›");
			if (k >= 0) closeAt(k, i);
			else if (leftFlanking(text, i)) push(i, "reversed-single-guillemets", "‹");
			break;
		}
		case '"': {
			const k = findOpen(marks, '"');
			if (k >= 0) closeAt(k, i);
			else if (leftFlanking(text, i)) push(i, "ascii", '"');
			break;
		}
		case "'": {
			// Apostrophes (don't, Ch'oe, Jones') are the common case; quotes are the exception.
			const k = findOpen(marks, "'");
			if (k >= 0 && rightFlanking(text, i) && !isWordChar(text[i + 1])) closeAt(k, i);
			else if (leftFlanking(text, i) && !isWordChar(text[i - 1]) && isWordChar(text[i + 1]))
				push(i, "ascii-single", "'");
			break;
		}
		case "‘": {
			const k = findOpen(marks, "‘");
			if (k >= 0 && !(leftFlanking(text, i) && !rightFlanking(text, i))) closeAt(k, i);
			else if (leftFlanking(text, i) && !isWordChar(text[i - 1])) push(i, "english-single", "’");
			break;
		}
		case "’": {
			const k = findOpen(marks, "’");
			if (k >= 0 && rightFlanking(text, i) && !isWordChar(text[i + 1])) closeAt(k, i);
			break;
		}
	}
}

/* Each span's nesting depth, spans sorted by opening position, outer before inner. */
function withDepths(spans: Omit<QuoteSpan, "depth">[], steps: StepCounter): QuoteSpan[] {
	const result: QuoteSpan[] = [];
	const enclosing: QuoteSpan[] = [];
	for (const span of spans) {
		steps.count++;
		while (enclosing.length > 0 && (enclosing[enclosing.length - 1]?.close ?? 0) < span.open) enclosing.pop();
		const withDepth = { ...span, depth: enclosing.length };
		result.push(withDepth);
		enclosing.push(withDepth);
	}
	return result;
}
