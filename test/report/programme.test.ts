/**
 * Every report figure against a direct SQL count over the same data: the reports go through the schedule
 * engine in JavaScript, the checks below do not.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCsv, reportHtml } from '../../src/report/format.js';
import { coverageReport, progressReport } from '../../src/report/programme.js';
import { reconciledSample } from '../helpers/sample.js';
import { openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

const DATE = '2022-08-01';
/** The birth date as a day, as the engine takes it (mid-month, or 1 July for a year alone). */
const BIRTH_DAY = `make_date(substr(p.birth_date, 1, 4)::int, coalesce(substr(p.birth_date, 6, 2)::int, 7),
  coalesce(substr(p.birth_date, 9, 2)::int, case when length(p.birth_date) = 4 then 1 else 15 end))`;
const AGE = `extract(year from age(date '${DATE}', ${BIRTH_DAY}))`;
const COVID_DOSES = `(select count(*) + count(*) filter (where d.id = (select min(x.id) from dose x where x.person_id = p.id and x.vaccine_code like 'COVID-%'
  and (x.vaccination_date is null or x.vaccination_date <= '${DATE}')) and d.vaccine_code = 'COVID-JANSSEN')
  from dose d where d.person_id = p.id and d.vaccine_code like 'COVID-%' and (d.vaccination_date is null or d.vaccination_date <= '${DATE}'))`;

describe('programme reports agree with direct SQL counts', () => {
  let t: TestDatabase;
  const dir = tempDir();
  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    await reconciledSample(t.database, { persons: 400, seed: 31, dir });
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const count = async (sql: string) => Number((await t.database.withTransaction((tx) => tx.query<{ n: string }>(sql)))[0]!.n);
  const living = `from person p left join registry_check c on c.person_id = p.id where coalesce(c.status, '') <> 'deceased' and p.birth_date is not null`;

  it('coverage: people per COVID age group and the share with each number of doses', async () => {
    const table = await coverageReport(t.database, { date: DATE });
    const overall = (group: string) => table.rows.find((r) => r[0] === 'tất cả' && r[1] === group)!;
    for (const [group, from, to] of [['COVID-19 18+', 18, 200], ['COVID-19 12–17', 12, 18]] as const) {
      const people = await count(`select count(*) as n ${living} and ${AGE} >= ${from} and ${AGE} < ${to}`);
      expect(overall(group)[2]).toBe(people);
      for (const k of [1, 2, 3]) {
        const withK = await count(`select count(*) as n ${living} and ${AGE} >= ${from} and ${AGE} < ${to} and least(${COVID_DOSES}, ${to === 18 ? 3 : 4}) >= ${k}`);
        expect(overall(group)[2 + k], `${group} ≥${k}`).toBe(Math.round((1000 * withK) / people) / 10);
      }
    }
    // a commune's rows add up to the overall row
    const communes = table.rows.filter((r) => r[0] !== 'tất cả' && r[1] === 'COVID-19 18+');
    expect(communes.reduce((sum, r) => sum + Number(r[2]), 0)).toBe(overall('COVID-19 18+')[2]);
  });

  it('coverage: each childhood dose among the children past its recommended window, under 5', async () => {
    // On the generator's own date, when its children are under two.
    const date = '2026-11-01';
    const table = await coverageReport(t.database, { date });
    const overall = (group: string) => table.rows.find((r) => r[0] === 'tất cả' && r[1] === group);
    const birth = `p.birth_date::date`;
    // calendar months as the engine counts them (CDSi): a day the month lacks moves to the 1st of the next month
    const plusMonths = (b: string, n: number) => `(case when extract(day from ${b} + interval '${n} months') < extract(day from ${b})
      then (date_trunc('month', ${b} + interval '${n} months') + interval '1 month')::date else (${b} + interval '${n} months')::date end)`;
    const children = `${living} and p.birth_date ~ '^\\d{4}-\\d{2}-\\d{2}$' and date '${date}' < ${plusMonths(birth, 60)}`;
    const given = (codes: string, until: string) =>
      `exists (select 1 from dose d where d.person_id = p.id and d.vaccine_code in (${codes}) and (d.vaccination_date is null
        or (d.vaccination_date <= '${date}' and d.vaccination_date::date ${until})))`;
    // BCG: window 1 month, counted up to 12 months; birth dose: window 1 day, counted within 7 days;
    // first 5-in-1: window ends at 3 months, counted from 6 weeks less the 4-day grace
    for (const [group, eligible, covered] of [
      ['bcg mũi 1', `date '${date}' > ${plusMonths(birth, 1)}`, given(`'BCG'`, `< ${plusMonths(birth, 12)}`)],
      ['hepb0 mũi 1', `date '${date}' > ${birth} + 1`, given(`'HEPB-BIRTH', 'HEPB-MONO', 'DPT-VGB-HIB', 'HEXA'`, `< ${birth} + 7`)],
      ['penta mũi 1', `date '${date}' > ${plusMonths(birth, 3)}`, given(`'DPT-VGB-HIB', 'HEXA'`, `>= ${birth} + 38`)],
    ] as const) {
      const people = await count(`select count(*) as n ${children} and ${eligible}`);
      const withDose = await count(`select count(*) as n ${children} and ${eligible} and ${covered}`);
      expect(people, group).toBeGreaterThan(0);
      expect(overall(group)?.[2], group).toBe(people);
      expect(overall(group)?.[3], group).toBe(Math.round((1000 * withDose) / people) / 10);
    }
  });

  it('progress: the records loaded today, and the people verified today', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const table = await progressReport(t.database, { date: today });
    const row = table.rows.find((r) => r[0] === today)!;
    expect(row[2]).toBe(await count(`select coalesce(sum(row_count), 0) as n from batch where status = 'loaded'`));
    expect(row[5]).toBe(await count(`select count(*) as n from registry_check where status in ('verified', 'corrected')`));
  });

  it('progress of one commune counts its rows and people only', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const commune = (await t.database.withTransaction((tx) =>
      tx.query<{ c: string }>(`select commune_code as c from person where commune_code is not null group by 1 order by count(*) desc limit 1`)))[0]!.c;
    const row = (await progressReport(t.database, { date: today, commune })).rows.find((r) => r[0] === today)!;
    expect(row[2]).toBe(await count(`select count(*) as n from record r join batch b on b.id = r.batch_id where b.status = 'loaded' and r.commune_current = '${commune}'`));
    expect(row[5]).toBe(await count(`select count(*) as n from registry_check c join person p on p.id = c.person_id where c.status in ('verified', 'corrected') and p.commune_code = '${commune}'`));
    const all = (await progressReport(t.database, { date: today })).rows.find((r) => r[0] === today)!;
    expect(Number(row[2])).toBeLessThan(Number(all[2]));
  });

  it('renders as CSV and as an accessible HTML table', async () => {
    const table = await progressReport(t.database, { date: DATE });
    expect(reportCsv(table).split('\n')[0]).toBe('day,batches loaded,records added,records usable,doses given that day,people verified,people pushed');
    // the CSV keeps its stable names; people read Vietnamese headers
    expect(reportHtml(table)).toMatch(/<html lang="vi">[\s\S]*<th scope="col">Số dòng nhận<\/th>/);
  });
});
