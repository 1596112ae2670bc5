import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileRegistry, loadRegistryFile } from '../../connectors/registry/file.js';
import { httpRegistry } from '../../connectors/registry/http.js';
import { startRegistrySimulator } from '../../connectors/registry/simulator.js';
import type { RegistryConnector } from '../../connectors/registry/types.js';
import { importFile } from '../../src/ingest/import.js';
import { linkAll } from '../../src/link/link.js';
import { reconcile } from '../../src/reconcile/reconcile.js';
import { formatRegistryConflicts, registryConflicts } from '../../src/reconcile/conflicts.js';
import { registryStatusCounts, writeReconcileCsv } from '../../src/reconcile/report.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

const TODAY = '2026-11-01';

// One person per situation of the contract, as a station typed them.
const RECORDS =
  'record_id,full_name,birth_date,sex,citizen_id,vaccine,dose_number,vaccination_date\n' +
  'R1,Nguyễn Thị Thủy,15/03/1985,Nữ,001185012345,AstraZeneca,1,20/08/2021\n' +
  'R2,Tran Van Hoa,1990,Nam,079090012346,Pfizer,1,10/09/2021\n' + // no diacritics, year only
  'R3,Lê Văn Nam,01/01/1960,Nam,001060000001,Vero Cell,1,01/10/2021\n' + // died since
  'R4,Phạm Minh Đức,05/05/1980,Nam,001080012347,Pfizer,1,01/06/2022\n' + // someone else's ID (a mix-up at registration)
  'R5,Hoàng Thị Lan,09/09/1975,Nữ,001175099999,Moderna,1,01/11/2021\n' + // not registered
  'R6,Võ Thị Mai,12/12/1988,Nữ,,Pfizer,1,12/12/2021\n' + // no ID, registered
  'R7,Đỗ Văn Bình,1970,Nam,,Vero Cell,1,03/03/2022\n'; // no ID, not findable

const REGISTRY =
  'Số định danh,Họ và tên,Ngày sinh,Giới tính,Mã xã,Trạng thái,Ngày mất\n' +
  '001185012345,Nguyễn Thị Thủy,15/03/1985,Nữ,,Còn sống,\n' +
  '079090012346,Trần Văn Hòa,1990-07-02,Nam,,Còn sống,\n' +
  '001060000001,Lê Văn Nam,1960-01-01,Nam,,Đã chết,2024-02-03\n' +
  '001080012347,Nguyễn Văn Hùng,1980-02-02,Nam,,Còn sống,\n' +
  '079188011111,Võ Thị Mai,1988-12-12,Nữ,,Còn sống,\n';

const EXPECTED: Record<string, [status: string, fields: string]> = {
  R1: ['verified', ''],
  R2: ['corrected', 'full_name;birth_date'],
  R3: ['deceased', ''],
  R4: ['conflict', 'full_name;birth_date'],
  R5: ['not_found', ''],
  R6: ['verified', ''],
  R7: ['no_id', ''],
};

