/** `vaxsync report KIND`: one of the programme reports, in the terminal or a file. */
import fs from 'node:fs';
import { VaxsyncError } from '../base/errors.js';
import type { Database } from '../db/database.js';
import { callList } from '../report/call-list.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../report/format.js';
import { isReportKind, REPORT_KINDS, REPORTS } from '../report/programme.js';

export interface ReportCliOptions {
  readonly commune?: string;
  readonly date: string;
  readonly format: string;
  readonly out?: string;
  readonly ageFrom?: number;
  readonly ageTo?: number;
  readonly school?: string;
}

export async function runReport(
  database: Database,
  kind: string,
  /** `date`: checked by the option's parser (src/base/calendar-date.ts); default `today(config)`. */
  options: ReportCliOptions & { readonly covidCampaignEnd?: string },
  log: (line: string) => void,
): Promise<void> {
  if (!isReportKind(kind)) throw new VaxsyncError('cli.invalid_option', `unknown report ${JSON.stringify(kind)}; the reports are ${REPORT_KINDS.join(', ')}`);
  if (!(REPORT_FORMATS as readonly string[]).includes(options.format)) throw new VaxsyncError('cli.invalid_option', `unknown format ${JSON.stringify(options.format)}; use ${REPORT_FORMATS.join(', ')}`);
  const { date } = options;
  const filtered = options.ageFrom !== undefined || options.ageTo !== undefined || options.school !== undefined;
  if (filtered && kind !== 'due') throw new VaxsyncError('cli.invalid_option', '--age-from, --age-to and --school apply to the call list only (report due)');
  if (options.ageFrom !== undefined && options.ageTo !== undefined && options.ageFrom >= options.ageTo) {
    throw new VaxsyncError('cli.invalid_option', `--age-from (${options.ageFrom}) must be less than --age-to (${options.ageTo})`);
  }
  const format = options.format as ReportFormat;
  if (format === 'xlsx' && !options.out) throw new VaxsyncError('cli.invalid_option', '--format xlsx needs --out FILE.xlsx');
  const scope = { commune: options.commune, date, covidCampaignEnd: options.covidCampaignEnd };
  const table =
    kind === 'due'
      ? await callList(database, scope, { ageFrom: options.ageFrom, ageTo: options.ageTo, school: options.school })
      : await REPORTS[kind](database, scope);
  const output = await renderReport(table, format);
  if (options.out) {
    await fs.promises.writeFile(options.out, output);
    log(`${table.title}: ${table.rows.length} rows written to ${options.out}`);
  } else {
    process.stdout.write(output);
  }
}
