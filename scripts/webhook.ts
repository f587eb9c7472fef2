// npm run webhook -- <event> <email> — sends a signed Authorizer webhook event about a demo user to
// the Worker started by `npm run dev` (e.g. `npm run webhook -- user.access_revoked user@acme.test`),
// the way Authorizer would: raw JSON body, X-Authorizer-Signature = hex HMAC-SHA256.
import { hmacSha256Hex } from "../dev/authorizer/index.js";
import { DEV_WEBHOOK_SECRET } from "../dev/authorizer/dev-secret.js";
import { DEMO_USERS } from "../dev/demo/seed.js";

const [eventName, email] = process.argv.slice(2);
const EVENTS = [
  "user.signup",
  "user.created",
  "user.login",
  "user.access_revoked",
  "user.access_enabled",
  "user.deactivated",
  "user.deleted",
];
if (!eventName || !email || !EVENTS.includes(eventName)) {
  process.stderr.write(`usage: npm run webhook -- <${EVENTS.join("|")}> <email>\n`);
  process.exit(1);
}
const user = DEMO_USERS.find((u) => u.email.toLowerCase() === email.toLowerCase());
const apiUrl = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT || 8787}`;
const secret = process.env.AUTHORIZER_WEBHOOK_SECRET ?? DEV_WEBHOOK_SECRET;
const body = JSON.stringify({
  webhook_id: "local",
  event_name: eventName,
  event_description: `${eventName} (sent by npm run webhook)`,
  user: {
    id: user?.authorizerId ?? `auth-local-${email}`,
    email,
    email_verified: true,
    given_name: user?.firstName ?? null,
    family_name: user?.lastName ?? null,
    updated_at: Math.floor(Date.now() / 1000),
  },
});
const res = await fetch(`${apiUrl}/v1/webhooks/authorizer`, {
  method: "POST",
  headers: { "content-type": "application/json", "x-authorizer-signature": hmacSha256Hex(secret, body) },
  body,
}).catch((err: Error) => {
  process.stderr.write(
    `cannot reach ${apiUrl} (${err.cause ?? err.message}): is \`npm run dev\` running? (API_URL or PORT pick another)\n`,
  );
  process.exit(1);
});
console.log(`${res.status} ${await res.text()}`);
