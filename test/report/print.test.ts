/**
 * Reports fit to send upward (issue 13 item 7): the XLSX read back with ExcelJS (administrative header, frozen
 * and filtered header row, real dates shown dd/mm/yyyy, column widths, one sheet per section or commune, the
 * signature block), Vietnamese words for the codes, commune names beside codes, text that never cuts off the
 * totals, and one village however it is written. Tables are built by hand: the renderers are pure.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CALL_LIST_COLUMNS, villageKey, villageOf } from '../../src/report/call-list.js';
import type { ReportDocument } from '../../src/report/document.js';
import { documentXlsx, reportCsv, reportHtml, reportText, reportXlsx } from '../../src/report/format.js';
import type { ReportTable } from '../../src/report/table.js';

const X = '15469'; // Xã Yên Định (2025 list)
const LABELS = ['Mã người', 'Họ và tên', 'Ngày sinh', 'Giới', 'Người giám hộ', 'Điện thoại', 'Thôn/xóm', 'Mã xã', 'Trường', 'Vắc xin', 'Mũi', 'Đến hạn từ', 'Số ngày quá hạn', 'Trạng thái'];

/** A call list as callList() makes it: `n` people of two villages of one commune, one of them a planted formula. */
function callListTable(n: number): ReportTable {
  const rows = Array.from({ length: n }, (_, i) => [
    `P${i + 1}`, i === 0 ? '=HYPERLINK("http://x","y")' : `Người ${i + 1}`, i === 1 ? '2025' : '2026-03-01', 'Nam', null, '0912000001',
    i < n / 2 ? 'Thôn 5' : 'Thôn Đông', X, null, 'measles', 1, '2026-12-01', 1, 'due',
  ]);
  return {
    title: 'Danh sách mời tiêm ngày 02/12/2026 (tất cả các xã/phường)',
    date: '2026-12-02',
    notes: ['Ngày lập danh sách: 02/12/2026.'],
    columns: CALL_LIST_COLUMNS,
    labels: LABELS,
    rows,
    groupBy: [7, 6],
    communeColumns: [7],
    printedValues: { 9: { measles: 'Sởi' }, 13: { due: 'Đến hạn' } },
  };
}

async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as never);
  return workbook;
}

/** The row number whose first cell is `text`, or 0. */
function rowOf(sheet: ExcelJS.Worksheet, text: string, column = 1): number {
  let found = 0;
  sheet.eachRow((row, number) => {
    if (!found && row.getCell(column).value === text) found = number;
  });
  return found;
}

const texts = (sheet: ExcelJS.Worksheet) => {
  const all: string[] = [];
  sheet.eachRow((row) => row.eachCell((cell) => typeof cell.value === 'string' && all.push(cell.value)));
  return all;
};

