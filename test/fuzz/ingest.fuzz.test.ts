/**
 * Fuzz test of the table readers, the cleaning rules and the import (issue 15): random bytes, random
 * Unicode (NUL, lone surrogates, RTL marks, combining marks), huge cells and many columns, workbooks with
 * damaged bytes or cut short (which once left the XLSX size check waiting for ever), from a fixed
 * seed (VAXSYNC_FUZZ_SEED to explore others), bounded by a case count AND a time budget so CI stays under
 * about 20 s. Every input must either load or fail with an FileError naming the file (and where known the
 * row and column); nothing else may be thrown, and the process must not crash. After an import the batch is
 * never `loading`, a loaded batch's counts agree with its rows, a failed one has no cleaned rows, and the
 * raw rows are kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTabularFile } from '../../connectors/sources/tabular.js';
import { decodeRawCells } from '../../src/base/raw-cells.js';
import { Random } from '../../src/base/random.js';
import { hasUnstorable } from '../../src/base/unstorable.js';
import { FIELDS } from '../../src/base/fields.js';
import { cleanRecord, type RawRecord } from '../../src/clean/record.js';
import { FileError } from '../../src/base/errors.js';
import { importFile } from '../../src/ingest/import.js';
import { RowCleaner } from '../../src/ingest/row-cleaner.js';
import { writeProblemsCsv } from '../../src/report/quality.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';
import { damagedZip, hostileCell, hostileCsv, hostileText, hostileXlsx } from './hostile-input.js';

const SEED = Number(process.env.VAXSYNC_FUZZ_SEED ?? 15_2026);
/** Multiplies every count and time budget, for a longer exploratory run (VAXSYNC_FUZZ_SCALE=10). */
const SCALE = Number(process.env.VAXSYNC_FUZZ_SCALE ?? 1);
const dir = tempDir();

/** Runs `one(i)` for up to `count` cases or `budgetMs`, whichever ends first; returns how many ran. */
async function fuzz(name: string, count: number, budgetMs: number, one: (i: number) => Promise<void> | void): Promise<number> {
  const started = performance.now();
  let i = 0;
  for (; i < count * SCALE && performance.now() - started < budgetMs * SCALE; i++) {
    try {
      await one(i);
    } catch (error) {
      (error as Error).message = `${name}, seed ${SEED}, case ${i}: ${(error as Error).message}`;
      throw error;
    }
  }
  console.log(`fuzz ${name}: ${i} cases in ${((performance.now() - started) / 1000).toFixed(1)} s (seed ${SEED})`);
  return i;
}

describe('fuzz: cleaning rules', () => {
  it('never throw, never output a character PostgreSQL cannot store, and give one message per code', async () => {
    const random = new Random(SEED, 1);
    const messages = new Map<string, string>();
    const columns = Object.fromEntries(FIELDS.map((f, i) => [f, i]));
    const newCleaner = () => new RowCleaner({ batchId: 1, columns, today: '2026-11-01' });
    let cleaner = newCleaner();
    const ran = await fuzz('cleaning', 20_000, 4_000, (i) => {
      const raw: RawRecord = {};
      for (const field of FIELDS) if (random.chance(0.8)) raw[field] = random.chance(0.05) ? hostileCell(random) : hostileText(random);
      const result = cleanRecord(raw, { today: '2026-11-01' });
      for (const value of Object.values(result.values)) {
        if (typeof value === 'string') expect(hasUnstorable(value), JSON.stringify(value)).toBe(false);
      }
      if (result.values.full_name !== null) expect(result.values.full_name.length).toBeLessThanOrEqual(200);
      // what is stored per code (finding_kind) is the same whichever row met it first
      cleaner.cleanBlock([[2, FIELDS.map((f) => raw[f] ?? '')]]);
      for (const k of cleaner.summary().kinds) {
        const known = messages.get(k.code);
        if (known === undefined) messages.set(k.code, k.message);
        else expect(k.message, k.code).toBe(known);
      }
      if (i % 500 === 499) cleaner = newCleaner();
    });
    expect(ran).toBeGreaterThan(100);
  }, 60_000 * SCALE);
});

