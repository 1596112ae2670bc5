/**
 * Where a run starts. After a successful run, at the beginning. After a run that failed or was abandoned,
 * at the first stage that run did not get done, so finished work is not redone; the earlier stages are
 * recorded as skipped ("done in run N"). Unless something arrived since that an earlier stage would
 * process, in which case the run starts at that stage, and every later stage runs too:
 *
 * - import, when files wait in the inbox;
 * - link, when a loaded batch has records not linked yet (uploads and command-line imports do not go
 *   through the inbox) or a reviewer's decision is pending.
 *
 * Reconcile, push and report need no such rule: what they would process comes from the stages before
 * them (or from the clock, which their own incremental rules handle), and the stages from the resume
 * point on always run.
 */
import type { Database } from '../db/database.js';
import type { JobStageName } from '../db/schema.js';
import { CURRENT } from '../link/rows.js';
import { lastUnfinishedRun, STAGES } from './history.js';
import { pendingInboxFiles } from './inbox.js';

export interface RunPlan {
  /** The first stage this run runs. */
  readonly from: JobStageName;
  /** The run resumed, when `from` is past the beginning. */
  readonly resumes: number | null;
  /** For each stage before `from`: the run that did it. */
  readonly doneIn: ReadonlyMap<JobStageName, number>;
}

const FROM_THE_START: RunPlan = { from: 'import', resumes: null, doneIn: new Map() };

export function stageIndex(stage: JobStageName): number {
  return STAGES.indexOf(stage);
}

export async function planRun(database: Database, inboxDir: string): Promise<RunPlan> {
  const last = await lastUnfinishedRun(database);
  if (!last) return FROM_THE_START;
  if ((await pendingInboxFiles(inboxDir)).length > 0) return FROM_THE_START;
  let from = last.stoppedAt;
  if (stageIndex(from) > stageIndex('link') && (await linkHasWork(database))) from = 'link';
  if (from === 'import') return FROM_THE_START;
  const doneIn = new Map([...last.doneIn].filter(([stage]) => stageIndex(stage) < stageIndex(from)));
  return { from, resumes: last.runId, doneIn };
}

/** Whether a link run would find anything to do: records of loaded batches not linked yet, or pending decisions. */
async function linkHasWork(database: Database): Promise<boolean> {
  const [row] = await database.withTransaction((tx) =>
    tx.query<{ due: boolean }>(
      // A superseded record (a correction replaced it) is never linked: it is not work.
      `select exists (
                select 1 from record r join batch b on b.id = r.batch_id and b.status = 'loaded'
                where not exists (select 1 from person_record pr where pr.batch_id = r.batch_id and pr.row_number = r.row_number)
                  and ${CURRENT})
              or exists (select 1 from review_decision where applied_run is null) as due`,
    ),
  );
  return row!.due;
}
