/**
 * Recording what a reviewer decided about two records. Decisions take effect at the next link run,
 * which applies every decision ever recorded (see linkAll).
 */
import type { Database } from '../db/database.js';
import { LinkError } from './errors.js';
import type { RecordRef } from './rows.js';

export type Decision = 'same' | 'different';

export interface StoredDecision {
  readonly a: RecordRef;
  readonly b: RecordRef;
  readonly decision: Decision;
}

export async function recordDecision(database: Database, x: RecordRef, y: RecordRef, decision: Decision, decidedBy: string): Promise<void> {
  if (x.batch === y.batch && x.row === y.row) throw new LinkError('link.self_pair', 'a record cannot be paired with itself');
  const [a, b] = x.batch < y.batch || (x.batch === y.batch && x.row < y.row) ? [x, y] : [y, x];
  await database.db
    .insertInto('review_decision')
    .values({ a_batch: a.batch, a_row: a.row, b_batch: b.batch, b_row: b.row, decision, decided_by: decidedBy })
    .onConflict((oc) => oc.columns(['a_batch', 'a_row', 'b_batch', 'b_row']).doUpdateSet({ decision, decided_by: decidedBy, applied_run: null }))
    .execute();
}

/**
 * Unmerge: the record becomes a person of its own at the next link run, by recording that it is not
 * the same person as any other record its person holds now. Returns how many pairs were recorded.
 */
export async function unmergeRecord(database: Database, record: RecordRef, decidedBy: string): Promise<number> {
  const others = await database.db
    .selectFrom('person_record as mine')
    .innerJoin('person_record as other', 'other.person_id', 'mine.person_id')
    .where('mine.batch_id', '=', record.batch)
    .where('mine.row_number', '=', record.row)
    .select(['other.batch_id', 'other.row_number'])
    .execute();
  const rest = others.filter((o) => o.batch_id !== record.batch || o.row_number !== record.row);
  for (const o of rest) await recordDecision(database, record, { batch: o.batch_id, row: o.row_number }, 'different', decidedBy);
  return rest.length;
}

export async function loadDecisions(database: Database): Promise<StoredDecision[]> {
  const rows = await database.db.selectFrom('review_decision').selectAll().execute();
  return rows.map((r) => ({ a: { batch: r.a_batch, row: r.a_row }, b: { batch: r.b_batch, row: r.b_row }, decision: r.decision }));
}
