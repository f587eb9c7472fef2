import { z } from "@hono/zod-openapi";

export const Liveness = z.object({ status: z.literal("ok") }).openapi("Liveness");

export const CheckResult = z
  .object({
    status: z.enum(["ok", "error", "not_configured", "skipped"]),
    latencyMs: z.number().optional(),
    error: z.string().optional(),
  })
  .openapi("HealthCheck");

export const Readiness = z
  .object({
    status: z.enum(["ok", "degraded", "down"]),
    checks: z.object({
      config: CheckResult,
      database: CheckResult,
      redis: CheckResult,
    }),
  })
  .openapi("Readiness");