describe('XLSX as an officer expects', () => {
  it('the call list: a summary sheet and a sheet per commune, each with the header, filters, dates and signatures', async () => {
    const workbook = await load(await reportXlsx(callListTable(6), { unit: 'TRẠM Y TẾ XÃ YÊN ĐỊNH' }));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Tổng hợp', `${X} Xã Yên Định`]);

    const sheet = workbook.worksheets[1]!;
    // the administrative header: the unit and the national motto, then the title and the notes
    expect(sheet.getCell('A1').value).toBe('TRẠM Y TẾ XÃ YÊN ĐỊNH');
    expect(texts(sheet)).toEqual(expect.arrayContaining(['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'Ngày lập danh sách: 02/12/2026.']));
    // the header row: Vietnamese, the commune name beside its code, frozen, with a filter over header and rows
    const header = rowOf(sheet, 'Mã người');
    expect(header).toBeGreaterThan(4);
    const headerCells = (sheet.getRow(header).values as unknown[]).slice(1);
    expect(headerCells).toEqual([...LABELS.slice(0, 8), 'Tên xã/phường', ...LABELS.slice(8)]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: header });
    // read back as a range: columns A to O (15 columns), the header row to the last row
    expect(sheet.autoFilter).toBe(`A${header}:O${header + 6}`);
    // rows: the commune's name, Vietnamese words for the codes, a real date shown dd/mm/yyyy, a year as text
    const first = sheet.getRow(header + 1);
    expect(first.getCell(9).value).toBe('Xã Yên Định');
    expect(first.getCell(11).value).toBe('Sởi');
    expect(first.getCell(15).value).toBe('Đến hạn');
    const birth = first.getCell(3);
    expect(birth.type).toBe(ExcelJS.ValueType.Date);
    expect(birth.numFmt).toBe('dd/mm/yyyy');
    expect((birth.value as Date).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(first.getCell(12).value).toBe(1); // the dose number
    expect(first.getCell(13).type).toBe(ExcelJS.ValueType.Date); // due from
    expect(sheet.getRow(header + 2).getCell(3).value).toBe('2025');
    // a planted formula stays text
    expect(first.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(first.getCell(2).value).toBe('=HYPERLINK("http://x","y")');
    // widths fit the content: the name column is wider than the sex column
    expect(sheet.getColumn(2).width).toBeGreaterThan(sheet.getColumn(4).width!);
    expect(sheet.getColumn(3).width).toBeGreaterThanOrEqual(10);
    // the signature block below the table
    const signers = rowOf(sheet, 'Người lập biểu');
    expect(signers).toBeGreaterThan(header + 6);
    expect(texts(sheet)).toEqual(expect.arrayContaining(['Thủ trưởng đơn vị', '(Ký, ghi rõ họ tên)', '(Ký tên, đóng dấu)', '……, ngày 02 tháng 12 năm 2026']));

    // the summary: rows and people per village, and the total
    const summary = workbook.worksheets[0]!;
    const top = rowOf(summary, 'Mã xã');
    expect((summary.getRow(top).values as unknown[]).slice(1)).toEqual(['Mã xã', 'Tên xã/phường', 'Thôn/xóm', 'Số dòng', 'Số người']);
    expect((summary.getRow(top + 1).values as unknown[]).slice(1)).toEqual([X, 'Xã Yên Định', 'Thôn 5', 3, 3]);
    expect((summary.getRow(top + 3).values as unknown[]).slice(1)).toEqual(['Tổng cộng', undefined, undefined, 6, 6]);
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: top });
    expect(rowOf(summary, 'Người lập biểu')).toBeGreaterThan(top + 3);
  });

  it('without a configured unit, a line to fill in by hand', async () => {
    const sheet = (await load(await reportXlsx(callListTable(2)))).worksheets[0]!;
    expect(String(sheet.getCell('A1').value)).toMatch(/^Đơn vị báo cáo: …/);
  });

  it('a document: one sheet per section, each with the header and the signature block', async () => {
    const doc: ReportDocument = {
      title: 'Báo cáo tiêm chủng ngày 02/12/2026',
      date: '2026-12-02',
      notes: ['Ngày báo cáo: 02/12/2026', 'Phạm vi: toàn bộ dữ liệu'],
      sections: [
        { title: 'Số mũi tiêm trong ngày', columns: ['Xã/phường', 'Trong ngày'], rows: [['00097 Phường Hồng Hà', 3], ['Tổng cộng', 3]] },
        { title: 'Phản ứng sau tiêm (AEFI)', columns: ['Xã/phường', 'Phản ứng nặng'], rows: [['Tổng cộng', 0]] },
      ],
    };
    const workbook = await load(await documentXlsx(doc, { unit: 'TTYT' }));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Số mũi tiêm trong ngày', 'Phản ứng sau tiêm (AEFI)']);
    workbook.worksheets.forEach((sheet, i) => {
      const header = rowOf(sheet, 'Xã/phường');
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: header });
      expect(sheet.autoFilter).toBe(`A${header}:B${header + doc.sections[i]!.rows.length}`);
      expect(texts(sheet)).toEqual(expect.arrayContaining(['TTYT', doc.title, doc.sections[i]!.title, 'Ngày báo cáo: 02/12/2026', 'Người lập biểu', 'Thủ trưởng đơn vị']));
    });
  });
});

