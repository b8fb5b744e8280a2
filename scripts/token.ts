/**
 * API tokens from the command line.
 *   npm run token -- add --email E --name N --scopes "claims:write verdicts:write"
 *   npm run token -- revoke --id TOKEN_ID
 *   npm run token -- list [--email E]
 * Local D1 by default; `--persist-to DIR` or `--remote` as for `npm run user`. The
 * token is printed once; only its SHA-256 is stored. A token never gets a scope its
 * owner's role may not use.
 */
import { tokenInput } from "../src/auth/account-input";
import { generateApiToken, scopesBeyondRole } from "../src/auth/api-tokens";
import type { Role } from "../src/db/schema";
import { newId, sha256Hex } from "../src/domain/ids";
import { createApiToken, getApiToken, listApiTokens, revokeApiToken } from "../src/store/tokens";
import { getUserByEmail, listUsers } from "../src/store/users";
import {
	auditSql,
	cliActor,
	main,
	parseCli,
	printTable,
	remoteSql,
	required,
	SQL_NOW,
	sqlText,
	text,
	UsageError,
	withLocal,
} from "./lib/cli";

const USAGE = `Usage: npm run token -- <add|revoke|list> [options]
  add --email E --name N --scopes "claims:write verdicts:write verdicts:publish import"   prints the token once
  revoke --id TOKEN_ID
  list [--email E]
Options: --remote (production D1) | --persist-to DIR (local state of wrangler dev --persist-to DIR)`;

const { command, options } = parseCli(
	process.argv.slice(2),
	{
		email: "string",
		name: "string",
		scopes: "string",
		id: "string",
		remote: "boolean",
		"persist-to": "string",
	},
	USAGE,
);
const remote = options.remote === true;
const persistTo = text(options, "persist-to");

// Disabling revoked the account's tokens; one minted now would work once it is enabled again.
const DISABLED = "The account is disabled: enable it (npm run user -- enable) before minting it a token.";

function parseToken(name: string, scopes: string, role: Role) {
	const parsed = tokenInput.safeParse({ name, scopes: scopes.split(/[\s,]+/).filter(Boolean) });
	if (!parsed.success)
		throw new UsageError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
	const beyond = scopesBeyondRole(role, parsed.data.scopes);
	if (beyond.length > 0) throw new UsageError(`A ${role} may not hold: ${beyond.join(", ")}.`);
	return parsed.data;
}

await main(USAGE, async () => {
	const actor = cliActor();
	switch (command) {
		case "add": {
			const email = required(options, "email").trim().toLowerCase();
			const name = required(options, "name");
			const scopes = required(options, "scopes");
			const token = generateApiToken();
			const tokenHash = await sha256Hex(token);
			if (remote) {
				const [owner] = remoteSql<{ id: string; role: Role; disabled_at: string | null }>(
					`SELECT id, role, disabled_at FROM users WHERE email = ${sqlText(email)}`,
				);
				if (!owner) throw new Error(`No account with the email ${email}.`);
				if (owner.disabled_at) throw new Error(DISABLED);
				const input = parseToken(name, scopes, owner.role);
				const id = newId();
				const row = { id, userId: owner.id, name: input.name, scopes: input.scopes.join(" ") };
				remoteSql(
					`INSERT INTO api_tokens (id, user_id, name, token_hash, scopes) VALUES (${sqlText(id)}, ${sqlText(owner.id)}, ${sqlText(input.name)}, ${sqlText(tokenHash)}, ${sqlText(row.scopes)}); ${auditSql(actor, "create-token", "user", sqlText(owner.id), row)}`,
				);
			} else {
				await withLocal(persistTo, async ({ db }) => {
					const owner = await getUserByEmail(db, email);
					if (!owner) throw new Error(`No account with the email ${email}.`);
					if (owner.disabledAt) throw new Error(DISABLED);
					const input = parseToken(name, scopes, owner.role);
					await createApiToken(db, actor, {
						userId: owner.id,
						name: input.name,
						scopes: input.scopes,
						tokenHash,
					});
				});
			}
			console.log(`\n  token: ${token}\n\nShown once. Send it as: Authorization: Bearer <token>`);
			return;
		}
		case "revoke": {
			const id = required(options, "id");
			if (remote) {
				const [row] = remoteSql<{ user_id: string; name: string }>(
					`SELECT user_id, name FROM api_tokens WHERE id = ${sqlText(id)} AND revoked_at IS NULL`,
				);
				if (!row) throw new Error(`No active token with the id ${id}.`);
				remoteSql(
					`UPDATE api_tokens SET revoked_at = ${SQL_NOW} WHERE id = ${sqlText(id)} AND revoked_at IS NULL; ${auditSql(actor, "revoke-token", "user", sqlText(row.user_id), { token: id, name: row.name })}`,
				);
			} else {
				await withLocal(persistTo, async ({ db }) => {
					const token = await getApiToken(db, id);
					if (!token || token.revokedAt) throw new Error(`No active token with the id ${id}.`);
					await revokeApiToken(db, actor, id);
				});
			}
			console.log(`Revoked ${id}.`);
			return;
		}
		case "list": {
			const email = text(options, "email")?.trim().toLowerCase();
			const rows = remote
				? remoteSql(
						`SELECT t.id, u.email, t.name, t.scopes, t.created_at, t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id${email ? ` WHERE u.email = ${sqlText(email)}` : ""} ORDER BY u.email, t.created_at`,
					)
				: await withLocal(persistTo, async ({ db }) => {
						const users = (await listUsers(db)).filter((u) => !email || u.email === email);
						const out: Record<string, unknown>[] = [];
						for (const user of users) {
							for (const t of await listApiTokens(db, user.id)) {
								out.push({
									id: t.id,
									email: user.email,
									name: t.name,
									scopes: t.scopes,
									created_at: t.createdAt,
									last_used_at: t.lastUsedAt,
									revoked_at: t.revokedAt,
								});
							}
						}
						return out;
					});
			printTable(rows);
			return;
		}
		default:
			throw new UsageError(command ? `Unknown command: ${command}` : "Name a command.");
	}
});
