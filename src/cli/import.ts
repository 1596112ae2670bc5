/** `vaxsync import FILE…`: store, clean and report on station files. */
import os from 'node:os';
import type { Database } from '../db/database.js';
import { findRepeatedInput } from '../ingest/batches.js';
import { importFile, type ImportSummary } from '../ingest/import.js';
import { recoverInterruptedImports } from '../ingest/recovery.js';

export interface ImportCommandOptions {
  readonly source?: string;
  readonly station?: string;
  /** Today's date (yyyy-mm-dd) for the "in the future" checks: `today(config)`. */
  readonly today: string;
}

export async function importFiles(
  database: Database,
  files: readonly string[],
  options: ImportCommandOptions,
  log: (line: string) => void,
): Promise<ImportSummary[]> {
  const summaries: ImportSummary[] = [];
  const recovered = await recoverInterruptedImports(database);
  if (recovered.failedBatches.length > 0) log(`batches ${recovered.failedBatches.join(', ')}: interrupted imports of a stopped process, now failed (raw rows kept)`);
  for (const file of files) {
    const started = performance.now();
    const summary = await importFile(database, file, {
      source: options.source,
      station: options.station,
      uploadedBy: cliUser(),
      today: options.today,
      onProgress: process.stderr.isTTY ? (rows) => process.stderr.write(`\r  ${rows.toLocaleString('en')} rows…`) : undefined,
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    const seconds = (performance.now() - started) / 1000;
    log(
      `batch ${summary.batchId}: ${summary.file} (${summary.format}) loaded: ${summary.rows} rows, ` +
        `${summary.quarantined} quarantined, ${seconds.toFixed(1)} s (${Math.round(summary.rows / seconds)} rows/s)`,
    );
    if (summary.corrections > 0) log(`  ${summary.corrections} rows replace earlier rows of the same ${options.station ? 'station' : 'source'} with the same record_id`);
    if (summary.ignoredColumns.length > 0) log(`  columns kept raw but not used: ${summary.ignoredColumns.join(', ')}`);
    const repeated = await findRepeatedInput(database, summary.batchId);
    if (repeated?.sameFile) log(`  warning: the same file was loaded before, as batch ${repeated.sameFile.batchId}`);
    if (repeated && repeated.repeatedRows > 0) log(`  warning: ${repeated.repeatedRows} rows repeat, cell for cell, rows of the station's batches ${repeated.earlierBatches.join(', ')}`);
    summaries.push(summary);
  }
  return summaries;
}

/** Who ran the import, as a batch records it: the operating-system user (no personal data of a citizen). */
function cliUser(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return 'cli';
  }
}
