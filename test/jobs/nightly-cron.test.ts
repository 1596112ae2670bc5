/**
 * The nightly cron job (node-cron), on an every-second cron so that a test sees it fire: it runs the
 * pipeline, and stop() is graceful — no new run starts, and a run in flight stops at a safe point and is
 * recorded, never left `running`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlatformSimulator, type PlatformSimulator } from '../../connectors/platform/simulator.js';
import { startNightlyCron } from '../../src/jobs/nightly-cron.js';
import { writeSynthFiles } from '../../src/synth/generate.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { freshDir, jobConfig, jobHistory, outline } from './fixtures.js';

const EVERY_SECOND = '* * * * * *';

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the nightly cron job', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  async function setUp(): Promise<{ t: TestDatabase; dir: string }> {
    const t = await openTestDatabase('postgres');
    const dir = freshDir();
    cleanup.push(() => t.dispose(), () => fs.rmSync(dir, { recursive: true, force: true }));
    return { t, dir };
  }

  it('runs the pipeline when the cron fires, and starts nothing once stopped', async () => {
    const { t, dir } = await setUp();
    const lines: string[] = [];
    const schedule = startNightlyCron(t.database, jobConfig(dir, { VAXSYNC_NIGHTLY_CRON: EVERY_SECOND, VAXSYNC_TIMEZONE: 'UTC' }), (l) => lines.push(l));
    try {
      await waitFor('two scheduled runs', async () => (await jobHistory(t.database)).filter((r) => r.status === 'succeeded').length >= 2);
    } finally {
      await schedule.stop();
    }
    const runs = await jobHistory(t.database);
    expect(runs.every((r) => r.trigger === 'schedule')).toBe(true);
    expect(runs.filter((r) => r.status === 'running')).toEqual([]);
    expect(lines.some((l) => /^nightly job: run \d+ succeeded in [\d.]+ s \(import succeeded, link skipped/.test(l))).toBe(true);

    await new Promise((r) => setTimeout(r, 1_500));
    expect(await jobHistory(t.database)).toHaveLength(runs.length);
  });

  it('stop() stops the run in flight at a safe point and waits for it', async () => {
    const { t, dir } = await setUp();
    const simulator: PlatformSimulator = await startPlatformSimulator({ faults: { latencyMs: 300 } });
    cleanup.push(() => simulator.close());
    const generated = await writeSynthFiles({ persons: 500, seed: 41, dir: path.join(dir, 'gen'), registry: true });
    fs.copyFileSync(generated.records, path.join(dir, 'inbox', 'records.csv'));
    const config = jobConfig(dir, { VAXSYNC_NIGHTLY_CRON: EVERY_SECOND, REGISTRY_SOURCE: generated.registry!.registry, PLATFORM_URL: simulator.url });
    const lines: string[] = [];
    const schedule = startNightlyCron(t.database, config, (l) => lines.push(l));

    await waitFor('the push under way', async () => {
      const push = await t.database.db.selectFrom('job_stage').select('status').where('stage', '=', 'push').executeTakeFirst();
      return push?.status === 'running' && simulator.stats().bundles > 0;
    });
    const stopping = performance.now();
    await schedule.stop();
    const stopSeconds = (performance.now() - stopping) / 1000;

    const [run, ...more] = await jobHistory(t.database);
    expect(more).toEqual([]);
    expect(run!.status).toBe('abandoned');
    expect(outline(run!.stages)).toEqual(['import succeeded', 'link succeeded', 'reconcile succeeded', 'push abandoned']);
    // the bundles on the wire were answered and recorded, the rest released for the next run
    const states = await t.database.db.selectFrom('outbox').select('state').execute();
    expect(states.filter((s) => s.state === 'in_flight')).toEqual([]);
    expect(states.filter((s) => s.state === 'acknowledged').length).toBe(simulator.stats().creates.Patient);
    expect(states.filter((s) => s.state === 'pending').length).toBeGreaterThan(0);
    // it waited for the bundles in flight (one answer's latency), not for the whole push
    expect(stopSeconds).toBeLessThan(5);
    expect(lines).toContainEqual(expect.stringMatching(/^nightly job: run \d+ abandoned .*push: stopped between bundles/));
  });
});
