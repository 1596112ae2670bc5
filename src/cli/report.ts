/** `vaxsync report KIND`: one of the programme reports, in the terminal or a file. */
import fs from 'node:fs';
import { ConfigError } from '../config.js';
import type { Database } from '../db/database.js';
import { renderReport, type ReportFormat } from '../report/format.js';
import { REPORTS, type ReportKind } from '../report/programme.js';

const FORMATS: readonly ReportFormat[] = ['text', 'csv', 'xlsx', 'html'];

export async function runReport(
  database: Database,
  kind: string,
  /** `date`: checked by the option's parser (src/base/calendar-date.ts); default `today(config)`. */
  options: { readonly commune?: string; readonly date: string; readonly format: string; readonly out?: string },
  log: (line: string) => void,
): Promise<void> {
  if (!(kind in REPORTS)) throw new ConfigError(`unknown report ${JSON.stringify(kind)}; the reports are ${Object.keys(REPORTS).join(', ')}`);
  if (!FORMATS.includes(options.format as ReportFormat)) throw new ConfigError(`unknown format ${JSON.stringify(options.format)}; use ${FORMATS.join(', ')}`);
  const { date } = options;
  const format = options.format as ReportFormat;
  if (format === 'xlsx' && !options.out) throw new ConfigError('--format xlsx needs --out FILE.xlsx');
  const table = await REPORTS[kind as ReportKind](database, { commune: options.commune, date });
  const output = await renderReport(table, format);
  if (options.out) {
    await fs.promises.writeFile(options.out, output);
    log(`${table.title}: ${table.rows.length} rows written to ${options.out}`);
  } else {
    process.stdout.write(output);
  }
}
