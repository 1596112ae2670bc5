/**
 * The nightly cron job: runs the pipeline at `config.nightlyCron` in `config.timezone`, inside the serving
 * process (not to be confused with src/schedule/, the vaccination schedules). Every instance may schedule it; the pipeline's lock lets one of them run and the others skip.
 *
 * `stop()` is the graceful shutdown: no new run starts, and a run in flight is asked to stop at its next
 * safe point (./pipeline.ts) and awaited, so it ends recorded as succeeded or abandoned, never `running`.
 */
import cron from 'node-cron';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { progressLog } from './progress.js';
import { runPipeline, type JobRunSummary } from './pipeline.js';

export interface NightlyCron {
  stop(): Promise<void>;
}

/**
 * How late a run may still start: a busy event loop (an import, a link run of another request) must not
 * make the night's run be skipped because the exact second passed. node-cron caps this below the gap to
 * the next run, so an every-second test schedule is unaffected.
 */
const LATE_START_TOLERANCE_MS = 5 * 60_000;

export function describeRun(summary: JobRunSummary): string {
  const stages = summary.stages.map((s) => `${s.stage} ${s.status}`).join(', ');
  return `run ${summary.runId} ${summary.status} in ${summary.seconds.toFixed(1)} s (${stages})` + (summary.error ? `: ${summary.error}` : '');
}

export function startNightlyCron(database: Database, config: Config, log: (line: string) => void): NightlyCron {
  let stopping = false;
  let current: { readonly controller: AbortController; readonly done: Promise<void> } | null = null;

  const runOnce = async (signal: AbortSignal): Promise<void> => {
    try {
      // Plain progress lines in serve's log: where a long night is, and that it is alive.
      const result = await runPipeline(database, config, { trigger: 'schedule', signal, ...progressLog((line) => log(`nightly job: ${line}`)) });
      log(`nightly job: ${'skipped' in result ? 'another instance is running it; skipped here' : describeRun(result)}`);
    } catch (error) {
      log(`nightly job: could not run: ${(error as Error).message}`);
    }
  };

  const task = cron.createTask(
    config.nightlyCron,
    () => {
      // One run per process at a time (the lock makes it one across processes): a tick during a run is a no-op.
      if (stopping || current) return;
      const controller = new AbortController();
      const done = runOnce(controller.signal).finally(() => {
        current = null;
      });
      current = { controller, done };
      return done;
    },
    {
      name: 'vaxsync-nightly',
      timezone: config.timezone,
      missedExecutionTolerance: LATE_START_TOLERANCE_MS,
      logger: {
        info: () => {},
        debug: () => {},
        warn: (message) => log(`nightly schedule: ${message}`),
        error: (message) => log(`nightly schedule: ${message instanceof Error ? message.message : message}`),
      },
    },
  );
  task.on('execution:missed', (context) => log(`nightly schedule: the run due at ${context.dateLocalIso} was missed (the process was too busy)`));
  void task.start();

  return {
    async stop() {
      stopping = true;
      await task.stop();
      await task.destroy();
      const running = current;
      if (running) {
        running.controller.abort();
        await running.done;
      }
    },
  };
}
