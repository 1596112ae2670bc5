/**
 * The job history tables (migrations/0009_jobs.ts): writing a run and its stages as they happen, and
 * reading back what the last unfinished run got done, for the next run to resume from.
 */
import os from 'node:os';
import { sql, type Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { JobRunTable, JobStageName, JobStageStatus, JobStageTable, JobTrigger } from '../db/schema.js';

/** The stages of the nightly job, in the order they run. */
export const STAGES: readonly JobStageName[] = ['import', 'link', 'reconcile', 'push', 'report'];

export type StageCounts = Record<string, unknown>;

/** Who runs: enough to find the process in the logs of a host, nothing more. */
export const INSTANCE = `${os.hostname()}:${process.pid}`;

/**
 * Runs left `running` by a process that died. Called under the nightly lock: whoever held it before is
 * gone (its lock went with its connection), so nothing still running can be touched here.
 */
export async function abandonDeadRuns(database: Database): Promise<number> {
  const error = 'the process running it stopped before the run finished';
  await database.db
    .updateTable('job_stage')
    .set({ status: 'abandoned', finished_at: sql<Date>`now()`, error })
    .where('status', '=', 'running')
    .execute();
  const runs = await database.db
    .updateTable('job_run')
    .set({ status: 'abandoned', finished_at: sql<Date>`now()`, error })
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(runs.numUpdatedRows);
}

export async function startRun(database: Database, trigger: JobTrigger): Promise<number> {
  const { id } = await database.db
    .insertInto('job_run')
    .values({ trigger, instance: INSTANCE, status: 'running', error: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function startStage(database: Database, runId: number, stage: JobStageName): Promise<void> {
  await database.db.insertInto('job_stage').values({ run_id: runId, stage, status: 'running', counts: null, error: null }).execute();
}

export async function finishStage(
  database: Database,
  runId: number,
  stage: JobStageName,
  status: Exclude<JobStageStatus, 'running'>,
  counts: StageCounts,
  error: string | null,
): Promise<void> {
  await database.db
    .updateTable('job_stage')
    .set({ status, counts: JSON.stringify(counts), error, finished_at: sql<Date>`now()` })
    .where('run_id', '=', runId)
    .where('stage', '=', stage)
    .execute();
}

/** A stage not run because an earlier run did its work: one row, started and finished at once. */
export async function recordSkippedStage(database: Database, runId: number, stage: JobStageName, counts: StageCounts): Promise<void> {
  await database.db
    .insertInto('job_stage')
    .values({ run_id: runId, stage, status: 'skipped', counts: JSON.stringify(counts), error: null, finished_at: sql<Date>`now()` })
    .execute();
}

export async function finishRun(database: Database, runId: number, status: 'succeeded' | 'failed' | 'abandoned', error: string | null): Promise<void> {
  await database.db.updateTable('job_run').set({ status, error, finished_at: sql<Date>`now()` }).where('id', '=', runId).execute();
}

/** What the last run left undone: where it stopped, and which earlier run did each stage before that. */
export interface UnfinishedRun {
  readonly runId: number;
  /** The first stage the run did not get done. */
  readonly stoppedAt: JobStageName;
  /** For each stage before `stoppedAt`: the run that actually did it (this one, or one it resumed from). */
  readonly doneIn: ReadonlyMap<JobStageName, number>;
}

/**
 * The last run, if it failed or was abandoned after getting at least one stage done. A stage counts as
 * done when it succeeded, or was skipped because an earlier run had done it; a stage skipped because it
 * is not configured (no registry, no platform) is not done, so it is looked at again.
 */
export async function lastUnfinishedRun(database: Database): Promise<UnfinishedRun | null> {
  const last = await database.db.selectFrom('job_run').select(['id', 'status']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!last || (last.status !== 'failed' && last.status !== 'abandoned')) return null;
  const rows = await database.db.selectFrom('job_stage').select(['stage', 'status', 'counts']).where('run_id', '=', last.id).execute();
  const byStage = new Map(rows.map((r) => [r.stage, r]));
  const doneIn = new Map<JobStageName, number>();
  for (const stage of STAGES) {
    const row = byStage.get(stage);
    const carried = row?.status === 'skipped' ? row.counts?.doneInRun : undefined;
    if (row?.status === 'succeeded') doneIn.set(stage, last.id);
    else if (typeof carried === 'number') doneIn.set(stage, carried);
    else return doneIn.size === 0 ? null : { runId: last.id, stoppedAt: stage, doneIn };
  }
  return null; // every stage done: a run that failed only while closing; nothing to resume
}

export type JobRun = Selectable<JobRunTable> & { readonly stages: readonly Selectable<JobStageTable>[] };

/** The last `limit` runs, newest first, each with its stages in the order they started. */
export async function recentRuns(database: Database, limit: number): Promise<JobRun[]> {
  const runs = await database.db.selectFrom('job_run').selectAll().orderBy('id', 'desc').limit(limit).execute();
  if (runs.length === 0) return [];
  const stages = await database.db
    .selectFrom('job_stage')
    .selectAll()
    .where(
      'run_id',
      'in',
      runs.map((r) => r.id),
    )
    .orderBy('run_id')
    .orderBy('started_at')
    .execute();
  return runs.map((r) => ({ ...r, stages: stages.filter((s) => s.run_id === r.id) }));
}
