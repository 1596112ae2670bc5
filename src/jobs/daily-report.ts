/**
 * The nightly job's daily summary: one small JSON file per day in the reports folder, with the totals a
 * working group looks at each morning. Counts only, no personal data. A second run on the same day
 * replaces the file with the newer totals.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/database.js';
import { outboxSummary } from '../push/outbox-report.js';
import { registryStatusCounts } from '../reconcile/report.js';

export interface DailySummary {
  readonly date: string;
  readonly generatedAt: string;
  readonly runId: number;
  readonly batches: { loaded: number; failed: number; loading: number };
  readonly records: number;
  readonly quarantined: number;
  readonly persons: number;
  readonly doses: number;
  /** People per registry status; `unchecked` have never been checked. */
  readonly registry: Record<string, number>;
  /** Outbox entries per state. */
  readonly outbox: Record<string, number>;
}

/** `date`: the run's day in the configured time zone (`today(config)`): "daily" means the province's day, not UTC's. */
export async function dailySummary(database: Database, runId: number, date: string): Promise<DailySummary> {
  const batches = { loaded: 0, failed: 0, loading: 0 };
  for (const row of await database.db.selectFrom('batch').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('status').execute()) {
    batches[row.status] = Number(row.n);
  }
  const [totals] = await database.withTransaction((tx) =>
    tx.query<{ records: string; quarantined: string; persons: string; doses: string }>(
      `select (select count(*) from record r join batch b on b.id = r.batch_id and b.status = 'loaded') as records,
              (select count(*) from record r join batch b on b.id = r.batch_id and b.status = 'loaded'
                where r.quarantine_reason is not null) as quarantined,
              (select count(*) from person) as persons,
              (select count(*) from dose) as doses`,
    ),
  );
  const { overall } = await registryStatusCounts(database);
  const checked = Object.values(overall.counts).reduce((sum, n) => sum + n, 0);
  const outbox = await outboxSummary(database, { states: [], limit: 0 });
  return {
    date,
    generatedAt: new Date().toISOString(),
    runId,
    batches,
    records: Number(totals!.records),
    quarantined: Number(totals!.quarantined),
    persons: Number(totals!.persons),
    doses: Number(totals!.doses),
    registry: { ...overall.counts, unchecked: overall.people - checked },
    outbox: outbox.counts,
  };
}

/** Writes `summary-YYYY-MM-DD.json` whole or not at all (a reader never sees half a file). */
export async function writeDailySummary(reportsDir: string, summary: DailySummary): Promise<string> {
  await fs.promises.mkdir(reportsDir, { recursive: true });
  const file = path.join(reportsDir, `summary-${summary.date}.json`);
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(temporary, JSON.stringify(summary, null, 2) + '\n');
  await fs.promises.rename(temporary, file);
  return file;
}
