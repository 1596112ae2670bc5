/** A report table as text for the terminal, CSV, XLSX or a standalone HTML page. */
import ExcelJS from 'exceljs';
import { csvLine } from '../base/csv.js';
import type { ReportTable } from './programme.js';

export const REPORT_FORMATS = ['text', 'csv', 'xlsx', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const cellText = (v: string | number | null) => (v === null ? '' : String(v));

export function reportCsv(table: ReportTable): string {
  return [csvLine(table.columns), ...table.rows.map((r) => csvLine(r))].join('\n') + '\n';
}

export function reportText(table: ReportTable, limit = 50): string {
  const shown = table.rows.slice(0, limit);
  const widths = table.columns.map((c, i) => Math.max(c.length, ...shown.map((r) => cellText(r[i] ?? null).length)));
  const line = (cells: readonly (string | number | null)[]) =>
    cells.map((c, i) => (typeof c === 'number' ? cellText(c).padStart(widths[i]!) : cellText(c).padEnd(widths[i]!))).join('  ');
  const more = table.rows.length > limit ? [`… ${table.rows.length - limit} more rows (--format csv|xlsx|html --out FILE for all)`] : [];
  return [table.title, line(table.columns), ...shown.map(line), ...more].join('\n');
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function reportHtml(table: ReportTable): string {
  const head = table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = table.rows
    .map((r) => `<tr>${r.map((c) => (typeof c === 'number' ? `<td class="n">${c}</td>` : `<td>${escapeHtml(cellText(c))}</td>`)).join('')}</tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(table.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.25rem .5rem}td.n{text-align:right}th{background:#eef}</style>
</head><body><h1>${escapeHtml(table.title)}</h1>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></body></html>
`;
}

export async function reportXlsx(table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('report');
  sheet.addRow([table.title]);
  sheet.addRow([...table.columns]).font = { bold: true };
  for (const row of table.rows) sheet.addRow([...row]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function renderReport(table: ReportTable, format: ReportFormat): Promise<string | Buffer> {
  switch (format) {
    case 'text':
      return reportText(table) + '\n';
    case 'csv':
      return reportCsv(table);
    case 'html':
      return reportHtml(table);
    case 'xlsx':
      return reportXlsx(table);
  }
}
