/**
 * How a registry extract replaces the previous one of the same source in `registry_entry`: its rows go into
 * a new table without indexes, which gets its indexes once all rows are in, and then takes the place of the
 * old partition (migrations/0006_registry.ts says why). Everything happens inside the caller's transaction,
 * so readers see the old extract until the commit and the new one after it, never a mix.
 */
import crypto from 'node:crypto';
import type { RawTransaction } from '../../src/db/database.js';

export interface EntryPartition {
  /** The new partition's table: COPY the extract's rows into it. */
  readonly table: string;
  readonly generation: number;
  /** The partition it replaces, if the source was loaded before. */
  readonly previous: string | null;
}

/** A namespace for the advisory locks of registry loads, so they never meet another feature's. */
const LOAD_LOCK_NAMESPACE = 7261;

const PARTITION_NAME = /^registry_entry_[0-9a-f]{16}_\d+$/;
const UNIQUE_VIOLATION = '23505';

/** A SQL string literal; DDL takes no parameters. standard_conforming_strings (on by default) keeps `\` literal. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Creates the table the rows of `source` are loaded into, and serializes concurrent loads of the same source. */
export async function createEntryPartition(tx: RawTransaction, source: string): Promise<EntryPartition> {
  await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [LOAD_LOCK_NAMESPACE, source]);
  const [last] = await tx.query<{ partition_table: string; generation: number }>(
    'select partition_table, generation from registry_load where source = $1',
    [source],
  );
  const generation = (last?.generation ?? 0) + 1;
  // The file name may hold any character; the table name is derived from it, not made of it.
  const table = `registry_entry_${crypto.createHash('sha256').update(source).digest('hex').slice(0, 16)}_${generation}`;
  await tx.query(`create table ${table} (like registry_entry including defaults including constraints)`);
  // Proves the partition bound in advance, so attaching it needs no scan of its rows.
  await tx.query(`alter table ${table} add constraint ${table}_source check (source = ${literal(source)})`);
  const previous = last?.partition_table ?? null;
  if (previous !== null && !PARTITION_NAME.test(previous)) throw new Error(`registry_load names an unexpected partition table: ${previous}`);
  return { table, generation, previous };
}

/**
 * Builds the new partition's indexes and returns how many rows were dropped as repeats of an ID (the first
 * row of an ID, in file order, is kept). A registry rarely repeats an ID, so the unique index is first
 * simply built; only when that fails are the repeats looked for and removed.
 */
export async function indexPartition(tx: RawTransaction, partition: EntryPartition): Promise<number> {
  // Built to match the parent's partitioned indexes, which then adopt them instead of building their own.
  const uniqueIndex = `create unique index on ${partition.table} (citizen_id, source)`;
  let dropped = 0;
  await tx.query('savepoint registry_unique_ids');
  try {
    await tx.query(uniqueIndex);
    await tx.query('release savepoint registry_unique_ids');
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
    await tx.query('rollback to savepoint registry_unique_ids');
    dropped = await removeRepeatedIds(tx, partition.table);
    await tx.query(uniqueIndex);
  }
  await tx.query(`create index on ${partition.table} (name_key, birth_date)`);
  await tx.query(`analyze ${partition.table}`);
  return dropped;
}

async function removeRepeatedIds(tx: RawTransaction, table: string): Promise<number> {
  const [dropped] = await tx.query<{ n: number }>(
    `with repeated as (
       select citizen_id, min(row_number) as kept from ${table} group by citizen_id having count(*) > 1
     ), dropped as (
       delete from ${table} e using repeated r where e.citizen_id = r.citizen_id and e.row_number <> r.kept
       returning 1
     )
     select count(*)::int as n from dropped`,
  );
  return dropped?.n ?? 0;
}

/** Puts the indexed partition in the place of the previous one. */
export async function swapInPartition(tx: RawTransaction, source: string, partition: EntryPartition): Promise<void> {
  // Last, because dropping a partition locks the whole table until the commit: only for an instant.
  if (partition.previous !== null) await tx.query(`drop table if exists ${partition.previous}`);
  await tx.query(`alter table registry_entry attach partition ${partition.table} for values in (${literal(source)})`);
}
