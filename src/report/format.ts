/**
 * A report as text for the terminal, CSV, XLSX or a standalone HTML page, fit to send upward (issue 13 item 7).
 *
 * The CSV is for the tools that read it: the table's stable columns, one header line and the rows, flat.
 * The printed forms (text, HTML, XLSX) are for people: Vietnamese headers, a commune's name beside its code,
 * the report date, the scope and the definitions under the title. A table with `groupBy` (the call list: commune
 * and village) prints a heading per group in text and HTML, and in XLSX one sheet per commune after a summary
 * sheet of the counts per village. The XLSX carries the header and signature block of an administrative report
 * (the unit, "Người lập biểu", "Thủ trưởng đơn vị"), real dates shown dd/mm/yyyy, column widths, and a frozen
 * header row with filters; a document has one sheet per section. Text output never cuts off the totals.
 */
import type { Readable, Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { communeName } from '../clean/commune.js';
import { csvLine } from '../base/csv.js';
import { vnDate } from './daily.js';
import type { ReportDocument } from './document.js';
import type { ReportTable } from './table.js';
import { exactText, keepPace, PACE_ROWS, xlsxBuffer, xlsxStream, type WorkbookWriter } from '../base/xlsx-stream.js';

export const REPORT_FORMATS = ['text', 'csv', 'xlsx', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** How a printed report is headed: the unit that issues it (config VAXSYNC_REPORT_UNIT). */
export interface PrintOptions {
  /** The reporting unit, printed top left; a line to fill in by hand when not configured. */
  readonly unit?: string | undefined;
}

type Cell = string | number | null;
type Row = readonly Cell[];
const cellText = (v: Cell | undefined) => (v === null || v === undefined ? '' : String(v));
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;


/** For people (a spreadsheet opens it): formula-like text cells are neutralised (src/base/csv.ts). */
export function reportCsv(table: ReportTable): string {
  const forPeople = { forPeople: true };
  return [csvLine(table.columns, ',', forPeople), ...table.rows.map((r) => csvLine(r, ',', forPeople))].join('\n') + '\n';
}

const UNIT_BLANK = 'Đơn vị báo cáo: ……………………………';
const COMMUNE_NAME_LABEL = 'Tên xã/phường';

/**
 * The table as people read it: Vietnamese headers, the commune's name in a column after each commune code
 * column, and `groupBy`, `totalRows` moved with the columns.
 */
function printed(table: ReportTable): { head: string[]; rows: Row[]; groupBy: number[]; dateColumns: Set<number> } {
  const head = [...(table.labels ?? table.columns)];
  const withNames = new Set(table.communeColumns ?? []);
  const shift = (i: number) => i + [...withNames].filter((c) => c < i).length;
  const outHead: string[] = [];
  head.forEach((h, i) => {
    outHead.push(h);
    if (withNames.has(i)) outHead.push(COMMUNE_NAME_LABEL);
  });
  const rows = table.rows.map((row) => {
    const out: Cell[] = [];
    row.forEach((c, i) => {
      const words = table.printedValues?.[i];
      out.push(words && typeof c === 'string' ? (words[c] ?? c) : c);
      if (withNames.has(i)) out.push(typeof c === 'string' ? communeName(c, '2025') : null);
    });
    return out;
  });
  // A column is a date column when every non-empty cell of it is a full ISO date.
  const dateColumns = new Set<number>();
  outHead.forEach((_, i) => {
    const cells = rows.map((r) => r[i]).filter((c) => c !== null && c !== undefined && c !== '');
    if (cells.length > 0 && cells.some((c) => typeof c === 'string' && ISO_DAY.test(c)) && cells.every((c) => typeof c === 'string' && /^\d{4}(-\d{2}){0,2}$/.test(c))) dateColumns.add(i);
  });
  return { head: outHead, rows, groupBy: (table.groupBy ?? []).map(shift), dateColumns };
}

/** A cell as printed: dates dd/mm/yyyy, nothing as empty. */
const shown = (c: Cell | undefined, isDate: boolean) => (isDate && typeof c === 'string' ? vnDate(c) : cellText(c));

/** The rows cut into consecutive groups by the `groupBy` columns, with a heading each (one group when none). */
function groups(head: readonly string[], rows: readonly Row[], by: readonly number[]): { heading: string | null; key: string; rows: Row[] }[] {
  if (by.length === 0) return [{ heading: null, key: '', rows: [...rows] }];
  const out: { heading: string | null; key: string; rows: Row[] }[] = [];
  let key: string | null = null;
  for (const row of rows) {
    const k = by.map((i) => cellText(row[i])).join('\u0000');
    if (k !== key) {
      const heading = by.map((i) => `${head[i]}: ${cellText(row[i]) || 'không rõ'}${nameAfter(head, row, i)}`).join(' · ');
      out.push({ heading, key: k, rows: [] });
      key = k;
    }
    out.at(-1)!.rows.push(row);
  }
  return out;
}

/** ` Xã Yên Định` when the column after `i` is the commune name added by `printed`. */
const nameAfter = (head: readonly string[], row: Row, i: number) => (head[i + 1] === COMMUNE_NAME_LABEL && row[i + 1] ? ` ${cellText(row[i + 1])}` : '');

const MAX_GROUP_LINES = 200;

/** Lines of totals a table always prints: its total rows, or for a grouped list the count of rows per group and in all. */
function summaryLines(table: ReportTable, head: readonly string[], rows: readonly Row[], groupBy: readonly number[]): string[] {
  if (groupBy.length === 0) return [];
  let all = groups(head, rows, groupBy);
  const people = new Set(rows.map((r) => r[0]));
  const total = `Tổng cộng: ${rows.length} dòng, ${people.size} người, ${all.length} nhóm (${groupBy.map((i) => head[i]).join(', ')})`;
  // A province's list has thousands of villages: then the counts per commune (the first group column).
  if (all.length > MAX_GROUP_LINES) all = groups(head, rows, groupBy.slice(0, 1));
  return [total, ...all.slice(0, MAX_GROUP_LINES).map((g) => `  ${g.heading}: ${g.rows.length} dòng`), ...(all.length > MAX_GROUP_LINES ? [`  … và ${all.length - MAX_GROUP_LINES} nhóm nữa`] : [])];
}

export function reportText(table: ReportTable, limit = 50, print: PrintOptions = {}): string {
  const { head, rows, groupBy, dateColumns } = printed(table);
  const totals = Math.min(table.totalRows ?? 0, rows.length);
  const body = rows.slice(0, rows.length - totals);
  const totalRows = rows.slice(rows.length - totals);
  const shownRows = body.slice(0, limit);
  const visible = [...shownRows, ...totalRows];
  const widths = head.map((c, i) => Math.max(c.length, ...visible.map((r) => shown(r[i], dateColumns.has(i)).length)));
  const line = (cells: Row) =>
    cells.map((c, i) => (typeof c === 'number' ? cellText(c).padStart(widths[i]!) : shown(c, dateColumns.has(i)).padEnd(widths[i]!))).join('  ').trimEnd();
  const lines = [...(print.unit ? [print.unit] : []), table.title, ...(table.notes ?? [])];
  // The header once above ungrouped rows (or above the totals alone, when there are no other rows), and again
  // under each group's heading.
  let headed = false;
  for (const group of groups(head, shownRows, groupBy)) {
    if (group.heading !== null) lines.push('', `${group.heading} (${group.rows.length})`);
    if (group.heading !== null || !headed) lines.push(line(head));
    headed = true;
    lines.push(...group.rows.map(line));
  }
  if (!headed && totalRows.length > 0) lines.push(line(head));
  if (body.length > limit) lines.push(`… còn ${body.length - limit} dòng nữa (xem đủ: --format csv|xlsx|html --out FILE)`);
  lines.push(...totalRows.map(line));
  const summary = summaryLines(table, head, rows, groupBy);
  if (summary.length > 0) lines.push('', ...summary);
  return lines.join('\n');
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The HTML reports' only style (tables and documents), inline so a file stands alone; the service allows it by its hash (CSP). */
export const REPORT_HTML_STYLE =
  'body{font-family:system-ui,sans-serif;margin:1rem}table{border-collapse:collapse;margin-bottom:1rem}th,td{border:1px solid #ccc;padding:.25rem .5rem}td.n{text-align:right}th{background:#eef}h2{font-size:1.1rem}p.note{margin:.2rem 0}div.wide{overflow-x:auto}@media print{div.wide{overflow:visible}}';

function htmlTable(head: readonly string[], rows: readonly Row[], dateColumns: ReadonlySet<number>): string {
  const th = head.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => (typeof c === 'number' ? `<td class="n">${c}</td>` : `<td>${escapeHtml(shown(c, dateColumns.has(i)))}</td>`)).join('')}</tr>`)
    .join('\n');
  // On a phone a wide table scrolls inside its own box, and the notes and title stay at the screen's width.
  return `<div class="wide"><table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function htmlPage(title: string, notes: readonly string[], inner: string, date: string | undefined, print: PrintOptions): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>${REPORT_HTML_STYLE}</style>
</head><body>
<p class="note"><b>${escapeHtml(print.unit ?? UNIT_BLANK)}</b></p>
<p class="note"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>Độc lập - Tự do - Hạnh phúc</p>
<h1>${escapeHtml(title)}</h1>
${notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n')}
${inner}
<table><tbody><tr><td><b>Người lập biểu</b><br><i>(Ký, ghi rõ họ tên)</i></td><td>${escapeHtml(signedOn(date))}<br><b>Thủ trưởng đơn vị</b><br><i>(Ký tên, đóng dấu)</i></td></tr></tbody></table>
</body></html>
`;
}

export function reportHtml(table: ReportTable, print: PrintOptions = {}): string {
  const { head, rows, groupBy, dateColumns } = printed(table);
  const sections = groups(head, rows, groupBy)
    .map((g) => `${g.heading === null ? '' : `<h2>${escapeHtml(g.heading)} (${g.rows.length})</h2>\n`}${htmlTable(head, g.rows, dateColumns)}`)
    .join('\n');
  const summary = summaryLines(table, head, rows, groupBy);
  const totals = summary.length > 0 ? `\n<p class="note"><b>${escapeHtml(summary[0]!)}</b></p>` : '';
  return htmlPage(table.title, table.notes ?? [], sections + totals, table.date, print);
}

/** "Ngày 02 tháng 12 năm 2026", the place left to write by hand. */
function signedOn(date: string | undefined): string {
  const m = date === undefined ? null : ISO_DAY.exec(date);
  return m ? `……, ngày ${m[3]} tháng ${m[2]} năm ${m[1]}` : '……, ngày … tháng … năm ……';
}

// ---------------------------------------------------------------- XLSX

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetName(title: string, taken: Set<string>): string {
  const base = title.replace(/[[\]:*?/\\]/g, ' ').replace(/\s+/g, ' ').slice(0, 28).trim() || 'Sheet';
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base} ${i}`;
  taken.add(name.toLowerCase());
  return name;
}

const DATE_FORMAT = 'dd/mm/yyyy';
const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
/** The data cells' styles, shared by every cell (src/base/xlsx-stream.ts: a style ExcelJS has seen costs nothing). */
const DATA_STYLE: Partial<ExcelJS.Style> = Object.freeze({ border: BORDER });
const DATE_STYLE: Partial<ExcelJS.Style> = Object.freeze({ border: BORDER, numFmt: DATE_FORMAT });

interface SheetContent {
  readonly title: string;
  readonly notes: readonly string[];
  readonly subtitle?: string | undefined;
  readonly head: readonly string[];
  readonly rows: readonly Row[];
  readonly dateColumns: ReadonlySet<number>;
  readonly date: string | undefined;
}

/** Column widths that fit the header's words and the longest cell (a date: 10), between 8 and 60. */
function columnWidths(content: SheetContent): number[] {
  const longest = content.head.map((h) => Math.max(...h.split(/\s+/).map((w) => w.length), Math.min(h.length, 18)));
  for (const row of content.rows) {
    for (let i = 0; i < longest.length; i++) {
      const length = content.dateColumns.has(i) ? 10 : cellText(row[i]).length;
      if (length > longest[i]!) longest[i] = length;
    }
  }
  return longest.map((l) => Math.min(60, Math.max(8, l + 2)));
}

/**
 * One sheet of an administrative report: the unit and the national motto, the title, the notes, the table with
 * its header frozen and filtered, then the signature block. Text is always written as a string, never a formula;
 * a full date as a date cell shown dd/mm/yyyy (a partial one stays text). Rows are committed as they are
 * written (src/base/xlsx-stream.ts), so a province's call list never stands whole in the workbook.
 */
async function writeSheet(workbook: WorkbookWriter, out: Writable, name: string, content: SheetContent, print: PrintOptions): Promise<void> {
  const width = Math.max(content.head.length, 4);
  const right = Math.max(width - 2, 3); // the column where the right-hand blocks start
  const headerRow = 4 + content.notes.length + (content.subtitle ? 2 : 0) + 2;
  // Views, page setup and widths come first in the sheet's XML: set before any row is committed.
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}`, activeCell: `A${headerRow + 1}` }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
  });
  columnWidths(content).forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  const merge = (row: number, from: number, to: number) => {
    if (to > from) sheet.mergeCells(row, from, row, to);
  };
  const put = (row: number, column: number, value: string, font: Partial<ExcelJS.Font> = {}) => {
    const cell = sheet.getCell(row, column);
    cell.value = value;
    cell.font = font;
    return cell;
  };
  put(1, 1, print.unit ?? UNIT_BLANK, { bold: true });
  merge(1, 1, right - 1);
  put(1, right, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true }).alignment = { horizontal: 'center' };
  merge(1, right, width);
  put(2, right, 'Độc lập - Tự do - Hạnh phúc', { bold: true, underline: true }).alignment = { horizontal: 'center' };
  merge(2, right, width);
  let r = 4;
  put(r, 1, content.title, { bold: true, size: 14 }).alignment = { horizontal: 'center', wrapText: true };
  merge(r, 1, width);
  for (const note of content.notes) {
    r++;
    put(r, 1, note, { italic: true }).alignment = { wrapText: true, vertical: 'top' };
    merge(r, 1, width);
    sheet.getRow(r).height = 15 * Math.max(1, Math.ceil(note.length / Math.max(40, width * 14)));
  }
  if (content.subtitle) {
    r += 2;
    put(r, 1, content.subtitle, { bold: true });
    merge(r, 1, width);
  }
  r += 2;
  content.head.forEach((h, i) => {
    const cell = put(headerRow, i + 1, h, { bold: true });
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDE4F0' } };
    cell.border = BORDER;
  });
  sheet.getRow(headerRow).commit();
  for (const row of content.rows) {
    r++;
    const sheetRow = sheet.getRow(r);
    row.forEach((value, i) => {
      const cell = sheetRow.getCell(i + 1);
      const day = typeof value === 'string' && content.dateColumns.has(i) ? ISO_DAY.exec(value) : null;
      if (day) {
        cell.value = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
        cell.style = DATE_STYLE;
      } else {
        // a year or a month in a date column: text, as the records give it; any string stays a string cell
        // (ExcelJS writes a formula only from { formula })
        cell.value = typeof value === 'string' ? exactText(content.dateColumns.has(i) ? vnDate(value) : value) : value;
        cell.style = DATA_STYLE;
      }
    });
    sheetRow.commit();
    if ((r - headerRow) % PACE_ROWS === 0) await keepPace(out);
  }
  const lastRow = Math.max(r, headerRow);
  sheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: lastRow, column: content.head.length } };
  // The signature block: who drew it up on the left, the head of the unit on the right.
  r = lastRow + 2;
  put(r, right, signedOn(content.date), { italic: true }).alignment = { horizontal: 'center' };
  merge(r, right, width);
  r++;
  put(r, 1, 'Người lập biểu', { bold: true }).alignment = { horizontal: 'center' };
  merge(r, 1, Math.min(2, right - 1));
  put(r, right, 'Thủ trưởng đơn vị', { bold: true }).alignment = { horizontal: 'center' };
  merge(r, right, width);
  r++;
  put(r, 1, '(Ký, ghi rõ họ tên)', { italic: true }).alignment = { horizontal: 'center' };
  merge(r, 1, Math.min(2, right - 1));
  put(r, right, '(Ký tên, đóng dấu)', { italic: true }).alignment = { horizontal: 'center' };
  merge(r, right, width);
  sheet.commit();
  // A sheet under PACE_ROWS rows never paced above: a call list of many small communes' sheets would
  // otherwise be written whole, unread, into memory (and go on after a cancelled download).
  await keepPace(out);
}

/** The report's sheets, written into `workbook` (a summary sheet and one per commune for a grouped list). */
async function writeReportSheets(workbook: WorkbookWriter, out: Writable, table: ReportTable, print: PrintOptions): Promise<void> {
  const taken = new Set<string>();
  const { head, rows, groupBy, dateColumns } = printed(table);
  const notes = table.notes ?? [];
  if (groupBy.length === 0) {
    await writeSheet(workbook, out, sheetName(table.title, taken), { title: table.title, notes, head, rows, dateColumns, date: table.date }, print);
    return;
  }
  // A summary sheet (rows per group and in all), then one sheet per value of the first group column (a commune).
  const all = groups(head, rows, groupBy);
  const summaryHead = [...groupBy.flatMap((i) => (head[i + 1] === COMMUNE_NAME_LABEL ? [head[i]!, head[i + 1]!] : [head[i]!])), 'Số dòng', 'Số người'];
  const summaryRows: Row[] = all.map((g) => {
    const first = g.rows[0]!;
    return [...groupBy.flatMap((i) => (head[i + 1] === COMMUNE_NAME_LABEL ? [first[i] ?? null, first[i + 1] ?? null] : [first[i] ?? null])), g.rows.length, new Set(g.rows.map((x) => x[0])).size];
  });
  summaryRows.push(['Tổng cộng', ...new Array<Cell>(summaryHead.length - 3).fill(null), rows.length, new Set(rows.map((x) => x[0])).size]);
  const summary = { title: table.title, notes, subtitle: 'Tổng hợp theo nhóm', head: summaryHead, rows: summaryRows, dateColumns: new Set<number>(), date: table.date };
  await writeSheet(workbook, out, sheetName('Tổng hợp', taken), summary, print);
  const first = groupBy[0]!;
  for (const g of groups(head, rows, [first])) {
    const row = g.rows[0]!;
    const label = `${cellText(row[first]) || 'không rõ'}${nameAfter(head, row, first)}`;
    await writeSheet(workbook, out, sheetName(label, taken), { title: table.title, notes, subtitle: g.heading ?? undefined, head, rows: g.rows, dateColumns, date: table.date }, print);
  }
}

/** The report as an XLSX stream, written while it is read (a file, an HTTP download). */
export function reportXlsxStream(table: ReportTable, print: PrintOptions = {}): Readable {
  return xlsxStream((workbook, out) => writeReportSheets(workbook, out, table, print));
}

/** The same whole in memory (tests, small tables). */
export function reportXlsx(table: ReportTable, print: PrintOptions = {}): Promise<Buffer> {
  return xlsxBuffer((workbook, out) => writeReportSheets(workbook, out, table, print));
}

/** A rendered report: text (text, CSV, HTML), or for XLSX a stream to pipe into a file or a response. */
export type RenderedReport = string | Readable;

export async function renderReport(table: ReportTable, format: ReportFormat, print: PrintOptions = {}): Promise<RenderedReport> {
  switch (format) {
    case 'text':
      return reportText(table, 50, print) + '\n';
    case 'csv':
      // UTF-8 with a BOM, so that Excel opens Vietnamese intact (../shared/contract/reports.md).
      return '\ufeff' + reportCsv(table);
    case 'html':
      return reportHtml(table, print);
    case 'xlsx':
      return reportXlsxStream(table, print);
  }
}

// ---------------------------------------------------------------- documents of several sections

/** Every row of every section: a document's tables are aggregates, never long enough to cut. */
export function documentText(doc: ReportDocument, print: PrintOptions = {}): string {
  const parts = [...(print.unit ? [print.unit] : []), doc.title, ...doc.notes];
  for (const section of doc.sections) parts.push('', reportText(section, Number.POSITIVE_INFINITY));
  return parts.join('\n') + '\n';
}

/** One CSV: the title and notes as one-cell lines, then each section's title, header and rows, a blank line apart. */
export function documentCsv(doc: ReportDocument): string {
  const forPeople = { forPeople: true };
  const lines = [csvLine([doc.title], ',', forPeople), ...doc.notes.map((n) => csvLine([n], ',', forPeople))];
  for (const section of doc.sections) lines.push('', csvLine([section.title], ',', forPeople), reportCsv(section).trimEnd());
  return '\ufeff' + lines.join('\n') + '\n';
}

export function documentHtml(doc: ReportDocument, print: PrintOptions = {}): string {
  const sections = doc.sections
    .map((s) => {
      const { head, rows, dateColumns } = printed(s);
      return `<h2>${escapeHtml(s.title)}</h2>\n${htmlTable(head, rows, dateColumns)}`;
    })
    .join('\n');
  return htmlPage(doc.title, doc.notes, sections, doc.date, print);
}

/** One sheet per section, each carrying the administrative header, the title and notes, and the signature block. */
async function writeDocumentSheets(workbook: WorkbookWriter, out: Writable, doc: ReportDocument, print: PrintOptions): Promise<void> {
  const taken = new Set<string>();
  for (const section of doc.sections) {
    const { head, rows, dateColumns } = printed(section);
    await writeSheet(workbook, out, sheetName(section.title, taken), { title: doc.title, notes: doc.notes, subtitle: section.title, head, rows, dateColumns, date: doc.date }, print);
  }
}

export function documentXlsx(doc: ReportDocument, print: PrintOptions = {}): Promise<Buffer> {
  return xlsxBuffer((workbook, out) => writeDocumentSheets(workbook, out, doc, print));
}

export async function renderDocument(doc: ReportDocument, format: ReportFormat, print: PrintOptions = {}): Promise<RenderedReport> {
  switch (format) {
    case 'text':
      return documentText(doc, print);
    case 'csv':
      return documentCsv(doc);
    case 'html':
      return documentHtml(doc, print);
    case 'xlsx':
      return xlsxStream((workbook, out) => writeDocumentSheets(workbook, out, doc, print));
  }
}
