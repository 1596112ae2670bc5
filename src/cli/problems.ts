/**
 * `vaxsync problems [--batch ID] [--out FILE.csv] [--include-fixes] [--marked-up FILE.xlsx]`: per field, how many values were clean,
 * fixed, flagged, invalid or missing, the most frequent problems, and optionally the row-level problems as a
 * CSV for the stations to correct. Not to be confused with `vaxsync report quality` (đúng / đủ / sạch / sống
 * per commune, for the working groups). `--marked-up` (with `--batch`) writes the station's own file with the
 * problem cells coloured and commented in Vietnamese (src/report/marked-up.ts), to send back to the station.
 */
import fs from 'node:fs';
import { writeFileFromStream } from './out-file.js';
import type { Database } from '../db/database.js';
import { VaxsyncError } from '../base/errors.js';
import { markedUpBatch } from '../report/marked-up.js';
import { fieldQuality, formatFieldQuality, problemCounts, writeProblemsCsv } from '../report/quality.js';

export interface ProblemsCliOptions {
  readonly batch?: number;
  readonly out?: string;
  readonly includeFixes?: boolean;
  readonly markedUp?: string;
}

/** The former name of the command, kept hidden for scripts written against it; it prints this once. */
export const QUALITY_COMMAND_NOTICE =
  'vaxsync: "vaxsync quality" is now "vaxsync problems" (the old name will be removed; đúng/đủ/sạch/sống is "vaxsync report quality")';

export async function runProblems(db: Database, opts: ProblemsCliOptions, log: (line: string) => void): Promise<void> {
  if (opts.markedUp !== undefined && opts.batch === undefined) throw new VaxsyncError('cli.usage', '--marked-up needs --batch ID: the file marked up is one batch');
  const scope = { batchId: opts.batch, includeFixes: opts.includeFixes ?? false };
  log(formatFieldQuality(await fieldQuality(db, scope)));
  const counts = (await problemCounts(db, scope)).filter((c) => c.severity !== 'fix').slice(0, 15);
  if (counts.length > 0) {
    log('\nmost frequent problems:');
    for (const c of counts) log(`  ${String(c.rows).padStart(8)}  ${c.severity.padEnd(7)}  ${c.code}`);
  }
  if (opts.out) {
    const out = fs.createWriteStream(opts.out);
    await writeProblemsCsv(db, out, scope);
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    log(`\nrow-level problems written to ${opts.out}`);
  }
  if (opts.markedUp !== undefined) {
    const file = await markedUpBatch(db, opts.batch!);
    if (!file) throw new VaxsyncError('upload.not_loaded', `batch ${opts.batch} does not exist or did not load: there is no data to mark up`);
    await writeFileFromStream(file.body, opts.markedUp);
    log(`\nmarked-up copy of the station's file written to ${opts.markedUp} (${file.marked.invalid} cells to correct, ${file.marked.warning} to check)`);
  }
}
