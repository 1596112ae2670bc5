/**
 * A nightly job killed in the middle and resumed: `vaxsync run-now` as a real process against the real
 * PostgreSQL (a child process cannot share the embedded database), killed with SIGKILL — no chance to
 * clean up — during the import of many files, and during the push. Then run again: the dead run's rows
 * become abandoned, the stages it finished are not redone, and in the end everything is imported once and
 * pushed once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlatformSimulator, type PlatformSimulator } from '../../connectors/platform/simulator.js';
import type { Database } from '../../src/db/database.js';
import { writeSynthFiles } from '../../src/synth/generate.js';
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../helpers/database.js';
import { filesIn, freshDir, jobHistory, loadedBatches, outline, schemaOf } from './fixtures.js';

const BIN = fileURLToPath(new URL('../../bin/vaxsync.js', import.meta.url));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `vaxsync run-now` on the test schema with `env` added; `exited` resolves when it ends. */
function runNow(database: Database, env: NodeJS.ProcessEnv): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(process.execPath, [BIN, 'run-now'], {
    env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL, VAXSYNC_SCHEMA: schemaOf(database), VAXSYNC_CONFIG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exited };
}

async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function stageStatus(database: Database, stage: string): Promise<string | undefined> {
  const row = await database.db.selectFrom('job_stage').select('status').where('stage', '=', stage as never).orderBy('run_id', 'desc').limit(1).executeTakeFirst();
  return row?.status;
}