describe.each(BACKENDS)('reconcile on %s', (kind) => {
  let t: TestDatabase;
  const dir = tempDir();
  const registryFile = path.join(dir, 'registry.csv');
  beforeAll(async () => {
    t = await openTestDatabase(kind);
    fs.writeFileSync(path.join(dir, 'records.csv'), RECORDS);
    fs.writeFileSync(registryFile, REGISTRY);
    await importFile(t.database, path.join(dir, 'records.csv'), { today: TODAY });
    await linkAll(t.database);
  });
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Status and fields per record id, from the contract's output. */
  async function statuses(): Promise<Record<string, [string, string]>> {
    const chunks: Buffer[] = [];
    const out = new (await import('node:stream')).Writable({
      write(chunk, _e, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    });
    await writeReconcileCsv(t.database, out);
    const [header, ...lines] = Buffer.concat(chunks).toString('utf8').trim().split('\n');
    expect(header).toBe('person_id,citizen_id,status,fields');
    const byPerson = new Map(lines.map((l) => l.split(',')).map(([person, , status, fields]) => [person!, [status!, fields ?? ''] as [string, string]]));
    const members = await t.database.db
      .selectFrom('person_record as p')
      .innerJoin('record as r', (j) => j.onRef('r.batch_id', '=', 'p.batch_id').onRef('r.row_number', '=', 'p.row_number'))
      .select(['r.record_id', 'p.person_id'])
      .execute();
    return Object.fromEntries(members.map((m) => [m.record_id!, byPerson.get(`P${m.person_id}`)!]));
  }

  async function withConnector(connector: RegistryConnector, fn: () => Promise<void>) {
    try {
      await fn();
    } finally {
      await connector.close();
    }
  }

  it('gives each person the contract status from a file extract, and adopts the registry identity', async () => {
    await loadRegistryFile(t.database, registryFile);
    const registry = await fileRegistry(t.database, registryFile);
    await withConnector(registry, async () => {
      const summary = await reconcile(t.database, registry);
      expect(summary.checked).toBe(7);
      expect(summary.byStatus).toEqual({ verified: 2, corrected: 1, conflict: 1, not_found: 1, no_id: 1, deceased: 1 });
    });
    expect(await statuses()).toEqual(EXPECTED);

    const golden = async (recordId: string) =>
      t.database.db
        .selectFrom('person as p')
        .innerJoin('person_record as pr', 'pr.person_id', 'p.id')
        .innerJoin('record as r', (j) => j.onRef('r.batch_id', '=', 'pr.batch_id').onRef('r.row_number', '=', 'pr.row_number'))
        .select(['p.full_name', 'p.birth_date', 'p.citizen_id', 'p.sources', 'r.full_name as raw_name'])
        .where('r.record_id', '=', recordId)
        .executeTakeFirstOrThrow();
    const corrected = await golden('R2');
    expect(corrected.full_name).toBe('Trần Văn Hòa');
    expect(corrected.birth_date).toBe('1990-07-02');
    expect(corrected.sources.full_name![0]).toMatch(/^registry:file:registry\.csv#/);
    expect(corrected.raw_name).toBe('Tran Van Hoa'); // the cleaned record is untouched
    const found = await golden('R6');
    expect(found.citizen_id).toBe('079188011111'); // found by name and birth date, with provenance
    expect(found.sources.citizen_id![0]).toMatch(/^registry:/);
    const conflict = await golden('R4');
    expect(conflict.full_name).toBe('Phạm Minh Đức'); // a conflict adopts nothing

    const conflicts = await registryConflicts(t.database, { limit: 10 });
    expect(conflicts.total).toBe(1);
    expect(conflicts.items[0]).toMatchObject({ ours: 'Phạm Minh Đức, 1980-05-05', registry: 'Nguyễn Văn Hùng, 1980-02-02' });
    expect(formatRegistryConflicts(conflicts)).not.toContain('001080012347'); // the ID is masked

    const counts = await registryStatusCounts(t.database);
    expect(counts.overall.people).toBe(7);
    expect(counts.overall.counts.verified).toBe(2);
  });

  it('re-checks only what changed or is stale, and a re-check still knows what was corrected', async () => {
    const registry = await fileRegistry(t.database, registryFile);
    await withConnector(registry, async () => {
      expect((await reconcile(t.database, registry)).checked).toBe(0);
      const again = await reconcile(t.database, registry, { all: true });
      expect(again.checked).toBe(7);
    });
    expect(await statuses()).toEqual(EXPECTED);
  });

  it('gives the same statuses through the HTTP service, despite 429s, errors and dropped connections', async () => {
    const simulator = await startRegistrySimulator({
      entries: registryFile,
      token: 'secret',
      faults: { sequence: ['429', 'error', 'drop', 'timeout'], retryAfterSeconds: 0 },
    });
    const registry = httpRegistry({ baseUrl: simulator.url, token: 'secret', batchSize: 2, timeoutMs: 300, backoffMs: 5 });
    try {
      const summary = await reconcile(t.database, registry, { all: true });
      expect(summary.checked).toBe(7);
    } finally {
      await registry.close();
      await simulator.close();
    }
    // the HTTP service cannot search by name: the person without an ID stays without one
    expect(await statuses()).toEqual({ ...EXPECTED, R6: ['no_id', ''] });
  });

  it('marks nobody when the service refuses the credentials, and nobody wrongly under random faults', async () => {
    const before = await statuses();
    const simulator = await startRegistrySimulator({
      entries: registryFile,
      token: 'secret',
      faults: { errorRate: 0.3, rate429: 0.2, timeoutRate: 0.1, dropRate: 0.1, retryAfterSeconds: 0, seed: 11 },
    });
    try {
      const refused = httpRegistry({ baseUrl: simulator.url, token: 'wrong', backoffMs: 5, timeoutMs: 300 });
      await expect(reconcile(t.database, refused, { all: true })).rejects.toThrow(/credentials/);
      await refused.close();
      const checkedAt = await t.database.db.selectFrom('registry_check').select(['person_id', 'checked_at']).orderBy('person_id').execute();

      const flaky = httpRegistry({ baseUrl: simulator.url, token: 'secret', batchSize: 1, concurrency: 2, retries: 10, backoffMs: 5, timeoutMs: 300 });
      const summary = await reconcile(t.database, flaky, { all: true });
      await flaky.close();
      expect(summary.checked).toBe(7);
      expect(await statuses()).toEqual(before);
      // the refused run wrote nothing: every check afterwards is the flaky run's
      const after = await t.database.db.selectFrom('registry_check').select(['person_id', 'checked_at']).orderBy('person_id').execute();
      after.forEach((row, i) => expect(row.checked_at.getTime()).toBeGreaterThan(checkedAt[i]!.checked_at.getTime()));
    } finally {
      await simulator.close();
    }
  });
});
