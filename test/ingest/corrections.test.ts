/**
 * Corrections replace (issue 16, item 4), on both databases, with rows built by hand: a station re-sends rows
 * of an earlier file with a value fixed; the earlier rows become history (who, when, what changed), only the
 * new rows are linked, the person and its doses are rebuilt, and the outbox queues the changed person again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileRegistry, loadRegistryFile } from '../../connectors/registry/file.js';
import { importFile } from '../../src/ingest/import.js';
import { changedFields, correctionsOfBatch } from '../../src/ingest/corrections.js';
import { linkAll } from '../../src/link/link.js';
import { syncOutbox } from '../../src/push/push.js';
import { reconcile } from '../../src/reconcile/reconcile.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

const TODAY = '2026-11-01';
const HEADER = 'Mã bản ghi,Họ và tên,Ngày sinh,Giới tính,Số CCCD,Tên vắc xin,Mũi thứ,Ngày tiêm';
// R2's dose 2 is typed a year early; R3's birth year is typed 1999 instead of 1990.
const FIRST = [
  HEADER,
  'R1,Nguyễn Thị Thủy,15/03/1985,Nữ,001185012345,AstraZeneca,1,20/08/2021',
  'R2,Nguyễn Thị Thủy,15/03/1985,Nữ,001185012345,AstraZeneca,2,20/09/2020',
  'R3,Trần Văn Hòa,02/07/1999,Nam,079090012346,Pfizer,1,10/09/2021',
].join('\n');
// The station's fixed file, its columns in another order: R1 unchanged but its birth date typed another way
// (the same value: not a correction), R2 and R3 fixed, R4 new.
const FIXED = [
  'Họ và tên,Mã bản ghi,Số CCCD,Ngày sinh,Giới tính,Tên vắc xin,Mũi thứ,Ngày tiêm',
  'Nguyễn Thị Thủy,R1,001185012345,1985-03-15,Nữ,AstraZeneca,1,20/08/2021',
  'Nguyễn Thị Thủy,R2,001185012345,15/03/1985,Nữ,AstraZeneca,2,20/09/2021',
  'Trần Văn Hòa,R3,079090012346,02/07/1990,Nam,Pfizer,1,10/09/2021',
  'Lê Văn Nam,R4,001060000001,01/01/1960,Nam,Vero Cell,1,01/10/2021',
].join('\n');
const REGISTRY = [
  'Số định danh,Họ và tên,Ngày sinh,Giới tính,Mã xã,Trạng thái,Ngày mất',
  '001185012345,Nguyễn Thị Thủy,15/03/1985,Nữ,,Còn sống,',
  '079090012346,Trần Văn Hòa,1990-07-02,Nam,,Còn sống,',
  '001060000001,Lê Văn Nam,1960-01-01,Nam,,Còn sống,',
].join('\n');

describe.each(BACKENDS)('corrections on %s', (kind) => {
  let t: TestDatabase;
  const dir = tempDir();
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text + '\n');
    return file;
  };
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const personOf = async (batchId: number, recordId: string) => {
    const row = await t.database.db
      .selectFrom('record as r')
      .innerJoin('person_record as p', (j) => j.onRef('p.batch_id', '=', 'r.batch_id').onRef('p.row_number', '=', 'r.row_number'))
      .innerJoin('person as pe', 'pe.id', 'p.person_id')
      .select(['pe.id', 'pe.birth_date'])
      .where('r.batch_id', '=', batchId)
      .where('r.record_id', '=', recordId)
      .executeTakeFirst();
    return row ? { id: String(row.id), birthDate: row.birth_date } : undefined;
  };
  const dosesOf = async (personId: string) =>
    (
      await sql<{ vaccination_date: string; dose_number: number; conflicts: string[]; rows: number }>`
        select d.vaccination_date, d.dose_number, d.conflicts, (select count(*) from dose_record dr where dr.dose_id = d.id)::int as rows
        from dose d where d.person_id = ${personId} order by d.vaccination_date`.execute(t.database.db)
    ).rows.map((d) => ({ ...d, conflicts: [...d.conflicts] }));
  const reconcileAll = async () => {
    const registry = await fileRegistry(t.database, 'registry.csv');
    try {
      await reconcile(t.database, registry);
    } finally {
      await registry.close();
    }
  };

  let first: number;
  let fixed: number;
  let thuy: string;
  let hoa: string;
  it('before the fix: the early dose 2 is a dose of its own, the wrong birth date the golden one', async () => {
    first = (await importFile(t.database, write('thang9.csv', FIRST), { today: TODAY, station: 'TYT01', uploadedBy: 'key:tram-a' })).batchId;
    await linkAll(t.database);
    await loadRegistryFile(t.database, write('registry.csv', REGISTRY));
    await reconcileAll();
    await syncOutbox(t.database);
    thuy = (await personOf(first, 'R1'))!.id;
    hoa = (await personOf(first, 'R3'))!.id;
    expect((await personOf(first, 'R3'))!.birthDate).toBe('1999-07-02');
    expect((await dosesOf(thuy)).map((d) => d.vaccination_date)).toEqual(['2020-09-20', '2021-08-20']);
    // The platform took both people (as a push run would have recorded it).
    await sql`update outbox set state = 'acknowledged', acked_hash = payload_hash`.execute(t.database.db);
  });

  it('the fixed file replaces the changed rows only, and keeps what changed, who sent it and when', async () => {
    const summary = await importFile(t.database, write('thang9-sua.csv', FIXED), { today: TODAY, station: 'TYT01', uploadedBy: 'key:tram-a' });
    fixed = summary.batchId;
    expect(summary.corrections).toBe(2);
    const history = await t.database.db.selectFrom('record_correction').selectAll().orderBy('old_row').execute();
    expect(history.map((h) => ({ ...h, changes: typeof h.changes === 'string' ? JSON.parse(h.changes) : h.changes, corrected_at: undefined }))).toEqual([
      {
        old_batch: first, old_row: 3, new_batch: fixed, new_row: 3, record_id: 'R2', corrected_by: 'key:tram-a', corrected_at: undefined,
        changes: [{ field: 'vaccination_date', before: '20/09/2020', after: '20/09/2021' }],
      },
      {
        old_batch: first, old_row: 4, new_batch: fixed, new_row: 4, record_id: 'R3', corrected_by: 'key:tram-a', corrected_at: undefined,
        changes: [{ field: 'birth_date', before: '02/07/1999', after: '02/07/1990' }],
      },
    ]);
    expect(history.every((h) => h.corrected_at instanceof Date)).toBe(true);
    expect((await correctionsOfBatch(t.database.db, fixed)).map((c) => [c.newRow, c.oldBatch, c.oldRow])).toEqual([[3, first, 3], [4, first, 4]]);
    // every raw row is kept, the superseded ones too
    const raw = await sql<{ n: number }>`select count(*)::int as n from raw_row where batch_id in (${first}, ${fixed})`.execute(t.database.db);
    expect(raw.rows[0]!.n).toBe(4 + 5);
  });

  it('links the current rows only: the person and its doses are rebuilt, under the same ids', async () => {
    await linkAll(t.database);
    // superseded records belong to no person and no dose (an independent count)
    const stale = await sql<{ n: number }>`
      select count(*)::int as n from record_correction c
      where exists (select 1 from person_record p where p.batch_id = c.old_batch and p.row_number = c.old_row)
         or exists (select 1 from dose_record d where d.batch_id = c.old_batch and d.row_number = c.old_row)`.execute(t.database.db);
    expect(stale.rows[0]!.n).toBe(0);
    expect((await personOf(fixed, 'R2'))!.id).toBe(thuy);
    expect((await personOf(fixed, 'R3'))).toEqual({ id: hoa, birthDate: '1990-07-02' });
    // R1 of both files reports the same dose 1; dose 2 is now a month after it, the 2020 dose is gone
    expect(await dosesOf(thuy)).toEqual([
      { vaccination_date: '2021-08-20', dose_number: 1, conflicts: [], rows: 2 },
      { vaccination_date: '2021-09-20', dose_number: 2, conflicts: [], rows: 1 },
    ]);
    const people = await sql<{ n: number }>`select count(*)::int as n from person`.execute(t.database.db);
    expect(people.rows[0]!.n).toBe(3);
  });

  it('the outbox sends the changed people again, and only them', async () => {
    await reconcileAll();
    await syncOutbox(t.database);
    const outbox = await t.database.db.selectFrom('outbox').select(['person_id', 'state', 'payload_hash', 'acked_hash']).orderBy('person_id').execute();
    const state = Object.fromEntries(outbox.map((o) => [String(o.person_id), o]));
    expect(state[thuy]!.state).toBe('pending');
    expect(state[thuy]!.payload_hash).not.toBe(state[thuy]!.acked_hash);
    expect(state[hoa]!.state).toBe('pending');
    expect(state[hoa]!.payload_hash).not.toBe(state[hoa]!.acked_hash);
    expect(outbox).toHaveLength(3); // the two and Lê Văn Nam, new
  });

  it('another station, a row that failed cleaning, a file without sender and an STT list replace nothing of it', async () => {
    const before = await t.database.db.selectFrom('record_correction').select('old_row').execute();
    // another station's R2
    const other = await importFile(t.database, write('other.csv', [HEADER, 'R2,Nguyễn Văn Khác,01/01/1970,Nam,,AZ,1,01/08/2021'].join('\n')), { today: TODAY, station: 'TYT02' });
    expect(other.corrections).toBe(0);
    // a quarantined row (no name, and no ID to link it on instead) of the same station
    const broken = await importFile(t.database, write('broken.csv', [HEADER, 'R3,,02/07/1990,Nam,,Pfizer,1,11/09/2021'].join('\n')), { today: TODAY, station: 'TYT01' });
    expect(broken.quarantined).toBe(1);
    expect(broken.corrections).toBe(0);
    // no station, no source
    const anonymous = await importFile(t.database, write('anon.csv', [HEADER, 'R3,Trần Văn Hòa,02/07/1990,Nam,079090012346,Pfizer,1,12/09/2021'].join('\n')), { today: TODAY });
    expect(anonymous.corrections).toBe(0);
    // R3 twice in one file, each with another date: which of the two corrects the earlier row cannot be told
    const twice = await importFile(
      t.database,
      write('twice.csv', [HEADER, 'R3,Trần Văn Hòa,02/07/1990,Nam,079090012346,Pfizer,1,13/09/2021', 'R3,Trần Văn Hòa,02/07/1990,Nam,079090012346,Pfizer,1,14/09/2021'].join('\n')),
      { today: TODAY, station: 'TYT01' },
    );
    expect(twice.corrections).toBe(0);
    expect(await t.database.db.selectFrom('record_correction').select('old_row').execute()).toHaveLength(before.length);

    // an STT-numbered list: next month's row 1 is someone else (kept), row 2 the same person with the date fixed
    const stt = 'STT,Họ và tên,Ngày sinh,Giới tính,Tên vắc xin,Mũi thứ,Ngày tiêm';
    const august = await importFile(t.database, write('stt-8.csv', [stt, '1,Phạm Văn Một,1980,Nam,AZ,1,01/08/2021', '2,Đỗ Thị Hai,1982,Nữ,AZ,1,02/08/2020'].join('\n')), { today: TODAY, station: 'TYT03' });
    const september = await importFile(t.database, write('stt-9.csv', [stt, '1,Vũ Văn Ba,1970,Nam,AZ,1,01/09/2021', '2,Đỗ Thị Hai,1982,Nữ,AZ,1,02/08/2021'].join('\n')), { today: TODAY, station: 'TYT03' });
    expect(september.corrections).toBe(1);
    const stts = await t.database.db.selectFrom('record_correction').select(['old_batch', 'old_row', 'record_id']).where('new_batch', '=', september.batchId).execute();
    expect(stts).toEqual([{ old_batch: august.batchId, old_row: 3, record_id: '2' }]);
  });
});

describe('changedFields', () => {
  it('compares the contract fields as typed, whatever the column order', () => {
    expect(changedFields(['R1', 'An', '1980'], { record_id: 0, full_name: 1, birth_date: 2 }, [' 1980', 'R1', 'An '], { birth_date: 0, record_id: 1, full_name: 2 })).toEqual([]);
    expect(changedFields(['R1', 'An'], { record_id: 0, full_name: 1 }, ['R1', 'An', '0901234567'], { record_id: 0, full_name: 1, phone: 2 })).toEqual([
      { field: 'phone', before: '', after: '0901234567' },
    ]);
    // what jsonb cannot hold is kept in its visible form
    expect(changedFields(['R1', 'An'], { record_id: 0, full_name: 1 }, ['R1', 'A\u0000n'], { record_id: 0, full_name: 1 })).toEqual([
      { field: 'full_name', before: 'An', after: 'A\\0n' },
    ]);
  });
});
