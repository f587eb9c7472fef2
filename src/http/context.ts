// Per-request container: what middleware puts on the Hono context, and lazy accessors for the
// configuration and the database so routes that need neither (health, docs) never touch them.
import type { Context } from "hono";
import { createCrossTenantDatabase, createDatabase, type Database } from "../db/client.js";
import { loadConfig, type Bindings, type Config } from "../env.js";
import type { RequestLog } from "../lib/log.js";
import type { Principal } from "../auth/principal.js";

export interface AppEnv {
  Bindings: Bindings;
  Variables: {
    requestId: string;
    log: RequestLog;
    db: Database;
    crossTenantDb: Database;
    /** Set by the route guard once the caller is authenticated. */
    principal: Principal;
    /** The tenant the request acts on (null: SUPER_ADMIN or a person without a client, where allowed). */
    tenantId: string | null;
  };
}

export type AppContext = Context<AppEnv>;

export function config(c: AppContext): Config {
  return loadConfig(c.env ?? {});
}

export function database(c: AppContext): Database {
  let db = c.get("db");
  if (!db) {
    db = createDatabase(config(c), { requestId: c.get("requestId") });
    c.set("db", db);
  }
  return db;
}

/** The cross-tenant role's connection: the only one crossTenantBatch accepts. */
export function crossTenantDatabase(c: AppContext): Database {
  let db = c.get("crossTenantDb");
  if (!db) {
    db = createCrossTenantDatabase(config(c), { requestId: c.get("requestId") });
    c.set("crossTenantDb", db);
  }
  return db;
}
