/**
 * Start-up recovery of imports a dead process left behind (issue 15, finding 3): a process killed during an
 * import leaves its batch `loading` for ever and, for an upload, its temporary folder on disk.
 *
 * A batch is being imported exactly while its importer holds the import's session lock (importLockName,
 * ./import.ts): on PostgreSQL an advisory lock that dies with the connection, so a killed process never
 * keeps it; on PGlite (one process) an in-process flag. A `loading` batch whose lock can be taken has no
 * live importer: it becomes `failed` with the reason, its raw rows kept (committed as they were read), its
 * partial cleaned rows removed. Run by the service at start and by the CLI commands that import.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { importLockName } from './import.js';

/** Prefix of an upload's temporary folder in the system's temp directory (src/service/upload.ts makes them). */
export const UPLOAD_FOLDER_PREFIX = 'vaxsync-upload-';

export const INTERRUPTED_IMPORT =
  'the import was interrupted: the process importing the file stopped before it finished. The rows read until then are kept as raw rows; send the file again';

/**
 * With no import running anywhere, an upload folder untouched for this long is left over: a folder of an
 * upload still being received is written to all the time.
 */
const IDLE_UPLOAD_MS = 10 * 60 * 1000;

export interface Recovery {
  /** Batches that were `loading` with no live importer, now `failed`. */
  readonly failedBatches: readonly number[];
  /** Temporary upload folders removed. */
  readonly removedFolders: readonly string[];
}

export async function recoverInterruptedImports(database: Database, options: { readonly tempDir?: string; readonly now?: Date } = {}): Promise<Recovery> {
  const loading = await database.db
    .selectFrom('batch')
    .select(['id', 'station_code', 'file_sha256', 'started_at'])
    .where('status', '=', 'loading')
    .orderBy('id')
    .execute();
  const failedBatches: number[] = [];
  let oldestRunning: Date | null = null;
  for (const batch of loading) {
    const outcome = await database.withSessionLock(importLockName(batch.station_code, batch.file_sha256), async () => {
      await database.db.deleteFrom('record').where('batch_id', '=', batch.id).execute();
      const updated = await database.db
        .updateTable('batch')
        .set({ status: 'failed', error: INTERRUPTED_IMPORT, finished_at: sql<Date>`now()` })
        .where('id', '=', batch.id)
        .where('status', '=', 'loading')
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) > 0;
    });
    if (!outcome.acquired) {
      if (!oldestRunning || batch.started_at < oldestRunning) oldestRunning = batch.started_at;
    } else if (outcome.value) failedBatches.push(batch.id);
  }
  const now = options.now ?? new Date();
  const idleCutoff = new Date(now.getTime() - IDLE_UPLOAD_MS);
  const cutoff = oldestRunning && oldestRunning < idleCutoff ? oldestRunning : idleCutoff;
  const removedFolders = await removeUploadFoldersBefore(options.tempDir ?? os.tmpdir(), cutoff);
  return { failedBatches, removedFolders };
}

/** Removes the upload folders in `tempDir` in which nothing has changed since `cutoff`. */
async function removeUploadFoldersBefore(tempDir: string, cutoff: Date): Promise<string[]> {
  const removed: string[] = [];
  const names = await fs.promises.readdir(tempDir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(UPLOAD_FOLDER_PREFIX)) continue;
    const folder = path.join(tempDir, name);
    const changed = await lastChange(folder).catch(() => null);
    if (changed === null || changed >= cutoff.getTime()) continue;
    await fs.promises.rm(folder, { recursive: true, force: true });
    removed.push(folder);
  }
  return removed;
}

/** The latest modification time of a folder and the files directly in it (an upload folder holds one file). */
async function lastChange(folder: string): Promise<number> {
  const stat = await fs.promises.stat(folder);
  if (!stat.isDirectory()) throw new Error('not a folder');
  let latest = stat.mtimeMs;
  for (const entry of await fs.promises.readdir(folder)) {
    const file = await fs.promises.stat(path.join(folder, entry)).catch(() => null);
    if (file && file.mtimeMs > latest) latest = file.mtimeMs;
  }
  return latest;
}
