/**
 * Issue 16 item 6, the police check loop: a police key of one commune reads its commune's `conflict`,
 * `not_found` and `no_id` people, answers per person, signs the list off and prints it; the next reconcile
 * takes the answers as the registry's (with the officer as provenance); every step is in the audit log; and
 * the key reaches nothing else. Built by hand: each person below is one situation, and the expected lists
 * and statuses are counted from this table, not from the code under test.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileRegistry } from '../../connectors/registry/file.js';
import { linkAll } from '../../src/link/link.js';
import { reconcile } from '../../src/reconcile/reconcile.js';
import { createApiKey } from '../../src/service/keys.js';
import { BACKENDS, tempDir } from '../helpers/database.js';
import { englishIn } from '../console/english.js';
import { COMMUNE_A, COMMUNE_B, call, fileForm, startTestService, type TestService } from './helpers.js';

const HEADER = 'record_id,full_name,birth_date,sex,citizen_id,phone,address,commune_code,guardian_name,guardian_phone,vaccine,dose_number,vaccination_date';
const ROWS_A = [
  // conflict: the registry gives this ID to someone else; the officer finds his own ID
  `A1,Phạm Minh Đức,05/05/1980,Nam,001080012347,0912000001,"Thôn 2, xã A",${COMMUNE_A},,,Pfizer,1,01/06/2022`,
  // not_found: the extract is older than her ID; the officer confirms it
  `A2,Hoàng Thị Lan,09/09/1975,Nữ,001175099999,0912000002,Thôn 1,${COMMUNE_A},,,Moderna,1,01/11/2021`,
  // no_id, a child (the registry's birth date is ten days off, so no search finds it): the officer gives the ID
  `A3,Đỗ Văn Bình,01/02/2022,Nam,,,Thôn 1,${COMMUNE_A},Đỗ Thị Hoa,0987000003,BCG,1,02/02/2022`,
  // verified: never on the list
  `A4,Nguyễn Thị Thủy,15/03/1985,Nữ,001185012345,,Thôn 1,${COMMUNE_A},,,AstraZeneca,1,20/08/2021`,
  // no_id: died; the officer says so
  `A5,Lê Văn Nam,1940,Nam,,,Thôn 3,${COMMUNE_A},,,Vero Cell,1,01/10/2021`,
  // no_id: moved away; the address is formula-like text, which the printed list must keep as text
  `A6,Trần Văn Khoa,1991,Nam,,,"=HYPERLINK(""http://x"")",${COMMUNE_A},,,Pfizer,1,10/09/2021`,
].join('\n');
const ROWS_B = `B1,Vũ Thị Hà,1992,Nữ,001192000777,,Thôn 9,${COMMUNE_B},,,Pfizer,1,10/09/2021`;

const REGISTRY =
  'Số định danh,Họ và tên,Ngày sinh,Giới tính,Mã xã,Trạng thái,Ngày mất\n' +
  '001080012347,Nguyễn Văn Hùng,1980-02-02,Nam,,Còn sống,\n' +
  '001080099999,Phạm Minh Đức,1980-05-05,Nam,,Còn sống,\n' +
  '001222000333,Đỗ Văn Bình,2022-02-11,Nam,,Còn sống,\n' +
  '001185012345,Nguyễn Thị Thủy,1985-03-15,Nữ,,Còn sống,\n';

const csvFile = (rows: string) => fileForm('tcmr.csv', `${HEADER}\n${rows}\n`);

describe.each(BACKENDS)('the police check loop (%s)', (kind) => {
  let s: TestService;
  let policeA: string;
  let policeB: string;
  const dir = tempDir();
  const registryFile = path.join(dir, 'registry.csv');
  const person: Record<string, string> = {};

  const runReconcile = async () => {
    const connector = await fileRegistry(s.database, registryFile);
    try {
      return await reconcile(s.database, connector);
    } finally {
      await connector.close();
    }
  };

  beforeAll(async () => {
    s = await startTestService(kind);
    policeA = (await createApiKey(s.database, { name: 'ca-xa-a', role: 'police', commune: COMMUNE_A })).secret;
    policeB = (await createApiKey(s.database, { name: 'ca-xa-b', role: 'police', commune: COMMUNE_B })).secret;
    expect((await call(`${s.api}/uploads`, { key: s.keys.stationA, form: csvFile(ROWS_A) })).status).toBe(200);
    expect((await call(`${s.api}/uploads`, { key: s.keys.stationB, form: csvFile(ROWS_B) })).status).toBe(200);
    await linkAll(s.database);
    const rows = await s.database.withTransaction((tx) =>
      tx.query<{ record_id: string; person_id: string }>(
        'select r.record_id, pr.person_id::text as person_id from record r join person_record pr on pr.batch_id = r.batch_id and pr.row_number = r.row_number',
      ),
    );
    for (const r of rows) person[r.record_id] = r.person_id;
    fs.writeFileSync(registryFile, REGISTRY);
    const { loadRegistryFile } = await import('../../connectors/registry/file.js');
    await loadRegistryFile(s.database, registryFile);
    await runReconcile();
  });
  afterAll(async () => {
    await s?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const statusOf = async (record: string) =>
    s.database.db.selectFrom('registry_check').selectAll().where('person_id', '=', person[record]!).executeTakeFirstOrThrow();

  it('a police key needs a commune and no station', async () => {
    await expect(createApiKey(s.database, { name: 'ca-x', role: 'police' })).rejects.toMatchObject({ code: 'key.invalid' });
    await expect(createApiKey(s.database, { name: 'ca-y', role: 'police', commune: COMMUNE_A, station: 'TYT1' })).rejects.toMatchObject({ code: 'key.invalid' });
    expect((await call(`${s.api}/me`, { key: policeA })).body).toMatchObject({ role: 'police', commune: COMMUNE_A });
  });

  it("lists its commune's conflict, not_found and no_id people with what an officer needs", async () => {
    const answer = await call(`${s.api}/police/list`, { key: policeA });
    expect(answer.status).toBe(200);
    const ids = answer.body.items.map((i: { personId: string }) => i.personId).sort();
    expect(ids).toEqual(['A1', 'A2', 'A3', 'A5', 'A6'].map((r) => person[r]).sort());
    expect(answer.body).toMatchObject({ commune: COMMUNE_A, people: 5, answered: 0, unsigned: 0, signOffs: [] });
    const byId = new Map(answer.body.items.map((i: { personId: string }) => [i.personId, i]));
    expect(byId.get(person.A1)).toMatchObject({
      fullName: 'Phạm Minh Đức', birthDate: '1980-05-05', citizenId: '001080012347', phone: '0912000001', village: 'Thôn 2', status: 'conflict',
      registry: { fullName: 'Nguyễn Văn Hùng', birthDate: '1980-02-02', deceased: false }, answer: null,
    });
    expect(byId.get(person.A3)).toMatchObject({ status: 'no_id', guardianName: 'Đỗ Thị Hoa', guardianPhone: '0987000003', village: 'Thôn 1', registry: null });
    expect(byId.get(person.A2)).toMatchObject({ status: 'not_found' });
    // the other commune's officer sees only its own person
    const b = await call(`${s.api}/police/list`, { key: policeB });
    expect(b.body.items.map((i: { personId: string }) => i.personId)).toEqual([person.B1]);
  });

  it('reaches nothing but its own list', async () => {
    const refused = [
      await call(`${s.api}/review`, { key: policeA }),
      await call(`${s.api}/review/communes`, { key: policeA }),
      await call(`${s.api}/uploads`, { key: policeA, form: csvFile(ROWS_B) }),
      await call(`${s.api}/persons/${person.A1}`, { key: policeA }),
      await call(`${s.api}/persons?citizen_id=001080012347`, { key: policeA }),
      await call(`${s.api}/reports/due?commune=${COMMUNE_B}`, { key: policeA }),
      await call(`${s.api}/batches/1`, { key: policeA }),
      // another commune's person
      await call(`${s.api}/police/persons/${person.B1}/answer`, { key: policeA, json: { outcome: 'not_resident' } }),
      // the other roles do not reach the police's list
      await call(`${s.api}/police/list`, { key: s.keys.stationA }),
      await call(`${s.api}/police/list`, { key: s.keys.reviewer }),
      await call(`${s.api}/police/sign-off`, { key: s.keys.operator, method: 'POST' }),
    ];
    expect(refused.map((r) => `${r.status} ${r.body?.code}`)).toEqual(new Array(refused.length).fill('403 http.forbidden'));
    expect(refused[7]!.text).not.toContain('Vũ Thị Hà');
    // a person of the commune who is not on the list (verified) cannot be answered either
    expect((await call(`${s.api}/police/persons/${person.A4}/answer`, { key: policeA, json: { outcome: 'not_resident' } })).status).toBe(404);
    const none = await s.database.db.selectFrom('police_answer').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(none.n)).toBe(0);
  });

  it('refuses an answer that lacks what its outcome needs, in Vietnamese', async () => {
    const url = `${s.api}/police/persons/${person.A2}/answer`;
    const noId = await call(url, { key: policeA, json: { outcome: 'id_confirmed' } });
    expect(noId).toMatchObject({ status: 400, body: { code: 'request.invalid' } });
    expect(noId.body.error).toMatch(/số định danh/);
    expect((await call(url, { key: policeA, json: { outcome: 'id_confirmed', citizenId: '12345' } })).status).toBe(400);
    expect((await call(url, { key: policeA, json: { outcome: 'corrected' } })).status).toBe(400);
    expect((await call(url, { key: policeA, json: { outcome: 'corrected', birthDate: '31/02/1975' } })).status).toBe(400);
  });

  it('records the answers with the officer, signs the list off, and the next reconcile uses them', async () => {
    const answer = (record: string, body: object) => call(`${s.api}/police/persons/${person[record]}/answer`, { key: policeA, json: body });
    // a first answer for A1, replaced by a second: the newest is in force
    expect((await answer('A1', { outcome: 'not_resident' })).status).toBe(200);
    const a1 = await answer('A1', { outcome: 'corrected', citizenId: '001080099999' });
    expect(a1).toMatchObject({ status: 200, body: { outcome: 'corrected', citizenId: '001080099999', officer: 'ca-xa-a', signOffId: null } });
    const a2 = await answer('A2', { outcome: 'id_confirmed', citizenId: '001175099999' });
    // a confirmation stores the identity the list showed
    expect(a2.body).toMatchObject({ fullName: 'Hoàng Thị Lan', birthDate: '1975-09-09', sex: 'female' });
    expect((await answer('A3', { outcome: 'corrected', citizenId: '001222000333' })).status).toBe(200);
    expect((await answer('A5', { outcome: 'deceased', deathDate: '03/2024' })).status).toBe(200);
    expect((await answer('A6', { outcome: 'not_resident', note: 'chuyển đi 2023' })).status).toBe(200);

    const before = await call(`${s.api}/police/list`, { key: policeA });
    expect(before.body).toMatchObject({ people: 5, answered: 5, unsigned: 5 });

    const signed = await call(`${s.api}/police/sign-off`, { key: policeA, method: 'POST' });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({
      commune: COMMUNE_A, officer: 'ca-xa-a', people: 5, answered: 5,
      outcomes: { id_confirmed: 1, corrected: 2, not_resident: 1, deceased: 1 },
    });
    // all six answers (A1's replaced one too) are covered; nothing new: a second sign-off is refused
    const covered = await s.database.db.selectFrom('police_answer').select('sign_off_id').execute();
    expect(covered.map((c) => c.sign_off_id)).toEqual(new Array(6).fill(signed.body.id));
    expect((await call(`${s.api}/police/sign-off`, { key: policeA, method: 'POST' })).status).toBe(400);

    // The next reconcile: only the answered people are checked again (the rest are fresh).
    const verifiedBefore = (await statusOf('A4')).checked_at;
    const summary = await runReconcile();
    expect(summary.checked).toBe(5);
    expect((await statusOf('A4')).checked_at).toEqual(verifiedBefore);

    const a1Check = await statusOf('A1');
    expect(a1Check).toMatchObject({ status: 'corrected', found_by: 'police', registry: 'police:ca-xa-a', citizen_id: '001080099999' });
    const a1Person = await s.database.db.selectFrom('person').selectAll().where('id', '=', person.A1!).executeTakeFirstOrThrow();
    expect(a1Person.citizen_id).toBe('001080099999');
    expect(a1Person.sources.citizen_id).toEqual([`registry:police:ca-xa-a#${a1.body.id}`]);

    expect(await statusOf('A2')).toMatchObject({ status: 'verified', found_by: 'police', registry: 'police:ca-xa-a' });
    // the child: the ID given, name and birth date filled in from the extract's entry (which agrees)
    const a3 = await statusOf('A3');
    // the child: the ID given; name and birth date filled in from the extract's entry under it (which agrees,
    // ten days apart: a typo), so the golden record takes the registry's date
    expect(a3).toMatchObject({ status: 'corrected', found_by: 'police', citizen_id: '001222000333', fields: ['birth_date'] });
    expect(a3.registry_identity).toMatchObject({ fullName: 'Đỗ Văn Bình', birthDate: '2022-02-11' });
    const a3Person = await s.database.db.selectFrom('person').selectAll().where('id', '=', person.A3!).executeTakeFirstOrThrow();
    expect(a3Person).toMatchObject({ citizen_id: '001222000333', birth_date: '2022-02-11' });
    expect(await statusOf('A5')).toMatchObject({ status: 'deceased', found_by: 'police' });
    // not a resident: the extract's verdict stands, annotated
    const a6 = await statusOf('A6');
    expect(a6).toMatchObject({ status: 'no_id', found_by: null });
    expect(a6.note).toMatch(/not a resident/);

    // after the sign-off and the reconcile, the people are still on the list, with their answers and the sign-off
    const after = await call(`${s.api}/police/list`, { key: policeA });
    expect(after.body).toMatchObject({ people: 5, answered: 5, unsigned: 0 });
    expect(after.body.signOffs).toEqual([expect.objectContaining({ id: signed.body.id, people: 5 })]);
    const statuses = Object.fromEntries(after.body.items.map((i: { personId: string; status: string }) => [i.personId, i.status]));
    expect(statuses).toEqual({ [person.A1!]: 'corrected', [person.A2!]: 'verified', [person.A3!]: 'corrected', [person.A5!]: 'deceased', [person.A6!]: 'no_id' });
    // A reconcile that finds nothing new to do checks nobody again.
    expect((await runReconcile()).checked).toBe(0);
  });

  it('prints the list for door-to-door checks, in Vietnamese, formula-safe', async () => {
    const html = await call(`${s.api}/police/list/print?format=html`, { key: policeA });
    expect(html.status).toBe(200);
    expect(html.text).toContain('DANH SÁCH CÔNG AN XÃ KIỂM TRA');
    expect(html.text).toContain('Hoàng Thị Lan');
    expect(html.text).toContain('Kết quả kiểm tra (ghi tay)');
    expect(html.text).not.toContain('Vũ Thị Hà');
    expect(html.text).not.toMatch(/\b(male|female|not_found|no_id|conflict)\b/);
    expect(englishIn(html.text)).toEqual([]);

    const response = await fetch(`${s.api}/police/list/print?format=xlsx`, { headers: { authorization: `Bearer ${policeA}` } });
    expect(response.status).toBe(200);
    // sent as it is written (src/base/xlsx-stream.ts), not built whole first
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.get('content-length')).toBeNull();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const cells: ExcelJS.Cell[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell))));
    const texts = cells.map((c) => String(c.value));
    expect(englishIn(texts.join('\n'))).toEqual([]);
    expect(texts).toContain('Đỗ Văn Bình');
    expect(texts).toContain('Người giám hộ');
    // the formula-like village is a text cell, never a formula
    const formulaLike = cells.filter((c) => String(c.value).startsWith('=HYPERLINK'));
    expect(formulaLike.length).toBeGreaterThan(0);
    for (const c of formulaLike) expect(c.type).toBe(ExcelJS.ValueType.String);
    expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula)).toEqual([]);
  });

  it('writes every step to the audit log under the officer, refusals included', async () => {
    const rows = await s.database.db.selectFrom('audit_log').select(['actor', 'role', 'action', 'resource', 'outcome']).where('action', 'like', 'police.%').orderBy('id').execute();
    const count = (action: string, outcome: string, actor = 'ca-xa-a') => rows.filter((r) => r.action === action && r.outcome === outcome && r.actor === actor).length;
    // hand count of the calls above: lists 3 + 1 (B), answers 6 ok + 5 refused (1 denied other commune, 4 invalid) + 1 not on the list
    expect(count('police.read_list', 'ok')).toBe(3);
    expect(count('police.read_list', 'ok', 'ca-xa-b')).toBe(1);
    expect(count('police.answer', 'ok')).toBe(6);
    expect(count('police.answer', 'denied')).toBe(1);
    expect(count('police.answer', 'error')).toBe(5);
    expect(count('police.sign_off', 'ok')).toBe(1);
    expect(count('police.sign_off', 'error')).toBe(1);
    expect(count('police.print_list', 'ok')).toBe(2);
    expect(rows.filter((r) => r.outcome === 'denied' && r.actor !== 'ca-xa-a').map((r) => r.role).sort()).toEqual(['operator', 'reviewer', 'station']);
    const signOff = rows.find((r) => r.action === 'police.sign_off' && r.outcome === 'ok')!;
    expect(signOff.resource).toMatch(new RegExp(`^police_list:${COMMUNE_A}/sign_off:\\d+$`));
    expect(rows.filter((r) => r.action === 'police.answer' && r.outcome === 'ok').every((r) => /^person:\d+\/police_answer:\d+$/.test(r.resource ?? ''))).toBe(true);
    // the log names people by id only
    expect(JSON.stringify(rows)).not.toMatch(/Phạm|001080/);
  });
});
