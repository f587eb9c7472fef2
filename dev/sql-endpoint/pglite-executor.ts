// Runs requests on embedded PGlite. PGlite is one single session: its own mutexes queue every
// query and transaction, so concurrent HTTP requests simply wait their turn.
import type { PGlite, QueryOptions, Results } from "@electric-sql/pglite";
import { leavesTransactionOpen, transactionModes, type ExecRequest, type Executor, type QueryData, type RawResult } from "./executor.js";
import { HttpError } from "./protocol.js";

const asIs = (value: string) => value;

// PGlite serializes each parameter by the type the server inferred for it (bool params must look
// like JS booleans, bytea params must be Uint8Array, ...). Over HTTP every parameter already is
// Postgres text input, so it must reach the server untouched, whatever the type id: a Proxy
// answers "pass it through" for every id (PGlite looks serializers up one id at a time).
const passThroughSerializers = new Proxy({} as Record<number, (value: string) => string>, {
  get: () => asIs,
});

// PGlite parses a column when *either* the query's parsers or its defaults have an entry for the
// type id, and it copies the query's parsers with object spread (so a Proxy would not be seen).
// Overriding every id PGlite knows (defaults plus the array types it registered at start-up, or
// later with refreshArrayTypes) leaves every value as the server's text output.
function rawTextParsers(db: PGlite): Record<string, (value: string) => string> {
  return Object.fromEntries(Object.keys(db.parsers).map((id) => [id, asIs]));
}

function toRaw(result: Results<unknown>): RawResult {
  return {
    command: result.command ?? "",
    rowCount: result.rowCount ?? null,
    // PGlite's query API keeps only name and type id of the RowDescription; the other
    // attributes are informational (the client ignores them) and reported as "unknown".
    fields: result.fields.map((f) => ({
      name: f.name,
      dataTypeID: f.dataTypeID,
      tableID: 0,
      columnID: 0,
      dataTypeSize: -1,
      dataTypeModifier: -1,
    })),
    rows: result.rows as (string | null)[][],
  };
}

// PGlite's one session is the superuser, and a superuser session may switch to any role even after
// SET LOCAL ROLE (SET ROLE, RESET ROLE, SET SESSION AUTHORIZATION, set_config('role', …), COMMIT
// ending the SET LOCAL, however spelled). On a real server the caller's login role could not. So the
// guard looks at what the session *is*, not at the SQL text: after every statement, before its
// result is handed back, the role in effect must still be the caller's; otherwise the whole
// transaction is rolled back and the request answered 42501, as Postgres refuses a non-member.
// A statement can also switch away and back within itself (set_config('role', …) around a call that
// runs SQL at run time, or a DO block): the role after it is the caller's again, so the check above
// cannot see it. PGlite cannot be made to refuse the switch (its session user is the superuser), so
// the doors through which SQL runs at run time under the switched role are closed to every role but
// the superuser, once, when the endpoint starts: PL/pgSQL (DO blocks, new functions), temporary
// functions, and the built-ins that execute a query given as text. Permission on everything else a
// statement touches is checked when it starts, as the caller. Real Postgres needs none of this.
const RUNTIME_SQL_DOORS = `DO $$
DECLARE f regprocedure;
BEGIN
  REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC;
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'pg_catalog'
              AND p.proname IN ('query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'cursor_to_xml',
                                'cursor_to_xmlschema', 'table_to_xml', 'table_to_xmlschema', 'table_to_xml_and_xmlschema',
                                'schema_to_xml', 'schema_to_xmlschema', 'schema_to_xml_and_xmlschema', 'database_to_xml',
                                'database_to_xmlschema', 'database_to_xml_and_xmlschema', 'ts_stat', 'ts_rewrite')
  LOOP
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
  END LOOP;
END $$`;

// Role names become an identifier in SET LOCAL ROLE; accept only plain ones.
const PLAIN_ROLE = /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/;
const SUPERUSER = "postgres";

function permissionDenied(role: string, inEffect: string): Error {
  return Object.assign(new Error(`permission denied to set role: the session must stay "${role}", not "${inEffect}"`), {
    code: "42501",
    severity: "ERROR",
  });
}

/** The role in effect and the session's user, straight from the session. */
async function rolesInEffect(on: { query: PGlite["query"] }): Promise<{ current: string; session: string }> {
  const { rows } = await on.query<[string, string]>("select current_user::text, session_user::text", [], { rowMode: "array" });
  return { current: rows[0]![0], session: rows[0]![1] };
}

export function createPgliteExecutor(db: PGlite): Executor {
  const options = (): QueryOptions => ({
    rowMode: "array",
    parsers: rawTextParsers(db),
    serializers: passThroughSerializers,
  });
  type Runner = { query: PGlite["query"] };
  // Once per endpoint, before the first request runs (idempotent: REVOKE of what is not granted is a no-op).
  let doorsClosed: Promise<unknown> | undefined;
  const closeDoors = () => (doorsClosed ??= db.exec(RUNTIME_SQL_DOORS));
  const run = async (on: Runner, q: QueryData) => toRaw(await on.query(q.query, q.params, options()));

  return {
    async execute(req: ExecRequest) {
      // PGlite has no password check: the connection string's user only selects the role.
      const asRole = req.user !== SUPERUSER;
      if (asRole && !PLAIN_ROLE.test(req.user)) {
        throw new HttpError(400, `unsupported role name for PGlite: ${JSON.stringify(req.user)}`);
      }
      if (asRole) await closeDoors();

      if (!req.batch && !asRole) {
        const result = await run(db, req.queries[0]!);
        // The one PGlite session would otherwise stay inside the transaction for later requests.
        if (leavesTransactionOpen(result)) await db.exec("ROLLBACK");
        req.onResult(result, 0);
        return;
      }

      // db.transaction sends BEGIN, then COMMIT, or ROLLBACK if anything here throws.
      await db.transaction(async (tx) => {
        const modes = req.batch ? transactionModes(req.batch) : "";
        if (modes) await tx.exec(`SET TRANSACTION ${modes}`);
        // Acting as the caller's role (non-superuser: RLS policies and grants apply) for this
        // transaction only, so the shared session is back to the superuser afterwards.
        if (asRole) await tx.exec(`SET LOCAL ROLE "${req.user}"`);
        for (const [i, q] of req.queries.entries()) {
          const result = await run(tx, q);
          if (asRole) {
            // Checked before the result leaves: a statement that switched roles returns nothing.
            const roles = await rolesInEffect(tx);
            if (roles.current !== req.user || roles.session !== SUPERUSER) {
              throw permissionDenied(req.user, roles.current === req.user ? `session ${roles.session}` : roles.current);
            }
          }
          req.onResult(result, i);
        }
      });
    },
    // The backend owns the PGlite instance and closes it.
    async close() {},
  };
}
