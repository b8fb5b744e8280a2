import { describe, expect, it } from "vitest";
import {
	archiveOrgSave,
	newsroomTimeZone,
	publishingMode,
	settingProblems,
	unreviewedMode,
} from "../../src/domain/deployment-settings";

const PRODUCTION = {
	PUBLIC_UNREVIEWED: "list",
	PUBLISHING: "any-editor",
	ARCHIVE_ORG_SAVE: "false",
	NEWSROOM_TIME_ZONE: "Europe/Berlin",
	PUBLIC_URL: "https://factcheck.example.org",
	ORG_NAME: "Faktencheck Nord",
	ORG_URL: "https://nord.example.org",
};

describe("reading the settings", () => {
	it("reads the allowed values however they are cased or spaced, and the defaults when absent", () => {
		expect(unreviewedMode({})).toBe("list");
		expect(unreviewedMode({ PUBLIC_UNREVIEWED: "" })).toBe("list");
		expect(unreviewedMode({ PUBLIC_UNREVIEWED: " Hide " })).toBe("hide");
		expect(publishingMode({})).toBe("any-editor");
		expect(publishingMode({ PUBLISHING: "SECOND-EDITOR" })).toBe("second-editor");
		expect(publishingMode({ PUBLISHING: "any-editor" })).toBe("any-editor");
	});

	it("turns the Internet Archive on for true in any case or spacing only", () => {
		for (const on of ["true", " TRUE ", "True"]) expect(archiveOrgSave({ ARCHIVE_ORG_SAVE: on })).toBe(true);
		for (const off of [undefined, "", "false", "yes", "1"])
			expect(archiveOrgSave({ ARCHIVE_ORG_SAVE: off })).toBe(false);
		// What the desk then reads is what the warning says it reads.
		expect(settingProblems({ ARCHIVE_ORG_SAVE: " TRUE " }, "https://x.example")).not.toContainEqual(
			expect.objectContaining({ name: "ARCHIVE_ORG_SAVE" }),
		);
	});

	it("reads a value it does not know as the safer one: hide unfinished work, ask for a second editor", () => {
		for (const typo of ["hidden", "Hide it", "no", "list,hide"])
			expect(unreviewedMode({ PUBLIC_UNREVIEWED: typo })).toBe("hide");
		for (const typo of ["second_editor", "second editor", "4-eyes", "any"])
			expect(publishingMode({ PUBLISHING: typo })).toBe("second-editor");
	});
});

