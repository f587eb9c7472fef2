// Runs requests on a real Postgres server, connecting as the caller: like Neon's proxy, the
// credentials in the request's connection string decide what the statements may do.
import pg from "pg";
import { leavesTransactionOpen, transactionModes, type ExecRequest, type Executor, type QueryData, type RawResult } from "./executor.js";
import { HttpError } from "./protocol.js";

// Keep every value as the server's text output; the HTTP client parses by dataTypeID.
const rawText = { getTypeParser: () => (value: string) => value };

// TLS options in a Neon-style URL (sslmode=require, channel_binding) target Neon's edge; the local
// server speaks plain TCP, and pg would refuse to connect if asked for TLS.
const TLS_PARAMS = ["sslmode", "ssl", "sslcert", "sslkey", "sslrootcert", "channel_binding", "uselibpqcompat"];

function localConnectionString(connectionString: string): string {
  const url = new URL(connectionString);
  for (const name of TLS_PARAMS) url.searchParams.delete(name);
  return url.toString();
}

type Queryable = pg.Pool | pg.PoolClient;

async function runQuery(client: Queryable, q: QueryData): Promise<RawResult> {
  const result = await client.query({
    text: q.query,
    values: q.params,
    rowMode: "array",
    types: rawText,
    // The extended protocol even without parameters, as Neon does: a string holding several
    // statements is then rejected (42601) instead of running them all.
    queryMode: "extended",
  } as pg.QueryArrayConfig);
  return {
    command: result.command,
    rowCount: result.rowCount,
    fields: result.fields.map((f) => ({
      name: f.name,
      dataTypeID: f.dataTypeID,
      tableID: f.tableID,
      columnID: f.columnID,
      dataTypeSize: f.dataTypeSize,
      dataTypeModifier: f.dataTypeModifier,
    })),
    rows: result.rows as (string | null)[][],
  };
}

export function createPgExecutor(): Executor {
  // One pool per distinct connection string (so per role and database), made on first use.
  const pools = new Map<string, pg.Pool>();

  function poolFor(connectionString: string): pg.Pool {
    let pool = pools.get(connectionString);
    if (!pool) {
      pool = new pg.Pool({ connectionString: localConnectionString(connectionString), max: 5 });
      // An idle client that dies (server restart, database dropped) must not crash the process.
      pool.on("error", () => {});
      // And every client, for its whole life: between a borrow's end and the pool taking it back (or
      // while a discarded one closes) the server's "terminating connection" would otherwise be an
      // 'error' event with no listener, which crashes the process.
      pool.on("connect", (client) => client.on("error", () => {}));
      pools.set(connectionString, pool);
    }
    return pool;
  }

  return {
    async execute(req: ExecRequest) {
      const client = await poolFor(req.connectionString).connect();
      // A connection whose state is unknown (broken, or left inside a transaction) is closed
      // instead of going back to the pool.
      let discard = false;
      // A borrowed client has no pool listener: without one, the server ending the connection
      // (pg_terminate_backend, a restart) while it is checked out is an unhandled 'error' event
      // that takes the whole process down. The running query rejects on its own; just discard it.
      const onError = () => {
        discard = true;
      };
      client.on("error", onError);
      try {
        if (!req.batch) {
          const result = await runQuery(client, req.queries[0]!);
          discard = leavesTransactionOpen(result);
          req.onResult(result, 0);
          return;
        }
        await client.query(`BEGIN ${transactionModes(req.batch)}`);
        try {
          for (const [i, q] of req.queries.entries()) req.onResult(await runQuery(client, q), i);
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK").catch(() => (discard = true));
          throw err;
        }
      } catch (err) {
        // Postgres errors and our own refusals (e.g. 507) leave the connection usable; anything
        // else (socket closed, protocol trouble) may not have.
        if (!(err instanceof pg.DatabaseError) && !(err instanceof HttpError)) discard = true;
        throw err;
      } finally {
        client.removeListener("error", onError);
        client.release(discard);
      }
    },
    async close() {
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((p) => p.end()));
    },
  };
}
