import { Worker } from 'node:worker_threads';

/**
 * Peak resident memory of this process while a measured step runs: `const memory = peakMemory()` before
 * the step, `memory()` after it gives the peak in MiB; `memory.step()` the peak since the last `step()` (or
 * the start), for each part of a step. Sampled every 20 ms by a worker thread: the link's matching runs
 * synchronously for minutes, during which a timer on the main thread never fires (an earlier sampler saw
 * 4,780 MiB of a 10M link whose maximum RSS was 5,496). The worker itself adds a few MiB.
 */
export interface MemoryWatch {
  (): number;
  step(): number;
}

const SAMPLER = `
const { workerData } = require('node:worker_threads');
const peaks = new Int32Array(workerData);
const raise = (i, mib) => {
  let old = Atomics.load(peaks, i);
  while (mib > old) {
    const was = Atomics.compareExchange(peaks, i, old, mib);
    if (was === old) break;
    old = was;
  }
};
setInterval(() => {
  const mib = Math.ceil(process.memoryUsage.rss() / 1048576);
  raise(0, mib);
  raise(1, mib);
}, 20);
`;

export function peakMemory(): MemoryWatch {
  const now = () => Math.ceil(process.memoryUsage.rss() / 2 ** 20);
  // [0]: the peak since the start, [1]: since the last step().
  const shared = new SharedArrayBuffer(8);
  const peaks = new Int32Array(shared);
  peaks[0] = peaks[1] = now();
  const worker = new Worker(SAMPLER, { eval: true, workerData: shared });
  worker.unref();
  const watch = (() => {
    void worker.terminate();
    return Math.max(Atomics.load(peaks, 0), now());
  }) as MemoryWatch;
  watch.step = () => Math.max(Atomics.exchange(peaks, 1, now()), now());
  return watch;
}
