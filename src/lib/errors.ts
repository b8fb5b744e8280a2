export interface FieldProblem {
	/** JSON-pointer-like dotted path of the offending field, e.g. "sources.0.url". */
	path: string;
	message: string;
}

/**
 * The statuses' standard phrases (RFC 9110 §15): an `about:blank` problem's title SHOULD be
 * its status's phrase (RFC 9457 §4.2.1), so a client may read it as that status alone; what
 * went wrong is the `detail`. (It said "Authentication required" and "Validation failed".)
 */
const TITLES: Record<number, string> = {
	400: "Bad Request",
	401: "Unauthorized",
	403: "Forbidden",
	404: "Not Found",
	405: "Method Not Allowed",
	409: "Conflict",
	410: "Gone",
	413: "Content Too Large",
	415: "Unsupported Media Type",
	422: "Unprocessable Content",
	429: "Too Many Requests",
	500: "Internal Server Error",
	501: "Not Implemented",
	502: "Bad Gateway",
	503: "Service Unavailable",
};

/**
 * A problem's title goes with its type, whoever answers it: a removed claim's 410 said
 * "Removed from the tracker" on GET but "Gone" on DELETE. (GET says it in the answer's
 * language, and so passes its own.)
 */
const CODE_TITLES: Record<string, string> = {
	"claim-removed": "Removed from the tracker",
};

/**
 * The one error type routes and stores throw. `onError` turns it into an RFC 9457
 * problem+json body (or an HTML page); its message is meant for the client.
 */
export class AppError extends Error {
	readonly status: number;
	readonly title: string;
	readonly errors: FieldProblem[] | undefined;
	readonly headers: Record<string, string>;
	/** Machine-readable reason, e.g. "version-conflict", "duplicate-url". */
	readonly code: string | undefined;
	readonly extra: Record<string, unknown>;
	/**
	 * The detail (and field messages) in German, for words no table of messages can make
	 * from the English (a refused search's): a read asked for with `?lang=de` answers them
	 * (lib/error-handler `problemIn`).
	 */
	readonly german: { detail: string; errors?: FieldProblem[] } | undefined;

	constructor(
		status: number,
		detail?: string,
		options: {
			title?: string;
			errors?: FieldProblem[];
			headers?: Record<string, string>;
			code?: string;
			extra?: Record<string, unknown>;
			german?: { detail: string; errors?: FieldProblem[] };
		} = {},
	) {
		super(detail ?? TITLES[status] ?? "Error");
		this.name = "AppError";
		this.status = status;
		this.title = options.title ?? CODE_TITLES[options.code ?? ""] ?? TITLES[status] ?? "Error";
		this.errors = options.errors;
		this.headers = options.headers ?? {};
		this.code = options.code;
		this.extra = options.extra ?? {};
		this.german = options.german;
	}
}

/**
 * "No such …" of what the public reads, in German: a read's problem speaks its `?lang=`
 * (lib/error-handler `problemIn`), and the desk's table of messages (views/desk/labels) takes
 * these too. Here, not there: that table is the desk's, too big for the public Worker.
 */
export const NOT_FOUND_GERMAN: Readonly<Record<string, string>> = {
	claim: "Diese Behauptung gibt es nicht.",
	speaker: "Diese Person oder Organisation gibt es nicht.",
	source: "Diese Quelle gibt es nicht.",
	topic: "Dieses Thema gibt es nicht.",
	appearance: "Diese Fundstelle gibt es nicht.",
	attachment: "Diesen Anhang gibt es nicht.",
	"archived copy": "Diese archivierte Kopie gibt es nicht.",
	"claim page at this url": "Unter dieser Adresse gibt es keine Seite einer Behauptung.",
	sitemap: "Diese Sitemap gibt es nicht.",
	resource: "Das gibt es nicht.",
};

export const notFound = (what = "resource") => {
	const german = NOT_FOUND_GERMAN[what];
	return new AppError(404, `No such ${what}.`, german ? { german: { detail: german } } : {});
};
export const conflict = (detail: string, code: string, extra?: Record<string, unknown>) =>
	new AppError(409, detail, { code, ...(extra ? { extra } : {}) });
export const forbidden = (detail = "Your role does not allow this.") => new AppError(403, detail);

