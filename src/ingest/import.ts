/**
 * Import of one uploaded file: every row is stored raw, exactly as received, then cleaned, in one
 * streaming pass with bulk COPY writes, so a million-row file is never held in memory.
 *
 * The batch stays `loading` until the end, and later stages read `loaded` batches only: an import that
 * fails (or a process that dies) is never half-visible. A failed batch keeps its raw rows as evidence.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { openTabularFile, type SourceRow } from '../../connectors/sources/tabular.js';
import type { FieldStatus } from '../clean/finding.js';
import { copyLine } from '../base/copy.js';
import type { CopyWriter, Database } from '../db/database.js';
import { inlineCleaner, workerCleaner } from './cleaner-channel.js';
import { FileError } from '../base/errors.js';
import { FIELDS, REQUIRED_FIELDS, type FieldName } from '../base/fields.js';
import { mapColumns } from './fields.js';
import { RECORD_COPY_COLUMNS, type CleaningSummary, type DataRow } from './row-cleaner.js';

export interface ImportOptions {
  /** Free label of where the file came from (`station`, `campaign`, `platform-export`). */
  readonly source?: string | undefined;
  /** Code of the health station that sent the file. */
  readonly station?: string | undefined;
  /**
   * Today's date (`yyyy-mm-dd`) for the "in the future" checks. Always given by the caller (`today(config)`,
   * src/config.ts): the province's date, not the UTC one, which before 07:00 in Vietnam is still yesterday.
   */
  readonly today: string;
  /** Clean in a worker thread (default: for files of WORKER_MIN_BYTES and more). */
  readonly cleanInWorker?: boolean;
  /** Called every `progressEvery` rows with the number of rows read so far. */
  readonly onProgress?: (rows: number) => void;
  readonly progressEvery?: number;
}

export interface ImportSummary {
  readonly batchId: number;
  readonly file: string;
  readonly format: 'csv' | 'xlsx';
  readonly status: 'loaded' | 'failed';
  /** Data rows read (blank rows excluded). */
  readonly rows: number;
  readonly quarantined: number;
  readonly error: string | null;
  /** Headers that name no field of the contract (kept in the raw rows). */
  readonly ignoredColumns: readonly string[];
  readonly fieldStats: Readonly<Record<FieldName, Readonly<Record<FieldStatus, number>>>>;
}

/** How many rows above the header a file may have (title lines of a station's template). */
const HEADER_SEARCH_ROWS = 10;
/** Rows written to the database, and sent to the cleaner, per block. */
const BLOCK_ROWS = 2000;
/** Blocks being cleaned while the next ones are read: enough to keep both threads busy, little memory. */
const BLOCKS_IN_FLIGHT = 4;
/** Files from this size on are cleaned in a worker thread (below it, starting one costs more than it saves). */
const WORKER_MIN_BYTES = 2 * 1024 * 1024;
/** Share of legacy-encoded names above which the column, not a stray cell, is in a legacy font. */
const LEGACY_COLUMN_SHARE = 0.05;

