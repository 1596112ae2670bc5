/**
 * Corrections that replace (issue 16, item 4; migrations/0016_corrections.ts). A station fixes a row of a file
 * it sent (a dose date typed wrong) and sends the row again under the same record_id: the new row supersedes
 * the earlier one. Without this the fixed row became a second record of the same injection, a conflict.
 *
 * Which rows replace which:
 * - the same sender: the same station, or, for a batch without a station, the same source label given on
 *   import (`--source`). A batch with neither, or an operator's upload without a station (its source is the
 *   generic `upload`; likewise the nightly inbox's `inbox`), replaces nothing: two unrelated files both numbering their rows 1, 2, 3… would
 *   otherwise replace each other;
 * - the same record_id, among the current (not yet superseded) rows of earlier loaded batches;
 * - a new row that is not quarantined (a broken row never replaces a usable one), and whose record_id occurs
 *   once in its file (which of two rows would be the fix is not known);
 * - something changed: a row equal field for field to the earlier one is a repeat (ingest/batches.ts warns
 *   about it), not a correction;
 * - when the key is a file's running number (an `STT` column) rather than a record id, the two rows must
 *   also be the same person by name or citizen ID: next month's list numbers other people 1, 2, 3… too.
 *
 * What changed is kept field by field as the station typed it (the raw cells), with who sent the fix.
 */
import { sql, type Kysely } from 'kysely';
import { FIELDS } from '../base/fields.js';
import { decodeRawCells } from '../base/raw-cells.js';
import { asciiKey } from '../base/text.js';
import { escapeUnstorable } from '../base/unstorable.js';
import type { CorrectionChange, Schema } from '../db/schema.js';

/** A superseded row and what replaced it. */
export interface Correction {
  readonly newRow: number;
  readonly recordId: string;
  readonly oldBatch: number;
  readonly oldRow: number;
  readonly changes: readonly CorrectionChange[];
}

/**
 * Source labels the tool itself gives, which say nothing of who sent the file: an operator's upload, the
 * nightly inbox (every station's files), `dedupe` and `demo`. They never make two batches the same sender.
 */
const GENERIC_SOURCES = new Set(['upload', 'inbox', 'dedupe', 'demo']);

interface Candidate {
  readonly new_row: number;
  readonly record_id: string;
  readonly old_batch: number;
  readonly old_row: number;
  readonly new_cells: string;
  readonly old_cells: string;
  readonly old_map: Record<string, number> | string;
  readonly old_headers: string[];
  readonly new_name: string | null;
  readonly old_name: string | null;
  readonly new_cid: string | null;
  readonly old_cid: string | null;
}

/**
 * Finds the rows of batch `batchId` that correct earlier rows and records each as superseding them. Runs in
 * the transaction that makes the batch visible, so the batch appears with its corrections or not at all.
 */
