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
  /** The report date (yyyy-mm-dd): printed forms carry it in their header and signature block. */
  readonly date?: string;
  /** Lines every printed copy carries under the title: the scope, the denominator, the definitions. */
  readonly notes?: readonly string[];
  /** The last this many rows are totals: a text output that cuts rows still prints them. */
  readonly totalRows?: number;
  /**
   * Columns holding a commune code of the 2025 list: printed forms (text, HTML, XLSX) add its name in a
   * column beside it; the CSV keeps its columns as they are (other tools read them).
   */
  readonly communeColumns?: readonly number[];
  /** Per column, a code → its Vietnamese words, for the printed forms (the CSV keeps the codes). */
  readonly printedValues?: Readonly<Record<number, Readonly<Record<string, string>>>>;
}
