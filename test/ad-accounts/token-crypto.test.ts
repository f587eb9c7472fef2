// Sealing Meta access tokens (src/crypto/token-crypto.ts): AES-256-GCM, key ids, row binding, legacy plaintext, rotation.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/env.js";
import {
  TokenDecryptionError,
  createKeyring,
  decryptToken,
  encryptToken,
  keyId,
  needsSealing,
  sealedKeyId,
} from "../../src/crypto/token-crypto.js";

const randomKey = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
const TOKEN = "EAAGm0PX4ZCpsBAunitTestToken123";
const ROW = "cm_account_one";

describe("token sealing", () => {
  it("round-trips a token, and never stores it in clear", async () => {
    const ring = await createKeyring({ current: randomKey() });
    const sealed = await encryptToken(ring, TOKEN, ROW);
    expect(sealed).toMatch(/^v1:[0-9a-f]{8}:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(TOKEN);
    expect(await decryptToken(ring, sealed, ROW)).toBe(TOKEN);
  });

  it("uses a fresh IV each time: sealing twice gives different values", async () => {
    const ring = await createKeyring({ current: randomKey() });
    expect(await encryptToken(ring, TOKEN, ROW)).not.toBe(await encryptToken(ring, TOKEN, ROW));
  });

  it("names the key: the first 8 hex digits of SHA-256 of the raw key", async () => {
    const key = randomKey();
    const ring = await createKeyring({ current: key });
    const digest = Buffer.from(await crypto.subtle.digest("SHA-256", Buffer.from(key, "base64"))).toString("hex");
    expect(sealedKeyId(await encryptToken(ring, TOKEN, ROW))).toBe(digest.slice(0, 8));
    expect(await keyId(new Uint8Array(Buffer.from(key, "base64")))).toBe(digest.slice(0, 8));
  });

  it("does not open under another key", async () => {
    const sealed = await encryptToken(await createKeyring({ current: randomKey() }), TOKEN, ROW);
    await expect(decryptToken(await createKeyring({ current: randomKey() }), sealed, ROW)).rejects.toThrow(ConfigError);
  });

  it("does not open under another key that claims the same key id", async () => {
    const ring = await createKeyring({ current: randomKey() });
    const other = await createKeyring({ current: randomKey() });
    const sealed = await encryptToken(other, TOKEN, ROW);
    const forged = sealed.replace(/^v1:[0-9a-f]{8}:/, `v1:${ring.current!.id}:`);
    await expect(decryptToken(ring, forged, ROW)).rejects.toThrow(TokenDecryptionError);
  });

  it("refuses a tampered ciphertext", async () => {
    const ring = await createKeyring({ current: randomKey() });
    const sealed = await encryptToken(ring, TOKEN, ROW);
    const last = sealed.at(-2) === "A" ? "B" : "A";
    const tampered = `${sealed.slice(0, -2)}${last}${sealed.slice(-1)}`;
    await expect(decryptToken(ring, tampered, ROW)).rejects.toThrow(TokenDecryptionError);
  });

  it("refuses a ciphertext copied onto another row (the ad account id is the associated data)", async () => {
    const ring = await createKeyring({ current: randomKey() });
    const sealed = await encryptToken(ring, TOKEN, ROW);
    await expect(decryptToken(ring, sealed, "cm_account_two")).rejects.toThrow(TokenDecryptionError);
  });

  it("reads an unversioned value as legacy plaintext, with or without a key", async () => {
    expect(await decryptToken(await createKeyring({ current: randomKey() }), "EAAlegacy", ROW)).toBe("EAAlegacy");
    expect(await decryptToken(await createKeyring({}), "enc:v1:acme-main", ROW)).toBe("enc:v1:acme-main");
  });

  it("refuses a value with a version prefix it cannot parse instead of returning it as plaintext", async () => {
    const ring = await createKeyring({ current: randomKey() });
    await expect(decryptToken(ring, "v1:not-a-sealed-value", ROW)).rejects.toThrow(TokenDecryptionError);
    await expect(decryptToken(ring, "v2:abcd:efgh:ijkl", ROW)).rejects.toThrow(TokenDecryptionError);
  });

  it("refuses to seal without ENCRYPTION_KEY, naming the setting", async () => {
    const err = await encryptToken(await createKeyring({}), TOKEN, ROW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems[0]?.setting).toBe("ENCRYPTION_KEY");
  });

  it("refuses to open a sealed value without ENCRYPTION_KEY, naming the setting", async () => {
    const sealed = await encryptToken(await createKeyring({ current: randomKey() }), TOKEN, ROW);
    const err = await decryptToken(await createKeyring({}), sealed, ROW).catch((e: unknown) => e);
    expect((err as ConfigError).problems[0]?.setting).toBe("ENCRYPTION_KEY");
  });
});

describe("key rotation", () => {
  it("opens a value sealed under a retired key given in ENCRYPTION_KEY_PREVIOUS, and re-seals it under the new key", async () => {
    const oldKey = randomKey();
    const newKey = randomKey();
    const before = await createKeyring({ current: oldKey });
    const sealed = await encryptToken(before, TOKEN, ROW);

    const after = await createKeyring({ current: newKey, previous: [randomKey(), oldKey] });
    expect(needsSealing(after, sealed)).toBe(true);
    expect(await decryptToken(after, sealed, ROW)).toBe(TOKEN);

    const resealed = await encryptToken(after, await decryptToken(after, sealed, ROW), ROW);
    expect(sealedKeyId(resealed)).toBe(after.current!.id);
    expect(needsSealing(after, resealed)).toBe(false);
    // Once the old key is dropped, the re-sealed value still opens.
    expect(await decryptToken(await createKeyring({ current: newKey }), resealed, ROW)).toBe(TOKEN);
  });

  it("names ENCRYPTION_KEY_PREVIOUS when the key that sealed a value is no longer configured", async () => {
    const sealed = await encryptToken(await createKeyring({ current: randomKey() }), TOKEN, ROW);
    const err = await decryptToken(await createKeyring({ current: randomKey() }), sealed, ROW).catch((e: unknown) => e);
    expect((err as ConfigError).problems[0]?.setting).toBe("ENCRYPTION_KEY_PREVIOUS");
  });

  it("marks legacy plaintext as needing sealing", async () => {
    expect(needsSealing(await createKeyring({ current: randomKey() }), "EAAlegacy")).toBe(true);
  });
});
