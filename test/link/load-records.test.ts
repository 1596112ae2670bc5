/**
 * loadRecords (src/link/rows.ts) reads some records — those a scope's table lists, by one look-up each — as
 * it reads all of them: the same records, columns and order. A table may list refs that are no current
 * record (one a correction superseded, one of no loaded batch): they are skipped and every column is cut to
 * the records read. Read through COPY with its output cut into chunks of a few bytes, the result is the same.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import.js';
import type { RawTransaction } from '../../src/db/database.js';
import { eachLinkedRecords, loadRecords, recordAt, type LoadedRecords } from '../../src/link/rows.js';
import { writeSynthFiles } from '../../src/synth/files.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { featuresOf } from '../matchers/helpers.js';

const TODAY = '2026-11-01';
const STATION = 'TYT01';

/** Row `r` of `loaded`, every column. */
function rowOf(loaded: LoadedRecords, r: number) {
  return {
    batch: loaded.batch[r],
    row: loaded.row[r],
    quarantined: loaded.quarantined[r],
    personId: loaded.personId[r],
    doseId: loaded.doseId[r],
    vaccine: loaded.vaccine.at(r),
    vaccinationDate: loaded.vaccinationDate.at(r),
    doseNumber: loaded.doseNumber[r],
    lot: loaded.lot.at(r),
    communeOld: loaded.communeOld.at(r),
    facility: loaded.facility.at(r),
    record: { ...featuresOf(recordAt(loaded, r)), id: undefined },
  };
}

function rows(loaded: LoadedRecords) {
  const columns = [loaded.batch, loaded.row, loaded.quarantined, loaded.personId, loaded.doseId, loaded.vaccine, loaded.vaccinationDate, loaded.doseNumber, loaded.lot, loaded.communeOld, loaded.facility, loaded.matcherIdOf];
  for (const column of columns) expect(column.length).toBe(loaded.count);
  return Array.from({ length: loaded.count }, (_, r) => rowOf(loaded, r));
}

