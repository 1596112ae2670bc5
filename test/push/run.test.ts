/**
 * What tells a live push run from a dead one: the session lock it holds, seen from another instance
 * (another pool, as another `vaxsync push` process would be), per schema, and gone with its connection.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { pushRunLock } from '../../src/push/run.js';
import { openTestDatabase, TEST_DATABASE_URL } from '../helpers/database.js';

const schemaOf = (description: string) => description.match(/\(schema (\w+)\)/)![1]!;

describe('a push run\'s life, as other instances see it', () => {
  it('on PostgreSQL: held while its holder runs, in its schema only, and free once its connection is gone', async () => {
    const a = await openTestDatabase('postgres');
    const b = await openTestDatabase('postgres');
    const other = await openDatabase({ url: TEST_DATABASE_URL, schema: schemaOf(a.database.description) });
    const lock = pushRunLock('7');
    try {
      let release = () => {};
      const holding = other.withSessionLock(lock, () => new Promise<void>((resolve) => (release = resolve)));
      await new Promise((r) => setTimeout(r, 100));
      expect(await a.database.heldSessionLocks([lock, pushRunLock('8')])).toEqual(new Set([lock]));
      expect(await b.database.heldSessionLocks([lock])).toEqual(new Set()); // another schema: another province
      release();
      await holding;
      expect(await a.database.heldSessionLocks([lock])).toEqual(new Set());

      // a holder whose connection goes away (its process killed) holds nothing any more
      const dying = other.withSessionLock(lock, () => new Promise<void>((resolve) => (release = resolve)));
      await new Promise((r) => setTimeout(r, 100));
      expect(await a.database.heldSessionLocks([lock])).toEqual(new Set([lock]));
      const client = await a.database.withTransaction((tx) =>
        tx.query<{ n: string }>(
          `select pg_terminate_backend(l.pid)::text as n from pg_locks l
           where l.locktype = 'advisory' and l.objid = hashtext(current_schema() || ':' || $1)::oid`,
          [lock],
        ),
      );
      expect(client).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 200));
      expect(await a.database.heldSessionLocks([lock])).toEqual(new Set());
      release();
      await dying;
    } finally {
      await other.close().catch(() => {});
      await a.dispose();
      await b.dispose();
    }
  });

  it('on PGlite: what this process holds, since no other process may open the folder', async () => {
    const t = await openTestDatabase('pglite');
    try {
      const lock = pushRunLock('1');
      expect(await t.database.heldSessionLocks([lock])).toEqual(new Set());
      const seen = await t.database.withSessionLock(lock, () => t.database.heldSessionLocks([lock, pushRunLock('2')]));
      expect(seen).toEqual({ acquired: true, value: new Set([lock]) });
      expect(await t.database.heldSessionLocks([lock])).toEqual(new Set());
    } finally {
      await t.dispose();
    }
  });
});
