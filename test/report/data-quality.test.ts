/** Đúng, đủ, sạch, sống on the daily report's hand-built history, on both databases, against direct SQL counts. */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataQualityReport } from '../../src/report/data-quality.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { DAILY_ROWS } from './daily-history.js';
import { loadHistory } from './histories.js';

const TZ = 'Asia/Ho_Chi_Minh';
const DATE = '2024-01-10';

describe.each(BACKENDS)('quality report: đúng, đủ, sạch, sống (%s)', (backend) => {
  let t: TestDatabase;
  const dir = tempDir();
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    const batch = await loadHistory(t.database, dir, DAILY_ROWS, DATE);
    await t.database.withTransaction(async (tx) => {
      await tx.query(`update batch set finished_at = '2023-12-05T03:00:00Z' where id = $1`, [batch]);
      // A1 verified and A2 contradicted by the registry last week, S1 verified two years ago
      for (const [phone, status, at] of [['0912000002', 'verified', '2024-01-05T03:00:00Z'], ['0912000003', 'conflict', '2024-01-05T03:00:00Z'], ['0912000006', 'verified', '2022-01-01T03:00:00Z']]) {
        await tx.query(
          `insert into registry_check (person_id, person_link_run, checked_at, registry, status) select id, link_run_id, $2, 'test', $3 from person where phone = $1`,
          [phone, at, status],
        );
      }
    });
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const count = async (sql: string, params: unknown[] = []) => Number((await t.database.withTransaction((tx) => tx.query<{ n: string }>(sql, params)))[0]!.n);

  it('per 2025 commune and in total, each figure against SQL', async () => {
    const doc = await dataQualityReport(t.database, { date: DATE, level: 'commune', map: '2025', liveDays: 30, timeZone: TZ });
    const total = doc.sections[0]!.rows.at(-1)!;
    const people = await count('select count(*) as n from person');
    const correct = await count(`select count(*) as n from registry_check where status in ('verified', 'corrected')`);
    const complete = await count(`select count(*) as n from person where full_name is not null and birth_date ~ '^\\d{4}-\\d{2}-\\d{2}$' and sex is not null and citizen_id is not null and commune_code is not null`);
    const dirty = await count(`select count(distinct pr.person_id) as n from person_record pr join record r on r.batch_id = pr.batch_id and r.row_number = pr.row_number
      where r.quarantine_reason is not null or exists (select 1 from unnest(r.findings) f join finding_kind k on k.code = f where k.severity = 'invalid')
         or pr.person_id in (select person_id from registry_check where status = 'conflict')`);
    const live = await count(`select count(*) as n from registry_check where checked_at >= '2023-12-10T17:00:00Z'`);
    expect(total.slice(0, 2)).toEqual(['Tổng cộng', people]);
    expect([total[2], total[4], total[6], total[8]]).toEqual([correct, complete, people - dirty, live]);
    // by hand: A1 and S1 verified; A2 in conflict; R1 has no name and R2 an impossible ID; only A1, A2 checked within 30 days
    expect([total[2], total[8]]).toEqual([2, 2]);
    expect(total[6]).toBe(people - 3);
    expect(total[3]).toBe(Math.round((1000 * correct) / people) / 10);
    expect(doc.notes.join('\n')).toMatch(/Sống: được đối chiếu hoặc cập nhật trong 30 ngày/);
  });

  it('sống is a period setting: 60 days take in the file loaded on 5 December', async () => {
    const doc = await dataQualityReport(t.database, { date: DATE, level: 'commune', map: '2025', liveDays: 60, timeZone: TZ });
    expect(doc.sections[0]!.rows.at(-1)![8]).toBe(await count('select count(*) as n from person'));
  });

  it('rolls up to old districts and keeps one commune alone', async () => {
    const districts = await dataQualityReport(t.database, { date: DATE, level: 'district', map: '2024', liveDays: 30, timeZone: TZ });
    // each district printed with its name (data/admin-unit-names.json): `01-002 Quận Hoàn Kiếm`
    expect(districts.sections[0]!.rows.map((r) => r[0])).toContain('01-002 Quận Hoàn Kiếm');
    const byDistrict = Object.fromEntries(districts.sections[0]!.rows.map((r) => [String(r[0]).split(' ')[0], r[1]]));
    const inOld = (codes: string) => count(`select count(distinct pr.person_id) as n from person_record pr join record r on r.batch_id = pr.batch_id and r.row_number = pr.row_number where r.commune_code in (${codes})`);
    expect(byDistrict['01-001']).toBe(await inOld(`'00001', '00006'`));
    expect(byDistrict['01-002']).toBe(await inOld(`'00037'`));
    const one = await dataQualityReport(t.database, { date: DATE, level: 'commune', map: '2024', liveDays: 30, timeZone: TZ, commune: '00037' });
    expect(one.sections[0]!.rows.map((r) => String(r[0]).slice(0, 5))).toEqual(['00037', 'Tổng ']);
  });
});
