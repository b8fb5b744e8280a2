/**
 * An incremental RFC 4180 parser for CSV/TSV files in the wild. Hand-written rather than
 * csv-parse or Papa Parse: both let a stray quote swallow the lines after it into one
 * broken record (the good rows among them are lost, or skipped along with it); this one
 * rejects the line the stray quote is on and reads on from the next line (see
 * docs/decisions.md).
 */

export interface DelimitedOptions {
	/** One character; default ",". */
	delimiter?: string;
	/** Quote character, or null for formats without quoting (LIAR's TSV has bare quotes in its text). Default '"'. */
	quote?: string | null;
	/** Skip lines with nothing on them. Default true. */
	skipEmptyLines?: boolean;
	/** A row longer than this is reported and skipped, so an unclosed quote cannot swallow the file. Default 1,000,000. */
	maxRowLength?: number;
	/**
	 * How many fields a row that spans lines must have: a number, or "first-row" for as many
	 * as the first row has. Without it any multi-line row whose quotes close well is taken.
	 */
	fieldCount?: number | "first-row";
}

export interface DelimitedRow {
	/** 1-based line on which the row starts. */
	line: number;
	fields: string[];
	/** Set when the row is broken (unbalanced quote, too long); its fields are then incomplete. */
	error?: string;
}

const LF = 10;
const CR = 13;
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;
const SKIP_LINE = 4;

/** What a parsing step did: the index it consumed up to, or why the multi-line row it is in is broken. */
type Step = number | { broken: string };

/**
 * Incremental RFC 4180 parser: `push` chunks of any size (splits may fall anywhere, even
 * inside a CRLF or a doubled quote) and get back the rows they completed; `end` flushes the
 * last one. Holds only the current row, so memory stays flat for any number of rows.
 * Lenient within a line: a quote inside an unquoted field is literal, and text after a
 * closing quote is appended to the field. Strict across lines, where a stray quote would
 * otherwise swallow the rows after it: a quoted field that spans lines must close before a
 * delimiter or a line end, and its row must have the expected number of fields. A row that
 * breaks these rules is rejected by its first line, and parsing resumes on the next line,
 * which is why the text of a row is kept from its second line on until the row ends.
 */
export class DelimitedParser {
	readonly #delimiter: number;
	readonly #quote: number;
	readonly #quoteChar: string;
	readonly #skipEmptyLines: boolean;
	readonly #maxRowLength: number;
	readonly #learnFieldCount: boolean;
	#fieldCount: number | undefined;
	#state = FIELD_START;
	#fields: string[] = [];
	#field = "";
	#rowLength = 0;
	#line = 1;
	#rowLine = 1;
	#pendingCR = false;
	#started = false;
	/** A quoted empty field makes a row that is not blank. */
	#rowQuoted = false;
	/** The text of the current row after its first line break; null while the row is on one line. */
	#tail: string | null = null;
	/** That first line break was a CR, so an LF at the start of the tail completes it. */
	#tailAfterCR = false;

	constructor(options: DelimitedOptions = {}) {
		const delimiter = options.delimiter ?? ",";
		const quote = options.quote === undefined ? '"' : options.quote;
		if (delimiter.length !== 1) throw new RangeError("the delimiter must be one character");
		if (quote !== null && (quote.length !== 1 || quote === delimiter))
			throw new RangeError("the quote must be one character other than the delimiter");
		if (delimiter === "\n" || delimiter === "\r" || quote === "\n" || quote === "\r")
			throw new RangeError("line breaks cannot be delimiters or quotes");
		this.#delimiter = delimiter.charCodeAt(0);
		this.#quote = quote === null ? -1 : quote.charCodeAt(0);
		this.#quoteChar = quote ?? "";
		this.#skipEmptyLines = options.skipEmptyLines ?? true;
		this.#maxRowLength = options.maxRowLength ?? 1_000_000;
		this.#learnFieldCount = options.fieldCount === "first-row";
		this.#fieldCount = typeof options.fieldCount === "number" ? options.fieldCount : undefined;
	}

