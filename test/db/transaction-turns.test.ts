/**
 * A RawTransaction's calls may overlap (overlapped COPY writers do): on both databases they run one at a
 * time in the order made, each caller hears its own outcome, and once one fails nothing queued after it
 * runs outside the transaction — the whole transaction is rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../helpers/database.js';

describe.each(BACKENDS)('overlapping calls in one transaction on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
    await t.database.withTransaction((tx) => tx.query('create table turn (n integer, at serial)'));
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('runs them in the order made', async () => {
    await t.database.withTransaction(async (tx) => {
      const calls: Promise<unknown>[] = [];
      for (let n = 0; n < 20; n++) {
        calls.push(n % 2 === 0 ? tx.query('insert into turn (n) values ($1)', [n]) : tx.copy('turn', ['n'], `${n}\n`));
      }
      await Promise.all(calls);
    });
    const rows = await t.database.withTransaction((tx) => tx.query<{ n: number }>('select n from turn order by at'));
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it('says a COPY is on its way no later than it is stored, and settles one the server refuses', async () => {
    await t.database.withTransaction(async (tx) => {
      const heard: string[] = [];
      await tx.copy('turn', ['n'], '200\n201\n', () => heard.push('on its way')).then(() => heard.push('stored'));
      await tx.copy('turn', ['n'], '', () => heard.push('nothing to send'));
      expect(heard).toEqual(['on its way', 'stored', 'nothing to send']);
      const rows = await tx.query<{ n: number }>('select n from turn where n >= 200 order by n');
      expect(rows.map((r) => r.n)).toEqual([200, 201]);
      await tx.query('delete from turn where n >= 200');
    });
    // Refused before any row (no such table) or at a row: the copy rejects, whether or not it was on its way.
    await expect(t.database.withTransaction((tx) => tx.copy('no_such_table', ['n'], '1\n', () => {}))).rejects.toThrow(/no_such_table/);
    await expect(t.database.withTransaction((tx) => tx.copy('turn', ['n'], 'x\n', () => {}))).rejects.toThrow(/invalid input syntax/);
  });

  it('rolls back everything, queued calls included, when one fails', async () => {
    await expect(
      t.database.withTransaction(async (tx) => {
        const failing = tx.query('select 1 / 0');
        const queued = tx.query('insert into turn (n) values (100)');
        const copied = tx.copy('turn', ['n'], '101\n');
        const outcomes = await Promise.allSettled([failing, queued, copied]);
        expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/division by zero/) }) });
        await failing;
      }),
    ).rejects.toThrow(/division by zero/);
    // Calls left in the queue when the transaction fails must not run after its rollback either.
    await expect(
      t.database.withTransaction(async (tx) => {
        void tx.query('select pg_sleep(0.05)').catch(() => {});
        void tx.query('insert into turn (n) values (102)').catch(() => {});
        throw new Error('given up');
      }),
    ).rejects.toThrow('given up');
    const rows = await t.database.withTransaction((tx) => tx.query<{ n: number }>('select n from turn where n >= 100'));
    expect(rows).toEqual([]);
  });
});
