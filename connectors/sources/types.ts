/**
 * What every table reader yields: rows of text cells, exactly as received. A row is numbered as a
 * spreadsheet shows it (the first line is row 1), so every message can point a clerk to the right place in
 * the file they sent. Its own module so the readers (csv.ts, xlsx.ts) and the dispatcher (tabular.ts) share
 * it without the readers importing the dispatcher.
 */

export interface SourceRow {
  readonly rowNumber: number;
  readonly cells: readonly string[];
}

export type TabularFormat = 'csv' | 'xlsx';

export interface TabularSource {
  readonly format: TabularFormat;
  readonly rows: AsyncIterable<SourceRow>;
}
