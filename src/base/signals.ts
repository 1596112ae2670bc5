/**
 * Stopping on SIGINT and SIGTERM within seconds (issue 16, item 1). Most commands keep Node's default: the
 * signal ends the process at once, even while the embedded database computes, and the lock of the embedded
 * folder it leaves is found stale and released by the next process (src/db/data-dir-lock.ts). `serve` and
 * `run-now` stop gracefully instead (finish the requests in flight, stop the job at its next safe point),
 * through `whileStoppable`: a second signal stops at once, and if the graceful stop takes longer than
 * STOP_DEADLINE_MS the process exits anyway; a watchdog thread kills it STOP_DEADLINE_MS later still, in
 * case its main thread is stuck in one long computation where no timer can fire.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';

/** How long a graceful stop may take before the process exits anyway. */
export const STOP_DEADLINE_MS = 10_000;

const exitCodeOf = (signal: NodeJS.Signals): number => 128 + (os.constants.signals[signal] ?? 15);

/** Ends this process with SIGKILL after `ms`, from its own thread (a busy main thread cannot stop it). */
function watchdog(ms: number): Worker {
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), workerData.ms);`,
    { eval: true, workerData: { pid: process.pid, ms } },
  );
  worker.unref();
  return worker;
}

/**
 * Runs `fn` with `stop` as the answer to the first SIGINT or SIGTERM (it should make `fn` end soon); a
 * second signal, or `deadlineMs` after the first, exits with 128 + the signal's number.
 */
export async function whileStoppable<T>(
  stop: (signal: NodeJS.Signals) => void,
  fn: () => Promise<T>,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  deadlineMs: number = STOP_DEADLINE_MS,
): Promise<T> {
  let first: NodeJS.Signals | null = null;
  let timer: NodeJS.Timeout | undefined;
  let guard: Worker | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (first !== null) {
      write(`vaxsync: ${signal} again: stopping now`);
      process.exit(exitCodeOf(signal));
    }
    first = signal;
    timer = setTimeout(() => {
      write(`vaxsync: not stopped ${deadlineMs / 1000} s after ${signal}: stopping now`);
      process.exit(exitCodeOf(signal));
    }, deadlineMs);
    timer.unref();
    guard = watchdog(2 * deadlineMs);
    stop(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await fn();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (timer) clearTimeout(timer);
    if (guard) await guard.terminate();
  }
}
