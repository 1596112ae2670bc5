/** Checks the generator's options once, so population, rows and files start from the same numbers. */
import { parseIsoDay } from './dates.js';
import { DEFAULT_TODAY } from './rates.js';
import { SYNTH_MODES, type SynthMode, type SynthOptions } from './types.js';

export function resolveOptions(options: SynthOptions): { persons: number; seed: number; todayDay: number; mode: SynthMode } {
  const mode = options.mode ?? 'default';
  if (!SYNTH_MODES.includes(mode)) throw new RangeError(`mode must be one of ${SYNTH_MODES.join(', ')}, got ${String(mode)}`);
  if (!Number.isSafeInteger(options.persons) || options.persons < 0) {
    throw new RangeError(`persons must be a non-negative integer, got ${options.persons}`);
  }
  if (!Number.isFinite(options.seed)) throw new RangeError(`seed must be a finite number, got ${options.seed}`);
  return { persons: options.persons, seed: options.seed, todayDay: parseIsoDay(options.today ?? DEFAULT_TODAY, 'today'), mode };
}
