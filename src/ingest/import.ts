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
import { encodeRawCells } from '../base/raw-cells.js';
import { escapeUnstorable } from '../base/unstorable.js';
import { inlineCleaner, workerCleaner, type CleanerChannel } from './cleaner-channel.js';
import { FileError } from '../base/errors.js';
import { FIELDS, REQUIRED_FIELDS, type FieldName } from '../base/fields.js';
import { applyCorrections } from './corrections.js';
import { mapColumns } from './fields.js';
import { notUtf8Problem, sniffNotUtf8, type NotUtf8 } from './text-encoding.js';
import { RECORD_COPY_COLUMNS, type CleaningSummary, type DataRow } from './row-cleaner.js';

export interface ImportOptions {
  /** Free label of where the file came from (`station`, `campaign`, `platform-export`). */
  readonly source?: string | undefined;
  /** Code of the health station that sent the file. */
  readonly station?: string | undefined;
  /** Who sent it (`key:<name>`, `cli:<user>`): kept on the batch and on the corrections it makes. */
  readonly uploadedBy?: string | undefined;
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
  /** Earlier rows of the same station or source this file's rows replaced (./corrections.ts). */
  readonly corrections: number;
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
  const sha256 = await hashFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new FileError('import.unreadable', fileName, `cannot read the file (${error.code ?? error.message})`);
  });
  // One import of a file per station at a time, in this process or any other: the same file sent twice at
  // once (a double click, a retry while the first is still loading) must not load twice. The lock also
  // marks the batch as alive: start-up recovery (./recovery.ts) fails only `loading` batches nobody holds.
  const station = options.station ?? null;
  const outcome = await database.withSessionLock(importLockName(station, sha256), () =>
    importLocked(database, file, fileName, sha256, options).catch((error: unknown) => {
      throw named(error, file, fileName);
    }),
  );
  if (outcome.acquired) return outcome.value;
  const first = await database.db
    .selectFrom('batch')
    .select('id')
    .where('file_sha256', '=', sha256)
    .where('status', '=', 'loading')
    .where((eb) => (station === null ? eb('station_code', 'is', null) : eb('station_code', '=', station)))
    .orderBy('id', 'desc')
    .executeTakeFirst();
  throw new FileError('import.already_loading', fileName, `the same file is already being imported${first ? ` (batch ${first.id})` : ''}; wait for it to finish instead of sending it again`);
}

/** The session lock held while a file of a station is imported (src/ingest/recovery.ts tries it too). */
export function importLockName(station: string | null, sha256: string): string {
  return `import:${station ?? '-'}:${sha256}`;
}

/**
 * The readers name the file by the path they were given, which for an upload is the server's temporary
 * folder: the message a client sees, and the batch keeps, names the file by its own name.
 */
function named(error: unknown, file: string, fileName: string): unknown {
  if (!(error instanceof FileError) || error.file === fileName) return error;
  return new FileError(error.code, error.file === file ? fileName : path.basename(error.file), error.problem, error.where, { details: error.details });
}

/**
 * Longer than any real cell. A CSV cell this long is usually the rest of the file after a quote that is
 * never closed, which the CSV reader names itself; any other is something pasted or planted, and the
 * cleaning rules are not meant for it.
 */
export const MAX_CELL_CHARS = 100_000;
/**
 * Raw rows are committed as the import goes, so that a process killed mid-import leaves the rows it had
 * read as evidence (start-up recovery then fails the batch, ./recovery.ts): first after RAW_COMMIT_ROWS
 * rows, then at most every RAW_COMMIT_MS. Each commit ends one COPY and starts the next, and reading waits
 * for it: committing every 10,000 rows cost a million-row import about a hundred of those pauses.
 */
const RAW_COMMIT_ROWS = 10_000;
const RAW_COMMIT_MS = 2_000;

