/**
 * `npm run bench`: throughput figures on real-sized data, printed, never asserted.
 *
 * import+clean: a generated file of BENCH_ROWS rows (default 1,000,000) imported into PostgreSQL
 * (DATABASE_URL, or the local test database) in a schema of its own, dropped afterwards.
 * link: the dedupe link stage on those rows, then an incremental link of a new ~10,000-row file
 * (BENCH_INCREMENT_ROWS; BENCH_LOAD_ALL=1 to link it loading every record, as before link_key;
 * BENCH_SKIP_LINK=1 to skip both).
 * reconcile: 1,000,000 people (BENCH_PEOPLE) against a 1,000,000-row registry extract (bench/reconcile.ts).
 * push: 100,000 generated people (BENCH_PUSH_PERSONS) pushed to the platform simulator at 20 ms latency.
 * reports: every report kind on BENCH_ROWS generated rows, imported and linked (bench/reports.ts).
 * BENCH_ONLY=import, reconcile, push or reports runs one part.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../src/db/database.js';
import { linkAll, type LinkSummary } from '../src/link/link.js';
import { importFile } from '../src/ingest/import.js';
import { loadConfig, today } from '../src/config.js';
import { writeSynthFiles } from '../src/synth/generate.js';
import { inScratchSchema } from './kept-schema.js';
import { peakMemory } from './memory.js';
import { benchPush } from './push.js';
import { benchReconcile } from './reconcile.js';
import { benchReports } from './reports.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const targetRows = Number(process.env.BENCH_ROWS ?? 1_000_000);
/** Rows of the nightly increment (about); BENCH_LOAD_ALL=1 links it loading every record, as before link_key. */
const incrementPersons = process.env.BENCH_INCREMENT_ROWS === undefined ? 2_400 : Math.ceil(Number(process.env.BENCH_INCREMENT_ROWS) / 4.2);

async function benchImport(database: Database, dir: string): Promise<void> {
  // The generator makes about 4.2 rows per person (doses reported by several sources); ask for enough
  // people, then report the real count.
  let started = performance.now();
  const files = await writeSynthFiles({ persons: Math.ceil(targetRows / 4.2), seed: 42, dir });
  const megabytes = fs.statSync(files.records).size / 2 ** 20;
  console.log(`generated ${files.rows.toLocaleString('en')} rows (${megabytes.toFixed(0)} MiB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const memory = peakMemory();
  started = performance.now();
  const summary = await importFile(database, files.records, { source: 'bench', today: today(loadConfig()) });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `import+clean on PostgreSQL: ${summary.rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s = ` +
      `${Math.round(summary.rows / seconds).toLocaleString('en')} rows/s, peak RSS ${memory()} MiB, ${summary.quarantined} quarantined`,
  );
  if (process.env.BENCH_SKIP_LINK !== '1') await benchLink(database, dir);
}

/**
 * dedupe's link stage on what the import loaded (a full run: the first), then two nightly increments: each a
 * new station file of ~10,000 rows linked against the million already known.
 */
async function benchLink(database: Database, dir: string): Promise<void> {
  const report = (label: string, link: LinkSummary, seconds: number, peak: number) => {
    const stages = Object.entries(link.seconds)
      .map(([stage, s]) => `${stage} ${s.toFixed(1)}`)
      .join(', ');
    console.log(
      `${label} on PostgreSQL: ${link.changed.toLocaleString('en')} of ${link.records.toLocaleString('en')} records linked → ` +
        `${link.persons.toLocaleString('en')} people, ${link.doses.toLocaleString('en')} doses in ${seconds.toFixed(1)} s; ` +
        `${link.pairsCompared.toLocaleString('en')} pairs compared; peak RSS ${peak} MiB\n  seconds per stage: ${stages}`,
    );
  };
  let memory = peakMemory();
  let started = performance.now();
  const full = await linkAll(database);
  report('link (full)', full, (performance.now() - started) / 1000, memory());

  // Two nights: the first after a full run reads every record and writes link_key; the next reads the
  // blocks of what changed (src/link/scope.ts).
  const nights = [
    ['link (incremental, first after the full run: writes link_key)', 43],
    ['link (incremental)', 44],
  ] as const;
  for (const [label, seed] of nights) {
    const increment = await writeSynthFiles({ persons: incrementPersons, seed, dir: path.join(dir, `increment-${seed}`) });
    await importFile(database, increment.records, { source: `bench-increment-${seed}`, today: today(loadConfig()) });
    memory = peakMemory();
    started = performance.now();
    const next = await linkAll(database, {}, { loadAll: process.env.BENCH_LOAD_ALL === '1' });
    report(label, next, (performance.now() - started) / 1000, memory());
    const [run] = await database.withTransaction((tx) => tx.query<{ loaded: string }>(`select details->>'loaded' as loaded from link_run where id = $1`, [next.runId]));
    console.log(`  records read: ${Number(run?.loaded).toLocaleString('en')}`);
  }
}

const only = process.env.BENCH_ONLY; // 'import' (with link), 'reconcile', 'push' or 'reports'

if (!only || only === 'import') await inScratchSchema(url, 'bench', benchImport);
if (!only || only === 'reconcile') {
  await inScratchSchema(url, 'bench', (database, dir) =>
    benchReconcile(database, dir, Number(process.env.BENCH_PEOPLE ?? 1_000_000)),
  );
}
if (!only || only === 'push') {
  await inScratchSchema(url, 'bench', (database, dir) =>
    benchPush(database, dir, Number(process.env.BENCH_PUSH_PERSONS ?? 100_000)),
  );
}
if (!only || only === 'reports') {
  await inScratchSchema(url, 'bench', (database, dir) => benchReports(database, dir, targetRows));
}
