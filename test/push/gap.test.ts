/**
 * The platform gap report against an export built from the platform simulator's own store: what the
 * simulator holds after a push, with rows taken out by hand (what "the platform lost"), must come back as
 * exactly those people and doses, queued, and sent by the next push. And the guardian of a child without an
 * ID, loaded only when the policy says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirPlatform } from '../../connectors/platform/fhir-http.js';
import { startPlatformSimulator, type PlatformExportRow, type PlatformSimulator } from '../../connectors/platform/simulator.js';
import { csvLine } from '../../src/base/csv.js';
import { importFile } from '../../src/ingest/import.js';
import { linkAll } from '../../src/link/link.js';
import { DEFAULT_SYSTEMS } from '../../src/push/fhir.js';
import { platformGap } from '../../src/push/gap.js';
import { loadPushPersons, pushOutbox } from '../../src/push/push.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { reconciledSample } from '../helpers/sample.js';

function writeExport(file: string, rows: readonly PlatformExportRow[], columns: readonly ('citizen_id' | 'person_id')[] = ['citizen_id', 'person_id']): string {
  const lines = [csvLine([...columns, 'vaccine', 'date'])];
  for (const r of rows) lines.push(csvLine([...columns.map((c) => (c === 'citizen_id' ? r.citizenId : r.personId)), r.vaccine, r.date]));
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe.each(BACKENDS)('platform gap report on %s', (kind) => {
  let t: TestDatabase;
  let simulator: PlatformSimulator;
  const dir = tempDir();
  let eligible: string[];
  const push = async () => {
    const platform = fhirPlatform({ baseUrl: simulator.url, backoffMs: 5 });
    try {
      return await pushOutbox(t.database, platform, { bundlePersons: 20 });
    } finally {
      await platform.close();
    }
  };
  const held = () => simulator.exportRows(DEFAULT_SYSTEMS.personId);

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await reconciledSample(t.database, { persons: 120, seed: 11, dir });
    eligible = (
      await t.database.withTransaction((tx) =>
        tx.query<{ id: string }>(
          `select p.id::text as id from person p join registry_check c on c.person_id = p.id
           where c.status in ('verified', 'corrected') and c.person_link_run = p.link_run_id order by p.id`,
        ),
      )
    ).map((r) => r.id);
    simulator = await startPlatformSimulator();
    const first = await push();
    expect(first.sent).toBe(eligible.length);
  });
  afterAll(async () => {
    await simulator?.close();
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds nothing missing when the export holds everything that was pushed', async () => {
    const report = await platformGap(t.database, writeExport(path.join(dir, 'full.csv'), held()));
    expect(report.eligiblePeople).toBe(eligible.length);
    expect(report.missingPeople).toBe(0);
    expect(report.missingDoses).toBe(0);
    expect(report.queued).toBe(0);
    expect(report.unmatchedRows).toBe(0);
    expect(report.skipped).toBe(0);
  });

  it('lists exactly the people and doses taken out of the export, queues them, and the next push sends them', async () => {
    const rows = held();
    const withDoses = [...new Set(rows.filter((r) => r.vaccine !== '').map((r) => r.personId))].sort();
    // Three people lost whole; one dose lost of two others (each of whom keeps at least one other row).
    const lostPeople = withDoses.slice(0, 3);
    const lostDoseOwners = withDoses.filter((id) => rows.filter((r) => r.personId === id).length >= 2).filter((id) => !lostPeople.includes(id)).slice(0, 2);
    expect(lostDoseOwners).toHaveLength(2);
    const lostDoses = lostDoseOwners.map((id) => rows.find((r) => r.personId === id)!);
    const kept = rows.filter((r) => !lostPeople.includes(r.personId) && !lostDoses.includes(r));
    const file = writeExport(path.join(dir, 'partial.csv'), kept);

    // The expected doses, counted from the database independently of the report's query.
    const doseCount = async (ids: readonly string[]) =>
      Number((await t.database.withTransaction((tx) => tx.query<{ n: string }>(`select count(*) as n from dose where person_id = any($1::bigint[])`, [ids])))[0]!.n);

    const dry = await platformGap(t.database, file, { dryRun: true });
    expect(dry.entries.filter((e) => e.kind === 'person').map((e) => e.personId).sort()).toEqual(lostPeople);
    expect(dry.entries.filter((e) => e.kind === 'person').reduce((n, e) => n + e.doses, 0)).toBe(await doseCount(lostPeople));
    expect(dry.entries.filter((e) => e.kind === 'dose').map((e) => [e.personId, e.vaccineCode, e.date])).toEqual(
      lostDoses.map((r) => [r.personId, r.vaccine, r.date]).sort(),
    );
    // Masked, never whole.
    for (const e of dry.entries) if (e.citizenId !== null) expect(e.citizenId).toMatch(/^\d{4}\*+\d{2}$/);
    expect(dry.queued).toBe(5);
    const waiting = async () =>
      (await t.database.withTransaction((tx) => tx.query<{ id: string }>(`select person_id::text as id from outbox where state = 'pending' order by 1`))).map((r) => r.id);
    expect(await waiting()).toEqual([]);

    const report = await platformGap(t.database, file);
    expect(report.queued).toBe(5);
    expect(await waiting()).toEqual([...lostPeople, ...lostDoseOwners].sort());
    const again = await push();
    expect(again.sent).toBe(5);
    // What the platform holds now is complete again.
    const after = await platformGap(t.database, writeExport(path.join(dir, 'after.csv'), held()), { dryRun: true });
    expect(after.missingPeople + after.missingDoses).toBe(0);
  });

  it('finds people by their CCCD alone when the export has no vaxsync id: only those without one stay missing', async () => {
    const report = await platformGap(t.database, writeExport(path.join(dir, 'cccd.csv'), held(), ['citizen_id']), { dryRun: true });
    const withoutId = await t.database.withTransaction((tx) =>
      tx.query<{ id: string }>(`select id::text as id from person where id = any($1::bigint[]) and citizen_id is null order by id`, [eligible]),
    );
    expect(report.entries.filter((e) => e.kind === 'person').map((e) => e.personId)).toEqual(withoutId.map((r) => r.id));
    expect(report.missingDoses).toBe(0);
  });

  it('queues everybody when the platform lost everything', async () => {
    simulator.reset();
    const report = await platformGap(t.database, writeExport(path.join(dir, 'empty.csv'), []));
    expect(report.missingPeople).toBe(eligible.length);
    expect(report.queued).toBe(eligible.length);
    expect((await push()).sent).toBe(eligible.length);
    expect((await platformGap(t.database, writeExport(path.join(dir, 'restored.csv'), held()), { dryRun: true })).missingPeople).toBe(0);
  });

  it('names the file and the rows it cannot use, and refuses a file without a person column', async () => {
    const file = path.join(dir, 'odd.csv');
    fs.writeFileSync(file, 'CCCD,Vắc xin,Ngày tiêm\nabc,AstraZeneca,01/07/2021\n001085012345,AstraZeneca,not a date\n001085012345,AstraZeneca,\n');
    const report = await platformGap(t.database, file, { dryRun: true });
    expect(report.exportRows).toBe(3);
    expect(report.skippedRows).toEqual([
      { row: 2, reason: 'neither a vaxsync person id nor a CCCD/CMND' },
      { row: 3, reason: 'the date cannot be read' },
      { row: 4, reason: 'a vaccine without a date' },
    ]);
    const noPerson = path.join(dir, 'no-person.csv');
    fs.writeFileSync(noPerson, 'vaccine,date\nBCG,2024-01-01\n');
    await expect(platformGap(t.database, noPerson)).rejects.toThrow(/no-person\.csv.*citizen_id \(CCCD\) or person_id/);
  });
});

describe.each(BACKENDS)('the guardian sent with a child on %s', (kind) => {
  let t: TestDatabase;
  const dir = tempDir();
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is loaded for a child without a CCCD only when the policy allows, the name its rows give most often', async () => {
    t = await openTestDatabase(kind);
    const file = path.join(dir, 'child.csv');
    const header = 'record_id,full_name,birth_date,sex,citizen_id,phone,commune_code,vaccine,dose_number,vaccination_date,guardian_name,guardian_phone';
    fs.writeFileSync(
      file,
      [
        header,
        'r1,Lê Hoàng Bảo Anh,02/06/2023,Nữ,,0387654321,00004,BCG,1,02/06/2023,Lê Thị Hoa,0387654321',
        'r2,Lê Hoàng Bảo Anh,02/06/2023,Nữ,,0387654321,00004,DPT-VGB-Hib,1,02/08/2023,Lê Thị Hoa,0387654321',
        'r3,Lê Hoàng Bảo Anh,02/06/2023,Nữ,,0387654321,00004,DPT-VGB-Hib,2,02/09/2023,Lê Thi Hoa,',
        'r4,Nguyễn Văn Tâm,15/03/1985,Nam,001085012345,0912345678,00004,AstraZeneca,1,20/07/2021,Nguyễn Văn Cha,0912000000',
      ].join('\n') + '\n',
    );
    await importFile(t.database, file, { today: '2026-11-01' });
    await linkAll(t.database);
    const people = await t.database.withTransaction((tx) => tx.query<{ id: string; citizen_id: string | null }>(`select id::text as id, citizen_id from person order by id`));
    expect(people).toHaveLength(2);
    const ids = people.map((p) => p.id);
    const load = (policy: 'never' | 'children-without-id') => t.database.withTransaction((tx) => loadPushPersons(tx.query, ids, policy));
    for (const p of await load('never')) expect(p.guardian).toBeNull();
    const loaded = await load('children-without-id');
    const child = loaded.find((p) => p.citizenId === null)!;
    const adult = loaded.find((p) => p.citizenId !== null)!;
    // Two rows of three say "Lê Thị Hoa" with her phone.
    expect(child.guardian).toEqual({ name: 'Lê Thị Hoa', phone: '0387654321' });
    expect(adult.guardian).toBeNull();
  });
});
