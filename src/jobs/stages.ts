/**
 * The five stages of the nightly job, each a thin call of the library function that does the work, with
 * what it counted. A stage fills `counts` as it goes, so a stage that fails or is stopped still leaves on
 * its history row what it got done.
 */
import path from 'node:path';
import { fhirPlatform } from '../../connectors/platform/fhir-http.js';
import { openRegistry } from '../../connectors/registry/open.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { JobStageName } from '../db/schema.js';
import { linkAll } from '../link/link.js';
import { pushOutbox } from '../push/push.js';
import { reconcile } from '../reconcile/reconcile.js';
import { stoppablePlatform } from './abort.js';
import { dailySummary, writeDailySummary } from './daily-report.js';
import type { StageCounts } from './history.js';
import { importInbox, type InboxCounts } from './inbox.js';

export interface StageContext {
  readonly database: Database;
  readonly config: Config;
  readonly runId: number;
  readonly signal: AbortSignal | undefined;
  /** Today's date (yyyy-mm-dd) in the configured time zone, for the import's "in the future" checks. */
  readonly today: string;
  /** What the stage counted so far; kept on its history row whatever the outcome. */
  readonly counts: StageCounts;
  /** Tells the caller `counts` changed (for a progress bar). */
  progress(): void;
}

/** A stage either did its work, or had nothing to do with this configuration and says why. */
export type StageResult = 'succeeded' | { readonly skipped: string };

/** Bundles on the wire at once: fhirPlatform's default, which the stop check follows. */
const PLATFORM_CONCURRENCY = 4;

async function importStage(ctx: StageContext): Promise<StageResult> {
  const counts = Object.assign(ctx.counts, { files: 0, imported: 0, alreadyLoaded: 0, failed: 0, rows: 0, quarantined: 0, batchIds: [] } satisfies InboxCounts);
  await importInbox(ctx.database, ctx.config.inboxDir, counts, {
    signal: ctx.signal,
    today: ctx.today,
    onProgress: (_, currentRows) => {
      ctx.counts.currentFileRows = currentRows;
      ctx.progress();
    },
  });
  delete ctx.counts.currentFileRows;
  return 'succeeded';
}

async function linkStage(ctx: StageContext): Promise<StageResult> {
  // linkAll needs at least one record (on an empty database it has no run to fall back on).
  const anyRecord = await ctx.database.db
    .selectFrom('record')
    .innerJoin('batch', 'batch.id', 'record.batch_id')
    .select('record.batch_id')
    .where('batch.status', '=', 'loaded')
    .limit(1)
    .executeTakeFirst();
  if (!anyRecord) return { skipped: 'no records loaded yet' };
  const s = await linkAll(ctx.database, {}, {
    onStep: (step, seconds) => {
      // The step just finished and its time: the terminal's progress line and the log lines show it.
      ctx.counts.step = step;
      ctx.counts.stepSeconds = Math.round(seconds * 10) / 10;
      ctx.progress();
    },
  });
  delete ctx.counts.step;
  delete ctx.counts.stepSeconds;
  Object.assign(ctx.counts, {
    linkRun: s.runId, mode: s.mode, records: s.records, changed: s.changed, persons: s.persons, doses: s.doses,
    personsWritten: s.personsWritten, accepted: s.accepted, review: s.review, vetoed: s.vetoed,
    // Seconds per step, kept in the history (job_stage.counts): where a slow night went.
    seconds: Object.fromEntries(Object.entries(s.seconds).map(([step, sec]) => [step, Math.round(sec * 10) / 10])),
  });
  return 'succeeded';
}

async function reconcileStage(ctx: StageContext): Promise<StageResult> {
  const { config } = ctx;
  if (!config.registry) return { skipped: 'no registry configured (REGISTRY_SOURCE)' };
  const connector = await openRegistry(
    ctx.database,
    { registry: config.registry, ...(config.registryToken ? { token: config.registryToken } : {}), ...(config.registryTable ? { table: config.registryTable } : {}) },
    () => {}, // the loader's lines name rows of the extract; the counts below are what the history keeps
  );
  try {
    const s = await reconcile(ctx.database, connector, {
      maxAgeDays: config.recheckDays,
      onProgress: (checked) => {
        ctx.counts.checked = checked;
        ctx.progress();
      },
    });
    Object.assign(ctx.counts, { registry: s.registry, checked: s.checked, adopted: s.adopted, ...s.byStatus });
  } finally {
    await connector.close();
  }
  return 'succeeded';
}

async function pushStage(ctx: StageContext): Promise<StageResult> {
  const { config } = ctx;
  if (!config.platformUrl) return { skipped: 'no platform configured (PLATFORM_URL)' };
  const platform = fhirPlatform({ baseUrl: config.platformUrl, concurrency: PLATFORM_CONCURRENCY, ...(config.platformToken ? { token: config.platformToken } : {}) });
  ctx.counts.target = platform.target;
  try {
    const s = await pushOutbox(ctx.database, stoppablePlatform(platform, ctx.signal, PLATFORM_CONCURRENCY), {
      guardian: config.pushGuardian,
      onProgress: (p) => {
        Object.assign(ctx.counts, p);
        ctx.progress();
      },
    });
    Object.assign(ctx.counts, { queued: s.queued, sent: s.sent, rejected: s.rejected, failed: s.failed });
    // Said only when it happened: claims taken back from dead push runs, people other live runs still hold.
    if (s.reclaimed.people > 0) ctx.counts.reclaimed = s.reclaimed.people;
    const held = s.held.reduce((n, h) => n + h.people, 0);
    if (held > 0) ctx.counts.heldByOtherRuns = held;
    // People the platform could not take are retried by a later push anyway; but when it took none at
    // all, it is down (or refusing us), and the history should say so rather than report success.
    if (s.failed > 0 && s.sent === 0 && s.rejected === 0) {
      throw new Error(`the platform could not be reached for any of ${s.failed} people; they stay queued for the next run`);
    }
  } finally {
    await platform.close();
  }
  return 'succeeded';
}

async function reportStage(ctx: StageContext): Promise<StageResult> {
  const summary = await dailySummary(ctx.database, ctx.runId, ctx.today);
  const file = await writeDailySummary(ctx.config.reportsDir, summary);
  Object.assign(ctx.counts, {
    file: path.basename(file), batches: summary.batches.loaded, records: summary.records, persons: summary.persons, doses: summary.doses,
  });
  return 'succeeded';
}

export const STAGE_RUNNERS: Readonly<Record<JobStageName, (ctx: StageContext) => Promise<StageResult>>> = {
  import: importStage,
  link: linkStage,
  reconcile: reconcileStage,
  push: pushStage,
  report: reportStage,
};
