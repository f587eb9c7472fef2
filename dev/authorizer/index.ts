// A local stand-in for Authorizer (Node), used by `npm run dev` and the tests: it publishes a JWKS
// and discovery document the way Authorizer does, mints tokens shaped like Authorizer's, and sends
// signed webhooks. It is not an identity server: there is no login, only minting.
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import {
  asPrivateKeySet,
  generatePrivateJwk,
  hmacSha256Hex,
  mintWithPrivateJwks,
  publicJwk,
  SIGNING_ALG,
  type MintOptions,
  type PrivateKeySet,
} from "./tokens.js";

export { mintWithPrivateJwks, signClaims, hmacSha256Hex, type MintOptions, type PrivateKeySet } from "./tokens.js";

/** Where `npm run dev` keeps the stand-in's keys, and where scripts/token.ts reads them. */
export const DEV_KEY_FILE = ".data/authorizer-keys.json";
/** Written next to keyFile: `{url, clientId}` of the running stand-in. */
export const INFO_FILE_NAME = "authorizer.json";

export interface AuthorizerWebhookEvent {
  event_name: string;
  user: Record<string, unknown>;
  /** Authorizer sends the webhook's configured description. Default "<event_name> (local stand-in)". */
  event_description?: string;
  /** Sent on user.login / user.signup only, like Authorizer. Default "basic_auth". */
  auth_recipe?: string;
  webhook_id?: string;
}

export interface AuthorizerStandIn {
  /** http://127.0.0.1:<port>, no trailing slash: the tokens' `iss` and AUTHORIZER_URL. */
  url: string;
  clientId: string;
  webhookSecret: string;
  mintAccessToken(opts: MintOptions): Promise<string>;
  /** Publishes a new secondary key (same alg) next to the primary; `signWith: "secondary"` uses it.
   * Calling it again replaces the secondary. */
  rotate(): Promise<void>;
  /** false: the JWKS endpoint answers 503 ("error", default) or never answers ("hang"). */
  setJwksAvailable(available: boolean, mode?: "error" | "hang"): void;
  /** How many JWKS requests arrived (answered or not): lets tests see the verifier's caching. */
  jwksRequestCount(): number;
  signWebhookBody(rawBody: string): string;
  /** POSTs Authorizer's webhook body, signed with X-Authorizer-Signature. */
  sendWebhook(targetUrl: string, event: AuthorizerWebhookEvent): Promise<Response>;
  /** The private keys (a PrivateKeySet), serialisable: mintWithPrivateJwks() mints from them anywhere. */
  privateJwks(): PrivateKeySet;
  close(): Promise<void>;
}

export interface AuthorizerStandInOptions {
  /** 0 = a free port. Default: the port of the previous run when keyFile is set (so persisted
   * tokens keep a valid `iss`), else a free one. */
  port?: number;
  /** Default "local-client". */
  clientId?: string;
  /** Default: random per start. */
  webhookSecret?: string;
  /** Persist the private keys here (JWK JSON) so tokens survive restarts; `{url, clientId}` is written
   * to authorizer.json next to it. Absent: keys live in memory only. */
  keyFile?: string;
}

export async function startAuthorizerStandIn(opts: AuthorizerStandInOptions = {}): Promise<AuthorizerStandIn> {
  const clientId = opts.clientId ?? "local-client";
  const webhookSecret = opts.webhookSecret ?? randomBytes(32).toString("hex");
  const keyFile = opts.keyFile;
  const infoFile = keyFile ? join(dirname(keyFile), INFO_FILE_NAME) : undefined;

  let keys: PrivateKeySet =
    keyFile && existsSync(keyFile) ? asPrivateKeySet(JSON.parse(readFileSync(keyFile, "utf8"))) : { primary: await generatePrivateJwk() };
  const saveKeys = () => {
    if (!keyFile) return;
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  };
  saveKeys();

  let jwksMode: "up" | "error" | "hang" = "up";
  let jwksRequests = 0;
  let url = "";

  const jwks = () => ({
    keys: [publicJwk(keys.primary, clientId), ...(keys.secondary ? [publicJwk(keys.secondary, `${clientId}-secondary`)] : [])],
  });
  const discovery = () => ({
    issuer: url,
    authorization_endpoint: `${url}/authorize`,
    token_endpoint: `${url}/oauth/token`,
    userinfo_endpoint: `${url}/userinfo`,
    jwks_uri: `${url}/.well-known/jwks.json`,
    end_session_endpoint: `${url}/logout`,
    response_types_supported: ["code", "token", "id_token"],
    scopes_supported: ["openid", "email", "profile"],
    response_modes_supported: ["query", "fragment", "form_post", "web_message"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: [SIGNING_ALG],
    claims_supported: ["aud", "exp", "iss", "iat", "sub", "given_name", "family_name", "email", "email_verified", "roles"],
  });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://stand-in").pathname;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "GET") return json(405, { error: "method_not_allowed" });
    if (path === "/.well-known/jwks.json") {
      jwksRequests++;
      if (jwksMode === "hang") return; // the socket stays open until the client gives up or close()
      if (jwksMode === "error") return json(503, { error: "unavailable" });
      return json(200, jwks());
    }
    if (path === "/.well-known/openid-configuration") return json(200, discovery());
    if (path === "/health") return json(200, { status: "ok" });
    json(404, { error: "not_found" });
  });

  const previousPort = opts.port === undefined && infoFile ? readPreviousPort(infoFile) : undefined;
  const port = await listen(server, opts.port ?? previousPort ?? 0).catch((err: NodeJS.ErrnoException) => {
    if (previousPort !== undefined && err.code === "EADDRINUSE") return listen(server, 0);
    throw err;
  });
  url = `http://127.0.0.1:${port}`;
  if (infoFile) writeFileSync(infoFile, `${JSON.stringify({ url, clientId }, null, 2)}\n`);

  const signWebhookBody = (rawBody: string) => hmacSha256Hex(webhookSecret, rawBody);

  return {
    url,
    clientId,
    webhookSecret,
    mintAccessToken: (mint) => mintWithPrivateJwks(keys, url, clientId, mint),
    async rotate() {
      keys = { primary: keys.primary, secondary: await generatePrivateJwk() };
      saveKeys();
    },
    setJwksAvailable(available, mode = "error") {
      jwksMode = available ? "up" : mode;
    },
    jwksRequestCount: () => jwksRequests,
    signWebhookBody,
    async sendWebhook(targetUrl, event) {
      const body = JSON.stringify({
        webhook_id: event.webhook_id ?? randomUUID(),
        event_name: event.event_name,
        event_description: event.event_description ?? `${event.event_name} (local stand-in)`,
        user: event.user,
        ...(event.event_name === "user.login" || event.event_name === "user.signup"
          ? { auth_recipe: event.auth_recipe ?? "basic_auth" }
          : {}),
      });
      return fetch(targetUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "x-authorizer-signature": signWebhookBody(body) },
        body,
        signal: AbortSignal.timeout(30_000), // Authorizer's own webhook timeout
      });
    },
    privateJwks: () => structuredClone(keys),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // includes requests held open by the "hang" mode
      }),
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function readPreviousPort(infoFile: string): number | undefined {
  try {
    const port = Number(new URL(JSON.parse(readFileSync(infoFile, "utf8")).url).port);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}
