/**
 * The reports of several sections (ReportDocument): the daily report, the monthly childhood-programme report
 * and the đúng/đủ/sạch/sống quality report, behind one entry the CLI, the API and the scheduler share.
 */
import type { Database } from '../db/database.js';
import { dailyReport } from './daily.js';
import { dataQualityReport } from './data-quality.js';
import type { ReportDocument } from './document.js';
import { monthlyReport } from './monthly.js';
import { ADMIN_LEVELS, ADMIN_MAPS, UnitError, type AdminLevel, type AdminMap } from './units.js';

export const DOCUMENT_KINDS = ['daily', 'monthly', 'quality'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const isDocumentKind = (kind: string): kind is DocumentKind => (DOCUMENT_KINDS as readonly string[]).includes(kind);

export interface DocumentOptions {
  /** yyyy-mm-dd: the day (daily, quality). */
  readonly date: string;
  /** yyyy-mm: the month (monthly); default the report date's month. */
  readonly month?: string | undefined;
  readonly commune?: string | undefined;
  readonly site?: string | undefined;
  readonly level?: string | undefined;
  /** '2025' or '2024'; default the map in force on the report date (reports for 2021–2024 use the old one). */
  readonly map?: string | undefined;
  readonly timeZone: string;
  readonly liveDays: number;
}

/** The map in force on a day: the 2025 units from 1 July 2025 (QĐ 19/2025/QĐ-TTg). */
export const mapInForce = (day: string): AdminMap => (day >= '2025-07-01' ? '2025' : '2024');

export async function documentReport(database: Database, kind: DocumentKind, options: DocumentOptions): Promise<ReportDocument> {
  if (options.level !== undefined && !(ADMIN_LEVELS as readonly string[]).includes(options.level)) {
    throw new UnitError(`--level must be ${ADMIN_LEVELS.join(', ')}, got ${JSON.stringify(options.level)}`);
  }
  if (options.map !== undefined && !(ADMIN_MAPS as readonly string[]).includes(options.map)) {
    throw new UnitError(`--map must be 2025 or 2024, got ${JSON.stringify(options.map)}`);
  }
  if (options.site !== undefined && kind !== 'daily') throw new UnitError('--site applies to the daily report only');
  if (options.month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(options.month)) throw new UnitError(`--month must be yyyy-mm, got ${JSON.stringify(options.month)}`);
  const month = options.month ?? options.date.slice(0, 7);
  const level = (options.level ?? 'commune') as AdminLevel;
  const map = (options.map ?? mapInForce(kind === 'monthly' ? `${month}-01` : options.date)) as AdminMap;
  const common = { level, map, commune: options.commune };
  switch (kind) {
    case 'daily':
      return dailyReport(database, { ...common, date: options.date, site: options.site, timeZone: options.timeZone });
    case 'monthly':
      return monthlyReport(database, { ...common, month });
    case 'quality':
      return dataQualityReport(database, { ...common, date: options.date, liveDays: options.liveDays, timeZone: options.timeZone });
  }
}
