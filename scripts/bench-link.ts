/**
 * The full link of `npm run bench` (or a nightly one, --increment) against a province kept between runs, to iterate on the link's speed
 * without generating and importing a million rows (~2 min of both cores) each time.
 *
 *   node --max-semi-space-size=64 --heap-growing-percent=25 --expose-gc --import tsx scripts/bench-link.ts
 *                                              build schema bench_link once (import only), then time a full link
 *   BENCH_SCHEMA=… BENCH_ROWS=… DATABASE_URL=…    as for `npm run bench`
 *   node --import tsx scripts/bench-link.ts --drop    drop the kept schema
 *   … scripts/bench-link.ts --increment           a nightly run instead: a new file of BENCH_INCREMENT_ROWS
 *                                                 rows (default 50,000) imported, then an incremental link
 *
 * With --increment the kept schema grows by each increment for good (a later full run there links more than
 * BENCH_ROWS). Each increment is a new generated population (a fresh seed): new people, not known people's
 * new doses.
 * A full link writes link_key beside its matching, in a worker thread (its steps are printed after the
 * run's); when it could not, the first nightly run after it first writes link_key from every linked record, a
 * slice at a time (steps `keys.write` to `keys.blocks`); BENCH_KEYS_BESIDE=0 makes a full link leave them so.
 * Every night then reads only the blocks of what
 * changed: the issue's "incremental link of 50,000 rows against the 10M". It prints the records it read.
 * BENCH_STALE_KEYS=1 marks the last run's keys stale before the night, so that it writes them again: to time
 * that again on the same schema. BENCH_LOAD_ALL=1 makes a night read every record, the way before link_key
 * (its keys are written beside it, as a full link's, unless BENCH_KEYS_BESIDE=0 too).
 *
 * A full link rewrites every person, so runs can follow one another on the same data. Each step's seconds
 * are printed as it ends with the CPU seconds this process spent in it (which, unlike the wall-clock time,
 * depend little on the other work of a shared machine), and at the end the totals and the peak RSS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inKeptSchema } from '../bench/kept-schema.js';
import { peakMemory } from '../bench/memory.js';
import { importFile } from '../src/ingest/import.js';
import type { Database } from '../src/db/database.js';
import { linkAll } from '../src/link/link.js';
import { writeSynthFiles } from '../src/synth/generate.js';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const increment = process.argv.includes('--increment');

/** A new station file of about BENCH_INCREMENT_ROWS rows, its seed one not used yet in this schema. */
async function importIncrement(database: Database): Promise<void> {
  const [batches] = await database.withTransaction((tx) => tx.query<{ n: number }>('select count(*)::int as n from batch'));
  const seed = 1000 + batches!.n;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaxsync-increment-'));
  try {
    const persons = Math.ceil(Number(process.env.BENCH_INCREMENT_ROWS ?? 50_000) / 4.2);
    const files = await writeSynthFiles({ persons, seed, dir });
    await importFile(database, files.records, { source: `bench-increment-${seed}`, today: '2026-12-02' });
    console.log(`imported an increment of ${files.rows.toLocaleString('en')} rows (seed ${seed})`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await inKeptSchema({
  url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  schema: process.env.BENCH_SCHEMA ?? 'bench_link',
  args: process.argv.slice(2).filter((a) => a !== '--increment'),
  built: async (database) => {
    const [imported] = await database.withTransaction((tx) => tx.query<{ n: string }>('select count(*) as n from raw_row'));
    return Number(imported?.n ?? 0) > 0;
  },
  build: async (database, dir) => {
    // The same file as `npm run bench` (seed 42, about 4.2 rows per person).
    const files = await writeSynthFiles({ persons: Math.ceil(rows / 4.2), seed: 42, dir });
    await importFile(database, files.records, { source: 'bench', today: '2026-12-02' });
    console.log(`imported ${files.rows.toLocaleString('en')} rows`);
  },
  use: async (database) => {
    if (increment) await importIncrement(database);
    if (process.env.BENCH_STALE_KEYS === '1') {
      await database.withTransaction((tx) => tx.query(`update link_run set details = details - 'keyed' where id = (select max(id) from link_run)`));
    }
    const memory = peakMemory();
    const cpu = process.cpuUsage();
    const started = performance.now();
    // The matcher's steps are heard as they end, then the whole `match` step: CPU since the last step heard,
    // its peak since then (the rows' columns read back from their spill: LoadedRecords.parkedWhile).
    let stepCpu = process.cpuUsage();
    const onStep = (step: string, seconds: number) => {
      const used = process.cpuUsage(stepCpu);
      stepCpu = process.cpuUsage();
      // Memory as the step ends (heap: V8's live objects and the heap it holds for them, which garbage not
      // yet collected fills; arrays: typed arrays, outside it) and its peak within the step: where a
      // province's link would run out.
      const m = process.memoryUsage();
      const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
      console.log(
        `  ${step} ${seconds.toFixed(1)} s${step === 'match' ? '' : `, CPU ${((used.user + used.system) / 1e6).toFixed(1)} s`}; ` +
          `RSS ${mib(m.rss)} MiB (heap ${mib(m.heapUsed)} of ${mib(m.heapTotal)}, arrays ${mib(m.arrayBuffers)}), ${step === 'match' ? 'peak after its last step' : 'peak'} ${memory.step()} MiB`,
      );
    };
    // BENCH_KEYS_BESIDE=0: a full link leaves link_key to the first night, as PGlite's does (to time the worker's cost).
    const beside = process.env.BENCH_KEYS_BESIDE === '0' ? { backgroundKeysFrom: Infinity } : {};
    const link = await linkAll(database, {}, { full: !increment, loadAll: process.env.BENCH_LOAD_ALL === '1', onStep, ...beside });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const [run] = await database.withTransaction((tx) => tx.query<{ loaded: string }>(`select details->>'loaded' as loaded from link_run where id = $1`, [link.runId]));
    console.log(
      `link (${link.mode}): ${link.changed.toLocaleString('en')} changed, ${Number(run?.loaded).toLocaleString('en')} read of ` +
        `${link.records.toLocaleString('en')} records → ${link.persons.toLocaleString('en')} people, ` +
        `${link.doses.toLocaleString('en')} doses, ${link.pairsCompared.toLocaleString('en')} pairs in ${seconds.toFixed(1)} s; ` +
        `CPU node ${((used.user + used.system) / 1e6).toFixed(1)} s; peak RSS ${memory()} MiB`,
    );
    // Written by a worker thread beside the run (its CPU is in the process's above), overlapping its steps.
    if (link.keysBeside) console.log(`link_key written beside it: ${Object.entries(link.keysBeside).map(([step, s]) => `${step} ${s.toFixed(1)} s`).join(', ')}`);
    for (const warning of link.warnings.filter((w) => w.startsWith('link_key'))) console.log(`warning: ${warning}`);
  },
});
