/**
 * Worker-thread entry for a RowCleaner: cleaning is pure CPU work, so a large import gives it a core of
 * its own while the main thread reads the file and writes to the database. Messages are answered in the
 * order they arrive.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RowCleaner, type DataRow, type RowCleanerOptions } from './row-cleaner.js';

export type CleanRequest = { readonly type: 'rows'; readonly rows: readonly DataRow[] } | { readonly type: 'finish' };

const cleaner = new RowCleaner(workerData as RowCleanerOptions);
parentPort!.on('message', (request: CleanRequest) => {
  try {
    parentPort!.postMessage(request.type === 'rows' ? { text: cleaner.cleanBlock(request.rows) } : { summary: cleaner.summary() });
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