/**
 * The desk Worker's run failed (its CPU limit, an uncaught error): the DESK binding's fetch
 * rejected. Logged with the request id the client is given; the client hears a 503 to try
 * again, never the failure (unanswered, it was Cloudflare's 1101 page). A write may have
 * landed before the run failed. Its Idempotency-Key was marked written in the write's own
 * batch (store/idempotency `markingDb`), so a repeat under that key answers what was written
 * and never writes it again: the detail says so, for a route that accepts a key (the API's
 * creates, whose OpenAPI names the header, and the desk's forms), and to read back first
 * otherwise. This answer is every route's: the other writes (publish, correct, retract, merge,
 * remove, PATCH, import) ignore the header; versioned or matched by `externalId`, a repeat of
 * them makes nothing twice, but answers a 409 instead of the write's answer.
 */
export function deskWorkerFailed(
	request: { requestId: string | undefined; method: string; path: string },
	error: unknown,
): AppError {
	console.error(JSON.stringify({ event: "desk-worker-failed", ...request, error: String(error) }));
	return new AppError(503, DESK_WORKER_FAILED, { headers: { "Retry-After": "5" } });
}

const DESK_WORKER_FAILED =
	"The request could not be answered just now. Try again shortly. A write may have been made before it failed: sent again with the same Idempotency-Key on a route that accepts one (the OpenAPI document names it; every desk form sends one), it is made at most once (the repeat answers what was written); otherwise, read back what you sent before sending it again.";

export interface ProblemBody {
	type: string;
	title: string;
	status: number;
	detail?: string;
	instance?: string;
	requestId?: string;
	errors?: FieldProblem[];
	[key: string]: unknown;
}

export function problemBody(error: AppError, instance: string, requestId: string | undefined): ProblemBody {
	return {
		type: error.code ? `urn:claimtrack:problem:${error.code}` : "about:blank",
		// A title of our own goes with a type of our own; `about:blank` has the status's phrase.
		title: error.code ? error.title : (TITLES[error.status] ?? error.title),
		status: error.status,
		detail: error.message,
		instance,
		...(requestId ? { requestId } : {}),
		...(error.errors ? { errors: error.errors } : {}),
		...error.extra,
	};
}

/** google.rpc.Code names of the statuses this service answers (Google's API design guide). */
const GOOGLE_STATUS: Record<number, string> = {
	400: "INVALID_ARGUMENT",
	401: "UNAUTHENTICATED",
	403: "PERMISSION_DENIED",
	404: "NOT_FOUND",
	405: "UNIMPLEMENTED",
	409: "ABORTED",
	413: "INVALID_ARGUMENT",
	415: "INVALID_ARGUMENT",
	429: "RESOURCE_EXHAUSTED",
	500: "INTERNAL",
	501: "UNIMPLEMENTED",
	503: "UNAVAILABLE",
	504: "DEADLINE_EXCEEDED",
};

export interface GoogleErrorBody {
	error: {
		code: number;
		message: string;
		status: string;
		details: Record<string, unknown>[];
	};
}

/**
 * An error as Google's APIs answer one (google.rpc.Status), for the Fact Check Tools
 * compatible surface: its clients read `error.message` and branch on `error.status`.
 * Google answers every invalid argument with 400, so our 422 is 400 there.
 */
export function googleErrorBody(error: AppError, requestId: string | undefined): GoogleErrorBody {
	const code = error.status === 422 ? 400 : error.status;
	const violations = (error.errors ?? []).map((problem) => ({
		// `query.pageSize` is Google's field `pageSize`.
		field: problem.path.replace(/^query\./, ""),
		description: problem.message,
	}));
	return {
		error: {
			code,
			// Google's parameters are top-level names: "pageSize: …", not "query.pageSize: …".
			message: code >= 500 ? error.title : error.message.replace(/^query\./, ""),
			status: GOOGLE_STATUS[code] ?? (code >= 500 ? "INTERNAL" : "FAILED_PRECONDITION"),
			details: [
				...(violations.length > 0
					? [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: violations }]
					: []),
				...(requestId ? [{ "@type": "type.googleapis.com/google.rpc.RequestInfo", requestId }] : []),
			],
		},
	};
}
