import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileRegistry, loadRegistryFile } from '../../../connectors/registry/file.js';
import { RegistryError } from '../../../connectors/registry/types.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../../helpers/database.js';

const dir = tempDir();

function writeFile(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

// An extract as it arrives: BOM, Vietnamese headers in odd case and spacing, NFD text, dd/mm/yyyy and
// year-only dates, an ID that lost its leading zero, an old commune code, a repeated ID, a bad ID.
const EXTRACT =
  '\ufeffSỐ ĐỊNH DANH,Họ  và tên,NGÀY SINH,Giới tính,Mã xã,Trạng Thái,Ngày mất\n' +
  '001085012345,NGUYỄN THỊ THUỶ,15/03/1985,Nữ,00004,Còn sống,\n' +
  `79060012346,${'Trần Văn Hoà'.normalize('NFD')},1960,Nam,00001,${'Đã chết'.normalize('NFD')},02/01/2024\n` +
  '12345,Lê Văn An,1990,Nam,,còn sống,\n' +
  '\n' +
  '048301000001,Phạm Thị Lan,2001-07-09,nữ,00376,alive,\n' +
  '001085012345,Nguyễn Thị Thủy,16/03/1985,Nữ,00004,Còn sống,\n' +
  '001301000002,Phạm Thị Lan,09/07/2001,Nữ,00004,,\n';

describe.each(BACKENDS)('file registry on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('loads an extract with Vietnamese headers, cleaning every value with the project rules', async () => {
    const file = writeFile(`registry-${kind}.csv`, EXTRACT);
    const summary = await loadRegistryFile(t.database, file);
    expect(summary).toMatchObject({ file: `registry-${kind}.csv`, format: 'csv', rows: 6, loaded: 4, rejected: 1, duplicates: 1 });
    expect(summary.source).toMatch(new RegExp(`^file:registry-${kind}\\.csv#[0-9a-f]{12}$`));
    expect(summary.problems).toEqual([
      { file: `registry-${kind}.csv`, row: 4, column: 'Số định danh'.toUpperCase(), problem: expect.stringMatching(/citizen ID is unusable/) },
    ]);
    // The problem never repeats the ID it is about.
    expect(JSON.stringify(summary.problems)).not.toContain('12345');

    const registry = await fileRegistry(t.database, file);
    expect(registry.source).toBe(summary.source);
    const found = await registry.lookupByIds(['001085012345', '001085012345', '079060012346', '048301000001', '001099999999']);
    expect([...found.keys()].sort()).toEqual(['001085012345', '048301000001', '079060012346']);
    // The first row of a repeated ID is kept.
    expect(found.get('001085012345')).toEqual({
      citizenId: '001085012345',
      fullName: 'Nguyễn Thị Thủy',
      nameKey: 'nguyen thi thuy',
      birthDate: '1985-03-15',
      sex: 'female',
      communeCode: '00004',
      status: 'alive',
      deathDate: null,
    });
    expect(found.get('079060012346')).toEqual({
      citizenId: '079060012346',
      fullName: 'Trần Văn Hòa',
      nameKey: 'tran van hoa',
      birthDate: '1960',
      sex: 'male',
      communeCode: '00097', // the pre-2025 code 00001 went whole into 00097
      status: 'deceased',
      deathDate: '2024-01-02',
    });
    await registry.close();
  });

  it('finds people without an ID by name key and birth date, ranking the same commune first', async () => {
    const registry = await fileRegistry(t.database, `registry-${kind}.csv`);
    const found = await registry.findByIdentity!([
      { key: 'q1', nameKey: 'pham thi lan', birthDate: '2001-07-09', communeCode: '00004' },
      { key: 'q2', nameKey: 'pham thi lan', birthDate: '2001-07-09', communeCode: '99999' },
      { key: 'q3', nameKey: 'tran van hoa', birthDate: '1960', communeCode: null },
      { key: 'q4', nameKey: 'tran van hoa', birthDate: '1960-01-01', communeCode: null },
    ]);
    expect(found.get('q1')!.map((c) => c.citizenId)).toEqual(['001301000002', '048301000001']);
    // A commune that matches nobody hides no one.
    expect(found.get('q2')!.map((c) => c.citizenId)).toEqual(['001301000002', '048301000001']);
    expect(found.get('q3')!.map((c) => c.citizenId)).toEqual(['079060012346']);
    // Birth dates match exactly: a year is not a day.
    expect(found.has('q4')).toBe(false);
  });

  it('replaces the rows of the same file on reload, and keeps the others', async () => {
    const other = writeFile(`other-${kind}.csv`, 'citizen_id,full_name,birth_date,status\n001090000003,Lê Văn Bình,1990,alive\n');
    await loadRegistryFile(t.database, other);
    const file = writeFile(`registry-${kind}.csv`, 'cccd,họ và tên,ngày sinh,trạng thái\n001085012345,Nguyễn Thị Thủy,15/03/1985,sống\n');
    const summary = await loadRegistryFile(t.database, file);
    expect(summary).toMatchObject({ rows: 1, loaded: 1, rejected: 0, duplicates: 0 });

    const registry = await fileRegistry(t.database, file);
    expect(registry.source).toBe(summary.source);
    const found = await registry.lookupByIds(['001085012345', '079060012346', '001090000003']);
    expect([...found.keys()]).toEqual(['001085012345']);
    // Optional columns absent: unknown, not invented.
    expect(found.get('001085012345')).toMatchObject({ sex: null, communeCode: null, deathDate: null, status: 'alive' });
    const others = await (await fileRegistry(t.database, other)).lookupByIds(['001090000003']);
    expect(others.size).toBe(1);
  });

  it('reads an XLSX extract by the same header rules', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Dân cư');
    sheet.addRow(['Danh sách công dân']);
    sheet.addRow(['Số định danh', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Trạng thái']);
    sheet.addRow(['001085012345', 'nguyễn thị thuỷ', '15/03/1985', 'Nữ', 'ĐÃ CHẾT']);
    const file = path.join(dir, `registry-${kind}.xlsx`);
    await workbook.xlsx.writeFile(file);
    const summary = await loadRegistryFile(t.database, file);
    expect(summary).toMatchObject({ format: 'xlsx', rows: 1, loaded: 1 });
    const found = await (await fileRegistry(t.database, file)).lookupByIds(['001085012345']);
    expect(found.get('001085012345')).toMatchObject({ fullName: 'Nguyễn Thị Thủy', status: 'deceased', deathDate: null });
  });

  it('refuses a file without a required column, naming the file and the column', async () => {
    const file = writeFile(`no-status-${kind}.csv`, 'số định danh,họ và tên,ngày sinh\n001085012345,Nguyễn Thị Thủy,1985\n');
    const error = await loadRegistryFile(t.database, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(new RegExp(`no-status-${kind}\\.csv.*status \\(trạng thái\\)`));
  });

  it('refuses an unknown status, naming file, row, column and value, and keeps the previous load', async () => {
    const file = writeFile(`registry-${kind}.csv`, 'cccd,họ và tên,ngày sinh,trạng thái\n001085012345,Nguyễn Thị Thủy,1985,sống\n001090000003,Lê Văn Bình,1990,mất tích\n');
    const error = await loadRegistryFile(t.database, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toBe(
      `bad registry file registry-${kind}.csv, row 3, column "trạng thái": unknown status "mất tích" (expected alive / còn sống or deceased / đã chết)`,
    );
    // The failed load rolled back: the extract loaded before is still the one answering.
    const found = await (await fileRegistry(t.database, file)).lookupByIds(['001085012345']);
    expect(found.get('001085012345')!.birthDate).toBe('1985-03-15');
  });

  it('refuses to query an extract that was never loaded', async () => {
    await expect(fileRegistry(t.database, 'never.csv')).rejects.toThrow(/no registry extract named never\.csv/);
  });
});
