/**
 * A station is warned, with the earlier batch named, when it sends the same file again or the same rows in a
 * new file; another station's identical file is none of its business. Both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/database.js';
import { COMMUNE_A, COMMUNE_B, call, csvOf, fileForm, startTestService, type TestRow, type TestService } from './helpers.js';

const ROWS: TestRow[] = [
  { record_id: 'R1', full_name: 'Nguyễn Văn An', birth_date: '15/03/1985', commune_code: COMMUNE_A, vaccine: 'AZ', dose_number: '1', vaccination_date: '10/08/2021' },
  { record_id: 'R2', full_name: 'Trần Thị Bình', birth_date: '01/02/1990', commune_code: COMMUNE_A, vaccine: 'Pfizer', dose_number: '1', vaccination_date: '12/08/2021' },
  { record_id: 'R3', full_name: 'Lê Văn Cường', birth_date: '1970', commune_code: COMMUNE_A, vaccine: 'AZ', dose_number: '2', vaccination_date: '01/09/2021' },
];

describe.each(BACKENDS)('repeated uploads on %s', (kind) => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService(kind);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('names the earlier batch of the same file, then of the same rows in a corrected file', async () => {
    const send = (key: string, name: string, rows: TestRow[]) => call(`${s.api}/uploads`, { key, form: fileForm(name, csvOf(rows)) });
    const first = await send(s.keys.stationA, 'thang8.csv', ROWS);
    expect(first.status).toBe(200);
    expect(first.body.repeated).toBeNull();

    const again = await send(s.keys.stationA, 'thang8 (1).csv', ROWS);
    expect(again.body.repeated).toMatchObject({ sameFileBatchId: first.body.batchId, repeatedRows: 3, earlierBatches: [first.body.batchId] });
    expect(again.body.repeated.message).toContain(`lô ${first.body.batchId}`);

    // R3's dose date corrected: the two other rows repeat rows of both earlier batches, R3 is new
    const corrected = await send(s.keys.stationA, 'thang8-sua.csv', [ROWS[0]!, ROWS[1]!, { ...ROWS[2]!, vaccination_date: '02/09/2021' }]);
    expect(corrected.body.repeated).toEqual({
      sameFileBatchId: null,
      repeatedRows: 2,
      earlierBatches: [first.body.batchId, again.body.batchId],
      message: expect.stringContaining('2 dòng trùng'),
    });

    // another station sending the very same bytes is not warned about station A's batches
    const other = await send(s.keys.stationB, 'thang8.csv', ROWS.map((r) => ({ ...r, commune_code: COMMUNE_B })));
    expect(other.body.repeated).toBeNull();
    const otherSame = await send(s.keys.stationB, 'a.csv', ROWS);
    expect(otherSame.body.repeated).toBeNull();
  });
});
