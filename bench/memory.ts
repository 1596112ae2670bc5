/**
 * Peak resident memory of this process while a measured step runs: `const stop = peakMemory()` before the
 * step, `stop()` after it gives the peak in MiB (sampled every 50 ms, and once more at the end).
 */
export function peakMemory(): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return () => {
    clearInterval(timer);
    return Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20);
  };
}
