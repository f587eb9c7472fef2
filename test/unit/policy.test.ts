import { describe, expect, it } from "vitest";
import { authorize, canGrantRole, POLICY, USER_ROLES, type Action } from "../../src/auth/policy.js";

describe("the policy table", () => {
  it("lets a role do what the action's minimum role allows, and nothing below it", () => {
    expect(authorize({ kind: "user", role: "ADMIN", tenantStatus: "ACTIVE" }, "apiKeys.create")).toEqual({ allowed: true });
    expect(authorize({ kind: "user", role: "USER", tenantStatus: "ACTIVE" }, "apiKeys.create").allowed).toBe(false);
    expect(authorize({ kind: "user", role: "SUPER_ADMIN", tenantStatus: null }, "apiKeys.create")).toEqual({ allowed: true });
  });

  it("keeps suspended and cancelled tenants read-only, except for SUPER_ADMIN", () => {
    for (const tenantStatus of ["SUSPENDED", "CANCELLED"] as const) {
      expect(authorize({ kind: "user", role: "ADMIN", tenantStatus }, "apiKeys.list")).toEqual({ allowed: true });
      expect(authorize({ kind: "user", role: "ADMIN", tenantStatus }, "apiKeys.revoke").allowed).toBe(false);
      expect(authorize({ kind: "user", role: "SUPER_ADMIN", tenantStatus }, "apiKeys.revoke")).toEqual({ allowed: true });
    }
  });

  it("lets API keys do only what one of their scopes names", () => {
    for (const action of Object.keys(POLICY) as Action[]) {
      const rule = POLICY[action] as { scope?: string };
      const decision = authorize({ kind: "api_key", scopes: ["executions:write", "reports:read"], tenantStatus: "ACTIVE" }, action);
      expect(decision.allowed, action).toBe(rule.scope !== undefined && ["executions:write", "reports:read"].includes(rule.scope));
    }
  });

  it("never lets anyone grant a role above their own", () => {
    const rank = (r: string) => ["VIEWER", "USER", "ADMIN", "SUPER_ADMIN"].indexOf(r);
    for (const granter of USER_ROLES) {
      for (const granted of USER_ROLES)
        expect(canGrantRole(granter, granted), `${granter}→${granted}`).toBe(rank(granted) <= rank(granter));
    }
  });
});
