import { describe, expect, it } from "vitest";
import { newId } from "../../src/domain/ids";
import { apiToken, makeUser, snapshot } from "../desk/helpers";
import { call, json } from "../helpers";

/**
 * JSON bodies are UTF-8. Request.json() replaced bytes that are not with U+FFFD, which was
 * then stored for good ("F\uFFFDhren", a speaker slug "hans-m-ller-…"), and a declared
 * charset was ignored, its bytes read as UTF-8 anyway.
 */

/** JSON text with its non-ASCII letters written as ISO-8859-1 bytes (ü is 0xFC, ä 0xE4). */
function latin1(text: string): Uint8Array {
	return Uint8Array.from(text, (char) => {
		const code = char.charCodeAt(0);
		if (code > 0xff) throw new Error(`not Latin-1: ${char}`);
		return code;
	});
}

interface Problem {
	status: number;
	detail: string;
}

const claimBody = (id: string) => ({
	text: `Die Fähre ${id} fährt nicht mehr über die Förde.`,
	language: "de",
	speaker: { name: `Hans Müller ${id}`, kind: "person" },
	source: { url: `https://news.example/${id}`, title: "Fähren" },
});

const importBody = (id: string) => ({
	records: [
		{
			externalId: `latin1-${id}`,
			claim: { text: `Die Fähre ${id} fährt nicht mehr.`, language: "de", claimedAt: "2025-07-01" },
			speaker: { name: `Hans Müller ${id}`, kind: "person" },
			sources: [{ url: `https://news.example/${id}`, title: "Fähren" }],
			verdict: null,
		},
	],
});

async function token(scopes: ("claims:write" | "import")[]) {
	const { user } = await makeUser("editor");
	return (await apiToken(user, scopes)).token;
}

function post(path: string, token: string, contentType: string, body: Uint8Array | string) {
	return call(path, {
		method: "POST",
		headers: { Authorization: `Bearer ${token}`, "Content-Type": contentType },
		body,
	});
}

describe("JSON bodies that are not UTF-8", () => {
	it("POST /api/v1/claims: Latin-1 bytes are a 400 problem, and nothing is stored", async () => {
		const writer = await token(["claims:write"]);
		const before = await snapshot();
		const body = latin1(JSON.stringify(claimBody(newId())));
		const response = await post("/api/v1/claims", writer, "application/json", body);
		expect(response.status).toBe(400);
		expect(response.headers.get("content-type")).toContain("application/problem+json");
		expect((await json<Problem>(response)).detail).toBe("The body is not valid UTF-8.");
		expect(await snapshot()).toEqual(before);
	});

	it("POST /api/v1/import: Latin-1 bytes are a 400 problem, and nothing is stored", async () => {
		const importer = await token(["import"]);
		const before = await snapshot();
		const body = latin1(JSON.stringify(importBody(newId())));
		const response = await post("/api/v1/import", importer, "application/json", body);
		expect(response.status).toBe(400);
		expect((await json<Problem>(response)).detail).toBe("The body is not valid UTF-8.");
		expect(await snapshot()).toEqual(before);
	});

	it("a declared charset other than UTF-8 is a 415, also with bytes that happen to decode", async () => {
		const importer = await token(["import"]);
		const before = await snapshot();
		for (const body of [latin1(JSON.stringify(importBody(newId()))), JSON.stringify(importBody("ascii"))]) {
			const response = await post("/api/v1/import", importer, "application/json; charset=iso-8859-1", body);
			expect(response.status).toBe(415);
			expect((await json<Problem>(response)).detail).toContain("UTF-8");
		}
		expect(await snapshot()).toEqual(before);
	});

	it("UTF-8 passes, declared (any spelling) or not, and the letters are stored as sent", async () => {
		const writer = await token(["claims:write"]);
		for (const contentType of [
			"application/json",
			"application/json; charset=UTF-8",
			'application/json;charset="utf8"',
		]) {
			const body = claimBody(newId());
			const response = await post(
				"/api/v1/claims",
				writer,
				contentType,
				new TextEncoder().encode(JSON.stringify(body)),
			);
			expect(response.status, contentType).toBe(201);
			const claim = await json<{ text: string; speaker: { name: string; slug: string } }>(response);
			expect(claim.text).toBe(body.text);
			expect(claim.speaker.name).toBe(body.speaker.name);
			expect(claim.speaker.slug).toMatch(/^hans-mueller-|^hans-muller-/);
		}
	});
});
