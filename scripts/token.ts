// npm run token -- <email> [--expires <seconds>]
// Prints an access token for a demo user, minted with the keys of the local Authorizer stand-in that
// `npm run dev` started (.data/authorizer-keys.json, issuer in .data/authorizer.json). Only the token
// goes to stdout, so `curl -H "Authorization: Bearer $(npm run -s token -- admin@acme.test)" …` works.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEV_KEY_FILE, INFO_FILE_NAME, mintWithPrivateJwks } from "../dev/authorizer/index.js";
import { DEMO_USERS } from "../dev/demo/seed.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const keyFile = `${root}${DEV_KEY_FILE}`;
const infoFile = `${root}.data/${INFO_FILE_NAME}`;
const usage = "usage: npm run token -- <email> [--expires <seconds>]";
const knownEmails = () => `known demo users:\n${DEMO_USERS.map((u) => `  ${u.email.padEnd(26)} ${u.role}`).join("\n")}`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const parse = () => parseArgs({ options: { expires: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: true });
let args: ReturnType<typeof parse>;
try {
  args = parse();
} catch (err) {
  fail(`${(err as Error).message}\n${usage}`);
}
if (args.values.help) fail(`${usage}\n${knownEmails()}`);
const email = args.positionals[0];
if (!email || args.positionals.length > 1) fail(`${usage}\n${knownEmails()}`);

const expires = args.values.expires === undefined ? undefined : Number(args.values.expires);
if (expires !== undefined && !Number.isInteger(expires)) fail(`--expires must be a whole number of seconds\n${usage}`);

const user = DEMO_USERS.find((u) => u.email.toLowerCase() === email.toLowerCase());
if (!user) fail(`unknown demo user "${email}"\n${knownEmails()}`);

if (!existsSync(keyFile) || !existsSync(infoFile)) fail(`no local Authorizer keys in ${root}.data/: start \`npm run dev\` first`);
let keys: unknown;
let info: { url: string; clientId: string };
try {
  keys = JSON.parse(readFileSync(keyFile, "utf8"));
  info = JSON.parse(readFileSync(infoFile, "utf8"));
} catch (err) {
  fail(`cannot read the local Authorizer's files in ${root}.data/ (${(err as Error).message}): restart \`npm run dev\``);
}

const external = process.env.AUTHORIZER_URL?.replace(/\/+$/, "");
if (external && external !== info.url) {
  process.stderr.write(`warning: AUTHORIZER_URL is ${external}; this token is for the local stand-in at ${info.url}\n`);
}

const token = await mintWithPrivateJwks(keys as object, info.url, info.clientId, {
  sub: user.authorizerId,
  email: user.email,
  ...(expires !== undefined ? { expiresInSeconds: expires } : {}),
}).catch((err: Error) => fail(`cannot mint a token: ${err.message}`));
process.stdout.write(`${token}\n`);
