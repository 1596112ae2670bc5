/**
 * The marked-up copy of a station's own file (issue 16, item 3): the rows and columns exactly as the station
 * sent them (title rows, header, every data row, in their places), each cell with a problem filled in colour
 * and carrying a comment in Vietnamese from the findings catalogue, so the station fixes the cells in place and
 * uploads the file again (a fixed row then replaces the wrong one: src/ingest/corrections.ts). A CSV comes
 * back as an XLSX, the only one of the two that holds colours and comments.
 *
 * Formula injection: every cell is written as a string cell, never a formula (ExcelJS writes a formula only
 * from `{ formula }`), so `=HYPERLINK(…)` typed by someone shows as text; the values stay exact, because the
 * file is meant to be uploaded again and a `'` added to a value would become part of it.
 *
 * The batch's raw rows are held in memory (uploads are bounded by the upload size limit, and a station's file
 * is a commune's list); the workbook is not: it is written with the streaming writer of
 * src/base/xlsx-stream.ts as it is read (a file, a download).
 */
import type { Readable, Writable } from 'node:stream';
import { sql } from 'kysely';
import { decodeRawCells } from '../base/raw-cells.js';
import { FIELD_LABELS_VI } from '../clean/findings-catalogue.js';
import type { Database } from '../db/database.js';
import { problemsQuery, problemTextVi, SEVERITY_VI } from './quality.js';
import { exactText, keepPace, PACE_ROWS, xlsxStream, type WorkbookWriter } from '../base/xlsx-stream.js';

/** What to correct (invalid: the value cannot be used) and what to check (warning: it looks wrong). */
const FILLS = {
  invalid: 'FFFFC7CE',
  warning: 'FFFFEB9C',
} as const;

export interface MarkedUpFile {
  /** The file name to offer: the station's own name, with `-danh-dau` and `.xlsx`. */
  readonly fileName: string;
  /** The workbook, written as it is read: pipe it into a file or send it as the response. */
  readonly body: Readable;
  /** Cells marked, by severity. */
  readonly marked: { readonly invalid: number; readonly warning: number };
}

interface Problem {
  readonly row: number;
  readonly field: string;
  readonly severity: 'warning' | 'invalid';
  readonly code: string;
  readonly raw_value: string | null;
  readonly record_id: string | null;
  readonly row_name: string | null;
}

/** The marked-up copy of loaded batch `batchId`; null when the batch does not exist or did not load. */
export async function markedUpBatch(database: Database, batchId: number): Promise<MarkedUpFile | null> {
  const batch = await database.db
    .selectFrom('batch')
    .select(['file_name', 'status', 'header_row', 'headers', 'column_map'])
    .where('id', '=', batchId)
    .executeTakeFirst();
  if (!batch || batch.status !== 'loaded') return null;
  const columnMap = (typeof batch.column_map === 'string' ? JSON.parse(batch.column_map) : batch.column_map) as Record<string, number>;
  const raw = await database.db.selectFrom('raw_row').select(['row_number', 'cells']).where('batch_id', '=', batchId).orderBy('row_number').execute();
  const problems = (
    await sql<Problem>`select q.row, q.field, q.severity, q.code, q.raw_value, q.record_id, q.row_name
      from (${sql.raw(problemsQuery({ batchId }))}) q order by q.row, q.field, q.code`.execute(database.db)
  ).rows;

  // One comment per cell, with every finding of that cell; a field the file has no column for is noted on
  // the row's first cell, named.
  const notes = new Map<string, Note>();
  const marked = { invalid: 0, warning: 0 };
  for (const p of problems) {
    const column = columnMap[p.field];
    const key = `${p.row}:${column ?? 'row'}`;
    const label = FIELD_LABELS_VI[p.field as keyof typeof FIELD_LABELS_VI] ?? p.field;
    const text = problemTextVi(p.code);
    const line = `${SEVERITY_VI[p.severity]}: ${column === undefined ? `${label}: ` : ''}${text}`;
    const note = notes.get(key);
    if (note) {
      if (!note.lines.includes(line)) note.lines.push(line);
      if (p.severity === 'invalid') note.severity = 'invalid';
    } else {
      notes.set(key, { row: p.row, column: (column ?? 0) + 1, severity: p.severity, lines: [line] });
    }
  }
  for (const note of notes.values()) marked[note.severity]++;
  const rows = raw.map((r) => ({ number: r.row_number, cells: decodeRawCells(r.cells) }));
  const body = xlsxStream(async (workbook, out) => {
    workbook.creator = 'vaxsync';
    await writeData(workbook, out, rows, batch.headers.length, batch.header_row, notes);
    await addGuide(workbook, out, batch.headers, columnMap, problems);
  });
  return { fileName: markedUpName(batch.file_name), body, marked };
}

