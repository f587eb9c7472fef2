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
    const res = await call("/v1/webhooks/authorizer", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"nonsense": true}',
    });
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
    expect(await userRow('"authorizerId"', sub)).toMatchObject({
      email,
      clientId: null,
      role: "VIEWER",
      status: "PENDING_VERIFICATION",
      firstName: "Nia",
    });
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

      const res = await post(
        event(name, { id: tenant.user.authorizerId, email: tenant.user.email, updated_at: Math.floor(Date.now() / 1000) }),
      );
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
    const res = await post(event("user.deleted", { id: `auth-ghost-${newId()}`, updated_at: Math.floor(Date.now() / 1000) }));
    expect(res.status).toBe(200);
    expect(res.body.data.outcome).toBe("unknown_user");
  });
});

/** An invited ADMIN of a fresh tenant: a users row whose authorizerId is the placeholder. */
async function invite(role = "ADMIN") {
  const tenant = await createTenant();
  const id = newId();
  const email = `invitee-${id}@acme.test`;
  await ownerSql.query(
    `insert into users (id, "authorizerId", email, role, status, "clientId", "updatedAt") values ($1, $2, $3, $4, 'PENDING_VERIFICATION', $5, now())`,
    [id, invitedAuthorizerId(id), email, role, tenant.clientId],
  );
  return { tenant, id, email };
}

describe("POST /v1/webhooks/authorizer: invitations are claimed by verified email only (issue 6, item 2)", () => {
  for (const name of ["user.signup", "user.created"]) {
    it(`an unverified ${name} with the invitee's email (any case) does not take the invitation`, async () => {
      const { id, email } = await invite();
      const attacker = `auth-attacker-${newId()}`;
      const res = await post(event(name, { id: attacker, email: email.toUpperCase(), email_verified: false }));
      expect(res.status).toBe(200);
      expect(res.body.data.outcome).toBe("unchanged");
      expect(await userRow("id", id)).toMatchObject({ authorizerId: invitedAuthorizerId(id), status: "PENDING_VERIFICATION" });
      expect(await userRow('"authorizerId"', attacker)).toBeUndefined();
      expect((await call("/v1/me", { headers: bearer(await mintToken(attacker)) })).status).toBe(403);

      // The real invitee's verified signup still links the invitation and activates it.
      const invitee = `auth-invitee-${newId()}`;
      const real = await post(event("user.signup", { id: invitee, email, email_verified: true }));
      expect(real.body.data).toMatchObject({ outcome: "applied", userId: id });
      expect(await userRow("id", id)).toMatchObject({ authorizerId: invitee, status: "ACTIVE", role: "ADMIN" });
      const me = await call("/v1/me", { headers: bearer(await mintToken(invitee)) });
      expect(me.status).toBe(200);
      expect(me.body.data.user.id).toBe(id);
      // The attacker's later events change nothing, verified or not.
      for (const verified of [false, true]) {
        const again = await post(event("user.signup", { id: attacker, email, email_verified: verified }));
        expect(again.body.data.outcome).toBe("unchanged");
      }
      expect((await userRow("id", id))!.authorizerId).toBe(invitee);
      expect((await call("/v1/me", { headers: bearer(await mintToken(attacker)) })).status).toBe(403);
    });
  }

  it("a later verified event for the same subject (the first login after verifying) completes the invitation", async () => {
    const { id, email } = await invite("USER");
    const sub = `auth-slow-verifier-${newId()}`;
    expect((await post(event("user.signup", { id: sub, email, email_verified: false }))).body.data.outcome).toBe("unchanged");
    const unverifiedLogin = await post(event("user.login", { id: sub, email, email_verified: false }));
    expect(unverifiedLogin.body.data.outcome).toBe("unknown_user");
    const login = await post(event("user.login", { id: sub, email: email.toUpperCase(), email_verified: true }));
    expect(login.body.data).toMatchObject({ outcome: "applied", userId: id });
    expect(await userRow("id", id)).toMatchObject({ authorizerId: sub, status: "ACTIVE" });
    expect((await userRow("id", id))!.lastLoginAt).not.toBeNull();
  });

  it("a second verified subject never takes an invitation already linked", async () => {
    const { id, email } = await invite();
    const first = `auth-first-${newId()}`;
    await post(event("user.signup", { id: first, email, email_verified: true }));
    const second = await post(event("user.signup", { id: `auth-second-${newId()}`, email, email_verified: true }));
    expect(second.body.data.outcome).toBe("unchanged");
    expect((await userRow("id", id))!.authorizerId).toBe(first);
  });

  it("refuses an event whose user id is an invitation placeholder", async () => {
    const { id, email } = await invite();
    const res = await post(event("user.signup", { id: invitedAuthorizerId(id), email, email_verified: true }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_request");
    expect(await userRow("id", id)).toMatchObject({ authorizerId: invitedAuthorizerId(id), status: "PENDING_VERIFICATION" });
  });
});

describe("POST /v1/webhooks/authorizer: ordering (issue 6, item 3)", () => {
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  it("a replay whose updated_at equals the last applied one changes nothing (strict order)", async () => {
    const tenant = await createTenant();
    const t0 = nowSeconds() - 60;
    expect((await post(event("user.access_revoked", { id: tenant.user.authorizerId, updated_at: t0 }))).body.data.outcome).toBe("applied");
    const sameInstant = await post(event("user.access_enabled", { id: tenant.user.authorizerId, updated_at: t0 }));
    expect(sameInstant.status).toBe(200);
    expect(sameInstant.body.data.outcome).toBe("stale");
    expect((await userRow("id", tenant.user.id))!.status).toBe("SUSPENDED");
  });

  it("refuses a status event without updated_at with 400, changing nothing", async () => {
    const tenant = await createTenant();
    for (const user of [{ id: tenant.user.authorizerId }, { id: tenant.user.authorizerId, updated_at: null }]) {
      const res = await post(event("user.deactivated", user));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
    }
    expect((await userRow("id", tenant.user.id))!.status).toBe("ACTIVE");
    expect((await call("/v1/me", { headers: bearer(tenant.user.token) })).status).toBe(200);
  });

  it("refuses an updated_at beyond now plus the clock tolerance, so it cannot make later real events stale", async () => {
    const tenant = await createTenant();
    const future = await post(event("user.access_revoked", { id: tenant.user.authorizerId, updated_at: nowSeconds() + 3600 }));
    expect(future.status).toBe(400);
    expect(future.body.error.code).toBe("invalid_request");
    const row = (await userRow("id", tenant.user.id))!;
    expect(row.status).toBe("ACTIVE");
    expect(row.authorizerUpdatedAt).toBeNull();
    // A far-future signup is refused as well (it would write the ordering column).
    const sub = `auth-future-${newId()}`;
    expect(
      (await post(event("user.signup", { id: sub, email: `${sub}@new.test`, email_verified: true, updated_at: nowSeconds() + 3600 })))
        .status,
    ).toBe(400);
    // The next real event applies.
    const real = await post(event("user.access_revoked", { id: tenant.user.authorizerId, updated_at: nowSeconds() }));
    expect(real.body.data.outcome).toBe("applied");
    // Within the tolerance (a clock a few seconds ahead) is accepted.
    const skewed = await post(event("user.access_enabled", { id: tenant.user.authorizerId, updated_at: nowSeconds() + 10 }));
    expect(skewed.body.data.outcome).toBe("applied");
  });
});
