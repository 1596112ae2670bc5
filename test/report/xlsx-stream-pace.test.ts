/**
 * The writer waits for a reader that does not read even when no sheet reaches PACE_ROWS rows (a call list of
 * many small communes, one sheet each): it used to pace only inside a sheet's 500th row, so such a workbook
 * was written whole into memory, unread (src/base/xlsx-stream.ts, src/report/format.ts).
 */
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import type { ReportTable } from '../../src/report/table.js';

const pace = vi.hoisted(() => ({ started: 0, finished: 0 }));
vi.mock('../../src/base/xlsx-stream.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/base/xlsx-stream.js')>();
  return {
    ...original,
    keepPace: async (out: import('node:stream').Writable) => {
      pace.started++;
      try {
        await original.keepPace(out);
      } finally {
        pace.finished++;
      }
    },
  };
});
const { reportXlsxStream } = await import('../../src/report/format.js');

describe('many small sheets', () => {
  it('wait for the reader between sheets, then are all written', async () => {
    const communes = 200;
    const rows: unknown[][] = [];
    for (let c = 0; c < communes; c++) {
      for (let i = 0; i < 50; i++) rows.push([`P${c}-${i}`, `Nguyễn Thị Người ${i} ${'x'.repeat(30)}`, String(10000 + c)]);
    }
    const table = { title: 'Danh sách', date: '2022-06-01', notes: [], columns: ['id', 'name', 'commune'], labels: ['Mã', 'Họ và tên', 'Mã xã'], rows, groupBy: [2], communeColumns: [] };
    const stream = reportXlsxStream(table as unknown as ReportTable);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // nobody reads for a second
    expect(pace.started - pace.finished).toBe(1); // waiting for the reader, not writing on
    expect(pace.started).toBeLessThan(communes);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await buffer(stream)) as never);
    expect(workbook.worksheets).toHaveLength(1 + communes);
  });
});