interface Note {
  readonly row: number;
  readonly column: number;
  severity: 'warning' | 'invalid';
  readonly lines: string[];
}

/** The station's rows in their places, every cell a string cell with its exact value, the problem cells marked. */
async function writeData(
  workbook: WorkbookWriter,
  out: Writable,
  rows: readonly { readonly number: number; readonly cells: readonly string[] }[],
  headerWidth: number,
  headerRow: number,
  notes: ReadonlyMap<string, Note>,
): Promise<void> {
  const sheet = workbook.addWorksheet('Dữ liệu', headerRow > 0 ? { views: [{ state: 'frozen', ySplit: headerRow }] } : {});
  const width = rows.reduce((w, r) => Math.max(w, r.cells.length), headerWidth);
  for (let c = 1; c <= width; c++) sheet.getColumn(c).width = 18; // widths come before the first row
  const cellsOf = new Map(rows.map((r) => [r.number, r.cells]));
  const notesOf = new Map<number, Note[]>();
  for (const note of notes.values()) notesOf.set(note.row, [...(notesOf.get(note.row) ?? []), note]);
  // Rows are written in order, once: every raw row, and any row a note names.
  const numbers = [...new Set([...cellsOf.keys(), ...notesOf.keys()])].sort((a, b) => a - b);
  let written = 0;
  for (const number of numbers) {
    const row = sheet.getRow(number);
    (cellsOf.get(number) ?? []).forEach((text, i) => {
      if (text !== '') row.getCell(i + 1).value = exactText(text); // a string cell: never a formula, the value exact
    });
    if (number === headerRow) row.font = { bold: true };
    for (const note of notesOf.get(number) ?? []) {
      const cell = row.getCell(note.column);
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FILLS[note.severity] } };
      cell.note = { texts: [{ text: note.lines.join('\n') }] };
    }
    row.commit();
    if (++written % PACE_ROWS === 0) await keepPace(out);
  }
  sheet.commit();
}

/**
 * A second sheet listing every problem (the upload reads the first sheet only, so the file can be sent back
 * as it is). Values are the station's own: written as string cells, like the data.
 */
async function addGuide(
  workbook: WorkbookWriter,
  out: Writable,
  headers: readonly string[],
  columnMap: Readonly<Record<string, number>>,
  problems: readonly Problem[],
): Promise<void> {
  const guide = workbook.addWorksheet('Hướng dẫn sửa');
  [8, 14, 24, 18, 20, 14, 70].forEach((w, i) => (guide.getColumn(i + 1).width = w)); // before the first row
  guide.addRow(['Các ô tô màu trong trang "Dữ liệu" cần sửa (màu hồng: lỗi, giá trị không dùng được) hoặc cần kiểm tra (màu vàng). Di chuột vào ô để xem ghi chú.']);
  guide.addRow(['Sửa trực tiếp trong trang "Dữ liệu", giữ nguyên mã bản ghi (STT), lưu lại và tải tệp lên lần nữa: dòng đã sửa sẽ thay thế dòng sai đã gửi trước.']);
  guide.addRow([]);
  const header = guide.addRow(['Dòng', 'Mã bản ghi', 'Họ và tên', 'Cột', 'Giá trị đã nhập', 'Mức độ', 'Nội dung']);
  header.font = { bold: true };
  header.commit();
  // One row per problem, as many as the data's rows or more: committed as written and paced like the data.
  let written = 0;
  for (const p of problems) {
    const column = columnMap[p.field];
    const label = FIELD_LABELS_VI[p.field as keyof typeof FIELD_LABELS_VI] ?? p.field;
    const text = problemTextVi(p.code);
    guide.addRow([p.row, exactText(p.record_id ?? ''), exactText(p.row_name ?? ''), column === undefined ? label : (headers[column] ?? label), exactText(p.raw_value ?? ''), SEVERITY_VI[p.severity], text]).commit();
    if (++written % PACE_ROWS === 0) await keepPace(out);
  }
  guide.commit();
}

/** `thang9.csv` → `thang9-danh-dau.xlsx`. */
export function markedUpName(fileName: string): string {
  const base = fileName.replace(/\.(csv|xlsx|txt)$/i, '');
  return `${base}-danh-dau.xlsx`;
}