	push(chunk: string): DelimitedRow[] {
		const rows: DelimitedRow[] = [];
		let text = chunk;
		let i = 0;
		if (!this.#started && text.length > 0) {
			this.#started = true;
			if (text.charCodeAt(0) === 0xfeff) i = 1;
		}
		while (i < text.length) {
			const tracking = this.#tail !== null;
			const next = this.#step(text, i, rows);
			if (typeof next !== "number") {
				// Reject the row's first line and read its other lines, and what follows, again.
				text = this.#reject(next.broken, rows) + text.slice(i);
				i = 0;
				continue;
			}
			if (tracking && this.#tail !== null) this.#tail += text.slice(i, next);
			i = next;
		}
		return rows;
	}

	end(): DelimitedRow[] {
		const rows: DelimitedRow[] = [];
		for (let broken = this.#finish(rows); broken !== null; broken = this.#finish(rows)) {
			const rest = this.#reject(broken, rows);
			rows.push(...this.push(rest));
		}
		this.#resetRow();
		this.#pendingCR = false;
		return rows;
	}

	/** Consumes what starts at `i`: a run of plain text, a quote, a delimiter or a line break. */
	#step(text: string, i: number, rows: DelimitedRow[]): Step {
		const c = text.charCodeAt(i);
		if (this.#pendingCR) {
			this.#pendingCR = false;
			if (c === LF) {
				// second half of a CRLF: the line was already counted
				if (this.#state === QUOTED) this.#field += "\n";
				return i + 1;
			}
		}
		if (this.#state === SKIP_LINE) return this.#skipLine(text, i);
		if (this.#state === QUOTED) return this.#quoted(text, i, rows);
		if (this.#state === QUOTE_IN_QUOTED) {
			if (c === this.#quote) {
				this.#field += this.#quoteChar;
				this.#state = QUOTED;
				return i + 1;
			}
			if (this.#tail !== null && c !== this.#delimiter && c !== LF && c !== CR)
				return { broken: `the quoted field opened here closes on line ${this.#line} amid text` };
			this.#state = UNQUOTED;
		}
		return this.#plain(text, i, rows);
	}

	/** Outside quotes: a field's start, a delimiter, a line break, or unquoted text. */
	#plain(text: string, i: number, rows: DelimitedRow[]): Step {
		const c = text.charCodeAt(i);
		if (this.#state === FIELD_START && c === this.#quote) {
			this.#state = QUOTED;
			this.#rowQuoted = true;
			return i + 1;
		}
		if (c === this.#delimiter) {
			this.#fields.push(this.#field);
			this.#field = "";
			this.#state = FIELD_START;
			return i + 1;
		}
		if (c === LF || c === CR) {
			const broken = this.#wrongFieldCount();
			if (broken) return { broken };
			this.#newLine(c);
			this.#endRow(rows);
			return i + 1;
		}
		let j = i + 1;
		while (j < text.length) {
			const d = text.charCodeAt(j);
			if (d === this.#delimiter || d === LF || d === CR) break;
			j++;
		}
		if (this.#rowLength + (j - i) > this.#maxRowLength) return this.#tooLong(i, rows);
		this.#state = UNQUOTED;
		this.#append(text.slice(i, j));
		return j;
	}

	/** Inside quotes: text up to the next quote or line break, the quote, or the line break (the row spans lines). */
	#quoted(text: string, i: number, rows: DelimitedRow[]): Step {
		let j = i;
		while (j < text.length) {
			const d = text.charCodeAt(j);
			if (d === this.#quote || d === LF || d === CR) break;
			j++;
		}
		if (j > i) {
			if (this.#rowLength + (j - i) > this.#maxRowLength) return this.#tooLong(i, rows);
			this.#append(text.slice(i, j));
			return j;
		}
		const c = text.charCodeAt(i);
		if (c === this.#quote) {
			this.#state = QUOTE_IN_QUOTED;
			return i + 1;
		}
		if (this.#rowLength + 1 > this.#maxRowLength) return this.#tooLong(i, rows);
		this.#append(c === CR ? "\r" : "\n");
		if (this.#tail === null) {
			this.#tail = "";
			this.#tailAfterCR = c === CR;
		}
		this.#newLine(c);
		return i + 1;
	}

	/** Skips the rest of a line whose row was cut for its length. */
	#skipLine(text: string, i: number): number {
		let j = i;
		while (j < text.length && text.charCodeAt(j) !== LF && text.charCodeAt(j) !== CR) j++;
		if (j === text.length) return j;
		this.#newLine(text.charCodeAt(j));
		this.#resetRow();
		return j + 1;
	}

	/** A row too long: on one line it is reported and the rest of its line skipped; across lines it is broken. */
	#tooLong(i: number, rows: DelimitedRow[]): Step {
		if (this.#tail !== null)
			return {
				broken: `the quoted field opened here runs on for more than ${this.#maxRowLength} characters`,
			};
		rows.push({
			line: this.#rowLine,
			fields: [],
			error: `row longer than ${this.#maxRowLength} characters (an unclosed quote?)`,
		});
		this.#fields = [];
		this.#field = "";
		this.#state = SKIP_LINE;
		return i;
	}

	/** Why a row that spans lines cannot end here with the fields it has, or null. */
	#wrongFieldCount(): string | null {
		const count = this.#fields.length + 1;
		if (this.#tail === null || this.#fieldCount === undefined || count === this.#fieldCount) return null;
		return `the quoted field opened here runs to line ${this.#line} into a row of ${count} fields, not ${this.#fieldCount}`;
	}

	/** The end of the input: completes the last row; or why the multi-line row it is in is broken. */
	#finish(rows: DelimitedRow[]): string | null {
		if (this.#state === QUOTED) {
			if (this.#tail !== null) return "the quoted field opened here is never closed";
			this.#fields.push(this.#field);
			rows.push({ line: this.#rowLine, fields: this.#fields, error: "unterminated quoted field" });
			this.#resetRow();
		} else if (
			this.#state !== SKIP_LINE &&
			(this.#fields.length > 0 || this.#field !== "" || this.#state === QUOTE_IN_QUOTED)
		) {
			const broken = this.#wrongFieldCount();
			if (broken) return broken;
			this.#endRow(rows);
		}
		return null;
	}

	/**
	 * Rejects the current (multi-line) row by its first line and returns the text after that
	 * line, to be parsed again from the start of the next line.
	 */
	#reject(reason: string, rows: DelimitedRow[]): string {
		rows.push({ line: this.#rowLine, fields: [], error: `unbalanced quote: ${reason}` });
		let rest = this.#tail ?? "";
		if (this.#tailAfterCR && rest.startsWith("\n")) rest = rest.slice(1);
		this.#line = this.#rowLine + 1;
		this.#pendingCR = false;
		this.#resetRow();
		return rest;
	}

	#append(text: string): void {
		this.#field += text;
		this.#rowLength += text.length;
	}

	#newLine(c: number): void {
		this.#line++;
		if (c === CR) this.#pendingCR = true;
	}

	#endRow(rows: DelimitedRow[]): void {
		this.#fields.push(this.#field);
		const fields = this.#fields;
		if (!(this.#skipEmptyLines && !this.#rowQuoted && fields.length === 1 && fields[0] === "")) {
			rows.push({ line: this.#rowLine, fields });
			if (this.#learnFieldCount) this.#fieldCount ??= fields.length;
		}
		this.#resetRow();
	}

	#resetRow(): void {
		this.#fields = [];
		this.#field = "";
		this.#rowLength = 0;
		this.#rowQuoted = false;
		this.#state = FIELD_START;
		this.#rowLine = this.#line;
		this.#tail = null;
		this.#tailAfterCR = false;
	}
}

/** All rows of a whole text; for large inputs feed a `DelimitedParser` instead. */
export function parseDelimited(text: string, options: DelimitedOptions = {}): DelimitedRow[] {
	const parser = new DelimitedParser(options);
	return [...parser.push(text), ...parser.end()];
}

/** Rows of a stream of text chunks, one at a time. */
export async function* iterateDelimited(
	chunks: AsyncIterable<string> | Iterable<string>,
	options: DelimitedOptions = {},
): AsyncGenerator<DelimitedRow> {
	const parser = new DelimitedParser(options);
	for await (const chunk of chunks) yield* parser.push(chunk);
	yield* parser.end();
}
