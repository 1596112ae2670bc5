/**
 * eachPerson's cursor on both databases: more people than one page (the next page is fetched while this one
 * is visited), each visited once in id order; and a visit that throws leaves no fetch running into the
 * rollback, so the error is the visit's and the database answers the next query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachPerson } from '../../src/report/people.js';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../helpers/database.js';

/** Two pages and one person more (PEOPLE_PAGE is 10,000). */
const PEOPLE = 20_001;

describe.each(BACKENDS)('eachPerson (%s)', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await t.database.withTransaction((tx) =>
      tx.query(`insert into person (id, link_run_id, full_name, birth_date, sources) select g, 1, 'x', '2020-01-01', '{}' from generate_series(1, ${PEOPLE}) g`),
    );
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('visits every person once, in id order, across pages', async () => {
    let count = 0;
    let last = 0;
    await eachPerson(t.database, { date: '2026-01-01' }, {}, (person) => {
      expect(Number(person.id)).toBe(last + 1);
      last = Number(person.id);
      count++;
    });
    expect(count).toBe(PEOPLE);
  });

  it("rejects with the visit's error while the next page is being fetched, and the database still answers", async () => {
    const failure = new Error('visit failed');
    await expect(
      eachPerson(t.database, { date: '2026-01-01' }, {}, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    const [row] = await t.database.withTransaction((tx) => tx.query<{ n: string }>('select count(*)::text as n from person'));
    expect(row!.n).toBe(String(PEOPLE));
  });
});
