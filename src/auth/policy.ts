// Who may do what, in one table. A route names an action; `authorize` decides from the principal
// alone (no database), so the rules read in one place instead of as `if`s scattered over handlers.
//
// People: role ranks SUPER_ADMIN > ADMIN > USER > VIEWER; an action names the lowest role allowed.
// Machines: an API key may perform an action only if the action names one of its scopes.
// Tenants whose status is SUSPENDED or CANCELLED can only read (SUPER_ADMIN acts on them freely).

import { userRole, type ClientStatus, type UserRole } from "../../drizzle/enums.js";

export type { UserRole };
export const USER_ROLES = userRole.enumValues;

export const API_KEY_SCOPES = [
  "executions:write",
  "reports:read",
  "reports:write",
  "workflows:read",
  "quota:use",
  "ad_accounts:credentials",
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const RANK: Record<UserRole, number> = { VIEWER: 0, USER: 1, ADMIN: 2, SUPER_ADMIN: 3 };

export function roleAtLeast(role: UserRole, minimum: UserRole): boolean {
  return RANK[role] >= RANK[minimum];
}

/** Nobody grants a role above their own. */
export function canGrantRole(granter: UserRole, granted: UserRole): boolean {
  return RANK[granted] <= RANK[granter];
}

export interface ActionRule {
  /** Lowest role allowed; absent = people may not do this. */
  role?: UserRole;
  /** API key scope that allows it; absent = machines may not do this. */
  scope?: ApiKeyScope;
  /** Writes are refused for tenants that are SUSPENDED or CANCELLED. */
  writes: boolean;
  /**
   * Whether the action acts on one tenant: "required" (SUPER_ADMIN must pick one with ?clientId=,
   * people without a client are refused) or "optional" (e.g. /v1/me). Absent = "required".
   */
  tenant?: "required" | "optional";
}

export const POLICY = {
  "me.read": { role: "VIEWER", writes: false, tenant: "optional" },

  // Tenants: /v1/clients/:id names the tenant in its path; handlers compare it with the caller's.
  "clients.list": { role: "VIEWER", writes: false, tenant: "optional" },
  "clients.create": { role: "SUPER_ADMIN", writes: true, tenant: "optional" },
  "clients.read": { role: "VIEWER", writes: false, tenant: "optional" },
  "clients.update": { role: "ADMIN", writes: true, tenant: "optional" },
  "clients.usage": { role: "VIEWER", writes: false, tenant: "optional" },

  "users.list": { role: "VIEWER", writes: false },
  "users.read": { role: "VIEWER", writes: false },
  "users.create": { role: "ADMIN", writes: true },
  "users.update": { role: "ADMIN", writes: true },
  "users.delete": { role: "ADMIN", writes: true },

  "adAccounts.list": { role: "VIEWER", writes: false },
  "adAccounts.read": { role: "VIEWER", writes: false },
  "adAccounts.create": { role: "ADMIN", writes: true },
  "adAccounts.update": { role: "ADMIN", writes: true },
  "adAccounts.delete": { role: "ADMIN", writes: true },
  "adAccounts.credentials": { role: "ADMIN", scope: "ad_accounts:credentials", writes: false },

  "workflows.list": { role: "VIEWER", scope: "workflows:read", writes: false },
  "workflows.read": { role: "VIEWER", scope: "workflows:read", writes: false },
  "workflows.stats": { role: "VIEWER", scope: "workflows:read", writes: false },
  "workflows.create": { role: "USER", writes: true },
  "workflows.update": { role: "USER", writes: true },
  "workflows.delete": { role: "ADMIN", writes: true },

  "executions.list": { role: "VIEWER", writes: false },
  "executions.read": { role: "VIEWER", writes: false },
  "executions.ingest": { scope: "executions:write", writes: true },

  "reports.list": { role: "VIEWER", scope: "reports:read", writes: false },
  "reports.read": { role: "VIEWER", scope: "reports:read", writes: false },
  "reports.create": { role: "USER", scope: "reports:write", writes: true },
  "reports.update": { role: "USER", scope: "reports:write", writes: true },
  "reports.delete": { role: "ADMIN", writes: true },
  "reports.deliver": { scope: "reports:write", writes: true },

  "apiKeys.list": { role: "ADMIN", writes: false },
  "apiKeys.create": { role: "ADMIN", writes: true },
  "apiKeys.revoke": { role: "ADMIN", writes: true },
  "quota.read": { role: "VIEWER", scope: "quota:use", writes: false },
  "quota.acquire": { role: "USER", scope: "quota:use", writes: true },
  "quota.usage": { role: "USER", scope: "quota:use", writes: true },

  "jobs.run": { role: "SUPER_ADMIN", writes: true, tenant: "optional" },
} as const satisfies Record<string, ActionRule>;

export type Action = keyof typeof POLICY;

/** A client's status, as far as authorization cares. */
export type TenantStatus = ClientStatus;

/** What `authorize` needs to know about the caller. */
export type Caller =
  | { kind: "user"; role: UserRole; tenantStatus: TenantStatus | null }
  | { kind: "api_key"; scopes: readonly ApiKeyScope[]; tenantStatus: TenantStatus };

export type Decision = { allowed: true } | { allowed: false; reason: string };

export function authorize(caller: Caller, action: Action): Decision {
  const rule: ActionRule = POLICY[action];
  if (caller.kind === "user") {
    if (!rule.role || !roleAtLeast(caller.role, rule.role)) {
      return { allowed: false, reason: `This action needs the ${rule.role ?? "API key"} role or higher.` };
    }
  } else if (!rule.scope || !caller.scopes.includes(rule.scope)) {
    return {
      allowed: false,
      reason: rule.scope ? `This API key lacks the ${rule.scope} scope.` : "API keys cannot perform this action.",
    };
  }
  const superAdmin = caller.kind === "user" && caller.role === "SUPER_ADMIN";
  if (rule.writes && !superAdmin && (caller.tenantStatus === "SUSPENDED" || caller.tenantStatus === "CANCELLED")) {
    return { allowed: false, reason: `This client is ${caller.tenantStatus.toLowerCase()}: it can only read.` };
  }
  return { allowed: true };
}
