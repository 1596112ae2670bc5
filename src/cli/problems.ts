/**
 * `vaxsync problems [--batch ID] [--out FILE.csv] [--include-fixes]`: per field, how many values were clean,
 * fixed, flagged, invalid or missing, the most frequent problems, and optionally the row-level problems as a
 * CSV for the stations to correct. Not to be confused with `vaxsync report quality` (đúng / đủ / sạch / sống
 * per commune, for the working groups).
 */
import fs from 'node:fs';
import type { Database } from '../db/database.js';
import { fieldQuality, formatFieldQuality, problemCounts, writeProblemsCsv } from '../report/quality.js';

export interface ProblemsCliOptions {
  readonly batch?: number;
  readonly out?: string;
  readonly includeFixes?: boolean;
}

/** The former name of the command, kept hidden for scripts written against it; it prints this once. */
export const QUALITY_COMMAND_NOTICE =
  'vaxsync: "vaxsync quality" is now "vaxsync problems" (the old name will be removed; đúng/đủ/sạch/sống is "vaxsync report quality")';

export async function runProblems(db: Database, opts: ProblemsCliOptions, log: (line: string) => void): Promise<void> {
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
}
