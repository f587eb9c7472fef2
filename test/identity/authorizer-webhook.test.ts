import { createHmac } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { newId } from "../../drizzle/ids.js";
import { invitedAuthorizerId } from "../../src/auth/invitations.js";
import { apiUrl, call } from "../support/api.js";
import { bearer, createTenant, createUser, mintToken, ownerSql } from "../support/fixtures.js";

const secret = inject("authorizer").webhookSecret;

function signed(body: unknown, key = secret): RequestInit {
  const raw = JSON.stringify(body);
  return {
    method: "POST",
    headers: { "content-type": "application/json", "x-authorizer-signature": createHmac("sha256", key).update(raw).digest("hex") },
    body: raw,
  };
}

const event = (event_name: string, user: Record<string, unknown>) => ({
  webhook_id: "wh_test",
  event_name,
  event_description: event_name,
  user,
});

const post = (body: unknown, key?: string) => call("/v1/webhooks/authorizer", signed(body, key));

async function userRow(where: string, value: string) {
  const [row] = await ownerSql.query(`select * from users where ${where} = $1`, [value]);
  return row as Record<string, any> | undefined;
}

describe("POST /v1/webhooks/authorizer: signatures", () => {
  it("refuses a missing, wrong or re-serialised signature with 401", async () => {
    const body = event("user.login", { id: "x" });
    const raw = JSON.stringify(body);
    const noSig = await call("/v1/webhooks/authorizer", { method: "POST", headers: { "content-type": "application/json" }, body: raw });
    expect(noSig.status).toBe(401);
    expect((await post(body, "not-the-secret")).status).toBe(401);
    // Signed over a different serialisation of the same JSON: bytes matter, not meaning.
    const pretty = JSON.stringify(body, null, 2);
    const sig = createHmac("sha256", secret).update(raw).digest("hex");
    const res = await fetch(apiUrl("/v1/webhooks/authorizer"), {
      method: "POST",
      headers: { "content-type": "application/json", "x-authorizer-signature": sig },
      body: pretty,
    });
    expect(res.status).toBe(401);
  });

  it("checks the signature before looking at the body", async () => {
    const res = await call("/v1/webhooks/authorizer", { method: "POST", headers: { "content-type": "application/json" }, body: '{"nonsense": true}' });
    expect(res.status).toBe(401);
  });

  it("answers 400 to a signed body that is not a user event, and 202 to an unknown event", async () => {
    expect((await post({ event_name: "user.login" })).status).toBe(400);
    const unknown = await post(event("group.created", { id: "g1" }));
    expect(unknown.status).toBe(202);
    expect(unknown.body.data.outcome).toBe("ignored");
  });
});

