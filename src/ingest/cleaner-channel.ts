/**
 * How the import hands rows to a RowCleaner: inline for small files (a worker costs a few hundred
 * milliseconds to start), in a worker thread for large ones. Both answer in order.
 */
import { Worker } from 'node:worker_threads';
import type { CleanRequest } from './clean-worker.js';
import { RowCleaner, type CleaningSummary, type DataRow, type RowCleanerOptions } from './row-cleaner.js';

export interface CleanerChannel {
  /** Cleans a block; resolves to its `record` rows in COPY text. Blocks may be sent before earlier ones resolve. */
  clean(rows: readonly DataRow[]): Promise<string>;
  /** After the last block: the file's counts. The channel is closed afterwards. */
  finish(): Promise<CleaningSummary>;
  /** Stops without a summary (the import failed). */
  close(): Promise<void>;
}

export function inlineCleaner(options: RowCleanerOptions): CleanerChannel {
  const cleaner = new RowCleaner(options);
  return {
    clean: async (rows) => cleaner.cleanBlock(rows),
    finish: async () => cleaner.summary(),
    close: async () => {},
  };
}

/**
 * The young generation is where cleaning's short-lived strings and objects die; V8's default (16 MiB
 * semi-spaces) makes it collect several times per block, which measured at a quarter of the import's time.
 */
const YOUNG_GENERATION_MB = 96;

export function workerCleaner(options: RowCleanerOptions): CleanerChannel {
  const worker = new Worker(new URL('./clean-worker-entry.mjs', import.meta.url), {
    workerData: options,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  const pending: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];
  let failure: Error | null = null;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const p of pending.splice(0)) p.reject(failure);
  };
  worker.on('message', (reply: Reply) => {
    const next = pending.shift();
    if (!next) return;
    if ('error' in reply) next.reject(new Error(`cleaning failed: ${reply.error}`));
    else next.resolve(reply);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the cleaning worker stopped (exit code ${code})`)));

  const ask = (request: CleanRequest) =>
    new Promise<Reply>((resolve, reject) => {
      if (failure) return reject(failure);
      pending.push({ resolve, reject });
      worker.postMessage(request);
    });
  return {
    clean: async (rows) => ((await ask({ type: 'rows', rows })) as { text: string }).text,
    async finish() {
      const { summary } = (await ask({ type: 'finish' })) as { summary: CleaningSummary };
      await worker.terminate();
      return summary;
    },
    async close() {
      await worker.terminate();
    },
  };
}

type Reply = { readonly text: string } | { readonly summary: CleaningSummary } | { readonly error: string };
