// The Worker's database login roles for the local stack. Migrations create the NOLOGIN group roles
// `automation_api` (held inside row-level security by signed tenant claims) and
// `automation_cross_tenant` (the only way across tenants); a deployment creates its own login roles
// and grants them those groups (README "Deploy"). Locally this does the same for `automation_app`
// (DATABASE_URL) and `automation_ops` (CROSS_TENANT_DATABASE_URL).
import { execScript, type Backend } from "../ops/backend.js";

export const LOCAL_APP_ROLE = "automation_app";
export const LOCAL_APP_PASSWORD = "local";
export const LOCAL_CROSS_TENANT_ROLE = "automation_ops";
export const LOCAL_CROSS_TENANT_PASSWORD = "local";

async function ensureLoginRole(backend: Backend, role: string, password: string, group: string): Promise<void> {
  // Roles are cluster-wide and may already exist (another database on the same server).
  await execScript(
    backend,
    `DO $$ BEGIN
       CREATE ROLE ${role} LOGIN PASSWORD '${password}' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
     END $$;
     GRANT ${group} TO ${role};`,
  );
}

export async function ensureLocalAppRole(backend: Backend): Promise<void> {
  await ensureLoginRole(backend, LOCAL_APP_ROLE, LOCAL_APP_PASSWORD, "automation_api");
}

export async function ensureLocalCrossTenantRole(backend: Backend): Promise<void> {
  await ensureLoginRole(backend, LOCAL_CROSS_TENANT_ROLE, LOCAL_CROSS_TENANT_PASSWORD, "automation_cross_tenant");
}

function withCredentials(ownerUrl: string, user: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = user;
  url.password = password;
  return url.toString();
}

/** The owner URL with the local application role's credentials instead. */
export function appRoleUrl(ownerUrl: string): string {
  return withCredentials(ownerUrl, LOCAL_APP_ROLE, LOCAL_APP_PASSWORD);
}

/** The owner URL with the local cross-tenant role's credentials instead. */
export function crossTenantRoleUrl(ownerUrl: string): string {
  return withCredentials(ownerUrl, LOCAL_CROSS_TENANT_ROLE, LOCAL_CROSS_TENANT_PASSWORD);
}
