// What the HTTP layer asks of a database, whichever one is behind it.
/** One statement as it arrives over HTTP: every parameter is Postgres text input or null. */
export interface QueryData {
  query: string;
  params: (string | null)[];
  /** Per-query override of the Neon-Array-Mode header (Neon accepts `arrayMode` in the body). */
  arrayMode?: boolean;
}

export interface FieldInfo {
  name: string;
  dataTypeID: number;
  tableID: number;
  columnID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
}

/** A statement's result with every value still in Postgres text output form. */
export interface RawResult {
  command: string;
  rowCount: number | null;
  fields: FieldInfo[];
  rows: (string | null)[][];
}

export type IsolationLevel = "ReadUncommitted" | "ReadCommitted" | "RepeatableRead" | "Serializable";

export interface BatchOptions {
  isolationLevel?: IsolationLevel;
  readOnly: boolean;
  deferrable: boolean;
}

export interface ExecRequest {
  /** The caller's connection string; its user is the role the statements run as. */
  connectionString: string;
  user: string;
  queries: QueryData[];
  /** Set for a batch body: all queries run in one transaction, rolled back on the first error. */
  batch?: BatchOptions;
  /**
   * Receives each result as soon as it exists, still inside the batch's transaction:
   * throwing from here (e.g. response too large) aborts and rolls the batch back.
   */
  onResult(result: RawResult, index: number): void;
}

export interface Executor {
  execute(request: ExecRequest): Promise<void>;
  close(): Promise<void>;
}

const ISOLATION_SQL: Record<IsolationLevel, string> = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};

/** Transaction modes for BEGIN / SET TRANSACTION, e.g. "ISOLATION LEVEL SERIALIZABLE READ ONLY". */
export function transactionModes(opts: BatchOptions): string {
  const modes: string[] = [];
  if (opts.isolationLevel) modes.push(`ISOLATION LEVEL ${ISOLATION_SQL[opts.isolationLevel]}`);
  if (opts.readOnly) modes.push("READ ONLY");
  if (opts.deferrable) modes.push("DEFERRABLE");
  return modes.join(" ");
}

/**
 * A single statement that opens a transaction would leave the session inside it; Neon's proxy
 * discards such a connection, so the statement has no lasting effect. Executors mimic that.
 */
export function leavesTransactionOpen(result: RawResult): boolean {
  return result.command === "BEGIN" || result.command === "START";
}
