/**
 * Uploads over HTTP on loopback, against the real PostgreSQL (and PGlite for the basic path): good and bad
 * rows with their per-row problems, a station's rows outside its commune, JSON batches, refused files with
 * their row and column, oversized uploads, malformed requests.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMUNE_A, COMMUNE_B, STATION_A, call, csvOf, fileForm, startTestService, type TestRow, type TestService } from './helpers.js';

/** Row 2: clean. Row 3: fixable. Row 4: wrong in several fields. Row 5: another commune's person. */
const ROWS: TestRow[] = [
  { record_id: 'A1', full_name: 'Nguyễn Văn An', birth_date: '15/03/1985', sex: 'Nam', citizen_id: '001085012345', phone: '0912345678', address: 'Thôn 1', commune_code: COMMUNE_A, vaccine: 'AZ', dose_number: '1', vaccination_date: '10/08/2021', lot_number: 'L1', facility_code: STATION_A },
  { record_id: 'A2', full_name: 'nguyen  van binh', birth_date: '1990', sex: 'nam', citizen_id: "'001090054321", phone: '84912345679', commune_code: '376', vaccine: 'pfizer', dose_number: '2', vaccination_date: '2021-09-01' },
  { record_id: 'A3', full_name: 'Trần Thị Cúc', birth_date: '31/02/1990', sex: 'X', citizen_id: '12345', phone: 'abc', commune_code: COMMUNE_A, vaccination_date: '01/01/2030' },
  { record_id: 'A4', full_name: 'Lê Văn Dũng', birth_date: '01/01/1970', sex: 'Nam', commune_code: COMMUNE_B, vaccine: 'AZ', vaccination_date: '10/08/2021' },
];

type Problem = { row: number; field: string; severity: string; code: string; message: string; value: string | null; index?: number };

