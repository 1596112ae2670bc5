/**
 * The import alone, on a generated file, into a fresh schema of the bench database: rows per second and the
 * CPU it cost (the process with its cleaning worker and GC threads), and optionally a digest of everything it
 * wrote, to check that a change to the import pipeline writes exactly the same rows.
 *
 *   npx vaxsync synth --persons 70000 --seed 42 --out /tmp/imp      # ≈ 300,000 rows
 *   DATABASE_URL=postgres://… node --max-semi-space-size=64 --heap-growing-percent=25 --expose-gc --import tsx \
 *     scripts/bench-import.ts /tmp/imp/records.csv [--digest]
 *
 * It prints the rows per second; the CPU of the process (process.cpuUsage(): every thread); the CPU of each
 * of its threads (Linux /proc: `main`, the cleaning worker as the busiest other `node` thread, V8's GC helper
 * threads as the `node` threads of about equal share); and the CPU of the database's server backends, which
 * on a small machine share its cores with the import. CPU figures hold up on a busy machine better than the
 * rows per second. `today` is fixed (2026-12-03) so that the digest does not change with the date. With
 * --digest it prints a SHA-256 of raw_row, record (every column, ordered by batch and row), field_stat and
 * finding_kind.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { importFile } from '../src/ingest/import.js';
import { inScratchSchema } from '../bench/kept-schema.js';
import { cpuSecondsOf } from '../bench/process-cpu.js';

const file = process.argv[2];
if (!file) throw new Error('usage: bench-import.ts FILE [--digest]');
const digest = process.argv.includes('--digest');
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * CPU seconds spent so far by the server's backends of the bench database (Linux: their process titles name
 * it): the server shares the machine's cores with the import, so its COPY work counts too.
 */
function serverCpuSeconds(): Map<number, number> {
  const database = new URL(url).pathname.slice(1);
  const spent = new Map<number, number>();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    if (!cmdline.includes(` ${database} `)) continue;
    const cpu = cpuSecondsOf(`/proc/${pid}/stat`);
    if (cpu !== null) spent.set(Number(pid), cpu.seconds);
  }
  return spent;
}

/** CPU seconds of each thread of this process (Linux), sampled until the end: the worker's ends with the import. */
const threads = new Map<string, { name: string; seconds: number }>();
function sampleThreads(): void {
  for (const tid of fs.readdirSync('/proc/self/task')) {
    const thread = cpuSecondsOf(`/proc/self/task/${tid}/stat`); // null: ended meanwhile
    if (thread !== null) threads.set(tid, thread);
  }
}

await inScratchSchema(url, 'bench_import', async (database, _dir, schema) => {
  sampleThreads();
  const threadsBefore = new Map([...threads].map(([tid, t]) => [tid, t.seconds]));
  const sampler = setInterval(sampleThreads, 50);
  const serverBefore = serverCpuSeconds();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const summary = await importFile(database, file, { source: 'bench', today: '2026-12-03' });
  const seconds = (performance.now() - started) / 1000;
  const spent = process.cpuUsage(cpu);
  clearInterval(sampler);
  sampleThreads();
  const cpuSeconds = (spent.user + spent.system) / 1e6;
  let serverSeconds = 0;
  for (const [pid, total] of serverCpuSeconds()) serverSeconds += total - (serverBefore.get(pid) ?? 0);
  console.log(
    `${summary.rows.toLocaleString('en')} rows in ${seconds.toFixed(2)} s = ${Math.round(summary.rows / seconds).toLocaleString('en')} rows/s; ` +
      `CPU ${cpuSeconds.toFixed(2)} s (user ${(spent.user / 1e6).toFixed(2)}, system ${(spent.system / 1e6).toFixed(2)}) = ` +
      `${((cpuSeconds * 1e6) / summary.rows).toFixed(1)} µs/row; server backends ${serverSeconds.toFixed(2)} s CPU = ` +
      `${((serverSeconds * 1e6) / summary.rows).toFixed(1)} µs/row; ${summary.quarantined} quarantined`,
  );
  // The main thread is the process's first; the cleaning worker the busiest of the others.
  const perThread = [...threads]
    .map(([tid, t]) => ({ tid, name: t.name, seconds: t.seconds - (threadsBefore.get(tid) ?? 0) }))
    .filter((t) => t.seconds > 0)
    .sort((a, b) => b.seconds - a.seconds)
    .map((t) => `${t.tid === String(process.pid) ? 'main' : t.name} ${((t.seconds * 1e6) / summary.rows).toFixed(1)}`);
  console.log(`CPU µs/row per thread: ${perThread.join(', ')}`);
  if (!digest) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables: [string, string][] = [
      ['raw_row', 'order by batch_id, row_number'],
      ['record', 'order by batch_id, row_number'],
      ['field_stat', 'order by batch_id, field'],
      ['finding_kind', 'order by code'],
    ];
    for (const [table, order] of tables) {
      const hash = crypto.createHash('sha256');
      // The text of every column of every row, as PostgreSQL writes it, in a stable order, a chunk at a time.
      const n = (await client.query<{ n: string }>(`select count(*) as n from ${schema}.${table}`)).rows[0]!.n;
      const chunk = 50_000;
      for (let offset = 0; offset < Number(n); offset += chunk) {
        const { rows } = await client.query<{ t: string }>(`select t::text as t from ${schema}.${table} t ${order} limit ${chunk} offset ${offset}`);
        for (const row of rows) hash.update(row.t + '\n');
      }
      console.log(`${table}: ${n} rows, sha256 ${hash.digest('hex')}`);
    }
  } finally {
    await client.end();
  }
});
