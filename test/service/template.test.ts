/**
 * The input template over HTTP, on both databases: a station downloads it, fills in a row, and uploads it
 * back as it is; a reviewer, who uploads nothing, is refused it.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/database.js';
import { COMMUNE_A, call, fileForm, startTestService, type TestService } from './helpers.js';

describe.each(BACKENDS)('the input template on %s', (kind) => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService(kind);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('is downloaded, filled in and uploaded back without a column lost', async () => {
    const response = await fetch(`${s.api}/uploads/template`, { headers: { authorization: `Bearer ${s.keys.stationA}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('mau-nhap-tiem-chung.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await response.arrayBuffer()) as never);
    const sheet = workbook.getWorksheet('Mẫu nhập')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const typed: Record<string, string> = { 'Mã bản ghi': 'M1', 'Họ và tên': 'Phạm Thị Hoa', 'Ngày sinh': '02/01/2025', 'Giới tính': 'Nữ', 'Mã xã/phường': COMMUNE_A, 'Tên vắc xin': 'BCG', 'Mũi thứ': '1', 'Ngày tiêm': '03/01/2025' };
    sheet.addRow(headers.map((h) => typed[h] ?? ''));
    const filled = new Uint8Array(await workbook.xlsx.writeBuffer());

    const answer = await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('mau-da-dien.xlsx', filled, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ rows: 1, quarantined: 0, status: 'loaded' });
    const problems = (answer.body as { problems: { severity: string }[] }).problems;
    expect(problems.filter((p) => p.severity !== 'fix')).toEqual([]);
  });

  it('comes as CSV too, and is not for reviewers', async () => {
    const csv = await fetch(`${s.api}/uploads/template?format=csv`, { headers: { authorization: `Bearer ${s.keys.operator}` } });
    expect(csv.status).toBe(200);
    // The bytes, since fetch's text() drops a BOM, and the BOM is what makes Excel read the file as UTF-8.
    expect(Buffer.from(await csv.arrayBuffer()).toString('utf8').startsWith('\uFEFFMã bản ghi,Họ và tên,')).toBe(true);
    expect((await call(`${s.api}/uploads/template`, { key: s.keys.reviewer })).status).toBe(403);
    expect((await call(`${s.api}/uploads/template?format=pdf`, { key: s.keys.operator })).status).toBe(400);
  });
});