describe('uploads on postgres', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService('postgres', { uploadMaxMb: '0.25' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('imports a station file and lists, per row, what was fixed and what must be corrected', async () => {
    const answer = await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('tiem-chung.csv', csvOf(ROWS)) });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ rows: 4, quarantined: 0, status: 'loaded' });
    const problems = answer.body.problems as Problem[];
    const at = (row: number) => problems.filter((p) => p.row === row);
    expect(at(2)).toEqual([]);
    // fixes of row 3, each with the value as typed
    expect(at(3).every((p) => p.severity === 'fix')).toBe(true);
    expect(at(3)).toContainEqual(expect.objectContaining({ field: 'commune_code', code: 'commune_code.leading_zero_restored', value: '376' }));
    expect(at(3)).toContainEqual(expect.objectContaining({ field: 'full_name', code: 'full_name.whitespace', value: 'nguyen  van binh' }));
    expect(at(3)).toContainEqual(expect.objectContaining({ field: 'phone', code: 'phone.country_code_removed', value: '84912345679' }));
    // what row 4 must correct
    expect(at(4)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'birth_date', severity: 'invalid', code: 'birth_date.impossible', value: '31/02/1990' }),
        expect.objectContaining({ field: 'citizen_id', severity: 'invalid', code: 'citizen_id.wrong_length', value: '12345' }),
        expect.objectContaining({ field: 'phone', severity: 'invalid', value: 'abc' }),
        expect.objectContaining({ field: 'vaccination_date', severity: 'warning', code: 'vaccination_date.in_future' }),
      ]),
    );
    for (const p of problems) expect(p.message.length).toBeGreaterThan(10);
    // the row of another commune is reported and kept
    expect(at(5)).toEqual([expect.objectContaining({ field: 'commune_code', severity: 'warning', code: 'commune.outside_station', value: COMMUNE_B })]);
    const stored = await s.database.db.selectFrom('record').select('record_id').where('batch_id', '=', answer.body.batchId).execute();
    expect(stored.map((r) => r.record_id).sort()).toEqual(['A1', 'A2', 'A3', 'A4']);

    const batch = await call(`${s.api}/batches/${answer.body.batchId}`, { key: s.keys.stationA });
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ id: answer.body.batchId, fileName: 'tiem-chung.csv', source: 'upload', stationCode: STATION_A, status: 'loaded', rows: 4 });

    // the quality report of the batch: problems only by default, fixes on request; the field counts agree
    const quality = await call(`${s.api}/batches/${answer.body.batchId}/quality`, { key: s.keys.stationA });
    expect(quality.status).toBe(200);
    expect((quality.body.problems as Problem[]).some((p) => p.severity === 'fix')).toBe(false);
    expect((quality.body.problems as Problem[]).length).toBe(problems.filter((p) => p.severity !== 'fix').length);
    const commune = quality.body.fields.find((f: { field: string }) => f.field === 'commune_code');
    expect(commune).toMatchObject({ clean: 2, fixed: 1, flagged: 1 });
    expect(quality.body.counts).toContainEqual({ field: 'commune_code', code: 'commune.outside_station', severity: 'warning', rows: 1 });
    const withFixes = await call(`${s.api}/batches/${answer.body.batchId}/quality?includeFixes=true&limit=2&offset=1`, { key: s.keys.stationA });
    expect(withFixes.body.problems).toEqual(problems.slice(1, 3));
  });

  it('imports an XLSX workbook the same way', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Danh sách');
    sheet.addRow(['Mã bản ghi', 'Họ và tên', 'Ngày sinh', 'Mã xã']);
    sheet.addRow(['X1', 'Phạm Thị Em', '02/02/2002', COMMUNE_A]);
    sheet.addRow(['X2', 'Đỗ Văn Phúc', '30/13/2001', COMMUNE_A]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const answer = await call(`${s.api}/uploads`, {
      key: s.keys.stationA,
      form: fileForm('danh-sach.xlsx', bytes, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
    });
    expect(answer.status).toBe(200);
    expect(answer.body.rows).toBe(2);
    expect(answer.body.problems).toContainEqual(expect.objectContaining({ row: 3, field: 'birth_date', severity: 'invalid', value: '30/13/2001' }));
  });

  it('imports a JSON batch, with each problem pointing at its index in `rows`', async () => {
    const answer = await call(`${s.api}/uploads`, {
      key: s.keys.stationA,
      json: {
        rows: [
          { record_id: 'J1', full_name: 'Phạm Văn Giang', birth_date: '1980', commune_code: COMMUNE_A, dose_number: 1, vaccine: 'AZ', vaccination_date: '01/09/2021' },
          { record_id: 'J2', full_name: 'Hồ Thị Hoa', address: 'Thôn 1, "Xóm Chùa"', citizen_id: '0123', commune_code: COMMUNE_A },
        ],
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ rows: 2, status: 'loaded' });
    expect(answer.body.problems).toContainEqual(expect.objectContaining({ row: 3, index: 1, field: 'citizen_id', severity: 'invalid', value: '0123' }));
    const batch = await s.database.db.selectFrom('batch').select(['file_name', 'station_code']).where('id', '=', answer.body.batchId).executeTakeFirstOrThrow();
    expect(batch).toEqual({ file_name: 'json-batch.csv', station_code: STATION_A });
    // a value with the CSV delimiter and quotes arrives whole
    const addresses = await s.database.db.selectFrom('record').select('address').where('batch_id', '=', answer.body.batchId).orderBy('row_number').execute();
    expect(addresses[1]!.address).toContain('1, "Xóm Chùa"');
  });

  it('refuses a malformed JSON batch with 400 naming the field, and stores nothing', async () => {
    const before = await batchCount(s);
    const missing = await call(`${s.api}/uploads`, { key: s.keys.stationA, json: { rows: [{ record_id: 'J9' }] } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/rows\.0\.full_name/);
    const unknown = await call(`${s.api}/uploads`, { key: s.keys.stationA, json: { rows: [{ record_id: 'J9', full_name: 'A', fullname: 'B' }] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/fullname/);
    const empty = await call(`${s.api}/uploads`, { key: s.keys.stationA, json: { rows: [] } });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatch(/rows/);
    const notJson = await call(`${s.api}/uploads`, { key: s.keys.stationA, method: 'POST', headers: { 'content-type': 'application/json' }, json: undefined });
    expect(notJson.status).toBe(400);
    const broken = await fetch(`${s.api}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.keys.stationA}`, 'content-type': 'application/json' },
      body: '{"rows": [{"record_id": "001085012345", ',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'the body is not valid JSON', code: 'request.not_json' });
    const text = await fetch(`${s.api}/uploads`, { method: 'POST', headers: { authorization: `Bearer ${s.keys.stationA}`, 'content-type': 'text/plain' }, body: 'a,b' });
    expect(text.status).toBe(415);
    const noFile = new FormData();
    noFile.append('note', 'no file here');
    const withoutFile = await call(`${s.api}/uploads`, { key: s.keys.stationA, form: noFile });
    expect(withoutFile.status).toBe(400);
    expect(withoutFile.body.error).toMatch(/no file/);
    expect(await batchCount(s)).toBe(before);
  });

  it('refuses a file the import cannot read with 400, the row and the column, and the failed batch', async () => {
    // a legacy-encoded (not UTF-8) name
    const legacy = Buffer.concat([Buffer.from('record_id,full_name,commune_code\r\nL1,Nguy', 'utf8'), Buffer.from([0xea, 0xf1]), Buffer.from(`n,${COMMUNE_A}\r\n`)]);
    const refused = await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('cu.csv', legacy) });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'import.not_utf8', file: 'cu.csv', row: 2, column: 'full_name' });
    expect(refused.body.error).toMatch(/UTF-8/);
    const failed = await s.database.db.selectFrom('batch').select(['status', 'station_code']).where('id', '=', refused.body.batchId).executeTakeFirstOrThrow();
    expect(failed).toEqual({ status: 'failed', station_code: STATION_A });

    // a required column missing
    const noName = await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('thieu-cot.csv', 'record_id,birth_date\r\nM1,01/01/2000\r\n') });
    expect(noName.status).toBe(400);
    expect(noName.body).toMatchObject({ code: 'import.missing_columns', file: 'thieu-cot.csv', row: 1, column: null });
    expect(noName.body.error).toMatch(/full_name/);
    expect(noName.body.batchId).toEqual(expect.any(Number));

    // not a table at all: refused before any batch exists
    const pdf = await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('scan.pdf', '%PDF-1.4 ...', 'application/pdf') });
    expect(pdf.status).toBe(400);
    expect(pdf.body).toMatchObject({ code: 'import.pdf', file: 'scan.pdf', row: null, column: null, batchId: null });
  });

  it('refuses a multipart upload with two files, naming the problem, and imports neither', async () => {
    const before = await batchCount(s);
    const form = fileForm('mot.csv', csvOf(ROWS.slice(0, 1)));
    form.append('file', new Blob([csvOf(ROWS.slice(1, 2))], { type: 'text/csv' }), 'hai.csv');
    const answer = await call(`${s.api}/uploads`, { key: s.keys.stationA, form });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(/more than one file.*mot\.csv.*hai\.csv/);
    expect(await batchCount(s)).toBe(before);
  });

  it('loads NULs in a file or a JSON batch with a finding, and refuses a lone surrogate naming the field', async () => {
    const file = await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('nul.csv', csvOf([{ ...ROWS[0], full_name: 'Nguy\u0000ễn Văn An', address: 'Thôn\u0000 1' }])) });
    expect(file.status).toBe(200);
    expect(file.body.problems).toContainEqual(expect.objectContaining({ field: 'address', code: 'address.unstorable_character', value: 'Thôn\\0 1' }));
    expect((await call(`${s.api}/batches/${file.body.batchId}/quality`, { key: s.keys.stationA })).status).toBe(200);
    const json = await call(`${s.api}/uploads`, { key: s.keys.stationA, json: { rows: [{ record_id: 'N1', full_name: 'Lê Văn Tám', address: 'x\u0000y' }] } });
    expect(json.status).toBe(200);
    const lone = await call(`${s.api}/uploads`, { key: s.keys.stationA, json: { rows: [{ record_id: 'N2', full_name: 'Lê \ud800Văn Tám' }] } });
    expect(lone.status).toBe(400);
    expect(lone.body.error).toMatch(/rows\.0\.full_name/);
    const batches = await s.database.db.selectFrom('batch').select(['status']).where('station_code', '=', STATION_A).execute();
    expect(batches.some((b) => b.status === 'loading')).toBe(false);
  });

  it('the same file uploaded twice at once loads once; the other is refused with 409', async () => {
    const csv = csvOf(Array.from({ length: 800 }, (_, i) => ({ ...ROWS[0], record_id: `T${i}` })));
    const answers = await Promise.all([1, 2].map(() => call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('hai-lan.csv', csv) })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error).toMatch(/already being imported/);
    // afterwards the file may be sent again (a deliberate re-upload)
    expect((await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('hai-lan.csv', csv) })).status).toBe(200);
  });

  it('keeps the file name, never the server temp path, in a refused batch', async () => {
    const refused = await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('dai.csv', `record_id,full_name\r\n1,${'a'.repeat(150_000)}\r\n`) });
    expect(refused.status).toBe(400);
    const batch = await s.database.db.selectFrom('batch').select(['error']).where('id', '=', refused.body.batchId).executeTakeFirstOrThrow();
    expect(batch.error).toMatch(/^dai\.csv, row 2, column "full_name"/);
    expect(batch.error).not.toContain('vaxsync-upload-');
  });

  it('refuses an upload over the size limit with 413, multipart or JSON, and stores nothing', async () => {
    const before = await batchCount(s);
    const rows: TestRow[] = Array.from({ length: 4000 }, (_, i) => ({ ...ROWS[0], record_id: `BIG${i}` }));
    const csv = csvOf(rows);
    expect(csv.length).toBeGreaterThan(s.config.uploadMaxBytes);
    const big = await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('big.csv', csv) });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatch(/larger than the limit/);
    const bigJson = await call(`${s.api}/uploads`, { key: s.keys.stationA, json: { rows } });
    expect(bigJson.status).toBe(413);
    expect(await batchCount(s)).toBe(before);
    // the service is fine afterwards
    expect((await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('small.csv', csvOf(ROWS.slice(0, 1))) })).status).toBe(200);
  });
});

describe('uploads on pglite', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService('pglite');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('imports a file and a JSON batch and reads the batch back', async () => {
    const file = await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('a.csv', csvOf(ROWS)) });
    expect(file.status).toBe(200);
    expect(file.body.rows).toBe(4);
    expect(file.body.problems).toContainEqual(expect.objectContaining({ row: 5, code: 'commune.outside_station' }));
    const json = await call(`${s.api}/uploads`, { key: s.keys.operator, json: { rows: [{ record_id: 'J1', full_name: 'Phạm Văn Giang' }] } });
    expect(json.status).toBe(200);
    const quality = await call(`${s.api}/batches/${file.body.batchId}/quality`, { key: s.keys.reviewer });
    expect(quality.status).toBe(200);
    expect(quality.body.problems.length).toBeGreaterThan(0);
    expect((await call(`${s.api}/batches/${json.body.batchId}`, { key: s.keys.stationA })).status).toBe(403);
  });
});

async function batchCount(s: TestService): Promise<number> {
  const { n } = await s.database.db.selectFrom('batch').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}