describe('run-now killed in the middle, then run again', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  async function setUp(): Promise<{ t: TestDatabase; dir: string; inbox: string }> {
    const t = await openTestDatabase('postgres');
    const dir = freshDir();
    cleanup.push(() => t.dispose(), () => fs.rmSync(dir, { recursive: true, force: true }));
    return { t, dir, inbox: path.join(dir, 'inbox') };
  }

  it('killed during the import of many files: the next run imports the rest, each file once', async () => {
    const { t, dir, inbox } = await setUp();
    const files = 6;
    let rows = 0;
    for (let i = 0; i < files; i++) {
      const generated = await writeSynthFiles({ persons: 600, seed: 100 + i, dir: path.join(dir, `gen${i}`) });
      fs.copyFileSync(generated.records, path.join(inbox, `station-${i}.csv`));
      rows += generated.rows;
    }
    const env = { VAXSYNC_DATA_DIR: dir };

    const first = runNow(t.database, env);
    await waitFor('two files imported', () => filesIn(path.join(inbox, 'done')).length >= 2);
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');
    // files out of the inbox: a kill between moveInto's link and unlink leaves one in both places, and
    // the next run finds it loaded and only finishes the move
    const doneBefore = files - filesIn(inbox).length;
    expect(doneBefore).toBeLessThan(files);
    expect(await stageStatus(t.database, 'import')).toBe('running');

    const second = await runNow(t.database, env).exited;
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/\(1 run\(s\) left running by a dead process marked abandoned\)/);
    expect(second.stdout).toMatch(/run 2 succeeded/);

    const [dead, resumed] = await jobHistory(t.database);
    expect(dead).toMatchObject({ status: 'abandoned', error: 'the process running it stopped before the run finished' });
    expect(outline(dead!.stages)).toEqual(['import abandoned']);
    expect(resumed!.status).toBe('succeeded');
    // the files the dead run finished were not imported again (one it loaded but had not moved yet, if the
    // kill fell just there, is recognised by its bytes and only moved)
    const counts = resumed!.stages[0]!.counts as { files: number; imported: number; alreadyLoaded: number; failed: number };
    expect(counts).toMatchObject({ files: files - doneBefore, failed: 0 });
    expect(counts.imported + counts.alreadyLoaded).toBe(files - doneBefore);
    expect(counts.alreadyLoaded).toBeLessThanOrEqual(1);
    expect(filesIn(inbox)).toEqual([]);
    expect(filesIn(path.join(inbox, 'done'))).toHaveLength(files);

    // every file loaded exactly once, every row of them there
    const batches = await loadedBatches(t.database);
    expect(batches).toHaveLength(files);
    expect(new Set(batches.map((b) => b.file_sha256)).size).toBe(files);
    const [{ n }] = await t.database.withTransaction((tx) =>
      tx.query<{ n: string }>(`select count(*) as n from record r join batch b on b.id = r.batch_id and b.status = 'loaded'`),
    ) as [{ n: string }];
    expect(Number(n)).toBe(rows);
    // the file cut off by the kill left at most one batch that never became visible
    const loading = await t.database.db.selectFrom('batch').select('id').where('status', '=', 'loading').execute();
    expect(loading.length).toBeLessThanOrEqual(1);
  }, 180_000);

  it('killed during the push: the next run resumes at push and everything is on the platform once', async () => {
    const { t, dir, inbox } = await setUp();
    const simulator: PlatformSimulator = await startPlatformSimulator({ faults: { latencyMs: 300 } });
    cleanup.push(() => simulator.close());
    const generated = await writeSynthFiles({ persons: 500, seed: 31, dir: path.join(dir, 'gen'), registry: true });
    fs.copyFileSync(generated.records, path.join(inbox, 'records.csv'));
    const env = { VAXSYNC_DATA_DIR: dir, REGISTRY_SOURCE: generated.registry!.registry, PLATFORM_URL: simulator.url };

    const first = runNow(t.database, env);
    await waitFor('the first bundles on the wire', async () => (await stageStatus(t.database, 'push')) === 'running' && simulator.stats().bundles > 0);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const verified = (
      await t.database.db.selectFrom('registry_check').select('person_id').where('status', 'in', ['verified', 'corrected']).execute()
    ).length;
    const claimed = await t.database.db.selectFrom('outbox').select('person_id').where('state', '=', 'in_flight').execute();
    expect(claimed.length).toBeGreaterThan(0);
    // The dead run's claims hold until their lease (5 minutes) runs out: let that time pass.
    await t.database.db.updateTable('outbox').set({ lease_until: new Date(Date.now() - 1000) }).where('state', '=', 'in_flight').execute();

    const second = await runNow(t.database, env).exited;
    expect(second.code, second.stderr).toBe(0);

    const [dead, resumed] = await jobHistory(t.database);
    expect(dead!.status).toBe('abandoned');
    expect(outline(dead!.stages)).toEqual(['import succeeded', 'link succeeded', 'reconcile succeeded', 'push abandoned']);
    expect(outline(resumed!.stages)).toEqual(['import skipped', 'link skipped', 'reconcile skipped', 'push succeeded', 'report succeeded']);
    for (const stage of resumed!.stages.slice(0, 3)) expect(stage.counts).toEqual({ reason: `done in run ${dead!.id}`, doneInRun: dead!.id });
    // nothing before push was redone
    expect(await loadedBatches(t.database)).toHaveLength(1);
    expect(await t.database.db.selectFrom('link_run').select('id').execute()).toHaveLength(1);

    // every verified person acknowledged, each created on the platform once (re-sent bundles only updated)
    const outbox = await t.database.db.selectFrom('outbox').select('state').execute();
    expect(outbox.filter((o) => o.state !== 'acknowledged')).toEqual([]);
    expect(outbox).toHaveLength(verified);
    expect(simulator.stats().creates.Patient).toBe(verified);
    for (const r of simulator.received()) expect(r.created, r.identifier).toBe(1);
  }, 180_000);

  it('exits 2 with a clear message when another run holds the lock', async () => {
    const { t, dir } = await setUp();
    const outcome = await t.database.withSessionLock('nightly', async () => runNow(t.database, { VAXSYNC_DATA_DIR: dir }).exited);
    expect(outcome).toMatchObject({ acquired: true });
    const exit = (outcome as { value: Exit }).value;
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('another run of the nightly job holds the lock');
    expect(await jobHistory(t.database)).toEqual([]);
  }, 60_000);
});
