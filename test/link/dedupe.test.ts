import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateClustering } from '../../src/eval/pairwise.js';
import { importFile } from '../../src/ingest/import.js';
import { batchLinkCounts, writeDedupeCsv } from '../../src/link/export.js';
import { explainPair, formatExplanation, resolveRecord } from '../../src/link/explain.js';
import { formatReviewQueue, reviewQueue } from '../../src/link/review.js';
import { recordDecision, unmergeRecord } from '../../src/link/decisions.js';
import { linkAll } from '../../src/link/link.js';
import { writeSynthFiles } from '../../src/synth/generate.js';
import { BACKENDS, openTestDatabase, tempDir, type TestDatabase } from '../helpers/database.js';

const TODAY = '2026-11-01';

function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

const readCsv = (text: string) => text.replace(/^\ufeff/, '').trim().split(/\r?\n/).slice(1).map((line) => line.split(','));

describe.each(BACKENDS)('dedupe on %s', (kind) => {
  let t: TestDatabase;
  const dir = tempDir();
  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await writeSynthFiles({ persons: 400, seed: 17, dir });
  });
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives every row a person and every reported injection a dose, close to the truth', async () => {
    const summary = await importFile(t.database, path.join(dir, 'records.csv'), { today: TODAY });
    const link = await linkAll(t.database);
    expect(link.records).toBe(summary.rows);
    expect(link.quarantined).toBe(summary.quarantined);

    const out = sink();
    await writeDedupeCsv(t.database, summary.batchId, out.stream);
    const text = out.text();
    expect(text.startsWith('record_id,person_id,dose_id\n')).toBe(true);
    const rows = readCsv(text);
    const truthRows = readCsv(fs.readFileSync(path.join(dir, 'truth.csv'), 'utf8'));
    // one output row per input row, in file order
    expect(rows.map((r) => r[0])).toEqual(truthRows.map((r) => r[0]));

    const quarantined = await t.database.db
      .selectFrom('record')
      .select('record_id')
      .where('batch_id', '=', summary.batchId)
      .where('quarantine_reason', 'is not', null)
      .execute();
    const personSize = new Map<string, number>();
    for (const [, person] of rows) personSize.set(person!, (personSize.get(person!) ?? 0) + 1);
    for (const q of quarantined) {
      const row = rows.find((r) => r[0] === q.record_id)!;
      expect(personSize.get(row[1]!)).toBe(1); // its own person
    }
    // registration rows (no vaccine, no date) have no dose; the others have one
    const registrations = new Set(
      (await t.database.db.selectFrom('record').select('record_id').where('batch_id', '=', summary.batchId)
        .where('vaccine_code', 'is', null).where('vaccination_date', 'is', null).execute()).map((r) => r.record_id),
    );
    for (const [record, , dose] of rows) expect(dose === '', record).toBe(registrations.has(record!));

    const person = evaluateClustering(new Map(truthRows.map((r) => [r[0]!, r[1]!])), new Map(rows.map((r) => [r[0]!, r[1]!])));
    const dose = evaluateClustering(new Map(truthRows.map((r) => [r[0]!, r[2]!])), new Map(rows.map((r) => [r[0]!, r[2]!])));
    expect(person.precision).toBeGreaterThan(0.97);
    expect(person.recall).toBeGreaterThan(0.97);
    expect(dose.precision).toBeGreaterThan(0.97);
    expect(dose.recall).toBeGreaterThan(0.97);

    // every person has a golden record whose sources are its own rows, holding the chosen values
    const persons = await t.database.db.selectFrom('person').selectAll().execute();
    const members = await t.database.db.selectFrom('person_record as p')
      .innerJoin('record as r', (j) => j.onRef('r.batch_id', '=', 'p.batch_id').onRef('r.row_number', '=', 'p.row_number'))
      .select(['p.person_id', 'p.batch_id', 'p.row_number', 'r.full_name', 'r.phone']).execute();
    const byRef = new Map(members.map((m) => [`${m.batch_id}:${m.row_number}`, m]));
    expect(persons).toHaveLength(personSize.size);
    for (const p of persons) {
      for (const ref of p.sources.full_name ?? []) {
        expect(byRef.get(ref)!.person_id).toBe(p.id);
        expect(byRef.get(ref)!.full_name).not.toBeNull();
      }
      for (const ref of p.sources.phone ?? []) expect(byRef.get(ref)!.phone).toBe(p.phone);
      if (p.full_name !== null) expect(p.sources.full_name!.length).toBeGreaterThan(0);
    }

    const counts = await batchLinkCounts(t.database, summary.batchId);
    expect(counts.people).toBe(personSize.size);
  });

  it('explains a linked pair and a refused pair with the stored model, adding up to the link weight', async () => {
    const linked = await t.database.db
      .selectFrom('match_link')
      .selectAll()
      .where('status', '=', 'accepted')
      .orderBy('weight', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const a = { batch: linked.a_batch, row: linked.a_row };
    const b = { batch: linked.b_batch, row: linked.b_row };
    const e = await explainPair(t.database, a, b);
    // the waterfall of the stored model gives the weight the link run stored
    expect(e.score.weight).toBeCloseTo(linked.weight, 3);
    expect(e.score.prior + e.score.levels.reduce((n, l) => n + l.weight, 0)).toBeCloseTo(e.score.weight, 6);
    expect(e.persons[0]).toBe(e.persons[1]);
    const text = formatExplanation(e);
    expect(text).toMatch(/probability 1\.0000/);
    expect(text).toContain('the same person');
    // IDs are shown masked
    for (const r of e.records) if (r.citizen_id) expect(text).not.toContain(r.citizen_id);

    const vetoed = await t.database.db.selectFrom('match_link').selectAll().where('status', '=', 'vetoed').limit(1).executeTakeFirst();
    if (vetoed) {
      const v = await explainPair(t.database, { batch: vetoed.a_batch, row: vetoed.a_row }, { batch: vetoed.b_batch, row: vetoed.b_row });
      expect(v.veto?.reason).toBe(vetoed.reason);
    }
    const record = await t.database.db.selectFrom('record').select('record_id').where('batch_id', '=', a.batch).where('row_number', '=', a.row).executeTakeFirstOrThrow();
    expect(await resolveRecord(t.database, record.record_id!)).toEqual(a);
    await expect(resolveRecord(t.database, 'no-such-record')).rejects.toThrow(/no loaded record has the record id/);
  });

  it('lists the review queue, most likely pairs first', async () => {
    const stored = await t.database.db.selectFrom('match_link').select('probability').where('status', '=', 'review').execute();
    const queue = await reviewQueue(t.database, { limit: 3 });
    expect(queue.total).toBe(stored.length);
    expect(queue.items).toHaveLength(Math.min(3, stored.length));
    const best = stored.map((r) => r.probability).sort((x, y) => y - x).slice(0, 3);
    expect(queue.items.map((i) => i.probability)).toEqual(best);
    expect(formatReviewQueue(queue)).toMatch(stored.length === 0 ? /empty/ : new RegExp(`^${stored.length} pairs to review`));
  });

  it('replaces the previous link on a rerun, and people and doses that come out the same keep their ids', async () => {
    const snapshot = async () => ({
      persons: await t.database.db.selectFrom('person_record').select(['batch_id', 'row_number', 'person_id']).orderBy('batch_id').orderBy('row_number').execute(),
      doses: await t.database.db.selectFrom('dose_record').select(['batch_id', 'row_number', 'dose_id']).orderBy('batch_id').orderBy('row_number').execute(),
    });
    const before = await snapshot();
    const rerun = await linkAll(t.database, {}, { full: true });
    expect(rerun.mode).toBe('full');
    const after = await snapshot();
    expect(after).toEqual(before);
    const runs = await t.database.db.selectFrom('person').select('link_run_id').distinct().execute();
    expect(runs).toEqual([{ link_run_id: rerun.runId }]);
  });


  it('keeps reviewers\' decisions across reruns, and unmerges a record into a person of its own', async () => {
    const personOf = async (ref: { batch: number; row: number }) =>
      (await t.database.db.selectFrom('person_record').select('person_id').where('batch_id', '=', ref.batch).where('row_number', '=', ref.row).executeTakeFirstOrThrow()).person_id;
    const linked = await t.database.db.selectFrom('match_link').selectAll().where('status', '=', 'accepted').orderBy('weight', 'desc').limit(1).executeTakeFirstOrThrow();
    const a = { batch: linked.a_batch, row: linked.a_row };
    const b = { batch: linked.b_batch, row: linked.b_row };
    // c: a record of a person with no citizen ID at all, so that no two different IDs stand in the way
    const other = await t.database.db
      .selectFrom('person_record as p')
      .innerJoin('record as r', (j) => j.onRef('r.batch_id', '=', 'p.batch_id').onRef('r.row_number', '=', 'p.row_number'))
      .select(['p.person_id', (eb) => eb.fn.min('p.row_number').as('row'), (eb) => eb.fn.min('p.batch_id').as('batch')])
      .where('r.quarantine_reason', 'is', null)
      .groupBy('p.person_id')
      .having((eb) => eb.fn.count('r.citizen_id'), '=', 0)
      .having((eb) => eb.fn.countAll(), '>', 1)
      .executeTakeFirstOrThrow();
    const c = { batch: Number(other.batch), row: Number(other.row) };
    expect(other.person_id).not.toBe(await personOf(a));

    await recordDecision(t.database, a, b, 'different', 'tester');
    await recordDecision(t.database, c, a, 'same', 'tester');
    await linkAll(t.database);
    expect(await personOf(a)).not.toBe(await personOf(b));
    expect(await personOf(a)).toBe(await personOf(c));
    await linkAll(t.database); // a rerun keeps them
    expect(await personOf(a)).toBe(await personOf(c));
    expect(await personOf(a)).not.toBe(await personOf(b));

    const pairs = await unmergeRecord(t.database, c, 'tester');
    expect(pairs).toBeGreaterThan(0);
    await linkAll(t.database);
    const mine = await personOf(c);
    const members = await t.database.db.selectFrom('person_record').select('row_number').where('person_id', '=', mine).execute();
    expect(members).toHaveLength(1);
  });
});
