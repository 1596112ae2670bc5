/** A report as a table: what every renderer (format.ts) takes. */
export interface ReportTable {
  readonly title: string;
  /** Stable column names: the CSV header. */
  readonly columns: readonly string[];
  /** Column headers for people (text, HTML, XLSX), when they differ from `columns`. */
  readonly labels?: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
  /** Columns whose values group the rows (rows already sorted by them): printed forms show a heading per group. */
  readonly groupBy?: readonly number[];
}