export async function importFile(database: Database, file: string, options: ImportOptions): Promise<ImportSummary> {
  const fileName = path.basename(file);
  const { today } = options;
  const sha256 = await hashFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new FileError('import.unreadable', fileName, `cannot read the file (${error.code ?? error.message})`);
  });
  const source = await openTabularFile(file);
  const rows = source.rows[Symbol.asyncIterator]();

  // Find the header row: the first of the top rows that names every required column.
  const preamble: SourceRow[] = [];
  let header: SourceRow | undefined;
  let mapping = mapColumns([]);
  try {
    while (preamble.length < HEADER_SEARCH_ROWS) {
      const next = await rows.next();
      if (next.done) break;
      preamble.push(next.value);
      const candidate = mapColumns(next.value.cells);
      if (REQUIRED_FIELDS.every((f) => candidate.columns[f] !== undefined)) {
        header = next.value;
        mapping = candidate;
        break;
      }
    }
  } catch (error) {
    await recordFailedBatch(database, fileName, sha256, source.format, options, (error as Error).message, preamble);
    throw error;
  }
  if (!header) {
    const first = preamble.find((r) => r.cells.some((c) => c.trim() !== ''));
    const missing = REQUIRED_FIELDS.filter((f) => mapColumns(first?.cells ?? []).columns[f] === undefined);
    const error = first
      ? new FileError(
          'import.missing_columns',
          fileName,
          `missing required column(s) ${missing.join(', ')} (accepted headers: record_id or "Mã bản ghi"/"STT"; full_name or "Họ và tên")`,
          { row: first.rowNumber },
        )
      : new FileError('import.no_rows', fileName, 'the file has no rows');
    await recordFailedBatch(database, fileName, sha256, source.format, options, error.message, preamble);
    throw error;
  }

  const batch = await database.db
    .insertInto('batch')
    .values({
      file_name: fileName,
      file_sha256: sha256,
      format: source.format,
      source: options.source ?? null,
      station_code: options.station ?? null,
      header_row: header.rowNumber,
      headers: [...header.cells],
      column_map: JSON.stringify(mapping.columns),
      error: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const batchId = batch.id;

  const raw = await database.copyIn('raw_row', ['batch_id', 'row_number', 'cells']);
  const records = await database.copyIn('record', RECORD_COPY_COLUMNS);
  const inWorker = options.cleanInWorker ?? (await fs.promises.stat(file)).size >= WORKER_MIN_BYTES;
  const cleaner = (inWorker ? workerCleaner : inlineCleaner)({ batchId, columns: mapping.columns, today });

  let dataRows = 0;
  let fatal: FileError | null = null;
  const nameColumn = header.cells[mapping.columns.full_name!] ?? 'full_name';

  // Raw rows are written by this thread as they are read; their cleaned records come back from the
  // cleaner a few blocks later, so reading, cleaning and the database all work at once.
  let rawText = '';
  let blockRows = 0;
  let block: DataRow[] = [];
  const cleaning: Promise<string>[] = [];
  const flush = async (last: boolean) => {
    const rawWrite = raw.write(rawText);
    if (block.length > 0 && !fatal) {
      const cleaned = cleaner.clean(block);
      cleaned.catch(() => {}); // awaited below, in order; this only keeps Node from calling it unhandled
      cleaning.push(cleaned);
    }
    rawText = '';
    blockRows = 0;
    block = [];
    await rawWrite;
    while (cleaning.length > (last ? 0 : BLOCKS_IN_FLIGHT)) await records.write(await cleaning.shift()!);
  };

  const handleRow = (row: SourceRow) => {
    rawText += copyLine([batchId, row.rowNumber, JSON.stringify(row.cells)]);
    blockRows++;
    if (row.rowNumber <= header.rowNumber || fatal || isBlankRow(row.cells)) return;
    dataRows++;
    const undecodable = undecodableCell(row.cells);
    if (undecodable >= 0) {
      fatal = new FileError(
        'import.not_utf8',
        fileName,
        'the text is not valid UTF-8; the file was probably saved in a legacy encoding (Windows-1258, TCVN3, VNI). Save it as "CSV UTF-8" and upload again',
        { row: row.rowNumber, column: header.cells[undecodable] ?? `#${undecodable + 1}` },
      );
      return;
    }
    block.push([row.rowNumber, row.cells]);
  };

  let summary: CleaningSummary;
  let readRows = 0;
  const progressEvery = options.onProgress ? (options.progressEvery ?? 50_000) : Infinity;
  try {
    for (const row of preamble) handleRow(row);
    for (let next = await rows.next(); !next.done; next = await rows.next()) {
      handleRow(next.value);
      if (blockRows >= BLOCK_ROWS) await flush(false);
      if (++readRows % progressEvery === 0) options.onProgress?.(readRows);
    }
    await flush(true);
    summary = await cleaner.finish();
    const legacy = summary.firstLegacy;
    if (!fatal && legacy && summary.legacyNames >= LEGACY_COLUMN_SHARE * summary.namesSeen) {
      fatal = new FileError(
        'import.legacy_font',
        fileName,
        `${summary.legacyNames} of ${summary.namesSeen} names are typed in the ${legacy.kind.toUpperCase()} legacy font encoding, not Unicode; convert the column to Unicode (e.g. with Unikey's converter) and upload again`,
        { row: legacy.row, column: nameColumn },
      );
    }
  } catch (error) {
    await cleaner.close();
    await records.abort();
    // The raw rows read so far are kept as evidence of what arrived, if the writer is still healthy.
    await raw.end().catch(() => raw.abort());
    await failBatch(database, batchId, (error as Error).message);
    throw error;
  }
  await raw.end();
  if (fatal) {
    await abandonCleanRows(database, batchId, records);
    await failBatch(database, batchId, (fatal as FileError).message);
    throw fatal;
  }
  await records.end();

  const { stats, kinds, quarantined } = summary;
  await database.db.transaction().execute(async (trx) => {
    if (kinds.length > 0) {
      // In code order: two imports finishing together then lock the shared rows in the same order, so
      // they cannot deadlock.
      await trx
        .insertInto('finding_kind')
        .values([...kinds].sort((a, b) => (a.code < b.code ? -1 : 1)).map((k) => ({ code: k.code, field: k.field, severity: k.severity, message: k.message })))
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            field: eb.ref('excluded.field'),
            severity: eb.ref('excluded.severity'),
            message: eb.ref('excluded.message'),
          })),
        )
        .execute();
    }
    await trx
      .insertInto('field_stat')
      .values(FIELDS.map((field) => ({ batch_id: batchId, field, ...stats[field] })))
      .execute();
    await trx
      .updateTable('batch')
      .set({ status: 'loaded', row_count: dataRows, quarantined_count: quarantined, finished_at: new Date() })
      .where('id', '=', batchId)
      .execute();
  });
  return {
    batchId,
    file: fileName,
    format: source.format,
    status: 'loaded',
    rows: dataRows,
    quarantined,
    error: null,
    ignoredColumns: mapping.ignored,
    fieldStats: stats,
  };
}



