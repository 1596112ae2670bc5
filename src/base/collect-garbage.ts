/**
 * A full garbage collection now, where the launcher allows it (`--expose-gc`: bin/vaxsync.js and the
 * benches); elsewhere (tests, a library caller) nothing.
 *
 * For the places where a step leaves hundreds of megabytes of typed arrays dead and the next one allocates
 * as many: V8 gives a dead array's memory back only when a collection finds it, and the one the new
 * allocations start ends after them. Measured on the 10M link: the rows' columns read back after matching
 * (LoadedRecords.parkedWhile) beside ~700 MB of clustering's dead arrays peaked at 2,940 MiB, the run's
 * highest; with a collection first, 2,527 MiB. The accepted links' columns and clustering's later rounds
 * do the same (matchers/engine.ts).
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
