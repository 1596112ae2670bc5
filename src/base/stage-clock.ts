/**
 * Seconds spent in each stage of a run, lap by lap: `lap('blocking')` charges the time since the previous
 * lap (or since the clock started) to `blocking`. The matcher and the link stage report their stages this way.
 */
export interface StageClock<S extends string> {
  /** Seconds by stage, in the order the stages were named or first lapped. */
  readonly seconds: Record<S, number>;
  /** Charges the time since the last lap to `stage` (added to what it already has: a stage may lap twice). */
  lap(stage: S): void;
  /** Seconds since the clock started. */
  elapsed(): number;
}

/** Told of each lap as it is charged: what a progress display or a log line shows while a run goes on. */
export type LapListener = (stage: string, seconds: number) => void;

/**
 * A clock started now; `stages` are listed first, at 0, so that a stage a run skips still shows. `onLap`
 * hears every lap with the seconds it charged.
 */
export function stageClock<S extends string>(stages: readonly S[] = [], onLap?: LapListener): StageClock<S> {
  const seconds = Object.fromEntries(stages.map((s) => [s, 0])) as Record<S, number>;
  const start = performance.now();
  let last = start;
  return {
    seconds,
    lap(stage) {
      const now = performance.now();
      const lapped = (now - last) / 1000;
      seconds[stage] = (seconds[stage] ?? 0) + lapped;
      last = now;
      onLap?.(stage, lapped);
    },
    elapsed: () => (performance.now() - start) / 1000,
  };
}