async function hashFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Cleaned rows of a failed batch are removed (PGlite has already committed the chunks it was sent). */
async function abandonCleanRows(database: Database, batchId: number, records: CopyWriter): Promise<void> {
  await records.abort();
  await database.db.deleteFrom('record').where('batch_id', '=', batchId).execute();
}

async function failBatch(database: Database, batchId: number, error: string): Promise<void> {
  await database.db
    .updateTable('batch')
    .set({ status: 'failed', error, finished_at: sql<Date>`now()` })
    .where('id', '=', batchId)
    .execute();
}

/** A file whose header could not be found still leaves a trace of the attempt, with the rows read. */
async function recordFailedBatch(
  database: Database,
  fileName: string,
  sha256: string,
  format: 'csv' | 'xlsx',
  options: ImportOptions,
  error: string,
  rowsRead: readonly SourceRow[],
): Promise<void> {
  const { id } = await database.db
    .insertInto('batch')
    .values({
      file_name: fileName,
      file_sha256: sha256,
      format,
      source: options.source ?? null,
      station_code: options.station ?? null,
      status: 'failed',
      header_row: 0,
      headers: [],
      column_map: '{}',
      error,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (rowsRead.length > 0) {
    await database.db
      .insertInto('raw_row')
      .values(rowsRead.map((r) => ({ batch_id: id, row_number: r.rowNumber, cells: JSON.stringify(r.cells) })))
      .execute();
  }
}

function isBlankRow(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

/** Index of the first cell holding U+FFFD, the decoder's mark for bytes that were not UTF-8; -1 if none. */
function undecodableCell(cells: readonly string[]): number {
  for (let i = 0; i < cells.length; i++) if (cells[i]!.includes('\uFFFD')) return i;
  return -1;
}
