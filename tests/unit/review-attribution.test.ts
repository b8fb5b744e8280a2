import { describe, expect, it } from "vitest";
import {
	creditFor,
	type House,
	houseSites,
	importedReview,
	isExternalReview,
	siteFilterHost,
	siteMatches,
	siteOf,
} from "../../src/domain/review-attribution";

const OURS = houseSites("https://www.claimtrack.example", "http://claimtrack.test:8787/");
const HOUSE: House = {
	name: "Claimtrack Demo Desk",
	url: "https://claimtrack.example",
	site: "claimtrack.test",
	sites: OURS,
};

describe("whose review a verdict is: its review URL decides", () => {
	it("knows our hosts without www. or a port", () => {
		expect(OURS).toEqual(["claimtrack.test", "claimtrack.example"]);
		expect(houseSites("not a url", undefined)).toEqual([]);
		expect(houseSites("https://same.example", "https://www.same.example")).toEqual(["same.example"]);
	});

	it("is ours without a review URL (the desk's verdicts) and on our own hosts", () => {
		expect(isExternalReview(null, OURS)).toBe(false);
		expect(isExternalReview(undefined, OURS)).toBe(false);
		expect(isExternalReview("", OURS)).toBe(false);
		expect(isExternalReview("https://claimtrack.example/checks/1", OURS)).toBe(false);
		expect(isExternalReview("https://WWW.Claimtrack.Example/checks/1", OURS)).toBe(false);
		expect(isExternalReview("http://claimtrack.test/claims/x", OURS)).toBe(false);
	});

	it("is another publisher's on any other host, a subdomain of ours included", () => {
		expect(isExternalReview("https://correctiv.org/faktencheck/x", OURS)).toBe(true);
		expect(isExternalReview("https://www.politifact.com/factchecks/2020/x/", OURS)).toBe(true);
		expect(isExternalReview("https://blog.claimtrack.example/x", OURS)).toBe(true);
		// Whose it is cannot be told from something that is no web address: never stored, named nobody.
		expect(isExternalReview("javascript:alert(1)", OURS)).toBe(false);
		expect(isExternalReview("correctiv.org/x", OURS)).toBe(false);
	});

	it("reads a site as Google's publisher.site: the host, lower case, without www.", () => {
		expect(siteOf("https://www.Correctiv.org/faktencheck/x")).toBe("correctiv.org");
		expect(siteOf("https://user:pw@correctiv.org:8443/x")).toBe("correctiv.org");
		expect(siteOf("https://bücher.example/x")).toBe("xn--bcher-kva.example");
		expect(siteOf("ftp://correctiv.org/x")).toBeNull();
		expect(siteOf(null)).toBeNull();
	});
});

describe("importedReview: what an import stores", () => {
	it("keeps the review's address and its publisher, else its host as the name", () => {
		expect(importedReview("https://correctiv.org/faktencheck/x", "Correctiv")).toEqual({
			reviewUrl: "https://correctiv.org/faktencheck/x",
			reviewPublisher: "Correctiv",
		});
		expect(importedReview("https://www.Correctiv.org", "  ")).toEqual({
			reviewUrl: "https://www.correctiv.org/",
			reviewPublisher: "correctiv.org",
		});
		expect(importedReview(null, "Correctiv")).toBeNull();
		expect(importedReview("mailto:x@correctiv.org", "Correctiv")).toBeNull();
	});
});

describe("creditFor: who checked it, as every surface names it", () => {
	it("credits another publisher's review to them, with their review and site", () => {
		expect(
			creditFor(
				{ reviewUrl: "https://www.correctiv.org/faktencheck/x", reviewPublisher: "Correctiv" },
				HOUSE,
			),
		).toEqual({
			external: true,
			name: "Correctiv",
			site: "correctiv.org",
			url: "https://www.correctiv.org",
			reviewUrl: "https://www.correctiv.org/faktencheck/x",
		});
		expect(creditFor({ reviewUrl: "https://correctiv.org/x", reviewPublisher: null }, HOUSE).name).toBe(
			"correctiv.org",
		);
	});

	it("credits the desk's verdicts and imports from our own site to us", () => {
		const ours = {
			external: false,
			name: HOUSE.name,
			site: "claimtrack.test",
			url: HOUSE.url,
			reviewUrl: null,
		};
		expect(creditFor({ reviewUrl: null, reviewPublisher: null }, HOUSE)).toEqual(ours);
		expect(
			creditFor({ reviewUrl: "https://claimtrack.example/archive/1", reviewPublisher: "Old CMS" }, HOUSE),
		).toEqual(ours);
	});
});

describe("reviewPublisherSiteFilter", () => {
	it("is read as a host, www. and case aside; anything else matches nothing", () => {
		expect(siteFilterHost("www.Correctiv.org")).toBe("correctiv.org");
		expect(siteFilterHost(" correctiv.org ")).toBe("correctiv.org");
		expect(siteFilterHost("https://correctiv.org")).toBeNull();
		expect(siteFilterHost("correctiv.org/x")).toBeNull();
		expect(siteFilterHost("")).toBeNull();
	});

	it("matches the site itself and its subdomains, not look-alikes", () => {
		expect(siteMatches("correctiv.org", "correctiv.org")).toBe(true);
		expect(siteMatches("faktencheck.correctiv.org", "correctiv.org")).toBe(true);
		expect(siteMatches("notcorrectiv.org", "correctiv.org")).toBe(false);
		expect(siteMatches("correctiv.org", "faktencheck.correctiv.org")).toBe(false);
	});
});
