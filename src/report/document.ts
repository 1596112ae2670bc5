/**
 * A report of several sections (the daily, monthly and quality reports): a title, the lines every copy
 * must carry — report date, scope, denominator, definitions — and one table per section. format.ts renders
 * it in every format, with the administrative header and signature block around it.
 */
import type { ReportTable } from './table.js';

export interface ReportDocument {
  readonly title: string;
  /** The report date (yyyy-mm-dd; a month's report: its last day): printed in the signature block. */
  readonly date?: string;
  /** Printed under the title, in order: the report date, the scope, the denominator, the definitions. */
  readonly notes: readonly string[];
  readonly sections: readonly ReportTable[];
}
