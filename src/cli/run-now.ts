/**
 * `vaxsync run-now`: the nightly job, once, from the terminal. A progress line on stderr when it is a
 * terminal (stage, what it counted so far, time in the stage), then one summary line per stage on stdout.
 *
 * Exit code 0 when the run succeeded, 1 when it failed or was stopped, 2 when another run holds the lock.
 * Ctrl-C (or SIGTERM) asks the run to stop at its next safe point and records it abandoned; a second one,
 * or the run still going 10 s later (STOP_DEADLINE_MS), ends the process at once (the next run then finds
 * the run dead and resumes it).
 */
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { JobStageName } from '../db/schema.js';
import type { StageCounts } from '../jobs/history.js';
import { runPipeline, type StageReport } from '../jobs/pipeline.js';
import { progressLog, progressText } from '../jobs/progress.js';
import { whileStoppable } from '../base/signals.js';

export const EXIT_LOCKED = 2;

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

function number(n: unknown): string {
  return typeof n === 'number' ? n.toLocaleString('en') : String(n);
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** One line of the final summary per stage. */
export function stageLine(s: StageReport): string {
  const shown = Object.entries(s.counts)
    .filter(([key, value]) => key !== 'batchIds' && key !== 'doneInRun' && key !== 'reason' && (typeof value === 'number' || typeof value === 'string'))
    .map(([key, value]) => `${key} ${number(value)}`)
    .join(', ');
  const why = s.error ?? (typeof s.counts.reason === 'string' ? s.counts.reason : '');
  return `  ${s.stage.padEnd(9)} ${s.status.padEnd(9)} ${s.seconds.toFixed(1).padStart(6)} s  ${[shown, why].filter(Boolean).join('; ')}`;
}

/**
 * A single self-redrawing line on a terminal; elsewhere (a log file, a CI job) plain lines
 * (src/jobs/progress.ts): each stage's start, each link step, long stages' counts every 30 s.
 */
function progressLine(stream: NodeJS.WriteStream) {
  const enabled = stream.isTTY === true;
  const plain = enabled ? null : progressLog((line) => stream.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`));
  let stage: JobStageName | null = null;
  let counts: StageCounts = {};
  let since = 0;
  let frame = 0;
  const draw = () => {
    if (!stage) return;
    const text = `${SPINNER[frame++ % SPINNER.length]} ${stage.padEnd(9)} ${progressText(stage, counts)}  ${clock((performance.now() - since) / 1000)}`;
    stream.write(`\r\x1b[K${text.slice(0, (stream.columns || 80) - 1)}`);
  };
  const timer = enabled ? setInterval(draw, 120) : null;
  timer?.unref();
  return {
    start(name: JobStageName, runId: number) {
      stage = name;
      counts = {};
      since = performance.now();
      if (enabled) draw();
      plain?.onStage({ runId, stage: name, status: 'running', counts: {}, error: null });
    },
    update(c: StageCounts) {
      counts = c;
      if (stage) plain?.onProgress(stage, c);
    },
    clear() {
      stage = null;
      if (enabled) stream.write('\r\x1b[K');
    },
    close() {
      if (timer) clearInterval(timer);
      this.clear();
    },
  };
}

type ProgressLine = ReturnType<typeof progressLine>;

export async function runNow(database: Database, config: Config, log: (line: string) => void): Promise<number> {
  const progress = progressLine(process.stderr);
  const controller = new AbortController();
  // The first SIGINT/SIGTERM stops at the next safe point; a second one, or STOP_DEADLINE_MS, at once.
  return whileStoppable(
    () => {
      progress.clear();
      process.stderr.write('stopping at the next safe point (again to quit at once)…\n');
      controller.abort();
    },
    () => runOnce(database, config, log, progress, controller),
  );
}

async function runOnce(database: Database, config: Config, log: (line: string) => void, progress: ProgressLine, controller: AbortController): Promise<number> {
  try {
    const result = await runPipeline(database, config, {
      trigger: 'manual',
      signal: controller.signal,
      onStage: (event) => {
        if (event.status === 'running') progress.start(event.stage, event.runId);
        else progress.clear();
      },
      onProgress: (_, counts) => progress.update(counts),
    });
    progress.close();
    if ('skipped' in result) {
      process.stderr.write('vaxsync: another run of the nightly job holds the lock (on this or another instance); nothing done\n');
      return EXIT_LOCKED;
    }
    const resumed = result.resumed === null ? '' : `, resuming run ${result.resumed}`;
    const dead = result.abandonedBefore > 0 ? ` (${result.abandonedBefore} run(s) left running by a dead process marked abandoned)` : '';
    log(`run ${result.runId}${resumed}${dead}:`);
    for (const stage of result.stages) log(stageLine(stage));
    log(`run ${result.runId} ${result.status} in ${result.seconds.toFixed(1)} s${result.error ? `: ${result.error}` : ''}`);
    return result.status === 'succeeded' ? 0 : 1;
  } finally {
    progress.close();
  }
}
