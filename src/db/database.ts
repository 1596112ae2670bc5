/**
 * The one place that opens the database: PostgreSQL through `pg` when a connection string is given,
 * otherwise the embedded PostgreSQL (PGlite) in a local folder, so a newcomer needs no server.
 * Both run the same SQL; the schema is migrated on open.
 */
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { migrations } from '../../migrations/index.js';
import { PGliteDialect } from './pglite-dialect.js';
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
 * rows at once and must never be seen half done (Kysely's transactions cannot carry a COPY).
 */
export interface RawTransaction {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Loads rows already in COPY text format. */
  copy(table: string, columns: readonly string[], text: string): Promise<void>;
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Kysely<Schema>;
  /** Where the data lives, safe to print (no password). */
  readonly description: string;
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
}

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const database = options.url ? await openPostgres(options.url, options.schema) : await openPGlite(options);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(database.db, options.schema ?? 'public');
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

/**
 * `schema` must be the one the connection works in: Kysely looks for its bookkeeping tables by name in
 * every schema unless told which, so one left behind in another schema (a crashed test run) would make
 * it skip creating them here.
 */
export async function migrateToLatest(db: Kysely<Schema>, schema: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: schema });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  return result;
}

function assertIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain SQL identifier: ${name}`);
  return name;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}

async function openPostgres(url: string, schema: string | undefined): Promise<Database> {
  if (schema) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`create schema if not exists ${assertIdentifier(schema)}`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 8,
    ...(schema ? { options: `-c search_path=${assertIdentifier(schema)}` } : {}),
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    description: redactUrl(url) + (schema ? ` (schema ${schema})` : ''),
    copyIn: (table, columns) => pgCopyWriter(pool, table, columns),
    async copyOutCsv(select, output) {
      const client = await pool.connect();
      try {
        await pipeline(client.query(copyTo(`copy (${select}) to stdout with (format csv, header)`)), output, { end: false });
      } finally {
        client.release();
      }
    },
    async withTransaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({
          query: async (text, params = []) => (await client.query(text, [...params])).rows,
          async copy(table, columns, text) {
            if (text === '') return;
            const stream = client.query(copyFrom(copyStatement(table, columns, 'stdin')));
            await pipeline(Readable.from([text]), stream);
          },
        });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async withSessionLock(name, fn) {
      const client = await pool.connect();
      // A checked-out client has no pool listener: a dropped connection must not crash the process. Its lock
      // is gone with it; the work under way still finishes on the pool's other connections.
      let broken: Error | undefined;
      const onError = (error: Error) => (broken ??= error);
      client.on('error', onError);
      const key = [name];
      try {
        const { rows } = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock(${SESSION_LOCK_KEY}) as ok`, key);
        if (!rows[0]!.ok) return { acquired: false };
        try {
          return { acquired: true, value: await fn() };
        } finally {
          if (!broken) await client.query(`select pg_advisory_unlock(${SESSION_LOCK_KEY})`, key).catch(onError);
        }
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
    close: () => db.destroy(),
  };
}

/** The two-integer advisory key of a session lock: this application, then the lock's name in the current schema. */
const SESSION_LOCK_KEY = `hashtext('vaxsync'), hashtext(current_schema() || ':' || $1)`;

function copyStatement(table: string, columns: readonly string[], from: 'stdin' | "'/dev/blob'"): string {
  return `copy ${assertIdentifier(table)} (${columns.map(assertIdentifier).join(', ')}) from ${from}`;
}

async function pgCopyWriter(pool: pg.Pool, table: string, columns: readonly string[]): Promise<CopyWriter> {
  const client = await pool.connect();
  const stream = client.query(
    copyFrom(copyStatement(table, columns, 'stdin')),
  );
  let failure: Error | null = null;
  stream.on('error', (error: Error) => (failure ??= error));
  let released = false;
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    client.release(error);
  };
  return {
    async write(text) {
      if (failure) throw failure;
      if (!stream.write(text)) await Promise.race([once(stream, 'drain'), once(stream, 'error')]);
      if (failure) throw failure;
    },
    async end() {
      if (failure) throw failure;
      stream.end();
      try {
        await once(stream, 'finish');
      } catch (error) {
        release(error as Error);
        throw error;
      }
      release();
    },
    async abort() {
      if (released) return;
      const aborted = new Error('COPY abandoned');
      stream.destroy(aborted);
      // A connection whose COPY was cut off is not reused.
      release(aborted);
    },
  };
}

async function openPGlite(options: OpenOptions): Promise<Database> {
  const dir = path.resolve(options.dataDir ?? '.vaxsync', 'db');
  fs.mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create(dir);
  if (options.schema) {
    const schema = assertIdentifier(options.schema);
    await pglite.exec(`create schema if not exists ${schema}; set search_path = ${schema}`);
  }
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite) });
  const heldLocks = new Set<string>();
  return {
    kind: 'pglite',
    db,
    description: `embedded PostgreSQL (PGlite) in ${dir}`,
    copyIn: async (table, columns) => pgliteCopyWriter(pglite, table, columns),
    async copyOutCsv(select, output) {
      const result = await pglite.query(`copy (${select}) to '/dev/blob' with (format csv, header)`);
      if (result.blob) output.write(Buffer.from(await result.blob.arrayBuffer()));
    },
    withTransaction: (fn) =>
      pglite.transaction((tx) =>
        fn({
          query: async (text, params = []) => (await tx.query(text, [...params])).rows as never[],
          async copy(table, columns, text) {
            if (text !== '') await tx.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([text]) });
          },
        }),
      ),
    async withSessionLock(name, fn) {
      if (heldLocks.has(name)) return { acquired: false };
      heldLocks.add(name);
      try {
        return { acquired: true, value: await fn() };
      } finally {
        heldLocks.delete(name);
      }
    },
    close: () => db.destroy(),
  };
}

/** PGlite loads COPY data from a Blob; rows are buffered and sent in chunks of a few megabytes. */
function pgliteCopyWriter(pglite: PGlite, table: string, columns: readonly string[]): CopyWriter {
  const statement = copyStatement(table, columns, "'/dev/blob'");
  const chunkBytes = 4 * 1024 * 1024;
  let parts: string[] = [];
  let size = 0;
  const flush = async () => {
    if (parts.length === 0) return;
    const blob = new Blob(parts);
    parts = [];
    size = 0;
    await pglite.query(statement, [], { blob });
  };
  return {
    async write(text) {
      parts.push(text);
      size += text.length;
      if (size >= chunkBytes) await flush();
    },
    end: flush,
    async abort() {
      parts = [];
      size = 0;
    },
  };
}
