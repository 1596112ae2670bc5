/**
 * Bulk loads into tables emptied in the same transaction: their indexes (primary keys included) are dropped
 * before the rows and built again after them, each from the catalogue's own definition (so the migrations
 * stay the one statement of what is indexed). Building an index from a sort of all its rows is several times
 * faster than keeping it up to date row by row, where rows arrive in an order the index does not have (a
 * person's records are written together, not in (batch, row) order). Readers never see a table without its
 * indexes: TRUNCATE has locked it exclusively until the transaction ends, and if the load fails the
 * rollback brings the indexes back with everything else.
 */
import type { RawTransaction } from './backend.js';
import { assertIdentifier } from './sql-names.js';

/** Run in this order: drop every index, load, build every index. */
interface IndexStatements {
  readonly drop: string;
  readonly build: string;
}

/** Runs `load` with the indexes of `tables` (all emptied by the caller in this transaction) dropped, then builds them. */
export async function withIndexesRebuilt<T>(tx: RawTransaction, tables: readonly string[], load: () => Promise<T>): Promise<T> {
  for (const table of tables) assertIdentifier(table);
  // An index that backs a constraint (primary key, unique, exclusion) goes and comes back with it. A
  // foreign key from another table on one of these keys makes the drop fail, loudly: none exists today.
  const indexes = await tx.query<IndexStatements>(
    `select case when c.oid is null then format('drop index %I.%I', n.nspname, x.relname)
                 else format('alter table %I.%I drop constraint %I', n.nspname, t.relname, c.conname) end as drop,
            case when c.oid is null then pg_get_indexdef(i.indexrelid)
                 else format('alter table %I.%I add constraint %I %s', n.nspname, t.relname, c.conname, pg_get_constraintdef(c.oid)) end as build
     from pg_index i
     join pg_class t on t.oid = i.indrelid
     join pg_namespace n on n.oid = t.relnamespace
     join pg_class x on x.oid = i.indexrelid
     left join pg_constraint c on c.conindid = i.indexrelid and c.conrelid = i.indrelid and c.contype in ('p', 'u', 'x')
     where n.nspname = current_schema() and t.relname = any($1::text[])
     order by t.relname, x.relname`,
    [tables],
  );
  for (const i of indexes) await tx.query(i.drop);
  const result = await load();
  for (const i of indexes) await tx.query(i.build);
  return result;
}
