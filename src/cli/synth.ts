/** `vaxsync synth --persons N --seed S --out DIR [--registry]`: write a generated sample and its truth, for tests and evaluation. */
import { DUPLICATE_REPORT_RATE, NAME_NO_DIACRITICS_RATE, NAME_TYPO_RATE, writeSynthFiles, type SynthMode } from '../synth/generate.js';

export async function runSynth(
  options: { readonly persons: number; readonly seed: number; readonly out: string; readonly registry?: boolean; readonly mode?: SynthMode },
  log: (line: string) => void,
): Promise<void> {
  const mode = options.mode ?? 'default';
  const files = await writeSynthFiles({ persons: options.persons, seed: options.seed, dir: options.out, registry: options.registry ?? false, mode });
  log(`${files.rows} rows of ${options.persons} people (seed ${options.seed}, mode ${mode}): ${files.records}, truth in ${files.truth}`);
  // A few rates as a taste; the constants are the documentation, so point there rather than copy them all.
  log(
    `error rates: the documented *_RATE constants of src/synth/rates.ts ` +
      `(e.g. DUPLICATE_REPORT_RATE ${DUPLICATE_REPORT_RATE}, NAME_NO_DIACRITICS_RATE ${NAME_NO_DIACRITICS_RATE}, ` +
      `NAME_TYPO_RATE ${NAME_TYPO_RATE})`,
  );
  if (files.registry) {
    const { registry, truth, rows, statuses } = files.registry;
    log(`${rows} registry rows: ${registry}, expected reconcile statuses in ${truth}`);
    log(`expected statuses: ${Object.entries(statuses).map(([status, n]) => `${status} ${n}`).join(', ')} (scenario rates: REGISTRY_*_RATE in src/synth/registry.ts)`);
  }
}
