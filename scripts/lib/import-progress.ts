/**
 * Progress of a long import on stderr: a bar redrawn in place on a terminal, plain
 * lines every few seconds otherwise (CI logs, `2> log`), never both.
 */

export interface ProgressStream {
	isTTY?: boolean;
	columns?: number;
	write(text: string): unknown;
}

const BAR_WIDTH = 24;
const TTY_INTERVAL_MS = 100;
const PLAIN_INTERVAL_MS = 5_000;

export function formatDuration(seconds: number): string {
	if (!Number.isFinite(seconds) || seconds < 0) return "?";
	const s = Math.round(seconds);
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const rest = String(s % 60).padStart(2, "0");
	return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

const number = new Intl.NumberFormat("en-US");

export class Progress {
	readonly #out: ProgressStream;
	readonly #started = Date.now();
	readonly #alreadyDone: number;
	#lastDraw = 0;
	#drawn = false;
	/** Where a resumed import started: the rate and ETA measure this session only. */
	#startFraction: number | undefined;

	/** `alreadyDone`: rows a resumed import skips; they count for the bar, not for the rate. */
	constructor(out: ProgressStream, alreadyDone = 0) {
		this.#out = out;
		this.#alreadyDone = alreadyDone;
		// A log gets its first line after an interval too: a small file only its last.
		if (!out.isTTY) this.#lastDraw = this.#started;
	}

	/** `rows` done so far (including skipped ones); `fraction` of the input read, 0–1. */
	update(rows: number, fraction: number, force = false): void {
		const now = Date.now();
		const interval = this.#out.isTTY ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS;
		if (!force && now - this.#lastDraw < interval) return;
		this.#lastDraw = now;
		const line = this.line(rows, fraction, now);
		if (this.#out.isTTY) {
			this.#out.write(`\r\x1b[2K${line.slice(0, Math.max(20, (this.#out.columns || 100) - 1))}`);
			this.#drawn = true;
		} else this.#out.write(`${line}\n`);
	}

	line(rows: number, fraction: number, now = Date.now()): string {
		const f = Math.min(1, Math.max(0, fraction));
		const elapsed = (now - this.#started) / 1000;
		const rate = elapsed > 0 ? (rows - this.#alreadyDone) / elapsed : 0;
		this.#startFraction ??= this.#alreadyDone > 0 ? f : 0;
		const progressed = f - this.#startFraction;
		const eta = f >= 1 ? 0 : progressed > 0 ? (elapsed * (1 - f)) / progressed : Number.NaN;
		const filled = Math.round(f * BAR_WIDTH);
		const bar = this.#out.isTTY
			? `${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}`
			: `${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}`;
		return `[${bar}] ${(f * 100).toFixed(0).padStart(3)}%  ${number.format(rows)} rows  ${number.format(Math.round(rate))} rows/s  ETA ${formatDuration(eta)}`;
	}

	/** Ends the bar's line so that what follows starts on a fresh one. */
	finish(rows: number, fraction: number): void {
		this.update(rows, fraction, true);
		if (this.#drawn) this.#out.write("\n");
		this.#drawn = false;
	}

	/** A message between redraws of the bar. */
	note(text: string): void {
		if (this.#drawn) this.#out.write("\r\x1b[2K");
		this.#out.write(`${text}\n`);
		this.#lastDraw = 0;
	}

	elapsedSeconds(): number {
		return (Date.now() - this.#started) / 1000;
	}
}
