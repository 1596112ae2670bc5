/**
 * The seeded fault schedule the simulators (registry, platform) share: a scripted sequence first, for tests
 * that tell an exact story, then one draw per request against the fault rates. The same seed gives the same
 * faults on every machine.
 */
import { seededRandom } from '../matchers/model.js';

export function faultPlan<F extends string>(
  bands: readonly (readonly [fault: F, rate: number])[],
  options: { readonly seed?: number; readonly sequence?: readonly (F | 'ok')[] },
): () => F | 'ok' {
  const random = seededRandom(options.seed ?? 1);
  const script = [...(options.sequence ?? [])];
  return () => {
    const scripted = script.shift();
    if (scripted !== undefined) return scripted;
    let r = random();
    for (const [fault, rate] of bands) {
      if (r < rate) return fault;
      r -= rate;
    }
    return 'ok';
  };
}
