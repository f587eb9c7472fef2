-- Row-level security: the second wall behind every "clientId" filter (hand-written: drizzle-kit
-- cannot express roles created idempotently, grants, or SECURITY DEFINER functions).
--
-- The Worker connects as a login role that is a member of automation_api. That role owns no table
-- and has no BYPASSRLS, so the policies below always apply to it. Migrations run as the owner.
-- Each request's batch starts with
--   select set_config('app.client_id', <tenant>, true), set_config('app.user_id', <caller>, true)
-- (transaction-local), and the policies compare rows with those settings. Cross-tenant work sets
-- app.cross_tenant = 'on' explicitly, through one audited helper in the Worker (src/db/tenant.ts).

-- Roles are cluster-wide: create it once, tolerate a concurrent or earlier creation.
DO $$ BEGIN
  CREATE ROLE automation_api NOLOGIN NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO automation_api;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON clients, users, ad_accounts, workflows, execution_logs, reports, api_keys TO automation_api;
--> statement-breakpoint

-- The settings are read with missing_ok = true: outside a request's batch they are NULL or '',
-- which matches no row.
CREATE FUNCTION app_tenant_visible(client_id text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT client_id = current_setting('app.client_id', true) OR current_setting('app.cross_tenant', true) = 'on' $$;
--> statement-breakpoint
ALTER TABLE clients ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON clients TO automation_api
  USING (app_tenant_visible(id)) WITH CHECK (app_tenant_visible(id));
--> statement-breakpoint
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A person always sees their own row (a SUPER_ADMIN has no client), but writes stay in the tenant.
CREATE POLICY tenant_isolation ON users TO automation_api
  USING (app_tenant_visible("clientId") OR id = current_setting('app.user_id', true))
  WITH CHECK (app_tenant_visible("clientId"));
--> statement-breakpoint
ALTER TABLE ad_accounts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON ad_accounts TO automation_api
  USING (app_tenant_visible("clientId")) WITH CHECK (app_tenant_visible("clientId"));
--> statement-breakpoint
ALTER TABLE workflows ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON workflows TO automation_api
  USING (app_tenant_visible("clientId")) WITH CHECK (app_tenant_visible("clientId"));
--> statement-breakpoint
ALTER TABLE execution_logs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON execution_logs TO automation_api
  USING (app_tenant_visible("clientId")) WITH CHECK (app_tenant_visible("clientId"));
--> statement-breakpoint
ALTER TABLE reports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON reports TO automation_api
  USING (app_tenant_visible("clientId")) WITH CHECK (app_tenant_visible("clientId"));
--> statement-breakpoint
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON api_keys TO automation_api
  USING (app_tenant_visible("clientId")) WITH CHECK (app_tenant_visible("clientId"));
--> statement-breakpoint

-- Authentication happens before any tenant is known. These two functions are the only doors past
-- the policies: each returns the one principal matching a secret the caller already holds (a
-- verified token's subject, an API key's hash) and nothing else. They run as their owner (the
-- migration role), with a pinned search_path so a caller cannot substitute objects.
CREATE FUNCTION api_principal_for_subject(subject text)
RETURNS TABLE ("userId" text, email text, role text, status text, "clientId" text, "clientStatus" text, "tokensValidAfter" timestamp(3))
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT u.id, u.email, u.role::text, u.status::text, u."clientId", c.status::text, u."tokensValidAfter"
  FROM users u LEFT JOIN clients c ON c.id = u."clientId"
  WHERE u."authorizerId" = subject
$$;
--> statement-breakpoint
CREATE FUNCTION api_principal_for_key(key_hash text)
RETURNS TABLE ("keyId" text, name text, "clientId" text, "clientStatus" text, scopes text[], "createdBy" text, "expiresAt" timestamp(3), "revokedAt" timestamp(3))
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT k.id, k.name, k."clientId", c.status::text, k.scopes, k."createdBy", k."expiresAt", k."revokedAt"
  FROM api_keys k JOIN clients c ON c.id = k."clientId"
  WHERE k."keyHash" = key_hash
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION api_principal_for_subject(text), api_principal_for_key(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION api_principal_for_subject(text), api_principal_for_key(text), app_tenant_visible(text) TO automation_api;
