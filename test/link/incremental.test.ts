import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateClustering } from '../../src/eval/pairwise.js';
import { importFile } from '../../src/ingest/import.js';
import { recordDecision } from '../../src/link/decisions.js';
import { linkAll } from '../../src/link/link.js';
import { writeSynthFiles } from '../../src/synth/generate.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

const TODAY = '2026-11-01';

/** The generated file cut in two: the first rows arrive tonight, the rest tomorrow. */
function splitFile(file: string, firstRows: number): [string, string] {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
  const first = file.replace(/\.csv$/, '-1.csv');
  const second = file.replace(/\.csv$/, '-2.csv');
  fs.writeFileSync(first, [header, ...lines.slice(0, firstRows)].join('\n') + '\n');
  fs.writeFileSync(second, [header, ...lines.slice(firstRows)].join('\n') + '\n');
  return [first, second];
}

async function personByRecordId(t: TestDatabase): Promise<Map<string, string>> {
  const rows = await t.database.db
    .selectFrom('record as r')
    .innerJoin('person_record as p', (j) => j.onRef('p.batch_id', '=', 'r.batch_id').onRef('p.row_number', '=', 'r.row_number'))
    .select(['r.record_id', 'p.person_id', 'p.batch_id'])
    .execute();
  return new Map(rows.map((r) => [r.record_id!, String(r.person_id)]));
}

describe.each(BACKENDS)('incremental link on %s', (kind) => {
  let t: TestDatabase;
  const dir = tempDir();
  let truth: Map<string, string>;
  let files: [string, string];
  beforeAll(async () => {
    t = await openTestDatabase(kind);
    const generated = await writeSynthFiles({ persons: 500, seed: 23, dir });
    truth = new Map(
      fs.readFileSync(generated.truth, 'utf8').trim().split('\n').slice(1).map((line) => {
        const [record, person] = line.split(',');
        return [record!, person!];
      }),
    );
    files = splitFile(generated.records, Math.round(generated.rows * 0.7));
  });
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('links a new batch against the people already known, leaving the others untouched', async () => {
    const first = await importFile(t.database, files[0], { today: TODAY });
    const initial = await linkAll(t.database);
    expect(initial.mode).toBe('full'); // the first run has no model to reuse
    const untouchedBefore = await t.database.db.selectFrom('person').select(['id', 'link_run_id']).execute();

    const second = await importFile(t.database, files[1], { today: TODAY });
    const next = await linkAll(t.database);
    expect(next.mode).toBe('incremental');
    expect(next.changed).toBe(second.rows);
    expect(next.records).toBe(first.rows + second.rows);

    // people nobody new joined keep their id and the run that wrote them
    const after = new Map((await t.database.db.selectFrom('person').select(['id', 'link_run_id']).execute()).map((p) => [p.id, p.link_run_id]));
    const kept = untouchedBefore.filter((p) => after.get(p.id) === initial.runId);
    expect(kept.length).toBeGreaterThan(0);
    expect(after.size).toBe(next.persons);
    const written = [...after.values()].filter((run) => run === next.runId).length;
    expect(written).toBe(next.personsWritten);
    // every record of both batches has exactly one person and the totals add up
    const members = await personByRecordId(t);
    expect(members.size).toBe(first.rows + second.rows);
    expect(new Set(members.values()).size).toBe(next.persons);

    // as good as relinking everything from scratch
    const incremental = evaluateClustering(truth, members);
    const relink = await linkAll(t.database, {}, { full: true });
    const full = evaluateClustering(truth, await personByRecordId(t));
    // only pairs with a new record were compared (with 30% of the rows new, about half of all pairs)
    expect(next.pairsCompared).toBeLessThan(0.7 * relink.pairsCompared);
    expect(incremental.recall).toBeGreaterThan(full.recall - 0.01);
    expect(incremental.precision).toBeGreaterThan(full.precision - 0.01);
    expect(incremental.precision).toBeGreaterThan(0.98);
  });

  it('does nothing when nothing changed, and relinks the people a new decision reopens', async () => {
    const idle = await linkAll(t.database);
    expect(idle.changed).toBe(0);
    expect(idle.pairsCompared).toBe(0);

    // a reviewer says two records of one person are different people: only that person is relinked
    const person = await t.database.db
      .selectFrom('person_record')
      .select(['person_id', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('person_id')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .orderBy('person_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const [a, b] = await t.database.db.selectFrom('person_record').select(['batch_id', 'row_number']).where('person_id', '=', person.person_id).orderBy('row_number').limit(2).execute();
    await recordDecision(t.database, { batch: a!.batch_id, row: a!.row_number }, { batch: b!.batch_id, row: b!.row_number }, 'different', 'tester');
    const reopened = await linkAll(t.database);
    expect(reopened.mode).toBe('incremental');
    expect(reopened.changed).toBe(Number(person.n));
    const personOf = async (ref: { batch_id: number; row_number: number }) =>
      (await t.database.db.selectFrom('person_record').select('person_id').where('batch_id', '=', ref.batch_id).where('row_number', '=', ref.row_number).executeTakeFirstOrThrow()).person_id;
    expect(await personOf(a!)).not.toBe(await personOf(b!));
    // applied: the next run has nothing to do
    expect((await linkAll(t.database)).changed).toBe(0);
  });
});

describe('link on an empty database', () => {
  it('has nothing to link and no run to name', async () => {
    const t = await openTestDatabase('pglite');
    try {
      expect(await linkAll(t.database)).toMatchObject({ runId: null, records: 0, changed: 0, persons: 0 });
    } finally {
      await t.dispose();
    }
  });
});
