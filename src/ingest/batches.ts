/** Reading the batch table: one imported file, its status and counts. */
import { sql, type Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { BatchTable } from '../db/schema.js';

export type Batch = Selectable<BatchTable>;

/** The batch with this id, whatever its status, or undefined. */
export async function readBatch(database: Database, id: number): Promise<Batch | undefined> {
  return database.db.selectFrom('batch').selectAll().where('id', '=', id).executeTakeFirst();
}

/** What of a new batch a station (or the same source) had sent before: the same file, or some of the same rows. */
export interface RepeatedInput {
  /** An earlier loaded batch of the very same bytes from the same station (or, without a station, the same source). */
  readonly sameFile: { readonly batchId: number; readonly finishedAt: Date | null } | null;
  /** Data rows of this batch whose every cell equals a row of an earlier loaded batch of the same station. */
  readonly repeatedRows: number;
  /** Those earlier batches, oldest first (at most ten). */
  readonly earlierBatches: readonly number[];
}

/**
 * Looks for what a new batch repeats, to warn the station: the same file sent again, or the same rows in a new
 * file (typically a whole list re-exported with a few corrections). Rows are compared by their raw cells, so a
 * row with anything changed is not a repeat. Row comparison is limited to the station's own earlier batches,
 * which keeps it to one commune's history; a batch without a station is checked for the same file only.
 */
export async function findRepeatedInput(database: Database, batchId: number): Promise<RepeatedInput | null> {
  const batch = await database.db.selectFrom('batch').select(['file_sha256', 'station_code', 'source']).where('id', '=', batchId).executeTakeFirstOrThrow();
  const sameFile = await database.db
    .selectFrom('batch')
    .select(['id', 'finished_at'])
    .where('file_sha256', '=', batch.file_sha256)
    .where('id', '<', batchId)
    .where('status', '=', 'loaded')
    .where((eb) =>
      batch.station_code !== null
        ? eb('station_code', '=', batch.station_code)
        : eb.and([eb('station_code', 'is', null), batch.source === null ? eb('source', 'is', null) : eb('source', '=', batch.source)]),
    )
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  let repeated = { rows: 0, batches: [] as number[] };
  if (batch.station_code !== null) {
    const { rows: [row] } = await sql<{ rows: number; batches: number[] }>`with hits as (
         select distinct r.row_number, eb.id as batch_id
         from raw_row r
         join record rec on rec.batch_id = r.batch_id and rec.row_number = r.row_number
         join batch eb on eb.station_code = ${batch.station_code} and eb.id < ${batchId} and eb.status = 'loaded'
         join raw_row e on e.batch_id = eb.id and e.row_number > eb.header_row and e.cells = r.cells
         where r.batch_id = ${batchId}
       )
       select (select count(distinct row_number) from hits)::int as rows,
              coalesce((select array_agg(batch_id order by batch_id) from (select distinct batch_id from hits order by batch_id limit 10) b), '{}') as batches`.execute(database.db);
    repeated = { rows: row!.rows, batches: row!.batches.map(Number) };
  }
  if (!sameFile && repeated.rows === 0) return null;
  return {
    sameFile: sameFile ? { batchId: sameFile.id, finishedAt: sameFile.finished_at } : null,
    repeatedRows: repeated.rows,
    earlierBatches: repeated.batches,
  };
}
