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
 * - something changed: a row whose cleaned values equal the earlier one's is a repeat (ingest/batches.ts warns
 *   about it), or the same values typed another way (`2021-08-20` for `20/08/2021`), not a correction;
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
  readonly new_name: string | null;
  readonly old_name: string | null;
  readonly new_cid: string | null;
  readonly old_cid: string | null;
}

/** Rows per INSERT of corrections (7 parameters each, far below PostgreSQL's 65,535). */
const INSERT_ROWS = 2000;

/** The cleaned values a correction may change (every contract field, as cleaning stored it), as one digest. */
const SIGNATURE = (r: string) => `md5(row(${r}.record_id, ${r}.full_name, ${r}.birth_date, ${r}.sex, ${r}.citizen_id, ${r}.phone,
  ${r}.address, ${r}.commune_code, ${r}.vaccine_code, ${r}.dose_number, ${r}.vaccination_date, ${r}.lot_number, ${r}.facility_code,
  ${r}.adverse_event, ${r}.source, ${r}.screening_result, ${r}.adverse_event_severity, ${r}.guardian_name, ${r}.guardian_phone)::text)`;

/**
 * The pairs (new row, current earlier row) with the same record_id and different cleaned values (the same
 * values, only typed differently — 2021-08-20 for 20/08/2021 — are no correction); a record_id that occurs
 * more than once in the new file replaces nothing. One join in the database, so that a sender's nightly
 * export of millions of rows is never held in memory: only the pairs that differ come back.
 *
 * Imports never analyze `record`, and on its stale statistics the planner once took a join of two
 * 170,000-row batches for a nested loop over sequential scans that ran for minutes (record_id has no
 * index): nested loops are off for this statement alone, which leaves a hash or merge join.
 */
async function candidatePairs(db: Kysely<Schema>, batchId: number, earlierBatches: readonly number[]): Promise<Candidate[]> {
  // Set for this transaction (the import's), and put back as it was after the statement. The superseded
  // rows' check then reads record_correction whole, by a hash anti-join: corrections are few beside records.
  const [before] = (await sql<{ value: string }>`select current_setting('enable_nestloop') as value`.execute(db)).rows;
  await sql`select set_config('enable_nestloop', 'off', true)`.execute(db);
  const { rows } = await sql<Candidate>`
    with fresh as materialized (
      select r.row_number, r.record_id, r.name_key, r.citizen_id, ${sql.raw(SIGNATURE('r'))} as sig,
             count(*) over (partition by r.record_id) as copies
      from record r
      where r.batch_id = ${batchId} and r.quarantine_reason is null and r.record_id is not null
    )
    select f.row_number as new_row, f.record_id, o.batch_id as old_batch, o.row_number as old_row,
           f.name_key as new_name, o.name_key as old_name, f.citizen_id as new_cid, o.citizen_id as old_cid
    from fresh f
    join record o on o.record_id = f.record_id
    where f.copies = 1 and o.batch_id = any(${[...earlierBatches]}::int[])
      and ${sql.raw(SIGNATURE('o'))} <> f.sig
      and not exists (select 1 from record_correction c where c.old_batch = o.batch_id and c.old_row = o.row_number)
    order by f.row_number, o.batch_id, o.row_number`.execute(db);
  // A failed statement aborts the transaction, which undoes the setting with it.
  await sql`select set_config('enable_nestloop', ${before!.value}, true)`.execute(db);
  return rows;
}

/** Of `pairs`, those whose raw rows differ, with both rows' cells (a row sent again unchanged is no correction). */
async function differingCells(db: Kysely<Schema>, batchId: number, pairs: readonly Candidate[]): Promise<(Candidate & { new_cells: string; old_cells: string })[]> {
  const out: (Candidate & { new_cells: string; old_cells: string })[] = [];
  for (let from = 0; from < pairs.length; from += 50_000) {
    const chunk = pairs.slice(from, from + 50_000);
    const { rows } = await sql<{ i: number; new_cells: string; old_cells: string }>`
      select u.i, a.cells as new_cells, b.cells as old_cells
      from unnest(${chunk.map((_, i) => i)}::int[], ${chunk.map((p) => p.new_row)}::int[], ${chunk.map((p) => p.old_batch)}::int[], ${chunk.map((p) => p.old_row)}::int[]) as u(i, new_row, old_batch, old_row)
      join raw_row a on a.batch_id = ${batchId} and a.row_number = u.new_row
      join raw_row b on b.batch_id = u.old_batch and b.row_number = u.old_row
      where a.cells <> b.cells
      order by u.i`.execute(db);
    for (const r of rows) out.push({ ...chunk[r.i]!, new_cells: r.new_cells, old_cells: r.old_cells });
  }
  return out;
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
  const sameSender = station !== null ? sql`station_code = ${station}` : sql`station_code is null and source = ${batch.source}`;
  // A sender's first file replaces nothing: no need to read its rows at all.
  const earlier = (
    await sql<{ id: number; column_map: Record<string, number> | string; headers: string[] }>`
      select id, column_map, headers from batch where id < ${batchId} and status = 'loaded' and ${sameSender}`.execute(db)
  ).rows;
  if (earlier.length === 0) return [];
  const candidates = await candidatePairs(db, batchId, earlier.map((b) => b.id));
  if (candidates.length === 0) return [];
  const rows = await differingCells(db, batchId, candidates);
  const earlierBatch = new Map(earlier.map((b) => [b.id, b]));

  const newMap = columnMapOf(batch.column_map);
  const newKeyIsStt = keyIsRunningNumber(batch.headers, newMap);
  const corrections: Correction[] = [];
  for (const c of rows) {
    const old = earlierBatch.get(c.old_batch)!;
    const oldMap = columnMapOf(old.column_map);
    if ((newKeyIsStt || keyIsRunningNumber(old.headers, oldMap)) && !samePerson(c)) continue;
    const changes = changedFields(decodeRawCells(c.old_cells), oldMap, decodeRawCells(c.new_cells), newMap);
    if (changes.length === 0) continue;
    corrections.push({ newRow: c.new_row, recordId: c.record_id, oldBatch: c.old_batch, oldRow: c.old_row, changes });
  }
  for (let from = 0; from < corrections.length; from += INSERT_ROWS) {
    await db
      .insertInto('record_correction')
      .values(
        corrections.slice(from, from + INSERT_ROWS).map((c) => ({
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
