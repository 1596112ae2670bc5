/**
 * Hostile and unlucky input to the import (issue 15, findings 2, 5 and 8): characters PostgreSQL text cannot
 * hold, cells no person types, misleading messages. Each file either loads or fails with a clear error; the
 * batch is never left `loading` and never `loaded` after a failure; the raw rows are kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileError } from '../../src/base/errors.js';
import { importFile } from '../../src/ingest/import.js';
import { decodeRawCells } from '../../src/base/raw-cells.js';
import { writeProblemsCsv } from '../../src/report/quality.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

const TODAY = '2026-11-01';
const dir = tempDir();

function writeFile(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function problemsCsv(t: TestDatabase, batchId?: number): Promise<string> {
  let text = '';
  const sink = { write: (c: unknown) => ((text += String(c)), true), on() {}, once() {}, emit() {}, end() {} };
  await writeProblemsCsv(t.database, sink as unknown as NodeJS.WritableStream, batchId === undefined ? {} : { batchId, includeFixes: true });
  return text;
}

describe.each(BACKENDS)('hostile input on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const batchOf = (id: number) => t.database.db.selectFrom('batch').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const rawOf = async (id: number) =>
    (await t.database.db.selectFrom('raw_row').select(['row_number', 'cells']).where('batch_id', '=', id).orderBy('row_number').execute()).map((r) => ({
      row: r.row_number,
      cells: decodeRawCells(r.cells),
    }));

  it('loads NUL bytes in a name and an address: stripped with a finding, kept exactly in the raw row, and every report still works', async () => {
    const file = writeFile(`nul-${kind}.csv`, 'record_id,full_name,address\r\n1,Nguy\u0000ễn Văn An,Thôn\u0000 1\r\n2,Lê Thị Bình,\u0000\r\n');
    const summary = await importFile(t.database, file, { today: TODAY });
    expect(summary).toMatchObject({ status: 'loaded', rows: 2 });
    const records = await t.database.db.selectFrom('record').select(['full_name', 'address', 'findings']).where('batch_id', '=', summary.batchId).orderBy('row_number').execute();
    expect(records[0]).toMatchObject({ full_name: 'Nguyễn Văn An', address: 'Thôn 1' });
    expect(records[0]!.findings).toEqual(expect.arrayContaining(['full_name.unstorable_character', 'address.unstorable_character']));
    expect(records[1]!.address).toBeNull();
    // the raw row holds the NUL, exactly as received
    const raw = await rawOf(summary.batchId);
    expect(raw[1]!.cells).toEqual(['1', 'Nguy\u0000ễn Văn An', 'Thôn\u0000 1']);
    // the problem list of this batch and of every batch can be written
    const csv = await problemsCsv(t, summary.batchId);
    expect(csv).toContain('full_name.unstorable_character');
    await problemsCsv(t);
  });

  it('a CLI-sized file with NULs in a name and an address loads and the import returns', async () => {
    const file = writeFile(`nul2-${kind}.csv`, 'record_id,full_name,address\n1,A\u0000n,x\n2,Binh,Th\u0000on\n');
    const summary = await importFile(t.database, file, { today: TODAY, cleanInWorker: true });
    expect(summary.status).toBe('loaded');
    expect((await batchOf(summary.batchId)).status).toBe('loaded');
  });

  it('keeps NULs in headers and refuses nothing because of them', async () => {
    const file = writeFile(`nulhead-${kind}.csv`, 'record_id,full_name,Gh\u0000i chú\n1,Lê Văn Tám,x\n');
    const summary = await importFile(t.database, file, { today: TODAY });
    expect(summary.status).toBe('loaded');
    expect((await batchOf(summary.batchId)).headers[2]).not.toContain('\u0000');
  });

  it('a failure late in the import (a database error) leaves the batch failed, never loading or loaded', async () => {
    const file = writeFile(`late-${kind}.csv`, 'record_id,full_name\n1,Lê Văn Tám\n');
    const database = t.database;
    const broken = {
      ...database,
      copyIn: async (table: string, columns: readonly string[]) => {
        const writer = await database.copyIn(table, columns);
        return table === 'record' ? { ...writer, end: async () => { await writer.abort(); throw new Error('the connection was lost'); } } : writer;
      },
    };
    await expect(importFile(broken, file, { today: TODAY })).rejects.toThrow(/connection was lost/);
    const last = await t.database.db.selectFrom('batch').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(last).toMatchObject({ file_name: `late-${kind}.csv`, status: 'failed' });
    expect(last.error).toMatch(/connection was lost/);
    expect((await rawOf(last.id)).length).toBe(2);
  });

  it('names a long unquoted cell as too long, not as an unclosed quote', async () => {
    const file = writeFile(`long-${kind}.csv`, `record_id,full_name\n1,${'a'.repeat(1_000_000)}\n`);
    const error = await importFile(t.database, file, { today: TODAY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).message).not.toMatch(/quoted cell is never closed/);
    expect((error as FileError).message).toMatch(/row 2.*too long|too long.*row 2/);
    expect((error as FileError).where).toMatchObject({ row: 2, column: 'full_name' });
  });

  it('still names an unclosed quote as such', async () => {
    const file = writeFile(`quote-${kind}.csv`, `record_id,full_name\n1,"${'a'.repeat(200_000)}\n2,b\n`);
    await expect(importFile(t.database, file, { today: TODAY })).rejects.toThrow(/quoted cell is never closed/);
  });

  it('names a UTF-16 file as UTF-16, not as a binary file', async () => {
    const text = 'record_id,full_name\r\n1,Nguyễn Văn An\r\n';
    const le = writeFile(`utf16le-${kind}.csv`, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    await expect(importFile(t.database, le, { today: TODAY })).rejects.toThrow(/UTF-16/);
    const noBom = writeFile(`utf16nobom-${kind}.csv`, Buffer.from(text, 'utf16le'));
    await expect(importFile(t.database, noBom, { today: TODAY })).rejects.toThrow(/UTF-16/);
    const be = Buffer.from(text, 'utf16le').swap16();
    await expect(importFile(t.database, writeFile(`utf16be-${kind}.csv`, Buffer.concat([Buffer.from([0xfe, 0xff]), be])), { today: TODAY })).rejects.toThrow(/UTF-16/);
  });

  it('a 90,000-character name is not a name: invalid with a finding, and the name rule does not overflow', async () => {
    const huge = 'Nguyễn '.repeat(12_000).trim() + ' An';
    expect(huge.length).toBeGreaterThan(80_000);
    const file = writeFile(`hugename-${kind}.csv`, `record_id,full_name\n1,${huge}\n2,${'x'.repeat(90_000)}\n`);
    const summary = await importFile(t.database, file, { today: TODAY });
    const records = await t.database.db.selectFrom('record').select(['full_name', 'findings']).where('batch_id', '=', summary.batchId).orderBy('row_number').execute();
    for (const r of records) {
      expect(r.full_name).toBeNull();
      expect(r.findings).toContain('full_name.too_long');
    }
  });

  it('stores one message per finding code: a later message never rewrites what earlier rows were told', async () => {
    // TCVN3 and VNI names give the same code; its message must be the same for both
    const tcvn = writeFile(`tcvn-${kind}.csv`, 'record_id,full_name\n1,Nguy\u00d3n V\u00a8n An\n' + Array.from({ length: 40 }, (_, i) => `${i + 2},Lê Văn Tám\n`).join(''));
    await importFile(t.database, tcvn, { today: TODAY });
    const before = await t.database.db.selectFrom('finding_kind').select(['code', 'message']).execute();
    const vni = writeFile(`vni-${kind}.csv`, 'record_id,full_name\n1,Nguye\u00e3n Va\u00f8n An\n' + Array.from({ length: 40 }, (_, i) => `${i + 2},Lê Văn Tám\n`).join(''));
    await importFile(t.database, vni, { today: TODAY });
    const after = new Map((await t.database.db.selectFrom('finding_kind').select(['code', 'message']).execute()).map((k) => [k.code, k.message]));
    for (const k of before) expect(after.get(k.code)).toBe(k.message);
  });

  it('refuses an XLSX whose shared strings expand past the limit, naming the file, without reading them', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('s');
    sheet.addRow(['record_id', 'full_name']);
    sheet.addRow(['1', 'x'.repeat(30_000_000)]);
    const file = writeFile(`bomb-${kind}.xlsx`, Buffer.from(await workbook.xlsx.writeBuffer({ zip: { compression: 'DEFLATE' } } as never)));
    expect(fs.statSync(file).size).toBeLessThan(200_000);
    const started = performance.now();
    const error = await importFile(t.database, file, { today: TODAY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as Error).message).toMatch(new RegExp(`bomb-${kind}\\.xlsx.*(too large|expands)`));
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('refuses an XLSX cell longer than any real cell, naming row and column', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('s');
    sheet.addRow(['record_id', 'full_name']);
    sheet.addRow(['1', 'y'.repeat(150_000)]);
    const file = writeFile(`longcell-${kind}.xlsx`, Buffer.from(await workbook.xlsx.writeBuffer()));
    const error = await importFile(t.database, file, { today: TODAY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).where).toMatchObject({ row: 2, column: 'full_name' });
    const last = await t.database.db.selectFrom('batch').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(last.status).toBe('failed');
  });

  it('the same file imported twice at once loads once; the second is refused naming the first batch', async () => {
    const file = writeFile(`twice-${kind}.csv`, 'record_id,full_name\n' + Array.from({ length: 20_000 }, (_, i) => `${i},Lê Văn Tám\n`).join(''));
    const results = await Promise.allSettled([
      importFile(t.database, file, { today: TODAY, station: 'TYT1' }),
      importFile(t.database, file, { today: TODAY, station: 'TYT1' }),
    ]);
    const loaded = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(loaded.length).toBe(1);
    expect(refused.length).toBe(1);
    expect(String(refused[0]!.reason.message)).toMatch(/already being imported/);
  });
});
