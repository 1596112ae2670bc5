/**
 * The monthly childhood-programme report and the target import on hand-built histories, on both
 * databases: figures against direct SQL counts and hand-worked values.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../src/report/document.js';
import { monthlyReport } from '../../src/report/monthly.js';
import { importTargets, readTargets } from '../../src/report/targets.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { childRows, loadHistory, type Row } from './histories.js';

/** dd/mm/yyyy `months` calendar months and `days` days after an ISO date. */
function after(iso: string, months: number, days = 0): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1 + months, d + days));
  return `${String(t.getUTCDate()).padStart(2, '0')}/${String(t.getUTCMonth() + 1).padStart(2, '0')}/${t.getUTCFullYear()}`;
}
const dmy = (iso: string) => after(iso, 0);

/** The first year's doses on time; `measlesAt` in months (undefined: no measles yet). */
function firstYear(birth: string, options: { measlesAt?: number | undefined; ipv?: boolean } = {}): [string, number, string][] {
  const doses: [string, number, string][] = [
    ['BCG', 1, dmy(birth)], ['VGB sơ sinh', 1, dmy(birth)],
    ['5 trong 1', 1, after(birth, 2)], ['OPV', 1, after(birth, 2)], ['5 trong 1', 2, after(birth, 3)], ['OPV', 2, after(birth, 3)],
    ['5 trong 1', 3, after(birth, 4)], ['OPV', 3, after(birth, 4)],
  ];
  if (options.ipv !== false) doses.push(['IPV', 1, after(birth, 5)]);
  if (options.measlesAt !== undefined) doses.push(['Sởi', 1, after(birth, options.measlesAt)]);
  return doses;
}

const kid = (name: string, birth: string, commune: string, phone: string): Row => ({ full_name: name, birth_date: dmy(birth), sex: 'Nam', phone, commune_code: commune, facility_code: 'TYT' });

const MONTHLY_ROWS: Row[] = [
  // fully immunised in November 2026 (measles at 9 months 26 days)
  ...childRows('K1', kid('Trần Văn Một', '2026-01-10', '00097', '0913000001'), firstYear('2026-01-10', { measlesAt: 9 }).map(([v, n, d]) => [v, n, v === 'Sởi' ? '05/11/2026' : d])),
  // no IPV: not fully immunised
  ...childRows('K2', kid('Lê Văn Hai', '2026-02-15', '00097', '0913000002'), firstYear('2026-02-15', { measlesAt: 9, ipv: false })),
  // turned one on 20 June 2026 without measles, caught up in November
  ...childRows('K3', kid('Phạm Văn Ba', '2025-06-20', '00008', '0913000003'), [...firstYear('2025-06-20'), ['Sởi', 1, '10/11/2026']]),
  // fully immunised before one (February 2026), then the 18-month doses in November
  ...childRows('K4', kid('Đỗ Văn Bốn', '2025-05-03', '00008', '0913000004'), [...firstYear('2025-05-03', { measlesAt: 9 }), ['DPT', 4, '03/11/2026'], ['MR', 1, '03/11/2026']]),
  // a newborn of September: counted in 00008's denominator (no target imported there)
  ...childRows('K5', kid('Vũ Văn Năm', '2026-09-01', '00008', '0913000005'), [['BCG', 1, '01/09/2026'], ['VGB sơ sinh', 1, '01/09/2026']]),
];

const section = (doc: ReportDocument, title: string) => doc.sections.find((s) => s.title.startsWith(title))!;
const line = (doc: ReportDocument, title: string, unit: string, label?: string) =>
  section(doc, title).rows.find((r) => String(r[0]).startsWith(unit) && (label === undefined || r[1] === label));

describe('target import', () => {
  const dir = tempDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  it('names the row and field of every error and imports nothing', async () => {
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, 'mã xã;năm;nhóm đối tượng;số đối tượng\n00097;2026;trẻ dưới 1 tuổi;50\n99999;2026;under1;10\n00097;26;under1;-3\n00008;2026;người lớn;5\n00097;2026;under1;7\n');
    await expect(readTargets(file)).rejects.toThrow(/row 3, commune_code: 99999 is not a commune/);
    const message = await readTargets(file).catch((e: Error) => e.message);
    expect(message).toMatch(/row 4, year: must be a year/);
    expect(message).toMatch(/row 4, count: must be a whole number/);
    expect(message).toMatch(/row 5, group: must be one of under1, age18m/);
    expect(message).toMatch(/row 6, commune_code: 00097 2026 under1 is already given in row 2/);
  });
  it('reads Vietnamese headers and group names, and pre-2025 codes for 2024', async () => {
    const file = path.join(dir, 'good.csv');
    fs.writeFileSync(file, 'commune_code,year,group,count\n97,2026,Trẻ dưới 1 tuổi,50\n00001,2024,18 tháng,12\n');
    expect(await readTargets(file)).toEqual([
      { commune_code: '00097', year: 2026, population_group: 'under1', count: 50 },
      { commune_code: '00001', year: 2024, population_group: 'age18m', count: 12 },
    ]);
  });
});

