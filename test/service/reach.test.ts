/**
 * Issue 15, finding 1: a station must not widen its own reach. Station B uploads rows carrying a person of
 * commune A (their CCCD, name and birth date) under its own commune code; before the fix, the next link let
 * those rows outvote the person's own, the person moved into commune B, and station B read the full record
 * while station A lost it. Now the move is held for the working group, and the upload answer tells station B
 * which of its rows matched a person of another commune, naming nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkAll } from '../../src/link/link.js';
import { BACKENDS } from '../helpers/database.js';
import { COMMUNE_A, COMMUNE_B, STATION_B, call, csvOf, fileForm, startTestService, type TestRow, type TestService } from './helpers.js';

const VICTIM_ID = '001085012345';
const VICTIM_CMND = '012345678';

const OWN_ROWS: TestRow[] = [
  { record_id: 'A1', full_name: 'Nguyễn Văn An', birth_date: '15/03/1985', sex: 'Nam', citizen_id: VICTIM_ID, phone: '0912345678', commune_code: COMMUNE_A, vaccine: 'AZ', dose_number: '1', vaccination_date: '10/08/2021' },
  { record_id: 'A2', full_name: 'Nguyễn Văn An', birth_date: '15/03/1985', sex: 'Nam', citizen_id: VICTIM_CMND, commune_code: COMMUNE_A, vaccine: 'AZ', dose_number: '2', vaccination_date: '10/10/2021' },
];
/** Three rows with the victim's identity and the uploader's commune: a majority against the two own rows. */
const HOSTILE_ROWS: TestRow[] = [1, 2, 3].map((n) => ({
  record_id: `X${n}`, full_name: 'Nguyễn Văn An', birth_date: '15/03/1985', sex: 'Nam', citizen_id: VICTIM_ID, commune_code: COMMUNE_B,
  vaccine: 'Pfizer', dose_number: String(n), vaccination_date: `0${n}/01/2022`,
}));
const NEIGHBOUR_ROW: TestRow = { record_id: 'B9', full_name: 'Lê Thị Hoa', birth_date: '01/01/1990', sex: 'Nữ', citizen_id: '001190054321', commune_code: COMMUNE_B, vaccine: 'AZ', dose_number: '1', vaccination_date: '10/08/2021' };

describe.each(BACKENDS)('a station cannot widen its reach (%s)', (kind) => {
  let s: TestService;
  let victim: string;
  let hostile: Awaited<ReturnType<typeof call>>;

  beforeAll(async () => {
    s = await startTestService(kind);
    expect((await call(`${s.api}/uploads`, { key: s.keys.stationA, form: fileForm('a.csv', csvOf(OWN_ROWS)) })).status).toBe(200);
    await linkAll(s.database);
    victim = String((await s.database.db.selectFrom('person').select('id').where('citizen_id', '=', VICTIM_ID).executeTakeFirstOrThrow()).id);
    hostile = await call(`${s.api}/uploads`, { key: s.keys.stationB, form: fileForm('b.csv', csvOf([NEIGHBOUR_ROW, ...HOSTILE_ROWS])) });
    await linkAll(s.database);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('keeps the person in its commune: the uploader reads nothing of it, its own station keeps it', async () => {
    expect(hostile.status).toBe(200);
    const b = s.keys.stationB;
    expect(await call(`${s.api}/persons?citizen_id=${VICTIM_ID}`, { key: b })).toMatchObject({ status: 200, body: { persons: [] } });
    const refused = await call(`${s.api}/persons/${victim}`, { key: b });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain(VICTIM_CMND);
    const own = await call(`${s.api}/persons/${victim}`, { key: s.keys.stationA });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: victim, communeCode: COMMUNE_A, citizenId: VICTIM_ID });
    // the hostile rows did join the person (same CCCD, name, birth date): only the move is refused
    expect(own.body.sources.filter((r: { stationCode: string }) => r.stationCode === STATION_B)).toHaveLength(3);
  });

  it("tells the uploader which rows matched another commune's person, naming nobody", async () => {
    expect(hostile.body.otherCommune).toEqual({ rows: [3, 4, 5], message: expect.stringMatching(/xã khác.*another commune/s) });
    expect(hostile.text).not.toContain(victim);
    expect(hostile.text).not.toContain(VICTIM_CMND);
    expect(hostile.text).not.toContain(COMMUNE_A);
    // its neighbour's row, of its own commune, is not named; an upload of unknown people carries no notice
    const fresh = await call(`${s.api}/uploads`, { key: s.keys.stationB, json: { rows: [{ record_id: 'N1', full_name: 'Phạm Văn Giang', citizen_id: '001095011111', commune_code: COMMUNE_B }] } });
    expect(fresh.status).toBe(200);
    expect(fresh.body.otherCommune).toBeNull();
  });

  it('puts the held move before the working group, with the reason', async () => {
    const holds = await call(`${s.api}/review/communes`, { key: s.keys.reviewer });
    expect(holds.status).toBe(200);
    expect(holds.body).toEqual({
      total: 1,
      items: [expect.objectContaining({ personId: victim, kept: COMMUNE_A, proposed: COMMUNE_B, station: STATION_B, reason: expect.stringMatching(/one station/) })],
    });
    expect(holds.body.items[0].rows).toHaveLength(3);
    expect((await call(`${s.api}/review/communes`, { key: s.keys.stationB })).status).toBe(403);
    // a later run that does not touch the person keeps the hold; a full relink reaches the same answer
    await linkAll(s.database);
    expect((await call(`${s.api}/review/communes`, { key: s.keys.reviewer })).body.total).toBe(1);
    await linkAll(s.database, {}, { full: true });
    expect((await call(`${s.api}/persons/${victim}`, { key: s.keys.stationA })).body.communeCode).toBe(COMMUNE_A);
    expect((await call(`${s.api}/review/communes`, { key: s.keys.reviewer })).body.total).toBe(1);
  });
});
