/**
 * The nightly job: import the inbox → link → reconcile → push → report, once, recorded stage by stage in
 * the job history (migrations/0009_jobs.ts).
 *
 * One run at a time, across any number of instances: the run holds a session advisory lock for its whole
 * length; a run that finds it taken does nothing and records nothing. Holding the lock, a run first marks
 * `abandoned` the runs a dead process left `running`, then decides where to start (./resume.ts): after a
 * failed or abandoned run, at the stage it did not get done.
 *
 * A stage that throws fails the run, and the stages after it are not run (they get no row). Stopping on
 * request (`signal`, for graceful shutdown):
 * - between stages: the run ends `abandoned` before the next stage;
 * - import stops between files (a file is one all-or-nothing batch);
 * - push stops between bundles (claims not sent are released, answers on the wire are recorded);
 * - link (one transaction) and reconcile (pages written in the background of the next lookup) run to
 *   their end: both are incremental, so if the process is killed in them instead, the next run redoes
 *   only what was not committed;
 * - report is short and runs to its end.
 * The stopped stage and the run are recorded `abandoned`; the next run resumes at that stage.
 */
import { today, type Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { JobStageName, JobStageStatus, JobTrigger } from '../db/schema.js';
import { JobAbandoned } from './abort.js';
import { abandonDeadRuns, finishRun, finishStage, recordSkippedStage, startRun, startStage, STAGES, type StageCounts } from './history.js';
import { planRun, stageIndex } from './resume.js';
import { STAGE_RUNNERS, type StageContext, type StageResult } from './stages.js';

/** The lock name: one nightly run per schema (a schema is one province's data). */
export const NIGHTLY_LOCK = 'nightly';

export interface StageEvent {
  readonly runId: number;
  readonly stage: JobStageName;
  /** `running` when the stage starts; its outcome when it ends. */
  readonly status: JobStageStatus;
  readonly counts: Readonly<StageCounts>;
  readonly error: string | null;
}

export interface PipelineOptions {
  readonly trigger: JobTrigger;
  /** Called when a stage starts and when it ends (skipped stages: once). */
  readonly onStage?: (event: StageEvent) => void;
  /** Called as a running stage's counts change. */
  readonly onProgress?: (stage: JobStageName, counts: Readonly<StageCounts>) => void;
  /** Aborted: stop at the next safe point and record the run `abandoned`. */
  readonly signal?: AbortSignal;
  /** Today's date (`yyyy-mm-dd`) for the import's checks and the daily summary; default `today(config)`. */
  readonly today?: string;
}

export interface StageReport {
  readonly stage: JobStageName;
  readonly status: Exclude<JobStageStatus, 'running'>;
  readonly counts: StageCounts;
  readonly error: string | null;
  readonly seconds: number;
}

export interface JobRunSummary {
  readonly runId: number;
  readonly status: 'succeeded' | 'failed' | 'abandoned';
  /** The failed or abandoned run this one resumed, if it did not start at the beginning. */
  readonly resumed: number | null;
  /** Runs found `running` from a dead process and marked abandoned before this one started. */
  readonly abandonedBefore: number;
  /** The stages this run ran or skipped, in order; stages after a failure are absent. */
  readonly stages: readonly StageReport[];
  readonly error: string | null;
  readonly seconds: number;
}

export async function runPipeline(database: Database, config: Config, options: PipelineOptions): Promise<JobRunSummary | { skipped: 'locked' }> {
  const outcome = await database.withSessionLock(NIGHTLY_LOCK, () => runLocked(database, config, options));
  return outcome.acquired ? outcome.value : { skipped: 'locked' };
}

async function runLocked(database: Database, config: Config, options: PipelineOptions): Promise<JobRunSummary> {
  const started = performance.now();
  const { signal } = options;
  const abandonedBefore = await abandonDeadRuns(database);
  const plan = await planRun(database, config.inboxDir);
  const runId = await startRun(database, options.trigger);
  // One date for the whole run, taken when it starts: a run that passes midnight stays on its day.
  const runDay = options.today ?? today(config);
  const stages: StageReport[] = [];
  let status: JobRunSummary['status'] = 'succeeded';
  let error: string | null = null;

  const report = (stage: JobStageName, outcome: Exclude<JobStageStatus, 'running'>, counts: StageCounts, stageError: string | null, since: number) => {
    stages.push({ stage, status: outcome, counts, error: stageError, seconds: (performance.now() - since) / 1000 });
    options.onStage?.({ runId, stage, status: outcome, counts, error: stageError });
  };

  try {
    for (const stage of STAGES) {
      const stageStarted = performance.now();
      const doneIn = plan.doneIn.get(stage);
      if (stageIndex(stage) < stageIndex(plan.from) && doneIn !== undefined) {
        const counts = { reason: `done in run ${doneIn}`, doneInRun: doneIn };
        await recordSkippedStage(database, runId, stage, counts);
        report(stage, 'skipped', counts, null, stageStarted);
        continue;
      }
      if (signal?.aborted) {
        status = 'abandoned';
        error = `stopped before ${stage}`;
        break;
      }
      const counts: StageCounts = {};
      await startStage(database, runId, stage);
      options.onStage?.({ runId, stage, status: 'running', counts, error: null });
      const ctx: StageContext = {
        database, config, runId, signal, today: runDay, counts,
        progress: () => options.onProgress?.(stage, counts),
      };
      let result: StageResult;
      try {
        result = await STAGE_RUNNERS[stage](ctx);
      } catch (thrown) {
        const abandoned = thrown instanceof JobAbandoned;
        const message = thrown instanceof Error ? thrown.message : String(thrown);
        await finishStage(database, runId, stage, abandoned ? 'abandoned' : 'failed', counts, message);
        report(stage, abandoned ? 'abandoned' : 'failed', counts, message, stageStarted);
        status = abandoned ? 'abandoned' : 'failed';
        error = `${stage}: ${message}`;
        break;
      }
      if (result !== 'succeeded') counts.reason = result.skipped;
      const outcome = result === 'succeeded' ? 'succeeded' : 'skipped';
      await finishStage(database, runId, stage, outcome, counts, null);
      report(stage, outcome, counts, null, stageStarted);
    }
  } catch (bookkeeping) {
    // The history itself could not be written (the database went away): try to close the run, and say why.
    await finishRun(database, runId, 'failed', `job history: ${(bookkeeping as Error).message}`).catch(() => {});
    throw bookkeeping;
  }
  await finishRun(database, runId, status, error);
  return { runId, status, resumed: plan.resumes, abandonedBefore, stages, error, seconds: (performance.now() - started) / 1000 };
}
