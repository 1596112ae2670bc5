/**
 * ANALYZE of the tables whose size has moved since their statistics were taken: the rule autovacuum itself
 * follows (a table is analyzed again once a tenth of it has changed), which PGlite has no autovacuum to
 * follow. A night adds 50,000 rows to ten million: the distributions the planner reads hardly move, and the
 * planner already scales a table's row estimate by its current size on disk; analyzing every table it wrote
 * anyway cost a night at ten million rows 2.5–3 s of reading samples.
 *
 * Told by size on disk against the pages pg_class last counted, not by the statistics collector's
 * modification counts: PGlite never flushes those, and the transaction's own counts are not in them until
 * it commits. A night's rewrites of people (deletes and inserts) grow a table until a vacuum reclaims the
 * dead rows, so churn shows as growth too. ANALYZE is not alone in counting those pages (VACUUM and CREATE
 * INDEX do too, an index built after a restore among them): a table with no statistics at all is analyzed
 * whatever its count says.
 */
import type { RawTransaction } from './backend.js';
import { assertIdentifier } from './sql-names.js';

/** The share of a table's pages by which its size may move before its statistics are taken again. */
const GROWTH = 0.1;

/**
 * Analyzes those of `tables` (of the current schema) that have no statistics, are empty by their last
 * count, or whose pages grew or shrank by over a tenth since; `all` analyzes every one. Resolves to the
 * tables analyzed.
 */
export async function analyzeGrown(tx: RawTransaction, tables: readonly string[], all = false): Promise<string[]> {
  for (const table of tables) assertIdentifier(table);
  const stale = all
    ? [...tables]
    : (
        await tx.query<{ name: string }>(
          `select c.relname::text as name from pg_class c
           where c.relnamespace = current_schema()::regnamespace and c.relname = any($1::text[])
             and (c.relpages = 0 or c.reltuples < 0
                  or not exists (select 1 from pg_stats s where s.schemaname = current_schema() and s.tablename = c.relname)
                  or abs(pg_relation_size(c.oid) / current_setting('block_size')::int - c.relpages) > $2::float8 * c.relpages)
           order by array_position($1::text[], c.relname::text)`,
          [tables, GROWTH],
        )
      ).map((t) => t.name);
  if (stale.length > 0) await tx.query(`analyze ${stale.join(', ')}`);
  return stale;
}
