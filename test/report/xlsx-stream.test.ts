/**
 * Large XLSX files are written as they are read (src/base/xlsx-stream.ts): a province's call list read back
 * whole and right (every row in its commune's sheet, the Vietnamese header, planted formulas as text), the
 * writer waiting for a reader that does not read instead of piling the workbook up in memory, and stopping when
 * the reader goes away.
 */
import { Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CALL_LIST_COLUMNS } from '../../src/report/call-list.js';
import { reportXlsxStream } from '../../src/report/format.js';
import type { ReportTable } from '../../src/report/table.js';
import { keepPace, xlsxStream, XlsxReaderGone } from '../../src/base/xlsx-stream.js';

const LABELS = ['Mã người', 'Họ và tên', 'Ngày sinh', 'Giới', 'Người giám hộ', 'Điện thoại', 'Thôn/xóm', 'Mã xã', 'Trường', 'Vắc xin', 'Mũi', 'Đến hạn từ', 'Số ngày quá hạn', 'Trạng thái'];
const COMMUNES = ['00376', '15469', '16549']; // three communes of the 2025 list: three sheets after the summary
const PLANTED = ['=HYPERLINK("http://x","y")', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
const N = 24_000;
/** A CR in a cell reads back as a LF (XML's line ends; the in-memory writer did the same): a text cell still. */
const xmlText = (text: string) => text.replace(/\r/g, '\n');
/** A cell's text: a string, or a rich text's runs joined (as the import reads it). */
const textOf = (cell: ExcelJS.Cell) =>
  typeof cell.value === 'string' ? cell.value : ((cell.value as ExcelJS.CellRichTextValue | null)?.richText?.map((r) => r.text).join('') ?? '');

/** `N` rows as callList() makes them, sorted by commune and village, a planted formula every 1,000 rows. */
function bigCallList(): ReportTable {
  const rows = Array.from({ length: N }, (_, i) => {
    const commune = COMMUNES[Math.floor((i * COMMUNES.length) / N)]!;
    const name = i % 1000 === 7 ? PLANTED[(i / 1000) % PLANTED.length | 0]! : i === 1 ? ' Nguyễn Thị Cách ' : `Nguyễn Thị Người ${i}`;
    return [`P${i}`, name, '2021-03-01', 'Nữ', null, '0912000001', `Thôn ${1 + (i % 10)}`, commune, null, 'measles', 1, '2022-05-01', 31, 'overdue'];
  });
  rows.sort((a, b) => `${a[7]}|${a[6]}`.localeCompare(`${b[7]}|${b[6]}`) || Number(String(a[0]).slice(1)) - Number(String(b[0]).slice(1)));
  return {
    title: 'Danh sách mời tiêm ngày 01/06/2022 (tất cả các xã/phường)',
    date: '2022-06-01',
    notes: ['Ngày lập danh sách: 01/06/2022.'],
    columns: CALL_LIST_COLUMNS,
    labels: LABELS,
    rows,
    groupBy: [7, 6],
    communeColumns: [7],
    printedValues: { 9: { measles: 'Sởi' }, 13: { overdue: 'Quá hạn' } },
  };
}

describe('a province-size call list as XLSX', () => {
  it('is read back whole: every row under its commune, the header, dates, planted formulas as text', async () => {
    const table = bigCallList();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buffer(reportXlsxStream(table))) as never);
    expect(workbook.worksheets).toHaveLength(1 + COMMUNES.length);
    let dataRows = 0;
    const planted: ExcelJS.Cell[] = [];
    const formulas: ExcelJS.Cell[] = [];
    for (const sheet of workbook.worksheets.slice(1)) {
      let header = 0;
      let signers = 0;
      sheet.eachRow((row, number) => {
        if (row.getCell(1).value === 'Mã người') header = number;
        if (row.getCell(1).value === 'Người lập biểu') signers = number;
        row.eachCell((cell) => {
          if (cell.type === ExcelJS.ValueType.Formula) formulas.push(cell);
          if (PLANTED.map(xmlText).includes(textOf(cell))) planted.push(cell);
        });
      });
      expect((sheet.getRow(header).values as unknown[]).slice(1)).toEqual([...LABELS.slice(0, 8), 'Tên xã/phường', ...LABELS.slice(8)]);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: header });
      const rows = signers - 3 - header; // the table, a blank row, the date line, then the signers
      const commune = sheet.name.slice(0, 5);
      expect(rows).toBe(table.rows.filter((r) => r[7] === commune).length);
      expect(sheet.autoFilter).toBe(`A${header}:O${header + rows}`);
      const first = sheet.getRow(header + 1);
      expect(first.getCell(3).type).toBe(ExcelJS.ValueType.Date);
      expect(first.getCell(3).numFmt).toBe('dd/mm/yyyy');
      expect(first.getCell(11).value).toBe('Sởi');
      dataRows += rows;
    }
    expect(dataRows).toBe(N);
    expect(formulas).toEqual([]);
    // spaces around a text survive (a reader may trim them from a plain inline string)
    expect(workbook.worksheets.flatMap((sheet) => sheet.getColumn(2).values.filter((v) => v && typeof v === 'object')).map((v) => (v as ExcelJS.CellRichTextValue).richText[0]!.text)).toContain(' Nguyễn Thị Cách ');
    // every planted formula arrived as a string cell with its value
    expect(planted.map(textOf).sort()).toEqual(table.rows.map((r) => r[1] as string).filter((v) => PLANTED.includes(v)).map(xmlText).sort());
    // a string, or (text starting with a tab or a line end, kept exact) a one-run rich text: text either way
    for (const cell of planted) expect([ExcelJS.ValueType.String, ExcelJS.ValueType.RichText]).toContain(cell.type);
  });
});

