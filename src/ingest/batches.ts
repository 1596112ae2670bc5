/** Reading the batch table: one imported file, its status and counts. */
import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { BatchTable } from '../db/schema.js';

export type Batch = Selectable<BatchTable>;

/** The batch with this id, whatever its status, or undefined. */
export async function readBatch(database: Database, id: number): Promise<Batch | undefined> {
  return database.db.selectFrom('batch').selectAll().where('id', '=', id).executeTakeFirst();
}
