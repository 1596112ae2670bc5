/**
 * The review queue: pairs the last link run scored between the review and the accept thresholds (or
 * that clustering refused), most likely matches first, for a working group to decide.
 */
import type { Database } from '../db/database.js';

export interface ReviewItem {
  readonly a: string;
  readonly b: string;
  readonly nameA: string | null;
  readonly nameB: string | null;
  readonly probability: number;
  readonly reason: string | null;
}

export async function reviewQueue(database: Database, options: { readonly limit: number }): Promise<{ total: number; items: ReviewItem[] }> {
  const base = database.db.selectFrom('match_link as l').where('l.status', '=', 'review');
  const [{ total }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    base
      .innerJoin('record as ra', (j) => j.onRef('ra.batch_id', '=', 'l.a_batch').onRef('ra.row_number', '=', 'l.a_row'))
      .innerJoin('record as rb', (j) => j.onRef('rb.batch_id', '=', 'l.b_batch').onRef('rb.row_number', '=', 'l.b_row'))
      .select(['l.a_batch', 'l.a_row', 'l.b_batch', 'l.b_row', 'l.probability', 'l.reason', 'ra.full_name as name_a', 'rb.full_name as name_b'])
      .orderBy('l.probability', 'desc')
      .orderBy('l.a_batch')
      .orderBy('l.a_row')
      .limit(options.limit)
      .execute(),
  ]);
  return {
    total: Number(total),
    items: rows.map((r) => ({
      a: `${r.a_batch}:${r.a_row}`,
      b: `${r.b_batch}:${r.b_row}`,
      nameA: r.name_a,
      nameB: r.name_b,
      probability: r.probability,
      reason: r.reason,
    })),
  };
}

export function formatReviewQueue(queue: { total: number; items: readonly ReviewItem[] }): string {
  if (queue.total === 0) return 'the review queue is empty';
  const lines = queue.items.map(
    (i) =>
      `${i.a.padEnd(10)} ${i.b.padEnd(10)} ${i.probability.toFixed(3)}  ${i.nameA ?? '—'}  ↔  ${i.nameB ?? '—'}` +
      (i.reason ? `  (${i.reason})` : ''),
  );
  return [
    `${queue.total} pairs to review${queue.total > queue.items.length ? `, the ${queue.items.length} most likely shown` : ''}:`,
    ...lines,
    'See one with: vaxsync review show A B',
  ].join('\n');
}
