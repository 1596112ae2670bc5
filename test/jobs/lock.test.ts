/**
 * One nightly run at a time: two instances (two Database objects, two connection pools, as two processes
 * would have) racing for the same schema; exactly one runs. The lock itself (Database.withSessionLock) on
 * PostgreSQL and on PGlite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { runPipeline } from '../../src/jobs/pipeline.js';
import { writeSynthFiles, type SynthFiles } from '../../src/synth/generate.js';
import { BACKENDS, openTestDatabase, TEST_DATABASE_URL, tempDir, type TestDatabase } from '../helpers/database.js';
import { filesIn, freshDir, jobConfig, jobHistory, loadedBatches, schemaOf } from './fixtures.js';

const TODAY = '2026-11-01';

describe('two instances racing for the nightly run', () => {
  let t: TestDatabase;
  let other: Database;
  let synth: SynthFiles;
  const dirs = [tempDir(), freshDir()];
  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    // a second instance: its own pool on the same schema
    other = await openDatabase({ url: TEST_DATABASE_URL, schema: schemaOf(t.database) });
    synth = await writeSynthFiles({ persons: 200, seed: 21, dir: dirs[0]!, registry: true });
  });
  afterAll(async () => {
    await other?.close();
    await t?.dispose();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('lets exactly one run; the other is told and records nothing', async () => {
    const dir = dirs[1]!;
    const inbox = path.join(dir, 'inbox');
    for (const name of ['a.csv', 'b.csv']) fs.copyFileSync(synth.records, path.join(inbox, name));
    const config = jobConfig(dir, { REGISTRY_SOURCE: synth.registry!.registry });

    const results = await Promise.all([
      runPipeline(t.database, config, { trigger: 'schedule', today: TODAY }),
      runPipeline(other, config, { trigger: 'schedule', today: TODAY }),
    ]);

    const skipped = results.filter((r) => 'skipped' in r);
    const ran = results.filter((r) => !('skipped' in r));
    expect(skipped).toEqual([{ skipped: 'locked' }]);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({ status: 'succeeded' });
    const history = await jobHistory(t.database);
    expect(history).toHaveLength(1);
    expect(history[0]!.stages).toHaveLength(5);
    // the files were imported once, by the one that ran
    expect(filesIn(path.join(inbox, 'done'))).toEqual(['a.csv', 'b.csv']);
    expect(await loadedBatches(t.database)).toHaveLength(1);

    // the lock is free again once the run is over: the other instance's next run goes ahead
    const next = await runPipeline(other, config, { trigger: 'schedule', today: TODAY });
    expect(next).toMatchObject({ status: 'succeeded' });
  });
});

describe('the session lock', () => {
  it('on PostgreSQL: held across transactions, per schema, released after the work or its failure', async () => {
    const a = await openTestDatabase('postgres');
    const b = await openTestDatabase('postgres');
    const sameAsA = await openDatabase({ url: TEST_DATABASE_URL, schema: schemaOf(a.database) });
    try {
      let inside: unknown[] = [];
      const outcome = await a.database.withSessionLock('nightly', async () => {
        inside = [
          await sameAsA.withSessionLock('nightly', async () => 'ran'), // same schema, other pool: taken
          await b.database.withSessionLock('nightly', async () => 'ran'), // other schema: free
          await sameAsA.withSessionLock('other-name', async () => 'ran'), // other name: free
        ];
        await a.database.withTransaction((tx) => tx.query('select 1'));
        return 'done';
      });
      expect(outcome).toEqual({ acquired: true, value: 'done' });
      expect(inside).toEqual([{ acquired: false }, { acquired: true, value: 'ran' }, { acquired: true, value: 'ran' }]);

      await expect(a.database.withSessionLock('nightly', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
      expect(await sameAsA.withSessionLock('nightly', async () => 'free')).toEqual({ acquired: true, value: 'free' });
    } finally {
      await sameAsA.close();
      await a.dispose();
      await b.dispose();
    }
  });

  it('on PGlite: one holder at a time within the process', async () => {
    const t = await openTestDatabase('pglite');
    try {
      let release!: () => void;
      const held = t.database.withSessionLock('nightly', () => new Promise<string>((resolve) => (release = () => resolve('first'))));
      expect(await t.database.withSessionLock('nightly', async () => 'second')).toEqual({ acquired: false });
      release();
      expect(await held).toEqual({ acquired: true, value: 'first' });
      expect(await t.database.withSessionLock('nightly', async () => 'third')).toEqual({ acquired: true, value: 'third' });
      await expect(t.database.withSessionLock('nightly', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
      expect(await t.database.withSessionLock('nightly', async () => 'after')).toEqual({ acquired: true, value: 'after' });
    } finally {
      await t.dispose();
    }
  });
});

describe.each(BACKENDS)('the pipeline on %s', (kind) => {
  it('runs once for two simultaneous callers on one instance', async () => {
    const t = await openTestDatabase(kind);
    const dir = freshDir();
    try {
      const generated = await writeSynthFiles({ persons: 60, seed: 22, dir: path.join(dir, 'gen') });
      fs.copyFileSync(generated.records, path.join(dir, 'inbox', 'records.csv'));
      const config = jobConfig(dir);
      const results = await Promise.all([
        runPipeline(t.database, config, { trigger: 'schedule', today: TODAY }),
        runPipeline(t.database, config, { trigger: 'api', today: TODAY }),
      ]);
      expect(results.filter((r) => 'skipped' in r)).toEqual([{ skipped: 'locked' }]);
      expect(results.find((r) => !('skipped' in r))).toMatchObject({ status: 'succeeded' });
      expect(await loadedBatches(t.database)).toHaveLength(1);
    } finally {
      await t.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
