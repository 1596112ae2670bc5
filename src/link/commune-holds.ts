/**
 * The moves to another commune that link runs held (golden.ts, CommuneEvidence): the working groups' list
 * next to the pairs and the registry conflicts. Each names the person by id, the commune kept, the one the
 * rows asked for, the station and its rows; no name or ID, the person page shows those to whoever may see
 * them. A hold ends when the person's rows change: a second station's rows confirming the move, or the rows
 * taken out (`unmerge`, or a "different people" decision on one of them).
 */
import type { Database } from '../db/database.js';

export interface CommuneHoldItem {
  readonly personId: string;
  readonly kept: string;
  readonly proposed: string;
  readonly station: string;
  readonly rows: readonly string[];
  readonly reason: string;
}

export function communeHoldReason(station: string, kept: string, proposed: string): string {
  return (
    `chuyển xã ${kept} → ${proposed} chỉ dựa trên các hàng của một trạm (${station}): chưa áp dụng, chờ tổ công tác xem xét / ` +
    `the move from commune ${kept} to ${proposed} rests on the rows of one station (${station}) only: not adopted, for review`
  );
}

export async function communeHolds(database: Database, options: { readonly limit: number }): Promise<{ total: number; items: CommuneHoldItem[] }> {
  const [{ total }, rows] = await Promise.all([
    database.db.selectFrom('commune_hold').select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    database.db.selectFrom('commune_hold').selectAll().orderBy('person_id').limit(options.limit).execute(),
  ]);
  return {
    total: Number(total),
    items: rows.map((h) => ({
      personId: String(h.person_id),
      kept: h.kept,
      proposed: h.proposed,
      station: h.station_code,
      rows: h.rows,
      reason: communeHoldReason(h.station_code, h.kept, h.proposed),
    })),
  };
}

export function formatCommuneHolds(holds: { total: number; items: readonly CommuneHoldItem[] }): string {
  if (holds.total === 0) return 'no move to another commune is held';
  return [
    `${holds.total} people whose move to another commune rests on one station's rows${holds.total > holds.items.length ? `, the first ${holds.items.length}` : ''}:`,
    ...holds.items.map((h) => `P${h.personId.padEnd(8)} kept ${h.kept}, asked ${h.proposed} by ${h.station}: rows ${h.rows.join(' ')}`),
    'The person keeps the commune shown; a second station\'s rows confirming the move, or `vaxsync unmerge` of the rows, settle it.',
  ].join('\n');
}
