/**
 * Bench databases in schemas of their own: a scratch one, dropped after the run (`npm run bench`, the
 * digests), or one kept between runs.
 *
 * A bench database kept between runs in a schema of its own (scripts/bench-link.ts, scripts/bench-reports.ts),
 * to iterate on one stage without generating and importing a million rows each time. `--drop` among the
 * arguments drops it; otherwise it is opened (and so migrated: a new migration applies to the kept data too),
 * built once in a scratch folder while `built` says it is empty, then handed to `use`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.js';

export interface KeptSchema {
  readonly url: string;
  readonly schema: string;
  readonly args: readonly string[];
  readonly built: (database: Database) => Promise<boolean>;
  readonly build: (database: Database, dir: string) => Promise<void>;
  readonly use: (database: Database) => Promise<void>;
}

export async function inKeptSchema({ url, schema, args, built, build, use }: KeptSchema): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`BENCH_SCHEMA must be a plain identifier, not ${schema}`);
  if (args.includes('--drop')) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
    return;
  }
  const database = await openDatabase({ url, schema });
  try {
    if (!(await built(database))) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vaxsync-${schema}-`));
      try {
        await build(database, dir);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    await use(database);
  } finally {
    await database.close();
  }
}

/**
 * A scratch schema `PREFIX_<time>` on the bench database and a scratch folder, both removed afterwards
 * whatever `fn` does.
 */
export async function inScratchSchema(
  url: string,
  prefix: string,
  fn: (database: Database, dir: string, schema: string) => Promise<void>,
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vaxsync-${prefix}-`));
  const schema = `${prefix}_${Date.now().toString(36)}`;
  const database = await openDatabase({ url, schema });
  try {
    await fn(database, dir, schema);
  } finally {
    await database.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema ${schema} cascade`);
    await client.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
