/**
 * The cleaning of an import alone, in one thread, without the database: a generated file's rows are read
 * into memory, then cleaned block by block into `record` COPY text, as the import's cleaning worker does.
 * Prints the CPU microseconds per row of the best of five rounds, and a digest of the text and of the
 * summary (counts, finding kinds), the same whenever the cleaning's output is.
 *
 *   node --max-semi-space-size=64 --import tsx scripts/bench-clean.ts /tmp/imp/records.csv
 */
import crypto from 'node:crypto';
import { readCsvRows } from '../connectors/sources/csv.js';
import { mapColumns } from '../src/ingest/fields.js';
import { RowCleaner, type DataRow } from '../src/ingest/row-cleaner.js';

const file = process.argv[2];
if (!file) throw new Error('usage: bench-clean.ts FILE');
const rows: DataRow[] = [];
let mapping = mapColumns([]);
for await (const row of readCsvRows(file)) {
  if (row.rowNumber === 1) mapping = mapColumns(row.cells);
  else rows.push([row.rowNumber, row.cells]);
}
const BLOCK = 2000;
let best = Infinity;
for (let round = 0; round < 5; round++) {
  const cleaner = new RowCleaner({ batchId: 1, columns: mapping.columns, today: '2026-12-03' });
  const hash = crypto.createHash('sha256');
  const cpu = process.cpuUsage();
  for (let i = 0; i < rows.length; i += BLOCK) hash.update(cleaner.cleanBlock(rows.slice(i, i + BLOCK)));
  const spent = process.cpuUsage(cpu);
  const perRow = (spent.user + spent.system) / rows.length;
  best = Math.min(best, perRow);
  if (round === 4) {
    hash.update(JSON.stringify(cleaner.summary()));
    console.log(`${rows.length} rows; best ${best.toFixed(2)} µs/row (last ${perRow.toFixed(2)}); digest ${hash.digest('hex').slice(0, 16)}`);
  }
}
