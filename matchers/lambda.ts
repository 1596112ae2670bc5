/** λ, the prior probability that two records drawn at random are the same person. */
import { MIN_PROBABILITY, priorWeight, probabilityOf } from './model.js';

/**
 * The prior for scoring: the share of matches among *all* n(n-1)/2 pairs, not among the candidates.
 * u comes from random pairs, so the prior must be the random-pair one too; the candidates' own λ (near 1
 * when blocking is good) would add its odds to every candidate twice. Found as the fixed point of
 * λ = Σ posterior(candidate; λ) / all pairs, pairs outside the candidates counting as non-matches.
 * `evidence` holds each candidate's Σ level weights (TF included), in bits, without a prior.
 */
export function estimateLambda(evidence: Float64Array, totalPairs: number, maxIterations = 500): number {
  if (evidence.length === 0 || totalPairs <= 0) return MIN_PROBABILITY;
  // Histogram in 1/256-bit bins: millions of candidates become a few thousand (weight, count) pairs, and
  // the rounding moves a posterior by less than 0.3%.
  const binsPerBit = 256;
  const { weights, counts } = histogram(evidence, binsPerBit);
  return lambdaOfHistogram(weights, counts, evidence.length, totalPairs, maxIterations);
}

/**
 * The fixed point of estimateLambda from its histogram (`weights[k]` bits, `counts[k]` candidates), summed in
 * the histogram's order; `candidates` is the count of all of them, the first guess's numerator.
 */
export function lambdaOfHistogram(
  weights: Float64Array,
  counts: Float64Array,
  candidates: number,
  totalPairs: number,
  maxIterations = 500,
): number {
  let lambda = Math.min(0.5, candidates / totalPairs);
  for (let it = 0; it < maxIterations; it++) {
    const prior = priorWeight(lambda);
    let expected = 0;
    for (let k = 0; k < weights.length; k++) expected += counts[k]! * probabilityOf(weights[k]! + prior);
    const next = Math.min(1 - MIN_PROBABILITY, Math.max(1e-12, expected / totalPairs));
    const done = Math.abs(next - lambda) <= 1e-9 * lambda;
    lambda = next;
    if (done) break;
  }
  return lambda;
}

/** Histograms of at most this many bins from the lowest to the highest are counted in an array; wider ones in a Map. */
const MAX_ARRAY_BINS = 1 << 24;

/**
 * The evidence in bins of 1/binsPerBit bit: each bin's weight and count, bins in the order the evidence
 * first reaches them (the order estimateLambda sums them in, so the same evidence gives the same λ to the
 * bit). Counted in an array indexed by bin when the bins span few enough, which is what a Map keyed by bin
 * would give, several times faster over millions of candidates.
 */
function histogram(evidence: Float64Array, binsPerBit: number): { weights: Float64Array; counts: Float64Array } {
  // Rounding is monotonic: the lowest and highest bins are those of the lowest and highest evidence.
  let min = Infinity;
  let max = -Infinity;
  let finite = true;
  for (let p = 0; p < evidence.length; p++) {
    const x = evidence[p]!;
    if (x < min) min = x;
    if (x > max) max = x;
    if (Number.isNaN(x)) finite = false;
  }
  const low = Math.round(min * binsPerBit);
  const high = Math.round(max * binsPerBit);
  finite &&= Number.isFinite(low) && Number.isFinite(high);
  if (finite && high - low < MAX_ARRAY_BINS) {
    const slotOf = new Int32Array(high - low + 1).fill(-1);
    const bins: number[] = [];
    const counts: number[] = [];
    for (let p = 0; p < evidence.length; p++) {
      const bin = Math.round(evidence[p]! * binsPerBit);
      let k = slotOf[bin - low]!;
      if (k < 0) {
        k = slotOf[bin - low] = bins.length;
        // A Map keeps a key of -0 as +0.
        bins.push(bin === 0 ? 0 : bin);
        counts.push(0);
      }
      counts[k]!++;
    }
    return { weights: Float64Array.from(bins, (b) => b / binsPerBit), counts: Float64Array.from(counts) };
  }
  const bins = new Map<number, number>();
  for (let p = 0; p < evidence.length; p++) {
    const bin = Math.round(evidence[p]! * binsPerBit);
    bins.set(bin, (bins.get(bin) ?? 0) + 1);
  }
  return { weights: Float64Array.from(bins.keys(), (b) => b / binsPerBit), counts: Float64Array.from(bins.values()) };
}
