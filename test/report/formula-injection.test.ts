/**
 * CSV formula injection (issue 15, finding 4): a name or an address a station typed as `=HYPERLINK(…)`,
 * `+cmd|…`, `@SUM(…)` must reach a person's spreadsheet as text, in every file made for people; numbers
 * keep their sign; the contract files other tools read keep exact values.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField, csvLine, spreadsheetSafe } from '../../src/base/csv.js';
import { importFile } from '../../src/ingest/import.js';
import { reportCsv, reportXlsx } from '../../src/report/format.js';
import { writeProblemsCsv } from '../../src/report/quality.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

const PLANTED = ['=HYPERLINK("http://x","y")', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];

describe('the CSV quoter for people', () => {
  it('neutralises every formula-like text cell with a leading quote', () => {
    for (const text of PLANTED) expect(spreadsheetSafe(text)).toBe(`'${text}`);
    expect(csvLine(['=1+1', 'a'], ',', { forPeople: true })).toBe("'=1+1,a");
    expect(csvField('@x', ';', { forPeople: true })).toBe("'@x");
  });
  it('leaves numbers, plain signed numbers and ordinary text alone', () => {
    expect(csvLine([-5, -2.5, '-5', '+84', '-0,5', 'Nguyễn Văn An', null], ',', { forPeople: true })).toBe('-5,-2.5,-5,+84,"-0,5",Nguyễn Văn An,');
  });
  it('keeps exact values for contract files (the default)', () => {
    expect(csvLine(['=1+1', '@x', '-a'])).toBe('=1+1,@x,-a');
  });
  it('report downloads are for people; XLSX writes such text as a string, never a formula', async () => {
    const table = { title: 't', columns: ['name', 'n'], rows: [['=HYPERLINK("http://x","y")', -3]] as (string | number)[][] };
    expect(reportCsv(table)).toBe('name,n\n"\'=HYPERLINK(""http://x"",""y"")",-3\n');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await reportXlsx(table)) as never);
    // the data row under the header row ("name", "n")
    const sheet = workbook.worksheets[0]!;
    let header = 0;
    sheet.eachRow((row, number) => {
      if (row.getCell(1).value === 'name' && row.getCell(2).value === 'n') header = number;
    });
    expect(header).toBeGreaterThan(0);
    const cell = sheet.getCell(header + 1, 1);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe('=HYPERLINK("http://x","y")');
    expect(sheet.getCell(header + 1, 2).value).toBe(-3);
  });
});

describe.each(BACKENDS)('the problem list on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('neutralises what the station typed, and keeps the codes and row numbers exact', async () => {
    const dir = tempDir();
    const file = path.join(dir, `planted-${kind}.csv`);
    fs.writeFileSync(file, 'record_id,full_name,birth_date,commune_code\n1,Lê Văn Tám,@SUM(A1),=HYPERLINK("http://x")\n2,Lê Văn Tám,1/2/3/4,5abc\n');
    const { batchId } = await importFile(t.database, file, { today: '2026-01-01' });
    let text = '';
    const sink = { write: (c: unknown) => ((text += String(c)), true), on() {}, once() {}, emit() {}, end() {} };
    await writeProblemsCsv(t.database, sink as unknown as NodeJS.WritableStream, { batchId });
    expect(text).toContain(`,'@SUM(A1),`);
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(text).not.toMatch(/,[=@+]/);
    expect(text).toMatch(/,2,1,Lê Văn Tám,birth_date,/);
    // ordinary values stay as typed (a digit is not a formula start)
    expect(text).toContain(',5abc,');
    expect(text).toContain(',1/2/3/4,');
  });
});
