/**
 * withIndexesRebuilt (src/db/rebuilt-indexes.ts) on both databases, on the link's own tables: during the
 * load the tables have no index; after it every index and constraint is back exactly as the migrations made
 * it, and still enforced; a load that fails leaves the indexes as they were once its transaction rolls back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withIndexesRebuilt } from '../../src/db/rebuilt-indexes.js';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../helpers/database.js';

const TABLES = ['person', 'person_record', 'link_key'];

const INDEXES = `select tablename, indexname, regexp_replace(indexdef, ' ON \\S+\\.', ' ON ') as def
                 from pg_indexes where schemaname = current_schema() and tablename = any($1::text[]) order by 1, 2`;
const CONSTRAINTS = `select c.conrelid::regclass::text as "table", c.conname, c.contype, pg_get_constraintdef(c.oid) as def
                     from pg_constraint c join pg_class t on t.oid = c.conrelid
                     where t.relnamespace = current_schema()::regnamespace and t.relname = any($1::text[]) order by 1, 2`;

describe.each(BACKENDS)('withIndexesRebuilt on %s', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await t.dispose();
  });

  it('drops the indexes and constraints for the load and builds the same ones after it', async () => {
    const before = await t.database.withTransaction((tx) => tx.query(INDEXES, [TABLES]));
    const constraintsBefore = await t.database.withTransaction((tx) => tx.query(CONSTRAINTS, [TABLES]));
    expect(before.map((i) => i['indexname'])).toEqual(expect.arrayContaining(['person_pkey', 'person_citizen_id', 'person_record_pkey', 'link_key_block']));
    expect(constraintsBefore.map((c) => c['conname'])).toEqual(expect.arrayContaining(['person_pkey', 'person_record_pkey']));
    const during = await t.database.withTransaction(async (tx) => {
      await tx.query(`truncate ${TABLES.join(', ')}`);
      return withIndexesRebuilt(tx, TABLES, async () => {
        await tx.copy('person_record', ['batch_id', 'row_number', 'person_id'], '1\t2\t3\n1\t1\t3\n');
        return tx.query(INDEXES, [TABLES]);
      });
    });
    expect(during).toEqual([]);
    const after = await t.database.withTransaction((tx) => tx.query(INDEXES, [TABLES]));
    expect(after).toEqual(before);
    // The primary keys are constraints again (a unique index alone would have the same definition above).
    expect(await t.database.withTransaction((tx) => tx.query(CONSTRAINTS, [TABLES]))).toEqual(constraintsBefore);
    // The primary key is a constraint again, not only an index.
    await expect(t.database.withTransaction((tx) => tx.copy('person_record', ['batch_id', 'row_number', 'person_id'], '1\t2\t4\n'))).rejects.toThrow(
      /duplicate key|person_record_pkey/,
    );
  });

  it('fails the rebuild when the load broke a unique constraint, and keeps nothing of it', async () => {
    await expect(
      t.database.withTransaction(async (tx) => {
        await tx.query('truncate person_record');
        await withIndexesRebuilt(tx, ['person_record'], async () => {
          // Without its primary key the table takes the duplicate; the key's rebuild then refuses it.
          expect(await tx.query(INDEXES, [['person_record']])).toEqual([]);
          await tx.copy('person_record', ['batch_id', 'row_number', 'person_id'], '5\t5\t1\n5\t5\t2\n');
        });
      }),
    ).rejects.toThrow(/person_record_pkey|duplicate|unique/i);
    const rows = await t.database.withTransaction((tx) => tx.query<{ n: number }>('select count(*)::int as n from person_record'));
    expect(rows[0]!.n).toBe(2); // the first test's rows, untouched
  });

  it('leaves the indexes in place when the load fails', async () => {
    const before = await t.database.withTransaction((tx) => tx.query(INDEXES, [TABLES]));
    await expect(
      t.database.withTransaction(async (tx) => {
        await tx.query('truncate person');
        await withIndexesRebuilt(tx, ['person'], async () => {
          expect(await tx.query(INDEXES, [['person']])).toEqual([]);
          throw new Error('load failed');
        });
      }),
    ).rejects.toThrow('load failed');
    expect(await t.database.withTransaction((tx) => tx.query(INDEXES, [TABLES]))).toEqual(before);
  });
});