describe("what is wrong with the settings", () => {
	it("finds nothing in a deployment set up as README says, reached at its own address", () => {
		expect(settingProblems(PRODUCTION, "https://factcheck.example.org")).toEqual([]);
	});

	it("names an unknown value, what it allows and what is used meanwhile", () => {
		expect(
			settingProblems(
				{ ...PRODUCTION, PUBLIC_UNREVIEWED: "hidden", PUBLISHING: "second_editor", ARCHIVE_ORG_SAVE: "yes" },
				"https://factcheck.example.org",
			),
		).toEqual([
			{
				kind: "unknown-value",
				name: "PUBLIC_UNREVIEWED",
				value: "hidden",
				allowed: ["list", "hide"],
				using: "hide",
			},
			{
				kind: "unknown-value",
				name: "PUBLISHING",
				value: "second_editor",
				allowed: ["any-editor", "second-editor"],
				using: "second-editor",
			},
			{
				kind: "unknown-value",
				name: "ARCHIVE_ORG_SAVE",
				value: "yes",
				allowed: ["true", "false"],
				using: "false",
			},
		]);
	});

	it("flags the example's localhost address and demo names once the deployment is reached from elsewhere", () => {
		const example = {
			...PRODUCTION,
			PUBLIC_URL: "http://localhost:8787",
			ORG_NAME: "Claimtrack Demo Desk",
			ORG_URL: "https://claimtrack.example",
		};
		// On this machine (wrangler dev) they are right.
		for (const local of [
			"http://localhost:8787",
			"http://127.0.0.1:8787",
			"http://[::1]:8787",
			"http://desk.localhost",
		])
			expect(settingProblems(example, local)).toEqual([]);
		expect(settingProblems(example, "https://claimtrack.newsroom.workers.dev")).toEqual([
			{
				kind: "public-url-elsewhere",
				value: "http://localhost:8787",
				reachedAt: "https://claimtrack.newsroom.workers.dev",
			},
			{ kind: "demo-value", name: "ORG_NAME", value: "Claimtrack Demo Desk" },
			{ kind: "demo-value", name: "ORG_URL", value: "https://claimtrack.example" },
		]);
	});

	it("flags the workers.dev address still serving a site whose PUBLIC_URL is its own domain, and plain http", () => {
		expect(settingProblems(PRODUCTION, "https://claimtrack.newsroom.workers.dev")).toEqual([
			{
				kind: "public-url-elsewhere",
				value: "https://factcheck.example.org",
				reachedAt: "https://claimtrack.newsroom.workers.dev",
			},
		]);
		expect(
			settingProblems(
				{ ...PRODUCTION, PUBLIC_URL: "http://factcheck.example.org" },
				"http://factcheck.example.org",
			),
		).toEqual([{ kind: "public-url-insecure", value: "http://factcheck.example.org" }]);
	});

	it("flags addresses that are not http(s) addresses, wherever it is reached", () => {
		for (const reached of ["http://localhost:8787", "https://factcheck.example.org"]) {
			expect(
				settingProblems(
					{ ...PRODUCTION, PUBLIC_URL: "factcheck.example.org", ORG_URL: "javascript:alert(1)" },
					reached,
				),
			).toEqual([
				{ kind: "invalid-url", name: "PUBLIC_URL", value: "factcheck.example.org" },
				{ kind: "invalid-url", name: "ORG_URL", value: "javascript:alert(1)" },
			]);
		}
	});

	it("flags a newsroom time zone that is no IANA zone, wherever it is reached, and says UTC is used meanwhile", () => {
		for (const reached of ["http://localhost:8787", "https://factcheck.example.org"])
			for (const value of ["Berlin", "CET+1", "+01:00", "Europe/Berlín"])
				expect(settingProblems({ ...PRODUCTION, NEWSROOM_TIME_ZONE: value }, reached), value).toEqual([
					{ kind: "invalid-time-zone", name: "NEWSROOM_TIME_ZONE", value, using: "UTC" },
				]);
		// IANA's POSIX-style names are zones, digits and all.
		for (const value of ["EST5EDT", "PST8PDT", "GMT0"])
			expect(
				settingProblems({ ...PRODUCTION, NEWSROOM_TIME_ZONE: value }, "https://factcheck.example.org"),
				value,
			).toEqual([]);
		// Absent or empty is no mistake: UTC, as before the setting.
		const { NEWSROOM_TIME_ZONE: _zone, ...without } = PRODUCTION;
		expect(settingProblems(without, "https://factcheck.example.org")).toEqual([]);
		expect(
			settingProblems({ ...PRODUCTION, NEWSROOM_TIME_ZONE: " " }, "https://factcheck.example.org"),
		).toEqual([]);
	});
});

describe("the newsroom's time zone", () => {
	it("is the zone named, however cased or spaced; UTC when absent or no zone", () => {
		expect(newsroomTimeZone({ NEWSROOM_TIME_ZONE: "Europe/Berlin" })).toBe("Europe/Berlin");
		expect(newsroomTimeZone({ NEWSROOM_TIME_ZONE: " america/new_york " })).toBe("America/New_York");
		for (const value of [undefined, "", "Berlin", "+01:00"])
			expect(newsroomTimeZone({ NEWSROOM_TIME_ZONE: value }), String(value)).toBe("UTC");
	});
});
