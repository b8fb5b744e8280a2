import { describe, expect, it } from "vitest";
import {
	copyForCitation,
	highlightQuote,
	rawExtension,
	snapshotRetryDelay,
} from "../../src/domain/snapshots";
import { formatSize } from "../../src/domain/typography";
import {
	checkUpload,
	cleanFilename,
	contentDisposition,
	publicFilename,
	sniffUploadType,
	stripJpegMetadata,
	stripPngMetadata,
	stripWebpMetadata,
} from "../../src/domain/uploads";

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (value: string) => new TextEncoder().encode(value);

/** A little-endian 32-bit size, as RIFF writes it. */
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >> 24) & 0xff];
/** A RIFF (WebP) chunk: type, size, body, padded to an even length. */
const webpChunk = (type: string, body: number[]) => [
	...text(type),
	...le32(body.length),
	...body,
	...(body.length % 2 ? [0] : []),
];

describe("highlightQuote", () => {
	it("marks the quote across typographic quotes, dashes and white space", () => {
		const page = "Er sagte: „Die Zusammenarbeit ist  unzerstörbar – und wächst.“ Dann ging er.";
		const runs = highlightQuote(page, "Die Zusammenarbeit ist unzerstörbar - und wächst");
		expect(runs.filter((r) => r.mark).map((r) => r.text)).toEqual([
			"Die Zusammenarbeit ist  unzerstörbar – und wächst",
		]);
		expect(runs.map((r) => r.text).join("")).toBe(page);
	});

	it("marks every occurrence, ignores case, and leaves text without the quote whole", () => {
		const runs = highlightQuote("Prices rose. PRICES ROSE again.", "prices rose");
		expect(runs.filter((r) => r.mark)).toHaveLength(2);
		expect(highlightQuote("Nothing here.", "prices rose")).toEqual([{ text: "Nothing here.", mark: false }]);
		expect(highlightQuote("Tiny", "a")).toEqual([{ text: "Tiny", mark: false }]);
		expect(highlightQuote("Tiny", null)).toEqual([{ text: "Tiny", mark: false }]);
	});

	it("marks the quote itself after a letter whose lower case is longer (İ)", () => {
		// "İ" lower-cases to two units; each took one offset, and every mark after it began a letter late.
		const page = "İstanbul, İzmir: Lawrow sagte, Kursk sei „befreit“. Ende.";
		const runs = highlightQuote(page, "Kursk sei befreit");
		expect(runs.filter((r) => r.mark).map((r) => r.text)).toEqual(["Kursk sei „befreit"]);
		expect(runs.map((r) => r.text).join("")).toBe(page);
	});

	it("reads a copy's whole text, 2 MB of it, in one pass", () => {
		// Quadratic before (the folded string flattened at every character): minutes of CPU.
		const line = "Lawrow sagte in Wŏnsan, das Gebiet Kursk sei „vollständig befreit“ worden.\n";
		const page = line.repeat(Math.ceil(2_000_000 / line.length));
		const runs = highlightQuote(page, "Kursk sei vollständig befreit");
		expect(runs.filter((r) => r.mark)).toHaveLength(Math.ceil(2_000_000 / line.length));
		expect(runs.map((r) => r.text).join("")).toBe(page);
	}, 60_000);
});

describe("snapshot rules", () => {
	it("retries four times on a widening schedule, then stops", () => {
		expect([1, 2, 3, 4, 5].map(snapshotRetryDelay)).toEqual([60, 600, 3600, 21_600, null]);
	});

	it("never names a download .html", () => {
		expect(rawExtension("text/html")).toBe("bin");
		expect(rawExtension("application/pdf")).toBe("pdf");
		expect(rawExtension("image/svg+xml")).toBe("svgxml");
	});
});