export async function applyCorrections(db: Kysely<Schema>, batchId: number): Promise<Correction[]> {
  const batch = await db
    .selectFrom('batch')
    .select(['station_code', 'source', 'column_map', 'headers', 'uploaded_by'])
    .where('id', '=', batchId)
    .executeTakeFirstOrThrow();
  const station = batch.station_code;
  if (station === null && (batch.source === null || GENERIC_SOURCES.has(batch.source))) return [];
  const sameSender = station !== null ? sql`ob.station_code = ${station}` : sql`ob.station_code is null and ob.source = ${batch.source}`;

  const { rows } = await sql<Candidate>`
    select n.row_number as new_row, n.record_id, o.batch_id as old_batch, o.row_number as old_row,
           nr.cells as new_cells, orr.cells as old_cells, ob.column_map as old_map, ob.headers as old_headers,
           n.name_key as new_name, o.name_key as old_name, n.citizen_id as new_cid, o.citizen_id as old_cid
    from record n
    join batch ob on ob.id < ${batchId} and ob.status = 'loaded' and ${sameSender}
    join record o on o.batch_id = ob.id and o.record_id = n.record_id
    join raw_row nr on nr.batch_id = n.batch_id and nr.row_number = n.row_number
    join raw_row orr on orr.batch_id = o.batch_id and orr.row_number = o.row_number
    where n.batch_id = ${batchId} and n.quarantine_reason is null and n.record_id is not null
      and nr.cells <> orr.cells
      and not exists (select 1 from record_correction c where c.old_batch = o.batch_id and c.old_row = o.row_number)
      and n.record_id in (select record_id from record where batch_id = ${batchId} and record_id is not null
                          group by record_id having count(*) = 1)
    order by n.row_number, o.batch_id, o.row_number`.execute(db);
  if (rows.length === 0) return [];

  const newMap = columnMapOf(batch.column_map);
  const newKeyIsStt = keyIsRunningNumber(batch.headers, newMap);
  const corrections: Correction[] = [];
  for (const c of rows) {
    const oldMap = columnMapOf(c.old_map);
    if ((newKeyIsStt || keyIsRunningNumber(c.old_headers, oldMap)) && !samePerson(c)) continue;
    const changes = changedFields(decodeRawCells(c.old_cells), oldMap, decodeRawCells(c.new_cells), newMap);
    if (changes.length === 0) continue;
    corrections.push({ newRow: c.new_row, recordId: c.record_id, oldBatch: c.old_batch, oldRow: c.old_row, changes });
  }
  if (corrections.length > 0) {
    await db
      .insertInto('record_correction')
      .values(
        corrections.map((c) => ({
          old_batch: c.oldBatch,
          old_row: c.oldRow,
          new_batch: batchId,
          new_row: c.newRow,
          record_id: c.recordId,
          changes: JSON.stringify(c.changes),
          corrected_by: batch.uploaded_by,
        })),
      )
      // Two imports of the same sender finishing together: the first to commit replaces the row.
      .onConflict((oc) => oc.columns(['old_batch', 'old_row']).doNothing())
      .execute();
  }
  return corrections;
}

/** The contract fields whose cell differs between the two rows, as typed (trimmed), in the contract's order. */
export function changedFields(
  oldCells: readonly string[],
  oldMap: Readonly<Record<string, number>>,
  newCells: readonly string[],
  newMap: Readonly<Record<string, number>>,
): CorrectionChange[] {
  const cell = (cells: readonly string[], map: Readonly<Record<string, number>>, field: string) => {
    const index = map[field];
    return index === undefined ? '' : (cells[index] ?? '').trim();
  };
  const changes: CorrectionChange[] = [];
  for (const field of FIELDS) {
    const before = cell(oldCells, oldMap, field);
    const after = cell(newCells, newMap, field);
    // Stored as JSON: a NUL or half a surrogate pair (which PostgreSQL's jsonb refuses) in its visible form.
    if (before !== after) changes.push({ field, before: escapeUnstorable(before), after: escapeUnstorable(after) });
  }
  return changes;
}

function columnMapOf(map: Record<string, number> | string): Record<string, number> {
  return typeof map === 'string' ? (JSON.parse(map) as Record<string, number>) : map;
}

/** Whether the record_id column of a file is its running number (`STT`, `Số TT`, `Số thứ tự`). */
function keyIsRunningNumber(headers: readonly string[], map: Readonly<Record<string, number>>): boolean {
  const index = map.record_id;
  if (index === undefined) return false;
  const key = asciiKey(headers[index] ?? '').replace(/\s+/g, ' ');
  return key === 'stt' || key === 'so tt' || key === 'so thu tu' || key === 'tt';
}

function samePerson(c: Candidate): boolean {
  return (c.new_name !== null && c.new_name === c.old_name) || (c.new_cid !== null && c.new_cid === c.old_cid);
}

/** The corrections a batch made, for its upload answer and the console: newest batch's rows first by row. */
export async function correctionsOfBatch(db: Kysely<Schema>, batchId: number): Promise<Correction[]> {
  const rows = await db
    .selectFrom('record_correction')
    .select(['new_row', 'record_id', 'old_batch', 'old_row', 'changes'])
    .where('new_batch', '=', batchId)
    .orderBy('new_row')
    .orderBy('old_batch')
    .execute();
  return rows.map((r) => ({
    newRow: r.new_row,
    recordId: r.record_id,
    oldBatch: r.old_batch,
    oldRow: r.old_row,
    changes: typeof r.changes === 'string' ? (JSON.parse(r.changes) as CorrectionChange[]) : r.changes,
  }));
}
