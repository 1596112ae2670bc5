/** What the outbox holds: counts per state, and the people waiting or refused, with why. */
import type { Database } from '../db/database.js';
import type { OutboxState } from '../db/schema.js';

export const OUTBOX_STATES: readonly OutboxState[] = ['pending', 'in_flight', 'failed', 'rejected', 'acknowledged'];

export interface OutboxItem {
  readonly personId: string;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastError: string | null;
}

export async function outboxSummary(
  database: Database,
  options: { readonly states: readonly OutboxState[]; readonly limit: number },
): Promise<{ counts: Record<OutboxState, number>; items: OutboxItem[] }> {
  const counts = Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as Record<OutboxState, number>;
  for (const row of await database.db.selectFrom('outbox').select(['state', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('state').execute()) {
    counts[row.state] = Number(row.n);
  }
  const rows =
    options.states.length === 0
      ? []
      : await database.db
          .selectFrom('outbox')
          .select(['person_id', 'state', 'attempts', 'next_attempt_at', 'last_error'])
          .where('state', 'in', options.states)
          .orderBy('person_id')
          .limit(options.limit)
          .execute();
  return {
    counts,
    items: rows.map((r) => ({ personId: String(r.person_id), state: r.state, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error })),
  };
}

export function formatOutbox(summary: { counts: Record<OutboxState, number>; items: readonly OutboxItem[] }): string {
  const lines = [`outbox: ${OUTBOX_STATES.map((s) => `${summary.counts[s]} ${s.replace('_', ' ')}`).join(', ')}`];
  for (const i of summary.items) {
    const when = i.state === 'failed' ? `, next try ${i.nextAttemptAt.toISOString()}` : '';
    lines.push(`  P${i.personId.padEnd(8)} ${i.state.padEnd(9)} ${i.attempts} attempt(s)${when}${i.lastError ? `  ${i.lastError}` : ''}`);
  }
  return lines.join('\n');
}
