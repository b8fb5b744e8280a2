import { describe, expect, it } from "vitest";
import { isLoopbackHost, TokenUrlError, tokenUrlOf } from "../../scripts/lib/token-url";

describe("tokenUrlOf (where the CLIs send an API token)", () => {
	it("takes https:// anywhere and plain http:// to this machine, without trailing slashes", () => {
		expect(tokenUrlOf("https://claims.example/")).toBe("https://claims.example");
		expect(tokenUrlOf("https://claims.example:8443/desk//")).toBe("https://claims.example:8443/desk");
		for (const local of [
			"http://localhost:8787",
			"http://127.0.0.1:8787/",
			"http://127.8.9.10",
			"http://127.1:8787",
			"http://[::1]:8787",
		]) {
			expect(() => tokenUrlOf(local), local).not.toThrow();
		}
	});

	it("refuses plain http:// to any other host, saying what to give instead", () => {
		for (const remote of [
			"http://claims.example",
			"http://10.20.30.40:8787",
			"http://192.0.2.2",
			"http://[2001:db8::1]",
			"http://localhost.claims.example",
			"http://127.0.0.1.claims.example",
			"http://0.0.0.0:8787",
		]) {
			expect(() => tokenUrlOf(remote), remote).toThrow(TokenUrlError);
		}
		expect(() => tokenUrlOf("http://claims.example/")).toThrow(
			/^--url http:\/\/claims\.example\/: an API token goes only to an https:\/\/ address \(https:\/\/claims\.example\), or over plain http:\/\/ to this machine \(localhost, 127\.0\.0\.1, \[::1\]; a local npm start is http:\/\/localhost:8787\).*Nothing was sent\.$/,
		);
		expect(() => tokenUrlOf("http://claims.example", "CLAIMTRACK_URL")).toThrow(/^CLAIMTRACK_URL http:/);
	});

	it("refuses what is not an http(s) address", () => {
		expect(() => tokenUrlOf("claims.example")).toThrow(
			/is not an address: give the deployment's, e.g. https:/,
		);
		expect(() => tokenUrlOf("localhost:8787")).toThrow(TokenUrlError);
		expect(() => tokenUrlOf("ftp://claims.example")).toThrow(/goes only to an https:\/\/ address, or/);
	});

	it("knows loopback hosts as the URL parser writes them", () => {
		expect(isLoopbackHost("localhost")).toBe(true);
		expect(isLoopbackHost("127.255.0.1")).toBe(true);
		expect(isLoopbackHost("[::1]")).toBe(true);
		expect(isLoopbackHost("128.0.0.1")).toBe(false);
		expect(isLoopbackHost("::1")).toBe(false);
	});
});
