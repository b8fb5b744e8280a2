/**
 * What changed between two wordings of a claim's text or context, word by word: a one-word fix
 * ("Nazis" → "Neonazis") reads as that word, not as the whole quote struck through and written
 * again. Words, punctuation and runs of white space are tokens of their own, so the text is
 * given back exactly (the same segments joined are the old text, the inserted ones
 * left out; or the new one, the deleted left out).
 *
 * Myers' difference algorithm, bounded: its cost is (N + M) · D for D edits, so the edits are
 * capped (MAX_EDITS) and a wording changed more than that, or mostly, is no word diff at all
 * (null): the caller shows old → new whole, as before. A common beginning and end are taken off
 * first, so a single fix in a long context costs one pass over it.
 */

export type DiffSegment = { kind: "same" | "deleted" | "inserted"; text: string };

/** Edits (a token deleted or inserted) past which two wordings are shown whole. */
const MAX_EDITS = 120;

const segmenters = new Map<string, Intl.Segmenter>();

/**
 * Words, punctuation and the white space between them, as the language's word breaks have them
 * (Intl.Segmenter: Chinese and Japanese write no spaces, so splitting at spaces would make a
 * sentence one word); split at spaces where the runtime has no segmenter or knows no such
 * language. Both are linear.
 */
function tokens(text: string, locale: string | undefined): string[] {
	if (typeof Intl.Segmenter !== "function") return text.match(/\s+|\S+/g) ?? [];
	const key = locale ?? "";
	let segmenter = segmenters.get(key);
	if (!segmenter) {
		try {
			segmenter = new Intl.Segmenter(locale, { granularity: "word" });
		} catch {
			segmenter = new Intl.Segmenter(undefined, { granularity: "word" });
		}
		segmenters.set(key, segmenter);
	}
	return Array.from(segmenter.segment(text), (part) => part.segment);
}

export type Edit = "same" | "deleted" | "inserted";

/**
 * The shortest edit script of two token lists (Myers 1986, with the trace kept for the way
 * back), or null past `maxEdits`.
 */
export function editScript(a: readonly string[], b: readonly string[], maxEdits: number): Edit[] | null {
	const n = a.length;
	const m = b.length;
	const offset = maxEdits + 1;
	const v = new Int32Array(2 * offset + 1);
	const trace: Int32Array[] = [];
	for (let d = 0; d <= maxEdits; d++) {
		trace.push(v.slice());
		for (let k = -d; k <= d; k += 2) {
			const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
			let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
			let y = x - k;
			while (x < n && y < m && a[x] === b[y]) {
				x++;
				y++;
			}
			v[offset + k] = x;
			if (x >= n && y >= m) return backtrack(trace, offset, n, m, d);
		}
	}
	return null;
}

function backtrack(trace: Int32Array[], offset: number, n: number, m: number, edits: number): Edit[] {
	const script: Edit[] = [];
	let x = n;
	let y = m;
	for (let d = edits; d > 0; d--) {
		const v = trace[d] as Int32Array;
		const k = x - y;
		const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
		const prevK = down ? k + 1 : k - 1;
		const prevX = v[offset + prevK] ?? 0;
		const prevY = prevX - prevK;
		while (x > prevX && y > prevY) {
			script.push("same");
			x--;
			y--;
		}
		script.push(down ? "inserted" : "deleted");
		x = prevX;
		y = prevY;
	}
	while (x > 0 && y > 0) {
		script.push("same");
		x--;
		y--;
	}
	return script.reverse();
}

/** Adjacent tokens of one kind as one segment. */
function segmentsOf(a: readonly string[], b: readonly string[], script: readonly Edit[]): DiffSegment[] {
	const out: DiffSegment[] = [];
	let i = 0;
	let j = 0;
	for (const edit of script) {
		const text = edit === "inserted" ? (b[j] as string) : (a[i] as string);
		if (edit !== "inserted") i++;
		if (edit !== "deleted") j++;
		const last = out.at(-1);
		if (last?.kind === edit) last.text += text;
		else out.push({ kind: edit, text });
	}
	return out;
}

/**
 * A reader reads a change as "was → is": each run of changed tokens becomes its deleted words,
 * then its inserted ones. White space alone between two changes joins them into one run (in
 * both wordings: the old keeps it among its deleted words, the new among its inserted ones), so
 * "the old fine words" → "the new good words" reads as one phrase replaced, not word by word.
 */
function tidy(segments: readonly DiffSegment[]): DiffSegment[] {
	const changed = (segment: DiffSegment | undefined) => segment !== undefined && segment.kind !== "same";
	const marked = segments.flatMap((segment, i): DiffSegment[] =>
		segment.kind === "same" &&
		/^\s+$/.test(segment.text) &&
		changed(segments[i - 1]) &&
		changed(segments[i + 1])
			? [
					{ kind: "deleted", text: segment.text },
					{ kind: "inserted", text: segment.text },
				]
			: [segment],
	);
	const out: DiffSegment[] = [];
	let run: DiffSegment[] = [];
	const flush = () => {
		for (const kind of ["deleted", "inserted"] as const) {
			const text = run
				.filter((x) => x.kind === kind)
				.map((x) => x.text)
				.join("");
			if (text !== "") out.push({ kind, text });
		}
		run = [];
	};
	for (const segment of marked) {
		if (segment.kind !== "same") {
			run.push(segment);
			continue;
		}
		flush();
		out.push(segment);
	}
	flush();
	return out;
}

/**
 * The word diff of two wordings, or null when it would not help a reader: nothing in common,
 * more than MAX_EDITS edits, or more changed than kept.
 */
export function wordDiff(
	before: string,
	after: string,
	options: { locale?: string; maxEdits?: number } = {},
): DiffSegment[] | null {
	if (before === after) return [{ kind: "same", text: before }];
	const a = tokens(before, options.locale);
	const b = tokens(after, options.locale);
	let start = 0;
	while (start < a.length && start < b.length && a[start] === b[start]) start++;
	let end = 0;
	while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end])
		end++;
	const midA = a.slice(start, a.length - end);
	const midB = b.slice(start, b.length - end);
	const script = editScript(midA, midB, options.maxEdits ?? MAX_EDITS);
	if (!script) return null;
	const full: Edit[] = [...Array(start).fill("same"), ...script, ...Array(end).fill("same")];
	const segments = tidy(segmentsOf(a, b, full));
	const kept = segments
		.filter((x) => x.kind === "same" && /\S/.test(x.text))
		.reduce((n, x) => n + x.text.length, 0);
	const changed = segments.filter((x) => x.kind !== "same").reduce((n, x) => n + x.text.length, 0);
	return kept === 0 || changed > 2 * kept ? null : segments;
}
