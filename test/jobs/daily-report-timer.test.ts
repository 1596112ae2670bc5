/**
 * The service writes the day's report at the configured hour in the configured zone: a fake clock moves
 * time, nothing is written before 16:00 in Vietnam, the report of that day is written at 16:00, and the
 * next one is set for 16:00 the day after.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msUntil, startDailyReportTimer, type Clock } from '../../src/jobs/daily-report-timer.js';
import { DAILY_ROWS, DAY } from '../report/daily-history.js';
import { loadHistory } from '../report/histories.js';
import { openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { jobConfig } from './fixtures.js';

/** A clock whose time moves only when told; timers fire when time passes them. */
class FakeClock implements Clock {
  #now: number;
  #timers: { at: number; callback: () => void; id: number }[] = [];
  #next = 1;
  constructor(start: string) {
    this.#now = Date.parse(start);
  }
  now(): Date {
    return new Date(this.#now);
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.push({ at: this.#now + ms, callback, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }
  /** The instants timers are set for, earliest first. */
  pending(): string[] {
    return this.#timers.map((t) => new Date(t.at).toISOString()).sort();
  }
  advanceTo(instant: string): void {
    this.#now = Date.parse(instant);
    const due = this.#timers.filter((t) => t.at <= this.#now);
    this.#timers = this.#timers.filter((t) => t.at > this.#now);
    for (const t of due) t.callback();
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the daily report timer', () => {
  let t: TestDatabase;
  const dir = tempDir();
  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    await loadHistory(t.database, dir, DAILY_ROWS, '2024-01-10');
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('computes the wait to the hour in the zone', () => {
    // 08:59:30 UTC is 15:59:30 in Vietnam (UTC+7)
    expect(msUntil('16:00', 'Asia/Ho_Chi_Minh', new Date('2023-12-05T08:59:30Z'))).toBe(30_000);
    expect(msUntil('16:00', 'Asia/Ho_Chi_Minh', new Date('2023-12-05T09:00:00Z'))).toBe(86_400_000);
    // 03:00 in Vietnam: fifteen hours to 18:00
    expect(msUntil('18:00', 'Asia/Ho_Chi_Minh', new Date('2023-12-04T20:00:00Z'))).toBe(15 * 3_600_000);
  });

  it('writes the day\'s report at 16:00 Asia/Ho_Chi_Minh, and only then', async () => {
    const reportsDir = path.join(dir, 'reports');
    const config = jobConfig(dir, { VAXSYNC_REPORTS_DIR: reportsDir });
    expect(config.dailyReportAt).toBe('16:00');
    const clock = new FakeClock('2023-12-05T01:00:00Z'); // 08:00 in Vietnam
    const lines: string[] = [];
    const timer = startDailyReportTimer(t.database, config, (l) => lines.push(l), clock);
    try {
      expect(clock.pending()).toEqual(['2023-12-05T09:00:00.000Z']);
      clock.advanceTo('2023-12-05T08:59:59Z');
      expect(fs.existsSync(reportsDir)).toBe(false);
      clock.advanceTo('2023-12-05T09:00:00Z');
      const csv = path.join(reportsDir, `bao-cao-ngay-${DAY}.csv`);
      await waitFor(() => lines.length > 0);
      expect(lines[0]).toMatch(/daily report 2023-12-05: bao-cao-ngay-2023-12-05.csv, bao-cao-ngay-2023-12-05.html/);
      const text = fs.readFileSync(csv, 'utf8');
      expect(text.startsWith('\ufeffBáo cáo tiêm chủng ngày 05/12/2023')).toBe(true);
      expect(text).toMatch(/Số mũi tiêm trong ngày và cộng dồn/);
      expect(fs.readFileSync(path.join(reportsDir, `bao-cao-ngay-${DAY}.html`), 'utf8')).toMatch(/<h1>Báo cáo tiêm chủng ngày 05\/12\/2023<\/h1>/);
      // and again the next day at 16:00
      await waitFor(() => clock.pending().length === 1);
      expect(clock.pending()).toEqual(['2023-12-06T09:00:00.000Z']);
    } finally {
      await timer.stop();
    }
    expect(clock.pending()).toEqual([]);
  });
});
