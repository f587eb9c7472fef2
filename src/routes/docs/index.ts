// The OpenAPI 3.1 document (generated from the route definitions) and an interactive reference
// page. The page's script is the Scalar standalone bundle served by this Worker as a static asset
// (public/docs/vendor, copied from node_modules by scripts/vendor-docs-assets.mjs), so /docs works
// with no network beyond this service.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import type { AppEnv } from "../../http/context.js";
import { TAGS } from "../../http/tags.js";

export const DOCS_SCRIPT_PATH = "/docs/vendor/scalar-api-reference.js";

export function mountDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An Authorizer access token (people) or an API key starting with `apk_` (machines).",
  });

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Automation Platform API",
      version: "1.0.0",
      description:
        "Data and control plane of the Meta Marketing API automation platform: tenants, users, Meta ad accounts, n8n workflows, execution logs and reports.\n\n" +
        "Every error uses the envelope `{\"error\": {\"code\", \"message\", \"requestId\", \"details\"?}}`; every response carries `X-Request-Id`.",
    },
    tags: [...TAGS],
  });

  app.get(
    "/docs",
    Scalar({
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
    }),
  );
}
