/**
 * The call list (../shared/contract/reports.md) on histories built by hand, on both databases: each row is
 * computed by hand in the comments, and the people left out are checked against direct SQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import.js';
import { linkAll } from '../../src/link/link.js';
import { callList, CALL_LIST_COLUMNS, compareRows, sortRows, villageOf } from '../../src/report/call-list.js';
import { renderReport, reportText } from '../../src/report/format.js';
import { personPage, personPageText } from '../../src/report/person-page.js';
import { coverageReport } from '../../src/report/programme.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { createApiKey } from '../../src/service/keys.js';

const X = '15469'; // Xã Yên Định
const HEADER = 'record_id,full_name,birth_date,sex,citizen_id,phone,address,commune_code,vaccine,vaccination_date,Họ tên mẹ,Trường';
/** [name, birth, sex, cccd, phone, address, guardian, school, doses[vaccine, date]] */
type Person = [string, string, string, string, string, string, string, string, [string, string][]];
const PEOPLE: Person[] = [
  // A: 6-in-1 given privately at 2, 3, 4 months; on 2026-12-02 (9 months and a day) only measles is due
  ['Nguyễn Văn An', '01/03/2026', 'Nam', '', '0912000001', 'Thôn 5', 'Trần Thị Bình', '', [
    ['VGB sơ sinh', '01/03/2026'], ['BCG', '02/03/2026'], ['Hexaxim', '01/05/2026'], ['Infanrix Hexa', '01/06/2026'], ['Hexaxim', '01/07/2026']]],
  // B: born on the 31st, measles at 6 months (does not count): measles due from 2026-10-31, overdue on 2026-12-02
  ['Lê Thị Cúc', '31/01/2026', 'Nữ', '', '0912000002', 'Thôn 5, Xã Yên Định', 'Lê Thị Dung', '', [
    ['Viêm gan B sơ sinh', '31/01/2026'], ['BCG', '01/02/2026'],
    ['Quinvaxem', '31/03/2026'], ['bOPV', '31/03/2026'], ['5 trong 1', '01/05/2026'], ['OPV', '01/05/2026'],
    ['ComBE Five', '01/06/2026'], ['OPV', '01/06/2026'], ['IPV', '01/07/2026'], ['MVVAC', '31/07/2026']]],
  // C: born 2026-11-20, birth dose missed (past 7 days): not listed; BCG due since birth
  ['Phạm Văn Dũng', '20/11/2026', 'Nam', '', '0912000003', 'thôn 5 ,  xã Yên Định', 'Phạm Thị Én', '', []],
  // D: 30 years old, four COVID-19 doses: nothing after the campaign
  ['Hoàng Văn Em', '05/05/1996', 'Nam', '038096123456', '0912000004', 'Xóm Chùa', '', '', [
    ['Vero Cell', '01/07/2021'], ['Vero Cell', '29/07/2021'], ['Pfizer', '10/01/2022'], ['Moderna', '10/06/2022']]],
  // E: AstraZeneca dose 2 at 3 weeks: not counted; on 2021-10-01 dose 2 is due from 2021-09-26 (8 weeks)
  ['Ngô Văn Phúc', '06/06/1985', 'Nam', '038085234567', '0912000005', 'Xóm Chùa', '', '', [
    ['AstraZeneca', '01/08/2021'], ['AZ', '22/08/2021']]],
  // F: JE 1-2 at 12 months; JE 3 due from 2026-07-01, overdue on 2026-12-02; the infant doses are catch-up (29 months)
  ['Vũ Thị Giang', '15/06/2024', 'Nữ', '', '0912000006', 'Thôn Đông', 'Vũ Thị Hoa', '', [
    ['Jevax', '20/06/2025'], ['Jevax', '01/07/2025']]],
  // G: a child who has died: never listed
  ['Đỗ Văn Hải', '05/05/2026', 'Nam', '', '0912000007', 'Thôn Đông', 'Đỗ Thị Hương', '', []],
  // H: a pupil of 7 in 2022: COVID-19 dose 1 due from 2022-04-01 (children 5–11) on 2022-06-01
  ['Bùi Thị Lan', '04/04/2015', 'Nữ', '', '0912000008', 'Thôn Đông', 'Bùi Thị Mai', 'Trường TH Yên Định', []],
];

