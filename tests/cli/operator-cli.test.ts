import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const bin = (name: string) => path.join(root, "node_modules/.bin", name);
let dir = "";

function run(script: "user" | "token", args: string[], remote = false) {
	const result = spawnSync(
		bin("tsx"),
		[`scripts/${script}.ts`, ...args, ...(remote ? ["--remote"] : ["--persist-to", dir])],
		{
			cwd: root,
			encoding: "utf8",
			env: {
				...process.env,
				WRANGLER_SEND_METRICS: "false",
				CI: "true",
				// The --remote path builds SQL for `wrangler d1 execute`; aim it at the same local state.
				CLAIMTRACK_CLI_REMOTE_ARGS: `--local --persist-to ${dir}`,
			},
		},
	);
	return { status: result.status, out: `${result.stdout}\n${result.stderr}` };
}

function sql(query: string): Record<string, unknown>[] {
	const result = spawnSync(
		bin("wrangler"),
		["d1", "execute", "DB", "--local", "--persist-to", dir, "--json", "--command", query],
		{
			cwd: root,
			encoding: "utf8",
			env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
		},
	);
	const parsed = JSON.parse(result.stdout) as { results: Record<string, unknown>[] }[];
	if (!Array.isArray(parsed)) throw new Error(`wrangler d1 execute: ${result.stdout}`);
	return parsed.at(-1)?.results ?? [];
}

