/**
 * An upload's way into the database: the file is streamed to a temporary folder (never held in memory),
 * imported like any station file, checked against the station's commune, and answered with its per-row
 * problems. A JSON batch is written as a CSV in the contract's columns first, so both ways share one import.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { FileError, VaxsyncError } from '../base/errors.js';
import { finding } from '../clean/finding.js';
import { FIELD_LABELS_VI, FINDING_CATALOGUE, findingMessage, type FindingCode } from '../clean/findings-catalogue.js';
import type { Database } from '../db/database.js';
import { csvLine } from '../base/csv.js';
import { FIELDS } from '../base/fields.js';
import { hasUnstorable } from '../base/unstorable.js';
import type { RepeatedInput } from '../ingest/batches.js';
import { importFile } from '../ingest/import.js';
import { UPLOAD_FOLDER_PREFIX } from '../ingest/recovery.js';
import { problemsQuery } from '../report/quality.js';
import type { JsonRow } from './routes/uploads.schemas.js';
import type { Correction, RowProblem } from './schemas.js';

/** A temporary folder holding one upload; `file` keeps the name the client gave (the batch shows it). */
export interface StagedUpload {
  readonly dir: string;
  readonly file: string;
  readonly sha256: string;
}

export async function stageDir(): Promise<string> {
  return fs.promises.mkdtemp(path.join(os.tmpdir(), UPLOAD_FOLDER_PREFIX));
}

export async function discardStaged(dir: string): Promise<void> {
  await fs.promises.rm(dir, { recursive: true, force: true });
}

/**
 * Streams `stream` into `dir` under a cleaned version of the client's file name, hashing as it goes.
 * The size limit is enforced by the multipart parser, which fails the stream past it.
 */
export async function saveStream(dir: string, clientName: string | undefined, stream: Readable): Promise<StagedUpload> {
  const file = path.join(dir, safeFileName(clientName, 'upload.csv'));
  const hash = crypto.createHash('sha256');
  await pipeline(
    stream,
    async function* (chunks: AsyncIterable<Buffer | string>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        yield chunk;
      }
    },
    fs.createWriteStream(file),
  );
  return { dir, file, sha256: hash.digest('hex') };
}

/** Writes a JSON batch as a CSV file in the contract's columns (UTF-8, header first, RFC 4180 quoting). */
export async function saveJsonRows(dir: string, rows: readonly JsonRow[]): Promise<StagedUpload> {
  // A lone UTF-16 surrogate (`"\ud800"` in the JSON) has no UTF-8 form: the CSV would carry U+FFFD and the
  // import would blame a legacy encoding. It is no text anyone typed: refused, naming the field. (A NUL is
  // written through and stripped by the cleaning with a finding, as in a file.)
  rows.forEach((row, index) => {
    for (const field of FIELDS) {
      const value = row[field];
      if (typeof value === 'string' && hasUnstorable(value) && hasUnstorable(value.replaceAll('\u0000', ''))) {
        throw new VaxsyncError('upload.not_text', `rows.${index}.${field}: holds half of a UTF-16 surrogate pair, which is not text; send valid Unicode`);
      }
    }
  });
  const file = path.join(dir, 'json-batch.csv');
  const hash = crypto.createHash('sha256');
  async function* lines() {
    yield FIELDS.join(',') + '\r\n';
    for (const row of rows) yield csvLine(FIELDS.map((f) => row[f] ?? '')) + '\r\n';
  }
  await pipeline(
    lines(),
    async function* (texts: AsyncIterable<string>) {
      for await (const text of texts) {
        const bytes = Buffer.from(text, 'utf8');
        hash.update(bytes);
        yield bytes;
      }
    },
    fs.createWriteStream(file),
  );
  return { dir, file, sha256: hash.digest('hex') };
}

/** Station and file hash of every upload between its arrival and the end of its import, in this process. */
const uploadsInFlight = new Set<string>();

/**
 * Marks a staged upload as in flight until `release()`; the same file from the same station meanwhile is
 * refused with 409. Uploads wait in one queue, so the import's own lock (which refuses the same file being
 * imported at once, from any process) would see them one after the other, and load both.
 */
