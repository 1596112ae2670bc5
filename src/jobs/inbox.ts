/**
 * The inbox other systems drop station files into for the nightly import. Each file is imported on its
 * own and then moved out of the way: to `done/` once its batch is loaded, to `failed/` (with a
 * `.error.txt` beside it saying why) when the file itself is the problem. A failed file never stops the
 * others.
 *
 * Writers should write under a temporary name (a leading dot, or `.part` / `.tmp` at the end) and rename
 * when complete: such files are left alone, so a half-written file is never imported.
 *
 * A file whose exact bytes are already a loaded batch is not imported again, only moved to `done/`: that
 * covers a run killed between loading a batch and moving its file, and the same file dropped twice.
 * A run killed in the middle of a file leaves its batch `loading` (never visible to later stages) and the
 * file in the inbox, so the next run imports it afresh.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/database.js';
import { FileError } from '../base/errors.js';
import { importFile } from '../ingest/import.js';
import { recoverInterruptedImports } from '../ingest/recovery.js';
import { JobAbandoned } from './abort.js';

export interface InboxCounts {
  /** Files found waiting. */
  files: number;
  /** Of them: loaded as new batches, already loaded before, refused (moved to failed/). */
  imported: number;
  alreadyLoaded: number;
  failed: number;
  /** Data rows of the new batches, and how many of them were quarantined. */
  rows: number;
  quarantined: number;
  batchIds: number[];
}

export interface InboxOptions {
  /** Today's date (yyyy-mm-dd) for the import's "in the future" checks. */
  readonly today: string;
  readonly signal?: AbortSignal | undefined;
  /** Called after each file, and every few thousand rows within one. */
  readonly onProgress?: (counts: Readonly<InboxCounts>, currentRows: number) => void;
}

function isWaiting(name: string): boolean {
  return !name.startsWith('.') && !/\.(part|tmp)$/i.test(name);
}

/** The files waiting in the inbox, in name order (so a station's numbered files load in order). */
export async function pendingInboxFiles(inboxDir: string): Promise<string[]> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(inboxDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((e) => e.isFile() && isWaiting(e.name))
    .map((e) => path.join(inboxDir, e.name))
    .sort();
}

/**
 * Imports every waiting file. `counts` is filled in as files are done, so a caller that sees this throw
 * (abandoned between files, or the database gone) still knows what was done.
 */
export async function importInbox(database: Database, inboxDir: string, counts: InboxCounts, options: InboxOptions): Promise<void> {
  const files = await pendingInboxFiles(inboxDir);
  counts.files = files.length;
  // A killed run leaves its batch `loading`: it becomes `failed` here, and the file is imported again below.
  await recoverInterruptedImports(database);
  for (const [done, file] of files.entries()) {
    if (options.signal?.aborted) throw new JobAbandoned(`stopped between files; ${files.length - done} left in the inbox for the next run`);
    const loaded = await loadedBatchOf(database, file);
    if (loaded !== null) {
      await moveInto(file, path.join(inboxDir, 'done'));
      counts.alreadyLoaded++;
    } else {
      try {
        const summary = await importFile(database, file, {
          source: 'inbox',
          today: options.today,
          onProgress: (rows) => options.onProgress?.(counts, rows),
          progressEvery: 5_000,
        });
        counts.imported++;
        counts.rows += summary.rows;
        counts.quarantined += summary.quarantined;
        counts.batchIds.push(summary.batchId);
        await moveInto(file, path.join(inboxDir, 'done'));
      } catch (error) {
        // The database going away is not the file's fault: the file stays for the next run, the stage fails.
        if (!(error instanceof FileError)) await database.db.selectNoFrom((eb) => eb.lit(1).as('alive')).execute();
        const moved = await moveInto(file, path.join(inboxDir, 'failed'));
        await fs.promises.writeFile(`${moved}.error.txt`, `${(error as Error).message}\n`);
        counts.failed++;
      }
    }
    options.onProgress?.(counts, 0);
  }
}

/** The loaded batch holding exactly this file's bytes, if any. */
async function loadedBatchOf(database: Database, file: string): Promise<number | null> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  const row = await database.db
    .selectFrom('batch')
    .select('id')
    .where('file_sha256', '=', hash.digest('hex'))
    .where('status', '=', 'loaded')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Moves `file` into `dir` under its own name, or a numbered one when a file of that name is there already. */
export async function moveInto(file: string, dir: string): Promise<string> {
  await fs.promises.mkdir(dir, { recursive: true });
  const { name, ext } = path.parse(file);
  for (let n = 0; ; n++) {
    const target = path.join(dir, n === 0 ? `${name}${ext}` : `${name}.${n}${ext}`);
    try {
      // link + unlink, not rename: rename would silently replace a file of the same name.
      await fs.promises.link(file, target);
      await fs.promises.unlink(file);
      return target;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        // A run killed between the link and the unlink left the file in both places: finish that move
        // instead of keeping a second copy under another name.
        if (await sameFile(file, target)) {
          await fs.promises.unlink(file);
          return target;
        }
        continue;
      }
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
    }
    // A file system without hard links: check, then rename (only this job moves files out of the inbox).
    if (fs.existsSync(target)) continue;
    await fs.promises.rename(file, target);
    return target;
  }
}

/** Both paths name one file (one is a hard link of the other). */
async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([fs.promises.stat(a), fs.promises.stat(b)]);
  return x.dev === y.dev && x.ino === y.ino;
}
