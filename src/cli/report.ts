/** `vaxsync report KIND`: one of the programme reports, in the terminal or a file. */
import { Readable } from 'node:stream';
import { VaxsyncError } from '../base/errors.js';
import type { Database } from '../db/database.js';
import { callList } from '../report/call-list.js';
import { documentReport, isDocumentKind } from '../report/documents.js';
import { REPORT_FORMATS, renderDocument, renderReport, type RenderedReport, type ReportFormat } from '../report/format.js';
import { isReportKind, REPORT_KINDS, REPORTS } from '../report/programme.js';
import { UnitError } from '../report/units.js';
import { writeFileFromStream } from './out-file.js';

export interface ReportCliOptions {
  readonly commune?: string;
  /** Checked by the option's parser (src/base/calendar-date.ts); default `today(config)`. */
  readonly date: string;
  readonly format: string;
  readonly out?: string;
  /** due only */
  readonly ageFrom?: number;
  readonly ageTo?: number;
  readonly school?: string;
  /** daily, monthly, quality only */
  readonly month?: string;
  readonly site?: string;
  readonly level?: string;
  readonly map?: string;
  /** config.timezone and config.liveDays, for the daily and quality reports. */
  readonly timeZone: string;
  readonly liveDays: number;
  /** config.reportUnit: the unit printed at the head of the report. */
  readonly reportUnit?: string | undefined;
}

const invalid = (message: string) => new VaxsyncError('cli.invalid_option', message);

export async function runReport(
  database: Database,
  kind: string,
  options: ReportCliOptions & { readonly covidCampaignEnd?: string },
  log: (line: string) => void,
): Promise<void> {
  if (!isReportKind(kind)) throw invalid(`unknown report ${JSON.stringify(kind)}; the reports are ${REPORT_KINDS.join(', ')}`);
  if (!(REPORT_FORMATS as readonly string[]).includes(options.format)) throw invalid(`unknown format ${JSON.stringify(options.format)}; use ${REPORT_FORMATS.join(', ')}`);
  const { date } = options;
  const filtered = options.ageFrom !== undefined || options.ageTo !== undefined || options.school !== undefined;
  if (filtered && kind !== 'due') throw invalid('--age-from, --age-to and --school apply to the call list only (report due)');
  if (options.ageFrom !== undefined && options.ageTo !== undefined && options.ageFrom >= options.ageTo) {
    throw invalid(`--age-from (${options.ageFrom}) must be less than --age-to (${options.ageTo})`);
  }
  const format = options.format as ReportFormat;
  if (format === 'xlsx' && !options.out) throw invalid('--format xlsx needs --out FILE.xlsx');
  let output: RenderedReport;
  let summary: string;
  if (isDocumentKind(kind)) {
    const doc = await documentReport(database, kind, options).catch((error: unknown) => {
      throw error instanceof UnitError || error instanceof RangeError ? invalid(error.message) : error;
    });
    output = await renderDocument(doc, format, { unit: options.reportUnit });
    summary = `${doc.title}: ${doc.sections.length} sections`;
  } else {
    if (options.month !== undefined || options.site !== undefined || options.level !== undefined || options.map !== undefined) {
      throw invalid('--month, --site, --level and --map apply to the daily, monthly and quality reports');
    }
    const scope = { commune: options.commune, date, covidCampaignEnd: options.covidCampaignEnd };
    const table =
      kind === 'due'
        ? await callList(database, scope, { ageFrom: options.ageFrom, ageTo: options.ageTo, school: options.school })
        : await REPORTS[kind](database, scope);
    output = await renderReport(table, format, { unit: options.reportUnit });
    summary = `${table.title}: ${table.rows.length} rows`;
  }
  if (options.out) {
    // An XLSX goes into the file as its rows are produced, never whole in memory; a text report in one
    // chunk. Both through a .part file, so that neither leaves a half file or removes an earlier one.
    await writeFileFromStream(typeof output === 'string' ? Readable.from([output]) : output, options.out);
    log(`${summary} written to ${options.out}`);
  } else {
    if (typeof output !== 'string') throw invalid('--format xlsx needs --out FILE.xlsx'); // refused above already
    process.stdout.write(output);
  }
}