export function claimUpload(staged: StagedUpload, station: string | null): () => void {
  const key = `${station ?? '-'}:${staged.sha256}`;
  if (uploadsInFlight.has(key)) {
    throw new VaxsyncError('upload.in_flight', `the same file (${path.basename(staged.file)}) is already being imported for this station; wait for its answer instead of sending it again`);
  }
  uploadsInFlight.add(key);
  return () => uploadsInFlight.delete(key);
}

export interface UploadResult {
  readonly batchId: number;
  readonly rows: number;
  readonly quarantined: number;
  readonly status: 'loaded';
}

/**
 * Imports a staged upload. A file the import refuses stays a FileError (a 400), named by the client's file
 * name and carrying its place and the id of the failed batch that keeps the evidence (null when the file
 * could not even be opened) as details of the answer.
 */
export async function importUpload(database: Database, staged: StagedUpload, station: string | null, today: string, uploadedBy?: string): Promise<UploadResult> {
  try {
    const summary = await importFile(database, staged.file, { source: 'upload', station: station ?? undefined, today, uploadedBy });
    return { batchId: summary.batchId, rows: summary.rows, quarantined: summary.quarantined, status: 'loaded' };
  } catch (error) {
    if (!(error instanceof FileError)) throw error;
    const failed = await database.db
      .selectFrom('batch')
      .select('id')
      .where('file_sha256', '=', staged.sha256)
      .where('file_name', '=', path.basename(staged.file))
      .where('status', '=', 'failed')
      .where((eb) => (station === null ? eb('station_code', 'is', null) : eb('station_code', '=', station)))
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    // The import names the file by its path here; the client knows it by its own name.
    const file = path.basename(error.file);
    throw new FileError(error.code, file, error.problem, error.where, {
      cause: error,
      details: { file, row: error.where.row ?? null, column: error.where.column ?? null, batchId: failed?.id ?? null },
    });
  }
}

/** A finding of the commune code (its message: src/clean/findings-catalogue.ts). */
const OUTSIDE_STATION = { ...finding('commune.outside_station'), field: 'commune_code' } as const;

/**
 * Marks the rows of a station's batch whose commune is not the station's with `commune.outside_station`,
 * as a finding of the row like any other, so every report (quality, problems CSV) shows it. The
 * commune_code field's counts move to `flagged` for those rows. The rows are kept (see OUTSIDE_STATION).
 * Rows without a commune are not marked: the cleaning already reports a missing code.
 */
export async function markRowsOutsideCommune(database: Database, batchId: number, commune: string): Promise<number> {
  // On its own, not in the transaction below: concurrent uploads would otherwise queue on this one row's
  // lock for the whole of each other's record update.
  await database.db
    .insertInto('finding_kind')
    .values(OUTSIDE_STATION)
    .onConflict((oc) => oc.column('code').doUpdateSet({ field: OUTSIDE_STATION.field, severity: OUTSIDE_STATION.severity, message: OUTSIDE_STATION.message }))
    .execute();
  return database.withTransaction(async (tx) => {
    // The field's previous status, from its other findings: invalid > flagged (warning) > fixed > clean.
    const moved = await tx.query<{ was: 'clean' | 'fixed' | 'flagged' | 'invalid'; n: number }>(
      `with marked as (
         update record r set findings = array_append(r.findings, $3)
         where r.batch_id = $1 and coalesce(r.commune_current, r.commune_code) <> $2 and not ($3 = any(r.findings))
         returning r.findings
       )
       select case
                when exists (select 1 from unnest(m.findings) c join finding_kind k on k.code = c
                             where k.field = 'commune_code' and k.severity = 'invalid') then 'invalid'
                when exists (select 1 from unnest(m.findings) c join finding_kind k on k.code = c
                             where k.field = 'commune_code' and k.severity = 'warning' and k.code <> $3) then 'flagged'
                when exists (select 1 from unnest(m.findings) c join finding_kind k on k.code = c
                             where k.field = 'commune_code' and k.severity = 'fix') then 'fixed'
                else 'clean' end as was,
              count(*)::int as n
       from marked m group by 1`,
      [batchId, commune, OUTSIDE_STATION.code],
    );
    const fromClean = moved.find((m) => m.was === 'clean')?.n ?? 0;
    const fromFixed = moved.find((m) => m.was === 'fixed')?.n ?? 0;
    if (fromClean + fromFixed > 0) {
      await tx.query(
        `update field_stat set clean = clean - $2, fixed = fixed - $3, flagged = flagged + $2 + $3
         where batch_id = $1 and field = 'commune_code'`,
        [batchId, fromClean, fromFixed],
      );
    }
    return moved.reduce((sum, m) => sum + m.n, 0);
  });
}