describe('fuzz: table readers', () => {
  it('read every file or refuse it with an FileError naming it', async () => {
    const random = new Random(SEED, 2);
    const ran = await fuzz('readers', 2_000, 5_000, async (i) => {
      const xlsx = random.chance(0.25);
      const file = path.join(dir, `r${i}.${xlsx ? 'xlsx' : 'csv'}`);
      const workbook = xlsx ? await hostileXlsx(random) : null;
      fs.writeFileSync(file, workbook ? (random.chance(0.3) ? damagedZip(random, workbook) : workbook) : hostileCsv(random));
      try {
        const source = await openTabularFile(file);
        let last = 0;
        for await (const row of source.rows) {
          expect(row.rowNumber).toBeGreaterThan(last);
          last = row.rowNumber;
          for (const cell of row.cells) expect(typeof cell).toBe('string');
        }
      } catch (error) {
        if (!(error instanceof FileError)) throw error;
        expect(error.message.startsWith(file)).toBe(true);
      } finally {
        fs.rmSync(file, { force: true });
      }
    });
    expect(ran).toBeGreaterThan(20);
  }, 60_000 * SCALE);
});

describe.each(BACKENDS)('fuzz: import on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('loads or fails each file cleanly: no batch left loading, counts consistent, raw rows kept', async () => {
    const random = new Random(SEED, kind === 'postgres' ? 3 : 4);
    const db = t.database.db;
    let loaded = 0;
    let failed = 0;
    const reasons = new Set<string>();
    const ran = await fuzz(`import on ${kind}`, 60, 4_000, async (i) => {
      // every third file is readable, so that loading hostile rows is exercised as much as refusing files
      const readable = i % 3 === 0;
      const xlsx = !readable && random.chance(0.25);
      const name = `f${i}-${kind}.${xlsx ? 'xlsx' : 'csv'}`;
      const file = path.join(dir, name);
      fs.writeFileSync(file, xlsx ? await hostileXlsx(random) : hostileCsv(random, { readable }));
      const before = (await db.selectFrom('batch').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst())?.id ?? 0;
      try {
        const summary = await importFile(t.database, file, { today: '2026-11-01', station: `S${i}` });
        loaded++;
        const batch = await db.selectFrom('batch').selectAll().where('id', '=', summary.batchId).executeTakeFirstOrThrow();
        expect(batch).toMatchObject({ status: 'loaded', row_count: summary.rows, quarantined_count: summary.quarantined });
        const records = await db.selectFrom('record').select((eb) => eb.fn.countAll().as('n')).where('batch_id', '=', summary.batchId).executeTakeFirstOrThrow();
        expect(Number(records.n)).toBe(summary.rows);
        const raw = await db.selectFrom('raw_row').select('cells').where('batch_id', '=', summary.batchId).execute();
        expect(raw.length).toBeGreaterThanOrEqual(summary.rows + 1);
        for (const r of raw) decodeRawCells(r.cells);
        let csv = '';
        const sink = { write: (c: unknown) => ((csv += String(c)), true), on() {}, once() {}, emit() {}, end() {} };
        await writeProblemsCsv(t.database, sink as unknown as NodeJS.WritableStream, { batchId: summary.batchId, includeFixes: true });
        expect(csv.startsWith('\ufeffTệp,Dòng,STT/Mã bản ghi,Họ và tên,Cột,')).toBe(true);
      } catch (error) {
        if (!(error instanceof FileError)) throw error;
        failed++;
        reasons.add(error.problem.replace(/\d[\d,]*/g, 'N').slice(0, 70));
        expect(error.message.startsWith(`${name}`), error.message.slice(0, 200)).toBe(true);
        const batch = await db.selectFrom('batch').selectAll().where('id', '>', Number(before)).executeTakeFirst();
        if (batch) {
          expect(batch.status).toBe('failed');
          expect(batch.error).toBe(error.message.length > 0 ? batch.error : null);
          expect(batch.error!.startsWith(name)).toBe(true);
          const records = await db.selectFrom('record').select((eb) => eb.fn.countAll().as('n')).where('batch_id', '=', batch.id).executeTakeFirstOrThrow();
          expect(Number(records.n)).toBe(0);
          if (error.where.row !== undefined && error.where.row > 0 && batch.header_row > 0) {
            const raw = await db.selectFrom('raw_row').select((eb) => eb.fn.countAll().as('n')).where('batch_id', '=', batch.id).executeTakeFirstOrThrow();
            expect(Number(raw.n)).toBeGreaterThan(0);
          }
        }
      } finally {
        fs.rmSync(file, { force: true });
      }
      const stuck = await db.selectFrom('batch').select('id').where('status', '=', 'loading').execute();
      expect(stuck).toEqual([]);
    });
    console.log(`fuzz import on ${kind}: ${loaded} loaded, ${failed} refused:\n  ${[...reasons].join('\n  ')}`);
    expect(ran).toBeGreaterThan(5);
    expect(loaded).toBeGreaterThan(0);
  }, 60_000 * SCALE);
});