describe.each(BACKENDS)('loading records of a scope, on %s', (kind) => {
  let t: TestDatabase;
  const dir = tempDir();
  let superseded: { batch: number; row: number }[];

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    const generated = await writeSynthFiles({ persons: 40, seed: 7, dir });
    await importFile(t.database, generated.records, { today: TODAY, station: STATION });
    // The station sends three of its rows again with the name retyped: they supersede the first ones.
    const [header, ...lines] = fs.readFileSync(generated.records, 'utf8').replace(/\r?\n$/, '').split(/\r?\n/);
    const name = header!.replace(/^\uFEFF/, '').split(',').indexOf('full_name');
    const fixed = lines.slice(0, 3).map((line) => {
      const cells = line.split(',');
      cells[name] = `${cells[name]}h`;
      return cells.join(',');
    });
    fs.writeFileSync(`${dir}/fixed.csv`, [header, ...fixed].join('\r\n') + '\r\n');
    await importFile(t.database, `${dir}/fixed.csv`, { today: TODAY, station: STATION });
    superseded = (await t.database.db.selectFrom('record_correction').select(['old_batch', 'old_row']).execute()).map((c) => ({ batch: c.old_batch, row: c.old_row }));
  });
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads the listed current records as a load of all of them has them, and skips the rest', async () => {
    expect(superseded).toHaveLength(3);
    await t.database.withTransaction(async (tx) => {
      const all = rows(await loadRecords(tx));
      await tx.query('create temporary table some_refs (batch_id integer, row_number integer, primary key (batch_id, row_number)) on commit drop');
      // every other record, the superseded ones and a ref of no record, listed out of order
      await tx.query(`insert into some_refs select batch_id, row_number from record where row_number % 2 = 0 order by row_number desc`);
      await tx.query('insert into some_refs values ($1, $2), (999, 1) on conflict do nothing', [superseded[0]!.batch, superseded[0]!.row]);
      const some = rows(await loadRecords(tx, { table: 'some_refs' }));
      const isSuperseded = (r: { batch: number | undefined; row: number | undefined }) => superseded.some((s) => s.batch === r.batch && s.row === r.row);
      const expected = all.filter((r) => r.row! % 2 === 0);
      expect(all.some(isSuperseded)).toBe(false); // a load of all records reads no superseded one
      expect(some).toEqual(expected);
      expect(some.length).toBeGreaterThan(20);
      // with superseded ones: those listed are read too, in their place
      const withOld = rows(await loadRecords(tx, { table: 'some_refs', superseded: true }));
      expect(withOld.filter(isSuperseded).map((r) => [r.batch, r.row])).toEqual(
        superseded.filter((s) => s.row % 2 === 0 || s === superseded[0]).map((s) => [s.batch, s.row]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!),
      );
      expect(withOld.filter((r) => !isSuperseded(r))).toEqual(some);
    });
  });

  it('reads the same records from COPY output cut into chunks of any size', async () => {
    await t.database.withTransaction(async (tx) => {
      const all = rows(await loadRecords(tx));
      // a row's fields, and the header, split at every place
      for (const size of [1, 3, 7, 64]) {
        const chunked: RawTransaction = {
          ...tx,
          copyOut: (select, each) =>
            tx.copyOut(select, async (chunk) => {
              for (let at = 0; at < chunk.length; at += size) await each(chunk.subarray(at, at + size));
            }),
        };
        expect(rows(await loadRecords(chunked))).toEqual(all);
        await tx.query('create temporary table refs (batch_id integer, row_number integer, primary key (batch_id, row_number)) on commit drop');
        await tx.query('insert into refs select batch_id, row_number from record');
        expect(rows(await loadRecords(chunked, { table: 'refs' }))).toEqual(all);
        await tx.query('drop table refs');
      }
    });
  });

  it('hands on the records to key a page and a slice at a time, each once, in key order', async () => {
    await t.database.withTransaction(async (tx) => {
      const loaded = await loadRecords(tx);
      const expected = Array.from(loaded.rowOf, (r, k) => [loaded.batch[r], loaded.row[r], { ...featuresOf(loaded.matchable.at(k)!), id: undefined }]);
      expect(expected.length).toBeGreaterThan(100);
      const batches = [...new Set(loaded.batch)];
      // spans of row numbers ending on a slice and not, one batch in one span and not
      for (const paging of [{ page: 7, slice: 3 }, { page: 10, slice: 5 }, { page: expected.length, slice: 4 }, { page: expected.length + 1, slice: 1000 }]) {
        const seen: unknown[] = [];
        await eachLinkedRecords(
          tx,
          async (records, batch, row) => {
            for (let k = 0; k < records.length; k++) seen.push([batch[k], row[k], { ...featuresOf(records.at(k)!), id: undefined }]);
          },
          paging,
          batches,
        );
        expect(seen).toEqual(expected);
      }
    });
  });

  // The link parks the rows' columns on disk while it matches (LoadedRecords.parkedWhile): matching reads
  // only the matcher's records, and every column must read back as it was, however the work ends.
  it('parks the rows\' columns while the records are matched and gives every one back as it was, also after a failure', async () => {
    const spillDir = tempDir();
    await t.database.withTransaction(async (tx) => {
      const loaded = await loadRecords(tx);
      const before = rows(loaded);
      const options = { memoryBudget: 0, dir: spillDir, chunk: 13 };
      const seen = loaded.parkedWhile(() => {
        expect(() => loaded.batch).toThrow(/parked/);
        expect(() => recordAt(loaded, 0)).toThrow(/parked/);
        // The matcher's records stay: matching reads them.
        return loaded.matchable.length;
      }, options);
      expect(seen).toBeGreaterThan(100);
      expect(rows(loaded)).toEqual(before);
      expect(() =>
        loaded.parkedWhile(() => {
          throw new Error('matching failed');
        }, options),
      ).toThrow('matching failed');
      expect(rows(loaded)).toEqual(before);
      // held in memory, given a budget: the same
      loaded.parkedWhile(() => expect(() => loaded.personId).toThrow(/parked/), { memoryBudget: 1 << 20 });
      expect(rows(loaded)).toEqual(before);
    });
    expect(fs.readdirSync(spillDir)).toEqual([]);
    fs.rmSync(spillDir, { recursive: true, force: true });
  });
});
