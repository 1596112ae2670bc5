/**
 * `vaxsync platform-gap --export FILE`: what the national platform lacks of what vaxsync would push
 * (src/push/gap.ts), printed as counts, written as a CSV list with `--out`, and queued for the next push
 * unless `--dry-run`.
 */
import fs from 'node:fs';
import { csvLine } from '../base/csv.js';
import type { Database } from '../db/database.js';
import { platformGap, type GapEntry, type GapReport } from '../push/gap.js';
import type { GuardianPolicy } from '../push/push.js';

export interface PlatformGapCliOptions {
  readonly export: string;
  readonly out?: string;
  readonly dryRun?: boolean;
  readonly guardian: GuardianPolicy;
}

const COLUMNS = ['kind', 'person_id', 'citizen_id_masked', 'commune_code', 'vaccine_code', 'vaccination_date', 'dose_number', 'doses', 'outbox', 'rejection'] as const;

/** The list as an operator opens it in a spreadsheet: UTF-8 with a BOM, formula-like text neutralised. */
export function gapCsv(entries: readonly GapEntry[]): string {
  const lines = [csvLine(COLUMNS)];
  for (const e of entries) {
    lines.push(
      csvLine([e.kind, e.personId, e.citizenId, e.communeCode, e.vaccineCode, e.date, e.doseNumber, e.doses, e.outbox, e.rejection], ',', { forPeople: true }),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function gapSummaryLines(report: GapReport, dryRun: boolean): string[] {
  const rejected = new Set(report.entries.filter((e) => e.outbox === 'rejected').map((e) => e.personId)).size;
  const lines = [
    `platform export: ${report.exportRows} rows read, ${report.skipped} skipped, ${report.unmatchedRows} naming nobody vaxsync would push`,
    `${report.eligiblePeople} verified people: the platform lacks ${report.missingPeople} of them and ${report.missingDoses} doses of the others`,
    dryRun ? `${report.queued} people would be queued for the next push (dry run: nothing queued)` : `${report.queued} people queued for the next push (vaxsync push)`,
  ];
  if (rejected > 0) lines.push(`${rejected} of them were rejected by the platform and are not queued until their record changes (vaxsync outbox --state rejected)`);
  for (const s of report.skippedRows) lines.push(`  row ${s.row}: skipped, ${s.reason}`);
  if (report.skipped > report.skippedRows.length) lines.push(`  … and ${report.skipped - report.skippedRows.length} more skipped rows`);
  return lines;
}

export async function runPlatformGap(database: Database, options: PlatformGapCliOptions, log: (line: string) => void): Promise<void> {
  const dryRun = options.dryRun ?? false;
  const report = await platformGap(database, options.export, { dryRun, guardian: options.guardian });
  for (const line of gapSummaryLines(report, dryRun)) log(line);
  if (options.out) {
    fs.writeFileSync(options.out, gapCsv(report.entries));
    log(`the list (${report.entries.length} rows) is in ${options.out}`);
  }
}
