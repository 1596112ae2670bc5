/** The embedded backend (PGlite, PostgreSQL compiled to WebAssembly) in a local folder: no server needed. */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { CopyWriter, Database, OpenOptions } from './backend.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { Schema } from './schema.js';
import { assertIdentifier, copyStatement } from './sql-names.js';

/** PostgreSQL's type oid of bigint. */
const INT8_OID = 20;

/**
 * Opens the embedded database, after taking its folder's lock (./data-dir-lock.ts): a second process is
 * refused (`db.in_use`) naming the one that holds it; a lock left by a dead process is released, and said
 * through `onNotice`.
 */
export async function openPGlite(options: OpenOptions): Promise<Database> {
  const folder = path.resolve(options.dataDir ?? '.vaxsync');
  const lock = acquireDataDirLock(folder, options.command);
  if (lock.released) {
    const r = lock.released;
    options.onNotice?.(`released the lock of ${folder} left by "${r.command}" (pid ${r.pid}, started ${r.startedAt}), whose process is gone`);
  }
  let pglite: PGlite;
  try {
    const dir = path.join(folder, 'db');
    fs.mkdirSync(dir, { recursive: true });
    // bigint (int8) as text, as node-postgres gives it: PGlite's default is a JS number, so the same query
    // answered a person id as "12" on PostgreSQL and 12 here, and the review pair's answer, whose schema
    // says string, failed on the embedded database only. One shape on both backends.
    pglite = await PGlite.create(dir, { parsers: { [INT8_OID]: (value: string) => value } });
    if (options.schema) {
      const schema = assertIdentifier(options.schema);
      await pglite.exec(`create schema if not exists ${schema}; set search_path = ${schema}`);
    }
  } catch (error) {
    lock.release();
    throw error;
  }
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite) });
  const heldLocks = new Set<string>();
  return {
    kind: 'pglite',
    db,
    description: `embedded PostgreSQL (PGlite) in ${path.join(folder, 'db')}`,
    copyIn: async (table, columns) => pgliteCopyWriter(pglite, table, columns),
    async copyOutCsv(select, output) {
      const result = await pglite.query(`copy (${select}) to '/dev/blob' with (format csv, header)`);
      if (result.blob) output.write(Buffer.from(await result.blob.arrayBuffer()));
    },
    withTransaction: (fn) =>
      pglite.transaction((tx) =>
        fn({
          query: async (text, params = []) => (await tx.query(text, [...params])).rows as never[],
          async copy(table, columns, data, sent) {
            sent?.();
            if (data.length === 0) return;
            const format = typeof data === 'string' ? 'text' : 'binary';
            await tx.query(copyStatement(table, columns, "'/dev/blob'", format), [], { blob: new Blob([data]) });
          },
          async copyOut(select, each) {
            const result = await tx.query(`copy (${select}) to '/dev/blob' with (format binary)`);
            if (result.blob) await each(new Uint8Array(await result.blob.arrayBuffer()));
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
    // One process at a time opens the folder (its lock file, taken above): what this process does not
    // hold, nobody holds.
    heldSessionLocks: async (names) => new Set(names.filter((name) => heldLocks.has(name))),
    async close() {
      try {
        await db.destroy();
      } finally {
        lock.release();
      }
    },
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
