/**
 * Accounts from the command line (the first admin, resets when nobody can log in).
 *   npm run user -- add --email E --role checker|editor|admin [--name N]
 *   npm run user -- reset-password --email E
 *   npm run user -- disable --email E | enable --email E
 *   npm run user -- list
 * Local D1 by default; `--persist-to DIR` for a `wrangler dev --persist-to DIR` state;
 * `--remote` for production (with the desk's PASSWORD_PEPPER in the environment, or
 * `--no-pepper`). Generated passwords are printed once and stored hashed.
 */
import { userInput } from "../src/auth/account-input";
import { generatePassword, hashPassword } from "../src/auth/passwords";
import { newId } from "../src/domain/ids";
import {
	createUser,
	endAccess,
	getUserByEmail,
	listUsers,
	type PublicUser,
	releaseOpenClaims,
	setUserDisabled,
	setUserPassword,
} from "../src/store/users";
import {
	auditSql,
	cliActor,
	inlineSql,
	type LocalTarget,
	main,
	parseCli,
	printTable,
	remoteSql,
	required,
	SQL_NOW,
	sqlText,
	statementBuilder,
	text,
	UsageError,
	withLocal,
} from "./lib/cli";

const USAGE = `Usage: npm run user -- <add|reset-password|disable|enable|list> [options]
  add --email E --role checker|editor|admin [--name N]   prints a generated password once
  reset-password --email E                               prints a new password once, ends sessions
  disable --email E / enable --email E                   disabling ends every session
  list
Options: --remote (production D1) | --persist-to DIR (local state of wrangler dev --persist-to DIR)
  With --remote, add and reset-password hash with PASSWORD_PEPPER from the environment, the
  desk Worker's secret (set it here to the same value), or take --no-pepper when it has none.`;

const { command, options } = parseCli(
	process.argv.slice(2),
	{
		email: "string",
		role: "string",
		name: "string",
		remote: "boolean",
		"no-pepper": "boolean",
		"persist-to": "string",
	},
	USAGE,
);
const remote = options.remote === true;
const persistTo = text(options, "persist-to");

/**
 * The desk Worker's pepper, which a password for production must be hashed with. This
 * machine cannot read a Worker's secret, so without PASSWORD_PEPPER here the operator must
 * say there is none: a hash made without the pepper the desk uses never matches, and the
 * account cannot log in (a second `add` then fails on its email).
 */
function pepperForRemote(): string | undefined {
	const pepper = process.env.PASSWORD_PEPPER;
	if (pepper) return pepper;
	if (options["no-pepper"] === true) return undefined;
	throw new UsageError(
		"PASSWORD_PEPPER is not set here. If the desk Worker has the secret PASSWORD_PEPPER, run this again as\n  PASSWORD_PEPPER='<the same value>' npm run user -- …\nIf it has none, add --no-pepper.",
	);
}

function parseUser(email: string, role: string, name: string | undefined) {
	const parsed = userInput.safeParse({ email, role, name: name ?? email.split("@")[0] });
	if (!parsed.success)
		throw new UsageError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
	return parsed.data;
}

async function localUser(email: string, work: (target: LocalTarget, user: PublicUser) => Promise<void>) {
	await withLocal(persistTo, async (target) => {
		const user = await getUserByEmail(target.db, email);
		if (!user) throw new Error(`No account with the email ${email}.`);
		await work(target, user);
	});
}

function remoteUserExists(email: string): { id: string; version: number } {
	const [row] = remoteSql<{ id: string; version: number }>(
		`SELECT id, version FROM users WHERE email = ${sqlText(email.trim().toLowerCase())}`,
	);
	if (!row) throw new Error(`No account with the email ${email}.`);
	return row;
}

function printPassword(email: string, password: string) {
	console.log(
		`\n  email:    ${email}\n  password: ${password}\n\nShown once: hand it over through a safe channel.`,
	);
}

await main(USAGE, async () => {
	const actor = cliActor();
	switch (command) {
		case "add": {
			const input = parseUser(required(options, "email"), required(options, "role"), text(options, "name"));
			const password = generatePassword();
			if (remote) {
				const hash = await hashPassword(password, pepperForRemote());
				const id = newId();
				remoteSql(
					`INSERT INTO users (id, email, name, role, password_hash) VALUES (${sqlText(id)}, ${sqlText(input.email)}, ${sqlText(input.name)}, ${sqlText(input.role)}, ${sqlText(hash)}); ${auditSql(actor, "create", "user", sqlText(id), input)}`,
				);
			} else {
				await withLocal(persistTo, async ({ db, pepper }) => {
					if (await getUserByEmail(db, input.email))
						throw new Error(`An account with the email ${input.email} exists.`);
					await createUser(db, actor, { ...input, passwordHash: await hashPassword(password, pepper) });
				});
			}
			console.log(`Created the ${input.role} account.`);
			printPassword(input.email, password);
			return;
		}
		case "reset-password": {
			const email = required(options, "email").trim().toLowerCase();
			const password = generatePassword();
			if (remote) {
				const pepper = pepperForRemote();
				const user = remoteUserExists(email);
				const hash = await hashPassword(password, pepper);
				remoteSql(
					[
						`UPDATE users SET password_hash = ${sqlText(hash)}, version = version + 1, updated_at = ${SQL_NOW} WHERE id = ${sqlText(user.id)}`,
						...endAccess(statementBuilder(), user.id, new Date().toISOString()).map(inlineSql),
						auditSql(actor, "reset-password", "user", sqlText(user.id)),
					].join("; "),
				);
			} else {
				await localUser(email, async ({ db, pepper }, user) => {
					await setUserPassword(db, actor, user.id, await hashPassword(password, pepper));
				});
			}
			console.log("New password set; every session of the account has ended.");
			printPassword(email, password);
			return;
		}
		case "disable":
		case "enable": {
			const email = required(options, "email").trim().toLowerCase();
			const disable = command === "disable";
			if (remote) {
				const user = remoteUserExists(email);
				remoteSql(
					[
						`UPDATE users SET disabled_at = ${disable ? SQL_NOW : "NULL"}, version = version + 1, updated_at = ${SQL_NOW} WHERE id = ${sqlText(user.id)}`,
						// As the desk disables: sessions and tokens end, open claims go back to "Unassigned".
						...(disable
							? [
									...endAccess(statementBuilder(), user.id, new Date().toISOString()),
									...releaseOpenClaims(statementBuilder(), actor, user.id),
								].map(inlineSql)
							: []),
						auditSql(actor, command, "user", sqlText(user.id)),
					].join("; "),
				);
			} else {
				await localUser(email, async ({ db }, user) => {
					await setUserDisabled(db, actor, user.id, user.version, disable);
				});
			}
			console.log(disable ? `Disabled ${email}; its sessions have ended.` : `Enabled ${email}.`);
			return;
		}
		case "list": {
			const rows = remote
				? remoteSql(
						"SELECT email, name, role, CASE WHEN disabled_at IS NULL THEN 'active' ELSE 'disabled' END AS status, created_at FROM users ORDER BY email",
					)
				: await withLocal(persistTo, async ({ db }) =>
						(await listUsers(db)).map((u) => ({
							email: u.email,
							name: u.name,
							role: u.role,
							status: u.disabledAt ? "disabled" : "active",
							created_at: u.createdAt,
						})),
					);
			printTable(rows);
			return;
		}
		default:
			throw new UsageError(command ? `Unknown command: ${command}` : "Name a command.");
	}
});