describe("uploads", () => {
	it("knows PNG, JPEG, WebP and PDF by their first bytes, and nothing else", () => {
		expect(sniffUploadType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe("image/png");
		expect(sniffUploadType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe("image/jpeg");
		expect(sniffUploadType(text("RIFF\0\0\0\0WEBPVP8 "))).toBe("image/webp");
		expect(sniffUploadType(text("%PDF-1.7"))).toBe("application/pdf");
		for (const other of ["<svg/>", "<html>", "GIF89a", "RIFF\0\0\0\0WAVE", " %PDF-1.7", "PK\u0003\u0004"]) {
			expect(sniffUploadType(text(other)), other).toBeNull();
		}
	});

	it("refuses empty and oversized files", () => {
		expect(checkUpload(new Uint8Array(0))).toEqual({ ok: false, reason: "empty" });
		const big = new Uint8Array(10 * 1024 * 1024 + 1);
		big.set(text("%PDF-"));
		expect(checkUpload(big)).toEqual({ ok: false, reason: "too-large" });
	});

	it("drops EXIF, XMP, IPTC and comments from a JPEG but keeps JFIF and ICC", () => {
		const seg = (marker: number, body: string) => [0xff, marker, 0, body.length + 2, ...text(body)];
		// A bare JFIF header: version 1.01, no units, density 1×1, no thumbnail.
		const jfif = [0xff, 0xe0, 0, 16, ...text("JFIF\0"), 1, 1, 0, 0, 1, 0, 1, 0, 0];
		const jpeg = bytes(
			0xff,
			0xd8,
			...jfif,
			...seg(0xe1, "Exif GPS"),
			...seg(0xe2, "ICC_PROFILE"),
			...seg(0xed, "Photoshop IPTC"),
			...seg(0xfe, "comment"),
			...seg(0xda, "scan"),
			1,
			2,
			3,
			0xff,
			0xd9,
		);
		const out = new TextDecoder("latin1").decode(stripJpegMetadata(jpeg));
		expect(out).toContain("JFIF");
		expect(out).toContain("ICC_PROFILE");
		expect(out).not.toMatch(/Exif|IPTC|comment/);
		expect(out.endsWith("scan\u0001\u0002\u0003\u00ff\u00d9")).toBe(true);
	});

	it("drops a JFIF thumbnail and a JFXX extension: a second, uncropped picture", () => {
		const thumb = [0xff, 0xe0, 0, 16 + 6, ...text("JFIF\0"), 1, 1, 0, 0, 1, 0, 1, 1, 2, ...text("THUMB!")];
		const jfxx = [0xff, 0xe0, 0, 2 + 5 + 1 + 6, ...text("JFXX\0"), 0x13, ...text("THUMB!")];
		const jpeg = bytes(0xff, 0xd8, ...thumb, ...jfxx, 0xff, 0xda, 0, 4, 9, 9, 7, 0xff, 0xd9);
		const out = new TextDecoder("latin1").decode(stripJpegMetadata(jpeg));
		expect(out).not.toContain("THUMB!");
		expect(out).not.toMatch(/JFIF|JFXX/);
		expect(out.endsWith("\u0007\u00ff\u00d9")).toBe(true);
	});

	it("drops EXIF and XMP from a WebP, with the RIFF size and VP8X's flags made to match", () => {
		// VP8X: flags ICC 0x20 | alpha 0x10 | EXIF 0x08 | XMP 0x04, three reserved bytes, canvas size.
		const vp8x = webpChunk("VP8X", [0x3c, 0, 0, 0, 9, 0, 0, 9, 0, 0]);
		const image = webpChunk("VP8L", [0x2f, 1, 2, 3, 4]);
		const exif = webpChunk("EXIF", [...text("GPS 52N")]);
		const xmp = webpChunk("XMP ", [...text("<x:author>")]);
		const body = [...text("WEBP"), ...vp8x, ...image, ...exif, ...xmp];
		const webp = bytes(...text("RIFF"), ...le32(body.length), ...body);
		const checked = checkUpload(webp);
		expect(checked.ok && checked.contentType).toBe("image/webp");
		const out = checked.ok ? checked.bytes : new Uint8Array();
		expect(out).toEqual(stripWebpMetadata(webp));
		const latin = new TextDecoder("latin1").decode(out);
		expect(latin).not.toMatch(/GPS|author|EXIF|XMP/);
		expect(latin.startsWith("RIFF")).toBe(true);
		expect(out.length).toBe(12 + vp8x.length + image.length);
		expect([...out.subarray(4, 8)]).toEqual(le32(out.length - 8));
		// The ICC and alpha flags stay; the image chunk, odd-sized and padded, is whole.
		expect(out[20]).toBe(0x30);
		expect([...out.subarray(12 + vp8x.length)]).toEqual(image);
		// A last EXIF chunk without its padding byte, or cut short, is dropped all the same.
		for (const tail of [exif.slice(0, -1), exif.slice(0, 12)]) {
			const cut = [...text("WEBP"), ...vp8x, ...image, ...tail];
			const stripped = stripWebpMetadata(bytes(...text("RIFF"), ...le32(cut.length), ...cut));
			expect(new TextDecoder("latin1").decode(stripped)).not.toMatch(/GPS|EXIF/);
			expect(stripped.length).toBe(12 + vp8x.length + image.length);
		}
	});

	describe("JPEG: the primary picture only, to its EOI", () => {
		const seg = (marker: number, body: number[]) => [
			0xff,
			marker,
			(body.length + 2) >> 8,
			(body.length + 2) & 255,
			...body,
		];
		const latin = (value: Uint8Array) => new TextDecoder("latin1").decode(value);
		const soi = [0xff, 0xd8];
		const eoi = [0xff, 0xd9];
		const dqt = seg(0xdb, new Array(65).fill(1));
		// Entropy-coded data with a coded 0xFF (FF 00) and a restart marker (FF D0): both are data.
		const scanData = [0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56];

		it("drops the MPF index and every byte after the EOI, keeps the ICC profile", () => {
			const icc = seg(0xe2, [...text("ICC_PROFILE\0"), 1, 1, 0x41]);
			const mpf = seg(0xe2, [...text("MPF\0"), ...text("II*\0 second picture at 4096")]);
			const sof = seg(0xc0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
			const sos = seg(0xda, [1, 1, 0, 0, 63, 0]);
			const primary = [...soi, ...icc, ...mpf, ...dqt, ...sof, ...sos, ...scanData, ...eoi];
			// A phone's further picture (MPF) with its own EXIF, then a motion photo's MP4.
			const second = [...soi, ...seg(0xe1, [...text("Exif\0\0GPS 52.52N 13.40E")]), ...sos, 1, ...eoi];
			const video = [0, 0, 0, 0x18, ...text("ftypmp42"), ...text("moov udta ©xyz +52.5200+013.4000/")];
			const out = stripJpegMetadata(bytes(...primary, ...second, ...video));
			expect([...out]).toEqual([...soi, ...icc, ...dqt, ...sof, ...sos, ...scanData, ...eoi]);
			expect(latin(out)).not.toMatch(/MPF|GPS|ftyp|xyz/);
			const checked = checkUpload(bytes(...primary, ...second, ...video));
			expect(checked.ok && [...checked.bytes]).toEqual([...out]);
		});

		it("keeps every scan of a progressive JPEG and the tables between them", () => {
			const sof2 = seg(0xc2, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
			const dht1 = seg(0xc4, [0x00, 1, ...new Array(15).fill(0), 0]);
			const dht2 = seg(0xc4, [0x10, 1, ...new Array(15).fill(0), 1]);
			const sos1 = seg(0xda, [1, 1, 0, 0, 0, 0x01]);
			const sos2 = seg(0xda, [1, 1, 0x10, 1, 63, 0x10]);
			const comment = seg(0xfe, [...text("between scans: shot by informant")]);
			const scan2 = [0x9a, 0xff, 0x00, 0xff, 0xd7, 0xbc];
			const jpeg = bytes(
				...soi,
				...dqt,
				...sof2,
				...dht1,
				...sos1,
				...scanData,
				...dht2,
				...comment,
				...sos2,
				...scan2,
				...eoi,
				...text("trailer"),
			);
			const out = stripJpegMetadata(jpeg);
			expect([...out]).toEqual([
				...soi,
				...dqt,
				...sof2,
				...dht1,
				...sos1,
				...scanData,
				...dht2,
				...sos2,
				...scan2,
				...eoi,
			]);
			// Cut short inside its scan, it keeps what it has and ends with the EOI it lacked.
			const cut = stripJpegMetadata(bytes(...soi, ...dqt, ...sof2, ...dht1, ...sos1, 0x12, 0xff, 0x00, 0x34));
			expect([...cut.slice(-6)]).toEqual([0x12, 0xff, 0x00, 0x34, ...eoi]);
		});
	});

	it("keeps a PNG's allowlisted chunks only, and nothing after IEND", () => {
		const chunk = (type: string, body: number[]) => [
			(body.length >>> 24) & 255,
			(body.length >>> 16) & 255,
			(body.length >>> 8) & 255,
			body.length & 255,
			...text(type),
			...body,
			0xde,
			0xad,
			0xbe,
			0xef,
		];
		const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
		const ihdr = chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
		const iccp = chunk("iCCP", [...text("sRGB\0"), 0, 0x78]);
		const phys = chunk("pHYs", [0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1]);
		const idat = chunk("IDAT", [0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 2, 0, 1]);
		const actl = chunk("acTL", [0, 0, 0, 1, 0, 0, 0, 0]);
		const iend = chunk("IEND", []);
		const png = bytes(
			...signature,
			...ihdr,
			...iccp,
			...chunk("caBX", [...text("c2pa.claim Berlin")]),
			...chunk("tEXt", [...text("Author\0Secret Source")]),
			...chunk("iTXt", [...text("XML:com.adobe.xmp\0\0\0\0\0<x:GPS/>")]),
			...chunk("zTXt", [...text("Comment\0\0"), 0x78]),
			...chunk("eXIf", [...text("MM\0*GPS")]),
			...chunk("tIME", [7, 233, 12, 1, 10, 0, 0]),
			...actl,
			...phys,
			...chunk("prVt", [...text("private")]),
			...idat,
			...iend,
			...text("appended: GPS 52.52N"),
		);
		const checked = checkUpload(png);
		const out = checked.ok ? checked.bytes : new Uint8Array();
		expect([...out]).toEqual([...signature, ...ihdr, ...iccp, ...actl, ...phys, ...idat, ...iend]);
		expect(new TextDecoder("latin1").decode(out)).not.toMatch(/Berlin|Secret|GPS|private|appended/);
		expect(stripPngMetadata(png)).toEqual(out);
	});

	describe("WebP: allowlisted chunks only", () => {
		const riff = (...chunks: number[][]) => {
			const body = [...text("WEBP"), ...chunks.flat()];
			return bytes(...text("RIFF"), ...le32(body.length), ...body);
		};
		const image = webpChunk("VP8L", [0x2f, 1, 2, 3, 4]);

		it("drops unknown chunks (C2PA), with the RIFF size made to match", () => {
			// VP8X: flags ICC 0x20 | EXIF 0x08 | XMP 0x04, reserved bytes set, canvas size.
			const vp8x = webpChunk("VP8X", [0x2c, 1, 2, 3, 9, 0, 0, 9, 0, 0]);
			const iccp = webpChunk("ICCP", [...text("icc profile")]);
			const webp = riff(
				vp8x,
				iccp,
				webpChunk("C2PA", [...text("c2pa.claim Berlin")]),
				image,
				webpChunk("abcd", [1, 2, 3]),
			);
			const out = stripWebpMetadata(webp);
			expect(out.length).toBe(12 + vp8x.length + iccp.length + image.length);
			expect([...out.subarray(4, 8)]).toEqual(le32(out.length - 8));
			expect([...out.subarray(20, 24)]).toEqual([0x20, 0, 0, 0]);
			expect([...out.subarray(24 + 6)]).toEqual([...iccp, ...image]);
			expect(new TextDecoder("latin1").decode(out)).not.toMatch(/C2PA|Berlin|abcd/);
		});

		it("keeps an animation's frames without the unknown chunks inside them", () => {
			// VP8X: alpha 0x10 | animation 0x02.
			const vp8x = webpChunk("VP8X", [0x12, 0, 0, 0, 9, 0, 0, 9, 0, 0]);
			const anim = webpChunk("ANIM", [0, 0, 0, 0, 0, 0]);
			const frameHeader = [0, 0, 0, 0, 0, 0, 9, 0, 0, 9, 0, 0, 100, 0, 0, 0];
			const alph = webpChunk("ALPH", [0, 0xff, 0xff]);
			const frame = webpChunk("ANMF", [
				...frameHeader,
				...alph,
				...webpChunk("XTRA", [...text("Berlin")]),
				...image,
			]);
			const out = stripWebpMetadata(riff(vp8x, anim, frame));
			const kept = webpChunk("ANMF", [...frameHeader, ...alph, ...image]);
			expect([...out]).toEqual([...riff(vp8x, anim, kept)]);
		});
	});

	it("publishes an attachment under a name made from its id and type", () => {
		expect(publicFilename({ id: "abc123", contentType: "image/jpeg" })).toBe("attachment-abc123.jpg");
		expect(publicFilename({ id: "abc123", contentType: "application/pdf" })).toBe("attachment-abc123.pdf");
		expect(publicFilename({ id: "abc123", contentType: "image/webp" })).toBe("attachment-abc123.webp");
	});

	it("keeps a file name without its path or control characters", () => {
		expect(cleanFilename("C:\\Users\\me\\shot.png", "image/png")).toBe("shot.png");
		expect(cleanFilename('a"b\u0000.pdf', "application/pdf")).toBe("ab.pdf");
		expect(cleanFilename("", "image/webp")).toBe("attachment.webp");
		// Bidi controls go: with U+202E, "rechnung\u202Egnp.pdf" showed as "rechnungfdp.png".
		expect(cleanFilename("rechnung\u202Egnp.pdf", "application/pdf")).toBe("rechnunggnp.pdf");
		expect(cleanFilename("\u2067a\u2069\u200E\u200F\u202A\u202B\u202C\u202D.png", "image/png")).toBe("a.png");
	});

	it("cuts a long file name by code points and keeps its extension", () => {
		const cut = cleanFilename(`${"x".repeat(110)}${"😀".repeat(20)}.png`, "image/png");
		expect(Array.from(cut)).toHaveLength(120);
		expect(cut).toBe(`${"x".repeat(110)}${"😀".repeat(6)}.png`);
		// A dot inside a sentence is no extension: the checked type's is appended.
		expect(cleanFilename(`A. ${"y".repeat(130)}`, "image/png")).toBe(`A. ${"y".repeat(113)}.png`);
	});

	it("ends a file name in an extension of the checked type, whatever the uploader's said", () => {
		// Saved as tip.html, a PDF with HTML after its header opened as a page and ran its script.
		expect(cleanFilename("tip.html", "application/pdf")).toBe("tip.html.pdf");
		expect(cleanFilename("shot.svg", "image/png")).toBe("shot.svg.png");
		expect(cleanFilename("scan", "image/webp")).toBe("scan.webp");
		expect(cleanFilename(".htaccess", "image/png")).toBe(".htaccess.png");
		// A matching extension stays as it was written.
		expect(cleanFilename("IMG_1.JPEG", "image/jpeg")).toBe("IMG_1.JPEG");
		expect(cleanFilename("Bericht.PDF", "application/pdf")).toBe("Bericht.PDF");
		const long = cleanFilename(`${"z".repeat(130)}.html`, "application/pdf");
		expect(long).toBe(`${"z".repeat(116)}.pdf`);
	});

	it("names a download with an ASCII fallback and an RFC 8187 filename*", () => {
		expect(contentDisposition("attachment", "Minister's speech (1).png")).toBe(
			`attachment; filename="Minister's speech (1).png"; filename*=UTF-8''Minister%27s%20speech%20%281%29.png`,
		);
		expect(contentDisposition("inline", 'Zo\u00eb 😀 "100%" \\x*.jpg')).toBe(
			`inline; filename="Zoe _ 100 _x*.jpg"; filename*=UTF-8''Zo%C3%AB%20%F0%9F%98%80%20%22100%25%22%20%5Cx%2A.jpg`,
		);
		// Fullwidth solidi fold into / and \ for the fallback: they make no path there.
		expect(contentDisposition("attachment", "..\uFF0F..\uFF0Fetc\uFF0Fpasswd.pdf")).toMatch(
			/^attachment; filename="_\.\._etc_passwd\.pdf"; /,
		);
		expect(contentDisposition("attachment", "..\uFF3C..\uFF3Cboot.ini.pdf")).toMatch(
			/^attachment; filename="_\.\._boot\.ini\.pdf"; /,
		);
		// Nor do they in the name kept: only what follows the last one is.
		expect(cleanFilename("..\uFF0F..\uFF0Fetc\uFF0Fpasswd.pdf", "application/pdf")).toBe("passwd.pdf");
		expect(cleanFilename("C:\uFF3CUsers\uFF3Cshot.png", "image/png")).toBe("shot.png");
		// A half emoji stored by the old cut does not make the header throw.
		expect(contentDisposition("inline", "a\ud83d.png")).toBe(
			`inline; filename="a_.png"; filename*=UTF-8''a%EF%BF%BD.png`,
		);
	});
});

describe("copyForCitation", () => {
	const copy = (id: string, fetchedAt: string | null) => ({ id, fetchedAt });
	const copies = [
		copy("day1", "2025-07-01T10:00:00.000Z"),
		copy("day5", "2025-07-05T10:00:00.000Z"),
		copy("day9", "2025-07-09T10:00:00.000Z"),
	];

	it("is the copy made for the citation: from a day before it to the end of its fetch's retries", () => {
		expect(copyForCitation(copies, "2025-07-01T09:59:00.000Z")?.id).toBe("day1");
		// A copy under a day old is reused for a new citation, not fetched again.
		expect(copyForCitation(copies, "2025-07-02T09:00:00.000Z")?.id).toBe("day1");
		expect(copyForCitation(copies, "2025-07-05T09:00:00.000Z")?.id).toBe("day5");
		expect(copyForCitation(copies, "2025-07-09T09:59:00.000Z")?.id).toBe("day9");
		// Its own copy may come hours later, after the fetch's retries.
		expect(copyForCitation(copies, "2025-07-05T03:00:00.000Z")?.id).toBe("day5");
	});

	it("else the newest copy from before the citation (its own fetch failed), else the first after", () => {
		// Cited on day 3, whose own fetch failed: what existed then (day 1), not day 5's edited page.
		expect(copyForCitation(copies, "2025-07-03T12:00:00.000Z")?.id).toBe("day1");
		expect(copyForCitation(copies, "2025-07-08T12:00:00.000Z")?.id).toBe("day5");
		expect(copyForCitation(copies, "2025-08-01T00:00:00.000Z")?.id).toBe("day9");
		expect(copyForCitation(copies.slice(1), "2025-06-01T00:00:00.000Z")?.id).toBe("day5");
	});

	it("is the newest copy when the citation's time is unknown", () => {
		expect(copyForCitation(copies, null)?.id).toBe("day9");
		expect(copyForCitation([], "2025-07-01T00:00:00.000Z")).toBeUndefined();
		expect(copyForCitation(undefined, null)).toBeUndefined();
	});
});

describe("formatSize", () => {
	it("writes a decimal comma in German", () => {
		expect(formatSize(3.4 * 1024 * 1024)).toBe("3.4 MB");
		expect(formatSize(3.4 * 1024 * 1024, "de")).toBe("3,4 MB");
		expect(formatSize(10, "de")).toBe("1 KB");
	});
});