function writeCsv(file: string): void {
  const lines = [HEADER];
  let id = 0;
  for (const [name, birth, sex, cccd, phone, address, guardian, school, doses] of PEOPLE) {
    const row = (vaccine: string, date: string) => [`R${++id}`, name, birth, sex, cccd, phone, `"${address}"`, X, vaccine, date, guardian, school].join(',');
    lines.push(row('', ''), ...doses.map(([v, d]) => row(v, d)));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

describe.each(BACKENDS)('call list on hand-built histories (%s)', (backend) => {
  let t: TestDatabase;
  const dir = tempDir();
  const count = async (sql: string) => Number((await t.database.withTransaction((tx) => tx.query<{ n: string }>(sql)))[0]!.n);
  const personOf = async (name: string) =>
    (await t.database.withTransaction((tx) => tx.query<{ id: string }>(`select id::text as id from person where full_name = $1`, [name]))).map((r) => `P${r.id}`);

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    const file = path.join(dir, 'tram-yen-dinh.csv');
    writeCsv(file);
    await importFile(t.database, file, { today: '2026-12-02' });
    await linkAll(t.database);
    await t.database.withTransaction((tx) =>
      tx.query(`insert into registry_check (person_id, person_link_run, registry, status) select id, link_run_id, 'test', 'deceased' from person where full_name = 'Đỗ Văn Hải'`),
    );
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('links each hand-built person into one person (the premise of the figures below)', async () => {
    expect(await count('select count(*) as n from person')).toBe(PEOPLE.length);
  });

  it('lists exactly the doses computed by hand on 2026-12-02, after the COVID-19 campaign', async () => {
    const table = await callList(t.database, { date: '2026-12-02' });
    expect(table.columns).toEqual(CALL_LIST_COLUMNS);
    const rows = table.rows.map((r) => [r[1], r[6], r[9], r[10], r[11], r[12], r[13]]);
    expect(rows).toEqual([
      ['Lê Thị Cúc', 'Thôn 5', 'measles', 1, '2026-10-31', 32, 'overdue'],
      ['Nguyễn Văn An', 'Thôn 5', 'measles', 1, '2026-12-01', 1, 'due'],
      ['Phạm Văn Dũng', 'Thôn 5', 'bcg', 1, '2026-11-20', 12, 'due'],
      ['Vũ Thị Giang', 'Thôn Đông', 'penta', 1, '2024-08-15', 839, 'catch_up'],
      ['Vũ Thị Giang', 'Thôn Đông', 'opv', 1, '2024-08-15', 839, 'catch_up'],
      ['Vũ Thị Giang', 'Thôn Đông', 'ipv', 1, '2024-11-15', 747, 'catch_up'],
      ['Vũ Thị Giang', 'Thôn Đông', 'measles', 1, '2025-03-15', 627, 'catch_up'],
      ['Vũ Thị Giang', 'Thôn Đông', 'je', 3, '2026-07-01', 154, 'overdue'],
    ]);
    // no COVID-19 row, and nobody the registry says has died (direct SQL)
    expect(table.rows.filter((r) => r[9] === 'covid19')).toEqual([]);
    const dead = await personOf('Đỗ Văn Hải');
    expect(await count(`select count(*) as n from registry_check where status = 'deceased'`)).toBe(1);
    expect(table.rows.filter((r) => dead.includes(String(r[0])))).toEqual([]);
    // the contract's other columns: golden values and the guardian from the file
    const an = table.rows.find((r) => r[1] === 'Nguyễn Văn An')!;
    expect(an.slice(0, 9)).toEqual([(await personOf('Nguyễn Văn An'))[0], 'Nguyễn Văn An', '2026-03-01', 'Nam', 'Trần Thị Bình', '0912000001', 'Thôn 5', X, null]);
  });

  it("leaves out a person the commune police last said does not live in the commune, until a later answer", async () => {
    const cuc = (await personOf('Lê Thị Cúc'))[0]!.slice(1);
    const listed = async () => (await callList(t.database, { date: '2026-12-02' })).rows.filter((r) => r[1] === 'Lê Thị Cúc').length;
    expect(await listed()).toBe(1);
    const { key } = await createApiKey(t.database, { name: 'ca-xa', role: 'police', commune: X });
    const answer = (outcome: string) =>
      t.database.withTransaction((tx) =>
        tx.query(
          `insert into police_answer (person_id, commune_code, outcome, asked, officer, officer_key_id) values ($1, $2, $3, '{}', 'ca-xa', $4)`,
          [cuc, X, outcome, key.id],
        ),
      );
    await answer('not_resident');
    expect(await listed()).toBe(0);
    await answer('id_confirmed');
    expect(await listed()).toBe(1);
    await t.database.withTransaction((tx) => tx.query('delete from police_answer'));
  });

  it('one village is one village: Thôn 5 and "Thôn 5, Xã Yên Định" group together', async () => {
    expect(villageOf('Thôn 5, Xã Yên Định')).toBe('Thôn 5');
    expect(villageOf('thôn 5 ,  xã Yên Định')).toBe('Thôn 5');
    expect(villageOf('Số 12, Xóm Chùa, xã Yên Định')).toBe('Xóm Chùa');
    const table = await callList(t.database, { date: '2026-12-02' });
    const text = reportText(table, 100);
    expect(text.match(/Thôn\/xóm: Thôn 5 \((\d+)\)/)?.[1]).toBe('3');
    expect(text.match(/Thôn\/xóm: Thôn Đông \((\d+)\)/)?.[1]).toBe('5');
    const html = String(await renderReport(table, 'html'));
    expect(html.match(/<h2>/g)).toHaveLength(2);
  });

  it('during the campaign: COVID-19 by product interval, and the age and school filters', async () => {
    const table = await callList(t.database, { date: '2021-10-01' });
    expect(table.rows.map((r) => [r[1], r[9], r[10], r[11], r[12], r[13]])).toEqual([
      ['Ngô Văn Phúc', 'covid19', 2, '2021-09-26', 5, 'due'],
    ]);
    const pupils = await callList(t.database, { date: '2022-06-01' }, { ageFrom: 5, ageTo: 18, school: 'yen dinh' });
    expect(pupils.rows.map((r) => [r[1], r[8], r[9], r[10], r[11], r[13]])).toEqual([['Bùi Thị Lan', 'Trường TH Yên Định', 'covid19', 1, '2022-04-01', 'due']]);
    const adults = await callList(t.database, { date: '2022-06-01' }, { ageFrom: 18 });
    // adults on 2022-06-01: D has 3 doses by then (dose 4 only from 50); E has one valid dose, dose 2 overdue
    expect(adults.rows.map((r) => [r[1], r[10], r[13]])).toEqual([['Ngô Văn Phúc', 2, 'overdue']]);
  });

  it('the person page shows the measles dose at 6 months as recorded, not counted, and why', async () => {
    const [id] = await personOf('Lê Thị Cúc');
    const text = personPageText((await personPage(t.database, id!, '2026-12-02'))!);
    expect(text).toContain('2026-07-31  Sởi');
    expect(text).toContain('✗ không tính cho Sởi mũi 1 (sởi): tiêm trước tuổi tối thiểu 9 tháng');
    expect(text).toContain('Sởi mũi 1: quá hạn (đến hạn từ 2026-10-31)');
    expect(text).toContain('Viêm gan B sơ sinh mũi 1: đã tiêm ngày 2026-01-31');
    const [newborn] = await personOf('Phạm Văn Dũng');
    expect(personPageText((await personPage(t.database, newborn!, '2026-12-02'))!)).toContain('Viêm gan B sơ sinh mũi 1: đã lỡ');
    expect(await personPage(t.database, 'P999999', '2026-12-02')).toBeNull();
  });

  it('CSV: UTF-8 with a BOM and the contract header', async () => {
    const csv = String(await renderReport(await callList(t.database, { date: '2026-12-02' }), 'csv'));
    expect(csv.startsWith('\ufeffperson_id,full_name,birth_date,sex,guardian_name,phone,village,commune_code,school,vaccine_code,dose_number,due_from,days_overdue,status\n')).toBe(true);
  });

  it('coverage counts the private 6-in-1 and not the measles dose at 6 months', async () => {
    const table = await coverageReport(t.database, { date: '2026-12-02' });
    const cell = (group: string) => table.rows.find((r) => r[0] === 'tất cả' && r[1] === group)!;
    // children past the window of penta 3 (4 months + 1 month): A, B, F (G has died) → A and B have it
    expect(cell('penta mũi 3').slice(2, 4)).toEqual([3, 66.7]);
    expect(cell('ipv mũi 1').slice(2, 4)).toEqual([3, 66.7]);
    // past 10 months: B and F; neither has a valid measles dose
    expect(cell('measles mũi 1').slice(2, 4)).toEqual([2, 0]);
    // COVID-19 18+: D counts four doses
    expect(cell('COVID-19 18+').slice(2, 7)).toEqual([2, 100, 50, 50, 50]);
  });

  it('coverage prints age groups by age and its totals last, even when the text is cut', async () => {
    const table = await coverageReport(t.database, { date: '2022-06-01' });
    const groups = table.rows.filter((r) => r[0] === 'tất cả').map((r) => String(r[1]));
    // H is 7 (5–11), D and E adults (18+): by age, not as text sorts them ('18+' before '5–11')
    expect(groups.filter((g) => g.startsWith('COVID-19'))).toEqual(['COVID-19 5–11', 'COVID-19 18+']);
    expect(table.rows.slice(-groups.length).every((r) => r[0] === 'tất cả')).toBe(true);
    expect(table.totalRows).toBe(groups.length);
    const text = reportText(table, 1);
    expect(text).toMatch(/tất cả\s+COVID-19, 18 tuổi trở lên|tất cả\s+COVID-19, từ 18 tuổi/);
    expect(text).toContain('Xã Yên Định');
  });
});

describe('the call list sorted village by village', () => {
  const row = (commune: string, village: string, name: string, id: string, vaccine: number) => ({ row: [id, name, commune, village, vaccine], commune, village, name, id, vaccine });
  // Vietnamese names in an order plain code points would get wrong (Đ after D, accents after the bare letter),
  // a name shared by two people, one person with two doses, several communes and villages, no commune.
  const rows = [
    row('15469', 'thon 5', 'Đỗ Văn Bình', 'P12', 3), row('15469', 'thon 5', 'Dương Thị An', 'P3', 1), row('\uffff', '', 'Ánh', 'P7', 1),
    row('15469', 'thon 5', 'Nguyễn Văn An', 'P20', 2), row('15469', 'thon 5', 'Nguyễn Văn An', 'P2', 5), row('15469', 'thon 5', 'Nguyễn Văn An', 'P2', 1),
    row('15469', 'xom chua', 'Anh', 'P9', 1), row('15466', 'thon 5', 'Ân', 'P1', 1), row('15469', 'thon dong', 'Ắc', 'P4', 9), row('15466', 'thon 10', 'Bé', 'P5', 1),
    row('15469', 'thon 5', 'Dũng', 'P6', 1), row('15469', '', 'Ê', 'P8', 1), row('15466', 'thon 5', 'An', 'P10', 1),
  ];
  it('gives the order of one sort of the whole list', () => {
    const whole = [...rows].sort(compareRows).map((r) => r.row);
    expect(sortRows(rows)).toEqual(whole);
    // and that order worked out by hand: communes by code (no commune last); villages by key as text ('thon 10'
    // before 'thon 5'; no village first); names in Vietnamese order (Dũng, Dương, Đỗ, Nguyễn); same name by
    // person id as text (P2 before P20); one person's doses by vaccine
    expect(sortRows(rows).map((r) => `${r[0]}:${r[4]}`)).toEqual(
      ['P5:1', 'P10:1', 'P1:1', 'P8:1', 'P6:1', 'P3:1', 'P12:3', 'P2:1', 'P2:5', 'P20:2', 'P4:9', 'P9:1', 'P7:1'],
    );
  });
  it('falls back to one sort of the whole list when two village keys are the same to the collator', () => {
    // 'thon 5\u0000' is a different key that the collator finds equal to 'thon 5': the villages would interleave
    const odd = [...rows, row('15469', 'thon 5\u0000', 'Bảo', 'P30', 1), row('15469', 'thon 5\u0000', 'Xuân', 'P31', 1)];
    expect(sortRows(odd)).toEqual([...odd].sort(compareRows).map((r) => r.row));
  });
});
