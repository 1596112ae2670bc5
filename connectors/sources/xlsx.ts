/**
 * XLSX reader (first worksheet), streamed with exceljs so a large workbook is never held whole.
 * Cells are turned into the text a clerk sees: dates as ISO dates, numbers as written, formulas as
 * their cached result.
 */
import ExcelJS from 'exceljs';
import { FileError } from '../../src/base/errors.js';
import type { SourceRow } from './types.js';

export async function* readXlsxRows(file: string): AsyncGenerator<SourceRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell which numbers are dates.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        // row.values is 1-based and sparse: index 0 is unused.
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        yield { rowNumber: row.number, cells };
      }
      return; // only the first worksheet is data
    }
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError('import.bad_workbook', file, `the workbook cannot be read (${(error as Error).message ?? String(error)})`);
  }
}

export function cellText(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    // exceljs builds dates in UTC; a date-only cell is midnight.
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error) return v.error;
  }
  return String(value);
}