/**
 * Rows of a station's batch whose citizen ID is the golden ID of a person of another commune. The answer
 * names the rows only: who that person is, and where, stays hidden (the station could not read them). Such
 * rows never move the person into the station's commune (src/link/golden.ts holds the move for review);
 * the station is told so it can check them, typically an ID typed from the wrong card.
 */
export async function rowsMatchingOtherCommune(database: Database, batchId: number, commune: string): Promise<OtherCommuneNotice | null> {
  const rows = await database.db
    .selectFrom('record as r')
    .innerJoin('person as p', 'p.citizen_id', 'r.citizen_id')
    .where('r.batch_id', '=', batchId)
    .where('r.citizen_id_kind', 'in', ['cccd', 'cmnd'])
    .where('p.commune_code', '<>', commune)
    .select('r.row_number')
    .distinct()
    .orderBy('r.row_number')
    .execute();
  if (rows.length === 0) return null;
  const list = rows.map((r) => r.row_number);
  const shown = list.length > 20 ? `${list.slice(0, 20).join(', ')}, …` : list.join(', ');
  return {
    rows: list,
    message:
      `Hàng ${shown}: số CCCD/CMND trùng với một người thuộc xã khác; các hàng này không chuyển người đó về xã của trạm, tổ công tác sẽ xem xét. Hãy kiểm tra lại số giấy tờ. / ` +
      `Rows ${shown}: the citizen ID is that of a person of another commune; these rows do not move that person into your commune, the working group will review them. Check the ID.`,
  };
}

export interface OtherCommuneNotice {
  readonly rows: readonly number[];
  readonly message: string;
}

/**
 * The batch's row-level problems: the quality report's own query (src/report/quality.ts), fixes included
 * when asked, with the raw value as the station typed it.
 */
export async function batchProblems(
  database: Database,
  batchId: number,
  options: { readonly includeFixes: boolean; readonly limit?: number; readonly offset?: number },
): Promise<RowProblem[]> {
  const page = options.limit === undefined ? sql`` : sql`limit ${options.limit} offset ${options.offset ?? 0}`;
  const result = await sql<{
    row: number;
    field: string;
    severity: RowProblem['severity'];
    code: string;
    problem: string;
    raw_value: string | null;
    record_id: string | null;
    row_name: string | null;
    column_header: string | null;
  }>`
    select q.row, q.field, q.severity, q.code, q.problem, q.raw_value, q.record_id, q.row_name, q.column_header
    from (${sql.raw(problemsQuery({ batchId, includeFixes: options.includeFixes }))}) q
    order by q.row, q.field, q.code
    ${page}`.execute(database.db);
  return result.rows.map((r) => ({
    row: r.row,
    recordId: r.record_id,
    name: r.row_name,
    field: r.field,
    fieldLabel: FIELD_LABEL_VI.get(r.field) ?? r.field,
    column: r.column_header,
    severity: r.severity,
    code: r.code,
    message: r.problem,
    messageVi: FINDING_CATALOGUE.has(r.code as FindingCode) ? findingMessage(r.code as FindingCode, 'vi') : r.problem,
    value: r.raw_value,
  }));
}

