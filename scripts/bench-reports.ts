/**
 * The reports bench (bench/reports.ts) against a province kept between runs, to iterate on a report's speed
 * without re-importing and re-linking a million rows (~2.5 min of both cores) each time.
 *
 *   node --import tsx scripts/bench-reports.ts                  build schema bench_reports once, time every report
 *   node --import tsx scripts/bench-reports.ts daily coverage   time the reports whose label holds a word
 *   BENCH_SCHEMA=… BENCH_ROWS=… DATABASE_URL=…                  as for `npm run bench`
 *   node --import tsx scripts/bench-reports.ts --drop           drop the kept schema
 *
 * The schema is migrated on open, so a new migration applies to the kept data too.
 *
 * On a shared machine the wall-clock time depends on the other work; each line also gives the CPU seconds
 * this process and its PostgreSQL backends spent (read from /proc: the server must run on this machine;
 * parallel workers, which end with their query, are not counted), which do not.
 */
import pg from 'pg';
import { inKeptSchema } from '../bench/kept-schema.js';
import { cpuSecondsOf } from '../bench/process-cpu.js';
import { buildReportsDatabase, timeReports } from '../bench/reports.js';

const APPLICATION = 'vaxsync-bench-reports';
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const url = `${base}${base.includes('?') ? '&' : '?'}application_name=${APPLICATION}`;
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const args = process.argv.slice(2);

/** CPU seconds (user + system) of each PostgreSQL backend serving this script, from /proc/PID/stat. */
async function backendSeconds(): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [APPLICATION]);
  await client.end();
  const seconds = new Map<number, number>();
  for (const { pid } of rows) {
    const spent = cpuSecondsOf(`/proc/${pid}/stat`); // null: the backend ended meanwhile
    if (spent !== null) seconds.set(pid, spent.seconds);
  }
  return seconds;
}

await inKeptSchema({
  url,
  schema: process.env.BENCH_SCHEMA ?? 'bench_reports',
  args,
  built: async (database) => {
    const [built] = await database.withTransaction((tx) => tx.query<{ n: string }>('select count(*) as n from person'));
    return Number(built?.n ?? 0) > 0;
  },
  build: (database, dir) => buildReportsDatabase(database, dir, rows),
  use: async (database) => {
    await timeReports(database, args, async () => {
      const node = process.cpuUsage();
      const before = await backendSeconds();
      // Sampled while the report runs: the pool ends a connection idle for 10 s, and its CPU with it.
      const last = new Map(before);
      const sample = async () => {
        for (const [pid, seconds] of await backendSeconds()) last.set(pid, seconds);
      };
      const timer = setInterval(() => void sample(), 1000);
      return async () => {
        clearInterval(timer);
        await sample();
        let pg = 0;
        for (const [pid, seconds] of last) pg += seconds - (before.get(pid) ?? 0);
        const used = process.cpuUsage(node);
        return `CPU node ${((used.user + used.system) / 1e6).toFixed(2)} s + PostgreSQL ${pg.toFixed(2)} s`;
      };
    });
  },
});
