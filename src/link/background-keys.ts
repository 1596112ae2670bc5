/**
 * link_key written beside a link that loads every record (a full one), on the core it leaves idle while
 * it matches, so that the first night after it reads only its blocks at once instead of writing a
 * province's keys first (at ten million rows, 170 million keys: 400 s of that night, where the night itself
 * took 76). Matching is one thread; the keys are written by a worker thread on connections of its own, in
 * transactions of its own (src/link/background-keys-worker.ts), from the same records read again: it never
 * shares a record with the link, so the link's memory does not grow with it.
 *
 * PostgreSQL only (PGlite is one connection in this thread): on PGlite, and below `BACKGROUND_KEYS_FROM`
 * records (a worker costs a second or two to start, and a small history's keys are written by its first
 * night in as long), the run leaves its keys stale as before.
 *
 * The link marks its run keyed only when the worker has committed the keys of exactly the records it read
 * (their digest, ./ref-digest.ts) and counted the blocks: the worker first unmarks every earlier run, so
 * that if the link then fails, the next night writes the keys again.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import { RefDigest } from './ref-digest.js';
import type { LoadedRecords } from './rows.js';

/** Below this many matchable records a full link leaves its keys to the next night. */
export const BACKGROUND_KEYS_FROM = 100_000;

/** What the worker is asked (workerData). */
export interface KeysRequest {
  readonly url: string;
  readonly schema?: string;
  /** The batches the link loaded: their current matchable records are the ones it links. */
  readonly batches: readonly number[];
  /** The digest of those records as the link read them, and their count. */
  readonly digest: string;
  readonly records: number;
  /** The worker's connections' application_name, by which the run finds them on the server to end them. */
  readonly applicationName: string;
}

/**
 * What the worker did. `allVisible`: its vacuum marked every page of link_key all-visible. It cannot while
 * a snapshot taken before the keys were committed is still in use: a statement of the link's write that
 * began before (a COPY chunk, an index rebuild), when the keys come after the link began to write, or
 * another session's transaction. The link then vacuums link_key again after it commits, or every night's
 * index-only look-ups would visit the table until autovacuum came by.
 */
export type KeysResult =
  | { readonly written: true; readonly allVisible: boolean; readonly seconds: Readonly<Record<string, number>> }
  | { readonly written: false; readonly reason: string };

/** A worker's small heap: it holds one slice of records at a time. */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 };

/**
 * However quick the run, how long it waits for a worker that has not ended, at least: past it (and past as
 * long again as the worker has run), the worker is taken for stalled.
 */
export const KEYS_WAIT_FLOOR_SECONDS = 60;

export interface BackgroundKeys {
  /**
   * What the worker did, once it has ended; never rejects. A worker still running after as long again as
   * it has run so far (and at least `floorSeconds`) is stopped, and the keys left stale: it does the same
   * work as the link on the other core and normally ends before it, so it is stalled (a connection lost
   * without a word, a statement that never returns), and the run must not wait for it forever.
   */
  finish(floorSeconds?: number): Promise<KeysResult>;
  /** Ends the worker if it still runs (the link failed): its transaction is rolled back with its connection. */
  stop(): Promise<void>;
}

/** Starts writing the keys of `records` (all those of their batches, loaded by a link that links them all). */
export function startBackgroundKeys(database: Database, records: LoadedRecords): BackgroundKeys | null {
  if (database.connection === undefined) return null;
  const digest = new RefDigest();
  const batches = new Set<number>();
  const { rowOf, matchable, batch, row } = records;
  for (let k = 0; k < matchable.length; k++) {
    const r = rowOf[k]!;
    digest.add(batch[r]!, row[r]!);
    batches.add(batch[r]!);
  }
  const applicationName = `vaxsync-keys-${randomUUID()}`;
  const request: KeysRequest = { ...database.connection, batches: [...batches], digest: digest.value, records: digest.count, applicationName };
  const worker = new Worker(new URL('./background-keys-entry.mjs', import.meta.url), { workerData: request, resourceLimits: RESOURCE_LIMITS });
  const done = new Promise<KeysResult>((resolve) => {
    worker.once('message', (result: KeysResult) => resolve(result));
    worker.once('error', (error) => resolve({ written: false, reason: error.message }));
    worker.once('exit', (code) => resolve({ written: false, reason: `the keys' worker stopped (exit code ${code})` }));
  });
  const started = performance.now();
  const stop = async () => {
    await worker.terminate();
    // The thread's sockets are closed with it, and the server stops a statement of theirs within a second
    // (client_connection_check_interval), unless the connection was lost without a word: then its
    // transaction would hold link_key locked until TCP gave up, and the next night would wait for it.
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${applicationName}`.execute(database.db).catch(() => {});
  };
  return {
    async finish(floorSeconds = KEYS_WAIT_FLOOR_SECONDS) {
      const waitMs = Math.max(floorSeconds * 1000, performance.now() - started);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), waitMs)));
      const result = await Promise.race([done, late]).finally(() => clearTimeout(timer));
      if (result !== 'late') return result;
      await stop();
      // It may have ended, its keys committed, as it was stopped.
      const ended = await Promise.race([done, Promise.resolve(null)]);
      if (ended?.written === true) return ended;
      return { written: false, reason: `the keys' worker had not ended ${Math.round(waitMs / 1000)} s after the run's write, and was stopped` };
    },
    stop,
  };
}
