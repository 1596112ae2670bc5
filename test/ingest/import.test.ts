import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileError } from '../../src/base/errors.js';
import { importFile } from '../../src/ingest/import.js';
import { fieldQuality, writeProblemsCsv } from '../../src/report/quality.js';
import { findingMessage } from '../../src/clean/findings-catalogue.js';
import { englishIn } from '../console/english.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

const TODAY = '2026-11-01';
const dir = tempDir();

function writeFile(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

// A station file as it really arrives: BOM, semicolons, Vietnamese headers in odd case, NFD text,
// an Excel serial date, an 11-digit CCCD, an old phone prefix, a nameless row and an unknown column.
const STATION_CSV =
  '\ufeffSTT;HỌ VÀ TÊN;Ngày sinh;Giới tính;Số CCCD;SĐT;Tên vắc xin;Mũi thứ;Ngày tiêm;Ghi chú\n' +
  '1;NGUYỄN THỊ THUỶ;15/03/1985;Nữ;001185012345;0912345678;AstraZeneca;1;20/08/2021;\n' +
  '2;' + 'Trần Văn Hoà'.normalize('NFD') + ';31134;nam;79085012345;0162 345 6789;Pfizer;2;2021-09-10;x\n' +
  '3;;1990;Nam;;;;;;empty name\n' +
  '\n' +
  '4;Lê  Văn   An;1960;M;;;Vero Cell;1;01/10/2021;\n';

describe.each(BACKENDS)('import on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('stores every raw row as received, then cleans each field', async () => {
    const file = writeFile(`station-${kind}.csv`, STATION_CSV);
    const summary = await importFile(t.database, file, { source: 'station', station: 'TYT-001', today: TODAY });
    expect(summary).toMatchObject({ status: 'loaded', format: 'csv', rows: 4, quarantined: 1 });
    expect(summary.ignoredColumns).toEqual(['Ghi chú']);

    const db = t.database.db;
    const raw = await db.selectFrom('raw_row').selectAll().where('batch_id', '=', summary.batchId).orderBy('row_number').execute();
    // header, 4 data rows and the blank line, each exactly as in the file
    expect(raw.map((r) => r.row_number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(JSON.parse(raw[0]!.cells)[1]).toBe('HỌ VÀ TÊN');
    expect(JSON.parse(raw[2]!.cells)[1]).toBe('Trần Văn Hoà'.normalize('NFD'));
    expect(JSON.parse(raw[2]!.cells)[5]).toBe('0162 345 6789');

    const records = await db.selectFrom('record').selectAll().where('batch_id', '=', summary.batchId).orderBy('row_number').execute();
    expect(records.map((r) => r.row_number)).toEqual([2, 3, 4, 6]);
    const [thuy, hoa, nameless, an] = records;
    expect(thuy).toMatchObject({
      record_id: '1',
      full_name: 'Nguyễn Thị Thủy',
      name_key: 'nguyen thi thuy',
      family_name: 'Nguyễn',
      given_name: 'Thủy',
      birth_date: '1985-03-15',
      sex: 'female',
      citizen_id: '001185012345',
      citizen_id_kind: 'cccd',
      phone: '0912345678',
      vaccine_code: 'COVID-AZ',
      dose_number: 1,
      vaccination_date: '2021-08-20',
      quarantine_reason: null,
    });
    expect(hoa).toMatchObject({
      full_name: 'Trần Văn Hòa',
      birth_date: '1985-03-28', // Excel serial 31134
      citizen_id: '079085012345',
      phone: '0323456789',
      vaccine_code: 'COVID-PFIZER',
    });
    expect(nameless!.quarantine_reason).toMatch(/full name/);
    expect(nameless!.birth_date).toBe('1990');
    expect(an).toMatchObject({ full_name: 'Lê Văn An', birth_date: '1960', birth_year: 1960, sex: 'male' });

    const codes = records.flatMap((r) => r.findings.map((code) => ({ row_number: r.row_number, code })));
    const at = (row: number) => codes.filter((c) => c.row_number === row).map((c) => c.code);
    expect(at(2)).toContain('full_name.tone_mark_convention');
    expect(at(3)).toEqual(expect.arrayContaining(['full_name.unicode_normalized', 'citizen_id.leading_zero_restored', 'phone.old_prefix_converted', 'birth_date.excel_serial']));

    const quality = await fieldQuality(t.database, { batchId: summary.batchId });
    const name = quality.find((q) => q.field === 'full_name')!;
    expect(name.missing).toBe(1);
    expect(name.clean + name.fixed + name.flagged + name.invalid + name.missing).toBe(4);
    const citizen = quality.find((q) => q.field === 'citizen_id')!;
    expect(citizen).toMatchObject({ missing: 2, fixed: 1 });
  });

  it('cleans the same in a worker thread as inline, and counts duplicate record ids', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${i % 4999},Nguyễn Thị Hoà ${String.fromCharCode(65 + (i % 26))},${(i % 28) + 1}/03/1985,Nữ,,0162345${String(i).padStart(4, '0')}`);
    const content = 'record_id,full_name,birth_date,sex,citizen_id,phone\n' + rows.join('\n') + '\n';
    const results = [];
    for (const cleanInWorker of [false, true]) {
      const file = writeFile(`many-${kind}-${cleanInWorker}.csv`, content);
      const summary = await importFile(t.database, file, { today: TODAY, cleanInWorker });
      const records = await t.database.db
        .selectFrom('record')
        .select(['row_number', 'full_name', 'birth_date', 'phone', 'findings'])
        .where('batch_id', '=', summary.batchId)
        .orderBy('row_number')
        .execute();
      results.push({ stats: summary.fieldStats, records });
    }
    expect(results[1]).toEqual(results[0]);
    const [inline] = results;
    expect(inline!.records).toHaveLength(5000);
    expect(inline!.records[0]).toEqual({ row_number: 2, full_name: 'Nguyễn Thị Hòa A', birth_date: '1985-03-01', phone: '0323450000', findings: ['full_name.tone_mark_convention', 'phone.old_prefix_converted'] });
    expect(inline!.stats.record_id).toMatchObject({ clean: 4999, flagged: 1 });
    expect(inline!.records[4999]!.findings).toContain('record_id.duplicate');
  });

  it('writes the row-level problems with the raw value the station typed', async () => {
    const file = writeFile(`problems-${kind}.csv`, 'STT,Họ và tên,Số CCCD,Ngày sinh\nA1,Phạm Văn Bình,12345,31/02/1990\n');
    const summary = await importFile(t.database, file, { today: TODAY });
    const chunks: Buffer[] = [];
    const sink = new (await import('node:stream')).Writable({
      write(chunk, _enc, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    });
    await writeProblemsCsv(t.database, sink, { batchId: summary.batchId });
    const csv = Buffer.concat(chunks).toString('utf8');
    expect(csv.startsWith('\ufeffTệp,Dòng,STT/Mã bản ghi,Họ và tên,Cột,Giá trị đã nhập,Mức độ,Mã lỗi,Vấn đề\n')).toBe(true);
    // the station's own column header, the value as typed, the sentence in Vietnamese (the code kept for tools)
    expect(csv).toContain(`problems-${kind}.csv,2,A1,Phạm Văn Bình,Ngày sinh,31/02/1990,"Lỗi, cần sửa",birth_date.impossible,${findingMessage('birth_date.impossible', 'vi')}`);
    expect(csv).toMatch(new RegExp(`problems-${kind}.csv,2,A1,Phạm Văn Bình,Số CCCD,12345,"Lỗi, cần sửa",citizen_id\\.`));
    expect(englishIn(csv)).toEqual([]);
  });

  it('reads XLSX with dates, numbers and a title row above the header', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Danh sách');
    sheet.addRow(['DANH SÁCH NGƯỜI ĐÃ TIÊM VẮC XIN']);
    sheet.addRow(['Mã bản ghi', 'Họ và tên', 'Ngày sinh', 'CCCD', 'Ngày tiêm', 'Vắc xin']);
    sheet.addRow(['X1', 'Đỗ Thị Hương', new Date(Date.UTC(1992, 4, 7)), 1192012345, new Date(Date.UTC(2021, 6, 1)), 'Moderna']);
    sheet.getCell('C3').numFmt = 'dd/mm/yyyy';
    sheet.getCell('E3').numFmt = 'dd/mm/yyyy';
    const file = path.join(dir, `station-${kind}.xlsx`);
    await workbook.xlsx.writeFile(file);

    const summary = await importFile(t.database, file, { today: TODAY });
    expect(summary).toMatchObject({ status: 'loaded', format: 'xlsx', rows: 1 });
    const record = await t.database.db.selectFrom('record').selectAll().where('batch_id', '=', summary.batchId).executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      row_number: 3,
      record_id: 'X1',
      full_name: 'Đỗ Thị Hương',
      birth_date: '1992-05-07',
      citizen_id: '001192012345', // the number lost its leading zero in Excel
      vaccination_date: '2021-07-01',
      vaccine_code: 'COVID-MODERNA',
    });
  });

  it('fails a file without the required columns, naming file, row and columns', async () => {
    const file = writeFile(`nocols-${kind}.csv`, 'Số thứ tự,Ngày sinh\n1,01/01/1990\n');
    const error = await importFile(t.database, file, { today: TODAY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({ code: 'import.missing_columns', kind: 'user', where: { row: 1 } });
    expect((error as Error).message).toMatch(new RegExp(`^nocols-${kind}\\.csv, row 1: missing required column\\(s\\) record_id, full_name`));
    const batch = await t.database.db.selectFrom('batch').selectAll().where('file_name', '=', `nocols-${kind}.csv`).executeTakeFirstOrThrow();
    expect(batch.status).toBe('failed');
    expect(batch.error).toContain('missing required column');
  });

  it('fails a name column typed in the TCVN3 legacy font, keeping the raw rows and no cleaned row', async () => {
    const rows = ['NguyÔn V¨n An', 'TrÇn ThÞ H»ng', 'Lª V¨n B×nh', 'Ph¹m ThÞ Lan'];
    const file = writeFile(`tcvn3-${kind}.csv`, 'record_id,full_name\n' + rows.map((n, i) => `${i + 1},${n}`).join('\n') + '\n');
    const error = await importFile(t.database, file, { today: TODAY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({ code: 'import.legacy_font', where: { row: 2, column: 'full_name' } });
    expect((error as Error).message).toMatch(new RegExp(`^tcvn3-${kind}\\.csv, row 2, column "full_name": 4 of 4 names are typed in the TCVN3`));
    const batch = await t.database.db.selectFrom('batch').selectAll().where('file_name', '=', `tcvn3-${kind}.csv`).executeTakeFirstOrThrow();
    expect(batch.status).toBe('failed');
    const raw = await t.database.db.selectFrom('raw_row').select('row_number').where('batch_id', '=', batch.id).execute();
    expect(raw).toHaveLength(5);
    const records = await t.database.db.selectFrom('record').select('row_number').where('batch_id', '=', batch.id).execute();
    expect(records).toHaveLength(0);
  });

  it('fails a file that is not UTF-8, naming the row and column', async () => {
    const latin1 = Buffer.concat([Buffer.from('record_id,full_name\n1,Nguyen Van A\n2,'), Buffer.from([0x4e, 0x67, 0x75, 0x79, 0xea, 0x6e]), Buffer.from('\n')]);
    const file = writeFile(`latin1-${kind}.csv`, latin1);
    await expect(importFile(t.database, file, { today: TODAY })).rejects.toThrow(
      new RegExp(`^latin1-${kind}\\.csv, row 3, column "full_name": the text is not UTF-8: it looks like Windows-1258`),
    );
  });

  it('fails a CSV whose quoted cell is never closed, naming the row', async () => {
    const file = writeFile(`quote-${kind}.csv`, 'record_id,full_name\n1,Lê Văn An\n2,"Trần Thị Bình\n3,Phạm Văn Cường\n');
    await expect(importFile(t.database, file, { today: TODAY })).rejects.toThrow(
      new RegExp(`quote-${kind}\\.csv, row 3: the CSV cannot be read: a quoted cell is never closed`),
    );
  });

  it('rejects an old binary .xls workbook with a clear instruction', async () => {
    const file = writeFile('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]));
    await expect(importFile(t.database, file, { today: TODAY })).rejects.toThrow(/old\.xls: this is an old Excel 97-2003 \(\.xls\) workbook/);
  });
});