beforeAll(() => {
	dir = mkdtempSync(path.join(tmpdir(), "claimtrack-cli-"));
	const migrate = spawnSync(
		bin("wrangler"),
		["d1", "migrations", "apply", "DB", "--local", "--persist-to", dir],
		{
			cwd: root,
			encoding: "utf8",
			env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
		},
	);
	expect(migrate.status, migrate.stderr).toBe(0);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The local path (stores through getPlatformProxy) is what the e2e test uses to create its
// accounts; here the --remote path, whose SQL is built by hand, runs against real D1.
describe("operator CLI, --remote", () => {
	it("manages accounts and tokens through the SQL it generates", () => {
		const email = "ops@cli.test";
		// Without the desk's pepper here, nor a word that it has none, no hash is made: one
		// without the pepper the desk uses would never log in.
		const unpeppered = run("user", ["add", "--email", email, "--role", "editor"], true);
		expect(unpeppered.status).toBe(2);
		expect(unpeppered.out).toContain("PASSWORD_PEPPER is not set here");
		expect(sql("SELECT count(*) AS n FROM users")).toEqual([{ n: 0 }]);
		const added = run(
			"user",
			["add", "--email", email, "--role", "editor", "--name", "O'Neill Ops", "--no-pepper"],
			true,
		);
		expect(added.status, added.out).toBe(0);
		const password = /password: (\S+)/.exec(added.out)?.[1];
		expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
		expect(run("user", ["add", "--email", "bad", "--role", "boss"], true).status).toBe(2);

		const token = run(
			"token",
			["add", "--email", email, "--name", "bot", "--scopes", "claims:write verdicts:publish"],
			true,
		);
		expect(token.status, token.out).toBe(0);
		expect(token.out).toMatch(/token: ct_[A-Za-z0-9_-]{43}/);
		const refused = run("token", ["add", "--email", email, "--name", "x", "--scopes", "nonsense"], true);
		expect(refused.status).toBe(2);

		const [stored] = sql(
			"SELECT t.id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = 'ops@cli.test'",
		);
		expect(run("token", ["revoke", "--id", String(stored?.id)], true).status).toBe(0);
		// A second token, live when the password is reset: the reset ends it (the desk's does).
		expect(
			run("token", ["add", "--email", email, "--name", "laptop", "--scopes", "claims:write"], true).status,
		).toBe(0);
		const reset = run("user", ["reset-password", "--email", email, "--no-pepper"], true);
		expect(reset.status, reset.out).toBe(0);
		expect(/password: (\S+)/.exec(reset.out)?.[1]).not.toBe(password);
		expect(
			sql(
				"SELECT count(*) AS live FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = 'ops@cli.test' AND t.revoked_at IS NULL",
			),
		).toEqual([{ live: 0 }]);
		// Disabling, as in the desk: a token made since goes, and open claims go back to "Unassigned".
		expect(
			run("token", ["add", "--email", email, "--name", "again", "--scopes", "claims:write"], true).status,
		).toBe(0);
		sql(
			`INSERT INTO claims (id, text, language, fingerprint, status, assignee_id) SELECT 'cli0000000000a', 'Open', 'en', 'f-open', 'unverified', id FROM users WHERE email = 'ops@cli.test';
			 INSERT INTO claims (id, text, language, fingerprint, status, assignee_id) SELECT 'cli0000000000b', 'Done', 'en', 'f-done', 'false', id FROM users WHERE email = 'ops@cli.test'`,
		);
		expect(run("user", ["disable", "--email", email], true).status).toBe(0);
		expect(
			sql(
				"SELECT count(*) AS live FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = 'ops@cli.test' AND t.revoked_at IS NULL",
			),
		).toEqual([{ live: 0 }]);
		// Nor is a token minted for the disabled account: it would work once it is enabled again.
		for (const remote of [true, false]) {
			const refused = run(
				"token",
				["add", "--email", email, "--name", "later", "--scopes", "claims:write"],
				remote,
			);
			expect(refused.status, refused.out).not.toBe(0);
			expect(refused.out).toContain("The account is disabled");
		}
		expect(sql("SELECT count(*) AS n FROM api_tokens WHERE name = 'later'")).toEqual([{ n: 0 }]);
		expect(sql("SELECT id, assignee_id IS NOT NULL AS assigned FROM claims ORDER BY id")).toEqual([
			{ id: "cli0000000000a", assigned: 0 },
			{ id: "cli0000000000b", assigned: 1 },
		]);
		// The released claim's timeline says so, as the desk's disabling writes it.
		expect(
			sql(
				"SELECT entity_id, json_extract(changes, '$.reason') AS reason, actor_label LIKE 'cli:%' AS by_cli FROM audit_log WHERE action = 'unassign'",
			),
		).toEqual([{ entity_id: "cli0000000000a", reason: "account-disabled", by_cli: 1 }]);

		const [state] = sql(
			`SELECT u.name, u.role, u.disabled_at, u.password_hash, t.scopes, t.token_hash, t.revoked_at,
				(SELECT json_group_array(action) FROM (SELECT action FROM audit_log WHERE entity = 'user' AND entity_id = u.id ORDER BY id)) AS actions,
				(SELECT count(*) FROM audit_log WHERE entity_id = u.id AND actor_label NOT LIKE 'cli:%') AS foreign_actors
			FROM users u JOIN api_tokens t ON t.user_id = u.id WHERE u.email = 'ops@cli.test' AND t.name = 'bot'`,
		);
		expect(state).toMatchObject({
			name: "O'Neill Ops",
			role: "editor",
			scopes: "claims:write verdicts:publish",
			foreign_actors: 0,
		});
		expect(String(state?.password_hash)).toMatch(/^pbkdf2-sha256\$100000\$/);
		expect(String(state?.token_hash)).toMatch(/^[0-9a-f]{64}$/);
		expect(state?.disabled_at).not.toBeNull();
		expect(state?.revoked_at).not.toBeNull();
		expect(JSON.parse(String(state?.actions))).toEqual([
			"create",
			"create-token",
			"revoke-token",
			"create-token",
			"reset-password",
			"create-token",
			"disable",
		]);
	}, 900_000);
});

// README's Backups once implied `npm run seed -- --url https://…` reached a deployment; it
// seeded the local database. Run from an empty folder, so a script that went on touches nothing.
describe("npm run seed and npm run reindex", () => {
	it("refuse any option, --url included, before opening a database", () => {
		const empty = mkdtempSync(path.join(tmpdir(), "claimtrack-no-state-"));
		try {
			for (const script of ["seed", "reindex"]) {
				const result = spawnSync(
					bin("tsx"),
					[path.join(root, `scripts/${script}.ts`), "--url", "https://claims.example"],
					{ cwd: empty, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
				);
				expect(result.status, `${script}: ${result.stderr}`).toBe(2);
				expect(result.stderr).toContain(`Usage: npm run ${script}`);
				expect(result.stderr).toMatch(/the local D1 of wrangler dev/);
			}
		} finally {
			rmSync(empty, { recursive: true, force: true });
		}
	});
});
