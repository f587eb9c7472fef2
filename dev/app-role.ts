// The Worker's database login role for the local stack. Migrations create the NOLOGIN group role
// `automation_api` that the row-level-security policies apply to; a deployment creates its own login
// role and grants it that group (README "Deploy"). Locally this does the same for `automation_app`.
import { execScript, type Backend } from "./backend.js";

export const LOCAL_APP_ROLE = "automation_app";
export const LOCAL_APP_PASSWORD = "local";

export async function ensureLocalAppRole(backend: Backend): Promise<void> {
  // Roles are cluster-wide and may already exist (another database on the same server).
  await execScript(
    backend,
    `DO $$ BEGIN
       CREATE ROLE ${LOCAL_APP_ROLE} LOGIN PASSWORD '${LOCAL_APP_PASSWORD}' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
     END $$;
     GRANT automation_api TO ${LOCAL_APP_ROLE};`,
  );
}

/** The owner URL with the local application role's credentials instead. */
export function appRoleUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  url.username = LOCAL_APP_ROLE;
  url.password = LOCAL_APP_PASSWORD;
  return url.toString();
}
