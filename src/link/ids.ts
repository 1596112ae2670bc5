/**
 * Reserves a range of ids from an identity column's sequence, so rows can be written by COPY with ids
 * known in advance (a person's id is needed for its records and doses before anything is written).
 * The caller holds the link lock, so no other writer moves the sequence between the two calls.
 */
import type { RawTransaction } from '../db/database.js';

/** The first of `count` consecutive fresh ids of `table.id`. */
export async function reserveIds(tx: RawTransaction, table: 'person' | 'dose', count: number): Promise<number> {
  if (count === 0) return 0;
  const [row] = await tx.query<{ first: string }>(
    `select setval(pg_get_serial_sequence($1, 'id'), nextval(pg_get_serial_sequence($1, 'id')) + $2 - 1) - $2 + 1 as first`,
    [table, count],
  );
  return Number(row!.first);
}
