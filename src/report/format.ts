/**
 * A report table as text for the terminal, CSV, XLSX or a standalone HTML page. A table with `groupBy` (the
 * call list: commune and village) prints a heading per group in text, HTML and XLSX; its CSV stays flat, one
 * header line and the rows, for the tools that read it.
 */
import ExcelJS from 'exceljs';
import { csvLine } from '../base/csv.js';
import type { ReportDocument } from './document.js';
import type { ReportTable } from './table.js';

export const REPORT_FORMATS = ['text', 'csv', 'xlsx', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

type Row = readonly (string | number | null)[];
const cellText = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** For people (a spreadsheet opens it): formula-like text cells are neutralised (src/base/csv.ts). */
export function reportCsv(table: ReportTable): string {
  const forPeople = { forPeople: true };
  return [csvLine(table.columns, ',', forPeople), ...table.rows.map((r) => csvLine(r, ',', forPeople))].join('\n') + '\n';
}

const headers = (table: ReportTable) => table.labels ?? table.columns;

/** The rows cut into consecutive groups by the `groupBy` columns, with a heading each (one group when none). */
function groups(table: ReportTable): { heading: string | null; rows: Row[] }[] {
  const by = table.groupBy;
  if (!by || by.length === 0) return [{ heading: null, rows: [...table.rows] }];
  const out: { heading: string | null; rows: Row[] }[] = [];
  let key: string | null = null;
  for (const row of table.rows) {
    const k = by.map((i) => cellText(row[i])).join('\u0000');
    if (k !== key) {
      const [first, ...rest] = by.map((i) => `${headers(table)[i]}: ${cellText(row[i]) || 'không rõ'}`);
      out.push({ heading: [first, ...rest].join(' · '), rows: [] });
      key = k;
    }
    out.at(-1)!.rows.push(row);
  }
  return out;
}

export function reportText(table: ReportTable, limit = 50): string {
  const shown = table.rows.slice(0, limit);
  const head = headers(table);
  const widths = head.map((c, i) => Math.max(c.length, ...shown.map((r) => cellText(r[i]).length)));
  const line = (cells: Row) =>
    cells.map((c, i) => (typeof c === 'number' ? cellText(c).padStart(widths[i]!) : cellText(c).padEnd(widths[i]!))).join('  ');
  const lines = [table.title];
  let printed = 0;
  for (const group of groups({ ...table, rows: shown })) {
    if (group.heading !== null) lines.push('', `${group.heading} (${group.rows.length})`);
    if (group.heading !== null || printed === 0) lines.push(line(head));
    lines.push(...group.rows.map(line));
    printed += group.rows.length;
  }
  if (table.rows.length > limit) lines.push(`… ${table.rows.length - limit} more rows (--format csv|xlsx|html --out FILE for all)`);
  return lines.join('\n');
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The HTML reports' only style (tables and documents), inline so a file stands alone; the service allows it by its hash (CSP). */
export const REPORT_HTML_STYLE =
  'body{font-family:system-ui,sans-serif;margin:1rem}table{border-collapse:collapse;margin-bottom:1rem}th,td{border:1px solid #ccc;padding:.25rem .5rem}td.n{text-align:right}th{background:#eef}h2{font-size:1.1rem}p.note{margin:.2rem 0}';

export function reportHtml(table: ReportTable): string {
  const head = headers(table).map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = (rows: Row[]) =>
    rows.map((r) => `<tr>${r.map((c) => (typeof c === 'number' ? `<td class="n">${c}</td>` : `<td>${escapeHtml(cellText(c))}</td>`)).join('')}</tr>`).join('\n');
  const sections = groups(table)
    .map((g) => `${g.heading === null ? '' : `<h2>${escapeHtml(g.heading)} (${g.rows.length})</h2>\n`}<table><thead><tr>${head}</tr></thead><tbody>
${body(g.rows)}
</tbody></table>`)
    .join('\n');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(table.title)}</title>
<style>${REPORT_HTML_STYLE}</style>
</head><body><h1>${escapeHtml(table.title)}</h1>
${sections}
</body></html>
`;
}

export async function reportXlsx(table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('report');
  sheet.addRow([table.title]);
  for (const group of groups(table)) {
    if (group.heading !== null) sheet.addRow([group.heading]).font = { bold: true, italic: true };
    if (group.heading !== null || sheet.rowCount === 1) sheet.addRow([...headers(table)]).font = { bold: true };
    for (const row of group.rows) sheet.addRow([...row]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function renderReport(table: ReportTable, format: ReportFormat): Promise<string | Buffer> {
  switch (format) {
    case 'text':
      return reportText(table) + '\n';
    case 'csv':
      // UTF-8 with a BOM, so that Excel opens Vietnamese intact (../shared/contract/reports.md).
      return '\ufeff' + reportCsv(table);
    case 'html':
      return reportHtml(table);
    case 'xlsx':
      return reportXlsx(table);
  }
}

// ---------------------------------------------------------------- documents of several sections

/** Every row of every section: a document's tables are aggregates, never long enough to cut. */
export function documentText(doc: ReportDocument): string {
  const parts = [doc.title, ...doc.notes];
  for (const section of doc.sections) parts.push('', reportText(section, Number.POSITIVE_INFINITY));
  return parts.join('\n') + '\n';
}

/** One CSV: the title and notes as one-cell lines, then each section's title, header and rows, a blank line apart. */
export function documentCsv(doc: ReportDocument): string {
  const lines = [csvLine([doc.title]), ...doc.notes.map((n) => csvLine([n]))];
  for (const section of doc.sections) lines.push('', csvLine([section.title]), reportCsv(section).trimEnd());
  return '\ufeff' + lines.join('\n') + '\n';
}

export function documentHtml(doc: ReportDocument): string {
  const sections = doc.sections
    .map((s) => {
      const head = s.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
      const body = s.rows
        .map((r) => `<tr>${r.map((c) => (typeof c === 'number' ? `<td class="n">${c}</td>` : `<td>${escapeHtml(cellText(c))}</td>`)).join('')}</tr>`)
        .join('\n');
      return `<h2>${escapeHtml(s.title)}</h2>\n<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(doc.title)}</title>
<style>${REPORT_HTML_STYLE}</style>
</head><body><h1>${escapeHtml(doc.title)}</h1>
${doc.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n')}
${sections}
</body></html>
`;
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetName(title: string, taken: Set<string>): string {
  const base = title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28).trim() || 'Sheet';
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base} ${i}`;
  taken.add(name.toLowerCase());
  return name;
}

/** One sheet per section, each carrying the title and notes above its table. */
export async function documentXlsx(doc: ReportDocument): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const taken = new Set<string>();
  for (const section of doc.sections) {
    const sheet = workbook.addWorksheet(sheetName(section.title, taken));
    sheet.addRow([doc.title]).font = { bold: true };
    for (const note of doc.notes) sheet.addRow([note]);
    sheet.addRow([section.title]).font = { bold: true };
    sheet.addRow([...section.columns]).font = { bold: true };
    for (const row of section.rows) sheet.addRow([...row]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function renderDocument(doc: ReportDocument, format: ReportFormat): Promise<string | Buffer> {
  switch (format) {
    case 'text':
      return documentText(doc);
    case 'csv':
      return documentCsv(doc);
    case 'html':
      return documentHtml(doc);
    case 'xlsx':
      return documentXlsx(doc);
  }
}
