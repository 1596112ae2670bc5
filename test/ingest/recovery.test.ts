/**
 * Start-up recovery (issue 15, finding 3): `vaxsync import` killed with SIGKILL in the middle of a large
 * file, as a real process against the real PostgreSQL (a child cannot share PGlite). Afterwards the batch
 * is `failed` with a reason, never `loading` for ever; the raw rows read before the kill are kept. A live
 * import is left alone, and left-over upload folders are removed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importLockName } from '../../src/ingest/import.js';
import { INTERRUPTED_IMPORT, recoverInterruptedImports, UPLOAD_FOLDER_PREFIX } from '../../src/ingest/recovery.js';
import { BACKENDS, openTestDatabase, TEST_DATABASE_URL, tempDir, type TestDatabase } from '../helpers/database.js';
import { schemaOf } from '../jobs/fixtures.js';

const BIN = fileURLToPath(new URL('../../bin/vaxsync.js', import.meta.url));

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('an import killed mid-file', () => {
  const opened: TestDatabase[] = [];
  afterAll(async () => {
    for (const t of opened) await t.dispose();
  });

  it('is failed with a reason at the next start, its raw rows kept; vaxsync import recovers it itself', async () => {
    const t = await openTestDatabase('postgres');
    opened.push(t);
    const dir = tempDir();
    const file = path.join(dir, 'lon.csv');
    const line = (i: number) => `${i},Nguyễn Văn An ${i % 97},15/03/1985,Nam,0011850${String(i).padStart(5, '0')},0912345678,Thôn 1,00376,AZ,1,10/08/2021\n`;
    let text = 'record_id,full_name,birth_date,sex,citizen_id,phone,address,commune_code,vaccine,dose_number,vaccination_date\n';
    for (let i = 0; i < 400_000; i++) text += line(i);
    fs.writeFileSync(file, text);

    const child = spawn(process.execPath, [BIN, 'import', file], {
      env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL, VAXSYNC_SCHEMA: schemaOf(t.database), VAXSYNC_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const rawRows = async () => Number((await t.database.db.selectFrom('raw_row').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    // killed only once raw rows of the batch are committed, while it is still loading
    await waitFor('raw rows of the import', async () => (await rawRows()) > 0);
    const batch = await t.database.db.selectFrom('batch').select(['id', 'status']).executeTakeFirstOrThrow();
    expect(batch.status).toBe('loading');
    child.kill('SIGKILL');
    await exited;
    const keptRaw = await rawRows();
    expect(keptRaw).toBeGreaterThan(0);

    // the next command that imports recovers it
    const recovered = await recoverInterruptedImports(t.database);
    expect(recovered.failedBatches).toEqual([batch.id]);
    const after = await t.database.db.selectFrom('batch').select(['status', 'error']).where('id', '=', batch.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'failed', error: INTERRUPTED_IMPORT });
    expect(await rawRows()).toBe(keptRaw);
    expect(Number((await t.database.db.selectFrom('record').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
  }, 120_000);

  it.each(BACKENDS)('leaves a live import alone on %s, and removes only stale upload folders', async (kind) => {
    const t = await openTestDatabase(kind);
    opened.push(t);
    const insert = (sha: string) =>
      t.database.db
        .insertInto('batch')
        .values({ file_name: `${sha}.csv`, file_sha256: sha, format: 'csv', source: null, station_code: 'TYT1', header_row: 1, headers: [], column_map: '{}', error: null })
        .returning('id')
        .executeTakeFirstOrThrow();
    const dead = await insert('dead');
    const live = await insert('live');
    const temp = tempDir();
    const stale = path.join(temp, `${UPLOAD_FOLDER_PREFIX}old`);
    const fresh = path.join(temp, `${UPLOAD_FOLDER_PREFIX}new`);
    for (const folder of [stale, fresh]) {
      fs.mkdirSync(folder);
      fs.writeFileSync(path.join(folder, 'upload.csv'), 'x');
    }
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(path.join(stale, 'upload.csv'), old, old);
    fs.utimesSync(stale, old, old);
    const outcome = await t.database.withSessionLock(importLockName('TYT1', 'live'), () => recoverInterruptedImports(t.database, { tempDir: temp }));
    expect(outcome.acquired).toBe(true);
    const recovered = (outcome as { value: Awaited<ReturnType<typeof recoverInterruptedImports>> }).value;
    expect(recovered.failedBatches).toEqual([dead.id]);
    expect(recovered.removedFolders).toEqual([stale]);
    expect(fs.existsSync(fresh)).toBe(true);
    const statuses = await t.database.db.selectFrom('batch').select(['id', 'status']).orderBy('id').execute();
    expect(statuses).toEqual([
      { id: dead.id, status: 'failed' },
      { id: live.id, status: 'loading' },
    ]);
  });
});
