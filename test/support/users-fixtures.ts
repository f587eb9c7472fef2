// Fixtures for the users tests.
import { newId } from "../../drizzle/ids.js";
import { ownerSql } from "./fixtures.js";

/** An email no other test uses. */
export const uniqueEmail = (prefix = "person") => `${prefix}-${newId()}@tenant.test`;

/** Sets the client's maxUsers (tenants from createTenant allow 20). */
export async function setMaxUsers(clientId: string, max: number): Promise<void> {
  await ownerSql.query(`update clients set "maxUsers" = $2 where id = $1`, [clientId, max]);
}

/** Users of the client that count against maxUsers (not INACTIVE). */
export async function countedUsers(clientId: string): Promise<number> {
  const [row] = await ownerSql.query(`select count(*)::int as n from users where "clientId" = $1 and status <> 'INACTIVE'`, [clientId]);
  return Number(row?.n);
}
