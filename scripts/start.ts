import { spawn } from "node:child_process";
import { generatePassword, hashPassword } from "../src/auth/passwords";
import { seedDemo } from "../src/commands/seed-demo";
import { SYSTEM } from "../src/store/batch";
import { countClaims } from "../src/store/claims";
import { countUsers, createUser } from "../src/store/users";
import { seedDemoSnapshot } from "./lib/demo-snapshot";
import { applyLocalMigrations, withLocalBindings } from "./lib/local-db";

const port = process.env.PORT ?? "8787";

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
		passwordHash: await hashPassword(password, process.env.PASSWORD_PEPPER),
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

// `npm start -- --var ALLOW_LOOPBACK_OUTBOUND:true` lets webhooks and article fetching reach this machine.
if (process.argv.slice(2).some((arg) => /^ALLOW_LOOPBACK_OUTBOUND:true$/i.test(arg))) {
	console.warn(
		"\n⚠ ALLOW_LOOPBACK_OUTBOUND is on: webhooks and article fetching may call 127.0.0.0/8 and ::1 on this machine.\n  Local development only; other private addresses stay refused. Never set it in wrangler.toml.\n",
	);
}

const dev = spawn("wrangler", ["dev", "--port", port, "--ip", "127.0.0.1", ...process.argv.slice(2)], {
	stdio: "inherit",
	env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
