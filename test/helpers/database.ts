/**
 * Test databases: the real PostgreSQL of this machine (a fresh schema per call, dropped afterwards) and
 * the embedded PGlite (a fresh folder). No mocks: the SQL under test is the SQL that runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type BackendKind = 'postgres' | 'pglite';
export const BACKENDS: readonly BackendKind[] = ['postgres', 'pglite'];

export interface TestDatabase {
  readonly database: Database;
  dispose(): Promise<void>;
}

let counter = 0;

export async function openTestDatabase(kind: BackendKind): Promise<TestDatabase> {
  // pid + time + counter is not unique across test files sharing a worker: a random suffix is.
  const name = `t_${process.pid}_${Date.now().toString(36)}_${counter++}_${Math.random().toString(36).slice(2, 8)}`;
  if (kind === 'postgres') {
    const database = await openDatabase({ url: TEST_DATABASE_URL, schema: name });
    return {
      database,
      async dispose() {
        await database.close();
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        await client.query(`drop schema if exists ${name} cascade`);
        await client.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaxsync-test-'));
  const database = await openDatabase({ dataDir: dir });
  return {
    database,
    async dispose() {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vaxsync-files-'));
}