const FIELD_LABEL_VI: ReadonlyMap<string, string> = new Map(Object.entries(FIELD_LABELS_VI));

/** The client's file name without any folder, control or reserved characters; `fallback` if nothing is left. */
export function safeFileName(name: string | undefined, fallback: string): string {
  const base = path.basename((name ?? '').replace(/\\/g, '/'));
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_').trim().slice(-150);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? fallback : cleaned;
}

/** The upload answer's warning about a file or rows sent before, in the station's language; dates in `timeZone` (config). */
export function repeatNotice(repeated: RepeatedInput | null, timeZone: string): { sameFileBatchId: number | null; repeatedRows: number; earlierBatches: readonly number[]; message: string } | null {
  if (!repeated) return null;
  const parts: string[] = [];
  if (repeated.sameFile) {
    const when = repeated.sameFile.finishedAt ? ` ngày ${repeated.sameFile.finishedAt.toLocaleDateString('vi-VN', { timeZone })}` : '';
    parts.push(`Tệp này giống hệt tệp đã tải lên ở lô ${repeated.sameFile.batchId}${when}.`);
  }
  if (repeated.repeatedRows > 0) {
    parts.push(`${repeated.repeatedRows} dòng trùng hoàn toàn với dòng đã gửi ở lô ${repeated.earlierBatches.join(', ')}.`);
  }
  parts.push('Hãy kiểm tra xem có gửi nhầm tệp không.');
  return { sameFileBatchId: repeated.sameFile?.batchId ?? null, repeatedRows: repeated.repeatedRows, earlierBatches: repeated.earlierBatches, message: parts.join(' ') };
}

/**
 * The earlier rows batch `batchId`'s rows replaced (src/ingest/corrections.ts), each with what changed as the
 * station typed it, under the station's own column headers of this file, and a sentence in Vietnamese.
 */
export async function batchCorrections(database: Database, batchId: number): Promise<Correction[]> {
  const result = await sql<{
    new_row: number;
    record_id: string;
    name: string | null;
    old_batch: number;
    old_row: number;
    old_file: string;
    changes: string | { field: string; before: string; after: string }[];
    corrected_by: string | null;
    corrected_at: Date;
    headers: string[];
    column_map: string | Record<string, number>;
  }>`
    select c.new_row, c.record_id, n.full_name as name, c.old_batch, c.old_row, ob.file_name as old_file, c.changes,
           c.corrected_by, c.corrected_at, nb.headers, nb.column_map
    from record_correction c
    join batch ob on ob.id = c.old_batch
    join batch nb on nb.id = c.new_batch
    join record n on n.batch_id = c.new_batch and n.row_number = c.new_row
    where c.new_batch = ${batchId}
    order by c.new_row, c.old_batch, c.old_row`.execute(database.db);
  return result.rows.map((r) => {
    const map = (typeof r.column_map === 'string' ? JSON.parse(r.column_map) : r.column_map) as Record<string, number>;
    const changes = (typeof r.changes === 'string' ? (JSON.parse(r.changes) as { field: string; before: string; after: string }[]) : r.changes).map((ch) => ({
      ...ch,
      fieldLabel: FIELD_LABEL_VI.get(ch.field) ?? ch.field,
      column: map[ch.field] === undefined ? null : (r.headers[map[ch.field]!] ?? null),
    }));
    const said = changes.map((ch) => `${ch.column ?? ch.fieldLabel}: ${ch.before === '' ? '(trống)' : ch.before} → ${ch.after === '' ? '(trống)' : ch.after}`).join('; ');
    return {
      row: r.new_row,
      recordId: r.record_id,
      name: r.name,
      replaces: { batchId: r.old_batch, row: r.old_row, fileName: r.old_file },
      changes,
      correctedBy: r.corrected_by,
      correctedAt: new Date(r.corrected_at).toISOString(),
      message: `Dòng ${r.new_row} (mã ${r.record_id}) thay thế dòng ${r.old_row} của lô ${r.old_batch} (${r.old_file}): ${said}. Dòng cũ được giữ làm lịch sử.`,
    };
  });
}
