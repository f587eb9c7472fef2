-- Row-level security that holds against the application role itself (hand-written: roles, grants,
-- policies, SECURITY DEFINER functions).
--
-- Until 0005 the policies trusted settings (`app.client_id`, `app.user_id`, `app.cross_tenant`)
-- that any session of the application role can make, so RLS only caught a forgotten filter. Now:
--
-- * A tenant is visible to automation_api only through app_claimed_client() / app_claimed_user(),
--   which return `app.client_id` / `app.user_id` only when `app.tenant_claim` is a valid, unexpired
--   HMAC-SHA256 over exactly those values, made with a key in app_private.tenant_claim_keys
--   (format in src/db/claim.ts). The Worker holds the key (TENANT_CLAIM_SECRET); the application
--   role cannot read the table (no USAGE on app_private), call the check directly, or replace the
--   functions (it owns nothing). Settings made without a valid claim see no rows at all.
-- * The policies call those functions as `(SELECT …)`: an InitPlan, evaluated once per statement,
--   not once per row.
-- * Cross-tenant work no longer uses a setting: it runs as a member of the NOLOGIN group role
--   automation_cross_tenant (its own connection, CROSS_TENANT_DATABASE_URL), which has its own
--   grants and permissive policies. `app.cross_tenant` means nothing any more.
--
-- HMAC is computed with the built-in sha256() from the key's precomputed inner and outer pads
-- (HMAC(K, m) = sha256(K^opad || sha256(K^ipad || m))): no extension, and the functions' search_path
-- is pg_catalog only, so no object another role can create is ever resolved by them.
-- The keys are installed by the migration runner (`npm run db:migrate` with TENANT_CLAIM_SECRET set,
-- dev/claim-key.ts), not by this file: a migration must not carry a secret.

CREATE SCHEMA IF NOT EXISTS app_private;
--> statement-breakpoint
REVOKE ALL ON SCHEMA app_private FROM PUBLIC;
--> statement-breakpoint
CREATE TABLE app_private.tenant_claim_keys (
  key_id text PRIMARY KEY,
  inner_key bytea NOT NULL CHECK (octet_length(inner_key) = 64),
  outer_key bytea NOT NULL CHECK (octet_length(outer_key) = 64),
  "createdAt" timestamp(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
--> statement-breakpoint
REVOKE ALL ON app_private.tenant_claim_keys FROM PUBLIC;
--> statement-breakpoint

-- True when app.tenant_claim is valid for the current app.client_id and app.user_id.
CREATE FUNCTION app_private.tenant_claim_valid() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  parts text[] := string_to_array(current_setting('app.tenant_claim', true), '.');
  client_id text := coalesce(current_setting('app.client_id', true), '');
  user_id text := coalesce(current_setting('app.user_id', true), '');
  expires_at bigint;
  k record;
BEGIN
  IF parts IS NULL OR cardinality(parts) <> 4 OR parts[1] <> 'v1' OR parts[3] !~ '^[0-9]{1,12}$' THEN
    RETURN false;
  END IF;
  expires_at := parts[3]::bigint;
  -- Expired, or further ahead than the Worker ever signs (120 s) plus clock skew.
  IF expires_at <= extract(epoch FROM now()) OR expires_at > extract(epoch FROM now()) + 600 THEN
    RETURN false;
  END IF;
  SELECT inner_key, outer_key INTO k FROM app_private.tenant_claim_keys WHERE key_id = parts[2];
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  RETURN encode(
    sha256(k.outer_key || sha256(k.inner_key || convert_to(
      concat_ws(E'\n', 'v1', parts[2], parts[3],
                octet_length(client_id) || ':' || client_id,
                octet_length(user_id) || ':' || user_id),
      'UTF8'))),
    'hex') = parts[4];
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_private.tenant_claim_valid() FROM PUBLIC;
--> statement-breakpoint
CREATE FUNCTION app_claimed_client() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT CASE WHEN app_private.tenant_claim_valid() THEN nullif(current_setting('app.client_id', true), '') END $$;
--> statement-breakpoint
CREATE FUNCTION app_claimed_user() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT CASE WHEN app_private.tenant_claim_valid() THEN nullif(current_setting('app.user_id', true), '') END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION app_claimed_client(), app_claimed_user() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_claimed_client(), app_claimed_user() TO automation_api;
--> statement-breakpoint

-- The application role's policies, now keyed on the verified claim.
DROP POLICY tenant_isolation ON clients;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON clients TO automation_api
  USING (id = (SELECT app_claimed_client())) WITH CHECK (id = (SELECT app_claimed_client()));
--> statement-breakpoint
DROP POLICY tenant_isolation ON users;
--> statement-breakpoint
-- A person always sees their own row (a SUPER_ADMIN has no client), but writes stay in the tenant.
CREATE POLICY tenant_isolation ON users TO automation_api
  USING ("clientId" = (SELECT app_claimed_client()) OR id = (SELECT app_claimed_user()))
  WITH CHECK ("clientId" = (SELECT app_claimed_client()));
--> statement-breakpoint
DROP POLICY tenant_isolation ON ad_accounts;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON ad_accounts TO automation_api
  USING ("clientId" = (SELECT app_claimed_client())) WITH CHECK ("clientId" = (SELECT app_claimed_client()));
--> statement-breakpoint
DROP POLICY tenant_isolation ON workflows;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON workflows TO automation_api
  USING ("clientId" = (SELECT app_claimed_client())) WITH CHECK ("clientId" = (SELECT app_claimed_client()));
--> statement-breakpoint
DROP POLICY tenant_isolation ON execution_logs;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON execution_logs TO automation_api
  USING ("clientId" = (SELECT app_claimed_client())) WITH CHECK ("clientId" = (SELECT app_claimed_client()));
--> statement-breakpoint
DROP POLICY tenant_isolation ON reports;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON reports TO automation_api
  USING ("clientId" = (SELECT app_claimed_client())) WITH CHECK ("clientId" = (SELECT app_claimed_client()));
--> statement-breakpoint
DROP POLICY tenant_isolation ON api_keys;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON api_keys TO automation_api
  USING ("clientId" = (SELECT app_claimed_client())) WITH CHECK ("clientId" = (SELECT app_claimed_client()));
--> statement-breakpoint
DROP FUNCTION app_tenant_visible(text);
--> statement-breakpoint

-- The cross-tenant role: a separate NOLOGIN group with its own grants and policies. A deployment
-- gives one login role membership (README "Deploy"); the application role must never have it.
DO $$ BEGIN
  CREATE ROLE automation_cross_tenant NOLOGIN NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO automation_cross_tenant;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON clients, users, ad_accounts, workflows, execution_logs, reports, api_keys TO automation_cross_tenant;
--> statement-breakpoint
CREATE POLICY cross_tenant ON clients TO automation_cross_tenant USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY cross_tenant ON users TO automation_cross_tenant USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY cross_tenant ON ad_accounts TO automation_cross_tenant USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY cross_tenant ON workflows TO automation_cross_tenant USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY cross_tenant ON execution_logs TO automation_cross_tenant USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY cross_tenant ON reports TO automation_cross_tenant USING (true) WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY cross_tenant ON api_keys TO automation_cross_tenant USING (true) WITH CHECK (true);
