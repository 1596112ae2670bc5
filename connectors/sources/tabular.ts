/**
 * Reading uploaded tables (CSV, XLSX) as a stream of rows of text cells, exactly as received (./types.ts):
 * sniffs the format from the file's first bytes and hands the file to the matching reader.
 */
import fs from 'node:fs';
import { FileError } from '../../src/base/errors.js';
import { readCsvRows } from './csv.js';
import type { TabularFormat, TabularSource } from './types.js';
import { readXlsxRows } from './xlsx.js';

export type { SourceRow, TabularFormat, TabularSource } from './types.js';

/** Decides the format from the file's first bytes (and its name), then opens the matching reader. */
export async function openTabularFile(file: string): Promise<TabularSource> {
  let head: Buffer;
  try {
    const handle = await fs.promises.open(file, 'r');
    try {
      head = Buffer.alloc(8);
      const { bytesRead } = await handle.read(head, 0, 8, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new FileError('import.unreadable', file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const format = sniffFormat(file, head);
  return { format, rows: format === 'xlsx' ? readXlsxRows(file) : readCsvRows(file) };
}

function sniffFormat(file: string, head: Buffer): TabularFormat {
  const lower = file.toLowerCase();
  if (head.length === 0) throw new FileError('import.empty', file, 'the file is empty');
  // ZIP container: XLSX (and other Office Open XML files, which the XLSX reader then rejects).
  if (head[0] === 0x50 && head[1] === 0x4b) return 'xlsx';
  if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new FileError('import.legacy_xls', file, 'this is an old Excel 97-2003 (.xls) workbook; save it as .xlsx or as "CSV UTF-8" and upload again');
  }
  if (head.subarray(0, 4).toString('latin1') === '%PDF') {
    throw new FileError('import.pdf', file, 'this is a PDF document, not a table; upload the CSV or XLSX file');
  }
  if (lower.endsWith('.xlsx')) throw new FileError('import.not_xlsx', file, 'the file is named .xlsx but is not an Excel workbook');
  if (isUtf16(head)) {
    throw new FileError('import.utf16', file, 'the text is UTF-16 (Excel\'s "Unicode Text"), not UTF-8; save the table as "CSV UTF-8" and upload again');
  }
  if (head.includes(0)) throw new FileError('import.binary', file, 'this is a binary file, not a CSV or XLSX table');
  return 'csv';
}

/** A UTF-16 byte order mark, or text whose every other byte is NUL (ASCII in UTF-16 without a mark). */
function isUtf16(head: Buffer): boolean {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) return true;
  if (head.length < 4) return false;
  const pairs = Math.floor(head.length / 2);
  let little = 0;
  let big = 0;
  for (let i = 0; i < pairs; i++) {
    const a = head[2 * i]!;
    const b = head[2 * i + 1]!;
    if (a !== 0 && b === 0) little++;
    if (a === 0 && b !== 0) big++;
  }
  return little === pairs || big === pairs;
}
