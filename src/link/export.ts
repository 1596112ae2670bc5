/**
 * The `dedupe` output of the records contract: one row per input row, `record_id,person_id,dose_id`.
 * Quarantined rows are their own person; rows without a dose have an empty dose_id.
 */
import type { Database } from '../db/database.js';

export function dedupeQuery(batchId: number): string {
  if (!Number.isSafeInteger(batchId)) throw new Error(`Not a batch id: ${batchId}`);
  return `
    select r.record_id, 'P' || pr.person_id as person_id, 'D' || dr.dose_id as dose_id
    from record r
    join person_record pr on pr.batch_id = r.batch_id and pr.row_number = r.row_number
    left join dose_record dr on dr.batch_id = r.batch_id and dr.row_number = r.row_number
    where r.batch_id = ${batchId}
    order by r.row_number`;
}

export async function writeDedupeCsv(database: Database, batchId: number, output: NodeJS.WritableStream): Promise<void> {
  await database.copyOutCsv(dedupeQuery(batchId), output);
}

export interface BatchLinkCounts {
  readonly people: number;
  readonly doses: number;
  /** Pairs waiting for review that involve a row of this batch. */
  readonly review: number;
}

export async function batchLinkCounts(database: Database, batchId: number): Promise<BatchLinkCounts> {
  const [people, doses, review] = await Promise.all([
    database.db.selectFrom('person_record').where('batch_id', '=', batchId).select((eb) => eb.fn.count<string>('person_id').distinct().as('n')).executeTakeFirstOrThrow(),
    database.db.selectFrom('dose_record').where('batch_id', '=', batchId).select((eb) => eb.fn.count<string>('dose_id').distinct().as('n')).executeTakeFirstOrThrow(),
    database.db
      .selectFrom('match_link')
      .where('status', '=', 'review')
      .where((eb) => eb.or([eb('a_batch', '=', batchId), eb('b_batch', '=', batchId)]))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { people: Number(people.n), doses: Number(doses.n), review: Number(review.n) };
}
