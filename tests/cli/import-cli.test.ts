import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker, type LocalWorker, startLocalWorker } from "../../scripts/lib/local-worker";
import { generateApiToken } from "../../src/auth/api-tokens";
import { sha256Hex } from "../../src/domain/ids";
import { SYSTEM } from "../../src/store/batch";
import { createApiToken } from "../../src/store/tokens";
import { createUser } from "../../src/store/users";

/*
 * `npm run import` end to end: the CLI as a child process against the bundled Worker
 * served by workerd (Miniflare's API, fresh in-memory D1), with a real API token.
 */

const root = path.resolve(import.meta.dirname, "../..");
let worker: LocalWorker;
let token: string;
let dir: string;

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), "claimtrack-import-"));
	worker = await startLocalWorker({ scripts: bundleWorker(path.join(dir, "bundle")) });
	const user = await createUser(worker.db, SYSTEM("test"), {
		email: "importer@cli.test",
		name: "Importer",
		role: "editor",
		passwordHash: null,
	});
	token = generateApiToken();
	await createApiToken(worker.db, SYSTEM("test"), {
		userId: user.id,
		name: "cli test",
		scopes: ["import"],
		tokenHash: await sha256Hex(token),
	});
}, 180_000);

afterAll(async () => {
	await worker?.dispose();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

function start(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<Run> } {
	// tsx as a loader, not its CLI: the CLI runs the script in a child process, which a kill would miss.
	const child = spawn(process.execPath, ["--import", "tsx", "scripts/import.ts", ...args], {
		cwd: root,
		// A variable set to undefined here is not passed on.
		env: { ...process.env, CLAIMTRACK_TOKEN: token, CLAIMTRACK_URL: worker.url, ...env },
		stdio: ["ignore", "pipe", "pipe"],
	});
	let stdout = "";
	let stderr = "";
	child.stdout?.on("data", (chunk: Buffer) => {
		stdout += chunk.toString("utf8");
	});
	child.stderr?.on("data", (chunk: Buffer) => {
		stderr += chunk.toString("utf8");
	});
	const done = new Promise<Run>((resolve) =>
		child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
	);
	return { child, done };
}

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => start(args, env).done;

/** A port nothing listens on: one the system just handed out and took back. */
function closedPort(): Promise<number> {
	return new Promise((resolve) => {
		const server = createServer().listen(0, "127.0.0.1", () => {
			const address = server.address();
			server.close(() => resolve(typeof address === "object" && address ? address.port : 1));
		});
	});
}

async function count(sql: string, ...params: string[]): Promise<number> {
	const row = await worker.d1
		.prepare(sql)
		.bind(...params)
		.first<{ n: number }>();
	return row?.n ?? 0;
}

function readLines<T>(file: string): T[] {
	return readFileSync(file, "utf8")
		.split("\n")
		.filter(Boolean)
		.map((line) => JSON.parse(line) as T);
}

const RATINGS = ["True", "False", "Mostly false", "Pants on Fire!", "Richtig", "Teilweise richtig"];
const SPEAKERS = [
	"Anna Beispiel",
	"Bert Muster",
	"Sergei Lawrow",
	"Sergej Lawrow",
	"Choe Son-hui",
	"Olaf Scholz",
];

/**
 * A CSV with a BOM, quoted fields, a Latin-1 row in a UTF-8 file and four bad rows; returns
 * the file and the 1-based lines of the bad rows. Every verdict has its review URL, its evidence.
 */
function writeCsv(tag: string, rows: number) {
	const lines: (string | Buffer)[] = ["\uFEFFid,claim,speaker,rating,source,date,lang,checkurl"];
	const check = (i: number | string) => `https://check.example/${tag}/${i}`;
	const bad: Record<string, number> = {};
	for (let i = 0; i < rows; i++) {
		if (i === 17) {
			bad.columns = lines.length + 1;
			lines.push(`${tag}-bad-columns,"Zu wenige Spalten"`);
		}
		if (i === 61) {
			bad.rating = lines.length + 1;
			lines.push(`${tag}-bad-rating,Eine Behauptung ohne Urteil,Anna Beispiel,Vielleicht,,,de,${check("r")}`);
		}
		if (i === 140) {
			bad.claim = lines.length + 1;
			lines.push(`${tag}-bad-claim,,Anna Beispiel,Falsch,,,de,${check("c")}`);
		}
		if (i === 230) {
			bad.speaker = lines.length + 1;
			lines.push(`${tag}-bad-speaker,Ein Satz von niemandem,!!!,Falsch,,,de,${check("s")}`);
		}
		if (i === 250) {
			// A spreadsheet that once saved as Windows-1252: "Jürgen Müller" in Latin-1 bytes.
			lines.push(
				Buffer.from(
					`${tag}-${i},Ein Satz mit Umlaut ${i},J\xfcrgen M\xfcller,Falsch,,,de,${check(i)}`,
					"latin1",
				),
			);
			continue;
		}
		const speaker = SPEAKERS[i % SPEAKERS.length];
		lines.push(
			`${tag}-${i},"Behauptung ${i} von ""${tag}"", gesagt am Abend",${speaker},${RATINGS[i % RATINGS.length]},https://news.example/${tag}/${i % 25}?utm_source=feed,12.07.2025,de,${check(i)}`,
		);
	}
	const file = path.join(dir, `${tag}.csv`);
	writeFileSync(file, Buffer.concat(lines.flatMap((l) => [Buffer.from(l), Buffer.from("\r\n")])));
	return { file, bad };
}

/** A plain CSV of `rows` fact-checks by 37 speakers, each with its review URL. */
function writePlainCsv(tag: string, rows: number): string {
	const lines = ["id,claim,speaker,rating,checkurl"];
	for (let i = 0; i < rows; i++)
		lines.push(
			`${tag}-${i},Statement ${i} of the ${tag} set about taxes.,Speaker ${tag} ${i % 37},False,https://check.example/${tag}/${i}`,
		);
	const file = path.join(dir, `${tag}.csv`);
	writeFileSync(file, `${lines.join("\n")}\n`);
	return file;
}

function writeLiar(tag: string, rows: number): string {
	const labels = ["true", "mostly-true", "half-true", "barely-true", "false", "pants-fire"];
	const lines: string[] = [];
	for (let i = 0; i < rows; i++) {
		lines.push(
			[
				`${tag}${i}.json`,
				labels[i % labels.length],
				`Statement ${i} of the ${tag} set says "something" about taxes.`,
				"taxes",
				`speaker-${tag}-${i % 37}`,
				"Senator",
				"Ohio",
				i % 5 === 0 ? "organization" : "democrat",
				"0",
				"1",
				"2",
				"3",
				"4",
				"a speech",
			].join("\t"),
		);
	}
	const file = path.join(dir, `${tag}.tsv`);
	writeFileSync(file, `${lines.join("\n")}\n`);
	return file;
}

interface Rejected {
	line?: number;
	index: number;
	reason: string;
	stage: "parse" | "server";
}

describe("npm run import", () => {
	it("imports a CSV in batches, stops at --limit, resumes, and lists every rejected row with its line", async () => {
		const tag = "csv1";
		const { file, bad } = writeCsv(tag, 300);
		const first = await run([file, "--format", "csv", "--batch-size", "40", "--limit", "100"]);
		expect(first.code, first.stderr).toBe(0);
		expect(first.stdout).toContain("Stopped after 100 records (--limit)");
		const state = JSON.parse(readFileSync(`${file}.import-state.json`, "utf8")) as {
			items: number;
			line: number;
		};
		expect(state.items).toBeGreaterThanOrEqual(100);
		expect(await count("SELECT count(*) AS n FROM claims WHERE external_id LIKE ?", `${tag}-%`)).toBe(100);

		const second = await run([file, "--batch-size", "40"]);
		expect(second.code, second.stderr).toBe(0);
		expect(second.stderr).toMatch(/Resuming after \d+ items \(line \d+\)/);
		expect(second.stderr).toMatch(/\[#+\] 100% +[\d,]+ rows +[\d,]+ rows\/s +ETA 0:00/);
		expect(second.stdout).toMatch(/created +300\n/);
		expect(second.stdout).toContain("(102 of these rows were done by an earlier run)");
		expect(second.stdout).toMatch(/rejected +4 +→ .*csv1\.csv\.rejected\.ndjson/);
		expect(existsSync(`${file}.import-state.json`)).toBe(false);

		expect(await count("SELECT count(*) AS n FROM claims WHERE external_id LIKE ?", `${tag}-%`)).toBe(300);
		expect(
			await count("SELECT count(DISTINCT external_id) AS n FROM claims WHERE external_id LIKE ?", `${tag}-%`),
		).toBe(300);
		// The Latin-1 row kept its umlauts; "Sergej Lawrow" is an alias of "Sergei Lawrow", not a second speaker.
		expect(await count("SELECT count(*) AS n FROM speakers WHERE name = ?", "Jürgen Müller")).toBe(1);
		expect(await count("SELECT count(*) AS n FROM speakers WHERE name LIKE ?", "Serge% Lawrow")).toBe(1);
		expect(await count("SELECT count(*) AS n FROM speaker_aliases WHERE alias = ?", "Sergej Lawrow")).toBe(1);
		// 25 distinct pages, tracking parameters stripped.
		expect(
			await count("SELECT count(*) AS n FROM sources WHERE url LIKE ?", `https://news.example/${tag}/%`),
		).toBe(25);

		const rejected = readLines<Rejected>(`${file}.rejected.ndjson`);
		expect(rejected.map((r) => [r.line, r.stage, r.reason])).toEqual([
			[bad.columns, "parse", "expected 8 columns, found 2"],
			[bad.rating, "parse", 'unknown rating "Vielleicht"'],
			[bad.claim, "parse", "missing claim text"],
			[bad.speaker, "server", "speaker.name: has no letters or digits"],
		]);

		const again = await run([file]);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stdout).toMatch(/created +0\n/);
		expect(again.stdout).toMatch(/unchanged +300\n/);
		expect(readLines<Rejected>(`${file}.rejected.ndjson`)).toHaveLength(4);
	});

	it("survives being killed mid-import and resumes without duplicating anything", async () => {
		const tag = "kill";
		const rows = 1000;
		const file = writePlainCsv(tag, rows);
		const stateFile = `${file}.import-state.json`;
		const { child, done } = start([file, "--batch-size", "10"]);
		const deadline = Date.now() + 60_000;
		let acknowledged = 0;
		while (Date.now() < deadline && child.exitCode === null) {
			try {
				acknowledged = (JSON.parse(readFileSync(stateFile, "utf8")) as { items: number }).items;
			} catch {
				// not written yet, or being renamed into place
			}
			if (acknowledged >= 50) break;
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
		child.kill("SIGKILL");
		const killed = await done;
		expect(killed.signal, "the import finished before it could be interrupted").toBe("SIGKILL");
		const before = await count("SELECT count(*) AS n FROM claims WHERE external_id LIKE ?", `${tag}-%`);
		expect(before).toBeGreaterThanOrEqual(50);
		expect(before).toBeLessThan(rows);

		const resumed = await run([file, "--batch-size", "50"]);
		expect(resumed.code, resumed.stderr).toBe(0);
		expect(resumed.stderr).toContain("Resuming after");
		const created = Number(/created +([\d,]+)/.exec(resumed.stdout)?.[1]?.replace(/,/g, ""));
		const unchanged = Number(/unchanged +([\d,]+)/.exec(resumed.stdout)?.[1]?.replace(/,/g, ""));
		// The batch in flight when the process died may have been stored without the answer arriving: sent again, it is unchanged.
		expect(created + unchanged).toBeGreaterThanOrEqual(rows - before);
		expect(await count("SELECT count(*) AS n FROM claims WHERE external_id LIKE ?", `${tag}-%`)).toBe(rows);
		expect(
			await count("SELECT count(DISTINCT id) AS n FROM speakers WHERE slug LIKE ?", `speaker-${tag}-%`),
		).toBe(37);
		const published = await count(
			"SELECT count(*) AS n FROM verdicts v JOIN claims c ON c.id = v.claim_id WHERE c.external_id LIKE ? AND v.state = 'published'",
			`${tag}-%`,
		);
		expect(published).toBe(rows);
	});

	it("streams NDJSON of records and JSON-LD, and checks without sending in a dry run", async () => {
		const file = path.join(dir, "mixed.ndjson");
		const record = {
			externalId: "ndjson-1",
			claim: { text: "Die Erde ist eine Scheibe.", language: "de" },
			speaker: { name: "Flache Erde e.V.", kind: "organization" },
			sources: [],
			verdict: {
				rating: "false",
				originalRating: "Falsch",
				headline: "Nein",
				url: "https://check.example/ndjson-1",
			},
		};
		const claimReview = {
			"@context": "https://schema.org",
			"@type": "ClaimReview",
			url: "https://check.example/ndjson-2",
			claimReviewed: "The moon landing was filmed in a studio.",
			reviewRating: { "@type": "Rating", alternateName: "False" },
		};
		writeFileSync(
			file,
			[
				JSON.stringify(record),
				"",
				"{broken",
				JSON.stringify(claimReview),
				JSON.stringify({ "@context": "https://schema.org", "@type": "Person", name: "Nobody" }),
				JSON.stringify({ ...record, externalId: "ndjson-3", claim: { text: "", language: "de" } }),
			].join("\n"),
		);
		const dry = await run([file, "--dry-run"]);
		expect(dry.code, dry.stderr).toBe(0);
		expect(dry.stdout).toMatch(/valid +2\n/);
		expect(await count("SELECT count(*) AS n FROM claims WHERE external_id LIKE 'ndjson-%'")).toBe(0);

		const real = await run([file]);
		expect(real.code, real.stderr).toBe(0);
		expect(real.stdout).toMatch(/created +2\n/);
		const rejected = readLines<Rejected>(`${file}.rejected.ndjson`);
		expect(rejected.map((r) => [r.line, r.reason.replace(/:.*/s, "")])).toEqual([
			[3, "invalid JSON"],
			[5, "no ClaimReview found (found Person)"],
			[6, "claim.text"],
		]);
		expect(
			await count("SELECT count(*) AS n FROM claims WHERE external_id = 'https://check.example/ndjson-2'"),
		).toBe(1);
	});

	it("takes a publisher's rewording of its claim under its id, in the file and on a later run, as the API does", async () => {
		const file = path.join(dir, "reworded.ndjson");
		const page = "https://check.example/kursk-reworded";
		const ours = "Lavrov sagte, Kursk sei befreit worden";
		const theirs = "Lawrow sagte, Kursk sei vollständig befreit";
		const line = (text: string, rating: string) =>
			JSON.stringify({
				externalId: page,
				claim: { text, language: "de" },
				speaker: { name: "Sergej Lawrow", kind: "person" },
				sources: [],
				verdict: { rating, originalRating: rating, headline: `Es ist ${rating}`, url: page },
			});
		const reworded = `the publisher's wording of the claim (“${theirs}”) differs from ours (“${ours}”), which is kept as it is`;
		const warnings = () => readLines<{ line: number; message: string }>(`${file}.warnings.ndjson`);
		// The second line only rewords the first: no conflict of the file, the claim's words kept.
		writeFileSync(file, `${line(ours, "false")}\n${line(theirs, "false")}\n`);
		const first = await run([file, "--batch-size", "1"]);
		expect(first.code, first.stderr).toBe(0);
		expect(first.stdout).toMatch(/created +1\n/);
		expect(first.stdout).toMatch(/unchanged +1\n/);
		expect(existsSync(`${file}.rejected.ndjson`)).toBe(false);
		expect(warnings().map((w) => [w.line, w.message])).toEqual([[2, reworded]]);
		// The next night's feed: their words and their corrected rating.
		writeFileSync(file, `${line(theirs, "mostly-false")}\n`);
		const next = await run([file]);
		expect(next.code, next.stderr).toBe(0);
		expect(next.stdout).toMatch(/updated +1\n/);
		expect(warnings().map((w) => w.message)).toEqual([reworded]);
		const claim = await worker.d1
			.prepare("SELECT text, status FROM claims WHERE external_id = ?")
			.bind(page)
			.first<{ text: string; status: string }>();
		expect(claim).toEqual({ text: ours, status: "mostly-false" });
		// Another claim under the id is refused, saying why and what to do.
		writeFileSync(file, `${line("Lawrow sagte, Charkiw sei vollständig befreit", "false")}\n`);
		const other = await run([file]);
		expect(other.code, other.stderr).toBe(0);
		expect(readLines<Rejected>(`${file}.rejected.ndjson`).map((r) => [r.line, r.stage, r.reason])).toEqual([
			[
				1,
				"server",
				expect.stringMatching(
					/is not the same claim to our claim matcher: .* give each claim its own id; if it is the publisher's rewording/,
				),
			],
		]);
	});

	it("rejects the line of a stray quote and keeps every row after it; the totals account for each data row", async () => {
		const tag = "stray";
		const file = path.join(dir, `${tag}.csv`);
		const lines = [
			"id,claim,speaker",
			`${tag}-1,"Unbalanced quote starts here,Anna Beispiel`,
			`${tag}-2,A good row,Bert Muster`,
			`${tag}-3,"Quoted, fine",Anna Beispiel`,
			`${tag}-4,"Zwei`,
			'Zeilen",Bert Muster',
			`${tag}-5,Last row,Anna Beispiel`,
		];
		writeFileSync(file, `${lines.join("\r\n")}\r\n`);
		const result = await run([file]);
		expect(result.code, result.stderr).toBe(0);
		const total = (name: string) => Number(new RegExp(`${name} +(\\d+)`).exec(result.stdout)?.[1]);
		expect([total("created"), total("updated"), total("unchanged"), total("rejected")]).toEqual([4, 0, 0, 1]);
		// Six data lines, five rows: the last but one is a quoted field over two lines.
		expect(total("created") + total("updated") + total("unchanged") + total("rejected")).toBe(5);
		const rejected = readLines<Rejected>(`${file}.rejected.ndjson`);
		expect(rejected.map((r) => [r.line, r.stage])).toEqual([[2, "parse"]]);
		expect(rejected[0]?.reason).toMatch(/^unbalanced quote: /);
		const texts = await worker.d1
			.prepare("SELECT external_id AS id, text FROM claims WHERE external_id LIKE ? ORDER BY external_id")
			.bind(`${tag}-%`)
			.all<{ id: string; text: string }>();
		expect(texts.results.map((r) => [r.id, r.text])).toEqual([
			[`${tag}-2`, "A good row"],
			[`${tag}-3`, "Quoted, fine"],
			[`${tag}-4`, "Zwei\nZeilen"],
			[`${tag}-5`, "Last row"],
		]);
	});

	it("says what is wrong with its arguments, with LIAR's verdicts and with an unreachable server", async () => {
		const usage = await run(["--format", "csv"]);
		expect(usage.code).toBe(2);
		expect(usage.stderr).toContain("Give exactly one input file.");
		// LIAR names no review URL: no evidence, so no verdict of it is published.
		const liar = writeLiar("liar", 3);
		const checked = await run([liar, "--dry-run"]);
		expect(checked.code, checked.stderr).toBe(0);
		expect(checked.stdout).toMatch(/\(liar\)/);
		expect(checked.stdout).toMatch(/valid +0\n/);
		expect(readLines<Rejected>(`${liar}.rejected.ndjson`).map((r) => r.reason.slice(0, 12))).toEqual([
			"verdict.url:",
			"verdict.url:",
			"verdict.url:",
		]);
		const file = writePlainCsv("unreachable", 3);
		const port = await closedPort();
		const offline = await run([
			file,
			"--url",
			`http://127.0.0.1:${port}`,
			"--token",
			token,
			"--retries",
			"1",
		]);
		expect(offline.code).toBe(1);
		expect(offline.stderr).toContain(`is Claimtrack running at http://127.0.0.1:${port}?`);
		const wrongToken = await run([file, "--token", generateApiToken()]);
		expect(wrongToken.code).toBe(1);
		expect(wrongToken.stderr).toMatch(/^import: 401: /m);
	}, 120_000);

	it("sends its token only where it is told to, over https:// or to this machine, and checks a dry run without an address", async () => {
		const file = writePlainCsv("plain-http", 3);
		const unnamed = await run([file, "--retries", "1"], { CLAIMTRACK_URL: undefined });
		expect(unnamed.code, unnamed.stderr).toBe(2);
		expect(unnamed.stderr).toContain(
			"Give the Claimtrack to import into: --url https://… or CLAIMTRACK_URL (a local npm start: --url http://localhost:8787).",
		);
		const typo = await run([file, "--url", "http://claims.example", "--retries", "1"]);
		expect(typo.code, typo.stderr).toBe(2);
		expect(typo.stderr).toContain(
			"--url http://claims.example: an API token goes only to an https:// address (https://claims.example), or over plain http:// to this machine",
		);
		const fromEnv = await run([file, "--retries", "1"], { CLAIMTRACK_URL: "http://claims.example" });
		expect(fromEnv.code, fromEnv.stderr).toBe(2);
		expect(fromEnv.stderr).toContain(
			"CLAIMTRACK_URL http://claims.example: an API token goes only to an https:// address",
		);
		expect(existsSync(`${file}.import-state.json`)).toBe(false);
		const checked = await run([file, "--dry-run"], { CLAIMTRACK_URL: undefined });
		expect(checked.code, checked.stderr).toBe(0);
		expect(checked.stdout).toMatch(/valid +3\n/);
	}, 120_000);
});
