// Ad accounts arranged directly in the database (as the owner), for tests that need one to exist.
import { inject } from "vitest";
import { newId } from "../../drizzle/ids.js";
import { createKeyring, encryptToken } from "../../src/crypto/token-crypto.js";
import { ownerSql } from "./fixtures.js";

let counter = 0;

/** A metaAdAccountId no other test uses (the unique index is global). */
export function uniqueMetaId(): string {
  counter += 1;
  return `act_${Date.now()}${process.pid}${counter}${Math.floor(Math.random() * 1000)}`;
}

/** The Worker's own keyring (its ENCRYPTION_KEY), to seal or open tokens the way it does. */
export const workerKeyring = () => createKeyring({ current: inject("workerVars").ENCRYPTION_KEY });

export interface TestAdAccount {
  id: string;
  metaAdAccountId: string;
  token: string;
}

/** An ad account of `clientId`; its token sealed under the Worker's key, or stored in clear (`legacy`). */
export async function seedAdAccount(clientId: string, opts: { legacy?: boolean; token?: string } = {}): Promise<TestAdAccount> {
  const id = newId();
  const metaAdAccountId = uniqueMetaId();
  const token = opts.token ?? `EAAtest${id}`;
  const stored = opts.legacy ? token : await encryptToken(await workerKeyring(), token, id);
  await ownerSql.query(
    `insert into ad_accounts (id, "metaAdAccountId", "accessToken", name, "clientId", "updatedAt")
     values ($1, $2, $3, $4, $5, now())`,
    [id, metaAdAccountId, stored, `Account ${id}`, clientId],
  );
  return { id, metaAdAccountId, token };
}
