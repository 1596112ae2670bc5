/**
 * The marked-up copy of a station's file (issue 16, item 3), on both databases: the same rows and columns as
 * sent, every cell with a problem coloured and commented with the catalogue's Vietnamese sentence, nothing
 * run as a formula; from a CSV with a title row, and written by `vaxsync problems --marked-up`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProblems } from '../../src/cli/problems.js';
import { FINDING_CATALOGUE, findingMessage, type FindingCode } from '../../src/clean/findings-catalogue.js';
import { importFile } from '../../src/ingest/import.js';
import { markedUpBatch, markedUpName } from '../../src/report/marked-up.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

const LINES = [
  'DANH SÁCH TIÊM CHỦNG THÁNG 9,,,,,',
  'STT,Họ và tên,Ngày sinh,Số CCCD,Tên vắc xin,Ngày tiêm',
  '1,Nguyễn Thị Thủy,15/03/1985,001185012345,AstraZeneca,20/08/2021',
  '2,Trần Văn Hòa,02/07/1990,12345,Pfizer,01/01/2027', // an ID too short, a date in the future
  '3,"=HYPERLINK(""http://x"",""y"")",1970,,Vero Cell,01/10/2021', // planted in the name column
  '4,Lê Văn Nam,31/02/1960,001060000001,Moderna,01/11/2021', // a day that does not exist
];

describe.each(BACKENDS)('the marked-up file on %s', (kind) => {
  let t: TestDatabase;
  const dir = tempDir();
  let batchId: number;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
    const file = path.join(dir, 'thang9.csv');
    fs.writeFileSync(file, LINES.join('\r\n') + '\r\n');
    batchId = (await importFile(t.database, file, { today: '2026-11-01', station: 'TYT01' })).batchId;
  });
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every row and column in place, and marks each problem cell with its Vietnamese comment', async () => {
    const file = (await markedUpBatch(t.database, batchId))!;
    expect(file.fileName).toBe('thang9-danh-dau.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buffer(file.body)) as never); // written as it is read: a stream
    const sheet = workbook.worksheets[0]!;
    // same rows and columns, as text (the title row, the header, the data)
    const expected = [
      ['DANH SÁCH TIÊM CHỦNG THÁNG 9'],
      ['STT', 'Họ và tên', 'Ngày sinh', 'Số CCCD', 'Tên vắc xin', 'Ngày tiêm'],
      ['1', 'Nguyễn Thị Thủy', '15/03/1985', '001185012345', 'AstraZeneca', '20/08/2021'],
      ['2', 'Trần Văn Hòa', '02/07/1990', '12345', 'Pfizer', '01/01/2027'],
      ['3', '=HYPERLINK("http://x","y")', '1970', null, 'Vero Cell', '01/10/2021'],
      ['4', 'Lê Văn Nam', '31/02/1960', '001060000001', 'Moderna', '01/11/2021'],
    ];
    expected.forEach((cells, r) => cells.forEach((value, c) => expect(sheet.getCell(r + 1, c + 1).value ?? null).toBe(value)));
    expect(sheet.getCell(5, 2).type).toBe(ExcelJS.ValueType.String); // never a formula

    // the marked cells are exactly the (row, column) pairs with a warning or an invalid finding (independent SQL)
    const findings = (
      await sql<{ row: number; field: string; code: string; severity: string }>`
        select r.row_number as row, k.field, k.code, k.severity
        from record r cross join unnest(r.findings) as c(code) join finding_kind k on k.code = c.code
        where r.batch_id = ${batchId} and k.severity <> 'fix'`.execute(t.database.db)
    ).rows;
    const columnOf: Record<string, number> = { record_id: 1, full_name: 2, birth_date: 3, citizen_id: 4, vaccine: 5, vaccination_date: 6 };
    const expectedCells = new Set(findings.map((f) => `${f.row}:${columnOf[f.field] ?? 1}`));
    expect([...expectedCells].sort()).toEqual(expect.arrayContaining(['4:4', '4:6', '5:2', '6:3']));
    const marked: string[] = [];
    sheet.eachRow((row, r) =>
      row.eachCell((cell, c) => {
        if (cell.fill?.type === 'pattern' && cell.fill.pattern === 'solid') marked.push(`${r}:${c}`);
      }),
    );
    expect(marked.sort()).toEqual([...expectedCells].sort());
    expect(file.marked.invalid + file.marked.warning).toBe(expectedCells.size);
    for (const f of findings) {
      const cell = sheet.getCell(f.row, columnOf[f.field] ?? 1);
      const note = cell.note as { texts: { text: string }[] } | string;
      const text = typeof note === 'string' ? note : note.texts.map((x) => x.text).join('');
      expect(FINDING_CATALOGUE.has(f.code as FindingCode)).toBe(true);
      expect(text).toContain(findingMessage(f.code as FindingCode, 'vi'));
      expect(text).toMatch(/^(Lỗi, cần sửa|Cần kiểm tra): /);
    }
    // a clean row is left alone
    for (let c = 1; c <= 6; c++) expect(sheet.getCell(3, c).note).toBeUndefined();
    // the guide lists every problem, the upload reads the first sheet only
    const guide = workbook.getWorksheet('Hướng dẫn sửa')!;
    expect(guide.rowCount).toBe(4 + findings.length);
  });

  it('is written by vaxsync problems --batch ID --marked-up FILE', async () => {
    const out = path.join(dir, 'out.xlsx');
    const lines: string[] = [];
    await runProblems(t.database, { batch: batchId, markedUp: out }, (line) => lines.push(line));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    expect(workbook.worksheets[0]!.getCell(4, 4).value).toBe('12345');
    expect(lines.join('\n')).toMatch(/marked-up copy .* written to .*out\.xlsx \(\d+ cells to correct, \d+ to check\)/);
    await expect(runProblems(t.database, { markedUp: out }, () => {})).rejects.toThrow(/--batch/);
  });
});

describe('markedUpName', () => {
  it('names the copy after the station file', () => {
    expect(markedUpName('Danh sách T9.xlsx')).toBe('Danh sách T9-danh-dau.xlsx');
    expect(markedUpName('thang9.CSV')).toBe('thang9-danh-dau.xlsx');
  });
});
