import { createRoute } from "@hono/zod-openapi";
import { errorResponses } from "../../http/openapi.js";
import { Liveness, Readiness } from "./schema.js";

export const liveness = createRoute({
  method: "get",
  path: "/health",
  tags: ["Service"],
  summary: "Liveness: the Worker answers (no dependency is touched)",
  responses: {
    200: {
      description: "The Worker is running.",
      content: { "application/json": { schema: Liveness, example: { status: "ok" } } },
    },
  },
});

const readyExample = {
  status: "ok",
  checks: {
    config: { status: "ok" },
    database: { status: "ok", latencyMs: 12.4 },
    redis: { status: "ok", latencyMs: 8.1 },
  },
};

export const readiness = createRoute({
  method: "get",
  path: "/health/ready",
  tags: ["Service"],
  summary: "Readiness: configuration, database and Redis, each with latency and error",
  description:
    "503 `down` when the configuration is invalid or the database is unreachable; 200 `degraded` when only Redis is. Each check is bounded by a short timeout.",
  responses: {
    200: { description: "Ready (or degraded).", content: { "application/json": { schema: Readiness, example: readyExample } } },
    503: {
      description: "Not ready.",
      content: {
        "application/json": {
          schema: Readiness,
          example: {
            status: "down",
            checks: {
              config: { status: "ok" },
              database: { status: "error", latencyMs: 2001, error: "The database did not answer in time." },
              redis: { status: "not_configured" },
            },
          },
        },
      },
    },
    ...errorResponses(500),
  },
});
