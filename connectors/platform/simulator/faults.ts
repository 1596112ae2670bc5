/**
 * The simulator's fault plan: which fault each transaction request gets, its latency, which identifiers are
 * rejected, and the check that the fault settings mean something. All seeded, so a run can be replayed.
 */
import { VaxsyncError } from '../../../src/base/errors.js';
import { seededRandom } from '../../../src/base/random.js';
import { faultPlan } from '../../simulator-kit.js';
import type { PlatformFault, PlatformFaults } from './types.js';

/** A number in [0, 1) fixed by the seed and the text (FNV-1a, then murmur3's finaliser). */
export function unitHash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Chooses each transaction request's fault: the scripted ones first, then by the rates. */
export function platformFaultPlan(faults: PlatformFaults): () => PlatformFault {
  return faultPlan<Exclude<PlatformFault, 'ok'>>(
    [
      ['drop', faults.dropRate ?? 0],
      ['dropAfterProcessing', faults.dropAfterProcessingRate ?? 0],
      ['timeout', faults.timeoutRate ?? 0],
      ['429', faults.rate429 ?? 0],
      ['error', faults.errorRate ?? 0],
    ],
    faults,
  );
}

/** Each request's latency, from its own generator so that adding latency does not change the faults. */
export function latencyPlan(faults: PlatformFaults): () => number {
  const latency = faults.latencyMs ?? 0;
  if (typeof latency === 'number') return () => latency;
  const random = seededRandom((faults.seed ?? 1) ^ 0x5bd1e995);
  const [min, max] = latency;
  return () => Math.round(min + random() * (max - min));
}

/** Refuses fault options that cannot mean anything (a rate outside [0, 1], rates adding up to more than 1, …). */
export function checkFaults(faults: PlatformFaults): void {
  const problems: string[] = [];
  const rates = { errorRate: faults.errorRate, rate429: faults.rate429, timeoutRate: faults.timeoutRate, dropRate: faults.dropRate, dropAfterProcessingRate: faults.dropAfterProcessingRate };
  for (const [name, rate] of Object.entries({ ...rates, rejectRate: faults.rejectRate })) {
    if (rate !== undefined && !(rate >= 0 && rate <= 1)) problems.push(`${name} must be between 0 and 1`);
  }
  const total = Object.values(rates).reduce<number>((sum, rate) => sum + (rate ?? 0), 0);
  if (total > 1 + 1e-9) problems.push(`the request fault rates add up to ${total}, more than 1`);
  const latency = faults.latencyMs ?? 0;
  const [min, max] = typeof latency === 'number' ? [latency, latency] : latency;
  if (!(min >= 0 && max >= min)) problems.push('latencyMs must be a number ≥ 0 or [min, max] with 0 ≤ min ≤ max');
  if (faults.retryAfterSeconds !== undefined && !(Number.isInteger(faults.retryAfterSeconds) && faults.retryAfterSeconds >= 0)) {
    problems.push('retryAfterSeconds must be a whole number ≥ 0');
  }
  if (problems.length > 0) throw new VaxsyncError('cli.invalid_option', `platform simulator faults: ${problems.join('; ')}`);
}