describe.each(BACKENDS)('monthly report on hand-built histories (%s)', (backend) => {
  let t: TestDatabase;
  const dir = tempDir();
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await loadHistory(t.database, dir, MONTHLY_ROWS, '2026-12-01');
    const targets = path.join(dir, 'targets.csv');
    fs.writeFileSync(targets, 'commune_code,year,group,count\n00097,2026,under1,50\n');
    expect(await importTargets(t.database, targets)).toBe(1);
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const count = async (sql: string, params: unknown[] = []) => Number((await t.database.withTransaction((tx) => tx.query<{ n: string }>(sql, params)))[0]!.n);

  it('children under 1 fully immunised against the imported target or the counted children, named', async () => {
    const doc = await monthlyReport(t.database, { month: '2026-11', level: 'commune', map: '2025' });
    const title = 'Trẻ dưới 1 tuổi được';
    expect(line(doc, title, '00097')?.slice(1)).toEqual([
      await count(`select count as n from target_population where commune_code = '00097' and year = 2026 and population_group = 'under1'`),
      'chỉ tiêu đã nhập', 1, 1, 2,
    ]);
    const bornIn2026 = await count(`select count(*) as n from person where commune_code = '00008' and birth_date like '2026-%'`);
    expect(bornIn2026).toBe(1);
    expect(line(doc, title, '00008')?.slice(1)).toEqual([bornIn2026, 'đếm từ sổ', 0, 1, 100]);
    expect(line(doc, title, 'Tổng cộng')?.slice(1)).toEqual([51, 'chỉ tiêu + đếm từ sổ', 1, 2, 3.9]);
    expect(doc.notes.join('\n')).toMatch(/Mẫu số: trẻ dưới 1 tuổi/);
  });

  it('each dose given before the first birthday, in the month and since January', async () => {
    const doc = await monthlyReport(t.database, { month: '2026-11', level: 'commune', map: '2025' });
    const bcgUnder1 = (commune: string) =>
      count(`select count(*) as n from dose d join person p on p.id = d.person_id where p.commune_code = $1 and d.vaccine_code = 'BCG'
             and d.vaccination_date between '2026-01-01' and '2026-11-30' and d.vaccination_date::date < p.birth_date::date + interval '1 year'`, [commune]);
    expect(line(doc, 'Tỷ lệ từng mũi', '00097', 'BCG')?.slice(2, 4)).toEqual([0, await bcgUnder1('00097')]);
    expect(line(doc, 'Tỷ lệ từng mũi', '00008', 'BCG')?.slice(2, 4)).toEqual([0, await bcgUnder1('00008')]);
    // K1 on 5 November, K2 at nine months on 15 November
    expect(line(doc, 'Tỷ lệ từng mũi', '00097', 'Sởi mũi 1')?.slice(2, 4)).toEqual([
      await count(`select count(*) as n from dose d join person p on p.id = d.person_id where p.commune_code = '00097' and d.vaccine_code = 'MEASLES' and d.vaccination_date like '2026-11-%'`),
      2,
    ]);
    expect(line(doc, 'Tỷ lệ từng mũi', '00097', 'Sởi mũi 1')?.[2]).toBe(2);
    // K3's measles came after one: a catch-up, not an under-1 dose; K4's in February is
    expect(line(doc, 'Tỷ lệ từng mũi', '00008', 'Sởi mũi 1')?.slice(2, 4)).toEqual([0, 1]);
  });

  it('the 18-month doses against the children reaching 18 months in the year', async () => {
    const doc = await monthlyReport(t.database, { month: '2026-11', level: 'commune', map: '2025' });
    const reaching = await count(`select count(*) as n from person where commune_code = '00008' and birth_date between '2024-07-01' and '2025-06-30'`);
    expect(line(doc, 'Mũi tiêm 18 tháng', '00008', 'DPT mũi 4 (18 tháng)')?.slice(2)).toEqual([1, 1, reaching, 'đếm từ sổ', 50]);
    expect(line(doc, 'Mũi tiêm 18 tháng', '00008', 'Sởi-Rubella (18 tháng)')?.slice(2)).toEqual([1, 1, reaching, 'đếm từ sổ', 50]);
  });

  it('missed by the first birthday, and caught up later', async () => {
    const november = await monthlyReport(t.database, { month: '2026-11', level: 'commune', map: '2025' });
    expect(line(november, 'Trẻ bỏ lỡ', '00008')?.slice(1)).toEqual([0, 1, 1, 1]);
    const june = await monthlyReport(t.database, { month: '2026-06', level: 'commune', map: '2025' });
    expect(line(june, 'Trẻ bỏ lỡ', '00008')?.slice(1)).toEqual([1, 1, 0, 0]);
  });

  it('rolls up to the province, and one commune alone', async () => {
    const province = await monthlyReport(t.database, { month: '2026-11', level: 'province', map: '2025' });
    expect(line(province, 'Trẻ dưới 1 tuổi được', '01')?.slice(1)).toEqual([51, 'chỉ tiêu + đếm từ sổ', 1, 2, 3.9]);
    const one = await monthlyReport(t.database, { month: '2026-11', level: 'commune', map: '2025', commune: '00008' });
    expect(section(one, 'Trẻ dưới 1 tuổi được').rows.map((r) => String(r[0]).slice(0, 5))).toEqual(['00008', 'Tổng ']);
  });
});
