/**
 * The full link of `npm run bench` against a province kept between runs, to iterate on the link's speed
 * without generating and importing a million rows (~2 min of both cores) each time.
 *
 *   node --max-semi-space-size=64 --heap-growing-percent=25 --import tsx scripts/bench-link.ts
 *                                              build schema bench_link once (import only), then time a full link
 *   BENCH_SCHEMA=… BENCH_ROWS=… DATABASE_URL=…    as for `npm run bench`
 *   node --import tsx scripts/bench-link.ts --drop    drop the kept schema
 *
 * A full link rewrites every person, so runs can follow one another on the same data. Each step's seconds
 * are printed as it ends with the CPU seconds this process spent in it (which, unlike the wall-clock time,
 * depend little on the other work of a shared machine), and at the end the totals and the peak RSS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { importFile } from '../src/ingest/import.js';
import { linkAll } from '../src/link/link.js';
import { writeSynthFiles } from '../src/synth/generate.js';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = process.env.BENCH_SCHEMA ?? 'bench_link';
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);

if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`BENCH_SCHEMA must be a plain identifier, not ${schema}`);

if (process.argv.includes('--drop')) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
} else {
  const database = await openDatabase({ url, schema });
  try {
    const [imported] = await database.withTransaction((tx) => tx.query<{ n: string }>('select count(*) as n from raw_row'));
    if (Number(imported?.n ?? 0) === 0) {
      // The same file as `npm run bench` (seed 42, about 4.2 rows per person).
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaxsync-bench-link-'));
      try {
        const files = await writeSynthFiles({ persons: Math.ceil(rows / 4.2), seed: 42, dir });
        await importFile(database, files.records, { source: 'bench', today: '2026-12-02' });
        console.log(`imported ${files.rows.toLocaleString('en')} rows into ${schema}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    let peak = process.memoryUsage().rss;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const cpu = process.cpuUsage();
    const started = performance.now();
    // The matcher's steps are heard as they end, then the whole `match` step: CPU since the last step heard.
    let stepCpu = process.cpuUsage();
    const onStep = (step: string, seconds: number) => {
      const used = process.cpuUsage(stepCpu);
      stepCpu = process.cpuUsage();
      console.log(`  ${step} ${seconds.toFixed(1)} s${step === 'match' ? '' : `, CPU ${((used.user + used.system) / 1e6).toFixed(1)} s`}`);
    };
    const link = await linkAll(database, {}, { full: true, onStep });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(timer);
    const used = process.cpuUsage(cpu);
    console.log(
      `link (full): ${link.records.toLocaleString('en')} records → ${link.persons.toLocaleString('en')} people, ` +
        `${link.doses.toLocaleString('en')} doses, ${link.pairsCompared.toLocaleString('en')} pairs in ${seconds.toFixed(1)} s; ` +
        `CPU node ${((used.user + used.system) / 1e6).toFixed(1)} s; peak RSS ${Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20)} MiB`,
    );
  } finally {
    await database.close();
  }
}
