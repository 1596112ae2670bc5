/**
 * The day's report (src/report/daily.ts) written by the serving process at `config.dailyReportAt` in
 * `config.timezone` (directives ask for it by 16:00 in one province, 18:00 in another), into
 * `config.reportsDir` as `bao-cao-ngay-YYYY-MM-DD.csv` and `.html`: the day it is in that zone, per commune
 * and site, on the map in force that day. Each file appears whole or not at all.
 *
 * A plain timer, not a cron job: one wall-clock time a day. The clock is injected so that a test can move
 * time itself. The next firing is computed from the zone's wall clock each time, so it stays on the hour
 * (Vietnam has no daylight saving; a zone that has it may fire an hour off on the two change days).
 */
import fs from 'node:fs';
import path from 'node:path';
import { today, type Config } from '../config.js';
import type { Database } from '../db/database.js';
import { documentReport } from '../report/documents.js';
import { documentCsv, documentHtml } from '../report/format.js';

export interface Clock {
  now(): Date;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => new Date(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface DailyReportTimer {
  stop(): Promise<void>;
}

/** The wall-clock time in `timeZone` of an instant, as if it were UTC (for differences in ms). */
function wallClock(timeZone: string, at: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) + (at.getTime() % 1000);
}

/** Milliseconds from `now` to the next `HH:MM` in `timeZone` (a full day when it is that minute exactly). */
export function msUntil(hhmm: string, timeZone: string, now: Date): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const wall = wallClock(timeZone, now);
  const day = new Date(wall);
  let target = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), h, m);
  if (target <= wall) target += 86_400_000;
  return target - wall;
}

/** Writes the day's report; answers the files written. */
export async function writeDailyReport(database: Database, config: Config, date: string): Promise<string[]> {
  const doc = await documentReport(database, 'daily', { date, timeZone: config.timezone, liveDays: config.liveDays });
  await fs.promises.mkdir(config.reportsDir, { recursive: true });
  const files: string[] = [];
  for (const [extension, body] of [['csv', documentCsv(doc)], ['html', documentHtml(doc, { unit: config.reportUnit })]] as const) {
    const file = path.join(config.reportsDir, `bao-cao-ngay-${date}.${extension}`);
    const temporary = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(temporary, body);
    await fs.promises.rename(temporary, file);
    files.push(file);
  }
  return files;
}

export function startDailyReportTimer(database: Database, config: Config, log: (line: string) => void, clock: Clock = SYSTEM_CLOCK): DailyReportTimer {
  let handle: unknown = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    handle = clock.setTimeout(fire, msUntil(config.dailyReportAt, config.timezone, clock.now()));
  };
  function fire(): void {
    const date = today(config, clock.now());
    running = writeDailyReport(database, config, date)
      .then((files) => log(`daily report ${date}: ${files.map((f) => path.basename(f)).join(', ')} in ${config.reportsDir}`))
      .catch((error: unknown) => log(`daily report ${date}: could not write it: ${(error as Error).message}`))
      .finally(() => {
        running = null;
        arm();
      });
  }
  arm();
  return {
    async stop() {
      stopped = true;
      if (handle !== null) clock.clearTimeout(handle);
      await running;
    },
  };
}
