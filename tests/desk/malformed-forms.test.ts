import { afterEach, describe, expect, it, vi } from "vitest";
import { makeClaim } from "../factories";
import { call } from "../helpers";
import { account, ORIGIN } from "./helpers";

/** A form post whose body is not the multipart its Content-Type says it is. */
function malformed(path: string, contentType: string, cookie?: string) {
	return call(path, {
		method: "POST",
		headers: { "Content-Type": contentType, Origin: ORIGIN, ...(cookie ? { Cookie: cookie } : {}) },
		body: "email=someone%40desk.test&password=guess",
		redirect: "manual",
	});
}

// Response.formData() throws "No boundary string in Content-Type header" for the first and
// "No initial boundary string" for the second.
const BROKEN = ["multipart/form-data", "multipart/form-data; boundary=----not-in-the-body"];

describe("a desk post whose body is no form", () => {
	afterEach(() => vi.restoreAllMocks());

	it("is a 400 page at the login, which needs no session, and is not logged as our error", async () => {
		const logged = vi.spyOn(console, "error");
		for (const contentType of BROKEN) {
			const response = await malformed("/desk/login", contentType);
			expect(response.status, contentType).toBe(400);
			expect(response.headers.get("Content-Type")).toContain("text/html");
			expect(await response.text()).toContain("The request body is not valid JSON or form data.");
		}
		expect(logged).not.toHaveBeenCalled();
	});

	it("is a 400 on a signed-in form and on the attachment form, never a 500", async () => {
		const checker = await account("checker");
		const claim = await makeClaim();
		const logged = vi.spyOn(console, "error");
		for (const path of ["/desk/claims", `/desk/claims/${claim.id}/attachments`]) {
			for (const contentType of BROKEN) {
				const response = await malformed(path, contentType, checker.cookie);
				expect(response.status, `${path} ${contentType}`).toBe(400);
			}
		}
		expect(logged).not.toHaveBeenCalled();
	});
});
