/**
 * Bytes → text for files exported over the years: UTF-8 where it is valid, Windows-1252
 * for every byte that is not, chunk by chunk so a file is never read whole.
 */

/** Windows-1252 for 0x80–0x9F, where Latin-1 has only control characters; 0 marks bytes 1252 leaves undefined. */
const CP1252_C1 = [
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
	0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
	0x0153, 0, 0x017e, 0x0178,
];

function singleByteChar(byte: number): number {
	if (byte >= 0x80 && byte <= 0x9f) return CP1252_C1[byte - 0x80] || byte;
	return byte;
}

/** Length of the valid UTF-8 sequence at `i`; 0 when the byte starts none; -1 when the input ends inside one. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
	const b0 = bytes[i] ?? 0;
	if (b0 < 0x80) return 1;
	let need: number;
	let lo = 0x80;
	let hi = 0xbf;
	if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
	else if (b0 === 0xe0) {
		need = 2;
		lo = 0xa0;
	} else if (b0 >= 0xe1 && b0 <= 0xef) {
		need = 2;
		if (b0 === 0xed) hi = 0x9f; // no UTF-16 surrogates
	} else if (b0 === 0xf0) {
		need = 3;
		lo = 0x90;
	} else if (b0 >= 0xf1 && b0 <= 0xf3) need = 3;
	else if (b0 === 0xf4) {
		need = 3;
		hi = 0x8f;
	} else return 0;
	for (let k = 1; k <= need; k++) {
		if (i + k >= bytes.length) return -1;
		const b = bytes[i + k] ?? 0;
		if (b < (k === 1 ? lo : 0x80) || b > (k === 1 ? hi : 0xbf)) return 0;
	}
	return need + 1;
}

/**
 * UTF-8 decoder that reads every byte that is not part of valid UTF-8 as Windows-1252
 * (Latin-1 with printable characters in 0x80–0x9F), so a file that mixes encodings, as
 * spreadsheets exported over the years do, keeps "Müller" whichever way it was written.
 * Feed it chunks with `{ stream: true }`: a sequence split between chunks is carried over.
 */
export class LenientUtf8Decoder {
	#pending: Uint8Array = new Uint8Array(0);
	readonly #strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

	decode(chunk: Uint8Array, options: { stream?: boolean } = {}): string {
		let bytes = chunk;
		if (this.#pending.length > 0) {
			bytes = new Uint8Array(this.#pending.length + chunk.length);
			bytes.set(this.#pending);
			bytes.set(chunk, this.#pending.length);
			this.#pending = new Uint8Array(0);
		}
		const stream = options.stream === true;
		let end = bytes.length;
		if (stream) {
			// Hold back a sequence cut by the chunk boundary; it is at most 3 bytes long.
			for (let i = Math.max(0, bytes.length - 3); i < bytes.length; i++) {
				if (utf8SequenceLength(bytes, i) === -1) {
					end = i;
					break;
				}
			}
			this.#pending = bytes.slice(end);
		}
		const body = end === bytes.length ? bytes : bytes.subarray(0, end);
		try {
			return this.#strict.decode(body);
		} catch {
			return decodeMixed(body);
		}
	}
}

function decodeMixed(bytes: Uint8Array): string {
	const parts: string[] = [];
	let units: number[] = [];
	const flush = () => {
		parts.push(String.fromCharCode(...units));
		units = [];
	};
	let i = 0;
	while (i < bytes.length) {
		const b0 = bytes[i] ?? 0;
		const length = utf8SequenceLength(bytes, i);
		if (length === 1) units.push(b0);
		else if (length <= 0) units.push(singleByteChar(b0));
		else {
			let cp = b0 & (0xff >> (length + 1));
			for (let k = 1; k < length; k++) cp = (cp << 6) | ((bytes[i + k] ?? 0) & 0x3f);
			if (cp > 0xffff) {
				cp -= 0x10000;
				units.push(0xd800 | (cp >> 10), 0xdc00 | (cp & 0x3ff));
			} else units.push(cp);
		}
		i += Math.max(length, 1);
		if (units.length >= 8192) flush();
	}
	flush();
	return parts.join("");
}

/** Bytes → text, as `LenientUtf8Decoder` reads them. */
export function decodeText(bytes: Uint8Array): string {
	return new LenientUtf8Decoder().decode(bytes);
}

/** Decodes a byte stream chunk by chunk, e.g. a file read by a CLI. */
export async function* decodeChunks(
	chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<string> {
	const decoder = new LenientUtf8Decoder();
	for await (const chunk of chunks) {
		const text = decoder.decode(chunk, { stream: true });
		if (text) yield text;
	}
	const rest = decoder.decode(new Uint8Array(0));
	if (rest) yield rest;
}
