/**
 * Blocking alone, on the records of a schema scripts/bench-link.ts has built and kept: to measure a change to
 * blocking (its time, its memory, and that it proposes the same pairs) without a whole link around it.
 *
 *   node --max-semi-space-size=64 --heap-growing-percent=25 --expose-gc --import tsx scripts/bench-blocking.ts
 *   BENCH_SCHEMA=… DATABASE_URL=… BENCH_RUNS=…    the kept schema (default bench_link), runs in this process (default 1)
 *
 * Loads every record as a full link does, then runs the default blocking rules with the default settings and
 * prints, each run, its seconds, the pairs, a checksum of the pairs in their order with their agree bits
 * (equal before and after a change that should propose the same pairs), the RSS before it and the process's
 * peak so far. Run the two versions alternately, each in a process of its own: the machines' speed drifts.
 */
import { blockPairs, DEFAULT_BLOCKING_RULES } from '../matchers/blocking.js';
import { DEFAULT_SETTINGS } from '../matchers/engine.js';
import { openDatabase } from '../src/db/database.js';
import { loadRecords } from '../src/link/rows.js';
import { peakMemory } from '../bench/memory.js';

const schema = process.env.BENCH_SCHEMA ?? 'bench_link';
const database = await openDatabase({ url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', schema });
try {
  await database.withTransaction(async (tx) => {
    const records = (await loadRecords(tx)).matchable;
    if (records.length === 0) throw new Error(`schema ${schema} holds no records: build it with scripts/bench-link.ts first`);
    const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
    for (let run = 0; run < Number(process.env.BENCH_RUNS ?? 1); run++) {
      global.gc?.();
      const before = process.memoryUsage.rss();
      const memory = peakMemory();
      const started = performance.now();
      let checksum = 0;
      const summary = blockPairs(
        records,
        DEFAULT_BLOCKING_RULES,
        { maxBlockSize: DEFAULT_SETTINGS.maxBlockSize, splitBlockSize: DEFAULT_SETTINGS.splitBlockSize },
        (chunk) => {
          for (let p = 0; p < chunk.count; p++) checksum = (Math.imul(checksum, 31) + chunk.left[p]! * 7 + chunk.right[p]! * 13 + chunk.agree[p]!) | 0;
        },
      );
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `blocking ${records.length.toLocaleString('en')} records: ${seconds.toFixed(2)} s, ${summary.count.toLocaleString('en')} pairs ` +
          `(checksum ${checksum}), ${summary.blocks.toLocaleString('en')} blocks; RSS ${mib(before)} MiB before, peak ${memory()} MiB`,
      );
    }
  });
} finally {
  await database.close();
}