describe('text and HTML', () => {
  it('never cut off the totals: a long list prints its counts, a table its total rows', () => {
    const text = reportText(callListTable(400), 50);
    expect(text).toContain('… còn 350 dòng nữa');
    expect(text).toContain('Tổng cộng: 400 dòng, 400 người, 2 nhóm (Mã xã, Thôn/xóm)');
    expect(text).toMatch(/Mã xã: 15469 Xã Yên Định · Thôn\/xóm: Thôn Đông: 200 dòng/);
    // dates as Vietnamese forms write them, codes in words
    expect(text).toContain('01/03/2026');
    expect(text).not.toContain('2026-03-01');
    expect(text).toContain('Đến hạn');

    const rows = [...Array.from({ length: 120 }, (_, i) => [`0000${i}`, 'COVID-19 18+', 10, 50]), ['tất cả', 'COVID-19 18+', 1200, 50]];
    const table: ReportTable = { title: 'Tỷ lệ bao phủ', columns: ['commune', 'group', 'people', '%'], rows, totalRows: 1 };
    const cut = reportText(table, 10).split('\n');
    expect(cut.at(-1)).toMatch(/^tất cả\s+COVID-19 18\+\s+1200\s+50$/);
    expect(cut).toContain('… còn 110 dòng nữa (xem đủ: --format csv|xlsx|html --out FILE)');

    // only the totals (the demo prints the overall rows alone): the header once, above them
    const totalsOnly = reportText({ ...table, rows: rows.slice(-1) }).split('\n');
    expect(totalsOnly.filter((l) => l.startsWith('commune'))).toHaveLength(1);
    expect(totalsOnly.at(-1)).toMatch(/^tất cả/);
  });

  it('the CSV keeps the contract: codes, ISO dates, no added columns', () => {
    const csv = reportCsv(callListTable(2));
    expect(csv.split('\n')[0]).toBe(CALL_LIST_COLUMNS.join(','));
    expect(csv.split('\n')[1]).toBe(`P1,"'=HYPERLINK(""http://x"",""y"")",2026-03-01,Nam,,0912000001,Thôn 5,${X},,measles,1,2026-12-01,1,due`);
  });

  it('HTML carries the unit, the motto, the notes and the signature block', () => {
    const html = reportHtml(callListTable(2), { unit: 'TRẠM Y TẾ XÃ YÊN ĐỊNH' });
    for (const part of ['TRẠM Y TẾ XÃ YÊN ĐỊNH', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Ngày lập danh sách: 02/12/2026.', 'Người lập biểu', 'Thủ trưởng đơn vị', '<th scope="col">Tên xã/phường</th>']) {
      expect(html).toContain(part);
    }
  });
});

describe('one village is one village', () => {
  it('however the address writes it', () => {
    const same = ['Thôn 5', 'Thôn 5, Xã Yên Định', 'thôn 5 ,  xã Yên Định', 'Thôn 05', 'Thôn số 5', 'Số 12 thôn 5, xã Yên Định', 'THÔN 5; Yên Định'];
    expect(new Set(same.map((a) => villageKey(villageOf(a))))).toEqual(new Set(['thon 5']));
    // and different villages stay apart
    expect(villageKey(villageOf('Thôn 15'))).toBe('thon 15');
    expect(villageKey(villageOf('Xóm 5'))).toBe('xom 5');
    expect(villageKey(villageOf('Thôn 50'))).toBe('thon 50');
    expect(villageOf('Số 12, Xóm Chùa, xã Yên Định')).toBe('Xóm Chùa');
  });
});