describe('the streaming writer', () => {
  it('waits for a reader that does not read, and goes on when it reads', async () => {
    const total = 40_000;
    let committed = 0;
    const stream = xlsxStream(async (workbook, out) => {
      const sheet = workbook.addWorksheet('a');
      for (let r = 1; r <= total; r++) {
        sheet.getRow(r).values = [`P${r}`, `Nguyễn Văn ${r} ${'x'.repeat(r % 40)}`, r];
        sheet.getRow(r).commit();
        committed = r;
        if (r % 500 === 0) await keepPace(out);
      }
      sheet.commit();
    });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // nobody reads for a second
    expect(committed).toBeLessThan(total / 4); // the rows wait instead of piling up in memory
    const body = await buffer(stream);
    expect(committed).toBe(total);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(body as never);
    expect(workbook.worksheets[0]!.rowCount).toBe(total);
  });

  it('stops when the reader goes away (a cancelled download), instead of waiting for ever', async () => {
    let committed = 0;
    let stopped: unknown = null;
    const stream = xlsxStream(async (workbook, out) => {
      const sheet = workbook.addWorksheet('a');
      try {
        for (let r = 1; r <= 40_000; r++) {
          sheet.getRow(r).values = [`P${r}`, `Nguyễn Văn ${r} ${'x'.repeat(r % 40)}`, r];
          sheet.getRow(r).commit();
          committed = r;
          if (r % 500 === 0) await keepPace(out);
        }
        sheet.commit();
      } catch (error) {
        stopped = error;
        throw error;
      }
    });
    stream.once('data', () => stream.destroy()); // the first bytes, then the phone's connection drops
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stopped).toBeInstanceOf(XlsxReaderGone);
    expect(committed).toBeLessThan(40_000);
  });

  it('keepPace returns when the reader drains', async () => {
    let drained = false;
    const slow = new Writable({ highWaterMark: 1, write: (_chunk, _encoding, done) => setTimeout(() => ((drained = true), done()), 50) });
    slow.write('x');
    expect(slow.writableNeedDrain).toBe(true);
    await keepPace(slow);
    expect(drained).toBe(true);
  });
});
