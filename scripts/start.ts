import { generatePassword, hashPassword } from "../src/auth/passwords";
import { seedDemo } from "../src/commands/seed-demo";
import { SYSTEM } from "../src/store/batch";
import { countClaims } from "../src/store/claims";
import { countUsers, createUser } from "../src/store/users";
import { seedDemoSnapshot } from "./lib/demo-snapshot";
import { devPort, devServerArgs, devVars, runDevServer } from "./lib/dev-configs";
import { applyLocalMigrations, LOCAL_STATE, withLocalBindings } from "./lib/local-db";

const port = devPort();

/*
 * `npm start -- --var NAME:value` sets a variable for both Workers (wrangler's own --var
 * reaches only the first); other arguments go to wrangler dev.
 * `--var ALLOW_LOOPBACK_OUTBOUND:true` lets webhooks and article fetching reach this machine.
 */
const passedVars: Record<string, string> = {};
const passed: string[] = [];
for (let i = 2; i < process.argv.length; i++) {
	const arg = process.argv[i] ?? "";
	const value = arg === "--var" ? process.argv[++i] : undefined;
	const pair = value ?? (arg.startsWith("--var=") ? arg.slice("--var=".length) : undefined);
	if (pair === undefined) passed.push(arg);
	else passedVars[pair.slice(0, pair.indexOf(":"))] = pair.slice(pair.indexOf(":") + 1);
}
// With the project's .dev.vars and PASSWORD_PEPPER from the environment: the admin below is
// hashed with the pepper the desk Worker will check logins with (scripts/lib/dev-configs);
// PUBLIC_URL on this port unless given, so links follow PORT.
const vars = devVars(passedVars);

applyLocalMigrations();
const login = await withLocalBindings(async ({ db, archive }) => {
	if ((await countClaims(db)) === 0) {
		const report = await seedDemo(db);
		console.log(`Seeded the demo data: ${report.claimsCreated} claims from the Wonsan article.`);
		if (await seedDemoSnapshot(db, archive)) console.log("Stored the demo's archived copy of the article.");
	}
	if ((await countUsers(db)) > 0) return null;
	const password = generatePassword();
	const email = "admin@claimtrack.local";
	await createUser(db, SYSTEM("npm start"), {
		email,
		name: "Local admin",
		role: "admin",
		passwordHash: await hashPassword(password, vars.PASSWORD_PEPPER),
	});
	return { email, password };
});

if (login) {
	console.log(
		`\nLocal admin login (shown once):\n  http://localhost:${port}/desk/login\n  email:    ${login.email}\n  password: ${login.password}\n`,
	);
} else {
	console.log(
		"\nAccounts exist already; `npm run user -- reset-password --email E` prints a new password.\n",
	);
}

if (/^true$/i.test(vars.ALLOW_LOOPBACK_OUTBOUND ?? "")) {
	console.warn(
		"\n⚠ ALLOW_LOOPBACK_OUTBOUND is on: webhooks and article fetching may call 127.0.0.0/8 and ::1 on this machine.\n  Local development only; other private addresses stay refused. Never set it in wrangler.toml.\n",
	);
}

runDevServer([
	"dev",
	...devServerArgs(vars),
	"--persist-to",
	LOCAL_STATE,
	"--port",
	port,
	"--ip",
	"127.0.0.1",
	...passed,
]);
