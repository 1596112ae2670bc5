/**
 * The thread that writes link_key beside a link that loaded every record (./background-keys.ts), on
 * connections of its own: the keys of the records that run links, their index, the vacuum and link_block.
 * It posts one message, what it did, and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_BLOCKING_RULES } from '../../matchers/index.js';
import { stageClock } from '../base/stage-clock.js';
import { openPostgres } from '../db/postgres.js';
import type { KeysRequest, KeysResult } from './background-keys.js';
import { countBlocks, rewriteLinkedKeys, writeKeysAndBlocks } from './scope.js';

/**
 * Each connection's settings, for the session (the pool is this thread's alone and closed with it). On the
 * core the link leaves idle while it matches: no parallel workers of the server's, which would take the
 * link's core too. A lock the link holds would make this thread wait for a link that waits for it: past
 * the lock timeout it gives up instead (the keys are then written by the next night, as without it); the
 * vacuum too, which runs outside a transaction. And when the thread is ended (the link failed) or the
 * process killed, the server stops the statement under way within a second, instead of building an index
 * for nobody while holding link_key.
 */
const SESSION = {
  max_parallel_maintenance_workers: '0',
  max_parallel_workers_per_gather: '0',
  lock_timeout: '5min',
  // PostgreSQL 14 and later; on an older server the thread fails at once and the next night writes the keys.
  client_connection_check_interval: '1s',
};

/**
 * Pages of 5,000 rows rather than the link's 50,000: the thread's memory is the link's peak's, which it
 * raises (at a million rows the thread added 182 MiB to the process with 50,000 and the whole database
 * module, 116 with 5,000, in as long; 66–72 with PostgreSQL's backend alone and RESOURCE_LIMITS).
 */
const PAGING = { page: 5_000, slice: 2_000 };

async function writeKeys(request: KeysRequest): Promise<KeysResult> {
  const { seconds, lap } = stageClock<string>();
  // PostgreSQL's backend alone, without the migrations (the link has applied them) nor PGlite's module (40 MiB).
  const database = await openPostgres(request.url, request.schema, { ...SESSION, application_name: request.applicationName });
  try {
    const keys = await writeKeysAndBlocks(
      database,
      async (tx) => {
        // From now on no run may say link_key holds its keys, nor be marked so by a night that was writing
        // them (its token: link.ts, keyLastRun): if the link fails after this commits, the next night writes
        // them again. (The link's own run is not committed yet: it is marked by the link.)
        await tx.query(`update link_run set details = details - 'keyed' - 'keying' where details ?| array['keyed', 'keying']`);
        const digest = await rewriteLinkedKeys(tx, DEFAULT_BLOCKING_RULES, lap, PAGING, request.batches);
        // The link read its records in a transaction of its own: a record that changed between the two reads
        // (a correction committed meanwhile) would leave keys that are not its run's.
        if (digest.value !== request.digest) throw new Error(`read ${digest.count} records where the link read ${request.records}`);
        return true;
      },
      (tx) => countBlocks(tx),
      lap,
    );
    return { written: true, allVisible: keys!.allVisible, seconds };
  } finally {
    await database.close();
  }
}

parentPort!.postMessage(
  await writeKeys(workerData as KeysRequest).catch((error: unknown): KeysResult => ({ written: false, reason: error instanceof Error ? error.message : String(error) })),
);
