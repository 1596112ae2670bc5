/** `vaxsync batches`: what was imported, when, and how it went. */
import type { Database } from '../db/database.js';

export interface BatchLine {
  readonly id: number;
  readonly file_name: string;
  readonly status: string;
  readonly row_count: number;
  readonly quarantined_count: number;
  readonly started_at: Date;
  readonly error: string | null;
}

export async function listBatches(database: Database): Promise<BatchLine[]> {
  return database.db
    .selectFrom('batch')
    .select(['id', 'file_name', 'status', 'row_count', 'quarantined_count', 'started_at', 'error'])
    .orderBy('id')
    .execute();
}

export function formatBatches(batches: readonly BatchLine[]): string {
  if (batches.length === 0) return 'no batches yet';
  return batches
    .map((b) => {
      const head = `${String(b.id).padStart(5)}  ${b.started_at.toISOString().slice(0, 19)}  ${b.status.padEnd(7)}  ${String(b.row_count).padStart(9)} rows  ${String(b.quarantined_count).padStart(7)} quarantined  ${b.file_name}`;
      return b.error ? `${head}\n       error: ${b.error}` : head;
    })
    .join('\n');
}