async function importLocked(database: Database, file: string, fileName: string, sha256: string, options: ImportOptions): Promise<ImportSummary> {
  const { today } = options;
  const source = await openTabularFile(file);
  const rows = source.rows[Symbol.asyncIterator]();
  // Read ahead of the rows: a header that does not decode would otherwise read as a missing column.
  const notUtf8 = source.format === 'csv' ? await sniffNotUtf8(file) : null;

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
    const failure = named(error, file, fileName);
    await recordFailedBatch(database, fileName, sha256, source.format, options, (failure as Error).message, preamble);
    throw failure;
  }
  if (!header) {
    const first = preamble.find((r) => r.cells.some((c) => c.trim() !== ''));
    const missing = REQUIRED_FIELDS.filter((f) => mapColumns(first?.cells ?? []).columns[f] === undefined);
    const undecodable = preamble.find((r) => undecodableCell(r.cells) >= 0);
    const error = notUtf8
      ? new FileError('import.not_utf8', fileName, notUtf8Problem(notUtf8.guess), { row: undecodable?.rowNumber ?? notUtf8.line })
      : first
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
      uploaded_by: options.uploadedBy ?? null,
      header_row: header.rowNumber,
      headers: header.cells.map(escapeUnstorable),
      column_map: JSON.stringify(mapping.columns),
      error: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const batchId = batch.id;

  // The raw rows' writer in use: loadRows replaces it at each commit of raw rows; null once ended.
  const rawWriter: { current: CopyWriter | null } = { current: null };
  let records: CopyWriter | null = null;
  let cleaner: CleanerChannel | null = null;
  let cleanRowsWritten = false;
  try {
    rawWriter.current = await database.copyIn('raw_row', RAW_COLUMNS);
    records = await database.copyIn('record', RECORD_COPY_COLUMNS);
    const inWorker = options.cleanInWorker ?? (await fs.promises.stat(file)).size >= WORKER_MIN_BYTES;
    cleaner = (inWorker ? workerCleaner : inlineCleaner)({ batchId, columns: mapping.columns, today });
    const result = await loadRows(database, { fileName, header, mapping, batchId, preamble, rows, options, notUtf8 }, { raw: rawWriter, records, cleaner });
    const rawDone = rawWriter.current!;
    rawWriter.current = null; // ended below, whatever happens: a writer is never ended twice
    await rawDone.end();
    if (result.fatal) throw result.fatal;
    const recordsDone = records;
    records = null;
    await recordsDone.end();
    cleanRowsWritten = true;
    const { stats, kinds, quarantined } = result.summary;
    const corrections = await database.db.transaction().execute(async (trx) => {
      if (kinds.length > 0) {
        // In code order: two imports finishing together then lock the shared rows in the same order, so
        // they cannot deadlock. A finding's message is a function of its code alone (src/clean/finding.ts),
        // so this never rewrites what earlier batches' rows were told.
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
        .set({ status: 'loaded', row_count: result.dataRows, quarantined_count: quarantined, finished_at: new Date() })
        .where('id', '=', batchId)
        .execute();
      // In the same transaction: the batch becomes visible with the earlier rows it replaces already replaced.
      return applyCorrections(trx, batchId);
    });
    return {
      batchId,
      file: fileName,
      format: source.format,
      status: 'loaded',
      rows: result.dataRows,
      quarantined,
      corrections: corrections.length,
      error: null,
      ignoredColumns: mapping.ignored,
      fieldStats: stats,
    };
  } catch (error) {
    // Whatever failed (a refused row, the database, the cleaning worker), the batch ends `failed` with the
    // reason, never `loading` for ever nor `loaded`. The raw rows read so far are kept as evidence, if
    // their writer is still healthy; cleaned rows are removed.
    const failure = named(error, file, fileName);
    await cleaner?.close().catch(() => {});
    if (records) await records.abort().catch(() => {});
    const rawLeft = rawWriter.current;
    if (rawLeft) await rawLeft.end().catch(() => rawLeft.abort());
    // PGlite commits the chunks it was sent, and PostgreSQL those of an ended COPY: remove them.
    if (cleanRowsWritten || database.kind === 'pglite') await database.db.deleteFrom('record').where('batch_id', '=', batchId).execute();
    await failBatch(database, batchId, (failure as Error).message);
    throw failure;
  }
}

const RAW_COLUMNS = ['batch_id', 'row_number', 'cells'];

interface LoadInput {
  readonly fileName: string;
  readonly header: SourceRow;
  readonly mapping: ReturnType<typeof mapColumns>;
  readonly batchId: number;
  readonly preamble: readonly SourceRow[];
  readonly rows: AsyncIterator<SourceRow>;
  readonly options: ImportOptions;
  /** Set when the file is a CSV that is not UTF-8: what it was probably saved in. */
  readonly notUtf8: NotUtf8 | null;
}

interface LoadResult {
  readonly dataRows: number;
  readonly summary: CleaningSummary;
  readonly fatal: FileError | null;
}

/** Reads every row: stores it raw, and sends its data rows to the cleaner and their records to the database. */
async function loadRows(
  database: Database,
  { fileName, header, mapping, batchId, preamble, rows, options, notUtf8 }: LoadInput,
  writers: { raw: { current: CopyWriter | null }; records: CopyWriter; cleaner: CleanerChannel },
): Promise<LoadResult> {
  const { records, cleaner } = writers;
  let dataRows = 0;
  let fatal: FileError | null = null;
  const nameColumn = header.cells[mapping.columns.full_name!] ?? 'full_name';
  const columnName = (index: number) => escapeUnstorable(header.cells[index] ?? `#${index + 1}`);

  // Raw rows are written by this thread as they are read; their cleaned records come back from the
  // cleaner a few blocks later, so reading, cleaning and the database all work at once.
  // Lines joined once a block, not appended one by one: a string grown by `+=` is a rope of every piece,
  // which V8 walks and copies again to send it, and whose pieces are garbage.
  let rawLines: string[] = [];
  let blockRows = 0;
  let rawUncommitted = 0;
  let rawCommittedAt: number | null = null; // performance.now() of the last commit; null before the first
  let block: DataRow[] = [];
  const cleaning: Promise<string>[] = [];
  const flush = async (last: boolean) => {
    const rawWrite = writers.raw.current!.write(rawLines.join(''));
    if (block.length > 0 && !fatal) {
      const cleaned = cleaner.clean(block);
      cleaned.catch(() => {}); // awaited below, in order; this only keeps Node from calling it unhandled
      cleaning.push(cleaned);
    }
    rawLines = [];
    rawUncommitted += blockRows;
    blockRows = 0;
    block = [];
    await rawWrite;
    const commitDue = rawCommittedAt === null || performance.now() - rawCommittedAt >= RAW_COMMIT_MS;
    if (rawUncommitted >= RAW_COMMIT_ROWS && commitDue && !last) {
      const full = writers.raw.current!;
      writers.raw.current = null;
      await full.end();
      writers.raw.current = await database.copyIn('raw_row', RAW_COLUMNS);
      rawUncommitted = 0;
      rawCommittedAt = performance.now();
    }
    while (cleaning.length > (last ? 0 : BLOCKS_IN_FLIGHT)) await records.write(await cleaning.shift()!);
  };

  const handleRow = (row: SourceRow) => {
    rawLines.push(copyLine([batchId, row.rowNumber, encodeRawCells(row.cells)]));
    blockRows++;
    if (row.rowNumber <= header.rowNumber || fatal || isBlankRow(row.cells)) return;
    dataRows++;
    const long = longCell(row.cells);
    if (long >= 0) {
      fatal = new FileError(
        'import.cell_too_long',
        fileName,
        `a cell holds ${row.cells[long]!.length.toLocaleString('en')} characters, far more than any real value (at most ${MAX_CELL_CHARS.toLocaleString('en')}): it is too long; check what was pasted there`,
        { row: row.rowNumber, column: columnName(long) },
      );
      return;
    }
    const undecodable = undecodableCell(row.cells);
    if (undecodable >= 0) {
      fatal = new FileError(
        'import.not_utf8',
        fileName,
        notUtf8Problem(notUtf8?.guess ?? 'unknown'),
        { row: row.rowNumber, column: columnName(undecodable) },
      );
      return;
    }
    block.push([row.rowNumber, row.cells]);
  };

  let readRows = 0;
  const progressEvery = options.onProgress ? (options.progressEvery ?? 50_000) : Infinity;
  try {
    for (const row of preamble) handleRow(row);
    for (let next = await rows.next(); !next.done; next = await rows.next()) {
      handleRow(next.value);
      if (blockRows >= BLOCK_ROWS) await flush(false);
      if (++readRows % progressEvery === 0) options.onProgress?.(readRows);
    }
  } catch (error) {
    // The file could not be read on (a quote never closed, a broken workbook): the rows read until then
    // are still kept as evidence.
    if (rawLines.length > 0) await writers.raw.current?.write(rawLines.join('')).catch(() => {});
    throw error;
  }
  await flush(true);
  const summary = await cleaner.finish();
  const legacy = summary.firstLegacy;
  if (!fatal && legacy && summary.legacyNames >= LEGACY_COLUMN_SHARE * summary.namesSeen) {
    fatal = new FileError(
      'import.legacy_font',
      fileName,
      `${summary.legacyNames} of ${summary.namesSeen} names are typed in the ${legacy.kind.toUpperCase()} legacy font encoding, not Unicode; convert the column to Unicode (e.g. with Unikey's converter) and upload again`,
      { row: legacy.row, column: escapeUnstorable(nameColumn) },
    );
  }
  return { dataRows, summary, fatal };
}

async function hashFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function failBatch(database: Database, batchId: number, error: string): Promise<void> {
  await database.db
    .updateTable('batch')
    .set({ status: 'failed', error: escapeUnstorable(error), finished_at: sql<Date>`now()` })
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
      uploaded_by: options.uploadedBy ?? null,
      status: 'failed',
      header_row: 0,
      headers: [],
      column_map: '{}',
      error: escapeUnstorable(error),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (rowsRead.length > 0) {
    await database.db
      .insertInto('raw_row')
      .values(rowsRead.map((r) => ({ batch_id: id, row_number: r.rowNumber, cells: encodeRawCells(r.cells) })))
      .execute();
  }
}

function isBlankRow(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

/** Index of the first cell longer than MAX_CELL_CHARS; -1 if none. */
function longCell(cells: readonly string[]): number {
  for (let i = 0; i < cells.length; i++) if (cells[i]!.length > MAX_CELL_CHARS) return i;
  return -1;
}

/** Index of the first cell holding U+FFFD, the decoder's mark for bytes that were not UTF-8; -1 if none. */
function undecodableCell(cells: readonly string[]): number {
  for (let i = 0; i < cells.length; i++) if (cells[i]!.includes('\uFFFD')) return i;
  return -1;
}
