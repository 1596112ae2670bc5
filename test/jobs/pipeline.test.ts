/**
 * The nightly pipeline on the real PostgreSQL: a full run from inbox to report, what the history records,
 * a failed stage resumed by the next run without redoing the stages before it, the rules that send a run
 * back to an earlier stage, and stopping on request.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformSimulator, type PlatformSimulator } from '../../connectors/platform/simulator.js';
import { importFile } from '../../src/ingest/import.js';
import { recordDecision } from '../../src/link/decisions.js';
import { runPipeline, type JobRunSummary } from '../../src/jobs/pipeline.js';
import { writeSynthFiles, type SynthFiles } from '../../src/synth/generate.js';
import { openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { filesIn, freshDir, jobConfig, jobHistory, loadedBatches, outline } from './fixtures.js';

const TODAY = '2026-11-01';

function ran(result: JobRunSummary | { skipped: 'locked' }): JobRunSummary {
  if ('skipped' in result) throw new Error('the run was skipped: locked');
  return result;
}

async function verifiedPeople(t: TestDatabase): Promise<number> {
  const rows = await t.database.db.selectFrom('registry_check').select('person_id').where('status', 'in', ['verified', 'corrected']).execute();
  return rows.length;
}

describe('the nightly pipeline', () => {
  const generated = tempDir();
  let synth: SynthFiles;
  let simulator: PlatformSimulator;
  const opened: TestDatabase[] = [];
  const dirs: string[] = [generated];

  beforeAll(async () => {
    synth = await writeSynthFiles({ persons: 200, seed: 11, dir: generated, registry: true });
    simulator = await startPlatformSimulator();
  });
  afterEach(() => simulator.reset());
  afterAll(async () => {
    await simulator?.close();
    for (const t of opened) await t.dispose();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  async function setUp() {
    const t = await openTestDatabase('postgres');
    opened.push(t);
    const dir = freshDir();
    dirs.push(dir);
    return { t, dir, inbox: path.join(dir, 'inbox') };
  }

  it('imports and moves the inbox files, runs every stage, and records the run and its stages', async () => {
    const { t, dir, inbox } = await setUp();
    fs.copyFileSync(synth.records, path.join(inbox, 'a-records.csv'));
    fs.copyFileSync(synth.records, path.join(inbox, 'b-same-bytes.csv')); // the same file twice: loaded once
    fs.writeFileSync(path.join(inbox, 'c-not-a-table.csv'), 'hello\n');
    fs.writeFileSync(path.join(inbox, 'd-being-written.csv.part'), 'record_id,full_name\n'); // left alone
    const config = jobConfig(dir, { REGISTRY_SOURCE: synth.registry!.registry, PLATFORM_URL: simulator.url });
    const events: string[] = [];

    const steps: unknown[] = [];
    const result = ran(
      await runPipeline(t.database, config, {
        trigger: 'manual',
        today: TODAY,
        onStage: (e) => events.push(`${e.stage} ${e.status}`),
        onProgress: (stage, counts) => {
          if (stage === 'link') steps.push(counts.step);
        },
      }),
    );

    expect(result.status).toBe('succeeded');
    expect(result.resumed).toBeNull();
    expect(events).toEqual([
      'import running', 'import succeeded', 'link running', 'link succeeded', 'reconcile running', 'reconcile succeeded',
      'push running', 'push succeeded', 'report running', 'report succeeded',
    ]);
    // the inbox: loaded files to done/, the broken one to failed/ with why, the half-written one untouched
    expect(filesIn(inbox)).toEqual(['d-being-written.csv.part']);
    expect(filesIn(path.join(inbox, 'done'))).toEqual(['a-records.csv', 'b-same-bytes.csv']);
    expect(filesIn(path.join(inbox, 'failed'))).toEqual(['c-not-a-table.csv', 'c-not-a-table.csv.error.txt']);
    expect(fs.readFileSync(path.join(inbox, 'failed', 'c-not-a-table.csv.error.txt'), 'utf8')).toMatch(/c-not-a-table\.csv.*missing required column/);
    expect(await loadedBatches(t.database)).toHaveLength(1);

    const [importStage, link, reconcile, push, report] = result.stages;
    expect(importStage!.counts).toMatchObject({ files: 3, imported: 1, alreadyLoaded: 1, failed: 1, rows: synth.rows });
    expect(link!.counts).toMatchObject({ mode: 'full', records: synth.rows, changed: synth.rows });
    // Each step of the link was shown as it ended, and its seconds kept in the history.
    expect(steps).toEqual(expect.arrayContaining(['load', 'match.blocking', 'match.score', 'match.cluster', 'match', 'write']));
    const seconds = link!.counts.seconds as Record<string, number>;
    expect(Object.keys(seconds)).toEqual(expect.arrayContaining(['load', 'match.blocking', 'match.compare', 'match.cluster', 'write']));
    expect(link!.counts).not.toHaveProperty('step');
    const persons = Number(link!.counts.persons);
    expect(persons).toBeGreaterThan(150);
    expect(reconcile!.counts).toMatchObject({ checked: persons });
    const verified = await verifiedPeople(t);
    expect(push!.counts).toMatchObject({ queued: verified, sent: verified, rejected: 0, failed: 0 });
    expect(simulator.stats().creates.Patient).toBe(verified);

    // the daily summary, in the configured time zone's day
    const summaryFile = path.join(config.reportsDir, String(report!.counts.file));
    const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
    expect(summary).toMatchObject({ runId: result.runId, records: synth.rows, persons, batches: { loaded: 1, failed: 1, loading: 0 } });
    expect(summary.outbox.acknowledged).toBe(verified);
    expect(Object.values(summary.registry as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(persons);

    // the history: what the summary said, durations included
    const [run] = await jobHistory(t.database);
    expect(run).toMatchObject({ id: result.runId, trigger: 'manual', status: 'succeeded', error: null });
    expect(run!.instance).toBe(`${(await import('node:os')).hostname()}:${process.pid}`);
    expect(run!.finished_at!.getTime()).toBeGreaterThanOrEqual(run!.started_at.getTime());
    expect(outline(run!.stages)).toEqual(['import succeeded', 'link succeeded', 'reconcile succeeded', 'push succeeded', 'report succeeded']);
    expect(run!.stages[0]!.counts).toMatchObject({ files: 3, imported: 1, rows: synth.rows });
    const stageRows = await t.database.db.selectFrom('job_stage').select(['started_at', 'finished_at']).execute();
    for (const s of stageRows) expect(s.finished_at!.getTime()).toBeGreaterThanOrEqual(s.started_at.getTime());

    // a second run finds nothing new: every stage runs, and does nothing
    const again = ran(await runPipeline(t.database, config, { trigger: 'schedule', today: TODAY }));
    expect(again.status).toBe('succeeded');
    expect(again.stages.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(again.stages[0]!.counts).toMatchObject({ files: 0, imported: 0 });
    expect(again.stages[1]!.counts).toMatchObject({ changed: 0 });
    expect(again.stages[3]!.counts).toMatchObject({ queued: 0, sent: 0 });
    expect(simulator.stats().creates.Patient).toBe(verified);
  });

  it('skips reconcile and push with the reason when no registry or platform is configured', async () => {
    const { t, dir } = await setUp();
    const result = ran(await runPipeline(t.database, jobConfig(dir), { trigger: 'api' }));
    expect(result.status).toBe('succeeded');
    expect(outline(result.stages)).toEqual(['import succeeded', 'link skipped', 'reconcile skipped', 'push skipped', 'report succeeded']);
    expect(result.stages[1]!.counts).toEqual({ reason: 'no records loaded yet' });
    expect(result.stages[2]!.counts).toEqual({ reason: 'no registry configured (REGISTRY_SOURCE)' });
    expect(result.stages[3]!.counts).toEqual({ reason: 'no platform configured (PLATFORM_URL)' });
  });

  it('resumes a failed stage at the next run without redoing the stages before it', async () => {
    const { t, dir, inbox } = await setUp();
    fs.copyFileSync(synth.records, path.join(inbox, 'records.csv'));
    const missing = path.join(dir, 'no-such-registry.csv');
    const broken = jobConfig(dir, { REGISTRY_SOURCE: missing, PLATFORM_URL: simulator.url });

    const failed = ran(await runPipeline(t.database, broken, { trigger: 'schedule', today: TODAY }));
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe(`reconcile: ${missing}: no such registry file (or give an http:// or postgres:// registry)`);
    // the stages after the failure did not run
    expect(outline(failed.stages)).toEqual(['import succeeded', 'link succeeded', 'reconcile failed']);
    expect(simulator.stats().bundles).toBe(0);

    // still broken: the next run resumes at reconcile, and fails there again
    const stillFailed = ran(await runPipeline(t.database, broken, { trigger: 'schedule', today: TODAY }));
    expect(stillFailed.resumed).toBe(failed.runId);
    expect(outline(stillFailed.stages)).toEqual(['import skipped', 'link skipped', 'reconcile failed']);

    // fixed: resumes at reconcile; import and link are credited to the run that did them
    const fixed = jobConfig(dir, { REGISTRY_SOURCE: synth.registry!.registry, PLATFORM_URL: simulator.url });
    const resumed = ran(await runPipeline(t.database, fixed, { trigger: 'schedule', today: TODAY }));
    expect(resumed.status).toBe('succeeded');
    expect(resumed.resumed).toBe(stillFailed.runId);
    expect(outline(resumed.stages)).toEqual(['import skipped', 'link skipped', 'reconcile succeeded', 'push succeeded', 'report succeeded']);
    expect(resumed.stages[0]!.counts).toEqual({ reason: `done in run ${failed.runId}`, doneInRun: failed.runId });
    expect(resumed.stages[1]!.counts).toEqual({ reason: `done in run ${failed.runId}`, doneInRun: failed.runId });
    expect(resumed.stages[3]!.counts).toMatchObject({ sent: await verifiedPeople(t) });
    expect(await loadedBatches(t.database)).toHaveLength(1);
    const linkRuns = await t.database.db.selectFrom('link_run').select('id').execute();
    expect(linkRuns).toHaveLength(1);

    const history = await jobHistory(t.database);
    expect(history.map((r) => r.status)).toEqual(['failed', 'failed', 'succeeded']);
    expect(history[0]!.stages[2]!.error).toContain('no such registry file');

    // after a success, the next run starts from the beginning again
    const next = ran(await runPipeline(t.database, fixed, { trigger: 'schedule', today: TODAY }));
    expect(next.resumed).toBeNull();
    expect(next.stages.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });

  it('goes back to import when files arrived, and to link when records or decisions did', async () => {
    const { t, dir, inbox } = await setUp();
    fs.copyFileSync(synth.records, path.join(inbox, 'first.csv'));
    const broken = jobConfig(dir, { REGISTRY_SOURCE: path.join(dir, 'missing.csv') });
    const first = ran(await runPipeline(t.database, broken, { trigger: 'manual', today: TODAY }));
    expect(outline(first.stages)).toEqual(['import succeeded', 'link succeeded', 'reconcile failed']);

    // a file in the inbox: the whole run again
    const late = await writeSynthFiles({ persons: 30, seed: 13, dir: path.join(dir, 'late') });
    fs.copyFileSync(late.records, path.join(inbox, 'late.csv'));
    const withFile = ran(await runPipeline(t.database, broken, { trigger: 'manual', today: TODAY }));
    expect(withFile.resumed).toBeNull();
    expect(outline(withFile.stages)).toEqual(['import succeeded', 'link succeeded', 'reconcile failed']);
    expect(withFile.stages[0]!.counts).toMatchObject({ imported: 1 });

    // a batch loaded outside the inbox (an upload): link again, import stays done
    const other = await writeSynthFiles({ persons: 30, seed: 12, dir: path.join(dir, 'upload') });
    await importFile(t.database, other.records, { today: TODAY });
    const withUpload = ran(await runPipeline(t.database, broken, { trigger: 'manual', today: TODAY }));
    expect(withUpload.resumed).toBe(withFile.runId);
    expect(outline(withUpload.stages)).toEqual(['import skipped', 'link succeeded', 'reconcile failed']);
    expect(withUpload.stages[0]!.counts).toMatchObject({ doneInRun: withFile.runId });
    expect(withUpload.stages[1]!.counts).toMatchObject({ changed: other.rows });

    // nothing new: straight to reconcile
    const nothingNew = ran(await runPipeline(t.database, broken, { trigger: 'manual', today: TODAY }));
    expect(outline(nothingNew.stages)).toEqual(['import skipped', 'link skipped', 'reconcile failed']);
    expect(nothingNew.stages[0]!.counts).toMatchObject({ doneInRun: withFile.runId });
    expect(nothingNew.stages[1]!.counts).toMatchObject({ doneInRun: withUpload.runId });

    // a reviewer's decision waiting for the link stage: link again
    const [pair] = await t.database.db.selectFrom('match_link').select(['a_batch', 'a_row', 'b_batch', 'b_row']).where('status', '=', 'review').limit(1).execute();
    await recordDecision(t.database, { batch: pair!.a_batch, row: pair!.a_row }, { batch: pair!.b_batch, row: pair!.b_row }, 'different', 'reviewer');
    const withDecision = ran(await runPipeline(t.database, broken, { trigger: 'manual', today: TODAY }));
    expect(outline(withDecision.stages)).toEqual(['import skipped', 'link succeeded', 'reconcile failed']);
    expect(Number(withDecision.stages[1]!.counts.changed)).toBeGreaterThan(0);
  });

  it('marks the runs a dead process left running as abandoned, and resumes after their last finished stage', async () => {
    const { t, dir } = await setUp();
    // what a process killed during reconcile leaves behind
    const { id: dead } = await t.database.db
      .insertInto('job_run')
      .values({ trigger: 'schedule', instance: 'gone:1', status: 'running', error: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.database.db.insertInto('job_stage').values([
      { run_id: dead, stage: 'import', status: 'succeeded', counts: '{}', error: null, finished_at: new Date() },
      { run_id: dead, stage: 'link', status: 'succeeded', counts: '{}', error: null, finished_at: new Date() },
      { run_id: dead, stage: 'reconcile', status: 'running', counts: null, error: null },
    ]).execute();

    const result = ran(await runPipeline(t.database, jobConfig(dir), { trigger: 'manual' }));
    expect(result.abandonedBefore).toBe(1);
    expect(result.resumed).toBe(dead);
    expect(outline(result.stages)).toEqual(['import skipped', 'link skipped', 'reconcile skipped', 'push skipped', 'report succeeded']);
    const [deadRun] = await jobHistory(t.database);
    expect(deadRun).toMatchObject({ id: dead, status: 'abandoned', error: 'the process running it stopped before the run finished' });
    expect(outline(deadRun!.stages)).toEqual(['import succeeded', 'link succeeded', 'reconcile abandoned']);
    expect(deadRun!.finished_at).not.toBeNull();
  });

  it('stops between stages on request: the stage in flight finishes, the run is abandoned, the next resumes', async () => {
    const { t, dir, inbox } = await setUp();
    fs.copyFileSync(synth.records, path.join(inbox, 'records.csv'));
    const config = jobConfig(dir, { REGISTRY_SOURCE: synth.registry!.registry, PLATFORM_URL: simulator.url });
    const controller = new AbortController();
    const stopped = ran(
      await runPipeline(t.database, config, {
        trigger: 'schedule', today: TODAY, signal: controller.signal,
        onStage: (e) => e.stage === 'link' && e.status === 'running' && controller.abort(),
      }),
    );
    expect(stopped.status).toBe('abandoned');
    expect(stopped.error).toBe('stopped before reconcile');
    expect(outline(stopped.stages)).toEqual(['import succeeded', 'link succeeded']);

    const resumed = ran(await runPipeline(t.database, config, { trigger: 'schedule', today: TODAY }));
    expect(resumed.resumed).toBe(stopped.runId);
    expect(outline(resumed.stages)).toEqual(['import skipped', 'link skipped', 'reconcile succeeded', 'push succeeded', 'report succeeded']);
  });

  it('stops the import between files on request; the next run imports the files left', async () => {
    const { t, dir, inbox } = await setUp();
    for (let i = 0; i < 3; i++) {
      const generated = await writeSynthFiles({ persons: 20, seed: 50 + i, dir: path.join(dir, `gen${i}`) });
      fs.copyFileSync(generated.records, path.join(inbox, `f${i}.csv`));
    }
    const controller = new AbortController();
    const stopped = ran(
      await runPipeline(t.database, jobConfig(dir), {
        trigger: 'schedule', today: TODAY, signal: controller.signal,
        onProgress: (stage, counts) => stage === 'import' && counts.imported === 1 && controller.abort(),
      }),
    );
    expect(stopped.status).toBe('abandoned');
    expect(outline(stopped.stages)).toEqual(['import abandoned']);
    expect(stopped.stages[0]).toMatchObject({ error: 'stopped between files; 2 left in the inbox for the next run', counts: { files: 3, imported: 1 } });
    expect(filesIn(inbox)).toEqual(['f1.csv', 'f2.csv']);

    const resumed = ran(await runPipeline(t.database, jobConfig(dir), { trigger: 'schedule', today: TODAY }));
    expect(resumed.stages[0]!.counts).toMatchObject({ files: 2, imported: 2 });
    expect(await loadedBatches(t.database)).toHaveLength(3);
  });

  it('stops push between bundles on request, leaving nothing claimed; the next run sends the rest once', async () => {
    const slow = await startPlatformSimulator({ faults: { latencyMs: 150 } });
    try {
      const { t, dir, inbox } = await setUp();
      // enough people for more bundles (50 people each) than go out at once (4)
      const many = await writeSynthFiles({ persons: 500, seed: 14, dir: path.join(dir, 'many'), registry: true });
      fs.copyFileSync(many.records, path.join(inbox, 'records.csv'));
      const config = jobConfig(dir, { REGISTRY_SOURCE: many.registry!.registry, PLATFORM_URL: slow.url });
      const controller = new AbortController();
      const stopped = ran(
        await runPipeline(t.database, config, {
          trigger: 'schedule', today: TODAY, signal: controller.signal,
          // asked to stop once the first bundle's answer is recorded, while the next ones are on the wire
          onProgress: (stage) => stage === 'push' && controller.abort(),
        }),
      );
      expect(stopped.status).toBe('abandoned');
      expect(outline(stopped.stages)).toEqual(['import succeeded', 'link succeeded', 'reconcile succeeded', 'push abandoned']);
      expect(stopped.stages[3]!.error).toBe('stopped between bundles; the people not sent stay queued');
      const verified = await verifiedPeople(t);
      // the bundles already on the wire were recorded, the others released: nothing is left claimed
      const states = await t.database.db.selectFrom('outbox').select('state').execute();
      expect(states.filter((s) => s.state === 'in_flight')).toEqual([]);
      const acknowledged = states.filter((s) => s.state === 'acknowledged').length;
      expect(acknowledged).toBeGreaterThan(0);
      expect(acknowledged).toBeLessThan(verified);

      const resumed = ran(await runPipeline(t.database, config, { trigger: 'schedule', today: TODAY }));
      expect(outline(resumed.stages)).toEqual(['import skipped', 'link skipped', 'reconcile skipped', 'push succeeded', 'report succeeded']);
      expect(resumed.stages[3]!.counts).toMatchObject({ sent: verified - acknowledged });
      expect(slow.stats().creates.Patient).toBe(verified);
      for (const r of slow.received()) expect(r.created, r.identifier).toBe(1);
    } finally {
      await slow.close();
    }
  });
});
