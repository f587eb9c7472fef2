// The OpenAPI 3.1 document (generated from the route definitions) and an interactive reference
// page. The page's script is the Scalar standalone bundle served by this Worker as a static asset
// (public/docs/vendor, copied from node_modules by scripts/vendor-docs-assets.mjs), so /docs works
// with no network beyond this service.
//
// The page has a Content-Security-Policy of its own: scripts from this origin plus the page's one
// inline script (allowed by its hash, computed once per isolate from the page Scalar renders),
// styles from this origin and inline (Scalar injects its styles at run time), data: images, fetches
// to this origin only (the document), and it may not be framed.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import type { Context, MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../../http/context.js";
import { TAGS } from "../../http/tags.js";

export const DOCS_SCRIPT_PATH = "/docs/vendor/scalar-api-reference.js";

export function mountDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description:
      "An Authorizer access token (people) or an API key starting with `apk_` (machines).\n\n" +
      "A key created with `requireSignature: true` must also sign every request: `X-Timestamp` (Unix seconds, within 300 s of the server's clock) and " +
      "`X-Signature` (hex HMAC-SHA256 of `<X-Timestamp>.<raw body>`, an empty body for GET, with the key's signing secret). " +
      "A signature is accepted once (a replay of a request that succeeded is 401); a request that fails gives its signature back, so it can be retried as is. " +
      "Failed authentications are limited per client address: past `AUTH_FAILURE_LIMIT` a minute they answer 429 with Retry-After (a valid credential is never refused).",
  });

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Automation Platform API",
      version: "1.0.0",
      description:
        "Data and control plane of the Meta Marketing API automation platform: tenants, users, Meta ad accounts, n8n workflows, execution logs and reports.\n\n" +
        'Every error uses the envelope `{"error": {"code", "message", "requestId", "details"?}}`; every response carries `X-Request-Id`.',
    },
    tags: [...TAGS],
  });

  const page = Scalar({
    url: "/openapi.json",
    cdn: DOCS_SCRIPT_PATH,
    pageTitle: "Automation Platform API reference",
    // No web fonts, telemetry or hosted AI/MCP features: the page must work with no network
    // beyond this service.
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    showDeveloperTools: "never",
  });
  app.get("/docs", inlineScriptHashes(page), docsPolicy, page);
}

let scriptHashes: Promise<string[]> | undefined;
let knownScriptHashes: string[] = [];

/** Hashes ('sha256-…') of the page's inline scripts, from the page itself, once per isolate. */
type Page = ReturnType<typeof Scalar>;

function inlineScriptHashes(page: Page): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    scriptHashes ??= render(page, c).then(hashInlineScripts);
    try {
      knownScriptHashes = await scriptHashes;
    } catch (err) {
      scriptHashes = undefined;
      throw err;
    }
    await next();
  };
}

async function render(page: Page, c: Context): Promise<string> {
  const res = await page(c, async () => {});
  if (!(res instanceof Response)) throw new Error("the API reference page rendered nothing");
  return res.text();
}

async function hashInlineScripts(html: string): Promise<string[]> {
  const bodies = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? "");
  return Promise.all(
    bodies.map(async (body) => {
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
      return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
    }),
  );
}

const docsPolicy = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'", () => knownScriptHashes.join(" ")],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", "data:"],
    fontSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: "DENY",
});
