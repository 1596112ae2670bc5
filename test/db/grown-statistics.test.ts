/**
 * analyzeGrown (src/db/grown-statistics.ts) on both databases: a table never analyzed, or grown by over a
 * tenth since, is analyzed; one grown by less keeps its statistics; `all` analyzes every table named. The
 * tables are kept from autovacuum, which would analyze them on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeGrown } from '../../src/db/grown-statistics.js';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../helpers/database.js';

describe.each(BACKENDS)('analyzeGrown on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t.dispose();
  });

  const tuples = (table: string) =>
    t.database.withTransaction(async (tx) => {
      const [row] = await tx.query<{ n: number }>(`select reltuples::int as n from pg_class where oid = $1::text::regclass`, [table]);
      return row!.n;
    });
  // Rows of ~100 bytes: 1,000 of them fill some 17 pages, so a tenth more is a page or two.
  const create = (table: string) => t.database.withTransaction((tx) => tx.query(`create table ${table} (id int, pad text) with (autovacuum_enabled = false)`));
  const add = (table: string, n: number) => t.database.withTransaction((tx) => tx.query(`insert into ${table} select g, repeat('x', 100) from generate_series(1, $1::int) g`, [n]));

  it('analyzes a table never analyzed, then again only once it has grown by over a tenth', async () => {
    await create('grown_a');
    await add('grown_a', 1000);
    expect(await t.database.withTransaction((tx) => analyzeGrown(tx, ['grown_a']))).toEqual(['grown_a']);
    expect(await tuples('grown_a')).toBe(1000);

    await add('grown_a', 20);
    expect(await t.database.withTransaction((tx) => analyzeGrown(tx, ['grown_a']))).toEqual([]);
    expect(await tuples('grown_a')).toBe(1000);

    await add('grown_a', 200);
    expect(await t.database.withTransaction((tx) => analyzeGrown(tx, ['grown_a']))).toEqual(['grown_a']);
    expect(await tuples('grown_a')).toBe(1220);
  });

  it('analyzes a table emptied since, and every table when told to, in the order named', async () => {
    await create('grown_b');
    await add('grown_b', 1000);
    await t.database.withTransaction((tx) => analyzeGrown(tx, ['grown_b'], true));
    await t.database.withTransaction((tx) => tx.query('truncate grown_b'));
    expect(await t.database.withTransaction((tx) => analyzeGrown(tx, ['grown_a', 'grown_b']))).toEqual(['grown_b']);
    expect(await tuples('grown_b')).toBe(0);
    await add('grown_b', 5);
    expect(await t.database.withTransaction((tx) => analyzeGrown(tx, ['grown_b', 'grown_a'], true))).toEqual(['grown_b', 'grown_a']);
    expect(await tuples('grown_b')).toBe(5);
  });

  it('analyzes a table whose pages an index build counted, though it has no statistics', async () => {
    await create('grown_c');
    await add('grown_c', 1000);
    // On PostgreSQL, CREATE INDEX sets relpages and reltuples as ANALYZE would, and takes no statistics
    // (PGlite's leaves them unset, which is the never-analyzed case again).
    await t.database.withTransaction((tx) => tx.query('create index grown_c_id on grown_c (id)'));
    if (kind === 'postgres') expect(await tuples('grown_c')).toBe(1000);
    expect(await t.database.withTransaction((tx) => analyzeGrown(tx, ['grown_c']))).toEqual(['grown_c']);
    expect(await tuples('grown_c')).toBe(1000);
    expect(await t.database.withTransaction((tx) => analyzeGrown(tx, ['grown_c']))).toEqual([]);
  });

  it('refuses a name that is not a plain identifier', async () => {
    await expect(t.database.withTransaction((tx) => analyzeGrown(tx, ['grown_a; drop table grown_a']))).rejects.toThrow();
  });
});
