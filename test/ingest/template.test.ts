/**
 * The input template: every contract field under a header the import reads back, and a template a station
 * filled in loads on both databases with every field where it was typed.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELDS } from '../../src/base/fields.js';
import { mapColumns } from '../../src/ingest/fields.js';
import { importFile } from '../../src/ingest/import.js';
import { inputTemplate, TEMPLATE_COLUMNS } from '../../src/ingest/template.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

const dir = tempDir();

describe('the input template', () => {
  it('names every field of the contract, in its order, under a header the import maps back to it', () => {
    expect(TEMPLATE_COLUMNS.map((c) => c.field)).toEqual([...FIELDS]);
    const mapping = mapColumns(TEMPLATE_COLUMNS.map((c) => c.header));
    expect(mapping.missing).toEqual([]);
    expect(mapping.ignored).toEqual([]);
    FIELDS.forEach((field, i) => expect(mapping.columns[field]).toBe(i));
  });

  it('as CSV: a BOM and the header row only', async () => {
    const text = (await inputTemplate('csv')).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.trim().split('\r\n')).toHaveLength(1);
    expect(text).toContain('Họ và tên');
  });

  it('as XLSX: a sheet to fill (frozen header, notes, text cells) and a guide with an example per column', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await inputTemplate('xlsx')) as never); // exceljs types a Buffer of its own
    const [fill, guide] = workbook.worksheets;
    expect(fill!.name).toBe('Mẫu nhập');
    expect(fill!.rowCount).toBe(1);
    expect(fill!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(fill!.getRow(1).getCell(2).value).toBe('Họ và tên');
    expect(String(fill!.getRow(1).getCell(2).note)).toContain('Bắt buộc');
    expect(fill!.getColumn(5).numFmt).toBe('@');
    expect(guide!.name).toBe('Hướng dẫn');
    expect(guide!.rowCount).toBe(1 + FIELDS.length);
  });
});

describe.each(BACKENDS)('a filled-in template on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('imports with every typed field in place', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await inputTemplate('xlsx')) as never); // exceljs types a Buffer of its own
    const sheet = workbook.getWorksheet('Mẫu nhập')!;
    const values: Record<string, string> = { record_id: '7', full_name: 'Trần Văn Bình', birth_date: '05/03/2024', sex: 'Nam', phone: '0912345678', vaccine: 'BCG', dose_number: '1', vaccination_date: '06/03/2024' };
    sheet.addRow(TEMPLATE_COLUMNS.map((c) => values[c.field] ?? ''));
    const file = path.join(dir, `template-${kind}.xlsx`);
    fs.writeFileSync(file, Buffer.from(await workbook.xlsx.writeBuffer()));

    const summary = await importFile(t.database, file, { source: 'station', today: '2026-12-01' });
    expect(summary.rows).toBe(1);
    expect(summary.ignoredColumns).toEqual([]);
    const record = await t.database.db.selectFrom('record').selectAll().where('batch_id', '=', summary.batchId).executeTakeFirstOrThrow();
    expect(record).toMatchObject({ record_id: '7', full_name: 'Trần Văn Bình', birth_date: '2024-03-05', sex: 'male', phone: '0912345678', vaccination_date: '2024-03-06', dose_number: 1 });
  });
});
