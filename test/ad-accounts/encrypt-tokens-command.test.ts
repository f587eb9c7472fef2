// npm run db:encrypt-tokens and db:rotate-encryption-key, run as functions against an adopted seed
// database whose tokens are in clear (the seed-era rows of test/schema/fixtures).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../ops/backend.js";
import { migrate } from "../../ops/migrate.js";
import { keyringFromEnvironment, sealStoredTokens } from "../../ops/token-encryption.js";
import { signingSecretContext } from "../../src/auth/api-key-format.js";
import { createKeyring, decryptToken, encryptToken, sealedKeyId } from "../../src/crypto/token-crypto.js";
import { loadPrismaSeedLayout, loadSeedEraRows } from "../schema/support.js";
import { openTestBackend, type TestBackend } from "../support/test-backend.js";

const randomKey = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");

describe("sealing stored tokens in place", { timeout: 60_000 }, () => {
  let tb: TestBackend;
  let plaintext: Map<string, string>;
  const tokens = async () =>
    new Map(
      (await queryRows<{ id: string; accessToken: string }>(tb.backend, `select id, "accessToken" from ad_accounts`)).map((r) => [
        r.id,
        r.accessToken,
      ]),
    );

  beforeAll(async () => {
    tb = await openTestBackend("encrypt_tokens");
    await loadPrismaSeedLayout(tb.backend);
    await loadSeedEraRows(tb.backend);
    await migrate(tb.backend);
    plaintext = await tokens();
  }, 60_000);

  afterAll(async () => {
    await tb?.cleanup();
  });

  const oldKey = randomKey();
  const newKey = randomKey();

  it("db:encrypt-tokens seals every plaintext token, each still opening to its old value", async () => {
    expect(plaintext.size).toBeGreaterThan(0);
    const ring = await createKeyring({ current: oldKey });
    const report = await sealStoredTokens(tb.backend, ring);
    expect(report).toMatchObject({ scanned: plaintext.size, encrypted: plaintext.size, current: 0, failed: [] });

    for (const [id, stored] of await tokens()) {
      expect(stored).toMatch(/^v1:/);
      expect(stored).not.toContain(plaintext.get(id));
      expect(await decryptToken(ring, stored, id)).toBe(plaintext.get(id));
    }
  });

  it("is idempotent: a second run changes nothing", async () => {
    const before = await tokens();
    const report = await sealStoredTokens(tb.backend, await createKeyring({ current: oldKey }));
    expect(report).toMatchObject({ scanned: before.size, encrypted: 0, reencrypted: 0, current: before.size, failed: [] });
    expect(await tokens()).toEqual(before);
  });

  it("does not rotate: tokens under another key are reported and left alone", async () => {
    const before = await tokens();
    const report = await sealStoredTokens(tb.backend, await createKeyring({ current: newKey, previous: [oldKey] }));
    expect(report).toMatchObject({ encrypted: 0, reencrypted: 0, olderKey: before.size });
    expect(await tokens()).toEqual(before);
  });

  it("db:rotate-encryption-key reports tokens it cannot open when the old key is not given, and changes none", async () => {
    const before = await tokens();
    const report = await sealStoredTokens(tb.backend, await createKeyring({ current: newKey }), { rotate: true });
    expect(report.failed).toHaveLength(before.size);
    for (const f of report.failed) expect(f.reason).toMatch(/ENCRYPTION_KEY_PREVIOUS/);
    expect(await tokens()).toEqual(before);
  });

  it("db:rotate-encryption-key re-seals every token under the new key, readable without the old one", async () => {
    const { ring, source } = await keyringFromEnvironment(
      { ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: `${randomKey()}, ${oldKey}` },
      false,
    );
    expect(source).toBe("ENCRYPTION_KEY");
    const report = await sealStoredTokens(tb.backend, ring, { rotate: true });
    expect(report).toMatchObject({ reencrypted: plaintext.size, failed: [] });

    const onlyNew = await createKeyring({ current: newKey });
    for (const [id, stored] of await tokens()) {
      expect(sealedKeyId(stored)).toBe(onlyNew.current!.id);
      expect(await decryptToken(onlyNew, stored, id)).toBe(plaintext.get(id));
    }
    const again = await sealStoredTokens(tb.backend, ring, { rotate: true });
    expect(again).toMatchObject({ reencrypted: 0, current: plaintext.size });
  });

  it("db:rotate-encryption-key re-seals API keys' signing secrets too, each under its own key id", async () => {
    const [client] = await queryRows<{ id: string }>(tb.backend, `select id from clients order by id limit 1`);
    const ring = await createKeyring({ current: newKey });
    const keyId = "signing_key_rotation";
    const secret = "sig_rotation-test-secret";
    await queryRows(
      tb.backend,
      `insert into api_keys (id, "clientId", name, prefix, "keyHash", scopes, "signingSecret", "updatedAt")
       values ($1, $2, 'signed', 'rotation', 'hash-rotation', '{executions:write}', $3, now())`,
      [keyId, client!.id, await encryptToken(ring, secret, signingSecretContext(keyId))],
    );
    const thirdKey = randomKey();
    const next = await createKeyring({ current: thirdKey, previous: [newKey] });
    const report = await sealStoredTokens(tb.backend, next, { rotate: true });
    expect(report).toMatchObject({ scanned: plaintext.size + 1, reencrypted: plaintext.size + 1, failed: [] });
    const [row] = await queryRows<{ signingSecret: string }>(tb.backend, `select "signingSecret" from api_keys where id = $1`, [keyId]);
    const onlyThird = await createKeyring({ current: thirdKey });
    expect(sealedKeyId(row!.signingSecret)).toBe(onlyThird.current!.id);
    expect(await decryptToken(onlyThird, row!.signingSecret, signingSecretContext(keyId))).toBe(secret);
    // Sealed for this key only: the ciphertext does not open as another key's secret.
    await expect(decryptToken(onlyThird, row!.signingSecret, signingSecretContext("another_key"))).rejects.toThrow();
  });

  it("needs ENCRYPTION_KEY for a real database, and validates the keys", async () => {
    await expect(keyringFromEnvironment({}, false)).rejects.toThrow(/ENCRYPTION_KEY is required/);
    await expect(keyringFromEnvironment({ ENCRYPTION_KEY: "c2hvcnQ=" }, false)).rejects.toThrow(/ENCRYPTION_KEY must be base64/);
    await expect(keyringFromEnvironment({ ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: "c2hvcnQ=" }, false)).rejects.toThrow(
      /ENCRYPTION_KEY_PREVIOUS/,
    );
  });
});