describe("POST /v1/webhooks/authorizer: events", () => {
  it("links an invited user by email on signup, and a repeat changes nothing", async () => {
    const tenant = await createTenant();
    const id = newId();
    const email = `invited-${id}@acme.test`;
    await ownerSql.query(
      `insert into users (id, "authorizerId", email, role, status, "clientId", "updatedAt") values ($1, $2, $3, 'USER', 'PENDING_VERIFICATION', $4, now())`,
      [id, invitedAuthorizerId(id), email, tenant.clientId],
    );
    const sub = `auth-signup-${id}`;
    const first = await post(event("user.signup", { id: sub, email: email.toUpperCase(), email_verified: true }));
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ outcome: "applied", userId: id });
    expect(await userRow("id", id)).toMatchObject({ authorizerId: sub, status: "ACTIVE", clientId: tenant.clientId });

    const repeat = await post(event("user.signup", { id: sub, email, email_verified: true }));
    expect(repeat.body.data.outcome).toBe("unchanged");
    const me = await call("/v1/me", { headers: bearer(await mintToken(sub)) });
    expect(me.status).toBe(200);
    expect(me.body.data.user.id).toBe(id);
  });

  it("creates a user without a client on signup of an unknown email, pending until verified", async () => {
    const sub = `auth-new-${newId()}`;
    const email = `${sub}@new.test`;
    const res = await post(event("user.created", { id: sub, email, email_verified: false, given_name: "Nia" }));
    expect(res.body.data.outcome).toBe("applied");
    expect(await userRow('"authorizerId"', sub)).toMatchObject({ email, clientId: null, role: "VIEWER", status: "PENDING_VERIFICATION", firstName: "Nia" });
    await post(event("user.signup", { id: sub, email, email_verified: true }));
    expect((await userRow('"authorizerId"', sub))!.status).toBe("ACTIVE");
  });

  it("never attaches a signup to an email that belongs to another Authorizer identity", async () => {
    const tenant = await createTenant();
    const res = await post(event("user.signup", { id: `auth-imposter-${newId()}`, email: tenant.admin.email, email_verified: true }));
    expect(res.body.data.outcome).toBe("unchanged");
    expect((await userRow("id", tenant.admin.id))!.authorizerId).toBe(tenant.admin.authorizerId);
  });

  it("records the login time", async () => {
    const u = await createUser({ clientId: null, role: "VIEWER" });
    const res = await post(event("user.login", { id: u.authorizerId, email: u.email }));
    expect(res.body.data.outcome).toBe("applied");
    expect((await userRow("id", u.id))!.lastLoginAt).not.toBeNull();
  });

  for (const [name, status] of [
    ["user.access_revoked", "SUSPENDED"],
    ["user.deactivated", "INACTIVE"],
    ["user.deleted", "INACTIVE"],
  ] as const) {
    it(`${name} sets ${status} and stops the user's outstanding tokens at once`, async () => {
      const tenant = await createTenant();
      const token = tenant.user.token;
      expect((await call("/v1/me", { headers: bearer(token) })).status).toBe(200); // now cached

      const res = await post(event(name, { id: tenant.user.authorizerId, email: tenant.user.email, updated_at: Math.floor(Date.now() / 1000) }));
      expect(res.status).toBe(200);
      expect((await userRow("id", tenant.user.id))!.status).toBe(status);
      const refused = await call("/v1/me", { headers: bearer(token) });
      expect(refused.status).toBe(401);
    });
  }

  it("re-enables access without reviving tokens issued before the revocation", async () => {
    const tenant = await createTenant();
    const oldToken = tenant.user.token;
    const t0 = Math.floor(Date.now() / 1000);
    await post(event("user.access_revoked", { id: tenant.user.authorizerId, updated_at: t0 }));
    const enabled = await post(event("user.access_enabled", { id: tenant.user.authorizerId, updated_at: t0 + 5 }));
    expect(enabled.body.data.outcome).toBe("applied");
    expect((await userRow("id", tenant.user.id))!.status).toBe("ACTIVE");
    expect((await call("/v1/me", { headers: bearer(oldToken) })).status).toBe(401);
    const fresh = await mintToken(tenant.user.authorizerId, { issuedAt: Math.floor(Date.now() / 1000) + 2 });
    expect((await call("/v1/me", { headers: bearer(fresh) })).status).toBe(200);
  });

  it("ignores a replayed older event so it cannot undo a newer change", async () => {
    const tenant = await createTenant();
    const t0 = Math.floor(Date.now() / 1000);
    const revoke = event("user.access_revoked", { id: tenant.viewer.authorizerId, updated_at: t0 });
    await post(revoke);
    await post(event("user.access_enabled", { id: tenant.viewer.authorizerId, updated_at: t0 + 10 }));
    const replay = await post(revoke);
    expect(replay.body.data.outcome).toBe("stale");
    expect((await userRow("id", tenant.viewer.id))!.status).toBe("ACTIVE");
  });

  it("answers unknown_user for a status event about nobody", async () => {
    const res = await post(event("user.deleted", { id: `auth-ghost-${newId()}` }));
    expect(res.status).toBe(200);
    expect(res.body.data.outcome).toBe("unknown_user");
  });
});
