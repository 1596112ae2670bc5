/** What every database backend provides: the interface the stages use, whichever PostgreSQL runs underneath. */
import type { Kysely } from 'kysely';
import type { Schema } from './schema.js';

export interface CopyWriter {
  /** Sends rows already in COPY text format; resolves when the database is ready for more. */
  write(text: string): Promise<void>;
  /** Finishes the COPY; its rows become durable. */
  end(): Promise<void>;
  /** Abandons the COPY. On PostgreSQL nothing of it is kept; PGlite keeps the chunks already sent. */
  abort(): Promise<void>;
}

/**
 * One transaction on one connection, in plain SQL, with COPY inside it: for stages that replace many
 * rows at once and must never be seen half done (Kysely's transactions cannot carry a COPY). Calls may
 * overlap: they run one at a time, in the order made.
 */
export interface RawTransaction {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /**
   * Loads rows already in COPY text format, or (bytes) a whole file in COPY binary format; resolves once
   * the server has stored them. `sent`, if given, is called as soon as the data is on its way (PostgreSQL:
   * the server has accepted the COPY and the data is written to the connection; PGlite, in this thread: at
   * once), so that a writer may build its next rows while the server stores these (src/base/copy.ts's
   * overlap).
   */
  copy(table: string, columns: readonly string[], data: string | Uint8Array, sent?: () => void): Promise<void>;
  /**
   * Runs `select` through COPY in its binary format (src/base/copy-binary-rows.ts reads it), handing its bytes to
   * `each` as they arrive: PostgreSQL streams them, the server reading on while they are taken in (a promise
   * `each` returns is awaited first); PGlite hands the whole output at once. `each` must not use the
   * transaction meanwhile (the connection is busy with the COPY). The query takes no parameters: callers
   * inline only validated values.
   */
  copyOut(select: string, each: (chunk: Uint8Array) => void | Promise<void>): Promise<void>;
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Kysely<Schema>;
  /** Where the data lives, safe to print (no password). */
  readonly description: string;
  /**
   * PostgreSQL: how another thread opens connections of its own to the same data (a worker writing beside a
   * transaction of this one). PGlite runs in this thread alone: none.
   */
  readonly connection?: { readonly url: string; readonly schema?: string };
  copyIn(table: string, columns: readonly string[]): Promise<CopyWriter>;
  /**
   * Streams the result of a SELECT as CSV with a header line into `output`, through COPY so that a large
   * result is never held in memory. The query takes no parameters: callers inline only validated values.
   */
  copyOutCsv(select: string, output: NodeJS.WritableStream): Promise<void>;
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  withTransaction<T>(fn: (tx: RawTransaction) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding the lock `name`, or resolves `{ acquired: false }` at once when someone holds it.
   * PostgreSQL: a session advisory lock on one connection kept for the whole of `fn`, so it spans many
   * transactions and dies with the connection (a killed process never leaves it held); scoped to the schema,
   * since one database may hold several provinces or test runs, each in its own schema. PGlite (one process,
   * one connection): an in-process flag.
   */
  withSessionLock<T>(name: string, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
  /**
   * Which of `names` some `withSessionLock` holds right now, in this process or any other. PostgreSQL: the
   * advisory locks granted to any session of the database (a killed process's are gone with its
   * connection). PGlite: this process's, since one process at a time opens its folder: PGlite itself does
   * not refuse a second one, so the folder's lock file does (./data-dir-lock.ts), and after a crash nothing
   * is held at the next start.
   */
  heldSessionLocks(names: readonly string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL connection string. Without it, the embedded database in `dataDir` is used. */
  readonly url?: string | undefined;
  /** Folder of the embedded database (default `.vaxsync` in the working directory). */
  readonly dataDir?: string;
  /** PostgreSQL schema to work in (created if missing); tests use one per file. */
  readonly schema?: string;
  /** Apply pending migrations on open (default true). */
  readonly migrate?: boolean;
  /** Embedded database: the command named in its folder's lock file (default: this process's command words). */
  readonly command?: string;
  /** Embedded database: told when a lock left by a dead process was released. */
  readonly onNotice?: (line: string) => void;
}
