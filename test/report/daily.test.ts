/**
 * The daily report on a small history written by hand, on both databases: every figure against a direct
 * SQL count over the same tables and against the figure worked out by hand.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyReport } from '../../src/report/daily.js';
import type { ReportDocument } from '../../src/report/document.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { DAILY_ROWS, DAY } from './daily-history.js';
import { loadHistory } from './histories.js';

const TZ = 'Asia/Ho_Chi_Minh';

const section = (doc: ReportDocument, title: string) => doc.sections.find((s) => s.title.startsWith(title))!;
const row = (doc: ReportDocument, title: string, unit: string, site: string, ...detail: (string | number | null)[]) =>
  section(doc, title).rows.find((r) => String(r[0]).startsWith(unit) && r[1] === site && detail.every((d, i) => r[2 + i] === d));

describe.each(BACKENDS)('daily report on a hand-built history (%s)', (backend) => {
  let t: TestDatabase;
  const dir = tempDir();
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    const batch = await loadHistory(t.database, dir, DAILY_ROWS, '2024-01-10');
    // the file was loaded on the report day, 10:00 in Vietnam
    await t.database.withTransaction((tx) => tx.query(`update batch set finished_at = '2023-12-05T03:00:00Z' where id = $1`, [batch]));
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const count = async (sql: string, params: unknown[] = []) => Number((await t.database.withTransaction((tx) => tx.query<{ n: string }>(sql, params)))[0]!.n);
  /** Doses whose rows carry this old commune code. */
  const dosesOf = (old: string, where: string) =>
    count(`select count(distinct d.id) as n from dose d join dose_record dr on dr.dose_id = d.id
           join record r on r.batch_id = dr.batch_id and r.row_number = dr.row_number where r.commune_code = $1 and ${where}`, [old]);

  it('reads where each dose was given from the dose, as its rows say (the least of each when they disagree)', async () => {
    const differing = await count(`
      select count(*) as n from dose d join (
        select dr.dose_id, min(r.commune_current collate "C") as current_code,
               min(r.commune_code collate "C") filter (where r.commune_scheme = '2004') as old_code, min(r.facility_code collate "C") as site
        from dose_record dr join record r on r.batch_id = dr.batch_id and r.row_number = dr.row_number group by dr.dose_id) p on p.dose_id = d.id
      where d.commune_current is distinct from p.current_code or d.commune_old is distinct from p.old_code or d.facility_code is distinct from p.site`);
    expect(differing).toBe(0);
    expect(await count(`select count(*) as n from dose where facility_code is not null and commune_old is not null`)).toBeGreaterThan(0);
  });

  it('doses that day and cumulatively, per commune and site, by vaccine and dose (2024 map)', async () => {
    const doc = await dailyReport(t.database, { date: DAY, level: 'commune', map: '2024', timeZone: TZ });
    const title = 'Số mũi tiêm';
    const az = 'COVID-19 AstraZeneca';
    // 00006: A3's dose (reported twice) that day, A4's on 1 December: cumulative 2
    expect(row(doc, title, '00006', 'Tất cả cơ sở', az, 1)?.slice(4)).toEqual([
      await dosesOf('00006', `d.vaccination_date = '${DAY}' and d.vaccine_code = 'COVID-AZ'`),
      await dosesOf('00006', `d.vaccination_date <= '${DAY}' and d.vaccine_code = 'COVID-AZ'`),
    ]);
    expect(row(doc, title, '00006', 'Tất cả cơ sở', az, 1)?.slice(4)).toEqual([1, 2]);
    expect(row(doc, title, '00037', 'TYT2', 'COVID-19 Pfizer-BioNTech', 1)?.slice(4)).toEqual([1, 2]);
    expect(row(doc, title, '00037', 'TYT2', 'COVID-19 Pfizer-BioNTech', 2)?.slice(4)).toEqual([1, 1]);
    const total = section(doc, title).rows.filter((r) => r[0] === 'Tổng cộng');
    expect(total.reduce((s, r) => s + Number(r[4]), 0)).toBe(await count(`select count(*) as n from dose where vaccination_date = $1`, [DAY]));
    expect(total.reduce((s, r) => s + Number(r[5]), 0)).toBe(await count(`select count(*) as n from dose where vaccination_date <= $1`, [DAY]));
  });

  it('rolls 00001 and 00037 into one 2025 commune and two old districts', async () => {
    const pfizer1 = 'COVID-19 Pfizer-BioNTech';
    const new2025 = await dailyReport(t.database, { date: DAY, level: 'commune', map: '2025', timeZone: TZ });
    expect(row(new2025, 'Số mũi tiêm', '00097', 'Tất cả cơ sở', 'Sởi', 1)?.slice(4)).toEqual([1, 1]);
    expect(row(new2025, 'Số mũi tiêm', '00097', 'Tất cả cơ sở', pfizer1, 1)?.slice(4)).toEqual([1, 2]);
    const districts = await dailyReport(t.database, { date: DAY, level: 'district', map: '2024', timeZone: TZ });
    // A3 (00006) and the rejected row R1 (00001: an injection given, though its row names nobody) that day, A4 before
    expect(row(districts, 'Số mũi tiêm', '01-001', 'Tất cả cơ sở', 'COVID-19 AstraZeneca', 1)?.slice(4)).toEqual([2, 3]);
    expect(row(districts, 'Số mũi tiêm', '01-002', 'Tất cả cơ sở', pfizer1, 1)?.slice(4)).toEqual([1, 2]);
    const province = await dailyReport(t.database, { date: DAY, level: 'province', map: '2025', timeZone: TZ });
    // units carry their names beside their codes (data/admin-unit-names.json)
    expect(row(districts, 'Số mũi tiêm', '01-001', 'Tất cả cơ sở', 'COVID-19 AstraZeneca', 1)?.[0]).toBe('01-001 Quận Ba Đình');
    expect(section(province, 'Số mũi tiêm').rows.filter((r) => r[0] === '01 Thành phố Hà Nội' && r[1] === 'Tất cả cơ sở').reduce((s, r) => s + Number(r[4]), 0)).toBe(6);
    await expect(dailyReport(t.database, { date: DAY, level: 'district', map: '2025', timeZone: TZ })).rejects.toThrow(/no districts/);
  });

  it('people who completed a series that day: the adult\'s primary series and the child\'s full immunisation', async () => {
    const doc = await dailyReport(t.database, { date: DAY, level: 'commune', map: '2024', timeZone: TZ });
    expect(row(doc, 'Người hoàn thành', '00037', 'TYT2')?.slice(2)).toEqual([1, 0]);
    expect(row(doc, 'Người hoàn thành', '00001', 'TYT1')?.slice(2)).toEqual([0, 1]);
    expect(row(doc, 'Người hoàn thành', 'Tổng cộng', 'Tất cả cơ sở')?.slice(2)).toEqual([1, 1]);
    // the day before, nobody completed anything
    const before = await dailyReport(t.database, { date: '2023-12-04', level: 'commune', map: '2024', timeZone: TZ });
    expect(section(before, 'Người hoàn thành').rows).toEqual([]);
  });

  it('rows rejected or waiting for correction, AEFI and screening', async () => {
    const doc = await dailyReport(t.database, { date: DAY, level: 'commune', map: '2024', timeZone: TZ });
    expect(row(doc, 'Dòng dữ liệu', '00001', 'TYT1')?.slice(2)).toEqual([
      await count(`select count(*) as n from record where commune_code = '00001' and quarantine_reason is not null and vaccination_date = $1`, [DAY]), 0,
    ]);
    expect(row(doc, 'Dòng dữ liệu', '00001', 'TYT1')?.slice(2)).toEqual([1, 0]);
    expect(row(doc, 'Dòng dữ liệu', '00037', 'TYT2')?.slice(2)).toEqual([0, 1]);
    expect(row(doc, 'Phản ứng', '00037', 'TYT2')?.slice(2)).toEqual([1, 1, 0]);
    expect(row(doc, 'Phản ứng', '00006', 'TYT1')?.slice(2)).toEqual([1, 0, 1]);
    expect(row(doc, 'Phản ứng', 'Tổng cộng', 'Tất cả cơ sở')?.slice(2)).toEqual([
      await count(`select count(distinct dr.dose_id) as n from dose d join dose_record dr on dr.dose_id = d.id
        join record r on r.batch_id = dr.batch_id and r.row_number = dr.row_number where d.vaccination_date = $1 and r.adverse_event is not null`, [DAY]),
      1, 1,
    ]);
    // screening: the child's measles row of the day (eligible; its earlier rows are of other days), S1 postponed (loaded that day), A1 and A2 eligible, S2 contraindicated
    expect(row(doc, 'Kết quả khám', '00001', 'TYT1')?.slice(2)).toEqual([1, 1, 0, 0]);
    expect(row(doc, 'Kết quả khám', '00037', 'TYT2')?.slice(2)).toEqual([2, 0, 0, 0]);
    expect(row(doc, 'Kết quả khám', '00006', 'TYT1')?.slice(2)).toEqual([0, 0, 1, 0]);
    expect(row(doc, 'Kết quả khám', 'Tổng cộng', 'Tất cả cơ sở')?.slice(2)).toEqual([
      await count(`select count(*) as n from record where screening_result = 'eligible' and vaccination_date = $1`, [DAY]), 1, 1, 0,
    ]);
  });

  it('one site, one commune', async () => {
    const doc = await dailyReport(t.database, { date: DAY, level: 'commune', map: '2024', timeZone: TZ, site: 'TYT2' });
    const sites = new Set(section(doc, 'Số mũi tiêm').rows.map((r) => r[1]));
    expect([...sites].sort()).toEqual(['TYT2', 'Tất cả cơ sở']);
    const one = await dailyReport(t.database, { date: DAY, level: 'commune', map: '2024', timeZone: TZ, commune: '00006' });
    expect(new Set(section(one, 'Số mũi tiêm').rows.map((r) => String(r[0]).slice(0, 5)))).toEqual(new Set(['00006', 'Tổng ']));
    expect(one.notes.join('\n')).toMatch(/Ngày báo cáo: 05\/12\/2023/);
  });
});
